"""DHCP and BOOTP on hostile and truncated bytes: never an exception, every byte given back,
and options read as Scapy reads them (an option past the end, no end option, options of
zero length, values that are not of their option's kind)."""

from __future__ import annotations

import random

import pytest
from tests.layers.dhcp_cases import CASES, build

import paquet
from paquet.layers import UDP, Ether
from paquet.layers.dhcp import BOOTP, DHCP
from paquet.layers.dhcp_options import DHCPOptions

scapy = pytest.importorskip("scapy.all")


def _options_as_scapy(data: bytes) -> None:
    ours = DHCP(data)
    assert ours.options == scapy.DHCP(data).options, data
    assert bytes(ours) == data
    ours.show(dump=True)
    repr(ours)


@pytest.mark.parametrize("code", sorted(set(range(256)) - {0, 255}))
def test_every_code_of_length_zero_one_and_cut(code: int) -> None:
    for data in (bytes((code, 0)), bytes((code, 1, 7)), bytes((code, 4, 1, 2)),
                 bytes((code,)), bytes((code, 3, 1, 2, 3, 255)), bytes((code, 12)) + bytes(12),
                 bytes((code, 5, 0x21, 1, 2, 3, 4))):
        _options_as_scapy(data)


def test_length_past_the_end_keeps_the_rest() -> None:
    data = b"\x35\x01\x01\x0c\x20short" + b"\xff"
    ours = DHCP(data)
    assert ours.options == [("message-type", 1), b"\x0c\x20short\xff"]
    assert bytes(ours) == data
    _options_as_scapy(data)


def test_missing_end_and_only_pads() -> None:
    for data in (b"\x35\x01\x02", b"\x00" * 30, b"", b"\xff" * 3, b"\x00\xff\x00"):
        _options_as_scapy(data)


def test_random_options_read_as_scapy() -> None:
    """Options drawn at random (known and unknown codes, lengths right, short and long,
    values of any bytes), cut anywhere: paquet's list is Scapy's."""
    rng = random.Random(2131)
    codes = [c for c in DHCPOptions if c not in (0, 255)] + [224, 250, 63]
    for _ in range(3000):
        out = bytearray()
        for _ in range(rng.randint(0, 6)):
            pick = rng.random()
            if pick < 0.1:
                out.append(rng.choice((0, 255)))
                continue
            code = rng.choice(codes)
            size = rng.choice((0, 1, 2, 4, 8, 9, rng.randint(0, 40)))
            value = bytes(rng.randrange(256) for _ in range(size))
            if code == 121 and value and rng.random() < 0.7:
                value = bytes((rng.choice((0, 8, 24, 32, 33)),)) + value[1:]
            declared = size if rng.random() < 0.8 else rng.randint(0, 255)
            out += bytes((code, declared)) + value
        data = bytes(out)
        _options_as_scapy(data[: rng.randint(0, len(data))] if rng.random() < 0.3 else data)


@pytest.mark.parametrize("case", [CASES[2], CASES[5], CASES[9], CASES[12]],
                         ids=lambda c: c[0])
def test_every_cut_of_a_frame_round_trips(case: tuple) -> None:  # type: ignore[type-arg]
    frame = bytes(build(paquet, case[1], case[2], case[3]))
    for n in range(1, len(frame) + 1):
        cut = frame[:n]
        pkt = Ether(cut)
        assert bytes(pkt) == cut
        pkt.show(dump=True)
        pkt.summary()
        assert bytes(pkt.copy()) == cut


def test_cut_bootp_headers_are_partial_layers() -> None:
    whole = bytes(BOOTP(chaddr="02:00:00:00:00:01", xid=5) / DHCP(options=[
        ("message-type", "discover"), "end"]))
    for n in range(1, len(whole)):
        cut = whole[:n]
        layer = BOOTP(cut)
        assert bytes(layer) == cut
        if n < 28:  # a fixed field cut: reported (the strings after it read what is there)
            assert layer.errors, n
        else:
            assert repr(layer) == repr(scapy.BOOTP(cut)), n


def test_udp_length_shorter_than_the_options() -> None:
    """A UDP length that cuts the options: the options end there, the rest is padding."""
    frame = bytearray(bytes(build(paquet, *CASES[3][1:])))
    udp_len = int.from_bytes(frame[38:40], "big")
    frame[38:40] = (udp_len - 10).to_bytes(2, "big")
    pkt = Ether(bytes(frame))
    assert bytes(pkt) == bytes(frame)
    theirs = scapy.Ether(bytes(frame))
    assert pkt[DHCP].options == theirs[scapy.DHCP].options
    assert pkt[UDP].payload.summary() == theirs[scapy.UDP].payload.summary()
