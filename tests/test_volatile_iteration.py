"""Iterating a packet draws its random values, as Scapy's iteration does: the packets ``sr()``
sends are fixed, so the answers are matched against the values actually sent."""

from __future__ import annotations

from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402


def _template(ns: Any) -> Any:
    return (ns.IP(dst="192.0.2.1", id=ns.RandShort(), ttl=(1, 3))
            / ns.UDP(sport=ns.RandShort(), dport=53) / ns.Raw(ns.RandString(4)))


@pytest.mark.parametrize("ns", [paquet, scapy_all], ids=["paquet", "scapy"])
def test_each_packet_made_holds_drawn_values(ns: Any) -> None:
    made = list(_template(ns))
    assert len(made) == 3
    for pkt in made:
        sport = pkt[ns.UDP].sport
        assert type(sport) is int and sport == pkt[ns.UDP].sport
        assert bytes(pkt) == bytes(pkt)  # nothing left to draw
        assert type(pkt[ns.IP].id) is int


def test_the_same_kinds_as_scapy() -> None:
    ours, theirs = list(_template(paquet)), list(_template(scapy_all))
    for a, b in zip(ours, theirs, strict=True):
        for name in ("id", "ttl"):
            assert type(getattr(a[paquet.IP], name)) is type(getattr(b[scapy_all.IP], name))
        assert len(bytes(a)) == len(bytes(b))


def test_the_template_keeps_its_random_values() -> None:
    tpl = _template(paquet)
    list(tpl)
    assert type(tpl[paquet.UDP].__dict__["sport"]).__name__ == "RandShort"
    assert len({next(iter(tpl))[paquet.UDP].sport for _ in range(40)}) > 30


def test_answers_match_what_was_sent() -> None:
    sent = next(iter(_template(paquet)))
    reply = (paquet.IP(src="192.0.2.1", dst=sent[paquet.IP].src)
             / paquet.UDP(sport=53, dport=sent[paquet.UDP].sport))
    assert reply.answers(sent)
    assert reply.hashret() == sent.hashret()
