"""Packets holding random values, and fuzz(), against Scapy: a volatile field draws again at each
build, prints as Scapy prints it (repr, show, command), and fuzz() fuzzes the fields Scapy's
fuzz() fuzzes, leaving computed fields computed."""

from __future__ import annotations

import ipaddress
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paquet.layers as P
from paquet.packet import registry
from paquet.packet.addrfields import IPField, MACField
from paquet.packet.base import Packet
from paquet.packet.fields import ByteField, ShortField
from paquet.packet.registry import layer_classes
from paquet.volatile import (
    IncrementalValue,
    RandByte,
    RandIP,
    RandIP6,
    RandMAC,
    RandNum,
    RandShort,
    RandString,
    VolatileValue,
)
from paquet.volatile.fuzzing import fixed_copy, fuzz, has_volatile, randval

SA = pytest.importorskip("scapy.all")


def test_a_random_field_is_drawn_at_each_build() -> None:
    frames = [bytes(P.IP(src=RandIP(), dst="192.0.2.1")) for _ in range(1000)]
    sources = {f[12:16] for f in frames}
    assert len(sources) > 990
    assert {f[16:20] for f in frames} == {bytes([192, 0, 2, 1])}
    # Each frame is the header built with its drawn source: checksum and all.
    for f in frames[:50]:
        assert bytes(P.IP(src=P.IP(f).src, dst="192.0.2.1")) == f


def test_the_drawn_values_are_scapy_s() -> None:
    # Same seed, same packet: the same bytes as Scapy (the values are drawn in field order).
    def build(m: Any) -> list[bytes]:
        # (keywords in the order of the field table: Scapy draws in the order they are given)
        pkt = (m.IP(id=m.RandShort(), ttl=m.RandByte(), src=m.RandIP("198.51.100.0/24"),
                    dst="192.0.2.1")
               / m.UDP(sport=m.RandShort(), dport=53) / m.Raw(load=m.RandBin(8)))
        return [bytes(pkt) for _ in range(20)]

    random.seed(4)
    theirs = build(SA)
    random.seed(4)
    ours = build(_Namespace())
    assert ours == theirs


class _Namespace:
    """paquet's names under Scapy's (``m.IP``, ``m.RandIP``...)."""

    def __getattr__(self, name: str) -> Any:
        import paquet

        return getattr(paquet, name)


def test_every_field_kind_takes_a_random_value() -> None:
    # (dst given: an Ether towards 192.0.2.9 would ask for its MAC from the root namespace)
    pkt = (P.Ether(dst="02:00:00:00:00:09", src=RandMAC("02:*"), type=RandNum(0x600, 0xFFFF))
           / P.IP(flags=RandNum(0, 7), proto=RandByte(), version=RandNum(0, 15), dst="192.0.2.9")
           / P.UDP(sport=RandShort()) / P.Raw(load=RandString(RandNum(1, 40))))
    seen = {bytes(pkt) for _ in range(200)}
    assert len(seen) == 200
    for frame in list(seen)[:20]:
        assert frame[6] == 2  # the template's first byte
        assert P.Ether(frame).build() == frame


def test_repr_show_and_command_are_scapy_s() -> None:
    def make(m: Any) -> Any:
        return (m.IP(src=m.RandIP(), ttl=m.RandByte(), dst="192.0.2.1")
                / m.TCP(sport=m.RandShort(), dport=80, seq=m.RandInt())
                / m.Raw(load=m.RandString(5)))

    ours, theirs = make(_Namespace()), make(SA)
    assert repr(ours) == repr(theirs)
    assert ours.command() == theirs.command()
    our_show = ours.show(dump=True).splitlines()
    their_show = theirs.show(dump=True).splitlines()
    assert len(our_show) == len(their_show)
    for a, b in zip(our_show, their_show, strict=True):
        if "<Rand" in b:
            assert a == b


def test_show_computes_the_source_from_a_drawn_destination() -> None:
    # Scapy draws the destination to compute the source it shows: so does paquet.
    text = P.IP(dst=RandIP("192.0.2.0/24")).show(dump=True)
    assert "dst       = <RandIP>" in text
    src = next(line for line in text.splitlines() if line.strip().startswith("src"))
    ipaddress.ip_address(src.split("=")[1].strip())
    text6 = P.IPv6(dst=RandIP6("2001:db8::*")).show(dump=True)
    assert "dst       = <RandIP6>" in text6


def test_a_packet_without_random_values_is_built_as_before() -> None:
    pkt = P.IP(dst="192.0.2.1") / P.TCP()
    assert not has_volatile(pkt)
    assert fixed_copy(pkt) is None
    dissected = P.Ether(bytes(P.Ether() / P.IP() / P.UDP()))
    assert fixed_copy(dissected) is None


def test_no_hook_until_a_random_value_is_made() -> None:
    # Zero cost for programs that make none: the star import installs nothing.
    code = (
        "from paquet import *\n"
        "import paquet.packet.base as b\n"
        "bytes(IP()/TCP())\n"
        "assert b._volatile_hook is None, 'hook installed early'\n"
        "RandShort()\n"
        "assert b._volatile_hook is not None\n"
        "assert fuzz.__name__ == 'fuzz' and RandTCPOptions.__name__ == 'RandTCPOptions'\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=env)


def test_an_incremental_value_counts_builds() -> None:
    pkt = P.IP(dst="192.0.2.1", id=IncrementalValue(start=100, step=2)) / P.ICMP()
    ids = [P.IP(bytes(pkt)).id for _ in range(4)]
    assert ids == [100, 102, 104, 106]


# ------------------------------------------------------------------------------- fuzz()

SCAPY_NAMES = {"SLL2": "CookedLinuxV2"}
# Fields Scapy's fuzz() changes that paquet's leaves, and why.
KNOWN = {
    # Scapy fuzzes a MultipleTypeField whose default is None (ARP's addresses, computed from
    # the host here: computed fields stay computed); ICMP's unused depends on the type.
    "ARP": {"hwsrc", "psrc"},
    # (HSRPv2's virtualIP, IPv4 or IPv6 by ipVer, None by default: the same; wt-routing)
    "HSRPv2": {"virtualIP"},
    "ICMP": {"unused"},
    "ICMPerror": {"unused"},
    # A node information message's data is a name, IPv6 or IPv4 addresses or nothing, by its
    # qtype and code: paquet's fuzz leaves it; Scapy's puts random bytes there.
    **{f"ICMPv6NI{kind}{what}": {"data"}
       for kind, whats in (("Query", ("NOOP", "Name", "IPv6", "IPv4")),
                           ("Reply", ("NOOP", "Name", "IPv6", "IPv4", "Refuse", "Unknown")))
       for what in whats},
    # NTP control: the status word's kind depends on response and op_code; paquet's fuzz draws
    # the status (Scapy's leaves the packet of the default) and the response bit (Scapy's
    # keeps it, its status reading the bit while fuzz runs), and keeps the authenticator.
    "NTPControl": {"status", "authenticator", "response"},
    # 802.11: Scapy's fuzz fixes the layer's other random values while it draws FCfield's (a
    # MultipleTypeField), type among them, drawn equal to its default here; paquet's leaves
    # type random.
    "Dot11": {"type"},
    "Dot11FCS": {"type"},
    # An MCS map (eight 2-bit values): Scapy's fuzz gives it a random integer (which cannot
    # be built), paquet's eight random values; ext_ID's condition (len > 0) is false when
    # paquet fuzzes, Scapy's draws it anyway.
    "Dot11EltVHTOperation": {"mcs_set"},
    "Dot11EltHEOperation": {"ext_ID", "basic_he_mcs_and_nss_set"},
}


def _kept(pkt: Any, names: list[str], fuzz_fn: Any) -> set[str]:
    """The fields fuzz_fn(pkt) leaves as they were: not random, equal to the value before.

    (Never ``_inplace=1`` on Scapy's side: its fuzz would change the class's defaults.)
    """
    volatile = (VolatileValue, SA.VolatileValue)
    ours = isinstance(pkt, Packet)
    get = (lambda p, n: p.__dict__[n]) if ours else (lambda p, n: p.getfieldval(n))
    fuzzed = fuzz_fn(pkt)
    kept = set()
    for n in names:
        before, after = get(pkt, n), get(fuzzed, n)
        if not isinstance(after, volatile) and after == before:
            kept.add(n)
    return kept


@pytest.mark.parametrize("cls", [c for c in layer_classes() if c._fields],
                         ids=lambda c: c.__name__)
def test_fuzz_changes_the_fields_scapy_s_changes(cls: type[Packet]) -> None:
    scls = getattr(SA, SCAPY_NAMES.get(cls.__name__, cls.__name__), None)
    if scls is None:
        pytest.skip(f"Scapy has no {cls.__name__}")
    names = [f.name for f in cls._fields]
    random.seed(1)  # a random value equal to the default is the same object: seeded
    ours = _kept(cls(), names, fuzz)
    random.seed(1)
    theirs = _kept(scls(), [f.name for f in scls.fields_desc if f.name in names], SA.fuzz)
    known = KNOWN.get(cls.__name__, set())
    assert ours - known == theirs - known
    assert known <= ours ^ theirs  # the differences listed are still differences


def test_fuzz_leaves_computed_explicit_and_bound_fields() -> None:
    pkt = P.Ether() / P.IP(dst="192.0.2.1", ttl=3) / P.UDP(dport=53)
    f = fuzz(pkt)
    ip, udp = f[P.IP], f[P.UDP]
    assert (ip.len, ip.chksum, ip.ihl, udp.len, udp.chksum) == (None,) * 5
    assert (ip.dst, ip.ttl, udp.dport, ip.proto, f.type) == ("192.0.2.1", 3, 53, 17, 0x800)
    assert isinstance(ip.id, VolatileValue) and isinstance(udp.sport, VolatileValue)
    assert repr(f) == repr(pkt)  # Scapy's fuzz changes defaults, not the fields set
    assert repr(SA.fuzz(SA.Ether() / SA.IP(dst="192.0.2.1", ttl=3) / SA.UDP(dport=53))) == repr(f)
    assert not has_volatile(pkt)  # a copy was fuzzed
    same = fuzz(pkt, _inplace=1)
    assert same is pkt and has_volatile(pkt)


def test_fuzzed_packets_build_valid_lengths_and_checksums() -> None:
    random.seed(3)
    f = fuzz(P.IP(dst="192.0.2.1", version=4, ihl=None) / P.UDP() / P.Raw(b"x" * 10))
    for _ in range(100):
        frame = bytes(f)
        ip = P.IP(frame)
        assert ip.len == len(frame)
        assert bytes(P.IP(frame)) == frame


def test_fuzz_is_reproducible_with_a_seed() -> None:
    stacks = [P.Ether() / P.IP() / P.TCP(), P.IPv6() / P.ICMPv6EchoRequest(), P.ARP()]
    random.seed(2026)
    a = [bytes(fuzz(s)) for s in stacks for _ in range(50)]
    random.seed(2026)
    b = [bytes(fuzz(s)) for s in stacks for _ in range(50)]
    assert a == b
    assert len(set(a)) == len(a)


def test_randval_follows_the_field_kind_as_scapy_s() -> None:
    pairs = [(ByteField("a", 0), SA.ByteField("a", 0)), (ShortField("a", 0), SA.ShortField("a", 0)),
             (IPField("a", "0.0.0.0"), SA.IPField("a", "0.0.0.0")),
             (MACField("a", None), SA.MACField("a", None)),
             (P.IPv6._fieldmap["dst"], SA.IPv6().get_field("dst")),
             (P.CookedLinux._fieldmap["src"], SA.CookedLinux().get_field("src"))]
    for ours, theirs in pairs:
        assert type(randval(ours)).__name__ == type(theirs.randval()).__name__, ours
    assert randval(P.IP._fieldmap["flags"]).max == SA.IP().get_field("flags").randval().max
    assert randval(P.IP._fieldmap["frag"]).max == SA.IP().get_field("frag").randval().max
    assert repr(randval(P.TCP._fieldmap["options"])) == repr(
        SA.TCP().get_field("options").randval())
    assert randval(P.IP._fieldmap["options"]) is None  # (Scapy's fuzzes each option packet)


def test_a_layer_added_later_is_fuzzed() -> None:
    class Later(Packet):
        name = "Later"
        fields_desc = (ByteField("kind", 1), ShortField("value", 7), IPField("addr", "192.0.2.1"),
                       ShortField("length", None))

    registry.bind_layers(P.UDP, Later, dport=65001)
    try:
        assert Later in layer_classes()
        f = fuzz(Later())
        assert f.length is None and isinstance(f.addr, RandIP)
        frames = {bytes(f) for _ in range(50)}
        assert len(frames) == 50 and all(len(x) == 9 for x in frames)
    finally:
        registry.split_layers(P.UDP, Later, dport=65001)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.IP(src="192.0.2.2", dst="192.0.2.1") / m.UDP(),
        lambda m: (m.Ether(dst="02:00:00:00:00:01", src="02:00:00:00:00:02")
                   / m.IPv6(src="2001:db8::2", dst="2001:db8::1") / m.ICMPv6EchoRequest()),
        lambda m: m.Dot1Q() / m.IP(src="192.0.2.2", dst="192.0.2.1") / m.TCP(options=[]),
        lambda m: m.IPv6(src="2001:db8::2") / m.IPv6ExtHdrFragment() / m.UDP(),
    ],
)
def test_fuzzed_bytes_are_scapy_s_from_the_same_seed(make: Any) -> None:
    # Same seed, same draws in the same order: the same fuzzed frames as Scapy's. (Not for
    # layers where Scapy fixes values when fuzzing (MultipleTypeField: ARP, ICMP), draws
    # from its own table of TCP options, or draws 32 bits for a 24-bit field (VXLAN).)
    random.seed(5)
    theirs = [bytes(SA.fuzz(make(SA))) for _ in range(20)]
    random.seed(5)
    ours = [bytes(fuzz(make(_Namespace()))) for _ in range(20)]
    assert ours == theirs


def test_summary_computes_from_a_drawn_destination() -> None:
    # Scapy's summary of IP(dst=RandIP()) shows the source it computes; so does paquet's.
    text = (P.IP(dst=RandIP("192.0.2.0/24")) / P.TCP()).summary()
    dst = text.split(" > ")[1].split(":")[0]
    assert ipaddress.ip_address(dst) in ipaddress.ip_network("192.0.2.0/24")
    assert isinstance(fuzz(P.ARP()).summary(), str)
    from paquet.packet.fields import FieldError

    with pytest.raises(FieldError):  # a wrong value that is not random is still an error
        P.IP(dst=5).summary()
    with pytest.raises(FieldError):
        P.IP(dst=5).show(dump=True)


def test_nbytes_field_draws_over_its_width_as_scapy() -> None:
    from paquet.packet.intfields import NBytesField

    ours = NBytesField("n", 0, 128).randval()
    theirs = SA.NBytesField("n", 0, 128).randval()
    assert (ours.min, ours.max) == (theirs.min, theirs.max) == (0, 2 ** 1024 - 1)
