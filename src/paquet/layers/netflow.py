"""NetFlow v1, v5 and v9 (RFC 3954) and IPFIX (NetFlow v10, RFC 7011) export packets, over
UDP 2055 (and the other ports collectors listen on), with Scapy's classes, fields and
defaults (``scapy.layers.netflow``).

:class:`NetflowHeader` holds the version; above it :class:`NetflowHeaderV1` or
:class:`NetflowHeaderV5` and their fixed records (:class:`NetflowRecordV1`,
:class:`NetflowRecordV5`, one after the other, ``count`` computed), or
:class:`NetflowHeaderV9`/:class:`NetflowHeaderV10` and flowsets: template flowsets
(:class:`NetflowFlowsetV9` of :class:`NetflowTemplateV9` of
:class:`NetflowTemplateFieldV9`), options templates (:class:`NetflowOptionsFlowsetV9`,
:class:`NetflowOptionsFlowset10`) and data flowsets (:class:`NetflowDataflowsetV9`), whose
records stay bytes until :func:`netflowv9_defragment` reads them with the templates seen.

>>> pkt = NetflowHeader() / NetflowHeaderV5(unixSecs=0) / NetflowRecordV5(dstport=443)
>>> NetflowHeader(bytes(pkt))[NetflowHeaderV5].count
1
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.layers.netflow_fields import (
    NETFLOW_V9_FIELD_TYPES,
    NetflowRecordV9,
    default_length,
    netflow_record_class,
)
from paquet.numbers import NETFLOW_PORT
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, IntField, ShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.names import ip_protos
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import ConditionalField, FieldLenField, PacketListField
from paquet.packet.valuefields import UTCTimeField

__all__ = [
    "GetNetflowRecordV9",
    "NetflowDataflowsetV9",
    "NetflowFlowsetV9",
    "NetflowHeader",
    "NetflowHeaderV1",
    "NetflowHeaderV5",
    "NetflowHeaderV9",
    "NetflowHeaderV10",
    "NetflowOptionsFlowset10",
    "NetflowOptionsFlowsetOptionV9",
    "NetflowOptionsFlowsetScopeV9",
    "NetflowOptionsFlowsetV9",
    "NetflowOptionsRecordOptionV9",
    "NetflowOptionsRecordScopeV9",
    "NetflowRecordV1",
    "NetflowRecordV5",
    "NetflowRecordV9",
    "NetflowTemplateFieldV9",
    "NetflowTemplateV9",
    "ipfix_defragment",
    "netflowv9_defragment",
]

#: The ports collectors listen on, which Scapy dissects as NetFlow either way.
NETFLOW_PORTS = (NETFLOW_PORT, 2056, 9995, 9996, 6343)

#: Scope field types of options templates (RFC 3954 §6.1).
SCOPE_FIELD_TYPES = {1: "System", 2: "Interface", 3: "Line card", 4: "Cache", 5: "Template"}


class NetflowHeader(Packet):
    """The version shared by every NetFlow header (2 bytes)."""

    name = "Netflow Header"
    fields_desc = (ShortField("version", 1),)


def _count_records(self: Packet, hdr: bytes, pay: bytes) -> bytes:
    if self.__dict__.get("count") is None:
        hdr = struct.pack("!H", (len(self.layers()) - 1) & 0xFFFF) + hdr[2:]
    return hdr + pay


class NetflowHeaderV1(Packet):
    """The v1 header: ``count`` (the records after it, computed), uptime and time."""

    name = "Netflow Header v1"
    fields_desc = (
        ShortField("count", None),
        IntField("sysUptime", 0),
        UTCTimeField("unixSecs", 0),
        UTCTimeField("unixNanoSeconds", 0, use_nano=True),
    )
    post_build = _count_records


class NetflowRecordV1(Packet):
    """A v1 flow record (48 bytes); Scapy's field names, ``outpuIfIndex`` included."""

    name = "Netflow Record v1"
    fields_desc = (
        IPField("ipsrc", "0.0.0.0"),
        IPField("ipdst", "0.0.0.0"),
        IPField("nexthop", "0.0.0.0"),
        ShortField("inputIfIndex", 0),
        ShortField("outpuIfIndex", 0),
        IntField("dpkts", 0),
        IntField("dbytes", 0),
        IntField("starttime", 0),
        IntField("endtime", 0),
        ShortField("srcport", 0),
        ShortField("dstport", 0),
        ShortField("padding", 0),
        ByteField("proto", 0),
        ByteField("tos", 0),
        IntField("padding1", 0),
        IntField("padding2", 0),
    )


class NetflowHeaderV5(Packet):
    """The v5 header: v1's, the flow sequence, the engine and the sampling interval."""

    name = "Netflow Header v5"
    fields_desc = (
        ShortField("count", None),
        IntField("sysUptime", 0),
        UTCTimeField("unixSecs", 0),
        UTCTimeField("unixNanoSeconds", 0, use_nano=True),
        IntField("flowSequence", 0),
        ByteField("engineType", 0),
        ByteField("engineID", 0),
        ShortField("samplingInterval", 0),
    )
    post_build = _count_records


class NetflowRecordV5(Packet):
    """A v5 flow record (48 bytes)."""

    name = "Netflow Record v5"
    fields_desc = (
        IPField("src", "127.0.0.1"),
        IPField("dst", "127.0.0.1"),
        IPField("nexthop", "0.0.0.0"),
        ShortField("input", 0),
        ShortField("output", 0),
        IntField("dpkts", 1),
        IntField("dOctets", 60),
        IntField("first", 0),
        IntField("last", 0),
        ShortField("srcport", 0),
        ShortField("dstport", 0),
        ByteField("pad1", 0),
        FlagsField("tcpFlags", 0x2, 8, "FSRPAUEC"),
        ByteEnumField("prot", 6, ip_protos),
        ByteField("tos", 0),
        ShortField("src_as", 0),
        ShortField("dst_as", 0),
        ByteField("src_mask", 0),
        ByteField("dst_mask", 0),
        ShortField("pad2", 0),
    )


class NetflowHeaderV9(Packet):
    """The v9 header: ``count`` (templates and records of the packet, computed), uptime,
    time (now when None), sequence and source id."""

    name = "Netflow Header V9"
    fields_desc = (
        ShortField("count", None),
        IntField("sysUptime", 0),
        UTCTimeField("unixSecs", None),
        IntField("packageSequence", 0),
        IntField("SourceID", 0),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("count") is None:
            count = 0
            layer: Any = self.payload
            while layer:
                kind = type(layer)
                if kind is NetflowFlowsetV9:
                    count += len(layer.templates)
                elif kind is NetflowDataflowsetV9:
                    count += len(layer.records)
                elif kind is NetflowOptionsFlowsetV9:
                    count += 1
                layer = layer.payload
            p = struct.pack("!H", count & 0xFFFF) + p[2:]
        return p + pay


class NetflowHeaderV10(Packet):
    """The IPFIX message header: ``length`` (the whole message, computed), export time,
    sequence and observation domain."""

    name = "IPFix (Netflow V10) Header"
    fields_desc = (
        ShortField("length", None),
        UTCTimeField("ExportTime", 0),
        IntField("flowSequence", 0),
        IntField("ObservationDomainID", 0),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("length") is None:
            p = struct.pack("!H", (len(p) + len(pay)) & 0xFFFF) + p[2:]
        return p + pay


class _Item(Packet):
    """An item of a list inside a flowset: what follows it belongs to the next."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class NetflowTemplateFieldV9(_Item):
    """A template's field: its type (the enterprise bit and number for IPFIX) and length,
    the type's usual length when None."""

    name = "Netflow Flowset Template Field V9/10"
    fields_desc = (
        BitField("enterpriseBit", 0, 1),
        BitEnumField("fieldType", None, 15, NETFLOW_V9_FIELD_TYPES),
        ShortField("fieldLength", None),
        ConditionalField(IntField("enterpriseNumber", 0), lambda p: p.enterpriseBit),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not args and kwargs.get("fieldLength") is None:
            length = default_length(self.fieldType)
            if length is not None:
                self.fieldLength = length


class NetflowTemplateV9(_Item):
    """A template: its id (256 and up) and fields."""

    name = "Netflow Flowset Template V9/10"
    fields_desc = (
        ShortField("templateID", 255),
        FieldLenField("fieldCount", None, count_of="template_fields"),
        PacketListField("template_fields", [], NetflowTemplateFieldV9,
                        count_from=lambda pkt: pkt.fieldCount),
    )


class NetflowFlowsetV9(Packet):
    """A template flowset (id 0 in v9, 2 in IPFIX): its templates."""

    name = "Netflow FlowSet V9/10"
    fields_desc = (
        ShortField("flowSetID", 0),
        FieldLenField("length", None, length_of="templates", adjust=lambda pkt, x: x + 4),
        PacketListField("templates", [], NetflowTemplateV9,
                        length_from=lambda pkt: (pkt.length or 0) - 4),
    )


class NetflowDataflowsetV9(Packet):
    """A flowset: a data flowset (its template's id, its records), or, told by its id on
    bytes, a template or options template flowset."""

    name = "Netflow DataFlowSet V9/10"
    fields_desc = (
        ShortField("templateID", 255),
        ShortField("length", None),
        PacketListField("records", [], NetflowRecordV9,
                        length_from=lambda pkt: (pkt.length or 0) - 4),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The flowset's class by its id (0, 2: templates; 1, 3: options templates)."""
        if end - start >= 2 and data[start] == 0 and data[start + 1] <= 3:
            return (NetflowFlowsetV9, NetflowOptionsFlowsetV9, NetflowFlowsetV9,
                    NetflowOptionsFlowset10)[data[start + 1]]
        return cls

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("length") is None:
            pad = -len(p) % 4
            p = p[:2] + struct.pack("!H", (len(p) + pad) & 0xFFFF) + p[4:] + bytes(pad)
        return p + pay


class NetflowOptionsRecordScopeV9(NetflowRecordV9):
    """The scope part of an options data record."""

    name = "Netflow Options Template Record V9/10 - Scope"


class NetflowOptionsRecordOptionV9(NetflowRecordV9):
    """The option part of an options data record."""

    name = "Netflow Options Template Record V9/10 - Option"


class NetflowOptionsFlowsetOptionV9(_Item):
    """An option field of an options template."""

    name = "Netflow Options Template FlowSet V9/10 - Option"
    fields_desc = (
        BitField("enterpriseBit", 0, 1),
        BitEnumField("optionFieldType", None, 15, NETFLOW_V9_FIELD_TYPES),
        ShortField("optionFieldlength", 0),
        ConditionalField(ShortField("enterpriseNumber", 0), lambda p: p.enterpriseBit),
    )


class NetflowOptionsFlowsetScopeV9(_Item):
    """A scope field of an options template."""

    name = "Netflow Options Template FlowSet V9/10 - Scope"
    fields_desc = (
        ShortEnumField("scopeFieldType", None, SCOPE_FIELD_TYPES),
        ShortField("scopeFieldlength", 0),
    )


class NetflowOptionsFlowsetV9(Packet):
    """A v9 options template flowset (id 1): scopes and options, by their lengths in bytes,
    padded to 4 bytes."""

    name = "Netflow Options Template FlowSet V9"
    fields_desc = (
        ShortField("flowSetID", 1),
        ShortField("length", None),
        ShortField("templateID", 255),
        FieldLenField("option_scope_length", None, length_of="scopes"),
        FieldLenField("option_field_length", None, length_of="options"),
        PacketListField("scopes", [], NetflowOptionsFlowsetScopeV9,
                        length_from=lambda pkt: pkt.option_scope_length),
        PacketListField("options", [], NetflowOptionsFlowsetOptionV9,
                        length_from=lambda pkt: pkt.option_field_length),
        StrLenField("pad", None, length_from=lambda pkt: (
            (pkt.length or 0) - (pkt.option_scope_length or 0)
            - (pkt.option_field_length or 0) - 10)),
    )

    def _pad_start(self, p: bytes) -> int:
        return 10 + int.from_bytes(p[6:8], "big") + int.from_bytes(p[8:10], "big")

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("pad") is None:
            p = p[:self._pad_start(p)] + bytes(-len(p) % 4)
        if self.__dict__.get("length") is None:
            p = p[:2] + struct.pack("!H", len(p) & 0xFFFF) + p[4:]
        return p + pay


class NetflowOptionsFlowset10(NetflowOptionsFlowsetV9):
    """An IPFIX options template set (id 3): the field count (scopes included), the scope
    count, the scopes and the options; the padding is what the set's length leaves after
    them, as tshark reads it (Scapy 2.8 forgets the options there and reads them again as
    padding, with the sets after it)."""

    name = "Netflow V10 (IPFix) Options Template FlowSet"
    fields_desc = (
        ShortField("flowSetID", 3),
        ShortField("length", None),
        ShortField("templateID", 255),
        # (the scopes counted, as Scapy adds them, whatever scope_field_count says)
        FieldLenField("field_count", None, count_of="options",
                      adjust=lambda pkt, x: x + pkt.get_field("scope_field_count").i2m(
                          pkt, None)),
        FieldLenField("scope_field_count", None, count_of="scopes"),
        PacketListField("scopes", [], NetflowOptionsFlowsetScopeV9,
                        count_from=lambda pkt: pkt.scope_field_count),
        PacketListField("options", [], NetflowOptionsFlowsetOptionV9,
                        count_from=lambda pkt: (pkt.field_count or 0)
                        - (pkt.scope_field_count or 0)),
        StrLenField("pad", None, length_from=lambda pkt: (
            (pkt.length or 0) - (pkt.scope_field_count or 0) * 4 - 10
            - sum(len(o) for o in pkt.options))),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("length") is None:
            p = p[:2] + struct.pack("!H", len(p) & 0xFFFF) + p[4:]
        if self.__dict__.get("pad") is None:
            start = 10 + int.from_bytes(p[8:10], "big") * 4
            p = p[:start] + bytes(-len(p) % 4)
        return p + pay


def GetNetflowRecordV9(flowset: Packet, templateID: int | None = None) -> type[Packet]:
    """The record class of a template flowset's template (Scapy's): the only one, or the one
    of ``templateID``.

    Raises:
        paquet.errors.PaquetError: no template, or several and no ``templateID``.
    """
    from paquet.errors import PaquetError

    found = {t.templateID: netflow_record_class(
        [(f.fieldLength, f.fieldType) for f in t.template_fields])
        for t in flowset.templates if t.template_fields}
    if not found:
        raise PaquetError("No template IDs detected")
    if len(found) > 1:
        if templateID is None:
            raise PaquetError("Multiple possible templates ! Specify templateID=..")
        return found[templateID]
    return next(iter(found.values()))


def _layers_of(pkt: Packet, cls: type[Packet]) -> list[Any]:
    return [layer for layer in _all_layers(pkt) if type(layer) is cls]


def _all_layers(pkt: Any) -> list[Any]:
    out = []
    layer = pkt
    while layer:
        out.append(layer)
        layer = layer.payload
    return out


def _items(items: Any) -> list[Any]:
    """The items of a packet list, without a cut last one (kept as Raw bytes, as Scapy)."""
    return [i for i in items or () if not isinstance(i, Raw)]


def _defragment(pkt: Packet, templates: dict[int, tuple[int, type[Packet]]],
                options: dict[int, tuple[int, type[Packet], int, type[Packet]]],
                ignored: set[int]) -> None:
    from paquet.packet.base import Padding

    for flowset in _layers_of(pkt, NetflowFlowsetV9):
        for t in _items(flowset.templates):
            spec = [(f.fieldLength or 0, f.fieldType) for f in _items(t.template_fields)]
            if spec:
                templates[t.templateID] = (sum(n for n, _ in spec), netflow_record_class(spec))
    for kind in (NetflowOptionsFlowsetV9, NetflowOptionsFlowset10):
        for flowset in _layers_of(pkt, kind):
            scopes = [(s.scopeFieldlength or 0, s.scopeFieldType) for s in _items(flowset.scopes)]
            opts = [(o.optionFieldlength or 0, o.optionFieldType)
                    for o in _items(flowset.options)]
            options[flowset.templateID] = (
                sum(n for n, _ in scopes),
                netflow_record_class(scopes, NetflowOptionsRecordScopeV9),
                sum(n for n, _ in opts),
                netflow_record_class(opts, NetflowOptionsRecordOptionV9))
    for data in _layers_of(pkt, NetflowDataflowsetV9):
        tid = data.templateID
        if tid not in templates and tid not in options:
            ignored.add(tid)
            return
        records = data.records
        if not records or "fieldValue" not in records[0].fields:
            return
        raw = records[0].fieldValue
        out: list[Any] = []
        if tid in templates:
            size, cls = templates[tid]
            while size and len(raw) >= size:
                out.append(cls(raw[:size]))
                raw = raw[size:]
            padding = bool(raw) and len(raw) <= 4 and not data.payload
            if raw and not padding:  # (kept in place: Scapy moves it after the next sets)
                out.append(Padding(load=raw))
            data.records = out
            if padding:
                data.add_payload(Padding(load=raw))  # (the set's padding, as Scapy's)
        else:
            scope_len, scope_cls, opt_len, opt_cls = options[tid]
            if scope_len:
                out.append(scope_cls(raw[:scope_len]))
            if opt_len:
                out.append(opt_cls(raw[scope_len:scope_len + opt_len]))
            if len(raw) > scope_len + opt_len:
                out.append(Padding(load=raw[scope_len + opt_len:]))
            data.records = out


def netflowv9_defragment(plist: Any, verb: int = 1) -> Any:
    """Read the data records of NetFlow v9/IPFIX packets with the templates (and options
    templates) the packets carry, earlier packets first (Scapy's); returns the list."""
    packets = plist if isinstance(plist, list) or hasattr(plist, "res") else [plist]
    templates: dict[int, tuple[int, type[Packet]]] = {}
    options: dict[int, tuple[int, type[Packet], int, type[Packet]]] = {}
    ignored: set[int] = set()
    for pkt in packets:
        _defragment(pkt, templates, options, ignored)
    if verb and ignored:
        import logging

        logging.getLogger("paquet").warning("Ignored templateIDs (missing): %s",
                                            sorted(ignored))
    return packets


def ipfix_defragment(*args: Any, **kwargs: Any) -> Any:
    """:func:`netflowv9_defragment` (Scapy's alias)."""
    return netflowv9_defragment(*args, **kwargs)


def _register() -> None:
    from paquet.layers.udp import UDP

    for port in NETFLOW_PORTS:
        registry.bind_bottom_up(UDP, NetflowHeader, dport=port)
        registry.bind_bottom_up(UDP, NetflowHeader, sport=port)
    registry.bind_layers(UDP, NetflowHeader, dport=NETFLOW_PORT, sport=NETFLOW_PORT)
    registry.bind_layers(NetflowHeader, NetflowHeaderV1, version=1)
    registry.bind_layers(NetflowHeaderV1, NetflowRecordV1)
    registry.bind_layers(NetflowRecordV1, NetflowRecordV1)
    registry.bind_layers(NetflowHeader, NetflowHeaderV5, version=5)
    registry.bind_layers(NetflowHeaderV5, NetflowRecordV5)
    registry.bind_layers(NetflowRecordV5, NetflowRecordV5)
    registry.bind_layers(NetflowHeader, NetflowHeaderV9, version=9)
    registry.bind_layers(NetflowHeaderV9, NetflowDataflowsetV9)
    registry.bind_layers(NetflowDataflowsetV9, NetflowDataflowsetV9)
    registry.bind_layers(NetflowOptionsFlowsetV9, NetflowDataflowsetV9)
    registry.bind_layers(NetflowFlowsetV9, NetflowDataflowsetV9)
    registry.bind_layers(NetflowHeader, NetflowHeaderV10, version=10)
    registry.bind_layers(NetflowHeaderV10, NetflowDataflowsetV9)


_register()
