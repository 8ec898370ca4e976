"""Binary, hexadecimal and integer forms, masks and counts, checked against the stdlib."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet import addr
from paquet.errors import AddressError

v4_ints = st.integers(0, 2**32 - 1)
v6_ints = st.integers(0, 2**128 - 1)


@settings(deadline=None)
@given(v4_ints)
def test_ipv4_binary_round_trip(value: int) -> None:
    address = ipaddress.IPv4Address(value)
    text = addr.to_binary(address)
    # The dotted binary is each decimal octet written on 8 bits.
    assert text == ".".join(format(octet, "08b") for octet in address.packed)
    assert addr.from_binary(text) == address
    assert addr.from_binary(text.replace(".", "")) == address
    assert addr.to_binary(str(address)) == text


@settings(deadline=None)
@given(v6_ints)
def test_ipv6_binary_round_trip(value: int) -> None:
    address = ipaddress.IPv6Address(value)
    text = addr.to_binary(address)
    groups = text.split(":")
    assert len(groups) == 8 and all(len(g) == 16 for g in groups)
    assert [int(g, 2) for g in groups] == [int(h, 16) for h in address.exploded.split(":")]
    assert addr.from_binary(text) == address
    assert addr.from_binary("".join(groups)) == address


def test_course_binary_example() -> None:
    assert addr.to_binary("201.9.118.19") == "11001001.00001001.01110110.00010011"
    assert str(addr.from_binary("11001001.00001001.01110110.00010011")) == "201.9.118.19"


@settings(deadline=None)
@given(st.one_of(v4_ints.map(ipaddress.IPv4Address), v6_ints.map(ipaddress.IPv6Address)), st.data())
def test_binary_parts_cut_after_the_network_bits(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, data: st.DataObject
) -> None:
    prefix = data.draw(st.integers(0, address.max_prefixlen))
    network_bits, host_bits = addr.binary_parts(address, prefix)
    assert network_bits + host_bits == addr.to_binary(address)
    digits = network_bits.replace(".", "").replace(":", "")
    assert len(digits) == prefix
    assert digits == format(int(address), f"0{address.max_prefixlen}b")[:prefix]
    assert not host_bits.startswith((".", ":"))  # a separator goes with the network part


def test_binary_parts_like_ipcalc() -> None:
    assert addr.binary_parts("192.168.0.1", 24) == ("11000000.10101000.00000000.", "00000001")
    assert addr.binary_parts("192.168.0.1", 32)[1] == ""
    assert addr.binary_parts("192.168.0.1", 0)[0] == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("1100 1001", "whitespace"),
        ("11001001.00001001.01110110.0001001x", "only 0 and 1"),
        ("11001001.00001001.01110110", "3 groups, expected 4"),
        ("11001001.00001001.01110110.0001001", "group 4 has 7 bits, expected 8"),
        ("1" * 31, "31 bits, expected 32 or 128"),
        (":".join(["0" * 16] * 7), "7 groups, expected 8"),
    ],
)
def test_from_binary_rejections(text: str, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        addr.from_binary(text)


@settings(deadline=None)
@given(v4_ints)
def test_hex_and_integer_forms(value: int) -> None:
    address = ipaddress.IPv4Address(value)
    assert addr.to_int(address) == value
    assert int(addr.to_hex(address), 16) == value
    assert len(addr.to_hex(address)) == 10
    assert addr.from_int(value) == address
    assert addr.parse_address(value) == address


def test_from_int_rejections() -> None:
    with pytest.raises(AddressError, match="out of range for IPv4"):
        addr.from_int(2**32)
    with pytest.raises(AddressError, match="out of range for IPv6"):
        addr.from_int(-1, 6)
    with pytest.raises(AddressError, match="not an integer"):
        addr.from_int("1")  # type: ignore[arg-type]


@settings(deadline=None)
@given(v6_ints)
def test_compressed_and_exploded_match_stdlib(value: int) -> None:
    address = ipaddress.IPv6Address(value)
    assert addr.compressed(address.exploded) == address.compressed
    assert addr.exploded(address.compressed) == address.exploded


@pytest.mark.parametrize("version", [4, 6])
def test_masks_for_every_prefix(version: int) -> None:
    bits = 32 if version == 4 else 128
    for prefix in range(bits + 1):
        reference = (
            ipaddress.ip_network((0, prefix))
            if version == 4
            else ipaddress.IPv6Network((0, prefix))
        )
        mask = addr.prefix_to_mask(prefix, version)
        assert mask == reference.netmask
        assert addr.wildcard_mask(prefix, version) == reference.hostmask
        assert addr.mask_to_prefix(mask) == prefix
        assert addr.address_count(prefix, version) == reference.num_addresses


@settings(deadline=None)
@given(v4_ints)
def test_non_contiguous_masks_are_rejected(value: int) -> None:
    inverted = value ^ 0xFFFFFFFF
    contiguous = inverted & (inverted + 1) == 0
    if contiguous:
        assert addr.mask_to_prefix(value) == bin(value).count("1")
    else:
        with pytest.raises(AddressError, match="not contiguous"):
            addr.mask_to_prefix(value)


def test_course_mask() -> None:
    assert str(addr.prefix_to_mask(21)) == "255.255.248.0"
    assert str(addr.wildcard_mask(21)) == "0.0.7.255"
    assert addr.mask_to_prefix("255.255.248.0") == 21


def test_address_space_sizes() -> None:
    assert addr.address_space_size(4) == 2**32 == ipaddress.IPv4Network("0.0.0.0/0").num_addresses
    assert addr.address_space_size(6) == 2**128 == ipaddress.IPv6Network("::/0").num_addresses
    with pytest.raises(AddressError, match="IP version 5"):
        addr.address_space_size(5)


@pytest.mark.parametrize("version", [4, 6])
def test_host_count_matches_stdlib_hosts(version: int) -> None:
    bits = 32 if version == 4 else 128
    for prefix in range(bits - 12, bits + 1):
        network = (
            ipaddress.ip_network((0, prefix))
            if version == 4
            else ipaddress.IPv6Network((0, prefix))
        )
        assert addr.host_count(prefix, version) == sum(1 for _ in network.hosts())


def test_host_count_rfc3021() -> None:
    assert addr.host_count(30) == 2
    assert addr.host_count(31) == 2
    assert addr.host_count(32) == 1
    assert addr.host_count(21) == 2**11 - 2
    assert addr.host_count(64, 6) == 2**64 - 1


@settings(deadline=None)
@given(st.integers(1, 2**31))
def test_prefix_for_hosts_is_the_smallest_network(hosts: int) -> None:
    prefix = addr.prefix_for_hosts(hosts)
    assert prefix <= 30
    assert addr.host_count(prefix) >= hosts
    if prefix < 30:
        assert addr.host_count(prefix + 1) < hosts
    p2p = addr.prefix_for_hosts(hosts, point_to_point=True)
    assert addr.host_count(p2p) >= hosts
    if p2p < 32:
        assert addr.host_count(p2p + 1) < hosts


@settings(deadline=None)
@given(st.integers(1, 2**128 - 1))
def test_prefix_for_hosts_ipv6(hosts: int) -> None:
    prefix = addr.prefix_for_hosts(hosts, 6)
    assert addr.host_count(prefix, 6) >= hosts
    if prefix < 128:
        assert addr.host_count(prefix + 1, 6) < hosts


def test_prefix_for_hosts_course_and_limits() -> None:
    assert addr.prefix_for_hosts(1000) == 22
    assert addr.prefix_for_hosts(1022) == 22
    assert addr.prefix_for_hosts(1023) == 21
    assert addr.prefix_for_hosts(2) == 30
    assert addr.prefix_for_hosts(2, point_to_point=True) == 31
    assert addr.prefix_for_hosts(1, point_to_point=True) == 32
    with pytest.raises(AddressError, match="do not fit in the whole IPv4 space"):
        addr.prefix_for_hosts(2**32)
    with pytest.raises(AddressError, match="at least 1"):
        addr.prefix_for_hosts(0)
    with pytest.raises(AddressError, match="whole number"):
        addr.prefix_for_hosts(2.5)  # type: ignore[arg-type]


def test_subnet_arithmetic() -> None:
    assert addr.subnet_count(48, 64, 6) == 2**16
    assert addr.subnet_count(24, 26) == 4
    with pytest.raises(AddressError, match="larger than"):
        addr.subnet_count(24, 16)
    parent = ipaddress.ip_network("2001:db8::/48")
    subnets = list(parent.subnets(new_prefix=64))
    for index in (0, 1, 10, 65535, -1, -2):
        assert addr.nth_subnet(parent, 64, index) == subnets[index]
    with pytest.raises(AddressError, match="index 65536 is outside"):
        addr.nth_subnet(parent, 64, 65536)
