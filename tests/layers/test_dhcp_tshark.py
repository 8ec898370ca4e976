"""DHCP and BOOTP dissected as tshark dissects them: every message of the table (built by
Scapy), read back by paquet from a pcap, field by field against ``tshark -T json``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.layers.dhcp_cases import CASES, build
from tests.layers.dhcp_tshark import check_frame, tshark_dhcp

from paquet.layers import Ether
from paquet.layers.dhcp import DHCP
from paquet.pcap import rdpcap

scapy = pytest.importorskip("scapy.all")

pytestmark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")


def test_tshark_dissects_the_table_as_we_do(tmp_path: Path) -> None:
    # Options tshark reads otherwise (a message with its options cut short, or raw bytes
    # among them) are left out: their text is an "expert" note, not fields.
    cases = [c for c in CASES if c[0] not in ("raw bytes among the options",)]
    frames = [Ether(bytes(build(scapy, *c[1:]))) for c in cases]
    trees = tshark_dhcp(frames, tmp_path)
    ours = rdpcap(str(tmp_path / "frames.pcap"))  # (the capture tshark read)
    assert len(trees) == len(ours) == len(cases)
    for case, pkt, tree in zip(cases, ours, trees, strict=True):
        try:
            check_frame(pkt, tree)
        except AssertionError as exc:
            raise AssertionError(f"{case[0]}: {exc}") from exc
    assert sum(DHCP in p for p in ours) == sum(c[2] is not None for c in cases)
