"""Explain spec of ICMP (RFC 792, :mod:`paquet.layers.icmp`): the header, the body its type
gives it (echo identifier and number, redirect gateway, unused), the data or the quoted
packet, the checksum over the whole message step by step. What follows the message (a quoted
header) is shown as its data."""

from __future__ import annotations

from typing import Any

from paquet.checksums import explain_words, words16
from paquet.explainer.core import Walk, layer_explanation, read_fields, variable_field, with_shown
from paquet.layers.icmp import ICMP
from paquet.number_enums import ICMPType, ICMPUnreachCode
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, ipv4_text, register_spec

__all__ = ["ICMP_HEAD", "ICMP_SPEC"]

_TYPE_NAMES: dict[int, tuple[str, str]] = {
    ICMPType.ECHO_REPLY: ("réponse d'écho (echo-reply)", "echo reply"),
    ICMPType.DEST_UNREACH: ("destination injoignable", "destination unreachable"),
    ICMPType.REDIRECT: ("redirection", "redirect"),
    ICMPType.ECHO_REQUEST: ("demande d'écho (echo-request)", "echo request"),
    ICMPType.TIME_EXCEEDED: ("temps dépassé (TTL à 0)", "time exceeded (TTL reached 0)"),
    ICMPType.PARAMETER_PROBLEM: ("problème de paramètre", "parameter problem"),
}
_UNREACH_NAMES: dict[int, tuple[str, str]] = {
    ICMPUnreachCode.NETWORK_UNREACHABLE: ("réseau injoignable", "network unreachable"),
    ICMPUnreachCode.HOST_UNREACHABLE: ("machine injoignable", "host unreachable"),
    ICMPUnreachCode.PROTOCOL_UNREACHABLE: ("protocole injoignable", "protocol unreachable"),
    ICMPUnreachCode.PORT_UNREACHABLE: ("port injoignable", "port unreachable"),
    ICMPUnreachCode.FRAGMENTATION_NEEDED: ("fragmentation nécessaire", "fragmentation needed"),
    ICMPUnreachCode.COMMUNICATION_PROHIBITED: (
        "interdit par un filtre",
        "administratively prohibited",
    ),
}
ICMP_HEAD: tuple[FieldSpec, ...] = (
    FieldSpec("type", "Type", 8, "type de message", "message type"),
    FieldSpec(
        "code",
        "Code",
        8,
        "précision du type (pour « injoignable » : réseau, machine, port...)",
        "detail of the type (for unreachable: network, host, port...)",
    ),
    FieldSpec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle de tout le message ICMP",
        "checksum of the whole ICMP message",
        hex_digits(4),
    ),
)
"""Type, code and checksum: the first word of ICMP and ICMPv6 messages."""
_ICMP_ECHO = (
    FieldSpec(
        "id",
        "Identifier",
        16,
        "identifiant choisi par l'émetteur (la réponse le recopie)",
        "identifier chosen by the sender (the reply copies it)",
        hex_digits(4),
    ),
    FieldSpec(
        "seq",
        "Sequence Number",
        16,
        "numéro de la demande (la réponse le recopie)",
        "number of the request (the reply copies it)",
        hex_digits(4),
    ),
)
_ICMP_UNUSED = (
    FieldSpec(
        "unused",
        "Unused",
        32,
        "inutilisé ; les données recopient l'en-tête IP et le début du paquet en cause",
        "unused; the data quotes the IP header and start of the offending packet",
        hex_digits(8),
    ),
)
_ICMP_GW = (
    FieldSpec(
        "gw",
        "Gateway Internet Address",
        32,
        "le routeur à utiliser désormais",
        "the router to use from now on",
        ipv4_text,
    ),
)

_ECHO_LIKE = (
    ICMPType.ECHO_REPLY,
    ICMPType.ECHO_REQUEST,
    ICMPType.TIMESTAMP_REQUEST,
    ICMPType.TIMESTAMP_REPLY,
)
_QUOTING = (
    ICMPType.DEST_UNREACH,
    ICMPType.REDIRECT,
    ICMPType.TIME_EXCEEDED,
    ICMPType.PARAMETER_PROBLEM,
)


def _icmp(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 8:
        return None
    in_ip = walk.in_ip
    message = in_ip if len(in_ip) >= 8 else rest
    kind, code = rest[0], rest[1]
    body = (
        _ICMP_ECHO
        if kind in _ECHO_LIKE
        else _ICMP_GW
        if kind == ICMPType.REDIRECT
        else _ICMP_UNUSED
    )
    fields = read_fields(rest[:8], ICMP_HEAD + body, walk.lang)
    names = _TYPE_NAMES.get(kind)
    if names:
        fields[0] = with_shown(fields[0], f"{kind} ({names[0] if walk.fr else names[1]})")
    if kind == ICMPType.DEST_UNREACH and code in _UNREACH_NAMES:
        fields[1] = with_shown(fields[1], f"{code} ({_UNREACH_NAMES[code][0 if walk.fr else 1]})")
    if len(message) > 8:
        what = (
            "l'en-tête IP et les 8 premiers octets du paquet en cause"
            if kind in _QUOTING
            else "les données, recopiées dans la réponse"
        )
        what_en = (
            "the IP header and first 8 bytes of the offending packet"
            if kind in _QUOTING
            else "the data, copied into the reply"
        )
        fields.append(variable_field("load", "Data", 64, message[8:], what, what_en, walk.lang))
    check = explain_words(words16(message), 1)
    walk.stop = True
    return layer_explanation(ICMP_SPEC, walk.offset, 8, fields, check), len(message)


ICMP_SPEC = LayerSpec("ICMP", "RFC 792", ICMP_HEAD + _ICMP_ECHO, explainer=_icmp)
"""ICMP's explain spec."""

register_spec(ICMP, ICMP_SPEC)
