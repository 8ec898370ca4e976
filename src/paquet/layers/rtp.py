"""RTP (RFC 3550): the real-time transport header and its extension, with Scapy's classes,
fields and defaults (``scapy.layers.rtp``).

As in Scapy, RTP is bound to no port (its ports are negotiated by SIP/SDP, RTSP...): bind the
one in use, ``bind_layers(UDP, RTP, dport=5004)``, or dissect a payload as ``RTP(data)``.
:class:`RTPExtension` follows the header when its ``extension`` bit is set.

>>> pkt = RTP(payload_type="PCMA", sequence=0x1234, timestamp=1, sourcesync=0xABCDEF01)
>>> bytes(pkt).hex()
'8008123400000001abcdef01'
>>> RTP(bytes(pkt)).payload_type
8
"""

from __future__ import annotations

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import BitField, IntField, ShortField
from paquet.packet.structfields import BitFieldLenField, FieldLenField, FieldListField

__all__ = ["RTP", "RTP_PAYLOAD_TYPES", "RTPExtension"]

#: The static payload types (IANA's RTP parameters, RFC 3551), by Scapy's names.
RTP_PAYLOAD_TYPES = {
    0: "G.711 PCMU", 3: "GSM", 4: "G723", 5: "DVI4", 6: "DVI4", 7: "LPC", 8: "PCMA",
    9: "G722", 10: "L16", 11: "L16", 12: "QCELP", 13: "CN", 14: "MPA", 15: "G728",
    16: "DVI4", 17: "DVI4", 18: "G729", 25: "CelB", 26: "JPEG", 28: "nv", 31: "H261",
    32: "MPV", 33: "MP2T", 34: "H263",
}


class RTPExtension(Packet):
    """The header extension (RFC 3550 §5.3.1): a profile-defined id and 32-bit words, their
    count in ``header_len`` (computed)."""

    name = "RTP extension"
    fields_desc = (
        ShortField("header_id", 0),
        FieldLenField("header_len", None, count_of="header", fmt="H"),
        FieldListField("header", [], IntField("hdr", 0),
                       count_from=lambda pkt: pkt.header_len),
    )


class RTP(Packet):
    """The RTP fixed header (12 bytes) and its contributing sources (``sync``, counted in
    ``numsync``)."""

    name = "RTP"
    fields_desc = (
        BitField("version", 2, 2),
        BitField("padding", 0, 1),
        BitField("extension", 0, 1),
        BitFieldLenField("numsync", None, 4, count_of="sync"),
        BitField("marker", 0, 1),
        BitEnumField("payload_type", 0, 7, RTP_PAYLOAD_TYPES),
        ShortField("sequence", 0),
        IntField("timestamp", 0),
        IntField("sourcesync", 0),
        FieldListField("sync", [], IntField("id", 0), count_from=lambda pkt: pkt.numsync),
    )


registry.bind_layers(RTP, RTPExtension, extension=1)
