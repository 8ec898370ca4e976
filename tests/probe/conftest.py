"""Fixtures for the probe tests: labs shared per module (built once, always torn down)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def _lab(ref: str | Path, tag: str) -> Iterator[object]:
    from paquet.lab import Lab

    name = f"pqp_{tag}_{os.getpid() % 100000}"
    with Lab.up(ref, name=name) as lab:
        yield lab


@pytest.fixture(scope="module")
def tp_lab() -> Iterator[object]:
    """The built-in ``tp`` lab (client, target with open/closed/filtered ports, remote host)."""
    yield from _lab("tp", "tp")


@pytest.fixture(scope="module")
def silent_chain_lab() -> Iterator[object]:
    """A chain of four routers whose second is silent (tests/probe/chain_silent.toml)."""
    yield from _lab(HERE / "chain_silent.toml", "chain")


@pytest.fixture(scope="module")
def ecmp_lab() -> Iterator[object]:
    """The built-in ``ecmp`` lab (two equal-cost paths, L4 hashing)."""
    yield from _lab("ecmp", "ecmp")


@pytest.fixture(scope="module")
def lossy_lab() -> Iterator[object]:
    """The built-in ``lossy`` lab (20 % loss each way on the gateway-r1 link)."""
    yield from _lab("lossy", "lossy")
