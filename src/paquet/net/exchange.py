"""The exchange engine of ``sr``: send probes through a channel, match the answers that come back.

:func:`sndrcv` runs it on a socket given by the caller, :func:`stream_sr` pairs the probes and
answers of a stream; :mod:`paquet.net.sendrecv` (Scapy's ``sr``, ``srp``, ``asr`` ...) opens the
sockets and runs it, and the sockets' own ``sr``/``sr1`` methods call it. It knows the sockets
only by what they do (duck typing: ``send_bytes``, ``layer``, ``close``, and ``_receiver`` for
those that receive through a packet socket), so it imports none of :mod:`paquet.net.sockets`,
which imports it.

How a run goes is told in :mod:`paquet.net.sendrecv` and net/README.md ("How ``sr`` works").
"""

from __future__ import annotations

import functools
import select
import socket
import sys
import time
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from paquet.errors import NetworkError
from paquet.net.frames import IP_ETHERTYPES, MTU, decode_frame, decode_l3, expand, recv_packet
from paquet.net.netlink import pinned_netns
from paquet.net.settings import settings
from paquet.plist import PacketList, QueryAnswer, SndRcvList

__all__ = ["STREAM_LAYER", "QueryAnswer", "SndRcvList", "sndrcv", "stream_sr"]

STREAM_LAYER = 7
"""The ``layer`` of a stream socket (:class:`~paquet.net.sockets.StreamSocket`): :func:`sndrcv`
hands such a socket to :func:`stream_sr`."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _pinned(func: _F) -> _F:
    """Run ``func`` with the network namespace read once (route caches stay cheap)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with pinned_netns():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _verbosity(verbose: int | bool | None) -> int:
    return int(settings.verb if verbose is None else verbose)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _above_ip(pkt: Any) -> Any:
    """The layer above the first IP/IPv6 layer of ``pkt`` (None when there is none)."""
    layer = pkt
    for _ in range(8):
        if not layer:
            return None
        if type(layer).__name__ in ("IP", "IPv6"):
            above = layer.payload
            return above if above else None
        layer = getattr(layer, "payload", None)
    return None


def _wildcards(raws: list[bytes], layer: int) -> list[int]:
    """Indexes of probes sent to broadcast or multicast addresses (all if checkIPaddr is off)."""
    from paquet.net.route import get_route

    if not settings.checkIPaddr:
        return list(range(len(raws)))
    out = []
    kinds: dict[bytes, bool] = {}
    for i, data in enumerate(raws):
        if layer == 2:
            if data[12:14] not in IP_ETHERTYPES:
                continue
            data = data[14:]
        version = data[0] >> 4 if data else 0
        if version == 4 and len(data) >= 20:
            dst = data[16:20]
        elif version == 6 and len(data) >= 40:
            dst = data[24:40]
        else:
            continue
        wild = kinds.get(dst)
        if wild is None:
            if version == 6:
                wild = dst[0] == 0xFF
            elif dst[0] >= 224 or dst == b"\xff\xff\xff\xff":
                wild = True
            else:
                try:
                    wild = get_route(socket.inet_ntop(socket.AF_INET, dst), 4).kind == "broadcast"
                except NetworkError:
                    wild = False
            kinds[dst] = wild
        if wild:
            out.append(i)
    return out


class _SocketChannel:
    """Send/receive channel over one of our packet sockets (layer 3 or layer 2)."""

    def __init__(self, sock: Any, own: bool) -> None:
        self.sock = sock
        self.own = own
        self.layer = getattr(sock, "layer", 3)

    def prepare(self, raws: list[bytes]) -> None:
        return None

    def receivers(self) -> list[socket.socket]:
        # L3RawSocket and L2Socket (and theirs) receive through a packet socket they open on
        # first use; another socket (a user's) is only sent to.
        receiver = getattr(self.sock, "_receiver", None)
        if receiver is None:
            return []
        rx: socket.socket = receiver()
        rx.setblocking(False)
        return [rx]

    def send_bytes(self, data: bytes) -> int:
        return int(self.sock.send_bytes(data))

    def read(self, sock: socket.socket) -> Generator[tuple[bytes, float, Any], None, None]:
        while True:
            try:
                yield recv_packet(sock, MTU, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return

    def decode(self, data: bytes, addr: Any) -> Any:
        if self.layer == 3:
            return decode_l3(data)
        return decode_frame(data, addr[3] if addr else 1)

    def close(self) -> None:
        if self.own:
            self.sock.close()


class _Exchange:
    """The state of one send-and-match run: probes, hash buckets, answers, counters."""

    def __init__(
        self,
        channel: Any,
        probes: list[Any],
        *,
        timeout: float | None,
        inter: float,
        retry: int,
        multi: bool,
        verbose: int,
        first: bool,
        prn: Callable[[Any], Any] | None = None,
        raws: list[bytes] | None = None,
    ) -> None:
        self.channel = channel
        self.probes = probes
        self.raws = raws if raws is not None else [bytes(p) for p in probes]
        self.own = set(self.raws)
        if getattr(channel, "layer", 3) == 2:
            # On loopback, frames come back with all-zero MACs.
            self.own.update(b"\0" * 12 + raw[12:] for raw in self.raws)
        self.timeout = timeout
        self.inter = inter
        self.retry = retry
        self.multi = multi
        self.verbose = verbose
        self.first = first
        self.prn = prn
        self.buckets: dict[bytes, list[int]] = {}
        for i, probe in enumerate(probes):
            self.buckets.setdefault(probe.hashret(), []).append(i)
        # Probes answered by hosts they do not name (broadcast, multicast; every probe when
        # conf.checkIPaddr is off): matched on what is above IP when no bucket takes a packet.
        self.wildcard = _wildcards(self.raws, getattr(channel, "layer", 3))
        self.answers: list[list[Any]] = [[] for _ in probes]
        self.pairs: list[QueryAnswer] = []
        self.received = 0
        self.unmatched = 0
        self.sent = 0
        self.stop = False
        self.on_answer: Callable[[QueryAnswer], None] | None = None

    @property
    def complete(self) -> bool:
        if self.stop:
            return True
        if self.first and self.pairs:
            return True
        return not self.multi and len(self.pairs) == len(self.probes)

    def send_one(self, i: int) -> None:
        probe = self.probes[i]
        try:  # noqa: SIM105 (hot loop: cheaper than contextlib.suppress)
            probe.sent_time = time.time()
        except (AttributeError, TypeError):
            pass
        self.channel.send_bytes(self.raws[i])
        self.sent += 1

    def drain(self, sock: socket.socket) -> None:
        channel = self.channel
        own = self.own
        decode = channel.decode
        match = self.match
        for data, stamp, addr in channel.read(sock):
            if data in own:
                continue
            self.received += 1
            pkt = decode(data, addr)
            try:  # noqa: SIM105 (hot loop)
                pkt.time = stamp
            except (AttributeError, TypeError):
                pass
            match(pkt)
            if self.complete:
                return

    def match(self, pkt: Any) -> None:
        bucket = self.buckets.get(pkt.hashret())
        if bucket:
            for pos, i in enumerate(bucket):
                probe = self.probes[i]
                if pkt.answers(probe):
                    if not self.multi:
                        del bucket[pos]
                    self._record(i, pkt)
                    return
        if self.wildcard and self._match_wildcard(pkt):
            return
        self.unmatched += 1
        if self.verbose > 1:
            _write(".")

    def _match_wildcard(self, pkt: Any) -> bool:
        above = _above_ip(pkt)
        if above is None:
            return False
        for i in self.wildcard:
            if self.answers[i] and not self.multi:
                continue
            probe_above = _above_ip(self.probes[i])
            if probe_above is not None and above.answers(probe_above):
                self._record(i, pkt)
                return True
        return False

    def _record(self, i: int, pkt: Any) -> None:
        self.answers[i].append(pkt)
        pair = QueryAnswer(self.probes[i], pkt)
        self.pairs.append(pair)
        if self.verbose > 1:
            _write("*")
        if self.prn is not None:
            self.prn(pair)
        if self.on_answer is not None:
            self.on_answer(pair)

    def unanswered(self) -> list[int]:
        return [i for i, got in enumerate(self.answers) if not got]

    def rounds(self) -> Generator[list[int], None, None]:
        """The probes to send in each round (all, then the unanswered ones per ``retry``)."""
        pending = list(range(len(self.probes)))
        autostop = 0
        retry = self.retry
        if retry < 0:
            autostop = retry = -retry
        while True:
            before = len(self.pairs)
            yield pending
            pending = self.unanswered()
            if not pending or self.stop or (self.first and self.pairs):
                return
            if autostop:
                retry = autostop if len(self.pairs) > before else retry - 1
            else:
                retry -= 1
            if retry < 0:
                return

    def begin(self, count: int) -> None:
        if self.verbose:
            _write("Begin emission\n")

    def finished(self, count: int) -> None:
        if self.verbose:
            _write(f"\nFinished sending {count} packets\n")

    def report(self) -> None:
        if self.verbose:
            remaining = len(self.unanswered())
            _write(
                f"\nReceived {self.received} packets, got {len(self.pairs)} answers, "
                f"remaining {remaining} packets\n"
            )

    def results(self) -> tuple[SndRcvList, PacketList]:
        pairs = self.pairs
        if not self.multi:
            order = {id(p): i for i, p in enumerate(self.probes)}
            pairs = sorted(pairs, key=lambda qa: order[id(qa.query)])
        unans = [self.probes[i] for i in self.unanswered()]
        return SndRcvList(pairs), PacketList(unans, name="Unanswered")

    # The synchronous driver: one thread, select() between sends.
    def run(self) -> None:
        self.channel.prepare(self.raws)
        receivers = self.channel.receivers()
        try:
            for batch in self.rounds():
                self._round(batch, receivers)
                if self.complete:
                    break
        except KeyboardInterrupt:
            self.stop = True
            raise

    def _poll(self, receivers: list[socket.socket], wait: float | None) -> None:
        if not receivers:
            if wait:
                time.sleep(wait)
            return
        ready = select.select(receivers, [], [], wait)[0]
        for sock in ready:
            self.drain(sock)

    def _round(self, batch: list[int], receivers: list[socket.socket]) -> None:
        self.begin(len(batch))
        next_at = time.monotonic()
        sent = self.sent
        for n, i in enumerate(batch):
            if self.inter and n:
                next_at += self.inter
                while (left := next_at - time.monotonic()) > 0 and not self.complete:
                    self._poll(receivers, left)
            if self.complete:
                break
            self.send_one(i)
            if (not n & 31 or self.first) and n + 1 < len(batch):
                self._poll(receivers, 0)
        self.finished(self.sent - sent)
        end = None if self.timeout is None else time.monotonic() + max(self.timeout, 0)
        while not self.complete:
            wait = None if end is None else end - time.monotonic()
            if wait is not None and wait <= 0:
                self._poll(receivers, 0)
                break
            self._poll(receivers, wait)

    # The asyncio driver: readers on the event loop, sleeps between sends.
    async def run_async(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        self.channel.prepare(self.raws)
        receivers = self.channel.receivers()
        wake = asyncio.Event()

        def readable(sock: socket.socket) -> None:
            with pinned_netns():
                self.drain(sock)
            wake.set()

        for sock in receivers:
            loop.add_reader(sock.fileno(), readable, sock)
        try:
            for batch in self.rounds():
                self.begin(len(batch))
                sent = self.sent
                for n, i in enumerate(batch):
                    if self.complete:
                        break
                    self.send_one(i)
                    if self.inter:
                        await asyncio.sleep(self.inter)
                    elif not n & 63:
                        await asyncio.sleep(0)
                self.finished(self.sent - sent)
                end = None if self.timeout is None else loop.time() + max(self.timeout, 0)
                while not self.complete:
                    wake.clear()
                    wait = None if end is None else end - loop.time()
                    if wait is not None and wait <= 0:
                        break
                    try:
                        await asyncio.wait_for(wake.wait(), wait)
                    except TimeoutError:
                        break
                if self.complete:
                    break
        finally:
            for sock in receivers:
                loop.remove_reader(sock.fileno())


def _collect(x: Any) -> list[Any]:
    probes = list(expand(x))
    if any(isinstance(p, bytes | bytearray) for p in probes):
        raise NetworkError("sr needs packets (bytes cannot be matched to answers)")
    return probes


@_pinned
def sndrcv(
    pks: Any,
    pkt: Any,
    timeout: float | None = None,
    inter: float = 0,
    verbose: int | bool | None = None,
    chainCC: bool = False,
    retry: int = 0,
    multi: bool = False,
    prn: Callable[[Any], Any] | None = None,
    first: bool = False,
    **_ignored: Any,
) -> tuple[SndRcvList, PacketList]:
    """Send ``pkt`` through the socket ``pks`` and match answers (Scapy's ``sndrcv``)."""
    probes = _collect(pkt)
    if getattr(pks, "layer", None) == STREAM_LAYER:
        return stream_sr(pks, probes, timeout=timeout, verbose=verbose)
    return _exchange(
        _SocketChannel(pks, own=False), probes, None, timeout=timeout, inter=inter,
        verbose=verbose, chainCC=chainCC, retry=retry, multi=multi, prn=prn, first=first,
    )


def _exchange(
    channel: Any,
    probes: list[Any],
    raws: list[bytes] | None,
    *,
    timeout: float | None,
    inter: float,
    verbose: int | bool | None,
    chainCC: bool,
    retry: int,
    multi: bool,
    prn: Callable[[Any], Any] | None,
    first: bool,
) -> tuple[SndRcvList, PacketList]:
    """Send ``probes`` (their bytes ``raws``, None: built here) through ``channel``, match the
    answers and close the channel: the run of :func:`sndrcv`, :func:`sr` and :func:`srp`,
    with their options. Ctrl-C ends it with what was matched so far, unless ``chainCC``."""
    exchange = _Exchange(
        channel,
        probes,
        timeout=timeout,
        inter=inter,
        retry=retry,
        multi=multi,
        verbose=_verbosity(verbose),
        first=first,
        prn=prn,
        raws=raws,
    )
    try:
        exchange.run()
    except KeyboardInterrupt:
        if chainCC:
            raise
    finally:
        channel.close()
    exchange.report()
    return exchange.results()


def stream_sr(
    ss: Any,
    x: Any,
    timeout: float | None = None,
    verbose: int | bool | None = None,
    **_ignored: Any,
) -> tuple[SndRcvList, PacketList]:
    """Send each packet on a stream and pair it with the next data that comes back.

    ``ss`` is a :class:`~paquet.net.sockets.StreamSocket` (its ``send``, ``recv`` and ``sock``).
    """
    verb = _verbosity(verbose)
    probes = _collect(x)
    pairs: list[QueryAnswer] = []
    unanswered: list[Any] = []
    received = 0
    if verb:
        _write("Begin emission\n")
    for probe in probes:
        ss.send(probe)
        ready = select.select([ss.sock], [], [], timeout)[0]
        answer = ss.recv() if ready else None
        if answer is None:
            unanswered.append(probe)
            continue
        received += 1
        pairs.append(QueryAnswer(probe, answer))
        if verb > 1:
            _write("*")
    if verb:
        _write(f"\nFinished sending {len(probes)} packets\n")
        _write(
            f"\nReceived {received} packets, got {len(pairs)} answers, "
            f"remaining {len(unanswered)} packets\n"
        )
    return SndRcvList(pairs), PacketList(unanswered, name="Unanswered")
