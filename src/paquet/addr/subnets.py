"""Subnets: whether two addresses share one, and everything ``ipcalc`` shows of one
(:class:`SubnetInfo`).

>>> info = subnet_info('201.9.118.19/21')
>>> str(info.network), str(info.broadcast), info.host_count
('201.9.112.0/21', '201.9.119.255', 2046)
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from paquet.addr.forms import to_binary, to_hex
from paquet.addr.kinds import AddressKind, ipv4_class, kind
from paquet.addr.masks import host_count, prefix_to_mask
from paquet.addr.parse import (
    AddressLike,
    IPAddress,
    IPInterface,
    IPNetwork,
    from_int,
    parse_address,
    parse_interface,
    parse_prefix,
)
from paquet.errors import AddressError

__all__ = [
    "SubnetComparison",
    "SubnetInfo",
    "compare_subnets",
    "same_subnet",
    "subnet_info",
]


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
