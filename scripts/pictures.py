#!/usr/bin/env python3
"""Make the screenshots of docs/pictures.md: each picture paquet draws (ladders, packet dumps,
notebook views), from the ``tp`` lab's traffic and a real capture, rendered by headless
Chromium into ``docs/pictures/*.png``, with the text forms beside them (``*.txt``).

Usage (root: the lab runs in network namespaces)::

    sudo PYTHONPATH=src .venv/bin/python scripts/pictures.py [--out docs/pictures]

Without root, only the pictures of the capture in tests/data are made.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SERVER = "203.0.113.10"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def screenshot(markup: str, png: Path, width: int | None = None, height: int | None = None
               ) -> None:
    """Render ``markup`` (SVG or HTML) in headless Chromium into ``png`` (an SVG at its own
    size, a page at ``width`` x ``height``)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        sys.exit("chromium is missing (apt install chromium)")
    with tempfile.TemporaryDirectory(prefix="paquet-pictures-") as tmp:
        if markup.lstrip().startswith("<svg"):
            size = re.search(r'width="([\d.]+)" height="([\d.]+)"', markup)
            assert size, "an SVG without its size"
            width, height = int(float(size.group(1))) + 1, int(float(size.group(2))) + 1
            markup = f"<!DOCTYPE html><html><body style='margin:0'>{markup}</body></html>"
        page = Path(tmp) / "page.html"
        page.write_text(markup, encoding="utf-8")
        subprocess.run(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
             f"--screenshot={png}", f"--window-size={width or 1000},{height or 700}",
             page.as_uri()],
            capture_output=True, check=True, timeout=120,
        )
    print(f"wrote {png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}")


def _session(dst: str) -> list[Any]:
    """In the client node: a TCP session by hand with the server (paquet tcp's)."""
    from paquet.course.handshake import run_session

    segments, _ = run_session(dst, 10000, b"miaou", sport=43210)
    return segments


def _probes(server: str, silent: str) -> tuple[str, str, str]:
    """In the client node: sr() of SYNs to an open port, a closed one, a silent host."""
    from paquet import IP, TCP, sr
    from paquet.draw.ladder import ladder

    ans, unans = sr([IP(dst=server) / TCP(sport=41000, dport=10000, flags="S"),
                     IP(dst=server) / TCP(sport=41001, dport=23, flags="S"),
                     IP(dst=silent) / TCP(sport=41002, dport=135, flags="S")],
                    timeout=1, verbose=0)
    drawn = ladder((ans, unans), "sr(): an open port, a closed one, a silent host")
    return drawn.text(), drawn.svg(), ans._repr_html_()


def _traceroute(dst: str) -> str:
    from paquet import traceroute

    res, _ = traceroute(dst, maxttl=8, timeout=1, verbose=0)
    return res._repr_html_()


def lab_pictures(out: Path) -> None:
    """The pictures made from the tp lab's traffic."""
    from paquet import PacketList, rdpcap
    from paquet.draw.ladder import ladder
    from paquet.lab import Lab

    with Lab.up("tp", name=f"pictures{os.getpid()}") as lab, \
            tempfile.TemporaryDirectory() as tmp:
        server = lab["server"]
        pcap = Path(tmp) / "session.pcap"
        dump = server.popen(["tcpdump", "-i", server.interfaces[0].name, "-n", "-U",
                             "--immediate-mode", "-w", str(pcap), "tcp port 10000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        assert dump.stderr is not None
        while "listening" not in dump.stderr.readline():
            pass
        lab["client"].run(_session, SERVER)
        time.sleep(0.3)
        dump.terminate()
        dump.wait(timeout=10)
        packets = rdpcap(str(pcap))
        drawn = ladder(packets, "paquet tcp 203.0.113.10 10000 --send miaou (server's capture)")
        (out / "ladder-tcp.txt").write_text(drawn.text() + "\n")
        screenshot(drawn.svg(), out / "ladder-tcp.png")
        synack = next(p for p in packets if str(p["TCP"].flags) == "SA")
        screenshot(synack._repr_svg_(), out / "dump-synack.png")
        page = PacketList(list(packets)[:4], name="session")._repr_html_()
        screenshot(f"<!DOCTYPE html><html><body>{page}</body></html>", out / "notebook-plist.png",
                   1000, 560)
        text, svg, html = lab["client"].run(_probes, SERVER, "203.0.113.20")
        (out / "ladder-sr.txt").write_text(text + "\n")
        screenshot(svg, out / "ladder-sr.png")
        html = lab["client"].run(_traceroute, SERVER)
        screenshot(f"<!DOCTYPE html><html><body>{html}</body></html>",
                   out / "notebook-traceroute.png", 500, 200)


def capture_pictures(out: Path) -> None:
    """The pictures made from tests/data's capture (ping, UDP, ICMP errors, IPv6)."""
    from paquet import rdpcap
    from paquet.draw.ladder import ladder

    path = ROOT / "tests" / "data" / "tcpdump-lo.pcap"
    drawn = ladder(path, "paquet read tests/data/tcpdump-lo.pcap --ladder")
    (out / "ladder-capture.txt").write_text(drawn.text() + "\n")
    screenshot(drawn.svg(), out / "ladder-capture.png")
    screenshot(rdpcap(str(path))[12]._repr_svg_(), out / "dump-ipv6.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "pictures"))
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    capture_pictures(out)
    if os.geteuid() == 0:
        lab_pictures(out)
    else:
        print("not root: the lab's pictures are not made", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
