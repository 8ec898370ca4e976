"""Regenerate the capture files of tests/data (as root): ``python tests/data/make_captures.py``.

Real traffic (ping and UDP on the loopback of a network namespace created here and deleted at
the end) captured by tcpdump and tshark, plus a few conversions made by editcap and Scapy.
Nothing is sent outside the namespace. See README.md for what each file is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NS = f"pqt-data-{os.getpid()}"

TRAFFIC = """
import socket, subprocess
subprocess.run(["ping", "-c", "3", "-i", "0.05", "127.0.0.1"], check=True, capture_output=True)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b"paquet %d" % i, ("127.0.0.1", 9999))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.sendto(b"paquet v6", ("::1", 5353))
"""


def ns(*cmd: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` inside the namespace."""
    return subprocess.run(["ip", "netns", "exec", NS, *cmd], check=True, **kw)  # type: ignore[call-overload,no-any-return]


def capture(tool: list[str]) -> None:
    """Start a capture tool in the namespace, make the traffic, stop the tool cleanly."""
    proc = subprocess.Popen(["ip", "netns", "exec", NS, *tool], stderr=subprocess.PIPE)
    time.sleep(1.5)
    ns(sys.executable, "-c", TRAFFIC)
    time.sleep(0.5)
    proc.terminate()
    proc.wait(10)


def main() -> None:
    """Make every file."""
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        ns("ip", "link", "set", "lo", "up")
        capture(["tcpdump", "-i", "lo", "-w", str(HERE / "tcpdump-lo.pcap")])
        capture(["tshark", "-q", "-i", "lo", "-F", "pcapng", "-w", str(HERE / "tshark-lo.pcapng")])
        capture(
            ["tcpdump", "-i", "any", "-y", "LINUX_SLL", "-w", str(HERE / "tcpdump-any-sll.pcap")]
        )
        capture(
            ["tcpdump", "-i", "any", "-y", "LINUX_SLL2", "-w", str(HERE / "tcpdump-any-sll2.pcap")]
        )
    finally:
        subprocess.run(["ip", "netns", "del", NS], check=False)
    subprocess.run(
        ["editcap", "-F", "nsecpcap", str(HERE / "tcpdump-lo.pcap"), str(HERE / "nsec.pcap")],
        check=True,
    )
    subprocess.run(
        [
            "editcap",
            "-a",
            "1:first packet, commented by editcap",
            "-a",
            "3:third",
            str(HERE / "tshark-lo.pcapng"),
            str(HERE / "comments.pcapng"),
        ],
        check=True,
    )
    from scapy.all import IP, UDP, Loopback, PcapWriter, rdpcap

    pkts = rdpcap(str(HERE / "tcpdump-lo.pcap"))
    with PcapWriter(str(HERE / "bigendian.pcap"), endianness=">", linktype=1) as w:
        for p in pkts:
            w.write(p)
    with PcapWriter(str(HERE / "null-loopback.pcap"), linktype=0) as w:
        for i in range(3):
            p = Loopback(type=2) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=7000 + i)
            p.time = 1700000000 + i / 10
            w.write(p)


if __name__ == "__main__":
    main()
