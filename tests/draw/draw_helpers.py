"""Functions the picture tests run inside lab nodes (``node.run(func, ...)``): module level,
picklable (the traffic they draw is :mod:`paquet.lab.traffic`'s, shared with
``scripts/draw_pictures.py``)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def capture_mixed_traffic(lab: Any, path: Path) -> Path:
    """The tp lab's client's IP traffic while it runs :func:`paquet.lab.traffic.mixed_traffic`
    with the server and the remote node, captured by tcpdump there and written to ``path``."""
    from paquet.course.observe import Capture
    from paquet.lab.traffic import mixed_traffic
    from paquet.pcap import wrpcap

    cap = Capture(lab["client"], "ip")
    try:
        lab["client"].run(mixed_traffic, lab["server"].addr(), lab["remote"].addr())
    finally:
        packets = cap.stop()
    wrpcap(str(path), packets)
    return path


def cli(argv: list[str]) -> int:
    """``paquet ARGV`` in this node, in-process; its exit status."""
    from paquet.cli.main import main

    return main(argv)


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
