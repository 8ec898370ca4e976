"""ERSPAN types I, II, III over GRE: the same bytes and dissection as Scapy's contrib,
tshark's reading of the headers, hostile input given back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import IP, Ether
from paquet.layers.erspan import ERSPAN_II, ERSPAN_III, ERSPAN_PlatformSpecific
from paquet.layers.gre import GRE

from .scapy_compare import (
    ETH,
    IN,
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
    f"GRE() / ERSPAN_I() / {IN}",
    f"GRE() / ERSPAN_II() / {IN}",
    f"GRE() / ERSPAN_II(vlan=100, cos=5, en=3, t=1, session_id=1023, index=0xFFFFF) / {IN}",
    f"GRE() / ERSPAN_III() / {IN} / {IP4I}",
    f"GRE() / ERSPAN_III(timestamp=0xDEADBEEF, sgt_other=7, ft=2, hw=63, gra=2, d=1) / {IN}",
    f"GRE() / ERSPAN_III() / ERSPAN_PlatformSpecific(platf_id=3, info1=5, info2=9) / {IN}",
    f"{ETH} / {IP4} / GRE(seqnum_present=1, sequence_number=4) / ERSPAN_II(session_id=9) / "
    f"{IN} / {IP4I} / ICMP()",
    f"{ETH} / {IP4} / GRE(proto=0x88be) / (b'\\x20\\x00\\x00\\x00' + bytes(12))",
    f"{ETH} / {IP4} / GRE(proto=0x88be) / (b'\\x10\\x05\\x00\\x00' + bytes(20))",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_gre_fields_follow_the_type() -> None:
    two = GRE(bytes(GRE() / ERSPAN_II() / Ether()))
    assert (two.proto, two.seqnum_present) == (0x88BE, 1) and ERSPAN_II in two
    three = GRE(bytes(GRE() / ERSPAN_III() / ERSPAN_PlatformSpecific() / Ether()))
    assert three.proto == 0x22EB and three[ERSPAN_III].o == 1
    assert ERSPAN_PlatformSpecific in three and Ether in three


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_reads_type_two_as_we_do(tmp_path: Path) -> None:
    frames = [build("p", CONSTRUCTIONS[6])]
    tree = tshark_layers(tmp_path, frames)[0]
    e = Ether(bytes(frames[0]))[ERSPAN_II]
    assert int(one(tree, "erspan.version"), 0) == e.ver
    assert int(one(tree, "erspan.spanid"), 0) == e.session_id
    assert int(one(tree, "erspan.vlan"), 0) == e.vlan


@pytest.mark.parametrize("expr", [CONSTRUCTIONS[6], CONSTRUCTIONS[7]])
def test_hostile_input_is_given_back(expr: str) -> None:
    assert_hostile_round_trip(Ether, bytes(build("p", expr)), seed=0x88BE)


def test_ip_layer_is_kept_under_gre() -> None:
    pkt = Ether(bytes(build("p", CONSTRUCTIONS[6])))
    assert pkt[IP].proto == 47 and pkt[GRE].payload.name == "ERSPAN II"
