"""Fixtures of the frame tests: the captures (built once per session) and a switch to the
pure-Python columns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from tests.frame.captures import write_mixed

from paquet.frame import quick

DATA = Path(__file__).resolve().parents[1] / "data"
#: The suite's captures of real loopback traffic (tests/data/README.md).
REAL = sorted(p for p in DATA.iterdir() if p.suffix in (".pcap", ".pcapng"))


@pytest.fixture(scope="session")
def mixed_pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed(tmp_path_factory.mktemp("frame") / "mixed.pcap")


@pytest.fixture
def pure(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The quick columns computed by the Python specification (the C module off)."""
    monkeypatch.setattr(quick, "_columns", None)
    yield
