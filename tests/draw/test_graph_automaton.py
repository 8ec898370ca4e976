"""``Automaton.graph()`` drawn: paquet's ``TCP_client`` state machine rendered by graphviz and
checked in headless Chromium; its transitions (the text form) are those of Scapy's own
``TCP_client`` graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import render

from paquet.net.tcp_client import TCP_client

_EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)"', re.M)


def test_tcp_client_graph_in_the_browser(tmp_path: Path) -> None:
    graph = TCP_client.graph()
    svg = tmp_path / "tcp_client.svg"
    assert TCP_client.graph(target=str(svg)) is None
    assert svg.read_text() == graph.svg()  # the same picture every time
    states = sorted(TCP_client.states)
    conditions = sorted({name for name in re.findall(r'label="([A-Za-z_]+)', graph)})
    assert len(states) >= 4 and conditions
    render(svg).assert_readable([*states, *conditions])
    edges = [tuple(line.split("  ")[0].split(" -> ")) for line in graph.text.splitlines()]
    assert sorted(edges) == sorted(_EDGE.findall(graph))
    assert all(len(line) <= 80 for line in graph.text.splitlines())


def test_transitions_are_scapys() -> None:
    scapy = pytest.importorskip("scapy.all")
    ours = sorted(_EDGE.findall(TCP_client.build_graph()))
    assert ours == sorted(_EDGE.findall(scapy.TCP_client.build_graph()))
