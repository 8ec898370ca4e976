"""IPv4 and IPv6 fragmentation and reassembly against Scapy's, byte for byte; the overlap
policies against a byte-by-byte model; hostile fragment lists."""

from __future__ import annotations

import logging
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import paquet
from paquet.fragments import defrag, defragment, fragment, overlap_frag
from paquet.fragments6 import defragment6, fragment6
from paquet.layers import ARP, IP, UDP, Ether, IPv6
from paquet.packet.fields import FieldError
from paquet.plist import PacketList
from paquet.reassembly import FragmentQueue

scapy = pytest.importorskip("scapy.all")

# Constructions evaluated by both libraries (same names, same arguments).
NS_OURS = {name: getattr(paquet, name) for name in dir(paquet) if not name.startswith("_")}
NS_THEIRS = {name: getattr(scapy, name) for name in dir(scapy) if not name.startswith("_")}

IPV4_PACKETS = [
    'IP(src="192.0.2.1", dst="192.0.2.2") / (b"x" * 100)',
    'IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1000, dport=7777) / (b"u" * 3000)',
    'IP(src="192.0.2.1", dst="192.0.2.2", id=4321, flags="DF", ttl=3, tos=0x10)'
    ' / TCP(sport=1, dport=80, flags="PA") / (b"t" * 2000)',
    'IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(id=5, seq=9) / (b"i" * 1500)',
    'Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")'
    ' / IP(src="192.0.2.1", dst="192.0.2.2") / UDP() / (b"e" * 64)',
    'IP(src="192.0.2.1", dst="192.0.2.2", proto=99) / UDP() / (b"p" * 50)',
    'IP(src="192.0.2.1", dst="192.0.2.2", frag=100, flags="MF") / (b"r" * 90)',
    'IP(src="192.0.2.1", dst="192.0.2.2", frag=100) / (b"r" * 90)',
    'IP(src="192.0.2.1", dst="192.0.2.2") / IP(src="198.51.100.1", dst="198.51.100.2")'
    ' / UDP() / (b"n" * 70)',
    # options: record route is not copied (copy flag 0), router alert and LSRR are
    'IP(src="192.0.2.1", dst="192.0.2.2", options=[IPOption_RR(routers=["192.0.2.9"]),'
    ' IPOption_Router_Alert(), IPOption_NOP()]) / UDP() / (b"o" * 100)',
    'IP(src="192.0.2.1", dst="192.0.2.2", options=[IPOption_LSRR(routers=["198.51.100.1",'
    ' "203.0.113.5"])]) / UDP() / (b"o" * 100)',
    'IP(src="192.0.2.1", dst="192.0.2.0/30") / UDP() / (b"m" * 40)',
    'IP(src="192.0.2.1", dst="192.0.2.2")',
    'IP(src="192.0.2.1", dst="192.0.2.2") / b"12345"',
]

FRAGSIZES = [1, 5, 8, 9, 16, 23, 64, 1400, 1401, 1480, 5000]


def both(expr: str) -> tuple[Any, Any]:
    """``expr`` built by paquet and by Scapy."""
    return eval(expr, NS_OURS), eval(expr, NS_THEIRS)


def raws(packets: Any) -> list[bytes]:
    """The packets' bytes. Scapy's defrag puts its bad fragments in as (packet, offset,
    length) tuples, which its docstring does not mean: paquet gives the packets."""
    return [bytes(p[0] if isinstance(p, tuple) else p) for p in packets]


def header_fields(data: bytes, start: int = 0) -> tuple[int, ...]:
    """(id, MF, offset, total length, checksum, ihl) of the IPv4 header at ``start``."""
    h = data[start:]
    return (int.from_bytes(h[4:6], "big"), h[6] >> 5 & 1, int.from_bytes(h[6:8], "big") & 0x1FFF,
            int.from_bytes(h[2:4], "big"), int.from_bytes(h[10:12], "big"), h[0] & 15)


# ---------------------------------------------------------------------- fragment


@pytest.mark.parametrize("expr", IPV4_PACKETS)
@pytest.mark.parametrize("fragsize", FRAGSIZES)
def test_fragment_matches_scapy(expr: str, fragsize: int) -> None:
    ours, theirs = both(expr)
    mine, ref = fragment(ours, fragsize), scapy.fragment(theirs, fragsize)
    assert raws(mine) == raws(ref)
    start = 14 if expr.startswith("Ether") else 0
    assert [header_fields(b, start) for b in raws(mine)] == \
        [header_fields(b, start) for b in raws(ref)]
    # the method, on the IP layer as on the whole packet (Scapy delegates down the layers)
    assert raws(ours[IP].fragment(fragsize)) == raws(theirs[scapy.IP].fragment(fragsize))
    if "/30" not in expr:
        assert raws(ours.fragment(fragsize)) == raws(theirs.fragment(fragsize))


def test_fragment_copies_every_option_as_scapy() -> None:
    """Scapy keeps the whole header, options included, in every fragment (copy flag or not)."""
    ours, theirs = both(IPV4_PACKETS[9])
    mine = fragment(ours, 40)
    assert raws(mine) == raws(scapy.fragment(theirs, 40))
    hl = bytes(ours)[0] % 16 * 4
    assert hl > 20 and all(bytes(f)[20:hl] == bytes(ours)[20:hl] for f in mine)
    assert {o.copy_flag for f in mine[1:] for o in IP(bytes(f)).options if o.option > 1} \
        == {0, 1}


def test_fragment_of_lists_and_refragmenting_match_scapy() -> None:
    ours, theirs = both('IP(src="192.0.2.1", dst="192.0.2.2") / (b"X" * 4440)')
    mine = fragment(fragment(ours, 1480), 1400)
    ref = scapy.fragment(scapy.fragment(theirs, 1480), 1400)
    assert raws(mine) == raws(ref)
    assert len(mine) == 6


def test_fragment_keeps_time_and_gives_proto_as_scapy_overloads_it() -> None:
    ours, theirs = both('Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP() / b"abc"')
    ours.time = 1234.5
    mine = fragment(ours)
    assert mine[0].time == 1234.5
    assert mine[0][IP].proto == 17 and not mine[0][IP].is_set("proto")
    again = Ether(bytes(mine[0]))
    assert again[IP].proto == theirs[scapy.IP].proto == 17


def test_fragment_warns_below_8(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="paquet"):
        fragment(IP() / (b"x" * 20), 3)
    assert "fragsize cannot be lower than 8" in caplog.text


def test_fragment_without_ip_is_an_error() -> None:
    with pytest.raises(IndexError):
        fragment(ARP())


@pytest.mark.parametrize(("fragsize", "overlap_fragsize"), [(8, None), (16, 8), (8, 24)])
@pytest.mark.parametrize("proto", ["", "proto=17, "])
def test_overlap_frag_matches_scapy(fragsize: int, overlap_fragsize: int | None,
                                    proto: str) -> None:
    expr = f'IP({proto}src="192.0.2.1", dst="192.0.2.2") / UDP(chksum=0) / (b"A" * 40)'
    ours, theirs = both(expr)
    for overlap_expr in ('b"B" * 20', 'Raw(b"C" * 9)'):
        o_ours, o_theirs = both(overlap_expr)
        assert raws(overlap_frag(ours, o_ours, fragsize, overlap_fragsize)) == \
            raws(scapy.overlap_frag(theirs, o_theirs, fragsize, overlap_fragsize))


def test_overlap_frag_with_nothing_to_overlap_is_a_clear_error() -> None:
    with pytest.raises(FieldError, match="empty"):
        overlap_frag(IP() / (b"x" * 16), b"")


# ---------------------------------------------------------------------- defrag, defragment


def _scapy_lists() -> dict[str, list[bytes]]:
    """Fragment lists as frames (built by Scapy, so both libraries dissect the same bytes)."""
    s = scapy
    eth = s.Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    a = s.fragment(eth / s.IP(src="192.0.2.1", dst="192.0.2.2", id=7) / s.UDP(dport=53)
                   / (b"a" * 200), 64)
    b = s.fragment(eth / s.IP(src="192.0.2.3", dst="192.0.2.2", id=7) / s.ICMP()
                   / (b"b" * 100), 32)
    small = s.fragment(eth / s.IP(src="192.0.2.1", dst="192.0.2.2", id=9) / (b"c" * 10), 8)
    other = [eth / s.ARP(psrc="192.0.2.1"), eth / s.IP(src="192.0.2.1", dst="192.0.2.2") / s.UDP()]
    over = s.overlap_frag(eth / s.IP(src="192.0.2.1", dst="192.0.2.2", id=11, proto=17)
                          / (b"d" * 32), b"E" * 16)
    rng = random.Random(5)
    shuffled = a + b
    rng.shuffle(shuffled)
    lists = {
        "in order": a,
        "reversed": a[::-1],
        "shuffled": shuffled,
        "interleaved": [x for pair in zip(a, b, strict=False) for x in pair] + a[len(b):],
        "missing first": a[1:],
        "missing middle": a[:2] + a[3:],
        "missing last": a[:-1],
        "duplicate": a[:2] + a[1:],
        "mixed": other[:1] + a[:2] + other[1:] + b + a[2:] + small,
        "overlap_frag": over,
        "padded": small,  # 10 bytes: Ethernet pads the frames, IP len says what is data
        "empty": [],
        "non fragments": other,
    }
    return {k: [bytes(x) for x in v] for k, v in lists.items()}


LISTS = _scapy_lists()


def _dissected(frames: list[bytes]) -> tuple[list[Any], list[Any]]:
    return [Ether(f) for f in frames], [scapy.Ether(f) for f in frames]


@pytest.mark.parametrize("name", list(LISTS))
def test_defrag_and_defragment_match_scapy_on_dissected_frames(name: str) -> None:
    ours, theirs = _dissected(LISTS[name])
    mine, ref = defragment(ours), scapy.defragment(theirs)
    assert raws(mine) == raws(ref)
    assert isinstance(mine, PacketList) and mine.listname == "Defragmented"
    for m, r in zip(defrag(ours), scapy.defrag(theirs), strict=True):
        assert raws(m) == raws(r)


@pytest.mark.parametrize("expr", IPV4_PACKETS[:6])
@pytest.mark.parametrize("fragsize", [8, 24, 1480])
def test_defragment_of_built_fragments_matches_scapy(expr: str, fragsize: int) -> None:
    """Fragments as fragment() built them (not dissected): Scapy's rebuild loses the proto
    the payload gave, and so does paquet's."""
    ours, theirs = both(expr)
    mine, ref = fragment(ours, fragsize), scapy.fragment(theirs, fragsize)
    for m, r in ((mine, ref), (mine[::-1], ref[::-1]), (mine[1:], ref[1:])):
        assert raws(defragment(m)) == raws(scapy.defragment(r))
        assert [raws(x) for x in defrag(m)] == [raws(x) for x in scapy.defrag(r)]


def test_defragment_takes_the_first_fragment_time_and_the_list_name() -> None:
    frames = LISTS["reversed"]
    ours = PacketList([Ether(f) for f in frames], name="capture")
    for i, p in enumerate(ours):
        p.time = 1000.0 + i
    out = defragment(ours[::-1])
    assert out[0].time == ours[-1].time
    assert defragment(ours).listname == "Defragmented capture"


# ---------------------------------------------------------------------- fragment6, defragment6

IPV6_PACKETS = [
    'IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(id=77) / TCP()'
    ' / Raw(load=b"A" * 4000)',
    'IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(id=78) / UDP(sport=42,'
    ' dport=42) / Raw(load=b"B" * 1500)',
    'Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IPv6(src="2001:db8::1",'
    ' dst="2001:db8::2") / IPv6ExtHdrFragment(id=79) / ICMPv6EchoRequest(data=b"c" * 300)',
    'IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrHopByHop() / IPv6ExtHdrFragment('
    'id=80) / UDP() / (b"h" * 700)',
    'IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment(id=81) / (b"r" * 3)',
]


@pytest.mark.parametrize("expr", IPV6_PACKETS)
@pytest.mark.parametrize("size", [1280, 800, 100, 57, 49, 10, 70000])
def test_fragment6_matches_scapy(expr: str, size: int, caplog: pytest.LogCaptureFixture) -> None:
    ours, theirs = both(expr)
    with caplog.at_level(logging.WARNING, logger="paquet"):
        mine = fragment6(ours, size)
    ref = scapy.fragment6(theirs, size)
    assert raws(mine) == raws(ref)
    if len(ref) == 1 and len(bytes(theirs)) > size:
        assert "Provided fragment size value is too low" in caplog.text
    # and back: defragment6 gives Scapy's datagram
    assert bytes(defragment6(mine)) == bytes(scapy.defragment6(ref))


def test_fragment6_adds_a_fragment_header_as_scapy() -> None:
    expr = 'IPv6(src="2001:db8::1", dst="2001:db8::2") / TCP() / Raw(load=b"A" * 40000)'
    ours, theirs = both(expr)
    mine, ref = fragment6(ours, 1280), scapy.fragment6(theirs, 1280)
    assert len(mine) == len(ref) == 33
    ids = {f[paquet.IPv6ExtHdrFragment].id for f in mine}
    assert len(ids) == 1 and None not in ids  # random, one for the whole datagram
    for f in ref:  # Scapy draws its own: take ours, then the bytes must agree
        f[scapy.IPv6ExtHdrFragment].id = mine[0][paquet.IPv6ExtHdrFragment].id
    assert raws(mine) == raws(ref)


def test_fragment6_edge_cases_match_scapy(caplog: pytest.LogCaptureFixture) -> None:
    for expr in ('Ether(src="02:00:00:00:00:01") / ARP(hwsrc="02:00:00:00:00:01", '
                 'psrc="192.0.2.1", pdst="192.0.2.2")',
                 'IPv6(dst="2001:db8::2") / IPv6ExtHdrFragment(id=1) / b"x"'):
        ours, theirs = both(expr)
        assert raws(fragment6(ours, 1280)) == raws(scapy.fragment6(theirs, 1280))
    ours, theirs = both('IPv6(dst="2001:db8::2") / IPv6ExtHdrFragment(id=1) / (b"x" * 65535)')
    with caplog.at_level(logging.WARNING, logger="paquet"):
        assert fragment6(ours, 1280) == scapy.fragment6(theirs, 1280) == []
    assert "Jumbo" in caplog.text


def test_defragment6_with_holes_other_ids_and_padding_matches_scapy() -> None:
    ours, theirs = both(IPV6_PACKETS[0])
    mine, ref = fragment6(ours, 800), scapy.fragment6(theirs, 800)
    for drop in ([4, 2], [0], [len(ref) - 1], []):
        m, r = list(mine), list(ref)
        for i in drop:
            del m[i], r[i]
        assert bytes(defragment6(m)) == bytes(scapy.defragment6(r))
    stray_ours, stray_theirs = both(IPV6_PACKETS[1])
    m = mine + fragment6(stray_ours, 800)
    r = ref + scapy.fragment6(stray_theirs, 800)
    assert bytes(defragment6(m)) == bytes(scapy.defragment6(r))
    # dissected frames with Ethernet padding after each fragment
    ether = [bytes(scapy.Ether() / f / scapy.Padding(b"a" * 8)) for f in ref]
    assert bytes(defragment6(Ether(f) for f in ether)) == \
        bytes(scapy.defragment6(scapy.Ether(f) for f in ether))
    assert defragment6([IP() / b"x"]) == scapy.defragment6([scapy.IP() / b"x"]) == []


def test_defragment6_puts_fragments_in_offset_order() -> None:
    """Scapy's docstring says it reorders (its loop does not): paquet does."""
    ours, theirs = both(IPV6_PACKETS[0])
    mine, ref = fragment6(ours, 800), scapy.fragment6(theirs, 800)
    rng = random.Random(3)
    rng.shuffle(mine)
    assert bytes(defragment6(mine)) == bytes(scapy.defragment6(ref))


# ---------------------------------------------------------------------- overlap policies


def model(pieces: list[tuple[int, bytes, bool]], policy: str) -> bytes | None:
    """A byte-by-byte model of the "first" and "last" policies (no runs, no intervals): whole
    when every byte up to the last piece's end, and the first byte, came."""
    owner: dict[int, int] = {}
    end = None
    for off, data, more in pieces:
        if not more and (end is None or policy == "last"):
            end = off + len(data)
        for i, byte in enumerate(data):
            if policy == "last" or off + i not in owner:
                owner[off + i] = byte
    if end is None or 0 not in owner or any(i not in owner for i in range(end)):
        return None
    return bytes(owner[i] for i in range(end))


def feed(pieces: list[tuple[int, bytes, bool]], policy: str) -> bytes | None:
    q = FragmentQueue(policy)
    out = None
    for off, data, more in pieces:
        if q.add(off, data, more) == "complete":
            out = q.data()
            break
    return out


pieces_strategy = st.lists(
    st.tuples(st.integers(0, 12).map(lambda x: x * 8), st.binary(min_size=0, max_size=40),
              st.booleans()), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(pieces_strategy, st.sampled_from(["first", "last"]))
def test_first_and_last_policies_match_the_byte_model(pieces: list[tuple[int, bytes, bool]],
                                                      policy: str) -> None:
    # the queue says "complete" at the first piece that makes it whole: compare there
    for n in range(1, len(pieces) + 1):
        expected = model(pieces[:n], policy)
        if expected is not None:
            assert feed(pieces[:n], policy) == expected
            return
    assert feed(pieces, policy) is None


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=1, max_size=600), st.integers(1, 200), st.randoms(),
       st.sampled_from(["first", "last", "linux"]))
def test_any_order_reassembles_the_original(load: bytes, size: int, rnd: random.Random,
                                            policy: str) -> None:
    pkt = IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=9) / load
    frags = fragment(pkt, size)
    rnd.shuffle(frags)
    out = defragment(frags, policy=policy)
    assert len(out) == 1
    assert bytes(out[0][IP].payload) == bytes(pkt[IP].payload)
    notfrag, done, bad = defrag(frags, policy=policy)
    whole = len(frags) == 1  # it fitted: one datagram, not a fragment
    assert (len(notfrag), len(done), len(bad)) == ((1, 0, 0) if whole else (0, 1, 0))


def test_policies_settle_an_overlap_differently() -> None:
    pkt = IP(src="192.0.2.1", dst="192.0.2.2", proto=17) / (b"A" * 32)
    frags = overlap_frag(pkt, b"B" * 8)  # a B fragment at offset 0, then the A's
    firsts = bytes(defragment(frags, policy="first")[0].payload)
    lasts = bytes(defragment(frags, policy="last")[0].payload)
    linux = bytes(defragment(frags, policy="linux")[0].payload)
    assert firsts == linux == b"B" * 8 + b"A" * 24
    assert lasts == b"A" * 32


def test_unknown_policy_is_an_error() -> None:
    with pytest.raises(ValueError, match="policy"):
        defragment([], policy="bsd")


# ---------------------------------------------------------------------- hostile input


def _frag(offset8: int, data: bytes, more: bool, ident: int = 1) -> Any:
    return IP(src="192.0.2.1", dst="192.0.2.2", id=ident, proto=17, frag=offset8,
              flags="MF" if more else 0) / data


@pytest.mark.parametrize("policy", [None, "first", "last", "linux"])
def test_hostile_fragments_never_raise(policy: str | None) -> None:
    hostile = [
        _frag(8191, b"z" * 1000, False),  # past 65,535
        _frag(8191, b"z" * 1000, True, 2),
        _frag(0, b"", True, 3), _frag(1, b"", False, 3),  # zero length
        *[_frag(0, b"d" * 8, True, 4) for _ in range(500)],  # duplicates, never ending
        *[_frag(i, b"q" * 8, i != 8191, 5) for i in range(8191, -1, -1)],  # too big
        IP(bytes(_frag(3, b"w" * 16, False, 6))[:25]),  # cut short
        ARP(), b"not a packet", None,
    ]
    out = defragment(hostile, policy=policy)
    assert len(out) <= len(hostile)
    notfrag, done, _bad = defrag(hostile, policy=policy)
    assert not notfrag
    if policy is not None:
        assert all(len(p) <= 65535 for p in done)


def test_a_datagram_past_65535_bytes_is_discarded_by_the_policies() -> None:
    frags = [_frag(8189, b"x" * 100, False), *[_frag(i, b"y" * 8, True) for i in range(8189)]]
    for policy in ("first", "last", "linux"):
        _notfrag, done, bad = defrag(frags, policy=policy)
        assert not done and len(bad) == len(frags)


@pytest.mark.parametrize("policy", ["first", "last", "linux"])
def test_defragment6_policies_take_any_order(policy: str) -> None:
    ours, theirs = both(IPV6_PACKETS[0])
    mine, ref = fragment6(ours, 800), scapy.fragment6(theirs, 800)
    random.Random(4).shuffle(mine)
    assert bytes(defragment6(mine, policy=policy)) == bytes(scapy.defragment6(ref))
    assert defragment6(mine[1:], policy=policy) == []  # a hole: nothing, not X's


def test_defragment6_linux_policy_drops_an_odd_piece_alone() -> None:
    """IPv6 (ip6_frag_queue): a piece that is not the last and not a multiple of 8 long is
    dropped by itself; IPv4 cuts it down."""
    base = IPv6(src="2001:db8::1", dst="2001:db8::2")
    frag = paquet.IPv6ExtHdrFragment
    pieces = [base / frag(nh=17, offset=0, m=1, id=5) / (b"a" * 12),
              base / frag(nh=17, offset=0, m=1, id=5) / (b"b" * 8),
              base / frag(nh=17, offset=1, m=0, id=5) / (b"c" * 8)]
    assert bytes(defragment6(pieces, policy="linux").payload) == b"b" * 8 + b"c" * 8
    four = [_frag(0, b"a" * 12, True), _frag(0, b"b" * 8, True), _frag(1, b"c" * 8, False)]
    assert bytes(defragment(four, policy="linux")[0][IP].payload) == b"a" * 8 + b"c" * 8


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300), st.integers(1, 120), st.integers(0, 0xFFFF), st.randoms(),
       st.lists(st.integers(0, 30), max_size=4), st.lists(st.integers(0, 30), max_size=3))
def test_scapy_rule_matches_scapy_on_any_order(size: int, fragsize: int, ident: int,
                                               rnd: random.Random, drops: list[int],
                                               dups: list[int]) -> None:
    """Shuffled, thinned and repeated fragments of two datagrams: the same lists as Scapy."""
    s = scapy
    frames = []
    for src in ("192.0.2.1", "192.0.2.3"):
        pkt = s.Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / s.IP(
            src=src, dst="192.0.2.2", id=ident) / s.UDP() / (b"v" * size)
        frames += [bytes(f) for f in s.fragment(pkt, fragsize)]
    frames += [frames[i % len(frames)] for i in dups]
    for i in drops:
        if frames:
            del frames[i % len(frames)]
    rnd.shuffle(frames)
    ours, theirs = _dissected(frames)
    assert raws(defragment(ours)) == raws(scapy.defragment(theirs))
    assert [raws(x) for x in defrag(ours)] == [raws(x) for x in scapy.defrag(theirs)]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 1500), st.sampled_from(IPV4_PACKETS[:3]))
def test_fragment_sizes_match_scapy(size: int, fragsize: int, stem: str) -> None:
    expr = stem.rsplit("/", 1)[0] + f"/ (b'q' * {size})"
    ours, theirs = both(expr)
    assert raws(fragment(ours, fragsize)) == raws(scapy.fragment(theirs, fragsize))


@pytest.mark.parametrize("policy", [None, "first", "last", "linux"])
def test_hostile_ipv6_fragments_never_raise(policy: str | None) -> None:
    base = IPv6(src="2001:db8::1", dst="2001:db8::2")
    frag = paquet.IPv6ExtHdrFragment
    hostile: list[Any] = [
        base / frag(offset=8191, m=0, id=9) / (b"z" * 1000),  # past 65,535
        base / frag(offset=0, m=1, id=9) / b"",  # zero length
        IPv6(plen=3) / frag(offset=1, m=1, id=9) / (b"p" * 40),  # plen shorter than the header
        IPv6(plen=60000) / frag(offset=2, m=1, id=9) / b"q",  # plen longer than the packet
        *[base / frag(offset=0, m=1, id=9) / (b"d" * 8) for _ in range(300)],
        frag(id=9) / b"no IPv6 below", IPv6(bytes(base / frag(id=9) / b"cut")[:45]),
        ARP(), b"not a packet", None,
    ]
    out = defragment6(hostile, policy=policy)
    assert out == [] or len(bytes(out)) < 200000


def test_fragment_options_copied_keeps_only_the_copy_flag() -> None:
    """RFC 791: the fragments after the first carry the options whose copy flag is set."""
    ours, _theirs = both(IPV4_PACKETS[9])  # RR (not copied), router alert (copied), NOP
    first, *later = fragment(ours, 40, options="copied")
    assert bytes(first)[:bytes(first)[0] % 16 * 4] == bytes(fragment(ours, 40)[0])[:32]
    for f in later:
        again = IP(bytes(f))
        assert [o.type_byte for o in again.options] == [148]  # router alert alone
        assert again.ihl == 6 and again.chksum == IP(bytes(again)).chksum
    assert bytes(defragment([*later[::-1], first], policy="linux")[0][IP].payload) == \
        bytes(ours[IP].payload)


def test_fragment_options_linux_fills_with_nops_and_keeps_the_length() -> None:
    ours, _theirs = both(IPV4_PACKETS[9])
    frags = fragment(ours, 40, options="linux")
    hl = bytes(ours)[0] % 16 * 4
    for f in frags[1:]:
        raw = bytes(f)
        assert raw[0] % 16 * 4 == hl
        opts = IP(raw).options
        assert {o.type_byte for o in opts} == {1, 148}
    with pytest.raises(FieldError, match="options"):
        fragment(ours, 40, options="rfc")
