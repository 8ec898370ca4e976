"""Live capture (Scapy's ``sniff``, ``AsyncSniffer`` and ``asniff``), on the capture ring of
:mod:`paquet.net.ring`.

``sniff`` returns the packets, ``AsyncSniffer`` is a background capture (``start``, ``stop``,
``results``) and ``asniff`` an async iterator (``async for pkt in asniff(...)``); the three
share one loop (options, counting, stopping) and one engine, ``RingSocket``. A timeout is a
deadline from the call; at the end the ring's remainder is handed on for at most
``FINAL_DRAIN`` (all of it after ``stop()``). ``offline=`` reads capture files instead.

``netns=`` opens the socket inside a named network namespace (``/run/netns/NAME``), so a
process can capture on a lab node's interfaces without entering its namespace.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
import threading
import time
from collections.abc import AsyncGenerator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from paquet.capfile import (
    Decoder,
    RawPacket,
    _set_meta,
    guess_linktype,
)
from paquet.errors import NetworkError, PaquetError
from paquet.net.bpf import BpfProgram, compile_filter
from paquet.net.ring import CaptureStats, RingSocket, _Rings
from paquet.pcap import open_capture
from paquet.plist import PacketList

if TYPE_CHECKING:
    import asyncio

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

# Once a capture reaches its timeout, what the ring holds is handed on for at most this many
# seconds more (after stop(), all of it; after Ctrl-C, none). The clock is read before every
# packet handed to a callback (prn, lfilter, stop_filter, asniff's consumer: their cost is
# unknown), else every 16 packets.
FINAL_DRAIN = 0.02
_CHECK_EVERY = 15


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
    opened_socket: Any

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
        self.interrupted_in_callback = False  # a callback raised KeyboardInterrupt
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
            elif self.opened_socket is not None:
                from paquet.net.sniff_sockets import run_on_sockets

                run_on_sockets(self, ready, deadline)
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
            try:
                if self.handle(decode(rec)):
                    return True
            except KeyboardInterrupt:
                self.interrupted_in_callback = True  # (no record is handed on after it)
                raise
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
                # in a ring block not yet handed over (sniff returns it), as after stop();
                # a callback (prn...) that raised it is not called again: the records after
                # it are discarded, as Scapy's sniff stops at once.
                self.stopping = True
                if self.interrupted_in_callback:
                    rings.stop()
                else:
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
    opened_socket: Any = None,
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
    ``opened_socket`` (a socket, a list, or ``{socket: label}``) captures from sockets already
    open instead (:mod:`paquet.net.sniff_sockets`).
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
        opened_socket=opened_socket,
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
        import asyncio  # loaded already: this runs in its event loop

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
    import asyncio

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
