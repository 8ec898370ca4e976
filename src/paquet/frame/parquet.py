"""Captures to Parquet files (zstd): packets or flows, one file or partitioned by hour or by
input file (Hive-style directories ``hour=2026-12-07T01/`` or ``file=a.pcap/``), streamed.

>>> import io, os, tempfile
>>> from paquet.pcap import wrpcap
>>> from paquet.layers import Ether, IP, UDP
>>> buf = io.BytesIO(); wrpcap(buf, [Ether() / IP() / UDP()] * 5)
>>> out = os.path.join(tempfile.mkdtemp(), "p.parquet")
>>> write_parquet(buf.getvalue(), out, fields=["frame.time", "udp.dstport"])
5
>>> import pyarrow.parquet as pq
>>> pq.read_table(out).column("udp.dstport").to_pylist()
[53, 53, 53, 53, 53]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from paquet.capfile import TruncatedCaptureError
from paquet.frame.deps import need
from paquet.frame.flowtable import PACKET_FIELDS, FlowTable
from paquet.frame.reader import batches
from paquet.frame.source import expand

__all__ = ["PARTITIONS", "write_parquet"]

#: How a Parquet output can be partitioned.
PARTITIONS = ("hour", "file")

#: progress(records done, input bytes done (about), input bytes in all)
Progress = Callable[[int, int, int], None]


def _size(item: Any) -> int:
    if isinstance(item, str | os.PathLike) and os.fspath(item) != "-":
        try:
            return os.path.getsize(item)
        except OSError:
            return 0
    if isinstance(item, bytes | bytearray | memoryview):
        return len(item)
    return 0


def _packet_batches(
    inputs: list[Any],
    fields: Sequence[str] | None,
    partition: str | None,
    progress: Progress | None,
) -> Iterator[Any]:
    pa = need("pyarrow")
    pc = need("pyarrow.compute")
    total = sum(_size(i) for i in inputs)
    done_rows = done_bytes = 0
    cols = list(fields) if fields is not None else None
    if partition == "hour" and cols is not None and "frame.time" not in cols:
        cols.append("frame.time")
    for item in inputs:
        for b in batches(item, cols):
            done_rows += b.num_rows
            if "frame.cap_len" in b.schema.names:
                done_bytes += (
                    pc.sum(b.column(b.schema.get_field_index("frame.cap_len"))).as_py() or 0
                )
            done_bytes += 16 * b.num_rows
            if partition == "hour":
                t = b.column(b.schema.get_field_index("frame.time"))
                hour = pc.strftime(t, format="%Y-%m-%dT%H", locale="C")
                b = b.append_column("hour", hour)
            elif partition == "file":
                name = (
                    os.path.basename(os.fspath(item))
                    if isinstance(item, str | os.PathLike)
                    else "-"
                )
                b = b.append_column("file", pa.array([name] * b.num_rows, pa.string()))
            if progress is not None:
                progress(done_rows, min(done_bytes, total) if total else done_bytes, total)
            yield b


def _flow_batches(inputs: list[Any], progress: Progress | None) -> Iterator[Any]:
    state = FlowTable()
    total = sum(_size(i) for i in inputs)
    rows = 0
    for item in inputs:
        for b in batches(item, PACKET_FIELDS):
            state.update(b)
            rows += b.num_rows
            if progress is not None:
                progress(rows, 0, total)
    yield from state.table().to_batches()


def write_parquet(
    source: Any,
    out: str,
    *,
    fields: Sequence[str] | None = None,
    flows: bool = False,
    partition: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the packets (or with ``flows`` the flows) of ``source`` to the Parquet file
    ``out`` (a directory of files with ``partition``: ``"hour"`` or ``"file"``); the number of
    rows written. A damaged capture: what was read before the damage is written, then the
    TruncatedCaptureError is raised."""
    need("pyarrow")
    pq = need("pyarrow.parquet")
    if partition is not None and partition not in PARTITIONS:
        raise ValueError(f"partition must be one of {', '.join(PARTITIONS)}")
    if flows and partition == "file":
        raise ValueError("flows are partitioned by hour only (a flow may span files)")
    inputs = expand(source)
    gen = (
        _flow_batches(inputs, progress)
        if flows
        else _packet_batches(inputs, fields, partition, progress)
    )
    if flows and partition == "hour":
        gen = _hour_of_flows(gen)
    damaged: list[TruncatedCaptureError] = []
    gen = _guarded(gen, damaged)
    rows = _write(gen, out, partition, pq)
    if damaged:
        raise damaged[0]
    return rows


def _guarded(gen: Iterator[Any], damaged: list[TruncatedCaptureError]) -> Iterator[Any]:
    try:
        yield from gen
    except TruncatedCaptureError as exc:
        damaged.append(exc)


def _write(gen: Iterator[Any], out: str, partition: str | None, pq: Any) -> int:
    rows = 0
    if partition is None:
        writer = None
        try:
            for b in gen:
                if writer is None:
                    writer = pq.ParquetWriter(out, b.schema, compression="zstd")
                elif not b.schema.equals(writer.schema):
                    b = b.cast(writer.schema)
                writer.write_batch(b)
                rows += b.num_rows
        finally:
            if writer is not None:
                writer.close()
        return rows
    return _write_partitioned(gen, out, partition)


def _hour_of_flows(gen: Iterator[Any]) -> Iterator[Any]:
    pc = need("pyarrow.compute")
    for b in gen:
        hour = pc.strftime(b.column(0), format="%Y-%m-%dT%H", locale="C")
        yield b.append_column("hour", hour)


def _write_partitioned(gen: Iterator[Any], out: str, partition: str) -> int:
    pa = need("pyarrow")
    ds = need("pyarrow.dataset")
    count = [0]
    first = next(gen, None)
    if first is None:
        os.makedirs(out, exist_ok=True)
        return 0
    schema = first.schema

    def counted() -> Iterator[Any]:
        for b in [first]:
            count[0] += b.num_rows
            yield b
        for b in gen:
            count[0] += b.num_rows
            yield b if b.schema.equals(schema) else b.cast(schema)

    reader = pa.RecordBatchReader.from_batches(schema, counted())
    part = ds.partitioning(pa.schema([(partition, pa.string())]), flavor="hive")
    fmt = ds.ParquetFileFormat()
    ds.write_dataset(
        reader,
        out,
        format=fmt,
        partitioning=part,
        file_options=fmt.make_write_options(compression="zstd"),
        existing_data_behavior="overwrite_or_ignore",
        basename_template="part-{i}.parquet",
    )
    return count[0]
