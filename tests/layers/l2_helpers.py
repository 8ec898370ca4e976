"""Shared by the switch-level tests (802.3/LLC/SNAP/STP, CDP, LLDP, DTP): the same
construction built by paquet and by Scapy, and tshark's JSON dissection of a capture."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import paquet
from paquet.pcap import wrpcap

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")

#: A construction: a function of a namespace of layer classes (paquet's or Scapy's).
Build = Callable[[Any], Any]


def scapy_namespace() -> SimpleNamespace:
    """Scapy's layer classes of the switch-level protocols, by their names."""
    scapy_all = pytest.importorskip("scapy.all")
    from scapy.contrib import cdp, dtp, lldp

    names: dict[str, Any] = {}
    for module in (scapy_all, cdp, dtp, lldp):
        names.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
    return SimpleNamespace(**names)


def paquet_namespace() -> SimpleNamespace:
    """paquet's classes under the same names (``from paquet import *``)."""
    return SimpleNamespace(**{n: getattr(paquet, n) for n in paquet.__all__})


def tshark_packets(tmp_path: Path, frames: list[bytes]) -> list[dict[str, Any]]:
    """tshark's JSON tree of each frame (``-T json``, repeated keys kept in lists)."""
    path = tmp_path / "frames.pcap"
    wrpcap(str(path), [paquet.Ether(f) for f in frames])
    cmd = ["tshark", "-n", "-r", str(path), "-T", "json", "--no-duplicate-keys"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    return [e["_source"]["layers"] for e in json.loads(out)]


def values(tree: Any, key: str) -> list[str]:
    """Every value of ``key`` in a tshark JSON tree, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key:
                    found.extend(v if isinstance(v, list) else [v])
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree)
    return [v for v in found if isinstance(v, str)]


def every_cut_round_trips(frame: bytes) -> None:
    """Every prefix of ``frame`` (and the frame with bytes flipped) dissects without raising
    and gives its bytes back."""
    for n in range(1, len(frame) + 1):
        cut = frame[:n]
        pkt = paquet.Ether(cut)
        assert bytes(pkt) == cut, n
        pkt.summary()
        pkt.show(dump=True)
    for i in range(len(frame)):
        for flip in (0x00, 0xFF, frame[i] ^ 0x80):
            bad = frame[:i] + bytes((flip,)) + frame[i + 1:]
            pkt = paquet.Ether(bad)
            assert bytes(pkt) == bad, (i, flip)
            pkt.summary()
