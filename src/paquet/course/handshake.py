"""A TCP session from raw packets: SYN, SYN/ACK, ACK, data, its ACK, FIN (the course's question 7).

When a program sends a SYN through a raw socket, the kernel knows nothing of that connection:
when the SYN/ACK comes back, it answers with a RST and the server forgets the connection
(that is what the course saw in Wireshark). :class:`TCPHandshake` keeps the kernel quiet for the
time of the session with an nftables rule scoped to the flow (its own table, with a unique
name: ``drop outgoing RST from this source port to this destination port``), then plays TCP by
hand: it picks an initial sequence number, answers the SYN/ACK, numbers its data, reads the
acknowledgements, acknowledges what the server sends, and closes with FIN. The table is removed
when the session ends, also on an exception, on Ctrl-C (SIGINT) and on SIGTERM.

Every segment, sent or received, is kept in :attr:`TCPHandshake.segments`::

    with TCPHandshake("203.0.113.10", 10000) as s:
        s.connect()
        s.send(b"miaou")
        echo = s.recv()
        s.close()
    for seg in s.segments:
        print(seg.line())

IPv4 and IPv6 alike: over IPv6 the rule lives in an ``ip6`` table, and the MSS we announce
is the outgoing interface's MTU less 60 bytes (40 of IPv6 header, 20 of TCP) instead of 40.

It needs root (raw sockets and nftables) and sends only where the caller asks.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import os
import queue
import random
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType, TracebackType
from typing import Any

from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.probe.limits import check_count, check_seconds

__all__ = [
    "FLAG_LETTERS",
    "Segment",
    "TCPHandshake",
    "TCPHandshakeError",
    "endpoint",
    "flag_names",
    "nft_tables",
    "resolve_address",
    "resolve_ipv4",
    "run_session",
]

FLAG_LETTERS = "FSRPAUECN"
"""The TCP flag letters in bit order (FIN is bit 0), as Scapy and tshark write them."""

TABLE_PREFIX = "paquet_tcp_"
_counter = itertools.count()


class TCPHandshakeError(NetworkError):
    """The server refused (RST), did not answer in time, or the session is in the wrong state.

    ``segments`` holds the segments exchanged before the failure (filled by :func:`run_session`).
    """

    def __init__(self, message: str, segments: list[Segment] | None = None) -> None:
        super().__init__(message)
        self.segments: list[Segment] = list(segments or [])


def flag_names(flags: int) -> str:
    """The flags of a segment as letters, Scapy's way (``'SA'`` for SYN+ACK).

    >>> flag_names(0x12), flag_names(0x11), flag_names(0x18)
    ('SA', 'FA', 'PA')
    """
    return "".join(letter for i, letter in enumerate(FLAG_LETTERS) if flags >> i & 1)


@dataclass(frozen=True)
class Segment:
    """One TCP segment of the session, as it went on the wire.

    ``direction`` is ``"out"`` (sent by us) or ``"in"`` (received); ``seq`` and ``ack`` are the
    absolute numbers, ``rel_seq`` and ``rel_ack`` the numbers relative to each side's initial
    sequence number (what Wireshark shows); ``data`` is the payload; ``note`` says what the
    segment does in the session (``"SYN"``, ``"data"``, ``"ACK of 5 bytes"``...).
    """

    direction: str
    src: str
    sport: int
    dst: str
    dport: int
    flags: str
    seq: int
    ack: int
    rel_seq: int
    rel_ack: int
    window: int
    data: bytes
    time: float
    note: str = ""

    def line(self) -> str:
        """One line as a capture tool would print it, with relative numbers.

        >>> Segment("out", "192.0.2.10", 40000, "203.0.113.10", 10000, "S", 7, 0, 0, 0,
        ...         64240, b"", 0.0, "SYN").line()
        '-> 192.0.2.10:40000 > 203.0.113.10:10000 [S] seq=0 win=64240 len=0  SYN'
        """
        arrow = "->" if self.direction == "out" else "<-"
        ack = f" ack={self.rel_ack}" if "A" in self.flags else ""
        text = (
            f"{arrow} {endpoint(self.src, self.sport)} > {endpoint(self.dst, self.dport)} "
            f"[{self.flags}] "
            f"seq={self.rel_seq}{ack} win={self.window} len={len(self.data)}"
        )
        if self.data:
            text += f" {self.data[:40]!r}"
        return f"{text}  {self.note}" if self.note else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (data as text when it decodes, and as hex)."""
        return {
            "direction": self.direction,
            "src": self.src,
            "sport": self.sport,
            "dst": self.dst,
            "dport": self.dport,
            "flags": self.flags,
            "seq": self.seq,
            "ack": self.ack,
            "rel_seq": self.rel_seq,
            "rel_ack": self.rel_ack,
            "window": self.window,
            "len": len(self.data),
            "data": self.data.decode("utf-8", "replace"),
            "data_hex": self.data.hex(),
            "time": self.time,
            "note": self.note,
        }


def endpoint(address: str, port: int) -> str:
    """``address:port``, an IPv6 address in brackets (RFC 3986's way).

    >>> endpoint("192.0.2.10", 80), endpoint("2001:db8::a", 80)
    ('192.0.2.10:80', '[2001:db8::a]:80')
    """
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def resolve_address(host: str) -> tuple[str, int]:
    """``host`` as an address literal and its IP version (names through the system resolver,
    IPv4 first, IPv6 when the name has no IPv4 address).

    >>> resolve_address("192.0.2.10"), resolve_address("2001:DB8::A")
    (('192.0.2.10', 4), ('2001:db8::a', 6))

    An empty name is refused: the resolver would answer 0.0.0.0 (this host).
    """
    if not host.strip():
        raise NetworkError(f"cannot resolve {host!r}: empty host name")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return str(address), address.version
    if ":" in host:
        raise NetworkError(f"{host!r} is not an IPv6 address")
    try:
        return socket.gethostbyname(host), 4
    except (OSError, UnicodeError, ValueError):
        pass
    try:
        infos = socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise NetworkError(f"cannot resolve {host!r}: {exc}") from None
    return str(ipaddress.IPv6Address(str(infos[0][4][0]).partition("%")[0])), 6


def resolve_ipv4(host: str) -> str:
    """``host`` as an IPv4 address literal (names through the system resolver).

    >>> resolve_ipv4("192.0.2.10")
    '192.0.2.10'
    """
    try:
        return str(ipaddress.IPv4Address(host))
    except ValueError:
        pass
    if ":" in host:
        raise NetworkError(f"{host}: TCP by hand speaks IPv4 only")
    try:
        return socket.gethostbyname(host)
    except (OSError, UnicodeError) as exc:
        raise NetworkError(f"cannot resolve {host!r}: {exc}") from None


def nft_tables() -> list[str]:
    """The names of the nftables tables of the ``inet`` and ``ip6`` families (where the
    sessions put theirs) in this network namespace."""
    out = _nft(["list", "tables"], check=True)
    return [
        line.split()[-1]
        for line in out.splitlines()
        if line.startswith(("table inet ", "table ip6 "))
    ]


def _nft(args: list[str], stdin: str | None = None, check: bool = True) -> str:
    try:
        done = subprocess.run(
            ["nft", *args], input=stdin, capture_output=True, text=True, timeout=10
        )
    except FileNotFoundError:
        raise PaquetError(
            "nft (nftables) is not installed: it is needed to silence the kernel's RST"
        ) from None
    if check and done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["failed"])[-1]
        if "Operation not permitted" in message:
            raise PrivilegeError("nftables needs CAP_NET_ADMIN: run as root (sudo)")
        raise PaquetError(f"nft {' '.join(args[:2])}: {message}")
    return done.stdout


class _RstGuard:
    """An nftables table that drops the kernel's RST for one flow, removed on exit: an
    ``inet`` table matching ``ip`` addresses, or an ``ip6`` table for an IPv6 flow."""

    def __init__(self, src: str, sport: int, dst: str, dport: int, version: int = 4) -> None:
        self.name = f"{TABLE_PREFIX}{os.getpid()}_{next(_counter)}"
        self.family, match = ("ip6", "ip6") if version == 6 else ("inet", "ip")
        self.rule = (
            f"{match} saddr {src} {match} daddr {dst} tcp sport {sport} tcp dport {dport} "
            "tcp flags & rst == rst drop"
        )
        self.installed = False

    def install(self) -> None:
        script = (
            f"table {self.family} {self.name} {{\n"
            "  chain out {\n"
            "    type filter hook output priority -300; policy accept;\n"
            f"    {self.rule}\n"
            "  }\n"
            "}\n"
        )
        # Marked first: a signal that lands while nft runs must still lead to the removal.
        self.installed = True
        _nft(["-f", "-"], stdin=script)

    def remove(self) -> None:
        if self.installed:
            _nft(["delete", "table", self.family, self.name], check=False)
            self.installed = False


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While inside, SIGTERM raises SystemExit (and SIGINT KeyboardInterrupt), so ``finally``
    blocks run and the nftables table goes away; the previous handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    def on_int(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    old_term = signal.signal(signal.SIGTERM, on_term)
    old_int = signal.signal(signal.SIGINT, on_int)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


@dataclass
class _State:
    iss: int = 0
    irs: int = 0
    snd_nxt: int = 0
    snd_una: int = 0
    rcv_nxt: int = 0
    established: bool = False
    fin_sent: bool = False
    peer_fin: bool = False
    received: bytearray = field(default_factory=bytearray)


class TCPHandshake:
    """A TCP connection played by hand from raw packets (IPv4 or IPv6), as a context manager.

    ``dst`` is an address (IPv4 or IPv6) or a name, ``dport`` the server's port, ``sport``
    ours (random between 20000 and 59999 when None), ``timeout`` how long to wait for each
    answer and ``retries`` how many times an unanswered segment is sent again. Entering
    installs the nftables rule that silences the kernel's RST for this flow and starts
    listening; leaving removes both, whatever happened. :meth:`connect`, :meth:`send`, :meth:`recv`,
    :meth:`close` play the session; :attr:`segments` logs every segment.
    """

    def __init__(
        self,
        dst: str,
        dport: int,
        sport: int | None = None,
        *,
        timeout: float = 2.0,
        retries: int = 2,
        window: int = 64240,
    ) -> None:
        if not 0 < dport < 65536:
            raise PaquetError(f"port {dport} outside 1..65535")
        if sport is not None and not 0 < sport < 65536:
            raise PaquetError(f"source port {sport} outside 1..65535")
        check_seconds("timeout", timeout, low=0.1)
        check_count("retries", retries, low=0, high=100)
        self.dst, self.version = resolve_address(dst)
        self.dport = dport
        self.sport = sport if sport is not None else random.randint(20000, 59999)
        self.timeout = timeout
        self.retries = retries
        self.window = window
        self.src = ""
        self.iface = ""
        # What we announce (set from the interface's MTU on entering) and what we send: the
        # smaller of ours and the server's, RFC 9293's 536 (IPv6: 1220) until the SYN/ACK.
        self.our_mss = 1460 if self.version == 4 else 1440
        self.mss = 536 if self.version == 4 else 1220
        self.segments: list[Segment] = []
        self.state = _State()
        self._guard: _RstGuard | None = None
        self._sniffer: Any = None
        self._inbox: queue.Queue[Any] = queue.Queue()
        self._stack: contextlib.ExitStack | None = None

    # ------------------------------------------------------------------ lifetime

    @property
    def table(self) -> str | None:
        """The name of the nftables table that silences the kernel (None outside the session)."""
        return self._guard.name if self._guard is not None and self._guard.installed else None

    def __enter__(self) -> TCPHandshake:
        from paquet.net.netlink import link
        from paquet.net.route import get_route
        from paquet.net.sniff import AsyncSniffer

        if os.geteuid() != 0:
            raise PrivilegeError(
                "TCP by hand needs root (raw sockets and an nftables rule): run with sudo"
            )
        route = get_route(self.dst, self.version)
        if route.src is None:
            raise NetworkError(f"no source address to reach {self.dst}")
        self.src, self.iface = route.src, route.ifname
        # The largest segment that fits the path's first link without fragmenting (at least
        # what the minimum MTU allows: 576 bytes for IPv4, 1280 for IPv6).
        headers, floor = (40, 536) if self.version == 4 else (60, 1220)
        self.our_mss = max(min(link(self.iface).mtu - headers, 65535 - headers), floor)
        stack = contextlib.ExitStack()
        stack.enter_context(_signals_raise())
        try:
            guard = _RstGuard(self.src, self.sport, self.dst, self.dport, self.version)
            stack.callback(guard.remove)
            guard.install()
            self._guard = guard
            sniffer = AsyncSniffer(
                iface=self.iface,
                filter=(
                    f"tcp and src host {self.dst} and src port {self.dport} "
                    f"and dst host {self.src} and dst port {self.sport}"
                ),
                prn=self._inbox.put,
                store=False,
                quiet=True,
            )
            sniffer.start()
            self._sniffer = sniffer
            stack.callback(self._stop_sniffer)
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        return self

    def _stop_sniffer(self) -> None:
        if self._sniffer is not None:
            with contextlib.suppress(PaquetError):
                self._sniffer.stop()
            self._sniffer = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._stack is not None:
            stack, self._stack = self._stack, None
            stack.close()
            st = self.state
            if st.established and not st.fin_sent:
                # Left open (an exception, Ctrl-C): reset it, so the server does not keep a
                # half-open connection. Sent once our rule is gone, or it would drop this RST.
                st.established = False
                with contextlib.suppress(PaquetError, OSError):
                    self._emit("R", st.snd_nxt, 0, note="RST (session abandoned)")

    # ------------------------------------------------------------------ wire

    def _record(
        self, direction: str, flags: int, seq: int, ack: int, window: int, data: bytes, note: str
    ) -> Segment:
        st = self.state
        if direction == "out":
            src, sport, dst, dport = self.src, self.sport, self.dst, self.dport
            rel_seq, rel_ack = (seq - st.iss) % 2**32, (ack - st.irs) % 2**32 if ack else 0
        else:
            src, sport, dst, dport = self.dst, self.dport, self.src, self.sport
            rel_seq = (seq - st.irs) % 2**32
            rel_ack = (ack - st.iss) % 2**32
        names = flag_names(flags)
        if "A" not in names:
            rel_ack = 0
        seg = Segment(
            direction,
            src,
            sport,
            dst,
            dport,
            names,
            seq,
            ack,
            rel_seq,
            rel_ack,
            window,
            data,
            time.time(),
            note,
        )
        self.segments.append(seg)
        return seg

    def _emit(self, flags: str, seq: int, ack: int, data: bytes = b"", note: str = "") -> Segment:
        from paquet.layers import IP, TCP, IPv6, Raw
        from paquet.net.sendrecv import send

        ip = IP if self.version == 4 else IPv6
        pkt = ip(src=self.src, dst=self.dst) / TCP(
            sport=self.sport,
            dport=self.dport,
            flags=flags,
            seq=seq,
            ack=ack,
            window=self.window,
            options=[("MSS", self.our_mss)] if flags == "S" else [],
        )
        if data:
            pkt = pkt / Raw(load=data)
        send(pkt, verbose=0)
        bits = sum(1 << FLAG_LETTERS.index(c) for c in flags)
        return self._record("out", bits, seq, ack, self.window, data, note)

    def _next(self, deadline: float) -> Any:
        """The next segment from the server, or None at ``deadline``."""
        from paquet.layers import TCP

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                pkt = self._inbox.get(timeout=left)
            except queue.Empty:
                return None
            tcp = pkt.getlayer(TCP)
            if tcp is not None:
                return tcp

    def _absorb(self, tcp: Any) -> Segment:
        """Take a received segment into the state; acknowledge its data or FIN."""
        st = self.state
        flags = int(tcp.flags)
        data = bytes(tcp.payload.load) if hasattr(tcp.payload, "load") else b""
        names = flag_names(flags)
        note = ""
        if "R" in names:
            note = "RST"
        elif "S" in names and "A" in names:
            note = "SYN/ACK"
        elif st.established:
            parts = []
            if "A" in names and tcp.ack != st.snd_una:
                acked = (tcp.ack - st.snd_una) % 2**32
                if 0 < acked <= (st.snd_nxt - st.snd_una) % 2**32:
                    parts.append(
                        f"ACK of {acked} byte{'s' if acked > 1 else ''}"
                        if not (st.fin_sent and tcp.ack == st.snd_nxt and acked == 1)
                        else "ACK of our FIN"
                    )
                    st.snd_una = tcp.ack
            if data:
                parts.append("data")
            if "F" in names:
                parts.append("FIN")
            note = ", ".join(parts) or ("ACK" if "A" in names else "")
        seg = self._record("in", flags, tcp.seq, tcp.ack, int(tcp.window), data, note)
        if st.established and "R" not in names:
            advance = False
            if data and tcp.seq == st.rcv_nxt:
                st.received += data
                st.rcv_nxt = (st.rcv_nxt + len(data)) % 2**32
                advance = True
            if "F" in names and (tcp.seq + len(data)) % 2**32 == st.rcv_nxt and not st.peer_fin:
                st.peer_fin = True
                st.rcv_nxt = (st.rcv_nxt + 1) % 2**32
                advance = True
            if advance or (data and tcp.seq != st.rcv_nxt):
                what = "ACK of their FIN" if "F" in names and advance else "ACK"
                self._emit("A", st.snd_nxt, st.rcv_nxt, note=what)
        return seg

    # ------------------------------------------------------------------ the session

    def _require(self, established: bool = True) -> None:
        if self._stack is None:
            raise TCPHandshakeError("use the session inside `with TCPHandshake(...) as s:`")
        if established and not self.state.established:
            raise TCPHandshakeError("the session is not established: call connect() first")

    def connect(self) -> Segment:
        """The three-way handshake: SYN, the server's SYN/ACK, our ACK. Returns the SYN/ACK.

        Raises :class:`TCPHandshakeError` on a RST (port closed) or when nothing answers.
        """
        self._require(established=False)
        st = self.state
        if st.established:
            raise TCPHandshakeError("the session is already established")
        st.iss = random.getrandbits(32)
        for attempt in range(self.retries + 1):
            self._emit("S", st.iss, 0, note="SYN" if attempt == 0 else "SYN (again)")
            deadline = time.monotonic() + self.timeout
            while (tcp := self._next(deadline)) is not None:
                names = flag_names(int(tcp.flags))
                if "R" in names and tcp.ack == (st.iss + 1) % 2**32:
                    self._absorb(tcp)
                    raise TCPHandshakeError(
                        f"{endpoint(self.dst, self.dport)} answered RST: the port is closed"
                    )
                if "S" in names and "A" in names and tcp.ack == (st.iss + 1) % 2**32:
                    st.irs = tcp.seq
                    for kind, value in tcp.options or []:
                        if kind == "MSS" and isinstance(value, int) and value > 0:
                            self.mss = min(value, self.our_mss)
                    synack = self._absorb(tcp)
                    st.snd_nxt = st.snd_una = (st.iss + 1) % 2**32
                    st.rcv_nxt = (tcp.seq + 1) % 2**32
                    st.established = True
                    self._emit("A", st.snd_nxt, st.rcv_nxt, note="ACK (connected)")
                    return synack
                self._absorb(tcp)
        raise TCPHandshakeError(
            f"no SYN/ACK from {endpoint(self.dst, self.dport)} after {self.retries + 1} SYN "
            f"({self.timeout:g} s each): filtered or down"
        )

    def send(self, data: bytes | str) -> Segment:
        """Send ``data`` (text is encoded as UTF-8) in segments of at most the server's MSS
        (PSH+ACK), each one awaiting its acknowledgement; return the last acknowledgement.
        Data the server sends meanwhile is acknowledged and kept for :meth:`recv`."""
        self._require()
        payload = data.encode() if isinstance(data, str) else bytes(data)
        if not payload:
            raise TCPHandshakeError("nothing to send")
        if self.state.fin_sent:
            raise TCPHandshakeError("the session is closing: no more data can be sent")
        ack: Segment | None = None
        for start in range(0, len(payload), self.mss):
            ack = self._send_segment(payload[start : start + self.mss])
        assert ack is not None
        return ack

    def _send_segment(self, payload: bytes) -> Segment:
        st = self.state
        seq = st.snd_nxt
        st.snd_nxt = (seq + len(payload)) % 2**32
        for attempt in range(self.retries + 1):
            self._emit(
                "PA", seq, st.rcv_nxt, payload, note="data" if attempt == 0 else "data (again)"
            )
            deadline = time.monotonic() + self.timeout
            while (tcp := self._next(deadline)) is not None:
                seg = self._absorb(tcp)
                if "R" in seg.flags:
                    raise TCPHandshakeError(
                        f"{endpoint(self.dst, self.dport)} reset the connection"
                    )
                if "A" in seg.flags and (tcp.ack - st.snd_nxt) % 2**32 < 2**31:
                    return seg
        raise TCPHandshakeError(f"no acknowledgement of {len(payload)} bytes from {self.dst}")

    def recv(self, timeout: float | None = None) -> bytes:
        """The data the server sent (already received, or arriving within ``timeout``
        seconds, default the session's), each segment acknowledged; ``b""`` when none came."""
        self._require()
        st = self.state
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while not st.received and not st.peer_fin:
            tcp = self._next(deadline)
            if tcp is None:
                break
            seg = self._absorb(tcp)
            if "R" in seg.flags:
                raise TCPHandshakeError(f"{endpoint(self.dst, self.dport)} reset the connection")
        # Whatever else is already queued (a few more segments of the same answer).
        while True:
            tcp = self._next(time.monotonic() + 0.05)
            if tcp is None:
                break
            self._absorb(tcp)
        data = bytes(st.received)
        st.received.clear()
        return data

    def close(self) -> Segment | None:
        """Close: our FIN, the server's ACK and FIN, our last ACK. Returns the server's FIN
        (None if it did not close its side in time; our FIN was acknowledged or not)."""
        self._require()
        st = self.state
        if st.fin_sent:
            raise TCPHandshakeError("the session is already closed")
        fin_seq = st.snd_nxt
        st.fin_sent = True
        st.snd_nxt = (fin_seq + 1) % 2**32
        their_fin: Segment | None = None
        for attempt in range(self.retries + 1):
            self._emit("FA", fin_seq, st.rcv_nxt, note="FIN" if attempt == 0 else "FIN (again)")
            deadline = time.monotonic() + self.timeout
            while (tcp := self._next(deadline)) is not None:
                seg = self._absorb(tcp)
                if "R" in seg.flags:
                    st.established = False
                    return None
                if "F" in seg.flags:
                    their_fin = seg
                if st.snd_una == st.snd_nxt and their_fin is not None:
                    st.established = False
                    return their_fin
            if st.snd_una == st.snd_nxt:
                break
        st.established = False
        return their_fin

    @property
    def received(self) -> bytes:
        """Every byte the server sent over the session, in order (what :meth:`recv` returned
        and what it has not returned yet)."""
        return b"".join(s.data for s in self.segments if s.direction == "in")


def run_session(
    dst: str,
    dport: int,
    data: bytes | None = None,
    sport: int | None = None,
    timeout: float = 2.0,
) -> tuple[list[Segment], bytes]:
    """Connect, send ``data`` (if any), read the answer, close: the segments and the answer.

    The function behind ``paquet tcp``; picklable arguments and result, so a lab node can run it.
    """
    with TCPHandshake(dst, dport, sport, timeout=timeout) as session:
        try:
            session.connect()
            answer = b""
            if data:
                session.send(data)
                answer = session.recv(timeout=min(timeout, 1.0))
            session.close()
        except TCPHandshakeError as exc:
            exc.segments = list(session.segments)
            raise
    return session.segments, answer
