"""VXLAN (RFC 7348): Ethernet frames carried over UDP, port 4789.

The 8-byte header: ``flags`` (the I bit, 0x08, says the VNI is valid), 24 reserved bits, the
24-bit VXLAN Network Identifier ``vni``, 8 reserved bits. Class, field names, defaults and
bindings are Scapy's (``scapy.layers.vxlan``), which also reads two extensions from the flags:
the Generic Protocol Extension (the P bit, 0x04: ``reserved0`` and ``NextProtocol`` in place of
the first reserved bits) and the Group Policy Option (the G bit, 0x80: ``gpflags`` and ``gpid``),
so the fields present depend on ``flags``, as ICMP's depend on its type.
"""

from __future__ import annotations

from typing import Any

from paquet.number_enums import Port
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ShortField, XByteField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import ThreeBytesField, X3BytesField
from paquet.packet.structfields import ConditionalField

__all__ = ["VXLAN", "VXLAN_NEXT_PROTOCOLS"]

#: The ports Scapy dissects as VXLAN besides IANA's (``Port.vxlan``, 4789, RFC 7348 §5):
#: VXLAN-GPE, the one IANA gave for NSH, Linux's default, and (destination only) Cisco ACI's.
_OTHER_PORTS = (4790, 6633, 8472)
_ACI_PORT = 48879

#: The payload named by ``NextProtocol`` (VXLAN-GPE).
VXLAN_NEXT_PROTOCOLS = {0: "NotDefined", 1: "IPv4", 2: "IPv6", 3: "Ethernet", 4: "NSH"}

_FLAG_NAMES = ["OAM", "R", "NextProtocol", "Instance", "V1", "V2", "R", "G"]
_GP_FLAG_NAMES = ["R", "R", "R", "A", "R", "R", "D", "R"]
_NEXT_PROTOCOL = 0x04  # the P bit
_GROUP_POLICY = 0x80  # the G bit


def _flags(pkt: Any) -> int:
    # (the stored number: ``pkt.flags`` would make a FlagValue at each of the conditions)
    flags = pkt.__dict__.get("flags")
    return int(flags) if isinstance(flags, int) else 0


def _gpe(pkt: Any) -> bool:
    return bool(_flags(pkt) & _NEXT_PROTOCOL)


def _group_policy(pkt: Any) -> bool:
    return bool(_flags(pkt) & _GROUP_POLICY)


class VXLAN(Packet):
    """A VXLAN header: 8 bytes; the payload is Ethernet unless ``NextProtocol`` names IPv4 or
    IPv6. A field its flags leave out reads None, as in Scapy.

    >>> VXLAN(flags=0x0C).gpid is None, VXLAN(flags=0x88, gpid=5).gpid
    (True, 5)
    """

    name = "VXLAN"
    fields_desc = (
        FlagsField("flags", 0x08, 8, _FLAG_NAMES),
        ConditionalField(ShortField("reserved0", 0), _gpe),
        ConditionalField(ByteEnumField("NextProtocol", 0, VXLAN_NEXT_PROTOCOLS), _gpe),
        ConditionalField(ThreeBytesField("reserved1", 0),
                         lambda pkt: not _group_policy(pkt) and not _gpe(pkt)),
        ConditionalField(FlagsField("gpflags", 0, 8, _GP_FLAG_NAMES), _group_policy),
        ConditionalField(ShortField("gpid", 0), _group_policy),
        X3BytesField("vni", 0),
        XByteField("reserved2", 0),
    )

    def mysummary(self) -> str:
        if _group_policy(self):
            return self.sprintf("VXLAN (vni=%VXLAN.vni% gpid=%VXLAN.gpid%)")
        return self.sprintf("VXLAN (vni=%VXLAN.vni%)")


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.udp import UDP

    # Scapy's bindings, in Scapy's order: the last top-down one (both ports 4789) wins.
    vxlan = int(Port.vxlan)
    for port in (vxlan, *_OTHER_PORTS, _ACI_PORT):
        registry.bind_layers(UDP, VXLAN, dport=port)
    for port in (vxlan, *_OTHER_PORTS):
        registry.bind_layers(UDP, VXLAN, sport=port)
    registry.bind_layers(UDP, VXLAN, sport=vxlan, dport=vxlan)
    for value, upper in ((0, Ether), (1, IP), (2, IPv6), (3, Ether), (None, Ether)):
        registry.bind_bottom_up(VXLAN, upper, NextProtocol=value)
    registry.bind_top_down(VXLAN, Ether, flags=12, NextProtocol=3)
    registry.bind_top_down(VXLAN, IP, flags=12, NextProtocol=1)
    registry.bind_top_down(VXLAN, IPv6, flags=12, NextProtocol=2)


_register()
