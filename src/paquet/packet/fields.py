"""Field descriptions: the rows of a layer's field table.

A field is a name, a wire format (one ``struct`` code, or a width in bits for a bit field) and a
default; it also knows how to convert what a user gives (``"S"`` for TCP flags, ``"tcp"`` for an
IP protocol) and how to display a value the way Scapy does (``proto= tcp``, ``chksum= 0x1c46``).
Field objects are only consulted when a class is compiled, when a user sets a value and when a
packet is displayed: building and dissecting run on the compiled ``struct.Struct`` of the layer.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from typing import Any

from paquet.errors import PaquetError

__all__ = [
    "BitField",
    "BitLenField",
    "ByteField",
    "Field",
    "FieldAttributeException",
    "FieldError",
    "FieldValueRangeException",
    "IntField",
    "LongField",
    "ShortField",
    "XBitField",
    "XByteField",
    "XIntField",
    "XLongField",
    "XShortField",
    "conversion",
    "representation",
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
    #: The kind of random value ``randval()`` draws when the struct code does not say it
    #: (``"bits"``, ``"ip"``, ``"mac"``, ``"fixed"``, ``"list"``, ``"bytes"``; see
    #: :mod:`paquet.volatile.fieldkinds`), set by the classes of those kinds.
    random_kind: str | None = None

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
            self.fmt = code  # the byte order is the struct's (explain reads widths here)
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

    @property
    def wraps_multiple(self) -> bool:
        """True for a container (``MayEnd``, ``PadField``...) around a ``MultipleTypeField``
        (see :mod:`paquet.packet.structfields`)."""
        return False

    def randval(self) -> Any:
        """A random value of this field's kind (Scapy's ``randval``: what ``fuzz()`` puts in
        a field; see :func:`paquet.volatile.fuzzing.randval`), from its kind
        (:func:`paquet.volatile.fieldkinds.kind_randval`). NotImplementedError for a kind that
        has none (lists whose layout depends on other fields)."""
        from paquet.volatile.fieldkinds import kind_randval  # (not on every import)

        value = kind_randval(self)
        if value is None:
            raise NotImplementedError(f"{type(self).__name__} has no random value")
        return value

    def i2json(self, value: Any) -> Any:
        """The value as JSON-friendly data (``to_dict``)."""
        if isinstance(value, bytes):
            return value.hex()
        return value

    def type_name(self) -> str:
        """The Scapy class name of this kind of field (shown by ``ls``)."""
        return type(self).__name__

    def rfc_bits(self) -> int | None:
        """The width ``rfc()`` draws for this field, when the field says it (None: the
        engine's rule, its width or 16 for a variable size, as Scapy's ``sz``)."""
        return None

    def ls_default(self) -> Any:
        """The default ``ls`` shows (Scapy's field default; a layer whose field stands for
        one of Scapy's of another default says Scapy's here)."""
        return self.default

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
    random_kind = "bits"

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
