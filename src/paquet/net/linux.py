"""Numbers of Linux's socket API that Python's :mod:`socket` module does not name.

From ``<linux/if_packet.h>``, ``<asm-generic/socket.h>``, ``<linux/in.h>``, ``<linux/in6.h>``
and ``<linux/sockios.h>``; used by the sockets, the capture ring and the probes, defined here
once. Protocol numbers (EtherTypes, IP protocols) are in :mod:`paquet.numbers`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs milliseconds; the probes' start-up imports this module
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "ICMP_FILTER",
    "IPV6_RECVERR",
    "IP_MTU_DISCOVER",
    "IP_RECVERR",
    "IP_RECVTTL",
    "PACKET_ADD_MEMBERSHIP",
    "PACKET_AUXDATA",
    "PACKET_MR_PROMISC",
    "PACKET_OUTGOING",
    "PACKET_RX_RING",
    "PACKET_STATISTICS",
    "PACKET_VERSION",
    "SIOCGIFHWADDR",
    "SOL_PACKET",
    "SOL_RAW",
    "SO_ATTACH_FILTER",
    "SO_MEMINFO",
    "SO_RCVBUFFORCE",
    "SO_TIMESTAMPNS",
    "TPACKET3_HDRLEN",
    "TPACKET_V3",
    "TP_STATUS_KERNEL",
    "TP_STATUS_USER",
    "TP_STATUS_VLAN_TPID_VALID",
    "TP_STATUS_VLAN_VALID",
]

SOL_PACKET: Final = 263  #: Socket option level of packet sockets
PACKET_STATISTICS: Final = 6  #: Packet socket option: received and dropped counts (reset by a read)
PACKET_AUXDATA: Final = 8  #: Packet socket option: VLAN tag and length with each packet
PACKET_OUTGOING: Final = 4  #: ``sll_pkttype`` of a copy of a packet this host sent
PACKET_ADD_MEMBERSHIP: Final = 1  #: Packet socket option: join a membership (promiscuous mode)
PACKET_MR_PROMISC: Final = 1  #: Membership type of ``PACKET_ADD_MEMBERSHIP``: promiscuous mode
PACKET_RX_RING: Final = 5  #: Packet socket option: map a receive ring
PACKET_VERSION: Final = 10  #: Packet socket option: the ring's header version
TPACKET_V3: Final = 2  #: Ring version 3: variable-size frames in blocks
TP_STATUS_KERNEL: Final = 0  #: Ring block status: the kernel owns the block
TP_STATUS_USER: Final = 1  #: Ring block status: the block is handed to the reader
TP_STATUS_VLAN_VALID: Final = 1 << 4  #: Ring packet status: ``tp_vlan_tci`` holds a stripped tag
TP_STATUS_VLAN_TPID_VALID: Final = 1 << 6  #: Ring packet status: ``tp_vlan_tpid`` is valid
#: TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): the sockaddr_ll follows a ring packet's header
TPACKET3_HDRLEN: Final = 48
SO_TIMESTAMPNS: Final = 35  #: Socket option: a nanosecond receive timestamp with each packet
IP_RECVERR: Final = 11  #: IPv4 socket option: ICMP errors queued on the socket's error queue
IP_RECVTTL: Final = 12  #: IPv4 socket option: the received TTL as a control message
IPV6_RECVERR: Final = 25  #: IPv6 socket option: ICMPv6 errors queued on the socket's error queue
SO_ATTACH_FILTER: Final = 26  #: Socket option: attach a classic BPF program (a kernel filter)
SOL_RAW: Final = 255  #: Level of the raw IP sockets' own options
ICMP_FILTER: Final = 1  #: SOL_RAW option of an ICMP raw socket: a mask of the ICMP types it drops
SO_MEMINFO: Final = 55  #: Socket option: the socket's memory counters (the ninth: its drops)
SO_RCVBUFFORCE: Final = 33  #: Socket option: a receive buffer above the limit (CAP_NET_ADMIN)
IP_MTU_DISCOVER: Final = 10  #: IPv4 socket option: path MTU discovery (the DF bit), ``-M``
SIOCGIFHWADDR: Final = 0x8927  #: ioctl: an interface's hardware address (and type)
