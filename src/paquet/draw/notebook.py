"""How packet lists, answer lists and traceroute results show themselves in notebooks
(``_repr_html_`` and ``_repr_svg_``): a table of the packets (or of the query/answer pairs, or
of the hops), with the exchange's ladder under it when it is small enough to read.

>>> from paquet.layers import IP, ICMP
>>> from paquet.plist import PacketList
>>> page = plist_html(PacketList([IP(src="192.0.2.1", dst="192.0.2.2") / ICMP()]))
>>> "<table" in page and "echo-request" in page and "<svg" in page
True
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["LADDER_MAX", "ROWS_MAX", "plist_html", "plist_svg", "traceroute_html"]

#: At most this many rows in a notebook's table (the rest is counted).
ROWS_MAX = 200
#: A ladder is drawn under the table up to this many packets.
LADDER_MAX = 60

_CELL = "padding:.1em .6em;text-align:left;border-bottom:1px solid #e5e7eb"


def _table(head: list[str], rows: list[list[str]], more: int) -> str:
    cells = "".join(f"<th style='{_CELL}'>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td style='{_CELL}'>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    tail = f"<div style='color:#6b7280'>… {more} more</div>" if more else ""
    return (
        "<table style='border-collapse:collapse;font-family:monospace'>"
        f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>{tail}"
    )


def traceroute_html(result: Any) -> str:
    """A traceroute result as a table: one row per hop (TTL), one column per target, the
    address that answered (silent hops empty), the last hop of each trace marked."""
    trace = result.get_trace()
    targets = sorted(trace)
    ttls = sorted({ttl for hops in trace.values() for ttl in hops})
    rows = []
    for ttl in ttls:
        row = [str(ttl)]
        for target in targets:
            hop = trace[target].get(ttl)
            row.append("" if hop is None else hop[0] + (" ✓" if hop[1] else ""))
        rows.append(row)
    title = html.escape(getattr(result, "listname", "Traceroute"))
    return (
        f"<div class='paquet-traceroute'><div><b>{title}</b></div>"
        f"{_table(['ttl', *targets], rows, 0)}</div>"
    )


def plist_svg(plist: Any) -> str | None:
    """The ladder of a packet list or an answer list, as SVG; None (no picture) past
    :data:`LADDER_MAX` packets, and for a traceroute result (its picture is its graph)."""
    from paquet.draw.ladder import ladder_svg

    if hasattr(plist, "get_trace") or not 0 < len(plist) <= LADDER_MAX:
        return None
    return ladder_svg(plist)


def plist_html(plist: Any) -> str:
    """A packet list (or answer list, or traceroute result) as HTML: its table, and its
    ladder when it has at most :data:`LADDER_MAX` packets."""
    if hasattr(plist, "get_trace"):
        return traceroute_html(plist)
    items = list(plist)
    pairs = bool(items) and all(isinstance(e, tuple) and len(e) == 2 for e in items)
    t0 = None
    rows = []
    for number, elt in enumerate(items[:ROWS_MAX]):
        if pairs:
            rows.append([str(number), elt[0].summary(), elt[1].summary()])
            continue
        when = float(getattr(elt, "time", 0.0) or 0.0)
        t0 = when if t0 is None else t0
        rows.append([str(number), f"{when - t0:.6f}", elt.summary()])
    head = ["#", "query", "answer"] if pairs else ["#", "time", "summary"]
    name = html.escape(str(getattr(plist, "listname", type(plist).__name__)))
    picture = ""
    svg = plist_svg(plist) if len(items) * (2 if pairs else 1) <= LADDER_MAX else None
    if svg is not None:
        picture = f"<div style='margin-top:.5em'>{svg}</div>"
    return (
        f"<div class='paquet-plist'><div><b>{name}</b>: {len(items)} "
        f"{'pairs' if pairs else 'packets'}</div>"
        f"{_table(head, rows, max(len(items) - ROWS_MAX, 0))}{picture}</div>"
    )
