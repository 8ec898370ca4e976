"""Probe templates and reply parsing, checked against scapy and the RFC 1071 checksum."""

from __future__ import annotations

import struct

from hypothesis import given
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror, TCPerror, UDPerror
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6

from paquet.checksums import internet_checksum, update_word
from paquet.probe.wire import Template, parse_reply

SRC, DST = "192.0.2.10", "203.0.113.20"
SRC6, DST6 = "2001:db8:0:1::a", "2001:db8:0:2::14"

ports = st.integers(0, 65535)
u32 = st.integers(0, 2**32 - 1)


def _checksums_ok(raw: bytes) -> bool:
    """scapy recomputes every checksum: equal bytes mean ours were right."""
    pkt = IP(raw) if raw[0] >> 4 == 4 else IPv6(raw)
    layers = [pkt] + [pkt.getlayer(i) for i in range(1, 3)]
    for layer in layers:
        if layer is not None and hasattr(layer, "chksum"):
            del layer.chksum
        if layer is not None and hasattr(layer, "cksum"):
            del layer.cksum
    return bytes(pkt.__class__(bytes(pkt))) == raw


@given(ports, ports, u32)
def test_syn_template_matches_scapy(sport: int, dport: int, seq: int) -> None:
    raw = bytes(Template.tcp_syn(SRC, DST).build(sport, dport, seq))
    ref = IP(raw)
    assert ref[TCP].flags == "S" and ref[TCP].seq == seq
    assert (ref[TCP].sport, ref[TCP].dport) == (sport, dport)
    assert ref[TCP].options == [("MSS", 1460)]
    assert _checksums_ok(raw)


@given(ports, ports, u32)
def test_fast_syn_build_equals_generic(sport: int, dport: int, seq: int) -> None:
    t = Template.tcp_syn(SRC, DST)
    assert bytes(t.build_syn(sport, dport, seq)) == bytes(Template.tcp_syn(SRC, DST)
                                                          .build(sport, dport, seq))


@given(ports, ports, st.integers(1, 65535), st.binary(max_size=40), st.integers(1, 255))
def test_udp_template_matches_scapy(sport: int, dport: int, ipid: int, payload: bytes,
                                    ttl: int) -> None:
    raw = bytes(Template.udp(SRC, DST, payload).build(sport, dport, ipid, ttl=ttl))
    ref = IP(raw)
    assert (ref.id, ref.ttl, ref[UDP].sport, ref[UDP].dport) == (ipid, ttl, sport, dport)
    assert bytes(ref[UDP].payload) == payload
    assert _checksums_ok(raw)


@given(ports, ports, st.binary(min_size=8, max_size=40))
def test_icmp_echo_v4_and_v6(ident: int, seq: int, payload: bytes) -> None:
    raw = bytes(Template.icmp_echo(SRC, DST, payload).build(ident, seq, 1))
    assert IP(raw)[ICMP].id == ident and IP(raw)[ICMP].seq == seq
    assert _checksums_ok(raw)
    raw6 = bytes(Template.icmp_echo(SRC6, DST6, payload).build(ident, seq, 1, ttl=7))
    ref = IPv6(raw6)
    assert ref.hlim == 7 and ref[ICMPv6EchoRequest].seq == seq
    # scapy recomputes the ICMPv6 checksum (pseudo-header included)
    del ref[ICMPv6EchoRequest].cksum
    assert bytes(IPv6(bytes(ref))) == raw6


@given(ports, ports, st.integers(1, 0xFFFE))
def test_pinned_checksum_keeps_the_flow_and_carries_the_id(sport: int, dport: int,
                                                           target: int) -> None:
    t = Template.udp(SRC, DST, bytes(32))
    t.pin_checksum(sport, dport, target)
    raw = bytes(t.build(sport, dport, 1))
    assert struct.unpack_from("!H", raw, 26)[0] == target
    assert _checksums_ok(raw)


@given(st.binary(min_size=20, max_size=20).map(bytearray), st.integers(0, 9), ports)
def test_rfc1624_update_equals_recomputation(header: bytearray, word: int, new: int) -> None:
    header[10:12] = b"\0\0"
    c = internet_checksum(bytes(header))
    struct.pack_into("!H", header, 10, c)
    old = struct.unpack_from("!H", header, word * 2)[0]
    if word == 5:
        return  # the checksum field itself
    struct.pack_into("!H", header, word * 2, new)
    updated = update_word(c, old, new)
    header[10:12] = b"\0\0"
    expected = internet_checksum(bytes(header))
    # 0x0000 and 0xFFFF are the same one's-complement number
    assert updated == expected or {updated, expected} == {0, 0xFFFF}


def test_parse_synack_and_icmp_errors() -> None:
    # tcpdump: 203.0.113.20.22 > 192.0.2.10.40000: Flags [S.], seq 7, ack 1235
    synack = bytes(IP(src=DST, dst=SRC, ttl=61) / TCP(sport=22, dport=40000, flags="SA",
                                                          seq=7, ack=1235))
    r = parse_reply(synack)
    assert r is not None and (r.sport, r.dport, r.ack, r.flags, r.ttl) == (22, 40000, 1235,
                                                                           0x12, 61)
    # ICMP port unreachable quoting a UDP probe with IP ID 4242
    err = bytes(IP(src=DST, dst=SRC) / ICMP(type=3, code=3) /
                IPerror(src=SRC, dst=DST, id=4242) / UDPerror(sport=33000, dport=53))
    r = parse_reply(err)
    assert r is not None and r.quote is not None
    assert (r.icmp_type, r.icmp_code, r.quote.ipid, r.quote.sport, r.quote.dport) == (
        3, 3, 4242, 33000, 53)
    # ICMP time exceeded quoting a TCP SYN: the quote carries the sequence number
    err = bytes(IP(src="198.51.100.2", dst=SRC) / ICMP(type=11) /
                IPerror(src=SRC, dst=DST) / TCPerror(sport=1, dport=80, seq=99))
    r = parse_reply(err)
    assert r is not None and r.quote is not None and r.quote.seq == 99


@given(st.binary(max_size=120))
def test_parse_never_raises(data: bytes) -> None:
    parse_reply(data)

