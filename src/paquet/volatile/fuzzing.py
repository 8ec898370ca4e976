"""Fuzzing: Scapy's ``fuzz()`` and ``Field.randval()``. (The module is not named ``fuzz``: a
submodule of that name would hide the function in ``from paquet import *``.)

:func:`fuzz` gives every field of a packet left at its default a random value of its kind
(:func:`randval`), drawn again at each build: ``[bytes(fuzz(IP()/UDP())) for _ in range(100)]``
gives a hundred different datagrams. Fields whose default is None (lengths, checksums, the
addresses the host fills) stay computed, and fields the user set or that a binding set (``proto``
under ``UDP``) keep their value, as in Scapy. It works on every layer, those added later
included: the random value depends only on the field's kind (its class, struct format, width
in bits).

Reproducible, which Scapy is not entirely: every draw comes from Python's :mod:`random`, so
``random.seed(n)`` (or :func:`paquet.volatile.seed`) before making and building fuzzed packets
gives the same bytes again.

>>> import random
>>> from paquet.layers import IP, UDP
>>> random.seed(1); a = [bytes(fuzz(IP(dst="192.0.2.1")/UDP())) for _ in range(3)]
>>> random.seed(1); a == [bytes(fuzz(IP(dst="192.0.2.1")/UDP())) for _ in range(3)]
True
>>> len(set(a)), repr(fuzz(IP())), fuzz(IP()).ttl
(3, '<IP  |>', <RandByte>)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paquet.packet.fields import (
    BitField,
    Field,
    IPField,
    ListField,
    MACField,
    StrField,
    StrFixedLenField,
)
from paquet.volatile.base import VolatileValue, fixed_copy, has_volatile
from paquet.volatile.numbers import (
    RandByte,
    RandInt,
    RandLong,
    RandNum,
    RandSByte,
    RandShort,
    RandSInt,
    RandSLong,
    RandSShort,
)
from paquet.volatile.strings import RandBin, RandIP, RandIP6, RandMAC

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["fixed_copy", "fuzz", "has_volatile", "kind_randval", "randval"]

# struct code -> the random number of that width (Scapy's Field.randval).
_BY_FMT: dict[str, Any] = {
    "B": RandByte, "b": RandSByte, "H": RandShort, "h": RandSShort,
    "I": RandInt, "i": RandSInt, "Q": RandLong, "q": RandSLong,
}
# Scapy class names (``type_name()``) of fields whose kind the struct code does not say.
_BY_NAME: dict[str, Any] = {
    "IP6Field": RandIP6,
    "SourceIP6Field": RandIP6,
    "DestIP6Field": RandIP6,
    "LoIntEnumField": RandInt,
    "_PhantomAutoPadField": RandByte,
    # 24-bit integers (their struct code is "3s", not bytes)
    **dict.fromkeys(("ThreeBytesField", "X3BytesField", "LEThreeBytesField", "XLE3BytesField",
                     "OUIField", "ThreeBytesEnumField", "LE3BytesEnumField",
                     "XLE3BytesEnumField"), lambda: RandNum(0, 0xFFFFFF)),
}


# Fields Scapy computes when unset (their Scapy default is None: fuzz leaves them) that paquet
# stores as the value they compute to: the destination of IP and IPv6 (127.0.0.1, ::1).
_COMPUTED: dict[str, frozenset[str]] = {"IP": frozenset({"dst"}), "IPv6": frozenset({"dst"})}


def _computed(cls: type) -> frozenset[str]:
    for c in cls.__mro__:
        names = _COMPUTED.get(c.__name__)
        if names is not None:
            return names
    return frozenset()


def _own_randval(f: Field) -> bool:
    """True when a list of packets has random values of its own (PPPoE's tags)."""
    from paquet.packet.structfields import PacketListField

    return type(f).randval is not PacketListField.randval


def randval(f: Field) -> VolatileValue | None:
    """A random value suited to the field ``f`` (Scapy's ``Field.randval()``), or None for a
    kind that has none (options lists, fields whose layout depends on other fields).

    Integers get a random number of their width (``RandByte`` for a byte, ``RandNum(0,
    2**bits - 1)`` for a bit field, flags included), addresses ``RandIP``, ``RandIP6``,
    ``RandMAC``, fixed-size bytes ``RandBin(size)`` and variable bytes up to 1,200 of them.

    >>> from paquet.packet.fields import BitField, ShortField, IPField
    >>> randval(ShortField("id", 0)), randval(BitField("vlan", 1, 12)).max, randval(
    ...     IPField("src", None))
    (<RandShort>, 4095, <RandIP>)
    """
    from paquet.packet.structfields import ConditionalField

    while isinstance(f, ConditionalField):  # (Scapy's: the random value of the field in it)
        f = f.fld
    if type(f).randval is not Field.randval:  # a kind that knows its own (TCP options...)
        try:
            own: VolatileValue = f.randval()
        except NotImplementedError:
            return None
        return own
    return kind_randval(f)


def kind_randval(f: Field) -> VolatileValue | None:
    """:func:`randval` from the field's kind alone (its struct code, width, class): what
    ``Field.randval()`` gives unless a field class says otherwise."""
    by_name = _BY_NAME.get(f.type_name()) or _BY_NAME.get(type(f).__name__)
    if by_name is not None:
        return by_name()  # type: ignore[no-any-return]
    if isinstance(f, BitField):
        return RandNum(0, (1 << f.bits) - 1)
    if isinstance(f, IPField):
        return RandIP()
    if isinstance(f, MACField):
        return RandMAC()
    if isinstance(f, StrFixedLenField):
        return RandBin(f.length)
    if isinstance(f, ListField):
        return None
    if isinstance(f, StrField):  # (a StrLenField's max_length bounds it, as in Scapy)
        return RandBin(RandNum(0, getattr(f, "max_length", None) or 1200))
    fmt = (f.fmt or "").lstrip("!<>=@")
    if not fmt:
        return None
    if fmt[-1] in _BY_FMT and len(fmt) == 1:
        return _BY_FMT[fmt[-1]]()  # type: ignore[no-any-return]
    if fmt[-1] == "s" and fmt[:-1].isdigit():
        return RandBin(int(fmt[:-1]))
    return None


def _wraps_multiple(f: Field) -> bool:
    """``f`` is a container (``MayEnd``, ``PadField``...) around a ``MultipleTypeField``."""
    from paquet.packet.structfields import MultipleTypeField, _FieldContainer

    inner = f
    while isinstance(inner, _FieldContainer) and not isinstance(inner, MultipleTypeField):
        inner = inner.fld
    return inner is not f and isinstance(inner, MultipleTypeField)


def fuzz(p: Packet, _inplace: int = 0) -> Packet:
    """A copy of ``p`` (``p`` itself with ``_inplace=1``) whose fields left at their default
    hold random values of their kind, drawn again each time the packet is built.

    Fields whose default is None stay computed (lengths, checksums); values the user set or a
    binding set are kept; ``repr`` shows no more than before (Scapy changes the defaults, not
    the fields), ``show()`` shows ``<RandByte>``. Every layer of the packet is fuzzed.

    >>> from paquet.layers import IP, TCP
    >>> f = fuzz(IP(dst="192.0.2.1")/TCP(dport=80))
    >>> f.dst, f[TCP].dport, f.len, f.ttl, f[TCP].seq
    ('192.0.2.1', 80, None, <RandByte>, <RandInt>)
    """
    from paquet.packet.base import _ALL, NOPAYLOAD, payload_of

    q = p if _inplace else p.copy()
    layer = q
    while layer is not NOPAYLOAD:
        d = layer.__dict__
        ex = d["_explicit"]
        if ex is not _ALL:
            ov = d.get("_overloaded") or {}
            computed = _computed(type(layer))
            # The fields of this layer's layout (Scapy's conditional fields whose condition
            # holds): ICMP's echo has no gateway field.
            for f in layer._shown_fields():
                n = f.name
                if f.holds_packets:
                    # A list of packets keeps its items, each fuzzed in turn, even a list the
                    # user gave; a packet in a field is kept as it is (Scapy copies a default
                    # list or packet into the layer's fields, where it hides the random one).
                    held = d[n]
                    if isinstance(held, list):
                        d[n] = [fuzz(x) if hasattr(x, "_explicit") else x for x in held]
                        continue
                    if hasattr(held, "_explicit"):
                        continue
                if f.default is None or (ex and n in ex) or n in ov or n in computed:
                    continue
                if _wraps_multiple(f) or (
                    isinstance(f.default, list | dict | set) and type(f).randval is Field.randval
                ):
                    # Scapy copies a list default into the layer's fields, where it hides the
                    # random value (paquet's lists of options, whose kind draws random
                    # options, are Scapy's strings); a MultipleTypeField inside another
                    # container has no default there.
                    continue
                # A field whose kind depends on the packet: the one its conditions choose.
                pick = getattr(f, "_find_fld_pkt", None)
                rnd = randval(f if pick is None else pick(layer))
                if rnd is not None:
                    d[n] = rnd
        layer = payload_of(layer)
    return q
