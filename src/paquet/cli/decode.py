"""``paquet decode HEX``: dissect bytes given in hexadecimal and show every layer.

``HEX`` may hold spaces, colons, newlines or a ``0x`` prefix; ``-`` reads it from stdin. The link
layer is guessed (``--link auto``: an IPv4 header whose checksum verifies, or an IPv6 header
whose payload length matches, is read as raw IP, anything else as Ethernet) or given:
``--link ether``, ``ip`` (IPv4 or IPv6 by the version), ``ipv4``, ``ipv6``, or a pcap LINKTYPE
number. ``--json`` prints the layers as JSON.
Exit codes: 0 dissected cleanly, 1 dissected with problems (a layer that does not parse, a bad
checksum; all shown), 2 input that is not hexadecimal.
"""

from __future__ import annotations

from typing import Any

import click

from paquet.cli.hexinput import HexError, parse_hex, read_stdin_hex
from paquet.cli.main import Exit
from paquet.cli.params import Text, shown
from paquet.cli.render import print_json
from paquet.cli.status import ExitStatus
from paquet.errors import DecodeError

__all__ = ["HexError", "command", "guess_linktype", "parse_hex", "read_stdin_hex"]

_LINKS = {"ether": 1, "ethernet": 1, "ip": 101, "raw": 101, "ipv4": 228, "ipv6": 229}


def guess_linktype(data: bytes) -> int:
    """228 (IPv4) or 229 (IPv6) when ``data`` reads as a raw IP header, else 1 (Ethernet)."""
    from paquet.checksums import internet_checksum

    if len(data) >= 20 and data[0] >> 4 == 4:
        ihl = (data[0] & 15) * 4
        if ihl >= 20 and len(data) >= ihl and internet_checksum(data[:ihl]) == 0:
            return 228
    if len(data) >= 40 and data[0] >> 4 == 6:
        plen = int.from_bytes(data[4:6], "big")
        if plen + 40 == len(data):
            return 229
    return 1


class LinkType(click.ParamType["int | None", Any]):
    """``--link``: ``auto`` (None), a name (ether, ip, ipv4, ipv6) or a LINKTYPE (0 to 65535)."""

    name = "LINK"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:
        """The LINKTYPE number, or None for ``auto``."""
        if value is None or isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text == "auto":
            return None
        if text.isascii() and text.isdigit() and len(text) <= 5 and int(text) <= 0xFFFF:
            return int(text)
        if text in _LINKS:
            return _LINKS[text]
        self.fail(f"{shown(value)}: use auto, ether, ip, ipv4, ipv6 or a LINKTYPE number "
                  "from 0 to 65535", param, ctx)


@click.command(name="decode")
@click.argument("hexdata", metavar="HEX", type=Text(lines=True, longest=None))
@click.option("--link", "link", type=LinkType(), default="auto", show_default=True,
              help="Link layer: auto, ether, ip (v4 or v6), ipv4, ipv6, or a pcap LINKTYPE.")
@click.option("--json", "as_json", is_flag=True, help="Print the layers as JSON.")
@click.option("--strict", is_flag=True, help="Fail (exit 2) at the first byte that does not parse.")
@click.option("-x", "--hexdump", "with_hexdump", is_flag=True, help="Also print a hexdump.")
def command(
    hexdata: str, link: int | None, as_json: bool, strict: bool, with_hexdump: bool
) -> None:
    """Dissect HEX (or - for stdin) and show its layers, as Scapy's show() does."""
    from paquet.cli.render import load_application_layers
    from paquet.layers import dissect
    from paquet.packet import hexdump

    load_application_layers()

    text = read_stdin_hex() if hexdata == "-" else hexdata
    data = parse_hex(text)
    linktype = guess_linktype(data) if link is None else link
    try:
        pkt = dissect(data, linktype, strict=strict)
    except DecodeError as exc:
        raise DecodeError(exc.layer, exc.offset, exc.expected) from None
    problems = [str(e) for e in pkt.errors]
    bad = [layer.name for layer in pkt.iterlayers() if layer._chksum_note()]
    if as_json:
        out = pkt.to_dict()
        out["linktype"] = linktype
        out["length"] = len(data)
        out["hex"] = data.hex()
        out["problems"] = problems + [f"{n}: bad checksum" for n in bad]
        print_json(out)
    else:
        click.echo(pkt.show(dump=True), nl=False)
        click.echo(pkt.summary())
        if with_hexdump:
            click.echo(hexdump(data, dump=True))
        for p in problems:
            click.echo(f"problem: {p}")
        for n in bad:
            click.echo(f"problem: {n}: bad checksum")
    if problems or bad:
        raise Exit(ExitStatus.NEGATIVE)
