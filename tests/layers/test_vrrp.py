"""VRRP v2/v3 (``paquet/layers/vrrp.py``): the same bytes as Scapy for a table of
constructions, the same dissection as Scapy and as tshark, truncated and hostile input kept."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6
from scapy.layers import vrrp as svrrp

from paquet.layers import IP, Ether, IPv6
from paquet.layers.vrrp import VRRP, VRRPv3

from . import scapy_compare as compare
from .scapy_compare import values as tvalues

P: dict[str, Any] = {"IP": IP, "IPv6": IPv6, "VRRP": VRRP, "VRRPv3": VRRPv3}
S: dict[str, Any] = {"IP": sinet.IP, "IPv6": sinet6.IPv6, "VRRP": svrrp.VRRP,
                     "VRRPv3": svrrp.VRRPv3}
V4 = ("IP", {"src": "192.0.2.1", "dst": "224.0.0.18"})
V6 = ("IPv6", {"src": "fe80::1", "dst": "ff02::12"})

CONSTRUCTIONS: list[tuple[str, compare.Spec]] = [
    ("VRRP defaults", [("VRRP", {})]),
    ("VRRP addresses", [("VRRP", {"vrid": 7, "priority": 255,
                                  "addrlist": ["192.0.2.254", "192.0.2.253"]})]),
    ("VRRP simple auth", [("VRRP", {"authtype": 1, "auth1": 0x70617373, "auth2": 1})]),
    ("VRRP ipcount and chksum set", [("VRRP", {"ipcount": 5, "chksum": 0xBEEF})]),
    ("VRRP version and type set", [("VRRP", {"version": 3, "type": 2, "adv": 255})]),
    ("VRRPv3 alone", [("VRRPv3", {})]),
    ("VRRP over IPv4", [V4, ("VRRP", {"addrlist": ["192.0.2.254"]})]),
    ("VRRPv3 over IPv4", [V4, ("VRRPv3", {"vrid": 9, "adv": 4095,
                                          "addrlist": ["192.0.2.254", "192.0.2.253"]})]),
    ("VRRPv3 over IPv6", [V6, ("VRRPv3", {"addrlist": ["2001:db8::1", "fe80::254"]})]),
    ("VRRPv3 over IPv6, no address", [V6, ("VRRPv3", {"res": 15})]),
    ("VRRPv3 checksum set", [V4, ("VRRPv3", {"chksum": 1})]),
    ("IP binding: protocol 112", [("IP", {"src": "192.0.2.1"}), ("VRRP", {})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: compare.Spec) -> None:
    assert bytes(compare.build_stack(P, spec)) == bytes(compare.build_stack(S, spec)), what


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: compare.Spec) -> None:
    data = bytes(compare.build_stack(S, spec))
    for first in ({spec[0][0]} | ({"VRRP", "VRRPv3"} if len(spec) == 1 else set())):
        ours = P[first](data)
        assert bytes(ours) == data
        try:
            theirs = S[first](data)
        except struct.error:  # (an ipcount larger than the list: Scapy raises, we keep it)
            assert what in ("VRRP ipcount and chksum set", "VRRPv3 alone")
            continue
        compare.assert_same_layers(ours, theirs)
        assert ours.summary() == theirs.summary()


def _frames() -> list[Any]:
    link = Ether(src="02:00:00:00:00:01", dst="01:00:5e:00:00:12")
    link6 = Ether(src="02:00:00:00:00:01", dst="33:33:00:00:00:12")
    return [
        link / IP(src="192.0.2.1", dst="224.0.0.18", ttl=255)
        / VRRP(vrid=5, priority=200, addrlist=["192.0.2.254", "192.0.2.253"]),
        link / IP(src="192.0.2.1", dst="224.0.0.18", ttl=255)
        / VRRPv3(vrid=6, adv=150, addrlist=["192.0.2.254"]),
        link6 / IPv6(src="fe80::1", dst="ff02::12", hlim=255)
        / VRRPv3(vrid=7, priority=50, addrlist=["fe80::254", "2001:db8::1"]),
    ]


@compare.needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    for layers, pkt in compare.tshark_pairs(_frames(), tmp_path):
        tree = layers["vrrp"]
        v = pkt[VRRP] if VRRP in pkt else pkt[VRRPv3]
        assert tvalues(tree, "vrrp.version") == [str(v.version)]
        assert tvalues(tree, "vrrp.type") == [str(v.type)]
        assert tvalues(tree, "vrrp.virt_rtr_id") == [str(v.vrid)]
        assert tvalues(tree, "vrrp.prio") == [str(v.priority)]
        assert tvalues(tree, "vrrp.addr_count") == [str(v.ipcount)]
        assert tvalues(tree, "vrrp.checksum.status") == ["1"]
        assert int(tvalues(tree, "vrrp.checksum")[0], 16) == v.chksum
        key = "vrrp.ip_addr" if isinstance(pkt.payload, IP) else "vrrp.ipv6_addr"
        assert tvalues(tree, key) == v.addrlist
        if isinstance(v, VRRP):
            assert tvalues(tree, "vrrp.adver_int") == [str(v.adv)]
        else:
            assert tvalues(tree, "vrrp.short_adver_int") == [str(v.adv)]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_hostile_input_kept(index: int) -> None:
    frame = _frames()[index]
    compare.assert_cuts_kept(bytes(frame), bytes(frame.payload.payload), (VRRP, VRRPv3))
