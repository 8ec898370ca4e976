"""The numbers of :mod:`paquet.numbers` as :class:`~enum.IntEnum` classes, with names.

Building these classes takes milliseconds, which the start-up path of ``paquet trace`` and
``paquet ping`` cannot afford: :mod:`paquet.numbers` holds the plain ints and tables, this
module names them. A value that has a plain constant is written there once and used here.

>>> from paquet.numbers import ETH_P_IPV6
>>> from paquet.number_enums import EtherType
>>> EtherType(ETH_P_IPV6).name
'IPv6'
"""

from __future__ import annotations

from enum import IntEnum, IntFlag

from paquet.numbers import (
    ETH_P_8021AD,
    ETH_P_8021Q,
    ETH_P_ARP,
    ETH_P_IP,
    ETH_P_IPV6,
    ETH_P_LLDP,
    ETH_P_MPLS_UC,
    ETH_P_PPP_DISC,
    ETH_P_PPP_SES,
    IPPROTO_DSTOPTS,
    IPPROTO_FRAGMENT,
    IPPROTO_GRE,
    IPPROTO_HOPOPTS,
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_IGMP,
    IPPROTO_IPIP,
    IPPROTO_IPV6,
    IPPROTO_NONE,
    IPPROTO_ROUTING,
    IPPROTO_SCTP,
    IPPROTO_TCP,
    IPPROTO_UDP,
    LINKTYPE_ETHERNET,
    LINKTYPE_ETHERNET_MPACKET,
    LINKTYPE_IEEE802_11,
    LINKTYPE_IEEE802_11_RADIOTAP,
    LINKTYPE_IPV4,
    LINKTYPE_IPV6,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_NULL,
    LINKTYPE_PRISM_HEADER,
    LINKTYPE_RAW,
    ND_NEIGHBOR_ADVERT,
    TCP_ACK,
    TCP_FIN,
    TCP_PSH,
    TCP_RST,
    TCP_SYN,
)

__all__ = [
    "EtherType",
    "ICMPParamProblemCode",
    "ICMPRedirectCode",
    "ICMPTimeExceededCode",
    "ICMPType",
    "ICMPUnreachCode",
    "ICMPv6ParamProblemCode",
    "ICMPv6TimeExceededCode",
    "ICMPv6Type",
    "ICMPv6UnreachCode",
    "IPProto",
    "LinkType",
    "Port",
    "TCPFlags",
]


class EtherType(IntEnum):
    """EtherTypes, with the names Scapy shows for the Ether ``type`` field (``/etc/ethertypes``)."""

    IPv4 = ETH_P_IP
    ARP = ETH_P_ARP
    RARP = 0x8035
    n_802_1Q = ETH_P_8021Q
    IPv6 = ETH_P_IPV6
    MPLS = ETH_P_MPLS_UC
    MPLS_MULTI = 0x8848
    PPP_DISC = ETH_P_PPP_DISC
    PPP_SES = ETH_P_PPP_SES
    n_802_1AD = ETH_P_8021AD
    LLDP = ETH_P_LLDP


class LinkType(IntEnum):
    """Link-layer header types (tcpdump.org/linktypes.html) that paquet reads and writes."""

    NULL = LINKTYPE_NULL  # BSD loopback: 4-byte address family in host byte order
    ETHERNET = LINKTYPE_ETHERNET
    RAW = LINKTYPE_RAW  # raw IP, version read from the first nibble
    LINUX_SLL = LINKTYPE_LINUX_SLL  # Linux "cooked" capture (tcpdump -i any, before libpcap 1.10)
    IPV4 = LINKTYPE_IPV4
    IPV6 = LINKTYPE_IPV6
    # IEEE 802.3br mPackets: preamble and SFD, the frame, its FCS
    ETHERNET_MPACKET = LINKTYPE_ETHERNET_MPACKET
    LINUX_SLL2 = LINKTYPE_LINUX_SLL2  # Linux cooked capture v2 (tcpdump -i any, libpcap >= 1.10)
    # 802.11 (issue 18, worktree dot11): frames with or without the capture card's header
    IEEE802_11 = LINKTYPE_IEEE802_11  # 802.11 frames (paquet.layers.dot11.Dot11)
    PRISM_HEADER = LINKTYPE_PRISM_HEADER  # Prism monitor header, then the 802.11 frame
    IEEE802_11_RADIOTAP = LINKTYPE_IEEE802_11_RADIOTAP  # Radiotap header, then the 802.11 frame


class IPProto(IntEnum):
    """IP protocol numbers (IANA)."""

    HOPOPT = IPPROTO_HOPOPTS
    ICMP = IPPROTO_ICMP
    IGMP = IPPROTO_IGMP
    IPIP = IPPROTO_IPIP
    TCP = IPPROTO_TCP
    UDP = IPPROTO_UDP
    IPV6 = IPPROTO_IPV6
    IPV6_ROUTE = IPPROTO_ROUTING
    IPV6_FRAG = IPPROTO_FRAGMENT
    GRE = IPPROTO_GRE
    ESP = 50
    AH = 51
    ICMPV6 = IPPROTO_ICMPV6
    IPV6_NONXT = IPPROTO_NONE
    IPV6_OPTS = IPPROTO_DSTOPTS
    SCTP = IPPROTO_SCTP


class Port(IntEnum):
    """Well-known TCP and UDP ports the layers and tools use, with ``/etc/services`` names."""

    domain = 53
    bootps = 67
    bootpc = 68
    http = 80
    ntp = 123
    snmp = 161  # (issue 17, SNMP)
    https = 443
    dhcpv6_client = 546
    dhcpv6_server = 547
    vxlan = 4789
    # multicast DNS (RFC 6762; issue 17)
    mdns = 5353
    http_alt = 8080  # HTTP (bound as Scapy binds it)


class TCPFlags(IntFlag):
    """TCP header flags (bit values of the ``flags`` field)."""

    F = TCP_FIN
    S = TCP_SYN
    R = TCP_RST
    P = TCP_PSH
    A = TCP_ACK
    U = 0x020
    E = 0x040
    C = 0x080
    N = 0x100


class ICMPType(IntEnum):
    """ICMP message types (IANA)."""

    ECHO_REPLY = 0
    DEST_UNREACH = 3
    SOURCE_QUENCH = 4
    REDIRECT = 5
    ECHO_REQUEST = 8
    ROUTER_ADVERTISEMENT = 9
    ROUTER_SOLICITATION = 10
    TIME_EXCEEDED = 11
    PARAMETER_PROBLEM = 12
    TIMESTAMP_REQUEST = 13
    TIMESTAMP_REPLY = 14
    INFORMATION_REQUEST = 15
    INFORMATION_RESPONSE = 16
    ADDRESS_MASK_REQUEST = 17
    ADDRESS_MASK_REPLY = 18


class ICMPUnreachCode(IntEnum):
    """Codes of ICMP destination unreachable (type 3)."""

    NETWORK_UNREACHABLE = 0
    HOST_UNREACHABLE = 1
    PROTOCOL_UNREACHABLE = 2
    PORT_UNREACHABLE = 3
    FRAGMENTATION_NEEDED = 4
    SOURCE_ROUTE_FAILED = 5
    NETWORK_UNKNOWN = 6
    HOST_UNKNOWN = 7
    NETWORK_PROHIBITED = 9
    HOST_PROHIBITED = 10
    TOS_NETWORK_UNREACHABLE = 11
    TOS_HOST_UNREACHABLE = 12
    COMMUNICATION_PROHIBITED = 13
    HOST_PRECEDENCE_VIOLATION = 14
    PRECEDENCE_CUTOFF = 15


class ICMPRedirectCode(IntEnum):
    """Codes of ICMP redirect (type 5)."""

    NETWORK_REDIRECT = 0
    HOST_REDIRECT = 1
    TOS_NETWORK_REDIRECT = 2
    TOS_HOST_REDIRECT = 3


class ICMPTimeExceededCode(IntEnum):
    """Codes of ICMP time exceeded (type 11)."""

    TTL_ZERO_DURING_TRANSIT = 0
    TTL_ZERO_DURING_REASSEMBLY = 1


class ICMPParamProblemCode(IntEnum):
    """Codes of ICMP parameter problem (type 12)."""

    IP_HEADER_BAD = 0
    REQUIRED_OPTION_MISSING = 1


class ICMPv6Type(IntEnum):
    """ICMPv6 message types (IANA), named after Scapy's classes."""

    DEST_UNREACH = 1
    PACKET_TOO_BIG = 2
    TIME_EXCEEDED = 3
    PARAM_PROBLEM = 4
    ECHO_REQUEST = 128
    ECHO_REPLY = 129
    MLD_QUERY = 130
    MLD_REPORT = 131
    MLD_DONE = 132
    ND_RS = 133
    ND_RA = 134
    ND_NS = 135
    ND_NA = ND_NEIGHBOR_ADVERT
    ND_REDIRECT = 137
    MLD2_REPORT = 143


class ICMPv6UnreachCode(IntEnum):
    """Codes of ICMPv6 destination unreachable (type 1)."""

    NO_ROUTE = 0
    ADMIN_PROHIBITED = 1
    BEYOND_SCOPE = 2
    ADDRESS_UNREACHABLE = 3
    PORT_UNREACHABLE = 4


class ICMPv6TimeExceededCode(IntEnum):
    """Codes of ICMPv6 time exceeded (type 3)."""

    HOP_LIMIT_EXCEEDED = 0
    REASSEMBLY_TIME_EXCEEDED = 1


class ICMPv6ParamProblemCode(IntEnum):
    """Codes of ICMPv6 parameter problem (type 4)."""

    ERRONEOUS_HEADER_FIELD = 0
    UNRECOGNIZED_NEXT_HEADER = 1
    UNRECOGNIZED_OPTION = 2
    INCOMPLETE_HEADER_CHAIN = 3
