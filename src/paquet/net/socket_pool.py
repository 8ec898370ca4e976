"""Packet sockets (``AF_PACKET``) for the paquet sockets, opened filtered and kept in a pool.

A receiver is a packet socket with a kernel-side filter (tcpdump syntax, compiled by libpcap
once per expression and link type) that drops our own outgoing packets; a sender is bound to
one interface. Closing a packet socket waits for an RCU grace period (milliseconds), so a
released socket is drained and kept (a few per setting) for the next socket that wants the same.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from paquet.errors import NetworkError
from paquet.net.linux import SO_TIMESTAMPNS
from paquet.net.privilege import privilege_error
from paquet.numbers import DLT_EN10MB, DLT_RAW, ETH_P_ALL

__all__ = [
    "open_receiver",
]


def _drain(sock: socket.socket) -> None:
    """Discard what is queued on ``sock`` now."""
    while True:
        try:
            sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_TRUNC)
        except BlockingIOError:
            return


class _PooledSocket(socket.socket):
    """A packet socket that remembers which pool it goes back to."""

    __slots__ = ("pool_key",)

    pool_key: tuple[int, int, int, str, int] | None


def _packet_socket(kind: int, what: str, proto: int = 0) -> _PooledSocket:
    try:
        sock = _PooledSocket(socket.AF_PACKET, kind | socket.SOCK_CLOEXEC, socket.htons(proto))
        sock.pool_key = None
        return sock
    except PermissionError:
        raise privilege_error(what) from None


def _check_iface(iface: str | None) -> None:
    if iface is not None:
        from paquet.net import netlink

        netlink.link(iface)


_pool_lock = threading.Lock()
_pool: dict[tuple[int, int, int, str, int], list[socket.socket]] = {}
_programs: dict[tuple[str, int], Any] = {}
_POOL_MAX = 8


def _from_pool(key: tuple[int, int, int, str, int]) -> socket.socket | None:
    """A socket taken from pool ``key`` (process, namespace, layer, interface), or None."""
    with _pool_lock:
        free = _pool.get(key)
        return free.pop() if free else None


def _to_pool(sock: socket.socket, key: tuple[int, int, int, str, int]) -> None:
    """Put ``sock`` back in pool ``key``, or close it when that pool is full."""
    with _pool_lock:
        free = _pool.setdefault(key, [])
        if len(free) < _POOL_MAX:
            free.append(sock)
            return
    sock.close()


def _program(expression: str, linktype: int) -> Any:
    """A compiled filter, compiled once per (expression, link type)."""
    from paquet.net.bpf import compile_filter

    key = (expression, linktype)
    prog = _programs.get(key)
    if prog is None:
        prog = _programs[key] = compile_filter(expression, linktype)
    return prog


def open_receiver(
    layer: int, iface: str | None = None, bpf: str | None = None, *, rcvbuf: int = 1 << 23
) -> socket.socket:
    """An AF_PACKET socket that receives inbound packets (layer 3: no link header; 2: frames).

    The kernel filter (``inbound and (ip or ip6)`` for layer 3, ``inbound`` for layer 2, and
    ``bpf`` when given) is attached before anything is read, and what was queued before it is
    discarded. Closing a packet socket waits for an RCU grace period (milliseconds), so sockets
    are pooled: give it back with :func:`release_receiver` (it then drops everything) rather
    than closing it.
    """
    from paquet.net.bpf import _set_rcvbuf, attach_filter
    from paquet.net.netlink import netns_id

    _check_iface(iface)
    if layer == 3:
        expression = f"inbound and ({bpf})" if bpf else "inbound and (ip or ip6)"
        linktype = DLT_RAW
    else:
        expression = f"inbound and ({bpf})" if bpf else "inbound"
        linktype = DLT_EN10MB
    if bpf:
        _program(bpf, linktype)  # a bad filter is reported as the user wrote it
    program = _program(expression, linktype)
    key = (os.getpid(), netns_id(), layer, iface or "", _ifindex(iface))
    sock = _from_pool(key)
    if sock is not None:
        try:
            attach_filter(sock, program)
        except BaseException:
            release_receiver(sock)
            raise
        _drain(sock)
        return sock
    kind = socket.SOCK_DGRAM if layer == 3 else socket.SOCK_RAW
    # Bound to one interface: protocol 0 (nothing queued) until the filter is attached and
    # the socket bound. On every interface (Python cannot bind to ifindex 0): ETH_P_ALL at
    # once, then what arrived before the filter is drained.
    sock = _packet_socket(kind, "receiving packets", 0 if iface else ETH_P_ALL)
    try:
        attach_filter(sock, program)
        _set_rcvbuf(sock, rcvbuf)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        if iface:
            sock.bind((iface, ETH_P_ALL))
        else:
            _drain(sock)
    except BaseException:
        sock.close()
        raise
    sock.pool_key = key
    return sock


def release_receiver(sock: socket.socket) -> None:
    """Give back a socket from :func:`open_receiver`: it drops everything until reused."""
    from paquet.net.bpf import reject_all

    def quiet(sock: socket.socket) -> None:
        reject_all(sock)
        sock.setblocking(True)

    _release(sock, quiet)


def _ifindex(iface: str | None) -> int:
    """The interface's index, part of a pool's key: an interface removed and made again under
    the same name (a lab rebuilt) is another interface, its old sockets are not reused."""
    if not iface:
        return 0
    try:
        return socket.if_nametoindex(iface)
    except OSError:
        raise NetworkError(f"no such interface: {iface!r}") from None


def open_sender(iface: str) -> socket.socket:
    """A packet socket that sends frames on ``iface`` and receives nothing (pooled)."""
    from paquet.net.netlink import netns_id

    key = (os.getpid(), netns_id(), 0, iface, _ifindex(iface))
    pooled = _from_pool(key)
    if pooled is not None:
        return pooled
    sock = _packet_socket(socket.SOCK_RAW, "sending frames")
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
        sock.bind((iface, 0))
    except OSError as exc:
        sock.close()
        raise NetworkError(f"cannot send on {iface}: {exc.strerror}") from None
    sock.pool_key = key
    return sock


def release_sender(sock: socket.socket) -> None:
    """Give back a socket from :func:`open_sender`."""
    _release(sock)


def _release(sock: socket.socket, prepare: Callable[[socket.socket], None] | None = None) -> None:
    """Put a pooled socket back in its pool, once ``prepare`` has readied it for its next user;
    close it instead when it is not pooled, closed already or could not be readied."""
    key = getattr(sock, "pool_key", None)
    if key is None or sock.fileno() < 0:
        sock.close()
        return
    if prepare is not None:
        try:
            prepare(sock)
        except OSError:
            sock.close()
            return
    _to_pool(sock, key)
