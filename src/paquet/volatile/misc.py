"""Times, counters, expressions evaluated at each use and corrupted copies of bytes (Scapy's
``AutoTime``, ``IncrementalValue``, ``DelayedEval``, ``CorruptedBytes``); see
:mod:`paquet.volatile`."""

from __future__ import annotations

import random
import struct
import time
from collections.abc import Callable
from typing import Any

from paquet.volatile.base import VolatileValue, _RandNumeral, _to_bytes

__all__ = [
    "AutoTime", "CorruptedBits", "CorruptedBytes", "DelayedEval", "GeneralizedTime",
    "IncrementalValue", "IntAutoTime", "ZuluTime", "corrupt_bits", "corrupt_bytes",
]

# ---------------------------------------------------------------------------------------------
# Times, counters, expressions


class _AutoTime(_RandNumeral):
    def __init__(self, base: float | None = None, diff: float | None = None) -> None:
        self._base = base
        self._ori_diff = diff
        if diff is not None:
            self.diff = diff
        elif base is None:
            self.diff = 0.0
        else:
            self.diff = time.time() - base

    def _command_args(self) -> str:
        parts = []
        if self._base:
            parts.append(f"base={self._base!r}")
        if self._ori_diff:
            parts.append(f"diff={self._ori_diff!r}")
        return ", ".join(parts)


class AutoTime(_AutoTime):
    """The time now, as a float of seconds (minus ``diff``, or counted from ``base``)."""

    def _fix(self) -> float:
        return time.time() - self.diff


class IntAutoTime(_AutoTime):
    """The time now, as an integer of seconds."""

    def _fix(self) -> int:
        return int(time.time() - self.diff)


class ZuluTime(_AutoTime):
    """The UTC time ``diff`` seconds from now as ``YYMMDDHHMMSSZ`` (ASN.1 UTCTime)."""

    def __init__(self, diff: float = 0) -> None:
        super().__init__(diff=diff)

    def _fix(self) -> str:
        return time.strftime("%y%m%d%H%M%SZ", time.gmtime(time.time() + self.diff))


class GeneralizedTime(_AutoTime):
    """The UTC time ``diff`` seconds from now as ``YYYYMMDDHHMMSSZ`` (ASN.1)."""

    def __init__(self, diff: float = 0) -> None:
        super().__init__(diff=diff)

    def _fix(self) -> str:
        return time.strftime("%Y%m%d%H%M%SZ", time.gmtime(time.time() + self.diff))


class DelayedEval(VolatileValue):
    """The value of the Python expression ``expr``, evaluated at each use (Scapy's).

    ``expr`` is code the program itself gives (as a lambda would be), never input read from
    outside; it sees the modules ``random``, ``time`` and ``struct``. A callable may be given
    instead of a string.

    >>> DelayedEval("3 + 1") == 4, DelayedEval("3 + 1").command()
    (True, "DelayedEval(expr='3 + 1')")
    """

    def __init__(self, expr: str | Callable[[], Any]) -> None:
        self.expr = expr

    def _command_args(self) -> str:
        return f"expr={self.expr!r}"

    def _fix(self) -> Any:
        if callable(self.expr):
            return self.expr()
        namespace = {"random": random, "time": time, "struct": struct}
        return eval(self.expr, namespace)


class IncrementalValue(VolatileValue):
    """``start``, ``start + step``, ... each time it is read; back to ``start`` after
    ``restart``.

    >>> v = IncrementalValue(restart=2)
    >>> [v._fix() for _ in range(4)], v.command()
    ([0, 1, 2, 0], 'IncrementalValue(restart=2)')
    """

    def __init__(self, start: int = 0, step: int = 1, restart: int = -1) -> None:
        self.start = self.val = start
        self.step = step
        self.restart = restart

    def _command_args(self) -> str:
        parts = []
        if self.start:
            parts.append(f"start={self.start!r}")
        if self.step != 1:
            parts.append(f"step={self.step!r}")
        if self.restart != -1:
            parts.append(f"restart={self.restart!r}")
        return ", ".join(parts)

    def _fix(self) -> int:
        v = self.val
        self.val = self.start if self.val == self.restart else self.val + self.step
        return v

    def __int__(self) -> int:
        return int(self._fix())

    __index__ = __int__


# ---------------------------------------------------------------------------------------------
# Corrupted copies


def corrupt_bytes(data: bytes | str, p: float = 0.01, n: int | None = None) -> bytes:
    """A copy of ``data`` with ``n`` bytes changed (by default a fraction ``p`` of them, at
    least one), each to a different value (Scapy's ``corrupt_bytes``).

    >>> out = corrupt_bytes(b"ABCDE", n=2)
    >>> len(out), sum(a != b for a, b in zip(out, b"ABCDE"))
    (5, 2)
    """
    s = bytearray(_to_bytes(data))
    if n is None:
        n = max(1, int(len(s) * p))
    for i in random.sample(range(len(s)), n):
        s[i] = (s[i] + random.randint(1, 255)) % 256
    return bytes(s)


def corrupt_bits(data: bytes | str, p: float = 0.01, n: int | None = None) -> bytes:
    """A copy of ``data`` with ``n`` bits flipped (by default a fraction ``p`` of them, at
    least one: Scapy's ``corrupt_bits``).

    >>> out = corrupt_bits(b"ABCDE", n=3)
    >>> sum(bin(a ^ b).count("1") for a, b in zip(out, b"ABCDE"))
    3
    """
    s = bytearray(_to_bytes(data))
    if n is None:
        n = max(1, int(len(s) * 8 * p))
    for i in random.sample(range(len(s) * 8), n):
        s[i // 8] ^= 1 << (i % 8)
    return bytes(s)


class CorruptedBytes(VolatileValue):
    """``s`` with some bytes changed, differently at each use (see :func:`corrupt_bytes`)."""

    def __init__(self, s: bytes | str, p: float = 0.01, n: int | None = None) -> None:
        self.s = s
        self.p = p
        self.n = n

    def _command_args(self) -> str:
        parts = [f"s={self.s!r}"]
        if self.p != 0.01:
            parts.append(f"p={self.p!r}")
        if self.n:
            parts.append(f"n={self.n!r}")
        return ", ".join(parts)

    def _fix(self) -> bytes:
        return corrupt_bytes(self.s, self.p, self.n)


class CorruptedBits(CorruptedBytes):
    """``s`` with some bits flipped, differently at each use (see :func:`corrupt_bits`)."""

    def _fix(self) -> bytes:
        return corrupt_bits(self.s, self.p, self.n)
