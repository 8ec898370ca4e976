"""``paquet.lab.traffic`` in the tp lab: the mixed traffic is echoed by the lab's services
(and fails loudly where nothing echoes), the Paris traceroute flows keep their source ports
and reach the server, every answer from an address of the lab (the kernels' addresses are
the oracle)."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from paquet.lab.traffic import mixed_traffic, paris_pairs
from paquet.layers import IP, TCP

pytestmark = pytest.mark.privileged


def _kernel_addresses(node: Any) -> set[str]:
    out = node.exec(["ip", "-br", "-4", "addr"], timeout=10).stdout
    return {word.split("/")[0] for line in out.splitlines() for word in line.split()[2:]}


def test_mixed_traffic_is_echoed(lab_tp: Any) -> None:
    lab_tp["client"].run(mixed_traffic, lab_tp["server"].addr(), lab_tp["remote"].addr())


def test_mixed_traffic_without_echo_fails(lab_tp: Any) -> None:
    # (the client itself runs no echo service: its kernel refuses the connection)
    with pytest.raises((ConnectionRefusedError, subprocess.CalledProcessError, TimeoutError)):
        lab_tp["client"].run(mixed_traffic, lab_tp["client"].addr(), lab_tp["client"].addr())


def test_paris_pairs_keep_their_flows(lab_tp: Any) -> None:
    sports = [41000, 41001, 41002]
    server = lab_tp["server"].addr()
    pairs = lab_tp["client"].run(paris_pairs, server, sports, 3)
    assert pairs
    lab_addresses = set().union(*(_kernel_addresses(n) for n in lab_tp.nodes.values()))
    for sent, answer in pairs:
        probe, reply = IP(sent), IP(answer)
        assert probe[TCP].sport in sports and probe[TCP].dport == 80 and probe.ttl <= 3
        assert probe.dst == server and reply.src in lab_addresses
    assert {IP(s)[TCP].sport for s, r in pairs if IP(r).src == server} == set(sports)
