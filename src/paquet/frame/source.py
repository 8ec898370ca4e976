"""Where capture tables are read from: files, directories, globs, ``-`` (stdin), bytes, open
binary files, and byte ranges of a pcap file (what a Spark task reads).

:func:`expand` turns what the caller gave into a list of inputs, in order: a directory gives
its files (recursively, sorted by name), a glob its matches (sorted), anything else itself.
:class:`ByteRange` is a slice of one pcap file: its records are those that *start* in
``[start, end)``, found from ``start`` by :func:`find_record` (pcap has no sync marks: a
position is a record when the headers chained from it are plausible).

>>> expand([b"bytes stay as they are"])
[b'bytes stay as they are']
"""

from __future__ import annotations

import dataclasses
import glob
import io
import os
import struct
import sys
from collections.abc import Iterable
from typing import IO, Any

from paquet.errors import CaptureError

__all__ = ["ByteRange", "Input", "expand", "find_record", "splits"]


@dataclasses.dataclass(frozen=True)
class ByteRange:
    """The records of the pcap file ``path`` that start at a file offset in ``[start, end)``.

    ``end=None``: to the end of the file. A range of a pcapng file is the whole file when it
    starts at 0 and nothing otherwise (pcapng is read whole).
    """

    path: str
    start: int = 0
    end: int | None = None


#: One input: a path, ``-``, bytes, an open binary file, or a byte range.
Input = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | ByteRange

_MAGIC = (b"*", b"?", b"[")


def _files_under(path: str) -> list[str]:
    out: list[str] = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        out.extend(os.path.join(root, f) for f in sorted(files) if not f.startswith("."))
    return out


def expand(source: Any) -> list[Input]:
    """The inputs of ``source`` (one input or an iterable of them), directories and globs
    expanded; CaptureError when a path or pattern gives nothing."""
    if isinstance(source, str | os.PathLike | bytes | bytearray | memoryview | ByteRange):
        items: Iterable[Any] = [source]
    elif hasattr(source, "read"):
        items = [source]
    else:
        items = source
    out: list[Input] = []
    for item in items:
        if isinstance(item, str | os.PathLike) and os.fspath(item) != "-":
            path = os.fspath(item)
            if os.path.isdir(path):
                out.extend(_files_under(path))
            elif not os.path.exists(path) and any(m.decode() in path for m in _MAGIC):
                found = sorted(glob.glob(path, recursive=True))
                if not found:
                    raise CaptureError(f"{path}: no file matches")
                out.extend(found)
            elif not os.path.exists(path):
                raise CaptureError(f"{path}: no such file")
            else:
                out.append(path)
        else:
            out.append(item)
    return out


def open_input(item: Input) -> tuple[IO[bytes], str, bool]:
    """(binary file, display name, whether the caller closes it) for a non-range input."""
    if isinstance(item, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(item)), "<bytes>", True
    if isinstance(item, str | os.PathLike):
        path = os.fspath(item)
        if path == "-":
            return sys.stdin.buffer, "<stdin>", False
        try:
            return open(path, "rb"), path, True
        except OSError as exc:
            raise CaptureError(f"{path}: cannot open: {exc.strerror or exc}") from None
    if isinstance(item, ByteRange):
        raise TypeError("a ByteRange is opened by the pcap reader")
    name = getattr(item, "name", None)
    return item, name if isinstance(name, str) else "<stream>", False


_REC = {"<": struct.Struct("<IIII"), ">": struct.Struct(">IIII")}
#: Headers chained from a candidate position that must be plausible for it to be a record.
_CHAIN = 8
_WINDOW = 1 << 20
_YEAR = 366 * 86400


def find_record(
    f: IO[bytes], start: int, endian: str, snaplen: int, nano: bool, size: int
) -> int | None:
    """The offset of the first pcap record at or after ``start`` in the seekable file ``f``
    (of ``size`` bytes), or None. A candidate is a record when ``_CHAIN`` headers chained from
    it (or all of them up to the end of the file) have 0 < caplen <= min(wirelen, snaplen), a
    sub-second part below one second, and a time within a year of the file's first record."""
    unpack = _REC[endian].unpack_from
    f.seek(24)
    first = f.read(16)
    ref = unpack(first, 0)[0] if len(first) == 16 else 0
    limit = max(snaplen, 65535) if snaplen else 262144
    top = 1_000_000_000 if nano else 1_000_000
    pos = start
    while pos < size:
        f.seek(pos)
        window = f.read(_WINDOW + _CHAIN * (limit + 16))
        n = len(window)
        for cand in range(min(_WINDOW, n)):
            p = cand
            ok = True
            for _ in range(_CHAIN):
                if pos + p == size:
                    break
                if p + 16 > n:
                    ok = False  # a partial header before the end of the file
                    break
                sec, frac, caplen, wirelen = unpack(window, p)
                if (
                    not 0 < caplen <= min(limit, wirelen)
                    or frac >= top
                    or wirelen > 0x3FFFFFF
                    or abs(sec - ref) > _YEAR
                ):
                    ok = False
                    break
                p += 16 + caplen
                if pos + p > size:
                    ok = False
                    break
            if ok:
                return pos + cand
        pos += _WINDOW
    return None


def splits(path: str, split_size: int) -> list[ByteRange]:
    """``path`` cut in ranges of about ``split_size`` bytes (one range for pcapng or gzip)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(4)
    if head[:2] == b"\x1f\x8b" or head == b"\n\r\r\n" or size <= split_size:
        return [ByteRange(path, 0, None)]
    cuts = list(range(0, size, split_size))
    ends = [*cuts[1:], size]
    return [ByteRange(path, a, b if b < size else None) for a, b in zip(cuts, ends, strict=True)]
