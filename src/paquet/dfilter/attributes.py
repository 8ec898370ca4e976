"""``layer.field`` names: Scapy's attribute of a layer, where Wireshark's table has no name.

The field names of ``paquet read -e`` and of the capture tables (:mod:`paquet.frame`) follow one
rule: a Wireshark name of :data:`paquet.dfilter.fields.FIELDS` first (``tcp.window_size_value``,
``dns.qry.name``); any other ``layer.field`` is the field ``field`` of the first layer whose class
is ``layer`` (its Wireshark abbreviation of :data:`LAYER_ABBREV` or its class name, any case),
as Scapy's ``pkt[Layer].field``: ``tcp.window``, ``arp.psrc``, ``dns.qd``. A missing layer or
field has no value. Display filters (``-Y``) take Wireshark's names only: their comparisons
need the kind Wireshark gives each field.

>>> from paquet.layers import Ether, IP, TCP
>>> pkt = Ether() / IP() / TCP(window=512)
>>> is_attribute("tcp.window"), attribute("tcp.window", pkt), attribute("arp.op", pkt)
(True, 512, None)
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["LAYER_ABBREV", "attribute", "has_field", "is_attribute", "layer_class"]

#: Wireshark's protocol abbreviations whose paquet layer class has another name.
LAYER_ABBREV: dict[str, str] = {
    "eth": "Ether",
    "vlan": "Dot1Q",
    "ip": "IP",
    "ipv6": "IPv6",
    "icmp": "ICMP",
    "icmpv6": "ICMPv6Unknown",
    "tcp": "TCP",
    "udp": "UDP",
    "arp": "ARP",
    "dns": "DNS",
    "dhcp": "DHCP",
    "bootp": "BOOTP",
    "ntp": "NTP",
    "sll": "CookedLinux",
    "gre": "GRE",
    "vxlan": "VXLAN",
    "llc": "LLC",
    "stp": "STP",
}


@functools.cache
def _classes() -> dict[str, type]:
    import paquet.layers  # noqa: F401  # the registry holds the layers once they are imported
    from paquet.packet.registry import layer_classes

    out: dict[str, type] = {}
    for cls in layer_classes():
        out.setdefault(cls.__name__.lower(), cls)
    return out


def layer_class(abbrev: str) -> type | None:
    """The paquet layer class of a Wireshark protocol abbreviation or a class name (any case).

    >>> layer_class("eth").__name__, layer_class("dns").__name__, layer_class("nosuch")
    ('Ether', 'DNS', None)
    """
    name = LAYER_ABBREV.get(abbrev.lower(), abbrev)
    return _classes().get(name.lower())


def has_field(cls: type, field: str) -> bool:
    """Whether layer class ``cls`` has a field named ``field``."""
    return any(getattr(f, "name", None) == field for f in getattr(cls, "fields_desc", ()))


def is_attribute(name: str) -> bool:
    """Whether ``name`` is ``layer.field`` of a paquet layer and one of its fields."""
    layer, _, field = name.partition(".")
    cls = layer_class(layer) if field and "." not in field else None
    return cls is not None and has_field(cls, field)


def attribute(name: str, pkt: Any) -> Any:
    """The value of ``layer.field`` in ``pkt`` (see :func:`is_attribute`), None when the packet
    has no such layer."""
    layer, _, field = name.partition(".")
    cls = layer_class(layer)
    lay = pkt.getlayer(cls) if cls is not None else None
    return None if lay is None else getattr(lay, field, None)
