"""Traceroute graphs from real traceroutes: the ``ecmp`` lab (two equal-cost paths, flows
spread by an L4 hash) with its bottom router made silent, traced by several Paris flows at
once; the graph drawn by graphviz and checked in headless Chromium.

Oracles: the lab's own addressing (which router owns which address), Scapy's
``TracerouteResult`` on the same probes and answers, and the browser's layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import render
from draw_helpers import cli

from paquet.lab import Lab
from paquet.lab.topology import builtin_text, parse
from paquet.lab.traffic import paris_pairs
from paquet.layers import IP, TCP
from paquet.net.traceroute import TracerouteResult

pytestmark = pytest.mark.privileged

SPORTS = list(range(40000, 40016))


@pytest.fixture(scope="module")
def ecmp(lab_module_factory: Any) -> Lab:
    text = builtin_text("ecmp").replace("[nodes.bottom]\n", "[nodes.bottom]\nsilent = true\n")
    assert "silent = true" in text
    lab: Lab = lab_module_factory(parse(text))
    return lab


@pytest.fixture(scope="module")
def pairs(ecmp: Lab) -> list[tuple[bytes, bytes]]:
    found: list[tuple[bytes, bytes]] = ecmp["client"].run(
        paris_pairs, ecmp["server"].addr(), SPORTS, 4)
    return found


def _owner(lab: Lab, address: str) -> str:
    return lab.node_of(address).name


def _three_flows(lab: Lab, pairs: list[tuple[bytes, bytes]]) -> TracerouteResult:
    """Two flows through the top router and one through the silent bottom one (the hash
    spreads 16 source ports over both: the lab, not the test, decides which)."""
    full = TracerouteResult([(IP(s), IP(r)) for s, r in pairs])
    by_sport: dict[int, list[Any]] = {}
    for s, r in full.res:
        by_sport.setdefault(s[TCP].sport, []).append((s, r))
    via_top, silent = [], []
    for sport, flow in sorted(by_sport.items()):
        ttl2 = [r for s, r in flow if s[IP].ttl == 2]
        if ttl2 and _owner(lab, ttl2[0][IP].src) == "top":
            via_top.append(sport)
        elif not ttl2:
            silent.append(sport)
    assert len(via_top) >= 2 and silent, (via_top, silent)
    keep = {*via_top[:2], silent[0]}
    return TracerouteResult([(s, r) for s, r in full.res if s[TCP].sport in keep])


def test_paris_flows_merged_with_the_silent_hop(ecmp: Lab, pairs: Any, tmp_path: Path) -> None:
    result = _three_flows(ecmp, pairs)
    paths = result.trace_paths()
    assert len(paths) == 3 and all(p.reached for p in paths)
    owners = [[_owner(ecmp, a[0]) if a else "*" for _t, a in p.hops] for p in paths]
    assert sorted(owners) == [["left", "*", "right", "server"], ["left", "top", "right", "server"],
                              ["left", "top", "right", "server"]]
    graph = result.graph()
    svg = tmp_path / "paths.svg"
    result.graph(target=str(svg))
    assert svg.read_text() == graph.svg() == result.graph().svg()  # deterministic
    assert result._repr_svg_() == graph.svg()  # the notebook's view
    shown = render(svg)
    labels = [ecmp["client"].addr(), ecmp["left"].addr(link="lan"),
              ecmp["top"].addr(link="left_top"), ecmp["right"].addr(link="top_right"),
              ecmp["server"].addr(), "* TTL 2", "f1", "f2", "f3", "flows", "tcp 400"]
    shown.assert_readable(labels)
    assert all(len(line) <= 80 for line in graph.text.splitlines())
    assert "   2  *" in graph.text.splitlines()


def test_text_is_scapys_dot_and_the_hops_scapys(pairs: Any) -> None:
    scapy = pytest.importorskip("scapy.all")
    ours = TracerouteResult([(IP(s), IP(r)) for s, r in pairs])
    theirs = scapy.TracerouteResult([(scapy.IP(s), scapy.IP(r)) for s, r in pairs])
    no_as = type("NoAS", (), {"resolve": lambda self, *ips: []})()
    theirs.make_graph(ASres=no_as)
    assert ours.graph(no_as, string=True) == theirs.graphdef
    assert ours.get_trace() == theirs.get_trace()


def test_paquet_trace_svg(ecmp: Lab, tmp_path: Path) -> None:
    svg = tmp_path / "trace.svg"
    server = ecmp["server"].addr()
    assert ecmp["client"].run(cli, ["trace", "-n", "-T", "-p", "80", "-q", "1", "-w", "1",
                                    "-m", "5", server, "--svg", str(svg)]) == 0
    render(svg).assert_readable(["this host", ecmp["left"].addr(link="lan"), server])
