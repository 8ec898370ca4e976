"""The probe receivers' hand-assembled kernel filters against libpcap's programs for the same
expressions, on many packets."""

from __future__ import annotations

import random
import socket
import struct

import pytest

from paquet.probe.kfilter import program
from paquet.probe.rawio import _filter_expression

bpf = pytest.importorskip("paquet.net.bpf")


def _packets4(rng: random.Random, dst: str) -> list[bytes]:
    out = []
    for _ in range(400):
        proto = rng.choice([1, 6, 17, 58, 47, rng.randrange(256)])
        to = dst if rng.random() < 0.6 else f"198.51.100.{rng.randrange(256)}"
        head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 1, 0, 64, proto, 0,
                           socket.inet_aton("203.0.113.9"), socket.inet_aton(to))
        out.append(head + rng.randbytes(rng.choice([0, 8, 20])))
    return out


def _packets6(rng: random.Random) -> list[bytes]:
    out = []
    for _ in range(400):
        nh = rng.choice([6, 17, 58, 0, 43, rng.randrange(256)])
        head = struct.pack("!IHBB16s16s", 6 << 28, 20, nh, 64, rng.randbytes(16),
                           rng.randbytes(16))
        out.append(head + rng.randbytes(20))
    return out


@pytest.mark.parametrize("protos", [(6,), (6, 1), (17, 1), (1, 6, 17)])
def test_ipv4_verdicts_equal_libpcaps(protos: tuple[int, ...]) -> None:
    rng = random.Random(sum(protos))
    for dst in ("192.0.2.1", None):
        ours = bpf.BpfProgram("ours", 228, program(protos, 4, dst))
        ref = bpf.compile_filter(_filter_expression(protos, 4, dst), 228)
        packets = _packets4(rng, dst or "192.0.2.1")
        verdicts = [ours.matches(p) for p in packets]
        assert verdicts == [ref.matches(p) for p in packets]
        assert any(verdicts) and not all(verdicts)


@pytest.mark.parametrize("protos", [(6, 58), (17, 58), (58,)])
def test_ipv6_verdicts_equal_libpcaps(protos: tuple[int, ...]) -> None:
    rng = random.Random(len(protos))
    ours = bpf.BpfProgram("ours", 229, program(protos, 6))
    ref = bpf.compile_filter(_filter_expression(protos, 6, None), 229)
    packets = _packets6(rng)
    verdicts = [ours.matches(p) for p in packets]
    assert verdicts == [ref.matches(p) for p in packets]
    assert any(verdicts) and not all(verdicts)


def test_no_protocol_is_refused() -> None:
    with pytest.raises(ValueError):
        program((), 4)
