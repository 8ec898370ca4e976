"""DNS names and the fields of DNS records (RFC 1035 section 3, RFC 4034 section 4.1.2), with
Scapy's names and semantics.

A name is held as its dotted bytes ending with a dot (``b"www.example.com."``); the root is
``b"."``. :func:`dns_encode` gives its wire form, :func:`dns_get_str` reads one back, following
compression pointers into the whole message (at most 20 jumps, a loop stops it: a hostile
name never hangs and never raises). A value that is already a wire form ending with a pointer
(what :func:`~paquet.layers.dns.dns_compress` puts in a field) is kept as it is.

>>> dns_encode(b"www.example.com.")
b'\\x03www\\x07example\\x03com\\x00'
>>> dns_get_str(b"\\x03www\\xc0\\x06", full=b"\\x00" * 6 + b"\\x03com\\x00")
(b'www.com.', b'')
>>> RRlist2bitmap([1, 2, 46])
b'\\x00\\x06`\\x00\\x00\\x00\\x00\\x02'
>>> bitmap2RRlist(RRlist2bitmap([1, 2, 46]))
[1, 2, 46]
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.packet.base import Packet
from paquet.packet.fields import conversion, representation
from paquet.packet.general import _RAW
from paquet.packet.strfields import StrField, StrLenField

__all__ = [
    "DNSCompressedPacket",
    "DNSStrField",
    "DNSTextField",
    "RRlist2bitmap",
    "RRlistField",
    "bitmap2RRlist",
    "dns_encode",
    "dns_get_str",
    "dnsclasses",
    "dnsqtypes",
    "dnssecalgotypes",
    "dnssecdigesttypes",
    "dnssecnsec3algotypes",
    "dnstypes",
]

#: Resource record types (IANA "Resource Record (RR) TYPEs"), Scapy's names.
dnstypes: dict[int, str] = {
    0: "RESERVED", 1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB",
    8: "MG", 9: "MR", 10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX",
    16: "TXT", 17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP",
    23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC",
    30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX",
    37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS",
    44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID",
    50: "NSEC3", 51: "NSEC3PARAM", 52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO",
    57: "RKEY", 58: "TALINK", 59: "CDS", 60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC",
    63: "ZONEMD", 64: "SVCB", 65: "HTTPS", 99: "SPF", 100: "UINFO", 101: "UID", 102: "GID",
    103: "UNSPEC", 104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48",
    109: "EUI64", 249: "TKEY", 250: "TSIG", 256: "URI", 257: "CAA", 258: "AVC", 259: "DOA",
    260: "AMTRELAY", 32768: "TA", 32769: "DLV", 65535: "RESERVED",
}
#: Question types: the record types and the query-only ones (RFC 1035 section 3.2.3).
dnsqtypes: dict[int, str] = {251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA",
                             255: "ALL", **dnstypes}
#: Classes (RFC 1035 section 3.2.4).
dnsclasses: dict[int, str] = {1: "IN", 2: "CS", 3: "CH", 4: "HS", 255: "ANY"}
#: DNSSEC algorithm numbers (IANA), Scapy's names.
dnssecalgotypes: dict[int, str] = {
    0: "Reserved", 1: "RSA/MD5", 2: "Diffie-Hellman", 3: "DSA/SHA-1", 4: "Reserved",
    5: "RSA/SHA-1", 6: "DSA-NSEC3-SHA1", 7: "RSASHA1-NSEC3-SHA1", 8: "RSA/SHA-256",
    9: "Reserved", 10: "RSA/SHA-512", 11: "Reserved", 12: "GOST R 34.10-2001",
    13: "ECDSA Curve P-256 with SHA-256", 14: "ECDSA Curve P-384 with SHA-384",
    15: "Ed25519", 16: "Ed448", 252: "Reserved for Indirect Keys",
    253: "Private algorithms - domain name", 254: "Private algorithms - OID", 255: "Reserved",
}
#: DS digest types (IANA).
dnssecdigesttypes: dict[int, str] = {0: "Reserved", 1: "SHA-1", 2: "SHA-256",
                                     3: "GOST R 34.11-94", 4: "SHA-384"}
#: NSEC3 hash algorithms (RFC 5155).
dnssecnsec3algotypes: dict[int, str] = {0: "Reserved", 1: "SHA-1"}

#: Compression pointers followed in one name at most (Scapy's limit).
MAX_JUMPS = 20
#: Bytes of labels (with their length bytes) read in one name at most: RFC 1035 allows 255
#: for the whole name. Past that the name stops, so that a message of hostile names pointing
#: at long runs of labels reads in linear time (Scapy reads such names whole, slowly).
MAX_NAME = 255


def read_name(msg: bytes, pos: int, limit: int,
              cache: dict[int, tuple[bytes, int, int]] | None = None) -> tuple[bytes, int]:
    """The name at ``msg[pos:]`` (labels read up to ``limit`` before the first pointer, then
    anywhere in ``msg``) and the offset just after it in the record (at most ``limit``). Never
    raises: a pointer loop, more than :data:`MAX_JUMPS` pointers, more than :data:`MAX_NAME`
    bytes of labels or the end of the bytes stop the name there (what :func:`dns_get_str`
    reads from ``msg[pos:limit]``).

    ``cache`` (one per message) keeps the names read after each pointer's target, with their
    size and pointers: a name pointing there again takes them at once (the same result; a
    message of names pointing at long runs of labels reads in linear time).

    >>> read_name(b"\\x01a\\x00\\x01b\\xc0\\x00", 3, 7)
    (b'b.a.', 7)
    """
    if cache is not None and pos + 1 < limit and msg[pos] & 0xC0:
        # The usual compressed name: a pointer alone, to a name read before.
        hit = cache.get(((msg[pos] & 0x3F) << 8) | msg[pos + 1])
        if hit is not None and hit[2] < MAX_JUMPS and hit[1] <= MAX_NAME:
            return hit[0], pos + 2
    labels: list[bytes] = []
    after = -1
    seen: list[int] = []
    marks: list[tuple[int, int, int, int]] = []
    n = limit
    size = 0
    clean = False
    tail = b""
    extra = 0
    while pos < n:
        c = msg[pos]
        pos += 1
        if c & 0xC0:
            if after < 0:
                after = pos + 1
            if pos >= n:
                break
            pos = ((c & 0x3F) << 8) | msg[pos]
            if pos in seen or len(seen) >= MAX_JUMPS:
                break
            seen.append(pos)
            n = len(msg)
            if cache is not None:
                hit = cache.get(pos)
                if (hit is not None and len(seen) + hit[2] <= MAX_JUMPS
                        and size + hit[1] <= MAX_NAME):
                    tail, extra = hit[0], hit[2]
                    size += hit[1]
                    clean = True
                    break
                marks.append((pos, len(labels), size, len(seen)))
            continue
        if not c:
            clean = True
            break
        labels.append(msg[pos:pos + c] if pos + c <= n else msg[pos:n])
        pos += c
        size += c + 1
        if size > MAX_NAME:
            break
    if tail == b".":
        tail = b""
    if clean and marks and cache is not None:
        jumps = len(seen) + extra
        for target, i, before, k in marks:
            if target not in cache:
                part = labels[i:]
                joined = b".".join(part) + b"." + tail if part else tail
                cache[target] = (joined or b".", size - before, jumps - k)
    if after >= 0:
        pos = after
    if pos > limit:
        pos = limit
    if not labels:
        return tail or b".", pos
    return b".".join(labels) + b"." + tail, pos


def dns_get_str(s: bytes, full: bytes | None = None,
                _ignore_compression: bool = False) -> tuple[bytes, bytes]:
    """The name at the start of ``s`` and the bytes after it (Scapy's ``dns_get_str``):
    pointers are followed into ``full`` (the whole message); without it, a pointer raises
    :class:`~paquet.packet.fields.FieldError` ("can't be compressed at this point")."""
    from paquet.packet.fields import FieldError

    buf, n = s, len(s)
    labels: list[bytes] = []
    pos = 0
    after = -1
    seen: list[int] = []
    size = 0
    rest: bytes | None = None
    while pos < n:
        c = buf[pos]
        pos += 1
        if c & 0xC0:
            if after < 0:
                after = pos + 1
            if _ignore_compression:
                pos += 1
                continue
            if pos >= n:
                break
            if not full:
                raise FieldError("DNS message can't be compressed at this point!")
            pos = ((c & 0x3F) << 8) | buf[pos]
            if pos in seen or len(seen) >= MAX_JUMPS:
                break
            if rest is None:
                rest = s[after:]
                buf, n = full, len(full)
            seen.append(pos)
            continue
        if not c:
            break
        labels.append(buf[pos:pos + c])
        pos += c
        size += c + 1
        if size > MAX_NAME:
            break
    if after >= 0:
        pos = after
    if rest is None:
        rest = s[pos:]
    return (b".".join(labels) + b"." if labels else b"."), rest


def _is_ptr(x: bytes) -> bool:
    """True for bytes that already are a wire form (a zero byte last, or a pointer)."""
    return bool(x) and (x[-1] == 0 or (len(x) >= 2 and (x[-2] & 0xC0) == 0xC0))


def dns_encode(x: bytes, check_built: bool = False) -> bytes:
    """The wire form of the name ``x`` (labels over 63 bytes are cut, as Scapy's); with
    ``check_built``, a value already in wire form is kept."""
    if not x or x == b".":
        return b"\x00"
    if check_built and _is_ptr(x):
        return x
    out = b"".join(bytes((len(k[:63]),)) + k[:63] for k in x.split(b"."))
    if out[-1:] != b"\x00":
        out += b"\x00"
    return out


def _clear(pkt: Any) -> None:
    """Forget the bytes a layer and the packets its fields hold were dissected from."""
    for layer in pkt.iterlayers():
        layer.__dict__.pop(_RAW, None)
        for name in layer._pktfields:
            val = layer.__dict__.get(name)
            for p in val if isinstance(val, list) else [val]:
                if isinstance(p, Packet):
                    _clear(p)


class _Cached:
    """Scapy's cache API: ``clear_cache()`` and ``raw_packet_cache`` (the bytes dissected,
    None once a field changed)."""

    def clear_cache(self) -> None:
        """Forget the dissected bytes here and in the records: the next build uses the
        fields (names in full, lengths computed when None)."""
        _clear(self)

    def getfield_and_val(self, attr: str) -> tuple[Any, Any]:
        """The field ``attr`` and its value (a MultipleTypeField not set: the default of the
        field chosen for this layer, as Scapy's lengths count it)."""
        f = self._fieldmap.get(attr)  # type: ignore[attr-defined]
        if f is None:
            raise ValueError(attr)
        v = self.__dict__[attr]
        if hasattr(f, "flds") and not self.is_set(attr):  # type: ignore[attr-defined]
            v = f._find_fld_pkt(self).default
        return f, v

    @property
    def raw_packet_cache(self) -> bytes | None:
        """The bytes this layer was dissected from, while no field changed."""
        cached = self.__dict__.get(_RAW)
        return None if cached is None else bytes(cached[0])


def in_order(cls: type[Packet]) -> type[Packet]:
    """Give ``cls`` Scapy's constructor order: each value is converted knowing the fields
    given before it (``DNSRR(type="TXT", rdata="x")`` reads ``rdata`` as text)."""
    from paquet.packet.fields import FieldError
    from paquet.packet.general import _convert

    def _check_fields(self: Packet, fields: dict[str, Any]) -> None:
        if not self._nameset.issuperset(fields):
            unknown = next(k for k in fields if k not in self._fieldmap)
            raise FieldError(f"{type(self).__name__} has no field {unknown!r}")
        d = self.__dict__
        for k, v in fields.items():
            f = self._fieldmap[k]
            if v is None and getattr(f, "converts_none", False):
                fields[k] = d[k] = f.any2i(self, v)
            else:
                fields[k] = d[k] = _convert(self, k, v)
        if fields:
            d.pop(_RAW, None)

    cls._check_fields = _check_fields  # type: ignore[method-assign]
    return cls


class DNSCompressedPacket(Packet):
    """A layer holding DNS names that may point into it (Scapy's mark): ``get_full()`` gives
    the message the pointers count from."""

    def get_full(self) -> bytes | None:
        """The whole message (the pointers' origin)."""
        return None


#: The messages being dissected (innermost last): a record dissected inside one reads its
#: pointers there.
FULL_STACK: list[bytes] = []


class DNSStrField(StrLenField):
    """A DNS name (Scapy's): set as text or bytes, held with a final dot, built in wire form,
    read with pointers followed (within ``length_from(pkt)`` bytes when given)."""

    __slots__ = ()
    islist = False  # (a list given is several names: one packet each, as Scapy)

    def __init__(self, name: str, default: Any, length_from: Any = None,
                 max_length: int | None = None) -> None:
        super().__init__(name, default, length_from, max_length)
        self.default = self.h2i(None, default)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if x and isinstance(x, list):
            return [self.h2i(pkt, y) for y in x]
        return self.h2i(pkt, x)

    def h2i(self, pkt: Any, x: Any) -> Any:
        if pkt is not None:  # (a name set: the message builds anew, names in full)
            parent = pkt.__dict__.get("parent")
            if isinstance(parent, DNSCompressedPacket):
                _clear(parent)
        if not x:
            return b"."
        if isinstance(x, str):
            x = x.encode("utf-8", "surrogateescape")
        x = bytes(x)
        if x[-1:] != b"." and not _is_ptr(x):
            return x + b"."
        return x

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, str):
            x = x.encode("utf-8", "surrogateescape")
        return dns_encode(x or b"", check_built=True)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def get_full(self, pkt: Any) -> bytes | None:
        """The message ``pkt``'s pointers count from: its DNS layer's, or the one being
        dissected."""
        while pkt is not None and not isinstance(pkt, DNSCompressedPacket):
            pkt = pkt.__dict__.get("parent") or pkt.__dict__.get("underlayer")
        if pkt is not None:
            full = pkt.get_full()
            if full is not None:
                return bytes(full)
        return FULL_STACK[-1] if FULL_STACK else None

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        remain = b""
        if self.length_from is not None:
            n = int(self.length_from(pkt))
            s, remain = s[:n], s[n:]
        name, left = dns_get_str(s, full=self.get_full(pkt))
        return left + remain, name

    def randval(self) -> Any:
        """A random name of two labels."""
        import random

        def label() -> bytes:
            return bytes(random.choice(b"abcdefghijklmnopqrstuvwxyz")
                         for _ in range(random.randint(1, 12)))

        return label() + b"." + label() + b"."


class DNSTextField(StrLenField):
    """TXT data (Scapy's): a list of character-strings, each built with its length byte
    (strings of 255 bytes or more are split)."""

    __slots__ = ()
    islist = True

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x if x else []

    def m2i(self, pkt: Any, s: bytes) -> Any:
        out: list[bytes] = []
        pos, n = 0, len(s)
        while pos < n:
            ln = s[pos] + 1
            out.append(s[pos + 1:pos + ln])
            pos += ln
        return out

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str | bytes):
            return [x]
        return x

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def i2m(self, pkt: Any, x: Any) -> bytes:
        out = []
        for text in x or []:
            if not text:
                out.append(b"\x00")
                continue
            if isinstance(text, str):
                text = text.encode("utf-8", "surrogateescape")
            text = bytes(text)
            while len(text) >= 255:
                out.append(b"\xff" + text[:255])
                text = text[255:]
            if text:
                out.append(bytes((len(text),)) + text)
        return b"".join(out)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def randval(self) -> Any:
        """A random list of one or two strings."""
        import random

        return [bytes(random.randrange(256) for _ in range(random.randint(1, 20)))
                for _ in range(random.randint(1, 2))]


def bitmap2RRlist(bitmap: bytes) -> list[int] | None:
    """The record types of an NSEC type bitmap (RFC 4034 section 4.1.2); None when the
    bitmap is malformed (as Scapy's)."""
    out: list[int] = []
    while bitmap:
        if len(bitmap) < 2:
            return None
        window, size = bitmap[0], bitmap[1]
        if size <= 0 or size > 32:
            return None
        for i, byte in enumerate(bitmap[2:2 + size]):
            out.extend(window * 256 + i * 8 + b for b in range(8) if byte & (0x80 >> b))
        bitmap = bitmap[2 + size:]
    return out


def RRlist2bitmap(lst: list[int]) -> bytes:
    """The NSEC type bitmap of the record types ``lst`` (windows of 256 types, each up to its
    last type's byte, at most 32 bytes)."""
    types = sorted({abs(x) for x in lst if x <= 65535})
    out = b""
    for window in sorted({t >> 8 for t in types}):
        inside = [t - window * 256 for t in types if t >> 8 == window]
        size = min(inside[-1] // 8 + 1, 32)
        bits = bytearray(size)
        for t in inside:
            if t // 8 < size:
                bits[t // 8] |= 0x80 >> (t % 8)
        out += struct.pack("BB", window, size) + bytes(bits)
    return out


class RRlistField(StrField):
    """An NSEC/NSEC3 type bitmap: set as a list of types, held as its bytes, shown as type
    names (Scapy's)."""

    __slots__ = ()
    islist = True

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if x and isinstance(x, list):
            return RRlist2bitmap(x)
        return super().any2i(pkt, x)

    def h2i(self, pkt: Any, x: Any) -> Any:
        if x and isinstance(x, list):
            return RRlist2bitmap(x)
        return x

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if not x:
            return "[]"
        types = bitmap2RRlist(x)
        return str([dnstypes.get(t, t) for t in types]) if types else repr(x)
