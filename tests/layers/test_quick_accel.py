"""The quick parsers in C (``paquet.layers._quick``) give exactly what the Python
``quick_dissect`` of each layer gives (the specification): the same dict or None, for the
headers of real frames and of 15,000 mutations of them, at every offset and end, with and
without link paddings.

CI sets ``PAQUET_REQUIRE_ACCEL=1``: there the C module must have been built, so these tests
run instead of being skipped.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import pytest

from paquet.layers import IP, TCP, UDP, Ether, IPv6, _accel
from paquet.packet.base import Packet

from .test_quick_dissect import SEEDS6
from .test_robustness import SEEDS, _mutate

LAYERS: list[type[Packet]] = [Ether, IP, IPv6, TCP, UDP]

needs_c = pytest.mark.skipif(
    not _accel.ENABLED and not os.environ.get("PAQUET_REQUIRE_ACCEL"),
    reason="the C parsers are not built (or PAQUET_PURE is set)",
)


def _python(cls: type[Packet]) -> Callable[..., dict[str, Any] | None]:
    fn: Callable[..., dict[str, Any] | None] = cls.__dict__["quick_dissect"].__func__
    return fn


def _c(cls: type[Packet]) -> Any:
    """The C parser of ``cls`` (Ether's may be wrapped: a C parser built before 802.3 frames
    were left to the general path parses them; the wrapper does what the Python one does)."""
    return getattr(cls._quick, "__wrapped__", cls._quick)


def test_the_c_parsers_are_built_where_required() -> None:
    if not os.environ.get("PAQUET_REQUIRE_ACCEL"):
        pytest.skip("PAQUET_REQUIRE_ACCEL is not set")
    assert _accel.ENABLED, "paquet.layers._quick was not built (is a C compiler installed?)"
    for cls in LAYERS:
        assert _c(cls) is not _python(cls), cls.__name__
        assert "(C)" in repr(_c(cls))


def _same(cls: type[Packet], data: Any, off: int, end: int, paddings: tuple[Any, ...]) -> None:
    under = object()
    args = (data, off, end, paddings, under, 1.5)
    try:
        want = _python(cls)(*args)
    except Exception as exc:  # the Python parser refuses: so must the C one, the same way
        with pytest.raises(type(exc)):
            cls._quick(*args)  # type: ignore[misc]
        return
    got = cls._quick(*args)  # type: ignore[misc]
    assert got == want, (cls.__name__, bytes(data).hex(), off, end, paddings)
    if got is not None:
        assert list(got) == list(want)  # the same keys in the same order
        assert got["underlayer"] is under and got["time"] == 1.5


@needs_c
@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_seeds_at_every_offset_and_end(cls: type[Packet]) -> None:
    for frame in SEEDS + SEEDS6:
        n = len(frame)
        for off in (0, 14, 34, 54):
            for end in sorted({n, n - 1, n - 6, off + 8, off + 20, off + 40}):
                if 0 <= off <= end <= n:
                    _same(cls, frame, off, end, ())
                    _same(cls, frame, off, end, ((n, n + 4),))


@needs_c
def test_15000_mutations_same_dict() -> None:
    rng = random.Random(0xC0DE)
    seeds = SEEDS + SEEDS6
    starts = {Ether: 0, IP: 14, IPv6: 14, TCP: 34, UDP: 34}
    for i in range(15_000):
        data = _mutate(rng, seeds[i % len(seeds)])
        cls = LAYERS[i % len(LAYERS)]
        off = starts[cls]
        if cls in (TCP, UDP) and i % 2:
            off = 54  # after an IPv6 header
        if off <= len(data):
            _same(cls, data, off, len(data), () if i % 3 else ((0, 1),))


@needs_c
def test_arguments_the_c_parser_leaves_to_python() -> None:
    frame = SEEDS[0]
    for cls in LAYERS:
        _same(cls, bytearray(frame), 0, len(frame), ())  # not exactly bytes
        _same(cls, frame, -4, len(frame), ())  # a negative offset
        _same(cls, frame, 0, len(frame) + 10, ())  # an end past the data
        _same(cls, frame, 10, 4, ())  # off after end
        _same(cls, frame, 0, len(frame), [])  # paddings not a tuple


@needs_c
def test_addresses_seen_again_give_the_same_text() -> None:
    # The C memo of addresses stands in front of the Python cache: clearing the cache (as it
    # does past 4,096 entries) and meeting many addresses must not change any text.
    rng = random.Random(7)
    for _ in range(3000):
        mac = rng.randbytes(6)
        a4, b4 = rng.randbytes(4), rng.randbytes(4)
        frame = mac + rng.randbytes(6) + b"\x08\x00" + bytes.fromhex("4500001400000000400600")
        frame = frame[:14] + frame[14:24] + b"\x00\x00" + a4 + b4
        e = Ether._quick(frame, 0, len(frame), (), None, 0.0)  # type: ignore[misc]
        assert e is not None and e["dst"] == mac.hex(":")
        ip = IP._quick(frame, 14, len(frame), (), None, 0.0)  # type: ignore[misc]
        assert ip is not None
        assert ip["src"] == ".".join(map(str, a4)) and ip["dst"] == ".".join(map(str, b4))
