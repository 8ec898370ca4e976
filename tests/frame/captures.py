"""Captures for the frame tests, built with paquet (wrpcap): every link type and header shape
the quick columns read, plus a TCP conversation with a retransmission and a DNS query."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from paquet.layers import (
    ARP,
    DNS,
    DNSQR,
    ICMP,
    IP,
    TCP,
    UDP,
    Dot1Q,
    Ether,
    ICMPv6EchoRequest,
    IPv6,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    Raw,
)
from paquet.pcap import PcapWriter, wrpcap

T0 = 1_700_000_000.0
A4, B4, C4 = "192.0.2.1", "198.51.100.2", "203.0.113.3"
A6, B6 = "2001:db8::1", "2001:db8:0:1::2"


def conversation(t: float, cli: str, srv: str, sport: int, v6: bool = False) -> list[Any]:
    """A TCP conversation: handshake, data each way, one retransmission, FIN."""
    ip = IPv6 if v6 else IP
    c, s = ip(src=cli, dst=srv), ip(src=srv, dst=cli)
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    r = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")
    pkts = [
        e / c / TCP(sport=sport, dport=80, seq=1000, flags="S"),
        r / s / TCP(sport=80, dport=sport, seq=5000, ack=1001, flags="SA"),
        e / c / TCP(sport=sport, dport=80, seq=1001, ack=5001, flags="A"),
        e
        / c
        / TCP(sport=sport, dport=80, seq=1001, ack=5001, flags="PA")
        / Raw(b"GET / HTTP/1.0\r\n\r\n"),
        e
        / c
        / TCP(sport=sport, dport=80, seq=1001, ack=5001, flags="PA")
        / Raw(b"GET / HTTP/1.0\r\n\r\n"),
        r / s / TCP(sport=80, dport=sport, seq=5001, ack=1019, flags="PA") / Raw(b"x" * 300),
        e / c / TCP(sport=sport, dport=80, seq=1019, ack=5301, flags="FA"),
        r / s / TCP(sport=80, dport=sport, seq=5301, ack=1020, flags="FA"),
    ]
    for k, p in enumerate(pkts):
        p.time = t + k * 0.001 + (0.0004 if k == 1 else 0)
    return pkts


def mixed() -> list[Any]:
    """Ethernet packets of every shape the quick columns read."""
    e = Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")
    pkts: list[Any] = []
    pkts += conversation(T0, A4, B4, 40000)
    pkts += conversation(T0 + 1, A6, B6, 40001, v6=True)
    pkts += [
        e
        / IP(src=A4, dst=C4, ttl=7, id=0x1234)
        / UDP(sport=5353, dport=53)
        / DNS(qd=DNSQR(qname="www.example.com")),
        e / IP(src=A4, dst=C4) / ICMP(type=8, code=0, id=1, seq=1),
        e / IP(src=C4, dst=A4) / ICMP(type=0, code=0, id=1, seq=1),
        e / ARP(psrc=A4, pdst=C4),
        e / Dot1Q(vlan=7) / IP(src=A4, dst=B4) / UDP(sport=1, dport=2) / Raw(b"vlan"),
        e
        / Dot1Q(vlan=7)
        / Dot1Q(vlan=8)
        / IP(src=A4, dst=B4)
        / TCP(sport=3, dport=4, flags="U", urgptr=1),
        e / IPv6(src=A6, dst=B6) / IPv6ExtHdrHopByHop() / UDP(sport=7, dport=8) / Raw(b"hbh"),
        e / IPv6(src=A6, dst=B6) / ICMPv6EchoRequest(),
        e / IPv6(src="::ffff:192.0.2.1", dst="::1") / UDP(sport=9, dport=10),
        e / IPv6(src="fe80::1:0:0:1", dst="2001:db8:0:0:1::") / UDP(sport=9, dport=10),
        e / IP(src=A4, dst=B4, options=b"\x01\x01\x01\x00") / TCP(sport=5, dport=6, flags="R"),
        e / IP(src=A4, dst=B4, flags="MF", frag=0) / UDP(sport=11, dport=12) / Raw(b"a" * 16),
        e / IP(src=A4, dst=B4, frag=3, proto=17) / Raw(b"b" * 16),
        e
        / IPv6(src=A6, dst=B6)
        / IPv6ExtHdrFragment(offset=0, m=1)
        / UDP(sport=13, dport=14)
        / Raw(b"c" * 8),
        e / IP(src=A4, dst=B4, proto=99) / Raw(b"unknown transport"),
    ]
    for k, p in enumerate(pkts[16:]):
        p.time = T0 + 2 + k * 0.01
    return pkts


def write_mixed(path: Path) -> Path:
    wrpcap(str(path), mixed())
    return path


def damaged(data: bytes, rng: random.Random) -> list[bytes]:
    """Packets cut and bit-flipped at random (what the C and Python paths must agree on)."""
    out = []
    for _ in range(400):
        n = rng.randrange(0, len(data) + 1)
        b = bytearray(data[:n])
        for _ in range(rng.randrange(0, 3)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        out.append(bytes(b))
    return out


def write_linktype(path: Path, linktype: int, datas: list[bytes]) -> Path:
    with PcapWriter(str(path), linktype=linktype) as w:
        for k, d in enumerate(datas):
            w.write_packet(d, sec=int(T0) + k, usec=k)
    return path


__all__ = ["conversation", "damaged", "mixed", "write_linktype", "write_mixed"]
