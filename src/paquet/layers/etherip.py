"""EtherIP (RFC 3378): Ethernet frames tunnelled in IP, protocol 97.

A 2-byte header: ``version`` (4 bits, 3 in RFC 3378) and 12 reserved bits, then the Ethernet
frame. Class, field names, defaults and bindings are Scapy's (``scapy.contrib.etherip``).

>>> from paquet.layers import IP, Ether
>>> p = IP(src="192.0.2.1", dst="192.0.2.2") / EtherIP() / Ether(src="02:00:00:00:00:01")
>>> bytes(p)[9], bytes(p)[20:22].hex()
(97, '3000')
>>> IP(bytes(p))[EtherIP].payload.src
'02:00:00:00:00:01'
"""

from __future__ import annotations

from paquet.numbers import IPPROTO_ETHERIP
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.fields import BitField

__all__ = ["EtherIP"]


class EtherIP(Packet):
    """The EtherIP header: ``version`` (3) and ``reserved``; an Ethernet frame follows."""

    name = "EtherIP / RFC 3378"
    fields_desc = (
        BitField("version", 3, 4),
        BitField("reserved", 0, 12),
    )


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.ipv4 import IP

    registry.bind_layers(IP, EtherIP, frag=0, proto=IPPROTO_ETHERIP)
    registry.bind_layers(EtherIP, Ether)


_register()
