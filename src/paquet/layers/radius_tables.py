"""RADIUS's numbers (IANA's "RADIUS Types" registry, RFC 2865, 2866 and later), with the
names Scapy displays: packet codes, attribute types, and the values of the enumerated
attributes (Service-Type, Framed-Protocol, Acct-Status-Type, Acct-Authentic,
Acct-Terminate-Cause, NAS-Port-Type).

>>> RADIUS_ATTRIBUTE_TYPES[1], RADIUS_PACKET_CODES[11]
('User-Name', 'Access-Challenge')
"""

from __future__ import annotations

__all__ = ["RADIUS_ATTRIBUTE_TYPES", "RADIUS_ATTRIBUTE_VALUES", "RADIUS_PACKET_CODES",
           "RADIUS_VENDOR_TYPES"]


def _numbered(text: str, start: int = 1) -> dict[int, str]:
    """One name a line, numbered from ``start``."""
    return {start + i: line.strip() for i, line in enumerate(text.strip().splitlines())}


#: Attribute types 1 to 191 (RFC 2865 section 5 onwards; IANA's names).
RADIUS_ATTRIBUTE_TYPES = _numbered("""
User-Name
User-Password
CHAP-Password
NAS-IP-Address
NAS-Port
Service-Type
Framed-Protocol
Framed-IP-Address
Framed-IP-Netmask
Framed-Routing
Filter-Id
Framed-MTU
Framed-Compression
Login-IP-Host
Login-Service
Login-TCP-Port
Unassigned
Reply-Message
Callback-Number
Callback-Id
Unassigned
Framed-Route
Framed-IPX-Network
State
Class
Vendor-Specific
Session-Timeout
Idle-Timeout
Termination-Action
Called-Station-Id
Calling-Station-Id
NAS-Identifier
Proxy-State
Login-LAT-Service
Login-LAT-Node
Login-LAT-Group
Framed-AppleTalk-Link
Framed-AppleTalk-Network
Framed-AppleTalk-Zone
Acct-Status-Type
Acct-Delay-Time
Acct-Input-Octets
Acct-Output-Octets
Acct-Session-Id
Acct-Authentic
Acct-Session-Time
Acct-Input-Packets
Acct-Output-Packets
Acct-Terminate-Cause
Acct-Multi-Session-Id
Acct-Link-Count
Acct-Input-Gigawords
Acct-Output-Gigawords
Unassigned
Event-Timestamp
Egress-VLANID
Ingress-Filters
Egress-VLAN-Name
User-Priority-Table
CHAP-Challenge
NAS-Port-Type
Port-Limit
Login-LAT-Port
Tunnel-Type
Tunnel-Medium-Type
Tunnel-Client-Endpoint
Tunnel-Server-Endpoint
Acct-Tunnel-Connection
Tunnel-Password
ARAP-Password
ARAP-Features
ARAP-Zone-Access
ARAP-Security
ARAP-Security-Data
Password-Retry
Prompt
Connect-Info
Configuration-Token
EAP-Message
Message-Authenticator
Tunnel-Private-Group-ID
Tunnel-Assignment-ID
Tunnel-Preference
ARAP-Challenge-Response
Acct-Interim-Interval
Acct-Tunnel-Packets-Lost
NAS-Port-Id
Framed-Pool
CUI
Tunnel-Client-Auth-ID
Tunnel-Server-Auth-ID
NAS-Filter-Rule
Unassigned
Originating-Line-Info
NAS-IPv6-Address
Framed-Interface-Id
Framed-IPv6-Prefix
Login-IPv6-Host
Framed-IPv6-Route
Framed-IPv6-Pool
Error-Cause
EAP-Key-Name
Digest-Response
Digest-Realm
Digest-Nonce
Digest-Response-Auth
Digest-Nextnonce
Digest-Method
Digest-URI
Digest-Qop
Digest-Algorithm
Digest-Entity-Body-Hash
Digest-CNonce
Digest-Nonce-Count
Digest-Username
Digest-Opaque
Digest-Auth-Param
Digest-AKA-Auts
Digest-Domain
Digest-Stale
Digest-HA1
SIP-AOR
Delegated-IPv6-Prefix
MIP6-Feature-Vector
MIP6-Home-Link-Prefix
Operator-Name
Location-Information
Location-Data
Basic-Location-Policy-Rules
Extended-Location-Policy-Rules
Location-Capable
Requested-Location-Info
Framed-Management-Protocol
Management-Transport-Protection
Management-Policy-Id
Management-Privilege-Level
PKM-SS-Cert
PKM-CA-Cert
PKM-Config-Settings
PKM-Cryptosuite-List
PKM-SAID
PKM-SA-Descriptor
PKM-Auth-Key
DS-Lite-Tunnel-Name
Mobile-Node-Identifier
Service-Selection
PMIP6-Home-LMA-IPv6-Address
PMIP6-Visited-LMA-IPv6-Address
PMIP6-Home-LMA-IPv4-Address
PMIP6-Visited-LMA-IPv4-Address
PMIP6-Home-HN-Prefix
PMIP6-Visited-HN-Prefix
PMIP6-Home-Interface-ID
PMIP6-Visited-Interface-ID
PMIP6-Home-IPv4-HoA
PMIP6-Visited-IPv4-HoA
PMIP6-Home-DHCP4-Server-Address
PMIP6-Visited-DHCP4-Server-Address
PMIP6-Home-DHCP6-Server-Address
PMIP6-Visited-DHCP6-Server-Address
PMIP6-Home-IPv4-Gateway
PMIP6-Visited-IPv4-Gateway
EAP-Lower-Layer
GSS-Acceptor-Service-Name
GSS-Acceptor-Host-Name
GSS-Acceptor-Service-Specifics
GSS-Acceptor-Realm-Name
Framed-IPv6-Address
DNS-Server-IPv6-Address
Route-IPv6-Information
Delegated-IPv6-Prefix-Pool
Stateful-IPv6-Address-Pool
IPv6-6rd-Configuration
Allowed-Called-Station-Id
EAP-Peer-Id
EAP-Server-Id
Mobility-Domain-Id
Preauth-Timeout
Network-Id-Name
EAPoL-Announcement
WLAN-HESSID
WLAN-Venue-Info
WLAN-Venue-Language
WLAN-Venue-Name
WLAN-Reason-Code
WLAN-Pairwise-Cipher
WLAN-Group-Cipher
WLAN-AKM-Suite
WLAN-Group-Mgmt-Cipher
WLAN-RF-Band
Unassigned
""")

#: The values of the enumerated attributes, by attribute type.
RADIUS_ATTRIBUTE_VALUES: dict[int, dict[int, str]] = {
    6: _numbered("""
Login
Framed
Callback Login
Callback Framed
Outbound
Administrative
NAS Prompt
Authenticate Only
Callback NAS Prompt
Call Check
Callback Administrative
Voice
Fax
Modem Relay
IAPP-Register
IAPP-AP-Check
Authorize Only
Framed-Management
Additional-Authorization
"""),
    7: _numbered("""
PPP
SLIP
AppleTalk Remote Access Protocol (ARAP)
Gandalf proprietary SingleLink/MultiLink protocol
Xylogics proprietary IPX/SLIP
X.75 Synchronous
GPRS PDP Context
"""),
    40: _numbered("""
Start
Stop
Interim-Update
Unassigned
Unassigned
Unassigned
Accounting-On
Accounting-Off
Tunnel-Start
Tunnel-Stop
Tunnel-Reject
Tunnel-Link-Start
Tunnel-Link-Stop
Tunnel-Link-Reject
Failed
"""),
    45: _numbered("""
RADIUS
Local
Remote
Diameter
"""),
    49: _numbered("""
User Request
Lost Carrier
Lost Service
Idle Timeout
Session Timeout
Admin Reset
Admin Reboot
Port Error
NAS Error
NAS Request
NAS Reboot
Port Unneeded
Port Preempted
Port Suspended
Service Unavailable
Callback
User Error
Host Request
Supplicant Restart
Reauthentication Failure
Port Reinitialized
Port Administratively Disabled
Lost Power
"""),
    61: _numbered("""
Async
Sync
ISDN Sync
ISDN Async V.120
ISDN Async V.110
Virtual
PIAFS
HDLC Clear Channel
X.25
X.75
G.3 Fax
SDSL - Symmetric DSL
ADSL-CAP - Asymmetric DSL, Carrierless Amplitude Phase Modulation
ADSL-DMT - Asymmetric DSL, Discrete Multi-Tone
IDSL - ISDN Digital Subscriber Line
Ethernet
xDSL - Digital Subscriber Line of unknown type
Cable
Wireles - Other
Wireless - IEEE 802.11
Token-Ring
FDDI
Wireless - CDMA2000
Wireless - UMTS
Wireless - 1X-EV
IAPP
FTTP - Fiber to the Premises
Wireless - IEEE 802.16
Wireless - IEEE 802.20
Wireless - IEEE 802.22
PPPoA - PPP over ATM
PPPoEoA - PPP over Ethernet over ATM
PPPoEoE - PPP over Ethernet over Ethernet
PPPoEoVLAN - PPP over Ethernet over VLAN
PPPoEoQinQ - PPP over Ethernet over IEEE 802.1QinQ
xPON - Passive Optical Network
Wireless - XGP
WiMAX Pre-Release 8 IWK Function
WIMAX-WIFI-IWK: WiMAX WIFI Interworking
WIMAX-SFF: Signaling Forwarding Function for LTE/3GPP2
WIMAX-HA-LMA: WiMAX HA and or LMA function
WIMAX-DHCP: WIMAX DHCP service
WIMAX-LBS: WiMAX location based service
WIMAX-WVS: WiMAX voice service
""", start=0),
}

#: Vendor-specific types, by vendor (Microsoft's, RFC 2548).
RADIUS_VENDOR_TYPES: dict[int, dict[int, str]] = {
    311: {**_numbered("""
MS-CHAP-Response
MS-CHAP-Error
MS-CHAP-CPW-1
MS-CHAP-CPW-2
MS-CHAP-LM-Enc-PW
MS-CHAP-NT-Enc-PW
MS-MPPE-Encryption-Policy
MS-MPPE-Encryption-Type
MS-RAS-Vendor
MS-CHAP-Domain
MS-CHAP-Challenge
MS-CHAP-MPPE-Keys
MS-BAP-Usage
MS-Link-Utilization-Threshold
MS-Link-Drop-Time-Limit
MS-MPPE-Send-Key
MS-MPPE-Recv-Key
MS-RAS-Version
MS-Old-ARAP-Password
MS-New-ARAP-Password
MS-ARAP-PW-Change-Reason
MS-Filter
MS-Acct-Auth-Type
MS-Acct-EAP-Type
MS-CHAP2-Response
MS-CHAP2-Success
MS-CHAP2-CPW
MS-Primary-DNS-Server
MS-Secondary-DNS-Server
MS-Primary-NBNS-Server
MS-Secondary-NBNS-Server
"""), 33: "MS-ARAP-Challenge"},
}

#: Packet codes (RFC 2865 section 3 and IANA).
RADIUS_PACKET_CODES = {
    **_numbered("""
Access-Request
Access-Accept
Access-Reject
Accounting-Request
Accounting-Response
Accounting-Status (now Interim Accounting)
Password-Request
Password-Ack
Password-Reject
Accounting-Message
Access-Challenge
Status-Server (experimental)
Status-Client (experimental)
"""),
    **_numbered("""
Resource-Free-Request
Resource-Free-Response
Resource-Query-Request
Resource-Query-Response
Alternate-Resource-Reclaim-Request
NAS-Reboot-Request
NAS-Reboot-Response
Reserved
Next-Passcode
New-Pin
Terminate-Session
Password-Expired
Event-Request
Event-Response
""", start=21),
    **_numbered("""
Disconnect-Request
Disconnect-ACK
Disconnect-NAK
CoA-Request
CoA-ACK
CoA-NAK
""", start=40),
    50: "IP-Address-Allocate", 51: "IP-Address-Release", 52: "Protocol-Error",
    **{n: "Experimental Use" for n in range(250, 254)}, 254: "Reserved", 255: "Reserved",
}
