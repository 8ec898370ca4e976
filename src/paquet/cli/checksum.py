"""``paquet checksum HEX``: compute and check internet checksums, and explain them step by step.

The bytes are an Ethernet frame carrying IPv4 or IPv6, an IP packet, or (``--link raw``, or when
neither reading works) plain data whose RFC 1071 checksum is computed. Exit codes: 0 every
checksum is right (or a plain checksum was computed), 1 a checksum is wrong, 2 bad input.
"""

from __future__ import annotations

import click
from rich.markup import escape

from paquet.checksums import (
    ChecksumCheck,
    ChecksumExplanation,
    explain_packet,
    explain_words,
    internet_checksum,
    verify_packet,
    words16,
)
from paquet.cli.hexinput import parse_hex, read_stdin_hex
from paquet.cli.params import Choice, Text
from paquet.cli.render import default_lang, print_json
from paquet.cli.status import ExitStatus
from paquet.cli.subnet import console
from paquet.errors import DecodeError

__all__ = ["command", "parse_hex"]

def _texts(lang: str) -> dict[str, str]:
    fr = lang == "fr"
    return {
        "header": "Somme de contrôle de l'en-tête IPv4" if fr else "IPv4 header checksum",
        "segment": "Somme de contrôle {layer} (pseudo-en-tête IPv6)"
        if fr
        else "{layer} checksum (IPv6 pseudo-header)",
        "ipv6": "IPv6 n'a pas de somme de contrôle d'en-tête."
        if fr
        else "IPv6 has no header checksum.",
        "no_transport": "Aucune somme de transport vérifiée (protocole inconnu, fragment ou "
        "segment tronqué)."
        if fr
        else "No transport checksum checked (unknown protocol, fragment or truncated segment).",
        "field": "champ" if fr else "field",
        "computed": "calculée" if fr else "computed",
        "good": "correcte" if fr else "correct",
        "bad": "FAUSSE" if fr else "WRONG",
        "skipped": "non vérifiée" if fr else "not checked",
        "raw": (
            "Somme de contrôle RFC 1071 de {n} octets : 0x{value:04x}"
            if fr
            else "RFC 1071 checksum of {n} bytes: 0x{value:04x}"
        ),
        "raw_ok": (
            "(ces octets, somme comprise, s'additionnent à 0xffff : ils sont intacts)"
            if fr
            else "(these bytes, checksum included, add up to 0xffff: they are intact)"
        ),
        "fallback": (
            "ni trame Ethernet IP ni paquet IP : somme sur tous les octets"
            if fr
            else "neither an Ethernet frame with IP nor an IP packet: checksum over all the bytes"
        ),
    }


@click.command(name="checksum")
@click.argument(
    "hex_text", nargs=-1, required=True, metavar="HEX", type=Text(lines=True, longest=None)
)
@click.option("--explain", is_flag=True, help="Show the steps: words, sum, carry, complement.")
@click.option(
    "--lang",
    type=Choice(["fr", "en"]),
    default=None,
    help="Language of the explanation (default: French when the locale is French).",
)
@click.option(
    "--link",
    type=Choice(["auto", "ether", "ip", "raw"]),
    default="auto",
    show_default=True,
    help="What the bytes start with; raw: a plain checksum over all of them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(
    hex_text: tuple[str, ...], explain: bool, lang: str | None, link: str, as_json: bool
) -> int:
    """Compute and check the checksums of HEX (an Ethernet frame, an IP packet, or data).

    HEX may contain spaces or colons, or be '-' to read it from stdin. Exits with 1 when
    a checksum is wrong.

    \b
    paquet checksum 4500003b000100004006 51b4 c0a80001b114b74a --explain
    """
    language = lang or default_lang()
    text = read_stdin_hex() if hex_text == ("-",) else " ".join(hex_text)
    data = parse_hex(text)
    words = _texts(language)
    fallback = None
    if link != "raw":
        try:
            checks = verify_packet(data, link)
        except DecodeError as exc:
            if link != "auto":
                raise
            fallback = exc.expected
        else:
            explanation = explain_packet(data, link)
            return _show_packet(checks, explanation, explain, language, words, as_json)
    raw = explain_words(words16(data))
    value = internet_checksum(data)
    if as_json:
        print_json(
            {
                "kind": "raw",
                "length": len(data),
                "checksum": f"0x{value:04x}",
                "intact": value == 0,
                "explanation": raw.to_dict() if explain else None,
                "note": fallback,
            }
        )
        return ExitStatus.OK
    out = console()
    if fallback is not None:
        out.print(f"[yellow]{escape(words['fallback'])}[/]")
    if explain:
        for line in raw.lines(language):
            out.print(escape(line))
    out.print(words["raw"].format(n=len(data), value=value))
    if value == 0:
        out.print(words["raw_ok"])
    return ExitStatus.OK


def _show_packet(
    checks: list[ChecksumCheck],
    explanation: ChecksumExplanation | None,
    explain: bool,
    language: str,
    words: dict[str, str],
    as_json: bool,
) -> int:
    bad = any(check.ok is False for check in checks)
    ipv4 = any(check.layer == "IPv4" for check in checks)
    if as_json:
        print_json(
            {
                "kind": "ipv4" if ipv4 else "ipv6",
                "ok": not bad,
                "checks": [check.to_dict() for check in checks],
                "explanation": explanation.to_dict() if explain and explanation else None,
            }
        )
        return ExitStatus.NEGATIVE if bad else ExitStatus.OK
    out = console()
    if explain and explanation is not None:
        title = words["header"] if ipv4 else words["segment"].format(layer=checks[-1].layer)
        out.print(f"[bold]{escape(title)}[/]")
        for line in explanation.lines(language):
            out.print(escape(line))
        out.print()
    if not ipv4:
        out.print(words["ipv6"])
    for check in checks:
        if check.ok is None:
            verdict = f"[yellow]{words['skipped']}[/] ({escape(check.note)})"
        elif check.ok:
            verdict = f"[green]{words['good']}[/]"
        else:
            verdict = f"[bold red]{words['bad']}[/]"
        out.print(
            f"{check.layer:6} {words['field']} 0x{check.field:04x}  "
            f"{words['computed']} 0x{check.computed:04x}  {verdict}"
        )
    if not any(check.layer != "IPv4" for check in checks):
        out.print(words["no_transport"])
    return ExitStatus.NEGATIVE if bad else ExitStatus.OK
