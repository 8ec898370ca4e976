"""IGMP v1/v2/v3 (``paquet/layers/igmp.py``): the same bytes as Scapy for a table of
constructions, the same dissection as Scapy and as tshark, truncated and hostile input kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.layers import igmp as sigmp
from scapy.layers import inet as sinet
from scapy.layers import l2 as sl2

from paquet.layers import IP, Ether
from paquet.layers import igmp as pigmp
from paquet.layers.igmpv3 import IGMPv3gr, IGMPv3mq, IGMPv3mr, IGMPv3mra

from .scapy_compare import Spec, assert_same_layers, needs_tshark
from .scapy_compare import build_stack as build
from .scapy_compare import flipped_cuts as cuts
from .scapy_compare import tshark_pairs as tshark_layers
from .scapy_compare import values as tvalues

NAMES = ["IGMP", "IGMP_MQ", "IGMP_MR", "IGMPv2_MR", "IGMPv2_LG", "IGMPv3", "IGMPv3_MQ",
         "IGMPv3_MR", "IGMPv3_MRA", "IGMPv3_MRS", "IGMPv3_MRT", "IGMPv3_MR_Group"]
P: dict[str, Any] = {"Ether": Ether, "IP": IP, **{n: getattr(pigmp, n) for n in NAMES}}
S: dict[str, Any] = {"Ether": sl2.Ether, "IP": sinet.IP, **{n: getattr(sigmp, n) for n in NAMES}}

HOST = ("IP", {"src": "192.0.2.1"})
# (the engine's tests run without a resolver: the destination MAC is given)
LINK = ("Ether", {"src": "02:00:00:00:00:01", "dst": "01:00:5e:00:00:01"})


def _records(lib: dict[str, Any], *recs: dict[str, Any]) -> list[Any]:
    return [lib["IGMPv3_MR_Group"](**r) for r in recs]


# (description, stack); a "records" value of ("R", [...]) is made of each library's records.
CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("IGMP(): a general query", [("IGMP", {})]),
    ("IGMP by type: a v2 report", [("IGMP", {"type": 0x16, "gaddr": "239.1.2.3"})]),
    ("IGMP by type name: leave", [("IGMP", {"type": "Leave Group", "gaddr": "239.1.2.3"})]),
    ("a v1 report", [("IGMP_MR", {"gaddr": "224.0.1.1"})]),
    ("a v2 report, mrcode set", [("IGMPv2_MR", {"gaddr": "224.0.1.1", "mrcode": 7})]),
    ("a v2 leave", [("IGMPv2_LG", {"gaddr": "239.9.9.9"})]),
    ("a v1/v2 query with a wrong checksum", [("IGMP_MQ", {"chksum": 0x1234})]),
    ("an unknown type", [("IGMP", {"type": 0x40})]),
    ("a v3 query", [("IGMPv3_MQ", {})]),
    ("a v3 query, exponential max resp code",
     [("IGMPv3_MQ", {"mrcode": 3000, "gaddr": "239.1.1.1", "s": 1, "qrv": 2, "qqic": 125,
                     "srcaddrs": ["192.0.2.5", "192.0.2.6"]})]),
    ("a v3 query, mrcode 127 stays linear", [("IGMPv3_MQ", {"mrcode": 127})]),
    ("a v3 query, numsrc forced", [("IGMPv3_MQ", {"numsrc": 9, "srcaddrs": ["192.0.2.5"]})]),
    ("IGMPv3(type=0x22)", [("IGMPv3", {"type": 0x22})]),
    ("a v3 report with records", [("IGMPv3_MR", {"records": "R"})]),
    ("a v3 report, flags and numgrp", [("IGMPv3_MR", {"flags": "extended", "numgrp": 1})]),
    ("router advertisement", [("IGMPv3_MRA", {"advIntvl": 20, "qryIntvl": 125, "robust": 2})]),
    ("router solicitation", [("IGMPv3_MRS", {})]),
    ("router termination", [("IGMPv3_MRT", {})]),
    ("IP: TTL 1, TOS 0xc0, router alert, all systems", [HOST, ("IGMP", {})]),
    ("IP: a group query goes to its group", [HOST, ("IGMP", {"gaddr": "239.5.5.5"})]),
    ("IP: a v2 report goes to its group", [HOST, ("IGMPv2_MR", {"gaddr": "239.5.5.5"})]),
    ("IP: a v1 report goes to its group", [HOST, ("IGMP_MR", {"gaddr": "239.5.5.6"})]),
    ("IP: a leave goes to all routers", [HOST, ("IGMPv2_LG", {"gaddr": "239.5.5.5"})]),
    ("IP: a v3 report to 224.0.0.22", [HOST, ("IGMPv3_MR", {"records": "R"})]),
    ("IP: a v3 query", [HOST, ("IGMPv3_MQ", {"gaddr": "239.1.1.1"})]),
    ("IP: MRA and MRT to 224.0.0.106", [HOST, ("IGMPv3_MRA", {})]),
    ("IP: MRS to all routers", [HOST, ("IGMPv3_MRS", {})]),
    ("IP: the user's TTL, TOS and destination",
     [("IP", {"src": "192.0.2.1", "dst": "198.51.100.7", "ttl": 9, "tos": 0}),
      ("IGMPv2_MR", {"gaddr": "239.1.2.3"})]),
    ("in an Ethernet frame", [LINK, HOST, ("IGMPv2_MR", {"gaddr": "239.1.2.3"})]),
]


def _make(lib: dict[str, Any], spec: Spec) -> Any:
    fixed: Spec = []
    for name, fields in spec:
        if fields.get("records") == "R":
            fields = {**fields, "records": _records(
                lib, {"rtype": 1, "maddr": "239.2.2.2", "srcaddrs": ["192.0.2.7", "192.0.2.8"]},
                {"rtype": 3, "maddr": "239.3.3.3"}, {"auxdlen": 0, "numsrc": 0})}
        fixed.append((name, fields))
    return build(lib, fixed)


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    ours, theirs = _make(P, spec), _make(S, spec)
    assert type(ours).__name__ == type(theirs).__name__, what
    assert bytes(ours) == bytes(theirs), what


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: Spec) -> None:
    data = bytes(_make(S, spec))
    first = spec[0][0] if spec[0][0] in ("Ether", "IP") else "IGMP"
    ours, theirs = P[first](data), S[first](data)
    assert bytes(ours) == data
    if first == "IP":
        ours, theirs = ours.payload, theirs.payload
    elif first == "Ether":
        ours, theirs = ours[IP].payload, theirs[sinet.IP].payload
    assert_same_layers(ours, theirs)
    assert ours.summary() == theirs.summary()


def test_class_chosen_as_scapy() -> None:
    for kwargs in ({}, {"type": 0x11}, {"type": 0x12}, {"type": 0x16}, {"type": 0x17},
                   {"type": 0x22}, {"type": 0x30}, {"type": 0x31}, {"type": 0x32},
                   {"type": 0x99}):
        for base in ("IGMP", "IGMPv3"):
            assert type(P[base](**kwargs)).__name__ == type(S[base](**kwargs)).__name__
    # Bytes: a query of 12 bytes or more is v3, shorter is v1/v2.
    for data in (bytes(sigmp.IGMP()), bytes(sigmp.IGMPv3_MQ()), bytes(sigmp.IGMPv3_MRA()),
                 b"\x22" + b"\x00" * 7, b"\x17" + b"\x00" * 20, b"\x99" + b"\x00" * 7):
        for base in ("IGMP", "IGMPv3"):
            assert type(P[base](data)).__name__ == type(S[base](data)).__name__


def test_contrib_names() -> None:
    assert (IGMPv3mq, IGMPv3gr, IGMPv3mr, IGMPv3mra) == (
        pigmp.IGMPv3_MQ, pigmp.IGMPv3_MR_Group, pigmp.IGMPv3_MR, pigmp.IGMPv3_MRA)


def test_show_and_answers_are_scapys() -> None:
    for name, fields in (("IGMPv3_MQ", {"mrcode": 300, "srcaddrs": ["192.0.2.9"]}),
                         ("IGMPv2_MR", {"gaddr": "239.1.1.1"})):
        data = bytes(S["IP"](src="192.0.2.1") / S[name](**fields))
        assert P["IP"](data).show(dump=True) == S["IP"](data).show(dump=True)
    query, report = P["IGMP"](), P["IGMPv2_MR"](gaddr="239.1.1.1")
    squery, sreport = S["IGMP"](), S["IGMPv2_MR"](gaddr="239.1.1.1")
    assert (report.answers(query), query.answers(report)) == (
        sreport.answers(squery), squery.answers(sreport))


def _frames() -> list[Any]:
    return [_make(P, [LINK, HOST, *spec]) for spec in (
        [("IGMP", {})],
        [("IGMP_MR", {"gaddr": "224.0.1.1"})],
        [("IGMPv2_MR", {"gaddr": "239.1.2.3"})],
        [("IGMPv2_LG", {"gaddr": "239.1.2.3", "mrcode": 3})],
        [("IGMP_MQ", {"gaddr": "239.4.4.4", "mrcode": 100})],
        [("IGMPv3_MQ", {"mrcode": 3000, "gaddr": "239.1.1.1", "s": 1, "qrv": 2, "qqic": 125,
                        "srcaddrs": ["192.0.2.5", "192.0.2.6"]})],
        [("IGMPv3_MQ", {"mrcode": 64})],
        [("IGMPv3_MR", {"records": "R"})],
    )]


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    for layers, pkt in tshark_layers(_frames(), tmp_path):
        igmp = pkt[IP].payload
        tree = layers["igmp"]
        assert int(tvalues(tree, "igmp.type")[0], 16) == igmp.type
        assert tvalues(tree, "igmp.checksum.status") == ["1"]
        assert int(tvalues(tree, "igmp.checksum")[0], 16) == igmp.chksum
        if isinstance(igmp, pigmp.IGMPv3_MR):
            assert int(tvalues(tree, "igmp.num_grp_recs")[0]) == igmp.numgrp
            assert tvalues(tree, "igmp.maddr") == [r.maddr for r in igmp.records]
            assert tvalues(tree, "igmp.record_type") == [str(r.rtype) for r in igmp.records]
            assert tvalues(tree, "igmp.num_src") == [str(r.numsrc) for r in igmp.records]
            assert tvalues(tree, "igmp.saddr") == [a for r in igmp.records for a in r.srcaddrs]
            continue
        assert tvalues(tree, "igmp.maddr") == [igmp.gaddr]
        # tshark gives the v3 max response time decoded, our field's internal value (its
        # attribute reads the code, as Scapy's); v1 has none, an unused byte
        if igmp.type != 0x12:
            assert int(tvalues(tree, "igmp.max_resp")[0]) == igmp.fields["mrcode"]
        if isinstance(igmp, pigmp.IGMPv3_MQ):
            assert tvalues(tree, "igmp.version") == ["3"]
            assert [int(tvalues(tree, k)[0]) for k in ("igmp.s", "igmp.qrv", "igmp.qqic")] == [
                igmp.s, igmp.qrv, igmp.qqic]
            assert tvalues(tree, "igmp.saddr") == igmp.srcaddrs
        else:
            assert tvalues(tree, "igmp.version") == ["1" if igmp.type == 0x12 else "2"]
        assert tvalues(layers, "ip.ttl") == ["1"]
        assert tvalues(layers, "ip.opt.type") and tvalues(layers, "ip.opt.ra") == ["0"]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_hostile_input_kept(index: int) -> None:
    frame = bytes(_frames()[index])
    for data in cuts(frame):
        pkt = Ether(data)
        assert bytes(pkt) == data
        pkt.show(dump=True)
        pkt.summary()
    igmp = bytes(_frames()[index][IP].payload)
    for data in cuts(igmp):
        for cls in (pigmp.IGMP, pigmp.IGMPv3, pigmp.IGMPv3_MR, pigmp.IGMPv3_MQ):
            layer = cls(data)
            assert bytes(layer) == data
            layer.show(dump=True)


def test_truncated_report_keeps_its_bytes() -> None:
    whole = bytes(_frames()[7][IP].payload)
    for n in range(8, len(whole)):
        data = whole[:n]
        ours, theirs = pigmp.IGMP(data), sigmp.IGMP(data)
        assert bytes(ours) == data
        assert len(ours.records) == len(theirs.records)
        assert [r.maddr for r in ours.records[:-1]] == [r.maddr for r in theirs.records[:-1]]
