"""Captures as tables: paquet.frame against tshark -T fields, dpkt into pandas, and Scapy.

The same capture (built here: TCP and UDP over IPv4 and IPv6, packets of mixed sizes) is read
into the same columns (frame time and length, Ethernet and IP addresses, TTL, protocol, ports,
TCP flags, UDP length) by each reader, in the same run:

1. ``paquet.frame.read`` (the C columns), and its Python specification (PAQUET_PURE path);
2. ``tshark -T fields`` of the same fields, read by pandas (``read_csv``);
3. dpkt's ``pcap.Reader`` and its Ethernet/IP/TCP/UDP classes into a pandas DataFrame;
4. Scapy's ``PcapReader`` and its layers into a pandas DataFrame (on a sample: it is slow).

Each line prints packets per second; then paquet's ratio against each peer (> 1: paquet
faster; the goals: 1,000,000 packets/s, 20x tshark, 10x dpkt+pandas), and a check that the
peers found the same values (sums of the ports, counts of the addresses). Then it reads a 1 GB
capture batch by batch in a child process and prints its peak memory against a 100 MB one's
(flat: the same). Run: ``.venv/bin/python benchmarks/frame.py [--packets N] [--no-gigabyte]``.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from paquet.frame import quick, read
from paquet.layers import IP, TCP, UDP, Ether, IPv6, Raw

FIELDS = [
    "frame.time",
    "frame.len",
    "eth.src",
    "ip.src",
    "ip.dst",
    "ip.ttl",
    "ip.proto",
    "ipv6.src",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.flags",
    "udp.dstport",
    "udp.length",
]


def records() -> list[bytes]:
    """A few hundred distinct packets, whose bytes the capture repeats."""
    out = []
    for k in range(240):
        size = (k * 37) % 1200
        e = Ether(src=f"02:00:00:00:00:{k % 250:02x}", dst="02:00:00:00:01:01")
        if k % 4 == 3:
            p = (
                e
                / IPv6(src=f"2001:db8::{k + 1:x}", dst="2001:db8::ffff")
                / TCP(sport=40000 + k, dport=443, flags="PA")
            )
        elif k % 3 == 0:
            p = (
                e
                / IP(src=f"192.0.2.{k % 250 + 1}", dst="203.0.113.53")
                / UDP(sport=5000 + k, dport=53)
            )
        else:
            p = (
                e
                / IP(src=f"198.51.100.{k % 250 + 1}", dst="203.0.113.80", ttl=k % 64 + 1)
                / TCP(sport=30000 + k, dport=80, flags="A")
            )
        out.append(bytes(p / Raw(b"d" * size)))
    return out


def write_capture(path: str, count: int) -> None:
    recs = records()
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        chunk = io.BytesIO()
        for i in range(count):
            data = recs[i % len(recs)]
            chunk.write(
                struct.pack(
                    "<IIII", 1_700_000_000 + i // 100000, i % 1_000_000, len(data), len(data)
                )
            )
            chunk.write(data)
            if chunk.tell() > 1 << 24:
                f.write(chunk.getvalue())
                chunk = io.BytesIO()
        f.write(chunk.getvalue())


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def paquet_read(path: str) -> Any:
    return read(path, FIELDS)


def paquet_pure(path: str) -> Any:
    saved = quick._columns
    quick._columns = None
    try:
        return read(path, FIELDS)
    finally:
        quick._columns = saved


def tshark_pandas(path: str) -> Any:
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f", "-E", "separator=,"]
    for f in FIELDS:
        cmd += ["-e", "frame.time_epoch" if f == "frame.time" else f]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout
    return pd.read_csv(io.BytesIO(out), names=FIELDS, header=None)


def dpkt_pandas(path: str) -> Any:
    import socket

    import dpkt

    cols: dict[str, list[Any]] = {f: [] for f in FIELDS}
    with open(path, "rb") as f:
        for ts, buf in dpkt.pcap.Reader(f):
            eth = dpkt.ethernet.Ethernet(buf)
            ip = eth.data
            row: dict[str, Any] = dict.fromkeys(FIELDS)
            row["frame.time"] = ts
            row["frame.len"] = len(buf)
            row["eth.src"] = eth.src.hex(":")
            if isinstance(ip, dpkt.ip.IP):
                row["ip.src"] = socket.inet_ntop(socket.AF_INET, ip.src)
                row["ip.dst"] = socket.inet_ntop(socket.AF_INET, ip.dst)
                row["ip.ttl"] = ip.ttl
                row["ip.proto"] = ip.p
            elif isinstance(ip, dpkt.ip6.IP6):
                row["ipv6.src"] = socket.inet_ntop(socket.AF_INET6, ip.src)
            seg = getattr(ip, "data", None)
            if isinstance(seg, dpkt.tcp.TCP):
                row["tcp.srcport"], row["tcp.dstport"], row["tcp.flags"] = (
                    seg.sport,
                    seg.dport,
                    seg.flags,
                )
            elif isinstance(seg, dpkt.udp.UDP):
                row["udp.dstport"], row["udp.length"] = seg.dport, seg.ulen
            for k, v in row.items():
                cols[k].append(v)
    return pd.DataFrame(cols)


def scapy_pandas(path: str, limit: int) -> Any:
    from scapy.all import IP as SIP
    from scapy.all import TCP as STCP
    from scapy.all import UDP as SUDP
    from scapy.all import Ether as SEther
    from scapy.all import IPv6 as SIPv6
    from scapy.all import PcapReader

    rows = []
    with PcapReader(path) as r:
        for i, p in enumerate(r):
            if i == limit:
                break
            row: dict[str, Any] = {
                "frame.time": float(p.time),
                "frame.len": len(p),
                "eth.src": p[SEther].src,
            }
            if SIP in p:
                row.update(
                    {
                        "ip.src": p[SIP].src,
                        "ip.dst": p[SIP].dst,
                        "ip.ttl": p[SIP].ttl,
                        "ip.proto": p[SIP].proto,
                    }
                )
            if SIPv6 in p:
                row["ipv6.src"] = p[SIPv6].src
            if STCP in p:
                row.update(
                    {
                        "tcp.srcport": p[STCP].sport,
                        "tcp.dstport": p[STCP].dport,
                        "tcp.flags": int(p[STCP].flags),
                    }
                )
            if SUDP in p:
                row.update({"udp.dstport": p[SUDP].dport, "udp.length": p[SUDP].len})
            rows.append(row)
    return pd.DataFrame(rows, columns=FIELDS)


def fingerprint(df: Any) -> tuple[Any, ...]:
    """What the readers must agree on: sums of the numeric columns, address counts."""
    return (
        len(df),
        int(pd.to_numeric(df["tcp.dstport"]).fillna(0).sum()),
        int(pd.to_numeric(df["udp.length"]).fillna(0).sum()),
        int(pd.to_numeric(df["ip.ttl"]).fillna(0).sum()),
        int(pd.to_numeric(df["frame.len"]).sum()),
        df["ip.src"].nunique(),
        df["ipv6.src"].nunique(),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packets", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=100_000, help="packets for the slow peers")
    ap.add_argument(
        "--gigabyte",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also read a 1 GB capture and print the peak memory (default: yes)",
    )
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="paquet-bench-frame-")
    try:
        big = os.path.join(tmp, "big.pcap")
        small = os.path.join(tmp, "small.pcap")
        write_capture(big, args.packets)
        write_capture(small, args.sample)
        print(
            f"capture: {args.packets:,} packets, {os.path.getsize(big) / 1e6:,.0f} MB;"
            f" sample {args.sample:,} packets; C columns: {quick.ENABLED}"
        )
        rates: dict[str, float] = {}
        table, dt = timed(lambda: paquet_read(big))
        rates["paquet"] = table.num_rows / dt
        print(f"paquet.frame.read        {rates['paquet']:>12,.0f} packets/s")
        pure, dt = timed(lambda: paquet_pure(small))
        rates["pure"] = pure.num_rows / dt
        print(f"paquet (Python path)     {rates['pure']:>12,.0f} packets/s")
        sample = read(small, FIELDS).to_pandas()
        sample["frame.time"] = sample["frame.time"].astype("int64") / 1e9
        prints = {"paquet": fingerprint(sample)}
        if shutil.which("tshark"):
            df, dt = timed(lambda: tshark_pandas(small))
            rates["tshark"] = len(df) / dt
            prints["tshark"] = fingerprint(df)
            print(f"tshark -T fields+pandas  {rates['tshark']:>12,.0f} packets/s")
        try:
            df, dt = timed(lambda: dpkt_pandas(small))
            rates["dpkt"] = len(df) / dt
            prints["dpkt"] = fingerprint(df)
            print(f"dpkt into pandas         {rates['dpkt']:>12,.0f} packets/s")
        except ImportError:
            print("dpkt: not installed")
        try:
            n = min(args.sample, 5_000)
            df, dt = timed(lambda: scapy_pandas(small, n))
            rates["scapy"] = len(df) / dt
            print(f"Scapy into pandas        {rates['scapy']:>12,.0f} packets/s (first {n:,})")
        except ImportError:
            print("scapy: not installed")
        print()
        goal = {"tshark": 20, "dpkt": 10}
        print(
            f"paquet: {rates['paquet']:,.0f} packets/s (goal 1,000,000:"
            f" {'met' if rates['paquet'] >= 1e6 else 'NOT met'})"
        )
        for peer in ("pure", "tshark", "dpkt", "scapy"):
            if peer in rates:
                ratio = rates["paquet"] / rates[peer]
                g = goal.get(peer)
                note = f" (goal {g}x: {'met' if ratio >= g else 'NOT met'})" if g else ""
                print(f"  x{ratio:,.1f} against {peer}{note}")
        same = all(v == prints["paquet"] for v in prints.values())
        print(f"same values in the same columns ({', '.join(prints)}): {'yes' if same else 'NO'}")
        if not same:
            for k, v in prints.items():
                print(f"  {k}: {v}")
        if args.gigabyte:
            # the child's own peak: VmHWM (ru_maxrss keeps the forking parent's across exec)
            code = (
                "import sys\nfrom paquet.frame import batches\nn=0\n"
                "def hwm():\n"
                "    for line in open('/proc/self/status'):\n"
                "        if line.startswith('VmHWM:'):\n"
                "            return int(line.split()[1])\n"
                "for b in batches(sys.argv[1]): n += b.num_rows\n"
                "print(n, hwm())"
            )
            peaks = []
            for size in (100_000_000, 1_000_000_000):
                path = os.path.join(tmp, f"{size}.pcap")
                write_capture(path, size // 660)
                t = time.perf_counter()
                out = subprocess.run(
                    [sys.executable, "-c", code, path], capture_output=True, text=True, check=True
                ).stdout.split()
                dt = time.perf_counter() - t
                os.unlink(path)
                peaks.append(int(out[1]) / 1024)
                print(
                    f"{size / 1e9:.1f} GB capture: {int(out[0]):,} packets in {dt:.1f} s,"
                    f" peak RSS {peaks[-1]:,.0f} MiB"
                )
            print(f"memory: {peaks[1] - peaks[0]:+,.0f} MiB for ten times the data")
        return 0 if same else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
