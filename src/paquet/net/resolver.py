"""The system resolver: what makes a crafted packet's addresses real.

The packet engine asks a resolver (``paquet.packet.resolver``) for the fields it cannot know by
itself: the source address of a packet to some destination, the MACs of a frame, the address
of a host name. :class:`SystemResolver` answers from the running system: the kernel's route
lookup (policy routing and source selection included), the outgoing interface's MAC (from the
route and the interface alone), the kernel's neighbour table (or an ARP /
neighbour-solicitation request) for the next hop's, and the system's name resolver
(``getaddrinfo``: ``/etc/hosts``, DNS, ...). It loads nothing in advance.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from paquet.errors import NetworkError
from paquet.net import neighbour, route
from paquet.net.netlink import netns_id

__all__ = ["SystemResolver", "install"]


class SystemResolver:
    """Resolver backed by the kernel (routes, neighbours) and the system's name resolution."""

    _HOST_TTL = 30.0

    _SOURCE_TTL = 1.0

    def __init__(self) -> None:
        self._hosts: dict[tuple[str, int], tuple[float, str]] = {}
        self._sources: dict[tuple[int, str, int], tuple[float, str | None]] = {}
        self._macs: dict[tuple[int, str, int], tuple[float, str | None]] = {}

    def __repr__(self) -> str:
        return "SystemResolver()"

    def _per_route(
        self,
        memo: dict[tuple[int, str, int], tuple[float, str | None]],
        ask: Callable[[str, int], str | None],
        dst: str,
        version: int,
    ) -> str | None:
        """``ask(dst, version)`` remembered for a second in ``memo`` (None when it raises
        NetworkError: no route), per namespace, as the route it comes from."""
        key = (netns_id(), dst, version)
        now = time.monotonic()
        hit = memo.get(key)
        if hit is not None and now - hit[0] < self._SOURCE_TTL:
            return hit[1]
        try:
            found = ask(dst, version)
        except NetworkError:
            found = None
        if len(memo) > 4096:
            memo.clear()
        memo[key] = (now, found)
        return found

    def source_address(self, dst: str, version: int) -> str | None:
        """The source address the kernel would choose for ``dst``; None without a route."""
        return self._per_route(self._sources, route.source_address, dst, version)

    def interface_mac(self, dst_ip: str, version: int) -> str | None:
        """The MAC of the interface the kernel routes ``dst_ip`` through; None without a route.

        Read from the route and the interface only: no neighbour lookup, nothing sent.
        """
        return self._per_route(self._macs, neighbour.route_mac, dst_ip, version)

    def resolve_host(self, name: str, version: int) -> str:
        """The first IPv``version`` address of host ``name``; NetworkError when unknown.

        >>> SystemResolver().resolve_host("localhost", 4)
        '127.0.0.1'
        """
        key = (name, version)
        now = time.monotonic()
        hit = self._hosts.get(key)
        if hit is not None and now - hit[0] < self._HOST_TTL:
            return hit[1]
        family = socket.AF_INET6 if version == 6 else socket.AF_INET
        try:
            infos = socket.getaddrinfo(name, None, family, socket.SOCK_RAW)
        except (socket.gaierror, UnicodeError) as exc:
            reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
            raise NetworkError(f"unknown host {name!r} (IPv{version}): {reason}") from None
        if not infos:
            raise NetworkError(f"unknown host {name!r}: no IPv{version} address")
        address = str(infos[0][4][0])
        self._hosts[key] = (now, address)
        return address

    def route(self, dst: str, version: int, dev: str | None = None) -> tuple[str, str, str]:
        """``(interface, source, gateway)`` towards ``dst`` (Scapy's ``conf.route.route``);
        NetworkError without a route.

        >>> SystemResolver().route("127.0.0.1", 4)
        ('lo', '127.0.0.1', '0.0.0.0')
        """
        from paquet.net.settings import KernelRoutes

        return KernelRoutes(version).route(dst, dev)

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        """(source MAC, next-hop MAC) of a frame carrying a packet to ``dst_ip``, or None."""
        return neighbour.link_addresses(dst_ip, version)


def install() -> None:
    """Make :class:`SystemResolver` the engine's resolver, unless one is already set."""
    import importlib

    try:
        hook = importlib.import_module("paquet.packet.resolver")
    except ImportError:
        return
    if hook.get_resolver() is None:
        hook.set_resolver(SystemResolver())
