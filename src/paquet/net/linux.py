"""Numbers of Linux's socket API that Python's :mod:`socket` module does not name.

From ``<linux/if_packet.h>``, ``<asm-generic/socket.h>``, ``<linux/in.h>``, ``<linux/in6.h>``
and ``<linux/sockios.h>``; used by the sockets, the capture ring and the probes, defined here
once. Protocol numbers (EtherTypes, IP protocols) are in :mod:`paquet.numbers`.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "IPV6_RECVERR",
    "IP_RECVERR",
    "IP_RECVTTL",
    "PACKET_AUXDATA",
    "PACKET_OUTGOING",
    "PACKET_STATISTICS",
    "SIOCGIFHWADDR",
    "SOL_PACKET",
    "SO_TIMESTAMPNS",
]

SOL_PACKET: Final = 263  #: Socket option level of packet sockets
PACKET_STATISTICS: Final = 6  #: Packet socket option: received and dropped counts (reset by a read)
PACKET_AUXDATA: Final = 8  #: Packet socket option: VLAN tag and length with each packet
PACKET_OUTGOING: Final = 4  #: ``sll_pkttype`` of a copy of a packet this host sent
SO_TIMESTAMPNS: Final = 35  #: Socket option: a nanosecond receive timestamp with each packet
IP_RECVERR: Final = 11  #: IPv4 socket option: ICMP errors queued on the socket's error queue
IP_RECVTTL: Final = 12  #: IPv4 socket option: the received TTL as a control message
IPV6_RECVERR: Final = 25  #: IPv6 socket option: ICMPv6 errors queued on the socket's error queue
SIOCGIFHWADDR: Final = 0x8927  #: ioctl: an interface's hardware address (and type)
