"""Explain spec of UDP (RFC 768, :mod:`paquet.layers.udp`): the header and its checksum over
the IP pseudo-header, step by step."""

from __future__ import annotations

import dataclasses
from typing import Any

from paquet.checksums import explain_transport
from paquet.explainer.core import Walk, layer_explanation, read_fields
from paquet.layers.udp import UDP
from paquet.numbers import IPPROTO_UDP
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, register_spec

__all__ = ["DESTINATION_PORT", "SOURCE_PORT", "UDP_SPEC"]

SOURCE_PORT = FieldSpec(
    "sport",
    "Source Port",
    16,
    "port de l'application qui envoie",
    "port of the sending application",
)
"""The source port, as UDP and TCP explain it."""

DESTINATION_PORT = FieldSpec(
    "dport",
    "Destination Port",
    16,
    "port de l'application qui reçoit",
    "port of the receiving application",
)
"""The destination port, as TCP explains it (UDP adds the course's server)."""

_FIELDS: tuple[FieldSpec, ...] = (
    SOURCE_PORT,
    dataclasses.replace(
        DESTINATION_PORT,
        fr=DESTINATION_PORT.fr + " (10000 pour le serveur du TP)",
        en=DESTINATION_PORT.en + " (10000 for the course's server)",
    ),
    FieldSpec(
        "len",
        "Length",
        16,
        "longueur de l'en-tête UDP (8 octets) et des données",
        "length of the UDP header (8 bytes) and data",
    ),
    FieldSpec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle du pseudo-en-tête IP, de l'en-tête et des données (0 : pas de contrôle)",
        "checksum of the IP pseudo-header, the header and the data (0: none)",
        hex_digits(4),
    ),
)


def _udp(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 8:
        return None
    fields = read_fields(rest[:8], _FIELDS, walk.lang)
    check = None
    if walk.ip_src is not None and walk.ip_dst is not None:
        length = int.from_bytes(rest[4:6], "big")
        in_ip = walk.in_ip
        segment = in_ip[: max(8, min(length, len(in_ip)))]
        check = explain_transport(walk.ip_src, walk.ip_dst, IPPROTO_UDP, segment)
    return layer_explanation(UDP_SPEC, walk.offset, 8, fields, check), 8


UDP_SPEC = LayerSpec("UDP", "RFC 768", _FIELDS, explainer=_udp)
"""UDP's explain spec."""

register_spec(UDP, UDP_SPEC)
