"""Shared helpers for the capture tests: the data directory and tshark as the reference.

Not a conftest.py: with ``--doctest-modules`` two conftest modules in sibling directories
without ``__init__.py`` clash. Test modules import the fixtures by their function names::

    from pcap_helpers import data_fixture, tshark_fixture  # noqa: F401
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"

TsharkFields = Callable[..., list[list[str]]]


def run_tshark(path: Path | str, *fields: str, options: tuple[str, ...] = ()) -> list[list[str]]:
    """``tshark -r path -T fields -e f1 -e f2 ...``: one list of field values per packet."""
    args = ["tshark", "-n", "-r", str(path), *options, "-T", "fields", "-E", "separator=|"]
    for f in fields:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout
    return [line.split("|") for line in out.splitlines()]


@pytest.fixture(name="tshark")
def tshark_fixture() -> TsharkFields:
    """tshark's dissection of a file, field by field (skips when tshark is absent)."""
    if shutil.which("tshark") is None:
        pytest.skip("needs tshark (scripts/system-deps installs it)")
    return run_tshark


@pytest.fixture(name="data")
def data_fixture() -> Path:
    """The directory of committed capture files (see tests/data/README.md)."""
    return DATA
