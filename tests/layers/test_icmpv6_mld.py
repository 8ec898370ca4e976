"""MLD, MLDv2 and multicast router discovery: Scapy's bytes and fields, tshark's dissection,
cuts kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.layers.ipv6_family import (
    both,
    cuts_round_trip,
    layer_pairs,
    same_fields,
    tshark_layers,
    values,
)

from paquet.layers import Ether, IPv6
from paquet.layers.icmpv6_mld import (
    ICMPv6MLDMultAddrRec,
    ICMPv6MLDone,
    ICMPv6MLQuery,
    ICMPv6MLQuery2,
    ICMPv6MLReport,
    ICMPv6MLReport2,
)
from paquet.layers.ipv6 import IPv6ExtHdrHopByHop
from paquet.layers.ipv6_options import RouterAlert

HBH = "IPv6(src='fe80::1')/IPv6ExtHdrHopByHop(options=[RouterAlert()])/"
CONSTRUCTIONS = [
    "ICMPv6MLQuery()",
    "ICMPv6MLQuery(mladdr='ff02::fb', mrd=100)",
    "ICMPv6MLReport(mladdr='ff02::1:ff00:1')",
    "ICMPv6MLDone(mladdr='ff02::fb')",
    "ICMPv6MLQuery2()",
    "ICMPv6MLQuery2(sources=['2001:db8::1', '2001:db8::2'], S=1, QRV=2, QQIC=125)",
    "ICMPv6MLDMultAddrRec(dst='ff02::fb', sources=['2001:db8::1'], auxdata=b'abcd')",
    "ICMPv6MLReport2()",
    "ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(), ICMPv6MLDMultAddrRec(rtype=2, "
    "sources=['::1'], auxdata='scapy')])",
    "ICMPv6MRD_Advertisement(queryint=125, robustness=2)",
    "ICMPv6MRD_Solicitation()",
    "ICMPv6MRD_Termination()",
    "IPv6(src='fe80::1')/ICMPv6MLQuery()",
    "IPv6(src='fe80::1')/ICMPv6MLReport(mladdr='ff02::fb')",
    "IPv6(src='fe80::1')/ICMPv6MLDone(mladdr='ff02::fb')",
    "IPv6(src='fe80::1')/ICMPv6MLQuery2(sources=['2001:db8::1'])",
    "IPv6(src='fe80::1')/ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(dst='ff02::fb')])",
    "IPv6(src='fe80::1')/ICMPv6MRD_Advertisement()",
    HBH + "ICMPv6MLQuery2(sources=['::1'])",
    HBH + "ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(sources=['::1'], auxdata='x')])",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    ours, theirs = both(expr)
    data = bytes(theirs)
    mine, scapys = type(ours)(data), type(theirs)(data)
    assert bytes(mine) == data
    for a, b in layer_pairs(mine, scapys):
        if type(a).__name__ not in ("Raw", "Padding"):
            same_fields(a, b)


def test_query_version_by_length_and_answers() -> None:
    v1 = IPv6(bytes(IPv6() / ICMPv6MLQuery()))
    v2 = IPv6(bytes(IPv6() / ICMPv6MLQuery2()))
    assert type(v1.payload) is ICMPv6MLQuery and type(v2.payload) is ICMPv6MLQuery2
    assert v1.dst == "ff02::1" and v1.hlim == 1
    for reply, probe in (("ICMPv6MLReport()", "ICMPv6MLQuery()"),
                         ("ICMPv6MLReport2()", "ICMPv6MLQuery2()"),
                         ("ICMPv6MLReport2()", "ICMPv6MLQuery()"),
                         ("ICMPv6MLReport()", "ICMPv6MLQuery2()")):
        for under in (HBH.replace("src='fe80::1'", ""),):
            ours_r, theirs_r = both(under + reply)
            ours_p, theirs_p = both(under + probe)
            assert ours_r.answers(ours_p) == theirs_r.answers(theirs_p), (under, reply, probe)
    assert IPv6(bytes(IPv6() / ICMPv6MLDone())).dst == "ff02::2"


def test_records_are_a_list() -> None:
    recs = [ICMPv6MLDMultAddrRec(dst="ff02::fb", sources=["2001:db8::1", "2001:db8::2"]),
            ICMPv6MLDMultAddrRec(rtype=3, dst="ff02::1:3", auxdata=b"\x00" * 4)]
    p = ICMPv6MLReport2(bytes(ICMPv6MLReport2(records=recs)))
    assert p.records_number == 2 and [r.dst for r in p.records] == ["ff02::fb", "ff02::1:3"]
    assert p.records[0].sources == ["2001:db8::1", "2001:db8::2"]
    assert p.records[1].auxdata == b"\x00" * 4


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    recs = [ICMPv6MLDMultAddrRec(dst="ff02::fb", sources=["2001:db8::5"]),
            ICMPv6MLDMultAddrRec(rtype=2, dst="ff02::1:3")]
    frames = [
        Ether() / IPv6(src="fe80::1") / ICMPv6MLQuery(mladdr="ff02::fb", mrd=500),
        Ether() / IPv6(src="fe80::1") / ICMPv6MLReport(mladdr="ff02::fb"),
        Ether() / IPv6(src="fe80::1") / ICMPv6MLDone(mladdr="ff02::fb"),
        Ether() / IPv6(src="fe80::1") / ICMPv6MLQuery2(mladdr="ff02::fb", QRV=2, QQIC=125,
                                                       sources=["2001:db8::5"]),
        Ether() / IPv6(src="fe80::1", dst="ff02::16") / IPv6ExtHdrHopByHop(options=[RouterAlert()])
        / ICMPv6MLReport2(records=recs),
    ]
    trees = tshark_layers(frames, tmp_path)
    for frame, tree in zip(frames, trees, strict=True):
        assert values(tree["ipv6"], "ipv6.dst") == [frame[IPv6].dst]
        assert values(tree["icmpv6"], "icmpv6.checksum.status") == ["1"]
    assert values(trees[0], "icmpv6.mld.maximum_response_delay") == ["500"]
    for tree in trees[:3]:
        assert values(tree, "icmpv6.mld.multicast_address") == ["ff02::fb"]
    assert values(trees[3], "icmpv6.mld.flag.qrv") == ["2"]
    assert values(trees[3], "icmpv6.mld.qqi") == ["125"]
    assert values(trees[3], "icmpv6.mld.source_address") == ["2001:db8::5"]
    assert values(trees[4], "icmpv6.mldr.nb_mcast_records") == ["2"]
    assert values(trees[4], "icmpv6.mldr.mar.record_type") == ["4", "2"]
    assert values(trees[4], "icmpv6.mldr.mar.multicast_address") == ["ff02::fb", "ff02::1:3"]
    assert values(trees[4], "icmpv6.mldr.mar.source_address") == ["2001:db8::5"]
    assert values(trees[4], "ipv6.opt.router_alert") == ["0"]


@pytest.mark.parametrize("expr", CONSTRUCTIONS[:12])
def test_cuts_give_their_bytes_back(expr: str) -> None:
    ours = both(expr)[0]
    cuts_round_trip(type(ours), bytes(ours))
