"""Column names -> how the capture tables get their values from the general dissector.

The capture tables name their columns as Wireshark does (``ip.src``, ``dns.qry.name``). The
common ones are read straight from the bytes (:mod:`paquet.frame.quick`); any other is read
from the packet the general dissector gives, by one of two rules:

- a Wireshark name of :data:`paquet.dfilter.fields.FIELDS`, the one table of Wireshark's fields
  the display filters read too: its first occurrence (as ``tshark -T fields -E occurrence=f``),
  as :func:`~paquet.dfilter.fields.arrow_value` gives it (``dns.qry.name`` is the first
  question's name, as text without its final dot);
- ``layer.field``: the field ``field`` of the first layer whose class is ``layer`` (its
  Wireshark abbreviation of :data:`~paquet.dfilter.attributes.LAYER_ABBREV` or its class name,
  any case), as Scapy's ``pkt[Layer].field``: ``tcp.window``, ``arp.psrc``, ``dns.qd``; the
  same rule as ``paquet read -e`` (:mod:`paquet.dfilter.attributes`).

A missing layer or field is a null.

>>> from paquet.layers import Ether, IP, UDP, DNS, DNSQR
>>> pkt = Ether() / IP() / UDP() / DNS(qd=DNSQR(qname="www.example.com"))
>>> getter("dns.qry.name")(pkt), getter("dns.qd")(pkt) is not None, getter("arp.op")(pkt)
('www.example.com', True, None)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from paquet.dfilter.attributes import LAYER_ABBREV, attribute, is_attribute, layer_class
from paquet.dfilter.fields import FIELDS, FrameInfo, arrow_value, occurrences
from paquet.dfilter.protocols import layers_of
from paquet.errors import PaquetError

__all__ = ["LAYER_ABBREV", "UnknownFieldError", "column", "getter", "kind", "layer_class",
           "plain", "uses_layers"]

class UnknownFieldError(PaquetError, ValueError):
    """A column name that is neither a known Wireshark name nor ``layer.field`` of a layer."""


Getter = Callable[[Any], Any]
#: A column's getter: (packet, its layers by protocol, its record) -> value or None.
ColumnGetter = Callable[[Any, dict[str, list[Any]], FrameInfo], Any]


def _named(name: str) -> ColumnGetter:
    """The getter of a Wireshark name of FIELDS: its first occurrence, as Arrow takes it."""
    fd = FIELDS[name]

    def get(pkt: Any, layers: dict[str, list[Any]], frame: FrameInfo) -> Any:
        found = occurrences(name, layers, frame)
        return arrow_value(fd, found[0]) if found else None

    return get


#: Arrow kinds of FIELDS -> this module's kinds.
_KINDS = {"i64": "int", "bool": "bool", "str": "string", "mac": "string", "ip4": "string",
          "ip6": "string", "u8": "int", "u16": "int", "u32": "int", "u64": "int"}
_INT_FMT = frozenset("bBhHiIlLqQ")
_TEXT_FIELDS = ("IPField", "IP6Field", "MACField", "SourceIPField", "SourceIP6Field")
_INT_FIELDS = ("BitField", "BitEnumField", "FlagsField", "XBitField", "BitFieldLenField")


def kind(name: str) -> str | None:
    """The kind of the values of column ``name`` ("int", "bool", "string"), or None when the
    values tell (a field of bytes, of options, of sub-packets; a float or a time).

    >>> kind("dns.qry.name"), kind("tcp.window"), kind("arp.psrc"), kind("tcp.options")
    ('string', 'int', 'string', None)
    """
    fd = FIELDS.get(name)
    if fd is not None:
        return _KINDS.get(fd.arrow)
    layer, _, field = name.partition(".")
    cls = layer_class(layer)
    f = next(
        (f for f in getattr(cls, "fields_desc", ()) if getattr(f, "name", None) == field), None
    )
    if f is None:
        return None
    inner = getattr(f, "fld", f)  # a ConditionalField's own field
    names = {type(inner).__name__, *(c.__name__ for c in type(inner).__mro__)}
    if names & set(_TEXT_FIELDS):
        return "string"
    fmt = getattr(inner, "fmt", None)
    if isinstance(fmt, str) and fmt and fmt[-1] in _INT_FMT and not fmt[:-1].strip("!<>=@"):
        return "int"
    if names & set(_INT_FIELDS):
        return "int"
    return None


#: Columns of names, dictionary-encoded (few distinct values, many rows).
DICTIONARY = frozenset({"dns.qry.name", "dns.resp.name"})


def column(name: str) -> ColumnGetter:
    """``get(packet, layers, record) -> value or None`` for the column ``name`` (``layers``:
    :func:`~paquet.dfilter.protocols.layers_of`, ``record`` its
    :class:`~paquet.dfilter.fields.FrameInfo`); UnknownFieldError if there is none.

    >>> getter("nosuch.field")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    paquet.frame.names.UnknownFieldError: no column 'nosuch.field': not a Wireshark name ...
    """
    if name in FIELDS:
        return _named(name)
    if not is_attribute(name):
        raise UnknownFieldError(
            f"no column {name!r}: not a Wireshark name paquet knows, nor layer.field of a"
            " paquet layer"
        )

    def get(pkt: Any, layers: dict[str, list[Any]], frame: FrameInfo) -> Any:
        value = attribute(name, pkt)
        return None if value is None else plain(value)

    return get


def uses_layers(name: str) -> bool:
    """Whether column ``name``'s getter reads its ``layers`` (a Wireshark name's does)."""
    return name in FIELDS


@functools.cache
def getter(name: str) -> Getter:
    """``get(packet) -> value or None`` for the column ``name`` (UnknownFieldError if none;
    see :func:`column`)."""
    get = column(name)
    if not uses_layers(name):
        return lambda pkt: get(pkt, {}, _NO_FRAME)

    def of_packet(pkt: Any) -> Any:
        data = bytes(pkt)
        frame = FrameInfo(1, data, len(data), pkt=pkt)
        return get(pkt, layers_of(pkt, frame), frame)

    return of_packet


_NO_FRAME = FrameInfo(0, b"", 0)


def plain(value: Any) -> Any:
    """A field's value as Arrow takes it: enums and flags as ints, the rest unchanged.

    >>> from paquet.layers import TCP
    >>> plain(TCP().flags), plain(b"x"), plain("a")
    (2, b'x', 'a')
    """
    if isinstance(value, bool | int | float | str | bytes):
        return int(value) if type(value) is not bool and isinstance(value, int) else value
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)
