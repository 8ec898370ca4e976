"""Reading addresses, prefixes, interfaces and networks, and the reason a text is not an address.

>>> str(parse_address('201.9.118.19'))
'201.9.118.19'
>>> ipv4_rejection('201.9.118.256')
'octet 256 out of range 0-255 (part 4)'
"""

from __future__ import annotations

import ipaddress
import re
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from typing import TypeAlias

from paquet.errors import AddressError

__all__ = [
    "AddressLike",
    "IPAddress",
    "IPInterface",
    "IPNetwork",
    "from_int",
    "ipv4_rejection",
    "ipv6_rejection",
    "is_ip",
    "is_ipv4",
    "is_ipv6",
    "mask_to_prefix",
    "max_prefix",
    "parse_address",
    "parse_interface",
    "parse_ipv4",
    "parse_ipv6",
    "parse_network",
    "parse_prefix",
]


IPAddress: TypeAlias = IPv4Address | IPv6Address
"""An IPv4 or IPv6 address (stdlib objects)."""
IPNetwork: TypeAlias = IPv4Network | IPv6Network
"""An IPv4 or IPv6 network (stdlib objects)."""
IPInterface: TypeAlias = IPv4Interface | IPv6Interface
"""An address with its prefix, such as ``201.9.118.19/21`` (stdlib objects)."""

AddressLike: TypeAlias = str | int | bytes | IPv4Address | IPv6Address
"""What the functions take as an address: text, an integer, packed bytes or an address."""

_DIGITS = frozenset("0123456789")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
_BITS = {4: 32, 6: 128}


def max_prefix(version: int) -> int:
    """The number of bits of an address: 32 for IPv4, 128 for IPv6.

    >>> max_prefix(4), max_prefix(6)
    (32, 128)
    """
    try:
        return _BITS[version]
    except KeyError:
        raise AddressError(f"IP version {version!r} does not exist: 4 or 6") from None


# ---------------------------------------------------------------------------------------------
# Validation with the reason for a rejection


def ipv4_rejection(text: object) -> str | None:
    """Why ``text`` is not a dotted-decimal IPv4 address, or ``None`` when it is one.

    Stricter than a lax ``inet_aton``: exactly four decimal parts, no sign, no space, and no
    leading zero (``010`` is octal for some tools and decimal for others, so it is ambiguous).

    >>> ipv4_rejection('201.9.118.19') is None
    True
    >>> ipv4_rejection('010.1.1.1')
    "part 1 '010' has a leading zero (ambiguous: octal or decimal?)"
    >>> ipv4_rejection('1.2.3')
    'too few parts: 3, expected 4'
    >>> ipv4_rejection('1..2.3')
    'part 2 is empty'
    """
    if not isinstance(text, str):
        return f"expected a string, got {type(text).__name__}"
    if _CANONICAL_IPV4.fullmatch(text):
        return None
    if text == "":
        return "empty string"
    if any(c.isspace() for c in text):
        return "contains whitespace"
    if ":" in text:
        return "contains ':' (an IPv6 address?)"
    if "/" in text:
        return "contains '/' (a prefix length belongs to a network, not to an address)"
    parts = text.split(".")
    if len(parts) < 4:
        return f"too few parts: {len(parts)}, expected 4"
    if len(parts) > 4:
        return f"too many parts: {len(parts)}, expected 4"
    for number, part in enumerate(parts, 1):
        if part == "":
            return f"part {number} is empty"
        if part[0] in "+-":
            return f"part {number} {part!r} has a sign"
        if not set(part) <= _DIGITS:
            return f"part {number} {part!r} is not a decimal number"
        if len(part) > 1 and part[0] == "0":
            return f"part {number} {part!r} has a leading zero (ambiguous: octal or decimal?)"
        if int(part) > 255:
            return f"octet {int(part)} out of range 0-255 (part {number})"
    return None


def ipv6_rejection(text: object) -> str | None:
    """Why ``text`` is not an IPv6 address, or ``None`` when it is one.

    >>> ipv6_rejection('2001:db8::1') is None
    True
    >>> ipv6_rejection('2001:db8:::1')
    "at most one '::' permitted"
    >>> ipv6_rejection('2001:db8::g')
    "only hex digits permitted in 'g'"
    """
    if not isinstance(text, str):
        return f"expected a string, got {type(text).__name__}"
    if text == "":
        return "empty string"
    if any(c.isspace() for c in text):
        return "contains whitespace"
    if "/" in text:
        return "contains '/' (a prefix length belongs to a network, not to an address)"
    if ":" not in text:
        return "no ':' (an IPv4 address?)"
    if any(c in "+-" for c in text.split("%", 1)[0]):
        return "has a sign"
    try:
        IPv6Address(text)
    except ValueError as exc:
        message = str(exc)
        suffix = f" in {text!r}"
        if message.endswith(suffix):
            message = message[: -len(suffix)]
        return message[:1].lower() + message[1:]
    return None


def is_ipv4(text: object) -> bool:
    """True when ``text`` is a valid dotted-decimal IPv4 address.

    >>> is_ipv4('201.9.118.19'), is_ipv4('201.9.118.256')
    (True, False)
    """
    return ipv4_rejection(text) is None


def is_ipv6(text: object) -> bool:
    """True when ``text`` is a valid IPv6 address.

    >>> is_ipv6('2001:db8::1'), is_ipv6('2001:db8::1::')
    (True, False)
    """
    return ipv6_rejection(text) is None


def is_ip(text: object) -> bool:
    """True when ``text`` is a valid IPv4 or IPv6 address."""
    return is_ipv4(text) or is_ipv6(text)


def parse_ipv4(text: str) -> IPv4Address:
    """Parse a dotted-decimal IPv4 address, raising :class:`AddressError` with the reason.

    >>> parse_ipv4('201.9.118.19')
    IPv4Address('201.9.118.19')
    >>> parse_ipv4('1.2.3.4.5')
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: invalid IPv4 address '1.2.3.4.5': too many parts: 5, expected 4
    """
    reason = ipv4_rejection(text)
    if reason is not None:
        raise AddressError(f"invalid IPv4 address {text!r}: {reason}")
    return IPv4Address(text)


def parse_ipv6(text: str) -> IPv6Address:
    """Parse an IPv6 address (any RFC 4291 form), raising :class:`AddressError` with the reason.

    >>> parse_ipv6('2001:0db8:0000::0001')
    IPv6Address('2001:db8::1')
    """
    reason = ipv6_rejection(text)
    if reason is not None:
        raise AddressError(f"invalid IPv6 address {text!r}: {reason}")
    return IPv6Address(text)


def parse_address(value: AddressLike, version: int | None = None) -> IPAddress:
    """An address from text (IPv4 or IPv6, told apart by ':'), an integer, packed bytes or an
    address object; ``version`` forces the family.

    >>> parse_address('2001:db8::1')
    IPv6Address('2001:db8::1')
    >>> parse_address(3372840467)
    IPv4Address('201.9.118.19')
    >>> parse_address(b'\\xc9\\x09\\x76\\x13')
    IPv4Address('201.9.118.19')
    """
    result: IPAddress
    if version is not None:
        max_prefix(version)  # rejects a version that is neither 4 nor 6
    if isinstance(value, IPv4Address | IPv6Address):
        result = value
    elif isinstance(value, bool):
        raise AddressError(f"not an address: {value!r}")
    elif isinstance(value, int):
        return from_int(value, version or 4)
    elif isinstance(value, bytes | bytearray):
        if len(value) == 4:
            result = IPv4Address(bytes(value))
        elif len(value) == 16:
            result = IPv6Address(bytes(value))
        else:
            raise AddressError(f"packed address must be 4 or 16 bytes, got {len(value)}")
    elif isinstance(value, str):
        if version == 6 or (version is None and ":" in value):
            result = parse_ipv6(value)
        else:
            result = parse_ipv4(value)
    else:
        raise AddressError(f"not an address: {value!r} ({type(value).__name__})")
    if version is not None and result.version != version:
        raise AddressError(f"{result} is not an IPv{version} address")
    return result


def parse_prefix(value: str | int, version: int = 4) -> int:
    """A prefix length from ``21``, ``'21'``, ``'/21'`` or a netmask such as ``'255.255.248.0'``.

    >>> parse_prefix('/21'), parse_prefix('255.255.248.0'), parse_prefix(64, 6)
    (21, 21, 64)
    >>> parse_prefix(33)
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: prefix length 33 out of range 0-32 for IPv4
    """
    bits = max_prefix(version)
    if isinstance(value, bool):
        raise AddressError(f"invalid prefix length {value!r}")
    if isinstance(value, str):
        text = value.strip()
        text = text.removeprefix("/")
        if text and set(text) <= _DIGITS:
            value = int(text)
        elif "." in text or ":" in text:
            mask = parse_address(text)
            if mask.version != version:
                raise AddressError(f"netmask {mask} is not an IPv{version} netmask")
            return mask_to_prefix(mask)
        else:
            raise AddressError(f"invalid prefix length {value!r}: not a number or a netmask")
    if not isinstance(value, int):
        raise AddressError(f"invalid prefix length {value!r}")
    if not 0 <= value <= bits:
        raise AddressError(f"prefix length {value} out of range 0-{bits} for IPv{version}")
    return value


def parse_interface(value: str | IPInterface, prefix: str | int | None = None) -> IPInterface:
    """An address with its prefix: ``'201.9.118.19/21'``, ``'201.9.118.19/255.255.248.0'``,
    or an address and ``prefix`` (default: a host route, /32 or /128).

    >>> parse_interface('201.9.118.19/21')
    IPv4Interface('201.9.118.19/21')
    >>> parse_interface('201.9.118.19', '255.255.248.0')
    IPv4Interface('201.9.118.19/21')
    >>> parse_interface('2001:db8::1/64').network
    IPv6Network('2001:db8::/64')
    """
    if isinstance(value, IPv4Interface | IPv6Interface):
        if prefix is None:
            return value
        return ipaddress.ip_interface((value.ip, parse_prefix(prefix, value.version)))
    if not isinstance(value, str):
        raise AddressError(f"not an address with a prefix: {value!r}")
    text = value
    if "/" in text:
        if prefix is not None:
            raise AddressError(f"{value!r} already has a prefix length; do not give another")
        text, _, prefix_text = text.partition("/")
        prefix = prefix_text
        if prefix_text == "":
            raise AddressError(f"invalid network {value!r}: empty prefix length after '/'")
    address = parse_address(text)
    length = (
        max_prefix(address.version) if prefix is None else parse_prefix(prefix, address.version)
    )
    return ipaddress.ip_interface((address, length))


def parse_network(value: str | IPNetwork, *, strict: bool = False) -> IPNetwork:
    """A network from ``'192.0.2.0/24'``; with ``strict=True`` host bits must be zero,
    otherwise they are cleared (``'201.9.118.19/21'`` gives ``201.9.112.0/21``).

    >>> parse_network('201.9.118.19/21')
    IPv4Network('201.9.112.0/21')
    >>> parse_network('201.9.118.19/21', strict=True)
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: 201.9.118.19/21 has host bits set: the network is 201.9.112.0/21
    """
    if isinstance(value, IPv4Network | IPv6Network):
        return value
    interface = parse_interface(value)
    if strict and interface.ip != interface.network.network_address:
        raise AddressError(f"{interface} has host bits set: the network is {interface.network}")
    return interface.network


def from_int(value: int, version: int = 4) -> IPAddress:
    """The address whose integer value is ``value``.

    >>> from_int(1, 6)
    IPv6Address('::1')
    """
    bits = max_prefix(version)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AddressError(f"not an integer: {value!r}")
    if not 0 <= value < 1 << bits:
        raise AddressError(f"{value} out of range for IPv{version} (0 to 2**{bits} - 1)")
    return IPv4Address(value) if version == 4 else IPv6Address(value)


def mask_to_prefix(mask: AddressLike) -> int:
    """The prefix length of a netmask; a non-contiguous mask is rejected.

    >>> mask_to_prefix('255.255.248.0')
    21
    >>> mask_to_prefix('255.0.255.0')
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: netmask 255.0.255.0 is not contiguous: its one bits must come first
    """
    addr = parse_address(mask)
    value, bits = int(addr), addr.max_prefixlen
    inverted = value ^ ((1 << bits) - 1)
    if inverted & (inverted + 1):
        raise AddressError(f"netmask {addr} is not contiguous: its one bits must come first")
    return bits - inverted.bit_length()
