"""The common columns of a capture: their Wireshark names, their Arrow types, and how each
record's bytes give them (Ethernet, 802.1Q, Linux SLL/SLL2, BSD loopback, raw IP; ARP, IPv4,
IPv6 and its extension headers; TCP, UDP, ICMP, ICMPv6).

:func:`quick_row` is the specification, in Python, one record at a time; the C module
``paquet.frame._columns`` (built at install time when a compiler is there) does the same on
whole buffers straight into Arrow buffers, and the tests compare both. ``PAQUET_PURE=1`` in the
environment turns the C module off, as for the quick parsers of the layers.

>>> from paquet.layers import Ether, IP, TCP
>>> row = quick_row(bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / TCP(flags="S")), 1)
>>> row["ip.src"], row["tcp.dstport"], row["tcp.flags.syn"], row["tcp.len"]
('192.0.2.1', 80, True, 0)
"""

from __future__ import annotations

import os
import socket
import struct
from types import ModuleType
from typing import Any

from paquet.dfilter.fields import FIELDS

__all__ = ["COLUMNS", "ENABLED", "QUICK_NAMES", "quick_row"]

_columns: ModuleType | None
try:
    from paquet.frame import _columns
except ImportError:  # not built: no C compiler at install time, or a source tree
    _columns = None
if os.environ.get("PAQUET_PURE"):
    _columns = None

#: True when the C extractor is in use.
ENABLED = _columns is not None

#: The columns the quick path gives, in the C module's order.
_ORDER = (
    "frame.number", "frame.time", "frame.len", "frame.cap_len", "eth.src", "eth.dst",
    "eth.type", "ip.src", "ip.dst", "ip.hdr_len", "ip.len", "ip.id", "ip.ttl", "ip.proto",
    "ipv6.src", "ipv6.dst", "ipv6.plen", "ipv6.nxt", "ipv6.hlim", "tcp.srcport", "tcp.dstport",
    "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags", "tcp.flags.fin", "tcp.flags.syn",
    "tcp.flags.reset", "tcp.flags.push", "tcp.flags.ack", "tcp.flags.urg",
    "tcp.window_size_value", "tcp.len", "udp.srcport", "udp.dstport", "udp.length",
    "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code", "vlan.id", "ip.dsfield",
    "ip.flags.df", "ip.flags.mf", "ip.frag_offset", "arp.opcode", "arp.src.proto_ipv4",
    "arp.dst.proto_ipv4",
)
#: The columns the quick path gives, in the C module's order: (Wireshark name, kind), the kind
#: of the field's description (:data:`paquet.dfilter.fields.FIELDS`). Kinds: u8 u16 u32 u64
#: (unsigned integers), time (timestamp, ns), bool, mac, ip4, ip6 (text, or fixed binary with
#: ``binary_addresses``).
COLUMNS: tuple[tuple[str, str], ...] = tuple((name, FIELDS[name].column) for name in _ORDER)

#: The names of :data:`COLUMNS`.
QUICK_NAMES: tuple[str, ...] = tuple(name for name, _ in COLUMNS)

_H2 = struct.Struct(">H")
_H4 = struct.Struct(">HH")
_I = struct.Struct(">I")
_VLANS = (0x8100, 0x88A8, 0x9100)
_V6_EXT = (0, 43, 60)


def _mac(b: bytes) -> str:
    return b.hex(":")


def _ip4(b: bytes, binary: bool) -> str | bytes:
    return b if binary else socket.inet_ntop(socket.AF_INET, b)


def _ip6(b: bytes, binary: bool) -> str | bytes:
    return b if binary else socket.inet_ntop(socket.AF_INET6, b)


def _link(data: bytes, linktype: int, row: dict[str, Any]) -> tuple[int, int]:
    """(EtherType of the network layer or -1, its offset) for one record's link layer."""
    n = len(data)
    if linktype == 1:
        if n < 14:
            return -1, 0
        row["eth.dst"] = _mac(data[0:6])
        row["eth.src"] = _mac(data[6:12])
        etype = _H2.unpack_from(data, 12)[0]
        row["eth.type"] = etype
        off = 14
        for k in range(8):
            if etype not in _VLANS:
                break
            if n < off + 4:
                return -1, 0
            if k == 0:
                row["vlan.id"] = _H2.unpack_from(data, off)[0] & 0x0FFF
            etype = _H2.unpack_from(data, off + 2)[0]
            off += 4
        return etype, off
    if linktype in (12, 14, 101):
        if n < 1:
            return -1, 0
        v = data[0] >> 4
        return (0x0800 if v == 4 else 0x86DD if v == 6 else -1), 0
    if linktype == 228:
        return 0x0800, 0
    if linktype == 229:
        return 0x86DD, 0
    if linktype == 113:
        return (_H2.unpack_from(data, 14)[0], 16) if n >= 16 else (-1, 0)
    if linktype == 276:
        return (_H2.unpack_from(data, 0)[0], 20) if n >= 20 else (-1, 0)
    if linktype in (0, 108):
        if n < 4:
            return -1, 0
        big = linktype == 108 or data[0:2] == b"\0\0"
        fam = int.from_bytes(data[0:4], "big" if big else "little")
        return (0x0800 if fam == 2 else 0x86DD if fam in (24, 28, 30) else -1), 4
    return -1, 0


def _transport(row: dict[str, Any], proto: int, v6: bool, seg: bytes, l4len: int) -> None:
    n = len(seg)
    if proto == 6:
        if n < 20:
            return
        sport, dport = _H4.unpack_from(seg, 0)
        doff = (seg[12] >> 4) * 4
        flags = _H2.unpack_from(seg, 12)[0] & 0x0FFF
        row.update(
            {
                "tcp.srcport": sport,
                "tcp.dstport": dport,
                "tcp.seq_raw": _I.unpack_from(seg, 4)[0],
                "tcp.ack_raw": _I.unpack_from(seg, 8)[0],
                "tcp.hdr_len": doff,
                "tcp.flags": flags,
                "tcp.flags.fin": bool(flags & 0x01),
                "tcp.flags.syn": bool(flags & 0x02),
                "tcp.flags.reset": bool(flags & 0x04),
                "tcp.flags.push": bool(flags & 0x08),
                "tcp.flags.ack": bool(flags & 0x10),
                "tcp.flags.urg": bool(flags & 0x20),
                "tcp.window_size_value": _H2.unpack_from(seg, 14)[0],
            }
        )
        if doff >= 20 and l4len >= doff:
            row["tcp.len"] = l4len - doff
    elif proto == 17:
        if n >= 8:
            row["udp.srcport"], row["udp.dstport"] = _H4.unpack_from(seg, 0)
            row["udp.length"] = _H2.unpack_from(seg, 4)[0]
    elif proto == 1 and not v6:
        if n >= 2:
            row["icmp.type"], row["icmp.code"] = seg[0], seg[1]
    elif proto == 58 and v6 and n >= 2:
        row["icmpv6.type"], row["icmpv6.code"] = seg[0], seg[1]


def _ipv4(row: dict[str, Any], q: bytes, binary: bool) -> None:
    if len(q) < 20 or q[0] >> 4 != 4:
        return
    ihl = (q[0] & 15) * 4
    tot = _H2.unpack_from(q, 2)[0]
    row["ip.src"] = _ip4(q[12:16], binary)
    row["ip.dst"] = _ip4(q[16:20], binary)
    row["ip.hdr_len"] = ihl
    row["ip.len"] = tot
    row["ip.id"] = _H2.unpack_from(q, 4)[0]
    row["ip.ttl"] = q[8]
    row["ip.proto"] = q[9]
    row["ip.dsfield"] = q[1]
    frag = _H2.unpack_from(q, 6)[0]
    row["ip.flags.df"] = bool(frag & 0x4000)
    row["ip.flags.mf"] = bool(frag & 0x2000)
    row["ip.frag_offset"] = frag & 0x1FFF  # in 8-byte units, as tshark gives it
    if ihl < 20 or frag & 0x1FFF or len(q) < ihl or tot < ihl:
        return
    _transport(row, q[9], False, q[ihl:], tot - ihl)


def _ipv6(row: dict[str, Any], q: bytes, binary: bool) -> None:
    avail = len(q)
    if avail < 40 or q[0] >> 4 != 6:
        return
    plen = _H2.unpack_from(q, 4)[0]
    nh = q[6]
    row["ipv6.src"] = _ip6(q[8:24], binary)
    row["ipv6.dst"] = _ip6(q[24:40], binary)
    row["ipv6.plen"] = plen
    row["ipv6.nxt"] = nh
    row["ipv6.hlim"] = q[7]
    h = 40
    for _ in range(16):
        if nh in _V6_EXT:
            if avail < h + 2:
                return
            nh, h = q[h], h + (q[h + 1] + 1) * 8
        elif nh == 44:
            if avail < h + 8:
                return
            if _H2.unpack_from(q, h + 2)[0] >> 3:
                return
            nh, h = q[h], h + 8
        elif nh == 51:
            if avail < h + 2:
                return
            nh, h = q[h], h + (q[h + 1] + 2) * 4
        else:
            break
    if h > avail:
        return
    l4 = plen - (h - 40) if plen else avail - h
    if l4 < 0:
        return
    _transport(row, nh, True, q[h:], l4)


def _arp(row: dict[str, Any], q: bytes, binary: bool) -> None:
    if len(q) < 8:
        return
    row["arp.opcode"] = _H2.unpack_from(q, 6)[0]
    if len(q) >= 28 and q[2:6] == b"\x08\x00\x06\x04":
        row["arp.src.proto_ipv4"] = _ip4(q[14:18], binary)
        row["arp.dst.proto_ipv4"] = _ip4(q[24:28], binary)


def quick_row(data: bytes, linktype: int, *, binary_addresses: bool = False) -> dict[str, Any]:
    """The quick columns of one record's bytes (link type ``linktype``) that it has: a dict
    from Wireshark name to value (absent: null). The frame columns are the reader's."""
    row: dict[str, Any] = {}
    etype, off = _link(data, linktype, row)
    if etype == 0x0800:
        _ipv4(row, data[off:], binary_addresses)
    elif etype == 0x0806:
        _arp(row, data[off:], binary_addresses)
    elif etype == 0x86DD:
        _ipv6(row, data[off:], binary_addresses)
    return row


def c_module() -> ModuleType | None:
    """The C extractor, or None (not built, or ``PAQUET_PURE`` set)."""
    return _columns
