"""paquet.probe.iptext against ipaddress, the module it stands in for on the start-up path."""

from __future__ import annotations

import ipaddress
import random

import pytest

from paquet.probe import iptext

TEXTS = [
    "192.0.2.1", "0.0.0.0", "255.255.255.255", "01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1",
    "1.2.3.4 ", " 1.2.3.4", "0x1.2.3.4", "1.2.3.04", "", ".", "::", "::1", "::1:2",
    "::ffff:1.2.3.4", "::ffff:102:304", "1::2:3.4.5.6", "::01.2.3.4", "2001:DB8::1",
    "2001:db8:0:0:1:0:0:1", "2001:0db8::0001", "1:0:0:1::", "fe80::1%eth0", "fe80::1%",
    "2001:db8::1::2", "2001:db8:::1", "12345::", "g::1", "1.2.3.4\x00", "١.٢.٣.٤", "::1.2.3.4",
    "0:0:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "::ffff:0:0", "64:ff9b::1.2.3.4",
]


def _reference(text: str) -> tuple[int, bytes, str] | None:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return ip.version, ip.packed, str(ip)


def _random_texts(n: int) -> list[str]:
    rnd = random.Random(20)
    out = []
    for _ in range(n):
        groups = [rnd.choice([0, 0, 0, 1, 0xFFFF, rnd.randrange(65536)]) for _ in range(8)]
        out.append(":".join(f"{g:x}" for g in groups))
        out.append(str(ipaddress.IPv6Address(bytes(rnd.choice([0, 0, 0xFF, rnd.randrange(256)])
                                                    for _ in range(16)))))
        out.append(".".join(str(rnd.choice([0, 1, 255, 256, rnd.randrange(300)]))
                            for _ in range(4)))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_parse_and_canonical_as_ipaddress(text: str) -> None:
    ref = _reference(text)
    if ref is None:
        with pytest.raises(ValueError):
            iptext.parse(text)
        with pytest.raises(ValueError):
            iptext.canonical(text)
        return
    assert iptext.parse(text) == ref[:2]
    assert iptext.version(text) == ref[0]
    assert iptext.canonical(text) == ref[2]


def test_random_addresses_as_ipaddress() -> None:
    for text in _random_texts(3000):
        ref = _reference(text)
        if ref is None:
            with pytest.raises(ValueError):
                iptext.parse(text)
            continue
        assert iptext.parse(text) == ref[:2], text
        assert iptext.canonical(text) == ref[2], text
        assert iptext.text(ref[1]) == ref[2], text


def test_text_of_packed_as_ipaddress() -> None:
    rnd = random.Random(7)
    samples = [bytes(4), b"\xff" * 4, bytes(16), b"\xff" * 16,
               bytes(10) + b"\xff\xff\x01\x02\x03\x04", bytes(12) + b"\x01\x02\x03\x04",
               bytes(12) + b"\x00\x01\x00\x02"]
    samples += [bytes(rnd.choice([0, 0, 1, 0xFF, rnd.randrange(256)]) for _ in range(size))
                for size in (4, 16) for _ in range(2000)]
    for packed in samples:
        assert iptext.text(packed) == str(ipaddress.ip_address(packed)), packed.hex()
