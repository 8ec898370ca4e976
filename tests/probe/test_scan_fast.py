"""``paquet scan``'s click-free path against the click command: same scan, same output, same
errors. The scan itself is replaced by a recorder that answers for every target (nothing is
sent); the clock is fixed, so the "Starting" lines match to the minute."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from tests.probe.fastpaths import check_goes_to_click, fresh_run, run_by_click

from paquet.cli import scan_fast
from paquet.cli.main import main
from paquet.probe.scan_results import HostResult, PortResult, ScanResult


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import paquet.probe.scan

    seen: list[dict[str, Any]] = []

    def fake(targets: Any, ports: Any, **kw: Any) -> ScanResult:
        on_start = kw.pop("on_start")
        assert kw.pop("progress") is None
        seen.append({"targets": list(targets), "ports": ports, **kw})
        on_start()
        hosts = [HostResult(t, "up", "echo-reply", 0.0004,
                            [PortResult(22, "tcp", "open", "syn-ack", 64),
                             PortResult(80, "tcp", "closed", "reset", 64)]) for t in targets]
        return ScanResult("syn", "tcp", [22, 80], hosts, 1.7e9, 0.25, None, kw["args"])

    monkeypatch.setattr(paquet.probe.scan, "scan", fake)
    monkeypatch.setattr(time, "time", lambda: 1.7e9)
    return seen


FAST = [
    ["192.0.2.1"],
    ["192.0.2.1", "-p-"],
    ["-p", "0-65535", "-T4", "-n", "192.0.2.1"],
    ["-sS", "-Pn", "-r", "--open", "--reason", "-v", "-p22,80", "192.0.2.0/30"],
    ["-F", "-T", "5", "-vv", "-4", "192.0.2.1", "198.51.100.1"],
    ["-T0", "-p", "22", "192.0.2.1"],
    ["-T2", "-p", "-", "192.0.2.1"],
    ["-6", "2001:db8::1", "-p", "80"],
    ["192.0.2.1", "-oX", "-"],
    ["192.0.2.1", "-p", "22", "-oX", "{tmp}/a.xml", "-oG", "{tmp}/a.gnmap", "-oN", "{tmp}/a.txt"],
]

CLICK_ONLY = [
    ["--json", "192.0.2.1"],
    ["--max-rate", "100", "192.0.2.1"],
    ["-Tinsane", "192.0.2.1"],
    ["-sU", "-p", "53", "192.0.2.1"],
    ["-p", "22", "-F", "192.0.2.1"],
    ["-4", "-6", "192.0.2.1"],
    ["-T9", "192.0.2.1"],
    ["-sS", "-sT", "192.0.2.1"],
    ["-vx", "192.0.2.1"],
    ["-p", "", "192.0.2.1"],
    ["-oX", "/nonexistent-dir/x.xml", "192.0.2.1"],
    ["-oX", "{tmp}", "192.0.2.1"],
    ["-oX"],
    ["-p"],
    ["--", "192.0.2.1"],
    [],
    ["-h"],
]


def _click(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    return run_by_click(scan_fast, "scan", argv, monkeypatch)


def _files(tmp: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(tmp.iterdir())}


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_fast_path_scans_as_click_does(argv: list[str], calls: list[dict[str, Any]],
                                       monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert scan_fast.parse(argv) is not None
    assert main(["scan", *argv]) == 0
    fast_out, fast_files = capsys.readouterr(), _files(tmp_path)
    assert _click(argv, monkeypatch) == 0
    assert capsys.readouterr() == fast_out
    assert _files(tmp_path) == fast_files
    assert len(calls) == 2 and calls[0] == calls[1]


@pytest.mark.parametrize("argv", CLICK_ONLY, ids=" ".join)
def test_other_command_lines_go_to_click(argv: list[str], calls: list[dict[str, Any]],
                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    check_goes_to_click(scan_fast, "scan", argv, calls, monkeypatch, capsys)


def test_timing_templates_as_nmap() -> None:
    kw = scan_fast.parse(["-T5", "192.0.2.1"])
    assert kw is not None
    assert (kw["max_rate"], kw["max_retries"], kw["max_rtt"]) == (200_000.0, 2, 0.3)
    kw = scan_fast.parse(["-T1", "192.0.2.1"])
    assert kw is not None
    assert (kw["max_rate"], kw["min_rate"]) == (1 / 15, 1 / 15)


def test_a_plain_scan_imports_neither_click_nor_rich() -> None:
    setup = ("import paquet.probe.scan as s\n"
             "from paquet.probe.scan_results import ScanResult\n"
             "def fake(targets, ports, **kw):\n"
             "    kw['on_start']()\n"
             "    return ScanResult('syn', 'tcp', [], [], 0.0, 0.0)\n"
             "s.scan = fake")
    assert fresh_run(setup, ["scan", "-p-", "-T4", "192.0.2.1"]) == (1, False, False)
