"""Build a topology: namespaces, veths, bridges, addresses, routes, nft, tc, services.

Nothing is created in the machine's own namespace: each node and each LAN switch gets its own
namespace (``pq-LAB-NODE``, ``pq-LAB-sw-LINK``) and veth pairs are born with both ends already in
their namespaces. Netlink goes through pyroute2, one socket per namespace opened by a thread that
entered it; each namespace gets at most one ``nft -f -`` and one ``tc -batch -``; all the services
of a node run in one Python process.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from pathlib import Path
from typing import Any

import paquet
from paquet.errors import LabError
from paquet.lab import servers
from paquet.lab.netns import (
    create_namespaces,
    in_netns,
    namespace_path,
    require_root,
)
from paquet.lab.state import claim, node_ns, save_state, switch_ns, teardown
from paquet.lab.topology import RP_FILTER, LinkSpec, Topology
from paquet.lab.zone import PROGRAMS, zone_name

__all__ = [
    "build", "lab_map", "netem_available", "nft_ruleset", "route_batch", "switch_ruleset",
    "tc_batch",
]

SIOCETHTOOL = 0x8946
# ethtool legacy "set" commands: TX checksum, TCP segmentation, generic segmentation, GRO.
ETHTOOL_OFFLOADS = (0x17, 0x1F, 0x24, 0x2C)
IFA_F_NODAD = 0x02
ND_TYPES = "nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, " \
    "nd-redirect"
SERVICE_READY_TIMEOUT = 10.0
VETH_INDEX_BASE = 1000
OPERSTATE_TIMEOUT = 3.0
ROUTE_BATCH_THRESHOLD = 8

_netem: tuple[bool, str] | None = None


# ----------------------------------------------------------------------------- sysctls


def _write_sysctl(key: str, value: str) -> None:
    path = "/proc/sys/" + key.replace(".", "/")
    try:
        with open(path, "w") as f:
            f.write(value)
    except OSError as exc:
        raise LabError(f"sysctl {key}={value}: {exc.strerror}") from None


def node_sysctls(topo: Topology, node: str) -> list[tuple[str, str]]:
    """The sysctls a node gets, before its interfaces exist (``default`` applies to them)."""
    spec = topo.nodes[node]
    fwd = "1" if spec.forwarding else "0"
    rp = str(RP_FILTER[spec.rp_filter])
    out = [
        ("net.ipv4.ip_forward", fwd),
        ("net.ipv4.conf.all.rp_filter", rp),
        ("net.ipv4.conf.default.rp_filter", rp),
        ("net.ipv4.fib_multipath_hash_policy", "1"),
        ("net.ipv6.conf.all.accept_dad", "0"),
        ("net.ipv6.conf.default.accept_dad", "0"),
        ("net.ipv6.conf.all.forwarding", fwd),
        ("net.ipv6.conf.default.forwarding", fwd),
        ("net.ipv6.conf.all.accept_ra", "0"),
        ("net.ipv6.conf.default.accept_ra", "0"),
        ("net.ipv6.fib_multipath_hash_policy", "1"),
    ]
    if not topo.ipv6:
        out += [("net.ipv6.conf.all.disable_ipv6", "1"),
                ("net.ipv6.conf.default.disable_ipv6", "1")]
    if topo.icmp_ratelimit == "off":
        out += [
            ("net.ipv4.icmp_ratelimit", "0"),
            ("net.ipv4.icmp_ratemask", "0"),
            ("net.ipv4.icmp_msgs_per_sec", "1000000"),
            ("net.ipv4.icmp_msgs_burst", "1000000"),
            ("net.ipv6.icmp.ratelimit", "0"),
        ]
    out += list(spec.sysctls)
    return out


SWITCH_SYSCTLS = [
    ("net.ipv6.conf.all.disable_ipv6", "1"),
    ("net.ipv6.conf.default.disable_ipv6", "1"),
]


# ----------------------------------------------------------------------------- nft and tc


def nft_ruleset(topo: Topology, lab: str, node: str) -> str:
    """The nft script for ``node`` (firewall, silent router, IPv6 rp filter, link loss), or ''."""
    spec = topo.nodes[node]
    table = f"pq_{lab}"
    lines: list[str] = []
    fw = spec.firewall
    filter_rules: list[str] = []
    if fw:
        filter_rules += [f"{rule.nft} counter drop" for rule in fw.drop]
        for rule in fw.reject:
            how = "reject with tcp reset" if rule.proto == "tcp" else \
                "reject with icmpx type port-unreachable"
            filter_rules.append(f"{rule.nft} counter {how}")
        if not fw.ping:
            filter_rules += ["icmp type echo-request counter drop",
                             "icmpv6 type echo-request counter drop"]
    chains: list[str] = []
    if filter_rules:
        hooks = ["input"] + (["forward"] if spec.forwarding else [])
        for hook in hooks:
            chains.append(_chain(hook, f"type filter hook {hook} priority filter; policy accept;",
                                 filter_rules))
    if spec.silent:
        chains.append(_chain("silent", "type filter hook output priority filter; policy accept;",
                             ["icmp type time-exceeded counter drop",
                              "icmpv6 type time-exceeded counter drop"]))
    if spec.rp_filter != "off" and topo.ipv6:
        match = "fib saddr . iif oif missing" if spec.rp_filter == "strict" else \
            "fib saddr oif missing"
        chains.append(_chain("rpfilter", "type filter hook prerouting priority raw; policy accept;",
                             [f"meta nfproto ipv6 {match} counter drop"]))
    if chains:
        lines.append(f"table inet {table} {{")
        lines += chains
        lines.append("}")
    loss_chains = []
    for itf in topo.interfaces[node]:
        link = _link(topo, itf.link)
        if not link.is_lan:
            # What the peer sends on this link is dropped as it arrives here.
            loss_chains += _loss_chain(itf.name, link.loss.get(itf.peers[0], 0.0))
    if loss_chains:
        lines.append(f"table netdev {table} {{")
        lines += loss_chains
        lines.append("}")
    return "\n".join(lines) + ("\n" if lines else "")


def _loss_chain(device: str, percent: float) -> list[str]:
    """An ingress chain dropping ``percent`` % of what arrives on ``device`` (not IPv6 ND).

    Loss is applied where packets arrive, not where they leave: an egress drop would be
    reported to a local sender (ENOBUFS), which then retries, unlike on a real link.
    """
    if percent <= 0:
        return []
    rnd = f"numgen random mod 10000 < {round(percent * 100)} counter drop"
    return [_chain(
        f"loss_{device}",
        f'type filter hook ingress device "{device}" priority filter; policy accept;',
        [f"meta protocol ip {rnd}",
         f"meta protocol ip6 meta l4proto != ipv6-icmp {rnd}",
         f"meta protocol ip6 icmpv6 type != {{ {ND_TYPES} }} {rnd}"],
    )]


def switch_ruleset(topo: Topology, lab: str, link_name: str) -> str:
    """The nft script of a LAN's switch: loss on what each member sends into it, or ''."""
    link = _link(topo, link_name)
    chains: list[str] = []
    for member in link.members:
        chains += _loss_chain(member, link.loss.get(member, 0.0))
    if not chains:
        return ""
    return "\n".join([f"table netdev pq_{lab} {{", *chains, "}"]) + "\n"


def _chain(name: str, head: str, rules: list[str]) -> str:
    body = "\n".join(f"\t\t{r}" for r in rules)
    return f"\tchain {name} {{\n\t\t{head}\n{body}\n\t}}"


def _link(topo: Topology, name: str) -> LinkSpec:
    return next(link for link in topo.links if link.name == name)


RATE_UNITS = {"bit": 1, "kbit": 10**3, "mbit": 10**6, "gbit": 10**9,
              "bps": 8, "kbps": 8 * 10**3, "mbps": 8 * 10**6, "gbps": 8 * 10**9}


def rate_bits(rate: str) -> float:
    """A tc rate (``"10mbit"``) in bits per second."""
    m = re.match(r"^(\d+(?:\.\d+)?)([a-z]+)$", rate)
    if m is None or m.group(2) not in RATE_UNITS:
        raise LabError(f"rate {rate!r}: expected e.g. 1mbit")
    return float(m.group(1)) * RATE_UNITS[m.group(2)]


def tc_batch(topo: Topology, node: str) -> str:
    """``tc -batch`` lines for the node's sending rate limits and delays, or ''."""
    out = []
    for itf in topo.interfaces[node]:
        link = _link(topo, itf.link)
        rate, delay = link.rate.get(node), link.delay.get(node)
        parent = "root"
        if delay is not None:
            jitter = link.jitter.get(node, "")
            out.append(f"qdisc add dev {itf.name} root handle 1: netem delay {delay} {jitter}"
                       .rstrip())
            parent = "parent 1:1"
        if rate is not None:
            burst = max(3028, int(rate_bits(rate) / 8 / 50))
            out.append(f"qdisc add dev {itf.name} {parent} handle 10: tbf rate {rate} "
                       f"burst {burst} latency 100ms")
    return "\n".join(out) + ("\n" if out else "")


def _run_tool(argv: list[str], script: str, what: str) -> None:
    """Run ``argv`` reading ``script`` on stdin (from the calling thread's namespace)."""
    try:
        proc = subprocess.run(argv, input=script, capture_output=True, text=True, timeout=20)
    except FileNotFoundError:
        raise LabError(f"{what}: {argv[0]} is not installed (scripts/system-deps)") from None
    if proc.returncode != 0:
        message = " ".join(proc.stderr.split())[:300]
        raise LabError(f"{what}: {argv[0]} failed: {message}")


def netem_available() -> tuple[bool, str]:
    """Whether this kernel has the netem qdisc (tried once on a scratch namespace), and why not."""
    global _netem
    if _netem is None:
        def probe() -> tuple[bool, str]:
            if ctypes.CDLL(None, use_errno=True).unshare(0x40000000) != 0:
                return False, "cannot create a scratch namespace to test netem"
            proc = subprocess.run(
                ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"],
                capture_output=True, text=True, timeout=10,
            )
            return proc.returncode == 0, " ".join(proc.stderr.split())

        from paquet.lab.netns import _run_thread

        _netem = _run_thread(probe)
    return _netem


# ----------------------------------------------------------------------------- netlink


def _ethtool_off(sock: socket.socket, ifname: str) -> None:
    """Turn off TX checksum offload, TSO, GSO and GRO: captures show what a wire would carry."""
    for cmd in ETHTOOL_OFFLOADS:
        value = ctypes.create_string_buffer(struct.pack("II", cmd, 0), 8)
        ifr = struct.pack("16sP", ifname.encode(), ctypes.addressof(value)).ljust(40, b"\0")
        try:
            fcntl.ioctl(sock.fileno(), SIOCETHTOOL, ifr)
        except OSError as exc:
            if cmd == ETHTOOL_OFFLOADS[0]:
                raise LabError(f"{ifname}: cannot turn TX checksum offload off: {exc}") from None


def _links_by_name(ipr: Any) -> dict[str, int]:
    return {link.get_attr("IFLA_IFNAME"): link["index"] for link in ipr.get_links()}


def _configure_node_links(topo: Topology, node: str) -> None:
    """Inside the node: lo up, addresses, interfaces up, offloads off."""
    from pyroute2 import IPRoute

    with IPRoute() as ipr:
        index = _links_by_name(ipr)
        ipr.link("set", index=index["lo"], state="up")
        for itf in topo.interfaces[node]:
            idx = index[itf.name]
            if itf.mac:
                ipr.link("set", index=idx, address=itf.mac)
            if itf.v4 is not None:
                ipr.addr("add", index=idx, address=str(itf.v4.ip),
                         prefixlen=itf.v4.network.prefixlen,
                         broadcast=str(itf.v4.network.broadcast_address))
            if itf.v6 is not None:
                ipr.addr("add", index=idx, address=str(itf.v6.ip),
                         prefixlen=itf.v6.network.prefixlen, flags=IFA_F_NODAD)
            ipr.link("set", index=idx, state="up")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for itf in topo.interfaces[node]:
            _ethtool_off(sock, itf.name)


def route_batch(topo: Topology, node: str) -> str:
    """The node's routes as ``ip -batch`` lines (used for large route tables)."""
    lines = []
    for route in topo.routes[node]:
        dst = route.dst if route.dst != "default" else ("0.0.0.0/0" if route.family == 4
                                                         else "::/0")
        if len(route.via) == 1:
            hops = f"via {route.via[0]}"
        else:
            hops = " ".join(f"nexthop via {hop}" for hop in route.via)
        lines.append(f"route replace {dst} {hops}")
    return "\n".join(lines) + ("\n" if lines else "")


def _configure_node_routes(topo: Topology, lab: str, node: str) -> None:
    """Inside the node: static routes, then nft rules and tc qdiscs.

    pyroute2 costs about 0.4 ms a route, ``ip -batch`` one process (about 4 ms) for hundreds:
    small tables go through netlink directly, large ones (long chains) through ``ip -batch``.
    """
    from pyroute2 import IPRoute
    from pyroute2.netlink.exceptions import NetlinkError

    routes = topo.routes[node]
    if len(routes) > ROUTE_BATCH_THRESHOLD:
        _run_tool(["ip", "-batch", "-"], route_batch(topo, node), f"{node}: routes")
    elif routes:
        with IPRoute() as ipr:
            for route in routes:
                family = socket.AF_INET if route.family == 4 else socket.AF_INET6
                dst = route.dst if route.dst != "default" else \
                    ("0.0.0.0/0" if route.family == 4 else "::/0")
                kwargs: dict[str, Any] = {"dst": dst, "family": family}
                if len(route.via) == 1:
                    kwargs["gateway"] = route.via[0]
                else:
                    kwargs["multipath"] = [{"gateway": hop} for hop in route.via]
                try:
                    ipr.route("replace", **kwargs)
                except NetlinkError as exc:
                    raise LabError(f"{node}: route {route}: {exc.args[-1]}") from None
    script = nft_ruleset(topo, lab, node)
    if script:
        _run_tool(["nft", "-f", "-"], script, f"{node}: nftables")
    batch = tc_batch(topo, node)
    if batch:
        _run_tool(["tc", "-batch", "-"], batch, f"{node}: tc")


def _finish_node(topo: Topology, lab: str, node: str) -> None:
    """Inside the node, once its links are up: routes, rules, qdiscs."""
    _wait_operstate_up([itf.name for itf in topo.interfaces[node]])
    _configure_node_routes(topo, lab, node)


def _wait_operstate_up(names: list[str]) -> None:
    """Inside a namespace: wait until ``names`` are operationally up (carrier seen)."""
    from pyroute2 import IPRoute

    deadline = time.monotonic() + OPERSTATE_TIMEOUT
    with IPRoute() as ipr:
        while True:
            states = {link.get_attr("IFLA_IFNAME"): link.get_attr("IFLA_OPERSTATE")
                      for link in ipr.get_links()}
            if all(states.get(n) == "UP" for n in names) or time.monotonic() > deadline:
                return
            time.sleep(0.005)


def _configure_switch(ports: list[str], bridge: str, script: str) -> None:
    """Inside a switch namespace: a bridge (no STP delay, no snooping) enslaving every port."""
    from pyroute2 import IPRoute

    with IPRoute() as ipr:
        ipr.link("add", ifname=bridge, kind="bridge", br_stp_state=0, br_forward_delay=0,
                 br_mcast_snooping=0)
        index = _links_by_name(ipr)
        for port in ports:
            ipr.link("set", index=index[port], master=index[bridge], state="up")
        ipr.link("set", index=index[bridge], state="up")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for port in ports:
            _ethtool_off(sock, port)
    if script:
        _run_tool(["nft", "-f", "-"], script, f"switch {bridge}: nftables")


def _create_veths(topo: Topology, lab: str) -> None:
    """Every veth pair, each end created directly in its namespace with its final name."""
    from pyroute2 import IPRoute
    from pyroute2.netlink.exceptions import NetlinkError

    fds: dict[str, int] = {}

    def fd(ns: str) -> int:
        if ns not in fds:
            fds[ns] = os.open(namespace_path(ns), os.O_RDONLY)
        return fds[ns]

    itf_of = {(itf.node, itf.link): itf for itfs in topo.interfaces.values() for itf in itfs}
    created = 0
    try:
        with IPRoute() as ipr:
            for link in topo.links:
                if link.is_lan:
                    sw = switch_ns(lab, link.name)
                    pairs = [(node_ns(lab, m), itf_of[(m, link.name)].name, sw, m)
                             for m in link.members]
                else:
                    a, b = link.members
                    pairs = [(node_ns(lab, a), itf_of[(a, link.name)].name,
                              node_ns(lab, b), itf_of[(b, link.name)].name)]
                for ns_a, name_a, ns_b, name_b in pairs:
                    # An explicit ifindex on one end keeps the two ends' indexes different: the
                    # kernel then handles their carrier changes at once instead of up to 1 s
                    # later (linkwatch), during which nothing can be sent.
                    index = VETH_INDEX_BASE + created
                    created += 1
                    try:
                        ipr.link("add", index=index, ifname=name_a, kind="veth",
                                 net_ns_fd=fd(ns_a), peer={"ifname": name_b, "net_ns_fd": fd(ns_b)})
                    except NetlinkError as exc:
                        raise LabError(f"link {link.name}: cannot create veth "
                                       f"{name_a}/{name_b}: {exc.args[-1]}") from None
    finally:
        for n in fds.values():
            os.close(n)


# ----------------------------------------------------------------------------- services


def _start_services(topo: Topology, lab: str, node: str, folder: Path) -> tuple[Any, int] | None:
    """Start the node's service process from inside its namespace; (Popen, ready pipe)."""
    services = topo.nodes[node].services
    if not services:
        return None
    spec = {
        "node": node,
        "logdir": str(folder / "logs" / node),
        "services": [{"kind": s.kind, "port": s.port, "echo": s.echo} for s in services],
    }
    spec_path = folder / "services" / f"{node}.json"
    spec_path.parent.mkdir(parents=True, exist_ok=True)
    spec_path.write_text(json.dumps(spec), "utf-8")
    rfd, wfd = os.pipe()
    env = dict(os.environ)
    src = str(Path(paquet.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    stderr = (folder / "logs" / f"{node}.stderr")
    stderr.parent.mkdir(parents=True, exist_ok=True)
    with open(stderr, "ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "paquet.lab.services", str(spec_path), str(wfd)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
            pass_fds=(wfd,), start_new_session=True, env=env, cwd="/",
        )
    os.close(wfd)
    return proc, rfd


def _wait_ready(started: dict[str, tuple[Any, int]], folder: Path) -> None:
    """Wait until every service process says its sockets are bound (the caller closes the
    pipes)."""
    pending = {rfd: node for node, (_, rfd) in started.items()}
    replies: dict[str, bytes] = {node: b"" for node in started}
    deadline = time.monotonic() + SERVICE_READY_TIMEOUT
    while pending:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LabError(f"services of {', '.join(sorted(pending.values()))} did not start "
                           f"within {SERVICE_READY_TIMEOUT:g} s")
        ready, _, _ = select.select(list(pending), [], [], left)
        for rfd in ready:
            chunk = os.read(rfd, 4096)
            node = pending[rfd]
            replies[node] += chunk
            if not chunk or replies[node].endswith(b"\n"):
                del pending[rfd]
    for node, reply in replies.items():
        if reply.strip() != b"ok":
            detail = reply.decode(errors="replace").strip() or _tail(
                folder / "logs" / f"{node}.stderr")
            raise LabError(f"services of {node} failed to start: {detail}")


def _tail(path: Path) -> str:
    try:
        lines = path.read_text("utf-8", "replace").strip().splitlines()
    except OSError:
        return "no error output"
    return lines[-1] if lines else "the process exited"


# ----------------------------------------------------------------------------- the build


def lab_map(topo: Topology, lab: str) -> dict[str, Any]:
    """What a lab is made of, as plain data (saved in its state, printed by ``paquet lab up``)."""
    nodes = []
    for name, spec in topo.nodes.items():
        nodes.append({
            "name": name,
            "kind": spec.kind,
            "ns": node_ns(lab, name),
            "description": spec.description,
            "interfaces": [
                {"name": i.name, "link": i.link, "peers": list(i.peers), "mac": i.mac,
                 "v4": str(i.v4) if i.v4 else None, "v6": str(i.v6) if i.v6 else None}
                for i in topo.interfaces[name]
            ],
            "routes": [{"family": r.family, "dst": r.dst, "via": list(r.via)}
                       for r in topo.routes[name]],
            "services": [str(s) for s in spec.services],
            "servers": [{"kind": s.kind, "link": s.link, "program": PROGRAMS[s.kind],
                         "status": "planned", "pid": None} for s in spec.servers],
            "firewall": {"drop": [str(r) for r in spec.firewall.drop],
                         "reject": [str(r) for r in spec.firewall.reject],
                         "ping": spec.firewall.ping},
            "silent": spec.silent,
            "rp_filter": spec.rp_filter,
        })
    links = [
        {"name": link.name, "members": list(link.members), "lan": link.is_lan,
         "switch": switch_ns(lab, link.name) if link.is_lan else None,
         "subnet4": str(link.subnet4) if link.subnet4 else None,
         "subnet6": str(link.subnet6) if link.subnet6 else None,
         "loss": link.loss, "rate": link.rate, "delay": link.delay, "jitter": link.jitter}
        for link in topo.links
    ]
    has_servers = any(spec.servers for spec in topo.nodes.values())
    return {"name": lab, "topology": topo.name, "source": topo.source, "params": topo.params,
            "description": topo.description, "nodes": nodes, "links": links,
            "zone": zone_name(topo) if has_servers else None}


def build(topo: Topology, lab: str) -> tuple[dict[str, Any], list[Any]]:
    """Build ``topo`` as lab ``lab``; returns its saved state and the service ``Popen`` objects.

    On any failure everything created so far is removed and the error is raised.
    """
    require_root()
    if any(link.delay for link in topo.links):
        ok, why = netem_available()
        if not ok:
            raise LabError(
                "delay and jitter need the netem qdisc, which this kernel does not have "
                f"(tc: {why or 'netem unavailable'}); use loss and rate, which work without it"
            )
    taken = claim(lab)  # held until the lab is complete (or removed): one build per name
    try:
        return _build_claimed(topo, lab, taken.folder)
    finally:
        taken.release()


def _build_claimed(topo: Topology, lab: str, folder: Path) -> tuple[dict[str, Any], list[Any]]:
    """:func:`build` once the name is ours."""
    node_names = {n: node_ns(lab, n) for n in topo.nodes}
    switches = {link.name: switch_ns(lab, link.name) for link in topo.links if link.is_lan}
    namespaces = list(node_names.values()) + list(switches.values())
    state: dict[str, Any] = {
        "version": 1, "name": lab, "owner": os.getpid(), "created": time.time(),
        "namespaces": namespaces, "pids": [], "complete": False,
        "map": lab_map(topo, lab),
    }
    save_state(lab, state)
    procs: list[Any] = []
    started: dict[str, tuple[Any, int]] = {}
    daemons: list[Any] = []
    certs: list[Any] = []
    early: Future[Any] | None = None
    try:
        sysctls = {ns: node_sysctls(topo, n) for n, ns in node_names.items()}
        for ns in switches.values():
            sysctls[ns] = SWITCH_SYSCTLS

        def setup(ns: str) -> None:
            for key, value in sysctls[ns]:
                _write_sysctl(key, value)

        create_namespaces(namespaces, setup)
        # Services first: their interpreters start while the network is being wired (their
        # sockets listen on the unspecified address, which needs no interface yet).
        for node, ns in node_names.items():
            handle = in_netns(ns, _bind(_start_services, topo, lab, node, folder))
            if handle is not None:
                started[node] = handle
                procs.append(handle[0])
        state["pids"] = [p.pid for p in procs]
        save_state(lab, state)
        if any(spec.servers for spec in topo.nodes.values()):
            # Files written, certificates made and the servers that listen on the unspecified
            # address started by another thread while this one wires the network.
            early = Future[Any]()
            _in_thread(early, _bind(servers.start_early, topo, lab, folder, node_names))
        _create_veths(topo, lab)
        for link in topo.links:
            if link.is_lan:
                bridge = f"br-{link.name}"[:15]
                members = list(link.members)
                script = switch_ruleset(topo, lab, link.name)
                in_netns(switches[link.name], _bind(_configure_switch, members, bridge, script))
        for node, ns in node_names.items():
            in_netns(ns, _bind(_configure_node_links, topo, node))
        if early is not None:
            daemons, certs, state["map"]["notes"] = early.result()
            # The others bind the nodes' addresses or interfaces: started once they exist,
            # while routes and rules are being set.
            servers.start(daemons, certs, node_names, network=True)
        for node, ns in node_names.items():
            in_netns(ns, _bind(_finish_node, topo, lab, node))
        if daemons:
            running = [d.proc for d in daemons if d.proc is not None]
            procs += running
            state["server_pids"] = [p.pid for p in running]
            save_state(lab, state)
        _wait_ready(started, folder)
        if daemons:
            servers.wait_ready(daemons)
            _record_servers(state["map"], servers.summary(daemons))
        state["complete"] = True
        save_state(lab, state)
    except BaseException:
        if early is not None and not early.cancel():
            # What the servers' thread starts must exist before the teardown looks for it (a
            # future cancelled before its thread ran is never run).
            daemons, certs = _settle(early) or (daemons, certs)
        teardown(lab)
        for cert in certs:
            if cert[1] is not None:
                with contextlib.suppress(Exception):
                    cert[1].kill()
                    cert[1].wait(timeout=1)
        for p in procs:
            with contextlib.suppress(Exception):
                p.wait(timeout=1)
        raise
    finally:
        for _, rfd in started.values():
            os.close(rfd)
    return state, procs


def _in_thread(future: Future[Any], func: Callable[[], Any]) -> None:
    """Run ``func`` in a new thread, its result or exception set on ``future``.

    The future exists before the thread: an interruption anywhere in here leaves it either
    cancellable (the thread, if it ever runs, does nothing) or running to its end. A daemon
    thread: an interpreter leaving on an error never waits for one nobody asked for.
    """
    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(func())
        except BaseException as exc:  # the caller re-raises it from future.result()
            future.set_exception(exc)

    threading.Thread(target=run, name="paquet-servers", daemon=True).start()


def _settle(future: Future[Any]) -> tuple[list[Any], list[Any]] | None:
    """Wait for ``future`` to finish, through interruptions; its daemons and certificate
    processes (None when it failed)."""
    while not future.done():
        with contextlib.suppress(BaseException):
            wait([future])
    if future.exception() is not None:
        return None
    daemons, certs, _ = future.result()
    return daemons, certs


def _record_servers(data: dict[str, Any], running: dict[str, list[dict[str, Any]]]) -> None:
    """Copy the servers' status (running, missing, failed) and pids into the lab's map."""
    for node in data["nodes"]:
        by_kind = {s["kind"]: s for s in running.get(node["name"], [])}
        for server in node["servers"]:
            found = by_kind.get(server["kind"], {})
            server.update({k: found[k] for k in ("status", "pid", "log") if k in found})


def _bind(func: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: func(*args)
