"""Mobile IPv4 (RFC 3344, RFC 5944) on UDP port 434: a type byte (``MobileIP``) followed by
a Registration Request (``MobileIPRRQ``), a Registration Reply (``MobileIPRRP``) or, for
UDP tunnelling (RFC 3519), a Tunnel Data header (``MobileIPTunnelData``) before the tunnelled
IP datagram. Classes, field names, defaults and bindings are Scapy's
(``scapy.layers.mobileip``).

>>> bytes(MobileIP(type=3) / MobileIPRRP(homeaddr="192.0.2.1", haaddr="192.0.2.2")).hex()
'030000b4c0000201c00002020000000000000000'
"""

from __future__ import annotations

from paquet.numbers import MOBILEIP_PORT
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField, LongField, ShortField, XByteField

__all__ = ["MobileIP", "MobileIPRRP", "MobileIPRRQ", "MobileIPTunnelData"]

_RRQ, _RRP, _TUNNEL = 1, 3, 4
_IPV4 = 4  # the tunnelled datagram's protocol: IPv4


class MobileIP(Packet):
    """The message type: 1 Registration Request, 3 Registration Reply (4: tunnel data)."""

    name = "Mobile IP (RFC3344)"
    fields_desc = (ByteEnumField("type", 1, {_RRQ: "RRQ", _RRP: "RRP"}),)


class MobileIPRRQ(Packet):
    """A Registration Request: ``flags``, ``lifetime``, ``homeaddr``, ``haaddr`` (home
    agent), ``coaddr`` (care-of address), ``id``."""

    name = "Mobile IP Registration Request (RFC3344)"
    fields_desc = (
        XByteField("flags", 0),
        ShortField("lifetime", 180),
        IPField("homeaddr", "0.0.0.0"),
        IPField("haaddr", "0.0.0.0"),
        IPField("coaddr", "0.0.0.0"),
        LongField("id", 0),
    )


class MobileIPRRP(Packet):
    """A Registration Reply: ``code``, ``lifetime``, ``homeaddr``, ``haaddr``, ``id``."""

    name = "Mobile IP Registration Reply (RFC3344)"
    fields_desc = (
        ByteField("code", 0),
        ShortField("lifetime", 180),
        IPField("homeaddr", "0.0.0.0"),
        IPField("haaddr", "0.0.0.0"),
        LongField("id", 0),
    )


class MobileIPTunnelData(Packet):
    """The Tunnel Data header of RFC 3519: ``nexthdr`` (4: IPv4), ``res``."""

    name = "Mobile IP Tunnel Data Message (RFC3519)"
    fields_desc = (ByteField("nexthdr", 4), ShortField("res", 0))


def _register() -> None:
    from paquet.layers.ipv4 import IP
    from paquet.layers.udp import UDP

    registry.bind_bottom_up(UDP, MobileIP, dport=MOBILEIP_PORT)
    registry.bind_bottom_up(UDP, MobileIP, sport=MOBILEIP_PORT)
    registry.bind_layers(UDP, MobileIP, sport=MOBILEIP_PORT, dport=MOBILEIP_PORT)
    registry.bind_layers(MobileIP, MobileIPRRQ, type=_RRQ)
    registry.bind_layers(MobileIP, MobileIPRRP, type=_RRP)
    registry.bind_layers(MobileIP, MobileIPTunnelData, type=_TUNNEL)
    registry.bind_layers(MobileIPTunnelData, IP, nexthdr=_IPV4)


_register()
