"""Link-layer addresses: the neighbour table, and ARP / neighbour solicitation when it is empty.

``resolve_mac(ip)`` answers like the kernel would when it sends a frame to ``ip``: the next hop
comes from the route (the gateway, or the host itself on a connected network), its MAC from the
kernel's neighbour table, and when the table has no usable entry paquet asks the link itself with
an ARP request (IPv4) or a neighbour solicitation (IPv6) and waits for the answer.
"""

from __future__ import annotations

import ipaddress
import select
import socket
import struct
import time

from paquet.checksums import internet_checksum
from paquet.errors import NetworkError
from paquet.net import netlink
from paquet.net.privilege import has_net_raw
from paquet.number_enums import ICMPv6Type
from paquet.numbers import ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMPV6

__all__ = [
    "BROADCAST_MAC",
    "ZERO_MAC",
    "arp_request",
    "getmacbyip",
    "interface_mac",
    "link_addresses",
    "multicast_mac",
    "neighbour_solicitation",
    "resolve_mac",
    "route_mac",
]

BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"

_TTL = 30.0
# The answers are read at fixed offsets (a reply has one layout; each frame on the socket is
# looked at while a resolution waits): only the EtherTypes are compared, packed once.
_ARP_TYPE = ETH_P_ARP.to_bytes(2, "big")
_IPV6_TYPE = ETH_P_IPV6.to_bytes(2, "big")
_ND_NA = int(ICMPv6Type.ND_NA)
_NEGATIVE_TTL = 5.0
_cache: dict[tuple[int, int, str], tuple[float, str]] = {}


def _mac_bytes(mac: str) -> bytes:
    return bytes(int(part, 16) for part in mac.split(":"))


def _mac_str(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def interface_mac(iface: str) -> str:
    """The MAC address of interface ``iface`` in the current namespace.

    >>> interface_mac("lo")
    '00:00:00:00:00:00'
    """
    return netlink.link(iface).mac


def route_mac(dst_ip: str, version: int | None = None) -> str:
    """The MAC of the interface the kernel routes ``dst_ip`` through: a sender's own MAC.

    Only the route and the interface are read (no neighbour lookup, nothing sent); raises
    :class:`NetworkError` when there is no route.

    >>> route_mac("127.0.0.1")
    '00:00:00:00:00:00'
    """
    from paquet.net.route import get_route

    route = get_route(dst_ip, version)
    if not route.ifindex:
        return ZERO_MAC
    link = netlink.link_by_index(route.ifindex)
    if route.kind == "local" and link.is_loopback:
        # One of our own addresses: the kernel loops it back, Scapy's frame leaves through
        # the interface that holds the address, with that interface's MAC.
        owner = _owner_of(dst_ip)
        if owner is not None:
            return netlink.link_by_index(owner).mac
    return link.mac


def _owner_of(ip: str) -> int | None:
    """The index of the interface that holds address ``ip``, if one does."""
    from paquet.net.interfaces import read_addresses

    try:
        wanted = ipaddress.ip_address(ip.partition("%")[0])
    except ValueError:
        return None
    for index, entries in read_addresses().items():
        for entry in entries:
            if ipaddress.ip_address(entry["address"]) == wanted:
                return index
    return None


def multicast_mac(ip: str) -> str:
    """The Ethernet multicast address an IP multicast group maps to (RFC 1112, RFC 2464).

    >>> multicast_mac("224.0.0.251"), multicast_mac("ff02::1:ff00:1")
    ('01:00:5e:00:00:fb', '33:33:ff:00:00:01')
    """
    packed = ipaddress.ip_address(ip).packed
    if len(packed) == 4:
        return _mac_str(b"\x01\x00\x5e" + bytes([packed[1] & 0x7F]) + packed[2:])
    return _mac_str(b"\x33\x33" + packed[12:])


def arp_request(src_mac: str, src_ip: str, target_ip: str) -> bytes:
    """The Ethernet frame of an ARP who-has ``target_ip`` from ``src_ip`` (RFC 826)."""
    mac = _mac_bytes(src_mac)
    return (
        b"\xff" * 6
        + mac
        + struct.pack("!HHHBBH", ETH_P_ARP, 1, ETH_P_IP, 6, 4, 1)
        + mac
        + socket.inet_aton(src_ip)
        + b"\0" * 6
        + socket.inet_aton(target_ip)
    )


def neighbour_solicitation(src_mac: str, src_ip: str, target_ip: str) -> bytes:
    """The Ethernet frame of an ICMPv6 neighbour solicitation for ``target_ip`` (RFC 4861)."""
    target = socket.inet_pton(socket.AF_INET6, target_ip)
    group = b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + target[13:]
    src = socket.inet_pton(socket.AF_INET6, src_ip)
    mac = _mac_bytes(src_mac)
    body = struct.pack("!BBHI", 135, 0, 0, 0) + target + b"\x01\x01" + mac
    pseudo = src + group + struct.pack("!I3xB", len(body), 58)
    chk = internet_checksum(pseudo + body)
    body = body[:2] + struct.pack("!H", chk) + body[4:]
    ip6 = struct.pack("!IHBB", 0x60000000, len(body), 58, 255) + src + group
    return b"\x33\x33" + group[12:] + mac + struct.pack("!H", ETH_P_IPV6) + ip6 + body


def _parse_answer(frame: bytes, version: int, target: bytes) -> str | None:
    """The MAC announced for ``target`` in an ARP reply or neighbour advertisement, if any."""
    if version == 4:
        if len(frame) < 42 or frame[12:14] != _ARP_TYPE:
            return None
        op = frame[20:22]
        if op == b"\x00\x02" and frame[28:32] == target:
            return _mac_str(frame[22:28])
        return None
    if (len(frame) < 78 or frame[12:14] != _IPV6_TYPE or frame[20] != IPPROTO_ICMPV6
            or frame[54] != _ND_NA):
        return None
    if frame[62:78] != target:
        return None
    options = frame[78:]
    while len(options) >= 8:
        kind, length = options[0], options[1] * 8
        if length == 0:
            break
        if kind == 2 and length >= 8:
            return _mac_str(options[2:8])
        options = options[length:]
    return _mac_str(frame[6:12])


def _solicit(
    ip: str, version: int, link: netlink.Link, src_ip: str | None, timeout: float, retry: int
) -> str | None:
    """Ask the link for ``ip``'s MAC (ARP or NS) and wait up to ``timeout`` seconds per try;
    None when nobody answers or the link refuses to send the question."""
    if not has_net_raw():
        return None
    if src_ip is None:
        src_ip = "0.0.0.0" if version == 4 else "::"
    if version == 4:
        frame = arp_request(link.mac, src_ip, ip)
        proto = ETH_P_ARP
        target = socket.inet_aton(ip)
    else:
        frame = neighbour_solicitation(link.mac, src_ip, ip)
        proto = ETH_P_IPV6
        target = socket.inet_pton(socket.AF_INET6, ip)
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto)) as sock:
        sock.bind((link.name, proto))
        for _ in range(retry + 1):
            try:
                sock.send(frame)
            except OSError:  # the link refuses the frame (a firewall's egress drop): no answer
                return None
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                if not select.select([sock], [], [], left)[0]:
                    break
                answer = _parse_answer(sock.recv(65535), version, target)
                if answer is not None:
                    return answer
    return None


def resolve_mac(
    ip: str,
    version: int | None = None,
    iface: str | None = None,
    *,
    timeout: float = 1.0,
    retry: int = 1,
) -> str | None:
    """The MAC address frames to ``ip`` must carry (the next hop's), or None if nobody answers.

    As Scapy's ``getmacbyip``/``getmacbyip6``: a multicast group gives its mapped group address;
    the limited and directed broadcasts, loopback, the host's own addresses (which Scapy asks the
    link for in vain) and links without neighbours (a tunnel) give ``ff:ff:ff:ff:ff:ff``, the
    address Scapy's frames carry when there is no neighbour to ask. Raises
    :class:`NetworkError` when there is no route.

    >>> resolve_mac("127.0.0.1"), resolve_mac("::1"), resolve_mac("224.0.0.251")
    ('ff:ff:ff:ff:ff:ff', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:fb')
    """
    from paquet.net.route import address_version, get_route

    if version is None:
        version = address_version(ip)
    if ip in ("255.255.255.255",):
        return BROADCAST_MAC
    if ipaddress.ip_address(ip.partition("%")[0]).is_multicast:
        return multicast_mac(ip.partition("%")[0])
    route = get_route(ip, version, iface)
    if route.kind in ("local", "broadcast"):
        return BROADCAST_MAC
    if route.kind == "multicast":
        return multicast_mac(ip)
    link = netlink.link_by_index(route.ifindex)
    if not link.needs_resolution:
        return BROADCAST_MAC
    hop = route.next_hop
    if ipaddress.ip_address(hop).version != version:
        version = ipaddress.ip_address(hop).version
    entry = netlink.neigh_get(hop, link.index, version)
    if entry is not None and entry.usable:
        return entry.mac
    key = (netlink.netns_id(), link.index, hop)
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < (_TTL if hit[1] else _NEGATIVE_TTL):
        return hit[1] or None
    src = route.src if route.gateway is None or version == 4 else None
    if version == 6 and src is None:
        src = get_route(hop, 6, link.name).src
    mac = _solicit(hop, version, link, src, timeout, retry)
    # Silence is remembered a little while: building 100 frames to an absent host must not
    # wait for 100 ARP timeouts.
    _cache[key] = (time.monotonic(), mac or "")
    return mac


def link_addresses(dst_ip: str, version: int | None = None) -> tuple[str, str] | None:
    """(source MAC, destination MAC) of a frame carrying a packet to ``dst_ip``, or None.

    The source is the outgoing interface's MAC, the destination the next hop's (broadcast
    when the next hop does not answer, as in Scapy's frames; None only without a route). A multicast
    group without a route still gets its group MAC (from the zero MAC), as Scapy's frames do.
    """
    try:
        src_mac = route_mac(dst_ip, version)
        dst_mac = resolve_mac(dst_ip, version)
    except NetworkError:
        try:
            group = ipaddress.ip_address(dst_ip.partition("%")[0]).is_multicast
        except ValueError:
            group = False
        if not group:
            return None
        src_mac, dst_mac = ZERO_MAC, multicast_mac(dst_ip.partition("%")[0])
    if dst_mac is None:
        # Nobody answered: Scapy's frame still leaves through the interface, to broadcast.
        return src_mac, BROADCAST_MAC
    return src_mac, dst_mac


def getmacbyip(ip: str, chainCC: int = 0) -> str | None:
    """Scapy's ``getmacbyip``: the MAC address a frame to ``ip`` is sent to, or None."""
    try:
        return resolve_mac(ip)
    except NetworkError:
        return None
