"""How a :class:`~paquet.draw.ladder.Ladder` is drawn: as text for a terminal (80 columns by
default, colours through rich), as SVG, and as an HTML page around the SVG.

The layout is computed from the text's length (a monospace font, see
:func:`paquet.draw.svg.text_width`): lanes far enough apart for every label between them, so no
two labels overlap and none is cut by the picture's edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paquet.draw.svg import FONT_SIZE, Svg, escape, text_width

if TYPE_CHECKING:
    from paquet.draw.ladder import Arrow, Ladder

__all__ = ["COLOURS", "render_html", "render_rich", "render_svg", "render_text"]

#: The colour of each kind of arrow (Wireshark's flow graph colours, darker for contrast).
COLOURS = {
    "syn": "#15803d",
    "fin": "#7c3aed",
    "rst": "#b91c1c",
    "data": "#1d4ed8",
    "other": "#374151",
}
_NOTE_COLOUR = "#c2410c"


def _full_label(arrow: Arrow) -> str:
    return f"{arrow.label} [{arrow.note}]" if arrow.note else arrow.label


def _fit(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)] + "…" if room > 0 else ""


# ------------------------------------------------------------------ text


def _text_columns(ladder: Ladder, first: int, last: int) -> list[int]:
    """The column of each lane: the room between two lanes in proportion to what must fit
    between them (the labels crossing, the two names), spread over ``first``..``last``."""
    n = max(len(ladder.lanes), 1)
    if n == 1:
        return [first]
    need = [8.0] * (n - 1)
    for i in range(n - 1):
        need[i] = max(need[i], (len(ladder.lanes[i]) + len(ladder.lanes[i + 1])) / 2 + 1)
    for arrow in ladder.arrows:
        lo, hi = sorted((arrow.src, arrow.dst))
        if lo == hi:
            continue
        wanted = (len(_full_label(arrow)) + 4) * (5 / 3 if arrow.lost else 1)
        for i in range(lo, hi):
            need[i] = max(need[i], wanted / (hi - lo))
    total = sum(need)
    room = last - first
    cols = [first]
    done = 0.0
    for gap in need:
        done += gap * room / total
        cols.append(first + round(done))
    return cols


def render_text(ladder: Ladder, width: int = 80) -> str:
    """The ladder as lines of at most ``width`` characters: a header with the endpoints, then
    one line per packet (its time, the lanes as ``|``, the arrow with its label inside); a
    label too long for its arrow is cut and given whole on the next line."""
    times = [f"{a.time:.6f}" for a in ladder.arrows]
    tcol = max((len(t) for t in times), default=8) + 2
    n = max(len(ladder.lanes), 1)
    first = tcol + 6
    last = width - 2
    cols = _text_columns(ladder, first, last)
    lines: list[str] = []
    if ladder.title:
        lines.append(_fit(ladder.title, width))
    # The endpoint names, centred on their lanes, on as many lines as they need.
    header_rows: list[list[str]] = []
    room = width if n == 1 else max((last - first) // (n - 1) - 1, 8)
    for col, name in zip(cols, ladder.lanes, strict=False):
        name = _fit(name, min(room * 2, width))
        start = min(max(col - len(name) // 2, 0), width - len(name))
        for row in header_rows:
            if all(c == " " for c in row[max(start - 2, 0) : start + len(name) + 2]):
                break
        else:
            row = [" "] * width
            header_rows.append(row)
        row[start : start + len(name)] = list(name)
    lines.extend("".join(r).rstrip() for r in header_rows)
    for arrow, when in zip(ladder.arrows, times, strict=True):
        row = [" "] * width
        for col in cols:
            row[col] = "|"
        row[: tcol - 1] = list(f"{when:>{tcol - 1}}")
        a, b = cols[arrow.src], cols[arrow.dst]
        label = _full_label(arrow)
        whole = True
        if a == b:  # to itself: a short loop on the right of the lane
            if width - a - 1 >= min(len(label) + 4, 24):
                text = _fit(f"<-' {label}", width - a - 1)
                row[a + 1 : a + 1 + len(text)] = list(text)
            else:  # no room on the right (the last lane): on the left
                text = _fit(f"{label} '->", a - tcol)
                row[a - len(text) : a] = list(text)
            whole = text.strip("<-'> ") == label
        else:
            end = b if not arrow.lost else a + (b - a) * 3 // 5
            lo, hi = min(a, end), max(a, end)
            for x in range(lo + 1, hi):
                row[x] = "-"
            if arrow.lost:
                row[end] = "X"
            elif a < b:
                row[hi - 1] = ">"
            else:
                row[lo + 1] = "<"
            inner = hi - lo - 3
            whole = len(label) <= inner
            if whole:  # the label inside its arrow, else whole on the next line
                left = lo + 2 + (inner - len(label)) // 2
                row[left : left + len(label)] = list(label)
        lines.append("".join(row).rstrip())
        if not whole:
            cont = [" "] * width
            for col in cols:
                cont[col] = "|"
            start = min(a, b) + 2 if a != b else tcol + 1
            rest = _fit(label, width - start)
            cont[start : start + len(rest)] = list(rest)
            lines.append("".join(cont).rstrip())
    return "\n".join(lines)


def render_rich(ladder: Ladder, width: int = 80) -> Any:
    """The text form as a :class:`rich.text.Text`, flags in their colours."""
    from rich.text import Text

    text = Text(render_text(ladder, width))
    text.highlight_regex(r"\bSYN\b", COLOURS["syn"])
    text.highlight_regex(r"\bFIN\b", COLOURS["fin"])
    text.highlight_regex(r"\bRST\b", f"bold {COLOURS['rst']}")
    text.highlight_regex(r"\[[^\]]*\]|X", f"bold {_NOTE_COLOUR}")
    return text


# ------------------------------------------------------------------ SVG

_SIZE = FONT_SIZE  # font size of labels
_SMALL = 11  # font size of notes and times
_ROW = 46  # height of one arrow's row
_HEAD = 34  # height of the endpoints' boxes
_PAD = 24  # room between a label and the lanes


def _layout(ladder: Ladder) -> tuple[float, list[float], float]:
    """(width of the time column, x of each lane, picture width)."""
    tcol = max((text_width(f"{a.time:.6f}", _SMALL) for a in ladder.arrows), default=50) + 16
    names = [text_width(name, _SIZE) + 20 for name in ladder.lanes]
    n = max(len(ladder.lanes), 1)
    # Each pair of neighbouring lanes far enough apart for the labels that cross it.
    gaps = [160.0] * max(n - 1, 0)
    for i in range(n - 1):
        gaps[i] = max(gaps[i], (names[i] + names[i + 1]) / 2 + 12)
    for arrow in ladder.arrows:
        lo, hi = sorted((arrow.src, arrow.dst))
        need = max(text_width(arrow.label, _SIZE), text_width(arrow.note, _SMALL)) + 2 * _PAD
        if lo == hi:
            continue
        have = sum(gaps[lo:hi])
        if arrow.lost:
            need = need / 0.6
        if have < need:
            extra = (need - have) / (hi - lo)
            for i in range(lo, hi):
                gaps[i] += extra
    x = tcol + max(names[0] / 2 if names else 0, 20) + 4
    xs = [x]
    for gap in gaps:
        x += gap
        xs.append(x)
    right = 0.0
    for arrow in ladder.arrows:  # labels of arrows to themselves go right of their lane
        if arrow.src == arrow.dst:
            wide = max(text_width(arrow.label, _SIZE), text_width(arrow.note, _SMALL))
            right = max(right, xs[arrow.src] + 40 + wide)
    width = max(xs[-1] + (names[-1] / 2 if names else 0) + 16, right + 16)
    return tcol, xs, width


def _head(doc: Svg, x: float, y: float, leftwards: bool, colour: str) -> None:
    d = -1 if leftwards else 1
    doc.polygon([(x, y), (x - d * 9, y - 4.5), (x - d * 9, y + 4.5)], fill=colour)


def render_svg(ladder: Ladder) -> str:
    """The ladder as an SVG document: the endpoints in boxes at the top, their lanes down the
    picture, one arrow per packet with its label above and its note (retransmission, lost...)
    below, the time on the left."""
    _, xs, width = _layout(ladder)
    if ladder.title:
        width = max(width, text_width(ladder.title, 14) + 20)
    top = 10 + (22 if ladder.title else 0)
    height = top + _HEAD + 12 + _ROW * len(ladder.arrows) + 12
    doc = Svg(width, height, _SIZE, title=ladder.title or "ladder diagram")
    if ladder.title:
        doc.text(10, 24, ladder.title, font_size=14, font_weight="bold")
    for x, name in zip(xs, ladder.lanes, strict=False):
        w = text_width(name, _SIZE) + 16
        doc.line(x, top + _HEAD, x, height - 8, stroke="#9ca3af", stroke_dasharray="4 3")
        doc.rect(x - w / 2, top, w, _HEAD - 8, fill="#f3f4f6", stroke="#6b7280", rx=4)
        doc.text(x, top + 17, name, text_anchor="middle")
    doc.text(8, top + 17, "time", font_size=_SMALL, fill="#6b7280")
    y0 = top + _HEAD + 12
    for i, arrow in enumerate(ladder.arrows):
        y = y0 + i * _ROW + 22
        colour = COLOURS.get(arrow.kind, COLOURS["other"])
        doc.text(8, y + 4, f"{arrow.time:.6f}", font_size=_SMALL, fill="#6b7280")
        a, b = xs[arrow.src], xs[arrow.dst]
        dash = "6 4" if arrow.note.startswith("retransmission") else None
        if a == b:  # a packet to itself: a loop right of the lane
            doc.element("path", d=f"M{a:.2f} {y - 8:.2f} h24 v16 h-24", fill="none",
                        stroke=colour, stroke_width=1.5, stroke_dasharray=dash)
            _head(doc, a + 1, y + 8, True, colour)
            doc.text(a + 32, y - 2, arrow.label, fill=colour)
            if arrow.note:
                doc.text(a + 32, y + 13, arrow.note, font_size=_SMALL, fill=_NOTE_COLOUR)
            continue
        left = b < a
        end = a + (b - a) * 0.6 if arrow.lost else b
        tip = end + (1 if left else -1)
        doc.line(a, y, tip, y, stroke=colour, stroke_width=1.5, stroke_dasharray=dash)
        if arrow.lost:
            for dx, dy in ((-5, -5), (-5, 5)):
                doc.line(end + dx, y + dy, end - dx, y - dy, stroke=_NOTE_COLOUR,
                         stroke_width=2)
        else:
            _head(doc, tip, y, left, colour)
        mid = (a + end) / 2
        if abs(arrow.dst - arrow.src) > 1 and not arrow.lost:
            # Across several lanes: in the gap nearest the sender where it fits (no lane
            # line through the text), else in the middle.
            step = 1 if arrow.dst > arrow.src else -1
            wide = max(text_width(arrow.label, _SIZE), text_width(arrow.note, _SMALL))
            for lane in range(arrow.src, arrow.dst, step):
                here, there = xs[lane], xs[lane + step]
                if wide + 2 * _PAD <= abs(there - here):
                    mid = (here + there) / 2
                    break
        doc.text(mid, y - 6, arrow.label, text_anchor="middle", fill=colour)
        if arrow.note:
            doc.text(mid, y + 15, arrow.note, text_anchor="middle", font_size=_SMALL,
                     fill=_NOTE_COLOUR, font_style="italic")
    return doc.render()


def render_html(ladder: Ladder) -> str:
    """A self-contained HTML page: the title, the SVG picture, and how to read it."""
    title = ladder.title or "Ladder diagram"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head>\n"
        "<body style='font-family:sans-serif;margin:1em'>\n"
        f"<h1 style='font-size:1.2em'>{escape(title)}</h1>\n"
        f"{render_svg(type(ladder)(ladder.lanes, ladder.arrows))}"
        "<p style='color:#6b7280;font-size:.9em'>Times in seconds since the first packet; "
        "TCP sequence and acknowledgement numbers relative to each side's first, as "
        "Wireshark shows them; dashed: retransmission; ✕: lost.</p>\n"
        "</body></html>\n"
    )
