"""CRCs (``paquet.crc``) against Scapy's ``scapy.libs.crc`` and the standard library's CRC-32,
on the same messages: values, piece-by-piece contexts, parameters, searches."""

from __future__ import annotations

import random
import struct
import zlib

import pytest

from paquet import crc as ours

theirs = pytest.importorskip("scapy.libs.crc")

NAMES = ["CRC_16", "CRC_16_CCITT", "CRC_32", "CRC_32_AUTOSAR"]
rng = random.Random(1071)
MESSAGES = [b"", b"123456789", b"\x00" * 7, bytes(rng.randrange(256) for _ in range(300))]


@pytest.mark.parametrize("name", NAMES)
def test_registered_crcs_like_scapy(name: str) -> None:
    for msg in MESSAGES:
        assert getattr(ours, name)(msg) == getattr(theirs, name)(msg)
    ctx = getattr(ours, name).create_context()
    for i in range(0, len(MESSAGES[3]), 7):
        ctx.update(MESSAGES[3][i:i + 7])
    assert ctx.finish() == getattr(theirs, name)(MESSAGES[3])


def test_crc32_is_zlibs() -> None:
    for msg in MESSAGES:
        assert ours.CRC_32(msg) == zlib.crc32(msg)


@pytest.mark.parametrize("params", [
    {"poly": 0x1021, "size": 16, "init_crc": 0xFFFF, "xor": 0, "reflect_input": False,
     "reflect_output": False},
    {"poly": 0x07, "size": 8, "init_crc": 0, "xor": 0x55, "reflect_input": False,
     "reflect_output": False},
    {"poly": 0x91A0, "size": 16, "init_crc": 0xFFFF, "xor": 0xFFFF, "reflect_input": False,
     "reflect_output": True},
    {"poly": 0x1EDC6F41, "size": 32, "init_crc": 0xFFFFFFFF, "xor": 0xFFFFFFFF,
     "reflect_input": True, "reflect_output": True, "header": b"\x01", "trailer": b"zz"},
])
def test_crc_from_parameters_like_scapy(params: dict[str, object]) -> None:
    mine = ours.CRC.from_parameters(do_not_register=True, **params)
    ref = theirs.CRC.from_parameters(do_not_register=True, **params)
    for msg in MESSAGES:
        assert mine(msg) == ref(msg)
    assert ours.CRCParam(**params) == ours.CRCParam(**dict(ours.CRCParam(**params)))
    assert mine.param.signature() == ref.param.signature()
    assert mine.param.name == ref.param.name


def test_search_like_scapy() -> None:
    t = struct.pack("<I", ours.CRC_16(b"12345678"))
    u = struct.pack(">I", ours.CRC_32_AUTOSAR(b"12345678"))
    v = struct.pack(">I", ours.CRC_32(b"12345678"))
    data = v + b"123" + t + b"xx12345678ttt" + v + u + b"sdsef12345678fsf"

    def simple(results: list[tuple[tuple[int, int], int, object]]) -> set[tuple[object, ...]]:
        return {(where, value, algo.name) for where, value, algo in results}  # type: ignore[attr-defined]

    # Scapy's registry also holds the CRCs its protocols register (X-25...): the same four.
    known = {c.name for c in ours.CRC.REGISTRY}
    found = simple(ours.CRC.search(data, only_registry=True))
    assert found == {r for r in simple(theirs.CRC.search(data, only_registry=True))
                     if r[2] in known}
    assert ((5, 29), 29752, "CRC16 CCITT") in found
    assert ours.CRC.lookup(ours.CRC_32.param) is ours.CRC_32


def test_bad_input() -> None:
    with pytest.raises(TypeError):
        ours.CRC_32("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ours.CRCParam(poly=0x07, size=8)
