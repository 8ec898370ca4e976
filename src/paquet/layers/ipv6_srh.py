"""The segment routing header (RFC 8754): routing type 4, with Scapy's classes and fields.

:class:`IPv6ExtHdrSegmentRouting` lists the segments (``addresses``, the last segment first)
and TLV objects after them (:class:`IPv6ExtHdrSegmentRoutingTLVIngressNode`,
``EgressNode``, ``Pad1``, ``PadN``, ``HMAC``, any other as the generic
:class:`IPv6ExtHdrSegmentRoutingTLV`). Left to None, ``len`` is computed (the header padded
to 8 bytes with a Pad1 or PadN TLV), and ``segleft`` and ``lastentry`` are the index of the
last address, as Scapy builds them. A routing header of type 4 is dissected as this class;
a checksum above it uses ``addresses[0]``, the final segment (RFC 8754 §4.3.1).

>>> srh = IPv6ExtHdrSegmentRouting(addresses=["2001:db8::2", "2001:db8::1"])
>>> d = IPv6ExtHdrSegmentRouting(bytes(srh))
>>> d.len, d.segleft, d.lastentry, d.addresses
(4, 1, 1, ['2001:db8::2', '2001:db8::1'])
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers.ipv6 import IPv6
from paquet.layers.ipv6_ext import _IPv6ExtHdr, register_routing_type
from paquet.layers.ipv6_fields import IP6ListField, PacketListField, PacketsShown
from paquet.numbers import IPV6_NH
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField, ShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "IPv6ExtHdrSegmentRouting",
    "IPv6ExtHdrSegmentRoutingTLV",
    "IPv6ExtHdrSegmentRoutingTLVEgressNode",
    "IPv6ExtHdrSegmentRoutingTLVHMAC",
    "IPv6ExtHdrSegmentRoutingTLVIngressNode",
    "IPv6ExtHdrSegmentRoutingTLVPad1",
    "IPv6ExtHdrSegmentRoutingTLVPadN",
]

SRH_TLVS = {1: "Ingress Node TLV", 2: "Egress Node TLV", 4: "PadN TLV", 5: "HMAC TLV"}


class IPv6ExtHdrSegmentRoutingTLV(Packet):
    """A TLV object of a segment routing header: ``type``, ``len``, ``value``. Called on
    bytes, it is the class its type names."""

    name = "IPv6 Option Header Segment Routing - Generic TLV"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("type", None, SRH_TLVS),
        ByteField("len", 0),
        StrLenField("value", b"", length_from=lambda pkt: pkt.len),
    )
    registered_sr_tlv: ClassVar[dict[int, type[Packet]]] = {}

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The TLV's class by its type byte."""
        if end > start:
            return IPv6ExtHdrSegmentRoutingTLV.registered_sr_tlv.get(
                data[start], IPv6ExtHdrSegmentRoutingTLV)
        return IPv6ExtHdrSegmentRoutingTLV

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class IPv6ExtHdrSegmentRoutingTLVIngressNode(IPv6ExtHdrSegmentRoutingTLV):
    """The ingress node TLV (type 1)."""

    name = "IPv6 Option Header Segment Routing - Ingress Node TLV"
    fields_desc = (
        ByteEnumField("type", 1, SRH_TLVS),
        ByteField("len", 18),
        ByteField("reserved", 0),
        ByteField("flags", 0),
        IP6Field("ingress_node", "::1"),
    )


class IPv6ExtHdrSegmentRoutingTLVEgressNode(IPv6ExtHdrSegmentRoutingTLV):
    """The egress node TLV (type 2)."""

    name = "IPv6 Option Header Segment Routing - Egress Node TLV"
    fields_desc = (
        ByteEnumField("type", 2, SRH_TLVS),
        ByteField("len", 18),
        ByteField("reserved", 0),
        ByteField("flags", 0),
        IP6Field("egress_node", "::1"),
    )


class IPv6ExtHdrSegmentRoutingTLVPad1(IPv6ExtHdrSegmentRoutingTLV):
    """One byte of padding (type 0)."""

    name = "IPv6 Option Header Segment Routing - Pad1 TLV"
    fields_desc = (ByteEnumField("type", 0, SRH_TLVS),)


class IPv6ExtHdrSegmentRoutingTLVPadN(IPv6ExtHdrSegmentRoutingTLV):
    """Padding of N bytes (type 4)."""

    name = "IPv6 Option Header Segment Routing - PadN TLV"
    fields_desc = (
        ByteEnumField("type", 4, SRH_TLVS),
        FieldLenField("len", None, length_of="padding", fmt="B"),
        StrLenField("padding", b"\x00", length_from=lambda pkt: pkt.len),
    )


class IPv6ExtHdrSegmentRoutingTLVHMAC(IPv6ExtHdrSegmentRoutingTLV):
    """The HMAC TLV (type 5, RFC 8754 §2.1.2)."""

    name = "IPv6 Option Header Segment Routing - HMAC TLV"
    fields_desc = (
        ByteEnumField("type", 5, SRH_TLVS),
        # Two bytes, as Scapy builds it (RFC 8754 has one length byte and one reserved).
        FieldLenField("len", None, length_of="hmac", adjust=lambda pkt, x: x + 48),
        BitField("D", 0, 1),
        BitField("reserved", 0, 15),
        IntField("hmackeyid", 0),
        StrLenField("hmac", b"", length_from=lambda pkt: pkt.len - 48),
    )


for _tlv in (IPv6ExtHdrSegmentRoutingTLVIngressNode, IPv6ExtHdrSegmentRoutingTLVEgressNode,
             IPv6ExtHdrSegmentRoutingTLVPad1, IPv6ExtHdrSegmentRoutingTLVPadN,
             IPv6ExtHdrSegmentRoutingTLVHMAC):
    IPv6ExtHdrSegmentRoutingTLV.registered_sr_tlv[_tlv._fieldmap["type"].default] = _tlv


def _segments(pkt: Any) -> int:
    """How many segments a dissected header holds: ``lastentry + 1``, within its length."""
    return int(max(0, min(pkt.lastentry + 1, 8 * pkt.len // 16)))


class IPv6ExtHdrSegmentRouting(PacketsShown, _IPv6ExtHdr):
    """The segment routing header (routing type 4)."""

    name = "IPv6 Option Header Segment Routing"
    routing = True  # names the final destination of a pseudo-header
    fields_desc = (
        ByteEnumField("nh", 59, IPV6_NH),
        ByteField("len", None),
        ByteField("type", 4),
        ByteField("segleft", None),
        ByteField("lastentry", None),
        BitField("unused1", 0, 1),
        BitField("protected", 0, 1),
        BitField("oam", 0, 1),
        BitField("alert", 0, 1),
        BitField("hmac", 0, 1),
        BitField("unused2", 0, 3),
        ShortField("tag", 0),
        # lastentry + 1 segments, as many as the header's length holds, then the TLVs in the
        # rest of it: a header too short for its lastentry does not read into the next one
        # (Scapy's does).
        IP6ListField("addresses", ["::1"], count_from=lambda pkt: _segments(pkt)),
        PacketListField("tlv_objects", [], IPv6ExtHdrSegmentRoutingTLV,
                        length_from=lambda pkt: 8 * pkt.len - 16 * _segments(pkt)),
    )

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        d = self.__dict__
        if d["len"] is None:
            missing = -len(hdr) % 8
            if missing == 1:
                hdr += b"\x00"
            elif missing:
                hdr += bytes(IPv6ExtHdrSegmentRoutingTLVPadN(padding=bytes(missing - 2)))
            hdr = hdr[:1] + struct.pack("B", (len(hdr) - 8) // 8) + hdr[2:]
        last = max(len(d["addresses"] or []) - 1, 0)
        if d["segleft"] is None:
            hdr = hdr[:3] + struct.pack("B", last) + hdr[4:]
        if d["lastentry"] is None:
            hdr = hdr[:4] + struct.pack("B", last) + hdr[5:]
        return hdr + pay


register_routing_type(4, IPv6ExtHdrSegmentRouting)
registry.bind_top_down(IPv6, IPv6ExtHdrSegmentRouting, nh=43)
