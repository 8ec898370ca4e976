"""``bridge_and_sniff``: forward the frames of two interfaces to each other, and see them
(Scapy's), optionally changing or dropping them on the way (``xfrm12``, ``xfrm21``).

An interface is a name (a ``conf.L2socket`` is opened on it, and closed at the end) or a socket
already open (a :class:`~paquet.net.tuntap.TunTapInterface`...). The capture options are
``sniff``'s (``count``, ``timeout``, ``lfilter``, ``store``, ``started_callback``...); ``prn`` is
called on every packet seen, forwarded or not. As in Scapy, a packet ``lfilter`` rejects is
neither counted nor forwarded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["bridge_and_sniff"]

Xfrm = Callable[[Any], Any]


def _forward(pkt: Any, xfrm: Xfrm | None) -> Any:
    """What to send for ``pkt``: itself, what ``xfrm`` made of it, or None (dropped)."""
    if xfrm is None:
        return pkt
    out = xfrm(pkt)
    if out is True:
        return pkt
    if out is False or out is None:
        return None
    return out


def bridge_and_sniff(if1: Any, if2: Any, xfrm12: Xfrm | None = None,
                     xfrm21: Xfrm | None = None, prn: Callable[[Any], Any] | None = None,
                     L2socket: Any = None, *args: Any, **kwargs: Any) -> Any:
    """Forward what arrives on ``if1`` to ``if2`` and back, and return what ``sniff`` saw.

    ``xfrm12(pkt)`` (``if1`` to ``if2``) and ``xfrm21(pkt)`` return True (forward as is),
    False (drop) or the packet (or bytes) to forward instead.
    """
    for arg in ("opened_socket", "iface"):
        if arg in kwargs:
            raise TypeError(f"bridge_and_sniff() got an unexpected argument {arg!r}")
    if L2socket is None:
        from paquet.net.conf import conf

        L2socket = conf.L2socket
    opened: list[Any] = []

    def sock_for(iface: Any) -> Any:
        if isinstance(iface, str):
            s = L2socket(iface=iface)
            opened.append(s)
            return s
        return iface

    try:
        s1 = sock_for(if1)
        s2 = sock_for(if2)
        label1 = if1 if isinstance(if1, str) else getattr(s1, "iface", "if1")
        label2 = if2 if isinstance(if2, str) else getattr(s2, "iface", "if2")
        if label1 == label2:
            label1, label2 = f"{label1}#1", f"{label2}#2"
        route = {label1: (s2, xfrm12), label2: (s1, xfrm21)}

        def forward_and_show(pkt: Any) -> Any:
            peer, xfrm = route[pkt.sniffed_on]
            out = _forward(pkt, xfrm)
            if out is not None:
                peer.send(out)
            return prn(pkt) if prn is not None else None

        from paquet.net.sniff import sniff

        options = {**kwargs, "opened_socket": {s1: label1, s2: label2},
                   "prn": forward_and_show}
        return sniff(*args, **options)
    finally:
        for s in opened:
            s.close()
