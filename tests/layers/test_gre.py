"""GRE (RFC 2784/2890, RFC 1701's routing, PPTP's RFC 2637): the same bytes as Scapy, the
same dissection as Scapy and tshark, hostile input given back byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import IP, Ether, IPv6, Raw
from paquet.layers.gre import GRE, GRE_PPTP, GRErouting
from paquet.layers.ppp import PPP
from paquet.packet import registry
from paquet.utils import checksum

from .scapy_compare import (
    ETH,
    IN,
    IP4,
    IP4I,
    IP6,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    one,
    tshark_layers,
)

pytest.importorskip("scapy.all")


CONSTRUCTIONS = [
    "GRE()",
    "GRE(proto=0x0800, flags=3, recursion_control=5, strict_route_source=1)",
    "GRE(chksum_present=1)",
    f"GRE(chksum_present=1) / {IP4I} / ICMP()",
    "GRE(chksum_present=1, chksum=0x1234, offset=7)",
    "GRE(key_present=1)",
    "GRE(key_present=1, key=0xDEADBEEF, seqnum_present=1, sequence_number=42)",
    f"GRE(chksum_present=1, key_present=1, key=5, seqnum_present=1, sequence_number=9) / {IP6}",
    f"{ETH} / {IP4} / GRE() / {IP4I} / UDP(sport=1, dport=2)",
    f"{ETH} / {IP6} / GRE() / {IP6} / UDP(sport=1, dport=2)",
    f"{ETH} / {IP4} / GRE() / {IN} / {IP4I}",
    f"{ETH} / {IP4} / GRE() / ARP(psrc='192.0.2.1', pdst='192.0.2.2', hwsrc='02:00:00:00:00:01')",
    f"{ETH} / {IP4} / UDP(sport=1) / GRE() / {IP4I}",
    # (UDP's default source port is DNS's: GRE's port 4754 wins, its rule comes first)
    f"{ETH} / {IP4} / UDP() / GRE() / {IP4I} / UDP()",
    f"{ETH} / {IP6} / UDP() / GRE() / {IP6} / UDP()",
    "GRE(routing_present=1) / GRErouting(address_family=0x800, SRE_offset=4, "
    "routing_info=b'\\xc0\\x00\\x02\\x01') / GRErouting()",
    "GRErouting(routing_info=b'abc')",
    "GRE_PPTP()",
    "GRE_PPTP(call_id=7, seqnum_present=1, sequence_number=3, acknum_present=1, ack_number=2)",
    "GRE_PPTP(payload_len=99, call_id=1) / PPP(proto=0xc021) / PPP_LCP_Echo(id=1, magic_number=5)",
    f"{ETH} / {IP4} / GRE_PPTP(call_id=4, seqnum_present=1, sequence_number=1) / PPP() / {IP4I}",
    f"{ETH} / {IP4} / GRE() / MPLS(label=16, ttl=3) / {IP4I}",
    f"{ETH} / {IP4} / GRE() / EAPOL() / EAP(code=1, id=1, type=1)",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


def test_checksum_is_computed_over_header_and_payload() -> None:
    inner = IP(src="198.51.100.1", dst="198.51.100.2")
    data = bytes(GRE(chksum_present=1, key_present=1, key=1) / inner)
    assert data[4:6] != b"\x00\x00"
    assert checksum(data) == 0  # the internet checksum of a correct message is zero
    assert bytes(GRE(chksum_present=1, chksum=0xBAD) / inner)[4:6] == b"\x0b\xad"


def test_bindings() -> None:
    assert registry.payload_class(IP, {"frag": 0, "proto": 47}) is GRE
    assert registry.payload_class(IPv6, {"nh": 47}) is GRE
    assert registry.payload_class(GRE, {"proto": 0x6558, "routing_present": 0}) is Ether
    assert bytes(IP() / GRE())[9] == 47 and bytes(IPv6() / GRE())[6] == 47
    assert bytes(GRE() / Ether())[2:4] == b"\x65\x58"
    # A header whose proto is PPP's dissects as PPTP's, with its PPP payload.
    pkt = GRE(bytes(GRE_PPTP(call_id=3) / PPP() / IP()))
    assert type(pkt) is GRE_PPTP and pkt.call_id == 3 and isinstance(pkt.payload, PPP)
    # The last routing entry (family 0, length 0) is followed by raw bytes.
    chain = GRE(bytes(GRE(routing_present=1) / GRErouting(routing_info=b"ab")
                      / GRErouting() / b"x"))
    assert isinstance(chain[GRErouting:2].payload, Raw)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="192.0.2.2") / gre / IP(src="198.51.100.1",
                                                          dst="198.51.100.2")
        for gre in (GRE(), GRE(chksum_present=1), GRE(key_present=1, key=0x1234),
                    GRE(seqnum_present=1, sequence_number=7, recursion_control=2),
                    GRE(chksum_present=1, key_present=1, key=9, seqnum_present=1,
                        sequence_number=0xFFFFFFFF))
    ] + [
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="192.0.2.2") / GRE_PPTP(
            call_id=9, seqnum_present=1, sequence_number=5, acknum_present=1, ack_number=4)
        / PPP(proto=0xC021) / b"\x09\x02\x00\x08\x11\x22\x33\x44",
    ]
    trees = tshark_layers(tmp_path, frames)
    for tree, frame in zip(trees, frames, strict=True):
        g = Ether(bytes(frame))[IP].payload
        hdr = bytes(g)[:2]
        assert int(one(tree, "gre.flags_and_version"), 16) == int.from_bytes(hdr, "big")
        assert int(one(tree, "gre.flags.checksum")) == g.chksum_present
        assert int(one(tree, "gre.flags.key")) == g.key_present
        assert int(one(tree, "gre.flags.sequence_number")) == g.seqnum_present
        assert int(one(tree, "gre.flags.recursion_control")) == g.recursion_control
        assert int(one(tree, "gre.flags.version")) == g.version
        assert int(one(tree, "gre.proto"), 16) == g.proto
        if g.chksum_present:
            assert int(one(tree, "gre.checksum"), 16) == g.chksum
            assert one(tree, "gre.checksum.status") == "1"  # tshark: "Good"
        if isinstance(g, GRE_PPTP):
            assert int(one(tree, "gre.key.payload_length")) == g.payload_len
            assert int(one(tree, "gre.key.call_id")) == g.call_id
            assert int(one(tree, "gre.ack_number")) == g.ack_number
        elif g.key_present:
            assert int(one(tree, "gre.key"), 16) == g.key
        if g.seqnum_present:
            assert int(one(tree, "gre.sequence_number")) == g.sequence_number


@pytest.mark.parametrize("expr", [
    CONSTRUCTIONS[7], CONSTRUCTIONS[13], CONSTRUCTIONS[16], CONSTRUCTIONS[17],
])
def test_hostile_input_is_given_back(expr: str) -> None:
    from .scapy_compare import build

    data = bytes(build("p", expr))
    assert_hostile_round_trip(GRE, data, seed=len(data))


def test_a_long_routing_chain() -> None:
    data = bytes(GRE(routing_present=1)) + b"\x00\x02\x00\x04abcd" * 3000 + b"\x00" * 4
    pkt = GRE(data)
    assert bytes(pkt) == data and len(pkt.layers()) == 3002


@pytest.mark.parametrize(("expr", "layers"), [
    (f"{ETH} / {IP4} / GRE(key_present=1, key=3, chksum_present=1) / {IP4I}",
     [("GRE", 12), ("IPv4", 20)]),
    (f"{ETH} / MPLS(s=0) / MPLS() / {IP4}", [("MPLS", 4), ("MPLS", 4), ("IPv4", 20)]),
    (f"{ETH} / PPPoE() / PPP() / PPP_LCP_Configure(options=[PPP_LCP_MRU_Option()])",
     [("PPP over Ethernet", 6), ("PPP Link Layer", 2), ("PPP Link Control Protocol", 8)]),
    (f"{ETH} / EAPOL() / EAP_TLS(L=1)", [("EAPOL", 4), ("EAP-TLS", 10)]),
    (f"{IP4} / UDP(sport=1, dport=6081) / GENEVE(options=[GeneveOptions(data=b'abcd')])",
     [("UDP", 8), ("GENEVE", 16)]),
    (f"{ETH} / EAPOL(type=3) / EAPOL_KEY(key_data=b'x')", [("EAPOL", 4), ("EAPOL_KEY", 96)]),
])
def test_explained_from_their_field_tables(expr: str, layers: list[tuple[str, int]]) -> None:
    from paquet.explainer import explain

    from .scapy_compare import build

    got = [(x.name, x.length) for x in explain(build("p", expr), lang="en").layers]
    assert got[-len(layers):] == layers
