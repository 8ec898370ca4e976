"""GENEVE (RFC 8926): Generic Network Virtualization Encapsulation, over UDP port 6081.

:class:`GENEVE` is 8 bytes (``version``, ``optionlen`` in 4-byte words, computed, the ``oam``
and ``critical`` bits, the EtherType ``proto`` of the payload, the 24-bit ``vni``) followed by
its ``options``: :class:`GeneveOptions` entries (``classid``, ``type``, ``length`` in 4-byte
words, computed, and ``data``). Classes, names, defaults, bytes and bindings are Scapy's
(``scapy.contrib.geneve``): the payload is Ethernet (0x6558), IPv4 or IPv6.

>>> from paquet.layers import Ether
>>> p = GENEVE(vni=42, options=[GeneveOptions(classid=0x0102, type=0x80, data=b"abcd")])
>>> q = GENEVE(bytes(p / Ether()))
>>> q.optionlen, q.options[0].length, q.options[0].data, type(q.payload).__name__
(2, 1, b'abcd', 'Ether')
"""

from __future__ import annotations

from typing import Any

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import XShortEnumField
from paquet.packet.fields import BitField, XByteField
from paquet.packet.intfields import X3BytesField
from paquet.packet.names import ether_types
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import PacketListField

__all__ = ["CLASS_IDS", "GENEVE", "GeneveOptions"]

#: Option classes (IANA's "Geneve Option Class" registry, as Scapy names them).
CLASS_IDS = {
    0x0100: "Linux",
    0x0101: "Open vSwitch",
    0x0102: "Open Virtual Networking (OVN)",
    0x0103: "In-band Network Telemetry (INT)",
    0x0104: "VMware",
    0x0105: "Amazon.com, Inc.",
    0x0106: "Cisco Systems, Inc.",
    0x0107: "Oracle Corporation",
    0x0110: "Amazon.com, Inc.",
    0x0118: "IBM",
    0x0128: "Ericsson",
    0xFEFF: "Unassigned",
    0xFFFF: "Experimental",
}


class GeneveOptions(Packet):
    """One GENEVE option: ``classid``, ``type``, ``reserved`` (3 bits), ``length`` (5 bits,
    in 4-byte words, computed from ``data``), ``data``."""

    name = "Geneve Options"
    fields_desc = (
        XShortEnumField("classid", 0x0000, CLASS_IDS),
        XByteField("type", 0x00),
        BitField("reserved", 0, 3),
        BitField("length", None, 5),
        StrLenField("data", b"", length_from=lambda pkt: pkt.length * 4),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("length") is None and len(p) >= 4:
            words = len(self.data or b"") // 4
            p = p[:3] + bytes([(p[3] & 0x3) | (words & 0x1F)]) + p[4:]
        return p + pay


class GENEVE(Packet):
    """A GENEVE header: 8 bytes and its options (``optionlen`` computed when None)."""

    name = "GENEVE"
    fields_desc = (
        BitField("version", 0, 2),
        BitField("optionlen", None, 6),
        BitField("oam", 0, 1),
        BitField("critical", 0, 1),
        BitField("reserved", 0, 6),
        XShortEnumField("proto", 0x0000, ether_types),
        X3BytesField("vni", 0),
        XByteField("reserved2", 0x00),
        PacketListField("options", [], GeneveOptions,
                        length_from=lambda pkt: pkt.optionlen * 4),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("optionlen") is None and p:
            words = (len(p) - 8) // 4
            p = bytes([(p[0] & 0xC0) | (words & 0x3F)]) + p[1:]
        return p + pay

    def answers(self, other: Any) -> bool:
        """Same ``proto`` and ``vni``, then the payloads answer (Scapy's rule)."""
        if isinstance(other, GENEVE):
            if self.proto == other.proto and self.vni == other.vni:
                return bool(self.payload.answers(other.payload))
            return False
        return bool(self.payload.answers(other))

    def mysummary(self) -> str:
        return self.sprintf("GENEVE (vni=%GENEVE.vni%,optionlen=%GENEVE.optionlen%,"
                            "proto=%GENEVE.proto%)")


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.udp import UDP
    from paquet.numbers import ETH_P_IP, ETH_P_IPV6, ETH_P_TEB, GENEVE_PORT

    registry.bind_layers(UDP, GENEVE, dport=GENEVE_PORT)
    registry.bind_layers(GENEVE, Ether, proto=ETH_P_TEB)
    registry.bind_layers(GENEVE, IP, proto=ETH_P_IP)
    registry.bind_layers(GENEVE, IPv6, proto=ETH_P_IPV6)


_register()
