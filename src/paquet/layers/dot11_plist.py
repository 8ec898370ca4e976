"""``Dot11PacketList``: a list of 802.11 frames, counted by Scapy's 802.11 protocols, whose data
frames :meth:`~Dot11PacketList.toEthernet` turns into Ethernet frames (Scapy's
``scapy.layers.dot11.Dot11PacketList``).

>>> from paquet.layers import IP, UDP
>>> from paquet.layers.llc import LLC, SNAP
>>> from paquet.layers.dot11 import Dot11
>>> frame = Dot11(type=2) / LLC() / SNAP() / IP(src="192.0.2.9", dst="192.0.2.1") / UDP()
>>> frames = Dot11PacketList([frame])
>>> frames
<Dot11List: TCP:0 UDP:1 ICMP:0 802.11 WEP packet:0 802.11 Beacon:0 Other:0>
>>> frames.toEthernet()[0].summary()
'Ether / IP / UDP 192.0.2.9:domain > 192.0.2.1:domain'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paquet.layers.dot11 import Dot11, Dot11Beacon, Dot11WEP
from paquet.layers.ether import Ether
from paquet.layers.icmp import ICMP
from paquet.layers.tcp import TCP
from paquet.layers.udp import UDP
from paquet.plist import PacketList

__all__ = ["Dot11PacketList"]

#: What a list of 802.11 frames counts (Scapy's ``conf.stats_dot11_protocols``).
STATS_DOT11_PROTOCOLS: list[Any] = [TCP, UDP, ICMP, Dot11WEP, Dot11Beacon]


class Dot11PacketList(PacketList):
    """A list of 802.11 frames (``name`` ``Dot11List``, counted by TCP, UDP, ICMP, WEP and
    beacons)."""

    def __init__(self, res: Iterable[Any] | None = None, name: str = "Dot11List",
                 stats: Iterable[Any] | None = None) -> None:
        super().__init__(res, name, STATS_DOT11_PROTOCOLS if stats is None else stats)

    def _stat_name(self, proto: Any) -> str:
        # (Scapy counts these by the layers' display names: "802.11 WEP packet")
        return proto if isinstance(proto, str) else str(getattr(proto, "name", proto))

    def toEthernet(self) -> PacketList:
        """The data frames (``type`` 2) as Ethernet frames: ``Ether()`` over what the LLC and
        SNAP headers carry (a protected frame is not decrypted: its payload is taken as is)."""
        frames = []
        for elt in self:
            if Dot11 in elt and elt[Dot11].type == 2:
                carried = elt[Dot11].copy()
                for _ in range(3):  # (Dot11 / LLC / SNAP / what they carry)
                    carried = carried.payload if carried else carried
                frames.append(Ether() / carried if carried else Ether())
        return PacketList(frames, name=f"Ether from {self.listname}")
