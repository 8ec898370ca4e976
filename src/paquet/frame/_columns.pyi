"""Type stub of the C column extractor (``_columns.c``; see ``quick.py``)."""

from typing import Any

COLUMNS: int

def extract_pcap(
    buf: bytes,
    pos: int,
    swapped: bool,
    nano: bool,
    linktype: int,
    max_rows: int,
    limit: int,
    first_number: int,
    binary: bool,
    stop: int,
    /,
) -> tuple[int, int, int, tuple[tuple[bytes, ...], ...]]:
    """Cut pcap records from ``buf`` at ``pos`` into column buffers."""

def extract_records(
    data: bytes,
    offsets: Any,
    ts_ns: Any,
    wirelen: Any,
    linktypes: Any,
    first_number: int,
    binary: bool,
    /,
) -> tuple[tuple[bytes, ...], ...]:
    """Column buffers of records already cut (pcapng)."""
