"""Packets in a list that starts inside a byte (bit fields before a ``PacketListField``):
Scapy's unaligned data, compared with Scapy on the same bytes."""

from __future__ import annotations

from typing import Any

import pytest

import paquet

scapy_all = pytest.importorskip("scapy.all")


def _classes(ns: Any) -> tuple[Any, Any]:
    class Inner(ns.Packet):  # type: ignore[name-defined,misc]
        name = "Inner"
        fields_desc = [ns.BitField("x", 0, 8)]  # noqa: RUF012

        def extract_padding(self, s: Any) -> tuple[Any, Any]:
            return b"", s

    class Outer(ns.Packet):  # type: ignore[name-defined,misc]
        name = "Outer"
        fields_desc = [  # noqa: RUF012
            ns.BitField("indent", 0, 4),
            ns.BitFieldLenField("pcount", None, 8, count_of="plist"),
            ns.PacketListField("plist", None, Inner, count_from=lambda p: p.pcount),
        ]

    return Inner, Outer


# Each: 4 bits, a count of 8 bits, then that many 8-bit items, all shifted by half a byte.
FRAMES = [
    bytes.fromhex("f04414243440"),
    bytes.fromhex("a0200102f0"),
    bytes.fromhex("1000"),
    bytes.fromhex("f0314151"),  # one item short: what is there
]


@pytest.mark.parametrize("data", FRAMES, ids=[f.hex() for f in FRAMES])
def test_items_read_across_bytes_as_scapy(data: bytes) -> None:
    (_, ours), (_, theirs) = _classes(paquet), _classes(scapy_all)
    a, b = ours(data), theirs(data)
    assert (a.indent, a.pcount) == (b.indent, b.pcount)
    assert [(type(p).__name__, getattr(p, "x", None)) for p in a.plist] == [
        (type(p).__name__, getattr(p, "x", None)) for p in b.plist]
    assert repr(a.plist) == repr(b.plist)
    # Scapy cannot build such a packet back (a tuple load); paquet gives its bytes.
    assert bytes(a) == data


def test_a_packet_made_of_unaligned_bytes_as_scapy() -> None:
    (ours, _), (theirs, _) = _classes(paquet), _classes(scapy_all)
    for pair in ((b"\x12\x34", 4), (b"\xab", 0), (b"\xab\xcd\xef", 2)):
        assert repr(ours(pair)) == repr(theirs(pair)), pair
    assert repr(paquet.Raw((b"\x0a\xbc", 4))) == repr(scapy_all.Raw((b"\x0a\xbc", 4)))
