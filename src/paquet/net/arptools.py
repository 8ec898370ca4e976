"""Scapy's link-layer helpers: ``arping``, ``arpcachepoison``, ``arp_mitm``, ``neighsol``,
``getmacbyip6``.

``arping(net)`` asks every address of ``net`` for its MAC (one broadcast ARP request each, in
one :func:`~paquet.net.sendrecv.srp` run) and prints Scapy's table of who answered;
``arpcachepoison`` and ``arp_mitm`` send the forged ARP requests Scapy sends. ``arp_mitm`` also
turns IPv4 forwarding on and ICMP redirects off while it runs (Scapy leaves that to the user)
and, however it ends (``count`` rounds, Ctrl-C, an error), restores the victims' caches and
those settings.
Use them only on networks you own: the lab (``paquet lab``) is made for it.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paquet.errors import NetworkError
from paquet.net.exchange import _verbosity
from paquet.net.sendrecv import sendp, srp, srploop  # (module names: tests patch them here)
from paquet.plist import PacketList, SndRcvList

__all__ = ["ARPingResult", "arp_mitm", "arpcachepoison", "arping", "getmacbyip6", "neighsol"]

_BROADCAST = "ff:ff:ff:ff:ff:ff"
_ZERO = "00:00:00:00:00:00"
_REPLIES = "arp and arp[7] = 2"
_MANUF = Path("/usr/share/wireshark/manuf")
_FORWARDING = Path("/proc/sys/net/ipv4/ip_forward")
_SYSCTL = Path("/proc/sys/net/ipv4/conf")


def _warning(message: str) -> None:
    sys.stderr.write(f"WARNING: {message}\n")


@functools.cache
def _manufacturers() -> dict[str, str]:
    """Wireshark's table of OUIs: ``{"00:0C:29": "VMware", ...}`` (empty when not installed)."""
    table: dict[str, str] = {}
    try:
        text = _MANUF.read_text(errors="backslashreplace")
    except OSError:
        return table
    for line in text.splitlines():
        parts = line.strip().split(None, 2)
        if len(parts) >= 2 and not parts[0].startswith("#"):
            table[parts[0]] = parts[1]
    return table


def short_manuf(mac: str) -> str:
    """The manufacturer's short name for ``mac`` (Wireshark's ``manuf`` file), else ``mac``.

    >>> short_manuf("02:00:00:00:00:01")
    '02:00:00:00:00:01'
    """
    return _manufacturers().get(":".join(mac.split(":")[:3]).upper(), mac)


class ARPingResult(SndRcvList):
    """The answers of :func:`arping`: ``(request, reply)`` pairs; ``show()`` lists the MACs."""

    def __init__(self, res: Any = None, name: str = "ARPing", stats: Any = None) -> None:
        super().__init__(res, name=name, stats=stats)

    def show(self, *args: Any, **kwargs: Any) -> None:
        """Print each answer's MAC, its maker (``unknown`` if not known) and IPv4 address,
        sorted by address text, as Scapy does."""
        from paquet.layers import ARP, Ether

        rows: list[tuple[str, ...]] = []
        for _s, r in self.res:
            src = r[Ether].src
            manuf = short_manuf(src)
            rows.append((src, "unknown" if manuf == src else manuf, r[ARP].psrc))
        from paquet.tables import pretty_list

        print(pretty_list(rows, [("src", "manuf", "psrc")], sortBy=2))


def _first(net: Any) -> str:
    """The first address ``net`` names (a network, a range, a list)."""
    from paquet.layers import ARP
    from paquet.net.frames import expand

    if isinstance(net, list):
        return str(net[0])
    for probe in expand(ARP(pdst=net)):
        return str(probe.pdst)
    raise NetworkError(f"arping: {net!r} names no address")


def _iface_mac(iface: str) -> str:
    """The MAC of ``iface``: the kernel's, else that of an interface of ``conf.ifaces`` only
    (one added for a test, as Scapy's ``get_if_hwaddr``); NetworkError when there is none."""
    from paquet.net.interfaces import get_if_hwaddr
    from paquet.net.neighbour import interface_mac

    try:
        return interface_mac(iface)
    except NetworkError:
        return get_if_hwaddr(iface)


def _route_iface(hint: str) -> str:
    """The interface of the route to ``hint``; without one, the loopback interface and
    Scapy's warning (as Scapy's ``conf.route.route``)."""
    from paquet.net.route import get_route

    try:
        return get_route(hint, 4).ifname
    except NetworkError:
        from paquet.net.settings import settings

        _warning(f"No route found for IPv4 destination {hint} (no default route?)")
        return settings.loopback_name


def arping(net: Any, timeout: float = 2, cache: int = 0, verbose: int | bool | None = None,
           threaded: bool = True, **kargs: Any) -> tuple[ARPingResult, PacketList]:
    """Ask each address of ``net`` for its MAC; return ``(ARPingResult, unanswered)``.

    One broadcast ARP request per address, sent from the interface the kernel routes the
    first one through (or ``iface=``), answers read for ``timeout`` seconds; the table of
    answers is printed unless ``verbose=0``. ``cache`` is accepted (paquet reads the kernel's
    neighbour table instead of keeping its own).
    """
    from paquet.layers import ARP, Ether
    from paquet.net.route import get_route

    verb = _verbosity(verbose)
    hint = _first(net)
    iface = kargs.get("iface")
    hwaddr = _iface_mac(iface) if iface else None
    try:
        route = get_route(hint, 4, iface)
        psrc = route.src or "0.0.0.0"
        if route.gateway is not None and not iface:
            psrc = "0.0.0.0"
    except NetworkError:
        psrc = "0.0.0.0"
    if psrc == "0.0.0.0" and not iface:
        _warning(f"Could not find the interface for destination {hint} based on the routes. "
                 "Using conf.iface. Please provide an 'iface' !")
    request = Ether(dst=_BROADCAST, src=hwaddr) / ARP(pdst=net, psrc=psrc, hwsrc=hwaddr)
    kargs.setdefault("filter", _REPLIES)
    ans, unans = srp(request, verbose=verb, timeout=timeout, iface_hint=hint, **kargs)
    result = ARPingResult(ans.res)
    if verb:
        result.show()
    return result, unans


def _targets(target: Any) -> tuple[Any, str]:
    if isinstance(target, str):
        return target, _first(target)
    return list(target), str(target[0])


def arpcachepoison(target: Any, addresses: Any, broadcast: bool = False,
                   count: int | None = None, interval: float = 15, **kwargs: Any) -> None:
    """Tell ``target`` (an address, a network or a list) that the addresses of ``addresses``
    are at our MAC: ARP requests with a forged sender, every ``interval`` seconds, ``count``
    times or until Ctrl-C.

    ``addresses``: an IPv4 address (announced with our interface's MAC), an ``(ip, mac)``
    pair or a list of pairs. ``broadcast``: send to ``ff:ff:ff:ff:ff:ff`` rather than to the
    target's MAC. Other keywords go to :func:`~paquet.net.sendrecv.sendp`.
    """
    from paquet.layers import ARP, Ether
    from paquet.net.neighbour import route_mac

    pdst, hint = _targets(target)
    if isinstance(addresses, str):
        couples = [(addresses, route_mac(hint, 4))]
    elif isinstance(addresses, tuple):
        couples = [addresses]
    else:
        couples = list(addresses)
    frames = [Ether(src=mac, dst=_BROADCAST if broadcast else None)
              / ARP(op="who-has", psrc=ip, pdst=pdst, hwsrc=mac, hwdst=_ZERO)
              for ip, mac in couples]
    if count is not None:
        sendp(frames, iface_hint=hint, count=count, inter=interval, **kwargs)
        return
    with contextlib.suppress(KeyboardInterrupt):
        while True:
            sendp(frames, iface_hint=hint, **kwargs)
            time.sleep(interval)


def _pairs(ip: Any, mac: Any, broadcast: bool, iface: str) -> list[tuple[Any, str]]:
    """``(ip, mac)`` couples for one side of :func:`arp_mitm` (asked with arping if needed)."""
    if mac is None:
        if broadcast:
            return [(ip, _BROADCAST)]
        ans, _unans = arping(ip, verbose=0, iface=iface)
        return [(qa.query.pdst, qa.answer.hwsrc) for qa in ans]
    if isinstance(mac, list):
        return [(ip, m) for m in mac]
    return [(ip, mac)]


def _requests(one: list[tuple[Any, str]], other: list[tuple[Any, str]], src: str | None,
              to: str | None) -> Iterator[Any]:
    """ARP requests telling each host of ``one`` that each host of ``other`` is at ``src``
    (None: at its own MAC, restoring), sent to ``to`` (None: to each host's MAC)."""
    from paquet.layers import ARP, Ether
    from paquet.net.frames import expand

    for ipa, maca in one:
        for ipb, macb in other:
            if ipb == ipa:
                continue
            hw = src or macb
            yield from expand(Ether(dst=to or maca, src=hw)
                              / ARP(op="who-has", psrc=ipb, pdst=ipa, hwsrc=hw, hwdst=_ZERO))


@contextlib.contextmanager
def _forwarding(iface: str) -> Iterator[None]:
    """For the block: IPv4 forwarding on, and no ICMP redirects sent on ``iface`` (they would
    tell the victims to go round us); then every setting back as it was (those this process
    may change)."""
    wanted = {_FORWARDING: "1", _SYSCTL / "all" / "send_redirects": "0",
              _SYSCTL / iface / "send_redirects": "0"}
    saved: dict[Path, str] = {}
    for path, value in wanted.items():
        try:
            before = path.read_text().strip()
            if before != value:
                path.write_text(f"{value}\n")
                saved[path] = before
        except OSError:
            continue
    try:
        yield
    finally:
        for path, before in saved.items():
            with contextlib.suppress(OSError):
                path.write_text(f"{before}\n")


def arp_mitm(ip1: Any, ip2: Any, mac1: Any = None, mac2: Any = None, broadcast: bool = False,
             target_mac: str | None = None, iface: str | None = None, inter: float = 3,
             count: int | None = None) -> None:
    """Man in the middle between ``ip1`` and ``ip2``: poison both ARP caches every ``inter``
    seconds until Ctrl-C (or ``count`` rounds), forwarding their traffic meanwhile (IPv4
    forwarding on, ICMP redirects off); then restore both caches (also after an error) and
    those settings.

    ``mac1``/``mac2``: their MACs (a MAC or a list; None: asked with :func:`arping`, or
    broadcast with ``broadcast=True``); ``target_mac``: the MAC to announce (our interface's
    by default); ``iface``: the interface (the route to ``ip1``'s by default). Prints
    Scapy's lines: ``MITM on IFACE: [...] <--> MAC <--> [...]``, the round marks, ``Restoring...``.
    ``count`` is paquet's addition (Scapy loops until Ctrl-C).
    """
    if not iface:
        iface = _route_iface(_targets(ip1)[1])
    if not target_mac:
        target_mac = _iface_mac(iface)
    side1 = _pairs(ip1, mac1, broadcast, iface)
    if not side1:
        raise NetworkError(f"Could not resolve {ip1}")
    side2 = _pairs(ip2, mac2, broadcast, iface)
    if not side2:
        raise NetworkError(f"Could not resolve {ip2}")
    print(f"MITM on {iface}: {[m for _i, m in side1]} <--> {target_mac} <--> "
          f"{[m for _i, m in side2]}")
    poison = list(itertools.chain(_requests(side1, side2, target_mac, None),
                                  _requests(side2, side1, target_mac, None)))
    try:
        with _forwarding(iface):
            srploop(poison, filter=_REPLIES, inter=inter, iface=iface, timeout=0.5,
                    verbose=1, store=False, count=count)
    finally:
        print("Restoring...")
        restore = list(itertools.chain(_requests(side1, side2, None, _BROADCAST),
                                       _requests(side2, side1, None, _BROADCAST)))
        sendp(restore, iface=iface)


def neighsol(addr: str, src: str, iface: str, timeout: float = 1, chainCC: int = 0) -> Any:
    """Send an ICMPv6 neighbour solicitation for ``addr`` from ``src`` on ``iface``; return the
    answer (the Ether frame of the advertisement) or None after ``timeout`` seconds."""
    import socket

    from paquet.layers import Ether, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6
    from paquet.net.sendrecv import srp1
    from paquet.numbers import ETH_P_IPV6
    from paquet.utils6 import in6_getnsma, in6_getnsmac

    group = in6_getnsma(socket.inet_pton(socket.AF_INET6, addr))
    mac = _iface_mac(iface)
    frame = (Ether(dst=in6_getnsmac(group), src=mac)
             / IPv6(dst=socket.inet_ntop(socket.AF_INET6, group), src=src, hlim=255)
             / ICMPv6ND_NS(tgt=addr) / ICMPv6NDOptSrcLLAddr(lladdr=mac))
    return srp1(frame, type=ETH_P_IPV6, iface=iface, timeout=timeout, verbose=0,
                chainCC=chainCC)


def getmacbyip6(ip6: Any, chainCC: int = 0) -> str | None:
    """The MAC address frames to ``ip6`` are sent to (the next hop's), or None.

    Multicast addresses give their mapped ``33:33:...`` MAC, loopback ``ff:ff:ff:ff:ff:ff``
    (as Scapy); otherwise the kernel's neighbour table, else a neighbour solicitation.
    """
    import socket

    from paquet.net import netlink
    from paquet.net.neighbour import resolve_mac
    from paquet.net.route import get_route
    from paquet.utils6 import in6_getnsmac, in6_ismaddr

    ip6 = str(ip6)
    if in6_ismaddr(ip6):
        return in6_getnsmac(socket.inet_pton(socket.AF_INET6, ip6))
    try:
        route = get_route(ip6, 6)
        if route.kind == "local" or (route.ifindex and
                                     netlink.link_by_index(route.ifindex).name == "lo"):
            return _BROADCAST
        return resolve_mac(ip6, 6)
    except NetworkError:
        return None
