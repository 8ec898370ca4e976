"""``paquet scan`` without click: the common nmap command lines parsed by hand, so the scan
starts before click (and the option types) would even be imported, and the scan itself.

:func:`parse` reads the flags nmap users type most (targets, ``-p``, ``-F``, ``-r``,
``--open``, ``-sS``, ``-Pn``, ``-n``, ``-v``, ``--reason``, ``-T0``..``-T5``, ``-4``/``-6``,
``-oX``/``-oG``/``-oN FILE``) into the keyword arguments of :func:`run`, which the click
command (:mod:`paquet.cli.scan`) calls too once it has read its options. Anything else (other
long options, ``-sU``, ``-sn``, ``-iL``, a value out of range, a file that cannot be written,
a contradiction) gives None, and click runs instead: it alone reports errors, so both paths
accept the same command lines and refuse them with the same messages.
``tests/probe/test_scan_fast.py`` compares the two on many command lines.

>>> parse(["192.0.2.1", "-p-", "-T4"])["max_retries"]
6
>>> parse(["-sU", "192.0.2.1"]) is None
True
"""

from __future__ import annotations

import os
import sys
import time

from paquet.cli.fastargs import integer, option_value, text
from paquet.cli.nmap_core import Timing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["parse", "run"]

_FLAGS: dict[str, tuple[str, object]] = {
    "-F": ("fast", True), "-r": ("sequential", True), "--open": ("open_only", True),
    "-sS": ("method", "syn"), "-Pn": ("no_ping", True), "-n": ("no_dns", True),
    "--reason": ("reason", True), "-4": ("family", 4), "-6": ("family", 6),
}
_FILES = {"-oX": "xml_out", "-oG": "grep_out", "-oN": "normal_out"}

MAX_RATE = 200_000.0
"""The default most probes per second."""
MIN_RATE = 10.0
"""The default fewest probes per second."""
MAX_RETRIES = 10
"""The default most retransmissions of an unanswered probe."""


def _writable(path: str) -> bool:
    """Whether click's check of an output file (``FilePath(writable=True)``) would pass."""
    if path == "-":
        return True
    if text(path) is None:
        return False
    if os.path.exists(path) and (os.path.isdir(path) or not os.access(path, os.W_OK)):
        return False
    return os.path.isdir(os.path.dirname(os.path.abspath(path)))


def defaults() -> dict[str, Any]:
    """:func:`run`'s keyword arguments for a bare ``paquet scan`` (no target yet)."""
    return {"targets": [], "ports": None, "top": None, "method": None, "no_ping": False,
            "family": 0, "max_rate": MAX_RATE, "min_rate": MIN_RATE,
            "max_retries": MAX_RETRIES, "max_rtt": None, "timeout": None, "seed": None,
            "shard": (1, 1), "state_file": None, "resume_file": None, "merge": False,
            "as_json": False, "ndjson": False, "xml_out": None, "grep_out": None,
            "normal_out": None, "reason": False, "open_only": False, "verbose": 0,
            "sequential": False, "exclude": [], "iface": None, "progress": None,
            "started": time.time()}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """:func:`run`'s keyword arguments for ``argv`` (after ``scan``), or None to let click."""
    kw = defaults()
    families: set[int] = set()
    fast = False
    timing: int | None = None
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if not a.startswith("-") or a == "-":
            if text(a) is None:
                return None
            kw["targets"].append(a)
            continue
        if a in _FLAGS:
            key, value = _FLAGS[a]
            if key == "family":
                families.add(int(str(value)))
            elif key == "fast":
                fast = True
            kw[key] = value
            continue
        if len(a) > 1 and a[1:] == "v" * (len(a) - 1):  # -v, -vv, -vvv (click counts them)
            kw["verbose"] += len(a) - 1
            continue
        if a in _FILES:
            if i >= len(argv) or not _writable(argv[i]):
                return None
            kw[_FILES[a]] = argv[i]
            i += 1
            continue
        if a[:2] not in ("-p", "-T") or a.startswith("--"):
            return None
        found = option_value(a, argv, i)
        if found is None:
            return None
        raw, i = found
        if a[:2] == "-p":
            if text(raw) is None:
                return None
            kw["ports"] = raw
        else:
            timing = integer(raw, 0, 5)
            if timing is None:
                return None
    if not kw["targets"] or len(families) > 1 or (fast and kw["ports"] is not None):
        return None
    kw["family"] = families.pop() if families else 0
    kw.pop("fast", None)
    kw.pop("no_dns", None)
    if fast:
        kw["top"] = 100
    if timing is not None:
        kw["max_rate"], kw["min_rate"], kw["max_retries"], kw["max_rtt"] = Timing(
            timing).apply(kw["max_rate"], kw["min_rate"], kw["max_retries"])
    return kw


def run(kw: dict[str, Any]) -> int:
    """Scan with the keyword arguments :func:`parse` gave (or click's); print and write the
    results as nmap does; the exit status (0 when a host was up, 1 when none was)."""
    from paquet.cli.nmap_core import write_outputs
    from paquet.probe.output import scan_file, scan_grepable, scan_normal, scan_xml, starting
    from paquet.probe.scan import merge as merge_states
    from paquet.probe.scan import scan

    as_json, ndjson, merge = kw["as_json"], kw["ndjson"], kw["merge"]
    xml_out, grep_out, normal_out = kw["xml_out"], kw["grep_out"], kw["normal_out"]
    reason, open_only = kw["reason"], kw["open_only"]
    args = ["paquet", "scan", *sys.argv[2:]] if sys.argv[1:2] == ["scan"] else ["paquet", "scan"]
    progress = kw["progress"]
    show_bar = progress if progress is not None else (sys.stderr.isatty() and not as_json
                                                      and not ndjson)
    to_stdout = not as_json and not ndjson and "-" not in (xml_out, grep_out, normal_out)
    bar, callback = _progress_bar() if show_bar else (None, None)

    def announce() -> None:  # as nmap: the first line, before the scan (and its bar)
        if to_stdout:
            sys.stdout.write(starting("scan", kw["started"]))
            sys.stdout.flush()
        if bar is not None:
            bar.start()

    try:
        if merge:
            if bar is not None:
                bar.start()
            result = merge_states(list(kw["targets"]))
        else:
            resume_file = kw["resume_file"]
            result = scan(
                kw["targets"], kw["ports"], method=kw["method"], top=kw["top"],
                discovery=not kw["no_ping"], family=kw["family"], max_rate=kw["max_rate"],
                min_rate=kw["min_rate"], max_retries=kw["max_retries"], timeout=kw["timeout"],
                seed=kw["seed"], shard=kw["shard"], state_file=resume_file or kw["state_file"],
                resume=resume_file is not None, progress=callback, args=args,
                sequential=kw["sequential"], exclude=kw["exclude"], iface=kw["iface"],
                max_rtt_timeout=kw["max_rtt"], on_start=announce,
            )
    finally:
        if bar is not None:
            bar.stop()
    write_outputs(((xml_out, lambda: scan_xml(result)),
                   (grep_out, lambda: scan_grepable(result, open_only)),
                   (normal_out, lambda: scan_file(result, reason, open_only))))
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
                                     verbose=kw["verbose"]))
    return 0 if result.up else 1


def _progress_bar() -> tuple[Any, Any]:
    """A rich progress bar on stderr (probes done, rate, time left) and its callback."""
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
        bar.update(task, completed=done, total=total)

    return bar, callback
