"""Every layer class of the registry survives hostile bytes (issue 13): no exception, every
byte back (``bytes(C(data)) == data``), ``repr``/``show``/``summary``/``len``/``copy``/``==``
working, the C and Python parsers agreeing.

The classes come from ``paquet.packet.registry.layer_classes()``: a layer added later is
fuzzed with no edit here. The inputs and checks are those of ``benchmarks/fuzz.py`` (which
runs 20,000 per class); the suite runs 1,000 per class, seeded: the same inputs each run (the
benchmark explores further).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from paquet.packet.base import Packet
from paquet.packet.fields import ByteField
from paquet.packet.registry import layer_classes

pytestmark = pytest.mark.usefixtures("lenient_contribs")

ROOT = Path(__file__).resolve().parents[2]
PER_CLASS = 1000


def _load_fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("paquet_bench_fuzz", ROOT / "benchmarks/fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
CLASSES = layer_classes()


def test_the_registry_lists_the_layers() -> None:
    names = {c.__name__ for c in CLASSES}
    # The core layers, the quoted ones, the ICMPv6 messages under their family's base class.
    assert {"Ether", "Dot1Q", "ARP", "IP", "IPv6", "TCP", "UDP", "ICMP", "IPerror",
            "TCPerror", "UDPerror", "IPerror6", "ICMPv6EchoRequest", "ICMPv6ND_NS",
            "IPv6ExtHdrFragment", "Loopback", "CookedLinux", "SLL2"} <= names
    assert all(c.fields_desc or "dispatch_class" in c.__dict__ for c in CLASSES)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_hostile_inputs(cls: type[Packet]) -> None:
    report = fuzz.fuzz(cls, PER_CLASS, seed=13)
    assert report.inputs == PER_CLASS
    assert not report.failures, (cls.__name__, report.failures[:5])


def test_the_inputs_are_hostile() -> None:
    # Every kind is made, and many of them do not parse as a whole header.
    from paquet.layers import IP

    rng = random.Random(1)
    datas = list(fuzz.inputs(IP, 400, rng))
    truncated = sum(1 for d in datas if IP(d).errors)
    assert len(datas) == 400 and all(datas) and truncated > 100
    assert any(len(d) > 64 for d in datas) and any(len(d) < 20 for d in datas)
    assert any(d[2:4] == b"\xff\xff" for d in datas)  # a length maximised


class _Lossy(Packet):
    """A layer that loses its second byte on building: what the checks must catch."""

    name = "Lossy"
    fields_desc = (ByteField("a", 0), ByteField("b", 0))

    def self_build(self) -> bytes:
        return bytes([self.__dict__["a"] or 0])


def test_the_checks_catch_a_lost_byte() -> None:
    assert fuzz.check(_Lossy, b"\x01\x02") is not None
    assert fuzz.check(_Lossy, b"\x01") is None  # truncated: kept verbatim


_DIGEST = """
import hashlib, importlib.util, json, random, sys
spec = importlib.util.spec_from_file_location("f", sys.argv[1] + "/benchmarks/fuzz.py")
f = importlib.util.module_from_spec(spec); sys.modules["f"] = f; spec.loader.exec_module(f)
out = {}
for cls in f.layer_classes():
    h = hashlib.sha256()
    for data in f.inputs(cls, 300, random.Random(cls.__name__)):
        p = cls(data)
        h.update(repr(p).encode() + p.summary().encode() + str(p.errors).encode())
    out[cls.__name__] = h.hexdigest()
print(json.dumps(out))
"""


def test_c_and_pure_python_give_the_same_layers() -> None:
    # The same inputs dissected with the C accelerators and with PAQUET_PURE=1: the same
    # repr, summary and errors for every class.
    procs = []
    for pure in (False, True):  # (the two interpreters run side by side)
        env = dict(os.environ)
        env.pop("PAQUET_PURE", None)
        if pure:
            env["PAQUET_PURE"] = "1"
        procs.append(subprocess.Popen([sys.executable, "-c", _DIGEST, str(ROOT)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    runs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        runs.append(json.loads(out))
    assert runs[0] == runs[1]
    # a fresh interpreter sees paquet's layers only (test modules bind classes of their own)
    # (layers of modules a fresh interpreter has not imported, e.g. paquet.net.tuntap's, aside)
    ours = {c.__name__ for c in CLASSES if c.__module__.startswith("paquet.")}
    layers = {c.__name__ for c in CLASSES if c.__module__.startswith("paquet.layers.")}
    assert layers <= set(runs[0]) <= ours
    assert len(set(runs[0].values())) == len(runs[0])  # each class saw its own inputs


def test_explain_and_the_notebook_view_never_raise() -> None:
    # ``paquet explain`` and the notebook view walk every field, absent ones included.
    from paquet.explainer.core import explain
    from paquet.explainer.html import packet_html

    for cls in CLASSES:
        for data in fuzz.inputs(cls, 100, random.Random(cls.__name__)):
            pkt = cls(data)
            for lang in ("en", "fr"):
                result = explain(pkt, lang)
                assert list(result.lines()) and result.to_dict()
            assert packet_html(pkt)
