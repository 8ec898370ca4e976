"""The lab's real servers as a topology declares them, and the DNS zone made from its nodes.

A node's ``servers`` list names Debian servers the lab runs inside it (``paquet.lab.servers``
starts them): ``dns`` (dnsmasq, authoritative for the lab's zone), ``resolver`` (dnsmasq,
forwarding the zone to the ``dns`` node), ``dhcp:LINK`` (dnsmasq, a DHCP and DHCPv6 server on
LAN ``LINK``), ``http`` and ``https`` (nginx, a self-signed certificate made at lab start),
``ntp`` (chronyd) and ``snmp`` (snmpd). The zone (``zone = "tp.example"``, by default
``NAME.example``) is generated from the lab's nodes and addresses:

>>> from paquet.lab.topology import load
>>> topo = load("tp")
>>> records = zone_records(topo)
>>> [r.value for r in records if r.name == "www.tp.example." and r.type == "CNAME"]
['server.tp.example.']
>>> sorted(r.value for r in records if r.name == "server.tp.example.")
['2001:db8:0:2::a', '203.0.113.10']
>>> [r.value for r in records if r.name == "10.113.0.203.in-addr.arpa."]
['server.tp.example.']
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paquet.errors import LabError

if TYPE_CHECKING:
    from paquet.lab.topology import Topology

__all__ = [
    "PORTS",
    "PROGRAMS",
    "SERVER_KINDS",
    "Record",
    "ServerSpec",
    "check_servers",
    "dhcp_range",
    "parse_servers",
    "reverse_domain",
    "reverse_zones",
    "server_node",
    "zone_name",
    "zone_records",
]

#: the server kinds a node may run, and the Debian program each one is
PROGRAMS = {
    "dns": "dnsmasq", "resolver": "dnsmasq", "dhcp": "dnsmasq", "http": "nginx",
    "https": "nginx", "ntp": "chronyd", "snmp": "snmpd",
}
SERVER_KINDS = tuple(PROGRAMS)
#: what each server kind listens on, (protocol, port)
PORTS = {"dns": [("udp", 53), ("tcp", 53)], "resolver": [("udp", 53), ("tcp", 53)],
         "dhcp": [("udp", 67)], "http": [("tcp", 80)], "https": [("tcp", 443)],
         "ntp": [("udp", 123)], "snmp": [("udp", 161)]}
#: names in the zone pointing (CNAME) at the node running a server kind
ALIASES = {"www": ("http", "https"), "ntp": ("ntp",), "snmp": ("snmp",)}
#: SRV records: (service label, kind, port)
SRV = (("_http._tcp", "http", 80), ("_https._tcp", "https", 443), ("_ntp._udp", "ntp", 123),
       ("_snmp._udp", "snmp", 161), ("_domain._udp", "dns", 53))


@dataclass(frozen=True)
class ServerSpec:
    """One server a node runs: its kind (``dns``, ``dhcp``...) and, for ``dhcp``, its LAN."""

    kind: str
    link: str | None = None

    def __str__(self) -> str:
        return self.kind + (f":{self.link}" if self.link else "")


def parse_servers(where: str, items: Any) -> tuple[ServerSpec, ...]:
    """``["dns", "dhcp:lan", "ntp"]`` as ServerSpecs (each kind once), or a LabError.

    >>> [str(s) for s in parse_servers("nodes.gw", ["resolver", "dhcp:lan"])]
    ['resolver', 'dhcp:lan']
    """
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise LabError(f"{where}: servers is a list, e.g. ['dns', 'dhcp:lan', 'ntp']")
    out: list[ServerSpec] = []
    for item in items:
        kind, _, link = item.partition(":")
        if kind not in PROGRAMS:
            raise LabError(f"{where}: server {item!r} unknown (expected one of: "
                           f"{', '.join(SERVER_KINDS)})")
        if (kind == "dhcp") != bool(link):
            raise LabError(f"{where}: server {item!r}: " + (
                "dhcp names the LAN it serves, e.g. 'dhcp:lan'" if kind == "dhcp"
                else f"only dhcp takes a link, write {kind!r}"))
        if any(s.kind == kind for s in out):
            raise LabError(f"{where}: server {kind!r} declared twice")
        if {kind, *(s.kind for s in out)} >= {"dns", "resolver"}:
            raise LabError(f"{where}: dns and resolver both need port 53: put them on two "
                           "nodes")
        out.append(ServerSpec(kind, link or None))
    return tuple(out)


def check_servers(source: str, nodes: dict[str, Any], links: list[Any]) -> None:
    """Servers that fit the topology: each kind on one node, dhcp on a LAN of its node, a
    resolver only with a dns server to forward to."""
    seen: dict[str, str] = {}
    for name, spec in nodes.items():
        for server in spec.servers:
            if server.kind in seen:
                raise LabError(f"{source}: nodes.{name}: server {server.kind!r} already runs on "
                               f"{seen[server.kind]} (one per lab)")
            seen[server.kind] = name
            for proto, port in PORTS[server.kind]:
                if any(("udp" if s.kind == "udp" else "tcp", s.port) == (proto, port)
                       for s in spec.services):
                    raise LabError(f"{source}: nodes.{name}: server {server.kind!r} needs "
                                   f"{proto} port {port}, which a service of the node has")
            if server.link is not None:
                link = next((lk for lk in links if lk.name == server.link), None)
                if link is None or name not in link.members or not link.is_lan:
                    raise LabError(f"{source}: nodes.{name}: server {server}: {name} is on no "
                                   f"LAN named {server.link!r}")
    if "resolver" in seen and "dns" not in seen:
        raise LabError(f"{source}: nodes.{seen['resolver']}: a resolver needs a 'dns' server "
                       "to forward the zone to")


def zone_name(topo: Topology) -> str:
    """The lab's DNS zone, without the final dot (``tp.example``)."""
    return topo.zone or f"{topo.name.replace('_', '-')}.example"


def server_node(topo: Topology, kind: str) -> str | None:
    """The first node running server ``kind``, or None."""
    for name, spec in topo.nodes.items():
        if any(s.kind == kind for s in spec.servers):
            return name
    return None


@dataclass(frozen=True)
class Record:
    """One resource record of the zone: owner name (absolute), type, value as dig prints it."""

    name: str
    type: str
    value: str


def _host(node: str, zone: str) -> str:
    return f"{node.replace('_', '-')}.{zone}."


def zone_records(topo: Topology) -> list[Record]:
    """The zone's records: A/AAAA and PTR per node, CNAMEs, MX, TXT and SRV (no SOA/NS)."""
    zone = zone_name(topo)
    out: list[Record] = []
    for node in topo.nodes:
        for address in topo.addresses(node):
            ip = ipaddress.ip_address(address)
            out.append(Record(_host(node, zone), "A" if ip.version == 4 else "AAAA", address))
            out.append(Record(ip.reverse_pointer + ".", "PTR", _host(node, zone)))
    dns = server_node(topo, "dns")
    if dns is not None:
        for address in topo.addresses(dns):
            kind = "A" if ":" not in address else "AAAA"
            out.append(Record(f"ns.{zone}.", kind, address))
    for alias, kinds in ALIASES.items():
        owner = next((n for n in (server_node(topo, k) for k in kinds) if n), None)
        if owner is not None:
            out.append(Record(f"{alias}.{zone}.", "CNAME", _host(owner, zone)))
    mail = server_node(topo, "http") or server_node(topo, "https") or dns
    if mail is not None:
        out.append(Record(f"{zone}.", "MX", f"10 {_host(mail, zone)}"))
    out.append(Record(f"{zone}.", "TXT", f'"paquet lab {topo.name}: documentation addresses '
                                         'only"'))
    out.append(Record(f"{zone}.", "TXT", '"v=spf1 mx -all"'))
    for label, kind, port in SRV:
        target = server_node(topo, kind)
        if target is not None:
            out.append(Record(f"{label}.{zone}.", "SRV", f"0 0 {port} {_host(target, zone)}"))
    return out


def reverse_zones(topo: Topology) -> list[str]:
    """The reverse subnets the zone covers: each IPv4 link's /24, each IPv6 link's /48.

    >>> from paquet.lab.topology import load
    >>> reverse_zones(load("tp"))
    ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/48']
    """
    nets: set[ipaddress.IPv4Network | ipaddress.IPv6Network] = set()
    for link in topo.links:
        if link.subnet4 is not None:
            nets.add(link.subnet4.supernet(new_prefix=min(24, link.subnet4.prefixlen)))
        if link.subnet6 is not None:
            nets.add(link.subnet6.supernet(new_prefix=min(48, link.subnet6.prefixlen)))
    return [str(n) for n in sorted(nets, key=lambda n: (n.version, n))]


def reverse_domain(subnet: str) -> str:
    """The reverse DNS domain of a subnet on an octet (IPv4) or nibble (IPv6) boundary.

    >>> reverse_domain("192.0.2.0/24"), reverse_domain("2001:db8::/48")
    ('2.0.192.in-addr.arpa', '0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa')
    """
    net = ipaddress.ip_network(subnet)
    unit = 8 if net.version == 4 else 4
    labels = net.network_address.reverse_pointer.split(".")
    host_labels = (net.max_prefixlen - net.prefixlen) // unit
    return ".".join(labels[host_labels:])


def dhcp_range(topo: Topology, link_name: str, size: int = 100) -> tuple[str, str]:
    """The first run of ``size`` (or fewer) free IPv4 addresses of ``link_name`` from host 100
    (from host 2 on small subnets), avoiding every static address.

    >>> from paquet.lab.topology import load
    >>> dhcp_range(load("tp"), "lan")
    ('192.0.2.100', '192.0.2.199')
    """
    link = next((lk for lk in topo.links if lk.name == link_name), None)
    if link is None or link.subnet4 is None:
        raise LabError(f"dhcp: no IPv4 link named {link_name!r}")
    net = link.subnet4
    static = {ipaddress.ip_address(a) for n in link.members for a in topo.addresses(n, 4)}
    hosts = list(net.hosts())
    start = 99 if len(hosts) > 200 else 1
    free = [h for h in hosts[start:] if h not in static]
    run: list[ipaddress.IPv4Address] = []
    for host in free:
        if run and int(host) != int(run[-1]) + 1:
            if len(run) >= size:
                break
            run = []
        run.append(host)
        if len(run) >= size:
            break
    if not run:
        raise LabError(f"dhcp: link {link_name} ({net}) has no free address left")
    return str(run[0]), str(run[-1])
