"""GRE (RFC 2784, RFC 2890, RFC 1701's routing) and PPTP's enhanced GRE (RFC 2637).

:class:`GRE` is four bytes (the present bits, ``recursion_control``, ``flags``, ``version``,
the EtherType ``proto`` of the payload) and, when their bits say so, the checksum and offset
(``chksum_present`` or ``routing_present``), the ``key`` and the ``sequence_number``. A
checksum left to None is computed over the header and its payload when ``chksum_present`` is
set. With ``routing_present`` the payload is a list of :class:`GRErouting` entries (RFC 1701),
the last one empty. A header whose ``proto`` is PPP's 0x880B is :class:`GRE_PPTP` (version 1:
``payload_len``, ``call_id``, sequence and acknowledgment numbers). Classes, names, defaults,
bytes and bindings are Scapy's (``scapy.layers.l2``): IP protocol 47, IPv6 next header 47, UDP
port 4754 (GRE in UDP), and GRE's payloads IP, IPv6, ARP, Ethernet (0x6558, transparent
Ethernet bridging), 802.1Q, MPLS, EAPOL.

Linux's ``gre`` and ``gretap`` devices need the ``ip_gre`` module, absent from some kernels
(``ip link add gre1 type gre ...`` then fails with "Unknown device type"): GRE can still be
built, sent on a packet socket and dissected.

>>> from paquet.layers import IP
>>> p = GRE(key_present=1, key=7, chksum_present=1) / IP(src="192.0.2.1", dst="192.0.2.2")
>>> q = GRE(bytes(p))
>>> q.proto, q.key, q.chksum == GRE(bytes(p)).chksum, type(q.payload).__name__
(2048, 7, True, 'IP')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.numbers import ETH_P_PPPTP as _PPP_OVER_GRE
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import XShortEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    ShortField,
    XIntField,
    XShortField,
)
from paquet.packet.names import ether_types
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import ConditionalField, FieldLenField

__all__ = ["GRE", "GRE_PPTP", "GRErouting"]



class GRErouting(Packet):
    """One Source Route Entry of RFC 1701: ``address_family``, ``SRE_offset``, ``SRE_len``
    (the length of ``routing_info``, computed) and ``routing_info``. An entry with family 0
    and length 0 ends the list."""

    name = "GRE routing information"
    fields_desc = (
        ShortField("address_family", 0),
        ByteField("SRE_offset", 0),
        FieldLenField("SRE_len", None, "routing_info", "B"),
        StrLenField("routing_info", b"", length_from=lambda pkt: pkt.SRE_len,
                    max_length=255),
    )


def _chksum_or_routing(pkt: Any) -> bool:
    return bool(pkt.chksum_present == 1 or pkt.routing_present == 1)


class GRE(Packet):
    """A GRE header: 4 bytes, then the checksum and offset, key and sequence number whose
    present bits are set (``chksum`` computed when None and ``chksum_present`` is 1)."""

    name = "GRE"
    deprecated_fields: ClassVar[dict[str, tuple[str, str]]] = {
        "seqence_number": ("sequence_number", "2.4.4")}
    fields_desc: ClassVar[Sequence[Field]] = (
        BitField("chksum_present", 0, 1),
        BitField("routing_present", 0, 1),
        BitField("key_present", 0, 1),
        BitField("seqnum_present", 0, 1),
        BitField("strict_route_source", 0, 1),
        BitField("recursion_control", 0, 3),
        BitField("flags", 0, 5),
        BitField("version", 0, 3),
        XShortEnumField("proto", 0x0000, ether_types),
        ConditionalField(XShortField("chksum", None), _chksum_or_routing),
        ConditionalField(XShortField("offset", None), _chksum_or_routing),
        ConditionalField(XIntField("key", None), lambda pkt: pkt.key_present == 1),
        ConditionalField(XIntField("sequence_number", None),
                         lambda pkt: pkt.seqnum_present == 1),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """PPTP's GRE (``GRE_PPTP``) when ``proto`` is 0x880B, as Scapy's dispatch_hook."""
        if end - start >= 4 and int.from_bytes(data[start + 2 : start + 4], "big") \
                == _PPP_OVER_GRE:
            return GRE_PPTP
        return cls

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.chksum_present and self.__dict__.get("chksum") is None and len(p) >= 6:
            from paquet.checksums import internet_checksum

            c = internet_checksum(p)
            p = p[:4] + c.to_bytes(2, "big") + p[6:]
        return p


class GRE_PPTP(GRE):
    """PPTP's enhanced GRE header (RFC 2637): version 1, the key bit set, ``payload_len``
    (computed), ``call_id``, then the sequence and acknowledgment numbers when present."""

    name = "GRE PPTP"
    fields_desc = (
        BitField("chksum_present", 0, 1),
        BitField("routing_present", 0, 1),
        BitField("key_present", 1, 1),
        BitField("seqnum_present", 0, 1),
        BitField("strict_route_source", 0, 1),
        BitField("recursion_control", 0, 3),
        BitField("acknum_present", 0, 1),
        BitField("flags", 0, 4),
        BitField("version", 1, 3),
        XShortEnumField("proto", _PPP_OVER_GRE, ether_types),
        ShortField("payload_len", None),
        ShortField("call_id", None),
        ConditionalField(XIntField("sequence_number", None),
                         lambda pkt: pkt.seqnum_present == 1),
        ConditionalField(XIntField("ack_number", None), lambda pkt: pkt.acknum_present == 1),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.__dict__.get("payload_len") is None and len(p) >= 6:
            p = p[:4] + (len(pay) & 0xFFFF).to_bytes(2, "big") + p[6:]
        return p


def _register() -> None:
    from paquet.layers.arp import ARP
    from paquet.layers.ether import Dot1Q, Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.raw import Raw
    from paquet.layers.udp import UDP
    from paquet.numbers import (
        ETH_P_8021Q,
        ETH_P_ARP,
        ETH_P_IP,
        ETH_P_IPV6,
        ETH_P_TEB,
        GRE_IN_UDP_PORT,
        IPPROTO_GRE,
    )

    # Scapy's order (l2, then inet, then inet6): the first bottom-up rule that matches wins.
    registry.bind_layers(GRE, Dot1Q, proto=ETH_P_8021Q)
    registry.bind_layers(GRE, Ether, proto=ETH_P_TEB)
    registry.bind_layers(GRE, ARP, proto=ETH_P_ARP)
    registry.bind_layers(GRE, GRErouting, routing_present=1)
    registry.bind_layers(GRErouting, Raw, address_family=0, SRE_len=0)
    registry.bind_layers(GRErouting, GRErouting)
    registry.bind_layers(GRE, IP, proto=ETH_P_IP)
    registry.bind_layers(IP, GRE, frag=0, proto=IPPROTO_GRE)
    registry.bind_layers(UDP, GRE, dport=GRE_IN_UDP_PORT)
    registry.bind_layers(GRE, IPv6, proto=ETH_P_IPV6)
    registry.bind_layers(IPv6, GRE, nh=IPPROTO_GRE)


_register()
