"""Neighbour discovery options (RFC 4861 §4.6 and later RFCs) and the redirect message, with
Scapy's class names, fields and defaults.

:mod:`paquet.layers.icmpv6` has the messages (RS, RA, NS, NA) and the link-layer address
options; this module adds the redirect message :class:`ICMPv6ND_Redirect` (type 137) and the
other options, each dissected by its type after a neighbour discovery message or another
option (an unknown type stays an :class:`~paquet.layers.icmpv6.ICMPv6NDOptUnknown`):
prefix information (3), redirected header (4), MTU (5), NBMA shortcut limit (6), advertisement
interval (7), home agent information (8), source/target address lists (9, 10, RFC 3122), the
fast handover options (17, 18, 19, RFC 4068), MAP (23, RFC 4140), route information (24, RFC
4191), recursive DNS servers (25, RFC 8106), expanded flags (26, RFC 5175), DNS search list
(31), captive portal (37, RFC 8910) and PREF64 (38, RFC 8781).

>>> from paquet.layers.icmpv6 import ICMPv6ND_RA
>>> ra = ICMPv6ND_RA(bytes(ICMPv6ND_RA() / ICMPv6NDOptMTU(mtu=1500) / ICMPv6NDOptRDNSS(
...     dns=["2001:db8::53"])))
>>> ra[ICMPv6NDOptMTU].mtu, ra[ICMPv6NDOptRDNSS].dns, ra[ICMPv6NDOptRDNSS].len
(1500, ['2001:db8::53'], 3)
"""

from __future__ import annotations

from typing import Any

from paquet.layers.icmpv6 import _NDMessage, _NDOption, register_icmpv6_type, register_nd_option
from paquet.layers.ipv6 import IPv6
from paquet.layers.ipv6_fields import (
    DomainNameListField,
    IP6ListField,
    IP6PrefixField,
    NDOptDataField,
    PacketsShown,
)
from paquet.numbers import ICMPV6_TYPES
from paquet.packet import registry
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import BitField, ByteField, IntField, ShortField, XIntField, XShortField
from paquet.packet.strfields import StrFixedLenField
from paquet.packet.structfields import FieldLenField, MayEnd, PacketLenField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "ICMPv6NDOptAdvInterval",
    "ICMPv6NDOptCaptivePortal",
    "ICMPv6NDOptDNSSL",
    "ICMPv6NDOptEFA",
    "ICMPv6NDOptHAInfo",
    "ICMPv6NDOptIPAddr",
    "ICMPv6NDOptLLA",
    "ICMPv6NDOptMAP",
    "ICMPv6NDOptMTU",
    "ICMPv6NDOptNewRtrPrefix",
    "ICMPv6NDOptPREF64",
    "ICMPv6NDOptPrefixInfo",
    "ICMPv6NDOptRDNSS",
    "ICMPv6NDOptRedirectedHdr",
    "ICMPv6NDOptRouteInfo",
    "ICMPv6NDOptShortcutLimit",
    "ICMPv6NDOptSrcAddrList",
    "ICMPv6NDOptTgtAddrList",
    "ICMPv6ND_Redirect",
]

_PREFERENCES = {0: "Medium (default)", 1: "High", 2: "Reserved", 3: "Low"}
_IPADDR_CODES = {1: "Old Care-Of Address", 2: "New Care-Of Address", 3: "NAR's IP address"}
_LLA_CODES = {
    0: "Wildcard requesting resolution for all nearby AP",
    1: "LLA for the new AP",
    2: "LLA of the MN",
    3: "LLA of the NAR",
    4: "LLA of the src of TrSolPr or PrRtAdv msg",
    5: "AP identified by LLA belongs to current iface of router",
    6: "No preifx info available for AP identified by the LLA",
    7: "No fast handovers support for AP identified by the LLA",
}
_PLC = {0: "/96", 1: "/64", 2: "/56", 3: "/48", 4: "/40", 5: "/32"}


def _ipv6_or_raw(data: bytes) -> Packet:
    """The quoted datagram of a redirected header: IPv6, or Raw when not a whole header."""
    if len(data) < 40:
        return Raw(load=data)
    return IPv6(data)


class TruncPktLenField(PacketLenField):
    """The datagram a redirected header quotes, built cut to a multiple of 8 bytes."""

    __slots__ = ()

    def i2m(self, pkt: Any, x: Any) -> bytes:
        s = x.encode("utf-8", "surrogateescape") if isinstance(x, str) else super().i2m(pkt, x)
        return s[: len(s) - len(s) % 8]

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)


class ICMPv6NDOptPrefixInfo(_NDOption):
    """Prefix information (type 3): the on-link (``L``) and autoconfiguration (``A``)
    prefix of an RA, with its lifetimes."""

    name = "ICMPv6 Neighbor Discovery Option - Prefix Information"
    fields_desc = (
        ByteField("type", 3),
        ByteField("len", 4),
        ByteField("prefixlen", 64),
        BitField("L", 1, 1),
        BitField("A", 1, 1),
        BitField("R", 0, 1),
        BitField("res1", 0, 5),
        XIntField("validlifetime", 0xFFFFFFFF),
        XIntField("preferredlifetime", 0xFFFFFFFF),
        XIntField("res2", 0),
        IP6Field("prefix", "::"),
    )

    def mysummary(self) -> str:
        d = self.__dict__
        return (f"{self.name} {d['prefix']}/{d['prefixlen']} On-link {d['L']} "
                f"Autonomous Address {d['A']} Router Address {d['R']}")


class ICMPv6NDOptRedirectedHdr(PacketsShown, _NDOption):
    """Redirected header (type 4): the start of the datagram that caused a redirect."""

    name = "ICMPv6 Neighbor Discovery Option - Redirected Header"
    fields_desc = (
        ByteField("type", 4),
        FieldLenField("len", None, length_of="pkt", fmt="B",
                      adjust=lambda pkt, x: (x + 8) // 8),
        MayEnd(StrFixedLenField("res", b"\x00" * 6, 6)),
        TruncPktLenField("pkt", b"", _ipv6_or_raw,
                         length_from=lambda pkt: 8 * pkt.len - 8),
    )


class ICMPv6NDOptMTU(_NDOption):
    """MTU (type 5): the link's MTU, announced in an RA."""

    name = "ICMPv6 Neighbor Discovery Option - MTU"
    fields_desc = (
        ByteField("type", 5),
        ByteField("len", 1),
        XShortField("res", 0),
        IntField("mtu", 1280),
    )

    def mysummary(self) -> str:
        return f"{self.name} {self.__dict__['mtu']}"


class ICMPv6NDOptShortcutLimit(_NDOption):
    """NBMA shortcut limit (type 6, RFC 2491)."""

    name = "ICMPv6 Neighbor Discovery Option - NBMA Shortcut Limit"
    fields_desc = (
        ByteField("type", 6),
        ByteField("len", 1),
        ByteField("shortcutlim", 40),
        ByteField("res1", 0),
        IntField("res2", 0),
    )


class ICMPv6NDOptAdvInterval(_NDOption):
    """Advertisement interval (type 7, RFC 6275): milliseconds between unsolicited RAs."""

    name = "ICMPv6 Neighbor Discovery - Interval Advertisement"
    fields_desc = (
        ByteField("type", 7),
        ByteField("len", 1),
        ShortField("res", 0),
        IntField("advint", 0),
    )

    def mysummary(self) -> str:
        return f"{self.name} {self.__dict__['advint']} milliseconds"


class ICMPv6NDOptHAInfo(_NDOption):
    """Home agent information (type 8, RFC 6275): preference and lifetime."""

    name = "ICMPv6 Neighbor Discovery - Home Agent Information"
    fields_desc = (
        ByteField("type", 8),
        ByteField("len", 1),
        ShortField("res", 0),
        ShortField("pref", 0),
        ShortField("lifetime", 1),
    )

    def mysummary(self) -> str:
        d = self.__dict__
        return f"{self.name} {d['pref']} {d['lifetime']} seconds"


class ICMPv6NDOptSrcAddrList(_NDOption):
    """Source address list (type 9, RFC 3122 inverse discovery)."""

    name = "ICMPv6 Inverse Neighbor Discovery Option - Source Address List"
    fields_desc = (
        ByteField("type", 9),
        FieldLenField("len", None, count_of="addrlist", fmt="B",
                      adjust=lambda pkt, x: 2 * x + 1),
        StrFixedLenField("res", b"\x00" * 6, 6),
        IP6ListField("addrlist", [], length_from=lambda pkt: 8 * (pkt.len - 1)),
    )


class ICMPv6NDOptTgtAddrList(ICMPv6NDOptSrcAddrList):
    """Target address list (type 10, RFC 3122 inverse discovery)."""

    name = "ICMPv6 Inverse Neighbor Discovery Option - Target Address List"
    type = 10


class ICMPv6NDOptIPAddr(_NDOption):
    """IP address option (type 17, RFC 4068 fast handovers)."""

    name = "ICMPv6 Neighbor Discovery - IP Address Option (FH for MIPv6)"
    fields_desc = (
        ByteField("type", 17),
        ByteField("len", 3),
        ByteEnumField("optcode", 1, _IPADDR_CODES),
        ByteField("plen", 64),
        IntField("res", 0),
        IP6Field("addr", "::"),
    )


class ICMPv6NDOptNewRtrPrefix(_NDOption):
    """New router prefix information (type 18, RFC 4068)."""

    name = "ICMPv6 Neighbor Discovery - New Router Prefix Information Option (FH for MIPv6)"
    fields_desc = (
        ByteField("type", 18),
        ByteField("len", 3),
        ByteField("optcode", 0),
        ByteField("plen", 64),
        IntField("res", 0),
        IP6Field("prefix", "::"),
    )


class ICMPv6NDOptLLA(_NDOption):
    """Link-layer address option (type 19, RFC 4068): an Ethernet address."""

    name = "ICMPv6 Neighbor Discovery - Link-Layer Address (LLA) Option (FH for MIPv6)"
    fields_desc = (
        ByteField("type", 19),
        ByteField("len", 1),
        ByteEnumField("optcode", 0, _LLA_CODES),
        MACField("lla", "00:00:00:00:00:00"),
    )


class ICMPv6NDOptMAP(_NDOption):
    """Mobility anchor point (type 23, RFC 4140)."""

    name = "ICMPv6 Neighbor Discovery - MAP Option"
    fields_desc = (
        ByteField("type", 23),
        ByteField("len", 3),
        BitField("dist", 1, 4),
        BitField("pref", 15, 4),
        BitField("R", 1, 1),
        BitField("res", 0, 7),
        IntField("validlifetime", 0xFFFFFFFF),
        IP6Field("addr", "::"),
    )


class ICMPv6NDOptRouteInfo(_NDOption):
    """Route information (type 24, RFC 4191): a more specific route through the router;
    the prefix takes ``8 * (len - 1)`` bytes."""

    name = "ICMPv6 Neighbor Discovery Option - Route Information Option"
    fields_desc = (
        ByteField("type", 24),
        FieldLenField("len", None, length_of="prefix", fmt="B",
                      adjust=lambda pkt, x: x // 8 + 1),
        ByteField("plen", None),
        BitField("res1", 0, 3),
        BitEnumField("prf", 0, 2, _PREFERENCES),
        BitField("res2", 0, 3),
        IntField("rtlifetime", 0xFFFFFFFF),
        IP6PrefixField("prefix", None),
    )

    def mysummary(self) -> str:
        d = self.__dict__
        prf = self._fieldmap["prf"].i2repr(self, d["prf"])
        return f"{self.name} {d['prefix']}/{d['plen']} Preference {prf}"


class ICMPv6NDOptRDNSS(_NDOption):
    """Recursive DNS servers (type 25, RFC 8106): ``dns`` addresses and their lifetime."""

    name = "ICMPv6 Neighbor Discovery Option - Recursive DNS Server Option"
    fields_desc = (
        ByteField("type", 25),
        FieldLenField("len", None, count_of="dns", fmt="B",
                      adjust=lambda pkt, x: 2 * x + 1),
        ShortField("res", None),
        IntField("lifetime", 0xFFFFFFFF),
        IP6ListField("dns", [], length_from=lambda pkt: 8 * (pkt.len - 1)),
    )

    def mysummary(self) -> str:
        return f"{self.name} " + ", ".join(self.__dict__["dns"] or [])


class ICMPv6NDOptEFA(_NDOption):
    """Expanded flags (type 26, RFC 5175)."""

    name = "ICMPv6 Neighbor Discovery Option - Expanded Flags Option"
    fields_desc = (
        ByteField("type", 26),
        ByteField("len", 1),
        BitField("res", 0, 48),
    )


class ICMPv6NDOptDNSSL(_NDOption):
    """DNS search list (type 31, RFC 8106): ``searchlist`` names and their lifetime."""

    name = "ICMPv6 Neighbor Discovery Option - DNS Search List Option"
    fields_desc = (
        ByteField("type", 31),
        FieldLenField("len", None, length_of="searchlist", fmt="B",
                      adjust=lambda pkt, x: 1 + x // 8),
        ShortField("res", None),
        IntField("lifetime", 0xFFFFFFFF),
        DomainNameListField("searchlist", [], length_from=lambda pkt: 8 * pkt.len - 8,
                            padded=True),
    )

    def mysummary(self) -> str:
        return f"{self.name} " + ", ".join(self.__dict__["searchlist"] or [])


class ICMPv6NDOptCaptivePortal(_NDOption):
    """Captive portal (type 37, RFC 8910): the portal's ``URI``, zero-padded."""

    name = "ICMPv6 Neighbor Discovery Option - Captive-Portal Option"
    fields_desc = (
        ByteField("type", 37),
        FieldLenField("len", None, length_of="URI", fmt="B",
                      adjust=lambda pkt, x: (2 + x) // 8),
        NDOptDataField("URI", b"", strip_zeros=True,
                       length_from=lambda pkt: 8 * max(pkt.len, 1) - 2),
    )

    def mysummary(self) -> str:
        return f"{self.name} {self.__dict__['URI']!r}"


class _PREF64Field(IP6Field):
    """The 96 first bits of a PREF64 prefix."""

    __slots__ = ()

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)[:12]

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return s[12:], self.m2i(pkt, (bytes(s[:12]) + bytes(16))[:16])

    def i2len(self, pkt: Any, x: Any) -> int:
        return 12

    def type_name(self) -> str:
        return "_PREF64"


class ICMPv6NDOptPREF64(_NDOption):
    """PREF64 (type 38, RFC 8781): the NAT64 prefix, its length code ``plc``."""

    name = "ICMPv6 Neighbor Discovery Option - PREF64 Option"
    fields_desc = (
        ByteField("type", 38),
        ByteField("len", 2),
        BitField("scaledlifetime", 0, 13),
        BitEnumField("plc", 0, 3, _PLC),
        _PREF64Field("prefix", "::"),
    )

    def mysummary(self) -> str:
        d = self.__dict__
        plc = _PLC.get(d["plc"], f"[invalid PLC({d['plc']})]")
        return f"{self.name} {d['prefix']}{plc}"


class ICMPv6ND_Redirect(_NDMessage):
    """Redirect (type 137): a better first hop ``tgt`` towards ``dst``."""

    name = "ICMPv6 Neighbor Discovery - Redirect"
    fields_desc = (
        ByteEnumField("type", 137, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XIntField("res", 0),
        IP6Field("tgt", "::"),
        IP6Field("dst", "::"),
    )


_OPTIONS: tuple[type[Packet], ...] = (
    ICMPv6NDOptPrefixInfo, ICMPv6NDOptRedirectedHdr, ICMPv6NDOptMTU, ICMPv6NDOptShortcutLimit,
    ICMPv6NDOptAdvInterval, ICMPv6NDOptHAInfo, ICMPv6NDOptSrcAddrList, ICMPv6NDOptTgtAddrList,
    ICMPv6NDOptIPAddr, ICMPv6NDOptNewRtrPrefix, ICMPv6NDOptLLA, ICMPv6NDOptMAP,
    ICMPv6NDOptRouteInfo, ICMPv6NDOptRDNSS, ICMPv6NDOptEFA, ICMPv6NDOptDNSSL,
    ICMPv6NDOptCaptivePortal, ICMPv6NDOptPREF64,
)
for _cls in _OPTIONS:
    register_nd_option(_cls._fieldmap["type"].default, _cls)
register_icmpv6_type(137, ICMPv6ND_Redirect)
registry.bind_top_down(IPv6, ICMPv6ND_Redirect, nh=58, dst="ff02::1", hlim=255)
