"""Objects ``select`` can wait on beside sockets: the pipes and I/O channels of automata.

>>> p = ObjectPipe("demo")
>>> p.send({"any": "object"})
1
>>> p.recv()
{'any': 'object'}
"""

from __future__ import annotations

import collections
import os
import select
import threading
import time
from collections.abc import Iterable
from typing import Any

__all__ = ["ObjectPipe"]


class ObjectPipe:
    """A queue of Python objects with a file descriptor readable while it is not empty, so that
    ``select`` can wait on it with sockets (Scapy's ``ObjectPipe``)."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or "ObjectPipe"
        self._rd, self._wr = os.pipe()
        self._queue: collections.deque[Any] = collections.deque()
        self._lock = threading.Lock()
        self.closed = False

    def fileno(self) -> int:
        return self._rd

    def send(self, obj: Any) -> int:
        """Queue ``obj``."""
        with self._lock:
            if self.closed:
                raise OSError(f"{self.name} is closed")
            self._queue.append(obj)
            os.write(self._wr, b"x")
        return 1

    write = send

    def recv(self, n: int | None = None) -> Any:
        """The oldest object, waiting for one (None once the pipe is closed)."""
        while True:
            with self._lock:
                if self._queue:
                    os.read(self._rd, 1)
                    return self._queue.popleft()
                if self.closed:
                    return None
            select.select([self._rd], [], [], 0.5)

    read = recv

    def empty(self) -> bool:
        return not self._queue

    def clear(self) -> None:
        """Drop every queued object."""
        with self._lock:
            while self._queue:
                self._queue.popleft()
                os.read(self._rd, 1)

    def close(self) -> None:
        with self._lock:
            if not self.closed:
                self.closed = True
                os.write(self._wr, b"x")  # wakes whoever waits


class _FdIO:
    """An external descriptor as an I/O channel (``external_fd=``): ``read``/``recv``,
    ``write``/``send``."""

    def __init__(self, rd: Any, wr: Any) -> None:
        self.rd, self.wr = rd, wr
        self.ioname = ""

    def fileno(self) -> int:
        return self.rd if isinstance(self.rd, int) else self.rd.fileno()

    def read(self, n: int = 65535) -> Any:
        return os.read(self.rd, n) if isinstance(self.rd, int) else self.rd.recv(n)

    recv = read

    def write(self, msg: Any) -> Any:
        return os.write(self.wr, msg) if isinstance(self.wr, int) else self.wr.send(msg)

    send = write


class _IOMixer:
    """One end of an I/O channel: reads from one pipe, writes to the other."""

    def __init__(self, rd: Any, wr: Any) -> None:
        self.rd, self.wr = rd, wr

    def fileno(self) -> int:
        return int(self.rd.fileno())

    def recv(self, n: int | None = None) -> Any:
        return self.rd.recv(n)

    read = recv

    def send(self, msg: Any) -> Any:
        return self.wr.send(msg)

    write = send


def _select(fds: Iterable[Any], timeout: float | None) -> list[Any]:
    """The objects of ``fds`` ready to be read (objects with a pending queue first)."""
    fds = list(fds)
    ready = [f for f in fds if isinstance(f, ObjectPipe) and not f.empty()]
    if ready:
        return ready
    r, _, _ = select.select(fds, [], [], timeout)
    return list(r)



class AutomatonSocket:
    """An automaton seen as a socket (Scapy's ``_ATMT_supersocket``): what ``send`` gets goes
    to the automaton's I/O channel, what it writes there comes out of ``recv`` (as ``proto``).
    Made by the class attribute an ``ATMT.ioevent(..., as_supersocket=NAME)`` creates, e.g.
    ``TCP_client.tcplink(Raw, host, port)``; the automaton runs in the background until
    ``close()``."""

    def __init__(self, name: str, ioevent: str, automaton: Any, proto: Any,
                 *args: Any, **kargs: Any) -> None:
        self.name = name
        self.proto = proto
        self.spa, self.spb = ObjectPipe("spa"), ObjectPipe("spb")
        kargs["external_fd"] = {ioevent: (self.spa, self.spb)}
        self.closed = False
        self.atmt = automaton(*args, **kargs)
        self.atmt.runbg()

    def send(self, s: Any) -> int:
        """Hand ``s`` (a packet or bytes) to the automaton."""
        return self.spa.send(bytes(s))

    def fileno(self) -> int:
        return self.spb.fileno()

    def recv(self, n: int | None = None, timeout: float | None = None, **kwargs: Any) -> Any:
        """What the automaton wrote next (as ``proto``); None once it has ended, or after
        ``timeout`` seconds without anything."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.spb.empty():
            if not self.atmt.isrunning():
                return None
            wait = 0.2 if deadline is None else min(0.2, deadline - time.monotonic())
            if wait <= 0:
                return None
            select.select([self.spb], [], [], wait)
        data = self.spb.recv(n)
        if self.proto is not None and data is not None:
            data = self.proto(data, **kwargs)
        session = getattr(self.atmt, "atmt_session", None)
        if session is not None and data is not None:
            data = session.process(data)
        return data

    def sr1(self, x: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        """Send ``x`` and return the next thing the automaton gives back (None after
        ``timeout`` seconds), as Scapy's ``tcplink(...).sr1(req, timeout=3)`` is used."""
        self.send(x)
        return self.recv(timeout=timeout)  # sr1 options (verbose...) have no use here

    def close(self) -> None:
        """Stop the automaton (its stop state runs: TCP_client closes the connection)."""
        if not self.closed:
            self.closed = True
            self.atmt.stop()
            self.atmt.destroy()
            self.spa.close()
            self.spb.close()

    def __enter__(self) -> AutomatonSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def select(sockets: Iterable[Any], remain: float | None = None) -> list[Any]:
        return _select(sockets, remain)


class AutomatonSocketFactory:
    """``Automaton.NAME(proto, *args, **kargs)``: an :class:`AutomatonSocket`."""

    def __init__(self, name: str, ioevent: str, automaton: Any) -> None:
        self.name, self.ioevent, self.automaton = name, ioevent, automaton

    def __call__(self, proto: Any, *args: Any, **kargs: Any) -> AutomatonSocket:
        return AutomatonSocket(self.name, self.ioevent, self.automaton, proto, *args, **kargs)
