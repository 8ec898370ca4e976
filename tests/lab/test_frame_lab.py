"""Captures as tables on real traffic: a TCP transfer over the ``lossy`` lab's lossy link (with
retransmissions), captured by the client. paquet's columns against tshark's, its flow against
tshark's conversation and retransmission analysis, and the same SQL through DuckDB and
through Spark (4 local workers) on the capture split into many files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sessions_helpers import echo_transfer_captured

pytest.importorskip("pyarrow")

from paquet.frame import flows, read
from paquet.pcap import rdpcap, wrpcap


@pytest.fixture(scope="module")
def lab_capture(lab_module_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    lab = lab_module_factory("lossy")
    pcap = tmp_path_factory.mktemp("framelab") / "lossy.pcap"
    remote = lab["remote"].addr()
    lab["client"].run_for(120, echo_transfer_captured, remote, 10000, 60000, str(pcap))
    return pcap


def tshark(path: Path, *args: str) -> str:
    return subprocess.run(
        ["tshark", "-n", "-r", str(path), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_columns_and_flow_against_tshark(lab_capture: Path) -> None:
    from tests.frame.test_flows import tshark_conversations
    from tests.frame.test_tshark import compare

    assert compare(lab_capture) > 0
    (flow,) = flows(lab_capture).to_pylist()
    key = (6, flow["id.orig_h"], flow["id.orig_p"], flow["id.resp_h"], flow["id.resp_p"])
    counts = (flow["orig_pkts"], flow["orig_bytes"], flow["resp_pkts"], flow["resp_bytes"])
    assert tshark_conversations(lab_capture) == {key: counts}
    # retransmissions: the segments tshark's analysis finds before the next expected sequence
    # number (retransmissions, fast or spurious, and out-of-order segments)
    analysis = (
        "tcp.analysis.retransmission || tcp.analysis.fast_retransmission"
        " || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order"
    )
    out = tshark(lab_capture, "-Y", analysis, "-T", "fields", "-e", "tcp.srcport")
    ports = out.split()
    assert ports, "the lossy link lost nothing: the test means nothing"
    orig = sum(1 for p in ports if int(p) == flow["id.orig_p"])
    assert (flow["orig_retrans"], flow["resp_retrans"]) == (orig, len(ports) - orig)


def test_query_and_spark_agree_on_split_lab_traffic(lab_capture: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    pytest.importorskip("duckdb")
    from pyspark.sql import SparkSession

    import paquet.spark as ps
    from paquet.frame.sql import query

    pkts = rdpcap(str(lab_capture))
    parts = tmp_path / "parts"
    parts.mkdir()
    step = max(1, len(pkts) // 9)
    for i in range(0, len(pkts), step):
        wrpcap(str(parts / f"lab{i // step:03d}.pcap"), pkts[i : i + step])
    assert len(list(parts.iterdir())) >= 8
    assert read(parts).num_rows == len(pkts)
    packet_sql = (
        "SELECT tcp.srcport AS port, count(*) AS n, sum(tcp.len) AS payload,"
        " max(tcp.window_size_value) AS win FROM packets GROUP BY 1 ORDER BY 1"
    )
    flow_sql = (
        "SELECT id.orig_h, id.orig_p, id.resp_h, id.resp_p, orig_pkts, orig_bytes,"
        " resp_pkts, resp_bytes, orig_flags, resp_flags, round(rtt, 6) AS rtt FROM flows"
    )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    spark = (
        SparkSession.builder.master("local[4]")
        .appName("paquet-lab")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    try:
        spark.sparkContext.setLogLevel("ERROR")

        def rows(table: Any) -> list[tuple[Any, ...]]:
            return [tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in table]

        files = sorted(str(p) for p in parts.iterdir())
        ps.packets(spark, str(parts)).createOrReplaceTempView("packets")
        ps.flows(spark, str(parts)).createOrReplaceTempView("flows")
        for sql in (packet_sql, flow_sql):
            want = rows(r.values() for r in query(sql, files).to_pylist())
            got = rows(spark.sql(ps.quote_names(sql)).collect())
            assert got == want and want
        (whole,) = rows(r.values() for r in query(flow_sql, str(lab_capture)).to_pylist())
        assert rows(spark.sql(ps.quote_names(flow_sql)).collect()) == [whole]
    finally:
        spark.stop()
