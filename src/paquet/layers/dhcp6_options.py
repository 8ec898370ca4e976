"""DHCPv6 options of RFC 8415 §21 and the DUIDs (§11, RFC 6355), with Scapy's classes.

An option is ``optcode`` (2 bytes), ``optlen`` (2 bytes, computed when None) and its data.
Options follow a DHCPv6 message as its payload, one after the other, each guessing the next
from its first two bytes (an option code paquet has no class for is a
:class:`DHCP6OptUnknown`, kept whole); options inside an option (``ianaopts`` of
:class:`DHCP6OptIA_NA`...) are a list. The options of other RFCs are in
:mod:`paquet.layers.dhcp6_options_ext`, the messages in :mod:`paquet.layers.dhcp6`.

>>> bytes(DHCP6OptClientId(duid=DUID_LL(lladdr="02:00:00:00:00:01"))).hex()
'0001000a00030001020000000001'
>>> ia = DHCP6OptIA_NA(iaid=1, ianaopts=[DHCP6OptIAAddress(addr="2001:db8::5")])
>>> o = DHCP6OptIA_NA(bytes(ia))
>>> o.optlen, o.ianaopts[0].addr
(40, '2001:db8::5')
"""

from __future__ import annotations

from typing import Any

from paquet.layers.ipv6_fields import PacketsShown
from paquet.numbers import IANA_ENTERPRISE_NUMBERS
from paquet.packet.addrfields import MACField
from paquet.packet.base import DISSECTED, Packet, Padding, Raw
from paquet.packet.enumfields import (
    ByteEnumField,
    IntEnumField,
    ShortEnumField,
    XShortEnumField,
)
from paquet.packet.fields import ByteField, Field, IntField, ShortField, XIntField
from paquet.packet.strfields import StrField, StrFixedLenField, StrLenField
from paquet.packet.structfields import FieldLenField, PacketLenField, PacketListField
from paquet.packet.valuefields import IP6Field, UTCTimeField, UUIDField

__all__ = [
    "DUID_EN",
    "DUID_LL",
    "DUID_LLT",
    "DUID_UUID",
    "USER_CLASS_DATA",
    "VENDOR_CLASS_DATA",
    "VENDOR_SPECIFIC_OPTION",
    "DHCP6OptAuth",
    "DHCP6OptClientId",
    "DHCP6OptElapsedTime",
    "DHCP6OptIAAddress",
    "DHCP6OptIA_NA",
    "DHCP6OptIA_TA",
    "DHCP6OptIfaceId",
    "DHCP6OptOptReq",
    "DHCP6OptPref",
    "DHCP6OptRapidCommit",
    "DHCP6OptReconfAccept",
    "DHCP6OptReconfMsg",
    "DHCP6OptServerId",
    "DHCP6OptServerUnicast",
    "DHCP6OptStatusCode",
    "DHCP6OptUnknown",
    "DHCP6OptUserClass",
    "DHCP6OptVendorClass",
    "DHCP6OptVendorSpecificInfo",
    "dhcp6opts",
    "dhcp6opts_by_code",
    "dhcp6statuscodes",
    "duidhwtypes",
    "duidtypes",
]

#: Option code -> the name Scapy shows (IANA's names, RFC 8415 §24 and later RFCs).
dhcp6opts = {
    1: "CLIENTID", 2: "SERVERID", 3: "IA_NA", 4: "IA_TA", 5: "IAADDR", 6: "ORO",
    7: "PREFERENCE", 8: "ELAPSED_TIME", 9: "RELAY_MSG", 11: "AUTH", 12: "UNICAST",
    13: "STATUS_CODE", 14: "RAPID_COMMIT", 15: "USER_CLASS", 16: "VENDOR_CLASS",
    17: "VENDOR_OPTS", 18: "INTERFACE_ID", 19: "RECONF_MSG", 20: "RECONF_ACCEPT",
    21: "SIP Servers Domain Name List", 22: "SIP Servers IPv6 Address List",
    23: "DNS Recursive Name Server Option", 24: "Domain Search List option",
    25: "OPTION_IA_PD", 26: "OPTION_IAPREFIX", 27: "OPTION_NIS_SERVERS",
    28: "OPTION_NISP_SERVERS", 29: "OPTION_NIS_DOMAIN_NAME", 30: "OPTION_NISP_DOMAIN_NAME",
    31: "OPTION_SNTP_SERVERS", 32: "OPTION_INFORMATION_REFRESH_TIME",
    33: "OPTION_BCMCS_SERVER_D", 34: "OPTION_BCMCS_SERVER_A", 36: "OPTION_GEOCONF_CIVIC",
    37: "OPTION_REMOTE_ID", 38: "OPTION_SUBSCRIBER_ID", 39: "OPTION_CLIENT_FQDN",
    40: "OPTION_PANA_AGENT", 41: "OPTION_NEW_POSIX_TIMEZONE", 42: "OPTION_NEW_TZDB_TIMEZONE",
    48: "OPTION_LQ_CLIENT_LINK", 56: "OPTION_NTP_SERVER", 59: "OPT_BOOTFILE_URL",
    60: "OPT_BOOTFILE_PARAM", 61: "OPTION_CLIENT_ARCH_TYPE", 62: "OPTION_NII",
    65: "OPTION_ERP_LOCAL_DOMAIN_NAME", 66: "OPTION_RELAY_SUPPLIED_OPTIONS", 68: "OPTION_VSS",
    79: "OPTION_CLIENT_LINKLAYER_ADDR", 103: "OPTION_CAPTIVE_PORTAL", 112: "OPTION_MUD_URL",
    148: "OPTION_ADDR_REG_ENABLE",
}

#: Option code -> the name of the class that dissects it (Scapy's table; a name paquet has no
#: class for, such as ``DHCP6OptBootFileParam``, is dissected as :class:`DHCP6OptUnknown`).
dhcp6opts_by_code = {
    1: "DHCP6OptClientId", 2: "DHCP6OptServerId", 3: "DHCP6OptIA_NA", 4: "DHCP6OptIA_TA",
    5: "DHCP6OptIAAddress", 6: "DHCP6OptOptReq", 7: "DHCP6OptPref", 8: "DHCP6OptElapsedTime",
    9: "DHCP6OptRelayMsg", 11: "DHCP6OptAuth", 12: "DHCP6OptServerUnicast",
    13: "DHCP6OptStatusCode", 14: "DHCP6OptRapidCommit", 15: "DHCP6OptUserClass",
    16: "DHCP6OptVendorClass", 17: "DHCP6OptVendorSpecificInfo", 18: "DHCP6OptIfaceId",
    19: "DHCP6OptReconfMsg", 20: "DHCP6OptReconfAccept", 21: "DHCP6OptSIPDomains",
    22: "DHCP6OptSIPServers", 23: "DHCP6OptDNSServers", 24: "DHCP6OptDNSDomains",
    25: "DHCP6OptIA_PD", 26: "DHCP6OptIAPrefix", 27: "DHCP6OptNISServers",
    28: "DHCP6OptNISPServers", 29: "DHCP6OptNISDomain", 30: "DHCP6OptNISPDomain",
    31: "DHCP6OptSNTPServers", 32: "DHCP6OptInfoRefreshTime", 33: "DHCP6OptBCMCSDomains",
    34: "DHCP6OptBCMCSServers", 37: "DHCP6OptRemoteID", 38: "DHCP6OptSubscriberID",
    39: "DHCP6OptClientFQDN", 40: "DHCP6OptPanaAuthAgent", 41: "DHCP6OptNewPOSIXTimeZone",
    42: "DHCP6OptNewTZDBTimeZone", 43: "DHCP6OptRelayAgentERO", 48: "DHCP6OptLQClientLink",
    56: "DHCP6OptNTPServer", 59: "DHCP6OptBootFileUrl", 60: "DHCP6OptBootFileParam",
    61: "DHCP6OptClientArchType", 62: "DHCP6OptClientNetworkInterId", 65: "DHCP6OptERPDomain",
    66: "DHCP6OptRelaySuppliedOpt", 68: "DHCP6OptVSS", 79: "DHCP6OptClientLinkLayerAddr",
    103: "DHCP6OptCaptivePortal", 112: "DHCP6OptMudUrl", 148: "DHCP6OptAddrRegEnable",
}

#: DUID types (RFC 8415 §11.1, RFC 6355).
duidtypes = {1: "Link-layer address plus time",
             2: "Vendor-assigned unique ID based on Enterprise Number",
             3: "Link-layer Address", 4: "UUID"}

#: Hardware types of DUIDs (IANA's ARP hardware types, the names Scapy shows).
duidhwtypes = {
    0: "NET/ROM pseudo", 1: "Ethernet (10Mb)", 2: "Experimental Ethernet (3Mb)",
    3: "Amateur Radio AX.25", 4: "Proteon ProNET Token Ring", 5: "Chaos",
    6: "IEEE 802 Networks", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar",
    10: "Autonet Short Address", 11: "LocalTalk", 12: "LocalNet (IBM PCNet or SYTEK LocalNET)",
    13: "Ultra link", 14: "SMDS", 15: "Frame Relay", 16: "Asynchronous Transmission Mode (ATM)",
    17: "HDLC", 18: "Fibre Channel", 19: "Asynchronous Transmission Mode (ATM)",
    20: "Serial Line", 21: "Asynchronous Transmission Mode (ATM)", 22: "MIL-STD-188-220",
    23: "Metricom", 24: "IEEE 1394.1995", 25: "MAPOS", 26: "Twinaxial", 27: "EUI-64",
    28: "HIPARP", 29: "IP and ARP over ISO 7816-3", 30: "ARPSec", 31: "IPsec tunnel",
    32: "InfiniBand (TM)", 33: "TIA-102 Project 25 Common Air Interface (CAI)",
}

#: Status codes (RFC 8415 §21.13; 6 from RFC 3633).
dhcp6statuscodes = {0: "Success", 1: "UnspecFail", 2: "NoAddrsAvail", 3: "NoBinding",
                    4: "NotOnLink", 5: "UseMulticast", 6: "NoPrefixAvail"}

#: Option code -> class, filled by the option modules (what the payload guessing reads).
OPTION_CLASSES: dict[int, type[Packet]] = {}

_INFINITY = {0xFFFFFFFF: "infinity"}
#: January 1st, 2000 (UTC): the epoch of a DUID-LLT's time (RFC 8415 §11.2).
_EPOCH_2000 = (2000, 1, 1, 0, 0, 0, 5, 1, 0)


def option_class(data: bytes, start: int, end: int, fallback: type[Packet]) -> type[Packet]:
    """The class of the option at ``data[start:end]`` by its code (Scapy's guess): Raw when two
    bytes or fewer are left, ``fallback`` for a code with no class."""
    if end - start <= 2:
        return Raw
    return OPTION_CLASSES.get((data[start] << 8) | data[start + 1], fallback)


_PADDING_MADE: list[bool] = []


def padding_class() -> type[Packet]:
    """Padding, as a guess names it for what follows an option (Scapy's idiom). The builder
    appends padding only once it has seen a Padding made by its constructor, which a layer
    chosen by a guess is not: one is made here, the first time."""
    if not _PADDING_MADE:
        Padding()
        _PADDING_MADE.append(True)
    return Padding


def register_options(*classes: type[Packet]) -> None:
    """Make ``classes`` the dissectors of their option codes (the default of ``optcode``)."""
    for cls in classes:
        OPTION_CLASSES[cls.fields_desc[0].default] = cls


# ---------------------------------------------------------------------- DUIDs


class _UTCTimeField(UTCTimeField):
    """Seconds since 2000-01-01 UTC, shown as a date (a DUID-LLT's time)."""

    __slots__ = ()

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, epoch=_EPOCH_2000)


class _LLAddrField(MACField):
    """A link-layer address (Ethernet's, the only kind Scapy reads)."""

    __slots__ = ()


class DUID_LLT(Packet):
    """DUID based on a link-layer address plus time (type 1): ``hwtype``, ``timeval``
    (seconds since 2000-01-01 UTC), ``lladdr``."""

    name = "DUID - Link-layer address plus time"
    fields_desc = (
        ShortEnumField("type", 1, duidtypes),
        XShortEnumField("hwtype", 1, duidhwtypes),
        _UTCTimeField("timeval", 0),
        _LLAddrField("lladdr", "00:00:00:00:00:00"),
    )


class DUID_EN(Packet):
    """DUID assigned by a vendor (type 2): ``enterprisenum`` and an opaque ``id``."""

    name = "DUID - Assigned by Vendor Based on Enterprise Number"
    fields_desc = (
        ShortEnumField("type", 2, duidtypes),
        IntEnumField("enterprisenum", 311, IANA_ENTERPRISE_NUMBERS),
        StrField("id", b""),
    )


class DUID_LL(Packet):
    """DUID based on a link-layer address (type 3): ``hwtype``, ``lladdr``."""

    name = "DUID - Based on Link-layer Address"
    fields_desc = (
        ShortEnumField("type", 3, duidtypes),
        XShortEnumField("hwtype", 1, duidhwtypes),
        _LLAddrField("lladdr", "00:00:00:00:00:00"),
    )


class DUID_UUID(Packet):
    """DUID based on a UUID (type 4, RFC 6355): ``uuid``."""

    name = "DUID - Based on UUID"
    fields_desc = (
        ShortEnumField("type", 4, duidtypes),
        UUIDField("uuid", None, uuid_fmt=UUIDField.FORMAT_BE),
    )


_DUIDS: dict[int, type[Packet]] = {1: DUID_LLT, 2: DUID_EN, 3: DUID_LL, 4: DUID_UUID}


def duid_class(data: bytes) -> Packet:
    """``data`` dissected as the DUID its type names (Raw for 4 bytes or fewer, or an unknown
    type), as Scapy's DUID dispatcher."""
    cls: type[Packet] = Raw
    if len(data) > 4:
        cls = _DUIDS.get((data[0] << 8) | data[1], Raw)
    return cls(data)


class _PacketBytesLenField(PacketLenField):
    """A packet inside an option that may also be given as bytes or text (Scapy's
    ``PacketLenField``: ``duid="toto"`` is written as it is)."""

    __slots__ = ()

    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str):
            return x.encode("utf-8", "surrogateescape")
        return super().any2i(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, str):
            return x.encode("utf-8", "surrogateescape")
        return super().i2m(pkt, x)

    def type_name(self) -> str:
        return "PacketLenField"

    def randval(self) -> Any:
        """Random bytes, dissected as whatever they are (a DUID, another message...)."""
        from paquet.volatile import RandBin, RandNum

        return RandBin(RandNum(0, 24))


class _PacketBytesListField(PacketListField):
    """A list of packets inside an option; items given as bytes or text are written as they
    are (Scapy's ``PacketListField``: ``iaaddropts="somestring"``)."""

    __slots__ = ()

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, str):
            return x.encode("utf-8", "surrogateescape")
        return super().i2m(pkt, x)

    def type_name(self) -> str:
        return "PacketListField"


class _UserClassDataField(_PacketBytesListField):
    """The user classes of a User Class option."""

    __slots__ = ()

    def type_name(self) -> str:
        return type(self).__name__


class _VendorClassDataField(_UserClassDataField):
    """The vendor classes (or options) of a Vendor Class (Vendor-specific) option."""

    __slots__ = ()


# ---------------------------------------------------------------------- the option base


class _DHCP6OptGuessPayload(PacketsShown):
    """A DHCPv6 option (or message): what follows it is the next option, by its code."""

    def _repr_head(self) -> str:
        # Scapy copies a list default into the layer's own fields: ``repr`` shows a default
        # that is not empty (``DHCP6OptOptReq()``'s reqopts) as if it had been set.
        head = super()._repr_head()
        d = self.__dict__
        ex = d["_explicit"]
        if ex is DISSECTED:
            return head
        extra = "".join(f" {f.name}={self._field_repr(f, d[f.name])}" for f in self._fields
                        if type(f.default) is list and f.default and d[f.name]
                        and not (ex and f.name in ex))
        return head[:-2] + extra + " |" if extra else head

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """The next option's class, :class:`DHCP6OptUnknown` for a code with no class."""
        return option_class(data, start, len(data) if end is None else end, DHCP6OptUnknown)


class _DHCP6OptGuessPayloadElt(_DHCP6OptGuessPayload):
    """An option inside an option's list (``ianaopts``...): the class its code names."""

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The option's class by its code (Raw for an unknown code, as Scapy's)."""
        return option_class(data, start, end, Raw)

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _optlen(pkt: Any) -> Any:
    """The length of an option's value: its ``optlen``."""
    return pkt.optlen


def _whole_option(code: int, value: Field) -> tuple[Field, Field, Field]:
    """The header of an option whose value is one field filling the option: ``optcode``
    (``code`` by default) and ``optlen``, the length of ``value`` (whose ``length_from`` is
    :func:`_optlen`); the option's table is these two, then ``value``."""
    return (ShortEnumField("optcode", code, dhcp6opts),
            FieldLenField("optlen", None, length_of=value.name), value)


def _options_list(name: str, adjust: int) -> PacketListField:
    """A list of options inside an option, in ``optlen - adjust`` bytes."""
    return _PacketBytesListField(name, [], _DHCP6OptGuessPayloadElt,
                           length_from=lambda pkt: pkt.optlen - adjust)


class DHCP6OptUnknown(_DHCP6OptGuessPayload):
    """An option paquet has no class for: its code, length and ``data`` kept as they are."""

    name = "Unknown DHCPv6 Option"
    fields_desc = _whole_option(0, StrLenField("data", b"", length_from=_optlen))


class DHCP6OptClientId(_DHCP6OptGuessPayload):
    """Client Identifier (1, RFC 8415 §21.2): the client's ``duid``."""

    name = "DHCP6 Client Identifier Option"
    fields_desc = (
        ShortEnumField("optcode", 1, dhcp6opts),
        FieldLenField("optlen", None, length_of="duid"),
        _PacketBytesLenField("duid", b"", duid_class, length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptServerId(DHCP6OptClientId):
    """Server Identifier (2, §21.3): the server's ``duid``."""

    name = "DHCP6 Server Identifier Option"
    optcode = 2


class DHCP6OptIAAddress(_DHCP6OptGuessPayload):
    """IA Address (5, §21.6), inside an IA_NA or IA_TA: ``addr``, ``preflft``, ``validlft``
    and its own options (``iaaddropts``)."""

    name = "DHCP6 IA Address Option (IA_TA or IA_NA suboption)"
    fields_desc = (
        ShortEnumField("optcode", 5, dhcp6opts),
        FieldLenField("optlen", None, length_of="iaaddropts", adjust=lambda pkt, x: x + 24),
        IP6Field("addr", "::"),
        IntEnumField("preflft", 0, _INFINITY),
        IntEnumField("validlft", 0, _INFINITY),
        _options_list("iaaddropts", 24),
    )

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """What follows an IA Address is padding (Scapy's)."""
        return padding_class()


class DHCP6OptIA_NA(_DHCP6OptGuessPayload):
    """Identity Association for Non-temporary Addresses (3, §21.4): ``iaid``, ``T1``,
    ``T2`` and its options (``ianaopts``: IA Address, Status Code...)."""

    name = "DHCP6 Identity Association for Non-temporary Addresses Option"
    fields_desc = (
        ShortEnumField("optcode", 3, dhcp6opts),
        FieldLenField("optlen", None, length_of="ianaopts", adjust=lambda pkt, x: x + 12),
        XIntField("iaid", None),
        IntField("T1", None),
        IntField("T2", None),
        _options_list("ianaopts", 12),
    )


class DHCP6OptIA_TA(_DHCP6OptGuessPayload):
    """Identity Association for Temporary Addresses (4, §21.5): ``iaid`` and ``iataopts``."""

    name = "DHCP6 Identity Association for Temporary Addresses Option"
    fields_desc = (
        ShortEnumField("optcode", 4, dhcp6opts),
        FieldLenField("optlen", None, length_of="iataopts", adjust=lambda pkt, x: x + 4),
        XIntField("iaid", None),
        _options_list("iataopts", 4),
    )


class _OptReqListField(StrLenField):
    """A list of option codes, two bytes each, shown by their names."""

    __slots__ = ()
    islist = True

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x if x else []

    def i2len(self, pkt: Any, x: Any) -> int:
        return 2 * len(x or [])

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        return "[" + ", ".join(dhcp6opts.get(y, str(y)) for y in self.i2h(pkt, x)) + "]"

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = int(self.length_from(pkt)) if self.length_from is not None else 0
        if n == 0:
            return s, []
        return s[n:], self.m2i(pkt, s[:n])

    def m2i(self, pkt: Any, x: bytes) -> list[int]:
        return [(x[i] << 8) | x[i + 1] for i in range(0, len(x) - 1, 2)]

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return b"".join(int(y).to_bytes(2, "big") for y in x or [])

    def randval(self) -> Any:
        """None to draw: the list's length is ``optlen``'s."""
        raise NotImplementedError("_OptReqListField has no random value")


class DHCP6OptOptReq(_DHCP6OptGuessPayload):
    """Option Request (6, §21.7): the codes of the options the client asks for
    (``reqopts``, DNS servers and domains by default)."""

    name = "DHCP6 Option Request Option"
    fields_desc = (
        ShortEnumField("optcode", 6, dhcp6opts),
        FieldLenField("optlen", None, length_of="reqopts"),
        _OptReqListField("reqopts", [23, 24], length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptPref(_DHCP6OptGuessPayload):
    """Preference (7, §21.8): ``prefval``, 255 makes a client take this server at once."""

    name = "DHCP6 Preference Option"
    fields_desc = (
        ShortEnumField("optcode", 7, dhcp6opts),
        ShortField("optlen", 1),
        ByteField("prefval", 255),
    )


class _ElapsedTimeField(ShortField):
    """Hundredths of a second, shown in seconds (0xffff: infinity)."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if x == 0xFFFF:
            return "infinity (0xffff)"
        if not isinstance(x, int):
            return repr(x)
        return f"{x / 100.0:.2f} sec"


class DHCP6OptElapsedTime(_DHCP6OptGuessPayload):
    """Elapsed Time (8, §21.9): ``elapsedtime`` since the exchange began, in 1/100 s."""

    name = "DHCP6 Elapsed Time Option"
    fields_desc = (
        ShortEnumField("optcode", 8, dhcp6opts),
        ShortField("optlen", 2),
        _ElapsedTimeField("elapsedtime", 0),
    )


_AUTH_PROTOCOLS = {0: "configuration token", 1: "delayed authentication",
                   2: "delayed authentication (obsolete)", 3: "reconfigure key"}
_AUTH_ALGORITHMS = {0: "configuration token", 1: "HMAC-MD5"}
_AUTH_RDM = {0: "use of a monotonically increasing value"}


class DHCP6OptAuth(_DHCP6OptGuessPayload):
    """Authentication (11, §21.11): ``proto``, ``alg``, ``rdm``, ``replay`` (8 bytes) and
    ``authinfo``."""

    name = "DHCP6 Option - Authentication"
    fields_desc = (
        ShortEnumField("optcode", 11, dhcp6opts),
        FieldLenField("optlen", None, length_of="authinfo", adjust=lambda pkt, x: x + 11),
        ByteEnumField("proto", 3, _AUTH_PROTOCOLS),
        ByteEnumField("alg", 1, _AUTH_ALGORITHMS),
        ByteEnumField("rdm", 0, _AUTH_RDM),
        StrFixedLenField("replay", b"\x00" * 8, 8),
        StrLenField("authinfo", b"", length_from=lambda pkt: pkt.optlen - 11),
    )


class _SrvAddrField(IP6Field):
    """An IPv6 address whose None is ``::``."""

    __slots__ = ()

    def i2h(self, pkt: Any, x: Any) -> Any:
        return "::" if x is None else x

    def i2m(self, pkt: Any, x: Any) -> Any:
        return super().i2m(pkt, "::" if x is None else x)


class DHCP6OptServerUnicast(_DHCP6OptGuessPayload):
    """Server Unicast (12, §21.12): ``srvaddr``, where the client may send to the server."""

    name = "DHCP6 Server Unicast Option"
    fields_desc = (
        ShortEnumField("optcode", 12, dhcp6opts),
        ShortField("optlen", 16),
        _SrvAddrField("srvaddr", None),
    )


class DHCP6OptStatusCode(_DHCP6OptGuessPayload):
    """Status Code (13, §21.13): ``statuscode`` and a ``statusmsg`` for people."""

    name = "DHCP6 Status Code Option"
    fields_desc = (
        ShortEnumField("optcode", 13, dhcp6opts),
        FieldLenField("optlen", None, length_of="statusmsg", adjust=lambda pkt, x: x + 2),
        ShortEnumField("statuscode", None, dhcp6statuscodes),
        StrLenField("statusmsg", b"", length_from=lambda pkt: pkt.optlen - 2),
    )


class DHCP6OptRapidCommit(_DHCP6OptGuessPayload):
    """Rapid Commit (14, §21.14): a Solicit answered by a Reply at once. No data."""

    name = "DHCP6 Rapid Commit Option"
    fields_desc = (
        ShortEnumField("optcode", 14, dhcp6opts),
        ShortField("optlen", 0),
    )


class USER_CLASS_DATA(Packet):
    """One opaque user class: ``len`` then ``data``."""

    name = "user class data"
    fields_desc = (
        FieldLenField("len", None, length_of="data"),
        StrLenField("data", b"", length_from=lambda pkt: pkt.len),
    )

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """What follows is the next item of the list (padding here)."""
        return padding_class()


class VENDOR_CLASS_DATA(USER_CLASS_DATA):
    """One opaque vendor class: ``len`` then ``data``."""

    name = "vendor class data"


class DHCP6OptUserClass(_DHCP6OptGuessPayload):
    """User Class (15, §21.15): ``userclassdata``, a list of :class:`USER_CLASS_DATA`."""

    name = "DHCP6 User Class Option"
    fields_desc = (
        ShortEnumField("optcode", 15, dhcp6opts),
        FieldLenField("optlen", None, length_of="userclassdata"),
        _UserClassDataField("userclassdata", [], USER_CLASS_DATA,
                        length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptVendorClass(_DHCP6OptGuessPayload):
    """Vendor Class (16, §21.16): ``enterprisenum`` and ``vcdata``, a list of
    :class:`VENDOR_CLASS_DATA`."""

    name = "DHCP6 Vendor Class Option"
    fields_desc = (
        ShortEnumField("optcode", 16, dhcp6opts),
        FieldLenField("optlen", None, length_of="vcdata", adjust=lambda pkt, x: x + 4),
        IntEnumField("enterprisenum", None, IANA_ENTERPRISE_NUMBERS),
        _VendorClassDataField("vcdata", [], VENDOR_CLASS_DATA,
                        length_from=lambda pkt: pkt.optlen - 4),
    )


class VENDOR_SPECIFIC_OPTION(_DHCP6OptGuessPayload):
    """One vendor option inside a Vendor-specific Information option: ``optcode``,
    ``optlen``, ``optdata``."""

    name = "vendor specific option data"
    fields_desc = (
        ShortField("optcode", None),
        FieldLenField("optlen", None, length_of="optdata"),
        StrLenField("optdata", b"", length_from=lambda pkt: pkt.optlen),
    )

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """What follows is the next item of the list (padding here)."""
        return padding_class()


class DHCP6OptVendorSpecificInfo(_DHCP6OptGuessPayload):
    """Vendor-specific Information (17, §21.17): ``enterprisenum`` and ``vso``, a list of
    :class:`VENDOR_SPECIFIC_OPTION`."""

    name = "DHCP6 Vendor-specific Information Option"
    fields_desc = (
        ShortEnumField("optcode", 17, dhcp6opts),
        FieldLenField("optlen", None, length_of="vso", adjust=lambda pkt, x: x + 4),
        IntEnumField("enterprisenum", None, IANA_ENTERPRISE_NUMBERS),
        _VendorClassDataField("vso", [], VENDOR_SPECIFIC_OPTION,
                        length_from=lambda pkt: pkt.optlen - 4),
    )


class DHCP6OptIfaceId(_DHCP6OptGuessPayload):
    """Interface-Id (18, §21.18): ``ifaceid``, the relay's opaque name of the link."""

    name = "DHCP6 Interface-Id Option"
    fields_desc = _whole_option(18, StrLenField("ifaceid", b"", length_from=_optlen))


class DHCP6OptReconfMsg(_DHCP6OptGuessPayload):
    """Reconfigure Message (19, §21.19): ``msgtype``, the message the client answers with."""

    name = "DHCP6 Reconfigure Message Option"
    fields_desc = (
        ShortEnumField("optcode", 19, dhcp6opts),
        ShortField("optlen", 1),
        ByteEnumField("msgtype", 11, {5: "Renew Message", 11: "Information Request"}),
    )


class DHCP6OptReconfAccept(_DHCP6OptGuessPayload):
    """Reconfigure Accept (20, §21.20): the client accepts Reconfigure messages. No data."""

    name = "DHCP6 Reconfigure Accept Option"
    fields_desc = (
        ShortEnumField("optcode", 20, dhcp6opts),
        ShortField("optlen", 0),
    )


register_options(
    DHCP6OptClientId, DHCP6OptServerId, DHCP6OptIA_NA, DHCP6OptIA_TA, DHCP6OptIAAddress,
    DHCP6OptOptReq, DHCP6OptPref, DHCP6OptElapsedTime, DHCP6OptAuth, DHCP6OptServerUnicast,
    DHCP6OptStatusCode, DHCP6OptRapidCommit, DHCP6OptUserClass, DHCP6OptVendorClass,
    DHCP6OptVendorSpecificInfo, DHCP6OptIfaceId, DHCP6OptReconfMsg, DHCP6OptReconfAccept,
)
