"""Field kinds of Scapy's IPv6 layers that the engine does not have: lists of addresses, DNS
name lists, prefixes cut to a length (Scapy's ``IP6ListField``, ``DomainNameListField``...).

>>> f = IP6ListField("addrs", [], length_from=lambda pkt: 32)
>>> f.getfield(None, bytes(15) + b"\\x01" + bytes(16) + b"rest")
(b'rest', ['::1', '::'])
>>> DomainNameListField("names", [], padded=True).i2m(None, ["home.", "a.b"])
b'\\x04home\\x00\\x01a\\x01b\\x00\\x00\\x00\\x00\\x00\\x00'
"""

from __future__ import annotations

from _socket import AF_INET6, inet_ntop, inet_pton
from collections.abc import Callable
from typing import Any

from paquet.packet.base import Packet
from paquet.packet.fields import FieldError
from paquet.packet.strfields import StrField, StrLenField
from paquet.packet.structfields import PacketLenField, PacketListField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "DomainNameListField",
    "IP6ListField",
    "IP6PrefixField",
    "NDOptDataField",
    "PacketLenField",
    "PacketListField",
    "PacketsShown",
    "ip6_pack",
]


def ip6_pack(address: Any) -> bytes:
    """The 16 bytes of an IPv6 address given as text (or bytes of 16)."""
    if isinstance(address, bytes) and len(address) == 16:
        return address
    try:
        return inet_pton(AF_INET6, address.decode() if isinstance(address, bytes) else address)
    except (OSError, TypeError, AttributeError):
        raise FieldError(f"not an IPv6 address: {address!r}") from None


class IP6ListField(StrField):
    """A list of IPv6 addresses, ``length_from(pkt)`` bytes or ``count_from(pkt)`` addresses
    (the rest of the bytes without either)."""

    __slots__ = ("count_from", "length_from")
    fast = False

    def __init__(self, name: str, default: Any, count_from: Callable[[Any], int] | None = None,
                 length_from: Callable[[Any], int] | None = None) -> None:
        super().__init__(name, None)
        self.default = [] if default is None else default
        self.count_from = count_from
        self.length_from = length_from

    def randval(self) -> Any:
        """None to draw: how many addresses there are is another field's (a count or a
        length), so ``fuzz()`` leaves the list as it is."""
        raise NotImplementedError(f"{type(self).__name__} has no random value")

    def any2i(self, pkt: Any, x: Any = None) -> Any:
        if isinstance(x, str | bytes):
            x = [x]
        if isinstance(x, tuple):
            x = list(x)
        return x

    def i2len(self, pkt: Any, x: Any) -> int:
        return 16 * len(x or [])

    def i2count(self, pkt: Any, x: Any) -> int:
        return len(x) if isinstance(x, list) else 0

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return b"".join(ip6_pack(a) for a in (x or []))

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if x is None:
            return "[]"
        return "[ " + ", ".join(str(a) for a in x) + " ]"

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        count = None
        rest = b""
        if self.length_from is not None:
            n = max(0, int(self.length_from(pkt)))
            s, rest = s[:n], s[n:]
        elif self.count_from is not None:
            count = int(self.count_from(pkt))
        out = []
        while len(s) >= 16 and (count is None or count > 0):
            out.append(inet_ntop(AF_INET6, s[:16]))
            s = s[16:]
            if count is not None:
                count -= 1
        return s + rest, out

    def type_name(self) -> str:
        return "IP6ListField"


class DomainNameListField(StrLenField):
    """DNS names in wire form (RFC 1035 §3.1, no compression), read as text with their last
    dot; ``padded``: zeros up to a multiple of 8 bytes, ignored when read."""

    __slots__ = ("padded",)
    islist = True
    fast = False

    def __init__(self, name: str, default: Any, length_from: Callable[[Any], int] | None = None,
                 padded: bool = False) -> None:
        super().__init__(name, None, length_from=length_from)
        self.default = default
        self.padded = padded

    def any2i(self, pkt: Any, x: Any = None) -> Any:
        if isinstance(x, str | bytes):
            x = [x]
        return [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in x or []]

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x or []

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = int(self.length_from(pkt)) if self.length_from is not None else len(s)
        return s[max(n, 0):], self.m2i(pkt, s[: max(n, 0)])

    def m2i(self, pkt: Any, x: Any) -> Any:
        text = bytes(x).decode("utf-8", "replace")
        out = []
        while text:
            labels = []
            while text and text[0] != "\x00":
                size = ord(text[0])
                labels.append(text[1 : size + 1])
                text = text[size + 1 :]
            if labels or not self.padded:
                out.append(".".join(labels) + ".")
            if text:
                text = text[1:]
        return out

    def i2m(self, pkt: Any, x: Any) -> bytes:
        out = b""
        for name in x or []:
            wire = b"".join(bytes([len(lab.encode())]) + lab.encode()
                            for lab in str(name).split("."))
            out += wire if wire.endswith(b"\x00") else wire + b"\x00"
        if self.padded and len(out) % 8:
            out += b"\x00" * (8 - len(out) % 8)
        return out

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        return repr(x or [])

    def type_name(self) -> str:
        return "DomainNameListField"


class IP6PrefixField(IP6Field):
    """A prefix of ``8 * (len - 1)`` bytes (RFC 4191's route information option): built cut
    or padded to the length field ``len``, read padded to a whole address."""

    __slots__ = ()
    fast = False

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = max(0, 8 * ((pkt.__dict__["len"] or 0) - 1))
        p = bytes(s[:n])
        return s[n:], inet_ntop(AF_INET6, (p + bytes(16))[:16])

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def i2m(self, pkt: Any, x: Any) -> bytes:
        length = pkt.__dict__["len"] if pkt is not None else None
        if x is None:
            x = "::"
            if length is None:
                length = 1
        packed = ip6_pack(x)
        if length is None:
            return packed
        if length <= 1:
            return b""
        if length <= 3:
            return packed[: 8 * (length - 1)]
        return packed + bytes(8 * (length - 3))

    def type_name(self) -> str:
        return "_IP6PrefixField"


class NDOptDataField(StrLenField):
    """An option's bytes, padded with zeros so that the option fills 8-byte units;
    ``strip_zeros``: the padding is taken off when read (Scapy's ``ICMPv6NDOptDataField``)."""

    __slots__ = ("strip_zeros",)

    def __init__(self, name: str, default: Any, strip_zeros: bool = False,
                 length_from: Any = None) -> None:
        super().__init__(name, default, length_from=length_from)
        self.strip_zeros = strip_zeros

    def i2m(self, pkt: Any, x: Any) -> bytes:
        b = bytes(super().i2m(pkt, x))
        return b + bytes(-(len(b) + 2) % 8)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return bytes(x).rstrip(b"\x00") if self.strip_zeros else x


class PacketsShown(Packet):
    """A layer whose copies own copies of the packets its fields hold. (Its lists of
    packets are drawn as trees by ``show()``, as every layer's.)"""

    def copy(self) -> Any:
        new = super().copy()
        d = new.__dict__
        for f in self._fields:
            v = d.get(f.name)
            if isinstance(v, Packet):
                d[f.name] = v.copy()
        return new
