"""IPv6 fragmentation and reassembly, as Scapy's ``scapy.layers.inet6``: :func:`fragment6`
and :func:`defragment6` (same names, signatures, warnings and bytes).

>>> from paquet.layers.ipv6 import IPv6, IPv6ExtHdrFragment
>>> frags = fragment6(IPv6(dst="2001:db8::1") / IPv6ExtHdrFragment(id=7) / (b"x" * 100), 96)
>>> [(f[IPv6ExtHdrFragment].offset, f[IPv6ExtHdrFragment].m, len(f)) for f in frags]
[(0, 1, 96), (6, 1, 96), (12, 0, 52)]
>>> bytes(defragment6(frags).payload) == b"x" * 100
True
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from typing import Any

from paquet.layers.ipv6 import IPv6, IPv6ExtHdrFragment
from paquet.layers.raw import Raw
from paquet.packet.base import Packet
from paquet.packet.fields import FieldError
from paquet.reassembly import FragmentQueue

__all__ = ["defragment6", "fragment6"]

log = logging.getLogger("paquet")


def fragment6(pkt: Packet, fragSize: int) -> list[Packet]:
    """``pkt`` cut into IPv6 fragments of at most ``fragSize`` bytes each (the MTU).

    As Scapy: when ``pkt`` has no :class:`IPv6ExtHdrFragment`, one is put right after its
    first IPv6 header (a packet without IPv6 comes back alone, unchanged); the fragment
    header's ``id`` is kept when set, random otherwise; the headers before it (the
    unfragmentable part) are repeated in each fragment. A packet that already fits comes back
    alone; one whose fragmentable part passes 65,535 bytes gives ``[]`` and a fragment size
    too small for any data the packet unfragmented, both with Scapy's warnings.

    >>> from paquet.layers.ipv6 import IPv6
    >>> len(fragment6(IPv6() / (b"x" * 3000), 1280))
    3
    """
    pkt = pkt.copy()
    if IPv6ExtHdrFragment not in pkt:
        if IPv6 not in pkt:
            return [pkt]
        layer3 = pkt[IPv6]
        data = layer3.payload
        frag = IPv6ExtHdrFragment(nh=layer3.nh)
        layer3.remove_payload()
        del layer3.nh
        del layer3.plen
        frag.add_payload(data)
        layer3.add_payload(frag)
    if len(bytes(pkt[IPv6ExtHdrFragment])) > 65535:
        log.warning("An IPv6 packet can'be bigger than 65535, please use a Jumbo payload.")
        return []
    s = bytes(pkt)  # builds the upper layer's checksum with the real addresses
    if len(s) <= fragSize:
        return [pkt]
    frag_hdr = pkt[IPv6ExtHdrFragment]
    frag_part = frag_hdr.payload
    # The fragmentable part's length, measured under a bare IPv6 header (as Scapy).
    frag_part_len = len(bytes(IPv6(src="::1", dst="::1") / frag_part.copy())) - 40
    frag_part_bytes = s[-frag_part_len:]
    nh = frag_hdr.nh
    frag_hdr.remove_payload()
    unfrag_len = len(s) - frag_part_len - 8
    unfrag = pkt
    under = frag_hdr.underlayer
    if under is not None:
        under.remove_payload()
    last_size = fragSize - unfrag_len - 8
    inner_size = last_size - last_size % 8
    if last_size <= 0 or inner_size == 0:
        log.warning("Provided fragment size value is too low. Should be more than %d",
                    unfrag_len + 8)
        return [unfrag / frag_hdr / frag_part]
    frag_id = frag_hdr.id
    if frag_id is None:
        frag_id = random.randint(0, 0xFFFFFFFF)
    frag_hdr.m = 1
    frag_hdr.id = frag_id
    frag_hdr.nh = nh
    res: list[Packet] = []
    remain = frag_part_bytes
    offset = 0
    while True:
        last = len(remain) <= last_size
        if last:
            piece = remain
            frag_hdr.m = 0
        else:
            piece, remain = remain[:inner_size], remain[inner_size:]
        frag_hdr.offset = offset
        offset += inner_size // 8
        if IPv6 in unfrag:
            unfrag[IPv6].plen = None
        res.append(unfrag / frag_hdr / Raw(load=piece))
        if last:
            return res


def defragment6(packets: Iterable[Any], *, policy: str | None = None) -> Packet | list[Packet]:
    """The datagram rebuilt from IPv6 fragments (Scapy's ``defragment6``), or ``[]``.

    The fragments taken are those with the ``id`` of the first packet that has a fragment
    header (the others are dropped with a warning); they are put in offset order (Scapy's
    docstring says so, but its loop keeps them as given: for fragments already in order the
    bytes are the same). A missing piece is filled with ``X`` bytes (Scapy's warning); each
    fragment gives as many bytes as its IPv6 ``plen`` says, less its fragment header. The
    result is the first fragment without its fragment header, the data as payload, dissected
    again from its bytes (with the layers below IPv6, if any).

    With ``policy`` (``"first"``, ``"last"``, ``"linux"``: see :mod:`paquet.reassembly`;
    Linux drops an IPv6 datagram with overlapping fragments, RFC 5722), the fragments are
    taken in the order given, overlaps settled by the policy, and a datagram with a hole or
    discarded by the policy gives ``[]`` instead of ``X`` bytes. A datagram that would pass
    65,535 bytes (hostile offsets) gives ``[]`` and a warning, where Scapy raises.

    >>> defragment6([])
    []
    """
    if policy is not None:
        FragmentQueue(policy)  # a clear error for an unknown policy, before any work
    lst = [x for x in packets
           if isinstance(x, Packet) and IPv6ExtHdrFragment in x and IPv6 in x]
    if not lst:
        return []
    ident = lst[0][IPv6ExtHdrFragment].id
    llen = len(lst)
    lst = [x for x in lst if x[IPv6ExtHdrFragment].id == ident]
    if len(lst) != llen:
        log.warning("defragment6: some fragmented packets have been removed from list")
    fragmentable: bytes | bytearray
    if policy is not None:
        found = _reassemble(lst, policy)
        if found is None:
            return []
        head, fragmentable = found
    else:
        res = sorted(lst, key=lambda x: int(x[IPv6ExtHdrFragment].offset or 0))
        fragmentable = bytearray()
        for p in res:
            offset = 8 * int(p[IPv6ExtHdrFragment].offset or 0)
            if offset != len(fragmentable):
                log.warning("Expected an offset of %d. Found %d. Padding with XXXX",
                            len(fragmentable), offset)
            fragmentable += b"X" * (offset - len(fragmentable))
            fragmentable += _data(p)
        head = res[0]
    q = head.copy()
    frag = q[IPv6ExtHdrFragment]
    under = frag.underlayer
    under.nh = frag.nh
    under.remove_payload()
    under.add_payload(Raw(load=bytes(fragmentable)))
    ip6 = q[IPv6]
    ip6.plen = None
    try:
        rebuilt = IPv6(bytes(ip6))
    except FieldError:  # Scapy raises: the payload length does not fit in plen
        log.warning("defragment6: the reassembled packet is bigger than 65535 bytes "
                    "(a Jumbo payload): dropped")
        return []
    below = ip6.underlayer
    if below is None:
        return rebuilt
    below.remove_payload()
    below.add_payload(rebuilt)
    return q


def _data(p: Packet) -> bytes:
    """A fragment's data: what follows its fragment header, as long as ``plen`` less the 8
    bytes of that header says (Scapy's reckoning), all of it when ``plen`` is unset."""
    plen = p[IPv6].plen
    data = bytes(p[IPv6ExtHdrFragment].payload)
    return data if plen is None else data[: max(plen - 8, 0)]


def _reassemble(lst: list[Packet], policy: str) -> tuple[Packet, bytes] | None:
    """(first fragment, data) from fragments in arrival order under ``policy``, or None."""
    queue = FragmentQueue(policy, version=6)
    kept: list[Packet] = []
    for p in lst:
        frag = p[IPv6ExtHdrFragment]
        before = len(queue.pieces)
        status = queue.add(8 * int(frag.offset or 0), _data(p), bool(frag.m))
        if len(queue.pieces) > before:
            kept.append(p)
        if status == "discarded":
            kept.clear()
        elif status == "complete" and queue.head is not None:
            return kept[queue.head], queue.data()
    return None
