"""MPLS label stacks (RFC 3032) and the Ethernet pseudowire control word (RFC 4448).

:class:`MPLS` is one 4-byte label stack entry: ``label`` (20 bits), ``cos`` (the traffic
class, 3 bits), ``s`` (bottom of stack) and ``ttl``. An entry without ``s`` is followed by
another entry; below the bottom one the payload is told by its first nibble, as Scapy's
contrib does: 4 is IPv4, 6 is IPv6, two zero bytes start the control word :class:`EoMCW` of
an Ethernet pseudowire, anything else is Ethernet without one. Classes, names, defaults,
bytes and bindings are Scapy's (``scapy.contrib.mpls``): EtherType 0x8847, IP protocol 137,
IPv6 next header 137, UDP port 6635 (MPLS in UDP), GRE protocol 0x8847.

>>> from paquet.layers import IP
>>> p = MPLS(label=100, s=0, ttl=64) / MPLS(label=200, ttl=64) / IP(dst="192.0.2.2")
>>> q = MPLS(bytes(p))
>>> q.label, q.payload.label, type(q.payload.payload).__name__
(100, 200, 'IP')
"""

from __future__ import annotations

from paquet.layers.icmp_extensions import ICMP_EXT_CLASSES, ICMPExtension_Object
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import BitField, ByteField, ShortField
from paquet.packet.structfields import PacketListField

__all__ = ["MPLS", "EoMCW", "ICMPExtension_MPLS"]


class EoMCW(Packet):
    """The control word of an Ethernet pseudowire (RFC 4448 §3): four zero bits,
    ``reserved`` (12 bits), ``seq``; an Ethernet frame follows."""

    name = "EoMCW"
    fields_desc = (
        BitField("zero", 0, 4),
        BitField("reserved", 0, 12),
        ShortField("seq", 0),
    )

    def guess_payload_class(self, data: bytes, start: int | None = None,
                            end: int | None = None) -> type[Packet]:
        """Ethernet after the control word (Padding when nothing follows), as Scapy."""
        from paquet.layers.ether import Ether
        from paquet.layers.raw import Padding

        size = len(data) if start is None else (len(data) if end is None else end) - start
        return Ether if size >= 1 else Padding


class MPLS(Packet):
    """One MPLS label stack entry: ``label``, ``cos``, ``s`` (bottom of stack), ``ttl``."""

    name = "MPLS"
    fields_desc = (
        BitField("label", 3, 20),
        BitField("cos", 0, 3),
        BitField("s", 1, 1),
        ByteField("ttl", 0),
    )

    def guess_payload_class(self, data: bytes, start: int | None = None,
                            end: int | None = None) -> type[Packet]:
        """The next entry when ``s`` is 0, else IPv4, IPv6, EoMCW or Ethernet by the first
        nibble and bytes of the payload (Scapy's contrib rule)."""
        from paquet.layers.ether import Ether
        from paquet.layers.ipv4 import IP
        from paquet.layers.ipv6 import IPv6
        from paquet.layers.raw import Padding, Raw

        if start is None:
            start, end = 0, len(data)
        elif end is None:
            end = len(data)
        if end - start < 1:
            return Padding
        if not self.s:
            return MPLS
        version = data[start] >> 4
        if version == 4:
            return IP
        if version == 6:
            return IPv6
        if version == 5:  # BIER (RFC 8296): not a layer of paquet
            return Raw
        if end - start >= 2 and data[start] == 0 and data[start + 1] == 0:
            return EoMCW
        return Ether


class ICMPExtension_MPLS(ICMPExtension_Object):
    """The MPLS label stack object of an ICMP extension (RFC 4950, class 1, type 1): the
    labels of the packet that caused the error, ``stack`` (a list of :class:`MPLS`)."""

    name = "ICMP Extension Object - MPLS (RFC4950)"
    fields_desc = (
        ShortField("len", None),
        ByteEnumField("classnum", 1, ICMP_EXT_CLASSES),
        ByteField("classtype", 1),
        PacketListField("stack", [], MPLS, length_from=lambda pkt: pkt.len - 4),
    )


ICMPExtension_Object.registered_icmp_exts[1] = ICMPExtension_MPLS


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.gre import GRE
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.udp import UDP
    from paquet.numbers import ETH_P_MPLS_UC as mpls
    from paquet.numbers import IPPROTO_MPLS, MPLS_IN_UDP_PORT

    registry.bind_layers(Ether, MPLS, type=mpls)
    registry.bind_layers(IP, MPLS, proto=IPPROTO_MPLS)
    registry.bind_layers(IPv6, MPLS, nh=IPPROTO_MPLS)
    registry.bind_layers(UDP, MPLS, dport=MPLS_IN_UDP_PORT)
    registry.bind_layers(GRE, MPLS, proto=mpls)
    registry.bind_layers(MPLS, MPLS, s=0)
    registry.bind_layers(MPLS, IP, label=0)  # IPv4 Explicit NULL
    registry.bind_layers(MPLS, IPv6, label=2)  # IPv6 Explicit NULL
    registry.bind_layers(MPLS, EoMCW)
    registry.bind_layers(EoMCW, Ether, zero=0, reserved=0)


_register()
