"""The lab's topology as a picture: ``paquet lab show lossy --svg`` (no lab built),
``paquet lab status NAME --svg`` and ``Lab``'s notebook view of the running tp lab, checked in
headless Chromium.

Oracles: the kernel (``ip -br addr`` in each node's namespace gives the addresses the picture
must show), the topology files (services, firewall rules, loss), and the browser's layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import render
from draw_helpers import addresses

from paquet.cli.main import main
from paquet.draw.topology import topology_text
from paquet.lab.builder import lab_map
from paquet.lab.topology import load


def test_lab_show_svg_without_building(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "lossy.svg"
    assert main(["lab", "show", "lossy", "--svg", str(svg)]) == 0
    topo = load("lossy")
    wanted = [*topo.nodes, "loss 20% from gateway", "loss 20% from r1", "udp:10000:echo",
              "drop tcp:135", "reject tcp:8080", "198.51.100.0/30"]
    for itf in topo.interfaces["gateway"]:
        wanted.append(str(itf.v4))
    shown = render(svg)
    shown.assert_readable(wanted)
    # the impaired link is drawn apart: red and dashed
    text = svg.read_text()
    assert 'stroke="#c62828"' in text and "stroke-dasharray" in text
    assert main(["lab", "show", "lossy", "--svg", str(tmp_path / "again.svg")]) == 0
    assert (tmp_path / "again.svg").read_bytes() == svg.read_bytes()
    lines = topology_text(lab_map(topo, "lossy")).splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert any("loss 20% from gateway" in line for line in lines)


def test_no_graphviz_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    capsys.readouterr()
    assert main(["lab", "show", "tp", "--svg", str(tmp_path / "tp.svg")]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "graphviz" in err
    assert not (tmp_path / "tp.svg").exists()


@pytest.mark.privileged
def test_status_svg_and_notebook_view_of_a_running_lab(lab_tp: Any, tmp_path: Path) -> None:
    svg = tmp_path / "status.svg"
    assert main(["lab", "status", lab_tp.name, "--svg", str(svg)]) == 0
    assert lab_tp._repr_svg_() == svg.read_text()
    kernel = {name: lab_tp[name].run(addresses) for name in lab_tp.nodes}
    wanted = [lab_tp.name, *lab_tp.nodes]
    for found in kernel.values():
        wanted.extend(a for a in found if ":" not in a.split("/")[0])  # IPv4 ones
    shown = render(svg)
    shown.assert_readable(wanted)
    v6 = [a for found in kernel.values() for a in found if ":" in a]
    assert v6 and not shown.missing(v6)
