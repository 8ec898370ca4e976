"""IPv4 fragmentation and reassembly, as Scapy's ``scapy.layers.inet``: :func:`fragment`,
:func:`overlap_frag`, :func:`defrag`, :func:`defragment`.

Same names, signatures and results as Scapy's, byte for byte (ids, offsets, MF flags, lengths,
checksums; every fragment carries the whole header, options included, as Scapy's do, unless
``fragment(..., options="copied")`` (RFC 791) or ``options="linux"`` (NOPs, as the kernel)).
Left to itself, reassembly follows Scapy's rule: a datagram is put together when its last fragment
arrives, provided the pieces gathered so far follow each other exactly; anything else (a hole,
an overlap, a duplicate) makes its fragments "bad". The keyword ``policy`` (``"first"``,
``"last"`` or ``"linux"``, see :mod:`paquet.reassembly`) reassembles instead as a host would:
fragments in any order, overlaps settled by the policy; Linux drops a datagram whose fragments
partly overlap and ignores a fragment lying inside data already received.

Nothing here raises on hostile fragments (offsets past 65,535, holes, duplicates, empty
pieces, huge lists): they end up among the bad fragments, in time and memory proportional to
the bytes given.

>>> frags = fragment(IP(dst="192.0.2.1", src="192.0.2.2") / (b"x" * 40), 16)
>>> [(f.frag, int(f.flags), len(f.payload)) for f in frags]
[(0, 1, 16), (2, 1, 16), (4, 0, 8)]
>>> [len(x) for x in defrag(frags[::-1])]  # Scapy's rule: the last came first
[0, 0, 1]
>>> [len(x) for x in defrag(frags[::-1], policy="linux")]
[0, 1, 0]
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from paquet.layers.ipv4 import IP, fragment
from paquet.layers.raw import Raw
from paquet.packet.base import NoPayload, Packet
from paquet.packet.fields import FieldError
from paquet.plist import PacketList
from paquet.reassembly import FragmentQueue

__all__ = ["defrag", "defragment", "fragment", "overlap_frag"]

log = logging.getLogger("paquet")


# ---------------------------------------------------------------------- fragmenting


def overlap_frag(
    p: Packet, overlap: Packet | bytes | str, fragsize: int = 8,
    overlap_fragsize: int | None = None,
) -> list[Packet]:
    """Fragments of ``p`` preceded by fragments carrying ``overlap`` at the same offsets (the
    last of them with MF set): an evasion test for IDSs (Scapy's).

    ``overlap_fragsize`` (default ``fragsize``) cuts the overlapping data. Its fragments take
    the header of ``p`` with ``overlap`` as payload, so their ``proto`` is the one ``overlap``
    gives (0 for bytes) unless ``p`` set it, as in Scapy.

    >>> frags = overlap_frag(IP(proto=17) / (b"A" * 16), b"B" * 8)
    >>> [(bytes(f.payload), f.frag, int(f.flags)) for f in frags]
    [(b'BBBBBBBB', 0, 1), (b'AAAAAAAA', 0, 1), (b'AAAAAAAA', 1, 0)]
    """
    if overlap_fragsize is None:
        overlap_fragsize = fragsize
    q = p.copy()
    qi = q[IP]
    del qi.payload
    qi.add_payload(overlap)
    qfrag = fragment(q, overlap_fragsize)
    if not qfrag:
        raise FieldError("overlap_frag: the overlapping data is empty (no fragment to send)")
    last = qfrag[-1][IP]
    last.flags = last.flags | 1
    return qfrag + fragment(p, fragsize)


# ---------------------------------------------------------------------- reassembling


class _Bad(Exception):
    """Scapy's BadFragments: the pieces do not follow each other."""


def _fraglen(ip: Packet) -> int:
    """The payload length a fragment declares (its own bytes when ``len``/``ihl`` are unset)."""
    d = ip.__dict__
    if d["len"] is None or d["ihl"] is None:
        return len(ip.payload)
    return int(d["len"]) - (int(d["ihl"]) << 2)


def _rebuild(head: Packet, data: bytes) -> Packet:
    """The first fragment ``head`` with ``data`` as payload, MF cleared (Scapy's rebuild)."""
    p = head.copy()
    ip = p[IP]
    pay = ip.payload
    pay_class = Raw if isinstance(pay, NoPayload) else type(pay)
    ip.flags = int(ip.flags) & ~1
    ip.remove_payload()
    ip.len = None
    ip.chksum = None
    ip.add_payload(pay_class(data))
    return p


def _is_ip(pkt: Any) -> bool:
    return isinstance(pkt, Packet) and IP in pkt


def _fragments(
    plist: Iterable[Any], complete: bool, final: list[Any], notfrag: list[Any]
) -> Iterator[tuple[Any, Any, tuple[Any, ...]]]:
    """The IP fragments of ``plist``, each with its IP layer and its reassembly key (id,
    addresses, protocol); the other packets go to ``final`` with ``complete`` (all of them, in
    order), else the unfragmented IP packets to ``notfrag`` (the rest is dropped)."""
    for pkt in plist:
        if not _is_ip(pkt):
            if complete:
                final.append(pkt)
            continue
        ip = pkt[IP]
        if not (ip.frag or ip.flags.MF):
            (final if complete else notfrag).append(pkt)
            continue
        yield pkt, ip, (ip.id, ip.src, ip.dst, ip.proto)


def _scapy_defrag(plist: Iterable[Any], complete: bool) -> tuple[list[Any], list[Any],
                                                                 list[Any]]:
    """Scapy's ``_defrag_logic``: (not fragmented, reassembled, bad); with ``complete``, every
    packet in one list, in order (the first of the three)."""
    frags: dict[tuple[Any, ...], list[tuple[Packet, int, int]]] = {}
    final: list[Any] = []
    notfrag: list[Any] = []
    bad: list[Any] = []
    for pkt, ip, uid in _fragments(plist, complete, final, notfrag):
        queue = frags.setdefault(uid, [])
        queue.append((pkt, ip.frag << 3, _fraglen(ip)))
        if ip.flags.MF:
            continue
        del frags[uid]
        try:
            data = _join(sorted(queue, key=lambda x: x[1]))
        except _Bad:
            (final if complete else bad).extend(x[0] for x in queue)
            continue
        final.append(_rebuild(min(queue, key=lambda x: x[1])[0], data))
    return (final, [], []) if complete else (notfrag, final, bad)


def _join(frags: list[tuple[Packet, int, int]]) -> bytes:
    offset = 0
    parts = []
    for pkt, o, length in frags:
        if offset != o:
            log.warning("Fragment overlap (%i %s %i) on %r", offset, ">" if offset > o else "<",
                        o, pkt)
            raise _Bad
        offset += length
        parts.append(bytes(pkt[IP].payload))
    return b"".join(parts)


def _policy_defrag(plist: Iterable[Any], complete: bool, policy: str) -> tuple[
        list[Any], list[Any], list[Any]]:
    """Reassembly as a host does it, under ``policy`` (see :mod:`paquet.reassembly`)."""
    queues: dict[tuple[Any, ...], tuple[FragmentQueue, list[Packet], list[Packet]]] = {}
    final: list[Any] = []
    notfrag: list[Any] = []
    bad: list[Any] = []
    for pkt, ip, uid in _fragments(plist, complete, final, notfrag):
        entry = queues.get(uid)
        if entry is None:
            hlen = (ip.ihl if ip.ihl is not None else len(ip.self_build()) // 4) * 4
            entry = queues[uid] = (FragmentQueue(policy, hlen), [], [])
        queue, received, kept = entry
        received.append(pkt)
        data = bytes(ip.payload)[: max(_fraglen(ip), 0)]
        before = len(queue.pieces)
        status = queue.add(ip.frag << 3, data, bool(ip.flags.MF))
        if status == "discarded":
            del queues[uid]
            (final if complete else bad).extend(received)
        elif status == "complete":
            head = queue.head
            kept.append(pkt)
            del queues[uid]
            final.append(_rebuild(kept[0 if head is None else head], queue.data()))
        elif len(queue.pieces) > before:
            kept.append(pkt)
    for _queue, received, _kept in queues.values():  # never completed
        (final if complete else bad).extend(received)
    return (final, [], []) if complete else (notfrag, final, bad)


def _run(plist: Iterable[Any], complete: bool, policy: str | None) -> tuple[
        list[Any], list[Any], list[Any]]:
    if policy is None:
        return _scapy_defrag(plist, complete)
    FragmentQueue(policy)  # a clear error for an unknown policy, before any work
    return _policy_defrag(plist, complete, policy)


def defrag(plist: Iterable[Any], *, policy: str | None = None) -> tuple[
        PacketList, PacketList, PacketList]:
    """``(not fragmented, reassembled, bad fragments)`` from the packets of ``plist``.

    Without ``policy``, Scapy's rule: a datagram is reassembled when its last fragment comes,
    from the pieces seen so far if they follow each other exactly; otherwise they all go to
    the bad list; fragments still waiting at the end are left out (as Scapy does). With
    ``policy`` (``"first"``, ``"last"``, ``"linux"``), fragments may come in any order and
    overlap (see :mod:`paquet.reassembly`); those of datagrams never completed go to the bad
    list. Packets without IPv4 are left out. The reassembled packet is the first fragment
    with the whole payload (dissected as the first fragment's payload class), MF cleared.

    >>> frags = fragment(IP(dst="192.0.2.1") / (b"x" * 30), 8)
    >>> [len(x) for x in defrag(frags)]
    [0, 1, 0]
    """
    notfrag, done, bad = _run(plist, False, policy)
    return PacketList(notfrag), PacketList(done), PacketList(bad)


def defragment(plist: Iterable[Any], *, policy: str | None = None) -> PacketList:
    """``plist`` with each datagram's fragments replaced by the reassembled datagram (where
    its last fragment was; with ``policy``, where it became whole), other packets in place.

    Without ``policy``, as Scapy: bad fragments stay, fragments still waiting at the end
    are dropped. With ``policy`` (see :func:`defrag`), those go at the end of the list.

    >>> pkt = IP(dst="192.0.2.1") / (b"x" * 30)
    >>> bytes(defragment(fragment(pkt, 8))[0]) == bytes(pkt)
    True
    """
    final = _run(plist, True, policy)[0]
    listname = getattr(plist, "listname", None)
    name = f"Defragmented {listname}" if listname is not None else "Defragmented"
    return PacketList(final, name=name)
