"""Values users type for a field, checked and expanded: widths (:func:`check_width`, which
packet expressions use), networks as lazy sequences of addresses (:class:`Addresses`), and
how many values an expansion holds (:func:`value_count`). Re-exported by
:mod:`paquet.packet.fields`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Sequence
from typing import Any, overload

from paquet.packet.fields import BitField, Field, FieldError  # noqa: F401 (the doctests)

__all__ = ["Addresses", "check_width", "field_bits", "value_count"]


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
