"""The commands' input errors: one line, exit status 2, never a traceback (no network needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paquet.cli.main import main


@pytest.mark.parametrize("argv", [
    ["scan", "192.0.2.1", "-p", "http"],
    ["scan", "192.0.2.1", "-p", "1-100", "--top-ports", "10"],
    ["scan", "192.0.2.1", "--shard", "3/2"],
    ["scan", "192.0.2.0/33"],
    ["scan", "no-such-host.invalid", "-sT"],
    ["scan"],
    ["scan", "--resume", "/nonexistent/state.json"],
    ["ping", "-c", "0", "192.0.2.1"],
    ["ping", "-s", "70000", "192.0.2.1"],
    ["ping", "no-such-host.invalid"],
    ["trace", "-f", "9", "-m", "3", "192.0.2.1"],
    ["trace", "-w", "x", "192.0.2.1"],
    ["trace", "no-such-host.invalid"],
    ["discover", "192.0.2.0/40"],
    # nmap's flags: bad values, combinations nmap refuses, and what paquet cannot do
    ["scan", "-T9", "192.0.2.1"],
    ["scan", "-T", "quick", "192.0.2.1"],
    ["discover", "-T6", "192.0.2.1"],
    ["scan", "--source-port", "53", "192.0.2.1"],
    ["scan", "-g", "53", "192.0.2.1"],
    ["discover", "--source-port", "53", "192.0.2.1"],
    ["scan", "-sn", "-p", "80", "192.0.2.1"],
    ["scan", "-F", "-p", "80", "192.0.2.1"],
    ["scan", "-oA", "-", "192.0.2.1"],
    ["scan", "-iL", "/nonexistent/targets.txt"],
    ["discover", "-iL", "/nonexistent/targets.txt"],
    ["discover"],
    ["scan", "--exclude", "192.0.2.0/40", "192.0.2.1"],
])
def test_bad_input_is_one_line_and_exit_2(argv: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_commands_are_registered(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("scan", "ping", "trace", "discover"):
        assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--top-ports" in out and "--paris / --classic" in out


def test_damaged_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "state.json"
    bad.write_text('{"format": "something else"}')
    assert main(["scan", "--resume", str(bad)]) == 2
    assert "not a paquet scan state file" in capsys.readouterr().err
    bad.write_text("{not json")
    assert main(["scan", "--resume", str(bad)]) == 2
