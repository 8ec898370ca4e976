"""The general path of the engine: layers built and dissected field by field, as Scapy does.

A layer whose fields all pack as one big-endian struct (the usual header) is compiled by
:mod:`paquet.packet.compile` and never calls its fields per packet. Any other layer (a length
field, a string of variable size, a list of packets, a little-endian integer, a condition...)
that does not build and dissect itself (``do_dissect``, ``self_build``, ``build_tail``,
``dissect_tail``) takes this path: dissecting walks ``fields_desc`` calling each field's
``getfield(pkt, s) -> (rest, value)`` between ``pre_dissect`` and ``post_dissect``;
building calls ``addfield(pkt, s, value)`` in turn, then ``post_build(p, pay)``; the payload
stops where ``extract_padding`` says. What the hot paths do for the other layers is untouched:
the choice is made once, when the class is created (:func:`needs_general`).

>>> from paquet.packet.base import Packet
>>> from paquet.packet.fields import ByteField
>>> from paquet.packet.intfields import LEShortField
>>> from paquet.packet.strfields import StrField
>>> class Demo(Packet):
...     fields_desc = [ByteField("kind", 1), LEShortField("n", 2), StrField("data", b"")]
>>> bytes(Demo(data=b"hi")), Demo(b"\\x07\\x03\\x00xy").n
(b'\\x01\\x02\\x00hi', 3)
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from paquet.packet import kinds as _kinds
from paquet.packet.access import delattr_, setattr_
from paquet.packet.dissect import _ALL, Malformed, dissect_as, payload_of
from paquet.packet.dissect import _RAW as _RAW  # (layers import it from here)
from paquet.packet.fields import BitField, Field, FieldError
from paquet.packet.flagfields import FlagsField

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["extract_padding_end", "fast_field", "install", "needs_general", "uninstall"]

#: The methods with which a layer lays out its own bytes: such a layer keeps the struct path.
_LAYOUT = ("self_build", "build_tail", "dissect_tail", "do_build")
#: Scapy's dissection hooks: a layer that overrides one takes the general path.
_HOOKS = ("pre_dissect", "post_dissect", "do_dissect_payload")


def fast_field(f: Field) -> bool:
    """True when the struct compiler packs ``f`` itself (a big-endian integer, an address,
    a fixed string, a bit field of a big-endian group) with the field's own semantics."""
    if not type(f).fast:
        return False
    if isinstance(f, BitField):
        return not f.rev
    st = f.struct
    if f.fmt is None or st is None or st.format[0] not in "!>":
        return False
    return getattr(f, "length_from", None) is None


def _written(fn: Any, name: str) -> bool:
    """True when ``fn``, found in a class dict under ``name``, is a layer's own code: neither
    generated nor the engine's own method that :func:`uninstall` put back on a layer of one
    struct below a general one (its subclasses may take the general path again)."""
    return not getattr(fn, "_generated", False) and fn is not _kinds.Packet.__dict__.get(name)


def _own(cls: type[Packet], names: Sequence[str]) -> bool:
    """True when a class between ``cls`` and Packet defines one of ``names`` itself."""
    for c in cls.__mro__:
        if c is _kinds.Packet:
            return False
        for n in names:
            fn = c.__dict__.get(n)
            if fn is not None and _written(fn, n):
                return True
    return False


#: The hand-written layers whose tables keep placeholders of variable size that their own
#: code fills (ICMPv6's ``extpad``): such a placeholder does not make a layer general. A new
#: table-only protocol is not listed: its StrField is a string, as in Scapy.
_PLACEHOLDER_MODULES = frozenset({"paquet.layers.icmp", "paquet.layers.icmpv6",
                                  "paquet.layers.ipv6"})


def _legacy_tail(cls: type[Packet], f: Field) -> bool:
    """A field of variable size that paquet's own hand-written layers keep as a placeholder
    their code fills (see :data:`_PLACEHOLDER_MODULES`), or a paquet ``ListField`` (options
    parsed by their layer's code): it does not make such a layer general."""
    from paquet.packet.strfields import StrField
    from paquet.packet.structfields import ListField

    if not cls.__module__.startswith("paquet.layers"):
        return False
    if isinstance(f, ListField):
        return True
    return cls.__module__ in _PLACEHOLDER_MODULES and type(f) in (Field, StrField)


def needs_general(cls: type[Packet], fields: Sequence[Field]) -> bool:
    """True when ``cls`` must be built and dissected field by field (see the module).

    A layer that builds itself (``self_build``, ``do_build``, ``build_tail``, or reads its
    own tail with ``dissect_tail``) does not; its own ``do_dissect`` alone does not decide:
    on a table that needs the general path, it is that layer's dissection (see
    :func:`own_dissect`)."""
    if not fields or _own(cls, _LAYOUT):
        return False
    if _own(cls, ("do_dissect",)) and not _general_table(cls, fields):
        return False  # a hand-written layer of one struct that reads its own bytes
    return _general_table(cls, fields)


def _general_table(cls: type[Packet], fields: Sequence[Field]) -> bool:
    if _own(cls, _HOOKS):
        return True
    bits = 0
    for f in fields:
        if not fast_field(f):
            if _legacy_tail(cls, f):
                continue
            return True
        if isinstance(f, BitField):
            bits += f.bits
            if bits > 64:
                return True
            if bits % 8 == 0:
                bits = 0
        elif bits:
            return True
    return bits != 0


def install(cls: type[Packet]) -> None:
    """Give ``cls`` the general path: its dissection, building and conversions."""
    fields = cls._fields
    cls._dinit = {**cls._init, "_explicit": _ALL}
    cls._qinit = {k: v for k, v in cls._dinit.items() if k != "payload"}
    cls._fixed_names = ()
    cls._fixed_ends = ()
    cls._var_fields = tuple(fields)
    cls._struct = struct.Struct("!")
    cls._hdr_len = 0
    # Conversions run with the layer at hand (a MultiEnumField asks it): see _setattr.
    cls._conv = {}
    cls._convset = frozenset()
    methods = dict(_METHODS)
    own = own_dissect(cls)
    if own is not None:
        if _scapy_form(own):  # do_dissect(self, s) -> rest: run between the hooks
            cls._scapy_do_dissect = own
            cls.do_dissect = _do_dissect  # type: ignore[method-assign]
        else:  # do_dissect(self, data, off, end) -> header end: the layer's own, inherited
            cls.do_dissect = own  # type: ignore[method-assign]
        del methods["do_dissect"]
    if any(getattr(f, "is_trailer", False) for f in fields):
        cls._has_trailer = True
        methods["do_build"] = _do_build_with_trailer
        _do_build_with_trailer._generated = True  # type: ignore[attr-defined]
    for name, fn in methods.items():
        if name not in cls.__dict__:
            setattr(cls, name, fn)
    for f in fields:
        # Read through i2h where a field has one (Scapy reads every field so): conditions,
        # types chosen per packet, UTF-16 text, source addresses computed when None.
        human = f.isconditional or hasattr(f, "flds") or (
            type(f).i2h is not Field.i2h and not isinstance(f, FlagsField))
        if human and f.name not in cls.__dict__:
            setattr(cls, f.name, _human_property(f))


def own_dissect(cls: type[Packet]) -> Any:
    """The ``do_dissect`` written in the class body of ``cls`` or of a base class (not the
    engine's), or None.

    A layer of the general path may write its own dissection in either form, and its
    subclasses inherit it:

    - Scapy's, ``do_dissect(self, s) -> rest``: called in place of the field-by-field loop,
      after ``pre_dissect`` and before ``post_dissect`` (and ``extract_padding``), with the
      bytes of the layer and what follows; it sets the fields (``self.fieldname = ...`` or
      ``self.__dict__``) and returns what it did not read.
    - paquet's, ``do_dissect(self, data, off, end) -> int``: the whole dissection of the
      header at ``data[off:end]``, returning where it ends (``Malformed`` for bytes that are
      not the header).

    Building stays field by field (``self_build`` from the table) in both cases.
    """
    for c in cls.__mro__:
        if c is _kinds.Packet:
            return None
        fn = c.__dict__.get("do_dissect")
        if fn is not None and _written(fn, "do_dissect"):
            return fn
    return None


def _scapy_form(fn: Any) -> bool:
    """True for ``do_dissect(self, s)`` (Scapy's), False for ``(self, data, off, end)``."""
    import inspect

    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False
    positional = [p for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) == 2


def uninstall(cls: type[Packet]) -> None:
    """A layer of one struct whose base class took the general path: the base's general
    methods give way to the engine's own (the struct path compiles its own dissection)."""
    for name, fn in _METHODS.items():
        if name not in cls.__dict__ and getattr(cls, name, None) is fn:
            setattr(cls, name, getattr(_kinds.Packet, name))


def _do_dissect(self: Packet, data: bytes, off: int, end: int) -> int:
    """Dissect the fields one by one (Scapy's ``do_dissect``, between ``pre_dissect`` and
    ``post_dissect``); return where the header ends."""
    s: Any = data[off:end]
    d = self.__dict__
    f: Field | None = None
    try:
        s = self.pre_dissect(s)
        d["_dissect_len"] = len(s)  # (ReversePadField counts from the layer's start)
        own = type(self)._scapy_do_dissect
        fields = self._fields if own is None else ()
        if own is not None:  # the layer's own (Scapy's form, see own_dissect)
            s = own(self, s)
        got: list[str] = []
        skipped = False  # a conditional field absent, or the bytes ended before the last
        for f in fields:
            s, v = f.getfield(self, s)
            if f.isconditional and v is None:
                skipped = True
                d[f.name] = f.default  # (what Scapy's getfieldval gives)
                continue
            d[f.name] = v
            got.append(f.name)
            if not s and (f.ismayend or (v is not None and f.isconditional
                                         and getattr(f, "fld", f).ismayend)):
                skipped = True
                break
        if skipped and len(got) < len(fields):
            # Scapy's ``fields`` after dissection: the fields dissected, no others.
            d["_explicit"] = dict.fromkeys(got)
        if isinstance(s, tuple):
            # The fields end inside a byte (Scapy's unaligned rest): the header stops before
            # it and that byte on is the payload, so that the bytes build back as they came
            # (Scapy keeps the pair as a Raw load, which it cannot build).
            s = s[0]
        f = None
        d.pop("_dissect_len", None)
        s = self.post_dissect(s)
    except Malformed:
        raise
    except Exception as exc:  # a field's or the layer's own code refusing these bytes
        where = f"field {f.name!r}: " if f is not None else ""
        rest = s[0] if isinstance(s, tuple) else s
        raise Malformed(end - len(rest) if isinstance(rest, bytes) else off,
                        f"{where}{exc}") from None
    if not isinstance(s, bytes | bytearray):
        s = bytes(s)
    trailer = d.pop("_trailer_len", 0)
    if trailer:
        return _with_trailer(self, data, off, end, bytes(s), trailer)
    hend = max(off, end - len(s))
    # The bytes read, given back verbatim while no field changes (Scapy's raw cache): a
    # truncated or odd header builds as it came.
    d[_RAW] = (data[off:hend], {f.name: f.do_copy(d[f.name]) for f in self._fields
                                if f.islist or f.holds_packets or f.ismutable})
    return hend


def extract_padding_end(self: Packet, data: bytes, off: int, hend: int, end: int) -> int:
    """``payload_end`` of a layer that defines Scapy's ``extract_padding``: the payload stops
    where what it keeps of the rest stops."""
    pay, _pad = self.extract_padding(data[hend:end])
    return hend + len(pay or b"")


def _self_build(self: Packet) -> bytes:
    """Build the fields one by one (Scapy's ``self_build``)."""
    d = self.__dict__
    cached = d.get(_RAW)
    if cached is not None:
        if all(d[n] == v for n, v in cached[1].items()):
            return cached[0]  # type: ignore[no-any-return]
        del d[_RAW]
    p: Any = b""
    for f in self._fields:
        val = d[f.name]
        if hasattr(f, "flds") and not self.is_set(f.name):  # a MultipleTypeField's default
            val = f._find_fld_pkt(self).default  # type: ignore[attr-defined]
        try:
            p = f.addfield(self, p, val)
        except FieldError as exc:
            raise FieldError(f"{type(self).__name__}.{f.name}: {exc}") from None
        except (struct.error, ValueError, TypeError, OverflowError) as exc:
            raise FieldError(f"While building field '{f.name}': {exc}") from None
    if isinstance(p, tuple):
        raise FieldError(f"{type(self).__name__}: the bit fields do not fill whole bytes")
    return bytes(p)


def _convert(self: Packet, name: str, value: Any) -> Any:
    f = self._fieldmap[name]
    if value is None or not (f.converts or type(f).any2i is not Field.any2i):
        return value
    return f.any2i(self, value)


def _setattr(self: Packet, name: str, value: Any) -> None:
    if name in self._fieldmap:
        value = _convert(self, name, value)
        self.__dict__.pop(_RAW, None)
    setattr_(self, name, value)


def _delattr(self: Packet, name: str) -> None:
    if name in self._fieldmap:
        self.__dict__.pop(_RAW, None)
    delattr_(self, name)


def _check_fields(self: Packet, fields: dict[str, Any]) -> None:
    if not self._nameset.issuperset(fields):
        unknown = next(k for k in fields if k not in self._fieldmap)
        raise FieldError(f"{type(self).__name__} has no field {unknown!r}")
    # Each value is set as it is converted, in the order given (Scapy's): a field whose
    # kind depends on another (a MultipleTypeField, a condition) sees the values before it.
    d = self.__dict__
    for k, v in fields.items():
        fields[k] = d[k] = _convert(self, k, v)
    if fields:
        self.__dict__.pop(_RAW, None)  # (bytes dissected, then fields given: built anew)


def _shown_fields(self: Packet) -> tuple[Field, ...]:
    """The fields ``show()`` lists: those of a false condition are left out (Scapy's)."""
    return tuple(f for f in self._fields
                 if not f.isconditional or f._evalcond(self))  # type: ignore[attr-defined]


def _human_property(f: Field) -> property:
    """A field read through its ``i2h`` (a ConditionalField whose condition is false reads
    None; a MultipleTypeField reads as the field chosen for the layer), as Scapy reads it."""
    name = f.name
    multi = hasattr(f, "flds")
    if f.isconditional:
        return _conditional_property(f)

    def get(self: Packet) -> Any:
        if multi and not self.is_set(name):
            return f._find_fld_pkt(self).default  # type: ignore[attr-defined]
        return f.i2h(self, self.__dict__[name])

    # (getfieldval reads the value stored, as Scapy's; the attribute reads it through i2h)
    get._stored = not multi  # type: ignore[attr-defined]
    return property(get, doc=f"The {name} field.")


def _conditional_property(f: Any) -> property:
    """A ConditionalField: None while its condition is false (as Scapy reads it), else its
    value through its ``i2h``; a shared list or packet default copied for the layer first."""
    name = f.name
    default = f.default
    shared = type(default) is list or (hasattr(default, "copy") and not isinstance(
        default, bytes | str))

    def get(self: Packet) -> Any:
        if not f._evalcond(self):
            return None
        d = self.__dict__
        v = d[name]
        if shared and v is default:
            v = d[name] = f.do_copy(default)
        return f.i2h(self, v)

    return property(get, doc=f"The {name} field (None while its condition is false).")


def _do_build_with_trailer(self: Packet) -> bytes:
    """``do_build`` of a layer with a TrailerField: its bytes go after the payload's, before
    ``post_build`` (as Scapy)."""
    d = self.__dict__
    d.pop("_trailer", None)
    hdr = self.self_build()
    if "_trailer" not in d:  # the header came from the bytes dissected: the trailer too
        for f in self._fields:
            if getattr(f, "is_trailer", False):
                f.addfield(self, b"", d[f.name])
    pay = payload_of(self).do_build() + d.pop("_trailer", b"")
    return self.post_build(hdr, pay)


def _with_trailer(self: Packet, data: bytes, off: int, end: int, pay: bytes,
                  trailer: int) -> int:
    """The end of a dissected layer with a TrailerField: its payload (between its header
    and the trailer's bytes) is dissected now, and the layer takes the bytes up to ``end``."""
    d = self.__dict__
    hend = max(off, end - len(pay) - trailer)
    d[_RAW] = (data[off:hend], {f.name: f.do_copy(d[f.name]) for f in self._fields
                                if f.islist or f.holds_packets or f.ismutable})
    if pay:
        p = dissect_as(self.guess_payload_class(pay), pay)
        p.__dict__["underlayer"] = self
        d["payload"] = p
    else:
        d["payload"] = _kinds.NOPAYLOAD
    return end


#: The methods a layer of the general path gets (marked as generated: a subclass may take
#: the struct path again, see uninstall).
_METHODS: dict[str, Any] = {
    "do_dissect": _do_dissect, "self_build": _self_build, "__setattr__": _setattr,
    "__delattr__": _delattr, "_check_fields": _check_fields, "_shown_fields": _shown_fields,
}
for _fn in _METHODS.values():
    _fn._generated = True
