"""Temporaries: packets nothing else refers to, reused by ``/`` and unlinked by ``bytes()``.

``IP()/TCP()`` need not copy its operands when nothing else holds them, and
``bytes(Ether()/IP()/TCP())`` can cut the ``underlayer`` links of a packet that is garbage once
built, so that reference counting frees it at once instead of the cyclic garbage collector.
Both read reference counts, calibrated here once on stand-ins (``_TEMP_SELF``/``_TEMP_OTHER``
for ``/``, ``_TEMP_BYTES``/``_TEMP_UPPER`` for ``bytes()``); where the counts are not reliable
(another interpreter) they are 0 and nothing is reused or unlinked. Also here: link padding
placed at a frame's end (:func:`_padded`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, ClassVar

from paquet.packet.dissect import _materialize

if TYPE_CHECKING:
    from paquet.packet.base import NoPayload, Packet
    from paquet.packet.base import Padding as _PaddingT

__all__ = ["install"]

# Given by paquet.packet.base (install).
NOPAYLOAD: NoPayload
Padding: type[_PaddingT]
_TEMP_BYTES = 0
_TEMP_UPPER = 0




class _Probe:
    rc: ClassVar[tuple[int, int]] = (0, 0)

    def __truediv__(self, other: _Probe) -> _Probe:
        rc_self = _getrefcount(self)
        _Probe.rc = (rc_self, _getrefcount(other))
        return self


_getrefcount = sys.getrefcount


def _calibrate() -> tuple[int, int]:
    """Reference counts seen in ``__truediv__`` for temporary operands; (0, 0) if unreliable."""
    _Probe() / _Probe()
    temp = _Probe.rc
    a = _Probe()
    b = _Probe()
    a / b
    named = _Probe.rc
    if sys.implementation.name != "cpython" or named[0] <= temp[0] or named[1] <= temp[1]:
        return 0, 0
    return temp


_TEMP_SELF, _TEMP_OTHER = _calibrate()



def _padded(layer: Packet, out: bytes) -> bytes:
    """``out`` (built from ``layer``) with the bytes of the link padding above ``layer``:
    at the end, or before the trailers (a frame check sequence) of the layers under it, which
    close the frame."""
    trailers = 0
    while layer is not NOPAYLOAD:
        if isinstance(layer, Padding):
            pad = layer.build_padding()
            if trailers and pad:
                cut = len(out) - trailers
                return out[:cut] + pad + out[cut:]
            return out + pad
        if layer._has_trailer:
            trailers += sum(getattr(f, "fld", f).sz for f in layer._fields
                            if getattr(f, "is_trailer", False))
        nxt = layer.__dict__.get("payload")
        layer = _materialize(layer, False) if nxt is None else nxt
    return out


def _unlink_temporary(root: Any, rc: int, base: int) -> bool:
    """Cut the ``underlayer`` links of the layers above ``root`` if it and they are garbage.

    ``rc`` is ``root``'s reference count seen in :meth:`Packet.__bytes__` (``_TEMP_BYTES``
    for a temporary, one more when its payload refers back to it; 0 skips that check) and
    ``base`` the count this function sees for a layer that only its lower layer's
    ``payload`` refers to (``_TEMP_UPPER``). Only the payloads already made are walked (a
    payload left for later is not dissected: it holds bytes, no layer). If any layer above
    is referred to from elsewhere (a variable, a list, a field of another packet, a
    payload whose ``underlayer`` is not that layer...), nothing changes: the packet stays
    whole for whoever holds that reference. Otherwise every such layer loses its
    ``underlayer``, which leaves the chain without cycles: when ``root`` goes, reference
    counting frees the whole packet. Returns True when the links were cut.

    ``root`` is a :class:`Packet`, or a :class:`_Link` when calibrating: only the two
    ``__dict__`` entries are used.
    """
    rd = root.__dict__
    layer = rd.get("payload")
    if layer is None or layer is NOPAYLOAD or rd.get("underlayer") is not None:
        return False  # no layer above (no cycle), or root is itself a payload
    d = layer.__dict__
    if rc > _TEMP_BYTES + (d.get("underlayer") is root):
        return False  # root is referred to from elsewhere
    # First every layer is checked, and only then changed: a packet someone can still reach
    # is never left half unlinked. At each check, ``layer`` and the argument of getrefcount
    # refer to the layer (``base`` counts them with the lower layer's ``payload``), its own
    # payload's ``underlayer`` may too; ``nxt`` refers to the layer above, and the dicts
    # kept for the second pass to none.
    dicts = [d]
    while True:
        nxt = d.get("payload")
        if nxt is None or nxt is NOPAYLOAD:
            if _getrefcount(layer) > base:
                return False
            break
        nd = nxt.__dict__
        if _getrefcount(layer) > base + (nd.get("underlayer") is layer):
            return False
        layer = nxt
        d = nd
        dicts.append(d)
    for d in dicts:
        d["underlayer"] = None
    return True


class _BytesProbe:
    rc: ClassVar[int] = 0

    def _build(self) -> bytes:
        return b""

    def __bytes__(self) -> bytes:
        # As Packet.__bytes__: the count is taken after a method call.
        out = self._build()
        _BytesProbe.rc = _getrefcount(self)
        return out


class _Link:
    """A stand-in for a layer: a ``payload`` and an ``underlayer`` in its ``__dict__``."""

    def __init__(self, underlayer: _Link | None) -> None:
        self.underlayer = underlayer
        self.payload: Any = NOPAYLOAD


def _links(n: int) -> _Link:
    """A chain of ``n`` links linked both ways, as a packet's layers; returns the first."""
    root = last = _Link(None)
    for _ in range(n - 1):
        nxt = _Link(last)
        last.payload = nxt
        last = nxt
    return root


def _calibrate_bytes() -> int:
    """The count :meth:`Packet.__bytes__` sees for a temporary; 0 if unreliable."""
    bytes(_BytesProbe())
    temp = _BytesProbe.rc
    named = _BytesProbe()
    bytes(named)
    if sys.implementation.name != "cpython" or _BytesProbe.rc <= temp:
        return 0
    return temp


def _calibrate_upper() -> int:
    """The count :func:`_unlink_temporary` sees for a layer only its lower layer refers to;
    0 if unreliable.

    It is found by running :func:`_unlink_temporary` itself on chains of stand-ins (``rc``
    0: the first link passes), then checked: a reference to any link above the first must
    keep the chain as it is, and without one every link must lose its ``underlayer``.
    """
    if not _TEMP_BYTES:
        return 0
    for base in range(1, 8):
        root = _links(4)
        if _unlink_temporary(root, 0, base - 1):
            return 0  # passes with a count too low: the counts are not what they seem
        if _unlink_temporary(root, 0, base):
            break
    else:
        return 0
    for n in (2, 3, 4):
        for i in range(1, n):
            root = _links(n)
            held = root
            for _ in range(i):
                held = held.payload
            if _unlink_temporary(root, 0, base):
                return 0  # a held link was not seen
            del held
        root = _links(n)
        if not _unlink_temporary(root, 0, base):
            return 0
        layer = root.payload
        while layer is not NOPAYLOAD:
            if layer.underlayer is not None:
                return 0
            layer = layer.payload
    return base


def install(nopayload: Any, padding: Any) -> tuple[int, int]:
    """Called by :mod:`paquet.packet.base` once its classes exist: the engine's empty payload
    and padding class given, the counts of ``bytes()`` calibrated; returns
    ``(_TEMP_BYTES, _TEMP_UPPER)`` (zeros: temporaries are left to the garbage collector)."""
    global NOPAYLOAD, Padding, _TEMP_BYTES, _TEMP_UPPER
    NOPAYLOAD, Padding = nopayload, padding
    _TEMP_BYTES = _calibrate_bytes()
    _TEMP_UPPER = _calibrate_upper()
    if not _TEMP_UPPER:
        _TEMP_BYTES = 0  # the layers above cannot be checked: temporaries are left to the GC
    return _TEMP_BYTES, _TEMP_UPPER
