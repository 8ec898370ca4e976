"""Reading captures as tables: every kind of source, byte ranges, general-dissector columns,
damaged files, and the message when pyarrow is missing."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.frame.conftest import DATA

from paquet.capfile import TruncatedCaptureError
from paquet.errors import CaptureError
from paquet.frame import ByteRange, batches, read, to_pandas, to_polars
from paquet.frame.deps import MissingExtraError
from paquet.frame.names import UnknownFieldError
from paquet.frame.source import splits
from paquet.layers import DNS, DNSQR, IP, UDP, Ether, Raw
from paquet.pcap import rdpcap, wrpcap


def numbers(table: Any) -> list[int]:
    return table.column("frame.time").cast("int64").to_pylist()  # type: ignore[no-any-return]


def test_sources_give_the_same_rows(mixed_pcap: Path, tmp_path: Path) -> None:
    whole = read(mixed_pcap)
    data = mixed_pcap.read_bytes()
    gz = tmp_path / "m.pcap.gz"
    gz.write_bytes(gzip.compress(data))
    for src in (str(mixed_pcap), mixed_pcap, data, io.BytesIO(data), str(gz)):
        assert read(src).equals(whole), src
    # a directory and a glob: their files in name order, numbers going on
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.pcap").write_bytes(data)
    (d / "a.pcap").write_bytes(data)
    t = read(d)
    assert t.num_rows == 2 * whole.num_rows
    assert t.column("frame.number").to_pylist() == list(range(1, t.num_rows + 1))
    assert read(str(d / "*.pcap")).equals(t)
    assert read([d / "a.pcap", d / "b.pcap"]).equals(t)


def test_stdin(mixed_pcap: Path) -> None:
    code = "import sys; from paquet.frame import read; print(read('-').num_rows)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=mixed_pcap.read_bytes(),
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    assert int(out) == len(rdpcap(str(mixed_pcap)))


def test_pcapng_and_every_link_type_match_rdpcap() -> None:
    """Row count and times equal what rdpcap (the packet reader) gives for each real file."""
    for path in sorted(DATA.glob("*.pcap*")):
        t = read(path, ["frame.time", "frame.len"])
        pkts = rdpcap(str(path))
        assert t.num_rows == len(pkts), path
        assert t.column("frame.len").to_pylist() == [p.wirelen or len(p) for p in pkts]
        ours = numbers(t)
        assert [round(x / 1e9, 6) for x in ours] == [round(float(p.time), 6) for p in pkts]


@pytest.mark.parametrize("size", [100, 333, 1000, 4096])
def test_byte_ranges_cover_each_record_once(tmp_path: Path, size: int) -> None:
    pkts = [Ether() / IP(dst="192.0.2.1", id=i) / UDP() / Raw(b"x" * (i % 90)) for i in range(300)]
    path = tmp_path / "r.pcap"
    wrpcap(str(path), pkts)
    ranges = splits(str(path), size)
    assert len(ranges) > 1
    ids = []
    for r in ranges:
        ids += read(r, ["ip.id"]).column("ip.id").to_pylist()
    assert ids == list(range(300))


def test_byte_range_of_pcapng_is_whole_file_once() -> None:
    path = DATA / "tshark-lo.pcapng"
    n = read(path).num_rows
    assert read(ByteRange(str(path), 0, 10)).num_rows == n
    assert read(ByteRange(str(path), 10, None)).num_rows == 0


def test_general_dissector_columns(tmp_path: Path) -> None:
    pkts = [
        Ether()
        / IP(dst="192.0.2.1")
        / UDP(sport=1000, dport=53)
        / DNS(id=7, qd=DNSQR(qname="a.example")),
        Ether() / IP(dst="192.0.2.1") / UDP(sport=1000, dport=9) / Raw(b"no dns"),
    ]
    path = tmp_path / "d.pcap"
    wrpcap(str(path), pkts)
    t = read(path, ["dns.qry.name", "dns.id", "udp.dstport", "ip.dst"], batch_size=1)
    assert t.column_names == ["dns.qry.name", "dns.id", "udp.dstport", "ip.dst"]
    assert t.column("dns.qry.name").to_pylist() == ["a.example", None]
    assert t.column("dns.id").to_pylist() == [7, None]
    with pytest.raises(UnknownFieldError):
        read(path, ["nosuch.thing"])


def test_damaged_capture_gives_rows_before(mixed_pcap: Path, tmp_path: Path) -> None:
    data = mixed_pcap.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[: len(data) - 10])
    full = read(mixed_pcap)
    with pytest.raises(TruncatedCaptureError) as err:
        read(cut, batch_size=4)
    assert err.value.table.num_rows == full.num_rows - 1  # type: ignore[attr-defined]
    assert err.value.table.equals(full.slice(0, full.num_rows - 1))  # type: ignore[attr-defined]
    assert "\n" not in str(err.value)
    # a record claiming more than the link type's maximum
    bad = bytearray(data)
    bad[24 + 8 : 24 + 12] = (10**8).to_bytes(4, "little")
    with pytest.raises(TruncatedCaptureError, match="more than the maximum"):
        read(bytes(bad))


def test_not_a_capture() -> None:
    with pytest.raises(CaptureError, match="not a pcap or pcapng capture"):
        read(b"this is not a capture at all")
    with pytest.raises(CaptureError, match="not a capture file"):
        read(b"")
    with pytest.raises(CaptureError, match="no such file"):
        read("/nonexistent/x.pcap")


def test_pandas_polars(mixed_pcap: Path) -> None:
    df = to_pandas(mixed_pcap, ["ip.src", "tcp.dstport"])
    assert list(df.columns) == ["ip.src", "tcp.dstport"]
    pl = pytest.importorskip("polars")
    p = to_polars(mixed_pcap, ["ip.src"])
    assert isinstance(p, pl.DataFrame) and p.height == len(df)


def test_batches_are_bounded(mixed_pcap: Path) -> None:
    sizes = [b.num_rows for b in batches(mixed_pcap, batch_size=7)]
    assert max(sizes) <= 7 and sum(sizes) == read(mixed_pcap).num_rows


def test_missing_pyarrow_says_which_extra(
    hide_module: Callable[[str], None], mixed_pcap: Path
) -> None:
    hide_module("pyarrow")
    with pytest.raises(MissingExtraError, match=r"pip install 'paquet\[data\]'"):
        read(mixed_pcap)


@pytest.mark.parametrize("cut", [300, 900, 1876])
def test_damaged_pcapng_gives_rows_before(cut: int) -> None:
    data = (DATA / "tshark-lo.pcapng").read_bytes()
    full = read(data)
    with pytest.raises(TruncatedCaptureError) as err:
        read(data[:cut], batch_size=2)
    table = err.value.table  # type: ignore[attr-defined]
    assert 0 <= table.num_rows <= full.num_rows
    assert table.equals(full.slice(0, table.num_rows))
    assert len(rdpcap_before(data[:cut])) == table.num_rows


def rdpcap_before(data: bytes) -> list[object]:
    """The packets rdpcap reads before the damage."""
    try:
        return list(rdpcap(io.BytesIO(data)))
    except TruncatedCaptureError as exc:
        return list(exc.packets)


def test_binary_addresses(mixed_pcap: Path) -> None:
    import socket

    names = ["ip.src", "ipv6.dst"]
    text = read(mixed_pcap, names).to_pylist()
    raw = read(mixed_pcap, names, binary_addresses=True)
    assert [str(t) for t in raw.schema.types] == ["fixed_size_binary[4]", "fixed_size_binary[16]"]
    for t, b in zip(text, raw.to_pylist(), strict=True):
        assert b["ip.src"] == (t["ip.src"] and socket.inet_pton(socket.AF_INET, t["ip.src"]))
        assert b["ipv6.dst"] == (t["ipv6.dst"] and socket.inet_pton(socket.AF_INET6, t["ipv6.dst"]))


def test_missing_pyspark_says_which_extra(hide_module: Callable[[str], None]) -> None:
    import paquet.spark

    hide_module("pyspark")
    with pytest.raises(MissingExtraError, match=r"pip install 'paquet\[spark\]'"):
        paquet.spark.packets(None, "x.pcap")
