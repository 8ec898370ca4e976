"""Fixtures of the frame tests: the captures (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pyarrow")

from tests.frame.captures import write_mixed

DATA = Path(__file__).resolve().parents[1] / "data"
#: The suite's captures of real loopback traffic (tests/data/README.md).
REAL = sorted(p for p in DATA.iterdir() if p.suffix in (".pcap", ".pcapng"))


@pytest.fixture(scope="session")
def mixed_pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed(tmp_path_factory.mktemp("frame") / "mixed.pcap")
