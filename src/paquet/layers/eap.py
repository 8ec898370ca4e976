"""EAPOL (IEEE 802.1X-2010) and EAP (RFC 3748) with its methods' framing.

:class:`EAPOL` is 4 bytes (``version``, ``type``, ``len`` of the body, computed) on EtherType
0x888E; its body is :class:`EAP` (type 0) or :class:`EAPOL_KEY` (type 3). :class:`EAP` is
``code``, ``id``, ``len`` (computed) and, for requests and responses, the method ``type`` and
its data: an identity, a list of desired methods (Nak), or a method's own class chosen by the
type byte: :class:`EAP_MD5` (RFC 3748 §5.4), :class:`EAP_TLS` (RFC 5216),
:class:`EAP_TTLS` (RFC 5281), :class:`EAP_PEAP`, :class:`EAP_FAST` (RFC 4851) and Cisco's
:class:`LEAP`, whose TLS methods share the L/M/S flags and the optional TLS message length.
Classes, names, defaults, bytes and bindings are Scapy's (``scapy.layers.eap``); MACsec's
MKA (EAPOL type 5) is not dissected here (its body stays raw bytes).

>>> p = EAPOL() / EAP(code=2, id=1, type=1, identity=b"alice")
>>> q = EAPOL(bytes(p))
>>> q.len, q[EAP].len, q[EAP].identity, q.summary()
(10, 10, b'alice', "EAPOL / EAP Response Identity b'alice'")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    IntField,
    LongField,
    ShortField,
    XByteField,
)
from paquet.packet.strfields import StrLenField, XStrFixedLenField, XStrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    FieldListField,
    LenField,
)

__all__ = ["EAP", "EAPOL", "EAPOL_KEY", "EAP_FAST", "EAP_MD5", "EAP_PEAP", "EAP_TLS",
           "EAP_TTLS", "LEAP", "eap_codes", "eap_types", "eapol_types", "eapol_versions"]

#: EAPOL protocol versions (802.1X-2010 §11.3.1).
eapol_versions = {0x1: "802.1X-2001", 0x2: "802.1X-2004", 0x3: "802.1X-2010"}

#: EAPOL packet types (802.1X-2010 table 11-3).
eapol_types = {
    0x0: "EAP-Packet",
    0x1: "EAPOL-Start",
    0x2: "EAPOL-Logoff",
    0x3: "EAPOL-Key",
    0x4: "EAPOL-Encapsulated-ASF-Alert",
    0x5: "EAPOL-MKA",
    0x6: "EAPOL-Announcement (Generic)",
    0x7: "EAPOL-Announcement (Specific)",
    0x8: "EAPOL-Announcement-Req",
}


class EAPOL(Packet):
    """An EAPOL header: ``version``, ``type``, ``len`` (the body's length, computed); the
    bytes after ``len`` bytes are padding."""

    name = "EAPOL"
    fields_desc = (
        ByteEnumField("version", 1, eapol_versions),
        ByteEnumField("type", 0, eapol_types),
        LenField("len", None, "H"),
    )

    EAP_PACKET = 0
    START = 1
    LOGOFF = 2
    KEY = 3
    ASF = 4

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        n = self.len if isinstance(self.len, int) else len(s)
        return s[:n], s[n:]

    def hashret(self) -> bytes:
        return bytes([self.type & 0xFF]) + self.payload.hashret()

    def answers(self, other: Any) -> bool:
        """Two EAP packets: the EAP layers answer (Scapy's rule)."""
        if isinstance(other, EAPOL) and self.type == self.EAP_PACKET \
                and other.type == self.EAP_PACKET:
            return bool(self.payload.answers(other.payload))
        return False

    def mysummary(self) -> str:
        return self.sprintf("EAPOL %EAPOL.type%")


#: EAP method types (IANA's EAP registry, with the names Scapy shows).
eap_types = {
    0: 'Reserved',
    1: 'Identity',
    2: 'Notification',
    3: 'Legacy Nak',
    4: 'MD5-Challenge',
    5: 'One-Time Password (OTP)',
    6: 'Generic Token Card (GTC)',
    7: 'Allocated - RFC3748',
    8: 'Allocated - RFC3748',
    9: 'RSA Public Key Authentication',
    10: 'DSS Unilateral',
    11: 'KEA',
    12: 'KEA-VALIDATE',
    13: 'EAP-TLS',
    14: 'Defender Token (AXENT)',
    15: 'RSA Security SecurID EAP',
    16: 'Arcot Systems EAP',
    17: 'EAP-Cisco Wireless',
    18: 'GSM Subscriber Identity Modules (EAP-SIM)',
    19: 'SRP-SHA1',
    20: 'Unassigned',
    21: 'EAP-TTLS',
    22: 'Remote Access Service',
    23: 'EAP-AKA Authentication',
    24: 'EAP-3Com Wireless',
    25: 'PEAP',
    26: 'MS-EAP-Authentication',
    27: 'Mutual Authentication w/Key Exchange (MAKE)',
    28: 'CRYPTOCard',
    29: 'EAP-MSCHAP-V2',
    30: 'DynamID',
    31: 'Rob EAP',
    32: 'Protected One-Time Password',
    33: 'MS-Authentication-TLV',
    34: 'SentriNET',
    35: 'EAP-Actiontec Wireless',
    36: 'Cogent Systems Biometrics Authentication EAP',
    37: 'AirFortress EAP',
    38: 'EAP-HTTP Digest',
    39: 'SecureSuite EAP',
    40: 'DeviceConnect EAP',
    41: 'EAP-SPEKE',
    42: 'EAP-MOBAC',
    43: 'EAP-FAST',
    44: 'ZoneLabs EAP (ZLXEAP)',
    45: 'EAP-Link',
    46: 'EAP-PAX',
    47: 'EAP-PSK',
    48: 'EAP-SAKE',
    49: 'EAP-IKEv2',
    50: 'EAP-AKA',
    51: 'EAP-GPSK',
    52: 'EAP-pwd',
    53: 'EAP-EKE Version 1',
    54: 'EAP Method Type for PT-EAP',
    55: 'TEAP',
    254: 'Reserved for the Expanded Type',
    255: 'Experimental',
}

#: EAP codes (RFC 3748, RFC 6696).
eap_codes = {1: "Request", 2: "Response", 3: "Success", 4: "Failure", 5: "Initiate",
             6: "Finish"}

_REQUEST, _RESPONSE, _SUCCESS, _FAILURE = 1, 2, 3, 4


def _has_type(pkt: Any) -> bool:
    return pkt.code not in (_SUCCESS, _FAILURE)


class EAP(Packet):
    """An EAP packet: ``code``, ``id``, ``len`` (computed) and, for a request or a response,
    ``type`` and its data (``identity``, ``message``, ``desired_auth_types``). A request or a
    response of a method with a class of its own dissects as that class."""

    name = "EAP"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("code", 4, eap_codes),
        ByteField("id", 0),
        ShortField("len", None),
        ConditionalField(ByteEnumField("type", 0, eap_types), _has_type),
        ConditionalField(
            FieldListField("desired_auth_types", [], ByteEnumField("auth_type", 0, eap_types),
                           length_from=lambda pkt: pkt.len - 4),
            lambda pkt: pkt.code == _RESPONSE and pkt.type == 3),
        ConditionalField(
            StrLenField("identity", b"", length_from=lambda pkt: pkt.len - 5),
            lambda pkt: pkt.code == _RESPONSE and getattr(pkt, "type", None) == 1),
        ConditionalField(
            StrLenField("message", b"", length_from=lambda pkt: pkt.len - 5),
            lambda pkt: pkt.code == _REQUEST and getattr(pkt, "type", None) == 1),
    )

    REQUEST = _REQUEST
    RESPONSE = _RESPONSE
    SUCCESS = _SUCCESS
    FAILURE = _FAILURE
    INITIATE = 5
    FINISH = 6

    #: The classes of the methods, by type (filled below, Scapy's ``registered_methods``).
    registered_methods: ClassVar[dict[int, type[EAP]]] = {}

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The method's class for a request or a response of 5 bytes or more."""
        if end - start >= 5 and data[start] in (_REQUEST, _RESPONSE):
            return cls.registered_methods.get(data[start + 4], cls)
        return cls

    def answers(self, other: Any) -> bool:
        """A response answers a request of the same type (Scapy's rule)."""
        if isinstance(other, EAP):
            if self.code == _REQUEST:
                return False
            if self.code == _RESPONSE:
                return bool(other.code == _REQUEST and other.type == self.type)
            return bool(other.code == _RESPONSE)
        return False

    def mysummary(self) -> str:
        name = type(self).__name__
        text = f"EAP %{name}.code% %{name}.type%"
        if self.type == 1 and self.code == _RESPONSE:
            text += f" %{name}.identity%"
        return self.sprintf(text)

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("len") is None and len(p) >= 4:
            p = p[:2] + ((len(p) + len(pay)) & 0xFFFF).to_bytes(2, "big") + p[4:]
        return p + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """What follows an EAP packet is padding (Scapy: its payload class is Padding)."""
        return b"", s


def _tls_len(pkt: Any, x: int) -> int:
    return x + 10 if pkt.L == 1 else x + 6


def _tls_data_len(pkt: Any) -> int:
    return 0 if pkt.len is None else int(pkt.len - (6 + 4 * pkt.L))


class EAP_MD5(EAP):
    """EAP's MD5-Challenge (RFC 3748 §5.4): ``value_size``, ``value``, ``optional_name``."""

    name = "EAP-MD5"
    match_subclass = True
    fields_desc = (
        ByteEnumField("code", 1, eap_codes),
        ByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="optional_name",
                      adjust=lambda p, x: x + 6 + (p.value_size or 0)),
        ByteEnumField("type", 4, eap_types),
        FieldLenField("value_size", None, fmt="B", length_of="value"),
        XStrLenField("value", b"", length_from=lambda p: p.value_size, max_length=255),
        XStrLenField("optional_name", b"", length_from=lambda p: 0
                     if p.len is None or p.value_size is None else p.len - p.value_size - 6),
    )


def _tls_framed(eap_type: int, data: str, message_len: str, reserved: int,
                version: tuple[int, int] | None) -> tuple[Field, ...]:
    """The fields of the methods that carry TLS records (EAP-TLS, EAP-TTLS, PEAP, EAP-FAST):
    the EAP header, the L (length included), M (more fragments), S (start) flags, the
    ``reserved`` bits and, for some, a ``version`` ``(default, bits)``; the message length
    ``message_len`` when L; the ``data``."""
    return (
        ByteEnumField("code", 1, eap_codes),
        ByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of=data, adjust=_tls_len),
        ByteEnumField("type", eap_type, eap_types),
        BitField("L", 0, 1),
        BitField("M", 0, 1),
        BitField("S", 0, 1),
        BitField("reserved", 0, reserved),
        *(() if version is None else (BitField("version", version[0], version[1]),)),
        ConditionalField(IntField(message_len, 0), lambda pkt: pkt.L == 1),
        XStrLenField(data, b"", length_from=_tls_data_len),
    )


class EAP_TLS(EAP):
    """EAP-TLS (RFC 5216): the L, M, S flags, ``tls_message_len`` when L, ``tls_data``."""

    name = "EAP-TLS"
    match_subclass = True
    fields_desc = _tls_framed(13, "tls_data", "tls_message_len", 5, None)


class EAP_TTLS(EAP):
    """EAP-TTLSv0 (RFC 5281): the L, M, S flags, ``version``, ``message_len`` when L,
    ``data``."""

    name = "EAP-TTLS"
    match_subclass = True
    fields_desc = _tls_framed(21, "data", "message_len", 2, (0, 3))


class EAP_PEAP(EAP):
    """PEAP (draft-josefsson-pppext-eap-tls-eap): the L, M, S flags, ``version`` (1),
    ``tls_message_len`` when L, ``tls_data``."""

    name = "PEAP"
    match_subclass = True
    fields_desc = _tls_framed(25, "tls_data", "tls_message_len", 3, (1, 2))


class EAP_FAST(EAP):
    """EAP-FAST (RFC 4851): the L, M, S flags, ``version``, ``message_len`` when L,
    ``data``."""

    name = "EAP-FAST"
    match_subclass = True
    fields_desc = _tls_framed(43, "data", "message_len", 2, (0, 3))


class LEAP(EAP):
    """Cisco's LEAP: ``version``, ``unused``, ``count``, ``challenge_response``,
    ``username``."""

    name = "Cisco LEAP"
    match_subclass = True
    fields_desc = (
        ByteEnumField("code", 1, eap_codes),
        ByteField("id", 0),
        ShortField("len", None),
        ByteEnumField("type", 17, eap_types),
        ByteField("version", 1),
        XByteField("unused", 0),
        FieldLenField("count", None, "challenge_response", "B",
                      adjust=lambda p, x: len(p.challenge_response)),
        XStrLenField("challenge_response", b"", length_from=lambda p: p.count or 0,
                     max_length=255),
        StrLenField("username", b"", length_from=lambda p: p.len - (8 + (p.count or 0))),
    )


EAP.registered_methods.update({4: EAP_MD5, 13: EAP_TLS, 17: LEAP, 21: EAP_TTLS,
                               25: EAP_PEAP, 43: EAP_FAST})


class EAPOL_KEY(Packet):
    """An EAPOL-Key frame (802.1X-2010 §11.9, 802.11-2016 §12.7.2): the descriptor type, the
    key information bits, lengths, counter, nonce, IV, RSC, id, MIC and ``key_data``."""

    name = "EAPOL_KEY"
    deprecated_fields: ClassVar[dict[str, tuple[str, str]]] = {
        "key": ("key_data", "2.6.0"), "len": ("key_length", "2.6.0")}
    fields_desc = (
        ByteEnumField("key_descriptor_type", 1, {1: "RC4", 2: "RSN"}),
        BitField("res2", 0, 2),
        BitField("smk_message", 0, 1),
        BitField("encrypted_key_data", 0, 1),
        BitField("request", 0, 1),
        BitField("error", 0, 1),
        BitField("secure", 0, 1),
        BitField("has_key_mic", 1, 1),
        BitField("key_ack", 0, 1),
        BitField("install", 0, 1),
        BitField("res", 0, 2),
        BitEnumField("key_type", 0, 1, {0: "Group/SMK", 1: "Pairwise"}),
        BitEnumField("key_descriptor_type_version", 0, 3, {
            1: "HMAC-MD5+ARC4", 2: "HMAC-SHA1-128+AES-128", 3: "AES-128-CMAC+AES-128"}),
        LenField("key_length", None, "H"),
        LongField("key_replay_counter", 0),
        XStrFixedLenField("key_nonce", b"", 32),
        XStrFixedLenField("key_iv", b"", 16),
        XStrFixedLenField("key_rsc", b"", 8),
        XStrFixedLenField("key_id", b"", 8),
        XStrFixedLenField("key_mic", b"", 16),
        FieldLenField("key_data_length", None, length_of="key_data"),
        XStrLenField("key_data", b"", length_from=lambda pkt: pkt.key_data_length),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        n = self.key_length if isinstance(self.key_length, int) else 0
        return s[:n], s[n:]

    def guess_key_number(self) -> int:
        """Which message of the 4-way handshake this is (1 to 4), 0 when it cannot be told."""
        if self.key_type == 1:
            if self.key_ack == 1:
                if self.has_key_mic == 0:
                    return 1
                if self.install == 1:
                    return 3
            else:
                return 2 if self.secure == 0 else 4
        return 0


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.gre import GRE
    from paquet.layers.llc import SNAP
    from paquet.layers.sll import CookedLinux
    from paquet.numbers import ETH_P_PAE

    registry.bind_layers(EAPOL, EAP, type=0)
    registry.bind_layers(EAPOL, EAPOL_KEY, type=3)
    registry.bind_bottom_up(Ether, EAPOL, type=ETH_P_PAE)
    registry.bind_top_down(Ether, EAPOL, dst="01:80:c2:00:00:03", type=ETH_P_PAE)
    registry.bind_layers(CookedLinux, EAPOL, proto=ETH_P_PAE)
    registry.bind_layers(SNAP, EAPOL, code=ETH_P_PAE)
    registry.bind_layers(GRE, EAPOL, proto=ETH_P_PAE)


_register()
