"""IEEE 802.11 frames: the MAC header (``Dot11``, ``Dot11FCS``), QoS control, the management
frames' fixed fields and the encrypted bodies kept as bytes (no decryption).

The MAC header is the frame control (``subtype``, ``type``, ``proto``, ``FCfield``), the
duration ``ID``, one to four addresses and the sequence control ``SC``, present by type as
the standard says (an ACK has only ``addr1``). Management frames carry fixed fields
(``Dot11Beacon``'s timestamp, interval and capabilities...) then information elements
(:mod:`paquet.layers.dot11_elements`). Data frames carry LLC/SNAP. Class, field names,
defaults and bindings are Scapy 2.8's (``scapy.layers.dot11``).

>>> f = Dot11(addr1="ff:ff:ff:ff:ff:ff", addr2="00:11:22:33:44:55", addr3="00:11:22:33:44:55")
>>> bytes(f / Dot11Beacon()).hex()[:16]
'80000000ffffffff'
>>> Dot11(type=1, subtype=13).address_meaning(1)
'RA'
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers.dot11_action import Dot11Action
from paquet.layers.dot11_elements import (
    SUMMARY_HEADERS,
    Dot11Elt,
    Dot11EltCountry,
    Dot11EltMicrosoftWPA,
    Dot11EltRates,
    Dot11EltRSN,
)
from paquet.number_enums import LinkType
from paquet.packet import enumfields, registry
from paquet.packet.addrfields import MACField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import BitField, ByteField, Field, IntField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import LEIntField, LELongField, LEShortField
from paquet.packet.strfields import StrField, StrFixedLenField
from paquet.packet.structfields import ConditionalField, FCSField, MultipleTypeField

#: (an enumeration kind the engine makes with a factory: typed loosely here)
LEShortEnumField: Any = enumfields.LEShortEnumField

__all__ = [
    "Dot11", "Dot11ATIM", "Dot11Ack", "Dot11AssoReq", "Dot11AssoResp",
    "Dot11Auth", "Dot11Beacon", "Dot11CCMP", "Dot11Deauth", "Dot11Disas", "Dot11Encrypted",
    "Dot11FCS", "Dot11ProbeReq", "Dot11ProbeResp", "Dot11QoS", "Dot11ReassoReq",
    "Dot11ReassoResp", "Dot11S1GBeacon", "Dot11TKIP", "Dot11WEP",
]

_ETHER_ANY = "00:00:00:00:00:00"

#: Subtype names by frame type (802.11-2016 9.2.4.1.3).
DOT11_SUBTYPES: dict[int, dict[int, str]] = {
    0: {0: "Association Request", 1: "Association Response", 2: "Reassociation Request",
        3: "Reassociation Response", 4: "Probe Request", 5: "Probe Response",
        6: "Timing Advertisement", 8: "Beacon", 9: "ATIM", 10: "Disassociation",
        11: "Authentication", 12: "Deauthentication", 13: "Action", 14: "Action No Ack"},
    1: {2: "Trigger", 3: "TACK", 4: "Beamforming Report Poll", 5: "VHT/HE NDP Announcement",
        6: "Control Frame Extension", 7: "Control Wrapper", 8: "Block Ack Request",
        9: "Block Ack", 10: "PS-Poll", 11: "RTS", 12: "CTS", 13: "Ack", 14: "CF-End",
        15: "CF-End+CF-Ack"},
    2: {0: "Data", 1: "Data+CF-Ack", 2: "Data+CF-Poll", 3: "Data+CF-Ack+CF-Poll",
        4: "Null (no data)", 5: "CF-Ack (no data)", 6: "CF-Poll (no data)",
        7: "CF-Ack+CF-Poll (no data)", 8: "QoS Data", 9: "QoS Data+CF-Ack",
        10: "QoS Data+CF-Poll", 11: "QoS Data+CF-Ack+CF-Poll", 12: "QoS Null (no data)",
        14: "QoS CF-Poll (no data)", 15: "QoS CF-Ack+CF-Poll (no data)"},
    3: {0: "DMG Beacon", 1: "S1G Beacon"},
}
_CFE = {2: "Poll", 3: "SPR", 4: "Grant", 5: "DMG CTS", 6: "DMG DTS", 7: "Grant Ack",
        8: "SSW", 9: "SSW-Feedback", 10: "SSW-Ack"}

#: What each address means (802.11-2016 9.3.3.2 and table 9-26): management, control,
#: data (by to_DS then from_DS), extension.
_MEANINGS: tuple[Any, ...] = (
    ("RA=DA", "TA=SA", "BSSID/STA", None),
    ("RA", "TA", None, None),
    ((("RA=DA", "RA=DA"), ("RA=BSSID", "RA")), (("TA=SA", "TA=BSSID"), ("TA=SA", "TA")),
     (("BSSID", "SA"), ("DA", "DA")), ((None, None), ("SA", "BSSID"))),
    ("BSSID", None, None, None),
)

CAPABILITIES = ["res8", "res9", "short-slot", "res11", "res12", "DSSS-OFDM", "res14", "res15",
                "ESS", "IBSS", "CFP", "CFP-req", "privacy", "short-preamble", "PBCC", "agility"]
REASON_CODES = {0: "reserved", 1: "unspec", 2: "auth-expired", 3: "deauth-ST-leaving",
                4: "inactivity", 5: "AP-full", 6: "class2-from-nonauth",
                7: "class3-from-nonass", 8: "disas-ST-leaving", 9: "ST-not-auth"}
STATUS_CODES = {0: "success", 1: "failure", 10: "cannot-support-all-cap", 11: "inexist-asso",
                12: "asso-denied", 13: "algo-unsupported", 14: "bad-seq-num",
                15: "challenge-failure", 16: "timeout", 17: "AP-full",
                18: "rate-unsupported"}

class _SubtypeField(BitEnumField):
    """The 4-bit subtype, named by the frame's type (Scapy's ``BitMultiEnumField``)."""

    __slots__ = ()

    def _names_for(self, pkt: Any) -> dict[int, str]:
        kind = pkt.__dict__.get("type") if pkt is not None else None
        return DOT11_SUBTYPES.get(kind, {}) if isinstance(kind, int) else {}

    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str):
            for name_to_num in (self._names_for(pkt), *DOT11_SUBTYPES.values()):
                for num, name in name_to_num.items():
                    if name == x:
                        return num
            raise ValueError(f"subtype: unknown name {x!r}")
        return x

    def i2repr(self, pkt: Any, x: Any) -> str:
        name = self._names_for(pkt).get(x) if isinstance(x, int) else None
        return name if name is not None else repr(x)

    def type_name(self) -> str:
        return "BitMultiEnumField"


class _Dot11MacField(MACField):
    """An address shown with what it means in this frame (Scapy's ``_Dot11MacField``)."""

    __slots__ = ("index",)

    def __init__(self, name: str, default: Any, index: int) -> None:
        self.index = index
        super().__init__(name, default)

    def i2repr(self, pkt: Any, x: Any) -> str:
        s = str(super().i2repr(pkt, x))
        meaning = pkt.address_meaning(self.index) if pkt is not None else None
        return f"{s} ({meaning})" if meaning else s

    def type_name(self) -> str:
        return "_Dot11MacField"


def _is_cfe(p: Any) -> bool:
    return (p.type, p.subtype) == (1, 6)


def _is_s1g(p: Any) -> bool:
    return (p.type, p.subtype) == (3, 1)


def _mac_fields() -> tuple[Any, ...]:
    """The MAC header's table (see the module docstring)."""
    return (
        _SubtypeField("subtype", 0, 4, {}),
        BitEnumField("type", 0, 2, ["Management", "Control", "Data", "Extension"]),
        BitField("proto", 0, 2),
        ConditionalField(BitEnumField("cfe", 0, 4, _CFE), _is_cfe),
        MultipleTypeField(
            [(FlagsField("FCfield", 0, 4, ["pw_mgt", "MD", "protected", "order"]), _is_cfe),
             (FlagsField("FCfield", 0, 2, ["security", "AP_PM"]), _is_s1g)],
            FlagsField("FCfield", 0, 8, ["to_DS", "from_DS", "MF", "retry", "pw_mgt", "MD",
                                         "protected", "order"])),
        ConditionalField(BitField("FCfield_bw", 0, 3), _is_s1g),
        ConditionalField(FlagsField("FCfield2", 0, 3, ["next_tbtt", "comp_ssid", "ano"]),
                         _is_s1g),
        LEShortField("ID", 0),
        _Dot11MacField("addr1", _ETHER_ANY, 1),
        ConditionalField(_Dot11MacField("addr2", _ETHER_ANY, 2),
                         lambda p: p.type not in (1, 3) or p.subtype in (4, 5, 6, 8, 9, 10, 11,
                                                                         14, 15)),
        ConditionalField(_Dot11MacField("addr3", _ETHER_ANY, 3),
                         lambda p: p.type in (0, 2) or (_is_cfe(p) and p.cfe == 6)),
        ConditionalField(LEShortField("SC", 0), lambda p: p.type not in (1, 3)),
        ConditionalField(_Dot11MacField("addr4", _ETHER_ANY, 4),
                         lambda p: p.type == 2 and int(p.FCfield) & 3 == 3),
    )


class Dot11(Packet):
    """The 802.11 MAC header (frame control, duration, addresses, sequence control)."""

    name = "802.11"
    fields_desc = _mac_fields()

    def mysummary(self) -> str:
        cls = type(self).__name__
        return str(self.sprintf(f"802.11 %{cls}.type% %{cls}.subtype% %{cls}.addr2% > "
                                f"%{cls}.addr1%"))

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        """QoS data frames carry QoS control; protected frames an encrypted body."""
        if self.type == 2 and 8 <= self.subtype <= 15 and self.subtype != 13:
            return Dot11QoS
        if getattr(self.FCfield, "protected", False):
            return Dot11Encrypted
        return Packet.guess_payload_class(self, payload)

    def answers(self, other: Packet) -> bool:
        """Scapy's rule: management responses to their requests, data through payloads."""
        if not isinstance(other, Dot11):
            return False
        if self.type == 0:
            if str(self.addr1).lower() != str(other.addr2).lower():
                return False
            if (other.subtype, self.subtype) in ((0, 1), (2, 3), (4, 5)):
                return True
            if self.subtype == other.subtype == 11:
                return bool(self.payload.answers(other.payload))
        elif self.type == 2:
            return bool(self.payload.answers(other.payload))
        return False

    def address_meaning(self, index: int) -> str | None:
        """What ``addr{index}`` means in this frame (RA, TA, BSSID, SA, DA...)."""
        if index not in (1, 2, 3, 4):
            raise ValueError("Wrong index: should be [1, 2, 3, 4]")
        i = index - 1
        kind = self.type
        if kind == 0 or kind == 3:
            return _MEANINGS[kind][i]  # type: ignore[no-any-return]
        if kind == 1:
            if _is_cfe(self) and self.cfe == 6:
                return ("RA", "NAV-SA", "NAV-DA", None)[i]
            return _MEANINGS[1][i]  # type: ignore[no-any-return]
        if kind == 2:
            fc = int(self.FCfield)
            meaning: str | None = _MEANINGS[2][i][fc & 1][fc >> 1 & 1]
            if meaning and i in (2, 3):
                qos = self.payload
                if isinstance(qos, Dot11QoS) and qos.A_MSDU_Present:
                    meaning = "BSSID"
            return meaning
        return None


class Dot11FCS(Dot11):
    """An 802.11 frame ending with its FCS (CRC-32, little-endian), computed when None."""

    name = "802.11-FCS"
    match_subclass = True
    fields_desc = (*_mac_fields(), FCSField("fcs", None, fmt="<I"))

    def compute_fcs(self, s: bytes) -> bytes:
        """The FCS of ``s`` as it goes on the wire."""
        return struct.pack("<I", zlib.crc32(s) & 0xFFFFFFFF)

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.fcs is None:
            p = p[:-4] + self.compute_fcs(p[:-4])
        return p


class Dot11QoS(Packet):
    """QoS control: A-MSDU present, ack policy, EOSP, TID, TXOP."""

    name = "802.11 QoS"
    fields_desc = (BitField("A_MSDU_Present", 0, 1), BitField("Ack_Policy", 0, 2),
                   BitField("EOSP", 0, 1), BitField("TID", 0, 4), ByteField("TXOP", 0))

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        under = self.underlayer
        if isinstance(under, Dot11) and getattr(under.FCfield, "protected", False):
            return Dot11Encrypted
        return Packet.guess_payload_class(self, payload)


class _Dot11EltUtils(Packet):
    """Management frames followed by information elements: their summary."""

    def network_stats(self) -> dict[str, Any]:
        """The SSID, channel, country, rates and security the elements announce (Scapy's)."""
        summary: dict[str, Any] = {}
        crypto: set[str] = set()
        p = self.payload
        while isinstance(p, Dot11Elt):
            if p.ID == 0 and "ssid" not in summary:
                summary["ssid"] = bytes(p.info).decode("utf8", "replace")
            elif p.ID == 3:
                summary["channel"] = bytes(p.info)[0] if p.info else None
            elif isinstance(p, Dot11EltCountry):
                summary["country"] = bytes(p.country_string[:2]).decode("latin-1")
                summary["country_desc_type"] = {
                    b"I": "Indoor", b"O": "Outdoor", b"X": "Non-country", b"\xff": "Ignored",
                }.get(bytes(p.country_string[-1:]))
            elif isinstance(p, Dot11EltRates):
                summary.setdefault("rates", []).extend((x & 0x7F) / 2.0 for x in p.rates)
            elif isinstance(p, Dot11EltRSN):
                crypto.add(_rsn_label(p))
            elif p.ID == 221 and isinstance(p, Dot11EltMicrosoftWPA):
                crypto.add("WPA/" + p.akm_suites[0].sprintf("%suite%") if p.akm_suites
                           else "WPA")
            p = p.payload
        if not crypto and "cap" in self._fieldmap:
            crypto.add("WEP" if self.cap.privacy else "OPN")
        if crypto:
            summary["crypto"] = crypto
        return summary


def _rsn_label(p: Any) -> str:
    """WPA2, WPA3 or WPA3-transition, with the first AKM suite's name (Scapy's rule)."""
    akms = [x.suite for x in p.akm_suites]
    version = "WPA2"
    if 8 in akms and 2 not in akms and 6 not in akms and p.mfp_capable and p.mfp_required \
            and all(x.cipher not in (1, 2, 5) for x in p.pairwise_cipher_suites):
        version = "WPA3"
    elif 8 in akms and 2 in akms and p.mfp_capable and not p.mfp_required:
        version = "WPA3-transition"
    if p.akm_suites:
        return f"{version}/{p.akm_suites[0].sprintf('%suite%')}"
    return version


def _beacon_fields() -> tuple[Any, ...]:
    return (LELongField("timestamp", 0), LEShortField("beacon_interval", 0x0064),
            FlagsField("cap", 0, 16, CAPABILITIES))


class Dot11Beacon(_Dot11EltUtils):
    """A beacon: timestamp, beacon interval, capabilities; then elements."""

    name = "802.11 Beacon"
    fields_desc = _beacon_fields()


class Dot11ATIM(Packet):
    """An announcement traffic indication message (no body)."""

    name = "802.11 ATIM"


class Dot11Disas(Packet):
    """A disassociation: its reason code."""

    name = "802.11 Disassociation"
    fields_desc = (LEShortEnumField("reason", 1, REASON_CODES),)


class Dot11AssoReq(_Dot11EltUtils):
    """An association request: capabilities, listen interval; then elements."""

    name = "802.11 Association Request"
    fields_desc = (FlagsField("cap", 0, 16, CAPABILITIES), LEShortField("listen_interval", 0x00C8))


class Dot11AssoResp(_Dot11EltUtils):
    """An association response: capabilities, status, association id; then elements."""

    name = "802.11 Association Response"
    fields_desc = (FlagsField("cap", 0, 16, CAPABILITIES), LEShortField("status", 0),
                   LEShortField("AID", 0))


class Dot11ReassoReq(_Dot11EltUtils):
    """A reassociation request: as an association request, plus the current AP."""

    name = "802.11 Reassociation Request"
    fields_desc = (FlagsField("cap", 0, 16, CAPABILITIES), LEShortField("listen_interval", 0x00C8),
                   MACField("current_AP", _ETHER_ANY))


class Dot11ReassoResp(Dot11AssoResp):
    """A reassociation response (an association response's fields)."""

    name = "802.11 Reassociation Response"


class Dot11ProbeReq(_Dot11EltUtils):
    """A probe request: elements only."""

    name = "802.11 Probe Request"


class Dot11ProbeResp(_Dot11EltUtils):
    """A probe response: a beacon's fixed fields; then elements."""

    name = "802.11 Probe Response"
    fields_desc = _beacon_fields()


class Dot11Auth(_Dot11EltUtils):
    """An authentication: algorithm, sequence number, status; then elements."""

    name = "802.11 Authentication"
    fields_desc = (LEShortEnumField("algo", 0, {0: "open", 1: "sharedkey"}),
                   LEShortField("seqnum", 0), LEShortEnumField("status", 0, STATUS_CODES))

    def answers(self, other: Packet) -> bool:
        """The next step of the same algorithm (SAE answers with the same number)."""
        if not isinstance(other, Dot11Auth) or self.algo != other.algo:
            return False
        return bool(self.seqnum == other.seqnum + 1
                    or (self.algo == 3 and self.seqnum == other.seqnum))


class Dot11Deauth(Packet):
    """A deauthentication: its reason code."""

    name = "802.11 Deauthentication"
    fields_desc = (LEShortEnumField("reason", 1, REASON_CODES),)


class Dot11Ack(Packet):
    """Scapy's name for what follows a control frame of subtype 13 (no body)."""

    name = "802.11 Ack packet"


class Dot11S1GBeacon(_Dot11EltUtils):
    """An S1G (802.11ah) beacon: a 4-byte timestamp and the change sequence."""

    name = "802.11 S1G Beacon"
    fields_desc = (LEIntField("timestamp", 0), ByteField("change_seq", 0))


_EXT_IV = 0x20


class Dot11Encrypted(Packet):
    """A protected frame's body, its algorithm told by its first bytes (as Wireshark):
    ``Dot11WEP``, ``Dot11TKIP`` or ``Dot11CCMP``, kept as bytes (paquet does not decrypt)."""

    name = "802.11 Encrypted (unknown algorithm)"
    fields_desc: ClassVar[Sequence[Field]] = (StrField("data", None),)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if cls is not Dot11Encrypted:
            return cls
        b = data[start:end]
        if len(b) < 4:
            return Raw if b else cls
        if b[3] & _EXT_IV and len(b) >= 8:
            if b[1] == (b[0] | 0x20) & 0x7F:
                return Dot11TKIP
            if b[2] == 0:
                return Dot11CCMP
            return Dot11Encrypted
        return Dot11WEP


class Dot11WEP(Dot11Encrypted):
    """A WEP body: IV, key id, the encrypted data and its ICV (never decrypted here)."""

    name = "802.11 WEP packet"
    fields_desc = (StrFixedLenField("iv", b"\0\0\0", 3), ByteField("keyid", 0),
                   StrField("wepdata", None, remain=4), IntField("icv", None))


class Dot11TKIP(Dot11Encrypted):
    """A TKIP body: its IV and extended IV, then the encrypted data."""

    name = "802.11 TKIP packet"
    fields_desc = (
        ByteField("TSC1", 0), ByteField("WEPSeed", 0), ByteField("TSC0", 0),
        BitField("key_id", 0, 2), BitField("ext_iv", 0, 1), BitField("res", 0, 5),
        *(ConditionalField(ByteField(f"TSC{i}", 0), lambda p: p.ext_iv) for i in range(2, 6)),
        StrField("data", None),
    )


class Dot11CCMP(Dot11Encrypted):
    """A CCMP body: its packet number and key id, then the encrypted data."""

    name = "802.11 CCMP packet"
    fields_desc = (
        ByteField("PN0", 0), ByteField("PN1", 0), ByteField("res0", 0),
        BitField("key_id", 0, 2), BitField("ext_iv", 0, 1), BitField("res1", 0, 5),
        ByteField("PN2", 0), ByteField("PN3", 0), ByteField("PN4", 0), ByteField("PN5", 0),
        StrField("data", None),
    )


def _bind_llc() -> None:
    """Data frames carry LLC when the LLC layer exists (``paquet.layers.llc``, worktree l2);
    without it their bodies stay Raw."""
    import importlib

    try:
        llc = importlib.import_module("paquet.layers.llc").LLC
    except (ModuleNotFoundError, AttributeError):
        return
    registry.bind_layers(Dot11, llc, type=2)
    registry.bind_layers(Dot11QoS, llc)


def _register() -> None:
    from paquet.layers import radiotap
    from paquet.layers.radiotap import PrismHeader, RadioTap

    radiotap.PAYLOADS.update(plain=Dot11, fcs=Dot11FCS)
    SUMMARY_HEADERS.append(Dot11)
    registry.bind_top_down(RadioTap, Dot11FCS, present=2, Flags=16)
    registry.bind_top_down(Dot11, Dot11QoS, type=2, subtype=0xC)
    registry.bind_layers(PrismHeader, Dot11)
    for sub, frame in ((0, Dot11AssoReq), (1, Dot11AssoResp), (2, Dot11ReassoReq),
                     (3, Dot11ReassoResp), (4, Dot11ProbeReq), (5, Dot11ProbeResp),
                     (8, Dot11Beacon), (9, Dot11ATIM), (10, Dot11Disas), (11, Dot11Auth),
                     (12, Dot11Deauth), (13, Dot11Action)):
        registry.bind_layers(Dot11, frame, subtype=sub, type=0)
    registry.bind_layers(Dot11, Dot11S1GBeacon, subtype=1, type=3)
    registry.bind_layers(Dot11, Dot11Ack, subtype=13, type=1)
    for with_elements in (Dot11Beacon, Dot11S1GBeacon, Dot11AssoReq, Dot11AssoResp, Dot11ReassoReq,
                Dot11ReassoResp, Dot11ProbeReq, Dot11ProbeResp, Dot11Auth, Dot11Elt):
        registry.bind_layers(with_elements, Dot11Elt)
    registry.bind_layers(Dot11TKIP, Raw)
    registry.bind_layers(Dot11CCMP, Raw)
    _bind_llc()
    registry.bind_linktype(LinkType.IEEE802_11, Dot11)
    registry.bind_linktype(LinkType.PRISM_HEADER, PrismHeader)
    registry.bind_linktype(LinkType.IEEE802_11_RADIOTAP, RadioTap)


_register()
