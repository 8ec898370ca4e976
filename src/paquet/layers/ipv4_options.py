"""IPv4 options (RFC 791 and later): Scapy's ``IPOption`` classes, names, defaults and bytes.

Each option is a small packet (built and dissected field by field) held in ``IP.options``, so
``pkt[IPOption_LSRR]`` finds it inside the header. ``IPOption(data)`` is the class the type
byte names (its low 5 bits, as Scapy's ``dispatch_hook``); an option number without a class
stays a generic ``IPOption`` (``length`` and ``value``).

>>> bytes(IPOption())
b'\\x00\\x02'
>>> IPOption(b"\\x94\\x04\\x00\\x00").__class__.__name__
'IPOption_Router_Alert'
>>> IPOption_RR(routers=["192.0.2.1", "192.0.2.2"], pointer=8).get_current_router()
'192.0.2.2'
"""

from __future__ import annotations

from typing import Any, ClassVar

from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField, ShortEnumField
from paquet.packet.fields import BitField, ByteField, Field, FieldError, IntField, ShortField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import ConditionalField, FieldLenField, FieldListField

__all__ = [
    "IPOption",
    "IPOption_Address_Extension",
    "IPOption_EOL",
    "IPOption_LSRR",
    "IPOption_MTU_Probe",
    "IPOption_MTU_Reply",
    "IPOption_NOP",
    "IPOption_RR",
    "IPOption_Router_Alert",
    "IPOption_SDBM",
    "IPOption_SSRR",
    "IPOption_Security",
    "IPOption_Stream_Id",
    "IPOption_Timestamp",
    "IPOption_Traceroute",
]

#: Option numbers (the type byte's low 5 bits) -> Scapy's names.
IP_OPTION_NAMES = {
    0: "end_of_list", 1: "nop", 2: "security", 3: "loose_source_route", 4: "timestamp",
    5: "extended_security", 6: "commercial_security", 7: "record_route", 8: "stream_id",
    9: "strict_source_route", 10: "experimental_measurement", 11: "mtu_probe", 12: "mtu_reply",
    13: "flow_control", 14: "access_control", 15: "encode", 16: "imi_traffic_descriptor",
    17: "extended_IP", 18: "traceroute", 19: "address_extension", 20: "router_alert",
    21: "selective_directed_broadcast_mode", 23: "dynamic_packet_state",
    24: "upstream_multicast_packet", 25: "quick_start", 30: "rfc4727_experiment",
}
_CLASSES = {0: "control", 2: "debug"}


def _hdr(copy_flag: int = 0, optclass: int = 0, option: int = 0) -> tuple[Field, ...]:
    """The type byte: copied flag (1 bit), class (2 bits), number (5 bits)."""
    return (
        BitField("copy_flag", copy_flag, 1),
        BitEnumField("optclass", optclass, 2, _CLASSES),
        BitEnumField("option", option, 5, IP_OPTION_NAMES),
    )


#: Option number -> its class, filled by each class below (Scapy's ``register_variant``).
_REGISTERED: dict[int, type[IPOption]] = {}


class IPOption(Packet):
    """A generic IPv4 option: the type byte's ``copy_flag``, ``optclass`` and ``option``,
    then ``length`` (None: ``2 + len(value)``) and ``value``.

    ``IPOption(data)`` is the class the option number names (``IPOption_NOP``,
    ``IPOption_RR``...). An option takes only its own bytes: what follows is the next one.
    """

    name = "IP Option"
    fields_desc = (
        *_hdr(),
        FieldLenField("length", None, fmt="B", length_of="value",
                      adjust=lambda pkt, n: n + 2),
        StrLenField("value", b"", length_from=lambda pkt: pkt.length - 2),
    )
    registered_ip_options: ClassVar[dict[int, type[IPOption]]] = _REGISTERED

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        number = next((f.default for f in cls.fields_desc if f.name == "option"), None)
        if isinstance(number, int) and cls.__module__ == __name__:
            _REGISTERED.setdefault(number, cls)

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the option whose type byte is ``data[start]`` (by its low 5 bits)."""
        if end > start:
            return _REGISTERED.get(data[start] & 31, cls)
        return cls

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        """An option has no payload: the bytes after it are the next options."""
        return b"", s

    @property
    def type_byte(self) -> int:
        """The whole type byte (copied flag, class and number), e.g. 131 for LSRR."""
        d = self.__dict__
        return (int(d["copy_flag"] or 0) & 1) << 7 | (int(d["optclass"] or 0) & 3) << 5 | (
            int(d["option"] or 0) & 31)

    def to_json(self) -> dict[str, Any]:
        """The option as JSON-ready data: its type byte, name and bytes."""
        return {"option": self.type_byte,
                "name": IP_OPTION_NAMES.get(self.type_byte & 31, str(self.type_byte)),
                "value": bytes(self)[2:].hex()}


class IPOption_EOL(IPOption):
    """End of the option list (type 0): one byte."""

    name = "IP Option End of Options List"
    fields_desc = _hdr(0, 0, 0)


class IPOption_NOP(IPOption):
    """No operation (type 1): one byte, to align the next option."""

    name = "IP Option No Operation"
    fields_desc = _hdr(0, 0, 1)


class IPOption_Security(IPOption):
    """Security (RFC 1108 / RFC 791, type 130): 11 bytes."""

    name = "IP Option Security"
    fields_desc = (
        *_hdr(1, 0, 2),
        ByteField("length", 11),
        ShortField("security", 0),
        ShortField("compartment", 0),
        ShortField("handling_restrictions", 0),
        StrFixedLenField("transmission_control_code", b"xxx", 3),
    )


class IPOption_RR(IPOption):
    """Record route (type 7): ``pointer`` (4: the first address) and ``routers``.

    >>> bytes(IPOption_RR(routers=["192.0.2.1"]))
    b'\\x07\\x07\\x04\\xc0\\x00\\x02\\x01'
    """

    name = "IP Option Record Route"
    fields_desc = (
        *_hdr(0, 0, 7),
        FieldLenField("length", None, fmt="B", length_of="routers",
                      adjust=lambda pkt, n: n + 3),
        ByteField("pointer", 4),
        FieldListField("routers", [], IPField("", "0.0.0.0"),
                       length_from=lambda pkt: pkt.length - 3),
    )

    def get_current_router(self) -> str:
        """The address the pointer points at (Scapy's ``get_current_router``)."""
        return str(self.routers[self.pointer // 4 - 1])


class IPOption_LSRR(IPOption_RR):
    """Loose source and record route (type 131)."""

    name = "IP Option Loose Source and Record Route"
    fields_desc = (*_hdr(1, 0, 3), *IPOption_RR.fields_desc[3:])


class IPOption_SSRR(IPOption_RR):
    """Strict source and record route (type 137)."""

    name = "IP Option Strict Source and Record Route"
    fields_desc = (*_hdr(1, 0, 9), *IPOption_RR.fields_desc[3:])


class IPOption_Stream_Id(IPOption):
    """Stream identifier (type 136): 4 bytes (Scapy names the identifier ``security``)."""

    name = "IP Option Stream ID"
    fields_desc = (*_hdr(1, 0, 8), ByteField("length", 4), ShortField("security", 0))


class IPOption_MTU_Probe(IPOption):
    """MTU probe (RFC 1063, type 11): ``mtu``."""

    name = "IP Option MTU Probe"
    fields_desc = (*_hdr(0, 0, 11), ByteField("length", 4), ShortField("mtu", 0))


class IPOption_MTU_Reply(IPOption_MTU_Probe):
    """MTU reply (RFC 1063, type 12): ``mtu``."""

    name = "IP Option MTU Reply"
    fields_desc = (*_hdr(0, 0, 12), *IPOption_MTU_Probe.fields_desc[3:])


class IPOption_Traceroute(IPOption):
    """Traceroute (RFC 1393, type 82): 12 bytes."""

    name = "IP Option Traceroute"
    fields_desc = (
        *_hdr(0, 0, 18),
        ByteField("length", 12),
        ShortField("id", 0),
        ShortField("outbound_hops", 0),
        ShortField("return_hops", 0),
        IPField("originator_ip", "0.0.0.0"),
    )


class IPOption_Timestamp(IPOption):
    """Timestamp (type 68): ``pointer``, ``oflw``, ``flg``, then ``internet_address`` (not
    with ``flg`` 0) and ``timestamp``; ``length`` None is the option's size.

    >>> bytes(IPOption_Timestamp())
    b'D\\x0c\\t\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'
    """

    name = "IP Option Timestamp"
    fields_desc = (
        *_hdr(0, 2, 4),
        ByteField("length", None),
        ByteField("pointer", 9),
        BitField("oflw", 0, 4),
        BitEnumField("flg", 1, 4, {0: "timestamp_only", 1: "timestamp_and_ip_addr",
                                   3: "prespecified_ip_addr"}),
        ConditionalField(IPField("internet_address", "0.0.0.0"), lambda pkt: pkt.flg != 0),
        IntField("timestamp", 0),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.length is None:
            if len(p) > 255:
                raise FieldError(f"IPOption_Timestamp: {len(p)} bytes do not fit its length")
            p = p[:1] + bytes((len(p),)) + p[2:]
        return p + pay


class IPOption_Address_Extension(IPOption):
    """Address extension (type 147): ``src_ext`` and ``dst_ext``."""

    name = "IP Option Address Extension"
    fields_desc = (
        *_hdr(1, 0, 19),
        ByteField("length", 10),
        IPField("src_ext", "0.0.0.0"),
        IPField("dst_ext", "0.0.0.0"),
    )


class IPOption_Router_Alert(IPOption):
    """Router alert (RFC 2113, type 148): ``alert`` (0: routers shall examine the packet)."""

    name = "IP Option Router Alert"
    fields_desc = (
        *_hdr(1, 0, 20),
        ByteField("length", 4),
        ShortEnumField("alert", 0, {0: "router_shall_examine_packet"}),
    )


class IPOption_SDBM(IPOption):
    """Selective directed broadcast mode (RFC 1770, type 149): ``addresses``."""

    name = "IP Option Selective Directed Broadcast Mode"
    fields_desc = (
        *_hdr(1, 0, 21),
        FieldLenField("length", None, fmt="B", length_of="addresses",
                      adjust=lambda pkt, n: n + 2),
        FieldListField("addresses", [], IPField("", "0.0.0.0"),
                       length_from=lambda pkt: pkt.length - 2),
    )


def parse_options(data: bytes) -> list[Packet] | bytes:
    """Options from their wire form, each as the class its number names; the bytes
    themselves when their lengths do not cut them exactly. An option whose bytes its class
    cannot give back (a timestamp with several entries) stays a generic :class:`IPOption`.
    """
    out: list[Packet] = []
    i = 0
    n = len(data)
    while i < n:
        kind = data[i]
        if kind in (0, 1):
            size = 1
        else:
            if i + 1 >= n:
                return data
            size = data[i + 1]
            if size < 2 or i + size > n:
                return data
        chunk = data[i : i + size]
        cls = _REGISTERED.get(kind & 31, IPOption)
        opt: Packet = cls(chunk)
        if opt.errors or bytes(opt) != chunk:
            opt = IPOption(copy_flag=kind >> 7, optclass=kind >> 5 & 3, option=kind & 31,
                           length=size, value=chunk[2:])
        out.append(opt)
        i += size
    return out
