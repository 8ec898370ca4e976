"""Scapy's byte-string helpers (``scapy.utils``): random strings, bitwise operations on two
strings, colour and label generators, and the Fletcher-16 checksum (RFC 905 annex B); given by
:mod:`paquet.utils` as Scapy gives them.

>>> strxor(b"\\x0f", b"\\xff")
b'\\xf0'
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from typing import Any

from paquet.errors import PaquetError

__all__ = [
    "colgen",
    "fletcher16_checkbytes",
    "fletcher16_checksum",
    "incremental_label",
    "randstring",
    "strand",
    "stror",
    "strrot",
    "strxor",
    "zerofree_randstring",
]


# ---------------------------------------------------------------------------------------------
# Random and bitwise byte strings


def randstring(length: int) -> bytes:
    """``length`` random bytes (from :mod:`random`, so ``random.seed`` repeats them).

    >>> len(randstring(4))
    4
    """
    return bytes(random.randint(0, 255) for _ in range(length))


def zerofree_randstring(length: int) -> bytes:
    """``length`` random bytes, none of them zero.

    >>> 0 in zerofree_randstring(64)
    False
    """
    return bytes(random.randint(1, 255) for _ in range(length))


def _bitwise(name: str, s1: bytes, s2: bytes) -> None:
    if len(s1) != len(s2):
        raise PaquetError(f"{name}: the two strings differ in length ({len(s1)}, {len(s2)})")


def strxor(s1: bytes, s2: bytes) -> bytes:
    """The bytewise XOR of two strings of the same length.

    >>> strxor(b"AB", b"  ")
    b'ab'
    """
    _bitwise("strxor", s1, s2)
    return bytes(a ^ b for a, b in zip(s1, s2, strict=True))


def stror(s1: bytes, s2: bytes) -> bytes:
    """The bytewise OR of two strings of the same length.

    >>> stror(b"AB", b"  ")
    b'ab'
    """
    _bitwise("stror", s1, s2)
    return bytes(a | b for a, b in zip(s1, s2, strict=True))


def strand(s1: bytes, s2: bytes) -> bytes:
    """The bytewise AND of two strings of the same length.

    >>> strand(b"AC", b"BC")
    b'@C'
    """
    _bitwise("strand", s1, s2)
    return bytes(a & b for a, b in zip(s1, s2, strict=True))


def strrot(s1: bytes, count: int, right: bool = True) -> bytes:
    """``s1`` rotated by ``count`` bytes, to the right (or the left).

    >>> strrot(b"abcd", 1), strrot(b"abcd", 1, right=False)
    (b'dabc', b'bcda')
    """
    if not s1:
        return s1
    off = count % len(s1)
    return s1[-off:] + s1[:-off] if right else s1[off:] + s1[:off]


def colgen(*lstcol: Any, **kargs: Any) -> Iterator[Any]:
    """Mix the given quantities (colours) forever: each triple of them taken round the list
    (not three times the same), passed to ``trans(x, y, z)`` (a tuple by default), as
    Scapy's ``colgen`` for graph colours.

    >>> g = colgen(1, 2, 3); [next(g) for _ in range(3)]
    [(1, 2, 2), (1, 3, 3), (2, 2, 1)]
    """
    values = lstcol * 2 if len(lstcol) < 2 else lstcol
    trans = kargs.get("trans", lambda x, y, z: (x, y, z))
    n = len(values)
    while True:
        for i, j, k in itertools.product(range(n), repeat=3):
            if not i == j == k:
                yield trans(values[(i + j) % n], values[(j + k) % n], values[(k + i) % n])


def incremental_label(label: str = "tag%05i", start: int = 0) -> Iterator[str]:
    """``label % start``, ``label % (start + 1)``... forever.

    >>> g = incremental_label(); next(g), next(g)
    ('tag00000', 'tag00001')
    """
    while True:
        yield label % start
        start += 1


# ---------------------------------------------------------------------------------------------
# Fletcher-16 (RFC 905 annex B, RFC 2328 §12.1.7)


def _fletcher16(data: bytes) -> tuple[int, int]:
    c0 = c1 = 0
    for byte in data:
        c0 += byte
        c1 += c0
    return c0 % 255, c1 % 255


def fletcher16_checksum(binbuf: bytes) -> int:
    """The Fletcher-16 checksum of ``binbuf`` (0 when it holds its own check bytes).

    >>> fletcher16_checksum(b"\\x28\\x07")
    22319
    """
    c0, c1 = _fletcher16(bytes(binbuf))
    return (c1 << 8) | c0


def fletcher16_checkbytes(binbuf: bytes, offset: int) -> bytes:
    """The two Fletcher-16 check bytes to put at ``offset`` in ``binbuf`` so that its
    checksum becomes 0 (OSPF's LSA checksum).

    >>> fletcher16_checkbytes(b"\\x28\\x07", 1)
    b'\\xaf('
    """
    data = bytes(binbuf)
    if len(data) < offset:
        raise PaquetError(
            f"fletcher16_checkbytes: {len(data)} bytes, too short for offset {offset}"
        )
    data = data[:offset] + b"\x00\x00" + data[offset + 2 :]
    c0, c1 = _fletcher16(data)
    x = ((len(data) - offset - 1) * c0 - c1) % 255
    if x <= 0:
        x += 255
    y = 510 - c0 - x
    if y > 255:
        y -= 255
    return bytes((x, y))
