"""Fragments against the Linux kernel, in a lab of two namespaces (documentation addresses).

* Overlapping, duplicated, out-of-order and malformed fragments go from the client to a UDP
  socket on the server: what the socket receives is what paquet's reassembly under the
  ``"linux"`` policy gives (nothing when it discards the datagram).
* ``send()`` and ``sr1()`` of an IPv4 packet larger than the link's MTU: the server gets the
  whole datagram (paquet fragments it, as Scapy does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paquet.lab import Lab
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged

TOPOLOGY = """
name = "frag"
[nodes.client]
[nodes.server]
services = ["udp:7777"]
[[links]]
nodes = ["client", "server"]
subnet = "192.0.2.0/24"
ipv6 = "2001:db8:0:1::/64"
"""
PORT = 7777
SERVICE = f"udp:{PORT}"

# The UDP datagram the cases cut up: 8 bytes of header (checksum 0: IPv4 lets the receiver
# take any content, whichever piece wins an overlap), then 32 bytes of data.
DATA = b"0123456789abcdefghijklmnopqrstuv"
UDP_HEADER = (4000).to_bytes(2, "big") + PORT.to_bytes(2, "big") + (8 + len(DATA)).to_bytes(
    2, "big") + b"\0\0"
T = UDP_HEADER + DATA

# (offset in 8-byte units, bytes, more fragments), in the order sent.
Piece = tuple[int, bytes, bool]
CASES: dict[str, list[Piece]] = {
    "in order": [(0, T[:16], True), (2, T[16:32], True), (4, T[32:], False)],
    "reversed": [(4, T[32:], False), (2, T[16:32], True), (0, T[:16], True)],
    "last first": [(4, T[32:], False), (0, T[:16], True), (2, T[16:32], True)],
    "identical duplicate": [(0, T[:16], True), (2, T[16:32], True), (2, T[16:32], True),
                            (4, T[32:], False)],
    # wholly inside what came: dropped, the first copy stays
    "duplicate with other bytes": [(0, T[:16], True), (2, T[16:32], True), (2, b"X" * 8, True),
                                   (4, T[32:], False)],
    # inside a run the kernel made by appending: a duplicate too
    "inside an appended run": [(0, T[:16], True), (2, T[16:32], True), (1, b"W" * 16, True),
                               (4, T[32:], False)],
    # partly over what came: the whole datagram goes
    "partial overlap": [(0, T[:16], True), (1, b"Y" * 16, True), (2, T[16:32], True),
                        (4, T[32:], False)],
    # over three runs that touch but were never merged: an overlap, not a duplicate
    "over separate runs": [(0, T[:8], True), (2, T[16:24], True), (1, T[8:16], True),
                           (0, b"Z" * 24, True), (3, T[24:32], True), (4, T[32:], False)],
    "zero length": [(0, T[:16], True), (2, b"", True), (2, T[16:32], True), (4, T[32:], False)],
    # a piece that is not the last is cut to a multiple of 8: the Q's never count
    "odd length": [(0, T[:8] + b"QQQQ", True), (1, T[8:16], True), (2, T[16:], False)],
    "two last fragments": [(0, T[:16], True), (4, T[32:], False), (4, T[32:] + b"more", False),
                           (2, T[16:32], True)],
    "overlap_frag": [(0, T[:8], True), (1, b"B" * 8, True), (0, T[:8], True),
                     (1, T[8:16], True), (2, T[16:32], True), (4, T[32:], False)],
    "missing middle": [(0, T[:16], True), (4, T[32:], False)],
}


@pytest.fixture(scope="module")
def lab(lab_module_factory: LabFactory) -> Iterator[Lab]:
    yield lab_module_factory(parse(TOPOLOGY))


def fragment_frames(src: str, dst: str, ident: int, pieces: list[Piece]) -> list[bytes]:
    """The IPv4 fragments of ``pieces`` (UDP, id ``ident``) as bytes."""
    from paquet.layers import IP

    return [bytes(IP(src=src, dst=dst, id=ident, proto=17, frag=off, flags="MF" if more else 0)
                  / data) for off, data, more in pieces]


def fragment6_frames(src: str, dst: str, ident: int, pieces: list[Piece]) -> list[bytes]:
    """The IPv6 fragments of ``pieces`` (UDP, id ``ident``) as bytes, the UDP checksum made
    right for what the ``"linux"`` policy reassembles (IPv6 requires one; for nothing, right
    for the datagram sent whole): if the kernel put together anything else, the checksum
    would fail and the socket would get nothing."""
    from paquet.checksums import internet_checksum
    from paquet.fragments6 import defragment6
    from paquet.layers import IPv6, IPv6ExtHdrFragment

    def build(pieces: list[Piece]) -> list[bytes]:
        return [bytes(IPv6(src=src, dst=dst) / IPv6ExtHdrFragment(nh=17, offset=off, m=int(more),
                                                                 id=ident) / data)
                for off, data, more in pieces]

    whole = defragment6([IPv6(f) for f in build(pieces)], policy="linux")
    # Nothing expected: the checksum of the datagram as sent whole, which the kernel would
    # deliver if it reassembled the pieces in order after all.
    transport = bytes(whole.payload) if whole else T
    pseudo = IPv6(src=src, dst=dst).pseudo_header(len(transport), 17)
    csum = (internet_checksum(pseudo + transport) or 0xFFFF).to_bytes(2, "big")
    fixed = [(off, data[:6] + csum + data[8:] if off == 0 and len(data) >= 8 else data, more)
             for off, data, more in pieces]
    return build(fixed)


def send_raw(frames: list[bytes], dst: str, sentinel: bytes) -> None:
    """In the client: send ``frames`` as they are, then ``sentinel`` through a UDP socket."""
    import socket

    from paquet.net.sockets import L3RawSocket

    sock = L3RawSocket(listen=False)
    try:
        for frame in frames:
            sock.send_bytes(frame)
    finally:
        sock.close()
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as udp:
        udp.sendto(sentinel, (dst, PORT))


def received_before(lab: Lab, sentinel: bytes) -> list[bytes]:
    """What the server's socket got before ``sentinel`` (which comes after, on the same path)."""
    count = 1
    while True:
        records = lab["server"].wait_logs(SERVICE, count, timeout=5.0)
        data = [r.data for r in records if r.event == "recv"]
        if sentinel in data:
            return data[: data.index(sentinel)]
        assert len(records) >= count, f"the sentinel {sentinel!r} never arrived"
        count = len(records) + 1


def reassembled(frames: list[bytes], policy: str) -> list[bytes]:
    """The UDP payloads paquet's reassembly delivers from ``frames``."""
    from paquet.fragments import defrag
    from paquet.fragments6 import defragment6
    from paquet.layers import IP, IPv6

    if frames and frames[0][0] >> 4 == 6:
        whole = defragment6([IPv6(f) for f in frames], policy=policy)
        return [bytes(whole.payload)[8:]] if whole else []
    _notfrag, done, _bad = defrag([IP(f) for f in frames], policy=policy)
    return [bytes(pkt[IP].payload)[8:] for pkt in done]


@pytest.mark.parametrize("case", list(CASES))
def test_linux_policy_is_what_the_kernel_reassembles(lab: Lab, case: str) -> None:
    ident = 100 + list(CASES).index(case)  # one id per case: no queue left over is shared
    frames = fragment_frames(lab["client"].addr(), lab["server"].addr(), ident, CASES[case])
    lab["server"].clear_logs(SERVICE)
    sentinel = f"sentinel {case}".encode()
    lab["client"].run(send_raw, frames, lab["server"].addr(), sentinel)
    assert received_before(lab, sentinel) == reassembled(frames, "linux")


@pytest.mark.parametrize("case", list(CASES))
def test_linux_policy_is_what_the_kernel_reassembles_ipv6(lab: Lab, case: str) -> None:
    ident = 200 + list(CASES).index(case)
    frames = fragment6_frames(lab["client"].addr(6), lab["server"].addr(6), ident, CASES[case])
    lab["server"].clear_logs(SERVICE)
    sentinel = f"sentinel6 {case}".encode()
    lab["client"].run(send_raw, frames, lab["server"].addr(6), sentinel)
    assert received_before(lab, sentinel) == reassembled(frames, "linux")


def test_the_policies_differ_where_linux_says_so() -> None:
    """The cases tell the policies apart (so the comparison above can fail)."""
    outcomes = {policy: [reassembled(fragment_frames("192.0.2.1", "192.0.2.2", 1, pieces),
                                     policy) for pieces in CASES.values()]
                for policy in ("first", "last", "linux")}
    assert outcomes["linux"] != outcomes["first"]
    assert outcomes["linux"] != outcomes["last"]
    assert outcomes["first"] != outcomes["last"]


# ---------------------------------------------------------------------- oversize sends


def send_big(dst: str, size: int) -> int:
    """In the client: send() one UDP datagram of ``size`` bytes of data; the bytes sent."""
    from paquet import IP, UDP, send

    pkts = send(IP(dst=dst) / UDP(sport=4001, dport=PORT) / (b"z" * size), verbose=0,
                return_packets=True)
    return len(pkts)


def ping_big(dst: str, size: int) -> Any:
    """In the client: sr1() of an echo request with ``size`` bytes of data; the answer's
    ICMP type, or None."""
    from paquet import ICMP, IP, sr1

    answer = sr1(IP(dst=dst) / ICMP(id=7, seq=1) / (b"p" * size), timeout=3, verbose=0)
    return None if answer is None else int(answer[ICMP].type)


@pytest.mark.parametrize("size", [1472, 1473, 4000, 20000])
def test_send_larger_than_the_mtu_arrives_whole(lab: Lab, size: int) -> None:
    lab["server"].clear_logs(SERVICE)
    sentinel = f"sentinel big {size}".encode()
    assert lab["client"].run(send_big, lab["server"].addr(), size) == 1
    lab["client"].run(send_raw, [], lab["server"].addr(), sentinel)
    assert received_before(lab, sentinel) == [b"z" * size]


def test_sr1_larger_than_the_mtu_is_answered(lab: Lab) -> None:
    # the server answers only a request it reassembled whole
    assert lab["client"].run(ping_big, lab["server"].addr(), 3000) == 0


def send_big_without_auto_fragment(dst: str) -> str:
    """In the client: with ``conf.auto_fragment = False`` (Scapy's switch), the error."""
    from paquet import IP, UDP, conf, send
    from paquet.errors import NetworkError

    conf.auto_fragment = False
    try:
        send(IP(dst=dst) / UDP(dport=PORT) / (b"n" * 3000), verbose=0)
    except NetworkError as exc:
        return str(exc)
    finally:
        conf.auto_fragment = True
    return "sent"


def test_auto_fragment_off_makes_an_oversize_send_an_error(lab: Lab) -> None:
    message = lab["client"].run(send_big_without_auto_fragment, lab["server"].addr())
    assert "larger than the path MTU" in message


# ---------------------------------------------------------------------- the kernel's fragments

# Record route (copy flag 0, room for two addresses), a NOP, router alert (copy flag 1).
KERNEL_OPTIONS = bytes([7, 11, 4]) + bytes(8) + bytes([1, 148, 4, 0, 0])


def kernel_fragments(dst: str, size: int) -> list[bytes]:
    """In the client: the IPv4 fragments the kernel makes of a UDP datagram of ``size`` bytes
    sent with KERNEL_OPTIONS, as they left eth0 (read back from a packet socket)."""
    import socket
    import subprocess

    subprocess.run(["ping", "-c1", "-W2", dst], check=True, capture_output=True)  # ARP done
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))  # ETH_P_ALL
    cap.bind(("eth0", 0))
    cap.settimeout(2.0)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, KERNEL_OPTIONS)
        udp.sendto(b"k" * size, (dst, PORT))
    frames = []
    try:
        while True:
            frame = cap.recv(65535)
            if frame[0] >> 4 == 4 and frame[9] == 17 and frame[16:20] == socket.inet_aton(dst):
                frames.append(frame)
                if not frame[6] & 0x20:  # MF clear: the last
                    return frames
    finally:
        cap.close()


def test_linux_option_rule_is_how_the_kernel_fragments(lab: Lab) -> None:
    """options="linux": paquet's fragments of the datagram equal the kernel's, byte for byte
    (sizes, ids, offsets, NOPs where the options without copy flag were, checksums)."""
    from paquet.fragments import defragment, fragment
    from paquet.layers import IP

    frames = lab["client"].run(kernel_fragments, lab["server"].addr(), 4000)
    assert len(frames) == 3
    whole = defragment([IP(f) for f in frames], policy="linux")[0]
    hlen = (frames[0][0] & 15) * 4
    assert hlen == 20 + len(KERNEL_OPTIONS)
    mine = [bytes(f) for f in fragment(whole, 1500 - hlen, options="linux")]
    assert mine == frames
    assert [bytes(f) for f in fragment(whole, 1500 - hlen)] != frames  # Scapy's: all options
