"""IPv6 addresses: their wire bytes and canonical text (cached), the multicast test, and
:class:`IP6Field`, the field of an IPv6 address (``IPv6``'s ``src`` and ``dst``, and every
layer that carries one).

>>> ip6_bytes("2001:db8::1").hex()
'20010db8000000000000000000000001'
>>> ip6_text(bytes(15) + b"\\x01")
'::1'
"""

from __future__ import annotations

from _socket import AF_INET6, inet_ntop, inet_pton
from typing import Any

from paquet.packet.addrfields import ScopedIP, net_repr
from paquet.packet.fields import Field, FieldError

__all__ = ["IP6Field", "in6_ismaddr", "ip6_bytes", "ip6_text"]

_A6_CACHE: dict[str, bytes] = {}

def ip6_bytes(value: str) -> bytes:
    """The 16 wire bytes of an IPv6 address; raises :class:`FieldError` otherwise."""
    b = _A6_CACHE.get(value)
    if b is None:
        try:
            b = inet_pton(AF_INET6, value)
        except (OSError, TypeError, ValueError):
            raise FieldError(f"not an IPv6 address: {value!r}") from None
        if len(_A6_CACHE) > 4096:
            _A6_CACHE.clear()
        _A6_CACHE[value] = b
    return b


_CANON: dict[str, str] = {}
_TEXT_CACHE: dict[bytes, str] = {}


def ip6_text(packed: bytes) -> str:
    """The canonical text (RFC 5952) of 16 address bytes."""
    t = _TEXT_CACHE.get(packed)
    if t is None:
        t = inet_ntop(AF_INET6, packed)
        if len(_TEXT_CACHE) > 4096:
            _TEXT_CACHE.clear()
        _TEXT_CACHE[packed] = t
    return t


def in6_ismaddr(address: str) -> bool:
    """True for a multicast address (``ff00::/8``).

    >>> in6_ismaddr("ff02::1"), in6_ismaddr("2001:db8::1")
    (True, False)
    """
    try:
        return ip6_bytes(address)[0] == 0xFF
    except FieldError:
        return False


class IP6Field(Field):
    """An IPv6 address, stored as its canonical text (``"2001:db8::1"``), 16 bytes on the wire.

    A value that is not an address (a host name, a network ``"2001:db8::/126"``) is kept as
    given and resolved when the packet is built.
    """

    __slots__ = ()
    converts = True
    str_cache = _CANON  # cleared, never replaced

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, None)

    def any2i(self, value: Any) -> Any:
        if isinstance(value, bytes) and len(value) == 16:
            return ip6_text(value)
        if isinstance(value, str):
            if isinstance(value, ScopedIP):
                return value  # (its scope kept, as Scapy's)
            canon = _CANON.get(value)
            if canon is not None:
                return canon
            try:
                canon = inet_ntop(AF_INET6, ip6_bytes(value))
            except FieldError:
                return value
            if len(_CANON) > 4096:
                _CANON.clear()
            _CANON[value] = canon
            return canon
        return value

    def i2repr(self, value: Any) -> str:
        return net_repr(value, "Net6")

    def type_name(self) -> str:
        return "IP6Field"
