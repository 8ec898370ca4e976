"""NTP v1-v4 (RFC 5905, RFC 1305, RFC 9327), with Scapy's classes, names, defaults and bytes.

``NTP(data)`` is the class the mode bits name, as Scapy's dispatcher: ``NTPHeader`` for modes
1-5 (client, server, broadcast...), ``NTPControl`` for mode 6 (control messages, with their
status words and data), ``NTPPrivate`` for mode 7 (ntpd's private messages, in
:mod:`paquet.layers.ntp_private`); ``NTP()`` alone is an ``NTPHeader``. After a header come
the extension fields (``NTPExtensions``) and the authenticator (``NTPAuthenticator``, key id
and digest), told apart by their length as Scapy does. Timestamps are Scapy's
``TimeStampField``: 64-bit fixed point, seconds since 1900, shown as a date; ``orig`` and
``sent`` left None are the current time when built. Bound to UDP port 123.

>>> p = NTP(bytes(NTPHeader(sent=0, orig=0)))
>>> type(p).__name__, p.mode, p.version, p.summary()
('NTPHeader', 3, 4, 'NTP v4, client')
>>> NTP(b"\\x16\\x01\\x00\\x0c" + bytes(8)).__class__.__name__
'NTPControl'
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import DISSECTED, Packet, Raw
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import BitField, IntField, ShortField
from paquet.packet.intfields import SignedByteField
from paquet.packet.strfields import StrFixedLenEnumField, StrLenField, XStrField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    MayEnd,
    MultipleTypeField,
    PacketField,
    PacketListField,
    PadField,
)

__all__ = [
    "NTP",
    "FixedPointField",
    "NTPAuthenticator",
    "NTPClockStatusPacket",
    "NTPControl",
    "NTPControlStatusField",
    "NTPErrorStatusPacket",
    "NTPExtPacketListField",
    "NTPExtension",
    "NTPExtensions",
    "NTPHeader",
    "NTPPeerStatusDataPacket",
    "NTPPeerStatusPacket",
    "NTPSystemStatusPacket",
    "TimeStampField",
]

#: Seconds from 1900-01-01 (NTP's era 0) to 1970-01-01 (Unix time).
NTP_BASETIME = 2208988800
_AUTH_TAIL = 20  # key id and an MD5 digest
_MIN_SIZE = 8  # the shortest NTP message (ntpd's private mode)


class FixedPointField(BitField):
    """A fixed-point number of ``size`` bits, ``frac_bits`` of them after the point (Scapy's):
    stored as the raw integer, given and read as a number (an exact ``EDecimal``).

    >>> f = FixedPointField("delay", 0, 32, 16)
    >>> f.any2i(None, 1.5), f.i2h(None, 0x18000), f.i2repr(None, 0x18000)
    (98304, Decimal('1.5'), '1.5')
    """

    fast = False
    converts = True

    def __init__(self, name: str, default: Any, size: int, frac_bits: int = 16) -> None:
        self.frac_bits = frac_bits
        super().__init__(name, default, size)

    def any2i(self, pkt: Any, val: Any) -> Any:
        """A number as the raw fixed-point integer."""
        if val is None:
            return None
        ival = int(val)
        return (ival << self.frac_bits) | int((val - ival) * 2 ** self.frac_bits)

    def i2h(self, pkt: Any, val: Any) -> Any:
        """The raw integer as an exact decimal number."""
        if val is None:
            return None
        from paquet.edecimal import EDecimal

        val = int(val)
        frac = EDecimal(val & ((1 << self.frac_bits) - 1)) / (2.0 ** self.frac_bits)
        digits = len(str(2 ** self.frac_bits)) - 1  # int(log10(2 ** frac_bits))
        return (val >> self.frac_bits) + frac.normalize(digits)

    def i2repr(self, pkt: Any, val: Any) -> str:
        """The number, in decimal."""
        return str(self.i2h(pkt, val))


class TimeStampField(FixedPointField):
    """An NTP timestamp (64 bits, 32 after the point, seconds since 1900), shown as a UTC
    date (Scapy's); a date given as text (``time.ctime`` form) or a datetime is converted;
    None builds as the current time."""

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, 64, 32)

    def i2repr(self, pkt: Any, val: Any) -> str:
        """``--`` for None, the number before 1970, else the date."""
        if val is None:
            return "--"
        v = self.i2h(pkt, val)
        if v < NTP_BASETIME:
            return str(v)
        return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(int(v - NTP_BASETIME)))

    def any2i(self, pkt: Any, val: Any) -> Any:
        """Text (``time.ctime``'s form, local time) or a datetime, as NTP time."""
        import datetime

        if isinstance(val, str):
            val = int(time.mktime(time.strptime(val))) + NTP_BASETIME
        elif isinstance(val, datetime.datetime):
            val = int(val.strftime("%s")) + NTP_BASETIME
        return super().any2i(pkt, val)

    def i2m(self, pkt: Any, val: Any) -> Any:
        """None: the current time."""
        if val is None:
            val = FixedPointField.any2i(self, pkt, time.time() + NTP_BASETIME)
        return super().i2m(pkt, val)


class _Cond(ConditionalField):
    """A ConditionalField whose random value (``fuzz``) is its field's (Scapy's)."""

    def randval(self) -> Any:
        return self.fld.randval()


LEAP_INDICATORS = {
    0: "no warning", 1: "last minute of the day has 61 seconds",
    2: "last minute of the day has 59 seconds", 3: "unknown (clock unsynchronized)",
}
NTP_MODES = {
    0: "reserved", 1: "symmetric active", 2: "symmetric passive", 3: "client", 4: "server",
    5: "broadcast", 6: "NTP control message", 7: "reserved for private use",
}
#: Reference identifiers of stratum 1 servers (RFC 5905 section 7.3).
REFERENCE_IDS = {
    b"GOES": "Geosynchronous Orbit Environment Satellite", b"GPS ": "Global Position System",
    b"GAL ": "Galileo Positioning System", b"PPS ": "Generic pulse-per-second",
    b"IRIG": "Inter-Range Instrumentation Group",
    b"WWVB": "LF Radio WWVB Ft. Collins, CO 60 kHz",
    b"DCF ": "LF Radio DCF77 Mainflingen, DE 77.5 kHz",
    b"HBG ": "LF Radio HBG Prangins, HB 75 kHz", b"MSF ": "LF Radio MSF Anthorn, UK 60 kHz",
    b"JJY ": "LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz",
    b"LORC": "MF Radio LORAN C station, 100 kHz", b"TDF ": "MF Radio Allouis, FR 162 kHz",
    b"CHU ": "HF Radio CHU Ottawa, Ontario", b"WWV ": "HF Radio WWV Ft. Collins, CO",
    b"WWVH": "HF Radio WWVH Kauai, HI", b"NIST": "NIST telephone modem",
    b"ACTS": "NIST telephone modem", b"USNO": "USNO telephone modem",
    b"PTB ": "European telephone modem",
}


#: The classes of the modes that are not NTPHeader's: 6 (below) and 7 (ntp_private.py).
MODE_CLASSES: dict[int, type[Packet]] = {}


def _ntp_class(data: bytes | None) -> type[Packet]:
    """The class of an NTP message (Scapy's dispatcher): by the mode bits; Raw if shorter
    than 8 bytes; NTPHeader when there are no bytes."""
    if not data:
        return NTPHeader
    if len(data) < _MIN_SIZE:
        return Raw
    return MODE_CLASSES.get(data[0] & 7, NTPHeader)


class NTP(Packet):
    """The NTP family's base class: ``NTP(data)`` is the class the mode names, ``NTP()``
    an ``NTPHeader``. ``NTP in pkt`` finds any of them (``match_subclass``)."""

    match_subclass = True

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is NTP and not (args and args[0]) and not kwargs.get("_pkt"):
            cls = NTPHeader
        return super().__new__(cls)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The family member the mode bits name (see the module)."""
        if cls is not NTP:
            return cls
        return _ntp_class(data[start:end])

    def mysummary(self) -> str:
        """``NTP v4, client``: the version and the mode's name (Scapy's)."""
        f = self._fieldmap.get("mode")
        mode = f.i2repr(self, self.mode) if f is not None else self.mode
        return f"NTP v{self.version}, {mode}"


class NTPAuthenticator(Packet):
    """The authenticator (RFC 5905 MAC): ``key_id`` and the digest ``dgst``."""

    name = "Authenticator"
    fields_desc = (IntField("key_id", 0), XStrField("dgst", b""))

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """Nothing follows an authenticator."""
        return b"", s


class NTPExtension(Packet):
    """An NTPv4 extension field (RFC 7822): ``type``, ``len``, ``value`` padded to 4 bytes."""

    name = "extension"
    fields_desc = (
        ShortField("type", 0),
        ShortField("len", 0),
        PadField(PacketField("value", b"", Packet), align=4, padwith=b"\x00"),
    )


class NTPExtPacketListField(PacketListField):
    """The extension fields before the last 20 bytes (Scapy's): each as long as its
    ``len`` says (the rest when 0), an ``NTPExtension`` from 16 bytes on, else Raw."""

    def m2i(self, pkt: Any, m: bytes) -> Any:
        return NTPExtension(m) if len(m) >= 16 else Raw(m)

    def getfield(self, pkt: Any, s: bytes) -> tuple[Any, Any]:
        lst: list[Any] = []
        if len(s) <= _AUTH_TAIL:
            return s, lst
        exts, remain = s[:-_AUTH_TAIL], s[-_AUTH_TAIL:]
        while len(exts) >= 16:
            n = min(int.from_bytes(exts[2:4], "big"), len(exts)) or len(exts)
            lst.append(self.m2i(pkt, exts[:n]))
            exts = exts[n:]
        if exts:
            lst.append(self.m2i(pkt, exts))
        return remain, lst

    def type_name(self) -> str:
        return "NTPExtPacketListField"


class NTPExtensions(Packet):
    """NTPv4 extension fields then the MAC (``extensions``, ``mac``)."""

    name = "NTPv4 extensions"
    fields_desc = (
        NTPExtPacketListField("extensions", [], Packet),
        PacketField("mac", NTPAuthenticator(), NTPAuthenticator),
    )


class NTPHeader(NTP):
    """The NTP packet of modes 1 to 5 (RFC 5905 figure 8), 48 bytes: ``leap``, ``version``
    (4), ``mode`` (3, client), ``stratum`` (2), ``poll``, ``precision``, ``delay``,
    ``dispersion`` (fixed point), ``id`` (an address, stratum > 1) or ``ref_id`` (four
    characters, stratum 0 or 1), then the timestamps ``ref``, ``orig``, ``recv``, ``sent``."""

    name = "NTPHeader"
    fields_desc = (
        BitEnumField("leap", 0, 2, LEAP_INDICATORS),
        BitField("version", 4, 3),
        BitEnumField("mode", 3, 3, NTP_MODES),
        BitField("stratum", 2, 8),
        SignedByteField("poll", 0xA),
        SignedByteField("precision", 0),
        FixedPointField("delay", 0, size=32, frac_bits=16),
        FixedPointField("dispersion", 0, size=32, frac_bits=16),
        _Cond(IPField("id", "127.0.0.1"), lambda p: p.stratum > 1),
        _Cond(StrFixedLenEnumField("ref_id", b"", length=4, enum=REFERENCE_IDS),
                         lambda p: p.stratum < 2),
        TimeStampField("ref", 0),
        TimeStampField("orig", None),
        TimeStampField("recv", 0),
        TimeStampField("sent", None),
    )

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        """An authenticator after the header (a key id and a digest of 16, 20, 32, 48 or 64
        bytes: MD5, SHA-1, SHA-256, SHA-384, SHA-512), or extension fields then one (Scapy's
        rule)."""
        n = len(payload)
        if n - 4 in (16, 20, 32, 48, 64):
            return NTPAuthenticator
        if n > _AUTH_TAIL:
            return NTPExtensions
        return Packet.guess_payload_class(self, payload, 0, n)


# ----------------------------------------------------------------------------- control (mode 6)

CONTROL_OPCODES = {
    0: "CTL_OP_UNSPEC", 1: "CTL_OP_READSTAT", 2: "CTL_OP_READVAR", 3: "CTL_OP_WRITEVAR",
    4: "CTL_OP_READCLOCK", 5: "CTL_OP_WRITECLOCK", 6: "CTL_OP_SETTRAP", 7: "CTL_OP_ASYNCMSG",
    8: "CTL_OP_CONFIGURE", 9: "CTL_OP_SAVECONFIG", 10: "CTL_OP_READ_MRU",
    11: "CTL_OP_READ_ORDLIST_A", 12: "CTL_OP_REQ_NONCE", 31: "CTL_OP_UNSETTRAP",
}
_SYSTEM_STATUSES = {
    0: "no warning", 1: "last minute was 61 seconds", 2: "last minute was 59 seconds",
    3: "alarm condition (clock not synchronized)",
}
_CLOCK_SOURCES = {
    0: "unspecified or unknown", 1: " Calibrated atomic clock",
    2: "VLF (band 4) or LF (band 5) radio", 3: "HF (band 7) radio",
    4: "UHF (band 9) satellite", 5: "local net", 6: "UDP/NTP", 7: "UDP/TIME",
    8: "eyeball-and-wristwatch", 9: "telephone modem",
}
_SYSTEM_EVENTS = {
    0: "unspecified", 1: "system restart", 2: "system or hardware fault",
    3: "system new status word (leap bits or synchronization change)",
    4: "system new synchronization source or stratum (sys.peer or sys.stratum change)",
    5: "system clock reset (offset correction exceeds CLOCK.MAX)",
    6: "system invalid time or date", 7: "system clock exception",
}
_PEER_SELECTION = {
    0: "rejected", 1: "passed sanity checks", 2: "passed correctness checks",
    3: "passed candidate checks", 4: "passed outlyer checks",
    5: "current synchronization source; max distance exceeded",
    6: "current synchronization source; max distance okay", 7: "reserved",
}
_PEER_EVENTS = {
    0: "unspecified", 1: "peer IP error", 2: "peer authentication failure",
    3: "peer unreachable", 4: "peer reachable", 5: "peer clock exception",
}
_CLOCK_STATUSES = {
    0: "clock operating within nominals", 1: "reply timeout", 2: "bad reply format",
    3: "hardware or software fault", 4: "propagation failure",
    5: "bad date format or value", 6: "bad time format or value",
}
_ERROR_STATUSES = {
    0: "unspecified", 1: "authentication failure", 2: "invalid message length or format",
    3: "invalid opcode", 4: "unknown association identifier", 5: "unknown variable name",
    6: "invalid variable value", 7: "administratively prohibited",
}


class _Word(Packet):
    """A 16-bit status word inside a control message (no payload)."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class NTPSystemStatusPacket(_Word):
    """System status word: leap indicator, clock source, event counter and code."""

    name = "system status"
    fields_desc = (
        BitEnumField("leap_indicator", 0, 2, _SYSTEM_STATUSES),
        BitEnumField("clock_source", 0, 6, _CLOCK_SOURCES),
        BitField("system_event_counter", 0, 4),
        BitEnumField("system_event_code", 0, 4, _SYSTEM_EVENTS),
    )


class NTPPeerStatusPacket(_Word):
    """Peer status word: configured, auth_enabled, authentic, reachability, reserved,
    peer_sel, event counter and code."""

    name = "peer status"
    fields_desc = (
        BitField("configured", 0, 1),
        BitField("auth_enabled", 0, 1),
        BitField("authentic", 0, 1),
        BitField("reachability", 0, 1),
        BitField("reserved", 0, 1),
        BitEnumField("peer_sel", 0, 3, _PEER_SELECTION),
        BitField("peer_event_counter", 0, 4),
        BitEnumField("peer_event_code", 0, 4, _PEER_EVENTS),
    )


class NTPClockStatusPacket(_Word):
    """Clock status word: clock_status and code."""

    name = "clock status"
    fields_desc = (BitEnumField("clock_status", 0, 8, _CLOCK_STATUSES), BitField("code", 0, 8))


class NTPErrorStatusPacket(_Word):
    """Error status word: error_code and reserved."""

    name = "error status"
    fields_desc = (BitEnumField("error_code", 0, 8, _ERROR_STATUSES), BitField("reserved", 0, 8))


class NTPPeerStatusDataPacket(_Word):
    """An association and its peer status (the data of a READSTAT response)."""

    name = "data / peer status"
    fields_desc = (
        ShortField("association_id", 0),
        PacketField("peer_status", NTPPeerStatusPacket(), NTPPeerStatusPacket),
    )


class NTPControlStatusField(PacketField):
    """The status word of a control response, of the kind the message says (RFC 9327):
    error status when ``err``, clock status for the clock opcodes, peer status for an
    association, else system status."""

    def m2i(self, pkt: Any, m: bytes) -> Any:
        if pkt.err == 1:
            return NTPErrorStatusPacket(m)
        if pkt.op_code in (4, 5):
            return NTPClockStatusPacket(m)
        if int.from_bytes(m[2:4], "big") != 0:
            return NTPPeerStatusPacket(m)
        return NTPSystemStatusPacket(m)

    def type_name(self) -> str:
        return "NTPControlStatusField"


class _StatusField(MultipleTypeField):
    """The status of a control message: a response's status word left unset is the layer's
    own copy of the default (``pkt.status.clock_source = 6`` changes it), as in Scapy."""

    def _find_fld_pkt(self, pkt: Any) -> Any:
        fld = super()._find_fld_pkt(pkt)
        own = pkt.__dict__.get("status") if pkt is not None else None
        if isinstance(fld.default, Packet) and isinstance(own, Packet) and own is not fld.default:
            import copy

            fld = copy.copy(fld)
            fld.default = own
        return fld


class _AuthField(PacketField):
    """The authenticator of a control message: absent unless set (``fuzz`` leaves it so)."""

    def randval(self) -> Any:
        return None

    def type_name(self) -> str:
        return "PacketField"


class NTPControl(NTP):
    """A mode 6 control message (RFC 9327): ``version`` 2, ``response``, ``err``, ``more``,
    ``op_code``, ``sequence``, ``status`` (a number in requests, a status word in
    responses), ``association_id``, ``offset``, ``count``, ``data`` (padded to 4 bytes; the
    peers' status words for a READSTAT response) and an optional ``authenticator``."""

    name = "NTP Control message"
    deprecated_fields: ClassVar[dict[str, tuple[str, str]]] = {"status_word": ("status", "2.6.2")}
    fields_desc = (
        BitEnumField("leap", 0, 2, LEAP_INDICATORS),
        BitField("version", 2, 3),
        BitEnumField("mode", 6, 3, NTP_MODES),
        BitField("response", 0, 1),
        BitField("err", 0, 1),
        BitField("more", 0, 1),
        BitEnumField("op_code", 0, 5, CONTROL_OPCODES),
        ShortField("sequence", 0),
        _StatusField(
            [(ShortField("status", 0), lambda p: p.response == 0 or p.op_code in (6, 7))],
            NTPControlStatusField("status", NTPSystemStatusPacket(), None),
        ),
        ShortField("association_id", 0),
        ShortField("offset", 0),
        FieldLenField("count", None, length_of="data"),
        MayEnd(PadField(MultipleTypeField(
            [(PacketListField("data", b"", NTPPeerStatusDataPacket,
                              length_from=lambda p: p.count),
              lambda p: p.response and p.op_code == 1 and p.association_id == 0)],
            StrLenField("data", b"", length_from=lambda p: p.count),
        ), align=4)),
        _AuthField("authenticator", b"", NTPAuthenticator),
    )

    @property
    def status(self) -> Any:
        """The status: a number in requests, a status word (a copy of the default, when
        unset) in responses, as the message's kind says (Scapy's MultipleTypeField)."""
        d = self.__dict__
        if self.is_set("status"):
            return d["status"]
        fld = self._fieldmap["status"]._find_fld_pkt(self)  # type: ignore[attr-defined]
        if isinstance(fld.default, Packet):
            if not isinstance(d["status"], Packet) or d["status"] is fld.default:
                d["status"] = fld.default.copy()
            return d["status"]
        return fld.default

    def _display_value(self, name: str) -> Any:
        """The status word left unset shows the kind of status the message carries."""
        if name == "status":
            return self.status
        return super()._display_value(name)

    def _repr_fields(self) -> tuple[Any, ...]:
        """A dissected message without an authenticator does not list it (Scapy's)."""
        fields = super()._repr_fields()
        if self.__dict__["_explicit"] is DISSECTED and not self.__dict__["authenticator"]:
            return tuple(f for f in fields if f.name != "authenticator")
        return fields


MODE_CLASSES[6] = NTPControl


def _register() -> None:
    from paquet.layers.udp import UDP
    from paquet.number_enums import Port

    port = int(Port.ntp)
    registry.bind_layers(UDP, NTP, sport=port)
    registry.bind_layers(UDP, NTP, dport=port)
    registry.bind_layers(UDP, NTP, sport=port, dport=port)


_register()
