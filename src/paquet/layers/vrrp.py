"""VRRP, the Virtual Router Redundancy Protocol: version 2 (RFC 3768) and version 3 (RFC 5798),
IP protocol 112.

Both start with a version nibble and a type nibble (1, advertisement), the virtual router's id,
its priority and the count of addresses; version 2 then has an authentication type, an
advertisement interval in seconds, the checksum of the message alone, the IPv4 addresses and
8 bytes of authentication data; version 3 has a 12-bit interval in centiseconds, a checksum
over the IP pseudo-header and the addresses, IPv4 or IPv6 as the layer underneath. Classes,
field names, defaults and bindings are Scapy's (``scapy.layers.vrrp``): either class dissects
as the other when the version nibble says so.

>>> bytes(VRRP(addrlist=["192.0.2.1"])).hex()
'210164010001b8fac00002010000000000000000'
"""

from __future__ import annotations

from typing import Any

from paquet.checksums import internet_checksum
from paquet.numbers import IPPROTO_VRRP
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.fields import BitField, ByteField, IntField, XShortField
from paquet.packet.strfields import StrField
from paquet.packet.structfields import FieldLenField, FieldListField, MultipleTypeField
from paquet.packet.valuefields import IP6Field

__all__ = ["VRRP", "VRRPv3"]

#: The first bytes of a version 3 message: version 3, any type from 0 to 9 (Scapy's test).
_V3_FIRST = range(0x30, 0x3A)


def _with_checksum(p: bytes, ck: int) -> bytes:
    return p[:6] + ck.to_bytes(2, "big") + p[8:]


class VRRP(Packet):
    """A VRRPv2 advertisement: ``version``, ``type``, ``vrid``, ``priority``, ``ipcount``,
    ``authtype``, ``adv`` (seconds), ``chksum``, ``addrlist``, ``auth1``, ``auth2``."""

    name = "VRRP"
    fields_desc = (
        BitField("version", 2, 4),
        BitField("type", 1, 4),
        ByteField("vrid", 1),
        ByteField("priority", 100),
        FieldLenField("ipcount", None, count_of="addrlist", fmt="B"),
        ByteField("authtype", 0),
        ByteField("adv", 1),
        XShortField("chksum", None),
        FieldListField("addrlist", [], IPField("", "0.0.0.0"),
                       count_from=lambda pkt: pkt.ipcount),
        IntField("auth1", 0),
        IntField("auth2", 0),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        # (Scapy's returns the header alone, dropping a payload put on it: here a payload is
        # kept, so that bytes after a dissected message build back)
        if self.chksum is None:
            p = _with_checksum(p, internet_checksum(p))
        return p + pay

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """VRRPv3 for bytes whose version nibble is 3 (9 bytes or more), as Scapy."""
        if end - start >= 9 and data[start] in _V3_FIRST:
            return VRRPv3
        return VRRP


def _over(kind: str) -> Any:
    def cond(pkt: Any) -> bool:
        under = pkt.underlayer
        return under is not None and type(under).__name__ == kind
    return cond


class VRRPv3(Packet):
    """A VRRPv3 advertisement: ``version``, ``type``, ``vrid``, ``priority``, ``ipcount``,
    ``res``, ``adv`` (centiseconds), ``chksum`` (with the IP pseudo-header), ``addrlist``
    (IPv4 or IPv6 addresses as the layer underneath; bytes without one)."""

    name = "VRRPv3"
    fields_desc = (
        BitField("version", 3, 4),
        BitField("type", 1, 4),
        ByteField("vrid", 1),
        ByteField("priority", 100),
        FieldLenField("ipcount", None, count_of="addrlist", fmt="B"),
        BitField("res", 0, 4),
        BitField("adv", 100, 12),
        XShortField("chksum", None),
        MultipleTypeField(
            [
                (FieldListField("addrlist", [], IPField("", "0.0.0.0"),
                                count_from=lambda pkt: pkt.ipcount), _over("IP")),
                (FieldListField("addrlist", [], IP6Field("", "::"),
                                count_from=lambda pkt: pkt.ipcount), _over("IPv6")),
            ],
            StrField("addrlist", ""),
        ),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        from paquet.layers.udp import transport_checksum

        if self.chksum is None:
            # (no IP or IPv6 underneath: 0, where Scapy warns)
            p = _with_checksum(p, transport_checksum(self, p, IPPROTO_VRRP) or 0)
        return p + pay

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """VRRP for bytes of 16 or more whose version nibble is not 3, as Scapy."""
        if end - start >= 16 and data[start] not in _V3_FIRST:
            return VRRP
        return VRRPv3


def _register() -> None:
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6

    registry.bind_layers(IP, VRRP, proto=IPPROTO_VRRP)
    registry.bind_layers(IP, VRRPv3, proto=IPPROTO_VRRP)
    registry.bind_layers(IPv6, VRRPv3, nh=IPPROTO_VRRP)


_register()
