"""The one's complement arithmetic: the internet checksum (RFC 1071), its words and folds, and
its incremental update (RFC 1624).

>>> hex(internet_checksum(bytes.fromhex("4500003b000100004006" "0000" "c0a80001b114b74a")))
'0x51b4'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from paquet.checksums.update import update_word
from paquet.errors import PaquetError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NamedTuple

    class _Fold(NamedTuple):
        before: int
        carry: int
        low: int
        after: int
else:  # (typing costs the probes' start-up 3 ms; the checker reads the class above)
    from collections import namedtuple

    _Fold = namedtuple("FoldStep", "before carry low after")

__all__ = [
    "ChecksumError",
    "FoldStep",
    "checksum_with_field_zeroed",
    "fold",
    "fold_steps",
    "incremental_update",
    "internet_checksum",
    "ones_complement_sum",
    "update_word",
    "verify",
    "words16",
]


class ChecksumError(PaquetError, ValueError):
    """Arguments a checksum cannot be computed from (a word out of 16 bits, odd lengths...)."""


def internet_checksum(data: bytes) -> int:
    """Return the RFC 1071 internet checksum of ``data``: the one's complement of the
    one's-complement sum of its 16-bit big-endian words (an odd length is padded with a zero byte).

    >>> hex(internet_checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
    '0xb861'
    """
    if len(data) % 2:
        data += b"\x00"
    total = int.from_bytes(data, "big")
    # Fold the big integer 16 bits at a time: summing words modulo 0xffff is what folding does.
    s = total % 0xFFFF if total else 0
    if s == 0 and total:
        s = 0xFFFF
    return (~s) & 0xFFFF


# ---------------------------------------------------------------------------------------------
# Words and one's-complement arithmetic


def words16(data: bytes) -> list[int]:
    """The 16-bit big-endian words of ``data`` (an odd length is padded with a zero byte).

    >>> [hex(w) for w in words16(bytes.fromhex("4500003b01"))]
    ['0x4500', '0x3b', '0x100']
    """
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def _check_word(word: int) -> int:
    if isinstance(word, bool) or not isinstance(word, int) or not 0 <= word <= 0xFFFF:
        raise ChecksumError(f"a 16-bit word is an integer from 0 to 0xffff, got {word!r}")
    return word


def fold(total: int) -> int:
    """Add the carries (the bits above 16) back into the low 16 bits until none is left.

    >>> hex(fold(0x2ae49))
    '0xae4b'
    """
    if total < 0:
        raise ChecksumError(f"a sum of words is not negative, got {total}")
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


class FoldStep(_Fold):
    """One fold of the carry: ``before`` = ``carry`` * 0x10000 + ``low``;
    ``after`` = ``low`` + ``carry``."""

    __slots__ = ()


def fold_steps(total: int) -> tuple[FoldStep, ...]:
    """Every fold needed to bring ``total`` back to 16 bits (none when it already fits).

    >>> fold_steps(0x2ae49)
    (FoldStep(before=175689, carry=2, low=44617, after=44619),)
    >>> len(fold_steps(0xffff + 0xffff + 0xffff)), len(fold_steps(0x1234))
    (1, 0)
    """
    steps = []
    value = total
    if value < 0:
        raise ChecksumError(f"a sum of words is not negative, got {total}")
    while value >> 16:
        low, carry = value & 0xFFFF, value >> 16
        steps.append(FoldStep(value, carry, low, low + carry))
        value = low + carry
    return tuple(steps)


def ones_complement_sum(words: Iterable[int]) -> int:
    """The one's-complement sum of 16-bit words: plain sum, carries folded back.

    >>> hex(ones_complement_sum([0x4500, 0x003b, 0x0001, 0x0000, 0x4006, 0xc0a8, 0x0001,
    ...                          0xb114, 0xb74a]))
    '0xae4b'
    """
    return fold(sum(_check_word(w) for w in words))


def verify(data: bytes) -> bool:
    """True when ``data``, its checksum field included, sums to all ones (RFC 1071 check).

    >>> verify(bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a"))
    True
    """
    return internet_checksum(bytes(data)) == 0


def checksum_with_field_zeroed(data: bytes, offset: int) -> int:
    """The checksum of ``data`` computed as if its 16-bit field at ``offset`` were zero
    (what a sender writes into that field).

    >>> hex(checksum_with_field_zeroed(bytes.fromhex("0800ffff00010001"), 2))
    '0xf7fd'
    """
    data = bytes(data)
    if offset < 0 or offset + 2 > len(data):
        raise ChecksumError(f"checksum field at offset {offset} lies outside {len(data)} bytes")
    return internet_checksum(data[:offset] + b"\x00\x00" + data[offset + 2 :])


# ---------------------------------------------------------------------------------------------
# RFC 1624 incremental update


def _as_words(value: int | bytes | Sequence[int], what: str) -> list[int]:
    if isinstance(value, bytes | bytearray):
        if len(value) % 2:
            raise ChecksumError(f"{what} bytes must have an even length, got {len(value)}")
        return words16(bytes(value))
    if isinstance(value, int):
        return [_check_word(value)]
    return [_check_word(w) for w in value]


def incremental_update(
    old_checksum: int, old: int | bytes | Sequence[int], new: int | bytes | Sequence[int]
) -> int:
    """The new checksum after some 16-bit words change from ``old`` to ``new``, without
    reading the rest of the data: RFC 1624 equation 3, HC' = ~(~HC + ~m + m').

    ``old`` and ``new`` are one word, a list of words or bytes (even length), in the same
    order. It equals a full recomputation, except for an all-zero message where RFC 1624 and
    RFC 1071 write zero differently (0x0000 vs 0xffff).

    Decrementing the TTL from 64 to 63 in the course's header (word 0x4006 -> 0x3f06):

    >>> hex(incremental_update(0x51b4, 0x4006, 0x3f06))
    '0x52b4'
    """
    checksum = _check_word(old_checksum)
    before, after = _as_words(old, "old"), _as_words(new, "new")
    if len(before) != len(after):
        raise ChecksumError(f"old and new must have as many words: {len(before)} and {len(after)}")
    for m, m_new in zip(before, after, strict=True):
        checksum = update_word(checksum, m, m_new)
    return checksum
