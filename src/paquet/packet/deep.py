"""Building past the recursion limit, and the first packet of a packet standing for several.

Building recurses, one ``do_build`` per layer: a packet deeper than the interpreter's recursion
limit is built by :func:`_deep_build`, which raises the limit for the time of that build (up to
:data:`MAX_BUILD_DEPTH` layers). A packet whose fields hold several values (a range, a network)
builds as its first expansion, as Scapy's does (:func:`_first_expansion`).
"""

from __future__ import annotations

import _thread
import sys
from typing import TYPE_CHECKING, Any

from paquet.packet.fields import FieldError

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["MAX_BUILD_DEPTH"]

#: The deepest packet :func:`_deep_build` builds: far more layers than a 64 KB frame holds
#: (8,192 IPv6 extension headers of 8 bytes), few enough for the interpreter's frames.
MAX_BUILD_DEPTH = 20_000
_deep_lock = _thread.allocate_lock()  # (_thread: no threading import on the import path)
_deep_builds: list[int] = [0, 0]  # builds running, the recursion limit before the first


def _deep_build(pkt: Packet) -> bytes:
    """Build ``pkt`` when its layers are more than the recursion limit allows.

    Each layer's ``do_build`` asks its payload's (a Python call per layer: Python 3.11 runs
    those without C stack), so the limit is raised for the time of this build to what the
    packet's depth needs, then put back. Deeper than :data:`MAX_BUILD_DEPTH`: a
    :class:`FieldError`.
    """
    depth = sum(1 for _ in pkt.iterlayers())
    if depth > MAX_BUILD_DEPTH:
        raise FieldError(
            f"{type(pkt).__name__}: a packet of {depth} layers is too deep to build "
            f"(at most {MAX_BUILD_DEPTH})"
        )
    need = _stack_depth() + 8 * depth + 200
    with _deep_lock:
        if not _deep_builds[0]:
            _deep_builds[1] = sys.getrecursionlimit()
        _deep_builds[0] += 1
        if sys.getrecursionlimit() < need:
            sys.setrecursionlimit(need)
    try:
        return pkt.do_build()
    finally:
        with _deep_lock:
            _deep_builds[0] -= 1
            if not _deep_builds[0]:
                sys.setrecursionlimit(_deep_builds[1])


def _first_expansion(pkt: Packet) -> Packet:
    """The first packet a packet holding several values stands for, which Scapy builds when
    asked for the bytes of the whole (``bytes(TCP(dport=(1, 3)))`` is port 1's). The error
    being handled is raised again when ``pkt`` holds a single value, or none at all."""
    if all(not layer._expansions() for layer in pkt.iterlayers()):
        raise  # the FieldError of the caller's except clause
    for first in pkt:
        return first
    raise  # an empty list or range: no packet to build


def _stack_depth() -> int:
    """How many frames the calling thread's stack holds (to size the recursion limit)."""
    n = 0
    f: Any = sys._getframe()
    while f is not None:
        n += 1
        f = f.f_back
    return n
