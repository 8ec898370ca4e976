"""Plots: ``paquet read FILE --plot --svg F`` (Wireshark's I/O graph) on lab traffic captured
by tcpdump, and ``PacketList.plot``/``diffplot``/``multiplot`` saved to files; the SVGs checked
in headless Chromium.

Oracles: tshark's reading of the same capture (each frame's time and length) and the browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from browser import blank, render
from draw_helpers import capture_mixed_traffic

from paquet.cli.main import main
from paquet.pcap import rdpcap
from paquet.plist import PacketList

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def capture(lab_tp: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return capture_mixed_traffic(lab_tp, tmp_path_factory.mktemp("io") / "client.pcap")


DATA = Path(__file__).parent.parent / "data"


@pytest.mark.privileged
def test_read_plot_counts_are_tsharks(capture: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    _against_tshark(capture, tmp_path, capsys)


@pytest.mark.parametrize("name", ["tshark-lo.pcapng", "tcpdump-any-sll.pcap"])
def test_read_plot_of_real_captures(name: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    _against_tshark(DATA / name, tmp_path, capsys)


def test_without_matplotlib_the_text_and_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    capsys.readouterr()
    assert main(["read", str(DATA / "tshark-lo.pcapng"), "--plot", "--svg",
                 str(tmp_path / "io.svg")]) == 0
    printed = capsys.readouterr()
    assert printed.err.count("\n") == 1 and "matplotlib" in printed.err
    assert printed.out.startswith("  time (s)") and not (tmp_path / "io.svg").exists()


def _against_tshark(capture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed")
    svg = tmp_path / "io.svg"
    assert main(["read", str(capture), "--plot", "--svg", str(svg)]) == 0
    lines = capsys.readouterr().out.splitlines()
    step = float(re.search(r"per ([\d.e-]+) s", lines[0])[1])  # type: ignore[index]
    rows = [tuple(float(x) for x in line.split()[:3]) for line in lines[1:]]
    assert all(len(line) <= 80 for line in lines)
    out = subprocess.run(["tshark", "-r", str(capture), "-T", "fields", "-e",
                          "frame.time_relative", "-e", "frame.len"],
                         capture_output=True, text=True, check=True).stdout
    frames = [(float(t), int(n)) for t, n in (line.split("\t") for line in out.splitlines())]
    expected: dict[int, list[int]] = {}
    for t, n in frames:
        row = expected.setdefault(int(t / step + 1e-9), [0, 0])
        row[0] += 1
        row[1] += n
    assert {round(t / step): [int(p), int(b)] for t, p, b in rows if p} == expected
    assert sum(p for _t, p, _b in rows) == len(frames)
    shown = render(svg)
    shown.assert_readable(["packets/s", "bits/s", "time (s)"])
    again = tmp_path / "again.svg"
    assert main(["read", str(capture), "--plot", "--svg", str(again)]) == 0
    assert again.read_bytes() == svg.read_bytes()


@pytest.mark.privileged
def test_plist_plots_saved(capture: Path, tmp_path: Path) -> None:
    import matplotlib.pyplot as plt

    plist = PacketList(rdpcap(str(capture)))
    for name, draw in (
        ("plot", lambda t: plist.plot(lambda p: len(p), target=t)),
        ("diffplot", lambda t: plist.diffplot(lambda a, b: float(b.time - a.time), target=t)),
        ("multiplot", lambda t: plist.multiplot(
            lambda p: (p.sprintf("%IP.src%"), (float(p.time), len(p))), plot_xy=True,
            target=t)),
    ):
        plt.figure()
        lines = draw(tmp_path / f"{name}.svg")
        assert lines
        plt.savefig(tmp_path / f"{name}.png")
        plt.close("all")
        assert not blank(tmp_path / f"{name}.png")
        text = (tmp_path / f"{name}.svg").read_text()
        assert "<text" in text and "Date" not in text
        shown = render(tmp_path / f"{name}.svg")
        assert not shown.overlaps() and not shown.cut_off() and shown.labels()
