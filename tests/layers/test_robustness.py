"""Robustness: 100,000 random and mutated inputs. Dissection never raises and gives back the
exact bytes; display never raises either. A plain seeded loop (fast, reproducible)."""

from __future__ import annotations

import json
import random

from scapy.layers import inet as sinet
from scapy.layers import l2 as sl2

from paquet.layers import dissect

# Valid frames to mutate, built by Scapy (the reference), one per kind of stack.
SEEDS = [
    bytes(sl2.Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01")
          / sinet.IP(src="192.0.2.1", dst="192.0.2.2", options=[sinet.IPOption_RR()])
          / sinet.TCP(sport=1234, dport=80, flags="S",
                      options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
                               ("NOP", None), ("WScale", 7)])),
    bytes(sl2.Ether() / sinet.IP(src="192.0.2.1", dst="192.0.2.2")
          / sinet.UDP(sport=5353, dport=53)
          # a DNS query for example. (A, IN): UDP port 53 is DNS's
          / bytes.fromhex("123401000001000000000000076578616d706c650000010001")),
    bytes(sl2.Ether() / sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.ICMP()) + b"\0" * 18,
    bytes(sl2.Ether() / sinet.IP(src="203.0.113.1", dst="192.0.2.1") / sinet.ICMP(type=11)
          / sinet.IP(src="192.0.2.1", dst="198.51.100.1", ttl=1) / sinet.UDP(dport=33434)),
    bytes(sl2.Ether() / sl2.Dot1Q(vlan=7) / sl2.ARP(psrc="192.0.2.1", pdst="192.0.2.2",
                                                    hwsrc="02:00:00:00:00:01")),
    bytes(sl2.Ether() / sinet.IP(src="192.0.2.1", dst="192.0.2.2", flags="MF", frag=0)
          / sinet.TCP() / (b"x" * 40)),
]
LINKTYPES = (1, 1, 1, 101, 228)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        if op == 0 and b:
            b[rng.randrange(len(b))] = rng.randrange(256)
        elif op == 1 and b:
            del b[rng.randrange(len(b)):]
        elif op == 2:
            pos = rng.randrange(len(b) + 1)
            b[pos:pos] = rng.randbytes(rng.randint(1, 8))
        elif op == 3 and b:
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        elif b:
            del b[rng.randrange(len(b))]
    return bytes(b)


def test_100000_inputs_round_trip_and_never_raise() -> None:
    rng = random.Random(0x9A9E7)
    checked = 0
    for i in range(100_000):
        if i % 3 == 0:
            data = rng.randbytes(rng.randint(0, 96))
            if data and rng.random() < 0.5:
                data = bytes([0x45]) + data[1:]  # looks like IPv4
        else:
            seed = SEEDS[i % len(SEEDS)]
            data = _mutate(rng, seed)
            if i % 7 == 0:  # strip Ethernet: raw IP
                data = data[14:]
        linktype = LINKTYPES[i % len(LINKTYPES)] if i % 7 else 101
        pkt = dissect(data, linktype)
        assert bytes(pkt) == data, (i, linktype, data.hex())
        if i % 100 == 0:
            pkt.summary()
            repr(pkt)
            shown = pkt.show(dump=True)
            assert shown
            json.dumps(pkt.to_dict(), default=str)
            _ = pkt.errors
            checked += 1
    assert checked == 1000


def test_strict_mode_raises_decode_error_on_malformed() -> None:
    from paquet.errors import DecodeError

    bad = SEEDS[0][:40]  # TCP header cut short
    try:
        dissect(bad, strict=True)
    except DecodeError as exc:
        # The first problem is IP's: its total length (at 14 + 2) runs past the 26 bytes
        # captured (an error found by payload_end, which strict mode raises too).
        assert (exc.layer, exc.offset) == ("IP", 16)
    else:
        raise AssertionError("strict mode did not raise")
    # Without the IP length problem, the TCP header cut short is the error.
    ip = bytearray(bad)
    ip[16:18] = (40 - 14).to_bytes(2, "big")
    ip[24:26] = b"\x00\x00"
    try:
        dissect(bytes(ip), strict=True)
    except DecodeError as exc:
        # Ethernet 14 bytes + IPv4 24 (with the record-route option): TCP starts at 38.
        assert (exc.layer, exc.offset) == ("TCP", 38)
    else:
        raise AssertionError("strict mode did not raise")
    assert bytes(dissect(SEEDS[1], strict=True)) == SEEDS[1]
