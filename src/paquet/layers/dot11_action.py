"""802.11 action frames' bodies (802.11-2020 9.6): spectrum management (channel switch
announcement), wireless network management (BSS transition management request and response,
with neighbor reports) and radio measurement (beacon requests and reports).

Class, field names, defaults and bindings are Scapy 2.8's (``scapy.layers.dot11``); bodies
paquet does not describe stay Raw.

>>> bytes(Dot11Action(category=0) / Dot11SpectrumManagement(action=4) / Dot11CSA())
b'\\x00\\x04%\\x03\\x00\\x00\\x00'
"""

from __future__ import annotations

from typing import Any

from paquet.layers.dot11_elements import _ID_ENUM, Dot11EltCSA, absent_as_none
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import LEIntField, LELongField, LEShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldListField,
    LEFieldLenField,
    PacketField,
    PacketListField,
)

__all__ = [
    "BSSTerminationDuration", "Dot11Action", "Dot11BSSTMRequest", "Dot11BSSTMResponse", "Dot11CSA",
    "Dot11RadioMeasurement", "Dot11RadioMeasurementBeaconReport",
    "Dot11RadioMeasurementBeaconRequest", "Dot11RadioMeasurementReport",
    "Dot11RadioMeasurementRequest", "Dot11SpectrumManagement", "Dot11WNM", "NeighborReport",
    "SubelemTLV",
]

_ETHER_ANY = "00:00:00:00:00:00"

ACTION_CATEGORIES = dict(enumerate((
    "Spectrum Management", "QoS", "DLS", "Block", "Public", "Radio Measurement",
    "Fast BSS Transition", "HT", "SA Query", "Protected Dual of Public Action", "WNM",
    "Unprotected WNM", "TDLS", "Mesh", "Multihop", "Self-protected", "DMG",
    "Reserved Wi-Fi Alliance", "Fast Session Transfer", "Robust AV Streaming",
    "Unprotected DMG", "VHT")))
WNM_ACTIONS = dict(enumerate((
    "Event Request", "Event Report", "Diagnostic Request", "Diagnostic Report",
    "Location Configuration Request", "Location Configuration Response",
    "BSS Transition Management Query", "BSS Transition Management Request",
    "BSS Transition Management Response", "FMS Request", "FMS Response",
    "Collocated Interference Request", "Collocated Interference Report", "TFS Request",
    "TFS Response", "TFS Notify", "WNM Sleep Mode Request", "WNM Sleep Mode Response",
    "TIM Broadcast Request", "TIM Broadcast Response", "QoS Traffic Capability Update",
    "Channel Usage Request", "Channel Usage Response", "DMS Request", "DMS Response",
    "Timing Measurement Request", "WNM Notification Request", "WNM Notification Response",
    "WNM-Notify Response")))
BTM_REQUEST_MODES = ["Preferred_Candidate_List_Included", "Abridged",
                     "Disassociation_Imminent", "BSS_Termination_Included",
                     "ESS_Disassociation_Imminent"]
BTM_STATUS_CODES = dict(enumerate((
    "Accept", "Reject-Unspecified_reject_reason",
    "Reject-Insufficient_Beacon_or_Probe_Response_frames",
    "Reject-Insufficient_available_capacity_from_all_candidates",
    "Reject-BSS_termination_undesired", "Reject-BSS_termination_delay_requested",
    "Reject-STA_BSS_Transition_Candidate_List_provided",
    "Reject-No_suitable_BSS_transition_candidates", "Reject-Leaving_ESS")))
_MEASUREMENT_TYPES = {5: "Beacon"}


class _Body(Packet):
    """A body whose absent conditional packets read None after dissection (Scapy's)."""

    def post_dissect(self, s: bytes) -> bytes:
        absent_as_none(self)
        return s


class _Alone(Packet):
    """A structure inside a body: nothing after it belongs to it."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class Dot11Action(Packet):
    """An action frame: its category (the action's body follows)."""

    name = "802.11 Action"
    fields_desc = (ByteEnumField("category", 0x00, ACTION_CATEGORIES),)


class Dot11WNM(Packet):
    """A wireless network management action: its code."""

    name = "802.11 WNM Action"
    fields_desc = (ByteEnumField("action", 0x00, WNM_ACTIONS),)


class SubelemTLV(Packet):
    """An optional subelement: type, length, bytes."""

    name = "SubelemTLV"
    fields_desc = (
        ByteField("type", 0),
        LEFieldLenField("len", None, fmt="B", length_of="value"),
        FieldListField("value", [], ByteField("", 0), length_from=lambda p: p.len),
    )


class BSSTerminationDuration(_Alone):
    """When the BSS terminates (TSF) and for how long (minutes)."""

    name = "BSS Termination Duration"
    fields_desc = (ByteField("id", 4), ByteField("len", 10), LELongField("TSF", 0),
                   LEShortField("duration", 0))


class NeighborReport(_Body):
    """A neighbor report: BSSID, its information bits, operating class, channel, PHY."""

    name = "Neighbor Report"
    fields_desc = (
        ByteField("type", 0), ByteField("len", 13), MACField("BSSID", _ETHER_ANY),
        BitField("AP_reach", 0, 2, tot_size=-4), BitField("security", 0, 1),
        BitField("key_scope", 0, 1), BitField("capabilities", 0, 6),
        BitField("mobility", 0, 1), BitField("HT", 0, 1), BitField("VHT", 0, 1),
        BitField("FTM", 0, 1), BitField("reserved", 0, 18, end_tot_size=-4),
        ByteField("op_class", 0), ByteField("channel", 0), ByteField("phy_type", 0),
        ConditionalField(PacketListField("subelems", SubelemTLV(), SubelemTLV,
                                         length_from=lambda p: p.len - 13),
                         lambda p: p.len > 13),
    )


def _mode(p: Any, bit: str) -> bool:
    """Whether the request's mode has ``bit`` (by number: a fuzzed mode is a random int)."""
    return p.mode is not None and bool(int(p.mode) >> BTM_REQUEST_MODES.index(bit) & 1)


class Dot11BSSTMRequest(_Body):
    """A BSS transition management request (what the AP asks the station to do)."""

    name = "BSS Transition Management Request"
    fields_desc = (
        ByteField("token", 0), FlagsField("mode", 0, 8, BTM_REQUEST_MODES),
        LEShortField("disassociation_timer", 0), ByteField("validity_interval", 0),
        ConditionalField(PacketField("termination_duration", BSSTerminationDuration(),
                                     BSSTerminationDuration),
                         lambda p: _mode(p, "BSS_Termination_Included")),
        ConditionalField(ByteField("url_len", 0),
                         lambda p: _mode(p, "ESS_Disassociation_Imminent")),
        ConditionalField(StrLenField("url", b"", length_from=lambda p: p.url_len),
                         lambda p: _mode(p, "ESS_Disassociation_Imminent")),
        ConditionalField(PacketListField("neighbor_report", NeighborReport(), NeighborReport),
                         lambda p: _mode(p, "Preferred_Candidate_List_Included")),
    )


class Dot11BSSTMResponse(_Body):
    """A BSS transition management response: status, then the target or candidates."""

    name = "BSS Transition Management Response"
    fields_desc = (
        ByteField("token", 0), ByteEnumField("status", 0, BTM_STATUS_CODES),
        ByteField("termination_delay", 0),
        ConditionalField(MACField("target", _ETHER_ANY), lambda p: p.status == 0),
        ConditionalField(PacketListField("neighbor_report", NeighborReport(), NeighborReport),
                         lambda p: p.status == 6),
    )


class Dot11SpectrumManagement(Packet):
    """A spectrum management action: its code."""

    name = "802.11 Spectrum Management Action"
    fields_desc = (ByteEnumField("action", 0x00, {
        0x00: "Measurement Request", 0x01: "Measurement Report", 0x02: "TPC Request",
        0x03: "TPC Report", 0x04: "Channel Switch Announcement"}),)


class Dot11CSA(Packet):
    """A channel switch announcement frame: its CSA element."""

    name = "Channel Switch Announcement Frame"
    fields_desc = (PacketField("CSA", Dot11EltCSA(), Dot11EltCSA),)


class Dot11RadioMeasurement(Packet):
    """A radio measurement action: its code."""

    name = "802.11 Radio Measurement Action"
    fields_desc = (ByteEnumField("action", 0x00, dict(enumerate((
        "Radio Measurement Request", "Radio Measurement Report", "Link Measurement Request",
        "Link Measurement Report", "Neighbor Report Request",
        "Neighbor Report Response")))),)


class Dot11RadioMeasurementBeaconRequest(_Alone):
    """The beacon measurement a station is asked for."""

    name = "802.11 Radio Measurement Beacon Request"
    fields_desc = (ByteField("op_class", 0), ByteField("channel", 0),
                   LEShortField("randomization_interval", 0),
                   LEShortField("measurement_duration", 0), ByteField("measurement_mode", 0),
                   MACField("BSSID", _ETHER_ANY))


def _is_beacon(p: Any) -> bool:
    return bool(p.measurement_request_type == 5)


class Dot11RadioMeasurementRequest(Packet):
    """A radio measurement request: its measurement request element (a beacon request is
    described, other types kept as bytes)."""

    name = "802.11 Radio Measurement Request"
    fields_desc = (
        ByteField("token", 0), LEShortField("repetitions", 0),
        ByteEnumField("ID", 38, _ID_ENUM), ByteField("len", 16),
        ByteField("measurement_token", 0),
        BitField("reserved", 0, 3), BitField("duration_mandatory", 0, 1),
        BitField("report", 0, 1), BitField("request", 0, 1), BitField("enable", 0, 1),
        BitField("parallel", 0, 1),
        ByteEnumField("measurement_request_type", 5, _MEASUREMENT_TYPES),
        ConditionalField(PacketField("measurement_request",
                                     Dot11RadioMeasurementBeaconRequest(),
                                     Dot11RadioMeasurementBeaconRequest), _is_beacon),
        ConditionalField(StrLenField("measurement_request_data", b"",
                                     length_from=lambda p: max(p.len - 3, 0)),
                         lambda p: not _is_beacon(p)),
        ConditionalField(PacketListField("subelems", [], SubelemTLV,
                                         length_from=lambda p: max(p.len - 16, 0)),
                         lambda p: _is_beacon(p) and p.len > 16),
    )


class Dot11RadioMeasurementBeaconReport(_Alone):
    """A beacon measured: when, how well, from which BSS."""

    name = "802.11 Radio Measurement Beacon Report"
    fields_desc = (
        ByteField("op_class", 0), ByteField("channel", 0),
        LELongField("measurement_start_time", 0), LEShortField("measurement_duration", 0),
        BitField("reported_frame_type", 0, 1), BitField("condensed_phy", 0, 7),
        ByteField("RCPI", 0), ByteField("RSNI", 0), MACField("BSSID", _ETHER_ANY),
        ByteField("antenna_id", 0), LEIntField("parent_tsf", 0),
    )


def _beacon_report(p: Any) -> bool:
    return bool(p.measurement_report_type == 5 and p.late == 0 and p.incapable == 0
                and p.refused == 0)


class Dot11RadioMeasurementReport(Packet):
    """A radio measurement report: its measurement report element (a successful beacon
    report is described, others kept as bytes)."""

    name = "802.11 Radio Measurement Report"
    fields_desc = (
        ByteField("token", 0), ByteEnumField("ID", 39, _ID_ENUM), ByteField("len", 29),
        ByteField("measurement_token", 0),
        BitField("reserved", 0, 5), BitField("refused", 0, 1), BitField("incapable", 0, 1),
        BitField("late", 0, 1),
        ByteEnumField("measurement_report_type", 5, _MEASUREMENT_TYPES),
        ConditionalField(PacketField("measurement_report",
                                     Dot11RadioMeasurementBeaconReport(),
                                     Dot11RadioMeasurementBeaconReport), _beacon_report),
        ConditionalField(StrLenField("measurement_report_data", b"",
                                     length_from=lambda p: max(p.len - 3, 0)),
                         lambda p: not _beacon_report(p)),
        ConditionalField(PacketListField("subelems", [], SubelemTLV,
                                         length_from=lambda p: max(p.len - 29, 0)),
                         lambda p: _beacon_report(p) and p.len > 29),
    )


def _register() -> None:
    from paquet.packet import registry

    registry.bind_layers(Dot11Action, Dot11SpectrumManagement, category=0x00)
    registry.bind_layers(Dot11SpectrumManagement, Dot11CSA, action=4)
    registry.bind_layers(Dot11Action, Dot11WNM, category=0x0A)
    registry.bind_layers(Dot11WNM, Dot11BSSTMRequest, action=7)
    registry.bind_layers(Dot11WNM, Dot11BSSTMResponse, action=8)
    registry.bind_layers(Dot11Action, Dot11RadioMeasurement, category=0x05)
    registry.bind_layers(Dot11RadioMeasurement, Dot11RadioMeasurementRequest, action=0)
    registry.bind_layers(Dot11RadioMeasurement, Dot11RadioMeasurementReport, action=1)


_register()
