"""``paquet trace HOST``: traceroute's flags and output, Paris mode by default."""

from __future__ import annotations

from typing import Any

import click

from paquet.cli.main import Exit
from paquet.cli.params import SECONDS, TEXT, FilePath, Int, one_family, shown
from paquet.cli.status import ExitStatus
from paquet.probe.trace import MAX_PACKET_LEN


class WaitType(click.ParamType[tuple[float, float, float], Any]):
    """traceroute's ``-w MAX[,HERE[,NEAR]]``: up to three durations (finite, 0 to ~24.8 days)."""

    name = "MAX[,HERE[,NEAR]]"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[float, float, float]:
        """The three waits, the ones not given at their defaults (5, 3, 10)."""
        if isinstance(value, tuple):
            return value
        parts = str(value).split(",")
        if len(parts) > 3:
            self.fail(f"{shown(value)} is not MAX[,HERE[,NEAR]] in seconds", param, ctx)
        values = [5.0, 3.0, 10.0]
        for i, part in enumerate(parts):
            try:
                values[i] = SECONDS.convert(part, None, None)
            except click.BadParameter as exc:
                self.fail(exc.message if len(parts) == 1 else f"{shown(value)}: {exc.message}",
                          param, ctx)
        return values[0], values[1], values[2]


class SendWait(click.ParamType[float, Any]):
    """traceroute's ``-z``: seconds between probes, or milliseconds when above 10."""

    name = "SENDWAIT"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        """The wait in seconds."""
        if isinstance(value, float):
            return value
        try:
            secs = SECONDS.convert(value, param, ctx)
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)
        return secs / 1000.0 if secs > 10 else secs


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("host", type=TEXT)
@click.argument("packet_len", type=Int(0, MAX_PACKET_LEN), required=False)
@click.option("-I", "--icmp", "methods", flag_value="icmp", multiple=True, help="ICMP echo probes.")
@click.option("-T", "--tcp", "methods", flag_value="tcp", multiple=True,
              help="TCP SYN probes (port 80).")
@click.option("-U", "--udp", "methods", flag_value="udp", multiple=True,
              help="UDP probes (the default).")
@click.option("-p", "--port", type=Int(0, 65535), help="Destination port.")
@click.option("--paris/--classic", default=True, show_default=True,
              help="Paris: one flow for every probe; classic: traceroute's varying ports.")
@click.option("-q", "--queries", type=Int(1, 10), default=3, show_default=True,
              help="Probes per hop.")
@click.option("-m", "--max-hops", "max_ttl", type=Int(1, 255), default=30,
              show_default=True, help="Largest TTL.")
@click.option("-f", "--first", "first_ttl", type=Int(1, 255), default=1,
              show_default=True, help="First TTL.")
@click.option("-n", "numeric", is_flag=True, help="Do not resolve addresses to names.")
@click.option("-N", "--sim-queries", type=Int(1, 1000), default=16, show_default=True,
              help="Probes in flight at once.")
@click.option("-w", "--wait", "wait", type=WaitType(), default="5,3,10", show_default=True,
              help="MAX[,HERE[,NEAR]]: wait at most MAX s, HERE x a reply's RTT from the same "
                   "hop, NEAR x one from a later hop.")
@click.option("-i", "--interface", "iface", type=TEXT, metavar="IFACE",
              help="Send the probes by interface IFACE.")
@click.option("-s", "--source", "src", type=TEXT, metavar="SRC_ADDR",
              help="Send from SRC_ADDR (an address of this host).")
@click.option("-F", "--dont-fragment", "dont_fragment", is_flag=True,
              help="Set the don't-fragment bit (IPv4).")
@click.option("-z", "--sendwait", "sendwait", type=SendWait(), default="0",
              help="Wait between probes: seconds, or milliseconds when above 10.")
@click.option("-4", "family", flag_value=4, type=int, multiple=True, help="IPv4 only.")
@click.option("-6", "family", flag_value=6, type=int, multiple=True, help="IPv6 only.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--svg", "svg", type=FilePath(writable=True), default=None,
              help="Also draw the path as a graph into this SVG file (graphviz).")
def command(host: str, packet_len: int | None, methods: tuple[str, ...], port: int | None,
            paris: bool, queries: int,
            max_ttl: int, first_ttl: int, numeric: bool, sim_queries: int,
            wait: tuple[float, float, float], iface: str | None, src: str | None,
            dont_fragment: bool, sendwait: float,
            family: tuple[int, ...], as_json: bool, svg: str | None = None) -> None:
    """Print the route to HOST, hop by hop, like traceroute (PACKET_LEN: the probes' total
    length, as traceroute's second argument).

    Hops whose probes were answered from different addresses are marked [changed]. Exit status
    0 when the destination answered, 1 when it did not.
    """
    from paquet.cli.trace_fast import run

    fam = one_family(family)
    if len(set(methods)) > 1:
        raise click.UsageError("only one of -I, -T and -U may be specified")
    if first_ttl > max_ttl:
        raise click.UsageError(f"first TTL {first_ttl} is above the maximum {max_ttl}")
    kw = {"host": host, "method": methods[0] if methods else "udp", "port": port,
          "paris": paris, "first_ttl": first_ttl, "max_ttl": max_ttl, "queries": queries,
          "wait": wait, "sim_queries": sim_queries, "family": fam, "packet_len": packet_len,
          "src": src, "iface": iface, "dont_fragment": dont_fragment, "sendwait": sendwait,
          "numeric": numeric}
    raise Exit(ExitStatus(run(kw, as_json, svg)))
