"""The lab's Python API: :class:`Lab` (up, attach, down) and :class:`Node` (exec, run, logs).

Needs root::

    from paquet.lab import Lab

    with Lab.up("tp") as lab:
        lab["client"].exec(["ping", "-c1", lab["server"].addr()]).returncode   # 0
"""

from __future__ import annotations

import ipaddress
import shlex
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from paquet.errors import LabError
from paquet.lab import state as _state
from paquet.lab.netns import fork_call, list_namespaces, namespace_path
from paquet.lab.services import LogRecord, log_path, read_log
from paquet.lab.topology import LAB_NAME_RE, Topology, load

__all__ = ["InterfaceInfo", "Lab", "Node", "describe", "down_all", "server_label"]

T = TypeVar("T")


@dataclass(frozen=True)
class InterfaceInfo:
    """One interface of a running node: its name, link, peers and addresses (with prefix)."""

    name: str
    link: str
    peers: tuple[str, ...]
    v4: str | None
    v6: str | None
    mac: str = ""


class Node:
    """A node of a running lab: a network namespace you can run commands and Python in."""

    def __init__(self, lab: Lab, data: dict[str, Any]) -> None:
        self.lab = lab
        self.name: str = data["name"]
        self.kind: str = data["kind"]
        #: the node's network namespace (``ip netns exec NS ...``)
        self.ns: str = data["ns"]
        self.interfaces: list[InterfaceInfo] = [
            InterfaceInfo(i["name"], i["link"], tuple(i["peers"]), i["v4"], i["v6"],
                          i.get("mac", ""))
            for i in data["interfaces"]
        ]
        self.routes: list[dict[str, Any]] = data["routes"]
        #: services as declared, e.g. ``["udp:10000:echo", "http:80"]``
        self.services: list[str] = data["services"]
        self.firewall: dict[str, Any] = data["firewall"]
        self.silent: bool = data["silent"]
        self.description: str = data.get("description", "")
        #: the Debian servers running inside the node (``paquet.lab.servers``): one dict per
        #: kind (``kind``, ``program``, ``status``: running, missing: ..., failed: ...; ``pid``)
        self.servers: list[dict[str, Any]] = data.get("servers", [])

    def __repr__(self) -> str:
        return f"<Node {self.name} ({self.kind}) {' '.join(self.addresses)}>"

    @property
    def addresses(self) -> list[str]:
        """Every address of the node (no prefix length), IPv4 ones first."""
        v4 = [i.v4.split("/")[0] for i in self.interfaces if i.v4]
        v6 = [i.v6.split("/")[0] for i in self.interfaces if i.v6]
        return v4 + v6

    def addr(self, version: int = 4, link: str | None = None) -> str:
        """The node's first address of IP ``version`` (on ``link`` when given)."""
        if version not in (4, 6):
            raise LabError(f"IP version is 4 or 6, not {version!r}")
        for itf in self.interfaces:
            value = itf.v4 if version == 4 else itf.v6
            if value and (link is None or itf.link == link):
                return value.split("/")[0]
        where = f" on link {link}" if link else ""
        raise LabError(f"{self.name} has no IPv{version} address{where}")

    def iface(self, peer: str) -> str:
        """The name of this node's interface towards node ``peer``."""
        for itf in self.interfaces:
            if peer in itf.peers:
                return itf.name
        raise LabError(f"{self.name} has no link to {peer}")

    def _argv(self, cmd: Sequence[str] | str) -> list[str]:
        argv = shlex.split(cmd) if isinstance(cmd, str) else [str(c) for c in cmd]
        if not argv:
            raise LabError("empty command")
        if not namespace_path(self.ns).exists():
            raise LabError(f"node {self.name}: namespace {self.ns} is gone (is the lab down?)")
        return ["ip", "netns", "exec", self.ns, *argv]

    def exec(
        self,
        cmd: Sequence[str] | str,
        *,
        check: bool = False,
        timeout: float | None = 60,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run ``cmd`` inside the node and wait for it; output captured as text.

        ``check=True`` raises :class:`LabError` (with the command's stderr) on a non-zero exit.
        """
        argv = self._argv(cmd)
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                                  input=input, check=False)
        except subprocess.TimeoutExpired:
            raise LabError(f"{self.name}: {shlex.join(argv[4:])} timed out after {timeout} s") \
                from None
        if check and proc.returncode != 0:
            raise LabError(f"{self.name}: {shlex.join(argv[4:])} exited with status "
                           f"{proc.returncode}: {proc.stderr.strip()[:300]}")
        return proc

    def popen(self, cmd: Sequence[str] | str, **kwargs: Any) -> subprocess.Popen[Any]:
        """Start ``cmd`` inside the node without waiting (``subprocess.Popen`` keywords)."""
        return subprocess.Popen(self._argv(cmd), **kwargs)

    def run(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Call ``func(*args, **kwargs)`` inside the node (a forked child) and return its result.

        ``func`` must be picklable (a module-level function), and so must its result; an
        exception it raises is raised here.
        """
        return fork_call(self.ns, func, args, kwargs)

    def run_for(self, timeout: float, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Like :meth:`run`, but the child is killed after ``timeout`` seconds (LabError)."""
        return fork_call(self.ns, func, args, kwargs, timeout)

    def _logdir(self) -> Path:
        return _state.lab_dir(self.lab.name) / "logs" / self.name

    def _service_key(self, key: str) -> str:
        keys = [":".join(s.split(":")[:2]) for s in self.services]
        if key not in keys:
            have = ", ".join(keys) or "none"
            raise LabError(f"{self.name} has no service {key!r} (services: {have})")
        return key

    def logs(self, service: str) -> list[LogRecord]:
        """What service ``"udp:10000"`` (``tcp:PORT``, ``http:PORT``) logged, oldest first."""
        return read_log(log_path(self._logdir(), self._service_key(service)))

    def server_log(self, kind: str) -> Path:
        """The log file of the node's server ``kind`` (``dns``, ``dhcp``...; nginx's access log
        for ``http`` and ``https``): text, one line per event, as the program writes it."""
        for server in self.servers:
            if server["kind"] == kind:
                log = Path(server.get("log") or self._logdir() / f"{kind}.log")
                return log.with_name("web-access.log") if kind in ("http", "https") else log
        have = ", ".join(s["kind"] for s in self.servers) or "none"
        raise LabError(f"{self.name} runs no server {kind!r} (servers: {have})")

    def received(self, service: str) -> list[bytes]:
        """The payloads service ``service`` received, in order (``recv`` events only)."""
        return [r.data for r in self.logs(service) if r.event == "recv"]

    def clear_logs(self, service: str | None = None) -> None:
        """Empty one service's log (or all of the node's)."""
        keys = [self._service_key(service)] if service else \
            [":".join(s.split(":")[:2]) for s in self.services]
        for key in keys:
            path = log_path(self._logdir(), key)
            if path.exists():
                path.write_text("")

    def wait_logs(self, service: str, count: int, timeout: float = 2.0) -> list[LogRecord]:
        """Wait until ``service`` logged at least ``count`` records (or ``timeout``)."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.logs(service)
            if len(records) >= count or time.monotonic() > deadline:
                return records
            time.sleep(0.01)


class Lab:
    """A running lab: its nodes by name, its map; ``down()`` removes it.

    Build one with :meth:`Lab.up`, find one another process built with :meth:`Lab.attach`.
    """

    def __init__(self, name: str, data: dict[str, Any], procs: list[Any] | None = None,
                 topology: Topology | None = None) -> None:
        self.name = name
        self._map = data
        self._procs = procs or []
        #: the topology it was built from (None when attached from another process)
        self.topology = topology
        self.nodes: dict[str, Node] = {n["name"]: Node(self, n) for n in data["nodes"]}
        #: the lab's DNS zone (``tp.example``) when it runs servers, else None
        self.zone: str | None = data.get("zone")

    @classmethod
    def up(cls, ref: str | Path | Topology, name: str | None = None, **params: int) -> Lab:
        """Build a lab: a built-in (``"tp"``, ``"chain:8"``), a TOML path, or a Topology.

        ``name`` defaults to the topology's; ``params`` set its parameters (``n=8``).
        """
        from paquet.lab.builder import build

        topo = ref if isinstance(ref, Topology) else load(ref, **params)
        lab_name = name or topo.name
        if not LAB_NAME_RE.match(lab_name):
            raise LabError(f"lab name {lab_name!r}: 1-24 characters: a-z, 0-9, _")
        state, procs = build(topo, lab_name)
        return cls(lab_name, state["map"], procs, topo)

    @classmethod
    def attach(cls, name: str) -> Lab:
        """The running lab ``name`` (built by any process)."""
        state = _state.load_state(name)
        if state is None or not state.get("complete"):
            raise LabError(f"no lab named {name!r} is up (paquet lab list / status)")
        if not list_namespaces(_state.ns_prefix(name)):
            raise LabError(f"lab {name!r} has a state but no namespaces (crashed?): "
                           f"paquet lab down {name}")
        return cls(name, state["map"])

    @staticmethod
    def running() -> list[str]:
        """Names of the labs that are up (complete state and namespaces present)."""
        out = []
        for name in _state.labs_on_disk():
            st = _state.load_state(name)
            if st and st.get("complete") and list_namespaces(_state.ns_prefix(name)):
                out.append(name)
        return out

    def down(self) -> None:
        """Remove everything the lab created (processes, namespaces, state). Idempotent."""
        _state.teardown(self.name)
        for proc in self._procs:
            try:
                proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                proc.kill()
        self._procs = []

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.down()

    def __getitem__(self, node: str) -> Node:
        try:
            return self.nodes[node]
        except KeyError:
            raise LabError(f"lab {self.name} has no node {node!r} "
                           f"(nodes: {', '.join(self.nodes)})") from None

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __repr__(self) -> str:
        return f"<Lab {self.name} ({self._map['topology']}): {', '.join(self.nodes)}>"

    @property
    def hosts(self) -> list[Node]:
        """The nodes that are hosts (not routers)."""
        return [n for n in self.nodes.values() if n.kind == "host"]

    def node_of(self, address: str) -> Node:
        """The node that owns ``address``."""
        ip = str(ipaddress.ip_address(address))
        for node in self.nodes.values():
            if ip in node.addresses:
                return node
        raise LabError(f"no node of lab {self.name} has address {address}")

    def server_warnings(self) -> list[str]:
        """One line per server that is not running (program missing, or failed to start), and
        per node file that could not be written (its resolv.conf)."""
        return [f"{node.name}: {server['kind']} not running: {server['status']}"
                for node in self.nodes.values() for server in node.servers
                if server.get("status") != "running"] + list(self._map.get("notes", []))

    def map(self) -> dict[str, Any]:
        """The lab as plain data: nodes (interfaces, addresses, routes, services) and links."""
        return self._map

    def graph(self) -> Any:
        """The lab's topology as a picture (:func:`paquet.draw.topology.topology_graph`)."""
        from paquet.draw.topology import topology_graph

        return topology_graph(self._map)

    def _repr_svg_(self) -> str | None:
        """The topology in a notebook (None without graphviz)."""
        return self.graph()._repr_svg_()  # type: ignore[no-any-return]


def down_all() -> list[str]:
    """Remove every lab on this machine, including leftovers of crashed ones; their names."""
    return _state.teardown_all()


def server_label(server: dict[str, Any]) -> str:
    """``dns (dnsmasq)``, ``dhcp:lan (dnsmasq)``, ``snmp (snmpd MISSING)``: a server as maps
    show it."""
    status = str(server.get("status", ""))
    word = "" if status in ("running", "planned") else f" {status.split(':')[0].upper()}"
    where = f":{server['link']}" if server.get("link") else ""
    return f"{server['kind']}{where} ({server['program']}{word})"


def describe(lab: Lab | dict[str, Any]) -> str:
    """A plain-text map of a lab: one line per node (kind, interfaces, addresses, services)."""
    data = lab.map() if isinstance(lab, Lab) else lab
    lines = [f"lab {data['name']} ({data['topology']})"]
    if data.get("description"):
        lines.append("  " + data["description"].splitlines()[0])
    width = max((len(n["name"]) for n in data["nodes"]), default=4)
    for node in data["nodes"]:
        head = f"  {node['name']:<{width}}  {node['kind']:<6}"
        extras = []
        if node["services"]:
            extras.append("services " + " ".join(node["services"]))
        if node.get("servers"):
            extras.append("servers " + " ".join(server_label(s) for s in node["servers"]))
        fw = node["firewall"]
        if fw["drop"]:
            extras.append("drops " + " ".join(fw["drop"]))
        if fw["reject"]:
            extras.append("rejects " + " ".join(fw["reject"]))
        if node["silent"]:
            extras.append("silent")
        first = True
        for itf in node["interfaces"]:
            addrs = " ".join(a for a in (itf["v4"], itf["v6"]) if a)
            peers = ",".join(itf["peers"])
            prefix = head if first else " " * len(head)
            lines.append(f"{prefix}  {itf['name']:<5} {addrs}  -> {peers}")
            first = False
        if first:
            lines.append(head)
        if extras:
            lines.append(" " * len(head) + "  " + "; ".join(extras))
    for link in data["links"]:
        impair = []
        for key in ("loss", "rate", "delay"):
            for sender, value in link[key].items():
                unit = "%" if key == "loss" else ""
                impair.append(f"{key} {value:g}{unit} from {sender}" if key == "loss"
                              else f"{key} {value} from {sender}")
        if impair:
            lines.append(f"  link {link['name']}: " + ", ".join(impair))
    return "\n".join(lines)
