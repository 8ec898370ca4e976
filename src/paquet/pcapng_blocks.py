"""The blocks of a pcapng file: their numbers, option codes and layouts, and how each block's
body is read (:mod:`paquet.pcapng` streams the file) and written.

Section headers, interface descriptions (``Interface``, with ``if_tsresol``/``if_tsoffset``),
interface statistics, name resolution records, Apple's process information, and a packet
block's options (comments, flags, processes). Reading a body raises ``ValueError`` or
``struct.error`` on damage; the reader turns them into ``TruncatedCaptureError``.
"""

from __future__ import annotations

import ipaddress
import struct
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from paquet.capfile import LINKTYPE_ETHERNET, MAX_RECORD, PCAPNG_SHB, RawPacket
from paquet.errors import CaptureError

__all__ = ["Interface", "InterfaceStatistics", "NameRecord", "Section"]

BT_SHB = PCAPNG_SHB
BT_IDB = 0x00000001
BT_OPB = 0x00000002  # obsolete packet block
BT_SPB = 0x00000003
BT_NRB = 0x00000004
BT_ISB = 0x00000005
BT_EPB = 0x00000006
BT_PIB = 0x80000001  # Apple's process information block
BYTE_ORDER_MAGIC = 0x1A2B3C4D

OPT_ENDOFOPT = 0
OPT_COMMENT = 1
SHB_HARDWARE = 2
SHB_OS = 3
SHB_USERAPPL = 4
IF_NAME = 2
IF_DESCRIPTION = 3
IF_TSRESOL = 9
IF_TSOFFSET = 14
EPB_FLAGS = 2
NRB_END = 0
NRB_IPV4 = 1
NRB_IPV6 = 2

#: Room for a block's own fields and options beside its record (wiretap's pcapng.c: an EPB's
#: 32 bytes and 128 KiB of options).
_BLOCK_OVERHEAD = 32 + 131072
#: Largest block paquet accepts, as Wireshark (its MAX_BLOCK_SIZE: the largest record of any
#: link type, D-Bus's 128 MiB, plus ``_BLOCK_OVERHEAD``); anything larger is damage.
MAX_BLOCK = MAX_RECORD + _BLOCK_OVERHEAD


def _pad4(n: int) -> int:
    return (n + 3) & ~3


@dataclass
class Interface:
    """An interface description block: the link type and options of one capture interface.

    ``tsresol`` is in timestamp units per second (10**6 when the file says nothing);
    ``tsoffset`` in seconds added to every timestamp. ``options`` keeps every other option as
    ``(code, raw value)`` so the interface is written back as read.
    """

    linktype: int = LINKTYPE_ETHERNET
    snaplen: int = 0
    name: str | None = None
    description: str | None = None
    tsresol: int = 1_000_000
    tsoffset: int = 0
    comments: list[str] = field(default_factory=list)
    options: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass
class Section:
    """A section header block: byte order, version and the section's options and comments."""

    endian: str = "<"
    major: int = 1
    minor: int = 0
    hardware: str | None = None
    os: str | None = None
    userappl: str | None = None
    comments: list[str] = field(default_factory=list)
    options: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass
class InterfaceStatistics:
    """An interface statistics block: what the capture saw on one interface.

    ``received``/``dropped`` are the interface's own counts (isb_ifrecv, isb_ifdrop),
    ``filter_accepted`` what passed the filter, ``os_dropped`` what the capture's buffer lost,
    ``delivered`` what reached the application; times in seconds. None: not recorded.
    """

    ifindex: int
    time: float
    start: float | None = None
    end: float | None = None
    received: int | None = None
    dropped: int | None = None
    filter_accepted: int | None = None
    os_dropped: int | None = None
    delivered: int | None = None
    comments: list[str] = field(default_factory=list)


ISB_STARTTIME = 2
ISB_ENDTIME = 3
_ISB_COUNTERS = {4: "received", 5: "dropped", 6: "filter_accepted", 7: "os_dropped", 8: "delivered"}


def _statistics(body: bytes, e: str, interfaces: list[Interface]) -> InterfaceStatistics:
    ifid, hi, lo = struct.unpack_from(e + "III", body, 0)
    iface = interfaces[ifid]

    def seconds(units: int) -> float:
        # In the interface's units, as the format says (dumpcap writes microseconds whatever
        # if_tsresol is: its ISB times read 1000 times too small with a nanosecond interface).
        return float(units / iface.tsresol + iface.tsoffset)

    stats = InterfaceStatistics(ifid, seconds(hi << 32 | lo))
    for code, value in _parse_options(body, 12, len(body), e):
        if code == OPT_COMMENT:
            stats.comments.append(_text(value))
        elif len(value) != 8:
            continue
        elif code in _ISB_COUNTERS:
            setattr(stats, _ISB_COUNTERS[code], struct.unpack(e + "Q", value)[0])
        elif code in (ISB_STARTTIME, ISB_ENDTIME):
            h, low = struct.unpack(e + "II", value)
            setattr(stats, "start" if code == ISB_STARTTIME else "end", seconds(h << 32 | low))
    return stats


@dataclass
class NameRecord:
    """One entry of a name resolution block: an IPv4 or IPv6 address and its names."""

    address: str
    names: list[str]


def _parse_options(buf: bytes, p: int, end: int, e: str) -> Iterator[tuple[int, bytes]]:
    """The options between ``p`` and ``end``, in one pass (work bounded by the block's length).

    Empty options share one ``(code, b"")`` tuple per code, so a block stuffed with millions
    of them costs a pointer each (what a list of them holds), not a tuple each.
    """
    unpack = struct.Struct(e + "HH").unpack_from
    empty: dict[int, tuple[int, bytes]] = {}
    while p + 4 <= end:
        code, length = unpack(buf, p)
        p += 4
        if code == OPT_ENDOFOPT:
            return
        if not length:
            opt = empty.get(code)
            yield opt if opt is not None else empty.setdefault(code, (code, b""))
            continue
        if p + length > end:
            raise ValueError(f"option {code} of {length} bytes overruns its block")
        yield code, buf[p : p + length]
        p += _pad4(length)


def _text(value: bytes) -> str:
    return value.rstrip(b"\x00").decode("utf-8", "replace")


def _tsresol(value: int) -> int:
    """if_tsresol byte -> units per second (high bit set: a power of two)."""
    if value & 0x80:
        return 1 << (value & 0x7F)
    return int(10 ** (value & 0x7F))


def _tsresol_byte(units: int) -> int:
    exp10 = len(str(units)) - 1
    if 10**exp10 == units:
        return exp10
    if units & (units - 1) == 0:
        return 0x80 | (units.bit_length() - 1)
    raise CaptureError(f"timestamp resolution {units} per second is not a power of 10 or 2")


#: Options whose value is text, and the attribute that holds it, per block.
_IF_TEXTS = {IF_NAME: "name", IF_DESCRIPTION: "description"}
_SHB_TEXTS = {SHB_HARDWARE: "hardware", SHB_OS: "os", SHB_USERAPPL: "userappl"}


def _other_options(
    block: Interface | Section, body: bytes, start: int, e: str, texts: dict[int, str]
) -> Iterator[tuple[int, bytes]]:
    """Read the options of ``body`` from ``start`` into ``block``: its comments and the text
    options ``texts`` names; yield every other option, in order."""
    for opt in _parse_options(body, start, len(body), e):
        code, value = opt
        if code == OPT_COMMENT:
            block.comments.append(_text(value))
        elif code in texts:
            setattr(block, texts[code], _text(value))
        else:
            yield opt


def _interface(body: bytes, e: str) -> Interface:
    linktype, _reserved, snaplen = struct.unpack_from(e + "HHI", body, 0)
    iface = Interface(linktype=linktype, snaplen=snaplen)
    for opt in _other_options(iface, body, 8, e, _IF_TEXTS):
        code, value = opt
        if code == IF_TSRESOL and value:
            iface.tsresol = _tsresol(value[0])
        elif code == IF_TSOFFSET and len(value) == 8:
            iface.tsoffset = int(struct.unpack(e + "q", value)[0])
        else:
            iface.options.append(opt)
    return iface


def _section(body: bytes, e: str) -> Section:
    major, minor = struct.unpack_from(e + "HH", body, 4)
    sec = Section(endian=e, major=major, minor=minor)
    sec.options.extend(_other_options(sec, body, 16, e, _SHB_TEXTS))
    return sec


def _names(body: bytes, e: str) -> list[NameRecord]:
    out: list[NameRecord] = []
    p = 0
    n = len(body)
    while p + 4 <= n:
        rtype, length = struct.unpack_from(e + "HH", body, p)
        p += 4
        if rtype == NRB_END:
            break
        value = body[p : p + length]
        if len(value) < length:
            raise ValueError("name record overruns its block")
        p += _pad4(length)
        if rtype == NRB_IPV4 and length >= 4:
            addr = str(ipaddress.IPv4Address(value[:4]))
            rest = value[4:]
        elif rtype == NRB_IPV6 and length >= 16:
            addr = str(ipaddress.IPv6Address(value[:16]))
            rest = value[16:]
        else:
            continue
        names = [s.decode("utf-8", "replace") for s in rest.split(b"\x00") if s]
        out.append(NameRecord(addr, names))
    return out



#: Apple's packet options naming the process (and the effective process) of a packet.
_EPB_PIB = {0x8001: "proc", 0x8003: "eproc"}


def _process(body: bytes, e: str) -> dict[str, Any]:
    """An Apple process information block: the process's id, name and UUID (Scapy's keys)."""
    (pid,) = struct.unpack_from(e + "I", body, 0)
    info: dict[str, Any] = {"id": pid}
    for code, value in _parse_options(body, 4, len(body), e):
        if code == 2:
            info["name"] = value.decode("ascii", "backslashreplace")
        elif code == 4 and len(value) == 16:
            info["uuid"] = str(uuid.UUID(bytes=value))
    return info


def _packet_options(
    rec: RawPacket,
    buf: bytes,
    p: int,
    end: int,
    e: str,
    processes: list[dict[str, Any]] | None = None,
) -> None:
    """Give ``rec`` the comments, flags and processes among its packet block's options (the
    rest is not kept: a block full of options costs its length in time, nothing in memory)."""
    for code, value in _parse_options(buf, p, end, e):
        if code in _EPB_PIB and len(value) == 4 and processes is not None:
            index = struct.unpack(e + "I", value)[0]
            if index < len(processes):
                if rec.process_information is None:
                    rec.process_information = {}
                rec.process_information[_EPB_PIB[code]] = processes[index]
            continue
        if code == OPT_COMMENT:
            if rec.comments is None:
                rec.comments = []
            rec.comments.append(value)
        elif code == EPB_FLAGS and len(value) == 4:
            rec.flags = struct.unpack(e + "I", value)[0]
            rec.direction = rec.flags & 3


def _opt(e: str, code: int, value: bytes) -> bytes:
    pad = b"\x00" * (_pad4(len(value)) - len(value))
    return struct.pack(e + "HH", code, len(value)) + value + pad


def _opts(e: str, items: list[tuple[int, bytes]]) -> bytes:
    if not items:
        return b""
    return b"".join(_opt(e, c, v) for c, v in items) + struct.pack(e + "HH", 0, 0)


def _block(e: str, btype: int, body: bytes) -> bytes:
    blen = 12 + len(body)
    return struct.pack(e + "II", btype, blen) + body + struct.pack(e + "I", blen)


def _as_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)
