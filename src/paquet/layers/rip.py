"""RIP, the Routing Information Protocol, versions 1 and 2 (RFC 1058, RFC 2453), on UDP port 520.

A 4-byte header (``cmd``, ``version``, ``null``) followed by 20-byte entries, each a route
(``RIPEntry``: address family, route tag, address, mask, next hop, metric) or, first after the
header, an authentication entry (``RIPAuth``, family 0xFFFF: a simple password, RFC 4822's
keyed MD5 header, or the MD5 digest trailer). Class, field names, defaults and bindings are
Scapy's (``scapy.layers.rip``).

>>> bytes(RIP(cmd=2, version=2) / RIPEntry(addr="192.0.2.0", mask="255.255.255.0")).hex()
'0202000000020000c0000200ffffff000000000000000001'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from paquet.numbers import RIP_PORT
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, IntEnumField, ShortEnumField
from paquet.packet.fields import ByteField, Field, IntField, ShortField
from paquet.packet.strfields import StrField, StrFixedLenField
from paquet.packet.structfields import ConditionalField

__all__ = ["RIP", "RIP_COMMANDS", "RIPAuth", "RIPEntry"]

#: The commands (RFC 1058 and the obsolete ones Scapy names).
RIP_COMMANDS = {1: "req", 2: "resp", 3: "traceOn", 4: "traceOff", 5: "sun", 6: "trigReq",
                7: "trigResp", 8: "trigAck", 9: "updateReq", 10: "updateResp", 11: "updateAck"}
_AUTH_FAMILY = b"\xff\xff"
_SIMPLE, _MD5, _MD5_DATA = 2, 3, 1


class RIP(Packet):
    """The RIP header: ``cmd``, ``version``, ``null``; the entries follow as its payload."""

    name = "RIP header"
    fields_desc: ClassVar[tuple[Field, ...]] = (
        ByteEnumField("cmd", 1, RIP_COMMANDS),
        ByteField("version", 1),
        ShortField("null", 0),
    )

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        """An authentication entry when the next entry's family is 0xFFFF, else a route."""
        if data[start : start + 2] == _AUTH_FAMILY:
            return RIPAuth
        return super().guess_payload_class(data, start, end)


class RIPEntry(RIP):
    """A route entry (20 bytes): ``AF``, ``RouteTag``, ``addr``, ``mask``, ``nextHop``,
    ``metric`` (16 is unreachable)."""

    name = "RIP entry"
    fields_desc = (
        ShortEnumField("AF", 2, {2: "IP"}),
        ShortField("RouteTag", 0),
        IPField("addr", "0.0.0.0"),
        IPField("mask", "0.0.0.0"),
        IPField("nextHop", "0.0.0.0"),
        IntEnumField("metric", 1, {16: "Unreach"}),
    )


def _auth(kind: int) -> Callable[[Any], bool]:
    return lambda pkt: pkt.authtype == kind


class RIPAuth(Packet):
    """An authentication entry: family 0xFFFF and ``authtype``; then a 16-byte ``password``
    (simple), RFC 4822's MD5 header fields (md5), or the rest as ``authdata`` (the digest)."""

    name = "RIP authentication"
    fields_desc = (
        ShortEnumField("AF", 0xFFFF, {0xFFFF: "Auth"}),
        ShortEnumField("authtype", 2, {1: "md5authdata", 2: "simple", 3: "md5"}),
        ConditionalField(StrFixedLenField("password", None, 16), _auth(_SIMPLE)),
        ConditionalField(ShortField("digestoffset", 0), _auth(_MD5)),
        ConditionalField(ByteField("keyid", 0), _auth(_MD5)),
        ConditionalField(ByteField("authdatalen", 0), _auth(_MD5)),
        ConditionalField(IntField("seqnum", 0), _auth(_MD5)),
        ConditionalField(StrFixedLenField("zeropad", None, 8), _auth(_MD5)),
        # (Scapy's length is "all the bytes after the first four", what StrField reads)
        ConditionalField(StrField("authdata", None), _auth(_MD5_DATA)),
    )


def _register() -> None:
    from paquet.layers.udp import UDP

    registry.bind_bottom_up(UDP, RIP, dport=RIP_PORT)
    registry.bind_bottom_up(UDP, RIP, sport=RIP_PORT)
    registry.bind_layers(UDP, RIP, sport=RIP_PORT, dport=RIP_PORT)
    registry.bind_layers(RIP, RIPEntry)
    registry.bind_layers(RIPEntry, RIPEntry)
    registry.bind_layers(RIPAuth, RIPEntry)


_register()
