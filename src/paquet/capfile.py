"""What pcap and pcapng capture files share: records, link types, size caps, readers' and
writers' common parts.

``RawPacket`` (a record's bytes and metadata), ``LinkType``, Wireshark's record caps
(``max_record_for``), ``TruncatedCaptureError``, the format sniffing (``capture_format``), the
base classes ``CaptureReader`` and ``_CaptureWriter``, and the default decoders. The formats
themselves are :mod:`paquet.pcap` and :mod:`paquet.pcapng`, both above this module; users import
these names from :mod:`paquet.pcap`, as in Scapy.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import time as _time
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, Self, TypedDict

from paquet.edecimal import ts_time
from paquet.errors import CaptureError
from paquet.number_enums import LinkType
from paquet.numbers import LINKTYPE_ETHERNET as LINKTYPE_ETHERNET  # net.sniff's names
from paquet.numbers import LINKTYPE_RAW as LINKTYPE_RAW

if TYPE_CHECKING:
    from types import TracebackType

    from paquet.plist import PacketList

#: ``decode(data, linktype) -> packet``: how a reader turns a record's bytes into a packet.
Decoder = Callable[[bytes, int], Any]

#: What a capture is read from or written to: a path, or a binary file object.
CaptureSource = str | os.PathLike[str] | IO[bytes]


class ReaderOptions(TypedDict, total=False):
    """The keyword options every capture reader takes (see :class:`CaptureReader`)."""

    decode: Decoder | None
    raw: bool
    max_record: int | None


PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
PCAPNG_SHB = 0x0A0D0D0A
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20
#: A buffer larger than this (it held a large record) is freed before the next is read; a
#: chunk-sized one is kept until then (freeing it first costs ~10%: the heap is trimmed).
_BIG = 2 * _CHUNK
#: What reading a damaged file may raise (a corrupted gzip stream raises zlib.error).
_READ_ERRORS = (OSError, EOFError, zlib.error)
#: Largest record libpcap and Wireshark accept for most link types (libpcap's MAXIMUM_SNAPLEN,
#: wiretap's WTAP_MAX_PACKET_SIZE_STANDARD).
MAX_SNAPLEN = 262144
#: Link types whose records may be larger, with wiretap's maximum for them (wtap.h:
#: WTAP_MAX_PACKET_SIZE_DBUS, _USBPCAP and _EBHSCR).
_MAX_RECORD_OF_LINKTYPE: dict[int, int] = {
    231: 128 * 1024 * 1024,  # D-Bus: a message is at most 128 MiB
    249: 128 * 1024 * 1024,  # USBPcap
    279: 8 * 1024 * 1024,  # EBHSCR
}
#: The largest record any link type allows (a pcapng block holds at most one, plus options).
MAX_RECORD = max(_MAX_RECORD_OF_LINKTYPE.values())


def max_record_for(linktype: int) -> int:
    """The largest captured length a record of ``linktype`` may have, as Wireshark reads it.

    256 KiB (``MAX_SNAPLEN``) for every link type but D-Bus and USBPcap (128 MiB) and EBHSCR
    (8 MiB). A file's header snaplen does not raise it: a record claiming more is damage.

    >>> max_record_for(LINKTYPE_ETHERNET), max_record_for(231)
    (262144, 134217728)
    """
    return _MAX_RECORD_OF_LINKTYPE.get(linktype, MAX_SNAPLEN)


#: The link types a first layer is looked up for in the engine's registry, likeliest first.
_LINKTYPES_BY_LIKELIHOOD = (
    LinkType.ETHERNET,
    LinkType.IPV4,
    LinkType.IPV6,
    LinkType.LINUX_SLL,
    LinkType.LINUX_SLL2,
    LinkType.NULL,
    LinkType.RAW,
)
# First-layer class name -> link type, to choose a file's link type from its first packet.
_LINKTYPE_OF_LAYER: dict[str, int] = {
    "Ether": LinkType.ETHERNET,
    # 802.11 (worktree dot11)
    "Dot11": LinkType.IEEE802_11,
    "Dot11FCS": LinkType.IEEE802_11,
    "RadioTap": LinkType.IEEE802_11_RADIOTAP,
    "PrismHeader": LinkType.PRISM_HEADER,
    "Ethernet": LinkType.ETHERNET,
    "Dot3": LinkType.ETHERNET,
    "IP": LinkType.IPV4,
    "IPv4": LinkType.IPV4,
    "IPv6": LinkType.IPV6,
    "CookedLinux": LinkType.LINUX_SLL,
    "SLL": LinkType.LINUX_SLL,
    "LinuxSLL": LinkType.LINUX_SLL,
    "CookedLinuxV2": LinkType.LINUX_SLL2,
    "SLL2": LinkType.LINUX_SLL2,
    "LinuxSLL2": LinkType.LINUX_SLL2,
    "Loopback": LinkType.NULL,
    "Null": LinkType.NULL,
    "BSDLoopback": LinkType.NULL,
}


class TruncatedCaptureError(CaptureError):
    """A capture damaged or cut short at ``offset``; ``packets`` holds what was read before.

    ``rdpcap`` fills ``packets`` with every packet before the damage (a ``PacketList``); a
    streaming reader has already yielded them and leaves it empty.
    """

    def __init__(self, path: str, offset: int, reason: str) -> None:
        self.path = path
        self.offset = offset
        self.reason = reason
        self.packets: list[Any] = []
        super().__init__(f"{path}: damaged capture at offset {offset}: {reason}")


class RawPacket:
    """One captured record, not dissected: its bytes and what the capture file says about it.

    ``ts`` is the timestamp as an exact integer count of ``1/tsresol`` seconds (``tsresol`` is
    10**6 for microsecond files, 10**9 for nanosecond ones); ``time`` is the same as a float,
    ``time_ns`` as integer nanoseconds. ``bytes(rec)`` is the data. ``interface`` is the
    pcapng ``Interface`` the record was captured on (None for pcap), ``ifindex`` its id.
    """

    __slots__ = (
        "comments",
        "data",
        "direction",
        "flags",
        "ifindex",
        "interface",
        "linktype",
        "process_information",
        "sniffed_on",
        "ts",
        "tsresol",
        "wirelen",
    )

    def __init__(
        self,
        data: bytes,
        time: float | None = None,
        linktype: int = LINKTYPE_ETHERNET,
        wirelen: int | None = None,
        *,
        ts: int | None = None,
        tsresol: int = 1_000_000_000,
        ifindex: int = 0,
        sniffed_on: str | None = None,
        comments: list[bytes] | None = None,
        flags: int | None = None,
        direction: int | None = None,
        interface: Any = None,
    ) -> None:
        self.data = bytes(data)
        if ts is None:
            ts = float_to_ts(_time.time() if time is None else time, tsresol)
        self.ts = ts
        self.tsresol = tsresol
        self.linktype = linktype
        self.wirelen = len(self.data) if wirelen is None else wirelen
        self.ifindex = ifindex
        self.sniffed_on = sniffed_on
        self.comments = comments
        self.flags = flags
        self.direction = direction
        self.interface = interface
        self.process_information: dict[str, Any] | None = None

    @property
    def time(self) -> float:
        """Timestamp in seconds since the epoch (float; ``time_ns`` keeps every digit)."""
        return self.ts / self.tsresol

    @time.setter
    def time(self, value: float) -> None:
        self.ts = float_to_ts(value, 1_000_000_000)
        self.tsresol = 1_000_000_000

    @property
    def time_ns(self) -> int:
        """Timestamp in integer nanoseconds since the epoch, exact for pcap files."""
        return self.ts * 1_000_000_000 // self.tsresol

    @property
    def caplen(self) -> int:
        """Captured length: the number of bytes kept in the file."""
        return len(self.data)

    def __bytes__(self) -> bytes:
        return self.data

    def __len__(self) -> int:
        return len(self.data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawPacket):
            return NotImplemented
        return (
            self.data == other.data
            and self.time_ns == other.time_ns
            and self.linktype == other.linktype
            and self.wirelen == other.wirelen
        )

    __hash__ = None  # type: ignore[assignment]

    def summary(self) -> str:
        """One line: link type name, lengths and the first bytes in hex."""
        try:
            lt = LinkType(self.linktype).name
        except ValueError:
            lt = f"linktype {self.linktype}"
        return f"Raw {lt} {len(self.data)} bytes (wire {self.wirelen}) {self.data[:16].hex()}"

    def __repr__(self) -> str:
        return (
            f"<RawPacket time={self.time:.6f} linktype={self.linktype} "
            f"len={len(self.data)} wirelen={self.wirelen}>"
        )


#: Link types some systems write for raw IP (their DLT_RAW: 12, 14 on OpenBSD; Scapy writes
#: 12), read as LINKTYPE_RAW, as Wireshark does.
_RAW_ALIASES = {12: 101, 14: 101}


def decode_linktype(linktype: int) -> int:
    """The link type whose layer dissects records of ``linktype`` (12 and 14: raw IP).

    >>> decode_linktype(12), decode_linktype(1)
    (101, 1)
    """
    return _RAW_ALIASES.get(linktype, linktype)


def _fast_decoder(linktype: int) -> Callable[[bytes, Any], Any] | None:
    """``paquet.layers.dissector_for(linktype)``: the default decoder for a whole capture of
    one link type, given each record's time (None: decode record by record)."""
    import importlib

    layers = importlib.import_module("paquet.layers")
    fast: Callable[[bytes, Any], Any] | None = layers.dissector_for(decode_linktype(linktype))
    return fast


def _default_decoder() -> Decoder:
    """``paquet.layers.dissect``, imported on first use (the engine is heavy to import)."""
    import importlib

    dissect: Decoder = importlib.import_module("paquet.layers").dissect
    return dissect


_META = ("wirelen", "sniffed_on", "comments", "direction", "process_information")
# Packet class -> whether the metadata can go in its instance dict (no field of those names).
_META_OK: dict[type, bool] = {}


def _set_meta(pkt: Any, rec: RawPacket, exact: bool = False) -> Any:
    """Give a dissected packet its record's metadata, as Scapy's readers do.

    ``time`` always (with ``exact``, as files give it: an ``EDecimal`` finer than the
    microsecond; else a float); ``wirelen``, ``sniffed_on``, ``comments``, ``direction`` and
    ``process_information`` (when known) as plain instance attributes, never through a field.
    """
    r = rec.tsresol
    t = rec.ts / r if r <= 1_000_000 or not exact else ts_time(rec.ts, r)
    cls = type(pkt)
    ok = _META_OK.get(cls)
    if ok is None:
        # First packet of this class: set time through the class's own API, then see whether
        # it simply lives in the instance dict (then later packets are given it directly).
        pkt.time = t
        fields = getattr(cls, "_fieldmap", ())
        ok = _META_OK[cls] = (
            getattr(pkt, "__dict__", {}).get("time") is t
            and not isinstance(getattr(cls, "time", None), property)
            and not any(n in fields for n in _META)
        )
    if not ok:
        pkt.time = t
        return pkt
    d = pkt.__dict__
    d["time"] = t
    d["wirelen"] = rec.wirelen
    if rec.sniffed_on is not None:
        d["sniffed_on"] = rec.sniffed_on
    if rec.comments is not None:
        d["comments"] = rec.comments
    if rec.direction is not None:
        d["_direction"] = rec.direction  # (Packet.direction reads it)
    pi = getattr(rec, "process_information", None)  # a live record may not have it
    if pi is not None:
        d["process_information"] = pi
    return pkt


def guess_linktype(pkt: Any) -> int:
    """The link type a file needs for ``pkt``: a record's own, else from its first layer (the
    engine's link type registry, then well-known layer names).

    Raw ``bytes`` are taken as Ethernet, as Scapy does.
    """
    lt = getattr(pkt, "linktype", None)
    if isinstance(lt, int):
        return lt
    registry = sys.modules.get("paquet.packet.registry")  # loaded with any engine packet
    if registry is not None:
        for known in _LINKTYPES_BY_LIKELIHOOD:
            if registry.linktype_class(known) is type(pkt):
                return int(known)
    name = type(pkt).__name__
    if name in _LINKTYPE_OF_LAYER:
        return _LINKTYPE_OF_LAYER[name]
    if registry is not None:  # a layer bound to its own link type (PFLog's 117)
        bound = registry.linktype_of(type(pkt))
        if bound is not None:
            return int(bound)
    return LINKTYPE_ETHERNET


def float_to_ts(t: float, resol: int) -> int:
    """Seconds (float, Decimal or int) as an integer count of ``1/resol`` seconds, rounded.

    The whole seconds are split off first, so ``1700000000.25`` gives exactly ``.25``:

    >>> float_to_ts(1700000000.25, 10**9)
    1700000000250000000
    """
    if isinstance(t, int):
        return t * resol
    sec = int(t)
    return sec * resol + round((t - sec) * resol)


def packet_time_ts(pkt: Any, resol: int) -> int:
    """``pkt``'s timestamp as an integer count of ``1/resol`` seconds (exact for records)."""
    if isinstance(pkt, RawPacket):
        return pkt.ts * resol // pkt.tsresol
    t = getattr(pkt, "time", None)
    if t is None:
        t = _time.time()
    return float_to_ts(t, resol)


def _name_of(f: Any) -> str:
    name = getattr(f, "name", None)
    return str(name) if isinstance(name, str | bytes) else "<stream>"


def _open_read(filename: CaptureSource) -> tuple[IO[bytes], str, bool]:
    """Open ``filename`` for reading (gzip transparently): (file, display name, we own it)."""
    if isinstance(filename, str | os.PathLike):
        path = os.fspath(filename)
        try:
            f: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the reader
        except OSError as exc:
            raise CaptureError(f"{path}: cannot open: {exc.strerror or exc}") from None
        owned = True
        name = path
    else:
        f = filename
        owned = False
        name = _name_of(f)
    head = _peek(f, 2)
    if head == _GZIP_MAGIC:
        import gzip

        if owned:
            f.close()
            f = gzip.open(name, "rb")  # type: ignore[assignment]  # noqa: SIM115
        else:
            f = gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[assignment]
    return f, name, owned


def _peek(f: IO[bytes], n: int) -> bytes:
    """The first ``n`` bytes of ``f`` without consuming them (seekable or buffered files)."""
    peek = getattr(f, "peek", None)
    if peek is not None and not isinstance(f, io.BytesIO):
        return bytes(peek(n)[:n])
    if f.seekable():
        pos = f.tell()
        data = f.read(n)
        f.seek(pos)
        return data
    return b""


def capture_format(filename: CaptureSource) -> str:
    """``"pcap"`` or ``"pcapng"``, from the file's magic number; CaptureError otherwise."""
    start = None
    if not isinstance(filename, str | os.PathLike) and filename.seekable():
        start = filename.tell()
    f, name, owned = _open_read(filename)
    try:
        try:
            head = _peek(f, 4)
        except _READ_ERRORS as exc:
            raise CaptureError(f"{name}: cannot read: {exc}") from None
        return _format_of(head, name)
    finally:
        if owned:
            f.close()
        elif start is not None and not isinstance(filename, str | os.PathLike):
            filename.seek(start)


def _format_of(head: bytes, name: str) -> str:
    if len(head) < 4:
        raise CaptureError(f"{name}: not a capture file (empty or shorter than a header)")
    le = struct.unpack("<I", head)[0]
    be = struct.unpack(">I", head)[0]
    if le == PCAPNG_SHB:
        return "pcapng"
    if PCAP_MAGIC_US in (le, be) or PCAP_MAGIC_NS in (le, be):
        return "pcap"
    if le == 0xA1B2CD34 or be == 0xA1B2CD34:
        raise CaptureError(f"{name}: modified (Kuznetzov) pcap format is not supported")
    raise CaptureError(f"{name}: not a pcap or pcapng capture (magic {head.hex()})")


class _Closing:
    """A context manager that closes itself on exit: what readers and writers share."""

    def close(self) -> None:
        """Release the file (each reader and writer says how)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class CaptureReader(_Closing):
    """What pcap and pcapng readers share: iteration, decoding, context manager, ``read_all``.

    A subclass provides ``records()``, the file's ``RawPacket`` records in order.
    ``max_record`` is the largest captured length accepted (None: ``max_record_for`` the
    record's link type, as Wireshark); a record claiming more is damage.
    """

    filename: str
    linktype: int

    def __init__(
        self,
        filename: CaptureSource,
        *,
        decode: Decoder | None = None,
        raw: bool = False,
        max_record: int | None = None,
    ) -> None:
        if max_record is not None and max_record < 0:
            raise CaptureError(f"max_record must be a size in bytes, not {max_record}")
        self.f, self.filename, self._owned = _open_read(filename)
        self._raw = raw
        self._decode = decode
        self.max_record = max_record
        self._iter: Iterator[Any] | None = None

    @property
    def LLcls(self) -> type | None:
        """The layer class of the file's link type (Scapy's ``LLcls``), None if unknown."""
        import importlib

        registry = importlib.import_module("paquet.packet.registry")
        cls: type | None = registry.linktype_class(decode_linktype(self.linktype))
        return cls

    def _max_record(self, linktype: int) -> int:
        """The cap on a record of ``linktype``: the one given, else Wireshark's."""
        return max_record_for(linktype) if self.max_record is None else self.max_record

    def records(self) -> Iterator[RawPacket]:
        """The capture's records, undecoded, in file order."""
        raise NotImplementedError

    @property
    def byteorder(self) -> str:
        """``"little"`` or ``"big"``: the byte order the file was written in."""
        return "big" if getattr(self, "endian", "<") == ">" else "little"

    def _packets(self) -> Iterator[Any]:
        records = self.records()
        if self._raw:
            yield from records
            return
        if self._decode is not None:
            decode = self._decode
            for rec in records:
                yield _set_meta(decode(rec.data, rec.linktype), rec, True)
            return
        decode = _default_decoder()
        # The default decoder of each link type met (pcapng interfaces may differ), given the
        # record's time: no dissect() lookups per record.
        fast: dict[int, Callable[[bytes, Any], Any] | None] = {}
        for rec in records:
            lt = rec.linktype
            f = fast[lt] if lt in fast else fast.setdefault(lt, _fast_decoder(lt))
            if f is None:
                yield _set_meta(decode(rec.data, decode_linktype(lt)), rec, True)
            else:
                r = rec.tsresol
                t = rec.ts / r if r <= 1_000_000 else ts_time(rec.ts, r)
                yield _set_meta(f(rec.data, t), rec, True)

    def __iter__(self) -> Iterator[Any]:
        if self._iter is None:
            self._iter = self._packets()
        return self._iter

    def __next__(self) -> Any:
        return next(iter(self))

    def read_packet(self) -> Any:
        """The next packet; raises EOFError at the end of the file (Scapy's behaviour)."""
        try:
            return next(iter(self))
        except StopIteration:
            raise EOFError from None

    def read_all(self, count: int = -1) -> PacketList:
        """The next ``count`` packets (all with -1) as a PacketList.

        On damage, raises TruncatedCaptureError whose ``packets`` holds those read before it.
        """
        from paquet.plist import PacketList

        out: list[Any] = []
        it = iter(self)
        try:
            while count < 0 or len(out) < count:
                try:
                    out.append(next(it))
                except StopIteration:
                    break
        except TruncatedCaptureError as exc:
            exc.packets = PacketList(out, name=os.path.basename(self.filename))
            raise
        return PacketList(out, name=os.path.basename(self.filename))

    def dispatch(self, callback: Callable[[Any], object]) -> None:
        """Call ``callback`` on every remaining packet."""
        for pkt in self:
            callback(pkt)

    def fileno(self) -> int:
        """The underlying file descriptor."""
        return self.f.fileno()

    def close(self) -> None:
        """Close the file (only if the reader opened it)."""
        if self._owned:
            self.f.close()

    def _fill(self, rest: bytes, need: int, offset: int) -> tuple[bytes, bool]:
        """``rest`` (what is left unread of the buffer, from file offset ``offset``) followed
        by the next chunks of the file, at least ``need`` bytes in all unless the file ends
        first; and whether it ended. A read that fails (a damaged gzip stream) is damage at
        the offset it failed at.

        The chunks are gathered in a list and joined once: a record larger than a chunk is
        copied once (linear time, never ``buf + chunk`` per chunk), and memory grows only with
        the bytes the file really holds (a header claiming a huge record allocates nothing).
        """
        # read1: what is there (up to a chunk), so that a pipe fed live is read as it comes.
        read = getattr(self.f, "read1", None) or self.f.read
        parts = [rest] if rest else []
        have = len(rest)
        try:
            while True:
                chunk = read(_CHUNK)
                if not chunk:
                    return b"".join(parts), True
                parts.append(chunk)
                have += len(chunk)
                if have >= need:
                    return (chunk if len(parts) == 1 else b"".join(parts)), False
        except _READ_ERRORS as exc:
            raise TruncatedCaptureError(
                self.filename, offset + have, f"read error: {exc}"
            ) from None


#: Each format's reader class, registered by its module (``"pcap"``: paquet.pcap's PcapReader):
#: how a reader opened on the other format hands over, as Scapy's, without an import cycle.
FORMAT_READERS: dict[str, type[CaptureReader]] = {}


def _iter_packets(pkt: Any) -> Iterable[Any]:
    """A single packet, or an iterable of packets (lists, PacketLists, readers, generators);
    the pairs of a ``SndRcvList`` are flattened, as Scapy writes them (see ``_pairs``)."""
    if isinstance(pkt, bytes | bytearray | memoryview | RawPacket):
        return (pkt,)
    if isinstance(pkt, Iterable) and not hasattr(pkt, "__bytes__"):
        return _pairs(pkt)
    return (pkt,)


def _pairs(pkts: Iterable[Any]) -> Iterator[Any]:
    """``pkts``, each (sent, received) pair as its two packets: the sent one at its
    ``sent_time`` when it has one (a copy: the caller's packet keeps its ``time``)."""
    for p in pkts:
        if type(p) is not tuple and not isinstance(p, tuple):
            yield p
            continue
        for i, q in enumerate(p):
            sent = getattr(q, "sent_time", None) if i == 0 else None
            if sent and hasattr(q, "copy"):
                q = q.copy()
                q.time = sent
            yield q


def _has_content(path: str) -> bool:
    """True when ``path`` is a file with something in it (what appending continues)."""
    return os.path.exists(path) and os.path.getsize(path) > 0


def _open_write(path: str, append: bool, sync: bool, bufsz: int, gz: bool = False) -> IO[bytes]:
    """``path`` opened for writing (``append``: at its end), unbuffered when ``sync``, through
    gzip when ``gz``."""
    try:
        f = open(path, "ab" if append else "wb", buffering=0 if sync else bufsz)  # noqa: SIM115
    except OSError as exc:
        raise CaptureError(f"{path}: cannot write: {exc.strerror or exc}") from None
    if gz:
        import gzip

        f = gzip.GzipFile(fileobj=f, mode="ab" if append else "wb")  # type: ignore[assignment]
    return f


class _CaptureWriter(_Closing):
    """What the pcap and pcapng writers share: ``write``, ``flush``, ``close`` and ``with``."""

    f: IO[bytes]
    header_present: bool
    _owned: bool
    write_header: Callable[..., None]
    write_packet: Callable[..., None]

    def write(self, pkt: Any) -> None:
        """Write a packet, bytes, a RawPacket, or an iterable of them."""
        for p in _iter_packets(pkt):
            self.write_packet(p)

    def flush(self) -> None:
        """Flush what is buffered to the file."""
        self.f.flush()

    def close(self) -> None:
        """Write the header if nothing was written, then close the file (even one given as a
        file object, as Scapy's; a ``with`` block leaves a caller's file object open)."""
        if not self.header_present:
            self.write_header(None)
        self.f.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._owned:
            self.close()
            return
        if not self.header_present:
            self.write_header(None)
        self.f.flush()
