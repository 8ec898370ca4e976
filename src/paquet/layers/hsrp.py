"""HSRP, Cisco's Hot Standby Router Protocol: version 1 (RFC 2281) and version 2, on UDP port
1985 (2029 for HSRPv2 over IPv6).

Version 1 is a fixed 20-byte message (``HSRP``; ``HSRPAdvertise`` when the opcode is 3) with an
8-byte clear-text ``auth`` and the ``virtualIP``; a longer datagram carries an MD5
authentication TLV after it (``HSRPmd5``). Version 2 is a group state TLV (``HSRPv2``: the
virtual address IPv4 or IPv6 by ``ipVer``, padded to 16 bytes) followed by a text or MD5
authentication TLV. Classes, field names, defaults and bindings are Scapy's
(``scapy.layers.hsrp``), including the multicast groups an IP left at its default destination
goes to: 224.0.0.2 for port 1985, ff02::66 for port 2029.

>>> bytes(HSRP(priority=200, virtualIP="192.0.2.254")).hex()
'000010030ac80100636973636f000000c00002fe'
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.numbers import ALL_ROUTERS_GROUP, HSRP6_GROUP, HSRP6_PORT, HSRP_PORT
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import ByteField, IntField, ShortField, XIntField, XShortField
from paquet.packet.strfields import StrField, StrFixedLenField
from paquet.packet.structfields import ConditionalField, MultipleTypeField
from paquet.packet.valuefields import IP6Field, SourceIPField, SourceMACField

__all__ = ["HSRP", "HSRPAdvertise", "HSRPmd5", "HSRPv2", "HSRPv2TextAuth"]

HSRP_OPCODES = {0: "Hello", 1: "Coup", 2: "Resign", 3: "Advertise"}
HSRP_STATES = {0: "Initial", 1: "Learn", 2: "Listen", 4: "Speak", 8: "Standby", 16: "Active"}
_ADVERTISE = 3
_TEXT_AUTH, _MD5_AUTH = 3, 4
#: The UDP length of an HSRPv1 message without authentication TLV (8 + 20).
_V1_UDP_LEN = 28


def _valid_net(addr: Any, family: int) -> bool:
    """Whether ``addr`` is an IPv4 (``family`` 4) or IPv6 address, with an optional prefix
    length (Scapy's ``valid_net``/``valid_net6``, without a name lookup)."""
    import socket

    if isinstance(addr, bytes):
        try:
            addr = addr.decode()
        except UnicodeDecodeError:
            return False
    addr = str(addr)
    width = 32 if family == 4 else 128
    if "/" in addr:
        addr, mask = addr.split("/", 1)
        if not (mask.isdigit() and 0 <= int(mask) <= width):
            return False
    try:
        if family == 4:
            socket.inet_aton(addr)
        else:
            socket.inet_pton(socket.AF_INET6, addr)
    except (OSError, ValueError):
        return False
    return True


def _span(data: bytes, start: int | None, end: int | None) -> tuple[int, int]:
    if start is None:
        return 0, len(data)
    return start, len(data) if end is None else end


class HSRP(Packet):
    """An HSRPv1 message (20 bytes): ``version``, ``opcode``, ``state``, ``hellotime``,
    ``holdtime``, ``priority``, ``group``, ``reserved``, ``auth``, ``virtualIP``."""

    name = "HSRPv1"
    fields_desc = (
        ByteField("version", 0),
        ByteEnumField("opcode", 0, HSRP_OPCODES),
        ByteEnumField("state", 16, HSRP_STATES),
        ByteField("hellotime", 3),
        ByteField("holdtime", 10),
        ByteField("priority", 120),
        ByteField("group", 1),
        ByteField("reserved", 0),
        StrFixedLenField("auth", b"cisco" + b"\x00" * 3, 8),
        IPField("virtualIP", "192.168.1.1"),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """By the first bytes, as Scapy: version 0 with opcode 3 is an advertisement,
        version 1 is HSRPv2's TLV type."""
        if end > start:
            if data[start] == 0:
                if end - start >= 2 and data[start + 1] == _ADVERTISE:
                    return HSRPAdvertise
                return HSRP
            if data[start] == 1:
                return HSRPv2
        return HSRP

    def guess_payload_class(self, data: bytes, start: int | None = None,
                            end: int | None = None) -> type[Packet]:
        """The MD5 TLV when the UDP datagram is longer than a bare message, as Scapy."""
        under = self.underlayer
        ulen = getattr(under, "len", None) if under is not None else None
        if isinstance(ulen, int) and ulen > _V1_UDP_LEN:
            return HSRPmd5
        start, end = _span(data, start, end)
        return super().guess_payload_class(data, start, end)


class HSRPAdvertise(Packet):
    """An HSRPv1 advertisement (opcode 3): the interface's ``state`` and group counts."""

    name = "HSRP Advertise"
    fields_desc = (
        ByteField("version", 0),
        ByteEnumField("opcode", 3, HSRP_OPCODES),
        ShortEnumField("type", 1, {1: "HSRP interface state"}),
        ShortField("length", 10),
        ByteEnumField("state", 1, {1: "Active", 2: "Passive"}),
        ByteField("reserved1", 0),
        ShortField("activegroups", 0),
        ShortField("passivegroups", 0),
        IntField("reserved2", 0),
    )

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """HSRP when the opcode is not 3, as Scapy."""
        if end - start >= 2 and data[start + 1] != _ADVERTISE:
            return HSRP
        return cls


def _virtual_ip(pkt: Any) -> Any:
    """``virtualIP`` as Scapy reads it: the default of the field the packet chooses when
    unset."""
    return pkt.get_field("virtualIP").i2h(pkt, pkt.getfieldval("virtualIP"))


class HSRPv2(Packet):
    """HSRPv2's group state TLV: ``type``, ``len``, ``version``, ``opcode``, ``state``,
    ``ipVer`` (4 or 6, from ``virtualIP`` when None), ``group``, ``identifier``,
    ``priority``, ``hellotime``, ``holdtime`` (milliseconds), ``virtualIP``, ``padding``."""

    name = "HSRPv2"
    fields_desc = (
        ByteEnumField("type", 1, {1: "Group state TLV"}),
        ByteField("len", None),
        ByteField("version", 2),
        ByteEnumField("opcode", 0, HSRP_OPCODES),
        ByteEnumField("state", 16, HSRP_STATES),
        ByteEnumField("ipVer", None, {4: "IPv4", 6: "IPv6"}),
        XShortField("group", 1),
        SourceMACField("identifier"),
        IntField("priority", 100),
        IntField("hellotime", 3000),
        IntField("holdtime", 10000),
        MultipleTypeField(
            [
                (IPField("virtualIP", "0.0.0.0"),
                 (lambda p: p.ipVer == 4,
                  lambda p, val: p.ipVer != 6 and (val is None or _valid_net(val, 4)))),
                (IP6Field("virtualIP", "::"),
                 (lambda p: p.ipVer == 6,
                  lambda p, val: p.ipVer != 4 and (val is None or _valid_net(val, 6)))),
            ],
            StrField("virtualIP", None),
        ),
        # (the address takes 16 bytes: an IPv4 one is padded)
        ConditionalField(StrFixedLenField("padding", b"\x00" * 12, 12),
                         lambda pkt: _valid_net(_virtual_ip(pkt), 4)),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.ipVer is None:
            version = 6 if _valid_net(_virtual_ip(self), 6) else 4
            p = p[:5] + struct.pack("B", version) + p[6:]
        if self.len is None:
            p = p[:1] + struct.pack("B", (len(p) - 2) & 0xFF) + p[2:]
        return p + pay

    def guess_payload_class(self, data: bytes, start: int | None = None,
                            end: int | None = None) -> type[Packet]:
        """The authentication TLV its type byte names."""
        start, end = _span(data, start, end)
        if end > start:
            if data[start] == _TEXT_AUTH:
                return HSRPv2TextAuth
            if data[start] == _MD5_AUTH:
                return HSRPmd5
        return super().guess_payload_class(data, start, end)


class HSRPmd5(Packet):
    """The MD5 authentication TLV (versions 1 and 2): ``type``, ``len``, ``algo``,
    ``padding``, ``flags``, ``sourceip`` (the host's when None), ``keyid``, ``authdigest``."""

    name = "HSRP MD5 Authentication"
    fields_desc = (
        ByteEnumField("type", 4, {4: "MD5 authentication"}),
        ByteField("len", None),
        ByteEnumField("algo", 1, {1: "MD5"}),
        ByteField("padding", 0x00),
        XShortField("flags", 0x00),
        SourceIPField("sourceip", None),
        XIntField("keyid", 0x00),
        StrFixedLenField("authdigest", b"\x00" * 16, 16),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.len is None:
            p = p[:1] + struct.pack("B", (len(p) - 2) & 0xFF) + p[2:]
        return p + pay


class HSRPv2TextAuth(Packet):
    """HSRPv2's clear-text authentication TLV: ``type``, ``len``, ``auth``."""

    name = "HSRP Authentication"
    fields_desc = (
        ByteEnumField("type", 3, {3: "Text Authentication TLV"}),
        ByteField("len", 8),
        StrFixedLenField("auth", b"cisco" + b"\x00" * 3, 8),
    )


def _register() -> None:
    from paquet.layers.ipv4 import bind_dst_addr
    from paquet.layers.ipv6 import bind_dst6_addr
    from paquet.layers.udp import UDP

    for port in (HSRP_PORT, HSRP6_PORT):
        for cls in (HSRP, HSRPv2) if port == HSRP_PORT else (HSRPv2,):
            registry.bind_bottom_up(UDP, cls, dport=port)
            registry.bind_bottom_up(UDP, cls, sport=port)
    registry.bind_layers(UDP, HSRP, dport=HSRP_PORT, sport=HSRP_PORT)
    registry.bind_layers(UDP, HSRPv2, dport=HSRP_PORT, sport=HSRP_PORT)
    registry.bind_layers(UDP, HSRPv2, dport=HSRP6_PORT, sport=HSRP6_PORT)
    # (Scapy binds 224.0.0.102 to port 1985 too, after: the first binding wins)
    bind_dst_addr(UDP, ALL_ROUTERS_GROUP, dport=HSRP_PORT)
    bind_dst6_addr(UDP, HSRP6_GROUP, dport=HSRP6_PORT)


_register()
