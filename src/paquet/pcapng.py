"""pcapng capture files (the format Wireshark writes by default), streamed in constant memory.

Read: section headers (several sections, either byte order), interface descriptions with their
link types and options (``if_name``, ``if_tsresol``, ``if_tsoffset``...), enhanced, simple and
obsolete packet blocks, name resolution blocks, comments and Apple's process information;
unknown blocks are skipped. The blocks' layouts are :mod:`paquet.pcapng_blocks`.
Write: a section header (with a comment and the writing application), one interface per link
type and capture interface, enhanced packet blocks with their comments and flags, and name
resolution blocks, so a pcapng file read then written back keeps its names and comments.

>>> import io
>>> from paquet.pcap import RawPacket
>>> buf = io.BytesIO()
>>> with PcapNgWriter(buf, comment="lab 1") as w:
...     w.write(RawPacket(b"\\x45" + bytes(19), time=2.25, linktype=101, comments=[b"first"]))
>>> _ = buf.seek(0)
>>> r = PcapNgReader(buf, raw=True)
>>> [(p.time, p.comments, r.interfaces[p.ifindex].linktype) for p in r], r.section.comments
([(2.25, [b'first'], 101)], ['lab 1'])
"""

from __future__ import annotations

import ipaddress
import os
import struct
from collections.abc import Iterator
from typing import IO, Any, BinaryIO, Unpack

from paquet.capfile import (
    _BIG,
    FORMAT_READERS,
    LINKTYPE_ETHERNET,
    MAX_SNAPLEN,
    CaptureReader,
    CaptureSource,
    RawPacket,
    ReaderOptions,
    TruncatedCaptureError,
    _CaptureWriter,
    _has_content,
    _name_of,
    _open_write,
    capture_format,
    float_to_ts,
    guess_linktype,
    packet_time_ts,
)
from paquet.errors import CaptureError
from paquet.pcapng_blocks import (
    _BLOCK_OVERHEAD,
    _ISB_COUNTERS,
    BT_EPB,
    BT_IDB,
    BT_ISB,
    BT_NRB,
    BT_OPB,
    BT_PIB,
    BT_SHB,
    BT_SPB,
    BYTE_ORDER_MAGIC,
    EPB_FLAGS,
    IF_DESCRIPTION,
    IF_NAME,
    IF_TSOFFSET,
    IF_TSRESOL,
    ISB_ENDTIME,
    ISB_STARTTIME,
    MAX_BLOCK,
    NRB_END,
    NRB_IPV4,
    NRB_IPV6,
    OPT_COMMENT,
    SHB_USERAPPL,
    Interface,
    InterfaceStatistics,
    NameRecord,
    Section,
    _as_bytes,
    _block,
    _interface,
    _names,
    _opt,
    _opts,
    _packet_options,
    _pad4,
    _process,
    _section,
    _statistics,
    _tsresol_byte,
)

__all__ = [
    "Interface",
    "InterfaceStatistics",
    "NameRecord",
    "PcapNgReader",
    "PcapNgWriter",
    "Section",
    "wrpcapng",
]


class PcapNgReader(CaptureReader):
    """Stream a pcapng file: packets (dissected, or ``RawPacket`` with ``raw=True``) in order.

    ``section`` is the current section header, ``interfaces`` its interfaces (a packet's
    ``ifindex`` indexes it), ``names`` every name resolution record met so far, ``statistics``
    the interface statistics blocks met so far (``InterfaceStatistics``).

    Caps, as Wireshark's: a packet's captured length at most ``max_record`` (default
    ``max_record_for`` its interface's link type: 256 KiB for most), a block at most that
    largest record plus 128 KiB of fields and options (``MAX_BLOCK``, 128 MiB + 128 KiB, by
    default). A block claiming more, cut short, or inconsistent raises
    ``TruncatedCaptureError`` naming the block's number and file offset, after every packet
    before it. A block is buffered whole (about twice its length at most) and its options are
    parsed in one pass: memory stays proportional to one block.

    Opening a classic pcap file gives a :class:`~paquet.pcap.PcapReader`, as Scapy's (once
    :mod:`paquet.pcap` is loaded, as it is with ``PcapNgReader`` from ``paquet``'s namespace).
    """

    def __new__(cls, filename: CaptureSource, *args: Any, **kwargs: Any) -> Any:
        alternative = FORMAT_READERS.get("pcap") if cls is PcapNgReader else None
        if alternative is not None and capture_format(filename) == "pcap":
            return alternative(filename, *args, **kwargs)
        return super().__new__(cls)

    def __init__(self, filename: CaptureSource, **options: Unpack[ReaderOptions]) -> None:
        if capture_format(filename) != "pcapng":
            name = (
                os.fspath(filename)
                if isinstance(filename, str | os.PathLike)
                else _name_of(filename)
            )
            raise CaptureError(f"{name}: not a pcapng file")
        super().__init__(filename, **options)
        max_record = options.get("max_record")
        self.max_block = MAX_BLOCK if max_record is None else max_record + _BLOCK_OVERHEAD
        self.section = Section()
        self.sections: list[Section] = []
        self.interfaces: list[Interface] = []
        self.names: list[NameRecord] = []
        self.statistics: list[InterfaceStatistics] = []
        #: Apple's process information blocks met so far (``{"id", "name", "uuid"}``), which
        #: a packet's ``process_information`` refers to.
        self.process_information: list[dict[str, Any]] = []
        self._gen = self._scan()
        self._deferred: TruncatedCaptureError | None = None
        # Read the section header and the interfaces before the first packet, so that
        # ``linktype`` and ``interfaces`` are known before iterating.
        try:
            self._pending: RawPacket | None = next(self._gen, None)
        except TruncatedCaptureError as exc:
            if not self.sections:
                self.close()
                raise CaptureError(str(exc)) from None
            self._pending = None
            self._deferred = exc

    @property
    def linktype(self) -> int:  # type: ignore[override]
        """The first interface's link type (Ethernet when the file declares none)."""
        return self.interfaces[0].linktype if self.interfaces else LINKTYPE_ETHERNET

    @property
    def byteorder(self) -> str:
        """``"little"`` or ``"big"``: the byte order of the current section."""
        return "big" if self.section.endian == ">" else "little"

    @property
    def comments(self) -> list[str]:
        """The current section's comments."""
        return self.section.comments

    def records(self) -> Iterator[RawPacket]:
        """Every packet record as a ``RawPacket``; raises TruncatedCaptureError on damage."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            yield pending
        if self._deferred is not None:
            exc, self._deferred = self._deferred, None
            raise exc
        yield from self._gen

    def _damage(
        self, offset: int, number: int, btype: int | None, reason: str
    ) -> TruncatedCaptureError:
        """The error for block ``number`` (1-based, in file order) at ``offset``."""
        kind = "" if btype is None else f" (type {btype:#x})"
        return TruncatedCaptureError(self.filename, offset, f"block {number}{kind}: {reason}")

    def _check_length(self, offset: int, number: int, btype: int, blen: int) -> None:
        """A block's declared length: from 12 bytes to ``max_block``."""
        if blen < 12:
            raise self._damage(offset, number, btype, f"bad length {blen}")
        if blen > self.max_block:
            raise self._damage(
                offset,
                number,
                btype,
                f"claims {blen} bytes, more than the maximum {self.max_block}",
            )

    def _scan(self) -> Iterator[RawPacket]:
        e = "<"
        head = struct.Struct("<II")
        tail = struct.Struct("<I")
        epb = struct.Struct("<IIIII")
        buf = b""
        pos = n = 0
        base = 0
        nb = 0  # blocks read
        need = 12
        new = RawPacket.__new__
        interfaces = self.interfaces
        caps: list[int] = []  # each interface's largest record
        # The smallest cap of any link type: a packet within it needs no look at its interface's.
        small = MAX_SNAPLEN if self.max_record is None else self.max_record
        max_block = self.max_block
        while True:
            base += pos
            rest = buf[pos:] if pos < n else b""
            if n > _BIG:
                buf = b""  # a large record's buffer is freed before the next one is read
            buf, eof = self._fill(rest, need, base)
            rest = b""
            pos = 0
            n = len(buf)
            need = 12
            while pos + 12 <= n:
                btype, blen = head.unpack_from(buf, pos)
                if btype == BT_SHB:
                    bom = struct.unpack_from("<I", buf, pos + 8)[0]
                    if bom == BYTE_ORDER_MAGIC:
                        e = "<"
                    elif bom == 0x4D3C2B1A:
                        e = ">"
                    else:
                        raise self._damage(base + pos, nb + 1, btype, "bad byte-order magic")
                    head = struct.Struct(e + "II")
                    tail = struct.Struct(e + "I")
                    epb = struct.Struct(e + "IIIII")
                    btype, blen = head.unpack_from(buf, pos)
                elif not self.sections:
                    raise self._damage(
                        base + pos, nb + 1, btype, "the file does not start with a section header"
                    )
                if blen < 12 or blen > max_block:
                    self._check_length(base + pos, nb + 1, btype, blen)
                # A length that is not a multiple of 4 (old writers) is followed by its
                # padding, as Scapy and Wireshark read it.
                size = (blen + 3) & ~3
                end = pos + size
                if end > n:
                    need = size
                    break
                nb += 1
                if tail.unpack_from(buf, end - 4)[0] != blen:
                    raise self._damage(base + pos, nb, btype, "trailing length differs")
                try:
                    if btype == BT_EPB:
                        ifid, hi, lo, caplen, wirelen = epb.unpack_from(buf, pos + 8)
                        dstart = pos + 28
                        dend = dstart + caplen
                        if dend > end - 4:
                            raise ValueError(f"captured length {caplen} overruns the block")
                        iface = interfaces[ifid]
                        if caplen > small and caplen > caps[ifid]:
                            raise ValueError(self._too_long(caplen, iface, caps[ifid]))
                        rec = new(RawPacket)
                        rec.data = buf[dstart:dend]
                        rec.ts = (hi << 32 | lo) + iface.tsoffset * iface.tsresol
                        rec.tsresol = iface.tsresol
                        rec.linktype = iface.linktype
                        rec.wirelen = wirelen
                        rec.ifindex = ifid
                        rec.sniffed_on = iface.name
                        rec.comments = None
                        rec.flags = None
                        rec.direction = None
                        rec.interface = iface
                        rec.process_information = None
                        ostart = dstart + _pad4(caplen)
                        if ostart < end - 4:
                            _packet_options(rec, buf, ostart, end - 4, e, self.process_information)
                        yield rec
                    elif btype == BT_SPB:
                        yield self._simple_packet(buf, pos, blen, e, caps)
                    elif btype == BT_OPB:
                        yield self._obsolete_packet(buf, pos, end, e, caps)
                    elif btype == BT_SHB:
                        self.section = _section(buf[pos + 8 : end - 4], e)
                        self.sections.append(self.section)
                        interfaces = self.interfaces = []
                        caps = []
                    elif btype == BT_IDB:
                        iface = _interface(buf[pos + 8 : end - 4], e)
                        interfaces.append(iface)
                        caps.append(self._max_record(iface.linktype))
                    elif btype == BT_NRB:
                        self.names.extend(_names(buf[pos + 8 : end - 4], e))
                    elif btype == BT_ISB:
                        self.statistics.append(_statistics(buf[pos + 8 : end - 4], e, interfaces))
                    elif btype == BT_PIB:
                        self.process_information.append(_process(buf[pos + 8 : end - 4], e))
                    # Any other block type (custom, decryption secrets...) is skipped.
                except IndexError:
                    raise self._damage(
                        base + pos,
                        nb,
                        btype,
                        "packet refers to an interface not described before it",
                    ) from None
                except struct.error:
                    raise self._damage(
                        base + pos, nb, btype, f"{blen} bytes, too short for its fields"
                    ) from None
                except ValueError as exc:
                    raise self._damage(base + pos, nb, btype, str(exc)) from None
                pos = end
            if eof:
                if pos < n:
                    kind = head.unpack_from(buf, pos)[0] if pos + 8 <= n else None
                    raise self._damage(
                        base + pos, nb + 1, kind, f"cut short ({n - pos} of {need} bytes)"
                    )
                return

    @staticmethod
    def _too_long(caplen: int, iface: Interface, cap: int) -> str:
        return (
            f"captured length {caplen} is more than the maximum {cap}"
            f" for link type {iface.linktype}"
        )

    def _simple_packet(self, buf: bytes, pos: int, blen: int, e: str, caps: list[int]) -> RawPacket:
        """A simple packet block (interface 0, no timestamp) at ``pos``."""
        (wirelen,) = struct.unpack_from(e + "I", buf, pos + 8)
        iface = self.interfaces[0]
        caplen = min(wirelen, blen - 16)
        if iface.snaplen:
            caplen = min(caplen, iface.snaplen)
        if caplen > caps[0]:
            raise ValueError(self._too_long(caplen, iface, caps[0]))
        return RawPacket(
            buf[pos + 12 : pos + 12 + caplen],
            ts=0,
            tsresol=iface.tsresol,
            linktype=iface.linktype,
            wirelen=wirelen,
            sniffed_on=iface.name,
            interface=iface,
        )

    def _obsolete_packet(
        self, buf: bytes, pos: int, end: int, e: str, caps: list[int]
    ) -> RawPacket:
        """An obsolete packet block (pcapng before 1.0) at ``pos``."""
        ifid, _drops, hi, lo, caplen, wirelen = struct.unpack_from(e + "HHIIII", buf, pos + 8)
        if pos + 28 + caplen > end - 4:
            raise ValueError(f"captured length {caplen} overruns the block")
        iface = self.interfaces[ifid]
        if caplen > caps[ifid]:
            raise ValueError(self._too_long(caplen, iface, caps[ifid]))
        return RawPacket(
            buf[pos + 28 : pos + 28 + caplen],
            ts=(hi << 32 | lo) + iface.tsoffset * iface.tsresol,
            tsresol=iface.tsresol,
            linktype=iface.linktype,
            wirelen=wirelen,
            ifindex=ifid,
            sniffed_on=iface.name,
            interface=iface,
        )


class PcapNgWriter(_CaptureWriter):
    """Write a pcapng file (Scapy's ``PcapNgWriter``, plus comments, interfaces and names).

    One interface description is written per link type and capture interface met (a record
    read from a pcapng file keeps its interface's name and options); ``nano=True`` uses
    nanosecond timestamps for new interfaces. ``comment`` is the section's comment,
    ``userappl`` the writing application's name (none by default, as Scapy). A packet's
    ``comments`` (list of bytes or str) and ``direction`` are written in its block.
    ``append=True`` adds a new section at the end of an existing file.
    """

    def __init__(
        self,
        filename: str | os.PathLike[str] | BinaryIO | IO[bytes],
        linktype: int | None = None,
        append: bool = False,
        sync: bool = False,
        nano: bool = False,
        snaplen: int = MAX_SNAPLEN,
        endianness: str = "<",
        *,
        comment: str | list[str] | None = None,
        interfaces: list[Interface] | None = None,
        names: list[NameRecord] | None = None,
        userappl: str | None = None,
        bufsz: int = 1 << 16,
    ) -> None:
        if endianness not in ("<", ">"):
            raise CaptureError(f"endianness must be '<' or '>', not {endianness!r}")
        self.e = endianness
        self.linktype = linktype
        self.nano = nano
        self.snaplen = snaplen
        self.sync = sync
        self.comments = [comment] if isinstance(comment, str) else list(comment or [])
        self.userappl = userappl
        self.interfaces: list[Interface] = []
        self._by_key: dict[tuple[int, str | None], int] = {}
        self._by_obj: dict[int, int] = {}
        self._pending_ifaces = list(interfaces or [])
        self._pending_names = list(names or [])
        self.header_present = False
        self._owned = isinstance(filename, str | os.PathLike)
        if isinstance(filename, str | os.PathLike):
            path = os.fspath(filename)
            self.filename = path
            if append and _has_content(path) and capture_format(path) != "pcapng":
                raise CaptureError(f"{path}: cannot append pcapng blocks to a pcap file")
            self.f = _open_write(path, append, sync, bufsz)
        else:
            self.f = filename
            self.filename = _name_of(filename)
        self._epb = struct.Struct(self.e + "IIIII")

    def write_header(self, pkt: Any = None) -> None:
        """Write the section header, then the interfaces and names given to the constructor."""
        e = self.e
        opts = [(OPT_COMMENT, c.encode("utf-8")) for c in self.comments]
        if self.userappl:
            opts.append((SHB_USERAPPL, self.userappl.encode("utf-8")))
        body = struct.pack(e + "IHHq", BYTE_ORDER_MAGIC, 1, 0, -1) + _opts(e, opts)
        self.f.write(_block(e, BT_SHB, body))
        self.header_present = True
        for iface in self._pending_ifaces:
            self.add_interface(iface)
        self._pending_ifaces = []
        if self._pending_names:
            self.write_names(self._pending_names)
            self._pending_names = []

    def add_interface(self, iface: Interface) -> int:
        """Write an interface description block; return the new interface's id."""
        if not self.header_present:
            self.write_header()
        e = self.e
        opts: list[tuple[int, bytes]] = [(OPT_COMMENT, c.encode("utf-8")) for c in iface.comments]
        if iface.name is not None:
            opts.append((IF_NAME, iface.name.encode("utf-8")))
        if iface.description is not None:
            opts.append((IF_DESCRIPTION, iface.description.encode("utf-8")))
        if iface.tsresol != 1_000_000:
            opts.append((IF_TSRESOL, bytes([_tsresol_byte(iface.tsresol)])))
        if iface.tsoffset:
            opts.append((IF_TSOFFSET, struct.pack(e + "q", iface.tsoffset)))
        opts.extend(iface.options)
        body = struct.pack(e + "HHI", iface.linktype, 0, iface.snaplen) + _opts(e, opts)
        self.f.write(_block(e, BT_IDB, body))
        self.interfaces.append(iface)
        index = len(self.interfaces) - 1
        self._by_obj[id(iface)] = index
        self._by_key.setdefault((iface.linktype, iface.name), index)
        return index

    def write_names(self, names: list[NameRecord]) -> None:
        """Write a name resolution block (IPv4 and IPv6 addresses with their names)."""
        if not self.header_present:
            self.write_header()
        e = self.e
        parts = []
        for rec in names:
            addr = ipaddress.ip_address(rec.address)
            value = addr.packed + b"".join(n.encode("utf-8") + b"\x00" for n in rec.names)
            rtype = NRB_IPV4 if addr.version == 4 else NRB_IPV6
            parts.append(_opt(e, rtype, value))
        parts.append(struct.pack(e + "HH", NRB_END, 0))
        self.f.write(_block(e, BT_NRB, b"".join(parts)))

    def write_statistics(self, stats: InterfaceStatistics) -> None:
        """Write an interface statistics block (counts of a capture, as dumpcap writes)."""
        if not self.header_present:
            self.write_header()
        iface = self.interfaces[stats.ifindex]
        e = self.e

        def units(t: float) -> bytes:
            v = float_to_ts(t - iface.tsoffset, iface.tsresol)
            return struct.pack(e + "II", v >> 32, v & 0xFFFFFFFF)

        opts: list[tuple[int, bytes]] = [(OPT_COMMENT, c.encode("utf-8")) for c in stats.comments]
        if stats.start is not None:
            opts.append((ISB_STARTTIME, units(stats.start)))
        if stats.end is not None:
            opts.append((ISB_ENDTIME, units(stats.end)))
        for code, name in _ISB_COUNTERS.items():
            value = getattr(stats, name)
            if value is not None:
                opts.append((code, struct.pack(e + "Q", value)))
        body = struct.pack(e + "I", stats.ifindex) + units(stats.time) + _opts(e, opts)
        self.f.write(_block(e, BT_ISB, body))

    def _interface_for(self, pkt: Any) -> int:
        iface = getattr(pkt, "interface", None)
        if isinstance(iface, Interface):
            idx = self._by_obj.get(id(iface))
            if idx is None:
                idx = self.add_interface(iface)
            return idx
        lt = self.linktype if self.linktype is not None else guess_linktype(pkt)
        name = getattr(pkt, "sniffed_on", None)
        name = name if isinstance(name, str) else None
        idx = self._by_key.get((lt, name))
        if idx is None:
            resol = 1_000_000_000 if self.nano else 1_000_000
            idx = self.add_interface(
                Interface(linktype=lt, snaplen=self.snaplen, name=name, tsresol=resol)
            )
        return idx

    def write_packet(
        self,
        packet: Any,
        *,
        wirelen: int | None = None,
        comments: list[str | bytes] | None = None,
        ifindex: int | None = None,
    ) -> None:
        """Write one packet as an enhanced packet block, with its comments and direction."""
        if not self.header_present:
            self.write_header(packet)
        idx = self._interface_for(packet) if ifindex is None else ifindex
        iface = self.interfaces[idx]
        data = bytes(packet)
        if wirelen is None:
            wl = getattr(packet, "wirelen", None)
            wirelen = wl if isinstance(wl, int) else len(data)
        ts = packet_time_ts(packet, iface.tsresol) - iface.tsoffset * iface.tsresol
        if ts < 0 or ts >= 1 << 64:
            raise CaptureError(f"timestamp of {packet!r:.60} does not fit a pcapng block")
        e = self.e
        if comments is None:
            comments = getattr(packet, "comments", None)
        opts: list[tuple[int, bytes]] = [(OPT_COMMENT, _as_bytes(c)) for c in comments or []]
        flags = getattr(packet, "flags", None)
        direction = getattr(packet, "direction", None)
        if isinstance(packet, RawPacket) and isinstance(flags, int):
            opts.append((EPB_FLAGS, struct.pack(e + "I", flags)))
        elif isinstance(direction, int):
            opts.append((EPB_FLAGS, struct.pack(e + "I", direction & 3)))
        caplen = len(data)
        body = (
            self._epb.pack(idx, ts >> 32, ts & 0xFFFFFFFF, caplen, max(wirelen, caplen))
            + data
            + b"\x00" * (_pad4(caplen) - caplen)
            + _opts(e, opts)
        )
        self.f.write(_block(e, BT_EPB, body))
        if self.sync:
            self.f.flush()


def wrpcapng(
    filename: CaptureSource,
    pkt: Any,
    linktype: int | None = None,
    append: bool = False,
    sync: bool = False,
    nano: bool = False,
    **kwargs: Any,
) -> None:
    """Write a packet or a list of packets to a pcapng file (Scapy's ``wrpcapng``)."""
    with PcapNgWriter(
        filename, linktype=linktype, append=append, sync=sync, nano=nano, **kwargs
    ) as w:
        w.write(pkt)
