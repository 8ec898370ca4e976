"""Stateless matching: right answers accepted, forged or stray ones rejected (property tests)."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror, TCPerror, UDPerror

from paquet.probe.cookies import SLOTS, Cookies
from paquet.probe.discover import _Space as DiscoverSpace
from paquet.probe.scan import _Space as ScanSpace

SRC, DST = "192.0.2.10", "203.0.113.20"
PORTS = [22, 80, 443, 8080]
ports = st.sampled_from(PORTS)
slots = st.integers(0, SLOTS - 1)
u32 = st.integers(0, 2**32 - 1)


def space(udp: bool = False, ack: bool = False) -> ScanSpace:
    return ScanSpace([DST], PORTS, Cookies(b"s" * 16), udp=udp, sockets=False, src=SRC,
                     ack=ack)


def synack(sp: ScanSpace, port: int, slot: int, ack: int, flags: str = "SA",
           src: str = DST) -> bytes:
    return bytes(IP(src=src, dst=SRC, ttl=60) /
                 TCP(sport=port, dport=sp.cookies.sport_base + slot, flags=flags, ack=ack))


def cookie(sp: ScanSpace, port: int) -> int:
    t = sp.templates[0]
    return sp.cookies.tcp_seq(t.src, t.dst, port)


@given(ports, slots)
def test_genuine_synack_and_rst_accepted(port: int, slot: int) -> None:
    sp = space()
    good = (cookie(sp, port) + 1) & 0xFFFFFFFF
    assert sp.match(synack(sp, port, slot, good)) == (PORTS.index(port), slot)
    assert sp.codes[PORTS.index(port)] == 1  # open
    sp2 = space()
    assert sp2.match(synack(sp2, port, slot, good, flags="RA")) is not None
    assert sp2.codes[PORTS.index(port)] == 2  # closed


@given(ports, slots, u32)
def test_forged_ack_rejected(port: int, slot: int, ack: int) -> None:
    sp = space()
    assume(ack != (cookie(sp, port) + 1) & 0xFFFFFFFF)
    assert sp.match(synack(sp, port, slot, ack)) is None
    assert sp.match(synack(sp, port, slot, ack, flags="RA")) is None
    assert not any(sp.codes)


@given(ports, st.integers(0, 65535))
def test_reply_to_a_port_outside_our_range_rejected(port: int, dport: int) -> None:
    sp = space()
    assume(not 0 <= dport - sp.cookies.sport_base < SLOTS)
    good = (cookie(sp, port) + 1) & 0xFFFFFFFF
    pkt = bytes(IP(src=DST, dst=SRC) / TCP(sport=port, dport=dport, flags="SA", ack=good))
    assert sp.match(pkt) is None


@given(ports, slots)
def test_genuine_answer_from_another_host_rejected(port: int, slot: int) -> None:
    sp = space()
    good = (cookie(sp, port) + 1) & 0xFFFFFFFF
    assert sp.match(synack(sp, port, slot, good, src="203.0.113.21")) is None


@given(ports, slots, u32)
def test_icmp_error_must_quote_the_cookie(port: int, slot: int, seq: int) -> None:
    sp = space()
    sport = sp.cookies.sport_base + slot
    err = bytes(IP(src="198.51.100.1", dst=SRC) / ICMP(type=3, code=13) /
                IPerror(src=SRC, dst=DST) / TCPerror(sport=sport, dport=port, seq=seq))
    expected = seq == cookie(sp, port)
    assert (sp.match(err) is not None) == expected


@given(ports, slots)
def test_udp_icmp_error_checks_the_ip_id(port: int, slot: int) -> None:
    sp = space(udp=True)
    sport = sp.cookies.sport_base + slot
    good = sp.cookies.udp_ipid(sp.templates[0].dst, port, sport)
    for ipid, ok in ((good, True), ((good + 1) & 0xFFFF, False)):
        sp = space(udp=True)
        err = bytes(IP(src=DST, dst=SRC) / ICMP(type=3, code=3) /
                    IPerror(src=SRC, dst=DST, id=ipid) / UDPerror(sport=sport, dport=port))
        assert (sp.match(err) is not None) == ok
        if ok:
            assert sp.codes[PORTS.index(port)] == 13  # closed (port-unreach)


def test_udp_answer_opens_and_stray_datagram_ignored() -> None:
    sp = space(udp=True)
    base = sp.cookies.sport_base
    assert sp.match(bytes(IP(src=DST, dst=SRC) / UDP(sport=80, dport=base + 3))) == (1, 3)
    assert sp.match(bytes(IP(src=DST, dst=SRC) / UDP(sport=80, dport=base - 1))) is None
    assert sp.match(bytes(IP(src=DST, dst=SRC) / UDP(sport=81, dport=base))) is None


@given(st.binary(min_size=8, max_size=8), st.integers(0, 255))
def test_echo_reply_needs_the_payload_tag(payload: bytes, slot: int) -> None:
    sp = DiscoverSpace([DST], Cookies(b"t" * 16), sockets=False, src=SRC)
    c = sp.cookies
    tag = c.echo_tag(sp.tpl[0][0].dst, c.echo_id, slot)
    genuine = bytes(IP(src=DST, dst=SRC) / ICMP(type=0, id=c.echo_id, seq=slot) / tag)
    forged = bytes(IP(src=DST, dst=SRC) / ICMP(type=0, id=c.echo_id, seq=slot) / payload)
    assert (sp.match(forged) is not None) == (payload == tag)
    sp2 = DiscoverSpace([DST], Cookies(b"t" * 16), sockets=False, src=SRC)
    assert sp2.match(genuine) is not None and sp2.status[0].up


def test_cookies_differ_per_secret_and_per_target() -> None:
    a, b = Cookies(), Cookies()
    s, d = bytes([192, 0, 2, 10]), bytes([203, 0, 113, 20])
    assert a.tcp_seq(s, d, 80) != b.tcp_seq(s, d, 80) or a.secret == b.secret
    assert a.tcp_seq(s, d, 80) == a.seq_of(a.tcp_hasher(s, d), 80)
    assert len({a.tcp_seq(s, d, p) for p in range(1000)}) > 990


@given(ports, slots, u32)
def test_ack_scan_rst_must_return_the_cookie(port: int, slot: int, seq: int) -> None:
    sp = space(ack=True)
    rst = bytes(IP(src=DST, dst=SRC) / TCP(sport=port, dport=sp.cookies.sport_base + slot,
                                            flags="R", seq=seq))
    ok = seq == cookie(sp, port)
    assert (sp.match(rst) is not None) == ok
    if ok:
        assert sp.codes[PORTS.index(port)] == 16  # unfiltered (reset)
    sp = space(ack=True)
    good = bytes(IP(src=DST, dst=SRC) / TCP(sport=port, dport=sp.cookies.sport_base + slot,
                                             flags="R", seq=cookie(sp, port)))
    assert sp.match(good) is not None
