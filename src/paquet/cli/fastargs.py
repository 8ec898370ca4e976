"""The values the click-free command lines accept (:mod:`~paquet.cli.trace_fast`,
:mod:`~paquet.cli.ping_fast`): a strict subset of what :mod:`paquet.cli.params` takes, parsed
without importing click, ``re`` or ``typing``. A value outside that subset gives None, and the
caller hands the whole command line to click, which alone reports errors.

>>> integer("8", 1, 255), integer("+8", 1, 255), integer("0", 1, 255)
(8, None, None)
>>> decimal("0.25"), decimal("1e3"), decimal(".5")
(0.25, None, None)
>>> text("192.0.2.1"), text(""), text("a\\nb")
('192.0.2.1', None, None)
"""

from __future__ import annotations

__all__ = ["decimal", "integer", "option_value", "text"]

_LONGEST_TEXT = 4096  # paquet.cli.params.MAX_TEXT


def integer(value: str, low: int, high: int) -> int | None:
    """``value`` as plain decimal digits from ``low`` to ``high``, else None."""
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        return None
    number = int(value)
    return number if low <= number <= high else None


def decimal(value: str) -> float | None:
    """``value`` as ``DIGITS`` or ``DIGITS.DIGITS`` (at most 12 and 9 digits), else None."""
    whole, dot, part = value.partition(".")
    if not whole or len(whole) > 12 or (dot and (not part or len(part) > 9)):
        return None
    if not (whole + part).isascii() or not (whole + part).isdigit():
        return None
    return float(value)


def text(value: str) -> str | None:
    """``value`` when it is non-empty printable text of at most 4096 characters, else None."""
    ok = value and len(value) <= _LONGEST_TEXT and value.isprintable()
    return value if ok else None


def option_value(arg: str, argv: list[str], i: int) -> tuple[str, int] | None:
    """The value of short option ``arg`` (``-c3`` or ``-c 3``, ``argv[i]`` being the word after
    it) and the index of the next word; None when the value is missing.

    >>> option_value("-c3", [], 0), option_value("-c", ["3", "x"], 0), option_value("-c", [], 0)
    (('3', 0), ('3', 1), None)
    """
    if len(arg) > 2:
        return arg[2:], i
    if i < len(argv):
        return argv[i], i + 1
    return None
