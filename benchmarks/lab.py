"""How fast does a lab come up and go down? paquet's builder against a shell-style build.

Targets (issue 4): ``tp`` up < 2 s, ``chain 8`` up < 3 s, down < 1 s. The peer is the way a
shell script builds the same network: one ``ip`` / ``sysctl`` process per operation (no
services). Needs root. Prints the median of a few runs and the ratio peer / paquet.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from paquet.lab import Lab
from paquet.lab.topology import Topology, load

RUNS = 3
TARGETS = {"tp": 2.0, "chain:8": 3.0}
DOWN_TARGET = 1.0


def shell_build(topo: Topology, prefix: str) -> None:
    """Build ``topo``'s nodes, links, addresses and routes with one command per operation."""

    def sh(*argv: str) -> None:
        subprocess.run(argv, check=True, capture_output=True)

    for node, spec in topo.nodes.items():
        ns = f"{prefix}{node}"
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0")
        if spec.kind == "router":
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1")
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
    itf_of = {(i.node, i.link): i for itfs in topo.interfaces.values() for i in itfs}
    for link in topo.links:
        members = list(link.members)
        if link.is_lan:
            sw = f"{prefix}sw{link.name}"
            sh("ip", "netns", "add", sw)
            sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge")
            sh("ip", "-n", sw, "link", "set", "br0", "up")
            for m in members:
                itf = itf_of[(m, link.name)].name
                sh("ip", "link", "add", itf, "netns", f"{prefix}{m}", "type", "veth", "peer",
                   m, "netns", sw)
                sh("ip", "-n", sw, "link", "set", m, "master", "br0", "up")
        else:
            a, b = members
            sh("ip", "link", "add", itf_of[(a, link.name)].name, "netns", f"{prefix}{a}",
               "type", "veth", "peer", itf_of[(b, link.name)].name, "netns", f"{prefix}{b}")
    for node, itfs in topo.interfaces.items():
        ns = f"{prefix}{node}"
        for itf in itfs:
            if itf.v4 is not None:
                sh("ip", "-n", ns, "addr", "add", str(itf.v4), "dev", itf.name)
            if itf.v6 is not None:
                sh("ip", "-n", ns, "addr", "add", str(itf.v6), "dev", itf.name, "nodad")
            sh("ip", "-n", ns, "link", "set", itf.name, "up")
    for node, routes in topo.routes.items():
        ns = f"{prefix}{node}"
        for route in routes:
            argv = ["ip", "-n", ns, f"-{route.family}", "route", "replace", route.dst]
            for hop in route.via:
                argv += ["nexthop", "via", hop] if len(route.via) > 1 else ["via", hop]
            sh(*argv)


def shell_down(prefix: str) -> None:
    """Delete every namespace starting with ``prefix``."""
    names = [n for n in os.listdir("/run/netns") if n.startswith(prefix)]
    for name in names:
        subprocess.run(["ip", "netns", "del", name], check=True)


def timed(func: object, *args: object) -> float:
    start = time.perf_counter()
    func(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    if os.geteuid() != 0:
        print("benchmarks/lab.py needs root (network namespaces)")
        return 0
    import pyroute2  # noqa: F401  (import cost is paid once, as by any long-lived user)

    failed = False
    for ref, target in TARGETS.items():
        ups, downs, peer_ups, peer_downs = [], [], [], []
        for i in range(RUNS):
            name = f"bench{os.getpid()}_{i}"
            start = time.perf_counter()
            lab = Lab.up(ref, name=name)
            ups.append(time.perf_counter() - start)
            downs.append(timed(lab.down))
            prefix = f"pqb{os.getpid()}{i}-"
            try:
                peer_ups.append(timed(shell_build, load(ref), prefix))
            finally:
                peer_downs.append(timed(shell_down, prefix))
        up, down = statistics.median(ups), statistics.median(downs)
        peer_up, peer_down = statistics.median(peer_ups), statistics.median(peer_downs)
        ok_up, ok_down = up < target, down < DOWN_TARGET
        failed |= not (ok_up and ok_down)
        print(f"{ref:8} up   {up:6.3f} s (target < {target:.0f} s: {'ok' if ok_up else 'MISSED'})"
              f"   shell-style {peer_up:6.3f} s without services: x{peer_up / up:.1f}")
        print(f"{ref:8} down {down:6.3f} s (target < {DOWN_TARGET:.0f} s: "
              f"{'ok' if ok_down else 'MISSED'})   shell-style {peer_down:6.3f} s: "
              f"x{peer_down / down:.1f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
