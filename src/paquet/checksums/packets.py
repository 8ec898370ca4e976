"""Every checksum of a packet in raw bytes, IPv4 or IPv6, found, checked and explained.

>>> header = bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a")
>>> [c.layer for c in verify_packet(header)]
['IPv4']
"""

from __future__ import annotations

from typing import Any, NamedTuple

from paquet.checksums.arithmetic import ChecksumError, checksum_with_field_zeroed, verify, words16
from paquet.checksums.explanation import ChecksumExplanation, explain_words
from paquet.checksums.headers import _ether_type_and_offset, explain_ipv4_header, ipv4_offset
from paquet.checksums.transport import CHECKSUM_OFFSETS, pseudo_header, transport_checksum
from paquet.errors import DecodeError
from paquet.ipv6ext import final_destination, home_address, tlv_options
from paquet.numbers import (
    ETH_P_IPV6,
    IPPROTO_DSTOPTS,
    IPPROTO_HOPOPTS,
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_ROUTING,
    IPPROTO_TCP,
    IPPROTO_UDP,
)

__all__ = [
    "ChecksumCheck",
    "explain_packet",
    "explain_transport",
    "verify_ipv4_packet",
    "verify_packet",
]


class ChecksumCheck(NamedTuple):
    """One checksum found in a packet: the layer, where its field is (offset from the start
    of ``data``), the value found, the value computed and the verdict. ``note`` tells why a
    check was skipped (``ok`` is then ``None``), e.g. a UDP datagram sent without checksum."""

    layer: str
    offset: int
    field: int
    computed: int
    ok: bool | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "layer": self.layer,
            "offset": self.offset,
            "field": f"0x{self.field:04x}",
            "computed": f"0x{self.computed:04x}",
            "ok": self.ok,
            "note": self.note,
        }


_TRANSPORT_NAMES = {
    IPPROTO_ICMP: "ICMP",
    IPPROTO_TCP: "TCP",
    IPPROTO_UDP: "UDP",
    IPPROTO_ICMPV6: "ICMPv6",
}
_TRANSPORT_MIN = {IPPROTO_ICMP: 4, IPPROTO_TCP: 20, IPPROTO_UDP: 8, IPPROTO_ICMPV6: 4}
# hop-by-hop, routing, destination options (and 44, fragment)
_IPV6_EXTENSIONS = (IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS)


class _Transport(NamedTuple):
    """Where the transport segment of a packet lies, or why it is not checked."""

    version: int
    ip_offset: int
    src: bytes
    dst: bytes
    proto: int
    begin: int = 0
    end: int = 0
    skipped: str = ""


def _ipv6_offset(data: bytes, link: str) -> int:
    """Where a 40-byte IPv6 header starts (Ethernet 0x86dd, or at 0); DecodeError otherwise."""
    candidates = []
    if link in ("auto", "ether"):
        try:
            ethertype, offset = _ether_type_and_offset(data)
            if ethertype == ETH_P_IPV6:
                candidates.append(offset)
        except DecodeError:
            pass
    if link in ("auto", "ip"):
        candidates.append(0)
    for offset in candidates:
        if len(data) >= offset + 40 and data[offset] >> 4 == 6:
            return offset
    raise DecodeError("IPv6", 0, "an IPv6 header (version 6, 40 bytes)")


def _locate(data: bytes, link: str) -> _Transport:
    """Find the IP header and the transport segment whose checksum can be checked."""
    try:
        start = ipv4_offset(data, link)
    except DecodeError as v4_error:
        try:
            start = _ipv6_offset(data, link)
        except DecodeError:
            raise v4_error from None
        return _locate_ipv6(data, start)
    header = data[start : start + (data[start] & 0x0F) * 4]
    found = _Transport(4, start, header[12:16], header[16:20], header[9])
    total_length = int.from_bytes(header[2:4], "big")
    if int.from_bytes(header[6:8], "big") & 0x3FFF:
        return found._replace(skipped="a fragment: the segment is not whole here")
    return _segment(found, data, start + len(header), start + total_length)


def _locate_ipv6(data: bytes, start: int) -> _Transport:
    """Walk the IPv6 extension headers to the transport segment."""
    proto = data[start + 6]
    found = _Transport(6, start, data[start + 8 : start + 24], data[start + 24 : start + 40], proto)
    payload_length = int.from_bytes(data[start + 4 : start + 6], "big")
    position, end = start + 40, start + 40 + payload_length
    while proto in (*_IPV6_EXTENSIONS, 44):
        if len(data) < position + 8:
            return found._replace(proto=proto, skipped="a truncated extension header")
        if proto == 44:
            if int.from_bytes(data[position + 2 : position + 4], "big") & 0xFFF9:
                return found._replace(proto=data[position], skipped="a fragment")
            proto, position = data[position], position + 8
            continue
        length = (data[position + 1] + 1) * 8
        header = data[position : position + length]
        if proto == 43 and data[position + 3]:
            # Segments left: the pseudo-header holds the final destination (RFC 8200 8.1).
            final = final_destination(header[2], header[3], header[8:])
            if final is None:
                return found._replace(
                    proto=data[position], skipped="an unknown routing header type"
                )
            found = found._replace(dst=final)
        elif proto == 60:
            # A home address option: the pseudo-header's source is the home address (RFC 6275).
            hoa = home_address(tlv_options(header[2:]))
            if hoa is not None:
                found = found._replace(src=hoa)
        proto, position = data[position], position + length
    if payload_length == 0:
        return found._replace(proto=proto, skipped="a jumbogram (payload length 0)")
    return _segment(found._replace(proto=proto), data, position, end)


def _segment(found: _Transport, data: bytes, begin: int, end: int) -> _Transport:
    """The transport segment from ``begin`` to ``end``, if it is there and long enough."""
    if found.proto not in _TRANSPORT_NAMES or found.proto == (58 if found.version == 4 else 1):
        return found._replace(skipped=f"protocol {found.proto} has no known checksum")
    if end > len(data):
        return found._replace(skipped="truncated: the segment is shorter than the IP length says")
    if end - begin < _TRANSPORT_MIN[found.proto]:
        return found._replace(skipped="too short for its header")
    return found._replace(begin=begin, end=end)


def _transport_check(data: bytes, found: _Transport) -> ChecksumCheck:
    name = _TRANSPORT_NAMES[found.proto]
    segment = data[found.begin : found.end]
    where = CHECKSUM_OFFSETS[found.proto]
    value = int.from_bytes(segment[where : where + 2], "big")
    offset = found.begin + where
    if found.proto == 1:
        computed = checksum_with_field_zeroed(segment, where)
        return ChecksumCheck(name, offset, value, computed, verify(segment))
    computed = transport_checksum(found.src, found.dst, found.proto, segment)
    if found.proto == 17 and value == 0:
        if found.version == 4:
            return ChecksumCheck(
                name, offset, value, computed, None, "sent without checksum (0, RFC 768)"
            )
        return ChecksumCheck(
            name,
            offset,
            value,
            computed,
            False,
            "a zero UDP checksum is not allowed over IPv6 (RFC 8200)",
        )
    header = pseudo_header(found.src, found.dst, found.proto, len(segment))
    return ChecksumCheck(name, offset, value, computed, verify(header + segment))


def verify_packet(data: bytes, link: str = "auto") -> list[ChecksumCheck]:
    """Check every checksum of an IPv4 or IPv6 packet, in an Ethernet frame or not: the IPv4
    header's, then ICMP's, TCP's, UDP's or ICMPv6's when the segment is whole (IPv6
    extension headers are walked; IPv6 itself has no header checksum).

    Scapy's IPv6(src="2001:db8::1", dst="2001:db8::2")/ICMPv6EchoRequest(id=1, seq=2):

    >>> six = bytes.fromhex("6000000000083a40" + "20010db8" + "00" * 11 + "01" + "20010db8"
    ...                     + "00" * 11 + "02" + "8000" + "2445" + "00010002")
    >>> [(c.layer, hex(c.computed), c.ok) for c in verify_packet(six)]
    [('ICMPv6', '0x2445', True)]
    """
    data = bytes(data)
    found = _locate(data, link)
    checks = []
    if found.version == 4:
        header = data[found.ip_offset : found.ip_offset + (data[found.ip_offset] & 0x0F) * 4]
        field = int.from_bytes(header[10:12], "big")
        checks.append(
            ChecksumCheck(
                "IPv4",
                found.ip_offset + 10,
                field,
                checksum_with_field_zeroed(header, 10),
                verify(header),
            )
        )
    if found.end:
        checks.append(_transport_check(data, found))
    return checks


def verify_ipv4_packet(data: bytes, link: str = "auto") -> list[ChecksumCheck]:
    """Check every checksum of an IPv4 packet (in an Ethernet frame or not): the IPv4 header's,
    then ICMP's, TCP's or UDP's when the packet carries one, whole and unfragmented.

    Scapy's IP(src="192.0.2.1", dst="192.0.2.2", id=1)/UDP(sport=54325, dport=53)/"hello...":

    >>> checks = verify_ipv4_packet(bytes.fromhex(
    ...     "45000024000100004011f6c4c0000201c0000202" "d43500350010" "5877" "68656c6c6f0a0b0c"))
    >>> [(c.layer, hex(c.computed), c.ok) for c in checks]
    [('IPv4', '0xf6c4', True), ('UDP', '0x5877', True)]
    """
    data = bytes(data)
    ipv4_offset(data, link)  # raises when there is no IPv4 header
    return verify_packet(data, link)


def explain_transport(
    src: bytes | str, dst: bytes | str, proto: int, segment: bytes
) -> ChecksumExplanation:
    """Explain the checksum of a TCP, UDP or ICMPv6 segment: the words of its pseudo-header
    and of the segment (padded to an even length), its checksum field left out.

    >>> e = explain_transport('192.0.2.1', '192.0.2.2', 17, bytes.fromhex("d43500350008a76f"))
    >>> len(e.words), e.checksum_index, hex(e.computed), e.ok
    (10, 9, '0xa76f', True)
    """
    segment = bytes(segment)
    where = CHECKSUM_OFFSETS.get(proto)
    if where is None or where + 2 > len(segment):
        raise ChecksumError(f"no checksum field for protocol {proto} in {len(segment)} bytes")
    header = pseudo_header(src, dst, proto, len(segment))
    explanation = explain_words(words16(header + segment), (len(header) + where) // 2)
    return explanation._replace(subject="segment", zero_as_ffff=proto == 17)


def explain_packet(data: bytes, link: str = "auto") -> ChecksumExplanation | None:
    """The explanation that fits a packet: the IPv4 header's checksum (the course's exercise),
    or for IPv6 (no header checksum) the transport segment's; ``None`` when there is none."""
    data = bytes(data)
    found = _locate(data, link)
    if found.version == 4:
        return explain_ipv4_header(data[found.ip_offset :], "ip")
    if not found.end or found.proto == 1:
        return None
    return explain_transport(found.src, found.dst, found.proto, data[found.begin : found.end])
