"""PPP's control and authentication protocols: LCP (RFC 1661), IPCP (RFC 1332, RFC 1877),
ECP (RFC 1968), PAP (RFC 1334) and CHAP (RFC 1994).

Each is ``code``, ``id``, ``len`` (computed) and a body: a list of options for LCP's and
IPCP's and ECP's configuration messages (each option a class chosen by its type byte, the
unknown ones kept as ``type``, ``len``, ``data``), LCP's echo, terminate and reject messages,
PAP's request (``username``, ``password``) and response, CHAP's challenge and response
(``value``, ``optional_name``). An LCP or PAP or CHAP packet dissects as the class of its
code. Classes, names, defaults, bytes and bindings are Scapy's (``scapy.layers.ppp``).

>>> from paquet.layers.ppp import PPP
>>> p = PPP() / PPP_LCP_Configure(options=[PPP_LCP_MRU_Option(max_recv_unit=1492),
...     PPP_LCP_Magic_Number_Option(magic_number=0x1234)])
>>> q = PPP(bytes(p))
>>> [type(o).__name__ for o in q[PPP_LCP_Configure].options], q.summary()
(['PPP_LCP_MRU_Option', 'PPP_LCP_Magic_Number_Option'], 'PPP / LCP Configure-Request')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers.ppp import PPP_PROTOCOLS
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField, ShortField, XByteField
from paquet.packet.intfields import OUIField
from paquet.packet.strfields import StrLenField, XStrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    PacketField,
    PacketListField,
)

__all__ = [
    "PPP_CHAP",
    "PPP_ECP",
    "PPP_IPCP",
    "PPP_LCP",
    "PPP_PAP",
    "PPP_CHAP_ChallengeResponse",
    "PPP_ECP_Option",
    "PPP_ECP_Option_OUI",
    "PPP_IPCP_Option",
    "PPP_IPCP_Option_DNS1",
    "PPP_IPCP_Option_DNS2",
    "PPP_IPCP_Option_IPAddress",
    "PPP_IPCP_Option_NBNS1",
    "PPP_IPCP_Option_NBNS2",
    "PPP_LCP_ACCM_Option",
    "PPP_LCP_Auth_Protocol_Option",
    "PPP_LCP_Callback_Option",
    "PPP_LCP_Code_Reject",
    "PPP_LCP_Configure",
    "PPP_LCP_Discard_Request",
    "PPP_LCP_Echo",
    "PPP_LCP_MRU_Option",
    "PPP_LCP_Magic_Number_Option",
    "PPP_LCP_Option",
    "PPP_LCP_Protocol_Reject",
    "PPP_LCP_Quality_Protocol_Option",
    "PPP_LCP_Terminate",
    "PPP_PAP_Request",
    "PPP_PAP_Response",
]

#: The codes of the configuration protocols (RFC 1661 §5, RFC 1962 for the resets).
_CONF_CODES = {1: "Configure-Request", 2: "Configure-Ack", 3: "Configure-Nak",
               4: "Configure-Reject", 5: "Terminate-Request", 6: "Terminate-Ack",
               7: "Code-Reject", 8: "Protocol-Reject", 9: "Echo-Request", 10: "Echo-Reply",
               11: "Discard-Request", 14: "Reset-Request", 15: "Reset-Ack"}


def _plus(n: int) -> Any:
    """A FieldLenField ``adjust`` adding ``n`` (the bytes of the header before the data)."""
    return lambda _pkt, x: x + n


def _option_class(cls: type[_Option], data: bytes, start: int, end: int) -> type[Packet]:
    """The option's class, by its type byte (Scapy's ``dispatch_hook``)."""
    if end > start:
        return cls.registered_options.get(data[start], cls)
    return cls


def _option_fields(types: dict[int, str]) -> tuple[Field, ...]:
    """An option of IPCP or ECP whose type has no class of its own: ``type`` (named from
    ``types``), ``len`` (computed), ``data``."""
    return (
        ByteEnumField("type", None, types),
        FieldLenField("len", None, length_of="data", fmt="B", adjust=_plus(2)),
        StrLenField("data", b"", length_from=lambda pkt: max(0, pkt.len - 2), max_length=253),
    )


def _options_packet_fields(codes: dict[int, str], option: type[Packet]) -> tuple[Field, ...]:
    """A packet of options (IPCP, ECP, LCP's Configure-*): ``code`` (named from ``codes``),
    ``id``, ``len`` (computed), ``options`` (of class ``option``)."""
    return (
        ByteEnumField("code", 1, codes),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="options", adjust=_plus(4)),
        PacketListField("options", [], option, length_from=lambda pkt: pkt.len - 4),
    )


class _Option(Packet):
    """What the options of LCP, IPCP and ECP share: the class is told by the type byte
    (``registered_options``), and an option ends where its length says."""

    registered_options: ClassVar[dict[int, type[Packet]]] = {}

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


# ------------------------------------------------------------------------------- IPCP

_IPCP_OPTION_TYPES = {1: "IP-Addresses (Deprecated)", 2: "IP-Compression-Protocol",
                      3: "IP-Address", 4: "Mobile-IPv4", 129: "Primary-DNS-Address",
                      130: "Primary-NBNS-Address", 131: "Secondary-DNS-Address",
                      132: "Secondary-NBNS-Address"}


class PPP_IPCP_Option(_Option):
    """An IPCP option: ``type``, ``len`` (computed), ``data``."""

    name = "PPP IPCP Option"
    fields_desc: ClassVar[Sequence[Field]] = _option_fields(_IPCP_OPTION_TYPES)
    registered_options: ClassVar[dict[int, type[Packet]]] = {}
    dispatch_class = classmethod(_option_class)


class PPP_IPCP_Option_IPAddress(PPP_IPCP_Option):
    """IPCP's IP-Address option (3): ``data`` is the address."""

    name = "PPP IPCP Option: IP Address"
    fields_desc = (
        ByteEnumField("type", 3, _IPCP_OPTION_TYPES),
        FieldLenField("len", None, length_of="data", fmt="B", adjust=_plus(2)),
        IPField("data", "0.0.0.0"),
        StrLenField("garbage", b"", length_from=lambda pkt: pkt.len - 6, max_length=249),
    )


def _ip_option(cls_name: str, title: str, code: int) -> type[PPP_IPCP_Option_IPAddress]:
    fields = (ByteEnumField("type", code, _IPCP_OPTION_TYPES),
              *PPP_IPCP_Option_IPAddress.fields_desc[1:])
    doc = f"IPCP's {title} option ({code}, RFC 1877): ``data`` is the address."
    return type(cls_name, (PPP_IPCP_Option_IPAddress,),
                {"name": f"PPP IPCP Option: {title}", "fields_desc": fields, "__doc__": doc,
                 "__module__": __name__})


PPP_IPCP_Option_DNS1 = _ip_option("PPP_IPCP_Option_DNS1", "DNS1 Address", 129)
PPP_IPCP_Option_DNS2 = _ip_option("PPP_IPCP_Option_DNS2", "DNS2 Address", 131)
PPP_IPCP_Option_NBNS1 = _ip_option("PPP_IPCP_Option_NBNS1", "NBNS1 Address", 130)
PPP_IPCP_Option_NBNS2 = _ip_option("PPP_IPCP_Option_NBNS2", "NBNS2 Address", 132)
PPP_IPCP_Option.registered_options.update({
    3: PPP_IPCP_Option_IPAddress, 129: PPP_IPCP_Option_DNS1, 131: PPP_IPCP_Option_DNS2,
    130: PPP_IPCP_Option_NBNS1, 132: PPP_IPCP_Option_NBNS2})


class PPP_IPCP(Packet):
    """An IPCP packet: ``code``, ``id``, ``len`` (computed), ``options``."""

    fields_desc = _options_packet_fields(_CONF_CODES, PPP_IPCP_Option)


# -------------------------------------------------------------------------------- ECP

_ECP_OPTION_TYPES = {0: "OUI", 1: "DESE"}


class PPP_ECP_Option(_Option):
    """An ECP option: ``type``, ``len`` (computed), ``data``."""

    name = "PPP ECP Option"
    fields_desc: ClassVar[Sequence[Field]] = _option_fields(_ECP_OPTION_TYPES)
    registered_options: ClassVar[dict[int, type[Packet]]] = {}
    dispatch_class = classmethod(_option_class)


class PPP_ECP_Option_OUI(PPP_ECP_Option):
    """ECP's vendor option (0): ``oui``, ``subtype``, ``data``."""

    name = "PPP ECP Option"
    fields_desc = (
        ByteEnumField("type", 0, _ECP_OPTION_TYPES),
        FieldLenField("len", None, length_of="data", fmt="B", adjust=_plus(6)),
        OUIField("oui", 0),
        ByteField("subtype", 0),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 6, max_length=249),
    )


PPP_ECP_Option.registered_options[0] = PPP_ECP_Option_OUI


class PPP_ECP(Packet):
    """An ECP packet: ``code``, ``id``, ``len`` (computed), ``options``."""

    fields_desc = _options_packet_fields(_CONF_CODES, PPP_ECP_Option)


# -------------------------------------------------------------------------------- LCP

_LCP_CODES = {k: v for k, v in _CONF_CODES.items() if k <= 11}


class PPP_LCP(Packet):
    """An LCP packet of a code without a class of its own: ``code``, ``id``, ``len``,
    ``data``; the others dissect as :class:`PPP_LCP_Configure`, :class:`PPP_LCP_Echo`..."""

    name = "PPP Link Control Protocol"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("code", 5, _LCP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="data", adjust=_plus(4)),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4),
    )

    def mysummary(self) -> str:
        return self.sprintf("LCP %code%")

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the LCP code (Scapy's ``dispatch_hook``)."""
        if end > start:
            return _LCP_CLASSES.get(data[start], cls)
        return cls


_LCP_OPTION_TYPES = {1: "Maximum-Receive-Unit", 2: "Async-Control-Character-Map",
                     3: "Authentication-protocol", 4: "Quality-protocol", 5: "Magic-number",
                     7: "Protocol-Field-Compression",
                     8: "Address-and-Control-Field-Compression", 13: "Callback"}


class PPP_LCP_Option(_Option):
    """An LCP option: ``type``, ``len`` (computed), ``data``."""

    name = "PPP LCP Option"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("type", None, _LCP_OPTION_TYPES),
        FieldLenField("len", None, fmt="B", length_of="data", adjust=_plus(2)),
        StrLenField("data", None, length_from=lambda pkt: pkt.len - 2, max_length=253),
    )
    registered_options: ClassVar[dict[int, type[Packet]]] = {}
    dispatch_class = classmethod(_option_class)


class PPP_LCP_MRU_Option(PPP_LCP_Option):
    """LCP's Maximum-Receive-Unit option (1): ``max_recv_unit``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 1, _LCP_OPTION_TYPES),
        ByteField("len", 4),
        ShortField("max_recv_unit", 1500),
    )


#: The authentication protocols LCP's option 3 names.
_LCP_AUTH_PROTOCOLS = {0xC023: "Password authentication protocol",
                       0xC223: "Challenge-response authentication protocol",
                       0xC227: "PPP Extensible authentication protocol"}
_CHAP_ALGORITHMS = {5: "MD5", 6: "SHA1", 128: "MS-CHAP", 129: "MS-CHAP-v2"}
_CHAP, _PAP = 0xC223, 0xC023


class PPP_LCP_ACCM_Option(PPP_LCP_Option):
    """LCP's Async-Control-Character-Map option (2): ``accm``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 2, _LCP_OPTION_TYPES),
        ByteField("len", 6),
        BitField("accm", 0x00000000, 32),
    )


def adjust_auth_len(pkt: Any, x: int) -> int:
    """The length of LCP's authentication option: 5 for CHAP (its algorithm byte), 4 for
    PAP, else 4 and the data's length (Scapy's function)."""
    if pkt.auth_protocol == _CHAP:
        return 5
    if pkt.auth_protocol == _PAP:
        return 4
    return x + 4


class PPP_LCP_Auth_Protocol_Option(PPP_LCP_Option):
    """LCP's Authentication-Protocol option (3): ``auth_protocol`` and, for CHAP, its
    ``algorithm``, for the others their ``data``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 3, _LCP_OPTION_TYPES),
        FieldLenField("len", None, fmt="B", length_of="data", adjust=adjust_auth_len),
        ShortEnumField("auth_protocol", _PAP, _LCP_AUTH_PROTOCOLS),
        ConditionalField(StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4,
                                     max_length=251),
                         lambda pkt: pkt.auth_protocol != _CHAP),
        ConditionalField(ByteEnumField("algorithm", 5, _CHAP_ALGORITHMS),
                         lambda pkt: pkt.auth_protocol == _CHAP),
    )


class PPP_LCP_Quality_Protocol_Option(PPP_LCP_Option):
    """LCP's Quality-Protocol option (4): ``quality_protocol``, ``data``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 4, _LCP_OPTION_TYPES),
        FieldLenField("len", None, fmt="B", length_of="data", adjust=_plus(4)),
        ShortEnumField("quality_protocol", 0xC025, {0xC025: "Link Quality Report"}),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4, max_length=251),
    )


class PPP_LCP_Magic_Number_Option(PPP_LCP_Option):
    """LCP's Magic-Number option (5): ``magic_number``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 5, _LCP_OPTION_TYPES),
        ByteField("len", 6),
        IntField("magic_number", None),
    )


_CALLBACK_OPERATIONS = {0: "Location determined by user authentication",
                        1: "Dialing string", 2: "Location identifier", 3: "E.164 number",
                        4: "Distinguished name"}


class PPP_LCP_Callback_Option(PPP_LCP_Option):
    """LCP's Callback option (13, RFC 1570): ``operation``, ``message``."""

    name = "PPP LCP Option"

    fields_desc = (
        ByteEnumField("type", 13, _LCP_OPTION_TYPES),
        FieldLenField("len", None, fmt="B", length_of="message", adjust=_plus(3)),
        ByteEnumField("operation", 0, _CALLBACK_OPERATIONS),
        StrLenField("message", b"", length_from=lambda pkt: pkt.len - 3, max_length=252),
    )


PPP_LCP_Option.registered_options.update({
    1: PPP_LCP_MRU_Option, 2: PPP_LCP_ACCM_Option, 3: PPP_LCP_Auth_Protocol_Option,
    4: PPP_LCP_Quality_Protocol_Option, 5: PPP_LCP_Magic_Number_Option,
    13: PPP_LCP_Callback_Option})


class PPP_LCP_Configure(PPP_LCP):
    """LCP's Configure-Request, -Ack, -Nak, -Reject (codes 1 to 4): ``options``."""

    name = "PPP Link Control Protocol"

    fields_desc = _options_packet_fields(_LCP_CODES, PPP_LCP_Option)

    def answers(self, other: Any) -> bool:
        """An Ack, Nak or Reject answers the Request of the same id."""
        return bool(isinstance(other, PPP_LCP_Configure) and self.code in (2, 3, 4)
                    and other.code == 1 and other.id == self.id)


class PPP_LCP_Terminate(PPP_LCP):
    """LCP's Terminate-Request and -Ack (codes 5 and 6)."""

    name = "PPP Link Control Protocol"

    def answers(self, other: Any) -> bool:
        """An Ack answers the Request of the same id."""
        return bool(isinstance(other, PPP_LCP_Terminate) and self.code == 6
                    and other.code == 5 and other.id == self.id)


class PPP_LCP_Code_Reject(PPP_LCP):
    """LCP's Code-Reject (7): the ``rejected_packet``."""

    name = "PPP Link Control Protocol"

    fields_desc = (
        ByteEnumField("code", 7, _LCP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="rejected_packet", adjust=_plus(4)),
        PacketField("rejected_packet", None, PPP_LCP),
    )


class PPP_LCP_Protocol_Reject(PPP_LCP):
    """LCP's Protocol-Reject (8): ``rejected_protocol``, ``rejected_information``."""

    name = "PPP Link Control Protocol"

    fields_desc = (
        ByteEnumField("code", 8, _LCP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="rejected_information",
                      adjust=_plus(6)),
        ShortEnumField("rejected_protocol", None, PPP_PROTOCOLS),
        PacketField("rejected_information", None, Packet),
    )


class PPP_LCP_Discard_Request(PPP_LCP):
    """LCP's Discard-Request (11): ``magic_number``, ``data``."""

    name = "PPP Link Control Protocol"

    fields_desc = (
        ByteEnumField("code", 11, _LCP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="H", length_of="data", adjust=_plus(8)),
        IntField("magic_number", None),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 8),
    )


class PPP_LCP_Echo(PPP_LCP_Discard_Request):
    """LCP's Echo-Request and -Reply (codes 9 and 10): ``magic_number``, ``data``."""

    name = "PPP Link Control Protocol"

    fields_desc = (ByteEnumField("code", 9, _LCP_CODES), *PPP_LCP_Discard_Request.fields_desc[1:])

    def answers(self, other: Any) -> bool:
        """A Reply answers the Request of the same id."""
        return bool(isinstance(other, PPP_LCP_Echo) and self.code == 10
                    and other.code == 9 and self.id == other.id)


_LCP_CLASSES: dict[int, type[Packet]] = {
    1: PPP_LCP_Configure, 2: PPP_LCP_Configure, 3: PPP_LCP_Configure, 4: PPP_LCP_Configure,
    5: PPP_LCP_Terminate, 6: PPP_LCP_Terminate, 7: PPP_LCP_Code_Reject,
    8: PPP_LCP_Protocol_Reject, 9: PPP_LCP_Echo, 10: PPP_LCP_Echo,
    11: PPP_LCP_Discard_Request}


def _by_code(base: type[Packet], classes: dict[int, type[Packet]]) -> Any:
    """A ``__new__`` giving the class of the ``code`` keyword (a number or a name), as
    Scapy's ``dispatch_hook`` does for ``PPP_PAP(code=2, message=...)``."""
    names = {v: k for k, v in base.fields_desc[0].i2s.items()}  # type: ignore[attr-defined]

    def __new__(cls: type[Packet], *args: Any, **kwargs: Any) -> Packet:
        if cls is base and not args and "code" in kwargs:
            code = kwargs["code"]
            code = names.get(code) if isinstance(code, str) else code
            cls = classes.get(code, cls) if isinstance(code, int) else cls
        return object.__new__(cls)

    return staticmethod(__new__)


# -------------------------------------------------------------------------------- PAP

_PAP_CODES = {1: "Authenticate-Request", 2: "Authenticate-Ack", 3: "Authenticate-Nak"}


class PPP_PAP(Packet):
    """A PAP packet: ``code``, ``id``, ``len`` (computed), ``data``; a request dissects as
    :class:`PPP_PAP_Request`, an Ack or a Nak as :class:`PPP_PAP_Response`."""

    name = "PPP Password Authentication Protocol"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("code", 1, _PAP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="!H", length_of="data", adjust=_plus(4)),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the PAP code."""
        code = data[start] if end > start else None
        if code == 1:
            return PPP_PAP_Request
        if code in (2, 3):
            return PPP_PAP_Response
        return cls

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class PPP_PAP_Request(PPP_PAP):
    """PAP's Authenticate-Request: ``username``, ``password`` and their lengths."""

    name = "PPP Password Authentication Protocol"

    fields_desc = (
        ByteEnumField("code", 1, _PAP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="!H", length_of="username",
                      adjust=lambda pkt, val: val + 6 + len(pkt.password or b"")),
        FieldLenField("username_len", None, fmt="B", length_of="username"),
        StrLenField("username", None, length_from=lambda pkt: pkt.username_len,
                    max_length=255),
        FieldLenField("passwd_len", None, fmt="B", length_of="password"),
        StrLenField("password", None, length_from=lambda pkt: pkt.passwd_len,
                    max_length=255),
    )

    def mysummary(self) -> str:
        return self.sprintf("PAP-Request username=%PPP_PAP_Request.username%"
                            " password=%PPP_PAP_Request.password%")


class PPP_PAP_Response(PPP_PAP):
    """PAP's Authenticate-Ack and -Nak: ``message``."""

    name = "PPP Password Authentication Protocol"

    fields_desc = (
        ByteEnumField("code", 2, _PAP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="!H", length_of="message", adjust=_plus(5)),
        FieldLenField("msg_len", None, fmt="B", length_of="message"),
        StrLenField("message", b"", length_from=lambda pkt: pkt.msg_len, max_length=255),
    )

    def answers(self, other: Any) -> bool:
        """A response answers the request of the same id."""
        return bool(isinstance(other, PPP_PAP_Request) and other.id == self.id)

    def mysummary(self) -> str:
        res = "PAP-Ack" if self.code == 2 else "PAP-Nak"
        if self.msg_len and self.msg_len > 0:
            res += self.sprintf(" msg=%PPP_PAP_Response.message%")
        return res


# ------------------------------------------------------------------------------- CHAP

_CHAP_CODES = {1: "Challenge", 2: "Response", 3: "Success", 4: "Failure"}


class PPP_CHAP(Packet):
    """A CHAP packet: ``code``, ``id``, ``len`` (computed), ``data``; a challenge or a
    response dissects as :class:`PPP_CHAP_ChallengeResponse`."""

    name = "PPP Challenge Handshake Authentication Protocol"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("code", 1, _CHAP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="!H", length_of="data", adjust=_plus(4)),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len - 4),
    )

    def answers(self, other: Any) -> bool:
        """A Success or a Failure answers the response of the same id."""
        return bool(isinstance(other, PPP_CHAP_ChallengeResponse) and other.code == 2
                    and self.code in (3, 4) and self.id == other.id)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the CHAP code."""
        if end > start and data[start] in (1, 2):
            return PPP_CHAP_ChallengeResponse
        return cls

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    def mysummary(self) -> str:
        if self.code == 3:
            return self.sprintf("CHAP Success message=%PPP_CHAP.data%")
        if self.code == 4:
            return self.sprintf("CHAP Failure message=%PPP_CHAP.data%")
        return ""


class PPP_CHAP_ChallengeResponse(PPP_CHAP):
    """CHAP's Challenge and Response: ``value_size``, ``value``, ``optional_name``."""

    name = "PPP Challenge Handshake Authentication Protocol"

    fields_desc = (
        ByteEnumField("code", 1, _CHAP_CODES),
        XByteField("id", 0),
        FieldLenField("len", None, fmt="!H", length_of="value",
                      adjust=lambda pkt, val: val + len(pkt.optional_name or b"") + 5),
        FieldLenField("value_size", None, fmt="B", length_of="value"),
        XStrLenField("value", b"\x00" * 8, length_from=lambda pkt: pkt.value_size,
                     max_length=255),
        StrLenField("optional_name", b"",
                    length_from=lambda pkt: pkt.len - pkt.value_size - 5),
    )

    def answers(self, other: Any) -> bool:
        """A response answers the challenge of the same id."""
        return bool(isinstance(other, PPP_CHAP_ChallengeResponse) and other.code == 1
                    and self.code == 2 and self.id == other.id)

    def mysummary(self) -> str:
        if self.code == 1:
            return self.sprintf("CHAP challenge=0x%PPP_CHAP_ChallengeResponse.value% "
                                "optional_name=%PPP_CHAP_ChallengeResponse.optional_name%")
        if self.code == 2:
            return self.sprintf("CHAP response=0x%PPP_CHAP_ChallengeResponse.value% "
                                "optional_name=%PPP_CHAP_ChallengeResponse.optional_name%")
        return super().mysummary()


PPP_PAP.__new__ = _by_code(PPP_PAP, {1: PPP_PAP_Request, 2: PPP_PAP_Response,  # type: ignore[method-assign]
                                      3: PPP_PAP_Response})
PPP_CHAP.__new__ = _by_code(PPP_CHAP, {1: PPP_CHAP_ChallengeResponse,  # type: ignore[method-assign]
                                        2: PPP_CHAP_ChallengeResponse})


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.ppp import PPP

    registry.bind_layers(PPP, PPP_CHAP, proto=0xC223)
    registry.bind_layers(PPP, PPP_IPCP, proto=0x8021)
    registry.bind_layers(PPP, PPP_ECP, proto=0x8053)
    registry.bind_layers(PPP, PPP_LCP, proto=0xC021)
    registry.bind_layers(PPP, PPP_PAP, proto=0xC023)
    registry.bind_layers(Ether, PPP_IPCP, type=0x8021)
    registry.bind_layers(Ether, PPP_ECP, type=0x8053)


_register()

