"""Is a lab healthy? Reachability between hosts (ping, IPv4 and IPv6) and every service answering.

A node's own firewall is taken into account (a dropped or rejected port must *not* answer, a node
that drops pings must not answer them); firewalls of routers along the way are not.

``paquet lab check`` prints these checks; ``paquet demo`` can show them::

    for check in run_checks(lab):
        print("ok " if check.ok else "FAIL", check.name, check.detail)
"""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.request
from typing import TYPE_CHECKING

from paquet.errors import LabError
from paquet.lab.traffic import recv_echo
from paquet.lab.verdict import Check

if TYPE_CHECKING:
    from paquet.lab.core import Lab, Node

__all__ = ["Check", "probe_http", "probe_tcp", "probe_udp", "run_checks", "summary"]

PROBE = b"paquet lab check"


def _family(address: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def probe_udp(address: str, port: int, echo: bool, timeout: float = 1.0) -> str:
    """Send the probe datagram; the echo (or '' when no echo is expected or none came)."""
    with socket.socket(_family(address), socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((address, port))
        s.send(PROBE)
        if not echo:
            return ""
        with contextlib.suppress(TimeoutError, ConnectionRefusedError):
            return s.recv(65535).decode("utf-8", "replace")
    return ""


def probe_tcp(address: str, port: int, echo: bool, timeout: float = 1.0) -> str:
    """Connect, send the probe, read the echo back when one is expected."""
    with socket.create_connection((address, port), timeout=timeout) as s:
        s.sendall(PROBE)
        if not echo:
            return ""
        data = recv_echo(s, len(PROBE))
    return data.decode("utf-8", "replace")


def probe_http(address: str, port: int, timeout: float = 2.0) -> str:
    """GET / and return the status line's code and reason."""
    host = f"[{address}]" if ":" in address else address
    with urllib.request.urlopen(f"http://{host}:{port}/", timeout=timeout) as reply:
        return f"{reply.status} {reply.reason}"


def _ping(src: Node, dst: Node, address: str) -> Check:
    proc = src.exec(["ping", "-c1", "-W1", "-n", address], timeout=10)
    answered = proc.returncode == 0
    name = f"ping {src.name} -> {address}"
    if not dst.firewall.get("ping", True):
        return Check(name, not answered, "answered, though its firewall drops pings"
                     if answered else "no answer: its firewall drops pings, as configured")
    if answered:
        detail = next((line.split("time=")[-1] for line in proc.stdout.splitlines()
                       if "time=" in line), "answered")
    else:
        detail = "no answer"
    return Check(name, answered, detail)


def _blocked(node: Node, proto: str, port: int) -> str | None:
    """'drop' or 'reject' when the node's firewall covers ``proto`` ``port``, else None."""
    for action in ("drop", "reject"):
        for rule in node.firewall.get(action, []):
            rule_proto, _, ports = rule.partition(":")
            first, _, last = ports.partition("-")
            if rule_proto == proto and int(first) <= port <= int(last or first):
                return action
    return None


def _service(src: Node, node: Node, service: str, version: int) -> Check:
    kind, port_text, *rest = service.split(":")
    port, echo = int(port_text), bool(rest)
    address = node.addr(version)
    name = f"{kind} {node.name} {address} port {port} from {src.name}"
    blocked = _blocked(node, "udp" if kind == "udp" else "tcp", port)
    if blocked is not None:
        return _blocked_service(src, node, kind, address, port, blocked, name)
    before = len(node.logs(f"{kind}:{port}"))
    try:
        if kind == "udp":
            got = src.run_for(5, probe_udp, address, port, echo)
        elif kind == "tcp":
            got = src.run_for(5, probe_tcp, address, port, echo)
        else:
            got = src.run_for(5, probe_http, address, port)
    except (OSError, LabError) as exc:
        return Check(name, False, str(exc) or type(exc).__name__)
    if kind == "http":
        return Check(name, got.startswith("200"), got)
    if echo and got != PROBE.decode():
        return Check(name, False, f"echo expected, got {got!r}")
    logged = node.wait_logs(f"{kind}:{port}", before + 1, timeout=2.0)
    if len(logged) <= before:
        return Check(name, False, "nothing logged")
    return Check(name, True, "echoed and logged" if echo else "logged")


def _blocked_service(src: Node, node: Node, kind: str, address: str, port: int, action: str,
                     name: str) -> Check:
    """A service behind its node's firewall: it must not be reached (nothing logged)."""
    key = f"{kind}:{port}"
    before = len(node.logs(key))
    try:
        if kind == "udp":
            src.run_for(5, probe_udp, address, port, False)
        else:
            src.run_for(5, probe_tcp, address, port, False, 0.5)
        reached = kind != "udp"  # a TCP connection was accepted: the firewall let it through
    except (OSError, LabError):
        reached = False
    time.sleep(0.05)
    reached = reached or len(node.logs(key)) > before
    how = "dropped" if action == "drop" else "rejected"
    return Check(name, not reached, f"reached, though its firewall should have {how} it"
                 if reached else f"{how} by its firewall, as configured")


def run_checks(lab: Lab, ping: bool = True, services: bool = True) -> list[Check]:
    """Every host pings every other (IPv4 and IPv6), every service answers a host, and every
    real server answers its real client (``paquet.lab.servercheck``)."""
    checks: list[Check] = []
    hosts = lab.hosts
    if ping:
        for src in hosts:
            for dst in hosts:
                if dst is src:
                    continue
                for address in dst.addresses[:1] + [a for a in dst.addresses if ":" in a][:1]:
                    checks.append(_ping(src, dst, address))
    if services:
        for node in lab.nodes.values():
            others = [h for h in hosts if h is not node]
            if not node.services or not others:
                continue
            src = others[0]
            for service in node.services:
                for version in (4, 6):
                    try:
                        node.addr(version)
                    except LabError:
                        continue
                    checks.append(_service(src, node, service, version))
        from paquet.lab.servercheck import server_checks

        checks += server_checks(lab)
    return checks


def summary(checks: list[Check]) -> str:
    """``"40/40 checks passed"`` (with the failures' names when some failed)."""
    failed = [c for c in checks if not c.ok]
    text = f"{len(checks) - len(failed)}/{len(checks)} checks passed"
    if failed:
        text += ": failed " + "; ".join(c.name for c in failed)
    return text
