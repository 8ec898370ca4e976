"""``paquet scan TARGETS -p SPEC``: nmap's port states, faster (see ``paquet.probe.scan``)."""

from __future__ import annotations

import time

import click

from paquet.cli import scan_fast
from paquet.cli.main import Exit
from paquet.cli.nmap_core import Timing
from paquet.cli.nmap_flags import exclusions, nmap_options, output_files, target_list
from paquet.cli.params import RATE, SECONDS, TEXT, FilePath, Int, one_family

_OUT = FilePath(writable=True, allow_dash=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("targets", nargs=-1, type=TEXT)
@click.option("-p", "--ports", "ports", type=TEXT, metavar="SPEC",
              help="Ports, nmap syntax: 22,80,1000-2000, - for 1-65535 (default: top 1000).")
@click.option("--top-ports", "top", type=Int(1, 65535), metavar="N",
              help="nmap's N most frequent ports.")
@click.option("-F", "fast", is_flag=True, help="Fast: nmap's 100 most frequent ports.")
@click.option("-r", "sequential", is_flag=True, help="Probe the ports in order, not shuffled.")
@click.option("--open", "open_only", is_flag=True,
              help="Show only the open (or possibly open) ports, and the hosts that have some.")
@click.option("-sn", "ping_only", is_flag=True,
              help="Host discovery only, no port scan (as paquet discover).")
@click.option("-sS", "--syn", "methods", flag_value="syn", multiple=True,
              help="SYN scan (raw sockets; the default when privileged).")
@click.option("-sT", "--connect", "methods", flag_value="connect", multiple=True,
              help="TCP connect scan (the default without privileges).")
@click.option("-sU", "--udp", "methods", flag_value="udp", multiple=True,
              help="UDP scan (raw sockets).")
@click.option("-sA", "--ack", "methods", flag_value="ack", multiple=True,
              help="ACK scan (raw sockets): unfiltered or filtered, firewall mapping.")
@click.option("-Pn", "--no-ping", "no_ping", is_flag=True,
              help="Skip host discovery: treat every target as up.")
@click.option("-4", "family", flag_value=4, type=int, multiple=True, help="IPv4 targets only.")
@click.option("-6", "family", flag_value=6, type=int, multiple=True, help="IPv6 targets only.")
@click.option("--max-rate", type=RATE, help="Most probes per second.  [default: 200000]")
@click.option("--min-rate", type=RATE, default=10.0, show_default=True,
              help="Fewest probes per second, whatever the congestion.")
@click.option("--max-retries", type=Int(0, 50),
              help="Most retransmissions of an unanswered probe.  [default: 10]")
@click.option("--timeout", type=SECONDS,
              help="Fixed wait for answers, seconds (default: adaptive).")
@click.option("--shard", type=TEXT, metavar="I/N", help="Scan the I-th of N deterministic parts.")
@click.option("--seed", type=Int(0, 2**64 - 1),
              help="Seed of the random order (default: from the targets).")
@click.option("--state", "state_file", type=FilePath(writable=True), metavar="FILE",
              help="Record progress in FILE.")
@click.option("--resume", "resume_file", type=FilePath(exists=True), metavar="FILE",
              help="Continue the scan recorded in FILE.")
@click.option("--merge", is_flag=True,
              help="TARGETS are the --state files of all the shards of one scan: merge them.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--ndjson", is_flag=True, help="Print one JSON object per line (hosts, ports).")
@click.option("-oX", "xml_out", type=_OUT, metavar="FILE",
              help="Write nmap XML to FILE (- for stdout).")
@click.option("-oG", "grep_out", type=_OUT, metavar="FILE",
              help="Write nmap grepable output to FILE.")
@click.option("-oN", "normal_out", type=_OUT, metavar="FILE", help="Write normal output to FILE.")
@nmap_options
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
def command(targets: tuple[str, ...], ports: str | None, top: int | None, fast: bool,
            sequential: bool, open_only: bool, ping_only: bool,
            methods: tuple[str, ...],
            no_ping: bool, family: tuple[int, ...], max_rate: float | None, min_rate: float,
            max_retries: int | None, timeout: float | None, shard: str | None,
            seed: int | None,
            state_file: str | None, resume_file: str | None, merge: bool, as_json: bool,
            ndjson: bool,
            xml_out: str | None, grep_out: str | None, normal_out: str | None,
            timing: int | None, no_dns: bool, verbose: int, reason: bool,
            input_list: str | None, exclude: tuple[str, ...], exclude_file: str | None,
            iface: str | None, all_out: str | None,
            progress: bool | None) -> None:
    """Scan TCP or UDP ports of TARGETS (addresses, subnets, ranges, names) like nmap.

    Port states follow nmap: open, closed, filtered, unfiltered, open|filtered. Exit status 0
    when at least one host was up, 1 when none was.
    """
    started = time.time()
    fam = one_family(family)
    all_targets = target_list(targets, input_list)
    excluded = exclusions(exclude, exclude_file)
    normal_out, grep_out, xml_out = output_files(all_out, normal_out, grep_out, xml_out)
    if ping_only:
        if ports is not None or top is not None or fast or methods or no_ping:
            raise click.UsageError("-sn is host discovery only: it takes no -p, -F, "
                                   "--top-ports, -sS/-sT/-sU/-sA or -Pn")
        from paquet.cli.discover import run_discover

        run_discover(all_targets, fam, True, max_rate, max_retries, as_json, timing, verbose,
                     reason, excluded, iface, normal_out, grep_out, xml_out, started)
    from paquet.probe.order import parse_shard

    if merge and not all_targets:
        raise click.UsageError("--merge needs the state files of the shards")
    if not all_targets and not resume_file:
        raise click.UsageError("give at least one target (or --resume FILE)")
    if sum((ports is not None, top is not None, fast)) > 1:
        raise click.UsageError("-p, -F and --top-ports exclude each other")
    if fast:
        top = 100
    explicit = frozenset(k for k, v in (("max_rate", max_rate), ("max_retries", max_retries))
                         if v is not None)
    max_rate = scan_fast.MAX_RATE if max_rate is None else max_rate
    max_retries = scan_fast.MAX_RETRIES if max_retries is None else max_retries
    max_rtt: float | None = None
    if timing is not None:
        max_rate, min_rate, max_retries, max_rtt = Timing(timing).apply(
            max_rate, min_rate, max_retries, explicit)
    if len(set(methods)) > 1:
        raise click.UsageError("you specified more than one type of scan: choose one of "
                               "-sS, -sT, -sU and -sA")
    if min_rate > max_rate:
        raise click.UsageError(f"--min-rate={min_rate:g} must be less than or equal to "
                               f"--max-rate={max_rate:g}")
    kw = scan_fast.defaults()
    kw.update(
        targets=all_targets, ports=ports, top=top, method=methods[0] if methods else None,
        no_ping=no_ping, family=fam, max_rate=max_rate, min_rate=min_rate,
        max_retries=max_retries, max_rtt=max_rtt, timeout=timeout, seed=seed,
        shard=parse_shard(shard) if shard else (1, 1), state_file=state_file,
        resume_file=resume_file, merge=merge, as_json=as_json, ndjson=ndjson, xml_out=xml_out,
        grep_out=grep_out, normal_out=normal_out, reason=reason, open_only=open_only,
        verbose=verbose, sequential=sequential, exclude=excluded, iface=iface,
        progress=progress, started=started)
    raise Exit(scan_fast.run(kw))
