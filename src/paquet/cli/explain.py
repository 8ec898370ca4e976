"""``paquet explain PACKET``: a packet layer by layer, as the RFCs draw it, in French or English.

PACKET is hexadecimal (``45 00 00 1c ...``, spaces and colons allowed; Ethernet or raw IP,
guessed from the first byte) or a packet expression as ``paquet craft`` takes
(``'IP(dst="192.0.2.1")/ICMP()'``); ``-`` reads hexadecimal from standard input, as
``paquet decode -`` does (for frames longer than a command line). Nothing is sent.
"""

from __future__ import annotations

import click

from paquet.cli.hexinput import hex_digits, is_hex, parse_hex, read_stdin_hex
from paquet.cli.params import Choice, Text
from paquet.cli.render import console, default_lang, print_json
from paquet.cli.status import ExitStatus

__all__ = ["command", "read_packet"]


def read_packet(text: str) -> object:
    """The packet ``text`` names: bytes when it is hexadecimal, else a parsed expression."""
    from paquet.packet.expr import parse_packet

    # Only whitespace and colons separate digits here: anything else may be an expression.
    compact = hex_digits("".join(text.split()).replace(":", ""), separators="")
    if is_hex(compact):
        if len(compact) % 2:
            raise click.UsageError(f"odd number of hex digits ({len(compact)}): a byte is two")
        return bytes.fromhex(compact)
    return parse_packet(text)


@click.command(name="explain")
@click.argument("packet", type=Text(lines=True, longest=None))
@click.option(
    "--lang",
    type=Choice(["fr", "en"]),
    default=None,
    help="Language (default: French when the locale is French).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
def command(packet: str, lang: str | None, as_json: bool) -> int:
    """Explain PACKET (hex, - for hex on stdin, or an expression such as
    'IP(dst="192.0.2.1")/ICMP()'): each layer's header diagram, what each field means, the
    checksums step by step."""
    from paquet.explainer.core import explain

    language = lang or default_lang()
    pkt = parse_hex(read_stdin_hex()) if packet == "-" else read_packet(packet)
    result = explain(pkt, language)
    if as_json:
        print_json(result.to_dict())
        return ExitStatus.OK
    screen = console()
    for line in result.lines():
        screen.print(line, markup=False, highlight=False)
    return ExitStatus.OK
