"""Explain spec of IPv4 (RFC 791, :mod:`paquet.layers.ipv4`): the header, its options, its
checksum step by step; and the names of IP protocol numbers that IPv6 shares."""

from __future__ import annotations

import dataclasses
from typing import Any

from paquet.checksums import explain_ipv4_header
from paquet.explainer.core import Walk, layer_explanation
from paquet.layers.ipv4 import IP
from paquet.layers.specs._header import fixed_and_options
from paquet.number_enums import IPProto
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, ipv4_text, named, register_spec

__all__ = ["IPV4", "PROTOCOL_NAMES"]

PROTOCOL_NAMES: dict[int, str] = {
    IPProto.ICMP: "ICMP",
    IPProto.IPIP: "IPv4",
    IPProto.TCP: "TCP",
    IPProto.UDP: "UDP",
    IPProto.IPV6: "IPv6",
    IPProto.ICMPV6: "ICMPv6",
    IPProto.HOPOPT: "HOPOPT",
    IPProto.IPV6_ROUTE: "Routing",
    IPProto.IPV6_FRAG: "Fragment",
    IPProto.IPV6_NONXT: "No Next Header",
    IPProto.IPV6_OPTS: "Destination Options",
}
"""The IP protocol numbers (IPv4's protocol, IPv6's next header) named in explanations."""


def _ip_flags(value: int) -> str:
    names = [n for bit, n in ((4, "evil"), (2, "DF"), (1, "MF")) if value & bit]
    return "+".join(names) if names else "0"


_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("version", "Version", 4, "version du protocole IP : 4", "IP version: 4"),
    FieldSpec(
        "ihl",
        "IHL",
        4,
        "longueur de l'en-tête en mots de 32 bits (5 = 20 octets sans options)",
        "header length in 32-bit words (5 = 20 bytes, no options)",
    ),
    FieldSpec(
        "tos",
        "TOS",
        8,
        "type de service (DSCP et ECN) : la priorité du paquet",
        "type of service (DSCP and ECN): the packet's priority",
        hex_digits(2),
    ),
    FieldSpec(
        "len",
        "Total Length",
        16,
        "longueur totale du paquet (en-tête et données) en octets",
        "total length of the packet (header and data) in bytes",
    ),
    FieldSpec(
        "id",
        "Identification",
        16,
        "numéro du paquet, commun à tous ses fragments",
        "packet number, shared by all its fragments",
    ),
    FieldSpec(
        "flags",
        "Flags",
        3,
        "DF : ne pas fragmenter ; MF : d'autres fragments suivent",
        "DF: don't fragment; MF: more fragments follow",
        _ip_flags,
    ),
    FieldSpec(
        "frag",
        "Fragment Offset",
        13,
        "position du fragment dans le paquet d'origine (en blocs de 8 octets)",
        "position of this fragment in the original packet (in 8-byte blocks)",
    ),
    FieldSpec(
        "ttl",
        "TTL",
        8,
        "durée de vie : chaque routeur retire 1, à 0 le paquet est détruit "
        "(c'est ce qu'utilise traceroute)",
        "time to live: each router takes 1 off, at 0 the packet is dropped (what traceroute uses)",
    ),
    FieldSpec(
        "proto",
        "Protocol",
        8,
        "protocole des données : 1 ICMP, 6 TCP, 17 UDP",
        "protocol of the data: 1 ICMP, 6 TCP, 17 UDP",
        named(PROTOCOL_NAMES),
    ),
    FieldSpec(
        "chksum",
        "Header Checksum",
        16,
        "somme de contrôle de l'en-tête (complément à 1 de la somme des mots de 16 bits)",
        "header checksum (one's complement of the sum of the 16-bit words)",
        hex_digits(4),
    ),
    FieldSpec(
        "src",
        "Source Address",
        32,
        "adresse IP de l'émetteur",
        "IP address of the sender",
        ipv4_text,
    ),
    FieldSpec(
        "dst",
        "Destination Address",
        32,
        "adresse IP du destinataire",
        "IP address of the receiver",
        ipv4_text,
    ),
)


_OPTIONS = (
    "options IP (enregistrer la route, ...)",
    "IP options (record route, ...)",
)
"""What the options are, in French and English."""


def _ipv4(walk: Walk) -> Any:
    header = fixed_and_options(walk, _FIELDS, lambda head: head[0] & 15, _OPTIONS)
    if header is None:
        return None
    ihl, fields = header
    rest = walk.rest
    # (a header length under 5 words, read as Scapy reads it, has no checksum to explain)
    check = explain_ipv4_header(rest[:ihl], "ip") if rest[0] & 15 >= 5 else None
    total = int.from_bytes(rest[2:4], "big")
    layer = layer_explanation(IPV4, walk.offset, ihl, fields, check)
    if total > len(rest):
        note = (
            f"tronqué : le champ len annonce {total} octets, {len(rest)} sont là"
            if walk.fr
            else f"truncated: the len field says {total} bytes, {len(rest)} are here"
        )
        layer = dataclasses.replace(layer, summary=note)
    walk.ip_src, walk.ip_dst = rest[12:16], rest[16:20]
    walk.ip_end = walk.data_end = min(len(walk.data), walk.offset + total)
    return layer, ihl


IPV4 = LayerSpec("IPv4", "RFC 791", _FIELDS, explainer=_ipv4)
"""IPv4's explain spec."""

register_spec(IP, IPV4)
