"""Engine tests run with no resolver installed: the documented, deterministic defaults.

Another test may import ``paquet.net.sendrecv``, which installs the system resolver for the
whole process; each test here runs without it and gets it back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paquet.packet.resolver import set_resolver


@pytest.fixture(autouse=True)
def no_resolver() -> Iterator[None]:
    """No resolver during the test (``IP().src`` is 127.0.0.1); the previous one restored."""
    previous = set_resolver(None)
    try:
        yield
    finally:
        set_resolver(previous)


@pytest.fixture
def lenient_contribs() -> Iterator[None]:
    """Scapy's contributed protocols that check what they build (LLDP's strict mode refuses a
    TLV with no Ethernet layer under it) with their checks off: for the tests that build
    every layer alone (fuzz, hostile bytes)."""
    from paquet.layers._contrib import CONTRIBS

    lldp = CONTRIBS["LLDP"]
    was = lldp.strict_mode()
    lldp.strict_mode_disable()
    try:
        yield
    finally:
        if was:
            lldp.strict_mode_enable()
