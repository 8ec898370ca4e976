"""The protocols: one module per protocol, each binding itself into the engine's registry.

``from paquet.layers import Ether, IP, TCP`` gives the layer classes; :func:`dissect` turns a
captured frame into layers according to its pcap LINKTYPE. Modules added to this package by
other parts of paquet (``ipv6.py``, ``sll.py``, ...) are imported automatically after the ones
listed here, so that their bindings are registered and their ``__all__`` names exported.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from paquet.layers.arp import ARP
from paquet.layers.ether import Dot1AD, Dot1AH, Dot1Q, Dot3, Ether
from paquet.layers.icmp import ICMP, ICMPerror
from paquet.layers.ipv4 import (
    IP,
    IPerror,
    IPOption,
    IPOption_EOL,
    IPOption_LSRR,
    IPOption_NOP,
    IPOption_Router_Alert,
    IPOption_RR,
    IPOption_SSRR,
)
from paquet.layers.raw import Padding, Raw
from paquet.layers.tcp import TCP, TCPerror
from paquet.layers.udp import UDP, UDPerror
from paquet.numbers import LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_RAW
from paquet.packet import registry
from paquet.packet.base import Packet, dissect_as, dissector
from paquet.packet.registry import bind_linktype, linktype_class

__all__ = [
    "ARP",
    "ICMP",
    "IP",
    "TCP",
    "UDP",
    "Dot1AD",
    "Dot1AH",
    "Dot1Q",
    "Dot3",
    "Ether",
    "ICMPerror",
    "IPOption",
    "IPOption_EOL",
    "IPOption_LSRR",
    "IPOption_NOP",
    "IPOption_RR",
    "IPOption_Router_Alert",
    "IPOption_SSRR",
    "IPerror",
    "Padding",
    "Raw",
    "TCPerror",
    "UDPerror",
    "bind_linktype",
    "dissect",
    "dissector_for",
]


_OWN = {"arp", "ether", "icmp", "ipv4", "raw", "tcp", "udp"}

#: Modules with big tables imported on first use, not with the package: a name of their
#: ``__all__`` read from this package (``paquet.layers.Dot11``) or a capture of one of their
#: link types imports them (802.11 and Radiotap: some 10 ms of class tables).
_LAZY = {
    "avs": (163,), "dot11": (105, 119, 127), "dot11_action": (), "dot11_elements": (),
    "dot11_plist": (), "radiotap": (),
}


#: Modules imported before the others, in this order, for their bindings to come first where
#: two rules match the same packet (the first registered wins, as in Scapy): Scapy binds
#: GRE-in-UDP (port 4754) in ``scapy.layers.inet``, before DNS's port 53.
_EARLY = ("gre",)


def _load_other_layers() -> None:
    """Import the layer modules of this package not listed above, and export their names."""
    g = globals()
    modules = pkgutil.iter_modules(__path__)
    for info in sorted(modules, key=lambda m: (m.name not in _EARLY, m.name)):
        if info.name in _OWN or info.name in _LAZY or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            if name not in g:
                g[name] = getattr(module, name)
                __all__.append(name)


_load_other_layers()
for _module, _linktypes in _LAZY.items():
    for _lt in _linktypes:
        registry.bind_linktype_lazy(_lt, f"{__name__}.{_module}")


def dissector_for(linktype: int) -> Callable[[bytes, float], Packet] | None:
    """``(data, time) -> packet``: :func:`dissect` for every record of a capture of
    ``linktype``, given each record's time; None when records choose their own first layer
    (raw IP) or the link type is unknown (then call :func:`dissect` per record)."""
    if linktype == LINKTYPE_RAW:
        return None
    cls = linktype_class(linktype)
    return None if cls is None else dissector(cls)


def dissect(data: bytes, linktype: int = LINKTYPE_ETHERNET, *, strict: bool = False) -> Packet:
    """Dissect a frame captured with pcap LINKTYPE ``linktype`` (1 Ethernet, 101 raw IP, 228
    IPv4, 229 IPv6, others as registered with :func:`bind_linktype`).

    Never raises unless ``strict`` (then :class:`~paquet.errors.DecodeError`); what does not
    parse is kept as Raw with the reason in ``pkt.errors``, and ``bytes(result) == data``.
    An unknown link type gives Raw.

    >>> dissect(bytes.fromhex("4500001c00010000400160c87f0000017f00000108"
    ...                       "00f7ff00000000"), 101).summary()
    'IP / ICMP 127.0.0.1 > 127.0.0.1 echo-request 0'
    """
    data = bytes(data)
    if linktype == LINKTYPE_RAW:
        version = data[0] >> 4 if data else 0
        cls = linktype_class(LINKTYPE_IPV4 if version == 4 else LINKTYPE_IPV6)
        if version not in (4, 6) and strict:
            from paquet.errors import DecodeError

            raise DecodeError("raw IP", 0, f"IP version 4 or 6, not {version}")
    else:
        cls = linktype_class(linktype)
    if cls is None or (linktype == LINKTYPE_RAW and data and data[0] >> 4 not in (4, 6)):
        if strict:
            from paquet.errors import DecodeError

            raise DecodeError("link", 0, f"a known link type, not {linktype}")
        return dissect_as(Raw, data)
    return dissect_as(cls, data, strict=strict)


def __getattr__(name: str) -> Any:
    """A name of a module imported on first use (see ``_LAZY``)."""
    for module_name in _LAZY:
        module = importlib.import_module(f"{__name__}.{module_name}")
        if name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'paquet.layers' has no attribute {name!r}")
