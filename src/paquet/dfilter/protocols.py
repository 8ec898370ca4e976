"""Which Wireshark protocol each layer of a packet is: ``PROTOCOLS`` (the names a filter may
test), :func:`protocol_of` (one layer), :func:`chain` (a packet's layers as Wireshark's
protocols, ``data`` cut as Wireshark cuts it), :func:`protocols` (tshark's ``frame.protocols``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paquet.dfilter.fields import FrameInfo

__all__ = ["PROTOCOLS", "chain", "layers_of", "protocol_of", "protocols"]


# Layer class name -> Wireshark protocol name; then prefixes for families of classes.
_CLASSES = {
    "Ether": "eth", "Dot3": "eth", "CookedLinux": "sll", "Dot1Q": "vlan", "ARP": "arp",
    "IP": "ip", "IPerror": "ip", "IPv6": "ipv6", "IPerror6": "ipv6",
    "TCP": "tcp", "TCPerror": "tcp", "UDP": "udp", "UDPerror": "udp",
    "ICMP": "icmp", "ICMPerror": "icmp", "DNS": "dns", "BOOTP": "dhcp", "DHCP": "dhcp",
    "NTP": "ntp", "Raw": "data", "SNMP": "snmp", "GRE": "gre", "VXLAN": "vxlan",
    "LLMNRQuery": "llmnr", "LLMNRResponse": "llmnr", "STP": "stp", "LLC": "llc",
    "IPv6ExtHdrHopByHop": "ipv6.hopopts", "IPv6ExtHdrFragment": "ipv6.fraghdr",
    "IPv6ExtHdrRouting": "ipv6.routing", "IPv6ExtHdrDestOpt": "ipv6.dstopts",
}
_PREFIXES = (("ICMPv6", "icmpv6"), ("HTTP", "http"), ("TLS", "tls"), ("NTP", "ntp"),
             ("LLDP", "lldp"), ("DHCP6", "dhcpv6"))

PROTOCOLS: frozenset[str] = frozenset(
    {"frame", *_CLASSES.values(), *(p for _, p in _PREFIXES)})
"""The protocol names a filter may test (``tcp``, ``dns``...)."""


def protocol_of(layer: Any) -> str | None:
    """The Wireshark protocol name of a paquet layer (None for those with no counterpart).

    >>> from paquet.layers.icmpv6 import ICMPv6EchoRequest
    >>> protocol_of(ICMPv6EchoRequest())
    'icmpv6'
    """
    name = type(layer).__name__
    proto = _CLASSES.get(name)
    if proto is not None:
        return proto
    for prefix, p in _PREFIXES:
        if name.startswith(prefix):
            return p
    return None


class _Data:
    """What Wireshark's ``data`` protocol holds when the ICMP dissector took some bytes."""

    __slots__ = ("load",)

    def __init__(self, load: bytes) -> None:
        self.load = load


def _echo_time(load: bytes, frame: FrameInfo | None) -> bool:
    """Whether an ICMP echo's data starts with a send time (a timeval, either byte order,
    within the day after the frame's second): Wireshark shows it as ``icmp.data_time`` and
    the ``data`` protocol starts after its 8 bytes."""
    if frame is None or len(load) < 8 or not frame.time_ns:
        return False
    now = frame.time_ns // 10**9
    for order in ("big", "little"):
        secs = int.from_bytes(load[:4], order)
        usecs = int.from_bytes(load[4:8], order)
        if (secs - now) % 2**32 < 86400 and usecs < 1_000_000:
            return True
    return False


def chain(pkt: Any, frame: FrameInfo | None = None) -> list[tuple[str, Any]]:
    """The packet's layers as Wireshark's protocols, in order: (name, layer) pairs. The
    ``data`` protocol is cut as Wireshark cuts it (an ICMP echo's send time is ICMP's, an
    ICMPv6 echo's data field is data); layers Wireshark has no protocol for are left out."""
    out: list[tuple[str, Any]] = []
    layer = pkt
    previous: Any = None
    while layer is not None and type(layer).__name__ != "NoPayload":
        proto = protocol_of(layer)
        if (proto == "data" and type(previous).__name__ in ("ICMP", "ICMPerror")
                and int(previous.type) in (0, 8)):
            load = bytes(layer.load)
            if _echo_time(load, frame):
                if len(load) > 8:
                    out.append((proto, _Data(load[8:])))
                proto = None
        if proto is not None:
            out.append((proto, layer))
        if type(layer).__name__ in ("ICMPv6EchoRequest", "ICMPv6EchoReply"):
            data = bytes(getattr(layer, "data", b"") or b"")
            if data:  # Scapy keeps an ICMPv6 echo's data in a field: Wireshark's data
                out.append(("data", _Data(data)))
        previous = layer
        layer = getattr(layer, "payload", None)
    return out


def layers_of(pkt: Any, frame: FrameInfo | None = None) -> dict[str, list[Any]]:
    """The packet's layers by Wireshark protocol name (see :func:`chain`)."""
    out: dict[str, list[Any]] = {}
    for proto, layer in chain(pkt, frame):
        out.setdefault(proto, []).append(layer)
    return out


def protocols(pkt: Any, frame: FrameInfo | None = None) -> str:
    """tshark's ``frame.protocols``: ``eth:ethertype:ip:tcp:http``.

    >>> from paquet.layers.ether import Ether
    >>> from paquet.layers.ipv4 import IP
    >>> from paquet.layers.udp import UDP
    >>> protocols(Ether() / IP() / UDP(dport=9) / b"x")
    'eth:ethertype:ip:udp:data'
    """
    names: list[str] = []
    for proto, _layer in chain(pkt, frame):
        if proto in ("icmpv6", "http", "tls") and names[-1:] == [proto]:
            continue  # ND options, HTTP's message, TLS's records: parts of one protocol
        names.append(proto)
        if proto in ("eth", "vlan", "sll"):
            names.append("ethertype")
    return ":".join(names)
