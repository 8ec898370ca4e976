"""RandASN1Object compared with Scapy's: the same seed draws the same value (same BER bytes),
whatever type it picks (sequences, strings, times, addresses, integers)."""

from __future__ import annotations

import random
import time

import pytest

from paquet import RandASN1Object
from paquet.asn1 import ASN1_INTEGER, ASN1_STRING, ASN1_Object

sa = pytest.importorskip("scapy.all")

# The campaign's seeds (numeric and videotex strings, times) and a range of others.
SEEDS = [0x2807, 1514315682, 1240186058, 1873503288, *range(120)]


@pytest.mark.parametrize("seed", SEEDS)
def test_same_seed_same_value_as_scapy(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # UTC and generalized times are drawn around now: one clock for both draws (a second
    # that ticked between them made the bytes differ)
    monkeypatch.setattr(time, "time", lambda: 1_700_000_000.5)
    random.seed(seed)
    ours = bytes(RandASN1Object())
    random.seed(seed)
    theirs = bytes(sa.RandASN1Object())
    assert ours == theirs


@pytest.mark.parametrize("seed", range(20))
def test_objlist_limits_the_types_as_scapy(seed: int) -> None:
    random.seed(seed)
    ours = RandASN1Object(objlist=[ASN1_STRING, ASN1_INTEGER])._fix()
    random.seed(seed)
    theirs = sa.RandASN1Object(objlist=[sa.ASN1_STRING, sa.ASN1_INTEGER])._fix()
    assert isinstance(ours, ASN1_Object)
    assert type(ours).__name__ == type(theirs).__name__
    assert bytes(ours) == bytes(theirs)
