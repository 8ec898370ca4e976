"""Field descriptions: the rows of a layer's field table.

A field is a name, a wire format (one ``struct`` code, or a width in bits for a bit field) and a
default; it also knows how to convert what a user gives (``"S"`` for TCP flags, ``"tcp"`` for an
IP protocol) and how to display a value the way Scapy does (``proto= tcp``, ``chksum= 0x1c46``).
Field objects are only consulted when a class is compiled, when a user sets a value and when a
packet is displayed: building and dissecting run on the compiled ``struct.Struct`` of the layer.
"""

from __future__ import annotations

import ipaddress
import struct
from _socket import AF_INET, inet_ntop, inet_pton
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from paquet.errors import PaquetError

__all__ = [
    "Addresses",
    "BitEnumField",
    "BitField",
    "ByteEnumField",
    "ByteField",
    "Field",
    "FieldError",
    "FlagValue",
    "FlagsField",
    "IPField",
    "IntField",
    "LongField",
    "MACField",
    "ShortEnumField",
    "ShortField",
    "StrField",
    "StrFixedLenField",
    "XByteField",
    "XIntField",
    "XShortEnumField",
    "XShortField",
    "check_width",
    "field_bits",
    "ip2bytes",
    "mac2bytes",
    "value_count",
]

EnumTable = Mapping[int, str] | Callable[[], Mapping[int, str]]


class FieldError(PaquetError, ValueError):
    """A field name a layer does not have, or a value a field cannot hold."""


class FieldAttributeException(FieldError):
    """A field was declared with attributes that do not go together (Scapy's name)."""


class FieldValueRangeException(FieldError):
    """A value given to a field declaration is out of the field's range (Scapy's name)."""


_NOARG: Any = object()  # the second argument of a conversion method, not given


def conversion(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Mark ``any2i``: called with Scapy's ``(pkt, x)`` or paquet's older ``(x)`` (see
    :meth:`Field.__init_subclass__`), so its signatures are not checked as overrides."""
    return fn


def representation(fn: Callable[..., str]) -> Callable[..., str]:
    """Mark ``i2repr``, as :func:`conversion` marks ``any2i``."""
    return fn


def _dual(fn: Callable[..., Any], scapy_form: bool) -> Callable[..., Any]:
    """``fn`` callable both ways: Scapy's ``(pkt, x)`` and paquet's older ``(x)``."""
    if scapy_form:

        def both(self: Any, pkt: Any, x: Any = _NOARG) -> Any:
            if x is _NOARG:
                return fn(self, None, pkt)
            return fn(self, pkt, x)
    else:

        def both(self: Any, pkt: Any, x: Any = _NOARG) -> Any:
            return fn(self, pkt if x is _NOARG else x)

    both.__name__ = fn.__name__
    both.__doc__ = fn.__doc__
    both._dual = True  # type: ignore[attr-defined]
    return both


#: The methods whose subclass overrides take part in the wire format: a field class that
#: overrides one is built and dissected by its own code (the general path), not by a struct.
_WIRE_METHODS = ("getfield", "addfield", "i2m", "m2i")


class Field:
    """One row of a field table, with Scapy's Field API: ``name``, ``default``, struct format.

    ``fmt`` is a ``struct`` code (``"H"``, ``"<I"``; Scapy's default ``"H"``) or None for a
    part of variable size that the layer's own code handles. The value conversions are
    Scapy's: ``h2i``/``i2h`` (what users give and see), ``m2i``/``i2m`` (the wire),
    ``any2i``, ``i2repr``, ``i2len``, ``i2count``, and ``getfield(pkt, s) -> (rest, value)``
    / ``addfield(pkt, s, value) -> bytes``. A layer whose fields all pack as one big-endian
    struct (the usual header) is compiled into one ``struct.Struct`` and never calls them per
    packet; any other layer is built and dissected by calling them in turn, as Scapy does.
    ``any2i`` and ``i2repr`` also accept paquet's older one-argument form ``(x)``.

    >>> f = Field("n", 1, "<H")
    >>> f.addfield(None, b"", 258), f.getfield(None, b"\\x02\\x01rest")
    (b'\\x02\\x01', (b'rest', 258))
    """

    __slots__ = ("default", "fmt", "name", "owners", "struct", "sz")
    bits: int = 0
    #: True when the value is a sequence by nature (options, payload bytes): never expanded.
    islist: bool = False
    #: True when :meth:`any2i` must run on values the user sets.
    converts: bool = False
    #: Strings already converted by ``any2i``, with their values (None: no such cache). The
    #: engine answers a string found there without calling ``any2i``.
    str_cache: dict[str, Any] | None = None
    #: False for a kind the struct compiler cannot pack (see :data:`_WIRE_METHODS`).
    fast: bool = True
    ismutable: bool = False
    holds_packets: bool = False
    isconditional: bool = False
    ismayend: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for meth in ("any2i", "i2repr"):
            fn = cls.__dict__.get(meth)
            if fn is not None and callable(fn) and not getattr(fn, "_dual", False):
                setattr(cls, meth, _dual(fn, fn.__code__.co_argcount >= 3))
        if "fast" not in cls.__dict__ and any(m in cls.__dict__ for m in _WIRE_METHODS):
            cls.fast = False

    def __init__(self, name: str, default: Any, fmt: str | None = "H") -> None:
        if not isinstance(name, str):
            raise ValueError("name should be a string")
        self.name = name
        self.owners: list[type] = []
        if fmt is None:
            self.fmt: str | None = None
            self.struct: struct.Struct | None = None
            self.sz = 0
        else:
            order = fmt[0] if fmt[0] in "@=<>!" else "!"
            code = fmt.lstrip("@=<>!")
            self.fmt = code if order in "!>" else fmt
            self.struct = struct.Struct(order + code)
            self.sz = self.struct.size
        self.default = default

    def register_owner(self, cls: type) -> None:
        """Remember a layer class that uses this field (Scapy's ``owners``)."""
        self.owners.append(cls)

    def h2i(self, pkt: Any, x: Any) -> Any:
        """What a user gives, as the stored (internal) value."""
        return x

    def i2h(self, pkt: Any, x: Any) -> Any:
        """The stored value, as a user sees it."""
        return x

    def m2i(self, pkt: Any, x: Any) -> Any:
        """The value read from the wire, as the stored value."""
        return x

    def i2m(self, pkt: Any, x: Any) -> Any:
        """The stored value, as written on the wire (None: 0; text: its UTF-8 bytes)."""
        if x is None:
            return 0
        if isinstance(x, str):
            return x.encode()
        return x

    @conversion
    def any2i(self, pkt: Any, x: Any = _NOARG) -> Any:
        """Convert a value given by the user to the stored form."""
        if x is _NOARG:
            pkt, x = None, pkt
        return self.h2i(pkt, x)

    @representation
    def i2repr(self, pkt: Any, x: Any = _NOARG) -> str:
        """Display a value as Scapy does in ``show()`` and ``repr()``."""
        if x is _NOARG:
            pkt, x = None, pkt
        return repr(self.i2h(pkt, x))

    def i2len(self, pkt: Any, x: Any) -> int:
        """The length of the value on the wire (what a length field counts)."""
        return self.sz

    def i2count(self, pkt: Any, x: Any) -> int:
        """How many items the value holds (what a count field counts)."""
        return len(x) if isinstance(x, list) else 1

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        """``s`` followed by the value's wire bytes."""
        if self.struct is None:
            raise FieldError(f"{self.name}: a field of variable size has no addfield")
        try:
            return s + self.struct.pack(self.i2m(pkt, val))
        except struct.error as exc:
            raise FieldError(f"incorrect type of value for field {self.name}: {exc}") from None

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        """The value at the start of ``s``, and the bytes after it."""
        if self.struct is None:
            raise FieldError(f"{self.name}: a field of variable size has no getfield")
        return s[self.sz :], self.m2i(pkt, self.struct.unpack_from(s)[0])

    def do_copy(self, x: Any) -> Any:
        """A copy of a value (lists and packets copied, as Scapy)."""
        if isinstance(x, list):
            return [y.copy() if hasattr(y, "copy") else y for y in x]
        if hasattr(x, "copy") and not isinstance(x, bytes | str):
            return x.copy()
        return x

    def copy(self) -> Field:
        """A copy of this field (Scapy's ``Field.copy``)."""
        import copy as _copy

        return _copy.copy(self)

    def randval(self) -> Any:
        """A random value of this field's kind (see ``paquet.volatile``)."""
        raise NotImplementedError(f"{type(self).__name__}.randval")

    def i2json(self, value: Any) -> Any:
        """The value as JSON-friendly data (``to_dict``)."""
        if isinstance(value, bytes):
            return value.hex()
        return value

    def type_name(self) -> str:
        """The Scapy class name of this kind of field (shown by ``ls``)."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def _hex(value: Any) -> str:
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, list | tuple):
        return repr(type(value)(_hex(v) if isinstance(v, int) else v for v in value))
    return repr(value)


class ByteField(Field):
    """An unsigned byte."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "B")


class XByteField(ByteField):
    """An unsigned byte shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class ShortField(Field):
    """An unsigned 16-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "H")


class XShortField(ShortField):
    """A 16-bit integer shown in hexadecimal (checksums, identifiers)."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class IntField(Field):
    """An unsigned 32-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "I")


class XIntField(IntField):
    """A 32-bit integer shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class LongField(Field):
    """An unsigned 64-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "Q")


class XLongField(LongField):
    """A 64-bit integer shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


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


# ---------------------------------------------------------------------- enumerations


class UnknownName(FieldError, KeyError):
    """A name an enumerated field does not know (a KeyError, as Scapy raises)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class _EnumField(Field):
    """Numbers that have names (Scapy's ``EnumField`` family): the table maps numbers to
    names (or names to numbers), or is a list of names, a Python ``Enum``, a pair of functions
    ``(i2s, s2i)``, or a function of no argument giving the mapping (read when first needed).
    """

    converts = True

    def __init__(self, name: str, default: Any, enum: Any, fmt: str | None = "H") -> None:
        self.enum = enum
        self._tables: tuple[dict[Any, str], dict[str, Any]] | None = None
        self.i2s_cb: Callable[[Any], str | None] | None = None
        self.s2i_cb: Callable[[str], Any] | None = None
        if isinstance(enum, tuple) and len(enum) == 2 and all(callable(e) for e in enum):
            self.i2s_cb, self.s2i_cb = enum
        super().__init__(name, default, fmt)

    def _load(self) -> tuple[dict[Any, str], dict[str, Any]]:
        import enum as _enum

        e = self.enum
        if callable(e) and not isinstance(e, type | Mapping):
            e = e()
        i2s: dict[Any, str] = {}
        s2i: dict[str, Any] = {}
        if isinstance(e, type) and issubclass(e, _enum.Enum):
            for m in e:
                i2s[m.value] = m.name
                s2i[m.name] = m.value
        elif isinstance(e, list):
            for i, n in enumerate(e):
                i2s[i] = n
                s2i[n] = i
        elif isinstance(e, Mapping):
            swap = any(isinstance(k, str) for k in e)
            for k, v in e.items():
                if swap:
                    i2s[v] = k
                    s2i[k] = v
                else:
                    i2s[k] = v
                    s2i[v] = k
        self._tables = (i2s, s2i)
        return self._tables

    @property
    def i2s(self) -> dict[Any, str] | None:
        """Number -> name (None when the table is a pair of functions)."""
        if self.i2s_cb is not None:
            return None
        return (self._tables or self._load())[0]

    @property
    def s2i(self) -> dict[str, Any] | None:
        """Name -> number (None when the table is a pair of functions)."""
        if self.s2i_cb is not None:
            return None
        return (self._tables or self._load())[1]

    def _table(self) -> Mapping[Any, str]:
        return self.i2s or {}

    def any2i_one(self, pkt: Any, x: Any) -> Any:
        """One value given by the user (a name, an Enum member, a number) as a number."""
        import enum as _enum

        if isinstance(x, _enum.Enum):
            return x.value
        if isinstance(x, str):
            if self.s2i_cb is not None:
                return self.s2i_cb(x)
            s2i = self.s2i or {}
            if x not in s2i:
                raise UnknownName(f"{self.name}: unknown name {x!r}")
            return s2i[x]
        return x

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, list):
            return [self.any2i_one(pkt, z) for z in x]
        return self.any2i_one(pkt, x)

    def _i2repr(self, pkt: Any, x: Any) -> str:
        return repr(x)

    def i2repr_one(self, pkt: Any, x: Any) -> str:
        """One number's display: its name, else the number."""
        if self.i2s_cb is not None:
            ret = self.i2s_cb(x)
            if ret is not None:
                return ret
        else:
            try:
                label = (self.i2s or {}).get(x)
            except TypeError:  # unhashable
                label = None
            if label is not None:
                return label
        return self._i2repr(pkt, x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, list):
            return [self.i2repr_one(pkt, z) for z in x]
        return self.i2repr_one(pkt, x)


class _XEnum:
    """Mixin: a number without a name is shown in hexadecimal."""

    __slots__ = ()

    def _i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(x)


class EnumField(_EnumField):
    """A number of struct format ``fmt`` (Scapy's default ``"H"``) whose values have names."""

    __slots__ = ()
    fast = True


class ByteEnumField(EnumField):
    """A byte whose values have names (IP protocol, ICMP type)."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, "B")


class XByteEnumField(_XEnum, ByteEnumField):
    """A byte shown by name, or in hexadecimal when it has none."""

    __slots__ = ()


class ShortEnumField(EnumField):
    """A 16-bit integer whose values have names (ports, ARP operations)."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, "H")


class XShortEnumField(_XEnum, ShortEnumField):
    """A 16-bit integer shown by name, or in hexadecimal when it has none (EtherType)."""

    __slots__ = ()


class IntEnumField(EnumField):
    """A 32-bit integer whose values have names."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, "I")


class XIntEnumField(_XEnum, IntEnumField):
    """A 32-bit integer shown by name, or in hexadecimal."""

    __slots__ = ()


class LongEnumField(EnumField):
    """A 64-bit integer whose values have names."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, "Q")


class _OtherEnum(_EnumField):
    __slots__ = ()
    fast = False
    _code = "H"

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, self._code)


def _enum_kind(cls_name: str, code: str, doc: str, hexrepr: bool = False) -> type[Field]:
    bases: tuple[type, ...] = (_XEnum, _OtherEnum) if hexrepr else (_OtherEnum,)
    return type(cls_name, bases, {"__slots__": (), "_code": code, "__doc__": doc})


SignedByteEnumField = _enum_kind("SignedByteEnumField", "b", "A signed byte with names.")
SignedShortEnumField = _enum_kind("SignedShortEnumField", "h", "A signed short with names.")
SignedIntEnumField = _enum_kind("SignedIntEnumField", "i", "A signed int with names.")
LEShortEnumField = _enum_kind("LEShortEnumField", "<H", "A little-endian short with names.")
XLEShortEnumField = _enum_kind("XLEShortEnumField", "<H", "A little-endian short, hex.", True)
LEIntEnumField = _enum_kind("LEIntEnumField", "<I", "A little-endian int with names.")
XLEIntEnumField = _enum_kind("XLEIntEnumField", "<I", "A little-endian int, hex.", True)
LELongEnumField = _enum_kind("LELongEnumField", "<Q", "A little-endian long with names.")


class _ThreeEnum(_EnumField):
    __slots__ = ()
    fast = False
    _little = False

    def __init__(self, name: str, default: Any, enum: Any) -> None:
        super().__init__(name, default, enum, "3s")
        self.sz = 3

    addfield = ThreeBytesField.addfield
    getfield = ThreeBytesField.getfield


class ThreeBytesEnumField(_ThreeEnum):
    """A 24-bit big-endian integer whose values have names."""

    __slots__ = ()


class LE3BytesEnumField(_ThreeEnum):
    """A 24-bit little-endian integer whose values have names."""

    __slots__ = ()
    _little = True


class XLE3BytesEnumField(_XEnum, LE3BytesEnumField):
    """A 24-bit little-endian integer shown by name, or in hexadecimal."""

    __slots__ = ()


class CharEnumField(EnumField):
    """One character (``fmt="1s"``) whose values have names: ``{"A": "alpha"}``."""

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: Any, enum: Any, fmt: str = "1s") -> None:
        super().__init__(name, default, enum, fmt)

    def _load(self) -> tuple[dict[Any, str], dict[str, Any]]:
        i2s, s2i = super()._load()
        if i2s and len(next(iter(i2s))) != 1:
            i2s, s2i = s2i, i2s
        self._tables = (i2s, s2i)
        return self._tables

    def any2i_one(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str) and len(x) != 1:
            if self.s2i_cb is not None:
                return self.s2i_cb(x)
            s2i = self.s2i or {}
            if x not in s2i:
                raise UnknownName(f"{self.name}: unknown name {x!r}")
            return s2i[x]
        return x

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None:
            return b"\x00"
        return x.encode("latin-1") if isinstance(x, str) else x

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return Field.getfield(self, pkt, s)


class MultiEnumField(_EnumField):
    """An enumeration whose table depends on another value of the packet (Scapy's
    ``MultiEnumField(name, default, enum, depends_on, fmt="H")``): ``enum`` maps each value
    of ``depends_on(pkt)`` to a table of names."""

    __slots__ = ("depends_on", "i2s_multi", "s2i_all", "s2i_multi")
    fast = False

    def __init__(self, name: str, default: Any, enum: Mapping[Any, Mapping[Any, str]],
                 depends_on: Callable[[Any], Any], fmt: str = "H") -> None:
        self.depends_on = depends_on
        self.i2s_multi = enum
        self.s2i_multi: dict[Any, dict[str, Any]] = {}
        self.s2i_all: dict[str, Any] = {}
        for m, table in enum.items():
            s2i: dict[str, Any] = {}
            self.s2i_multi[m] = s2i
            for k, v in table.items():
                s2i[v] = k
                self.s2i_all[v] = k
        super().__init__(name, default, {}, fmt)

    def any2i_one(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str):
            v = self.depends_on(pkt) if pkt is not None else None
            table = self.s2i_multi.get(v, self.s2i_all) if v is not None else self.s2i_all
            if x in table:
                return table[x]
            if x in self.s2i_all:
                return self.s2i_all[x]
            raise UnknownName(f"{self.name}: unknown name {x!r}")
        return x

    def i2repr_one(self, pkt: Any, x: Any) -> str:
        v = self.depends_on(pkt) if pkt is not None else None
        table = self.i2s_multi.get(v) if v is not None else None
        if table is not None and x in table:
            return table[x]
        return repr(x)


class BitField(Field):
    """``size`` bits; side by side, bit fields fill whole bytes (Scapy's ``BitField``,
    a negative size or ``tot_size`` for a little-endian group).

    A value wider than the field is masked to its low ``bits`` bits when the packet is built,
    as Scapy does (``IP(version=99)`` builds as version 3, ``Dot1Q(vlan=5000)`` as 904): code
    written for Scapy gives the same bytes. Packet expressions (``paquet craft``, see
    :func:`check_width`) refuse such values instead. Byte, short, int and long fields refuse
    a value out of their range when built (a :class:`FieldError` naming field, value and width).
    Groups that fill 1 to 8 whole bytes are packed by the layer's struct; others go through
    Scapy's protocol of ``getfield``/``addfield`` on ``(bytes, bits done)`` pairs.

    >>> f, g = BitField("a", 0, 3), BitField("b", 0, 13)
    >>> g.addfield(None, f.addfield(None, b"", 5), 258)
    b'\\xa1\\x02'
    >>> f.getfield(None, b"\\xa1\\x02")
    ((b'\\xa1\\x02', 3), 5)
    """

    fast = True

    def __init__(self, name: str, default: Any, size: int, tot_size: int = 0,
                 end_tot_size: int = 0) -> None:
        super().__init__(name, default, None)
        bits = size(self) if callable(size) else size
        self.rev = bits < 0 or tot_size < 0 or end_tot_size < 0
        self.bits = abs(bits)
        self.tot_size = abs(tot_size) if tot_size else self.bits // 8
        self.end_tot_size = abs(end_tot_size) if end_tot_size else self.bits // 8

    @property
    def size(self) -> int:
        """The width in bits (Scapy's name)."""
        return self.bits

    @size.setter
    def size(self, value: int) -> None:
        self.bits = value

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        v_new = self.i2m(pkt, val)
        if isinstance(s, tuple):
            s, done, v = s
        else:
            done, v = 0, 0
        v = (v << self.bits) | (int(v_new) & ((1 << self.bits) - 1))
        done += self.bits
        while done >= 8:
            done -= 8
            s = s + bytes(((v >> done) & 0xFF,))
            v &= (1 << done) - 1
        if done:
            return s, done, v
        if self.rev and self.end_tot_size > 1:
            s = s[: -self.end_tot_size] + s[-self.end_tot_size :][::-1]
        return s

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        if isinstance(s, tuple):
            s, bn = s
        else:
            bn = 0
            if self.rev and self.tot_size > 1:
                s = s[: self.tot_size][::-1] + s[self.tot_size :]
        nb = (self.bits + bn - 1) // 8 + 1
        if len(s) < nb:
            raise FieldError(f"{self.name}: {nb} bytes needed, {len(s)} left")
        b = int.from_bytes(s[:nb], "big")
        b &= (1 << (nb * 8 - bn)) - 1
        b >>= nb * 8 - self.bits - bn
        bn += self.bits
        s = s[bn // 8 :]
        bn %= 8
        value = self.m2i(pkt, b)
        if bn:
            return (s, bn), value
        return s, value

    def i2len(self, pkt: Any, x: Any) -> Any:
        return self.bits / 8

    def type_name(self) -> str:
        return f"{type(self).__name__}  ({self.bits} bits)"


class XBitField(BitField):
    """A bit field shown in hexadecimal."""

    __slots__ = ()

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return _hex(self.i2h(pkt, x))


class BitEnumField(_EnumField, BitField):
    """A bit field whose values have names."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, size: int, enum: Any, **kwargs: Any) -> None:
        BitField.__init__(self, name, default, size, **kwargs)
        self.enum = enum
        self._tables = None
        self.i2s_cb = self.s2i_cb = None
        if isinstance(enum, tuple) and len(enum) == 2 and all(callable(e) for e in enum):
            self.i2s_cb, self.s2i_cb = enum

    def type_name(self) -> str:
        return f"BitEnumField  ({self.bits} bits)"


class XBitEnumField(_XEnum, BitEnumField):
    """A bit field shown by name, or in hexadecimal."""

    __slots__ = ()


class BitLenField(BitField):
    """A bit field whose width is ``length_from(pkt)`` (general path)."""

    __slots__ = ("length_from",)
    fast = False

    def __init__(self, name: str, default: Any, length_from: Callable[[Any], int]) -> None:
        super().__init__(name, default, 0)
        self.length_from = length_from

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        self.bits = self.length_from(pkt)
        return super().getfield(pkt, s)

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        self.bits = self.length_from(pkt)
        return super().addfield(pkt, s, val)


class FlagValue(int):
    """An integer of flags that also reads as names: ``'S' in flags``, ``flags == "SA"``,
    ``flags.SA`` (all of S and A set), ``list(flags)`` (the names set). Read from a layer
    (``pkt.flags``), setting a flag by name (``pkt.flags.MF = 0``) changes the layer.

    >>> f = FlagValue(0x12, "FSRPAUECN")
    >>> str(f), 'S' in f, f == "SA", f.A, f.R, f.SA, list(f)
    ('SA', True, True, True, False, True, ['S', 'A'])
    """

    names: tuple[str, ...]
    multi: bool

    def __new__(cls, value: Any, names: str | Iterable[str], multi: bool | None = None,
                owner: Any = None) -> FlagValue:
        names_t = tuple(names)
        if multi is None:
            multi = isinstance(names, list) or any(len(n) > 1 for n in names_t)
        number = int(value) if isinstance(value, int) else _parse_flags(value, names_t, multi)
        obj = int.__new__(cls, number)
        d = obj.__dict__
        d["names"] = names_t
        d["multi"] = multi
        d["_owner"] = owner
        return obj

    @property
    def value(self) -> int:
        """The flags as a plain integer (Scapy's ``FlagValue.value``)."""
        return int(self)

    def _multi(self) -> bool:
        return self.multi

    def flagrepr(self) -> str:
        """The set flags as Scapy writes them: ``SA`` (letters) or ``MF+DF`` (words)."""
        parts = []
        x, i = int(self), 0
        while x > 0:
            if x & 1:
                parts.append(self.names[i] if i < len(self.names) else "?")
            i += 1
            x >>= 1
        return ("+" if self.multi else "").join(parts)

    def __str__(self) -> str:
        return self.flagrepr()

    def __repr__(self) -> str:
        return f"<Flag {int(self)} ({self.flagrepr()})>"

    def __format__(self, spec: str) -> str:
        if spec == "" or spec[-1:] == "s":
            return format(str(self), spec)
        return format(int(self), spec)

    def __iter__(self) -> Iterator[str]:
        x, i = int(self), 0
        while x > 0:
            if x & 1 and i < len(self.names):
                yield self.names[i]
            i += 1
            x >>= 1

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str):
            return False
        try:
            wanted = _parse_flags(item, self.names, self.multi)
        except FieldError:
            return False
        return int(self) & wanted == wanted

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | list):
            try:
                return int(self) == _parse_flags(other, self.names, self.multi)
            except FieldError:
                return False
        return int(self) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = int.__hash__

    def __getattr__(self, name: str) -> bool:
        d = object.__getattribute__(self, "__dict__")
        names = d.get("names", ())
        if name.startswith("__"):
            raise AttributeError(name)
        if name in names:
            return bool(int(self) >> names.index(name) & 1)
        long = {"FIN": "F", "SYN": "S", "RST": "R", "PSH": "P", "ACK": "A", "URG": "U",
                "ECE": "E", "CWR": "C", "NS": "N"}
        if name in long and long[name] in names:
            return bool(int(self) >> names.index(long[name]) & 1)
        if not d.get("multi") and name and all(c in names for c in name):
            return all(int(self) >> names.index(c) & 1 for c in name)
        if "_" in name and name.replace("_", "-") in names:
            return bool(int(self) >> names.index(name.replace("_", "-")) & 1)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        names = self.__dict__.get("names", ())
        if name not in names:
            raise AttributeError(f"{name!r} is not a flag of {names}")
        bit = 1 << names.index(name)
        number = int(self) | bit if value else int(self) & ~bit
        owner = self.__dict__.get("_owner")
        if owner is None:
            raise AttributeError("a FlagValue is an integer: set the flag on the packet "
                                 "(pkt.flags.X = 1) or use | and &")
        setattr(owner[0], owner[1], number)

    def _wrap(self, value: int) -> FlagValue:
        return FlagValue(value, self.names, self.multi)

    def __or__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) | int(FlagValue(other, self.names, self.multi)))

    __ror__ = __or__

    def __and__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) & int(FlagValue(other, self.names, self.multi)))

    __rand__ = __and__

    def __xor__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) ^ int(FlagValue(other, self.names, self.multi)))

    def __sub__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) & ~int(FlagValue(other, self.names, self.multi)))

    def copy(self) -> FlagValue:
        """A copy (Scapy's ``FlagValue.copy``)."""
        return self._wrap(int(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FlagValue, (int(self), self.names, self.multi))


def _parse_flags(value: Any, names: tuple[str, ...], multi: bool | None = None) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if multi is None:
        multi = any(len(n) > 1 for n in names)
    if isinstance(value, list | tuple | set | frozenset):
        tokens = list(value)
    elif isinstance(value, str):
        tokens = [t for t in value.replace("|", "+").split("+") if t] if multi else list(value)
    else:
        raise FieldError(f"flags must be an integer or a string of flags, not {value!r}")
    number = 0
    for tok in tokens:
        if tok not in names:
            raise FieldError(f"unknown flag {tok!r} (known: {', '.join(names)})")
        number |= 1 << names.index(tok)
    return number


class FlagsField(BitField):
    """A bit field of named flags (least significant bit first), read as a
    :class:`FlagValue`; ``names`` is a string of letters, a list of names or a dict
    ``{bit value: name}`` (Scapy's forms)."""

    converts = True
    ismutable = True
    fast = True

    def __init__(self, name: str, default: Any, size: int,
                 names: str | list[str] | dict[int, str], **kwargs: Any) -> None:
        bits = size
        if isinstance(names, dict):
            tmp = [f"bit_{i}" for i in range(abs(bits))]
            for k, v in names.items():
                tmp[int(k).bit_length() - 1] = v
            names = tmp
        self.multi = isinstance(names, list) or any(len(n) > 1 for n in names)
        self.names = tuple(names)
        self._cache: dict[Any, int] = {}
        self.str_cache = self._cache
        super().__init__(name, default, bits, **kwargs)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is None or isinstance(x, tuple):
            return x
        if isinstance(x, list) and not all(isinstance(v, str) for v in x):
            return [self.any2i(pkt, v) for v in x]
        try:
            return self._cache[x]
        except (KeyError, TypeError):
            pass
        number = int(FlagValue(x, self.names, self.multi))
        if isinstance(x, str) and len(self._cache) < 1024:
            self._cache[x] = number
        return number

    def m2i(self, pkt: Any, x: Any) -> Any:
        return x if x is None else FlagValue(x, self.names, self.multi)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x if x is None or not isinstance(x, int) else FlagValue(x, self.names, self.multi)

    def i2m(self, pkt: Any, x: Any) -> Any:
        return 0 if x is None else int(x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, list | tuple):
            return repr(type(x)("None" if v is None else self.i2repr(pkt, v) for v in x))
        if x is None:
            return "None"
        if isinstance(x, int):
            return FlagValue(x, self.names, self.multi).flagrepr()
        return repr(x)

    def i2json(self, value: Any) -> Any:
        return self.i2repr(None, value) if isinstance(value, int) else value

    def type_name(self) -> str:
        return "FlagsField"


# Addresses are stored as text; their wire form is cached (a scan builds many packets to few hosts).
_IP_CACHE: dict[str, bytes] = {}
_MAC_CACHE: dict[str, bytes] = {}


def ip2bytes(value: str) -> bytes:
    """The 4 wire bytes of a dotted-quad IPv4 address; raises :class:`FieldError` otherwise."""
    b = _IP_CACHE.get(value)
    if b is None:
        try:
            b = inet_pton(AF_INET, value)
        except (OSError, TypeError, ValueError):  # ValueError: an embedded NUL character
            raise FieldError(f"not an IPv4 address: {value!r}") from None
        if len(_IP_CACHE) > 4096:
            _IP_CACHE.clear()
        _IP_CACHE[value] = b
    return b


def bytes2ip(value: bytes) -> str:
    """Dotted-quad text of 4 bytes."""
    return inet_ntop(AF_INET, value)


def mac2bytes(value: str) -> bytes:
    """The 6 wire bytes of a MAC address written ``aa:bb:cc:dd:ee:ff`` (or with ``-``)."""
    b = _MAC_CACHE.get(value)
    if b is None:
        try:
            b = bytes.fromhex(value.replace(":", "").replace("-", ""))
        except (ValueError, AttributeError):
            b = b""
        if len(b) != 6:
            raise FieldError(f"not a MAC address: {value!r}")
        if len(_MAC_CACHE) > 4096:
            _MAC_CACHE.clear()
        _MAC_CACHE[value] = b
    return b


class IPField(Field):
    """An IPv4 address, stored as text (``"192.0.2.1"``), 4 bytes on the wire."""

    __slots__ = ()
    fast = True

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "4s")

    def h2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes) and len(x) == 4:
            return bytes2ip(x)
        return x

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b"\x00\x00\x00\x00"
        return ip2bytes(x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return bytes2ip(x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return str(x) if isinstance(x, str) else repr(x)


class MACField(Field):
    """A MAC address, stored as text (``"00:11:22:33:44:55"``), 6 bytes on the wire."""

    __slots__ = ()
    fast = True

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "6s")

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b"\x00" * 6
        if isinstance(x, bytes) and len(x) == 6:
            return x
        return mac2bytes(x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return x.hex(":")

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes) and len(x) == 6:
            return x.hex(":")
        return x

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return str(x) if isinstance(x, str) else repr(x)


class ListField(Field):
    """A list of variable size (options, addresses), empty by default; bytes stand for a list
    that did not parse and are kept as they are. Subclasses convert their items in
    :meth:`to_list`."""

    __slots__ = ()
    islist = True
    converts = True

    def __init__(self, name: str) -> None:
        super().__init__(name, [], None)

    @conversion
    def any2i(self, value: Any) -> Any:
        if isinstance(value, bytearray):
            return bytes(value)
        return self.to_list(value)

    def to_list(self, value: Any) -> Any:
        """What the user gave (not a bytearray) in the stored form: a list, or bytes."""
        return value


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
    fast = True

    def __init__(self, name: str, default: Any, length: int | None = None,
                 length_from: Callable[[Any], int] | None = None) -> None:
        super().__init__(name, default)
        self.length_from = length_from
        self.length = length or 0
        if length is not None and length_from is None:
            self.fmt = f"{length}s"
            self.struct = struct.Struct(f"!{length}s")
            self.sz = length

    def _len(self, pkt: Any) -> int:
        if self.length_from is not None:
            return int(self.length_from(pkt))
        return self.length

    def i2len(self, pkt: Any, x: Any) -> int:
        return self._len(pkt)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, bytes):
            x = x.rstrip(b"\x00")
        return repr(x)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        n = self._len(pkt)
        return s + self.i2m(pkt, val)[:n].ljust(n, b"\x00")

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = self._len(pkt)
        return s[n:], self.m2i(pkt, s[:n])


# ---------------------------------------------------------------------- values users type

_FMT_BITS = {"B": 8, "H": 16, "I": 32, "Q": 64}


def field_bits(f: Field) -> int:
    """The width in bits of an unsigned integer field (0: not an integer field)."""
    return f.bits or _FMT_BITS.get(f.fmt or "", 0)


def check_width(layer: str, f: Field, value: Any) -> None:
    """Raise :class:`FieldError` when an integer ``value`` (or a range ``(lo, hi)``, or a list
    of values) does not fit in the field ``f`` of ``layer``.

    Packet expressions check every value with it, bit fields included (the Python API masks
    those as Scapy does):

    >>> check_width("IP", BitField("version", 4, 4), 99)
    Traceback (most recent call last):
    ...
    paquet.packet.fields.FieldError: IP.version=99 does not fit in 4 bits (0 to 15)
    """
    bits = field_bits(f)
    if not bits or isinstance(value, bool):
        return
    if isinstance(value, list):
        for item in value:
            check_width(layer, f, item)
        return
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(x, int) for x in value):
        lo, hi = value
        if lo > hi:
            return  # an empty range: no value to check
        for end in (lo, hi):
            if not 0 <= end < 1 << bits:
                raise FieldError(
                    f"{layer}.{f.name}=({lo}, {hi}) goes past {bits} bits "
                    f"(0 to {(1 << bits) - 1})"
                )
        return
    if isinstance(value, int) and not 0 <= value < 1 << bits:
        shown = str(value) if value.bit_length() < 200 else f"a {value.bit_length()}-bit number"
        raise FieldError(
            f"{layer}.{f.name}={shown} does not fit in {bits} bits (0 to {(1 << bits) - 1})"
        )


class Addresses(Sequence[str]):
    """The addresses of a network as text, made one at a time: ``IP(dst="192.0.2.0/24")``
    iterates over 256 packets without a list of 256 addresses (or of 2**32 for ``0.0.0.0/0``).

    >>> a = Addresses(ipaddress.ip_network("192.0.2.0/30"))
    >>> len(a), a[1], list(a)[-1]
    (4, '192.0.2.1', '192.0.2.3')
    """

    __slots__ = ("_first", "_kind", "size")

    def __init__(self, network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> None:
        self._first = int(network.network_address)
        self._kind: type[ipaddress.IPv4Address] | type[ipaddress.IPv6Address] = type(
            network.network_address
        )
        #: How many addresses (may be past ``sys.maxsize`` for IPv6: ``len()`` cannot say it).
        self.size: int = network.num_addresses

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError(index)
        return str(self._kind(self._first + index))

    def __iter__(self) -> Iterator[str]:
        kind, first = self._kind, self._first
        for i in range(self.size):
            yield str(kind(first + i))

    def __repr__(self) -> str:
        return f"<Addresses {self._kind(self._first)} +{self.size}>"


def value_count(values: Sequence[Any]) -> int:
    """How many values a field's expansion holds, without making them (a range of huge
    numbers, the addresses of a large network included)."""
    if isinstance(values, range):
        return max(0, (values.stop - values.start + values.step - 1) // values.step)
    if isinstance(values, Addresses):
        return values.size
    return len(values)
