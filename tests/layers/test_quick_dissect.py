"""The one-step dissection of the common headers (``quick_dissect``) gives exactly what the
general path (``do_dissect``, ``payload_end``, the payload lookup) gives: the same layers, the
same field values, the same lazy payload bounds and paddings, the same errors, for valid frames
built by Scapy and for 15,000 mutations of them (a seeded loop: reproducible)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6
from scapy.layers import l2 as sl2

from paquet.layers import IP, TCP, UDP, Ether, IPv6, dissect, dissector_for
from paquet.packet import base
from paquet.packet.base import Packet, Raw, payload_of

from .test_robustness import SEEDS, _mutate

SEEDS6 = [
    bytes(sl2.Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
          / sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
          / sinet.UDP(sport=1234, dport=53) / (b"x" * 20)),
    bytes(sl2.Ether() / sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
          / sinet.TCP(sport=1234, dport=443, flags="PA", options=[("NOP", None), ("NOP", None),
                                                                   ("Timestamp", (7, 9))])
          / b"GET / HTTP/1.1\r\n"),
    bytes(sl2.Ether() / sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
          / sinet6.ICMPv6EchoRequest(id=7, seq=1, data=b"ping")),
    bytes(sl2.Ether() / sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
          / sinet6.IPv6ExtHdrHopByHop() / sinet.UDP(dport=7)),
    # A pure ACK padded to Ethernet's minimum (IP total length shorter than the frame).
    bytes(sl2.Ether() / sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.TCP(flags="A"))
    + b"\x00" * 6,
    bytes(sl2.Ether() / sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.UDP(dport=9)
          / b"abc") + b"\x00" * 3,
]
QUICK = [IP, TCP, UDP, Ether, IPv6]


@contextmanager
def _general() -> Iterator[None]:
    """Within this context every layer takes the general path."""
    saved = {cls: cls._quick for cls in QUICK}
    for cls in QUICK:
        cls._quick = None
    try:
        yield
    finally:
        for cls, quick in saved.items():
            cls._quick = quick


def _snapshot(pkt: Packet) -> list[tuple[str, dict[str, Any]]]:
    """Each layer's class and instance dict (its lazy bounds included, taken before its
    payload is dissected), without the links and the time."""
    out = []
    layer: Packet = pkt
    while layer:
        d = {
            k: ([str(e) for e in v] if k == "_errors" else v)
            for k, v in layer.__dict__.items()
            if k not in ("time", "underlayer", "payload")
        }
        out.append((type(layer).__name__, d))
        layer = payload_of(layer)
    return out


def _both(data: bytes, linktype: int) -> tuple[Any, Any]:
    quick = _snapshot(dissect(data, linktype)), bytes(dissect(data, linktype))
    with _general():
        general = _snapshot(dissect(data, linktype)), bytes(dissect(data, linktype))
    return quick, general


def test_quick_paths_are_used() -> None:
    pkt = Ether(SEEDS6[0])
    assert "_lazy" in pkt.__dict__ and IPv6._quick is not None
    # A subclass parses its own way: it never inherits its base class's quick path.
    from paquet.layers import IPerror, UDPerror

    assert IPerror._quick is None and UDPerror._quick is None


@pytest.mark.parametrize("seed", range(len(SEEDS) + len(SEEDS6)))
def test_seeds_same_layers_both_ways(seed: int) -> None:
    data = (SEEDS + SEEDS6)[seed]
    for linktype, frame in ((1, data), (101, data[14:])):
        quick, general = _both(frame, linktype)
        assert quick == general
        assert quick[1] == frame


def test_15000_mutations_same_layers_both_ways() -> None:
    rng = random.Random(0x0C1C)
    seeds = SEEDS + SEEDS6
    for i in range(15_000):
        data = _mutate(rng, seeds[i % len(seeds)])
        linktype = 1
        if i % 5 == 0:
            data, linktype = data[14:], 101
        quick, general = _both(data, linktype)
        assert quick == general, (i, linktype, data.hex())
        assert quick[1] == data


def test_a_class_called_on_bytes_and_a_capture_decoder_agree() -> None:
    frame = SEEDS6[1]
    by_class = Ether(frame)
    fast = dissector_for(1)
    assert fast is not None and dissector_for(101) is None
    by_decoder = fast(frame, 12.5)
    assert _snapshot(by_class) == _snapshot(by_decoder)
    assert by_decoder.time == 12.5 and by_decoder[TCP].time == 12.5
    # Bytes that do not parse: the general path's answer, with the time given.
    short = base.dissector(IP)(b"\x45\x00", 3.0)
    assert isinstance(short, Raw) and short.time == 3.0 and bytes(short) == b"\x45\x00"
    assert short.errors
