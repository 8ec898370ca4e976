"""The AVS WLAN monitor header (pcap link type 163): what some 802.11 capture drivers put
before each frame (``iwpriv ... set_prismhdr 1``), 64 bytes of big-endian fields: ``version``,
``len``, ``mactime``, ``hosttime``, ``phytype``, ``channel``, ``datarate``, ``antenna``,
``priority``, ``ssi_type``, ``ssi_signal``, ``ssi_noise``, ``preamble``, ``encoding``; the
802.11 frame follows. Class, names, defaults and tables are Scapy's (``scapy.contrib.avs``).

>>> from paquet.layers.dot11 import Dot11
>>> p = AVSWLANHeader(channel=6, ssi_signal=-40) / Dot11()
>>> q = AVSWLANHeader(bytes(p))
>>> len(bytes(p)), q.ssi_signal, type(q.payload).__name__
(88, -40, 'Dot11')
"""

from __future__ import annotations

from paquet.layers.dot11 import Dot11
from paquet.numbers import DLT_IEEE802_11_RADIO_AVS
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import IntEnumField
from paquet.packet.fields import IntField, LongField
from paquet.packet.intfields import SignedIntField

__all__ = [
    "AVSWLANEncodingType",
    "AVSWLANHeader",
    "AVSWLANPhyType",
    "AVSWLANPreambleType",
    "AVSWLANSSIType",
]

AVSWLANPhyType = {0: "Unknown", 1: "FHSS 802.11 '97", 2: "DSSS 802.11 '97", 3: "IR Baseband",
                  4: "DSSS 802.11b", 5: "PBCC 802.11b", 6: "OFDM 802.11g", 7: "PBCC 802.11g",
                  8: "OFDM 802.11a"}
AVSWLANEncodingType = {0: "Unknown", 1: "CCK", 2: "PBCC", 3: "OFDM"}
AVSWLANSSIType = {0: "None", 1: "Normalized RSSI", 2: "dBm", 3: "Raw RSSI"}
AVSWLANPreambleType = {0: "Unknown", 1: "Short", 2: "Long"}


class AVSWLANHeader(Packet):
    """The AVS header (see the module)."""

    name = "AVS WLAN Monitor Header"
    fields_desc = (
        IntField("version", 1),
        IntField("len", 64),
        LongField("mactime", 0),
        LongField("hosttime", 0),
        IntEnumField("phytype", 0, AVSWLANPhyType),
        IntField("channel", 0),
        IntField("datarate", 0),
        IntField("antenna", 0),
        IntField("priority", 0),
        IntEnumField("ssi_type", 0, AVSWLANSSIType),
        SignedIntField("ssi_signal", 0),
        SignedIntField("ssi_noise", 0),
        IntEnumField("preamble", 0, AVSWLANPreambleType),
        IntEnumField("encoding", 0, AVSWLANEncodingType),
    )


registry.bind_layers(AVSWLANHeader, Dot11)
registry.bind_linktype(DLT_IEEE802_11_RADIO_AVS, AVSWLANHeader)
