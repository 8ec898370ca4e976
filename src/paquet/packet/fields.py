"""Field descriptions: the rows of a layer's field table.

A field is a name, a wire format (one ``struct`` code, or a width in bits for a bit field) and a
default; it also knows how to convert what a user gives (``"S"`` for TCP flags, ``"tcp"`` for an
IP protocol) and how to display a value the way Scapy does (``proto= tcp``, ``chksum= 0x1c46``).
Field objects are only consulted when a class is compiled, when a user sets a value and when a
packet is displayed: building and dissecting run on the compiled ``struct.Struct`` of the layer.
"""

from __future__ import annotations

import ipaddress
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


class Field:
    """One row of a field table: ``name``, struct code ``fmt`` (None: variable), ``default``.

    Subclasses set ``bits`` for bit fields and override :meth:`any2i` (conversion of what the
    user gives) and :meth:`i2repr` (display).
    """

    __slots__ = ("default", "fmt", "name")
    bits: int = 0
    #: True when the value is a sequence by nature (options, payload bytes): never expanded.
    islist: bool = False
    #: True when :meth:`any2i` must run on values the user sets.
    converts: bool = False
    #: Strings already converted by ``any2i``, with their values (None: no such cache). The
    #: engine answers a string found there without calling ``any2i``.
    str_cache: dict[str, Any] | None = None

    def __init__(self, name: str, default: Any, fmt: str | None = None) -> None:
        self.name = name
        self.default = default
        self.fmt = fmt

    def any2i(self, value: Any) -> Any:
        """Convert a value given by the user to the stored form."""
        return value

    def i2repr(self, value: Any) -> str:
        """Display ``value`` as Scapy does in ``show()`` and ``repr()``."""
        return repr(value)

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


class ByteField(Field):
    """An unsigned byte."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "B")


class XByteField(ByteField):
    """An unsigned byte shown in hexadecimal."""

    __slots__ = ()

    def i2repr(self, value: Any) -> str:
        return _hex(value)


class ShortField(Field):
    """An unsigned 16-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "H")


class XShortField(ShortField):
    """A 16-bit integer shown in hexadecimal (checksums, identifiers)."""

    __slots__ = ()

    def i2repr(self, value: Any) -> str:
        return _hex(value)


class IntField(Field):
    """An unsigned 32-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "I")


class XIntField(IntField):
    """A 32-bit integer shown in hexadecimal."""

    __slots__ = ()

    def i2repr(self, value: Any) -> str:
        return _hex(value)


class LongField(Field):
    """An unsigned 64-bit big-endian integer."""

    __slots__ = ()

    def __init__(self, name: str, default: int | None) -> None:
        super().__init__(name, default, "Q")


def _hex(value: Any) -> str:
    if isinstance(value, int):
        return hex(value)
    return repr(value)


class _EnumMixin:
    """Display numbers by name and accept names when set (``proto="tcp"``)."""

    __slots__ = ()
    name: str
    converts = True

    def _table(self) -> Mapping[int, str]:
        enum = self.enum  # type: ignore[attr-defined]
        table: Mapping[int, str] = enum() if callable(enum) else enum
        return table

    def any2i(self, value: Any) -> Any:
        if isinstance(value, str):
            for number, label in self._table().items():
                if label == value:
                    return number
            raise FieldError(f"{self.name}: unknown name {value!r}")
        return value

    def _enum_repr(self, value: Any, fallback: Callable[[Any], str]) -> str:
        if isinstance(value, int):
            label = self._table().get(value)
            if label is not None:
                return label
        return fallback(value)


class ByteEnumField(_EnumMixin, ByteField):
    """A byte whose values have names (IP protocol, ICMP type)."""

    __slots__ = ("enum",)

    def __init__(self, name: str, default: int | None, enum: EnumTable) -> None:
        super().__init__(name, default)
        self.enum = enum

    def i2repr(self, value: Any) -> str:
        return self._enum_repr(value, repr)


class ShortEnumField(_EnumMixin, ShortField):
    """A 16-bit integer whose values have names (ports, ARP operations)."""

    __slots__ = ("enum",)

    def __init__(self, name: str, default: int | None, enum: EnumTable) -> None:
        super().__init__(name, default)
        self.enum = enum

    def i2repr(self, value: Any) -> str:
        return self._enum_repr(value, repr)


class XShortEnumField(_EnumMixin, ShortField):
    """A 16-bit integer shown by name, or in hexadecimal when it has none (EtherType)."""

    __slots__ = ("enum",)

    def __init__(self, name: str, default: int | None, enum: EnumTable) -> None:
        super().__init__(name, default)
        self.enum = enum

    def i2repr(self, value: Any) -> str:
        return self._enum_repr(value, _hex)


class BitField(Field):
    """``bits`` bits of a group of bit fields that together fill whole bytes.

    A value wider than the field is masked to its low ``bits`` bits when the packet is built,
    as Scapy does (``IP(version=99)`` builds as version 3, ``Dot1Q(vlan=5000)`` as 904): code
    written for Scapy gives the same bytes. Packet expressions (``paquet craft``, see
    :func:`check_width`) refuse such values instead. Byte, short, int and long fields refuse
    a value out of their range when built (a :class:`FieldError` naming field, value and width).
    """

    __slots__ = ("bits",)

    def __init__(self, name: str, default: int | None, bits: int) -> None:
        super().__init__(name, default, None)
        self.bits = bits

    def type_name(self) -> str:
        return f"{type(self).__name__}  ({self.bits} bits)"


class BitEnumField(_EnumMixin, BitField):
    """A bit field whose values have names."""

    __slots__ = ("enum",)

    def __init__(self, name: str, default: int | None, bits: int, enum: EnumTable) -> None:
        super().__init__(name, default, bits)
        self.enum = enum

    def i2repr(self, value: Any) -> str:
        return self._enum_repr(value, repr)

    def type_name(self) -> str:
        return f"BitEnumField  ({self.bits} bits)"


class FlagValue(int):
    """An integer of flags that also reads as names: ``'S' in flags``, ``flags == "SA"``.

    >>> f = FlagValue(0x12, "FSRPAUECN")
    >>> str(f), 'S' in f, f == "SA", f.A, f.R
    ('SA', True, True, True, False)
    """

    names: tuple[str, ...]

    def __new__(cls, value: Any, names: str | Iterable[str]) -> FlagValue:
        names_t = tuple(names)
        number = _parse_flags(value, names_t) if not isinstance(value, int) else int(value)
        obj = int.__new__(cls, number)
        obj.names = names_t
        return obj

    def _multi(self) -> bool:
        return any(len(n) > 1 for n in self.names)

    def flagrepr(self) -> str:
        """The set flags as Scapy writes them: ``SA`` (letters) or ``MF+DF`` (words)."""
        parts = [n for i, n in enumerate(self.names) if int(self) >> i & 1]
        return ("+" if self._multi() else "").join(parts)

    def __str__(self) -> str:
        return self.flagrepr()

    def __repr__(self) -> str:
        return f"<Flag {int(self)} ({self.flagrepr()})>"

    def __format__(self, spec: str) -> str:
        if spec == "" or spec[-1:] == "s":
            return format(str(self), spec)
        return format(int(self), spec)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str):
            return False
        try:
            wanted = _parse_flags(item, self.names)
        except FieldError:
            return False
        return int(self) & wanted == wanted

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                return int(self) == _parse_flags(other, self.names)
            except FieldError:
                return False
        return int(self) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = int.__hash__

    def __getattr__(self, name: str) -> bool:
        names = object.__getattribute__(self, "names")
        if name in names:
            return bool(int(self) >> names.index(name) & 1)
        long = {"FIN": "F", "SYN": "S", "RST": "R", "PSH": "P", "ACK": "A", "URG": "U",
                "ECE": "E", "CWR": "C", "NS": "N"}
        if name in long and long[name] in names:
            return bool(int(self) >> names.index(long[name]) & 1)
        raise AttributeError(name)

    def _wrap(self, value: int) -> FlagValue:
        return FlagValue(value, self.names)

    def __or__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) | int(FlagValue(other, self.names)))

    __ror__ = __or__

    def __and__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) & int(FlagValue(other, self.names)))

    __rand__ = __and__

    def __xor__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) ^ int(FlagValue(other, self.names)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FlagValue, (int(self), self.names))


def _parse_flags(value: Any, names: tuple[str, ...]) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if not isinstance(value, str):
        raise FieldError(f"flags must be an integer or a string of flags, not {value!r}")
    multi = any(len(n) > 1 for n in names)
    tokens = [t for t in value.replace("|", "+").split("+") if t] if multi else list(value)
    number = 0
    for tok in tokens:
        if tok not in names:
            raise FieldError(f"unknown flag {tok!r} (known: {', '.join(names)})")
        number |= 1 << names.index(tok)
    return number


class FlagsField(BitField):
    """A bit field of named flags, stored as a :class:`FlagValue`."""

    __slots__ = ("_cache", "names", "str_cache")
    converts = True

    def __init__(self, name: str, default: int, bits: int, names: str | list[str]) -> None:
        super().__init__(name, default, bits)
        self.names = tuple(names)
        self._cache: dict[Any, int] = {}
        self.str_cache = self._cache

    def any2i(self, value: Any) -> Any:
        if value is None or isinstance(value, list | tuple):
            return value
        try:
            return self._cache[value]
        except (KeyError, TypeError):
            pass
        number = int(FlagValue(value, self.names))
        if isinstance(value, str) and len(self._cache) < 1024:
            self._cache[value] = number
        return number

    def i2repr(self, value: Any) -> str:
        if isinstance(value, FlagValue):
            return value.flagrepr()
        if isinstance(value, int):
            return FlagValue(value, self.names).flagrepr()
        return repr(value)

    def i2json(self, value: Any) -> Any:
        return self.i2repr(value) if isinstance(value, int) else value

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

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "4s")

    def i2repr(self, value: Any) -> str:
        return str(value) if isinstance(value, str) else repr(value)


class MACField(Field):
    """A MAC address, stored as text (``"00:11:22:33:44:55"``), 6 bytes on the wire."""

    __slots__ = ()

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "6s")

    def i2repr(self, value: Any) -> str:
        return str(value) if isinstance(value, str) else repr(value)


class ListField(Field):
    """A list of variable size (options, addresses), empty by default; bytes stand for a list
    that did not parse and are kept as they are. Subclasses convert their items in
    :meth:`to_list`."""

    __slots__ = ()
    islist = True
    converts = True

    def __init__(self, name: str) -> None:
        super().__init__(name, [], None)

    def any2i(self, value: Any) -> Any:
        if isinstance(value, bytearray):
            return bytes(value)
        return self.to_list(value)

    def to_list(self, value: Any) -> Any:
        """What the user gave (not a bytearray) in the stored form: a list, or bytes."""
        return value


class StrFixedLenField(Field):
    """A fixed number of bytes."""

    __slots__ = ("length",)
    converts = True
    islist = True

    def __init__(self, name: str, default: bytes, length: int) -> None:
        super().__init__(name, default, f"{length}s")
        self.length = length

    def any2i(self, value: Any) -> Any:
        return value.encode() if isinstance(value, str) else value


class StrField(Field):
    """Bytes of variable length (a payload, the rest of a header).

    A string is stored as its UTF-8 bytes (``surrogateescape``: bytes a shell passed that are
    not UTF-8 come back as they were); a string with a lone surrogate such as ``"\\ud800"``
    has no bytes and is refused with a :class:`FieldError` (Scapy raises UnicodeEncodeError).
    """

    __slots__ = ()
    converts = True
    islist = True

    def __init__(self, name: str, default: bytes) -> None:
        super().__init__(name, default, None)

    def any2i(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return value.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError as exc:
                bad = value[exc.start : exc.end]
                raise FieldError(
                    f"{self.name}: the text has no UTF-8 bytes ({bad!r} at position "
                    f"{exc.start} is a lone surrogate): give bytes instead"
                ) from None
        if isinstance(value, bytearray | memoryview):
            return bytes(value)
        return value


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
