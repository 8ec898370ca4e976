"""``paquet trace HOST``: traceroute's flags and output, Paris mode by default."""

from __future__ import annotations

import sys

import click

from paquet.cli.main import Exit


def _wait(text: str) -> tuple[float, float, float]:
    parts = text.split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise click.UsageError(f"bad -w {text!r}: MAX[,HERE[,NEAR]] in seconds") from None
    if len(values) > 3 or any(v < 0 for v in values):
        raise click.UsageError(f"bad -w {text!r}: MAX[,HERE[,NEAR]] in seconds")
    defaults = [5.0, 3.0, 10.0]
    defaults[:len(values)] = values
    return defaults[0], defaults[1], defaults[2]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("host")
@click.option("-I", "--icmp", "method", flag_value="icmp", help="ICMP echo probes.")
@click.option("-T", "--tcp", "method", flag_value="tcp", help="TCP SYN probes (port 80).")
@click.option("-U", "--udp", "method", flag_value="udp", help="UDP probes (the default).")
@click.option("-p", "--port", type=click.IntRange(0, 65535), help="Destination port.")
@click.option("--paris/--classic", default=True, show_default=True,
              help="Paris: one flow for every probe; classic: traceroute's varying ports.")
@click.option("-q", "--queries", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Probes per hop.")
@click.option("-m", "--max-hops", "max_ttl", type=click.IntRange(1, 255), default=30,
              show_default=True, help="Largest TTL.")
@click.option("-f", "--first", "first_ttl", type=click.IntRange(1, 255), default=1,
              show_default=True, help="First TTL.")
@click.option("-n", "numeric", is_flag=True, help="Do not resolve addresses to names.")
@click.option("-N", "--sim-queries", type=click.IntRange(1, 1000), default=16, show_default=True,
              help="Probes in flight at once.")
@click.option("-w", "--wait", "wait_text", default="5,3,10", show_default=True,
              help="MAX[,HERE[,NEAR]]: wait at most MAX s, HERE x a reply's RTT from the same "
                   "hop, NEAR x one from a later hop.")
@click.option("-4", "family", flag_value=4, type=int, help="IPv4 only.")
@click.option("-6", "family", flag_value=6, type=int, help="IPv6 only.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(host: str, method: str | None, port: int | None, paris: bool, queries: int,
            max_ttl: int, first_ttl: int, numeric: bool, sim_queries: int, wait_text: str,
            family: int | None, as_json: bool) -> None:
    """Print the route to HOST, hop by hop, like traceroute.

    Hops whose probes were answered from different addresses are marked [changed]. Exit status
    0 when the destination answered, 1 when it did not.
    """
    from paquet.probe.trace import trace

    if first_ttl > max_ttl:
        raise click.UsageError(f"first TTL {first_ttl} is above the maximum {max_ttl}")
    result = trace(host, method=method or "udp", port=port, paris=paris, first_ttl=first_ttl,
                   max_ttl=max_ttl, queries=queries, wait=_wait(wait_text),
                   sim_queries=sim_queries, family=family or 0)
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    else:
        sys.stdout.write(result.text(numeric=numeric))
    raise Exit(0 if result.reached else 1)
