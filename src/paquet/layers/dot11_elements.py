"""802.11 information elements (802.11-2020 9.4.2): ``Dot11Elt`` (ID, length, data) and its
typed variants, chosen by the element's ID as Scapy's ``Dot11Elt.dispatch_hook`` does
(vendor elements then by their OUI, extension elements by their extension ID).

Class, field names, defaults and the registration of variants (``register_variant``) are
Scapy 2.8's (``scapy.layers.dot11``). Every element keeps ``info`` (its data bytes) readable,
as Scapy's do for the code written before the typed variants.

>>> e = Dot11Elt(b"\\x00\\x04test\\x01\\x02\\x82\\x84")
>>> e.info, type(e.payload).__name__, e.payload.rates
(b'test', 'Dot11EltRates', [130, 132])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, XByteField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import LEShortField, OUIField
from paquet.packet.strfields import StrFixedLenField, StrLenField, XStrFixedLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldLenField,
    FieldListField,
    LEFieldLenField,
    MayEnd,
    PacketField,
    PacketListField,
)

__all__ = [
    "AKMSuite", "Dot11Elt", "Dot11EltCSA", "Dot11EltCountry",
    "Dot11EltCountryConstraintTriplet", "Dot11EltDSSSet", "Dot11EltERP", "Dot11EltExtension",
    "Dot11EltExtensionGeneric", "Dot11EltHEOperation", "Dot11EltHTCapabilities",
    "Dot11EltHTOperation", "Dot11EltMicrosoftWPA", "Dot11EltOBSS", "Dot11EltRSN",
    "Dot11EltRates", "Dot11EltVHTOperation", "Dot11EltVendorSpecific",
    "Dot11HE6GOperationInfo", "Dot11VHTOperationInfo", "PMKIDListPacket", "RSNCipherSuite",
]

#: Element names by ID (802.11-2016 9.4.2), as Scapy shows them.
ELEMENT_IDS = {
    0: "SSID", 1: "Supported Rates", 2: "FHset", 3: "DSSS Set", 4: "CF Set", 5: "TIM",
    6: "IBSS Set", 7: "Country", 10: "Request", 11: "BSS Load", 12: "EDCA Set", 13: "TSPEC",
    14: "TCLAS", 15: "Schedule", 16: "Challenge text", 32: "Power Constraint",
    33: "Power Capability", 36: "Supported Channels", 37: "Channel Switch Announcement",
    38: "Measurement Request", 39: "Measurement Report", 42: "ERP", 45: "HT Capabilities",
    46: "QoS Capability", 48: "RSN", 50: "Extended Supported Rates", 52: "Neighbor Report",
    61: "HT Operation", 74: "Overlapping BSS Scan Parameters", 107: "Interworking",
    127: "Extended Capabilities", 191: "VHT Capabilities", 192: "VHT Operation",
    221: "Vendor Specific", 255: "Element ID Extension",
}
#: Names older Scapy code uses for some IDs (accepted when building).
_OLD_NAMES = {"Rates": 1, "DSset": 3, "CFset": 4, "IBSSset": 6, "challenge": 16,
              "PowerCapability": 33, "Channels": 36, "ERPinfo": 42, "HTinfo": 45,
              "RSNinfo": 48, "ESRates": 50, "ExtendendCapatibilities": 127,
              "VHTCapabilities": 191, "Vendor": 221}
_NAME_TO_ID = {**{v: k for k, v in ELEMENT_IDS.items()}, **_OLD_NAMES}
_ID_ENUM = (lambda x: ELEMENT_IDS.get(x, x) if isinstance(x, int) else repr(x),
            lambda x: _NAME_TO_ID.get(x, x) if isinstance(x, str) else x)

CIPHER_SUITES = {
    0x00: "Use group cipher suite", 0x01: "WEP-40", 0x02: "TKIP", 0x03: "OCB",
    0x04: "CCMP-128", 0x05: "WEP-104", 0x06: "BIP-CMAC-128",
    0x07: "Group addressed traffic not allowed", 0x08: "GCMP-128", 0x09: "GCMP-256",
    0x0A: "CCMP-256", 0x0B: "BIP-GMAC-128", 0x0C: "BIP-GMAC-256", 0x0D: "BIP-CMAC-256",
}
AKM_SUITES = dict(enumerate((
    "Reserved", "802.1X", "PSK", "FT-802.1X", "FT-PSK", "WPA-SHA256", "PSK-SHA256", "TDLS",
    "SAE", "FT-SAE", "AP-PEER-KEY", "WPA-SHA256-SUITE-B", "WPA-SHA384-SUITE-B",
    "FT-802.1X-SHA384", "FILS-SHA256", "FILS-SHA384", "FT-FILS-SHA256", "FT-FILS-SHA384",
    "OWE")))


def absent_as_none(pkt: Any) -> None:
    """After dissection, a conditional packet field whose condition is false reads None, as
    in Scapy (the engine keeps its default packet: other kinds already read None)."""
    d = pkt.__dict__
    for f in pkt._fields:
        if f.isconditional and isinstance(d.get(f.name), Packet) and not f._evalcond(pkt):
            d[f.name] = None


def _id(default: int) -> ByteEnumField:
    return ByteEnumField("ID", default, _ID_ENUM)


class _Alone(Packet):
    """A structure inside an element: nothing after it belongs to it."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class Dot11Elt(Packet):
    """An information element: ``ID``, ``len`` (computed) and ``info``; a known ID
    dissects as its typed variant.

    >>> bytes(Dot11Elt(ID="SSID", info="lab"))
    b'\\x00\\x03lab'
    """

    name = "802.11 Information Element"
    fields_desc: ClassVar[Sequence[Field]] = (
        _id(0),
        FieldLenField("len", None, "info", "B"),
        StrLenField("info", b"", length_from=lambda p: p.len, max_length=255),
    )
    show_indent = 0
    registered_ies: ClassVar[dict[int, type[Dot11Elt]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Scapy registers every element class when it is created; paquet when it is first
        # needed (its field table is compiled after this hook).
        super().__init_subclass__(**kwargs)
        _PENDING.append(cls)

    def mysummary(self) -> Any:
        if self.ID == 0:  # the frame's header is described too (Scapy's)
            return f"SSID='{bytes(self.info).decode('utf8', 'replace')}'", SUMMARY_HEADERS
        return ""

    @classmethod
    def register_variant(cls, id: int | None = None) -> None:
        """Dissect elements of ``id`` (default: the class's ``ID`` default) with ``cls``."""
        key = id or cls._fieldmap["ID"].default
        Dot11Elt.registered_ies.setdefault(key, cls)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if _PENDING:
            _flush()
        if end - start < 1:
            return cls
        found = Dot11Elt.registered_ies.get(data[start], cls)
        own = found.__dict__.get("dispatch_class")
        if found is not cls and own is not None:
            return own.__func__(found, data, start, end)  # type: ignore[no-any-return]
        return found

    def pre_dissect(self, s: bytes) -> bytes:
        """Every element keeps its data readable as ``info`` (Scapy's compatibility)."""
        if "info" not in self._fieldmap and len(s) >= 3 and s[1] > 0:
            self.__dict__["_info"] = s[2:2 + s[1]]
        return s

    def post_dissect(self, s: bytes) -> bytes:
        """The fields absent from these bytes read None (Scapy's)."""
        absent_as_none(self)
        return s

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        """Fill ``len`` when it was left None."""
        if self.len is None:
            p = p[:1] + bytes(((len(p) - 2) & 0xFF,)) + p[2:]
        return p + pay

    def __getattr__(self, attr: str) -> Any:
        if attr == "info":
            d = self.__dict__
            if "_info" in d:
                return d["_info"]
            raw = bytes(self)
            return raw[2:2 + raw[1]] if len(raw) >= 2 else b""
        return super().__getattr__(attr)


#: The headers an SSID's summary asks to describe too (``Dot11``, set by paquet.layers.dot11).
SUMMARY_HEADERS: list[type[Packet]] = []

#: Element classes created and not registered yet (see Dot11Elt.__init_subclass__).
_PENDING: list[type[Dot11Elt]] = []


def _flush() -> None:
    while _PENDING:
        _PENDING.pop(0).register_variant()


class Dot11EltDSSSet(Dot11Elt):
    """The DSSS parameter set: the current channel."""

    name = "802.11 DSSS Parameter Set"
    match_subclass = True
    fields_desc = (_id(3), ByteField("len", 1), ByteField("channel", 0))


class Dot11EltERP(Dot11Elt):
    """The ERP element: protection flags."""

    name = "802.11 ERP"
    match_subclass = True
    fields_desc = (_id(42), ByteField("len", 1), BitField("NonERP_Present", 0, 1),
                   BitField("Use_Protection", 0, 1), BitField("Barker_Preamble_Mode", 0, 1),
                   BitField("res", 0, 5))


class RSNCipherSuite(_Alone):
    """A cipher suite: OUI and type."""

    name = "Cipher suite"
    fields_desc = (OUIField("oui", 0x000FAC), ByteEnumField("cipher", 0x04, CIPHER_SUITES))


class AKMSuite(_Alone):
    """An authentication and key management suite: OUI and type."""

    name = "AKM suite"
    fields_desc = (OUIField("oui", 0x000FAC), ByteEnumField("suite", 0x01, AKM_SUITES))


class PMKIDListPacket(_Alone):
    """A count of PMKIDs and the PMKIDs (16 bytes each)."""

    name = "PMKIDs"
    fields_desc = (
        LEFieldLenField("nb_pmkids", None, count_of="pmkid_list"),
        FieldListField("pmkid_list", None, XStrFixedLenField("", "", length=16),
                       count_from=lambda p: p.nb_pmkids),
    )


def _rsn_rest(p: Any) -> int:
    """The bytes of an RSN element after its suites (None length: as if all present)."""
    return int(p.len) - (12 + (p.nb_pairwise_cipher_suites or 0) * 4
                         + (p.nb_akm_suites or 0) * 4)


_RSN_CAPS = ("mfp_capable", "mfp_required", "gtksa_replay_counter", "ptksa_replay_counter",
             "no_pairwise", "pre_auth", "reserved", "ocvc", "extended_key_id", "pbac",
             "spp_a_msdu_required", "spp_a_msdu_capable", "peer_key_enabled",
             "joint_multiband_rsna")


def _rsn_suites() -> tuple[Any, ...]:
    return (
        LEShortField("version", 1),
        PacketField("group_cipher_suite", RSNCipherSuite(), RSNCipherSuite),
        LEFieldLenField("nb_pairwise_cipher_suites", None, count_of="pairwise_cipher_suites"),
        PacketListField("pairwise_cipher_suites", [RSNCipherSuite()], RSNCipherSuite,
                        count_from=lambda p: p.nb_pairwise_cipher_suites),
        LEFieldLenField("nb_akm_suites", None, count_of="akm_suites"),
        PacketListField("akm_suites", [AKMSuite()], AKMSuite,
                        count_from=lambda p: p.nb_akm_suites),
    )


class Dot11EltRSN(Dot11Elt):
    """The RSN element: version, group and pairwise ciphers, AKM suites, capabilities, then
    PMKIDs and the group management cipher when the length leaves room for them."""

    name = "802.11 RSN information"
    match_subclass = True
    fields_desc = (
        _id(48), ByteField("len", None), *_rsn_suites(),
        *(BitField(n, 1 if n.startswith("mfp") else 0, 2 if "replay" in n else 1)
          for n in _RSN_CAPS),
        ConditionalField(PacketField("pmkids", PMKIDListPacket(), PMKIDListPacket),
                         lambda p: p.len is None or _rsn_rest(p) >= 2),
        ConditionalField(
            PacketField("group_management_cipher_suite", RSNCipherSuite(cipher=0x6),
                        RSNCipherSuite),
            lambda p: p.len is None or _rsn_rest(p) - (
                (2 + (p.pmkids.nb_pmkids or 0) * 16) if p.pmkids else 0) >= 4),
    )


class Dot11EltCountryConstraintTriplet(_Alone):
    """First channel, number of channels, maximum transmit power."""

    name = "802.11 Country Constraint Triplet"
    fields_desc = (ByteField("first_channel_number", 1), ByteField("num_channels", 24),
                   ByteField("mtp", 0))


class Dot11EltCountry(Dot11Elt):
    """The Country element: the country string, constraint triplets, a pad byte."""

    name = "802.11 Country"
    match_subclass = True
    fields_desc = (
        _id(7), ByteField("len", None),
        StrFixedLenField("country_string", b"\0\0\0", length=3),
        MayEnd(PacketListField("descriptors", [], Dot11EltCountryConstraintTriplet,
                               length_from=lambda p: p.len - 3 - (p.len % 3))),
        ConditionalField(ByteField("pad", 0),
                         lambda p: ((len(p.descriptors) + 1) % 2) if p.len is None
                         else (p.len % 3)),
    )


class _RateField(ByteField):
    """A rate in 500 kb/s units, its top bit marking a basic rate."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any) -> str:
        if x is None:
            return ""
        return f"{(x & 0x7F) / 2.0}{'(B)' if x & 0x80 else ''} Mbps"


class Dot11EltRates(Dot11Elt):
    """Supported (ID 1) or extended supported (ID 50) rates."""

    name = "802.11 Rates"
    match_subclass = True
    fields_desc = (_id(1), ByteField("len", None),
                   FieldListField("rates", [0x82], _RateField("", 0),
                                  length_from=lambda p: p.len))


def _bits(total: int, *spec: tuple[str, int, int]) -> tuple[Any, ...]:
    """A little-endian group of ``total`` bytes: (name, default, bits) from the top bit."""
    out: list[Any] = []
    last = len(spec) - 1
    for i, (name, default, size) in enumerate(spec):
        kw = {"tot_size": -total} if i == 0 else {"end_tot_size": -total} if i == last else {}
        out.append(BitField(name, default, size, **kw))
    return tuple(out)


class Dot11EltHTCapabilities(Dot11Elt):
    """HT capabilities (802.11n): capability info, A-MPDU parameters, MCS set, extended
    capabilities, beamforming and antenna selection."""

    name = "802.11 HT Capabilities"
    match_subclass = True
    fields_desc = (
        _id(45), ByteField("len", None),
        BitField("L_SIG_TXOP_Protection", 0, 1, tot_size=-2),
        BitField("Forty_Mhz_Intolerant", 0, 1), BitField("PSMP", 0, 1),
        BitField("DSSS_CCK", 0, 1),
        BitEnumField("Max_A_MSDU", 0, 1, {0: "3839 o", 1: "7935 o"}),
        BitField("Delayed_BlockAck", 0, 1), BitField("Rx_STBC", 0, 2),
        BitField("Tx_STBC", 0, 1), BitField("Short_GI_40Mhz", 0, 1),
        BitField("Short_GI_20Mhz", 0, 1), BitField("Green_Field", 0, 1),
        BitEnumField("SM_Power_Save", 0, 2, {0: "static SM", 1: "dynamic SM", 3: "disabled"}),
        BitEnumField("Supported_Channel_Width", 0, 1, {0: "20Mhz", 1: "20Mhz+40Mhz"}),
        BitField("LDPC_Coding_Capability", 0, 1, end_tot_size=-2),
        *_bits(1, ("res1", 0, 3), ("Min_MPDCU_Start_Spacing", 8, 3),
               ("Max_A_MPDU_Length_Exponent", 3, 2)),
        *_bits(16, ("res2", 0, 27), ("TX_Unequal_Modulation", 0, 1),
               ("TX_Max_Spatial_Streams", 0, 2), ("TX_RX_MCS_Set_Not_Equal", 0, 1),
               ("TX_MCS_Set_Defined", 0, 1), ("res3", 0, 6),
               ("RX_Highest_Supported_Data_Rate", 0, 10), ("res4", 0, 3),
               ("RX_MSC_Bitmask", 0, 77)),
        *_bits(2, ("res5", 0, 4), ("RD_Responder", 0, 1), ("HTC_HT_Support", 0, 1),
               ("MCS_Feedback", 0, 2), ("res6", 0, 5), ("PCO_Transition_Time", 0, 2),
               ("PCO", 0, 1)),
        *_bits(4, ("res7", 0, 3), ("Channel_Estimation_Capability", 0, 2),
               ("CSI_max_n_Rows_Beamformer_Supported", 0, 2),
               ("Compressed_Steering_n_Beamformer_Antennas_Supported", 0, 2),
               ("Noncompressed_Steering_n_Beamformer_Antennas_Supported", 0, 2),
               ("CSI_n_Beamformer_Antennas_Supported", 0, 2), ("Minimal_Grouping", 0, 2),
               ("Explicit_Compressed_Beamforming_Feedback", 0, 2),
               ("Explicit_Noncompressed_Beamforming_Feedback", 0, 2),
               ("Explicit_Transmit_Beamforming_CSI_Feedback", 0, 2),
               ("Explicit_Compressed_Steering", 0, 1),
               ("Explicit_Noncompressed_Steering", 0, 1),
               ("Explicit_CSI_Transmit_Beamforming", 0, 1), ("Calibration", 0, 2),
               ("Implicit_Trasmit_Beamforming", 0, 1), ("Transmit_NDP", 0, 1),
               ("Receive_NDP", 0, 1), ("Transmit_Staggered_Sounding", 0, 1),
               ("Receive_Staggered_Sounding", 0, 1),
               ("Implicit_Transmit_Beamforming_Receiving", 0, 1)),
        FlagsField("ASEL", 0, 8, ["res", "Transmit_Sounding_PPDUs", "Receive_ASEL",
                                  "Antenna_Indices_Feedback", "Explicit_CSI_Feedback",
                                  "Explicit_CSI_Feedback_Based_Transmit_ASEL",
                                  "Antenna_Selection"]),
    )


class Dot11EltVendorSpecific(Dot11Elt):
    """A vendor-specific element: OUI, then the vendor's bytes; a known OUI dissects as
    its own class (Microsoft's WPA element)."""

    name = "802.11 Vendor Specific"
    match_subclass = True
    fields_desc = (_id(221), ByteField("len", None), OUIField("oui", 0x000000),
                   StrLenField("info", b"", length_from=lambda p: p.len - 3))
    registered_ouis: ClassVar[dict[int, type[Dot11EltVendorSpecific]]] = {}

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start < 5:
            return cls
        oui = int.from_bytes(data[start + 2:start + 5], "big")
        found = Dot11EltVendorSpecific.registered_ouis.get(oui, cls)
        own = found.__dict__.get("dispatch_class")
        if found is not cls and own is not None:
            return own.__func__(found, data, start, end)  # type: ignore[no-any-return]
        return found

    @classmethod
    def register_variant(cls, id: int | None = None) -> None:
        """Register a vendor's class by its OUI (the generic class by its ID)."""
        oui = cls._fieldmap["oui"].default
        if not oui:
            super().register_variant()
        else:
            Dot11EltVendorSpecific.registered_ouis.setdefault(oui, cls)


class Dot11EltMicrosoftWPA(Dot11EltVendorSpecific):
    """Microsoft's WPA element (OUI 00:50:f2, type 1): an RSN element's suites."""

    name = "802.11 Microsoft WPA"
    match_subclass = True
    fields_desc = (_id(221), ByteField("len", None), OUIField("oui", 0x0050F2),
                   XByteField("type", 0x01), *_rsn_suites())

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start > 5 and data[start + 5] == 0x01:
            return Dot11EltMicrosoftWPA
        return Dot11EltVendorSpecific


class Dot11EltCSA(Dot11Elt):
    """Channel switch announcement: mode, new channel, count."""

    name = "802.11 CSA Element"
    match_subclass = True
    fields_desc = (_id(37), ByteField("len", 3), ByteField("mode", 0),
                   ByteField("new_channel", 0), ByteField("channel_switch_count", 0))


class Dot11EltOBSS(Dot11Elt):
    """Overlapping BSS scan parameters."""

    name = "802.11 OBSS Scan Parameters Element"
    match_subclass = True
    fields_desc = (_id(74), ByteField("len", 14), *(LEShortField(n, 0) for n in (
        "Passive_Dwell", "Active_Dwell", "Scan_Interval", "Passive_Total_Per_Channel",
        "Active_Total_Per_Channel", "Delay", "Activity_Threshold")))


class Dot11VHTOperationInfo(_Alone):
    """VHT operation information: channel width and centre segments."""

    name = "802.11 VHT Operation Information"
    fields_desc = (ByteField("channel_width", 0), ByteField("channel_center0", 36),
                   ByteField("channel_center1", 0))


class _McsMap(FieldListField):
    """An MCS map: eight 2-bit values (one per spatial stream), two bytes."""

    __slots__ = ()

    def __init__(self, name: str) -> None:
        super().__init__(name, [0x00], BitField("SS", 0x00, size=2), count_from=lambda p: 8)

    def randval(self) -> Any:
        """Eight random 2-bit values (a map of another length would not fill whole bytes)."""
        import random

        from paquet.volatile.base import VolatileValue

        class RandMcsMap(VolatileValue):
            def _fix(self) -> list[int]:
                return [random.randrange(4) for _ in range(8)]

        return RandMcsMap()

    def i2repr(self, pkt: Any, x: Any) -> str:
        if hasattr(x, "_fix"):  # a random map shows by its class, as Scapy's random values
            return repr(x)
        return str(super().i2repr(pkt, x))

    def type_name(self) -> str:
        return "FieldListField"


def _mcs_map(name: str) -> FieldListField:
    return _McsMap(name)


class Dot11EltVHTOperation(Dot11Elt):
    """VHT operation: the operation information and the basic MCS map."""

    name = "802.11 VHT Operation Element"
    match_subclass = True
    fields_desc = (_id(192), ByteField("len", 5),
                   PacketField("VHT_Operation_Info", Dot11VHTOperationInfo(),
                               Dot11VHTOperationInfo),
                   _mcs_map("mcs_set"))


class Dot11EltExtension(Dot11Elt):
    """An element of ID 255: its extension ID says what follows."""

    name = "802.11 Element ID Extension"
    match_subclass = True
    fields_desc: ClassVar[Sequence[Field]] = (_id(255), ByteField("len", 0),
                        ConditionalField(ByteField("ext_ID", 0), lambda p: p.len > 0))
    registered_ext_ids: ClassVar[dict[int, type[Dot11EltExtension]]] = {}

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start < 3:
            return cls
        return Dot11EltExtension.registered_ext_ids.get(data[start + 2],
                                                        Dot11EltExtensionGeneric)

    @classmethod
    def register_variant(cls, ext_id: int | None = None) -> None:
        """Register an extension's class by its extension ID."""
        key = ext_id or cls._fieldmap["ext_ID"].default
        if not key:
            super().register_variant()
        else:
            Dot11EltExtension.registered_ext_ids.setdefault(key, cls)


class Dot11EltExtensionGeneric(Dot11EltExtension):
    """An extension element paquet does not know: its data as ``info``."""

    name = "802.11 Element ID Extension"
    match_subclass = True
    fields_desc = (*Dot11EltExtension.fields_desc,
                   StrLenField("info", b"", length_from=lambda p: max(p.len - 1, 0)))


class Dot11HE6GOperationInfo(_Alone):
    """HE 6 GHz operation information."""

    name = "802.11 HE 6 GHz Operation Information"
    fields_desc = (ByteField("primary_channel", 0),
                   *_bits(1, ("reserved", 0, 2), ("regulatory_info", 0, 3),
                          ("duplicate_beacon", 0, 1), ("channel_width", 0, 2)),
                   ByteField("channel_center0", 0), ByteField("channel_center1", 0),
                   ByteField("minimum_rate", 0))


class Dot11EltHEOperation(Dot11EltExtension):
    """HE operation (802.11ax, extension 36)."""

    name = "802.11 HE Operation"
    match_subclass = True
    fields_desc = (
        *Dot11EltExtension.fields_desc,
        *_bits(3, ("reserved", 0, 6), ("six_g_op_info_present", 0, 1),
               ("er_su_disable", 0, 1), ("co_hosted_bss", 0, 1),
               ("vht_operation_info_present", 0, 1), ("txop_duration_rts_threshold", 0, 10),
               ("twt_required", 0, 1), ("default_pe_duration", 0, 3)),
        *_bits(1, ("bss_color_disabled", 0, 1), ("partial_bss_color", 0, 1),
               ("bss_color", 0, 6)),
        _mcs_map("basic_he_mcs_and_nss_set"),
        ConditionalField(PacketField("vht_operation_info", Dot11VHTOperationInfo(),
                                     Dot11VHTOperationInfo),
                         lambda p: p.vht_operation_info_present == 1),
        ConditionalField(ByteField("max_co_hosted_bssid", 0), lambda p: p.co_hosted_bss == 1),
        ConditionalField(PacketField("he_6g_operation_info", Dot11HE6GOperationInfo(),
                                     Dot11HE6GOperationInfo),
                         lambda p: p.six_g_op_info_present == 1),
    )


class Dot11EltHTOperation(Dot11Elt):
    """HT operation (802.11n): primary channel, operation information, basic MCS set."""

    name = "802.11 HT Operation"
    match_subclass = True
    fields_desc = (
        _id(61), ByteField("len", 22), ByteField("primary_channel", 0),
        *_bits(1, ("reserved_1", 0, 4), ("rifs_mode", 0, 1), ("channel_width", 0, 1),
               ("secondary_channel_offset", 0, 2)),
        *_bits(2, ("reserved_3", 0, 11), ("obss_non_ht_stas_present", 0, 1),
               ("reserved_2", 0, 1), ("nongreenfield_ht_stas_present", 0, 1),
               ("ht_protection", 0, 2)),
        *_bits(2, ("reserved_4", 0, 10), ("pco_phase", 0, 1), ("pco_active", 0, 1),
               ("lsig_txop_protection_full_support", 0, 1), ("stbc_beacon", 0, 1),
               ("dual_cts_protection", 0, 1), ("dual_beacon", 0, 1)),
        StrFixedLenField("basic_mcs_set", b"\x00" * 16, 16),
    )


def _register() -> None:
    """Register each typed element by its ID, in Scapy's order (the first class of an ID
    wins): those of this module now, subclasses users write when first needed."""
    Dot11Elt.register_variant()
    _flush()
    Dot11EltRates.register_variant(50)
    Dot11EltHEOperation.register_variant(36)


_register()
