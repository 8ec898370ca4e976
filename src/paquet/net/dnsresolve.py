"""``dns_resolve``: a DNS query over a plain socket (UDP, then TCP when the answer is
truncated), with Scapy's signature and cache. No raw socket, no root needed.

The name servers are ``nameservers=[...]`` when given, else those of ``/etc/resolv.conf``.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["dns_resolve", "read_nameservers"]

#: name;type(;raw) -> (when, result); entries live 300 s, as Scapy's dns_cache.
_CACHE: dict[bytes, tuple[float, Any]] = {}
_CACHE_TTL = 300.0


def read_nameservers(path: str = "/etc/resolv.conf") -> list[str]:
    """The ``nameserver`` lines of ``path`` (Scapy's ``read_nameservers``); [] without it."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    return [parts[1] for parts in (line.split() for line in lines)
            if len(parts) >= 2 and parts[0] == "nameserver"]


def _exchange(server: str, query: bytes, tcp: bool, timeout: float) -> bytes | None:
    family = socket.AF_INET6 if ":" in server else socket.AF_INET
    kind = socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM
    with socket.socket(family, kind) as sock:
        sock.settimeout(timeout)
        sock.connect((server, 53))
        if not tcp:
            sock.send(query)
            ident = query[:2]
            deadline = time.monotonic() + timeout
            while True:  # (an answer to another id is not ours)
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                data = sock.recv(65535)
                if data[:2] == ident:
                    return data
        sock.sendall(struct.pack("!H", len(query)) + query)
        buf = b""
        while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
            chunk = sock.recv(65535)
            if not chunk:
                return None
            buf += chunk
        return buf


def dns_resolve(qname: Any, qtype: Any = "A", raw: bool = False, tcp: bool = False,
                verbose: int = 1, timeout: float = 3, *,
                nameservers: Sequence[str] | None = None, **kwargs: Any) -> Any:
    """Resolve ``qname`` (Scapy's ``dns_resolve``): the records of type ``qtype`` of the
    first server's answer (answers, authority and additional sections), or the whole
    :class:`~paquet.layers.dns.DNS` answer with ``raw``. A truncated UDP answer is asked
    again over TCP. Results are cached 300 s. Raises TimeoutError when no server answers."""
    import random

    from paquet.layers.dns import DNS, DNSQR, DNSTCP

    qtype = DNSQR._fieldmap["qtype"].any2i_one(None, qtype)  # type: ignore[attr-defined]
    qname = DNSQR._fieldmap["qname"].any2i(None, qname)
    key = b";".join([qname, struct.pack("!B", qtype & 0xFF)] + ([b"raw"] if raw else []))
    hit = _CACHE.get(key)
    if hit is not None and time.monotonic() - hit[0] < _CACHE_TTL:
        return hit[1]
    servers = list(nameservers) if nameservers is not None else read_nameservers()
    res = None
    for server in servers:
        cls = DNSTCP if tcp else DNS
        query = cls(id=random.randrange(65536), qd=[DNSQR(qname=qname, qtype=qtype)])
        try:
            data = _exchange(server, bytes(query), tcp, timeout)
        except OSError:
            continue
        if data is None:
            continue
        res = cls(data)
        if res.tc and not tcp:
            return dns_resolve(qname, qtype, raw, True, verbose, timeout,
                               nameservers=[server], **kwargs)
        if res.rcode == 2:  # server failure: the next server
            res = None
            continue
        break
    if res is None:
        raise TimeoutError(f"no DNS server answered for {qname!r}")
    result = res if raw else [r for r in (*res.an, *res.ns, *res.ar)
                              if getattr(r, "type", None) == qtype]
    if result:
        _CACHE[key] = (time.monotonic(), result)
    return result
