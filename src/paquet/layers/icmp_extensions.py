"""ICMP extensions (RFC 4884) and the interface information object (RFC 5837), as Scapy's.

An ICMP error (destination unreachable, time exceeded, parameter problem) may carry, after
its quote padded to 128 bytes, an extension structure: a header (version 2, a checksum over
the structure) and objects (length, class, type, then their data). ``ICMP(ext=...)`` puts one
there; a dissected error of 144 bytes or more has its ``ext``.

>>> bytes(ICMPExtension_Header() / ICMPExtension_Object(classnum=9, classtype=1))
b' \\x00\\xd6\\xfa\\x00\\x04\\t\\x01'
>>> obj = ICMPExtension_Object(b"\\x00\\x0c\\x02\\x14\\x00\\x01\\x00\\x00\\n\\x00\\x00\\x01")
>>> type(obj).__name__, obj.ip4
('ICMPExtension_InterfaceInformation', '10.0.0.1')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from paquet.checksums import internet_checksum
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField, ShortField, XShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import ConditionalField, FieldLenField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "ICMPExtension_Header",
    "ICMPExtension_InterfaceInformation",
    "ICMPExtension_Object",
]

#: Extension object classes (IANA's ICMP extension object classes).
ICMP_EXT_CLASSES = {
    1: "MPLS",
    2: "Interface Information",
    3: "Interface Identification",
    4: "Extended Information",
}

_OBJECTS: dict[int, type[ICMPExtension_Object]] = {}


class ICMPExtension_Object(Packet):
    """An extension object: ``len`` (None: computed, this object and what follows it, as
    Scapy), ``classnum``, ``classtype``, then its data (the payload). ``ICMPExtension_Object
    (data)`` is the class its ``classnum`` names (``ICMPExtension_InterfaceInformation``)."""

    name = "ICMP Extension Object"
    show_indent = 0
    fields_desc: ClassVar[Sequence[Field]] = (
        ShortField("len", None),
        ByteEnumField("classnum", 0, ICMP_EXT_CLASSES),
        ByteField("classtype", 0),
    )
    registered_icmp_exts: ClassVar[dict[int, type[ICMPExtension_Object]]] = _OBJECTS

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the object whose class number is ``data[start + 2]``."""
        if end - start >= 4:
            return _OBJECTS.get(data[start + 2], cls)
        return cls

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.len is None:
            n = len(p) + len(pay)
            p = bytes(((n >> 8) & 0xFF, n & 0xFF)) + p[2:]
        return p + pay


class ICMPExtension_InterfaceInformation(ICMPExtension_Object):
    """The interface information object (RFC 5837, class 2): which of ``ifindex``, an
    address (``afi``, then ``ip4`` when it is 1, ``ip6`` when 2), ``ifname`` and ``mtu``
    follow, by its flags. Set ``afi`` with the address: left to None it is written 0 and the
    address left out, as Scapy 2.8 builds it."""

    name = "ICMP Extension Object - Interface Information Object (RFC5837)"
    fields_desc = (
        ShortField("len", None),
        ByteEnumField("classnum", 2, ICMP_EXT_CLASSES),
        BitField("classtype", 0, 2),
        BitField("reserved", 0, 2),
        BitField("has_ifindex", 0, 1),
        BitField("has_ipaddr", 0, 1),
        BitField("has_ifname", 0, 1),
        BitField("has_mtu", 0, 1),
        ConditionalField(IntField("ifindex", None), lambda pkt: pkt.has_ifindex == 1),
        ConditionalField(ShortField("afi", None), lambda pkt: pkt.has_ipaddr == 1),
        ConditionalField(ShortField("reserved2", 0), lambda pkt: pkt.has_ipaddr == 1),
        ConditionalField(IPField("ip4", None), lambda pkt: pkt.afi == 1),
        ConditionalField(IP6Field("ip6", None), lambda pkt: pkt.afi == 2),
        ConditionalField(FieldLenField("ifname_len", None, fmt="B", length_of="ifname"),
                         lambda pkt: pkt.has_ifname == 1),
        ConditionalField(StrLenField("ifname", None, length_from=lambda pkt: pkt.ifname_len),
                         lambda pkt: pkt.has_ifname == 1),
        ConditionalField(IntField("mtu", None), lambda pkt: pkt.has_mtu == 1),
    )


class ICMPExtension_Header(Packet):
    """The extension structure's header (RFC 4884): ``version`` 2, ``reserved``, ``chksum``
    (None: the internet checksum of the header and the objects after it)."""

    name = "ICMP Extension Header (RFC4884)"
    show_indent = 0
    fields_desc = (
        BitField("version", 2, 4),
        BitField("reserved", 0, 12),
        XShortField("chksum", None),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.chksum is None:
            ck = internet_checksum(p)
            p = p[:2] + bytes((ck >> 8, ck & 0xFF)) + p[4:]
        return p

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start < 4:
            return super().guess_payload_class(data, start, end)
        return ICMPExtension_Object


_OBJECTS[2] = ICMPExtension_InterfaceInformation
