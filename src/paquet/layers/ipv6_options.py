"""Hop-by-hop and destination options (RFC 8200 §4.2), with Scapy's classes: :class:`Pad1`,
:class:`PadN`, :class:`RouterAlert` (RFC 2711), :class:`RplOption` (RFC 6553), :class:`Jumbo`
(RFC 2675), :class:`HAO` (the home address, RFC 6275) and :class:`HBHOptUnknown` for any
other (its type, length and data kept).

The options of an ``IPv6ExtHdrHopByHop`` or ``IPv6ExtHdrDestOpt`` are a list of these;
with ``autopad`` on (the default) each option is aligned as its RFC asks and the header
padded to 8 bytes with Pad1/PadN, as Scapy does. An option whose bytes are not its class's
whole fields is kept as :class:`HBHOptUnknown`.

>>> from paquet.layers.ipv6 import IPv6ExtHdrHopByHop
>>> bytes(IPv6ExtHdrHopByHop(options=[RouterAlert()]))
b';\\x00\\x05\\x02\\x00\\x00\\x01\\x00'
>>> [o.jumboplen for o in IPv6ExtHdrHopByHop(bytes(IPv6ExtHdrHopByHop(
...     options=[Jumbo(jumboplen=70000)]))).options]
[70000]
"""

from __future__ import annotations

import struct
from typing import Any, ClassVar

from paquet.errors import DecodeError
from paquet.packet.base import Malformed, Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    FieldError,
    IntField,
    XByteField,
    XShortField,
)
from paquet.packet.strfields import StrField
from paquet.packet.structfields import ListField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "HAO",
    "HBH_OPTIONS",
    "HBHOptUnknown",
    "Jumbo",
    "Pad1",
    "PadN",
    "RouterAlert",
    "RplOption",
    "decode_options",
    "encode_options",
]

# Hop-by-hop and destination option types (RFC 8200 §4.2, IANA), named as Scapy does.
HBH_OPTIONS = {
    0x00: "Pad1",
    0x01: "PadN",
    0x04: "Tunnel Encapsulation Limit",
    0x05: "Router Alert",
    0x06: "Quick-Start",
    0xC2: "Jumbo Payload",
    0xC9: "Home Address Option",
}


class _OTypeField(ByteEnumField):
    """An option type, shown with what a node that does not know it does (Scapy's)."""

    __slots__ = ()
    _POLICY: ClassVar[dict[int, str]] = {
        0x00: "00: skip", 0x40: "01: discard", 0x80: "10: discard+ICMP",
        0xC0: "11: discard+ICMP not mcast",
    }
    _CHANGE: ClassVar[dict[int, str]] = {
        0x00: "0: Don't change en-route", 0x20: "1: May change en-route",
    }

    def __init__(self, name: str, default: int) -> None:
        super().__init__(name, default, HBH_OPTIONS)

    def i2repr(self, value: Any) -> str:
        if not isinstance(value, int):
            return repr(value)
        label = HBH_OPTIONS.get(value, repr(value))
        return f"{label} [{self._POLICY[value & 0xC0]}, {self._CHANGE[value & 0x20]}]"


class Pad1(Packet):
    """The one-byte padding option (type 0)."""

    name = "Pad1"
    fields_desc = (_OTypeField("otype", 0x00),)

    def self_build(self) -> bytes:
        return bytes([self.__dict__["otype"] & 0xFF])

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 1:
            raise Malformed(off, "a one-byte option")
        self.__dict__["otype"] = data[off]
        return off + 1

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        return hend  # an option has no payload: what follows is padding, as in Scapy


class _TLVOption(Packet):
    """An option as type, length, data (``optlen`` None: the length of ``optdata``)."""

    fields_desc = (
        _OTypeField("otype", 0x01),
        ByteField("optlen", None),
        StrField("optdata", b""),
    )

    def self_build(self) -> bytes:
        d = self.__dict__
        data = d["optdata"] or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        length = d["optlen"]
        if length is None:
            length = len(data)
        try:
            return struct.pack("!BB", d["otype"], length) + bytes(data)
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 2:
            raise Malformed(off, f"an option type and length, {end - off} left")
        d = self.__dict__
        d["otype"], d["optlen"] = data[off], data[off + 1]
        stop = off + 2 + d["optlen"]
        if stop > end:  # kept as far as it goes, as Scapy's; the rest is said missing
            self.add_error(DecodeError(self.name, off + 1,
                                       f"{d['optlen']} option bytes, {end - off - 2} left"))
            stop = end
        d["optdata"] = data[off + 2 : stop]
        return int(stop)

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        return hend  # an option has no payload: what follows is padding, as in Scapy


class PadN(_TLVOption):
    """The padding option of N bytes (type 1): ``optdata`` zeros."""

    name = "PadN"


class HBHOptUnknown(_TLVOption):
    """Any other option, kept as type, length and data (Scapy's unknown option class)."""

    name = "Scapy6 Unknown Option"


_ROUTER_ALERT_VALUES = {
    0: "Datagram contains a MLD message",
    1: "Datagram contains RSVP message",
    2: "Datagram contains an Active Network message",
    68: "NSIS NATFW NSLP",
    69: "MPLS OAM",
    65535: "Reserved",
}


def _align(pos: int, x: int, y: int) -> int:
    """The padding that puts an option at ``x * n + y`` bytes from the header's start."""
    return x * ((pos - y + x - 1) // x) + y - pos


class _FixedOption(Packet):
    """An option of fixed fields (no payload: what follows is the next option)."""

    #: The alignment the option's RFC asks for: ``x * n + y`` (none by default).
    ALIGN: ClassVar[tuple[int, int]] = (1, 0)

    def alignment_delta(self, curpos: int) -> int:
        """The padding needed before this option at ``curpos`` bytes from the header's start
        (Scapy's)."""
        return _align(curpos, *self.ALIGN)

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class RouterAlert(_FixedOption):
    """Router alert (type 5, RFC 2711): routers look at the datagram (MLD, RSVP)."""

    name = "Router Alert"
    ALIGN = (2, 0)
    fields_desc = (
        _OTypeField("otype", 0x05),
        ByteField("optlen", 2),
        ShortEnumField("value", None, _ROUTER_ALERT_VALUES),
    )


class RplOption(_FixedOption):
    """RPL option (type 0x63, RFC 6553): the RPL instance and rank of the sender."""

    name = "RPL Option"
    ALIGN = (2, 0)
    fields_desc = (
        _OTypeField("otype", 0x63),
        ByteField("optlen", 4),
        BitField("Down", 0, 1),
        BitField("RankError", 0, 1),
        BitField("ForwardError", 0, 1),
        BitField("unused", 0, 5),
        XByteField("RplInstanceId", 0),
        XShortField("SenderRank", 0),
    )


class Jumbo(_FixedOption):
    """Jumbo payload (type 0xC2, RFC 2675): the length of a payload over 65,535 bytes."""

    name = "Jumbo Payload"
    ALIGN = (4, 2)
    fields_desc = (
        _OTypeField("otype", 0xC2),
        ByteField("optlen", 4),
        IntField("jumboplen", None),
    )


class HAO(_FixedOption):
    """Home address (type 0xC9, RFC 6275): the mobile node's home address ``hoa``."""

    name = "Home Address Option"
    ALIGN = (8, 6)
    fields_desc = (
        _OTypeField("otype", 0xC9),
        ByteField("optlen", 16),
        IP6Field("hoa", "::"),
    )


#: The options dissected by their own class, by type (the others: HBHOptUnknown).
_CLASSES: dict[int, type[Packet]] = {0x05: RouterAlert, 0x63: RplOption, 0xC2: Jumbo,
                                     0xC9: HAO}


def _option(otype: int, length: int, chunk: bytes) -> Packet:
    """The option of type ``otype`` whose bytes (type and length included) are ``chunk``."""
    if otype == 1:
        return PadN(otype=1, optlen=length, optdata=chunk[2:])
    cls = _CLASSES.get(otype)
    if cls is not None:
        o = cls(chunk)
        if not o.errors and len(o.self_build()) == len(chunk):
            return o
    return HBHOptUnknown(otype=otype, optlen=length, optdata=chunk[2:])


def _pad(n: int) -> bytes:
    """``n`` bytes of padding options: Pad1 for one byte, PadN otherwise."""
    if n == 0:
        return b""
    if n == 1:
        return b"\x00"
    return bytes((1, n - 2)) + b"\x00" * (n - 2)


def encode_options(options: Any, autopad: Any) -> bytes:
    """The wire form of hop-by-hop/destination options. With ``autopad``, each option is
    aligned as its RFC asks (``alignment_delta``: Jumbo 4n+2, HAO 8n+6...) and the whole is
    padded to 8 bytes, with Pad1 and PadN options, as Scapy does; a list that holds Pad1 or
    PadN options already (a dissected header's) is only padded at its end, so that a
    dissected header builds back as it came (Scapy would realign it)."""
    if not options:
        options = []
    elif isinstance(options, bytes | bytearray | Packet):
        options = [options]
    elif not isinstance(options, list | tuple):
        raise FieldError(f"IPv6 options must be a list of options, not {options!r}")
    pos = 2  # after the header's next header and length bytes
    parts = []
    # A list that has its own padding (dissected, or padded by hand) keeps its layout.
    align_each = autopad and not any(isinstance(o, Pad1 | PadN) for o in options)
    for o in options:
        if isinstance(o, Packet):
            if align_each:
                align = getattr(o, "alignment_delta", None)
                delta = align(pos) if align is not None else 0
                parts.append(_pad(delta))
                pos += delta
            ob = o.build()
        elif isinstance(o, bytes | bytearray):
            ob = bytes(o)
        else:
            raise FieldError(f"an IPv6 option must be an option layer or bytes, not {o!r}")
        parts.append(ob)
        pos += len(ob)
    if autopad:
        parts.append(_pad(-pos % 8))
    return b"".join(parts)


def decode_options(data: bytes) -> list[Packet] | bytes:
    """Options from their wire form; the bytes themselves when an option runs past the end."""
    out: list[Packet] = []
    i, n = 0, len(data)
    while i < n:
        t = data[i]
        if t == 0:
            out.append(Pad1(otype=0))
            i += 1
            continue
        if i + 1 >= n:
            return data
        length = data[i + 1]
        if i + 2 + length > n:
            return data
        chunk = data[i : i + 2 + length]
        out.append(_option(t, length, chunk))
        i += 2 + length
    return out


class _OptionsField(ListField):
    """Options of a hop-by-hop or destination header: a list of options, or raw bytes. The
    options are packets that ``pkt[Jumbo]`` finds, as Scapy's."""

    __slots__ = ()
    holds_packets = True

    def to_list(self, value: Any) -> Any:
        if isinstance(value, Packet):
            return [value]
        if isinstance(value, tuple):
            return list(value)
        return value

    def type_name(self) -> str:
        return "_OptionsField"


class _AutoPadField(Field):
    """Scapy's phantom ``autopad``: not on the wire; on, options are padded to 8 bytes."""

    __slots__ = ()

    def rfc_bits(self) -> int:
        return 8  # (Scapy's rfc() draws its phantom byte)

    def __init__(self) -> None:
        super().__init__("autopad", 1, None)

    def i2repr(self, value: Any) -> str:
        return "On" if value else "Off"

    def type_name(self) -> str:
        return "_PhantomAutoPadField"
