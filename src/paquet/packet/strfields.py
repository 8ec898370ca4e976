"""String fields, with Scapy's names and semantics: the rest of a header (``StrField``), a
fixed size (``StrFixedLenField``), a length given by another field (``StrLenField``), a
terminator (``StrNullField``, ``StrStopField``), shown in hexadecimal (``XStr*``), UTF-16 text
(``StrFieldUtf16``). Layers holding the variable ones are built and dissected field by field
(:mod:`paquet.packet.general`); :mod:`paquet.packet.fields` gives ``StrField`` and
``StrFixedLenField`` too.

>>> f = StrNullField("name", b"")
>>> f.addfield(None, b"", b"abc"), f.getfield(None, b"abc\\x00rest")
(b'abc\\x00', (b'rest', b'abc'))
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from paquet.packet.fields import Field, FieldError, conversion, representation

__all__ = [
    "StrField",
    "StrFieldUtf16",
    "StrFixedLenEnumField",
    "StrFixedLenField",
    "StrLenField",
    "StrLenFieldUtf16",
    "StrNullField",
    "StrNullFieldUtf16",
    "StrStopField",
    "XStrField",
    "XStrFixedLenField",
    "XStrLenField",
]


def _to_bytes(name: str, value: Any) -> Any:
    """Text as its UTF-8 bytes (refused with a clear error when it has none)."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as exc:
            bad = value[exc.start : exc.end]
            raise FieldError(
                f"{name}: the text has no UTF-8 bytes ({bad!r} at position "
                f"{exc.start} is a lone surrogate): give bytes instead"
            ) from None
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    return value


class StrField(Field):
    """Bytes of variable length (a payload, the rest of a header): Scapy's
    ``StrField(name, default, fmt="H", remain=0)`` takes what is left but ``remain`` bytes.

    A string is stored as its UTF-8 bytes (``surrogateescape``: bytes a shell passed that are
    not UTF-8 come back as they were); a string with a lone surrogate such as ``"\\ud800"``
    has no bytes and is refused with a :class:`FieldError` (Scapy raises UnicodeEncodeError).

    >>> StrField("s", b"").getfield(None, b"abc")
    (b'', b'abc')
    """

    __slots__ = ("remain",)
    random_kind = "bytes"
    converts = True
    islist = True

    def __init__(self, name: str, default: Any, fmt: str = "H", remain: int = 0) -> None:
        super().__init__(name, _to_bytes(name, default), None)
        self.remain = remain

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        return _to_bytes(self.name, x)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b""
        if isinstance(x, str | bytearray | memoryview):
            return bytes(_to_bytes(self.name, x))
        if not isinstance(x, bytes):
            return bytes(x)
        return x

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if self.remain == 0:
            return b"", self.m2i(pkt, s)
        return s[-self.remain :], self.m2i(pkt, s[: -self.remain])


class StrFixedLenField(StrField):
    """A fixed number of bytes (``length``), or ``length_from(pkt)`` bytes: cut or padded
    with zeros when built, as Scapy does.

    >>> f = StrFixedLenField("s", b"", 4)
    >>> f.addfield(None, b"", b"ab"), f.getfield(None, b"abcdef")
    (b'ab\\x00\\x00', (b'ef', b'abcd'))
    """

    __slots__ = ("length", "length_from")
    random_kind = "fixed"
    fast = True

    def __init__(self, name: str, default: Any, length: int | None = None,
                 length_from: Callable[[Any], int | None] | None = None) -> None:
        super().__init__(name, default)
        self.length_from = length_from
        self.length = length or 0
        if length is not None and length_from is None:
            self.fmt = f"{length}s"
            self.struct = struct.Struct(f"!{length}s")
            self.sz = length

    def _len(self, pkt: Any) -> int | None:
        """The field's length: ``length``, or what ``length_from`` says (None: the value
        as it is when building, the rest of the data when dissecting, as Scapy's)."""
        if self.length_from is not None:
            n = self.length_from(pkt)
            return None if n is None else int(n)
        return self.length

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))  # (the value's own length, as Scapy's StrField counts)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, bytes):
            x = x.rstrip(b"\x00")
        return repr(x)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        n = self._len(pkt)
        if n is None:
            return s + self.i2m(pkt, val)
        return s + self.i2m(pkt, val)[:n].ljust(n, b"\x00")

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = self._len(pkt)
        if n is None:
            return b"", self.m2i(pkt, s)
        return s[n:], self.m2i(pkt, s[:n])



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
