"""PPP (RFC 1661) and PPP over Ethernet (RFC 2516): the link layers below PPP's protocols.

:class:`PPPoE` is the 6-byte session header (``version``, ``type``, ``code``, ``sessionid``,
``len`` computed) of EtherType 0x8864; :class:`PPPoED` the discovery header of EtherType
0x8863, whose payload is :class:`PPPoED_Tags`, a list of :class:`PPPoETag` (``tag_type``,
``tag_len``, ``tag_value``). :class:`PPP` is the protocol field (two bytes, or one when its
first byte is odd, RFC 1661 §2); a frame starting with 0xFF is :class:`HDLC`'s address and
control bytes before it. The control protocols (LCP, IPCP, ECP, PAP, CHAP) are in
:mod:`paquet.layers.ppp_cp`. Classes, names, defaults, bytes and bindings are Scapy's
(``scapy.layers.ppp``). :class:`DIR_PPP` is the one-byte direction (``received``/``sent``) of
the pcap link type PPP_WITH_DIR before PPP.

>>> from paquet.layers import IP
>>> p = PPPoE(sessionid=7) / PPP() / IP(src="192.0.2.1", dst="192.0.2.2")
>>> q = PPPoE(bytes(p))
>>> q.len, q[PPP].proto, type(q[PPP].payload).__name__
(22, 33, 'IP')
"""

from __future__ import annotations

from typing import Any

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, ShortField, XByteField, XShortField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField, PacketListField
from paquet.volatile.base import RandField

__all__ = [
    "DIR_PPP",
    "HDLC",
    "PPP",
    "PPP_PROTOCOLS",
    "PPPoE",
    "PPPoED",
    "PPPoED_Tags",
    "PPPoETag",
]


class PPPoE(Packet):
    """The PPPoE session header: ``version``, ``type``, ``code``, ``sessionid``, ``len``
    (the payload's length, computed)."""

    name = "PPP over Ethernet"
    fields_desc = (
        BitField("version", 1, 4),
        BitField("type", 1, 4),
        ByteEnumField("code", 0, {0: "Session"}),
        XShortField("sessionid", 0x0),
        ShortField("len", None),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.__dict__.get("len") is None and len(p) >= 6:
            p = p[:4] + ((len(p) - 6) & 0xFFFF).to_bytes(2, "big") + p[6:]
        return p


#: PPPoE discovery codes (RFC 2516, RFC 5578).
PPPOED_CODES = {
    0x00: "PPP Session Stage",
    0x09: "PPPoE Active Discovery Initiation (PADI)",
    0x07: "PPPoE Active Discovery Offer (PADO)",
    0x0A: "PPPoE Active Discovery Session-Grant (PADG)",
    0x0B: "PPPoE Active Discovery Session-Credit Response (PADC)",
    0x0C: "PPPoE Active Discovery Quality (PADQ)",
    0x19: "PPPoE Active Discovery Request (PADR)",
    0x65: "PPPoE Active Discovery Session-confirmation (PADS)",
    0xA7: "PPPoE Active Discovery Terminate (PADT)",
}


class PPPoED(PPPoE):
    """The PPPoE discovery header (PADI by default); its ``len`` bytes are the tags."""

    name = "PPP over Ethernet Discovery"
    code_list = PPPOED_CODES
    fields_desc = (
        BitField("version", 1, 4),
        BitField("type", 1, 4),
        ByteEnumField("code", 0x09, PPPOED_CODES),
        XShortField("sessionid", 0x0),
        ShortField("len", None),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        n = self.len if isinstance(self.len, int) else len(s)
        return s[:n], s[n:]

    def mysummary(self) -> str:
        return self.sprintf("%code%")


#: PPPoE tag types (RFC 2516, RFC 4638, RFC 5578).
PPPOE_TAGS = {
    0x0000: "End-Of-List",
    0x0101: "Service-Name",
    0x0102: "AC-Name",
    0x0103: "Host-Uniq",
    0x0104: "AC-Cookie",
    0x0105: "Vendor-Specific",
    0x0106: "Credits",
    0x0107: "Metrics",
    0x0108: "Sequence Number",
    0x0109: "Credit Scale Factor",
    0x0110: "Relay-Session-Id",
    0x0120: "PPP-Max-Payload",
    0x0201: "Service-Name-Error",
    0x0202: "AC-System-Error",
    0x0203: "Generic-Error",
}


class PPPoETag(Packet):
    """One PPPoE discovery tag: ``tag_type``, ``tag_len`` (computed), ``tag_value``."""

    name = "PPPoE Tag"
    tag_list = PPPOE_TAGS
    fields_desc = (
        ShortEnumField("tag_type", None, PPPOE_TAGS),
        FieldLenField("tag_len", None, length_of="tag_value", fmt="H"),
        StrLenField("tag_value", b"", length_from=lambda pkt: pkt.tag_len),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class RandPPPoETags(RandField):
    """A random list of up to 4 PPPoE tags (for ``fuzz(PPPoED_Tags())``)."""

    def _fix(self) -> list[PPPoETag]:
        import random

        kinds = list(PPPOE_TAGS)
        return [PPPoETag(tag_type=random.choice(kinds),
                         tag_value=random.randbytes(random.randrange(24)))
                for _ in range(random.randrange(5))]


class _TagListField(PacketListField):
    """The list of tags, with random lists of tags as its random values."""

    __slots__ = ()

    def randval(self) -> Any:
        return RandPPPoETags()

    def type_name(self) -> str:
        return "PacketListField"


class PPPoED_Tags(Packet):
    """The tags of a PPPoE discovery message, ``tag_list``."""

    name = "PPPoE Tag List"
    fields_desc = (_TagListField("tag_list", None, PPPoETag),)

    def mysummary(self) -> Any:
        names = ", ".join(x.sprintf("%tag_type%") for x in self.tag_list)
        return "PPPoE Tags" + names, [PPPoED]


#: PPP protocol numbers (IANA's PPP DLL Protocol Numbers, with the names Scapy shows).
PPP_PROTOCOLS = {
    0x0001: 'Padding Protocol',
    0x0003: 'ROHC small-CID [RFC3095]',
    0x0005: 'ROHC large-CID [RFC3095]',
    0x0021: 'Internet Protocol version 4',
    0x0023: 'OSI Network Layer',
    0x0025: 'Xerox NS IDP',
    0x0027: 'DECnet Phase IV',
    0x0029: 'Appletalk',
    0x002b: 'Novell IPX',
    0x002d: 'Van Jacobson Compressed TCP/IP',
    0x002f: 'Van Jacobson Uncompressed TCP/IP',
    0x0031: 'Bridging PDU',
    0x0033: 'Stream Protocol (ST-II)',
    0x0035: 'Banyan Vines',
    0x0037: 'reserved (until 1993) [Typo in RFC1172]',
    0x0039: 'AppleTalk EDDP',
    0x003b: 'AppleTalk SmartBuffered',
    0x003d: 'Multi-Link [RFC1717]',
    0x003f: 'NETBIOS Framing',
    0x0041: 'Cisco Systems',
    0x0043: 'Ascom Timeplex',
    0x0045: 'Fujitsu Link Backup and Load Balancing (LBLB)',
    0x0047: 'DCA Remote Lan',
    0x0049: 'Serial Data Transport Protocol (PPP-SDTP)',
    0x004b: 'SNA over 802.2',
    0x004d: 'SNA',
    0x004f: 'IPv6 Header Compression',
    0x0051: 'KNX Bridging Data [ianp]',
    0x0053: 'Encryption [Meyer]',
    0x0055: 'Individual Link Encryption [Meyer]',
    0x0057: 'Internet Protocol version 6 [Hinden]',
    0x0059: 'PPP Muxing [RFC3153]',
    0x005b: 'Vendor-Specific Network Protocol (VSNP) [RFC3772]',
    0x0061: 'RTP IPHC Full Header [RFC3544]',
    0x0063: 'RTP IPHC Compressed TCP [RFC3544]',
    0x0065: 'RTP IPHC Compressed Non TCP [RFC3544]',
    0x0067: 'RTP IPHC Compressed UDP 8 [RFC3544]',
    0x0069: 'RTP IPHC Compressed RTP 8 [RFC3544]',
    0x006f: 'Stampede Bridging',
    0x0071: 'Reserved [Fox]',
    0x0073: 'MP+ Protocol [Smith]',
    0x007d: 'reserved (Control Escape) [RFC1661]',
    0x007f: 'reserved (compression inefficient [RFC1662]',
    0x0081: 'Reserved Until 20-Oct-2000 [IANA]',
    0x0083: 'Reserved Until 20-Oct-2000 [IANA]',
    0x00c1: 'NTCITS IPI [Ungar]',
    0x00cf: 'reserved (PPP NLID)',
    0x00fb: 'single link compression in multilink [RFC1962]',
    0x00fd: 'compressed datagram [RFC1962]',
    0x00ff: 'reserved (compression inefficient)',
    0x0201: '802.1d Hello Packets',
    0x0203: 'IBM Source Routing BPDU',
    0x0205: 'DEC LANBridge100 Spanning Tree',
    0x0207: 'Cisco Discovery Protocol [Sastry]',
    0x0209: 'Netcs Twin Routing [Korfmacher]',
    0x020b: 'STP - Scheduled Transfer Protocol [Segal]',
    0x020d: 'EDP - Extreme Discovery Protocol [Grosser]',
    0x0211: 'Optical Supervisory Channel Protocol (OSCP)[Prasad]',
    0x0213: 'Optical Supervisory Channel Protocol (OSCP)[Prasad]',
    0x0231: 'Luxcom',
    0x0233: 'Sigma Network Systems',
    0x0235: 'Apple Client Server Protocol [Ridenour]',
    0x0281: 'MPLS Unicast [RFC3032]  ',
    0x0283: 'MPLS Multicast [RFC3032]',
    0x0285: 'IEEE p1284.4 standard - data packets [Batchelder]',
    0x0287: 'ETSI TETRA Network Protocol Type 1 [Nieminen]',
    0x0289: 'Multichannel Flow Treatment Protocol [McCann]',
    0x2063: 'RTP IPHC Compressed TCP No Delta [RFC3544]',
    0x2065: 'RTP IPHC Context State [RFC3544]',
    0x2067: 'RTP IPHC Compressed UDP 16 [RFC3544]',
    0x2069: 'RTP IPHC Compressed RTP 16 [RFC3544]',
    0x4001: 'Cray Communications Control Protocol [Stage]',
    0x4003: 'CDPD Mobile Network Registration Protocol [Quick]',
    0x4005: 'Expand accelerator protocol [Rachmani]',
    0x4007: 'ODSICP NCP [Arvind]',
    0x4009: 'DOCSIS DLL [Gaedtke]',
    0x400b: 'Cetacean Network Detection Protocol [Siller]',
    0x4021: 'Stacker LZS [Simpson]',
    0x4023: 'RefTek Protocol [Banfill]',
    0x4025: 'Fibre Channel [Rajagopal]',
    0x4027: 'EMIT Protocols [Eastham]',
    0x405b: 'Vendor-Specific Protocol (VSP) [RFC3772]',
    0x8021: 'Internet Protocol Control Protocol',
    0x8023: 'OSI Network Layer Control Protocol',
    0x8025: 'Xerox NS IDP Control Protocol',
    0x8027: 'DECnet Phase IV Control Protocol',
    0x8029: 'Appletalk Control Protocol',
    0x802b: 'Novell IPX Control Protocol',
    0x802d: 'reserved',
    0x802f: 'reserved',
    0x8031: 'Bridging NCP',
    0x8033: 'Stream Protocol Control Protocol',
    0x8035: 'Banyan Vines Control Protocol',
    0x8037: 'reserved (until 1993)',
    0x8039: 'reserved',
    0x803b: 'reserved',
    0x803d: 'Multi-Link Control Protocol',
    0x803f: 'NETBIOS Framing Control Protocol',
    0x8041: 'Cisco Systems Control Protocol',
    0x8043: 'Ascom Timeplex',
    0x8045: 'Fujitsu LBLB Control Protocol',
    0x8047: 'DCA Remote Lan Network Control Protocol (RLNCP)',
    0x8049: 'Serial Data Control Protocol (PPP-SDCP)',
    0x804b: 'SNA over 802.2 Control Protocol',
    0x804d: 'SNA Control Protocol',
    0x804f: 'IP6 Header Compression Control Protocol',
    0x8051: 'KNX Bridging Control Protocol [ianp]',
    0x8053: 'Encryption Control Protocol [Meyer]',
    0x8055: 'Individual Link Encryption Control Protocol [Meyer]',
    0x8057: 'IPv6 Control Protovol [Hinden]',
    0x8059: 'PPP Muxing Control Protocol [RFC3153]',
    0x805b: 'Vendor-Specific Network Control Protocol (VSNCP) [RFC3772]',
    0x806f: 'Stampede Bridging Control Protocol',
    0x8073: 'MP+ Control Protocol [Smith]',
    0x8071: 'Reserved [Fox]',
    0x807d: 'Not Used - reserved [RFC1661]',
    0x8081: 'Reserved Until 20-Oct-2000 [IANA]',
    0x8083: 'Reserved Until 20-Oct-2000 [IANA]',
    0x80c1: 'NTCITS IPI Control Protocol [Ungar]',
    0x80cf: 'Not Used - reserved [RFC1661]',
    0x80fb: 'single link compression in multilink control [RFC1962]',
    0x80fd: 'Compression Control Protocol [RFC1962]',
    0x80ff: 'Not Used - reserved [RFC1661]',
    0x8207: 'Cisco Discovery Protocol Control [Sastry]',
    0x8209: 'Netcs Twin Routing [Korfmacher]',
    0x820b: 'STP - Control Protocol [Segal]',
    0x820d: 'EDPCP - Extreme Discovery Protocol Ctrl Prtcl [Grosser]',
    0x8235: 'Apple Client Server Protocol Control [Ridenour]',
    0x8281: 'MPLSCP [RFC3032]',
    0x8285: 'IEEE p1284.4 standard - Protocol Control [Batchelder]',
    0x8287: 'ETSI TETRA TNP1 Control Protocol [Nieminen]',
    0x8289: 'Multichannel Flow Treatment Protocol [McCann]',
    0xc021: 'Link Control Protocol',
    0xc023: 'Password Authentication Protocol',
    0xc025: 'Link Quality Report',
    0xc027: 'Shiva Password Authentication Protocol',
    0xc029: 'CallBack Control Protocol (CBCP)',
    0xc02b: 'BACP Bandwidth Allocation Control Protocol [RFC2125]',
    0xc02d: 'BAP [RFC2125]',
    0xc05b: 'Vendor-Specific Authentication Protocol (VSAP) [RFC3772]',
    0xc081: 'Container Control Protocol [KEN]',
    0xc223: 'Challenge Handshake Authentication Protocol',
    0xc225: 'RSA Authentication Protocol [Narayana]',
    0xc227: 'Extensible Authentication Protocol [RFC2284]',
    0xc229: 'Mitsubishi Security Info Exch Ptcl (SIEP) [Seno]',
    0xc26f: 'Stampede Bridging Authorization Protocol',
    0xc281: 'Proprietary Authentication Protocol [KEN]',
    0xc283: 'Proprietary Authentication Protocol [Tackabury]',
    0xc481: 'Proprietary Node ID Authentication Protocol [KEN]',
}


class DIR_PPP(Packet):
    """The direction byte of link type PPP_WITH_DIR (204): 0 received, 1 sent; PPP follows.

    >>> DIR_PPP(b"\\x01\\x00\\x21E").direction, DIR_PPP(direction="sent").summary()
    (1, 'DIR_PPP')
    """

    fields_desc = (ByteEnumField("direction", 0, {0: "received", 1: "sent"}),)


class HDLC(Packet):
    """The HDLC-like framing of RFC 1662 before PPP: ``address`` 0xFF, ``control`` 0x03."""

    fields_desc = (
        XByteField("address", 0xFF),
        XByteField("control", 0x03),
    )


class _PPPProtoField(ShortEnumField):
    """PPP's protocol field: two bytes, or one when the first byte is odd (protocol field
    compression, RFC 1661 §2). Built on two bytes from a number or a name; one byte given as
    ``bytes`` (``proto=b"\\x21"``) builds on one byte."""

    __slots__ = ()

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if s[:1] and s[0] & 0x01:
            return s[1:], s[0]
        return super().getfield(pkt, s)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        if isinstance(val, bytes):
            if len(val) not in (1, 2):
                raise TypeError("Invalid length for PPP proto")
            return s + val
        return super().addfield(pkt, s, val)

    def type_name(self) -> str:
        return "_PPPProtoField"


class PPP(Packet):
    """PPP's protocol field, ``proto`` (IPv4 by default); a frame starting with 0xFF
    dissects as :class:`HDLC` first."""

    name = "PPP Link Layer"
    fields_desc = (_PPPProtoField("proto", 0x0021, PPP_PROTOCOLS),)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """:class:`HDLC` when the frame starts with its address byte 0xFF (Scapy's rule)."""
        if end > start and data[start] == 0xFF:
            return HDLC
        return cls


def _register() -> None:
    from paquet.layers.eap import EAP
    from paquet.layers.ether import Ether
    from paquet.layers.gre import GRE_PPTP
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.sll import CookedLinux
    from paquet.numbers import (
        ETH_P_PPP_DISC as disc,
    )
    from paquet.numbers import (
        ETH_P_PPP_SES as session,
    )
    from paquet.numbers import (
        ETH_P_PPPTP,
        LINKTYPE_PPP,
        LINKTYPE_PPP_ETHER,
        LINKTYPE_PPP_HDLC,
        LINKTYPE_PPP_WITH_DIR,
    )

    registry.bind_layers(PPPoED, PPPoED_Tags, type=1)
    registry.bind_layers(Ether, PPPoED, type=disc)
    registry.bind_layers(Ether, PPPoE, type=session)
    registry.bind_layers(CookedLinux, PPPoED, proto=disc)
    registry.bind_layers(CookedLinux, PPPoE, proto=session)
    registry.bind_layers(PPPoE, PPP, code=0)
    registry.bind_layers(HDLC, PPP)
    registry.bind_layers(DIR_PPP, PPP)
    registry.bind_layers(PPP, EAP, proto=0xC227)
    registry.bind_layers(PPP, IP, proto=0x0021)
    registry.bind_layers(PPP, IPv6, proto=0x0057)
    registry.bind_layers(GRE_PPTP, PPP, proto=ETH_P_PPPTP)
    registry.bind_linktype(LINKTYPE_PPP, PPP)
    registry.bind_linktype(LINKTYPE_PPP_HDLC, HDLC)
    registry.bind_linktype(LINKTYPE_PPP_ETHER, PPPoE)
    registry.bind_linktype(LINKTYPE_PPP_WITH_DIR, DIR_PPP)


_register()
