"""Scapy's low-level capture classes: ``RawPcapReader``, ``RawPcapNgReader``,
``RawPcapWriter``, ``RawPcapNgWriter`` (libpcap's ``DLT_*`` link type numbers, Scapy's names,
are in :mod:`paquet.numbers`).

The raw readers yield ``(bytes, metadata)`` pairs, as Scapy's: for pcap a ``PacketMetadata``
``(sec, usec, wirelen, caplen)`` (``usec`` is nanoseconds in a nanosecond file), for pcapng a
``PacketMetadataNg`` ``(linktype, tsresol, tshigh, tslow, wirelen, comments, ifname,
direction, process_information)``. They stream on top of :mod:`paquet.pcap` and
:mod:`paquet.pcapng` (same caps, same errors). ``RawPcapNgWriter`` adds Scapy's block-level
methods (``_write_block_shb``, ``_write_block_idb``, ``_write_block_epb``...) to
:class:`~paquet.pcapng.PcapNgWriter`.

>>> import io
>>> from paquet.numbers import DLT_EN10MB
>>> buf = io.BytesIO()
>>> with RawPcapWriter(buf, linktype=DLT_EN10MB) as w:
...     w.write_packet(bytes(14), sec=1, usec=5)
>>> _ = buf.seek(0)
>>> [(len(data), meta.sec, meta.usec) for data, meta in RawPcapReader(buf)]
[(14, 1, 5)]
"""

from __future__ import annotations

import collections
import struct
from collections.abc import Callable, Iterator
from typing import IO, Any, Self

from paquet.capfile import (
    MAX_SNAPLEN,
    CaptureSource,
    RawPacket,
    _Closing,
    float_to_ts,
)
from paquet.errors import CaptureError
from paquet.pcap import PcapWriter, open_capture
from paquet.pcapng import PcapNgReader, PcapNgWriter
from paquet.pcapng_blocks import (
    BT_EPB,
    BT_SPB,
    EPB_FLAGS,
    OPT_COMMENT,
    Interface,
    _block,
    _opts,
    _pad4,
)

__all__ = [
    "MTU",
    "RawPcapNgReader",
    "RawPcapNgWriter",
    "RawPcapReader",
    "RawPcapWriter",
]

#: Scapy's default read size: a record longer than this is cut to it by ``read_packet``.
MTU = 0xFFFF


PacketMetadata = collections.namedtuple("PacketMetadata", ["sec", "usec", "wirelen", "caplen"])
PacketMetadataNg = collections.namedtuple(
    "PacketMetadataNg",
    [
        "linktype",
        "tsresol",
        "tshigh",
        "tslow",
        "wirelen",
        "comments",
        "ifname",
        "direction",
        "process_information",
    ],
)


class RawPcapReader(_Closing):
    """Stream a capture as ``(bytes, PacketMetadata)`` pairs (Scapy's ``RawPcapReader``).

    Opening a pcapng file gives a :class:`RawPcapNgReader`, and a pcap file a
    ``RawPcapReader`` whichever of the two was called, as Scapy's. A context manager;
    ``read_packet`` raises EOFError at the end, ``read_all(count)`` gives a list of pairs.
    """

    PacketMetadata = PacketMetadata
    _reader: Any
    _records: Iterator[RawPacket]

    def __new__(cls, filename: CaptureSource, *, max_record: int | None = None) -> Any:
        # The file is opened once (a named pipe's content is not lost to format sniffing).
        reader = open_capture(filename, raw=True, max_record=max_record)
        # The class of the file's format, whichever was asked (Scapy's: RawPcapNgReader on a
        # pcap file is a RawPcapReader, its "alternative").
        target = RawPcapNgReader if isinstance(reader, PcapNgReader) else RawPcapReader
        obj = super().__new__(target)
        obj._reader = reader
        obj._records = reader.records()
        return obj

    def __init__(self, filename: CaptureSource, *, max_record: int | None = None) -> None:
        """Open ``filename`` (a path or a binary file object); ``max_record`` as
        :func:`~paquet.pcap.open_capture`."""

    def __getattr__(self, name: str) -> Any:
        # linktype, snaplen, nano, endian, filename, f... are the underlying reader's.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._reader, name)

    def _meta(self, rec: RawPacket) -> Any:
        sec, frac = divmod(rec.ts, rec.tsresol)
        return PacketMetadata(sec=sec, usec=frac, wirelen=rec.wirelen, caplen=len(rec.data))

    def read_packet(self, size: int = MTU) -> tuple[bytes, Any]:
        """The next record's bytes (at most ``size``) and metadata; EOFError at the end."""
        try:
            rec = next(self._records)
        except StopIteration:
            raise EOFError from None
        return rec.data[:size], self._meta(rec)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> tuple[bytes, Any]:
        try:
            return self.read_packet()
        except EOFError:
            raise StopIteration from None

    def recv(self, size: int = MTU) -> tuple[bytes, Any]:
        """Scapy's socket-like name for ``read_packet``."""
        return self.read_packet(size)

    def read_all(self, count: int = -1) -> list[tuple[bytes, Any]]:
        """The next ``count`` pairs (all with -1), as a list."""
        out: list[tuple[bytes, Any]] = []
        while count < 0 or len(out) < count:
            try:
                out.append(self.read_packet())
            except EOFError:
                break
        return out

    def dispatch(self, callback: Callable[[tuple[bytes, Any]], object]) -> None:
        """Call ``callback`` on every remaining pair."""
        for pair in self:
            callback(pair)

    def fileno(self) -> int:
        """The underlying file descriptor."""
        return int(self._reader.fileno())

    def close(self) -> None:
        """Close the file (only if the reader opened it)."""
        self._reader.close()


class RawPcapNgReader(RawPcapReader):
    """Stream a pcapng file as ``(bytes, PacketMetadataNg)`` pairs (Scapy's)."""

    PacketMetadata = PacketMetadataNg  # type: ignore[assignment]

    def _meta(self, rec: RawPacket) -> Any:
        name = rec.sniffed_on
        return PacketMetadataNg(
            linktype=rec.linktype,
            tsresol=rec.tsresol,
            tshigh=rec.ts >> 32,
            tslow=rec.ts & 0xFFFFFFFF,
            wirelen=rec.wirelen,
            comments=rec.comments,
            ifname=None if name is None else name.encode("utf-8"),
            direction=rec.direction,
            process_information=dict(rec.process_information or {}),
        )


class RawPcapWriter(PcapWriter):
    """Scapy's ``RawPcapWriter``: a :class:`~paquet.pcap.PcapWriter` (bytes are written as
    records; the link type is Ethernet unless given or guessed from a first packet)."""


class RawPcapNgWriter(PcapNgWriter):
    """Scapy's ``RawPcapNgWriter``: a :class:`~paquet.pcapng.PcapNgWriter` with Scapy's
    block-level methods, for a caller that lays out the blocks itself."""

    def __init__(self, filename: str | IO[bytes], **kwargs: Any) -> None:
        kwargs.setdefault("userappl", None)
        super().__init__(filename, **kwargs)
        #: Timestamp units per second of the interfaces ``_write_block_idb`` writes.
        self.tsresol = 1_000_000

    def build_block(
        self, block_type: bytes, block_body: bytes, options: bytes | None = None
    ) -> bytes:
        """A whole block: ``block_type`` (4 bytes), the body padded to 4 bytes, ``options``."""
        body = block_body + b"\x00" * (_pad4(len(block_body)) - len(block_body))
        return _block(self.e, struct.unpack(self.e + "I", block_type)[0], body + (options or b""))

    def _write_block_shb(self) -> None:
        """Write a section header block (no options, as Scapy's)."""
        saved, self.userappl = self.userappl, None
        try:
            self.write_header()
        finally:
            self.userappl = saved

    def _write_block_idb(self, linktype: int, ifname: bytes | None = None) -> None:
        """Write an interface description block (snaplen 262144; ``if_name`` when given)."""
        name = None if ifname is None else bytes(ifname).decode("utf-8", "backslashreplace")
        self.add_interface(
            Interface(linktype=linktype, snaplen=MAX_SNAPLEN, name=name, tsresol=self.tsresol)
        )

    def _write_block_spb(self, raw_pkt: bytes) -> None:
        """Write a simple packet block holding ``raw_pkt``."""
        data = bytes(raw_pkt)
        self.f.write(
            self.build_block(
                struct.pack(self.e + "I", BT_SPB), struct.pack(self.e + "I", len(data)) + data
            )
        )

    def _write_block_epb(
        self,
        raw_pkt: bytes,
        ifid: int,
        timestamp: Any = None,
        caplen: int | None = None,
        orglen: int | None = None,
        comments: list[bytes] | None = None,
        flags: int | None = None,
    ) -> None:
        """Write an enhanced packet block: ``timestamp`` in seconds (0 when None), lengths
        (the data's by default), comments and flags."""
        data = bytes(raw_pkt)
        resol = self.interfaces[ifid].tsresol if ifid < len(self.interfaces) else self.tsresol
        ts = float_to_ts(timestamp, resol) if timestamp else 0
        if ts < 0 or ts >= 1 << 64:
            raise CaptureError(f"timestamp {timestamp} does not fit a pcapng block")
        e = self.e
        opts: list[tuple[int, bytes]] = []
        for c in comments or []:
            opts.append((OPT_COMMENT, c.encode("utf-8") if isinstance(c, str) else bytes(c)))
        if type(flags) is int:
            opts.append((EPB_FLAGS, struct.pack(e + "I", flags)))
        body = (
            struct.pack(
                e + "IIIII",
                ifid,
                ts >> 32,
                ts & 0xFFFFFFFF,
                caplen or len(data),
                orglen or len(data),
            )
            + data
            + b"\x00" * (_pad4(len(data)) - len(data))
            + _opts(e, opts)
        )
        self.f.write(_block(e, BT_EPB, body))
