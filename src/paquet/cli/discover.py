"""``paquet discover CIDR``: which hosts are up, like ``nmap -sn``."""

from __future__ import annotations

import sys

import click

from paquet.cli.main import Exit
from paquet.cli.params import RATE, TEXT, Int, one_family
from paquet.cli.status import ExitStatus


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("targets", nargs=-1, required=True, type=TEXT)
@click.option("-4", "family", flag_value=4, type=int, multiple=True, help="IPv4 targets only.")
@click.option("-6", "family", flag_value=6, type=int, multiple=True, help="IPv6 targets only.")
@click.option("--no-arp", is_flag=True,
              help="Use IP probes even on local links (no ARP, no neighbour discovery).")
@click.option("--max-rate", type=RATE, default=50_000.0, show_default=True,
              help="Most probes per second.")
@click.option("--max-retries", type=Int(0, 20), default=2, show_default=True,
              help="Retransmissions of unanswered probes.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def command(targets: tuple[str, ...], family: tuple[int, ...], no_arp: bool, max_rate: float,
            max_retries: int, as_json: bool) -> None:
    """Find the hosts that are up in TARGETS (subnets, addresses, ranges).

    ARP on local IPv4 links, neighbour solicitation on local IPv6 links (both give the MAC);
    elsewhere ICMP echo, TCP SYN to 443, TCP ACK to 80 and ICMP timestamp (TCP connect to 80
    and 443 without raw sockets). IPv6 prefixes go up to /112 (65,536 addresses). Exit status
    0 when a host is up, 1 when none is, 2 on a bad target.
    """
    from paquet.probe.discover import discover
    from paquet.probe.output import discover_normal
    fam = one_family(family)

    result = discover(list(targets), family=fam, max_rate=max_rate,
                      max_retries=max_retries, arp=not no_arp)
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    else:
        sys.stdout.write(discover_normal(result))
    raise Exit(ExitStatus.OK if result.up else ExitStatus.NEGATIVE)
