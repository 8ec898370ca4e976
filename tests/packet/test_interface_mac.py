"""A sender's own MAC (ARP ``hwsrc``, the ND source link-layer option) comes from the resolver's
``interface_mac``: the interface towards the destination, never a neighbour lookup. A resolver
without that method still works, through ``link_addresses``. No network is used."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from paquet.layers.arp import ARP
from paquet.layers.ether import Ether
from paquet.layers.icmpv6 import ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr
from paquet.layers.ipv6 import IPv6
from paquet.packet.resolver import (
    DEFAULT_MAC_SRC,
    InterfaceResolver,
    Resolver,
    interface_mac,
    set_resolver,
)

OURS = "02:00:00:00:00:0a"  # our interface
NEXT_HOP = "02:00:00:00:00:0b"  # what a neighbour lookup would find
OLD_STYLE = "02:00:00:00:00:0c"  # the first item of an old resolver's link_addresses


class _Resolver:
    """Records every question; ``link_addresses`` stands for a neighbour lookup."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    def source_address(self, dst: str, version: int) -> str | None:
        return "192.0.2.1" if version == 4 else "2001:db8::1"

    def resolve_host(self, name: str, version: int) -> str:
        raise AssertionError("no host name in these tests")

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        self.calls.append(("link_addresses", dst_ip, version))
        return OLD_STYLE, NEXT_HOP


class _NewResolver(_Resolver):
    def interface_mac(self, dst_ip: str, version: int) -> str | None:
        self.calls.append(("interface_mac", dst_ip, version))
        return None if dst_ip == "198.51.100.9" else OURS  # None: no route


def _arp() -> tuple[str, bytes]:
    arp = ARP(pdst="192.0.2.2")
    frame = bytes(Ether(dst="ff:ff:ff:ff:ff:ff") / arp)
    assert frame[6:12] == frame[22:28]  # Ether src, from ARP's hwsrc; ARP sender address
    return arp.hwsrc, frame[22:28]


def _nd() -> tuple[str, bytes]:
    ns = IPv6(dst="2001:db8::2") / ICMPv6ND_NS(tgt="2001:db8::2") / ICMPv6NDOptSrcLLAddr()
    return ns[ICMPv6NDOptSrcLLAddr].lladdr, bytes(ns)[-6:]


@pytest.mark.parametrize(
    ("build", "question"),
    [(_arp, ("interface_mac", "192.0.2.2", 4)), (_nd, ("interface_mac", "2001:db8::2", 6))],
    ids=["arp-hwsrc", "nd-source-lladdr"],
)
def test_own_mac_is_the_interface_mac_without_a_neighbour_lookup(
    build: Callable[[], tuple[str, bytes]], question: tuple[str, str, int]
) -> None:
    fake = _NewResolver()
    previous = set_resolver(fake)
    try:
        shown, sent = build()
    finally:
        set_resolver(previous)
    assert shown == OURS and sent == bytes.fromhex("02000000000a")
    assert fake.calls and all(c == question for c in fake.calls)  # never link_addresses


def test_no_answer_gives_the_default() -> None:
    fake = _NewResolver()
    previous = set_resolver(fake)
    try:
        assert ARP(pdst="198.51.100.9").hwsrc == DEFAULT_MAC_SRC
        assert interface_mac(None, 4) == DEFAULT_MAC_SRC
    finally:
        set_resolver(previous)
    assert ("link_addresses", "198.51.100.9", 4) not in fake.calls
    assert interface_mac("192.0.2.2", 4) == DEFAULT_MAC_SRC  # no resolver (conftest)


def test_a_resolver_without_interface_mac_still_works() -> None:
    fake = _Resolver()
    assert isinstance(fake, Resolver) and not isinstance(fake, InterfaceResolver)
    assert isinstance(_NewResolver(), InterfaceResolver)
    previous = set_resolver(fake)
    try:
        assert ARP(pdst="192.0.2.2").hwsrc == OLD_STYLE
        assert interface_mac("2001:db8::2", 6) == OLD_STYLE
    finally:
        set_resolver(previous)
    assert ("link_addresses", "192.0.2.2", 4) in fake.calls
