"""Captures as Spark DataFrames, when one machine is not enough: ``paquet[spark]``.

Spark reads the captures and hands them to paquet's reader with ``mapInArrow``: no cluster
code of paquet's own, a plain PySpark job (paquet must be installed on the workers).

- ``mode="ranges"`` (default): pcap files on a file system every worker sees are cut in byte
  ranges of about ``split_size`` bytes; each task reads the records that start in its range
  (:class:`paquet.frame.ByteRange`: a record boundary is found from the range's start). pcapng
  and gzip files are read whole by one task.
- ``mode="binaryFile"``: Spark's ``binaryFile`` source reads each file whole (object stores,
  anything Hadoop reads); one task per file.

:func:`packets` gives the columns of :func:`paquet.frame.read`, with the same names, in
Spark's types: unsigned integers widen to the signed type that holds them (uint8 -> short,
uint16 -> int, uint32 and uint64 -> long), timestamps are in microseconds (Spark's
resolution), columns of the general dissector are integers, booleans or strings by their
kind (strings when their values are bytes, options or packets). Names hold dots: quote them in
backticks in Spark SQL (:func:`quote_names` does it). ``frame.number`` counts within a task.

:func:`flows` computes partial flows per task, then merges those of one 5-tuple in a second
stage (a flow that crosses files or ranges is one flow; retransmissions that straddle two
ranges are not seen).

>>> quote_names("SELECT ip.src, count(*) FROM packets GROUP BY 1")
'SELECT `ip.src`, count(*) FROM packets GROUP BY 1'
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

from paquet.frame import flowtable as _flows
from paquet.frame import quick
from paquet.frame.deps import need
from paquet.frame.reader import DEFAULT_FIELDS, DERIVED, extra_type, schema
from paquet.frame.source import ByteRange, expand, splits

__all__ = ["flows", "packets", "quote_names", "spark_schema"]

#: Default size of the byte ranges a pcap file is cut in.
SPLIT_SIZE = 64 << 20


def quote_names(sql: str) -> str:
    """``sql`` with its dotted column names in backticks, for Spark SQL."""
    from paquet.frame.sql import quote_names as quote

    return quote(sql, quote="`")


def _spark_arrow_type(pa: Any, typ: Any) -> Any:
    """The Arrow type Spark exchanges for a column of Arrow type ``typ``."""
    if pa.types.is_dictionary(typ):
        return _spark_arrow_type(pa, typ.value_type)
    if pa.types.is_uint8(typ):
        return pa.int16()
    if pa.types.is_uint16(typ):
        return pa.int32()
    if pa.types.is_uint32(typ) or pa.types.is_uint64(typ):
        return pa.int64()
    if pa.types.is_timestamp(typ):
        return pa.timestamp("us", tz="UTC")
    if pa.types.is_fixed_size_binary(typ):
        return pa.binary()
    return typ


def _target(fields: Sequence[str] | None, binary: bool, kind: str) -> Any:
    """The Arrow schema of the batches handed to Spark."""
    pa = need("pyarrow")
    if kind == "flows":
        base = _flows.partial_schema()
    else:
        names = list(DEFAULT_FIELDS if fields is None else fields)
        known = [f for f in names if f in quick.QUICK_NAMES or f in DERIVED]
        quick_schema = schema(known, binary_addresses=binary)
        base = pa.schema(
            [
                quick_schema.field(f)
                if f in quick_schema.names
                else pa.field(f, extra_type(f) or pa.string())
                for f in names
            ]
        )
    return pa.schema([pa.field(f.name, _spark_arrow_type(pa, f.type)) for f in base])


def spark_schema(fields: Sequence[str] | None = None, *, binary_addresses: bool = False) -> Any:
    """The Spark ``StructType`` of :func:`packets` with these arguments."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(_target(fields, binary_addresses, "packets"))


def _cast(batch: Any, target: Any) -> Any:
    pa = need("pyarrow")
    pc = need("pyarrow.compute")
    cols = []
    for f in target:
        col = batch.column(batch.schema.get_field_index(f.name))
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        if pa.types.is_timestamp(col.type) and col.type.unit == "ns":
            col = pc.cast(col, f.type, safe=False)
        elif col.type != f.type:
            if pa.types.is_string(f.type) and not pa.types.is_string(col.type):
                col = pa.array(
                    [None if v is None else str(v) for v in col.to_pylist()], pa.string()
                )
            else:
                col = col.cast(f.type)
        cols.append(col)
    return pa.RecordBatch.from_arrays(cols, schema=target)


def _inputs(row: dict[str, Any]) -> Any:
    if "content" in row:
        return row["content"]
    return ByteRange(row["path"], row["start"], row["end"])


class _Task:
    """What each Spark task runs (picklable): input rows -> Arrow batches of packets or
    partial flows."""

    def __init__(self, fields: list[str] | None, binary: bool, kind: str, batch_size: int) -> None:
        self.fields, self.binary, self.kind, self.batch_size = fields, binary, kind, batch_size

    def __call__(self, batches_in: Iterator[Any]) -> Iterator[Any]:
        from paquet.frame.reader import batches

        target = _target(self.fields, self.binary, self.kind)
        for inp in batches_in:
            for row in inp.to_pylist():
                src = _inputs(row)
                if self.kind == "flows":
                    state = _flows.FlowTable()
                    for b in batches(src, _flows.PACKET_FIELDS, batch_size=self.batch_size):
                        state.update(b)
                    for b in state.partials().to_batches():
                        yield _cast(b, target)
                else:
                    for b in batches(
                        src, self.fields, batch_size=self.batch_size, binary_addresses=self.binary
                    ):
                        yield _cast(b, target)


def _source_df(spark: Any, paths: Any, mode: str, split_size: int) -> Any:
    if mode == "binaryFile":
        items = [os.fspath(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
        df = spark.read.format("binaryFile").load(items).select("path", "content")
        return df.repartition(max(1, len(df.inputFiles())))  # one task per file
    if mode != "ranges":
        raise ValueError("mode must be 'ranges' or 'binaryFile'")
    ranges: list[ByteRange] = []
    for item in expand(paths):
        if not isinstance(item, str | os.PathLike):
            raise ValueError("Spark reads files: give paths, directories or globs")
        ranges += splits(os.path.abspath(os.fspath(item)), split_size)  # as the workers see it
    rows = [(r.path, r.start, r.end) for r in ranges]
    df = spark.createDataFrame(rows, "path string, start long, `end` long")
    return df.repartition(max(1, len(rows)))


def packets(
    spark: Any,
    paths: Any,
    fields: Sequence[str] | None = None,
    *,
    mode: str = "ranges",
    split_size: int = SPLIT_SIZE,
    binary_addresses: bool = False,
    batch_size: int = 65536,
) -> Any:
    """A DataFrame of the packets of the captures ``paths`` (files, directories, globs;
    with ``mode="binaryFile"`` anything Spark's binaryFile source loads)."""
    need("pyspark")
    df = _source_df(spark, paths, mode, split_size)
    target = _target(fields, binary_addresses, "packets")
    task = _Task(None if fields is None else list(fields), binary_addresses, "packets", batch_size)
    from pyspark.sql.pandas.types import from_arrow_schema

    return df.mapInArrow(task, from_arrow_schema(target))


def flows(
    spark: Any,
    paths: Any,
    *,
    mode: str = "ranges",
    split_size: int = SPLIT_SIZE,
    batch_size: int = 65536,
) -> Any:
    """A DataFrame of the flows of the captures ``paths`` (columns of
    :data:`paquet.frame.flowtable.FLOW_FIELDS`): partial flows per task, merged per 5-tuple."""
    need("pyspark")
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    df = _source_df(spark, paths, mode, split_size)
    target = _target(None, False, "flows")
    parts = df.mapInArrow(_Task(None, False, "flows", batch_size), from_arrow_schema(target))
    key = ["proto", "a_h", "a_p", "b_h", "b_p"]
    agg = parts.groupBy(*key).agg(
        F.min("ts").alias("ts"),
        F.max("last_ts").alias("last_ts"),
        F.min_by("first_is_a", "ts").alias("first_is_a"),
        *[
            F.sum(c).alias(c)
            for c in ("a_pkts", "a_bytes", "b_pkts", "b_bytes", "a_retrans", "b_retrans")
        ],
        *[F.bit_or(c).alias(c) for c in ("a_flags", "b_flags")],
        *[F.min(c).alias(c) for c in ("a_syn", "b_syn", "a_synack", "b_synack")],
    )
    first_a = F.col("first_is_a")

    def side(orig: bool, name: str) -> Any:
        a, b = F.col(f"a_{name}"), F.col(f"b_{name}")
        return F.when(first_a, a if orig else b).otherwise(b if orig else a)

    syn, synack = side(True, "syn"), side(False, "synack")
    micros = F.unix_micros(synack) - F.unix_micros(syn)
    rtt = F.when(micros >= 0, micros / F.lit(1e6))
    out = agg.select(
        "ts", "last_ts", "proto",
        side(True, "h").alias("id.orig_h"), side(True, "p").alias("id.orig_p"),
        side(False, "h").alias("id.resp_h"), side(False, "p").alias("id.resp_p"),
        side(True, "pkts").alias("orig_pkts"), side(True, "bytes").alias("orig_bytes"),
        side(False, "pkts").alias("resp_pkts"), side(False, "bytes").alias("resp_bytes"),
        side(True, "flags").alias("orig_flags"), side(False, "flags").alias("resp_flags"),
        rtt.alias("rtt"),
        side(True, "retrans").alias("orig_retrans"), side(False, "retrans").alias("resp_retrans"),
    )  # fmt: skip
    return out
