"""``paquet lab show`` and ``lab up``: the map fits the terminal's width, folding and wrapping
at spaces, and never cuts a word (an address, a service) or ends one with an ellipsis."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paquet.cli.main import main

ROOT = Path(__file__).parents[2]
BUILTINS = ["tp", "chain", "ecmp", "firewall", "lossy"]


def _words(data: dict[str, object]) -> set[str]:
    """Every address, interface, node and service word of a lab's map (from --json)."""
    words: set[str] = set()
    for node in data["nodes"]:  # type: ignore[attr-defined]
        words.add(node["name"])
        words.update(node["services"])
        for itf in node["interfaces"]:
            words.update(w for w in (itf["name"], itf["v4"], itf["v6"]) if w)
    return words


def _show(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          columns: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["lab", "show", *args]) == 0
    return capsys.readouterr().out


def _tokens(text: str) -> set[str]:
    return {t.rstrip(",") for t in re.split(r"[\s│┃]+", text) if t}


@pytest.mark.parametrize("lab", BUILTINS)
@pytest.mark.parametrize("columns", [80, 100])
def test_the_map_fits_and_keeps_every_word(lab: str, columns: int,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["lab", "show", lab, "--json"]) == 0
    words = _words(json.loads(capsys.readouterr().out))
    text = _show(capsys, monkeypatch, columns, lab)
    for line in text.splitlines():
        assert len(line) <= columns, line
    assert "…" not in text and "..." not in text
    assert words <= _tokens(text), words - _tokens(text)


def test_a_wide_terminal_keeps_one_column_per_address(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    text = _show(capsys, monkeypatch, 200, "tp")
    header = next(ln for ln in text.splitlines() if "node" in ln)
    assert "IPv4" in header and "IPv6" in header and "addresses" not in header
    narrow = _show(capsys, monkeypatch, 80, "tp")
    header = next(ln for ln in narrow.splitlines() if "node" in ln)
    assert "addresses" in header and "IPv4" not in header


@pytest.fixture
def isolated(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A lab world of our own (prefix and state directory), always taken down."""
    env = dict(os.environ)
    env["PAQUET_LAB_PREFIX"] = f"pqw{os.getpid() % 100000}-"
    env["PAQUET_LAB_STATE"] = str(tmp_path / "labs")
    env["PYTHONPATH"] = str(ROOT / "src")
    env["COLUMNS"] = "80"
    try:
        yield env
    finally:
        subprocess.run([sys.executable, "-m", "paquet", "lab", "down", "--all"], env=env,
                       capture_output=True, timeout=120, check=False)


@pytest.mark.privileged
def test_lab_up_prints_the_folded_map(isolated: dict[str, str]) -> None:
    up = subprocess.run([sys.executable, "-m", "paquet", "lab", "up", "chain", "--n", "1",
                         "--name", "wide"], env=isolated, capture_output=True, text=True,
                        timeout=300, check=False)
    assert up.returncode == 0, up.stderr
    table = [ln for ln in up.stdout.splitlines() if not ln.startswith("lab wide is up")]
    assert all(len(ln) <= 80 for ln in table), table
    assert "…" not in up.stdout
    for word in ("192.0.2.10/24", "2001:db8:0:1::a/64", "udp:10000:echo"):
        assert word in _tokens(up.stdout)
