"""Scapy's ``conf`` settings: the few that course scripts touch, with Scapy's names.

``verb`` is the default verbosity of send/sr (0 silent, 1 summary, 2 progress marks), ``iface``
the default interface for layer-2 sending (the default route's interface unless set),
``checkIPaddr`` whether an answer's IP source must be the probe's destination,
``auto_fragment`` whether an IPv4 packet too large for its interface is sent as fragments
(else it is an error). Plain values
only: the socket classes Scapy also keeps in ``conf`` are in :mod:`paquet.net.conf`, which puts
the two together. Nothing is read from the system at import.
"""

from __future__ import annotations

import sys
from types import SimpleNamespace
from typing import Any

__all__ = ["KernelRoutes", "Route", "Route6", "Settings", "settings"]


class KernelRoutes:
    """Scapy's ``conf.route`` / ``conf.route6``: ``route(dst)`` gives ``(iface, src, gateway)``.

    Answered by the kernel's own lookup each time (nothing is copied at import), so the answer
    is what the kernel would do, policy rules included; an IPv4 table assigned to
    :attr:`routes` or edited is looked up instead, as Scapy's. The gateway is ``0.0.0.0`` (``::``)
    when the destination is on a connected network.
    """

    def __init__(self, version: int) -> None:
        self.version = version
        self._tables: dict[int, list[Any]] = {}
        self._added: list[tuple[int, int, str, str, str, int]] = []
        self._ifaces: set[str] | None = None

    def make_route(self, host: str | None = None, net: str | None = None,
                   gw: str | None = None, dev: str | None = None,
                   metric: int = 1) -> tuple[int, int, str, str, str, int]:
        """A route as a row of Scapy's IPv4 table: ``(network, netmask, gateway, iface,
        output address, metric)``, from ``host`` or ``net`` (``"a.b.c.d/len"``) and ``gw`` or
        ``dev`` (Scapy's ``make_route``)."""
        import ipaddress

        from paquet.errors import NetworkError, PaquetError

        if self.version != 4:
            raise PaquetError("conf.route6.add is not supported: add the route to the kernel "
                              "(ip -6 route add)")
        try:
            if host is not None:
                addr, plen = ipaddress.IPv4Address(host), 32
            elif net is not None:
                text, _, length = net.partition("/")
                addr, plen = ipaddress.IPv4Address(text), int(length)
            else:
                raise PaquetError("make_route: give a host or a net")
            mask = int(ipaddress.IPv4Network(f"0.0.0.0/{plen}").netmask)
        except ValueError as exc:
            raise PaquetError(f"make_route: {exc}") from None
        gateway = gw or "0.0.0.0"
        if dev is None:  # as Scapy: the interface towards the gateway (the default route's)
            try:
                dev, src, _ = self.route(gateway)
            except NetworkError:
                dev, src = "lo", "0.0.0.0"
        else:
            src = "0.0.0.0"  # as Scapy: the interface's address is not looked up
        # As Scapy, the network is kept as given (not masked).
        return (int(addr), mask, gateway, dev, src, int(metric))

    def add(self, *args: Any, **kwargs: Any) -> None:
        """Add a route to this table (Scapy's ``conf.route.add(net=..., gw=... | dev=...)``):
        :meth:`route` and :attr:`routes` see it; the kernel's table is not changed, so
        packets that the kernel routes (``send``) do not follow it."""
        self.invalidate_cache()
        self._added.append(self.make_route(*args, **kwargs))

    def delt(self, *args: Any, **kwargs: Any) -> None:
        """Remove a route :meth:`add` added (same arguments); ValueError if there is none."""
        from paquet.net import netlink

        self.invalidate_cache()
        entry = self.make_route(*args, **kwargs)
        try:
            self._added.remove(entry)
        except ValueError:
            raise ValueError("No matching route found!") from None
        table = self._tables.get(netlink.netns_id())
        if table is not None and entry in table:
            table.remove(entry)

    def _added_route(self, dst: str) -> tuple[str, str, str] | None:
        """The most specific added route towards ``dst``, if any."""
        import ipaddress

        try:
            addr = int(ipaddress.IPv4Address(dst))
        except ValueError:
            return None
        best = None
        for net, mask, gw, dev, src, metric in self._added:
            if addr & mask == net & mask and (best is None or (mask, -metric) > best[0]):
                best = ((mask, -metric), (dev, src, gw))
        return None if best is None else best[1]

    @property
    def routes(self) -> list[Any]:
        """The routing table as Scapy's ``conf.route.routes`` / ``conf.route6.routes``
        (see :func:`paquet.net.interfaces.read_routes`), read from the kernel when asked. A
        table assigned here, or edited (``ifadd``, ``ifchange``, ``ifdel``), is kept until
        :meth:`resync` or ``del``; while it is, IPv4 lookups (:meth:`route`) use it as
        Scapy's do."""
        from paquet.net import netlink

        table = self._tables.get(netlink.netns_id())
        if table is None:
            from paquet.net.interfaces import read_routes, read_routes6

            table = list(read_routes() if self.version == 4 else read_routes6())
        extra = [r for r in self._added if r not in table]
        return table + extra if extra else table

    @routes.setter
    def routes(self, value: list[Any]) -> None:
        from paquet.net import netlink

        self._tables[netlink.netns_id()] = list(value)

    @routes.deleter
    def routes(self) -> None:
        from paquet.net import netlink

        self._tables.pop(netlink.netns_id(), None)

    def _table(self) -> list[Any]:
        """The table kept here (read from the kernel on first use), to edit in place."""
        from paquet.net import netlink

        table = self._tables.get(netlink.netns_id())
        if table is None:
            table = self._tables[netlink.netns_id()] = list(self.routes)
        return table

    def ifchange(self, iff: str, addr: str) -> None:
        """Give interface ``iff`` the address ``addr`` (``"a.b.c.d/len"``, ``"x::y/len"``)
        in this table, as Scapy's ``ifchange``: its connected routes become the network of
        ``addr``, all its routes take ``addr`` as output address."""
        from paquet.net.route_table import changed_row

        self.invalidate_cache()
        table = self._table()
        for rows in (table, self._added):
            for i, row in enumerate(rows):
                if row[3] == iff:
                    rows[i] = changed_row(row, addr, self.version)
        if self.version == 6:
            self._ifaces = self.ipv6_ifaces | {iff}

    def ifdel(self, iff: str) -> None:
        """Remove every route through interface ``iff`` from this table (Scapy's
        ``ifdel``)."""
        self.invalidate_cache()
        self._table()[:] = [row for row in self._table() if row[3] != iff]
        self._added[:] = [row for row in self._added if row[3] != iff]
        if self.version == 6 and self._ifaces is not None:
            self._ifaces.discard(iff)

    def ifadd(self, iff: str, addr: str) -> None:
        """Add the connected route of ``addr`` (``"a.b.c.d/len"``, ``"x::y/len"``; a host
        when the length is left out) through interface ``iff``, as Scapy's ``ifadd``; IPv4
        lookups (:meth:`route`) use it."""
        from paquet.net.route_table import connected_row

        self.invalidate_cache()
        row = connected_row(iff, addr, self.version)
        self._table().append(row)
        if self.version == 4:
            self._added.append(row)
        else:
            self._ifaces = self.ipv6_ifaces | {iff}

    def get_if_bcast(self, iff: str) -> list[str]:
        """The broadcast addresses of interface ``iff``'s networks in this IPv4 table
        (default and host routes left out), as Scapy's ``get_if_bcast``."""
        from paquet.net.route_table import broadcasts

        return broadcasts(self.routes, iff)

    @property
    def ipv6_ifaces(self) -> set[str]:
        """The interfaces that IPv6 routes go through (Scapy's ``conf.route6.ipv6_ifaces``),
        from :attr:`routes` (a set assigned here is kept until :meth:`resync`)."""
        if self._ifaces is not None:
            return self._ifaces
        return {row[3] for row in self.routes} if self.version == 6 else set()

    @ipv6_ifaces.setter
    def ipv6_ifaces(self, value: set[str]) -> None:
        self._ifaces = set(value)

    def resync(self) -> None:
        """Read the routing table again (the routes :meth:`add` added are forgotten)."""
        self._tables.clear()
        self._added.clear()
        self._ifaces = None

    def invalidate_cache(self) -> None:
        """Forget the lookups kept for a second (:func:`paquet.net.route.clear_cache`)."""
        from paquet.net.route import clear_cache

        clear_cache()

    def __repr__(self) -> str:
        """The table, as Scapy prints ``conf.route`` / ``conf.route6``."""
        from paquet.tables import pretty_list

        def name(iface: str) -> str:
            from paquet.net.interfaces import resolve_iface

            try:
                return resolve_iface(iface).description
            except ValueError:
                return iface

        if self.version == 4:
            import socket

            def dotted(n: int) -> str:
                return socket.inet_ntoa((n & 0xFFFFFFFF).to_bytes(4, "big"))

            rows = [(dotted(net), dotted(msk), gw, name(iface), addr, str(metric))
                    for net, msk, gw, iface, addr, metric in self.routes]
            header = [("Network", "Netmask", "Gateway", "Iface", "Output IP", "Metric")]
            return pretty_list(rows, header)
        rows6 = [(f"{net}/{plen}", gw, name(iface), cset, str(metric))
                 for net, plen, gw, iface, cset, metric in self.routes]
        header6 = [("Destination", "Next Hop", "Iface", "Src candidates", "Metric")]
        return pretty_list(rows6, header6, sortBy=1)

    def route(self, dst: str | None = None, dev: str | None = None, verbose: int = 0) -> tuple[
        str, str, str
    ]:
        """``(iface, source address, gateway)`` for ``dst`` (default: the default route).

        >>> KernelRoutes(4).route("127.0.0.1")
        ('lo', '127.0.0.1', '0.0.0.0')
        """
        from paquet.errors import NetworkError
        from paquet.net import netlink
        from paquet.net.route import get_route

        unspecified = "0.0.0.0" if self.version == 4 else "::"
        if self.version == 4 and netlink.netns_id() in self._tables:
            return self._table_route(dst or unspecified, dev)
        if dst in (None, "", unspecified, "default"):
            hop = netlink.default_gateway(self.version)
            if hop is None:
                raise NetworkError(f"no default route (IPv{self.version})")
            iface, gateway = hop
            src = get_route(gateway, self.version, iface).src if gateway else None
            return iface, src or unspecified, gateway or unspecified
        added = self._added_route(dst.split("/")[0]) if self._added and dev is None else None
        if added is not None:
            return added
        info = get_route(dst.split("/")[0], self.version, dev)
        return info.ifname, info.src or unspecified, info.gateway or unspecified

    def _table_route(self, dst: str, dev: str | None,
                     via: bool = False) -> tuple[str, str, str]:
        """Scapy's lookup in a table of one's own (assigned to :attr:`routes` or edited): a
        route without output address takes the one towards its gateway."""
        from paquet.net.route_table import lookup4

        loopback = settings.loopback_name
        found = lookup4(self.routes, dst, dev, loopback)
        if found is None:
            return (dev or loopback, "0.0.0.0", "0.0.0.0")
        if found[1] == "0.0.0.0" and not via:
            found = (found[0], self._table_route(found[2], None, via=True)[1], found[2])
        return found


class Route(KernelRoutes):
    """Scapy's ``Route``: an IPv4 routing table of one's own, copied from the kernel's when
    made, then edited with ``add``/``delt``/``ifadd``/``ifchange``/``ifdel`` (``conf.route``
    is the table of the same kind that reads the kernel's each time)."""

    def __init__(self) -> None:
        super().__init__(4)
        self._table()


class Route6(KernelRoutes):
    """Scapy's ``Route6``: :class:`Route` for IPv6."""

    def __init__(self) -> None:
        super().__init__(6)
        self._table()


class _Matching:
    """A setting kept in :data:`paquet.packet.matching.matching` under another name."""

    def __init__(self, name: str, doc: str) -> None:
        self.name, self.__doc__ = name, doc

    def __get__(self, obj: object, owner: type | None = None) -> bool:
        from paquet.packet.matching import matching

        return bool(getattr(matching, self.name))

    def __set__(self, obj: object, value: bool) -> None:
        from paquet.packet.matching import matching

        setattr(matching, self.name, bool(value))


class Settings:
    """The settings of send, receive and capture (one instance: :data:`settings`); the
    defaults are Scapy's. Setting any other attribute is accepted, as Scapy's ``conf`` does."""

    def __init__(self) -> None:
        self.verb: int = 2
        self.checkIPaddr = True
        self.promisc: bool = False
        self.sniff_promisc: bool = False
        self.use_pcap: bool = False
        self.use_pypy: bool = sys.implementation.name == "pypy"
        self.debug_match: bool = False
        self.auto_fragment: bool = True
        # The AS-number resolver TracerouteResult.graph() clusters hops with (an object with
        # ``resolve(*ips)``); None: no clustering (Scapy's default asks a whois server).
        self.AS_resolver: Any = None
        self.route, self.route6 = KernelRoutes(4), KernelRoutes(6)
        self._iface: str | None = None
        self.loopback_name: str = "lo"
        self.stats_classic_protocols: list[Any] = ["TCP", "UDP", "ICMP"]
        # Scapy's conf.prog: the programs tcpdump()/tdecode()/wireshark() run (the temporary
        # files they write go to conf.temp_files, removed at exit).
        self.prog = SimpleNamespace(tcpdump="tcpdump", tshark="tshark", wireshark="wireshark")

    def __repr__(self) -> str:
        fields = ("verb", "iface", "checkIPaddr", "promisc")
        return "\n".join(f"{name:<12} = {getattr(self, name)!r}" for name in fields)

    # Scapy's switches for matching replies, kept by the engine (paquet.packet.matching).
    checkIPaddr = _Matching("check_ip_addr", "An answer's IP source must be the probe's "
                            "destination (True, as Scapy); False: IP.answers compares no "
                            "addresses (a broadcast probe, a NAT).")
    checkIPsrc = _Matching("check_ip_src", "An ICMP error's quoted source must be the "
                           "probe's (True, as Scapy).")
    checkIPID = _Matching("check_ip_id", "An ICMP error's quoted IP id must be the probe's "
                          "(False, as Scapy).")
    checkIPinIP = _Matching("check_ip_in_ip", "IP-in-IP and 6in4 packets answer only as "
                            "themselves (True, as Scapy); False looks through the outer header.")

    @property
    def use_bpf(self) -> bool:
        """Scapy's switch to BSD's BPF devices: always False here (Linux); setting it True
        raises :class:`~paquet.errors.PaquetError`, as Scapy does off BSD."""
        return False

    @use_bpf.setter
    def use_bpf(self, value: bool) -> None:
        from paquet.errors import PaquetError

        if value:
            raise PaquetError("BSD-like (OSX, *BSD...) only !")

    @property
    def mib(self) -> Any:
        """The names of OIDs (Scapy's ``conf.mib``, :data:`paquet.asn1.mib.mib`), filled
        further by :func:`paquet.asn1.mib.load_mib`."""
        from paquet.asn1.mib import mib

        return mib

    @property
    def manufdb(self) -> Any:
        """MAC vendor names (Scapy's ``conf.manufdb``, a :class:`paquet.manuf.ManufDA`), read
        from Wireshark's ``manuf`` file on first use; empty without the file."""
        db = self.__dict__.get("_manufdb")
        if db is None:
            from paquet.manuf import default_manufdb

            db = self.__dict__["_manufdb"] = default_manufdb()
        return db

    @manufdb.setter
    def manufdb(self, value: Any) -> None:
        self.__dict__["_manufdb"] = value

    @property
    def iface(self) -> str:
        """The default interface: the one set by the user, else the default route's, else lo;
        a :class:`~paquet.net.interfaces.NetworkInterface` (a string, with ``index``, ``mac``,
        ``ips``...) when the interface exists, else its name."""
        from paquet.net import netlink
        from paquet.net.interfaces import resolve_iface

        name = self._iface or (
            netlink.default_interface(4) or netlink.default_interface(6) or self.loopback_name
        )
        try:
            return resolve_iface(name)
        except (ValueError, OSError):
            return name

    @iface.setter
    def iface(self, value: str | None) -> None:
        self._iface = str(value) if value else None

    @property
    def ifaces(self) -> Any:
        """The interfaces (:class:`~paquet.net.interfaces.NetworkInterfaceDict`), printed as
        Scapy's table."""
        from paquet.net.interfaces import ifaces

        return ifaces

    @property
    def color_theme(self) -> Any:
        """The colour theme of what is printed (:mod:`paquet.themes`): the one set, else
        DefaultTheme on a terminal without ``NO_COLOR``, NoTheme otherwise. A theme class
        or its name is accepted too (``conf.color_theme = "BrightTheme"``)."""
        from paquet.themes import get_theme

        return get_theme()

    @color_theme.setter
    def color_theme(self, value: Any) -> None:
        from paquet import themes

        if isinstance(value, str):
            value = getattr(themes, value, None) if value in themes.__all__ else value
        if isinstance(value, type) and issubclass(value, themes.ColorTheme):
            value = value()
        themes.set_theme(value)

    @property
    def auto_crop_tables(self) -> bool:
        """Whether the tables of ``conf.ifaces``, ``conf.route``... are cut to the terminal."""
        from paquet.tables import CROP_TABLES

        return CROP_TABLES[0]

    @auto_crop_tables.setter
    def auto_crop_tables(self, value: bool) -> None:
        from paquet.tables import CROP_TABLES

        CROP_TABLES[0] = bool(value)

    @property
    def contribs(self) -> dict[str, Any]:
        """Scapy's ``conf.contribs``: the switches of the protocols that have some
        (``conf.contribs["http"]["auto_compression"] = False``)."""
        import paquet.layers  # noqa: F401  (each protocol registers its entry)
        from paquet.layers._contrib import CONTRIBS

        return CONTRIBS

    @property
    def raw_layer(self) -> Any:
        """The layer of bytes no other layer claims (``Raw``)."""
        from paquet.layers import Raw

        return Raw

    @property
    def padding_layer(self) -> Any:
        """The layer of the bytes after a packet's end (``Padding``)."""
        from paquet.layers import Padding

        return Padding

    @property
    def temp_files(self) -> list[str]:
        """The temporary files and directories removed at exit (``get_temp_file``)."""
        from paquet.utils import _temp_paths

        return _temp_paths()


settings = Settings()
"""What send, sr, sniff and the sockets read; ``conf`` (Scapy's name) writes here."""
