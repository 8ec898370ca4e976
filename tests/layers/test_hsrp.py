"""HSRP v1/v2 (``paquet/layers/hsrp.py``): the same bytes as Scapy for a table of
constructions, the same dissection as Scapy and as tshark, truncated and hostile input kept.

The MD5 TLV's ``sourceip`` and HSRPv2's ``identifier`` are given: left to None they are the
host's, which these tests do not ask.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scapy.layers import hsrp as shsrp
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6
from scapy.layers import l2 as sl2

from paquet.layers import IP, UDP, Ether, IPv6
from paquet.layers import hsrp as phsrp
from paquet.packet import registry

from . import scapy_compare as compare
from .scapy_compare import values as tvalues

NAMES = ["HSRP", "HSRPAdvertise", "HSRPv2", "HSRPmd5", "HSRPv2TextAuth"]
P: dict[str, Any] = {"Ether": Ether, "IP": IP, "IPv6": IPv6, "UDP": UDP,
                     **{n: getattr(phsrp, n) for n in NAMES}}
S: dict[str, Any] = {"Ether": sl2.Ether, "IP": sinet.IP, "IPv6": sinet6.IPv6, "UDP": sinet.UDP,
                     **{n: getattr(shsrp, n) for n in NAMES}}

V4 = ("IP", {"src": "192.0.2.1"})
V6 = ("IPv6", {"src": "fe80::1"})
HSRP_UDP = ("UDP", {"sport": 1985, "dport": 1985})
MD5 = ("HSRPmd5", {"sourceip": "192.0.2.1", "keyid": 7, "authdigest": b"\x11" * 16})
ID = "02:00:00:00:00:01"

CONSTRUCTIONS: list[tuple[str, compare.Spec]] = [
    ("HSRP defaults", [("HSRP", {})]),
    ("HSRP fields", [("HSRP", {"opcode": 1, "state": "Speak", "priority": 200, "group": 9,
                               "auth": b"secret", "virtualIP": "192.0.2.254"})]),
    ("an auth longer than 8 bytes is cut", [("HSRP", {"auth": b"0123456789"})]),
    ("advertise", [("HSRPAdvertise", {"state": 2, "passivegroups": 1,
                                      "reserved2": 0x6F000000})]),
    ("HSRPv2 defaults, IPv4", [("HSRPv2", {"identifier": ID})]),
    ("HSRPv2 IPv4 address", [("HSRPv2", {"identifier": ID, "virtualIP": "192.0.2.254",
                                         "group": 4095, "priority": 250})]),
    ("HSRPv2 IPv6 address", [("HSRPv2", {"identifier": ID, "virtualIP": "2001:db8::1"})]),
    ("HSRPv2 ipVer 6 with the default address", [("HSRPv2", {"identifier": ID, "ipVer": 6})]),
    ("HSRPv2 len set", [("HSRPv2", {"identifier": ID, "len": 3})]),
    ("MD5 TLV", [MD5]),
    ("MD5 TLV, len set", [("HSRPmd5", {"sourceip": "192.0.2.1", "len": 99})]),
    ("text auth TLV", [("HSRPv2TextAuth", {"auth": b"pw"})]),
    ("UDP: ports 1985 both ways, all routers",
     [V4, ("UDP", {}), ("HSRP", {"virtualIP": "192.0.2.254"})]),
    ("v1 with MD5", [V4, ("UDP", {}), ("HSRP", {}), MD5]),
    ("v2 over IPv4 (port 2029, as Scapy's last binding)",
     [V4, ("UDP", {}), ("HSRPv2", {"identifier": ID})]),
    ("v2 over IPv4 on 1985", [V4, HSRP_UDP, ("HSRPv2", {"identifier": ID}), MD5]),
    ("v2 over IPv6: ff02::66",
     [V6, ("UDP", {}), ("HSRPv2", {"identifier": ID, "virtualIP": "2001:db8::1"}),
      ("HSRPv2TextAuth", {})]),
    ("advertise on 1985", [V4, HSRP_UDP, ("HSRPAdvertise", {"activegroups": 3})]),
]


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, spec: compare.Spec) -> None:
    ours, theirs = compare.build_stack(P, spec), compare.build_stack(S, spec)
    assert bytes(ours) == bytes(theirs), what
    if spec[0][0] in ("IP", "IPv6"):
        assert ours.dst == theirs.dst


@pytest.mark.parametrize(("what", "spec"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_dissection_agrees_with_scapy(what: str, spec: compare.Spec) -> None:
    data = bytes(compare.build_stack(S, spec))
    first = spec[0][0]
    if first not in ("HSRPmd5", "HSRPv2TextAuth", "HSRPAdvertise", "HSRPv2"):
        first = first if first in ("IP", "IPv6") else "HSRP"
    compare.assert_dissects_as_scapy(P[first], S[first], data)


def test_class_chosen_by_the_first_bytes() -> None:
    for data in (bytes(shsrp.HSRP()), bytes(shsrp.HSRPAdvertise()),
                 bytes(shsrp.HSRPv2(identifier=ID)), b"\x00\x03" + b"\x00" * 14,
                 b"\x05" + b"\x00" * 19):
        for name in ("HSRP", "HSRPAdvertise"):
            assert type(P[name](data)).__name__ == type(S[name](data)).__name__


def test_bindings() -> None:
    for port in (1985, 2029):
        assert registry.payload_class(UDP, {"sport": 1, "dport": port}) is not None
        assert registry.payload_class(UDP, {"sport": port, "dport": 1}) is not None
    assert (IP() / UDP(dport=1985)).dst == "224.0.0.2"
    assert (IPv6() / UDP(dport=2029)).dst == "ff02::66"


def _frames() -> list[Any]:
    link = ("Ether", {"src": ID, "dst": "01:00:5e:00:00:02"})
    return [compare.build_stack(P, spec) for spec in (
        [link, V4, ("UDP", {}), ("HSRP", {"priority": 200, "virtualIP": "192.0.2.254"})],
        [link, V4, ("UDP", {}), ("HSRP", {"state": 8, "group": 3}), MD5],
        [link, ("IP", {"src": "192.0.2.1", "dst": "224.0.0.102"}), HSRP_UDP,
         ("HSRPv2", {"identifier": ID, "virtualIP": "192.0.2.254", "group": 300})],
        [("Ether", {"src": ID, "dst": "33:33:00:00:00:66"}), V6, ("UDP", {}),
         ("HSRPv2", {"identifier": ID, "virtualIP": "2001:db8::1", "state": 8}),
         ("HSRPv2TextAuth", {"auth": b"pw"})],
    )]


@compare.needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    for layers, pkt in compare.tshark_pairs(_frames(), tmp_path):
        tree = layers["hsrp"]
        if phsrp.HSRP in pkt:
            h = pkt[phsrp.HSRP]
            for key, name in (("version", "version"), ("opcode", "opcode"), ("state", "state"),
                              ("hellotime", "hellotime"), ("holdtime", "holdtime"),
                              ("priority", "priority"), ("group", "group")):
                assert tvalues(tree, f"hsrp.{key}") == [str(getattr(h, name))]
            assert tvalues(tree, "hsrp.virt_ip") == [h.virtualIP]
            assert tvalues(tree, "hsrp.auth_data") == [h.auth.rstrip(b"\0").decode()]
        else:
            h = pkt[phsrp.HSRPv2]
            for key, name in (("version", "version"), ("opcode", "opcode"), ("state", "state"),
                              ("ipversion", "ipVer"), ("group", "group"),
                              ("priority", "priority"), ("hellotime", "hellotime"),
                              ("holdtime", "holdtime")):
                assert tvalues(tree, f"hsrp2.{key}") == [str(getattr(h, name))]
            assert tvalues(tree, "hsrp2.identifier") == [h.identifier]
            key = "hsrp2.virt_ip" if h.ipVer == 4 else "hsrp2.virt_ip_v6"
            assert tvalues(tree, key) == [h.virtualIP]
        if phsrp.HSRPmd5 in pkt:
            m = pkt[phsrp.HSRPmd5]
            assert tvalues(tree, "hsrp.md5_ip_address") == [m.sourceip]
            assert tvalues(tree, "hsrp2.md5_key_id") == [str(m.keyid)]
            assert tvalues(tree, "hsrp2.md5_auth_data") == [m.authdigest.hex(":")]
        if phsrp.HSRPv2TextAuth in pkt:
            t = pkt[phsrp.HSRPv2TextAuth]
            assert tvalues(tree, "hsrp2.auth_data") == [t.auth.rstrip(b"\0").decode()]


@pytest.mark.parametrize("index", range(len(_frames())))
def test_hostile_input_kept(index: int) -> None:
    frame = _frames()[index]
    compare.assert_cuts_kept(bytes(frame), bytes(frame[UDP].payload),
                     (phsrp.HSRP, phsrp.HSRPv2, phsrp.HSRPmd5, phsrp.HSRPAdvertise))
