"""``paquet ping HOST``: iputils ``ping``'s flags, output and exit codes (``paquet.probe.ping``)."""

from __future__ import annotations

import sys

import click

from paquet.cli.main import Exit
from paquet.cli.params import COUNT, SECONDS, TEXT, Int, one_family
from paquet.cli.status import ExitStatus


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("host", type=TEXT)
@click.option("-c", "count", type=COUNT, help="Stop after COUNT replies sent.")
@click.option("-i", "interval", type=SECONDS, default=1.0, show_default=True,
              help="Seconds between requests (below 0.002 needs root).")
@click.option("-W", "timeout", type=SECONDS, default=10.0, show_default=True,
              help="Seconds to wait for a reply when none came.")
@click.option("-w", "deadline", type=SECONDS, help="Stop after DEADLINE seconds.")
@click.option("-s", "size", type=Int(0, 65507), default=56, show_default=True,
              help="Payload bytes.")
@click.option("-t", "ttl", type=Int(1, 255), help="IP time to live.")
@click.option("-q", "quiet", is_flag=True, help="Quiet: only the first line and the summary.")
@click.option("-4", "family", flag_value=4, type=int, multiple=True, help="IPv4 only.")
@click.option("-6", "family", flag_value=6, type=int, multiple=True, help="IPv6 only.")
@click.option("-f", "flood", is_flag=True, help="Flood ping (root): one request per reply.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON at the end.")
def command(host: str, count: int | None, interval: float, timeout: float,
            deadline: float | None, size: int, ttl: int | None, quiet: bool,
            family: tuple[int, ...], flood: bool, as_json: bool) -> None:
    """Send ICMP echo requests to HOST and print the replies and iputils' statistics.

    Exit status: 0 when a reply came, 1 when none did (or, with -c and -w, fewer than COUNT
    before the deadline), 2 on an error.
    """
    from paquet.probe.ping import PingEvent, PingResult, ping
    fam = one_family(family)

    live = not as_json
    out = sys.stdout

    def on_start(result: PingResult) -> None:
        out.write(result.header() + "\n")
        out.flush()

    def on_event(ev: PingEvent) -> None:
        if flood and quiet:
            return
        if flood:
            if ev.kind == "reply" and not ev.duplicate:
                out.write("\b \b")
            else:
                out.write("E")
            out.flush()
        elif not quiet:
            out.write(ev.line() + "\n")
            out.flush()

    def on_send(_seq: int) -> None:
        out.write(".")
        out.flush()

    result = ping(host, count, interval=interval, timeout=timeout, deadline=deadline, size=size,
                  ttl=ttl, family=fam, flood=flood,
                  on_event=on_event if live else None,
                  on_send=on_send if (live and flood and not quiet) else None,
                  on_start=on_start if live else None)
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    else:
        out.write("\n" + result.summary() + "\n")
    failed = result.received == 0 or (
        count is not None and deadline is not None and result.received < count)
    raise Exit(ExitStatus.NEGATIVE if failed else ExitStatus.OK)
