"""Integers of other widths, signs and byte orders, with Scapy's names: signed and
little-endian integers, 3-byte and N-byte integers, OUIs. Layers holding them are built and
dissected field by field (:mod:`paquet.packet.general`). Re-exported by
:mod:`paquet.packet.fields`.

>>> LEShortField("n", 0).addfield(None, b"", 0x0102), ThreeBytesField("t", 0).addfield(None, b"", 1)
(b'\\x02\\x01', b'\\x00\\x00\\x01')
"""

from __future__ import annotations

from typing import Any

from paquet.packet.fields import Field, FieldError, _hex, representation

__all__ = [
    "LEIntField",
    "LELongField",
    "LEShortField",
    "LESignedIntField",
    "LESignedLongField",
    "LESignedShortField",
    "LEThreeBytesField",
    "NBytesField",
    "OUIField",
    "SignedByteField",
    "SignedIntField",
    "SignedLongField",
    "SignedShortField",
    "ThreeBytesField",
    "X3BytesField",
    "XLE3BytesField",
    "XLEIntField",
    "XLELongField",
    "XLEShortField",
    "XNBytesField",
]


class _OtherInt(Field):
    """An integer packed by the general path (signed or little-endian)."""

    __slots__ = ()
    fast = False
    _code = "H"

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, self._code)


def _int_kind(cls_name: str, code: str, doc: str, hexrepr: bool = False) -> type[Field]:
    ns: dict[str, Any] = {"__slots__": (), "_code": code, "__doc__": doc}
    if hexrepr:
        ns["i2repr"] = lambda self, pkt, x: _hex(self.i2h(pkt, x))
    return type(cls_name, (_OtherInt,), ns)


SignedByteField = _int_kind("SignedByteField", "b", "A signed byte.")
SignedShortField = _int_kind("SignedShortField", "h", "A signed 16-bit big-endian integer.")
SignedIntField = _int_kind("SignedIntField", "i", "A signed 32-bit big-endian integer.")
SignedLongField = _int_kind("SignedLongField", "q", "A signed 64-bit big-endian integer.")
LEShortField = _int_kind("LEShortField", "<H", "An unsigned 16-bit little-endian integer.")
LESignedShortField = _int_kind("LESignedShortField", "<h", "A signed 16-bit little-endian integer.")
LEIntField = _int_kind("LEIntField", "<I", "An unsigned 32-bit little-endian integer.")
LESignedIntField = _int_kind("LESignedIntField", "<i", "A signed 32-bit little-endian integer.")
LELongField = _int_kind("LELongField", "<Q", "An unsigned 64-bit little-endian integer.")
LESignedLongField = _int_kind("LESignedLongField", "<q", "A signed 64-bit little-endian integer.")
XLEShortField = _int_kind("XLEShortField", "<H", "A little-endian short shown in hex.", True)
XLEIntField = _int_kind("XLEIntField", "<I", "A little-endian int shown in hex.", True)
XLELongField = _int_kind("XLELongField", "<Q", "A little-endian long shown in hex.", True)


class ThreeBytesField(Field):
    """An unsigned 24-bit big-endian integer.

    >>> ThreeBytesField("n", 0).addfield(None, b"", 0x010203)
    b'\\x01\\x02\\x03'
    """

    __slots__ = ()
    fast = False
    _little = False

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "3s")
        self.sz = 3

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        try:
            return s + int(self.i2m(pkt, val)).to_bytes(3, "little" if self._little else "big")
        except (OverflowError, TypeError, ValueError) as exc:
            raise FieldError(f"incorrect value for field {self.name}: {exc}") from None

    def randval(self) -> Any:
        """A random 24-bit number (Scapy's ``RandInt`` keeps only these 3 bytes)."""
        from paquet.volatile import RandNum

        return RandNum(0, 0xFFFFFF)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if len(s) < 3:
            raise FieldError(f"{self.name}: 3 bytes needed, {len(s)} left")
        return s[3:], self.m2i(pkt, int.from_bytes(s[:3], "little" if self._little else "big"))


class X3BytesField(ThreeBytesField):
    """A 24-bit integer shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class LEThreeBytesField(ThreeBytesField):
    """An unsigned 24-bit little-endian integer."""

    __slots__ = ()
    _little = True


class XLE3BytesField(LEThreeBytesField):
    """A 24-bit little-endian integer shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class OUIField(X3BytesField):
    """An organisationally unique identifier (the first 3 bytes of a MAC), shown as
    ``00:00:0c``."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return (int(x or 0)).to_bytes(3, "big").hex(":")


class NBytesField(Field):
    """An unsigned big-endian integer of ``sz`` bytes (Scapy's ``NBytesField``).

    >>> NBytesField("n", 0, 5).addfield(None, b"", 1)
    b'\\x00\\x00\\x00\\x00\\x01'
    """

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: int | None, sz: int) -> None:
        super().__init__(name, default, f"{sz}s")
        self.sz = sz

    def randval(self) -> Any:
        """A random number of ``sz`` bytes (Scapy's)."""
        from paquet.volatile import RandNum

        return RandNum(0, 2 ** (self.sz * 8) - 1)

    def i2m(self, pkt: Any, x: Any) -> Any:
        return 0 if x is None else x

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        try:
            return s + int(self.i2m(pkt, val)).to_bytes(self.sz, "big")
        except (OverflowError, TypeError, ValueError) as exc:
            raise FieldError(f"incorrect value for field {self.name}: {exc}") from None

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if len(s) < self.sz:
            raise FieldError(f"{self.name}: {self.sz} bytes needed, {len(s)} left")
        return s[self.sz :], self.m2i(pkt, int.from_bytes(s[: self.sz], "big"))


class XNBytesField(NBytesField):
    """An ``NBytesField`` shown in hexadecimal (with leading zeros, as Scapy)."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))
