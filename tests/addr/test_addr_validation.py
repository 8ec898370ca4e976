"""Address validation: every rejection reason, and agreement with the stdlib ipaddress."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet import addr
from paquet.errors import AddressError

# (text, the reason's wording) for each way a dotted-decimal address can be wrong.
IPV4_REJECTIONS = [
    ("", "empty string"),
    (" 201.9.118.19", "contains whitespace"),
    ("201.9.118.19 ", "contains whitespace"),
    ("201.9. 118.19", "contains whitespace"),
    ("201.9.118", "too few parts: 3, expected 4"),
    ("201", "too few parts: 1, expected 4"),
    ("201.9.118.19.1", "too many parts: 5, expected 4"),
    ("201..118.19", "part 2 is empty"),
    ("201.9.118.", "part 4 is empty"),
    (".9.118.19", "part 1 is empty"),
    ("+201.9.118.19", "part 1 '+201' has a sign"),
    ("201.9.-1.19", "part 3 '-1' has a sign"),
    ("201.9.x.19", "part 3 'x' is not a decimal number"),
    ("201.9.0x76.19", "part 3 '0x76' is not a decimal number"),
    ("201.9.\u0661.19", "part 3 '\u0661' is not a decimal number"),  # Arabic-Indic digit one
    ("010.1.1.1", "part 1 '010' has a leading zero (ambiguous: octal or decimal?)"),
    ("1.1.1.00", "part 4 '00' has a leading zero"),
    ("201.9.118.256", "octet 256 out of range 0-255 (part 4)"),
    ("999.9.118.19", "octet 999 out of range 0-255 (part 1)"),
    ("2001:db8::1", "contains ':' (an IPv6 address?)"),
    ("192.0.2.1/24", "contains '/'"),
]


@pytest.mark.parametrize(("text", "reason"), IPV4_REJECTIONS)
def test_every_ipv4_rejection_reason(text: str, reason: str) -> None:
    found = addr.ipv4_rejection(text)
    assert found is not None and found.startswith(reason), found
    assert not addr.is_ipv4(text)
    with pytest.raises(AddressError, match="invalid IPv4 address") as info:
        addr.parse_ipv4(text)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)
    # The stdlib agrees that none of these is an IPv4 address.
    with pytest.raises(ValueError):
        ipaddress.IPv4Address(text)


def test_non_string_is_rejected() -> None:
    assert addr.ipv4_rejection(None) == "expected a string, got NoneType"
    assert addr.ipv6_rejection(42) == "expected a string, got int"
    assert not addr.is_ip(b"1.2.3.4")


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_canonical_ipv4_is_accepted(value: int) -> None:
    text = str(ipaddress.IPv4Address(value))
    assert addr.ipv4_rejection(text) is None
    assert int(addr.parse_ipv4(text)) == value


def _stdlib_accepts(text: str, version: int) -> bool:
    try:
        (ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address)(text)
    except ValueError:
        return False
    return True


@settings(deadline=None)
@given(st.text(alphabet="0123456789.+- ", max_size=18))
def test_ipv4_validity_agrees_with_stdlib(text: str) -> None:
    assert (addr.ipv4_rejection(text) is None) == _stdlib_accepts(text, 4)


@settings(deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEFg:. ", max_size=45))
def test_ipv6_validity_agrees_with_stdlib(text: str) -> None:
    assert (addr.ipv6_rejection(text) is None) == _stdlib_accepts(text, 6)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty string"),
        ("2001:db8:: 1", "contains whitespace"),
        ("2001:db8::/64", "contains '/'"),
        ("192.0.2.1", "no ':' (an IPv4 address?)"),
        ("2001:db8:::1", "at most one '::' permitted"),
        ("2001:db8::g", "only hex digits permitted in 'g'"),
        ("1:2:3:4:5:6:7:8:9", "exactly 8 parts expected without '::'"),
        ("-2001:db8::1", "has a sign"),
        ("::ffff:192.0.2.256", "octet 256 (> 255) not permitted"),
    ],
)
def test_every_ipv6_rejection_reason(text: str, reason: str) -> None:
    found = addr.ipv6_rejection(text)
    assert found is not None and found.startswith(reason), found
    with pytest.raises(AddressError, match=r"invalid IPv6 address"):
        addr.parse_ipv6(text)


def test_parse_address_forms() -> None:
    assert addr.parse_address("201.9.118.19") == ipaddress.IPv4Address("201.9.118.19")
    assert addr.parse_address("2001:DB8:0::1") == ipaddress.IPv6Address("2001:db8::1")
    assert addr.parse_address(1, 6) == ipaddress.IPv6Address("::1")
    assert addr.parse_address(bytes(16)) == ipaddress.IPv6Address("::")
    same = ipaddress.IPv4Address("192.0.2.1")
    assert addr.parse_address(same) is same
    with pytest.raises(AddressError, match="4 or 16 bytes"):
        addr.parse_address(b"\x01\x02\x03")
    with pytest.raises(AddressError, match="no ':'"):
        addr.parse_address("192.0.2.1", 6)
    with pytest.raises(AddressError, match=r"192\.0\.2\.1 is not an IPv6 address"):
        addr.parse_address(same, 6)
    with pytest.raises(AddressError, match="not an address"):
        addr.parse_address(True)
    with pytest.raises(AddressError, match="not an address"):
        addr.parse_address(1.5)  # type: ignore[arg-type]
    with pytest.raises(AddressError, match="IP version 5"):
        addr.parse_address("192.0.2.1", 5)


@pytest.mark.parametrize(
    ("value", "version", "prefix"),
    [
        (21, 4, 21),
        ("21", 4, 21),
        ("/21", 4, 21),
        ("255.255.248.0", 4, 21),
        ("/64", 6, 64),
        (0, 4, 0),
        (32, 4, 32),
        (128, 6, 128),
        ("ffff:ffff::", 6, 32),
    ],
)
def test_parse_prefix_forms(value: str | int, version: int, prefix: int) -> None:
    assert addr.parse_prefix(value, version) == prefix


@pytest.mark.parametrize(
    ("value", "version", "message"),
    [
        (33, 4, "out of range 0-32"),
        (-1, 4, "out of range"),
        (129, 6, "out of range 0-128"),
        ("abc", 4, "not a number or a netmask"),
        ("", 4, "not a number"),
        (True, 4, "invalid"),
        ("255.0.255.0", 4, "not contiguous"),
        ("255.255.248.0", 6, "not an IPv6 netmask"),
    ],
)
def test_parse_prefix_rejections(value: str | int, version: int, message: str) -> None:
    with pytest.raises(AddressError, match=message):
        addr.parse_prefix(value, version)


def test_parse_interface_and_network() -> None:
    assert str(addr.parse_interface("201.9.118.19/21")) == "201.9.118.19/21"
    assert str(addr.parse_interface("201.9.118.19")) == "201.9.118.19/32"
    assert str(addr.parse_interface("2001:db8::1")) == "2001:db8::1/128"
    assert str(addr.parse_interface("201.9.118.19/255.255.248.0")) == "201.9.118.19/21"
    iface = addr.parse_interface("192.0.2.1/24")
    assert addr.parse_interface(iface) is iface
    assert str(addr.parse_interface(iface, 25)) == "192.0.2.1/25"
    assert str(addr.parse_network("201.9.118.19/21")) == "201.9.112.0/21"
    with pytest.raises(AddressError, match="host bits set"):
        addr.parse_network("201.9.118.19/21", strict=True)
    with pytest.raises(AddressError, match="empty prefix length"):
        addr.parse_network("192.0.2.0/")
    with pytest.raises(AddressError, match="already has a prefix"):
        addr.parse_interface("192.0.2.0/24", 25)
    with pytest.raises(AddressError, match="octet 256"):
        addr.parse_network("192.0.2.256/24")
    with pytest.raises(AddressError, match="out of range 0-32"):
        addr.parse_network("192.0.2.0/33")
    with pytest.raises(AddressError, match="contains whitespace"):
        addr.parse_network(" 192.0.2.0/24")
    with pytest.raises(AddressError, match="not an address with a prefix"):
        addr.parse_interface(42)  # type: ignore[arg-type]
