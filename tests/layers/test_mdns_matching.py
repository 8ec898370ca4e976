"""A query to mDNS's IPv4 group is answered by whoever has the name: its hash for matching
leaves the addresses out, as Scapy's IP.hashret does (sr() then pairs the answer from any
host with the query sent to the group)."""

from __future__ import annotations

from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402


def _query(ns: Any, dst: str) -> Any:
    return ns.IP(src="192.0.2.10", dst=dst) / ns.UDP(sport=5353, dport=5353) / ns.Raw(b"q")


@pytest.mark.parametrize("dst", ["224.0.0.251", "224.0.0.252", "192.0.2.1"])
def test_the_hash_is_scapys(dst: str) -> None:
    src = "192.0.2.10"
    assert paquet.IP(src=src, dst=dst).hashret() == scapy_all.IP(src=src, dst=dst).hashret()
    assert _query(paquet, dst).hashret() == _query(scapy_all, dst).hashret()


def test_an_answer_from_any_host_has_the_querys_hash() -> None:
    query = _query(paquet, "224.0.0.251")
    answer = (paquet.IP(src="192.0.2.77", dst="192.0.2.10")
              / paquet.UDP(sport=5353, dport=5353) / paquet.Raw(b"a"))
    assert answer.hashret() != query.hashret()  # its own destination is not the group...
    assert paquet.IP(dst="224.0.0.251").hashret() == b"\x00"  # ...the query's hash has none
