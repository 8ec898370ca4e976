"""IPv4 and IPv6 addresses and subnets, on top of the stdlib :mod:`ipaddress`.

What ``ipaddress`` lacks is written here: the reason an address is rejected, the dotted binary
form, the kind of an address, usable host counts (RFC 3021 for /31 and /32), the smallest
prefix for a number of hosts, and one record (:class:`SubnetInfo`) with everything ``ipcalc``
shows. Subnet plans (equal splits, VLSM, summaries) are in :mod:`paquet.plan`.

>>> from paquet.addr import ipv4_rejection, parse_address, prefix_to_mask, subnet_info, to_binary
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

from typing import TYPE_CHECKING

from paquet._lazy import lazy_names

if TYPE_CHECKING:
    from paquet.addr.forms import (
        binary_parts,
        compressed,
        exploded,
        from_binary,
        to_binary,
        to_hex,
        to_int,
    )
    from paquet.addr.kinds import (
        AddressKind,
        ipv4_class,
        kind,
    )
    from paquet.addr.masks import (
        address_count,
        address_space_size,
        host_count,
        network_from_int,
        nth_subnet,
        prefix_for_hosts,
        prefix_to_mask,
        subnet_count,
        wildcard_mask,
    )
    from paquet.addr.parse import (
        AddressLike,
        IPAddress,
        IPInterface,
        IPNetwork,
        from_int,
        ipv4_rejection,
        ipv6_rejection,
        is_ip,
        is_ipv4,
        is_ipv6,
        mask_to_prefix,
        max_prefix,
        parse_address,
        parse_interface,
        parse_ipv4,
        parse_ipv6,
        parse_network,
        parse_prefix,
    )
    from paquet.addr.subnets import (
        SubnetComparison,
        SubnetInfo,
        compare_subnets,
        same_subnet,
        subnet_info,
    )

# Each public name and the module that defines it, imported on first use: importing the
# package costs one module, and a name loads only the module that defines it.
_EXPORTS = {
    "binary_parts": "paquet.addr.forms",
    "compressed": "paquet.addr.forms",
    "exploded": "paquet.addr.forms",
    "from_binary": "paquet.addr.forms",
    "to_binary": "paquet.addr.forms",
    "to_hex": "paquet.addr.forms",
    "to_int": "paquet.addr.forms",
    "AddressKind": "paquet.addr.kinds",
    "ipv4_class": "paquet.addr.kinds",
    "kind": "paquet.addr.kinds",
    "address_count": "paquet.addr.masks",
    "address_space_size": "paquet.addr.masks",
    "host_count": "paquet.addr.masks",
    "network_from_int": "paquet.addr.masks",
    "nth_subnet": "paquet.addr.masks",
    "prefix_for_hosts": "paquet.addr.masks",
    "prefix_to_mask": "paquet.addr.masks",
    "subnet_count": "paquet.addr.masks",
    "wildcard_mask": "paquet.addr.masks",
    "AddressLike": "paquet.addr.parse",
    "IPAddress": "paquet.addr.parse",
    "IPInterface": "paquet.addr.parse",
    "IPNetwork": "paquet.addr.parse",
    "from_int": "paquet.addr.parse",
    "ipv4_rejection": "paquet.addr.parse",
    "ipv6_rejection": "paquet.addr.parse",
    "is_ip": "paquet.addr.parse",
    "is_ipv4": "paquet.addr.parse",
    "is_ipv6": "paquet.addr.parse",
    "mask_to_prefix": "paquet.addr.parse",
    "max_prefix": "paquet.addr.parse",
    "parse_address": "paquet.addr.parse",
    "parse_interface": "paquet.addr.parse",
    "parse_ipv4": "paquet.addr.parse",
    "parse_ipv6": "paquet.addr.parse",
    "parse_network": "paquet.addr.parse",
    "parse_prefix": "paquet.addr.parse",
    "SubnetComparison": "paquet.addr.subnets",
    "SubnetInfo": "paquet.addr.subnets",
    "compare_subnets": "paquet.addr.subnets",
    "same_subnet": "paquet.addr.subnets",
    "subnet_info": "paquet.addr.subnets",
}

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

__getattr__, __dir__ = lazy_names("paquet.addr", _EXPORTS, globals())
