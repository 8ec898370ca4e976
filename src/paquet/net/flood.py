"""Scapy's floods: ``srflood``, ``sr1flood``, ``srpflood``, ``srp1flood``.

A flood sends its packets again and again, as fast as it can (or one every ``inter`` seconds),
until ``timeout`` seconds have passed since it began, or Ctrl-C (``sr1flood`` and
``srp1flood`` stop at their first answer). Every answer is matched to one sending of its
packet, as Scapy does: ``answered`` holds one ``(packet, answer)`` pair per answer, the
``unanswered`` hold the packet once per sending no answer matched (how many depends on
the timing, as in Scapy). It prints Scapy's lines
(``Begin emission``, ``Finished sending N packets``, ``Received ...``).

The same engine as ``sr``: one thread sends and reads in turn (no sender thread), answers are
read between sends (every 32 packets, or while waiting ``inter``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

from paquet.net.exchange import SndRcvList, _collect, _Exchange, _pinned, _verbosity
from paquet.net.sendrecv import _open_channel
from paquet.plist import PacketList

__all__ = ["sr1flood", "srflood", "srp1flood", "srpflood"]


_POSITIONAL = ("inter", "maxretries", "verbose", "chainCC", "timeout")


class _FloodExchange(_Exchange):
    """The exchange of a flood: a packet sent again can be answered again."""

    @property
    def complete(self) -> bool:
        return self.stop or (self.first and bool(self.pairs))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sendings = [0] * len(self.probes)

    def send_one(self, i: int) -> None:
        super().send_one(i)
        self.sendings[i] += 1
        bucket = self.buckets.setdefault(self.probes[i].hashret(), [])
        if i not in bucket:  # answered since its last sending: this one may be answered too
            bucket.append(i)


    def results(self) -> tuple[SndRcvList, PacketList]:
        """The pairs, and (as Scapy) one unanswered entry per sending no answer matched."""
        answered, _unans = super().results()
        left = [p for i, p in enumerate(self.probes)
                for _ in range(self.sendings[i] - len(self.answers[i]))]
        return answered, PacketList(left, name="Unanswered")


def _named(args: tuple[Any, ...], kargs: dict[str, Any]) -> dict[str, Any]:
    """Scapy's positional arguments after ``nofilter`` (those of its ``sndrcvflood``)."""
    if len(args) > len(_POSITIONAL):
        raise TypeError(f"too many positional arguments: {len(args)} after nofilter")
    return {**dict(zip(_POSITIONAL, args, strict=False)), **kargs}


def _flood(
    layer: int,
    x: Any,
    promisc: bool | None,
    filter: str | None,
    iface: str | None,
    nofilter: int | None,
    *,
    iface_hint: str | None = None,
    timeout: float | None = None,
    inter: float = 0,
    maxretries: int | None = None,
    verbose: int | bool | None = None,
    chainCC: bool = False,
    prn: Callable[[Any], Any] | None = None,
    first: bool = False,
    **_ignored: Any,
) -> tuple[SndRcvList, PacketList]:
    probes = _collect(x)
    channel, raws = _open_channel(probes, layer, iface, filter, iface_hint, promisc,
                                  int(nofilter or 0))
    ex = _FloodExchange(channel, probes, timeout=None, inter=inter, retry=0, multi=False,
                   verbose=_verbosity(verbose), first=first, prn=prn, raws=raws)
    deadline = None if timeout is None else time.monotonic() + max(timeout, 0)

    def over() -> bool:
        return ex.complete or (deadline is not None and time.monotonic() >= deadline)

    try:
        channel.prepare(raws)
        receivers = channel.receivers()
        ex.begin(len(probes))
        rounds = 0
        while not over() and not (maxretries and rounds >= maxretries - 1):
            rounds += 1
            for n in range(len(probes)):
                ex.send_one(n)
                if inter:
                    pause = time.monotonic() + inter
                    while (left := pause - time.monotonic()) > 0 and not over():
                        ex._poll(receivers, left)
                elif not n & 31:
                    ex._poll(receivers, 0)
                if over():
                    break
            ex._poll(receivers, 0)
        while not over():  # the rounds are done (maxretries): the answers have until timeout
            ex._poll(receivers, None if deadline is None else deadline - time.monotonic())
    except KeyboardInterrupt:
        if chainCC:
            raise
    finally:
        channel.close()
    ex.finished(ex.sent)
    ex.report()
    _stamp(x, probes)
    return ex.results()


def _stamp(x: Any, probes: list[Any]) -> None:
    """Give the packets the user passed the ``sent_time`` of their last sending, as Scapy."""
    from paquet.net.frames import expand

    items = [x] if hasattr(x, "__bytes__") else list(x) if isinstance(x, list | tuple) else []
    at = 0
    for item in items:
        count = sum(1 for _ in expand(item))
        stamps = [getattr(p, "sent_time", None) for p in probes[at:at + count]]
        at += count
        known = [t for t in stamps if t is not None]
        if known and not isinstance(item, bytes | bytearray):
            with contextlib.suppress(AttributeError, TypeError):
                item.sent_time = max(known)


@_pinned
def srflood(x: Any, promisc: bool | None = None, filter: str | None = None,
            iface: str | None = None, nofilter: int | None = None,
            *args: Any, **kargs: Any) -> tuple[SndRcvList, PacketList]:
    """Flood layer-3 packets and match their answers: ``(answered, unanswered)``.

    Sends until every packet is answered, ``timeout`` (seconds from the start) or Ctrl-C;
    ``inter``: seconds between packets; ``maxretries``: at most ``maxretries - 1`` rounds
    (Scapy's count); ``filter``: a tcpdump filter for the answers.
    """
    return _flood(3, x, promisc, filter, iface, nofilter, **_named(args, kargs))


def sr1flood(x: Any, promisc: bool | None = None, filter: str | None = None,
             nofilter: int = 0, *args: Any, **kargs: Any) -> Any:
    """:func:`srflood` that stops at the first answer and returns it (None without one)."""
    kargs["first"] = True
    ans, _unans = srflood(x, promisc, filter, kargs.pop("iface", None), nofilter, *args,
                          **kargs)
    return ans[0][1] if ans else None


@_pinned
def srpflood(x: Any, promisc: bool | None = None, filter: str | None = None,
             iface: str | None = None, iface_hint: str | None = None,
             nofilter: int | None = None, *args: Any,
             **kargs: Any) -> tuple[SndRcvList, PacketList]:
    """:func:`srflood` for layer-2 frames (on ``iface``, else the interface routed towards
    ``iface_hint`` or the frames' destination)."""
    return _flood(2, x, promisc, filter, iface, nofilter, iface_hint=iface_hint,
                  **_named(args, kargs))


def srp1flood(x: Any, promisc: bool | None = None, filter: str | None = None,
              iface: str | None = None, nofilter: int = 0, *args: Any, **kargs: Any) -> Any:
    """:func:`srpflood` that stops at the first answer and returns it (None without one)."""
    kargs["first"] = True
    ans, _unans = srpflood(x, promisc, filter, iface, None, nofilter, *args, **kargs)
    return ans[0][1] if ans else None
