"""The internet checksum (RFC 1071), explained step by step, and updated incrementally (RFC 1624).
"""

from __future__ import annotations

__all__ = ["internet_checksum"]


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
