"""IPv4 and IPv6 addresses and subnets, on top of the stdlib :mod:`ipaddress`.

What ``ipaddress`` lacks is written here: the reason an address is rejected, the dotted binary
form, the kind of an address, usable host counts (RFC 3021 for /31 and /32), the smallest
prefix for a number of hosts, and one record (:class:`SubnetInfo`) with everything ``ipcalc``
shows. Subnet plans (equal splits, VLSM, summaries) are in :mod:`paquet.plan`.

>>> str(parse_address('201.9.118.19'))
'201.9.118.19'
>>> ipv4_rejection('201.9.118.256')
'octet 256 out of range 0-255 (part 4)'
>>> to_binary('201.9.118.19')
'11001001.00001001.01110110.00010011'
>>> str(prefix_to_mask(21))
'255.255.248.0'
>>> info = subnet_info('201.9.118.19/21')
>>> str(info.network), str(info.broadcast), info.host_count
('201.9.112.0/21', '201.9.119.255', 2046)
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import (
    IPv4Address,
    IPv4Interface,
    IPv4Network,
    IPv6Address,
    IPv6Interface,
    IPv6Network,
)
from typing import Any, TypeAlias

from paquet.errors import AddressError

__all__ = [
    "AddressKind",
    "AddressLike",
    "IPAddress",
    "IPInterface",
    "IPNetwork",
    "SubnetComparison",
    "SubnetInfo",
    "address_count",
    "address_space_size",
    "binary_parts",
    "compare_subnets",
    "compressed",
    "exploded",
    "from_binary",
    "from_int",
    "host_count",
    "ipv4_class",
    "ipv4_rejection",
    "ipv6_rejection",
    "is_ip",
    "is_ipv4",
    "is_ipv6",
    "kind",
    "mask_to_prefix",
    "max_prefix",
    "network_from_int",
    "nth_subnet",
    "parse_address",
    "parse_interface",
    "parse_ipv4",
    "parse_ipv6",
    "parse_network",
    "parse_prefix",
    "prefix_for_hosts",
    "prefix_to_mask",
    "same_subnet",
    "subnet_count",
    "subnet_info",
    "to_binary",
    "to_hex",
    "to_int",
    "wildcard_mask",
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


# ---------------------------------------------------------------------------------------------
# Forms: binary, hexadecimal, integer, compressed and exploded


def _width(version: int) -> tuple[int, str]:
    """Bits per group and separator of the binary form."""
    return (8, ".") if version == 4 else (16, ":")


def to_binary(address: AddressLike) -> str:
    """The binary form: dotted octets for IPv4, 16-bit groups separated by ':' for IPv6.

    >>> to_binary('192.168.0.1')
    '11000000.10101000.00000000.00000001'
    >>> to_binary('::1')[-19:]
    '00:0000000000000001'
    """
    addr = parse_address(address)
    bits = format(int(addr), f"0{addr.max_prefixlen}b")
    group, sep = _width(addr.version)
    return sep.join(bits[i : i + group] for i in range(0, len(bits), group))


def from_binary(text: str) -> IPAddress:
    """The address written in binary: 32 bits (IPv4, dots optional) or 128 bits (IPv6,
    colons optional).

    >>> from_binary('11001001.00001001.01110110.00010011')
    IPv4Address('201.9.118.19')
    """
    if not isinstance(text, str) or text.strip() == "":
        raise AddressError(f"invalid binary address {text!r}: empty")
    raw = text.strip()
    if any(c.isspace() for c in raw):
        raise AddressError(f"invalid binary address {text!r}: contains whitespace")
    if ":" in raw:
        groups, group_bits, version = raw.split(":"), 16, 6
    else:
        groups, group_bits, version = raw.split("."), 8, 4
    digits = "".join(groups)
    if not set(digits) <= {"0", "1"}:
        raise AddressError(f"invalid binary address {text!r}: only 0 and 1 are binary digits")
    if len(groups) > 1:
        expected = 4 if version == 4 else 8
        if len(groups) != expected:
            raise AddressError(
                f"invalid binary address {text!r}: {len(groups)} groups, expected {expected}"
            )
        for number, part in enumerate(groups, 1):
            if len(part) != group_bits:
                raise AddressError(
                    f"invalid binary address {text!r}: group {number} has {len(part)} bits, "
                    f"expected {group_bits}"
                )
    elif len(digits) not in (32, 128):
        raise AddressError(
            f"invalid binary address {text!r}: {len(digits)} bits, expected 32 or 128"
        )
    else:
        version = 4 if len(digits) == 32 else 6
    return from_int(int(digits, 2), version)


def binary_parts(address: AddressLike, prefix: int) -> tuple[str, str]:
    """The binary form cut after the ``prefix`` network bits: (network bits, host bits),
    separators kept where they fall.

    >>> binary_parts('201.9.118.19', 21)
    ('11001001.00001001.01110', '110.00010011')
    """
    addr = parse_address(address)
    length = parse_prefix(prefix, addr.version)
    text = to_binary(addr)
    group, _ = _width(addr.version)
    # Each full group of network bits carries its separator along (ipcalc's layout).
    cut = length + min(length // group, addr.max_prefixlen // group - 1)
    return text[:cut], text[cut:]


def to_hex(address: AddressLike) -> str:
    """The address as one hexadecimal number.

    >>> to_hex('201.9.118.19')
    '0xc9097613'
    """
    addr = parse_address(address)
    return f"0x{int(addr):0{addr.max_prefixlen // 4}x}"


def to_int(address: AddressLike) -> int:
    """The address as one integer.

    >>> to_int('201.9.118.19')
    3372840467
    """
    return int(parse_address(address))


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


def compressed(address: AddressLike) -> str:
    """The shortest form (RFC 5952 for IPv6).

    >>> compressed('2001:0db8:0000:0000:0000:0000:0000:0001')
    '2001:db8::1'
    """
    return parse_address(address).compressed


def exploded(address: AddressLike) -> str:
    """The full form, every IPv6 group written with four digits.

    >>> exploded('2001:db8::1')
    '2001:0db8:0000:0000:0000:0000:0000:0001'
    """
    return parse_address(address).exploded


# ---------------------------------------------------------------------------------------------
# Masks and counts


def prefix_to_mask(prefix: int | str, version: int = 4) -> IPAddress:
    """The netmask of a prefix length.

    >>> str(prefix_to_mask(21)), str(prefix_to_mask(64, 6))
    ('255.255.248.0', 'ffff:ffff:ffff:ffff::')
    """
    length = parse_prefix(prefix, version)
    bits = max_prefix(version)
    return from_int(((1 << bits) - 1) ^ ((1 << (bits - length)) - 1), version)


def wildcard_mask(prefix: int | str, version: int = 4) -> IPAddress:
    """The wildcard (inverse) mask of a prefix length, as ACLs write it.

    >>> str(wildcard_mask(21))
    '0.0.7.255'
    """
    length = parse_prefix(prefix, version)
    return from_int((1 << (max_prefix(version) - length)) - 1, version)


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


def address_space_size(version: int = 4) -> int:
    """How many different addresses the protocol can write: 2**32 or 2**128.

    >>> address_space_size(4), address_space_size(6) == 2**128
    (4294967296, True)
    """
    return 1 << max_prefix(version)


def address_count(prefix: int | str, version: int = 4) -> int:
    """How many addresses a network with this prefix length holds (all of them).

    >>> address_count(21)
    2048
    """
    return 1 << (max_prefix(version) - parse_prefix(prefix, version))


def host_count(prefix: int | str, version: int = 4) -> int:
    """How many hosts can be numbered in such a network.

    IPv4 keeps the network and broadcast addresses out, except /31 (two hosts on a
    point-to-point link, RFC 3021) and /32 (one host). IPv6 has no broadcast but keeps the
    Subnet-Router anycast address (all host bits zero, RFC 4291) out, except /127 (RFC 6164)
    and /128. This is what ``len(list(network.hosts()))`` gives in the stdlib.

    >>> host_count(21), host_count(31), host_count(32), host_count(126, 6)
    (2046, 2, 1, 3)
    """
    length = parse_prefix(prefix, version)
    free = max_prefix(version) - length
    if free <= 1:
        return 1 << free
    return (1 << free) - (2 if version == 4 else 1)


def prefix_for_hosts(hosts: int, version: int = 4, *, point_to_point: bool = False) -> int:
    """The longest prefix (the smallest network) whose usable hosts are at least ``hosts``.

    Conventionally every IPv4 subnet loses its network and broadcast addresses, so 2 hosts
    need a /30; with ``point_to_point=True`` a /31 (RFC 3021) holds 2 and a /32 holds 1.

    >>> prefix_for_hosts(1000), prefix_for_hosts(2), prefix_for_hosts(2, point_to_point=True)
    (22, 30, 31)
    >>> prefix_for_hosts(2**64 - 1, 6)
    64
    """
    bits = max_prefix(version)
    if isinstance(hosts, bool) or not isinstance(hosts, int):
        raise AddressError(f"a host count is a whole number, got {hosts!r}")
    if hosts < 1:
        raise AddressError(f"a host count must be at least 1, got {hosts}")
    if point_to_point or version == 6:
        # /31 and /32 (/127 and /128) count all their addresses: the longest prefixes first.
        for candidate in (bits, bits - 1):
            if host_count(candidate, version) >= hosts:
                return candidate
    reserved = 2 if version == 4 else 1
    free = max(2, (hosts + reserved - 1).bit_length())
    if free > bits:
        raise AddressError(
            f"{hosts} hosts do not fit in the whole IPv{version} space "
            f"({host_count(0, version)} at most)"
        )
    return bits - free


def subnet_count(parent_prefix: int, child_prefix: int, version: int = 4) -> int:
    """How many subnets of length ``child_prefix`` a network of ``parent_prefix`` holds.

    >>> subnet_count(48, 64, 6)
    65536
    """
    parent = parse_prefix(parent_prefix, version)
    child = parse_prefix(child_prefix, version)
    if child < parent:
        raise AddressError(f"a /{child} is larger than a /{parent}: it cannot be a subnet of it")
    return 1 << (child - parent)


def network_from_int(value: int, prefix: int, version: int) -> IPNetwork:
    """The network of IP ``version`` whose first address is the integer ``value``.

    ``ipaddress.ip_network((0, 16))`` guesses IPv4 for any integer that fits in 32 bits, so the
    first subnets of ``::/0`` came out as IPv4 networks; the version is given here.

    >>> network_from_int(0, 16, 6), network_from_int(0, 16, 4)
    (IPv6Network('::/16'), IPv4Network('0.0.0.0/16'))
    """
    if version == 4:
        return ipaddress.IPv4Network((value, prefix))
    return ipaddress.IPv6Network((value, prefix))


def nth_subnet(network: str | IPNetwork, new_prefix: int, index: int) -> IPNetwork:
    """The subnet number ``index`` (from 0; negative counts from the end) of length
    ``new_prefix`` inside ``network``.

    >>> nth_subnet('2001:db8::/48', 64, 10)
    IPv6Network('2001:db8:0:a::/64')
    >>> nth_subnet('192.0.2.0/24', 26, -1)
    IPv4Network('192.0.2.192/26')
    """
    net = parse_network(network)
    count = subnet_count(net.prefixlen, new_prefix, net.version)
    position = index + count if index < 0 else index
    if not 0 <= position < count:
        raise AddressError(f"{net} has {count} subnets /{new_prefix}: index {index} is outside")
    size = address_count(new_prefix, net.version)
    return network_from_int(int(net.network_address) + position * size, new_prefix, net.version)


# ---------------------------------------------------------------------------------------------
# Kinds of addresses


class AddressKind(StrEnum):
    """What an address is for, from the IANA special-purpose registries (RFC 6890)."""

    UNSPECIFIED = "unspecified"
    LOOPBACK = "loopback"
    PRIVATE = "private"
    SHARED = "shared"
    LINK_LOCAL = "link-local"
    MULTICAST = "multicast"
    DOCUMENTATION = "documentation"
    BENCHMARKING = "benchmarking"
    BROADCAST = "broadcast"
    RESERVED = "reserved"
    GLOBAL = "global"

    def describe(self, lang: str = "en") -> str:
        """A short description in English (``'en'``) or French (``'fr'``).

        >>> AddressKind.SHARED.describe()
        'carrier-grade NAT space (RFC 6598)'
        """
        english, french = _KIND_TEXT[self]
        return french if lang == "fr" else english


_KIND_TEXT: dict[AddressKind, tuple[str, str]] = {
    AddressKind.UNSPECIFIED: ("no address yet (0.0.0.0, ::)", "pas encore d'adresse"),
    AddressKind.LOOPBACK: ("this host only", "cette machine seulement"),
    AddressKind.PRIVATE: (
        "RFC 1918 or unique local (RFC 4193), not routed on the Internet",
        "RFC 1918 ou ULA (RFC 4193), non routée sur Internet",
    ),
    AddressKind.SHARED: (
        "carrier-grade NAT space (RFC 6598)",
        "espace des opérateurs pour le CGNAT (RFC 6598)",
    ),
    AddressKind.LINK_LOCAL: ("this link only, not routed", "ce lien seulement, non routée"),
    AddressKind.MULTICAST: ("a group of receivers", "un groupe de destinataires"),
    AddressKind.DOCUMENTATION: (
        "examples and documentation (RFC 5737, RFC 3849)",
        "exemples et documentation (RFC 5737, RFC 3849)",
    ),
    AddressKind.BENCHMARKING: ("network benchmarks (RFC 2544)", "tests de performance (RFC 2544)"),
    AddressKind.BROADCAST: ("every host on this link", "toutes les machines du lien"),
    AddressKind.RESERVED: ("IANA special purpose, not for hosts", "usage spécial IANA"),
    AddressKind.GLOBAL: (
        "public unicast, routed on the Internet",
        "publique, routée sur Internet",
    ),
}


def _ranges(
    version: int, table: tuple[tuple[str, AddressKind], ...]
) -> list[tuple[int, int, AddressKind]]:
    """(first, last, kind) integer ranges, most specific first."""
    rows = []
    for text, what in table:
        net = ipaddress.ip_network(text)
        assert net.version == version
        rows.append((int(net.network_address), int(net.broadcast_address), what, net.prefixlen))
    rows.sort(key=lambda row: -row[3])
    return [(first, last, what) for first, last, what, _ in rows]


_K = AddressKind
_IPV4_KINDS = (
    ("0.0.0.0/32", _K.UNSPECIFIED),
    ("0.0.0.0/8", _K.RESERVED),
    ("10.0.0.0/8", _K.PRIVATE),
    ("100.64.0.0/10", _K.SHARED),
    ("127.0.0.0/8", _K.LOOPBACK),
    ("169.254.0.0/16", _K.LINK_LOCAL),
    ("172.16.0.0/12", _K.PRIVATE),
    ("192.0.0.0/24", _K.RESERVED),
    ("192.0.2.0/24", _K.DOCUMENTATION),
    ("192.88.99.0/24", _K.RESERVED),
    ("192.168.0.0/16", _K.PRIVATE),
    ("198.18.0.0/15", _K.BENCHMARKING),
    ("198.51.100.0/24", _K.DOCUMENTATION),
    ("203.0.113.0/24", _K.DOCUMENTATION),
    ("224.0.0.0/4", _K.MULTICAST),
    ("240.0.0.0/4", _K.RESERVED),
    ("255.255.255.255/32", _K.BROADCAST),
)
_IPV6_KINDS = (
    ("::/128", _K.UNSPECIFIED),
    ("::1/128", _K.LOOPBACK),
    ("100::/64", _K.RESERVED),
    ("2001::/23", _K.RESERVED),
    ("2001:2::/48", _K.BENCHMARKING),
    ("2001:db8::/32", _K.DOCUMENTATION),
    ("3fff::/20", _K.DOCUMENTATION),
    ("2000::/3", _K.GLOBAL),
    ("fc00::/7", _K.PRIVATE),
    ("fe80::/10", _K.LINK_LOCAL),
    ("ff00::/8", _K.MULTICAST),
)
_KIND_TABLES: dict[int, list[tuple[int, int, AddressKind]]] = {}


def ipv4_class(address: AddressLike) -> str | None:
    """The historical class of an IPv4 address (RFC 791, before CIDR): ``'A'`` to ``'E'``
    from its first bits; ``None`` for IPv6. Only a name today: prefixes replaced classes.

    >>> ipv4_class('10.1.2.3'), ipv4_class('172.16.0.1'), ipv4_class('201.9.118.19')
    ('A', 'B', 'C')
    >>> ipv4_class('224.0.0.1'), ipv4_class('240.0.0.1'), ipv4_class('2001:db8::1')
    ('D', 'E', None)
    """
    addr = parse_address(address)
    if addr.version != 4:
        return None
    first = addr.packed[0]
    for letter, limit in (("A", 128), ("B", 192), ("C", 224), ("D", 240)):
        if first < limit:
            return letter
    return "E"


def kind(address: AddressLike) -> AddressKind:
    """The kind of an address: private, loopback, link-local, multicast, documentation,
    shared (CGNAT), benchmarking, broadcast, unspecified, reserved, or global.

    An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) has the kind of its IPv4 address;
    IPv6 outside 2000::/3 and the named blocks is reserved (not allocated by IANA).

    >>> kind('192.168.1.1'), kind('100.64.0.1'), kind('2001:db8::1'), kind('8.8.8.8')
    (<AddressKind.PRIVATE: 'private'>, <AddressKind.SHARED: 'shared'>, \
<AddressKind.DOCUMENTATION: 'documentation'>, <AddressKind.GLOBAL: 'global'>)
    """
    addr = parse_address(address)
    if isinstance(addr, IPv6Address) and addr.ipv4_mapped is not None:
        return kind(addr.ipv4_mapped)
    table = _KIND_TABLES.get(addr.version)
    if table is None:
        table = _ranges(addr.version, _IPV4_KINDS if addr.version == 4 else _IPV6_KINDS)
        _KIND_TABLES[addr.version] = table
    value = int(addr)
    for first, last, what in table:
        if first <= value <= last:
            return what
    return AddressKind.GLOBAL if addr.version == 4 else AddressKind.RESERVED


# ---------------------------------------------------------------------------------------------
# Subnets


@dataclass(frozen=True, slots=True)
class SubnetComparison:
    """Whether two addresses share a subnet of a given prefix, and why: both networks."""

    first: IPAddress
    second: IPAddress
    prefix: int
    first_network: IPNetwork
    second_network: IPNetwork

    @property
    def same(self) -> bool:
        """True when both addresses are in the same subnet."""
        return self.first_network == self.second_network

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "first": str(self.first),
            "second": str(self.second),
            "prefix": self.prefix,
            "netmask": str(prefix_to_mask(self.prefix, self.first.version)),
            "first_network": str(self.first_network),
            "second_network": str(self.second_network),
            "same_subnet": self.same,
        }


def compare_subnets(first: AddressLike, second: AddressLike, prefix: int | str) -> SubnetComparison:
    """Compare the subnets of two addresses under one prefix length.

    >>> c = compare_subnets('201.9.118.44', '201.9.120.10', 21)
    >>> c.same, str(c.first_network), str(c.second_network)
    (False, '201.9.112.0/21', '201.9.120.0/21')
    """
    a, b = parse_address(first), parse_address(second)
    if a.version != b.version:
        raise AddressError(f"{a} and {b} are not of the same IP version")
    length = parse_prefix(prefix, a.version)
    net_a = ipaddress.ip_network((a, length), strict=False)
    net_b = ipaddress.ip_network((b, length), strict=False)
    return SubnetComparison(a, b, length, net_a, net_b)


def same_subnet(first: AddressLike, second: AddressLike, prefix: int | str) -> bool:
    """True when both addresses are in the same subnet of length ``prefix``.

    >>> same_subnet('201.9.118.44', '201.9.113.1', 21)
    True
    """
    return compare_subnets(first, second, prefix).same


@dataclass(frozen=True, slots=True)
class SubnetInfo:
    """Everything about an address in its subnet, as ``ipcalc`` shows it.

    ``broadcast`` is ``None`` for IPv6 (no broadcast) and for /31 and /32 (RFC 3021);
    ``first_host``/``last_host`` bound the usable hosts; ``role`` says whether the address
    itself is the network address, the broadcast address or a host.
    """

    address: IPAddress
    interface: IPInterface
    network: IPNetwork
    netmask: IPAddress
    wildcard: IPAddress
    broadcast: IPAddress | None
    first_host: IPAddress
    last_host: IPAddress
    host_count: int
    address_count: int
    kind: AddressKind

    @property
    def version(self) -> int:
        """4 or 6."""
        return self.address.version

    @property
    def prefix(self) -> int:
        """The prefix length."""
        return self.network.prefixlen

    @property
    def role(self) -> str:
        """``'network'``, ``'broadcast'``, ``'anycast'`` (IPv6 Subnet-Router) or ``'host'``."""
        usable_all = self.prefix >= self.address.max_prefixlen - 1
        if usable_all:
            return "host"
        if self.address == self.network.network_address:
            return "network" if self.version == 4 else "anycast"
        if self.broadcast is not None and self.address == self.broadcast:
            return "broadcast"
        return "host"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (addresses as strings, binary forms included)."""
        out: dict[str, Any] = {
            "address": str(self.address),
            "version": self.version,
            "prefix": self.prefix,
            "netmask": str(self.netmask),
            "wildcard": str(self.wildcard),
            "network": str(self.network),
            "network_address": str(self.network.network_address),
            "broadcast": None if self.broadcast is None else str(self.broadcast),
            "first_host": str(self.first_host),
            "last_host": str(self.last_host),
            "host_count": self.host_count,
            "address_count": self.address_count,
            "kind": str(self.kind),
            "class": ipv4_class(self.address),
            "reverse_pointer": self.address.reverse_pointer,
            "role": self.role,
            "binary": {
                "address": to_binary(self.address),
                "netmask": to_binary(self.netmask),
                "network": to_binary(self.network.network_address),
            },
            "hex": to_hex(self.address),
            "integer": int(self.address),
        }
        if self.version == 6:
            out["exploded"] = self.address.exploded
            out["compressed"] = self.address.compressed
        return out


def subnet_info(value: str | IPInterface, prefix: str | int | None = None) -> SubnetInfo:
    """The ipcalc view of ``'201.9.118.19/21'`` (or of an address and a ``prefix``).

    >>> i = subnet_info('201.9.118.19', 21)
    >>> str(i.netmask), str(i.wildcard), str(i.first_host), str(i.last_host), i.kind.value
    ('255.255.248.0', '0.0.7.255', '201.9.112.1', '201.9.119.254', 'global')
    >>> i6 = subnet_info('2001:db8::1/64')
    >>> i6.broadcast is None, str(i6.last_host), i6.host_count == 2**64 - 1
    (True, '2001:db8::ffff:ffff:ffff:ffff', True)
    """
    interface = parse_interface(value, prefix)
    net = interface.network
    version = net.version
    free = net.max_prefixlen - net.prefixlen
    first_addr = int(net.network_address)
    last_addr = int(net.broadcast_address)
    broadcast: IPAddress | None = None
    if free <= 1:
        first, last = first_addr, last_addr
    else:
        first = first_addr + 1
        last = last_addr - 1 if version == 4 else last_addr
        if version == 4:
            broadcast = net.broadcast_address
    return SubnetInfo(
        address=interface.ip,
        interface=interface,
        network=net,
        netmask=net.netmask,
        wildcard=net.hostmask,
        broadcast=broadcast,
        first_host=from_int(first, version),
        last_host=from_int(last, version),
        host_count=host_count(net.prefixlen, version),
        address_count=net.num_addresses,
        kind=kind(interface.ip),
    )
