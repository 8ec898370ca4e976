"""TLS hello extensions (RFC 8446 section 4.2, RFC 6066, RFC 7301...), with Scapy's classes.

Each extension is ``type``, ``len`` (computed when None) and its body; a type this module does
not know, or a body that does not parse, is :class:`TLS_Ext_Unknown` (``val`` kept as bytes).
``supported_versions`` and ``key_share`` have a ClientHello and a ServerHello form, chosen by
the message that holds them. GREASE values (RFC 8701) are kept as they are.

>>> e = TLS_Ext_ServerName(servernames=[ServerName(servername=b"lab.example")])
>>> bytes(e).hex()
'00000010000e00000b6c61622e6578616d706c65'
>>> TLS_Ext_ServerName(bytes(e)).servernames[0].servername
b'lab.example'
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers.tls_numbers import (
    TLS_EXTENSIONS,
    TLS_NAMED_GROUPS,
    TLS_SIG_SCHEMES,
    TLS_VERSIONS,
)
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import Field, IntField, ShortField
from paquet.packet.strfields import StrFixedLenField, StrLenField, XStrLenField
from paquet.packet.structfields import (
    FieldLenField,
    FieldListField,
    MayEnd,
    PacketLenField,
    PacketListField,
)

__all__ = [
    "KeyShareEntry",
    "OCSPStatusRequest",
    "ProtocolName",
    "ResponderID",
    "ServerName",
    "TLS_Ext_ALPN",
    "TLS_Ext_CSR",
    "TLS_Ext_ECPointsFormat",
    "TLS_Ext_EncryptThenMAC",
    "TLS_Ext_ExtendedMasterSecret",
    "TLS_Ext_KeyShare",
    "TLS_Ext_KeyShare_CH",
    "TLS_Ext_KeyShare_HRR",
    "TLS_Ext_KeyShare_SH",
    "TLS_Ext_NPN",
    "TLS_Ext_PSKKeyExchangeModes",
    "TLS_Ext_Padding",
    "TLS_Ext_PostHandshakeAuth",
    "TLS_Ext_RecordSizeLimit",
    "TLS_Ext_RenegotiationInfo",
    "TLS_Ext_ServerName",
    "TLS_Ext_SessionTicket",
    "TLS_Ext_SignatureAlgorithms",
    "TLS_Ext_SignatureAlgorithmsCert",
    "TLS_Ext_SupportedEllipticCurves",
    "TLS_Ext_SupportedGroups",
    "TLS_Ext_SupportedPointFormat",
    "TLS_Ext_SupportedVersion_CH",
    "TLS_Ext_SupportedVersion_SH",
    "TLS_Ext_SupportedVersions",
    "TLS_Ext_Unknown",
    "extensions_from_bytes",
]

_EC_POINT_FORMATS = {0: "uncompressed", 1: "ansiX962_compressed_prime",
                     2: "ansiX962_compressed_char2"}
_PSK_MODES = {0: "psk_ke", 1: "psk_dhe_ke"}
_SERVER_NAME_TYPES = {0: "host_name"}


class _Item(Packet):
    """An item inside an extension: what follows it is the next item's."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class TLS_Ext_Unknown(Packet):
    """An extension kept as bytes: ``type``, ``len``, ``val``; the base of the others. (An
    extension dissected alone leaves what follows it as a Raw payload, as in Scapy.)"""

    name = "TLS Extension - Scapy Unknown"
    fields_desc: ClassVar[Sequence[Field]] = (ShortEnumField("type", None, TLS_EXTENSIONS),
                   FieldLenField("len", None, fmt="!H", length_of="val"),
                   StrLenField("val", b"", length_from=lambda pkt: pkt.len))

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("len") is None and len(p) >= 4:
            p = p[:2] + struct.pack("!H", len(p) - 4) + p[4:]
        return p + pay


def _type(code: int) -> ShortEnumField:
    return ShortEnumField("type", code, TLS_EXTENSIONS)


def _len() -> MayEnd:
    return MayEnd(ShortField("len", None))


class ServerName(_Item):
    """One name of the server_name extension: ``nametype`` (0, host_name), ``servername``."""

    name = "HostName"
    fields_desc = (ByteEnumField("nametype", 0, _SERVER_NAME_TYPES),
                   FieldLenField("namelen", None, length_of="servername"),
                   StrLenField("servername", b"", length_from=lambda pkt: pkt.namelen))


class _ServerLenField(FieldLenField):
    """The list's length, absent when the list is empty (a ServerHello's empty SNI)."""

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        if not val and not pkt.servernames:
            return s
        return super().addfield(pkt, s, val)


class _NamesListField(PacketListField):
    """A list shown by the value of one field of its items (Scapy's one-line lists)."""

    def __init__(self, name: str, default: Any, cls: Any, attr: str, **kw: Any) -> None:
        super().__init__(name, default, cls, **kw)
        self.attr = attr

    def i2repr(self, pkt: Any, x: Any) -> str:
        return "[{}]".format(", ".join(repr(getattr(p, self.attr, p)) for p in x or []))


class _PrettyPacketList(TLS_Ext_Unknown):
    """An extension whose last field, a list of packets, ``show()`` prints on one line
    (Scapy's ``TLS_Ext_PrettyPacketList``: ``servernames= [b'lab.example']``)."""

    def _nested_repr(self, f: Any, value: Any) -> list[str] | None:
        if f is self._fields[-1]:
            return None
        return super()._nested_repr(f, value)


class TLS_Ext_ServerName(_PrettyPacketList):
    """server_name (RFC 6066, SNI): ``servernames``, a list of :class:`ServerName`."""

    name = "TLS Extension - Server Name"
    fields_desc = (_type(0),
                   MayEnd(FieldLenField("len", None, length_of="servernames",
                                        adjust=lambda pkt, x: x + 2 if x else 0)),
                   _ServerLenField("servernameslen", None, length_of="servernames"),
                   _NamesListField("servernames", [], ServerName, "servername",
                                   length_from=lambda pkt: pkt.servernameslen))


class ProtocolName(_Item):
    """One protocol of the ALPN list: ``protocol`` (``h2``, ``http/1.1``)."""

    name = "Protocol Name"
    fields_desc = (FieldLenField("len", None, fmt="B", length_of="protocol"),
                   StrLenField("protocol", b"", length_from=lambda pkt: pkt.len))


class TLS_Ext_ALPN(_PrettyPacketList):
    """application_layer_protocol_negotiation (RFC 7301): ``protocols``."""

    name = "TLS Extension - Application Layer Protocol Negotiation"
    fields_desc = (_type(0x10), _len(),
                   FieldLenField("protocolslen", None, length_of="protocols"),
                   _NamesListField("protocols", [], ProtocolName, "protocol",
                                   length_from=lambda pkt: pkt.protocolslen))


class TLS_Ext_NPN(_PrettyPacketList):
    """next_protocol_negotiation (draft-agl-tls-nextprotoneg, before ALPN): ``protocols``."""

    name = "TLS Extension - Next Protocol Negotiation"
    fields_desc = (_type(0x3374), FieldLenField("len", None, length_of="protocols"),
                   _NamesListField("protocols", [], ProtocolName, "protocol",
                                   length_from=lambda pkt: pkt.len))


class ResponderID(_Item):
    """An OCSP responder of a status_request: ``respid`` bytes."""

    name = "Responder ID structure"
    fields_desc = (FieldLenField("respidlen", None, length_of="respid"),
                   StrLenField("respid", b"", length_from=lambda pkt: pkt.respidlen))


class OCSPStatusRequest(_Item):
    """The OCSP request of a status_request (RFC 6066): responders and extensions (bytes)."""

    name = "OCSPStatusRequest structure"
    fields_desc = (FieldLenField("respidlen", None, length_of="respid"),
                   PacketListField("respid", [], ResponderID,
                                   length_from=lambda pkt: pkt.respidlen),
                   FieldLenField("reqextlen", None, length_of="reqext"),
                   StrLenField("reqext", b"", length_from=lambda pkt: pkt.reqextlen))


class _StatusReqField(PacketListField):
    """The request of a status_request: an :class:`OCSPStatusRequest` for type 1 (ocsp)."""

    def m2i(self, pkt: Any, m: bytes) -> Any:
        if pkt.__dict__.get("stype") == 1:
            return OCSPStatusRequest(m)
        return Raw(m)


class TLS_Ext_CSR(TLS_Ext_Unknown):
    """status_request (RFC 6066, certificate status request): ``stype``, ``req``."""

    name = "TLS Extension - Certificate Status Request"
    fields_desc = (_type(5), _len(), ByteEnumField("stype", None, {1: "ocsp"}),
                   _StatusReqField("req", [], Raw,
                                   length_from=lambda pkt: (pkt.len or 1) - 1))


class TLS_Ext_SupportedGroups(TLS_Ext_Unknown):
    """supported_groups (RFC 8422, formerly elliptic_curves): ``groups``."""

    name = "TLS Extension - Supported Groups"
    fields_desc = (_type(10), _len(),
                   FieldLenField("groupslen", None, length_of="groups"),
                   FieldListField("groups", [], ShortEnumField("ng", None, TLS_NAMED_GROUPS),
                                  length_from=lambda pkt: pkt.groupslen))


class TLS_Ext_SupportedEllipticCurves(TLS_Ext_SupportedGroups):
    """The former name of supported_groups."""

    name = "TLS Extension - Supported Elliptic Curves"


class TLS_Ext_SupportedPointFormat(TLS_Ext_Unknown):
    """ec_point_formats (RFC 8422): ``ecpl``."""

    name = "TLS Extension - Supported Point Format"
    fields_desc = (_type(11), _len(),
                   FieldLenField("ecpllen", None, fmt="B", length_of="ecpl"),
                   FieldListField("ecpl", [0], ByteEnumField("nc", None, _EC_POINT_FORMATS),
                                  length_from=lambda pkt: pkt.ecpllen))


#: The name the task and tools use for ec_point_formats.
TLS_Ext_ECPointsFormat = TLS_Ext_SupportedPointFormat


class TLS_Ext_SignatureAlgorithms(TLS_Ext_Unknown):
    """signature_algorithms (RFC 8446 4.2.3): ``sig_algs``."""

    name = "TLS Extension - Signature Algorithms"
    fields_desc = (_type(13), _len(),
                   FieldLenField("sig_algs_len", None, length_of="sig_algs"),
                   FieldListField("sig_algs", [],
                                  ShortEnumField("hash_sig", None, TLS_SIG_SCHEMES),
                                  length_from=lambda pkt: pkt.sig_algs_len))


class TLS_Ext_SignatureAlgorithmsCert(TLS_Ext_SignatureAlgorithms):
    """signature_algorithms_cert (RFC 8446 4.2.3)."""

    name = "TLS Extension - Signature Algorithms Cert"
    fields_desc = (_type(0x32), *TLS_Ext_SignatureAlgorithms.fields_desc[1:])


class TLS_Ext_Padding(TLS_Ext_Unknown):
    """padding (RFC 7685): ``padding`` bytes."""

    name = "TLS Extension - Padding"
    fields_desc = (_type(0x15), FieldLenField("len", None, length_of="padding"),
                   StrLenField("padding", b"", length_from=lambda pkt: pkt.len))


class TLS_Ext_EncryptThenMAC(TLS_Ext_Unknown):
    """encrypt_then_mac (RFC 7366), empty."""

    name = "TLS Extension - Encrypt-then-MAC"
    fields_desc = (_type(0x16), _len())


class TLS_Ext_ExtendedMasterSecret(TLS_Ext_Unknown):
    """extended_master_secret (RFC 7627), empty."""

    name = "TLS Extension - Extended Master Secret"
    fields_desc = (_type(0x17), _len())


class TLS_Ext_RecordSizeLimit(TLS_Ext_Unknown):
    """record_size_limit (RFC 8449)."""

    name = "TLS Extension - Record Size Limit"
    fields_desc = (_type(0x1C), _len(), ShortField("record_size_limit", None))


class TLS_Ext_SessionTicket(TLS_Ext_Unknown):
    """session_ticket (RFC 5077): ``ticket`` bytes (empty to ask for one)."""

    name = "TLS Extension - Session Ticket"
    fields_desc = (_type(0x23), FieldLenField("len", None, length_of="ticket"),
                   StrLenField("ticket", b"", length_from=lambda pkt: pkt.len))


class TLS_Ext_PostHandshakeAuth(TLS_Ext_Unknown):
    """post_handshake_auth (RFC 8446), empty."""

    name = "TLS Extension - Post Handshake Auth"
    fields_desc = (_type(0x31), _len())


class TLS_Ext_SupportedVersions(TLS_Ext_Unknown):
    """supported_versions (RFC 8446 4.2.1) of a message that is neither hello."""

    name = "TLS Extension - Supported Versions"
    fields_desc = (_type(0x2B), _len())


class TLS_Ext_SupportedVersion_CH(TLS_Ext_Unknown):
    """supported_versions in a ClientHello: ``versions``."""

    name = "TLS Extension - Supported Versions (for ClientHello)"
    fields_desc = (_type(0x2B), _len(),
                   FieldLenField("versionslen", None, fmt="B", length_of="versions"),
                   FieldListField("versions", [],
                                  ShortEnumField("version", None, TLS_VERSIONS),
                                  length_from=lambda pkt: pkt.versionslen))


class TLS_Ext_SupportedVersion_SH(TLS_Ext_Unknown):
    """supported_versions in a ServerHello: the ``version`` chosen."""

    name = "TLS Extension - Supported Versions (for ServerHello)"
    fields_desc = (_type(0x2B), _len(), ShortEnumField("version", None, TLS_VERSIONS))


class TLS_Ext_PSKKeyExchangeModes(TLS_Ext_Unknown):
    """psk_key_exchange_modes (RFC 8446 4.2.9): ``kxmodes``."""

    name = "TLS Extension - PSK Key Exchange Modes"
    fields_desc = (_type(0x2D), _len(),
                   FieldLenField("kxmodeslen", None, fmt="B", length_of="kxmodes"),
                   FieldListField("kxmodes", [], ByteEnumField("kxmode", None, _PSK_MODES),
                                  length_from=lambda pkt: pkt.kxmodeslen))


class TLS_Ext_RenegotiationInfo(TLS_Ext_Unknown):
    """renegotiation_info (RFC 5746): ``renegotiated_connection``."""

    name = "TLS Extension - Renegotiation Indication"
    fields_desc = (_type(0xFF01), _len(),
                   FieldLenField("reneg_conn_len", None, fmt="B",
                                 length_of="renegotiated_connection"),
                   StrLenField("renegotiated_connection", b"",
                               length_from=lambda pkt: pkt.reneg_conn_len))


class KeyShareEntry(_Item):
    """One key share (RFC 8446 4.2.8): ``group``, ``key_exchange`` bytes."""

    name = "Key Share Entry"
    fields_desc = (ShortEnumField("group", None, TLS_NAMED_GROUPS),
                   FieldLenField("kxlen", None, length_of="key_exchange"),
                   XStrLenField("key_exchange", b"", length_from=lambda pkt: pkt.kxlen))


class TLS_Ext_KeyShare(TLS_Ext_Unknown):
    """key_share of a message that is neither hello."""

    name = "TLS Extension - Key Share (dummy class)"
    fields_desc = (_type(0x33), _len())


class TLS_Ext_KeyShare_CH(TLS_Ext_Unknown):
    """key_share in a ClientHello: ``client_shares``, a list of :class:`KeyShareEntry`."""

    name = "TLS Extension - Key Share (for ClientHello)"
    fields_desc = (_type(0x33), ShortField("len", None),
                   FieldLenField("client_shares_len", None, length_of="client_shares"),
                   PacketListField("client_shares", [], KeyShareEntry,
                                   length_from=lambda pkt: pkt.client_shares_len))


class TLS_Ext_KeyShare_SH(TLS_Ext_Unknown):
    """key_share in a ServerHello: ``server_share``, one :class:`KeyShareEntry`."""

    name = "TLS Extension - Key Share (for ServerHello)"
    fields_desc = (_type(0x33), ShortField("len", None),
                   PacketLenField("server_share", None, KeyShareEntry,
                                  length_from=lambda pkt: pkt.len))


class TLS_Ext_KeyShare_HRR(TLS_Ext_Unknown):
    """key_share in a HelloRetryRequest: the ``selected_group``."""

    name = "TLS Extension - Key Share (for HelloRetryRequest)"
    fields_desc = (_type(0x33), ShortField("len", None),
                   ShortEnumField("selected_group", None, TLS_NAMED_GROUPS))


class TLS_Ext_Cookie(TLS_Ext_Unknown):
    """cookie (RFC 8446 4.2.2), of a HelloRetryRequest and the ClientHello after it."""

    name = "TLS Extension - Cookie"
    fields_desc = (_type(0x2C), _len(), FieldLenField("cookielen", None, length_of="cookie"),
                   XStrLenField("cookie", b"", length_from=lambda pkt: pkt.cookielen))


class TLS_Ext_EarlyDataIndication(TLS_Ext_Unknown):
    """early_data (RFC 8446 4.2.10) of a ClientHello or EncryptedExtensions: empty."""

    name = "TLS Extension - Early Data"
    fields_desc = (_type(0x2A), _len())


class TLS_Ext_EarlyDataIndicationTicket(TLS_Ext_Unknown):
    """early_data of a NewSessionTicket: ``max_early_data_size``."""

    name = "TLS Extension - Ticket Early Data Info"
    fields_desc = (_type(0x2A), _len(), IntField("max_early_data_size", 0))


class Ticket(Packet):
    """A session ticket in RFC 5077's recommended layout (its state encrypted)."""

    name = "Recommended Ticket Construction (from RFC 5077)"
    fields_desc = (StrFixedLenField("key_name", None, 16), StrFixedLenField("iv", None, 16),
                   FieldLenField("encstatelen", None, length_of="encstate"),
                   StrLenField("encstate", b"", length_from=lambda pkt: pkt.encstatelen),
                   StrFixedLenField("mac", None, 32))


def _ticket(m: bytes) -> Packet:
    """A :class:`Ticket` when the bytes have its layout (64 bytes at least), else Raw."""
    if len(m) >= 64:
        t = Ticket(m)
        if bytes(t) == m and Raw not in t and not t.errors:
            return t
    return Raw(m)


class PSKIdentity(_Item):
    """A pre-shared key identity (a :class:`Ticket`, or Raw) and its obfuscated age."""

    name = "PSK Identity"
    fields_desc = (FieldLenField("identity_len", None, length_of="identity"),
                   PacketLenField("identity", b"", _ticket,
                                  length_from=lambda pkt: pkt.identity_len),
                   IntField("obfuscated_ticket_age", 0))


class PSKBinderEntry(_Item):
    """A PSK binder (an HMAC over the ClientHello)."""

    name = "PSK Binder Entry"
    fields_desc = (FieldLenField("binder_len", None, fmt="B", length_of="binder"),
                   StrLenField("binder", b"", length_from=lambda pkt: pkt.binder_len))


class TLS_Ext_PreSharedKey(TLS_Ext_Unknown):
    """pre_shared_key of a message that is neither hello."""

    name = "TLS Extension - Pre Shared Key (dummy class)"
    fields_desc = (_type(0x29), _len())


class TLS_Ext_PreSharedKey_CH(TLS_Ext_Unknown):
    """pre_shared_key in a ClientHello (RFC 8446 4.2.11): ``identities``, ``binders``."""

    name = "TLS Extension - Pre Shared Key (for ClientHello)"
    fields_desc = (_type(0x29), ShortField("len", None),
                   FieldLenField("identities_len", None, length_of="identities"),
                   PacketListField("identities", [], PSKIdentity,
                                   length_from=lambda pkt: pkt.identities_len),
                   FieldLenField("binders_len", None, length_of="binders"),
                   PacketListField("binders", [], PSKBinderEntry,
                                   length_from=lambda pkt: pkt.binders_len))


class TLS_Ext_PreSharedKey_SH(TLS_Ext_Unknown):
    """pre_shared_key in a ServerHello: the ``selected_identity``."""

    name = "TLS Extension - Pre Shared Key (for ServerHello)"
    fields_desc = (_type(0x29), ShortField("len", None), ShortField("selected_identity", None))


_EXT_CLASSES: dict[int, type[Packet]] = {
    0: TLS_Ext_ServerName, 5: TLS_Ext_CSR, 0x3374: TLS_Ext_NPN, 10: TLS_Ext_SupportedGroups,
    11: TLS_Ext_SupportedPointFormat,
    13: TLS_Ext_SignatureAlgorithms, 0x10: TLS_Ext_ALPN, 0x15: TLS_Ext_Padding,
    0x16: TLS_Ext_EncryptThenMAC, 0x17: TLS_Ext_ExtendedMasterSecret,
    0x1C: TLS_Ext_RecordSizeLimit, 0x23: TLS_Ext_SessionTicket, 0x29: TLS_Ext_PreSharedKey,
    0x2A: TLS_Ext_EarlyDataIndication, 0x2C: TLS_Ext_Cookie,
    0x2B: TLS_Ext_SupportedVersions, 0x2D: TLS_Ext_PSKKeyExchangeModes,
    0x31: TLS_Ext_PostHandshakeAuth, 0x32: TLS_Ext_SignatureAlgorithmsCert,
    0x33: TLS_Ext_KeyShare, 0xFF01: TLS_Ext_RenegotiationInfo}

#: The hello-dependent forms: (ClientHello's, ServerHello's, HelloRetryRequest's).
_BY_HELLO: dict[int, tuple[type[Packet], type[Packet], type[Packet]]] = {
    0x2B: (TLS_Ext_SupportedVersion_CH, TLS_Ext_SupportedVersion_SH,
           TLS_Ext_SupportedVersion_SH),
    0x33: (TLS_Ext_KeyShare_CH, TLS_Ext_KeyShare_SH, TLS_Ext_KeyShare_HRR),
    0x29: (TLS_Ext_PreSharedKey_CH, TLS_Ext_PreSharedKey_SH, TLS_Ext_PreSharedKey),
    0x2A: (TLS_Ext_EarlyDataIndication, TLS_Ext_EarlyDataIndication,
           TLS_Ext_EarlyDataIndication)}


def extensions_from_bytes(m: bytes, hello: int | None = None) -> list[Packet]:
    """The extensions in ``m``; ``hello`` is 0 in a ClientHello, 1 in a ServerHello, 2 in a
    HelloRetryRequest (the forms of supported_versions and key_share). Bytes left that do not
    make a whole extension are a ``Raw`` at the end, as Scapy does.

    >>> [type(e).__name__ for e in extensions_from_bytes(bytes.fromhex("0017000000"))]
    ['TLS_Ext_ExtendedMasterSecret', 'Raw']
    """
    res: list[Packet] = []
    while len(m) >= 4:
        t, n = struct.unpack_from("!HH", m)
        cls = _EXT_CLASSES.get(t, TLS_Ext_Unknown)
        if t in _BY_HELLO and hello is not None:
            cls = _BY_HELLO[t][hello]
        chunk = m[:n + 4]
        ext = cls(chunk)
        if bytes(ext) != chunk or ext.errors:  # a body that does not parse as its kind
            ext = TLS_Ext_Unknown(chunk)
        res.append(ext)
        m = m[n + 4:]
    if m:
        res.append(Raw(m))
    return res
