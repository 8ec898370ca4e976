"""pcap capture files: read and write them in constant memory, the way Wireshark does.

Scapy's names and signatures (``rdpcap``, ``wrpcap``, ``PcapReader``, ``PcapWriter``), plus
``open_capture(path)`` that detects the format (classic pcap in both byte orders, with micro- or
nanosecond timestamps, or pcapng; gzip-compressed files too).

Records are read with ``struct.unpack_from`` over a large buffer and decoded one at a time:
memory stays flat however large the file, and proportional to one record however hostile it is.
A record may not exceed Wireshark's maximum for its link type (``max_record_for``: 256 KiB,
more for D-Bus, USBPcap and EBHSCR), whatever the file's header claims; a larger one is damage
(``TruncatedCaptureError``, after every record before it), never an allocation. A reader
yields dissected packets (through ``paquet.layers.dissect``, given the record's link type), or,
with ``raw=True``, ``RawPacket`` records: the bytes with their metadata (timestamp, link type,
original length, comments).

>>> import io
>>> buf = io.BytesIO()
>>> with PcapWriter(buf, linktype=LINKTYPE_RAW) as w:
...     w.write(RawPacket(b"\\x45" + bytes(19), time=1.5))
>>> _ = buf.seek(0)
>>> [(r.time, len(r), r.linktype) for r in PcapReader(buf, raw=True)]
[(1.5, 20, 101)]
"""
from __future__ import annotations

import os
import stat
import struct
import warnings
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Unpack

from paquet.capfile import (
    _BIG,
    _META_OK,
    _READ_ERRORS,
    FORMAT_READERS,
    MAX_RECORD,
    MAX_SNAPLEN,
    PCAP_MAGIC_NS,
    PCAP_MAGIC_US,
    PCAPNG_SHB,
    CaptureReader,
    CaptureSource,
    Decoder,
    RawPacket,
    ReaderOptions,
    TruncatedCaptureError,
    _CaptureWriter,
    _default_decoder,
    _fast_decoder,
    _format_of,
    _has_content,
    _name_of,
    _open_write,
    _set_meta,
    capture_format,
    decode_linktype,
    float_to_ts,
    guess_linktype,
    max_record_for,
    packet_time_ts,
)
from paquet.edecimal import EDecimal
from paquet.errors import CaptureError, CaptureWarning
from paquet.number_enums import LinkType
from paquet.numbers import (
    LINKTYPE_ETHERNET,
    LINKTYPE_IPV4,
    LINKTYPE_IPV6,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_NULL,
    LINKTYPE_RAW,
)
from paquet.pcapng import PcapNgReader as PcapNgReader  # its pcap alternative is ours

if TYPE_CHECKING:
    from paquet.plist import PacketList

#: What carries no link type of its own: written under the file's without a check.
_UNTYPED = (bytes, bytearray, memoryview)

__all__ = [
    "LINKTYPE_ETHERNET",
    "LINKTYPE_IPV4",
    "LINKTYPE_IPV6",
    "LINKTYPE_LINUX_SLL",
    "LINKTYPE_LINUX_SLL2",
    "LINKTYPE_NULL",
    "LINKTYPE_RAW",
    "MAX_RECORD",
    "MAX_SNAPLEN",
    "PCAPNG_SHB",
    "PCAP_MAGIC_NS",
    "PCAP_MAGIC_US",
    "CaptureReader",
    "Decoder",
    "LinkType",
    "PcapReader",
    "PcapWriter",
    "RawPacket",
    "TruncatedCaptureError",
    "capture_format",
    "float_to_ts",
    "guess_linktype",
    "max_record_for",
    "open_capture",
    "packet_time_ts",
    "rdpcap",
    "wrpcap",
]


class PcapReader(CaptureReader):
    """Stream a classic pcap file (either byte order, micro- or nanosecond timestamps).

    Iterating yields dissected packets (``decode(data, linktype)``, default
    ``paquet.layers.dissect``) with ``time``, ``wirelen``; ``raw=True`` yields ``RawPacket``.
    Opening a pcapng file with ``PcapReader`` gives a ``PcapNgReader``, as in Scapy.

    A record's captured length may not exceed ``max_record`` (default: Wireshark's maximum for
    the file's link type, ``max_record_for``; the header's snaplen, often 2**31 - 1 or 0 in
    hostile or sloppy files, does not count). A record claiming more, or cut short by the end
    of the file, raises ``TruncatedCaptureError`` naming the record's number and file offset,
    after every record before it was yielded. Memory is one buffer of about a chunk (1 MiB)
    or, for a record larger than that, about twice the record: never more than the cap allows.
    """

    def __new__(
        cls,
        filename: CaptureSource,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if cls is PcapReader and capture_format(filename) == "pcapng":
            from paquet.pcapng import PcapNgReader

            return PcapNgReader(filename, *args, **kwargs)
        return super().__new__(cls)

    def __init__(self, filename: CaptureSource, **options: Unpack[ReaderOptions]) -> None:
        super().__init__(filename, **options)
        try:
            hdr = self.f.read(24)
        except _READ_ERRORS as exc:
            self.close()
            raise CaptureError(f"{self.filename}: cannot read: {exc}") from None
        try:
            _format_of(hdr[:4], self.filename)
        except CaptureError:
            self.close()
            raise
        if len(hdr) < 24:
            self.close()
            raise CaptureError(f"{self.filename}: truncated pcap header ({len(hdr)} of 24 bytes)")
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (PCAP_MAGIC_US, PCAP_MAGIC_NS):
            self.endian = "<"
        else:
            self.endian = ">"
            magic = struct.unpack(">I", hdr[:4])[0]
        self.nano = magic == PCAP_MAGIC_NS
        self.tsresol = 1_000_000_000 if self.nano else 1_000_000
        (
            self.version_major,
            self.version_minor,
            self.thiszone,
            self.sigfigs,
            self.snaplen,
            linktype,
        ) = struct.unpack(self.endian + "HHiIII", hdr[4:])
        # The upper 16 bits may hold an FCS length (LINKTYPE_ with FCS flag): keep the type.
        self.linktype = linktype & 0x0FFFFFFF

    def _packets(self) -> Iterator[Any]:
        """The hot path of ``rdpcap``/iteration: records decoded as they are cut from the buffer
        (no intermediate ``RawPacket``), with their time and wire length."""
        if self._raw:
            yield from self.records()
            return
        decode = self._decode if self._decode is not None else _default_decoder()
        unpack = struct.Struct(self.endian + "IIII").unpack_from
        resol = self.tsresol
        micro = not self.nano  # nanoseconds: an exact EDecimal time, as Scapy's
        lt = self.linktype
        # The default decoder for this link type, given the record's time (one call less).
        fast = _fast_decoder(lt) if self._decode is None else None
        dlt = decode_linktype(lt) if self._decode is None else lt
        limit = self._max_record(lt)
        meta_ok = _META_OK
        buf = b""
        pos = n = 0
        base = 24
        k = 0  # records read
        need = 16
        while True:
            base += pos
            rest = buf[pos:] if pos < n else b""
            if n > _BIG:
                buf = b""  # a large record's buffer is freed before the next one is read
            buf, eof = self._fill(rest, need, base)
            rest = b""
            pos = 0
            n = len(buf)
            need = 16
            while pos + 16 <= n:
                sec, frac, caplen, wirelen = unpack(buf, pos)
                if caplen > limit:
                    raise self._too_long(base + pos, k + 1, caplen, limit)
                end = pos + 16 + caplen
                if end > n:
                    need = end - pos
                    break
                k += 1
                t = (sec * resol + frac) / resol if micro else EDecimal(sec * resol + frac) / resol
                if fast is not None:
                    pkt = fast(buf[pos + 16 : end], t)
                else:
                    pkt = decode(buf[pos + 16 : end], dlt)
                if meta_ok.get(type(pkt)):
                    d = pkt.__dict__
                    if fast is None:
                        d["time"] = t  # the fast decoder gave it already
                    d["wirelen"] = wirelen
                else:
                    rec = RawPacket(
                        b"", ts=sec * resol + frac, tsresol=resol, linktype=lt, wirelen=wirelen
                    )
                    _set_meta(pkt, rec, True)
                yield pkt
                pos = end
            if eof:
                if pos < n:
                    raise self._cut_short(base + pos, k + 1, n - pos, need)
                return

    def records(self) -> Iterator[RawPacket]:
        """Every record of the file as a ``RawPacket``; raises TruncatedCaptureError on damage."""
        unpack = struct.Struct(self.endian + "IIII").unpack_from
        resol = self.tsresol
        lt = self.linktype
        limit = self._max_record(lt)
        new = RawPacket.__new__
        buf = b""
        pos = n = 0
        base = 24  # file offset of buf[0]
        k = 0  # records read
        need = 16
        while True:
            base += pos
            rest = buf[pos:] if pos < n else b""
            if n > _BIG:
                buf = b""  # a large record's buffer is freed before the next one is read
            buf, eof = self._fill(rest, need, base)
            rest = b""
            pos = 0
            n = len(buf)
            need = 16
            while pos + 16 <= n:
                sec, frac, caplen, wirelen = unpack(buf, pos)
                if caplen > limit:
                    raise self._too_long(base + pos, k + 1, caplen, limit)
                end = pos + 16 + caplen
                if end > n:
                    need = end - pos
                    break
                k += 1
                rec = new(RawPacket)
                rec.data = buf[pos + 16 : end]
                rec.ts = sec * resol + frac
                rec.tsresol = resol
                rec.linktype = lt
                rec.wirelen = wirelen
                rec.ifindex = 0
                rec.sniffed_on = None
                rec.comments = None
                rec.flags = None
                rec.direction = None
                rec.interface = None
                rec.process_information = None
                yield rec
                pos = end
            if eof:
                if pos < n:
                    raise self._cut_short(base + pos, k + 1, n - pos, need)
                return

    def _too_long(self, offset: int, number: int, caplen: int, limit: int) -> TruncatedCaptureError:
        return TruncatedCaptureError(
            self.filename,
            offset,
            f"record {number} claims {caplen} bytes, more than the maximum {limit}"
            f" for link type {self.linktype}",
        )

    def _cut_short(self, offset: int, number: int, have: int, need: int) -> TruncatedCaptureError:
        return TruncatedCaptureError(
            self.filename, offset, f"record {number} cut short ({have} of {need} bytes)"
        )


FORMAT_READERS["pcap"] = PcapReader


def open_capture(
    filename: CaptureSource,
    *,
    decode: Decoder | None = None,
    raw: bool = False,
    max_record: int | None = None,
) -> CaptureReader:
    """Open a pcap or pcapng file (detected from its magic number) as a streaming reader.

    ``max_record``: the largest record accepted (None: Wireshark's cap, ``max_record_for``).
    A named pipe is opened once (its format is read from what it holds, not consumed).
    """
    if isinstance(filename, str | os.PathLike):
        path = os.fspath(filename)
        try:
            pipe = stat.S_ISFIFO(os.stat(path).st_mode)
        except OSError:
            pipe = False
        if pipe:
            f = open(path, "rb")  # noqa: SIM115 - the reader owns it
            try:
                r = open_capture(f, decode=decode, raw=raw, max_record=max_record)
            except BaseException:
                f.close()
                raise
            r._owned = True
            r.filename = path
            return r
    fmt = capture_format(filename)
    if fmt == "pcapng":
        from paquet.pcapng import PcapNgReader

        return PcapNgReader(filename, decode=decode, raw=raw, max_record=max_record)
    reader: CaptureReader = PcapReader(filename, decode=decode, raw=raw, max_record=max_record)
    return reader


def rdpcap(
    filename: CaptureSource,
    count: int = -1,
    *,
    decode: Decoder | None = None,
    raw: bool = False,
    max_record: int | None = None,
) -> PacketList:
    """Read a pcap or pcapng file into a PacketList (at most ``count`` packets; -1 for all).

    On a damaged file raises TruncatedCaptureError, whose ``packets`` holds every packet before
    the damage. ``max_record``: the largest record accepted (None: ``max_record_for``).
    """
    with open_capture(filename, decode=decode, raw=raw, max_record=max_record) as reader:
        return reader.read_all(count)


class PcapWriter(_CaptureWriter):
    """Write a classic pcap file, packet by packet (Scapy's ``PcapWriter``).

    ``linktype`` defaults to the first packet's (Ethernet for ``Ether``, 228/229 for
    ``IP``/``IPv6``, a record's own); ``nano=True`` writes nanosecond timestamps; ``append=True``
    continues an existing file in its own format; ``sync=True`` flushes after every packet.
    ``filename`` may be a path or a binary file object.
    """

    def __init__(
        self,
        filename: str | os.PathLike[str] | BinaryIO | IO[bytes],
        linktype: int | None = None,
        gz: bool = False,
        endianness: str = "",
        append: bool = False,
        sync: bool = False,
        nano: bool = False,
        snaplen: int = MAX_SNAPLEN,
        bufsz: int = 1 << 16,
    ) -> None:
        self.linktype = linktype
        self.endian = endianness or "<"
        if self.endian not in ("<", ">", "=", "!"):
            raise CaptureError(f"endianness must be '<' or '>', not {endianness!r}")
        self.nano = nano
        self.snaplen = snaplen
        self.sync = sync
        self.header_present = False
        self.filename: str
        self._owned = isinstance(filename, str | os.PathLike)
        if isinstance(filename, str | os.PathLike):
            path = os.fspath(filename)
            self.filename = path
            if append and _has_content(path):
                self._adopt_existing(path)
            self.f = _open_write(path, append, sync, bufsz, gz)
        else:
            self.f = filename
            self.filename = _name_of(filename)
        self._rec = struct.Struct(self.endian + "IIII")
        self._guessed = linktype is None  # the link type comes from the first packet
        self._checked: type | None = None  # the last packet class checked against it

    def _adopt_existing(self, path: str) -> None:
        """Appending: take the existing file's byte order, resolution and link type."""
        with PcapReader(path, raw=True) as r:
            if not isinstance(r, PcapReader):
                raise CaptureError(f"{path}: cannot append pcap records to a pcapng file")
            self.endian = r.endian
            self.nano = r.nano
            self.snaplen = r.snaplen
            if self.linktype is not None and self.linktype != r.linktype:
                raise CaptureError(
                    f"{path}: link type {r.linktype} in the file, {self.linktype} asked"
                )
            self.linktype = r.linktype
        self.header_present = True

    def write_header(self, pkt: Any = None) -> None:
        """Write the 24-byte global header (link type from ``pkt`` when not given)."""
        if self.linktype is None:
            self.linktype = LINKTYPE_ETHERNET if pkt is None else guess_linktype(pkt)
        magic = PCAP_MAGIC_NS if self.nano else PCAP_MAGIC_US
        self.f.write(
            struct.pack(self.endian + "IHHiIII", magic, 2, 4, 0, 0, self.snaplen, self.linktype)
        )
        self.header_present = True

    def write_packet(
        self,
        packet: Any,
        sec: int | None = None,
        usec: int | None = None,
        caplen: int | None = None,
        wirelen: int | None = None,
    ) -> None:
        """Write one packet; ``sec``/``usec`` (µs, or ns when ``nano``) override its time.

        A packet whose first layer needs another link type than the file's (the file's was
        taken from an earlier packet) is written all the same, with a :class:`CaptureWarning`
        (Scapy's "Inconsistent linktypes" warning): readers will misread it.
        """
        if not self.header_present:
            self.write_header(packet)
        cls = type(packet)
        if cls is not self._checked and self._guessed:
            self._checked = cls
            if cls not in _UNTYPED and guess_linktype(packet) != self.linktype:
                warnings.warn(
                    f"Inconsistent linktypes detected! A {cls.__name__} packet written to a"
                    f" file of link type {self.linktype}: the resulting file might contain"
                    " invalid packets",
                    CaptureWarning,
                    stacklevel=3,
                )
        data = bytes(packet)
        resol = 1_000_000_000 if self.nano else 1_000_000
        if sec is None:
            ts = packet_time_ts(packet, resol)
            sec, frac = divmod(ts, resol)
        else:
            sec, frac = int(sec), int(usec or 0)  # Scapy accepts a float second
        if wirelen is None:
            wirelen = getattr(packet, "wirelen", None)
            if not isinstance(wirelen, int):
                wirelen = len(data)
        if caplen is None:
            caplen = len(data)
        caplen = min(caplen, len(data))
        if sec < 0 or sec > 0xFFFFFFFF:
            raise CaptureError(f"timestamp {sec} s does not fit a pcap record")
        self.f.write(self._rec.pack(sec, frac, caplen, max(wirelen, caplen)))
        self.f.write(data[:caplen])
        if self.sync:
            self.f.flush()


def wrpcap(
    filename: CaptureSource,
    pkt: Any,
    linktype: int | None = None,
    append: bool = False,
    sync: bool = False,
    nano: bool = False,
    *,
    gz: bool = False,
) -> None:
    """Write a packet or a list of packets to a pcap file (pcapng if the name ends in .pcapng).

    Scapy's signature. Timestamps come from each packet's ``time``.
    """
    if isinstance(filename, str | os.PathLike) and os.fspath(filename).endswith(".pcapng"):
        from paquet.pcapng import PcapNgWriter

        with PcapNgWriter(filename, linktype=linktype, append=append, sync=sync, nano=nano) as w:
            w.write(pkt)
        return
    with PcapWriter(
        filename, linktype=linktype, append=append, sync=sync, nano=nano, gz=gz
    ) as writer:
        writer.write(pkt)
