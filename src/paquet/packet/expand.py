"""A packet that stands for several: fields given a list, a range ``(lo, hi)`` or a network.

``for p in IP(dst="192.0.2.0/30", ttl=(1, 3))`` makes one packet per combination, one at a time;
``expansion_count()`` counts them without making them. These are :class:`Packet`'s methods,
written here as functions of the layer and set in its class body (``base.py`` imports this
module; the build hook of the random values is read from :mod:`paquet.packet.kinds`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from paquet.packet import kinds as _kinds
from paquet.packet.addrfields import IPField
from paquet.packet.fields import Field, FieldError
from paquet.packet.values import value_count

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["first_value"]


def _expansions(self: Packet) -> list[tuple[str, Sequence[Any]]]:
    d = self.__dict__
    out = []
    for f in self._fields:
        if f.islist:
            continue
        v = d[f.name]
        values = self._expand_value(f, v)
        if values is not None:
            out.append((f.name, values))
    return out


def _expand_value(self: Packet, f: Field, v: Any) -> Sequence[Any] | None:
    """The values a field holding several stands for (a list, a range ``(lo, hi)``, a
    network), as a sequence that makes them when asked (None: a single value)."""
    if isinstance(v, list):
        if any(_is_range(x) for x in v):  # IP(ttl=[1, 2, (5, 9)]): the ranges inside, as Scapy
            return [y for x in v for y in (range(x[0], x[1] + 1) if _is_range(x) else (x,))]
        return v
    if isinstance(v, tuple) and len(v) == 2:
        if all(isinstance(x, int) for x in v):
            return range(v[0], v[1] + 1)  # empty when lo > hi, as in Scapy
        if isinstance(f, IPField) and all(isinstance(x, str) for x in v):
            return _net(f, "Net", *v)  # ("192.0.2.1", "192.0.2.9"): the range, as Scapy
    if isinstance(f, IPField) and isinstance(v, str) and "/" in v:
        return _net(f, "Net", v)  # made one address at a time (0.0.0.0/0 streams)
    from paquet.generators import Gen

    if isinstance(v, Gen):
        return v if isinstance(v, Sequence) else list(v)
    return None


def _is_range(x: Any) -> bool:
    return isinstance(x, tuple) and len(x) == 2 and all(type(y) is int for y in x)


def _net(f: Field, kind: str, *spec: str) -> Sequence[str]:
    """The addresses of a network, or from ``lo`` to ``hi`` (a :class:`paquet.generators.Net`
    or ``Net6``, lazy)."""
    from paquet import generators
    from paquet.errors import AddressError

    try:
        net: Sequence[str] = getattr(generators, kind)(*spec)
    except (AddressError, OSError, ValueError) as exc:
        raise FieldError(f"{f.name}: {exc}") from None
    return net


def first_value(layer: Packet, name: str) -> Any:
    """The first of the values field ``name`` stands for (the value itself when it holds one):
    what Scapy uses where one value is needed, as the route towards ``IP(dst=[a, b])``.
    A field that stands for no value (an empty list or range) gives None."""
    f = next(f for f in layer._fields if f.name == name)
    v = layer.__dict__[name]
    values = layer._expand_value(f, v)
    if values is None:
        return v
    return next(iter(values), None)


def iterate(self: Packet) -> Iterator[Packet]:
    """One packet per combination of the values given as lists, ranges or networks, made
    one at a time (``IP(dst="0.0.0.0/0")`` streams); none when one of them is empty.

    Random values are drawn in each packet made, as Scapy's iteration does: what ``sr()``
    sends is what it matches the answers against (``UDP(sport=RandShort())``)."""
    layers = list(self.iterlayers())
    axes: list[tuple[int, str, Sequence[Any]]] = [
        (i, n, vals) for i, layer in enumerate(layers) for n, vals in layer._expansions()
    ]
    if not axes:
        yield _drawn(self.copy())
        return
    for combo in _lazy_product([vals for _, _, vals in axes]):
        pkt = self.copy()
        ls_ = list(pkt.iterlayers())
        for (i, n, _), v in zip(axes, combo, strict=True):
            ls_[i].__dict__[n] = v
        yield _drawn(pkt)


def _drawn(pkt: Packet) -> Packet:
    """``pkt`` with its random values drawn (a copy), or ``pkt`` when it holds none."""
    hook = _kinds.build_hook
    if hook is not None and (fixed := hook(pkt)) is not None:
        return fixed
    return pkt


def expansion_count(self: Packet) -> int:
    """How many packets iterating this one gives (1 when no field holds several values),
    counted without making them: ``IP(dst="192.0.2.0/24", ttl=(1, 3)).expansion_count()``
    is 768."""
    total = 1
    for layer in self.iterlayers():
        for _, vals in layer._expansions():
            size = getattr(vals, "size", None)  # a huge Net6 cannot say its len()
            total *= size if isinstance(size, int) else value_count(vals)
    return total


def _lazy_product(axes: list[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """itertools.product without a tuple of each axis first (an axis may be 2**32 long)."""
    if len(axes) == 1:
        for v in axes[0]:
            yield (v,)
        return
    for v in axes[0]:
        for rest in _lazy_product(axes[1:]):
            yield (v, *rest)
