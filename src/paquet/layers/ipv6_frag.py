"""IPv6 fragmentation and reassembly (RFC 8200 §4.5): Scapy's ``fragment6`` and
``defragment6``.

``fragment6(pkt, size)`` cuts a packet into fragments of at most ``size`` bytes (link header
included, as Scapy counts): the unfragmentable part (up to the fragment header, which is put
right after the IPv6 header when the packet has none) is repeated, the rest is cut in pieces
of a multiple of 8 bytes. The upper layer's checksum is computed on the whole packet first.
``defragment6(fragments)`` puts them back together; a missing piece is filled with ``X``
bytes, as Scapy does.

>>> from paquet.layers import IPv6, UDP
>>> frags = fragment6(IPv6() / IPv6ExtHdrFragment(id=7) / UDP() / (b"A" * 3000), 1280)
>>> [len(f) for f in frags], [f[IPv6ExtHdrFragment].offset for f in frags]
([1280, 1280, 592], [0, 154, 308])
>>> len(defragment6(frags)[UDP].payload.load)
3000
"""

from __future__ import annotations

import random
import struct
from collections.abc import Iterable
from typing import Any

from paquet.layers.ipv6 import IPv6, IPv6ExtHdrFragment
from paquet.packet.base import Packet

__all__ = ["defragment6", "fragment6"]

_FRAG = 44  # the fragment header's next header number


def _offset(whole: bytes, layer: Packet) -> int:
    """Where ``layer`` (a layer of the packet built as ``whole``) starts in ``whole``."""
    return len(whole) - len(bytes(layer))


def _nh_position(whole: bytes, layer: Packet) -> int:
    """Where the next header byte of ``layer`` (IPv6 or an extension header) is."""
    return _offset(whole, layer) + (6 if isinstance(layer, IPv6) else 0)


def fragment6(pkt: Packet, fragSize: int) -> list[Packet]:
    """The fragments of ``pkt`` of at most ``fragSize`` bytes (see the module); ``[pkt]`` when
    it fits or has no IPv6 layer."""
    if IPv6 not in pkt:
        return [pkt]
    s = bytes(pkt)
    ip_off = _offset(s, pkt[IPv6])
    if IPv6ExtHdrFragment in pkt:
        fh = pkt[IPv6ExtHdrFragment]
        fh_off = _offset(s, fh)
        header = bytearray(s[fh_off : fh_off + 8])
        frag_id = fh.id
    else:  # a fragment header right after the IPv6 header, taking its next header
        fh_off = ip_off + 40
        header = bytearray(struct.pack("!BBHI", s[ip_off + 6], 0, 0, 0))
        s = s[: ip_off + 6] + bytes([_FRAG]) + s[ip_off + 7 : fh_off] + bytes(header) + s[fh_off:]
        frag_id = None
    cls = type(pkt)
    if len(s) <= fragSize:
        return [cls(_with_plen(s, ip_off))]
    unfrag, rest = s[:fh_off], s[fh_off + 8 :]
    last_size = fragSize - fh_off - 8
    inner_size = last_size - last_size % 8
    if last_size <= 0 or inner_size == 0:
        return [cls(_with_plen(s, ip_off))]
    if frag_id is None:
        frag_id = random.randint(0, 0xFFFFFFFF)
    res2 = header[3] & 0x06
    out: list[Packet] = []
    offset = 0
    while True:
        more = len(rest) > last_size
        piece, rest = (rest[:inner_size], rest[inner_size:]) if more else (rest, b"")
        header[2:4] = struct.pack("!H", (offset << 3) | res2 | int(more))
        header[4:8] = struct.pack("!I", frag_id & 0xFFFFFFFF)
        out.append(cls(_with_plen(unfrag + bytes(header) + piece, ip_off)))
        offset += len(piece) // 8
        if not more:
            return out


def _with_plen(frame: bytes, ip_off: int) -> bytes:
    """``frame`` with the payload length of its IPv6 header at ``ip_off`` set to what
    follows that header."""
    plen = (len(frame) - ip_off - 40) & 0xFFFF
    return frame[: ip_off + 4] + struct.pack("!H", plen) + frame[ip_off + 6 :]


def defragment6(packets: Iterable[Packet]) -> Any:
    """The packet the fragments of ``packets`` (of the first one's id; others and what is not
    a fragment left out) make, missing bytes filled with ``X``; ``[]`` without a fragment."""
    frags = [p for p in packets if IPv6ExtHdrFragment in p]
    if not frags:
        return []
    frag_id = frags[0][IPv6ExtHdrFragment].id
    frags = sorted((p for p in frags if p[IPv6ExtHdrFragment].id == frag_id),
                   key=lambda p: int(p[IPv6ExtHdrFragment].offset))
    data = b""
    for p in frags:
        fh = p[IPv6ExtHdrFragment]
        start = 8 * int(fh.offset)
        size = p[IPv6].plen
        piece = bytes(fh.payload)
        if size is not None:  # (the link's padding left out)
            piece = piece[: max(size - 8, 0)]
        data += b"X" * (start - len(data)) + piece
    first = frags[0]
    s = bytes(first)
    fh = first[IPv6ExtHdrFragment]
    fh_off = _offset(s, fh)
    ip_off = _offset(s, first[IPv6])
    at = _nh_position(s, fh.underlayer)
    unfrag = bytearray(s[:fh_off])
    unfrag[at] = s[fh_off]
    return type(first)(_with_plen(bytes(unfrag) + data, ip_off))
