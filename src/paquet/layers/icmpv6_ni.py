"""ICMPv6 node information queries and replies (RFC 4620), with Scapy's classes and fields.

A query (type 139) asks a node for its names (``qtype`` 2), its IPv6 addresses (3) or its
IPv4 addresses (4), or nothing (0, NOOP); the subject of the query, in ``data``, is an IPv6
address (``code`` 0), a DNS name (1) or an IPv4 address (2). A reply (type 140) carries the
answer in ``data``: TTL and names, or (TTL, address) pairs. ``nonce`` (8 bytes) pairs a reply
with its query.

As in Scapy, ``data`` is stored as a pair ``(kind, value)`` (``getfieldval("data")``), read
as the value (``pkt.data``): a query's ``code`` left to None follows the kind of subject
given (an address, a name), a reply's ``data`` follows its ``qtype``:

>>> q = ICMPv6NIQueryName(data="n.d.org", nonce=b"12345678")
>>> q.getfieldval("data"), q.data, bytes(q)[1]
((1, b'\\x01n\\x01d\\x03org\\x00'), b'n.d.org', 1)
>>> ICMPv6NIReplyIPv6(data=[(42, "2001:db8::1"), "2001:db8::2"]).data
[(42, '2001:db8::1'), (0, '2001:db8::2')]
>>> computeNIGroupAddr("scapy")
'ff02::2:f886:2f66'

Differences with Scapy: a message of an unknown ``qtype`` or reply ``code`` is an
:class:`~paquet.layers.icmpv6.ICMPv6Unknown` (Scapy: Raw); bytes after a refusal or an
"unknown qtype" reply are that reply's ``data`` (Scapy: a Raw payload); the default nonce is
eight zero bytes, so that a packet's bytes are the same from one run to the next (Scapy draws one at
random per session): give each query its own, ``nonce=os.urandom(8)``, when replies must be
told apart (RFC 4620 §4 asks for a random one).
"""

from __future__ import annotations

import hashlib
import struct
from _socket import AF_INET, AF_INET6, inet_ntop, inet_pton
from typing import Any

from paquet.layers.icmpv6 import ICMPv6Unknown, _ICMPv6, register_icmpv6_type
from paquet.numbers import ICMPV6_TYPES
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, Field, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrFixedLenField

__all__ = [
    "ICMPv6NIQueryIPv4",
    "ICMPv6NIQueryIPv6",
    "ICMPv6NIQueryNOOP",
    "ICMPv6NIQueryName",
    "ICMPv6NIReplyIPv4",
    "ICMPv6NIReplyIPv6",
    "ICMPv6NIReplyNOOP",
    "ICMPv6NIReplyName",
    "ICMPv6NIReplyRefuse",
    "ICMPv6NIReplyUnknown",
    "computeNIGroupAddr",
    "dnsrepr2names",
    "names2dnsrepr",
]

NI_QTYPES = {0: "NOOP", 2: "Node Name", 3: "IPv6 Address", 4: "IPv4 Address"}
_QUERY_CODES = {0: "IPv6 Query", 1: "Name Query", 2: "IPv4 Query"}
_REPLY_CODES = {0: "Successful Reply", 1: "Response Refusal", 3: "Unknown query type"}
_FLAGS = "TACLSG"


def computeNIGroupAddr(name: str) -> str:
    """The multicast group of node information queries for ``name`` (RFC 4620 §4): ff02::2:
    followed by the first 32 bits of the MD5 of the first label (lower case, DNS form)."""
    label = name.lower().split(".")[0].encode("utf-8")
    h = hashlib.md5(bytes([len(label)]) + label, usedforsecurity=False).digest()
    return f"ff02::2:{h[0]:x}{h[1]:02x}:{h[2]:x}{h[3]:02x}"


def names2dnsrepr(names: Any) -> bytes:
    """DNS names in their wire form (no compression); a single-label name ends with two zero
    bytes (RFC 4620 §4). Bytes already ending with a zero byte are returned as they are.

    >>> names2dnsrepr(["abricot", "n.d.org"])
    b'\\x07abricot\\x00\\x00\\x01n\\x01d\\x03org\\x00'
    """
    if isinstance(names, str):
        names = names.encode("utf-8")
    if isinstance(names, bytes):
        if names.endswith(b"\x00"):
            return names
        names = [names]
    out = []
    for n in names:
        if isinstance(n, str):
            n = n.encode("utf-8")
        end = b"\x00" if b"." in n else b"\x00\x00"
        out.append(b"".join(bytes([len(lab)]) + lab for lab in n.split(b".")) + end)
    return b"".join(out)


def dnsrepr2names(data: bytes) -> list[bytes]:
    """The names of DNS wire-form ``data`` (no compression), as bytes without the last dot.

    >>> dnsrepr2names(b'\\x07abricot\\x00\\x00\\x01n\\x01d\\x03org\\x00')
    [b'abricot', b'n.d.org']
    """
    out: list[bytes] = []
    labels: list[bytes] = []
    i, n = 0, len(data)
    while i < n:
        size = data[i]
        i += 1
        if size == 0:
            out.append(b".".join(labels))
            labels = []
            if i < n and data[i] == 0:  # the second zero of a single-label name
                i += 1
            continue
        labels.append(data[i : i + size])
        i += size
    if labels:
        out.append(b".".join(labels))
    return out


def _kind_of(x: Any) -> tuple[int, Any]:
    """A query's subject: (0, IPv6 address), (2, IPv4 address) or (1, DNS name)."""
    if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
        return x
    if x is None:  # an empty name, as Scapy builds it
        return (1, b"\x00\x00\x00")
    text = x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)
    for kind, family in ((0, AF_INET6), (2, AF_INET)):
        try:
            inet_pton(family, text)
        except OSError:
            continue
        return (kind, text)
    return (1, names2dnsrepr(x))


class NonceField(StrFixedLenField):
    """The 8-byte nonce; zeros by default (see the module: give your own, ``os.urandom(8)``)."""

    __slots__ = ()

    def __init__(self, name: str, default: Any = None) -> None:
        super().__init__(name, bytes(8) if default is None else default, 8)


class NIQueryDataField(Field):
    """A query's subject, stored as ``(kind, value)`` (see the module)."""

    __slots__ = ()
    converts = True
    islist = True
    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, None)

    def h2i(self, pkt: Any, x: Any) -> Any:
        return _kind_of(x)

    def any2i(self, pkt: Any, x: Any = None) -> Any:
        return _kind_of(x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        if not isinstance(x, tuple):
            return x
        kind, val = x
        if kind == 1:
            names = dnsrepr2names(val)
            return names[0] if names else b""
        return val

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if not isinstance(x, tuple):
            return repr(x)
        kind, val = x
        if kind == 1:
            return b".".join(dnsrepr2names(val)[:1]).decode("utf-8", "replace")
        return repr(val)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        kind, val = _kind_of(x)
        if kind == 0:
            return inet_pton(AF_INET6, val)
        if kind == 2:
            return inet_pton(AF_INET, val)
        return bytes(val or b"")

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        d = pkt.__dict__
        if d["qtype"] == 0:
            return s, (0, b"")
        code = d["code"]
        if code == 0 and len(s) >= 16:
            return s[16:], (0, inet_ntop(AF_INET6, s[:16]))
        if code == 2 and len(s) >= 4:
            return s[4:], (2, inet_ntop(AF_INET, s[:4]))
        return b"", (1, bytes(s))


class NIQueryCodeField(ByteEnumField):
    """A query's code; None: the kind of the subject in ``data`` (Scapy's)."""

    __slots__ = ()
    fast = False

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None:
            data = pkt.__dict__.get("data") if pkt is not None else None
            if isinstance(data, tuple) and data[0] in (0, 1, 2):
                return data[0]
            return 1
        return x


def _reply_value(qtype: int, x: Any) -> tuple[int, Any]:
    """A reply's ``data`` as ``(qtype, value)``: [ttl, names] for names, [(ttl, address)]
    for addresses, bytes otherwise."""
    if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int) and (
            not isinstance(x[1], str) or qtype not in (3, 4)):
        qtype, x = x
    if qtype == 2:
        if isinstance(x, str | bytes):
            x = [x]
        x = [v.encode("utf-8") if isinstance(v, str) else v for v in (x or [])]
        if x and isinstance(x[0], int):
            return (2, [x[0], names2dnsrepr(x[1:])])
        return (2, [0, names2dnsrepr(x)])
    if qtype in (3, 4):
        if not isinstance(x, list):
            x = [x]
        pairs = []
        for v in x:
            if not isinstance(v, tuple):
                v = (0, v)
            ttl, addr = v
            pairs.append((ttl, addr.decode() if isinstance(addr, bytes) else addr))
        return (qtype, pairs)
    if isinstance(x, str):
        x = x.encode("utf-8")
    return (qtype, x)


class NIReplyDataField(Field):
    """A reply's data, stored as ``(qtype, value)`` (see the module)."""

    __slots__ = ()
    converts = True
    islist = True
    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, None)

    def any2i(self, pkt: Any, x: Any = None) -> Any:
        qtype = pkt.__dict__.get("qtype", 0) if pkt is not None else 0
        return _reply_value(qtype if isinstance(qtype, int) else 0, x)

    h2i = any2i

    def i2h(self, pkt: Any, x: Any) -> Any:
        if not isinstance(x, tuple):
            return x
        kind, val = x
        if kind == 2:
            return [val[0], *dnsrepr2names(val[1])]
        return val

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if x is None:
            return "[]"
        if not isinstance(x, tuple):
            return repr(x)
        kind, val = x
        if kind == 2:
            names = ",".join(n.decode("utf-8", "replace") for n in dnsrepr2names(val[1]))
            return f"ttl:{val[0]} {names}"
        if kind in (3, 4):
            return "[ " + ", ".join(f"({t}, {a})" for t, a in val) + " ]"
        return repr(val)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b""
        kind, val = x
        if val is None:
            return b""
        if kind == 2:
            return struct.pack("!I", val[0]) + bytes(val[1])
        if kind in (3, 4):
            family = AF_INET6 if kind == 3 else AF_INET
            return b"".join(struct.pack("!I", t) + inet_pton(family, a) for t, a in val)
        return bytes(val)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        d = pkt.__dict__
        qtype = d["qtype"]
        if d["code"] != 0:  # a refusal: what follows is kept here as bytes (Scapy: Raw)
            return b"", (0, bytes(s))
        if qtype == 0:
            return s, (0, b"")
        if qtype == 2:
            if len(s) < 4:
                return s, (0, b"")
            return b"", (2, [struct.unpack("!I", s[:4])[0], bytes(s[4:])])
        if qtype in (3, 4):
            family, size = (AF_INET6, 20) if qtype == 3 else (AF_INET, 8)
            pairs = []
            while len(s) >= size:
                pairs.append((struct.unpack("!I", s[:4])[0], inet_ntop(family, s[4:size])))
                s = s[size:]
            return s, (qtype, pairs)
        return b"", (0, bytes(s))


class _NIMessage(_ICMPv6):
    """What queries and replies share: the nonce pairs them."""

    def getfieldval(self, name: str) -> Any:
        """The stored value of a field of this layer (``data`` as its ``(kind, value)``
        pair, as Scapy's), or the value of an upper layer's field."""
        if name in self._fieldmap:
            return self.__dict__[name]
        return super().getfieldval(name)

    def hashret(self) -> bytes:
        nonce = self.__dict__["nonce"]
        return nonce.encode() if isinstance(nonce, str) else bytes(nonce or b"")


class ICMPv6NIQueryNOOP(_NIMessage):
    """A node information query (type 139) of qtype 0: is the node there?"""

    name = "ICMPv6 Node Information Query - NOOP Query"
    fields_desc = (
        ByteEnumField("type", 139, ICMPV6_TYPES),
        NIQueryCodeField("code", None, _QUERY_CODES),
        XShortField("cksum", None),
        ShortEnumField("qtype", 0, NI_QTYPES),
        BitField("unused", 0, 10),
        FlagsField("flags", 0, 6, _FLAGS),
        NonceField("nonce", None),
        NIQueryDataField("data", None),
    )

    @classmethod
    def by_subtype(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The query's class by its ``qtype``."""
        if end - start < 6:
            return ICMPv6Unknown
        qtype = int.from_bytes(data[start + 4 : start + 6], "big")
        return _QUERIES.get(qtype, ICMPv6Unknown)


class ICMPv6NIQueryName(ICMPv6NIQueryNOOP):
    """A query for the node's names (qtype 2)."""

    name = "ICMPv6 Node Information Query - IPv6 Name Query"
    qtype = 2


class ICMPv6NIQueryIPv6(ICMPv6NIQueryNOOP):
    """A query for the node's IPv6 addresses (qtype 3; flags ACLSG by default)."""

    name = "ICMPv6 Node Information Query - IPv6 Address Query"
    qtype = 3
    flags = 0x3E


class ICMPv6NIQueryIPv4(ICMPv6NIQueryNOOP):
    """A query for the node's IPv4 addresses (qtype 4)."""

    name = "ICMPv6 Node Information Query - IPv4 Address Query"
    qtype = 4


class ICMPv6NIReplyNOOP(_NIMessage):
    """A node information reply (type 140) of qtype 0."""

    name = "ICMPv6 Node Information Reply - NOOP Reply"
    fields_desc = (
        ByteEnumField("type", 140, ICMPV6_TYPES),
        ByteEnumField("code", 0, _REPLY_CODES),
        XShortField("cksum", None),
        ShortEnumField("qtype", 0, NI_QTYPES),
        BitField("unused", 0, 10),
        FlagsField("flags", 0, 6, _FLAGS),
        NonceField("nonce", None),
        NIReplyDataField("data", None),
    )

    @classmethod
    def by_subtype(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The reply's class by its ``code``, then its ``qtype``."""
        if end - start < 2:
            return ICMPv6Unknown
        code = data[start + 1]
        if code == 1:
            return ICMPv6NIReplyRefuse
        if code == 2:
            return ICMPv6NIReplyUnknown
        if code != 0:
            return ICMPv6Unknown
        if end - start < 6:
            return ICMPv6NIReplyNOOP
        qtype = int.from_bytes(data[start + 4 : start + 6], "big")
        return _REPLIES.get(qtype, ICMPv6NIReplyNOOP)

    def answers(self, other: Packet) -> bool:
        return bool(self.__dict__["nonce"] == other.__dict__.get("nonce"))


class ICMPv6NIReplyName(ICMPv6NIReplyNOOP):
    """The node's names (qtype 2): ``data`` is ``[ttl, name, ...]``."""

    name = "ICMPv6 Node Information Reply - Node Names"
    qtype = 2


class ICMPv6NIReplyIPv6(ICMPv6NIReplyNOOP):
    """The node's IPv6 addresses (qtype 3): ``data`` is ``[(ttl, address), ...]``."""

    name = "ICMPv6 Node Information Reply - IPv6 addresses"
    qtype = 3


class ICMPv6NIReplyIPv4(ICMPv6NIReplyNOOP):
    """The node's IPv4 addresses (qtype 4): ``data`` is ``[(ttl, address), ...]``."""

    name = "ICMPv6 Node Information Reply - IPv4 addresses"
    qtype = 4


class ICMPv6NIReplyRefuse(ICMPv6NIReplyNOOP):
    """The responder refuses to answer (code 1)."""

    name = "ICMPv6 Node Information Reply - Responder refuses to supply answer"
    code = 1


class ICMPv6NIReplyUnknown(ICMPv6NIReplyNOOP):
    """The responder does not know the query's qtype (code 2)."""

    name = "ICMPv6 Node Information Reply - Qtype unknown to the responder"
    code = 2


_QUERIES: dict[int, type[Packet]] = {
    0: ICMPv6NIQueryNOOP, 2: ICMPv6NIQueryName, 3: ICMPv6NIQueryIPv6, 4: ICMPv6NIQueryIPv4,
}
_REPLIES: dict[int, type[Packet]] = {
    2: ICMPv6NIReplyName, 3: ICMPv6NIReplyIPv6, 4: ICMPv6NIReplyIPv4,
}

register_icmpv6_type(139, ICMPv6NIQueryNOOP)
register_icmpv6_type(140, ICMPv6NIReplyNOOP)
