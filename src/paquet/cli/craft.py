"""``paquet craft EXPR``: build a packet from a Scapy-style expression and show it.

``paquet craft 'Ether()/IP(dst="192.0.2.2")/TCP(dport=80)/"hello"'`` prints the field tree as
built (lengths and checksums computed), the hexdump and the hex string. The expression is parsed
(layer names, keyword arguments with literal values, ``/``), never evaluated as Python; an
unknown layer or field is a one-line error (exit 2). Fields given as ranges or lists
(``ttl=(1, 3)``) make one packet each. ``--json`` prints them as JSON.

``--send``, ``--sr1`` and ``--sr`` then put the packets on the network (see
:mod:`paquet.cli.send`): ``paquet craft 'IP(dst="192.0.2.2")/ICMP()' --sr1`` shows the probe,
then its answer; exit 1 when nothing answered.
"""

from __future__ import annotations

import click

from paquet.cli.params import Text
from paquet.cli.render import print_json
from paquet.cli.send import run as send_run
from paquet.cli.send import send_options

__all__ = ["command"]

_LIMIT = 1024


@click.command(name="craft", short_help="Build a packet from an expression, show it, send it.")
@click.argument("expression", type=Text(lines=True, what="packet expression", longest=None))
@click.option("--json", "as_json", is_flag=True, help="Print the packets as JSON.")
@click.option("--unbuilt", is_flag=True,
              help="Show the fields as given (None for computed ones), not as built.")
@click.option("--quiet", "-q", is_flag=True,
              help="With --send/--sr1/--sr: do not show the packets before sending them.")
@send_options
def command(
    expression: str, as_json: bool, unbuilt: bool, quiet: bool, mode: str | None, **opts: object
) -> int:
    """Build the packet EXPR (e.g. 'IP(dst="192.0.2.1")/ICMP()') and show it; with --send,
    --sr1 or --sr, also send it and show what answered."""
    from paquet.errors import ExpressionError
    from paquet.packet import hexdump, hexstr
    from paquet.packet.expr import parse_packet

    if mode is not None:
        # Sending: host-dependent fields (source address, MACs, host names) come from the
        # kernel, as the packets will really leave; without sending, the display stays neutral.
        from paquet.net.resolver import install

        install()
    template = parse_packet(expression)
    packets = []
    for pkt in template:
        packets.append(pkt)
        if len(packets) > _LIMIT:
            raise ExpressionError(f"the expression makes more than {_LIMIT} packets")
    if mode is not None and (quiet or as_json):
        return send_run(template, mode=mode, json_output=as_json, **opts)  # type: ignore[arg-type]
    results = []
    for pkt in packets:
        data = bytes(pkt)
        built = type(pkt)(data)
        if as_json:
            entry = built.to_dict()
            entry["hex"] = data.hex()
            entry["length"] = len(data)
            results.append(entry)
            continue
        shown = pkt.show(dump=True) if unbuilt else built.show(dump=True)
        click.echo(shown, nl=False)
        click.echo(hexdump(data, dump=True))
        click.echo(hexstr(data, onlyhex=True).replace(" ", "").lower())
        if len(packets) > 1:
            click.echo("")
    if as_json:
        print_json(results[0] if len(results) == 1 else results)
    if mode is not None:
        return send_run(template, mode=mode, **opts)  # type: ignore[arg-type]
    return 0
