"""What the tests of the tunnel layers (GRE, MPLS, GENEVE, PPP, EAP) share: one construction
written once and built by paquet and by Scapy, each layer's field values read the same way
from both, frames read back by tshark (``-T json``), and the cuts and mutations of a frame.

A construction is a Python expression over the layer names both libraries export
(``"GRE(key_present=1) / IP()"``), evaluated in paquet's public namespace or in Scapy's (with
Scapy's contrib modules for MPLS and GENEVE): the same text, two implementations.
"""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paquet
from paquet.packet.base import NOPAYLOAD, Packet
from paquet.pcap import wrpcap

_SCAPY: dict[str, Any] = {}


def scapy_namespace() -> dict[str, Any]:
    """Scapy's names (``scapy.all`` and the contrib modules of MPLS, GENEVE, EtherIP and ERSPAN)."""
    if not _SCAPY:
        import scapy.all as sall
        from scapy.contrib import erspan, etherip, geneve, mpls  # (paquet has them all)

        _SCAPY.update(vars(sall))
        _SCAPY.update({n: getattr(mpls, n) for n in ("MPLS", "EoMCW", "ICMPExtension_MPLS")})
        _SCAPY.update({n: getattr(geneve, n) for n in ("GENEVE", "GeneveOptions")})
        _SCAPY["EtherIP"] = etherip.EtherIP
        _SCAPY.update({n: getattr(erspan, n) for n in erspan.__dict__ if n.startswith("ERSPAN")})
    return _SCAPY


class _Paquet(dict[str, Any]):
    """paquet's public names, looked up when used (``paquet`` loads its names lazily)."""

    def __missing__(self, name: str) -> Any:
        try:
            return getattr(paquet, name)
        except AttributeError:
            raise KeyError(name) from None


def build(lib: str, expr: str) -> Any:
    """The packet ``expr`` built by paquet (``"p"``) or Scapy (``"s"``)."""
    names = _Paquet() if lib == "p" else scapy_namespace()
    return eval(expr, {}, names)


def first_class(lib: str, expr: str) -> Any:
    """The class of the first layer of ``expr`` (to dissect its bytes with)."""
    names = _Paquet() if lib == "p" else scapy_namespace()
    return names[expr.split("(", 1)[0].strip()]


def _norm(value: Any) -> Any:
    if hasattr(value, "fields_desc"):  # a packet in a field: its bytes
        return bytes(value)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return value.encode() if value and not value[0].isdigit() else value
    return value


def _scapy_present(layer: Any) -> list[str]:
    from scapy.fields import ConditionalField

    return [f.name for f in layer.fields_desc
            if not isinstance(f, ConditionalField) or f._evalcond(layer)]


def layer_values(pkt: Any) -> list[tuple[str, dict[str, Any]]]:
    """Each layer of a paquet or Scapy packet: its class name and its present fields' values
    (packets as bytes, flags as numbers)."""
    out = []
    layer = pkt
    while layer is not None and layer is not NOPAYLOAD and layer.__class__.__name__ not in (
            "NoPayload",):
        if isinstance(layer, Packet):
            names = [f.name for f in layer._shown_fields()]
        else:
            names = _scapy_present(layer)
        out.append((type(layer).__name__, {n: _norm(getattr(layer, n)) for n in names}))
        layer = layer.payload
    return out


def assert_same_as_scapy(expr: str, show: bool = True) -> None:
    """``expr`` built by both gives the same bytes; Scapy's bytes dissected by both give the
    same layers, field values, summary and (when no list is empty) ``show()``."""
    ours, theirs = build("p", expr), build("s", expr)
    data = bytes(theirs)
    assert bytes(ours) == data, expr
    mine, scapy_pkt = first_class("p", expr)(data), first_class("s", expr)(data)
    assert bytes(mine) == data
    assert layer_values(mine) == layer_values(scapy_pkt), expr
    assert mine.summary() == scapy_pkt.summary(), expr
    if show:
        assert mine.show(dump=True) == scapy_pkt.show(dump=True), expr


def tshark_layers(tmp_path: Path, frames: list[Packet], *options: str) -> list[dict[str, Any]]:
    """tshark's JSON tree of each frame (``--no-duplicate-keys``: repeated keys as lists)."""
    path = tmp_path / "frames.pcap"
    wrpcap(str(path), frames)
    cmd = ["tshark", "-n", *options, "-r", str(path), "-T", "json", "--no-duplicate-keys"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    return [p["_source"]["layers"] for p in json.loads(out)]


def values(tree: Any, key: str) -> list[str]:
    """Every value of ``key`` in a tshark JSON tree, in the order of the frame."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key:
                    found.extend(x for x in (v if isinstance(v, list) else [v])
                                 if isinstance(x, str))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree)
    return found


def one(tree: Any, key: str) -> str:
    """The one value of ``key`` in a tshark tree."""
    found = values(tree, key)
    assert len(found) == 1, (key, found)
    return found[0]


def colon_hex(data: bytes) -> str:
    """Bytes as tshark writes them (``61:62:63``)."""
    return data.hex(":")


def cuts_and_mutations(data: bytes, seed: int, mutations: int = 200) -> Iterator[bytes]:
    """Every prefix of ``data``, then ``mutations`` copies with a few random bytes changed
    (lengths and flags lie), some cut short or made longer."""
    for n in range(1, len(data)):
        yield data[:n]
    rnd = random.Random(seed)
    for _ in range(mutations):
        b = bytearray(data)
        for _ in range(rnd.randint(1, 4)):
            b[rnd.randrange(len(b))] = rnd.choice((0, 0xFF, rnd.randrange(256)))
        if rnd.random() < 0.3 and len(b) > 1:
            del b[rnd.randrange(1, len(b)):]
        elif rnd.random() < 0.3:
            b += rnd.randbytes(rnd.randint(1, 40))
        yield bytes(b)


def assert_hostile_round_trip(cls: type[Packet], data: bytes, seed: int) -> None:
    """Every cut and mutation of ``data`` dissects without an exception (show, summary
    and repr too) and builds back to its own bytes."""
    for cut in cuts_and_mutations(data, seed):
        pkt = cls(cut)
        assert bytes(pkt) == cut, (cls.__name__, cut.hex())
        pkt.summary()
        pkt.show(dump=True)
        repr(pkt)
