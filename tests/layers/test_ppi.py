"""PPI headers (link type 192), AVS headers (link type 163) and Dot11PacketList, side by
side with Scapy 2.8."""

from __future__ import annotations

from typing import Any

import pytest

import paquet
from paquet.pcap import rdpcap, wrpcap

A = "02:00:00:00:00:01"


@pytest.fixture(scope="module")
def scapy() -> Any:
    return pytest.importorskip("scapy.all")


CONSTRUCTIONS = [
    ("PPI alone", lambda n: n.PPI()),
    ("PPI / Dot11 sets dlt", lambda n: n.PPI() / n.Dot11(FCfield=0x40, addr1=A)),
    ("PPI / Dot11 / QoS", lambda n: n.PPI() / n.Dot11(type=2, subtype=8) / n.Dot11QoS(TID=3)),
    ("PPI with a dlt set", lambda n: n.PPI(dlt=1) / n.Ether(src=A, dst=A)),
    ("PPI with records", lambda n: n.PPI(headers=[n.PPI_Hdr(pfh_type=2) / b"abcd",
                                                  n.PPI_Hdr(pfh_type=30002)]) / n.Dot11()),
    ("PPI flags and version", lambda n: n.PPI(version=1, flags=2, len=12) / n.Dot11()),
]


@pytest.mark.parametrize(("what", "build"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_and_dissection_equal_scapys(scapy: Any, what: str, build: Any) -> None:
    data = bytes(build(scapy))
    assert bytes(build(paquet)) == data, what
    ours, theirs = paquet.PPI(data), scapy.PPI(data)
    assert bytes(ours) == data
    assert [type(x).__name__ for x in ours.iterpayloads()] == [
        type(x).__name__ for x in theirs.iterpayloads()]
    assert (ours.version, ours.flags, ours.len, ours.dlt) == (
        theirs.version, theirs.flags, theirs.len, theirs.dlt)
    assert ours.summary() == theirs.summary()


def test_hostile_ppi_never_raises() -> None:
    frame = bytes(paquet.PPI(headers=[paquet.PPI_Hdr(pfh_type=2) / b"abcd"]) / paquet.Dot11())
    for n in range(1, len(frame) + 1):
        assert bytes(paquet.PPI(frame[:n])) == frame[:n]
    for bad_len in (0, 3, 200, 0xFFFF):
        data = frame[:2] + bad_len.to_bytes(2, "little") + frame[4:]
        pkt = paquet.PPI(data)
        assert bytes(pkt) == data
        pkt.summary()


def test_ppi_capture_reads_back_as_ppi(tmp_path: Any, scapy: Any) -> None:
    frame = bytes(scapy.PPI() / scapy.Dot11(addr1=A))
    path = tmp_path / "ppi.pcap"
    scapy.wrpcap(str(path), [scapy.PPI(frame)], linktype=192)
    pkt = rdpcap(str(path))[0]
    assert type(pkt).__name__ == "PPI" and pkt.addr1 == A and bytes(pkt) == frame
    wrpcap(str(tmp_path / "ours.pcap"), [pkt], linktype=192)
    assert bytes(scapy.rdpcap(str(tmp_path / "ours.pcap"))[0]) == frame


def test_dot11_packet_list_as_scapys(scapy: Any) -> None:
    def frames(n: Any) -> list[Any]:
        return [n.Dot11(type=2) / n.LLC() / n.SNAP() / n.IP(src="192.0.2.1", dst="192.0.2.2")
                / n.UDP(), n.Dot11() / n.Dot11Beacon(), n.Dot11(type=2, FCfield=0x40)
                / n.Dot11WEP(wepdata=b"x"), n.Dot11(type=2) / n.LLC() / n.SNAP()
                / n.IP(src="192.0.2.1", dst="192.0.2.2") / n.TCP()]

    ours, theirs = paquet.Dot11PacketList(frames(paquet)), scapy.Dot11PacketList(frames(scapy))
    assert repr(ours) == repr(theirs)
    e_ours = ours.toEthernet()
    e_theirs = theirs.toEthernet()
    assert repr(e_ours) == repr(e_theirs)
    assert [bytes(p.payload) for p in e_ours] == [bytes(p.payload) for p in e_theirs]


AVS_CONSTRUCTIONS = [
    ("AVS alone", lambda n: n.AVSWLANHeader()),
    ("AVS / Dot11 / Auth", lambda n: n.AVSWLANHeader() / n.Dot11() / n.Dot11Auth()),
    ("AVS fields", lambda n: n.AVSWLANHeader(mactime=2**40, hosttime=7, phytype=6, channel=11,
                                             datarate=540, ssi_type=2, ssi_signal=-61,
                                             ssi_noise=-95, preamble=1, encoding=3)
     / n.Dot11(addr1=A)),
]


@pytest.mark.parametrize(("what", "build"), AVS_CONSTRUCTIONS,
                         ids=[c[0] for c in AVS_CONSTRUCTIONS])
def test_avs_as_scapys(scapy: Any, what: str, build: Any) -> None:
    from scapy.contrib import avs

    data = bytes(build(_with(scapy, avs)))
    assert bytes(build(paquet)) == data, what
    ours, theirs = paquet.AVSWLANHeader(data), avs.AVSWLANHeader(data)
    assert ours.summary() == theirs.summary()
    assert [type(x).__name__ for x in ours.iterpayloads()] == [
        type(x).__name__ for x in theirs.iterpayloads()]
    assert (ours.ssi_signal, ours.ssi_noise, ours.mactime) == (
        theirs.ssi_signal, theirs.ssi_noise, theirs.mactime)


def _with(scapy: Any, avs: Any) -> Any:
    """Scapy's names and its contrib AVS header."""
    from types import SimpleNamespace

    return SimpleNamespace(**vars(scapy), AVSWLANHeader=avs.AVSWLANHeader)


def test_avs_capture_reads_back(tmp_path: Any, scapy: Any) -> None:
    from scapy.contrib import avs

    frame = bytes(avs.AVSWLANHeader(channel=1) / scapy.Dot11(addr1=A) / scapy.Dot11Auth())
    path = tmp_path / "avs.pcap"
    scapy.wrpcap(str(path), [avs.AVSWLANHeader(frame)], linktype=163)
    pkt = rdpcap(str(path))[0]
    assert type(pkt).__name__ == "AVSWLANHeader" and pkt.channel == 1 and bytes(pkt) == frame
    assert pkt.haslayer(paquet.Dot11Auth)
