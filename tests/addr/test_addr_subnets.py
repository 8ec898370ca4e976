"""Subnet info (the ipcalc view), same-subnet tests and kinds, against stdlib computations."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet import addr
from paquet.addr import AddressKind
from paquet.errors import AddressError


@st.composite
def interfaces(draw: st.DrawFn) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    if draw(st.booleans()):
        return ipaddress.IPv4Interface((draw(st.integers(0, 2**32 - 1)), draw(st.integers(0, 32))))
    return ipaddress.IPv6Interface((draw(st.integers(0, 2**128 - 1)), draw(st.integers(0, 128))))


@settings(deadline=None)
@given(interfaces())
def test_subnet_info_against_stdlib(
    iface: ipaddress.IPv4Interface | ipaddress.IPv6Interface,
) -> None:
    info = addr.subnet_info(str(iface))
    net = iface.network
    bits = net.max_prefixlen
    free = bits - net.prefixlen
    assert info.address == iface.ip
    assert info.network == net
    assert info.prefix == net.prefixlen
    assert info.netmask == net.netmask and info.wildcard == net.hostmask
    assert info.address_count == 2**free
    # ipcalc's arithmetic: network = address AND mask, broadcast = network OR wildcard.
    assert int(net.network_address) == int(iface.ip) & int(net.netmask)
    if info.version == 4 and free >= 2:
        assert info.broadcast == net.broadcast_address
        assert int(info.broadcast) == int(net.network_address) | int(net.hostmask)
        assert int(info.first_host) == int(net.network_address) + 1
        assert int(info.last_host) == int(net.broadcast_address) - 1
    else:
        assert info.broadcast is None
    # The network contains the host and its usable range.
    assert info.address in net and info.first_host in net and info.last_host in net
    assert info.first_host <= info.last_host
    assert int(info.last_host) - int(info.first_host) + 1 == info.host_count
    assert info.kind == addr.kind(iface.ip)
    data = info.to_dict()
    assert data["network"] == str(net) and data["host_count"] == info.host_count


@settings(deadline=None)
@given(interfaces().filter(lambda i: i.max_prefixlen - i.network.prefixlen <= 10))
def test_host_range_is_stdlib_hosts(
    iface: ipaddress.IPv4Interface | ipaddress.IPv6Interface,
) -> None:
    info = addr.subnet_info(iface)
    hosts = list(iface.network.hosts())
    assert info.host_count == len(hosts)
    assert (info.first_host, info.last_host) == (hosts[0], hosts[-1])


def test_course_subnet() -> None:
    info = addr.subnet_info("201.9.118.19/21")
    assert str(info.network.network_address) == "201.9.112.0"
    assert str(info.broadcast) == "201.9.119.255"
    assert (str(info.first_host), str(info.last_host)) == ("201.9.112.1", "201.9.119.254")
    assert info.host_count == 2046
    assert info.role == "host"


def test_roles() -> None:
    assert addr.subnet_info("201.9.112.0/21").role == "network"
    assert addr.subnet_info("201.9.119.255/21").role == "broadcast"
    assert addr.subnet_info("192.0.2.0/31").role == "host"
    assert addr.subnet_info("2001:db8::/64").role == "anycast"
    v6 = addr.subnet_info("2001:db8::1/64")
    assert v6.to_dict()["exploded"] == "2001:0db8:0000:0000:0000:0000:0000:0001"


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_same_subnet_is_equal_high_bits(a: int, b: int, prefix: int) -> None:
    expected = (a >> (32 - prefix)) == (b >> (32 - prefix))
    assert addr.same_subnet(a, b, prefix) is expected
    assert addr.same_subnet(b, a, prefix) is expected
    comparison = addr.compare_subnets(a, b, prefix)
    assert comparison.first_network == ipaddress.ip_network((a, prefix), strict=False)
    assert comparison.to_dict()["same_subnet"] is expected


def test_course_same_subnet() -> None:
    assert addr.same_subnet("201.9.118.44", "201.9.113.1", 21)
    comparison = addr.compare_subnets("201.9.118.44", "201.9.120.10", "255.255.248.0")
    assert not comparison.same
    assert str(comparison.second_network) == "201.9.120.0/21"
    with pytest.raises(AddressError, match="not of the same IP version"):
        addr.same_subnet("192.0.2.1", "2001:db8::1", 24)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("0.0.0.0", AddressKind.UNSPECIFIED),
        ("0.1.2.3", AddressKind.RESERVED),
        ("10.1.2.3", AddressKind.PRIVATE),
        ("172.16.0.1", AddressKind.PRIVATE),
        ("172.31.255.255", AddressKind.PRIVATE),
        ("172.32.0.1", AddressKind.GLOBAL),
        ("192.168.0.1", AddressKind.PRIVATE),
        ("100.64.0.1", AddressKind.SHARED),
        ("100.127.255.255", AddressKind.SHARED),
        ("100.128.0.1", AddressKind.GLOBAL),
        ("127.0.0.1", AddressKind.LOOPBACK),
        ("169.254.1.1", AddressKind.LINK_LOCAL),
        ("224.0.0.1", AddressKind.MULTICAST),
        ("239.255.255.250", AddressKind.MULTICAST),
        ("192.0.2.1", AddressKind.DOCUMENTATION),
        ("198.51.100.7", AddressKind.DOCUMENTATION),
        ("203.0.113.200", AddressKind.DOCUMENTATION),
        ("198.18.0.1", AddressKind.BENCHMARKING),
        ("240.0.0.1", AddressKind.RESERVED),
        ("255.255.255.255", AddressKind.BROADCAST),
        ("201.9.118.19", AddressKind.GLOBAL),
        ("::", AddressKind.UNSPECIFIED),
        ("::1", AddressKind.LOOPBACK),
        ("fe80::1", AddressKind.LINK_LOCAL),
        ("fd00::1", AddressKind.PRIVATE),
        ("ff02::1", AddressKind.MULTICAST),
        ("2001:db8::1", AddressKind.DOCUMENTATION),
        ("3fff::1", AddressKind.DOCUMENTATION),
        ("2001:2::1", AddressKind.BENCHMARKING),
        ("2a00:1450::1", AddressKind.GLOBAL),
        ("::ffff:192.168.0.1", AddressKind.PRIVATE),
        ("4000::1", AddressKind.RESERVED),
    ],
)
def test_kinds(text: str, kind: AddressKind) -> None:
    assert addr.kind(text) is kind
    assert kind.describe("fr") and kind.describe("en") != kind.describe("fr")


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_kinds_agree_with_stdlib_flags(value: int) -> None:
    address = ipaddress.IPv4Address(value)
    kind = addr.kind(address)
    assert (kind is AddressKind.LOOPBACK) == address.is_loopback
    assert (kind is AddressKind.MULTICAST) == address.is_multicast
    assert (kind is AddressKind.LINK_LOCAL) == address.is_link_local
    if kind is AddressKind.GLOBAL:
        assert address.is_global
    if address.is_private:
        assert kind is not AddressKind.GLOBAL


@settings(deadline=None)
@given(st.integers(0, 2**128 - 1))
def test_ipv6_kinds_agree_with_stdlib_flags(value: int) -> None:
    address = ipaddress.IPv6Address(value)
    if address.ipv4_mapped is not None:
        return
    kind = addr.kind(address)
    assert (kind is AddressKind.LOOPBACK) == address.is_loopback
    assert (kind is AddressKind.MULTICAST) == address.is_multicast
    assert (kind is AddressKind.LINK_LOCAL) == address.is_link_local
    if kind is AddressKind.GLOBAL:
        assert address.is_global


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_classes_from_the_first_bits(value: int) -> None:
    # RFC 791: 0 -> A, 10 -> B, 110 -> C, 1110 -> D (multicast), 1111 -> E.
    bits = format(value, "032b")
    expected = (
        "A"
        if bits[0] == "0"
        else "B"
        if bits[1] == "0"
        else "C"
        if bits[2] == "0"
        else "D"
        if bits[3] == "0"
        else "E"
    )
    assert addr.ipv4_class(value) == expected
    assert (expected == "D") == ipaddress.IPv4Address(value).is_multicast


def test_reverse_pointer_in_json() -> None:
    data = addr.subnet_info("201.9.118.19/21").to_dict()
    assert data["reverse_pointer"] == "19.118.9.201.in-addr.arpa"
    assert data["class"] == "C"
    assert addr.subnet_info("2001:db8::1/64").to_dict()["class"] is None
