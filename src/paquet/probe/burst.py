"""Batched probes: the SYN scan's per-probe loop in C (``paquet.probe._burst``) when it is built.

The Python path is the specification: :func:`syn_packets_py` builds exactly the probes
:meth:`paquet.probe.scan_raw._Space.send_batch` sends (a :class:`~paquet.probe.wire.Template`
patched per port, the sequence number a :class:`~paquet.probe.cookies.Cookies` cookie), and
``tests/probe/test_burst.py`` checks the C module against it byte for byte. The C module sends
the same probes in batches with ``sendmmsg(2)`` and reads answers in batches with
``recvmmsg(2)``: one system call per 64 packets instead of one each, and no Python work per
probe. ``PAQUET_PURE=1`` in the environment turns it off (the Python path runs).

>>> from paquet.probe.cookies import Cookies
>>> from paquet.probe.wire import Template
>>> c = Cookies(b"k" * 16)
>>> t = Template.tcp_syn("192.0.2.1", "192.0.2.2")
>>> pkts = syn_packets_py(c, t, 40000, [80, 443])
>>> from paquet.probe.wire import parse_reply
>>> [parse_reply(p).dport for p in pkts]
[80, 443]
>>> ENABLED == (_burst is not None)
True
"""

from __future__ import annotations

import importlib
import os

from paquet.probe.cookies import Cookies

TYPE_CHECKING = False
if TYPE_CHECKING:
    # the base class: the probes' sockets are _socket's (no enums built at import)
    import _socket as socket
    from collections.abc import Sequence
    from types import ModuleType

    from paquet.probe.wire import Template

__all__ = ["ENABLED", "recv_many", "syn_packets", "syn_packets_py", "syn_recv", "syn_send"]

_burst: ModuleType | None
try:  # by name: the module has no stub (its functions are wrapped and typed below)
    _burst = importlib.import_module("paquet.probe._burst")
except ImportError:  # not built: no C compiler when installed, or a source tree
    _burst = None

if os.environ.get("PAQUET_PURE"):
    _burst = None

ENABLED = _burst is not None
"""True when the C loop is in use."""


def _args(cookies: Cookies, t: Template, sport: int) -> tuple[bytes, bytes, int, int, int, int]:
    if t.kind != "syn":
        raise ValueError("a SYN template is needed")
    return (cookies.secret, bytes(t._buf), t._ip_len, t._csum_off, t._base, sport)


def syn_packets_py(cookies: Cookies, t: Template, sport: int, ports: Sequence[int]) -> list[bytes]:
    """The SYN probes from ``sport`` to each of ``ports`` (Python: the specification)."""
    hasher = cookies.tcp_hasher(t.src, t.dst)
    return [bytes(t.copy().build_syn(sport, p, Cookies.seq_of(hasher, p))) for p in ports]


def syn_packets(cookies: Cookies, t: Template, sport: int, ports: Sequence[int]) -> list[bytes]:
    """The same probes as :func:`syn_packets_py`, built in C when the module is there."""
    if _burst is None:
        return syn_packets_py(cookies, t, sport, ports)
    return list(_burst.syn_packets(*_args(cookies, t, sport), list(ports)))


def syn_send(sock: socket.socket, cookies: Cookies, t: Template, sport: int,
             ports: Sequence[int]) -> int:
    """Send the SYN probes to ``ports`` on the raw socket ``sock`` with ``sendmmsg`` (C only);
    the number the kernel took: it stops at the first refusal (buffer full, no route), the
    rest count as unanswered and are sent again in a later round."""
    if _burst is None:
        raise RuntimeError("paquet.probe._burst is not built")
    return int(_burst.syn_send(sock.fileno(), *_args(cookies, t, sport), list(ports), t.dst))


def recv_many(sock: socket.socket, limit: int = 4096) -> list[bytes]:
    """Up to ``limit`` packets queued on the non-blocking ``sock`` (``recvmmsg`` in C, else one
    ``recv`` each), without waiting."""
    if _burst is not None:
        return list(_burst.recv_many(sock.fileno(), limit))
    out: list[bytes] = []
    while len(out) < limit:
        try:
            out.append(sock.recv(65535))
        except (BlockingIOError, InterruptedError):
            break
    return out


def syn_recv(sock: socket.socket, cookies: Cookies, t: Template, port_index: bytes,
             codes: bytearray, ttls: bytearray, filtered: bytes, open_code: int,
             closed_code: int, limit: int = 4096) -> tuple[list[int], list[bytes]]:
    """Read up to ``limit`` queued packets (C only): the one-host SYN scan's IPv4 TCP answers
    are judged in C as :meth:`paquet.probe.scan_raw._Space.match` would (recorded in ``codes``
    and ``ttls``; their send windows returned), the other packets returned for Python.

    ``port_index``: 65536 native ``int32``, each port's probe index or -1; ``filtered``: 256
    bytes, 1 for the answer codes a TCP answer overwrites (ICMP errors).
    """
    if _burst is None:
        raise RuntimeError("paquet.probe._burst is not built")
    slots, others = _burst.syn_recv(sock.fileno(), limit, cookies.secret, t.src, t.dst,
                                    cookies.sport_base, port_index, codes, ttls, filtered,
                                    open_code, closed_code)
    return list(slots), list(others)
