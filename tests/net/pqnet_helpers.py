"""Namespaces for the network tests: a client, a router and a server, always torn down.

Topology (documentation ranges only)::

    client 198.51.100.2/24 --- 198.51.100.1 router 203.0.113.1 --- 203.0.113.10/24 server
           2001:db8:1::2/64        2001:db8:1::1 / 2001:db8:2::1       2001:db8:2::10/64

The server runs a UDP echo server and a TCP echo server on port 10000 that log what they
receive. ``in_ns(ns, func, *args)`` runs a picklable callable inside a namespace (a forked child
that joins it with setns) and returns its result or re-raises its exception.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from paquet.net.netns import setns

PYTHON = sys.executable

SERVER_SCRIPT = textwrap.dedent(
    """
    import socket, sys, threading
    log = open(sys.argv[1], "a", buffering=1)
    host = sys.argv[2] if len(sys.argv) > 2 else "::"
    def udp():
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind((host, 10000))
        while True:
            data, addr = s.recvfrom(65535)
            log.write(f"udp {addr[0]} {data!r}\\n")
            try:
                s.sendto(data, addr)
            except OSError:
                pass
    def tcp_client(c):
        with c:
            while True:
                data = c.recv(65535)
                if not data:
                    return
                log.write(f"tcp {data!r}\\n")
                c.sendall(data)
    def tcp():
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind((host, 10000))
        s.listen(64)
        while True:
            c, _ = s.accept()
            threading.Thread(target=tcp_client, args=(c,), daemon=True).start()
    threading.Thread(target=udp, daemon=True).start()
    log.write("ready\\n")
    tcp()
    """
)


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command, capture its output."""
    return subprocess.run(args, check=check, capture_output=True, text=True)


def _setns(ns: str) -> None:
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        setns(fd)
    finally:
        os.close(fd)


def in_ns(ns: str, func: Callable[..., Any], *args: Any, timeout: float = 60, **kw: Any) -> Any:
    """Run ``func(*args, **kw)`` in namespace ``ns`` (forked child); its result or exception."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        status = 0
        try:
            _setns(ns)
            result: tuple[bool, Any] = (True, func(*args, **kw))
        except BaseException as exc:
            result = (False, exc)
        try:
            payload = pickle.dumps(result)
        except Exception as exc:
            payload = pickle.dumps((False, RuntimeError(f"unpicklable result: {exc!r}")))
        try:
            with os.fdopen(write_fd, "wb") as out:
                out.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    with os.fdopen(read_fd, "rb") as inp:
        os.set_blocking(inp.fileno(), False)
        while True:
            try:
                chunk = inp.read()
            except BlockingIOError:
                chunk = None
            if chunk:
                chunks.append(chunk)
            elif chunk == b"":
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise TimeoutError(f"{func.__name__} in {ns} took more than {timeout} s")
            time.sleep(0.002)
    os.waitpid(pid, 0)
    ok, value = pickle.loads(b"".join(chunks))
    if ok:
        return value
    raise value


def ns_exec(ns: str, *cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a command inside namespace ``ns``."""
    return sh("ip", "netns", "exec", ns, *cmd, check=check)


@dataclass
class Net:
    """The three namespaces and what runs in them."""

    client: str
    router: str
    server: str
    log: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    client_ip: str = "198.51.100.2"
    router_ip: str = "198.51.100.1"
    router_far: str = "203.0.113.1"
    server_ip: str = "203.0.113.10"
    client_ip6: str = "2001:db8:1::2"
    server_ip6: str = "2001:db8:2::10"

    def run(self, ns: str, func: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run ``func`` in namespace ``ns``."""
        return in_ns(ns, func, *args, **kw)

    def server_log(self) -> str:
        """What the server's UDP and TCP echo servers logged."""
        return self.log.read_text()


def _wait_ready(log: Path) -> None:
    for _ in range(500):
        if log.exists() and "ready" in log.read_text():
            return
        time.sleep(0.01)
    raise RuntimeError("the test server did not start")


def start_server(ns: str, log: Path, host: str = "::") -> subprocess.Popen[bytes]:
    """Start the UDP+TCP echo server on port 10000 in ``ns``, logging to ``log``."""
    proc = subprocess.Popen(
        ["ip", "netns", "exec", ns, PYTHON, "-c", SERVER_SCRIPT, str(log), host],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_ready(log)
    return proc


@contextlib.contextmanager
def namespaces(*names: str) -> Iterator[None]:
    """Create namespaces (loopback up); delete them on exit, whatever happens."""
    made: list[str] = []
    try:
        for name in names:
            sh("ip", "netns", "add", name)
            made.append(name)
            ns_exec(name, "ip", "link", "set", "lo", "up")
        yield
    finally:
        for name in made:
            sh("ip", "netns", "del", name, check=False)


@contextlib.contextmanager
def fresh_namespace(stem: str) -> Iterator[str]:
    """A namespace of the test's own (the test skips without root): ``stem`` and our process
    id, loopback up, deleted on exit whatever happens."""
    if os.geteuid() != 0:
        pytest.skip("needs root")
    ns = f"{stem}{os.getpid() % 100000}"
    with namespaces(ns):
        yield ns


def both_libraries(ns: str, func: Callable[[str], Any], timeout: float = 60) -> tuple[Any, Any]:
    """``func("paquet")`` and ``func("scapy")``, each run in the namespace ``ns``: paquet's
    result and Scapy's."""
    return in_ns(ns, func, "paquet", timeout=timeout), in_ns(ns, func, "scapy", timeout=timeout)


@pytest.fixture(scope="session")
def net() -> Iterator[Net]:
    """Client, router and server namespaces with IPv4 and IPv6, and the echo servers."""
    tag = f"{os.getpid() % 100000}"
    c, r, s = f"pqn-c{tag}", f"pqn-r{tag}", f"pqn-s{tag}"
    with tempfile.TemporaryDirectory(prefix="paquet-net-") as tmpdir, namespaces(c, r, s):
        tmp = Path(tmpdir)
        sh("ip", "link", "add", "pqc0", "netns", c, "type", "veth", "peer", "pqr0", "netns", r)
        sh("ip", "link", "add", "pqr1", "netns", r, "type", "veth", "peer", "pqs0", "netns", s)
        for ns, dev, v4, v6 in (
            (c, "pqc0", "198.51.100.2/24", "2001:db8:1::2/64"),
            (r, "pqr0", "198.51.100.1/24", "2001:db8:1::1/64"),
            (r, "pqr1", "203.0.113.1/24", "2001:db8:2::1/64"),
            (s, "pqs0", "203.0.113.10/24", "2001:db8:2::10/64"),
        ):
            ns_exec(ns, "ip", "addr", "add", v4, "dev", dev)
            ns_exec(ns, "ip", "-6", "addr", "add", v6, "dev", dev, "nodad")
            ns_exec(ns, "ip", "link", "set", dev, "up")
        ns_exec(c, "ip", "route", "add", "default", "via", "198.51.100.1")
        ns_exec(c, "ip", "-6", "route", "add", "default", "via", "2001:db8:1::1")
        ns_exec(s, "ip", "route", "add", "default", "via", "203.0.113.1")
        ns_exec(s, "ip", "-6", "route", "add", "default", "via", "2001:db8:2::1")
        ns_exec(r, "sysctl", "-qw", "net.ipv4.ip_forward=1")
        ns_exec(r, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
        log = tmp / "server.log"
        env = Net(client=c, router=r, server=s, log=log)
        try:
            env.procs.append(start_server(s, log))
            yield env
        finally:
            for proc in env.procs:
                proc.kill()
                proc.wait()
