"""NetBIOS over TCP/IP (RFC 1001/1002): the name service (NBNS, UDP 137), the datagram
service (UDP 138) and the session service (TCP 139 and 445), with Scapy's classes.

A NetBIOS name travels "first-level encoded": each of its 16 bytes as two letters ``A`` +
nibble, after a length byte 0x20 and before a 0 (the empty scope). As in Scapy, the first 15
characters are ``QUESTION_NAME`` (or ``RR_NAME``...), the 16th (the suffix, the service) is
``SUFFIX`` already encoded (0x4141 is suffix 0x00) and the final 0 is ``NULL``.

>>> bytes(NBNSHeader() / NBNSQueryRequest(QUESTION_NAME="HOST"))[:16].hex()
'00000110000100000000000020454945'
>>> NBNSHeader(bytes(NBNSHeader() / NBNSQueryRequest(QUESTION_NAME="HOST"))).QUESTION_NAME
b'HOST'
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import (
    MICROSOFT_DS_PORT,
    NETBIOS_DGM_PORT,
    NETBIOS_NS_PORT,
    NETBIOS_SSN_PORT,
)
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField, ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, IntField, ShortField, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrFixedLenField, XStrFixedLenField
from paquet.packet.structfields import FieldLenField, PacketListField
from paquet.packet.valuefields import SourceMACField

__all__ = [
    "NBNS_ADD_ENTRY",
    "NBNSHeader",
    "NBNSNodeStatusRequest",
    "NBNSNodeStatusResponse",
    "NBNSNodeStatusResponseService",
    "NBNSQueryRequest",
    "NBNSQueryResponse",
    "NBNSRegistrationRequest",
    "NBNSWackResponse",
    "NBTDatagram",
    "NBTSession",
    "NetBIOSNameField",
    "NetBIOS_DS",
]


class NetBIOSNameField(StrFixedLenField):
    """A NetBIOS name, first-level encoded (RFC 1001 section 14.1), Scapy's field: up to 15
    characters, padded with spaces, each byte as two letters, after the length byte 0x20;
    ``length`` (31) counts the wire bytes.

    >>> f = NetBIOSNameField("n", b"")
    >>> f.i2m(NBNSQueryRequest(), b"AB")[:5], f.m2i(None, f.i2m(NBNSQueryRequest(), b"AB"))
    (b' EBEC', b'AB')
    """

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: Any, length: int = 31) -> None:
        super().__init__(name, default, length=None, length_from=lambda pkt: length)
        self.length = length

    def rfc_bits(self) -> int:
        """``rfc()`` draws the name as wide as its wire bytes (Scapy's ``sz``)."""
        return 8 * self.length

    def h2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str):
            x = x.encode()
        if x and len(x) > 15:
            x = x[:15]
        return x

    def any2i(self, pkt: Any, x: Any) -> Any:
        return self.h2i(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        n = self.length // 2 if pkt is not None else 0
        raw = x.encode() if isinstance(x, str) else bytes(x or b"")
        raw = (raw + b" " * n)[:n]
        out = bytearray(b" ")
        for b in raw:
            out.append(0x41 + (b >> 4))
            out.append(0x41 + (b & 0xF))
        return bytes(out)

    def m2i(self, pkt: Any, x: bytes) -> bytes:
        x = x[1:].strip(b"\x00")
        return bytes((((h - 1) & 0xF) << 4) + ((lo - 1) & 0xF)
                     for h, lo in zip(x[::2], x[1::2], strict=False)).rstrip(b" ")

    def randval(self) -> Any:
        """Random text of up to 15 bytes (the name before its encoding)."""
        from paquet.volatile import RandBin, RandNum

        return RandBin(RandNum(0, 15))


#: ``SUFFIX``: the 16th character, already encoded (0x4141 + the service number).
_NETBIOS_SUFFIXES = {0x4141 + n: text for n, text in (
    (0x00, "Workstation Service"), (0x01, "Messenger Service"), (0x03, "Messenger service"),
    (0x06, "RAS Server Service"), (0x1B, "Exchange MTA"), (0x1F, "NetDDE Service"),
    (0x20, "File Server Service"), (0x21, "RAS Client Service"),
    (0x22, "Exchange Interchange Service"), (0x23, "Exchange Store"),
    (0x24, "Exchange Directory"), (0x30, "Modern Sharing Server Service"),
    (0x31, "Modern Sharing Client Service"), (0x43, "SMS Client Remote Control"),
    (0x44, "SMS Admin Remote Control Tool"), (0x45, "SMS Client Remote Chat"),
    (0x46, "SMS Client Remote Transfer"), (0x4C, "DEC Pathworks TCP/IP Service"),
    (0x52, "DEC Pathworks TCP/IP Service"), (0x6A, "Exchange IMC"), (0x87, "Exchange MTA"),
    (0xBE, "Network Monitor Agent"), (0xBF, "Network Monitor Apps"),
    (0x10B, "Domain Master Browser"), (0x10C, "Domain Controller"),
    (0x10E, "Browser Election Service"), (0x200, "File Server Service"))}
_QRTYPES = {0x20: "NB", 0x21: "NBSTAT"}
_QRCLASS = {1: "INTERNET"}
_RNAMES = {0xC00C: "Label String Pointer to QUESTION_NAME"}
_OWNER_NODE_TYPES = {0: "B node", 1: "P node", 2: "M node", 3: "H node"}
_GNAMES = {0: "Unique name", 1: "Group name"}


class _WholeItemsListField(PacketListField):
    """A list of fixed-size items where a cut item is kept as Raw, as in Scapy (whose item
    raises on too few bytes, and the list keeps the rest as ``conf.raw_layer``)."""

    __slots__ = ("item_size",)

    def __init__(self, name: str, default: Any, cls: Any, item_size: int, **kw: Any) -> None:
        super().__init__(name, default, cls, **kw)
        self.item_size = item_size

    def m2i(self, pkt: Any, m: bytes) -> Any:
        if len(m) < self.item_size:
            from paquet.packet.base import Raw

            return Raw(load=m)
        return super().m2i(pkt, m)


def _decoded(name: Any) -> str:
    return name.decode(errors="backslashreplace") if isinstance(name, bytes) else str(name)


class NetBIOS_DS(Packet):
    """Scapy's older NetBIOS datagram header (Scapy never binds it; :class:`NBTDatagram` is
    what UDP port 138 carries). ``len`` counts the bytes after the first 14."""

    name = "NetBIOS datagram service"
    fields_desc = (
        ByteEnumField("type", 17, {17: "direct_group"}),
        ByteField("flags", 0),
        XShortField("id", 0),
        IPField("src", "127.0.0.1"),
        ShortField("sport", 138),
        ShortField("len", None),
        ShortField("ofs", 0),
        NetBIOSNameField("srcname", ""),
        NetBIOSNameField("dstname", ""),
    )

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        if self.__dict__.get("len") is None:
            p = p[:10] + ((len(p) - 14) & 0xFFFF).to_bytes(2, "big") + p[12:]
        return p


class NBNSHeader(Packet):
    """The name service header (RFC 1002 section 4.2.1): 12 bytes; the message after it is
    chosen by ``OPCODE``, ``NM_FLAGS``, ``RESPONSE`` and the counts, as Scapy binds them.

    >>> bytes(NBNSHeader(NAME_TRN_ID=5)).hex()
    '000500000000000000000000'
    """

    name = "NBNS Header"
    fields_desc = (
        ShortField("NAME_TRN_ID", 0),
        BitField("RESPONSE", 0, 1),
        BitField("OPCODE", 0, 4),
        FlagsField("NM_FLAGS", 0, 7, ["B", "res1", "res0", "RA", "RD", "TC", "AA"]),
        BitField("RCODE", 0, 4),
        ShortField("QDCOUNT", 0),
        ShortField("ANCOUNT", 0),
        ShortField("NSCOUNT", 0),
        ShortField("ARCOUNT", 0),
    )

    def hashret(self) -> bytes:
        return b"NBNS" + bytes([int(self.OPCODE) & 0xFF])


_QUESTION = (
    ShortEnumField("SUFFIX", 0x4141, _NETBIOS_SUFFIXES),
    ByteField("NULL", 0),
    ShortEnumField("QUESTION_TYPE", 0x20, _QRTYPES),
    ShortEnumField("QUESTION_CLASS", 1, _QRCLASS),
)


class NBNSQueryRequest(Packet):
    """A name query (RFC 1002 section 4.2.12): who has ``QUESTION_NAME``?"""

    name = "NBNS query request"
    fields_desc = (NetBIOSNameField("QUESTION_NAME", "windows"), *_QUESTION)

    def mysummary(self) -> str:
        return f"{type(self).__name__} who has '\\\\{_decoded(self.QUESTION_NAME)}'"


class NBNS_ADD_ENTRY(Packet):
    """One address of a positive name query response: flags (group, node type), address."""

    name = "NBNS_ADD_ENTRY"
    fields_desc = (
        BitEnumField("G", 0, 1, _GNAMES),
        BitEnumField("OWNER_NODE_TYPE", 0, 2, _OWNER_NODE_TYPES),
        BitEnumField("UNUSED", 0, 13, {0: "Unused"}),
        IPField("NB_ADDRESS", "127.0.0.1"),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class NBNSQueryResponse(Packet):
    """A positive name query response (RFC 1002 section 4.2.13): ``RR_NAME`` is at the
    addresses of ``ADDR_ENTRY``."""

    name = "NBNS query response"
    fields_desc = (
        NetBIOSNameField("RR_NAME", "windows"),
        *_QUESTION,
        IntField("TTL", 0x493E0),
        FieldLenField("RDLENGTH", None, length_of="ADDR_ENTRY"),
        _WholeItemsListField("ADDR_ENTRY", [NBNS_ADD_ENTRY()], NBNS_ADD_ENTRY, 6,
                             length_from=lambda pkt: pkt.RDLENGTH),
    )

    def mysummary(self) -> str:
        entries = self.ADDR_ENTRY
        if not entries or not isinstance(entries[0], NBNS_ADD_ENTRY):
            return "NBNSQueryResponse"
        return (f"NBNSQueryResponse '\\\\{_decoded(self.RR_NAME)}' is at "
                f"{entries[0].NB_ADDRESS}")

    def answers(self, other: Packet) -> bool:
        return isinstance(other, NBNSQueryRequest) and other.QUESTION_NAME == self.RR_NAME


class NBNSNodeStatusRequest(NBNSQueryRequest):
    """A node status request (RFC 1002 section 4.2.17): the wildcard name ``*``, type NBSTAT."""

    name = "NBNS status request"
    fields_desc = (
        NetBIOSNameField("QUESTION_NAME", b"*" + b"\x00" * 14),
        _QUESTION[0], _QUESTION[1],
        ShortEnumField("QUESTION_TYPE", 0x21, _QRTYPES),
        _QUESTION[3],
    )


class NBNSNodeStatusResponseService(Packet):
    """One name of a node status response: 15 characters, its suffix and flags."""

    name = "NBNS Node Status Response Service"
    fields_desc = (
        StrFixedLenField("NETBIOS_NAME", "WINDOWS         ", 15),
        ByteEnumField("SUFFIX", 0, {0: "workstation", 0x03: "messenger service",
                                    0x20: "file server service",
                                    0x1B: "domain master browser", 0x1C: "domain controller",
                                    0x1E: "browser election service"}),
        ByteField("NAME_FLAGS", 0x4),
        ByteEnumField("UNUSED", 0, {0: "unused"}),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class NBNSNodeStatusResponse(Packet):
    """A node status response (RFC 1002 section 4.2.18): the node's names, its MAC address
    and statistics."""

    name = "NBNS Node Status Response"
    fields_desc = (
        NetBIOSNameField("RR_NAME", "windows"),
        _QUESTION[0], _QUESTION[1],
        ShortEnumField("RR_TYPE", 0x21, _QRTYPES),
        ShortEnumField("RR_CLASS", 1, _QRCLASS),
        IntField("TTL", 0),
        ShortField("RDLENGTH", 83),
        FieldLenField("NUM_NAMES", None, fmt="B", count_of="NODE_NAME"),
        _WholeItemsListField("NODE_NAME", [NBNSNodeStatusResponseService()],
                             NBNSNodeStatusResponseService, 18,
                             count_from=lambda pkt: pkt.NUM_NAMES),
        SourceMACField("MAC_ADDRESS"),
        XStrFixedLenField("STATISTICS", b"", 46),
    )

    def answers(self, other: Packet) -> bool:
        return isinstance(other, NBNSNodeStatusRequest) and other.QUESTION_NAME == self.RR_NAME


class NBNSRegistrationRequest(Packet):
    """A name registration request (RFC 1002 section 4.2.2)."""

    name = "NBNS registration request"
    fields_desc = (
        NetBIOSNameField("QUESTION_NAME", "Windows"),
        *_QUESTION,
        ShortEnumField("RR_NAME", 0xC00C, _RNAMES),
        ShortEnumField("RR_TYPE", 0x20, _QRTYPES),
        ShortEnumField("RR_CLASS", 1, _QRCLASS),
        IntField("TTL", 0),
        ShortField("RDLENGTH", 6),
        *NBNS_ADD_ENTRY.fields_desc,
    )

    def mysummary(self) -> str:
        return str(self.sprintf("Register %G% %QUESTION_NAME% at %NB_ADDRESS%"))


class NBNSWackResponse(Packet):
    """A wait for acknowledgement response (RFC 1002 section 4.2.16)."""

    name = "NBNS Wait for Acknowledgement Response"
    fields_desc = (
        NetBIOSNameField("RR_NAME", "windows"),
        _QUESTION[0], _QUESTION[1],
        ShortEnumField("RR_TYPE", 0x20, _QRTYPES),
        ShortEnumField("RR_CLASS", 1, _QRCLASS),
        IntField("TTL", 2),
        ShortField("RDLENGTH", 2),
        BitField("RDATA", 10512, 16),
    )


class NBTDatagram(Packet):
    """A datagram service header (RFC 1002 section 4.4.2), UDP port 138: ``Length`` counts
    the two names (68 bytes) and the payload."""

    name = "NBT Datagram Packet"
    fields_desc = (
        ByteField("Type", 0x10),
        ByteField("Flags", 0x02),
        ShortField("ID", 0),
        IPField("SourceIP", "127.0.0.1"),
        ShortField("SourcePort", 138),
        ShortField("Length", None),
        ShortField("Offset", 0),
        NetBIOSNameField("SourceName", "windows"),
        ShortEnumField("SUFFIX1", 0x4141, _NETBIOS_SUFFIXES),
        ByteField("NULL1", 0),
        NetBIOSNameField("DestinationName", "windows"),
        ShortEnumField("SUFFIX2", 0x4141, _NETBIOS_SUFFIXES),
        ByteField("NULL2", 0),
    )

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("Length") is None:
            hdr = hdr[:10] + ((len(pay) + 68) & 0xFFFF).to_bytes(2, "big") + hdr[12:]
        return hdr + pay


class NBTSession(Packet):
    """A session service packet (RFC 1002 section 4.3), TCP port 139 (and 445, SMB
    directly): a type and a 17-bit length of what follows.

    >>> bytes(NBTSession() / b"abc").hex()
    '00000003616263'
    """

    name = "NBT Session Packet"
    MAXLENGTH = 0x3FFFF
    fields_desc = (
        ByteEnumField("TYPE", 0, {0x00: "Session Message", 0x81: "Session Request",
                                  0x82: "Positive Session Response",
                                  0x83: "Negative Session Response",
                                  0x84: "Retarget Session Response",
                                  0x85: "Session Keepalive"}),
        BitField("RESERVED", 0x00, 7),
        BitField("LENGTH", None, 17),
    )

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("LENGTH") is None:
            n = len(pay) & self.MAXLENGTH
            hdr = hdr[:1] + n.to_bytes(4, "big")[1:] + hdr[4:]
        return hdr + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        n = int(self.LENGTH or 0)
        return s[:n], s[n:]

    @classmethod
    def tcp_reassemble(cls, data: bytes, *args: Any, **kwargs: Any) -> Packet | None:
        """The message once its ``LENGTH`` bytes are all there, else None (Scapy's)."""
        if len(data) < 4:
            return None
        length = int.from_bytes(data[:4], "big") & cls.MAXLENGTH
        if len(data) >= length + 4:
            return cls(data)
        return None


def _register() -> None:
    from paquet.layers.tcp import TCP
    from paquet.layers.udp import UDP

    bind = registry.bind_layers
    up = registry.bind_bottom_up
    bind(NBNSHeader, NBNSQueryRequest, OPCODE=0x0, NM_FLAGS=0x11, QDCOUNT=1)
    bind(NBNSHeader, NBNSQueryResponse, OPCODE=0x0, NM_FLAGS=0x50, RESPONSE=1, ANCOUNT=1)
    for flags in (0x58, 0x70, 0x78):
        up(NBNSHeader, NBNSQueryResponse, OPCODE=0x0, NM_FLAGS=flags, RESPONSE=1, ANCOUNT=1)
    up(NBNSHeader, NBNSNodeStatusRequest, OPCODE=0x0, NM_FLAGS=0, QDCOUNT=1)
    bind(NBNSHeader, NBNSNodeStatusRequest, OPCODE=0x0, NM_FLAGS=1, QDCOUNT=1)
    bind(NBNSHeader, NBNSNodeStatusResponse, OPCODE=0x0, NM_FLAGS=0x40, RESPONSE=1,
         ANCOUNT=1)
    up(NBNSHeader, NBNSRegistrationRequest, OPCODE=0x5)
    bind(NBNSHeader, NBNSRegistrationRequest, OPCODE=0x5, NM_FLAGS=0x11, QDCOUNT=1,
         ARCOUNT=1)
    bind(NBNSHeader, NBNSWackResponse, OPCODE=0x7, NM_FLAGS=0x40, RESPONSE=1, ANCOUNT=1)

    for layer, port in ((NBNSHeader, NETBIOS_NS_PORT), (NBTDatagram, NETBIOS_DGM_PORT)):
        up(UDP, layer, dport=port)
        up(UDP, layer, sport=port)
        registry.bind_top_down(UDP, layer, sport=port, dport=port)
    for port in (MICROSOFT_DS_PORT, NETBIOS_SSN_PORT):
        up(TCP, NBTSession, dport=port)
        up(TCP, NBTSession, sport=port)
    bind(TCP, NBTSession, dport=NETBIOS_SSN_PORT, sport=NETBIOS_SSN_PORT)


_register()
