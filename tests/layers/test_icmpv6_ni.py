"""ICMPv6 node information (RFC 4620): Scapy's bytes and fields, tshark's dissection,
dispatch by qtype and code, cuts kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.layers.ipv6_family import (
    both,
    cuts_round_trip,
    layer_pairs,
    same_fields,
    scapy_all,
    tshark_layers,
    values,
)

from paquet.layers import Ether, IPv6
from paquet.layers.icmpv6 import ICMPv6Unknown
from paquet.layers.icmpv6_ni import (
    ICMPv6NIQueryIPv4,
    ICMPv6NIQueryIPv6,
    ICMPv6NIQueryName,
    ICMPv6NIQueryNOOP,
    ICMPv6NIReplyIPv4,
    ICMPv6NIReplyIPv6,
    ICMPv6NIReplyName,
    ICMPv6NIReplyNOOP,
    ICMPv6NIReplyRefuse,
    ICMPv6NIReplyUnknown,
    computeNIGroupAddr,
)

N = "nonce=b'12345678'"
CONSTRUCTIONS = [
    f"ICMPv6NIQueryNOOP({N})",
    f"ICMPv6NIQueryName({N})",
    f"ICMPv6NIQueryName({N}, data='n.d.org')",
    f"ICMPv6NIQueryName({N}, data='abricot')",
    f"ICMPv6NIQueryIPv6({N}, data='2001:db8::1')",
    f"ICMPv6NIQueryIPv6({N}, data='192.0.2.1', flags='TACLSG')",
    f"ICMPv6NIQueryIPv4({N}, data='freebsd', code=1)",
    f"ICMPv6NIReplyNOOP({N})",
    f"ICMPv6NIReplyName({N}, data=[42, 'abricot', 'n.d.tld'])",
    f"ICMPv6NIReplyName({N}, data='freebsd')",
    f"ICMPv6NIReplyIPv6({N}, data=[(42, '2001:db8::1'), '2001:db8::2'])",
    f"ICMPv6NIReplyIPv4({N}, data=[(2807, '192.0.2.1')])",
    f"ICMPv6NIReplyRefuse({N})",
    f"ICMPv6NIReplyUnknown({N}, flags='A')",
    f"IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6NIQueryIPv6({N})",
    f"IPv6(src='2001:db8::1', dst='2001:db8::2')/ICMPv6NIReplyIPv4({N}, data='192.0.2.7')",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    ours, theirs = both(expr)
    data = bytes(theirs)
    mine, scapys = type(ours)(data), type(theirs)(data)
    assert bytes(mine) == data
    for a, b in layer_pairs(mine, scapys):
        if type(a).__name__ not in ("Raw", "Padding"):
            same_fields(a, b)
            if any(f.name == "nonce" for f in b.fields_desc):  # the stored (kind, value) pair
                assert a.getfieldval("data") == b.getfieldval("data")


@pytest.mark.parametrize(("cls", "expected"), [
    (ICMPv6NIQueryNOOP, ICMPv6NIQueryNOOP), (ICMPv6NIQueryName, ICMPv6NIQueryName),
    (ICMPv6NIQueryIPv6, ICMPv6NIQueryIPv6), (ICMPv6NIQueryIPv4, ICMPv6NIQueryIPv4),
    (ICMPv6NIReplyNOOP, ICMPv6NIReplyNOOP), (ICMPv6NIReplyName, ICMPv6NIReplyName),
    (ICMPv6NIReplyIPv6, ICMPv6NIReplyIPv6), (ICMPv6NIReplyIPv4, ICMPv6NIReplyIPv4),
    (ICMPv6NIReplyRefuse, ICMPv6NIReplyRefuse), (ICMPv6NIReplyUnknown, ICMPv6NIReplyUnknown),
])
def test_dispatch_by_qtype_and_code(cls: type, expected: type) -> None:
    p = IPv6(bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / cls()))
    assert type(p.payload) is expected
    assert "bad" not in (p.show(dump=True) or "")
    # Scapy's dispatch agrees.
    s = scapy_all.IPv6(bytes(p))
    assert type(s.payload).__name__ == expected.__name__


def test_unknown_qtype_is_kept_whole() -> None:
    data = bytes(ICMPv6NIQueryNOOP(qtype=9, nonce=b"x" * 8)) + b"abc"
    p = IPv6(bytes(IPv6(nh=58) / data))
    assert isinstance(p.payload, ICMPv6Unknown) and bytes(p.payload) == data


def test_data_is_stored_and_read_as_scapys() -> None:
    for expr in ("ICMPv6NIQueryName(data='n.d.org')", "ICMPv6NIQueryIPv4(data='abricot')",
                 "ICMPv6NIQueryIPv6(data='2001:db8::1')", "ICMPv6NIQueryName(data='10.0.0.1')",
                 "ICMPv6NIReplyNOOP(data='abricot')",
                 "ICMPv6NIReplyName(data=['abricot', 'poire'])",
                 "ICMPv6NIReplyIPv6(data='2001:db8::1')",
                 "ICMPv6NIReplyIPv4(data=['192.0.2.1', (3, '192.0.2.2')])"):
        ours, theirs = both(expr)
        assert ours.getfieldval("data") == theirs.getfieldval("data"), expr
        assert ours.data == theirs.data, expr
        assert ours.flags == theirs.flags and ours.qtype == theirs.qtype


def test_reply_answers_its_query_by_nonce() -> None:
    q = IPv6(src="2001:db8::1", dst="2001:db8::2") / ICMPv6NIQueryName(nonce=b"abcdefgh")
    r = IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6NIReplyName(nonce=b"abcdefgh")
    other = IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6NIReplyName(nonce=b"zzzzzzzz")
    assert r.answers(q) and not other.answers(q)
    assert r[ICMPv6NIReplyName].hashret() == q[ICMPv6NIQueryName].hashret() == b"abcdefgh"


@pytest.mark.parametrize("name", ["scapy", "Example.org", "lab", "a" * 40])
def test_group_address_is_scapys(name: str) -> None:
    theirs = scapy_all.computeNIGroupAddr(name)
    if " " not in theirs:  # Scapy pads a byte below 0x10 with a space, not a zero
        assert computeNIGroupAddr(name) == theirs


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    a, b = "2001:db8::1", "2001:db8::2"
    frames = [
        Ether() / IPv6(src=a, dst=b) / ICMPv6NIQueryName(data="n.d.org", nonce=b"12345678"),
        Ether() / IPv6(src=a, dst=b) / ICMPv6NIQueryIPv6(data="2001:db8::7", nonce=b"abcdefgh"),
        Ether() / IPv6(src=b, dst=a) / ICMPv6NIReplyIPv6(data=[(42, "2001:db8::9")],
                                                         nonce=b"12345678"),
        Ether() / IPv6(src=b, dst=a) / ICMPv6NIReplyRefuse(nonce=b"12345678"),
    ]
    trees = tshark_layers(frames, tmp_path)
    for frame, tree in zip(frames, trees, strict=True):
        msg = frame[IPv6].payload
        icmp = tree["icmpv6"]
        built = IPv6(bytes(frame[IPv6])).payload
        assert values(icmp, "icmpv6.type") == [str(msg.type)]
        assert values(icmp, "icmpv6.code") == [str(built.code)]
        assert values(icmp, "icmpv6.checksum.status") == ["1"]
        assert values(icmp, "icmpv6.ni.qtype") == [str(msg.qtype)]
        assert values(icmp, "icmpv6.ni.nonce") == ["0x" + bytes(msg.nonce).hex()]
    assert values(trees[0], "icmpv6.ni.query.subject_fqdn") == ["n.d.org"]
    assert values(trees[1], "icmpv6.ni.query.subject_ipv6") == ["2001:db8::7"]
    assert values(trees[2], "icmpv6.ni.reply.node_ttl") == ["42"]
    assert values(trees[2], "icmpv6.ni.reply.node_address") == ["2001:db8::9"]


@pytest.mark.parametrize("expr", CONSTRUCTIONS[:14])
def test_cuts_give_their_bytes_back(expr: str) -> None:
    ours = both(expr)[0]
    cuts_round_trip(type(ours), bytes(ours))
