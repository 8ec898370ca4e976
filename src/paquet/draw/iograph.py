"""A capture's rate over time, as Wireshark's I/O graph (``paquet read FILE --plot``):
:func:`rates` counts packets and bytes per interval, :func:`rate_text` is its terminal form and
:func:`rate_plot` its picture (matplotlib, through :mod:`paquet.draw.plots`).

Kept apart from :mod:`paquet.draw.plots`, which packet lists import for their own plots: this
module reads capture files, and the capture readers make packet lists.

>>> from paquet.layers import IP, UDP
>>> pkts = [IP(dst="192.0.2.1") / UDP() for _ in range(3)]
>>> for p, t in zip(pkts, (0.0, 0.05, 1.2)):
...     p.time = t
>>> rates(pkts, 1.0)
[(0.0, 2, 56), (1.0, 1, 28)]
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from paquet.draw.plots import pyplot, save
from paquet.errors import PaquetError

__all__ = [
    "INTERVALS",
    "capture_rates",
    "choose_interval",
    "plot_capture",
    "rate_plot",
    "rate_text",
    "rates",
]

#: The intervals a rate plot chooses from (seconds), as Wireshark's I/O graph offers them.
INTERVALS = (0.001, 0.01, 0.1, 1.0, 10.0, 60.0, 600.0)


def _time(pkt: Any) -> float:
    return float(getattr(pkt, "time", 0.0) or 0.0)


def choose_interval(span: float, bins: int = 20) -> float:
    """The largest of :data:`INTERVALS` that cuts ``span`` seconds into at least ``bins``
    intervals (the smallest when none does)."""
    fitting = [i for i in INTERVALS if span / i >= bins]
    return fitting[-1] if fitting else INTERVALS[0]


def rates(packets: Iterable[Any], interval: float | None = None) -> list[tuple[float, int, int]]:
    """``(start, packets, bytes)`` per ``interval`` seconds from the first packet (every
    interval, empty ones too); ``interval`` None chooses one (:func:`choose_interval`)."""
    pkts = list(packets)
    if not pkts:
        return []
    if interval is not None and interval <= 0:
        raise PaquetError(f"the interval is a positive number of seconds, not {interval}")
    times = [_time(p) for p in pkts]
    first = min(times)
    step = interval if interval is not None else choose_interval(max(times) - first)
    count = int((max(times) - first) / step) + 1
    table = [[0, 0] for _ in range(count)]
    for pkt, t in zip(pkts, times, strict=True):
        row = table[min(int((t - first) / step), count - 1)]
        row[0] += 1
        row[1] += len(pkt)
    return [(round(i * step, 9), n, b) for i, (n, b) in enumerate(table)]


def rate_text(series: Sequence[tuple[float, int, int]], width: int = 80) -> str:
    """The rates as text: one line per interval, its packets and bytes and a bar (at most
    ``width`` columns)."""
    if not series:
        return "no packets"
    step = series[1][0] - series[0][0] if len(series) > 1 else 1.0
    top = max(n for _t, n, _b in series) or 1
    head = f"{'time (s)':>10} {'packets':>8} {'bytes':>10}  per {step:g} s"
    room = width - 32
    lines = [head]
    for t, n, b in series:
        bar = "#" * round(room * n / top)
        lines.append(f"{t:>10.3f} {n:>8} {b:>10}  {bar}"[:width].rstrip())
    return "\n".join(lines)


def rate_plot(series: Sequence[tuple[float, int, int]], title: str = "",
              target: str | Path | IO[bytes] | None = None) -> Any:
    """Wireshark's I/O graph of ``series`` (:func:`rates`): packets and bits per second over
    time, two panes sharing the time axis. Saved to ``target`` when given (:func:`save`);
    returns the figure."""
    plt, _inline = pyplot()
    step = series[1][0] - series[0][0] if len(series) > 1 else 1.0
    times = [t for t, _n, _b in series]
    fig, (top, bottom) = plt.subplots(2, 1, sharex=True, figsize=(8, 4.5))
    top.step(times, [n / step for _t, n, _b in series], where="post", color="#0072b2")
    top.set_ylabel("packets/s")
    bottom.step(times, [8 * b / step for _t, _n, b in series], where="post", color="#d55e00")
    bottom.set_ylabel("bits/s")
    bottom.set_xlabel(f"time (s), {step:g} s intervals")
    for ax in (top, bottom):
        ax.grid(True, color="#dddddd")
    if title:
        top.set_title(title)
    fig.tight_layout()
    if target is not None:
        save(target, fig)
    return fig


def capture_rates(source: Any, filt: str | None = None,
                  interval: float | None = None) -> list[tuple[float, int, int]]:
    """:func:`rates` of a capture file (a path or a binary file), its records kept by the
    tcpdump filter ``filt``; bytes are the frames' lengths on the wire, as Wireshark counts."""
    from paquet.net.bpf import SavefileFilter
    from paquet.pcap import open_capture

    frames: list[_Frame] = []
    bpf = SavefileFilter(filt) if filt else None
    with open_capture(source, raw=True) as reader:
        for rec in reader:
            if bpf is not None and not bpf.matches(rec, reader.byteorder):
                continue
            frames.append(_Frame(rec.time, rec.wirelen or len(rec.data)))
    return rates(frames, interval)


class _Frame:
    """A record's time and wire length, as :func:`rates` reads a packet."""

    __slots__ = ("size", "time")

    def __init__(self, time: float, size: int) -> None:
        self.time, self.size = time, size

    def __len__(self) -> int:
        return self.size


def plot_capture(source: Any, filt: str | None = None, target: str | None = None,
                 title: str = "") -> str:
    """``paquet read FILE --plot [--svg F]``: the capture's rates as text (returned), and its
    I/O graph saved to ``target`` when given (without matplotlib: one line on stderr, the
    text still returned); ``title``: the file's name (its directory is left out)."""
    series = capture_rates(source, filt)
    if target is not None and series:
        try:
            rate_plot(series, title=Path(title).name if title else "", target=target)
        except PaquetError as exc:
            print(f"paquet: {exc}: the plot is shown as text", file=sys.stderr)
    return rate_text(series)
