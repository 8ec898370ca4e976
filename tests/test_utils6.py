"""paquet.utils6 against Scapy's own IPv6 helpers, side by side on the same inputs."""

from __future__ import annotations

import ipaddress
import random
import socket

import pytest
from scapy import utils6 as su6

import paquet.utils6
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


# ------------------------------------------------ address types, scopes, embedded addresses

MORE = [*ADDRS, "2002:c000:201::1", "2002::", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8:ffff::", "ff01::1", "ff05::2", "ff0e::1", "ff02::1", "ff02::2",
        "ff02::1:ff12:3456", "ff02::1:fe12:3456", "fe80::21a:2bff:fe3c:4d5e",
        "2001:db8::fdff:ffff:ffff:ff80", "2001:db8::2ff:fdff:feff:ffff",
        "2001:db8::200:5eff:fe00:5213", "fe80::200:ff:fe00:0"]
MORE += [str(ipaddress.IPv6Address(_RNG.getrandbits(128))) for _ in range(40)]

PREDICATES = ["in6_getAddrType", "in6_getscope", "in6_isdocaddr", "in6_ismnladdr",
              "in6_ismlladdr", "in6_ismsladdr", "in6_ismgladdr", "in6_isaddr6to4",
              "in6_isllsnmaddr", "in6_isaddrllallnodes", "in6_isaddrllallservers", "in6_isvalid",
              "in6_ptop", "in6_addrtomac", "in6_iseui64", "in6_6to4ExtractAddr",
              "in6_isaddrTeredo", "in6_ptoc", "in6_getha"]


@pytest.mark.parametrize("name", PREDICATES)
def test_address_helpers_are_scapys(name: str) -> None:
    ours, theirs = getattr(paquet.utils6, name), getattr(su6, name)
    for addr in MORE:
        assert ours(addr) == theirs(addr), addr


def test_anycast_is_scapys_on_eui64_addresses() -> None:
    for addr in MORE:
        if paquet.utils6.in6_iseui64(addr):
            assert paquet.utils6.in6_isanycast(addr) == su6.in6_isanycast(addr), addr


def test_teredo_decoding_is_scapys_and_rfc4380s() -> None:
    addr = "2001:0:4136:e378:8000:63bf:3fff:fdd2"  # RFC 4380 §4's layout, our values
    assert paquet.utils6.teredoAddrExtractInfo(addr) == su6.teredoAddrExtractInfo(addr)
    assert paquet.utils6.teredoAddrExtractInfo(addr) == ("65.54.227.120", 0x8000,
                                                         "192.0.2.45", 40000)


@pytest.mark.parametrize("plen", [0, 1, 7, 8, 31, 32, 33, 64, 100, 127, 128])
def test_masks_are_scapys(plen: int) -> None:
    mask = paquet.utils6.in6_cidr2mask(plen)
    assert mask == su6.in6_cidr2mask(plen)
    assert paquet.utils6.in6_mask2cidr(mask) == su6.in6_mask2cidr(mask) == plen
    assert mask == ipaddress.IPv6Network(f"::/{plen}").netmask.packed


@pytest.mark.parametrize("bad", [-1, 129, 1000])
def test_bad_prefix_lengths_are_address_errors(bad: int) -> None:
    with pytest.raises(AddressError):
        paquet.utils6.in6_cidr2mask(bad)


def test_bitwise_operations_and_inclusion_are_scapys() -> None:
    for a, b in zip(MORE, reversed(MORE), strict=True):
        pa, pb = socket.inet_pton(socket.AF_INET6, a), socket.inet_pton(socket.AF_INET6, b)
        for op in ("in6_and", "in6_or", "in6_xor"):
            assert getattr(paquet.utils6, op)(pa, pb) == getattr(su6, op)(pa, pb)
        assert paquet.utils6.in6_get_common_plen(a, b) == su6.in6_get_common_plen(a, b)
        for plen in (0, 16, 64, 127):
            prefix = str(ipaddress.IPv6Network(f"{b}/{plen}", strict=False).network_address)
            assert (paquet.utils6.in6_isincluded(a, prefix, plen)
                    == su6.in6_isincluded(a, prefix, plen))


@pytest.mark.parametrize("v4", ["192.0.2.1", "0.0.0.0", "255.255.255.255", "not.an.addr", ""])
def test_6to4_prefix_is_scapys(v4: str) -> None:
    assert paquet.utils6.in6_get6to4Prefix(v4) == su6.in6_get6to4Prefix(v4)


@pytest.mark.parametrize("text", ["4)+k&C#VzJ4br>0wv%Yp", "00000000000000000000", "short",
                                  "=r54lj&NUUO~Hi%c2ym0", "4)+k&C#VzJ4br>0wv%Y'"])
def test_rfc1924_compact_form_is_scapys(text: str) -> None:
    assert paquet.utils6.in6_ctop(text) == su6.in6_ctop(text)


def test_rfc1924_example_both_ways() -> None:
    assert paquet.utils6.in6_ptoc("1080::8:800:200c:417a") == "4)+k&C#VzJ4br>0wv%Yp"
    for addr in MORE[1:]:
        assert paquet.utils6.in6_ctop(paquet.utils6.in6_ptoc(addr) or "") in (
            None, str(ipaddress.IPv6Address(addr)))


def test_randomized_interface_id_is_scapys_and_seeded() -> None:
    for iid, previous in (("21a:2bff:fe3c:4d5e", "1234:5678:9abc:def0"),
                          ("200:5eff:fe00:5213", "ffff:ffff:ffff:ffff")):
        assert (paquet.utils6.in6_getRandomizedIfaceId(iid, previous)
                == su6.in6_getRandomizedIfaceId(iid, previous))
    random.seed(3)
    first = paquet.utils6.in6_getRandomizedIfaceId("21a:2bff:fe3c:4d5e")
    random.seed(3)
    assert paquet.utils6.in6_getRandomizedIfaceId("21a:2bff:fe3c:4d5e") == first


def test_local_unique_prefixes_are_fd_48s_and_differ() -> None:
    prefixes = {paquet.utils6.in6_getLocalUniquePrefix() for _ in range(20)}
    assert len(prefixes) == 20
    for p in prefixes:
        net = ipaddress.IPv6Network(f"{p}/48")
        assert net.subnet_of(ipaddress.IPv6Network("fd00::/8"))
        assert p == str(net.network_address)


CANDIDATES = [
    ("fe80::1", paquet.utils6.IPV6_ADDR_LINKLOCAL, "eth0"),
    ("fec0::1", paquet.utils6.IPV6_ADDR_SITELOCAL, "eth0"),
    ("2002:c000:201::1", paquet.utils6.IPV6_ADDR_GLOBAL, "eth0"),
    ("2001:db8::1", paquet.utils6.IPV6_ADDR_GLOBAL, "eth0"),
    ("2001:db8::2", paquet.utils6.IPV6_ADDR_GLOBAL, "eth0"),
    ("fd00::1", paquet.utils6.IPV6_ADDR_GLOBAL, "eth0"),
    ("::1", paquet.utils6.IPV6_ADDR_LOOPBACK, "lo"),
]
DESTINATIONS = [("2001:db8::2807", 64), ("fec0::2807", 0), ("fe80::2807", 64), ("ff02::1", 0),
                ("ff0e::2807", 0), ("ff05::2807", 0), ("ff01::1", 0), ("::", 0), ("::", 8),
                ("::1", 128), ("fd00::5", 8), ("2002:c000:201::9", 48), ("::ffff:1.2.3.4", 96)]


@pytest.mark.parametrize(("dst", "plen"), DESTINATIONS)
@pytest.mark.parametrize("order", [1, -1])
def test_source_candidate_set_is_scapys(dst: str, plen: int, order: int) -> None:
    cands = CANDIDATES[::order]
    ours = paquet.utils6.construct_source_candidate_set(dst, plen, iter(cands))
    theirs = su6.construct_source_candidate_set(dst, plen, iter(cands))
    assert ours == theirs
