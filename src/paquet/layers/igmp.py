"""IGMP, the Internet Group Management Protocol: versions 1 and 2 (RFC 1112, RFC 2236), version
3 (RFC 9776) and multicast router discovery (RFC 4286), IP protocol 2.

Every message starts with a type, a max response code, a checksum over the whole message; v1/v2
messages add the group address (8 bytes in all), a v3 query adds flags, robustness, query
interval and a list of sources, a v3 report a list of group records (``IGMPv3_MR_Group``). The
classes, field names, defaults and bindings are Scapy's (``scapy.layers.igmp``): ``IGMP(...)``
and ``IGMPv3(...)`` give the class of their type (``IGMP()`` is a query, ``IGMP(type=0x17)`` a
Leave Group), bytes dissect as the class their type names (a query of 12 bytes or more is a v3
query), and an IP under a message gets TTL 1, TOS 0xC0, the router alert option and, left at
its default destination, the group the message goes to (224.0.0.1 for a general query, the
group for a report, 224.0.0.2 for a leave, 224.0.0.22 for a v3 report).

>>> bytes(IGMP(type=0x16, gaddr="239.1.2.3")).hex()
'1600f8faef010203'
"""

from __future__ import annotations

import struct
from typing import Any, ClassVar

from paquet.checksums import internet_checksum
from paquet.numbers import (
    ALL_ROUTERS_GROUP,
    ALL_SNOOPERS_GROUP,
    ALL_SYSTEMS_GROUP,
    IGMPV3_ROUTERS_GROUP,
    IPPROTO_IGMP,
)
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, ShortField, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.structfields import FieldLenField, FieldListField, PacketListField
from paquet.packet.valuefields import ScalingField

__all__ = [
    "IGMP",
    "IGMP_MQ",
    "IGMP_MR",
    "IGMPv2_LG",
    "IGMPv2_MR",
    "IGMPv3",
    "IGMPv3_MQ",
    "IGMPv3_MR",
    "IGMPv3_MRA",
    "IGMPv3_MRS",
    "IGMPv3_MRT",
    "IGMPv3_MR_Group",
]

_QUERY, _V1_REPORT, _V2_REPORT, _LEAVE, _V3_REPORT = 0x11, 0x12, 0x16, 0x17, 0x22
_MRA, _MRS, _MRT = 0x30, 0x31, 0x32
#: The message types of IGMP v1/v2 and of IGMPv3 (with RFC 4286's), Scapy's names.
IGMP_TYPES = {_QUERY: "Group Membership Query", _V1_REPORT: "Version 1 - Membership Report",
              _V2_REPORT: "Version 2 - Membership Report", _LEAVE: "Leave Group"}
IGMPV3_TYPES = {_QUERY: "Membership Query", _V3_REPORT: "Version 3 - Membership Report",
                _MRA: "Multicast Router Advertisement", _MRS: "Multicast Router Solicitation",
                _MRT: "Multicast Router Termination"}
IGMPV3_RECORD_TYPES = {1: "Mode Is Include", 2: "Mode Is Exclude", 3: "Change To Include Mode",
                       4: "Change To Exclude Mode", 5: "Allow New Sources",
                       6: "Block Old Sources"}
#: The query's default max response code (2 s, in tenths of a second).
_DEFAULT_MRCODE = 20
#: A v3 query is at least 12 bytes (a v1/v2 one is 8).
_V3_QUERY_LEN = 12


class _MRCodeField(ScalingField):
    """The Max Resp Code: 20 for a query and 0 otherwise when None; in a v3 query, a time of
    128 tenths or more is sent in RFC 9776's floating-point form (and read back as a time)."""

    __slots__ = ()

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None:
            return _DEFAULT_MRCODE if pkt is not None and pkt.type == _QUERY else 0
        if pkt is not None and pkt.type == _QUERY and isinstance(pkt, IGMPv3) and x >= 128:
            x = int(x) >> 3
            exp = 0
            while x > 31:
                exp += 1
                x >>= 1
            return 0x80 | exp << 4 | (x & 0x0F)
        return super().i2m(pkt, x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return super().i2h(pkt, self.i2m(pkt, x))

    def m2i(self, pkt: Any, x: Any) -> Any:
        if pkt is not None and pkt.type == _QUERY and isinstance(pkt, IGMPv3) and x >= 128:
            return ((x & 0x0F) | 0x10) << (((x >> 4) & 0x7) + 3)
        return super().i2m(pkt, x)


def _class_of_type(typ: Any, size: int | None, v3: bool) -> type[Packet] | None:
    """The class of an IGMP type (Scapy's ``dispatch_hook``): a query is v3 when its bytes
    are 12 or more, or, built, when asked of an IGMPv3 class."""
    if typ == _QUERY:
        if (size is not None and size >= _V3_QUERY_LEN) or (size is None and v3):
            return IGMPv3_MQ
        return IGMP_MQ
    return _CLASSES.get(typ) if isinstance(typ, int) else None


class IGMP(Packet):
    """An IGMP v1/v2 message (8 bytes): ``type``, ``mrcode``, ``chksum``, ``gaddr``.
    ``IGMP(...)`` is the class its ``type`` names (a query by default)."""

    name = "IGMP"
    fields_desc: ClassVar[tuple[Field, ...]] = (
        ByteEnumField("type", _QUERY, IGMP_TYPES),
        _MRCodeField("mrcode", None, unit="1/10sec"),
        XShortField("chksum", None),
        IPField("gaddr", "0.0.0.0"),
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # (bytes are dispatched by ``dispatch_class``; fields by their type, here)
        if (cls is IGMP or cls is IGMPv3) and not (args and args[0]):
            found = _class_of_type(kwargs.get("type"), None, cls is IGMPv3) or IGMP_MQ
            obj = object.__new__(found)
            if not issubclass(found, cls):
                # (Python initialises only an instance of the class called)
                obj.__init__(*args, **kwargs)  # type: ignore[misc]
            return obj
        return object.__new__(cls)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class the type byte names (4 bytes or more), else a v1/v2 query, as Scapy."""
        return _dispatch(data, start, end)

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.chksum is None:
            p = p[:2] + struct.pack("!H", internet_checksum(p)) + p[4:]
        return p

    def answers(self, other: Any) -> bool:
        """A report answers a query, an advertisement a solicitation (Scapy's rule)."""
        if other.type == _QUERY:
            return self.type in (_V1_REPORT, _V2_REPORT, _V3_REPORT)
        if other.type == _MRS:
            return self.type == _MRA  # type: ignore[no-any-return]
        return False

    def mysummary(self) -> str:
        t = type(self).__name__
        under = self.underlayer
        if under is not None and type(under).__name__ == "IP":
            return under.sprintf(f"IGMP: %IP.src% > %IP.dst% %{t}.type% %{t}.gaddr%")
        return self.sprintf(f"IGMP %{t}.type% %{t}.gaddr%")


def _v1v2(typ: int) -> tuple[Field, ...]:
    return (ByteEnumField("type", typ, IGMP_TYPES), *IGMP.fields_desc[1:])


class IGMP_MQ(IGMP):
    """IGMPv1/v2 Membership Query (type 0x11)."""

    name = "IGMPv1/v2 Membership Query"
    match_subclass = True
    fields_desc = _v1v2(_QUERY)


class IGMPv2_LG(IGMP):
    """IGMPv2 Leave Group (type 0x17)."""

    name = "IGMPv2 Leave Group"
    match_subclass = True
    fields_desc = _v1v2(_LEAVE)


class IGMP_MR(IGMP):
    """IGMPv1 Membership Report (type 0x12)."""

    name = "IGMPv1 Membership Report"
    match_subclass = True
    fields_desc = _v1v2(_V1_REPORT)


class IGMPv2_MR(IGMP):
    """IGMPv2 Membership Report (type 0x16)."""

    name = "IGMPv2 Membership Report"
    match_subclass = True
    fields_desc = _v1v2(_V2_REPORT)


class IGMPv3(IGMP):
    """An IGMPv3 message: its ``type`` alone here; ``IGMPv3(...)`` is the class its type
    names (a v3 query by default)."""

    name = "IGMPv3"
    fields_desc: ClassVar[tuple[Field, ...]] = (ByteEnumField("type", _QUERY, IGMPV3_TYPES),)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """As :meth:`IGMP.dispatch_class`."""
        return _dispatch(data, start, end)

    def mysummary(self) -> str:
        t = type(self).__name__
        under = self.underlayer
        if under is not None and type(under).__name__ == "IP":
            return under.sprintf(f"IGMPv3: %IP.src% > %IP.dst% %{t}.type%")
        return self.sprintf(f"IGMPv3 %{t}.type%")


def _v3_type(typ: int) -> Field:
    return ByteEnumField("type", typ, IGMPV3_TYPES)


class IGMPv3_MQ(IGMPv3):
    """IGMPv3 Membership Query: ``type``, ``mrcode``, ``chksum``, ``gaddr``, ``flags``,
    ``s``, ``qrv``, ``qqic``, ``numsrc``, ``srcaddrs``."""

    name = "IGMPv3 Membership Query"
    match_subclass = True
    fields_desc = (
        _v3_type(_QUERY),
        _MRCodeField("mrcode", _DEFAULT_MRCODE, unit="1/10sec"),
        XShortField("chksum", None),
        IPField("gaddr", "0.0.0.0"),
        FlagsField("flags", 0, 4, {0x8: "extended"}),
        BitField("s", 0, 1),
        BitField("qrv", 0, 3),
        ByteField("qqic", 0),
        FieldLenField("numsrc", None, count_of="srcaddrs"),
        FieldListField("srcaddrs", None, IPField("sa", "0.0.0.0"),
                       count_from=lambda x: x.numsrc),
    )


class IGMPv3_MR_Group(Packet):
    """A group record of an IGMPv3 report: ``rtype``, ``auxdlen``, ``numsrc``, ``maddr``,
    ``srcaddrs``."""

    name = "IGMPv3 Group Record"
    fields_desc = (
        ByteEnumField("rtype", 4, IGMPV3_RECORD_TYPES),
        ByteField("auxdlen", 0),
        FieldLenField("numsrc", None, count_of="srcaddrs"),
        IPField("maddr", "0.0.0.0"),
        FieldListField("srcaddrs", [], IPField("sa", "0.0.0.0"),
                       count_from=lambda x: x.numsrc),
    )

    def mysummary(self) -> str:
        # (Scapy's names the layer by its old name, which sprintf does not find)
        return self.sprintf("IGMPv3 Group Record %IGMPv3gr.type% %IGMPv3gr.maddr%")

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        from paquet.layers.raw import Padding

        return Padding


class IGMPv3_MR(IGMPv3):
    """IGMPv3 Membership Report: ``type``, ``reserved``, ``chksum``, ``flags``, ``numgrp``,
    ``records`` (``IGMPv3_MR_Group``)."""

    name = "IGMPv3 Membership Report"
    match_subclass = True
    fields_desc = (
        _v3_type(_V3_REPORT),
        ByteField("reserved", 0),
        XShortField("chksum", None),
        FlagsField("flags", 0, 16, {0x8000: "extended"}),
        FieldLenField("numgrp", None, count_of="records"),
        PacketListField("records", [], IGMPv3_MR_Group, count_from=lambda x: x.numgrp),
    )


class IGMPv3_MRA(IGMPv3):
    """Multicast Router Advertisement (RFC 4286): ``advIntvl``, ``qryIntvl``, ``robust``."""

    name = "IGMPv3_MRA"
    match_subclass = True
    fields_desc = (
        _v3_type(_MRA),
        ByteField("advIntvl", 0),
        XShortField("chksum", None),
        ShortField("qryIntvl", 0),
        ShortField("robust", 0),
    )


class IGMPv3_MRS(IGMPv3):
    """Multicast Router Solicitation (RFC 4286)."""

    name = "IGMPv3_MRS"
    match_subclass = True
    fields_desc = (_v3_type(_MRS), ByteField("reserved", 0), XShortField("chksum", None))


class IGMPv3_MRT(IGMPv3):
    """Multicast Router Termination (RFC 4286; its default type is 0x31, as in Scapy)."""

    name = "IGMPv3_MRT"
    match_subclass = True
    fields_desc = (_v3_type(_MRS), ByteField("reserved", 0), XShortField("chksum", None))


_CLASSES: dict[int, type[Packet]] = {
    _V1_REPORT: IGMP_MR, _V2_REPORT: IGMPv2_MR, _LEAVE: IGMPv2_LG, _V3_REPORT: IGMPv3_MR,
    _MRA: IGMPv3_MRA, _MRS: IGMPv3_MRS, _MRT: IGMPv3_MRT,
}


def _dispatch(data: bytes, start: int, end: int) -> type[Packet]:
    found = _class_of_type(data[start], end - start, False) if end - start >= 4 else None
    return found or IGMP_MQ




def _query_group(pkt: Any) -> str:
    """Where a query goes: all systems for a general query, else its group."""
    gaddr = pkt.gaddr
    return ALL_SYSTEMS_GROUP if gaddr == "0.0.0.0" else str(gaddr)


def _register() -> None:
    from paquet.layers.ipv4 import IP, bind_dst_addr
    from paquet.layers.ipv4_options import IPOption_Router_Alert

    registry.bind_bottom_up(IP, IGMP, proto=IPPROTO_IGMP)
    # (Scapy also adds the router alert option to an IP without options)
    registry.bind_top_down(IP, IGMP, proto=IPPROTO_IGMP, ttl=1, tos=0xC0,
                           options=[IPOption_Router_Alert()])
    bind_dst_addr(IGMP_MQ, _query_group)
    bind_dst_addr(IGMPv3_MQ, _query_group)
    bind_dst_addr(IGMPv2_LG, ALL_ROUTERS_GROUP)
    bind_dst_addr(IGMP_MR, lambda pkt: str(pkt.gaddr))
    bind_dst_addr(IGMPv2_MR, lambda pkt: str(pkt.gaddr))
    bind_dst_addr(IGMPv3_MR, IGMPV3_ROUTERS_GROUP)
    bind_dst_addr(IGMPv3_MRA, ALL_SNOOPERS_GROUP)
    bind_dst_addr(IGMPv3_MRT, ALL_SNOOPERS_GROUP)
    bind_dst_addr(IGMPv3_MRS, ALL_ROUTERS_GROUP)


_register()
