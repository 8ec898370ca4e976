"""Padding between layers assembled as Scapy assembles it, and layer lookups with a filter."""

from __future__ import annotations

import pytest
import scapy.all as sa

from paquet import IP, TCP, UDP, Padding, Raw


def _stack(lib: object, parts: list[tuple[str, bytes]]) -> bytes:
    layers = [getattr(lib, kind)(data) for kind, data in parts]
    pkt = layers[0]
    for layer in layers[1:]:
        pkt = pkt / layer
    return bytes(pkt)


@pytest.mark.parametrize("parts", [
    [("Padding", b"abc")],
    [("Padding", b"abc"), ("Padding", b"def")],
    [("Raw", b"ABC"), ("Padding", b"abc"), ("Padding", b"def")],
    [("Raw", b"ABC"), ("Padding", b"abc"), ("Raw", b"DEF"), ("Padding", b"def")],
    [("Padding", b"p"), ("Raw", b"DATA"), ("Padding", b"q"), ("Raw", b"MORE")],
])
def test_paddings_go_last_in_order_as_scapy(parts: list[tuple[str, bytes]]) -> None:
    import paquet

    assert _stack(paquet, parts) == _stack(sa, parts)


def test_padding_is_not_counted_in_lengths_as_scapy() -> None:
    for tail in ([Padding(b"abc")], [Raw(b"ABC"), Padding(b"abc"), Padding(b"def")]):
        ours = IP(src="192.0.2.1", dst="192.0.2.2") / UDP()
        theirs = sa.IP(src="192.0.2.1", dst="192.0.2.2") / sa.UDP()
        for layer in tail:
            ours = ours / layer
            theirs = theirs / getattr(sa, type(layer).__name__)(layer.load)
        assert bytes(ours) == bytes(theirs)
        again = IP(bytes(ours))
        assert (again.len, len(again)) == (sa.IP(bytes(theirs)).len, len(sa.IP(bytes(theirs))))


def test_lookups_with_a_filter_as_scapy() -> None:
    ours = IP() / IP(ttl=3) / IP(ttl=3, tos=1) / TCP()
    theirs = sa.IP() / sa.IP(ttl=3) / sa.IP(ttl=3, tos=1) / sa.TCP()
    assert ours[IP::{"ttl": 3}].tos == theirs[sa.IP::{"ttl": 3}].tos == 0
    assert ours[IP:2:{"ttl": 3}].tos == theirs[sa.IP:2:{"ttl": 3}].tos == 1
    assert ours.getlayer(IP, ttl=3, tos=1) is ours[IP:3]
    assert ours.getlayer(IP, ttl=99) is None and theirs.getlayer(sa.IP, ttl=99) is None
    with pytest.raises(IndexError):
        ours[IP::{"ttl": 99}]
    with pytest.raises(IndexError):
        theirs[sa.IP::{"ttl": 99}]


@pytest.mark.parametrize("expr", [
    "IP(ttl=64)/ICMP()",
    "IP(ttl=64, tos=0, src='198.51.100.1', dst='192.0.2.1')/TCP(dport=80, flags='S', window=8192)",
    "Ether(type=0x800)/IP(version=4, ihl=None)/UDP(sport=53, dport=53)",
])
def test_hide_defaults_as_scapy(expr: str) -> None:
    ns: dict[str, object] = {}
    exec("from paquet import *", ns)
    ours, theirs = eval(expr, ns), eval(expr, vars(sa))
    ours.hide_defaults()
    theirs.hide_defaults()
    assert repr(ours) == repr(theirs)
    assert bytes(ours) == bytes(theirs)
