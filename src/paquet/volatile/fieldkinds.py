"""The random value of a field's kind: what ``Field.randval()`` gives unless a field class says
otherwise, and what :func:`paquet.volatile.fuzzing.fuzz` puts in a field.

The kind is read from the field alone: its Scapy class name (``type_name()``), the kind its class
declares (``random_kind``: ``"bits"``, ``"ip"``, ``"mac"``, ``"fixed"``, ``"list"``,
``"bytes"``, set in the class bodies of ``BitField``, ``IPField``, ``MACField``,
``StrFixedLenField``, ``ListField``, ``StrField``, inherited by their subclasses) and its struct
code. This module knows no field class: the packet engine's fields ask it (``Field.randval``)
and it imports nothing of the engine, so that neither imports the other back.

>>> from paquet.packet.fields import BitField, ShortField
>>> from paquet.packet.addrfields import IPField
>>> kind_randval(ShortField("id", 0)), kind_randval(BitField("vlan", 1, 12)).max, kind_randval(
...     IPField("src", None))
(<RandShort>, 4095, <RandIP>)
"""

from __future__ import annotations

from typing import Any

from paquet.volatile.base import VolatileValue
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

__all__ = ["kind_randval"]

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


def kind_randval(f: Any) -> VolatileValue | None:
    """A random value of the kind of the field ``f`` (its Scapy class name, the kind its class
    declares, its struct code), or None for a kind that has none (lists)."""
    by_name = _BY_NAME.get(f.type_name()) or _BY_NAME.get(type(f).__name__)
    if by_name is not None:
        return by_name()  # type: ignore[no-any-return]
    kind = getattr(type(f), "random_kind", None)
    if kind == "bits":
        return RandNum(0, (1 << f.bits) - 1)
    if kind == "ip":
        return RandIP()
    if kind == "mac":
        return RandMAC()
    if kind == "fixed":
        return RandBin(f.length)
    if kind == "list":
        return None
    if kind == "bytes":  # (a StrLenField's max_length bounds it, as in Scapy)
        return RandBin(RandNum(0, getattr(f, "max_length", None) or 1200))
    fmt = (f.fmt or "").lstrip("!<>=@")
    if not fmt:
        return None
    if fmt[-1] in _BY_FMT and len(fmt) == 1:
        return _BY_FMT[fmt[-1]]()  # type: ignore[no-any-return]
    if fmt[-1] == "s" and fmt[:-1].isdigit():
        return RandBin(int(fmt[:-1]))
    return None
