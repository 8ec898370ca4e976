"""The addresses of the IPv6 upper-layer pseudo-header (RFC 8200 §8.1), from the extension
headers on the wire: the final destination of a routing header, the home address option.

One implementation for the layers (building and checking TCP, UDP, ICMPv6 checksums), for
``paquet checksum`` (raw bytes) and for ``explain``:

- while segments are left, a routing header names the final destination: the last address of
  type 0 (RFC 2460) and type 2 (RFC 6275), Segment List[0] of type 4 (RFC 8754);
- a destination options header with a home address option (type 0xC9, 16 bytes, RFC 6275
  §6.3) gives the source the receiver uses: the home address.

When several headers name one, the last (nearest the upper layer) counts, for both.

It works on bytes and imports nothing from the engine, so the checksum module, below the
layers, uses it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

__all__ = [
    "HOME_ADDRESS_OPTION",
    "final_destination",
    "home_address",
    "tlv_options",
]

HOME_ADDRESS_OPTION = 0xC9
"""The home address destination option's type (RFC 6275 §6.3)."""


def final_destination(kind: int, segleft: int, body: bytes) -> bytes | None:
    """The final destination of a routing header of type ``kind`` with ``segleft`` segments
    left and ``body`` after its first 8 bytes; None when no segment is left or the type
    names none (an unknown type, addresses that do not fill 16-byte slots)."""
    if not segleft:
        return None
    if kind in (0, 2) and body and len(body) % 16 == 0:
        return bytes(body[-16:])
    if kind == 4 and len(body) >= 16:
        return bytes(body[:16])
    return None


def tlv_options(body: bytes) -> Iterator[tuple[int, bytes]]:
    """The options of a hop-by-hop or destination options header's ``body`` (after its first
    two bytes) as (type, data), Pad1 included; stops at bytes that do not make an option."""
    at = 0
    while at < len(body):
        kind = body[at]
        if kind == 0:
            yield 0, b""
            at += 1
            continue
        if at + 2 > len(body) or at + 2 + body[at + 1] > len(body):
            return
        yield kind, bytes(body[at + 2 : at + 2 + body[at + 1]])
        at += 2 + body[at + 1]


def home_address(options: Iterable[tuple[int, bytes]]) -> bytes | None:
    """The home address among destination ``options`` (type, data), or None."""
    for kind, data in options:
        if kind == HOME_ADDRESS_OPTION and len(data) == 16:
            return data
    return None
