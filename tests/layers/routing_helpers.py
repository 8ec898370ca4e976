"""Helpers of the first-hop and routing protocols' tests (IGMP, HSRP, VRRP, RIP, RIPng): the
same stack built by paquet and by Scapy, tshark's JSON dissection of frames written by paquet's
wrpcap, and the cuts of a frame.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paquet.packet import Packet
from paquet.pcap import rdpcap, wrpcap

#: A stack: (class name, its fields) from the first layer up.
Spec = list[tuple[str, dict[str, Any]]]

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")


def build(classes: dict[str, Any], spec: Spec) -> Any:
    """The stack ``spec`` built with the classes of one library."""
    pkt = None
    for name, fields in spec:
        layer = classes[name](**fields)
        pkt = layer if pkt is None else pkt / layer
    return pkt


def tshark_layers(pkts: list[Packet], tmp_path: Path) -> list[tuple[dict[str, Any], Packet]]:
    """Each frame of ``pkts`` written to a pcap, as tshark's JSON layers and as paquet reads
    the pcap back."""
    path = tmp_path / "frames.pcap"
    wrpcap(str(path), pkts)
    cmd = ["tshark", "-n", "-r", str(path), "-T", "json", "--no-duplicate-keys"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    entries = json.loads(out)
    ours = list(rdpcap(str(path)))
    assert len(entries) == len(ours) == len(pkts)
    return [(e["_source"]["layers"], p) for e, p in zip(entries, ours, strict=True)]


def values(tree: Any, key: str) -> list[str]:
    """Every value of ``key`` in tshark's JSON tree, in order (lists flattened)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key:
                    if isinstance(v, str):
                        found.append(v)
                    elif isinstance(v, list):
                        found.extend(x for x in v if isinstance(x, str))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree)
    return found


def cuts(data: bytes) -> Iterator[bytes]:
    """Every proper prefix of ``data``, then ``data`` with junk after it, then ``data`` with
    each byte flipped in turn."""
    for n in range(1, len(data)):
        yield data[:n]
    yield data + b"\xff" * 7
    for i in range(len(data)):
        yield data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]


def _plain(value: Any) -> Any:
    """A field value in a form both libraries give alike (packets by their bytes)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "fields_desc") and hasattr(value, "build"):
        return bytes(value)
    if isinstance(value, int) or type(value).__name__ == "FlagValue":
        return int(value)
    if isinstance(value, bytes):
        return value
    return str(value)


def assert_same_layers(ours: Any, theirs: Any) -> None:
    """Layer by layer, the same class names and the same value of every field Scapy shows."""
    from scapy.fields import ConditionalField

    while theirs is not None and type(theirs).__name__ != "NoPayload":
        assert type(ours).__name__ == type(theirs).__name__
        for f in theirs.fields_desc:
            if isinstance(f, ConditionalField) and not f._evalcond(theirs):
                assert f.name not in [g.name for g in ours._shown_fields()], f.name
                continue
            assert _plain(getattr(ours, f.name)) == _plain(getattr(theirs, f.name)), f.name
        ours, theirs = ours.payload, theirs.payload
    assert type(ours).__name__ == "NoPayload"
