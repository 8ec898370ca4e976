"""Lab topologies: the TOML format and its validation (the model's classes are in
:mod:`paquet.lab.topology_model`, the address numbering and static routes in
:mod:`paquet.lab.topology_plan`; every name is also read from here).

A topology names its nodes (hosts and routers) and the links between them. A link with two
members is a point-to-point cable (a veth pair); a link with more members is a LAN (a switch:
a bridge in its own namespace). Everything here is pure computation: nothing touches the system,
so a topology can be checked (and its addressing plan printed) without root.

The format, in short (``docs/lab.md`` has it all)::

    name = "mini"

    [nodes.client]                       # kind = "host" by default
    [nodes.gw]
    kind = "router"
    [nodes.server]
    services = ["udp:10000:echo", "tcp:22,80", "http:8080"]
    firewall = { drop = [23], reject = ["udp:53"] }

    [[links]]
    nodes = ["client", "gw"]             # subnet numbered automatically
    [[links]]
    nodes = ["gw", "server"]
    subnet = "203.0.113.0/24"            # or given; ipv6 = "2001:db8:0:9::/64" too
    address = { gw = 1, server = 10 }    # host numbers (or full addresses)
    loss = { gw = 30 }                   # % of what gw sends on this link is dropped

>>> topo = parse(TOML_EXAMPLE)
>>> [str(i.v4) for i in topo.interfaces["gw"]]
['198.51.100.2/30', '203.0.113.1/24']
>>> topo.routes["client"][0].dst, topo.routes["client"][0].via
('default', ('198.51.100.2',))
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from paquet.errors import LabError
from paquet.lab.topofile import (
    MAX_MESSAGE,
    _extend,
    _file_key,
    _is_file_ref,
    _loads,
    _one_line,
    builtin_names,
    builtin_text,
    read_topology_file,
    split_ref,
)
from paquet.lab.topology_model import (
    DOC_V4,
    DOC_V6,
    LAB_NAME_RE,
    MAX_INTERFACES,
    MAX_ITEMS,
    MAX_LINK_ENDS,
    MAX_LINKS,
    MAX_NODES,
    NAME_RE,
    NODE_KINDS,
    RANGE_RE,
    RATE_RE,
    RP_FILTER,
    SERVICE_KINDS,
    TIME_RE,
    ZONE_RE,
    AnyNet,
    Firewall,
    Interface,
    LinkSpec,
    NodeSpec,
    PortRule,
    Route,
    ServiceSpec,
    Topology,
    V4Net,
)
from paquet.lab.topology_plan import Planner
from paquet.lab.zone import check_servers, parse_servers

__all__ = [
    "DOC_V4",
    "DOC_V6",
    "LAB_NAME_RE",
    "MAX_INTERFACES",
    "MAX_ITEMS",
    "MAX_LINKS",
    "MAX_LINK_ENDS",
    "MAX_NODES",
    "RP_FILTER",
    "Firewall",
    "Interface",
    "LinkSpec",
    "NodeSpec",
    "PortRule",
    "Route",
    "ServiceSpec",
    "Topology",
    "builtin_names",
    "builtin_text",
    "load",
    "parse",
]

TOML_EXAMPLE = """
name = "mini"
[nodes.client]
[nodes.gw]
kind = "router"
[nodes.server]
services = ["udp:10000:echo"]
[[links]]
nodes = ["client", "gw"]
[[links]]
nodes = ["gw", "server"]
subnet = "203.0.113.0/24"
address = { gw = 1, server = 10 }
"""

# --------------------------------------------------------------------------- loading


def load(ref: str | Path, **params: int) -> Topology:
    """Load a topology: a built-in name (``"tp"``, ``"chain:8"``) or a TOML file path.

    ``params`` override the topology's ``[params]`` (``load("chain", n=8)``).
    """
    if _is_file_ref(ref):
        path = Path(ref)
        text = read_topology_file(path)
        return _parse(text, str(path), params, path.parent, (_file_key(path),))
    name, extra = split_ref(str(ref))
    merged = {**extra, **params}
    return _parse(builtin_text(name), name, merged, None, (f"builtin:{name}",))


def parse(
    text: str,
    source: str = "<topology>",
    params: Mapping[str, int] | None = None,
    base_dir: Path | None = None,
) -> Topology:
    """Parse and validate topology TOML ``text``; errors name ``source`` and the faulty key.

    ``base_dir`` is where a file named by ``extends`` is looked for (default: the current
    directory). Sizes are limited (see ``MAX_NODES`` and the others) before anything is expanded.
    """
    return _parse(text, source, params, base_dir, ())


def _parse(
    text: str,
    source: str,
    params: Mapping[str, int] | None,
    base_dir: Path | None,
    chain: tuple[str, ...],
) -> Topology:
    try:
        data = _loads(text, source)
        data = _extend(data, source, base_dir, chain, [source])
        return _Builder(data, source, dict(params or {})).build()
    except LabError as exc:
        message = str(exc)
        if "\n" in message or "\r" in message or len(message) > MAX_MESSAGE:
            raise LabError(_one_line(message)) from None
        raise


# --------------------------------------------------------------------------- validation


def _check_keys(where: str, table: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            raise LabError(f"{where}: unknown key {key!r} (expected one of: {', '.join(allowed)})")


def _parse_service(where: str, item: Any) -> list[ServiceSpec]:
    """``"udp:10000:echo"``, ``"tcp:22,80"``, ``"http:80"`` or a table ``{type, port(s), echo}``."""
    if isinstance(item, str):
        parts = item.split(":")
        if len(parts) not in (2, 3) or (len(parts) == 3 and parts[2] != "echo"):
            raise LabError(f"{where}: service {item!r}: expected KIND:PORT[,PORT...][:echo]")
        kind, ports_text = parts[0], parts[1]
        echo = len(parts) == 3
        ports: list[Any] = ports_text.split(",")
    elif isinstance(item, dict):
        _check_keys(f"{where}: service", item, ("type", "port", "ports", "echo"))
        kind = item.get("type", "")
        echo = item.get("echo", False)
        ports = list(item.get("ports", [])) + ([item["port"]] if "port" in item else [])
        if not isinstance(echo, bool):
            raise LabError(f"{where}: service 'echo' must be true or false")
    else:
        raise LabError(f"{where}: a service is a string like 'udp:10000' or a table")
    if kind not in SERVICE_KINDS:
        raise LabError(f"{where}: service kind {kind!r} unknown (expected one of: udp, tcp, http)")
    if echo and kind == "http":
        raise LabError(f"{where}: an http service cannot echo")
    if not ports:
        raise LabError(f"{where}: service {kind!r} needs a port")
    out = []
    for port in ports:
        number = _port(where, port)
        out.append(ServiceSpec(kind, number, echo))
    return out


def _port(where: str, value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise LabError(f"{where}: {value!r} is not a port number") from None
    if not 1 <= number <= 65535:
        raise LabError(f"{where}: port {number} out of range 1-65535")
    return number


def _parse_rules(where: str, items: Any) -> tuple[PortRule, ...]:
    """Firewall ports: ``23`` (TCP), ``"udp:53"``, ``"tcp:1000-2000"``, ``"135-139"``."""
    if not isinstance(items, list):
        raise LabError(f"{where}: expected a list of ports like [23, 'udp:53', 'tcp:100-200']")
    if len(items) > MAX_ITEMS:
        raise LabError(f"{where}: more than {MAX_ITEMS} rules")
    rules = []
    for item in items:
        proto, text = "tcp", str(item)
        if ":" in text:
            proto, _, text = text.partition(":")
        if proto not in ("tcp", "udp"):
            raise LabError(f"{where}: {item!r}: protocol must be tcp or udp")
        first, _, last = text.partition("-")
        lo = _port(where, first)
        hi = _port(where, last) if last else lo
        if hi < lo:
            raise LabError(f"{where}: {item!r}: empty port range")
        rules.append(PortRule(proto, lo, hi))
    return tuple(rules)


def _per_sender(where: str, value: Any, members: tuple[str, ...], check: Any) -> dict[str, Any]:
    """A link impairment: one value for every sender, or a table ``{sender = value}``."""
    if isinstance(value, dict):
        out = {}
        for node, v in value.items():
            if node not in members:
                raise LabError(f"{where}: {node!r} is not on this link ({', '.join(members)})")
            out[node] = check(where, v)
        return out
    checked = check(where, value)
    return dict.fromkeys(members, checked)


def _loss(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise LabError(f"{where}: loss is a percentage between 0 and 100, not {value!r}")
    return float(value)


def _rate(where: str, value: Any) -> str:
    if isinstance(value, str) and RATE_RE.match(value.lower()):
        return value.lower()
    raise LabError(f"{where}: rate {value!r}: expected a tc rate such as '1mbit' or '500kbit'")


def _time(where: str, value: Any) -> str:
    if isinstance(value, str) and TIME_RE.match(value):
        return value
    raise LabError(f"{where}: {value!r}: expected a duration such as '20ms'")


class _Builder:
    """Turns parsed TOML into a validated, numbered, routed :class:`Topology`."""

    def __init__(self, data: dict[str, Any], source: str, overrides: dict[str, int]) -> None:
        self.data = data
        self.source = source
        self.overrides = overrides
        self.params: dict[str, int] = {}

    def err(self, where: str, message: str) -> LabError:
        return LabError(f"{self.source}: {where}: {message}")

    # ---- params and name ranges
    def read_params(self) -> None:
        declared = self.data.get("params", {})
        if not isinstance(declared, dict):
            raise self.err("params", "expected a table")
        limits: dict[str, tuple[int, int]] = {}
        for key, value in declared.items():
            if isinstance(value, dict):
                _check_keys(f"{self.source}: params.{key}", value, ("default", "min", "max"))
                default: Any = value.get("default")
                lo: Any = value.get("min", 0)
                hi: Any = value.get("max", 1000)
            else:
                default, lo, hi = value, 0, 1000
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (default, lo, hi)):
                raise self.err(f"params.{key}", "parameters are integers")
            if not lo <= default <= hi:
                raise self.err(f"params.{key}", f"default {default} is not in {lo}..{hi}")
            self.params[key] = default
            limits[key] = (lo, hi)
        for key, value in self.overrides.items():
            if key not in self.params:
                known = ", ".join(self.params) or "none"
                raise LabError(f"{self.source}: no parameter {key!r} (parameters: {known})")
            lo, hi = limits[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise LabError(f"{self.source}: parameter {key} must be an integer in {lo}..{hi}")
            self.params[key] = value

    def _range(self, where: str, name: str) -> tuple[str, int, int, str] | None:
        """``"r{1..n}x"`` -> ``("r", 1, n, "x")`` (None without a range), its size checked."""
        match = RANGE_RE.search(name)
        if match is None:
            return None
        bounds = []
        for part in match.groups():
            if part.isdigit() and len(part) <= 9:
                bounds.append(int(part))
            elif part in self.params:
                bounds.append(self.params[part])
            elif part.isdigit():
                raise self.err(where, f"{name[:40]!r}: range bound {part[:12]}... too large")
            else:
                raise self.err(where, f"{name!r}: unknown parameter {part!r}")
        if bounds[1] - bounds[0] + 1 > MAX_NODES:
            raise self.err(where, f"{name!r} makes {bounds[1] - bounds[0] + 1} names, more "
                           f"than a lab's limit of {MAX_NODES} nodes")
        return name[: match.start()], bounds[0], bounds[1], name[match.end() :]

    def count(self, where: str, name: str) -> int:
        """How many names ``name`` expands to, without expanding it."""
        span = self._range(where, name)
        return 1 if span is None else max(0, span[2] - span[1] + 1)

    def expand(self, where: str, name: str) -> list[str]:
        """``"r{1..n}"`` -> ``["r1", ..., "rN"]`` using the parameters."""
        span = self._range(where, name)
        if span is None:
            return [name]
        head, lo, hi, tail = span
        return [head + str(i) + tail for i in range(lo, hi + 1)]

    # ---- nodes
    def read_nodes(self) -> dict[str, NodeSpec]:
        raw = self.data.get("nodes", {})
        if not isinstance(raw, dict) or not raw:
            raise LabError(f"{self.source}: a topology needs a [nodes] table with nodes in it")
        total = sum(self.count(f"nodes.{pattern}", pattern) for pattern in raw)
        if total > MAX_NODES:
            raise LabError(f"{self.source}: {total} nodes, more than a lab's limit of "
                           f"{MAX_NODES}")
        nodes: dict[str, NodeSpec] = {}
        for pattern, table in raw.items():
            for name in self.expand(f"nodes.{pattern}", pattern):
                if not NAME_RE.match(name):
                    raise self.err(
                        f"nodes.{name}",
                        "node names are 1-15 characters: lowercase letters, digits, _ "
                        "(starting with a letter)",
                    )
                if name in nodes:
                    raise self.err(f"nodes.{name}", "node declared twice")
                nodes[name] = self.read_node(name, table if isinstance(table, dict) else None)
        return nodes

    def read_node(self, name: str, table: dict[str, Any] | None) -> NodeSpec:
        where = f"{self.source}: nodes.{name}"
        if table is None:
            raise LabError(f"{where}: expected a table")
        _check_keys(
            where,
            table,
            (
                "kind", "services", "firewall", "silent", "rp_filter", "routes",
                "auto_routes", "sysctls", "description", "forwarding", "servers",
            ),
        )
        kind = table.get("kind", "host")
        if kind not in NODE_KINDS:
            raise LabError(f"{where}: kind {kind!r} unknown (expected host or router)")
        services: list[ServiceSpec] = []
        items = table.get("services", [])
        if not isinstance(items, list):
            raise LabError(f"{where}: services is a list, e.g. ['udp:10000:echo', 'http:80']")
        for item in items:
            services.extend(_parse_service(where, item))
            if len(services) > MAX_ITEMS:
                raise LabError(f"{where}: more than {MAX_ITEMS} services")
        keys = Counter(s.key for s in services)
        dup = {k for k, times in keys.items() if times > 1}
        if dup:
            raise LabError(f"{where}: service {sorted(dup)[0]} declared twice")
        tcp_ports = Counter(s.port for s in services if s.kind in ("tcp", "http"))
        clash = {p for p, times in tcp_ports.items() if times > 1}
        if clash:
            raise LabError(f"{where}: TCP port {min(clash)} given to both a tcp and an http "
                           "service")
        fw_table = table.get("firewall", {})
        if not isinstance(fw_table, dict):
            raise LabError(f"{where}: firewall is a table {{ drop = [...], reject = [...] }}")
        _check_keys(f"{where}.firewall", fw_table, ("drop", "reject", "ping"))
        ping = fw_table.get("ping", True)
        if not isinstance(ping, bool):
            raise LabError(f"{where}.firewall: ping must be true or false")
        firewall = Firewall(
            _parse_rules(f"{where}.firewall.drop", fw_table.get("drop", [])),
            _parse_rules(f"{where}.firewall.reject", fw_table.get("reject", [])),
            ping,
        )
        rp = table.get("rp_filter", "off")
        if not isinstance(rp, str) or rp not in RP_FILTER:
            raise LabError(f"{where}: rp_filter must be one of off, strict, loose")
        for flag in ("silent", "auto_routes", "forwarding"):
            if not isinstance(table.get(flag, False), bool):
                raise LabError(f"{where}: {flag} must be true or false")
        if table.get("silent", False) and kind != "router":
            raise LabError(f"{where}: only a router can be silent")
        sysctls = table.get("sysctls", {})
        if not isinstance(sysctls, dict) or not all(
            isinstance(k, str) and re.match(r"^net\.[a-z0-9_.\-]+$", k) for k in sysctls
        ):
            raise LabError(
                f"{where}: sysctls is a table of net.* keys, e.g. net.ipv4.ip_default_ttl"
            )
        return NodeSpec(
            name=name,
            kind=kind,
            services=tuple(services),
            firewall=firewall,
            silent=table.get("silent", False),
            rp_filter=rp,
            forwarding=kind == "router" or table.get("forwarding", False),
            auto_routes=table.get("auto_routes", True),
            routes=self.read_routes(where, table.get("routes", [])),
            sysctls=tuple((k, str(v).lower() if isinstance(v, bool) else str(v))
                          for k, v in sysctls.items()),
            description=str(table.get("description", "")),
            servers=parse_servers(where, table.get("servers", [])),
        )

    def read_routes(self, where: str, items: Any) -> tuple[Route, ...]:
        if not isinstance(items, list):
            raise LabError(f"{where}: routes is a list of {{ to = ..., via = ... }} tables")
        if len(items) > MAX_ITEMS:
            raise LabError(f"{where}: more than {MAX_ITEMS} routes")
        routes = []
        for item in items:
            if not isinstance(item, dict) or "to" not in item or "via" not in item:
                raise LabError(f"{where}: a route is a table {{ to = NETWORK, via = ADDRESS }}")
            _check_keys(f"{where}.routes", item, ("to", "via"))
            via = item["via"] if isinstance(item["via"], list) else [item["via"]]
            try:
                hops = [ipaddress.ip_address(v) for v in via]
            except ValueError as exc:
                raise LabError(f"{where}.routes: {exc}") from None
            family = hops[0].version
            if any(h.version != family for h in hops):
                raise LabError(f"{where}.routes: next hops of one route share an IP version")
            dst = str(item["to"])
            if dst != "default":
                try:
                    net = ipaddress.ip_network(dst)
                except ValueError as exc:
                    raise LabError(f"{where}.routes: {exc}") from None
                if net.version != family:
                    raise LabError(f"{where}.routes: {dst} and its next hop differ in IP version")
                dst = "default" if net.prefixlen == 0 else str(net)
            routes.append(Route(family, dst, tuple(str(h) for h in hops), auto=False))
        return tuple(routes)

    # ---- links
    def read_links(self, nodes: dict[str, NodeSpec]) -> list[LinkSpec]:
        raw = self.data.get("links", [])
        if not isinstance(raw, list):
            raise LabError(f"{self.source}: links is an array of tables: [[links]]")
        if len(raw) > MAX_LINKS:
            raise LabError(f"{self.source}: {len(raw)} links, more than a lab's limit of "
                           f"{MAX_LINKS}")
        links: list[LinkSpec] = []
        ends = 0
        for i, table in enumerate(raw):
            where = f"{self.source}: links[{i}]"
            if not isinstance(table, dict):
                raise LabError(f"{where}: expected a table")
            _check_keys(
                where,
                table,
                ("name", "nodes", "path", "subnet", "ipv6", "address", "loss", "rate",
                 "delay", "jitter"),
            )
            if ("nodes" in table) == ("path" in table):
                raise LabError(f"{where}: give either nodes = [...] (one link) or path = [...]")
            if "path" in table:
                path = self.member_list(where, table["path"], nodes, minimum=1)
                extra = set(table) - {"path", "loss", "rate", "delay", "jitter", "name"}
                if extra:
                    raise LabError(f"{where}: a path is numbered automatically; "
                                   f"{sorted(extra)[0]!r} is not allowed with it")
                for a, b in itertools.pairwise(path):
                    links.append(self.read_link(where, {**table, "name": None}, (a, b), len(links)))
                ends += len(path) * 2 - 2
            else:
                members = self.member_list(where, table["nodes"], nodes, minimum=2)
                links.append(self.read_link(where, table, members, len(links)))
                ends += len(members)
            if len(links) > MAX_LINKS or ends > MAX_LINK_ENDS:
                raise LabError(f"{where}: more than a lab's limit of {MAX_LINKS} links or "
                               f"{MAX_LINK_ENDS} link ends (interfaces)")
        names = [link.name for link in links]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise LabError(f"{self.source}: link name {sorted(dup)[0]!r} used twice")
        return links

    def member_list(
        self, where: str, value: Any, nodes: dict[str, NodeSpec], minimum: int
    ) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise LabError(f"{where}: expected a list of node names")
        members: list[str] = []
        for item in value:
            members.extend(self.expand(where, item))
            if len(members) > len(nodes):
                raise LabError(f"{where}: more members than nodes (a node appears twice)")
        for m in members:
            if m not in nodes:
                raise LabError(f"{where}: unknown node {m!r}")
        if len(set(members)) != len(members):
            raise LabError(f"{where}: a node appears twice on one link")
        if len(members) < minimum:
            raise LabError(f"{where}: a link joins at least {minimum} nodes")
        return tuple(members)

    def read_link(
        self, where: str, table: dict[str, Any], members: tuple[str, ...], index: int
    ) -> LinkSpec:
        name = table.get("name") or f"link{index}"
        if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]{0,11}$", name):
            raise LabError(f"{where}: link names are 1-12 characters: a-z, 0-9, _")
        link = LinkSpec(name=name, members=members)
        if "subnet" in table:
            link.subnet4 = self.doc_net(where, table["subnet"], 4)  # type: ignore[assignment]
            if link.subnet4 is not None and link.subnet4.num_addresses - 2 < len(members):
                raise LabError(f"{where}: subnet {link.subnet4} is too small for "
                               f"{len(members)} nodes")
        if "ipv6" in table:
            link.subnet6 = self.doc_net(where, table["ipv6"], 6)  # type: ignore[assignment]
        address = table.get("address", {})
        if not isinstance(address, dict):
            raise LabError(f"{where}: address is a table {{ node = host number or address }}")
        for node, value in address.items():
            if node not in members:
                raise LabError(f"{where}: address for {node!r}, which is not on this link")
            link.address[node] = self.read_address(f"{where}.address.{node}", value)
        if "loss" in table:
            link.loss = _per_sender(f"{where}.loss", table["loss"], members, _loss)
        if "rate" in table:
            link.rate = _per_sender(f"{where}.rate", table["rate"], members, _rate)
        if "delay" in table:
            link.delay = _per_sender(f"{where}.delay", table["delay"], members, _time)
        if "jitter" in table:
            link.jitter = _per_sender(f"{where}.jitter", table["jitter"], members, _time)
            for node in link.jitter:
                if node not in link.delay:
                    raise LabError(f"{where}: jitter without a delay for {node!r}")
        return link

    def doc_net(self, where: str, value: Any, version: int) -> AnyNet:
        try:
            net = ipaddress.ip_network(str(value), strict=True)
        except ValueError as exc:
            raise LabError(f"{where}: {exc}") from None
        if net.version != version:
            key = "subnet" if version == 4 else "ipv6"
            raise LabError(f"{where}: {key} must be an IPv{version} network, not {net}")
        if isinstance(net, V4Net):
            if not any(net.subnet_of(d) for d in DOC_V4) or net.prefixlen > 30:
                raise LabError(
                    f"{where}: {net} is not inside a documentation range with room for hosts "
                    "(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; /30 at most)"
                )
        elif not net.subnet_of(DOC_V6) or net.prefixlen > 126:
            raise LabError(f"{where}: {net} is not inside 2001:db8::/32 (the documentation range)")
        return net

    def read_address(self, where: str, value: Any) -> tuple[int | None, str | None, str | None]:
        """(host number, explicit v4, explicit v6) from ``10``, ``"192.0.2.10"`` or a list."""
        values = value if isinstance(value, list) else [value]
        host: int | None = None
        v4: str | None = None
        v6: str | None = None
        for v in values:
            if isinstance(v, int) and not isinstance(v, bool):
                if v < 1:
                    raise LabError(f"{where}: host numbers start at 1")
                host = v
                continue
            try:
                ip = ipaddress.ip_address(str(v))
            except ValueError:
                raise LabError(f"{where}: {v!r} is neither a host number nor an address") from None
            if ip.version == 4:
                v4 = str(ip)
            else:
                v6 = str(ip)
        return host, v4, v6


    def build(self) -> Topology:
        _check_keys(
            self.source,
            self.data,
            ("name", "description", "params", "ipv6", "icmp_ratelimit", "nodes", "links",
             "zone"),
        )
        self.read_params()
        name = self.data.get("name", "lab")
        if not isinstance(name, str) or not LAB_NAME_RE.match(name):
            raise LabError(f"{self.source}: name {name!r}: 1-24 characters: a-z, 0-9, _")
        ipv6 = self.data.get("ipv6", True)
        if not isinstance(ipv6, bool):
            raise LabError(f"{self.source}: ipv6 must be true or false")
        ratelimit = self.data.get("icmp_ratelimit", "off")
        if ratelimit not in ("off", "kernel"):
            raise LabError(f"{self.source}: icmp_ratelimit must be 'off' (lab default) or "
                           "'kernel' (the kernel's default limits)")
        nodes = self.read_nodes()
        links = self.read_links(nodes)
        plan = Planner(self.source)
        interfaces = plan.number(links, ipv6, nodes)
        for node in nodes:
            interfaces.setdefault(node, [])
        routes = plan.compute_routes(nodes, links, interfaces)
        zone = self.data.get("zone", "")
        if not isinstance(zone, str) or (zone and not ZONE_RE.match(zone)):
            raise LabError(f"{self.source}: zone {zone!r}: a domain name such as 'tp.example'")
        check_servers(self.source, nodes, links)
        return Topology(
            name=name,
            description=str(self.data.get("description", "")).strip(),
            params=self.params,
            ipv6=ipv6,
            icmp_ratelimit=ratelimit,
            nodes=nodes,
            links=links,
            interfaces=interfaces,
            routes=routes,
            source=self.source,
            zone=zone,
        )
