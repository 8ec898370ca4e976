"""Captures as Arrow record batches: :func:`batches` (streamed) and :func:`read` (a table).

Columns are named as Wireshark's fields. The common ones (:data:`paquet.frame.quick.COLUMNS`)
come straight from the record bytes, in C when it is built; any other name is read from the
packets of the general dissector (:mod:`paquet.frame.names`). A value a packet does not have is
a null. A pcap file is read in chunks of a few MiB (memory stays flat whatever its size), a
pcapng file block by block.

A damaged capture gives the batches before the damage, then raises
:class:`~paquet.capfile.TruncatedCaptureError` (``read`` puts the table of the rows before the
damage on the error's ``table``).

>>> import io
>>> from paquet.pcap import wrpcap
>>> from paquet.layers import Ether, IP, UDP
>>> buf = io.BytesIO()
>>> wrpcap(buf, [Ether() / IP(dst="192.0.2.7") / UDP(dport=53)] * 3)
>>> t = read(buf.getvalue(), ["ip.dst", "udp.dstport", "tcp.dstport"])
>>> t.num_rows, t.column("ip.dst")[0].as_py(), t.column("udp.dstport").type
(3, '192.0.2.7', DataType(uint16))
>>> t.column("tcp.dstport").null_count
3
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from paquet.capfile import (
    _READ_ERRORS,
    MAX_SNAPLEN,
    PCAP_MAGIC_NS,
    PCAP_MAGIC_US,
    TruncatedCaptureError,
    _format_of,
    _open_read,
    max_record_for,
)
from paquet.dfilter.fields import FIELDS
from paquet.errors import CaptureError
from paquet.frame import names, quick
from paquet.frame.deps import need
from paquet.frame.source import ByteRange, Input, expand, find_record, open_input

__all__ = ["DEFAULT_FIELDS", "batches", "read", "schema"]

#: The columns given when the caller names none: every quick column.
DEFAULT_FIELDS: tuple[str, ...] = quick.QUICK_NAMES
#: Records per batch by default.
BATCH_SIZE = 65536
#: The largest batch (its text columns' offsets are 32-bit).
MAX_BATCH = 1 << 22
_CHUNK = 8 << 20
_KIND_INDEX = {name: i for i, (name, _) in enumerate(quick.COLUMNS)}
_HDR = {"<": struct.Struct("<IIII"), ">": struct.Struct(">IIII")}
_NATIVE = "<" if sys.byteorder == "little" else ">"


def _arrow_type(kind: str, binary: bool) -> Any:
    pa = need("pyarrow")
    simple = {
        "u8": pa.uint8(),
        "u16": pa.uint16(),
        "u32": pa.uint32(),
        "u64": pa.uint64(),
        "bool": pa.bool_(),
        "mac": pa.string(),
        "time": pa.timestamp("ns", tz="UTC"),
    }
    if kind in simple:
        return simple[kind]
    if binary:
        return pa.binary(4 if kind == "ip4" else 16)
    return pa.string()


def _epoch(time: Any) -> Any:
    pc = need("pyarrow.compute")
    return pc.divide(pc.cast(time.cast(need("pyarrow").int64()), "float64", safe=False), 1e9)


#: Columns computed from a quick column: name -> (that column, function of its array).
DERIVED: dict[str, tuple[str, Any]] = {
    "frame.time_epoch": ("frame.time", _epoch),  # seconds since 1970 as a float, as tshark's
}


class _Plan:
    """What to compute for the requested columns."""

    def __init__(self, fields: Sequence[str] | None, binary: bool) -> None:
        self.fields = list(DEFAULT_FIELDS if fields is None else fields)
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("a column is asked for twice")
        self.binary = binary
        self.derived = [f for f in self.fields if f in DERIVED]
        self.extras = {
            f: names.column(f) for f in self.fields if f not in _KIND_INDEX and f not in DERIVED
        }
        #: whether an extra column reads the packets' layers by Wireshark protocol
        self.layers = any(names.uses_layers(f) for f in self.extras)
        #: the first record's time (``frame.time_relative`` counts from it)
        self.first_ns: int | None = None
        self.quick = [f for f in self.fields if f in _KIND_INDEX]
        for f in self.derived:
            if DERIVED[f][0] not in self.quick:
                self.quick.append(DERIVED[f][0])
        #: an extra column's Arrow type: from its kind when known, else its first batch's
        self.extra_types: dict[str, Any] = {}
        for f in self.extras:
            typ = extra_type(f)
            if typ is not None:
                self.extra_types[f] = typ


def schema(fields: Sequence[str] | None = None, *, binary_addresses: bool = False) -> Any:
    """The Arrow schema of the quick and derived columns among ``fields`` (the others' types
    are known once read: see :func:`batches`).

    >>> schema(["frame.time", "ip.ttl", "eth.src"]).types
    [TimestampType(timestamp[ns, tz=UTC]), DataType(uint8), DataType(string)]
    """
    pa = need("pyarrow")
    plan = _Plan(fields, binary_addresses)
    out = []
    for f in plan.fields:
        if f in _KIND_INDEX:
            out.append((f, _arrow_type(quick.COLUMNS[_KIND_INDEX[f]][1], binary_addresses)))
        elif f in DERIVED:
            out.append((f, pa.float64()))
    return pa.schema(out)


def _c_arrays(plan: _Plan, cols: tuple[Any, ...], n: int) -> dict[str, Any]:
    pa = need("pyarrow")
    out = {}
    for f in plan.quick:
        i = _KIND_INDEX[f]
        typ = _arrow_type(quick.COLUMNS[i][1], plan.binary)
        bufs = [pa.py_buffer(b) for b in cols[i]]
        out[f] = pa.Array.from_buffers(typ, n, bufs)
    return out


def _py_arrays(plan: _Plan, rows: list[dict[str, Any]]) -> dict[str, Any]:
    pa = need("pyarrow")
    out = {}
    for f in plan.quick:
        typ = _arrow_type(quick.COLUMNS[_KIND_INDEX[f]][1], plan.binary)
        out[f] = pa.array([r.get(f) for r in rows], type=typ)
    return out


#: A record for the general dissector's columns: (data, link type, time in ns, wire length).
Record = tuple[bytes, int, int, int]


def _extra_arrays(plan: _Plan, records: list[Record], first: int) -> dict[str, Any]:
    """The general dissector's columns of ``records``, the first numbered ``first``."""
    if not plan.extras:
        return {}
    pa = need("pyarrow")
    from paquet.capfile import decode_linktype
    from paquet.dfilter.fields import FrameInfo
    from paquet.dfilter.protocols import layers_of
    from paquet.layers import dissect

    if plan.first_ns is None and records:
        plan.first_ns = records[0][2]
    first_ns = plan.first_ns or 0
    pkts = [dissect(data, decode_linktype(lt)) for data, lt, _, _ in records]
    frames = [
        FrameInfo(first + k, r[0], r[3], r[2], first_ns, pkts[k]) for k, r in enumerate(records)
    ]
    chains = [layers_of(p, f) for p, f in zip(pkts, frames, strict=True)] if plan.layers else None
    empty: dict[str, list[Any]] = {}
    out = {}
    for f, get in plan.extras.items():
        if chains is None:
            values = [get(p, empty, fr) for p, fr in zip(pkts, frames, strict=True)]
        else:
            values = [get(p, c, fr) for p, c, fr in zip(pkts, chains, frames, strict=True)]
        typ = plan.extra_types.get(f)
        if typ is None:
            arr = pa.array(values)
            if pa.types.is_null(arr.type):
                arr = arr.cast(pa.string())
            if f in names.DICTIONARY and pa.types.is_string(arr.type):
                arr = arr.dictionary_encode()
            plan.extra_types[f] = arr.type
        else:
            try:
                arr = pa.array(values, type=typ)
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
                if not (pa.types.is_string(typ) or pa.types.is_dictionary(typ)):
                    raise ValueError(f"column {f!r}: values that are not {typ}") from None
                arr = pa.array([None if v is None else str(v) for v in values], type=typ)
        out[f] = arr
    return out


#: The Arrow types of the Arrow kinds of FIELDS that are not quick columns.
_EXTRA_ARROW: dict[str, Callable[[], Any]] = {
    "i64": lambda: need("pyarrow").int64(),
    "bool": lambda: need("pyarrow").bool_(),
    "str": lambda: need("pyarrow").string(),
    "bin": lambda: need("pyarrow").binary(),
    "f64": lambda: need("pyarrow").float64(),
    "time": lambda: need("pyarrow").timestamp("ns", tz="UTC"),
}


def extra_type(name: str) -> Any:
    """The Arrow type of the general dissector's column ``name`` when its kind is known (a
    Wireshark name's :attr:`~paquet.dfilter.fields.FieldDef.arrow`, a ``layer.field``'s
    :func:`paquet.frame.names.kind`), else None (its first batch's).

    >>> extra_type("dns.qry.name"), extra_type("dns.id"), extra_type("tcp.options")
    (DictionaryType(dictionary<values=string, indices=int32, ordered=0>), DataType(int64), None)
    """
    pa = need("pyarrow")
    fd = FIELDS.get(name)
    if fd is not None and fd.arrow in _EXTRA_ARROW:
        typ = _EXTRA_ARROW[fd.arrow]()
        if name in names.DICTIONARY:
            return pa.dictionary(pa.int32(), typ)
        return typ
    k = names.kind(name)
    if k == "string":
        return pa.dictionary(pa.int32(), pa.string()) if name in names.DICTIONARY else pa.string()
    return {"int": pa.int64(), "bool": pa.bool_()}.get(k or "")


def _batch(plan: _Plan, columns: dict[str, Any]) -> Any:
    pa = need("pyarrow")
    for f in plan.derived:
        base, fn = DERIVED[f]
        columns[f] = fn(columns[base])
    return pa.RecordBatch.from_arrays([columns[f] for f in plan.fields], names=plan.fields)


def _py_rows(
    buf: bytes,
    recs: list[tuple[int, int, int, int, int]],
    lt: int,
    plan: _Plan,
    nano: bool,
    first: int,
) -> list[dict[str, Any]]:
    rows = []
    mult = 1 if nano else 1000
    for k, (off, caplen, sec, frac, wirelen) in enumerate(recs):
        row = quick.quick_row(buf[off : off + caplen], lt, binary_addresses=plan.binary)
        row["frame.number"] = first + k
        row["frame.time"] = sec * 1_000_000_000 + frac * mult
        row["frame.len"] = wirelen
        row["frame.cap_len"] = caplen
        rows.append(row)
    return rows


def _cut(
    buf: bytes, pos: int, endian: str, limit: int, max_rows: int, stop: int
) -> tuple[list[tuple[int, int, int, int, int]], int, int]:
    """The Python twin of the C record cutter: ([(data offset, caplen, sec, frac, wirelen)],
    new position, status: 0 ok or needs more, 1 a record longer than ``limit``)."""
    unpack = _HDR[endian].unpack_from
    n = len(buf)
    recs: list[tuple[int, int, int, int, int]] = []
    status = 0
    while len(recs) < max_rows and pos + 16 <= n and (stop < 0 or pos < stop):
        sec, frac, caplen, wirelen = unpack(buf, pos)
        if caplen > limit:
            status = 1
            break
        if pos + 16 + caplen > n:
            break
        recs.append((pos + 16, caplen, sec, frac, wirelen))
        pos += 16 + caplen
    return recs, pos, status


def _pcap_batches(
    f: IO[bytes], name: str, plan: _Plan, batch_size: int, counter: list[int], rng: ByteRange | None
) -> Iterator[Any]:
    head = f.read(24)
    if len(head) < 24:
        raise CaptureError(f"{name}: not a capture file (shorter than a pcap header)")
    magic_le = struct.unpack("<I", head[:4])[0]
    endian = "<" if magic_le in (PCAP_MAGIC_US, PCAP_MAGIC_NS) else ">"
    magic = struct.unpack(endian + "I", head[:4])[0]
    nano = magic == PCAP_MAGIC_NS
    snaplen, lt = struct.unpack(endian + "II", head[16:24])
    lt &= 0x03FFFFFF  # the upper bits say whether records end in an FCS
    limit = max_record_for(lt)
    base = 24  # file offset of buf[0]
    stop_at = -1
    if rng is not None:
        size = os.fstat(f.fileno()).st_size
        start = max(rng.start, 24)
        if rng.start > 24:
            found = find_record(f, start, endian, snaplen or MAX_SNAPLEN, nano, size)
            if found is None:
                return
            start = found
        f.seek(start)
        base = start
        stop_at = rng.end if rng.end is not None else -1
    cmod = quick.c_module()
    buf = b""
    pos = 0
    eof = False
    while True:
        if not eof:
            try:
                chunk = f.read(_CHUNK)
            except _READ_ERRORS as exc:
                raise TruncatedCaptureError(name, base + len(buf), f"cannot read: {exc}") from None
            eof = not chunk
            base += pos
            buf = buf[pos:] + chunk
            pos = 0
        while True:
            stop = stop_at - base if stop_at >= 0 else -1
            if stop_at >= 0 and stop <= pos:
                return
            first = counter[0]
            if cmod is not None:
                n, newpos, status, cols = cmod.extract_pcap(
                    buf,
                    pos,
                    endian != _NATIVE,
                    nano,
                    lt,
                    batch_size,
                    limit,
                    first,
                    plan.binary,
                    stop,
                )
                recs = _cut(buf, pos, endian, limit, n, -1)[0] if plan.extras else []
                columns = _c_arrays(plan, cols, n) if n else {}
            else:
                recs, newpos, status = _cut(buf, pos, endian, limit, batch_size, stop)
                n = len(recs)
                columns = _py_arrays(plan, _py_rows(buf, recs, lt, plan, nano, first)) if n else {}
            if n:
                counter[0] += n
                mult = 1 if nano else 1000
                extra = [
                    (buf[o : o + c], lt, sec * 10**9 + fr * mult, wl)
                    for o, c, sec, fr, wl in recs
                ]
                columns.update(_extra_arrays(plan, extra, first))
                yield _batch(plan, columns)
            pos = newpos
            if status == 1:
                caplen = _HDR[endian].unpack_from(buf, pos)[2]
                raise TruncatedCaptureError(
                    name,
                    base + pos,
                    f"record {counter[0]} claims {caplen} bytes, more than the maximum {limit}"
                    f" for link type {lt}",
                )
            if n < batch_size:
                break
        if eof:
            if pos < len(buf):
                have = len(buf) - pos
                need_ = 16 + _HDR[endian].unpack_from(buf, pos)[2] if have >= 16 else 16
                raise TruncatedCaptureError(
                    name, base + pos, f"record {counter[0]} cut short ({have} of {need_} bytes)"
                )
            return


def _records_batch(plan: _Plan, recs: list[Any], first: int) -> Any:
    """A batch from pcapng ``RawPacket`` records."""
    cmod = quick.c_module()
    if cmod is not None:
        import array

        offs = array.array("q", [0])
        total = 0
        for r in recs:
            total += len(r.data)
            offs.append(total)
        ts = array.array("q", [r.time_ns for r in recs])
        wl = array.array("I", [r.wirelen for r in recs])
        lts = array.array("i", [r.linktype for r in recs])
        cols = cmod.extract_records(
            b"".join(r.data for r in recs), offs, ts, wl, lts, first, plan.binary
        )
        columns = _c_arrays(plan, cols, len(recs))
    else:
        rows = []
        for k, r in enumerate(recs):
            row = quick.quick_row(r.data, r.linktype, binary_addresses=plan.binary)
            row["frame.number"] = first + k
            row["frame.time"] = r.time_ns
            row["frame.len"] = r.wirelen
            row["frame.cap_len"] = len(r.data)
            rows.append(row)
        columns = _py_arrays(plan, rows)
    extra = [(r.data, r.linktype, r.time_ns, r.wirelen) for r in recs]
    columns.update(_extra_arrays(plan, extra, first))
    return _batch(plan, columns)


def _pcapng_batches(
    f: IO[bytes], plan: _Plan, batch_size: int, counter: list[int]
) -> Iterator[Any]:
    from paquet.pcapng import PcapNgReader

    reader = PcapNgReader(f, raw=True)
    recs: list[Any] = []
    try:
        for rec in reader.records():
            recs.append(rec)
            if len(recs) == batch_size:
                yield _records_batch(plan, recs, counter[0])
                counter[0] += len(recs)
                recs = []
    except CaptureError:
        if recs:  # the records before a damage are given before its error
            yield _records_batch(plan, recs, counter[0])
            counter[0] += len(recs)
        raise
    if recs:
        yield _records_batch(plan, recs, counter[0])
        counter[0] += len(recs)


def _input_batches(item: Input, plan: _Plan, batch_size: int, counter: list[int]) -> Iterator[Any]:
    rng = item if isinstance(item, ByteRange) else None
    if rng is not None:
        raw, name, owned = open_input(rng.path)
    else:
        raw, name, owned = open_input(item)
    try:
        f, name2, _ = _open_read(raw)
        name = name if name != "<stream>" else name2
        try:
            head = _peek4(f)
        except _READ_ERRORS as exc:
            raise CaptureError(f"{name}: cannot read: {exc}") from None
        if _format_of(head, name) == "pcapng":  # CaptureError when it is neither
            if rng is None or rng.start == 0:
                yield from _pcapng_batches(f, plan, batch_size, counter)
            return
        if f is not raw and rng is not None and rng.start > 0:
            return  # a gzip file is read whole, by its first range
        if rng is not None and f is not raw:
            rng = None
        yield from _pcap_batches(f, name, plan, batch_size, counter, rng)
    finally:
        if owned:
            raw.close()


def _peek4(f: IO[bytes]) -> bytes:
    """The first four bytes of ``f``, left unread (``f`` is a file, BytesIO, gzip or a pipe)."""
    from paquet.capfile import _peek

    head = _peek(f, 4)
    if len(head) < 4 and not f.seekable():
        raise CaptureError("cannot sniff the format of an unbuffered stream")
    return head


def batches(
    source: Any,
    fields: Sequence[str] | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    binary_addresses: bool = False,
) -> Iterator[Any]:
    """Arrow record batches of the packets of ``source`` (a path, directory, glob, ``-``,
    bytes, binary file, :class:`~paquet.frame.source.ByteRange`, or a list of them), with the
    columns ``fields`` (Wireshark names; None: :data:`DEFAULT_FIELDS`), ``batch_size`` records
    at most per batch. ``binary_addresses``: IP addresses as 4- and 16-byte binary instead of
    text. ``frame.number`` counts from 1 across the inputs. Read lazily, in bounded memory."""
    if not 1 <= batch_size <= MAX_BATCH:
        raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")
    plan = _Plan(fields, binary_addresses)
    counter = [1]
    for item in expand(source):
        yield from _input_batches(item, plan, batch_size, counter)


def read(source: Any, fields: Sequence[str] | None = None, **options: Any) -> Any:
    """A ``pyarrow.Table`` of the packets of ``source`` (arguments as :func:`batches`).

    On a damaged capture, raises TruncatedCaptureError with the rows before the damage as its
    ``table``.
    """
    pa = need("pyarrow")
    got: list[Any] = []
    try:
        for b in batches(source, fields, **options):
            got.append(b)
    except TruncatedCaptureError as exc:
        exc.table = _table(pa, got, fields, options)  # type: ignore[attr-defined]
        raise
    return _table(pa, got, fields, options)


def _table(pa: Any, got: list[Any], fields: Sequence[str] | None, options: dict[str, Any]) -> Any:
    if got:
        return pa.Table.from_batches(_unify(pa, got))
    plan = _Plan(fields, bool(options.get("binary_addresses")))
    base = schema(fields, binary_addresses=plan.binary)
    cols = [
        pa.field(f, base.field(f).type if f in base.names else pa.string()) for f in plan.fields
    ]
    return pa.Table.from_batches([], schema=pa.schema(cols))


def _unify(pa: Any, got: list[Any]) -> list[Any]:
    """Batches cast to the first one's schema (an extra column's type is fixed by it)."""
    first = got[0].schema
    return [b if b.schema.equals(first) else b.cast(first) for b in got]
