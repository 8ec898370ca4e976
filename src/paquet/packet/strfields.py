"""String fields of variable size, with Scapy's names and semantics: a length given by
another field (``StrLenField``), a terminator (``StrNullField``, ``StrStopField``), shown in
hexadecimal (``XStr*``), UTF-16 text (``StrFieldUtf16``). Layers holding them are built and
dissected field by field (:mod:`paquet.packet.general`).

>>> f = StrNullField("name", b"")
>>> f.addfield(None, b"", b"abc"), f.getfield(None, b"abc\\x00rest")
(b'abc\\x00', (b'rest', b'abc'))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paquet.packet.fields import StrField, StrFixedLenField, conversion, representation

__all__ = [
    "StrFieldUtf16",
    "StrFixedLenEnumField",
    "StrLenField",
    "StrLenFieldUtf16",
    "StrNullField",
    "StrNullFieldUtf16",
    "StrStopField",
    "XStrField",
    "XStrFixedLenField",
    "XStrLenField",
]


class StrLenField(StrField):
    """Bytes whose length is ``length_from(pkt)`` (another field's value, usually).

    >>> StrLenField("s", b"", length_from=lambda pkt: 2).getfield(None, b"abcd")
    (b'cd', b'ab')
    """

    __slots__ = ("length_from", "max_length")
    #: False for UTF-16 text whose length counts characters (2 bytes each).
    ON_WIRE_SIZE_UTF16 = True

    def __init__(self, name: str, default: Any, length_from: Callable[[Any], int] | None = None,
                 max_length: int | None = None) -> None:
        super().__init__(name, default)
        self.length_from = length_from
        self.max_length = max_length

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = int((self.length_from or (lambda x: 0))(pkt))
        if not self.ON_WIRE_SIZE_UTF16:
            n *= 2
        if n == 0:
            return s, b""
        return s[n:], self.m2i(pkt, s[:n])


class _XStr:
    """Mixin: bytes shown as hexadecimal digits (``0102ff``)."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, bytes):
            return x.hex()
        return repr(x)


class XStrField(_XStr, StrField):
    """A ``StrField`` shown in hexadecimal."""

    __slots__ = ()


class XStrLenField(_XStr, StrLenField):
    """A ``StrLenField`` shown in hexadecimal."""

    __slots__ = ()


class XStrFixedLenField(_XStr, StrFixedLenField):
    """A ``StrFixedLenField`` shown in hexadecimal."""

    __slots__ = ()
    fast = True


class StrFixedLenEnumField(StrFixedLenField):
    """A ``StrFixedLenField`` whose values have names (``enum``: bytes -> name)."""

    __slots__ = ("enum",)

    def __init__(self, name: str, default: Any, length: int | None = None,
                 enum: dict[bytes, str] | None = None,
                 length_from: Callable[[Any], int] | None = None) -> None:
        super().__init__(name, default, length=length, length_from=length_from)
        self.enum = enum or {}

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        r = x.rstrip(b"\x00") if isinstance(x, bytes) else x
        text = repr(r)
        label = self.enum.get(x, self.enum.get(r)) if isinstance(x, bytes) else None
        return f"{text} ({label})" if label is not None else text


class StrNullField(StrField):
    """Bytes ended by a NUL byte on the wire (the NUL is not part of the value)."""

    __slots__ = ()
    DELIMITER = b"\x00"

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val) + self.DELIMITER

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        step = len(self.DELIMITER)
        at = 0
        while True:
            at = s.find(self.DELIMITER, at)
            if at < 0:
                return b"", s
            if at % step:
                at += 1
            else:
                break
        return s[at + step :], self.m2i(pkt, s[:at])

    def i2len(self, pkt: Any, x: Any) -> int:
        return super().i2len(pkt, x) + 1

    def randval(self) -> Any:
        """Random bytes ended by the delimiter, up to 1,200 (Scapy's ``RandTermString``)."""
        from paquet.volatile import RandNum, RandTermString

        return RandTermString(RandNum(0, 1200), self.DELIMITER)


class StrStopField(StrField):
    """Bytes up to and including ``stop`` (and ``additional`` bytes after it)."""

    __slots__ = ("additional", "stop")

    def __init__(self, name: str, default: Any, stop: bytes, additional: int = 0) -> None:
        super().__init__(name, default)
        self.stop = stop
        self.additional = additional

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        at = s.find(self.stop)
        if at < 0:
            return b"", s
        at += len(self.stop) + self.additional
        return s[at:], s[:at]

    def randval(self) -> Any:
        """Random bytes ended by ``stop``, up to 1,200 (Scapy's ``RandTermString``)."""
        from paquet.volatile import RandNum, RandTermString

        return RandTermString(RandNum(0, 1200), self.stop)


class StrFieldUtf16(StrField):
    """Text stored as its UTF-16 little-endian bytes, read and shown as text."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(name, b"", *args, **kwargs)
        self.default = self.any2i(None, default)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str):
            return self.h2i(pkt, x)
        return super().any2i(pkt, x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return str(self.i2h(pkt, x))

    def h2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes):
            x = x.decode("utf-8", "replace")
        return str(x).encode("utf-16-le", errors="replace")

    def i2h(self, pkt: Any, x: Any) -> Any:
        if x is None:
            return ""
        if isinstance(x, str):
            x = x.encode()
        return bytes(x).decode("utf-16-le", errors="replace")


class StrLenFieldUtf16(StrLenField, StrFieldUtf16):
    """UTF-16 text whose length in bytes is ``length_from(pkt)``."""

    __slots__ = ()


class StrNullFieldUtf16(StrNullField, StrFieldUtf16):
    """UTF-16 text ended by two NUL bytes."""

    __slots__ = ()
    DELIMITER = b"\x00\x00"
