"""NetFlow v9 and IPFIX field types (RFC 3954 §8, the names of its first 79 types, which
Scapy's ``NetflowV910TemplateFieldTypes`` uses too), their lengths by default and how a data
record shows each of them; and the record classes made from a template
(:func:`netflow_record_class`, behind Scapy's ``GetNetflowRecordV9``).

>>> cls = netflow_record_class([(4, 8), (4, 12), (2, 7), (1, 4)])
>>> [f.name for f in cls.fields_desc]
['IPV4_SRC_ADDR', 'IPV4_DST_ADDR', 'L4_SRC_PORT', 'PROTOCOL']
>>> cls(bytes.fromhex("c0000201c6336401005006")).L4_SRC_PORT
80
"""

from __future__ import annotations

from typing import Any

from paquet.packet.addrfields import IPField, MACField
from paquet.packet.base import Packet
from paquet.packet.intfields import NBytesField
from paquet.packet.strfields import StrField, StrFixedLenField
from paquet.packet.valuefields import IP6Field

__all__ = ["NETFLOW_V9_FIELD_TYPES", "NetflowV910TemplateFieldTypes", "netflow_record_class"]

# (name, length by default (0: none given), kind): "i" an unsigned integer of the template's
# length, "4" an IPv4 address, "6" an IPv6 address, "m" a MAC address, "s" bytes.
_TYPES: dict[int, tuple[str, int, str]] = {
    1: ("IN_BYTES", 4, "i"), 2: ("IN_PKTS", 4, "i"), 3: ("FLOWS", 4, "s"),
    4: ("PROTOCOL", 1, "i"), 5: ("TOS", 1, "i"), 6: ("TCP_FLAGS", 1, "i"),
    7: ("L4_SRC_PORT", 2, "i"), 8: ("IPV4_SRC_ADDR", 4, "4"), 9: ("SRC_MASK", 1, "i"),
    10: ("INPUT_SNMP", 0, "i"), 11: ("L4_DST_PORT", 2, "i"), 12: ("IPV4_DST_ADDR", 4, "4"),
    13: ("DST_MASK", 1, "i"), 14: ("OUTPUT_SNMP", 0, "i"), 15: ("IPV4_NEXT_HOP", 4, "4"),
    16: ("SRC_AS", 2, "i"), 17: ("DST_AS", 2, "i"), 18: ("BGP_IPV4_NEXT_HOP", 4, "4"),
    19: ("MUL_DST_PKTS", 4, "i"), 20: ("MUL_DST_BYTES", 4, "i"),
    21: ("LAST_SWITCHED", 4, "i"), 22: ("FIRST_SWITCHED", 4, "i"),
    23: ("OUT_BYTES", 4, "i"), 24: ("OUT_PKTS", 4, "i"),
    25: ("IP_LENGTH_MINIMUM", 0, "s"), 26: ("IP_LENGTH_MAXIMUM", 0, "s"),
    27: ("IPV6_SRC_ADDR", 16, "6"), 28: ("IPV6_DST_ADDR", 16, "6"),
    29: ("IPV6_SRC_MASK", 1, "i"), 30: ("IPV6_DST_MASK", 1, "i"),
    31: ("IPV6_FLOW_LABEL", 3, "i"), 32: ("ICMP_TYPE", 2, "i"), 33: ("MUL_IGMP_TYPE", 1, "i"),
    34: ("SAMPLING_INTERVAL", 4, "i"), 35: ("SAMPLING_ALGORITHM", 1, "i"),
    36: ("FLOW_ACTIVE_TIMEOUT", 2, "i"), 37: ("FLOW_INACTIVE_TIMEOUT", 2, "i"),
    38: ("ENGINE_TYPE", 1, "i"), 39: ("ENGINE_ID", 1, "i"),
    40: ("TOTAL_BYTES_EXP", 4, "i"), 41: ("TOTAL_PKTS_EXP", 4, "i"),
    42: ("TOTAL_FLOWS_EXP", 4, "i"), 43: ("IPV4_ROUTER_SC", 0, "s"),
    44: ("IP_SRC_PREFIX", 0, "s"), 45: ("IP_DST_PREFIX", 0, "s"),
    46: ("MPLS_TOP_LABEL_TYPE", 1, "i"), 47: ("MPLS_TOP_LABEL_IP_ADDR", 4, "4"),
    48: ("FLOW_SAMPLER_ID", 4, "s"), 49: ("FLOW_SAMPLER_MODE", 1, "i"),
    50: ("FLOW_SAMPLER_RANDOM_INTERVAL", 4, "i"), 51: ("FLOW_CLASS", 0, "s"),
    52: ("MIN_TTL", 0, "s"), 53: ("MAX_TTL", 0, "s"), 54: ("IPV4_IDENT", 0, "s"),
    55: ("DST_TOS", 1, "i"), 56: ("SRC_MAC", 6, "m"), 57: ("DST_MAC", 6, "m"),
    58: ("SRC_VLAN", 2, "i"), 59: ("DST_VLAN", 2, "i"), 60: ("IP_PROTOCOL_VERSION", 1, "i"),
    61: ("DIRECTION", 1, "i"), 62: ("IPV6_NEXT_HOP", 16, "6"),
    63: ("BGP_IPV6_NEXT_HOP", 16, "6"), 64: ("IPV6_OPTION_HEADERS", 4, "s"),
    **{69 + n: (f"MPLS_LABEL_{n}", 3, "i") for n in range(1, 11)},
    # (after RFC 3954: Wireshark's names, as Scapy's, read as bytes)
    80: ("DESTINATION_MAC", 0, "s"), 81: ("SOURCE_MAC", 0, "s"), 82: ("IF_NAME", 0, "s"),
    83: ("IF_DESC", 0, "s"), 84: ("SAMPLER_NAME", 0, "s"), 85: ("BYTES_TOTAL", 0, "s"),
    86: ("PACKETS_TOTAL", 0, "s"),
    # (IANA's IPFIX information elements that exporters such as softflowd send)
    136: ("flowEndReason", 0, "s"), 148: ("flowId", 0, "s"),
    150: ("flowStartSeconds", 8, "i"), 151: ("flowEndSeconds", 8, "i"),
    152: ("flowStartMilliseconds", 8, "i"), 153: ("flowEndMilliseconds", 8, "i"),
    154: ("flowStartMicroseconds", 8, "i"), 155: ("flowEndMicroseconds", 8, "i"),
    156: ("flowStartNanoseconds", 8, "i"), 157: ("flowEndNanoseconds", 8, "i"),
    160: ("systemInitTimeMilliseconds", 8, "i"),
    195: ("IP_DSCP", 1, "i"),  # (ipDiffServCodePoint, by Wireshark's name as Scapy's)
}

#: Field type -> name (RFC 3954's names), as Scapy's ``NetflowV910TemplateFieldTypes``.
NETFLOW_V9_FIELD_TYPES: dict[int, str] = {k: v[0] for k, v in _TYPES.items()}
NetflowV910TemplateFieldTypes = NETFLOW_V9_FIELD_TYPES


def default_length(field_type: Any) -> int | None:
    """The length a template gives a field of this type by default (None: unknown)."""
    entry = _TYPES.get(field_type) if isinstance(field_type, int) else None
    return (entry[1] or None) if entry else None


class NetflowRecordV9(Packet):
    """A data record of a v9/IPFIX data flowset: its bytes (``fieldValue``) until a template
    names its fields (:func:`netflow_record_class`, ``netflowv9_defragment``)."""

    name = "Netflow DataFlowset Record V9/10"
    fields_desc = (StrField("fieldValue", b""),)

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _field(field_type: int, length: int) -> Any:
    name, _, kind = _TYPES.get(field_type, ("unknown_data", 0, "s"))
    if kind == "4" and length == 4:
        return IPField(name, "0.0.0.0")
    if kind == "6" and length == 16:
        return IP6Field(name, "::")
    if kind == "m" and length == 6:
        return MACField(name, "00:00:00:00:00:00")
    if kind == "i" and 0 < length <= 8:
        return NBytesField(name, 0, length)
    return StrFixedLenField(name, b"", length=length)


def netflow_record_class(fields: list[tuple[int, int]], base: type[Packet] | None = None
                         ) -> type[Packet]:
    """The record class of a template: ``fields`` is its ``(fieldLength, fieldType)`` list
    (Scapy's order); the class derives from ``base`` (:class:`NetflowRecordV9` by default)."""
    parent = base or NetflowRecordV9
    table = tuple(_field(t, n) for n, t in fields)
    return type(parent.__name__, (parent,), {"fields_desc": table, "name": parent.name,
                                             "__module__": __name__,
                                             "__doc__": parent.__doc__})
