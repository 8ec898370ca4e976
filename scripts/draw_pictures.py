#!/usr/bin/env python3
"""Make the screenshots of docs/pictures-graphs.md: every graph, plot and the course report,
drawn from lab traffic (labs built here and always taken down) and converted to small PNGs.

Usage (as root: the labs need network namespaces)::

    PYTHONPATH=src python scripts/draw_pictures.py [--out docs/pictures]

Needs graphviz (``dot``), ``rsvg-convert`` (SVG to PNG), Chromium (the report's screenshot),
matplotlib and tcpdump. Every address is a documentation address of the labs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WIDTH = 760  # pixels: the PNGs are for reading on a page, not for printing


def _png(svg: Path, png: Path, width: int = WIDTH) -> None:
    """SVG to PNG with librsvg, at most ``width`` pixels wide, on white."""
    subprocess.run(["rsvg-convert", "-b", "white", "-w", str(width), "-a", "-o", str(png),
                    str(svg)], check=True)
    print(f"{png} ({png.stat().st_size // 1024} kB)")


def trace_picture(out: Path, tmp: Path) -> None:
    """Paris flows over the ecmp lab, its bottom router silent."""
    from paquet.lab import Lab
    from paquet.lab.testing import unique_lab_name
    from paquet.lab.topology import builtin_text, parse
    from paquet.lab.traffic import paris_pairs
    from paquet.layers import IP, TCP
    from paquet.net.traceroute import TracerouteResult

    text = builtin_text("ecmp").replace("[nodes.bottom]\n", "[nodes.bottom]\nsilent = true\n")
    with Lab.up(parse(text), name=unique_lab_name("pics")) as lab:
        pairs = lab["client"].run(paris_pairs, lab["server"].addr(), list(range(40000, 40016)))
        rows = [(IP(a), IP(b)) for a, b in pairs]
        ttl2 = {s[TCP].sport: lab.node_of(r.src).name for s, r in rows if s.ttl == 2}
        flows = sorted({s[TCP].sport for s, _r in rows})
        keep = {*[p for p in flows if ttl2.get(p) == "top"][:2],
                *[p for p in flows if p not in ttl2][:1]}
        result = TracerouteResult([(s, r) for s, r in rows if s[TCP].sport in keep])
        result.graph(target=str(tmp / "trace.svg"))
    _png(tmp / "trace.svg", out / "graph-traceroute.png", 420)


def lab_pictures(out: Path, tmp: Path) -> None:
    """Conversations, the I/O graph, the running lab's status and the demo report."""
    from paquet.cli.main import main
    from paquet.course.observe import Capture
    from paquet.lab import Lab
    from paquet.lab.testing import unique_lab_name
    from paquet.lab.traffic import mixed_traffic
    from paquet.pcap import rdpcap, wrpcap
    from paquet.plist import PacketList

    with Lab.up("tp", name=unique_lab_name("pics")) as lab:
        cap = Capture(lab["client"], "ip")
        try:
            lab["client"].run(mixed_traffic, lab["server"].addr(), lab["remote"].addr(), 3)
        finally:
            packets = cap.stop()
        wrpcap(str(tmp / "client.pcap"), packets)
        PacketList(rdpcap(str(tmp / "client.pcap"))).conversations(
            weight="bytes", target=str(tmp / "conv.svg"))
        _png(tmp / "conv.svg", out / "graph-conversations.png", 560)
        main(["read", str(tmp / "client.pcap"), "--plot", "--svg", str(tmp / "io.svg")])
        _png(tmp / "io.svg", out / "plot-io.png", 640)
    main(["demo", "--lang", "en", "--html", str(tmp / "report.html")])
    shot = tmp / "report.png"
    chromium = shutil.which("chromium") or "chromium"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp / 'profile'}", "--window-size=900,1150",
                    f"--screenshot={shot}", (tmp / "report.html").as_uri()],
                   check=True, capture_output=True)
    from PIL import Image  # matplotlib's own dependency

    with Image.open(shot) as image:
        image.thumbnail((640, 820), Image.Resampling.LANCZOS)
        image.save(out / "report.png", optimize=True)
    print(f"{out / 'report.png'} ({(out / 'report.png').stat().st_size // 1024} kB)")


def offline_pictures(out: Path, tmp: Path) -> None:
    """The pictures that need no lab: a topology file and an automaton."""
    from paquet.cli.main import main
    from paquet.net.tcp_client import TCP_client

    main(["lab", "show", "lossy", "--svg", str(tmp / "lossy.svg")])
    _png(tmp / "lossy.svg", out / "topology-lossy.png")
    TCP_client.graph(target=str(tmp / "tcp_client.svg"))
    _png(tmp / "tcp_client.svg", out / "graph-automaton.png", 560)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/pictures"))
    parser.add_argument("--offline", action="store_true", help="only the pictures without lab")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paquet-pics-") as name:
        tmp = Path(name)
        offline_pictures(args.out, tmp)
        if not args.offline:
            trace_picture(args.out, tmp)
            lab_pictures(args.out, tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())

