"""RADIUS attributes (RFC 2865 section 5 and later), with Scapy's classes: the generic
:class:`RadiusAttribute` (type, length, value) and its typed forms, ``RadiusAttr_<Name>``,
chosen by the type byte when dissecting (Scapy's ``dispatch_hook``): integers, enumerated
integers, IPv4 addresses (those three kinds made on first use, see ``_load_typed``),
hexadecimal strings, the EAP message, and the
vendor-specific attribute with Microsoft's MS-CHAP values.

>>> bytes(RadiusAttr_User_Name(value="alice")).hex()
'0107616c696365'
>>> type(RadiusAttribute(bytes.fromhex("050600000005"))).__name__
'RadiusAttr_NAS_Port'
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers.radius_tables import (
    RADIUS_ATTRIBUTE_TYPES,
    RADIUS_ATTRIBUTE_VALUES,
    RADIUS_VENDOR_TYPES,
)
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, IntEnumField, MultiEnumField
from paquet.packet.fields import ByteField, Field, IntField
from paquet.packet.strfields import (
    StrField,
    StrFixedLenField,
    StrLenField,
    XStrFixedLenField,
    XStrLenField,
)
from paquet.packet.structfields import FieldLenField, MultipleTypeField, PacketLenField

#: Whether ``_load_typed`` made its classes.
_TYPED_LOADED = False


class RadiusAttribute(Packet):
    """A RADIUS attribute: ``type``, ``len`` (of the whole attribute, computed) and
    ``value``; bytes of a known type dissect as its ``RadiusAttr_*`` class."""

    name = "Radius Attribute"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("type", 1, RADIUS_ATTRIBUTE_TYPES),
        FieldLenField("len", None, "value", "B", adjust=lambda pkt, x: x + 2),
        StrLenField("value", "", length_from=lambda pkt: pkt.len - 2),
    )
    #: type -> class, as Scapy's ``registered_attributes``.
    registered_attributes: ClassVar[dict[int, type[RadiusAttribute]]] = {}
    match_subclass = True

    @classmethod
    def register_variant(cls) -> None:
        """File this class under its type number (Scapy's)."""
        val = getattr(cls, "val", None)
        cls.registered_attributes[val if isinstance(val, int) else
                                  cls.fields_desc[0].default] = cls

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if not _TYPED_LOADED:
            _load_typed()
        if end > start:
            return cls.registered_attributes.get(data[start], RadiusAttribute)
        return RadiusAttribute

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("len") is None:
            hdr = hdr[:1] + bytes([len(hdr) & 0xFF]) + hdr[2:]
        return hdr

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _named(cls: type[RadiusAttribute], val: int) -> None:
    """Scapy's: the attribute's name from its class name, its type its number."""
    cls.val = val  # type: ignore[attr-defined]
    cls.name = cls.__name__.split("RadiusAttr_", 1)[1].replace("_", "-")


def _typed(fields: Sequence[Field], val: int) -> tuple[Field, ...]:
    return (ByteEnumField("type", val, RADIUS_ATTRIBUTE_TYPES), *fields[1:])


class _RadiusAttrIntValue(RadiusAttribute):
    """An attribute whose value is a 32-bit integer."""

    fields_desc = (ByteEnumField("type", 5, RADIUS_ATTRIBUTE_TYPES), ByteField("len", 6),
                   IntField("value", 0))


class _RadiusAttrHexStringVal(RadiusAttribute):
    """An attribute whose value is bytes shown in hexadecimal."""

    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("type", 24, RADIUS_ATTRIBUTE_TYPES),
        FieldLenField("len", None, "value", "B", adjust=lambda pkt, x: x + 2),
        XStrLenField("value", "", length_from=lambda p: p.len - 2 if p.len else 0),
    )


class _RadiusAttrIPv4AddrVal(RadiusAttribute):
    """An attribute whose value is an IPv4 address."""

    fields_desc = (ByteEnumField("type", 4, RADIUS_ATTRIBUTE_TYPES), ByteField("len", 6),
                   IPField("value", "0.0.0.0"))


class _RadiusAttrIntEnumVal(RadiusAttribute):
    """An attribute whose value is a 32-bit integer named by the type's table."""

    fields_desc = (
        ByteEnumField("type", 6, RADIUS_ATTRIBUTE_TYPES),
        ByteField("len", 6),
        MultiEnumField("value", 0, RADIUS_ATTRIBUTE_VALUES, depends_on=lambda p: p.type,
                       fmt="I"),
    )


class RadiusAttr_User_Name(RadiusAttribute):
    """User-Name (RFC 2865 section 5.1)."""


class RadiusAttr_User_Password(_RadiusAttrHexStringVal):
    """User-Password (RFC 2865 section 5.2), hidden with the shared secret."""

    fields_desc = _typed(_RadiusAttrHexStringVal.fields_desc, 2)

    def decrypt(self, radius_packet: Any, secret: bytes) -> bytes:
        """The password, from the request's authenticator and the shared secret."""
        import hashlib

        password = b""
        encrypted = bytes(self.value)
        ci = bytes(radius_packet.authenticator)
        while encrypted:
            bi = hashlib.md5(secret + ci).digest()
            ci, encrypted = encrypted[:16], encrypted[16:]
            password += bytes(a ^ b for a, b in zip(ci, bi, strict=False))
        return password.rstrip(b"\x00")

    @staticmethod
    def encrypt(radius_packet: Any, password: Any, secret: bytes) -> RadiusAttr_User_Password:
        """A User-Password attribute hiding ``password`` (RFC 2865 section 5.2).

        (Scapy 2.8's returns an empty value, its loop never keeping a block; this one
        keeps them, so that :meth:`decrypt` gives the password back.)"""
        import hashlib

        data = password.encode() if isinstance(password, str) else bytes(password)
        data += (-len(data) % 16) * b"\x00"
        out = b""
        ci = bytes(radius_packet.authenticator)
        while data:
            bi = hashlib.md5(secret + ci).digest()
            ci = bytes(a ^ b for a, b in zip(data[:16], bi, strict=True))
            out += ci
            data = data[16:]
        return RadiusAttr_User_Password(value=out)


class RadiusAttr_State(_RadiusAttrHexStringVal):
    """State (RFC 2865 section 5.24)."""


def prepare_packed_data(radius_packet: Any, RequestAuth: bytes) -> bytes:
    """The message as the authenticators hash it: its first 4 bytes, ``RequestAuth`` in
    place of its authenticator, its attributes (Scapy's)."""
    s = bytes(radius_packet)
    return s[:4] + RequestAuth + s[20:]


class RadiusAttr_Message_Authenticator(_RadiusAttrHexStringVal):
    """Message-Authenticator (RFC 2869 section 5.14): an HMAC-MD5 of the message."""

    fields_desc = (
        ByteEnumField("type", 80, RADIUS_ATTRIBUTE_TYPES),
        FieldLenField("len", 18, "value", "B"),
        XStrFixedLenField("value", b"\x00" * 16, length=16),
    )

    @staticmethod
    def compute_message_authenticator(radius_packet: Any, packed_req_authenticator: bytes,
                                      shared_secret: bytes) -> bytes:
        """The HMAC-MD5 of the message with this attribute's value zeroed (RFC 2869, as
        Scapy: the attribute in ``radius_packet`` is zeroed in place)."""
        import hashlib
        import hmac

        attr = radius_packet[RadiusAttr_Message_Authenticator]
        attr.value = b"\x00" * (attr.len - 2)
        data = prepare_packed_data(radius_packet, packed_req_authenticator)
        return hmac.new(shared_secret, data, hashlib.md5).digest()


class _EAPPacketField(PacketLenField):
    """The EAP packet of an EAP-Message: dissected unless it was cut in fragments (its own
    length 254 or more) or is too short to have a length, then kept as Raw (Scapy's)."""

    def m2i(self, pkt: Any, m: bytes) -> Any:
        from paquet.layers.eap import EAP

        if len(m) >= 4 and int.from_bytes(m[2:4], "big") < 254:
            return EAP(m)
        return Raw(m)


class RadiusAttr_EAP_Message(RadiusAttribute):
    """EAP-Message (RFC 3579): an EAP packet; fragments that follow are joined back when
    dissecting, as Scapy does by default."""

    name = "EAP-Message"
    fields_desc = (
        ByteEnumField("type", 79, RADIUS_ATTRIBUTE_TYPES),
        FieldLenField("len", None, "value", "B", adjust=lambda pkt, x: x + 2),
        _EAPPacketField("value", "", None, length_from=lambda p: p.len - 2),
    )

    def post_dissect(self, s: bytes) -> bytes:
        """Join the EAP-Message attributes that follow a fragment (RFC 3579 section 3.1),
        unless ``conf.contribs["radius"]["auto-defrag"]`` is False (Scapy's setting)."""
        from paquet.layers._contrib import CONTRIBS
        from paquet.layers.eap import EAP

        if not CONTRIBS.get("radius", {}).get("auto-defrag", True):
            return s
        value = self.getfieldval("value")
        if isinstance(value, Raw):
            rest, buf = s, bytes(value.load)
            while rest and rest[0] == 79:
                length = rest[1] if len(rest) > 1 else 0
                if not length:
                    return s
                buf, rest = buf + rest[2:length], rest[length:]
                if length < 254:
                    self.setfieldval("value", EAP(buf))
                    return rest
        return s


class _RadiusAttrVendorValue(Packet):
    """The value of a vendor-specific attribute that has a class (Scapy's)."""

    registered_vendor_value: ClassVar[dict[int, dict[int, type[Packet]]]] = (
        collections.defaultdict(dict))
    VENDOR_ID = 0
    VENDOR_TYPE = 0

    @classmethod
    def register_variant(cls) -> None:
        """File this class under its vendor and type."""
        cls.registered_vendor_value[cls.VENDOR_ID][cls.VENDOR_TYPE] = cls


def _radius_vendor_cls(pkt: Any) -> type[Packet] | None:
    table = _RadiusAttrVendorValue.registered_vendor_value
    if pkt.vendor_id not in table:
        return None
    return table[pkt.vendor_id].get(pkt.vendor_type)


class _RadiusVendorValueField(PacketLenField):
    def m2i(self, pkt: Any, s: bytes) -> Any:
        cls = _radius_vendor_cls(pkt)
        assert cls is not None
        return cls(s, _parent=pkt)


class RadiusAttr_Vendor_Specific(RadiusAttribute):
    """Vendor-Specific (RFC 2865 section 5.26): a vendor, its type and its value (a class
    for Microsoft's MS-CHAP values, bytes otherwise)."""

    name = "Vendor-Specific"
    fields_desc = (
        ByteEnumField("type", 26, RADIUS_ATTRIBUTE_TYPES),
        FieldLenField("len", None, "value", "B", adjust=lambda pkt, x: x + 8),
        IntEnumField("vendor_id", 0, {311: "Microsoft"}),
        MultiEnumField("vendor_type", 0, RADIUS_VENDOR_TYPES,
                       depends_on=lambda p: p.vendor_id, fmt="B"),
        FieldLenField("vendor_len", None, "value", "B", adjust=lambda p, x: x + 2),
        MultipleTypeField(
            [(_RadiusVendorValueField("value", None, None,
                                      length_from=lambda p: p.vendor_len - 2),
              lambda pkt: _radius_vendor_cls(pkt) is not None)],
            StrLenField("value", "", length_from=lambda p: p.vendor_len - 2),
        ),
    )


class MS_CHAP2_Response(_RadiusAttrVendorValue):
    """MS-CHAP2-Response (RFC 2548 section 2.3.2)."""

    name = "MS_CHAP2_Response"
    VENDOR_ID = 311
    VENDOR_TYPE = 25
    fields_desc = (
        ByteField("Ident", 0),
        ByteField("Flags", 0),
        XStrFixedLenField("PeerChallenge", b"", length=16),
        XStrFixedLenField("Reserved", b"", length=8),
        XStrFixedLenField("Response", b"", length=24),
    )


class MS_CHAP2_Success(_RadiusAttrVendorValue):
    """MS-CHAP2-Success (RFC 2548 section 2.3.3)."""

    name = "MS_CHAP2_Success"
    VENDOR_ID = 311
    VENDOR_TYPE = 26
    fields_desc = (ByteField("Ident", 0), StrFixedLenField("String", b"", length=42))


class MS_CHAP_Error(_RadiusAttrVendorValue):
    """MS-CHAP-Error (RFC 2548 section 2.1.5)."""

    name = "MS_CHAP_Error"
    VENDOR_ID = 311
    VENDOR_TYPE = 2
    fields_desc = (ByteField("Ident", 0), StrField("String", b""))


class MS_CHAP_Domain(_RadiusAttrVendorValue):
    """MS-CHAP-Domain (RFC 2548 section 2.1.4)."""

    name = "MS_CHAP_Domain"
    VENDOR_ID = 311
    VENDOR_TYPE = 10
    fields_desc = (ByteField("Ident", 0), StrField("String", b""))


_SPECIFIC: tuple[tuple[type[RadiusAttribute], int], ...] = (
    (RadiusAttr_User_Name, 1), (RadiusAttr_User_Password, 2), (RadiusAttr_State, 24),
    (RadiusAttr_Message_Authenticator, 80))
for _cls, _val in _SPECIFIC:
    assert _cls.fields_desc[0].default == _val
    _named(_cls, _val)
_ATTRIBUTE_CLASSES: tuple[type[RadiusAttribute], ...] = (
    RadiusAttribute, *(c for c, _ in _SPECIFIC), RadiusAttr_EAP_Message,
    RadiusAttr_Vendor_Specific)
for _acls in _ATTRIBUTE_CLASSES:
    _acls.register_variant()
for _vcls in (MS_CHAP2_Response, MS_CHAP2_Success, MS_CHAP_Error, MS_CHAP_Domain):
    _vcls.register_variant()

__all__ = [
    "MS_CHAP2_Response",
    "MS_CHAP2_Success",
    "MS_CHAP_Domain",
    "MS_CHAP_Error",
    "RadiusAttr_EAP_Message",
    "RadiusAttr_Message_Authenticator",
    "RadiusAttr_State",
    "RadiusAttr_User_Name",
    "RadiusAttr_User_Password",
    "RadiusAttr_Vendor_Specific",
    "RadiusAttribute",
    "prepare_packed_data",
]


#: The typed attributes of integers, enumerations and addresses (54 classes), made and
#: registered on first use (a RADIUS message dissected, or one of them asked for): made at
#: import, they would cost ``import paquet`` ten milliseconds.
_TYPED: dict[str, type[RadiusAttribute]] = {}

_INT_ATTRIBUTES = {
    5: "NAS_Port", 12: "Framed_MTU", 16: "Login_TCP_Port", 27: "Session_Timeout",
    28: "Idle_Timeout", 37: "Framed_AppleTalk_Link", 38: "Framed_AppleTalk_Network",
    41: "Acct_Delay_Time", 42: "Acct_Input_Octets", 43: "Acct_Output_Octets",
    46: "Acct_Session_Time", 47: "Acct_Input_Packets", 48: "Acct_Output_Packets",
    51: "Acct_Link_Count", 52: "Acct_Input_Gigawords", 53: "Acct_Output_Gigawords",
    55: "Event_Timestamp", 56: "Egress_VLANID", 62: "Port_Limit", 73: "ARAP_Security",
    75: "Password_Retry", 83: "Tunnel_Preference", 85: "Acct_Interim_Interval",
    86: "Acct_Tunnel_Packets_Lost", 136: "Management_Privilege_Level",
    177: "Mobility_Domain_Id", 178: "Preauth_Timeout", 182: "WLAN_Venue_Info",
    185: "WLAN_Reason_Code", 186: "WLAN_Pairwise_Cipher", 187: "WLAN_Group_Cipher",
    188: "WLAN_AKM_Suite", 189: "WLAN_Group_Mgmt_Cipher", 190: "WLAN_RF_Band",
}
_IPV4_ATTRIBUTES = {
    4: "NAS_IP_Address", 8: "Framed_IP_Address", 9: "Framed_IP_Netmask",
    14: "Login_IP_Host", 23: "Framed_IPX_Network", 149: "PMIP6_Home_LMA_IPv4_Address",
    150: "PMIP6_Visited_LMA_IPv4_Address", 157: "PMIP6_Home_DHCP4_Server_Address",
    158: "PMIP6_Visited_DHCP4_Server_Address", 161: "PMIP6_Home_IPv4_Gateway",
    162: "PMIP6_Visited_IPv4_Gateway",
}
_ENUM_ATTRIBUTES = {6: "Service_Type", 7: "Framed_Protocol", 40: "Acct_Status_Type",
                    45: "Acct_Authentic", 49: "Acct_Terminate_Cause", 61: "NAS_Port_Type"}


def _make(base: type[RadiusAttribute], table: dict[int, str]
          ) -> dict[str, type[RadiusAttribute]]:
    made: dict[str, type[RadiusAttribute]] = {}
    for val, suffix in table.items():
        name = f"RadiusAttr_{suffix}"
        cls = type(name, (base,), {
            "__doc__": f"{RADIUS_ATTRIBUTE_TYPES[val]} (attribute {val}).",
            "__module__": __name__, "fields_desc": _typed(base.fields_desc, val)})
        made[name] = cls
    return made


def _load_typed() -> dict[str, type[RadiusAttribute]]:
    """Make the typed attribute classes (once) and register them."""
    global _TYPED_LOADED
    if not _TYPED:
        made = {**_make(_RadiusAttrIntValue, _INT_ATTRIBUTES),
                **_make(_RadiusAttrIPv4AddrVal, _IPV4_ATTRIBUTES),
                **_make(_RadiusAttrIntEnumVal, _ENUM_ATTRIBUTES)}
        for cls in made.values():
            _named(cls, cls.fields_desc[0].default)
            cls.register_variant()
        _TYPED.update(made)
        _TYPED_LOADED = True
    return _TYPED


#: Their names (``from paquet import *`` gives them through this module's ``__getattr__``).
TYPED_ATTRIBUTE_NAMES = tuple(sorted(
    f"RadiusAttr_{n}" for t in (_INT_ATTRIBUTES, _IPV4_ATTRIBUTES, _ENUM_ATTRIBUTES)
    for n in t.values()))


def __getattr__(name: str) -> Any:
    if name in TYPED_ATTRIBUTE_NAMES:
        return _load_typed()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
