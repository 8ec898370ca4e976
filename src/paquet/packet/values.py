"""Values users type for a field, checked and expanded: widths (:func:`check_width`, which
packet expressions use) and how many values an expansion holds (:func:`value_count`; networks
are :class:`paquet.generators.Net`, lazy sequences of addresses). Re-exported by
:mod:`paquet.packet.fields`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paquet.packet.fields import BitField, Field, FieldError  # noqa: F401 (the doctests)

__all__ = ["check_width", "field_bits", "value_count"]


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


def value_count(values: Sequence[Any]) -> int:
    """How many values a field's expansion holds, without making them (a range of huge
    numbers, the addresses of a large network included)."""
    if isinstance(values, range):
        return max(0, (values.stop - values.start + values.step - 1) // values.step)
    size = getattr(values, "size", None)  # a Net: len() cannot say past sys.maxsize
    return size if isinstance(size, int) else len(values)
