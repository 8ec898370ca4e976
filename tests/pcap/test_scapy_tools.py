"""ERF Ethernet files, tcpdump()/tdecode()/wireshark() and sniff(offline=...), compared with
Scapy 2.8 on the same files and with the real tcpdump and tshark."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from pcap_helpers import tshark_fixture  # noqa: F401

from paquet import (
    ICMP,
    IP,
    TCP,
    UDP,
    EDecimal,
    ERFEthernetReader,
    Ether,
    PacketList,
    conf,
    rderf,
    sniff,
    tcpdump,
    tdecode,
    wireshark,
    wrerf,
    wrpcap,
)
from paquet.errors import CaptureError, PaquetError

sa = pytest.importorskip("scapy.all")

#: A destination MAC for frames built here: none is asked for (no ARP from the root namespace).
MAC_B = "02:00:00:00:00:0b"


def _frames() -> list[Any]:
    out = []
    for i in range(3):
        p = (
            Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b")
            / IP(src="192.0.2.1", dst="192.0.2.2")
            / TCP(sport=1000 + i, dport=80)
        )
        p.time = EDecimal("1603418463.270038318") + i
        p.wirelen = len(p) + 4  # the frame check sequence, not captured
        out.append(p)
    return out


def test_erf_written_by_us_read_by_scapy(tmp_path: Path) -> None:
    path = tmp_path / "ours.erf"
    pkts = _frames()
    wrerf(str(path), pkts)
    theirs = sa.rderf(str(path))
    assert [bytes(q)[: len(p)] for q, p in zip(theirs, pkts, strict=True)] == [
        bytes(p) for p in pkts
    ]
    assert [q.time for q in theirs] == [p.time for p in pkts]
    assert [q.wirelen for q in theirs] == [p.wirelen for p in pkts]


def test_erf_written_by_scapy_read_by_us(tmp_path: Path) -> None:
    path = tmp_path / "theirs.erf"
    theirs = []
    for i in range(3):
        q = (sa.Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b") / sa.IP(dst="192.0.2.7")
             / sa.UDP(dport=53 + i))
        q.time = sa.EDecimal("1700000000.123456789") + i
        q.wirelen = len(q)
        theirs.append(q)
    sa.wrerf(str(path), theirs)
    ours = rderf(str(path))
    assert [bytes(p) for p in ours] == [bytes(q) for q in sa.rderf(str(path))]
    assert [p[UDP].dport for p in ours] == [53, 54, 55]
    assert [p.time for p in ours] == [q.time for q in theirs]
    assert all(isinstance(p.time, EDecimal) for p in ours)
    assert [p.wirelen for p in ours] == [q.wirelen for q in theirs]


def test_erf_append_and_count(tmp_path: Path) -> None:
    path = tmp_path / "twice.erf"
    pkts = _frames()
    wrerf(str(path), pkts, append=True)
    wrerf(str(path), pkts, append=True)
    assert len(rderf(str(path))) == 6 == len(sa.rderf(str(path)))
    assert len(rderf(str(path), count=4)) == 4
    with ERFEthernetReader(str(path)) as r:
        assert r.read_packet()[TCP].sport == 1000


def test_erf_with_extension_header_as_scapy() -> None:
    """A record whose type has the extension bit: its 8-byte extension header is skipped."""
    frame = bytes(_frames()[0])
    ts = (1603418463 << 32) | 0x45393F5E
    rlen = 16 + 8 + 2 + len(frame)
    rec = (
        ts.to_bytes(8, "little")
        + bytes([0x82, 0])
        + rlen.to_bytes(2, "big")
        + bytes(2)
        + (len(frame) + 4).to_bytes(2, "big")
        + bytes([0x1A])
        + bytes(7)  # one extension header (no further one)
        + bytes(2)
        + frame
    )
    ours, theirs = rderf(io.BytesIO(rec * 2)), sa.rderf(io.BytesIO(rec * 2))
    assert [bytes(p) for p in ours] == [bytes(q) for q in theirs] and len(ours) == 2
    assert [p.time for p in ours] == [q.time for q in theirs]


def test_erf_damage_is_an_error() -> None:
    frame = bytes(_frames()[0])
    rec = (
        bytes(8)
        + bytes([2, 0])
        + (18 + len(frame)).to_bytes(2, "big")
        + bytes(4)
        + bytes(2)
        + frame
    )
    with pytest.raises(CaptureError, match="cut short"):
        rderf(io.BytesIO(rec + rec[:-3]))
    with pytest.raises(CaptureError, match="not Ethernet"):
        rderf(io.BytesIO(bytes(8) + bytes([1, 0]) + rec[10:]))


needs_tcpdump = pytest.mark.skipif(shutil.which("tcpdump") is None, reason="needs tcpdump")


@needs_tcpdump
def test_tcpdump_output_as_scapys() -> None:
    pkts = [IP(src="192.0.2.1", dst="192.0.2.2") / TCP(dport=80), IP() / UDP(), IP() / ICMP()]
    for p in pkts:
        p.time = 1700000000.5
    theirs_pkts = [sa.IP(bytes(p)) for p in pkts]
    for q in theirs_pkts:
        q.time = 1700000000.5
    ours = tcpdump(pkts, dump=True, args=["-nn", "-tt"], quiet=True)
    theirs = sa.tcpdump(theirs_pkts, dump=True, args=["-nn", "-tt"], quiet=True)
    assert ours == theirs and b"192.0.2.1.20 > 192.0.2.2.80:" in ours
    # A file object and a file name are read by tcpdump itself.
    buf = io.BytesIO()
    wrpcap(buf, pkts)
    buf.seek(0)
    assert tcpdump(buf, dump=True, args=["-nn", "-tt"], quiet=True) == ours
    buf.seek(0)
    assert tcpdump(buf, dump=True, args=["-nn", "-tt"], quiet=True, use_tempfile=True) == ours


@needs_tcpdump
def test_tcpdump_command_line_as_scapys() -> None:
    """The command tcpdump() runs, with a link type: compared with Scapy's, Popen mocked."""
    from paquet.pcaptools import linktype_name

    assert linktype_name(1) == linktype_name("DLT_EN10MB") == (1, "EN10MB")  # libpcap loaded
    sa.tcpdump([sa.Ether()], linktype="DLT_EN10MB", dump=True, quiet=True)  # Scapy's too
    calls = []
    for fn in (tcpdump, sa.tcpdump):
        f = io.BytesIO()
        proc = mock.Mock(stdin=f, wait=lambda: None)
        with (
            mock.patch("subprocess.Popen", return_value=proc) as popen,
            mock.patch.object(f, "close"),
        ):
            fn([Ether() / IP() / ICMP()], linktype="DLT_EN10MB", use_tempfile=False)
        (argv,), kwargs = popen.call_args
        calls.append((argv[1:], kwargs))
        assert bytes(Ether() / IP() / ICMP()) in f.getvalue()
    assert calls[0] == calls[1]


def test_tcpdump_errors() -> None:
    with pytest.raises(ValueError, match="prog"):
        tcpdump([IP()], prog=17)
    with (
        mock.patch.object(conf.prog, "tcpdump", "tcpdump-that-does-not-exist"),
        pytest.raises(PaquetError, match="could not run"),
    ):
        tcpdump([IP()])


def test_tdecode_with_tshark(tshark: Any) -> None:
    pkts = [
        Ether(dst=MAC_B) / IP(src="192.0.2.1", dst="192.0.2.2") / ICMP(type="echo-request")
        / (b"X" * 10),
        Ether(dst=MAC_B) / IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(type="echo-reply")
        / (b"X" * 10),
    ]
    before = len(conf.temp_files)
    out = tdecode(pkts, dump=True, quiet=True)
    for text in (
        b"Src: 192.0.2.1",
        b"Dst: 192.0.2.1",
        b"Echo (ping) request",
        b"Echo (ping) reply",
    ):
        assert text in out
    assert len(conf.temp_files) == before
    fields = tcpdump(
        pkts,
        prog="tshark",
        getfd=True,
        quiet=True,
        args=["-T", "fields", "-e", "ip.ttl", "-e", "ip.proto"],
    )
    assert [line.split() for line in fields] == [[b"64", b"1"], [b"64", b"1"]]


def test_wireshark_needs_a_display() -> None:
    f = io.BytesIO()
    with (
        mock.patch.dict(os.environ, {"DISPLAY": ":99"}),
        mock.patch("subprocess.Popen", return_value=mock.Mock(stdin=f)) as popen,
        mock.patch.object(f, "close"),
    ):
        wireshark([Ether() / IP()])
    popen.assert_called_once_with(
        ["wireshark", "-ki", "-"], stdin=subprocess.PIPE, stdout=None, stderr=None
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    with (
        mock.patch.dict(os.environ, env, clear=True),
        mock.patch("shutil.which", return_value="/usr/bin/wireshark"),
        pytest.raises(PaquetError, match="display"),
    ):
        wireshark([Ether() / IP()])


def _mixed() -> list[Any]:
    return [IP(dst="192.0.2.5") / TCP(), IP(dst="192.0.2.5") / UDP(), IP(dst="192.0.2.5") / ICMP()]


def test_sniff_offline_as_scapys(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pcap"
    wrpcap(str(path), _mixed())
    theirs = sa.sniff(offline=str(path))
    assert [bytes(p) for p in sniff(offline=str(path))] == [bytes(q) for q in theirs]
    with open(path, "rb") as f:
        assert [bytes(p) for p in sniff(offline=f)] == [bytes(q) for q in theirs]
    assert len(sniff(offline=PacketList(_mixed()))) == 3
    assert len(sniff(offline=_mixed(), lfilter=lambda p: TCP in p)) == 1


@needs_tcpdump
def test_sniff_offline_filter_as_scapys(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pcap"
    wrpcap(str(path), _mixed())
    for flt in ("tcp", "udp", "icmp"):
        theirs = sa.sniff(offline=str(path), filter=flt)
        assert [bytes(p) for p in sniff(offline=str(path), filter=flt)] == [
            bytes(q) for q in theirs
        ]
        with open(path, "rb") as f:
            assert [bytes(p) for p in sniff(offline=f, filter=flt)] == [bytes(q) for q in theirs]
    assert len(sniff(offline=IP() / UDP(sport=(10000, 10001)), filter="udp")) == 2
    with pytest.raises(PaquetError):
        sniff(offline=[IP() / UDP()], filter="bad filter")


def test_sniff_offline_from_a_named_pipe(tmp_path: Path) -> None:
    """The format is read from what the pipe holds, without losing it (Scapy's fifo test)."""
    import threading

    path = tmp_path / "fifo"
    os.mkfifo(path)
    pkt = Ether(dst="ff:ff:ff:ff:ff:ff") / IP(dst="192.0.2.8") / UDP()
    writer = threading.Thread(target=wrpcap, args=(str(path), [pkt]))
    writer.start()
    got = sniff(offline=str(path))
    writer.join()
    assert [bytes(p) for p in got] == [bytes(pkt)]


@needs_tcpdump
def test_tcpdump_reads_our_pcapng_as_scapys(tmp_path: Path) -> None:
    """tcpdump reads paquet's pcapng (several interfaces, comments, flags, nanoseconds) as
    it reads Scapy's: the same lines."""
    from paquet import wrpcapng

    ours, theirs = tmp_path / "ours.pcapng", tmp_path / "theirs.pcapng"
    pkts, spkts = [], []
    for i, name in enumerate(["eth0", "eth1", "eth0"]):
        p = Ether(dst=MAC_B) / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1000 + i, dport=53)
        p.time, p.sniffed_on, p.direction, p.comment = 1700000000.5 + i, name, 1, b"c"
        pkts.append(p)
        q = sa.Ether(bytes(p))
        q.time, q.sniffed_on, q.direction, q.comment = p.time, name, 1, b"c"
        spkts.append(q)
    wrpcapng(str(ours), pkts)
    sa.wrpcapng(str(theirs), spkts)

    def lines(path: Path) -> list[str]:
        out = subprocess.run(
            ["tcpdump", "-nn", "-tt", "-r", str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        return out.splitlines()

    got = lines(ours)
    assert got == lines(theirs) and len(got) == 3
    assert got[0].startswith("1700000000.500000 ") and "192.0.2.1.1000 > 192.0.2.2.53" in got[0]


def test_sniff_offline_times_and_raw_ip_as_scapys(tmp_path: Path) -> None:
    """Offline, sniff times packets as rdpcap (nanoseconds exact) and reads Scapy's DLT_RAW."""
    from paquet import DLT_RAW

    nano, raw = tmp_path / "nano.pcap", tmp_path / "raw.pcap"
    p = IP(dst="192.0.2.3") / UDP()
    p.time = EDecimal("1700000000.123456789")
    wrpcap(str(nano), [p], nano=True)
    wrpcap(str(raw), [IP(dst="192.0.2.3") / UDP()], linktype=DLT_RAW)
    ours, theirs = sniff(offline=str(nano))[0], sa.sniff(offline=str(nano))[0]
    assert ours.time == theirs.time and repr(ours.time) == repr(theirs.time)
    ours, theirs = sniff(offline=str(raw))[0], sa.sniff(offline=str(raw))[0]
    assert ours.summary() == theirs.summary() and ours[IP].dst == "192.0.2.3"
