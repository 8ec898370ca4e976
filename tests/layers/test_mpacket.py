"""802.3br mPackets (pcap LINKTYPE 274): built and dissected as Scapy does, read from captures
Scapy writes with that link type."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")

import paquet  # noqa: E402
from paquet import Ether, MPacketPreamble, rdpcap  # noqa: E402


def _frames(ns: Any) -> list[Any]:
    rnd = random.Random(274)
    out = []
    for i in range(12):
        pre = b"\x55" * 7 + bytes([rnd.choice([0xD5, 0xE6, 0x4C, 0x7F])])
        fcs = rnd.getrandbits(32)
        upper = (ns.IP(src="192.0.2.1", dst="198.51.100.7", ttl=i + 1) / ns.UDP(dport=67)
                 / bytes(rnd.getrandbits(8) for _ in range(i * 3)))
        out.append(ns.MPacketPreamble(preamble=pre, fcs=fcs)
                   / ns.Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff") / upper)
    return out


def test_built_bytes_are_scapys() -> None:
    assert [bytes(p) for p in _frames(paquet)] == [bytes(p) for p in _frames(scapy_all)]


def test_dissected_as_scapy() -> None:
    for ref in _frames(scapy_all):
        raw = bytes(ref)
        ours, theirs = MPacketPreamble(raw), scapy_all.MPacketPreamble(raw)
        assert (ours.preamble, ours.fcs) == (theirs.preamble, theirs.fcs)
        assert ours[Ether].dst == theirs[scapy_all.Ether].dst
        assert ours[paquet.IP].ttl == theirs[scapy_all.IP].ttl
        assert bytes(ours[paquet.UDP].payload) == bytes(theirs[scapy_all.UDP].payload)
        assert bytes(ours) == raw


def test_a_capture_of_link_type_274(tmp_path: Path) -> None:
    path = tmp_path / "mpackets.pcap"
    refs = _frames(scapy_all)
    scapy_all.wrpcap(str(path), refs, linktype=274)
    got = rdpcap(str(path))
    assert [type(p).__name__ for p in got] == ["MPacketPreamble"] * len(refs)
    assert [bytes(p) for p in got] == [bytes(p) for p in refs]
    assert [p.fcs for p in got] == [p.fcs for p in refs]


@pytest.mark.parametrize("cut", [1, 3, 8, 11, 12, 20])
def test_short_frames_keep_their_bytes(cut: int) -> None:
    raw = bytes(_frames(scapy_all)[5])[:cut]
    assert bytes(MPacketPreamble(raw)) == raw
