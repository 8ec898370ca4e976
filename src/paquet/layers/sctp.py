"""SCTP (RFC 9260): the common header and its chunks, IP protocol 132.

:class:`SCTP` is the 12-byte common header (``sport``, ``dport``, the verification ``tag``
and the CRC32c ``chksum``, computed over the whole packet when None, stored as Scapy stores
it); the chunks follow it as its payload, one after the other, each dissected as the class
of its type byte: :class:`SCTPChunkData`, :class:`SCTPChunkInit`, :class:`SCTPChunkInitAck`,
:class:`SCTPChunkSACK`, :class:`SCTPChunkHeartbeatReq`/:class:`SCTPChunkHeartbeatAck`,
:class:`SCTPChunkAbort`, :class:`SCTPChunkShutdown`, :class:`SCTPChunkShutdownAck`,
:class:`SCTPChunkShutdownComplete`, :class:`SCTPChunkError`, :class:`SCTPChunkCookieEcho`/
:class:`SCTPChunkCookieAck`, :class:`SCTPChunkAuthentication`,
:class:`SCTPChunkAddressConf`/:class:`SCTPChunkAddressConfAck`, :class:`SCTPChunkIData`,
:class:`SCTPChunkForwardTSN`/:class:`SCTPChunkIForwardTSN`, :class:`SCTPChunkReConfig` and
:class:`SCTPChunkPad`; an unknown type stays ``Raw``. Parameters are in
:mod:`paquet.layers.sctp_params`. Names, fields, defaults and bytes are Scapy's.

>>> p = SCTP(sport=5000, dport=80, tag=1) / SCTPChunkInit(init_tag=7, a_rwnd=1500,
...     n_out_streams=1, n_in_streams=1, init_tsn=3)
>>> bytes(p).hex()
'1388005000000001ed289aea0100001400000007000005dc0001000100000003'
>>> SCTP(bytes(p))[SCTPChunkInit].init_tag
7
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.layers.sctp_params import (
    SCTP_CHUNK_TYPES,
    ChunkParamField,
)
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, IntEnumField, ShortEnumField
from paquet.packet.fields import (
    BitField,
    Field,
    IntField,
    ShortField,
    XByteField,
    XIntField,
    XShortField,
)
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import (
    FieldLenField,
    FieldListField,
    MultipleTypeField,
    PacketLenField,
    PadField,
)

__all__ = [
    "SCTP",
    "SCTP_PAYLOAD_PROTOCOL_IDENTIFIERS",
    "SCTP_SERVICES",
    "GapAckField",
    "SCTPChunkAbort",
    "SCTPChunkAddressConf",
    "SCTPChunkAddressConfAck",
    "SCTPChunkAuthentication",
    "SCTPChunkCookieAck",
    "SCTPChunkCookieEcho",
    "SCTPChunkData",
    "SCTPChunkError",
    "SCTPChunkForwardTSN",
    "SCTPChunkHeartbeatAck",
    "SCTPChunkHeartbeatReq",
    "SCTPChunkIData",
    "SCTPChunkIForwardTSN",
    "SCTPChunkInit",
    "SCTPChunkInitAck",
    "SCTPChunkPad",
    "SCTPChunkReConfig",
    "SCTPChunkSACK",
    "SCTPChunkShutdown",
    "SCTPChunkShutdownAck",
    "SCTPChunkShutdownComplete",
    "SCTPerror",
    "crc32c",
]

#: SCTP port names: Scapy reads the ``/sctp`` lines of ``/etc/services`` (Debian's has one).
SCTP_SERVICES = {5672: "amqp"}

#: Payload protocol identifiers of DATA chunks (IANA's SCTP payload protocol identifiers).
SCTP_PAYLOAD_PROTOCOL_IDENTIFIERS = {
    0: "Reserved", 1: "IUA", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5UA",
    7: "H.248", 8: "BICC/Q.2150.3", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP",
    13: "H.323", 14: "Q.IPC/Q.2150.3", 15: "SIMCO", 16: "DDP Segment Chunk",
    17: "DDP Stream Session Control", 18: "S1AP", 19: "RUA", 20: "HNBAP", 21: "ForCES-HP",
    22: "ForCES-MP", 23: "ForCES-LP", 24: "SBc-AP", 25: "NBAP", 26: "Unassigned", 27: "X2AP",
    28: "IRCP", 29: "LCS-AP", 30: "MPICH2", 31: "SABP", 32: "FGP", 33: "PPP", 34: "CALCAPP",
    35: "SSP", 36: "NPMP-CONTROL", 37: "NPMP-DATA", 38: "ECHO", 39: "DISCARD",
    40: "DAYTIME", 41: "CHARGEN", 42: "3GPP RNA", 43: "3GPP M2AP", 44: "3GPP M3AP",
    45: "SSH/SCTP", 46: "Diameter/SCTP", 47: "Diameter/DTLS/SCTP", 48: "R14P",
    49: "Unassigned", 50: "WebRTC DCEP", 51: "WebRTC String", 52: "WebRTC Binary Partial",
    53: "WebRTC Binary", 54: "WebRTC String Partial", 55: "3GPP PUA",
    56: "WebRTC String Empty", 57: "WebRTC Binary Empty",
}

_CRC32C_TABLE: list[int] = []


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli, RFC 9260 appendix B) of ``data``, as the 32-bit number whose
    big-endian bytes are the checksum's bytes on the wire (Scapy's ``crc32c``).

    >>> hex(crc32c(b"123456789"))  # the check value 0xe3069283, in wire order
    '0x839206e3'
    """
    table = _CRC32C_TABLE
    if not table:
        for n in range(256):
            c = n
            for _ in range(8):
                c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
            table.append(c)
    crc = 0xFFFFFFFF
    for b in data:
        crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF]
    crc ^= 0xFFFFFFFF
    return int.from_bytes(crc.to_bytes(4, "little"), "big")


class _Chunks:
    """The payload of the common header and of each chunk: the next chunk, by its type
    (Padding for fewer than 4 bytes, Raw for an unknown type), as Scapy's."""

    def default_payload_class(self, payload: bytes) -> type[Packet]:
        from paquet.packet.base import Padding, Raw

        if len(payload) < 4:
            return Padding
        return _CHUNKS.get(payload[0], Raw)


class SCTP(_Chunks, Packet):
    """The SCTP common header (12 bytes); ``chksum`` is the CRC32c of the packet when None.

    >>> SCTP(bytes(SCTP(sport=1, dport=2))).chksum == SCTP(sport=1, dport=2).expected_chksum()
    True
    """

    name = "SCTP"
    fields_desc = (
        ShortEnumField("sport", 0, SCTP_SERVICES),
        ShortEnumField("dport", 0, SCTP_SERVICES),
        XIntField("tag", 0),
        XIntField("chksum", None),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += pay
        if self.__dict__.get("chksum") is None and len(p) >= 12:
            p = p[:8] + struct.pack(">I", crc32c(p)) + p[12:]
        return p

    def expected_chksum(self) -> int | None:
        """The CRC32c this packet should carry (for ``show()``'s bad checksum flag)."""
        data = bytes(self)
        if len(data) < 12:
            return None
        return crc32c(data[:8] + bytes(4) + data[12:])

    def answers(self, other: Any) -> bool:
        if not isinstance(other, SCTP):
            return False
        return bool(self.sport == other.dport and self.dport == other.sport)


class SCTPerror(SCTP):
    """The SCTP header an ICMP error quotes."""

    name = "SCTP in ICMP"
    in_quote = True

    def answers(self, other: Any) -> bool:
        if not isinstance(other, SCTP):
            return False
        return bool(self.sport == other.sport and self.dport == other.dport)

    def mysummary(self) -> str:
        return Packet.mysummary(self)


def _len(value: str, header: int) -> FieldLenField:
    return FieldLenField("len", None, length_of=value, adjust=lambda pkt, x: x + header)


def _rest(header: int) -> Any:
    return lambda pkt: (pkt.len or 0) - header


def _padded(fld: Any) -> PadField:
    return PadField(fld, 4, padwith=b"\x00")


#: The chunk classes by their type byte (each registers itself through :func:`_chunk`).
_CHUNKS: dict[int, type[Packet]] = {}


def _chunk(name: str, doc: str, kind: int, *fields: Field,
           base: type[Packet] | None = None) -> type[Packet]:
    """The chunk class ``name`` of type ``kind``, registered in :data:`_CHUNKS`: its
    ``fields`` follow the type byte; a ``base`` without ``fields`` gives the base's fields
    with ``type=kind`` (Scapy's subclasses that only change the type, as
    ``SCTPChunkInitAck``)."""
    body: dict[str, Any] = {"__doc__": doc, "__module__": __name__}
    if fields or base is None:
        body["fields_desc"] = (ByteEnumField("type", kind, SCTP_CHUNK_TYPES), *fields)
    else:
        body["type"] = kind
    cls = type(name, (base,) if base is not None else (_Chunks, Packet), body)
    _CHUNKS[kind] = cls
    return cls


def _flags(t_bit: bool) -> tuple[Field, ...]:
    """The flags byte: seven reserved bits and the T bit, or one hex byte."""
    if t_bit:
        return BitField("reserved", None, 7), BitField("TCB", 0, 1)
    return (XByteField("flags", None),)


def _fixed(length: int, *fields: Field, t_bit: bool = False) -> tuple[Field, ...]:
    """Flags, a ``len`` of ``length`` and the fixed ``fields`` (a chunk with no value)."""
    return (*_flags(t_bit), ShortField("len", length), *fields)


def _with_params(header: int, *fields: Field, value: str = "params") -> tuple[Field, ...]:
    """Flags, ``len``, the fixed ``fields`` (the ``header`` bytes) and a parameter list."""
    return (XByteField("flags", None), _len(value, header), *fields,
            ChunkParamField(value, None, length_from=_rest(header)))


def _with_bytes(value: str, header: int, *fields: Field, default: bytes | None = b"",
                t_bit: bool = False) -> tuple[Field, ...]:
    """Flags, ``len``, the fixed ``fields`` (the ``header`` bytes) and a padded byte string."""
    return (*_flags(t_bit), _len(value, header), *fields,
            _padded(StrLenField(value, default, length_from=_rest(header))))


def _data_head(header: int) -> tuple[Field, ...]:
    """The flag bits, ``len``, TSN and stream id that DATA and I-DATA begin with."""
    return (BitField("reserved", None, 4), BitField("delay_sack", 0, 1),
            BitField("unordered", 0, 1), BitField("beginning", 0, 1),
            BitField("ending", 0, 1), _len("data", header), XIntField("tsn", None),
            XShortField("stream_id", None))


class _DataField(PacketLenField):
    """A DATA chunk's user data: a whole message (B and E bits) dissected by the chunk's
    bindings (``bind_layers(SCTPChunkData, X, proto_id=...)``), else Raw."""

    def m2i(self, pkt: Any, x: Any) -> Any:
        from paquet.packet.base import Raw

        if pkt.beginning != 1 or pkt.ending != 1:
            return Raw(load=x)
        cls = registry.payload_class(type(pkt), pkt.__dict__)
        return (cls or Raw)(x)

    def type_name(self) -> str:
        return "_SCTPChunkDataField"

    def randval(self) -> Any:
        from paquet.volatile import RandBin, RandNum

        return RandBin(RandNum(0, 24))


class GapAckField(Field):
    """A gap ack block of SACK: two 16-bit offsets, as Scapy's ``"start:end"`` text."""

    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, "4s")

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return bytes(4)
        start, end = (int(e) for e in str(x).split(":"))
        return struct.pack(">HH", start & 0xFFFF, end & 0xFFFF)

    def m2i(self, pkt: Any, x: Any) -> Any:
        start, end = struct.unpack(">HH", x)
        return f"{start}:{end}"

    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, tuple) and len(x) == 2:
            return f"{int(x[0])}:{int(x[1])}"
        return x

    def randval(self) -> Any:
        import random

        return f"{random.randrange(65536)}:{random.randrange(65536)}"


class SCTPChunkSACK(_Chunks, Packet):
    """SACK (type 3): the cumulative TSN ack, window, gap ack blocks and duplicate TSNs."""

    fields_desc = (
        ByteEnumField("type", 3, SCTP_CHUNK_TYPES),
        XByteField("flags", None),
        ShortField("len", None),
        XIntField("cumul_tsn_ack", None),
        IntField("a_rwnd", None),
        FieldLenField("n_gap_ack", None, count_of="gap_ack_list"),
        FieldLenField("n_dup_tsn", None, count_of="dup_tsn_list"),
        FieldListField("gap_ack_list", [], GapAckField("gap_ack", None),
                       count_from=lambda pkt: pkt.n_gap_ack),
        FieldListField("dup_tsn_list", [], XIntField("dup_tsn", None),
                       count_from=lambda pkt: pkt.n_dup_tsn),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("len") is None:
            p = p[:2] + struct.pack(">H", len(p) & 0xFFFF) + p[4:]
        return p + pay


_CHUNKS[3] = SCTPChunkSACK

# The other chunks, one table row each: class name, what it is, type, fields after the type.
SCTPChunkData = _chunk(
    "SCTPChunkData", "DATA (type 0): user data of one stream, its TSN and payload protocol id.",
    0, *_data_head(16), XShortField("stream_seq", None),
    IntEnumField("proto_id", None, SCTP_PAYLOAD_PROTOCOL_IDENTIFIERS),
    _padded(_DataField("data", None, None, length_from=_rest(16))))
SCTPChunkIData = _chunk(
    "SCTPChunkIData",
    "I-DATA (type 64, RFC 8260): DATA with a message id and fragment sequence number.",
    64, *_data_head(20), XShortField("reserved_16", None), XIntField("message_id", None),
    MultipleTypeField(
        [(IntEnumField("ppid_fsn", None, SCTP_PAYLOAD_PROTOCOL_IDENTIFIERS),
          lambda pkt: pkt.beginning == 1),
         (XIntField("ppid_fsn", None), lambda pkt: pkt.beginning == 0)],
        XIntField("ppid_fsn", None)),
    _padded(StrLenField("data", None, length_from=_rest(20))))
# (Scapy reads FORWARD TSN's skips as parameters, by their first two bytes; built from
# SCTPForwardSkip items, they give the same bytes)
SCTPChunkForwardTSN = _chunk(
    "SCTPChunkForwardTSN",
    "FORWARD TSN (type 192, RFC 3758): the new cumulative TSN and the streams skipped.",
    192, *_with_params(8, IntField("new_tsn", None), value="skips"))
SCTPChunkIForwardTSN = _chunk(
    "SCTPChunkIForwardTSN",
    "I-FORWARD-TSN (type 194, RFC 8260); its skips are ``SCTPIForwardSkip`` items.",
    194, base=SCTPChunkForwardTSN)
SCTPChunkInit = _chunk(
    "SCTPChunkInit",
    "INIT (type 1): the initiate tag, window, stream counts, initial TSN, parameters.",
    1, *_with_params(20, XIntField("init_tag", None), IntField("a_rwnd", None),
                     ShortField("n_out_streams", None), ShortField("n_in_streams", None),
                     XIntField("init_tsn", None)))
SCTPChunkInitAck = _chunk(
    "SCTPChunkInitAck",
    "INIT ACK (type 2): INIT's fields, with the state cookie among the parameters.",
    2, base=SCTPChunkInit)
SCTPChunkHeartbeatReq = _chunk(
    "SCTPChunkHeartbeatReq", "HEARTBEAT (type 4): a heartbeat info parameter the peer echoes.",
    4, *_with_params(4))
SCTPChunkHeartbeatAck = _chunk(
    "SCTPChunkHeartbeatAck", "HEARTBEAT ACK (type 5).", 5, base=SCTPChunkHeartbeatReq)
SCTPChunkAbort = _chunk(
    "SCTPChunkAbort", "ABORT (type 6): the T bit and error causes (kept as bytes, as Scapy does).",
    6, *_with_bytes("error_causes", 4, t_bit=True))
SCTPChunkShutdown = _chunk(
    "SCTPChunkShutdown", "SHUTDOWN (type 7): the cumulative TSN ack.",
    7, *_fixed(8, XIntField("cumul_tsn_ack", None)))
SCTPChunkShutdownAck = _chunk("SCTPChunkShutdownAck", "SHUTDOWN ACK (type 8).", 8, *_fixed(4))
SCTPChunkError = _chunk(
    "SCTPChunkError", "ERROR (type 9): error causes, as bytes.",
    9, *_with_bytes("error_causes", 4))
SCTPChunkCookieEcho = _chunk(  # (a subclass of SCTPChunkError with its own fields, as Scapy's)
    "SCTPChunkCookieEcho", "COOKIE ECHO (type 10): the state cookie of the INIT ACK, echoed.",
    10, *_with_bytes("cookie", 4), base=SCTPChunkError)
SCTPChunkCookieAck = _chunk("SCTPChunkCookieAck", "COOKIE ACK (type 11).", 11, *_fixed(4))
SCTPChunkShutdownComplete = _chunk(
    "SCTPChunkShutdownComplete", "SHUTDOWN COMPLETE (type 14): the T bit.",
    14, *_fixed(4, t_bit=True))
SCTPChunkAuthentication = _chunk(
    "SCTPChunkAuthentication",
    "AUTH (type 15, RFC 4895): the shared key id, the HMAC algorithm and the HMAC.",
    15, *_with_bytes("HMAC", 8, ShortField("shared_key_id", None),
                     ShortField("HMAC_function", None)))
SCTPChunkAddressConf = _chunk(
    "SCTPChunkAddressConf",
    "ASCONF (type 0xc1, RFC 5061): a serial number and the address parameters.",
    0xC1, *_with_params(8, IntField("seq", 0)))
SCTPChunkAddressConfAck = _chunk(
    "SCTPChunkAddressConfAck", "ASCONF ACK (type 0x80).", 0x80, base=SCTPChunkAddressConf)
SCTPChunkReConfig = _chunk(
    "SCTPChunkReConfig", "RE-CONFIG (type 130, RFC 6525): re-configuration parameters.",
    130, *_with_params(4))
SCTPChunkPad = _chunk(
    "SCTPChunkPad", "PAD (type 132, RFC 4820): padding bytes (Scapy counts an 8-byte header).",
    132, *_with_bytes("padding", 8, default=None))


def _register() -> None:
    from paquet.layers.ipv4 import IP, IPerror
    from paquet.layers.ipv6 import IPerror6, IPv6
    from paquet.numbers import IPPROTO_SCTP

    registry.bind_layers(IP, SCTP, proto=IPPROTO_SCTP)
    registry.bind_layers(IPerror, SCTPerror, proto=IPPROTO_SCTP)
    registry.bind_layers(IPv6, SCTP, nh=IPPROTO_SCTP)
    registry.bind_layers(IPerror6, SCTPerror, nh=IPPROTO_SCTP)


_register()
