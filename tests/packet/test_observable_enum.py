"""Enumerated fields reading an ``ObservableDict``: names added, changed or removed later are
seen by the field, standalone and in a layer's ``show()``, as in Scapy."""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


def _run(ns: Any) -> list[Any]:
    table = ns.ObservableDict({0: "Foo", 1: "Bar"})
    plain = ns.XByteEnumField("t", 0, table)
    cls = type("Obs", (ns.Packet,), {"name": "obs",
                                     "fields_desc": [ns.ShortEnumField("kind", 1, table)]})
    out: list[Any] = [plain.i2repr_one(None, 1), cls(kind="Bar").kind, cls().show(dump=True)]
    del table[1]
    table[2] = "Baz"
    table.update({3: "Qux"})
    out += [plain.i2repr_one(None, 1), plain.i2repr_one(None, 2), plain.i2repr(None, [3, 4]),
            cls(kind="Baz").kind, cls().show(dump=True), cls(kind=3).sprintf("%kind%")]
    try:
        cls(kind="Bar")
        out.append("accepted")
    except KeyError:
        out.append("KeyError")
    return out


def test_observable_table_as_scapy() -> None:
    assert _run(paquet) == _run(scapy_all)
