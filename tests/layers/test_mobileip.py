"""Mobile IPv4 (``paquet/layers/mobileip.py``): the same bytes as Scapy for a table of
constructions, the same dissection as Scapy and as tshark, truncated and hostile input kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.layers import inet as sinet
from scapy.layers import mobileip as smip

from paquet.layers import IP, UDP, Ether
from paquet.layers import mobileip as pmip

from . import scapy_compare as compare
from .scapy_compare import values as tvalues

NAMES = ["MobileIP", "MobileIPRRQ", "MobileIPRRP", "MobileIPTunnelData"]
P: dict[str, Any] = {"IP": IP, "UDP": UDP, **{n: getattr(pmip, n) for n in NAMES}}
S: dict[str, Any] = {"IP": sinet.IP, "UDP": sinet.UDP, **{n: getattr(smip, n) for n in NAMES}}
V4 = ("IP", {"src": "192.0.2.1", "dst": "192.0.2.2"})
RRQ = ("MobileIPRRQ", {"flags": 0x12, "lifetime": 600, "homeaddr": "192.0.2.10",
                       "haaddr": "192.0.2.2", "coaddr": "198.51.100.1",
                       "id": 0x1122334455667788})
RRP = ("MobileIPRRP", {"code": 1, "homeaddr": "192.0.2.10", "haaddr": "192.0.2.2", "id": 5})

CONSTRUCTIONS: list[tuple[str, compare.Spec]] = [
    ("type alone", [("MobileIP", {})]),
    ("request", [("MobileIP", {}), RRQ]),
    ("reply sets the type", [("MobileIP", {}), RRP]),
    ("tunnel data then IPv4", [("MobileIP", {}), ("MobileIPTunnelData", {}),
                               ("IP", {"src": "198.51.100.1", "dst": "198.51.100.2"})]),
    ("UDP port 434 both ways", [V4, ("UDP", {}), ("MobileIP", {}), RRQ]),
    ("a type set by the user", [V4, ("UDP", {}), ("MobileIP", {"type": 1}), RRP]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: compare.Spec) -> None:
    assert bytes(compare.build_stack(P, spec)) == bytes(compare.build_stack(S, spec)), what


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: compare.Spec) -> None:
    data = bytes(compare.build_stack(S, spec))
    compare.assert_dissects_as_scapy(P[spec[0][0]], S[spec[0][0]], data)


def _frames() -> list[Any]:
    lib = {"Ether": Ether, **P}
    link = ("Ether", {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"})
    return [compare.build_stack(lib, [link, V4, ("UDP", {}), ("MobileIP", {}), rest])
            for rest in (RRQ, RRP, ("MobileIPRRQ", {}))]


@compare.needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    for layers, pkt in compare.tshark_pairs(_frames(), tmp_path):
        tree = layers["mip"]
        assert tvalues(tree, "mip.type") == [str(pkt[pmip.MobileIP].type)]
        msg = pkt[pmip.MobileIP].payload
        assert tvalues(tree, "mip.life") == [str(msg.lifetime)]
        assert tvalues(tree, "mip.homeaddr") == [msg.homeaddr]
        assert tvalues(tree, "mip.haaddr") == [msg.haaddr]
        if isinstance(msg, pmip.MobileIPRRQ):
            assert int(tvalues(tree, "mip.flags")[0], 16) == msg.flags
            assert tvalues(tree, "mip.coa") == [msg.coaddr]
        else:
            assert tvalues(tree, "mip.code") == [str(msg.code)]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_hostile_input_kept(index: int) -> None:
    frame = _frames()[index]
    compare.assert_cuts_kept(bytes(frame))
