"""IPv6 and its extension headers: bytes and dissection against Scapy, tshark, real traffic."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers import inet as sinet
from scapy.layers import inet6 as s6
from scapy.layers import l2 as sl2
from scapy.packet import NoPayload as SNoPayload
from scapy.packet import Packet as SPacket

import paquet.layers
from paquet.errors import DecodeError
from paquet.layers import IP, TCP, UDP, Ether, Padding, Raw, dissect
from paquet.layers.icmpv6 import ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest
from paquet.layers.ipv6 import (
    HBHOptUnknown,
    IPerror6,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
    Pad1,
    PadN,
)
from paquet.packet import FieldError, Packet
from paquet.packet.resolver import set_resolver

SRC, DST = "2001:db8::1", "2001:db8::2"

# ---------------------------------------------------------------------- real traffic
# `ping -6 -c1 -s 16 ::1` in a fresh network namespace, captured on lo with
# `tcpdump -i lo -w F icmp6` (LINKTYPE_ETHERNET, zero MACs):
# "IP6 ::1 > ::1: ICMP6, echo request, id 17708, seq 1, length 24"
ECHO_REQUEST_LO = bytes.fromhex(
    "00000000000000000000000086dd6000434900183a40"
    "00000000000000000000000000000001" "00000000000000000000000000000001"
    "80000aa6452c00016074026b00000000c1f80b0000000000"
)
# "IP6 ::1 > ::1: ICMP6, echo reply, id 17708, seq 1, length 24" (the kernel's answer)
ECHO_REPLY_LO = bytes.fromhex(
    "00000000000000000000000086dd6006c30f00183a40"
    "00000000000000000000000000000001" "00000000000000000000000000000001"
    "810009a6452c00016074026b00000000c1f80b0000000000"
)
# `echo hi > /dev/udp/::1/33434` in the namespace, same capture:
# "IP6 ::1.44527 > ::1.33434: UDP, length 3". Its checksum is the partial one of loopback's
# checksum offload (tshark: udp.checksum.status 0, bad).
UDP_PROBE_LO = bytes.fromhex(
    "00000000000000000000000086dd6003689b000b1140"
    "00000000000000000000000000000001" "00000000000000000000000000000001"
    "adef829a000b001e68690a"
)
# The kernel's answer: "IP6 ::1 > ::1: ICMP6, destination unreachable, unreachable port,
# ::1 udp port 33434, length 59", quoting the whole probe.
PORT_UNREACH_LO = bytes.fromhex(
    "00000000000000000000000086dd6007eb9a003b3a40"
    "00000000000000000000000000000001" "00000000000000000000000000000001"
    "0104817c00000000" + UDP_PROBE_LO[14:].hex()
)


# ---------------------------------------------------------------------- helpers


def scapy_fields(layer: SPacket) -> dict[str, Any]:
    return {f.name: layer.getfieldval(f.name) for f in layer.fields_desc}


def same_dissection(ours: Packet, theirs: SPacket) -> None:
    """Layer by layer, the same classes and field values as Scapy's dissection."""
    mine = list(ours.iterlayers())
    their_layers = []
    p = theirs
    while p is not None and not isinstance(p, SNoPayload):
        if not hasattr(paquet.layers, type(p).__name__) and type(p).__name__ != "Padding":
            # A layer paquet does not have, bound in Scapy by another test's ``scapy.all``
            # (NBNS on port 137, DNS on 53...): paquet keeps those bytes as Raw.
            assert type(mine[len(their_layers)]).__name__ == "Raw"
            mine = mine[: len(their_layers)]
            break
        their_layers.append(p)
        p = p.payload
    assert [type(x).__name__ for x in mine] == [type(x).__name__ for x in their_layers]
    for a, b in zip(mine, their_layers, strict=True):
        sf = scapy_fields(b)
        for name in a._names:
            va, vb = a.__dict__[name], sf[name]
            if name == "options" and isinstance(va, list):
                assert [type(o).__name__ for o in va] == [type(o).__name__ for o in vb]
                assert [bytes(o) for o in va] == [bytes(o) for o in vb]
            elif isinstance(vb, SPacket | list) and name == "ext":
                continue
            else:
                assert va == vb, (type(a).__name__, name, va, vb)


def write_pcap(path: Path, frames: list[bytes], linktype: int = 1) -> None:
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)]
    for i, f in enumerate(frames):
        out.append(struct.pack("<IIII", 1_700_000_000 + i, 0, len(f), len(f)) + f)
    path.write_bytes(b"".join(out))


def tshark_fields(path: Path, fields: list[str], *opts: str) -> list[list[str]]:
    cmd = ["tshark", "-r", str(path), "-T", "fields", *opts]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")


# ---------------------------------------------------------------------- basics


def test_defaults_show_and_bytes_as_scapy() -> None:
    assert IPv6().show(dump=True) == s6.IPv6().show(dump=True)
    assert bytes(IPv6()) == bytes(s6.IPv6())
    assert IPv6().src == "::1" and IPv6().dst == "::1" and IPv6().nh == 59
    assert repr(IPv6(src=SRC, dst=DST, hlim=3)) == repr(s6.IPv6(src=SRC, dst=DST, hlim=3))


def test_composition_sets_next_header_and_ethertype() -> None:
    p = Ether() / IPv6(dst=DST) / UDP()
    assert p.type == 0x86DD and p[IPv6].nh == 17
    assert (IPv6() / TCP()).nh == 6
    assert (IPv6() / ICMPv6EchoRequest()).nh == 58
    assert (IPv6() / IPv6ExtHdrHopByHop() / UDP())[IPv6ExtHdrHopByHop].nh == 17
    assert (IPv6() / IPv6ExtHdrFragment()).nh == 44
    assert (IPv6() / IPv6ExtHdrRouting()).nh == 43
    assert (IPv6() / IPv6ExtHdrDestOpt()).nh == 60
    assert (IPv6() / IPv6ExtHdrHopByHop()).nh == 0
    assert (IPv6() / IP()).nh == 4 and (IP() / IPv6()).proto == 41
    assert (IPv6(nh=99) / UDP()).nh == 99  # the user's value wins


def test_addresses_are_canonical_and_checked() -> None:
    assert IPv6(dst="2001:DB8:0:0::0002").dst == "2001:db8::2"
    with pytest.raises(FieldError):
        bytes(IPv6(src="2001:db8::zz"))
    p = IPv6(src=SRC, dst="2001:db8::/126", hlim=[1, 2])
    got = [(q.dst, q.hlim) for q in p]
    assert len(got) == 8 and got[0] == ("2001:db8::", 1) and got[-1] == ("2001:db8::3", 2)


def test_representative_show_equals_scapy() -> None:
    kw: dict[str, Any] = {"src": SRC, "dst": DST, "tc": 3, "fl": 0x12345}
    ours = (
        IPv6(**kw)
        / IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\x00\x00"),
                                      HBHOptUnknown(otype=0x3E, optdata=b"ab")])
        / IPv6ExtHdrRouting(addresses=["2001:db8::9", "2001:db8::a"])
        / IPv6ExtHdrFragment(id=5, m=1)
        / IPv6ExtHdrDestOpt(options=[Pad1()])
        / UDP(sport=1234, dport=40000)
        / b"payload"
    )
    theirs = (
        s6.IPv6(**kw)
        / s6.IPv6ExtHdrHopByHop(options=[s6.PadN(optdata=b"\x00\x00"),
                                         s6.HBHOptUnknown(otype=0x3E, optdata=b"ab")])
        / s6.IPv6ExtHdrRouting(addresses=["2001:db8::9", "2001:db8::a"])
        / s6.IPv6ExtHdrFragment(id=5, m=1)
        / s6.IPv6ExtHdrDestOpt(options=[s6.Pad1()])
        / sinet.UDP(sport=1234, dport=40000)
        / b"payload"
    )
    assert ours.show(dump=True) == theirs.show(dump=True)
    assert repr(ours) == repr(theirs)
    data = bytes(theirs)
    assert bytes(ours) == data
    parsed = IPv6(data)
    assert parsed.show(dump=True) == s6.IPv6(data).show(dump=True)
    assert repr(parsed) == repr(s6.IPv6(data))
    assert parsed.summary() == s6.IPv6(data).summary()
    assert ours.summary() == theirs.summary()
    assert bytes(parsed) == data and not parsed.errors


def test_pseudo_header_rfc8200() -> None:
    ph = IPv6(src=SRC, dst=DST).pseudo_header(1000, 17)
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    assert ph == src + dst + (1000).to_bytes(4, "big") + b"\x00\x00\x00\x11"
    # Above a routing header with segments left, the final destination counts (§8.1).
    p = IPv6(src=SRC, dst=DST) / IPv6ExtHdrRouting(addresses=["2001:db8::9"]) / UDP()
    final = bytes.fromhex("20010db8000000000000000000000009")
    assert p[IPv6ExtHdrRouting].pseudo_header(8, 17)[16:32] == final
    done = IPv6(src=SRC, dst=DST) / IPv6ExtHdrRouting(addresses=["2001:db8::9"], segleft=0)
    assert done[IPv6ExtHdrRouting].pseudo_header(8, 17)[16:32] == dst
    # No IPv6 below: the checksum stays 0, as Scapy leaves it.
    assert bytes(IPv6ExtHdrHopByHop() / UDP())[-2:] == b"\x00\x00"


# ---------------------------------------------------------------------- property tests

ADDRS = st.sampled_from(["::1", SRC, DST, "2001:db8:ffff::42", "fe80::1", "ff02::1",
                         "2001:db8:1:2:3:4:5:6"])
UNKNOWN_OTYPES = st.sampled_from([0x03, 0x07, 0x1E, 0x3E, 0x8A, 0xDE])


def _option(draw: st.DrawFn) -> tuple[Packet, SPacket]:
    kind = draw(st.sampled_from(["pad1", "padn", "unknown"]))
    if kind == "pad1":
        return Pad1(), s6.Pad1()
    data = draw(st.binary(max_size=12))
    if kind == "padn":
        return PadN(optdata=data), s6.PadN(optdata=data)
    otype = draw(UNKNOWN_OTYPES)
    return HBHOptUnknown(otype=otype, optdata=data), s6.HBHOptUnknown(otype=otype, optdata=data)


@st.composite
def ipv6_stacks(draw: st.DrawFn) -> tuple[Packet, SPacket]:
    kw = {
        "tc": draw(st.integers(0, 255)),
        "fl": draw(st.integers(0, 0xFFFFF)),
        "hlim": draw(st.integers(0, 255)),
        "src": draw(ADDRS),
        "dst": draw(ADDRS),
    }
    ours: Packet = IPv6(**kw)
    theirs: SPacket = s6.IPv6(**kw)
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["hbh", "dest", "routing", "fragment"]))
        if kind in ("hbh", "dest"):
            opts = [_option(draw) for _ in range(draw(st.integers(0, 3)))]
            cls, scls = ((IPv6ExtHdrHopByHop, s6.IPv6ExtHdrHopByHop) if kind == "hbh"
                         else (IPv6ExtHdrDestOpt, s6.IPv6ExtHdrDestOpt))
            ours = ours / cls(options=[o for o, _ in opts])
            theirs = theirs / scls(options=[o for _, o in opts])
        elif kind == "routing":
            addrs = draw(st.lists(ADDRS, max_size=3))
            rkw: dict[str, Any] = {"addresses": addrs}
            if draw(st.booleans()):
                rkw["segleft"] = draw(st.integers(0, 3))
            ours = ours / IPv6ExtHdrRouting(**rkw)
            theirs = theirs / s6.IPv6ExtHdrRouting(**rkw)
        else:
            fkw = {"m": draw(st.integers(0, 1)), "id": draw(st.integers(0, 2**32 - 1)),
                   "offset": draw(st.sampled_from([0, 0, 1, 185]))}
            ours = ours / IPv6ExtHdrFragment(**fkw)
            theirs = theirs / s6.IPv6ExtHdrFragment(**fkw)
    upper = draw(st.sampled_from(["udp", "tcp", "echo", "raw", "none"]))
    payload = draw(st.binary(max_size=40))
    if upper == "udp":
        ukw = {"sport": draw(st.integers(0, 65535)), "dport": draw(st.integers(0, 65535))}
        ours, theirs = ours / UDP(**ukw), theirs / sinet.UDP(**ukw)
    elif upper == "tcp":
        tkw = {"sport": draw(st.integers(0, 65535)), "dport": draw(st.integers(0, 65535)),
               "seq": draw(st.integers(0, 2**32 - 1)), "flags": draw(st.integers(0, 0x1FF)),
               "window": draw(st.integers(0, 65535))}
        ours, theirs = ours / TCP(**tkw), theirs / sinet.TCP(**tkw)
    elif upper == "echo":
        ekw = {"id": draw(st.integers(0, 65535)), "seq": draw(st.integers(0, 65535)),
               "data": payload}
        return ours / ICMPv6EchoRequest(**ekw), theirs / s6.ICMPv6EchoRequest(**ekw)
    if upper != "none" and payload:
        ours, theirs = ours / Raw(load=payload), theirs / s6.Raw(load=payload)
    return ours, theirs


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ipv6_stacks())
def test_random_stacks_bytes_and_dissection_equal_scapy(pair: tuple[Packet, SPacket]) -> None:
    ours, theirs = pair
    data = bytes(theirs)
    assert bytes(ours) == data
    parsed = IPv6(data)
    assert bytes(parsed) == data
    theirs_parsed = s6.IPv6(data)
    # bytes a bound protocol cannot read (a random payload on its port) stay Raw, as in Scapy
    assert not parsed.errors or type(theirs_parsed.lastlayer()).__name__ == "Raw"
    same_dissection(parsed, theirs_parsed)
    assert parsed.hashret() == theirs_parsed.hashret()
    assert ours.hashret() == theirs.hashret()


@settings(max_examples=40, deadline=None)
@given(ipv6_stacks(), st.binary(min_size=1, max_size=6))
def test_ethernet_frames_with_padding(pair: tuple[Packet, SPacket], pad: bytes) -> None:
    ours, theirs = pair
    frame = bytes(sl2.Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01") / theirs) + pad
    mine = Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01") / ours / Padding(load=pad)
    assert bytes(mine) == frame
    parsed = dissect(frame, 1)
    assert bytes(parsed) == frame
    assert isinstance(parsed.lastlayer(), Padding) and parsed.lastlayer().load == pad
    same_dissection(parsed, sl2.Ether(frame))


# ---------------------------------------------------------------------- link types


def test_linktypes_ethernet_raw_and_ipv6() -> None:
    frame = bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
                  / IPv6(src=SRC, dst=DST) / UDP(dport=33434) / b"x")
    p = dissect(frame, 1)
    assert [type(x) for x in p.iterlayers()] == [Ether, IPv6, UDP, Raw]
    assert p[UDP].dport == 33434
    for lt in (101, 229):
        q = dissect(frame[14:], lt)
        assert isinstance(q, IPv6) and q[UDP].dport == 33434 and bytes(q) == frame[14:]
    assert dissect(frame, 1).summary() == sl2.Ether(frame).summary()


def test_multicast_destination_gives_33_33_mac() -> None:
    frame = bytes(Ether() / IPv6(dst="ff02::1:ff00:b") / ICMPv6EchoRequest())
    assert frame[:6] == bytes.fromhex("3333ff00000b")


class _FakeResolver:
    def source_address(self, dst: str, version: int) -> str | None:
        return "2001:db8::77" if version == 6 else None

    def resolve_host(self, name: str, version: int) -> str:
        return "2001:db8::99"

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        return ("02:00:00:00:00:77", "02:00:00:00:00:99")


def test_resolver_gives_source_host_names_and_macs() -> None:
    previous = set_resolver(_FakeResolver())
    try:
        p = Ether() / IPv6(dst="host.example") / UDP()
        data = bytes(p)
        assert data[:12] == bytes.fromhex("020000000099020000000077")
        parsed = Ether(data)
        assert parsed[IPv6].src == "2001:db8::77" and parsed[IPv6].dst == "2001:db8::99"
        assert IPv6(dst=DST).src == "2001:db8::77"
    finally:
        set_resolver(previous)
    assert IPv6(dst=DST).src == "::1"


# ---------------------------------------------------------------------- real traffic


def test_real_echo_request_and_reply() -> None:
    req = dissect(ECHO_REQUEST_LO, 1)
    rep = dissect(ECHO_REPLY_LO, 1)
    assert bytes(req) == ECHO_REQUEST_LO and bytes(rep) == ECHO_REPLY_LO
    assert not req.errors and not rep.errors
    assert req[IPv6].fl == 0x04349 and req[IPv6].plen == 24 and req[IPv6].hlim == 64
    assert req[ICMPv6EchoRequest].id == 17708 and req[ICMPv6EchoRequest].seq == 1
    assert "bad" not in (req.show(dump=True) or "")
    # Rebuilt from its fields with the checksum left to compute, the same bytes.
    again = req.copy()
    del again[ICMPv6EchoRequest].cksum
    del again[IPv6].plen
    assert bytes(again) == ECHO_REQUEST_LO
    same_dissection(req, sl2.Ether(ECHO_REQUEST_LO))
    assert rep.answers(req) and not req.answers(rep)
    assert rep.hashret() == req.hashret()


def test_real_port_unreachable_answers_the_udp_probe() -> None:
    probe = dissect(UDP_PROBE_LO, 1)
    err = dissect(PORT_UNREACH_LO, 1)
    assert bytes(err) == PORT_UNREACH_LO and not err.errors
    assert [type(x).__name__ for x in err.iterlayers()] == [
        "Ether", "IPv6", "ICMPv6DestUnreach", "IPerror6", "UDPerror", "Raw"]
    assert err[IPerror6].plen == 11 and err["UDPerror"].dport == 33434
    same_dissection(err, sl2.Ether(PORT_UNREACH_LO))
    assert err.answers(probe) and err.hashret() == probe.hashret()
    # The probe as a program would build it: the quote is compared byte for byte, as Scapy
    # does, so the checksum counts (here the partial one loopback's offload left).
    mine = IPv6(src="::1", dst="::1") / UDP(sport=44527, dport=33434, chksum=0x1E) / b"hi\n"
    assert err[IPv6].answers(mine)
    for other in (
        IPv6(src="::1", dst="::1") / UDP(sport=44528, dport=33434, chksum=0x1E) / b"hi\n",
        IPv6(src="::1", dst="::1") / UDP(sport=44527, dport=33434) / b"hi\n",
    ):
        assert not err[IPv6].answers(other)
        theirs = s6.IPv6(PORT_UNREACH_LO[14:]).answers(s6.IPv6(bytes(other)))
        assert not theirs
    # The probe's checksum, as captured on loopback, is partial: flagged, as tshark does.
    assert "chksum    = 0x1e [bad" in (probe.show(dump=True) or "")


def test_time_exceeded_quoting_udp_probe_answers_it() -> None:
    probe = IPv6(src=SRC, dst=DST, hlim=1) / UDP(sport=40000, dport=33435) / b"probe"
    from paquet.layers.icmpv6 import ICMPv6TimeExceeded

    quote = IPv6(bytes(probe))
    reply = IPv6(src="2001:db8::fe", dst=SRC) / ICMPv6TimeExceeded() / bytes(quote)
    parsed = IPv6(bytes(reply))
    assert isinstance(parsed.payload.payload, IPerror6)
    assert parsed.answers(probe) and parsed.hashret() == probe.hashret()
    assert parsed.answers(probe) == s6.IPv6(bytes(reply)).answers(s6.IPv6(bytes(probe)))
    wrong = IPv6(src=SRC, dst=DST, hlim=1) / UDP(sport=40000, dport=33436) / b"probe"
    assert not parsed.answers(wrong)
    # A quote cut short (the first 8 bytes of UDP only) still matches, with no error.
    short = IPv6(src="2001:db8::fe", dst=SRC) / ICMPv6DestUnreach() / bytes(probe)[:48]
    cut = IPv6(bytes(short))
    assert not cut.errors and cut.answers(probe)


def test_answers_skip_extension_headers() -> None:
    req = IPv6(src=SRC, dst=DST) / IPv6ExtHdrHopByHop() / ICMPv6EchoRequest(id=7, seq=1)
    rep = IPv6(src=DST, dst=SRC) / ICMPv6EchoReply(id=7, seq=1)
    # Scapy says no here (it compares the reply's ICMPv6 with the request's hop-by-hop
    # header); paquet skips extension headers on both sides, as Scapy does for the others.
    assert IPv6(bytes(rep)).answers(IPv6(bytes(req)))
    frag = IPv6(src=SRC, dst=DST) / IPv6ExtHdrFragment() / ICMPv6EchoRequest(id=7, seq=1)
    assert IPv6(bytes(rep)).answers(IPv6(bytes(frag)))
    assert s6.IPv6(bytes(rep)).answers(s6.IPv6(bytes(frag)))
    tcp_req = IPv6(src=SRC, dst=DST) / IPv6ExtHdrDestOpt() / TCP(sport=1, dport=2, flags="S")
    tcp_rep = IPv6(src=DST, dst=SRC) / TCP(sport=2, dport=1, flags="SA", ack=1)
    assert tcp_rep.answers(tcp_req) and tcp_rep.hashret() == IPv6(bytes(tcp_req)).hashret()
    assert s6.IPv6(bytes(tcp_rep)).answers(s6.IPv6(bytes(tcp_req)))
    assert not IPv6(src=DST, dst="2001:db8::5").answers(IPv6(src=SRC, dst=DST))
    s_req = s6.IPv6(bytes(tcp_req))
    assert tcp_rep.hashret() == s6.IPv6(bytes(tcp_rep)).hashret() == s_req.hashret()


# ---------------------------------------------------------------------- tshark


@needs_tshark
def test_tshark_agrees_with_dissection(tmp_path: Path) -> None:
    packets = [
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IPv6(src=SRC, dst=DST, tc=0x2E, fl=0xBEEF, hlim=7) / UDP(sport=5353, dport=53) / b"q",
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IPv6(src=SRC, dst=DST) / IPv6ExtHdrHopByHop(options=[HBHOptUnknown(otype=0x3E,
                                                                               optdata=b"ab")])
        / IPv6ExtHdrRouting(addresses=["2001:db8::9"], segleft=1)
        / IPv6ExtHdrDestOpt() / TCP(sport=4000, dport=80),
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IPv6(src=SRC, dst=DST) / IPv6ExtHdrFragment(id=0xABCD, m=1) / UDP() / (b"z" * 30),
    ]
    frames = [bytes(p) for p in packets]
    path = tmp_path / "v6.pcap"
    write_pcap(path, frames)
    rows = tshark_fields(
        path,
        ["ipv6.src", "ipv6.dst", "ipv6.tclass", "ipv6.flow", "ipv6.plen", "ipv6.hlim",
         "ipv6.nxt", "udp.checksum.status", "tcp.checksum.status", "ipv6.fraghdr.ident",
         "ipv6.routing.segleft"],
        "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
        "-o", "ipv6.defragment:FALSE",
    )
    assert len(rows) == 3
    for frame, row in zip(frames, rows, strict=True):
        ip6 = dissect(frame, 1)[IPv6]
        assert row[0] == ip6.src and row[1] == ip6.dst
        assert int(row[2], 16) == ip6.tc and int(row[3], 16) == ip6.fl
        assert int(row[4]) == ip6.plen and int(row[5]) == ip6.hlim
        assert int(row[6]) == ip6.nh
    assert rows[0][7] == "1"  # the UDP checksum is good
    assert rows[1][8] == "1"  # TCP's too, with the routing header's final destination
    assert int(rows[2][9], 16) == 0xABCD and rows[1][10] == "1"


# ---------------------------------------------------------------------- malformed input


def test_truncated_never_raises_and_keeps_bytes() -> None:
    frame = bytes(Ether() / IPv6(src=SRC, dst=DST) / IPv6ExtHdrHopByHop()
                  / IPv6ExtHdrRouting(addresses=[DST]) / UDP() / b"data")
    for n in range(len(frame)):
        cut = frame[:n]
        p = dissect(cut, 1)
        assert bytes(p) == cut
        if 14 < n < len(frame):
            assert p.errors, n
    with pytest.raises(DecodeError) as exc:
        dissect(frame[:14 + 30], 1, strict=True)
    assert exc.value.layer == "IPv6" and exc.value.offset == 14


def test_plen_past_the_end_is_reported() -> None:
    data = bytearray(bytes(IPv6(src=SRC, dst=DST) / UDP() / b"abcd"))
    data[4:6] = (200).to_bytes(2, "big")
    p = IPv6(bytes(data))
    assert bytes(p) == bytes(data)
    assert any("plen" in e.expected for e in p.errors)
    with pytest.raises(DecodeError):
        dissect(bytes(data), 229, strict=True)
    # A shorter plen leaves the rest as padding, as Scapy does.
    data[4:6] = (8).to_bytes(2, "big")
    q = IPv6(bytes(data))
    assert isinstance(q.lastlayer(), Padding) and bytes(q) == bytes(data)


def test_extension_header_length_past_the_end() -> None:
    base = bytes(IPv6(src=SRC, dst=DST) / IPv6ExtHdrHopByHop() / UDP())
    for cls_nh, body in ((0, b"\x11\x05" + b"\x01\x04\x00\x00\x00\x00"),
                         (43, b"\x11\x04\x00\x02\x00\x00\x00\x00"),
                         (60, b"\x11\x09\x01\x00")):
        data = bytearray(base[:40] + body)
        data[6] = cls_nh
        data[4:6] = len(body).to_bytes(2, "big")
        p = IPv6(bytes(data))
        assert bytes(p) == bytes(data)
        assert isinstance(p.payload, Raw) and p.errors
        with pytest.raises(DecodeError):
            dissect(bytes(data), 229, strict=True)
    # Options running past their header are kept as bytes, nothing lost.
    odd = bytearray(base)
    odd[42:48] = b"\x3e\x09\x00\x00\x00\x00"
    p = IPv6(bytes(odd))
    assert p[IPv6ExtHdrHopByHop].options == bytes(odd[42:48]) and bytes(p) == bytes(odd)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120), st.sampled_from([1, 101, 229]))
def test_random_bytes_never_raise(data: bytes, linktype: int) -> None:
    if linktype != 1 and data:
        data = bytes([0x60 | data[0] & 0x0F]) + data[1:]
    p = dissect(data, linktype)
    assert bytes(p) == data


@settings(max_examples=200, deadline=None)
@given(ipv6_stacks(), st.data())
def test_mutated_packets_round_trip(pair: tuple[Packet, SPacket], data: st.DataObject) -> None:
    raw_bytes = bytearray(bytes(pair[0]))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw_bytes) - 1))
        raw_bytes[i] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw_bytes)))
    mutated = bytes(raw_bytes[:cut])
    p = dissect(mutated, 229)
    assert bytes(p) == mutated
    p.summary()
    p.show(dump=True)


def test_segment_routing_final_destination_is_the_first_segment() -> None:
    segs = ["2001:db8::30", "2001:db8::20"]
    theirs = (s6.IPv6(src=SRC, dst=DST)
              / s6.IPv6ExtHdrSegmentRouting(addresses=segs, segleft=1, lastentry=1)
              / sinet.UDP(sport=9, dport=9))
    ours = (IPv6(src=SRC, dst=DST)
            / IPv6ExtHdrRouting(type=4, segleft=1, reserved=1 << 24, addresses=segs)
            / UDP(sport=9, dport=9))
    assert bytes(ours) == bytes(theirs)
    parsed = IPv6(bytes(theirs))
    # A routing header of type 4 is dissected as the segment routing header, as in Scapy.
    from paquet.layers.ipv6_srh import IPv6ExtHdrSegmentRouting

    assert parsed[IPv6ExtHdrSegmentRouting].addresses == segs and "bad" not in (
        parsed.show(dump=True) or "")


def test_tunnels_and_version_errors() -> None:
    inner6 = IPv6(src=SRC, dst=DST) / UDP(dport=7)
    v6in4 = IP(src="192.0.2.1", dst="192.0.2.2") / inner6
    assert bytes(v6in4) == bytes(sinet.IP(src="192.0.2.1", dst="192.0.2.2")
                                 / s6.IPv6(src=SRC, dst=DST) / sinet.UDP(dport=7))
    assert IP(bytes(v6in4))[IPv6][UDP].dport == 7
    v4in6 = IPv6(src=SRC, dst=DST) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=7)
    parsed = IPv6(bytes(v4in6))
    assert parsed.nh == 4 and parsed[IP][UDP].dport == 7
    bad = bytearray(bytes(inner6))
    bad[0] = 0x50
    p = IPv6(bytes(bad))
    assert bytes(p) == bytes(bad) and any("version 6" in e.expected for e in p.errors)
    with pytest.raises(DecodeError):
        dissect(bytes(bad), 229, strict=True)


def test_options_dissect_on_their_own_as_scapy() -> None:
    for data in (b"\x01\x02ab", b"\x3e\x01zq", b"\x00", b"\xc2\x04\x00\x01\x00\x00"):
        ours = (Pad1 if data[0] == 0 else PadN if data[0] == 1 else HBHOptUnknown)(data)
        theirs = s6.HBHOptUnknown(data)  # dispatches to Pad1/PadN/the option's class
        assert bytes(ours) == data
        if type(theirs).__name__ in ("Pad1", "PadN", "HBHOptUnknown"):
            assert repr(ours) == repr(theirs)


def test_quoted_udp_cut_short_is_not_an_error() -> None:
    # UDPerror knows it is a quote (in_quote), above IPerror6 or an extension header in it.
    from paquet.layers.icmpv6 import ICMPv6DestUnreach

    probe = bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrDestOpt()
                  / UDP(sport=4000, dport=33434) / (b"x" * 100))
    err = IPv6(bytes(IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6DestUnreach()
                     / probe[:60]))
    assert [type(x).__name__ for x in err.iterlayers()] == [
        "IPv6", "ICMPv6DestUnreach", "IPerror6", "IPv6ExtHdrDestOpt", "UDPerror", "Raw"]
    assert not err.errors and UDP not in err and "UDPerror" in err
    # Outside a quote, the same UDP header cut short is reported.
    cut = IPv6(probe[:60])
    assert [e.layer for e in cut.errors] == ["IPv6", "UDP"]
