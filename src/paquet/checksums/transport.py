"""Transport checksums (TCP, UDP, ICMPv6): the pseudo-header and the checksum over it.

>>> len(pseudo_header('192.0.2.1', '192.0.2.2', 17, 8)), len(pseudo_header('::1', '::2', 17, 8))
(12, 40)
"""

from __future__ import annotations

from paquet.checksums.arithmetic import (
    ChecksumError,
    checksum_with_field_zeroed,
    internet_checksum,
    verify,
)
from paquet.numbers import (
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_TCP,
    IPPROTO_UDP,
)

__all__ = [
    "CHECKSUM_OFFSETS",
    "pseudo_header",
    "transport_checksum",
    "verify_transport",
]


CHECKSUM_OFFSETS: dict[int, int] = {
    IPPROTO_ICMP: 2,
    IPPROTO_TCP: 16,
    IPPROTO_UDP: 6,
    IPPROTO_ICMPV6: 2,
}
"""Offset of the checksum field inside the header of IP protocol ``n``: ICMP 2, TCP 16,
UDP 6, ICMPv6 2."""

# ---------------------------------------------------------------------------------------------
# Transport checksums (TCP, UDP, ICMPv6) with the pseudo-header


def _packed(address: bytes | str) -> bytes:
    """An address as 4 or 16 bytes."""
    if isinstance(address, bytes | bytearray):
        if len(address) not in (4, 16):
            raise ChecksumError(f"a packed address is 4 or 16 bytes, got {len(address)}")
        return bytes(address)
    import ipaddress  # here, not at import: kept off the packet engine's import path

    try:
        return ipaddress.ip_address(address).packed
    except ValueError as exc:
        raise ChecksumError(str(exc)) from None


def pseudo_header(src: bytes | str, dst: bytes | str, proto: int, length: int) -> bytes:
    """The pseudo-header that TCP, UDP and ICMPv6 checksums cover: IPv4's (RFC 793/768:
    source, destination, zero, protocol, length) or IPv6's (RFC 8200: source, destination,
    32-bit length, three zeros, next header), told apart by the addresses' size.

    >>> pseudo_header('192.0.2.1', '192.0.2.2', 17, 12).hex()
    'c0000201c00002020011000c'
    """
    s, d = _packed(src), _packed(dst)
    if len(s) != len(d):
        raise ChecksumError("source and destination are not of the same IP version")
    if not 0 <= proto <= 255:
        raise ChecksumError(f"protocol number {proto} out of range 0-255")
    if len(s) == 4:
        if not 0 <= length <= 0xFFFF:
            raise ChecksumError(f"length {length} does not fit the IPv4 pseudo-header")
        return s + d + bytes((0, proto)) + length.to_bytes(2, "big")
    if not 0 <= length <= 0xFFFFFFFF:
        raise ChecksumError(f"length {length} does not fit the IPv6 pseudo-header")
    return s + d + length.to_bytes(4, "big") + bytes(3) + bytes((proto,))


def transport_checksum(
    src: bytes | str, dst: bytes | str, proto: int, segment: bytes, offset: int | None = None
) -> int:
    """The checksum to write into a TCP, UDP or ICMPv6 header (``segment`` is that header and
    its payload; its own checksum field, at ``offset`` or the protocol's usual place from
    :data:`CHECKSUM_OFFSETS`, counts as zero). A UDP result of 0 is sent as 0xffff (RFC 768).

    >>> udp = bytes.fromhex("d43500350008" "0000")
    >>> hex(transport_checksum('192.0.2.1', '192.0.2.2', 17, udp))
    '0xa76f'
    """
    segment = bytes(segment)
    where = CHECKSUM_OFFSETS.get(proto) if offset is None else offset
    header = pseudo_header(src, dst, proto, len(segment))
    if where is None:
        value = internet_checksum(header + segment)
    else:
        value = checksum_with_field_zeroed(header + segment, len(header) + where)
    if proto == 17 and value == 0:
        return 0xFFFF
    return value


def verify_transport(src: bytes | str, dst: bytes | str, proto: int, segment: bytes) -> bool:
    """True when a TCP, UDP or ICMPv6 segment (checksum field included) carries the right
    checksum for these addresses. A UDP datagram over IPv4 with checksum 0 was sent without
    one (RFC 768): it is accepted.

    >>> udp = bytes.fromhex("d43500350008" "a76f")
    >>> verify_transport('192.0.2.1', '192.0.2.2', 17, udp)
    True
    """
    segment = bytes(segment)
    s = _packed(src)
    if proto == 17 and len(s) == 4 and len(segment) >= 8 and segment[6:8] == b"\x00\x00":
        return True
    return verify(pseudo_header(s, dst, proto, len(segment)) + segment)
