"""A small rtnetlink client (stdlib only): route lookups, neighbour entries, interfaces.

It asks the kernel the same questions as ``ip route get``, ``ip neigh get`` and ``ip link``,
one request per question, in the network namespace of the calling thread. Nothing is loaded
in advance and no module outside the standard library is imported, so a lookup costs a few
tens of microseconds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import ipaddress
import itertools
import os
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from paquet.errors import NetworkError
from paquet.net.linux import SIOCGIFHWADDR
from paquet.numbers import ARPHRD_ETHER, ARPHRD_LOOPBACK

__all__ = [
    "Link",
    "Neighbour",
    "RouteInfo",
    "default_gateway",
    "default_interface",
    "link",
    "link_by_index",
    "neigh_get",
    "netns_id",
    "pinned_netns",
    "route_get",
]

NETLINK_ROUTE = 0
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ROOT = 0x100
NLM_F_MATCH = 0x200
NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH
RTM_NEWROUTE = 24
RTM_GETROUTE = 26
RTM_NEWNEIGH = 28
RTM_GETNEIGH = 30
RTM_F_LOOKUP_TABLE = 0x1000

RTA_DST = 1
RTA_SRC = 2
RTA_OIF = 4
RTA_GATEWAY = 5
RTA_PREFSRC = 7
RTA_TABLE = 15
RTA_MARK = 16
RTA_VIA = 18

NDA_DST = 1
NDA_LLADDR = 2

# Route types (rtm_type).
RTN_NAMES = {
    1: "unicast",
    2: "local",
    3: "broadcast",
    4: "anycast",
    5: "multicast",
    6: "blackhole",
    7: "unreachable",
    8: "prohibit",
    9: "throw",
    10: "nat",
}

# Neighbour states (ndm_state) that carry a usable link-layer address.
NUD_INCOMPLETE = 0x01
NUD_REACHABLE = 0x02
NUD_STALE = 0x04
NUD_DELAY = 0x08
NUD_PROBE = 0x10
NUD_FAILED = 0x20
NUD_NOARP = 0x40
NUD_PERMANENT = 0x80
NUD_VALID = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP

SIOCGIFMTU = 0x8921
SIOCGIFFLAGS = 0x8913
IFF_UP = 0x1
IFF_LOOPBACK = 0x8
IFF_NOARP = 0x80

_NLMSGHDR = struct.Struct("=LHHLL")
_RTMSG = struct.Struct("=BBBBBBBBI")
_NDMSG = struct.Struct("=BxxxiHBB")
_RTATTR = struct.Struct("=HH")
_seq = itertools.count(1)


class _Pin(threading.local):
    netns: int | None = None


_pin = _Pin()


def netns_id() -> int:
    """An identifier of the calling thread's network namespace (the inode of its ns file).

    Caches keyed by it stay right when code runs in another namespace (``setns``). Inside
    :func:`pinned_netns` the value is read once.
    """
    pinned = _pin.netns
    if pinned is not None:
        return pinned
    try:
        return os.stat("/proc/thread-self/ns/net").st_ino
    except OSError:
        return 0


@contextlib.contextmanager
def pinned_netns() -> Iterator[int]:
    """Read the namespace once for a block that does not change namespace (one ``sr`` call)."""
    previous = _pin.netns
    if previous is not None:
        yield previous
        return
    _pin.netns = netns_id()
    try:
        yield _pin.netns
    finally:
        _pin.netns = None


def _attr(kind: int, payload: bytes) -> bytes:
    length = 4 + len(payload)
    return _RTATTR.pack(length, kind) + payload + b"\0" * (-length % 4)


def _attrs(data: bytes, offset: int) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    end = len(data)
    while offset + 4 <= end:
        length, kind = _RTATTR.unpack_from(data, offset)
        if length < 4:
            break
        out[kind & 0x3FFF] = data[offset + 4 : offset + length]
        offset += (length + 3) & ~3
    return out


def _route_message(payload: bytes) -> tuple[int, int, int, dict[int, bytes]]:
    """A route message's destination prefix length, route type, table and attributes (the
    32-bit ``RTA_TABLE`` when present, else the header's 8-bit table)."""
    _f, dst_len, _sl, _tos, table, _proto, _scope, rtype, _flags = _RTMSG.unpack_from(payload)
    attrs = _attrs(payload, _RTMSG.size)
    if RTA_TABLE in attrs:
        (table,) = struct.unpack("=I", attrs[RTA_TABLE])
    return dst_len, rtype, table, attrs


def _request(msg_type: int, flags: int, body: bytes) -> list[tuple[int, bytes]]:
    """Send one rtnetlink request, return its answers as (type, payload) until done."""
    seq = next(_seq) & 0xFFFFFFFF
    header = _NLMSGHDR.pack(_NLMSGHDR.size + len(body), msg_type, flags | NLM_F_REQUEST, seq, 0)
    kind = socket.SOCK_RAW | socket.SOCK_CLOEXEC
    with socket.socket(socket.AF_NETLINK, kind, NETLINK_ROUTE) as s:
        s.sendto(header + body, (0, 0))
        answers: list[tuple[int, bytes]] = []
        while True:
            data = s.recv(65536)
            offset = 0
            while offset + _NLMSGHDR.size <= len(data):
                length, kind, _flags, mseq, _pid = _NLMSGHDR.unpack_from(data, offset)
                if length < _NLMSGHDR.size:
                    return answers
                payload = data[offset + _NLMSGHDR.size : offset + length]
                offset += (length + 3) & ~3
                if mseq != seq:
                    continue
                if kind == NLMSG_DONE:
                    return answers
                if kind == NLMSG_ERROR:
                    (code,) = struct.unpack_from("=i", payload)
                    if code:
                        raise OSError(-code, os.strerror(-code))
                    return answers
                answers.append((kind, payload))
                if not flags & NLM_F_DUMP:
                    return answers


def _family(version: int) -> int:
    return socket.AF_INET6 if version == 6 else socket.AF_INET


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """The kernel's answer to ``ip route get DST``: where a packet to ``dst`` goes.

    ``src`` is the source address the kernel would choose, ``gateway`` the next hop when the
    destination is not on a directly connected network, ``kind`` the route type ("unicast",
    "local", "broadcast", "multicast", ...).
    """

    dst: str
    src: str | None
    ifindex: int
    ifname: str
    gateway: str | None
    kind: str
    table: int

    @property
    def next_hop(self) -> str:
        """The address whose link-layer address frames must carry: the gateway or ``dst``."""
        return self.gateway or self.dst


def default_gateway(version: int = 4) -> tuple[str, str | None] | None:
    """The main table's default route (``ip route show default``): (interface, gateway)."""
    family = _family(version)
    body = _RTMSG.pack(family, 0, 0, 0, 0, 0, 0, 0, 0)
    try:
        answers = _request(RTM_GETROUTE, NLM_F_DUMP, body)
    except OSError:
        return None
    for kind, payload in answers:
        if kind != RTM_NEWROUTE:
            continue
        dst_len, rtype, table, attrs = _route_message(payload)
        if dst_len == 0 and rtype == 1 and table == 254 and RTA_OIF in attrs:
            try:
                ifname = socket.if_indextoname(struct.unpack("=I", attrs[RTA_OIF])[0])
            except OSError:
                continue
            gateway = attrs.get(RTA_GATEWAY)
            return ifname, socket.inet_ntop(family, gateway) if gateway else None
    return None


def default_interface(version: int = 4) -> str | None:
    """The interface of the main table's default route, if there is one."""
    found = default_gateway(version)
    return found[0] if found else None


def route_get(
    dst: str, version: int = 4, *, src: str | None = None, oif: int = 0, mark: int = 0
) -> RouteInfo:
    """Ask the kernel for its route to ``dst`` (``ip route get`` semantics, policy rules included).

    Raises :class:`NetworkError` when there is no route (unreachable, prohibited, no default).

    >>> route_get("127.0.0.1").kind
    'local'
    """
    family = _family(version)
    try:
        packed = socket.inet_pton(family, dst)
    except OSError:
        raise NetworkError(f"not an IPv{version} address: {dst!r}") from None
    bits = len(packed) * 8
    body = _RTMSG.pack(family, bits, bits if src else 0, 0, 0, 0, 0, 0, RTM_F_LOOKUP_TABLE)
    body += _attr(RTA_DST, packed)
    if src:
        body += _attr(RTA_SRC, socket.inet_pton(family, src))
    if oif:
        body += _attr(RTA_OIF, struct.pack("=I", oif))
    if mark:
        body += _attr(RTA_MARK, struct.pack("=I", mark))
    try:
        answers = _request(RTM_GETROUTE, 0, body)
    except OSError as exc:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EACCES, errno.EPERM):
            raise NetworkError(f"no route to {dst}: {exc.strerror}") from None
        if exc.errno == errno.EINVAL:
            raise NetworkError(f"no route to {dst}: invalid destination") from None
        if exc.errno == errno.ENODEV:
            raise NetworkError(f"no route to {dst}: no such interface (index {oif})") from None
        raise NetworkError(f"route lookup for {dst} failed: {exc.strerror}") from None
    for kind, payload in answers:
        if kind != RTM_NEWROUTE:
            continue
        _dst_len, rtype, table, attrs = _route_message(payload)
        type_name = RTN_NAMES.get(rtype, str(rtype))
        if type_name in ("blackhole", "unreachable", "prohibit", "throw"):
            raise NetworkError(f"no route to {dst}: the route is {type_name}")
        ifindex = struct.unpack("=I", attrs[RTA_OIF])[0] if RTA_OIF in attrs else 0
        prefsrc = attrs.get(RTA_PREFSRC)
        gateway = attrs.get(RTA_GATEWAY)
        via = attrs.get(RTA_VIA)
        gw: str | None = socket.inet_ntop(family, gateway) if gateway else None
        if gw is None and via and len(via) >= 2:
            (via_family,) = struct.unpack_from("=H", via)
            gw = socket.inet_ntop(via_family, via[2:])
        try:
            ifname = socket.if_indextoname(ifindex) if ifindex else ""
        except OSError:
            ifname = ""
        return RouteInfo(
            dst=dst,
            src=socket.inet_ntop(family, prefsrc) if prefsrc else None,
            ifindex=ifindex,
            ifname=ifname,
            gateway=gw,
            kind=type_name,
            table=table,
        )
    raise NetworkError(f"no route to {dst}: the kernel gave no answer")


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One entry of the kernel's neighbour table (ARP for IPv4, NDP for IPv6)."""

    ip: str
    ifindex: int
    mac: str | None
    state: int

    @property
    def usable(self) -> bool:
        """True when the entry holds a link-layer address the kernel itself would use."""
        return self.mac is not None and bool(self.state & NUD_VALID)


def _mac(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def neigh_get(ip: str, ifindex: int, version: int = 4) -> Neighbour | None:
    """The kernel's neighbour entry for ``ip`` on interface ``ifindex`` (``ip neigh get``)."""
    family = _family(version)
    body = _NDMSG.pack(family, ifindex, 0, 0, 0) + _attr(NDA_DST, socket.inet_pton(family, ip))
    try:
        answers = _request(RTM_GETNEIGH, 0, body)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENODEV, errno.EINVAL):
            return None
        raise NetworkError(f"neighbour lookup for {ip} failed: {exc.strerror}") from None
    for kind, payload in answers:
        if kind != RTM_NEWNEIGH:
            continue
        _fam, index, state, _flags, _type = _NDMSG.unpack_from(payload)
        attrs = _attrs(payload, _NDMSG.size)
        lladdr = attrs.get(NDA_LLADDR)
        return Neighbour(ip=ip, ifindex=index, mac=_mac(lladdr) if lladdr else None, state=state)
    return None


@dataclass(frozen=True, slots=True)
class Link:
    """A network interface of the current namespace: name, index, MAC, MTU and kind."""

    name: str
    index: int
    mac: str
    mtu: int
    hwtype: int
    flags: int

    @property
    def is_loopback(self) -> bool:
        """True for the loopback interface (no link-layer resolution, all-zero MACs)."""
        return bool(self.flags & IFF_LOOPBACK) or self.hwtype == ARPHRD_LOOPBACK

    @property
    def needs_resolution(self) -> bool:
        """True when frames on this link need the next hop's MAC (Ethernet with ARP/NDP)."""
        return self.hwtype == ARPHRD_ETHER and not self.flags & IFF_NOARP


def link(name: str) -> Link:
    """The interface called ``name`` in the current namespace; NetworkError when absent."""
    if not name or len(name) > 15 or "/" in name:
        raise NetworkError(f"no such interface: {name!r}")
    try:
        index = socket.if_nametoindex(name)
    except OSError:
        raise NetworkError(f"no such interface: {name!r}") from None
    request = struct.pack("16s16x", name.encode())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as s:
        try:
            hw = fcntl.ioctl(s, SIOCGIFHWADDR, request)
            mtu = fcntl.ioctl(s, SIOCGIFMTU, request)
            flags = fcntl.ioctl(s, SIOCGIFFLAGS, request)
        except OSError:
            raise NetworkError(f"no such interface: {name!r}") from None
    (hwtype,) = struct.unpack_from("=H", hw, 16)
    return Link(
        name=name,
        index=index,
        mac=_mac(hw[18:24]),
        mtu=struct.unpack_from("=i", mtu, 16)[0],
        hwtype=hwtype,
        flags=struct.unpack_from("=H", flags, 16)[0],
    )


def link_by_index(index: int) -> Link:
    """The interface with index ``index`` in the current namespace."""
    try:
        name = socket.if_indextoname(index)
    except OSError:
        raise NetworkError(f"no interface with index {index}") from None
    return link(name)


def is_multicast(ip: str) -> bool:
    """True for an IPv4 or IPv6 multicast address."""
    return ipaddress.ip_address(ip).is_multicast
