"""The bounds every tool checks its numbers against, and the checks the library functions run.

``ping(host, deadline=float("nan"))`` must not loop for ever, ``trace(host, wait=(1e20, 3, 10))``
must not end in an ``OverflowError`` from ``select``: the functions call these checks first and
raise :class:`~paquet.errors.PaquetError` with a one-line message. The command line refuses the
same values while parsing its options (:mod:`paquet.cli.params`, with these bounds).
"""

from __future__ import annotations

import math

from paquet.errors import PaquetError

__all__ = ["MAX_COUNT", "MAX_RATE", "MAX_SECONDS", "check_count", "check_rate", "check_seconds"]

MAX_SECONDS = 2_147_483.0
"""The longest duration: INT_MAX milliseconds (about 24.8 days), iputils ping's bound on its
intervals and the most ``poll()`` can wait."""

MAX_RATE = 100_000_000.0
"""The highest rate in probes per second (far above what a host can send)."""

MAX_COUNT = 2**31 - 1
"""The largest count of packets, probes or repetitions (tcpdump's bound on ``-c``)."""


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float)


def check_seconds(name: str, value: float | None, *, low: float = 0.0,
                  high: float = MAX_SECONDS) -> None:
    """Raise :class:`PaquetError` unless ``value`` (None passes) is a finite number of seconds
    from ``low`` to ``high``.

    >>> check_seconds("timeout", 2.5)
    >>> check_seconds("deadline", float("nan"))
    Traceback (most recent call last):
    ...
    paquet.errors.PaquetError: deadline must be from 0 to 2147483 seconds, not nan
    """
    if value is None:
        return
    if not _is_number(value) or not math.isfinite(value) or not low <= value <= high:
        raise PaquetError(f"{name} must be from {low:g} to {high:.0f} seconds, not {value!r}")


def check_rate(name: str, value: float) -> None:
    """Raise :class:`PaquetError` unless ``value`` is a finite rate above 0, at most
    :data:`MAX_RATE`.

    >>> check_rate("max_rate", -5)
    Traceback (most recent call last):
    ...
    paquet.errors.PaquetError: max_rate must be above 0 and at most 100000000 probes/s, not -5
    """
    if not _is_number(value) or not math.isfinite(value) or not 0 < value <= MAX_RATE:
        raise PaquetError(f"{name} must be above 0 and at most {MAX_RATE:.0f} probes/s, "
                          f"not {value!r}")


def check_count(name: str, value: int | None, *, low: int = 1, high: int = MAX_COUNT) -> None:
    """Raise :class:`PaquetError` unless ``value`` (None passes) is an int from ``low`` to
    ``high``.

    >>> check_count("count", 0)
    Traceback (most recent call last):
    ...
    paquet.errors.PaquetError: count must be a whole number from 1 to 2147483647, not 0
    """
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PaquetError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
