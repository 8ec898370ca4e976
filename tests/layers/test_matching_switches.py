"""Scapy's switches for matching replies (conf.checkIPsrc, checkIPID, checkIPinIP), side by
side with Scapy's on the same packets, each setting in turn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import scapy.all as sa

import paquet
from paquet.net.conf import conf

SWITCHES = ("checkIPsrc", "checkIPID", "checkIPinIP")


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    ours = {k: getattr(conf, k) for k in SWITCHES}
    theirs = {k: getattr(sa.conf, k) for k in SWITCHES}
    yield
    for k in SWITCHES:
        setattr(conf, k, ours[k])
        setattr(sa.conf, k, theirs[k])


def _pair(lib: Any) -> list[tuple[Any, Any]]:
    """(query, answer) candidates: ICMP errors quoting the query (a NAT rewrote the source,
    the id, swapped its bytes), and tunnelled echoes."""
    q = lib.IP(id=0x1234, src="198.51.100.7", dst="192.0.2.1") / lib.ICMP(id=26, seq=1)
    quote = {"dst": "192.0.2.1", "proto": 1}
    out = []
    for src, ip_id in (("198.51.100.7", 0x1234), ("203.0.113.9", 0x1234),
                       ("198.51.100.7", 0x3412), ("198.51.100.7", 0x9999)):
        err = lib.IP(src="192.0.2.254", dst="198.51.100.7") / lib.ICMP(type=11) / lib.IPerror(
            id=ip_id, src=src, **quote) / lib.ICMPerror(id=26, seq=1)
        out.append((q, err))
    p1 = lib.IP(src="192.0.2.1", dst="192.0.2.2") / lib.ICMP(type=8)
    p2 = lib.IP(src="192.0.2.2", dst="192.0.2.1") / lib.ICMP(type=0)
    for outer in (lib.IP(src="198.51.100.1", dst="198.51.100.2"),
                  lib.IPv6(src="2001:db8::1", dst="2001:db8::2")):
        out += [(outer / p1, p2), (p1, outer / p2)]
    return out


@pytest.mark.parametrize("switch", SWITCHES)
@pytest.mark.parametrize("value", [True, False])
def test_answers_and_hashret_follow_the_switches_as_scapy(switch: str, value: bool) -> None:
    setattr(conf, switch, value)
    setattr(sa.conf, switch, value)
    ours, theirs = _pair(paquet), _pair(sa)
    for (q, a), (sq, sa_) in zip(ours, theirs, strict=True):
        assert a.answers(q) == bool(sa_.answers(sq)), (switch, value, sa_.summary())
        assert (a.hashret() == q.hashret()) == (sa_.hashret() == sq.hashret()), sa_.summary()
