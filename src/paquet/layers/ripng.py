"""RIPng, RIP for IPv6 (RFC 2080), on UDP port 521.

A 4-byte header (``cmd``, ``ver``, ``null``) followed by 20-byte route entries (``RIPngEntry``:
prefix or next hop, route tag, prefix length, metric; metric 255 marks a next-hop entry). Class,
field names, defaults and bindings are Scapy's (``scapy.contrib.ripng``).

>>> bytes(RIPng(cmd=2) / RIPngEntry(prefix_or_nh="2001:db8::", prefixlen=32)).hex()
'0201000020010db800000000000000000000000000002001'
"""

from __future__ import annotations

from paquet.numbers import RIPNG_PORT
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField, ShortField
from paquet.packet.valuefields import IP6Field

__all__ = ["RIPng", "RIPngEntry"]


class RIPng(Packet):
    """The RIPng header: ``cmd`` (request or response), ``ver``, ``null``."""

    name = "RIPng header"
    fields_desc = (
        ByteEnumField("cmd", 1, {1: "req", 2: "resp"}),
        ByteField("ver", 1),
        ShortField("null", 0),
    )


class RIPngEntry(Packet):
    """A route table entry (20 bytes): ``prefix_or_nh``, ``routetag``, ``prefixlen``,
    ``metric``."""

    name = "RIPng entry"
    fields_desc = (
        IP6Field("prefix_or_nh", "::"),
        ShortField("routetag", 0),
        ByteField("prefixlen", 0),
        ByteEnumField("metric", 1, {16: "Unreach", 255: "next-hop entry"}),
    )


def _register() -> None:
    from paquet.layers.udp import UDP

    registry.bind_layers(UDP, RIPng, sport=RIPNG_PORT, dport=RIPNG_PORT)
    registry.bind_layers(RIPng, RIPngEntry)
    registry.bind_layers(RIPngEntry, RIPngEntry)


_register()
