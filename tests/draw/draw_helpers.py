"""Functions the picture tests run inside lab nodes (``node.run(func, ...)``): module level,
picklable; and the lab topologies they build."""

from __future__ import annotations

import socket
import subprocess


def paris_pairs(dst: str, sports: list[int], maxttl: int) -> list[tuple[bytes, bytes]]:
    """Scapy-style TCP traceroutes to ``dst`` port 80, one flow per source port (all in one
    run): the ``(probe, answer)`` pairs as bytes."""
    from paquet import traceroute

    res, _unans = traceroute(dst, dport=80, sport=sports, maxttl=maxttl, timeout=1, verbose=0)
    return [(bytes(s), bytes(r)) for s, r in res.res]


def cli(argv: list[str]) -> int:
    """``paquet ARGV`` in this node, in-process; its exit status."""
    from paquet.cli.main import main

    return main(argv)


def traffic(server: str, remote: str) -> None:
    """Some of everything between this node and two others: TCP echoes of different sizes,
    UDP datagrams, pings."""
    for size in (10, 200, 1200):
        with socket.create_connection((server, 10000), timeout=2) as s:
            s.sendall(b"x" * size)
            got = b""
            while len(got) < size:
                chunk = s.recv(65535)
                if not chunk:
                    break
                got += chunk
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.settimeout(1)
        for i in range(5):
            u.sendto(b"d" * (i * 50 + 1), (remote, 10000))
            u.recv(65535)
    subprocess.run(["ping", "-c", "2", "-i", "0.2", "-W", "1", server], check=True,
                   capture_output=True)


def addresses() -> list[str]:
    """The addresses the kernel has on this node's interfaces (``ip -br addr``), without
    prefix lengths, link-local ones left out."""
    out = subprocess.run(["ip", "-br", "addr"], capture_output=True, text=True, check=True)
    found = []
    for line in out.stdout.splitlines():
        for word in line.split()[2:]:
            if not word.startswith(("fe80", "127.", "::1")):
                found.append(word)
    return found


def fake_ladder_svg(packets: list[object]) -> str:
    """A stand-in for ``paquet.draw.ladder.ladder_svg`` (written beside this work): one
    label per packet, stacked."""
    rows = "".join(f'<text x="10" y="{20 + 20 * i}" font-size="12">packet {i + 1}</text>'
                   for i in range(len(packets)))
    height = 30 + 20 * len(packets)
    return (f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" '
            f'height="{height}">{rows}</svg>')
