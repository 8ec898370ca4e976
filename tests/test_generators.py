"""paquet.generators (Net, Net6, OID) and fields holding several values, against Scapy."""

from __future__ import annotations

import random

import pytest
from scapy import base_classes as sbase
from scapy import utils6 as su6
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6

from paquet import IP, TCP, UDP, IPv6
from paquet.errors import AddressError
from paquet.generators import OID, Net, Net6
from paquet.packet.fields import FieldError

NETS = ["192.0.2.0/30", "192.0.2.7/29", "198.51.100.1", "203.0.113.0/24", "0.0.0.0/31",
        "255.255.255.255/32", "10.0.0.0/22"]
RANGES = [("192.0.2.1", "192.0.2.9"), ("192.0.2.250", "192.0.3.4"), ("192.0.2.9", "192.0.2.1"),
          ("203.0.113.7", "203.0.113.7")]
NETS6 = ["2001:db8::/126", "2001:db8::5/125", "::1.2.3.0/120", "fe80::/118", "2001:db8::1"]
RANGES6 = [("::", "::ff"), ("2001:db8::fe", "2001:db8::102"), ("2001:db8::9", "2001:db8::1")]


@pytest.mark.parametrize("text", NETS)
def test_net_addresses_len_repr_as_scapy(text: str) -> None:
    ours, theirs = Net(text), sbase.Net(text)
    assert list(ours) == [str(a) for a in theirs]
    assert len(ours) == len(theirs) == ours.__iterlen__()
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize(("lo", "hi"), RANGES)
def test_net_ranges_as_scapy(lo: str, hi: str) -> None:
    ours, theirs = Net(lo, hi), sbase.Net(lo, hi)
    assert list(ours) == [str(a) for a in theirs]
    assert repr(ours) == repr(theirs)
    assert len(ours) == sum(1 for _ in theirs)  # Scapy's len() fails on a reversed range


@pytest.mark.parametrize("text", NETS6)
def test_net6_as_scapy(text: str) -> None:
    ours, theirs = Net6(text), su6.Net6(text)
    assert list(ours) == [str(a) for a in theirs]
    assert len(ours) == len(theirs)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize(("lo", "hi"), RANGES6)
def test_net6_ranges_as_scapy(lo: str, hi: str) -> None:
    assert list(Net6(lo, hi)) == [str(a) for a in su6.Net6(lo, hi)]


@pytest.mark.parametrize(("inner", "outer"), [
    ("192.0.2.4/31", "192.0.2.0/24"), ("192.0.2.0/23", "192.0.2.0/24"), ("1.2.3.4", "0.0.0.0/0"),
    ("0.0.0.0/0", "0.0.0.0/1"), ("198.51.100.1", "192.0.2.0/24"), ("192.0.2.255", "192.0.2.0/24"),
])
def test_net_containment_equality_hash_as_scapy(inner: str, outer: str) -> None:
    assert (inner in Net(outer)) == (inner in sbase.Net(outer))
    assert (Net(inner) == Net(outer)) == (sbase.Net(inner) == sbase.Net(outer))
    assert (Net(inner) == outer) == (sbase.Net(inner) == outer)


def test_equal_networks_hash_alike_and_families_differ() -> None:
    assert Net("192.0.2.0/24") == Net("192.0.2.0", "192.0.2.255")
    assert hash(Net("192.0.2.0/24")) == hash(Net("192.0.2.0", "192.0.2.255"))
    assert Net6("::1.2.3.0/120") != Net("1.2.3.0/24")
    assert "ffff::ffff" in Net6("::/0") and "::/1" in Net6("::/0") and "::/0" not in Net6("::/1")
    assert Net6("fec0::/110").__iterlen__() == len(su6.Net6("fec0::/110")) == 262144


def test_huge_net6_is_lazy() -> None:
    n = Net6("2001:db8::/32")
    assert n.size == 2**96
    assert n[-1] == "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"
    assert IPv6(dst=n).expansion_count() == 2**96
    with pytest.raises(OverflowError):
        len(n)


def test_last_byte_range_is_accepted_where_scapy_refuses_it() -> None:
    assert list(Net("192.0.2.1-4")) == [f"192.0.2.{i}" for i in range(1, 5)]
    with pytest.raises(Exception, match="no longer accepted"):
        list(sbase.Net("192.0.2.1-4"))


def test_choice_is_in_the_network_and_seeded() -> None:
    n = Net("198.51.100.0/24")
    random.seed(7)
    first = [n.choice() for _ in range(20)]
    random.seed(7)
    assert [n.choice() for _ in range(20)] == first
    assert all(a in n for a in first)


@pytest.mark.parametrize("bad", ["192.0.2.0/33", "192.0.2.0/x", "not an address at all.invalid",
                                 "1.2.3.4.5"])
def test_bad_networks_are_address_errors(bad: str) -> None:
    with pytest.raises(AddressError):
        Net(bad)


@pytest.mark.parametrize("text", ["1.2.3.4.5.6-8", "1.3-4.6.1-3", "1.2.3", "1.5-3"])
def test_oid_as_scapy(text: str) -> None:
    assert list(OID(text)) == list(sbase.OID(text))
    assert OID(text).__iterlen__() == sbase.OID(text).__iterlen__()
    assert repr(OID(text)) == repr(sbase.OID(text))


def _dsts(pkts: object) -> list[tuple[str, int]]:
    return [(p.dst, p.payload.dport) for p in pkts]  # type: ignore[attr-defined]


@pytest.mark.parametrize("dst", ["192.0.2.0/30", ("192.0.2.100", "192.0.2.109"),
                                 ["192.0.2.1", "198.51.100.7"]])
def test_packets_iterated_in_scapys_order(dst: object) -> None:
    ours = IP(src="198.51.100.1", dst=dst) / TCP(dport=(20, 22))
    theirs = sinet.IP(src="198.51.100.1", dst=dst) / sinet.TCP(dport=(20, 22))
    assert [bytes(p) for p in ours] == [bytes(p) for p in theirs]
    assert ours.expansion_count() == len(list(theirs))


def test_net_objects_as_field_values_as_scapy() -> None:
    ours = [bytes(p) for p in IP(src="198.51.100.1", dst=Net("192.0.2.8/30")) / UDP()]
    theirs = [bytes(p) for p in sinet.IP(src="198.51.100.1", dst=sbase.Net("192.0.2.8/30"))
              / sinet.UDP()]
    assert ours == theirs
    assert repr(IP(dst=Net("192.0.2.8/30"))) == "<IP  dst=Net(\"192.0.2.8/30\") |>"


def test_ipv6_ranges_and_networks_as_scapy() -> None:
    ours = [bytes(p) for p in IPv6(src="2001:db8::1", dst=("2001:db8::fe", "2001:db8::101"))]
    theirs = [bytes(p) for p in sinet6.IPv6(src="2001:db8::1",
                                              dst=("2001:db8::fe", "2001:db8::101"))]
    assert ours == theirs and len(ours) == 4
    assert [p.dst for p in IPv6(dst="2001:db8::/127")] == ["2001:db8::", "2001:db8::1"]


def test_bad_range_in_a_field_is_a_field_error() -> None:
    with pytest.raises(FieldError):
        list(IP(dst=("192.0.2.1", "nonsense..")))


def test_ranges_inside_a_list_as_scapy() -> None:
    ours = IP(src="198.51.100.1", dst="192.0.2.1", ttl=[1, 2, (5, 9)]) / UDP(dport=[(1, 2), 7])
    theirs = sinet.IP(src="198.51.100.1", dst="192.0.2.1", ttl=[1, 2, (5, 9)]) / sinet.UDP(
        dport=[(1, 2), 7])
    assert [bytes(p) for p in ours] == [bytes(p) for p in theirs]
    assert ours.expansion_count() == 21
