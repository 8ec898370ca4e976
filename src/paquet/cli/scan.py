"""``paquet scan TARGETS -p SPEC``: nmap's port states, faster (see ``paquet.probe.scan``)."""

from __future__ import annotations

import sys
import time

import click

from paquet.cli.main import Exit
from paquet.cli.nmap_flags import (
    Timing,
    exclusions,
    nmap_options,
    output_files,
    target_list,
)
from paquet.cli.nmap_flags import write as _write
from paquet.cli.params import RATE, SECONDS, TEXT, FilePath, Int, one_family
from paquet.cli.status import ExitStatus

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
    from paquet.probe.output import scan_file, scan_grepable, scan_normal, scan_xml, starting
    from paquet.probe.scan import merge as merge_states
    from paquet.probe.scan import scan

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
    max_rate = 200_000.0 if max_rate is None else max_rate
    max_retries = 10 if max_retries is None else max_retries
    max_rtt: float | None = None
    if timing is not None:
        max_rate, min_rate, max_retries, max_rtt = Timing(timing).apply(
            max_rate, min_rate, max_retries, explicit)
    if len(set(methods)) > 1:
        raise click.UsageError("you specified more than one type of scan: choose one of "
                               "-sS, -sT, -sU and -sA")
    method = methods[0] if methods else None
    if min_rate > max_rate:
        raise click.UsageError(f"--min-rate={min_rate:g} must be less than or equal to "
                               f"--max-rate={max_rate:g}")
    shard_t = parse_shard(shard) if shard else (1, 1)
    args = ["paquet", "scan", *sys.argv[2:]] if sys.argv[1:2] == ["scan"] else ["paquet", "scan"]
    show_bar = progress if progress is not None else (sys.stderr.isatty() and not as_json
                                                      and not ndjson)
    to_stdout = not as_json and not ndjson and "-" not in (xml_out, grep_out, normal_out)

    def announce() -> None:  # as nmap: the first line, before the scan (and its bar)
        if to_stdout:
            sys.stdout.write(starting("scan", started))
            sys.stdout.flush()
        if bar is not None:
            bar.start()

    bar = None
    task = None
    callback = None
    if show_bar:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        class _Rate(TransferSpeedColumn):
            def render(self, task):  # type: ignore[no-untyped-def]
                speed = task.finished_speed or task.speed
                from rich.text import Text

                return Text(f"{speed or 0:,.0f} probes/s", style="progress.data.speed")

        bar = Progress(TextColumn("scan"), BarColumn(), TaskProgressColumn(),
                       MofNCompleteColumn(), _Rate(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        task = bar.add_task("scan", total=None)

        def callback(done: int, total: int) -> None:
            assert bar is not None and task is not None
            bar.update(task, completed=done, total=total)

    try:
        if merge:
            if bar is not None:
                bar.start()
            result = merge_states(list(targets))
        else:
            result = scan(
                all_targets, ports, method=method, top=top, discovery=not no_ping,
                family=fam, max_rate=max_rate, min_rate=min_rate,
                max_retries=max_retries, timeout=timeout, seed=seed, shard=shard_t,
                state_file=resume_file or state_file, resume=resume_file is not None,
                progress=callback, args=args, sequential=sequential, exclude=excluded,
                iface=iface, max_rtt_timeout=max_rtt, on_start=announce,
            )
    finally:
        if bar is not None:
            bar.stop()
    if xml_out:
        _write(xml_out, scan_xml(result))
    if grep_out:
        _write(grep_out, scan_grepable(result, open_only))
    if normal_out:
        _write(normal_out, scan_file(result, reason, open_only))
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    elif ndjson:
        from paquet.cli.render import print_ndjson

        for h in result.hosts:
            d = h.to_dict()
            ports_list = d.pop("ports")
            print_ndjson({"type": "host", **d})
            for p in ports_list:  # type: ignore[attr-defined]
                print_ndjson({"type": "port", "address": h.address, **p})
    elif to_stdout:
        if not result.hosts:
            sys.stderr.write("WARNING: No targets were specified, so 0 hosts scanned.\n")
        sys.stdout.write(scan_normal(result, header=merge, reason=reason, open_only=open_only,
                                     verbose=verbose))
    raise Exit(ExitStatus.OK if result.up else ExitStatus.NEGATIVE)
