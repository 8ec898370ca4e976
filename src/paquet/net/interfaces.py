"""Network interfaces and routing tables as Scapy shows them: ``conf.ifaces``, ``conf.iface``,
``get_if_list``, ``get_if_addr``, ``get_if_hwaddr``, ``get_working_if``, and the tables of
``conf.route`` / ``conf.route6`` (``read_routes``, ``read_routes6``).

Everything is read from the kernel over rtnetlink (links, addresses and routes, as ``ip -j
link``, ``ip -j addr`` and ``ip -j route show table all`` print them) in the network
namespace of the calling thread; nothing is read at import, and a reading is reused for a
second per namespace (a table the user changed is kept until ``reload()``/``resync()``).
Nothing here sends a packet.

>>> get_if_addr("lo"), get_if_hwaddr("lo")
('127.0.0.1', '00:00:00:00:00:00')
"""

from __future__ import annotations

import ipaddress
import itertools
import socket
import struct
import time
from collections import UserDict, defaultdict
from typing import Any

from paquet.errors import NetworkError
from paquet.net import netlink
from paquet.net.netlink import (
    _RTMSG,
    IFF_LOOPBACK,
    IFF_UP,
    NLM_F_DUMP,
    RTA_DST,
    RTA_GATEWAY,
    RTA_OIF,
    RTA_PREFSRC,
    RTA_TABLE,
    RTM_GETROUTE,
    RTM_NEWROUTE,
    _attrs,
    _request,
)

__all__ = [
    "IFF_FLAGS",
    "InterfaceProvider",
    "NetworkInterface",
    "NetworkInterfaceDict",
    "dev_from_index",
    "dev_from_networkname",
    "get_if_addr",
    "get_if_addr6",
    "get_if_hwaddr",
    "get_if_list",
    "get_if_raw_addr",
    "get_if_raw_addr6",
    "get_if_raw_hwaddr",
    "get_working_if",
    "get_working_ifaces",
    "ifaces",
    "in6_getifaddr",
    "network_name",
    "read_routes",
    "read_routes6",
    "resolve_iface",
    "show_interfaces",
]

#: The names of the interface flags (``IFF_*``), bit 0 first, as ``ip link`` and Scapy name them.
IFF_FLAGS = (
    "UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTTOPOINT", "NOTRAILERS", "RUNNING", "NOARP",
    "PROMISC", "ALLMULTI", "MASTER", "SLAVE", "MULTICAST", "PORTSEL", "AUTOMEDIA", "DYNAMIC",
    "LOWER_UP", "DORMANT", "ECHO",
)
IFF_MULTICAST = 0x1000

# rtnetlink (linux/rtnetlink.h, if_link.h, if_addr.h); the route ones are netlink.py's.
RTM_NEWLINK = 16
RTM_GETLINK = 18
RTM_NEWADDR = 20
RTM_GETADDR = 22
IFLA_ADDRESS = 1
IFLA_IFNAME = 3
IFA_ADDRESS = 1
IFA_LOCAL = 2
RTA_PRIORITY = 6
RT_TABLE_MAIN = 254
RT_TABLE_LOCAL = 255
_IFINFOMSG = struct.Struct("=BxHiII")  # family, type, index, flags, change
_IFADDRMSG = struct.Struct("=BBBBI")  # family, prefix length, flags, scope, index

#: Seconds a reading of the interfaces is reused (as :mod:`paquet.net.route`'s lookups).
FRESH_FOR = 1.0

# Scapy's IPv6 address scopes (scapy.utils6: IPV6_ADDR_*).
SCOPE_GLOBAL, SCOPE_LOOPBACK, SCOPE_LINKLOCAL, SCOPE_SITELOCAL = 0x00, 0x10, 0x20, 0x40


def _flag_text(flags: int) -> str:
    return "+".join(name for bit, name in enumerate(IFF_FLAGS) if flags >> bit & 1)


def in6_scope(addr: str) -> int:
    """Scapy's scope of an IPv6 address (``in6_getscope``): global (and unique local),
    link-local, site-local, loopback, or -1.

    >>> in6_scope("2001:db8::1") == SCOPE_GLOBAL, in6_scope("fe80::1") == SCOPE_LINKLOCAL
    (True, True)
    """
    a = ipaddress.IPv6Address(addr.split("%", 1)[0])
    first = int(a) >> 112
    if first >> 13 == 1 or first >> 9 == 0x7E:  # 2000::/3, fc00::/7
        return SCOPE_GLOBAL
    if first >> 6 == 0x3FA:  # fe80::/10
        return SCOPE_LINKLOCAL
    if first >> 6 == 0x3FB:  # fec0::/10
        return SCOPE_SITELOCAL
    if first >> 8 == 0xFF:
        return {0xE: SCOPE_GLOBAL, 0x2: SCOPE_LINKLOCAL, 0x5: SCOPE_SITELOCAL,
                0x1: SCOPE_LOOPBACK}.get(first & 0xF, -1)
    return SCOPE_LOOPBACK if int(a) == 1 else -1


# ---------------------------------------------------------------------------------------------
# Reading the kernel's tables


def _dump(msg_type: int, body: bytes) -> list[tuple[int, bytes]]:
    try:
        return _request(msg_type, NLM_F_DUMP, body)
    except OSError as e:
        raise NetworkError(f"cannot read the kernel's tables over rtnetlink: {e}") from None


def read_addresses(family: int = socket.AF_UNSPEC) -> dict[int, list[dict[str, Any]]]:
    """The addresses of every interface (``ip -j addr``), by interface index: dicts with
    ``af_family``, ``index``, ``address`` (the local address), ``prefixlen`` and, for IPv6,
    Scapy's ``scope``."""
    out: dict[int, list[dict[str, Any]]] = {}
    for kind, payload in _dump(RTM_GETADDR, _IFADDRMSG.pack(family, 0, 0, 0, 0)):
        if kind != RTM_NEWADDR or len(payload) < _IFADDRMSG.size:
            continue
        fam, plen, _flags, _scope, index = _IFADDRMSG.unpack_from(payload)
        attrs = _attrs(payload, _IFADDRMSG.size)
        raw = attrs.get(IFA_LOCAL, attrs.get(IFA_ADDRESS))
        if raw is None or fam not in (socket.AF_INET, socket.AF_INET6):
            continue
        entry: dict[str, Any] = {
            "af_family": fam, "index": index, "address": socket.inet_ntop(fam, raw),
            "prefixlen": plen,
        }
        if fam == socket.AF_INET6:
            entry["scope"] = in6_scope(entry["address"])
        out.setdefault(index, []).append(entry)
    return out


def read_links() -> dict[int, dict[str, Any]]:
    """Every interface (``ip -j link``) with its addresses, by index: dicts with ``name``,
    ``index``, ``flags``, ``mac``, ``type`` (ARPHRD) and ``ips`` (see :func:`read_addresses`)."""
    addresses = read_addresses()
    out: dict[int, dict[str, Any]] = {}
    for kind, payload in _dump(RTM_GETLINK, _IFINFOMSG.pack(socket.AF_UNSPEC, 0, 0, 0, 0)):
        if kind != RTM_NEWLINK or len(payload) < _IFINFOMSG.size:
            continue
        _fam, hwtype, index, flags, _change = _IFINFOMSG.unpack_from(payload)
        attrs = _attrs(payload, _IFINFOMSG.size)
        name = attrs.get(IFLA_IFNAME)
        if name is None:
            continue
        hw = attrs.get(IFLA_ADDRESS)
        out[index] = {
            "name": name.rstrip(b"\0").decode(errors="replace"),
            "index": index,
            "flags": flags,
            "mac": ":".join(f"{b:02x}" for b in hw) if hw else "00:00:00:00:00:00",
            "type": hwtype,
            "ips": addresses.get(index, []),
        }
    return out


def _route_dump(family: int) -> list[tuple[int, dict[int, bytes]]]:
    """The routes of the local and main tables: (prefix length, attributes)."""
    out = []
    for kind, payload in _dump(RTM_GETROUTE, _RTMSG.pack(family, 0, 0, 0, 0, 0, 0, 0, 0)):
        if kind != RTM_NEWROUTE or len(payload) < _RTMSG.size:
            continue
        fam, dst_len, _sl, _tos, table, *_rest = _RTMSG.unpack_from(payload)
        attrs = _attrs(payload, _RTMSG.size)
        if RTA_TABLE in attrs:
            (table,) = struct.unpack("=I", attrs[RTA_TABLE][:4])
        if fam == family and table in (RT_TABLE_LOCAL, RT_TABLE_MAIN):
            out.append((table, dst_len, attrs))
    # As Scapy asks for them: the local table first, then the main one.
    return [(plen, attrs) for table, plen, attrs in sorted(out, key=lambda r: -r[0])]


def _u32(raw: bytes) -> int:
    return int(struct.unpack("=I", raw[:4])[0])


def read_routes() -> list[tuple[int, int, str, str, str, int]]:
    """The IPv4 routes as Scapy's ``conf.route.routes``: ``(network, netmask, gateway,
    interface, source address, metric)``, network and netmask as numbers, with a multicast
    route (224.0.0.0/4, metric 250) for each multicast interface that has an address."""
    links = read_links()
    routes = []
    for plen, attrs in _route_dump(socket.AF_INET):
        oif = _u32(attrs[RTA_OIF]) if RTA_OIF in attrs else None
        iface = "" if oif is None else links[oif]["name"] if oif in links else str(oif)
        routes.append((
            int.from_bytes(attrs[RTA_DST][:4], "big") if RTA_DST in attrs else 0,
            (0xFFFFFFFF00000000 >> plen) & 0xFFFFFFFF,
            socket.inet_ntop(socket.AF_INET, attrs[RTA_GATEWAY]) if RTA_GATEWAY in attrs
            else "0.0.0.0",
            iface,
            socket.inet_ntop(socket.AF_INET, attrs[RTA_PREFSRC]) if RTA_PREFSRC in attrs
            else "0.0.0.0",
            _u32(attrs[RTA_PRIORITY]) if RTA_PRIORITY in attrs else 0,
        ))
    for link in links.values():
        v4 = [ip["address"] for ip in link["ips"] if ip["af_family"] == socket.AF_INET]
        if link["flags"] & IFF_MULTICAST and v4:
            routes.append((0xE0000000, 0xF0000000, "0.0.0.0", link["name"], v4[0], 250))
    return routes


def _candidates(prefix: str, plen: int, addrs: list[tuple[str, int]]) -> list[str]:
    """The source candidates of a route to ``prefix/plen`` among an interface's ``(address,
    scope)``: those of the prefix's scope, global ones first (Scapy's
    ``construct_source_candidate_set``)."""
    if prefix == "::" and plen == 0:
        scope = SCOPE_GLOBAL
    elif prefix == "::1":
        scope = SCOPE_LOOPBACK
    else:
        scope = in6_scope(prefix)
        if scope == SCOPE_LOOPBACK:  # ff01::/16 (node-local multicast): the loopback address
            return ["::1"]
    if scope == -1:
        return []
    found = [a for a, s in addrs if s == scope]
    return sorted(found, key=lambda a: in6_scope(a) != SCOPE_GLOBAL)


def read_routes6() -> list[tuple[str, int, str, str, list[str], int]]:
    """The IPv6 routes as Scapy's ``conf.route6.routes``: ``(prefix, prefix length, next hop,
    interface, source candidates, metric)``; a route without a candidate is left out, and a
    multicast route (ff00::/8, metric 250) is added for each multicast interface with IPv6."""
    links = read_links()
    routes = []
    for plen, attrs in _route_dump(socket.AF_INET6):
        oif = _u32(attrs[RTA_OIF]) if RTA_OIF in attrs else 0
        iface = links[oif]["name"] if oif in links else (str(oif) if oif else "")
        prefix = socket.inet_ntop(socket.AF_INET6, attrs[RTA_DST]) if RTA_DST in attrs else "::"
        addrs = [(ip["address"], ip["scope"]) for ip in links.get(oif, {}).get("ips", [])
                 if ip["af_family"] == socket.AF_INET6]
        cset = _candidates(prefix, plen, addrs)
        if cset:
            routes.append((
                prefix, plen,
                socket.inet_ntop(socket.AF_INET6, attrs[RTA_GATEWAY]) if RTA_GATEWAY in attrs
                else "::",
                iface, cset, _u32(attrs[RTA_PRIORITY]) if RTA_PRIORITY in attrs else 0,
            ))
    for link in links.values():
        v6 = [ip["address"] for ip in link["ips"] if ip["af_family"] == socket.AF_INET6]
        if link["flags"] & IFF_MULTICAST and v6:
            routes.append(("ff00::", 8, "::", link["name"], v6, 250))
    return routes


def in6_getifaddr() -> list[tuple[str, int, str]]:
    """Every IPv6 address of the host: ``(address, Scapy's scope, interface)``."""
    links = read_links()
    return [
        (ip["address"], ip["scope"], links[index]["name"])
        for index, ips in read_addresses(socket.AF_INET6).items() if index in links
        for ip in ips
    ]


# ---------------------------------------------------------------------------------------------
# Interfaces


class InterfaceProvider:
    """Where interfaces come from, and how ``conf.ifaces`` shows them (Scapy's class; the
    Linux one is ``sys``)."""

    name = "Unknown"
    headers: tuple[str, ...] = ("Index", "Name", "MAC", "IPv4", "IPv6")
    header_sort = 1
    libpcap = False

    def load(self) -> dict[str, NetworkInterface]:
        """The interfaces, by name (none for this base class)."""
        return {}

    def reload(self) -> dict[str, NetworkInterface]:
        """:meth:`load` again."""
        return self.load()

    def _is_valid(self, dev: NetworkInterface) -> bool:
        return bool((dev.ips[4] or dev.ips[6]) and dev.mac)

    def _format(self, dev: NetworkInterface, **kwargs: Any) -> tuple[Any, ...]:
        return (str(dev.index), dev.description, dev.mac or "", dev.ips[4], dev.ips[6])

    def __repr__(self) -> str:
        return f"<InterfaceProvider: {self.name}>"


class LinuxInterfaceProvider(InterfaceProvider):
    """The interfaces of the current network namespace, read over rtnetlink; an interface
    is valid (usable) when it is up."""

    name = "sys"

    def _is_valid(self, dev: NetworkInterface) -> bool:
        return bool(dev.flags & IFF_UP)

    def load(self) -> dict[str, NetworkInterface]:
        out = {}
        for link in read_links().values():
            data = dict(link, network_name=link["name"], description=link["name"],
                        ips=[ip["address"] for ip in link["ips"]])
            out[link["name"]] = NetworkInterface(self, data)
        return out


class NetworkInterface(str):
    """One interface (Scapy's ``NetworkInterface``): a string, its name, so that it goes
    wherever an interface name goes, with ``index``, ``mac``, ``ip``, ``ips`` (``{4: [...],
    6: [...]}``), ``flags``, ``type``, ``description`` and ``provider``.

    ``NetworkInterface(provider, {"name": ..., "ips": [...], ...})`` builds one.
    """

    provider: InterfaceProvider
    name: str
    description: str
    network_name: str
    index: int  # type: ignore[assignment]  # (Scapy's attribute hides str.index)
    ip: str | None
    ips: defaultdict[int, list[str]]
    type: int
    mac: str | None
    flags: int
    dummy: bool

    def __new__(cls, provider: InterfaceProvider, data: dict[str, Any] | None = None) -> Any:
        data = data or {}
        self = super().__new__(cls, data.get("network_name") or data.get("name", ""))
        self.provider = provider
        self.ips = defaultdict(list)
        self.update(data)
        return self

    def update(self, data: dict[str, Any]) -> None:
        """Set the attributes from a provider's dict (``name``, ``ips``, ``mac``...)."""
        self.name = data.get("name", "")
        self.description = data.get("description", "")
        self.network_name = data.get("network_name", "")
        self.index = data.get("index", 0)
        self.ip = data.get("ip", "")
        self.type = data.get("type", -1)
        self.mac = data.get("mac", "")
        self.flags = data.get("flags", 0)
        self.dummy = data.get("dummy", False)
        for ip in data.get("ips", []):
            self.ips[6 if ":" in ip else 4].append(ip)
        if self.ips[4] and not self.ip:
            self.ip = self.ips[4][0]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NetworkInterface):
            return vars(self) == vars(other)
        if isinstance(other, str):
            return other in (self.name, self.network_name, self.description)
        return False

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self.network_name)

    def __str__(self) -> str:
        return self.network_name

    def __repr__(self) -> str:
        state = "dummy" if self.dummy else (_flag_text(self.flags) if self.flags else "")
        return f"<{type(self).__name__} {self.description} [{state}]>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (self.network_name,))

    def is_valid(self) -> bool:
        """Whether the interface can be used (up, for Linux interfaces; never for a dummy)."""
        return not self.dummy and self.provider._is_valid(self)


class NetworkInterfaceDict(UserDict[str, NetworkInterface]):
    """``conf.ifaces``: the interfaces by name, read on first use (per network namespace);
    printed as Scapy's table (``Source Index Name MAC IPv4 IPv6``)."""

    def __init__(self) -> None:
        super().__init__()  # (its "self.data = {}" is dropped: nothing read yet)
        self.providers: dict[type, InterfaceProvider] = {
            LinuxInterfaceProvider: LinuxInterfaceProvider()
        }
        # netns -> (when read, interfaces); a table the user changed is kept (time None).
        self._by_netns: dict[int, tuple[float | None, dict[str, NetworkInterface]]] = {}

    @property
    def data(self) -> dict[str, NetworkInterface]:
        key = netlink.netns_id()
        now = time.monotonic()
        read_at, found = self._by_netns.get(key, (0.0, None))
        if found is None or (read_at is not None and now - read_at >= FRESH_FOR):
            found = {}
            for prov in self.providers.values():
                for name, dev in prov.load().items():
                    found.setdefault(name, dev)
            self._by_netns[key] = (now, found)
        return found

    @data.setter
    def data(self, value: dict[str, NetworkInterface]) -> None:
        if hasattr(self, "_by_netns"):
            self._by_netns[netlink.netns_id()] = (None, dict(value))

    def reload(self) -> None:
        """Read the interfaces again (and forget the changes made to the table)."""
        self._by_netns.pop(netlink.netns_id(), None)

    def register_provider(self, provider: type) -> None:
        """Add a provider class (its interfaces join the next reading)."""
        self.providers[provider] = provider()
        self.reload()

    def dev_from_name(self, name: str) -> NetworkInterface:
        """The interface whose name or description is ``name``; ValueError when none."""
        for dev in self.values():
            if name in (dev.name, dev.description):
                return dev
        raise ValueError(f"Unknown network interface {name!r}")

    def dev_from_networkname(self, network_name: str) -> NetworkInterface:
        """The interface whose system name is ``network_name``; ValueError when none."""
        for dev in self.values():
            if dev.network_name == network_name:
                return dev
        raise ValueError(f"Unknown network interface {network_name!r}")

    def dev_from_index(self, if_index: int | str) -> NetworkInterface:
        """The interface with index ``if_index``; ValueError when none."""
        index = int(if_index)
        for dev in self.values():
            if dev.index == index:
                return dev
        raise ValueError(f"Unknown network interface index {if_index!r}")

    def _add_fake_iface(
        self, ifname: str, mac: str = "00:00:00:00:00:00", ips: list[str] | None = None
    ) -> None:
        """Add a dummy interface (for tests: never valid, never used to send)."""
        data = {"name": ifname, "description": ifname, "network_name": ifname,
                "index": -1000, "dummy": True, "mac": mac, "flags": 0,
                "ips": ["127.0.0.1", "::"] if ips is None else ips}
        table = dict(self.data)
        table[ifname] = NetworkInterface(InterfaceProvider(), data)
        self.data = table  # kept until reload()

    def show(self, print_result: bool = True, hidden: bool = False, **kwargs: Any) -> str | None:
        """Print (or return) the table of the interfaces, one per provider; ``hidden`` also
        lists those that are not valid (down)."""
        from paquet.tables import pretty_list

        groups: dict[tuple[tuple[str, ...], int], list[tuple[Any, ...]]] = {}
        for name in sorted(self.data):
            dev = self.data[name]
            if not hidden and not dev.is_valid():
                continue
            prov = dev.provider
            groups.setdefault((prov.headers, prov.header_sort), []).append(
                (prov.name, *prov._format(dev, **kwargs))
            )
        text = "\n".join(
            pretty_list(rows, [("Source", *headers)], sortBy=sort)
            for (headers, sort), rows in groups.items()
        )
        if print_result:
            print(text)
            return None
        return text

    def __repr__(self) -> str:
        return self.show(print_result=False) or ""


ifaces = NetworkInterfaceDict()
"""``conf.ifaces``."""


def resolve_iface(dev: str, retry: bool = True) -> NetworkInterface:
    """The interface named ``dev`` (an interface passes through); the interfaces are read
    again once when it is not known. ValueError when there is none."""
    if isinstance(dev, NetworkInterface):
        return dev
    for lookup in (ifaces.dev_from_name, ifaces.dev_from_networkname):
        try:
            return lookup(dev)
        except ValueError:
            pass
    if not retry:
        raise ValueError(f"Interface {dev!r} not found !")
    ifaces.reload()
    return resolve_iface(dev, retry=False)


def network_name(dev: str) -> str:
    """The system name of an interface given by name or object."""
    return resolve_iface(dev).network_name


def dev_from_networkname(network_name: str) -> NetworkInterface:
    """``conf.ifaces.dev_from_networkname``."""
    return ifaces.dev_from_networkname(network_name)


def dev_from_index(if_index: int) -> NetworkInterface:
    """``conf.ifaces.dev_from_index``."""
    return ifaces.dev_from_index(if_index)


def show_interfaces(resolve_mac: bool = True) -> None:
    """Print ``conf.ifaces``."""
    ifaces.show(resolve_mac=resolve_mac)


def get_if_list() -> list[str]:
    """The names of the interfaces (``conf.ifaces``' keys), in the kernel's order.

    >>> "lo" in get_if_list()
    True
    """
    return list(ifaces.keys())


def get_working_ifaces() -> list[NetworkInterface]:
    """The interfaces that are up."""
    return [dev for dev in ifaces.values() if dev.is_valid()]


def get_working_if() -> NetworkInterface | None:
    """An interface that works: that of the route with the shortest prefix (the default
    route when there is one), else any valid one, else the loopback, else None."""
    routes = sorted(read_routes(), key=lambda r: r[1])
    for name in itertools.chain((r[3] for r in routes), ifaces.values()):
        try:
            dev = ifaces.dev_from_networkname(name)
        except ValueError:
            continue
        if dev.is_valid():
            return dev
    return next((dev for dev in ifaces.values() if dev.flags & IFF_LOOPBACK), None)


def _resolve(iff: str) -> NetworkInterface:
    try:
        return resolve_iface(iff)
    except ValueError:
        raise NetworkError(f"no such interface: {iff!r}") from None


def get_if_raw_addr(iff: str) -> bytes:
    """The first IPv4 address of an interface as 4 bytes (zeros when it has none).

    >>> get_if_raw_addr("lo")
    b'\\x7f\\x00\\x00\\x01'
    """
    dev = _resolve(iff)
    return socket.inet_aton(dev.ip) if dev.ip else b"\0" * 4


def get_if_addr(iff: str) -> str:
    """The first IPv4 address of an interface (``0.0.0.0`` when it has none)."""
    return socket.inet_ntoa(get_if_raw_addr(iff))


def get_if_hwaddr(iff: str) -> str:
    """The MAC address of an interface."""
    return _resolve(iff).mac or "00:00:00:00:00:00"


def get_if_raw_hwaddr(iff: str) -> tuple[int, bytes]:
    """``(ARPHRD type, MAC as 6 bytes)`` of an interface (Scapy's on Unix).

    >>> get_if_raw_hwaddr("lo")
    (772, b'\\x00\\x00\\x00\\x00\\x00\\x00')
    """
    dev = _resolve(iff)
    mac = bytes(int(part, 16) for part in (dev.mac or "0:0:0:0:0:0").split(":"))
    return dev.type, (mac + b"\0" * 6)[:6]


def get_if_addr6(niff: str) -> str | None:
    """The first global IPv6 address of an interface (its loopback address for the loopback
    interface), None when it has none.

    >>> get_if_addr6("lo")
    '::1'
    """
    dev = resolve_iface(niff)
    name = dev.network_name
    scope = SCOPE_LOOPBACK if dev.flags & IFF_LOOPBACK else SCOPE_GLOBAL
    return next((a for a, s, i in in6_getifaddr() if i == name and s == scope), None)


def get_if_raw_addr6(iff: str) -> bytes | None:
    """:func:`get_if_addr6` as 16 bytes (None when there is none)."""
    addr = get_if_addr6(iff)
    return None if addr is None else socket.inet_pton(socket.AF_INET6, addr)

