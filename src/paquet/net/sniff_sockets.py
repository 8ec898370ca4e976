"""``sniff(opened_socket=...)``: capture from sockets the caller opened (Scapy's option).

Any object with ``fileno()`` and ``recv()`` will do: paquet's sockets, a
:class:`~paquet.net.tuntap.TunTapInterface`, an :class:`~paquet.net.objectpipe.ObjectPipe`, a
``StreamSocket``... ``opened_socket`` is one socket, a list of them, or a dict
``{socket: label}`` (each packet's ``sniffed_on`` is then the label). The sockets are not
closed: they belong to the caller. A ``recv()`` that returns None is skipped; one that raises
``EOFError`` (or finds the socket closed) ends that socket's part of the capture.

>>> from paquet.net.objectpipe import ObjectPipe
>>> from paquet.net.sniff import sniff
>>> pipe = ObjectPipe("demo")
>>> for word in ("a", "b"):
...     _ = pipe.send(word)
>>> list(sniff(opened_socket=pipe, count=2))
['a', 'b']
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from paquet.net.objectpipe import ObjectPipe, _select

__all__ = ["socket_labels"]


def socket_labels(opened_socket: Any) -> dict[Any, Any]:
    """``opened_socket`` as ``{socket: label}`` (the label: the socket's ``iface`` if any)."""
    if isinstance(opened_socket, dict):
        return dict(opened_socket)
    socks = opened_socket if isinstance(opened_socket, list | tuple | set) else [opened_socket]
    return {s: getattr(s, "iface", None) for s in socks}


def _wait(socks: list[Any], wake_fd: int, timeout: float | None) -> list[Any]:
    """The sockets ready to be read (a socket class's own ``select`` when it has one)."""
    own = {type(s).__dict__.get("select") for s in socks if hasattr(type(s), "select")}
    if len(own) == 1 and None not in own and not any(isinstance(s, ObjectPipe) for s in socks):
        selector = type(socks[0]).select
        try:
            return list(selector(socks, timeout))
        except TypeError:
            pass
    return [s for s in _select([*socks, wake_fd], timeout) if s is not wake_fd]


def run_on_sockets(cap: Any, ready: Any, deadline: float | None) -> None:
    """The capture loop of :func:`~paquet.net.sniff.sniff` on ``cap.opened_socket``."""
    labels = socket_labels(cap.opened_socket)
    socks = list(labels)
    if ready is not None:
        ready.set()
    if cap.started_callback is not None:
        cap.started_callback()
    try:
        while socks and not cap.stopping:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return
            wait = 0.5 if remaining is None else min(remaining, 0.5)
            for sock in _wait(socks, cap._rd, wait):
                try:
                    pkt = sock.recv()
                except EOFError:
                    socks.remove(sock)
                    continue
                except OSError:
                    if getattr(sock, "closed", False):
                        socks.remove(sock)
                        continue
                    raise
                if pkt is None:
                    if getattr(sock, "closed", False):
                        socks.remove(sock)
                    continue
                label = labels[sock]
                if label is not None:
                    with contextlib.suppress(AttributeError):  # not a packet (a pipe's)
                        pkt.sniffed_on = label
                cap.handed += 1
                if cap.handle(pkt):
                    return
    finally:
        cap.stats.captured = cap.handed
