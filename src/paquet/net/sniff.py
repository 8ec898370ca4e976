"""Live capture: AF_PACKET with a kernel-side filter compiled by libpcap and a TPACKET_V3 ring.

``sniff`` (Scapy's), ``AsyncSniffer`` (a background capture: ``start``, ``stop``, ``results``)
and ``asniff`` (``async for pkt in asniff(...)``) share one engine, ``RingSocket``:

* the socket is opened with protocol 0, so the kernel queues nothing to it; the filter is
  compiled by libpcap (``paquet.net.bpf``) and attached (SO_ATTACH_FILTER) and the ring is
  mapped *before* the socket is bound to ``ETH_P_ALL``: no unfiltered packet can slip in,
  so there is nothing to drain;
* packets land in a memory-mapped PACKET_MMAP TPACKET_V3 ring (32 MiB by default: 128
  blocks of 256 KiB, each handed over when full or after 20 ms), read one block at a time:
  a burst of tens of thousands of packets per second is not lost, and under light traffic the
  ring still absorbs seconds of a reader held up;
* a timeout is a deadline from the call, under any load: the clock is read between packets,
  and at the end the socket is stopped, the ring's remainder handed on for at most
  ``FINAL_DRAIN`` (all of it after ``stop()``: what arrived before the call is not lost) and
  the socket closed in the background;
* every packet the kernel counted (PACKET_STATISTICS, final once the socket is stopped) is
  in ``CaptureStats`` exactly once: captured, dropped by the kernel, loopback duplicate, or
  discarded (left in the ring at the end); kernel drops are reported;
* as libpcap does, packets the loopback device shows twice (outgoing, then incoming) are
  kept once, and VLAN tags the kernel stripped are put back.

``netns=`` opens the socket inside a named network namespace (``/run/netns/NAME``), so a
process can capture on a lab node's interfaces without entering its namespace.

For a named interface the filter is compiled by libpcap on that live interface, exactly as
``tcpdump -i IFACE`` compiles it (with the kernel's extensions: ``vlan 100`` matches tags the
kernel has already moved out of the frame). With ``iface=None`` (every interface) it is
compiled for Ethernet framing, so on a host that also has raw-IP (tun) interfaces, name the
interfaces (``iface=[...]``).
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import inspect
import mmap
import os
import queue
import select
import socket
import struct
import sys
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Self

from paquet.capfile import (
    LINKTYPE_ETHERNET,
    LINKTYPE_RAW,
    Decoder,
    RawPacket,
    _set_meta,
    guess_linktype,
)
from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.net.bpf import BpfProgram, attach_filter, compile_filter, reject_all
from paquet.net.linux import PACKET_OUTGOING, PACKET_STATISTICS, SIOCGIFHWADDR, SOL_PACKET
from paquet.net.netns import enter as enter_netns
from paquet.net.netns import libc
from paquet.numbers import ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_P_ALL, ETH_P_LOOP
from paquet.pcap import open_capture
from paquet.plist import PacketList

__all__ = [
    "FINAL_DRAIN",
    "AsyncSniff",
    "AsyncSniffer",
    "CaptureStats",
    "RingSocket",
    "Sniffed",
    "asniff",
    "sniff",
]

PACKET_ADD_MEMBERSHIP = 1
PACKET_RX_RING = 5
PACKET_VERSION = 10
TPACKET_V3 = 2
PACKET_MR_PROMISC = 1
TP_STATUS_KERNEL = 0
TP_STATUS_USER = 1
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
TPACKET3_HDRLEN = 48  # TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): sockaddr_ll follows
# Once a capture reaches its timeout, what the ring holds is handed on for at most this many
# seconds more (after stop(), all of it; after Ctrl-C, none). The clock is read before every
# packet handed to a callback (prn, lfilter, stop_filter, asniff's consumer: their cost is
# unknown), else every 16 packets.
FINAL_DRAIN = 0.02
_CHECK_EVERY = 15

# ARPHRD (interface hardware type) -> link type of what a SOCK_RAW packet socket returns.
_LINKTYPE_OF_ARPHRD = {
    ARPHRD_ETHER: LINKTYPE_ETHERNET,
    ARPHRD_LOOPBACK: LINKTYPE_ETHERNET,
    0xFFFE: LINKTYPE_RAW,  # ARPHRD_NONE: tun devices, wireguard
    768: LINKTYPE_RAW,  # ARPHRD_TUNNEL (ipip)
    769: LINKTYPE_RAW,  # ARPHRD_TUNNEL6
    776: LINKTYPE_RAW,  # ARPHRD_SIT
    778: LINKTYPE_RAW,  # ARPHRD_IPGRE
}

_tpacket_block = struct.Struct("<III")  # block_status, num_pkts, offset_to_first_pkt (at +8)
_tpacket3_hdr = struct.Struct("<IIIIIIHH")
_vlan = struct.Struct("<IH")  # tp_vlan_tci, tp_vlan_tpid (at +32)
_sll = struct.Struct("<HHiHB")  # family, protocol, ifindex, hatype, pkttype


@dataclass
class CaptureStats:
    """What a capture saw: packets we delivered, and the kernel's own counts.

    ``kernel_received`` counts packets that passed the filter (PACKET_STATISTICS tp_packets of
    TPACKET_V3, read once the socket takes no more packets), ``kernel_dropped`` those the ring
    had no room for; ``duplicates`` the loopback's outgoing copies skipped, ``captured`` what
    the capture handed on, ``discarded`` what the ring held when the capture ended (count,
    timeout, stop) that was never handed on. Every packet is in exactly one of them:
    ``kernel_received == captured + duplicates + kernel_dropped + discarded``.
    """

    captured: int = 0
    kernel_received: int = 0
    kernel_dropped: int = 0
    duplicates: int = 0
    discarded: int = 0

    @property
    def lost(self) -> int:
        """Packets the kernel accepted that the capture never handed on (dropped, discarded)."""
        return self.kernel_dropped + self.discarded

    @property
    def balanced(self) -> bool:
        """Whether every packet the kernel counted is accounted for, exactly once."""
        return self.kernel_received == (
            self.captured + self.duplicates + self.kernel_dropped + self.discarded
        )


class Sniffed(PacketList):
    """The packets a capture returned, with its ``capture_stats``."""

    def __init__(
        self,
        res: Iterable[Any] | None = None,
        name: str = "Sniffed",
        stats: Iterable[Any] | None = None,
        capture_stats: CaptureStats | None = None,
    ) -> None:
        super().__init__(res, name=name, stats=stats)
        self.capture_stats = capture_stats or CaptureStats()


def _in_netns(netns: str | None, func: Callable[[], Any]) -> Any:
    """Run ``func`` inside ``netns`` (in a helper thread, since setns is per thread)."""
    if netns is None:
        return func()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            enter_netns(netns)
            box["value"] = func()
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    t = threading.Thread(target=target, name=f"netns-{netns}")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _bind(sock: socket.socket, protocol: int, ifindex: int) -> int:
    """Bind a packet socket to ``protocol`` on ``ifindex`` (0: every interface); 0 or errno.

    Through libc: Python's ``bind`` for AF_PACKET wants an interface name, not index 0.
    """
    addr = struct.pack("HHiHBB8s", socket.AF_PACKET, socket.htons(protocol), ifindex, 0, 0, 0, b"")
    if libc().bind(sock.fileno(), addr, len(addr)) != 0:
        return int(ctypes.get_errno())
    return 0


def _arphrd(sock: socket.socket, iface: str) -> int:
    ifreq = struct.pack("16s16s", iface.encode()[:15], b"")
    import fcntl

    res = fcntl.ioctl(sock.fileno(), SIOCGIFHWADDR, ifreq)
    return int(struct.unpack_from("H", res, 16)[0])


def _wait_ready(
    fds: Iterable[int], ready: Callable[[], bool], timeout: float | None, wakeup_fd: int | None
) -> bool:
    """Wait up to ``timeout`` seconds (None: no limit) until ``ready()``, polling the ring
    sockets ``fds``; False on timeout or when ``wakeup_fd`` becomes readable (a stop)."""
    if ready():
        return True
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN | select.POLLERR)
    if wakeup_fd is not None:
        poller.register(wakeup_fd, select.POLLIN)
    ms = None if timeout is None else max(0, int(timeout * 1000))
    for fd, _ev in poller.poll(ms):
        if fd == wakeup_fd:
            return False
    return ready()


class RingSocket:
    """A filtered AF_PACKET socket with a TPACKET_V3 receive ring (the capture engine).

    ``iface=None`` captures on every interface. ``filter`` is a tcpdump expression (or a
    compiled ``BpfProgram``). ``read()`` returns the ``RawPacket``s of the blocks the kernel
    has handed over; ``wait(timeout)`` blocks until there is one. ``stop()`` lets no more
    packets in (the kernel's counts are then final, and ``read()`` also returns the block the
    kernel was filling); ``close()`` counts what was left unread as ``stats.discarded``.
    Needs CAP_NET_RAW.
    """

    def __init__(
        self,
        iface: str | None = None,
        filter: str | BpfProgram | None = None,
        *,
        netns: str | None = None,
        promisc: bool = False,
        ring_size: int = 32 << 20,
        block_size: int = 256 << 10,
        block_timeout_ms: int = 20,
    ) -> None:
        if block_size % mmap.PAGESIZE or block_size < 65536 + 4096:
            raise PaquetError(
                f"ring block size {block_size}: a multiple of the page size, at least 68 KiB"
            )
        self.iface = iface
        self.netns = netns
        self.block_size = block_size
        self.block_timeout_ms = block_timeout_ms
        self.block_nr = max(2, ring_size // block_size)
        self.stats = CaptureStats()
        self._block = 0
        self._closed = False
        self._stopped = False
        self._ifindex = 0
        self.sock: socket.socket
        self.linktype = LINKTYPE_ETHERNET
        self.program: BpfProgram | None = None
        self._names: dict[int, str] = {}
        self._loopbacks: set[int] = set()
        _in_netns(netns, lambda: self._setup(filter, promisc, block_timeout_ms))

    def _setup(self, filt: str | BpfProgram | None, promisc: bool, tov: int) -> None:
        try:
            sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        except PermissionError:
            raise PrivilegeError(
                "live capture needs root or CAP_NET_RAW (try sudo, or read a file)"
            ) from None
        try:
            self._configure(sock, filt, promisc, tov)
        except BaseException:
            ring = getattr(self, "ring", None)
            if ring is not None:
                ring.close()
            sock.close()
            raise
        self.sock = sock

    def _configure(
        self, sock: socket.socket, filt: str | BpfProgram | None, promisc: bool, tov: int
    ) -> None:
        ifindex = 0
        for index, name in socket.if_nameindex():
            self._names[index] = name
            try:
                if _arphrd(sock, name) == ARPHRD_LOOPBACK:
                    self._loopbacks.add(index)
            except OSError:
                continue
        if self.iface is not None:
            try:
                ifindex = socket.if_nametoindex(self.iface)
            except OSError:
                where = f" in namespace {self.netns}" if self.netns else ""
                raise NetworkError(f"no interface named {self.iface!r}{where}") from None
            hw = _arphrd(sock, self.iface)
            if hw not in _LINKTYPE_OF_ARPHRD:
                raise NetworkError(
                    f"interface {self.iface!r} has hardware type {hw}, which paquet cannot capture"
                )
            self.linktype = _LINKTYPE_OF_ARPHRD[hw]
        if filt:
            if isinstance(filt, BpfProgram):
                prog = filt
            elif self.iface is not None:
                # As tcpdump -i IFACE: libpcap's live compilation for this interface.
                prog = compile_filter(filt, self.linktype, iface=self.iface)
            else:
                prog = compile_filter(filt, self.linktype)
            self.program = attach_filter(sock, prog)
        sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
        req = struct.pack(
            "IIIIIII",
            self.block_size,
            self.block_nr,
            2048,
            self.block_size // 2048 * self.block_nr,
            tov,
            0,
            0,
        )
        size = self.block_size * self.block_nr
        try:
            sock.setsockopt(SOL_PACKET, PACKET_RX_RING, req)
            self.ring = mmap.mmap(
                sock.fileno(), size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE
            )
        except OSError as exc:
            raise NetworkError(
                f"cannot set up a {size >> 20} MiB capture ring: {exc.strerror or exc}"
            ) from None
        if promisc and ifindex:
            mreq = struct.pack("iHH8s", ifindex, PACKET_MR_PROMISC, 0, b"")
            try:
                sock.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq)
            except OSError as exc:
                raise NetworkError(
                    f"cannot make {self.iface} promiscuous: {exc.strerror}"
                ) from None
        # Only now does the socket receive anything: the filter and the ring are in place.
        self._ifindex = ifindex
        err = _bind(sock, ETH_P_ALL, ifindex)
        if err:
            raise NetworkError(f"cannot bind the capture socket: {os.strerror(err)}")

    def fileno(self) -> int:
        """The socket's descriptor (readable when a block is ready)."""
        return self.sock.fileno()

    def wait(self, timeout: float | None, wakeup_fd: int | None = None) -> bool:
        """Wait up to ``timeout`` seconds for a ready block; False on timeout or wake-up."""
        return _wait_ready([self.sock.fileno()], self._ready, timeout, wakeup_fd)

    def _ready(self) -> bool:
        status, num = struct.unpack_from("<II", self.ring, self._block * self.block_size + 8)
        return bool(status & TP_STATUS_USER or (self._stopped and num))

    def read(self, max_blocks: int | None = None) -> list[RawPacket]:
        """The packets of the blocks ready now (maybe none), at most ``max_blocks`` blocks
        (default: one turn of the ring); the blocks go back to the kernel. Once stopped, the
        block the kernel was filling is read too."""
        out: list[RawPacket] = []
        ring = self.ring
        hdr = _tpacket3_hdr.unpack_from
        sll = _sll.unpack_from
        new = RawPacket.__new__
        names = self._names
        loopbacks = self._loopbacks
        lt = self.linktype
        duplicates = 0
        for _ in range(self.block_nr if max_blocks is None else max_blocks):
            boff = self._block * self.block_size
            status, num, first = _tpacket_block.unpack_from(ring, boff + 8)
            # A block's num_pkts is zeroed when it goes back to the kernel (see below), so
            # the only block the kernel owns with packets in it is the one it is filling;
            # once stopped, nothing writes to it any more and it is read as it is.
            if not status & TP_STATUS_USER and not (self._stopped and num):
                break
            p = boff + first
            for _ in range(num):
                nxt, sec, nsec, snaplen, length, tpstatus, mac, _net = hdr(ring, p)
                _fam, _proto, ifindex, hatype, pkttype = sll(ring, p + TPACKET3_HDRLEN)
                if pkttype == PACKET_OUTGOING and ifindex in loopbacks:
                    duplicates += 1
                    p += nxt
                    continue
                data = ring[p + mac : p + mac + snaplen]
                if tpstatus & TP_STATUS_VLAN_VALID and len(data) >= 12:
                    tci, tpid = _vlan.unpack_from(ring, p + 32)
                    if not tpstatus & TP_STATUS_VLAN_TPID_VALID:
                        tpid = 0x8100
                    data = data[:12] + struct.pack(">HH", tpid, tci & 0xFFFF) + data[12:]
                    length += 4
                rec = new(RawPacket)
                rec.data = data
                rec.ts = sec * 1_000_000_000 + nsec
                rec.tsresol = 1_000_000_000
                rec.linktype = lt if self.iface else _LINKTYPE_OF_ARPHRD.get(hatype, lt)
                rec.wirelen = length
                rec.ifindex = ifindex
                rec.sniffed_on = names.get(ifindex) or f"if{ifindex}"
                rec.comments = None
                rec.flags = None
                rec.direction = 2 if pkttype == PACKET_OUTGOING else 1
                rec.interface = None
                out.append(rec)
                p += nxt
            # num_pkts first: the kernel may reuse the block as soon as its status says so.
            struct.pack_into("<I", ring, boff + 12, 0)
            if status & TP_STATUS_USER:
                struct.pack_into("<I", ring, boff + 8, TP_STATUS_KERNEL)
            self._block = (self._block + 1) % self.block_nr
        self.stats.duplicates += duplicates
        self.stats.captured += len(out)
        return out

    def update_stats(self) -> CaptureStats:
        """Add the kernel's counts since the last call (PACKET_STATISTICS resets them)."""
        if not self._closed:
            raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 12)
            packets, drops, _freeze = struct.unpack("III", raw)
            self.stats.kernel_received += packets
            self.stats.kernel_dropped += drops
        return self.stats

    def stop(self) -> CaptureStats:
        """Let no more packets in; the kernel's counts (returned) are final after it.

        A reject-all filter stops new packets; re-binding the socket away from ETH_P_ALL
        then waits (an RCU grace period, milliseconds) for any packet the kernel was still
        delivering. What the ring holds can still be read.
        """
        if self._stopped or self._closed:
            return self.stats
        self._stopped = True
        reject_all(self.sock)
        # Fails only when the interface is gone, and then nothing can come in any more.
        _bind(self.sock, ETH_P_LOOP, self._ifindex)
        return self.update_stats()

    def unread(self) -> int:
        """How many packets the ring holds that ``read()`` has not returned."""
        bs, ring = self.block_size, self.ring
        return sum(struct.unpack_from("<I", ring, i * bs + 12)[0] for i in range(self.block_nr))

    def close(self, background: bool = False) -> None:
        """Stop, count what is left unread (``stats.discarded``), unmap the ring and close.

        The counts are final when it returns; with ``background``, the socket itself is
        closed by the process's closer thread (closing waits for an RCU grace period and
        frees the ring: tens of milliseconds that a deadline need not wait for).
        """
        if self._closed:
            return
        try:
            self.stop()
            self.stats.discarded += self.unread()
        finally:
            self._closed = True
            if background:
                _close_later(self)
            else:
                self._release()

    def _release(self) -> None:
        try:
            self.ring.close()
        finally:
            self.sock.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_closing: tuple[int, queue.SimpleQueue[RingSocket]] | None = None
_closing_lock = threading.Lock()


def _close_later(sock: RingSocket) -> None:
    """Have ``sock`` closed by this process's closer thread (started on first use)."""
    global _closing
    with _closing_lock:
        if _closing is None or _closing[0] != os.getpid():  # none yet, or a forked child
            todo: queue.SimpleQueue[RingSocket] = queue.SimpleQueue()
            threading.Thread(
                target=_closer, args=(todo,), name="paquet-ring-close", daemon=True
            ).start()
            _closing = (os.getpid(), todo)
        _closing[1].put(sock)


def _closer(todo: queue.SimpleQueue[RingSocket]) -> None:
    """Close the sockets handed over, one after the other (each waits for the kernel)."""
    while True:
        sock = todo.get()
        try:
            sock._release()
        except OSError:  # nothing to do about it: the counts were final before
            continue


class _Rings:
    """Several RingSockets read as one (``iface=["eth0", "eth1"]``, as Scapy accepts)."""

    def __init__(self, sockets: list[RingSocket]) -> None:
        self.sockets = sockets
        self.block_timeout_ms = max(s.block_timeout_ms for s in sockets)

    def fds(self) -> list[int]:
        return [s.fileno() for s in self.sockets]

    def ready(self) -> bool:
        return any(s._ready() for s in self.sockets)

    def wait(self, timeout: float | None, wakeup_fd: int | None = None) -> bool:
        if len(self.sockets) == 1:
            return self.sockets[0].wait(timeout, wakeup_fd)
        return _wait_ready(self.fds(), self.ready, timeout, wakeup_fd)

    def read(self, max_blocks: int | None = None) -> list[RawPacket]:
        out: list[RawPacket] = []
        for s in self.sockets:
            out.extend(s.read(max_blocks))
        if len(self.sockets) > 1:
            out.sort(key=lambda r: r.ts)
        return out

    def stop(self) -> None:
        for s in self.sockets:
            s.stop()

    def close(self, background: bool = False) -> CaptureStats:
        """Close every socket (even when one fails); their counts added up."""
        total = CaptureStats()
        error: BaseException | None = None
        for s in self.sockets:
            try:
                s.close(background)
            except BaseException as exc:  # the others are closed all the same
                error = error or exc
            for name in ("captured", "kernel_received", "kernel_dropped", "duplicates"):
                setattr(total, name, getattr(total, name) + getattr(s.stats, name))
            total.discarded += s.stats.discarded
        if error is not None:
            raise error
        return total


def _offline_records(offline: Any, filter: str | None) -> Iterator[RawPacket | Any]:
    """Records from files or packets given as ``offline``, filtered by libpcap's BPF."""
    sources: list[Any]
    if isinstance(offline, str | os.PathLike) or hasattr(offline, "read"):
        sources = [offline]  # a file name, or a capture file object
    elif (
        isinstance(offline, list | tuple)
        and offline
        and all(isinstance(x, str | os.PathLike) for x in offline)
    ):
        sources = list(offline)
    else:
        sources = [None]
    progs: dict[tuple[int, str], BpfProgram] = {}
    for src in sources:
        items: Iterable[Any]
        if src is None:
            items, byteorder = offline, "little"
        else:
            reader = open_capture(src, raw=True)
            items = reader
        try:
            for item in items:
                if filter:
                    if src is not None:
                        byteorder = reader.byteorder
                    lt = item.linktype if isinstance(item, RawPacket) else guess_linktype(item)
                    prog = progs.get((lt, byteorder))
                    if prog is None:
                        prog = progs[lt, byteorder] = compile_filter(
                            filter, lt, savefile=True, byteorder=byteorder
                        )
                    data = bytes(item)
                    wl = getattr(item, "wirelen", None)
                    if not prog.matches(data, wl if isinstance(wl, int) else None):
                        continue
                yield item
        finally:
            if src is not None:
                reader.close()


def _sniff_options(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """:func:`sniff`'s arguments by name, its defaults filled in: the one list of options of
    sniff, AsyncSniffer and asniff. A wrong argument raises TypeError, as sniff itself does."""
    try:
        bound = _sniff_signature().bind(*args, **kwargs)
    except TypeError as exc:
        raise TypeError(f"sniff() {exc}") from None
    bound.apply_defaults()
    options = bound.arguments
    if options["count"] < 0:
        raise PaquetError(f"count must be 0 (no limit) or positive, not {options['count']}")
    if options["timeout"] is not None and options["timeout"] < 0:
        raise PaquetError(f"timeout must be positive, not {options['timeout']}")
    return options


@functools.cache
def _sniff_signature() -> inspect.Signature:
    return inspect.signature(sniff)


def _open_session(session: Any, raw: bool) -> Any:
    """sniff's ``session``: None, or an instance (a class is instantiated)."""
    if session is None:
        return None
    if raw:
        raise PaquetError("session= needs dissected packets: it cannot go with raw=True")
    return session() if isinstance(session, type) else session


class _Capture:
    """The loop shared by sniff, AsyncSniffer and asniff: options, counting, stopping.

    Takes :func:`sniff`'s arguments (see :func:`_sniff_options`); each is an attribute.
    """

    iface: str | list[str] | None
    filter: str | None
    count: int
    timeout: float | None
    prn: Callable[[Any], Any] | None
    lfilter: Callable[[Any], bool] | None
    store: bool
    stop_filter: Callable[[Any], bool] | None
    offline: Any
    quiet: bool
    started_callback: Callable[[], Any] | None
    netns: str | None
    promisc: bool
    raw: bool
    ring_size: int
    session: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        options = _sniff_options(*args, **kwargs)
        self._decode: Decoder | None = options.pop("decode")
        vars(self).update(options)
        self.session = _open_session(self.session, self.raw)
        self.results = Sniffed()
        self.stats = self.results.capture_stats
        self.socket: RingSocket | None = None
        self._rd, self._wr = os.pipe()
        self._pipe_lock = threading.Lock()
        self.stopping = False
        # Records read from the ring but not handed on when stop() came (take's last batch).
        self.leftover: list[RawPacket] = []
        self.seen = 0
        self.handed = 0  # records taken from the ring and handed on (before lfilter)
        callbacks = (self.prn, self.lfilter, self.stop_filter)
        self.check_every = 0 if any(callbacks) else _CHECK_EVERY

    def decoder(self, exact: bool = False) -> Callable[[RawPacket], Any]:
        """Records to packets; ``exact``: records of a file, timed as rdpcap times them (an
        ``EDecimal`` finer than the microsecond), else floats (live captures, as Scapy's)."""
        if self.raw:
            return lambda rec: rec
        if self._decode is None:
            from paquet.capfile import _default_decoder

            self._decode = _default_decoder()
        dec = self._decode
        if exact:  # a file: DLT_RAW's other numbers (12, 14) are raw IP, as rdpcap reads them
            from paquet.capfile import decode_linktype

            return lambda rec: _set_meta(dec(rec.data, decode_linktype(rec.linktype)), rec, True)
        return lambda rec: _set_meta(dec(rec.data, rec.linktype), rec)

    def wake(self) -> None:
        with self._pipe_lock:
            self.stopping = True
            if self._wr >= 0:
                os.write(self._wr, b"x")

    def close_pipe(self) -> None:
        with self._pipe_lock:
            if self._wr >= 0:
                os.close(self._rd)
                os.close(self._wr)
                self._rd = self._wr = -1

    def handle(self, pkt: Any) -> bool:
        """Deliver one packet; True when the capture must stop."""
        if self.session is not None:
            pkt = self.session.process(pkt)
            if pkt is None:
                return False
        if self.lfilter is not None and not self.lfilter(pkt):
            return False
        self.seen += 1
        if self.store:
            self.results.append(pkt)
        if self.prn is not None:
            out = self.prn(pkt)
            if out is not None:
                print(out, flush=True)
        if self.stop_filter is not None and self.stop_filter(pkt):
            return True
        return bool(self.count and self.seen >= self.count)

    def open(self) -> _Rings:
        ifaces: list[str | None]
        if isinstance(self.iface, list | tuple):
            if not self.iface:
                raise NetworkError("an empty list of interfaces")
            ifaces = list(self.iface)
        else:
            ifaces = [self.iface]
        sockets: list[RingSocket] = []
        try:
            for name in ifaces:
                sockets.append(
                    RingSocket(
                        name,
                        self.filter,
                        netns=self.netns,
                        promisc=self.promisc,
                        ring_size=self.ring_size,
                    )
                )
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        self.socket = sockets[0]
        return _Rings(sockets)

    def run(self, ready: threading.Event | None = None) -> Sniffed:
        """Capture until count, timeout, stop_filter, ``wake()`` or Ctrl-C; the results."""
        # The timeout is a deadline from the call: opening the socket is part of it.
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            if self.offline is not None:
                if ready is not None:
                    ready.set()
                self._run_offline()
            else:
                self._run_live(ready, deadline)
        finally:
            self.close_pipe()
        return self.results

    def _run_offline(self) -> None:
        if self.started_callback is not None:
            self.started_callback()
        decode = self.decoder(exact=True)
        for item in _offline_records(self.offline, self.filter):
            if self.stopping:
                break
            pkt = decode(item) if isinstance(item, RawPacket) else item
            if self.handle(pkt):
                break
        self.stats.captured = self.seen

    def take(
        self,
        records: list[RawPacket],
        decode: Callable[[RawPacket], Any],
        until: float | None,
        watch_stop: bool = True,
    ) -> bool | None:
        """Hand ``records`` on, looking at the clock (and ``stopping``) every few packets.

        True when count or stop_filter ends the capture, None when ``until`` has passed or
        the capture is stopping (the records not handed on then are counted as discarded),
        False when every record was handed on.
        """
        every = self.check_every
        for i, rec in enumerate(records):
            if not i & every and (
                (watch_stop and self.stopping) or (until is not None and time.monotonic() >= until)
            ):
                self.leftover = records[i:]  # stop() hands them on (_drain)
                return None
            self.handed += 1
            if self.handle(decode(rec)):
                return True
        return False

    def _run_live(self, ready: threading.Event | None, deadline: float | None) -> None:
        rings = self.open()
        try:
            if ready is not None:
                ready.set()
            if self.started_callback is not None:
                self.started_callback()
            decode = self.decoder()
            try:
                if not self._capture_until(rings, decode, deadline):
                    self._drain(rings, decode)
            except KeyboardInterrupt:
                # Ctrl-C: the capture ends with what it has, including what the kernel holds
                # in a ring block not yet handed over (sniff returns it), as after stop().
                self.stopping = True
                self._drain(rings, decode)
        finally:
            self.finish(rings)
        if self.stats.kernel_dropped and not self.quiet:
            print(
                f"paquet: warning: the kernel dropped {self.stats.kernel_dropped} packets "
                f"(ring full); use a larger ring_size",
                file=sys.stderr,
            )

    def _capture_until(
        self, rings: _Rings, decode: Callable[[RawPacket], Any], deadline: float | None
    ) -> bool:
        """Read one block at a time until the deadline or a stop; True if count/stop_filter
        ended the capture, False for the deadline or ``wake()`` (Ctrl-C: KeyboardInterrupt)."""
        while not self.stopping:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            if rings.wait(remaining, self._rd) and self.take(rings.read(1), decode, deadline):
                return True
        return False

    def _drain(self, rings: _Rings, decode: Callable[[RawPacket], Any]) -> None:
        """After a timeout: what the kernel had queued is handed on for a short while more
        (under light traffic, all of it); the rest is counted as discarded. After stop(): all
        of it, nothing lost (the ring is closed to new packets first, so this ends: at most one
        ring's worth)."""
        rings.stop()
        until = None if self.stopping else time.monotonic() + FINAL_DRAIN
        leftover, self.leftover = self.leftover, []
        if leftover and self.take(leftover, decode, until, False) is not False:
            return
        while until is None or time.monotonic() < until:
            records = rings.read(1)
            if not records or self.take(records, decode, until, False) is not False:
                return

    def finish(self, rings: _Rings) -> None:
        """Close the sockets and set the capture's counts (read but not handed on: discarded)."""
        total = CaptureStats()
        try:
            total = rings.close(background=True)
        finally:
            self.stats.kernel_received = total.kernel_received
            self.stats.kernel_dropped = total.kernel_dropped
            self.stats.duplicates = total.duplicates
            self.stats.captured = self.handed
            self.stats.discarded = total.discarded + total.captured - self.handed


def sniff(
    iface: str | list[str] | None = None,
    filter: str | None = None,
    count: int = 0,
    timeout: float | None = None,
    prn: Callable[[Any], Any] | None = None,
    lfilter: Callable[[Any], bool] | None = None,
    store: bool = True,
    stop_filter: Callable[[Any], bool] | None = None,
    offline: Any = None,
    quiet: bool = False,
    started_callback: Callable[[], Any] | None = None,
    *,
    netns: str | None = None,
    promisc: bool = False,
    decode: Decoder | None = None,
    raw: bool = False,
    ring_size: int = 32 << 20,
    session: Any = None,
) -> Sniffed:
    """Capture packets (Scapy's ``sniff``); return them as a PacketList (``Sniffed``).

    ``iface`` (default: every interface; a list for several), ``filter`` a tcpdump expression
    run in the kernel, ``count`` packets (0: no limit), ``timeout`` seconds; ``prn(pkt)`` is
    called on each
    packet (its result printed unless None), ``lfilter(pkt)`` keeps packets in Python,
    ``stop_filter(pkt)`` ends the capture, ``store=False`` keeps nothing. ``offline`` reads
    a capture file (or a list of files, or of packets) instead, with ``filter`` applied by
    libpcap. ``raw=True`` yields undissected ``RawPacket`` records. ``timeout`` is a
    deadline from the call, whatever the traffic; Ctrl-C ends the capture and returns what it
    has. The result's ``capture_stats`` accounts for every packet the kernel counted; a kernel
    drop is reported on stderr unless ``quiet``. ``session`` (a class or an instance of
    :mod:`paquet.net.sessions`: ``IPSession``, ``TCPSession``) decodes the packets as a flow.
    """
    cap = _Capture(
        iface,
        filter,
        count,
        timeout,
        prn,
        lfilter,
        store,
        stop_filter,
        offline,
        quiet,
        started_callback,
        netns=netns,
        promisc=promisc,
        decode=decode,
        raw=raw,
        ring_size=ring_size,
        session=session,
    )
    try:
        return cap.run()
    except KeyboardInterrupt:
        return cap.results


class AsyncSniffer:
    """A capture running in a background thread (Scapy's ``AsyncSniffer``).

    Takes ``sniff``'s arguments. ``start()`` returns once the socket is listening (packets
    sent after it are seen); ``stop()`` ends the capture and returns ``results``; ``join()``
    waits for a capture limited by count or timeout. An error in the capture (no privilege,
    no such interface) is raised again by ``start``, ``stop`` or ``join``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.results: Sniffed | None = None
        self.thread: threading.Thread | None = None
        self._capture: _Capture | None = None
        self._error: BaseException | None = None
        self._ready = threading.Event()

    @property
    def running(self) -> bool:
        """Whether the capture thread is alive."""
        return self.thread is not None and self.thread.is_alive()

    def _target(self) -> None:
        assert self._capture is not None
        try:
            self.results = self._capture.run(self._ready)
        except BaseException as exc:  # re-raised in the caller's thread
            self._error = exc
            self.results = self._capture.results
        finally:
            self._ready.set()

    def start(self) -> None:
        """Start capturing; returns once the socket is open and filtering."""
        if self.running:
            raise PaquetError("this sniffer is already running")
        self._capture = _Capture(*self.args, **self.kwargs)
        self._error = None
        self._ready.clear()
        self.thread = threading.Thread(target=self._target, name="paquet-sniffer", daemon=True)
        self.thread.start()
        self._ready.wait()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            raise err

    def stop(self, join: bool = True) -> Sniffed:
        """Stop the capture; return what it captured (waits for the thread unless join=False)."""
        if self._capture is None:
            raise PaquetError("this sniffer was never started")
        self._capture.wake()
        if join:
            self.join()
        return self.results if self.results is not None else self._capture.results

    def join(self, timeout: float | None = None) -> None:
        """Wait for the capture to end (count, timeout, stop_filter or stop())."""
        if self.thread is not None:
            self.thread.join(timeout)
        self._raise()

    @property
    def capture_stats(self) -> CaptureStats:
        """The capture's counts (final once it has stopped)."""
        return self._capture.stats if self._capture is not None else CaptureStats()


def asniff(
    iface: str | list[str] | None = None,
    filter: str | None = None,
    count: int = 0,
    timeout: float | None = None,
    lfilter: Callable[[Any], bool] | None = None,
    stop_filter: Callable[[Any], bool] | None = None,
    *,
    netns: str | None = None,
    promisc: bool = False,
    decode: Decoder | None = None,
    raw: bool = False,
    ring_size: int = 32 << 20,
) -> AsyncSniff:
    """Capture packets from asyncio: ``async for pkt in asniff(iface="eth0", count=10)``.

    The socket is watched by the event loop (no thread); arguments as ``sniff``'s, the
    timeout counted from the first ``__anext__``. The iterator's ``capture_stats`` holds the
    counts once it has ended (or been closed).
    """
    cap = _Capture(
        iface,
        filter,
        count,
        timeout,
        None,
        lfilter,
        False,
        stop_filter,
        netns=netns,
        promisc=promisc,
        decode=decode,
        raw=raw,
        ring_size=ring_size,
    )
    return AsyncSniff(cap)


class AsyncSniff:
    """What :func:`asniff` returns: an async iterator of packets, with ``capture_stats``."""

    def __init__(self, cap: _Capture) -> None:
        self._cap = cap
        self._gen = self._run()

    @property
    def capture_stats(self) -> CaptureStats:
        """The capture's counts (final once the iterator has ended or been closed)."""
        return self._cap.stats

    def __aiter__(self) -> AsyncSniff:
        return self

    def __anext__(self) -> Any:
        return self._gen.__anext__()

    async def aclose(self) -> None:
        """End the capture now (as ``break`` in ``async for`` does)."""
        await self._gen.aclose()

    async def _run(self) -> AsyncGenerator[Any, None]:
        cap = self._cap
        loop = asyncio.get_running_loop()
        deadline = None if cap.timeout is None else time.monotonic() + cap.timeout
        sock = cap.open()
        ready = asyncio.Event()
        for fd in sock.fds():
            loop.add_reader(fd, ready.set)
        decode = cap.decoder()
        until = deadline
        draining = False
        try:
            while True:
                batch = None if draining else await _next_batch(sock, ready, deadline)
                if batch is None:
                    if not draining:  # the deadline: what the ring holds, a short while more
                        sock.stop()
                        draining, until = True, time.monotonic() + FINAL_DRAIN
                    batch = sock.read(1) if time.monotonic() < (until or 0.0) else []
                    if not batch:
                        return
                records = batch
                for rec in records:
                    if until is not None and time.monotonic() >= until:
                        return
                    cap.handed += 1
                    pkt = decode(rec)
                    if cap.lfilter is not None and not cap.lfilter(pkt):
                        continue
                    cap.seen += 1
                    yield pkt
                    if cap.stop_filter is not None and cap.stop_filter(pkt):
                        return
                    if cap.count and cap.seen >= cap.count:
                        return
        finally:
            for fd in sock.fds():
                loop.remove_reader(fd)
            cap.finish(sock)
            cap.close_pipe()


async def _next_batch(
    sock: _Rings, ready: asyncio.Event, deadline: float | None
) -> list[RawPacket] | None:
    """The next block's records, waiting for one in the event loop; None at the deadline."""
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return None
        records = sock.read(1)
        if records:
            return records
        ready.clear()
        if sock.ready():
            continue
        try:
            await asyncio.wait_for(ready.wait(), remaining)
        except TimeoutError:
            return None
