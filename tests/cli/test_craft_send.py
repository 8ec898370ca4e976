"""``paquet craft EXPR --send | --sr1 | --sr`` from a node of the tp lab."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

pytestmark = pytest.mark.privileged


def _paquet(node: Any, *args: str) -> Any:
    return node.exec([sys.executable, "-m", "paquet", *args], timeout=60)


def test_sr1_shows_the_probe_then_the_echo_reply(lab_tp: Any) -> None:
    server = lab_tp["server"].addr(4)
    done = _paquet(lab_tp["client"], "craft", f'IP(dst="{server}")/ICMP()', "--sr1")
    assert done.returncode == 0, done.stderr
    probe, _, answer = done.stdout.partition("Received:")
    assert "###[ ICMP ]###" in probe and "echo-request" in probe
    assert f"src       = {server}" in answer and "echo-reply" in answer


def test_sr1_json_gives_the_answer(lab_tp: Any) -> None:
    server = lab_tp["server"].addr(4)
    done = _paquet(lab_tp["client"], "craft", f'IP(dst="{server}")/UDP(dport=10000)/"miaou"',
                   "--sr1", "--json", "--timeout", "1")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    (row,) = data
    assert row["answer_packet"]["layers"][-1]["fields"]["load"] == b"miaou".hex()
    assert row["query_packet"]["layers"][1]["fields"]["dport"] == 10000
    assert any(r.data == b"miaou" for r in lab_tp["server"].logs("udp:10000"))


def test_nothing_answers_a_filtered_port_exit_1(lab_tp: Any) -> None:
    from paquet.lab import load

    target = load("tp").nodes["target"]
    port = next(r.first for r in target.firewall.drop if r.proto == "tcp")
    address = lab_tp["target"].addr(4)
    done = _paquet(lab_tp["client"], "craft", f'IP(dst="{address}")/TCP(dport={port})',
                   "--sr1", "-q", "--timeout", "0.5")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr


def test_send_counts_what_it_sent(lab_tp: Any) -> None:
    server = lab_tp["server"].addr(4)
    done = _paquet(lab_tp["client"], "craft", f'IP(dst="{server}", ttl=(1, 3))/ICMP()',
                   "--send", "-q")
    assert done.returncode == 0, done.stderr
    assert "Sent 3 packets." in done.stdout


def test_unknown_host_is_one_line_naming_the_host(lab_tp: Any) -> None:
    done = _paquet(lab_tp["client"], "craft", 'IP(dst="no-such-host.invalid")/ICMP()', "--sr1")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no-such-host.invalid" in done.stderr
    assert "no resolver installed" not in done.stderr
