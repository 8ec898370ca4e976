"""Byte vectors from real traffic for each layer (see vectors.py): dissect, check the fields,
build back, compare with Scapy."""

from __future__ import annotations

import pytest
from scapy.layers import inet as _sinet  # noqa: F401 - registers IP in Scapy
from scapy.layers import l2 as sl2

from paquet.layers import ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, IPerror, Raw, UDPerror, dissect

from .vectors import (
    ALL,
    ARP_REPLY,
    ARP_REQUEST,
    ARP_REQUEST_VLAN7,
    ECHO_REPLY,
    ECHO_REQUEST,
    PORT_UNREACHABLE,
    PSH_HELLO,
    RST_ACK,
    SYN,
    SYN_ACK,
    UDP_PROBE,
)


@pytest.mark.parametrize("frame", ALL)
def test_round_trip_and_same_layers_as_scapy(frame: bytes) -> None:
    ours = Ether(frame)
    assert bytes(ours) == frame and dissect(frame).layers() == ours.layers()
    assert [c.__name__ for c in ours.layers()] == [c.__name__ for c in sl2.Ether(frame).layers()]
    assert ours.summary() == sl2.Ether(frame).summary()
    assert ours.errors == []


@pytest.mark.parametrize("frame", ALL)
def test_checksums_flagged_as_scapy_recomputes_them(frame: bytes) -> None:
    theirs = sl2.Ether(frame)
    for layer in Ether(frame).iterlayers():
        if layer.chksum_offset < 0:
            continue
        s_layer = theirs.getlayer(type(layer).__name__)
        copy = s_layer.copy()
        del copy.chksum
        recomputed = type(s_layer)(bytes(copy)).chksum if type(layer) is not IP else None
        if type(layer) in (TCP, UDP):
            fresh = theirs.copy()
            del fresh.getlayer(type(layer).__name__).chksum
            recomputed = sl2.Ether(bytes(fresh)).getlayer(type(layer).__name__).chksum
        if recomputed is None:
            fresh = theirs.copy()
            del fresh.getlayer(type(layer).__name__).chksum
            recomputed = sl2.Ether(bytes(fresh)).getlayer(type(layer).__name__).chksum
        assert layer.expected_chksum() == recomputed, type(layer).__name__
        shown = layer.show(dump=True)
        assert shown is not None
        first = shown.split("###[", 2)[1]
        assert ("[bad, expected" in first) == (recomputed != layer.chksum)


def test_arp_request_and_reply() -> None:
    req, rep = Ether(ARP_REQUEST), Ether(ARP_REPLY)
    assert req.dst == "ff:ff:ff:ff:ff:ff" and req.type == 0x0806
    a = req[ARP]
    assert (a.op, a.hwsrc, a.psrc, a.hwdst, a.pdst) == (
        1, "02:00:00:00:0a:01", "192.0.2.1", "00:00:00:00:00:00", "192.0.2.2")
    assert rep[ARP].op == 2 and rep[ARP].hwsrc == "02:00:00:00:0b:01"
    assert rep.answers(req) and rep.hashret() == req.hashret()
    assert req.summary() == "Ether / ARP who has 192.0.2.2 says 192.0.2.1"
    assert bytes(Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:0a:01")
                 / ARP(hwsrc="02:00:00:00:0a:01", psrc="192.0.2.1", pdst="192.0.2.2")) == (
        ARP_REQUEST)


def test_vlan_tag() -> None:
    p = Ether(ARP_REQUEST_VLAN7)
    assert isinstance(p.payload, Dot1Q) and (p[Dot1Q].vlan, p[Dot1Q].prio) == (7, 5)
    assert p[ARP].pdst == "192.0.2.2"
    built = Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:0a:01") / Dot1Q(prio=5, vlan=7) / ARP(
        hwsrc="02:00:00:00:0a:01", psrc="192.0.2.1", pdst="192.0.2.2")
    assert bytes(built) == ARP_REQUEST_VLAN7


def test_echo_request_and_reply() -> None:
    req, rep = Ether(ECHO_REQUEST), Ether(ECHO_REPLY)
    assert (req[IP].ttl, req[IP].flags, req[IP].id) == (64, "DF", 0x2DE8)
    assert (req[ICMP].type, req[ICMP].id, req[ICMP].seq) == (8, 6959, 1)
    assert len(req[Raw].load) == 56
    assert rep.answers(req) and rep.hashret() == req.hashret() and not req.answers(rep)
    assert rep[ICMP].sprintf_field("type") == "echo-reply"


def test_tcp_handshake_and_reset() -> None:
    syn, rst, synack = Ether(SYN), Ether(RST_ACK), Ether(SYN_ACK)
    assert syn[TCP].flags == "S" and syn[TCP].options == [
        ("MSS", 1460), ("SAckOK", b""), ("Timestamp", (3048604144, 0)), ("NOP", None),
        ("WScale", 10)]
    assert rst[TCP].flags == "RA" and rst[TCP].ack == syn[TCP].seq + 1
    assert rst.answers(syn) and rst.hashret() == syn.hashret()
    assert synack[TCP].flags == "SA" and "S" in synack[TCP].flags and "A" in synack[TCP].flags
    psh = Ether(PSH_HELLO)
    assert psh[Raw].load == b"hello" and psh[TCP].flags == "PA"
    assert psh[TCP].options == [("NOP", None), ("NOP", None), ("Timestamp", (3251008590,
                                                                               1232757042))]


def test_udp_probe_and_port_unreachable() -> None:
    probe, err = Ether(UDP_PROBE), Ether(PORT_UNREACHABLE)
    assert (probe[UDP].sport, probe[UDP].dport, probe[UDP].len) == (45116, 33434, 13)
    assert probe[Raw].load == b"probe"
    icmp = err[ICMP]
    assert (icmp.type, icmp.code, icmp.is_error) == (3, 3, True)
    assert err[IPerror].dst == "192.0.2.2" and err[UDPerror].dport == 33434
    assert err.answers(probe) and err.hashret() == probe.hashret()
    assert err[IP].tos == 0xC0
