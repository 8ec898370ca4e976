"""paquet.utils6 against Scapy's own IPv6 helpers, side by side on the same inputs."""

from __future__ import annotations

import ipaddress
import random
import socket

import pytest
from scapy import utils6 as su6

from paquet.errors import AddressError
from paquet.utils6 import (
    in6_getLinkScopedMcastAddr,
    in6_getnsma,
    in6_getnsmac,
    in6_ifaceidtomac,
    in6_isgladdr,
    in6_islladdr,
    in6_ismaddr,
    in6_issladdr,
    in6_isuladdr,
    in6_mactoifaceid,
)

_RNG = random.Random(6)
ADDRS = [
    "::",
    "::1",
    "fe80::1",
    "febf:ffff::1",
    "fec0::1",
    "feff::1",
    "fc00::",
    "fdff:ffff::1",
    "fe00::1",
    "2000::",
    "2001:db8::1",
    "3fff:ffff::1",
    "4000::1",
    "ff02::1",
    "ff00::",
    "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "::ffff:192.0.2.1",
] + [str(ipaddress.IPv6Address(_RNG.getrandbits(128))) for _ in range(40)]

KINDS = [
    (in6_islladdr, su6.in6_islladdr),
    (in6_issladdr, su6.in6_issladdr),
    (in6_isuladdr, su6.in6_isuladdr),
    (in6_isgladdr, su6.in6_isgladdr),
    (in6_ismaddr, su6.in6_ismaddr),
]


@pytest.mark.parametrize("addr", ADDRS)
def test_address_kinds_are_scapys(addr: str) -> None:
    assert [ours(addr) for ours, _ in KINDS] == [theirs(addr) for _, theirs in KINDS]


@pytest.mark.parametrize("addr", ["", "fe80:::1", "192.0.2.1", "fe80::1%eth0", "g::1"])
def test_address_kinds_refuse_what_is_not_an_address(addr: str) -> None:
    for ours, theirs in KINDS:
        with pytest.raises(OSError):
            theirs(addr)
        with pytest.raises(AddressError, match="not an IPv6 address"):
            ours(addr)


@pytest.mark.parametrize("addr", ADDRS)
def test_solicited_node_address_and_mac_are_scapys(addr: str) -> None:
    packed = socket.inet_pton(socket.AF_INET6, addr)
    assert in6_getnsma(packed) == su6.in6_getnsma(packed)
    assert in6_getnsmac(packed) == su6.in6_getnsmac(packed)


def test_solicited_node_address_is_rfc4291s() -> None:
    packed = ipaddress.IPv6Address("2001:db8::aa:bbcc:ddee").packed
    assert in6_getnsma(packed) == ipaddress.IPv6Address("ff02::1:ffcc:ddee").packed


@pytest.mark.parametrize("bad", [b"", bytes(15), bytes(17), "::1"])
def test_solicited_node_needs_16_bytes(bad: bytes) -> None:
    with pytest.raises(AddressError, match="16 bytes"):
        in6_getnsma(bad)
    with pytest.raises(AddressError, match="16 bytes"):
        in6_getnsmac(bad)


MACS = ["00:1a:2b:3c:4d:5e", "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"] + [
    ":".join(f"{b:02x}" for b in _RNG.randbytes(6)) for _ in range(20)
]


@pytest.mark.parametrize("mac", MACS)
@pytest.mark.parametrize("ulbit", [None, 0, 1, 5])
def test_mac_to_interface_id_is_scapys(mac: str, ulbit: int | None) -> None:
    assert in6_mactoifaceid(mac, ulbit) == su6.in6_mactoifaceid(mac, ulbit)


@pytest.mark.parametrize("mac", MACS)
def test_interface_id_to_mac_is_scapys_and_inverts(mac: str) -> None:
    iid = in6_mactoifaceid(mac)
    assert in6_ifaceidtomac(iid) == su6.in6_ifaceidtomac(iid) == mac
    assert in6_ifaceidtomac(iid.lower()) == su6.in6_ifaceidtomac(iid.lower())


@pytest.mark.parametrize("iid", ["1:2:3:4", "::", "::ff:fe00:0", "", "zz", "1:2:3:4:5", "1::2::3"])
def test_interface_id_to_mac_returns_none_as_scapy(iid: str) -> None:
    assert in6_ifaceidtomac(iid) == su6.in6_ifaceidtomac(iid)


@pytest.mark.parametrize("mac", ["00:1a:2b:3c:4d", "00-1a-2b-3c-4d-5e", "zz:1a:2b:3c:4d:5e", ""])
def test_mac_to_interface_id_refuses_bad_macs(mac: str) -> None:
    with pytest.raises(ValueError):
        su6.in6_mactoifaceid(mac)
    with pytest.raises(AddressError, match="not a MAC address"):
        in6_mactoifaceid(mac)


GROUPS: list[bytes | str | int | None] = [
    None,
    0,
    0x12345678,
    0xFFFFFFFF,
    b"\x12\x34\x56\x78",
    "12345678",
    "abcdef01",
    b"\x00",
    "123",
    "zzzzzzzz",
    2.5,  # type: ignore[list-item]
]


@pytest.mark.parametrize("grpid", GROUPS)
@pytest.mark.parametrize("addr", ["fe80::21a:2bff:fe3c:4d5e", "fe80::1", "2001:db8::1", "bad"])
@pytest.mark.parametrize("scope", [0, 1, 2, 3])
def test_link_scoped_multicast_is_scapys(
    addr: str, grpid: bytes | str | int | None, scope: int
) -> None:
    expected = su6.in6_getLinkScopedMcastAddr(addr, grpid, scope)
    assert in6_getLinkScopedMcastAddr(addr, grpid, scope) == expected
