"""Link Layer Discovery Protocol (IEEE 802.1AB), EtherType 0x88cc.

As Scapy's (``scapy.contrib.lldp``), an LLDP frame is a stack of layers: ``Ether`` (or
``Dot1Q``) / ``LLDPDU`` (the empty base class, the frame's LLDP part) / one layer per TLV, each
with its 7-bit ``_type`` and 9-bit ``_length``: ``LLDPDUChassisID``, ``LLDPDUPortID``,
``LLDPDUTimeToLive``, ``LLDPDUPortDescription``, ``LLDPDUSystemName``,
``LLDPDUSystemDescription``, ``LLDPDUSystemCapabilities``, ``LLDPDUManagementAddress``,
``LLDPDUGenericOrganisationSpecific`` (type 127) and ``LLDPDUEndOfLLDPDU``, after which the
rest is padding. Built under an Ethernet header, a frame shorter than 64 bytes (with its
FCS) is padded.

Scapy's strict mode (``conf.contribs['LLDP']``, on by default) refuses to build an empty chassis
or port id, a wrong fixed length, or a management address of 0 or more than 31 bytes (the
``LLDPInvalid...`` errors). Dissecting never raises here: in strict mode, a frame whose TLVs are
not chassis id, port id, time to live first, or repeat one of them, keeps its layers and says
why in ``pkt.errors`` of its ``LLDPDU`` layer, where Scapy raises
``LLDPInvalidFrameStructure`` (or another ``LLDPInvalid...`` error) on dissection. This is a
deliberate difference from Scapy: in paquet, dissecting bytes never raises.

>>> from paquet.layers import Ether
>>> f = Ether(src="02:00:00:00:00:01", dst=LLDP_NEAREST_BRIDGE_MAC) / LLDPDUChassisID(
...     subtype=4, id="02:00:00:00:00:01") / LLDPDUPortID(subtype=5, id="eth0") / \\
...     LLDPDUTimeToLive() / LLDPDUEndOfLLDPDU()
>>> len(bytes(f)), Ether(bytes(f))[LLDPDUPortID].id
(60, b'eth0')
"""

from __future__ import annotations

from typing import Any, ClassVar

from paquet.errors import PaquetError
from paquet.layers._contrib import CONTRIBS
from paquet.numbers import ETH_P_LLDP
from paquet.packet import registry
from paquet.packet.addrfields import IPField, MACField
from paquet.packet.base import DISSECTED, Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField, ThreeBytesEnumField
from paquet.packet.fields import BitField, ByteField, FieldError, ShortField
from paquet.packet.strfields import StrLenField, XStrLenField
from paquet.packet.structfields import BitFieldLenField, ConditionalField, MultipleTypeField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "LLDPDU",
    "LLDPDU_CLASS_TYPES",
    "LLDP_ETHER_TYPE",
    "LLDP_NEAREST_BRIDGE_MAC",
    "LLDP_NEAREST_CUSTOMER_BRIDGE_MAC",
    "LLDP_NEAREST_NON_TPMR_BRIDGE_MAC",
    "LLDPConfiguration",
    "LLDPDUChassisID",
    "LLDPDUEndOfLLDPDU",
    "LLDPDUGenericOrganisationSpecific",
    "LLDPDUManagementAddress",
    "LLDPDUPortDescription",
    "LLDPDUPortID",
    "LLDPDUSystemCapabilities",
    "LLDPDUSystemDescription",
    "LLDPDUSystemName",
    "LLDPDUTimeToLive",
    "LLDPInvalidFieldValue",
    "LLDPInvalidFrameStructure",
    "LLDPInvalidLengthField",
    "LLDPInvalidTLVCount",
    "LLDPMissingLowerLayer",
]

LLDP_NEAREST_BRIDGE_MAC = "01:80:c2:00:00:0e"
LLDP_NEAREST_NON_TPMR_BRIDGE_MAC = "01:80:c2:00:00:03"
LLDP_NEAREST_CUSTOMER_BRIDGE_MAC = "01:80:c2:00:00:00"
LLDP_ETHER_TYPE = ETH_P_LLDP


class LLDPInvalidFieldValue(PaquetError):
    """A field's value is out of its range."""


class LLDPInvalidFrameStructure(PaquetError):
    """The TLVs are not chassis id, port id, time to live first (or one is missing)."""


class LLDPMissingLowerLayer(PaquetError):
    """An LLDP TLV built with no Ethernet or 802.1Q layer under it (strict mode)."""


class LLDPInvalidTLVCount(PaquetError):
    """A TLV that must appear once appears several times."""


class LLDPInvalidLengthField(PaquetError):
    """A length (or a value's size) the standard does not allow."""


class LLDPConfiguration:
    """LLDP's settings (``conf.contribs['LLDP']``): strict mode, on by default."""

    def __init__(self) -> None:
        self._strict_mode = True

    def strict_mode_enable(self) -> None:
        """Check TLVs when building and frames' structure when dissecting."""
        self._strict_mode = True

    def strict_mode_disable(self) -> None:
        """Build and dissect anything."""
        self._strict_mode = False

    def strict_mode(self) -> bool:
        """Whether strict mode is on."""
        return self._strict_mode


CONTRIBS["LLDP"] = _CONF = LLDPConfiguration()

#: TLV type -> name.
LLDP_TLV_TYPES = {
    0x00: "end of LLDPDU", 0x01: "chassis id", 0x02: "port id", 0x03: "time to live",
    0x04: "port description", 0x05: "system name", 0x06: "system description",
    0x07: "system capabilities", 0x08: "management address", 127: "organisation specific TLV",
}
#: IANA address family numbers (the management address subtype, network address ids).
IANA_ADDRESS_FAMILY_NUMBERS = {
    0x00: "other", 0x01: "IPv4", 0x02: "IPv6", 0x03: "NSAP", 0x04: "HDLC", 0x05: "BBN",
    0x06: "802", 0x07: "E.163", 0x08: "E.164", 0x09: "F.69", 0x0A: "X.121", 0x0B: "IPX",
    0x0C: "Appletalk", 0x0D: "Decnet IV", 0x0E: "Banyan Vines", 0x0F: "E.164 with NSAP",
    0x10: "DNS", 0x11: "Distinguished Name", 0x12: "AS Number", 0x13: "XTP over IPv4",
    0x14: "XTP over IPv6", 0x15: "XTP native mode XTP",
    0x16: "Fiber Channel World-Wide Port Name", 0x17: "Fiber Channel World-Wide Node Name",
    0x18: "GWID", 0x19: "AFI for L2VPN", 0x1A: "MPLS-TP Section Endpoint ID",
    0x1B: "MPLS-TP LSP Endpoint ID", 0x1C: "MPLS-TP Pseudowire Endpoint ID",
    0x1D: "MT IP Multi-Topology IPv4", 0x1E: "MT IP Multi-Topology IPv6",
}

_ETHER_HEADER_LEN = 14
_DOT1Q_HEADER_LEN = 4
_FCS_LEN = 4
_FRAME_MIN_LEN = 64


class LLDPDU(Packet):
    """The base class of LLDP's layers; as a layer of its own (no field), the LLDP part of a
    frame, followed by its TLVs."""

    name = "LLDPDU"
    TYPES = LLDP_TLV_TYPES
    IANA_ADDRESS_FAMILY_NUMBERS = IANA_ADDRESS_FAMILY_NUMBERS
    DOT1Q_HEADER_LEN = _DOT1Q_HEADER_LEN
    ETHER_HEADER_LEN = _ETHER_HEADER_LEN
    ETHER_FSC_LEN = _FCS_LEN
    ETHER_FRAME_MIN_LEN = _FRAME_MIN_LEN

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        if type(self) is LLDPDU and _CONF.strict_mode():
            problem = _structure_problem(payload)
            if problem:
                from paquet.errors import DecodeError

                self.add_error(DecodeError("LLDPDU", 0, problem))
        if not payload:
            return Raw
        found = LLDPDU_CLASS_TYPES.get(payload[0] >> 1)
        if found is None:
            return Raw
        if isinstance(found, list):
            for cls in found:
                if cls._match_organization_specific(payload):
                    chosen: type[Packet] = cls
                    return chosen
            return Raw
        single: type[Packet] = found
        return single

    def _check(self) -> None:
        """Strict mode's checks of this TLV when it is built (none for most)."""

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        d = self.__dict__
        if d.get("_explicit") is DISSECTED or "_rawcache" in d:
            return pkt + pay  # (dissected bytes come back as they were: Scapy's cache)
        self._check()
        under = self.underlayer
        if under is None:
            if _CONF.strict_mode():
                raise LLDPMissingLowerLayer("No lower layer (Ethernet or Dot1Q) provided.")
            return pkt + pay
        if isinstance(under, LLDPDU):
            return pkt + pay
        from paquet.layers.ether import Dot1Q, Ether

        size = 0
        while under is not None and isinstance(under, Dot1Q):
            size += _DOT1Q_HEADER_LEN
            under = under.underlayer
        if under is None or not isinstance(under, Ether):
            if _CONF.strict_mode():
                raise LLDPMissingLowerLayer("No Ethernet layer provided.")
            return pkt + pay
        size += _ETHER_HEADER_LEN + len(pkt) + len(pay) + _FCS_LEN
        if size < _FRAME_MIN_LEN:
            return pkt + pay + b"\x00" * (_FRAME_MIN_LEN - size)
        return pkt + pay



def _structure_problem(data: bytes) -> str:
    """What is wrong with the order or the count of the TLVs in ``data``, or ''."""
    kinds: list[int] = []
    at = 0
    while at + 2 <= len(data):
        kind, length = data[at] >> 1, (data[at] & 1) << 8 | data[at + 1]
        kinds.append(kind)
        if kind == 0:
            break
        at += 2 + length
    if kinds[:3] != [1, 2, 3]:
        return "the first TLVs must be chassis id, port id, time to live"
    for kind in (1, 2, 3):
        if kinds.count(kind) != 1:
            return f"TLV type {kind} must appear once"
    return ""


def _id_length(pkt: Any, x: Any) -> int:
    """``_length`` of a chassis or port id: subtype, family when there is one, the id."""
    f = pkt._fieldmap["id"]
    length: int = f.i2len(pkt, pkt.getfieldval("id")) + 1
    if _has_family(pkt):
        length += 1
    return length


def _has_family(pkt: Any) -> bool:
    return bool(pkt.subtype == pkt._NETWORK_ADDRESS)


def _id_length_from(pkt: Any) -> int:
    length = pkt._length
    if length is None:
        return 0
    length -= 1
    if _has_family(pkt):
        length -= 1
    return int(length)


class _IdMACField(MACField):
    """A MAC address id, lenient as Scapy's: text of a MAC given before its subtype (kept as
    bytes by the string field then in use) is read as text; anything else that is not a MAC
    is sent as its first 6 bytes."""

    __slots__ = ()
    fast = False

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, bytes) and len(x) != 6:
            data: bytes = x
            try:
                x = data.decode("ascii")
            except UnicodeDecodeError:
                return data[:6].ljust(6, b"\0")
        try:
            return super().i2m(pkt, x)
        except (ValueError, TypeError, FieldError):
            raw = x if isinstance(x, bytes) else str(x).encode("utf-8", "surrogateescape")
            return raw[:6].ljust(6, b"\0")


def _id_fields(type_: int, subtypes: dict[int, str], mac: int, network: int) -> tuple[Any, ...]:
    return (
        BitEnumField("_type", type_, 7, LLDP_TLV_TYPES),
        BitFieldLenField("_length", None, 9, length_of="id", adjust=_id_length),
        ByteEnumField("subtype", 0x00, subtypes),
        ConditionalField(ByteEnumField("family", 0, IANA_ADDRESS_FAMILY_NUMBERS),
                         lambda pkt: pkt.subtype == network),
        MultipleTypeField(
            [
                (_IdMACField("id", None), lambda pkt: pkt.subtype == mac),
                (IPField("id", None), lambda pkt: pkt.subtype == network and pkt.family == 1),
                (IP6Field("id", None), lambda pkt: pkt.subtype == network and pkt.family == 2),
            ],
            StrLenField("id", "", length_from=_id_length_from),
        ),
    )


class LLDPDUChassisID(LLDPDU):
    """The chassis id (IEEE 802.1AB-2016 8.5.2): ``subtype``, ``family`` (network address),
    ``id`` (a MAC, an address, or bytes)."""

    name = "LLDPDUChassisID"
    LLDP_CHASSIS_ID_TLV_SUBTYPES: ClassVar[dict[int, str]] = {
        0x00: "reserved", 0x01: "chassis component", 0x02: "interface alias",
        0x03: "port component", 0x04: "MAC address", 0x05: "network address",
        0x06: "interface name", 0x07: "locally assigned",
    }
    SUBTYPE_RESERVED = 0x00
    SUBTYPE_CHASSIS_COMPONENT = 0x01
    SUBTYPE_INTERFACE_ALIAS = 0x02
    SUBTYPE_PORT_COMPONENT = 0x03
    SUBTYPE_MAC_ADDRESS = 0x04
    SUBTYPE_NETWORK_ADDRESS = 0x05
    SUBTYPE_INTERFACE_NAME = 0x06
    SUBTYPE_LOCALLY_ASSIGNED = 0x07
    _NETWORK_ADDRESS = 0x05
    fields_desc = _id_fields(0x01, LLDP_CHASSIS_ID_TLV_SUBTYPES, 0x04, 0x05)

    def _check(self) -> None:
        if _CONF.strict_mode() and not self.id:
            raise LLDPInvalidLengthField("id must be >= 1 characters long")


class LLDPDUPortID(LLDPDU):
    """The port id (8.5.3): ``subtype``, ``family`` (network address), ``id``."""

    name = "LLDPDUPortID"
    LLDP_PORT_ID_TLV_SUBTYPES: ClassVar[dict[int, str]] = {
        0x00: "reserved", 0x01: "interface alias", 0x02: "port component",
        0x03: "MAC address", 0x04: "network address", 0x05: "interface name",
        0x06: "agent circuit ID", 0x07: "locally assigned",
    }
    SUBTYPE_RESERVED = 0x00
    SUBTYPE_INTERFACE_ALIAS = 0x01
    SUBTYPE_PORT_COMPONENT = 0x02
    SUBTYPE_MAC_ADDRESS = 0x03
    SUBTYPE_NETWORK_ADDRESS = 0x04
    SUBTYPE_INTERFACE_NAME = 0x05
    SUBTYPE_AGENT_CIRCUIT_ID = 0x06
    SUBTYPE_LOCALLY_ASSIGNED = 0x07
    _NETWORK_ADDRESS = 0x04
    fields_desc = _id_fields(0x02, LLDP_PORT_ID_TLV_SUBTYPES, 0x03, 0x04)

    def _check(self) -> None:
        if _CONF.strict_mode() and not self.id:
            raise LLDPInvalidLengthField("id must be >= 1 characters long")


def _fixed_length(pkt: Any, expected: int) -> None:
    if _CONF.strict_mode() and pkt._length != expected:
        raise LLDPInvalidLengthField(f"length must be {expected} - got {pkt._length}")


class LLDPDUTimeToLive(LLDPDU):
    """How long the information stays valid, in seconds (8.5.4)."""

    name = "LLDPDUTimeToLive"
    fields_desc = (
        BitEnumField("_type", 0x03, 7, LLDP_TLV_TYPES),
        BitField("_length", 0x02, 9),
        ShortField("ttl", 20),
    )

    def _check(self) -> None:
        _fixed_length(self, 2)


class LLDPDUEndOfLLDPDU(LLDPDU):
    """The end of the TLVs (8.5.1): what follows is padding."""

    name = "LLDPDUEndOfLLDPDU"
    fields_desc = (
        BitEnumField("_type", 0x00, 7, LLDP_TLV_TYPES),
        BitField("_length", 0x00, 9),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    def _check(self) -> None:
        _fixed_length(self, 0)


def _string_tlv(type_: int, field: str) -> tuple[Any, ...]:
    return (
        BitEnumField("_type", type_, 7, LLDP_TLV_TYPES),
        BitFieldLenField("_length", None, 9, length_of=field),
        StrLenField(field, "", length_from=lambda pkt: pkt._length),
    )


class LLDPDUPortDescription(LLDPDU):
    """The port's description (8.5.5)."""

    name = "LLDPDUPortDescription"
    fields_desc = _string_tlv(0x04, "description")


class LLDPDUSystemName(LLDPDU):
    """The system's name (8.5.6)."""

    name = "LLDPDUSystemName"
    fields_desc = _string_tlv(0x05, "system_name")


class LLDPDUSystemDescription(LLDPDU):
    """The system's description (8.5.7)."""

    name = "LLDPDUSystemDescription"
    fields_desc = _string_tlv(0x06, "description")


_CAPABILITIES = ("reserved_5", "reserved_4", "reserved_3", "reserved_2", "reserved_1",
                 "two_port_mac_relay", "s_vlan_component", "c_vlan_component", "station_only",
                 "docsis_cable_device", "telephone", "router", "wlan_access_point",
                 "mac_bridge", "repeater", "other")


class LLDPDUSystemCapabilities(LLDPDU):
    """What the system can be and what it is (8.5.8): one bit per capability,
    ``<name>_available`` then ``<name>_enabled``."""

    name = "LLDPDUSystemCapabilities"
    fields_desc = (
        BitEnumField("_type", 0x07, 7, LLDP_TLV_TYPES),
        BitFieldLenField("_length", 4, 9),
        *(BitField(f"{c}_available", 0, 1) for c in _CAPABILITIES),
        *(BitField(f"{c}_enabled", 0, 1) for c in _CAPABILITIES),
    )

    def _check(self) -> None:
        _fixed_length(self, 4)


class LLDPDUManagementAddress(LLDPDU):
    """A management address (8.5.9): its family, the address, the interface numbering and
    number, an object id."""

    name = "LLDPDUManagementAddress"
    SUBTYPE_MANAGEMENT_ADDRESS_OTHER = 0x00
    SUBTYPE_MANAGEMENT_ADDRESS_IPV4 = 0x01
    SUBTYPE_MANAGEMENT_ADDRESS_IPV6 = 0x02
    SUBTYPE_MANAGEMENT_ADDRESS_802 = 0x06
    SUBTYPE_MANAGEMENT_ADDRESS_DNS = 0x10
    INTERFACE_NUMBERING_SUBTYPES: ClassVar[dict[int, str]] = {0x01: "unknown", 0x02: "ifIndex",
                                    0x03: "system port number"}
    SUBTYPE_INTERFACE_NUMBER_UNKNOWN = 0x01
    SUBTYPE_INTERFACE_NUMBER_IF_INDEX = 0x02
    SUBTYPE_INTERFACE_NUMBER_SYSTEM_PORT_NUMBER = 0x03
    fields_desc = (
        BitEnumField("_type", 0x08, 7, LLDP_TLV_TYPES),
        BitFieldLenField("_length", None, 9, length_of="management_address",
                         adjust=lambda pkt, x: 8 + len(pkt.management_address)
                         + len(pkt.object_id)),
        BitFieldLenField("_management_address_string_length", None, 8,
                         length_of="management_address",
                         adjust=lambda pkt, x: len(pkt.management_address) + 1),
        ByteEnumField("management_address_subtype", 0x00, IANA_ADDRESS_FAMILY_NUMBERS),
        XStrLenField("management_address", "",
                     length_from=lambda pkt: 0 if pkt._management_address_string_length is None
                     else pkt._management_address_string_length - 1),
        ByteEnumField("interface_numbering_subtype", 0x01, INTERFACE_NUMBERING_SUBTYPES),
        BitField("interface_number", 0, 32),
        BitFieldLenField("_oid_string_length", None, 8, length_of="object_id"),
        XStrLenField("object_id", "", length_from=lambda pkt: pkt._oid_string_length),
    )

    def _check(self) -> None:
        if _CONF.strict_mode():
            n = len(self.management_address)
            if n == 0 or n > 31:
                raise LLDPInvalidLengthField(
                    f"management address must be  1..31 characters long - got string of "
                    f"size {n}")


class LLDPDUGenericOrganisationSpecific(LLDPDU):
    """An organisation specific TLV (type 127): ``org_code`` (an OUI), ``subtype``, ``data``."""

    name = "LLDPDUGenericOrganisationSpecific"
    ORG_UNIQUE_CODE_PNO = 0x000ECF
    ORG_UNIQUE_CODE_IEEE_802_1 = 0x0080C2
    ORG_UNIQUE_CODE_IEEE_802_3 = 0x00120F
    ORG_UNIQUE_CODE_TIA_TR_41_MED = 0x0012BB
    ORG_UNIQUE_CODE_HYTEC = 0x30B216
    ORG_UNIQUE_CODES: ClassVar[dict[int, str]] = {
        ORG_UNIQUE_CODE_PNO: "PROFIBUS International (PNO)",
        ORG_UNIQUE_CODE_IEEE_802_1: "IEEE 802.1",
        ORG_UNIQUE_CODE_IEEE_802_3: "IEEE 802.3",
        ORG_UNIQUE_CODE_TIA_TR_41_MED: "TIA TR-41 Committee . Media Endpoint Discovery",
        ORG_UNIQUE_CODE_HYTEC: "Hytec Geraetebau GmbH",
    }
    fields_desc = (
        BitEnumField("_type", 127, 7, LLDP_TLV_TYPES),
        BitFieldLenField("_length", None, 9, length_of="data",
                         adjust=lambda pkt, x: len(pkt.data) + 4),
        ThreeBytesEnumField("org_code", 0, ORG_UNIQUE_CODES),
        ByteField("subtype", 0x00),
        XStrLenField("data", "",
                     length_from=lambda pkt: 0 if pkt._length is None else pkt._length - 4),
    )

    @staticmethod
    def _match_organization_specific(payload: bytes) -> bool:
        return True


#: TLV type -> its class (a list of candidates for type 127, the generic one last);
#: 0x09 to 0x7e are reserved and dissected as Raw.
LLDPDU_CLASS_TYPES: dict[int, Any] = {
    0x00: LLDPDUEndOfLLDPDU,
    0x01: LLDPDUChassisID,
    0x02: LLDPDUPortID,
    0x03: LLDPDUTimeToLive,
    0x04: LLDPDUPortDescription,
    0x05: LLDPDUSystemName,
    0x06: LLDPDUSystemDescription,
    0x07: LLDPDUSystemCapabilities,
    0x08: LLDPDUManagementAddress,
    127: [LLDPDUGenericOrganisationSpecific],
}


def _register() -> None:
    from paquet.layers.ether import Dot1Q, Ether

    registry.bind_layers(Ether, LLDPDU, type=ETH_P_LLDP)
    registry.bind_layers(Dot1Q, LLDPDU, type=ETH_P_LLDP)


_register()
