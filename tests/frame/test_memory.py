"""Reading stays in bounded memory: the peak RSS of a process reading a ~200 MB capture
batch by batch is not much above that of one reading a ~20 MB one; PacketList.to_arrow gives
what the reader gives."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

from tests.frame.conftest import REAL

from paquet.frame import read
from paquet.layers import IP, TCP, Ether, Raw
from paquet.pcap import rdpcap

#: The child's own peak (VmHWM: ru_maxrss would keep the forking parent's size across exec).
PEAK = """
import sys
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
from paquet.frame import batches, flows
n = 0
for b in batches(sys.argv[1]):
    n += b.num_rows
if len(sys.argv) > 2:
    flows(sys.argv[1])
print(n, hwm())
"""


def big_capture(path: Path, megabytes: int) -> int:
    pkt = bytes(
        Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1, dport=2) / Raw(b"z" * 560)
    )
    rec = struct.pack("<IIII", 1_700_000_000, 0, len(pkt), len(pkt)) + pkt
    count = megabytes * 1_000_000 // len(rec)
    head = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    with open(path, "wb") as f:
        f.write(head)
        for _ in range(count // 1000):
            f.write(rec * 1000)
    return count // 1000 * 1000


def peak_kib(path: Path, *extra: str) -> tuple[int, int]:
    out = subprocess.run(
        [sys.executable, "-c", PEAK, str(path), *extra],
        capture_output=True,
        text=True,
        check=True,
        timeout=240,
    ).stdout.split()
    return int(out[0]), int(out[1])


def test_memory_is_flat(tmp_path: Path) -> None:
    small, large = tmp_path / "s.pcap", tmp_path / "l.pcap"
    n_small = big_capture(small, 20)
    n_large = big_capture(large, 200)
    got_small, rss_small = peak_kib(small)
    got_large, rss_large = peak_kib(large)
    assert (got_small, got_large) == (n_small, n_large)
    # ten times the data, about the same memory: neither the file's bytes (200 MB) nor even
    # all its batches kept (about 55 MiB of columns) fit in the 35 MiB allowed beyond the
    # small run's peak
    assert rss_large - rss_small < 35 * 1024, (rss_small, rss_large)


def test_packetlist_to_arrow_is_the_reader() -> None:
    for path in REAL:
        assert rdpcap(str(path)).to_arrow().equals(read(path)), path.name
