"""Helpers of the tests of the IPv6 families (ND options, node information, MLD, hop-by-hop
options, segment routing): the same construction built by paquet and by Scapy, fields
compared, tshark's JSON read, cuts checked."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.layers import scapy_compare

import paquet
from paquet.packet import Packet

scapy_all = pytest.importorskip("scapy.all")

#: What the expressions of the tables see: paquet's names, or Scapy's.
PAQUET_NS: dict[str, Any] = {n: getattr(paquet, n) for n in dir(paquet) if not n.startswith("_")}
SCAPY_NS: dict[str, Any] = {n: getattr(scapy_all, n) for n in dir(scapy_all)
                            if not n.startswith("_")}


def both(expr: str) -> tuple[Any, Any]:
    """``expr`` (a construction such as ``"ICMPv6NDOptMTU(mtu=1500)"``) built by paquet and
    by Scapy."""
    return eval(expr, dict(PAQUET_NS)), eval(expr, dict(SCAPY_NS))


def _norm(v: Any) -> Any:
    if isinstance(v, Packet) or hasattr(v, "fields_desc"):
        return bytes(v)
    if isinstance(v, list) and v and all(hasattr(x, "fields_desc") for x in v):
        # A list of packets: their bytes (Scapy's MLDv2 records nest the next record in the
        # first one's payload where paquet lists them apart: the same bytes).
        return b"".join(bytes(x) for x in v)
    if isinstance(v, list | tuple):
        return [_norm(x) for x in v]
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, str) and ":" in v:  # an address: compare its canonical form
        return v.lower()
    return v


def same_fields(ours: Any, theirs: Any) -> None:
    """Every field of Scapy's layer reads the same in paquet's layer."""
    names = [f.name for f in theirs.fields_desc]
    assert [f.name for f in ours.fields_desc] == names, type(theirs).__name__
    for n in names:
        assert _norm(getattr(ours, n)) == _norm(getattr(theirs, n)), (type(ours).__name__, n)


def layer_pairs(ours: Any, theirs: Any) -> list[tuple[Any, Any]]:
    """The layers of both packets side by side (same class names, in order)."""
    mine, scapys = [], []
    p = ours
    while p:
        mine.append(p)
        p = p.payload
    p = theirs
    while p:
        scapys.append(p)
        p = p.payload
    assert [type(x).__name__ for x in mine] == [type(x).__name__ for x in scapys]
    return list(zip(mine, scapys, strict=True))


def tshark_layers(frames: list[Any], tmp_path: Path) -> list[dict[str, Any]]:
    """tshark's JSON dissection (``_source.layers``) of frames written by paquet."""
    if shutil.which("tshark") is None:
        pytest.skip("needs tshark")
    return scapy_compare.tshark_layers(tmp_path, frames)


#: Every value of a key in a tshark JSON tree, in order (subtrees kept whole).
values = scapy_compare.outer_values


def cuts_round_trip(cls: type[Packet], whole: bytes) -> None:
    """Every cut of ``whole`` dissected as ``cls`` builds back to its bytes, copies too."""
    for n in range(1, len(whole) + 1):  # (no bytes: a layer of defaults, as in Scapy)
        cut = whole[:n]
        p = cls(cut)
        assert bytes(p) == cut, (cls.__name__, n)
        assert bytes(p.copy()) == cut, (cls.__name__, n)
