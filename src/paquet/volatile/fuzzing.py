"""Fuzzing: Scapy's ``fuzz()`` and ``Field.randval()``. (The module is not named ``fuzz``: a
submodule of that name would hide the function in ``from paquet import *``.)

:func:`fuzz` gives every field of a packet left at its default a random value of its kind
(:func:`randval`), drawn again at each build: ``[bytes(fuzz(IP()/UDP())) for _ in range(100)]``
gives a hundred different datagrams. Fields whose default is None (lengths, checksums, the
addresses the host fills) stay computed, and fields the user set or that a binding set (``proto``
under ``UDP``) keep their value, as in Scapy. It works on every layer, those added later
included: the random value depends only on the field's kind (its class, struct format, width
in bits).

Reproducible, which Scapy is not entirely: every draw comes from Python's :mod:`random`, so
``random.seed(n)`` (or :func:`paquet.volatile.seed`) before making and building fuzzed packets
gives the same bytes again.

>>> import random
>>> from paquet.layers import IP, UDP
>>> random.seed(1); a = [bytes(fuzz(IP(dst="192.0.2.1")/UDP())) for _ in range(3)]
>>> random.seed(1); a == [bytes(fuzz(IP(dst="192.0.2.1")/UDP())) for _ in range(3)]
True
>>> len(set(a)), repr(fuzz(IP())), fuzz(IP()).ttl
(3, '<IP  |>', <RandByte>)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from paquet.packet import kinds as _kinds
from paquet.packet.dissect import _ALL, payload_of
from paquet.packet.fields import Field
from paquet.volatile.base import VolatileValue, fixed_copy, has_volatile
from paquet.volatile.fieldkinds import kind_randval

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["fixed_copy", "fuzz", "has_volatile", "kind_randval", "randval"]


# Fields Scapy computes when unset (their Scapy default is None: fuzz leaves them) that paquet
# stores as the value they compute to: the destination of IP and IPv6 (127.0.0.1, ::1).
_COMPUTED: dict[str, frozenset[str]] = {"IP": frozenset({"dst"}), "IPv6": frozenset({"dst"})}


def _computed(cls: type) -> frozenset[str]:
    for c in cls.__mro__:
        names = _COMPUTED.get(c.__name__)
        if names is not None:
            return names
    return frozenset()


def randval(f: Field) -> VolatileValue | None:
    """A random value suited to the field ``f`` (Scapy's ``Field.randval()``), or None for a
    kind that has none (options lists, fields whose layout depends on other fields).

    Integers get a random number of their width (``RandByte`` for a byte, ``RandNum(0,
    2**bits - 1)`` for a bit field, flags included), addresses ``RandIP``, ``RandIP6``,
    ``RandMAC``, fixed-size bytes ``RandBin(size)`` and variable bytes up to 1,200 of them.

    >>> from paquet.packet.fields import BitField, ShortField
    >>> from paquet.packet.addrfields import IPField
    >>> randval(ShortField("id", 0)), randval(BitField("vlan", 1, 12)).max, randval(
    ...     IPField("src", None))
    (<RandShort>, 4095, <RandIP>)
    """
    while f.isconditional:  # (Scapy's: the random value of the ConditionalField's field)
        f = f.fld  # type: ignore[attr-defined]
    if type(f).randval is not Field.randval:  # a kind that knows its own (TCP options...)
        try:
            own: VolatileValue = f.randval()
        except NotImplementedError:
            return None
        return own
    return kind_randval(f)


def fuzz(p: Packet, _inplace: int = 0) -> Packet:
    """A copy of ``p`` (``p`` itself with ``_inplace=1``) whose fields left at their default
    hold random values of their kind, drawn again each time the packet is built.

    Fields whose default is None stay computed (lengths, checksums); values the user set or a
    binding set are kept; ``repr`` shows no more than before (Scapy changes the defaults, not
    the fields), ``show()`` shows ``<RandByte>``. Every layer of the packet is fuzzed.

    >>> from paquet.layers import IP, TCP
    >>> f = fuzz(IP(dst="192.0.2.1")/TCP(dport=80))
    >>> f.dst, f[TCP].dport, f.len, f.ttl, f[TCP].seq
    ('192.0.2.1', 80, None, <RandByte>, <RandInt>)
    """
    nopayload = _kinds.NOPAYLOAD
    q = p if _inplace else p.copy()
    layer = q
    while layer is not nopayload:
        d = layer.__dict__
        ex = d["_explicit"]
        if ex is not _ALL:
            ov = d.get("_overloaded") or {}
            computed = _computed(type(layer))
            # The fields of this layer's layout (Scapy's conditional fields whose condition
            # holds): ICMP's echo has no gateway field.
            for f in layer._shown_fields():
                n = f.name
                if f.holds_packets:
                    # A list of packets keeps its items, each fuzzed in turn, even a list the
                    # user gave; a packet in a field is kept as it is (Scapy copies a default
                    # list or packet into the layer's fields, where it hides the random one).
                    held = d[n]
                    if isinstance(held, list):
                        d[n] = [fuzz(x) if hasattr(x, "_explicit") else x for x in held]
                        continue
                    if hasattr(held, "_explicit"):
                        continue
                if f.default is None or (ex and n in ex) or n in ov or n in computed:
                    continue
                if f.wraps_multiple or (
                    isinstance(f.default, list | dict | set) and type(f).randval is Field.randval
                ):
                    # Scapy copies a list default into the layer's fields, where it hides the
                    # random value (paquet's lists of options, whose kind draws random
                    # options, are Scapy's strings); a MultipleTypeField inside another
                    # container has no default there.
                    continue
                # A field whose kind depends on the packet: the one its conditions choose.
                pick = getattr(f, "_find_fld_pkt", None)
                rnd = randval(f if pick is None else pick(layer))
                if rnd is not None:
                    d[n] = rnd
        layer = payload_of(layer)
    return q
