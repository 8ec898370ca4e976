"""Skinny (Cisco's Skinny Client Control Protocol, SCCP) over TCP 2000: the message header,
with Scapy's class, fields and defaults (``scapy.layers.skinny``): the length, a reserved
word and the message id, little-endian; the message's own fields are the payload.

>>> bytes(Skinny(msg="KeepAliveAckMessage")).hex()
'000000000000000000010000'
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import SKINNY_PORT
from paquet.packet import enumfields, registry
from paquet.packet.base import Packet
from paquet.packet.intfields import LEIntField

LEIntEnumField: Any = enumfields.LEIntEnumField  # (a kind made by a factory: typed as Any)

__all__ = ["SKINNY_MESSAGES", "Skinny"]


def _names(first: int, names: str) -> dict[int, str]:
    """Consecutive message ids from ``first``, named by the words of ``names`` ("-": none)."""
    return {first + i: f"{n}" for i, n in enumerate(names.split()) if n != "-"}


#: Message ids (Cisco's SCCP message names): station to call manager, then call manager to
#: station.
SKINNY_MESSAGES: dict[int, str] = {
    **_names(0x0000, "KeepAliveMessage RegisterMessage IpPortMessage KeypadButtonMessage "
                     "EnblocCallMessage StimulusMessage OffHookMessage OnHookMessage "
                     "HookFlashMessage ForwardStatReqMessage SpeedDialStatReqMessage "
                     "LineStatReqMessage ConfigStatReqMessage TimeDateReqMessage "
                     "ButtonTemplateReqMessage VersionReqMessage CapabilitiesResMessage "
                     "MediaPortListMessage ServerReqMessage"),
    **_names(0x0020, "AlarmMessage MulticastMediaReceptionAck OpenReceiveChannelAck "
                     "ConnectionStatisticsRes OffHookWithCgpnMessage SoftKeySetReqMessage "
                     "SoftKeyEventMessage UnregisterMessage SoftKeyTemplateReqMessage "
                     "RegisterTokenReq MediaTransmissionFailure HeadsetStatusMessage "
                     "MediaResourceNotification RegisterAvailableLinesMessage "
                     "DeviceToUserDataMessage DeviceToUserDataResponseMessage "
                     "UpdateCapabilitiesMessage OpenMultiMediaReceiveChannelAckMessage "
                     "ClearConferenceMessage ServiceURLStatReqMessage FeatureStatReqMessage "
                     "CreateConferenceResMessage DeleteConferenceResMessage "
                     "ModifyConferenceResMessage AddParticipantResMessage "
                     "AuditConferenceResMessage"),
    **_names(0x0040, "AuditParticipantResMessage DeviceToUserDataVersion1Message "
                     "DeviceToUserDataResponseVersion1Message"),
    **_names(0x0081, "RegisterAckMessage StartToneMessage StopToneMessage - SetRingerMessage "
                     "SetLampMessage SetHkFDetectMessage SetSpeakerModeMessage "
                     "SetMicroModeMessage StartMediaTransmission StopMediaTransmission "
                     "StartMediaReception StopMediaReception - CallInfoMessage "
                     "ForwardStatMessage SpeedDialStatMessage LineStatMessage "
                     "ConfigStatMessage DefineTimeDate StartSessionTransmission "
                     "StopSessionTransmission ButtonTemplateMessage VersionMessage "
                     "DisplayTextMessage ClearDisplay CapabilitiesReqMessage "
                     "EnunciatorCommandMessage RegisterRejectMessage ServerResMessage Reset"),
    **_names(0x0100, "KeepAliveAckMessage StartMulticastMediaReception "
                     "StartMulticastMediaTransmission StopMulticastMediaReception "
                     "StopMulticastMediaTransmission OpenReceiveChannel CloseReceiveChannel "
                     "ConnectionStatisticsReq SoftKeyTemplateResMessage SoftKeySetResMessage"),
    **_names(0x0110, "SelectSoftKeysMessage CallStateMessage DisplayPromptStatusMessage "
                     "ClearPromptStatusMessage DisplayNotifyMessage ClearNotifyMessage "
                     "ActivateCallPlaneMessage DeactivateCallPlaneMessage "
                     "UnregisterAckMessage BackSpaceReqMessage RegisterTokenAck "
                     "RegisterTokenReject StartMediaFailureDetection DialedNumberMessage "
                     "UserToDeviceDataMessage FeatureStatMessage DisplayPriNotifyMessage "
                     "ClearPriNotifyMessage StartAnnouncementMessage StopAnnouncementMessage "
                     "AnnouncementFinishMessage - - NotifyDtmfToneMessage "
                     "SendDtmfToneMessage SubscribeDtmfPayloadReqMessage "
                     "SubscribeDtmfPayloadResMessage SubscribeDtmfPayloadErrMessage "
                     "UnSubscribeDtmfPayloadReqMessage UnSubscribeDtmfPayloadResMessage "
                     "UnSubscribeDtmfPayloadErrMessage ServiceURLStatMessage "
                     "CallSelectStatMessage OpenMultiMediaChannelMessage "
                     "StartMultiMediaTransmission StopMultiMediaTransmission "
                     "MiscellaneousCommandMessage FlowControlCommandMessage "
                     "CloseMultiMediaReceiveChannel CreateConferenceReqMessage "
                     "DeleteConferenceReqMessage ModifyConferenceReqMessage "
                     "AddParticipantReqMessage DropParticipantReqMessage "
                     "AuditConferenceReqMessage AuditParticipantReqMessage - "
                     "UserToDeviceDataVersion1Message"),
}


class Skinny(Packet):
    """The Skinny message header (12 bytes, little-endian): ``len``, ``res``, ``msg``."""

    name = "Skinny"
    fields_desc = (
        LEIntField("len", 0),
        LEIntField("res", 0),
        LEIntEnumField("msg", 0, SKINNY_MESSAGES),
    )


def _register() -> None:
    from paquet.layers.tcp import TCP

    registry.bind_layers(TCP, Skinny, dport=SKINNY_PORT)
    registry.bind_layers(TCP, Skinny, sport=SKINNY_PORT)
    registry.bind_layers(TCP, Skinny, dport=SKINNY_PORT, sport=SKINNY_PORT)


_register()
