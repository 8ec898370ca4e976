"""Explain spec of ICMPv6 (RFC 4443, :mod:`paquet.layers.icmpv6`): the header, the body
(echo identifier and number, or the rest of the first word), the rest of the message, the
checksum over the IPv6 pseudo-header step by step. What follows the message (a quoted packet,
neighbour discovery options) is shown as its data."""

from __future__ import annotations

from typing import Any

from paquet.checksums import explain_transport
from paquet.explainer.core import Walk, layer_explanation, read_fields, variable_field, with_shown
from paquet.layers.icmpv6 import _ICMPv6
from paquet.layers.specs.icmp import ICMP_HEAD
from paquet.number_enums import ICMPv6Type
from paquet.numbers import IPPROTO_ICMPV6
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, register_spec

__all__ = ["ICMPV6"]

_TYPE_NAMES: dict[int, tuple[str, str]] = {
    ICMPv6Type.DEST_UNREACH: ("destination injoignable", "destination unreachable"),
    ICMPv6Type.PACKET_TOO_BIG: ("paquet trop gros", "packet too big"),
    ICMPv6Type.TIME_EXCEEDED: ("temps dépassé", "time exceeded"),
    ICMPv6Type.PARAM_PROBLEM: ("problème de paramètre", "parameter problem"),
    ICMPv6Type.ECHO_REQUEST: ("demande d'écho", "echo request"),
    ICMPv6Type.ECHO_REPLY: ("réponse d'écho", "echo reply"),
    ICMPv6Type.ND_RS: ("sollicitation de routeur", "router solicitation"),
    ICMPv6Type.ND_RA: ("annonce de routeur", "router advertisement"),
    ICMPv6Type.ND_NS: ("sollicitation de voisin", "neighbour solicitation"),
    ICMPv6Type.ND_NA: ("annonce de voisin", "neighbour advertisement"),
}
_ICMP6_REST = (
    FieldSpec(
        "rest",
        "Message Body",
        32,
        "selon le type : identifiant et numéro (écho), MTU, pointeur ou inutilisé",
        "depends on the type: identifier and number (echo), MTU, pointer or unused",
        hex_digits(8),
    ),
)
_ICMP6_ECHO = (
    FieldSpec(
        "id",
        "Identifier",
        16,
        "identifiant choisi par l'émetteur",
        "identifier chosen by the sender",
        hex_digits(4),
    ),
    FieldSpec(
        "seq", "Sequence Number", 16, "numéro de la demande", "number of the request", hex_digits(4)
    ),
)


def _icmpv6(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 8:
        return None
    in_ip = walk.in_ip
    message = in_ip if len(in_ip) >= 8 else rest
    kind = rest[0]
    echo = kind in (ICMPv6Type.ECHO_REQUEST, ICMPv6Type.ECHO_REPLY)
    fields = read_fields(rest[:8], ICMP_HEAD + (_ICMP6_ECHO if echo else _ICMP6_REST), walk.lang)
    names = _TYPE_NAMES.get(kind)
    if names:
        fields[0] = with_shown(fields[0], f"{kind} ({names[0] if walk.fr else names[1]})")
    if len(message) > 8:
        fields.append(
            variable_field(
                "load",
                "Data",
                64,
                message[8:],
                "le reste du message",
                "the rest of the message",
                walk.lang,
            )
        )
    check = None
    if walk.ip_src is not None and walk.ip_dst is not None:
        check = explain_transport(walk.ip_src, walk.ip_dst, IPPROTO_ICMPV6, message)
    walk.stop = True
    return layer_explanation(ICMPV6, walk.offset, 8, fields, check), len(message)


ICMPV6 = LayerSpec("ICMPv6", "RFC 4443", ICMP_HEAD + _ICMP6_REST, explainer=_icmpv6)
"""ICMPv6's explain spec (every message class)."""

register_spec(_ICMPv6, ICMPV6)
