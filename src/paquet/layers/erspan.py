"""ERSPAN (draft-foschiano-erspan): a mirrored Ethernet frame carried over GRE.

Type I has no header (GRE protocol 0x88be without a sequence number), type II an 8-byte one
(``ver`` 1, ``vlan``, ``cos``, ``en``, ``t``, ``session_id``, ``index``; GRE 0x88be with a
sequence number), type III a 12-byte one (``ver`` 2, a ``timestamp``, ``sgt_other`` and flags;
GRE protocol 0x22eb), followed by an 8-byte platform-specific subheader when its ``o`` bit is
set. Classes, names, defaults and bindings are Scapy's (``scapy.contrib.erspan``): a header
under GRE 0x88be is read as the type its version nibble says.

>>> from paquet.layers.ether import Ether
>>> from paquet.layers.gre import GRE
>>> p = GRE() / ERSPAN_II(session_id=5) / Ether(src="02:00:00:00:00:01")
>>> bytes(p)[:4].hex(), type(GRE(bytes(p)).payload).__name__
('100088be', 'ERSPAN_II')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from paquet.numbers import ETH_P_ERSPAN, ETH_P_ERSPAN3
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import BitField, Field, XIntField, XShortField

__all__ = ["ERSPAN", "ERSPAN_I", "ERSPAN_II", "ERSPAN_III", "ERSPAN_PlatformSpecific"]


class ERSPAN(Packet):
    """An ERSPAN header of any type: dissected as the type its first nibble names (1: II,
    2: III, else I)."""

    name = "ERSPAN"
    fields_desc: ClassVar[Sequence[Field]] = ()

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """ERSPAN_II or ERSPAN_III by the version nibble, else ERSPAN_I (Scapy's rule)."""
        version = data[start] >> 4 if end > start else 0
        return {1: ERSPAN_II, 2: ERSPAN_III}.get(version, ERSPAN_I)


class ERSPAN_I(ERSPAN):
    """Type I: no header, the mirrored frame right after GRE."""

    name = "ERSPAN I"
    match_subclass = True
    fields_desc = ()


class ERSPAN_II(ERSPAN):
    """Type II: ``ver`` (1), ``vlan``, ``cos``, ``en`` (encapsulation), ``t`` (truncated),
    ``session_id``, ``reserved``, ``index``."""

    name = "ERSPAN II"
    match_subclass = True
    fields_desc = (
        BitField("ver", 1, 4),
        BitField("vlan", 0, 12),
        BitField("cos", 0, 3),
        BitField("en", 0, 2),
        BitField("t", 0, 1),
        BitField("session_id", 0, 10),
        BitField("reserved", 0, 12),
        BitField("index", 0, 20),
    )


class ERSPAN_III(ERSPAN):
    """Type III: ``ver`` (2), ``vlan``, ``cos``, ``bso``, ``t``, ``session_id``,
    ``timestamp``, ``sgt_other``, the ``p``, ``ft`` (frame type), ``hw``, ``d``, ``gra``
    (timestamp granularity) and ``o`` (a platform-specific subheader follows) fields."""

    name = "ERSPAN III"
    match_subclass = True
    fields_desc = (
        BitField("ver", 2, 4),
        BitField("vlan", 0, 12),
        BitField("cos", 0, 3),
        BitField("bso", 0, 2),
        BitField("t", 0, 1),
        BitField("session_id", 0, 10),
        XIntField("timestamp", 0),
        XShortField("sgt_other", 0),
        BitField("p", 0, 1),
        BitEnumField("ft", 0, 5, {0: "Ethernet", 2: "IP"}),
        BitField("hw", 0, 6),
        BitField("d", 0, 1),
        BitEnumField("gra", 0, 2, {0: "100us", 1: "100ns", 2: "IEEE 1588"}),
        BitField("o", 0, 1),
    )


class ERSPAN_PlatformSpecific(Packet):
    """Type III's platform-specific subheader: ``platf_id``, ``info1``, ``info2``."""

    name = "PlatformSpecific"
    fields_desc = (
        BitField("platf_id", 0, 6),
        BitField("info1", 0, 26),
        XIntField("info2", 0),
    )


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.gre import GRE

    registry.bind_layers(ERSPAN_I, Ether)
    registry.bind_layers(ERSPAN_II, Ether)
    registry.bind_layers(ERSPAN_III, Ether, o=0)
    registry.bind_layers(ERSPAN_III, ERSPAN_PlatformSpecific, o=1)
    registry.bind_layers(ERSPAN_PlatformSpecific, Ether)
    registry.bind_layers(GRE, ERSPAN, proto=ETH_P_ERSPAN, seqnum_present=0)
    registry.bind_layers(GRE, ERSPAN_II, proto=ETH_P_ERSPAN, seqnum_present=1)
    registry.bind_layers(GRE, ERSPAN_III, proto=ETH_P_ERSPAN3)


_register()
