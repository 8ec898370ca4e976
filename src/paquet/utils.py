"""Scapy's everyday helpers (``scapy.utils``): checksums, MAC and IPv4 text, one-line dumps.

Code written for Scapy calls these by name; they give Scapy's results, on top of paquet's own
checksum code (:mod:`paquet.checksums`) and the layers' pseudo-headers. Bad input raises
:class:`~paquet.errors.AddressError` (a ``ValueError``, as Scapy raises) with a clear message.

>>> ltoa(atol("192.0.2.1") + 1)
'192.0.2.2'
"""

from __future__ import annotations

import re
import socket
import sys

from paquet.checksums import internet_checksum
from paquet.errors import AddressError, PaquetError
from paquet.packet.base import Packet
from paquet.packet.dump import hexstr, raw

__all__ = [
    "atol",
    "checksum",
    "chexdump",
    "import_hexcap",
    "in4_chksum",
    "in6_chksum",
    "itom",
    "linehexdump",
    "ltoa",
    "mac2str",
    "str2mac",
    "valid_ip",
    "valid_ip6",
]


# ---------------------------------------------------------------------------------------------
# Checksums


def checksum(pkt: bytes) -> int:
    """The internet checksum (RFC 1071) of ``pkt``, as Scapy's ``checksum``.

    >>> hex(checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
    '0xb861'
    """
    return internet_checksum(bytes(pkt))


def in4_chksum(proto: int, u: Packet, p: bytes) -> int:
    """The checksum of ``p`` behind the IPv4 pseudo-header of the ``IP`` layer ``u`` for
    protocol ``proto`` (Scapy's ``in4_chksum``: a ``len`` set on ``u`` and a source route
    decide the pseudo-header, as when the layer builds).

    >>> from paquet import IP
    >>> hex(in4_chksum(17, IP(src="192.0.2.1", dst="192.0.2.2"), bytes.fromhex("d43500350008")))
    '0xa771'
    """
    from paquet.layers.ipv4 import IP

    if not isinstance(u, IP):
        raise PaquetError(f"in4_chksum needs an IP layer, not {type(u).__name__}")
    return internet_checksum(u.pseudo_header(len(p), proto) + bytes(p))


def in6_chksum(nh: int, u: Packet, p: bytes) -> int:
    """The checksum of ``p`` behind the IPv6 pseudo-header (RFC 8200 §8.1) for next header
    ``nh``; ``u`` is the upper layer (or the ``IPv6`` layer itself) with its layers below, whose
    routing header's final destination and home address option count (Scapy's ``in6_chksum``).

    >>> from paquet import IPv6, UDP
    >>> u = (IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=1, dport=2))[UDP]
    >>> hex(in6_chksum(17, u, bytes.fromhex("000100020008")))
    '0xa468'
    """
    from paquet.layers.ipv6 import IPv6

    below: Packet | None = u if isinstance(u, IPv6) else u.underlayer
    layer = below
    while layer is not None and not isinstance(layer, IPv6):
        layer = layer.underlayer
    pseudo = getattr(below, "pseudo_header", None)
    if layer is None or pseudo is None:
        raise PaquetError(f"in6_chksum needs an IPv6 layer below {type(u).__name__}")
    header: bytes = pseudo(len(p), nh)
    return internet_checksum(header + bytes(p))


# ---------------------------------------------------------------------------------------------
# MAC and IPv4 addresses as text and numbers


def _text(x: str | bytes) -> str:
    """``x`` as text (bytes decoded as ASCII, as Scapy's ``plain_str``)."""
    if isinstance(x, (bytes, bytearray)):
        return bytes(x).decode("ascii", "replace")
    return x


def mac2str(mac: str | bytes) -> bytes:
    """The bytes of a MAC address written as hexadecimal parts separated by colons.

    >>> mac2str("00:1a:2B:3c:4d:5e")
    b'\\x00\\x1a+<M^'
    """
    text = _text(mac)
    try:
        return bytes(int(part, 16) for part in text.split(":"))
    except ValueError:
        raise AddressError(f"not a MAC address: {text!r}") from None


def str2mac(s: bytes | str) -> str:
    """The colon-separated lower-case hexadecimal text of the bytes ``s`` (a MAC address).

    >>> str2mac(b"\\x00\\x1a+<M^")
    '00:1a:2b:3c:4d:5e'
    """
    values = [ord(c) for c in s] if isinstance(s, str) else list(s)
    return ":".join(f"{v:02x}" for v in values)


def atol(x: str) -> int:
    """The IPv4 address ``x`` as a 32-bit number (any form ``inet_aton`` accepts).

    >>> atol("192.0.2.1")
    3221225985
    """
    try:
        packed = socket.inet_aton(x)
    except (OSError, TypeError, ValueError):
        raise AddressError(f"not an IPv4 address: {x!r}") from None
    return int.from_bytes(packed, "big")


def ltoa(x: int) -> str:
    """The dotted IPv4 text of the number ``x`` (its low 32 bits).

    >>> ltoa(3221225985)
    '192.0.2.1'
    """
    return socket.inet_ntoa((x & 0xFFFFFFFF).to_bytes(4, "big"))


def itom(x: int) -> int:
    """The IPv4 netmask of prefix length ``x`` as a number.

    >>> hex(itom(24))
    '0xffffff00'
    """
    return (0xFFFFFFFF00000000 >> x) & 0xFFFFFFFF


def valid_ip(addr: str | bytes) -> bool:
    """True when ``addr`` is an IPv4 address in a form ``inet_aton`` accepts (as Scapy).

    >>> valid_ip("192.0.2.1"), valid_ip("192.0.2.256")
    (True, False)
    """
    try:
        text = addr.decode() if isinstance(addr, (bytes, bytearray)) else addr
        atol(text)
    except (UnicodeDecodeError, AddressError):
        return False
    return True


def valid_ip6(addr: str | bytes) -> bool:
    """True when ``addr`` is an IPv6 address in text form.

    >>> valid_ip6("2001:db8::1"), valid_ip6("2001:db8:::1")
    (True, False)
    """
    try:
        text = addr.decode() if isinstance(addr, (bytes, bytearray)) else addr
        socket.inet_pton(socket.AF_INET6, text)
    except (UnicodeDecodeError, OSError, TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# One-line dumps


def linehexdump(
    p: Packet | bytes | str, onlyasc: int = 0, onlyhex: int = 0, dump: bool = False
) -> str | None:
    """:func:`~paquet.packet.dump.hexdump`'s view on one line; printed, or returned with
    ``dump=True``.

    >>> linehexdump(b"E\\x00", dump=True)
    '45 00  E.'
    """
    s = hexstr(p, onlyasc=bool(onlyasc), onlyhex=bool(onlyhex))
    if dump:
        return s
    print(s)
    return None


def chexdump(p: Packet | bytes | str, dump: bool = False) -> str | None:
    """The bytes as a C array's items (``0x45, 0x00``); printed, or returned with ``dump=True``.

    >>> chexdump(b"E\\x00", dump=True)
    '0x45, 0x00'
    """
    s = ", ".join(f"{b:#04x}" for b in raw(p))
    if dump:
        return s
    print(s)
    return None


# ---------------------------------------------------------------------------------------------
# Reading a hexadecimal dump back

# One line of a dump, as Scapy reads it: an optional offset (hex digits, maybe 0x, then up to
# three spaces, colons or tabs), then up to 16 bytes as pairs of hex digits, each followed by at
# most two spaces; whatever follows (the ASCII column) is left out.
_HEXCAP_LINE = re.compile(
    r"""
    (?: (?:0x)? [0-9a-fA-F]{2,} [ :\t]{0,3} )?   # offset
    [ ]*
    (?P<data> (?: [0-9a-fA-F]{2} [ ]{0,2} ){0,16} )
    """,
    re.VERBOSE,
)


def _stdin_lines() -> list[str]:
    """The lines typed on standard input, up to the first empty one or the end."""
    lines = []
    for line in sys.stdin:
        if not line.strip():
            break
        lines.append(line)
    return lines


def import_hexcap(input_string: str | None = None) -> bytes:
    """The bytes of a hexadecimal dump (``hexdump()``, ``tcpdump -xx``, Wireshark's "copy as
    hex dump"), read from ``input_string`` or, when None, from standard input (an empty string
    gives no bytes, where Scapy reads standard input). The dump ends at its first empty line;
    what is not a pair of hex digits is left out. As Scapy's, a leading run of two or more hex
    digits on a line is taken for its offset, even without one.

    >>> import_hexcap("0000  45 00 00 14  E...\\n0004  00 01")
    b'E\\x00\\x00\\x14\\x00\\x01'
    """
    lines = _stdin_lines() if input_string is None else input_string.splitlines()
    digits = []
    for line in lines:
        line = line.strip()
        if not line:
            break
        match = _HEXCAP_LINE.match(line)
        if match is not None:
            digits.append(match["data"].replace(" ", ""))
    return bytes.fromhex("".join(digits))  # pairs of digits only: always whole bytes
