"""Endace ERF captures of Ethernet (what DAG cards write), read and written as Scapy's
``rderf``, ``wrerf``, ``ERFEthernetReader`` and ``ERFEthernetWriter``.

An ERF record is a 16-byte header (a little-endian 32.32 fixed-point timestamp, then, big
endian: type, flags, record length, loss counter, wire length), the type's extension headers
(8 bytes each, while the top bit of the type says another follows), and for Ethernet two bytes
of offset and padding before the frame. Times are read to the nanosecond, as an ``EDecimal``.

>>> import io
>>> from paquet import Ether
>>> buf = io.BytesIO()
>>> p = Ether(dst="ff:ff:ff:ff:ff:ff")
>>> p.time = 1.5
>>> with ERFEthernetWriter(buf) as w:
...     w.write(p)
>>> _ = buf.seek(0)
>>> [(q.dst, q.time) for q in rderf(buf)]
[('ff:ff:ff:ff:ff:ff', Decimal('1.5'))]
"""

from __future__ import annotations

import os
import struct
import time as _time
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, Unpack

from paquet.capfile import (
    CaptureReader,
    CaptureSource,
    RawPacket,
    ReaderOptions,
    TruncatedCaptureError,
    _CaptureWriter,
    _iter_packets,
    _name_of,
    _open_write,
    float_to_ts,
)
from paquet.errors import CaptureError
from paquet.numbers import LINKTYPE_ETHERNET

if TYPE_CHECKING:
    from paquet.plist import PacketList

__all__ = ["ERFEthernetReader", "ERFEthernetWriter", "rderf", "wrerf"]

#: ERF record types holding an Ethernet frame (ETH, COLOR_ETH, DSM_COLOR_ETH, COLOR_HASH_ETH).
ERF_ETHERNET_TYPES = frozenset({2, 16, 21, 23})
_EXT = 0x80  # type bit: an extension header follows
_TS = struct.Struct("<Q")  # the timestamp, little endian
_HDR = struct.Struct(">BBHHH")  # then type, flags, record length, loss counter, wire length
_NS = 1_000_000_000


def _ns_of(erf_ts: int) -> int:
    """An ERF 32.32 timestamp as integer nanoseconds (the fraction rounded to nearest)."""
    sec, frac = erf_ts >> 32, erf_ts & 0xFFFFFFFF
    return sec * _NS + ((frac * _NS + (1 << 31)) >> 32)


def _erf_of(ns: int) -> int:
    """Integer nanoseconds as an ERF 32.32 timestamp (which ``_ns_of`` reads back exactly)."""
    sec, sub = divmod(ns, _NS)
    return (sec << 32) | -((-sub << 32) // _NS)


class ERFEthernetReader(CaptureReader):
    """Stream an ERF file of Ethernet records: packets (``Ether``) with ``time`` (nanosecond
    ``EDecimal``) and ``wirelen``; ``raw=True`` yields ``RawPacket`` records.

    A record of another type, or cut short, raises :class:`~paquet.errors.CaptureError`
    (``TruncatedCaptureError`` after the first record) naming its offset.
    """

    linktype = LINKTYPE_ETHERNET

    def __init__(self, filename: CaptureSource, **options: Unpack[ReaderOptions]) -> None:
        super().__init__(filename, **options)

    def records(self) -> Iterator[RawPacket]:
        """Every record as a ``RawPacket`` of link type Ethernet."""
        offset = 0
        number = 0
        limit = self._max_record(LINKTYPE_ETHERNET)
        read = self.f.read
        while True:
            hdr = read(16)
            if not hdr:
                return
            number += 1
            if len(hdr) < 16:
                raise self._damage(offset, number, f"header cut short ({len(hdr)} of 16 bytes)")
            (ts,) = _TS.unpack_from(hdr, 0)
            rtype, _flags, rlen, _lctr, wlen = _HDR.unpack_from(hdr, 8)
            if rtype & 0x7F not in ERF_ETHERNET_TYPES:
                raise self._damage(offset, number, f"type {rtype & 0x7F} is not Ethernet")
            head = 16
            ext = rtype
            while ext & _EXT:
                eh = read(8)
                head += 8
                if len(eh) < 8:
                    raise self._damage(offset, number, "extension header cut short")
                ext = eh[0]
            size = rlen - head
            if size < 2 or size - 2 > limit:
                raise self._damage(offset, number, f"bad record length {rlen}")
            body = read(size)
            if len(body) < size:
                raise self._damage(offset, number, f"cut short ({len(body)} of {size} bytes)")
            yield RawPacket(body[2:], ts=_ns_of(ts), tsresol=_NS, wirelen=wlen)
            offset += rlen

    def _damage(self, offset: int, number: int, reason: str) -> CaptureError:
        error = TruncatedCaptureError(self.filename, offset, f"ERF record {number}: {reason}")
        if number == 1:
            return CaptureError(f"{self.filename}: not an ERF Ethernet file: {reason}")
        return error


def rderf(filename: CaptureSource, count: int = -1) -> PacketList:
    """Read an ERF Ethernet file into a PacketList (at most ``count`` packets; -1 for all)."""
    with ERFEthernetReader(filename) as reader:
        return reader.read_all(count)


class ERFEthernetWriter(_CaptureWriter):
    """Write Ethernet frames as ERF records (type ETH), as Scapy's ``ERFEthernetWriter``.

    The record's time is the packet's (nanoseconds), its wire length ``wirelen`` when the
    packet has one, else its length. ``append`` adds to an existing file, ``sync`` flushes
    after every record, ``gz`` compresses.
    """

    def __init__(
        self,
        filename: str | os.PathLike[str] | IO[bytes],
        gz: bool = False,
        append: bool = False,
        sync: bool = False,
    ) -> None:
        self.sync = sync
        self.header_present = True  # ERF has no file header
        self._owned = isinstance(filename, str | os.PathLike)
        if isinstance(filename, str | os.PathLike):
            self.filename = os.fspath(filename)
            self.f = _open_write(self.filename, append, sync, 1 << 16, gz)
        else:
            self.f = filename
            self.filename = _name_of(filename)

    def write_header(self, pkt: Any = None) -> None:
        """ERF files have no header: nothing to write."""

    def write(self, pkt: Any) -> None:
        """Write a packet, bytes, or an iterable of them (a SndRcvList's pairs flattened)."""
        for p in _iter_packets(pkt):
            self.write_packet(p)

    def write_packet(self, pkt: Any) -> None:
        """Write one packet as an ERF Ethernet record."""
        data = bytes(pkt)
        t = getattr(pkt, "time", None)
        ns = float_to_ts(_time.time() if t is None else t, _NS)
        if ns < 0 or ns // _NS >= 1 << 32:
            raise CaptureError(f"timestamp {t} does not fit an ERF record")
        rlen = len(data) + 18
        if rlen > 0xFFFF:
            raise CaptureError(f"a {len(data)}-byte frame does not fit an ERF record")
        wl = getattr(pkt, "wirelen", None)
        wirelen = wl if isinstance(wl, int) else len(data)
        self.f.write(
            struct.pack("<Q", _erf_of(ns))
            + struct.pack(">BBHHHH", 2, 0, rlen, 0, min(wirelen, 0xFFFF), 0)
            + data
        )
        if self.sync:
            self.f.flush()


def wrerf(
    filename: str | os.PathLike[str] | IO[bytes],
    pkt: Any,
    *args: Any,
    **kwargs: Any,
) -> None:
    """Write a packet or a list of packets to an ERF Ethernet file (Scapy's ``wrerf``;
    ``gz``, ``append`` and ``sync`` as :class:`ERFEthernetWriter`)."""
    with ERFEthernetWriter(filename, *args, **kwargs) as w:
        w.write(pkt)
