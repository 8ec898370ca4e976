"""The graphs of paths and conversations: traceroute paths merged into one graph, and who
talks to whom in a capture, as DOT text (laid out by :mod:`paquet.draw.dot`) and as text.

A trace is a :class:`TracePath`: the flow that was probed (its protocol and ports: a Paris
traceroute keeps one flow for every TTL, so two flows may take two paths) and what answered at
each TTL (one address, several when load balancing answered from several, none when the hop
stayed silent). :func:`trace_graph` merges any number of them: a router seen by several
traces is one node, each flow has its colour (its edges are labelled with its number, the
legend says which flow it is), and a silent hop is a dashed ``*`` box of its own.

>>> p = TracePath("192.0.2.10", "203.0.113.130", "udp 33434",
...               ((1, ("192.0.2.254",)), (2, ()), (3, ("203.0.113.130",))), reached=True)
>>> print(trace_text([p]))
flow 1: 192.0.2.10 -> 203.0.113.130 (udp 33434), reached
   1  192.0.2.254
   2  *
   3  203.0.113.130
>>> print(conversation_text({("192.0.2.1", "192.0.2.2"): (3, 180)}))
192.0.2.1 -> 192.0.2.2  3 packets, 180 bytes
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from paquet.draw.dot import FONT, Graph, quote

__all__ = [
    "FLOW_COLOURS",
    "TracePath",
    "conversation_graph",
    "conversation_text",
    "count_edges",
    "probe_trace_path",
    "styled",
    "trace_graph",
    "trace_svg",
    "trace_text",
]

#: One colour per flow (readable on white, told apart by colour-blind readers in this order).
FLOW_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")

_HEAD = (
    f'\tgraph [fontname="{FONT}", rankdir=TB, nodesep=0.4, ranksep=0.45];\n'
    f'\tnode [fontname="{FONT}", fontsize=11, shape=box, style="rounded,filled", '
    'fillcolor="#f4f4f4", color="#555555"];\n'
    f'\tedge [fontname="{FONT}", fontsize=9, color="#555555"];\n'
)


@dataclass(frozen=True)
class TracePath:
    """One traceroute: ``source`` to ``target`` along ``flow`` (e.g. ``"tcp 41000 > 80"``),
    ``hops`` as ``(ttl, addresses)`` (no address: the hop stayed silent), ``reached`` when
    the target answered."""

    source: str
    target: str
    flow: str
    hops: tuple[tuple[int, tuple[str, ...]], ...]
    reached: bool = False


def trace_text(paths: Sequence[TracePath]) -> str:
    """The traces as text: one block per flow, one line per TTL (at most 80 columns)."""
    out = []
    for number, path in enumerate(paths, 1):
        end = "reached" if path.reached else "not reached"
        out.append(f"flow {number}: {path.source} -> {path.target} ({path.flow}), {end}"[:80])
        for ttl, addresses in path.hops:
            shown = ", ".join(addresses) if addresses else "*"
            out.append(f"{ttl:>4}  {shown}"[:80])
    return "\n".join(out)


def trace_graph(paths: Sequence[TracePath], dot: str | None = None) -> Graph:
    """The traces merged into one graph (see the module's text); ``dot`` is the text the
    returned :class:`~paquet.draw.dot.Graph` holds (Scapy's own, for compatibility), the
    picture's DOT when None."""
    nodes: dict[str, str] = {}  # node id -> its attributes
    edges: dict[tuple[str, str], list[int]] = {}  # (from, to) -> flow numbers
    targets = {p.target for p in paths}
    for number, path in enumerate(paths, 1):
        src = "src:" + path.source
        nodes.setdefault(src, f'label={quote(path.source)}, shape=box, fillcolor="#dbe9f6"')
        previous = [src]
        for ttl, addresses in path.hops:
            if addresses:
                current = list(dict.fromkeys(addresses))
                for a in current:
                    if a in targets:
                        fill = "#c8e6c9" if path.reached and a == path.target else "#f4f4f4"
                        nodes[a] = (f"label={quote(a)}, shape=box, peripheries=2, "
                                    f"fillcolor={quote(fill)}")
                    else:
                        nodes.setdefault(a, f"label={quote(a)}")
            else:
                silent = f"silent:{number}:{ttl}"
                nodes[silent] = (f'label={quote(f"* TTL {ttl}")}, style="dashed,rounded", '
                                 'fontcolor="#777777", color="#999999", fillcolor=white')
                current = [silent]
            for a in previous:
                for b in current:
                    flows = edges.setdefault((a, b), [])
                    if number not in flows:
                        flows.append(number)
            previous = current
        if not path.reached:
            missing = f"unreached:{number}"
            nodes[missing] = (f'label={quote(f"{path.target} (no answer)")}, shape=octagon, '
                              'style=filled, fillcolor="#ffcdd2", color="#c62828"')
            for a in previous:
                edges.setdefault((a, missing), []).append(number)
    lines = ["digraph trace {\n", _HEAD]
    lines.extend(f"\t{quote(n)} [{attrs}];\n" for n, attrs in nodes.items())
    for (a, b), flows in edges.items():
        colour = FLOW_COLOURS[(flows[0] - 1) % len(FLOW_COLOURS)] if len(flows) == 1 else "#555555"
        style = ', style=dashed' if a.startswith("silent:") or b.startswith("silent:") else ""
        label = ",".join(f"f{f}" for f in flows) if len(paths) > 1 else ""
        lines.append(f"\t{quote(a)} -> {quote(b)} [color={quote(colour)}, "
                     f"fontcolor={quote(colour)}, label={quote(label)}{style}];\n")
    if len(paths) > 1:
        lines.append(_legend(paths))
    lines.append("}\n")
    picture = "".join(lines)
    return Graph(picture if dot is None else dot, picture=picture, text=trace_text(paths))


def _legend(paths: Sequence[TracePath]) -> str:
    rows = "".join(
        f'<tr><td align="left"><font color="{FLOW_COLOURS[(n - 1) % len(FLOW_COLOURS)]}">'
        f"f{n}</font></td><td align=\"left\">{_html(p.flow)} to {_html(p.target)}</td></tr>"
        for n, p in enumerate(paths, 1)
    )
    return (f'\tlegend [shape=plaintext, style="", label=<<table border="0" cellborder="0" '
            f'cellspacing="2"><tr><td colspan="2"><b>flows</b></td></tr>{rows}</table>>];\n')


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bytes(n: int) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 10_000 or unit == "MB":
            return f"{n} {unit}"
        n //= 1000
    return f"{n} GB"  # pragma: no cover - the loop returns


def conversation_text(edges: Mapping[tuple[str, str], tuple[int, int]]) -> str:
    """Who talks to whom, one line per direction: ``src -> dst  N packets, B bytes``."""
    width = max((len(f"{s} -> {d}") for s, d in edges), default=0)
    return "\n".join(
        f"{f'{s} -> {d}':<{width}}  {n} packet{'s' if n != 1 else ''}, {b} bytes"[:80]
        for (s, d), (n, b) in edges.items()
    )


def conversation_graph(edges: Mapping[tuple[str, str], tuple[int, int]],
                       weight: str = "packets", dot: str | None = None) -> Graph:
    """Who talks to whom: a node per address, an edge per direction labelled with its packets
    and bytes, as thick as its share of ``weight`` (``"packets"`` or ``"bytes"``)."""
    if weight not in ("packets", "bytes"):
        raise ValueError(f"conversations are weighted by packets or bytes, not {weight!r}")
    index = 0 if weight == "packets" else 1
    top = max((v[index] for v in edges.values()), default=1) or 1
    nodes: dict[str, None] = {}
    for s, d in edges:
        nodes.setdefault(s)
        nodes.setdefault(d)
    lines = ['digraph "conv" {\n', _HEAD.replace("rankdir=TB", "rankdir=LR")]
    lines.extend(f"\t{quote(n)};\n" for n in nodes)
    for (s, d), (n, b) in edges.items():
        width = 1 + 5 * (n, b)[index] / top
        label = f"{n} pkt{'s' if n != 1 else ''}, {_bytes(b)}"
        lines.append(f"\t{quote(s)} -> {quote(d)} [label={quote(label)}, "
                     f"penwidth={width:.2f}, weight={max(1, round(width))}];\n")
    lines.append("}\n")
    picture = "".join(lines)
    return Graph(picture if dot is None else dot, picture=picture,
                 text=conversation_text(edges))


def count_edges(pairs: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(src, dst): (packets, bytes)}`` from ``(src, dst, length)`` triples, in first-seen
    order."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for s, d, length in pairs:
        n, b = out.get((s, d), (0, 0))
        out[(s, d)] = (n + 1, b + length)
    return out


def probe_trace_path(result: Any, source: str = "this host") -> TracePath:
    """The :class:`TracePath` of a :func:`paquet.probe.trace.trace` result (``paquet trace``):
    every address that answered at a TTL (several when load balancing spread the probes)."""
    mode = "Paris" if result.paris else "classic"
    return TracePath(
        source, str(result.address), f"{result.method}, {mode}",
        tuple((hop.ttl, tuple(hop.addresses)) for hop in result.hops), bool(result.reached),
    )


_EDGE = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*->\s*"((?:[^"\\]|\\.)*)"\s*(?:\[(.*)\])?', re.M)
_LABEL = re.compile(r'label\s*=\s*"((?:[^"\\]|\\.)*)"')


def _table_label(found: re.Match[str]) -> str:
    """A label of several lines (``\\l``, ``\\n``) as a graphviz HTML table, one row per line:
    graphviz packs plain lines tighter than a browser's line height, so they would touch."""
    text = found.group(1)
    lines = [x for x in re.split(r"\\[lnr]", text) if x]
    if len(lines) < 2:
        return found.group(0)
    rows = "".join(f'<tr><td align="left">{_html(x.replace(chr(92) * 2, chr(92)))}</td></tr>'
                   for x in lines)
    return f'label=<<table border="0" cellborder="0" cellspacing="0">{rows}</table>>'


def styled(dot: str) -> Graph:
    """Someone else's DOT text (an automaton's, Scapy's layout) drawn in paquet's font, with
    its edges as text (``a -> b  label``, one per line) as its text form."""
    head, brace, rest = dot.partition("{")
    picture = _LABEL.sub(_table_label, head + brace + "\n" + _HEAD + rest if brace else dot)
    lines = []
    for found in _EDGE.finditer(dot):
        label = _LABEL.search(found.group(3) or "")
        text = "" if label is None else label.group(1).replace("\\l", " ").strip()
        lines.append(f"{found.group(1)} -> {found.group(2)}  {text}".rstrip()[:80])
    return Graph(dot, picture=picture, text="\n".join(lines))


def trace_svg(paths: TracePath | Sequence[TracePath]) -> str:
    """The SVG picture of one trace or several merged (:func:`trace_graph`), for pages."""
    return trace_graph([paths] if isinstance(paths, TracePath) else list(paths)).svg()
