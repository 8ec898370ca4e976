"""Scapy's IPv6 address helpers (``scapy.utils6``): address kinds, solicited-node multicast,
modified EUI-64 interface identifiers, link-scoped multicast (RFC 4489).

Addresses are text unless a name says otherwise (``in6_getnsma`` and ``in6_getnsmac`` take the
16 packed bytes, as Scapy's do). Bad input raises :class:`~paquet.errors.AddressError`.

>>> in6_islladdr("fe80::1"), in6_isgladdr("2001:db8::1")
(True, True)
"""

from __future__ import annotations

import ipaddress

from paquet.errors import AddressError

__all__ = [
    "in6_getLinkScopedMcastAddr",
    "in6_getnsma",
    "in6_getnsmac",
    "in6_ifaceidtomac",
    "in6_isgladdr",
    "in6_islladdr",
    "in6_ismaddr",
    "in6_issladdr",
    "in6_isuladdr",
    "in6_mactoifaceid",
]

_LLADDR = ipaddress.IPv6Network("fe80::/10")
_SLADDR = ipaddress.IPv6Network("fec0::/10")
_ULADDR = ipaddress.IPv6Network("fc00::/7")
_GLADDR = ipaddress.IPv6Network("2000::/3")
_MADDR = ipaddress.IPv6Network("ff00::/8")
_NSMA_PREFIX = ipaddress.IPv6Address("ff02::1:ff00:0").packed[:13]


def _addr(text: str) -> ipaddress.IPv6Address:
    """The IPv6 address written ``text`` (a zone index is not an address: refused)."""
    try:
        a = ipaddress.IPv6Address(text)
    except (ValueError, TypeError):
        raise AddressError(f"not an IPv6 address: {text!r}") from None
    if a.scope_id is not None:
        raise AddressError(f"not an IPv6 address: {text!r}")
    return a


def _packed(a: bytes) -> bytes:
    """``a`` when it is 16 bytes, the packed form of an IPv6 address."""
    if not isinstance(a, (bytes, bytearray)) or len(a) != 16:
        raise AddressError(f"not a packed IPv6 address (16 bytes): {a!r}")
    return bytes(a)


def in6_islladdr(addr: str) -> bool:
    """True when ``addr`` is a link-local unicast address (fe80::/10).

    >>> in6_islladdr("fe80::1"), in6_islladdr("fec0::1")
    (True, False)
    """
    return _addr(addr) in _LLADDR


def in6_issladdr(addr: str) -> bool:
    """True when ``addr`` is a (deprecated) site-local address (fec0::/10).

    >>> in6_issladdr("fec0::1"), in6_issladdr("fe80::1")
    (True, False)
    """
    return _addr(addr) in _SLADDR


def in6_isuladdr(addr: str) -> bool:
    """True when ``addr`` is a unique local address (fc00::/7).

    >>> in6_isuladdr("fd00::1"), in6_isuladdr("2001:db8::1")
    (True, False)
    """
    return _addr(addr) in _ULADDR


def in6_isgladdr(addr: str) -> bool:
    """True when ``addr`` is in the global unicast space (2000::/3; unique local is not).

    >>> in6_isgladdr("2001:db8::1"), in6_isgladdr("fd00::1")
    (True, False)
    """
    return _addr(addr) in _GLADDR


def in6_ismaddr(addr: str) -> bool:
    """True when ``addr`` is a multicast address (ff00::/8).

    >>> in6_ismaddr("ff02::1"), in6_ismaddr("fe80::1")
    (True, False)
    """
    return _addr(addr) in _MADDR


def in6_getnsma(a: bytes) -> bytes:
    """The solicited-node multicast address (RFC 4291 §2.7.1) of the packed address ``a``,
    packed: ff02::1:ff and the address's last 24 bits.

    >>> from socket import AF_INET6, inet_ntop, inet_pton
    >>> inet_ntop(AF_INET6, in6_getnsma(inet_pton(AF_INET6, "2001:db8::12:3456")))
    'ff02::1:ff12:3456'
    """
    return _NSMA_PREFIX + _packed(a)[13:]


def in6_getnsmac(a: bytes) -> str:
    """The Ethernet multicast address (RFC 2464 §7) of the packed IPv6 address ``a``:
    33:33 and its last 32 bits.

    >>> import socket
    >>> in6_getnsmac(socket.inet_pton(socket.AF_INET6, "ff02::1:ff12:3456"))
    '33:33:ff:12:34:56'
    """
    return "33:33:" + ":".join(f"{b:02x}" for b in _packed(a)[12:])


def in6_mactoifaceid(mac: str, ulbit: int | None = None) -> str:
    """The modified EUI-64 interface identifier (RFC 4291 appendix A) of the MAC address
    ``mac`` (``xx:xx:xx:xx:xx:xx``), in upper case; the universal/local bit is inverted, or
    forced to ``ulbit`` when it is 0 or 1.

    >>> in6_mactoifaceid("00:1a:2b:3c:4d:5e")
    '021A:2BFF:FE3C:4D5E'
    """
    digits = mac.replace(":", "") if len(mac) == 17 else ""
    try:
        octets = bytes.fromhex(digits) if len(digits) == 12 else b""
    except ValueError:
        octets = b""
    if len(octets) != 6:
        raise AddressError(f"not a MAC address: {mac!r}")
    if ulbit not in (0, 1):
        ulbit = 0 if octets[0] & 0x02 else 1
    first = (octets[0] & 0xFD) | (ulbit << 1)
    e = bytes((first,)) + octets[1:3] + b"\xff\xfe" + octets[3:]
    return ":".join(e[i : i + 2].hex() for i in range(0, 8, 2)).upper()


def in6_ifaceidtomac(ifaceid: str) -> str | None:
    """The MAC address in the modified EUI-64 interface identifier ``ifaceid`` (text, as
    ``XXXX:XXFF:FEXX:XXXX``, possibly compressed); None when it is not one (no ff:fe inside).

    >>> in6_ifaceidtomac("021A:2BFF:FE3C:4D5E")
    '00:1a:2b:3c:4d:5e'
    """
    try:
        iid = _addr("::" + ifaceid).packed[8:]
    except (AddressError, TypeError):
        return None
    if iid[3:5] != b"\xff\xfe":
        return None
    first = iid[0] ^ 0x02
    return ":".join(f"{b:02x}" for b in bytes((first,)) + iid[1:3] + iid[5:])


def _group_id(grpid: bytes | str | int | None) -> bytes | None:
    """The 32-bit group ID of :func:`in6_getLinkScopedMcastAddr` as 4 bytes, None if invalid."""
    if grpid is None:
        return bytes(4)
    if isinstance(grpid, bytes):
        return grpid if len(grpid) == 4 else None
    if isinstance(grpid, str):
        if len(grpid) != 8:
            return None
        try:
            return bytes.fromhex(grpid)
        except ValueError:
            return None
    if isinstance(grpid, int) and 0 <= grpid <= 0xFFFFFFFF:
        return grpid.to_bytes(4, "big")
    return None


def in6_getLinkScopedMcastAddr(
    addr: str, grpid: bytes | str | int | None = None, scope: int = 2
) -> str | None:
    """The link-scoped multicast address (RFC 4489) built on the link-local address ``addr``:
    ff3<scope>:00ff: its interface ID and the 32-bit group ID ``grpid`` (4 bytes, 8 hex
    digits or a number; 0 by default). None when ``addr`` is not link-local, the scope is not
    0, 1 or 2, or the group ID is not valid.

    >>> in6_getLinkScopedMcastAddr("fe80::21a:2bff:fe3c:4d5e", grpid=0x12345678)
    'ff32:ff:21a:2bff:fe3c:4d5e:1234:5678'
    """
    gid = _group_id(grpid)
    if scope not in (0, 1, 2) or gid is None:
        return None
    try:
        if not in6_islladdr(addr):
            return None
    except AddressError:
        return None
    iid = _addr(addr).packed[8:]
    packed = bytes((0xFF, 0x30 | scope, 0x00, 0xFF)) + iid + gid
    return str(ipaddress.IPv6Address(packed))
