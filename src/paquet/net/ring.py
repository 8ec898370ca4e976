"""The capture engine: a filtered AF_PACKET socket with a TPACKET_V3 receive ring
(:class:`RingSocket`), and what it counts (:class:`CaptureStats`).

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
  ``FINAL_DRAIN`` of :mod:`paquet.net.sniff` (all of it after ``stop()``: what arrived before
  the call is not lost) and the socket closed in the background;
* every packet the kernel counted (PACKET_STATISTICS, final once the socket is stopped) is
  in ``CaptureStats`` exactly once: captured, dropped by the kernel, loopback duplicate, or
  discarded (left in the ring at the end); kernel drops are reported;
* as libpcap does, packets the loopback device shows twice (outgoing, then incoming) are
  kept once, and VLAN tags the kernel stripped are put back.

For a named interface the filter is compiled by libpcap on that live interface, exactly as
``tcpdump -i IFACE`` compiles it (with the kernel's extensions: ``vlan 100`` matches tags the
kernel has already moved out of the frame). With ``iface=None`` (every interface) it is
compiled for Ethernet framing, so on a host that also has raw-IP (tun) interfaces, name the
interfaces (``iface=[...]``).
"""

from __future__ import annotations

import ctypes
import mmap
import os
import queue
import select
import socket
import struct
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Self

from paquet.capfile import (
    LINKTYPE_ETHERNET,
    LINKTYPE_RAW,
    RawPacket,
)
from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.net.bpf import BpfProgram, attach_filter, compile_filter, reject_all
from paquet.net.linux import (
    PACKET_ADD_MEMBERSHIP,
    PACKET_MR_PROMISC,
    PACKET_OUTGOING,
    PACKET_RX_RING,
    PACKET_STATISTICS,
    PACKET_VERSION,
    SIOCGIFHWADDR,
    SOL_PACKET,
    TP_STATUS_KERNEL,
    TP_STATUS_USER,
    TP_STATUS_VLAN_TPID_VALID,
    TP_STATUS_VLAN_VALID,
    TPACKET3_HDRLEN,
    TPACKET_V3,
)
from paquet.net.netns import libc, run_in
from paquet.numbers import ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_P_ALL, ETH_P_LOOP

__all__ = [
    "CaptureStats",
    "RingSocket",
]

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
        run_in(netns, lambda: self._setup(filter, promisc, block_timeout_ms))

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
