"""fuzz() on every layer of the registry (those added later included): 2,000 fuzzed packets
of each class build, dissect back to the same bytes, and show as Scapy shows a fuzzed layer.

Seeded (``random.seed``), so a failure names a packet that can be made again.
"""

from __future__ import annotations

import random

import pytest

import paquet.layers  # noqa: F401  (registers every layer)
from paquet.packet.base import Packet
from paquet.packet.registry import layer_classes
from paquet.volatile import RandBin, RandNum, VolatileValue
from paquet.volatile.fuzzing import fixed_copy, fuzz

PER_CLASS = 2_000
CLASSES = [c for c in layer_classes() if c._fields]


pytestmark = pytest.mark.usefixtures("lenient_contribs")


def _nothing_to_draw(cls: type[Packet]) -> bool:
    """Every field computed (None by default) or holding packets (fuzz() keeps a list of
    packets and fuzzes its items, keeps a packet in a field): fuzz() draws nothing, as
    Scapy's (Dot3, PPPoE's tag list alone, 802.11's Dot11CSA)."""
    return all(f.default is None or f.holds_packets for f in cls._fields)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fuzzed_packets_build_and_dissect_back(cls: type[Packet]) -> None:
    if _nothing_to_draw(cls):
        pytest.skip("no field for fuzz() to draw")
    random.seed(0x2807)
    template = fuzz(cls())
    assert any(isinstance(v, VolatileValue) for v in template.__dict__.values())
    # Variable bytes (a payload, 600 bytes on average as Scapy's) made shorter: the suite's
    # time goes to the layouts, not to drawing bytes one by one.
    d = template.__dict__
    for name, value in list(d.items()):
        if isinstance(value, RandBin) and isinstance(value.size, RandNum):
            d[name] = RandBin(RandNum(0, 24))
    seen = set()
    for i in range(PER_CLASS):
        frame = bytes(template)
        back = cls(frame)
        assert bytes(back) == frame, (cls.__name__, i, frame.hex())
        seen.add(frame)
    # The values are drawn at each build (a 1-byte header has 256 forms at most).
    assert len(seen) > min(200, PER_CLASS // 2), (cls.__name__, len(seen))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_fuzzed_packets_display(cls: type[Packet]) -> None:
    if _nothing_to_draw(cls):
        pytest.skip("no field for fuzz() to draw")
    random.seed(7)
    pkt = fuzz(cls())
    text = pkt.show(dump=True)
    # (cls() may be another class: IGMP() is a query, IGMP_MQ, as Scapy's dispatch_hook says)
    assert text is not None and text.startswith(f"###[ {type(pkt).name} ]###")
    assert "<Rand" in text  # a random field shows by its class, as in Scapy
    assert repr(pkt) == repr(cls())  # fuzz changes defaults, not the fields set
    pkt.summary()
    fixed = fixed_copy(pkt)
    assert fixed is not None and "<Rand" not in fixed.show(dump=True)
    assert len(pkt) > 0  # len() builds (and draws) too
