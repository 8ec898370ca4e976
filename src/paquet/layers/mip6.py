"""Mobile IPv6 (RFC 6275, formerly 3775) and NEMO (RFC 3963), with Scapy's classes and fields.

The mobility header (next header 135) carries one message, dissected by its ``mhtype``:
:class:`MIP6MH_BRR` (binding refresh request, 0), :class:`MIP6MH_HoTI` and
:class:`MIP6MH_CoTI` (home/care-of test init, 1 and 2), :class:`MIP6MH_HoT` and
:class:`MIP6MH_CoT` (3, 4), :class:`MIP6MH_BU` (binding update, 5), :class:`MIP6MH_BA`
(binding acknowledgement, 6), :class:`MIP6MH_BE` (binding error, 7), any other as
:class:`MIP6MH_Generic`. Its ``options`` are mobility options (``MIP6Opt*``, Pad1 and PadN),
aligned as their RFCs ask and padded to 8 bytes when ``autopad`` is on, as Scapy does; ``len``
and the checksum (over the IPv6 pseudo-header) are computed when None. The ICMPv6 messages of
Mobile IPv6 are here too: home agent address discovery (:class:`ICMPv6HAADRequest`,
:class:`ICMPv6HAADReply`, types 144 and 145) and mobile prefix solicitation and advertisement
(:class:`ICMPv6MPSol`, :class:`ICMPv6MPAdv`, 146 and 147).

>>> bu = MIP6MH_BU(seq=0x4242, options=[MIP6OptBRAdvice()])
>>> bytes(bu).hex()
'3b01050000004242d000000302020000'
>>> [type(o).__name__ for o in MIP6MH_BU(bytes(bu)).options]
['MIP6OptBRAdvice']
"""

from __future__ import annotations

import struct
import time
from typing import Any, ClassVar

from paquet.layers.icmpv6 import _ICMPv6, _NDMessage, register_icmpv6_type
from paquet.layers.ipv6 import IPv6
from paquet.layers.ipv6_fields import IP6ListField, PacketListField, PacketsShown
from paquet.layers.ipv6_options import Pad1, PadN
from paquet.layers.udp import transport_checksum
from paquet.numbers import ICMPV6_TYPES, IPV6_NH
from paquet.packet import registry
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    IntField,
    LongField,
    ShortField,
    XBitField,
    XShortField,
)
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import FieldLenField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "MIP6MH_BA",
    "MIP6MH_BE",
    "MIP6MH_BRR",
    "MIP6MH_BU",
    "ICMPv6HAADReply",
    "ICMPv6HAADRequest",
    "ICMPv6MPAdv",
    "ICMPv6MPSol",
    "MIP6MH_CoT",
    "MIP6MH_CoTI",
    "MIP6MH_Generic",
    "MIP6MH_HoT",
    "MIP6MH_HoTI",
    "MIP6OptAltCoA",
    "MIP6OptBRAdvice",
    "MIP6OptBindingAuthData",
    "MIP6OptCGAParams",
    "MIP6OptCGAParamsReq",
    "MIP6OptCareOfTest",
    "MIP6OptCareOfTestInit",
    "MIP6OptHomeKeygenToken",
    "MIP6OptLLAddr",
    "MIP6OptMNID",
    "MIP6OptMobNetPrefix",
    "MIP6OptMsgAuth",
    "MIP6OptNonceIndices",
    "MIP6OptReplayProtection",
    "MIP6OptSignature",
    "MIP6OptUnknown",
]

MOBILITY_OPTIONS = {
    2: "Binding Refresh Advice", 3: "Alternate Care-of Address", 4: "Nonce Indices",
    5: "Binding Authorization Data", 6: "Mobile Network Prefix (RFC3963)",
    7: "Link-Layer Address (RFC4068)", 8: "Mobile Node Identifier (RFC4283)",
    9: "Mobility Message Authentication (RFC4285)", 10: "Replay Protection (RFC4285)",
    11: "CGA Parameters Request (RFC4866)", 12: "CGA Parameters (RFC4866)",
    13: "Signature (RFC4866)", 14: "Home Keygen Token (RFC4866)",
    15: "Care-of Test Init (RFC4866)", 16: "Care-of Test (RFC4866)",
}
MH_TYPES = {0: "BRR", 1: "HoTI", 2: "CoTI", 3: "HoT", 4: "CoT", 5: "BU", 6: "BA", 7: "BE",
            8: "Fast BU", 9: "Fast BA", 10: "Fast NA"}
BA_STATUS = {
    0: "Binding Update accepted", 1: "Accepted but prefix discovery necessary",
    128: "Reason unspecified", 129: "Administratively prohibited",
    130: "Insufficient resources", 131: "Home registration not supported",
    132: "Not home subnet", 133: "Not home agent for this mobile node",
    134: "Duplicate Address Detection failed", 135: "Sequence number out of window",
    136: "Expired home nonce index", 137: "Expired care-of nonce index",
    138: "Expired nonces", 139: "Registration type change disallowed",
    140: "Mobile Router Operation not permitted", 141: "Invalid Prefix",
    142: "Not Authorized for Prefix", 143: "Forwarding Setup failed (prefixes missing)",
    144: "MIPV6-ID-MISMATCH", 145: "MIPV6-MESG-ID-REQD", 146: "MIPV6-AUTH-FAIL",
    147: "Permanent home keygen token unavailable",
    148: "CGA and signature verification failed", 149: "Permanent home keygen token exists",
    150: "Non-null home nonce index expected",
}
_BE_STATUS = {1: "Unknown binding for Home Address destination option",
              2: "Unrecognized MH Type value"}
_LLA_CODES = {
    0: "Wildcard requesting resolution for all nearby AP", 1: "LLA for the new AP",
    2: "LLA of the MN", 3: "LLA of the NAR", 4: "LLA of the src of TrSolPr or PrRtAdv msg",
    5: "AP identified by LLA belongs to current iface of router",
    6: "No preifx info available for AP identified by the LLA",
    7: "No fast handovers support for AP identified by the LLA",
}
_MH = 135  # the mobility header's next header number


# ---------------------------------------------------------------------- mobility options


class _MIP6OptAlign(Packet):
    """A mobility option: its alignment ``x * n + y`` (none when both are 0); no payload."""

    x: ClassVar[int] = 0
    y: ClassVar[int] = 0

    def alignment_delta(self, curpos: int) -> int:
        """The padding needed before this option at ``curpos`` bytes from the header's start."""
        x, y = self.x, self.y
        if x == 0 and y == 0:
            return 0
        return x * ((curpos - y + x - 1) // x) + y - curpos

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class LifetimeField(ShortField):
    """A lifetime in units of 4 seconds, shown in seconds (Scapy's)."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        return f"{4 * x} sec" if isinstance(x, int) else repr(x)


class MIP6OptUnknown(_MIP6OptAlign):
    """A mobility option paquet has no class for; called on bytes, the class of its type."""

    name = "Scapy6 - Unknown Mobility Option"
    fields_desc = (
        ByteEnumField("otype", 6, MOBILITY_OPTIONS),
        FieldLenField("olen", None, length_of="odata", fmt="B"),
        StrLenField("odata", b"", length_from=lambda pkt: pkt.olen),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The option's class by its type byte."""
        if end > start:
            return _OPTIONS.get(data[start], MIP6OptUnknown)
        return MIP6OptUnknown


class MIP6OptBRAdvice(_MIP6OptAlign):
    """Binding refresh advice (type 2): the refresh interval."""

    name = "Mobile IPv6 Option - Binding Refresh Advice"
    x, y = 2, 0
    fields_desc = (
        ByteEnumField("otype", 2, MOBILITY_OPTIONS),
        ByteField("olen", 2),
        ShortField("rinter", 0),
    )


class MIP6OptAltCoA(_MIP6OptAlign):
    """Alternate care-of address (type 3)."""

    name = "MIPv6 Option - Alternate Care-of Address"
    x, y = 8, 6
    fields_desc = (
        ByteEnumField("otype", 3, MOBILITY_OPTIONS),
        ByteField("olen", 16),
        IP6Field("acoa", "::"),
    )


class MIP6OptNonceIndices(_MIP6OptAlign):
    """Nonce indices (type 4): home and care-of nonce indices."""

    name = "MIPv6 Option - Nonce Indices"
    x, y = 2, 0
    fields_desc = (
        ByteEnumField("otype", 4, MOBILITY_OPTIONS),
        ByteField("olen", 16),
        ShortField("hni", 0),
        ShortField("coni", 0),
    )


class MIP6OptBindingAuthData(_MIP6OptAlign):
    """Binding authorization data (type 5): a 96-bit authenticator."""

    name = "MIPv6 Option - Binding Authorization Data"
    x, y = 8, 2
    fields_desc = (
        ByteEnumField("otype", 5, MOBILITY_OPTIONS),
        ByteField("olen", 16),
        BitField("authenticator", 0, 96),
    )


class MIP6OptMobNetPrefix(_MIP6OptAlign):
    """Mobile network prefix (type 6, NEMO)."""

    name = "NEMO Option - Mobile Network Prefix"
    x, y = 8, 4
    fields_desc = (
        ByteEnumField("otype", 6, MOBILITY_OPTIONS),
        ByteField("olen", 18),
        ByteField("reserved", 0),
        ByteField("plen", 64),
        IP6Field("prefix", "::"),
    )


class MIP6OptLLAddr(_MIP6OptAlign):
    """Link-layer address (type 7, RFC 5568): an Ethernet address."""

    name = "MIPv6 Option - Link-Layer Address (MH-LLA)"
    fields_desc = (
        ByteEnumField("otype", 7, MOBILITY_OPTIONS),
        ByteField("olen", 7),
        ByteEnumField("ocode", 2, _LLA_CODES),
        ByteField("pad", 0),
        MACField("lla", "00:00:00:00:00:00"),
    )


class MIP6OptMNID(_MIP6OptAlign):
    """Mobile node identifier (type 8, RFC 4283): an NAI."""

    name = "MIPv6 Option - Mobile Node Identifier"
    fields_desc = (
        ByteEnumField("otype", 8, MOBILITY_OPTIONS),
        FieldLenField("olen", None, length_of="id", fmt="B", adjust=lambda pkt, x: x + 1),
        ByteEnumField("subtype", 1, {1: "NAI"}),
        StrLenField("id", b"", length_from=lambda pkt: pkt.olen - 1),
    )


class MIP6OptMsgAuth(_MIP6OptAlign):
    """Mobility message authentication (type 9, RFC 4285); the data is not computed."""

    name = "MIPv6 Option - Mobility Message Authentication"
    x, y = 4, 1
    fields_desc = (
        ByteEnumField("otype", 9, MOBILITY_OPTIONS),
        FieldLenField("olen", None, length_of="authdata", fmt="B",
                      adjust=lambda pkt, x: x + 5),
        ByteEnumField("subtype", 1, {1: "MN-HA authentication mobility option",
                                     2: "MN-AAA authentication mobility option"}),
        IntField("mspi", None),
        StrLenField("authdata", b"A" * 12, length_from=lambda pkt: pkt.olen - 5),
    )


class NTPTimestampField(LongField):
    """A 64-bit NTP timestamp (seconds since 1900 in the high 32 bits), shown as a date."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if not isinstance(x, int):
            return repr(x)
        if x < ((50 * 31536000) << 32):
            return f"Some date a few decades ago ({x})"
        # Scapy's offset from 1900 to 1970 (RFC 1305), kept for the same text.
        seconds = (x >> 32) + (x & 0xFFFFFFFF) * 2.0**-32 - 2209075761
        return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(seconds)) + f" ({x})"


class MIP6OptReplayProtection(_MIP6OptAlign):
    """Replay protection (type 10, RFC 4285): an NTP timestamp."""

    name = "MIPv6 option - Replay Protection"
    x, y = 8, 2
    fields_desc = (
        ByteEnumField("otype", 10, MOBILITY_OPTIONS),
        ByteField("olen", 8),
        NTPTimestampField("timestamp", 0),
    )


class MIP6OptCGAParamsReq(_MIP6OptAlign):
    """CGA parameters request (type 11, RFC 4866)."""

    name = "MIPv6 option - CGA Parameters Request"
    fields_desc = (
        ByteEnumField("otype", 11, MOBILITY_OPTIONS),
        ByteField("olen", 0),
    )


def _blob_option(otype: int, field: str, default: bytes = b"") -> tuple[Any, ...]:
    return (
        ByteEnumField("otype", otype, MOBILITY_OPTIONS),
        FieldLenField("olen", None, length_of=field, fmt="B"),
        StrLenField(field, default, length_from=lambda pkt: pkt.olen),
    )


class MIP6OptCGAParams(_MIP6OptAlign):
    """CGA parameters (type 12, RFC 4866)."""

    name = "MIPv6 option - CGA Parameters"
    fields_desc = _blob_option(12, "cgaparams")


class MIP6OptSignature(_MIP6OptAlign):
    """Signature (type 13, RFC 4866)."""

    name = "MIPv6 option - Signature"
    fields_desc = _blob_option(13, "sig")


class MIP6OptHomeKeygenToken(_MIP6OptAlign):
    """Permanent home keygen token (type 14, RFC 4866)."""

    name = "MIPv6 option - Home Keygen Token"
    fields_desc = _blob_option(14, "hkt")


class MIP6OptCareOfTestInit(_MIP6OptAlign):
    """Care-of test init (type 15, RFC 4866)."""

    name = "MIPv6 option - Care-of Test Init"
    fields_desc = (
        ByteEnumField("otype", 15, MOBILITY_OPTIONS),
        ByteField("olen", 0),
    )


class MIP6OptCareOfTest(_MIP6OptAlign):
    """Care-of test (type 16, RFC 4866): the care-of keygen token."""

    name = "MIPv6 option - Care-of Test"
    fields_desc = _blob_option(16, "cokt", b"\x00" * 8)


_OPTIONS: dict[int, type[Packet]] = {
    0: Pad1, 1: PadN, 2: MIP6OptBRAdvice, 3: MIP6OptAltCoA, 4: MIP6OptNonceIndices,
    5: MIP6OptBindingAuthData, 6: MIP6OptMobNetPrefix, 7: MIP6OptLLAddr, 8: MIP6OptMNID,
    9: MIP6OptMsgAuth, 10: MIP6OptReplayProtection, 11: MIP6OptCGAParamsReq,
    12: MIP6OptCGAParams, 13: MIP6OptSignature, 14: MIP6OptHomeKeygenToken,
    15: MIP6OptCareOfTestInit, 16: MIP6OptCareOfTest,
}


def _pad(n: int) -> bytes:
    if n <= 0:
        return b""
    return b"\x00" if n == 1 else bytes((1, n - 2)) + bytes(n - 2)


class MobilityOptionsField(PacketListField):
    """The options of a mobility message: each aligned as it asks, the whole padded to a
    multiple of 8 bytes (``curpos``: where the options start in the header), when the
    layer's ``autopad`` is on (Scapy's ``_OptionsField``)."""

    __slots__ = ("curpos",)

    def __init__(self, name: str, default: Any, curpos: int, length_from: Any) -> None:
        super().__init__(name, default, MIP6OptUnknown, length_from=length_from)
        self.curpos = curpos

    def i2m(self, pkt: Any, x: Any) -> bytes:
        items = x or []
        autopad = pkt.__dict__.get("autopad", 1) if pkt is not None else 1
        if not autopad:
            return b"".join(bytes(o) for o in items)
        pos, out = self.curpos, b""
        for o in items:
            align = getattr(o, "alignment_delta", None)
            delta = align(pos) if align is not None else 0
            out += _pad(delta)
            pos += delta
            b = bytes(o)
            out += b
            pos += len(b)
        return out + _pad(-pos % 8)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)


class _PhantomAutoPadField(ByteField):
    """Scapy's ``autopad``: not on the wire; on, options are aligned and padded."""

    __slots__ = ()
    fast = False

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return s, 1

    def i2repr(self, pkt: Any, x: Any = None) -> str:
        return "On" if x else "Off"


# ---------------------------------------------------------------------- mobility messages


def _head(mhtype: int | None, res: int | None = None) -> tuple[Any, ...]:
    return (
        ByteEnumField("nh", 59, IPV6_NH),
        ByteField("len", None),
        ByteEnumField("mhtype", mhtype, MH_TYPES),
        ByteField("res", res),
        XShortField("cksum", None),
    )


class _MobilityHeader(PacketsShown):
    """What mobility messages share: ``len`` and the checksum computed; called on bytes, the
    class of the message's ``mhtype``."""

    name = "Dummy IPv6 Mobility Header"
    chksum_field = "cksum"

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The message's class by its ``mhtype`` byte."""
        if end - start > 2:
            return _MESSAGES.get(data[start + 2], MIP6MH_Generic)
        return MIP6MH_Generic

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        d = self.__dict__
        if d["len"] is None:
            p = p[:1] + struct.pack("B", ((len(p) - 8) // 8) & 0xFF) + p[2:]
        if d["cksum"] is None:
            ck = transport_checksum(self, p, _MH) or 0
            p = p[:4] + struct.pack("!H", ck) + p[6:]
        return p

    def expected_chksum(self) -> int | None:
        try:
            p = self.do_build()
            return transport_checksum(self, p[:4] + b"\x00\x00" + p[6:], _MH)
        except Exception:
            return None


class MIP6MH_Generic(_MobilityHeader):
    """A mobility message of a type paquet has no class for: its body as bytes."""

    name = "IPv6 Mobility Header - Generic Message"
    fields_desc = (
        *_head(None),
        StrLenField("msg", b"\x00" * 2, length_from=lambda pkt: 8 * pkt.len - 6),
    )


class MIP6MH_BRR(_MobilityHeader):
    """Binding refresh request (mhtype 0)."""

    name = "IPv6 Mobility Header - Binding Refresh Request"
    fields_desc = (
        *_head(0),
        ShortField("res2", None),
        _PhantomAutoPadField("autopad", 1),
        MobilityOptionsField("options", [], 8, length_from=lambda pkt: 8 * pkt.len),
    )

    def hashret(self) -> bytes:
        # BRR, BU and BA hash alike, so that a BA matches its BU and a BU its BRR (Scapy's).
        return b"\x00\x08\x09"


class MIP6MH_HoTI(_MobilityHeader):
    """Home test init (mhtype 1): a ``cookie``."""

    name = "IPv6 Mobility Header - Home Test Init"
    fields_desc = (
        *_head(1),
        StrFixedLenField("reserved", b"\x00" * 2, 2),
        StrFixedLenField("cookie", b"\x00" * 8, 8),
        _PhantomAutoPadField("autopad", 1),
        MobilityOptionsField("options", [], 16, length_from=lambda pkt: 8 * (pkt.len - 1)),
    )

    def hashret(self) -> bytes:
        return bytes(self.__dict__["cookie"] or b"")


class MIP6MH_CoTI(MIP6MH_HoTI):
    """Care-of test init (mhtype 2)."""

    name = "IPv6 Mobility Header - Care-of Test Init"
    mhtype = 2


class MIP6MH_HoT(_MobilityHeader):
    """Home test (mhtype 3): answers the home test init with the same ``cookie``."""

    name = "IPv6 Mobility Header - Home Test"
    fields_desc = (
        *_head(3),
        ShortField("index", None),
        StrFixedLenField("cookie", b"\x00" * 8, 8),
        StrFixedLenField("token", b"\x00" * 8, 8),
        _PhantomAutoPadField("autopad", 1),
        MobilityOptionsField("options", [], 24, length_from=lambda pkt: 8 * (pkt.len - 2)),
    )

    def hashret(self) -> bytes:
        return bytes(self.__dict__["cookie"] or b"")

    def answers(self, other: Packet) -> bool:
        return isinstance(other, MIP6MH_HoTI) and self.cookie == other.cookie


class MIP6MH_CoT(MIP6MH_HoT):
    """Care-of test (mhtype 4): answers the care-of test init with the same ``cookie``."""

    name = "IPv6 Mobility Header - Care-of Test"
    mhtype = 4

    def answers(self, other: Packet) -> bool:
        return isinstance(other, MIP6MH_CoTI) and self.cookie == other.cookie


class MIP6MH_BU(_MobilityHeader):
    """Binding update (mhtype 5): ``seq``, ``flags`` (A, H, L, K, M, R, P), ``mhtime`` (units
    of 4 seconds)."""

    name = "IPv6 Mobility Header - Binding Update"
    fields_desc = (
        *_head(5),
        XShortField("seq", None),
        FlagsField("flags", 0x68, 7, "PRMKLHA"),  # KHA
        XBitField("reserved", 0, 9),
        LifetimeField("mhtime", 3),
        _PhantomAutoPadField("autopad", 1),
        MobilityOptionsField("options", [], 12, length_from=lambda pkt: 8 * pkt.len - 4),
    )

    def hashret(self) -> bytes:
        return b"\x00\x08\x09"

    def answers(self, other: Packet) -> bool:
        return isinstance(other, MIP6MH_BRR)


class MIP6MH_BA(_MobilityHeader):
    """Binding acknowledgement (mhtype 6): answers the update with the same ``seq`` that
    asked for one (flag A)."""

    name = "IPv6 Mobility Header - Binding ACK"
    fields_desc = (
        *_head(6),
        ByteEnumField("status", 0, BA_STATUS),
        FlagsField("flags", 0x4, 3, "PRK"),  # K
        XBitField("res2", None, 5),
        XShortField("seq", None),
        XShortField("mhtime", 0),
        _PhantomAutoPadField("autopad", 1),
        MobilityOptionsField("options", [], 12, length_from=lambda pkt: 8 * pkt.len - 4),
    )

    def hashret(self) -> bytes:
        return b"\x00\x08\x09"

    def answers(self, other: Packet) -> bool:
        return bool(isinstance(other, MIP6MH_BU) and other.mhtype == 5 and self.mhtype == 6
                    and int(other.flags) & 0x1 and self.seq == other.seq)


class MIP6MH_BE(_MobilityHeader):
    """Binding error (mhtype 7): ``status`` and the home address ``ha``."""

    name = "IPv6 Mobility Header - Binding Error"
    fields_desc = (
        *_head(7, 0),
        ByteEnumField("status", 0, _BE_STATUS),
        ByteField("reserved", 0),
        IP6Field("ha", "::"),
        MobilityOptionsField("options", [], 24, length_from=lambda pkt: 8 * (pkt.len - 2)),
    )


_MESSAGES: dict[int, type[Packet]] = {
    0: MIP6MH_BRR, 1: MIP6MH_HoTI, 2: MIP6MH_CoTI, 3: MIP6MH_HoT, 4: MIP6MH_CoT,
    5: MIP6MH_BU, 6: MIP6MH_BA, 7: MIP6MH_BE,
}


# ---------------------------------------------------------------------- ICMPv6 messages


class ICMPv6HAADRequest(_ICMPv6):
    """Home agent address discovery request (type 144)."""

    name = "ICMPv6 Home Agent Address Discovery Request"
    fields_desc = (
        ByteEnumField("type", 144, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XShortField("id", None),
        BitEnumField("R", 1, 1, {1: "MR"}),
        XBitField("res", 0, 15),
    )

    def hashret(self) -> bytes:
        return struct.pack("!H", self.__dict__["id"] or 0) + self.payload.hashret()


class ICMPv6HAADReply(_ICMPv6):
    """Home agent address discovery reply (type 145): the home agents' ``addresses``."""

    name = "ICMPv6 Home Agent Address Discovery Reply"
    fields_desc = (
        ByteEnumField("type", 145, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XShortField("id", None),
        BitEnumField("R", 1, 1, {1: "MR"}),
        XBitField("res", 0, 15),
        IP6ListField("addresses", None),
    )

    def hashret(self) -> bytes:
        return struct.pack("!H", self.__dict__["id"] or 0) + self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        return isinstance(other, ICMPv6HAADRequest) and self.id == other.id


class ICMPv6MPSol(_ICMPv6):
    """Mobile prefix solicitation (type 146)."""

    name = "ICMPv6 Mobile Prefix Solicitation"
    fields_desc = (
        ByteEnumField("type", 146, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XShortField("id", None),
        XShortField("res", 0),
    )


class ICMPv6MPAdv(_NDMessage):
    """Mobile prefix advertisement (type 147): prefix information options follow."""

    name = "ICMPv6 Mobile Prefix Advertisement"
    fields_desc = (
        ByteEnumField("type", 147, ICMPV6_TYPES),
        ByteField("code", 0),
        XShortField("cksum", None),
        XShortField("id", None),
        BitEnumField("flags", 2, 2, {2: "M", 1: "O"}),
        XBitField("res", 0, 14),
    )

    def hashret(self) -> bytes:
        return struct.pack("!H", self.__dict__["id"] or 0)

    def answers(self, other: Packet) -> bool:
        return isinstance(other, ICMPv6MPSol)


def _register() -> None:
    registry.bind_bottom_up(IPv6, _MobilityHeader, nh=_MH)  # by mhtype
    classes: tuple[type[Packet], ...] = (*_MESSAGES.values(), MIP6MH_Generic)
    for cls in classes:
        registry.bind_top_down(IPv6, cls, nh=_MH)
    msg: type[Packet]
    for mtype, msg in ((144, ICMPv6HAADRequest), (145, ICMPv6HAADReply), (146, ICMPv6MPSol),
                       (147, ICMPv6MPAdv)):
        register_icmpv6_type(mtype, msg)


_register()
