"""Explain spec of TCP (RFC 9293, :mod:`paquet.layers.tcp`): the header, its options, its
checksum over the IP pseudo-header, step by step."""

from __future__ import annotations

from typing import Any

from paquet.checksums import explain_transport
from paquet.explainer.core import Walk, layer_explanation
from paquet.layers.specs._header import fixed_and_options
from paquet.layers.specs.udp import DESTINATION_PORT, SOURCE_PORT
from paquet.layers.tcp import TCP
from paquet.numbers import IPPROTO_TCP
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, register_spec

__all__ = ["TCP_SPEC"]

_FIELDS: tuple[FieldSpec, ...] = (
    SOURCE_PORT,
    DESTINATION_PORT,
    FieldSpec(
        "seq",
        "Sequence Number",
        32,
        "numéro du premier octet de données de ce segment (choisi au hasard au SYN)",
        "number of this segment's first data byte (chosen at random with the SYN)",
    ),
    FieldSpec(
        "ack",
        "Acknowledgment Number",
        32,
        "prochain octet attendu de l'autre côté (valable avec le drapeau ACK)",
        "next byte expected from the other side (valid with the ACK flag)",
    ),
    FieldSpec(
        "dataofs",
        "Offset",
        4,
        "longueur de l'en-tête en mots de 32 bits (5 = 20 octets)",
        "header length in 32-bit words (5 = 20 bytes)",
    ),
    FieldSpec("reserved", "Rsv", 3, "réservé, à zéro", "reserved, zero"),
    FieldSpec(
        "flags.AE",
        "AE",
        1,
        "drapeau AE (ECN précis), ancien NS",
        "AE flag (accurate ECN), formerly NS",
    ),
    FieldSpec("flags.CWR", "CWR", 1, "fenêtre de congestion réduite", "congestion window reduced"),
    FieldSpec("flags.ECE", "ECE", 1, "écho de congestion ECN", "ECN congestion echo"),
    FieldSpec(
        "flags.URG", "URG", 1, "le pointeur d'urgence est valable", "the urgent pointer is valid"
    ),
    FieldSpec(
        "flags.ACK",
        "ACK",
        1,
        "le numéro d'acquittement est valable (tous les segments après le SYN)",
        "the acknowledgment number is valid (every segment after the SYN)",
    ),
    FieldSpec(
        "flags.PSH",
        "PSH",
        1,
        "donner les données à l'application sans attendre",
        "hand the data to the application now",
    ),
    FieldSpec(
        "flags.RST",
        "RST",
        1,
        "couper la connexion (ce que le noyau envoie à un SYN/ACK inattendu)",
        "reset the connection (what the kernel sends to an unexpected SYN/ACK)",
    ),
    FieldSpec(
        "flags.SYN",
        "SYN",
        1,
        "ouvrir une connexion, synchroniser les numéros de séquence",
        "open a connection, synchronise sequence numbers",
    ),
    FieldSpec(
        "flags.FIN",
        "FIN",
        1,
        "plus rien à envoyer : fermer ce sens de la connexion",
        "nothing more to send: close this direction",
    ),
    FieldSpec(
        "window",
        "Window",
        16,
        "combien d'octets l'émetteur peut encore recevoir",
        "how many bytes the sender can still receive",
    ),
    FieldSpec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle du pseudo-en-tête IP, de l'en-tête et des données",
        "checksum of the IP pseudo-header, the header and the data",
        hex_digits(4),
    ),
    FieldSpec(
        "urgptr",
        "Urgent Pointer",
        16,
        "fin des données urgentes (avec URG)",
        "end of the urgent data (with URG)",
    ),
)


_OPTIONS = (
    "options TCP (MSS, fenêtre, horodatage, SACK...)",
    "TCP options (MSS, window scale, timestamps, SACK...)",
)
"""What the options are, in French and English."""


def _tcp(walk: Walk) -> Any:
    header = fixed_and_options(walk, _FIELDS, lambda head: head[12] >> 4, _OPTIONS)
    if header is None:
        return None
    hlen, fields = header
    check = None
    if walk.ip_src is not None and walk.ip_dst is not None:
        check = explain_transport(walk.ip_src, walk.ip_dst, IPPROTO_TCP, walk.in_ip)
    return layer_explanation(TCP_SPEC, walk.offset, hlen, fields, check), hlen


TCP_SPEC = LayerSpec("TCP", "RFC 9293", _FIELDS, explainer=_tcp)
"""TCP's explain spec."""

register_spec(TCP, TCP_SPEC)
