"""Putting fragments back together, one datagram at a time, under a stated overlap policy.

A :class:`FragmentQueue` takes the pieces of one datagram in the order they arrived (byte
offset, data, more-fragments flag) and says when the datagram is whole. What happens when
pieces overlap is the ``policy``:

``"first"``
    bytes already received win: a later piece only fills the holes (BSD's and Windows' old
    behaviour, what most IDS papers call "first").
``"last"``
    a later piece overwrites what it covers ("last").
``"linux"``
    what the Linux kernel does since 4.19 (``inet_frag_queue_insert``, RFC 5722 applied to
    IPv4 too): a piece lying wholly inside data already received is a duplicate and is
    dropped (so the first copy wins), any other overlap discards the whole datagram; so does
    a piece of zero length, a last piece that disagrees with the end already known, or a
    datagram past 65,535 bytes. A piece that is not the last and whose length is not a
    multiple of 8 is cut down to one (IPv4, ``ip_frag_queue``) or dropped alone (IPv6,
    ``ip6_frag_queue``, with an ICMPv6 parameter problem), as is an IPv6 piece reaching past
    65,535 bytes. (The kernel's ``ipfrag_max_dist`` check, which counts other traffic from
    the same host, is not modelled.)

Linux therefore uses neither "first" nor "last" for partial overlaps: it drops the datagram.
For an overlapped piece that lies inside earlier data it behaves as "first".

Memory and time grow with the bytes given, never with the offsets claimed: hostile pieces
(offsets past 65,535, zero lengths, thousands of duplicates) cost what they weigh.

>>> q = FragmentQueue("first")   # the B's came first: they stay
>>> q.add(8, b"BBBBBBBB", False)
'pending'
>>> q.add(0, b"AAAAAAAAxx", True)
'complete'
>>> q.data()
b'AAAAAAAABBBBBBBB'
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Literal

__all__ = ["POLICIES", "FragmentQueue", "Policy"]

Policy = Literal["first", "last", "linux"]
#: The overlap policies :class:`FragmentQueue` knows.
POLICIES: tuple[str, ...] = ("first", "last", "linux")

#: The largest datagram IPv4 and IPv6 can carry (header included, as the kernel counts).
MAX_DATAGRAM = 65535

Status = Literal["pending", "complete", "duplicate", "discarded"]


class FragmentQueue:
    """The pieces of one datagram received so far, under ``policy`` (``"first"``, ``"last"``
    or ``"linux"``); ``header_len`` counts towards the 65,535-byte limit; ``version`` (4 or 6)
    chooses the kernel's IPv4 or IPv6 rules for ``"linux"``.

    :meth:`add` returns ``"complete"`` once the datagram is whole (then :meth:`data` gives its
    payload), ``"pending"`` while holes remain, ``"duplicate"`` for a piece the policy ignored,
    ``"discarded"`` when the datagram cannot be reassembled (the queue is then empty again,
    as the kernel starts a new one for later pieces).

    >>> q = FragmentQueue("linux")
    >>> q.add(0, b"12345678", True)
    'pending'
    >>> q.add(0, b"x" * 16, True)   # overlaps and goes further: the whole datagram goes
    'discarded'
    """

    def __init__(self, policy: str = "linux", header_len: int = 0, version: int = 4) -> None:
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {', '.join(POLICIES)}, not {policy!r}")
        self.policy = policy
        self.header_len = header_len
        self.version = version
        self.reset()

    def reset(self) -> None:
        """Forget every piece (a new, empty datagram)."""
        #: (offset, data) in arrival order (the pieces kept)
        self.pieces: list[tuple[int, bytes]] = []
        #: the index in ``pieces`` of the first piece at offset 0 kept, or None
        self.head: int | None = None
        self.end: int | None = None  # from the last piece (more fragments = 0)
        self.size = 0  # linux: the highest end seen (q->len)
        self.last_in = False
        # covered runs, sorted and disjoint (linux: the kernel's runs, see _add_linux)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._covered = 0

    # ------------------------------------------------------------------ coverage

    def _cover(self, start: int, end: int) -> None:
        """Add [start, end) to the covered runs (merging neighbours and overlaps)."""
        starts, ends = self._starts, self._ends
        i = bisect_right(ends, start - 1)  # first run whose end >= start
        j = bisect_right(starts, end)  # runs before j start <= end
        if i < j:
            new_start = min(start, starts[i])
            new_end = max(end, ends[j - 1])
            self._covered -= sum(ends[k] - starts[k] for k in range(i, j))
            del starts[i:j], ends[i:j]
        else:
            new_start, new_end = start, end
        starts.insert(i, new_start)
        ends.insert(i, new_end)
        self._covered += new_end - new_start

    def _whole(self) -> bool:
        end = self.end
        if end is None or self.head is None:
            return False
        if self.policy == "linux":
            return self._covered == end
        return bool(self._starts) and self._starts[0] == 0 and self._ends[0] >= end

    # ------------------------------------------------------------------ adding

    def add(self, offset: int, data: bytes, more: bool) -> Status:
        """Take one piece: ``data`` at byte ``offset``; ``more`` is the MF flag."""
        if self.policy == "linux":
            status = self._add_linux(offset, data, more)
        else:
            status = self._add_simple(offset, data, more)
        if status == "discarded":
            self.reset()
        return status

    def _add_simple(self, offset: int, data: bytes, more: bool) -> Status:
        end = offset + len(data)
        if self.header_len + end > MAX_DATAGRAM:
            return "discarded"
        if not more and (self.end is None or self.policy == "last"):
            self.end = end
        if data:
            if offset == 0 and (self.head is None or self.policy == "last"):
                self.head = len(self.pieces)
            self.pieces.append((offset, data))
            self._cover(offset, end)
        return "complete" if self._whole() else "pending"

    def _add_linux(self, offset: int, data: bytes, more: bool) -> Status:
        # ip_frag_queue() (ip6_frag_queue()) then inet_frag_queue_insert(), in their order.
        end = offset + len(data)
        if self.version == 6 and end > MAX_DATAGRAM:
            return "duplicate"  # IPv6: dropped alone (a parameter problem), the queue stays
        if not more:
            if end < self.size or (self.last_in and end != self.size):
                return "discarded"
            self.last_in = True
            self.size = end
        else:
            if end & 7:
                if self.version == 6:
                    return "duplicate"  # dropped alone; the queue stays
                end &= ~7
                data = data[: end - offset] if end > offset else b""
            if end > self.size:
                if self.last_in:
                    return "discarded"
                self.size = end
        if end <= offset:
            return "discarded"
        # The kernel's runs: contiguous pieces appended at the tail; a piece put anywhere
        # else starts a run of its own, never merged with its neighbours.
        starts, ends = self._starts, self._ends
        if not starts:
            starts.append(offset)
            ends.append(end)
        elif ends[-1] < end:
            if offset < ends[-1]:
                return "discarded"
            if offset == ends[-1]:
                ends[-1] = end
            else:
                starts.append(offset)
                ends.append(end)
        else:
            i = bisect_right(starts, offset) - 1
            if i >= 0 and offset < ends[i]:
                return "duplicate" if end <= ends[i] else "discarded"
            if i + 1 < len(starts) and starts[i + 1] < end:
                return "discarded"
            starts.insert(i + 1, offset)
            ends.insert(i + 1, end)
        self._covered += end - offset
        if offset == 0 and self.head is None:
            self.head = len(self.pieces)
        self.pieces.append((offset, data))
        if self.last_in:
            self.end = self.size
        if self._whole():
            if self.header_len + self.size > MAX_DATAGRAM:
                return "discarded"
            return "complete"
        return "pending"

    # ------------------------------------------------------------------ result

    def data(self) -> bytes:
        """The reassembled payload (its holes, if any, filled with zeros)."""
        size = self.end if self.end is not None else (self._ends[-1] if self._ends else 0)
        buf = bytearray(size)
        order = self.pieces if self.policy != "first" else reversed(self.pieces)
        for off, piece in order:
            if off < size:
                buf[off : off + len(piece)] = piece[: size - off]
        return bytes(buf)
