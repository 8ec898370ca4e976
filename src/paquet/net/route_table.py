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
import socket
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


def _one_address(dst: str) -> str:
    """One address of a Scapy address set (``192.168.*.1-5`` -> ``192.168.0.1``)."""
    text = dst.split("/")[0].replace("*", "0")
    while "-" in text:
        i = text.index("-")
        end = (text[i:] + ".").index(".")
        text = text[:i] + text[i + end:]
    return text


def _aton(text: str) -> int:
    """An IPv4 address as a number, short forms accepted (``"0"``, ``"10.1"``) as Scapy's."""
    return int.from_bytes(socket.inet_aton(text), "big")


def lookup4(routes: list[Any], dst: str, dev: str | None,
            loopback: str) -> tuple[str, str, str] | None:
    """Scapy's lookup in an IPv4 table: the most specific route to ``dst`` (an address, or a
    set such as ``192.168.0.0-10``), the lowest metric among equals; a destination that is
    one of the table's own output addresses goes through ``loopback``. None when no route
    matches.

    >>> table = [(0, 0, "192.0.2.254", "eth0", "192.0.2.1", 5),
    ...          (0xC0000200, 0xFFFFFF00, "0.0.0.0", "eth0", "192.0.2.1", 0)]
    >>> lookup4(table, "192.0.2.9", None, "lo"), lookup4(table, "192.0.2.1", None, "lo")
    (('eth0', '192.0.2.1', '0.0.0.0'), ('lo', '192.0.2.1', '0.0.0.0'))
    """
    from paquet.errors import AddressError

    try:
        target = _aton(_one_address(dst))
    except OSError:
        raise AddressError(f"not an IPv4 address: {dst!r}") from None
    paths = []
    for net, msk, gw, iface, src, metric in routes:
        if not src or (dev is not None and iface != dev):
            continue
        own = _aton(src)
        if own == target and own != 0:
            paths.append((0xFFFFFFFF, 1, (loopback, src, "0.0.0.0")))
        if target & msk == net & msk:
            paths.append((msk, metric, (iface, src, gw)))
    if not paths:
        return None
    paths.sort(key=lambda p: (-p[0], p[1]))
    return paths[0][2]
