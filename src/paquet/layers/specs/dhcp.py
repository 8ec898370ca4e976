"""Explain specs of BOOTP and DHCP (RFC 951, RFC 2131, RFC 2132; :mod:`paquet.layers.dhcp`):
the fixed message, the magic cookie, then each option (code, length, value) with its meaning."""

from __future__ import annotations

import dataclasses
from typing import Any

from paquet.explainer.core import (
    FieldExplanation,
    Walk,
    layer_explanation,
    read_fields,
    variable_field,
)
from paquet.layers.dhcp import BOOTP, DHCP, DHCPOptionsField, dhcpmagic
from paquet.layers.dhcp_options import DHCPOptions, DHCPTypes
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, ipv4_text, named, register_spec

__all__ = ["BOOTP_SPEC", "DHCP_OPTION_MEANINGS", "DHCP_SPEC"]


def _chaddr(value: int) -> str:
    raw = value.to_bytes(16, "big")
    return raw[:6].hex(":") + ("" if raw[6:] == bytes(10) else f" + {raw[6:].hex()}")


def _text(size: int) -> Any:
    def show(value: int) -> str:
        return repr(value.to_bytes(size, "big").rstrip(b"\x00"))

    return show


def _flags(value: int) -> str:
    return "B (broadcast)" if value & 0x8000 else "0"


_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("op", "op", 8, "1 : requête du client (BOOTREQUEST), 2 : réponse du serveur",
              "1: client's request (BOOTREQUEST), 2: server's reply (BOOTREPLY)",
              named({1: "BOOTREQUEST", 2: "BOOTREPLY"})),
    FieldSpec("htype", "htype", 8, "type de réseau du client : 1 pour Ethernet",
              "client's hardware type: 1 for Ethernet"),
    FieldSpec("hlen", "hlen", 8, "longueur de son adresse matérielle (6 pour une MAC)",
              "length of its hardware address (6 for a MAC)"),
    FieldSpec("hops", "hops", 8, "nombre de relais traversés (0 sans relais)",
              "relay agents crossed (0 without one)"),
    FieldSpec("xid", "xid", 32,
              "numéro de transaction tiré par le client : la réponse reprend le même",
              "transaction number drawn by the client: the reply carries the same one",
              hex_digits(8)),
    FieldSpec("secs", "secs", 16, "secondes écoulées depuis le début de la demande du client",
              "seconds since the client began asking"),
    FieldSpec("flags", "flags", 16,
              "bit B : le client demande une réponse en diffusion (il n'a pas encore d'adresse)",
              "B bit: the client asks for a broadcast reply (it has no address yet)", _flags),
    FieldSpec("ciaddr", "ciaddr", 32, "adresse actuelle du client (s'il en a déjà une)",
              "client's current address (when it already has one)", ipv4_text),
    FieldSpec("yiaddr", "yiaddr", 32, "« your address » : l'adresse que le serveur attribue",
              '"your address": the address the server gives', ipv4_text),
    FieldSpec("siaddr", "siaddr", 32, "serveur à contacter ensuite (démarrage réseau)",
              "server to use next (network boot)", ipv4_text),
    FieldSpec("giaddr", "giaddr", 32, "adresse du relais DHCP (0 sans relais)",
              "address of the relay agent (0 without one)", ipv4_text),
    FieldSpec("chaddr", "chaddr", 128,
              "adresse matérielle (MAC) du client, complétée à 16 octets",
              "client's hardware (MAC) address, padded to 16 bytes", _chaddr),
    FieldSpec("sname", "sname", 512, "nom du serveur (facultatif)",
              "server host name (optional)", _text(64)),
    FieldSpec("file", "file", 1024, "fichier de démarrage (démarrage réseau, facultatif)",
              "boot file name (network boot, optional)", _text(128)),
)

_COOKIE = FieldSpec("options", "magic cookie", 32,
                    "« cookie magique » 99.130.83.99 : des options DHCP suivent",
                    '"magic cookie" 99.130.83.99: DHCP options follow', ipv4_text)

_FIXED = sum(f.bits for f in _FIELDS) // 8  # 236 bytes

#: What the common options mean (code -> (fr, en)); the others are named by their code.
DHCP_OPTION_MEANINGS: dict[int, tuple[str, str]] = {
    0: ("bourrage", "padding"),
    1: ("masque du sous-réseau", "subnet mask"),
    3: ("passerelle(s) par défaut", "default router(s)"),
    6: ("serveur(s) DNS", "DNS server(s)"),
    12: ("nom de la machine cliente", "client's host name"),
    15: ("nom de domaine", "domain name"),
    28: ("adresse de diffusion du sous-réseau", "subnet broadcast address"),
    42: ("serveur(s) de temps NTP", "NTP server(s)"),
    43: ("informations propres au fabricant", "vendor-specific information"),
    50: ("adresse demandée par le client", "address the client asks for"),
    51: ("durée du bail en secondes", "lease time in seconds"),
    53: ("type du message DHCP (discover, offer, request, ack...)",
         "DHCP message type (discover, offer, request, ack...)"),
    54: ("identifiant (adresse) du serveur DHCP", "DHCP server identifier (address)"),
    55: ("options que le client demande", "options the client asks for"),
    56: ("message d'erreur", "error message"),
    57: ("taille maximale d'un message DHCP", "largest DHCP message accepted"),
    58: ("délai de renouvellement du bail (T1)", "lease renewal time (T1)"),
    59: ("délai de rattachement (T2)", "lease rebinding time (T2)"),
    60: ("classe du client (fabricant, système)", "client class (vendor, system)"),
    61: ("identifiant du client (souvent 1 puis sa MAC)",
         "client identifier (often 1 then its MAC)"),
    81: ("nom complet (FQDN) du client", "client's fully qualified name"),
    82: ("informations du relais (sous-options : circuit, identifiant distant...)",
         "relay agent information (sub-options: circuit, remote id...)"),
    121: ("routes statiques sans classe (RFC 3442)", "classless static routes (RFC 3442)"),
    255: ("fin des options", "end of the options"),
}

_TYPES = named(DHCPTypes)


def _option_name(code: int) -> str:
    kind = DHCPOptions.get(code)
    if kind is None:
        return f"option {code}"
    return kind if isinstance(kind, str) else kind.name


def _bootp(walk: Walk) -> Any:
    rest = walk.rest
    if len(rest) < _FIXED:
        return None
    fields = read_fields(rest[:_FIXED], _FIELDS, walk.lang)
    # The names are drawn folded (their bytes as the value), as the RFC draws them.
    fields = [dataclasses.replace(f, value=f.value.to_bytes(f.bits // 8, "big"))
              if f.name in ("sname", "file") else f for f in fields]
    size = _FIXED
    if rest[_FIXED : _FIXED + 4] == dhcpmagic:
        fields += read_fields(dhcpmagic, (_COOKIE,), walk.lang, _FIXED * 8)
        size += 4
    else:
        vendor = bytes(walk.layer.options or b"")
        if vendor:
            fields.append(variable_field(
                "options", "vend", _FIXED * 8, vendor, "zone fournisseur (BOOTP, RFC 1048)",
                "vendor area (BOOTP, RFC 1048)", walk.lang))
            size += len(vendor)
    return layer_explanation(BOOTP_SPEC, walk.offset, size, fields), size


def _dhcp(walk: Walk) -> Any:
    layer = walk.layer
    data = DHCPOptionsField("options", b"").i2m(layer, layer.options)
    data = walk.rest[: len(data)]
    fields: list[FieldExplanation] = []
    fr = walk.lang == "fr"
    at = 0
    while at < len(data):
        code = data[at]
        size = 1 if code in (0, 255) else 2 + data[at + 1] if at + 1 < len(data) else 0
        if size == 0 or at + size > len(data):
            fields.append(variable_field(
                "options", "?", at * 8, data[at:], "option coupée : ses octets, gardés tels quels",
                "option cut short: its bytes, kept as they are", walk.lang))
            break
        part = data[at : at + size]
        meaning = DHCP_OPTION_MEANINGS.get(code)
        text = (meaning[0] if fr else meaning[1]) if meaning else (
            "option (RFC 2132 et suivantes)" if fr else "option (RFC 2132 and later)")
        name = _option_name(code)
        shown = name
        if size > 2:
            parsed = DHCPOptionsField("options", b"").m2i(layer, part)
            shown = DHCPOptionsField("options", b"").i2repr(layer, parsed)[1:-1]
            if code == 53 and size == 3:
                shown = f"message-type={_TYPES(part[2])}"
        fields.append(FieldExplanation(name, f"{code} ({size} B)", at * 8, size * 8, part,
                                       shown if len(shown) <= 60 else shown[:59] + "…", text))
        at += size
    if not fields:
        return None
    return layer_explanation(DHCP_SPEC, walk.offset, at if at <= len(data) else len(data),
                             fields, exact=True), len(data)


BOOTP_SPEC = LayerSpec("BOOTP", "RFC 951, RFC 2131", (*_FIELDS, _COOKIE), exact=True,
                       explainer=_bootp)
"""BOOTP's explain spec (the fixed 236-byte message, then the magic cookie)."""

DHCP_SPEC = LayerSpec("DHCP options", "RFC 2132", (), exact=True, explainer=_dhcp)
"""The DHCP options' explain spec: each option as code, length and value."""

register_spec(BOOTP, BOOTP_SPEC)
register_spec(DHCP, DHCP_SPEC)
