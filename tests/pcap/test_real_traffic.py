"""Files written by tcpdump and tshark from real traffic, made here: a namespace created for the
test (and always deleted), its loopback captured by both tools while it pings and sends UDP.
We read both files and agree with tshark's dissection of them, field by field."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pcap_helpers import tshark_fixture  # noqa: F401

from paquet.errors import CaptureError
from paquet.layers import ICMP, IP, UDP
from paquet.net.sniff import sniff
from paquet.pcap import open_capture

pytestmark = pytest.mark.privileged

TsharkFields = Callable[..., list[list[str]]]

WARM_UP = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 8999))
s.sendto(b"warm-up", ("127.0.0.1", 8999))
"""
WITHOUT_WARM_UP = "not udp port 8999"

TRAFFIC = """
import socket, subprocess
subprocess.run(["ping", "-c", "4", "-i", "0.02", "127.0.0.1"], check=True, capture_output=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(5):
    s.sendto(b"paquet %d" % i, ("127.0.0.1", 9000 + i))
"""


@pytest.fixture
def namespace() -> Iterator[str]:
    name = f"pqcap{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def start(ns: str, cmd: list[str], ready: str) -> subprocess.Popen[str]:
    """Start a capture tool in ``ns``; return once it says it is capturing."""
    proc = subprocess.Popen(["ip", "netns", "exec", ns, *cmd], stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if ready in line:
            return proc
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"{cmd[0]} did not start")


def written(path: Path, filter: str | None = None) -> int:
    """Packets in a file still being written (0 while its last record is partly written)."""
    if not path.exists():
        return 0
    try:
        return len(sniff(offline=str(path), filter=filter, raw=True))
    except CaptureError:  # a record being written: count again at the next poll
        return 0


def measured(path: Path, raw: bool) -> list[Any]:
    """The packets of the traffic, without the warm-up datagrams (by our libpcap filter)."""
    return list(sniff(offline=str(path), filter=WITHOUT_WARM_UP, raw=raw))


def test_tcpdump_and_tshark_files_of_real_traffic(
    namespace: str, tmp_path: Path, tshark: TsharkFields
) -> None:
    pcap = tmp_path / "tcpdump.pcap"
    pcapng = tmp_path / "tshark.pcapng"
    tools = [
        # Immediate mode, so that nothing waits in a ring block when the tools are stopped;
        # "icmp or udp" leaves out what tshark's extcap helpers try on the loopback (adb's TCP).
        start(
            namespace,
            ["tcpdump", "-i", "lo", "--immediate-mode", "-U", "-w", str(pcap), "icmp or udp"],
            "listening on",
        ),
        start(
            namespace,
            ["tshark", "-i", "lo", "-f", "icmp or udp", "-F", "pcapng", "-w", str(pcapng)],
            "Capturing",
        ),
    ]
    try:
        # The tools say they capture a little before they do: send warm-up datagrams (to a
        # socket of their own, so no ICMP error) until both files hold one, then the traffic.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (written(pcap) and written(pcapng)):
            subprocess.run(["ip", "netns", "exec", namespace, sys.executable, "-c", WARM_UP])
            time.sleep(0.05)
        subprocess.run(
            ["ip", "netns", "exec", namespace, sys.executable, "-c", TRAFFIC], check=True
        )
        # Stop the tools once both files hold the same packets, at least the 13 that always
        # come (4 pings, 4 replies, 5 datagrams; the kernel may rate-limit the ICMP errors,
        # its ICMP credit being shared with the whole machine), unchanged for 0.3 s.
        deadline = time.monotonic() + 20
        history: list[tuple[int, int]] = []
        while time.monotonic() < deadline:
            counts = (written(pcap, WITHOUT_WARM_UP), written(pcapng, WITHOUT_WARM_UP))
            history.append(counts)
            stable = len(history) >= 4 and len(set(history[-4:])) == 1
            if stable and counts[0] >= 13 and counts[0] == counts[1]:
                break
            time.sleep(0.1)
    finally:
        for proc in tools:
            proc.terminate()
            proc.wait(30)
    assert open_capture(pcap, raw=True).__class__.__name__ == "PcapReader"
    assert open_capture(pcapng, raw=True).__class__.__name__ == "PcapNgReader"
    fields = (
        "frame.time_epoch",
        "frame.len",
        "ip.src",
        "ip.dst",
        "ip.id",
        "udp.dstport",
        "icmp.type",
        "icmp.seq",
    )
    for path in (pcap, pcapng):
        expected = tshark(path, *fields, options=("-Y", "not udp.port == 8999"))
        pkts = measured(path, raw=False)
        records = measured(path, raw=True)
        # 4 echo requests and replies, 5 datagrams and their ICMP port-unreachable errors.
        assert len(pkts) == len(records) == len(expected)
        assert 13 <= len(pkts) <= 18
        for pkt, rec, row in zip(pkts, records, expected, strict=True):
            assert bytes(pkt) == bytes(rec)
            assert rec.time_ns == int(Decimal(row[0]) * 10**9)
            # _subclass=True: the header quoted in an ICMP error too (UDPerror), as tshark.
            ip, udp, icmp = pkt.getlayer(IP), pkt.getlayer(UDP, _subclass=True), pkt.getlayer(ICMP)
            got = [
                str(rec.wirelen),
                ip.src,
                ip.dst,
                f"{ip.id:#06x}",  # tshark shows ip.id in hex
                str(udp.dport) if udp else "",
                str(icmp.type) if icmp else "",
                str(icmp.seq) if icmp and icmp.type in (0, 8) else "",
            ]
            # tshark also lists the fields of the header quoted in an ICMP error: the first
            # value is the outer packet's.
            assert got == [v.split(",")[0] for v in row[1:]]
    assert [bytes(r) for r in measured(pcap, True)] == [bytes(r) for r in measured(pcapng, True)]
