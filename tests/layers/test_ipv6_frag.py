"""fragment6 and defragment6: the same fragments and the same reassembly as Scapy's."""

from __future__ import annotations

import pytest
from tests.layers.ipv6_family import PAQUET_NS, SCAPY_NS, scapy_all

from paquet.fragments6 import defragment6, fragment6
from paquet.layers import IPv6, Raw
from paquet.layers.ipv6 import IPv6ExtHdrFragment

MACS = "src='02:00:00:00:00:01', dst='02:00:00:00:00:02'"
CASES = [
    "IPv6()/IPv6ExtHdrFragment(id=5)/TCP()/Raw(load='A'*40000)",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrHopByHop()"
    "/IPv6ExtHdrFragment(id=3, res1=1, res2=2)/UDP()/Raw(load='B'*3000)",
    f"Ether({MACS})/IPv6()/IPv6ExtHdrFragment(id=9)/TCP()/Raw(load='A'*2000)",
    f"Ether({MACS})/IPv6()/IPv6ExtHdrFragment(id=1)/ICMPv6EchoRequest(data='b'*100)",
    "IPv6()/IPv6ExtHdrFragment(id=2)/UDP()/b'x'",
]


def _both(expr: str) -> tuple[object, object]:
    return eval(expr, dict(PAQUET_NS)), eval(expr, dict(SCAPY_NS))


@pytest.mark.parametrize("size", [1280, 800, 100, 60])
@pytest.mark.parametrize("expr", CASES)
def test_fragments_and_reassembly_equal_scapys(expr: str, size: int) -> None:
    ours, theirs = _both(expr)
    mine, scapys = fragment6(ours, size), scapy_all.fragment6(theirs, size)
    assert [bytes(p) for p in mine] == [bytes(p) for p in scapys]
    assert bytes(defragment6(mine)) == bytes(scapy_all.defragment6(scapys))


def test_a_packet_without_fragment_header_gets_one() -> None:
    ours, theirs = _both("IPv6()/TCP()/Raw(load='A'*4000)")
    mine, scapys = fragment6(ours, 1280), scapy_all.fragment6(theirs, 1280)
    # The identifier is drawn at random: the rest is Scapy's.
    strip = [(bytes(p)[:44] + bytes(p)[48:]) for p in mine]
    assert strip == [(bytes(p)[:44] + bytes(p)[48:]) for p in scapys]
    assert len({p[IPv6ExtHdrFragment].id for p in mine}) == 1
    assert bytes(defragment6(mine)) == bytes(ours)


@pytest.mark.parametrize("missing", [[2], [2, 4, 12, 18], [0], [32]])
def test_missing_fragments_are_filled_as_scapy_fills_them(missing: list[int]) -> None:
    ours, theirs = _both(CASES[0])
    mine, scapys = fragment6(ours, 1280), scapy_all.fragment6(theirs, 1280)
    for i in sorted(missing, reverse=True):
        del mine[i], scapys[i]
    assert bytes(defragment6(mine)) == bytes(scapy_all.defragment6(scapys))


def test_out_of_order_and_strangers() -> None:
    ours = eval(CASES[3], dict(PAQUET_NS))
    frags = fragment6(ours, 100)
    other = fragment6(eval(CASES[4].replace("id=2", "id=77"), dict(PAQUET_NS)), 60)
    whole = defragment6(list(reversed(frags)) + other)
    assert bytes(whole) == bytes(defragment6(frags))
    assert defragment6([IPv6()]) == []
    assert fragment6(Raw(b"not ipv6"), 10)[0].load == b"not ipv6"
