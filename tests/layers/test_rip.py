"""RIP v1/v2 and RIPng (``paquet/layers/rip.py``, ``ripng.py``): the same bytes as Scapy for a
table of constructions, the same dissection as Scapy and as tshark, truncated and hostile input
kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.contrib import ripng as sripng
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6
from scapy.layers import rip as srip

from paquet.layers import IP, UDP, Ether, IPv6
from paquet.layers.rip import RIP, RIPAuth, RIPEntry
from paquet.layers.ripng import RIPng, RIPngEntry
from paquet.packet import registry

from .scapy_compare import Spec, assert_same_layers, needs_tshark
from .scapy_compare import build_stack as build
from .scapy_compare import flipped_cuts as cuts
from .scapy_compare import tshark_pairs as tshark_layers
from .scapy_compare import values as tvalues

P: dict[str, Any] = {"IP": IP, "IPv6": IPv6, "UDP": UDP, "RIP": RIP, "RIPEntry": RIPEntry,
                     "RIPAuth": RIPAuth, "RIPng": RIPng, "RIPngEntry": RIPngEntry}
S: dict[str, Any] = {"IP": sinet.IP, "IPv6": sinet6.IPv6, "UDP": sinet.UDP, "RIP": srip.RIP,
                     "RIPEntry": srip.RIPEntry, "RIPAuth": srip.RIPAuth,
                     "RIPng": sripng.RIPng, "RIPngEntry": sripng.RIPngEntry}
V4 = ("IP", {"src": "192.0.2.1", "dst": "224.0.0.9"})
V6 = ("IPv6", {"src": "fe80::1", "dst": "ff02::9"})
ROUTE = ("RIPEntry", {"addr": "198.51.100.0", "mask": "255.255.255.0", "metric": 3,
                      "nextHop": "192.0.2.254", "RouteTag": 7})

CONSTRUCTIONS: list[tuple[str, Spec]] = [
    ("RIP defaults", [("RIP", {})]),
    ("a v1 request for the whole table", [("RIP", {}), ("RIPEntry", {"AF": 0, "metric": 16})]),
    ("a v2 response", [("RIP", {"cmd": 2, "version": 2}), ROUTE,
                       ("RIPEntry", {"addr": "203.0.113.0", "metric": "Unreach"})]),
    ("simple password", [("RIP", {"cmd": 2, "version": 2}),
                         ("RIPAuth", {"password": b"secret"}), ROUTE]),
    ("keyed MD5 header", [("RIP", {"cmd": 2, "version": 2}),
                          ("RIPAuth", {"authtype": 3, "digestoffset": 44, "keyid": 1,
                                       "authdatalen": 16, "seqnum": 99}), ROUTE]),
    ("MD5 digest trailer", [("RIP", {"cmd": 2, "version": 2}), ROUTE,
                            ("RIPAuth", {"authtype": 1, "authdata": b"\x01" * 16})]),
    ("UDP: ports 520", [V4, ("UDP", {}), ("RIP", {"cmd": 2, "version": 2}), ROUTE]),
    ("RIPng defaults", [("RIPng", {})]),
    ("RIPng entries", [("RIPng", {"cmd": 2}),
                       ("RIPngEntry", {"prefix_or_nh": "fe80::1", "metric": 255}),
                       ("RIPngEntry", {"prefix_or_nh": "2001:db8:1::", "prefixlen": 48,
                                       "routetag": 3, "metric": 2})]),
    ("RIPng over UDP: ports 521", [V6, ("UDP", {}), ("RIPng", {}),
                                   ("RIPngEntry", {"metric": 16})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: Spec) -> None:
    assert bytes(build(P, spec)) == bytes(build(S, spec)), what


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: Spec) -> None:
    data = bytes(build(S, spec))
    first = spec[0][0]
    ours, theirs = P[first](data), S[first](data)
    assert bytes(ours) == data
    assert_same_layers(ours, theirs)
    assert ours.summary() == theirs.summary()


def test_show_is_scapys() -> None:
    spec = [("RIP", {"cmd": 2, "version": 2}), ("RIPAuth", {"password": b"pw"}), ROUTE]
    data = bytes(build(S, spec))
    assert RIP(data).show(dump=True) == srip.RIP(data).show(dump=True)


def test_bindings() -> None:
    assert registry.payload_class(UDP, {"sport": 1, "dport": 520}) is RIP
    assert registry.payload_class(UDP, {"sport": 520, "dport": 1}) is RIP
    assert registry.payload_class(UDP, {"sport": 521, "dport": 521}) is RIPng


def _frames() -> list[Any]:
    link = ("Ether", {"src": "02:00:00:00:00:01", "dst": "01:00:5e:00:00:09"})
    link6 = ("Ether", {"src": "02:00:00:00:00:01", "dst": "33:33:00:00:00:09"})
    lib = {"Ether": Ether, **P}
    return [build(lib, spec) for spec in (
        [link, V4, ("UDP", {}), ("RIP", {"cmd": 2, "version": 2}), ROUTE,
         ("RIPEntry", {"addr": "203.0.113.0", "mask": "255.255.255.128", "metric": 16})],
        [link, V4, ("UDP", {}), ("RIP", {"cmd": 2, "version": 2}),
         ("RIPAuth", {"password": b"secret"}), ROUTE],
        [link, V4, ("UDP", {}), ("RIP", {"cmd": 1, "version": 1}),
         ("RIPEntry", {"AF": 0, "metric": 16})],
        [link6, V6, ("UDP", {}), ("RIPng", {"cmd": 2}),
         ("RIPngEntry", {"prefix_or_nh": "2001:db8:1::", "prefixlen": 48, "metric": 2}),
         ("RIPngEntry", {"prefix_or_nh": "2001:db8:2::", "prefixlen": 64, "routetag": 9})],
    )]


def _entries(pkt: Any, cls: type) -> list[Any]:
    found, layer = [], pkt
    while layer:
        if type(layer) is cls:
            found.append(layer)
        layer = layer.payload
    return found


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    for layers, pkt in tshark_layers(_frames(), tmp_path):
        if RIP in pkt:
            tree, rip = layers["rip"], pkt[RIP]
            assert tvalues(tree, "rip.command") == [str(rip.cmd)]
            assert tvalues(tree, "rip.version") == [str(rip.version)]
            routes = _entries(pkt, RIPEntry)
            assert tvalues(tree, "rip.family") == [str(r.AF) for r in routes]
            assert tvalues(tree, "rip.metric") == [str(r.metric) for r in routes]
            # (family 0 asks for the whole table: tshark shows no address)
            routes = [r for r in routes if r.AF == 2]
            assert tvalues(tree, "rip.ip") == [r.addr for r in routes]
            if rip.version == 2:
                assert tvalues(tree, "rip.netmask") == [r.mask for r in routes]
                assert tvalues(tree, "rip.next_hop") == [r.nextHop for r in routes]
                assert tvalues(tree, "rip.route_tag") == [str(r.RouteTag) for r in routes]
            if RIPAuth in pkt:
                auth = pkt[RIPAuth]
                assert tvalues(tree, "rip.auth.type") == [str(auth.authtype)]
                assert tvalues(tree, "rip.auth.passwd") == [auth.password.rstrip(b"\0").decode()]
        else:
            tree, ripng = layers["ripng"], pkt[RIPng]
            assert tvalues(tree, "ripng.cmd") == [str(ripng.cmd)]
            assert tvalues(tree, "ripng.version") == [str(ripng.ver)]
            routes = _entries(pkt, RIPngEntry)
            assert tvalues(tree, "ripng.rte.ipv6_prefix") == [r.prefix_or_nh for r in routes]
            assert tvalues(tree, "ripng.rte.prefix_length") == [str(r.prefixlen) for r in routes]
            assert tvalues(tree, "ripng.rte.metric") == [str(r.metric) for r in routes]
            assert [int(v, 16) for v in tvalues(tree, "ripng.rte.route_tag")] == [
                r.routetag for r in routes]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_hostile_input_kept(index: int) -> None:
    frame = _frames()[index]
    for data in cuts(bytes(frame)):
        pkt = Ether(data)
        assert bytes(pkt) == data
        pkt.show(dump=True)
        pkt.summary()
    for data in cuts(bytes(frame[UDP].payload)):
        for cls in (RIP, RIPEntry, RIPAuth, RIPng, RIPngEntry):
            layer = cls(data)
            assert bytes(layer) == data
            layer.show(dump=True)
