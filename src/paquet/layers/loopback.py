"""BSD loopback / null encapsulation (``Loopback``, LINKTYPE 0 "DLT_NULL").

A 4-byte address family in the byte order of the host that captured (little-endian here, as
Scapy's ``LoIntEnumField``): 2 is IPv4; IPv6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD) or 30
(macOS), all three dissected as IPv6, and 10 (Linux's AF_INET6, what Scapy writes on Linux) too.
``Loopback()/IPv6()`` writes 24, the value every reader (libpcap, Wireshark) knows. A header
written in the other byte order (a capture from a big-endian host) is recognised as well.
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.numbers import LINKTYPE_NULL
from paquet.packet import registry
from paquet.packet.base import Malformed, Packet
from paquet.packet.fields import Field, FieldError

__all__ = ["LOOPBACK_TYPES", "Loopback"]


#: Address families of a loopback header, named as Scapy does.
LOOPBACK_TYPES = {
    0x2: "IPv4",
    0x7: "OSI",
    0x10: "Appletalk",
    0x17: "Netware IPX/SPX",
    0x18: "IPv6",
    0x1C: "IPv6",
    0x1E: "IPv6",
}

_LE = struct.Struct("<I")


class _LoIntEnumField(Field):
    """A 32-bit little-endian integer shown by name (Scapy's ``LoIntEnumField``)."""

    __slots__ = ()
    converts = True

    def __init__(self, name: str, default: int) -> None:
        super().__init__(name, default, None)

    def rfc_bits(self) -> int:
        return 32

    def any2i(self, value: Any) -> Any:
        if isinstance(value, str):
            for number, label in LOOPBACK_TYPES.items():
                if label == value:
                    return number
            raise FieldError(f"{self.name}: unknown name {value!r}")
        return value

    def i2repr(self, value: Any) -> str:
        if isinstance(value, int) and value in LOOPBACK_TYPES:
            return LOOPBACK_TYPES[value]
        return repr(value)

    def type_name(self) -> str:
        return "LoIntEnumField"


class Loopback(Packet):
    """A BSD loopback header: ``type``, the address family of what follows (4 bytes)."""

    name = "Loopback"
    fields_desc = (_LoIntEnumField("type", 0x2),)

    def self_build(self) -> bytes:
        try:
            return _LE.pack(self.__dict__["type"])
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 4:
            raise Malformed(off, f"a 4-byte loopback header, {end - off} left")
        self.__dict__["type"] = _LE.unpack_from(data, off)[0]
        return off + 4

    def mysummary(self) -> str:
        return f"Loopback {self._fieldmap['type'].i2repr(self.__dict__['type'])}"


def _swapped(family: int) -> int:
    return int.from_bytes(family.to_bytes(4, "little"), "big")


def _register() -> None:
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6

    registry.bind_top_down(Loopback, IP, type=2)
    registry.bind_top_down(Loopback, IPv6, type=24)
    for family, cls in ((2, IP), (24, IPv6), (28, IPv6), (30, IPv6), (10, IPv6)):
        registry.bind_bottom_up(Loopback, cls, type=family)
        registry.bind_bottom_up(Loopback, cls, type=_swapped(family))
    registry.bind_linktype(LINKTYPE_NULL, Loopback)


_register()
