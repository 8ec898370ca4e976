"""Protocol numbers, defined once: EtherTypes, IP protocols, ports, ICMP and ICMPv6 types and codes.

Every other module imports its numbers from here (layers, net, probe, checksum), so nobody
re-declares ``0x86DD``. The plain constants carry Scapy's and Linux's names (``ETH_P_IPV6``,
``IPPROTO_TCP``); the :class:`~enum.IntEnum` classes give names to values in code and tests
(they live in :mod:`paquet.number_enums`: building them takes milliseconds the probes'
start-up path cannot spend);
the ``*_TYPES`` / ``*_CODES`` tables are the names Scapy displays (``dest-unreach``,
``Echo Request``), used by the layers' enum fields.

This module imports nothing of paquet's: it sits below every other.

>>> from paquet.number_enums import EtherType, ICMPType, ICMPUnreachCode, IPProto
>>> EtherType(ETH_P_IPV6).name
'IPv6'
>>> IPProto.TCP == IPPROTO_TCP == 6
True
>>> ICMP_TYPES[ICMPType.DEST_UNREACH], ICMP_CODES[3][ICMPUnreachCode.PORT_UNREACHABLE]
('dest-unreach', 'port-unreachable')
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing (and re, enum through it) costs the probes' start-up milliseconds
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "ARPHRD_ETHER",
    "ARPHRD_LOOPBACK",
    "ETHER_ANY",
    "ETHER_BROADCAST",
    "ETH_P_8021AD",
    "ETH_P_8021AH",
    "ETH_P_8021Q",
    "ETH_P_ALL",
    "ETH_P_ARP",
    "ETH_P_IP",
    "ETH_P_IPV6",
    "ETH_P_LLDP",
    "ETH_P_LOOP",
    "IANA_ENTERPRISE_NUMBERS",
    "ICMPV6_PARAM_CODES",
    "ICMPV6_TIME_CODES",
    "ICMPV6_TYPES",
    "ICMPV6_UNREACH_CODES",
    "ICMP_CODES",
    "ICMP_ERROR_TYPES",
    "ICMP_TYPES",
    "IPPROTO_DSTOPTS",
    "IPPROTO_FRAGMENT",
    "IPPROTO_HOPOPTS",
    "IPPROTO_ICMP",
    "IPPROTO_ICMPV6",
    "IPPROTO_IPIP",
    "IPPROTO_IPV6",
    "IPPROTO_NONE",
    "IPPROTO_ROUTING",
    "IPPROTO_TCP",
    "IPPROTO_UDP",
    "IPV6_NH",
    "LINKTYPE_ETHERNET",
    "LINKTYPE_ETHERNET_MPACKET",
    "LINKTYPE_IEEE802_11",
    "LINKTYPE_IEEE802_11_RADIOTAP",
    "LINKTYPE_IPV4",
    "LINKTYPE_IPV6",
    "LINKTYPE_LINUX_SLL",
    "LINKTYPE_LINUX_SLL2",
    "LINKTYPE_NULL",
    "LINKTYPE_PRISM_HEADER",
    "LINKTYPE_RAW",
    "LLC_CTRL_UI",
    "LLC_SAP_SNAP",
    "LLC_SAP_STP",
    "MAC_CISCO_CDP",
    "MAC_LLDP",
    "MAC_STP",
    "OUI_CISCO",
    "SNAP_CDP",
    "SNAP_DTP",
    "SNAP_STP",
    "TCP_ACK",
    "TCP_FIN",
    "TCP_PSH",
    "TCP_RST",
    "TCP_SYN",
    "All_DHCP_Relay_Agents_and_Servers",
    "All_DHCP_Servers",
]

# ---------------------------------------------------------------------------------------------
# Link layer: EtherTypes (IEEE, Linux's if_ether.h names as Scapy's scapy.data) and ARP hardware




#: Plain ints with Linux's and Scapy's names (what sockets and the hot paths compare with).
ETH_P_ALL: Final = 0x0003  # every protocol: a packet socket bound to it sees every frame
ETH_P_LOOP: Final = 0x0060  # Ethernet loopback: a socket bound to it sees no real traffic
ETH_P_IP: Final = 0x0800
ETH_P_ARP: Final = 0x0806
ETH_P_8021Q: Final = 0x8100
ETH_P_IPV6: Final = 0x86DD
ETH_P_8021AD: Final = 0x88A8

ARPHRD_ETHER: Final = 1
"""ARP hardware type Ethernet (Linux's ``ARPHRD_ETHER``, Scapy's ``ARPHDR_ETHER``)."""
ARPHRD_LOOPBACK: Final = 772
"""Linux's hardware type of the loopback interface (Scapy's ``ARPHDR_LOOPBACK``)."""

# ---------------------------------------------------------------------------------------------
# Capture link types (tcpdump.org/linktypes.html): the first header of a pcap or pcapng record




#: libpcap's names for the link types (plain ints, as Scapy's ``DLT_*``; named by LinkType).
LINKTYPE_NULL: Final = 0
LINKTYPE_ETHERNET: Final = 1
LINKTYPE_RAW: Final = 101
LINKTYPE_LINUX_SLL: Final = 113
LINKTYPE_IPV4: Final = 228
LINKTYPE_IPV6: Final = 229
LINKTYPE_LINUX_SLL2: Final = 276
LINKTYPE_ETHERNET_MPACKET: Final = 274
LINKTYPE_IEEE802_11: Final = 105
LINKTYPE_PRISM_HEADER: Final = 119
LINKTYPE_IEEE802_11_RADIOTAP: Final = 127

# ---------------------------------------------------------------------------------------------
# IP protocol numbers (IANA)




#: Plain ints with the C library's names (``socket.IPPROTO_*``), for the hot paths.
IPPROTO_HOPOPTS: Final = 0
IPPROTO_ICMP: Final = 1
IPPROTO_IPIP: Final = 4
IPPROTO_TCP: Final = 6
IPPROTO_UDP: Final = 17
IPPROTO_IPV6: Final = 41
IPPROTO_ROUTING: Final = 43
IPPROTO_FRAGMENT: Final = 44
IPPROTO_ICMPV6: Final = 58
IPPROTO_NONE: Final = 59
IPPROTO_DSTOPTS: Final = 60

# ---------------------------------------------------------------------------------------------
# Well-known ports (IANA; Scapy's /etc/services names)




# NetBIOS, TFTP and RADIUS ports (issue 18, wt-nbns; /etc/services' names in the comments)
TFTP_PORT: Final = 69  # tftp (RFC 1350)
NETBIOS_NS_PORT: Final = 137  # netbios-ns (RFC 1002)
NETBIOS_DGM_PORT: Final = 138  # netbios-dgm
NETBIOS_SSN_PORT: Final = 139  # netbios-ssn
MICROSOFT_DS_PORT: Final = 445  # microsoft-ds (SMB directly over TCP)
RADIUS_PORT: Final = 1812  # radius (RFC 2865)
RADIUS_ACCT_PORT: Final = 1813  # radius-acct (RFC 2866)
RADIUS_DYNAUTH_PORT: Final = 3799  # dynamic authorization (RFC 5176)
__all__ += ["MICROSOFT_DS_PORT", "NETBIOS_DGM_PORT", "NETBIOS_NS_PORT", "NETBIOS_SSN_PORT",
            "RADIUS_ACCT_PORT", "RADIUS_DYNAUTH_PORT", "RADIUS_PORT", "TFTP_PORT"]
# (end of the wt-nbns ports)


# ---------------------------------------------------------------------------------------------
# TCP flags (RFC 9293, RFC 3168; Scapy's one-letter names)




#: Plain ints for the probes' hot paths.
TCP_FIN: Final = 0x001
TCP_SYN: Final = 0x002
TCP_RST: Final = 0x004
TCP_PSH: Final = 0x008
TCP_ACK: Final = 0x010


# ---------------------------------------------------------------------------------------------
# ICMP (RFC 792 and IANA): types, codes, and the names Scapy displays












ICMP_ERROR_TYPES: Final = frozenset({3, 4, 5, 11, 12})
"""The ICMP types that are errors (they quote the datagram that caused them)."""

#: ICMP types and Scapy's names for them.
ICMP_TYPES = {
    0: "echo-reply",
    3: "dest-unreach",
    4: "source-quench",
    5: "redirect",
    8: "echo-request",
    9: "router-advertisement",
    10: "router-solicitation",
    11: "time-exceeded",
    12: "parameter-problem",
    13: "timestamp-request",
    14: "timestamp-reply",
    15: "information-request",
    16: "information-response",
    17: "address-mask-request",
    18: "address-mask-reply",
    30: "traceroute",
    31: "datagram-conversion-error",
    32: "mobile-host-redirect",
    33: "ipv6-where-are-you",
    34: "ipv6-i-am-here",
    35: "mobile-registration-request",
    36: "mobile-registration-reply",
    37: "domain-name-request",
    38: "domain-name-reply",
    39: "skip",
    40: "photuris",
}

#: ICMP codes per type and Scapy's names for them.
ICMP_CODES: dict[int, dict[int, str]] = {
    3: {
        0: "network-unreachable",
        1: "host-unreachable",
        2: "protocol-unreachable",
        3: "port-unreachable",
        4: "fragmentation-needed",
        5: "source-route-failed",
        6: "network-unknown",
        7: "host-unknown",
        9: "network-prohibited",
        10: "host-prohibited",
        11: "TOS-network-unreachable",
        12: "TOS-host-unreachable",
        13: "communication-prohibited",
        14: "host-precedence-violation",
        15: "precedence-cutoff",
    },
    5: {
        0: "network-redirect",
        1: "host-redirect",
        2: "TOS-network-redirect",
        3: "TOS-host-redirect",
    },
    11: {0: "ttl-zero-during-transit", 1: "ttl-zero-during-reassembly"},
    12: {0: "ip-header-bad", 1: "required-option-missing"},
    40: {
        0: "bad-spi",
        1: "authentication-failed",
        2: "decompression-failed",
        3: "decryption-failed",
        4: "need-authentification",
        5: "need-authorization",
    },
}

# ---------------------------------------------------------------------------------------------
# ICMPv6 (RFC 4443, RFC 4861 and IANA): types, codes, and the names Scapy displays

ND_NEIGHBOR_ADVERT: Final = 136  # the neighbour advertisement (RFC 4861)
__all__ += ["ND_NEIGHBOR_ADVERT"]









#: ICMPv6 message types and Scapy's names for them.
ICMPV6_TYPES = {
    1: "Destination unreachable",
    2: "Packet too big",
    3: "Time exceeded",
    4: "Parameter problem",
    100: "Private Experimentation",
    101: "Private Experimentation",
    128: "Echo Request",
    129: "Echo Reply",
    130: "MLD Query",
    131: "MLD Report",
    132: "MLD Done",
    133: "Router Solicitation",
    134: "Router Advertisement",
    135: "Neighbor Solicitation",
    136: "Neighbor Advertisement",
    137: "Redirect Message",
    138: "Router Renumbering",
    139: "ICMP Node Information Query",
    140: "ICMP Node Information Response",
    141: "Inverse Neighbor Discovery Solicitation Message",
    142: "Inverse Neighbor Discovery Advertisement Message",
    143: "MLD Report Version 2",
    144: "Home Agent Address Discovery Request Message",
    145: "Home Agent Address Discovery Reply Message",
    146: "Mobile Prefix Solicitation",
    147: "Mobile Prefix Advertisement",
    148: "Certification Path Solicitation",
    149: "Certification Path Advertisement",
    151: "Multicast Router Advertisement",
    152: "Multicast Router Solicitation",
    153: "Multicast Router Termination",
    155: "RPL Control Message",
    200: "Private Experimentation",
    201: "Private Experimentation",
}

#: ICMPv6 destination unreachable codes, as Scapy names them.
ICMPV6_UNREACH_CODES = {
    0: "No route to destination",
    1: "Communication with destination administratively prohibited",
    2: "Beyond scope of source address",
    3: "Address unreachable",
    4: "Port unreachable",
}

#: ICMPv6 time exceeded codes, as Scapy names them.
ICMPV6_TIME_CODES = {0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded"}

#: ICMPv6 parameter problem codes, as Scapy names them.
ICMPV6_PARAM_CODES = {
    0: "erroneous header field encountered",
    1: "unrecognized Next Header type encountered",
    2: "unrecognized IPv6 option encountered",
    3: "first fragment has incomplete header chain",
}

# ---------------------------------------------------------------------------------------------
# IPv6 next headers

#: Next-header numbers and Scapy's names for them (``nh`` is shown with these names).
IPV6_NH = {
    0: "Hop-by-Hop Option Header",
    4: "IP",
    6: "TCP",
    17: "UDP",
    41: "IPv6",
    43: "Routing Header",
    44: "Fragment Header",
    47: "GRE",
    50: "ESP Header",
    51: "AH Header",
    58: "ICMPv6",
    59: "No Next Header",
    60: "Destination Option Header",
    112: "VRRP",
    132: "SCTP",
    135: "Mobility Header",
}


# libpcap's DLT_* numbers as Scapy defines them on Linux (Scapy's names, plain ints; the ones
# paquet dissects are LinkType's; DLT_RAW is Linux's 12, which readers take as raw IP, as
# LINKTYPE_RAW 101).
DLT_NULL = 0
DLT_EN10MB = 1
DLT_EN3MB = 2
DLT_AX25 = 3
DLT_PRONET = 4
DLT_CHAOS = 5
DLT_IEEE802 = 6
DLT_ARCNET = 7
DLT_SLIP = 8
DLT_PPP = 9
DLT_FDDI = 10
DLT_RAW = 12
DLT_RAW_ALT = 101
DLT_SLIP_BSDOS = 15
DLT_PPP_BSDOS = 16
DLT_PFSYNC = 18
DLT_ATM_CLIP = 19
DLT_PPP_SERIAL = 50
DLT_PPP_ETHER = 51
DLT_SYMANTEC_FIREWALL = 99
DLT_C_HDLC = 104
DLT_IEEE802_11 = 105
DLT_FRELAY = 107
DLT_LOOP = 108
DLT_ENC = 109
DLT_LINUX_SLL = 113
DLT_LTALK = 114
DLT_PFLOG = 117
DLT_PRISM_HEADER = 119
DLT_AIRONET_HEADER = 120
DLT_HHDLC = 121
DLT_IP_OVER_FC = 122
DLT_IEEE802_11_RADIO = 127
DLT_ARCNET_LINUX = 129
DLT_LINUX_IRDA = 144
DLT_IEEE802_11_RADIO_AVS = 163
DLT_LINUX_LAPD = 177
DLT_BLUETOOTH_HCI_H4 = 187
DLT_USB_LINUX = 189
DLT_PPI = 192
DLT_IEEE802_15_4_WITHFCS = 195
DLT_BLUETOOTH_HCI_H4_WITH_PHDR = 201
DLT_AX25_KISS = 202
DLT_PPP_WITH_DIR = 204
DLT_FC_2 = 224
DLT_CAN_SOCKETCAN = 227
DLT_IPV4 = 228
DLT_IPV6 = 229
DLT_IEEE802_15_4_NOFCS = 230
DLT_USBPCAP = 249
DLT_BLUETOOTH_LE_LL = 251
DLT_NETLINK = 253
DLT_BLUETOOTH_LINUX_MONITOR = 254
DLT_BLUETOOTH_LE_LL_WITH_PHDR = 256
DLT_USB_DARWIN = 266
DLT_VSOCK = 271
DLT_NORDIC_BLE = 272
DLT_ETHERNET_MPACKET = 274
DLT_LINUX_SLL2 = 276


# ---------------------------------------------------------------------------------------------
# DHCPv6 (RFC 8415): multicast groups, and the enterprise numbers Scapy names

#: The link-scoped group of DHCPv6 relays and servers (RFC 8415 §7.1; Scapy's name).
All_DHCP_Relay_Agents_and_Servers: Final = "ff02::1:2"
#: The site-scoped group of DHCPv6 servers (RFC 8415 §7.1; Scapy's name).
All_DHCP_Servers: Final = "ff05::1:3"

#: IANA private enterprise numbers (https://www.iana.org/assignments/enterprise-numbers): the
#: few Scapy names, shown by the DUID-EN and vendor fields of DHCPv6.
IANA_ENTERPRISE_NUMBERS: Final = {
    9: "ciscoSystems",
    35: "Nortel Networks",
    43: "3Com",
    311: "Microsoft",
    2636: "Juniper Networks, Inc.",
    4526: "Netgear",
    5771: "Cisco Systems, Inc.",
    5842: "Cisco Systems",
    11129: "Google, Inc",
    16885: "Nortel Networks",
}
# ---------------------------------------------------------------------------------------------
# Switch-level protocols (issue 18: 802.3/LLC/SNAP, STP, CDP, LLDP, DTP, Q-in-Q)

#: IEEE 802.1ah backbone service instance tag (provider backbone bridging, mac-in-mac).
ETH_P_8021AH: Final = 0x88E7
#: Link Layer Discovery Protocol (IEEE 802.1AB).
ETH_P_LLDP: Final = 0x88CC
#: 802.2 LLC service access points: STP's (the bridge group) and SNAP's.
LLC_SAP_STP: Final = 0x42
LLC_SAP_SNAP: Final = 0xAA
#: Unnumbered information, the LLC control of STP, SNAP, CDP, DTP.
LLC_CTRL_UI: Final = 0x03
#: Cisco's OUI and its SNAP protocol ids (CDP, DTP), and the SNAP code of 802.1D BPDUs.
OUI_CISCO: Final = 0x00000C
SNAP_CDP: Final = 0x2000
SNAP_DTP: Final = 0x2004
SNAP_STP: Final = 0x010B
#: The multicast destinations of these protocols: the STP bridge group, Cisco's CDP/DTP/VTP
#: group, LLDP's nearest bridge group.
MAC_STP: Final = "01:80:c2:00:00:00"
MAC_CISCO_CDP: Final = "01:00:0c:cc:cc:cc"
MAC_LLDP: Final = "01:80:c2:00:00:0e"
#: Scapy's names (scapy.data) for the all-zeros and the broadcast MAC addresses.
ETHER_ANY: Final = "00:00:00:00:00:00"
ETHER_BROADCAST: Final = "ff:ff:ff:ff:ff:ff"
# ---------------------------------------------------------------------------------------------
# Tunnels, PPP and 802.1X (issue 18): GRE, MPLS, GENEVE, VXLAN-GPE, PPP/PPPoE, EAPOL

ETH_P_TEB: Final = 0x6558  # transparent Ethernet bridging: an Ethernet payload (GRE, GENEVE)
ETH_P_PPP_DISC: Final = 0x8863  # PPPoE discovery
ETH_P_PPP_SES: Final = 0x8864  # PPPoE session
ETH_P_PPPTP: Final = 0x880B  # PPP over GRE (PPTP, RFC 2637)
ETH_P_MPLS_UC: Final = 0x8847
ETH_P_PAE: Final = 0x888E  # 802.1X port access entity (EAPOL)
IPPROTO_GRE: Final = 47
IPPROTO_MPLS: Final = 137  # MPLS in IP (RFC 4023)
IPPROTO_ETHERIP: Final = 97  # Ethernet in IP (RFC 3378; worktree l2)
ETH_P_ERSPAN: Final = 0x88BE  # ERSPAN types I and II over GRE (worktree l2)
ETH_P_ERSPAN3: Final = 0x22EB  # ERSPAN type III over GRE
L2TP_PORT: Final = 1701  # L2TP (RFC 2661)
GRE_IN_UDP_PORT: Final = 4754  # RFC 8086
MPLS_IN_UDP_PORT: Final = 6635  # RFC 7510
GENEVE_PORT: Final = 6081  # RFC 8926
VXLAN_GPE_PORT: Final = 4790  # draft-ietf-nvo3-vxlan-gpe
LINKTYPE_PPP: Final = 9
LINKTYPE_PPP_HDLC: Final = 50  # PPP in HDLC-like framing (libpcap's DLT_PPP_SERIAL)
LINKTYPE_PPP_ETHER: Final = 51  # PPPoE session header first
LINKTYPE_PPP_WITH_DIR: Final = 204

__all__ += [
    "ETH_P_ERSPAN", "ETH_P_ERSPAN3", "ETH_P_MPLS_UC", "ETH_P_PAE", "ETH_P_PPPTP",
    "ETH_P_PPP_DISC", "ETH_P_PPP_SES", "ETH_P_TEB", "GENEVE_PORT", "GRE_IN_UDP_PORT",
    "IPPROTO_ETHERIP", "IPPROTO_GRE", "IPPROTO_MPLS", "L2TP_PORT", "LINKTYPE_PPP",
    "LINKTYPE_PPP_ETHER", "LINKTYPE_PPP_HDLC", "LINKTYPE_PPP_WITH_DIR", "MPLS_IN_UDP_PORT",
    "VXLAN_GPE_PORT",
]
# ---------------------------------------------------------------------------------------------
# PPI, the Per-Packet Information header (issue 18, worktree l2): its record types (CACE's
# PPI specification 1.0.10, with the GPS, vector, sensor, antenna and BTLE records)

PPI_DOT11COMMON: Final = 2
PPI_DOT11NMAC: Final = 3
PPI_DOT11NMACPHY: Final = 4
PPI_SPECTRUM_MAP: Final = 5
PPI_PROCESS_INFO: Final = 6
PPI_CAPTURE_INFO: Final = 7
PPI_AGGREGATION: Final = 8
PPI_DOT3: Final = 9
PPI_GPS: Final = 30002
PPI_VECTOR: Final = 30003
PPI_SENSOR: Final = 30004
PPI_ANTENNA: Final = 30005
PPI_BTLE: Final = 30006
#: The record types' names (Scapy's ``PPI_TYPES``).
PPI_TYPES: Final = {
    PPI_DOT11COMMON: "dot11-common", PPI_DOT11NMAC: "dot11-nmac",
    PPI_DOT11NMACPHY: "dot11-nmacphy", PPI_SPECTRUM_MAP: "spectrum-map",
    PPI_PROCESS_INFO: "process-info", PPI_CAPTURE_INFO: "capture-info",
    PPI_AGGREGATION: "aggregation", PPI_DOT3: "dot3", PPI_GPS: "gps", PPI_VECTOR: "vector",
    PPI_SENSOR: "sensor", PPI_ANTENNA: "antenna", PPI_BTLE: "btle",
}

__all__ += [
    "PPI_AGGREGATION", "PPI_ANTENNA", "PPI_BTLE", "PPI_CAPTURE_INFO", "PPI_DOT3",
    "PPI_DOT11COMMON", "PPI_DOT11NMAC", "PPI_DOT11NMACPHY", "PPI_GPS", "PPI_PROCESS_INFO",
    "PPI_SENSOR", "PPI_SPECTRUM_MAP", "PPI_TYPES", "PPI_VECTOR",
]

# ---------------------------------------------------------------------- worktree wire
# SCTP (RFC 9260), NetFlow and IPFIX (issue 17, worktree wire)

IPPROTO_SCTP: Final = 132
#: NetFlow's port as Scapy binds it both ways (Cisco's classic collector port); the others
#: collectors listen on (2056, 9995, 9996, 6343) are dissected too, in layers/netflow.py.
NETFLOW_PORT: Final = 2055
#: MGCP's gateway port (RFC 3435 §3.5; call agents use 2727 too), as Scapy binds it.
MGCP_PORT: Final = 2727
#: Skinny's (Cisco SCCP) TCP port.
SKINNY_PORT: Final = 2000

__all__ += ["IPPROTO_SCTP", "MGCP_PORT", "NETFLOW_PORT", "SKINNY_PORT"]
# ---------------------------------------------------------------------------------------------
# First-hop and routing protocols (worktree routing): IGMP, HSRP, VRRP, RIP, RIPng

IPPROTO_IGMP: Final = 2
IPPROTO_VRRP: Final = 112  # RFC 5798
HSRP_PORT: Final = 1985  # RFC 2281
HSRP6_PORT: Final = 2029  # HSRPv2 over IPv6 (Cisco)
RIP_PORT: Final = 520  # RFC 2453
RIPNG_PORT: Final = 521  # RFC 2080
#: The groups these protocols talk to (RFC 5771 and IANA's multicast registry).
ALL_SYSTEMS_GROUP: Final = "224.0.0.1"
ALL_ROUTERS_GROUP: Final = "224.0.0.2"
IGMPV3_ROUTERS_GROUP: Final = "224.0.0.22"
HSRPV2_GROUP: Final = "224.0.0.102"
ALL_SNOOPERS_GROUP: Final = "224.0.0.106"  # RFC 4286
HSRP6_GROUP: Final = "ff02::66"

__all__ += [
    "ALL_ROUTERS_GROUP", "ALL_SNOOPERS_GROUP", "ALL_SYSTEMS_GROUP", "HSRP6_GROUP", "HSRP6_PORT",
    "HSRPV2_GROUP", "HSRP_PORT", "IGMPV3_ROUTERS_GROUP", "IPPROTO_IGMP", "IPPROTO_VRRP",
    "RIPNG_PORT", "RIP_PORT",
]
MOBILEIP_PORT: Final = 434  # Mobile IPv4 (RFC 5944)
__all__ += ["MOBILEIP_PORT"]
