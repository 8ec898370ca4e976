"""Property tests against Scapy, the reference: same constructor arguments, same bytes; and our
dissection of Scapy-built bytes gives Scapy's field values.

Random stacks Ether/[Dot1Q]/(ARP | IP/(ICMP | UDP | TCP)/payload) with random field values,
options and payloads. Computed fields (lengths, checksums, protocol numbers) are left to None
half of the time and forced to random values the other half (a value set is always honoured).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers import dns as _sdns  # noqa: F401  (Scapy binds DNS on port 53, as paquet)
from scapy.layers import inet as sinet
from scapy.layers import l2 as sl2
from scapy.packet import Packet as SPacket
from scapy.packet import Raw as SRaw

import paquet.layers as P
from paquet.packet import Packet
from paquet.packet.fields import FieldError

ADDR4 = st.sampled_from(
    ["192.0.2.1", "192.0.2.254", "198.51.100.7", "203.0.113.9", "0.0.0.0", "255.255.255.255"]
)
MAC = st.sampled_from(
    ["02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "aa:bb:cc:dd:ee:ff"]
)
U8 = st.integers(0, 0xFF)
U16 = st.integers(0, 0xFFFF)
U32 = st.integers(0, 0xFFFFFFFF)
PAYLOAD = st.binary(max_size=64)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """None (computed) or a value (forced)."""
    return st.one_of(st.none(), strategy)


def kwargs(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A subset of the given fields with values: the others keep their defaults."""
    return st.fixed_dictionaries({}, optional=fields)


TCP_OPTION = st.one_of(
    st.tuples(st.just("MSS"), U16),
    st.tuples(st.just("NOP"), st.none()),
    st.tuples(st.just("WScale"), U8),
    st.tuples(st.just("SAckOK"), st.just(b"")),
    st.tuples(st.just("Timestamp"), st.tuples(U32, U32)),
    st.tuples(st.just("SAck"), st.lists(U32, min_size=1, max_size=3).map(tuple)),
    st.tuples(st.just("EOL"), st.none()),
    st.tuples(st.sampled_from([30, 99, 253]), st.binary(max_size=6)),
)


def _fits(opts: list[Any]) -> bool:
    """The options fit in a TCP header (40 bytes; paquet refuses more, see test_values.py)."""
    try:
        return len(bytes(P.TCP(options=opts))) <= 60
    except FieldError:
        return False


# Scapy stops reading at EOL: an EOL is only drawn last (paquet keeps what follows, as bytes).
TCP_OPTIONS = st.lists(TCP_OPTION, max_size=4).filter(
    lambda opts: _fits(opts) and all(o[0] != "EOL" for o in opts[:-1])
)

IP_KW = kwargs(
    tos=U8, id=U16, flags=st.integers(0, 7), ttl=U8, len=maybe(st.integers(20, 0xFFFF)),
    chksum=maybe(U16), ihl=maybe(st.integers(5, 15)), proto=maybe(U8),
)
TCP_KW = kwargs(
    sport=U16, dport=U16, seq=U32, ack=U32, flags=st.integers(0, 0x1FF), window=U16,
    chksum=maybe(U16), urgptr=U16, reserved=st.integers(0, 7), options=TCP_OPTIONS,
    dataofs=maybe(st.integers(5, 15)),
)
UDP_KW = kwargs(sport=U16, dport=U16, len=maybe(U16), chksum=maybe(U16))
ICMP_KW = st.one_of(
    kwargs(type=st.sampled_from([0, 8]), code=U8, id=U16, seq=U16, chksum=maybe(U16)),
    kwargs(type=st.just(3), code=U8, nexthopmtu=U16, length=U8),
    kwargs(type=st.just(11), code=st.sampled_from([0, 1]), length=U8),
    kwargs(type=st.just(5), code=U8, gw=ADDR4),
    kwargs(type=st.just(12), ptr=U8),
    st.fixed_dictionaries(  # timestamps left to None would be the time of building
        {"type": st.just(13), "ts_ori": U32, "ts_rx": U32, "ts_tx": U32},
        optional={"id": U16, "seq": U16},
    ),
)
ARP_KW = kwargs(
    op=st.integers(1, 9), hwsrc=MAC, psrc=ADDR4, hwdst=MAC, pdst=ADDR4,
)
ETHER_KW = st.fixed_dictionaries({"src": MAC, "dst": MAC})
DOT1Q_KW = kwargs(prio=st.integers(0, 7), dei=st.integers(0, 1), vlan=st.integers(0, 4095))


@st.composite
def stacks(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    """A random stack: [(layer name, constructor kwargs), ...], payload as ("Raw", {...})."""
    stack: list[tuple[str, dict[str, Any]]] = [("Ether", draw(ETHER_KW))]
    if draw(st.booleans()):
        stack.append(("Dot1Q", draw(DOT1Q_KW)))
    if draw(st.integers(0, 5)) == 0:
        arp = draw(ARP_KW)
        arp.setdefault("psrc", "192.0.2.1")
        arp.setdefault("hwsrc", "02:00:00:00:00:01")
        stack.append(("ARP", arp))
        return stack
    ip = draw(IP_KW)
    ip.update(src=draw(ADDR4), dst=draw(ADDR4))
    stack.append(("IP", ip))
    upper = draw(st.sampled_from(["TCP", "UDP", "ICMP", "none"]))
    if upper == "TCP":
        stack.append(("TCP", draw(TCP_KW)))
    elif upper == "UDP":
        stack.append(("UDP", draw(UDP_KW)))
    elif upper == "ICMP":
        stack.append(("ICMP", draw(ICMP_KW)))
    load = draw(PAYLOAD)
    if load:
        stack.append(("Raw", {"load": load}))
    return stack


SCAPY = {
    "Ether": sl2.Ether, "Dot1Q": sl2.Dot1Q, "ARP": sl2.ARP, "IP": sinet.IP, "TCP": sinet.TCP,
    "UDP": sinet.UDP, "ICMP": sinet.ICMP, "Raw": SRaw,
}
OURS = {
    "Ether": P.Ether, "Dot1Q": P.Dot1Q, "ARP": P.ARP, "IP": P.IP, "TCP": P.TCP, "UDP": P.UDP,
    "ICMP": P.ICMP, "Raw": P.Raw,
}


def build(table: dict[str, Any], stack: list[tuple[str, dict[str, Any]]]) -> Any:
    pkt = None
    for name, kw in stack:
        layer = table[name](**dict(kw))
        pkt = layer if pkt is None else pkt / layer
    return pkt


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(stacks())
def test_same_bytes_as_scapy(stack: list[tuple[str, dict[str, Any]]]) -> None:
    ours = build(OURS, stack)
    theirs = build(SCAPY, stack)
    assert bytes(ours) == bytes(theirs), stack


def _scapy_fields(layer: SPacket) -> dict[str, Any]:
    return {f.name: layer.getfieldval(f.name) for f in layer.fields_desc}


COMPARED = {
    "Ether": ("dst", "src", "type"),
    "802.1Q": ("prio", "dei", "vlan", "type"),
    "ARP": ("hwtype", "ptype", "hwlen", "plen", "op", "hwsrc", "psrc", "hwdst", "pdst"),
    "IP": ("version", "ihl", "tos", "len", "id", "flags", "frag", "ttl", "proto", "chksum",
           "src", "dst"),
    "TCP": ("sport", "dport", "seq", "ack", "dataofs", "reserved", "flags", "window", "chksum",
            "urgptr", "options"),
    "UDP": ("sport", "dport", "len", "chksum"),
    "ICMP": ("type", "code", "chksum", "id", "seq", "gw", "ptr", "nexthopmtu", "length",
             "ts_ori", "ts_rx", "ts_tx"),
    "Raw": ("load",),
    "Padding": ("load",),
}


def _norm(value: Any) -> Any:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, list):
        return [tuple(v) if isinstance(v, tuple) else v for v in value]
    return value


@SETTINGS
@given(stacks())
def test_dissect_scapy_bytes_gives_scapy_fields(stack: list[tuple[str, dict[str, Any]]]) -> None:
    # Lengths forced to wrong values make malformed packets, which Scapy and paquet read
    # differently (paquet keeps them raw, with the reason): see test_robustness.
    structural = {"ihl", "len", "dataofs", "proto"}
    stack = [(name, {k: v for k, v in kw.items() if k not in structural}) for name, kw in stack]
    data = bytes(build(SCAPY, stack))
    theirs = sl2.Ether(data)
    ours: Packet = P.Ether(data)
    assert bytes(ours) == data
    s_layer: Any = theirs
    o_layer: Any = ours
    while s_layer:
        name = s_layer.__class__.__name__
        if name in ("IPerror", "TCPerror", "UDPerror", "ICMPerror"):
            break  # compared by test_icmp_errors (Scapy's quotes end at different places)
        if name not in COMPARED and name != "Dot1Q":
            # A layer this test does not compare field by field (DNS on port 53, compared
            # in test_dns): the same class, or Raw for one paquet does not have.
            assert type(o_layer).__name__ in ("Raw", name), (stack, repr(theirs), repr(ours))
            break
        assert type(o_layer).__name__ == name, (stack, repr(theirs), repr(ours))
        key = "802.1Q" if name == "Dot1Q" else name
        wanted = _scapy_fields(s_layer)
        for field in COMPARED.get(key, ()):
            if field not in wanted or (name == "ICMP" and field not in o_layer._names):
                continue
            if name == "ICMP" and field not in [f.name for f in o_layer._shown_fields()]:
                continue
            assert _norm(o_layer.__dict__[field]) == _norm(wanted[field]), (name, field, stack)
        s_layer = s_layer.payload
        o_layer = o_layer.payload


@pytest.mark.parametrize(
    ("quoted", "probe_layer"),
    [
        (lambda s: s.UDP(sport=33434, dport=33435) / b"probe", "UDP"),
        (lambda s: s.TCP(sport=40000, dport=80, flags="S"), "TCP"),
        (lambda s: s.ICMP(id=7, seq=3), "ICMP"),
    ],
)
def test_icmp_errors_quote_the_probe(quoted: Any, probe_layer: str) -> None:
    """An ICMP time-exceeded built by Scapy (quoting 28 bytes) answers our probe."""
    probe_s = sinet.IP(src="192.0.2.1", dst="198.51.100.9", ttl=1) / quoted(sinet)
    probe = P.IP(bytes(probe_s))
    quote = bytes(probe_s)[:28]
    reply = bytes(sinet.IP(src="203.0.113.1", dst="192.0.2.1") / sinet.ICMP(type=11) / quote)
    ours = P.IP(reply)
    theirs = sinet.IP(reply)
    assert bytes(ours) == reply
    assert [c.__name__ for c in ours.layers()] == [c.__name__ for c in theirs.layers()]
    assert ours.answers(probe) and ours.hashret() == probe.hashret()
    assert bool(theirs.answers(probe_s)) and theirs.hashret() == probe_s.hashret()
    other = P.IP(bytes(sinet.IP(src="192.0.2.1", dst="198.51.100.10", ttl=1) / quoted(sinet)))
    assert not ours.answers(other)


def test_replies_answer_like_scapy() -> None:
    syn_s = sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.TCP(sport=1025, dport=80, seq=100)
    synack_s = sinet.IP(src="192.0.2.2", dst="192.0.2.1") / sinet.TCP(
        sport=80, dport=1025, flags="SA", seq=5000, ack=101
    )
    rst_s = sinet.IP(src="192.0.2.2", dst="192.0.2.1") / sinet.TCP(
        sport=80, dport=1025, flags="RA", seq=0, ack=101
    )
    echo_s = sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.ICMP(id=1, seq=2)
    reply_s = sinet.IP(src="192.0.2.2", dst="192.0.2.1") / sinet.ICMP(type=0, id=1, seq=2)
    wrong_s = sinet.IP(src="192.0.2.2", dst="192.0.2.1") / sinet.ICMP(type=0, id=1, seq=3)
    udp_s = sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.UDP(sport=5353, dport=53)
    udpr_s = sinet.IP(src="192.0.2.2", dst="192.0.2.1") / sinet.UDP(sport=53, dport=5353)
    arp_s = sl2.ARP(psrc="192.0.2.1", pdst="192.0.2.2", hwsrc="02:00:00:00:00:01")
    arpr_s = sl2.ARP(op=2, psrc="192.0.2.2", pdst="192.0.2.1", hwsrc="02:00:00:00:00:02")
    pairs = [(synack_s, syn_s), (rst_s, syn_s), (reply_s, echo_s), (wrong_s, echo_s),
             (udpr_s, udp_s), (syn_s, synack_s), (echo_s, reply_s), (arpr_s, arp_s)]
    for reply, probe in pairs:
        cls = P.ARP if isinstance(reply, sl2.ARP) else P.IP
        ours_r, ours_p = cls(bytes(reply)), cls(bytes(probe))
        assert ours_r.answers(ours_p) == bool(reply.answers(probe)), (reply, probe)
        if reply.answers(probe):
            assert ours_r.hashret() == ours_p.hashret()


def test_show_with_ip_options_equals_scapy() -> None:
    ours = P.IP(src="192.0.2.1", dst="192.0.2.2", options=[
        P.IPOption_Router_Alert(), P.IPOption_NOP(), P.IPOption_RR(routers=["192.0.2.7"]),
        P.IPOption_LSRR(routers=["192.0.2.1", "192.0.2.9"])]) / P.ICMP()
    theirs = sinet.IP(src="192.0.2.1", dst="192.0.2.2", options=[
        sinet.IPOption_Router_Alert(), sinet.IPOption_NOP(),
        sinet.IPOption_RR(routers=["192.0.2.7"]),
        sinet.IPOption_LSRR(routers=["192.0.2.1", "192.0.2.9"])]) / sinet.ICMP()
    assert bytes(ours) == bytes(theirs)
    assert ours.show(dump=True) == theirs.show(dump=True)
    assert P.IP(bytes(ours)).show(dump=True) == sinet.IP(bytes(theirs)).show(dump=True)
