"""The option types every command shares: bad values are refused while parsing, in one line.

click parses every option before a command runs, so a value refused here never starts a
capture, a probe or a lab. Each type names what it wants::

    @click.option("-W", "timeout", type=SECONDS, default=10.0)     # finite, 0 to ~24.8 days
    @click.option("--max-rate", type=RATE, default=200_000.0)      # finite, > 0
    @click.option("-c", "count", type=COUNT)                       # 1 to 2**31 - 1
    @click.argument("host", type=TEXT)                             # non-empty UTF-8, one line

NaN, infinities, negative durations, numbers past the bounds, empty text and text that is not
UTF-8 (bytes the shell passed that decode to no character) are all refused with a message
that fits on one line (``paquet: error: Invalid value for '-W': ...``, exit status 2).
"""

from __future__ import annotations

import math
import os
from typing import Any, TypeVar

import click

from paquet.probe.limits import MAX_COUNT, MAX_RATE, MAX_SECONDS

__all__ = [
    "COUNT",
    "MAX_COUNT",
    "MAX_RATE",
    "MAX_SECONDS",
    "MAX_TEXT",
    "RATE",
    "SECONDS",
    "TEXT",
    "Choice",
    "FilePath",
    "FiniteFloat",
    "Int",
    "Text",
    "one_family",
    "shown",
]

MAX_TEXT = 4096
"""The longest text argument, in characters."""

_SHOWN = 40

_N = TypeVar("_N", int, float)


def shown(value: object) -> str:
    """``value`` quoted as a message can show it: one line, printable, cut after 40 characters.

    Bytes that were not UTF-8 show as ``\\xff``, control characters as ``\\n``.

    >>> print(shown("nan"), shown("a\\nb"), shown(b"\\xff".decode("utf-8", "surrogateescape")))
    'nan' 'a\\nb' '\\xff'
    """
    try:
        raw = str(value).encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = str(value).encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    if len(text) > _SHOWN:
        text = text[:_SHOWN] + "..."
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


class _Bounded(click.ParamType[_N, Any]):
    """What FiniteFloat and Int share: a bool is refused, a number given as such is taken as
    it is, text is read strictly (:meth:`number`), then the bounds are checked (:meth:`within`);
    each failure in one line."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> _N:
        """The number ``value`` says, or a one-line failure."""
        if isinstance(value, bool):
            self.fail(self.not_a_number(value), param, ctx)
        number = self.number(value, param, ctx)
        if not self.within(number):
            self.fail(self.out_of_bounds(value), param, ctx)
        return number

    def number(self, value: Any, param: click.Parameter | None,
               ctx: click.Context | None) -> _N:
        """``value`` as a number, bounds not checked yet, or a one-line failure."""
        raise NotImplementedError

    def within(self, number: _N) -> bool:
        """Whether ``number`` is within the bounds."""
        raise NotImplementedError

    def not_a_number(self, value: Any) -> str:
        """The failure for a value that is no number of this kind."""
        raise NotImplementedError

    def out_of_bounds(self, value: Any) -> str:
        """The failure for a number past the bounds."""
        raise NotImplementedError


class FiniteFloat(_Bounded[float]):
    """A finite number from ``low`` to ``high`` (``low`` itself excluded when ``open_low``)."""

    def __init__(self, low: float, high: float, *, open_low: bool = False,
                 unit: str = "seconds", name: str = "seconds") -> None:
        self.low = low
        self.high = high
        self.open_low = open_low
        self.unit = unit
        self.name = name

    def number(self, value: Any, param: click.Parameter | None,
               ctx: click.Context | None) -> float:
        """``value`` as a finite float, or a one-line failure."""
        if isinstance(value, int | float):
            number = float(value)
        else:
            text = str(value).strip()
            try:
                if "_" in text or not text.isascii():  # float() takes 1_000 and Arabic digits
                    raise ValueError(text)
                number = float(text)
            except (ValueError, OverflowError):
                self.fail(self.not_a_number(value), param, ctx)
        if not math.isfinite(number):
            self.fail(f"{shown(value)} is not a finite number of {self.unit}", param, ctx)
        return number

    def within(self, number: float) -> bool:
        """From ``low`` (excluded when ``open_low``) to ``high``."""
        too_low = number <= self.low if self.open_low else number < self.low
        return not too_low and number <= self.high

    def not_a_number(self, value: Any) -> str:
        """``'x' is not a number of seconds``."""
        return f"{shown(value)} is not a number of {self.unit}"

    def out_of_bounds(self, value: Any) -> str:
        """``'-1' is not from 0 to 2147483 seconds``."""
        return f"{shown(value)} is not {self.describe()}"

    def describe(self) -> str:
        """The accepted range, as the messages say it: ``from 0 to 2147483 seconds``."""
        low = "above" if self.open_low else "from"
        return f"{low} {self.low:.15g} to {self.high:.15g} {self.unit}"


class Int(_Bounded[int]):
    """A whole number from ``low`` to ``high`` (decimal digits, an optional sign)."""

    name = "integer"

    def __init__(self, low: int, high: int, *, what: str = "a whole number") -> None:
        self.low = low
        self.high = high
        self.what = what

    def number(self, value: Any, param: click.Parameter | None,
               ctx: click.Context | None) -> int:
        """``value`` as an integer, or a one-line failure."""
        if isinstance(value, int):
            return value
        text = str(value).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit() or len(digits) > 50:
            self.fail(f"{shown(value)} is not {self.what} from {self.low} to {self.high}",
                      param, ctx)
        return int(text)

    def within(self, number: int) -> bool:
        """From ``low`` to ``high``."""
        return self.low <= number <= self.high

    def not_a_number(self, value: Any) -> str:
        """``True is not a whole number``."""
        return f"{shown(value)} is not {self.what}"

    def out_of_bounds(self, value: Any) -> str:
        """``'0' is not from 1 to 2147483647``."""
        return f"{shown(value)} is not from {self.low} to {self.high}"


class Text(click.ParamType[str, Any]):
    """Text that is not empty, is valid UTF-8, holds no control character and is not huge.

    ``lines=True`` lets tabs and line ends through (hex dumps and expressions pasted whole);
    ``what`` names the text in the messages (``empty packet expression``); ``longest=None``
    leaves the length to the parser behind (hex dumps, packet expressions have their own).
    """

    name = "text"

    def __init__(self, *, empty: bool = False, lines: bool = False, what: str = "text",
                 longest: int | None = MAX_TEXT) -> None:
        self.empty = empty
        self.what = what
        self.longest = longest
        self.allowed = "\t\r\n" if lines else ""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        """``value`` itself, or a one-line failure."""
        text = str(value)
        if not text and not self.empty:
            self.fail(f"empty {self.what}", param, ctx)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(f"{shown(text)} is not valid UTF-8", param, ctx)
        if any((ord(c) < 32 or ord(c) == 127) and c not in self.allowed for c in text):
            self.fail(f"{shown(text)} holds a control character", param, ctx)
        if self.longest is not None and len(text) > self.longest:
            self.fail(f"{shown(text)} is longer than {self.longest} characters", param, ctx)
        return text


class FilePath(click.Path):
    """A file name (not a directory, not empty); any bytes the file system allows.

    ``writable=True`` for files the command writes: an existing one must be writable, and
    its directory must exist.
    """

    def __init__(self, *, exists: bool = False, writable: bool = False,
                 allow_dash: bool = False) -> None:
        super().__init__(exists=exists, dir_okay=False, writable=writable, allow_dash=allow_dash)

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        """``value`` checked as click.Path checks it, and refused when empty."""
        if str(value) == "":
            self.fail("empty file name", param, ctx)
        path = super().convert(value, param, ctx)
        if self.writable and str(path) != "-":
            parent = os.path.dirname(os.path.abspath(os.fsdecode(path)))
            if not os.path.isdir(parent):
                self.fail(f"{shown(value)}: no directory {shown(parent)}", param, ctx)
        return path


class Choice(click.Choice):  # type: ignore[type-arg]
    """One of a few words; a wrong one is quoted short (click quotes it whole)."""

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        """The word, or a one-line failure listing the choices."""
        if str(value) in self.choices:
            return value
        words = ", ".join(str(c) for c in self.choices)
        self.fail(f"{shown(value)} is not one of {words}", param, ctx)


def one_family(families: tuple[int, ...]) -> int:
    """The address family of repeatable ``-4``/``-6`` flags: 0 (either), 4 or 6; both is an
    error, as iputils ping says it.

    >>> one_family(()), one_family((6, 6))
    (0, 6)
    """
    if len(set(families)) > 1:
        raise click.UsageError("only one -4 or -6 option may be specified")
    return families[0] if families else 0


SECONDS = FiniteFloat(0.0, MAX_SECONDS)
"""A duration: a finite number of seconds from 0 to :data:`MAX_SECONDS`."""

RATE = FiniteFloat(0.0, MAX_RATE, open_low=True, unit="probes per second", name="rate")
"""A rate: a finite number of probes per second above 0, at most :data:`MAX_RATE`."""

COUNT = Int(1, MAX_COUNT)
"""A count of packets or repetitions: 1 to :data:`MAX_COUNT`."""

TEXT = Text()
"""Non-empty UTF-8 text on one line (a host, an interface, a file of state, a filter...)."""

