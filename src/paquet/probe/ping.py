"""ICMP echo, as iputils ``ping`` does it: same flags, same output, same statistics.

With raw-socket privileges the echo requests go out on a raw ICMP socket (any identifier, TTL
errors seen); without them on the kernel's unprivileged ICMP datagram socket where
``net.ipv4.ping_group_range`` allows it (the kernel picks the identifier; errors come from the
socket's error queue). Round-trip times are measured as iputils measures them: the send time is
written in the payload (a ``struct timeval``, so ``-s`` below 16 means no times) and the arrival
time is the kernel's receive timestamp (``SO_TIMESTAMPNS``), not the moment Python reads it.

``mdev`` is iputils' standard deviation, ``sqrt(mean(rtt^2) - mean(rtt)^2)``.
"""

from __future__ import annotations

# socket's own functions and constants, without the enums (and selectors) socket.py builds
import _socket as socket
import errno
import math
import os
import select
import struct
import time

from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.net.linux import IP_MTU_DISCOVER, IP_RECVERR, IP_RECVTTL, IPV6_RECVERR, SO_TIMESTAMPNS
from paquet.probe.iptext import parse as parse_ip
from paquet.probe.limits import check_count, check_seconds
from paquet.probe.rawio import can_raw, resolve
from paquet.probe.records import dataclass, field  # dataclasses imports inspect: start-up
from paquet.probe.wire import finish, partial_sum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PMTUDISC", "PingEvent", "PingResult", "format_rtt", "parse_pattern", "ping"]

_IPV6_MTU_DISCOVER = 23
_IP_MTU = 14
PMTUDISC = {"dont": 0, "want": 1, "do": 2, "probe": 3}
"""iputils' ``-M`` words and their ``IP_MTU_DISCOVER`` values."""

_TIMESPEC = struct.Struct("qq")
_TIMEVAL = struct.Struct("qq")
_ECHO = struct.Struct("!BBHHH")
_STAMP_WORDS = struct.Struct("!8H")

_UNREACH4 = {
    0: "Destination Net Unreachable", 1: "Destination Host Unreachable",
    2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
    4: "Frag needed and DF set", 5: "Source Route Failed", 6: "Destination Net Unknown",
    7: "Destination Host Unknown", 9: "Destination Net Prohibited",
    10: "Destination Host Prohibited", 13: "Packet filtered",
}
_UNREACH6 = {
    0: "Destination unreachable: No route",
    1: "Destination unreachable: Administratively prohibited",
    3: "Destination unreachable: Address unreachable",
    4: "Destination unreachable: Port unreachable",
}


def _error_text(family: int, icmp_type: int, code: int) -> str | None:
    if family == 4:
        if icmp_type == 3:
            return _UNREACH4.get(code, f"Dest Unreachable, Bad Code: {code}")
        if icmp_type == 11:
            return "Time to live exceeded" if code == 0 else "Frag reassembly time exceeded"
        if icmp_type == 12:
            return "Parameter problem"
        return None
    if icmp_type == 1:
        return _UNREACH6.get(code, f"Destination unreachable: Unknown code {code}")
    if icmp_type == 3:
        return "Time exceeded: Hop limit" if code == 0 else "Time exceeded: Defrag"
    if icmp_type == 2:
        return "Packet too big"
    if icmp_type == 4:
        return "Parameter problem"
    return None


def format_rtt(ms: float) -> str:
    """iputils' precision: 3 decimals below 1 ms, 2 below 10, 1 below 100, none above."""
    if ms >= 100:
        return f"{int(ms)}"
    if ms >= 10:
        return f"{ms:.1f}"
    if ms >= 1:
        return f"{ms:.2f}"
    return f"{ms:.3f}"


@dataclass(slots=True)
class PingEvent:
    """One thing that happened: a reply (``kind="reply"``) or an ICMP error (``"error"``)."""

    kind: str
    seq: int
    source: str
    size: int = 0
    ttl: int = 0
    rtt: float | None = None
    """Round-trip time in seconds (None when the payload is too small to carry a timestamp)."""
    duplicate: bool = False
    message: str = ""
    when: float = 0.0
    """When it arrived, seconds since the epoch (``-D`` prints it)."""
    ident: int = 0
    """The echo identifier of the reply (``-v`` prints it)."""

    def line(self, *, name: str | None = None, verbose: bool = False) -> str:
        """The line iputils prints for this event; ``name`` the source's host name (printed
        as ``name (address)``), ``verbose`` adds the identifier as ``-v`` does."""
        source = self.source if name is None else f"{name} ({self.source})"
        if self.kind == "error":
            return f"From {source} icmp_seq={self.seq} {self.message}"
        ident = f" ident={self.ident}" if verbose else ""
        text = f"{self.size} bytes from {source}: icmp_seq={self.seq}{ident} ttl={self.ttl}"
        if self.rtt is not None:
            text += f" time={format_rtt(self.rtt * 1000)} ms"
        if self.duplicate:
            text += " (DUP!)"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"kind": self.kind, "seq": self.seq, "source": self.source, "size": self.size,
                "ttl": self.ttl, "rtt_ms": None if self.rtt is None else self.rtt * 1000,
                "duplicate": self.duplicate, "message": self.message}


@dataclass
class PingResult:
    """The outcome of :func:`ping`: counts, events, and iputils' summary statistics."""

    host: str
    address: str
    size: int
    transmitted: int = 0
    received: int = 0
    duplicates: int = 0
    errors: int = 0
    events: list[PingEvent] = field(default_factory=list)
    elapsed: float = 0.0
    """iputils' ``time``: from the first request to the last thing sent or received."""
    unprivileged: bool = False
    ewma: float | None = None
    """iputils' exponentially weighted moving average of the RTT (seconds, weight 1/8)."""
    flood: bool = False
    source: str | None = None
    """The source address when ``interface`` was given (the header shows it, as iputils)."""
    device: str = ""
    """The interface given (``-I`` with a name)."""

    @property
    def rtts(self) -> list[float]:
        """The round-trip times of the (non-duplicate) replies, seconds."""
        return [e.rtt for e in self.events
                if e.kind == "reply" and not e.duplicate and e.rtt is not None]

    @property
    def loss(self) -> float:
        """Packet loss in percent, as iputils computes it."""
        if not self.transmitted:
            return 0.0
        return (self.transmitted - self.received) * 100.0 / self.transmitted

    def stats(self) -> tuple[float, float, float, float] | None:
        """(min, avg, max, mdev) in milliseconds, or None without timed replies."""
        r = [x * 1000 for x in self.rtts]
        if not r:
            return None
        avg = sum(r) / len(r)
        var = sum(x * x for x in r) / len(r) - avg * avg
        return min(r), avg, max(r), math.sqrt(max(0.0, var))

    def header(self) -> str:
        """iputils' first line."""
        via = "" if self.source is None else f" from {self.source} {self.device}:"
        if ":" in self.address:
            return f"PING {self.host}({self.address}){via or ''} {self.size} data bytes"
        return (f"PING {self.host} ({self.address}){via} {self.size}({self.size + 28}) "
                "bytes of data.")

    def summary(self) -> str:
        """iputils' statistics block (without the leading blank line)."""
        parts = [f"{self.transmitted} packets transmitted", f"{self.received} received"]
        if self.duplicates:
            parts.append(f"+{self.duplicates} duplicates")
        if self.errors:
            parts.append(f"+{self.errors} errors")
        parts.append(f"{self.loss:g}% packet loss")
        parts.append(f"time {round(self.elapsed * 1000)}ms")
        lines = [f"--- {self.host} ping statistics ---", ", ".join(parts)]
        st = self.stats()
        if st is not None:
            line = "rtt min/avg/max/mdev = " + "/".join(f"{v:.3f}" for v in st) + " ms"
            if self.flood and self.ewma is not None and self.transmitted > 1:
                ipg = self.elapsed * 1000 / (self.transmitted - 1)
                line += f", ipg/ewma {ipg:.3f}/{self.ewma * 1000:.3f} ms"
            lines.append(line)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        st = self.stats()
        return {
            "host": self.host, "address": self.address, "size": self.size,
            "transmitted": self.transmitted, "received": self.received,
            "duplicates": self.duplicates, "errors": self.errors, "loss": self.loss,
            "time_ms": round(self.elapsed * 1000),
            "rtt": None if st is None else dict(zip(("min", "avg", "max", "mdev"), st,
                                                       strict=True)),
            "events": [e.to_dict() for e in self.events],
        }


class _Socket:
    """An ICMP echo socket: raw when allowed, else the kernel's ping (datagram) socket."""

    def __init__(self, family: int, ttl: int | None, force_raw: bool, *,
                 options: _Options | None = None) -> None:
        self.family = family
        self.broadcast = options is not None and options.broadcast
        af = socket.AF_INET if family == 4 else socket.AF_INET6
        proto = socket.IPPROTO_ICMP if family == 4 else socket.IPPROTO_ICMPV6
        self.raw = True
        try:
            self.sock = socket.socket(af, socket.SOCK_RAW, proto)
        except PermissionError:
            if force_raw:
                raise PrivilegeError("flooding and short intervals need raw sockets "
                                     "(root or CAP_NET_RAW)") from None
            try:
                self.sock = socket.socket(af, socket.SOCK_DGRAM, proto)
            except OSError:
                raise PrivilegeError(
                    "ping needs raw sockets (root or CAP_NET_RAW) or the kernel's ICMP sockets "
                    "(sysctl net.ipv4.ping_group_range must include your group)"
                ) from None
            self.raw = False
        s = self.sock
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        if family == 4:
            if ttl is not None:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
            if not self.raw:
                s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
                s.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
        else:
            if ttl is not None:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
            if not self.raw:
                s.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVERR, 1)
        if options is not None:
            options.apply(s, family)
        s.setblocking(False)

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


@dataclass
class _Options:
    """iputils' socket options: -I (device or source address), -Q, -M, -b."""

    device: str | None = None
    source: str | None = None
    tos: int | None = None
    pmtudisc: str | None = None
    broadcast: bool = False

    def apply(self, s: socket.socket, family: int) -> None:
        """Set them on ``s`` (PaquetError as iputils words it when one is refused)."""
        v4 = family == 4
        if self.device is not None:
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, self.device.encode())
            except OSError as exc:
                raise PaquetError(f"SO_BINDTODEVICE {self.device}: {exc.strerror}") from None
        if self.source is not None:
            try:
                s.bind((self.source, 0))
            except OSError as exc:
                raise PaquetError(f"bind: {exc.strerror}") from None
        if self.tos is not None:
            if v4:
                s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, self.tos)
            else:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, self.tos)
        if self.pmtudisc is not None:
            value = PMTUDISC[self.pmtudisc]
            if v4:
                s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, value)
            else:
                s.setsockopt(socket.IPPROTO_IPV6, _IPV6_MTU_DISCOVER, value)
            s.setsockopt(socket.IPPROTO_IP if v4 else socket.IPPROTO_IPV6,
                         IP_RECVERR if v4 else IPV6_RECVERR, 1)
        if self.broadcast:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)


def parse_pattern(text: str) -> bytes:
    """iputils' ``-p``: hex digits, two a byte, at most 16 bytes (the rest is ignored).

    >>> parse_pattern("abcdef").hex(), parse_pattern("abc").hex()
    ('abcdef', 'ab0c')
    >>> parse_pattern("xyz")
    Traceback (most recent call last):
    ...
    paquet.errors.PaquetError: patterns must be specified as hex digits: xyz
    """
    if not text or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise PaquetError(f"patterns must be specified as hex digits: {text}")
    return bytes(int(text[i:i + 2], 16) for i in range(0, min(len(text), 32), 2))


def _source_for(address: str, fam: int, options: _Options) -> str:
    """The source address the kernel picks for ``address`` (with -I's device or address)."""
    af = socket.AF_INET if fam == 4 else socket.AF_INET6
    probe = socket.socket(af, socket.SOCK_DGRAM)
    try:
        if options.device is not None:
            try:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                                 options.device.encode())
            except OSError as exc:
                raise PaquetError(f"SO_BINDTODEVICE {options.device}: {exc.strerror}") \
                    from None
        if options.source is not None:
            return options.source
        if options.broadcast:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        try:
            probe.connect((address, 1025))
        except OSError as exc:
            raise NetworkError(f"connect: {exc.strerror}") from None
        return str(probe.getsockname()[0])
    finally:
        probe.close()


def is_broadcast(address: str) -> bool:
    """Whether the kernel takes ``address`` (IPv4) for a broadcast address: a datagram socket
    without SO_BROADCAST may not connect to it."""
    if ":" in address:
        return False
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect((address, 1025))
    except PermissionError:
        return True
    except OSError:
        return False
    finally:
        probe.close()
    return False


def _payload(size: int, pattern: bytes | None = None) -> bytearray:
    """iputils' data: bytes 0x00, 0x01, ... or ``-p``'s pattern repeated (the first 16 hold
    the timestamp)."""
    if pattern:
        return bytearray((pattern * (size // len(pattern) + 1))[:size])
    return bytearray(i & 0xFF for i in range(size))


def ping(
    host: str,
    count: int | None = 4,
    *,
    interval: float = 1.0,
    timeout: float = 10.0,
    deadline: float | None = None,
    size: int = 56,
    ttl: int | None = None,
    family: int = 0,
    flood: bool = False,
    on_event: Callable[[PingEvent], None] | None = None,
    on_send: Callable[[int], None] | None = None,
    on_start: Callable[[PingResult], None] | None = None,
    interface: str | None = None,
    tos: int | None = None,
    pmtudisc: str | None = None,
    pattern: bytes | None = None,
    broadcast: bool = False,
    on_local_error: Callable[[int, str], None] | None = None,
) -> PingResult:
    """Send ICMP echo requests to ``host`` and collect the replies, like iputils ``ping``.

    ``count`` requests (None: until ``deadline`` or Ctrl-C), every ``interval`` seconds;
    ``timeout`` is iputils' ``-W`` (how long to wait for a reply when none came at all; with
    replies, twice the longest round trip), ``deadline`` its ``-w``. ``flood`` is ``-f``: the next
    request leaves as soon as the reply arrives, or after 10 ms. ``on_event`` sees each reply or
    error as it arrives, ``on_send`` each sequence number sent, ``on_start`` the (empty) result
    once the socket is open (to print the header). Ctrl-C ends the run and returns what was
    collected.

    iputils' socket options: ``interface`` is ``-I`` (a device name, or a source address),
    ``tos`` ``-Q`` (IPv4 TOS or IPv6 traffic class), ``pmtudisc`` ``-M`` (``do``, ``want``,
    ``dont``, ``probe``), ``pattern`` ``-p`` (the payload's filling), ``broadcast`` ``-b`` (a
    broadcast address is refused without it, as iputils refuses it). A request the kernel
    refuses as too long for the path (``-M do``) is an error, counted and passed to
    ``on_local_error(seq, message)``.
    """
    check_count("count", count)
    if not 0 <= size <= 65507:
        raise PaquetError(f"invalid packet size {size}: 0 to 65507")
    if ttl is not None and not 1 <= ttl <= 255:
        raise PaquetError(f"invalid TTL {ttl}: 1 to 255")
    check_seconds("interval", interval)
    check_seconds("timeout", timeout)
    check_seconds("deadline", deadline)
    if tos is not None and not 0 <= tos <= 255:
        raise PaquetError(f"the decimal value of TOS bits must be in range 0-255: {tos}")
    if pmtudisc is not None and pmtudisc not in PMTUDISC:
        raise PaquetError(f"invalid -M argument: {pmtudisc}")
    address = resolve(host, family)
    fam = parse_ip(address)[0]
    options = _Options(tos=tos, pmtudisc=pmtudisc, broadcast=broadcast)
    if interface is not None:
        try:
            parse_ip(interface)
        except ValueError:
            options.device = interface
        else:
            options.source = interface
    if not broadcast and is_broadcast(address):
        raise PaquetError("Do you want to ping broadcast? Then -b. If not, check your local "
                          "firewall rules")
    source = _source_for(address, fam, options) if interface is not None else None
    short = flood or interval < 0.002
    if short and not can_raw():
        raise PrivilegeError("cannot flood; minimal interval allowed for user is 2ms")
    sock = _Socket(fam, ttl, short, options=options)
    result = PingResult(host, address, size, unprivileged=not sock.raw, source=source,
                        device=options.device or "")
    if on_start is not None:
        on_start(result)
    ident = os.getpid() & 0xFFFF
    payload = _payload(size, pattern)
    if size >= 16:
        payload[:16] = bytes(16)
    dest = (address, 0)
    echo_type = 8 if fam == 4 else 128
    sent_at: dict[int, float] = {}
    received: set[int] = set()
    max_rtt = 0.0
    if flood:
        interval = 0.01
    start = time.monotonic()
    last_activity = start
    end_at = start + deadline if deadline is not None else None
    next_send = start
    seq = 0
    last_send = start
    try:
        while True:
            now = time.monotonic()
            if end_at is not None and now >= end_at:
                break
            done_sending = count is not None and seq >= count
            if done_sending:
                if result.received + result.errors >= (count or 0):
                    break
                linger = 2 * max_rtt if result.received else timeout
                if deadline is None and now >= last_send + max(linger, 0.0):
                    break
            if not done_sending and now >= next_send:
                seq += 1
                wire_seq = seq & 0xFFFF
                msg = bytearray(_ECHO.pack(echo_type, 0, 0, ident, wire_seq)) + payload
                base = partial_sum(msg) if (fam == 4 and sock.raw) else 0
                # The timestamp is the last thing written before the packet leaves (as iputils).
                ns = time.time_ns()
                if size >= 16:
                    stamp = _TIMEVAL.pack(ns // 1_000_000_000, (ns // 1000) % 1_000_000)
                    msg[8:24] = stamp
                    base += sum(_STAMP_WORDS.unpack(stamp))
                if fam == 4 and sock.raw:
                    struct.pack_into("!H", msg, 2, finish(base))
                try:
                    sock.sock.sendto(msg, dest)
                except OSError as exc:
                    if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                        raise NetworkError(f"connect: {exc.strerror}") from None
                    if exc.errno == errno.EMSGSIZE:
                        result.errors += 1
                        if on_local_error is not None:
                            on_local_error(seq, _too_long(sock, fam))
                    elif exc.errno not in (errno.ENOBUFS, errno.EAGAIN):
                        raise NetworkError(f"sendmsg: {exc.strerror or exc}") from None
                sent_at[wire_seq] = ns / 1e9
                result.transmitted += 1
                last_send = time.monotonic()
                last_activity = last_send
                if on_send is not None:
                    on_send(seq)
                next_send = (next_send + interval) if not flood else last_send + interval
                if next_send < last_send - interval:
                    next_send = last_send
            now = time.monotonic()
            wake = next_send if not (count is not None and seq >= count) else now + 0.05
            if end_at is not None:
                wake = min(wake, end_at)
            if count is not None and seq >= count:
                linger = 2 * max_rtt if result.received else timeout
                wake = min(wake, last_send + max(linger, 0.0)) if deadline is None else wake
            r, _, _ = select.select([sock.sock], [], [], max(0.0, wake - now))
            if not r:
                continue
            last_activity = time.monotonic()
            for ev in _receive(sock, fam, ident, address, sent_at, received):
                if ev.kind == "error":
                    result.errors += 1
                elif ev.duplicate:
                    result.duplicates += 1
                else:
                    result.received += 1
                    if ev.rtt is not None:
                        max_rtt = max(max_rtt, ev.rtt)
                        result.ewma = ev.rtt if result.ewma is None else \
                            result.ewma + (ev.rtt - result.ewma) / 8
                    if flood:
                        next_send = time.monotonic()
                result.events.append(ev)
                if on_event is not None:
                    on_event(ev)
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    result.elapsed = max(0.0, last_activity - start)
    result.flood = flood
    return result


def _too_long(sock: _Socket, fam: int) -> str:
    """iputils' words for a request the kernel refused as longer than the path's MTU."""
    mtu = 0
    try:
        _, anc, _, _ = sock.sock.recvmsg(1, 512, socket.MSG_ERRQUEUE)
        for level, _kind, cdata in anc:
            if level in (socket.IPPROTO_IP, socket.IPPROTO_IPV6) and len(cdata) >= 16:
                mtu = struct.unpack_from("IBBBBII", cdata)[5]
    except OSError:
        pass
    return f"local error: message too long, mtu={mtu}"


def _ancillary(anc: list[tuple[int, int, bytes]]) -> tuple[float | None, int]:
    stamp = None
    ttl = 0
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = _TIMESPEC.unpack_from(data)
            stamp = sec + nsec / 1e9
        elif len(data) >= 4 and (level, kind) in ((socket.IPPROTO_IP, socket.IP_TTL),
                                                  (socket.IPPROTO_IPV6, socket.IPV6_HOPLIMIT)):
            ttl = struct.unpack("i", data[:4])[0]
    return stamp, ttl


def _multicast(address: str) -> bool:
    """``ipaddress.ip_address(address).is_multicast``: 224.0.0.0/4 or ff00::/8.

    >>> _multicast("224.0.0.1"), _multicast("ff02::1"), _multicast("192.0.2.1")
    (True, True, False)
    """
    version, packed = parse_ip(address)
    return packed[0] >> 4 == 0xE if version == 4 else packed[0] == 0xFF


def _receive(sock: _Socket, fam: int, ident: int, address: str, sent_at: dict[int, float],
             received: set[int]) -> list[PingEvent]:
    """Read everything queued on the socket (and its error queue) into events."""
    out: list[PingEvent] = []
    s = sock.sock
    while True:
        try:
            data, anc, _, src = s.recvmsg(65535, 512)
        except (BlockingIOError, InterruptedError):
            break
        except OSError as exc:
            if exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ECONNREFUSED,
                             errno.EMSGSIZE, errno.ETIMEDOUT):
                out.extend(_error_queue(sock, fam, sent_at))
                continue
            raise NetworkError(f"recvmsg: {exc.strerror or exc}") from None
        stamp, ttl = _ancillary(anc)
        if stamp is None:
            stamp = time.time()
        off = 0
        if fam == 4 and sock.raw:
            if len(data) < 20:
                continue
            off = (data[0] & 0x0F) * 4
            ttl = data[8]
        if len(data) < off + 8:
            continue
        icmp_type, code, _, rid, rseq = _ECHO.unpack_from(data, off)
        source = str(src[0])
        reply_type = 0 if fam == 4 else 129
        if icmp_type == reply_type:
            if sock.raw and rid != ident:
                continue
            if source != address and not (_multicast(address) or sock.broadcast):
                continue
            if rseq not in sent_at:
                continue
            body = data[off + 8:]
            rtt: float | None = None
            if len(body) >= 16:
                sec, usec = _TIMEVAL.unpack_from(body)
                rtt = max(0.0, stamp - (sec + usec / 1e6))
            dup = rseq in received
            received.add(rseq)
            out.append(PingEvent("reply", rseq, source, len(data) - off, ttl, rtt, dup,
                                 when=stamp, ident=rid))
            continue
        text = _error_text(fam, icmp_type, code)
        if text is None or not sock.raw:
            continue
        # quoted probe: IP header then our echo request
        q = off + 8
        if fam == 4:
            if len(data) < q + 20:
                continue
            qoff = q + (data[q] & 0x0F) * 4
            qdst = data[q + 16:q + 20]
        else:
            qoff = q + 40
            qdst = data[q + 24:q + 40]
        if len(data) < qoff + 8 or qdst != parse_ip(address)[1]:
            continue
        qt, _, _, qid, qseq = _ECHO.unpack_from(data, qoff)
        if qt != (8 if fam == 4 else 128) or qid != ident or qseq not in sent_at:
            continue
        out.append(PingEvent("error", qseq, source, message=text, when=stamp))
    return out


def _error_queue(sock: _Socket, fam: int, sent_at: dict[int, float]) -> list[PingEvent]:
    """ICMP errors for an unprivileged ping socket: read from the socket's error queue."""
    out: list[PingEvent] = []
    while True:
        try:
            data, anc, _, _ = sock.sock.recvmsg(65535, 512, socket.MSG_ERRQUEUE)
        except (BlockingIOError, InterruptedError):
            return out
        except OSError:
            return out
        for level, _kind, cdata in anc:
            if level not in (socket.IPPROTO_IP, socket.IPPROTO_IPV6) or len(cdata) < 16:
                continue
            _, origin, etype, ecode = struct.unpack_from("IBBB", cdata)
            if origin not in (2, 3):  # SO_EE_ORIGIN_ICMP / ICMP6
                continue
            offender = cdata[16:]
            if fam == 4 and len(offender) >= 8:
                source = socket.inet_ntop(socket.AF_INET, offender[4:8])
            elif len(offender) >= 24:
                source = socket.inet_ntop(socket.AF_INET6, offender[8:24])
            else:
                source = "?"
            if len(data) < 8:
                continue
            seq = struct.unpack_from("!H", data, 6)[0]
            if seq not in sent_at:
                continue
            text = _error_text(fam, etype, ecode) or f"ICMP type {etype} code {ecode}"
            out.append(PingEvent("error", seq, source, message=text, when=time.time()))
