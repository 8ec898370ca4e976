"""VXLAN (RFC 7348): Ethernet frames carried over UDP, port 4789.

The 8-byte header: ``flags`` (the I bit, 0x08, says the VNI is valid), 24 reserved bits, the
24-bit VXLAN Network Identifier ``vni``, 8 reserved bits. Class, field names, defaults and
bindings are Scapy's (``scapy.layers.vxlan``), which also reads two extensions from the flags:
the Generic Protocol Extension (the P bit, 0x04: ``reserved0`` and ``NextProtocol`` in place of
the first reserved bits) and the Group Policy Option (the G bit, 0x80: ``gpflags`` and ``gpid``),
so the fields present depend on ``flags``, as ICMP's depend on its type.
"""

from __future__ import annotations

from typing import Any

from paquet.numbers import Port
from paquet.packet import registry
from paquet.packet.base import Malformed, Packet
from paquet.packet.fields import (
    BitField,
    ByteEnumField,
    Field,
    FlagsField,
    ShortField,
    XByteField,
)

__all__ = ["VXLAN", "VXLAN_NEXT_PROTOCOLS"]

#: The ports Scapy dissects as VXLAN besides IANA's (``Port.vxlan``, 4789, RFC 7348 §5):
#: VXLAN-GPE, the one IANA gave for NSH, Linux's default, and (destination only) Cisco ACI's.
_OTHER_PORTS = (4790, 6633, 8472)
_ACI_PORT = 48879

#: The payload named by ``NextProtocol`` (VXLAN-GPE).
VXLAN_NEXT_PROTOCOLS = {0: "NotDefined", 1: "IPv4", 2: "IPv6", 3: "Ethernet", 4: "NSH"}

_FLAG_NAMES = ["OAM", "R", "NextProtocol", "Instance", "V1", "V2", "R", "G"]
_GP_FLAG_NAMES = ["R", "R", "R", "A", "R", "R", "D", "R"]
_NEXT_PROTOCOL = 0x04  # the P bit
_GROUP_POLICY = 0x80  # the G bit


class _ThreeBytesField(BitField):
    """A 24-bit unsigned integer (Scapy's ``ThreeBytesField``)."""

    __slots__ = ()

    def __init__(self, name: str, default: int) -> None:
        super().__init__(name, default, 24)

    def type_name(self) -> str:
        return "ThreeBytesField"


class _X3BytesField(_ThreeBytesField):
    """A 24-bit unsigned integer shown in hexadecimal (Scapy's ``X3BytesField``)."""

    __slots__ = ()

    def i2repr(self, value: Any) -> str:
        return hex(value) if isinstance(value, int) else repr(value)

    def type_name(self) -> str:
        return "X3BytesField"


#: The width in bytes of each field on the wire.
_WIDTHS = {"flags": 1, "reserved0": 2, "NextProtocol": 1, "reserved1": 3, "gpflags": 1,
           "gpid": 2, "vni": 3, "reserved2": 1}


def _layout(flags: int) -> tuple[str, ...]:
    """The fields present, in wire order, for these ``flags`` (Scapy's ConditionalFields)."""
    names: tuple[str, ...] = ("flags",)
    if flags & _NEXT_PROTOCOL:
        names += ("reserved0", "NextProtocol")
    if flags & _GROUP_POLICY:
        names += ("gpflags", "gpid")
    elif not flags & _NEXT_PROTOCOL:
        names += ("reserved1",)
    return (*names, "vni", "reserved2")


class VXLAN(Packet):
    """A VXLAN header: 8 bytes (10 with both the P and the G bits); the payload is Ethernet
    unless ``NextProtocol`` names IPv4 or IPv6."""

    name = "VXLAN"
    fields_desc = (
        FlagsField("flags", 0x08, 8, _FLAG_NAMES),
        ShortField("reserved0", 0),
        ByteEnumField("NextProtocol", 0, VXLAN_NEXT_PROTOCOLS),
        _ThreeBytesField("reserved1", 0),
        FlagsField("gpflags", 0, 8, _GP_FLAG_NAMES),
        ShortField("gpid", 0),
        _X3BytesField("vni", 0),
        XByteField("reserved2", 0),
    )

    def _present(self) -> tuple[str, ...]:
        flags = self.__dict__["flags"]
        return _layout(flags if isinstance(flags, int) else 0)

    def self_build(self) -> bytes:
        d = self.__dict__
        out = bytearray()
        for name in self._present():
            value = d[name] or 0
            try:
                out += int(value).to_bytes(_WIDTHS[name], "big")
            except (OverflowError, TypeError, ValueError) as exc:
                raise self._build_error(exc) from None
        return bytes(out)

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 1:
            raise Malformed(off, "a VXLAN header of 8 bytes, 0 left")
        names = _layout(data[off])
        size = sum(_WIDTHS[n] for n in names)
        if end - off < size:
            raise Malformed(off, f"a VXLAN header of {size} bytes, {end - off} left")
        d = self.__dict__
        at = off
        for name in names:
            width = _WIDTHS[name]
            d[name] = int.from_bytes(data[at : at + width], "big")
            at += width
        return at

    def _shown_fields(self) -> tuple[Field, ...]:
        fm = self._fieldmap
        return tuple(fm[n] for n in self._present())

    def mysummary(self) -> str:
        d = self.__dict__
        vni = self._fieldmap["vni"].i2repr(d["vni"])
        if isinstance(d["flags"], int) and d["flags"] & _GROUP_POLICY:
            return f"VXLAN (vni={vni} gpid={d['gpid']})"
        return f"VXLAN (vni={vni})"


def _register() -> None:
    from paquet.layers.ether import Ether
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6
    from paquet.layers.udp import UDP

    # Scapy's bindings, in Scapy's order: the last top-down one (both ports 4789) wins.
    vxlan = int(Port.vxlan)
    for port in (vxlan, *_OTHER_PORTS, _ACI_PORT):
        registry.bind_layers(UDP, VXLAN, dport=port)
    for port in (vxlan, *_OTHER_PORTS):
        registry.bind_layers(UDP, VXLAN, sport=port)
    registry.bind_layers(UDP, VXLAN, sport=vxlan, dport=vxlan)
    for value, upper in ((0, Ether), (1, IP), (2, IPv6), (3, Ether)):
        registry.bind_bottom_up(VXLAN, upper, NextProtocol=value)
    registry.bind_top_down(VXLAN, Ether, flags=12, NextProtocol=3)
    registry.bind_top_down(VXLAN, IP, flags=12, NextProtocol=1)
    registry.bind_top_down(VXLAN, IPv6, flags=12, NextProtocol=2)


_register()
