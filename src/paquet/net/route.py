"""Routes and source-address selection, asked of the kernel per lookup (``ip route get``).

Every answer comes from the kernel's own route lookup over rtnetlink, so policy routing
(``ip rule``), VRFs, preferred sources and the kernel's source-address selection are respected.
Nothing is loaded at import; answers are cached for one second per network namespace.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import time

from paquet.errors import NetworkError
from paquet.net import netlink
from paquet.net.netlink import RouteInfo

__all__ = ["RouteInfo", "address_version", "clear_cache", "get_route", "source_address"]

_TTL = 1.0
_MAX = 4096
_cache: dict[tuple[int, str, int, str | None], tuple[float, RouteInfo]] = {}


def address_version(address: str) -> int:
    """4 or 6 for an IP address literal; NetworkError for anything else.

    >>> address_version("2001:db8::1"), address_version("192.0.2.1")
    (6, 4)
    """
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).version
    except ValueError:
        raise NetworkError(f"not an IP address: {address!r}") from None


def clear_cache() -> None:
    """Forget every cached route (after changing routes in this process, for instance)."""
    _cache.clear()


def _default_route(local: RouteInfo) -> RouteInfo:
    """The route Scapy takes to ``0.0.0.0`` (the default route, whose prefix is the only one
    holding it), where the kernel answers with its loopback: the default route's interface
    and gateway, with the source the kernel picks towards that gateway. ``local`` when there
    is no default route through a gateway."""
    found = netlink.default_gateway(4)
    if found is None:
        return local
    ifname, gateway = found
    if gateway is None:
        return local
    try:
        towards = netlink.route_get(gateway, 4, oif=netlink.link(ifname).index)
    except NetworkError:
        return local
    return dataclasses.replace(towards, dst=local.dst, gateway=gateway, kind="unicast")


def get_route(dst: str, version: int | None = None, iface: str | None = None) -> RouteInfo:
    """The kernel's route to ``dst`` (optionally forced out of ``iface``), cached for 1 s.

    Raises :class:`NetworkError` when there is no route or ``iface`` does not exist.

    >>> get_route("127.0.0.1").ifname
    'lo'
    """
    if type(dst) is not str and getattr(dst, "scope", None):  # Scapy's ScopedIP
        dst = f"{dst}%{dst.scope}"  # type: ignore[attr-defined]
    if version is None:
        version = address_version(dst)
    key = (netlink.netns_id(), dst, version, iface)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < _TTL:
        return hit[1]
    oif = netlink.link(iface).index if iface else 0
    plain, _, scope = dst.partition("%")
    if scope and not oif:
        oif = netlink.link(scope).index
    info = netlink.route_get(plain, version, oif=oif)
    if plain == "0.0.0.0" and not oif and info.kind == "local":
        info = _default_route(info)
    if len(_cache) >= _MAX:
        _cache.clear()
    _cache[key] = (now, info)
    return info


def source_address(dst: str, version: int | None = None, iface: str | None = None) -> str | None:
    """The source address the kernel would pick for a packet to ``dst`` (None if it has none).

    >>> source_address("127.0.0.1")
    '127.0.0.1'
    """
    return get_route(dst, version, iface).src
