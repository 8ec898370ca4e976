"""``ls()`` of fields wrapped or chosen per packet, compared with Scapy's printout.

Scapy's ``ls`` names a conditional field ``Kind (Cond)`` (then a bit field's width), a
``MultipleTypeField`` with the kinds it chooses among and its fallback's default, and a
``MultiEnumField`` with the value its table depends on. Each class is defined the same way in
both libraries and both printouts are compared line for line.
"""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


def _fields(ns: Any) -> list[Any]:
    return [
        ns.ByteField("kind", 1),
        ns.ConditionalField(ns.BitField("bits", 3, 4), lambda p: p.kind == 1),
        ns.ConditionalField(ns.BitField("bit", 0, 1), lambda p: p.kind == 1),
        ns.ConditionalField(ns.BitField("pad", 0, 3), lambda p: p.kind == 1),
        ns.MultiEnumField("code", 0, {1: {0: "zero", 1: "one"}, 2: {0: "nil"}},
                          depends_on=lambda p: p.kind, fmt="B"),
        ns.MultipleTypeField(
            [(ns.IPField("addr", "192.0.2.1"), lambda p: p.kind == 4),
             (ns.IP6Field("addr", "2001:db8::1"), lambda p: p.kind == 6)],
            ns.StrFixedLenField("addr", b"", length=4)),
        ns.MultipleTypeField(
            [(ns.FlagsField("fl", 0, 8, "ABCDEFGH"), lambda p: p.kind == 4)],
            ns.FlagsField("fl", 0, 8, "abcdefgh")),
        ns.ConditionalField(ns.FlagsField("cf", "AB", 8, "ABCDEFGH"), lambda p: p.kind == 1),
    ]


def _class(ns: Any) -> Any:
    return type("LsKinds", (ns.Packet,), {"name": "ls kinds", "fields_desc": _fields(ns)})


def _scapy_ls(obj: Any, capsys: pytest.CaptureFixture[str], **kw: Any) -> str:
    capsys.readouterr()
    scapy_all.ls(obj, **kw)
    return capsys.readouterr().out.rstrip("\n")


@pytest.mark.parametrize("verbose", [False, True])
def test_wrapped_and_chosen_fields_as_scapy(capsys: pytest.CaptureFixture[str],
                                            verbose: bool) -> None:
    ours, theirs = _class(paquet), _class(scapy_all)
    assert paquet.ls(ours, verbose=verbose, dump=True) == _scapy_ls(theirs, capsys,
                                                                    verbose=verbose)
    for kw in ({}, {"kind": 2, "code": 0}, {"kind": 4, "addr": "198.51.100.7", "fl": 3}):
        assert paquet.ls(ours(**kw), dump=True) == _scapy_ls(theirs(**kw), capsys), kw


def test_arp_class_as_scapy(capsys: pytest.CaptureFixture[str]) -> None:
    # ARP's addresses are MultipleTypeFields in Scapy, its lengths FieldLenFields.
    assert paquet.ls(paquet.ARP, dump=True) == _scapy_ls(scapy_all.ARP, capsys)
    given = {"hwsrc": "02:00:00:00:00:01", "psrc": "192.0.2.1", "pdst": "192.0.2.2"}
    assert (paquet.ls(paquet.ARP(**given), dump=True)
            == _scapy_ls(scapy_all.ARP(**given), capsys))
