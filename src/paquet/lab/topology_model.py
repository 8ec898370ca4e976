"""The lab topology model: what a validated topology is made of (nodes, links, interfaces,
routes, services, firewalls) and the limits and name rules a topology file is checked against.

Plain data: :mod:`paquet.lab.topology` reads a TOML file into these classes,
:mod:`paquet.lab.topology_plan` numbers the interfaces and computes the routes.

>>> Route(4, "default", ("198.51.100.2",)).__str__()
'default via 198.51.100.2'
>>> str(PortRule("tcp", 100, 200)), PortRule("udp", 53, 53).nft
('tcp:100-200', 'udp dport 53')
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from paquet.lab.zone import ServerSpec

__all__ = [
    "DOC_V4",
    "DOC_V6",
    "Firewall",
    "Interface",
    "LinkSpec",
    "NodeSpec",
    "PortRule",
    "Route",
    "ServiceSpec",
    "Topology",
]

#: The IPv4 documentation ranges (RFC 5737): the only IPv4 networks a lab may use.
DOC_V4 = (
    ipaddress.IPv4Network("192.0.2.0/24"),
    ipaddress.IPv4Network("198.51.100.0/24"),
    ipaddress.IPv4Network("203.0.113.0/24"),
)
#: The IPv6 documentation range (RFC 3849).
DOC_V6 = ipaddress.IPv6Network("2001:db8::/32")

NODE_KINDS = ("host", "router")
SERVICE_KINDS = ("udp", "tcp", "http")
RP_FILTER = {"off": 0, "strict": 1, "loose": 2}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,14}$")
ZONE_RE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LAB_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,23}$")
RATE_RE = re.compile(r"^\d+(\.\d+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$")
TIME_RE = re.compile(r"^\d+(\.\d+)?(us|ms|s)$")
RANGE_RE = re.compile(r"\{(\d+|[a-z_]+)\.\.(\d+|[a-z_]+)\}")
MAX_INTERFACES = 64
#: Limits on a topology, checked before anything is expanded or built (``docs/lab.md``):
#: a lab this size still builds on a laptop in seconds (every node and switch is a namespace).
MAX_NODES = 250
MAX_LINKS = 250
#: the number of link ends (interfaces) in the whole lab
MAX_LINK_ENDS = 1000
#: services, firewall rules (drop, reject) and explicit routes of one node, each
MAX_ITEMS = 256

V4Net = ipaddress.IPv4Network
V6Net = ipaddress.IPv6Network
AnyNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ServiceSpec:
    """One service on one port: ``udp`` or ``tcp`` (log what arrives, optionally echo it), ``http``.

    ``key`` (``"udp:10000"``) names it, e.g. for :meth:`paquet.lab.Node.logs`.
    """

    kind: str
    port: int
    echo: bool = False

    @property
    def key(self) -> str:
        """The service's name: ``kind:port``."""
        return f"{self.kind}:{self.port}"

    def __str__(self) -> str:
        return self.key + (":echo" if self.echo else "")


@dataclass(frozen=True)
class PortRule:
    """A port range of one transport protocol, as a firewall rule matches it."""

    proto: str
    first: int
    last: int

    def __str__(self) -> str:
        ports = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.proto}:{ports}"

    @property
    def nft(self) -> str:
        """The nft match: ``tcp dport 23`` or ``udp dport 100-200``."""
        ports = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.proto} dport {ports}"


@dataclass(frozen=True)
class Firewall:
    """A node's filter on what it receives: dropped ports look filtered, rejected ones closed."""

    drop: tuple[PortRule, ...] = ()
    reject: tuple[PortRule, ...] = ()
    ping: bool = True

    def __bool__(self) -> bool:
        return bool(self.drop or self.reject or not self.ping)


@dataclass(frozen=True)
class Route:
    """A static route: ``dst`` (a network or ``"default"``), next hops ``via`` (several = ECMP)."""

    family: int
    dst: str
    via: tuple[str, ...]
    auto: bool = True

    def __str__(self) -> str:
        return f"{self.dst} via {', '.join(self.via)}"


@dataclass
class NodeSpec:
    """A node as the topology declares it."""

    name: str
    kind: str = "host"
    services: tuple[ServiceSpec, ...] = ()
    firewall: Firewall = field(default_factory=Firewall)
    silent: bool = False
    rp_filter: str = "off"
    forwarding: bool = False
    auto_routes: bool = True
    routes: tuple[Route, ...] = ()
    sysctls: tuple[tuple[str, str], ...] = ()
    description: str = ""
    #: Debian servers run inside the node (``paquet.lab.zone``): dns, resolver, dhcp:LINK...
    servers: tuple[ServerSpec, ...] = ()


@dataclass
class LinkSpec:
    """A link as the topology declares it (members, subnets, impairments per sending node)."""

    name: str
    members: tuple[str, ...]
    subnet4: V4Net | None = None
    subnet6: V6Net | None = None
    address: dict[str, tuple[int | None, str | None, str | None]] = field(default_factory=dict)
    loss: dict[str, float] = field(default_factory=dict)
    rate: dict[str, str] = field(default_factory=dict)
    delay: dict[str, str] = field(default_factory=dict)
    jitter: dict[str, str] = field(default_factory=dict)

    @property
    def is_lan(self) -> bool:
        """True for a link with more than two members (built as a switch)."""
        return len(self.members) > 2


@dataclass(frozen=True)
class Interface:
    """One node's interface on one link, with its addresses (``ipaddress`` interfaces)."""

    node: str
    name: str
    link: str
    v4: ipaddress.IPv4Interface | None
    v6: ipaddress.IPv6Interface | None
    peers: tuple[str, ...]
    #: a stable MAC address, 02:00:00:NN:NN:II (node number, interface number)
    mac: str = ""

    def addresses(self) -> list[str]:
        """The interface's addresses without prefix length, IPv4 first."""
        return [str(a.ip) for a in (self.v4, self.v6) if a is not None]


@dataclass
class Topology:
    """A validated topology: nodes, links, every interface's addresses and every node's routes."""

    name: str
    description: str
    params: dict[str, int]
    ipv6: bool
    icmp_ratelimit: str
    nodes: dict[str, NodeSpec]
    links: list[LinkSpec]
    interfaces: dict[str, list[Interface]]
    routes: dict[str, list[Route]]
    source: str = ""
    #: the lab's DNS zone (``zone = "tp.example"``); empty: ``NAME.example``
    zone: str = ""

    def hosts(self) -> list[str]:
        """Names of the nodes that are hosts (not routers), in declaration order."""
        return [n for n, spec in self.nodes.items() if spec.kind == "host"]

    def addresses(self, node: str, version: int | None = None) -> list[str]:
        """Every address of ``node`` (of one IP version when given), in interface order."""
        out: list[str] = []
        for itf in self.interfaces[node]:
            if version in (None, 4) and itf.v4 is not None:
                out.append(str(itf.v4.ip))
        for itf in self.interfaces[node]:
            if version in (None, 6) and itf.v6 is not None:
                out.append(str(itf.v6.ip))
        return out
