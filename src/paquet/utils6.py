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
import random
import socket
import struct
import time
from collections.abc import Callable, Iterable

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
    "TEREDO_PREFIX",
    "construct_source_candidate_set",
    "in6_6to4ExtractAddr",
    "in6_addrtomac",
    "in6_and",
    "in6_cidr2mask",
    "in6_ctop",
    "in6_get6to4Prefix",
    "in6_getAddrType",
    "in6_getLinkScopedMcastAddr",
    "in6_getLocalUniquePrefix",
    "in6_getRandomizedIfaceId",
    "in6_get_common_plen",
    "in6_getha",
    "in6_getnsma",
    "in6_getnsmac",
    "in6_getscope",
    "in6_ifaceidtomac",
    "in6_isaddr6to4",
    "in6_isaddrTeredo",
    "in6_isaddrllallnodes",
    "in6_isaddrllallservers",
    "in6_isanycast",
    "in6_isdocaddr",
    "in6_iseui64",
    "in6_isgladdr",
    "in6_isincluded",
    "in6_islladdr",
    "in6_isllsnmaddr",
    "in6_ismaddr",
    "in6_ismgladdr",
    "in6_ismlladdr",
    "in6_ismnladdr",
    "in6_ismsladdr",
    "in6_issladdr",
    "in6_isuladdr",
    "in6_isvalid",
    "in6_mactoifaceid",
    "in6_mask2cidr",
    "in6_or",
    "in6_ptoc",
    "in6_ptop",
    "in6_xor",
    "teredoAddrExtractInfo",
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


# ------------------------------------------------------------- address types and scopes

IPV6_ADDR_UNICAST = 0x01
IPV6_ADDR_MULTICAST = 0x02
IPV6_ADDR_CAST_MASK = 0x0F
IPV6_ADDR_LOOPBACK = 0x10
IPV6_ADDR_GLOBAL = 0x00
IPV6_ADDR_LINKLOCAL = 0x20
IPV6_ADDR_SITELOCAL = 0x40  # deprecated (RFC 3879)
IPV6_ADDR_SCOPE_MASK = 0xF0
IPV6_ADDR_6TO4 = 0x0100
IPV6_ADDR_UNSPECIFIED = 0x10000


def in6_getAddrType(addr: str) -> int:
    """The kind of ``addr`` as Scapy's ``IPV6_ADDR_*`` bits: cast (unicast, multicast) and
    scope (global, link-local, loopback), 6to4 marked, ``::`` unspecified. As Scapy, any
    unicast address outside the link-local and loopback ones counts as global.

    >>> in6_getAddrType("fe80::1") == IPV6_ADDR_UNICAST | IPV6_ADDR_LINKLOCAL
    True
    >>> in6_getAddrType("2002:c000:201::1") == IPV6_ADDR_UNICAST | IPV6_ADDR_6TO4
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


def in6_isincluded(addr: str, prefix: str, plen: int) -> bool:
    """True when ``addr`` is in ``prefix/plen`` (the prefix's host bits must be zero, as in
    Scapy).

    >>> in6_isincluded("2001:db8::1", "2001:db8::", 32), in6_isincluded("::1", "::", 128)
    (True, False)
    """
    return in6_and(_addr(addr).packed, in6_cidr2mask(plen)) == _addr(prefix).packed


def _in(prefix: str, plen: int) -> Callable[[str], bool]:
    def test(addr: str) -> bool:
        return in6_isincluded(addr, prefix, plen)

    return test


in6_isdocaddr = _in("2001:db8::", 32)
in6_isdocaddr.__doc__ = "True when ``addr`` is a documentation address (2001:db8::/32, RFC 3849)."
in6_ismnladdr = _in("ff01::", 16)
in6_ismnladdr.__doc__ = "True when ``addr`` is a node-local (interface-local) multicast address."
in6_ismlladdr = _in("ff02::", 16)
in6_ismlladdr.__doc__ = "True when ``addr`` is a link-local multicast address (ff02::/16)."
in6_ismsladdr = _in("ff05::", 16)
in6_ismsladdr.__doc__ = "True when ``addr`` is a site-local multicast address (ff05::/16)."
in6_ismgladdr = _in("ff0e::", 16)
in6_ismgladdr.__doc__ = "True when ``addr`` is a global multicast address (ff0e::/16)."
in6_isaddr6to4 = _in("2002::", 16)
in6_isaddr6to4.__doc__ = "True when ``addr`` is a 6to4 address (2002::/16, RFC 3056)."


def in6_isllsnmaddr(addr: str) -> bool:
    """True when ``addr`` is a solicited-node multicast address (ff02::1:ff00:0/104).

    >>> in6_isllsnmaddr("ff02::1:ff12:3456"), in6_isllsnmaddr("ff02::1")
    (True, False)
    """
    return in6_isincluded(addr, "ff02::1:ff00:0", 104)


def in6_isaddrllallnodes(addr: str) -> bool:
    """True when ``addr`` is ff02::1, all the nodes of the link."""
    return _addr(addr).packed == _addr("ff02::1").packed


def in6_isaddrllallservers(addr: str) -> bool:
    """True when ``addr`` is ff02::2, all the routers of the link."""
    return _addr(addr).packed == _addr("ff02::2").packed


def in6_getscope(addr: str) -> int:
    """The scope of ``addr`` as an ``IPV6_ADDR_*`` value (-1 when it has none), as Scapy:
    global and unique-local unicast are global.

    >>> in6_getscope("fe80::1") == IPV6_ADDR_LINKLOCAL, in6_getscope("fd00::1")
    (True, 0)
    """
    if in6_isgladdr(addr) or in6_isuladdr(addr):
        return IPV6_ADDR_GLOBAL
    if in6_islladdr(addr):
        return IPV6_ADDR_LINKLOCAL
    if in6_issladdr(addr):
        return IPV6_ADDR_SITELOCAL
    if in6_ismaddr(addr):
        for test, scope in ((in6_ismgladdr, IPV6_ADDR_GLOBAL),
                            (in6_ismlladdr, IPV6_ADDR_LINKLOCAL),
                            (in6_ismsladdr, IPV6_ADDR_SITELOCAL),
                            (in6_ismnladdr, IPV6_ADDR_LOOPBACK)):
            if test(addr):
                return scope
        return -1
    return IPV6_ADDR_LOOPBACK if _addr(addr).packed == bytes(15) + b"\x01" else -1


def in6_isvalid(address: str) -> bool:
    """True when ``address`` is an IPv6 address written as text.

    >>> in6_isvalid("2001:db8::1"), in6_isvalid("2001:db8::g")
    (True, False)
    """
    try:
        socket.inet_pton(socket.AF_INET6, address)
    except (OSError, TypeError, ValueError):
        return False
    return True


def in6_ptop(addr: str) -> str:
    """``addr`` written the usual short way (``2001:0db8:0:0::1`` -> ``2001:db8::1``)."""
    return socket.inet_ntop(socket.AF_INET6, _addr(addr).packed)


def in6_get_common_plen(a: str, b: str) -> int:
    """How many leading bits ``a`` and ``b`` share (128 when they are equal).

    >>> in6_get_common_plen("2001:db8::1", "2001:db8::2")
    126
    """
    x = int(_addr(a)) ^ int(_addr(b))
    return 128 - x.bit_length()


# ------------------------------------------------------------- bitwise operations, masks


def _op(a1: bytes, a2: bytes, op: Callable[[int, int], int]) -> bytes:
    return bytes(op(x, y) for x, y in zip(_packed(a1), _packed(a2), strict=True))


def in6_and(a1: bytes, a2: bytes) -> bytes:
    """Bitwise AND of two packed addresses (16 bytes each), packed."""
    return _op(a1, a2, lambda x, y: x & y)


def in6_or(a1: bytes, a2: bytes) -> bytes:
    """Bitwise OR of two packed addresses (16 bytes each), packed."""
    return _op(a1, a2, lambda x, y: x | y)


def in6_xor(a1: bytes, a2: bytes) -> bytes:
    """Bitwise XOR of two packed addresses (16 bytes each), packed."""
    return _op(a1, a2, lambda x, y: x ^ y)


def in6_cidr2mask(m: int) -> bytes:
    """The packed netmask of a prefix length (0 to 128).

    >>> in6_cidr2mask(20).hex()
    'fffff000000000000000000000000000'
    """
    if not isinstance(m, int) or not 0 <= m <= 128:
        raise AddressError(f"an IPv6 prefix length is 0 to 128, not {m!r}")
    return (((1 << m) - 1) << (128 - m)).to_bytes(16, "big")


def in6_mask2cidr(m: bytes) -> int:
    """The prefix length of a packed netmask: its leading one bits (as Scapy, the bits after
    the first zero are not looked at).

    >>> in6_mask2cidr(in6_cidr2mask(57))
    57
    """
    value = int.from_bytes(_packed(m), "big")
    inverted = ~value & ((1 << 128) - 1)
    return 128 - inverted.bit_length()


# ------------------------------------------------------------------ embedded addresses


def in6_addrtomac(addr: str) -> str | None:
    """The MAC address inside ``addr``'s modified EUI-64 interface identifier (None when the
    identifier is not one).

    >>> in6_addrtomac("fe80::21a:2bff:fe3c:4d5e")
    '00:1a:2b:3c:4d:5e'
    """
    iid = _addr(addr).packed[8:]
    return in6_ifaceidtomac(str(ipaddress.IPv6Address(bytes(8) + iid))[2:])


def in6_iseui64(addr: str) -> bool:
    """True when ``addr``'s interface identifier looks like a modified EUI-64 one: the bits
    of ff:fe set in its middle (as Scapy tests it, ff:ff passes too)."""
    packed = _addr(addr).packed
    return packed[11] == 0xFF and packed[12] & 0xFE == 0xFE


def in6_isanycast(addr: str) -> bool:
    """True when ``addr`` is a reserved subnet anycast address of an EUI-64 subnet (RFC 2526:
    interface identifier fdff:ffff:ffff:ff80 and above). Scapy cannot tell for a subnet whose
    identifiers are not EUI-64 and says False; paquet does the same (RFC 2526 §2's other
    format needs the prefix length, which the address alone does not give)."""
    if not in6_iseui64(addr):
        return False
    mask = _addr("::fdff:ffff:ffff:ff80").packed
    return in6_and(_addr(addr).packed, mask) == mask


def in6_get6to4Prefix(addr: str) -> str | None:
    """The 6to4 /48 prefix (RFC 3056) of the IPv4 address ``addr``; None when it is not one.

    >>> in6_get6to4Prefix("192.0.2.1")
    '2002:c000:201::'
    """
    try:
        v4 = socket.inet_pton(socket.AF_INET, addr)
    except (OSError, TypeError, ValueError):
        return None
    return socket.inet_ntop(socket.AF_INET6, b"\x20\x02" + v4 + bytes(10))


def in6_6to4ExtractAddr(addr: str) -> str | None:
    """The IPv4 address inside the 6to4 address ``addr``; None when it is not one.

    >>> in6_6to4ExtractAddr("2002:c000:201::1")
    '192.0.2.1'
    """
    try:
        packed = socket.inet_pton(socket.AF_INET6, addr)
    except (OSError, TypeError, ValueError):
        return None
    if packed[:2] != b"\x20\x02":
        return None
    return socket.inet_ntop(socket.AF_INET, packed[2:6])


TEREDO_PREFIX = "2001::"


def in6_isaddrTeredo(addr: str) -> bool:
    """True when ``addr`` is a Teredo address (2001::/32, RFC 4380)."""
    return _addr(addr).packed[:4] == _addr(TEREDO_PREFIX).packed[:4]


def teredoAddrExtractInfo(addr: str) -> tuple[str, int, str, int]:
    """What a Teredo address holds (RFC 4380 §4): ``(server, flags, client address, client
    port)``, the client's address and port un-obfuscated.

    >>> teredoAddrExtractInfo("2001:0:4136:e378:8000:63bf:3fff:fdd2")
    ('65.54.227.120', 32768, '192.0.2.45', 40000)
    """
    packed = _addr(addr).packed
    server = socket.inet_ntop(socket.AF_INET, packed[4:8])
    flags = int.from_bytes(packed[8:10], "big")
    port = int.from_bytes(packed[10:12], "big") ^ 0xFFFF
    client = socket.inet_ntop(socket.AF_INET, bytes(b ^ 0xFF for b in packed[12:16]))
    return server, flags, client, port


def in6_getha(prefix: str) -> str:
    """The home agents' anycast address (RFC 2526, ID 0x7e) of the /64 of ``prefix``.

    >>> in6_getha("2001:db8:1:2::")
    '2001:db8:1:2:fdff:ffff:ffff:fffe'
    """
    net = in6_and(_addr(prefix).packed, in6_cidr2mask(64))
    return str(ipaddress.IPv6Address(in6_or(net, _addr("::fdff:ffff:ffff:fffe").packed)))


def in6_getLocalUniquePrefix() -> str:
    """A unique local /48 prefix drawn as RFC 4193 §3.2.2 says: fd00::/8 and 40 bits of the
    SHA-1 of the time of day and an EUI-64 made from a random MAC (``random.seed`` does not
    replay it: it depends on the time).

    >>> p = in6_getLocalUniquePrefix()
    >>> p.startswith("fd") and p.endswith("::")
    True
    """
    now = time.time()
    ntp = struct.pack("!II", int(now) & 0xFFFFFFFF, int((now % 1) * 2**32))
    mac = ":".join(f"{random.getrandbits(8):02x}" for _ in range(6))
    eui64 = _addr("::" + in6_mactoifaceid(mac)).packed[8:]
    global_id = hashlib.sha1(ntp + eui64, usedforsecurity=False).digest()[:5]
    return str(ipaddress.IPv6Address(b"\xfd" + global_id + bytes(10)))


def in6_getRandomizedIfaceId(
    ifaceid: str, previous: str | None = None
) -> tuple[str, str]:
    """A temporary interface identifier as RFC 3041 §3.2.1 draws it: the MD5 of the EUI-64
    identifier and the history value ``previous`` (random when not given). Returns
    ``(identifier, next history value)``, both as text like Scapy's.

    >>> in6_getRandomizedIfaceId("21a:2bff:fe3c:4d5e", previous="1234:5678:9abc:def0")
    ('b0a2:8333:6e20:2779', '5590:5a79:8a46:cbc8')
    """
    history = (_addr("::" + previous).packed[8:] if previous is not None
               else random.getrandbits(64).to_bytes(8, "big"))
    digest = hashlib.md5(_addr("::" + ifaceid).packed[8:] + history,
                         usedforsecurity=False).digest()
    first = bytes((digest[0] & ~0x04 & 0xFF,)) + digest[1:8]

    def text(half: bytes) -> str:
        return str(ipaddress.IPv6Address(b"\xff" * 8 + half))[20:]

    return text(first), text(digest[8:])


_RFC1924 = ("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            "!#$%&()*+-;<=>?@^_`{|}~")


def in6_ctop(addr: str) -> str | None:
    """The address written in RFC 1924's compact base-85 form (20 characters) as usual text;
    None when ``addr`` is not such a form.

    >>> in6_ctop("4)+k&C#VzJ4br>0wv%Yp")
    '1080::8:800:200c:417a'
    """
    if not isinstance(addr, str) or len(addr) != 20 or any(c not in _RFC1924 for c in addr):
        return None
    value = 0
    for c in addr:
        value = value * 85 + _RFC1924.index(c)
    return str(ipaddress.IPv6Address(value % (1 << 128)))


def in6_ptoc(addr: str) -> str | None:
    """The address ``addr`` in RFC 1924's compact base-85 form; None when it is not one.

    >>> in6_ptoc("1080::8:800:200c:417a")
    '4)+k&C#VzJ4br>0wv%Yp'
    """
    try:
        value = int.from_bytes(socket.inet_pton(socket.AF_INET6, addr), "big")
    except (OSError, TypeError, ValueError):
        return None
    out = []
    while value:
        value, digit = divmod(value, 85)
        out.append(_RFC1924[digit])
    return "".join(reversed(out))


def _global_first(x: str, y: str) -> int:
    """Scapy's order of a candidate set: global addresses first, a native one before a 6to4
    one."""
    x_global, y_global = int(in6_isgladdr(x)), int(in6_isgladdr(y))
    if y_global != x_global or not y_global:
        return y_global - x_global
    return -1 if not in6_isaddr6to4(x) else 0


def construct_source_candidate_set(addr: str, plen: int,
                                   laddr: Iterable[tuple[str, int, str]]) -> list[str]:
    """The addresses of ``laddr`` (an interface's ``(address, scope, iface)``) of the scope of
    destination ``addr/plen``, global ones first: the source candidates RFC 6724 then chooses
    from (Scapy's; an interface-local multicast destination gives the loopback ``::1``).

    >>> cands = [("fe80::1", IPV6_ADDR_LINKLOCAL, "eth0"),
    ...          ("2001:db8::1", IPV6_ADDR_GLOBAL, "eth0")]
    >>> construct_source_candidate_set("2001:db8::9", 64, cands)
    ['2001:db8::1']
    >>> construct_source_candidate_set("ff02::1", 0, cands)
    ['fe80::1']
    """
    from functools import cmp_to_key

    scope: int | None = None
    if in6_isgladdr(addr) or in6_isuladdr(addr):
        scope = IPV6_ADDR_GLOBAL
    elif in6_islladdr(addr):
        scope = IPV6_ADDR_LINKLOCAL
    elif in6_issladdr(addr):
        scope = IPV6_ADDR_SITELOCAL
    elif in6_ismaddr(addr):
        if in6_ismnladdr(addr):
            return ["::1"]
        for test, multicast_scope in ((in6_ismgladdr, IPV6_ADDR_GLOBAL),
                                      (in6_ismlladdr, IPV6_ADDR_LINKLOCAL),
                                      (in6_ismsladdr, IPV6_ADDR_SITELOCAL)):
            if test(addr):
                scope = multicast_scope
                break
    elif addr == "::" and plen == 0:
        scope = IPV6_ADDR_GLOBAL
    elif addr == "::1":
        scope = IPV6_ADDR_LOOPBACK
    if scope is None:
        return []
    found = [entry[0] for entry in laddr if entry[1] == scope]
    return sorted(found, key=cmp_to_key(_global_first))
