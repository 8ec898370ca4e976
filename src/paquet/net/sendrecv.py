"""Send packets and match their answers: Scapy's send, sendp, sr, sr1, srp, srp1, srloop.

Same signatures and same printed output as Scapy (``Sent 1 packets.``, ``Begin emission`` ...
``Received 1 packets, got 1 answers, remaining 0 packets``), and the same results: ``sr``
returns ``(answered, unanswered)``, a :class:`SndRcvList` of ``(query, answer)`` pairs and a
``PacketList``.

How it works: every probe is built once; a receiving packet socket with a kernel filter is
opened before the first probe leaves; one thread sends and reads in turn (no sender thread),
and each received packet is matched through the layers' pure rules: the bucket of probes with
the same ``hashret()``, then ``answer.answers(probe)``. Each probe is matched at most once (unless
``multi``), to the first unanswered probe it answers, and ``sr1`` returns as soon as its
answer arrives. Without CAP_NET_RAW, ICMP echo requests fall back to the kernel's unprivileged
ICMP sockets where ``net.ipv4.ping_group_range`` allows them.

The exchange engine (:class:`SndRcvList`, :class:`QueryAnswer`, :func:`sndrcv`, the matching)
is in :mod:`paquet.net.exchange`, below the socket classes whose ``sr``/``sr1`` call it; this
module opens the sockets, runs it, and gives its names where Scapy has them.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

from paquet.errors import NetworkError, PrivilegeError
from paquet.net.exchange import (
    QueryAnswer,
    SndRcvList,
    _collect,
    _Exchange,
    _exchange,
    _pinned,
    _SocketChannel,
    _verbosity,
    _write,
    sndrcv,
    stream_sr,  # noqa: F401 (importable from here, as before the engine moved)
)
from paquet.net.frames import decode_l3, expand
from paquet.net.netlink import pinned_netns
from paquet.net.settings import settings
from paquet.net.sockets import ICMPSocket, L2Socket, L3RawSocket
from paquet.number_enums import ICMPType, ICMPv6Type
from paquet.numbers import ETH_P_ALL, ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMP, IPPROTO_ICMPV6
from paquet.plist import PacketList

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "QueryAnswer",
    "SndRcvList",
    "asr",
    "asr1",
    "asrp",
    "asrp1",
    "send",
    "sendp",
    "sndrcv",
    "sr",
    "sr1",
    "srloop",
    "srp",
    "srp1",
    "srploop",
]

# Raw-byte reads below run per probe (sr of thousands): numbers taken once as plain ints.
_ECHO4, _ECHO6 = int(ICMPType.ECHO_REQUEST), int(ICMPv6Type.ECHO_REQUEST)

def _is_echo_request(data: bytes) -> bool:
    """True for an IPv4 ICMP echo request or an IPv6 ICMPv6 echo request, given as bytes."""
    if not data:
        return False
    if data[0] >> 4 == 4 and len(data) >= 28:
        ihl = (data[0] & 0x0F) * 4
        return (data[9] == IPPROTO_ICMP and len(data) >= ihl + 8
                and data[ihl] == _ECHO4)
    if data[0] >> 4 == 6 and len(data) >= 48:
        return data[6] == IPPROTO_ICMPV6 and data[40] == _ECHO6
    return False


def _ping_sockets_can_send(raws: Sequence[bytes | bytearray]) -> bool:
    """True when the kernel's ping sockets may carry ``raws``: echo requests only, and this
    process allowed to open them (the fallback without CAP_NET_RAW)."""
    from paquet.net.privilege import ping_sockets_allowed

    return bool(raws) and all(_is_echo_request(bytes(d)) for d in raws) and ping_sockets_allowed()


class _PingChannel:
    """Send/receive channel over the kernel's ICMP echo sockets (no privilege needed)."""

    layer = 3

    def __init__(self) -> None:
        self.icmp = ICMPSocket()

    MAX_IDENTS = 512

    def prepare(self, raws: list[bytes]) -> None:
        idents = set()
        for data in raws:
            version = data[0] >> 4
            offset = (data[0] & 0x0F) * 4 if version == 4 else 40
            idents.add((version, int.from_bytes(data[offset + 4 : offset + 6], "big")))
        if len(idents) > self.MAX_IDENTS:
            raise PrivilegeError(
                f"without CAP_NET_RAW, echo requests go through one kernel ping socket per "
                f"identifier: {len(idents)} identifiers is more than {self.MAX_IDENTS} "
                f"(vary seq instead of id, or run as root / setcap cap_net_raw+ep)"
            )
        for version, ident in sorted(idents):
            self.icmp.socket_for(version, ident)

    def receivers(self) -> list[socket.socket]:
        return self.icmp.fileno_list()

    def send_bytes(self, data: bytes) -> int:
        return self.icmp.send_bytes(data)

    def read(self, sock: socket.socket) -> Generator[tuple[bytes, float, Any], None, None]:
        while True:
            got = self.icmp.recv_from(sock)
            if got is None:
                return
            yield got[0], got[1], None

    def decode(self, data: bytes, addr: Any) -> Any:
        return decode_l3(data)

    def close(self) -> None:
        self.icmp.close()


def _answer_filter(raws: list[bytes]) -> str | None:
    """A kernel filter for the answers of ``raws``: from their destinations, or ICMP errors.

    Only when there are few destinations and all are unicast (a broadcast or multicast probe
    is answered by hosts it does not name); None means "every inbound IP packet".
    """
    from paquet.net.route import get_route

    dsts: set[tuple[int, str]] = set()
    for data in raws:
        version = data[0] >> 4 if data else 0
        if version == 4 and len(data) >= 20:
            dsts.add((4, socket.inet_ntop(socket.AF_INET, data[16:20])))
        elif version == 6 and len(data) >= 40:
            dsts.add((6, socket.inet_ntop(socket.AF_INET6, data[24:40])))
        else:
            return None
        if len(dsts) > 16:
            return None
    for version, dst in dsts:
        if dst.startswith(("ff", "fe80")) or dst in ("0.0.0.0", "::"):
            return None
        try:
            if get_route(dst, version).kind not in ("unicast", "local"):
                return None
        except NetworkError:
            return None
    hosts = " or ".join(f"src host {dst}" for _v, dst in sorted(dsts))
    return f"{hosts} or icmp or icmp6"


def _layer3_channel(raws: list[bytes], iface: str | None, filter: str | None) -> Any:
    """A raw-socket channel; without privilege, the ping-socket channel when it can do the job."""
    try:
        sock = L3RawSocket(iface=iface, filter=filter or _answer_filter(raws))
    except PrivilegeError:
        if _ping_sockets_can_send(raws):
            return _PingChannel()
        raise
    return _SocketChannel(sock, own=True)


@_pinned
def sr(
    x: Any,
    promisc: bool | None = None,
    filter: str | None = None,
    iface: str | None = None,
    nofilter: int = 0,
    *,
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
    """Send layer-3 packets and receive their answers: ``(answered, unanswered)``.

    ``timeout``: seconds to wait after the last probe (None: until every probe is answered);
    ``retry``: resend unanswered probes this many times (negative: until that many rounds bring
    nothing new); ``inter``: seconds between probes; ``multi``: accept several answers per
    probe; ``iface``: send and listen on this interface only; ``filter``: a tcpdump filter for
    the answers.
    """
    probes = _collect(x)
    channel, raws = _open_channel(probes, 3, iface, filter, nofilter=nofilter)
    return _exchange(
        channel, probes, raws, timeout=timeout, inter=inter, verbose=verbose, chainCC=chainCC,
        retry=retry, multi=multi, prn=prn, first=first,
    )


def sr1(x: Any, *args: Any, **kargs: Any) -> Any:
    """Send layer-3 packets; return the first answer as soon as it arrives, or None."""
    kargs["first"] = True
    ans, _unans = sr(x, *args, **kargs)
    return ans[0][1] if ans else None


def _frame_iface(data: bytes) -> str | None:
    """The interface toward the frame's IP or ARP destination, per the kernel's routes."""
    from paquet.layers import ARP, IP, Ether, IPv6
    from paquet.net.route import get_route

    if len(data) < 14:
        return None
    frame = Ether(data)  # asked once per call (its first frame): the layers read the header
    above = frame.payload
    dst: str | None = None
    version = 4
    if frame.type == ETH_P_ARP and isinstance(above, ARP) and not above.errors:
        dst = above.pdst
    elif frame.type == ETH_P_IP and isinstance(above, IP) and len(data) >= 34:
        dst = above.dst
    elif frame.type == ETH_P_IPV6 and isinstance(above, IPv6) and len(data) >= 54:
        dst, version = above.dst, 6
    if dst is None or dst in ("0.0.0.0", "255.255.255.255", "::"):
        return None
    try:
        route = get_route(dst, version)
    except NetworkError:
        return None
    if route.kind == "local":
        return None
    return route.ifname or None


def _l2_iface(raws: list[bytes], iface: str | None, iface_hint: str | None) -> str:
    if iface:
        return iface
    if iface_hint:
        from paquet.net.route import get_route

        return get_route(iface_hint).ifname
    for data in raws[:1]:
        found = _frame_iface(data)
        if found:
            return found
    return settings.iface


def _open_channel(
    probes: list[Any],
    layer: int,
    iface: str | None,
    filter: str | None,
    iface_hint: str | None = None,
    promisc: bool | None = None,
    nofilter: int = 0,
) -> tuple[Any, list[bytes]]:
    """The channel of :func:`sr` (layer 3) or :func:`srp` (layer 2) for ``probes``, and the
    probes' bytes."""
    raws = [bytes(p) for p in probes]
    if layer == 3:
        return _layer3_channel(raws, iface, None if nofilter else filter), raws
    sock = L2Socket(
        iface=_l2_iface(raws, iface, iface_hint),
        promisc=promisc,
        filter=filter,
        nofilter=nofilter,
    )
    return _SocketChannel(sock, own=True), raws


@_pinned
def srp(
    x: Any,
    promisc: bool | None = None,
    iface: str | None = None,
    iface_hint: str | None = None,
    filter: str | None = None,
    nofilter: int = 0,
    type: int = ETH_P_ALL,
    *,
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
    """Send layer-2 frames and receive their answers: ``(answered, unanswered)``.

    The interface is ``iface``, else the one the kernel routes the frame's IP/ARP destination
    through, else ``conf.iface``. Other arguments as :func:`sr`.
    """
    probes = _collect(x)
    channel, raws = _open_channel(probes, 2, iface, filter, iface_hint, promisc, nofilter)
    return _exchange(
        channel, probes, raws, timeout=timeout, inter=inter, verbose=verbose, chainCC=chainCC,
        retry=retry, multi=multi, prn=prn, first=first,
    )


def srp1(x: Any, *args: Any, **kargs: Any) -> Any:
    """Send layer-2 frames; return the first answer as soon as it arrives, or None."""
    kargs["first"] = True
    ans, _unans = srp(x, *args, **kargs)
    return ans[0][1] if ans else None


def _gen_send(
    sock: Any,
    x: Any,
    inter: float,
    loop: int,
    count: int | None,
    verbose: int | bool | None,
    return_packets: bool,
) -> PacketList | None:
    verb = _verbosity(verbose)
    sent: list[Any] = []
    n = 0
    packets = list(expand(x))
    raws = [p if isinstance(p, bytes | bytearray) else bytes(p) for p in packets]
    rounds = count if count is not None else (-1 if loop else 1)
    try:
        while rounds:
            for pkt, data in zip(packets, raws, strict=True):
                if not isinstance(pkt, bytes | bytearray):
                    with contextlib.suppress(AttributeError, TypeError):
                        pkt.sent_time = time.time()
                sock.send_bytes(bytes(data))
                n += 1
                if verb:
                    _write(".")
                if return_packets:
                    sent.append(pkt)
                if inter:
                    time.sleep(inter)
            rounds -= 1
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if verb:
        _write(f"\nSent {n} packets.\n")
    return PacketList(sent, name="Sent") if return_packets else None


@_pinned
def send(
    x: Any,
    iface: str | None = None,
    *,
    inter: float = 0,
    loop: int = 0,
    count: int | None = None,
    verbose: int | bool | None = None,
    realtime: bool = False,
    return_packets: bool = False,
    socket: Any = None,
    **_ignored: Any,
) -> PacketList | None:
    """Send layer-3 packets (``count`` times, or forever with ``loop``); print ``Sent N packets.``

    Without CAP_NET_RAW, ICMP echo requests go through the kernel's ping sockets when allowed.
    """
    if socket is not None:
        return _gen_send(_Borrowed(socket), x, inter, loop, count, verbose, return_packets)
    packets = list(expand(x))
    if any(_needs_link(p) for p in packets):
        return _send_framed(packets, iface, inter, loop, count, verbose, return_packets)
    raws = [p if isinstance(p, bytes | bytearray) else bytes(p) for p in packets]
    sock: Any = L3RawSocket(iface=iface, listen=False)
    try:
        if raws:
            sock._raw_socket(raws[0][0] >> 4 if raws[0] else 4)
    except PrivilegeError:
        if not _ping_sockets_can_send(raws):
            raise
        sock = _PingChannel()
    return _gen_send(sock, packets, inter, loop, count, verbose, return_packets)


def _needs_link(pkt: Any) -> bool:
    """True for a packet whose first layer is neither IP nor IPv6 (ARP...): a raw IP socket
    cannot carry it, so :func:`send` puts it in an Ethernet frame, as Scapy's layer-3 packet
    socket does."""
    if isinstance(pkt, bytes | bytearray):
        return False
    return type(pkt).__name__ not in ("IP", "IPv6")


def _send_framed(
    packets: list[Any],
    iface: str | None,
    inter: float,
    loop: int,
    count: int | None,
    verbose: int | bool | None,
    return_packets: bool,
) -> PacketList | None:
    """:func:`send` of packets without an IP layer: each in an Ethernet frame (its addresses
    filled as Scapy's ``Ether()/pkt`` does), on the interface routed towards the first;
    ``return_packets`` gives the packets as they were passed, as Scapy does."""
    from paquet.layers import Ether

    frames = [p if isinstance(p, bytes | bytearray) else Ether() / p for p in packets]
    raws = [bytes(f) for f in frames]
    sock = L2Socket(iface=_l2_iface(raws, iface, None), listen=False)
    sent = _gen_send(sock, raws, inter, loop, count, verbose, False)
    if not return_packets:
        return sent
    rounds = count if count is not None else 1
    return PacketList(packets * max(rounds, 1), name="Sent")


@_pinned
def sendp(
    x: Any,
    iface: str | None = None,
    iface_hint: str | None = None,
    *,
    inter: float = 0,
    loop: int = 0,
    count: int | None = None,
    verbose: int | bool | None = None,
    realtime: bool = False,
    return_packets: bool = False,
    socket: Any = None,
    **_ignored: Any,
) -> PacketList | None:
    """Send layer-2 frames on ``iface`` (else the route's interface, else ``conf.iface``)."""
    if socket is not None:
        return _gen_send(_Borrowed(socket), x, inter, loop, count, verbose, return_packets)
    packets = list(expand(x))
    raws = [p if isinstance(p, bytes | bytearray) else bytes(p) for p in packets]
    sock = L2Socket(iface=_l2_iface([bytes(r) for r in raws], iface, iface_hint), listen=False)
    return _gen_send(sock, packets, inter, loop, count, verbose, return_packets)


class _Borrowed:
    """A user's socket used by send/sendp: sent to, never closed."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def send_bytes(self, data: bytes) -> int:
        sender = getattr(self.sock, "send_bytes", None)
        if callable(sender):
            return int(sender(data))
        return int(self.sock.send(data))

    def close(self) -> None:
        return None


class _Default:
    """The default ``prn``/``prnfail`` of the loops (None given means: print nothing)."""

    def __repr__(self) -> str:
        return "<default>"


_DEFAULT: Any = _Default()


def _loop(
    srfunc: Callable[..., tuple[SndRcvList, PacketList]],
    pkts: Any,
    prn: Callable[[Any], Any] | None,
    prnfail: Callable[[Any], Any] | None,
    inter: float,
    timeout: float | None,
    count: int | None,
    verbose: int | bool | None,
    store: bool,
    **kargs: Any,
) -> tuple[SndRcvList, PacketList]:
    verb = _verbosity(verbose)
    answered: list[Any] = []
    unanswered: list[Any] = []
    if timeout is None:
        timeout = min(2 * inter, 5)
    if prn is _DEFAULT:
        prn = _answer_summary
    if prnfail is _DEFAULT:
        prnfail = _probe_summary
    n = sent = received = 0
    try:
        while count is None or n < count:
            n += 1
            start = time.monotonic()
            if verb > 1:
                _write("\rsend...\r ")
            ans, unans = srfunc(pkts, timeout=timeout, verbose=0, chainCC=True, **kargs)
            sent += len(ans) + len(unans)
            received += len(ans)
            if verb > 1:
                _write(_round_lines(ans, unans, prn, prnfail))
            elif verb == 1:
                _write(("*" if ans else "") + ("." if unans else ""))
            if store:
                answered.extend(ans)
                unanswered.extend(unans)
            left = inter - (time.monotonic() - start)
            if left > 0:
                time.sleep(left)
    except KeyboardInterrupt:
        pass
    if verb and sent:
        _write(
            f"\nSent {sent} packets, received {received} packets. "
            f"{received * 100.0 / sent:3.1f}% hits.\n"
        )
    return SndRcvList(answered), PacketList(unanswered, name="Unanswered")


def _answer_summary(pair: Any) -> Any:
    return pair[1].summary()


def _probe_summary(pkt: Any) -> Any:
    return pkt.summary()


def _round_lines(
    ans: SndRcvList,
    unans: PacketList,
    prn: Callable[[Any], Any] | None,
    prnfail: Callable[[Any], Any] | None,
) -> str:
    """What a loop prints for one round at verbose 2 (Scapy's layout, without colours)."""
    out = []
    for label, items, show in (("RECV", ans, prn), ("fail", unans, prnfail)):
        if show and len(items):
            msg = f"{label} {len(items)}:"
            out.append(f"\r{msg} ")
            for item in items:
                out.append(f"{show(item)}\n{' ' * len(msg)} ")
    if not (prn or prnfail):
        out.append(f"recv:{len(ans)}  fail:{len(unans)}\n")
    return "".join(out)


def srloop(
    pkts: Any,
    prn: Callable[[Any], Any] | None = _DEFAULT,
    prnfail: Callable[[Any], Any] | None = _DEFAULT,
    inter: float = 1,
    timeout: float | None = None,
    count: int | None = None,
    verbose: int | bool | None = None,
    store: bool = True,
    **kargs: Any,
) -> tuple[SndRcvList, PacketList]:
    """Send the same layer-3 packets every ``inter`` seconds (``count`` times, or until Ctrl-C).

    Prints, as Scapy does: at verbose 1 a ``*`` for a round with answers and a ``.`` for one
    with probes unanswered; at verbose 2 (and more) ``RECV n:`` with ``prn(pair)`` per answer
    (the answer's summary by default) and ``fail n:`` with ``prnfail(probe)``; then
    ``Sent N packets, received M packets. P% hits.``. Other keywords go to :func:`sr`.
    """
    return _loop(sr, pkts, prn, prnfail, inter, timeout, count, verbose, store, **kargs)


def srploop(
    pkts: Any,
    prn: Callable[[Any], Any] | None = _DEFAULT,
    prnfail: Callable[[Any], Any] | None = _DEFAULT,
    inter: float = 1,
    timeout: float | None = None,
    count: int | None = None,
    verbose: int | bool | None = None,
    store: bool = True,
    **kargs: Any,
) -> tuple[SndRcvList, PacketList]:
    """:func:`srloop` for layer-2 frames (other keywords go to :func:`srp`)."""
    return _loop(srp, pkts, prn, prnfail, inter, timeout, count, verbose, store, **kargs)


# asyncio versions.


def _async_exchange(x: Any, layer: int, kargs: dict[str, Any]) -> _Exchange:
    probes = _collect(x)
    iface = kargs.pop("iface", None)
    bpf = kargs.pop("filter", None)
    hint = kargs.pop("iface_hint", None) if layer == 2 else None
    channel, raws = _open_channel(probes, layer, iface, bpf, hint)
    return _Exchange(
        channel,
        probes,
        timeout=kargs.pop("timeout", None),
        inter=kargs.pop("inter", 0),
        retry=kargs.pop("retry", 0),
        multi=kargs.pop("multi", False),
        verbose=_verbosity(kargs.pop("verbose", 0)),
        first=kargs.pop("first", False),
        prn=kargs.pop("prn", None),
        raws=raws,
    )


class AsyncResults:
    """What :func:`asr` returns: ``async for query, answer in ...`` or ``await`` the lists."""

    def __init__(self, x: Any, layer: int, kargs: dict[str, Any]) -> None:
        self._x = x
        self._layer = layer
        self._kargs = kargs
        self.answered = SndRcvList()
        self.unanswered = PacketList(name="Unanswered")

    async def _run(self, queue: asyncio.Queue[QueryAnswer | None] | None) -> None:
        with pinned_netns():
            exchange = _async_exchange(self._x, self._layer, dict(self._kargs))
        if queue is not None:
            exchange.on_answer = queue.put_nowait
        try:
            await exchange.run_async()
        finally:
            exchange.channel.close()
            self.answered, self.unanswered = exchange.results()
            if queue is not None:
                queue.put_nowait(None)

    def __await__(self) -> Generator[Any, None, tuple[SndRcvList, PacketList]]:
        yield from self._run(None).__await__()
        return self.answered, self.unanswered

    async def __aiter__(self) -> AsyncIterator[QueryAnswer]:
        import asyncio

        queue: asyncio.Queue[QueryAnswer | None] = asyncio.Queue()
        task = asyncio.ensure_future(self._run(queue))
        try:
            while True:
                item = await queue.get()
                if item is None:
                    break
                yield item
            await task
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def asr(x: Any, **kargs: Any) -> AsyncResults:
    """asyncio :func:`sr`: ``async for q, a in asr(...)`` yields answers as they arrive;
    ``ans, unans = await asr(...)`` gives the lists. Verbose is off unless asked."""
    return AsyncResults(x, 3, kargs)


def asrp(x: Any, **kargs: Any) -> AsyncResults:
    """asyncio :func:`srp` (see :func:`asr`)."""
    return AsyncResults(x, 2, kargs)


async def asr1(x: Any, **kargs: Any) -> Any:
    """asyncio :func:`sr1`: ``await asr1(IP(dst=...)/ICMP(), timeout=1)``; None if unanswered."""
    kargs["first"] = True
    ans, _unans = await AsyncResults(x, 3, kargs)
    return ans[0][1] if ans else None


async def asrp1(x: Any, **kargs: Any) -> Any:
    """asyncio :func:`srp1`."""
    kargs["first"] = True
    ans, _unans = await AsyncResults(x, 2, kargs)
    return ans[0][1] if ans else None

