"""Times, counters, expressions evaluated at each use and corrupted copies of bytes (Scapy's
``AutoTime``, ``IncrementalValue``, ``DelayedEval``, ``CorruptedBytes``); see
:mod:`paquet.volatile`."""

from __future__ import annotations

import random
import re
import struct
import time
import uuid
from collections.abc import Callable
from typing import Any

from paquet.volatile.base import VolatileValue, _RandNumeral, _to_bytes

__all__ = [
    "AutoTime", "CorruptedBits", "CorruptedBytes", "DelayedEval", "GeneralizedTime",
    "IncrementalValue", "IntAutoTime", "RandUUID", "ZuluTime", "corrupt_bits", "corrupt_bytes",
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


# ---------------------------------------------------------------------------------------------
# UUIDs

_UUID_PART = r"([0-9a-f]{%d}|\*|[0-9a-f]{%d}:[0-9a-f]{%d})"
_UUID_TEMPLATE = re.compile(
    "^" + _UUID_PART % (8, 8, 8) + "-?" + _UUID_PART % (4, 4, 4) + "-?" + _UUID_PART % (4, 4, 4)
    + "-?" + _UUID_PART % (2, 2, 2) * 2 + "-?" + _UUID_PART % (2, 2, 2) * 6 + "$",
    re.IGNORECASE,
)


class RandUUID(VolatileValue):
    """A random UUID (Scapy's): version 4 by default; 1 (``node``, ``clock_seq``), 3 and 5
    (``namespace`` and ``name``) through :mod:`uuid`; or a ``template`` whose parts (the
    eleven groups of ``8-4-4-22-222222`` hexadecimal digits) are each fixed, ``*`` or a range
    ``lo:hi``, which cannot be mixed with the other arguments.

    Version 4 is drawn from :mod:`random` (Scapy's from the system), so a seed replays it.

    >>> RandUUID("01234567-89ab-cdef-01*-0123456789ab")._fix().hex[:18]
    '0123456789abcdef01'
    >>> RandUUID()._fix().version, RandUUID(version=4).command()
    (4, 'RandUUID(version=4)')
    """

    VERSIONS = (1, 3, 4, 5)

    def __init__(
        self,
        template: str | None = None,
        node: int | None = None,
        clock_seq: int | None = None,
        namespace: uuid.UUID | None = None,
        name: str | None = None,
        version: int | None = None,
    ) -> None:
        self._template = template
        self._ori_version = version
        self.uuid_template: tuple[Any, ...] | None = None
        self.node, self.clock_seq, self.namespace, self.name = node, clock_seq, namespace, name
        self.version: int | None = None
        if template:
            if node or clock_seq or namespace or name or version:
                raise ValueError("UUID template must be the only parameter, if specified")
            m = _UUID_TEMPLATE.match(template)
            if m is None:
                raise ValueError(f"UUID template is invalid: {template!r}")
            from paquet.volatile.numbers import RandByte, RandInt, RandNum, RandShort

            makers = [RandInt, RandShort, RandShort] + [RandByte] * 8
            parts: list[Any] = []
            for make, part in zip(makers, m.groups(), strict=True):
                if part == "*":
                    parts.append(make())
                elif ":" in part:
                    lo, hi = part.split(":")
                    parts.append(RandNum(int(lo, 16), int(hi, 16)))
                else:
                    parts.append(int(part, 16))
            self.uuid_template = tuple(parts)
            return
        if version:
            if version not in self.VERSIONS:
                raise ValueError(f"UUID version {version!r} is not supported (1, 3, 4 or 5)")
            self.version = version
        elif node or clock_seq:
            self.version = 1
        elif namespace and name:
            self.version = 5
        else:
            self.version = 4
        if self.version == 1 and (namespace or name):
            raise ValueError("namespace and name may not be used with version 1")
        if self.version in (3, 5) and (node or clock_seq):
            raise ValueError(f"node and clock_seq may not be used with version {self.version}")
        if self.version == 4 and (namespace or name or node or clock_seq):
            raise ValueError("version 4 takes no node, clock_seq, namespace or name")

    def _command_args(self) -> str:
        parts = []
        for key, value in (("template", self._template), ("node", self.node),
                           ("clock_seq", self.clock_seq), ("namespace", self.namespace),
                           ("name", self.name), ("version", self._ori_version)):
            if value:
                parts.append(f"{key}={value!r}")
        return ", ".join(parts)

    def _fix(self) -> uuid.UUID:
        if self.uuid_template:
            values = [int(v) for v in self.uuid_template]
            return uuid.UUID(("%08x%04x%04x" + "%02x" * 8) % tuple(values))
        if self.version == 1:
            return uuid.uuid1(self.node, self.clock_seq)
        if self.version in (3, 5):
            if not self.namespace or not self.name:
                raise ValueError("Missing namespace or name")
            make = uuid.uuid3 if self.version == 3 else uuid.uuid5
            return make(self.namespace, self.name)
        return uuid.UUID(int=random.getrandbits(128), version=4)
