"""The typed DNS resource records, with Scapy's classes and fields: SOA, HINFO, MX (RFC 1035),
SRV (RFC 2782), NAPTR (RFC 2915), OPT (EDNS0, RFC 6891), DS, RRSIG, NSEC, DNSKEY (RFC 4034),
NSEC3, NSEC3PARAM (RFC 5155), SVCB and HTTPS (RFC 9460), TSIG (RFC 2845), DLV (RFC 4431).

Each starts as every record does (``rrname``, ``type``, ``rclass``, ``ttl``, ``rdlen``,
``rdlen`` computed when None) and lays its data out in fields. :data:`DNSRR_DISPATCHER` names
the class of each type; the others are :class:`~paquet.layers.dns.DNSRR`.

>>> bytes(DNSRRMX(rrname="example.com", preference=10, exchange="mx.example.com")).hex()
'076578616d706c6503636f6d00000f0001000000000012000a026d78076578616d706c6503636f6d00'
"""

from __future__ import annotations

import struct
import time
from typing import Any

from paquet.layers.dns_edns0 import EDNS0TLV
from paquet.layers.dns_fields import (
    DNSStrField,
    DNSTextField,
    RRlistField,
    _Cached,
    dnsclasses,
    dnssecalgotypes,
    dnssecdigesttypes,
    dnstypes,
    in_order,
)
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet, Padding
from paquet.packet.enumfields import BitEnumField, ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField, ShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrField, StrLenField
from paquet.packet.structfields import (
    FieldLenField,
    FieldListField,
    MultipleTypeField,
    PacketListField,
)
from paquet.packet.valuefields import IP6Field, UTCTimeField

__all__ = [
    "DNSRRDLV",
    "DNSRRDNSKEY",
    "DNSRRDS",
    "DNSRRHINFO",
    "DNSRRHTTPS",
    "DNSRRMX",
    "DNSRRNAPTR",
    "DNSRRNSEC",
    "DNSRRNSEC3",
    "DNSRRNSEC3PARAM",
    "DNSRROPT",
    "DNSRRRSIG",
    "DNSRRSOA",
    "DNSRRSRV",
    "DNSRRSVCB",
    "DNSRRTSIG",
    "DNSRR_DISPATCHER",
    "SvcParam",
    "TimeSignedField",
    "svc_param_keys",
]


class DNSRROPT(_Cached, Packet):
    """The OPT pseudo-record of EDNS0 (RFC 6891): the UDP payload size in ``rclass``, the
    extended rcode, version and DO flag in the TTL's place, options in ``rdata``."""

    name = "DNS OPT Resource Record"
    fields_desc = (
        DNSStrField("rrname", b""),
        ShortEnumField("type", 41, dnstypes),
        ShortEnumField("rclass", 4096, dnsclasses),
        ByteField("extrcode", 0),
        ByteField("version", 0),
        BitEnumField("z", 32768, 16, {32768: "D0"}),
        FieldLenField("rdlen", None, length_of="rdata", fmt="H"),
        PacketListField("rdata", [], EDNS0TLV, length_from=lambda pkt: pkt.rdlen),
    )

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        return Padding


class _DNSRRdummy(_Cached, Packet):
    """A typed record: ``rdlen`` counts the bytes after it when None."""

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        if self.rdlen is not None or "_rawcache" in self.__dict__:
            return pkt + pay  # (set, or the bytes dissected, lengths and all)
        lname = len(self._fields[0].i2m(self, self.rrname))
        return (pkt[:lname + 8] + struct.pack("!H", len(pkt) - lname - 10)
                + pkt[lname + 10:] + pay)

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        return Padding


def _head(rtype: int, mdns: bool = True) -> tuple[Field, ...]:
    """The fields every record starts with (``cacheflush``: mDNS, RFC 6762)."""
    cls: tuple[Field, ...] = ((BitField("cacheflush", 0, 1),
                               BitEnumField("rclass", 1, 15, dnsclasses)) if mdns
                              else (ShortEnumField("rclass", 1, dnsclasses),))
    return (DNSStrField("rrname", b""), ShortEnumField("type", rtype, dnstypes), *cls,
            IntField("ttl", 0), ShortField("rdlen", None))


class DNSRRHINFO(_DNSRRdummy):
    """A host information record (RFC 1035 section 3.3.2): CPU and OS strings."""

    name = "DNS HINFO Resource Record"
    fields_desc = (
        *_head(13),
        FieldLenField("cpulen", None, fmt="!B", length_of="cpu"),
        StrLenField("cpu", b"", length_from=lambda x: x.cpulen),
        FieldLenField("oslen", None, fmt="!B", length_of="os"),
        StrLenField("os", b"", length_from=lambda x: x.oslen),
    )


class DNSRRMX(_DNSRRdummy):
    """A mail exchanger record (RFC 1035 section 3.3.9)."""

    name = "DNS MX Resource Record"
    fields_desc = (*_head(15), ShortField("preference", 0), DNSStrField("exchange", b""))


class DNSRRSOA(_DNSRRdummy):
    """A start of authority record (RFC 1035 section 3.3.13)."""

    name = "DNS SOA Resource Record"
    fields_desc = (
        *_head(6, mdns=False),
        DNSStrField("mname", b""),
        DNSStrField("rname", b""),
        IntField("serial", 0),
        IntField("refresh", 0),
        IntField("retry", 0),
        IntField("expire", 0),
        IntField("minimum", 0),
    )


class DNSRRRSIG(_DNSRRdummy):
    """A signature record (RFC 4034 section 3)."""

    name = "DNS RRSIG Resource Record"
    fields_desc = (
        *_head(46),
        ShortEnumField("typecovered", 1, dnstypes),
        ByteEnumField("algorithm", 5, dnssecalgotypes),
        ByteField("labels", 0),
        IntField("originalttl", 0),
        UTCTimeField("expiration", 0),
        UTCTimeField("inception", 0),
        ShortField("keytag", 0),
        DNSStrField("signersname", b""),
        StrField("signature", b""),
    )


class DNSRRNSEC(_DNSRRdummy):
    """A next secure record (RFC 4034 section 4)."""

    name = "DNS NSEC Resource Record"
    fields_desc = (*_head(47), DNSStrField("nextname", b""), RRlistField("typebitmaps", b""))


class DNSRRDNSKEY(_DNSRRdummy):
    """A public key record (RFC 4034 section 2)."""

    name = "DNS DNSKEY Resource Record"
    fields_desc = (
        *_head(48),
        FlagsField("flags", 256, 16, "S???????Z???????"),
        ByteField("protocol", 3),
        ByteEnumField("algorithm", 5, dnssecalgotypes),
        StrField("publickey", b""),
    )


class DNSRRDS(_DNSRRdummy):
    """A delegation signer record (RFC 4034 section 5)."""

    name = "DNS DS Resource Record"
    fields_desc = (
        *_head(43),
        ShortField("keytag", 0),
        ByteEnumField("algorithm", 5, dnssecalgotypes),
        ByteEnumField("digesttype", 5, dnssecdigesttypes),
        StrField("digest", b""),
    )


class DNSRRDLV(_DNSRRdummy):
    """A DNSSEC lookaside validation record (RFC 4431): a DS record of type 32769."""

    name = "DNS DLV Resource Record"
    fields_desc = (*_head(32769), *DNSRRDS.fields_desc[6:])


class DNSRRNSEC3(_DNSRRdummy):
    """A hashed next secure record (RFC 5155 section 3)."""

    name = "DNS NSEC3 Resource Record"
    fields_desc = (
        *_head(50),
        ByteField("hashalg", 0),
        BitEnumField("flags", 0, 8, {1: "Opt-Out"}),
        ShortField("iterations", 0),
        FieldLenField("saltlength", 0, fmt="!B", length_of="salt"),
        StrLenField("salt", b"", length_from=lambda x: x.saltlength),
        FieldLenField("hashlength", 0, fmt="!B", length_of="nexthashedownername"),
        StrLenField("nexthashedownername", b"", length_from=lambda x: x.hashlength),
        RRlistField("typebitmaps", b""),
    )


class DNSRRNSEC3PARAM(_DNSRRdummy):
    """The NSEC3 parameters of a zone (RFC 5155 section 4)."""

    name = "DNS NSEC3PARAM Resource Record"
    fields_desc = (
        *_head(51),
        ByteField("hashalg", 0),
        ByteField("flags", 0),
        ShortField("iterations", 0),
        FieldLenField("saltlength", 0, fmt="!B", length_of="salt"),
        StrLenField("salt", b"", length_from=lambda pkt: pkt.saltlength),
    )


#: SVCB parameter keys (RFC 9460, IANA).
svc_param_keys: dict[int, str] = {
    0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "ech",
    6: "ipv6hint", 7: "dohpath", 8: "ohttp",
}


class SvcParam(_Cached, Packet):
    """A parameter of an SVCB or HTTPS record (RFC 9460 section 2.2), its value typed by key."""

    name = "SvcParam"
    fields_desc = (
        ShortEnumField("key", 0, svc_param_keys),
        FieldLenField("len", None, length_of="value", fmt="H"),
        MultipleTypeField(
            [(FieldListField("value", [], ShortEnumField("", 0, svc_param_keys),
                             length_from=lambda pkt: pkt.len), lambda pkt: pkt.key == 0),
             (DNSTextField("value", [], length_from=lambda pkt: pkt.len),
              lambda pkt: pkt.key in (1, 2)),
             (ShortField("value", 0), lambda pkt: pkt.key == 3),
             (FieldListField("value", [], IPField("", "0.0.0.0"),
                             length_from=lambda pkt: pkt.len), lambda pkt: pkt.key == 4),
             (FieldListField("value", [], IP6Field("", "::"),
                             length_from=lambda pkt: pkt.len), lambda pkt: pkt.key == 6)],
            StrLenField("value", b"", length_from=lambda pkt: pkt.len)),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes | None]:
        return b"", s


class DNSRRSVCB(_DNSRRdummy):
    """A service binding record (RFC 9460)."""

    name = "DNS SVCB Resource Record"
    fields_desc = (
        *_head(64),
        ShortField("svc_priority", 0),
        DNSStrField("target_name", b""),
        PacketListField("svc_params", [], SvcParam),
    )


class DNSRRHTTPS(_DNSRRdummy):
    """An HTTPS service binding record (RFC 9460 section 9)."""

    name = "DNS HTTPS Resource Record"
    fields_desc = (DNSStrField("rrname", b""), ShortEnumField("type", 65, dnstypes),
                   *DNSRRSVCB.fields_desc[2:])


class DNSRRSRV(_DNSRRdummy):
    """A service location record (RFC 2782)."""

    name = "DNS SRV Resource Record"
    fields_desc = (
        *_head(33),
        ShortField("priority", 0),
        ShortField("weight", 0),
        ShortField("port", 0),
        DNSStrField("target", b""),
    )


class TimeSignedField(Field):
    """TSIG's 48-bit time signed (RFC 2845): seconds since 1970, shown as a date."""

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, "6s")

    def i2m(self, pkt: Any, seconds: Any) -> bytes:
        seconds = seconds or 0
        return struct.pack("!HI", (seconds >> 32) & 0xFFFF, seconds & 0xFFFFFFFF)

    def m2i(self, pkt: Any, packed: Any) -> Any:
        if packed is None:
            return None
        # (Scapy's: the two parts are added, not shifted)
        return struct.unpack("!H", packed[:2])[0] + struct.unpack("!I", packed[2:])[0]

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return s[6:], self.m2i(pkt, s[:6])

    def i2repr(self, pkt: Any, x: Any) -> str:
        return time.strftime("%a %b %d %H:%M:%S %Y", time.gmtime(x))


class DNSRRTSIG(_DNSRRdummy):
    """A transaction signature record (RFC 2845)."""

    name = "DNS TSIG Resource Record"
    fields_desc = (
        *_head(250, mdns=False),
        DNSStrField("algo_name", b"hmac-sha1"),
        TimeSignedField("time_signed", 0),
        ShortField("fudge", 0),
        FieldLenField("mac_len", None, fmt="!H", length_of="mac_data"),
        StrLenField("mac_data", b"", length_from=lambda pkt: pkt.mac_len),
        ShortField("original_id", 0),
        ShortField("error", 0),
        FieldLenField("other_len", None, fmt="!H", length_of="other_data"),
        StrLenField("other_data", b"", length_from=lambda pkt: pkt.other_len),
    )


class DNSRRNAPTR(_DNSRRdummy):
    """A naming authority pointer record (RFC 2915)."""

    name = "DNS NAPTR Resource Record"
    fields_desc = (
        *_head(35),
        ShortField("order", 0),
        ShortField("preference", 0),
        FieldLenField("flags_len", None, fmt="!B", length_of="flags"),
        StrLenField("flags", b"", length_from=lambda pkt: pkt.flags_len),
        FieldLenField("services_len", None, fmt="!B", length_of="services"),
        StrLenField("services", b"", length_from=lambda pkt: pkt.services_len),
        FieldLenField("regexp_len", None, fmt="!B", length_of="regexp"),
        StrLenField("regexp", b"", length_from=lambda pkt: pkt.regexp_len),
        DNSStrField("replacement", b""),
    )


#: The record classes by type; the others are DNSRR.
DNSRR_DISPATCHER: dict[int, type[Packet]] = {
    6: DNSRRSOA, 13: DNSRRHINFO, 15: DNSRRMX, 33: DNSRRSRV, 35: DNSRRNAPTR, 41: DNSRROPT,
    43: DNSRRDS, 46: DNSRRRSIG, 47: DNSRRNSEC, 48: DNSRRDNSKEY, 50: DNSRRNSEC3,
    51: DNSRRNSEC3PARAM, 64: DNSRRSVCB, 65: DNSRRHTTPS, 250: DNSRRTSIG, 32769: DNSRRDLV,
}

_ORDERED: tuple[type[Packet], ...] = (*DNSRR_DISPATCHER.values(), SvcParam)
for _cls in _ORDERED:
    in_order(_cls)
