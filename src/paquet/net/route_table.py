"""Rows of Scapy's routing tables (``conf.route`` / ``conf.route6``), for the table edits of
:class:`paquet.net.settings.KernelRoutes` (``ifadd``, ``ifchange``, ``get_if_bcast``).

An IPv4 row is ``(network, netmask, gateway, iface, output address, metric)`` with the
network and mask as integers; an IPv6 row is ``(prefix, length, next hop, iface, [source
candidates], metric)``.

>>> connected_row("eth0", "192.0.2.7/24", 4)
(3221225984, 4294967040, '0.0.0.0', 'eth0', '192.0.2.7', 1)
>>> connected_row("eth0", "2001:db8:0::1/64", 6)
('2001:db8::', 64, '::', 'eth0', ['2001:db8::1'], 1)
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from paquet.errors import PaquetError

_log = logging.getLogger("paquet.route")


def _split(addr: str, version: int) -> tuple[str, int]:
    """The address and prefix length of ``"addr/len"`` (a host without the length)."""
    text, _, length = addr.partition("/")
    full = 32 if version == 4 else 128
    try:
        plen = int(length) if length else full
        ip = ipaddress.ip_address(text)
    except ValueError:
        raise PaquetError(f"not an address with a prefix length: {addr!r}") from None
    if ip.version != version or not 0 <= plen <= full:
        raise PaquetError(f"not an IPv{version} address with a prefix length: {addr!r}")
    return str(ip), plen


def connected_row(iff: str, addr: str, version: int) -> tuple[Any, ...]:
    """The row of the network of ``addr`` reached directly through ``iff`` (Scapy's
    ``ifadd``)."""
    ip, plen = _split(addr, version)
    net = ipaddress.ip_network(f"{ip}/{plen}", strict=False)
    if version == 4:  # the address as typed, as Scapy keeps it
        given = addr.partition("/")[0]
        return (int(net.network_address), int(net.netmask), "0.0.0.0", iff, given, 1)
    return (str(net.network_address), plen, "::", iff, [ip], 1)


def changed_row(row: tuple[Any, ...], addr: str, version: int) -> tuple[Any, ...]:
    """``row`` after its interface took the address ``addr`` (Scapy's ``ifchange``): a
    connected route becomes ``addr``'s network, every route takes ``addr`` as source."""
    new = connected_row(row[3], addr, version)
    given = addr.partition("/")[0]  # as typed, as Scapy keeps it
    new = (*new[:4], given if version == 4 else [given], new[5])
    unspecified = "0.0.0.0" if version == 4 else "::"
    if row[2] == unspecified:
        return (*new[:5], row[5])
    return (*row[:4], new[4], row[5])


def broadcasts(routes: list[Any], iff: str) -> list[str]:
    """The broadcast addresses of ``iff``'s networks in an IPv4 table (Scapy's
    ``get_if_bcast``).

    >>> broadcasts([connected_row("eth0", "192.0.2.7/24", 4)], "eth0")
    ['192.0.2.255']
    """
    found = []
    for net, msk, _gw, iface, _src, _metric in routes:
        if net == 0 or msk == 0xFFFFFFFF or iface != iff:
            continue
        found.append(str(ipaddress.IPv4Address(net | (~msk & 0xFFFFFFFF))))
    if not found:
        _log.warning("No broadcast address found for iface %s", iff)
    return found
