"""Explain spec of ARP (RFC 826, :mod:`paquet.layers.arp`) for Ethernet and IPv4."""

from __future__ import annotations

from typing import Any

from paquet.explainer.core import Walk, layer_explanation, read_fields
from paquet.layers.arp import ARP
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, ipv4_text, mac_text, register_spec

__all__ = ["ARP_SPEC"]

_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "hwtype",
        "Hardware Type",
        16,
        "type de réseau : 1 pour Ethernet",
        "link type: 1 for Ethernet",
    ),
    FieldSpec(
        "ptype",
        "Protocol Type",
        16,
        "protocole dont on cherche l'adresse : 0x0800 (IPv4)",
        "protocol whose address is resolved: 0x0800 (IPv4)",
        hex_digits(4),
    ),
    FieldSpec(
        "hwlen",
        "HW Len",
        8,
        "longueur d'une adresse MAC en octets (6)",
        "length of a MAC address in bytes (6)",
    ),
    FieldSpec(
        "plen",
        "Proto Len",
        8,
        "longueur d'une adresse IPv4 en octets (4)",
        "length of an IPv4 address in bytes (4)",
    ),
    FieldSpec(
        "op",
        "Operation",
        16,
        "1 : demande « qui a cette adresse ? », 2 : réponse",
        '1: request "who has this address?", 2: reply',
    ),
    FieldSpec(
        "hwsrc",
        "Sender MAC",
        48,
        "adresse MAC de l'émetteur",
        "MAC address of the sender",
        mac_text,
    ),
    FieldSpec(
        "psrc",
        "Sender IP",
        32,
        "adresse IPv4 de l'émetteur",
        "IPv4 address of the sender",
        ipv4_text,
    ),
    FieldSpec(
        "hwdst",
        "Target MAC",
        48,
        "adresse MAC cherchée (des zéros dans une demande)",
        "MAC address looked for (zeros in a request)",
        mac_text,
    ),
    FieldSpec(
        "pdst",
        "Target IP",
        32,
        "adresse IPv4 dont on cherche la MAC",
        "IPv4 address whose MAC is looked for",
        ipv4_text,
    ),
)


def _arp(walk: Walk) -> Any:
    if len(walk.rest) < 28:
        return None
    fields = read_fields(walk.rest[:28], _FIELDS, walk.lang)
    walk.data_end = walk.offset + 28  # what follows an ARP message is the frame's padding
    return layer_explanation(ARP_SPEC, walk.offset, 28, fields), 28


ARP_SPEC = LayerSpec("ARP", "RFC 826", _FIELDS, explainer=_arp)
"""ARP's explain spec."""

register_spec(ARP, ARP_SPEC)
