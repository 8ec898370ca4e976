"""PacketList as a base class: a subclass of (sent, received) pairs, as sr's lists are."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from paquet.layers import ICMP, IP, TCP, UDP
from paquet.plist import PacketList


class PairList(PacketList):
    """What the network engineer's answered list looks like: (sent, received) pairs."""

    def _elt2pkt(self, elt: Any) -> Any:
        return elt[1]

    def _elt2sum(self, elt: Any) -> str:
        return f"{elt[0].summary()} ==> {elt[1].summary()}"


def pairs() -> PairList:
    sent = [IP(dst="192.0.2.1") / TCP(dport=80), IP(dst="192.0.2.1") / UDP(dport=53)]
    answers = [IP(src="192.0.2.1") / TCP(sport=80, flags="SA"), IP(src="192.0.2.1") / ICMP()]
    return PairList(list(zip(sent, answers, strict=True)), name="Results")


def test_subclass_counts_and_lines(capsys: pytest.CaptureFixture[str]) -> None:
    res = pairs()
    assert repr(res) == "<Results: TCP:1 UDP:0 ICMP:1 Other:0>"
    res.nsummary()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("0000 IP / TCP ") and " ==> IP / TCP " in lines[0]
    assert (
        isinstance(res[:1], PairList)
        and repr(res[:1]) == "<mod Results: TCP:1 UDP:0 ICMP:0 Other:0>"
    )
    only_icmp = res.filter(lambda s, r: r.haslayer("ICMP"))
    assert isinstance(only_icmp, PairList) and len(only_icmp) == 1
    assert isinstance(res[TCP], PairList) and len(res[TCP]) == 1


def test_generic_elements(capsys: pytest.CaptureFixture[str]) -> None:
    plain = PacketList([b"\x00" * 20, b"\x01" * 3])
    assert repr(plain) == "<PacketList: TCP:0 UDP:0 ICMP:0 Other:2>"
    plain.summary()
    assert capsys.readouterr().out.splitlines()[1] == "Raw 3 bytes 010101"
    plain.hexdump()
    assert "0000  01 01 01" in capsys.readouterr().out
    both = plain + PacketList([b"\x02"], name="more")
    assert len(both) == 3 and isinstance(both, PacketList)
    assert both.to_dicts()[2]["data"] == "02"
    back = pickle.loads(pickle.dumps(PacketList([b"x"], name="kept", stats=["UDP"])))
    assert repr(back) == "<kept: UDP:0 Other:1>" and list(back) == [b"x"]
