"""Sniffing sessions (Scapy's ``sniff(session=...)``): packets decoded as a flow, not one by one.

* :class:`DefaultSession` hands each packet on as it is;
* :class:`IPSession` puts IPv4 and IPv6 fragments back together as they arrive (the reassembly
  of :mod:`paquet.reassembly`, overlaps settled by ``policy``, ``"first"`` by default);
* :class:`TCPSession` reassembles TCP streams, each direction on its own: segments out of
  order wait for the hole to be filled, retransmitted and overlapping bytes are taken once
  (the first copy wins, as the receiving stack does), and the contiguous bytes are handed to
  the payload class's ``tcp_reassemble(data, metadata, session)`` (Scapy's hook: it returns a
  packet once the message is whole, or None to wait for more). Scapy's own TCPSession
  appends a retransmitted segment again; this one does not.

A session can be given as a class or an instance (keeping its state across captures)::

    sniff(offline="capture.pcap", session=TCPSession)

>>> s = TCPSession()
>>> ip = IP(src="192.0.2.1", dst="192.0.2.2")
>>> s.process(ip / TCP(sport=1234, dport=80, seq=99, flags="S")).summary()
'IP / TCP 192.0.2.1:1234 > 192.0.2.2:http S'
>>> s.process(ip / TCP(sport=1234, dport=80, seq=105, flags="PA") / b"world") is None
True
>>> s.process(ip / TCP(sport=1234, dport=80, seq=100, flags="A") / b"hello").load
b'helloworld'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from paquet.layers import IP, TCP, IPv6, IPv6ExtHdrFragment, Padding, Raw
from paquet.packet.base import NoPayload, Packet
from paquet.reassembly import FragmentQueue

__all__ = ["DefaultSession", "IPSession", "StringBuffer", "TCPSession", "streamcls"]

#: Datagrams (IPSession) or streams (TCPSession) kept waiting at most; the oldest goes first.
MAX_PENDING = 4096


class DefaultSession:
    """No stream decoding: :meth:`process` returns the packet (Scapy's ``DefaultSession``).

    ``supersession`` (a session or a session class) processes the packets first.

    >>> DefaultSession().process(IP()).summary()
    '127.0.0.1 > 127.0.0.1 hopopt'
    """

    def __init__(self, supersession: Any = None) -> None:
        if supersession is not None and not isinstance(supersession, DefaultSession):
            supersession = supersession()
        self.supersession: DefaultSession | None = supersession

    def process(self, pkt: Any) -> Any:
        """The packet to hand on, or None to hold it back."""
        if self.supersession is not None:
            return self.supersession.process(pkt)
        return pkt

    def recv(self, sock: Any) -> Iterator[Any]:
        """Read one packet from ``sock`` (``sock.recv()``) and yield what :meth:`process`
        makes of it (nothing when it is held back)."""
        pkt = sock.recv()
        if pkt is None:
            return
        out = self.process(pkt)
        if out is not None:
            yield out


def _copy_meta(dst: Packet, src: Packet) -> Packet:
    dst.time = src.time
    for name in ("sniffed_on", "_direction"):  # (Packet.direction reads "_direction")
        if name in src.__dict__:
            dst.__dict__[name] = src.__dict__[name]
    return dst


class IPSession(DefaultSession):
    """Defragment IPv4 and IPv6 packets on the fly (Scapy's ``IPSession``).

    A fragment is held back until its datagram is whole; the whole datagram is then handed on
    (dissected again, with the layers below IP of its first fragment). Fragments may come in
    any order; overlaps are settled by ``policy`` (see :mod:`paquet.reassembly`).

    >>> from paquet import UDP, fragment
    >>> frags = fragment(IP(dst="192.0.2.1") / UDP() / (b"x" * 40), 16)
    >>> s = IPSession()
    >>> [s.process(f) is None for f in frags]
    [True, True, False]
    >>> len(s.process(frags[0]) or b"")   # a lone fragment again: it waits for the others
    0
    """

    def __init__(self, *args: Any, policy: str = "first", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        FragmentQueue(policy)  # an unknown policy: a clear error now
        self.policy = policy
        self.fragments: dict[tuple[Any, ...], tuple[FragmentQueue, list[Packet]]] = {}

    def _queue(self, key: tuple[Any, ...], version: int) -> tuple[FragmentQueue, list[Packet]]:
        entry = self.fragments.get(key)
        if entry is None:
            if len(self.fragments) >= MAX_PENDING:
                del self.fragments[next(iter(self.fragments))]
            entry = self.fragments[key] = (FragmentQueue(self.policy, version=version), [])
        return entry

    def process(self, pkt: Any) -> Any:
        """The packet, or None while its datagram is incomplete, or the whole datagram."""
        pkt = super().process(pkt)
        if not isinstance(pkt, Packet):
            return pkt
        if IP in pkt:
            return self._ipv4(pkt)
        if IPv6ExtHdrFragment in pkt and IPv6 in pkt:
            return self._ipv6(pkt)
        return pkt

    def _ipv4(self, pkt: Packet) -> Packet | None:
        from paquet.fragments import _fraglen, _rebuild

        ip = pkt[IP]
        if not (ip.frag or ip.flags.MF):
            return pkt
        key = (4, ip.id, ip.src, ip.dst, ip.proto)
        queue, kept = self._queue(key, 4)
        before = len(queue.pieces)
        data = bytes(ip.payload)[: max(_fraglen(ip), 0)]
        status = queue.add(ip.frag << 3, data, bool(ip.flags.MF))
        if len(queue.pieces) > before:
            kept.append(pkt)
        if status == "discarded":
            del self.fragments[key]
        elif status == "complete":
            del self.fragments[key]
            head = kept[queue.head or 0]
            if head[IP].proto is None:  # a crafted fragment: its protocol as it goes on the wire
                head = type(head)(bytes(head))
            proto = head[IP].proto
            whole = _rebuild(head, queue.data())
            whole[IP].proto = proto
            return _copy_meta(type(whole)(bytes(whole)), pkt)
        return None

    def _ipv6(self, pkt: Packet) -> Packet | None:
        from paquet.fragments6 import _data, defragment6

        frag = pkt[IPv6ExtHdrFragment]
        ip6 = pkt[IPv6]
        key = (6, frag.id, ip6.src, ip6.dst)
        queue, kept = self._queue(key, 6)
        kept.append(pkt)
        status = queue.add(8 * int(frag.offset or 0), _data(pkt), bool(frag.m))
        if status == "discarded":
            del self.fragments[key]
        elif status == "complete":
            del self.fragments[key]
            whole = defragment6(kept, policy=self.policy)
            if isinstance(whole, Packet):
                return _copy_meta(whole, pkt)
        return None


class StringBuffer:
    """Bytes put in place by their (1-based) position in a stream (Scapy's ``StringBuffer``).

    ``append(data, seq)`` writes ``data`` at ``seq`` (``len(self)`` when None); a gap is filled
    with zero bytes, a position before the start grows the buffer at the front.

    >>> b = StringBuffer()
    >>> b.append(b"cd", 3); b.append(b"ab", 1)
    >>> bytes(b), len(b)
    (b'abcd', 4)
    """

    def __init__(self) -> None:
        self.content = bytearray()
        self.content_len = 0
        self.noff = 0  # how far the start moved before position 1 (<= 0)
        self.incomplete: list[tuple[int, int]] = []

    def append(self, data: bytes, seq: int | None = None) -> None:
        """Write ``data`` at position ``seq`` (1-based; None: at the end)."""
        if not data:
            return
        # seq None: Scapy's rule (position ``len(self)``, which rewrites the last byte when
        # the start never moved), kept so that code written for Scapy sees the same bytes.
        start = (self.content_len if seq is None else seq) - 1 - self.noff
        if start < 0:
            self.content[0:0] = bytes(-start)
            self.noff += start
            start = 0
        end = start + len(data)
        if end > len(self.content):
            self.content.extend(bytes(end - len(self.content)))
        self.content[start:end] = data
        self.content_len = len(self.content)

    def shiftleft(self, i: int) -> None:
        """Drop the first ``i`` bytes."""
        del self.content[:i]
        self.content_len = len(self.content)

    def full(self) -> bool:
        """True when the buffer holds bytes (Scapy's name)."""
        return bool(self.content_len)

    def clear(self) -> None:
        """Empty the buffer."""
        self.__init__()  # type: ignore[misc]

    def __bool__(self) -> bool:
        return bool(self.content_len)

    def __len__(self) -> int:
        return self.content_len

    def __bytes__(self) -> bytes:
        return bytes(self.content)


Reassembler = Callable[[bytes, dict[str, Any], dict[str, Any]], Any]


def streamcls(cls: type[Packet]) -> Reassembler:
    """The function that makes a message of ``cls`` from a stream's bytes: the class's own
    ``tcp_reassemble`` when it has one, otherwise ``cls(data)`` at once (Scapy's)."""
    hook = getattr(cls, "tcp_reassemble", None)
    if hook is not None:
        return hook  # type: ignore[no-any-return]
    return lambda data, *_: cls(data) if data else None


def _tcp_data(tcp: Packet) -> bytes:
    """The bytes a TCP segment carries, without the link layer's padding."""
    pay = tcp.payload
    if isinstance(pay, NoPayload):
        return b""
    if isinstance(pay, Padding):
        # Link padding (a segment without data), or a message's first bytes that its layer
        # dissected as Padding (a TLS record cut short): the IP length tells them apart.
        return bytes(pay.load)[:_segment_data_len(tcp)]
    if isinstance(pay, Raw) and isinstance(pay.payload, NoPayload | Padding):
        return bytes(pay.load)
    data = bytes(pay)
    pad = tcp.getlayer(Padding)
    if pad is not None:
        data = data[: len(data) - len(pad.load)]
    return data


def _segment_data_len(tcp: Packet) -> int:
    """How many data bytes the IP header says the segment carries (0 when unknown)."""
    ip = tcp.underlayer
    hdr = int(tcp.dataofs or 5) * 4
    if isinstance(ip, IP) and ip.len is not None:
        return max(0, int(ip.len) - int(ip.ihl or 5) * 4 - hdr)
    if isinstance(ip, IPv6) and ip.plen is not None:
        return max(0, int(ip.plen) - hdr)
    return 0


def _stream_class(tcp: Packet, pay: Packet) -> type[Packet]:
    """The class whose ``tcp_reassemble`` gets a stream: the first payload's, or, when that
    payload is a message's first bytes only (Padding, as a TLS record cut short dissects),
    the class the TCP bindings give its ports."""
    if not isinstance(pay, Padding):
        return type(pay)
    from paquet.packet.registry import payload_class

    bound = payload_class(type(tcp), tcp.__dict__)
    return bound if bound is not None and hasattr(bound, "tcp_reassemble") else Raw


def _strip_padding(pkt: Any) -> bytes | None:
    """Cut the Padding off a message a hook returned; its bytes (the next message's start)."""
    if isinstance(pkt, Padding):
        return bytes(pkt.load)
    pad = pkt.getlayer(Padding) if isinstance(pkt, Packet) else None
    if pad is not None and pad.underlayer is not None:
        pad.underlayer.remove_payload()
        return bytes(pad.load)
    return None


class _Flow:
    """One direction of a TCP connection: bytes in order, whatever order the segments came in.

    Positions are counted from ``base`` (the sequence number of the first byte, modulo 2**32).
    ``buffer`` holds the in-order bytes not yet taken by a message, from ``consumed`` to
    ``delivered``; ``pending`` the segments beyond a hole, by position.
    """

    __slots__ = ("anchored", "base", "buffer", "consumed", "delivered", "metadata", "pending")

    def __init__(self, base: int, anchored: bool = True) -> None:
        self.base = base
        # Without a SYN, the first segment seen may not be the first of the stream: while no
        # message has been taken, an earlier segment moves the start back (``anchored`` False).
        self.anchored = anchored
        self.buffer = bytearray()
        self.consumed = 0
        self.delivered = 0
        self.pending: dict[int, bytes] = {}
        self.metadata: dict[str, Any] = {}

    def position(self, seq: int) -> int:
        rel = (seq - self.base) & 0xFFFFFFFF
        return rel - (1 << 32) if rel >= 1 << 31 else rel

    def add(self, seq: int, data: bytes) -> list[bytes] | None:
        """Take a segment: None when it brought nothing new (a retransmission), else the
        pieces it put in order, oldest first (none while a hole is before it)."""
        start = self.position(seq)
        end = start + len(data)
        if start < 0 and not self.anchored and not self.consumed:
            self._rebase(-start)
            start, end = 0, len(data)
        if end <= self.delivered:
            return None  # a retransmission of what is already in order
        if start > self.delivered:
            known = self.pending.get(start)
            if known is not None and len(known) >= len(data):
                return None
            self.pending[start] = data
            return []
        pieces = [data[self.delivered - start:]]
        self.delivered = end
        self._merge(pieces)
        for piece in pieces:
            self.buffer += piece
        return pieces

    def _merge(self, pieces: list[bytes]) -> None:
        """Move the pending pieces that now follow on into ``pieces`` (sorted once: a long
        wait behind one hole costs n log n, not n squared)."""
        for first in sorted(self.pending):
            if first > self.delivered:
                break
            piece = self.pending.pop(first)
            if first + len(piece) > self.delivered:
                pieces.append(piece[self.delivered - first:])
                self.delivered = first + len(piece)

    def fill_holes(self) -> None:
        """The stream has ended with holes (segments never captured): fill them with zero
        bytes, as Scapy's StringBuffer does, so that what follows is not lost."""
        while self.pending:
            first = min(self.pending)
            if first > self.delivered:
                self.pending[self.delivered] = bytes(first - self.delivered)
            pieces: list[bytes] = []
            self._merge(pieces)
            for piece in pieces:
                self.buffer += piece

    def _rebase(self, shift: int) -> None:
        """Start the stream ``shift`` bytes earlier: what was in order waits beyond the gap."""
        self.base = (self.base - shift) & 0xFFFFFFFF
        pending = {k + shift: v for k, v in self.pending.items()}
        if self.buffer:
            pending[shift] = bytes(self.buffer)
        self.pending = pending
        self.buffer = bytearray()
        self.delivered = 0


class TCPSession(IPSession):
    """Reassemble TCP streams (Scapy's ``TCPSession``), after IP defragmentation.

    Each direction of each connection is put in order (see :mod:`paquet.net.sessions`); the
    bytes in order go to ``tcp_reassemble(data, metadata, session)`` of the class of the
    first segment's payload (or ``cls(data)``, Raw for bare bytes). When a message comes
    out, the packet that completed it is returned with the message as its TCP payload and its
    ``seq`` set to the message's first byte; bytes the message did not use (its Padding)
    wait for the next one. A segment held back (a hole before it, or a message not yet whole)
    gives None; so does a retransmission of bytes already handed on. Segments without data
    are returned as they are, except a FIN or RST with nothing left to hand on, which gives
    None (as in Scapy). A SYN without data anchors the stream; a SYN carrying data counts as
    data at its ``seq``, as in Scapy (crafted segments keep ``TCP()``'s default "S" flag). A
    packet carrying a message has no ``wirelen`` (it came in several segments). A FIN or
    RST ending a direction with holes still open (segments the capture missed) fills them
    with zero bytes, as Scapy does, and hands the rest on.
    ``metadata`` carries Scapy's keys (``seq``, ``pay_class``, ``tcp_psh``, ``tcp_end``,
    ``original``, ``ident``); ``session`` is a dict shared by both directions of the
    connection.

    ``app=True``: the packets are application data with no TCP (a stream socket's reads),
    appended in order.
    """

    def __init__(self, app: bool = False, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = app
        self.data = StringBuffer()
        self.metadata: dict[str, Any] = {}
        self.session: dict[str, Any] = {}
        self.flows: dict[tuple[Any, ...], _Flow] = {}
        self.tcp_sessions: dict[tuple[Any, ...], dict[str, Any]] = {}

    def _process_app(self, pkt: Any, cls: type[Packet] | None) -> Any:
        self.data.append(bytes(pkt))
        hook = self.metadata.get("tcp_reassemble")
        if hook is None:
            if cls is None and isinstance(pkt, Packet):
                cls = type(pkt)
            if cls is None:
                return None
            hook = self.metadata["tcp_reassemble"] = streamcls(cls)
        if not self.data:
            return None
        msg = hook(bytes(self.data), self.metadata, self.session)
        if msg is None:
            return None
        rest = _strip_padding(msg)
        if rest:
            self.data.shiftleft(len(self.data) - len(rest))
        else:
            self.data.clear()
        self.metadata.clear()
        return None if isinstance(msg, Padding) else msg

    def _flow(self, key: tuple[Any, ...], tcp: Packet, data: bytes) -> _Flow:
        # A SYN without data anchors the stream (a new SYN: a new connection). A SYN with
        # data counts as data at its ``seq``, as in Scapy: crafted segments keep TCP()'s
        # default flags ("S"), and their data follows on from one to the next.
        syn = bool(tcp.flags.S) and not data
        flow = self.flows.get(key)
        if flow is None or (syn and flow.position(tcp.seq + 1) != 0):
            if flow is None and len(self.flows) >= MAX_PENDING:
                old = next(iter(self.flows))
                del self.flows[old]
            base = tcp.seq + 1 if syn else tcp.seq
            flow = self.flows[key] = _Flow(base & 0xFFFFFFFF, anchored=syn)
        return flow

    def process(self, pkt: Any, cls: type[Packet] | None = None) -> Any:
        """The packet, None when held back, or a packet carrying a reassembled message."""
        if self.app:
            return self._process_app(pkt, cls)
        pkt = super().process(pkt)
        if not isinstance(pkt, Packet) or TCP not in pkt:
            return pkt
        tcp = pkt[TCP]
        ip = tcp.underlayer
        src = getattr(ip, "src", None)
        dst = getattr(ip, "dst", None)
        key = (src, dst, tcp.sport, tcp.dport)
        data = _tcp_data(tcp)
        flow = self._flow(key, tcp, data)
        end = bool(tcp.flags.F or tcp.flags.R)
        if not data:
            if not end:
                return pkt
            if not (flow.buffer or flow.pending):
                return None  # a FIN or RST ending a direction with nothing left (Scapy's)
        conn = (frozenset(((src, tcp.sport), (dst, tcp.dport))),)
        meta = flow.metadata
        if data:
            if "pay_class" not in meta and flow.position(tcp.seq) <= flow.delivered:
                pay = tcp.payload
                meta["pay_class"] = _stream_class(tcp, pay)
            if flow.add(tcp.seq, data) is None:
                return None
        if tcp.flags.P:
            meta["tcp_psh"] = True
        if end:
            meta["tcp_end"] = True
            flow.fill_holes()
        if not flow.buffer:
            return None
        pay_class = meta.setdefault("pay_class", Raw)
        hook = meta.get("tcp_reassemble") or meta.setdefault(
            "tcp_reassemble", streamcls(pay_class)
        )
        meta["seq"] = (flow.base + flow.consumed) & 0xFFFFFFFF
        meta["original"] = pkt
        meta["ident"] = key
        shared = self.tcp_sessions.setdefault(conn, {})
        msg = hook(bytes(flow.buffer), meta, shared)
        if msg is None:
            return None
        rest = _strip_padding(msg)
        used = len(flow.buffer) - len(rest or b"")
        del flow.buffer[:used]
        flow.consumed += used
        flow.metadata = {"pay_class": pay_class, "tcp_reassemble": hook}
        if isinstance(msg, Padding):
            return None
        out = pkt.copy()
        otcp = out[TCP]
        otcp.seq = meta["seq"]
        otcp.remove_payload()
        if IP in out:
            out[IP].len = None
            out[IP].chksum = None
        if IPv6 in out:
            out[IPv6].plen = None
        otcp.chksum = None
        out = out / msg
        out = _copy_meta(out, pkt)
        out.wirelen = None  # a packet of several segments: no one length on the wire
        return out
