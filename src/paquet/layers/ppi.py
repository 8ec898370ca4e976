"""PPI, the Per-Packet Information header (CACE Technologies), pcap link type 192.

A capture tool's header before each frame, as Radiotap's: ``version``, ``flags``, ``len``
(little-endian, the whole header: 8 bytes and the records), ``dlt`` (the link type of the frame
that follows, little-endian 32 bits) and a list of records, each a :class:`PPI_Hdr`
(``pfh_type``, ``pfh_length``) whose body a record class bound on ``pfh_type`` reads
(:class:`PPI_Element` is their base). Names, defaults and bytes are Scapy's
(``scapy.layers.ppi``): ``dlt`` left to None is the link type of the layer put on top (105 for
:class:`~paquet.layers.dot11.Dot11`), and the frame after the header is dissected by the layer
its ``dlt`` names.

>>> from paquet.layers.dot11 import Dot11
>>> bytes(PPI() / Dot11(FCfield=0x40))[:8].hex()
'0000080069000000'
>>> PPI(bytes(PPI() / Dot11(addr1="02:00:00:00:00:01"))).addr1
'02:00:00:00:00:01'
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.number_enums import LinkType
from paquet.numbers import DLT_PPI, PPI_TYPES
from paquet.packet import enumfields, registry
from paquet.packet.base import Packet
from paquet.packet.fields import ByteField
from paquet.packet.intfields import LEIntField
from paquet.packet.structfields import FieldLenField, LenField, PacketListField

#: (an enumeration kind the engine makes with a factory: typed loosely here)
LEShortEnumField: Any = enumfields.LEShortEnumField

__all__ = ["PPI", "PPI_Element", "PPI_Hdr"]


class PPI_Hdr(Packet):
    """One PPI record's header: its type (``pfh_type``) and the length of its body."""

    name = "PPI Header"
    fields_desc = (
        LEShortEnumField("pfh_type", 0, PPI_TYPES),
        LenField("pfh_length", None, fmt="<H"),
    )

    def mysummary(self) -> str:
        return self.sprintf("PPI %pfh_type%")


class PPI_Element(Packet):
    """The base of PPI record bodies (bound on :class:`PPI_Hdr`'s ``pfh_type``)."""

    name = "PPI Element"

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    @staticmethod
    def length_from(pkt: Any) -> int:
        """The body's length: the ``pfh_length`` of the record header under it (0 alone)."""
        under = pkt.underlayer
        return int(under.pfh_length) if under is not None else 0


def _linktype_of(layer: Packet) -> int | None:
    """The pcap link type whose first layer is ``layer``'s class, or None."""
    for lt in LinkType:
        if registry.linktype_class(lt) is type(layer):
            return int(lt)
    return None


_DLT = struct.Struct("<I")


class PPI(Packet):
    """The PPI header: ``version``, ``flags``, ``len``, ``dlt`` and the ``headers`` records."""

    name = "Per-Packet Information header (PPI)"
    fields_desc = (
        ByteField("version", 0),
        ByteField("flags", 0),
        FieldLenField("len", None, length_of="headers", fmt="<H", adjust=lambda p, x: x + 8),
        LEIntField("dlt", None),
        PacketListField("headers", [], PPI_Hdr, length_from=lambda p: p.len - 8),
    )

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if self.dlt is None and len(pkt) >= 8:
            lt = _linktype_of(self.payload) if self.payload else None
            if lt is not None:
                pkt = pkt[:4] + _DLT.pack(lt) + pkt[8:]
        return pkt + pay

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        found = registry.linktype_class(self.dlt) if self.dlt is not None else None
        if found is not None:
            cls: type[Packet] = found
            return cls
        return super().guess_payload_class(payload)


registry.bind_linktype(DLT_PPI, PPI)
