"""The IPv6 pseudo-header (RFC 8200 §8.1) as a layer: Scapy's ``PseudoIPv6``, to look at or
build what TCP, UDP and ICMPv6 checksums cover. It is bound to nothing: the layers compute
their checksums themselves (``IPv6.pseudo_header``).

>>> from paquet.checksums import internet_checksum
>>> from paquet.layers import UDP, IPv6
>>> udp = bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=7, dport=9))[40:]
>>> ph = PseudoIPv6(src="2001:db8::1", dst="2001:db8::2", uplen=len(udp), nh=17)
>>> internet_checksum(bytes(ph) + udp[:6] + bytes(2)) == int.from_bytes(udp[6:8], "big")
True
"""

from __future__ import annotations

from paquet.packet.base import Packet
from paquet.packet.fields import BitField, ByteField, IntField
from paquet.packet.valuefields import IP6Field

__all__ = ["PseudoIPv6"]


class PseudoIPv6(Packet):
    """Source, destination, upper-layer length and next header, as checksums sum them."""

    name = "Pseudo IPv6 Header"
    fields_desc = (
        IP6Field("src", "::"),
        IP6Field("dst", "::"),
        IntField("uplen", None),
        BitField("zero", 0, 24),
        ByteField("nh", 0),
    )
