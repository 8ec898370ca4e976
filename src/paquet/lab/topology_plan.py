"""A lab's addressing plan and static routes: each link's subnets (from the documentation
ranges when not given), each interface's addresses and MAC, and each node's shortest-path
routes through the routers (equal-cost next hops become ECMP). Pure computation on the model
of :mod:`paquet.lab.topology_model`; :mod:`paquet.lab.topology` calls it when it builds a
:class:`~paquet.lab.topology_model.Topology`.

>>> from paquet.lab.topology_model import LinkSpec
>>> Planner("<doc>").host_numbers(LinkSpec("l1", ("a", "b", "c"), address={"b": (1, None, None)}))
{'a': 2, 'b': 1, 'c': 3}
"""

from __future__ import annotations

import ipaddress
import math
from collections import deque
from collections.abc import Iterable

from paquet.errors import LabError
from paquet.lab.topology_model import (
    DOC_V4,
    MAX_INTERFACES,
    AnyNet,
    Interface,
    LinkSpec,
    NodeSpec,
    Route,
    V4Net,
    V6Net,
)

__all__ = ["Planner"]


class Planner:
    """Numbers the interfaces of a topology's links and computes its nodes' routes; errors
    name ``source`` (the topology's file or built-in name)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._dist_cache: dict[str, dict[str, int]] = {}

    def number(
        self, links: list[LinkSpec], ipv6: bool, nodes: Iterable[str]
    ) -> dict[str, list[Interface]]:
        order = {name: i for i, name in enumerate(nodes)}
        used4: list[V4Net] = []
        for link in links:
            if link.subnet4 is not None:
                for other in used4:
                    if link.subnet4.overlaps(other):
                        raise LabError(f"{self.source}: link {link.name}: subnet {link.subnet4} "
                                       f"overlaps {other}")
                used4.append(link.subnet4)
        used6 = [link.subnet6 for link in links if link.subnet6 is not None]
        for i, link in enumerate(links):
            if link.subnet4 is None:
                link.subnet4 = self.allocate4(len(link.members), used4, link.name)
                used4.append(link.subnet4)
            if ipv6 and link.subnet6 is None:
                k = i + 1
                while True:
                    candidate = V6Net(f"2001:db8:0:{k:x}::/64")
                    if not any(candidate.overlaps(u) for u in used6):
                        break
                    k += 1
                link.subnet6 = candidate
                used6.append(candidate)
        interfaces: dict[str, list[Interface]] = {}
        seen: dict[str, str] = {}
        for link in links:
            assert link.subnet4 is not None
            hosts = self.host_numbers(link)
            for node in link.members:
                _, v4_text, v6_text = link.address.get(node, (None, None, None))
                v4 = self.place(link, link.subnet4, v4_text, hosts[node], node)
                v6 = None
                if ipv6 and link.subnet6 is not None:
                    v6 = self.place(link, link.subnet6, v6_text, hosts[node], node)
                for addr in (v4, v6):
                    if addr is None:
                        continue
                    owner = seen.get(str(addr.ip))
                    if owner is not None:
                        raise LabError(f"{self.source}: address {addr.ip} given to both {owner} "
                                       f"and {node}")
                    seen[str(addr.ip)] = node
                itfs = interfaces.setdefault(node, [])
                if len(itfs) >= MAX_INTERFACES:
                    raise LabError(f"{self.source}: node {node} has more than "
                                   f"{MAX_INTERFACES} interfaces")
                peers = tuple(m for m in link.members if m != node)
                node_no = order[node] + 1
                mac = f"02:00:00:{node_no >> 8:02x}:{node_no & 0xFF:02x}:{len(itfs):02x}"
                itfs.append(Interface(node, f"eth{len(itfs)}", link.name,
                                      v4,  # type: ignore[arg-type]
                                      v6,  # type: ignore[arg-type]
                                      peers, mac))
        return interfaces

    def allocate4(self, members: int, used: list[V4Net], link: str) -> V4Net:
        prefix = 32 - max(2, math.ceil(math.log2(members + 2)))
        for pool in (DOC_V4[1], DOC_V4[0], DOC_V4[2]):
            if prefix < pool.prefixlen:
                continue
            # Only the used networks inside this pool matter; compare as integer ranges.
            spans = [(int(u.network_address), int(u.broadcast_address)) for u in used
                     if u.overlaps(pool)]
            for candidate in pool.subnets(new_prefix=prefix):
                lo, hi = int(candidate.network_address), int(candidate.broadcast_address)
                if all(hi < a or lo > b for a, b in spans):
                    return candidate
        raise LabError(f"{self.source}: link {link}: no free IPv4 subnet left in the "
                       "documentation ranges (give smaller subnets or fewer links)")

    def host_numbers(self, link: LinkSpec) -> dict[str, int]:
        """Host numbers: those given, then 1, 2, 3... in member order for the others."""
        taken = {v[0] for v in link.address.values() if v[0] is not None}
        out: dict[str, int] = {}
        nxt = 1
        for node in link.members:
            given = link.address.get(node, (None, None, None))[0]
            if given is not None:
                out[node] = given
                continue
            while nxt in taken:
                nxt += 1
            out[node] = nxt
            taken.add(nxt)
        return out

    def place(
        self, link: LinkSpec, net: AnyNet, explicit: str | None, host: int, node: str
    ) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
        where = f"{self.source}: link {link.name}, node {node}"
        if explicit is not None:
            ip = ipaddress.ip_address(explicit)
            if ip not in net:
                raise LabError(f"{where}: {ip} is not in {net}")
        else:
            if host >= net.num_addresses - (1 if net.version == 4 else 0):
                raise LabError(f"{where}: host number {host} does not fit in {net}")
            ip = net[host]
        if net.version == 4 and ip in (net.network_address, net.broadcast_address):
            raise LabError(f"{where}: {ip} is the network or broadcast address of {net}")
        return ipaddress.ip_interface(f"{ip}/{net.prefixlen}")

    # ---- routes
    def compute_routes(
        self,
        nodes: dict[str, NodeSpec],
        links: list[LinkSpec],
        interfaces: dict[str, list[Interface]],
    ) -> dict[str, list[Route]]:
        """Shortest paths (hop count) through routers; equal-cost next hops become ECMP."""
        by_link: dict[str, dict[str, Interface]] = {}
        for node, itfs in interfaces.items():
            for itf in itfs:
                by_link.setdefault(itf.link, {})[node] = itf
        adjacency: dict[str, list[tuple[str, str]]] = {n: [] for n in nodes}
        for link in links:
            for a in link.members:
                for b in link.members:
                    if a != b:
                        adjacency[a].append((b, link.name))
        routes: dict[str, list[Route]] = {n: [] for n in nodes}
        for node, spec in nodes.items():
            explicit = {(r.family, r.dst) for r in spec.routes}
            auto: list[Route] = []
            if spec.auto_routes:
                auto = self.node_routes(node, nodes, links, interfaces, adjacency, by_link)
            routes[node] = list(spec.routes) + [
                r for r in auto if (r.family, r.dst) not in explicit
            ]
            connected = [itf.v4 for itf in interfaces.get(node, []) if itf.v4] + [
                itf.v6 for itf in interfaces.get(node, []) if itf.v6
            ]
            for route in spec.routes:
                for hop in route.via:
                    ip = ipaddress.ip_address(hop)
                    if not any(ip in c.network for c in connected):
                        raise LabError(f"{self.source}: nodes.{node}.routes: next hop {hop} is "
                                       "not on any of the node's links")
        return routes

    def node_routes(
        self,
        node: str,
        nodes: dict[str, NodeSpec],
        links: list[LinkSpec],
        interfaces: dict[str, list[Interface]],
        adjacency: dict[str, list[tuple[str, str]]],
        by_link: dict[str, dict[str, Interface]],
    ) -> list[Route]:
        mine = {itf.link for itf in interfaces.get(node, [])}
        my_links = [link for link in links if link.name in mine]
        # A host on a single link with a single router uses it as its default gateway.
        if nodes[node].kind == "host" and len(my_links) == 1:
            routers = [m for m in my_links[0].members if nodes[m].kind == "router"]
            if len(routers) == 1:
                gw = by_link[my_links[0].name][routers[0]]
                out = []
                if gw.v4 is not None:
                    out.append(Route(4, "default", (str(gw.v4.ip),)))
                if gw.v6 is not None:
                    out.append(Route(6, "default", (str(gw.v6.ip),)))
                return out
        out = []
        for link in links:
            if link.name in mine:
                continue
            if link.name not in self._dist_cache:
                self._dist_cache[link.name] = self.distances(link, nodes, adjacency)
            dist = self._dist_cache[link.name]
            if node not in dist:
                continue
            hops: list[Interface] = []
            for peer, via_link in adjacency[node]:
                if nodes[peer].kind == "router" and dist.get(peer) == dist[node] - 1:
                    hops.append(by_link[via_link][peer])
            for family in (4, 6):
                net = link.subnet4 if family == 4 else link.subnet6
                addrs = sorted(
                    {str(h.v4.ip if family == 4 else h.v6.ip)  # type: ignore[union-attr]
                     for h in hops if (h.v4 if family == 4 else h.v6) is not None},
                    key=lambda a: ipaddress.ip_address(a),
                )
                if net is not None and addrs:
                    out.append(Route(family, str(net), tuple(addrs)))
        return out

    @staticmethod
    def distances(
        target: LinkSpec, nodes: dict[str, NodeSpec], adjacency: dict[str, list[tuple[str, str]]]
    ) -> dict[str, int]:
        """Hops from every node to ``target``'s subnet, forwarding only through routers."""
        dist = {m: 0 for m in target.members if nodes[m].kind == "router"}
        queue = deque(dist)
        while queue:
            current = queue.popleft()
            for peer, _ in adjacency[current]:
                if peer not in dist:
                    dist[peer] = dist[current] + 1
                    if nodes[peer].kind == "router":
                        queue.append(peer)
        return dist
