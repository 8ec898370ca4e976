"""RFC 1624's incremental update of a checksum for one changed 16-bit word, in a module of its
own that imports nothing: the probes patch every probe's checksum with it, and their start-up
should not pay for the rest of the arithmetic (:mod:`paquet.checksums.arithmetic`, which gives
this function too, as does :mod:`paquet.checksums`).
"""

from __future__ import annotations

__all__ = ["update_word"]


def update_word(checksum: int, old: int, new: int) -> int:
    """RFC 1624 eqn. 3 for one 16-bit word, unchecked (the probes' hot path; see
    :func:`~paquet.checksums.arithmetic.incremental_update` for the checked form):
    ``HC' = ~(~HC + ~m + m')``, which stays right where the RFC 1141 shortcut fails (0x0000).
    Applying it word after word equals one update over all the words.

    >>> from paquet.checksums.arithmetic import internet_checksum
    >>> data = bytearray(bytes.fromhex("450000730000400040110000c0a80001c0a800c7"))
    >>> c = internet_checksum(bytes(data))
    >>> data[8:10] = bytes.fromhex("3f11")  # TTL 64 -> 63
    >>> update_word(c, 0x4011, 0x3F11) == internet_checksum(bytes(data))
    True
    """
    total = (~checksum & 0xFFFF) + (~old & 0xFFFF) + new
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
