"""TCP stream reassembly under loss: paquet's TCPSession vs Scapy's, on the same capture.

A capture of one TCP transfer (a 2 MB request in 1,460-byte segments, then a short reply) is
made as a lossy link makes it: 5 % of the segments are lost and sent again later, 2 % arrive
twice, and segments within a window of 8 arrive out of order (seeded, so every run sees the same
capture). Both libraries read it with ``sniff(offline=..., session=TCPSession)``:

- whether the bytes they hand on are the bytes sent (paquet: yes; Scapy appends retransmitted
  bytes again and hands on holes);
- packets per second, and the ratio paquet / Scapy.

Run: ``.venv/bin/python benchmarks/reassembly.py`` (no privileges, nothing sent).
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import scapy.all as sa

from paquet import IP, TCP, Ether, Raw, sniff
from paquet.net.sessions import TCPSession

SIZE = 2_000_000
MSS = 1460
RUNS = 3


def capture(seed: int = 7) -> tuple[list[bytes], bytes]:
    """The frames of the transfer as a lossy link delivers them, and the bytes sent."""
    rng = random.Random(seed)
    data = rng.randbytes(SIZE)
    cli, srv = ("192.0.2.10", 40000), ("198.51.100.20", 80)
    isn = 1000

    def seg(seq: int, payload: bytes, flags: str = "PA") -> bytes:
        return bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
                     / IP(src=cli[0], dst=srv[0]) / TCP(sport=cli[1], dport=srv[1], seq=seq,
                                                        ack=1, flags=flags) / Raw(payload))

    segments = [(isn + 1 + off, data[off:off + MSS]) for off in range(0, SIZE, MSS)]
    order: list[tuple[int, bytes]] = []
    late: list[tuple[int, tuple[int, bytes]]] = []
    for i, s in enumerate(segments):
        if rng.random() < 0.05:
            late.append((i + rng.randrange(3, 30), s))  # lost, sent again later
        else:
            order.append(s)
            if rng.random() < 0.02:
                order.append(s)  # a spurious retransmission
        order.extend(s2 for due, s2 in late if due == i)
        late = [(due, s2) for due, s2 in late if due != i]
    order.extend(s2 for _, s2 in late)
    for i in range(0, len(order) - 8, 8):  # reordering within windows of 8
        window = order[i:i + 8]
        rng.shuffle(window)
        order[i:i + 8] = window
    syn = bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
                / IP(src=cli[0], dst=srv[0]) / TCP(sport=cli[1], dport=srv[1], seq=isn,
                                                   flags="S"))
    return [syn] + [seg(seq, payload) for seq, payload in order], data


def reassembled(packets: Any, tcp: Any, raw: Any) -> bytes:
    """The bytes a TCPSession handed on towards the server, in order."""
    return b"".join(bytes(p[raw].load) for p in packets if raw in p and p[tcp].dport == 80)


def run_paquet(frames: list[bytes]) -> tuple[float, bytes]:
    pkts = [Ether(f) for f in frames]
    t = time.perf_counter()
    out = sniff(offline=pkts, session=TCPSession)
    return time.perf_counter() - t, reassembled(out, TCP, Raw)


def run_scapy(frames: list[bytes]) -> tuple[float, bytes]:
    pkts = [sa.Ether(f) for f in frames]
    t = time.perf_counter()
    out = sa.sniff(offline=pkts, session=sa.TCPSession, quiet=True)
    return time.perf_counter() - t, reassembled(out, sa.TCP, sa.Raw)


def main() -> int:
    """Run both, print correctness, rates and the ratio."""
    frames, sent = capture()
    print(f"capture: {len(frames)} frames, {SIZE:,} bytes sent")
    results = {}
    for name, fn in (("paquet", run_paquet), ("scapy", run_scapy)):
        times, got = [], b""
        for _ in range(RUNS):
            elapsed, got = fn(frames)
            times.append(elapsed)
        med = statistics.median(times)
        results[name] = med
        same = got == sent
        print(f"{name:7} {len(frames) / med:10,.0f} packets/s  bytes as sent: {same}"
              f"  ({len(got):,} bytes handed on)")
    print(f"ratio paquet/scapy (speed): {results['scapy'] / results['paquet']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
