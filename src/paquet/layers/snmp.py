"""SNMP v1/v2c (RFC 1157, RFC 3416) in BER: ``SNMP`` (version, community, PDU), the PDUs
(``SNMPget``, ``SNMPnext``, ``SNMPresponse``, ``SNMPset``, ``SNMPtrapv1``, ``SNMPbulk``,
``SNMPinform``, ``SNMPtrapv2``) and ``SNMPvarbind``, with Scapy's names, defaults and bytes,
bound to UDP 161/162 (``snmpget`` and ``snmpwalk`` are in :mod:`paquet.net.snmptools`).

>>> bytes(SNMP())
b'0\\x18\\x02\\x01\\x01\\x04\\x06public\\xa0\\x0b\\x02\\x01\\x00\\x02\\x01\\x00\\x02\\x01\\x000\\x00'
>>> p = SNMP(bytes(SNMP(PDU=SNMPget(varbindlist=[SNMPvarbind(oid="1.3.6.1.2.1.1.5.0")]))))
>>> p.PDU.varbindlist[0].oid
<ASN1_OID['.1.3.6.1.2.1.1.5.0']>
"""

from __future__ import annotations

from typing import Any

from paquet.asn1.asn1 import ASN1_NULL, ASN1_SEQUENCE, ASN1_Class_UNIVERSAL, _t
from paquet.asn1.ber import BERcodec_SEQUENCE
from paquet.asn1.fields import (
    ASN1F_CHOICE,
    ASN1F_INTEGER,
    ASN1F_IPADDRESS,
    ASN1F_NULL,
    ASN1F_OID,
    ASN1F_SEQUENCE,
    ASN1F_SEQUENCE_OF,
    ASN1F_STRING,
    ASN1F_TIME_TICKS,
    ASN1F_enum_INTEGER,
    ASN1F_field,
    ASN1F_optional,
)
from paquet.asn1.packet import ASN1_Packet
from paquet.packet import registry

__all__ = [
    "SNMP",
    "ASN1_Class_SNMP",
    "SNMP_error",
    "SNMP_trap_types",
    "SNMPbulk",
    "SNMPget",
    "SNMPinform",
    "SNMPnext",
    "SNMPresponse",
    "SNMPset",
    "SNMPtrapv1",
    "SNMPtrapv2",
    "SNMPvarbind",
]


class ASN1_Class_SNMP(ASN1_Class_UNIVERSAL):
    """The universal tags and the SNMP PDUs' context tags (0xa0 to 0xa7)."""

    name = "SNMP"
    PDU_GET = _t(0xA0)
    PDU_NEXT = _t(0xA1)
    PDU_RESPONSE = _t(0xA2)
    PDU_SET = _t(0xA3)
    PDU_TRAPv1 = _t(0xA4)
    PDU_BULK = _t(0xA5)
    PDU_INFORM = _t(0xA6)
    PDU_TRAPv2 = _t(0xA7)


_PDU_NAMES = ("GET", "NEXT", "RESPONSE", "SET", "TRAPv1", "BULK", "INFORM", "TRAPv2")
_PDU_FIELDS: dict[str, type[ASN1F_SEQUENCE]] = {}
for _n in _PDU_NAMES:
    _tag = getattr(ASN1_Class_SNMP, "PDU_" + _n)
    _obj = type(f"ASN1_SNMP_PDU_{_n}", (ASN1_SEQUENCE,),
                {"tag": _tag, "__doc__": f"An SNMP {_n} PDU's value."})
    _codec = type(f"BERcodec_SNMP_PDU_{_n}", (BERcodec_SEQUENCE,),
                  {"tag": _tag, "__doc__": f"The BER codec of an SNMP {_n} PDU."})
    _PDU_FIELDS[_n] = type(f"ASN1F_SNMP_PDU_{_n}", (ASN1F_SEQUENCE,),
                           {"ASN1_tag": _tag, "__doc__": f"An SNMP {_n} PDU's fields."})
    globals()[_obj.__name__] = _obj
    globals()[_codec.__name__] = _codec
    globals()[_PDU_FIELDS[_n].__name__] = _PDU_FIELDS[_n]

#: The port of SNMP traps (``snmp-trap`` in /etc/services): only SNMP uses it.
SNMP_TRAP_PORT = 162

SNMP_error = {
    0: "no_error", 1: "too_big", 2: "no_such_name", 3: "bad_value", 4: "read_only",
    5: "generic_error", 6: "no_access", 7: "wrong_type", 8: "wrong_length",
    9: "wrong_encoding", 10: "wrong_value", 11: "no_creation", 12: "inconsistent_value",
    13: "resource_unavailable", 14: "commit_failed", 15: "undo_failed",
    16: "authorization_error", 17: "not_writable", 18: "inconsistent_name",
}

SNMP_trap_types = {
    0: "cold_start", 1: "warm_start", 2: "link_down", 3: "link_up", 4: "auth_failure",
    5: "egp_neigh_loss", 6: "enterprise_specific",
}


class SNMPvarbind(ASN1_Packet):
    """A variable binding: ``oid`` and its ``value`` (any ASN.1 value; NULL in requests),
    or one of the v2 exceptions ``noSuchObject``, ``noSuchInstance``, ``endOfMibView``."""

    ASN1_root = ASN1F_SEQUENCE(
        ASN1F_OID("oid", "1.3"),
        ASN1F_optional(ASN1F_field("value", ASN1_NULL(0))),
        ASN1F_optional(ASN1F_NULL("noSuchObject", None, implicit_tag=0x80)),
        ASN1F_optional(ASN1F_NULL("noSuchInstance", None, implicit_tag=0x81)),
        ASN1F_optional(ASN1F_NULL("endOfMibView", None, implicit_tag=0x82)),
    )


def _pdu(kind: str) -> Any:
    """The usual PDU: id, error, error_index, varbindlist."""
    return _PDU_FIELDS[kind](
        ASN1F_INTEGER("id", 0),
        ASN1F_enum_INTEGER("error", 0, SNMP_error),
        ASN1F_INTEGER("error_index", 0),
        ASN1F_SEQUENCE_OF("varbindlist", [], SNMPvarbind),
    )


class SNMPget(ASN1_Packet):
    """GetRequest-PDU."""

    ASN1_root = _pdu("GET")


class SNMPnext(ASN1_Packet):
    """GetNextRequest-PDU."""

    ASN1_root = _pdu("NEXT")


class SNMPresponse(ASN1_Packet):
    """Response-PDU (GetResponse in v1)."""

    ASN1_root = _pdu("RESPONSE")


class SNMPset(ASN1_Packet):
    """SetRequest-PDU."""

    ASN1_root = _pdu("SET")


def _uptime() -> Any:
    from paquet.volatile import IntAutoTime
    from paquet.volatile.base import class_default

    return class_default(IntAutoTime)


class SNMPtrapv1(ASN1_Packet):
    """Trap-PDU of SNMPv1: enterprise, agent_addr, generic_trap, specific_trap,
    time_stamp (by default the time when built, as Scapy's ``IntAutoTime``)."""

    ASN1_root = _PDU_FIELDS["TRAPv1"](
        ASN1F_OID("enterprise", "1.3"),
        ASN1F_IPADDRESS("agent_addr", "0.0.0.0"),
        ASN1F_enum_INTEGER("generic_trap", 0, SNMP_trap_types),
        ASN1F_INTEGER("specific_trap", 0),
        ASN1F_TIME_TICKS("time_stamp", _uptime()),
        ASN1F_SEQUENCE_OF("varbindlist", [], SNMPvarbind),
    )


class SNMPbulk(ASN1_Packet):
    """GetBulkRequest-PDU (v2c): id, non_repeaters, max_repetitions, varbindlist."""

    ASN1_root = _PDU_FIELDS["BULK"](
        ASN1F_INTEGER("id", 0),
        ASN1F_INTEGER("non_repeaters", 0),
        ASN1F_INTEGER("max_repetitions", 0),
        ASN1F_SEQUENCE_OF("varbindlist", [], SNMPvarbind),
    )


class SNMPinform(ASN1_Packet):
    """InformRequest-PDU."""

    ASN1_root = _pdu("INFORM")


class SNMPtrapv2(ASN1_Packet):
    """SNMPv2-Trap-PDU."""

    ASN1_root = _pdu("TRAPv2")


class SNMP(ASN1_Packet):
    """An SNMP message: ``version`` (v2c by default), ``community`` ("public"), ``PDU``."""

    ASN1_root = ASN1F_SEQUENCE(
        ASN1F_enum_INTEGER("version", 1, {0: "v1", 1: "v2c", 2: "v2", 3: "v3"}),
        ASN1F_STRING("community", "public"),
        ASN1F_CHOICE("PDU", SNMPget(), SNMPget, SNMPnext, SNMPresponse, SNMPset,
                     SNMPtrapv1, SNMPbulk, SNMPinform, SNMPtrapv2),
    )

    def answers(self, other: Any) -> bool:
        """A response answers a get, getnext or set of the same id."""
        return (isinstance(other, SNMP) and isinstance(self.PDU, SNMPresponse)
                and isinstance(other.PDU, SNMPget | SNMPnext | SNMPset)
                and self.PDU.id == other.PDU.id)


def _register() -> None:
    from paquet.layers.udp import UDP
    from paquet.number_enums import Port

    for port in (Port.snmp, SNMP_TRAP_PORT):
        registry.bind_bottom_up(UDP, SNMP, sport=int(port))
        registry.bind_bottom_up(UDP, SNMP, dport=int(port))
    registry.bind_layers(UDP, SNMP, sport=int(Port.snmp), dport=int(Port.snmp))


_register()
