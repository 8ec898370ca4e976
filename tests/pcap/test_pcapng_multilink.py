"""pcapng files holding several link types, comments, directions and capture interfaces, and
damaged pcapng files made here byte by byte, read by paquet and by Scapy side by side.

A file paquet writes must read back the same in both libraries (each packet's class, bytes,
comments, direction, interface, time, length on the wire), and a file Scapy writes must read
in paquet as in Scapy. Where a block is damaged Scapy returns the packets before it silently;
paquet returns the same packets in ``TruncatedCaptureError.packets`` and says where the damage
is (issue 13), or raises where Scapy raises.

paquet writes one interface per link type and capture interface: packets of several link
types without a capture interface keep their own link type (Scapy writes them all under the
first packet's and warns that the file "might contain invalid packets").
"""

from __future__ import annotations

import io
import logging
import struct
import warnings
from pathlib import Path
from typing import Any

import pytest

import paquet
from paquet.capfile import TruncatedCaptureError
from paquet.errors import PaquetError

scapy_all = pytest.importorskip("scapy.all")
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

SRC, DST = "192.0.2.1", "192.0.2.2"


def _packets(ns: Any) -> list[Any]:
    """Packets of four link types, each with its metadata (the same in both libraries)."""
    stacks = [
        ns.Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01") / ns.IP(src=SRC, dst=DST)
        / ns.UDP(sport=1024, dport=53) / b"q",
        ns.IP(src=SRC, dst=DST) / ns.ICMP(),
        ns.IPv6(src="2001:db8::1", dst="2001:db8::2") / ns.UDP(sport=5, dport=6),
        ns.CookedLinux(pkttype=4) / ns.IP(src=SRC, dst=DST) / ns.TCP(sport=7, dport=8),
    ]
    ifaces = [None, "eth0", "i", "lan-\u00e9 1"]
    comments: list[list[bytes] | None] = [None, [b"a"], [b"first", b"second"], [b"x" * 37]]
    out = []
    n = 0
    for i, iface in enumerate(ifaces):
        for j, stack in enumerate(stacks):
            p = stack.copy()
            p.time = 1632568366.25 + n
            p.sniffed_on = iface
            p.direction = (None, 0, 1, 2, 3)[(i + j) % 5]
            p.comments = comments[(i * 3 + j) % 4]
            out.append(p)
            n += 1
    return out


def _seen(p: Any) -> tuple[Any, ...]:
    return (type(p).__name__, bytes(p), p.comments, p.direction, p.sniffed_on, float(p.time),
            p.wirelen)


def test_paquet_file_of_several_link_types_reads_the_same_in_both(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pcapng"
    written = _packets(paquet)
    paquet.wrpcapng(str(path), written)
    ours = [_seen(p) for p in paquet.rdpcap(str(path))]
    theirs = [_seen(p) for p in scapy_all.rdpcap(str(path))]
    assert ours == theirs
    # Each packet as it was written: its class and bytes, its metadata.
    assert [o[:5] for o in ours] == [
        (type(p).__name__, bytes(p), p.comments, p.direction, p.sniffed_on) for p in written]


def test_scapy_file_reads_as_in_scapy(tmp_path: Path) -> None:
    # One link type per capture interface, as Scapy's writer needs.
    path = tmp_path / "scapy.pcapng"
    pkts = [p for p in _packets(scapy_all) if type(p).__name__ in ("Ether", "IP")]
    pkts = [p for p in pkts
            if (p.sniffed_on is None and type(p).__name__ == "Ether")
            or (p.sniffed_on is not None and (type(p).__name__ == "IP") == (p.sniffed_on == "i"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scapy_all.wrpcapng(str(path), pkts)
    assert [_seen(p) for p in paquet.rdpcap(str(path))] == [
        _seen(p) for p in scapy_all.rdpcap(str(path))]


def test_pcap_of_one_link_type_keeps_times_and_lengths(tmp_path: Path) -> None:
    path = tmp_path / "plain.pcap"
    pkts = [p for p in _packets(paquet) if type(p).__name__ == "Ether"]
    paquet.wrpcap(str(path), pkts)
    got = [(bytes(p), float(p.time), p.wirelen) for p in paquet.rdpcap(str(path))]
    assert got == [(bytes(p), float(p.time), p.wirelen) for p in scapy_all.rdpcap(str(path))]


# ---------------------------------------------------------------- damaged files, made here

LE = "<"


def _block(btype: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack(LE + "II", btype, n) + body + struct.pack(LE + "I", n)


def _shb() -> bytes:
    return _block(0x0A0D0D0A, struct.pack(LE + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def _idb(linktype: int = 1) -> bytes:
    return _block(1, struct.pack(LE + "HHI", linktype, 0, 65535))


def _epb(data: bytes, iface: int = 0, options: bytes = b"") -> bytes:
    body = struct.pack(LE + "IIIII", iface, 0, 1000, len(data), len(data))
    return _block(6, body + data + b"\0" * (-len(data) % 4) + options)


FRAME = bytes.fromhex("020000000002020000000001") + b"\x08\x00" + bytes(
    paquet.IP(src=SRC, dst=DST) / paquet.ICMP())

DAMAGED = {
    # An enhanced packet block naming an interface no block described.
    "unknown interface": _shb() + _idb() + _epb(FRAME) + _epb(FRAME, iface=3),
    # An interface block too short for its fields, after a good packet.
    "short interface": _shb() + _idb() + _epb(FRAME) + _block(1, b"\x01\x00"),
    # A block whose trailing length differs from its leading one.
    "lengths differ": _shb() + _idb() + _epb(FRAME) + _epb(FRAME)[:-4] + struct.pack("<I", 999),
    # A section header whose byte-order magic is neither order.
    "bad byte order": _block(0x0A0D0D0A, struct.pack(LE + "IHHq", 0x11223344, 1, 0, -1)),
    # A comment option packed to the end of the block, no end-of-options.
    "packed comment": _shb() + _idb() + _epb(FRAME, options=struct.pack("<HH", 1, 8) + b"Hello!!!"),
}


def _read(lib: Any, data: bytes) -> tuple[str, list[tuple[bytes, Any]]]:
    """("ok" or "raised", the packets returned or, for paquet, recovered before the damage)."""
    try:
        pkts = lib.rdpcap(io.BytesIO(data))
    except TruncatedCaptureError as exc:
        return "damaged", [(bytes(p), p.comments) for p in exc.packets]
    except (PaquetError, scapy_all.Scapy_Exception):
        return "raised", []
    return "ok", [(bytes(p), p.comments) for p in pkts]


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_pcapng_as_scapy(name: str) -> None:
    ours, theirs = _read(paquet, DAMAGED[name]), _read(scapy_all, DAMAGED[name])
    if theirs[0] == "raised":
        assert ours[0] == "raised"
    else:
        # Scapy's packets; paquet says the damage it stopped at, or reads it all as Scapy.
        assert ours[1] == theirs[1]
        assert ours[0] in ("ok", "damaged")
