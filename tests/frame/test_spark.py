"""paquet.spark on 4 local workers gives the answers DuckDB (paquet query) gives on one
machine: packets and flows of traffic split into many files, and of one file cut in byte
ranges. One SparkSession for the module (it takes seconds to start)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("duckdb")

from tests.frame.captures import conversation, mixed
from tests.frame.conftest import DATA

from paquet.frame.sql import query
from paquet.layers import DNS, DNSQR, IP, UDP, Ether
from paquet.pcap import wrpcap

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    path = os.pathsep.join(p for p in sys.path if p)
    os.environ["PYTHONPATH"] = path  # the workers import paquet as the tests do
    session = (
        SparkSession.builder.master("local[4]")
        .appName("paquet-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def traffic() -> list[Any]:
    """Twelve TCP conversations interleaved, DNS queries, the mixed packets."""
    pkts: list[Any] = []
    for k in range(12):
        pkts += conversation(
            1_700_000_000 + k * 0.003, f"192.0.2.{k + 1}", "198.51.100.7", 40000 + k
        )
    for k in range(30):
        p = Ether() / IP(src="192.0.2.99", dst="203.0.113.53") / UDP(sport=5000 + k % 3, dport=53)
        p = p / DNS(id=k, qd=DNSQR(qname=f"h{k % 4}.example"))
        p.time = 1_700_000_000 + k * 0.002
        pkts.append(p)
    pkts += mixed()
    pkts.sort(key=lambda p: float(p.time))
    return pkts


@pytest.fixture(scope="module")
def split_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("split")
    pkts = traffic()
    step = 17
    for i in range(0, len(pkts), step):
        wrpcap(str(d / f"part{i // step:03d}.pcap"), pkts[i : i + step])
    (d / "zz-real.pcapng").write_bytes((DATA / "tshark-lo.pcapng").read_bytes())
    return d


PACKET_SQL = (
    "SELECT ip.src AS src, count(*) AS n, sum(frame.len) AS bytes, sum(tcp.len) AS payload,"
    " count(DISTINCT udp.srcport) AS ports FROM packets GROUP BY 1 ORDER BY 1 NULLS FIRST"
)
FLOW_SQL = (
    "SELECT proto, id.orig_h AS oh, id.orig_p AS op, id.resp_h AS rh, id.resp_p AS rp,"
    " orig_pkts, orig_bytes, resp_pkts, resp_bytes, orig_flags, resp_flags,"
    " round(rtt, 6) AS rtt FROM flows ORDER BY 2, 3, 4, 5, 1"
)


def plain(row: Any) -> tuple[Any, ...]:
    """A result row with DuckDB's decimals (sums of integers) as ints."""
    return tuple(int(v) if isinstance(v, Decimal) else v for v in row)


def duck(sql: str, source: Any) -> list[tuple[Any, ...]]:
    return [plain(r.values()) for r in query(sql, source).to_pylist()]


def sparked(spark: Any, sql: str, df: Any, name: str) -> list[tuple[Any, ...]]:
    import paquet.spark as ps

    df.createOrReplaceTempView(name)
    return [plain(r) for r in spark.sql(ps.quote_names(sql)).collect()]


def test_packets_split_in_files(spark: Any, split_dir: Path) -> None:
    import paquet.spark as ps

    files = sorted(str(p) for p in split_dir.iterdir())
    want = duck(PACKET_SQL, files)
    assert sparked(spark, PACKET_SQL, ps.packets(spark, str(split_dir)), "packets") == want
    got = sparked(spark, PACKET_SQL, ps.packets(spark, files, mode="binaryFile"), "packets")
    assert got == want


def test_flows_split_in_files(spark: Any, split_dir: Path) -> None:
    import paquet.spark as ps

    files = sorted(str(p) for p in split_dir.iterdir())
    want = duck(FLOW_SQL, files)
    assert len(want) > 12
    assert sparked(spark, FLOW_SQL, ps.flows(spark, str(split_dir)), "flows") == want


def test_one_file_in_byte_ranges(spark: Any, tmp_path: Path) -> None:
    import paquet.spark as ps

    big = tmp_path / "big.pcap"
    wrpcap(str(big), traffic() * 3)
    df = ps.packets(spark, str(big), split_size=2000)
    assert df.rdd.getNumPartitions() > 4
    assert sparked(spark, PACKET_SQL, df, "packets") == duck(PACKET_SQL, str(big))
    flows = ps.flows(spark, str(big), split_size=2000)
    assert sparked(spark, FLOW_SQL, flows, "flows") == duck(FLOW_SQL, str(big))


def test_same_columns_as_one_machine(spark: Any, split_dir: Path) -> None:
    import paquet.spark as ps
    from paquet.frame import read

    names = ["frame.time", "ip.ttl", "tcp.seq_raw", "eth.src", "dns.qry.name", "dns.id"]
    df = ps.packets(spark, str(split_dir), names)
    local = read(split_dir, names)
    assert df.columns == local.column_names
    assert [f.dataType.simpleString() for f in df.schema.fields] == [
        "timestamp",
        "smallint",
        "bigint",
        "string",
        "string",
        "bigint",
    ]
    # the same values (times to Spark's microsecond)
    from pyspark.sql import functions as F

    cols = [F.unix_micros(F.col("`frame.time`")), *[F.col(f"`{n}`") for n in names[1:]]]
    got = [tuple(r) for r in df.select(*cols).collect()]
    micros = [t // 1000 for t in local.column("frame.time").cast("int64").to_pylist()]
    rest = [local.column(n).to_pylist() for n in names[1:]]
    want = list(zip(micros, *rest, strict=True))

    def order(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple((v is None, str(v)) for v in row)

    assert sorted(got, key=order) == sorted(want, key=order)
