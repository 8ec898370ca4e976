"""DHCPv6 options of the RFCs after RFC 3315, with Scapy's classes: servers and domains (DNS,
SIP, NIS, SNTP, BCMCS), prefix delegation (IA_PD, IA Prefix), relay agent options, client
FQDN, NTP server, boot and architecture options, captive portal, MUD URL.

Names are DNS names in wire form (RFC 1035 §3.1, uncompressed): one name is read as text
ending with a dot (``b"example.org."``), a list of names as a list of texts.

>>> bytes(DHCP6OptDNSServers(dnsservers=["2001:db8::53"])).hex()
'0017001020010db8000000000000000000000053'
>>> DHCP6OptDNSDomains(bytes(DHCP6OptDNSDomains(dnsdomains=["example.org"]))).dnsdomains
['example.org.']
>>> DHCP6OptClientFQDN(bytes(DHCP6OptClientFQDN(flags="S", fqdn="host.example"))).fqdn
b'host.example.'
"""

from __future__ import annotations

from typing import Any

from paquet.layers.dhcp6_options import (
    _DHCP6OptGuessPayload,
    _LLAddrField,
    _options_list,
    _optlen,
    _OptReqListField,
    _PacketBytesListField,
    _whole_option,
    dhcp6opts,
    padding_class,
    register_options,
)
from paquet.layers.ipv6_fields import DomainNameListField, IP6ListField
from paquet.numbers import IANA_ENTERPRISE_NUMBERS
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, IntEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, FieldError, IntField, ShortField, XIntField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import FieldLenField, FieldListField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "IRT_DEFAULT",
    "IRT_MINIMUM",
    "DHCP6NTPSubOptMCAddr",
    "DHCP6NTPSubOptSrvAddr",
    "DHCP6NTPSubOptSrvFQDN",
    "DHCP6OptAddrRegEnable",
    "DHCP6OptBCMCSDomains",
    "DHCP6OptBCMCSServers",
    "DHCP6OptBootFileUrl",
    "DHCP6OptCaptivePortal",
    "DHCP6OptClientArchType",
    "DHCP6OptClientFQDN",
    "DHCP6OptClientLinkLayerAddr",
    "DHCP6OptClientNetworkInterId",
    "DHCP6OptDNSDomains",
    "DHCP6OptDNSServers",
    "DHCP6OptERPDomain",
    "DHCP6OptGeoConf",
    "DHCP6OptGeoConfElement",
    "DHCP6OptIAPrefix",
    "DHCP6OptIA_PD",
    "DHCP6OptInfoRefreshTime",
    "DHCP6OptLQClientLink",
    "DHCP6OptMudUrl",
    "DHCP6OptNISDomain",
    "DHCP6OptNISPDomain",
    "DHCP6OptNISPServers",
    "DHCP6OptNISServers",
    "DHCP6OptNTPServer",
    "DHCP6OptNewPOSIXTimeZone",
    "DHCP6OptNewTZDBTimeZone",
    "DHCP6OptPanaAuthAgent",
    "DHCP6OptRelayAgentERO",
    "DHCP6OptRelaySuppliedOpt",
    "DHCP6OptRemoteID",
    "DHCP6OptSIPDomains",
    "DHCP6OptSIPServers",
    "DHCP6OptSNTPServers",
    "DHCP6OptSubscriberID",
    "DHCP6OptVSS",
]

#: The default and least information refresh times (RFC 8415 §21.23), in seconds.
IRT_DEFAULT = 86400
IRT_MINIMUM = 600


def _looks_encoded(x: bytes) -> bool:
    """Bytes already in wire form: ended by the root label or by a compression pointer."""
    return bool(x) and (x[-1] == 0 or (len(x) >= 2 and x[-2] & 0xC0 == 0xC0))


def _encode_name(x: bytes) -> bytes:
    """A DNS name in wire form (labels cut at 63 bytes); wire bytes are kept as they are."""
    if not x or x == b".":
        return b"\x00"
    if _looks_encoded(x):
        return x
    out = b"".join(bytes([len(label[:63])]) + label[:63] for label in x.split(b"."))
    return out if out.endswith(b"\x00") else out + b"\x00"


def _decode_name(s: bytes) -> tuple[bytes, bytes]:
    """The name at the start of ``s`` (``b"."`` for the root) and the bytes after it; a name
    cut short ends where the bytes end. A compression pointer has nothing to point into in
    an option: FieldError."""
    name = b""
    i = 0
    while i < len(s):
        c = s[i]
        i += 1
        if c & 0xC0:
            if i >= len(s):  # half a pointer: taken, nothing to follow
                i += 1
                break
            raise FieldError("a compressed DNS name outside a DNS message")
        if c == 0:
            break
        name += s[i:i + c] + b"."
        i += c
    return name or b".", s[i:]


class _DNSStrField(StrLenField):
    """One DNS name in ``length_from(pkt)`` bytes (Scapy's ``DNSStrField``): text ending with
    a dot, written in wire form; what the name leaves of its bytes is read by what follows."""

    __slots__ = ()

    def __init__(self, name: str, default: Any, length_from: Any = None) -> None:
        super().__init__(name, default, length_from=length_from)
        self.default = self.h2i(None, default)

    def h2i(self, pkt: Any, x: Any) -> Any:
        if not x:
            return b"."
        if isinstance(x, str):
            x = x.encode("utf-8", "surrogateescape")
        if not isinstance(x, bytes):
            return x
        if x[-1:] != b"." and not _looks_encoded(x):
            return x + b"."
        return x

    def any2i(self, pkt: Any, x: Any) -> Any:
        if x and isinstance(x, list):
            return [self.h2i(pkt, y) for y in x]
        return self.h2i(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, str):
            x = x.encode("utf-8", "surrogateescape")
        return _encode_name(bytes(x or b""))

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def type_name(self) -> str:
        return "DNSStrField"

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        rest = b""
        if self.length_from is not None:
            n = int(self.length_from(pkt))
            if n:
                s, rest = s[:n], s[n:]
            else:
                s, rest = b"", s
        name, left = _decode_name(s)
        return left + rest, name


class DHCP6OptSIPDomains(_DHCP6OptGuessPayload):
    """SIP Servers Domain Name List (21, RFC 3319): ``sipdomains``."""

    name = "DHCP6 Option - SIP Servers Domain Name List"
    fields_desc = _whole_option(21, DomainNameListField("sipdomains", [], length_from=_optlen))


class DHCP6OptSIPServers(_DHCP6OptGuessPayload):
    """SIP Servers IPv6 Address List (22, RFC 3319): ``sipservers``."""

    name = "DHCP6 Option - SIP Servers IPv6 Address List"
    fields_desc = _whole_option(22, IP6ListField("sipservers", [], length_from=_optlen))


class DHCP6OptDNSServers(_DHCP6OptGuessPayload):
    """DNS Recursive Name Server (23, RFC 3646): ``dnsservers``."""

    name = "DHCP6 Option - DNS Recursive Name Server"
    fields_desc = _whole_option(23, IP6ListField("dnsservers", [], length_from=_optlen))


class DHCP6OptDNSDomains(_DHCP6OptGuessPayload):
    """Domain Search List (24, RFC 3646): ``dnsdomains``."""

    name = "DHCP6 Option - Domain Search List option"
    fields_desc = _whole_option(24, DomainNameListField("dnsdomains", [], length_from=_optlen))


class DHCP6OptIAPrefix(_DHCP6OptGuessPayload):
    """IA Prefix (26, RFC 8415 §21.22), inside an IA_PD: ``preflft``, ``validlft``,
    ``plen``, ``prefix`` and its own options (``iaprefopts``)."""

    name = "DHCP6 Option - IA Prefix option"
    fields_desc = (
        ShortEnumField("optcode", 26, dhcp6opts),
        FieldLenField("optlen", None, length_of="iaprefopts", adjust=lambda pkt, x: x + 25),
        IntEnumField("preflft", 0, {0xFFFFFFFF: "infinity"}),
        IntEnumField("validlft", 0, {0xFFFFFFFF: "infinity"}),
        ByteField("plen", 48),
        IP6Field("prefix", "2001:db8::"),
        _options_list("iaprefopts", 25),
    )

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """What follows an IA Prefix is padding (Scapy's)."""
        return padding_class()


class DHCP6OptIA_PD(_DHCP6OptGuessPayload):
    """Identity Association for Prefix Delegation (25, RFC 8415 §21.21): ``iaid``, ``T1``,
    ``T2`` and its options (``iapdopt``: IA Prefix...)."""

    name = "DHCP6 Option - Identity Association for Prefix Delegation"
    fields_desc = (
        ShortEnumField("optcode", 25, dhcp6opts),
        FieldLenField("optlen", None, length_of="iapdopt", adjust=lambda pkt, x: x + 12),
        XIntField("iaid", None),
        IntField("T1", None),
        IntField("T2", None),
        _options_list("iapdopt", 12),
    )


def _servers(code: int, field: str) -> tuple[Any, ...]:
    """The fields of an option that is a list of IPv6 addresses."""
    return (ShortEnumField("optcode", code, dhcp6opts),
            FieldLenField("optlen", None, length_of=field),
            IP6ListField(field, [], length_from=lambda pkt: pkt.optlen))


class DHCP6OptNISServers(_DHCP6OptGuessPayload):
    """NIS Servers (27, RFC 3898): ``nisservers``."""

    name = "DHCP6 Option - NIS Servers"
    fields_desc = _servers(27, "nisservers")


class DHCP6OptNISPServers(_DHCP6OptGuessPayload):
    """NIS+ Servers (28, RFC 3898): ``nispservers``."""

    name = "DHCP6 Option - NIS+ Servers"
    fields_desc = _servers(28, "nispservers")


class DHCP6OptNISDomain(_DHCP6OptGuessPayload):
    """NIS Domain Name (29, RFC 3898): ``nisdomain``."""

    name = "DHCP6 Option - NIS Domain Name"
    fields_desc = _whole_option(29, _DNSStrField("nisdomain", "", length_from=_optlen))


class DHCP6OptNISPDomain(_DHCP6OptGuessPayload):
    """NIS+ Domain Name (30, RFC 3898): ``nispdomain``."""

    name = "DHCP6 Option - NIS+ Domain Name"
    fields_desc = _whole_option(30, _DNSStrField("nispdomain", "", length_from=_optlen))


class DHCP6OptSNTPServers(_DHCP6OptGuessPayload):
    """SNTP Servers (31, RFC 4075): ``sntpservers``."""

    name = "DHCP6 option - SNTP Servers"
    fields_desc = _servers(31, "sntpservers")


class DHCP6OptInfoRefreshTime(_DHCP6OptGuessPayload):
    """Information Refresh Time (32, RFC 8415 §21.23): ``reftime`` in seconds (a day)."""

    name = "DHCP6 Option - Information Refresh Time"
    fields_desc = (
        ShortEnumField("optcode", 32, dhcp6opts),
        ShortField("optlen", 4),
        IntField("reftime", IRT_DEFAULT),
    )


class DHCP6OptBCMCSDomains(_DHCP6OptGuessPayload):
    """BCMCS Controller Domain Name List (33, RFC 4280): ``bcmcsdomains``."""

    name = "DHCP6 Option - BCMCS Domain Name List"
    fields_desc = _whole_option(33, DomainNameListField("bcmcsdomains", [], length_from=_optlen))


class DHCP6OptBCMCSServers(_DHCP6OptGuessPayload):
    """BCMCS Controller IPv6 Addresses (34, RFC 4280): ``bcmcsservers``."""

    name = "DHCP6 Option - BCMCS Addresses List"
    fields_desc = _servers(34, "bcmcsservers")


class DHCP6OptGeoConfElement(Packet):
    """One civic address element of a GeoConf option: ``CAtype``, ``CAlength``, ``CAvalue``
    (the length on two bytes, as Scapy writes it)."""

    name = "DHCP6OptGeoConfElement"
    fields_desc = (
        ByteField("CAtype", 0),
        FieldLenField("CAlength", None, length_of="CAvalue"),
        StrLenField("CAvalue", b"", length_from=lambda pkt: pkt.CAlength),
    )


class DHCP6OptGeoConf(_DHCP6OptGuessPayload):
    """Civic location (36, RFC 4776): ``what`` it locates, ``country_code`` and
    ``ca_elts``. Not dissected from a message (Scapy does not either)."""

    name = "DHCP6 Option - Civic Location"
    fields_desc = (
        ShortEnumField("optcode", 36, dhcp6opts),
        FieldLenField("optlen", None, length_of="ca_elts", adjust=lambda pkt, x: x + 3),
        ByteEnumField("what", 2, {0: "DHCP server", 1: "closest network element",
                                  2: "client"}),
        StrFixedLenField("country_code", b"FR", 2),
        _PacketBytesListField("ca_elts", [], DHCP6OptGeoConfElement,
                        length_from=lambda pkt: pkt.optlen - 3),
    )


class DHCP6OptRemoteID(_DHCP6OptGuessPayload):
    """Relay Agent Remote-ID (37, RFC 4649): ``enterprisenum`` and ``remoteid``."""

    name = "DHCP6 Option - Relay Agent Remote-ID"
    fields_desc = (
        ShortEnumField("optcode", 37, dhcp6opts),
        FieldLenField("optlen", None, length_of="remoteid", adjust=lambda pkt, x: x + 4),
        IntEnumField("enterprisenum", None, IANA_ENTERPRISE_NUMBERS),
        StrLenField("remoteid", b"", length_from=lambda pkt: pkt.optlen - 4),
    )


class DHCP6OptSubscriberID(_DHCP6OptGuessPayload):
    """Relay Agent Subscriber-ID (38, RFC 4580): ``subscriberid``."""

    name = "DHCP6 Option - Subscriber ID"
    fields_desc = _whole_option(38, StrLenField("subscriberid", b"", length_from=_optlen))


class DHCP6OptClientFQDN(_DHCP6OptGuessPayload):
    """Client FQDN (39, RFC 4704): ``flags`` S, O, N and the client's ``fqdn``."""

    name = "DHCP6 Option - Client FQDN"
    fields_desc = (
        ShortEnumField("optcode", 39, dhcp6opts),
        FieldLenField("optlen", None, length_of="fqdn", adjust=lambda pkt, x: x + 1),
        BitField("res", 0, 5),
        FlagsField("flags", 0, 3, "SON"),
        _DNSStrField("fqdn", "", length_from=lambda pkt: pkt.optlen - 1),
    )


class DHCP6OptPanaAuthAgent(_DHCP6OptGuessPayload):
    """PANA Authentication Agent (40, RFC 5192): ``paaaddr``."""

    name = "DHCP6 PANA Authentication Agent Option"
    fields_desc = _servers(40, "paaaddr")


class DHCP6OptNewPOSIXTimeZone(_DHCP6OptGuessPayload):
    """POSIX timezone (41, RFC 4833): ``optdata``, a TZ string."""

    name = "DHCP6 POSIX Timezone Option"
    fields_desc = _whole_option(41, StrLenField("optdata", b"", length_from=_optlen))


class DHCP6OptNewTZDBTimeZone(_DHCP6OptGuessPayload):
    """TZ database timezone (42, RFC 4833): ``optdata``, a name such as ``Europe/Paris``."""

    name = "DHCP6 TZDB Timezone Option"
    fields_desc = _whole_option(42, StrLenField("optdata", b"", length_from=_optlen))


class DHCP6OptRelayAgentERO(_DHCP6OptGuessPayload):
    """Relay Agent Echo Request (43, RFC 4994): the codes of the options to echo
    (``reqopts``)."""

    name = "DHCP6 Option - RelayRequest Option"
    fields_desc = (
        ShortEnumField("optcode", 43, dhcp6opts),
        FieldLenField("optlen", None, length_of="reqopts"),
        _OptReqListField("reqopts", [23, 24], length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptLQClientLink(_DHCP6OptGuessPayload):
    """Client Link (48, RFC 5007): ``linkaddress``."""

    name = "DHCP6 Client Link Option"
    fields_desc = _servers(48, "linkaddress")


class _NTPSubOpt(Packet):
    """A suboption of the NTP Server option: no payload of its own."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class DHCP6NTPSubOptSrvAddr(_NTPSubOpt):
    """NTP server address suboption (1, RFC 5908 §4.1): ``addr``."""

    name = "DHCP6 NTP Server Address Suboption"
    fields_desc = (ShortField("optcode", 1), ShortField("optlen", 16), IP6Field("addr", "::"))


class DHCP6NTPSubOptMCAddr(_NTPSubOpt):
    """NTP multicast address suboption (2, RFC 5908 §4.2): ``addr``."""

    name = "DHCP6 NTP Multicast Address Suboption"
    fields_desc = (ShortField("optcode", 2), ShortField("optlen", 16), IP6Field("addr", "::"))


class DHCP6NTPSubOptSrvFQDN(_NTPSubOpt):
    """NTP server FQDN suboption (3, RFC 5908 §4.3): ``fqdn``."""

    name = "DHCP6 NTP Server FQDN Suboption"
    fields_desc = (
        ShortField("optcode", 3),
        FieldLenField("optlen", None, length_of="fqdn"),
        _DNSStrField("fqdn", "", length_from=lambda pkt: pkt.optlen),
    )


_NTP_SUBOPTIONS: dict[int, type[Packet]] = {
    1: DHCP6NTPSubOptSrvAddr, 2: DHCP6NTPSubOptMCAddr, 3: DHCP6NTPSubOptSrvFQDN}


class _NTPSubOptDispatch(_NTPSubOpt):
    """A suboption of the NTP Server option, dissected as the class its code names."""

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The suboption's class (Raw for fewer than 2 bytes or an unknown code)."""
        if end - start < 2:
            return Raw
        return _NTP_SUBOPTIONS.get((data[start] << 8) | data[start + 1], Raw)


class _NTPSubOptListField(_PacketBytesListField):
    """The suboptions of an NTP Server option."""

    __slots__ = ()

    def type_name(self) -> str:
        return "PacketListField"

    def randval(self) -> Any:
        """A fuzzed server address suboption."""
        from paquet.volatile.fuzzing import fuzz

        return fuzz(DHCP6NTPSubOptSrvAddr())


class DHCP6OptNTPServer(_DHCP6OptGuessPayload):
    """NTP Server (56, RFC 5908): ``ntpserver``, a list of address, multicast address and
    FQDN suboptions."""

    name = "DHCP6 NTP Server Option"
    fields_desc = (
        ShortEnumField("optcode", 56, dhcp6opts),
        FieldLenField("optlen", None, length_of="ntpserver"),
        _NTPSubOptListField("ntpserver", [], _NTPSubOptDispatch,
                            length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptBootFileUrl(_DHCP6OptGuessPayload):
    """Boot File URL (59, RFC 5970): ``optdata``."""

    name = "DHCP6 Boot File URL Option"
    fields_desc = _whole_option(59, StrLenField("optdata", b"", length_from=_optlen))


class DHCP6OptClientArchType(_DHCP6OptGuessPayload):
    """Client System Architecture Type (61, RFC 5970): ``archtypes``, two bytes each."""

    name = "DHCP6 Client System Architecture Type Option"
    fields_desc = (
        ShortEnumField("optcode", 61, dhcp6opts),
        FieldLenField("optlen", None, length_of="archtypes"),
        FieldListField("archtypes", [], ShortField("archtype", 0),
                       length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptClientNetworkInterId(_DHCP6OptGuessPayload):
    """Client Network Interface Identifier (62, RFC 5970): ``iitype``, ``iimajor``,
    ``iiminor``."""

    name = "DHCP6 Client Network Interface Identifier Option"
    fields_desc = (
        ShortEnumField("optcode", 62, dhcp6opts),
        ShortField("optlen", 3),
        ByteField("iitype", 0),
        ByteField("iimajor", 0),
        ByteField("iiminor", 0),
    )


class DHCP6OptERPDomain(_DHCP6OptGuessPayload):
    """ERP Local Domain Name (65, RFC 6440): ``erpdomain``."""

    name = "DHCP6 Option - ERP Domain Name List"
    fields_desc = _whole_option(65, DomainNameListField("erpdomain", [], length_from=_optlen))


class DHCP6OptRelaySuppliedOpt(_DHCP6OptGuessPayload):
    """Relay-Supplied Options (66, RFC 6422): ``relaysupplied``, options."""

    name = "DHCP6 Relay-Supplied Options Option"
    fields_desc = (
        ShortEnumField("optcode", 66, dhcp6opts),
        FieldLenField("optlen", None, length_of="relaysupplied"),
        _options_list("relaysupplied", 0),
    )


class DHCP6OptVSS(_DHCP6OptGuessPayload):
    """Virtual Subnet Selection (68, RFC 6607): ``type`` and ``data``.

    The data is ``optlen - 1`` bytes, as RFC 6607 and tshark read it (Scapy reads ``optlen``
    bytes, one past the option)."""

    name = "DHCP6 Option - Virtual Subnet Selection"
    fields_desc = (
        ShortEnumField("optcode", 68, dhcp6opts),
        FieldLenField("optlen", None, length_of="data", adjust=lambda pkt, x: x + 1),
        ByteField("type", 255),
        StrLenField("data", b"", length_from=lambda pkt: pkt.optlen - 1),
    )


class DHCP6OptClientLinkLayerAddr(_DHCP6OptGuessPayload):
    """Client Link-Layer Address (79, RFC 6939): ``lltype`` and ``clladdr``."""

    name = "DHCP6 Option - Client Link Layer address"
    fields_desc = (
        ShortEnumField("optcode", 79, dhcp6opts),
        FieldLenField("optlen", None, length_of="clladdr", adjust=lambda pkt, x: x + 2),
        ShortField("lltype", 1),
        _LLAddrField("clladdr", "00:00:00:00:00:00"),
    )


class DHCP6OptCaptivePortal(_DHCP6OptGuessPayload):
    """Captive-Portal (103, RFC 8910): the portal's ``URI``."""

    name = "DHCP6 Option - Captive-Portal"
    fields_desc = (
        ShortEnumField("optcode", 103, dhcp6opts),
        FieldLenField("optlen", None, length_of="URI"),
        StrLenField("URI", b"", length_from=lambda pkt: pkt.optlen),
    )


class DHCP6OptMudUrl(_DHCP6OptGuessPayload):
    """MUD URL (112, RFC 8520): ``mudstring``."""

    name = "DHCP6 Option - MUD URL"
    fields_desc = (
        ShortEnumField("optcode", 112, dhcp6opts),
        FieldLenField("optlen", None, length_of="mudstring"),
        StrLenField("mudstring", b"", length_from=lambda pkt: pkt.optlen, max_length=253),
    )


class DHCP6OptAddrRegEnable(_DHCP6OptGuessPayload):
    """Address Registration (148, RFC 9686): the server takes address registrations."""

    name = "DHCP6 Address Registration Option"
    fields_desc = (
        ShortEnumField("optcode", 148, dhcp6opts),
        ShortField("optlen", 0),
    )


register_options(
    DHCP6OptSIPDomains, DHCP6OptSIPServers, DHCP6OptDNSServers, DHCP6OptDNSDomains,
    DHCP6OptIA_PD, DHCP6OptIAPrefix, DHCP6OptNISServers, DHCP6OptNISPServers,
    DHCP6OptNISDomain, DHCP6OptNISPDomain, DHCP6OptSNTPServers, DHCP6OptInfoRefreshTime,
    DHCP6OptBCMCSDomains, DHCP6OptBCMCSServers, DHCP6OptRemoteID, DHCP6OptSubscriberID,
    DHCP6OptClientFQDN, DHCP6OptPanaAuthAgent, DHCP6OptNewPOSIXTimeZone,
    DHCP6OptNewTZDBTimeZone, DHCP6OptRelayAgentERO, DHCP6OptLQClientLink, DHCP6OptNTPServer,
    DHCP6OptBootFileUrl, DHCP6OptClientArchType, DHCP6OptClientNetworkInterId,
    DHCP6OptERPDomain, DHCP6OptRelaySuppliedOpt, DHCP6OptVSS, DHCP6OptClientLinkLayerAddr,
    DHCP6OptCaptivePortal, DHCP6OptMudUrl, DHCP6OptAddrRegEnable,
)
