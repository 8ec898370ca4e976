"""A ``MultipleTypeField`` whose chosen kind is a ``FlagsField`` reads as flags (its names as
attributes, ``repr``, ``in``), as Scapy's, whatever the kind each packet chooses."""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


def _class(ns: Any) -> Any:
    fields = [
        ns.ByteField("kind", 0),
        ns.MultipleTypeField(
            [(ns.FlagsField("fl", 0, 8, ["up", "down", "strange-name"]), lambda p: p.kind == 1),
             (ns.ShortField("fl", 0), lambda p: p.kind == 2)],
            ns.FlagsField("fl", 4, 8, "ABCDEFGH")),
    ]
    return type("Chosen", (ns.Packet,), {"name": "chosen", "fields_desc": fields})


@pytest.mark.parametrize("kw", [{}, {"kind": 1}, {"kind": 1, "fl": 5}, {"kind": 2, "fl": 9},
                                {"fl": "AB"}])
def test_chosen_flags_read_as_scapy(kw: dict[str, Any]) -> None:
    ours, theirs = _class(paquet)(**kw), _class(scapy_all)(**kw)
    assert repr(ours.fl) == repr(theirs.fl)
    assert type(ours.fl).__name__ == type(theirs.fl).__name__
    assert bytes(ours) == bytes(theirs)
    back_ours, back_theirs = _class(paquet)(bytes(ours)), _class(scapy_all)(bytes(theirs))
    assert repr(back_ours.fl) == repr(back_theirs.fl)


def test_flag_with_a_python_incompatible_name() -> None:
    assert paquet.Dot11().FCfield.to_DS is scapy_all.Dot11().FCfield.to_DS is False
    ours, theirs = _class(paquet)(kind=1, fl=4), _class(scapy_all)(kind=1, fl=4)
    assert ours.fl.strange_name is theirs.fl.strange_name is True
    ours.fl.up = True
    theirs.fl.up = True
    assert bytes(ours) == bytes(theirs)
