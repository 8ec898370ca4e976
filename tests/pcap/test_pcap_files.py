"""pcap and pcapng files: what tcpdump, tshark, editcap and Scapy write, we read the same; what
we write, tshark and Scapy read the same (counts, timestamps, lengths, bytes, comments)."""

from __future__ import annotations

import gzip
import io
import shutil
import struct
import subprocess
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pcap_helpers import data_fixture, tshark_fixture  # noqa: F401
from scapy.utils import RawPcapNgReader, RawPcapReader

from paquet import errors
from paquet.pcap import (
    PcapReader,
    PcapWriter,
    RawPacket,
    TruncatedCaptureError,
    capture_format,
    open_capture,
    rdpcap,
    wrpcap,
)
from paquet.pcapng import (
    Interface,
    InterfaceStatistics,
    NameRecord,
    PcapNgReader,
    PcapNgWriter,
    wrpcapng,
)

TsharkFields = Callable[..., list[list[str]]]

CAPTURES = [
    ("tcpdump-lo.pcap", 1),
    ("tshark-lo.pcapng", 1),
    ("tcpdump-any-sll.pcap", 113),
    ("tcpdump-any-sll2.pcap", 276),
    ("nsec.pcap", 1),
    ("comments.pcapng", 1),
    ("bigendian.pcap", 1),
    ("null-loopback.pcap", 0),
]


def scapy_raw(path: Path) -> list[bytes]:
    """The records' bytes as Scapy's raw readers see them (the byte-level reference)."""
    reader_cls = RawPcapNgReader if capture_format(path) == "pcapng" else RawPcapReader
    with reader_cls(str(path)) as reader:
        return [data for data, _meta in reader]


def epoch_ns(text: str) -> int:
    """tshark's ``frame.time_epoch`` (``1795321785.667632431``) as integer nanoseconds."""
    return int(Decimal(text) * 1_000_000_000)


@pytest.mark.parametrize(("name", "linktype"), CAPTURES)
def test_read_real_captures_like_tshark(
    data: Path, tshark: TsharkFields, name: str, linktype: int
) -> None:
    path = data / name
    with open_capture(path, raw=True) as reader:
        records = list(reader)
        assert reader.linktype == linktype
    expected = tshark(path, "frame.time_epoch", "frame.len", "frame.cap_len", "frame.comment")
    assert len(records) == len(expected) > 0
    for rec, (epoch, wirelen, caplen, comment) in zip(records, expected, strict=True):
        assert rec.linktype == linktype
        assert rec.time_ns == epoch_ns(epoch)
        assert abs(rec.time - float(epoch)) < 1e-6
        assert (rec.wirelen, len(rec)) == (int(wirelen), int(caplen))
        got = [c.decode() for c in rec.comments] if rec.comments else []
        assert got == ([comment] if comment else [])
    assert [bytes(r) for r in records] == scapy_raw(path)


def test_pcapng_interfaces_and_section(data: Path, tshark: TsharkFields) -> None:
    with PcapNgReader(data / "tshark-lo.pcapng", raw=True) as reader:
        # The section header and interface are known before the first packet is read.
        assert reader.interfaces[0].name == "lo"
        assert reader.interfaces[0].tsresol == 10**9
        records = list(reader)
        assert reader.section.userappl is not None and "Dumpcap" in reader.section.userappl
        assert reader.statistics, "tshark writes an interface statistics block at the end"
    names = [row[0] for row in tshark(data / "tshark-lo.pcapng", "frame.interface_name")]
    assert [r.sniffed_on for r in records] == names
    assert all(r.interface is reader.interfaces[0] for r in records)


def test_pcap_reader_opens_pcapng_as_scapy_does(data: Path) -> None:
    reader = PcapReader(data / "tshark-lo.pcapng", raw=True)
    assert isinstance(reader, PcapNgReader)
    reader.close()


def write_and_check(
    tmp_path: Path, tshark: TsharkFields, suffix: str, **kwargs: object
) -> list[list[str]]:
    """Copy tcpdump-lo.pcap through our writer; check tshark reads the same packets back."""
    src = rdpcap(Path(__file__).parent.parent / "data" / "tcpdump-lo.pcap", raw=True)
    out = tmp_path / f"out{suffix}"
    wrpcap(out, src, **kwargs)  # type: ignore[arg-type]
    fields = ("frame.time_epoch", "frame.len", "ip.src", "ip.dst", "udp.dstport", "icmp.type")
    ours = tshark(out, *fields)
    reference = tshark(Path(__file__).parent.parent / "data" / "tcpdump-lo.pcap", *fields)
    assert ours == reference
    assert scapy_raw(out) == [bytes(r) for r in src]
    return ours


def test_written_pcap_read_by_tshark(tmp_path: Path, tshark: TsharkFields) -> None:
    write_and_check(tmp_path, tshark, ".pcap")
    head = (tmp_path / "out.pcap").read_bytes()[:4]
    assert head == struct.pack("<I", 0xA1B2C3D4)


def test_written_nano_pcap_read_by_tshark(tmp_path: Path, tshark: TsharkFields) -> None:
    write_and_check(tmp_path, tshark, ".pcap", nano=True)
    assert (tmp_path / "out.pcap").read_bytes()[:4] == struct.pack("<I", 0xA1B23C4D)


def test_written_pcapng_read_by_tshark(tmp_path: Path, tshark: TsharkFields) -> None:
    write_and_check(tmp_path, tshark, ".pcapng")
    assert capture_format(tmp_path / "out.pcapng") == "pcapng"


def test_nanoseconds_survive_a_round_trip(data: Path, tmp_path: Path, tshark: TsharkFields) -> None:
    src = rdpcap(data / "tshark-lo.pcapng", raw=True)
    assert any(r.time_ns % 1000 for r in src), "tshark's file has sub-microsecond digits"
    for name in ("out.pcap", "out.pcapng"):
        wrpcap(tmp_path / name, src, nano=True)
        back = rdpcap(tmp_path / name, raw=True)
        assert [r.time_ns for r in back] == [r.time_ns for r in src]
        stamps = [epoch_ns(row[0]) for row in tshark(tmp_path / name, "frame.time_epoch")]
        assert stamps == [r.time_ns for r in src]


def test_big_endian_writer(tmp_path: Path, tshark: TsharkFields, data: Path) -> None:
    src = rdpcap(data / "tcpdump-lo.pcap", raw=True)
    with PcapWriter(tmp_path / "be.pcap", endianness=">") as w:
        w.write(src)
    assert (tmp_path / "be.pcap").read_bytes()[:4] == b"\xa1\xb2\xc3\xd4"
    ours = tshark(tmp_path / "be.pcap", "frame.time_epoch", "frame.len")
    assert ours == tshark(data / "tcpdump-lo.pcap", "frame.time_epoch", "frame.len")


def test_pcapng_comments_names_and_interfaces_written(tmp_path: Path) -> None:
    out = tmp_path / "annotated.pcapng"
    eth = bytes.fromhex("ffffffffffff00000000000108004500001c0001000040110000c0000201c0000202")
    ip4 = bytes.fromhex("4500001c000100004011f77bc0000201c0000202") + bytes(8)
    with PcapNgWriter(
        out, comment="lab 3", names=[NameRecord("192.0.2.1", ["alice.example"])]
    ) as w:
        w.write(
            RawPacket(eth + bytes(8), time=1700000000.25, comments=[b"hello"], sniffed_on="veth0")
        )
        w.write(RawPacket(ip4, time=1700000001.5, linktype=228, comments=["second", "two"]))
        w.write(RawPacket(eth + bytes(8), time=1700000002.0, sniffed_on="veth1"))
    shark = subprocess.run(
        [
            "tshark",
            "-r",
            str(out),
            "-N",
            "n",
            "-T",
            "fields",
            "-E",
            "separator=|",
            "-e",
            "frame.comment",
            "-e",
            "frame.interface_name",
            "-e",
            "ip.src_host",
            "-e",
            "frame.time_epoch",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shark == [
        "hello|veth0|alice.example|1700000000.250000000",
        "second,two|unknown|alice.example|1700000001.500000000",
        "|veth1|alice.example|1700000002.000000000",
    ]
    info = subprocess.run(["capinfos", str(out)], capture_output=True, text=True).stdout
    assert "lab 3" in info
    with PcapNgReader(out, raw=True) as r:
        recs = list(r)
        assert [i.linktype for i in r.interfaces] == [1, 228, 1]
        assert r.names == [NameRecord("192.0.2.1", ["alice.example"])]
        assert r.section.comments == ["lab 3"]
    assert [rec.comments for rec in recs] == [[b"hello"], [b"second", b"two"], None]


def test_interface_statistics_round_trip(tmp_path: Path, tshark: TsharkFields) -> None:
    out = tmp_path / "stats.pcapng"
    stats = InterfaceStatistics(
        0,
        1700000001.5,
        start=1700000000.25,
        end=1700000001.5,
        received=10,
        dropped=1,
        filter_accepted=7,
        os_dropped=2,
        delivered=5,
        comments=["counted"],
    )
    with PcapNgWriter(out, nano=True) as w:
        w.write(RawPacket(bytes(60), time=1700000000.5))
        w.write_statistics(stats)
    with PcapNgReader(out, raw=True) as r:
        assert len(list(r)) == 1
        assert r.statistics == [stats]
    assert len(tshark(out, "frame.number")) == 1


def test_pcapng_copy_keeps_everything(data: Path, tmp_path: Path, tshark: TsharkFields) -> None:
    """Read a pcapng, write it back: packets, comments, interface options, names survive."""
    src = data / "comments.pcapng"
    out = tmp_path / "copy.pcapng"
    with PcapNgReader(src, raw=True) as r:
        records = list(r)
        with PcapNgWriter(out, comment=r.section.comments, names=r.names) as w:
            w.write(records)
        names = [("192.0.2.9", ["nine.example"])]
        w2 = PcapNgWriter(tmp_path / "named.pcapng", names=[NameRecord(*n) for n in names])
        w2.write(records[:1])
        w2.close()
    fields = ("frame.time_epoch", "frame.len", "frame.comment", "frame.interface_name", "ip.dst")
    assert tshark(out, *fields) == tshark(src, *fields)
    with PcapNgReader(tmp_path / "named.pcapng", raw=True) as back:
        list(back)
        assert back.names == [NameRecord("192.0.2.9", ["nine.example"])]
        assert back.interfaces[0].name == "lo"
        assert back.interfaces[0].tsresol == 10**9


def test_several_sections_and_unknown_blocks(
    data: Path, tmp_path: Path, tshark: TsharkFields
) -> None:
    one = (data / "tshark-lo.pcapng").read_bytes()
    # A custom block (type 0x00000BAD, 16 bytes) between the two sections, to be skipped.
    custom = struct.pack("<II", 0xBAD, 16) + b"junk" + struct.pack("<I", 16)
    merged = tmp_path / "two.pcapng"
    merged.write_bytes(one + custom + one)
    recs = rdpcap(merged, raw=True)
    assert len(recs) == 2 * len(tshark(data / "tshark-lo.pcapng", "frame.number"))
    with PcapNgReader(merged, raw=True) as r:
        list(r)
        assert len(r.sections) == 2


def test_big_endian_pcapng_and_power_of_two_resolution(
    tmp_path: Path, tshark: TsharkFields
) -> None:
    out = tmp_path / "be.pcapng"
    iface = Interface(linktype=101, name="tun0", tsresol=1 << 20, tsoffset=1000)
    pkt = bytes.fromhex("4500001c000100004011f77bc0000201c0000202") + bytes(8)
    with PcapNgWriter(out, endianness=">", interfaces=[iface]) as w:
        w.write_packet(RawPacket(pkt, time=1700000000.5), ifindex=0)
        w.write_packet(RawPacket(pkt, time=1700000000.75), ifindex=0)
    assert out.read_bytes()[8:12] == b"\x1a\x2b\x3c\x4d"
    rows = tshark(out, "frame.time_epoch", "ip.dst", "frame.interface_name")
    assert rows == [
        ["1700000000.500000000", "192.0.2.2", "tun0"],
        ["1700000000.750000000", "192.0.2.2", "tun0"],
    ]
    back = rdpcap(out, raw=True)
    assert [r.time for r in back] == [1700000000.5, 1700000000.75]


def simple_packet_block(body: bytes, wirelen: int) -> bytes:
    padded = body + bytes(-len(body) % 4)
    return (
        struct.pack("<III", 3, 16 + len(padded), wirelen)
        + padded
        + struct.pack("<I", 16 + len(padded))
    )


def test_simple_packet_blocks(tmp_path: Path, tshark: TsharkFields) -> None:
    buf = io.BytesIO()
    with PcapNgWriter(buf, interfaces=[Interface(linktype=228, snaplen=65535)]) as w:
        w.write_header()
    frame = bytes.fromhex("4500001c000100004011f77bc0000201c0000202") + bytes(8)
    path = tmp_path / "spb.pcapng"
    path.write_bytes(
        buf.getvalue() + simple_packet_block(frame, 28) + simple_packet_block(frame[:21], 21)
    )
    assert tshark(path, "frame.len", "ip.dst") == [["28", "192.0.2.2"], ["21", "192.0.2.2"]]
    assert [bytes(r) for r in rdpcap(path, raw=True)] == [frame, frame[:21]]


def test_gzip_capture(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "lo.pcap.gz"
    path.write_bytes(gzip.compress((data / "tcpdump-lo.pcap").read_bytes()))
    assert rdpcap(path, raw=True) == rdpcap(data / "tcpdump-lo.pcap", raw=True)
    written = tmp_path / "ours.pcap.gz"
    wrpcap(written, rdpcap(data / "tcpdump-lo.pcap", raw=True), gz=True)
    assert gzip.decompress(written.read_bytes()) == (data / "tcpdump-lo.pcap").read_bytes()


def test_append(data: Path, tmp_path: Path, tshark: TsharkFields) -> None:
    src = rdpcap(data / "nsec.pcap", raw=True)
    for name in ("a.pcap", "a.pcapng"):
        wrpcap(tmp_path / name, src[:5], nano=True)
        wrpcap(tmp_path / name, src[5:], append=True)
        assert rdpcap(tmp_path / name, raw=True) == src
        assert len(tshark(tmp_path / name, "frame.number")) == len(src)
    # Appending keeps the existing file's format: nanoseconds stay nanoseconds.
    assert (tmp_path / "a.pcap").read_bytes()[:4] == struct.pack("<I", 0xA1B23C4D)


def test_appending_another_link_type_is_refused(tmp_path: Path) -> None:
    wrpcap(tmp_path / "e.pcap", [RawPacket(bytes(20), time=1.0)])
    with pytest.raises(errors.CaptureError, match="link type"):
        wrpcap(tmp_path / "e.pcap", [RawPacket(bytes(20), time=2.0)], linktype=101, append=True)


def test_reader_api(data: Path) -> None:
    with PcapReader(data / "tcpdump-lo.pcap", raw=True) as r:
        first = r.read_packet()
        some = r.read_all(3)
        rest = r.read_all()
    assert len(some) == 3 and len(rest) == 10
    assert first.time < some[0].time
    assert len(rdpcap(data / "tcpdump-lo.pcap", 4, raw=True)) == 4
    with PcapReader(data / "null-loopback.pcap", raw=True) as r:
        r.read_all()
        with pytest.raises(EOFError):
            r.read_packet()


def truncations(path: Path) -> tuple[bytes, list[tuple[int, int]]]:
    """A file's bytes and its records' (start, end) offsets, from Scapy-independent parsing."""
    raw = path.read_bytes()
    spans = []
    pos = 24
    while pos < len(raw):
        caplen = struct.unpack_from("<I", raw, pos + 8)[0]
        spans.append((pos, pos + 16 + caplen))
        pos += 16 + caplen
    return raw, spans


def test_truncated_pcap_gives_every_packet_before_the_cut(data: Path, tmp_path: Path) -> None:
    raw, spans = truncations(data / "tcpdump-lo.pcap")
    full = rdpcap(data / "tcpdump-lo.pcap", raw=True)
    cut_file = tmp_path / "cut.pcap"
    for cut in range(24, len(raw)):
        cut_file.write_bytes(raw[:cut])
        complete = sum(1 for _s, e in spans if e <= cut)
        boundary = cut == 24 or cut in {e for _s, e in spans}
        got = []
        with PcapReader(cut_file, raw=True) as reader:
            if boundary:
                got = list(reader)
            else:
                with pytest.raises(TruncatedCaptureError) as info:
                    got.extend(reader)
                start = next(s for s, e in spans if s < cut < e or s == cut)
                assert info.value.offset == start
                assert f"offset {start}" in str(info.value)
        assert got == full[:complete], cut


def test_rdpcap_on_damage_keeps_packets_read(data: Path, tmp_path: Path) -> None:
    raw, spans = truncations(data / "tcpdump-lo.pcap")
    bad = bytearray(raw)
    start = spans[4][0]
    struct.pack_into("<I", bad, start + 8, 0x7FFFFFFF)  # absurd captured length
    path = tmp_path / "bad.pcap"
    path.write_bytes(bytes(bad))
    with pytest.raises(
        TruncatedCaptureError, match=f"offset {start}: record 5 claims 2147483647 bytes"
    ) as info:
        rdpcap(path, raw=True)
    assert info.value.packets == rdpcap(data / "tcpdump-lo.pcap", raw=True)[:4]


def pcapng_blocks(raw: bytes) -> list[tuple[int, int, int]]:
    out = []
    pos = 0
    while pos < len(raw):
        btype, blen = struct.unpack_from("<II", raw, pos)
        out.append((btype, pos, pos + blen))
        pos += blen
    return out


def test_truncated_pcapng(data: Path, tmp_path: Path) -> None:
    raw = (data / "comments.pcapng").read_bytes()
    blocks = pcapng_blocks(raw)
    full = rdpcap(data / "comments.pcapng", raw=True)
    first_packet = next(s for t, s, _e in blocks if t == 6)
    path = tmp_path / "cut.pcapng"
    for cut in range(first_packet, len(raw), 3):
        path.write_bytes(raw[:cut])
        complete = sum(1 for t, _s, e in blocks if t == 6 and e <= cut)
        broken = [s for _t, s, e in blocks if s < cut < e]
        got: list[RawPacket] = []
        with PcapNgReader(path, raw=True) as reader:
            if broken:
                with pytest.raises(TruncatedCaptureError, match=f"offset {broken[0]}"):
                    got.extend(reader)
            else:
                got = list(reader)
        assert got == full[:complete]


def test_damaged_pcapng_trailer(data: Path, tmp_path: Path) -> None:
    raw = bytearray((data / "tshark-lo.pcapng").read_bytes())
    epbs = [b for b in pcapng_blocks(bytes(raw)) if b[0] == 6]
    _t, start, end = epbs[2]
    struct.pack_into("<I", raw, end - 4, 12345)
    path = tmp_path / "bad.pcapng"
    path.write_bytes(bytes(raw))
    with pytest.raises(TruncatedCaptureError, match=f"offset {start}: .*trailing length") as info:
        rdpcap(path, raw=True)
    assert len(info.value.packets) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a capture file"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "not a pcap or pcapng capture"),
        (b"\xd4\xc3\xb2\xa1\x02\x00", "truncated pcap header"),
    ],
)
def test_not_a_capture(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    with pytest.raises(errors.CaptureError, match=message) as info:
        rdpcap(path)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.CaptureError, match="cannot open"):
        open_capture(tmp_path / "absent.pcap")


def test_streaming_memory_is_flat(tmp_path: Path) -> None:
    """Reading a 24 MB file keeps a few MB allocated at most (records are not accumulated)."""
    path = tmp_path / "big.pcap"
    payload = bytes(1400)
    with PcapWriter(path, linktype=1) as w:
        for i in range(16_000):
            w.write_packet(RawPacket(payload, time=1700000000 + i / 1000))
    tracemalloc.start()
    try:
        n = 0
        total = 0
        for rec in PcapReader(path, raw=True):
            n += 1
            total += len(rec)
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == 16_000 and total == 16_000 * 1400
    assert peak < 6 * 1024 * 1024


def test_writer_accepts_file_objects_and_bytes(tmp_path: Path) -> None:
    buf = io.BytesIO()
    wrpcap(buf, [b"\x00" * 14, b"\x01" * 20], linktype=1)
    buf.seek(0)
    assert [bytes(r) for r in PcapReader(buf, raw=True)] == [b"\x00" * 14, b"\x01" * 20]
    buf = io.BytesIO()
    wrpcapng(buf, b"\x02" * 30)
    buf.seek(0)
    assert [bytes(r) for r in open_capture(buf, raw=True)] == [b"\x02" * 30]


@pytest.mark.skipif(shutil.which("tcpdump") is None, reason="needs tcpdump")
def test_tcpdump_reads_our_pcap(data: Path, tmp_path: Path) -> None:
    wrpcap(tmp_path / "o.pcap", rdpcap(data / "tcpdump-lo.pcap", raw=True))
    ours = subprocess.run(
        ["tcpdump", "-nn", "-tt", "-r", str(tmp_path / "o.pcap")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ref = subprocess.run(
        ["tcpdump", "-nn", "-tt", "-r", str(data / "tcpdump-lo.pcap")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ours == ref and ours.count("\n") == 14
