"""LLMNR, link-local multicast name resolution (RFC 4795), with Scapy's classes.

A message is a DNS message whose flags are LLMNR's (``c`` conflict, ``tc``, ``t``
tentative): :class:`LLMNRQuery` and :class:`LLMNRResponse` (``qr`` 1), on UDP port 5355 both
ways, told apart by the ``qr`` bit when dissecting. The questions and records are DNS's.

>>> from paquet.layers.dns import DNSQR
>>> bytes(LLMNRQuery(id=7, qd=[DNSQR(qname="host")])).hex()
'00070000000100000000000004686f73740000010001'
>>> LLMNRQuery(bytes(LLMNRQuery(id=7, qd=[DNSQR(qname="host")]))).summary()
"LLMNRQuery who has 'host.'"
"""

from __future__ import annotations

from typing import Any

from paquet.layers.dns import DNS, DNSQR, DNSRR, _DNSPacketListField, dissect_message
from paquet.layers.dns_fields import DNSCompressedPacket, _Cached, in_order
from paquet.packet.base import Packet
from paquet.packet.enumfields import BitEnumField
from paquet.packet.fields import BitField, ShortField

__all__ = ["LLMNRQuery", "LLMNRResponse"]

#: The LLMNR multicast groups (RFC 4795 section 2).
LLMNR_IPV4_MCAST = "224.0.0.252"
LLMNR_IPV6_MCAST = "ff02::1:3"
#: LLMNR's UDP port (RFC 4795 section 2.5; not in /etc/services).
LLMNR_PORT = 5355


class LLMNRQuery(_Cached, DNSCompressedPacket):
    """An LLMNR query (or any LLMNR message built as one)."""

    name = "Link Local Multicast Node Resolution - Query"
    fields_desc = (
        ShortField("id", 0),
        BitField("qr", 0, 1),
        BitEnumField("opcode", 0, 4, {0: "QUERY"}),
        BitField("c", 0, 1),
        BitField("tc", 0, 1),
        BitField("t", 0, 1),
        BitField("z", 0, 4),
        *DNS.fields_desc[-9:-4],
        _DNSPacketListField("qd", [], DNSQR, count_from=lambda pkt: pkt.qdcount),
        *DNS.fields_desc[-3:],
    )

    def get_full(self) -> bytes | None:
        """The message the names' pointers count from."""
        return self.__dict__.get("_full")

    def hashret(self) -> bytes:
        return int(self.id & 0xFFFF).to_bytes(2, "big")

    def mysummary(self) -> Any:
        from paquet.layers.udp import UDP

        s = type(self).__name__
        if self.qr:
            if self.an and isinstance(self.an[0], DNSRR):
                rr = self.an[0]
                s += (f" '{rr.rrname.decode(errors='backslashreplace')}' is at "
                      f"'{rr.rdata}'")
            else:
                s += " [malformed]"
        elif self.qd and isinstance(self.qd[0], DNSQR):
            s += f" who has '{self.qd[0].qname.decode(errors='backslashreplace')}'"
        else:
            s += " [malformed]"
        return s, [UDP]


def _set_flags(self: Packet, flags: int) -> None:
    d = self.__dict__
    d["qr"] = flags >> 15
    d["opcode"] = (flags >> 11) & 0xF
    d["c"] = (flags >> 10) & 1
    d["tc"] = (flags >> 9) & 1
    d["t"] = (flags >> 8) & 1
    d["z"] = (flags >> 4) & 0xF
    d["rcode"] = flags & 0xF


LLMNRQuery.do_dissect = dissect_message  # type: ignore[method-assign]
LLMNRQuery._set_flags = _set_flags  # type: ignore[attr-defined]
LLMNRQuery.FORCE_TCP = False  # type: ignore[attr-defined]


class LLMNRResponse(LLMNRQuery):
    """An LLMNR response (``qr`` 1)."""

    name = "Link Local Multicast Node Resolution - Response"
    fields_desc = (*LLMNRQuery.fields_desc[:1], BitField("qr", 1, 1),
                   *LLMNRQuery.fields_desc[2:])

    def answers(self, other: Packet) -> bool:
        return (isinstance(other, LLMNRQuery) and self.id == other.id and self.qr == 1
                and other.qr == 0)


LLMNRResponse.do_dissect = dissect_message  # type: ignore[method-assign]


class _LLMNR(Packet):
    """What UDP port 5355 carries: a query or a response, by the ``qr`` bit (Scapy's)."""

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start >= 3:
            return LLMNRResponse if data[start + 2] & 0x80 else LLMNRQuery
        return LLMNRQuery


in_order(LLMNRQuery)
in_order(LLMNRResponse)


def _register() -> None:
    from paquet.layers.udp import UDP
    from paquet.packet import registry

    port = LLMNR_PORT
    registry.bind_bottom_up(UDP, _LLMNR, dport=port)
    registry.bind_bottom_up(UDP, _LLMNR, sport=port)
    registry.bind_top_down(UDP, LLMNRQuery, sport=port, dport=port)
    registry.bind_top_down(UDP, LLMNRResponse, sport=port, dport=port)


_register()
