"""MPLS label stacks (RFC 3032) and the Ethernet pseudowire's control word (RFC 4448): the
same bytes as Scapy's contrib, the payload chosen by the bottom of stack and the first
nibble as Scapy does, the same dissection as tshark, hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import ICMP, IP, Ether, IPv6, Raw
from paquet.layers.mpls import MPLS, EoMCW

from .scapy_compare import (
    ETH,
    IN,
    IP4,
    IP6,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    build,
    one,
    tshark_layers,
    values,
)

pytest.importorskip("scapy.all")


CONSTRUCTIONS = [
    "MPLS()",
    "MPLS(label=0xFFFFF, cos=7, s=0, ttl=255)",
    f"MPLS(label=100, ttl=64) / {IP4} / ICMP()",
    f"MPLS(label=100, s=0, ttl=64) / MPLS(label=200, cos=5, ttl=63) / {IP4}",
    f"MPLS(s=0) / MPLS(s=0) / MPLS(label=2) / {IP6}",
    f"MPLS(label=0) / {IP4}",
    f"MPLS(label=2) / {IP6}",
    f"MPLS(label=16) / EoMCW(seq=7) / {IN} / {IP4}",
    f"MPLS(label=16) / {IN} / {IP4}",
    f"{ETH} / MPLS(label=17, ttl=9) / {IP4} / UDP(sport=1, dport=2)",
    f"{ETH} / MPLS(s=0) / MPLS() / {IP6}",
    f"{IP4} / MPLS() / {IP4}",
    f"{IP6} / MPLS() / {IP6}",
    f"{IP4} / UDP(sport=1) / MPLS() / {IP4}",
    f"{IP4} / GRE() / MPLS(label=30) / {IP4}",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


@pytest.mark.parametrize(("payload", "kind"), [
    (bytes(IP()), IP), (bytes(IPv6()), IPv6), (b"\x00\x00\x00\x00" + bytes(Ether()), EoMCW),
    (bytes(Ether(dst="02:00:00:00:00:02")), Ether), (b"\x50abc", Raw),
    (b"\x00", Raw),  # (an Ethernet header cut short; Scapy's contrib raises IndexError)
])
def test_bottom_of_stack_chooses_by_the_first_nibble(payload: bytes, kind: type) -> None:
    pkt = MPLS(bytes(MPLS(s=0)) + bytes(MPLS(s=1)) + payload)
    assert isinstance(pkt.payload, MPLS) and isinstance(pkt.payload.payload, kind)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    inner = Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02")
    ip = IP(src="192.0.2.1", dst="192.0.2.2")
    frames = [
        eth / MPLS(label=100, cos=3, s=0, ttl=64) / MPLS(label=200, ttl=63) / ip / ICMP(),
        eth / MPLS(label=0xFFFFF, cos=7, ttl=1) / IPv6(src="2001:db8::1", dst="2001:db8::2"),
        eth / MPLS(label=16, ttl=5) / EoMCW(seq=9) / inner / ip,
    ]
    # Which label carries an Ethernet pseudowire is configured, never guessed by tshark.
    trees = tshark_layers(tmp_path, frames, "-d", "mpls.label==16,pwethcw")
    for tree, frame in zip(trees, frames, strict=True):
        pkt = Ether(bytes(frame))
        stack = []
        layer = pkt.payload
        while isinstance(layer, MPLS):
            stack.append(layer)
            layer = layer.payload
        assert values(tree, "mpls.label") == [str(m.label) for m in stack]
        assert values(tree, "mpls.exp") == [str(m.cos) for m in stack]
        assert values(tree, "mpls.bottom") == [str(m.s) for m in stack]
        assert values(tree, "mpls.ttl") == [str(m.ttl) for m in stack]
        if isinstance(layer, EoMCW):
            assert int(one(tree, "pweth.cw.sequence_number")) == layer.seq
            assert values(tree, "eth.src") == [pkt.src, layer.payload.src]
        if IP in pkt:
            assert one(tree, "ip.dst") == pkt[IP].dst


@pytest.mark.parametrize("expr", [CONSTRUCTIONS[3], CONSTRUCTIONS[7], CONSTRUCTIONS[10]])
def test_hostile_input_is_given_back(expr: str) -> None:
    data = bytes(build("p", expr))
    first = Ether if expr.startswith("Ether") else MPLS
    assert_hostile_round_trip(first, data, seed=len(data))


def test_a_stack_without_a_bottom() -> None:
    data = bytes(MPLS(label=100, s=0, ttl=64)) * 5000 + b"\x45"
    pkt = MPLS(data)
    assert bytes(pkt) == data and len(pkt.layers()) == 5001


ICMP_EXT = ("ICMP(type=11, ext=ICMPExtension_Header() / ICMPExtension_MPLS(stack=["
            "MPLS(label=38659, s=0, ttl=1), MPLS(label=24045, cos=2, ttl=1)]))"
            " / IPerror(src='192.0.2.1', dst='198.51.100.9', ttl=1) / UDPerror(sport=1, dport=2)")


def test_icmp_extension_same_as_scapy() -> None:
    # (show() left out: ICMP's long padding, extpad, is drawn otherwise by Scapy)
    assert_same_as_scapy(ICMP_EXT, show=False)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_icmp_extension_read_by_tshark(tmp_path: Path) -> None:
    from paquet.layers.mpls import ICMPExtension_MPLS

    frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
        src="192.0.2.254", dst="192.0.2.1") / build("p", ICMP_EXT)
    tree = tshark_layers(tmp_path, [frame])[0]
    ext = Ether(bytes(frame))[ICMP].ext
    obj = ext[ICMPExtension_MPLS]
    # (the entries above the bottom carry the next as payload, as in Scapy: one item)
    stack = [m for m in obj.stack[0].iterlayers() if isinstance(m, MPLS)]
    assert len(obj.stack) == 1 and len(stack) == 2
    assert values(tree, "icmp.mpls.label") == [str(m.label) for m in stack]
    assert values(tree, "icmp.mpls.exp") == [str(m.cos) for m in stack]
    assert values(tree, "icmp.mpls.s") == [str(m.s) for m in stack]
    assert values(tree, "icmp.mpls.ttl") == [str(m.ttl) for m in stack]
    assert one(tree, "icmp.ext.checksum.status") == "1"
