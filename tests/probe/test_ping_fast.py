"""``paquet ping``'s click-free path against the click command: same call, same output, same
status, the same refusals; and neither path's start-up imports click, rich, or the standard
modules that cost milliseconds to import (typing, enum, socket, dataclasses, inspect, re).

The ping itself is replaced by a recorder that plays a reply, a duplicate and an error through
the callbacks it is given (nothing is sent)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from typing import Any

import pytest
from tests.probe.fastpaths import check_goes_to_click, run_by_click

from paquet.cli import ping_fast
from paquet.cli.main import main
from paquet.cli.status import ExitStatus
from paquet.probe.ping import ping as _PING  # the real one (the tests replace it)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import paquet.probe.ping as probe

    seen: list[dict[str, Any]] = []

    def fake(host: str, count: int | None = None, **kw: Any) -> probe.PingResult:
        seen.append({"host": host, "count": count, **kw})
        result = probe.PingResult(host, host, kw.get("size", 56))
        if kw.get("on_start"):
            kw["on_start"](result)
        events = [probe.PingEvent("reply", 1, host, 64, 63, 0.00123),
                  probe.PingEvent("reply", 1, host, 64, 63, 0.0015, duplicate=True),
                  probe.PingEvent("error", 2, "192.0.2.254", message="Time to live exceeded")]
        for ev in events if host != "192.0.2.9" else []:  # .9: nothing answers
            result.events.append(ev)
            if kw.get("on_event"):
                kw["on_event"](ev)
        result.transmitted = 2
        result.received = 1 if host != "192.0.2.9" else 0
        return result

    monkeypatch.setattr(probe, "ping", fake)
    return seen


FAST = [
    ["192.0.2.1"],
    ["-c", "3", "192.0.2.1"],
    ["-c3", "-i0.2", "-W", "2", "-w", "5", "192.0.2.1"],
    ["-q", "-c", "1", "-s", "1400", "-t", "9", "192.0.2.1"],
    ["192.0.2.1", "-c", "2", "-4"],
    ["-6", "-c", "1", "2001:db8::1"],
    ["-c", "1", "-w", "1", "192.0.2.9"],
    ["-c", "1", "192.0.2.9"],
    ["-s", "0", "-i", "0", "192.0.2.1"],
    ["-n", "-c", "1", "192.0.2.9"],
]

CLICK_ONLY = [
    ["--json", "192.0.2.1"],
    ["-f", "192.0.2.1"],
    ["-qc1", "192.0.2.1"],
    ["-4", "-6", "192.0.2.1"],
    ["-c", "0", "192.0.2.1"],
    ["-c", "x", "192.0.2.1"],
    ["-s", "65508", "192.0.2.1"],
    ["-t", "256", "192.0.2.1"],
    ["-i", "nan", "192.0.2.1"],
    ["-i", "1e3", "192.0.2.1"],
    ["-W", "99999999", "192.0.2.1"],
    ["localhost"],
    ["192.0.2.01"],
    ["192.0.2.1", "192.0.2.2"],
    ["-c"],
    [],
    ["-h"],
]


def _click(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    return run_by_click(ping_fast, "ping", argv, monkeypatch)


def _same_call(fast: dict[str, Any], slow: dict[str, Any]) -> None:
    """The same arguments; a callback on one side is one on the other; an argument only the
    click path passes is ping()'s default."""
    defaults = {k: p.default for k, p in inspect.signature(_PING).parameters.items()}
    for key in fast.keys() | slow.keys():
        a, b = fast.get(key, defaults.get(key)), slow.get(key, defaults.get(key))
        if callable(a) or callable(b):
            assert callable(a) == callable(b), key
        else:
            assert a == b, key


@pytest.mark.parametrize("argv", FAST, ids=" ".join)
def test_fast_path_pings_as_click_does(argv: list[str], calls: list[dict[str, Any]],
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert ping_fast.parse(argv) is not None
    status = main(["ping", *argv])
    fast_out = capsys.readouterr()
    assert status == _click(argv, monkeypatch)
    click_out = capsys.readouterr()
    assert len(calls) == 2
    _same_call(calls[0], calls[1])
    assert fast_out == click_out
    assert "icmp_seq=1" in fast_out.out or "-q" in argv or "192.0.2.9" in argv


@pytest.mark.parametrize("argv", CLICK_ONLY, ids=" ".join)
def test_other_command_lines_go_to_click(argv: list[str], calls: list[dict[str, Any]],
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    check_goes_to_click(ping_fast, "ping", argv, None, monkeypatch, capsys)


def test_main_statuses_are_exit_statuses() -> None:
    """cli.main returns ExitStatus's values without importing enum for them."""
    from paquet.cli import main as m

    assert (m._OK, m._ERROR, m._INTERRUPTED) == (
        ExitStatus.OK, ExitStatus.ERROR, ExitStatus.INTERRUPTED)


SLOW = ("click", "rich", "typing", "enum", "socket", "dataclasses", "inspect", "re",
        "signal", "paquet.cli.status")
"""What the click-free paths do without: click and rich, and the standard modules whose import
costs milliseconds (``socket`` and ``signal`` build enums; ``paquet.cli.status`` is an enum).
``paquet.probe.ping`` itself imports ``socket`` (and so ``enum``): its sockets need
socket.py's own methods."""


@pytest.mark.parametrize(("command", "slow"), [
    (["trace", "-n", "-q", "1", "192.0.2.1"], SLOW),
    (["ping", "-c", "1", "192.0.2.1"], tuple(m for m in SLOW if m not in ("socket", "enum"))),
], ids=lambda v: " ".join(v[:1]))
def test_fast_paths_import_neither_click_rich_nor_slow_modules(
        command: list[str], slow: tuple[str, ...]) -> None:
    code = (
        "import sys\n"
        f"import paquet.probe.{command[0]} as m\n"
        "class R:\n"
        "    reached = True\n"
        "    received = 1\n"
        "    def text(self, numeric=True): return ''\n"
        "    def summary(self): return ''\n"
        "    def stats(self): return None\n"
        f"m.{command[0]} = lambda host, *args, **kw: R()\n"
        "from paquet.cli.main import main\n"
        f"rc = main({command!r})\n"
        f"print(rc, *(m in sys.modules for m in {slow!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", *["False"] * len(slow)], dict(zip(slow, out[1:], strict=True))


# -- in the lab: real echo requests, both paths, iputils' ping as the oracle of the form -----


def _both_paths(argv: list[str]) -> list[tuple[int, str, str]]:
    """(status, stdout, stderr) of ``paquet ping ARGV`` by the fast path, then by click
    (run in a lab node: a forked child)."""
    import contextlib
    import io

    from paquet.cli import main as cli_main

    runs = []
    for fast in (True, False):
        out, err = io.StringIO(), io.StringIO()
        saved = ping_fast.parse
        if not fast:
            ping_fast.parse = lambda argv: None  # type: ignore[assignment,unused-ignore]
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = cli_main.main(["ping", *argv])
        finally:
            ping_fast.parse = saved  # type: ignore[method-assign,unused-ignore]
        runs.append((status, out.getvalue(), err.getvalue()))
    return runs


def _shape(text: str) -> str:
    """The output with its times masked (they differ from run to run), addresses kept."""
    import re

    text = re.sub(r"time=[0-9.]+ ms", "time=T ms", text)
    text = re.sub(r"time \d+ms", "time Nms", text)
    return re.sub(r"= [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms", "= T/T/T/T ms", text)


@pytest.mark.privileged
def test_both_paths_ping_the_same_in_the_lab(tp_lab: Any) -> None:
    """(Not ``-t``: the routers rate-limit their ICMP errors, so a second run close behind the
    first may get none; the click-only tests above cover ``-t``'s parsing.)"""
    client, remote = tp_lab["client"], tp_lab["remote"].addr()
    for argv in (["-c", "2", "-i", "0.05", remote],
                 ["-q", "-c", "2", "-i", "0.05", "-s", "100", remote],
                 ["-c", "2", "-i", "0.05", "-W", "0.3", "203.0.113.50"]):
        assert ping_fast.parse(argv) is not None
        (s1, o1, e1), (s2, o2, e2) = client.run(_both_paths, argv)
        assert (s1, _shape(o1), e1) == (s2, _shape(o2), e2), argv
        assert o1.startswith("PING ")
