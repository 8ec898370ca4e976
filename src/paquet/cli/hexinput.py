"""Hexadecimal bytes given on the command line or on standard input (``checksum``, ``decode``,
``explain``): one reader, one set of error messages."""

from __future__ import annotations

import string
import sys

from paquet.errors import PaquetError

__all__ = [
    "MAX_STDIN_HEX",
    "SEPARATORS",
    "HexError",
    "hex_digits",
    "is_hex",
    "parse_hex",
    "read_stdin_hex",
]

SEPARATORS = " \t\r\n:.-_"
"""What may separate hex digits (spaces, newlines, colons, dots, dashes, underscores)."""

MAX_STDIN_HEX = 64 << 20
"""The most hex text read from standard input (64 MiB: 32 MiB of bytes)."""


class HexError(PaquetError, ValueError):
    """Text that is not hexadecimal bytes."""


def hex_digits(text: str, separators: str = SEPARATORS) -> str:
    """``text`` without its surrounding whitespace, a leading ``0x`` and the ``separators``.

    >>> hex_digits(' 0x45:00 00-1c ')
    '4500001c'
    """
    cleaned = text.strip()
    if cleaned[:2].lower() == "0x":
        cleaned = cleaned[2:]
    return "".join(c for c in cleaned if c not in separators)


def is_hex(digits: str) -> bool:
    """True when ``digits`` is not empty and holds only hex digits (ASCII).

    >>> is_hex('45aF'), is_hex(''), is_hex('4g')
    (True, False, False)
    """
    return bool(digits) and all(c in string.hexdigits for c in digits)


def parse_hex(text: str) -> bytes:
    """Bytes from hex digits, with or without separators and an optional ``0x`` prefix.

    >>> parse_hex('45:00 00 1c').hex()
    '4500001c'
    >>> parse_hex('0x4500').hex()
    '4500'
    >>> parse_hex('45 0g')
    Traceback (most recent call last):
    ...
    paquet.cli.hexinput.HexError: invalid hex: 'g' is not a hex digit
    """
    cleaned = hex_digits(text)
    if not cleaned:
        raise HexError("no hex digits given")
    bad = next((c for c in cleaned if c not in string.hexdigits), None)
    if bad is not None:
        raise HexError(f"invalid hex: {bad!r} is not a hex digit")
    if len(cleaned) % 2:
        raise HexError(f"invalid hex: odd number of digits ({len(cleaned)})")
    return bytes.fromhex(cleaned)


def read_stdin_hex() -> str:
    """The hex text on standard input: ASCII, at most :data:`MAX_STDIN_HEX` characters."""
    binary = getattr(sys.stdin, "buffer", None)
    if binary is not None:
        raw: bytes = binary.read(MAX_STDIN_HEX + 1)
    else:  # a text stream put in its place (tests)
        raw = sys.stdin.read(MAX_STDIN_HEX + 1).encode("utf-8", "surrogateescape")
    if len(raw) > MAX_STDIN_HEX:
        raise HexError(f"more than {MAX_STDIN_HEX >> 20} MiB of hex on standard input")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError as exc:
        raise HexError(
            f"invalid hex: byte 0x{raw[exc.start]:02x} at offset {exc.start} is not a hex digit"
        ) from None
