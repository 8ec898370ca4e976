"""SSLStreamSocket compared with Scapy's on the same stream cut into reads of every shape
(whole messages, several per read, messages split across reads, a stream ending mid-message).
The stream is an object whose ``recv`` hands out the given reads: nothing is sent."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from paquet import IntField, Packet, conf
from paquet.net.ssl_stream import SSLStreamSocket

sa = pytest.importorskip("scapy.all")


class _Reads:
    def __init__(self, parts: list[bytes]) -> None:
        self.parts = list(parts)

    def recv(self, x: int) -> bytes:
        return self.parts.pop(0) if self.parts else b""

    def fileno(self) -> int:
        return -1

    def close(self) -> None:
        return None


class Msg(Packet):
    fields_desc = [IntField("data", 0)]  # noqa: RUF012  (Scapy's tables are lists)

    def guess_payload_class(self, payload: bytes) -> Any:
        return conf.padding_layer


class ScapyMsg(sa.Packet):  # type: ignore[misc]
    fields_desc = [sa.IntField("data", 0)]  # noqa: RUF012

    def guess_payload_class(self, payload: bytes) -> Any:
        return sa.conf.padding_layer


STREAM = b"".join(i.to_bytes(4, "big") for i in range(1, 6))
CUTS = [
    [4, 8, 12, 16],  # one message a read
    [8, 16],  # two a read
    [2, 4, 7, 8, 10, 11, 12],  # split across reads
    [1, 2, 3, 5, 13, 19],  # ends mid-message
    [],  # everything in one read
]


def _reads(cuts: list[int], total: int | None = None) -> list[bytes]:
    data = STREAM[: total or len(STREAM)]
    bounds = [0, *[c for c in cuts if c < len(data)], len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


def _drain(sock: Any) -> list[Any]:
    out: list[Any] = []
    while len(out) < 20:
        try:
            out.append(sock.recv().data)
        except EOFError:
            out.append("EOF")
            break
    return out


@pytest.mark.parametrize("cuts", CUTS)
@pytest.mark.parametrize("total", [None, 18])
def test_messages_are_scapys(cuts: list[int], total: int | None) -> None:
    ours = _drain(SSLStreamSocket(_Reads(_reads(cuts, total)), basecls=Msg))
    theirs = _drain(sa.SSLStreamSocket(_Reads(_reads(cuts, total)), basecls=ScapyMsg))
    assert ours == theirs


def test_raw_by_default_as_scapy() -> None:
    ours = SSLStreamSocket(_Reads([b"hello", b"world"]))
    theirs = sa.SSLStreamSocket(_Reads([b"hello", b"world"]))
    assert [bytes(ours.recv()), bytes(ours.recv())] == [bytes(theirs.recv()), bytes(theirs.recv())]
