"""RFC-style header diagrams: the 32-bit ruler, ``+-+-+`` boxes, each field's name and value.

As RFC 791 and RFC 9293 draw them, one line of 32 bits per row, two characters per bit::

     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |Version|  IHL  |      TOS      |         Total Length          |
    |   4   |   5   |     0x00      |              28               |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

Each field's name is on the first line of its box and its value on the last; names longer than
a one-bit box are written downwards (the TCP flags, as in RFC 793). A field that spans rows (an
IPv6 address) has no line between its rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["RULER", "Box", "render_diagram"]

RULER = (
    " 0                   1                   2                   3\n"
    " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"
)
"""The two ruler lines over every diagram (tens, then units of the bit number)."""


class Box(NamedTuple):
    """One field to draw: its label, its width in bits (a multiple of 32 for variable parts
    drawn full width) and its value as text."""

    label: str
    bits: int
    value: str


class _Piece(NamedTuple):
    field: int  # the field's index in the boxes
    start: int  # first bit within the row
    bits: int
    first: bool  # the field's first row
    last: bool  # the field's last row


def _chunks(text: str, width: int) -> list[str]:
    if width <= 0:
        return []
    if len(text) <= width:
        return [text]
    return [text[i : i + width] for i in range(0, len(text), width)]


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def render_diagram(boxes: Sequence[Box]) -> str:
    """Draw ``boxes`` (in wire order) as an RFC-style diagram, ruler included.

    >>> print(render_diagram([Box("Source Port", 16, "40000"), Box("Dest Port", 16, "53")]))
     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |          Source Port          |           Dest Port           |
    |             40000             |               53              |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    """
    rows: list[list[_Piece]] = []
    bit = 0
    for index, box in enumerate(boxes):
        left = box.bits
        first = True
        while left > 0:
            row_no, col = divmod(bit, 32)
            while len(rows) <= row_no:
                rows.append([])
            take = min(left, 32 - col)
            left -= take
            rows[row_no].append(_Piece(index, col, take, first, left == 0))
            first = False
            bit += take
    # Which piece of each field shows its value: the only one, else the first later piece
    # wide enough (an address spanning rows shows it on its second row), else the last.
    pieces_of: dict[int, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows):
        for k, piece in enumerate(row):
            pieces_of.setdefault(piece.field, []).append((r, k))
    value_at: dict[int, tuple[int, int]] = {}
    for index, where in pieces_of.items():
        value = boxes[index].value
        chosen = where[-1]
        for r, k in where[1:] if len(where) > 1 else where:
            if 2 * rows[r][k].bits - 1 >= len(value):
                chosen = (r, k)
                break
        value_at[index] = chosen
    lines = [RULER]
    open_bits: set[int] = set()  # bits of the row above whose field continues below
    width = 0
    for r, row in enumerate(rows):
        width = max(width, row[-1].start + row[-1].bits)
        lines.append(_separator(width, open_bits))
        cells: list[tuple[list[str], str | None]] = []
        for k, piece in enumerate(row):
            box = boxes[piece.field]
            inner = 2 * piece.bits - 1
            labels = _chunks(box.label, inner) if piece.first else []
            shown = _fit(box.value, inner) if value_at[piece.field] == (r, k) else None
            cells.append((labels, shown))
        height = max(2, *(len(lab) + (v is not None) for lab, v in cells))
        for line_no in range(height):
            parts = []
            for piece, (labels, shown) in zip(row, cells, strict=True):
                if line_no < len(labels):
                    content = labels[line_no]
                elif line_no == height - 1 and shown is not None:
                    content = shown
                else:
                    content = ""
                parts.append(content.center(2 * piece.bits - 1))
            lines.append("|" + "|".join(parts) + "|")
        open_bits = {piece.start + b for piece in row if not piece.last for b in range(piece.bits)}
        width = row[-1].start + row[-1].bits
    lines.append(_separator(width, set()))
    return "\n".join(lines)


def _separator(width_bits: int, open_bits: set[int]) -> str:
    """``+-+-+`` over ``width_bits`` bits; blank over the bits of a field that continues."""
    out = ["+"]
    for b in range(width_bits):
        out.append(" " if b in open_bits else "-")
        joined = b in open_bits and (b + 1) in open_bits
        out.append(" " if joined else "+")
    return "".join(out)
