"""Lab services: UDP and TCP servers that log (and can echo) what they receive, a small HTTP server.

All the services of one node run in one process (``python -m paquet.lab.services SPEC.json``),
started inside the node's namespace and detached, so they outlive the ``paquet lab up`` that
started them; ``paquet lab down`` kills them. Sockets are dual-stack (IPv4 and IPv6).

Each service appends one JSON object per event to ``LOGDIR/KIND-PORT.jsonl``:
``{"t": 1700000000.5, "event": "recv", "src": "192.0.2.10", "sport": 40000, "data": "6d69616f75"}``
(events: ``recv`` for data, ``connect`` and ``close`` for TCP, ``request`` for HTTP). Read them
with :func:`read_log` (or ``lab["server"].logs("udp:10000")``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

__all__ = ["LogRecord", "log_path", "read_log", "serve"]


@dataclass(frozen=True)
class LogRecord:
    """One event a service logged: when, what (``recv``, ``connect``, ``close``, ``request``),
    from whom, and the bytes received."""

    time: float
    event: str
    src: str
    sport: int
    data: bytes = b""

    @property
    def text(self) -> str:
        """The data decoded as UTF-8 (undecodable bytes replaced)."""
        return self.data.decode("utf-8", "replace")


def log_path(logdir: str | Path, key: str) -> Path:
    """The log file of service ``key`` (``"udp:10000"``) under ``logdir``."""
    return Path(logdir) / (key.replace(":", "-") + ".jsonl")


def read_log(path: Path) -> list[LogRecord]:
    """Every record in a service log (an empty list before anything arrived)."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line being written right now
        out.append(
            LogRecord(obj["t"], obj["event"], obj["src"], obj["sport"],
                      bytes.fromhex(obj.get("data", "")))
        )
    return out


# ----------------------------------------------------------------------------- the servers


def _peer(addr: Any) -> tuple[str, int]:
    host, port = str(addr[0]), int(addr[1])
    if host.startswith("::ffff:") and "." in host:
        host = host[7:]
    return host, port


class _Log:
    def __init__(self, path: Path) -> None:
        self.file: TextIO = path.open("a", encoding="utf-8", buffering=1)

    def write(self, event: str, peer: Any, data: bytes = b"") -> None:
        src, sport = _peer(peer)
        record = {"t": round(time.time(), 6), "event": event, "src": src, "sport": sport}
        if data:
            record["data"] = data.hex()
        self.file.write(json.dumps(record) + "\n")


def _dual_stack(kind: int, port: int) -> socket.socket:
    """A socket on ``[::]:port`` that also receives IPv4 (or ``0.0.0.0`` without IPv6)."""
    try:
        sock = socket.socket(socket.AF_INET6, kind)
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        addr: tuple[Any, ...] = ("::", port)
    except OSError:
        sock = socket.socket(socket.AF_INET, kind)
        addr = ("0.0.0.0", port)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if kind == socket.SOCK_DGRAM:
        # A burst of datagrams must not overflow the default buffer (root may force it).
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, 33, 4 << 20)  # SO_RCVBUFFORCE
    sock.bind(addr)
    sock.setblocking(False)
    return sock


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, log: _Log, echo: bool) -> None:
        self.log = log
        self.echo = echo
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.log.write("recv", addr, data)
        if self.echo and self.transport is not None:
            self.transport.sendto(data, addr)

    def error_received(self, exc: Exception) -> None:
        """ICMP errors for echoed datagrams (port unreachable): nothing to do."""


async def _tcp_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, log: _Log, echo: bool
) -> None:
    peer = writer.get_extra_info("peername")
    log.write("connect", peer)
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            log.write("recv", peer, data)
            if echo:
                writer.write(data)
                await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        log.write("close", peer)
        writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await writer.wait_closed()


PAGE = """<!doctype html>
<html><head><title>paquet lab: {node}</title></head>
<body><h1>paquet lab: {node}</h1><p>You reached {node} on port {port}.</p></body></html>
"""


async def _http_client(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, log: _Log, node: str, port: int
) -> None:
    peer = writer.get_extra_info("peername")
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
            ConnectionError, OSError):
        writer.close()
        return
    log.write("request", peer, head)
    line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split()
    method = parts[0] if parts else ""
    path = parts[1] if len(parts) > 1 else "/"
    if method not in ("GET", "HEAD"):
        status, body = "405 Method Not Allowed", "method not allowed\n"
    elif path.split("?")[0] in ("/", "/index.html"):
        status, body = "200 OK", PAGE.format(node=node, port=port)
    else:
        status, body = "404 Not Found", "not found\n"
    payload = body.encode()
    reply = (
        f"HTTP/1.0 {status}\r\nServer: paquet-lab\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    ).encode() + (payload if method != "HEAD" else b"")
    try:
        writer.write(reply)
        await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def _main(spec: dict[str, Any], ready_fd: int | None) -> None:
    loop = asyncio.get_running_loop()
    logdir = Path(spec["logdir"])
    logdir.mkdir(parents=True, exist_ok=True)
    node = spec["node"]
    servers: list[Any] = []
    for svc in spec["services"]:
        kind, port, echo = svc["kind"], int(svc["port"]), bool(svc.get("echo", False))
        log = _Log(log_path(logdir, f"{kind}:{port}"))
        if kind == "udp":
            sock = _dual_stack(socket.SOCK_DGRAM, port)
            transport, _ = await loop.create_datagram_endpoint(
                functools.partial(_Udp, log, echo), sock=sock
            )
            servers.append(transport)
            continue
        sock = _dual_stack(socket.SOCK_STREAM, port)
        sock.listen(128)
        if kind == "tcp":
            handler = functools.partial(_tcp_client, log=log, echo=echo)
        else:
            handler = functools.partial(_http_client, log=log, node=node, port=port)
        servers.append(await asyncio.start_server(handler, sock=sock))
    if ready_fd is not None:
        os.write(ready_fd, b"ok\n")
        os.close(ready_fd)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def serve(spec: dict[str, Any], ready_fd: int | None = None) -> None:
    """Run the services described by ``spec`` (``node``, ``logdir``, ``services``) until SIGTERM.

    When ``ready_fd`` is given, ``ok`` (or ``error: ...``) is written to it once every socket is
    bound, and it is closed.
    """
    try:
        asyncio.run(_main(spec, ready_fd))
    except OSError as exc:
        if ready_fd is not None:
            with contextlib.suppress(OSError):
                os.write(ready_fd, f"error: {exc}\n".encode())
        raise SystemExit(1) from None


def main(argv: list[str]) -> int:
    """``python -m paquet.lab.services SPEC.json [READY_FD]``."""
    spec = json.loads(Path(argv[0]).read_text("utf-8"))
    ready = int(argv[1]) if len(argv) > 1 else None
    serve(spec, ready)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
