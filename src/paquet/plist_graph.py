"""The pictures of a :class:`~paquet.plist.PacketList`, as Scapy draws them: ``plot``,
``diffplot``, ``multiplot`` and ``timeskew_graph`` with matplotlib (the optional extra
``paquet[plot]``), ``conversations`` and ``afterglow`` as graphviz DOT graphs.

The graphs are text: without ``format``/``type`` and ``target`` they are returned as DOT
(paste them into any graphviz viewer); with them, ``dot`` renders the picture (see
:func:`paquet.tables.do_graph`). The plots return matplotlib's lines, and show the figure
unless matplotlib draws inline (Jupyter). Without matplotlib, a plot raises a one-line
:class:`~paquet.errors.PaquetError` saying what to install.

>>> from paquet.layers import IP, TCP
>>> from paquet.plist import PacketList
>>> PacketList([IP(src="192.0.2.1", dst="192.0.2.2") / TCP()]).conversations()
'digraph "conv" {\\n\\t "192.0.2.1" -> "192.0.2.2" [label="1"]\\n}\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from paquet.errors import PaquetError
from paquet.tables import do_graph

__all__ = ["PlotsMixin", "pyplot"]

#: The keyword arguments of a plot when none are given (gnuplot's look, as Scapy).
DEFAULT_PLOT_KARGS: dict[str, Any] = {"marker": "+"}


def pyplot() -> tuple[Any, bool]:
    """``(matplotlib.pyplot, inline)``: the module, and whether it draws inline (then the
    figure is not shown with ``plt.show()``). :class:`PaquetError` without matplotlib (see
    :func:`paquet.draw.plots.pyplot`)."""
    from paquet.draw import plots

    return plots.pyplot()


def _args(elt: Any) -> tuple[Any, ...]:
    return tuple(elt) if isinstance(elt, tuple) else (elt,)


def _finish(plt: Any, inline: bool, lines: Any, target: Any = None) -> Any:
    """Save the figure to ``target`` when given, else show it (unless drawn inline)."""
    if target is not None:
        from paquet.draw.plots import save

        save(target)
    elif not inline:
        plt.show()
    return lines


def _field(pkt: Any, layer: str, name: str) -> Any:
    return getattr(pkt[layer], name)


def _default_srcdst(pkt: Any) -> tuple[Any, Any]:
    """The source and destination of a packet: IP, IPv6, then ARP addresses."""
    for layer, src, dst in (("IP", "src", "dst"), ("IPv6", "src", "dst"), ("ARP", "psrc", "pdst")):
        if pkt.haslayer(layer):
            return _field(pkt, layer, src), _field(pkt, layer, dst)
    raise TypeError("no IP, IPv6 or ARP layer")


def _scale(counts: Iterable[int]) -> tuple[int, int]:
    """The (low, high) range node sizes are scaled on (Scapy's: low is 0 when all are equal,
    high at least 1)."""
    values = list(counts)
    low, high = min(values), max(values)
    if low == high:
        low = 0
    if high == 0:
        high = 1
    return low, high


class PlotsMixin:
    """The plots and graphs of :class:`~paquet.plist.PacketList` (its elements and
    ``_elt2pkt``)."""

    def _elt2pkt(self, elt: Any) -> Any:  # the list's own, overridden there
        return elt

    def _elements(self) -> list[Any]:
        out: list[Any] = list(self)  # type: ignore[call-overload]
        return out

    def plot(
        self,
        f: Callable[..., Any],
        lfilter: Callable[..., bool] | None = None,
        plot_xy: bool = False,
        target: Any = None,
        **kargs: Any,
    ) -> Any:
        """Plot ``f(*element)`` for each element (chosen by ``lfilter(*element)``); with
        ``plot_xy``, ``f`` gives ``(x, y)`` points. Returns matplotlib's lines. ``target``
        (a ``.svg`` or ``.png`` file) saves the figure there instead of showing it; the other
        keywords go to ``plt.plot``."""
        values = [f(*_args(e)) for e in self._elements() if lfilter is None or lfilter(*_args(e))]
        plt, inline = pyplot()
        kargs = kargs or dict(DEFAULT_PLOT_KARGS)
        lines = plt.plot(*zip(*values, strict=True), **kargs) if plot_xy else plt.plot(
            values, **kargs
        )
        return _finish(plt, inline, lines, target)

    def diffplot(
        self,
        f: Callable[[Any, Any], Any],
        delay: int = 1,
        lfilter: Callable[[Any], bool] | None = None,
        target: Any = None,
        **kargs: Any,
    ) -> Any:
        """Plot ``f(element[i], element[i + 1])`` for each ``i`` below ``len - delay`` (Scapy
        pairs neighbours whatever ``delay``); ``lfilter(element[i])`` chooses them;
        ``target`` saves the figure (see :meth:`plot`)."""
        if delay < 0:
            raise PaquetError(f"diffplot: delay is a number of elements >= 0, not {delay}")
        res = self._elements()
        values = [
            f(res[i], res[i + 1])
            for i in range(len(res) - delay)
            if lfilter is None or lfilter(res[i])
        ]
        plt, inline = pyplot()
        return _finish(plt, inline, plt.plot(values, **(kargs or dict(DEFAULT_PLOT_KARGS))),
                       target)

    def multiplot(
        self,
        f: Callable[..., tuple[Any, Any]],
        lfilter: Callable[..., bool] | None = None,
        plot_xy: bool = False,
        target: Any = None,
        **kargs: Any,
    ) -> Any:
        """``f(*element)`` gives ``(label, value)``: one line per label, with a legend;
        ``target`` saves the figure (see :meth:`plot`)."""
        series: dict[Any, list[Any]] = {}
        for e in self._elements():
            if lfilter is None or lfilter(*_args(e)):
                label, value = f(*_args(e))
                series.setdefault(label, []).append(value)
        plt, inline = pyplot()
        kargs = kargs or dict(DEFAULT_PLOT_KARGS)
        if plot_xy:
            lines = [
                plt.plot(*zip(*points, strict=True), **dict(kargs, label=k))
                for k, points in series.items()
            ]
        else:
            lines = [plt.plot(points, **dict(kargs, label=k)) for k, points in series.items()]
        plt.legend(loc="center right", bbox_to_anchor=(1.5, 0.5))
        return _finish(plt, inline, lines, target)

    def timeskew_graph(self, ip: str, **kargs: Any) -> Any:
        """Plot the skew between the capture times of ``ip``'s TCP segments and the TCP
        timestamps they carry (their clock's drift); [] when none has a timestamp."""
        points: list[tuple[float, int]] = []
        for e in self._elements():
            pkt = self._elt2pkt(e)
            if not (pkt.haslayer("IP") and pkt.haslayer("TCP") and pkt["IP"].src == ip):
                continue
            for option in pkt["TCP"].options or ():
                if isinstance(option, tuple) and option[0] == "Timestamp":
                    points.append((float(pkt.time), int(option[1][0])))
        if not points:
            return []
        t0, ts0 = points[0]
        data = [(t % 2000, (t - t0) - (ts - ts0) / 1000.0) for t, ts in points]
        plt, inline = pyplot()
        return _finish(plt, inline, plt.plot(data, **(kargs or dict(DEFAULT_PLOT_KARGS))))

    def _packets(self) -> Iterator[Any]:
        for e in self._elements():
            yield self._elt2pkt(e)

    def conversations(
        self,
        getsrcdst: Callable[[Any], tuple[Any, ...]] | None = None,
        weight: str = "packets",
        **kargs: Any,
    ) -> Any:
        """The graph of who talks to whom (IP, IPv6 or ARP addresses, or ``getsrcdst(packet)
        -> (src, dst[, label])``); packets ``getsrcdst`` rejects are left out.

        Returns a :class:`paquet.draw.dot.Graph`: Scapy's DOT text (each edge labelled with
        its packet count, or its labels), which draws itself in a notebook (each edge
        labelled with its packets and bytes, as thick as its share of ``weight``:
        ``"packets"`` or ``"bytes"``) and prints as text (``.text``). With ``target`` (a
        file; ``format``/``type`` or its suffix gives the format), the picture is written
        there (see :func:`paquet.tables.do_graph` for ``prog``, ``options``, ``"|viewer"``).
        """
        from paquet.draw.dot import output
        from paquet.draw.graphs import conversation_graph

        get = getsrcdst or _default_srcdst
        edges: dict[tuple[Any, Any], Any] = {}
        counts: dict[tuple[str, str], tuple[int, int]] = {}
        for pkt in self._packets():
            try:
                c = tuple(get(pkt))
            except Exception:  # as Scapy: a packet getsrcdst cannot read is skipped
                continue
            if len(c) == 3:
                edges.setdefault(c[:2], set()).add(c[2])
            else:
                edges[c[:2]] = edges.get(c[:2], 0) + 1
            key = (str(c[0]), str(c[1]))
            n, size = counts.get(key, (0, 0))
            counts[key] = (n + 1, size + len(pkt))
        lines = ['digraph "conv" {']
        for (s, d), label in edges.items():
            text = ", ".join(str(x) for x in label) if isinstance(label, set) else label
            lines.append(f'\t "{s}" -> "{d}" [label="{text}"]')
        drawn = conversation_graph(counts, weight, dot="\n".join(lines) + "\n}\n")
        return output(drawn, kargs)

    def afterglow(
        self,
        src: Callable[..., Any] | None = None,
        event: Callable[..., Any] | None = None,
        dst: Callable[..., Any] | None = None,
        **kargs: Any,
    ) -> Any:
        """An AfterGlow-style graph source -> event -> destination (by default IP source,
        destination port, IP destination), node sizes by counts, as graphviz DOT."""
        fsrc = src or (lambda *x: x[0]["IP"].src)
        fevt = event or (lambda *x: x[0]["IP"].dport)
        fdst = dst or (lambda *x: x[0]["IP"].dst)
        sl: dict[Any, list[Any]] = {}  # source -> [count, events]
        el: dict[Any, list[Any]] = {}  # event -> [count, destinations]
        dl: dict[Any, int] = {}
        for e in self._elements():
            try:
                s, ev, d = fsrc(e), fevt(e), fdst(e)
            except Exception:  # as Scapy: an element without them is skipped
                continue
            for table, key, item in ((sl, s, ev), (el, ev, d)):
                entry = table.setdefault(key, [0, []])
                entry[0] += 1
                if item not in entry[1]:
                    entry[1].append(item)
            dl[d] = dl.get(d, 0) + 1
        if not dl:
            raise PaquetError("afterglow: no element gave a source, an event and a destination")
        lines = ['digraph "afterglow" {\n\tedge [len=2.5];', "# src nodes"]
        nodes = (
            ("src", sl, {k: v[0] for k, v in sl.items()}, "box", "#FF0000", ","),
            ("evt", el, {k: v[0] for k, v in el.items()}, "circle", "#00FFFF", ", "),
            ("dst", dl, dl, "triangle", "#0000ff", ", "),
        )
        for kind, _table, counts, shape, colour, sep in nodes:
            if kind == "evt":
                lines.append("# event nodes")
            low, high = _scale(counts.values())
            for key, n in counts.items():
                size = 1 + float(n - low) / (high - low)
                lines.append(
                    f'"{kind}.{key!r}" [label = "{key!r}", shape={shape}, fillcolor="{colour}", '
                    f"style=filled, fixedsize=1, height={size:.2f}{sep}width={size:.2f}];"
                )
        lines.append("###")
        for s, (_n, events) in sl.items():
            lines.extend(f' "src.{s!r}" -> "evt.{ev!r}";' for ev in events)
        for ev, (_n, dests) in el.items():
            lines.extend(f' "evt.{ev!r}" -> "dst.{d!r}";' for d in dests)
        return do_graph("\n".join(lines) + "\n}", **kargs)
