"""Neighbour discovery options and the redirect message: Scapy's bytes, Scapy's fields,
tshark's dissection, cuts kept."""

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
from paquet.layers.icmpv6 import ICMPv6ND_RA, ICMPv6NDOptUnknown
from paquet.layers.icmpv6_nd import (
    ICMPv6ND_Redirect,
    ICMPv6NDOptCaptivePortal,
    ICMPv6NDOptDNSSL,
    ICMPv6NDOptMTU,
    ICMPv6NDOptPREF64,
    ICMPv6NDOptPrefixInfo,
    ICMPv6NDOptRDNSS,
    ICMPv6NDOptRedirectedHdr,
    ICMPv6NDOptRouteInfo,
)

A, B = "2001:db8::1", "2001:db8::2"

CONSTRUCTIONS = [
    "ICMPv6NDOptPrefixInfo()",
    "ICMPv6NDOptPrefixInfo(prefix='2001:db8:1::', prefixlen=48, L=0, R=1, validlifetime=7)",
    "ICMPv6NDOptRedirectedHdr()",
    "ICMPv6NDOptRedirectedHdr(pkt=IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP())",
    "ICMPv6NDOptRedirectedHdr(len=0xff, res=b'abcdef', pkt=b'not an ipv6 packet at all')",
    "ICMPv6NDOptMTU()",
    "ICMPv6NDOptMTU(mtu=9000, res=1)",
    "ICMPv6NDOptShortcutLimit(shortcutlim=3, res2=9)",
    "ICMPv6NDOptAdvInterval(advint=5000)",
    "ICMPv6NDOptHAInfo(pref=3, lifetime=100)",
    "ICMPv6NDOptSrcAddrList()",
    "ICMPv6NDOptSrcAddrList(addrlist=['2001:db8::1', 'fe80::1'])",
    "ICMPv6NDOptTgtAddrList(res=b'BBBBBB', addrlist=['2001:db8::9'])",
    "ICMPv6NDOptIPAddr(optcode=2, addr='2001:db8::7')",
    "ICMPv6NDOptNewRtrPrefix(prefix='2001:db8:5::', plen=56)",
    "ICMPv6NDOptLLA(optcode=3, lla='02:00:00:00:00:07')",
    "ICMPv6NDOptMAP(dist=3, pref=10, R=0, addr='2001:db8::99')",
    "ICMPv6NDOptRouteInfo()",
    "ICMPv6NDOptRouteInfo(prefix='2001:db8:1:1:1:1:1:1')",
    "ICMPv6NDOptRouteInfo(len=2, prefix='2001:db8:1:1:1:1:1:1', plen=64, prf=3)",
    "ICMPv6NDOptRouteInfo(len=4, prefix='2001:db8::1', rtlifetime=10)",
    "ICMPv6NDOptRDNSS()",
    "ICMPv6NDOptRDNSS(dns=['2001:db8::53', '2001:db8::54'], lifetime=600)",
    "ICMPv6NDOptEFA(res=5)",
    "ICMPv6NDOptDNSSL()",
    "ICMPv6NDOptDNSSL(searchlist=['example.com.', 'lab.'])",
    "ICMPv6NDOptDNSSL(lifetime=60, searchlist=['home.'])",
    "ICMPv6NDOptCaptivePortal()",
    "ICMPv6NDOptCaptivePortal(URI='https://portal.example/')",
    "ICMPv6NDOptCaptivePortal(URI='abcdef')",
    "ICMPv6NDOptPREF64()",
    "ICMPv6NDOptPREF64(scaledlifetime=225, plc='/64', prefix='2003:da8:1::')",
    "ICMPv6NDOptUnknown()",
    "ICMPv6NDOptUnknown(type=200, data='somestring')",
    "ICMPv6ND_Redirect()",
    "ICMPv6ND_Redirect(tgt='fe80::3', dst='2001:db8::2', res=1)",
    "IPv6(src='fe80::1', dst='fe80::2')/ICMPv6ND_Redirect(tgt='fe80::3', dst='2001:db8::2')"
    "/ICMPv6NDOptDstLLAddr(lladdr='02:00:00:00:00:03')"
    "/ICMPv6NDOptRedirectedHdr(pkt=IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP())",
    "IPv6(src='fe80::1')/ICMPv6ND_Redirect()",
    "IPv6(src='fe80::1', dst='ff02::1')/ICMPv6ND_RA()/ICMPv6NDOptPrefixInfo()"
    "/ICMPv6NDOptMTU()/ICMPv6NDOptRDNSS(dns=['2001:db8::53'])/ICMPv6NDOptDNSSL(searchlist="
    "['lab.'])/ICMPv6NDOptRouteInfo(prefix='2001:db8:2::', plen=48)"
    "/ICMPv6NDOptUnknown(type=200, data=b'x')/ICMPv6NDOptCaptivePortal()",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    _, theirs = both(expr)
    data = bytes(theirs)
    cls = type(both(expr)[0])
    ours = cls(data)
    try:
        scapys = type(theirs)(data)
    except ValueError:  # a route prefix of 24 bytes: Scapy's inet_ntop refuses it
        pytest.skip("Scapy cannot dissect these bytes")
    assert bytes(ours) == data
    for mine, scapy_layer in layer_pairs(ours, scapys):
        if type(mine).__name__ not in ("Raw", "Padding"):
            same_fields(mine, scapy_layer)
    assert ours.summary() == scapys.summary()


def test_summaries_are_scapys() -> None:
    for expr in ("ICMPv6NDOptRouteInfo(prefix='2001:db8::1', plen=17, prf=3)",
                 "ICMPv6NDOptRDNSS(dns=['2001:db8::1', '2001:db8::2'])",
                 "ICMPv6NDOptDNSSL(searchlist=['home.', 'office.'])",
                 "ICMPv6NDOptCaptivePortal(URI='https://example.com')",
                 "ICMPv6NDOptPREF64(prefix='12:34:56::', plc='/32')",
                 "ICMPv6NDOptPREF64(prefix='12:34:56::', plc=6)",
                 "ICMPv6NDOptMTU(mtu=1400)", "ICMPv6NDOptAdvInterval(advint=3)",
                 "ICMPv6NDOptHAInfo(pref=1, lifetime=2)",
                 "ICMPv6NDOptPrefixInfo(prefix='2001:db8::')"):
        ours, theirs = both(expr)
        assert ours.mysummary() == theirs.mysummary(), expr


def test_options_are_dissected_by_type_after_a_message() -> None:
    data = bytes(both(CONSTRUCTIONS[-1])[1])
    p = IPv6(data)
    kinds = [type(x).__name__ for x in p.iterlayers()][2:]
    assert kinds == ["ICMPv6NDOptPrefixInfo", "ICMPv6NDOptMTU", "ICMPv6NDOptRDNSS",
                     "ICMPv6NDOptDNSSL", "ICMPv6NDOptRouteInfo", "ICMPv6NDOptUnknown",
                     "ICMPv6NDOptCaptivePortal"]
    assert p[ICMPv6NDOptRDNSS].dns == ["2001:db8::53"]
    assert p[ICMPv6NDOptDNSSL].searchlist == ["lab."]
    assert p[ICMPv6NDOptUnknown].type == 200


def test_redirect_is_dispatched_and_sets_ipv6() -> None:
    p = IPv6(bytes(IPv6(src="fe80::1") / ICMPv6ND_Redirect(tgt="fe80::3", dst=B)))
    assert isinstance(p.payload, ICMPv6ND_Redirect)
    assert p.hlim == 255 and p.dst == "ff02::1" and p.payload.dst == B
    assert "bad" not in (p.show(dump=True) or "")


def test_redirected_header_quotes_an_ipv6_datagram_or_raw() -> None:
    quoted = IPv6(src=A, dst=B) / (b"x" * 3)
    opt = ICMPv6NDOptRedirectedHdr(bytes(ICMPv6NDOptRedirectedHdr(pkt=quoted)))
    assert isinstance(opt.pkt, IPv6) and opt.pkt.src == A
    short = ICMPv6NDOptRedirectedHdr(b"\x04\xff\x11\x11\x00\x00\x00\x00not ipv6")
    assert type(short.pkt).__name__ == "Raw" and short.pkt.load == b"not ipv6"


def test_odd_lengths_keep_their_bytes() -> None:
    # len 0 (invalid): the option takes 8 bytes, as Scapy's; an option cut short keeps its
    # fields and reports what is missing.
    p = ICMPv6NDOptCaptivePortal(b"\x25\x00abcdef\x00\x01")
    assert p.URI == b"abcdef" and isinstance(p.payload, ICMPv6NDOptUnknown)
    cut = ICMPv6NDOptUnknown(b"\x00\x04somestring")
    assert cut.data == b"somestring" and cut.errors
    assert bytes(cut) == b"\x00\x04somestring"


def _frames() -> list[Ether]:
    ra = (Ether() / IPv6(src="fe80::1", dst="ff02::1") / ICMPv6ND_RA()
          / ICMPv6NDOptPrefixInfo(prefix="2001:db8:1::", prefixlen=64, validlifetime=99)
          / ICMPv6NDOptMTU(mtu=1500)
          / ICMPv6NDOptRDNSS(dns=["2001:db8::53", "2001:db8::54"], lifetime=600)
          / ICMPv6NDOptDNSSL(searchlist=["example.com.", "lab."])
          / ICMPv6NDOptRouteInfo(prefix="2001:db8:2::", plen=48, prf=1)
          / ICMPv6NDOptCaptivePortal(URI="https://portal.example")
          / ICMPv6NDOptPREF64(prefix="64:ff9b::", scaledlifetime=100)
          / ICMPv6NDOptUnknown(type=200, data=b"abcdef"))
    redirect = (Ether() / IPv6(src="fe80::1", dst="fe80::2")
                / ICMPv6ND_Redirect(tgt="fe80::3", dst=B)
                / ICMPv6NDOptRedirectedHdr(pkt=IPv6(src=A, dst=B) / b"payload!"))
    return [ra, redirect]


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = _frames()
    ra_tree, redirect_tree = tshark_layers(frames, tmp_path)
    ra = frames[0]
    opts = [x for x in ra.iterlayers() if type(x).__name__.startswith("ICMPv6NDOpt")]
    icmp = ra_tree["icmpv6"]
    assert values(icmp, "icmpv6.checksum.status") == ["1"]
    assert [int(t) for t in values(icmp, "icmpv6.opt.type")] == [o.type for o in opts]
    assert [int(t) for t in values(icmp, "icmpv6.opt.length")] == [
        IPv6(bytes(ra[IPv6]))[type(o)].len for o in opts]
    assert values(icmp, "icmpv6.opt.prefix") == [ra[ICMPv6NDOptPrefixInfo].prefix,
                                                 ra[ICMPv6NDOptRouteInfo].prefix]
    assert values(icmp, "icmpv6.opt.prefix.valid_lifetime") == ["99"]
    assert values(icmp, "icmpv6.opt.mtu") == ["1500"]
    assert values(icmp, "icmpv6.opt.rdnss") == ra[ICMPv6NDOptRDNSS].dns
    assert values(icmp, "icmpv6.opt.rdnss.lifetime") == ["600"]
    assert [n + "." for n in values(icmp, "icmpv6.opt.dnssl")] == ra[
        ICMPv6NDOptDNSSL].searchlist
    assert values(icmp, "icmpv6.opt.route_info.flag.route_preference") == ["1"]
    assert values(icmp, "icmpv6.opt.captive_portal") == ["https://portal.example"]
    assert values(icmp, "icmpv6.opt.pref64.prefix") == ["64:ff9b::"]
    assert values(icmp, "icmpv6.opt.pref64.scaled_lifetime") == ["100"]
    r = redirect_tree["icmpv6"]
    assert values(r, "icmpv6.type") == ["137"]
    assert values(r, "icmpv6.nd.rd.target_address") == ["fe80::3"]
    assert values(r, "icmpv6.rd.na.destination_address") == [B]
    assert values(r, "icmpv6.checksum.status") == ["1"]
    assert values(r, "ipv6.src")[-1] == A  # the quoted datagram


@pytest.mark.parametrize("cls", [ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS, ICMPv6NDOptDNSSL,
                                 ICMPv6NDOptRouteInfo, ICMPv6NDOptPREF64, ICMPv6NDOptMTU,
                                 ICMPv6NDOptCaptivePortal, ICMPv6NDOptRedirectedHdr])
def test_cuts_give_their_bytes_back(cls: type) -> None:
    frame = _frames()[0] if cls is not ICMPv6NDOptRedirectedHdr else _frames()[1]
    whole = bytes(IPv6(bytes(frame[IPv6]))[cls])
    cuts_round_trip(cls, whole)


def test_cut_frames_give_their_bytes_back() -> None:
    for frame in _frames():
        data = bytes(frame)
        for n in range(14, len(data) + 1, 3):
            assert bytes(Ether(data[:n])) == data[:n]
