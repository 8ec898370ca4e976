"""L2TPv2 (RFC 2661): the same bytes and dissection as Scapy, tshark's reading of the header,
hostile input given back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import UDP, Ether
from paquet.layers.l2tp import L2TP

from .scapy_compare import (
    ETH,
    IP4,
    IP4I,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    build,
    one,
    tshark_layers,
)

pytest.importorskip("scapy.all")


CONSTRUCTIONS = [
    "L2TP()",
    "L2TP(hdr='control+length', tunnel_id=1, session_id=2)",
    "L2TP(hdr='control+length+sequence', tunnel_id=5, ns=3, nr=4)",
    "L2TP(hdr='length', len=99, tunnel_id=1)",
    "L2TP(hdr='sequence', ns=1, nr=2, session_id=9)",
    "L2TP(hdr='offset', offset=4, pad=b'abcd') / b'data'",
    "L2TP(hdr='offset', offset=4) / b'data'",
    "L2TP(hdr='offset+priority+sequence', offset=0, ns=7)",
    "L2TP(hdr='control+offset', tunnel_id=3)",
    f"{ETH} / {IP4} / UDP() / L2TP(tunnel_id=4, session_id=8) / PPP() / {IP4I} / ICMP()",
    f"{ETH} / {IP4} / UDP(sport=1701, dport=40000) / L2TP(hdr='control+length', "
    "tunnel_id=1)",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_the_length_is_the_whole_message() -> None:
    data = bytes(L2TP(hdr="control+length", tunnel_id=1) / b"12345678")
    assert int.from_bytes(data[2:4], "big") == len(data) == 20
    assert bytes(UDP() / L2TP())[:4] == b"\x06\xa5\x06\xa5"  # port 1701 both ways


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_reads_the_header_as_we_do(tmp_path: Path) -> None:
    frames = [build("p", CONSTRUCTIONS[-2]), build("p", CONSTRUCTIONS[-1])]
    for tree, frame in zip(tshark_layers(tmp_path, frames), frames, strict=True):
        hdr = Ether(bytes(frame))[L2TP]
        assert int(one(tree, "l2tp.tunnel"), 0) == hdr.tunnel_id
        assert int(one(tree, "l2tp.session"), 0) == hdr.session_id
        assert int(one(tree, "l2tp.version"), 0) == hdr.version


@pytest.mark.parametrize("expr", [CONSTRUCTIONS[-2], CONSTRUCTIONS[-1]])
def test_hostile_input_is_given_back(expr: str) -> None:
    assert_hostile_round_trip(Ether, bytes(build("p", expr)), seed=1701)
