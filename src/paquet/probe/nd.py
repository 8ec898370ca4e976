"""IPv6 host discovery on local links by neighbour solicitation, as ``nmap -6 -sn`` does.

Each target gets a neighbour solicitation (RFC 4861) sent to its solicited-node multicast group
from the address the kernel would use to reach it, with our MAC in a source link-layer address
option. A host that owns the address answers with a solicited neighbour advertisement: it is up
(reason ``nd-response``), with the MAC of its target link-layer address option (or the frame's
source). ND works whatever the host's firewall does to ICMPv6 echo.

- The probes go through the stateless engine (:mod:`paquet.probe.engine`), so the rate control
  and the retransmission rounds are the ones of every other probe. One probe per target: a
  solicitation carries no cookie, so an answer is matched by its target address, the address it
  is sent to (ours), the solicited flag and a hop limit of 255 (on-link only, RFC 4861 7.1.2).
- One ``AF_PACKET`` socket per interface sends the frames and receives the advertisements; a
  kernel filter compiled by libpcap keeps only advertisements addressed to us from another MAC.
- An anycast address (a router's subnet-router anycast) is answered after a random delay of up
  to ``MAX_ANYCAST_DELAY_TIME`` (1 s, RFC 4861 10), with the override flag clear: after the
  engine's rounds the receiver listens until one such delay has passed since each silent
  target's first solicitation, and such late answers are not used as round-trip samples.
"""

from __future__ import annotations

import _socket as socket  # (socket.py builds enums at import)
import errno
import ipaddress
import select
import struct
import time
from collections.abc import Sequence

from paquet.checksums import internet_checksum
from paquet.errors import NetworkError, PaquetError
from paquet.numbers import ETH_P_IPV6, IPPROTO_ICMPV6, ND_NEIGHBOR_ADVERT
from paquet.probe.rawio import RawReceiver

__all__ = ["ANYCAST_DELAY", "NDSpace", "parse_advertisement"]

ANYCAST_DELAY = 1.0
"""RFC 4861's MAX_ANYCAST_DELAY_TIME: the longest an anycast responder waits before answering."""

_NA = ND_NEIGHBOR_ADVERT
_IPV6_TYPE = ETH_P_IPV6.to_bytes(2, "big")
_FLAG_SOLICITED = 0x40
_FLAG_OVERRIDE = 0x20
_OPT_TARGET_LLADDR = 2
_DONE = 1


def parse_advertisement(frame: bytes) -> tuple[bytes, bytes, int, str] | None:
    """``(target, destination, flags, mac)`` of a valid neighbour advertisement in an Ethernet
    ``frame`` (hop limit 255, code 0, correct checksum), or None.

    ``mac`` is the target link-layer address option's, else the frame's source address.
    """
    if len(frame) < 78 or frame[12:14] != _IPV6_TYPE:
        return None
    ip6 = frame[14:]
    if ip6[6] != IPPROTO_ICMPV6 or ip6[7] != 255:
        return None
    plen = struct.unpack_from("!H", ip6, 4)[0]
    icmp = ip6[40:40 + plen]
    if len(icmp) < 24 or icmp[0] != _NA or icmp[1] != 0:
        return None
    pseudo = ip6[8:40] + struct.pack("!I3xB", len(icmp), IPPROTO_ICMPV6)
    if internet_checksum(pseudo + icmp) != 0:
        return None
    mac = frame[6:12]
    options = icmp[24:]
    while len(options) >= 8:
        kind, length = options[0], options[1] * 8
        if length == 0:
            return None  # RFC 4861 7.1.2: an option of length zero invalidates the message
        if kind == _OPT_TARGET_LLADDR:
            mac = options[2:8]
            break
        options = options[length:]
    return icmp[8:24], ip6[24:40], icmp[4], ":".join(f"{b:02X}" for b in mac)


def _filter_expression(sources: Sequence[str], mac: str) -> str:
    """The tcpdump expression of an interface's receiver: advertisements (ICMPv6 type 136 right
    after the fixed header, hop limit 255) sent to one of ``sources`` by another MAC than ours.

    >>> print(_filter_expression(["2001:db8::a"], "02:00:00:00:01:00").replace(" and (", "\\n("))
    icmp6 and ip6[40] == 136 and ip6[7] == 255
    (ip6 dst 2001:db8::a) and not ether src 02:00:00:00:01:00
    """
    dsts = " or ".join(f"ip6 dst {s}" for s in sources)
    return f"icmp6 and ip6[40] == 136 and ip6[7] == 255 and ({dsts}) and not ether src {mac}"


class _LinkSocket(RawReceiver):
    """One interface's packet socket: sends our solicitations (whole Ethernet frames) and
    receives the advertisements its kernel filter lets through (Ethernet header first)."""

    __slots__ = ()

    def __init__(self, iface: str, sources: Sequence[str], mac: str,
                 rcvbuf: int = 4 << 20) -> None:
        self.family = 6
        try:
            ifindex = socket.if_nametoindex(iface)
        except OSError as exc:
            raise NetworkError(f"no interface {iface}: {exc.strerror or exc}") from None
        # (paquet.net.bpf imports ctypes.util, and that subprocess: not before it is used)
        from paquet.net.bpf import _set_rcvbuf, compile_filter, open_filtered_socket

        program = compile_filter(_filter_expression(sources, mac), 1)
        self.sock = open_filtered_socket(program, ETH_P_IPV6, kind=socket.SOCK_RAW,
                                         ifindex=ifindex)
        _set_rcvbuf(self.sock, rcvbuf)
        self.sock.setblocking(False)
        self.drops()

    def send(self, frame: bytes) -> bool:
        """Send one frame; False when the kernel refuses it for now (retried later)."""
        try:
            self.sock.send(frame)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            if exc.errno in (errno.ENOBUFS, errno.EAGAIN):
                return False
            raise NetworkError(f"cannot send a neighbour solicitation: "
                               f"{exc.strerror or exc}") from None
        return True


class NDSpace:
    """Targets on local IPv6 links x one neighbour solicitation each (an engine probe space).

    ``targets`` are ``(address, interface, source address)``. After the engine's run,
    ``verdicts[i]`` is None for a silent target, else ``(mac, latency or None)``.
    """

    def __init__(self, targets: Sequence[tuple[str, str, str]], sockets: bool = True,
                 macs: dict[str, str] | None = None) -> None:
        self.hosts = [t[0] for t in targets]
        self.size = len(targets)
        self.codes = bytearray(self.size)
        self.verdicts: list[tuple[str, float | None] | None] = [None] * self.size
        self.first_sent = [0.0] * self.size
        self.last_sent = [0.0] * self.size
        self.last_slot = [0] * self.size
        self.index: dict[bytes, int] = {}
        self.source: list[bytes] = []
        self.frames: list[bytes | None] = [None] * self.size  # built on first send
        self.link: list[int] = []
        self.link_macs: list[str] = []
        by_iface: dict[str, set[str]] = {}
        for _, iface, src in targets:
            by_iface.setdefault(iface, set()).add(src)
        ifaces = sorted(by_iface)
        self.macs = dict(macs or {})
        for iface in ifaces:
            if iface not in self.macs:
                from paquet.net.neighbour import interface_mac

                self.macs[iface] = interface_mac(iface)
        for i, (host, iface, src) in enumerate(targets):
            self.index[ipaddress.IPv6Address(host).packed] = i
            self.source.append(ipaddress.IPv6Address(src).packed)
            self.link.append(ifaces.index(iface))
        self.link_macs = [self.macs[iface] for iface in ifaces]
        self.links: list[_LinkSocket] = []
        if not sockets:  # matching only (tests)
            return
        try:
            for iface in ifaces:
                self.links.append(_LinkSocket(iface, sorted(by_iface[iface]), self.macs[iface]))
        except PaquetError:
            self.close()
            raise

    @property
    def receivers(self) -> Sequence[RawReceiver]:
        """The interfaces' sockets."""
        return self.links

    def close(self) -> None:
        """Close every socket."""
        for s in self.links:
            s.close()

    def send(self, idx: int, slot: int) -> bool:
        """Send target ``idx``'s solicitation in window ``slot``."""
        now = time.monotonic()
        if not self.first_sent[idx]:
            self.first_sent[idx] = now
        self.last_sent[idx] = now
        self.last_slot[idx] = slot
        return self.links[self.link[idx]].send(self.frame(idx))

    def frame(self, idx: int) -> bytes:
        """Target ``idx``'s solicitation: the Ethernet frame, built once."""
        frame = self.frames[idx]
        if frame is None:
            src = str(ipaddress.IPv6Address(self.source[idx]))
            from paquet.net.neighbour import neighbour_solicitation

            frame = neighbour_solicitation(self.link_macs[self.link[idx]], src, self.hosts[idx])
            self.frames[idx] = frame
        return frame

    def match(self, data: bytes) -> tuple[int, int] | None:
        """Record a solicited advertisement for one of our targets, sent to the address we
        solicited from; return ``(idx, slot)`` unless it is late by design (override flag clear:
        an anycast answer), which is recorded but gives no round-trip sample."""
        na = parse_advertisement(data)
        if na is None:
            return None
        target, dst, flags, mac = na
        i = self.index.get(target)
        if i is None or self.codes[i] or not flags & _FLAG_SOLICITED or dst != self.source[i]:
            return None
        self.codes[i] = _DONE
        if not flags & _FLAG_OVERRIDE:
            self.verdicts[i] = (mac, None)
            return None
        self.verdicts[i] = (mac, time.monotonic() - self.last_sent[i])
        return i, self.last_slot[i]

    def linger(self, delay: float = ANYCAST_DELAY) -> None:
        """Listen until ``delay`` seconds have passed since each silent target's first
        solicitation (anycast responders answer that late), or until none is left silent."""
        silent = [self.first_sent[i] for i in range(self.size) if not self.codes[i]]
        if not silent or not self.links:
            return
        end = max(silent) + delay
        fds = [s.fileno() for s in self.links]
        while 0 in self.codes:
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                ready, _, _ = select.select(fds, [], [], left)
            except InterruptedError:
                continue
            for s in self.links:
                if s.fileno() in ready:
                    while (data := s.recv()) is not None:
                        self.match(data)
