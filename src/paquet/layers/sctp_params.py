"""SCTP's variable-length parameters (RFC 9260 §3.2.1, RFC 4895, RFC 5061, RFC 6525), the
items of the ``params`` lists of :mod:`paquet.layers.sctp`'s INIT, INIT ACK, HEARTBEAT, ASCONF
and RE-CONFIG chunks. Class names, fields and defaults are Scapy's
(``scapy.layers.sctp``, including its spelling ``SCTPChunkParamUnrocognizedParam``).

Each parameter is a type, a length (the header and the value, without the padding) and its
value, padded to 4 bytes; a list of them is read by :class:`ChunkParamField`, which names each
one's class by its type (unknown types and short tails stay ``Raw``).

>>> p = SCTPChunkParamHostname(hostname=b"abc")
>>> bytes(p).hex()
'000b000761626300'
>>> SCTPChunkParamHostname(bytes(p)).len
7
"""

from __future__ import annotations

from typing import Any

from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, IntEnumField, ShortEnumField
from paquet.packet.fields import BitField, IntField, ShortField, XIntField, XShortField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import (
    FieldLenField,
    FieldListField,
    MultipleTypeField,
    PacketListField,
    PadField,
)
from paquet.packet.valuefields import IP6Field
from paquet.volatile import RandBin
from paquet.volatile.base import class_default

__all__ = [
    "SCTP_CHUNK_PARAM_TYPES",
    "SCTP_CHUNK_TYPES",
    "SCTP_HMAC_TYPES",
    "ChunkParamField",
    "SCTPChunkParamAdaptationLayer",
    "SCTPChunkParamAddIPAddr",
    "SCTPChunkParamAddIncomingStreamReq",
    "SCTPChunkParamAddOutgoingStreamReq",
    "SCTPChunkParamChunkList",
    "SCTPChunkParamCookiePreservative",
    "SCTPChunkParamDelIPAddr",
    "SCTPChunkParamECNCapable",
    "SCTPChunkParamErrorIndication",
    "SCTPChunkParamFwdTSN",
    "SCTPChunkParamHeartbeatInfo",
    "SCTPChunkParamHostname",
    "SCTPChunkParamIPv4Addr",
    "SCTPChunkParamIPv6Addr",
    "SCTPChunkParamInSSNResetReq",
    "SCTPChunkParamOutSSNResetReq",
    "SCTPChunkParamRandom",
    "SCTPChunkParamReConfigRes",
    "SCTPChunkParamRequestedHMACFunctions",
    "SCTPChunkParamSSNTSNResetReq",
    "SCTPChunkParamSetPrimaryAddr",
    "SCTPChunkParamStateCookie",
    "SCTPChunkParamSuccessIndication",
    "SCTPChunkParamSupportedAddrTypes",
    "SCTPChunkParamSupportedExtensions",
    "SCTPChunkParamUnrocognizedParam",
    "SCTPForwardSkip",
    "SCTPIForwardSkip",
]

#: Chunk types (IANA's SCTP chunk types), by Scapy's names.
SCTP_CHUNK_TYPES = {
    0: "data", 1: "init", 2: "init-ack", 3: "sack", 4: "heartbeat-req", 5: "heartbeat-ack",
    6: "abort", 7: "shutdown", 8: "shutdown-ack", 9: "error", 10: "cookie-echo",
    11: "cookie-ack", 14: "shutdown-complete", 15: "authentication", 64: "i-data",
    130: "re-config", 132: "pad", 0x80: "address-configuration-ack", 192: "forward-tsn",
    0xC1: "address-configuration", 194: "i-forward-tsn",
}

#: Parameter types (IANA's chunk parameter types), by Scapy's names.
SCTP_CHUNK_PARAM_TYPES = {
    1: "heartbeat-info", 5: "IPv4", 6: "IPv6", 7: "state-cookie", 8: "unrecognized-param",
    9: "cookie-preservative", 11: "hostname", 12: "addrtypes", 13: "out-ssn-reset-req",
    14: "in-ssn-reset-req", 15: "ssn-tsn-reset-req", 16: "re-configuration-response",
    17: "add-outgoing-stream-req", 18: "add-incoming-stream-req", 0x8000: "ecn-capable",
    0x8002: "random", 0x8003: "chunk-list", 0x8004: "requested-HMAC-functions",
    0x8008: "supported-extensions", 0xC000: "fwd-tsn-supported", 0xC001: "add-IP",
    0xC002: "del-IP", 0xC003: "error-indication", 0xC004: "set-primary-addr",
    0xC005: "success-indication", 0xC006: "adaptation-layer",
}

#: HMAC identifiers (RFC 4895 §3.3).
SCTP_HMAC_TYPES = {0: "Reserved1", 1: "SHA-1", 2: "Reserved2", 3: "SHA-256"}

#: Re-configuration results (RFC 6525 §4.4).
_RESULTS = {
    0: "Success - Nothing to do", 1: "Success - Performed", 2: "Denied",
    3: "Error - Wrong SSN", 4: "Error - Request already in progress",
    5: "Error - Bad Sequence Number", 6: "In Progress",
}


def _value_length(header: int) -> Any:
    """``length_from`` for a value after a ``header``-byte header: the length field minus it."""
    return lambda pkt: (pkt.len or 0) - header


def _length(value: str, header: int = 4) -> FieldLenField:
    """The ``len`` field: the header's ``header`` bytes and the value ``value``."""
    return FieldLenField("len", None, length_of=value, adjust=lambda pkt, x: x + header)


def _padded(fld: Any) -> PadField:
    return PadField(fld, 4, padwith=b"\x00")


class _SCTPChunkParam(Packet):
    """A parameter: what follows its length (and padding) belongs to the next one."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class SCTPChunkParamHeartbeatInfo(_SCTPChunkParam):
    """Heartbeat information (type 1): opaque ``data`` the peer echoes."""

    fields_desc = (
        ShortEnumField("type", 1, SCTP_CHUNK_PARAM_TYPES),
        _length("data"),
        _padded(StrLenField("data", b"", length_from=_value_length(4))),
    )


class SCTPChunkParamIPv4Addr(_SCTPChunkParam):
    """An IPv4 address of the endpoint (type 5)."""

    fields_desc = (
        ShortEnumField("type", 5, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 8),
        IPField("addr", "127.0.0.1"),
    )


class SCTPChunkParamIPv6Addr(_SCTPChunkParam):
    """An IPv6 address of the endpoint (type 6)."""

    fields_desc = (
        ShortEnumField("type", 6, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 20),
        IP6Field("addr", "::1"),
    )


class SCTPChunkParamStateCookie(_SCTPChunkParam):
    """The state cookie of an INIT ACK (type 7)."""

    fields_desc = (
        ShortEnumField("type", 7, SCTP_CHUNK_PARAM_TYPES),
        _length("cookie"),
        _padded(StrLenField("cookie", b"", length_from=_value_length(4))),
    )


class SCTPChunkParamUnrocognizedParam(_SCTPChunkParam):
    """An unrecognised parameter, quoted back (type 8; Scapy's spelling)."""

    fields_desc = (
        ShortEnumField("type", 8, SCTP_CHUNK_PARAM_TYPES),
        _length("param"),
        _padded(StrLenField("param", b"", length_from=_value_length(4))),
    )


class SCTPChunkParamCookiePreservative(_SCTPChunkParam):
    """Cookie preservative (type 9): the suggested life-span increment, in ms."""

    fields_desc = (
        ShortEnumField("type", 9, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 8),
        XIntField("sug_cookie_inc", None),
    )


class SCTPChunkParamHostname(_SCTPChunkParam):
    """A host name address (type 11)."""

    fields_desc = (
        ShortEnumField("type", 11, SCTP_CHUNK_PARAM_TYPES),
        _length("hostname"),
        _padded(StrLenField("hostname", b"", length_from=_value_length(4))),
    )


class SCTPChunkParamSupportedAddrTypes(_SCTPChunkParam):
    """The address types the sender supports (type 12), a list of parameter types."""

    fields_desc = (
        ShortEnumField("type", 12, SCTP_CHUNK_PARAM_TYPES),
        _length("addr_type_list"),
        _padded(FieldListField("addr_type_list", [5],  # (IPv4)
                               ShortEnumField("addr_type", 5, SCTP_CHUNK_PARAM_TYPES),
                               length_from=_value_length(4))),
    )


class SCTPChunkParamOutSSNResetReq(_SCTPChunkParam):
    """Outgoing SSN reset request (type 13, RFC 6525 §4.1)."""

    fields_desc = (
        ShortEnumField("type", 13, SCTP_CHUNK_PARAM_TYPES),
        _length("stream_num_list", 16),
        XIntField("re_conf_req_seq_num", None),
        XIntField("re_conf_res_seq_num", None),
        XIntField("tsn", None),
        _padded(FieldListField("stream_num_list", [], XShortField("stream_num", None),
                               length_from=_value_length(16))),
    )


class SCTPChunkParamInSSNResetReq(_SCTPChunkParam):
    """Incoming SSN reset request (type 14, RFC 6525 §4.2)."""

    fields_desc = (
        ShortEnumField("type", 14, SCTP_CHUNK_PARAM_TYPES),
        _length("stream_num_list", 8),
        XIntField("re_conf_req_seq_num", None),
        _padded(FieldListField("stream_num_list", [], XShortField("stream_num", None),
                               length_from=_value_length(8))),
    )


class SCTPChunkParamSSNTSNResetReq(_SCTPChunkParam):
    """SSN/TSN reset request (type 15, RFC 6525 §4.3)."""

    fields_desc = (
        ShortEnumField("type", 15, SCTP_CHUNK_PARAM_TYPES),
        XShortField("len", 8),
        XIntField("re_conf_req_seq_num", None),
    )


class SCTPChunkParamReConfigRes(_SCTPChunkParam):
    """Re-configuration response (type 16, RFC 6525 §4.4)."""

    fields_desc = (
        ShortEnumField("type", 16, SCTP_CHUNK_PARAM_TYPES),
        XShortField("len", 12),
        XIntField("re_conf_res_seq_num", None),
        IntEnumField("result", None, _RESULTS),
        XIntField("sender_next_tsn", None),
        XIntField("receiver_next_tsn", None),
    )


class SCTPChunkParamAddOutgoingStreamReq(_SCTPChunkParam):
    """Add outgoing streams request (type 17, RFC 6525 §4.5)."""

    fields_desc = (
        ShortEnumField("type", 17, SCTP_CHUNK_PARAM_TYPES),
        XShortField("len", 12),
        XIntField("re_conf_req_seq_num", None),
        XShortField("num_new_stream", None),
        XShortField("reserved", None),
    )


class SCTPChunkParamAddIncomingStreamReq(SCTPChunkParamAddOutgoingStreamReq):
    """Add incoming streams request (type 18, RFC 6525 §4.6)."""

    type = 18


class SCTPChunkParamECNCapable(_SCTPChunkParam):
    """ECN capable (type 0x8000)."""

    fields_desc = (
        ShortEnumField("type", 0x8000, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 4),
    )


class SCTPChunkParamRandom(_SCTPChunkParam):
    """Random (type 0x8002, RFC 4895 §3.1): 32 random bytes unless given."""

    fields_desc = (
        ShortEnumField("type", 0x8002, SCTP_CHUNK_PARAM_TYPES),
        _length("random"),
        # (Scapy's RandBin(32), drawn at each build; made without installing the build hook)
        _padded(StrLenField("random", class_default(RandBin, 32),
                            length_from=_value_length(4))),
    )


class SCTPChunkParamChunkList(_SCTPChunkParam):
    """The chunk types that must be authenticated (type 0x8003, RFC 4895 §3.2)."""

    fields_desc = (
        ShortEnumField("type", 0x8003, SCTP_CHUNK_PARAM_TYPES),
        _length("chunk_list"),
        _padded(FieldListField("chunk_list", None,
                               ByteEnumField("chunk", None, SCTP_CHUNK_TYPES),
                               length_from=_value_length(4))),
    )


class SCTPChunkParamRequestedHMACFunctions(_SCTPChunkParam):
    """The HMAC algorithms the sender accepts (type 0x8004, RFC 4895 §3.3)."""

    fields_desc = (
        ShortEnumField("type", 0x8004, SCTP_CHUNK_PARAM_TYPES),
        _length("HMAC_functions_list"),
        _padded(FieldListField("HMAC_functions_list", [1],  # (SHA-1)
                               ShortEnumField("HMAC_function", 1, SCTP_HMAC_TYPES),
                               length_from=_value_length(4))),
    )


class SCTPChunkParamSupportedExtensions(_SCTPChunkParam):
    """The chunk types the sender supports (type 0x8008, RFC 5061 §4.2.7)."""

    fields_desc = (
        ShortEnumField("type", 0x8008, SCTP_CHUNK_PARAM_TYPES),
        _length("supported_extensions"),
        _padded(FieldListField("supported_extensions",
                               [15, 0xC1, 0x80],  # (authentication, ASCONF, ASCONF ACK)
                               ByteEnumField("supported_extensions", None, SCTP_CHUNK_TYPES),
                               length_from=_value_length(4))),
    )


class SCTPChunkParamFwdTSN(_SCTPChunkParam):
    """Forward TSN supported (type 0xc000, RFC 3758)."""

    fields_desc = (
        ShortEnumField("type", 0xC000, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 4),
    )


class SCTPChunkParamAddIPAddr(_SCTPChunkParam):
    """Add IP address (type 0xc001, RFC 5061 §4.2.1): a correlation id and an address
    parameter (IPv4 or IPv6 by ``addr_type``)."""

    fields_desc = (
        ShortEnumField("type", 0xC001, SCTP_CHUNK_PARAM_TYPES),
        _length("addr", 12),
        XIntField("correlation_id", None),
        ShortEnumField("addr_type", 5, SCTP_CHUNK_PARAM_TYPES),
        FieldLenField("addr_len", None, length_of="addr", adjust=lambda pkt, x: x + 4),
        MultipleTypeField(
            [(IPField("addr", "127.0.0.1"), lambda p: p.addr_type == 5),
             (IP6Field("addr", "::1"), lambda p: p.addr_type == 6)],
            StrFixedLenField("addr", b"", length_from=lambda pkt: pkt.addr_len)),
    )


class SCTPChunkParamDelIPAddr(SCTPChunkParamAddIPAddr):
    """Delete IP address (type 0xc002)."""

    type = 0xC002


class SCTPChunkParamErrorIndication(_SCTPChunkParam):
    """Error cause indication (type 0xc003, RFC 5061 §4.2.3)."""

    fields_desc = (
        ShortEnumField("type", 0xC003, SCTP_CHUNK_PARAM_TYPES),
        _length("error_causes", 8),
        XIntField("correlation_id", None),
        _padded(StrLenField("error_causes", b"", length_from=_value_length(4))),
    )


class SCTPChunkParamSetPrimaryAddr(SCTPChunkParamAddIPAddr):
    """Set primary address (type 0xc004)."""

    type = 0xC004


class SCTPChunkParamSuccessIndication(_SCTPChunkParam):
    """Success indication (type 0xc005, RFC 5061 §4.2.5)."""

    fields_desc = (
        ShortEnumField("type", 0xC005, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 8),
        XIntField("correlation_id", None),
    )


class SCTPChunkParamAdaptationLayer(_SCTPChunkParam):
    """Adaptation layer indication (type 0xc006, RFC 5061 §4.2.6)."""

    fields_desc = (
        ShortEnumField("type", 0xC006, SCTP_CHUNK_PARAM_TYPES),
        ShortField("len", 8),
        XIntField("indication", None),
    )


class SCTPForwardSkip(_SCTPChunkParam):
    """A stream skipped by FORWARD TSN (RFC 3758 §3.2)."""

    fields_desc = (
        ShortField("stream_id", None),
        ShortField("stream_seq", None),
    )


class SCTPIForwardSkip(_SCTPChunkParam):
    """A stream skipped by I-FORWARD-TSN (RFC 8260 §2.3.1)."""

    fields_desc = (
        ShortField("stream_id", None),
        BitField("reserved", None, 15),
        BitField("unordered", None, 1),
        IntField("message_id", None),
    )


_PARAMS: dict[int, type[Packet]] = {
    cls.fields_desc[0].default: cls for cls in (
        SCTPChunkParamHeartbeatInfo, SCTPChunkParamIPv4Addr, SCTPChunkParamIPv6Addr,
        SCTPChunkParamStateCookie, SCTPChunkParamUnrocognizedParam,
        SCTPChunkParamCookiePreservative, SCTPChunkParamHostname,
        SCTPChunkParamSupportedAddrTypes, SCTPChunkParamECNCapable,
        SCTPChunkParamChunkList, SCTPChunkParamRequestedHMACFunctions,
        SCTPChunkParamSupportedExtensions, SCTPChunkParamFwdTSN, SCTPChunkParamAddIPAddr,
        SCTPChunkParamDelIPAddr, SCTPChunkParamErrorIndication, SCTPChunkParamSetPrimaryAddr,
        SCTPChunkParamSuccessIndication, SCTPChunkParamAdaptationLayer)
}
_PARAMS[0x8002] = SCTPChunkParamRandom
# (Scapy names types 13 to 18 by class names it does not define: they dissect as Raw there.)


class ChunkParamField(PacketListField):
    """A list of parameters, each dissected as the class of its type (Raw when unknown or
    shorter than a parameter header), as Scapy's."""

    def __init__(self, name: str, default: Any, count_from: Any = None,
                 length_from: Any = None) -> None:
        super().__init__(name, default, None, count_from=count_from, length_from=length_from)

    def m2i(self, pkt: Any, x: Any) -> Any:
        from paquet.packet.base import Raw

        cls: Any = Raw
        if len(x) >= 4:
            cls = _PARAMS.get(x[0] << 8 | x[1], Raw)
        return cls(x)

    def type_name(self) -> str:
        return "ChunkParamField"

    def randval(self) -> Any:
        """A fuzzed IPv4 address parameter."""
        from paquet.volatile.fuzzing import fuzz

        return [fuzz(SCTPChunkParamIPv4Addr())]
