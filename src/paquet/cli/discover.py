"""``paquet discover CIDR``: which hosts are up, like ``nmap -sn`` (``paquet scan -sn`` too)."""

from __future__ import annotations

import sys
import time

import click

from paquet.cli.main import Exit
from paquet.cli.nmap_core import Timing, write_outputs
from paquet.cli.nmap_flags import exclusions, nmap_options, output_files, target_list
from paquet.cli.params import RATE, TEXT, FilePath, Int, one_family
from paquet.cli.status import ExitStatus

_OUT = FilePath(writable=True, allow_dash=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("targets", nargs=-1, type=TEXT)
@click.option("-4", "family", flag_value=4, type=int, multiple=True, help="IPv4 targets only.")
@click.option("-6", "family", flag_value=6, type=int, multiple=True, help="IPv6 targets only.")
@click.option("--no-arp", is_flag=True,
              help="Use IP probes even on local links (no ARP, no neighbour discovery).")
@click.option("--max-rate", type=RATE, help="Most probes per second.  [default: 50000]")
@click.option("--max-retries", type=Int(0, 20),
              help="Retransmissions of unanswered probes.  [default: 2]")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("-sn", "ping_only", is_flag=True, help="No port scan (what discover does: accepted).")
@click.option("-oX", "xml_out", type=_OUT, metavar="FILE", help="Write nmap XML to FILE.")
@click.option("-oG", "grep_out", type=_OUT, metavar="FILE", help="Write grepable output to FILE.")
@click.option("-oN", "normal_out", type=_OUT, metavar="FILE", help="Write normal output to FILE.")
@nmap_options
def command(targets: tuple[str, ...], family: tuple[int, ...], no_arp: bool,
            max_rate: float | None, max_retries: int | None, as_json: bool, ping_only: bool,
            xml_out: str | None, grep_out: str | None, normal_out: str | None,
            timing: int | None, no_dns: bool, verbose: int, reason: bool,
            input_list: str | None, exclude: tuple[str, ...], exclude_file: str | None,
            iface: str | None, all_out: str | None) -> None:
    """Find the hosts that are up in TARGETS (subnets, addresses, ranges).

    ARP on local IPv4 links, neighbour solicitation on local IPv6 links (both give the MAC);
    elsewhere ICMP echo, TCP SYN to 443, TCP ACK to 80 and ICMP timestamp (TCP connect to 80
    and 443 without raw sockets). IPv6 prefixes go up to /112 (65,536 addresses). Exit status
    0 when a host is up, 1 when none is, 2 on a bad target.
    """
    started = time.time()
    all_targets = target_list(targets, input_list)
    if not all_targets:
        raise click.UsageError("give at least one target (or -iL FILE)")
    normal_out, grep_out, xml_out = output_files(all_out, normal_out, grep_out, xml_out)
    run_discover(all_targets, one_family(family), not no_arp, max_rate, max_retries, as_json,
                 timing, verbose, reason, exclusions(exclude, exclude_file), iface, normal_out,
                 grep_out, xml_out, started)


def run_discover(targets: list[str], family: int, arp: bool, max_rate: float | None,
                 max_retries: int | None, as_json: bool, timing: int | None, verbose: int,
                 reason: bool, exclude: list[str], iface: str | None, normal_out: str | None,
                 grep_out: str | None, xml_out: str | None, started: float) -> None:
    """Run a discovery with the command line's options and print it (raises :class:`Exit`)."""
    from paquet.probe.discover import discover
    from paquet.probe.output import (
        discover_file,
        discover_grepable,
        discover_normal,
        discover_xml,
        starting,
    )

    explicit = frozenset(k for k, v in (("max_rate", max_rate), ("max_retries", max_retries))
                         if v is not None)
    rate = 50_000.0 if max_rate is None else max_rate
    retries = 2 if max_retries is None else max_retries
    if timing is not None:
        rate, _, retries, _ = Timing(timing).apply(rate, 0.0, retries, explicit)
    to_stdout = not as_json and "-" not in (xml_out, grep_out, normal_out)

    def announce() -> None:  # once the targets are good, before any probe
        if to_stdout:
            sys.stdout.write(starting("discovery", started))
            sys.stdout.flush()

    result = discover(targets, family=family, max_rate=rate, max_retries=retries, arp=arp,
                      exclude=exclude, iface=iface, on_start=announce)
    args = " ".join(["paquet", *sys.argv[1:]]) if sys.argv[1:2] in (["discover"], ["scan"]) \
        else "paquet discover"
    write_outputs(((xml_out, lambda: discover_xml(result, args)),
                   (grep_out, lambda: discover_grepable(result, args)),
                   (normal_out, lambda: discover_file(result, args, reason))))
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    elif to_stdout:
        if not result.hosts:
            sys.stderr.write("WARNING: No targets were specified, so 0 hosts scanned.\n")
        sys.stdout.write(discover_normal(result, header=False, reason=reason, verbose=verbose))
    raise Exit(ExitStatus.OK if result.up else ExitStatus.NEGATIVE)
