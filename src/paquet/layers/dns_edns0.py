"""EDNS0 (RFC 6891): the options of an OPT record's ``rdata``, with Scapy's classes.

An option is ``optcode``, ``optlen`` (computed when None) and its data: :class:`EDNS0TLV`
for any code, and typed ones dispatched by code: owner (4, :class:`EDNS0OWN`), DNSSEC
algorithms understood (5, 6, 7: :class:`EDNS0DAU`, :class:`EDNS0DHU`, :class:`EDNS0N3U`,
RFC 6975), client subnet (8, :class:`EDNS0ClientSubnet`, RFC 7871), cookie (10,
:class:`EDNS0COOKIE`, RFC 7873), padding (12, :class:`EDNS0PADDING`, RFC 7830) and extended
errors (15, :class:`EDNS0ExtendedDNSError`, RFC 8914).

>>> bytes(EDNS0TLV(optcode=3, optdata=b"ns1"))
b'\\x00\\x03\\x00\\x03ns1'
>>> EDNS0TLV(b"\\x00\\x08\\x00\\x07\\x00\\x01\\x18\\x00\\xc0\\x00\\x02").address
'192.0.2.0'
"""

from __future__ import annotations

import socket
import struct
from typing import Any

from paquet.layers.dns_fields import (
    dnssecalgotypes,
    dnssecdigesttypes,
    dnssecnsec3algotypes,
    in_order,
)
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import ByteField, ShortField
from paquet.packet.strfields import StrLenField, XStrFixedLenField, XStrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    FieldListField,
    MultipleTypeField,
)

__all__ = [
    "EDNS0COOKIE",
    "EDNS0DAU",
    "EDNS0DHU",
    "EDNS0N3U",
    "EDNS0OPT_DISPATCHER",
    "EDNS0OWN",
    "EDNS0PADDING",
    "EDNS0TLV",
    "ClientSubnetv4",
    "ClientSubnetv6",
    "EDNS0ClientSubnet",
    "EDNS0ExtendedDNSError",
    "edns0types",
    "extended_dns_error_codes",
]

#: EDNS0 option codes (IANA), Scapy's names.
edns0types: dict[int, str] = {
    0: "Reserved", 1: "LLQ", 2: "UL", 3: "NSID", 4: "Owner", 5: "DAU", 6: "DHU", 7: "N3U",
    8: "edns-client-subnet", 10: "COOKIE", 12: "Padding", 15: "Extended DNS Error",
}

#: Extended DNS error codes (RFC 8914, IANA).
extended_dns_error_codes: dict[int, str] = {
    0: "Other", 1: "Unsupported DNSKEY Algorithm", 2: "Unsupported DS Digest Type",
    3: "Stale Answer", 4: "Forged Answer", 5: "DNSSEC Indeterminate", 6: "DNSSEC Bogus",
    7: "Signature Expired", 8: "Signature Not Yet Valid", 9: "DNSKEY Missing",
    10: "RRSIGs Missing", 11: "No Zone Key Bit Set", 12: "NSEC Missing", 13: "Cached Error",
    14: "Not Ready", 15: "Blocked", 16: "Censored", 17: "Filtered", 18: "Prohibited",
    19: "Stale NXDOMAIN Answer", 20: "Not Authoritative", 21: "Not Supported",
    22: "No Reachable Authority", 23: "Network Error", 24: "Invalid Data",
    25: "Signature Expired before Valid", 26: "Too Early",
    27: "Unsupported NSEC3 Iterations Value", 28: "Unable to conform to policy",
    29: "Synthesized",
}


class _EDNS0Dummy(Packet):
    """An option: what follows it is the next option (returned to the list)."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes | None]:
        return b"", s


class EDNS0TLV(_EDNS0Dummy):
    """An EDNS0 option of any code; dissecting bytes gives the typed class of the code."""

    name = "DNS EDNS0 TLV"
    fields_desc = (
        ShortEnumField("optcode", 0, edns0types),
        FieldLenField("optlen", None, "optdata", fmt="H"),
        StrLenField("optdata", b"", length_from=lambda pkt: pkt.optlen),
    )

    @classmethod
    def dispatch_hook(cls, _pkt: bytes | None = None, *args: Any, **kargs: Any) -> type[Packet]:
        """The class of the option code at the start of ``_pkt``."""
        if _pkt is None:
            return EDNS0TLV
        if len(_pkt) < 2:
            return Raw
        return EDNS0OPT_DISPATCHER.get(struct.unpack("!H", _pkt[:2])[0], EDNS0TLV)


class EDNS0OWN(_EDNS0Dummy):
    """The owner option (draft-cheshire-edns0-owner-option, code 4)."""

    name = "EDNS0 Owner (OWN)"
    fields_desc = (
        ShortEnumField("optcode", 4, edns0types),
        FieldLenField("optlen", None, count_of="primary_mac", fmt="H"),
        ByteField("v", 0),
        ByteField("s", 0),
        MACField("primary_mac", "00:00:00:00:00:00"),
        ConditionalField(MACField("wakeup_mac", "00:00:00:00:00:00"),
                         lambda pkt: (pkt.optlen or 0) >= 14),
        ConditionalField(StrLenField("password", b"", length_from=lambda pkt: pkt.optlen - 14),
                         lambda pkt: (pkt.optlen or 0) >= 18),
    )

    def post_build(self, pkt: bytes, pay: bytes) -> bytes:
        pkt += pay
        if self.optlen is None:
            pkt = pkt[:2] + struct.pack("!H", len(pkt) - 4) + pkt[4:]
        return pkt


def _algorithms(code: int, name: str, enum: dict[int, str]) -> tuple[Any, ...]:
    return (
        ShortEnumField("optcode", code, edns0types),
        FieldLenField("optlen", None, count_of="alg_code", fmt="H"),
        FieldListField("alg_code", None, ByteEnumField("", 0, enum),
                       count_from=lambda pkt: pkt.optlen),
    )


class EDNS0DAU(_EDNS0Dummy):
    """DNSSEC algorithms understood (RFC 6975, code 5)."""

    name = "DNSSEC Algorithm Understood (DAU)"
    fields_desc = _algorithms(5, "alg_code", dnssecalgotypes)


class EDNS0DHU(_EDNS0Dummy):
    """DS hash algorithms understood (RFC 6975, code 6)."""

    name = "DS Hash Understood (DHU)"
    fields_desc = _algorithms(6, "alg_code", dnssecdigesttypes)


class EDNS0N3U(_EDNS0Dummy):
    """NSEC3 hash algorithms understood (RFC 6975, code 7)."""

    name = "NSEC3 Hash Understood (N3U)"
    fields_desc = _algorithms(7, "alg_code", dnssecnsec3algotypes)


class ClientSubnetv4(StrLenField):
    """The address of a client subnet option: only the bytes its prefix covers are sent
    (RFC 7871), shown as a whole address."""

    __slots__ = ()
    af_familly = socket.AF_INET
    af_length = 32
    af_default = b"\xc0"

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = min((int(self.length_from(pkt)) + 7) // 8, self.af_length // 8)  # type: ignore[misc]
        return s[n:], self.m2i(pkt, s[:n])

    def m2i(self, pkt: Any, x: bytes) -> Any:
        size = self.af_length // 8
        x = (x + b"\x00" * size)[:size]
        return socket.inet_ntop(self.af_familly, x)

    def _pack(self, subnet: Any, plen: int | None) -> bytes:
        if isinstance(subnet, bytes):
            subnet = subnet.decode()
        packed = socket.inet_pton(self.af_familly, str(subnet))
        if plen is not None:
            out = bytearray(packed[:(plen + 7) // 8])
            if plen % 8 and out:
                out[-1] &= (0xFF << (8 - plen % 8)) & 0xFF
            return bytes(out)
        return packed.rstrip(b"\x00")

    def _packed(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return self.af_default
        plen = getattr(pkt, "source_plen", None)
        try:
            return self._pack(x, plen)
        except OSError:
            pkt.family = 2
            return ClientSubnetv6("", "")._pack(x, plen)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return self._packed(pkt, x)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self._packed(pkt, x))

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x.decode() if isinstance(x, bytes) else x

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)


class ClientSubnetv6(ClientSubnetv4):
    """The IPv6 address of a client subnet option."""

    __slots__ = ()
    af_familly = socket.AF_INET6
    af_length = 128
    af_default = b"\x20"


class EDNS0ClientSubnet(_EDNS0Dummy):
    """The client subnet option (RFC 7871, code 8)."""

    name = "DNS EDNS0 Client Subnet"
    fields_desc = (
        ShortEnumField("optcode", 8, edns0types),
        FieldLenField("optlen", None, "address", fmt="H", adjust=lambda pkt, x: x + 4),
        ShortField("family", 1),
        FieldLenField("source_plen", None, length_of="address", fmt="B",
                      adjust=lambda pkt, x: x * 8),
        ByteField("scope_plen", 0),
        MultipleTypeField(
            [(ClientSubnetv4("address", "192.168.0.0", length_from=lambda p: p.source_plen),
              lambda pkt: pkt.family == 1),
             (ClientSubnetv6("address", "2001:db8::", length_from=lambda p: p.source_plen),
              lambda pkt: pkt.family == 2)],
            ClientSubnetv4("address", "192.168.0.0", length_from=lambda p: p.source_plen)),
    )


class EDNS0COOKIE(_EDNS0Dummy):
    """The cookie option (RFC 7873, code 10): an 8-byte client cookie, a server cookie."""

    name = "DNS EDNS0 COOKIE"
    fields_desc = (
        ShortEnumField("optcode", 10, edns0types),
        FieldLenField("optlen", None, length_of="server_cookie", fmt="!H",
                      adjust=lambda pkt, x: x + 8),
        XStrFixedLenField("client_cookie", b"\x00" * 8, length=8),
        XStrLenField("server_cookie", b"", length_from=lambda pkt: max(0, pkt.optlen - 8)),
    )


class EDNS0PADDING(_EDNS0Dummy):
    """The padding option (RFC 7830, code 12)."""

    name = "DNS EDNS0 Padding"
    fields_desc = (
        ShortEnumField("optcode", 12, edns0types),
        FieldLenField("optlen", None, length_of="padding", fmt="!H"),
        StrLenField("padding", b"", length_from=lambda pkt: pkt.optlen),
    )


class EDNS0ExtendedDNSError(_EDNS0Dummy):
    """An extended DNS error (RFC 8914, code 15): an info code and a text."""

    name = "DNS EDNS0 Extended DNS Error"
    fields_desc = (
        ShortEnumField("optcode", 15, edns0types),
        FieldLenField("optlen", None, length_of="extra_text", fmt="!H",
                      adjust=lambda pkt, x: x + 2),
        ShortEnumField("info_code", 0, extended_dns_error_codes),
        StrLenField("extra_text", b"", length_from=lambda pkt: pkt.optlen - 2),
    )


#: The option classes by code (others are :class:`EDNS0TLV`).
EDNS0OPT_DISPATCHER: dict[int, type[Packet]] = {
    4: EDNS0OWN, 5: EDNS0DAU, 6: EDNS0DHU, 7: EDNS0N3U, 8: EDNS0ClientSubnet,
    10: EDNS0COOKIE, 12: EDNS0PADDING, 15: EDNS0ExtendedDNSError,
}

for _cls in (EDNS0TLV, *EDNS0OPT_DISPATCHER.values()):
    in_order(_cls)  # type: ignore[arg-type]
