"""PFLog: the header OpenBSD's packet filter (pf) logs before each packet, pcap link type 117.

A ``pfloghdr`` (``if_pflog.h``) of 100 bytes: its length (``hdrlen``), the address family of
the packet (``addrfamily``: 2 for IPv4, 24 for IPv6, OpenBSD's numbers), pf's ``action`` and
``reason``, the interface (``iface``) and anchor (``ruleset``), the rule's numbers, the ids of
the socket's owner and of the rule's creator, the ``direction``, whether the packet was
rewritten, the family of the translated addresses (``naddrfamily``), then the translated
addresses and ports (``saddr``, ``daddr``: an IPv4 address padded to 16 bytes, or an IPv6
one, by ``addrfamily``; ``sport``, ``dport``). The packet follows: IP or IPv6 by
``addrfamily``. Classes, names, defaults and bindings are Scapy's (``scapy.layers.pflog``).

>>> from paquet.layers import IP
>>> p = PFLog(bytes(PFLog(iface=b"vio0") / IP(dst="192.0.2.1")))
>>> p.hdrlen, p.iface.rstrip(b"\\0"), p.direction, type(p.payload).__name__, p[IP].dst
(100, b'vio0', 255, 'IP', '192.0.2.1')
"""

from __future__ import annotations

from paquet.numbers import DLT_PFLOG
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField, IntField, ShortField
from paquet.packet.intfields import SignedIntField
from paquet.packet.strfields import StrFixedLenField
from paquet.packet.structfields import MultipleTypeField, PadField
from paquet.packet.valuefields import IP6Field, YesNoByteField

__all__ = ["OPENBSD_AF_INET", "OPENBSD_AF_INET6", "PFLOG_HDRLEN", "PFLog"]

#: OpenBSD's address families (``sys/socket.h``): not Linux's (IPv6 is 10 there).
OPENBSD_AF_INET = 2
OPENBSD_AF_INET6 = 24
#: The size of a ``struct pfloghdr`` (``if_pflog.h``).
PFLOG_HDRLEN = 100

_FAMILIES = {OPENBSD_AF_INET: "IPv4", OPENBSD_AF_INET6: "IPv6"}
_ACTIONS = dict(enumerate(("pass", "drop", "scrub", "no-scrub", "nat", "no-nat", "binat",
                           "no-binat", "rdr", "no-rdr", "syn-proxy-drop")))
_REASONS = dict(enumerate(("match", "bad-offset", "fragment", "short", "normalize", "memory",
                           "bad-timestamp", "congestion", "ip-options", "proto-cksum",
                           "state-mismatch", "state-insert", "state-limit", "src-limit",
                           "syn-proxy")))
_DIRECTIONS = {0: "inout", 1: "in", 2: "out", 255: "unknown"}


def _address(name: str) -> MultipleTypeField:
    """A translated address: 16 bytes, an IPv4 address and its padding or an IPv6 one."""
    v4 = PadField(IPField(name, "127.0.0.1"), 16, padwith=b"\x00")
    return MultipleTypeField(
        [(PadField(IPField(name, "127.0.0.1"), 16, padwith=b"\x00"),
          lambda pkt: pkt.addrfamily == OPENBSD_AF_INET),
         (IP6Field(name, "::1"), lambda pkt: pkt.addrfamily == OPENBSD_AF_INET6)],
        v4,
    )


class PFLog(Packet):
    """A pf log header (100 bytes) before the packet pf logged; see the module."""

    name = "PFLog"
    fields_desc = (
        ByteField("hdrlen", PFLOG_HDRLEN),
        ByteEnumField("addrfamily", OPENBSD_AF_INET, _FAMILIES),
        ByteEnumField("action", 1, _ACTIONS),
        ByteEnumField("reason", 0, _REASONS),
        StrFixedLenField("iface", b"", 16),
        StrFixedLenField("ruleset", b"", 16),
        SignedIntField("rulenumber", 0),
        SignedIntField("subrulenumber", 0),
        SignedIntField("uid", 0),
        IntField("pid", 0),
        SignedIntField("ruleuid", 0),
        IntField("rulepid", 0),
        ByteEnumField("direction", 255, _DIRECTIONS),
        YesNoByteField("rewritten", 0),
        ByteEnumField("naddrfamily", OPENBSD_AF_INET, _FAMILIES),
        StrFixedLenField("pad", b"\x00", 1),
        _address("saddr"),
        _address("daddr"),
        ShortField("sport", 0),
        ShortField("dport", 0),
    )

    def mysummary(self) -> str:
        return self.sprintf(
            "%PFLog.addrfamily% %PFLog.action% on %PFLog.iface% by rule %PFLog.rulenumber%")


def _register() -> None:
    from paquet.layers.ipv4 import IP
    from paquet.layers.ipv6 import IPv6

    registry.bind_layers(PFLog, IP, addrfamily=OPENBSD_AF_INET)
    registry.bind_layers(PFLog, IPv6, addrfamily=OPENBSD_AF_INET6)
    registry.bind_linktype(DLT_PFLOG, PFLog)


_register()
