"""``Packet.route()``: the routing table's ``(interface, source, gateway)`` towards the
destination of the packet's first addressed layer, compared with Scapy's on the same host.

Only route lookups: nothing is sent. Both libraries read this namespace's routing table, so
the answers are the same whatever the machine's routes are (no route: loopback and the
unspecified addresses, in both).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # (Scapy's "no route" warning)


def _packets(ns: Any) -> list[Any]:
    return [
        ns.IP(dst="127.0.0.1"),
        ns.IP(dst="127.0.0.9") / ns.TCP(),
        ns.Ether() / ns.IP(dst="198.51.100.7") / ns.UDP(),
        ns.IP(dst=["127.0.0.2", "198.51.100.8"]),
        ns.Ether() / ns.Dot1Q() / ns.IP(dst="127.0.0.1"),
        ns.IPv6(dst="::1") / ns.UDP(),
        ns.IPv6(dst="2001:db8::7"),
        ns.ARP(pdst="127.0.0.3"),
        ns.Ether() / ns.ARP(pdst="198.51.100.9"),
        ns.ARP(ptype=0, pdst="not an address"),  # Scapy: bytes, no route
        ns.ARP(ptype=0x86DD, pdst="::1"),
        ns.TCP(),
        ns.Ether() / ns.Raw(b"x"),
    ]


@pytest.fixture
def system_resolver() -> Any:
    """The system's resolver (the engine tests run without one by default)."""
    from paquet.net.resolver import SystemResolver
    from paquet.packet.resolver import set_resolver

    previous = set_resolver(SystemResolver())
    yield
    set_resolver(previous)


def test_route_is_scapys(system_resolver: None) -> None:
    for ours, theirs in zip(_packets(paquet), _packets(scapy_all), strict=True):
        assert ours.route() == theirs.route(), ours.summary()


def test_route_without_an_addressed_layer() -> None:
    assert paquet.TCP().route() == (None, None, None) == scapy_all.TCP().route()


def test_route_without_a_resolver_is_loopback() -> None:
    # The engine's fixed answers (as IP().src is 127.0.0.1 without a resolver).
    assert paquet.IP(dst="192.0.2.9").route() == ("lo", "127.0.0.1", "0.0.0.0")
    assert paquet.IPv6(dst="2001:db8::9").route() == ("lo", "::1", "::")
