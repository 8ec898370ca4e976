"""The connect scan (nmap's ``-sT``): no raw socket needed, a ``connect`` per port, many at
once, read into nmap's states (open on success, closed on ECONNREFUSED, filtered otherwise).
"""

from __future__ import annotations

import errno
import selectors
import socket
import time
from collections.abc import Callable, Iterable

from paquet.probe.scan_results import _CODE, _OPEN


def _connect_scan(hosts: list[str], ports: list[int], order: Iterable[int], codes: bytearray,
                  timeout: float, retries: int,
                  progress: Callable[[int], None] | None) -> None:
    """Non-blocking ``connect`` to each (host, port) in ``order``, many in parallel."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    parallel = max(8, min(1024, soft - 64))
    nports = len(ports)
    sel = selectors.DefaultSelector()
    pending: dict[int, tuple[socket.socket, float, int]] = {}
    todo: list[int] = [i for i in order if not codes[i]]  # resuming: answered ones done
    attempts = dict.fromkeys(todo, 0)
    unresolved: list[int] = []
    pos = 0

    def finish(idx: int, sock: socket.socket, code: int) -> None:
        sel.unregister(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
        del pending[idx]
        if code:
            codes[idx] = code
        if progress is not None:
            progress(1)

    while pos < len(todo) or pending or unresolved:
        if pos >= len(todo) and not pending and unresolved:
            todo, unresolved, pos = unresolved, [], 0
        while pos < len(todo) and len(pending) < parallel:
            idx = todo[pos]
            pos += 1
            h, p = divmod(idx, nports)
            host = hosts[h]
            fam = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((host, ports[p]))
            attempts[idx] += 1
            pending[idx] = (s, time.monotonic(), attempts[idx])
            sel.register(s, selectors.EVENT_WRITE, idx)
            if err not in (0, errno.EINPROGRESS):
                finish(idx, s, _errno_code(err))
        for key, _ in sel.select(0.01):
            idx = int(key.data)
            s = pending[idx][0]
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            finish(idx, s, _OPEN if err == 0 else _errno_code(err))
        now = time.monotonic()
        for idx, (s, t0, att) in list(pending.items()):
            if now - t0 >= timeout:
                if att <= retries:
                    sel.unregister(s)
                    s.close()
                    del pending[idx]
                    unresolved.append(idx)
                else:
                    finish(idx, s, _CODE["filtered", "no-response"])
    sel.close()


def _errno_code(err: int) -> int:
    if err == errno.ECONNREFUSED:
        return _CODE["closed", "conn-refused"]
    if err == errno.ENETUNREACH:
        return _CODE["filtered", "net-unreach"]
    if err == errno.EHOSTUNREACH:
        return _CODE["filtered", "host-unreach"]
    if err in (errno.EACCES, errno.EPERM):
        return _CODE["filtered", "admin-prohibited"]
    return _CODE["filtered", "no-response"]
