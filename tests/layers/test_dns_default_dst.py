"""The destinations Scapy gives IP and IPv6 left at their default under mDNS (UDP port 5353:
224.0.0.251, ff02::fb), side by side with Scapy: ``dst`` as read, the destination's bytes
when built, and after the payload changes; a destination set (even to the default's value)
or dissected is kept. LLMNR's bindings in Scapy 2.8 are on ``LLMNRQuery`` itself, under
UDP, so they never apply: an LLMNR query built without ``dst`` goes to loopback there too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import paquet

scapy = pytest.importorskip("scapy.all")
from scapy.layers import llmnr as sllmnr  # noqa: E402

Build = Callable[[Any], Any]

CONSTRUCTIONS: list[tuple[str, Build]] = [
    ("ip/udp 5353", lambda m: m.IP() / m.UDP(dport=5353)),
    ("ip/udp 5353/dns", lambda m: m.IP() / m.UDP(dport=5353) / m.DNS(qd=[m.DNSQR()])),
    ("ip/udp sport 5353", lambda m: m.IP() / m.UDP(sport=5353)),
    ("ip dst set/udp 5353", lambda m: m.IP(dst="127.0.0.1") / m.UDP(dport=5353)),
    ("ip dst doc/udp 5353", lambda m: m.IP(dst="192.0.2.9") / m.UDP(dport=5353)),
    ("ip/udp 53", lambda m: m.IP() / m.UDP(dport=53)),
    ("ip/tcp 5353", lambda m: m.IP() / m.TCP(dport=5353)),
    ("ip", lambda m: m.IP()),
    ("ether/ip/udp 5353", lambda m: m.Ether() / m.IP() / m.UDP(dport=5353)),
    ("ipv6/udp 5353", lambda m: m.IPv6() / m.UDP(dport=5353)),
    ("ipv6 dst set/udp 5353", lambda m: m.IPv6(dst="::1") / m.UDP(dport=5353)),
    ("ipv6/udp 53", lambda m: m.IPv6() / m.UDP()),
    ("ip/udp/llmnr", lambda m: m.IP() / m.UDP() / (
        sllmnr.LLMNRQuery if m is scapy else paquet.LLMNRQuery)(qd=[m.DNSQR()])),
    ("ipv6/udp/llmnr", lambda m: m.IPv6() / m.UDP() / (
        sllmnr.LLMNRQuery if m is scapy else paquet.LLMNRQuery)()),
]


def _dst_bytes(lib: Any, pkt: Any) -> bytes:
    data = bytes(pkt)
    if lib.Ether in pkt:
        data = data[14:]
    return data[24:40] if data[0] >> 4 == 6 else data[16:20]


def _net(lib: Any, pkt: Any) -> Any:
    return pkt[lib.IPv6] if lib.IPv6 in pkt else pkt[lib.IP]


@pytest.mark.parametrize(("label", "build"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_default_destination_as_scapy(label: str, build: Build) -> None:
    ours, theirs = build(paquet), build(scapy)
    assert _net(paquet, ours).dst == _net(scapy, theirs).dst
    assert _dst_bytes(paquet, ours) == _dst_bytes(scapy, theirs)
    # a copy keeps it; a dissected packet keeps its bytes' address
    assert _net(paquet, ours.copy()).dst == _net(scapy, theirs.copy()).dst
    again = type(ours)(bytes(ours))
    assert _net(paquet, again).dst == _net(scapy, type(theirs)(bytes(theirs))).dst


def test_the_destination_follows_the_payload() -> None:
    ours, theirs = paquet.IP() / paquet.UDP(), scapy.IP() / scapy.UDP()
    ours[paquet.UDP].dport = theirs[scapy.UDP].dport = 5353
    assert ours.dst == theirs.dst
    ours[paquet.UDP].dport = theirs[scapy.UDP].dport = 53
    assert ours.dst == theirs.dst
    ours, theirs = paquet.IP() / paquet.UDP(dport=5353), scapy.IP() / scapy.UDP(dport=5353)
    ours.remove_payload()
    theirs.remove_payload()
    assert ours.dst == theirs.dst
    frame = paquet.Ether() / paquet.IP() / paquet.UDP(dport=5353) / paquet.DNS()
    assert frame.summary() == "Ether / IP / UDP / mDNS Qry b'www.example.com.'"
    assert repr(paquet.IP() / paquet.UDP(dport=5353)) == repr(scapy.IP() / scapy.UDP(
        dport=5353))
