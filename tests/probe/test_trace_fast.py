"""``paquet trace``'s click-free path against the click command: same trace, same errors.

The trace itself is replaced by a recorder (nothing is sent)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.probe.fastpaths import check_goes_to_click, fresh_run, run_by_click

from paquet.cli import trace_fast
from paquet.cli.main import main


class _Result:
    reached = True

    def text(self, numeric: bool = True) -> str:
        return f"numeric={numeric}\n"

    def to_dict(self) -> dict[str, object]:
        return {}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import paquet.probe.trace

    seen: list[dict[str, Any]] = []

    def fake(host: str, **kw: Any) -> _Result:
        seen.append({"host": host, **kw})
        return _Result()

    monkeypatch.setattr(paquet.probe.trace, "trace", fake)
    return seen


FAST = [
    ["192.0.2.1"],
    ["-n", "192.0.2.1"],
    ["-n", "-I", "192.0.2.1", "100"],
    ["-T", "-p", "10000", "-q", "1", "-m", "8", "192.0.2.1"],
    ["-T", "-p10000", "-q1", "-m8", "-f", "2", "-N", "4", "192.0.2.1"],
    ["-U", "-F", "-s", "192.0.2.10", "-i", "eth0", "-z", "50", "192.0.2.1", "28"],
    ["-z", "0.25", "-4", "192.0.2.1"],
    ["-6", "-n", "2001:db8::1"],
    ["192.0.2.1", "-n", "60"],
]

CLICK_ONLY = [
    ["--json", "192.0.2.1"],
    ["-w", "1,2,3", "192.0.2.1"],
    ["--classic", "192.0.2.1"],
    ["-nI", "192.0.2.1"],
    ["-I", "-T", "192.0.2.1"],
    ["-f", "9", "-m", "3", "192.0.2.1"],
    ["-q", "11", "192.0.2.1"],
    ["-p", "x", "192.0.2.1"],
    ["-z", "nan", "192.0.2.1"],
    ["192.0.2.1", "70000"],
    ["192.0.2.1", "60", "extra"],
    ["-m"],
    [],
    ["-h"],
]


def _click(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    return run_by_click(trace_fast, "trace", argv, monkeypatch)


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_fast_path_traces_as_click_does(argv: list[str], calls: list[dict[str, Any]],
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert trace_fast.parse(argv) is not None
    assert main(["trace", *argv]) == 0
    fast_out = capsys.readouterr()
    assert _click(argv, monkeypatch) == 0
    click_out = capsys.readouterr()
    assert len(calls) == 2 and calls[0] == calls[1]
    assert fast_out == click_out


@pytest.mark.parametrize("argv", CLICK_ONLY, ids=" ".join)
def test_other_command_lines_go_to_click(argv: list[str], calls: list[dict[str, Any]],
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    check_goes_to_click(trace_fast, "trace", argv, calls, monkeypatch, capsys)


def test_a_plain_trace_imports_neither_click_nor_rich() -> None:
    setup = ("import paquet.probe.trace as t\n"
             "class R:\n"
             "    reached = True\n"
             "    def text(self, numeric=True): return ''\n"
             "t.trace = lambda host, **kw: R()")
    assert fresh_run(setup, ["trace", "-n", "-q", "1", "192.0.2.1"]) == (0, False, False)
