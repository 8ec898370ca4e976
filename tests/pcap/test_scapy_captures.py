"""pcap and pcapng as Scapy reads and writes them: packet metadata (time, wirelen, sniffed_on,
direction, comments, process information), nanosecond times, the raw readers and writers and
the DLT numbers, each compared with Scapy 2.8 on the same files (written by one, read by the
other), and with tshark reading paquet's files."""

from __future__ import annotations

import io
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from pcap_helpers import tshark_fixture  # noqa: F401

import paquet
from paquet import (
    IP,
    TCP,
    UDP,
    EDecimal,
    Ether,
    IPv6,
    PcapReader,
    PcapWriter,
    RawPcapNgReader,
    RawPcapNgWriter,
    RawPcapReader,
    RawPcapWriter,
    Scapy_Exception,
    SndRcvList,
    rdpcap,
    wrpcap,
    wrpcapng,
)

sa = pytest.importorskip("scapy.all")
scapy_utils = pytest.importorskip("scapy.utils")


def _ours() -> list[Any]:
    """Packets of two link types with every kind of metadata (and none)."""
    pkts: list[Any] = []
    for i, (iface, comment, direction) in enumerate(
        [
            (None, None, None),
            ("eth0", b"first", 1),
            ("", b"", 2),
            ("eth0", None, 3),
            (None, b"x", 0),
        ]
    ):
        p = Ether(src="02:00:00:00:00:01") / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(dport=i + 1)
        p.time = 1700000000.25 + i
        p.sniffed_on = iface
        p.comment = comment
        p.direction = direction
        pkts.append(p)
    return pkts


def test_pcapng_metadata_read_by_scapy(tmp_path: Path) -> None:
    path = tmp_path / "meta.pcapng"
    pkts = _ours()
    wrpcapng(str(path), pkts)
    theirs = sa.rdpcap(str(path))
    assert len(theirs) == len(pkts)
    for p, q in zip(pkts, theirs, strict=True):
        assert bytes(p) == bytes(q)
        assert (q.sniffed_on, q.comment, q.direction) == (p.sniffed_on, p.comment, p.direction)
        assert float(q.time) == p.time and q.wirelen == len(p)


def test_pcapng_metadata_written_by_scapy(tmp_path: Path) -> None:
    path = tmp_path / "scapy.pcapng"
    theirs = []
    for iface, comments, direction in [("lo", [b"a", b"b"], 2), (None, None, None), ("x", None, 1)]:
        q = sa.Ether() / sa.IPv6() / sa.TCP()
        q.time = 1632568366.384185
        q.sniffed_on = iface
        q.comments = comments
        q.direction = direction
        theirs.append(q)
    sa.wrpcapng(str(path), theirs)
    ours = rdpcap(str(path))
    for p, q in zip(ours, theirs, strict=True):
        assert bytes(p) == bytes(q)
        assert (p.sniffed_on, p.comments, p.comment, p.direction) == (
            q.sniffed_on,
            q.comments,
            q.comment,
            q.direction,
        )
        assert p.time == float(q.time)
    again = sa.rdpcap(str(path))  # and what Scapy reads back is what we read
    assert [(q.sniffed_on, q.direction) for q in again] == [
        (p.sniffed_on, p.direction) for p in ours
    ]


def test_wrpcapng_bytes_as_scapys(tmp_path: Path) -> None:
    """A plain packet: the same section, interface and packet blocks, byte for byte."""
    p = Ether() / "Hello"
    p.time = 1632568366.384185
    ours, theirs = tmp_path / "p.pcapng", tmp_path / "s.pcapng"
    wrpcapng(str(ours), p)
    q = sa.Ether() / "Hello"
    q.time = p.time
    sa.wrpcapng(str(theirs), q)
    assert ours.read_bytes() == theirs.read_bytes()


def test_pcapng_as_tshark_reads_it(tmp_path: Path, tshark: Any) -> None:
    path = tmp_path / "meta.pcapng"
    pkts = _ours()
    wrpcapng(str(path), pkts)
    rows = tshark(path, "frame.comment", "frame.interface_name", "udp.dstport")
    assert [r[2] for r in rows] == [str(p[UDP].dport) for p in pkts]
    assert [r[0] for r in rows] == [(p.comment or b"").decode() for p in pkts]
    # tshark names an interface without a name "unknown".
    named = [(r[1], p.sniffed_on) for r, p in zip(rows, pkts, strict=True) if p.sniffed_on != ""]
    assert [r for r, _ in named] == [name or "unknown" for _, name in named]


def test_nanosecond_pcap_both_ways(tmp_path: Path) -> None:
    base = Decimal("1454163407.666223049")
    ours_path, theirs_path = tmp_path / "ours.pcap", tmp_path / "theirs.pcap"
    p = IP(dst="192.0.2.9") / TCP()
    p.time = EDecimal(base)
    wrpcap(str(ours_path), [p], nano=True)
    q = sa.IP(dst="192.0.2.9") / sa.TCP()
    q.time = scapy_utils.EDecimal(base)
    sa.wrpcap(str(theirs_path), [q], nano=True)
    assert ours_path.read_bytes()[24:] == theirs_path.read_bytes()[24:]  # records alike
    back = rdpcap(str(theirs_path))[0]
    assert isinstance(back.time, EDecimal) and back.time == sa.rdpcap(str(ours_path))[0].time
    # Scapy's arithmetic: one more nanosecond survives a write and a read.
    back.time += Decimal("1E-9")
    wrpcap(str(ours_path), [back], nano=True)
    assert sa.rdpcap(str(ours_path))[0].time == base + Decimal("1E-9")


def test_microsecond_times_stay_floats(tmp_path: Path) -> None:
    path = tmp_path / "us.pcap"
    p = IP() / UDP()
    p.time = 1700000000.123456
    wrpcap(str(path), [p])
    got = rdpcap(str(path))[0].time
    assert type(got) is float and got == float(sa.rdpcap(str(path))[0].time)


def test_edecimal_arithmetic_as_scapys() -> None:
    theirs = scapy_utils.EDecimal
    for a, b in [("1.5", 2), ("1454163407.666223049", 0.25), ("3", Decimal("1E-9"))]:
        for op in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__truediv__"):
            assert getattr(EDecimal(a), op)(b) == getattr(theirs(a), op)(b), (a, b, op)
        assert (EDecimal(a) == float(a)) == (theirs(a) == float(a))
        assert divmod(EDecimal(a), 2) == divmod(theirs(a), 2)


def test_raw_readers_yield_scapys_pairs(tmp_path: Path) -> None:
    pcap, pcapng = tmp_path / "a.pcap", tmp_path / "a.pcapng"
    pkts = _ours()
    wrpcap(str(pcap), pkts)
    wrpcapng(str(pcapng), pkts)
    for path, cls in ((pcap, RawPcapReader), (pcapng, RawPcapNgReader)):
        with RawPcapReader(str(path)) as ours, sa.RawPcapReader(str(path)) as theirs:
            assert isinstance(ours, cls)
            mine, their = list(ours), list(theirs)
        assert [(d, tuple(m)) for d, m in mine] == [(d, tuple(m)) for d, m in their]
        assert type(mine[0][1]).__name__ == type(their[0][1]).__name__
    with RawPcapReader(str(pcap)) as r:
        assert len(r.read_all(2)) == 2 and len(r.read_all()) == 3
        with pytest.raises(EOFError):
            r.read_packet()


def test_raw_pcapng_writer_blocks_as_scapys(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "o.pcapng", tmp_path / "t.pcapng"
    frame = bytes(Ether() / IP() / "block")
    for cls, path in ((RawPcapNgWriter, ours), (sa.RawPcapNgWriter, theirs)):
        w = cls(str(path))
        w._write_block_shb()
        w._write_block_idb(linktype=1)
        w._write_block_idb(linktype=1, ifname=b"eth1")
        w._write_block_epb(frame, ifid=1, timestamp=1632568366.5, comments=[b"c1"], flags=2)
        w._write_block_spb(frame)
        w.f.close()
    assert ours.read_bytes() == theirs.read_bytes()


def test_raw_pcap_writer_as_scapys(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "o.pcap", tmp_path / "t.pcap"
    with RawPcapWriter(str(ours), linktype=1, snaplen=65535) as w:
        w.write_header(None)
        w.write_packet(b"test", sec=5.7, usec=7)
    with sa.RawPcapWriter(str(theirs), linktype=1) as w:
        w.write_header(None)
        w.write_packet(b"test", sec=5.7, usec=7)
    assert ours.read_bytes() == theirs.read_bytes()
    # No link type given: bytes are taken as Ethernet, as Scapy does.
    with RawPcapWriter(str(ours), snaplen=65535) as w:
        w.write(b"test")
        assert w.linktype == 1
    with sa.RawPcapWriter(str(theirs)) as w:
        w.write(b"test")
    assert ours.read_bytes()[:24] == theirs.read_bytes()[:24]


def test_writer_null_write_then_close_as_scapys() -> None:
    for writer, reader in ((PcapWriter, PcapReader), (sa.PcapWriter, sa.PcapReader)):
        f = io.BytesIO()
        w = writer(f)
        w.write([])
        assert f.getvalue() == b""
        w.write(Ether() / IP())
        with mock.patch.object(f, "close") as closed:
            w.close()
        closed.assert_called_once_with()
        f.seek(0)
        r = reader(f)
        assert r.linktype == 1 and r.LLcls.__name__ == "Ether"
    f = io.BytesIO()
    with mock.patch.object(f, "close") as closed:
        PcapWriter(f).close()  # nothing written: a header all the same
    closed.assert_called_once_with()
    assert struct.unpack("<I", f.getvalue()[20:24]) == (1,)


def test_dlt_numbers_are_scapys() -> None:
    names = [n for n in dir(sa) if n.startswith("DLT_")]
    assert names
    for name in names:
        assert getattr(paquet, name) == getattr(sa, name), name


def test_raw_ip_file_with_scapys_dlt_raw(tmp_path: Path, tshark: Any) -> None:
    path = tmp_path / "raw.pcap"
    wrpcap(str(path), [IP() / UDP(), IPv6() / UDP()], linktype=paquet.DLT_RAW)
    ours = rdpcap(str(path))
    assert [type(p).__name__ for p in ours] == ["IP", "IPv6"]
    assert [type(p).__name__ for p in sa.rdpcap(str(path))] == ["IP", "IPv6"]
    assert [r[0] for r in tshark(path, "frame.protocols")] == ["raw:ip:udp", "raw:ipv6:udp"]


def test_sndrcvlist_pairs_with_sent_time(tmp_path: Path) -> None:
    s, r = Ether() / IP(dst="192.0.2.3"), Ether() / IP(src="192.0.2.3")
    s.sent_time, s.time, r.time = 1.0, 0.5, 2.0
    path = tmp_path / "pairs.pcap"
    wrpcap(str(path), SndRcvList([(s, r)]))
    assert [float(p.time) for p in sa.rdpcap(str(path))] == [1.0, 2.0]
    assert s.time == 0.5  # the caller's packet keeps its own time


def _pib_file(e: str = "<") -> bytes:
    """A pcapng with an Apple process information block (pid 42, "launchd") and a packet
    pointing at it, built field by field from the block layouts."""

    def block(btype: int, body: bytes) -> bytes:
        body += b"\x00" * (-len(body) % 4)
        return (
            struct.pack(e + "II", btype, 12 + len(body))
            + body
            + struct.pack(e + "I", 12 + len(body))
        )

    def opt(code: int, value: bytes) -> bytes:
        return struct.pack(e + "HH", code, len(value)) + value + b"\x00" * (-len(value) % 4)

    frame = bytes(Ether() / IP() / TCP())
    shb = block(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack(e + "HHI", 1, 0, 0))
    pib = block(0x80000001, struct.pack(e + "I", 42) + opt(2, b"launchd") + opt(0, b""))
    opts = opt(0x8001, struct.pack(e + "I", 0)) + opt(0x8003, struct.pack(e + "I", 0)) + opt(0, b"")
    pad = b"\x00" * (-len(frame) % 4)
    epb = block(6, struct.pack(e + "IIIII", 0, 0, 1, len(frame), len(frame)) + frame + pad + opts)
    return shb + idb + pib + epb


def test_process_information_as_scapys() -> None:
    for e in "<>":
        data = _pib_file(e)
        ours = rdpcap(io.BytesIO(data))[0]
        theirs = sa.rdpcap(io.BytesIO(data))[0]
        assert ours.process_information == theirs.process_information
        assert ours.process_information["proc"]["name"] == "launchd"


def test_invalid_pcapng_raises_scapy_exception() -> None:
    # A section header whose byte-order magic is neither order.
    with pytest.raises(Scapy_Exception):
        rdpcap(io.BytesIO(b"\n\r\r\n\x1c\x00\x00\x00\x01\x02\x03\x04" + bytes(16)))
    with pytest.raises(sa.Scapy_Exception):
        sa.rdpcap(io.BytesIO(b"\n\r\r\n\x1c\x00\x00\x00\x01\x02\x03\x04" + bytes(16)))


def test_pcapng_block_length_not_multiple_of_four() -> None:
    """Old writers' lengths (the obsolete packet block's 110): padded, as Scapy reads them."""
    e = "<"
    frame = bytes(Ether() / IP() / UDP() / "ab")  # 44 bytes: 28 + 44 + 4 = 76; make it odd
    frame += b"x"
    blen = 12 + 20 + len(frame)
    shb = struct.pack(e + "IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack(e + "I", 28)
    idb = struct.pack(e + "IIHHII", 1, 20, 1, 0, 0, 20)
    opb = (
        struct.pack(e + "IIHHIIII", 2, blen, 0, 0, 5, 7, len(frame), len(frame))
        + frame
        + b"\x00" * (-blen % 4)
        + struct.pack(e + "I", blen)
    )
    data = shb + idb + opb + opb
    ours, theirs = rdpcap(io.BytesIO(data)), sa.rdpcap(io.BytesIO(data))
    assert [bytes(p) for p in ours] == [bytes(p) for p in theirs] and len(ours) == 2
    assert [p.time for p in ours] == [float(p.time) for p in theirs]


def test_metadata_survives_pickle_as_scapys() -> None:
    import pickle

    names = ("time", "sent_time", "direction", "sniffed_on", "wirelen", "comments", "comment")
    got = []
    for p in (IP(src="192.0.2.1") / TCP(), sa.IP(src="192.0.2.1") / sa.TCP()):
        p.time, p.sent_time, p.direction, p.sniffed_on, p.wirelen = 5.0, 6.0, 1, "eth0", 100
        p.comments = [b"one", b"two"]
        q = pickle.loads(pickle.dumps(p))
        got.append(tuple(getattr(q, n) for n in names))
        assert bytes(q) == bytes(p)
    assert got[0] == got[1]


def test_inconsistent_linktypes_warn_as_scapy(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pcap"
    with pytest.warns(paquet.CaptureWarning, match="Inconsistent linktypes"):
        wrpcap(str(path), [IP(), Ether(), IP(), IP()])
    with mock.patch("scapy.utils.warning") as warning:
        sa.wrpcap(str(tmp_path / "s.pcap"), [sa.IP(), sa.Ether(), sa.IP(), sa.IP()])
    assert any("Inconsistent" in str(arg) for arg in warning.call_args[0])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wrpcap(str(path), [IP(), IP() / TCP(), b"raw"])  # one link type: no warning
        wrpcap(str(path), [Ether(), IP()], linktype=1)  # the caller chose: no warning


def test_raw_pcapng_reader_on_a_pcap_file_as_scapys(tmp_path: Path) -> None:
    path = tmp_path / "plain.pcap"
    wrpcap(str(path), [IP() / UDP()])
    # Scapy's "alternative": the pcap reader, whichever was asked.
    with RawPcapNgReader(str(path)) as ours, sa.RawPcapNgReader(str(path)) as theirs:
        assert type(ours).__name__ == type(theirs).__name__ == "RawPcapReader"
        assert [(d, tuple(m)) for d, m in ours] == [(d, tuple(m)) for d, m in theirs]
    with pytest.raises(Scapy_Exception):
        RawPcapNgReader(io.BytesIO(b"not a capture"))
    with pytest.raises(sa.Scapy_Exception):
        sa.RawPcapNgReader(io.BytesIO(b"not a capture"))


def test_raw_reader_on_a_named_pipe(tmp_path: Path) -> None:
    import os
    import threading

    path = tmp_path / "fifo"
    os.mkfifo(path)
    pkt = Ether() / IP(dst="192.0.2.4") / UDP()
    writer = threading.Thread(target=wrpcapng, args=(str(path), [pkt]))
    writer.start()
    with RawPcapReader(str(path)) as r:
        pairs = r.read_all()
    writer.join()
    assert isinstance(r, RawPcapNgReader) and [d for d, _ in pairs] == [bytes(pkt)]


def test_pcapng_reader_on_a_pcap_file_as_scapys(tmp_path: Path) -> None:
    path = tmp_path / "plain.pcap"
    wrpcap(str(path), [IP() / UDP()])
    with paquet.PcapNgReader(str(path)) as ours, sa.PcapNgReader(str(path)) as theirs:
        assert type(ours).__name__ == type(theirs).__name__ == "PcapReader"
        assert [bytes(p) for p in ours] == [bytes(q) for q in theirs]
