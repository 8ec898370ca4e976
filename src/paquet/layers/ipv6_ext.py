"""The IPv6 extension headers (RFC 8200 §4): hop-by-hop and destination options, routing,
fragment; Scapy's classes (:class:`IPv6ExtHdrHopByHop`, :class:`IPv6ExtHdrDestOpt`,
:class:`IPv6ExtHdrRouting`, :class:`IPv6ExtHdrFragment`) and what they share (``nh``, the
bindings through IPv6's, the pseudo-header of a checksum above them). A routing header is
dissected as the class of its routing type (:func:`register_routing_type`).

>>> from paquet.layers.ipv6 import IPv6
>>> bytes(IPv6ExtHdrFragment(nh=17, offset=1, m=1, id=7)).hex()
'1100000900000007'
"""

from __future__ import annotations

import struct
from _socket import AF_INET6, inet_ntop
from collections.abc import Callable
from typing import Any, ClassVar

from paquet.layers.ipv6_addr import IP6Field, ip6_bytes
from paquet.layers.ipv6_options import _AutoPadField, _OptionsField, decode_options, encode_options
from paquet.numbers import IPV6_NH
from paquet.packet import registry
from paquet.packet.base import Malformed, Packet, Raw
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField
from paquet.packet.structfields import ListField

__all__ = [
    "IPv6ExtHdrDestOpt",
    "IPv6ExtHdrFragment",
    "IPv6ExtHdrHopByHop",
    "IPv6ExtHdrRouting",
    "register_icmpv6_dispatch",
    "register_routing_type",
]

# (IPv6, whose module imports this one, sets the extension headers' ``aliastypes`` to itself
# and fills QUOTED_TRANSPORT: this module does not import it.)

#: The quoted transport classes above a quoted IPv6 (``IPerror6``), by next header.
QUOTED_TRANSPORT: dict[int, type[Packet]] = {}


def _guess_next(layer: Packet, data: bytes, start: int, end: int) -> type[Packet]:
    """The class of the header after ``layer`` (IPv6 or an extension header), by ``nh``."""
    d = layer.__dict__
    if d["nh"] == 58:
        if _ICMPV6_DISPATCH:
            return _ICMPV6_DISPATCH[0](data, start, end)
        return Raw
    found: type[Packet] | None = registry.payload_class(type(layer), d)
    return found or Raw


#: Set by :mod:`paquet.layers.icmpv6`: the ICMPv6 class for the message at ``data[start:end]``.
_ICMPV6_DISPATCH: list[Callable[[bytes, int, int], type[Packet]]] = []


def register_icmpv6_dispatch(fn: Callable[[bytes, int, int], type[Packet]]) -> None:
    """Install the function that picks the ICMPv6 class of a message by its type byte."""
    _ICMPV6_DISPATCH[:] = [fn]




class _IPv6ExtHdr(Packet):
    """What the extension headers share: ``nh``, bindings through IPv6's, the pseudo-header."""

    aliastypes: ClassVar[tuple[type, ...]] = ()  # (IPv6's module sets it: (IPv6,))

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        nh = self.__dict__["nh"]
        if nh in (6, 17):
            u = self.__dict__["underlayer"]
            while u is not None:
                if getattr(type(u), "quotes_ipv6", False):  # (an IPerror6)
                    return QUOTED_TRANSPORT[nh]
                u = u.__dict__["underlayer"]
        return _guess_next(self, data, start, end)

    def pseudo_header(self, upper_len: int, proto: int) -> bytes:
        """The pseudo-header of the IPv6 layer below, with a routing header's final
        destination (RFC 8200 §8.1)."""
        u = self.__dict__["underlayer"]
        while isinstance(u, _IPv6ExtHdr):
            u = u.__dict__["underlayer"]
        pseudo_from = getattr(u, "pseudo_header_from", None)
        if pseudo_from is None:
            from paquet.packet.fields import FieldError

            raise FieldError("no IPv6 layer below for the pseudo-header")
        found: bytes = pseudo_from(self, upper_len, proto)
        return found

    # No endpoints(): above an extension header, a TCP or UDP summary shows the ports only
    # (as Scapy's).


class _OptionsHeader(_IPv6ExtHdr):
    """A header of options: hop-by-hop (RFC 8200 §4.3) or destination (§4.6)."""

    fields_desc = (
        ByteEnumField("nh", 59, IPV6_NH),
        ByteField("len", None),
        _AutoPadField(),
        _OptionsField("options"),
    )

    def self_build(self) -> bytes:
        d = self.__dict__
        ob = encode_options(d["options"], d["autopad"])
        length = d["len"]
        if length is None:
            length = (len(ob) + 2 + 7) // 8 - 1
        try:
            return struct.pack("!BB", d["nh"] or 0, length) + ob
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 2:
            raise Malformed(off, f"an IPv6 options header of at least 8 bytes, {end - off} left")
        d = self.__dict__
        d["nh"] = data[off]
        d["len"] = length = data[off + 1]
        size = 8 * (length + 1)
        if off + size > end:
            raise Malformed(off + 1, f"{size} header bytes (len {length}), {end - off} left")
        d["autopad"] = 1
        d["options"] = decode_options(data[off + 2 : off + size])
        return off + size

    def _nested_repr(self, f: Field, value: Any) -> list[str] | None:
        if f.name != "options":
            return None
        if isinstance(value, bytes | bytearray):
            return [f"  raw= {bytes(value)!r}"]
        lines: list[str] = []
        for o in value or []:
            if isinstance(o, Packet):
                lines.extend((o.show(dump=True) or "").rstrip("\n").split("\n"))
            else:
                lines.append(f"  {o!r}")
        return lines


class IPv6ExtHdrHopByHop(_OptionsHeader):
    """The hop-by-hop options header (next header 0)."""

    name = "IPv6 Extension Header - Hop-by-Hop Options Header"


class IPv6ExtHdrDestOpt(_OptionsHeader):
    """The destination options header (next header 60)."""

    name = "IPv6 Extension Header - Destination Options Header"


class _IP6ListField(ListField):
    """A list of IPv6 addresses (a routing header's), or raw bytes when not whole addresses."""

    __slots__ = ()

    def to_list(self, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple):
            return [IP6Field.any2i(_IP6_CONV, a) for a in value]
        return value

    def i2repr(self, value: Any) -> str:
        if isinstance(value, list):
            return "[ " + ", ".join(str(a) for a in value) + " ]"
        return repr(value)

    def type_name(self) -> str:
        return "IP6ListField"


_IP6_CONV = IP6Field("address", None)


class _RoutingHeader(_IPv6ExtHdr):
    """The routing headers (next header 43), told apart by their routing type: the class
    bound under IPv6 for dissection. A module registers its type with
    :func:`register_routing_type` (segment routing, type 4, in :mod:`.ipv6_srh`)."""

    routing = True  # a header that may name the final destination (pseudo-header, answers)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The routing header's class, by its type byte."""
        if end - start > 2:
            return _ROUTING_TYPES.get(data[start + 2], IPv6ExtHdrRouting)
        return IPv6ExtHdrRouting


_ROUTING_TYPES: dict[int, type[Packet]] = {}


def register_routing_type(rtype: int, cls: type[Packet]) -> None:
    """Dissect the routing headers of type ``rtype`` as ``cls``."""
    _ROUTING_TYPES[rtype] = cls


class IPv6ExtHdrRouting(_IPv6ExtHdr):
    """A routing header (next header 43): ``type``, ``segleft``, ``addresses``.

    ``len`` None is twice the number of addresses, ``segleft`` None their number. Addresses
    that do not fill whole 16-byte slots (another routing type's data) are kept as bytes.
    """

    name = "IPv6 Option Header Routing"
    routing = True
    fields_desc = (
        ByteEnumField("nh", 59, IPV6_NH),
        ByteField("len", None),
        ByteField("type", 0),
        ByteField("segleft", None),
        IntField("reserved", 0),
        _IP6ListField("addresses"),
    )

    def self_build(self) -> bytes:
        d = self.__dict__
        addrs = d["addresses"]
        if isinstance(addrs, bytes | bytearray):
            ab = bytes(addrs)
            count = len(ab) // 16
            default_len = len(ab) // 8
        else:
            addrs = addrs or []
            ab = b"".join(ip6_bytes(a) for a in addrs)
            count = len(addrs)
            default_len = 2 * count
        length = d["len"]
        segleft = d["segleft"]
        try:
            return struct.pack(
                "!BBBBI",
                d["nh"] or 0,
                default_len if length is None else length,
                d["type"] or 0,
                count if segleft is None else segleft,
                d["reserved"] or 0,
            ) + ab
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 8:
            raise Malformed(off, f"a routing header of at least 8 bytes, {end - off} left")
        d = self.__dict__
        d["nh"], d["len"], d["type"], d["segleft"], d["reserved"] = struct.unpack_from(
            "!BBBBI", data, off
        )
        size = 8 + 8 * d["len"]
        if off + size > end:
            raise Malformed(off + 1, f"{size} header bytes (len {d['len']}), {end - off} left")
        body = data[off + 8 : off + size]
        if len(body) % 16:
            d["addresses"] = body
        else:
            d["addresses"] = [inet_ntop(AF_INET6, body[i : i + 16])
                              for i in range(0, len(body), 16)]
        return int(off + size)


class IPv6ExtHdrFragment(_IPv6ExtHdr):
    """The fragment header (next header 44): ``offset`` (8-byte units), ``m`` (more), ``id``."""

    name = "IPv6 Extension Header - Fragmentation header"
    fields_desc = (
        ByteEnumField("nh", 59, IPV6_NH),
        BitField("res1", 0, 8),
        BitField("offset", 0, 13),
        BitField("res2", 0, 2),
        BitField("m", 0, 1),
        IntField("id", None),
    )

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        if self.__dict__["offset"]:
            return Raw  # not the first fragment: no header to dissect
        return super().guess_payload_class(data, start, end)
