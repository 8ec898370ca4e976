"""Cisco Discovery Protocol, version 2 (``CDPv2_HDR`` and its TLVs), over SNAP (OUI 0x00000c,
protocol id 0x2000) in an 802.3 frame to 01:00:0c:cc:cc:cc.

The header is a version, a time to live and a checksum (the internet checksum over the whole
message, the last byte of an odd message folded as Cisco does), then a list of TLVs, ``msg``:
two bytes of type, two of length (the whole TLV), the value. Each known type has its class,
with Scapy's names, fields and defaults (``scapy.contrib.cdp``): ``CDPMsgDeviceID``,
``CDPMsgAddr`` (a list of ``CDPAddrRecordIPv4`` / ``CDPAddrRecordIPv6`` / ``CDPAddrRecord``),
``CDPMsgPortID``, ``CDPMsgCapabilities``, ``CDPMsgSoftwareVersion``, ``CDPMsgPlatform``,
``CDPMsgNativeVLAN``, ``CDPMsgDuplex``... and ``CDPMsgGeneric`` for the others.

>>> bytes(CDPv2_HDR(msg=[CDPMsgDeviceID(val="R1")])).hex()
'02b4ab13000100065231'
"""

from __future__ import annotations

from typing import Any, ClassVar

from paquet.checksums import internet_checksum
from paquet.layers._padding import padding_class
from paquet.numbers import OUI_CISCO, SNAP_CDP
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, XShortEnumField
from paquet.packet.fields import ByteField, Field, IntField, ShortField, XByteField, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import OUIField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField, FieldListField, PacketListField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "CDPAddrRecord",
    "CDPAddrRecordIPv4",
    "CDPAddrRecordIPv6",
    "CDPIPPrefix",
    "CDPMsg",
    "CDPMsgAddr",
    "CDPMsgCapabilities",
    "CDPMsgDeviceID",
    "CDPMsgDuplex",
    "CDPMsgGeneric",
    "CDPMsgIPGateway",
    "CDPMsgIPPrefix",
    "CDPMsgMTU",
    "CDPMsgMgmtAddr",
    "CDPMsgNativeVLAN",
    "CDPMsgPlatform",
    "CDPMsgPortID",
    "CDPMsgPower",
    "CDPMsgPowerAvailable",
    "CDPMsgPowerRequest",
    "CDPMsgProtoHello",
    "CDPMsgSoftwareVersion",
    "CDPMsgTrustBitmap",
    "CDPMsgUntrustedPortCoS",
    "CDPMsgVTPMgmtDomain",
    "CDPMsgVoIPVLANQuery",
    "CDPMsgVoIPVLANReply",
    "CDPv2_HDR",
]

#: TLV type -> its name (as Scapy shows it).
CDP_TLV_TYPES = {
    0x0001: "Device ID", 0x0002: "Addresses", 0x0003: "Port ID", 0x0004: "Capabilities",
    0x0005: "Software Version", 0x0006: "Platform", 0x0007: "IP Prefix",
    0x0008: "Protocol Hello", 0x0009: "VTP Management Domain", 0x000A: "Native VLAN",
    0x000B: "Duplex", 0x000C: "CDP Unknown command (send us a pcap file)",
    0x000D: "CDP Unknown command (send us a pcap file)", 0x000E: "VoIP VLAN Reply",
    0x000F: "VoIP VLAN Query", 0x0010: "Power", 0x0011: "MTU", 0x0012: "Trust Bitmap",
    0x0013: "Untrusted Port CoS", 0x0014: "System Name", 0x0015: "System OID",
    0x0016: "Management Address", 0x0017: "Location",
    0x0018: "CDP Unknown command (send us a pcap file)", 0x0019: "Power Request",
    0x001A: "Power Available",
}
#: The capability bits, lowest first.
CDP_CAPABILITIES = ["Router", "TransparentBridge", "SourceRouteBridge", "Switch", "Host",
                    "IGMPCapable", "Repeater"] + [f"Bit{n}" for n in range(25, 0, -1)]
CDP_DUPLEX = {0x00: "Half", 0x01: "Full"}
CDP_ADDR_PTYPES = {0x01: "NLPID", 0x02: "802.2"}
#: The protocol field of an address record: IPv4 (NLPID 0xcc), IPv6 (an 802.2 SNAP header).
_PROTO_IPV4 = b"\xcc"
_PROTO_IPV6 = b"\xaa\xaa\x03\x00\x00\x00\x86\xdd"


def _generic(type_default: int | None, value: str = "val") -> tuple[Field, ...]:
    """type, len (the whole TLV, computed), and a string value."""
    return (
        XShortEnumField("type", type_default, CDP_TLV_TYPES),
        FieldLenField("len", None, value, "!H", adjust=lambda pkt, x: x + 4),
        StrLenField(value, "", length_from=lambda pkt: pkt.len - 4, max_length=65531),
    )


class CDPMsgGeneric(Packet):
    """A CDP TLV of any type: ``type``, ``len`` (the whole TLV), ``val``."""

    name = "CDP Generic Message"
    fields_desc = _generic(None)

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        return padding_class()


class CDPMsgDeviceID(CDPMsgGeneric):
    """The device's name."""

    name = "Device ID"
    fields_desc = _generic(0x0001)


class CDPAddrRecord(Packet):
    """An address: protocol type and ``proto`` (its length ``plen``), then ``addr``."""

    name = "CDP Address"
    fields_desc: ClassVar[tuple[Field, ...]] = (
        ByteEnumField("ptype", 0x01, CDP_ADDR_PTYPES),
        FieldLenField("plen", None, "proto", "B"),
        StrLenField("proto", None, length_from=lambda pkt: pkt.plen, max_length=255),
        FieldLenField("addrlen", None, length_of=lambda pkt: pkt.addr),
        StrLenField("addr", None, length_from=lambda pkt: pkt.addrlen, max_length=65535),
    )

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        return padding_class()


class CDPAddrRecordIPv4(CDPAddrRecord):
    """An IPv4 address (NLPID 0xcc)."""

    name = "CDP Address IPv4"
    fields_desc = (
        ByteEnumField("ptype", 0x01, CDP_ADDR_PTYPES),
        FieldLenField("plen", 1, "proto", "B"),
        StrLenField("proto", _PROTO_IPV4, length_from=lambda pkt: pkt.plen, max_length=255),
        ShortField("addrlen", 4),
        IPField("addr", "0.0.0.0"),
    )


class CDPAddrRecordIPv6(CDPAddrRecord):
    """An IPv6 address (an 802.2 SNAP protocol id)."""

    name = "CDP Address IPv6"
    fields_desc = (
        ByteEnumField("ptype", 0x02, CDP_ADDR_PTYPES),
        FieldLenField("plen", 8, "proto", "B"),
        StrLenField("proto", _PROTO_IPV6, length_from=lambda pkt: pkt.plen, max_length=255),
        ShortField("addrlen", 16),
        IP6Field("addr", "::1"),
    )


def _address_record(data: bytes, **kwargs: Any) -> Packet:
    """The record class its protocol names, dissecting ``data``."""
    if len(data) < 2:
        return Raw(data)
    proto = data[2 : data[1] + 2]
    cls: type[Packet] = CDPAddrRecord
    if proto == _PROTO_IPV4:
        cls = CDPAddrRecordIPv4
    elif proto == _PROTO_IPV6:
        cls = CDPAddrRecordIPv6
    return cls(data, **kwargs)


class CDPMsgAddr(CDPMsgGeneric):
    """The device's addresses: ``naddr`` records in ``addr``."""

    name = "Addresses"
    fields_desc = (
        XShortEnumField("type", 0x0002, CDP_TLV_TYPES),
        ShortField("len", None),
        FieldLenField("naddr", None, fmt="!I", count_of="addr"),
        PacketListField("addr", [], _address_record, length_from=lambda pkt: pkt.len - 8),
    )

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if self.len is None:
            pkt = pkt[:2] + (len(pkt) & 0xFFFF).to_bytes(2, "big") + pkt[4:]
        return pkt + pay


class CDPMsgPortID(CDPMsgGeneric):
    """The port the message was sent from."""

    name = "Port ID"
    fields_desc = (
        XShortEnumField("type", 0x0003, CDP_TLV_TYPES),
        FieldLenField("len", None, "iface", "!H", adjust=lambda pkt, x: x + 4),
        StrLenField("iface", "Port 1", length_from=lambda pkt: pkt.len - 4),
    )


class CDPMsgCapabilities(CDPMsgGeneric):
    """What the device is (router, switch...): 32 flags."""

    name = "Capabilities"
    fields_desc = (
        XShortEnumField("type", 0x0004, CDP_TLV_TYPES),
        ShortField("len", 8),
        FlagsField("cap", 0, 32, CDP_CAPABILITIES),
    )


class CDPMsgSoftwareVersion(CDPMsgGeneric):
    """The software version string."""

    name = "Software Version"
    fields_desc = _generic(0x0005)


class CDPMsgPlatform(CDPMsgGeneric):
    """The hardware platform."""

    name = "Platform"
    fields_desc = _generic(0x0006)


class CDPMsgIPGateway(CDPMsgGeneric):
    """An IP prefix TLV of 8 bytes: the default gateway."""

    name = "IP Gateway"
    fields_desc = (
        XShortEnumField("type", 0x0007, CDP_TLV_TYPES),
        ShortField("len", 8),
        IPField("defaultgw", "192.168.0.1"),
    )


class CDPIPPrefix(Packet):
    """A prefix and its length."""

    name = "CDPIPPrefix"
    fields_desc = (IPField("prefix", "192.168.0.1"), ByteField("plen", 24))

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        return padding_class()


class CDPMsgIPPrefix(CDPMsgGeneric):
    """The prefixes the device routes."""

    name = "IP Prefix"
    fields_desc = (
        XShortEnumField("type", 0x0007, CDP_TLV_TYPES),
        ShortField("len", 9),
        PacketListField("prefixes", [], CDPIPPrefix, length_from=lambda pkt: pkt.len - 4),
    )


class CDPMsgProtoHello(CDPMsgGeneric):
    """A protocol hello (an OUI, a protocol id, its data)."""

    name = "Protocol Hello"
    fields_desc = (
        XShortEnumField("type", 0x0008, CDP_TLV_TYPES),
        ShortField("len", 32),
        OUIField("oui", 0x00000C),
        XShortField("protocol_id", 0x0),
        StrLenField("data", "", length_from=lambda pkt: pkt.len - 9),
    )


class CDPMsgVTPMgmtDomain(CDPMsgGeneric):
    """The VTP management domain."""

    name = "VTP Management Domain"
    fields_desc = _generic(0x0009)


class CDPMsgNativeVLAN(CDPMsgGeneric):
    """The port's native (untagged) VLAN."""

    name = "Native VLAN"
    fields_desc = (
        XShortEnumField("type", 0x000A, CDP_TLV_TYPES),
        ShortField("len", 6),
        ShortField("vlan", 1),
    )


class CDPMsgDuplex(CDPMsgGeneric):
    """The port's duplex."""

    name = "Duplex"
    fields_desc = (
        XShortEnumField("type", 0x000B, CDP_TLV_TYPES),
        ShortField("len", 5),
        ByteEnumField("duplex", 0x00, CDP_DUPLEX),
    )


class CDPMsgVoIPVLANReply(CDPMsgGeneric):
    """The voice VLAN a switch gives a phone."""

    name = "VoIP VLAN Reply"
    fields_desc = (
        XShortEnumField("type", 0x000E, CDP_TLV_TYPES),
        ShortField("len", 7),
        ByteField("status", 1),
        ShortField("vlan", 1),
    )


class CDPMsgVoIPVLANQuery(CDPMsgGeneric):
    """A phone asking for its voice VLAN."""

    name = "VoIP VLAN Query"
    fields_desc = (
        XShortEnumField("type", 0x000F, CDP_TLV_TYPES),
        FieldLenField("len", None, "unknown2", "!H", adjust=lambda pkt, x: x + 7),
        XByteField("unknown1", 0),
        ShortField("vlan", 1),
        StrLenField("unknown2", "", length_from=lambda pkt: pkt.len - 7, max_length=65528),
    )


class _PowerField(ShortField):
    """A power in milliwatts (shown with its unit)."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any) -> str:
        return f"{0 if x is None else x} mW"


class CDPMsgPower(CDPMsgGeneric):
    """The power the device draws."""

    name = "Power"
    fields_desc = (
        XShortEnumField("type", 0x0010, CDP_TLV_TYPES),
        ShortField("len", 6),
        _PowerField("power", 1337),
    )


class CDPMsgMTU(CDPMsgGeneric):
    """The port's MTU."""

    name = "MTU"
    fields_desc = (
        XShortEnumField("type", 0x0011, CDP_TLV_TYPES),
        ShortField("len", 6),
        ShortField("mtu", 1500),
    )


class CDPMsgTrustBitmap(CDPMsgGeneric):
    """The trust bitmap (802.1p of an attached phone)."""

    name = "Trust Bitmap"
    fields_desc = (
        XShortEnumField("type", 0x0012, CDP_TLV_TYPES),
        ShortField("len", 5),
        XByteField("trust_bitmap", 0x0),
    )


class CDPMsgUntrustedPortCoS(CDPMsgGeneric):
    """The class of service of an untrusted port."""

    name = "Untrusted Port CoS"
    fields_desc = (
        XShortEnumField("type", 0x0013, CDP_TLV_TYPES),
        ShortField("len", 5),
        XByteField("untrusted_port_cos", 0x0),
    )


class CDPMsgMgmtAddr(CDPMsgAddr):
    """The management addresses (as :class:`CDPMsgAddr`, type 0x16)."""

    name = "Management Address"
    fields_desc = (
        XShortEnumField("type", 0x0016, CDP_TLV_TYPES),
        *CDPMsgAddr.fields_desc[1:],
    )


def _power_list(type_default: int, name: str) -> tuple[Field, ...]:
    return (
        XShortEnumField("type", type_default, CDP_TLV_TYPES),
        FieldLenField("len", None, name, "!H", adjust=lambda pkt, x: x + 8),
        ShortField("req_id", 0),
        ShortField("mgmt_id", 0),
        FieldListField(name, [], IntField(name[:-5], 0),
                       count_from=lambda pkt: (pkt.len - 8) // 4),
    )


class CDPMsgPowerRequest(CDPMsgGeneric):
    """The power levels a device asks for."""

    name = "Power Request"
    fields_desc = _power_list(0x0019, "power_requested_list")


class CDPMsgPowerAvailable(CDPMsgGeneric):
    """The power levels a switch offers."""

    name = "Power Available"
    fields_desc = _power_list(0x001A, "power_available_list")


class CDPMsg(CDPMsgGeneric):
    """Scapy's other generic TLV class."""

    name = "CDP "
    fields_desc = _generic(None)


_TLV_CLASSES: dict[int, type[Packet]] = {
    0x0001: CDPMsgDeviceID, 0x0002: CDPMsgAddr, 0x0003: CDPMsgPortID,
    0x0004: CDPMsgCapabilities, 0x0005: CDPMsgSoftwareVersion, 0x0006: CDPMsgPlatform,
    0x0008: CDPMsgProtoHello, 0x0009: CDPMsgVTPMgmtDomain, 0x000A: CDPMsgNativeVLAN,
    0x000B: CDPMsgDuplex, 0x000E: CDPMsgVoIPVLANReply, 0x000F: CDPMsgVoIPVLANQuery,
    0x0010: CDPMsgPower, 0x0011: CDPMsgMTU, 0x0012: CDPMsgTrustBitmap,
    0x0013: CDPMsgUntrustedPortCoS, 0x0016: CDPMsgMgmtAddr, 0x0019: CDPMsgPowerRequest,
    0x001A: CDPMsgPowerAvailable,
}


def _tlv(data: bytes, **kwargs: Any) -> Packet:
    """The TLV class its type names (type 7: a gateway when 8 bytes long, else prefixes)."""
    if len(data) < 2:
        return Raw(data)
    kind = int.from_bytes(data[:2], "big")
    cls: type[Packet]
    if kind == 0x0007 and len(data) > 4:
        cls = CDPMsgIPGateway if int.from_bytes(data[2:4], "big") == 8 else CDPMsgIPPrefix
    else:
        cls = _TLV_CLASSES.get(kind, CDPMsgGeneric)
    return cls(data, **kwargs)


def _cisco_fold(data: bytes) -> bytes:
    """An odd-length message as Cisco checksums it: its last byte ``b`` becomes the two bytes
    ``00 b`` (``b`` up to 0x80) or ``ff b-1``."""
    if len(data) % 2 == 0:
        return data
    last = data[-1]
    return data[:-1] + (bytes((0, last)) if last <= 0x80 else bytes((0xFF, last - 1)))


class CDPv2_HDR(CDPMsgGeneric):
    """The CDP header: ``vers`` (2), ``ttl`` (seconds), ``cksum`` (computed when None), and
    the TLVs in ``msg``."""

    name = "Cisco Discovery Protocol version 2"
    fields_desc = (
        ByteField("vers", 2),
        ByteField("ttl", 180),
        XShortField("cksum", None),
        PacketListField("msg", [], _tlv),
    )

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        p = pkt + pay
        if self.cksum is None:
            p = p[:2] + internet_checksum(_cisco_fold(p)).to_bytes(2, "big") + p[4:]
        return p


def _register() -> None:
    from paquet.layers.llc import SNAP

    registry.bind_layers(SNAP, CDPv2_HDR, code=SNAP_CDP, OUI=OUI_CISCO)


_register()
