"""Fixtures shared by the CLI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paquet.packet.resolver import set_resolver


@pytest.fixture
def no_resolver() -> Iterator[None]:
    """No resolver during a test, whatever an earlier test installed: the engine's documented
    defaults (``IP().src`` is 127.0.0.1). The previous resolver is restored afterwards."""
    previous = set_resolver(None)
    try:
        yield
    finally:
        set_resolver(previous)
