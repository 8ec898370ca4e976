"""What the layer tests share to compare paquet with Scapy and with tshark: one construction
built by both libraries (a Python expression over the names both export, or a stack of
``(class name, fields)``), their layers and field values compared, frames written by
paquet's wrpcap and read back by tshark (``-T json``), and the cuts and mutations of a frame
that must dissect without an exception and build back to their own bytes.

An expression such as ``"GRE(key_present=1) / IP()"`` is evaluated in paquet's public
namespace or in Scapy's (``scapy.all`` with the contrib modules paquet also has): the same
text, two implementations.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import paquet
from paquet.packet.base import NOPAYLOAD, Packet
from paquet.pcap import rdpcap, wrpcap

needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")

#: A stack: (class name, its fields) from the first layer up.
Spec = list[tuple[str, dict[str, Any]]]

#: A construction: a function of a namespace of layer classes (paquet's or Scapy's).
Build = Callable[[Any], Any]

#: Constructions the tunnel tests share: the outer Ethernet header, the inner (tunnelled) one,
#: the outer IPv4 header, the inner IPv4 header and an IPv6 header (documentation addresses).
ETH = "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')"
IN = "Ether(src='02:00:00:00:0a:01', dst='02:00:00:00:0a:02')"
IP4 = "IP(src='192.0.2.1', dst='192.0.2.2')"
IP4I = "IP(src='198.51.100.1', dst='198.51.100.2')"
IP6 = "IPv6(src='2001:db8::1', dst='2001:db8::2')"

_SCAPY: dict[str, Any] = {}


# -- the two namespaces -----------------------------------------------------------------------


def scapy_names() -> dict[str, Any]:
    """Scapy's names: ``scapy.all`` and the contrib modules paquet has too (CDP, DTP, LLDP,
    MPLS, GENEVE, EtherIP, ERSPAN); the test skips without Scapy."""
    if not _SCAPY:
        scapy_all = pytest.importorskip("scapy.all")
        from scapy.contrib import cdp, dtp, erspan, etherip, geneve, lldp, mpls

        _SCAPY.update(vars(scapy_all))
        for module in (cdp, dtp, lldp):
            _SCAPY.update({k: v for k, v in vars(module).items() if not k.startswith("__")})
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


def names(lib: str) -> dict[str, Any]:
    """paquet's names (``"p"``) or Scapy's (``"s"``), by name."""
    return _Paquet() if lib == "p" else scapy_names()


def scapy_namespace() -> SimpleNamespace:
    """Scapy's names as attributes (``ns.Ether``)."""
    return SimpleNamespace(**scapy_names())


def paquet_namespace() -> SimpleNamespace:
    """paquet's names as attributes, under the same names (``from paquet import *``)."""
    return SimpleNamespace(**{n: getattr(paquet, n) for n in paquet.__all__})


# -- constructions built by both --------------------------------------------------------------


def build(lib: str, expr: str) -> Any:
    """The packet ``expr`` built by paquet (``"p"``) or Scapy (``"s"``)."""
    return eval(expr, {}, names(lib))


def first_class(lib: str, expr: str) -> Any:
    """The class of the first layer of ``expr`` (to dissect its bytes with)."""
    return names(lib)[expr.split("(", 1)[0].strip()]


def build_stack(classes: dict[str, Any], spec: Spec) -> Any:
    """The stack ``spec`` built with the classes of one library (``names("p")``...)."""
    pkt = None
    for name, fields in spec:
        layer = classes[name](**fields)
        pkt = layer if pkt is None else pkt / layer
    return pkt


# -- layers and field values compared ---------------------------------------------------------


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
            shown = [f.name for f in layer._shown_fields()]
        else:
            shown = _scapy_present(layer)
        out.append((type(layer).__name__, {n: _norm(getattr(layer, n)) for n in shown}))
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


def flat_layers(pkt: Any) -> list[tuple[str, dict[str, Any]]]:
    """Each layer of a paquet or Scapy packet, its class name and every field's value, the
    items of a packet list as entries of their own (before their layer, which counts them),
    a packet in a field as its bytes."""
    out = []
    layer = pkt
    while layer is not None and type(layer).__name__ != "NoPayload":
        fields = {}
        for f in layer.fields_desc:
            value = getattr(layer, f.name)  # (getfieldval: see the report on ConditionalField)
            if isinstance(value, list) and value and hasattr(value[0], "fields_desc"):
                out.extend(t for v in value for t in flat_layers(v))
                value = len(value)
            elif hasattr(value, "fields_desc"):
                value = bytes(value)
            fields[f.name] = value
        out.append((type(layer).__name__, fields))
        layer = layer.payload if layer.payload else None
    return out


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


def assert_dissects_as_scapy(ours_cls: Any, theirs_cls: Any, data: bytes) -> None:
    """``data`` dissected by paquet's class and by Scapy's: paquet gives the bytes back, and
    both give the same layers, field values and summary."""
    ours, theirs = ours_cls(data), theirs_cls(data)
    assert bytes(ours) == data
    assert_same_layers(ours, theirs)
    assert ours.summary() == theirs.summary()


# -- tshark -----------------------------------------------------------------------------------


def tshark_layers(tmp_path: Path, frames: list[Any], *options: str) -> list[dict[str, Any]]:
    """tshark's JSON tree (``_source.layers``) of each frame written by paquet's wrpcap to
    ``tmp_path/frames.pcap`` (frames given as bytes are Ethernet frames);
    ``--no-duplicate-keys``: repeated keys as lists."""
    path = tmp_path / "frames.pcap"
    wrpcap(str(path), [paquet.Ether(f) if isinstance(f, bytes) else f for f in frames])
    return tshark_read(path, *options)


def tshark_read(path: Path, *options: str) -> list[dict[str, Any]]:
    """tshark's JSON tree (``_source.layers``) of each frame of the capture ``path``
    (``--no-duplicate-keys``: repeated keys as lists)."""
    cmd = ["tshark", "-n", *options, "-r", str(path), "-T", "json", "--no-duplicate-keys"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120).stdout
    return [p["_source"]["layers"] for p in json.loads(out)]


def tshark_pairs(pkts: list[Packet], tmp_path: Path) -> list[tuple[dict[str, Any], Packet]]:
    """Each frame of ``pkts`` written to a pcap, as tshark's JSON layers and as paquet reads
    the pcap back."""
    trees = tshark_layers(tmp_path, pkts)
    ours = list(rdpcap(str(tmp_path / "frames.pcap")))
    assert len(trees) == len(ours) == len(pkts)
    return list(zip(trees, ours, strict=True))


def _walk(node: Any, key: str, found: list[Any], inside: bool) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                found.extend(v if isinstance(v, list) else [v])
                if not inside:
                    continue
            _walk(v, key, found, inside)
    elif isinstance(node, list):
        for v in node:
            _walk(v, key, found, inside)


def values(tree: Any, key: str) -> list[str]:
    """Every text value of ``key`` in a tshark JSON tree, in the order of the frame (lists
    flattened, the values of ``key`` searched too)."""
    found: list[Any] = []
    _walk(tree, key, found, True)
    return [v for v in found if isinstance(v, str)]


def outer_values(tree: Any, key: str) -> list[Any]:
    """Every value of ``key`` in a tshark JSON tree, in order (lists flattened, subtrees kept
    whole and not searched)."""
    found: list[Any] = []
    _walk(tree, key, found, False)
    return found


def one(tree: Any, key: str) -> str:
    """The one value of ``key`` in a tshark tree."""
    found = values(tree, key)
    assert len(found) == 1, (key, found)
    return found[0]


def colon_hex(data: bytes) -> str:
    """Bytes as tshark writes them (``61:62:63``)."""
    return data.hex(":")


# -- cuts and mutations -----------------------------------------------------------------------


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


def flipped_cuts(data: bytes) -> Iterator[bytes]:
    """Every proper prefix of ``data``, then ``data`` with junk after it, then ``data`` with
    each byte flipped in turn."""
    for n in range(1, len(data)):
        yield data[:n]
    yield data + b"\xff" * 7
    for i in range(len(data)):
        yield data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:]


def assert_gives_back(cls: Any, data: bytes, *, show: bool = True) -> Any:
    """``data`` dissected as ``cls`` builds back to itself; its summary (and ``show()``,
    ``repr``) do not raise. The packet is returned."""
    pkt = cls(data)
    assert bytes(pkt) == data, (cls.__name__, data.hex())
    pkt.summary()
    if show:
        pkt.show(dump=True)
        repr(pkt)
    return pkt


def assert_prefixes_given_back(cls: Any, data: bytes) -> None:
    """Every prefix of ``data`` (the whole too; no bytes at all is a layer of defaults, as in
    Scapy) dissected as ``cls`` builds back to itself, and its summary does not raise."""
    for n in range(1, len(data) + 1):
        assert_gives_back(cls, data[:n], show=False)


def assert_hostile_round_trip(cls: type[Packet], data: bytes, seed: int) -> None:
    """Every cut and mutation of ``data`` dissects without an exception (show, summary
    and repr too) and builds back to its own bytes."""
    for cut in cuts_and_mutations(data, seed):
        assert_gives_back(cls, cut)


def assert_hostile_expr(expr: str, seed: int) -> None:
    """:func:`assert_hostile_round_trip` on paquet's bytes of ``expr``, dissected as the class
    of its first layer."""
    assert_hostile_round_trip(first_class("p", expr), bytes(build("p", expr)), seed)


def every_cut_round_trips(frame: bytes) -> None:
    """Every prefix of the Ethernet ``frame`` (and the frame with bytes flipped) dissects
    without raising and gives its bytes back."""
    for n in range(1, len(frame) + 1):
        assert_gives_back(paquet.Ether, frame[:n])
    for i in range(len(frame)):
        for flip in (0x00, 0xFF, frame[i] ^ 0x80):
            assert_gives_back(paquet.Ether, frame[:i] + bytes((flip,)) + frame[i + 1:],
                              show=False)


def assert_cuts_kept(frame: bytes, inner: bytes = b"", classes: Iterable[Any] = ()) -> None:
    """Every flipped cut (:func:`flipped_cuts`) of the Ethernet ``frame``, and of the
    ``inner`` layer's bytes dissected as each of ``classes``, gives its bytes back."""
    for data in flipped_cuts(frame):
        assert_gives_back(paquet.Ether, data)
    for data in flipped_cuts(inner):
        for cls in classes:
            assert_gives_back(cls, data)
