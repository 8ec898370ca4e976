"""``paquet convert`` and ``paquet query`` in-process: results against rdpcap (the packet
reader) and against the library, every output format, damaged captures."""

from __future__ import annotations

import collections
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from paquet.cli.main import main
from paquet.frame import flows, read
from paquet.pcap import rdpcap

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("duckdb")


def src_counts(path: Path) -> dict[str, int]:
    """IPv4 sources counted by the packet reader (rdpcap and the IP layer)."""
    return dict(collections.Counter(p["IP"].src for p in rdpcap(str(path)) if p.haslayer("IP")))


def test_query_csv(mixed_pcap: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT ip.src, count(*) AS n FROM packets WHERE ip.src IS NOT NULL GROUP BY 1"
    assert main(["query", sql, str(mixed_pcap), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["ip.src"]: int(r["n"]) for r in rows} == src_counts(mixed_pcap)


def test_query_json_two_captures_and_columns_read_for_it(
    mixed_pcap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = (
        "SELECT dns.qry.name, count(*) AS n FROM packets WHERE dns.qry.name IS NOT NULL GROUP BY 1"
    )
    assert main(["query", sql, str(mixed_pcap), str(mixed_pcap), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [{"dns.qry.name": "www.example.com", "n": 2}]


def test_query_flows_table_and_parquet(mixed_pcap: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.parquet"
    sql = "SELECT id.orig_h, id.resp_p, orig_pkts FROM flows ORDER BY ts, id.orig_p"
    assert main(["query", sql, str(mixed_pcap), "--format", "parquet", "-o", str(out)]) == 0
    got = pq.read_table(out)
    want = flows(mixed_pcap).select(["id.orig_h", "id.resp_p", "orig_pkts"]).to_pylist()
    assert sorted(map(str, got.to_pylist())) == sorted(map(str, want))


def test_query_table_output_and_empty_result(
    mixed_pcap: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "query",
                "SELECT tcp.dstport FROM packets WHERE tcp.flags.syn LIMIT 1",
                str(mixed_pcap),
            ]
        )
        == 0
    )
    assert "tcp.dstport" in capsys.readouterr().out
    assert main(["query", "SELECT * FROM packets WHERE ip.ttl > 255", str(mixed_pcap)]) == 1


def test_query_errors(mixed_pcap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "SELEC nonsense", str(mixed_pcap)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error:") and err.count("\n") == 1
    data = mixed_pcap.read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[:-10])
    assert main(["query", "SELECT count(*) AS n FROM packets", str(cut), "--format", "csv"]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1] == str(read(mixed_pcap).num_rows - 1)
    assert captured.err.count("\n") == 1 and "damaged capture" in captured.err


def test_convert(mixed_pcap: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    assert main(["convert", str(mixed_pcap), str(out), "--no-progress"]) == 0
    assert pq.read_table(out).equals(read(mixed_pcap))
    assert pq.ParquetFile(out).metadata.row_group(0).column(0).compression == "ZSTD"
    out2 = tmp_path / "f.parquet"
    assert main(["convert", str(mixed_pcap), str(out2), "--flows", "--progress"]) == 0
    assert pq.read_table(out2).equals(flows(mixed_pcap))
    sel = tmp_path / "s.parquet"
    assert main(["convert", str(mixed_pcap), str(sel), "--fields", "ip.src,dns.qry.name"]) == 0
    assert pq.read_table(sel).column_names == ["ip.src", "dns.qry.name"]


@pytest.mark.parametrize("how", ["hour", "file"])
def test_convert_partitioned(mixed_pcap: Path, tmp_path: Path, how: str) -> None:
    import pyarrow.dataset as ds

    other = tmp_path / "other.pcap"
    other.write_bytes(mixed_pcap.read_bytes())
    out = tmp_path / "parts"
    assert main(["convert", str(mixed_pcap), str(other), str(out), "--partition", how]) == 0
    dirs = sorted(p.name for p in out.iterdir())
    assert all(d.startswith(f"{how}=") for d in dirs)
    if how == "file":
        assert dirs == ["file=mixed.pcap", "file=other.pcap"]
    else:
        hours = {
            t.strftime("%Y-%m-%dT%H") for t in read(mixed_pcap).column("frame.time").to_pylist()
        }
        assert dirs == sorted(f"hour={h}" for h in hours)
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 2 * read(mixed_pcap).num_rows


def test_convert_damaged(
    mixed_pcap: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(mixed_pcap.read_bytes()[:-10])
    out = tmp_path / "p.parquet"
    assert main(["convert", str(cut), str(out)]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert pq.read_table(out).num_rows == read(mixed_pcap).num_rows - 1
    assert main(["convert", str(mixed_pcap)]) == 2


def test_query_stdin_both_tables(
    mixed_pcap: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Stdin:
        buffer = io.BytesIO(mixed_pcap.read_bytes())

    monkeypatch.setattr("sys.stdin", Stdin())
    sql = "SELECT (SELECT count(*) FROM packets) AS p, (SELECT count(*) FROM flows) AS f"
    assert main(["query", sql, "-", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row == {"p": len(rdpcap(str(mixed_pcap))), "f": flows(mixed_pcap).num_rows}


def test_query_without_duckdb_says_which_extra(
    mixed_pcap: Path, hide_module: Callable[[str], None], capsys: pytest.CaptureFixture[str]
) -> None:
    hide_module("duckdb")
    assert main(["query", "SELECT 1", str(mixed_pcap)]) == 2
    assert capsys.readouterr().err == (
        "paquet: error: duckdb is not installed: pip install 'paquet[data]'\n"
    )


def test_query_self_joins(mixed_pcap: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table named twice (a join with itself) is scanned twice."""
    sql = "SELECT count(*) AS n FROM packets a JOIN packets b ON a.ip.src = b.ip.src"
    assert main(["query", sql, str(mixed_pcap), "--format", "csv"]) == 0
    counts = src_counts(mixed_pcap)
    assert capsys.readouterr().out.split() == ["n", str(sum(c * c for c in counts.values()))]
    sql = "SELECT count(*) AS n FROM flows a JOIN flows b ON a.proto = b.proto"
    assert main(["query", sql, str(mixed_pcap), "--format", "csv"]) == 0
    protos = collections.Counter(flows(mixed_pcap).column("proto").to_pylist())
    assert capsys.readouterr().out.split() == ["n", str(sum(c * c for c in protos.values()))]
