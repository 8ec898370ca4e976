"""A small SVG writer for the pictures whose geometry is simple (ladders, packet dumps).

Deterministic: the same calls give the same bytes (numbers written with at most two decimals,
attributes in a fixed order, no ids from counters or clocks). Text stays text (``<text>``
elements, escaped), in a monospace font so that :func:`text_width` can lay it out without
measuring: a reader can select it, search it, and a screen reader can read it.

>>> doc = Svg(200, 40)
>>> doc.text(10, 20, "SYN <seq=0>")
>>> print(doc.render().splitlines()[4])
<text x="10" y="20">SYN &lt;seq=0&gt;</text>
>>> text_width("SYN", 12)
21.6
"""

from __future__ import annotations

from xml.sax.saxutils import escape as _xml_escape

__all__ = ["CHAR_WIDTH", "FONT", "FONT_SIZE", "Svg", "escape", "num", "text_width"]

#: The font of every picture: monospace (DejaVu Sans Mono on Debian), so widths are known.
FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace"
#: The size (CSS px) of the pictures' text: labels, fields, lanes.
FONT_SIZE = 12

#: The advance of one character, as a fraction of the font size (DejaVu Sans Mono: 0.602).
CHAR_WIDTH = 0.6


def escape(text: str) -> str:
    """``text`` safe inside an SVG/HTML element or a double-quoted attribute (control
    characters, which XML forbids, become U+FFFD).

    >>> escape('a<b & "c"\\x00')
    'a&lt;b &amp; &quot;c&quot;\\ufffd'
    """
    cleaned = "".join(
        c if c >= " " or c in "\t\n" else "\ufffd" for c in text
    )
    return _xml_escape(cleaned, {'"': "&quot;"})


def num(value: float) -> str:
    """A coordinate as written: at most two decimals, no trailing zeros (``12``, ``12.5``).

    >>> num(12.0), num(1 / 3), num(-0.001)
    ('12', '0.33', '0')
    """
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float) -> float:
    """The width (px) of ``text`` at font size ``size`` in :data:`FONT` (rounded up a little:
    browsers' monospace fonts advance 0.6 em, within a pixel).

    >>> text_width("seq=0", 10)
    30.0
    """
    return round(len(text) * size * CHAR_WIDTH, 2)


def _attrs(attrs: dict[str, object]) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        number = isinstance(value, float | int) and not isinstance(value, bool)
        text = num(value) if number else str(value)  # type: ignore[arg-type]
        out.append(f' {key.replace("_", "-")}="{escape(text)}"')
    return "".join(out)


class Svg:
    """An SVG document being written: shapes and text appended in order, :meth:`render` gives
    the markup. Sizes in CSS pixels; ``font_size`` the default size of text."""

    def __init__(
        self, width: float, height: float, font_size: float = FONT_SIZE, title: str = ""
    ) -> None:
        self.width = width
        self.height = height
        self.font_size = font_size
        self.title = title
        self._defs: list[str] = []
        self._body: list[str] = []

    def element(self, tag: str, content: str | None = None, **attrs: object) -> None:
        """Any element: ``tag`` with ``attrs`` (``stroke_width`` is written ``stroke-width``)
        and ``content`` (markup, already escaped) or none."""
        self._element(tag, content, attrs)

    def _element(self, tag: str, content: str | None, attrs: dict[str, object]) -> None:
        if content is None:
            self._body.append(f"<{tag}{_attrs(attrs)}/>")
        else:
            self._body.append(f"<{tag}{_attrs(attrs)}>{content}</{tag}>")

    def rect(self, x: float, y: float, w: float, h: float, **attrs: object) -> None:
        """A rectangle (``fill``, ``stroke``, ``rx``... as keywords)."""
        self._element("rect", None, {"x": x, "y": y, "width": w, "height": h, **attrs})

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        """A line segment (``stroke`` black unless given)."""
        attrs.setdefault("stroke", "#222")
        self._element("line", None, {"x1": x1, "y1": y1, "x2": x2, "y2": y2, **attrs})

    def polygon(self, points: list[tuple[float, float]], **attrs: object) -> None:
        """A closed polygon (arrow heads)."""
        points_text = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._element("polygon", None, {"points": points_text, **attrs})

    def text(self, x: float, y: float, text: str, **attrs: object) -> None:
        """``text`` with its baseline at ``y``; ``text_anchor='middle'`` centres it on ``x``."""
        self._element("text", escape(text), {"x": x, "y": y, **attrs})

    def defs(self, markup: str) -> None:
        """Markup for ``<defs>`` (markers, styles), written once at the top."""
        self._defs.append(markup)

    def render(self) -> str:
        """The SVG document, as a string."""
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
            f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'font-family="{escape(FONT)}" font-size="{num(self.font_size)}">'
        )
        parts = [head]
        parts.append(f"<title>{escape(self.title)}</title>" if self.title else "<title/>")
        parts.append(f"<defs>{''.join(self._defs)}</defs>" if self._defs else "<defs/>")
        parts.append('<rect width="100%" height="100%" fill="white"/>')
        parts.extend(self._body)
        parts.append("</svg>")
        return "\n".join(parts) + "\n"
