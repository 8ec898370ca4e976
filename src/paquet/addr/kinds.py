"""What an address is for (RFC 6890's special-purpose registries) and its historical IPv4 class.

>>> kind('127.0.0.1').value
'loopback'
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from ipaddress import (
    IPv6Address,
)

from paquet.addr.parse import AddressLike, parse_address

__all__ = [
    "AddressKind",
    "ipv4_class",
    "kind",
]


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
