"""Scapy's IPv6 address helpers (``scapy.utils6``): address kinds, solicited-node multicast,
modified EUI-64 interface identifiers, link-scoped multicast (RFC 4489).

Addresses are text unless a name says otherwise (``in6_getnsma`` and ``in6_getnsmac`` take the
16 packed bytes, as Scapy's do). Bad input raises :class:`~paquet.errors.AddressError`.

>>> in6_islladdr("fe80::1"), in6_isgladdr("2001:db8::1")
(True, True)
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket

from paquet.errors import AddressError

__all__ = [
    "IPV6_ADDR_6TO4",
    "IPV6_ADDR_CAST_MASK",
    "IPV6_ADDR_GLOBAL",
    "IPV6_ADDR_LINKLOCAL",
    "IPV6_ADDR_LOOPBACK",
    "IPV6_ADDR_MULTICAST",
    "IPV6_ADDR_SCOPE_MASK",
    "IPV6_ADDR_SITELOCAL",
    "IPV6_ADDR_UNICAST",
    "IPV6_ADDR_UNSPECIFIED",
    "in6_6to4ExtractAddr",
    "in6_addrtomac",
    "in6_ctop",
    "in6_get6to4Prefix",
    "in6_getAddrType",
    "in6_getLinkScopedMcastAddr",
    "in6_getRandomizedIfaceId",
    "in6_getha",
    "in6_getnsma",
    "in6_getnsmac",
    "in6_ifaceidtomac",
    "in6_isgladdr",
    "in6_islladdr",
    "in6_ismaddr",
    "in6_issladdr",
    "in6_isuladdr",
    "in6_mactoifaceid",
    "in6_ptoc",
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


# ---------------------------------------------------------------------- address kinds, 6to4,
# home agents, temporary interface IDs (RFC 3041) and RFC 1924 text (Scapy's names and values)

IPV6_ADDR_UNICAST = 0x01
IPV6_ADDR_MULTICAST = 0x02
IPV6_ADDR_CAST_MASK = 0x0F
IPV6_ADDR_LOOPBACK = 0x10
IPV6_ADDR_GLOBAL = 0x00
IPV6_ADDR_LINKLOCAL = 0x20
IPV6_ADDR_SITELOCAL = 0x40
IPV6_ADDR_SCOPE_MASK = 0xF0
IPV6_ADDR_6TO4 = 0x0100
IPV6_ADDR_UNSPECIFIED = 0x10000


def _ntop(packed: bytes) -> str:
    """An address as the C library writes it (an IPv4-mapped one dotted), as Scapy's."""
    return socket.inet_ntop(socket.AF_INET6, packed)


def in6_getAddrType(addr: str) -> int:
    """The kind of ``addr`` as Scapy's ``IPV6_ADDR_*`` bits: global unicast (2000::/3, with
    ``IPV6_ADDR_6TO4`` in 2002::/16), multicast (link-local scope ff?2, global otherwise),
    link-local unicast (fe80::/10), loopback, unspecified, global unicast for the rest.

    >>> in6_getAddrType("fe80::1") == IPV6_ADDR_UNICAST | IPV6_ADDR_LINKLOCAL
    True
    """
    packed = _addr(addr).packed
    if packed[0] & 0xE0 == 0x20:
        kind = IPV6_ADDR_UNICAST | IPV6_ADDR_GLOBAL
        return kind | IPV6_ADDR_6TO4 if packed[:2] == b"\x20\x02" else kind
    if packed[0] == 0xFF:
        scope = IPV6_ADDR_LINKLOCAL if packed[1] & 0x0F == 2 else IPV6_ADDR_GLOBAL
        return scope | IPV6_ADDR_MULTICAST
    if packed[0] == 0xFE and packed[1] & 0xC0 == 0x80:
        return IPV6_ADDR_UNICAST | IPV6_ADDR_LINKLOCAL
    if packed == bytes(15) + b"\x01":
        return IPV6_ADDR_LOOPBACK
    if packed == bytes(16):
        return IPV6_ADDR_UNSPECIFIED
    return IPV6_ADDR_GLOBAL | IPV6_ADDR_UNICAST


def in6_get6to4Prefix(addr: str) -> str | None:
    """The 6to4 prefix (RFC 3056) of the IPv4 address ``addr``; None when it is not one.

    >>> in6_get6to4Prefix("192.0.2.1")
    '2002:c000:201::'
    """
    try:
        v4 = ipaddress.IPv4Address(addr).packed
    except (ValueError, TypeError):
        return None
    return _ntop(b"\x20\x02" + v4 + bytes(10))


def in6_6to4ExtractAddr(addr: str) -> str | None:
    """The IPv4 address inside the 6to4 address ``addr``; None when it is not one.

    >>> in6_6to4ExtractAddr("2002:c000:201::1")
    '192.0.2.1'
    """
    try:
        packed = _addr(addr).packed
    except AddressError:
        return None
    if packed[:2] != b"\x20\x02":
        return None
    return str(ipaddress.IPv4Address(packed[2:6]))


def in6_addrtomac(addr: str) -> str | None:
    """The MAC address in the modified EUI-64 interface ID of ``addr``; None without one.

    >>> in6_addrtomac("fe80::21a:2bff:fe3c:4d5e")
    '00:1a:2b:3c:4d:5e'
    """
    iid = _addr(addr).packed[8:]
    return in6_ifaceidtomac(":".join(iid[i : i + 2].hex() for i in range(0, 8, 2)))


def in6_getha(prefix: str) -> str:
    """The anycast address of the home agents of the /64 ``prefix`` (RFC 2526, Mobile IPv6).

    >>> in6_getha("2001:db8::")
    '2001:db8::fdff:ffff:ffff:fffe'
    """
    net = _addr(prefix).packed[:8]
    return _ntop(net + bytes.fromhex("fdff" "ffff" "ffff" "fffe"))


def _iid_text(iid: bytes) -> str:
    """An interface ID as Scapy writes it (the end of ``ffff:ffff:ffff:ffff:<iid>``)."""
    return _ntop(b"\xff" * 8 + iid)[20:]


def in6_getRandomizedIfaceId(
    ifaceid: str, previous: str | None = None
) -> tuple[str, str]:
    """A temporary interface ID (RFC 3041 §3.2.1) from the interface ID ``ifaceid`` and the
    history value ``previous`` (random when None): (the new ID, the next history value).

    >>> in6_getRandomizedIfaceId("20b:93ff:feeb:2d3", previous="d006:d540:db11:b092")
    ('721f:11fa:3743:fc7f', '5946:5272:7fcc:108a')
    """
    history = os.urandom(8) if previous is None else _addr("::" + previous).packed[8:]
    digest = hashlib.md5(_addr("::" + ifaceid).packed[8:] + history,
                         usedforsecurity=False).digest()
    first = bytes((digest[0] & ~0x04 & 0xFF,)) + digest[1:8]
    return _iid_text(first), _iid_text(digest[8:])


_RFC1924 = ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            "!#$%&()*+-;<=>?@^_`{|}~")


def in6_ctop(addr: str) -> str | None:
    """The IPv6 address written in RFC 1924's 20 characters; None when it is not that.

    >>> in6_ctop("4)+k&C#VzJ4br>0wv%Yp")
    '1080::8:800:200c:417a'
    """
    if not isinstance(addr, str) or len(addr) != 20 or any(c not in _RFC1924 for c in addr):
        return None
    value = 0
    for c in addr:
        value = 85 * value + _RFC1924.index(c)
    if value >= 1 << 128:
        return None
    return _ntop(value.to_bytes(16, "big"))


def in6_ptoc(addr: str) -> str | None:
    """``addr`` in RFC 1924's 20 characters (padded with ``0`` where Scapy gives fewer);
    None when it is not an IPv6 address.

    >>> in6_ptoc("1080::8:800:200c:417a")
    '4)+k&C#VzJ4br>0wv%Yp'
    """
    try:
        value = int(_addr(addr))
    except AddressError:
        return None
    out = []
    for _ in range(20):
        value, digit = divmod(value, 85)
        out.append(_RFC1924[digit])
    return "".join(reversed(out))
