"""``paquet scan TARGETS -p SPEC``: nmap's port states, faster (see ``paquet.probe.scan``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from paquet.cli.main import Exit
from paquet.cli.params import RATE, SECONDS, TEXT, FilePath, Int, one_family
from paquet.cli.status import ExitStatus
from paquet.errors import PaquetError


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        return
    try:
        Path(path).write_text(text)
    except OSError as exc:
        raise PaquetError(f"cannot write {path}: {exc.strerror or exc}") from None


_OUT = FilePath(writable=True, allow_dash=True)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("targets", nargs=-1, type=TEXT)
@click.option("-p", "--ports", "ports", type=TEXT, metavar="SPEC",
              help="Ports, nmap syntax: 22,80,1000-2000, - for 1-65535 (default: top 1000).")
@click.option("--top-ports", "top", type=Int(1, 65535), metavar="N",
              help="nmap's N most frequent ports.")
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
@click.option("--max-rate", type=RATE, default=200_000.0, show_default=True,
              help="Most probes per second.")
@click.option("--min-rate", type=RATE, default=10.0, show_default=True,
              help="Fewest probes per second, whatever the congestion.")
@click.option("--max-retries", type=Int(0, 50), default=10, show_default=True,
              help="Most retransmissions of an unanswered probe.")
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
@click.option("--progress/--no-progress", default=None,
              help="Progress bar (default: when stderr is a terminal).")
def command(targets: tuple[str, ...], ports: str | None, top: int | None,
            methods: tuple[str, ...],
            no_ping: bool, family: tuple[int, ...], max_rate: float, min_rate: float,
            max_retries: int, timeout: float | None, shard: str | None, seed: int | None,
            state_file: str | None, resume_file: str | None, merge: bool, as_json: bool,
            ndjson: bool,
            xml_out: str | None, grep_out: str | None, normal_out: str | None,
            progress: bool | None) -> None:
    """Scan TCP or UDP ports of TARGETS (addresses, subnets, ranges, names) like nmap.

    Port states follow nmap: open, closed, filtered, unfiltered, open|filtered. Exit status 0
    when at least one host was up, 1 when none was.
    """
    from paquet.probe.order import parse_shard
    from paquet.probe.output import scan_grepable, scan_normal, scan_xml
    from paquet.probe.scan import merge as merge_states
    from paquet.probe.scan import scan
    fam = one_family(family)

    if merge and not targets:
        raise click.UsageError("--merge needs the state files of the shards")
    if not targets and not resume_file:
        raise click.UsageError("give at least one target (or --resume FILE)")
    if ports is not None and top is not None:
        raise click.UsageError("-p and --top-ports exclude each other")
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
        bar.start()
        task = bar.add_task("scan", total=None)

        def callback(done: int, total: int) -> None:
            assert bar is not None and task is not None
            bar.update(task, completed=done, total=total)

    try:
        if merge:
            result = merge_states(list(targets))
        else:
            result = scan(
                list(targets), ports, method=method, top=top, discovery=not no_ping,
                family=fam, max_rate=max_rate, min_rate=min_rate,
                max_retries=max_retries, timeout=timeout, seed=seed, shard=shard_t,
                state_file=resume_file or state_file, resume=resume_file is not None,
                progress=callback, args=args,
            )
    finally:
        if bar is not None:
            bar.stop()
    if xml_out:
        _write(xml_out, scan_xml(result))
    if grep_out:
        _write(grep_out, scan_grepable(result))
    if normal_out:
        _write(normal_out, scan_normal(result))
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
    elif "-" not in (xml_out, grep_out, normal_out):
        sys.stdout.write(scan_normal(result))
    raise Exit(ExitStatus.OK if result.up else ExitStatus.NEGATIVE)
