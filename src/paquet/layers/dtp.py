"""Cisco's Dynamic Trunking Protocol (``DTP``), over SNAP (OUI 0x00000c, protocol id 0x2004).

A version byte then TLVs (``tlvlist``): two bytes of type, two of length (the whole TLV), the
value. Scapy's classes (``scapy.contrib.dtp``): ``DTPDomain`` (the VTP domain), ``DTPStatus``
(the trunk administrative and operational status), ``DTPType`` (the encapsulation),
``DTPNeighbor`` (the sender's MAC), ``DtpGenericTlv`` for the others; and
:func:`negotiate_trunk`, the frame a switch port in dynamic mode answers by becoming a trunk.

>>> bytes(DTP(tlvlist=[DTPDomain(), DTPStatus()])).hex()
'0100010005000002000503'
"""

from __future__ import annotations

from typing import Any, ClassVar

from paquet.layers._padding import padding_class
from paquet.numbers import MAC_CISCO_CDP, OUI_CISCO, SNAP_DTP
from paquet.packet import registry
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet
from paquet.packet.fields import ByteField, Field, ShortField, XShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField, PacketListField

__all__ = ["DTP", "DTPDomain", "DTPNeighbor", "DTPStatus", "DTPType", "DtpGenericTlv",
           "negotiate_trunk"]


class DtpGenericTlv(Packet):
    """A DTP TLV: ``type``, ``length`` (the whole TLV), ``value``; called on bytes, the class
    its type names."""

    name = "DTP Generic TLV"
    fields_desc: ClassVar[tuple[Field, ...]] = (
        XShortField("type", 0x0001),
        FieldLenField("length", None, length_of=lambda pkt: pkt.value + 4),
        StrLenField("value", "", length_from=lambda pkt: pkt.length - 4),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start >= 2:
            return _TLV_CLASSES.get(int.from_bytes(data[start : start + 2], "big"),
                                    DtpGenericTlv)
        return cls

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        return padding_class()


def _string_tlv(kind: int, name: str, default: bytes) -> tuple[Any, ...]:
    return (
        ShortField("type", kind),
        FieldLenField("length", None, name, adjust=lambda pkt, x: x + 4),
        StrLenField(name, default, length_from=lambda pkt: pkt.length - 4),
    )


class DTPDomain(DtpGenericTlv):
    """The VTP domain name."""

    name = "DTP Domain"
    fields_desc = _string_tlv(1, "domain", b"\x00")


class DTPStatus(DtpGenericTlv):
    """The trunk status (0x03: desirable)."""

    name = "DTP Status"
    fields_desc = _string_tlv(2, "status", b"\x03")


class DTPType(DtpGenericTlv):
    """The trunk encapsulation (0xa5: 802.1Q)."""

    name = "DTP Type"
    fields_desc = _string_tlv(3, "dtptype", b"\xa5")


class DTPNeighbor(DtpGenericTlv):
    """The sender's MAC address."""

    name = "DTP Neighbor"
    fields_desc = (
        ShortField("type", 4),
        ShortField("len", 10),
        MACField("neighbor", None),
    )


_TLV_CLASSES: dict[int, type[Packet]] = {1: DTPDomain, 2: DTPStatus, 3: DTPType,
                                         4: DTPNeighbor}


class DTP(Packet):
    """A DTP message: ``ver`` and the TLVs in ``tlvlist``."""

    name = "DTP"
    fields_desc = (
        ByteField("ver", 1),
        PacketListField("tlvlist", [], DtpGenericTlv),
    )


def negotiate_trunk(iface: str | None = None, mymac: str | None = None) -> None:
    """Send the DTP frame asking the switch on ``iface`` to make the port a trunk (Scapy's):
    domain, status desirable, 802.1Q, from ``mymac`` (random when None)."""
    from paquet.layers.ether import Dot3
    from paquet.layers.llc import LLC, SNAP
    from paquet.net.conf import conf
    from paquet.net.sendrecv import sendp
    from paquet.volatile import RandMAC

    iface = iface or conf.iface
    mymac = mymac or str(RandMAC())
    print(f"Trying to negotiate a trunk on interface {iface}")
    p = Dot3(src=mymac, dst=MAC_CISCO_CDP) / LLC() / SNAP() / DTP(
        tlvlist=[DTPDomain(), DTPStatus(), DTPType(), DTPNeighbor(neighbor=mymac)])
    sendp(p, iface=iface)


def _register() -> None:
    from paquet.layers.llc import SNAP

    registry.bind_layers(SNAP, DTP, code=SNAP_DTP, OUI=OUI_CISCO)


_register()
