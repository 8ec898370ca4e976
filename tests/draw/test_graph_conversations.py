"""``PacketList.conversations()`` on lab traffic: TCP, UDP and ICMP between the tp lab's
client, server and remote, captured by tcpdump at the client; the graph drawn by graphviz
and checked in headless Chromium.

Oracles: tshark's dissection of the same capture (who sent how many frames and bytes to
whom), Scapy's ``conversations()`` DOT text on the same file, and the browser's layout.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from browser import render
from draw_helpers import capture_mixed_traffic

from paquet.pcap import rdpcap
from paquet.plist import PacketList

pytestmark = pytest.mark.privileged


@pytest.fixture(scope="module")
def capture(lab_tp: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return capture_mixed_traffic(lab_tp, tmp_path_factory.mktemp("conv") / "client.pcap")


def _tshark(path: Path) -> dict[tuple[str, str], tuple[int, int]]:
    out = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "ip.src", "-e",
                          "ip.dst", "-e", "frame.len"], capture_output=True, text=True,
                         check=True).stdout
    frames: Counter[tuple[str, str]] = Counter()
    sizes: Counter[tuple[str, str]] = Counter()
    for line in out.splitlines():
        src, dst, size = line.split("\t")
        frames[(src.split(",")[0], dst.split(",")[0])] += 1
        sizes[(src.split(",")[0], dst.split(",")[0])] += int(size)
    return {k: (frames[k], sizes[k]) for k in frames}


def test_counts_are_tsharks_and_text_is_scapys(capture: Path, lab_tp: Any) -> None:
    if not Path("/usr/bin/tshark").exists():
        pytest.skip("tshark is not installed")
    graph = PacketList(rdpcap(str(capture))).conversations()
    shown = {}
    for line in graph.text.splitlines():
        found = re.fullmatch(r"(\S+) -> (\S+) +(\d+) packets?, (\d+) bytes", line)
        assert found, line
        shown[(found[1], found[2])] = (int(found[3]), int(found[4]))
    assert shown == _tshark(capture)
    client, server = lab_tp["client"].addr(), lab_tp["server"].addr()
    assert shown[(client, server)][0] >= 3 and (lab_tp["remote"].addr(), client) in shown
    assert all(len(line) <= 80 for line in graph.text.splitlines())
    scapy = pytest.importorskip("scapy.all")
    assert graph == scapy.rdpcap(str(capture)).conversations(string=True)


@pytest.mark.parametrize("weight", ["packets", "bytes"])
def test_picture_in_the_browser(capture: Path, lab_tp: Any, tmp_path: Path, weight: str) -> None:
    plist = PacketList(rdpcap(str(capture)))
    svg = tmp_path / "conv.svg"
    assert plist.conversations(weight=weight, target=str(svg)) is None
    again = tmp_path / "again.svg"
    plist.conversations(weight=weight, format="svg", target=str(again))
    assert svg.read_bytes() == again.read_bytes()
    addresses = [lab_tp[n].addr() for n in ("client", "server", "remote")]
    shown = render(svg)
    shown.assert_readable([*addresses, "pkts", "B"])
    assert "<text" in svg.read_text()
    # thicker for the heavier direction: the edge with the most (packets or bytes) is drawn
    # with the widest stroke
    widths = [float(w) for w in re.findall(r'stroke-width="([\d.]+)"', svg.read_text())]
    assert widths and max(widths) > min(widths)
