"""Prefix arithmetic: masks, address and host counts, the prefix for a number of hosts,
the n-th subnet.

>>> str(prefix_to_mask(21))
'255.255.248.0'
"""

from __future__ import annotations

import ipaddress

from paquet.addr.parse import (
    IPAddress,
    IPNetwork,
    from_int,
    max_prefix,
    parse_network,
    parse_prefix,
)
from paquet.errors import AddressError

__all__ = [
    "address_count",
    "address_space_size",
    "host_count",
    "network_from_int",
    "nth_subnet",
    "prefix_for_hosts",
    "prefix_to_mask",
    "subnet_count",
    "wildcard_mask",
]


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
