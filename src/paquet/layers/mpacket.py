"""IEEE 802.3br mPackets (pcap LINKTYPE 274): an Ethernet frame as it is on the wire, with its
preamble and start delimiter in front and its frame check sequence at the end.

``MPacketPreamble`` holds the 8 bytes before the frame (``preamble``: seven ``0x55`` and the
SFD, ``0xd5`` for a plain frame; 802.3br's SMD values for preemptable fragments) and the 4-byte
``fcs`` after it; the frame between is an ``Ether``. Names and defaults are Scapy's.

>>> from paquet import Ether, MPacketPreamble
>>> frame = MPacketPreamble(preamble=b"\\x55" * 7 + b"\\xd5") / Ether(dst="ff:ff:ff:ff:ff:ff")
>>> raw = bytes(frame)
>>> raw[:8].hex(), len(raw) == 8 + 14 + 4
('55555555555555d5', True)
>>> MPacketPreamble(raw)[Ether].dst
'ff:ff:ff:ff:ff:ff'
"""

from __future__ import annotations

from paquet.numbers import LINKTYPE_ETHERNET_MPACKET
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.strfields import StrFixedLenField
from paquet.packet.structfields import FCSField

__all__ = ["MPacketPreamble"]


class MPacketPreamble(Packet):
    """The preamble and start delimiter (8 bytes) before an Ethernet frame, and its FCS after
    (IEEE 802.3br, figure 99-3)."""

    name = "MPacket Preamble"
    fields_desc = (
        StrFixedLenField("preamble", b"", length=8),
        FCSField("fcs", 0, fmt="!I"),
    )


def _register() -> None:
    from paquet.layers.ether import Ether

    registry.bind_layers(MPacketPreamble, Ether)
    registry.bind_linktype(LINKTYPE_ETHERNET_MPACKET, MPacketPreamble)


_register()
