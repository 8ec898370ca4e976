"""Fields that depend on other fields or hold packets, with Scapy's names and semantics:
lengths and counts (``FieldLenField``, ``LenField``, ``BitFieldLenField``), lists
(``FieldListField``, ``PacketListField``), packets inside a layer (``PacketField``,
``PacketLenField``) and the containers that change how a field is read (``ConditionalField``,
``PadField``, ``ReversePadField``, ``MayEnd``, ``ActionField``, ``TrailerField``).

A layer holding one is built and dissected field by field (:mod:`paquet.packet.general`).

>>> from paquet.packet.base import Packet
>>> from paquet.packet.fields import conversion, ByteField
>>> from paquet.packet.strfields import StrLenField
>>> class TLV(Packet):
...     fields_desc = [ByteField("type", 1), FieldLenField("len", None, length_of="value",
...                    fmt="B"), StrLenField("value", b"", length_from=lambda p: p.len)]
>>> bytes(TLV(value=b"abc")), TLV(b"\\x02\\x02hiX").value
(b'\\x01\\x03abc', b'hi')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paquet.packet import kinds as _kinds
from paquet.packet.fields import (
    BitField,
    Field,
    FieldError,
    conversion,
    representation,
)
from paquet.packet.strfields import StrField

__all__ = [
    "ActionField",
    "BitFieldLenField",
    "ConditionalField",
    "FCSField",
    "FieldLenField",
    "FieldListField",
    "LEFieldLenField",
    "LenField",
    "ListField",
    "MaximumItemsCount",
    "MayEnd",
    "MultipleTypeField",
    "PacketField",
    "PacketLenField",
    "PacketListField",
    "PadField",
    "ReversePadField",
    "TrailerField",
]


class ListField(Field):
    """A list of variable size (options, addresses), empty by default; bytes stand for a list
    that did not parse and are kept as they are. Subclasses convert their items in
    :meth:`to_list`."""

    __slots__ = ()
    random_kind = "list"
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


#: The most items a list field dissects (Scapy's ``conf.max_list_count``).
MAX_LIST_COUNT = 100


class MaximumItemsCount(FieldError):
    """A list field reached its maximum number of items while dissecting."""


def _length(pkt: Any, length_of: Any, count_of: Any) -> int:
    if length_of is not None:
        if callable(length_of):
            return int(length_of(pkt))
        fld, fval = pkt.getfield_and_val(length_of)
        return int(fld.i2len(pkt, fval))
    if count_of is not None:
        fld, fval = pkt.getfield_and_val(count_of)
        return int(fld.i2count(pkt, fval))
    raise ValueError("Field should have either length_of or count_of")


class FieldLenField(Field):
    """The length (``length_of``) or the item count (``count_of``) of another field,
    computed when left to None; ``adjust(pkt, n)`` changes what is written."""

    __slots__ = ("adjust", "count_of", "length_of")
    fast = False

    def __init__(self, name: str, default: Any, length_of: Any = None, fmt: str = "H",
                 count_of: str | None = None,
                 adjust: Callable[[Any, int], int] = lambda pkt, x: x) -> None:
        super().__init__(name, default, fmt)
        self.length_of = length_of
        self.count_of = count_of
        self.adjust = adjust

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None and pkt is not None:
            return self.adjust(pkt, _length(pkt, self.length_of, self.count_of))
        return 0 if x is None else x


class BitFieldLenField(BitField):
    """A ``FieldLenField`` of ``size`` bits."""

    fast = False

    def __init__(self, name: str, default: Any, size: int, length_of: Any = None,
                 count_of: str | None = None,
                 adjust: Callable[[Any, int], int] = lambda pkt, x: x,
                 tot_size: int = 0, end_tot_size: int = 0) -> None:
        super().__init__(name, default, size, tot_size, end_tot_size)
        self.length_of = length_of
        self.count_of = count_of
        self.adjust = adjust

    def i2m(self, pkt: Any, x: Any) -> Any:
        return FieldLenField.i2m(self, pkt, x)  # type: ignore[arg-type]


class LenField(Field):
    """The length of the payload, computed when left to None (``adjust(n)`` changes it)."""

    __slots__ = ("adjust",)
    fast = False

    def __init__(self, name: str, default: Any, fmt: str = "H",
                 adjust: Callable[[int], int] = lambda x: x) -> None:
        super().__init__(name, default, fmt)
        self.adjust = adjust

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None:
            return self.adjust(len(pkt.payload)) if pkt is not None else 0
        return x


def _count_and_length(fld: Any, pkt: Any) -> tuple[int | None, int | None]:
    """How many items (``count_from``) or bytes (``length_from``) a list takes; a None from
    either (or neither given) means up to the end of the data, as Scapy's."""
    if fld.length_from is not None:
        n = fld.length_from(pkt)
        return None, None if n is None else int(n)
    if fld.count_from is not None:
        c = fld.count_from(pkt)
        return None if c is None else int(c), None
    return None, None


class FieldListField(Field):
    """A list of values of one ``field`` kind; how many: ``count_from(pkt)`` items, or
    ``length_from(pkt)`` bytes, or up to the end."""

    __slots__ = ("count_from", "field", "length_from", "max_count")
    islist = True
    converts = True
    fast = False

    def __init__(self, name: str, default: Any, field: Field,
                 length_from: Callable[[Any], int | None] | None = None,
                 count_from: Callable[[Any], int | None] | None = None,
                 max_count: int | None = None) -> None:
        self.field = field
        super().__init__(name, [] if default is None else default, None)
        self.count_from = count_from
        self.length_from = length_from
        self.max_count = max_count

    def i2count(self, pkt: Any, x: Any) -> int:
        return len(x) if isinstance(x, list) else 1

    def i2len(self, pkt: Any, x: Any) -> int:
        return int(sum(self.field.i2len(pkt, v) for v in x or []))

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if not isinstance(x, list):
            return [self.field.any2i(pkt, x)]
        return [self.field.any2i(pkt, e) for e in x]

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return f"[{', '.join(self.field.i2repr(pkt, v) for v in x or [])}]"

    def i2m(self, pkt: Any, x: Any) -> Any:
        return [] if x is None else x

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        for v in self.i2m(pkt, val):
            s = self.field.addfield(pkt, s, v)
        return s

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        c, n = _count_and_length(self, pkt)
        val: list[Any] = []
        ret = b""
        if n is not None:
            s, ret = s[:n], s[n:]
        while s:
            if c is not None:
                if c <= 0:
                    break
                c -= 1
            s, v = self.field.getfield(pkt, s)
            val.append(v)
            if len(val) > (self.max_count or MAX_LIST_COUNT):
                raise MaximumItemsCount(f"{self.name}: more than "
                                        f"{self.max_count or MAX_LIST_COUNT} items")
        if isinstance(s, tuple):
            s, bn = s
            return (s + ret, bn), val
        return s + ret, val


def _dissect(cls: Any, pkt: Any, data: bytes) -> Any:
    try:
        return cls(data, _parent=pkt)
    except TypeError:
        return cls(data)


class _CutShort(Exception):
    """An item of a list whose bytes end inside its header (see :func:`_whole`)."""


def _whole(p: Any) -> Any:
    """``p``, an item dissected inside a field, unless its bytes ended inside its header
    (a first layer keeps such a partial header): Scapy's item raises there, and the field
    keeps those bytes as Raw (``_CutShort`` says so)."""
    if "_partial" in getattr(p, "__dict__", ()):
        raise _CutShort
    return p


def _strip_padding(p: Any) -> Any:
    """Take the padding off a packet dissected inside a field; return its bytes."""
    if _kinds.Padding in p:
        pad = p[_kinds.Padding]
        rest = pad.load if isinstance(pad.load, tuple) else bytes(pad.load)  # (tuple: unaligned)
        under = pad.underlayer
        if under is not None:
            under.remove_payload()
        return rest
    return b""


class _PacketField(StrField):
    """A packet of class ``pkt_cls`` (or ``pkt_cls(bytes)`` for a function) inside a layer."""

    __slots__ = ("cls",)
    holds_packets = True
    fast = False

    def __init__(self, name: str, default: Any, pkt_cls: Any) -> None:
        super().__init__(name, default)
        self.cls = pkt_cls

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b""
        if isinstance(x, bytes):
            return x
        if isinstance(x, str):  # text stands for its bytes (Scapy's raw())
            return x.encode("utf-8")
        return bytes(x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return _dissect(self.cls, pkt, x)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if pkt is not None and hasattr(x, "add_parent"):
            x.add_parent(pkt)
        return x

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return repr(x)

    def do_copy(self, x: Any) -> Any:
        if isinstance(x, list):
            return [p.copy() for p in x]
        return x.copy() if x is not None and hasattr(x, "copy") else x

    def randval(self) -> Any:
        """A fuzzed packet of the field's class (Scapy's: ``fuzz(cls())``)."""
        from paquet.volatile.fuzzing import fuzz  # (when asked: not on every import)

        return fuzz(self.cls())


class PacketField(_PacketField):
    """A packet of class ``pkt_cls`` inside a layer; what it leaves as padding is read by
    the fields after it."""

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        i = self.m2i(pkt, s)
        return _strip_padding(i), i


class PacketLenField(_PacketField):
    """A packet of ``length_from(pkt)`` bytes inside a layer."""

    __slots__ = ("length_from",)

    def __init__(self, name: str, default: Any, cls: Any,
                 length_from: Callable[[Any], int] | None = None) -> None:
        super().__init__(name, default, cls)
        self.length_from = length_from or (lambda x: 0)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = int(self.length_from(pkt))
        i = None
        if n:
            try:
                i = _whole(self.m2i(pkt, s[:n]))
            except Exception:  # as Scapy: what does not dissect is kept as Raw
                i = _kinds.Raw(load=s[:n])
        return s[n:], i


class PacketListField(_PacketField):
    """A list of packets: of class ``pkt_cls`` (or chosen by ``pkt_cls(bytes)``, or by
    ``next_cls_cb(pkt, lst, cur, remain)``), ``count_from(pkt)`` of them or
    ``length_from(pkt)`` bytes of them, or up to the end; each takes what it does not leave
    as padding."""

    __slots__ = ("count_from", "length_from", "max_count", "next_cls_cb")
    islist = True

    def __init__(self, name: str, default: Any, pkt_cls: Any = None,
                 count_from: Callable[[Any], int | None] | None = None,
                 length_from: Callable[[Any], int | None] | None = None,
                 next_cls_cb: Callable[..., Any] | None = None,
                 max_count: int | None = None) -> None:
        super().__init__(name, [] if default is None else default, pkt_cls)
        self.count_from = count_from
        self.length_from = length_from
        self.next_cls_cb = next_cls_cb
        self.max_count = max_count

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        items = x if isinstance(x, list) else [x]
        if pkt is not None:
            for i in items:
                if hasattr(i, "add_parent"):
                    i.add_parent(pkt)
        return items

    def i2count(self, pkt: Any, x: Any) -> int:
        return len(x) if isinstance(x, list) else 1

    def i2len(self, pkt: Any, x: Any) -> int:
        return sum(len(self.i2m(pkt, p)) for p in x or [])

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + b"".join(self.i2m(pkt, v) for v in val or [])

    def getfield(self, pkt: Any, s: bytes) -> tuple[Any, Any]:
        c, n = _count_and_length(self, pkt)
        cls = None
        if self.next_cls_cb is not None:
            cls = self.next_cls_cb(pkt, [], None, s)
            c = 0 if cls is None else 1
        lst: list[Any] = []
        ret = b""
        remain: Any = s
        if n is not None:
            remain, ret = s[:n], s[n:]
        while remain:
            if c is not None:
                if c <= 0:
                    break
                c -= 1
            try:
                p = _whole(_dissect(cls, pkt, remain) if cls is not None
                           else self.m2i(pkt, remain))
            except Exception:  # as Scapy: what does not dissect is kept as Raw
                p = _kinds.Raw(load=remain)
                remain = b""
            else:
                remain = _strip_padding(p)
                if remain and self.next_cls_cb is not None:
                    cls = self.next_cls_cb(pkt, lst, p, remain)
                    if cls is not None:
                        c = (c or 0) + 1
            lst.append(p)
            if len(lst) > (self.max_count or MAX_LIST_COUNT):
                raise MaximumItemsCount(f"{self.name}: more than "
                                        f"{self.max_count or MAX_LIST_COUNT} packets")
            if isinstance(remain, tuple) and not remain[0]:
                remain = b""  # (unaligned data used up)
        if isinstance(remain, tuple):  # unaligned: the items did not end on a byte
            return (remain[0] + ret, remain[1]), lst
        return remain + ret, lst


# ---------------------------------------------------------------------- containers


class _FieldContainer(Field):
    """A field wrapped to change how it is read or written; anything else is the field's."""

    fast = False

    def __init__(self, fld: Field) -> None:
        self.fld = fld

    def __getattr__(self, attr: str) -> Any:
        if attr == "fld":
            raise AttributeError(attr)
        return getattr(self.fld, attr)

    # The inner field's attributes, found before Field's own class attributes.
    name = property(lambda self: self.fld.name)
    default = property(lambda self: self.fld.default)
    fmt = property(lambda self: self.fld.fmt)
    sz = property(lambda self: self.fld.sz)
    islist = property(lambda self: self.fld.islist)
    holds_packets = property(lambda self: self.fld.holds_packets)
    ismutable = property(lambda self: self.fld.ismutable)
    converts = property(lambda self: True)

    @property
    def wraps_multiple(self) -> bool:
        """True when a :class:`MultipleTypeField` is inside this container (MayEnd,
        PadField...): it has no default there (``fuzz()`` leaves it)."""
        inner: Field = self
        while isinstance(inner, _FieldContainer) and not isinstance(inner, MultipleTypeField):
            inner = inner.fld
        return inner is not self and isinstance(inner, MultipleTypeField)
    str_cache = None

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        return self.fld.any2i(pkt, x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> Any:
        return self.fld.i2repr(pkt, x)

    def h2i(self, pkt: Any, x: Any) -> Any:
        return self.fld.h2i(pkt, x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return self.fld.i2h(pkt, x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return self.fld.m2i(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> Any:
        return self.fld.i2m(pkt, x)

    def i2len(self, pkt: Any, x: Any) -> Any:
        return self.fld.i2len(pkt, x)

    def i2count(self, pkt: Any, x: Any) -> int:
        return self.fld.i2count(pkt, x)

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        return self.fld.getfield(pkt, s)

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        return self.fld.addfield(pkt, s, val)

    def type_name(self) -> str:
        return type(self).__name__

    def randval(self) -> Any:
        """The wrapped field's random value (Scapy's container answers for its field)."""
        from paquet.volatile.fuzzing import randval  # (when asked: not on every import)

        value = randval(self.fld)
        if value is None:
            raise NotImplementedError(f"{self.fld.type_name()} has no random value")
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.fld!r}>"


class ConditionalField(_FieldContainer):
    """``fld`` present only when ``cond(pkt)`` is true (absent fields read None when
    dissected and are neither built nor shown)."""

    isconditional = True

    def __init__(self, fld: Field, cond: Callable[[Any], Any]) -> None:
        super().__init__(fld)
        self.cond = cond

    def _evalcond(self, pkt: Any) -> bool:
        return bool(self.cond(pkt))

    def type_name(self) -> str:
        return f"{self.fld.type_name()} (Cond)"

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if type(self.fld) is Field:
            return x
        return self.fld.any2i(pkt, x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        if pkt is not None and not self._evalcond(pkt):
            return None
        return self.fld.i2h(pkt, x)

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        if self._evalcond(pkt):
            return self.fld.getfield(pkt, s)
        return s, None

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        if self._evalcond(pkt):
            return self.fld.addfield(pkt, s, val)
        return s


class MayEnd(_FieldContainer):
    """Dissection may stop after ``fld`` when no bytes are left (the fields after it keep
    their defaults)."""

    ismayend = True


class ActionField(_FieldContainer):
    """``fld``, with the layer's method ``action_method(value, fld, **kargs)`` called when
    a value is set."""

    def __init__(self, fld: Field, action_method: str, **kargs: Any) -> None:
        super().__init__(fld)
        self._action_method = action_method
        self._privdata = kargs

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        getattr(pkt, self._action_method)(x, self.fld, **self._privdata)
        return self.fld.any2i(pkt, x)


class PadField(_FieldContainer):
    """``fld`` followed by padding up to a multiple of ``align`` bytes (``padwith``)."""

    def __init__(self, fld: Field, align: int, padwith: bytes | None = None) -> None:
        super().__init__(fld)
        self._align = align
        self._padwith = padwith or b"\x00"

    def padlen(self, flen: int, pkt: Any) -> int:
        """How many padding bytes follow ``flen`` bytes."""
        return -flen % self._align

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        remain, val = self.fld.getfield(pkt, s)
        return remain[self.padlen(len(s) - len(remain), pkt) :], val

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        sval = self.fld.addfield(pkt, b"", val)
        return s + sval + self.padlen(len(sval), pkt) * self._padwith


class ReversePadField(PadField):
    """Padding before ``fld``, up to a multiple of ``align`` bytes from the layer's start."""

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        start = pkt.__dict__.get("_dissect_len", len(s))
        padlen = self.padlen(start - len(s), pkt)
        return self.fld.getfield(pkt, s[padlen:])

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        sval = self.fld.addfield(pkt, b"", val)
        pad = (self._padwith * self.padlen(len(s), pkt))[: self.padlen(len(s), pkt)]
        return s + pad.ljust(self.padlen(len(s), pkt), b"\x00") + sval


class TrailerField(_FieldContainer):
    """``fld`` at the end of the whole packet, after the payload (a frame check sequence)."""

    is_trailer = True

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        size = self.fld.sz
        if len(s) < size:
            raise FieldError(f"{self.name}: {size} bytes needed at the end")
        rest, val = self.fld.getfield(pkt, s[len(s) - size :])
        d = pkt.__dict__  # (general.py puts the payload between the header and these bytes)
        d["_trailer_len"] = d.get("_trailer_len", 0) + size
        return s[: len(s) - size] + rest, val

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        # Kept for the layer's building (general.py), which puts it after the payload. The
        # first trailer is the frame's last bytes (dissection takes it from the end first).
        pkt.__dict__["_trailer"] = bytes(self.fld.addfield(pkt, b"", val)) + pkt.__dict__.get(
            "_trailer", b"")
        return s


class MultipleTypeField(_FieldContainer):
    """One of several fields of the same name, chosen per packet: the first ``(fld, cond)``
    of ``flds`` whose ``cond(pkt)`` is true (``cond`` may be a pair ``(cond_pkt,
    cond_pkt_val)``, the second also given the value being set), else ``dflt``."""

    def __init__(self, flds: list[tuple[Any, ...]], dflt: Field) -> None:
        self.hints = {t[0]: t[2] for t in flds if len(t) == 3}
        self.flds = [(t[0], t[1]) for t in flds]
        self.dflt = dflt
        for f, _ in self.flds:
            if f.name != dflt.name:
                import warnings

                warnings.warn(
                    f"All fields should have the same name in a MultipleTypeField "
                    f"({dflt.name}). Use hints.", SyntaxWarning, stacklevel=2)
        super().__init__(dflt)

    def _iterate(self, pkt: Any, val: Any, use_val: bool) -> Field:
        if pkt is None:
            return self.dflt
        for fld, cond in self.flds:
            if isinstance(cond, tuple):
                if use_val:
                    if cond[1](pkt, val):
                        return fld  # type: ignore[no-any-return]
                    continue
                cond = cond[0]
            if cond(pkt):
                return fld  # type: ignore[no-any-return]
        return self.dflt

    def _find_fld_pkt(self, pkt: Any) -> Field:
        return self._iterate(pkt, None, False)

    def _find_fld_pkt_val(self, pkt: Any, val: Any) -> tuple[Field, Any]:
        fld = self._iterate(pkt, val, True)
        return fld, fld.default if val is None else val

    def getfield(self, pkt: Any, s: Any) -> tuple[Any, Any]:
        return self._find_fld_pkt(pkt).getfield(pkt, s)

    def addfield(self, pkt: Any, s: Any, val: Any) -> Any:
        fld, val = self._find_fld_pkt_val(pkt, val)
        return fld.addfield(pkt, s, val)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        return fld.any2i(pkt, x)

    def h2i(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        return fld.h2i(pkt, x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        return fld.i2h(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        return fld.i2m(pkt, x)

    def i2len(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        return fld.i2len(pkt, x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> Any:
        fld, x = self._find_fld_pkt_val(pkt, x)
        hint = f" ({self.hints[fld]})" if fld in self.hints else ""
        return f"{fld.i2repr(pkt, x)}{hint}"

    def type_name(self) -> str:
        names = ", ".join(f.type_name() for f in (*(f for f, _ in self.flds), self.dflt))
        return f"MultipleTypeField ({names})"

    def register_owner(self, cls: type) -> None:
        for fld, _ in self.flds:
            fld.owners.append(cls)
        self.dflt.owners.append(cls)


class FCSField(TrailerField):
    """A frame check sequence at the end of the packet (a ``Field(name, default, fmt)``
    after the payload), shown in hexadecimal."""

    def __init__(self, name: str, default: Any, fmt: str = "H") -> None:
        super().__init__(Field(name, default, fmt))

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return hex(x) if isinstance(x, int) else repr(x)


class LEFieldLenField(FieldLenField):
    """A ``FieldLenField`` written little-endian (``fmt="<H"`` by default)."""

    def __init__(self, name: str, default: Any, length_of: Any = None, fmt: str = "<H",
                 count_of: str | None = None,
                 adjust: Callable[[Any, int], int] = lambda pkt, x: x) -> None:
        super().__init__(name, default, length_of=length_of, fmt=fmt, count_of=count_of,
                         adjust=adjust)
