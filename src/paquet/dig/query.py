"""One DNS question to one server, over UDP (falling back to TCP when the answer is truncated,
as dig does) or TCP; the answer kept with what a ``dig`` report needs.

Plain sockets: no privileges needed, the kernel picks the source address and port.
"""

from __future__ import annotations

import ipaddress
import random
import select
import socket
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paquet.errors import NetworkError, PaquetError

__all__ = ["Answer", "NoAnswer", "Query", "query", "reverse_name", "system_nameservers"]

RESOLV_CONF = Path("/etc/resolv.conf")


class NoAnswer(NetworkError):
    """No answer came from the server in the time and tries given (dig: "no servers could be
    reached")."""


@dataclass(frozen=True)
class Query:
    """What to ask and how: dig's options (``+tcp``, ``+norecurse``, ``+dnssec``, ``+time``,
    ``+tries``, ``+bufsize``, ``+noedns``, ``+nocookie``: a client cookie (RFC 7873) is sent
    by default, as dig does)."""

    name: str
    qtype: int = 1
    qclass: int = 1
    server: str = ""
    port: int = 53
    tcp: bool = False
    recurse: bool = True
    dnssec: bool = False
    edns: bool = True
    bufsize: int = 1232
    timeout: float = 5.0
    tries: int = 3
    source: str | None = None
    ignore_tc: bool = False
    cookie: bool = True


@dataclass
class Answer:
    """A server's answer: the dissected message (``paquet.layers.dns.DNS``), its size, who
    answered, over which protocol, and how long it took."""

    message: Any
    size: int
    server: str
    port: int
    protocol: str  # "UDP" or "TCP"
    elapsed: float  # seconds
    when: float = field(default_factory=time.time)


def reverse_name(address: str) -> str:
    """The PTR name of an IPv4 or IPv6 address (dig's ``-x``), with its final dot.

    >>> reverse_name("2001:db8::1")[:20]
    '1.0.0.0.0.0.0.0.0.0.'
    """
    try:
        return ipaddress.ip_address(address).reverse_pointer + "."
    except ValueError:
        raise PaquetError(f"-x wants an IPv4 or IPv6 address, not {address!r}") from None


def system_nameservers(path: Path = RESOLV_CONF) -> list[str]:
    """The ``nameserver`` lines of resolv.conf (inside ``ip netns exec``, the namespace's own
    ``/etc/netns/NAME/resolv.conf``)."""
    out = []
    try:
        lines = path.read_text("utf-8", "replace").splitlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "nameserver":
            out.append(parts[1].split("%")[0])
    return out


def _message(q: Query, ident: int) -> bytes:
    from paquet.layers import DNS, DNSQR, DNSRROPT, EDNS0TLV

    name = q.name if q.name.endswith(".") else q.name + "."
    msg = DNS(id=ident, rd=int(q.recurse), qd=DNSQR(qname=name, qtype=q.qtype, qclass=q.qclass))
    if q.edns:
        opts = [EDNS0TLV(optcode=10, optdata=random.randbytes(8))] if q.cookie else []
        msg.ar = [DNSRROPT(rclass=q.bufsize, z=0x8000 if q.dnssec else 0, rdata=opts)]
    return bytes(msg)


def _family(server: str) -> int:
    try:
        return socket.AF_INET6 if ipaddress.ip_address(server).version == 6 else socket.AF_INET
    except ValueError:
        raise PaquetError(f"not an IP address: {server!r} (give the server as @ADDRESS)") \
            from None


def _udp(q: Query, wire: bytes, ident: int) -> bytes | None:
    with socket.socket(_family(q.server), socket.SOCK_DGRAM) as s:
        if q.source:
            s.bind((q.source, 0))
        s.connect((q.server, q.port))
        s.send(wire)
        deadline = time.monotonic() + q.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                return None
            try:
                data = s.recv(65535)
            except ConnectionRefusedError:
                raise NetworkError(f"connection refused by {q.server}#{q.port} (UDP)") from None
            if len(data) >= 2 and struct.unpack_from("!H", data)[0] == ident:
                return data  # another id: a late answer to an earlier try, skipped


def _recv_exactly(s: socket.socket, n: int, deadline: float) -> bytes:
    buf = b""
    while len(buf) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            raise TimeoutError
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionResetError
        buf += chunk
    return buf


def _tcp(q: Query, wire: bytes) -> bytes | None:
    deadline = time.monotonic() + q.timeout
    with socket.socket(_family(q.server), socket.SOCK_STREAM) as s:
        if q.source:
            s.bind((q.source, 0))
        s.settimeout(q.timeout)
        try:
            s.connect((q.server, q.port))
        except ConnectionRefusedError:
            raise NetworkError(f"connection refused by {q.server}#{q.port} (TCP)") from None
        except TimeoutError:
            return None
        s.sendall(struct.pack("!H", len(wire)) + wire)
        try:
            (size,) = struct.unpack("!H", _recv_exactly(s, 2, deadline))
            return _recv_exactly(s, size, deadline)
        except TimeoutError:
            return None
        except ConnectionResetError:
            raise NetworkError(f"{q.server}#{q.port} closed the connection (TCP)") from None


def query(q: Query) -> Answer:
    """Ask ``q.name`` to ``q.server`` and return the answer.

    Raises :class:`NoAnswer` when no answer came after ``q.tries`` tries of ``q.timeout``
    seconds, :class:`~paquet.errors.NetworkError` when the server refused or cannot be reached.
    """
    if not q.server:
        servers = system_nameservers()
        if not servers:
            raise NetworkError("no name server: give one as @ADDRESS (/etc/resolv.conf has none)")
        q = Query(**{**q.__dict__, "server": servers[0]})
    from paquet.layers import DNS

    ident = random.randrange(0x10000)
    wire = _message(q, ident)
    tcp = q.tcp
    for _ in range(max(1, q.tries)):
        start = time.monotonic()
        try:
            data = _tcp(q, wire) if tcp else _udp(q, wire, ident)
        except OSError as exc:
            if isinstance(exc, PaquetError):
                raise
            raise NetworkError(f"{q.server}#{q.port}: {exc.strerror or exc}") from None
        if data is None:
            continue
        elapsed = time.monotonic() - start
        msg = DNS(data)
        if not tcp and msg.tc and not q.ignore_tc:
            tcp = True  # truncated: ask again over TCP, as dig does
            data = _tcp(q, wire)
            if data is None:
                continue
            elapsed = time.monotonic() - start
            msg = DNS(data)
        return Answer(msg, len(data), q.server, q.port, "TCP" if tcp else "UDP", elapsed)
    raise NoAnswer(f"no answer from {q.server}#{q.port} after {max(1, q.tries)} tries of "
                       f"{q.timeout:g} s (no servers could be reached)")
