"""Captures as tables: Apache Arrow record batches with Wireshark's column names, flows, and
the conveniences around them (pandas, polars). Needs ``paquet[data]`` (pyarrow).

- :func:`read` / :func:`batches`: packets as a ``pyarrow.Table`` / streamed ``RecordBatch``\\ es;
- :func:`flows`: bidirectional flows (Zeek conn.log style), one streaming pass;
- :func:`to_pandas`, :func:`to_polars`: the same table as a DataFrame;
- :class:`ByteRange`: the records of one slice of a pcap file (what a Spark task reads).

SQL over the tables is ``paquet query`` (DuckDB), Spark is :mod:`paquet.spark`.

>>> from paquet.frame import DEFAULT_FIELDS
>>> DEFAULT_FIELDS[:4]
('frame.number', 'frame.time', 'frame.len', 'frame.cap_len')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paquet.frame.flowtable import FlowTable, flows
from paquet.frame.reader import DEFAULT_FIELDS, batches, read, schema
from paquet.frame.source import ByteRange

__all__ = [
    "DEFAULT_FIELDS",
    "ByteRange",
    "FlowTable",
    "batches",
    "flows",
    "read",
    "schema",
    "to_pandas",
    "to_polars",
]


def to_pandas(source: Any, fields: Sequence[str] | None = None, **options: Any) -> Any:
    """The packets of ``source`` as a pandas DataFrame (arguments as :func:`read`)."""
    from paquet.frame.deps import need

    need("pandas")
    return read(source, fields, **options).to_pandas()


def to_polars(source: Any, fields: Sequence[str] | None = None, **options: Any) -> Any:
    """The packets of ``source`` as a polars DataFrame (arguments as :func:`read`)."""
    from paquet.frame.deps import need

    pl = need("polars")
    return pl.from_arrow(read(source, fields, **options))
