"""The IPv4 header in raw bytes (an Ethernet frame, through VLAN tags, or a bare packet) and
its checksum.

>>> verify_ipv4_header(bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a"))
True
"""

from __future__ import annotations

from paquet.checksums.arithmetic import ChecksumError, checksum_with_field_zeroed, verify, words16
from paquet.checksums.explanation import ChecksumExplanation, explain_words
from paquet.errors import DecodeError
from paquet.numbers import (
    ETH_P_8021AD,
    ETH_P_8021Q,
    ETH_P_IP,
)

__all__ = [
    "explain_ipv4_header",
    "ipv4_header",
    "ipv4_header_checksum",
    "ipv4_offset",
    "verify_icmp",
    "verify_ipv4_header",
]


_ETHERTYPE_VLAN = (ETH_P_8021Q, ETH_P_8021AD, 0x9100)  # 802.1Q, 802.1ad (QinQ), pre-standard QinQ


# ---------------------------------------------------------------------------------------------
# IPv4 headers in raw bytes


def ipv4_header(data: bytes, link: str = "auto") -> bytes:
    """The IPv4 header (IHL x 4 bytes) inside ``data``: an Ethernet II frame (EtherType 0x0800,
    through 802.1Q / 802.1ad VLAN tags) or a packet starting with IPv4 (see :func:`ipv4_offset`).
    Raises :class:`DecodeError` when no IPv4 header is found.

    >>> ip = bytes.fromhex("4500001400000000400000000102030405060708")
    >>> frame = bytes(12) + b"\\x08\\x00" + ip
    >>> ipv4_header(frame) == ipv4_header(ip) == ip
    True
    """
    data = bytes(data)
    offset = ipv4_offset(data, link)
    return data[offset : offset + (data[offset] & 0x0F) * 4]


def ipv4_offset(data: bytes, link: str = "auto") -> int:
    """Where the IPv4 header starts in ``data``: after the Ethernet header (``link='ether'``),
    at 0 (``'ip'``), or (``'auto'``) wherever a well-formed IPv4 header is found.

    When both readings give a well-formed header (an IPv4 packet whose bytes 12-13 happen to
    read 0x0800), the one whose header checksum verifies and whose total length fits the
    data wins; a tie goes to Ethernet.

    >>> ipv4_offset(bytes(12) + b"\\x81\\x00\\x00\\x07\\x08\\x00" + bytes.fromhex(
    ...     "4500001400000000400000000102030405060708"))
    18
    """
    data = bytes(data)
    if link not in ("auto", "ether", "ip"):
        raise ChecksumError(f"link must be 'auto', 'ether' or 'ip', got {link!r}")
    if link == "ip":
        _ipv4_at(data, 0)
        return 0
    if link == "ether":
        offset = _ether_payload_offset(data)
        _ipv4_at(data, offset)
        return offset
    found: list[tuple[int, int]] = []
    last: DecodeError | None = None
    for reader in (_ether_payload_offset, lambda _: 0):
        try:
            offset = reader(data)
            header = _ipv4_at(data, offset)
        except DecodeError as exc:
            last = exc
            continue
        total_length = int.from_bytes(header[2:4], "big")
        fits = len(header) <= total_length <= len(data) - offset
        found.append((2 * verify(header) + fits, -offset))
    if not found:
        assert last is not None
        raise DecodeError(
            "IPv4", 0, f"an Ethernet frame carrying IPv4 or an IPv4 header ({last.expected})"
        )
    # Highest score first; on a tie the larger offset (Ethernet) wins.
    return -max(found, key=lambda item: (item[0], -item[1]))[1]


def _ether_payload_offset(data: bytes) -> int:
    """Offset of an Ethernet frame's payload when it is IPv4; DecodeError otherwise."""
    ethertype, offset = _ether_type_and_offset(data)
    if ethertype != ETH_P_IP:
        raise DecodeError("Ethernet", offset - 2, f"EtherType 0x0800 (IPv4), got 0x{ethertype:04x}")
    return offset


def _ipv4_at(data: bytes, offset: int) -> bytes:
    """The IPv4 header starting at ``offset``, checked for version and length."""
    if len(data) < offset + 20:
        raise DecodeError("IPv4", offset, f"a 20-byte header, got {max(len(data) - offset, 0)}")
    version, ihl = data[offset] >> 4, data[offset] & 0x0F
    if version != 4:
        raise DecodeError("IPv4", offset, f"version 4, got {version}")
    if ihl < 5:
        raise DecodeError("IPv4", offset, f"IHL >= 5 (20 bytes), got {ihl}")
    if len(data) < offset + ihl * 4:
        raise DecodeError("IPv4", offset, f"a {ihl * 4}-byte header (IHL {ihl}), truncated")
    return data[offset : offset + ihl * 4]


def explain_ipv4_header(data: bytes, link: str = "auto") -> ChecksumExplanation:
    """Explain the checksum of the IPv4 header in ``data`` (see :func:`ipv4_header`): its
    words (ten without options), the sixth being the checksum field.

    >>> explain_ipv4_header(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")).computed
    47201
    """
    return explain_words(words16(ipv4_header(data, link)), 5)


def ipv4_header_checksum(data: bytes, link: str = "auto") -> int:
    """The checksum the IPv4 header in ``data`` should carry (its own field ignored).

    >>> hex(ipv4_header_checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
    '0xb861'
    """
    return checksum_with_field_zeroed(ipv4_header(data, link), 10)


def verify_ipv4_header(data: bytes, link: str = "auto") -> bool:
    """True when the IPv4 header in ``data`` carries the right checksum.

    >>> verify_ipv4_header(bytes.fromhex("450000730000400040110000c0a80001c0a800c7"))
    False
    """
    return verify(ipv4_header(data, link))


def verify_icmp(message: bytes) -> bool:
    """True when an ICMP (IPv4) message, header and data, carries the right checksum.

    >>> verify_icmp(bytes.fromhex("0000ffff00000000"))
    True
    """
    return len(message) >= 4 and verify(message)


def _ether_type_and_offset(data: bytes) -> tuple[int, int]:
    """(EtherType, payload offset) of an Ethernet frame, through VLAN tags."""
    offset = 12
    while True:
        if len(data) < offset + 2:
            raise DecodeError("Ethernet", offset, f"an EtherType at bytes {offset}-{offset + 1}")
        ethertype = int.from_bytes(data[offset : offset + 2], "big")
        if ethertype not in _ETHERTYPE_VLAN:
            return ethertype, offset + 2
        offset += 4
