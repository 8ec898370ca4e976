"""Explain specs of IPv6 (RFC 8200, :mod:`paquet.layers.ipv6`) and its extension headers:
hop-by-hop and destination options (their options one by one), routing (addresses of type 0
and 2, the segment list of type 4), fragment. A routing header's final destination and a home
address option change the addresses of the checksum pseudo-header for the layers above, as
the layers and ``paquet checksum`` do (:mod:`paquet.ipv6ext`)."""

from __future__ import annotations

from typing import Any

from paquet.explainer.core import (
    FieldExplanation,
    Walk,
    layer_explanation,
    read_fields,
    variable_field,
)
from paquet.ipv6ext import final_destination, home_address, tlv_options
from paquet.layers.ipv6 import (
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
)
from paquet.layers.ipv6_srh import IPv6ExtHdrSegmentRouting
from paquet.layers.specs.ipv4 import PROTOCOL_NAMES
from paquet.packet.spec import (
    FieldSpec,
    LayerSpec,
    hex_digits,
    ipv6_text,
    named,
    register_spec,
)

__all__ = ["DESTINATION_OPTIONS", "FRAGMENT", "HOP_BY_HOP", "IPV6", "OPTION_NAMES", "ROUTING"]

_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("version", "Version", 4, "version du protocole IP : 6", "IP version: 6"),
    FieldSpec(
        "tc",
        "Traffic Class",
        8,
        "classe de trafic (DSCP et ECN), comme le TOS d'IPv4",
        "traffic class (DSCP and ECN), as IPv4's TOS",
        hex_digits(2),
    ),
    FieldSpec(
        "fl",
        "Flow Label",
        20,
        "étiquette de flux : les paquets d'un même flux la partagent",
        "flow label: packets of one flow share it",
        hex_digits(5),
    ),
    FieldSpec(
        "plen",
        "Payload Length",
        16,
        "longueur des données après cet en-tête de 40 octets",
        "length of what follows this 40-byte header",
    ),
    FieldSpec(
        "nh",
        "Next Header",
        8,
        "protocole qui suit : 6 TCP, 17 UDP, 58 ICMPv6",
        "protocol that follows: 6 TCP, 17 UDP, 58 ICMPv6",
        named(PROTOCOL_NAMES),
    ),
    FieldSpec(
        "hlim",
        "Hop Limit",
        8,
        "nombre de routeurs que le paquet peut encore traverser (le TTL d'IPv6)",
        "how many routers the packet may still cross (IPv6's TTL)",
    ),
    FieldSpec(
        "src",
        "Source Address",
        128,
        "adresse IPv6 de l'émetteur",
        "IPv6 address of the sender",
        ipv6_text,
    ),
    FieldSpec(
        "dst",
        "Destination Address",
        128,
        "adresse IPv6 du destinataire",
        "IPv6 address of the receiver",
        ipv6_text,
    ),
)

_ROUTING_TYPES = {
    0: "Source Route",
    2: "Type 2",
    3: "RPL",
    4: "Segment Routing",
}
_EXT_NH = FieldSpec(
    "nh",
    "Next Header",
    8,
    "ce qui suit cet en-tête d'extension : 6 TCP, 17 UDP, 58 ICMPv6, ou un autre en-tête",
    "what follows this extension header: 6 TCP, 17 UDP, 58 ICMPv6, or another header",
    named(PROTOCOL_NAMES),
)
_EXT_LEN = FieldSpec(
    "len",
    "Hdr Ext Len",
    8,
    "longueur de l'en-tête en blocs de 8 octets, sans compter les 8 premiers",
    "header length in 8-byte units, not counting the first 8 bytes",
)
_OPTIONS_HEAD = (_EXT_NH, _EXT_LEN)
_ROUTING_HEAD = (
    _EXT_NH,
    _EXT_LEN,
    FieldSpec(
        "type",
        "Routing Type",
        8,
        "variante d'en-tête de routage : 0 routage par la source (abandonné), 2 mobilité, "
        "4 routage par segments",
        "kind of routing header: 0 source route (deprecated), 2 mobility, 4 segment routing",
        lambda v: f"{v} ({_ROUTING_TYPES[v]})" if v in _ROUTING_TYPES else str(v),
    ),
    FieldSpec(
        "segleft",
        "Segments Left",
        8,
        "nombre d'étapes (adresses) restant à visiter avant la destination finale",
        "how many route segments (addresses) are left before the final destination",
    ),
)
_ROUTING_RESERVED = (
    FieldSpec(
        "reserved",
        "Reserved",
        32,
        "réservé, à zéro",
        "reserved, zero",
        hex_digits(8),
    ),
)
_ROUTING_SRH = (
    FieldSpec(
        "lastentry",
        "Last Entry",
        8,
        "indice du dernier segment de la liste (le nombre de segments moins un)",
        "index of the last segment in the list (the number of segments less one)",
    ),
    FieldSpec("flags", "Flags", 8, "drapeaux, à zéro", "flags, zero", hex_digits(2)),
    FieldSpec(
        "tag",
        "Tag",
        16,
        "étiquette : marque les paquets d'une même classe",
        "tag: marks packets of one class",
        hex_digits(4),
    ),
)
_FRAGMENT = (
    _EXT_NH,
    FieldSpec("res1", "Reserved", 8, "réservé, à zéro", "reserved, zero"),
    FieldSpec(
        "offset",
        "Fragment Offset",
        13,
        "position des données de ce fragment dans le paquet d'origine (en blocs de 8 octets)",
        "position of this fragment's data in the original packet (in 8-byte units)",
    ),
    FieldSpec("res2", "Res", 2, "réservé, à zéro", "reserved, zero"),
    FieldSpec(
        "m",
        "M",
        1,
        "1 : d'autres fragments suivent ; 0 : dernier fragment",
        "1: more fragments follow; 0: last fragment",
    ),
    FieldSpec(
        "id",
        "Identification",
        32,
        "numéro du paquet d'origine, commun à tous ses fragments",
        "number of the original packet, shared by all its fragments",
        hex_digits(8),
    ),
)
# Hop-by-hop and destination options (RFC 8200 §4.2 and IANA's registry).
OPTION_NAMES = {
    0x00: "Pad1",
    0x01: "PadN",
    0x04: "Tunnel Encapsulation Limit",
    0x05: "Router Alert",
    0x06: "Quick-Start",
    0x26: "Quick-Start",
    0x63: "RPL Option",
    0xC2: "Jumbo Payload",
    0xC9: "Home Address",
}
"""The hop-by-hop and destination option types named in explanations."""
_OPTION_DATA = {
    0x01: (
        "bourrage : des zéros pour que l'en-tête fasse un multiple de 8 octets",
        "padding: zeros so that the header is a multiple of 8 bytes",
    ),
    0x05: (
        "alerte routeur : chaque routeur doit examiner ce paquet (0 : MLD, 2 : RSVP)",
        "router alert: every router must look at this packet (0: MLD, 2: RSVP)",
    ),
    0xC2: (
        "longueur d'un « jumbogramme » de plus de 65535 octets",
        "length of a jumbogram of more than 65535 bytes",
    ),
    0x04: (
        "combien de fois encore le paquet peut être encapsulé",
        "how many more times the packet may be encapsulated",
    ),
}


def _ipv6(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 40:
        return None
    fields = read_fields(rest[:40], _FIELDS, walk.lang)
    plen = int.from_bytes(rest[4:6], "big")
    walk.ip_src, walk.ip_dst = rest[8:24], rest[24:40]
    walk.ip_end = walk.data_end = min(len(walk.data), walk.offset + 40 + plen)
    return layer_explanation(IPV6, walk.offset, 40, fields), 40


def _options_header(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 2:
        return None
    size = min(8 * (rest[1] + 1), len(rest))
    fields = read_fields(rest[:2], _OPTIONS_HEAD, walk.lang)
    fields += _options(rest[2:size], 16, walk.lang)
    if isinstance(walk.layer, IPv6ExtHdrDestOpt):
        spec = DESTINATION_OPTIONS
        # A home address option: the pseudo-header's source is the home address (RFC 6275).
        walk.ip_src = home_address(tlv_options(rest[2:size])) or walk.ip_src
    else:
        spec = HOP_BY_HOP
    return layer_explanation(spec, walk.offset, size, fields), size


def _routing_header(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < 8:
        return None
    size = min(8 * (rest[1] + 1), len(rest))
    header = rest[:size]
    # TCP, UDP and ICMPv6 checksums use the final destination (RFC 8200 §8.1).
    walk.ip_dst = final_destination(header[2], header[3], header[8:]) or walk.ip_dst
    return layer_explanation(ROUTING, walk.offset, size, _routing(header, walk.lang)), size


def _fragment(walk: Walk) -> Any:
    if len(walk.rest) < 8:
        return None
    fields = read_fields(walk.rest[:8], _FRAGMENT, walk.lang)
    return layer_explanation(FRAGMENT, walk.offset, 8, fields), 8


def _options(body: bytes, start: int, lang: str) -> list[FieldExplanation]:
    """The options of a hop-by-hop or destination header (RFC 8200 §4.2: type, length,
    data; Pad1 is a lone type byte), named ``options.N.otype`` (``optlen``, ``optdata``)
    as paquet's (Scapy's) option fields; what does not parse is shown as bytes."""
    fr = lang == "fr"
    out: list[FieldExplanation] = []
    at, number = 0, 0
    while at < len(body):
        kind = body[at]
        here = start + 8 * at
        base = f"options.{number}"
        name = OPTION_NAMES.get(kind)
        shown = f"{kind} ({name})" if name else str(kind)
        if kind == 0:
            out.append(
                FieldExplanation(
                    f"{base}.otype",
                    "Pad1",
                    here,
                    8,
                    0,
                    shown,
                    "Pad1 : un octet de bourrage, sans longueur ni données"
                    if fr
                    else "Pad1: one byte of padding, without length or data",
                )
            )
            at += 1
            number += 1
            continue
        if at + 2 > len(body) or at + 2 + body[at + 1] > len(body):
            out.append(
                variable_field(
                    "options",
                    "Options",
                    here,
                    body[at:],
                    "octets qui ne forment pas une option entière (type, longueur, données)",
                    "bytes that do not make a whole option (type, length, data)",
                    lang,
                )
            )
            break
        length = body[at + 1]
        out.append(
            FieldExplanation(
                f"{base}.otype",
                "Option Type",
                here,
                8,
                kind,
                shown,
                "type d'option ; ses deux premiers bits disent quoi faire si on ne la connaît "
                "pas (00 l'ignorer, 01 jeter le paquet, 10 et 11 le jeter et prévenir par "
                "ICMP), le troisième si elle peut changer en route"
                if fr
                else "option type; its two high-order bits say what to do with an unknown "
                "option (00 skip it, 01 discard the packet, 10 and 11 discard it and answer "
                "with ICMP), the third whether it may change en route",
            )
        )
        out.append(
            FieldExplanation(
                f"{base}.optlen",
                "Opt Data Len",
                here + 8,
                8,
                length,
                str(length),
                "longueur des données de l'option en octets"
                if fr
                else "length of the option's data in bytes",
            )
        )
        if length:
            what = _OPTION_DATA.get(kind, ("les données de l'option", "the option's data"))
            out.append(
                variable_field(
                    f"{base}.optdata",
                    "Option Data",
                    here + 16,
                    body[at + 2 : at + 2 + length],
                    what[0],
                    what[1],
                    lang,
                )
            )
        at += 2 + length
        number += 1
    return out


def _routing(header: bytes, lang: str) -> list[FieldExplanation]:
    """A routing header's fields: the first word (RFC 8200 §4.4), then what its type holds:
    addresses (type 0, RFC 2460; type 2, RFC 6275), a segment list (type 4, RFC 8754), or
    type-specific data."""
    fr = lang == "fr"
    kind = header[2]
    fields = read_fields(header[:4], _ROUTING_HEAD, lang)
    body = header[8:]
    if kind in (0, 2) and len(body) % 16 == 0:
        fields += read_fields(header[4:8], _ROUTING_RESERVED, lang, 32)
        slots = len(body) // 16
        if kind == 2:
            fr_text, en_text = (
                "adresse permanente (home address) du mobile, destination finale",
                "the mobile node's home address, the final destination",
            )
        else:
            fr_text, en_text = (
                "une étape de la route choisie par l'émetteur (la dernière : la destination "
                "finale)",
                "a stop of the route the sender chose (the last one: the final destination)",
            )
        for j in range(slots):
            value = int.from_bytes(body[16 * j : 16 * j + 16], "big")
            label = "Home Address" if kind == 2 else f"Address[{j + 1}]"
            fields.append(
                FieldExplanation(
                    f"addresses.{j}",
                    label,
                    64 + 128 * j,
                    128,
                    value,
                    ipv6_text(value),
                    fr_text if fr else en_text,
                )
            )
        return fields
    if kind == 4:
        fields += read_fields(header[4:8], _ROUTING_SRH, lang, 32)
        slots = min(header[4] + 1, len(body) // 16)
        for j in range(slots):
            value = int.from_bytes(body[16 * j : 16 * j + 16], "big")
            fields.append(
                FieldExplanation(
                    f"addresses.{j}",
                    f"Segment List[{j}]",
                    64 + 128 * j,
                    128,
                    value,
                    ipv6_text(value),
                    "un segment de la route, liste à l'envers : [0] est la destination finale"
                    if fr
                    else "a segment of the route, in reverse order: [0] is the final destination",
                )
            )
        tlvs = body[16 * slots :]
        if tlvs:
            fields.append(
                variable_field(
                    "tlv_objects",
                    "Optional TLVs",
                    64 + 128 * slots,
                    tlvs,
                    "options du routage par segments (type, longueur, valeur)",
                    "segment routing options (type, length, value)",
                    lang,
                )
            )
        return fields
    fields.append(
        variable_field(
            "data",
            "Type-Specific Data",
            32,
            header[4:],
            "données propres à ce type de routage",
            "data specific to this routing type",
            lang,
        )
    )
    return fields


IPV6 = LayerSpec("IPv6", "RFC 8200", _FIELDS, explainer=_ipv6)
"""IPv6's explain spec."""
HOP_BY_HOP = LayerSpec(
    "Hop-by-Hop Options", "RFC 8200 §4.3", _OPTIONS_HEAD, exact=True, explainer=_options_header
)
"""The hop-by-hop options header's explain spec."""
ROUTING = LayerSpec(
    "Routing", "RFC 8200 §4.4", _ROUTING_HEAD, exact=True, explainer=_routing_header
)
"""The routing header's explain spec."""
FRAGMENT = LayerSpec("Fragment", "RFC 8200 §4.5", _FRAGMENT, exact=True, explainer=_fragment)
"""The fragment header's explain spec."""
DESTINATION_OPTIONS = LayerSpec(
    "Destination Options", "RFC 8200 §4.6", _OPTIONS_HEAD, exact=True, explainer=_options_header
)
"""The destination options header's explain spec."""

register_spec(IPv6, IPV6)
register_spec(IPv6ExtHdrHopByHop, HOP_BY_HOP)
register_spec(IPv6ExtHdrRouting, ROUTING)
register_spec(IPv6ExtHdrSegmentRouting, ROUTING)  # a routing header of type 4 dissects so
register_spec(IPv6ExtHdrFragment, FRAGMENT)
register_spec(IPv6ExtHdrDestOpt, DESTINATION_OPTIONS)
