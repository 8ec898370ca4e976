"""Enumerated fields, with Scapy's names and semantics: numbers that have names
(``ByteEnumField("proto", 6, {6: "tcp"})`` reads ``proto= tcp`` and accepts ``proto="tcp"``),
of every width and byte order, bit fields with names, one-character and multi-table
enumerations. Re-exported by :mod:`paquet.packet.fields`, where layers import them from.

>>> f = ByteEnumField("proto", 6, {6: "tcp", 17: "udp"})
>>> f.i2repr(None, 17), f.any2i(None, "tcp"), f.i2repr(None, 99)
('udp', 6, '99')
"""

from __future__ import annotations

import enum as _enum
import sys
from collections.abc import Callable, Mapping
from typing import Any

from paquet.packet.fields import (
    BitField,
    Field,
    FieldError,
    _hex,
    conversion,
    representation,
)
from paquet.packet.intfields import ThreeBytesField

__all__ = [
    "BitEnumField",
    "ByteEnumField",
    "CharEnumField",
    "EnumField",
    "IntEnumField",
    "LE3BytesEnumField",
    "LEIntEnumField",
    "LELongEnumField",
    "LEShortEnumField",
    "LongEnumField",
    "MultiEnumField",
    "ObservableDict",
    "Resolve",
    "ShortEnumField",
    "SignedByteEnumField",
    "SignedIntEnumField",
    "SignedShortEnumField",
    "ThreeBytesEnumField",
    "UnknownName",
    "XBitEnumField",
    "XByteEnumField",
    "XIntEnumField",
    "XLE3BytesEnumField",
    "XLEIntEnumField",
    "XLEShortEnumField",
    "XShortEnumField",
]



class Resolve:
    """A set of fields (Scapy's ``conf.noenum``): an enumerated field in it shows its numbers
    as numbers, not names.

    >>> from paquet import TCP, conf
    >>> conf.noenum.add(TCP.dport)
    >>> TCP(dport=80).show(dump=True).count("dport     = 80")
    1
    >>> conf.noenum.remove(TCP.dport)
    """

    def __init__(self) -> None:
        self.fields: set[Any] = set()

    def add(self, *flds: Any) -> None:
        """Show these fields' numbers as numbers."""
        self.fields.update(flds)

    def remove(self, *flds: Any) -> None:
        """Show these fields' numbers by their names again."""
        self.fields.difference_update(flds)

    def __contains__(self, elt: object) -> bool:
        return elt in self.fields

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{' '.join(str(f) for f in self.fields)}]>"


noenum = Resolve()
"""The fields shown without their names (``conf.noenum``)."""


class UnknownName(FieldError, KeyError):
    """A name an enumerated field does not know (a KeyError, as Scapy raises)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ObservableDict(dict[Any, Any]):
    """A table an enumerated field keeps reading (Scapy's ``ObservableDict``): a name added,
    changed or removed after the field was made is seen by it.

    >>> table = ObservableDict({0: "Foo", 1: "Bar"})
    >>> f = ByteEnumField("t", 0, table)
    >>> table[2] = "Baz"; del table[1]
    >>> f.i2repr(None, 2), f.i2repr(None, 1), f.any2i(None, "Baz")
    ('Baz', '1', 2)
    """

    def __init__(self, *args: Any, **kw: Any) -> None:
        self.observers: list[Any] = []
        super().__init__(*args, **kw)

    def observe(self, observer: Any) -> None:
        """Tell ``observer`` (``notify_set``, ``notify_del``) of each change."""
        self.observers.append(observer)

    def __setitem__(self, key: Any, value: Any) -> None:
        for o in self.observers:
            o.notify_set(self, key, value)
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        for o in self.observers:
            o.notify_del(self, key)
        super().__delitem__(key)

    def update(self, other: Any = (), /, **kw: Any) -> None:
        """Each entry set in turn (the observers told of each)."""
        for k, v in dict(other, **kw).items():
            self[k] = v


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
        #: Names converted before, with their numbers (see Field.str_cache).
        self.str_cache: dict[str, Any] | None = None if self.s2i_cb else {}
        super().__init__(name, default, fmt)
        if isinstance(enum, ObservableDict):
            enum.observe(self)

    def notify_set(self, enum: Any, key: Any, value: Any) -> None:
        """An entry of the table set (Scapy's observer call): read the table again."""
        self._forget()

    def notify_del(self, enum: Any, key: Any) -> None:
        """An entry of the table removed: read the table again."""
        self._forget()

    def _forget(self) -> None:
        self._tables = None
        if self.str_cache:
            self.str_cache.clear()

    def _load(self) -> tuple[dict[Any, str], dict[str, Any]]:
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
                    s2i[v] = k
            if not swap:
                # The table itself, not a copy: a name added to it later is shown (Scapy's
                # ``ETHER_TYPES[0x88b5] = "mine"``); a name it lacks reloads s2i once.
                i2s = e if isinstance(e, dict) else dict(e)
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
        if isinstance(x, _enum.Enum):
            return x.value
        if isinstance(x, str):
            if self.s2i_cb is not None:
                return self.s2i_cb(x)
            s2i = self.s2i or {}
            if x not in s2i:
                self._tables = None  # (added to the table since it was read?)
                s2i = self.s2i or {}
                if x not in s2i:
                    raise UnknownName(f"{self.name}: unknown name {x!r}")
            v = s2i[x]
            cache = self.str_cache
            if cache is not None and len(cache) < 1024:
                cache[x] = v  # (the engine answers this name from here next time)
            return v
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
        if noenum.fields and self in noenum.fields:
            return self._i2repr(pkt, x)
        if self.i2s_cb is not None:
            if type(x) is not int and _volatile(x):
                return self._i2repr(pkt, x)  # (Scapy's: a random value shows as itself)
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


def _volatile(x: Any) -> bool:
    """True for a random value (paquet.volatile's, loaded only once one was made)."""
    module = sys.modules.get("paquet.volatile.base")
    return module is not None and isinstance(x, module.VolatileValue)


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
    randval = ThreeBytesField.randval


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
                self._tables = None  # (added to the table since it was read?)
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
        self.str_cache = None  # (a name's number depends on the packet)

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
        if table is not None and x in table and self not in noenum.fields:
            return table[x]
        return repr(x)


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
        self.str_cache = None if self.s2i_cb else {}

    def type_name(self) -> str:
        return type(self).__name__  # (Scapy's ls: an enumeration, no width)


class XBitEnumField(_XEnum, BitEnumField):
    """A bit field shown by name, or in hexadecimal."""

    __slots__ = ()
