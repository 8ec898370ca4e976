"""Fixtures of the network tests: our own namespaces (``net``), the course lab (``tp``), and
loopback as the interface of paquet and Scapy (``loopback_iface``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from pqnet_helpers import net

__all__ = ["loopback_iface", "net", "tp"]


@pytest.fixture
def loopback_iface() -> Iterator[None]:
    """``conf.iface`` is ``lo`` in paquet and in Scapy for the test (the answering machines
    read its addresses when given none), then what it was."""
    import paquet
    from paquet.net.settings import settings

    scapy = pytest.importorskip("scapy.all")
    saved = settings._iface, scapy.conf.iface  # (paquet's: the one set, None when computed)
    paquet.conf.iface = "lo"
    scapy.conf.iface = "lo"
    try:
        yield
    finally:
        paquet.conf.iface, scapy.conf.iface = saved


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
