"""``conf.noenum`` and random values on enumerated fields, a table's or a callback's,
standalone or in a layer, compared with Scapy's displays."""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


def _fields(ns: Any) -> list[Any]:
    return [
        ns.EnumField("t", 0, {0: "Foo", 1: "Bar"}),
        ns.EnumField("t", 0, {"Foo": 0, "Bar": 1}),
        ns.EnumField("t", 0, ["Foo", "Bar"]),
        ns.EnumField("t", 0, (lambda x: "Foo" if x == 0 else "Bar" if 0 < x < 10 else None,
                              lambda x: 0 if x == "Foo" else 1)),
        ns.ByteEnumField("t", 0, (lambda x: {7: "seven"}.get(x), lambda x: 7)),
        ns.XShortEnumField("t", 0, (lambda x: "low" if x < 0x100 else None, lambda x: 0)),
    ]


def _views(ns: Any, field: Any) -> list[Any]:
    return [field.i2repr_one(None, v) for v in (0, 1, 5, 7, 11, 0x1234)] + [
        field.i2repr(None, [0, 1, 11])]


def test_noenum_on_standalone_fields_as_scapy() -> None:
    for ours, theirs in zip(_fields(paquet), _fields(scapy_all), strict=True):
        assert _views(paquet, ours) == _views(scapy_all, theirs)
        paquet.conf.noenum.add(ours)
        scapy_all.conf.noenum.add(theirs)
        try:
            assert _views(paquet, ours) == _views(scapy_all, theirs)
        finally:
            paquet.conf.noenum.remove(ours)
            scapy_all.conf.noenum.remove(theirs)
        assert _views(paquet, ours) == _views(scapy_all, theirs)


def test_random_values_show_as_themselves() -> None:
    for ours, theirs in zip(_fields(paquet), _fields(scapy_all), strict=True):
        assert (ours.i2repr_one(None, paquet.RandNum(0, 10))
                == theirs.i2repr_one(None, scapy_all.RandNum(0, 10)) == "<RandNum>")


def test_noenum_on_a_layer_field_as_scapy() -> None:
    ours, theirs = paquet.TCP(dport=80), scapy_all.TCP(dport=80)
    paquet.conf.noenum.add(paquet.TCP.dport)
    scapy_all.conf.noenum.add(scapy_all.TCP.dport)
    try:
        assert ours.sprintf("%TCP.dport%") == theirs.sprintf("%TCP.dport%") == "80"
        assert ours.sprintf("%TCP.sport%") == theirs.sprintf("%TCP.sport%")
    finally:
        paquet.conf.noenum.remove(paquet.TCP.dport)
        scapy_all.conf.noenum.remove(scapy_all.TCP.dport)
    assert ours.sprintf("%TCP.dport%") == theirs.sprintf("%TCP.dport%") == "http"
