"""Hop-by-hop and destination options and the segment routing header: Scapy's bytes and
fields, tshark's dissection, alignment, cuts kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.layers.ipv6_family import both, layer_pairs, same_fields, tshark_layers, values

from paquet.layers import UDP, Ether, IPv6, Raw
from paquet.layers.ipv6 import IPv6ExtHdrDestOpt, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting
from paquet.layers.ipv6_options import HAO, HBHOptUnknown, Jumbo, PadN, RouterAlert, RplOption
from paquet.layers.ipv6_srh import (
    IPv6ExtHdrSegmentRouting,
    IPv6ExtHdrSegmentRoutingTLVHMAC,
    IPv6ExtHdrSegmentRoutingTLVIngressNode,
    IPv6ExtHdrSegmentRoutingTLVPadN,
)

A, B = "2001:db8::1", "2001:db8::2"

OPTIONS = [
    "RouterAlert()", "RouterAlert(value=2)", "RouterAlert(optlen=3, value=0xffff)",
    "RplOption()", "RplOption(Down=1, RplInstanceId=0x1e, SenderRank=0x800)",
    "Jumbo()", "Jumbo(jumboplen=70000)", "HAO()", "HAO(hoa='2001:db8::9')",
    "PadN()", "PadN(optdata=b'\\x00' * 3)", "HBHOptUnknown(otype=0x3e, optdata=b'abc')",
]
HEADERS = [
    "IPv6ExtHdrHopByHop(options=[RouterAlert()])",
    "IPv6ExtHdrHopByHop(options=[Jumbo()])",
    "IPv6ExtHdrHopByHop(options=[HAO()])",
    "IPv6ExtHdrHopByHop(options=[RplOption()])",
    "IPv6ExtHdrHopByHop(options=[Jumbo(), RouterAlert(), HAO()])",
    "IPv6ExtHdrHopByHop(options=[HAO(), Jumbo(), RouterAlert()])",
    "IPv6ExtHdrHopByHop(options=[RouterAlert(), HAO(), Jumbo()])",
    "IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x3e, optdata=b'x'), Jumbo()])",
    "IPv6ExtHdrHopByHop(options=[Jumbo()], autopad=0)",
    "IPv6ExtHdrDestOpt(options=[HAO(hoa='2001:db8::9')])",
    "IPv6ExtHdrSegmentRouting()",
    "IPv6ExtHdrSegmentRouting(addresses=['::1', '::2', '::3'])",
    "IPv6ExtHdrSegmentRouting(tlv_objects=[IPv6ExtHdrSegmentRoutingTLVHMAC()])",
    "IPv6ExtHdrSegmentRouting(tlv_objects=[IPv6ExtHdrSegmentRoutingTLVHMAC(hmac=b'k' * 32)])",
    "IPv6ExtHdrSegmentRouting(addresses=['::1', '::2'], tlv_objects=["
    "IPv6ExtHdrSegmentRoutingTLVIngressNode(), IPv6ExtHdrSegmentRoutingTLVEgressNode()])",
    "IPv6ExtHdrSegmentRouting(tlv_objects=[IPv6ExtHdrSegmentRoutingTLVPad1(), "
    "IPv6ExtHdrSegmentRoutingTLVPadN(padding=b'\\x00' * 5)], tag=7, oam=1)",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrHopByHop(options=[Jumbo("
    "jumboplen=70000)])/UDP()",
    "IPv6(src='fc00::1', dst='fd00::42')/IPv6ExtHdrSegmentRouting(addresses=["
    "'fc13::1337', 'fd00::42'], segleft=1, lastentry=1)/UDP(sport=11000, dport=4242)/b'foobar'",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrSegmentRouting(addresses=["
    "'2001:db8::4', '2001:db8::3'])/ICMPv6EchoRequest()",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/IPv6ExtHdrDestOpt(options=[HAO("
    "hoa='2001:db8::9')])/ICMPv6EchoRequest()",
]


@pytest.mark.parametrize("expr", OPTIONS + HEADERS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize("expr", OPTIONS + HEADERS)
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    ours, theirs = both(expr)
    data = bytes(theirs)
    mine, scapys = type(ours)(data), type(theirs)(data)
    assert bytes(mine) == data
    for a, b in layer_pairs(mine, scapys):
        if type(a).__name__ in ("Raw", "Padding"):
            continue
        if "options" in a._fieldmap:
            assert [type(o).__name__ for o in a.options] == [
                type(o).__name__ for o in b.options]
            for o, so in zip(a.options, b.options, strict=True):
                same_fields(o, so)
            assert a.nh == b.nh and a.len == b.len
        else:
            same_fields(a, b)


def test_options_are_dissected_by_type() -> None:
    hdr = IPv6ExtHdrHopByHop(bytes(IPv6ExtHdrHopByHop(
        options=[RouterAlert(value=1), Jumbo(jumboplen=9), RplOption(SenderRank=3)])))
    kinds = [type(o) for o in hdr.options]
    assert RouterAlert in kinds and Jumbo in kinds and RplOption in kinds
    assert [o.jumboplen for o in hdr.options if isinstance(o, Jumbo)] == [9]
    # An option of a known type whose length does not fit its fields stays unknown.
    odd = IPv6ExtHdrHopByHop(b"\x3b\x00\x05\x03\xff\xff\x00\x00")
    assert isinstance(odd.options[0], HBHOptUnknown) and bytes(odd) == b"\x3b\x00\x05\x03" \
        b"\xff\xff\x00\x00"


def test_padn_keeps_its_data() -> None:
    p = PadN(b"\x01\x0cBBBBBBBBBB")  # 12 announced, 10 there: kept, and said missing
    assert p.optlen == 12 and p.optdata == b"B" * 10 and p.errors
    assert bytes(p) == b"\x01\x0cBBBBBBBBBB"
    hdr = IPv6ExtHdrDestOpt(b"\x3b\x00\x01\x04abcd")
    assert isinstance(hdr.options[0], PadN) and hdr.options[0].optdata == b"abcd"


def test_home_address_in_the_pseudo_header() -> None:
    ours, theirs = both(HEADERS[-1])
    assert bytes(ours) == bytes(theirs)
    assert ours.hashret() == theirs.hashret()
    back = IPv6(bytes(ours))
    assert isinstance(back[IPv6ExtHdrDestOpt].options[1], HAO)
    assert "bad" not in (back.show2(dump=True) or "")


def test_type_4_routing_header_is_segment_routing() -> None:
    data = bytes(IPv6(src=A, dst=B) / IPv6ExtHdrRouting(type=4, segleft=1,
                                                         addresses=["2001:db8::4"]) / UDP())
    p = IPv6(data)
    assert isinstance(p.payload, IPv6ExtHdrSegmentRouting) and bytes(p) == data
    assert isinstance(IPv6(bytes(IPv6() / IPv6ExtHdrRouting())).payload, IPv6ExtHdrRouting)
    s = IPv6ExtHdrSegmentRouting(bytes(both(HEADERS[12])[0]))
    assert [type(t) for t in s.tlv_objects] == [IPv6ExtHdrSegmentRoutingTLVHMAC,
                                                IPv6ExtHdrSegmentRoutingTLVPadN]


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [
        Ether() / IPv6(src=A, dst=B)
        / IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000), RouterAlert(value=2)])
        / IPv6ExtHdrDestOpt(options=[HAO(hoa="2001:db8::9")]) / UDP(),
        Ether() / IPv6(src=A, dst="2001:db8::3")
        / IPv6ExtHdrSegmentRouting(addresses=["2001:db8::4", "2001:db8::3"], tag=9,
                                   tlv_objects=[IPv6ExtHdrSegmentRoutingTLVIngressNode()])
        / UDP(sport=7, dport=9) / b"data",
    ]
    opts, srh = tshark_layers(frames, tmp_path)
    assert values(opts, "ipv6.opt.jumbo") == ["70000"]
    assert values(opts, "ipv6.opt.router_alert") == ["2"]
    assert values(opts, "ipv6.opt.mipv6.home_address") == ["2001:db8::9"]
    assert values(opts, "ipv6.hopopts.len") == [str(IPv6(bytes(frames[0][IPv6]))[
        IPv6ExtHdrHopByHop].len)]
    types = [int(t, 16) for t in values(opts, "ipv6.opt.type")]
    ours = [o.otype for h in (IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt)
            for o in IPv6(bytes(frames[0][IPv6]))[h].options]
    assert types == ours
    parsed = IPv6(bytes(frames[1][IPv6]))[IPv6ExtHdrSegmentRouting]
    assert values(srh, "ipv6.routing.type") == ["4"]
    assert values(srh, "ipv6.routing.segleft") == [str(parsed.segleft)]
    assert values(srh, "ipv6.routing.srh.last_entry") == [str(parsed.lastentry)]
    assert values(srh, "ipv6.routing.srh.addr") == parsed.addresses
    assert values(srh, "ipv6.routing.len") == [str(parsed.len)]
    assert values(srh, "udp.checksum.status") in (["1"], ["2"])


@pytest.mark.parametrize("expr", HEADERS[:16])
def test_cuts_give_their_bytes_back(expr: str) -> None:
    whole = bytes(both(expr)[0])
    cls = type(both(expr)[0])
    nh = {"IPv6ExtHdrHopByHop": 0, "IPv6ExtHdrDestOpt": 60}.get(cls.__name__, 43)
    for n in range(1, len(whole) + 1):
        assert bytes(cls(whole[:n])) == whole[:n], n
        frame = bytes(IPv6(nh=nh) / Raw(whole[:n]))
        assert bytes(IPv6(frame)) == frame, n


def test_options_are_found_by_class_as_scapy() -> None:
    # pkt[Jumbo] looks inside the options list of the hop-by-hop header, as Scapy's does.
    ours, theirs = both("IPv6()/IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000)])/UDP()")
    assert (Jumbo in ours) is True
    assert ours[Jumbo].jumboplen == theirs[type(theirs.payload.options[0])].jumboplen == 70000
    # What an extension header holds is shown as a tree.
    shown = IPv6ExtHdrSegmentRouting(tlv_objects=[IPv6ExtHdrSegmentRoutingTLVIngressNode()])
    assert "Ingress Node TLV ]###" in (shown.show(dump=True) or "")


SHOWN = [
    "ICMPv6ND_Redirect(tgt='fe80::1', dst='2001:db8::1')", "ICMPv6NDOptRDNSS(dns=['::1'])",
    "ICMPv6NDOptPrefixInfo()", "ICMPv6NDOptRouteInfo(prefix='2001:db8::', plen=32)",
    "ICMPv6NDOptDNSSL(searchlist=['a.b.'])", "ICMPv6NDOptPREF64()",
    "ICMPv6NDOptRedirectedHdr(pkt=IPv6())", "ICMPv6NDOptSrcAddrList(addrlist=['::1'])",
    "ICMPv6NIQueryName(data='n.d.org', nonce=b'12345678')",
    "ICMPv6NIReplyIPv6(data=['2001:db8::1'], nonce=b'12345678')",
    "ICMPv6NIReplyName(data=[3, 'a.b'], nonce=b'12345678')",
    "ICMPv6MLQuery2(sources=['::1'])", "ICMPv6MLReport2()",
    "ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec()])",
    "IPv6ExtHdrHopByHop(options=[RouterAlert(), Jumbo()])", "HAO()",
    "IPv6ExtHdrSegmentRouting()",
    "IPv6ExtHdrSegmentRouting(tlv_objects=[IPv6ExtHdrSegmentRoutingTLVPadN()])",
    "MIP6MH_BU(options=[MIP6OptAltCoA()])", "MIP6MH_BRR()", "MIP6MH_BE()", "MIP6MH_HoT()",
    "ICMPv6HAADReply(addresses=['::1'])", "ICMPv6MPAdv()",
    "PseudoIPv6(src='fd00::abcd', dst='fd00::1234', uplen=64, nh=17)",
]


@pytest.mark.parametrize("expr", SHOWN)
def test_show_is_scapys(expr: str) -> None:
    ours, theirs = both(expr)
    assert ours.show(dump=True) == theirs.show(dump=True)


@pytest.mark.parametrize("expr", ["PseudoIPv6()", "PseudoIPv6(src='fd00::abcd', "
                                  "dst='fd00::1234', uplen=64, nh=17)", "PseudoIPv6(zero=5)"])
def test_pseudo_header_is_scapys(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)
    same_fields(type(ours)(bytes(theirs)), type(theirs)(bytes(theirs)))


@pytest.mark.parametrize("expr", [
    "IPv6(src='::', dst='::')/ICMPv6NIQueryIPv4(data='freebsd', nonce=b'12345678')",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6NIReplyName(nonce=b'12345678')",
    "IPv6()/ICMPv6MLQuery()", "IPv6()/ICMPv6HAADRequest(id=4)", "IPv6()/MIP6MH_BU()",
    "IPv6()/MIP6MH_HoTI(cookie=b'a' * 8)", "IPv6()/ICMPv6ND_Redirect()",
    "IPv6()/ICMPv6MPAdv(id=3)", "IPv6()/IPv6ExtHdrDestOpt(options=HAO(hoa='2001:db8::1'))"
    "/ICMPv6EchoRequest()",
])
def test_hashret_is_scapys(expr: str) -> None:
    ours, theirs = both(expr)
    assert ours.hashret() == theirs.hashret()
