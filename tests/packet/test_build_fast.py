"""The build path's shortcuts (cached addresses and flags, inlined checksums, ``/`` reusing
temporaries) give the same bytes as the general path and as Scapy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet.checksums import internet_checksum
from paquet.layers import IP, TCP, UDP, Ether, IPv6
from paquet.packet.base import Padding, Raw

scapy_all = pytest.importorskip("scapy.all")


@pytest.mark.parametrize("load", [b"", b"x", b"xy" * 10, b"z" * 21])
def test_tcp_udp_checksums_match_scapy(load: bytes) -> None:
    for ours, theirs in (
        (IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234, flags="SA") / load,
         scapy_all.IP(src="192.0.2.1", dst="192.0.2.2") / scapy_all.TCP(sport=1234, flags="SA")
         / load),
        (IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=1, dport=53) / load,
         scapy_all.IPv6(src="2001:db8::1", dst="2001:db8::2")
         / scapy_all.UDP(sport=1, dport=53) / load),
        (IPv6(src="2001:db8::1", dst="2001:db8::2") / TCP() / load,
         scapy_all.IPv6(src="2001:db8::1", dst="2001:db8::2") / scapy_all.TCP() / load),
        (IP(src="192.0.2.1", dst="192.0.2.2") / UDP() / load,
         scapy_all.IP(src="192.0.2.1", dst="192.0.2.2") / scapy_all.UDP() / load),
    ):
        assert bytes(ours) == bytes(theirs)


def test_ip_header_checksum_is_the_internet_checksum() -> None:
    raw = bytes(IP(src="198.51.100.7", dst="203.0.113.9", ttl=3, id=77) / b"abc")
    assert internet_checksum(raw[:20]) == 0


def test_uncached_and_cached_addresses_build_alike() -> None:
    first = bytes(Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02")
                  / IP(src="198.51.100.201", dst="198.51.100.202") / TCP())
    again = bytes(Ether(src="02:00:00:00:0a:01", dst="02:00:00:00:0a:02")
                  / IP(src="198.51.100.201", dst="198.51.100.202") / TCP())
    assert first == again
    assert first[:12] == bytes.fromhex("020000000a02020000000a01")


def test_flags_and_ipv6_text_converted_the_same_from_the_cache() -> None:
    assert TCP(flags="FPU").flags == TCP(flags="FPU").flags == 0x29
    a = IPv6(src="2001:DB8:0:0::1")
    b = IPv6(src="2001:DB8:0:0::1")
    assert a.src == b.src == "2001:db8::1"


def test_ether_subclass_building_its_own_header_is_honoured() -> None:
    class Tagged(Ether):
        def self_build(self) -> bytes:
            return b"T" * 14

    pkt = Tagged(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / b"p"
    assert bytes(pkt) == b"T" * 14 + b"p"


def test_padding_built_after_the_payload() -> None:
    pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP() / Raw(b"a")
    pkt.lastlayer().add_payload(Padding(load=b"\x00" * 3))
    raw = bytes(pkt)
    assert raw.endswith(b"a\x00\x00\x00")
    assert raw[16:18] == (21).to_bytes(2, "big")  # IP length without the padding


def test_div_copies_operands_the_user_keeps() -> None:
    ip = IP(dst="192.0.2.9")
    tcp = TCP()
    pkt = ip / tcp / b"x"
    assert ip.payload.__class__.__name__ == "NoPayload"
    assert tcp.underlayer is None
    assert pkt[TCP] is not tcp
    assert bytes(ip / tcp) == bytes(IP(dst="192.0.2.9") / TCP())


# ---------------------------------------------------------------------- generated constructors


def test_generated_constructor_matches_the_general_one() -> None:
    # Each layer's constructor is generated from its field table; Packet.__init__ is the
    # general path. Both must store the same values and mark the same fields as set.
    from paquet.packet.base import Packet

    cases = [
        (Ether, {"src": "02:00:00:00:00:01", "dst": "FF:FF:FF:FF:FF:FF"}),
        (IP, {"dst": "192.0.2.1", "ttl": (1, 3), "proto": "udp", "flags": "DF", "len": None}),
        (TCP, {"sport": "http", "dport": [22, 80], "flags": "SA", "options": [("MSS", 1460)]}),
        (UDP, {"sport": 5353, "dport": "domain"}),
        (IPv6, {"src": "2001:DB8::1", "dst": "2001:db8:0::2", "nh": 17}),
        (Raw, {"load": "text"}),
    ]
    for cls, kwargs in cases:
        assert "<paquet layer" in cls.__init__.__code__.co_filename  # generated
        fast = cls(**kwargs)
        general = cls.__new__(cls)
        Packet.__init__(general, **kwargs)
        for n in cls._names:
            assert fast.__dict__[n] == general.__dict__[n], (cls.__name__, n)
        assert set(fast.fields) == set(general.fields) == set(kwargs)
        assert [bytes(p) for p in fast] == [bytes(p) for p in general]
        assert repr(fast) == repr(general)


def test_generated_constructor_errors_and_bytes() -> None:
    from paquet.packet.fields import FieldError

    with pytest.raises(FieldError, match="IP has no field 'tll'"):
        IP(dst="192.0.2.1", tll=3)
    with pytest.raises(FieldError, match="TCP has no field 'foo'"):
        TCP(b"\x00" * 20, foo=1)
    frame = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=7) / b"hi")
    # IP has a field named ``len``: the generated code must not use it as the builtin.
    assert IP(frame)[UDP].dport == 7
    assert IP(frame, ttl=3).ttl == 3 and IP(frame, ttl=3).is_set("ttl")
    assert bytes(IP(bytearray(frame))) == frame and bytes(IP(memoryview(frame))) == frame


def test_layers_the_generator_leaves_alone() -> None:
    from paquet.packet.base import Packet
    from paquet.packet.fields import ByteField, ShortField

    class Odd(Packet):  # field names the generated code cannot take as parameters
        fields_desc = (ByteField("lambda", 1), ShortField("value_", 2))

    class Base(Packet):
        fields_desc = (ByteField("a", 1),)

    class WithInit(Base):  # its own __init__ passes extra fields up
        fields_desc = (ByteField("a", 1), ByteField("b", 2))

        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs.setdefault("b", 9)
            super().__init__(*args, **kwargs)

    class Child(WithInit):  # below a hand-written __init__: nothing generated
        pass

    assert bytes(Odd(**{"lambda": 7, "value_": 3})) == b"\x07\x00\x03"
    assert Odd.__init__ is Packet.__init__
    assert (WithInit(a=5).a, WithInit(a=5).b) == (5, 9)
    assert bytes(WithInit(a=5)) == b"\x05\x09" and bytes(Child(a=4)) == b"\x04\x09"
    assert Base(a=3).a == 3 and bytes(Base(b"\x08")) == b"\x08"


# ---------------------------------------------------------------------- checksums from words

_u16 = st.integers(0, 0xFFFF)
_u32 = st.integers(0, 0xFFFFFFFF)


@settings(max_examples=300, deadline=None)
@given(
    v6=st.booleans(),
    udp=st.booleans(),
    ports=st.tuples(_u16, _u16),
    seq=_u32,
    ack=_u32,
    window=_u16,
    urgptr=_u16,
    flags=st.integers(0, 0x1FF),
    ident=_u16,
    ttl=st.integers(0, 255),
    tos=st.integers(0, 255),
    load=st.binary(max_size=41),
)
def test_checksums_computed_from_words_match_scapy(
    v6: bool, udp: bool, ports: tuple[int, int], seq: int, ack: int, window: int,
    urgptr: int, flags: int, ident: int, ttl: int, tos: int, load: bytes,
) -> None:
    # IPv4 header, TCP and UDP checksums are summed from the fields' words while building
    # (the network layer's PSEUDO_SUM); Scapy packs the bytes then sums them.
    sport, dport = ports
    if v6:
        net = IPv6(src="2001:db8::1", dst="2001:db8:ffff::2", hlim=ttl, tc=tos)
        snet = scapy_all.IPv6(src="2001:db8::1", dst="2001:db8:ffff::2", hlim=ttl, tc=tos)
    else:
        net = IP(src="198.51.100.254", dst="203.0.113.9", id=ident, ttl=ttl, tos=tos)
        snet = scapy_all.IP(src="198.51.100.254", dst="203.0.113.9", id=ident, ttl=ttl, tos=tos)
    if udp:
        ours = net / UDP(sport=sport, dport=dport) / load
        theirs = snet / scapy_all.UDP(sport=sport, dport=dport) / load
    else:
        ours = net / TCP(sport=sport, dport=dport, seq=seq, ack=ack, window=window,
                         urgptr=urgptr, flags=flags) / load
        theirs = snet / scapy_all.TCP(sport=sport, dport=dport, seq=seq, ack=ack, window=window,
                                      urgptr=urgptr, flags=flags) / load
    assert bytes(ours) == bytes(theirs)


def test_ethernet_headers_kept_by_value_match_scapy() -> None:
    # Ether keeps the 14 bytes it packed for a (dst, src, type) seen before.
    from paquet.packet.fields import FieldError

    for _ in range(2):
        for typ, mac in ((0x0800, "02:00:00:00:00:01"), (0x86DD, "02:00:00:00:00:01"),
                         (0x0800, "02:00:00:00:00:0A"), (0x0806, "02:00:00:00:00:0a")):
            ours = Ether(dst="ff:ff:ff:ff:ff:ff", src=mac, type=typ) / b"x"
            theirs = scapy_all.Ether(dst="ff:ff:ff:ff:ff:ff", src=mac, type=typ) / b"x"
            assert bytes(ours) == bytes(theirs)
    stack = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(dst="192.0.2.1")
    before = bytes(stack)
    stack.type = 0x86DD  # a field set by hand after a build: the new value is used
    assert bytes(stack)[12:14] == b"\x86\xdd" and before[12:14] == b"\x08\x00"
    macs = ["02:00:00:00:00:01", "02:00:00:00:00:02"]
    several = Ether(src=macs[1], dst=macs) / IP(src="198.51.100.1", dst="192.0.2.1")
    theirs = scapy_all.Ether(src=macs[1], dst=macs) / scapy_all.IP(src="198.51.100.1",
                                                                  dst="192.0.2.1")
    assert bytes(several) == bytes(theirs)  # the first of the packets it stands for, as Scapy
    with pytest.raises(FieldError, match="several values"):
        bytes(Ether(dst=[]) / IP())  # stands for none


def test_bytes_given_as_scapy_keyword() -> None:
    data = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=7))
    assert IP(_pkt=data)[UDP].dport == 7 and IP(_pkt=data, ttl=9).ttl == 9
    assert bytes(IP(_pkt=data)) == data == bytes(scapy_all.IP(_pkt=data))
