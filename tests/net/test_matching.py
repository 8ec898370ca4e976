"""Matching without sockets: every probe answered at most once, every answer to the right probe.

Property test (hypothesis): probes and their replies built by the engine, replies duplicated,
shuffled and mixed with noise, fed to the matcher ``sr`` uses.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from paquet.net.sendrecv import _Exchange


class _NoChannel:
    layer = 3

    def send_bytes(self, data: bytes) -> int:
        return len(data)


def _exchange(probes: list[Any], multi: bool = False) -> _Exchange:
    return _Exchange(
        _NoChannel(), probes, timeout=0, inter=0, retry=0, multi=multi, verbose=0, first=False
    )


def _replies(kinds: list[tuple[str, int]]) -> list[Any]:
    from paquet.layers import ICMP, IP, TCP, UDP, dissect

    out = []
    for kind, n in kinds:
        if kind == "echo":
            reply = IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(type=0, id=7, seq=n)
        elif kind == "rst":
            reply = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(
                sport=1000 + n, dport=40000, flags="RA", seq=0, ack=n + 1
            )
        elif kind == "unreach":
            quoted = IP(src="192.0.2.2", dst="192.0.2.1") / UDP(sport=41000, dport=2000 + n)
            reply = IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(type=3, code=3) / quoted
        else:  # noise: an echo reply to someone else's identifier
            reply = IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(type=0, id=8, seq=n)
        out.append(dissect(bytes(reply), linktype=101))
    return out


def _probes(n: int) -> list[Any]:
    from paquet.layers import ICMP, IP, TCP, UDP

    out: list[Any] = []
    for i in range(n):
        out.append(IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(id=7, seq=i))
        out.append(
            IP(src="192.0.2.2", dst="192.0.2.1") / TCP(sport=40000, dport=1000 + i, seq=i)
        )
        out.append(IP(src="192.0.2.2", dst="192.0.2.1") / UDP(sport=41000, dport=2000 + i))
    return out


KINDS = st.sampled_from(["echo", "rst", "unreach", "noise"])


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 12),
    replies=st.lists(st.tuples(KINDS, st.integers(0, 15)), max_size=60),
    seed=st.integers(0, 2**32 - 1),
)
def test_each_probe_matched_once_to_its_own_answer(
    n: int, replies: list[tuple[str, int]], seed: int
) -> None:
    probes = _probes(n)
    ex = _exchange(probes)
    packets = _replies(replies)
    random.Random(seed).shuffle(packets)
    for pkt in packets:
        ex.match(pkt)
    expected = {
        3 * k + {"echo": 0, "rst": 1, "unreach": 2}[kind]
        for kind, k in replies
        if kind != "noise" and k < n
    }
    answered = {i for i, got in enumerate(ex.answers) if got}
    assert answered == expected
    for i, got in enumerate(ex.answers):
        assert len(got) <= 1
        for answer in got:
            assert answer.answers(probes[i])
            for j, other in enumerate(probes):  # and no other probe's
                if j != i:
                    assert not answer.answers(other)
    assert len(ex.pairs) == len(expected)
    assert ex.unmatched == len(packets) - len(expected)


def test_multi_keeps_duplicates_and_results_follow_probe_order() -> None:
    probes = _probes(3)
    ex = _exchange(probes, multi=True)
    for pkt in _replies([("echo", 2), ("echo", 2), ("echo", 0)]):
        ex.match(pkt)
    assert [len(a) for a in ex.answers[::3]] == [1, 0, 2]
    single = _exchange(probes)
    for pkt in _replies([("rst", 2), ("echo", 1), ("unreach", 0)]):
        single.match(pkt)
    answered, unanswered = single.results()
    assert [probes.index(q) for q, _a in answered] == [2, 3, 7]
    assert len(unanswered) == len(probes) - 3


def test_multicast_probes_match_any_host_and_check_ip_addr_off_matches_all() -> None:
    from paquet.layers import ICMP, IP, dissect
    from paquet.net.conf import conf

    def reply(src: str, ident: int) -> Any:
        built = IP(src=src, dst="192.0.2.2") / ICMP(type=0, id=ident)
        return dissect(bytes(built), linktype=101)

    probe = IP(src="192.0.2.2", dst="224.0.0.1") / ICMP(id=9)
    ex = _exchange([probe], multi=True)
    for pkt in (reply("192.0.2.5", 9), reply("192.0.2.6", 9), reply("192.0.2.7", 10)):
        ex.match(pkt)
    assert [a.src for a in ex.answers[0]] == ["192.0.2.5", "192.0.2.6"]
    unicast = IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(id=11)
    ex = _exchange([unicast])
    ex.match(reply("192.0.2.9", 11))
    assert ex.answers == [[]]  # another host's reply: not an answer
    conf.checkIPaddr = False
    try:
        ex = _exchange([unicast])
        ex.match(reply("192.0.2.9", 11))
        assert len(ex.answers[0]) == 1  # Scapy's conf.checkIPaddr = False
    finally:
        conf.checkIPaddr = True
