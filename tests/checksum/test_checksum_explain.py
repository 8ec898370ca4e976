"""The course's checksum steps, checked on the sheet's numbers and against Scapy's checksums."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP, IPOption

from paquet.checksums import (
    ChecksumError,
    explain_ipv4_header,
    explain_words,
    fold,
    fold_steps,
    ipv4_header_checksum,
    ones_complement_sum,
    verify_ipv4_header,
    words16,
)

# The sheet's visible words: 0x4500 + 0x003b + 0x0001 + ... + 0x4006 + 0xc0a8 + ... + 0xb74a.
# The hidden ones (flags 0x0000, source low half 0x0001, destination high half 0xb114) are
# derived so that the nine words add up to the sheet's 0x2ae49.
SHEET_HEADER = bytes.fromhex("4500003b00010000400651b4c0a80001b114b74a")


def test_sheet_arithmetic_on_its_numbers() -> None:
    # (ii) 0x2ae49 -> 0xae49 + 0x2 = 0xae4b ; (iii) ~0xae4b = 0x51b4
    (step,) = fold_steps(0x2AE49)
    assert (step.low, step.carry, step.after) == (0xAE49, 0x2, 0xAE4B)
    assert fold(0x2AE49) == 0xAE4B
    assert ~fold(0x2AE49) & 0xFFFF == 0x51B4


def test_sheet_header_explained() -> None:
    steps = explain_ipv4_header(SHEET_HEADER)
    assert steps.words[:5] == (0x4500, 0x003B, 0x0001, 0x0000, 0x4006)
    assert steps.words[6] == 0xC0A8 and steps.words[9] == 0xB74A
    assert steps.checksum_index == 5 and steps.field == 0x51B4
    assert len(steps.summed_words) == 9
    assert (steps.total, steps.folded, steps.computed, steps.ok) == (0x2AE49, 0xAE4B, 0x51B4, True)
    data = steps.to_dict()
    assert data["sum"] == "0x2ae49" and data["folded"] == "0xae4b"
    assert data["computed"] == "0x51b4" and data["ok"] is True
    assert data["folds"] == [
        {"before": "0x2ae49", "low": "0xae49", "carry": "0x2", "after": "0xae4b"}
    ]


def test_renderings_in_both_languages() -> None:
    steps = explain_ipv4_header(SHEET_HEADER)
    fr, en = steps.render("fr"), steps.render("en")
    for text in (fr, en):
        assert "0x2ae49" in text and "0xae49 + 0x2 = 0xae4b" in text
        assert "~0xae4b = 0x51b4" in text and "[51b4]" in text
    assert "complément à 1" in fr and "conforme" in fr
    assert "one's complement" in en and "intact" in en
    damaged = bytearray(SHEET_HEADER)
    damaged[11] ^= 1
    bad = explain_ipv4_header(bytes(damaged))
    assert bad.ok is False
    assert "n'est pas conforme" in bad.render("fr") and "not intact" in bad.render("en")


def test_multiple_folds_and_no_fold() -> None:
    assert [(s.before, s.after) for s in fold_steps(0x1FFFF)] == [
        (0x1FFFF, 0x10000),
        (0x10000, 0x1),
    ]
    assert fold(0x1FFFF) == 1
    small = explain_words([0x0001, 0x0002])
    assert small.folds == () and small.computed == 0xFFFC and small.ok is None
    assert "no carry" in small.render("en") and "pas de retenue" in small.render("fr")


def test_bad_words_are_rejected() -> None:
    with pytest.raises(ChecksumError, match="16-bit word"):
        explain_words([0x10000])
    with pytest.raises(ChecksumError, match="16-bit word"):
        ones_complement_sum([-1])
    with pytest.raises(ChecksumError, match="outside the 2 words"):
        explain_words([1, 2], 2)
    with pytest.raises(ChecksumError, match="not negative"):
        fold(-1)
    assert explain_words([1, 2, 3], 1, field=0xFFFB).ok is True  # ~(1 + 3)


ip_headers = st.builds(
    lambda ident, ttl, proto, tos, src, dst, flags, opts: IP(
        id=ident,
        ttl=ttl,
        proto=proto,
        tos=tos,
        src=src,
        dst=dst,
        flags=flags,
        options=[IPOption(b"\x01" * opts)] if opts else [],
    ),
    st.integers(0, 0xFFFF),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.sampled_from(["192.0.2.1", "198.51.100.7", "203.0.113.254", "0.0.0.0"]),
    st.sampled_from(["192.0.2.2", "198.51.100.200", "203.0.113.1", "255.255.255.255"]),
    st.sampled_from(["", "DF", "MF"]),
    st.sampled_from([0, 4, 8, 40]),
)


@settings(max_examples=60, deadline=None)
@given(ip_headers)
def test_checksum_equals_scapys(packet: IP) -> None:
    raw = bytes(packet)  # Scapy fills in ihl, len and chksum
    built = IP(raw)
    steps = explain_ipv4_header(raw)
    assert len(steps.words) == built.ihl * 2
    assert steps.computed == built.chksum == ipv4_header_checksum(raw)
    assert steps.ok and verify_ipv4_header(raw)
    assert steps.words == tuple(words16(raw[: built.ihl * 4]))


def test_header_inside_tcp_packet_only_covers_the_header() -> None:
    raw = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / TCP(dport=80) / b"payload")
    assert explain_ipv4_header(raw).computed == IP(raw).chksum
    assert len(explain_ipv4_header(raw).words) == 10
