"""Random numbers: integers of each width, distributions, enumerations without repetition,
choices and pools (Scapy's ``RandNum`` family); see :mod:`paquet.volatile`."""

from __future__ import annotations

import random
import struct
from typing import Any

from paquet.volatile.base import RandField, RandomEnumeration, VolatileValue, _RandNumeral

_ALL_BYTES = bytes(range(256))

__all__ = [
    "RandBinFloat", "RandByte", "RandChoice", "RandEnum", "RandEnumByte", "RandEnumInt",
    "RandEnumKeys", "RandEnumLong", "RandEnumSByte", "RandEnumSInt", "RandEnumSLong",
    "RandEnumSShort", "RandEnumShort", "RandFloat", "RandInt", "RandLong", "RandNum",
    "RandNumExpo", "RandNumGamma", "RandNumGauss", "RandPool", "RandSByte", "RandSInt",
    "RandSLong", "RandSShort", "RandShort",
]

# ---------------------------------------------------------------------------------------------
# Numbers


class RandNum(_RandNumeral):
    """An integer from ``min`` to ``max`` included.

    >>> all(3 <= RandNum(3, 5)._fix() <= 5 for _ in range(50)), RandNum(3, 5).command()
    (True, 'RandNum(min=3, max=5)')
    """

    min = 0
    max = 0

    def __init__(self, min: int, max: int) -> None:
        self.min = min
        self.max = max

    def _command_args(self) -> str:
        if type(self) is RandNum:
            return f"min={self.min!r}, max={self.max!r}"
        return ""

    def _fix(self) -> Any:
        return random.randrange(self.min, self.max + 1)

    def __lshift__(self, other: int) -> int:
        return int(self._fix()) << other

    def __rshift__(self, other: int) -> int:
        return int(self._fix()) >> other

    def __and__(self, other: int) -> int:
        return int(self._fix()) & other

    def __rand__(self, other: int) -> int:
        return other & int(self._fix())

    def __or__(self, other: int) -> int:
        return int(self._fix()) | other

    def __ror__(self, other: int) -> int:
        return other | int(self._fix())


class RandFloat(_RandNumeral):
    """A float from ``min`` to ``max`` (``random.uniform``)."""

    def __init__(self, min: float, max: float) -> None:
        self.min = min
        self.max = max

    def _fix(self) -> float:
        return random.uniform(self.min, self.max)


class RandBinFloat(RandFloat):
    """A float made of 4 random bytes (any IEEE 754 single, NaN and infinities included)."""

    def _fix(self) -> float:
        raw = bytes([random.choice(_ALL_BYTES) for _ in range(4)])  # as RandBin(4) draws them
        value: float = struct.unpack("!f", raw)[0]
        return value


class RandNumGamma(RandNum):
    """An integer from a gamma distribution (``random.gammavariate``), rounded."""

    def __init__(self, alpha: float, beta: float) -> None:
        self.alpha = alpha
        self.beta = beta

    def _command_args(self) -> str:
        return f"alpha={self.alpha!r}, beta={self.beta!r}"

    def _fix(self) -> int:
        return round(random.gammavariate(self.alpha, self.beta))


class RandNumGauss(RandNum):
    """An integer from a normal distribution (``random.gauss``), rounded."""

    def __init__(self, mu: float, sigma: float) -> None:
        self.mu = mu
        self.sigma = sigma

    def _command_args(self) -> str:
        return f"mu={self.mu!r}, sigma={self.sigma!r}"

    def _fix(self) -> int:
        return round(random.gauss(self.mu, self.sigma))


class RandNumExpo(RandNum):
    """``base`` plus an integer from an exponential distribution of rate ``lambd`` (mean
    ``1/lambd``): the usual size of :class:`RandString` and :class:`RandBin`."""

    def __init__(self, lambd: float, base: int = 0) -> None:
        self.lambd = lambd
        self.base = base

    def _command_args(self) -> str:
        text = f"lambd={self.lambd!r}"
        if self.base != 0:
            text += f", base={self.base!r}"
        return text

    def _fix(self) -> int:
        return self.base + round(random.expovariate(self.lambd))


class RandEnum(RandNum):
    """The integers ``min`` to ``max`` drawn without repetition (a :class:`RandomEnumeration`
    that starts again when all were drawn).

    >>> e = RandEnum(1, 5, seed=9)
    >>> sorted(e._fix() for _ in range(5))
    [1, 2, 3, 4, 5]
    """

    def __init__(self, min: int, max: int, seed: int | None = None) -> None:
        self._seed = seed
        self.seq = RandomEnumeration(min, max, seed)
        super().__init__(min, max)

    def _command_args(self) -> str:
        text = f"min={self.min!r}, max={self.max!r}"
        if self._seed:
            text += f", seed={self._seed!r}"
        return text

    def _fix(self) -> Any:
        return next(self.seq)


def _number_class(name: str, base: type[RandNum], lo: int, hi: int, doc: str) -> type[Any]:
    """A subclass of ``base`` drawing from ``lo`` to ``hi``, with no argument (RandByte...)."""

    def __init__(self: Any) -> None:
        base.__init__(self, lo, hi)

    return type(name, (base,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


def _numbers(prefix: str, base: type[RandNum]) -> dict[str, type[Any]]:
    sizes = {"Byte": 8, "Short": 16, "Int": 32, "Long": 64}
    out = {}
    for word, bits in sizes.items():
        out[f"{prefix}{word}"] = _number_class(
            f"{prefix}{word}", base, 0, (1 << bits) - 1, f"An unsigned {bits}-bit integer."
        )
        out[f"{prefix}S{word}"] = _number_class(
            f"{prefix}S{word}", base, -(1 << (bits - 1)), (1 << (bits - 1)) - 1,
            f"A signed {bits}-bit integer.",
        )
    return out


_N = _numbers("Rand", RandNum)
RandByte = _N["RandByte"]
RandSByte = _N["RandSByte"]
RandShort = _N["RandShort"]
RandSShort = _N["RandSShort"]
RandInt = _N["RandInt"]
RandSInt = _N["RandSInt"]
RandLong = _N["RandLong"]
RandSLong = _N["RandSLong"]
_E = _numbers("RandEnum", RandEnum)
RandEnumByte = _E["RandEnumByte"]
RandEnumSByte = _E["RandEnumSByte"]
RandEnumShort = _E["RandEnumShort"]
RandEnumSShort = _E["RandEnumSShort"]
RandEnumInt = _E["RandEnumInt"]
RandEnumSInt = _E["RandEnumSInt"]
RandEnumLong = _E["RandEnumLong"]
RandEnumSLong = _E["RandEnumSLong"]


class RandEnumKeys(RandEnum):
    """A key of ``enum`` (a dict or a list), each drawn once per round.

    >>> keys = RandEnumKeys({"a": 1, "b": 2}, seed=3)
    >>> sorted(keys._fix() for _ in range(2))
    ['a', 'b']
    """

    def __init__(self, enum: Any, seed: int | None = None) -> None:
        self.enum = list(enum)
        super().__init__(0, len(self.enum) - 1, seed)

    def _command_args(self) -> str:
        text = f"enum={self.enum!r}"
        if self._seed:
            text += f", seed={self._seed!r}"
        return text

    def _fix(self) -> Any:
        return self.enum[next(self.seq)]


class RandChoice(RandField):
    """One of the values given, drawn with ``random.choice``.

    >>> RandChoice(1, 2, 3)._fix() in (1, 2, 3), RandChoice("a", "b").command()
    (True, "RandChoice('a', 'b')")
    """

    def __init__(self, *args: Any) -> None:
        if not args:
            raise TypeError("RandChoice needs at least one choice")
        self._choice = list(args)

    def _command_args(self) -> str:
        return ", ".join(repr(c) for c in self._choice)

    def _fix(self) -> Any:
        return random.choice(self._choice)


class RandPool(RandField):
    """A value from one of the volatile values given, each given alone or as ``(value,
    weight)``: the weights are how often each is chosen."""

    def __init__(self, *args: Any) -> None:
        self._args = args
        pool: list[VolatileValue] = []
        for p in args:
            weight = 1
            if isinstance(p, tuple):
                p, weight = p
            pool += [p] * weight
        self._pool = pool

    def _command_args(self) -> str:
        parts = []
        for p in self._args:
            if isinstance(p, tuple):
                parts.append(f"({p[0].command()}, {p[1]!r})")
            else:
                parts.append(p.command())
        return ", ".join(parts)

    def _fix(self) -> Any:
        return random.choice(self._pool)._fix()

