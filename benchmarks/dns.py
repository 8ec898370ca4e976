"""How fast does paquet dissect DNS, against dpkt's DNS module and Scapy?

One run: build a capture of DNS responses (Ether/IP/UDP, each with a question, five answers of
A, AAAA, CNAME, MX and TXT, two NS records in authority and an OPT record, names compressed
as servers send them), then dissect every frame down to its records and read each record's
name, type and data with each library. Prints frames/s and ratios (goals: >= 10x Scapy and
>= dpkt). paquet and dpkt run in interleaved rounds (the best of each, and the median of the
per-round ratios: both must reach the goal); Scapy reads a subset and its rate is scaled.
Nothing is written to disk.

    .venv/bin/python benchmarks/dns.py [--frames N] [--scapy-subset N] [--rounds R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

GOAL_SCAPY = 10.0
GOAL_DPKT = 1.0


def make_frames(count: int) -> list[bytes]:
    """``count`` DNS response frames built by paquet (names compressed), ids and addresses
    varied."""
    from paquet.layers import IP, UDP, Ether
    from paquet.layers.dns import DNS, DNSQR, DNSRR, dns_compress
    from paquet.layers.dns_records import DNSRRMX, DNSRROPT

    frames = []
    for i in range(count):
        host = f"host{i % 500}.example.com"
        dns = DNS(id=i & 0xFFFF, qr=1, ra=1, qd=[DNSQR(qname=host)], an=[
            DNSRR(rrname=host, type="CNAME", ttl=300, rdata=f"www{i % 7}.example.com"),
            DNSRR(rrname=f"www{i % 7}.example.com", type="A", ttl=300,
                  rdata=f"192.0.2.{i % 250 + 1}"),
            DNSRR(rrname=f"www{i % 7}.example.com", type="AAAA", ttl=300,
                  rdata=f"2001:db8::{i % 65535:x}"),
            DNSRRMX(rrname="example.com", ttl=300, preference=10, exchange="mx.example.com"),
            DNSRR(rrname="example.com", type="TXT", ttl=300, rdata=[b"v=spf1 -all", b"x" * 20]),
        ], ns=[
            DNSRR(rrname="example.com", type="NS", ttl=3600, rdata="ns1.example.com"),
            DNSRR(rrname="example.com", type="NS", ttl=3600, rdata="ns2.example.com"),
        ], ar=[DNSRROPT(rclass=1232)])
        pkt = (Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
               / IP(src="198.51.100.53", dst="192.0.2.10") / UDP(sport=53, dport=40000 + i % 999)
               / dns_compress(dns))
        frames.append(bytes(pkt))
    return frames


def run_paquet(frames: list[bytes]) -> int:
    from paquet.layers import Ether
    from paquet.layers.dns import DNS

    n = 0
    for f in frames:
        dns = Ether(f)[DNS]
        for rr in (*dns.an, *dns.ns, *dns.ar):
            n += len(rr.rrname) + rr.type
            if rr.type in (1, 5, 28, 2):
                n += len(rr.rdata)
    return n


def run_dpkt(frames: list[bytes]) -> int:
    import dpkt

    n = 0
    for f in frames:
        dns = dpkt.dns.DNS(dpkt.ethernet.Ethernet(f).data.data.data)
        for rr in (*dns.an, *dns.ns, *dns.ar):
            n += len(rr.name) + 1 + rr.type
            if rr.type == 1:
                n += len(".".join(str(b) for b in rr.ip))
            elif rr.type == 28:
                n += len(rr.ip6)
            elif rr.type == 5:
                n += len(rr.cname) + 1
            elif rr.type == 2:
                n += len(rr.nsname) + 1
    return n


def run_scapy(frames: list[bytes]) -> int:
    from scapy.layers.dns import DNS
    from scapy.layers.l2 import Ether

    n = 0
    for f in frames:
        dns = Ether(f)[DNS]
        for rr in (*dns.an, *dns.ns, *dns.ar):
            n += len(rr.rrname) + rr.type
            if rr.type in (1, 5, 28, 2):
                n += len(rr.rdata)
    return n


def best(fn: Callable[[list[bytes]], int], frames: list[bytes], rounds: int) -> float:
    t = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(frames)
        t = min(t, time.perf_counter() - start)
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=20000)
    ap.add_argument("--scapy-subset", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    frames = make_frames(args.frames)
    print(f"{len(frames)} DNS responses, {sum(map(len, frames)) // len(frames)} bytes each")
    t_ours = t_dpkt = float("inf")
    ratios = []
    for r in range(args.rounds):  # interleaved, the order alternating (a shared machine)
        got = {}
        for fn in ((run_paquet, run_dpkt) if r % 2 == 0 else (run_dpkt, run_paquet)):
            got[fn] = best(fn, frames, 1)
        t_ours, t_dpkt = min(t_ours, got[run_paquet]), min(t_dpkt, got[run_dpkt])
        ratios.append(got[run_dpkt] / got[run_paquet])
    sub = frames[:args.scapy_subset]
    t_scapy = best(run_scapy, sub, 1) * len(frames) / len(sub)
    rate = len(frames) / t_ours
    print(f"paquet {rate:12,.0f} frames/s")
    print(f"dpkt   {len(frames) / t_dpkt:12,.0f} frames/s   paquet is {t_dpkt / t_ours:5.2f}x "
          f"(median of rounds {statistics.median(ratios):.2f}x; goal >= {GOAL_DPKT})")
    print(f"Scapy  {len(frames) / t_scapy:12,.0f} frames/s   paquet is {t_scapy / t_ours:5.2f}x "
          f"(goal >= {GOAL_SCAPY})")
    ok = (min(t_dpkt / t_ours, statistics.median(ratios)) >= GOAL_DPKT
          and t_scapy / t_ours >= GOAL_SCAPY)
    print("goals met" if ok else "goals NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
