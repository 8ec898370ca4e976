"""The default path: readers return dissected packets (as Scapy's rdpcap does) that agree with
tshark field by field; packets built by the engine are written so that tshark reads them."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pcap_helpers import data_fixture, tshark_fixture  # noqa: F401
from scapy.all import rdpcap as scapy_rdpcap

from paquet.layers import ICMP, IP, TCP, UDP, Ether
from paquet.pcap import PcapReader, RawPacket, TruncatedCaptureError, rdpcap, wrpcap
from paquet.pcapng import PcapNgReader
from paquet.plist import PacketList

TsharkFields = Callable[..., list[list[str]]]

FIELDS = ("frame.time_epoch", "frame.len", "ip.src", "ip.dst", "ip.ttl", "udp.dstport", "icmp.type")


def ours(pkt: object) -> list[str]:
    """The same fields from our dissection ('' where tshark has none)."""
    ip = pkt.getlayer(IP)  # type: ignore[attr-defined]
    udp = pkt.getlayer(UDP)  # type: ignore[attr-defined]
    icmp = pkt.getlayer(ICMP)  # type: ignore[attr-defined]
    return [
        "",
        str(pkt.wirelen),  # type: ignore[attr-defined]
        ip.src if ip else "",
        ip.dst if ip else "",
        str(ip.ttl) if ip else "",
        str(udp.dport) if udp else "",
        str(icmp.type) if icmp else "",
    ]


@pytest.mark.parametrize(
    "name", ["tcpdump-lo.pcap", "tshark-lo.pcapng", "bigendian.pcap", "comments.pcapng"]
)
def test_rdpcap_dissects_like_tshark(data: Path, tshark: TsharkFields, name: str) -> None:
    pkts = rdpcap(data / name)
    raw = rdpcap(data / name, raw=True)
    expected = tshark(data / name, *FIELDS)
    assert isinstance(pkts, PacketList) and len(pkts) == len(expected) == 14
    for pkt, rec, row in zip(pkts, raw, expected, strict=True):
        assert bytes(pkt) == bytes(rec)
        assert isinstance(pkt, Ether)
        assert pkt.time == rec.time
        assert abs(pkt.time - float(Decimal(row[0]))) < 1e-6
        if IP in pkt:
            # tshark lists the quoted header's fields too (ICMP errors): compare the first ones.
            got = ours(pkt)
            assert got[1:5] == [v.split(",")[0] for v in row[1:5]]
            assert got[5] in (row[5].split(",")[0], "")
            assert got[6] == row[6]


def test_metadata_on_dissected_packets(data: Path) -> None:
    pkts = rdpcap(data / "comments.pcapng")
    assert pkts[0].comments == [b"first packet, commented by editcap"]
    assert pkts[0].sniffed_on == "lo"
    assert pkts[2].comments == [b"third"]
    assert not hasattr(pkts[1], "comments") or pkts[1].comments is None


def test_streaming_readers_dissect(data: Path) -> None:
    with PcapReader(data / "tcpdump-lo.pcap") as r:
        first = next(iter(r))
        assert first.summary() == "Ether / IP / ICMP 127.0.0.1 > 127.0.0.1 echo-request 0 / Raw"
    with PcapNgReader(data / "tshark-lo.pcapng") as r2:
        ours = sum(1 for p in r2 if p.haslayer("UDP"))
    assert ours == sum(1 for p in scapy_rdpcap(str(data / "tshark-lo.pcapng")) if p.haslayer("UDP"))


def test_custom_decoder(data: Path) -> None:
    lengths = rdpcap(data / "tcpdump-lo.pcap", decode=lambda b, lt: RawPacket(b, linktype=lt))
    assert [len(p) for p in lengths] == [len(r) for r in rdpcap(data / "tcpdump-lo.pcap", raw=True)]


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("tcpdump-any-sll.pcap", "CookedLinux"),
        ("tcpdump-any-sll2.pcap", "SLL2"),
        ("null-loopback.pcap", "Loopback"),
    ],
)
def test_link_types_reach_the_engine(
    data: Path, tshark: TsharkFields, tmp_path: Path, name: str, first: str
) -> None:
    """SLL, SLL2 and BSD null frames are dissected from their link type, agree with tshark,
    and are written back with the same link type."""
    path = data / name
    pkts = rdpcap(path)
    assert {type(p).__name__ for p in pkts} == {first}
    assert repr(pkts) == repr(scapy_rdpcap(str(path)))
    rows = tshark(path, "ip.src", "ip.dst", "udp.dstport")
    for pkt, row in zip(pkts, rows, strict=True):
        ip, udp = pkt.getlayer(IP), pkt.getlayer(UDP, _subclass=True)
        got = [ip.src if ip else "", ip.dst if ip else "", str(udp.dport) if udp else ""]
        assert got == [v.split(",")[0] for v in row]
    wrpcap(tmp_path / "back.pcap", pkts)
    back = rdpcap(tmp_path / "back.pcap", raw=True)
    assert {r.linktype for r in back} == {rdpcap(path, raw=True)[0].linktype}
    assert [bytes(r) for r in back] == [bytes(p) for p in pkts]


def test_write_engine_packets_read_by_tshark(tmp_path: Path, tshark: TsharkFields) -> None:
    frames = []
    for i in range(5):
        p = (
            Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
            / IP(src="192.0.2.1", dst="198.51.100.7", ttl=33)
            / TCP(sport=40000 + i, dport=80 + i, flags="S")
        )
        p.time = 1700000000 + i * 0.125
        frames.append(p)
    wrpcap(tmp_path / "eth.pcap", frames)
    wrpcap(tmp_path / "eth.pcapng", frames)
    for name in ("eth.pcap", "eth.pcapng"):
        rows = tshark(
            tmp_path / name,
            "frame.time_epoch",
            "ip.src",
            "ip.dst",
            "tcp.dstport",
            "tcp.flags.syn",
            "ip.checksum.status",
            "tcp.checksum.status",  # 1: tshark verified the checksum as good
            options=("-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"),
        )
        assert rows == [
            [
                f"{1700000000 + i * 0.125:.9f}",
                "192.0.2.1",
                "198.51.100.7",
                str(80 + i),
                "1",
                "1",
                "1",
            ]
            for i in range(5)
        ]
    ip_only = [IP(src="203.0.113.5", dst="192.0.2.9") / UDP(dport=53) for _ in range(2)]
    buf = io.BytesIO()
    wrpcap(buf, ip_only)
    assert buf.getvalue()[20:24] == (228).to_bytes(4, "little")  # as Scapy: LINKTYPE_IPV4
    path = tmp_path / "ip.pcap"
    path.write_bytes(buf.getvalue())
    assert tshark(path, "ip.src", "udp.dstport") == [["203.0.113.5", "53"]] * 2
    assert [bytes(p) for p in rdpcap(path)] == [bytes(p) for p in ip_only]


def test_packet_list_like_scapys(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(data / "tcpdump-lo.pcap")
    pkts = rdpcap(path)[:12]  # the IPv4 packets
    theirs = scapy_rdpcap(path)[:12]
    assert repr(pkts) == repr(theirs) == "<mod tcpdump-lo.pcap: TCP:0 UDP:3 ICMP:9 Other:0>"
    assert repr(rdpcap(path)) == repr(scapy_rdpcap(path))
    udp = pkts.filter(lambda p: p.haslayer("UDP"))
    assert repr(udp) == "<filtered mod tcpdump-lo.pcap: TCP:0 UDP:3 ICMP:0 Other:0>"
    assert isinstance(udp, PacketList) and len(udp) == 3
    udp.nsummary()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("0000 Ether / IP / UDP 127.0.0.1:") and len(lines) == 3
    udp.summary(prn=lambda p: p[UDP].dport)
    assert capsys.readouterr().out == "9999\n9999\n9999\n"
    assert repr(PacketList(pkts, stats=[ICMP])) == "<PacketList: ICMP:9 Other:3>"
    assert len(pkts["UDP"]) == 3


def test_pcap_file_named_by_tshark(tmp_path: Path) -> None:
    """Every record we write is one frame for tshark (no off-by-one in lengths/padding)."""
    frames = [RawPacket(bytes(range(n % 256)) * 1, time=1.0 + n, linktype=1) for n in range(1, 60)]
    wrpcap(tmp_path / "lens.pcapng", frames)
    out = subprocess.run(
        ["tshark", "-r", str(tmp_path / "lens.pcapng"), "-T", "fields", "-e", "frame.cap_len"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [str(n) for n in range(1, 60)]


def test_damage_on_the_dissecting_path(data: Path, tmp_path: Path) -> None:
    """The decoding reader stops at the same place as the raw one, with the same error."""
    raw = (data / "tcpdump-lo.pcap").read_bytes()
    full = rdpcap(data / "tcpdump-lo.pcap", raw=True)
    path = tmp_path / "cut.pcap"
    for cut, whole, offset in ((300, 2, 252), (24 + 114 * 3 + 10, 3, 366)):
        path.write_bytes(raw[:cut])
        with pytest.raises(TruncatedCaptureError, match=f"offset {offset}") as info:
            rdpcap(path)
        got = info.value.packets
        assert [bytes(p) for p in got] == [bytes(r) for r in full[:whole]]
        assert [p.time for p in got] == [r.time for r in full[:whole]]
    bad = bytearray(raw)
    bad[24 + 8 : 24 + 12] = (10**6).to_bytes(4, "little")
    path.write_bytes(bytes(bad))
    with pytest.raises(TruncatedCaptureError, match="offset 24: record 1 claims 1000000 bytes"):
        list(PcapReader(path))


@pytest.mark.parametrize("name", ["tcpdump-lo.pcap", "tshark-lo.pcapng", "tcpdump-any-sll.pcap"])
def test_sessions_like_scapys(data: Path, name: str) -> None:
    ours = rdpcap(data / name).sessions()
    theirs = scapy_rdpcap(str(data / name)).sessions()
    assert {k: [bytes(p) for p in v] for k, v in ours.items()} == {
        k: [bytes(p) for p in v] for k, v in theirs.items()
    }
    assert all(isinstance(v, PacketList) for v in ours.values())


def test_layer_indexing_like_scapys(data: Path) -> None:
    path = data / "tcpdump-lo.pcap"
    ours, theirs = rdpcap(path), scapy_rdpcap(str(path))
    from scapy.layers.inet import ICMP as ScapyICMP
    from scapy.layers.inet import UDP as ScapyUDP

    assert (
        repr(ours[UDP])
        == repr(theirs[ScapyUDP])
        == "<UDP from tcpdump-lo.pcap: TCP:0 UDP:4 ICMP:0 Other:0>"
    )
    assert [bytes(p) for p in ours["ICMP"]] == [bytes(p) for p in theirs[ScapyICMP]]
