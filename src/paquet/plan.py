"""Subnet plans: equal splits, VLSM from host counts, and route summaries.

Every plan stays inside its parent and its subnets never overlap; what is left is reported as
the fewest free prefixes.

>>> [str(n) for n in split('192.0.2.0/24', 4)]
['192.0.2.0/26', '192.0.2.64/26', '192.0.2.128/26', '192.0.2.192/26']
>>> plan = vlsm('192.0.2.0/24', [100, 50, 20, 2])
>>> [str(a.network) for a in plan.allocations]
['192.0.2.0/25', '192.0.2.128/26', '192.0.2.192/27', '192.0.2.224/30']
>>> [str(n) for n in summarize(['192.0.2.0/25', '192.0.2.128/25', '198.51.100.0/24'])]
['192.0.2.0/24', '198.51.100.0/24']
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from paquet.addr import (
    IPAddress,
    IPNetwork,
    address_count,
    host_count,
    network_from_int,
    parse_network,
    prefix_for_hosts,
    subnet_info,
)
from paquet.errors import AddressError

__all__ = [
    "IPV6_LAN_PREFIX",
    "SPLIT_LIMIT",
    "Allocation",
    "Plan",
    "iter_split",
    "split",
    "summarize",
    "supernet",
    "vlsm",
]

IPV6_LAN_PREFIX = 64
"""The prefix of an IPv6 LAN in a plan (RFC 7421), whatever its number of hosts."""


SPLIT_LIMIT = 65_536
"""The most subnets :func:`split` returns as a list (:func:`iter_split` streams any number)."""


def _few(sep: str, items: list[str], shown: int = 8) -> str:
    """``items`` joined, the first ``shown`` only when there are more (messages stay short).

    >>> _few(", ", [str(i) for i in range(20)], 3)
    '0, 1, 2, ... (20 in all)'
    """
    if len(items) <= shown:
        return sep.join(items)
    return sep.join(items[:shown]) + f"{sep}... ({len(items)} in all)"


def split(network: str | IPNetwork, count: int) -> list[IPNetwork]:
    """Split ``network`` into ``count`` equal subnets, the smallest prefix that makes enough.

    When ``count`` is not a power of two, the first ``count`` subnets of the next power of two
    are returned (the rest of the parent stays free; :func:`vlsm` reports it). At most
    :data:`SPLIT_LIMIT` subnets: past it, :func:`iter_split` gives them one by one.

    >>> [str(n) for n in split('2001:db8::/32', 2)]
    ['2001:db8::/33', '2001:db8:8000::/33']
    >>> split('192.0.2.0/30', 8)
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: 192.0.2.0/30 cannot be split into 8 subnets: /33 is longer than /32
    >>> split('0.0.0.0/0', 16777216)
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: 16777216 subnets are more than 65536 in one list: stream them
    """
    subnets = iter_split(network, count)
    if count > SPLIT_LIMIT:
        raise AddressError(f"{count} subnets are more than {SPLIT_LIMIT} in one list: stream them")
    return list(subnets)


def iter_split(network: str | IPNetwork, count: int) -> Iterator[IPNetwork]:
    """The subnets of :func:`split` one at a time, checked before the first: any ``count``.

    >>> subnets = iter_split('::/0', 2**32)
    >>> str(next(subnets)), str(next(subnets))
    ('::/32', '0:1::/32')
    """
    net = parse_network(network)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise AddressError(f"a number of subnets is a whole number >= 1, got {count!r}")
    extra = (count - 1).bit_length()
    new_prefix = net.prefixlen + extra
    if new_prefix > net.max_prefixlen:
        raise AddressError(
            f"{net} cannot be split into {count} subnets: "
            f"/{new_prefix} is longer than /{net.max_prefixlen}"
        )
    size = address_count(new_prefix, net.version)
    base = int(net.network_address)
    return (network_from_int(base + i * size, new_prefix, net.version) for i in range(count))


@dataclass(frozen=True, slots=True)
class Allocation:
    """One subnet of a plan: its name, the hosts asked for, and where it landed."""

    name: str
    hosts: int
    network: IPNetwork

    @property
    def capacity(self) -> int:
        """Usable hosts in the allocated subnet."""
        return host_count(self.network.prefixlen, self.network.version)

    @property
    def first_host(self) -> IPAddress:
        """First usable host address."""
        return subnet_info(str(self.network)).first_host

    @property
    def last_host(self) -> IPAddress:
        """Last usable host address."""
        return subnet_info(str(self.network)).last_host

    @property
    def broadcast(self) -> IPAddress | None:
        """Broadcast address (``None`` for IPv6, /31 and /32)."""
        return subnet_info(str(self.network)).broadcast

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        info = subnet_info(str(self.network))
        return {
            "name": self.name,
            "hosts": self.hosts,
            "network": str(self.network),
            "prefix": self.network.prefixlen,
            "netmask": str(self.network.netmask),
            "first_host": str(info.first_host),
            "last_host": str(info.last_host),
            "broadcast": None if info.broadcast is None else str(info.broadcast),
            "capacity": info.host_count,
            "unused": info.host_count - self.hosts,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """A parent network cut into allocations (largest first) and the free space left."""

    parent: IPNetwork
    allocations: tuple[Allocation, ...]
    free: tuple[IPNetwork, ...] = field(default=())

    @property
    def used_addresses(self) -> int:
        """Addresses taken by the allocations (network and broadcast included)."""
        return sum(a.network.num_addresses for a in self.allocations)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "parent": str(self.parent),
            "allocations": [a.to_dict() for a in self.allocations],
            "free": [str(n) for n in self.free],
            "used_addresses": self.used_addresses,
            "total_addresses": self.parent.num_addresses,
        }


def _free_space(parent: IPNetwork, used: Iterable[IPNetwork]) -> tuple[IPNetwork, ...]:
    """The fewest prefixes covering what ``used`` leaves of ``parent``."""
    remaining: list[IPNetwork] = [parent]
    for taken in used:
        next_remaining: list[IPNetwork] = []
        for block in remaining:
            if block.version == taken.version and taken.subnet_of(block):  # type: ignore[arg-type]
                next_remaining.extend(block.address_exclude(taken))  # type: ignore[arg-type]
            else:
                next_remaining.append(block)
        remaining = next_remaining
    return tuple(summarize(remaining))


def vlsm(
    parent: str | IPNetwork,
    hosts: Sequence[int] | Mapping[str, int],
    *,
    point_to_point: bool = False,
) -> Plan:
    """Variable-length subnet masks: one subnet per host count, largest first, each the
    smallest that holds its hosts, packed from the start of ``parent``.

    ``hosts`` is a list of counts (subnets named ``A``, ``B``, ...) or a name -> count mapping.
    With ``point_to_point=True`` a subnet of 2 hosts is a /31 (RFC 3021) instead of a /30.
    In IPv6 every subnet is at least a /64 (RFC 7421: SLAAC and most tools need 64 host
    bits), except point-to-point links, /127 (RFC 6164).
    Placing power-of-two blocks largest first keeps each aligned, so the plan fits exactly
    when the blocks' sizes add up to at most the parent's.

    >>> vlsm('192.0.2.0/26', {'lan': 40, 'wifi': 30})
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: 192.0.2.0/26 (64 addresses) cannot hold 40, 30 hosts: \
they need 64 + 32 = 96 addresses
    """
    net = parse_network(parent)
    if isinstance(hosts, Mapping):
        wanted = [(str(name), count) for name, count in hosts.items()]
    else:
        wanted = [(_letter_name(i), count) for i, count in enumerate(hosts)]
    if not wanted:
        raise AddressError("a VLSM plan needs at least one host count")
    sized = []
    for order, (name, count) in enumerate(wanted):
        prefix = prefix_for_hosts(count, net.version, point_to_point=point_to_point)
        if net.version == 6 and not (point_to_point and count <= 2):
            prefix = min(prefix, IPV6_LAN_PREFIX)
        sized.append((prefix, order, name, count))
    sized.sort()  # longest block first = shortest prefix first; ties keep the given order
    total = sum(address_count(prefix, net.version) for prefix, *_ in sized)
    if total > net.num_addresses or any(prefix < net.prefixlen for prefix, *_ in sized):
        counts = _few(", ", [str(count) for _, _, _, count in sized])
        blocks = _few(" + ", [str(address_count(prefix, net.version)) for prefix, *_ in sized])
        raise AddressError(
            f"{net} ({net.num_addresses} addresses) cannot hold {counts} hosts: "
            f"they need {blocks} = {total} addresses"
        )
    cursor = int(net.network_address)
    allocations = []
    for prefix, _, name, count in sized:
        allocations.append(Allocation(name, count, network_from_int(cursor, prefix, net.version)))
        cursor += address_count(prefix, net.version)
    return Plan(net, tuple(allocations), _free_space(net, (a.network for a in allocations)))


def _letter_name(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (spreadsheet column names)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def summarize(networks: Iterable[str | IPNetwork]) -> list[IPNetwork]:
    """The fewest prefixes covering exactly the given networks (overlaps and adjacent blocks
    merged), IPv4 first then IPv6, each in address order.

    >>> [str(n) for n in summarize(['192.0.2.0/26', '192.0.2.64/26', '192.0.2.128/25'])]
    ['192.0.2.0/24']
    >>> [str(n) for n in summarize(['2001:db8::/33', '2001:db8:8000::/33', '192.0.2.1/32'])]
    ['192.0.2.1/32', '2001:db8::/32']
    """
    parsed = [parse_network(n) for n in networks]
    v4 = [n for n in parsed if n.version == 4]
    v6 = [n for n in parsed if n.version == 6]
    return [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]


def supernet(networks: Iterable[str | IPNetwork]) -> IPNetwork:
    """The single smallest prefix that covers all the networks (it may cover more).

    >>> supernet(['192.0.2.0/24', '198.51.100.0/24'])
    IPv4Network('192.0.0.0/5')
    """
    parsed = [parse_network(n) for n in networks]
    if not parsed:
        raise AddressError("no network to cover")
    versions = {n.version for n in parsed}
    if len(versions) > 1:
        raise AddressError("cannot cover IPv4 and IPv6 networks with one prefix")
    low = min(int(n.network_address) for n in parsed)
    high = max(int(n.broadcast_address) for n in parsed)
    bits = parsed[0].max_prefixlen
    prefix = bits - (low ^ high).bit_length()
    mask = ((1 << bits) - 1) ^ ((1 << (bits - prefix)) - 1)
    return network_from_int(low & mask, prefix, parsed[0].version)
