"""The base of the random values (:class:`VolatileValue`) and Scapy's random permutation
(:class:`RandomEnumeration`); see :mod:`paquet.volatile`."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = [
    "RandField",
    "RandomEnumeration",
    "VolatileValue",
    "class_default",
    "fixed_copy",
    "has_volatile",
]

# The packet engine checks this hook at each top-level build (one global lookup); it is
# installed the first time a volatile value is made, so a program that makes none pays
# nothing else.
_installed = [False]


def _install_build_hook() -> None:
    from paquet.packet import kinds  # the engine, told once (kinds imports nothing of it)

    kinds.set_build_hook(fixed_copy)
    _installed[0] = True


def class_default(make: Any, *args: Any, **kwargs: Any) -> Any:
    """``make(*args, **kwargs)``, a random value made as a field's default when a layer's
    module is imported (SNMP's ``IntAutoTime`` uptime), without installing the build hook:
    importing the layers costs nothing to the programs that make no random value."""
    was = _installed[0]
    value = make(*args, **kwargs)
    if not was:
        from paquet.packet import kinds

        kinds.set_build_hook(None)
        _installed[0] = False
    return value


def _to_bytes(x: Any) -> bytes:
    """Scapy's ``bytes_encode``: text as UTF-8, anything else through ``bytes()``."""
    if isinstance(x, str):
        return x.encode()
    return bytes(x)


# ---------------------------------------------------------------------------------------------
# Sequences without repetition


class RandomEnumeration:
    """The integers ``inf`` to ``sup`` in a random order, each once per round.

    A small Feistel network over the next power of two permutes the integers (the values
    outside the interval are skipped), keyed from ``random.Random(seed)``: Scapy's algorithm,
    so a seed gives Scapy's order. ``forever`` starts a new round when one ends (with new
    keys if ``renewkeys``); otherwise the iteration stops.

    >>> list(RandomEnumeration(0, 7, seed=1, forever=False)) == sorted(
    ...     RandomEnumeration(0, 7, seed=1, forever=False)) or True
    True
    >>> sorted(RandomEnumeration(10, 14, seed=3, forever=False))
    [10, 11, 12, 13, 14]
    """

    def __init__(
        self, inf: int, sup: int, seed: int | None = None, forever: int = 1, renewkeys: int = 0
    ) -> None:
        self.forever = forever
        self.renewkeys = renewkeys
        self.inf = inf
        self.rnd = random.Random(random.getrandbits(64) if seed is None else seed)
        self.sbox_size = 256
        self.top = sup - inf + 1
        self.n = max(0, (self.top - 1).bit_length()) if self.top > 0 else 0
        self.fs = min(3, (self.n + 1) // 2)
        self.fsmask = (1 << self.fs) - 1
        self.rounds = max(self.n, 3)
        self.turns = 0
        self.i = 0
        self.cnt_key = 0
        self.sbox: list[int] = []

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        size = 1 << self.n
        while True:
            if self.turns == 0 or (self.i == 0 and self.renewkeys):
                self.cnt_key = self.rnd.randint(0, size - 1)
                self.sbox = [self.rnd.randint(0, self.fsmask) for _ in range(self.sbox_size)]
            self.turns += 1
            while self.i < size:
                ct = self.i ^ self.cnt_key
                self.i += 1
                for _ in range(self.rounds):
                    low = ct & self.fsmask
                    ct >>= self.fs
                    low ^= self.sbox[ct % self.sbox_size]
                    ct |= low << (self.n - self.fs)
                if ct < self.top:
                    return self.inf + ct
            self.i = 0
            if not self.forever:
                raise StopIteration

    next = __next__


# ---------------------------------------------------------------------------------------------
# The base class


class VolatileValue:
    """A value drawn again each time it is used; :meth:`_fix` draws one.

    ``str()``, ``bytes()``, ``len()``, ``==`` and the attributes of the drawn value all draw
    a new one (as in Scapy); ``repr`` is the class name in angle brackets, ``command()`` the
    expression that makes the same kind of value.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> VolatileValue:
        if not _installed[0]:
            _install_build_hook()
        return super().__new__(cls)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _command_args(self) -> str:
        return ""

    def command(self, json: bool = False) -> Any:
        """``RandIP(iptemplate='192.0.2.0/24')``: the expression that makes this value
        (with ``json=True``, ``{"type": ..., "value": ...}``)."""
        if json:
            return {"type": type(self).__name__, "value": self._command_args()}
        return f"{type(self).__name__}({self._command_args()})"

    def _fix(self) -> Any:
        """A new value (the base class draws None)."""
        return None

    def __eq__(self, other: object) -> bool:
        x = self._fix()
        y = other._fix() if isinstance(other, VolatileValue) else other
        if not isinstance(x, type(y)):
            return False
        return bool(x == y)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, attr: str) -> Any:
        # The drawn value's attributes; never Python's special names (copy, pickle and
        # hasattr probes would otherwise draw values, and change a seeded sequence).
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._fix(), attr)

    def __str__(self) -> str:
        return str(self._fix())

    def __bytes__(self) -> bytes:
        return _to_bytes(self._fix())

    def __len__(self) -> int:
        return len(self._fix())

    def copy(self) -> Any:
        """A shallow copy (Scapy's ``copy``)."""
        import copy

        return copy.copy(self)


class RandField(VolatileValue):
    """The base of the random values a field can hold."""


class _RandNumeral(RandField):
    """A random number: ``int()``, arithmetic and comparisons draw a value."""

    def __int__(self) -> int:
        return int(self._fix())

    def __index__(self) -> int:
        return int(self)

    def __float__(self) -> float:
        return float(self._fix())

    def __bool__(self) -> bool:
        return bool(self._fix())

    def __add__(self, other: Any) -> Any:
        return self._fix() + other

    def __radd__(self, other: Any) -> Any:
        return other + self._fix()

    def __sub__(self, other: Any) -> Any:
        return self._fix() - other

    def __rsub__(self, other: Any) -> Any:
        return other - self._fix()

    def __mul__(self, other: Any) -> Any:
        return self._fix() * other

    def __rmul__(self, other: Any) -> Any:
        return other * self._fix()

    def __truediv__(self, other: Any) -> Any:
        return self._fix() / other

    def __floordiv__(self, other: Any) -> Any:
        return self._fix() // other

    def __lt__(self, other: Any) -> bool:
        return bool(self._fix() < other)

    def __le__(self, other: Any) -> bool:
        return bool(self._fix() <= other)

    def __gt__(self, other: Any) -> bool:
        return bool(self._fix() > other)

    def __ge__(self, other: Any) -> bool:
        return bool(self._fix() >= other)


# ---------------------------------------------------------------------------------------------
# Packets holding random values (the engine calls fixed_copy through its hook)


def has_volatile(pkt: Packet) -> bool:
    """True when a layer of ``pkt``, or a packet one of its fields holds, holds a volatile
    value in a field.

    Layers still to be dissected (bytes) hold none: the walk stops there.
    """
    vt = VolatileValue
    layer: Any = pkt
    while layer is not None:
        d = layer.__dict__
        for v in d.values():
            if isinstance(v, vt):
                return True
        for n in getattr(layer, "_pktfields", ()):  # the packets its fields hold (fuzzed too)
            if any(has_volatile(p) for p in _held(d.get(n))):
                return True
        layer = d.get("payload")  # NOPAYLOAD's dict has no payload: the walk ends there too
    return False


def _held(value: Any) -> list[Any]:
    """The packets a field's value is or holds."""
    items = value if isinstance(value, list) else [value]
    return [p for p in items if hasattr(p, "_explicit") and hasattr(p, "__dict__")]


def _draw(value: VolatileValue) -> Any:
    v = value._fix()
    for _ in range(100):  # a volatile value that draws volatile values: draw those too
        if not isinstance(v, VolatileValue):
            return v
        v = v._fix()
    raise TypeError(f"{value!r} keeps drawing volatile values")


def fixed_copy(pkt: Packet) -> Packet | None:
    """A copy of ``pkt`` with a value drawn for each volatile field (converted as a value the
    user sets), or None when ``pkt`` holds none: what the engine builds.

    The values are drawn in Scapy's order, so that after the same ``random.seed(n)`` both
    build the same bytes. Scapy iterates the packet first: in each layer, from the first to
    the last, it goes through the fields left at a random default then those the user set
    (in the order they were set), from the last to the first, drawing at once a packet the
    user put in a field that holds one packet (its values in this same order); then, from the
    last layer to the first, it draws each layer's own values in that order. Building comes
    next: each layer, first to last, draws the packets its fields hold, in field order (a
    list's items in turn, each in this whole order), those already drawn while iterating
    drawing only what building them draws. (A generated constructor records its keywords in
    the order of the field table: Scapy records them as written.)
    """
    if not has_volatile(pkt):
        return None
    new = pkt.copy()  # the packets fields hold are copied too: drawn in place below
    iterated: set[int] = set()
    _draw_iterating(new, iterated)
    _draw_building(new, iterated)
    return new


def _chain(pkt: Any) -> list[Any]:
    layers: list[Any] = []
    layer: Any = pkt
    while layer is not None:
        layers.append(layer)
        layer = layer.__dict__.get("payload")
    return layers


def _draw_iterating(pkt: Any, iterated: set[int]) -> None:
    """The values Scapy's ``iter(pkt)`` draws, in its order (see :func:`fixed_copy`)."""
    vt = VolatileValue
    layers = _chain(pkt)
    owns: list[tuple[Any, list[str]]] = []
    for layer in layers:
        d = layer.__dict__
        ex = d["_explicit"]
        todo = [n for n in layer._names if isinstance(d[n], vt) and not (ex and n in ex)]
        if ex:
            todo += [n for n in ex if n in d]
        pf = layer._pktfields
        if pf:  # a packet (not a list of them) is iterated in turn (Scapy's Gen)
            for n in reversed(todo):
                held = d[n]
                if n in pf and hasattr(held, "_pktfields"):
                    _draw_iterating(held, iterated)
                    iterated.add(id(held))
        owns.append((layer, [n for n in todo if isinstance(d[n], vt)]))
    for layer, names in reversed(owns):
        d = layer.__dict__
        conv = layer._conv
        for n in reversed(names):
            v = _draw(d[n])
            c = conv.get(n)
            if c is not None and v is not None and type(v) is not int:
                v = c(v)
            d[n] = v


def _draw_building(pkt: Any, iterated: set[int]) -> None:
    """The values building ``pkt`` draws once it is iterated: those of the packets its
    layers' fields hold, first layer first, fields in order."""
    for layer in _chain(pkt):
        d = layer.__dict__
        for n in layer._pktfields:
            held = d.get(n)
            for x in held if isinstance(held, list) else (held,):
                if not hasattr(x, "_pktfields"):
                    continue
                if id(x) not in iterated:
                    _draw_iterating(x, iterated)
                _draw_building(x, iterated)
