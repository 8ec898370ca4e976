"""Address fields: an IPv4 address (``IPField``) and a MAC address (``MACField``), stored as
text, packed by the struct compiler, their wire forms cached (a scan builds many packets to
few hosts); ``ip2bytes``, ``bytes2ip``, ``mac2bytes``. Loaded from :mod:`paquet.packet.fields`,
which gives their names too.

>>> IPField("dst", None).i2m(None, "192.0.2.1"), MACField("src", None).m2i(None, b"\\x02" * 6)
(b'\\xc0\\x00\\x02\\x01', '02:02:02:02:02:02')
"""

from __future__ import annotations

from _socket import AF_INET, inet_ntop, inet_pton
from typing import Any

from paquet.packet.fields import Field, FieldError, conversion, representation

__all__ = [
    "IPField", "MACField", "ScopedIP", "bytes2ip", "ip2bytes", "mac2bytes", "net_repr", "scoped",
    "split_scope",
]

# Addresses are stored as text; their wire form is cached (a scan builds many packets to few hosts).
_IP_CACHE: dict[str, bytes] = {}
_MAC_CACHE: dict[str, bytes] = {}


def ip2bytes(value: str) -> bytes:
    """The 4 wire bytes of a dotted-quad IPv4 address; raises :class:`FieldError` otherwise."""
    b = _IP_CACHE.get(value)
    if b is None:
        try:
            b = inet_pton(AF_INET, value)
        except (OSError, TypeError, ValueError):  # ValueError: an embedded NUL character
            raise FieldError(f"not an IPv4 address: {value!r}") from None
        if len(_IP_CACHE) > 4096:
            _IP_CACHE.clear()
        _IP_CACHE[value] = b
    return b


def bytes2ip(value: bytes) -> str:
    """Dotted-quad text of 4 bytes."""
    return inet_ntop(AF_INET, value)


def mac2bytes(value: str) -> bytes:
    """The 6 wire bytes of a MAC address written ``aa:bb:cc:dd:ee:ff`` (or with ``-``)."""
    b = _MAC_CACHE.get(value)
    if b is None:
        try:
            b = bytes.fromhex(value.replace(":", "").replace("-", ""))
        except (ValueError, AttributeError):
            b = b""
        if len(b) != 6:
            raise FieldError(f"not a MAC address: {value!r}")
        if len(_MAC_CACHE) > 4096:
            _MAC_CACHE.clear()
        _MAC_CACHE[value] = b
    return b


class ScopedIP(str):
    """An address with the interface it is reached through (Scapy 2.8's ``ScopedIP``): the
    text is the address, ``scope`` the interface (None: shown as the address alone);
    ``"224.0.0.1%eth0"`` gives the same. An ``IP``/``IPv6`` destination given so is routed
    out of that interface.

    >>> a = ScopedIP("ff02::1%eth0")
    >>> a, str(a), a.scope, a == "ff02::1"
    (ScopedIP('ff02::1', scope='eth0'), 'ff02::1', 'eth0', True)
    """

    scope: str | None

    def __new__(cls, addr: str, scope: str | None = None) -> ScopedIP:
        plain, _, given = str(addr).partition("%")
        self = super().__new__(cls, plain)
        self.scope = scope if scope is not None else (given or None)
        return self

    def __repr__(self) -> str:
        if self.scope is None:  # shown as the address alone, as Scapy's
            return repr(str(self))
        return f"ScopedIP({str(self)!r}, scope={self.scope!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ScopedIP, (str(self), self.scope))


def scoped(value: Any) -> Any:
    """``value``, as a :class:`ScopedIP` when it is text with a ``%interface`` scope.

    >>> scoped("192.0.2.1%eth0"), scoped("192.0.2.1")
    (ScopedIP('192.0.2.1', scope='eth0'), '192.0.2.1')
    """
    if type(value) is str and "%" in value:
        return ScopedIP(value)
    return value


def split_scope(text: str) -> tuple[str, str | None]:
    """An address and its interface: ``"ff02::1%eth0"`` or a :class:`ScopedIP`.

    >>> split_scope("ff02::1%eth0"), split_scope(ScopedIP("192.0.2.1", "lo"))
    (('ff02::1', 'eth0'), ('192.0.2.1', 'lo'))
    """
    if isinstance(text, ScopedIP):
        return str(text), text.scope
    plain, _, scope = text.partition("%")
    return plain, scope or None


def net_repr(x: Any, kind: str) -> str:
    """How Scapy shows an address field's value: a network (``"192.0.2.0/30"``, which the
    packet iterates) as the ``Net``/``Net6`` Scapy makes of it, a scoped address as its
    ``ScopedIP``, an address as its text.

    >>> net_repr("192.0.2.0/30", "Net"), net_repr("2001:db8::/126", "Net6")
    ('Net("192.0.2.0/30")', 'Net6("2001:db8::/126")')
    >>> net_repr("192.0.2.1", "Net"), net_repr(None, "Net"), net_repr("ff02::1%lo", "Net6")
    ('192.0.2.1', 'None', "ScopedIP('ff02::1', scope='lo')")
    """
    if isinstance(x, str):
        if "/" in x:
            return f'{kind}("{x}")'
        if isinstance(x, ScopedIP):
            return repr(x) if x.scope else str(x)
        return repr(ScopedIP(x)) if "%" in x else x
    return repr(x)


class IPField(Field):
    """An IPv4 address, stored as text (``"192.0.2.1"``), 4 bytes on the wire."""

    __slots__ = ()
    random_kind = "ip"
    fast = True

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "4s")

    def h2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes) and len(x) == 4:
            return bytes2ip(x)
        return x

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b"\x00\x00\x00\x00"
        return ip2bytes(x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return bytes2ip(x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return net_repr(x, "Net")


class MACField(Field):
    """A MAC address, stored as text (``"00:11:22:33:44:55"``), 6 bytes on the wire."""

    __slots__ = ()
    random_kind = "mac"
    fast = True

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "6s")

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return b"\x00" * 6
        if isinstance(x, bytes) and len(x) == 6:
            return x
        return mac2bytes(x)

    def m2i(self, pkt: Any, x: Any) -> Any:
        return x.hex(":")

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes) and len(x) == 6:
            return x.hex(":")
        return x

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return str(x) if isinstance(x, str) else repr(x)


