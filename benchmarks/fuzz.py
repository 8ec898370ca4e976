"""Fuzz every layer class of the registry: nothing lost, nothing raised (issue 13).

For each class that ``paquet.packet.registry.layer_classes()`` lists (so a layer added later
is covered without editing this file), hostile inputs of four kinds:

- random bytes (short, and up to a few hundred bytes);
- every truncation of a valid header of that class (built by paquet, with and without a
  payload);
- bit flips and byte changes in those valid headers;
- length-maximised headers: each fixed field of the header set to all ones, or all zeros
  (lengths, offsets and counts pointing far past the end, or at nothing).

Each input must dissect without an exception and build back to itself exactly
(``bytes(C(data)) == data``), and ``repr``, ``show``, ``summary``, ``len``, ``copy`` and ``==``
must work on the result. Where a class has a C quick parser, the C and the Python parsers
must give the same dict (the Python one is the specification).

Usage: ``python benchmarks/fuzz.py [--count N] [--seed S] [--class NAME ...]`` (20,000 inputs
per class by default). Prints the count and the rate per class; exits 1 on any failure,
printing the first few (class, input in hex, what went wrong). The suite runs the same code
with a few thousand inputs per class (tests/layers/test_fuzz_registry.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from paquet.layers import Raw
from paquet.packet.base import Packet
from paquet.packet.registry import layer_classes


@dataclass
class Report:
    """What a fuzz run found for one class."""

    cls: type[Packet]
    inputs: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (input hex, problem)


def valid_seeds(cls: type[Packet]) -> list[bytes]:
    """Valid bytes of ``cls``: its default header alone and with a 24-byte payload (those
    that build; a class that cannot build alone gives none)."""
    from unittest import mock

    seeds = []
    for make in (lambda: cls(), lambda: cls() / Raw(b"\x01\x02" * 12)):
        try:
            # (a default that is the time of the build, as NTP's: the same seeds in each run)
            with mock.patch("time.time", return_value=1_700_000_000.0):
                data = bytes(make())
        except Exception:  # a layer that needs context to build: random inputs still run
            continue
        if data:
            seeds.append(data)
    return seeds


def _field_spans(cls: type[Packet]) -> list[tuple[int, int]]:
    """The byte spans of the fixed fields of ``cls`` (bit fields share their bytes)."""
    spans = []
    start = 0
    for end in cls._fixed_ends:
        if end > start:
            spans.append((start, end))
            start = end
    return spans


def inputs(cls: type[Packet], count: int, rng: random.Random) -> Iterator[bytes]:
    """``count`` hostile inputs for ``cls`` (never empty: ``C(b"")`` is ``C()``, as in
    Scapy), a quarter of each kind."""
    seeds = valid_seeds(cls) or [bytes(40)]
    spans = _field_spans(cls)
    made = 0
    while made < count:
        kind = made % 4
        seed = seeds[rng.randrange(len(seeds))]
        if kind == 0:
            n = rng.randint(1, 64) if rng.random() < 0.8 else rng.randint(65, 600)
            data = rng.randbytes(n)
        elif kind == 1:
            data = seed[: rng.randint(1, len(seed))]
        elif kind == 2:
            b = bytearray(seed)
            for _ in range(rng.randint(1, 4)):
                i = rng.randrange(len(b))
                if rng.random() < 0.5:
                    b[i] ^= 1 << rng.randrange(8)
                else:
                    b[i] = rng.randrange(256)
            data = bytes(b)
        else:
            b = bytearray(seed)
            for start, end in rng.sample(spans, min(len(spans), rng.randint(1, 3))):
                fill = 0xFF if rng.random() < 0.75 else 0x00
                b[start:end] = bytes([fill]) * (end - start)
            if rng.random() < 0.3:
                b = b[: rng.randint(1, len(b))]
            data = bytes(b)
        if data:
            made += 1
            yield data


def check(cls: type[Packet], data: bytes) -> str | None:
    """None when ``cls(data)`` keeps every byte and every operation works; else what failed."""
    try:
        pkt = cls(data)
        if bytes(pkt) != data:
            return f"bytes() gives {bytes(pkt).hex()}"
        if len(pkt) != len(data):
            return f"len() is {len(pkt)}"
        repr(pkt)
        pkt.show(dump=True)
        pkt.summary()
        copy = pkt.copy()
        if copy != pkt or pkt != cls(data):
            return "a copy or a second dissection is not equal"
        if bytes(copy) != data:
            return "the copy builds other bytes"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _python_quick(cls: type[Packet]) -> Callable[..., Any] | None:
    """The Python quick parser of ``cls`` when its C version is in use, else None."""
    own = cls.__dict__.get("quick_dissect")
    if not isinstance(own, staticmethod) or cls._quick is None:
        return None
    fn: Callable[..., Any] = own.__func__
    return None if cls._quick is fn else fn


def same_quick(cls: type[Packet], py: Callable[..., Any], data: bytes) -> str | None:
    """None when the C quick parser of ``cls`` gives what the Python one gives on ``data``."""
    under = object()
    args = (data, 0, len(data), (), under, 1.5)
    try:
        want = py(*args)
    except Exception as exc:
        want = type(exc)
    try:
        got = cls._quick(*args)  # type: ignore[misc]
    except Exception as exc:
        got = type(exc)
    if got != want or (isinstance(got, dict) and list(got) != list(want)):
        return "the C and Python quick parsers differ"
    return None


def fuzz(cls: type[Packet], count: int, seed: int, limit: int = 5) -> Report:
    """Run ``count`` inputs on ``cls``; keep the first ``limit`` failures."""
    rng = random.Random(f"{seed}:{cls.__module__}.{cls.__qualname__}")
    report = Report(cls)
    py = _python_quick(cls)
    start = time.perf_counter()
    for data in inputs(cls, count, rng):
        report.inputs += 1
        problem = check(cls, data)
        if problem is None and py is not None:
            problem = same_quick(cls, py, data)
        if problem is not None and len(report.failures) < limit:
            report.failures.append((data.hex(), problem))
        elif problem is not None:
            report.failures.append(("", ""))
    report.seconds = time.perf_counter() - start
    return report


def main(argv: list[str] | None = None) -> int:
    """Fuzz the classes; print a line per class; 1 when anything failed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=20_000, help="inputs per class")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--class", dest="names", action="append", help="only this class")
    args = ap.parse_args(argv)
    classes = [c for c in layer_classes() if not args.names or c.__name__ in args.names]
    failed = 0
    total = 0
    for cls in classes:
        r = fuzz(cls, args.count, args.seed)
        total += r.inputs
        bad = len(r.failures)
        failed += bad
        rate = r.inputs / r.seconds if r.seconds else 0.0
        print(f"{cls.__name__:<22} {r.inputs:>8} inputs {rate:>9,.0f}/s  failures {bad}")
        for hexdata, problem in r.failures:
            if hexdata:
                print(f"    {hexdata}: {problem}")
    print(f"{len(classes)} classes, {total} inputs, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
