"""Linux "cooked" captures: ``CookedLinux`` (SLL, LINKTYPE 113) and ``SLL2`` (LINKTYPE 276).

What ``tcpdump -i any`` writes: instead of an Ethernet header, the packet type (to us,
broadcast, multicast, to another host, sent by us), the link-layer address type and address of
the sender, and the protocol (an EtherType) of what follows. Field names and defaults are
Scapy's (``CookedLinux``, and ``CookedLinuxV2``, here named ``SLL2``).
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField, XShortEnumField
from paquet.packet.fields import ByteField, IntField, ShortField, XShortField
from paquet.packet.names import ether_types
from paquet.packet.strfields import StrFixedLenField

__all__ = ["SLL2", "SLL_PACKET_TYPES", "CookedLinux", "CookedLinuxV2"]


#: The packet types of a cooked header (``PACKET_HOST``... in ``linux/if_packet.h``).
SLL_PACKET_TYPES = {
    0: "unicast",
    1: "broadcast",
    2: "multicast",
    3: "unicast-to-another-host",
    4: "sent-by-us",
}


class _AddressField(StrFixedLenField):
    """The 8-byte sender address, shown without its trailing zeros (as Scapy shows it)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("src", b"", 8)

    def i2repr(self, value: Any) -> str:
        if isinstance(value, bytes):
            value = value.rstrip(b"\0")
        return repr(value)


class CookedLinux(Packet):
    """A Linux cooked header, version 1 (16 bytes): ``pkttype``, ``lladdrtype``,
    ``lladdrlen``, ``src`` (8 bytes, the address in its first ``lladdrlen``), ``proto``."""

    name = "cooked linux"
    fields_desc = (
        ShortEnumField("pkttype", 0, SLL_PACKET_TYPES),
        XShortField("lladdrtype", 512),
        ShortField("lladdrlen", 0),
        _AddressField(),
        XShortEnumField("proto", 0x800, ether_types),
    )

    def mysummary(self) -> str:
        return f"cooked linux ({self._fieldmap['proto'].i2repr(self.__dict__['proto'])})"


class SLL2(Packet):
    """A Linux cooked header, version 2 (20 bytes): ``proto``, ``reserved``, ``ifindex``,
    ``lladdrtype``, ``pkttype``, ``lladdrlen``, ``src`` (8 bytes)."""

    name = "cooked linux v2"
    fields_desc = (
        XShortEnumField("proto", 0x800, ether_types),
        ShortField("reserved", 0),
        IntField("ifindex", 0),
        XShortField("lladdrtype", 512),
        ByteEnumField("pkttype", 0, SLL_PACKET_TYPES),
        ByteField("lladdrlen", 0),
        _AddressField(),
    )

    def mysummary(self) -> str:
        return (f"cooked linux v2 ({self._fieldmap['proto'].i2repr(self.__dict__['proto'])}) "
                f"if {self.__dict__['ifindex']}")


#: Scapy's name for :class:`SLL2`.
CookedLinuxV2 = SLL2


def _register() -> None:
    from paquet.layers.arp import ARP
    from paquet.layers.ether import ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, Dot1Q, Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6

    for cooked in (CookedLinux, SLL2):
        registry.bind_layers(cooked, IP, proto=ETH_P_IP)
        registry.bind_layers(cooked, IPv6, proto=ETH_P_IPV6)
        registry.bind_layers(cooked, ARP, proto=ETH_P_ARP)
        registry.bind_layers(cooked, Dot1Q, proto=ETH_P_8021Q)
        registry.bind_layers(cooked, Ether, proto=1)  # ETH_P_802_3: a whole Ethernet frame
    registry.bind_linktype(LINKTYPE_LINUX_SLL, CookedLinux)
    registry.bind_linktype(LINKTYPE_LINUX_SLL2, SLL2)


_register()
