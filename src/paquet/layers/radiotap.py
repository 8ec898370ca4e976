"""Radiotap (radiotap.org) and the Prism header: what a capture card in monitor mode says
about each 802.11 frame it received (signal, rate, channel...), before the frame itself.

A Radiotap header is ``version``, ``pad``, ``len`` (little-endian: the whole header's length)
and a ``present`` bitmap saying which fields follow, each aligned to its natural size from the
start of the header. Bit 31 (``Ext``) says another 32-bit presence word follows (kept in
``Ext``, a list of :class:`RadioTapExtendedPresenceMask`). The fields paquet does not read,
up to ``len``, are kept as bytes in ``notdecoded``. Class, field names, defaults, alignment
(including where Scapy's differs from the radiotap spec, MCS aligned on 2 bytes) and the
payload's choice (``Dot11FCS`` when the Flags field has its FCS bit) are Scapy 2.8's
(``scapy.layers.dot11``).

>>> rt = RadioTap(present="Flags+Rate+dBm_AntSignal", Flags="FCS", Rate=2, dBm_AntSignal=-40)
>>> bytes(rt).hex()
'00000b00260000001004d8'
>>> RadioTap(bytes(rt)).dBm_AntSignal
-40
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.packet import enumfields
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import BitField, ByteField, Field, ShortField
from paquet.packet.flagfields import FlagsField, FlagValue
from paquet.packet.intfields import (
    LEIntField,
    LELongField,
    LEShortField,
    LESignedIntField,
    OUIField,
)
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldListField,
    PacketListField,
    ReversePadField,
)
from paquet.packet.valuefields import ScalingField

#: (an enumeration kind the engine makes with a factory: typed loosely here)
LEShortEnumField: Any = enumfields.LEShortEnumField

__all__ = ["PrismHeader", "RadioTap", "RadioTapExtendedPresenceMask", "RadioTapTLV"]

#: The bits of the first presence word, in order (Scapy's names).
RT_PRESENT = ["TSFT", "Flags", "Rate", "Channel", "FHSS", "dBm_AntSignal", "dBm_AntNoise",
              "Lock_Quality", "TX_Attenuation", "dB_TX_Attenuation", "dBm_TX_Power",
              "Antenna", "dB_AntSignal", "dB_AntNoise", "RXFlags", "TXFlags", "b17", "b18",
              "ChannelPlus", "MCS", "A_MPDU", "VHT", "timestamp", "HE", "HE_MU",
              "HE_MU_other_user", "zero_length_psdu", "L_SIG", "TLV", "RadiotapNS",
              "VendorNS", "Ext"]
_FLAGS = ["CFP", "ShortPreamble", "wep", "fragment", "FCS", "pad", "badFCS", "ShortGI"]
_CHANNEL_FLAGS = ["res1", "res2", "res3", "res4", "Turbo", "CCK", "OFDM", "2GHz", "5GHz",
                  "Passive", "Dynamic_CCK_OFDM", "GFSK", "GSM", "StaticTurbo", "10MHz",
                  "5MHz"]
_CHANNEL_PLUS_FLAGS = [*_CHANNEL_FLAGS, "20MHz", "40MHz_ext_channel_above",
                       "40MHz_ext_channel_below", "res5", "res6", "res7", "res8", "res9"]
_RX_FLAGS = ["res1", "BAD_PLCP", "res2"]
_TX_FLAGS = ["TX_FAIL", "CTS", "RTS", "NOACK", "NOSEQ", "ORDER"]
_TS_FLAGS = ["32-bit_counter", "Accuracy"] + [f"res{i}" for i in range(1, 7)]
_KNOWN_MCS = ["MCS_bandwidth", "MCS_index", "guard_interval", "HT_format", "FEC_type",
              "STBC_streams", "Ness", "Ness_MSB"]
_MCS_BANDWIDTH = {0: "20MHz", 1: "40MHz", 2: "ht40Mhz-", 3: "ht40MHz+"}
_A_MPDU_FLAGS = ["Report0Subframe", "Is0Subframe", "KnownLastSubframe", "LastSubframe",
                 "CRCerror", "EOFsubframe", "KnownEOF"] + [f"res{i}" for i in range(1, 9)]
#: VHT bandwidth codes (radiotap's table) and the width each stands for.
_VHT_BANDWIDTH = {code: "20MHz" if code == 0 else "40MHz" if code <= 3 else
                  "80MHz" if code <= 10 else "160MHz" for code in range(26)}
_KNOWN_VHT = ["STBC", "TXOP_PS_NOT_ALLOWED", "GuardInterval", "SGINsysmDis",
              "LDPCextraOFDM", "Beamformed", "Bandwidth", "GroupID", "PartialAID"] + [
                  f"res{i}" for i in range(1, 8)]
_PRESENT_VHT = ["STBC", "TXOP_PS_NOT_ALLOWED", "GuardInterval", "SGINsysmDis",
                "LDPCextraOFDM", "Beamformed", "res1", "res2"]
_HEMU_OTHER_KNOWN = ["user field position", "STA-ID", "NSTS", "Tx Beamforming",
                     "Spatial Configuration", "MCS", "DCM", "Coding"]


def _word_names(index: int) -> list[str]:
    """The bit names of presence word ``index`` (after the first): b0... or b32...; Ext."""
    return [f"b{i + 32 * index}" for i in range(31)] + ["Ext"]


class _WordFlagsField(FlagsField):
    """A presence word shown with the names of its own word (see ``present`` below)."""

    __slots__ = ()

    def i2repr(self, pkt: Any, x: Any) -> str:
        if pkt is not None and isinstance(x, int):
            return str(FlagValue(int(x), _word_names(pkt.__dict__.get("_index", 0))))
        return str(super().i2repr(pkt, x))

    def type_name(self) -> str:
        return "FlagsField"


class RadioTapExtendedPresenceMask(Packet):
    """One more 32-bit presence word (``present``, bits ``b32``... then ``Ext``). Its place
    in the list is given as ``index=`` (its bits are then named from ``b{32*index}``), as
    Scapy's.

    >>> bytes(RadioTapExtendedPresenceMask(present="b0+Ext"))
    b'\\x01\\x00\\x00\\x80'
    """

    name = "RadioTap Extended presence mask"
    fields_desc = (_WordFlagsField("present", None, -32, _word_names(0)),)

    def __init__(self, _pkt: bytes = b"", index: int = 0, **kwargs: Any) -> None:
        # The field's names convert what is given now (Scapy renames the class's field so);
        # the value read keeps the names of its own word (see ``present``).
        field: Any = self._fieldmap["present"]
        field.names = _word_names(index)
        super().__init__(_pkt, **kwargs)
        self.__dict__["_index"] = index

    @property
    def present(self) -> Any:
        """The presence bits, named for this word (``b32``... in the second one)."""
        value = self.__dict__["present"]
        if isinstance(value, int):
            return FlagValue(int(value), _word_names(self.__dict__.get("_index", 0)))
        return value

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """Nothing after a presence word belongs to it."""
        return b"", s


def _next_presence_word(pkt: Any, lst: list[Any], cur: Any, remain: bytes) -> Any:
    """The class of the next presence word while the previous one has its Ext bit."""
    if cur is None or (cur.present is not None and int(cur.present) >> 31 & 1):
        index = len(lst) + (cur is not None)

        def make(data: bytes = b"", **kw: Any) -> RadioTapExtendedPresenceMask:
            return RadioTapExtendedPresenceMask(data, index=index, **kw)

        return make
    return None


class RadioTapTLV(Packet):
    """A radiotap TLV (type, length, data padded to 4 bytes; a vendor namespace TLV, type 30,
    has its OUI, subtype and presence type first).

    >>> bytes(RadioTapTLV(type=5, data=b"abc"))
    b'\\x05\\x00\\x03\\x00abc\\x00'
    """

    name = "RadioTapTLV"
    fields_desc = (
        LEShortEnumField("type", 0, dict(enumerate(RT_PRESENT))),
        LEShortField("length", None),
        ConditionalField(OUIField("oui", 0), lambda p: p.type == 30),
        ConditionalField(ByteField("subtype", 0), lambda p: p.type == 30),
        ConditionalField(LEShortField("presence_type", 0), lambda p: p.type == 30),
        ConditionalField(LEShortField("reserved", 0), lambda p: p.type == 30),
        StrLenField("data", b"", length_from=lambda p: p.length),
        StrLenField("pad", None, length_from=lambda p: -p.length % 4),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        """Fill ``length`` and the padding to 4 bytes when they were left None."""
        data = self.data or b""
        if self.length is None:
            p = p[:2] + struct.pack("<H", len(data)) + p[4:]
        if self.pad is None:
            p += bytes(-len(data) % 4)
        return p + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """Nothing after a TLV belongs to it."""
        return b"", s


def _present(bit: str) -> Any:
    """The condition of a field group: its bit in the first presence word."""
    mask = 1 << RT_PRESENT.index(bit)
    return lambda pkt: pkt.present is not None and bool(int(pkt.present) & mask)


def _group(bit: str, align: int, *fields: Field) -> list[Field]:
    """The fields of one presence bit, the first aligned on ``align`` bytes from the start
    of the header (radiotap's rule, Scapy's ReversePadField)."""
    cond = _present(bit)
    out: list[Field] = []
    for i, f in enumerate(fields):
        inner: Any = ReversePadField(f, align) if i == 0 and align > 1 else f
        out.append(ConditionalField(inner, cond))
    return out


def _fields() -> tuple[Field, ...]:
    """RadioTap's field table: the fixed header, then one group per presence bit known."""
    return (
        ByteField("version", 0),
        ByteField("pad", 0),
        LEShortField("len", None),
        FlagsField("present", None, -32, RT_PRESENT),
        ConditionalField(PacketListField("Ext", [], next_cls_cb=_next_presence_word),
                         _present("Ext")),
        *_group("TSFT", 8, LELongField("mac_timestamp", 0)),
        *_group("Flags", 1, FlagsField("Flags", None, -8, _FLAGS)),
        *_group("Rate", 1, ScalingField("Rate", 0, scaling=0.5, unit="Mbps", fmt="B")),
        *_group("Channel", 2, LEShortField("ChannelFrequency", 0),
                FlagsField("ChannelFlags", None, -16, _CHANNEL_FLAGS)),
        *_group("dBm_AntSignal", 1, ScalingField("dBm_AntSignal", 0, unit="dBm", fmt="b")),
        *_group("dBm_AntNoise", 1, ScalingField("dBm_AntNoise", 0, unit="dBm", fmt="b")),
        *_group("Lock_Quality", 2, LEShortField("Lock_Quality", 0)),
        *_group("Antenna", 1, ByteField("Antenna", 0)),
        *_group("RXFlags", 2, FlagsField("RXFlags", None, -16, _RX_FLAGS)),
        *_group("TXFlags", 2, FlagsField("TXFlags", None, -16, _TX_FLAGS)),
        *_group("ChannelPlus", 4, FlagsField("ChannelPlusFlags", None, -32, _CHANNEL_PLUS_FLAGS),
                LEShortField("ChannelPlusFrequency", 0), ByteField("ChannelPlusNumber", 0)),
        *_group("MCS", 2, FlagsField("knownMCS", None, -8, _KNOWN_MCS),
                BitField("Ness_LSB", 0, 1), BitField("STBC_streams", 0, 2),
                BitEnumField("FEC_type", 0, 1, {0: "BCC", 1: "LDPC"}),
                BitEnumField("HT_format", 0, 1, {0: "mixed", 1: "greenfield"}),
                BitEnumField("guard_interval", 0, 1, {0: "Long_GI", 1: "Short_GI"}),
                BitEnumField("MCS_bandwidth", 0, 2, _MCS_BANDWIDTH),
                ByteField("MCS_index", 0)),
        *_group("A_MPDU", 4, LEIntField("A_MPDU_ref", 0),
                FlagsField("A_MPDU_flags", None, -32, _A_MPDU_FLAGS)),
        *_group("VHT", 2, FlagsField("KnownVHT", None, -16, _KNOWN_VHT),
                FlagsField("PresentVHT", None, -8, _PRESENT_VHT),
                ByteEnumField("VHT_bandwidth", 0, _VHT_BANDWIDTH),
                StrFixedLenField("mcs_nss", 0, length=5),
                ByteField("GroupID", 0), ShortField("PartialAID", 0)),
        *_group("timestamp", 8, LELongField("timestamp", 0), LEShortField("ts_accuracy", 0),
                BitEnumField("ts_unit", 0, 4, {0: "milliseconds", 1: "microseconds",
                                               2: "nanoseconds"}),
                BitField("ts_position", 0, 4), FlagsField("ts_flags", None, 8, _TS_FLAGS)),
        *_group("HE", 2, *(LEShortField(f"he_data{i}", 0) for i in range(1, 7))),
        *_group("HE_MU", 2, LEShortField("hemu_flags1", 0), LEShortField("hemu_flags2", 0),
                FieldListField("RU_channel1", [], ByteField("", 0), length_from=lambda p: 4),
                FieldListField("RU_channel2", [], ByteField("", 0), length_from=lambda p: 4)),
        *_group("HE_MU_other_user", 2, LEShortField("hemuou_per_user_1", 0x7FFF),
                LEShortField("hemuou_per_user_2", 0x003F),
                ByteField("hemuou_per_user_position", 0),
                FlagsField("hemuou_per_user_known", 0, -16, _HEMU_OTHER_KNOWN)),
        *_group("L_SIG", 2, FlagsField("lsig_data1", 0, -16, ["rate", "length"]),
                BitField("lsig_length", 0, 12, tot_size=-2),
                BitField("lsig_rate", 0, 4, end_tot_size=-2)),
        *_group("TLV", 4, PacketListField("tlvs", [], RadioTapTLV)),
        StrLenField("notdecoded", b"", length_from=lambda p: 0),
    )


#: The 802.11 classes after a Radiotap header ("plain", "fcs"), set by paquet.layers.dot11.
PAYLOADS: dict[str, type[Packet]] = {}


class RadioTap(Packet):
    """A Radiotap header: ``version``, ``pad``, ``len``, ``present`` and the fields it names
    (see the module); what is left up to ``len`` is ``notdecoded``."""

    name = "RadioTap"
    fields_desc = _fields()

    def guess_payload_class(self, payload: bytes) -> type[Packet]:
        """``Dot11FCS`` when the Flags field says the frame ends with its FCS, else ``Dot11``
        (the classes :mod:`paquet.layers.dot11` registers in ``PAYLOADS``)."""
        present = self.present
        fcs = present is not None and int(present) & 2 and self.Flags is not None \
            and int(self.Flags) & 0x10
        return PAYLOADS.get("fcs" if fcs else "plain", Raw)

    def pre_dissect(self, s: bytes) -> bytes:
        """Note how many bytes the header starts with (for ``notdecoded``)."""
        self.__dict__["_rt_start"] = len(s)
        return s

    def post_dissect(self, s: bytes) -> bytes:
        """The bytes between the last field read and ``len`` are ``notdecoded``."""
        start = self.__dict__.pop("_rt_start", len(s))
        keep = max((self.len or 0) - (start - len(s)), 0)
        self.__dict__["notdecoded"] = s[:keep]
        return s[keep:]

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        """Fill ``len`` (little-endian) when it was left None."""
        if self.len is None:
            p = p[:2] + struct.pack("<H", len(p) & 0xFFFF) + p[4:]
        return p + pay


class PrismHeader(Packet):
    """The Prism monitor header (link type 119) of old Linux drivers: a message code, a
    length, the device name and nine little-endian items (id, status, length, value).

    >>> len(PrismHeader())
    144
    """

    name = "Prism header"
    fields_desc = (
        LEIntField("msgcode", 68),
        LEIntField("len", 144),
        StrFixedLenField("dev", b"", 16),
        *(f for item in ("hosttime", "mactime", "channel", "rssi", "sq", "signal", "noise",
                         "rate", "istx", "frmlen")
          for f in (LEIntField(f"{item}_did", 0), LEShortField(f"{item}_status", 0),
                    LEShortField(f"{item}_len", 0),
                    (LESignedIntField if item == "signal" else LEIntField)(item, 0))),
    )

    def answers(self, other: Packet) -> bool:
        """A frame answers through what the Prism headers carry."""
        mine = self.payload
        if isinstance(other, PrismHeader):
            return bool(mine.answers(other.payload))
        return bool(mine.answers(other))
