"""Fixtures of the network tests: our own namespaces (``net``) and the course lab (``tp``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from pqnet_helpers import net

__all__ = ["net", "tp"]


@pytest.fixture(scope="session")
def tp() -> Iterator[Any]:
    """The built-in ``tp`` lab (the course's network), built once, always taken down."""
    if os.geteuid() != 0:
        pytest.skip("the lab needs root (network namespaces)")
    from paquet.lab.testing import LabFactory

    factory = LabFactory()
    try:
        yield factory("tp")
    finally:
        factory.close()
