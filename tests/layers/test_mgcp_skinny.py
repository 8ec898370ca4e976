"""MGCP (RFC 3435) and Skinny (Cisco SCCP): the same bytes and fields as Scapy, the same
dissection as tshark, hostile bytes kept."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers import inet as sinet  # noqa: E402
from scapy.layers import mgcp as smgcp  # noqa: E402
from scapy.layers import skinny as sskinny  # noqa: E402

from paquet.layers import IP, TCP, UDP, Ether  # noqa: E402
from paquet.layers.mgcp import MGCP  # noqa: E402
from paquet.layers.skinny import SKINNY_MESSAGES, Skinny  # noqa: E402

from .scapy_compare import tshark_layers  # noqa: E402

MGCP_CASES: list[dict[str, Any]] = [
    {}, {"endpoint": "aaln/1@gw.example", "transaction_id": "04523"},
    {"verb": "CRCX", "transaction_id": "1", "endpoint": "ds/ds1-1/1@gw.example",
     "version": "MGCP 1.0"},
    {"verb": b"NTFY", "sep4": b"\r"},
]
SKINNY_CASES: list[dict[str, Any]] = [
    {}, {"msg": "ServiceURLStatMessage"}, {"len": 4, "msg": "KeepAliveAckMessage"},
    {"len": 0xFFFFFFFF, "res": 0x14, "msg": 0x13F}, {"msg": 0x7777},
]


@pytest.mark.parametrize("fields", MGCP_CASES)
def test_mgcp_bytes_and_fields_equal_scapy(fields: dict[str, Any]) -> None:
    data = bytes(sinet.IP(src="192.0.2.1") / sinet.UDP() / smgcp.MGCP(**fields))
    assert bytes(IP(src="192.0.2.1") / UDP() / MGCP(**fields)) == data
    mine, theirs = IP(data)[MGCP], sinet.IP(data)[smgcp.MGCP]
    for f in mine.fields_desc:
        assert getattr(mine, f.name) == getattr(theirs, f.name), f.name


@pytest.mark.parametrize("fields", SKINNY_CASES)
def test_skinny_bytes_and_fields_equal_scapy(fields: dict[str, Any]) -> None:
    data = bytes(sinet.IP(src="192.0.2.1") / sinet.TCP() / sskinny.Skinny(**fields))
    assert bytes(IP(src="192.0.2.1") / TCP() / Skinny(**fields)) == data
    mine, theirs = IP(data)[Skinny], sinet.IP(data)[sskinny.Skinny]
    assert (mine.len, mine.res, mine.msg) == (theirs.len, theirs.res, theirs.msg)
    assert mine.show(dump=True).splitlines()[1:] == theirs.show(dump=True).splitlines()[1:]


def test_skinny_messages_are_scapys() -> None:
    assert sskinny.skinny_messages == SKINNY_MESSAGES


def _fields(tree: dict[str, Any], proto: str) -> dict[str, Any]:
    layer = tree[proto]
    return layer[0] if isinstance(layer, list) else layer


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    mgcp = [Ether() / IP() / UDP() / MGCP(**f) / b"X: 1\n" for f in MGCP_CASES[:3]]
    # (tshark reads a message whose length covers its id: len=4 with no data)
    # (and each in a TCP connection of its own: the same bytes again are a retransmission)
    skinny = [Ether() / IP() / TCP(sport=40000 + i, flags="PA") / Skinny(len=4, msg=m)
              for i, m in enumerate(("KeepAliveAckMessage", 0x12F, 0x0000, 0x13F))]
    trees = tshark_layers(tmp_path, mgcp + skinny)
    for frame, tree in zip(mgcp, trees[:len(mgcp)], strict=True):
        m = Ether(bytes(frame))[MGCP]
        node = _fields(tree, "mgcp")
        assert node["mgcp.req.verb"].encode() == m.verb
        assert node["mgcp.transid"].encode() == m.transaction_id
        assert node["mgcp.req.endpoint"].encode() == m.endpoint
        assert node["mgcp.version"].encode() == m.version
    for frame, tree in zip(skinny, trees[len(mgcp):], strict=True):
        s = Ether(bytes(frame))[Skinny]
        node = _fields(tree, "skinny")
        assert int(node["skinny.data_length"]) == s.len
        assert int(node["skinny.hdr_version"], 16) == s.res
        assert int(node["skinny.messageId"]) == s.msg


def test_hostile_bytes_round_trip() -> None:
    rng = random.Random(2727)
    frames = [bytes(MGCP(**f)) for f in MGCP_CASES] + [bytes(Skinny(**f)) for f in SKINNY_CASES]
    for frame in frames:
        for cut in range(1, len(frame) + 1):
            for cls in (MGCP, Skinny):
                assert bytes(cls(frame[:cut])) == frame[:cut]
    for _ in range(2000):
        data = bytearray(rng.choice(frames))
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] = rng.choice(b" \n\x00A")
        blob = bytes(data)
        for cls in (MGCP, Skinny):
            pkt = cls(blob)
            assert bytes(pkt) == blob
            pkt.summary()
