"""RFC 1071 checksum core against a word-by-word reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from paquet.checksums import internet_checksum


def reference(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    total = sum(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


@given(st.binary(max_size=200))
def test_matches_reference(data: bytes) -> None:
    assert internet_checksum(data) == reference(data)


def test_rfc1071_example_header() -> None:
    # IPv4 header 192.168.0.1 -> 192.168.0.199, UDP, checksum field zeroed (Wikipedia's example).
    header = bytes.fromhex("450000730000400040110000c0a80001c0a800c7")
    assert internet_checksum(header) == 0xB861
    filled = header[:10] + (0xB861).to_bytes(2, "big") + header[12:]
    assert internet_checksum(filled) == 0
