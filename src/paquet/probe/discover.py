"""Host discovery, as ``nmap -sn``: ARP on local links, ICMP and TCP probes elsewhere.

- Targets on a directly connected IPv4 link (no gateway in the route to them) get ARP requests;
  an ARP reply means up (reason ``arp-response``), with the MAC address.
- Targets on a directly connected IPv6 Ethernet link get neighbour solicitations through the
  engine (:mod:`paquet.probe.nd`); a solicited advertisement means up (``nd-response``), with the
  MAC address.
- Other targets get nmap's four probes: ICMP echo, TCP SYN to 443, TCP ACK to 80 and ICMP
  timestamp, through the stateless engine (each probe carries a keyed cookie). Any valid answer
  from the target means up (``echo-reply``, ``syn-ack``, ``reset``, ``timestamp-reply``, or an ICMP
  error the target itself sent about our probe); an ICMP unreachable from a router means down.
- The machine's own addresses are up (``localhost-response``), as nmap reports them.
- Without raw sockets: TCP connect to ports 80 and 443 (up when it connects or is refused).
- An IPv6 prefix is swept address by address, so one larger than ``MAX_IPV6_SWEEP`` addresses
  (shorter than /112; the limit of :mod:`paquet.probe.targets`, shared with ``scan``) is refused
  before anything is sent.
"""

from __future__ import annotations

import _socket as socket  # (socket.py builds enums at import: not needed here)
import ipaddress
import struct
import time
from collections.abc import Callable, Sequence

from paquet.errors import AddressError, PaquetError
from paquet.numbers import (
    ARPHRD_ETHER,
    ETH_P_ARP,
    ETH_P_IP,
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_TCP,
    TCP_ACK,
    TCP_RST,
    TCP_SYN,
)
from paquet.probe import engine
from paquet.probe.cookies import Cookies
from paquet.probe.limits import check_count, check_rate
from paquet.probe.nd import NDSpace
from paquet.probe.order import Permutation
from paquet.probe.rate import RateController
from paquet.probe.rawio import (
    RawReceiver,
    RawSender,
    can_raw,
    device,
    receivers,
    source_address,
    wait_readable,
)
from paquet.probe.records import dataclass, field
from paquet.probe.targets import MAX_IPV6_SWEEP, check_ipv6_size, exclude_targets, expand_targets
from paquet.probe.wire import Template, parse_reply

__all__ = ["MAX_IPV6_SWEEP", "DiscoverResult", "HostStatus", "check_ipv6_size", "discover",
           "on_link6", "probe_hosts"]

_KINDS = 4  # echo, SYN 443, ACK 80, timestamp
_UP = 1
_DOWN = 2

MAX_RETRIES = 20
"""The most retransmissions of an unanswered discovery probe."""


@dataclass(slots=True)
class HostStatus:
    """One target's discovery verdict."""

    address: str
    up: bool = False
    reason: str = "no-response"
    latency: float | None = None
    mac: str | None = None
    reason_ttl: int = 0

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"address": self.address, "up": self.up, "reason": self.reason,
                "latency": self.latency, "mac": self.mac}


@dataclass
class DiscoverResult:
    """The outcome of :func:`discover`: every target's status, in target order."""

    targets: str
    hosts: list[HostStatus] = field(default_factory=list)
    elapsed: float = 0.0
    started: float = 0.0

    @property
    def up(self) -> list[HostStatus]:
        """The hosts found up."""
        return [h for h in self.hosts if h.up]

    @property
    def addresses(self) -> list[str]:
        """The addresses of the hosts found up."""
        return [h.address for h in self.hosts if h.up]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary (hosts up only, plus the counts)."""
        return {"targets": self.targets, "scanned": len(self.hosts), "up": len(self.up),
                "elapsed": round(self.elapsed, 4), "hosts": [h.to_dict() for h in self.up]}


# --------------------------------------------------------------------------------------------
# Local links


def _read(path: str) -> str:
    """The text of a file of /proc or /sys (OSError when it cannot be read)."""
    with open(path) as f:
        return f.read()


def _routes() -> list[tuple[int, int, int, str]]:
    """IPv4 routes from /proc/net/route: (network, mask, gateway, interface)."""
    out: list[tuple[int, int, int, str]] = []
    try:
        lines = _read("/proc/net/route").splitlines()[1:]
    except OSError:
        return out
    for line in lines:
        f = line.split()
        if len(f) < 8:
            continue
        dest = int.from_bytes(bytes.fromhex(f[1]), "little")
        gw = int.from_bytes(bytes.fromhex(f[2]), "little")
        mask = int.from_bytes(bytes.fromhex(f[7]), "little")
        out.append((dest, mask, gw, f[0]))
    return out


def on_link(address: str, routes: list[tuple[int, int, int, str]] | None = None) -> str | None:
    """The interface through which ``address`` is directly reachable (IPv4), or None."""
    ip = ipaddress.ip_address(address)
    if ip.version != 4:
        return None
    a = int(ip)
    best: tuple[int, int, str] | None = None
    for dest, mask, gw, iface in routes if routes is not None else _routes():
        if a & mask == dest and (best is None or mask > best[0]):
            best = (mask, gw, iface)
    if best is None or best[1] != 0 or best[2] == "lo":
        return None
    return best[2]


Route6 = tuple[int, int, int, int, str]
"""An IPv6 route: (network, prefix length, next hop, flags, interface)."""

_RTF_GATEWAY = 0x0002
_RTF_REJECT = 0x0200


def _routes6() -> list[Route6]:
    """IPv6 routes from /proc/net/ipv6_route (main and local tables)."""
    out: list[Route6] = []
    try:
        lines = _read("/proc/net/ipv6_route").splitlines()
    except OSError:
        return out
    for line in lines:
        f = line.split()
        if len(f) < 10:
            continue
        out.append((int(f[0], 16), int(f[1], 16), int(f[4], 16), int(f[8], 16), f[9]))
    return out


def _is_ethernet(iface: str) -> bool:
    try:
        return int(_read(f"/sys/class/net/{iface}/type")) == ARPHRD_ETHER
    except (OSError, ValueError):
        return False


def _connected6(address: str, routes: list[Route6]) -> str | None:
    """The interface of the longest-prefix route to ``address`` when it has no next hop.

    >>> table = [(0x20010db8000000010000000000000000, 64, 0, 1, "eth9"),
    ...          (0, 0, 0x20010db80000000100000000000000fe, 3, "eth9")]
    >>> _connected6("2001:db8:0:1::b", table), _connected6("2001:db8:0:2::b", table)
    ('eth9', None)
    """
    a = int(ipaddress.IPv6Address(address))
    best: Route6 | None = None
    for route in routes:
        shift = 128 - route[1]
        if a >> shift == route[0] >> shift and (best is None or route[1] > best[1]):
            best = route
    if best is None or best[2] or best[3] & (_RTF_GATEWAY | _RTF_REJECT) or best[4] == "lo":
        return None
    return best[4]


def on_link6(address: str, routes: list[Route6] | None = None) -> str | None:
    """The Ethernet interface through which IPv6 ``address`` is directly reachable (a connected
    prefix: no next hop), where neighbour discovery can find it; or None."""
    ip = ipaddress.ip_address(address)
    if ip.version != 6 or ip.is_multicast:
        return None
    iface = _connected6(address, routes if routes is not None else _routes6())
    return iface if iface is not None and _is_ethernet(iface) else None


def _mac(iface: str) -> bytes:
    try:
        text = _read(f"/sys/class/net/{iface}/address").strip()
    except OSError as exc:
        raise PaquetError(f"cannot read the MAC address of {iface}: {exc}") from None
    return bytes.fromhex(text.replace(":", ""))


def _arp(hosts: list[str], iface: str, status: dict[str, HostStatus],
         retries: int = 2, wait: float = 0.3) -> None:
    """ARP-ping ``hosts`` on ``iface``; mark those that answer."""
    mac = _mac(iface)
    src = source_address(hosts[0])
    spa = ipaddress.ip_address(src).packed
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_ARP))
    try:
        sock.bind((iface, ETH_P_ARP))
        sock.setblocking(False)
        wanted = {ipaddress.ip_address(h).packed: h for h in hosts}
        sent_at: dict[str, float] = {}
        for _ in range(retries + 1):
            left = [h for h in hosts if not status[h].up]
            if not left:
                break
            for i, h in enumerate(left):
                req = struct.pack("!HHBBH6s4s6s4s", ARPHRD_ETHER, ETH_P_IP, 6, 4, 1, mac, spa,
                                  b"\0" * 6, ipaddress.ip_address(h).packed)
                sent_at.setdefault(h, time.monotonic())
                try:
                    sock.sendto(req, (iface, ETH_P_ARP, 0, 0, b"\xff" * 6))
                except BlockingIOError:
                    wait_readable(sock.fileno(), 0.001)
                if i % 64 == 63:
                    _arp_drain(sock, wanted, status, sent_at)
            end = time.monotonic() + wait
            while time.monotonic() < end:
                if wait_readable(sock.fileno(), end - time.monotonic()):
                    _arp_drain(sock, wanted, status, sent_at)
    finally:
        sock.close()


def _arp_drain(sock: socket.socket, wanted: dict[bytes, str], status: dict[str, HostStatus],
               sent_at: dict[str, float]) -> None:
    while True:
        try:
            data = sock.recv(128)
        except (BlockingIOError, InterruptedError):
            return
        if len(data) < 28:
            continue
        op = struct.unpack_from("!H", data, 6)[0]
        sha, spa = data[8:14], data[14:18]
        h = wanted.get(spa)
        if op != 2 or h is None or status[h].up:
            continue
        st = status[h]
        st.up = True
        st.reason = "arp-response"
        st.mac = ":".join(f"{b:02X}" for b in sha)
        st.latency = time.monotonic() - sent_at.get(h, time.monotonic())


# --------------------------------------------------------------------------------------------
# Remote hosts: echo, SYN 443, ACK 80, timestamp through the engine


class _Space:
    """Hosts x the four discovery probes."""

    def __init__(self, hosts: list[str], cookies: Cookies, sockets: bool = True,
                 src: str | None = None) -> None:
        self.hosts = hosts
        self.size = len(hosts) * _KINDS
        self.codes = bytearray(self.size)
        self.cookies = cookies
        self.status = [HostStatus(h) for h in hosts]
        self.sent_at = [0.0] * len(hosts)
        self.tpl: list[tuple[Template, Template, Template, Template | None]] = []
        self.host_index: dict[bytes, int] = {}
        fams: dict[int, set[str]] = {}
        for i, h in enumerate(hosts):
            s = src if src is not None else source_address(h)
            syn = Template.tcp_syn(s, h)
            ack = Template.tcp_ack(s, h)
            echo = Template.icmp_echo(s, h, b"\0" * 8)
            ts = Template.icmp_echo(s, h, b"\0" * 12, icmp_type=13) if syn.family == 4 else None
            self.tpl.append((echo, syn, ack, ts))
            self.host_index[syn.dst] = i
            fams.setdefault(syn.family, set()).add(s)
        self.senders: dict[int, RawSender] = {}
        self.receivers: list[RawReceiver] = []
        if not sockets:  # matching only (tests)
            return
        try:
            for fam, srcs in fams.items():
                self.senders[fam] = RawSender(fam)
                dst = next(iter(srcs)) if len(srcs) == 1 else None
                icmp = IPPROTO_ICMP if fam == 4 else IPPROTO_ICMPV6
                self.receivers += receivers(fam, (IPPROTO_TCP, icmp), dst)
        except PaquetError:
            self.close()
            raise

    def close(self) -> None:
        """Close every socket."""
        for s in self.senders.values():
            s.close()
        for r in self.receivers:
            r.close(wait=False)

    def send(self, idx: int, slot: int) -> bool:
        """Send discovery probe ``idx`` (host, kind) in window ``slot``."""
        h, kind = divmod(idx, _KINDS)
        echo, syn, ack, ts = self.tpl[h]
        c = self.cookies
        self.sent_at[h] = time.monotonic()
        if kind == 0 or kind == 3:
            t = echo if kind == 0 else ts
            if t is None:
                return True  # no ICMPv6 timestamp
            tag = c.echo_tag(t.dst, c.echo_id, slot)
            t.set_payload_word(0, int.from_bytes(tag[:2], "big"))
            t.set_payload_word(2, int.from_bytes(tag[2:4], "big"))
            if kind == 0:
                t.set_payload_word(4, int.from_bytes(tag[4:6], "big"))
                t.set_payload_word(6, int.from_bytes(tag[6:8], "big"))
            buf = t.build(c.echo_id, slot, 0)
        elif kind == 1:
            buf = syn.build(c.sport_base + slot, 443, c.tcp_seq(syn.src, syn.dst, 443))
        else:
            buf = ack.build(c.sport_base + slot, 80, c.tcp_seq(ack.src, ack.dst, 80))
        return self.senders[echo.family].send(buf, self.hosts[h])

    def _mark(self, h: int, up: bool, reason: str, ttl: int, slot: int) -> tuple[int, int] | None:
        base = h * _KINDS
        if self.codes[base]:
            return None
        for k in range(_KINDS):
            self.codes[base + k] = _UP if up else _DOWN
        st = self.status[h]
        st.up = up
        st.reason = reason
        st.reason_ttl = ttl
        st.latency = time.monotonic() - self.sent_at[h]
        return base, slot

    def match(self, data: bytes) -> tuple[int, int] | None:
        """Mark the host up (or down) when ``data`` answers one of our probes."""
        r = parse_reply(data)
        if r is None:
            return None
        c = self.cookies
        q = r.quote
        if q is None:
            h = self.host_index.get(r.src)
            if h is None:
                return None
            echo, syn, _, _ = self.tpl[h]
            if r.dst != syn.src:
                return None
            if r.proto == IPPROTO_TCP:
                slot = c.slot_of(r.dport)
                if slot < 0:
                    return None
                if r.sport == 443 and r.flags & TCP_ACK and \
                        c.synack_ok(syn.src, syn.dst, 443, r.ack):
                    reason = "syn-ack" if r.flags & TCP_SYN else "reset"
                    return self._mark(h, True, reason, r.ttl, slot)
                if r.sport == 80 and r.flags & TCP_RST and \
                        r.seq == c.tcp_seq(syn.src, syn.dst, 80):
                    return self._mark(h, True, "reset", r.ttl, slot)
                return None
            if r.icmp_type in (0, 129, 14) and r.sport == c.echo_id and r.seq < 256:
                tag = c.echo_tag(echo.dst, c.echo_id, r.seq)
                n = 8 if r.icmp_type != 14 else 4
                if r.payload[:n] == tag[:n]:
                    reason = "timestamp-reply" if r.icmp_type == 14 else "echo-reply"
                    return self._mark(h, True, reason, r.ttl, r.seq)
            return None
        h = self.host_index.get(q.dst)
        if h is None:
            return None
        echo, syn, _, _ = self.tpl[h]
        if q.src != syn.src:
            return None
        if q.proto == IPPROTO_TCP:
            slot = c.slot_of(q.sport)
            if slot < 0 or q.dport not in (80, 443):
                return None
            if q.dport == 443 and q.seq != c.tcp_seq(syn.src, syn.dst, 443):
                return None
        elif q.proto in (IPPROTO_ICMP, IPPROTO_ICMPV6):
            if q.sport != c.echo_id or q.dport >= 256:
                return None
            slot = q.dport
        else:
            return None
        up = r.src == syn.dst  # the target itself answered
        is_unreach = (r.proto == IPPROTO_ICMP and r.icmp_type == 3) or \
            (r.proto == IPPROTO_ICMPV6 and r.icmp_type == 1)
        if not up and not is_unreach:
            return None
        names = {0: "net-unreach", 1: "host-unreach", 3: "port-unreach", 13: "admin-prohibited"}
        return self._mark(h, up, names.get(r.icmp_code, "unreach"), r.ttl, slot)


def _connect_probe(hosts: list[str], status: dict[str, HostStatus], timeout: float) -> None:
    """Unprivileged discovery: TCP connect to 80 and 443; connected or refused means up."""
    import errno
    import selectors

    sel = selectors.DefaultSelector()
    socks = []
    t0 = time.monotonic()
    for h in hosts:
        for port in (80, 443):
            fam = socket.AF_INET6 if ":" in h else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((h, port))
            if err in (0, errno.EINPROGRESS):
                sel.register(s, selectors.EVENT_WRITE, h)
                socks.append(s)
            else:
                s.close()
                if err == errno.ECONNREFUSED:
                    status[h].up, status[h].reason = True, "conn-refused"
    end = t0 + timeout
    while socks and time.monotonic() < end:
        for key, _ in sel.select(max(0.0, end - time.monotonic())):
            s = socks[[id(x) for x in socks].index(id(key.fileobj))]
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            st = status[key.data]
            if err in (0, errno.ECONNREFUSED) and not st.up:
                st.up = True
                st.reason = "syn-ack" if err == 0 else "conn-refused"
                st.latency = time.monotonic() - t0
            sel.unregister(s)
            s.close()
            socks.remove(s)
    for s in socks:
        s.close()
    sel.close()


def _solicit(targets: list[tuple[str, str, str]], status: dict[str, HostStatus],
             max_rate: float, max_retries: int) -> None:
    """Neighbour-solicit ``targets`` (address, interface, source) through the engine; mark those
    that answer."""
    space = NDSpace(targets)
    try:
        rate = RateController(max_rate=max_rate, min_rate=min(10.0, max_rate),
                              start_rate=min(max_rate, 5000.0), rto_max=1.0)
        engine.run(space, Permutation(space.size, seed=int(time.time_ns())), rate,
                   max_retries=max_retries)
        space.linger()
    finally:
        space.close()
    for h, verdict in zip(space.hosts, space.verdicts, strict=True):
        if verdict is not None:
            st = status[h]
            st.up, st.reason, st.reason_ttl = True, "nd-response", 255
            st.mac, st.latency = verdict


def probe_hosts(hosts: Sequence[str], *, raw: bool | None = None, max_rate: float = 50_000.0,
                max_retries: int = 2, arp: bool = True) -> dict[str, HostStatus]:
    """Which of ``hosts`` (addresses) are up, and why; see the module's description."""
    check_rate("max_rate", max_rate)
    check_count("max_retries", max_retries, low=0, high=MAX_RETRIES)
    status = {h: HostStatus(h) for h in hosts}
    remaining: list[str] = []
    sources: dict[str, str] = {}
    for h in hosts:
        try:
            src = source_address(h)
        except PaquetError:
            status[h].reason = "no-route"
            continue
        if src == h or ipaddress.ip_address(h).is_loopback:
            st = status[h]
            st.up, st.reason = True, "localhost-response"
        else:
            remaining.append(h)
            sources[h] = src
    if raw is None:
        raw = can_raw()
    if not raw:
        _connect_probe(remaining, status, 2.0)
        return status
    local: dict[str, list[str]] = {}
    local6: list[tuple[str, str, str]] = []
    remote: list[str] = []
    routes = _routes() if arp else []
    routes6 = _routes6() if arp and any(":" in h for h in remaining) else []
    for h in remaining:
        if ":" in h:
            iface = on_link6(h, routes6) if arp else None
            if iface is not None:
                local6.append((h, iface, sources[h]))
                continue
        else:
            iface = on_link(h, routes) if arp else None
            if iface is not None:
                local.setdefault(iface, []).append(h)
                continue
        remote.append(h)
    for iface, group in local.items():
        _arp(group, iface, status)
    if local6:
        _solicit(local6, status, max_rate, max_retries)
    if remote:
        space = _Space(remote, Cookies())
        try:
            rate = RateController(max_rate=max_rate, min_rate=min(10.0, max_rate),
                                  start_rate=min(max_rate, 5000.0), rto_max=1.0)
            engine.run(space, Permutation(space.size, seed=int(time.time_ns())), rate,
                       max_retries=max_retries)
        finally:
            space.close()
        for st in space.status:
            status[st.address] = st
    return status


def discover(cidr: str | Sequence[str], *, family: int = 0, raw: bool | None = None,
             max_rate: float = 50_000.0, max_retries: int = 2, arp: bool = True,
             exclude: Sequence[str] = (), iface: str | None = None,
             on_start: Callable[[], None] | None = None) -> DiscoverResult:
    """Find the hosts that are up in ``cidr`` (a subnet, address, range or a list of them), as
    ``nmap -sn`` does. Returns a :class:`DiscoverResult` in target order.

    ``exclude`` leaves targets out (nmap's ``--exclude``); ``iface`` sends by that interface
    (``-e``); ``on_start()`` is called once the targets are read, before any probe."""
    specs = [cidr] if isinstance(cidr, str) else list(cidr)
    if not specs:
        raise AddressError("no target given")
    check_rate("max_rate", max_rate)
    check_count("max_retries", max_retries, low=0, high=MAX_RETRIES)
    started = time.time()
    t0 = time.monotonic()
    hosts = expand_targets(specs, family)
    if exclude:
        hosts = exclude_targets(hosts, exclude)
    if on_start is not None:
        on_start()
    with device(iface):
        status = probe_hosts(hosts, raw=raw, max_rate=max_rate, max_retries=max_retries,
                             arp=arp)
    return DiscoverResult(" ".join(specs), [status[h] for h in hosts], time.monotonic() - t0,
                          started)
