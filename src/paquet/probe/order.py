"""Randomised probe order: a full-period linear congruential permutation, and shards of it.

The target space (hosts x ports) is numbered 0..n-1. :class:`Permutation` walks it in a
pseudo-random order without storing it: ``x -> (a*x + c) mod m`` with ``m`` the smallest power of
two >= n, ``a = 1 (mod 4)`` and ``c`` odd has full period ``m`` (Hull-Dobell theorem); values >= n
are skipped (cycle walking). ``a`` and ``c`` come from the seed, so the same seed gives the same
order on every machine: ``shard (i, n)`` takes positions i-1, i-1+n, ... of that order, the shards
are disjoint and together cover the space, and their outputs merge.

>>> p = Permutation(10, seed=1)
>>> sorted(p) == list(range(10))
True
>>> a = list(Permutation(10, seed=1, shard=(1, 2)))
>>> b = list(Permutation(10, seed=1, shard=(2, 2)))
>>> sorted(a + b) == list(range(10)) and not set(a) & set(b)
True
"""

from __future__ import annotations

from _blake2 import blake2b  # (not hashlib: its import loads OpenSSL)
from collections.abc import Iterator

from paquet.errors import PaquetError

__all__ = ["MAX_SHARDS", "Permutation", "Sequential", "parse_shard"]

MAX_SHARDS = 2**32
"""The most parts a scan is cut into (``--shard I/N``)."""


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``I/N`` (1 <= I <= N) into ``(I, N)``.

    >>> parse_shard("2/3")
    (2, 3)
    """
    parts = text.split("/")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
        raise PaquetError(f"bad shard {text[:40]!r}: expected I/N, e.g. 1/4")
    i, n = int(parts[0]), int(parts[1])
    if not 1 <= i <= n <= MAX_SHARDS:
        raise PaquetError(f"bad shard {text!r}: need 1 <= I <= N <= {MAX_SHARDS}")
    return i, n


class Permutation:
    """The numbers ``0..n-1`` in a seeded pseudo-random order (optionally one shard of it)."""

    __slots__ = ("a", "c", "m", "n", "shard", "start")

    def __init__(self, n: int, seed: int = 0, shard: tuple[int, int] = (1, 1)) -> None:
        if n < 0:
            raise PaquetError("a permutation needs a non-negative size")
        self.n = n
        self.shard = shard
        m = 1
        while m < n:
            m <<= 1
        self.m = m
        d = blake2b(seed.to_bytes(16, "big", signed=True), digest_size=24).digest()
        r1, r2, r3 = (int.from_bytes(d[i:i + 8], "big") for i in (0, 8, 16))
        self.a = ((r1 % m) & ~3) + 1 if m >= 4 else 1
        self.c = (r2 % m) | 1 if m > 1 else 0
        self.start = r3 % m

    def __len__(self) -> int:
        i, k = self.shard
        return len(range(i - 1, self.n, k))

    def __iter__(self) -> Iterator[int]:
        return self.walk(0)

    def walk(self, skip: int) -> Iterator[int]:
        """The shard's elements from its ``skip``-th one on (resuming a scan)."""
        n, m, a, c = self.n, self.m, self.a, self.c
        if n == 0:
            return
        first, step = self.shard[0] - 1, self.shard[1]
        x = self.start
        pos = 0  # position in the full order
        emitted = 0
        mask = m - 1
        for _ in range(m):
            if x < n:
                if pos >= first and (pos - first) % step == 0:
                    if emitted >= skip:
                        yield x
                    emitted += 1
                pos += 1
            x = (a * x + c) & mask


class Sequential(Permutation):
    """The numbers ``0..n-1`` in order (nmap's ``-r``: ports one after another), sharded the
    same way as :class:`Permutation`.

    >>> list(Sequential(5))
    [0, 1, 2, 3, 4]
    >>> list(Sequential(7, shard=(2, 3)).walk(1))
    [4]
    """

    __slots__ = ()

    def __init__(self, n: int, seed: int = 0, shard: tuple[int, int] = (1, 1)) -> None:
        super().__init__(n, seed, shard)

    def walk(self, skip: int) -> Iterator[int]:
        """The shard's elements from its ``skip``-th one on."""
        first, step = self.shard[0] - 1, self.shard[1]
        return iter(range(first + skip * step, self.n, step))
