"""``paquet craft EXPR``: build a packet from a Scapy-style expression and show it.

``paquet craft 'Ether()/IP(dst="192.0.2.2")/TCP(dport=80)/"hello"'`` prints the field tree as
built (lengths and checksums computed), the hexdump and the hex string. The expression is parsed
(layer names, keyword arguments with literal values, ``/``), never evaluated as Python; an
unknown layer or field, or a value wider than its field, is a one-line error (exit 2). Fields
given as ranges, lists or networks (``ttl=(1, 3)``, ``dst="192.0.2.0/24"``) make one packet
each, printed as they are made. ``--json`` prints them as JSON.

The packets are counted before any is made: an expression that makes none (``ttl=[]``,
``ttl=(3, 1)``) or more than ``--max-packets`` (65,536 unless raised) is a one-line error,
exit 2, whatever it would have cost to make them (``dst="0.0.0.0/0"`` is 2**32 packets).

``--send``, ``--sr1`` and ``--sr`` then put the packets on the network (see
:mod:`paquet.cli.send`): ``paquet craft 'IP(dst="192.0.2.2")/ICMP()' --sr1`` shows the probe,
then its answer; exit 1 when nothing answered. ``--timeout`` and ``--inter`` must be finite
numbers of seconds from 0 to 2,147,483 (about 24.8 days, the longest wait the kernel's
millisecond timers take); NaN, infinities and larger numbers are one-line errors, exit 2.
"""

from __future__ import annotations

import json
import math
from typing import Any

import click

from paquet.cli.params import MAX_COUNT, Int, Text
from paquet.cli.send import run as send_run
from paquet.cli.send import send_options
from paquet.cli.status import ExitStatus

__all__ = ["DEFAULT_MAX_PACKETS", "MAX_SECONDS", "command"]

#: How many packets an expression may make unless ``--max-packets`` says more.
DEFAULT_MAX_PACKETS = 65_536
#: The longest ``--timeout`` or ``--inter``, in seconds (2**31 - 1 milliseconds).
MAX_SECONDS = (2**31 - 1) / 1000


def _check_seconds(option: str, value: object) -> None:
    """Refuse a number of seconds that is not finite, negative or too large (one line)."""
    if not isinstance(value, int | float):
        return
    if not math.isfinite(value) or not 0 <= value <= MAX_SECONDS:
        raise click.BadParameter(
            f"{value} is not a number of seconds from 0 to {MAX_SECONDS:,.3f}",
            param_hint=f"'{option}'",
        )


def _empty_fields(template: Any) -> str:
    """The fields whose list or range is empty, as ``IP.ttl=(3, 1)``."""
    found = []
    for layer in template.iterlayers():
        for name, values in layer._expansions():
            if not values:
                found.append(f"{type(layer).__name__}.{name}={layer.__dict__[name]!r}")
    return ", ".join(found)


def _count(template: Any, limit: int) -> int:
    """How many packets the template makes; an ExpressionError for none or too many."""
    from paquet.errors import ExpressionError

    total: int = template.expansion_count()
    if total == 0:
        raise ExpressionError(
            f"the expression makes no packet: {_empty_fields(template)} holds no value"
        )
    if total > limit:
        raise ExpressionError(
            f"the expression makes {total:,} packets, more than {limit:,} "
            "(--max-packets raises the limit)"
        )
    return total


def _show(pkt: Any, unbuilt: bool, as_json: bool, total: int, first: bool) -> None:
    """Print one packet as built: its tree, hexdump and hex, or its JSON (an array's item
    when ``total`` > 1)."""
    from paquet.packet import hexdump, hexstr

    data = bytes(pkt)
    built = type(pkt)(data)
    if as_json:
        entry = built.to_dict()
        entry["hex"] = data.hex()
        entry["length"] = len(data)
        text = json.dumps(entry, indent=2, default=str, ensure_ascii=False)
        if total == 1:
            click.echo(text)
        else:
            # The items of ``json.dumps(all, indent=2)``, printed one at a time.
            click.echo(("[\n" if first else ",\n") + "  " + text.replace("\n", "\n  "), nl=False)
        return
    shown = pkt.show(dump=True) if unbuilt else built.show(dump=True)
    click.echo(shown, nl=False)
    click.echo(hexdump(data, dump=True))
    click.echo(hexstr(data, onlyhex=True).replace(" ", "").lower())
    if total > 1:
        click.echo("")


@click.command(name="craft", short_help="Build a packet from an expression, show it, send it.")
@click.argument("expression", type=Text(lines=True, what="packet expression", longest=None))
@click.option("--json", "as_json", is_flag=True, help="Print the packets as JSON.")
@click.option("--unbuilt", is_flag=True,
              help="Show the fields as given (None for computed ones), not as built.")
@click.option("--quiet", "-q", is_flag=True,
              help="With --send/--sr1/--sr: do not show the packets before sending them.")
@click.option("--max-packets", type=Int(1, MAX_COUNT), default=DEFAULT_MAX_PACKETS,
              show_default=True,
              help="Refuse an expression that makes more packets than this (ranges, lists, "
                   "networks multiply).")
@send_options
def command(
    expression: str,
    as_json: bool,
    unbuilt: bool,
    quiet: bool,
    max_packets: int,
    mode: str | None,
    **opts: object,
) -> int:
    """Build the packet EXPR (e.g. 'IP(dst="192.0.2.1")/ICMP()') and show it; with --send,
    --sr1 or --sr, also send it and show what answered."""
    from paquet.packet.expr import parse_packet

    _check_seconds("--timeout", opts.get("timeout"))
    _check_seconds("--inter", opts.get("inter"))
    if mode is not None:
        # Sending: host-dependent fields (source address, MACs, host names) come from the
        # kernel, as the packets will really leave; without sending, the display stays neutral.
        from paquet.net.resolver import install

        install()
    template = parse_packet(expression)
    total = _count(template, max_packets)
    if mode is not None and (quiet or as_json):
        return send_run(template, mode=mode, json_output=as_json, **opts)  # type: ignore[arg-type]
    for i, pkt in enumerate(template):
        _show(pkt, unbuilt, as_json, total, i == 0)
    if as_json and total > 1:
        click.echo("\n]")
    if mode is not None:
        return send_run(template, mode=mode, **opts)  # type: ignore[arg-type]
    return ExitStatus.OK
