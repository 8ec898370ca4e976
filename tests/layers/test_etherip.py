"""EtherIP (RFC 3378): the same bytes and dissection as Scapy's contrib, tshark's reading of
the header, hostile input given back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import ICMP, IP, Ether
from paquet.layers.etherip import EtherIP

from .scapy_compare import (
    ETH,
    IN,
    IP4,
    IP4I,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    one,
    tshark_layers,
    values,
)

pytest.importorskip("scapy.all")


CONSTRUCTIONS = [
    "EtherIP()",
    "EtherIP(version=15, reserved=0xABC)",
    f"EtherIP() / {IN}",
    f"{IP4} / EtherIP() / {IN} / {IP4I} / ICMP()",
    f"{ETH} / {IP4} / EtherIP() / {IN} / {IP4I} / UDP(sport=1, dport=2) / b'data'",
    f"{ETH} / {IP4} / EtherIP(version=4) / {IN} / ARP(psrc='198.51.100.1', "
    "pdst='198.51.100.2', hwsrc='02:00:00:00:0a:01')",
    f"{ETH} / IP(src='192.0.2.1', dst='192.0.2.2', frag=1, proto=97) / b'not a header'",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_ip_protocol_97_carries_ethernet() -> None:
    inner = Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02") / IP(
        src="198.51.100.1", dst="198.51.100.2") / ICMP()
    data = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / EtherIP() / inner)
    assert data[9] == 97 and data[20:22] == b"\x30\x00"
    pkt = IP(data)
    assert ICMP in pkt and bytes(pkt[EtherIP].payload) == bytes(inner)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_reads_the_header_as_we_do(tmp_path: Path) -> None:
    frames = [
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="192.0.2.2") / EtherIP(version=v)
        / Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02")
        / IP(src="198.51.100.1", dst="198.51.100.2") / ICMP()
        for v in (3, 4)
    ]
    for tree, frame in zip(tshark_layers(tmp_path, frames), frames, strict=True):
        assert int(one(tree, "etherip.ver"), 0) == frame[EtherIP].version
        assert int(one(tree, "etherip.reserved"), 16) == frame[EtherIP].reserved
        assert values(tree, "ip.src") == ["192.0.2.1", "198.51.100.1"]  # the inner frame too


@pytest.mark.parametrize("expr", [CONSTRUCTIONS[3], CONSTRUCTIONS[4]])
def test_hostile_input_is_given_back(expr: str) -> None:
    from .scapy_compare import build

    data = bytes(build("p", expr))
    first = IP if expr.startswith("IP") else Ether
    assert_hostile_round_trip(first, data, seed=97)
