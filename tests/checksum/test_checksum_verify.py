"""Verification over raw bytes: IPv4 headers in frames, transport checksums against Scapy,
every verdict against tshark's, and RFC 1624 incremental updates against recomputation."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (
    ICMPv6EchoRequest,
    IPv6,
    IPv6ExtHdrDestOpt,
    IPv6ExtHdrFragment,
    IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting,
)
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether

from paquet.checksums import (
    ChecksumError,
    checksum_with_field_zeroed,
    explain_packet,
    explain_transport,
    incremental_update,
    internet_checksum,
    ipv4_header,
    ipv4_offset,
    pseudo_header,
    transport_checksum,
    verify,
    verify_icmp,
    verify_ipv4_packet,
    verify_packet,
    verify_transport,
)
from paquet.errors import DecodeError

MACS = {"src": "02:00:00:00:00:01", "dst": "02:00:00:00:00:02"}
V4 = {"src": "192.0.2.1", "dst": "198.51.100.2"}
V6 = {"src": "2001:db8::1", "dst": "2001:db8::2"}


def test_ipv4_header_found_in_frames() -> None:
    ip = IP(**V4) / UDP(dport=53) / b"x"
    header = bytes(ip)[:20]
    assert ipv4_header(bytes(ip)) == header
    assert ipv4_header(bytes(Ether(**MACS) / ip)) == header
    assert ipv4_header(bytes(Ether(**MACS) / Dot1Q(vlan=7) / ip)) == header
    assert ipv4_header(bytes(Ether(**MACS) / Dot1AD(vlan=3) / Dot1Q(vlan=7) / ip)) == header
    assert ipv4_header(bytes(Ether(**MACS) / ip), "ether") == header
    assert ipv4_header(bytes(ip), "ip") == header


@pytest.mark.parametrize(
    ("data", "link", "message"),
    [
        (
            bytes(Ether(**MACS) / ARP(psrc="192.0.2.1", pdst="192.0.2.2")),
            "ether",
            "EtherType 0x0800 \\(IPv4\\), got 0x0806",
        ),
        (
            bytes(Ether(**MACS) / ARP(psrc="192.0.2.1", pdst="192.0.2.2")),
            "auto",
            "an Ethernet frame carrying IPv4 or an IPv4 header",
        ),
        (bytes(IPv6(**V6)), "ip", "version 4, got 6"),
        (bytes.fromhex("4400001400000000400000000102030405060708"), "ip", "IHL >= 5"),
        (bytes.fromhex("46000018000000004000000001020304050607080000"), "ip", "truncated"),
        (b"\x45\x00", "ip", "a 20-byte header, got 2"),
        (b"\x00" * 10, "ether", "an EtherType at bytes 12-13"),
    ],
)
def test_ipv4_header_rejections(data: bytes, link: str, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        ipv4_header(data, link)


def test_ambiguous_bytes_pick_the_consistent_reading() -> None:
    # An IPv4 packet whose bytes 12-13 read 0x0800 and byte 14 reads 0x45 (source 8.0.69.1):
    # it also parses as an Ethernet frame, but only the IPv4 reading has a valid checksum.
    packet = bytes(IP(src="8.0.69.1", dst="192.0.2.1") / UDP(sport=1, dport=2) / bytes(20))
    assert packet[12:15] == b"\x08\x00\x45"
    assert ipv4_offset(packet) == 0
    assert ipv4_offset(packet, "ether") == 14
    # An Ethernet frame whose destination MAC starts like an IPv4 header stays Ethernet.
    frame = bytes(Ether(dst="45:00:00:14:00:00", src=MACS["src"]) / IP(**V4) / b"data")
    assert ipv4_offset(frame) == 14
    assert verify_ipv4_packet(frame)[0].offset == 24


def test_bad_link_name() -> None:
    with pytest.raises(ChecksumError, match="link must be"):
        ipv4_header(b"", "wifi")


def test_pseudo_headers_by_hand() -> None:
    # RFC 768 / RFC 8200 layouts, written out field by field.
    assert pseudo_header("192.0.2.1", "192.0.2.2", 6, 40) == (
        bytes([192, 0, 2, 1, 192, 0, 2, 2, 0, 6]) + struct.pack("!H", 40)
    )
    v6 = pseudo_header("2001:db8::1", "2001:db8::2", 58, 16)
    assert len(v6) == 40 and v6[32:] == struct.pack("!I", 16) + b"\x00\x00\x00\x3a"
    with pytest.raises(ChecksumError, match="same IP version"):
        pseudo_header("192.0.2.1", "2001:db8::2", 6, 0)
    with pytest.raises(ChecksumError, match="4 or 16 bytes"):
        pseudo_header(b"\x01", b"\x02", 6, 0)
    with pytest.raises(ChecksumError, match="does not appear to be"):
        pseudo_header("nope", "192.0.2.1", 6, 0)
    with pytest.raises(ChecksumError, match="protocol number 300"):
        pseudo_header("192.0.2.1", "192.0.2.2", 300, 0)
    with pytest.raises(ChecksumError, match="does not fit"):
        pseudo_header("192.0.2.1", "192.0.2.2", 6, 70000)


transport = st.sampled_from(["tcp", "udp", "icmpv6"])


@settings(max_examples=60, deadline=None)
@given(
    transport, st.booleans(), st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.binary(max_size=40)
)
def test_transport_checksum_equals_scapys(
    kind: str, v6: bool, sport: int, dport: int, payload: bytes
) -> None:
    addresses = V6 if (v6 or kind == "icmpv6") else V4
    net = IPv6(**addresses) if addresses is V6 else IP(**addresses)
    if kind == "tcp":
        layer, proto, offset = TCP(sport=sport, dport=dport, flags="S"), 6, 16
    elif kind == "udp":
        layer, proto, offset = UDP(sport=sport, dport=dport), 17, 6
    else:
        layer, proto, offset = ICMPv6EchoRequest(id=sport, seq=dport), 58, 2
    raw = bytes(net / layer / payload)
    header_length = 40 if addresses is V6 else 20
    segment = raw[header_length:]
    expected = int.from_bytes(segment[offset : offset + 2], "big")
    assert transport_checksum(addresses["src"], addresses["dst"], proto, segment) == expected
    assert verify_transport(addresses["src"], addresses["dst"], proto, segment)
    damaged = bytearray(segment)
    damaged[-1] ^= 0x01
    assert not verify_transport(addresses["src"], addresses["dst"], proto, bytes(damaged))


def test_icmp_and_udp_zero() -> None:
    icmp = bytes(ICMP(id=1, seq=2) / b"ping")
    assert verify_icmp(icmp) and not verify_icmp(icmp[:-1] + b"x") and not verify_icmp(b"\x00")
    assert checksum_with_field_zeroed(icmp, 2) == ICMP(icmp).chksum
    with pytest.raises(ChecksumError, match="outside 4 bytes"):
        checksum_with_field_zeroed(b"\x00" * 4, 3)
    no_checksum = bytes.fromhex("0001000200080000")  # UDP over IPv4 sent without checksum
    assert verify_transport("192.0.2.1", "192.0.2.2", 17, no_checksum)
    assert not verify_transport("2001:db8::1", "2001:db8::2", 17, no_checksum)


def test_udp_zero_result_is_sent_as_ffff() -> None:
    # A datagram whose checksum computes to 0 is sent as 0xffff (RFC 768). Search one:
    src, dst = "192.0.2.1", "192.0.2.2"
    for sport in range(0x10000):
        segment = struct.pack("!HHHH", sport, 9, 8, 0)
        if checksum_with_field_zeroed(pseudo_header(src, dst, 17, 8) + segment, 12 + 6) == 0:
            break
    else:
        pytest.fail("no UDP header with a zero checksum")
    assert transport_checksum(src, dst, 17, segment) == 0xFFFF
    sent = segment[:6] + b"\xff\xff"
    steps = explain_transport(src, dst, 17, sent)
    assert steps.computed == 0 and steps.field == 0xFFFF and steps.ok is True
    assert "written 0xffff in the field (RFC 768)" in steps.render("en")
    assert verify_transport(src, dst, 17, sent)
    assert bytes(IP(src=src, dst=dst) / UDP(sport=sport, dport=9))[26:28] == b"\xff\xff"


def _frames() -> list[bytes]:
    """Frames whose checksums are good, bad, or absent, built by Scapy."""
    eth = Ether(**MACS)
    return [
        bytes(eth / IP(**V4) / UDP(sport=1000, dport=53) / b"query"),
        bytes(eth / IP(**V4) / TCP(sport=1000, dport=80, flags="S")),
        bytes(eth / IP(**V4) / ICMP(id=7, seq=1) / b"ping"),
        bytes(eth / IP(**V4, chksum=0x1234) / UDP(sport=1, dport=2)),
        bytes(eth / IP(**V4) / UDP(sport=1, dport=2, chksum=0xBEEF) / b"x"),
        bytes(eth / IP(**V4) / TCP(sport=1, dport=2, chksum=0x0001)),
        bytes(eth / IP(**V4) / ICMP(chksum=0x4242)),
        bytes(eth / IP(**V4) / UDP(sport=1, dport=2, chksum=0) / b"x"),
        bytes(eth / Dot1Q(vlan=5) / IP(**V4) / UDP(sport=3, dport=4) / b"tagged"),
        bytes(eth / IPv6(**V6) / UDP(sport=1, dport=2) / b"six"),
        bytes(eth / IPv6(**V6) / UDP(sport=1, dport=2, chksum=0) / b"six"),
        bytes(eth / IPv6(**V6) / TCP(sport=1, dport=2, chksum=0x0005)),
        bytes(eth / IPv6(**V6) / ICMPv6EchoRequest(id=1, seq=1) / b"ping"),
        bytes(eth / IPv6(**V6) / ICMPv6EchoRequest(cksum=0x1111)),
        bytes(eth / IPv6(**V6) / IPv6ExtHdrHopByHop() / TCP(sport=1, dport=2, flags="S")),
        bytes(eth / IPv6(**V6) / IPv6ExtHdrDestOpt() / UDP(sport=1, dport=2, chksum=0x7777)),
        bytes(eth / IPv6(**V6) / IPv6ExtHdrFragment(m=0, offset=0) / UDP(sport=1, dport=2)),
        bytes(
            eth
            / IPv6(**V6)
            / IPv6ExtHdrRouting(addresses=["2001:db8::3"], segleft=1)
            / UDP(sport=1, dport=2)
            / b"routed"
        ),
        bytes(eth / Dot1Q(vlan=6) / IPv6(**V6) / UDP(sport=5, dport=6) / b"tagged"),
    ]


def _tshark_status(frames: list[bytes], tmp_path: Path) -> list[list[str]]:
    capture = tmp_path / "frames.pcap"
    with capture.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for frame in frames:
            out.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)
    fields = [
        "ip.checksum.status",
        "udp.checksum.status",
        "tcp.checksum.status",
        "icmp.checksum.status",
        "icmpv6.checksum.status",
    ]
    command = [
        "tshark",
        "-r",
        str(capture),
        "-T",
        "fields",
        "-o",
        "ip.check_checksum:TRUE",
        "-o",
        "udp.check_checksum:TRUE",
        "-o",
        "tcp.check_checksum:TRUE",
    ]
    for name in fields:
        command += ["-e", name]
    result = subprocess.run(command, capture_output=True, text=True, check=True, timeout=60)
    return [line.split("\t") for line in result.stdout.splitlines()]


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_verdicts_agree_with_tshark(tmp_path: Path) -> None:
    frames = _frames()
    rows = _tshark_status(frames, tmp_path)
    assert len(rows) == len(frames)
    # tshark's checksum status: 0 bad, 1 good, 2 unverified, 3 not present, 4 illegal.
    verdict = {"1": True, "0": False, "2": None, "3": None, "4": False}
    seen = set()
    for frame, row in zip(frames, rows, strict=True):
        checks = verify_packet(frame)
        ip_status, transport_status = row[0], next((s for s in row[1:] if s), "")
        if ip_status:
            assert checks[0].layer == "IPv4"
            assert checks[0].ok is verdict[ip_status]
            checks = checks[1:]
        assert len(checks) == 1, (checks, row)
        assert checks[0].ok is verdict[transport_status], (checks[0], row)
        seen.add((checks[0].layer, checks[0].ok))
    assert {("UDP", True), ("UDP", False), ("TCP", False), ("ICMPv6", True)} <= seen


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["udp", "tcp", "icmpv6"]),
    st.binary(max_size=30),
    st.sampled_from(["none", "hop", "dest", "frag", "route"]),
)
def test_ipv6_packets_built_by_scapy_verify(kind: str, payload: bytes, extension: str) -> None:
    layer = {
        "udp": UDP(sport=7, dport=9),
        "tcp": TCP(sport=7, dport=9),
        "icmpv6": ICMPv6EchoRequest(id=3, seq=4),
    }[kind]
    ext = {
        "none": None,
        "hop": IPv6ExtHdrHopByHop(),
        "dest": IPv6ExtHdrDestOpt(),
        "frag": IPv6ExtHdrFragment(),
        "route": IPv6ExtHdrRouting(addresses=["2001:db8::9", "2001:db8::a"], segleft=2),
    }[extension]
    packet = IPv6(**V6) / layer / payload if ext is None else IPv6(**V6) / ext / layer / payload
    raw = bytes(packet)
    (check,) = verify_packet(raw)
    assert (
        check.ok is True and check.layer == {"udp": "UDP", "tcp": "TCP", "icmpv6": "ICMPv6"}[kind]
    )
    explanation = explain_packet(raw)
    assert explanation is not None and explanation.ok is True
    assert explanation.computed == check.computed == check.field
    damaged = bytearray(raw)
    damaged[-1 if payload else check.offset] ^= 0x01
    assert verify_packet(bytes(damaged))[0].ok is False


def test_ipv6_skipped_segments() -> None:
    fragment = bytes(IPv6(**V6) / IPv6ExtHdrFragment(m=1) / UDP(sport=1, dport=2) / b"part")
    assert verify_packet(fragment) == []
    truncated = bytes(IPv6(**V6) / TCP())[:50]
    assert verify_packet(truncated) == []
    no_transport = bytes(IPv6(**V6, nh=59))
    assert verify_packet(no_transport) == [] and explain_packet(no_transport) is None
    icmp_in_v6 = bytes(IPv6(**V6, nh=1) / ICMP())
    assert verify_packet(icmp_in_v6) == []
    with pytest.raises(DecodeError, match="IPv4 header"):
        verify_ipv4_packet(bytes(IPv6(**V6) / UDP()))


def test_checks_report_offsets_and_values() -> None:
    frame = _frames()[4]  # UDP with a wrong checksum 0xbeef
    ip_check, udp_check = verify_ipv4_packet(frame)
    assert ip_check.offset == 14 + 10 and ip_check.ok
    assert udp_check.offset == 14 + 20 + 6 and udp_check.field == 0xBEEF
    good = bytes(IP(**V4) / UDP(sport=1, dport=2) / b"x")  # Scapy computes the right one
    assert udp_check.computed == int.from_bytes(good[26:28], "big")
    assert udp_check.to_dict()["field"] == "0xbeef" and udp_check.ok is False
    none = verify_ipv4_packet(_frames()[7])[1]
    assert none.ok is None and "RFC 768" in none.note
    fragment = bytes(IP(**V4, flags="MF") / UDP(sport=1, dport=2) / b"part")
    assert [c.layer for c in verify_ipv4_packet(fragment)] == ["IPv4"]
    truncated = bytes(IP(**V4) / TCP())[:30]
    assert [c.layer for c in verify_ipv4_packet(truncated)] == ["IPv4"]


# RFC 1624: the incremental update equals recomputing over the whole header.
@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=20, max_size=20), st.data())
def test_incremental_update_equals_recomputation(header: bytes, data: st.DataObject) -> None:
    fields = bytearray(header)
    fields[10:12] = b"\x00\x00"
    old_checksum = internet_checksum(bytes(fields))
    fields[10:12] = old_checksum.to_bytes(2, "big")
    candidates = [i for i in range(10) if i != 5]
    changed = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4, unique=True))
    new_words = data.draw(
        st.lists(st.integers(0, 0xFFFF), min_size=len(changed), max_size=len(changed))
    )
    old_words = [int.from_bytes(fields[2 * i : 2 * i + 2], "big") for i in changed]
    updated = bytearray(fields)
    for index, word in zip(changed, new_words, strict=True):
        updated[2 * index : 2 * index + 2] = word.to_bytes(2, "big")
    updated[10:12] = b"\x00\x00"
    recomputed = internet_checksum(bytes(updated))
    incremental = incremental_update(old_checksum, old_words, new_words)
    if any(updated):
        assert incremental == recomputed
    else:  # all-zero data: RFC 1624 writes zero as 0x0000, RFC 1071 as 0xffff
        assert {incremental, recomputed} <= {0x0000, 0xFFFF}
    updated[10:12] = incremental.to_bytes(2, "big")
    assert verify(bytes(updated)) or not any(updated[:10] + updated[12:])


def test_incremental_update_forms() -> None:
    # A router decrementing the TTL of the course's header (0x4006 -> 0x3f06).
    header = bytearray(bytes.fromhex("4500003b00010000400651b4c0a80001b114b74a"))
    header[8] = 0x3F
    expected = checksum_with_field_zeroed(bytes(header), 10)
    assert incremental_update(0x51B4, 0x4006, 0x3F06) == expected
    assert incremental_update(0x51B4, b"\x40\x06", b"\x3f\x06") == expected
    assert incremental_update(0x51B4, [0x4006], [0x3F06]) == expected
    # Scapy agrees after rebuilding the changed header.
    assert IP(bytes(header)).chksum == 0x51B4
    with pytest.raises(ChecksumError, match="as many words"):
        incremental_update(0x1234, [1, 2], [3])
    with pytest.raises(ChecksumError, match="even length"):
        incremental_update(0x1234, b"\x01", b"\x02")
    with pytest.raises(ChecksumError, match="16-bit word"):
        incremental_update(0x10000, 1, 2)


def test_transport_explanation_words() -> None:
    raw = bytes(IP(**V4) / TCP(sport=1000, dport=80, flags="S") / b"data")
    segment = raw[20:]
    steps = explain_transport(V4["src"], V4["dst"], 6, segment)
    assert steps.subject == "segment"
    assert len(steps.words) == (12 + len(segment)) // 2
    assert steps.checksum_index == (12 + 16) // 2
    assert steps.field == TCP(segment).chksum == steps.computed
    assert "pseudo-header and the segment make" in steps.render("en")
    assert "le segment est conforme" in steps.render("fr")
    with pytest.raises(ChecksumError, match="no checksum field for protocol 99"):
        explain_transport(V4["src"], V4["dst"], 99, segment)
