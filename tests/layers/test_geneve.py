"""GENEVE (RFC 8926) over UDP 6081: the same bytes as Scapy's contrib (option lengths and
``optionlen`` computed), the same dissection as tshark, hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import IP, UDP, Ether
from paquet.layers.geneve import GENEVE, GeneveOptions
from paquet.packet import registry

from .scapy_compare import (
    ETH,
    IN,
    IP4,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    build,
    colon_hex,
    one,
    tshark_layers,
    values,
)

pytest.importorskip("scapy.all")

OPT = "GeneveOptions(classid=0x0102, type=0x80, data=b'\\x00\\x01\\x00\\x02')"

CONSTRUCTIONS = [
    "GENEVE()",
    "GENEVE(vni=0xABCDEF, oam=1, critical=1, reserved=5, reserved2=9, version=1)",
    f"GENEVE(options=[{OPT}])",
    f"GENEVE(options=[{OPT}, GeneveOptions(classid=0xFFFF, type=1, data=b'abcdefgh')])",
    "GENEVE(optionlen=3, options=[GeneveOptions(length=2, data=b'xy')])",
    "GeneveOptions(data=b'abcd')",
    "GeneveOptions(reserved=7, data=b'ab')",
    f"GENEVE(vni=42) / {IN} / {IP4}",
    f"GENEVE() / {IP4} / ICMP()",
    "GENEVE() / IPv6(src='2001:db8::1', dst='2001:db8::2')",
    f"{ETH} / {IP4} / UDP(sport=5000, dport=6081) / GENEVE(vni=7, options=[{OPT}]) / {IN}",
    f"{IP4} / UDP(sport=1) / GENEVE(proto=0x0800) / {IP4}",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_bindings_and_answers() -> None:
    assert registry.payload_class(UDP, {"sport": 1, "dport": 6081}) is GENEVE
    pkt = UDP(bytes(UDP(sport=1) / GENEVE() / Ether()))
    assert pkt.dport == 6081 and pkt[GENEVE].proto == 0x6558 and Ether in pkt
    req = GENEVE(vni=5) / IP(dst="192.0.2.2") / UDP()
    assert GENEVE(vni=5) / IP(src="192.0.2.2") / UDP(sport=53, dport=53) is not None
    assert not GENEVE(vni=6).answers(req)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=5000 + i, dport=6081) / g
        / Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02")
        / IP(src="198.51.100.1", dst="198.51.100.2")
        for i, g in enumerate([
            GENEVE(vni=0x42),
            GENEVE(vni=0xFFFFFF, oam=1, critical=1),
            GENEVE(options=[GeneveOptions(classid=0x0102, type=0x80, data=b"abcd")]),
            GENEVE(options=[GeneveOptions(classid=0x0101, type=1, data=b"12345678"),
                            GeneveOptions(classid=0xFFFF, type=0x7F)]),
        ])
    ]
    trees = tshark_layers(tmp_path, frames)
    for tree, frame in zip(trees, frames, strict=True):
        pkt = Ether(bytes(frame))
        g = pkt[GENEVE]
        assert int(one(tree, "geneve.version")) == g.version
        assert int(values(tree, "geneve.option.length")[0]) == 4 * g.optionlen
        assert int(one(tree, "geneve.flags.oam")) == g.oam
        assert int(one(tree, "geneve.flags.critical")) == g.critical
        assert int(one(tree, "geneve.proto_type"), 16) == g.proto
        assert int(one(tree, "geneve.vni"), 16) == g.vni
        assert values(tree, "geneve.option.class") == [f"0x{o.classid:04x}" for o in g.options]
        assert values(tree, "geneve.option.type") == [f"0x{o.type:02x}" for o in g.options]
        assert values(tree, "geneve.option.length")[1:] == [str(4 + 4 * o.length)
                                                           for o in g.options]
        data = [colon_hex(o.data) for o in g.options if o.data]
        assert [v for v in values(tree, "geneve.option.unknown.data") if v] == data
        assert values(tree, "eth.src") == [pkt.src, g.payload.src]
        assert values(tree, "ip.dst") == [pkt[IP].dst, g.payload[IP].dst]


@pytest.mark.parametrize("expr", [CONSTRUCTIONS[3], CONSTRUCTIONS[10]])
def test_hostile_input_is_given_back(expr: str) -> None:
    data = bytes(build("p", expr))
    first = Ether if expr.startswith("Ether") else GENEVE
    assert_hostile_round_trip(first, data, seed=len(data))
