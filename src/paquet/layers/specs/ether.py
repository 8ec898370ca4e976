"""Explain specs of Ethernet (IEEE 802.3) and the 802.1Q VLAN tag (:mod:`paquet.layers.ether`).

A tagged frame is drawn as the standard does: the tag (TPID and TCI) sits between the source
address and the EtherType, so the Ethernet header shows its two addresses and the tag shows
the TPID where the EtherType would be; a second tag (802.1ad, "Q-in-Q") may follow the first.
"""

from __future__ import annotations

from typing import Any

from paquet.explainer.core import Walk, layer_explanation, read_fields
from paquet.layers.ether import Dot1Q, Ether
from paquet.number_enums import EtherType
from paquet.packet.spec import FieldSpec, LayerSpec, mac_text, register_spec

__all__ = ["DOT1Q", "ETHER", "ETHERTYPE_NAMES", "ethertype_text"]

ETHERTYPE_NAMES: dict[int, str] = {
    EtherType.IPv4: "IPv4",
    EtherType.ARP: "ARP",
    EtherType.IPv6: "IPv6",
    EtherType.n_802_1Q: "802.1Q",
    EtherType.n_802_1AD: "802.1ad",
}
"""The EtherTypes named in explanations."""


def ethertype_text(value: int) -> str:
    """An EtherType in hexadecimal, with its name when it has one."""
    name = ETHERTYPE_NAMES.get(value)
    return f"0x{value:04x}" + (f" ({name})" if name else "")


_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "dst",
        "Destination MAC",
        48,
        "adresse MAC du destinataire sur ce lien (la box, le routeur ou la machine voisine)",
        "MAC address of the receiver on this link (the router or the neighbouring host)",
        mac_text,
    ),
    FieldSpec(
        "src",
        "Source MAC",
        48,
        "adresse MAC de la carte réseau qui émet la trame",
        "MAC address of the network card sending the frame",
        mac_text,
    ),
    FieldSpec(
        "type",
        "EtherType",
        16,
        "protocole transporté : 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6",
        "protocol carried: 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6",
        ethertype_text,
    ),
)

_TAG: tuple[FieldSpec, ...] = (
    FieldSpec(
        "tpid",
        "TPID",
        16,
        "identifiant du marquage : 0x8100 annonce une étiquette de VLAN 802.1Q (à la place "
        "de l'EtherType)",
        "tag protocol identifier: 0x8100 announces an 802.1Q VLAN tag (where the EtherType "
        "would be)",
        ethertype_text,
    ),
    FieldSpec(
        "prio",
        "PCP",
        3,
        "priorité de la trame (0 à 7, classe de service 802.1p)",
        "priority of the frame (0 to 7, 802.1p class of service)",
    ),
    FieldSpec(
        "dei",
        "DEI",
        1,
        "1 : trame à jeter en premier en cas d'encombrement",
        "1: frame to drop first under congestion",
    ),
    FieldSpec(
        "vlan",
        "VID",
        12,
        "numéro du VLAN (1 à 4094) : le réseau virtuel auquel la trame appartient",
        "VLAN number (1 to 4094): the virtual network the frame belongs to",
    ),
)
_TYPE: tuple[FieldSpec, ...] = (
    FieldSpec(
        "type",
        "EtherType",
        16,
        "protocole transporté après l'étiquette : 0x0800 IPv4, 0x86dd IPv6",
        "protocol carried after the tag: 0x0800 IPv4, 0x86dd IPv6",
        ethertype_text,
    ),
)


def _ether(walk: Walk) -> Any:
    rest = walk.rest
    if isinstance(walk.following, Dot1Q) and len(rest) >= 12:
        # Tagged: the EtherType's place holds the tag's TPID, explained with the tag.
        fields = read_fields(rest[:12], _FIELDS[:2], walk.lang)
        return layer_explanation(ETHER, walk.offset, 12, fields), 12
    if len(rest) >= 14:
        fields = read_fields(rest[:14], _FIELDS, walk.lang)
        return layer_explanation(ETHER, walk.offset, 14, fields), 14
    return None


def _dot1q(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 4:
        return None
    # Another tag follows (Q-in-Q): it starts with its own TPID, where this one's EtherType
    # would be.
    specs = _TAG if isinstance(walk.following, Dot1Q) or len(rest) < 6 else _TAG + _TYPE
    size = sum(s.bits for s in specs) // 8
    fields = read_fields(rest[:size], specs, walk.lang)
    return layer_explanation(DOT1Q, walk.offset, size, fields), size


ETHER = LayerSpec("Ethernet", "IEEE 802.3", _FIELDS, explainer=_ether)
"""Ethernet's explain spec."""
DOT1Q = LayerSpec("802.1Q", "IEEE 802.1Q", _TAG + _TYPE, exact=True, explainer=_dot1q, lead=2)
"""The 802.1Q tag's explain spec."""

register_spec(Ether, ETHER)
register_spec(Dot1Q, DOT1Q)
