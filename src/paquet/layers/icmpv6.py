"""ICMPv6 (RFC 4443) and neighbour discovery (RFC 4861), with Scapy's class and field names.

One class per message, as in Scapy: :class:`ICMPv6EchoRequest`, :class:`ICMPv6EchoReply`, the
errors :class:`ICMPv6DestUnreach`, :class:`ICMPv6PacketTooBig`, :class:`ICMPv6TimeExceeded`,
:class:`ICMPv6ParamProblem` (which quote the datagram that caused them, dissected as
:class:`~paquet.layers.ipv6.IPerror6` and ``TCPerror``/``UDPerror``), the neighbour discovery
messages :class:`ICMPv6ND_RS`, :class:`ICMPv6ND_RA`, :class:`ICMPv6ND_NS`, :class:`ICMPv6ND_NA`
followed by their options (:class:`ICMPv6NDOptSrcLLAddr`, :class:`ICMPv6NDOptDstLLAddr`, the
others in :mod:`paquet.layers.icmpv6_nd`, any unknown one as :class:`ICMPv6NDOptUnknown`), and
:class:`ICMPv6Unknown` for every type no module registered. The other families register their
types with :func:`register_icmpv6_type` and their options with :func:`register_nd_option`:
:mod:`~paquet.layers.icmpv6_nd` (redirect), :mod:`~paquet.layers.icmpv6_mld` (MLD, MLDv2,
multicast router discovery), :mod:`~paquet.layers.icmpv6_ni` (node information),
:mod:`~paquet.layers.mip6` (home agent discovery, mobile prefixes).

The checksum field is ``cksum`` (Scapy's name); left to None it is computed over the IPv6
pseudo-header of the layer below (with a routing header's final destination), 0 when there is
no IPv6 layer below. Neighbour discovery messages put on an ``IPv6()`` set its ``hlim`` to 255
and its ``dst`` to the all-nodes (or all-routers) group unless the user set them, as Scapy does.

Matching follows Scapy: an echo reply answers the request with the same ``id``, ``seq`` and
``data``; a neighbour advertisement answers the solicitation for its ``tgt``; a router
advertisement answers a solicitation; an error (types 0 to 127) answers the probe its quote
matches. One difference: a message of a type with no class here is an :class:`ICMPv6Unknown`
(type, code, checksum checked, body), where Scapy leaves it as ``Raw``.
"""

from __future__ import annotations

import struct
from _socket import AF_INET6, inet_ntop
from collections.abc import Callable
from typing import Any

from paquet.errors import DecodeError
from paquet.layers.ipv6 import (
    IP6Field,
    IPerror6,
    IPv6,
    _IPv6ExtHdr,
    ip6_bytes,
    register_icmpv6_dispatch,
)
from paquet.layers.ipv6_fields import NDOptDataField
from paquet.layers.udp import transport_checksum
from paquet.numbers import ICMPV6_PARAM_CODES as _PARAM_CODES
from paquet.numbers import ICMPV6_TIME_CODES as _TIME_CODES
from paquet.numbers import ICMPV6_TYPES
from paquet.numbers import ICMPV6_UNREACH_CODES as _UNREACH_CODES
from paquet.packet import registry
from paquet.packet.addrfields import MACField, mac2bytes
from paquet.packet.base import Malformed, Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    FieldError,
    IntField,
    ShortField,
    XShortField,
)
from paquet.packet.resolver import DEFAULT_MAC_SRC, interface_mac
from paquet.packet.strfields import StrField
from paquet.packet.structfields import FieldLenField

__all__ = [
    "ICMPV6_TYPES",
    "ICMPv6DestUnreach",
    "ICMPv6EchoReply",
    "ICMPv6EchoRequest",
    "ICMPv6NDOptDstLLAddr",
    "ICMPv6NDOptSrcLLAddr",
    "ICMPv6NDOptUnknown",
    "ICMPv6ND_NA",
    "ICMPv6ND_NS",
    "ICMPv6ND_RA",
    "ICMPv6ND_RS",
    "ICMPv6PacketTooBig",
    "ICMPv6ParamProblem",
    "ICMPv6TimeExceeded",
    "ICMPv6Unknown",
]

_RA_PREFERENCES = {0: "Medium (default)", 1: "High", 2: "Reserved", 3: "Low"}


class _XBitField(BitField):
    """A bit field shown in hexadecimal."""

    __slots__ = ()

    def i2repr(self, value: Any) -> str:
        return hex(value) if isinstance(value, int) else repr(value)

    def type_name(self) -> str:
        return f"XBitField  ({self.bits} bits)"


class _ICMPv6(Packet):
    """What ICMPv6 messages share: the checksum over the IPv6 pseudo-header, matching."""

    name = "ICMPv6"
    chksum_offset = 2
    chksum_field = "cksum"

    @property
    def is_error(self) -> bool:
        """True for error messages (types 0 to 127, RFC 4443 §2.1): they quote the datagram
        that caused them."""
        t = self.__dict__["type"]
        return isinstance(t, int) and t < 128

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        if self.__dict__["cksum"] is None:
            ck = transport_checksum(self, p, 58)
            p = p[:2] + struct.pack("!H", ck or 0) + p[4:]
        return p

    def expected_chksum(self) -> int | None:
        # The message as built, its checksum bytes zeroed (a layer of the general path may
        # give back the bytes it was dissected from, whatever its dict says).
        try:
            p = self.do_build()
            return transport_checksum(self, p[:2] + b"\x00\x00" + p[4:], 58)
        except Exception:
            return None

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The message's own class, by its type byte (the bindings name this base class)."""
        return icmpv6_class(data, start, end)

    def _quoted(self) -> bool:
        u = self.__dict__["underlayer"]
        while isinstance(u, _IPv6ExtHdr):
            u = u.__dict__["underlayer"]
        return isinstance(u, IPerror6)

    def hashret(self) -> bytes:
        return self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        # As Scapy: a message quoted in an error matches the probe by type and code.
        if self._quoted() and isinstance(other, _ICMPv6):
            d, od = self.__dict__, other.__dict__
            return bool(d["type"] == od["type"] and d["code"] == od["code"])
        return False


class ICMPv6Unknown(_ICMPv6):
    """An ICMPv6 message of a type paquet has no class for: its body kept as bytes."""

    name = "Scapy6 ICMPv6 fallback class"
    fields_desc = (
        ByteEnumField("type", 1, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        StrField("msgbody", b""),
    )
    # The engine's dissection (fixed part, then dissect_tail), not one generated for a base.
    do_dissect = Packet.do_dissect

    def build_tail(self) -> bytes:
        return _as_bytes(self.__dict__["msgbody"])

    def dissect_tail(self, data: bytes, off: int, end: int) -> int:
        self.__dict__["msgbody"] = data[off:end]
        return end


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise FieldError(f"expected bytes, not {type(value).__name__}")


class _ICMPv6Error(_ICMPv6):
    """An error message: the rest is the start of the datagram that caused it."""

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        return IPerror6

    def answers(self, other: Packet) -> bool:
        if self._quoted():
            return super().answers(other)
        # The IPv6 layer matches an error through its quote; alone, the quote decides.
        return bool(self.payload.answers(other))

    def hashret(self) -> bytes:
        return self.payload.hashret()


class ICMPv6DestUnreach(_ICMPv6Error):
    """Destination unreachable (type 1): ``code``, ``length`` (RFC 4884), ``unused``."""

    name = "ICMPv6 Destination Unreachable"
    fields_desc = (
        ByteEnumField("type", 1, ICMPV6_TYPES),
        ByteEnumField("code", 0, _UNREACH_CODES),
        XShortField("cksum", None),
        BitField("length", 0, 8),
        _XBitField("unused", 0, 24),
        StrField("extpad", b""),
        Field("ext", None),
    )


class ICMPv6PacketTooBig(_ICMPv6Error):
    """Packet too big (type 2): the ``mtu`` of the next link."""

    name = "ICMPv6 Packet Too Big"
    fields_desc = (
        ByteEnumField("type", 2, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        IntField("mtu", 1280),
    )


class ICMPv6TimeExceeded(_ICMPv6Error):
    """Time exceeded (type 3): hop limit reached (code 0) or reassembly timed out (1)."""

    name = "ICMPv6 Time Exceeded"
    fields_desc = (
        ByteEnumField("type", 3, ICMPV6_TYPES),
        ByteEnumField("code", 0, _TIME_CODES),
        XShortField("cksum", None),
        BitField("length", 0, 8),
        _XBitField("unused", 0, 24),
        StrField("extpad", b""),
        Field("ext", None),
    )


class ICMPv6ParamProblem(_ICMPv6Error):
    """Parameter problem (type 4): ``ptr`` is the offset of the faulty byte."""

    name = "ICMPv6 Parameter Problem"
    fields_desc = (
        ByteEnumField("type", 4, ICMPV6_TYPES),
        ByteEnumField("code", 0, _PARAM_CODES),
        XShortField("cksum", None),
        IntField("ptr", 6),
    )


class ICMPv6EchoRequest(_ICMPv6):
    """Echo request (type 128): ``id``, ``seq``, ``data``."""

    name = "ICMPv6 Echo Request"
    fields_desc = (
        ByteEnumField("type", 128, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XShortField("id", 0),
        XShortField("seq", 0),
        StrField("data", b""),
    )
    do_dissect = Packet.do_dissect

    def build_tail(self) -> bytes:
        return _as_bytes(self.__dict__["data"])

    def dissect_tail(self, data: bytes, off: int, end: int) -> int:
        self.__dict__["data"] = data[off:end]
        return end

    def mysummary(self) -> str:
        fm, d = self._fieldmap, self.__dict__
        return f"{self.name} (id: {fm['id'].i2repr(d['id'])} seq: {fm['seq'].i2repr(d['seq'])})"

    def hashret(self) -> bytes:
        d = self.__dict__
        return struct.pack("HH", d["id"] or 0, d["seq"] or 0) + self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if self._quoted() and isinstance(other, _ICMPv6):
            d, od = self.__dict__, other.__dict__
            return bool(d["type"] == od["type"] and d["code"] == od["code"]
                        and d["id"] == od["id"] and d["seq"] == od["seq"])
        return False


class ICMPv6EchoReply(ICMPv6EchoRequest):
    """Echo reply (type 129): answers the request with the same ``id``, ``seq`` and ``data``."""

    name = "ICMPv6 Echo Reply"
    fields_desc = (
        ByteEnumField("type", 129, ICMPV6_TYPES),
        *ICMPv6EchoRequest.fields_desc[1:],
    )

    def answers(self, other: Packet) -> bool:
        if self._quoted():
            return super().answers(other)
        if type(other) is not ICMPv6EchoRequest:
            return False
        d, od = self.__dict__, other.__dict__
        return bool(d["id"] == od["id"] and d["seq"] == od["seq"]
                    and _as_bytes(d["data"]) == _as_bytes(od["data"]))


# ---------------------------------------------------------------------- neighbour discovery


def _nd_option_class(data: bytes, start: int, end: int) -> type[Packet]:
    if end - start < 2:
        return Raw
    return _ND_OPTIONS.get(data[start], ICMPv6NDOptUnknown)


class _NDMessage(_ICMPv6):
    """A neighbour discovery message: options follow as layers."""

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        return _nd_option_class(data, start, end)


class ICMPv6ND_RS(_NDMessage):
    """Router solicitation (type 133)."""

    name = "ICMPv6 Neighbor Discovery - Router Solicitation"
    fields_desc = (
        ByteEnumField("type", 133, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        IntField("res", 0),
    )


class ICMPv6ND_RA(_NDMessage):
    """Router advertisement (type 134): hop limit, flags, lifetimes (RFC 4861 §4.2)."""

    name = "ICMPv6 Neighbor Discovery - Router Advertisement"
    fields_desc = (
        ByteEnumField("type", 134, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        ByteField("chlim", 0),
        BitField("M", 0, 1),
        BitField("O", 0, 1),
        BitField("H", 0, 1),
        BitEnumField("prf", 1, 2, _RA_PREFERENCES),
        BitField("P", 0, 1),
        BitField("res", 0, 2),
        ShortField("routerlifetime", 1800),
        IntField("reachabletime", 0),
        IntField("retranstimer", 0),
    )

    def answers(self, other: Packet) -> bool:
        return isinstance(other, ICMPv6ND_RS)

    def mysummary(self) -> str:
        d = self.__dict__
        prf = self._fieldmap["prf"].i2repr(d["prf"])
        return (f"{self.name} Lifetime {d['routerlifetime']} Hop Limit {d['chlim']} "
                f"Preference {prf} Managed {d['M']} Other {d['O']} Home {d['H']}")


class _NDTarget(_NDMessage):
    """A neighbour solicitation or advertisement: a target address after 4 bytes."""

    do_dissect = Packet.do_dissect

    def build_tail(self) -> bytes:
        return ip6_bytes(self.__dict__["tgt"])

    def dissect_tail(self, data: bytes, off: int, end: int) -> int:
        if end - off < 16:
            raise Malformed(off, f"a 16-byte target address, {end - off} left")
        self.__dict__["tgt"] = inet_ntop(AF_INET6, data[off : off + 16])
        return off + 16

    def mysummary(self) -> str:
        return f"{self.name} (tgt: {self.__dict__['tgt']})"

    def hashret(self) -> bytes:
        return str(self.__dict__["tgt"]).encode() + self.payload.hashret()


class ICMPv6ND_NS(_NDTarget):
    """Neighbour solicitation (type 135): who has ``tgt``?"""

    name = "ICMPv6 Neighbor Discovery - Neighbor Solicitation"
    fields_desc = (
        ByteEnumField("type", 135, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        IntField("res", 0),
        IP6Field("tgt", "::"),
    )


class ICMPv6ND_NA(_NDTarget):
    """Neighbour advertisement (type 136): ``tgt`` is at the link address in the options;
    flags ``R`` (router), ``S`` (solicited), ``O`` (override)."""

    name = "ICMPv6 Neighbor Discovery - Neighbor Advertisement"
    fields_desc = (
        ByteEnumField("type", 136, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        BitField("R", 1, 1),
        BitField("S", 0, 1),
        BitField("O", 1, 1),
        _XBitField("res", 0, 29),
        IP6Field("tgt", "::"),
    )

    def answers(self, other: Packet) -> bool:
        return type(other) is ICMPv6ND_NS and self.__dict__["tgt"] == other.__dict__["tgt"]


# ---------------------------------------------------------------------- ND options


class _NDOption(Packet):
    """A neighbour discovery option (RFC 4861 §4.6): the next option follows as a layer.

    An option cut short keeps the fields whose bytes are there, as Scapy's, with an error in
    ``errors`` saying how many bytes its ``len`` announced."""

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        return _nd_option_class(data, start, end)

    def pre_dissect(self, s: bytes) -> bytes:
        self.__dict__["_avail"] = len(s)
        return s

    def post_dissect(self, s: bytes) -> bytes:
        d = self.__dict__
        avail, length = d.pop("_avail", None), d.get("len")
        if isinstance(avail, int) and isinstance(length, int) and 8 * max(length, 1) > avail:
            self.add_error(DecodeError(self.name, 1, f"{8 * max(length, 1)} option bytes "
                                                     f"(len {length}), {avail} left"))
        return s


class ICMPv6NDOptUnknown(_NDOption):
    """An option paquet has no class for: ``type``, ``len`` (8-byte units), ``data``.

    ``len`` None is computed, and ``data`` is padded with zeros to a multiple of 8 bytes.
    """

    name = "ICMPv6 Neighbor Discovery Option - Scapy Unimplemented"
    fields_desc = (
        ByteField("type", 0),
        FieldLenField("len", None, length_of="data", fmt="B",
                      adjust=lambda pkt, x: (2 + x) // 8),
        NDOptDataField("data", b"", length_from=lambda pkt: 8 * max(pkt.len, 1) - 2),
    )


class _LLAddrField(MACField):
    """The link-layer address of an ND option; None: the interface's (Scapy's SourceMACField)."""

    __slots__ = ()

    def __init__(self) -> None:
        Field.__init__(self, "lladdr", None, None)


class ICMPv6NDOptSrcLLAddr(_NDOption):
    """Source link-layer address option (type 1): the sender's MAC ``lladdr``."""

    name = "ICMPv6 Neighbor Discovery Option - Source Link-Layer Address"
    fields_desc = (
        ByteField("type", 1),
        ByteField("len", 1),
        _LLAddrField(),
    )

    @property
    def lladdr(self) -> str:
        """The MAC address; when None, the interface's towards the IPv6 destination below."""
        v = self.__dict__["lladdr"]
        if v is not None:
            return v  # type: ignore[no-any-return]
        u = self.__dict__["underlayer"]
        while u is not None and not isinstance(u, IPv6):
            u = u.__dict__["underlayer"]
        if u is None:
            return DEFAULT_MAC_SRC
        try:
            return interface_mac(u._dst_text(), 6)
        except FieldError:
            return DEFAULT_MAC_SRC

    def _display_value(self, name: str) -> Any:
        if name == "lladdr":
            return self.lladdr
        return self.__dict__[name]

    def self_build(self) -> bytes:
        d = self.__dict__
        try:
            return struct.pack("!BB6s", d["type"], d["len"], mac2bytes(self.lladdr))
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 8:
            raise Malformed(off, f"a link-layer address option of 8 bytes, {end - off} left")
        d = self.__dict__
        d["type"], d["len"] = data[off], data[off + 1]
        d["lladdr"] = data[off + 2 : off + 8].hex(":")
        return off + 8

    def mysummary(self) -> str:
        return f"{self.name} {self.lladdr}"


class ICMPv6NDOptDstLLAddr(ICMPv6NDOptSrcLLAddr):
    """Target link-layer address option (type 2): the advertised MAC ``lladdr``."""

    name = "ICMPv6 Neighbor Discovery Option - Destination Link-Layer Address"
    fields_desc = (
        ByteField("type", 2),
        ByteField("len", 1),
        _LLAddrField(),
    )


_ND_OPTIONS: dict[int, type[Packet]] = {1: ICMPv6NDOptSrcLLAddr, 2: ICMPv6NDOptDstLLAddr}


def register_nd_option(otype: int, cls: type[Packet]) -> None:
    """Dissect the neighbour discovery option of type ``otype`` as ``cls`` (the modules of the
    other options, :mod:`paquet.layers.icmpv6_nd`, register theirs)."""
    _ND_OPTIONS[otype] = cls


# ---------------------------------------------------------------------- dispatch and bindings

_BY_TYPE: dict[int, type[Packet]] = {
    1: ICMPv6DestUnreach,
    2: ICMPv6PacketTooBig,
    3: ICMPv6TimeExceeded,
    4: ICMPv6ParamProblem,
    128: ICMPv6EchoRequest,
    129: ICMPv6EchoReply,
    133: ICMPv6ND_RS,
    134: ICMPv6ND_RA,
    135: ICMPv6ND_NS,
    136: ICMPv6ND_NA,
}


def register_icmpv6_type(mtype: int, cls: type[Packet]) -> None:
    """Dissect ICMPv6 messages of type ``mtype`` as ``cls`` (MLD, node information...: each
    family's module registers its types). A class with a ``by_subtype(data, start, end)``
    classmethod picks the final class itself (node information replies by ``qtype``)."""
    _BY_TYPE[mtype] = cls
    pick = getattr(cls, "by_subtype", None)
    if pick is not None:
        _BY_SUBTYPE[mtype] = pick
    else:
        _BY_SUBTYPE.pop(mtype, None)


#: The types whose class is chosen by the message's other bytes (see register_icmpv6_type).
_BY_SUBTYPE: dict[int, Callable[[bytes, int, int], type[Packet]]] = {}


def icmpv6_class(data: bytes, start: int, end: int) -> type[Packet]:
    """The class of the ICMPv6 message at ``data[start:end]``, by its type byte."""
    if start >= end:
        return Raw
    t = data[start]
    if t in _BY_SUBTYPE:
        return _BY_SUBTYPE[t](data, start, end)
    return _BY_TYPE.get(t, ICMPv6Unknown)


register_icmpv6_dispatch(icmpv6_class)
registry.bind_layers(IPv6, _ICMPv6, nh=58)  # dissected as the class its type byte names
registry.bind_top_down(IPv6, ICMPv6ND_RS, nh=58, dst="ff02::2", hlim=255)
for _nd in (ICMPv6ND_RA, ICMPv6ND_NS, ICMPv6ND_NA):
    registry.bind_top_down(IPv6, _nd, nh=58, dst="ff02::1", hlim=255)
