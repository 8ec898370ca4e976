"""How the packet engine asks about the host: source addresses, host names, MACs.

The engine never touches the network. When a field that depends on the host is needed (an IP
``src`` left to None with a ``dst``, a host name as ``dst``, the Ether ``src``/``dst`` of a frame
carrying IP) it asks the current :class:`Resolver`. By default that is the system's
(``paquet.net.resolver.SystemResolver``: routes, neighbours, names), loaded on the first question
and never at import, so the same expression gives the same packet whatever was imported before.
:func:`set_resolver` installs another one; ``set_resolver(None)`` gives fixed, documented
answers, as Scapy prints them on loopback:

- IP ``src``: ``127.0.0.1`` (IPv6: ``::1``);
- Ether ``dst``: ``ff:ff:ff:ff:ff:ff`` and ``src``: ``00:00:00:00:00:00`` (also the sender's MAC
  of ARP and of the neighbour-discovery source link-layer option);
- a host name as ``dst`` raises :class:`~paquet.errors.NetworkError` (nothing can resolve it).
"""

from __future__ import annotations

import importlib
from typing import Protocol, runtime_checkable

from paquet.errors import NetworkError

__all__ = [
    "DEFAULT_MAC_DST",
    "DEFAULT_MAC_SRC",
    "InterfaceResolver",
    "Resolver",
    "get_resolver",
    "interface_mac",
    "link_addresses",
    "resolve_host",
    "route",
    "set_resolver",
    "source_address",
]

DEFAULT_MAC_DST = "ff:ff:ff:ff:ff:ff"
DEFAULT_MAC_SRC = "00:00:00:00:00:00"
_DEFAULT_SRC = {4: "127.0.0.1", 6: "::1"}


@runtime_checkable
class Resolver(Protocol):
    """What the engine needs to know about the host; the network layer implements it.

    A resolver may also answer ``interface_mac`` (see :class:`InterfaceResolver`); one that
    does not still works: the engine then reads the interface's MAC from ``link_addresses``.
    """

    def source_address(self, dst: str, version: int) -> str | None:
        """The source address the host would use to reach ``dst`` (None: no route)."""
        ...

    def resolve_host(self, name: str, version: int) -> str:
        """The address of host ``name`` (raises NetworkError when it does not resolve)."""
        ...

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        """``(src_mac, dst_mac)`` of the interface and next hop towards ``dst_ip``, or None."""
        ...


@runtime_checkable
class InterfaceResolver(Resolver, Protocol):
    """A :class:`Resolver` that also gives the MAC of its own interfaces (the system's does)."""

    def interface_mac(self, dst_ip: str, version: int) -> str | None:
        """The MAC of the interface the host would use towards ``dst_ip``, or None.

        Only the route and the interface: no neighbour lookup, nothing sent.
        """
        ...


SYSTEM_RESOLVER = "paquet.net.resolver"
"""The module whose ``SystemResolver`` answers by default (looked up by name, on first use)."""


def _system() -> Resolver | None:
    """The system resolver, now installed; None (the fixed answers) where it cannot load."""
    try:
        module = importlib.import_module(SYSTEM_RESOLVER)
    except ImportError:
        found: Resolver | None = None
    else:
        found = module.SystemResolver()
    if isinstance(_State.resolver, _OnFirstUse):
        _State.resolver = found
    return _State.resolver


class _OnFirstUse:
    """The default: stands for the system resolver until the first question loads it."""

    def __repr__(self) -> str:
        return "<the system resolver, loaded on first use>"

    def source_address(self, dst: str, version: int) -> str | None:
        """The system resolver's answer."""
        r = _system()
        return r.source_address(dst, version) if r is not None else None

    def resolve_host(self, name: str, version: int) -> str:
        """The system resolver's answer."""
        r = _system()
        if r is None:
            raise NetworkError(f"cannot resolve host name {name!r}: no resolver")
        return r.resolve_host(name, version)

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        """The system resolver's answer."""
        r = _system()
        return r.link_addresses(dst_ip, version) if r is not None else None

    def interface_mac(self, dst_ip: str, version: int) -> str | None:
        """The system resolver's answer (the resolver's own or the first MAC of the link)."""
        r = _system()
        if r is None:
            return None
        ask = getattr(r, "interface_mac", None)
        if ask is not None:
            found: str | None = ask(dst_ip, version)
            return found
        pair = r.link_addresses(dst_ip, version)
        return pair[0] if pair else None


class _State:
    resolver: Resolver | None = _OnFirstUse()


def set_resolver(resolver: Resolver | None) -> Resolver | None:
    """Install ``resolver`` (None: back to the fixed defaults); returns the previous one."""
    previous = _State.resolver
    _State.resolver = resolver
    return previous


def get_resolver() -> Resolver | None:
    """The resolver in use (the system's is loaded by this call if not yet), or None."""
    if isinstance(_State.resolver, _OnFirstUse):
        return _system()
    return _State.resolver


def source_address(dst: str | None, version: int) -> str:
    """The source address for ``dst``: the resolver's answer, else the loopback default."""
    r = _State.resolver
    if r is not None and dst is not None:
        found = r.source_address(dst, version)
        if found:
            return found
    return _DEFAULT_SRC[version]


def resolve_host(name: str, version: int) -> str:
    """The address of host ``name`` through the resolver; NetworkError without one."""
    r = _State.resolver
    if r is None:
        raise NetworkError(
            f"cannot resolve host name {name!r}: no resolver installed "
            "(give an address, or use paquet's network layer)"
        )
    return r.resolve_host(name, version)


def link_addresses(dst_ip: str | None, version: int) -> tuple[str, str]:
    """``(src_mac, dst_mac)`` towards ``dst_ip``, or the defaults (zeros, broadcast)."""
    r = _State.resolver
    if r is not None and dst_ip is not None:
        found = r.link_addresses(dst_ip, version)
        if found:
            return found
    return DEFAULT_MAC_SRC, DEFAULT_MAC_DST


def route(
    dst: str, version: int, dev: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """``(interface, source, gateway)`` towards ``dst`` (Scapy's ``conf.route.route``): the
    resolver's ``route`` answer. Without a route, Scapy's answer: loopback and the unspecified
    addresses (``::1`` for ``::1``); without a resolver (or one that cannot say), the fixed
    defaults: loopback, the loopback source, no gateway."""
    unspecified = "0.0.0.0" if version == 4 else "::"
    r = _State.resolver
    if isinstance(r, _OnFirstUse):
        r = _system()
    ask = getattr(r, "route", None)
    if ask is None:
        return (dev or "lo", _DEFAULT_SRC[version], unspecified)
    try:
        found: tuple[str, str, str] = ask(dst, version, dev)
    except NetworkError:
        return (dev or "lo", "::1" if dst == "::1" else unspecified, unspecified)
    return found


def interface_mac(dst_ip: str | None, version: int) -> str:
    """The MAC of our interface towards ``dst_ip`` (a sender's MAC), or zeros by default.

    Asks the resolver's ``interface_mac``; a resolver without it is asked ``link_addresses``,
    whose first item is that MAC.
    """
    r = _State.resolver
    if r is not None and dst_ip is not None:
        ask = getattr(r, "interface_mac", None)
        if ask is not None:
            found: str | None = ask(dst_ip, version)
        else:
            pair = r.link_addresses(dst_ip, version)
            found = pair[0] if pair else None
        if found:
            return found
    return DEFAULT_MAC_SRC
