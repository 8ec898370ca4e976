"""The C columns against their Python specification (quick.py), on built, real and damaged
captures of every link type the quick path reads."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.frame.captures import damaged, mixed, write_linktype
from tests.frame.conftest import REAL

from paquet.frame import quick, read

pytestmark = pytest.mark.skipif(not quick.ENABLED, reason="the C module is not built")


def both(path: object, monkeypatch: pytest.MonkeyPatch, **options: object) -> tuple[object, object]:
    fast = read(path, **options)
    with monkeypatch.context() as m:
        m.setattr(quick, "_columns", None)
        slow = read(path, **options)
    return fast, slow


def assert_same(fast: object, slow: object) -> None:
    assert fast.schema == slow.schema  # type: ignore[attr-defined]
    for name in fast.column_names:  # type: ignore[attr-defined]
        assert fast.column(name).to_pylist() == slow.column(name).to_pylist(), name  # type: ignore[attr-defined]


@pytest.mark.parametrize("binary", [False, True])
def test_mixed_capture(mixed_pcap: Path, monkeypatch: pytest.MonkeyPatch, binary: bool) -> None:
    fast, slow = both(mixed_pcap, monkeypatch, binary_addresses=binary)
    assert fast.num_rows == len(mixed())
    assert_same(fast, slow)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_captures(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both(path, monkeypatch)
    assert fast.num_rows > 0
    assert_same(fast, slow)


@pytest.mark.parametrize("linktype", [1, 0, 108, 101, 113, 228, 229, 276])
def test_damaged_packets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linktype: int) -> None:
    """Packets cut anywhere and with random bytes changed, read as each link type."""
    rng = random.Random(linktype)
    datas: list[bytes] = []
    for pkt in mixed():
        raw = bytes(pkt)
        if linktype == 1:
            datas += damaged(raw, rng)[:40]
        else:
            head = {
                0: b"\x02\0\0\0",
                108: b"\0\0\0\x02",
                113: bytes(14) + raw[12:14],
                276: raw[12:14] + bytes(18),
            }
            body = raw[14:]
            if raw[12:14] == b"\x86\xdd" and linktype in (0, 108):
                head = {0: b"\x1e\0\0\0", 108: b"\0\0\0\x1e"}
            datas += damaged(head.get(linktype, b"") + body, rng)[:40]
    path = write_linktype(tmp_path / f"lt{linktype}.pcap", linktype, datas)
    fast, slow = both(path, monkeypatch, batch_size=97)
    assert fast.num_rows == len(datas)
    assert_same(fast, slow)


def test_ipv6_text_is_inet_ntop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Addresses with zero runs of every length and place (RFC 5952 text, inet_ntop's)."""
    rng = random.Random(6)
    datas = []
    for _ in range(300):
        words = [rng.choice([0, 0, 0, 1, 0xFFFF, rng.randrange(65536)]) for _ in range(16)]
        addrs = b"".join(w.to_bytes(2, "big") for w in words)
        datas.append(b"\x60" + bytes(3) + b"\0\0\x3b\x40" + addrs)
    path = write_linktype(tmp_path / "v6.pcap", 229, datas)
    fast, slow = both(path, monkeypatch)
    assert_same(fast, slow)
