"""802.3 frames, LLC, SNAP, STP, Q-in-Q (Dot1AD/Dot1Q stacks) and 802.1ah: the bytes Scapy
builds, the dissection tshark makes, Scapy's choice between Ether and Dot3, hostile input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from paquet import (
    ARP,
    ETHER_TYPES,
    ICMP,
    IP,
    LLC,
    SNAP,
    STP,
    Dot1AD,
    Dot1AH,
    Dot1Q,
    Dot3,
    Ether,
    Padding,
    Raw,
)
from paquet.layers.ether import DOT3_MAX_LENGTH

from .scapy_compare import (
    Build,
    every_cut_round_trips,
    needs_tshark,
    paquet_namespace,
    scapy_namespace,
    tshark_layers,
    values,
)

A, B = "02:00:00:00:00:01", "02:00:00:00:00:02"
STP_MAC = "01:80:c2:00:00:00"

CONSTRUCTIONS: list[tuple[str, Build]] = [
    ("Dot3 alone", lambda n: n.Dot3(src=A, dst=B)),
    ("Dot3 with a length set", lambda n: n.Dot3(src=A, dst=B, len=7) / b"abc"),
    ("Dot3 / LLC", lambda n: n.Dot3(src=A, dst=B) / n.LLC(dsap=0xE0, ssap=0xE0, ctrl=3)),
    ("LLC alone", lambda n: n.LLC()),
    ("SNAP alone", lambda n: n.SNAP(OUI=0x00000C, code=0x2000)),
    ("LLC / SNAP sets the SAPs", lambda n: n.LLC() / n.SNAP()),
    ("STP defaults", lambda n: n.STP()),
    ("LLC / STP sets the SAPs", lambda n: n.LLC() / n.STP()),
    ("a root claim", lambda n: n.Dot3(src=A, dst=STP_MAC) / n.LLC() / n.STP(
        rootid=0, rootmac=A, bridgeid=0, bridgemac=A, portid=0x8001, pathcost=0,
        bpduflags=0x81, age=0, maxage=20, hellotime=2, fwddelay=15)),
    ("STP fractional times", lambda n: n.STP(age=1.5, maxage=6.25, hellotime=0.5)),
    ("an RSTP BPDU (version 2, type 2)", lambda n: n.Dot3(src=A, dst=STP_MAC) / n.LLC()
     / n.STP(version=2, bpdutype=2, bpduflags=0x3C) / b"\x00"),
    ("SNAP / STP", lambda n: n.LLC() / n.SNAP() / n.STP()),
    ("SNAP / Dot1Q", lambda n: n.LLC() / n.SNAP() / n.Dot1Q(vlan=5)),
    ("SNAP / ARP", lambda n: n.LLC() / n.SNAP() / n.ARP(hwsrc=A, psrc="192.0.2.1",
                                                        pdst="192.0.2.2")),
    ("SNAP / Ether", lambda n: n.LLC() / n.SNAP() / n.Ether(src=A, dst=B)),
    ("Ether / Dot1AD", lambda n: n.Ether(src=A, dst=B) / n.Dot1AD(vlan=88)),
    ("Q-in-Q", lambda n: n.Ether(src=A, dst=B) / n.Dot1AD(vlan=88, prio=5)
     / n.Dot1Q(vlan=99) / n.IP(src="192.0.2.1", dst="192.0.2.2") / b"data"),
    ("two S-tags", lambda n: n.Ether(src=A, dst=B) / n.Dot1AD(vlan=1) / n.Dot1AD(vlan=2)
     / n.Dot1Q(vlan=3)),
    ("Dot1Q stack of 4", lambda n: n.Ether(src=A, dst=B) / n.Dot1Q(vlan=1) / n.Dot1Q(vlan=2)
     / n.Dot1Q(vlan=3) / n.Dot1Q(vlan=4, dei=1) / b"x"),
    ("Dot1Q / Dot1AD", lambda n: n.Ether(src=A, dst=B) / n.Dot1Q(vlan=7) / n.Dot1AD(vlan=8)),
    ("802.1ah", lambda n: n.Ether(src=A, dst=B) / n.Dot1AD(vlan=88) / n.Dot1AH(isid=123456,
     prio=3, nca=1) / n.Ether(src=A, dst=B) / n.Dot1Q(vlan=99) / b"Payload"),
    ("Dot1Q with a length", lambda n: n.Ether(src=A, dst=B) / n.Dot1Q(type=38) / n.LLC()
     / n.STP()),
    ("ARP for IPv6", lambda n: n.ARP(ptype=0x86DD, hwsrc=A, psrc="2001:db8::1",
                                     pdst="2001:db8::2")),
    ("ARP of other sizes", lambda n: n.ARP(plen=2, hwlen=1, hwdst="x", hwsrc="y", pdst="aa",
                                           psrc="bb")),
    ("Ether / LLC (type 122)", lambda n: n.Ether(src=A, dst=B) / n.LLC()),
    ("Ether / Ether (type 1)", lambda n: n.Ether(src=A, dst=B) / n.Ether(src=B, dst=A)),
    ("a MAC of five octets", lambda n: n.Ether(src="00:01:02:04:05", dst="02:00:01") / b"x"),
    ("a MAC of seven octets", lambda n: n.Ether(src="00:01:02:04:05:06:07", dst=B) / b"x"),
    ("Dot3 with a short MAC", lambda n: n.Dot3(src="00:01:02:04:05", dst=B) / n.LLC()),
    # (to loopback: Scapy would ask for another destination's MAC through the tag, from the
    # root namespace; paquet asks none, which the suite's link guard checks for every module)
    ("Dot1Q / IP: no neighbour asked through a tag", lambda n: n.Ether(src=A) / n.Dot1Q(vlan=5)
     / n.IP(src="127.0.0.1", dst="127.0.0.2")),
    ("SNAP / EAPOL", lambda n: n.Dot3(src=A, dst=B) / n.LLC() / n.SNAP() / n.EAPOL(type=1)),
]

IDS = [c[0] for c in CONSTRUCTIONS]


@pytest.fixture(scope="module")
def ns() -> tuple[Any, Any]:
    return paquet_namespace(), scapy_namespace()


@pytest.mark.parametrize(("what", "build"), CONSTRUCTIONS, ids=IDS)
def test_bytes_equal_scapy(ns: tuple[Any, Any], what: str, build: Build) -> None:
    ours, theirs = build(ns[0]), build(ns[1])
    assert bytes(ours) == bytes(theirs), what


def _layers(pkt: Any) -> list[tuple[str, dict[str, Any]]]:
    out = []
    while pkt is not None and type(pkt).__name__ != "NoPayload":
        fields = {f.name: pkt.getfieldval(f.name) for f in pkt.fields_desc}
        out.append((type(pkt).__name__, fields))
        pkt = pkt.payload
    return out


@pytest.mark.parametrize(("what", "build"), CONSTRUCTIONS, ids=IDS)
def test_dissection_equals_scapys(ns: tuple[Any, Any], what: str, build: Build) -> None:
    data = bytes(build(ns[1]))
    first = type(build(ns[1])).__name__
    ours = getattr(ns[0], first)(data)
    theirs = getattr(ns[1], first)(data)
    assert bytes(ours) == data
    assert _layers(ours) == _layers(theirs), what
    assert ours.summary() == theirs.summary()
    if "SNAP" not in what:  # (Scapy names the OUI's vendor from Wireshark's manuf file)
        assert ours.show(dump=True) == theirs.show(dump=True)


def test_arp_of_a_network_shows_scapys_net(ns: tuple[Any, Any]) -> None:
    ours, theirs = ns[0].ARP(pdst="192.0.2.0/30"), ns[1].ARP(pdst="192.0.2.0/30")
    assert repr(ours) == repr(theirs)
    assert [p.pdst for p in ours] == [p.pdst for p in theirs]
    net = "198.51.100.0/31"
    assert repr(ns[0].ARP(pdst=ns[0].Net(net))) == repr(ns[1].ARP(pdst=ns[1].Net(net)))
    assert [p.pdst for p in ns[0].ARP(pdst=ns[0].Net(net))] == ["198.51.100.0", "198.51.100.1"]


def test_a_bad_mac_is_still_refused() -> None:
    from paquet.errors import PaquetError

    for bad in ("00:01:02:04:05:zz", "00:01:02:04:05:600", "nonsense"):
        with pytest.raises(PaquetError):
            bytes(Ether(src=bad, dst=B))


@pytest.mark.parametrize("length", [0, 1, 46, 1499, 1500, 1501, 1535, 1536, 0x0800, 0xFFFF])
def test_ether_or_dot3_as_scapy_chooses(ns: tuple[Any, Any], length: int) -> None:
    data = bytes.fromhex("0180c2000000020000000001") + length.to_bytes(2, "big") + bytes(50)
    for cls in ("Ether", "Dot3"):
        ours, theirs = getattr(ns[0], cls)(data), getattr(ns[1], cls)(data)
        assert type(ours).__name__ == type(theirs).__name__
        assert bytes(ours) == data
    assert isinstance(Ether(data), Dot3) == (length <= DOT3_MAX_LENGTH)
    # The pcap path (Ether for LINKTYPE 1) chooses the same way.
    from paquet.layers import dissect
    assert type(dissect(data)) is type(Ether(data))


def test_ethernet_ii_keeps_its_quick_path() -> None:
    frame = bytes(Ether(src=A, dst=B) / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())
    quick = Ether._quick
    assert quick is not None
    spec = Ether.__dict__["quick_dissect"].__func__
    # An Ethernet II frame in one step (the C parser when built), as the Python parser does;
    # an 802.3 frame is left to the general path, which makes it a Dot3.
    assert quick(frame, 0, len(frame), (), None, 0.0) == spec(frame, 0, len(frame), (), None,
                                                              0.0)
    assert quick(frame, 0, len(frame), (), None, 0.0) is not None
    dot3 = bytes(Dot3(src=A, dst=B) / LLC() / STP())
    assert quick(dot3, 0, len(dot3), (), None, 0.0) is None
    assert spec(dot3, 0, len(dot3), (), None, 0.0) is None


def test_lengths_and_padding() -> None:
    frame = bytes(Dot3(src=A, dst=STP_MAC) / LLC() / STP()) + bytes(8)
    pkt = Ether(frame)
    assert isinstance(pkt, Dot3) and pkt.len == 38
    assert isinstance(pkt[STP].payload, Padding) and pkt[Padding].load == bytes(8)
    assert bytes(pkt) == frame
    # Dot1Q's type as a length: LLC within it, the rest padding.
    frame = bytes(Ether(src=A, dst=B) / Dot1Q(type=3) / LLC(dsap=0xE0, ssap=0xE0)) + b"pad"
    pkt = Ether(frame)
    assert isinstance(pkt[Dot1Q].payload, LLC) and pkt[Padding].load == b"pad"


def test_stp_times_and_fields() -> None:
    s = STP(bytes.fromhex("0000000000" "0000121314151617" "00000000" "0000aaaaaaaaaaaa"
                          "0000" "0100" "1400" "0500" "0f00"))
    assert s.rootmac == "12:13:14:15:16:17" and s.bridgemac == "aa:aa:aa:aa:aa:aa"
    assert (s.age, s.maxage, s.hellotime, s.fwddelay) == (1.0, 20.0, 5.0, 15.0)
    assert bytes(STP(hellotime=2.5))[-4:-2] == b"\x02\x80"


def test_arp_of_other_sizes_unset_is_zeros(ns: tuple[Any, Any]) -> None:
    ours, theirs = ns[0].ARP(plen=1, hwlen=3), ns[1].ARP(plen=1, hwlen=3)
    assert bytes(ours) == bytes(theirs)
    back = ARP(bytes(ours))
    assert (back.hwsrc, back.psrc, back.hwdst, back.pdst) == (bytes(3), b"\0", bytes(3), b"\0")


def test_answers_and_names() -> None:
    p = Ether(bytes(Ether() / Dot1AD(vlan=88) / Dot1AH(isid=1) / Ether() / Dot1Q(vlan=99) / b"q"))
    r = Ether(bytes(Ether() / Dot1AD(vlan=88) / Dot1AH(isid=1) / Ether() / Dot1Q(vlan=99) / b"r"))
    s = Ether(bytes(Ether() / Dot1AD(vlan=88) / Dot1AH(isid=2) / Ether() / Dot1Q(vlan=99) / b"r"))
    assert r.answers(p) and not s.answers(p)
    assert p[Dot1AD].vlan == 88 and p[Dot1Q].vlan == 99 and p[Dot1AH].isid == 1
    assert ETHER_TYPES[0x88A8] == "802_1AD" and ETHER_TYPES[0x88E7] == "802_1AH"
    assert ETHER_TYPES.IPv4 == 0x0800 and 0x8100 in ETHER_TYPES
    assert Dot3(bytes(Dot3() / LLC())).answers(Dot3(bytes(Dot3() / LLC())))


def _frames() -> list[bytes]:
    return [
        bytes(Dot3(src=A, dst=STP_MAC) / LLC() / STP(
            rootid=0x8000, rootmac="02:00:00:00:00:09", pathcost=19, bridgeid=0x8001,
            bridgemac=A, portid=0x8002, bpduflags=1, age=1, maxage=20, hellotime=2,
            fwddelay=15)),
        bytes(Dot3(src=A, dst=STP_MAC) / LLC() / STP(
            version=2, bpdutype=2, bpduflags=0x7C, rootid=0x1000, rootmac=B, pathcost=4,
            bridgeid=0x1001, bridgemac=A, portid=0x8001, age=0, maxage=6, hellotime=1,
            fwddelay=4) / b"\x00"),
        bytes(Ether(src=A, dst=B) / Dot1AD(vlan=100, prio=1) / Dot1Q(vlan=200, prio=3)
              / Dot1Q(vlan=300, dei=1) / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP()),
        bytes(Dot3(src=A, dst=B) / LLC() / SNAP(OUI=0, code=0x0800)
              / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP()),
    ]


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = _frames()
    trees = tshark_layers(tmp_path, frames)
    for tree, frame in zip(trees, frames, strict=True):
        pkt = Ether(frame)
        if isinstance(pkt, Dot3):
            assert values(tree, "eth.len") == [str(pkt.len)]
            llc = pkt[LLC]
            assert int(values(tree, "llc.dsap")[0], 16) == llc.dsap
            assert int(values(tree, "llc.ssap")[0], 16) == llc.ssap
            assert int(values(tree, "llc.control")[0], 16) == llc.ctrl
        if STP in pkt:
            s = pkt[STP]
            assert int(values(tree, "stp.protocol")[0], 16) == s.proto
            assert values(tree, "stp.version") == [str(s.version)]
            assert int(values(tree, "stp.type")[0], 16) == s.bpdutype
            assert int(values(tree, "stp.flags")[0], 16) == s.bpduflags
            # tshark splits each bridge id in a 4-bit priority and a 12-bit system id.
            assert values(tree, "stp.root.hw") == [s.rootmac]
            assert int(values(tree, "stp.root.prio")[0]) + int(
                values(tree, "stp.root.ext")[0]) == s.rootid
            assert values(tree, "stp.bridge.hw") == [s.bridgemac]
            assert int(values(tree, "stp.bridge.prio")[0]) + int(
                values(tree, "stp.bridge.ext")[0]) == s.bridgeid
            assert values(tree, "stp.root.cost") == [str(s.pathcost)]
            assert int(values(tree, "stp.port")[0], 16) == s.portid
            for key, value in (("stp.msg_age", s.age), ("stp.max_age", s.maxage),
                               ("stp.hello", s.hellotime), ("stp.forward", s.fwddelay)):
                assert float(values(tree, key)[0]) == value
        if Dot1AD in pkt:
            assert values(tree, "ieee8021ad.id") == [str(pkt[Dot1AD].vlan)]
            assert values(tree, "ieee8021ad.priority") == [str(pkt[Dot1AD].prio)]
            inner = [pkt[Dot1Q], pkt[Dot1Q].payload]
            assert values(tree, "vlan.id") == [str(t.vlan) for t in inner]
            assert values(tree, "vlan.priority") == [str(t.prio) for t in inner]
            assert values(tree, "vlan.dei") == [str(t.dei) for t in inner]
            assert values(tree, "ip.dst") == [pkt[IP].dst]
        if SNAP in pkt:
            assert values(tree, "llc.oui") == [str(pkt[SNAP].OUI)]
            assert int(values(tree, "llc.type")[0], 16) == pkt[SNAP].code
            assert values(tree, "ip.src") == [pkt[IP].src]


@pytest.mark.parametrize("index", range(4))
def test_every_cut_and_flip_round_trips(index: int) -> None:
    every_cut_round_trips(_frames()[index])


def test_hostile_lengths() -> None:
    # A length beyond the frame, a zero length, a length in a truncated Dot1Q.
    for frame in (bytes.fromhex("0180c20000000200000000010500424203"),
                  bytes.fromhex("0180c2000000020000000001000042420300"),
                  bytes.fromhex("0180c2000000020000000001810000010010") + b"\xaa"):
        pkt = Ether(frame)
        assert bytes(pkt) == frame
        pkt.show(dump=True)
    assert isinstance(LLC(b"\x42").payload.__class__, type)
    assert bytes(SNAP(b"\x00\x00")) == b"\x00\x00"
    assert isinstance(Ether(bytes(Ether(type=0x88A8)) + b"\x00").payload, Raw | Dot1AD)


def test_no_neighbour_is_asked_through_a_tag() -> None:
    """Ether / Dot1Q / IP: broadcast, no ARP (the module's link guard fails the module if a
    request left: 192.0.2.77 is on the uplink's link on machines numbered like this one)."""
    from paquet import IP, Dot1Q, Ether

    frame = Ether(src=A) / Dot1Q(vlan=5) / IP(src="192.0.2.1", dst="192.0.2.77")
    assert bytes(frame)[:6] == b"\xff" * 6 and frame.dst == "ff:ff:ff:ff:ff:ff"
