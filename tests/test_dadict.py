"""Direct-access dictionaries (``DADict``, ``ETHER_TYPES``, ``IP_PROTOS``, services) compared
with Scapy's on the same host: numbers by name as attributes, names by number, repr, dir,
iteration, hidden keys, the deprecated name keys of ``ETHER_TYPES``."""

from __future__ import annotations

import pickle
import warnings
from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


@pytest.mark.parametrize("table", ["ETHER_TYPES", "IP_PROTOS", "TCP_SERVICES", "UDP_SERVICES"])
def test_system_tables_as_scapy(table: str) -> None:
    ours, theirs = getattr(paquet, table), getattr(scapy_all, table)
    assert repr(ours) == repr(theirs)
    # 0xA0ED: Scapy's 6LoWPAN layer (not in paquet) renames the file's "LoWPAN" entry.
    common = [k for k in theirs if k in ours and (table, k) != ("ETHER_TYPES", 0xA0ED)]
    assert len(common) > 0.9 * len(theirs)
    for key in common:
        name = theirs[key]
        assert ours[key] == name, key
        attr = scapy_all.fixname(name)
        assert getattr(ours, attr) == getattr(theirs, attr), name


def test_ether_types_attributes_and_name_keys() -> None:
    from paquet import ETHER_TYPES as ours

    theirs = scapy_all.ETHER_TYPES
    for name in ("IPv4", "IPv6", "ARP", "n_802_1Q", "LLDP"):
        assert getattr(ours, name) == getattr(theirs, name)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            assert ours[name] == theirs[name]
        assert seen and seen[0].category is DeprecationWarning
    with pytest.raises(AttributeError):
        ours.NoSuchProtocol  # noqa: B018
    with pytest.raises(AttributeError):
        theirs.NoSuchProtocol  # noqa: B018


def _filled(ns: Any) -> Any:
    d = ns.DADict(_name="demo", a=1)
    d[2] = "two-words"
    d["_hidden"] = "secret"
    d[b"\x01"] = b"raw bytes"
    d[7] = "7th"
    return d


def test_dadict_as_scapy(capsys: pytest.CaptureFixture[str]) -> None:
    ours, theirs = _filled(paquet), _filled(scapy_all)
    assert repr(ours) == repr(theirs)
    assert list(ours) == list(theirs) and ours.keys() == theirs.keys()
    assert ours.values() == theirs.values()
    assert sorted(dir(ours)) == sorted(dir(theirs))
    for name in ("two_words", "raw_bytes", "n_7th", "secret"):
        assert getattr(ours, name) == getattr(theirs, name)
    assert bool(ours) == bool(theirs) and bool(paquet.DADict()) == bool(scapy_all.DADict())
    assert len(ours) == len(theirs)
    ours._show()
    mine = capsys.readouterr().out
    theirs._show()
    assert mine == capsys.readouterr().out
    assert pickle.loads(pickle.dumps(ours)).two_words == 2


def test_fixname_as_scapy() -> None:
    for name in ("ftp-data", "802.1Q", "a b", "é", "_x", ""):
        assert paquet.fixname(name) == scapy_all.fixname(name)


def test_an_entry_added_is_shown() -> None:
    # Better than Scapy, as ETHER_TYPES documents: Scapy's Ether copied the table when the
    # class was made, and shows 0x88b6 and refuses the name after the same addition.
    from paquet import ETHER_TYPES, Ether

    assert "type      = 0x88b6" in Ether(type=0x88B6).show(dump=True)  # (the table read)
    ETHER_TYPES[0x88B6] = "Local_experimental"
    try:
        assert Ether(type="Local_experimental").type == 0x88B6
        assert "type      = Local_experimental" in Ether(type=0x88B6).show(dump=True)
        assert ETHER_TYPES.Local_experimental == 0x88B6
    finally:
        del ETHER_TYPES.d[0x88B6]
