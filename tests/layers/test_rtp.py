"""RTP (RFC 3550): the same bytes as Scapy, the same dissection as tshark, hostile bytes kept."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import rtp as srtp  # noqa: E402

from paquet.layers import IP, UDP, Ether  # noqa: E402
from paquet.layers.rtp import RTP, RTPExtension  # noqa: E402

from .scapy_compare import needs_tshark, outer_values, tshark_layers  # noqa: E402

# (RTP fields, extension fields or None, payload)
CONSTRUCTIONS: list[tuple[dict[str, Any], dict[str, Any] | None, bytes]] = [
    ({}, None, b""),
    ({"payload_type": "PCMA", "sequence": 0x1234, "timestamp": 12345678,
      "sourcesync": 0xABCDEF01}, None, b"\xd5" * 160),
    ({"marker": 1, "payload_type": 96, "sync": [1, 2, 3]}, None, b"video"),
    ({"numsync": 2, "sync": [7, 8], "padding": 1}, None, b"x\x00\x00\x03"),
    ({"extension": 1, "payload_type": 111, "sequence": 65535, "timestamp": 2**32 - 1},
     {"header_id": 0xBEDE, "header": [0x11223344, 0x55667788]}, b"opus"),
    ({"extension": 1}, {"header_id": 0x1000}, b""),
    ({"version": 1, "payload_type": 127, "sourcesync": 1}, None, b""),
]


def _build(lib: str, fields: dict[str, Any], ext: dict[str, Any] | None, load: bytes) -> Any:
    rtp, extension = (srtp.RTP, srtp.RTPExtension) if lib == "s" else (RTP, RTPExtension)
    pkt = rtp(**fields)
    if ext is not None:
        pkt = pkt / extension(**ext)
    return pkt / load if load else pkt


@pytest.mark.parametrize("case", CONSTRUCTIONS)
def test_bytes_and_dissection_equal_scapy(case: Any) -> None:
    data = bytes(_build("s", *case))
    assert bytes(_build("p", *case)) == data
    mine, theirs = RTP(data), srtp.RTP(data)
    assert bytes(mine) == data
    for name in ("version", "padding", "extension", "numsync", "marker", "payload_type",
                 "sequence", "timestamp", "sourcesync", "sync"):
        assert getattr(mine, name) == getattr(theirs, name), name
    assert (RTPExtension in mine) == (srtp.RTPExtension in theirs)
    if RTPExtension in mine:
        assert mine[RTPExtension].header == theirs[srtp.RTPExtension].header
        assert mine[RTPExtension].header_id == theirs[srtp.RTPExtension].header_id


@needs_tshark
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    cases = [c for c in CONSTRUCTIONS if c[0].get("version", 2) == 2]
    frames = [Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=5004, dport=5004)
              / _build("p", *c) for c in cases]
    trees = tshark_layers(tmp_path, frames, "-d", "udp.port==5004,rtp")
    for frame, tree in zip(frames, trees, strict=True):
        rtp = RTP(bytes(Ether(bytes(frame))[UDP].payload))  # (RTP is bound to no port)
        node = tree["rtp"]
        assert int(outer_values(node, "rtp.version")[0]) == rtp.version
        assert int(outer_values(node, "rtp.padding")[0]) == rtp.padding
        assert int(outer_values(node, "rtp.cc")[0]) == rtp.numsync
        assert int(outer_values(node, "rtp.p_type")[0]) == rtp.payload_type
        assert int(outer_values(node, "rtp.seq")[0]) == rtp.sequence
        assert int(outer_values(node, "rtp.timestamp")[0]) == rtp.timestamp
        assert int(outer_values(node, "rtp.ssrc")[0], 16) == rtp.sourcesync
        assert [int(v, 16) for v in outer_values(node, "rtp.csrc.item")] == rtp.sync
        if RTPExtension in rtp:
            ext = rtp[RTPExtension]
            assert int(outer_values(node, "rtp.ext.profile")[0], 16) == ext.header_id
            assert int(outer_values(node, "rtp.ext.len")[0]) == ext.header_len


def test_truncated_and_hostile_bytes_round_trip() -> None:
    frames = [bytes(_build("s", *c)) for c in CONSTRUCTIONS]
    for frame in frames:
        for cut in range(1, len(frame) + 1):
            pkt = RTP(frame[:cut])
            assert bytes(pkt) == frame[:cut]
            pkt.show(dump=True)
    rng = random.Random(3550)
    for _ in range(2000):
        data = bytearray(rng.choice(frames) or b"\x80")
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        blob = bytes(data)
        assert bytes(RTP(blob)) == blob
