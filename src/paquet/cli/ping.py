"""``paquet ping HOST``: iputils ``ping``'s flags, output and exit codes (``paquet.probe.ping``).

iputils' flags: ``-c -i -W -w -s -t -q -4 -6 -f`` and ``-I`` (device or source address),
``-n`` (no host names), ``-D`` (time stamps), ``-O`` (report unanswered requests), ``-M``
(path MTU discovery), ``-p`` (payload pattern), ``-Q`` (TOS), ``-a`` (bell), ``-v``
(identifiers), ``-b`` (broadcast). Their lines are iputils': same words, same streams.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

import click

from paquet.cli.main import Exit
from paquet.cli.params import COUNT, SECONDS, TEXT, Choice, Int, one_family
from paquet.cli.render import refused
from paquet.cli.status import ExitStatus


def _tos(value: str) -> int:
    """iputils' -Q: decimal or 0x hex, 0 to 255."""
    try:
        tos = int(value, 0)
    except ValueError:
        tos = -1
    if not 0 <= tos <= 255:
        raise click.UsageError(f"the decimal value of TOS bits must be in range 0-255: {value}")
    return tos


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
@click.option("-I", "interface", type=TEXT, metavar="IFACE|ADDR",
              help="Send from this interface, or from this source address.")
@click.option("-n", "numeric", is_flag=True, help="Numeric output: no host name lookups.")
@click.option("-D", "stamps", is_flag=True, help="Print the time (epoch seconds) before lines.")
@click.option("-O", "outstanding", is_flag=True,
              help="Report a request still unanswered when the next one leaves.")
@click.option("-M", "pmtudisc", type=Choice(["do", "want", "dont", "probe"]),
              help="Path MTU discovery: do (DF, no fragments), want, dont, probe.")
@click.option("-p", "pattern", type=TEXT, metavar="PATTERN",
              help="Fill the payload with these hex bytes (up to 16).")
@click.option("-Q", "tos", type=TEXT, metavar="TOS", help="IP TOS / traffic class (0-255).")
@click.option("-a", "audible", is_flag=True, help="Ring the bell on each reply.")
@click.option("-v", "verbose", is_flag=True, help="Verbose: the address family and identifiers.")
@click.option("-b", "broadcast", is_flag=True, help="Allow pinging a broadcast address.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON at the end.")
@refused("-R", "the record-route IP option is not supported")
@refused("-T", "IP timestamp options are not supported", takes_value=True)
@refused("-L", "multicast loopback control is not supported")
@refused("-A", "the adaptive interval is not supported (use -i)")
@refused("-l", "preloading requests is not supported", takes_value=True)
@refused("-m", "socket marks are not supported", takes_value=True)
@refused("-r", "bypassing the routing table is not supported")
@refused("-S", "the socket's send buffer is not settable", takes_value=True)
@refused("-U", "user-to-user latency is not measured")
@refused("-F", "IPv6 flow labels are not supported", takes_value=True)
@refused("-N", "node information queries are not supported", takes_value=True)
@refused("-e", "the identifier is the process's (raw) or the kernel's", takes_value=True)
def command(host: str, count: int | None, interval: float, timeout: float,
            deadline: float | None, size: int, ttl: int | None, quiet: bool,
            family: tuple[int, ...], flood: bool, interface: str | None, numeric: bool,
            stamps: bool, outstanding: bool, pmtudisc: str | None, pattern: str | None,
            tos: str | None, audible: bool, verbose: bool, broadcast: bool,
            as_json: bool) -> None:
    """Send ICMP echo requests to HOST and print the replies and iputils' statistics.

    Exit status: 0 when a reply came, 1 when none did (or, with -c and -w, fewer than COUNT
    before the deadline), 2 on an error.
    """
    from paquet.errors import PaquetError
    from paquet.probe.ping import PingEvent, PingResult, is_broadcast, parse_pattern, ping
    fam = one_family(family)
    tos_bits = None if tos is None else _tos(tos)
    try:
        fill = None if pattern is None else parse_pattern(pattern)
    except PaquetError as exc:
        raise click.UsageError(str(exc)) from None

    live = not as_json
    out = sys.stdout
    names: dict[str, str | None] = {}
    replied: set[int] = set()
    by_name = not numeric and not _is_address(host)

    def name_of(address: str) -> str | None:
        if not by_name:
            return None
        if address not in names:
            try:
                names[address] = socket.gethostbyaddr(address)[0]
            except (OSError, UnicodeError):
                names[address] = address
        return names[address]

    def stamp(when: float) -> str:
        if not stamps:
            return ""
        sec, usec = divmod(round(when * 1_000_000), 1_000_000)
        return f"[{sec}.{usec:06d}] "

    def on_start(result: PingResult) -> None:
        if fill is not None and not quiet:
            out.write(f"PATTERN: 0x{fill.hex()}\n")
        if broadcast and is_broadcast(result.address):
            click.echo("WARNING: pinging broadcast address", err=True)
        if verbose:
            fam_name = "AF_INET6" if ":" in result.address else "AF_INET"
            out.write(f"ai->ai_family: {fam_name}, ai->ai_canonname: '{host}'\n")
        out.write(result.header() + "\n")
        out.flush()

    def on_event(ev: PingEvent) -> None:
        replied.add(ev.seq)
        if flood and quiet:
            return
        if flood:
            if ev.kind == "reply" and not ev.duplicate:
                out.write("\b \b")
            else:
                out.write("E")
            out.flush()
        elif not quiet:
            import time

            line = ev.line(name=name_of(ev.source), verbose=verbose)
            bell = "\a" if audible and ev.kind == "reply" else ""
            out.write(stamp(ev.when or time.time()) + line + bell + "\n")
            out.flush()

    def on_send(seq: int) -> None:
        if flood and not quiet:
            out.write(".")
            out.flush()
        elif outstanding and not quiet and seq > 1 and ((seq - 1) & 0xFFFF) not in replied:
            import time

            out.write(f"{stamp(time.time())}no answer yet for icmp_seq={seq - 1}\n")
            out.flush()

    def on_local_error(_seq: int, message: str) -> None:
        if not quiet:
            click.echo(f"ping: {message}", err=True)

    result = ping(host, count, interval=interval, timeout=timeout, deadline=deadline, size=size,
                  ttl=ttl, family=fam, flood=flood,
                  on_event=on_event if live else None,
                  on_send=on_send if live and (flood or outstanding) else None,
                  on_start=on_start if live else None,
                  interface=interface, tos=tos_bits, pmtudisc=pmtudisc, pattern=fill,
                  broadcast=broadcast, on_local_error=on_local_error if live else None)
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    else:
        out.write("\n" + result.summary() + "\n")
        if result.stats() is None:
            out.write("\n")
    failed = result.received == 0 or (
        count is not None and deadline is not None and result.received < count)
    raise Exit(ExitStatus.NEGATIVE if failed else ExitStatus.OK)


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
