"""Wireshark field names -> where paquet's dissected packets hold them (the general path).

The capture tables name their columns as Wireshark does (``ip.src``, ``dns.qry.name``). The
common ones are read straight from the bytes (:mod:`paquet.frame.quick`); any other is read
from the packet the general dissector gives, by one of two rules:

- a name of :data:`ALIASES` (Wireshark's name for a value paquet computes or keeps elsewhere:
  ``dns.qry.name`` is the first question's ``qname``, as text without its final dot);
- ``layer.field``: the field ``field`` of the first layer whose class is ``layer`` (its
  Wireshark abbreviation of :data:`LAYER_ABBREV` or its class name, any case), as Scapy's
  ``pkt[Layer].field``: ``tcp.window``, ``dns.id``, ``arp.psrc``, ``ntp.stratum``.

This module is the one place of that mapping (to be unified with the display filters' field
table). A missing layer or field is a null.

>>> from paquet.layers import Ether, IP, UDP, DNS, DNSQR
>>> pkt = Ether() / IP() / UDP() / DNS(qd=DNSQR(qname="www.example.com"))
>>> getter("dns.qry.name")(pkt), getter("dns.qd")(pkt) is not None, getter("arp.op")(pkt)
('www.example.com', True, None)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from paquet.errors import PaquetError

__all__ = ["ALIASES", "LAYER_ABBREV", "UnknownFieldError", "getter", "kind", "layer_class"]

#: Wireshark's protocol abbreviations whose paquet layer class has another name.
LAYER_ABBREV: dict[str, str] = {
    "eth": "Ether",
    "vlan": "Dot1Q",
    "ip": "IP",
    "ipv6": "IPv6",
    "icmp": "ICMP",
    "icmpv6": "ICMPv6Unknown",
    "tcp": "TCP",
    "udp": "UDP",
    "arp": "ARP",
    "dns": "DNS",
    "dhcp": "DHCP",
    "bootp": "BOOTP",
    "ntp": "NTP",
    "sll": "CookedLinux",
    "gre": "GRE",
    "vxlan": "VXLAN",
    "llc": "LLC",
    "stp": "STP",
}


class UnknownFieldError(PaquetError, ValueError):
    """A column name that is neither a known Wireshark name nor ``layer.field`` of a layer."""


Getter = Callable[[Any], Any]


def _text(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _first(layer: str, seq_field: str, field: str, strip_dot: bool = False) -> Getter:
    """The ``field`` of the first item of the list field ``seq_field`` of layer ``layer``."""

    def get(pkt: Any) -> Any:
        cls = layer_class(layer)
        lay = pkt.getlayer(cls) if cls is not None else None
        if lay is None:
            return None
        seq = getattr(lay, seq_field, None)
        if not seq:
            return None
        value = _text(getattr(seq[0], field, None))
        if strip_dot and isinstance(value, str) and value.endswith(".") and value != ".":
            value = value[:-1]
        return value

    return get


def _field(layer: str, field: str, conv: Callable[[Any], Any] | None = None) -> Getter:
    def get(pkt: Any) -> Any:
        cls = layer_class(layer)
        lay = pkt.getlayer(cls) if cls is not None else None
        if lay is None:
            return None
        value = getattr(lay, field, None)
        return conv(value) if conv is not None and value is not None else value

    return get


def _int(value: Any) -> int:
    return int(value)


def _rcode(pkt: Any) -> int | None:
    """A DNS response's rcode (a query has none, in Wireshark's tree)."""
    cls = layer_class("dns")
    lay = pkt.getlayer(cls) if cls is not None else None
    if lay is None or not getattr(lay, "qr", 0):
        return None
    return int(lay.rcode)


#: Wireshark names of values that are not one field of one layer under the same name.
ALIASES: dict[str, Getter] = {
    "dns.qry.name": _first("dns", "qd", "qname", strip_dot=True),
    "dns.qry.type": _first("dns", "qd", "qtype"),
    "dns.qry.class": _first("dns", "qd", "qclass"),
    "dns.resp.name": _first("dns", "an", "rrname", strip_dot=True),
    "dns.resp.ttl": _first("dns", "an", "ttl"),
    "dns.flags.response": _field("dns", "qr", bool),
    "dns.flags.rcode": _rcode,
    "dns.count.queries": _field("dns", "qdcount"),
    "dns.count.answers": _field("dns", "ancount"),
    "arp.src.hw_mac": _field("arp", "hwsrc"),
    "arp.dst.hw_mac": _field("arp", "hwdst"),
    "vlan.etype": _field("vlan", "type", _int),
    "udp.checksum": _field("udp", "chksum", _int),
    "tcp.checksum": _field("tcp", "chksum", _int),
    "ip.checksum": _field("ip", "chksum", _int),
    "tcp.urgent_pointer": _field("tcp", "urgptr", _int),
    "ntp.stratum": _field("ntp", "stratum", _int),
}


#: The value kind of each alias: "int", "bool" or "string".
ALIAS_KINDS: dict[str, str] = {
    name: "string"
    if name in ("dns.qry.name", "dns.resp.name", "arp.src.hw_mac", "arp.dst.hw_mac")
    else "bool"
    if name == "dns.flags.response"
    else "int"
    for name in ALIASES
}

_INT_FMT = frozenset("bBhHiIlLqQ")
_TEXT_FIELDS = ("IPField", "IP6Field", "MACField", "SourceIPField", "SourceIP6Field")
_INT_FIELDS = ("BitField", "BitEnumField", "FlagsField", "XBitField", "BitFieldLenField")


def kind(name: str) -> str | None:
    """The kind of the values of column ``name`` ("int", "bool", "string"), or None when the
    values tell (a field of bytes, of options, of sub-packets).

    >>> kind("dns.qry.name"), kind("tcp.window"), kind("arp.psrc"), kind("tcp.options")
    ('string', 'int', 'string', None)
    """
    if name in ALIAS_KINDS:
        return ALIAS_KINDS[name]
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


@functools.cache
def _classes() -> dict[str, type]:
    import paquet.layers  # noqa: F401  # the registry holds the layers once they are imported
    from paquet.packet.registry import layer_classes

    out: dict[str, type] = {}
    for cls in layer_classes():
        out.setdefault(cls.__name__.lower(), cls)
    return out


def layer_class(abbrev: str) -> type | None:
    """The paquet layer class of a Wireshark protocol abbreviation or a class name (any case).

    >>> layer_class("eth").__name__, layer_class("dns").__name__, layer_class("nosuch")
    ('Ether', 'DNS', None)
    """
    name = LAYER_ABBREV.get(abbrev.lower(), abbrev)
    return _classes().get(name.lower())


@functools.cache
def getter(name: str) -> Getter:
    """``get(packet) -> value or None`` for the column ``name`` (UnknownFieldError if none).

    >>> getter("nosuch.field")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    paquet.frame.names.UnknownFieldError: no column 'nosuch.field': not a Wireshark name ...
    """
    alias = ALIASES.get(name)
    if alias is not None:
        return alias
    layer, _, field = name.partition(".")
    cls = layer_class(layer) if field else None
    if cls is None or "." in field or not _has_field(cls, field):
        raise UnknownFieldError(
            f"no column {name!r}: not a Wireshark name paquet knows, nor layer.field of a"
            " paquet layer"
        )
    return _field(layer, field, _plain)


def _has_field(cls: type, field: str) -> bool:
    return any(getattr(f, "name", None) == field for f in getattr(cls, "fields_desc", ()))


def _plain(value: Any) -> Any:
    """A field's value as Arrow takes it: enums and flags as ints, the rest unchanged."""
    if isinstance(value, bool | int | float | str | bytes):
        return int(value) if type(value) is not bool and isinstance(value, int) else value
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)
