"""PPTP's control connection (RFC 2637) over TCP port 1723: the messages that set up the
calls whose PPP frames travel in GRE (:class:`paquet.layers.gre.GRE_PPTP`).

Every message starts with ``len``, ``type`` (1, control), the magic cookie 0x1A2B3C4D,
``ctrl_msg_type`` and a reserved short; :class:`PPTP` keeps the rest as ``data``, and a
message of a known type dissects as its class (``PPTPStartControlConnectionRequest``,
``PPTPEchoRequest``, ``PPTPOutgoingCallReply``...). Classes, names, defaults, bytes and
bindings are Scapy's (``scapy.layers.pptp``).

>>> p = PPTP(bytes(PPTPEchoRequest(identifier=7)))
>>> type(p).__name__, p.len, p.identifier
('PPTPEchoRequest', 16, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, IntEnumField, ShortEnumField
from paquet.packet.fields import Field, IntField, ShortField, XByteField, XIntField, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import FieldLenField, LenField

__all__ = [
    "PPTP", "PPTPCallClearRequest", "PPTPCallDisconnectNotify", "PPTPEchoReply",
    "PPTPEchoRequest", "PPTPIncomingCallConnected", "PPTPIncomingCallReply",
    "PPTPIncomingCallRequest", "PPTPOutgoingCallReply", "PPTPOutgoingCallRequest",
    "PPTPSetLinkInfo", "PPTPStartControlConnectionReply", "PPTPStartControlConnectionRequest",
    "PPTPStopControlConnectionReply", "PPTPStopControlConnectionRequest", "PPTPWANErrorNotify",
]

_PPTP_PORT = 1723
_MAGIC_COOKIE = 0x1A2B3C4D
_MSG_TYPES = {1: "Control Message", 2: "Managemenent Message"}  # (Scapy's spelling)
_CTRL_TYPES = {
    1: "Start-Control-Connection-Request", 2: "Start-Control-Connection-Reply",
    3: "Stop-Control-Connection-Request", 4: "Stop-Control-Connection-Reply",
    5: "Echo-Request", 6: "Echo-Reply", 7: "Outgoing-Call-Request", 8: "Outgoing-Call-Reply",
    9: "Incoming-Call-Request", 10: "Incoming-Call-Reply", 11: "Incoming-Call-Connected",
    12: "Call-Clear-Request", 13: "Call-Disconnect-Notify", 14: "WAN-Error-Notify",
    15: "Set-Link-Info"}
_ERRORS = {0: "None", 1: "Not-Connected", 2: "Bad-Format", 3: "Bad-Value", 4: "No-Resource",
           5: "Bad-Call ID", 6: "PAC-Error"}
_FRAMING_CAPS = ["Asynchronous Framing supported", "Synchronous Framing supported"]
_BEARER_CAPS = ["Analog access supported", "Digital access supported"]
_BEARER_TYPES = {1: "Analog channel", 2: "Digital channel", 3: "Any type of channel"}
_FRAMING_TYPES = {1: "Asynchronous framing", 2: "Synchronous framing",
                  3: "Any type of framing"}
_CALL_RESULTS = {1: "Connected", 2: "General error", 3: "No Carrier", 4: "Busy",
                 5: "No dial tone", 6: "Time-out", 7: "Do not accept"}


def _head(length: int, kind: int) -> tuple[Field, ...]:
    """The header every control message starts with (its length fixed by its type)."""
    return (LenField("len", length),
            ShortEnumField("type", 1, _MSG_TYPES),
            XIntField("magic_cookie", _MAGIC_COOKIE),
            ShortEnumField("ctrl_msg_type", kind, _CTRL_TYPES),
            XShortField("reserved_0", 0x0000))


class PPTP(Packet):
    """A PPTP control message of any type: the header and its ``data``; a known type
    dissects as its own class."""

    name = "PPTP"
    fields_desc: ClassVar[Sequence[Field]] = (
        FieldLenField("len", None, fmt="H", length_of="data", adjust=lambda p, x: x + 12),
        ShortEnumField("type", 1, _MSG_TYPES),
        XIntField("magic_cookie", _MAGIC_COOKIE),
        ShortEnumField("ctrl_msg_type", 1, _CTRL_TYPES),
        XShortField("reserved_0", 0x0000),
        StrLenField("data", b"", length_from=lambda p: p.len - 12),
    )
    #: The classes of the control message types (Scapy's ``registered_options``).
    registered_options: ClassVar[dict[int, type[PPTP]]] = {}

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the control message type (its low byte, ``data[9]``)."""
        if end - start > 9:
            return cls.registered_options.get(data[start + 9], cls)
        return cls


def _answers(kind: str, ours: str | None = None, theirs: str | None = None) -> Any:
    """An ``answers`` true for a message of class ``kind`` (whose ``theirs`` field equals our
    ``ours`` when given)."""

    def answers(self: Packet, other: Any) -> bool:
        if type(other).__name__ != kind:
            return False
        return ours is None or bool(getattr(other, theirs or ours) == getattr(self, ours))

    answers.__doc__ = f"True for a {kind}" + (f" whose {theirs} is our {ours}." if ours
                                                  else ".")
    return answers


def _message(cls_name: str, title: str, fields: tuple[Field, ...],
             answers: Any = None) -> type[PPTP]:
    ns: dict[str, Any] = {"name": title, "fields_desc": fields, "__module__": __name__,
                          "__doc__": f"PPTP's {title[5:]} (control message "
                                     f"{fields[3].default})."}
    if answers is not None:
        ns["answers"] = answers
    cls = type(cls_name, (PPTP,), ns)
    PPTP.registered_options[int(fields[3].default)] = cls
    return cls


_START_RESULTS = {1: "OK", 2: "General error", 3: "Command channel already exists",
                  4: "Not authorized", 5: "Unsupported protocol version"}
_CAPS = (FlagsField("framing_capabilities", 0, 32, _FRAMING_CAPS),
         FlagsField("bearer_capabilities", 0, 32, _BEARER_CAPS),
         ShortField("maximum_channels", 65535),
         ShortField("firmware_revision", 256),
         StrFixedLenField("host_name", b"linux", 64),
         StrFixedLenField("vendor_string", b"", 64))

PPTPStartControlConnectionRequest = _message(
    "PPTPStartControlConnectionRequest", "PPTP Start Control Connection Request",
    (*_head(156, 1), ShortField("protocol_version", 0x0100), XShortField("reserved_1", 0),
     *_CAPS))
PPTPStartControlConnectionReply = _message(
    "PPTPStartControlConnectionReply", "PPTP Start Control Connection Reply",
    (*_head(156, 2), ShortField("protocol_version", 0x0100),
     ByteEnumField("result_code", 1, _START_RESULTS), ByteEnumField("error_code", 0, _ERRORS),
     *_CAPS),
    _answers("PPTPStartControlConnectionRequest"))
PPTPStopControlConnectionRequest = _message(
    "PPTPStopControlConnectionRequest", "PPTP Stop Control Connection Request",
    (*_head(16, 3),
     ByteEnumField("reason", 1, {1: "None", 2: "Stop-Protocol", 3: "Stop-Local-Shutdown"}),
     XByteField("reserved_1", 0x00), XShortField("reserved_2", 0x0000)))
PPTPStopControlConnectionReply = _message(
    "PPTPStopControlConnectionReply", "PPTP Stop Control Connection Reply",
    (*_head(16, 4), ByteEnumField("result_code", 1, {1: "OK", 2: "General error"}),
     ByteEnumField("error_code", 0, _ERRORS), XShortField("reserved_2", 0x0000)),
    _answers("PPTPStopControlConnectionRequest"))
PPTPEchoRequest = _message(
    "PPTPEchoRequest", "PPTP Echo Request", (*_head(16, 5), IntField("identifier", None)))
PPTPEchoReply = _message(
    "PPTPEchoReply", "PPTP Echo Reply",
    (*_head(20, 6), IntField("identifier", None),
     ByteEnumField("result_code", 1, {1: "OK", 2: "General error"}),
     ByteEnumField("error_code", 0, _ERRORS), XShortField("reserved_1", 0x0000)),
    _answers("PPTPEchoRequest", "identifier"))
PPTPOutgoingCallRequest = _message(
    "PPTPOutgoingCallRequest", "PPTP Outgoing Call Request",
    (*_head(168, 7), ShortField("call_id", 1), ShortField("call_serial_number", 0),
     IntField("minimum_bps", 32768), IntField("maximum_bps", 2147483648),
     IntEnumField("bearer_type", 3, _BEARER_TYPES),
     IntEnumField("framing_type", 3, _FRAMING_TYPES),
     ShortField("pkt_window_size", 16), ShortField("pkt_proc_delay", 0),
     ShortField("phone_number_len", 0), XShortField("reserved_1", 0x0000),
     StrFixedLenField("phone_number", b"", 64), StrFixedLenField("subaddress", b"", 64)))
PPTPOutgoingCallReply = _message(
    "PPTPOutgoingCallReply", "PPTP Outgoing Call Reply",
    (*_head(32, 8), ShortField("call_id", 1), ShortField("peer_call_id", 1),
     ByteEnumField("result_code", 1, _CALL_RESULTS), ByteEnumField("error_code", 0, _ERRORS),
     ShortField("cause_code", 0), IntField("connect_speed", 100000000),
     ShortField("pkt_window_size", 16), ShortField("pkt_proc_delay", 0),
     IntField("channel_id", 0)),
    _answers("PPTPOutgoingCallRequest", "peer_call_id", "call_id"))
PPTPIncomingCallRequest = _message(
    "PPTPIncomingCallRequest", "PPTP Incoming Call Request",
    (*_head(220, 9), ShortField("call_id", 1), ShortField("call_serial_number", 1),
     IntEnumField("bearer_type", 3, _BEARER_TYPES), IntField("channel_id", 0),
     ShortField("dialed_number_len", 0), ShortField("dialing_number_len", 0),
     StrFixedLenField("dialed_number", b"", 64), StrFixedLenField("dialing_number", b"", 64),
     StrFixedLenField("subaddress", b"", 64)))
PPTPIncomingCallReply = _message(
    "PPTPIncomingCallReply", "PPTP Incoming Call Reply",
    (*_head(148, 10), ShortField("call_id", 1), ShortField("peer_call_id", 1),
     ByteEnumField("result_code", 1, _CALL_RESULTS), ByteEnumField("error_code", 0, _ERRORS),
     ShortField("pkt_window_size", 64), ShortField("pkt_transmit_delay", 0),
     XShortField("reserved_1", 0x0000)),
    _answers("PPTPIncomingCallRequest", "peer_call_id", "call_id"))
PPTPIncomingCallConnected = _message(
    "PPTPIncomingCallConnected", "PPTP Incoming Call Connected",
    (*_head(28, 11), ShortField("peer_call_id", 1), XShortField("reserved_1", 0x0000),
     IntField("connect_speed", 100000000), ShortField("pkt_window_size", 64),
     ShortField("pkt_transmit_delay", 0), IntEnumField("framing_type", 1, _FRAMING_TYPES)),
    _answers("PPTPIncomingCallReply", "peer_call_id", "call_id"))
PPTPCallClearRequest = _message(
    "PPTPCallClearRequest", "PPTP Call Clear Request",
    (*_head(16, 12), ShortField("call_id", 1), XShortField("reserved_1", 0x0000)))
PPTPCallDisconnectNotify = _message(
    "PPTPCallDisconnectNotify", "PPTP Call Disconnect Notify",
    (*_head(148, 13), ShortField("call_id", 1),
     ByteEnumField("result_code", 1, {1: "Lost Carrier", 2: "General error",
                                      3: "Admin Shutdown", 4: "Request"}),
     ByteEnumField("error_code", 0, _ERRORS), ShortField("cause_code", 0),
     XShortField("reserved_1", 0x0000), StrFixedLenField("call_statistic", b"", 128)))
PPTPWANErrorNotify = _message(
    "PPTPWANErrorNotify", "PPTP WAN Error Notify",
    (*_head(40, 14), ShortField("peer_call_id", 1), XShortField("reserved_1", 0x0000),
     IntField("crc_errors", 0), IntField("framing_errors", 0),
     IntField("hardware_overruns", 0), IntField("buffer_overruns", 0),
     IntField("time_out_errors", 0), IntField("alignment_errors", 0)))
PPTPSetLinkInfo = _message(
    "PPTPSetLinkInfo", "PPTP Set Link Info",
    (*_head(24, 15), ShortField("peer_call_id", 1), XShortField("reserved_1", 0x0000),
     XIntField("send_accm", 0x00000000), XIntField("receive_accm", 0x00000000)))


def _register() -> None:
    from paquet.layers.tcp import TCP

    registry.bind_layers(TCP, PPTP, sport=_PPTP_PORT)


_register()
