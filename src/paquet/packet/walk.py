"""Walking a packet's layers: ``layers()``, ``getlayer``/``haslayer``, ``pkt[IP]``, ``in``,
``del pkt[X]``, the first and last layers, and Scapy's ``route()``: functions set in
:class:`~paquet.packet.base.Packet`'s class body.

Scapy's order is kept: each layer, then the packets its fields hold (``PacketListField``...),
then its payload; a class matches exactly unless a layer's class sets ``match_subclass``. The
engine's own objects (``Packet``, ``NOPAYLOAD``) are given to this module by
:mod:`paquet.packet.base` once they exist (:func:`bind`): no import cycle, and module-global
lookups on the hot path (``pkt[TCP]``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from paquet.packet.dissect import _materialize, payload_of

if TYPE_CHECKING:
    from paquet.packet.base import NoPayload, Packet

__all__ = ["bind", "contains", "delitem", "firstlayer", "getitem", "getlayer", "haslayer",
           "iterlayers", "iterpayloads", "lastlayer", "layers", "route"]

P = TypeVar("P", bound="Packet")

# Given by paquet.packet.base (bind).
NOPAYLOAD: NoPayload
_Packet: type[Packet]  # (the class; ``Packet`` names it in annotations)
_ABSENT: Any = object()


def bind(packet: Any, nopayload: Any) -> None:
    """Called by :mod:`paquet.packet.base` once its classes exist."""
    global _Packet, NOPAYLOAD
    _Packet, NOPAYLOAD = packet, nopayload


def layers(self: Packet) -> list[type[Packet]]:
    """The classes of the layers, from this one up."""
    out = []
    layer: Packet = self
    while layer is not NOPAYLOAD:
        out.append(type(layer))
        layer = payload_of(layer)
    return out

def iterlayers(self: Packet) -> Iterator[Packet]:
    """This layer and the layers above it, in order."""
    layer: Packet = self
    while layer is not NOPAYLOAD:
        yield layer
        layer = payload_of(layer)

def iterpayloads(self: Packet) -> Iterator[Packet]:
    """This layer and each of its payloads, in order (Scapy's name for :meth:`iterlayers`).

    >>> from paquet.layers import IP, TCP, Raw
    >>> [layer.name for layer in (IP() / TCP() / Raw(b"x")).iterpayloads()]
    ['IP', 'TCP', 'Raw']
    """
    return self.iterlayers()

def getlayer(
    self: Packet, cls: type[P] | str | int, nb: int = 1, _subclass: bool | None = None, **flt: Any
) -> P | None:
    """The ``nb``-th layer of class ``cls`` (or named ``cls``) whose fields equal ``flt``,
    or None.

    That class exactly, as in Scapy: ``UDP`` does not find the ``UDPerror`` quoted in an
    ICMP error (ask for ``UDPerror``). ``_subclass=True``, or a first layer whose class
    sets ``match_subclass``, matches subclasses too. An integer ``cls`` is an index, as in
    Scapy: ``getlayer(0)`` is the packet, ``getlayer(1)`` the next layer (the packets a
    field holds counted before the payload); a negative index finds none.
    """
    if isinstance(cls, int):
        if cls < 0:
            return None
        for layer in self._search_layers():
            if all(getattr(layer, k, _ABSENT) == v for k, v in flt.items()):
                if cls == 0:
                    return layer  # type: ignore[return-value]
                cls -= 1
        return None
    for layer, sub in self._search_layers_sub(_subclass):
        if _is_layer(layer, cls, sub) and all(
            getattr(layer, k, _ABSENT) == v for k, v in flt.items()
        ):
            if nb == 1:
                return layer  # type: ignore[return-value]
            nb -= 1
    return None

def haslayer(self: Packet, cls: type[Packet] | str, _subclass: bool | None = None) -> bool:
    """True when this packet has a layer of class ``cls`` (or named ``cls``): that class
    exactly, as in Scapy (``UDP`` is not found in ``ICMP()/IPerror()/UDPerror()``);
    subclasses too with ``_subclass=True`` or a first layer's ``match_subclass``."""
    return any(_is_layer(layer, cls, sub) for layer, sub in self._search_layers_sub(_subclass))

def _search_layers_sub(self: Packet, sub: bool | None) -> Iterator[tuple[Packet, bool]]:
    """``_search_layers`` with whether each layer matches subclasses: as Scapy, a layer
    whose class sets ``match_subclass`` does, and so do the layers under it (its payload
    and the packets its fields hold); ``sub`` given (not None) decides for all."""
    for layer in self.iterlayers():
        if sub is None and layer.match_subclass:
            sub = True
        yield layer, bool(sub)
        if layer._pktfields:
            for held in _held_packets(layer):
                yield from held._search_layers_sub(sub)

def _search_layers(self: Packet) -> Iterator[Packet]:
    """The layers ``getlayer`` looks at, in Scapy's order: each layer, then the packets
    its fields hold (``PacketListField``...), then its payload."""
    for layer in self.iterlayers():
        yield layer
        if layer._pktfields:
            for held in _held_packets(layer):
                yield from held._search_layers()

def contains(self: Packet, cls: object) -> bool:
    if isinstance(cls, type | str):
        return self.haslayer(cls)
    return False

def getitem(self: Packet, key: Any) -> Any:
    if isinstance(key, type):
        layer: Packet = self
        if self.match_subclass:
            return self.__getitem__((key, 1))
        while layer is not NOPAYLOAD:
            if layer.__class__ is key:
                return layer
            pf = layer._pktfields
            if pf:  # the packets its fields hold come before its payload (Scapy's order)
                d = layer.__dict__
                for n in pf:
                    if d.get(n):
                        held = _held_layer(layer, key)
                        if held is not None:
                            return held
                        break
            nxt = layer.__dict__.get("payload")
            layer = _materialize(layer, False) if nxt is None else nxt
        # Not that class: a subclass under a layer whose class sets match_subclass
        # (Scapy's: pkt[NTP] finds an NTPHeader), looked for only now (the usual
        # lookup pays nothing for it).
        found = self.getlayer(key)
        if found is not None:
            return found
        raise IndexError(f"Layer [{key.__name__}] not found")
    nb = 1
    flt: dict[str, Any] = {}
    if isinstance(key, slice):  # pkt[IP:2], pkt[IP::{"ttl": 3}] (Scapy's filter)
        key, nb, flt = key.start, (key.stop if key.stop is not None else 1), key.step or {}
        if not isinstance(flt, dict):
            raise TypeError(f"a layer's fields to match are a dict, not {flt!r}")
    elif isinstance(key, tuple):
        key, nb = key
    if not isinstance(key, type | str | int):
        raise TypeError(f"a layer class, name or index, not {key!r}")
    found = self.getlayer(key, nb, **flt)
    if found is None:
        name = key if isinstance(key, str | int) else key.__name__
        raise IndexError(f"Layer [{name}] not found")
    return found

def delitem(self: Packet, key: Any) -> None:
    layer = self[key]
    under = layer.__dict__["underlayer"]
    if under is None:
        raise IndexError("cannot delete the first layer")
    under.remove_payload()

def lastlayer(self: Packet) -> Packet:
    """The last layer of the packet."""
    layer: Packet = self
    while True:
        p = payload_of(layer)
        if not p:
            return layer
        layer = p

def firstlayer(self: Packet) -> Packet:
    """The first layer (the one that has no underlayer)."""
    layer: Packet = self
    while layer.__dict__["underlayer"] is not None:
        layer = layer.__dict__["underlayer"]
    return layer


def _held_packets(layer: Packet) -> Iterator[Packet]:
    """The packets ``layer``'s fields hold (``PacketField``, ``PacketListField``...), in order."""
    d = layer.__dict__
    for n in layer._pktfields:
        v = d.get(n)
        for item in v if isinstance(v, list) else (v,):
            if isinstance(item, _Packet):
                yield item


def _held_layer(layer: Packet, key: type[Packet]) -> Packet | None:
    """The first layer of class ``key`` among the packets ``layer``'s fields hold (Scapy's
    ``pkt[X]`` looks there before the payload), or None."""
    for held in _held_packets(layer):
        found = held.getlayer(key)
        if found is not None:
            return found
    return None


def _is_layer(layer: Packet, cls: type | str, subclass: bool = True) -> bool:
    """The layer's class is ``cls`` (or a subclass of it), or its class or display name is."""
    if isinstance(cls, str):
        return type(layer).__name__ == cls or layer.name == cls
    return isinstance(layer, cls) if subclass else type(layer) is cls


def route(self: Packet) -> tuple[str | None, str | None, str | None]:
    """Scapy's ``route()``: ``(interface, source address, gateway)`` towards the destination of
    the first layer that has one (IP, IPv6, ARP: their ``route_destination()``), as the
    routing table gives it; ``(None, None, None)`` when no layer has a destination. Nothing is
    sent; without a route, Scapy's answer (loopback, the unspecified addresses).

    >>> from paquet.layers import IP, TCP, Ether
    >>> (Ether() / IP(dst="127.0.0.1") / TCP()).route(), TCP().route()
    (('lo', '127.0.0.1', '0.0.0.0'), (None, None, None))
    """
    from paquet.packet.resolver import route as _route  # (a rare path)

    layer: Packet = self
    while layer is not NOPAYLOAD:
        found = layer.route_destination()
        if found is not None:
            return _route(*found)
        layer = payload_of(layer)
    return (None, None, None)
