"""IEEE 802.2 LLC and SNAP: what an 802.3 frame (:class:`~paquet.layers.ether.Dot3`) carries.

``LLC`` is three bytes, the destination and source service access points and the control
field; SNAP (``dsap = ssap = 0xaa``, ``ctrl = 3``) adds an OUI and a protocol id (an EtherType
under OUI 0, Cisco's CDP and DTP under OUI 0x00000c). Names, defaults and bindings are Scapy's
(``scapy.layers.l2``): STP on ``dsap = ssap = 0x42``, SNAP on ``0xaa``.

>>> bytes(LLC() / SNAP(OUI=0x0c, code=0x2000)).hex()
'aaaa0300000c2000'
"""

from __future__ import annotations

from paquet.numbers import ETH_P_8021Q, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, LLC_CTRL_UI, LLC_SAP_SNAP
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import XShortEnumField
from paquet.packet.fields import ByteField, XByteField
from paquet.packet.intfields import OUIField
from paquet.packet.names import ether_types

__all__ = ["LLC", "SNAP"]


class LLC(Packet):
    """An 802.2 LLC header: ``dsap``, ``ssap``, ``ctrl`` (one byte each)."""

    name = "LLC"
    fields_desc = (
        XByteField("dsap", 0x00),
        XByteField("ssap", 0x00),
        ByteField("ctrl", 0),
    )


class SNAP(Packet):
    """A SNAP header: the 24-bit ``OUI`` and the protocol ``code`` (an EtherType under OUI 0)."""

    name = "SNAP"
    fields_desc = (
        OUIField("OUI", 0x000000),
        XShortEnumField("code", 0x000, ether_types),
    )


def _register() -> None:
    from paquet.layers.arp import ARP
    from paquet.layers.ether import Dot1Q, Dot3, Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.sll import SLL2, CookedLinux

    # Scapy's bindings (scapy.layers.l2), in its order.
    registry.bind_layers(Dot3, LLC)
    registry.bind_layers(Ether, LLC, type=122)
    registry.bind_layers(Ether, LLC, type=34928)
    for cooked in (CookedLinux, SLL2):
        registry.bind_layers(cooked, LLC, proto=122)
    registry.bind_layers(LLC, SNAP, dsap=LLC_SAP_SNAP, ssap=LLC_SAP_SNAP, ctrl=LLC_CTRL_UI)
    registry.bind_layers(SNAP, Dot1Q, code=ETH_P_8021Q)
    # (Scapy also binds Dot1AD and Dot1AH on ``type=``, a field SNAP does not have: they
    # never match and set nothing, so they are left out.)
    registry.bind_layers(SNAP, Ether, code=1)
    registry.bind_layers(SNAP, ARP, code=ETH_P_ARP)
    # (scapy.layers.inet and inet6)
    registry.bind_layers(SNAP, IP, code=ETH_P_IP)
    registry.bind_layers(SNAP, IPv6, code=ETH_P_IPV6)


_register()
