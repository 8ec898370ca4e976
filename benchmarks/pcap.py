"""How fast does paquet read a capture, against dpkt, Scapy and tshark? Is its memory flat?

One run: generate a 200,000-packet Ether/IP/TCP capture, read it and dissect every packet up to
the TCP destination port with each tool, print packets/s and ratios (goals: >= 1.5x dpkt and
>= 20x Scapy). paquet and dpkt run in interleaved rounds (the machine is shared: a load that
changes between rounds disturbs a ratio taken within a round less); the dpkt row gives the ratio
of the best rates and, in parentheses, the median of the per-round ratios, and the goal is met
when both reach it. Scapy and tshark: best of 3 rounds; Scapy reads a subset (it is slow) and
its rate is scaled. Then the same capture as pcapng against dpkt's pcapng reader (interleaved
too), the records alone (no dissection), and the memory check: peak RSS while
streaming a ~1 GB file against a small one (flat means the same). Everything is written to a
temporary directory and removed.

    .venv/bin/python benchmarks/pcap.py [--packets N] [--scapy-subset N] [--big-gb G] [--no-big]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOAL_DPKT = 1.5
GOAL_SCAPY = 20.0


def make_capture(path: Path, packets: int, payload: int = 20) -> None:
    """An Ether/IP/TCP capture (built once by paquet's engine, ports varied per packet)."""
    from paquet.layers import IP, TCP, Ether
    from paquet.pcap import PcapWriter, RawPacket

    frame = bytearray(
        bytes(
            Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
            / IP(src="192.0.2.1", dst="198.51.100.2")
            / TCP(sport=40000, dport=80, flags="S")
            / (b"x" * payload)
        )
    )
    with PcapWriter(path, linktype=1) as w:
        for i in range(packets):
            struct.pack_into("!HH", frame, 34, 1024 + i % 60000, i % 65536)
            w.write_packet(
                RawPacket(bytes(frame), ts=1_700_000_000_000_000 + i * 10, tsresol=10**6)
            )


ROUNDS = 3
#: Interleaved rounds of paquet against dpkt (the goal's comparison).
PAIRED_ROUNDS = 7


def paired(
    ours: Callable[[], int], theirs: Callable[[], int], rounds: int
) -> tuple[float, float, float, int, int]:
    """Interleaved rounds (the order alternates): (our best seconds, their best seconds, the
    median of the per-round ratios theirs/ours, our checksum, theirs)."""
    best_o = best_t = float("inf")
    ratios = []
    sum_o = sum_t = 0
    for r in range(rounds):
        got: dict[str, float] = {}
        for who in (("o", "t") if r % 2 == 0 else ("t", "o")):
            start = time.perf_counter()
            if who == "o":
                sum_o = ours()
            else:
                sum_t = theirs()
            got[who] = time.perf_counter() - start
        best_o, best_t = min(best_o, got["o"]), min(best_t, got["t"])
        ratios.append(got["t"] / got["o"])
    return best_o, best_t, statistics.median(ratios), sum_o, sum_t


def timed(func: Callable[[], int], rounds: int = 1) -> tuple[float, int]:
    """(best seconds over ``rounds`` runs, checksum of the ports read)."""
    best = float("inf")
    total = 0
    for _ in range(rounds):
        start = time.perf_counter()
        total = func()
        best = min(best, time.perf_counter() - start)
    return best, total


def paquet_dissect(path: Path) -> Callable[[], int]:
    def run() -> int:
        from paquet.layers import TCP
        from paquet.pcap import PcapReader

        total = 0
        with PcapReader(path) as reader:
            for pkt in reader:
                total += pkt[TCP].dport
        return total

    return run


def dpkt_dissect(path: Path) -> Callable[[], int]:
    def run() -> int:
        import dpkt

        total = 0
        with open(path, "rb") as f:
            for _ts, buf in dpkt.pcap.Reader(f):
                total += dpkt.ethernet.Ethernet(buf).data.data.dport
        return total

    return run


def paquet_dissect_ng(path: Path) -> Callable[[], int]:
    def run() -> int:
        from paquet.layers import TCP
        from paquet.pcapng import PcapNgReader

        total = 0
        with PcapNgReader(path) as reader:
            for pkt in reader:
                total += pkt[TCP].dport
        return total

    return run


def dpkt_dissect_ng(path: Path) -> Callable[[], int]:
    def run() -> int:
        import dpkt

        total = 0
        with open(path, "rb") as f:
            for _ts, buf in dpkt.pcapng.Reader(f):
                total += dpkt.ethernet.Ethernet(buf).data.data.dport
        return total

    return run


def as_pcapng(path: Path, out: Path) -> None:
    """The same records written as pcapng (Wireshark's own format)."""
    from paquet.pcap import PcapReader
    from paquet.pcapng import PcapNgWriter

    with PcapReader(path, raw=True) as reader, PcapNgWriter(out) as writer:
        for rec in reader:
            writer.write_packet(rec)


def scapy_dissect(path: Path, limit: int) -> Callable[[], int]:
    def run() -> int:
        from scapy.layers.inet import TCP
        from scapy.utils import PcapReader

        total = 0
        with PcapReader(str(path)) as reader:
            for n, pkt in enumerate(reader):
                if n >= limit:
                    break
                total += pkt[TCP].dport
        return total

    return run


def tshark_dissect(path: Path) -> Callable[[], int]:
    def run() -> int:
        out = subprocess.run(
            ["tshark", "-n", "-r", str(path), "-T", "fields", "-e", "tcp.dstport"],
            capture_output=True,
            check=True,
        ).stdout
        return sum(int(x) for x in out.split())

    return run


def raw_paquet(path: Path) -> Callable[[], int]:
    def run() -> int:
        from paquet.pcap import PcapReader

        total = 0
        with PcapReader(path, raw=True) as reader:
            for rec in reader:
                total += len(rec.data)
        return total

    return run


def raw_dpkt(path: Path) -> Callable[[], int]:
    def run() -> int:
        import dpkt

        total = 0
        with open(path, "rb") as f:
            for _ts, buf in dpkt.pcap.Reader(f):
                total += len(buf)
        return total

    return run


def raw_scapy(path: Path, limit: int) -> Callable[[], int]:
    def run() -> int:
        from scapy.utils import RawPcapReader

        total = 0
        with RawPcapReader(str(path)) as reader:
            for n, (data, _meta) in enumerate(reader):
                if n >= limit:
                    break
                total += len(data)
        return total

    return run


MEMORY_CHILD = """
import resource, sys
from paquet.layers import TCP
from paquet.pcap import PcapReader
n = 0
for pkt in PcapReader(sys.argv[1]):
    n += pkt[TCP].dport >= 0
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss(path: Path) -> tuple[int, int, float]:
    """(packets, peak RSS in KiB, seconds) of a child process streaming ``path``."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(path)], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[0]), int(out[1]), time.perf_counter() - start


def main() -> int:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=200_000)
    ap.add_argument("--scapy-subset", type=int, default=20_000)
    ap.add_argument("--big-gb", type=float, default=1.0)
    ap.add_argument("--no-big", action="store_true", help="skip the 1 GB memory check")
    args = ap.parse_args()
    n = args.packets
    with tempfile.TemporaryDirectory(prefix="paquet-bench-") as tmp:
        path = Path(tmp) / "tcp.pcap"
        make_capture(path, n)
        size = path.stat().st_size
        print(f"capture: {n} Ether/IP/TCP packets, {size / 1e6:.1f} MB ({path.name})")
        print()
        print("read + dissect up to the TCP destination port")
        rows: dict[str, float] = {}
        sums: dict[str, int] = {}
        # paquet and dpkt in interleaved rounds; the others best of a few rounds each.
        t_o, t_d, median, sums["paquet"], sums["dpkt"] = paired(
            paquet_dissect(path), dpkt_dissect(path), PAIRED_ROUNDS
        )
        rows["paquet (PcapReader, dissect)"] = n / t_o
        rows["dpkt (pcap.Reader + Ethernet)"] = n / t_d
        subset = min(n, args.scapy_subset)
        t, _ = timed(scapy_dissect(path, subset), ROUNDS)
        rows[f"Scapy (PcapReader, {subset} packets, scaled)"] = subset / t
        if shutil.which("tshark"):
            t, sums["tshark"] = timed(tshark_dissect(path))
            rows["tshark (-T fields -e tcp.dstport)"] = n / t
        if len(set(sums.values())) != 1:
            print(f"  disagreement on the ports read: {sums}")
            return 1
        ours = rows["paquet (PcapReader, dissect)"]
        for name, rate in rows.items():
            extra = f" (median {median:.2f})" if name.startswith("dpkt") else ""
            print(f"  {name:<46} {rate:>12,.0f} pkt/s   paquet x{ours / rate:5.2f}{extra}")
        dpkt_ratio = ours / rows["dpkt (pcap.Reader + Ethernet)"]
        scapy_ratio = ours / rows[f"Scapy (PcapReader, {subset} packets, scaled)"]
        dpkt_met = min(dpkt_ratio, median) >= GOAL_DPKT
        print(
            f"  goals: >= {GOAL_DPKT}x dpkt: {'met' if dpkt_met else 'NOT met'}"
            f" ({dpkt_ratio:.2f}x, median {median:.2f}x); >= {GOAL_SCAPY}x Scapy: "
            f"{'met' if scapy_ratio >= GOAL_SCAPY else 'NOT met'} ({scapy_ratio:.1f}x)"
        )
        print()
        print("the same capture as pcapng (Wireshark's format), read + dissect")
        ng = Path(tmp) / "tcp.pcapng"
        as_pcapng(path, ng)
        t_o, t_d, median_ng, a_ng, b_ng = paired(
            paquet_dissect_ng(ng), dpkt_dissect_ng(ng), PAIRED_ROUNDS
        )
        if not a_ng == b_ng == sums["paquet"]:
            print(f"  disagreement on the ports read: {a_ng} {b_ng}")
            return 1
        print(f"  {'paquet (PcapNgReader, dissect)':<46} {n / t_o:>12,.0f} pkt/s   paquet x 1.00")
        print(
            f"  {'dpkt (pcapng.Reader + Ethernet)':<46} {n / t_d:>12,.0f} pkt/s   paquet "
            f"x{t_d / t_o:5.2f} (median {median_ng:.2f})"
        )
        print()
        print("records only (no dissection)")
        raw: dict[str, float] = {}
        t, a = timed(raw_paquet(path), ROUNDS)
        raw["paquet (PcapReader raw=True)"] = n / t
        t, b = timed(raw_dpkt(path), ROUNDS)
        raw["dpkt (pcap.Reader)"] = n / t
        t, _ = timed(raw_scapy(path, subset), ROUNDS)
        raw[f"Scapy (RawPcapReader, {subset}, scaled)"] = subset / t
        assert a == b
        mine = raw["paquet (PcapReader raw=True)"]
        for name, rate in raw.items():
            print(f"  {name:<46} {rate:>12,.0f} pkt/s   paquet x{mine / rate:5.2f}")
        if args.no_big:
            return 0
        print()
        print("memory while streaming (child process, read + dissect every packet)")
        small = peak_rss(path)
        big_path = Path(tmp) / "big.pcap"
        from paquet.pcap import PcapReader, PcapWriter, RawPacket

        with PcapReader(path, raw=True) as first:
            frame = first.read_packet().data + bytes(1400)
        count = int(args.big_gb * 1e9 // (16 + len(frame)))
        with PcapWriter(big_path, linktype=1) as w:
            rec = RawPacket(frame, ts=1_700_000_000_000_000, tsresol=10**6)
            for _ in range(count):
                w.write_packet(rec)
        big = peak_rss(big_path)
        for label, (pk, rss, secs), fsize in (
            ("small", small, size),
            ("large", big, big_path.stat().st_size),
        ):
            print(
                f"  {label}: {fsize / 1e6:8.1f} MB, {pk:>8} packets: peak RSS {rss / 1024:6.1f} MiB"
                f" ({pk / secs:,.0f} pkt/s)"
            )
        growth = (big[1] - small[1]) / 1024
        print(
            f"  peak RSS growth for a {big_path.stat().st_size / size:.0f}x larger file: "
            f"{growth:+.1f} MiB ({'flat' if growth < 16 else 'NOT flat'})"
        )
        os.unlink(big_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
