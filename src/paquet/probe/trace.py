"""traceroute, Paris-style by default: every TTL in flight at once, adaptive waits, one flow.

Probes (``method``): UDP to port 33434 (traceroute's default), ICMP echo (``-I``), TCP SYN
(``-T``, port 80 by default). Replies: ICMP time exceeded from routers, and from the destination
a port unreachable (UDP), an echo reply (ICMP) or a SYN/ACK or RST (TCP).

Paris mode (the default) keeps every field a per-flow load balancer hashes (addresses, protocol,
ports, and for ICMP the checksum) constant across probes, so all probes follow one path, and
identifies the probe in a field the balancers ignore: the UDP checksum (set by choosing two payload
bytes), the ICMP sequence number (its checksum pinned the same way), the TCP sequence number.
Classic mode (``paris=False``) varies the destination port per probe (UDP, as traceroute),
the source port (TCP) or the sequence (ICMP): through load balancers it draws false links.

Without raw-socket privileges UDP probes still work, as traceroute's do: a datagram socket with
the TTL set per probe and the ICMP errors read from its error queue (ICMP and TCP probes need
raw sockets).

Up to ``sim_queries`` probes are in flight (traceroute's ``-N 16``); each waits at most
``wait[0]`` seconds, ``wait[1]`` times the round trip of a reply from the same hop, or
``wait[2]`` times that of a reply from a later hop (traceroute's ``-w 5,3,10``).
"""

from __future__ import annotations

# socket's own functions and constants, without the enums socket.py builds at import
import _socket as socket
import os
import struct
import time

from paquet.errors import PaquetError, PrivilegeError
from paquet.net.linux import IP_MTU_DISCOVER
from paquet.net.linux import IP_RECVERR as _IP_RECVERR
from paquet.net.linux import IPV6_RECVERR as _IPV6_RECVERR
from paquet.net.linux import SO_TIMESTAMPNS as _SO_TIMESTAMPNS
from paquet.numbers import IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, TCP_ACK, TCP_RST, TCP_SYN
from paquet.probe.iptext import canonical
from paquet.probe.iptext import parse as parse_ip
from paquet.probe.limits import check_seconds
from paquet.probe.rawio import (
    RawReceiver,
    RawSender,
    bind_device,
    device,
    resolve,
    source_address,
    wait_readable,
)
from paquet.probe.wire import Template, parse_reply

__all__ = ["Hop", "TraceProbe", "TraceResult", "trace"]

_ANNOT4 = {0: "!N", 1: "!H", 2: "!P", 4: "!F", 5: "!S", 6: "!N", 7: "!H", 9: "!X", 10: "!X",
           13: "!X", 14: "!V", 15: "!C"}
_ANNOT6 = {0: "!N", 1: "!X", 2: "!S", 3: "!H", 5: "!X", 6: "!X"}
_CHECK_BASE = 0x1000
_IP_PMTUDISC_DO = 2

MAX_PACKET_LEN = 65000
"""The longest probe (traceroute refuses more: "too big packetlen")."""
_MIN_WAIT = 0.001  # the shortest adaptive wait (traceroute's poll works in milliseconds)


class _Record:
    """Equality and repr from ``__slots__`` (what a dataclass gives, without importing
    ``dataclasses``, whose ``inspect`` costs a third of a trace's start-up)."""

    __slots__: tuple[str, ...] = ()
    _order: tuple[str, ...] = ()  # the fields in their constructor's order

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._order)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._order)
        return f"{type(self).__name__}({fields})"


class TraceProbe(_Record):
    """One probe's answer: who answered, the round trip (seconds), an annotation (``!H``...).

    >>> TraceProbe("192.0.2.1", 0.001) == TraceProbe("192.0.2.1", 0.001, "")
    True
    """

    __slots__ = ("address", "annotation", "reached", "rtt")
    _order = ("address", "rtt", "annotation", "reached")

    def __init__(self, address: str, rtt: float, annotation: str = "",
                 reached: bool = False) -> None:
        self.address = address
        self.rtt = rtt
        self.annotation = annotation
        self.reached = reached

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"address": self.address, "rtt_ms": round(self.rtt * 1000, 3),
                "annotation": self.annotation}


class Hop(_Record):
    """One TTL: its probes' answers (None for a probe that timed out)."""

    __slots__ = ("probes", "ttl")
    _order = ("ttl", "probes")

    def __init__(self, ttl: int, probes: list[TraceProbe | None] | None = None) -> None:
        self.ttl = ttl
        self.probes: list[TraceProbe | None] = [] if probes is None else probes

    @property
    def addresses(self) -> list[str]:
        """The distinct addresses that answered, in order."""
        out: list[str] = []
        for p in self.probes:
            if p is not None and p.address not in out:
                out.append(p.address)
        return out

    @property
    def changed(self) -> bool:
        """True when probes of this hop were answered from different addresses."""
        return len(self.addresses) > 1

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"ttl": self.ttl, "addresses": self.addresses, "changed": self.changed,
                "probes": [None if p is None else p.to_dict() for p in self.probes]}


class TraceResult(_Record):
    """The outcome of :func:`trace`."""

    __slots__ = (
        "address",
        "elapsed",
        "hops",
        "host",
        "max_ttl",
        "method",
        "packet_len",
        "paris",
        "reached",
    )
    _order = ("host", "address", "method", "paris", "max_ttl", "packet_len", "hops", "reached",
              "elapsed")

    def __init__(self, host: str, address: str, method: str, paris: bool, max_ttl: int,
                 packet_len: int, hops: list[Hop] | None = None, reached: bool = False,
                 elapsed: float = 0.0) -> None:
        self.host = host
        self.address = address
        self.method = method
        self.paris = paris
        self.max_ttl = max_ttl
        self.packet_len = packet_len
        self.hops: list[Hop] = [] if hops is None else hops
        self.reached = reached
        self.elapsed = elapsed

    def header(self) -> str:
        """traceroute's first line."""
        return (f"traceroute to {self.host} ({self.address}), {self.max_ttl} hops max, "
                f"{self.packet_len} byte packets")

    def lines(self, numeric: bool = True) -> list[str]:
        """traceroute's hop lines (``numeric=False`` adds reverse-DNS names)."""
        names: dict[str, str] = {}

        def label(a: str) -> str:
            if numeric:
                return a
            if a not in names:
                try:
                    names[a] = socket.gethostbyaddr(a)[0]
                except OSError:
                    names[a] = a
            return f"{names[a]} ({a})"

        out = []
        for hop in self.hops:
            text = f"{hop.ttl:2d} "
            last = None
            for p in hop.probes:
                if p is None:
                    text += " *"
                    continue
                if p.address != last:
                    text += f" {label(p.address)}"
                    last = p.address
                text += f"  {p.rtt * 1000:.3f} ms"
                if p.annotation:
                    text += f" {p.annotation}"
            if hop.changed:
                text += "  [changed]"
            out.append(text)
        return out

    def text(self, numeric: bool = True) -> str:
        """Header and hops, as traceroute prints them."""
        return "\n".join([self.header(), *self.lines(numeric)]) + "\n"

    @property
    def path(self) -> list[str | None]:
        """Per hop: the first address that answered, or None (``* * *``)."""
        return [h.addresses[0] if h.addresses else None for h in self.hops]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"host": self.host, "address": self.address, "method": self.method,
                "paris": self.paris, "reached": self.reached,
                "elapsed": round(self.elapsed, 4), "hops": [h.to_dict() for h in self.hops]}


def _classify(fam: int, k: int, responder: str, t: int, code: int,
              address: str) -> tuple[int, str, str, bool] | None:
    """An ICMP error about probe ``k``: (k, responder, annotation, final hop?) or None.

    ``t == -1`` is a UDP answer from the destination itself (an echo service): reached.
    """
    if t == -1:
        return k, responder, "", True
    if (fam == 4 and t == 11) or (fam == 6 and t == 3):
        return k, responder, "", False
    if fam == 4 and t == 3:
        if code == 3:
            return k, responder, "" if responder == address else "!P", True
        return k, responder, _ANNOT4.get(code, f"!<{code}>"), True
    if fam == 6 and t == 1:
        if code == 4:
            return k, responder, "", True
        return k, responder, _ANNOT6.get(code, f"!<{code}>"), True
    return None


class _DgramUdp:
    """UDP probes without privileges, as traceroute does them: one datagram socket (so one
    source port: Paris mode keeps its flow), the TTL set before each probe, and the ICMP errors
    read from the socket's error queue (``IP_RECVERR``), which returns our own payload: its
    first word names the probe, its second keeps the UDP checksum constant."""

    def __init__(self, fam: int, address: str, data_len: int, src: str | None = None,
                 dont_fragment: bool = False) -> None:
        self.fam = fam
        self.address = address
        self.data_len = max(4, data_len)
        af = socket.AF_INET if fam == 4 else socket.AF_INET6
        self.sock = socket.socket(af, socket.SOCK_DGRAM)
        bind_device(self.sock)
        if fam == 4:
            self.sock.setsockopt(socket.IPPROTO_IP, _IP_RECVERR, 1)
            if dont_fragment:
                self.sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, _IP_PMTUDISC_DO)
        else:
            self.sock.setsockopt(socket.IPPROTO_IPV6, _IPV6_RECVERR, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, _SO_TIMESTAMPNS, 1)
        self.sock.bind((src or ("0.0.0.0" if fam == 4 else "::"), 0))
        self.sock.setblocking(False)

    def fileno(self) -> int:
        """The socket's descriptor (errors make it readable)."""
        return self.sock.fileno()

    def send(self, k: int, ttl: int, dport: int) -> float:
        """Send probe ``k`` with ``ttl``; return its send time (``time.time()`` clock)."""
        if self.fam == 4:
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        else:
            self.sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
        word = (_CHECK_BASE + k) & 0xFFFF
        payload = struct.pack("!HH", word, 0xFFFF - word) + bytes(self.data_len - 4)
        # An ICMP error about an earlier probe leaves a pending socket error that would make
        # this send fail (the error itself is in the queue): read it away first.
        self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        stamp = time.time()
        for _ in range(2):
            try:
                self.sock.sendto(payload, (self.address, dport))
                break
            except OSError:
                self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                stamp = time.time()
        return stamp

    def receive(self) -> tuple[int, str, int, int, float] | None:
        """The next (probe, responder, ICMP type, code, arrival time), or None when idle."""
        for flags in (socket.MSG_ERRQUEUE, 0):
            try:
                data, anc, _, addr = self.sock.recvmsg(2048, 512, flags)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                continue  # the pending socket error (ECONNREFUSED...): read on the queue
            if len(data) < 2:
                continue
            k = struct.unpack_from("!H", data)[0] - _CHECK_BASE
            arrived = time.time()
            responder = str(addr[0]) if addr else "?"
            icmp_type, code = -1, 0
            for level, kind, cdata in anc:
                if level == socket.SOL_SOCKET and kind == _SO_TIMESTAMPNS and len(cdata) >= 16:
                    sec, nsec = struct.unpack_from("qq", cdata)
                    arrived = sec + nsec / 1e9
                elif level in (socket.IPPROTO_IP, socket.IPPROTO_IPV6) and len(cdata) >= 16:
                    _, origin, icmp_type, code = struct.unpack_from("IBBB", cdata)
                    if origin not in (2, 3):  # SO_EE_ORIGIN_ICMP / ICMP6
                        icmp_type = -2
                    offender = cdata[16:]
                    if self.fam == 4 and len(offender) >= 8:
                        responder = socket.inet_ntop(socket.AF_INET, offender[4:8])
                    elif self.fam == 6 and len(offender) >= 24:
                        responder = socket.inet_ntop(socket.AF_INET6, offender[8:24])
            if icmp_type == -2:
                continue
            if flags == 0 and responder != self.address:
                continue
            return k, responder, icmp_type, code, arrived
        return None

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


class _Probe:
    __slots__ = ("deadline", "done", "hop", "k", "sent", "stamp", "ttl")

    def __init__(self, k: int, ttl: int, hop: int) -> None:
        self.k = k
        self.ttl = ttl
        self.hop = hop
        self.sent = 0.0
        self.stamp = 0.0
        self.deadline = 0.0
        self.done = False


def trace(
    host: str,
    *,
    method: str = "udp",
    port: int | None = None,
    paris: bool = True,
    first_ttl: int = 1,
    max_ttl: int = 30,
    queries: int = 3,
    wait: tuple[float, float, float] = (5.0, 3.0, 10.0),
    sim_queries: int = 16,
    family: int = 0,
    packet_len: int | None = None,
    src: str | None = None,
    iface: str | None = None,
    dont_fragment: bool = False,
    sendwait: float = 0.0,
) -> TraceResult:
    """Trace the route to ``host`` (see the module's description); returns a :class:`TraceResult`.

    ``method``: ``"udp"``, ``"icmp"`` or ``"tcp"``; ``port`` the destination port (UDP 33434,
    TCP 80 by default); ``first_ttl``/``max_ttl``/``queries``/``wait``/``sim_queries`` are
    traceroute's ``-f -m -q -w -N``. traceroute's others: ``packet_len`` (the probes' total
    length, 60 by default over IPv4 and 80 over IPv6; UDP and ICMP probes only, as traceroute:
    TCP probes are traceroute's 60-byte SYN with options; at least the headers, plus the two
    payload bytes Paris mode needs), ``src`` (``-s``, a local address), ``iface`` (``-i``),
    ``dont_fragment`` (``-F``) and ``sendwait`` (``-z``, seconds between two probes).
    """
    if method not in ("udp", "icmp", "tcp"):
        raise PaquetError(f"unknown trace method {method!r}: udp, icmp or tcp")
    if not 1 <= first_ttl <= max_ttl <= 255:
        raise PaquetError(f"bad TTL range {first_ttl}..{max_ttl}: need 1 <= first <= max <= 255")
    if not 1 <= queries <= 10:
        raise PaquetError(f"bad number of queries per hop {queries}: 1 to 10")
    if sim_queries < 1:
        raise PaquetError("need at least one probe in flight")
    if port is not None and not 0 <= port <= 65535:
        raise PaquetError(f"bad port {port}")
    if len(wait) != 3:
        raise PaquetError(f"bad wait {wait!r}: (MAX, HERE, NEAR) in seconds")
    for name, value in zip(("wait MAX", "wait HERE", "wait NEAR"), wait, strict=True):
        check_seconds(name, value)
    check_seconds("sendwait", sendwait)
    if packet_len is not None and not 0 <= packet_len <= MAX_PACKET_LEN:
        raise PaquetError(f"bad packet length {packet_len}: 0 to {MAX_PACKET_LEN}")
    address = resolve(host, family)
    fam = 6 if ":" in address else 4  # resolve() gives an address
    with device(iface):
        src = _local_source(src, fam) if src is not None else source_address(address)
    dport = port if port is not None else (80 if method == "tcp" else 33434)
    base = 32768 + (os.getpid() * 7919) % 16384
    ident = os.getpid() & 0xFFFF
    headers = (20 if fam == 4 else 40) + 8
    data_len = 32 if packet_len is None else max(packet_len - headers, 2 if paris else 0)
    if method == "udp":
        tpl = Template.udp(src, address, bytes(data_len))
    elif method == "icmp":
        tpl = Template.icmp_echo(src, address, bytes(data_len))
    else:
        tsval = int(time.time() * 1000) & 0xFFFFFFFF
        tpl = Template.tcp_syn_traceroute(src, address, tsval=tsval)
    if dont_fragment:
        tpl.set_dont_fragment()
    packet_len = len(tpl.build(0, 0, 0))
    icmp_proto = IPPROTO_ICMP if fam == 4 else IPPROTO_ICMPV6
    dgram: _DgramUdp | None = None
    sender: RawSender | None = None
    receiver: RawReceiver | None = None
    try:
        with device(iface):
            sender = RawSender(fam)
        if method == "tcp" or fam == 6:
            receiver = RawReceiver(fam, (icmp_proto, IPPROTO_TCP), src)
        else:  # only ICMP answers: traceroute's raw ICMP socket, closed without waiting
            receiver = RawReceiver(fam, (icmp_proto,), src, ip_level=True)
        receiver.enable_timestamps()
    except PrivilegeError:
        if sender is not None:
            sender.close()
        if method != "udp":
            raise PrivilegeError(f"{method.upper()} probes need raw sockets (root or "
                                 "CAP_NET_RAW); UDP probes (the default) do not") from None
        sender = None
        with device(iface):
            dgram = _DgramUdp(fam, address, data_len, src, dont_fragment)
    except PaquetError:
        if sender is not None:
            sender.close()
        raise
    hops = [Hop(t, [None] * queries) for t in range(first_ttl, max_ttl + 1)]
    probes = [_Probe(k, first_ttl + k // queries, k // queries)
              for k in range(len(hops) * queries)]
    rtts: dict[int, float] = {}  # hop index -> max rtt seen
    stop_hop: int | None = None
    seq_base = int.from_bytes(os.urandom(4), "big") & 0x7FFFFFFF

    def send(p: _Probe) -> None:
        k = p.k
        if dgram is not None:
            p.sent = time.monotonic()
            p.deadline = p.sent + wait[0]
            p.stamp = dgram.send(k, p.ttl, dport if paris else (dport + k) & 0xFFFF)
            return
        if method == "udp":
            sport = base
            dp = dport if paris else (dport + k) & 0xFFFF
            if paris:
                tpl.pin_checksum(sport, dp, _CHECK_BASE + k)
            buf = tpl.build(sport, dp, (ident + k) & 0xFFFF or 1, ttl=p.ttl)
        elif method == "icmp":
            seq = k + 1
            if paris:
                tpl.pin_checksum(ident, seq, _CHECK_BASE)
            buf = tpl.build(ident, seq, (ident + k) & 0xFFFF or 1, ttl=p.ttl)
        else:
            sport = base if paris else (base + k) & 0xFFFF
            buf = tpl.build(sport, dport, (seq_base + k) & 0xFFFFFFFF, ttl=p.ttl,
                            ipid=(ident + k) & 0xFFFF or 1)
        p.sent = time.monotonic()
        p.deadline = p.sent + wait[0]
        p.stamp = time.time()
        assert sender is not None
        sender.send(buf, address)

    def probe_of(data: bytes) -> tuple[int, str, str, bool] | None:
        """(probe number, responder, annotation, reached) for a reply to one of our probes."""
        r = parse_reply(data)
        if r is None or r.dst != tpl.src:
            return None
        q = r.quote
        responder = r.source
        if q is None:
            if method == "tcp" and r.proto == IPPROTO_TCP and r.src == tpl.dst \
                    and r.sport == dport \
                    and r.flags & TCP_ACK and r.flags & (TCP_SYN | TCP_RST):
                k = (r.ack - 1 - seq_base) & 0xFFFFFFFF
                if method == "tcp" and (paris and r.dport != base):
                    return None
                return (k, responder, "", True) if k < len(probes) else None
            if method == "icmp" and r.proto == icmp_proto and r.src == tpl.dst and \
                    r.icmp_type in (0, 129) and r.sport == ident:
                k = r.seq - 1
                return (k, responder, "", True) if 0 <= k < len(probes) else None
            return None
        if q.dst != tpl.dst or q.src != tpl.src:
            return None
        if method == "udp":
            if q.proto != 17 or q.sport != base:
                return None
            k = (q.seq & 0xFFFF) - _CHECK_BASE if paris else (q.dport - dport) & 0xFFFF
        elif method == "icmp":
            if q.proto != icmp_proto or q.sport != ident:
                return None
            k = q.dport - 1
        else:
            if q.proto != IPPROTO_TCP or q.dport != dport:
                return None
            k = (q.seq - seq_base) & 0xFFFFFFFF
        if not 0 <= k < len(probes):
            return None
        return _classify(fam, k, responder, r.icmp_type, r.icmp_code, address)

    start = time.monotonic()
    last_send = 0.0
    nxt = 0
    inflight: list[_Probe] = []
    reached = False

    def receive() -> None:
        """Match everything queued (before any probe is declared lost: a reply already in
        the queue, stamped by the kernel, counts even if Python reads it late)."""
        nonlocal reached, stop_hop
        while True:
            if dgram is not None:
                got_d = dgram.receive()
                if got_d is None:
                    return
                k, responder, icmp_type, code, arrived = got_d
                m = _classify(fam, k, responder, icmp_type, code, address)
                if m is None or not 0 <= k < len(probes):
                    continue
            else:
                assert receiver is not None
                got = receiver.recv_stamped()
                if got is None:
                    return
                data, arrived = got
                m = probe_of(data)
                if m is None:
                    continue
            k, responder, annotation, hit = m
            p = probes[k]
            if p.done or p.sent == 0.0:
                continue
            p.done = True
            rtt = max(0.0, arrived - p.stamp)
            hops[p.hop].probes[k % queries] = TraceProbe(responder, rtt, annotation, hit)
            rtts[p.hop] = max(rtts.get(p.hop, 0.0), rtt)
            if hit:
                reached = reached or responder == address
                if stop_hop is None or p.hop < stop_hop:
                    stop_hop = p.hop

    try:
        while True:
            receive()
            limit = (stop_hop + 1) * queries if stop_hop is not None else len(probes)
            inflight = [p for p in inflight if not p.done and
                        (stop_hop is None or p.hop <= stop_hop)]
            while nxt < limit and len(inflight) < sim_queries:
                if sendwait and time.monotonic() < last_send + sendwait:
                    break
                p = probes[nxt]
                nxt += 1
                send(p)
                last_send = p.sent
                inflight.append(p)
            if not inflight and nxt >= limit:
                break
            now = time.monotonic()
            for p in inflight:
                limit_t = p.sent + wait[0]
                here = rtts.get(p.hop)
                if here is not None and wait[1] > 0:
                    limit_t = min(limit_t, p.sent + max(_MIN_WAIT, wait[1] * here))
                later = [v for h, v in rtts.items() if h > p.hop]
                if later and wait[2] > 0:
                    limit_t = min(limit_t, p.sent + max(_MIN_WAIT, wait[2] * max(later)))
                p.deadline = limit_t
                if limit_t <= now:
                    p.done = True
            inflight = [p for p in inflight if not p.done]
            pace = last_send + sendwait if sendwait and nxt < limit else None
            if not inflight and pace is None:
                continue
            wake = min([p.deadline for p in inflight] + ([pace] if pace is not None else []))
            fd = dgram.fileno() if dgram is not None else receiver.fileno()  # type: ignore[union-attr]
            wait_readable(fd, wake - time.monotonic())
    finally:
        for closable in (sender, receiver, dgram):
            if closable is not None:
                closable.close()
    last = stop_hop if stop_hop is not None else len(hops) - 1
    result = TraceResult(host, address, method, paris, max_ttl, packet_len, hops[:last + 1],
                         reached, time.monotonic() - start)
    return result


def _local_source(src: str, fam: int) -> str:
    """``src`` (traceroute's ``-s``) once checked: an address of this host, of ``fam``."""
    try:
        version = parse_ip(src)[0]
    except ValueError:
        raise PaquetError(f"bad source address {src!r}") from None
    if version != fam:
        raise PaquetError(f"source address {src} is not IPv{fam}, as the destination is")
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    s = socket.socket(af, socket.SOCK_DGRAM)
    src = canonical(src)
    try:
        s.bind((src, 0))
    except OSError as exc:
        raise PaquetError(f"cannot send from {src}: {exc.strerror or exc}") from None
    finally:
        s.close()
    return src
