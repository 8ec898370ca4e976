"""The internet checksum (RFC 1071), explained step by step, and updated incrementally (RFC 1624).

The checksum of an IPv4 header, as the course explains it: cut the header into 16-bit words
(ten without options), leave the sixth one out (it is the checksum field), add the others,
fold the carry back into 16 bits, and take the one's complement.

>>> header = bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a")
>>> steps = explain_ipv4_header(header)
>>> hex(steps.total), hex(steps.folded), hex(steps.computed), steps.ok
('0x2ae49', '0xae4b', '0x51b4', True)
>>> verify_ipv4_header(header)
True

This module is the bottom of the package: the packet engine calls :func:`internet_checksum`,
:func:`transport_checksum` and the ``verify_*`` helpers; nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from paquet.errors import DecodeError, PaquetError
from paquet.ipv6ext import final_destination, home_address, tlv_options
from paquet.numbers import (
    ETH_P_8021AD,
    ETH_P_8021Q,
    ETH_P_IP,
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
    "CHECKSUM_OFFSETS",
    "ChecksumCheck",
    "ChecksumError",
    "ChecksumExplanation",
    "FoldStep",
    "checksum_with_field_zeroed",
    "explain_ipv4_header",
    "explain_packet",
    "explain_transport",
    "explain_words",
    "fold",
    "fold_steps",
    "incremental_update",
    "internet_checksum",
    "ipv4_header",
    "ipv4_header_checksum",
    "ipv4_offset",
    "ones_complement_sum",
    "pseudo_header",
    "transport_checksum",
    "update_word",
    "verify",
    "verify_icmp",
    "verify_ipv4_header",
    "verify_ipv4_packet",
    "verify_packet",
    "verify_transport",
    "words16",
]

CHECKSUM_OFFSETS: dict[int, int] = {
    IPPROTO_ICMP: 2,
    IPPROTO_TCP: 16,
    IPPROTO_UDP: 6,
    IPPROTO_ICMPV6: 2,
}
"""Offset of the checksum field inside the header of IP protocol ``n``: ICMP 2, TCP 16,
UDP 6, ICMPv6 2."""

_ETHERTYPE_VLAN = (ETH_P_8021Q, ETH_P_8021AD, 0x9100)  # 802.1Q, 802.1ad (QinQ), pre-standard QinQ


class ChecksumError(PaquetError, ValueError):
    """Arguments a checksum cannot be computed from (a word out of 16 bits, odd lengths...)."""


def internet_checksum(data: bytes) -> int:
    """Return the RFC 1071 internet checksum of ``data``: the one's complement of the
    one's-complement sum of its 16-bit big-endian words (an odd length is padded with a zero byte).

    >>> hex(internet_checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
    '0xb861'
    """
    if len(data) % 2:
        data += b"\x00"
    total = int.from_bytes(data, "big")
    # Fold the big integer 16 bits at a time: summing words modulo 0xffff is what folding does.
    s = total % 0xFFFF if total else 0
    if s == 0 and total:
        s = 0xFFFF
    return (~s) & 0xFFFF


# ---------------------------------------------------------------------------------------------
# Words and one's-complement arithmetic


def words16(data: bytes) -> list[int]:
    """The 16-bit big-endian words of ``data`` (an odd length is padded with a zero byte).

    >>> [hex(w) for w in words16(bytes.fromhex("4500003b01"))]
    ['0x4500', '0x3b', '0x100']
    """
    if len(data) % 2:
        data = bytes(data) + b"\x00"
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def _check_word(word: int) -> int:
    if isinstance(word, bool) or not isinstance(word, int) or not 0 <= word <= 0xFFFF:
        raise ChecksumError(f"a 16-bit word is an integer from 0 to 0xffff, got {word!r}")
    return word


def fold(total: int) -> int:
    """Add the carries (the bits above 16) back into the low 16 bits until none is left.

    >>> hex(fold(0x2ae49))
    '0xae4b'
    """
    if total < 0:
        raise ChecksumError(f"a sum of words is not negative, got {total}")
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


class FoldStep(NamedTuple):
    """One fold of the carry: ``before`` = ``carry`` * 0x10000 + ``low``;
    ``after`` = ``low`` + ``carry``."""

    before: int
    carry: int
    low: int
    after: int


def fold_steps(total: int) -> tuple[FoldStep, ...]:
    """Every fold needed to bring ``total`` back to 16 bits (none when it already fits).

    >>> fold_steps(0x2ae49)
    (FoldStep(before=175689, carry=2, low=44617, after=44619),)
    >>> len(fold_steps(0xffff + 0xffff + 0xffff)), len(fold_steps(0x1234))
    (1, 0)
    """
    steps = []
    value = total
    if value < 0:
        raise ChecksumError(f"a sum of words is not negative, got {total}")
    while value >> 16:
        low, carry = value & 0xFFFF, value >> 16
        steps.append(FoldStep(value, carry, low, low + carry))
        value = low + carry
    return tuple(steps)


def ones_complement_sum(words: Iterable[int]) -> int:
    """The one's-complement sum of 16-bit words: plain sum, carries folded back.

    >>> hex(ones_complement_sum([0x4500, 0x003b, 0x0001, 0x0000, 0x4006, 0xc0a8, 0x0001,
    ...                          0xb114, 0xb74a]))
    '0xae4b'
    """
    return fold(sum(_check_word(w) for w in words))


def verify(data: bytes) -> bool:
    """True when ``data``, its checksum field included, sums to all ones (RFC 1071 check).

    >>> verify(bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a"))
    True
    """
    return internet_checksum(bytes(data)) == 0


def checksum_with_field_zeroed(data: bytes, offset: int) -> int:
    """The checksum of ``data`` computed as if its 16-bit field at ``offset`` were zero
    (what a sender writes into that field).

    >>> hex(checksum_with_field_zeroed(bytes.fromhex("0800ffff00010001"), 2))
    '0xf7fd'
    """
    data = bytes(data)
    if offset < 0 or offset + 2 > len(data):
        raise ChecksumError(f"checksum field at offset {offset} lies outside {len(data)} bytes")
    return internet_checksum(data[:offset] + b"\x00\x00" + data[offset + 2 :])


# ---------------------------------------------------------------------------------------------
# The explanation, as data


# subject -> (intro in French, in English, "the whole" in French, in English)
_SUBJECTS = {
    "header": (
        "L'en-tête contient {count} mots de 16 bits :",
        "The header holds {count} 16-bit words:",
        "l'en-tête",
        "the header",
    ),
    "segment": (
        "Le pseudo-en-tête et le segment forment {count} mots de 16 bits :",
        "The pseudo-header and the segment make {count} 16-bit words:",
        "le segment",
        "the segment",
    ),
    "data": (
        "Les données forment {count} mots de 16 bits :",
        "The data makes {count} 16-bit words:",
        "les données",
        "the data",
    ),
}


class ChecksumExplanation(NamedTuple):
    """The steps of an internet checksum, as the course does them by hand.

    ``words`` are all the 16-bit words; the one at ``checksum_index`` (the checksum field,
    ``None`` when there is none) is left out of the sum. ``total`` is the plain sum of the
    others, ``folds`` the carry folds, ``folded`` the 16-bit result, ``computed`` its one's
    complement, ``field`` the value found in the header and ``ok`` the verdict. ``subject`` is
    ``'header'``, ``'segment'`` (a pseudo-header and a TCP/UDP/ICMPv6 segment) or ``'data'``;
    ``zero_as_ffff`` tells that a result of 0 is sent as 0xffff (UDP, RFC 768).
    """

    words: tuple[int, ...]
    checksum_index: int | None
    total: int
    folds: tuple[FoldStep, ...]
    folded: int
    computed: int
    field: int | None
    subject: str = "header"
    zero_as_ffff: bool = False

    @property
    def summed_words(self) -> tuple[int, ...]:
        """The words that are added (all but the checksum field)."""
        return tuple(w for i, w in enumerate(self.words) if i != self.checksum_index)

    @property
    def ok(self) -> bool | None:
        """True when the header's field equals the computed checksum (None without a field)."""
        if self.field is None:
            return None
        if self.zero_as_ffff and self.computed == 0:
            return self.field == 0xFFFF
        return self.field == self.computed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (numbers as ``0x`` hex strings, as the course writes them)."""
        return {
            "words": [f"0x{w:04x}" for w in self.words],
            "checksum_index": self.checksum_index,
            "summed_words": [f"0x{w:04x}" for w in self.summed_words],
            "sum": f"0x{self.total:x}",
            "folds": [
                {
                    "before": f"0x{s.before:x}",
                    "low": f"0x{s.low:04x}",
                    "carry": f"0x{s.carry:x}",
                    "after": f"0x{s.after:x}",
                }
                for s in self.folds
            ],
            "folded": f"0x{self.folded:04x}",
            "computed": f"0x{self.computed:04x}",
            "field": None if self.field is None else f"0x{self.field:04x}",
            "ok": self.ok,
            "subject": self.subject,
        }

    def lines(self, lang: str = "fr") -> list[str]:
        """The explanation as text lines, in French (``'fr'``) or English (``'en'``).

        >>> for line in explain_words([0x4500, 0x003b, 0x0001, 0x0000, 0x4006, 0x51b4,
        ...                            0xc0a8, 0x0001, 0xb114, 0xb74a], 5).lines('en'):
        ...     print(line)
        The header holds 10 16-bit words:
          4500 003b 0001 0000 4006 [51b4] c0a8 0001 b114 b74a
        Word 6 (0x51b4) is the checksum field itself: it is left out of the sum.
        (i)   0x4500 + 0x003b + 0x0001 + 0x0000 + 0x4006
              + 0xc0a8 + 0x0001 + 0xb114 + 0xb74a = 0x2ae49
        (ii)  0x2ae49 needs more than 2 bytes: fold the carry back, 0xae49 + 0x2 = 0xae4b
        (iii) one's complement on 16 bits: ~0xae4b = 0x51b4
        (iv)  the field is 0x51b4: equal, the header is intact
        """
        fr = lang == "fr"
        out = []
        shown = " ".join(
            f"[{w:04x}]" if i == self.checksum_index else f"{w:04x}"
            for i, w in enumerate(self.words)
        )
        count = len(self.words)
        intro_fr, intro_en, whole_fr, whole_en = _SUBJECTS.get(self.subject, _SUBJECTS["data"])
        out.append((intro_fr if fr else intro_en).format(count=count))
        out.append(f"  {shown}")
        if self.checksum_index is not None:
            rank = self.checksum_index + 1
            value = f"0x{self.words[self.checksum_index]:04x}"
            out.append(
                f"Le {rank}e mot ({value}) est la somme de contrôle elle-même : "
                "on le laisse de côté."
                if fr
                else f"Word {rank} ({value}) is the checksum field itself: "
                "it is left out of the sum."
            )
        terms = [f"0x{w:04x}" for w in self.summed_words] or ["0"]
        rows = [" + ".join(terms[i : i + 5]) for i in range(0, len(terms), 5)]
        for number, row in enumerate(rows):
            start = "(i)   " if number == 0 else "      + "
            end = f" = 0x{self.total:x}" if number == len(rows) - 1 else ""
            out.append(f"{start}{row}{end}")
        if not self.folds:
            out.append(
                f"(ii)  0x{self.total:x} tient sur 2 octets : pas de retenue à reporter"
                if fr
                else f"(ii)  0x{self.total:x} fits in 2 bytes: no carry to fold back"
            )
        for number, step in enumerate(self.folds):
            label = "(ii)  " if number == 0 else "      "
            out.append(
                f"{label}0x{step.before:x} s'écrit sur plus de 2 octets : "
                f"0x{step.low:04x} + 0x{step.carry:x} = 0x{step.after:04x}"
                if fr
                else f"{label}0x{step.before:x} needs more than 2 bytes: fold the carry back, "
                f"0x{step.low:04x} + 0x{step.carry:x} = 0x{step.after:04x}"
            )
        out.append(
            f"(iii) complément à 1 sur 16 bits : ~0x{self.folded:04x} = 0x{self.computed:04x}"
            if fr
            else f"(iii) one's complement on 16 bits: ~0x{self.folded:04x} = 0x{self.computed:04x}"
        )
        if self.field is not None:
            field = f"0x{self.field:04x}"
            if self.zero_as_ffff and self.computed == 0:
                out.append(
                    "      un résultat nul s'écrit 0xffff dans le champ (RFC 768)"
                    if fr
                    else "      a zero result is written 0xffff in the field (RFC 768)"
                )
            if self.ok:
                out.append(
                    f"(iv)  le champ vaut {field} : égal, {whole_fr} est conforme"
                    if fr
                    else f"(iv)  the field is {field}: equal, {whole_en} is intact"
                )
            else:
                out.append(
                    f"(iv)  le champ vaut {field} ≠ 0x{self.computed:04x} : "
                    f"{whole_fr} n'est pas conforme (altéré)"
                    if fr
                    else f"(iv)  the field is {field} ≠ 0x{self.computed:04x}: "
                    f"{whole_en} is not intact (damaged)"
                )
        return out

    def render(self, lang: str = "fr") -> str:
        """The explanation as one text, lines joined by newlines."""
        return "\n".join(self.lines(lang))


def explain_words(
    words: Sequence[int], checksum_index: int | None = None, field: int | None = None
) -> ChecksumExplanation:
    """Explain the checksum of ``words``; the word at ``checksum_index`` is the checksum
    field: it is left out of the sum and compared with the result (``field`` overrides the
    value compared with, e.g. the ``chksum`` argument of the course's ``est_conforme``).

    >>> e = explain_words([0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0xb861, 0xc0a8, 0x0001,
    ...                    0xc0a8, 0x00c7], 5)
    >>> hex(e.total), hex(e.computed), e.ok
    ('0x2479c', '0xb861', True)
    """
    checked = tuple(_check_word(w) for w in words)
    if checksum_index is not None and not 0 <= checksum_index < len(checked):
        raise ChecksumError(f"checksum index {checksum_index} outside the {len(checked)} words")
    if field is None and checksum_index is not None:
        field = checked[checksum_index]
    elif field is not None:
        _check_word(field)
    total = sum(w for i, w in enumerate(checked) if i != checksum_index)
    folded = fold(total)
    return ChecksumExplanation(
        words=checked,
        checksum_index=checksum_index,
        total=total,
        folds=fold_steps(total),
        folded=folded,
        computed=~folded & 0xFFFF,
        field=field,
        subject="header" if checksum_index is not None else "data",
    )


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
    offset = 12
    while True:
        if len(data) < offset + 2:
            raise DecodeError("Ethernet", offset, f"an EtherType at bytes {offset}-{offset + 1}")
        ethertype = int.from_bytes(data[offset : offset + 2], "big")
        if ethertype in _ETHERTYPE_VLAN:
            offset += 4
            continue
        if ethertype != ETH_P_IP:
            raise DecodeError("Ethernet", offset, f"EtherType 0x0800 (IPv4), got 0x{ethertype:04x}")
        return offset + 2


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


# ---------------------------------------------------------------------------------------------
# RFC 1624 incremental update


def _as_words(value: int | bytes | Sequence[int], what: str) -> list[int]:
    if isinstance(value, bytes | bytearray):
        if len(value) % 2:
            raise ChecksumError(f"{what} bytes must have an even length, got {len(value)}")
        return words16(bytes(value))
    if isinstance(value, int):
        return [_check_word(value)]
    return [_check_word(w) for w in value]


def incremental_update(
    old_checksum: int, old: int | bytes | Sequence[int], new: int | bytes | Sequence[int]
) -> int:
    """The new checksum after some 16-bit words change from ``old`` to ``new``, without
    reading the rest of the data: RFC 1624 equation 3, HC' = ~(~HC + ~m + m').

    ``old`` and ``new`` are one word, a list of words or bytes (even length), in the same
    order. It equals a full recomputation, except for an all-zero message where RFC 1624 and
    RFC 1071 write zero differently (0x0000 vs 0xffff).

    Decrementing the TTL from 64 to 63 in the course's header (word 0x4006 -> 0x3f06):

    >>> hex(incremental_update(0x51b4, 0x4006, 0x3f06))
    '0x52b4'
    """
    checksum = _check_word(old_checksum)
    before, after = _as_words(old, "old"), _as_words(new, "new")
    if len(before) != len(after):
        raise ChecksumError(f"old and new must have as many words: {len(before)} and {len(after)}")
    for m, m_new in zip(before, after, strict=True):
        checksum = update_word(checksum, m, m_new)
    return checksum


def update_word(checksum: int, old: int, new: int) -> int:
    """RFC 1624 eqn. 3 for one 16-bit word, unchecked (the probes' hot path; see
    :func:`incremental_update` for the checked form): ``HC' = ~(~HC + ~m + m')``, which stays
    right where the RFC 1141 shortcut fails (0x0000). Applying it word after word equals one
    update over all the words.

    >>> data = bytearray(bytes.fromhex("450000730000400040110000c0a80001c0a800c7"))
    >>> c = internet_checksum(bytes(data))
    >>> data[8:10] = bytes.fromhex("3f11")  # TTL 64 -> 63
    >>> update_word(c, 0x4011, 0x3F11) == internet_checksum(bytes(data))
    True
    """
    total = (~checksum & 0xFFFF) + (~old & 0xFFFF) + new
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


# ---------------------------------------------------------------------------------------------
# Every checksum of an IPv4 packet in raw bytes


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
