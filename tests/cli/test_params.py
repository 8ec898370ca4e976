"""The shared option types of ``paquet.cli.params``: their edges, one value at a time."""

from __future__ import annotations

import math
import os
from typing import Any

import click
import pytest

from paquet.cli.params import (
    COUNT,
    MAX_COUNT,
    MAX_SECONDS,
    RATE,
    SECONDS,
    TEXT,
    FilePath,
    Int,
    Text,
    shown,
)

NOT_UTF8 = os.fsdecode(b"\xff")  # what Python makes of a non-UTF-8 argv byte


def refused(kind: click.ParamType[Any, Any], value: object) -> str:
    with pytest.raises(click.BadParameter) as exc:
        kind.convert(value, None, None)
    message = exc.value.format_message()
    assert "\n" not in message
    return message


@pytest.mark.parametrize("value", ["0", "0.0", "1e-3", " 2 ", "2147483", 0, 1.5, MAX_SECONDS])
def test_seconds_taken(value: object) -> None:
    assert SECONDS.convert(value, None, None) == float(str(value).strip())


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "-1", "-1e-9", "1e20",
                                   "2147483.001", "", "1_0", "٣", "0x10", NOT_UTF8, math.nan,
                                   math.inf, -1.0, True])
def test_seconds_refused(value: object) -> None:
    refused(SECONDS, value)


def test_rates_are_above_zero() -> None:
    assert "above 0" in refused(RATE, "0")
    assert RATE.convert("1e8", None, None) == 1e8
    refused(RATE, "1.00000001e8")


@pytest.mark.parametrize("value", ["0", "-1", "2147483648", "99999999999999999999", "1e3",
                                   "1.0", "", "١", "1_000", "9" * 5000, NOT_UTF8, True])
def test_counts_refused(value: object) -> None:
    refused(COUNT, value)


def test_count_edges() -> None:
    assert COUNT.convert("1", None, None) == 1
    assert COUNT.convert(str(MAX_COUNT), None, None) == MAX_COUNT
    assert COUNT.convert("+7", None, None) == 7
    assert Int(-5, 5).convert("-5", None, None) == -5


@pytest.mark.parametrize("value", ["", NOT_UTF8, "a\nb", "a\x00b", "x" * 4097, "\x7f"])
def test_text_refused(value: str) -> None:
    message = refused(TEXT, value)
    assert "\\x00" in message or "\x00" not in message


def test_text_with_lines_and_no_length_limit() -> None:
    kind = Text(lines=True, longest=None, what="packet expression")
    assert kind.convert("IP()\n/ICMP()", None, None) == "IP()\n/ICMP()"
    assert kind.convert("4" * 100_000, None, None) == "4" * 100_000
    assert refused(kind, "").endswith("empty packet expression")
    refused(kind, "a\x00b")


def test_file_paths(tmp_path: os.PathLike[str]) -> None:
    assert "empty file name" in refused(FilePath(), "")
    assert "directory" in refused(FilePath(), str(tmp_path))
    assert "no directory" in refused(FilePath(writable=True), f"{tmp_path}/no/such/file")
    name = os.path.join(tmp_path, NOT_UTF8)  # a file name may be any bytes
    assert FilePath(writable=True).convert(name, None, None) == name
    refused(FilePath(exists=True), name)


def test_shown_is_one_short_printable_line() -> None:
    assert shown("nan") == "'nan'"
    assert shown("a\nb\x00") == "'a\\nb\\x00'"
    assert shown(NOT_UTF8) == "'\\xff'"
    assert len(shown("9" * 5000)) < 50


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (SECONDS, True, "'True' is not a number of seconds"),
        (SECONDS, "x", "'x' is not a number of seconds"),
        (SECONDS, "nan", "'nan' is not a finite number of seconds"),
        (SECONDS, "-1", "'-1' is not from 0 to"),
        (RATE, 0, "'0' is not above 0 to"),
        (Int(1, 9), False, "'False' is not a whole number"),
        (Int(1, 9), "1.5", "'1.5' is not a whole number from 1 to 9"),
        (Int(1, 9), "10", "'10' is not from 1 to 9"),
    ],
)
def test_numbers_fail_in_order_in_one_line(kind: click.ParamType[Any, Any], value: object,
                                           message: str) -> None:
    """Floats and integers share one order of checks: not a bool, a number, within bounds."""
    assert message in refused(kind, value)
