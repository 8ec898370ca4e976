"""Multicast listener discovery: MLD (RFC 2710), MLDv2 (RFC 3810) and multicast router
discovery (RFC 4286), with Scapy's classes, fields and defaults.

:class:`ICMPv6MLQuery` (type 130), :class:`ICMPv6MLReport` (131) and :class:`ICMPv6MLDone`
(132) share one layout (``mrd``, ``mladdr``); a type 130 message of 28 bytes or more is an
MLDv2 :class:`ICMPv6MLQuery2` (RFC 3810 §8.1). :class:`ICMPv6MLReport2` (type 143) carries
:class:`ICMPv6MLDMultAddrRec` records. Put on an ``IPv6()``, each sets its ``hlim`` to 1 and
its destination group (ff02::1 for queries, ff02::2 for Done, ff02::16 for MLDv2 reports)
unless the user set them, as Scapy does. The router alert option (RFC 2711) that these
messages carry goes in a hop-by-hop header by hand, as in Scapy. One difference: the records
of a dissected MLDv2 report are each an item of ``records`` (Scapy nests the second record
in the first one's payload), as tshark lists them.

>>> q = ICMPv6MLQuery2(sources=["2001:db8::1"])
>>> ICMPv6MLQuery2(bytes(q)).sources_number, ICMPv6MLQuery2(bytes(q)).sources
(1, ['2001:db8::1'])
"""

from __future__ import annotations

from typing import Any

from paquet.layers.icmpv6 import _ICMPv6, register_icmpv6_type
from paquet.layers.ipv6 import IPv6
from paquet.layers.ipv6_fields import IP6ListField, PacketListField, PacketsShown
from paquet.numbers import ICMPV6_TYPES
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, ShortField, XShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "ICMPv6MLDMultAddrRec",
    "ICMPv6MLDone",
    "ICMPv6MLQuery",
    "ICMPv6MLQuery2",
    "ICMPv6MLReport",
    "ICMPv6MLReport2",
    "ICMPv6MRD_Advertisement",
    "ICMPv6MRD_Solicitation",
    "ICMPv6MRD_Termination",
]


def _ml_fields(mtype: int, mrd: int) -> tuple[Any, ...]:
    return (
        ByteEnumField("type", mtype, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        ShortField("mrd", mrd),
        ShortField("reserved", 0),
        IP6Field("mladdr", "::"),
    )


class ICMPv6MLQuery(_ICMPv6):
    """An MLD query (type 130): who listens to ``mladdr`` (``::``: to any group)?"""

    name = "MLD - Multicast Listener Query"
    fields_desc = _ml_fields(130, 10000)

    @classmethod
    def by_subtype(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """MLDv1 or MLDv2 by the query's length (RFC 3810 §8.1)."""
        return ICMPv6MLQuery2 if end - start >= 28 else ICMPv6MLQuery


class ICMPv6MLReport(_ICMPv6):
    """An MLD report (type 131): this node listens to ``mladdr``."""

    name = "MLD - Multicast Listener Report"
    fields_desc = _ml_fields(131, 0)

    def answers(self, other: Packet) -> bool:
        return isinstance(other, ICMPv6MLQuery)


class ICMPv6MLDone(_ICMPv6):
    """MLD done (type 132): this node stops listening to ``mladdr``."""

    name = "MLD - Multicast Listener Done"
    fields_desc = _ml_fields(132, 0)


class ICMPv6MLQuery2(_ICMPv6):
    """An MLDv2 query (type 130): ``mladdr`` and the ``sources`` of interest."""

    name = "MLDv2 - Multicast Listener Query"
    fields_desc = (
        *_ml_fields(130, 10000),
        BitField("Resv", 0, 4),
        BitField("S", 0, 1),
        BitField("QRV", 0, 3),
        ByteField("QQIC", 0),
        FieldLenField("sources_number", None, count_of="sources"),
        IP6ListField("sources", [], count_from=lambda pkt: pkt.sources_number),
    )


class ICMPv6MLDMultAddrRec(Packet):
    """A multicast address record of an MLDv2 report: ``rtype``, the group ``dst``, its
    ``sources`` and auxiliary data."""

    name = "ICMPv6 MLDv2 - Multicast Address Record"
    fields_desc = (
        ByteField("rtype", 4),
        FieldLenField("auxdata_len", None, length_of="auxdata", fmt="B"),
        FieldLenField("sources_number", None, length_of="sources",
                      adjust=lambda pkt, n: n // 16),
        IP6Field("dst", "::"),
        IP6ListField("sources", [], length_from=lambda pkt: 16 * pkt.sources_number),
        StrLenField("auxdata", b"", length_from=lambda pkt: pkt.auxdata_len),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class ICMPv6MLReport2(PacketsShown, _ICMPv6):
    """An MLDv2 report (type 143): the node's ``records``."""

    name = "MLDv2 - Multicast Listener Report"
    fields_desc = (
        ByteEnumField("type", 143, ICMPV6_TYPES),
        ByteField("res", 0),
        XShortField("cksum", None),
        ShortField("reserved", 0),
        FieldLenField("records_number", None, count_of="records"),
        PacketListField("records", [], ICMPv6MLDMultAddrRec,
                        count_from=lambda pkt: pkt.records_number),
    )

    def answers(self, other: Packet) -> bool:
        return isinstance(other, ICMPv6MLQuery2)


class ICMPv6MRD_Advertisement(_ICMPv6):
    """A multicast router advertisement (type 151, RFC 4286)."""

    name = "ICMPv6 Multicast Router Discovery Advertisement"
    fields_desc = (
        ByteEnumField("type", 151, ICMPV6_TYPES),
        ByteField("advinter", 20),
        XShortField("cksum", None),
        ShortField("queryint", 0),
        ShortField("robustness", 0),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class ICMPv6MRD_Solicitation(_ICMPv6):
    """A multicast router solicitation (type 152, RFC 4286)."""

    name = "ICMPv6 Multicast Router Discovery Solicitation"
    fields_desc = (
        ByteEnumField("type", 152, ICMPV6_TYPES),
        ByteField("res", 0),
        XShortField("cksum", None),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class ICMPv6MRD_Termination(_ICMPv6):
    """A multicast router termination (type 153, RFC 4286)."""

    name = "ICMPv6 Multicast Router Discovery Termination"
    fields_desc = (
        ByteEnumField("type", 153, ICMPV6_TYPES),
        ByteField("res", 0),
        XShortField("cksum", None),
    )


def _register() -> None:
    cls: type[Packet]
    for mtype, cls in ((130, ICMPv6MLQuery), (131, ICMPv6MLReport), (132, ICMPv6MLDone),
                       (143, ICMPv6MLReport2), (151, ICMPv6MRD_Advertisement),
                       (152, ICMPv6MRD_Solicitation), (153, ICMPv6MRD_Termination)):
        register_icmpv6_type(mtype, cls)
    for cls, dst in ((ICMPv6MLQuery, "ff02::1"), (ICMPv6MLQuery2, "ff02::1"),
                     (ICMPv6MLDone, "ff02::2"), (ICMPv6MLReport2, "ff02::16"),
                     (ICMPv6MRD_Advertisement, "ff02::2"), (ICMPv6MRD_Solicitation, "ff02::2"),
                     (ICMPv6MRD_Termination, "ff02::6a")):
        registry.bind_top_down(IPv6, cls, nh=58, dst=dst, hlim=1)
    registry.bind_top_down(IPv6, ICMPv6MLReport, nh=58, hlim=1)


_register()
