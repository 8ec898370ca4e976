"""Our dissection against tshark's, on the captured vectors and on random crafted packets.

A small pcap is written with struct in a temporary directory (the pcap module is another
part's), read back by ``tshark -T fields``, and every field compared with paquet's values.
"""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from paquet.layers import ARP, ICMP, IP, TCP, UDP, Ether, Packet

from .vectors import ALL

pytestmark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")

FIELDS = [
    "eth.src", "eth.dst", "eth.type", "arp.opcode", "arp.src.proto_ipv4", "arp.dst.proto_ipv4",
    "ip.ttl", "ip.proto", "ip.id", "ip.len", "ip.checksum", "ip.src", "ip.dst", "ip.flags",
    "tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
    "tcp.window_size_value",
    "tcp.checksum", "tcp.hdr_len", "udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
    "icmp.type", "icmp.code", "icmp.checksum",
]


def _write_pcap(path: Path, frames: list[bytes]) -> None:
    with path.open("wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(frame), len(frame)))
            f.write(frame)


def _tshark(frames: list[bytes], tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "vectors.pcap"
    _write_pcap(path, frames)
    cmd = ["tshark", "-n", "-r", str(path), "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    return [dict(zip(FIELDS, line.split("|"), strict=True)) for line in out.splitlines()]


def _ours(pkt: Packet) -> dict[str, str]:
    out = {"eth.src": pkt.src, "eth.dst": pkt.dst, "eth.type": hex(pkt.type)}
    if ARP in pkt:
        a = pkt[ARP]
        out |= {"arp.opcode": str(a.op), "arp.src.proto_ipv4": a.psrc,
                "arp.dst.proto_ipv4": a.pdst}
    if IP in pkt:
        ip = pkt[IP]
        out |= {"ip.ttl": str(ip.ttl), "ip.proto": str(ip.proto), "ip.id": hex(ip.id),
                "ip.len": str(ip.len), "ip.checksum": hex(ip.chksum), "ip.src": ip.src,
                "ip.dst": ip.dst, "ip.flags": hex(int(ip.flags))}
    if TCP in pkt:
        t = pkt[TCP]
        out |= {"tcp.srcport": str(t.sport), "tcp.dstport": str(t.dport),
                "tcp.seq_raw": str(t.seq), "tcp.ack_raw": str(t.ack),
                "tcp.flags": f"{int(t.flags):#06x}", "tcp.window_size_value": str(t.window),
                "tcp.checksum": hex(t.chksum), "tcp.hdr_len": str(t.dataofs * 4)}
    if UDP in pkt:
        u = pkt[UDP]
        out |= {"udp.srcport": str(u.sport), "udp.dstport": str(u.dport),
                "udp.length": str(u.len), "udp.checksum": hex(u.chksum)}
    if ICMP in pkt:
        c = pkt[ICMP]
        out |= {"icmp.type": str(c.type), "icmp.code": str(c.code),
                "icmp.checksum": hex(c.chksum)}
    return out


def _compare(frames: list[bytes], tmp_path: Path) -> None:
    rows = _tshark(frames, tmp_path)
    assert len(rows) == len(frames)
    for frame, row in zip(frames, rows, strict=True):
        ours = _ours(Ether(frame))
        for name, value in ours.items():
            theirs = row[name]
            if name in ("eth.type", "ip.id", "ip.checksum", "tcp.checksum", "udp.checksum",
                        "icmp.checksum", "ip.flags", "tcp.flags"):
                assert int(theirs, 16) == int(value, 16), (name, frame.hex())
            else:
                assert theirs == value, (name, frame.hex())


def test_captured_vectors_against_tshark(tmp_path: Path) -> None:
    _compare(ALL, tmp_path)


def test_random_packets_against_tshark(tmp_path: Path) -> None:
    rng = random.Random(3)
    frames = []
    for _ in range(150):
        ip = IP(src=f"192.0.2.{rng.randrange(1, 255)}", dst=f"203.0.113.{rng.randrange(1, 255)}",
                ttl=rng.randrange(256), id=rng.randrange(65536), flags=rng.choice([0, 2]))
        kind = rng.randrange(3)
        if kind == 0:
            upper: Packet = TCP(sport=rng.randrange(1024, 65536), dport=rng.randrange(1, 1024),
                                seq=rng.randrange(2**32), ack=rng.randrange(2**32),
                                flags=rng.randrange(1, 64), window=rng.randrange(65536),
                                options=rng.choice([[], [("MSS", 1400)],
                                                    [("NOP", None), ("WScale", 3)]]))
        elif kind == 1:
            upper = UDP(sport=rng.randrange(1024, 65536), dport=rng.randrange(1024, 65536))
        else:
            upper = ICMP(type=rng.choice([0, 8]), id=rng.randrange(65536),
                         seq=rng.randrange(65536))
        pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / ip / upper / (
            rng.randbytes(rng.randrange(0, 30)))
        frames.append(bytes(pkt))
    _compare(frames, tmp_path)
