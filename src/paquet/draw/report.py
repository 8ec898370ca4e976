"""The course as one self-contained HTML page (``paquet demo --html report.html``): every
question with its code, the output it really printed in the lab, and its pictures. What a
teacher hands out.

A :class:`Report` receives the blocks the demo's sections emit (:mod:`paquet.course.page`)
and writes them as HTML: a section per question, code and output as preformatted text, each
:class:`~paquet.course.page.Picture` drawn inline as SVG by the function :data:`PICTURES`
names for its kind. A function is looked up when the picture is drawn: when its module is
not installed yet (``paquet.draw.ladder``), or graphviz is missing, the picture's text form
is shown instead, with one line saying why. The page needs nothing else: its style is inline,
its pictures are inline SVG, and it links to nothing.

>>> from paquet.course.page import Code, Line, Output, Rule
>>> r = Report("en")
>>> for block in (Rule("Question 1"), Line.plain("A sentence."), Code("IP()"),
...               Output("<IP |>")):
...     r.add(block)
>>> page = r.html()
>>> '<h2 id="s1">Question 1</h2>' in page, "&lt;IP |&gt;" in page
(True, True)
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable
from typing import Any

from paquet.errors import PaquetError

__all__ = ["PICTURES", "Report", "picture_svg"]

#: How each kind of picture is drawn: ``kind -> (module, function)``; the function takes the
#: picture's data and returns SVG text. ``ladder`` (questions 7 and 9) is the ladder diagram
#: of :mod:`paquet.draw.ladder` (``ladder_svg(packets)``), written beside this module.
PICTURES: dict[str, tuple[str, str]] = {
    "ladder": ("paquet.draw.ladder", "ladder_svg"),
    "trace": ("paquet.draw.graphs", "trace_svg"),
    "topology": ("paquet.draw.topology", "topology_svg"),
}

_TITLES = {
    "fr": ("paquet : le TP 4 et les exercices, exécutés dans le laboratoire",
           "Sommaire", "image indisponible"),
    "en": ("paquet: TP 4 and the exercises, run in the lab", "Contents", "picture unavailable"),
}

_STYLE = """
body { font-family: "DejaVu Sans", sans-serif; max-width: 60em; margin: 1.5em auto;
       padding: 0 1em; line-height: 1.45; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc;
       margin-top: 2em; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 0.85em; white-space: pre-wrap;
      overflow-wrap: anywhere; padding: 0.5em 0.8em; margin: 0.4em 0; border-radius: 4px; }
pre.code { background: #f3f3f3; border-left: 3px solid #888; }
pre.out { background: #f4faf4; border-left: 3px solid #2e7d32; color: #1b5e20; }
pre.text { background: #fafafa; border-left: 3px solid #bbb; }
figure { margin: 0.8em 0; } figure svg { max-width: 100%; height: auto; }
figcaption, .note { font-size: 0.85em; color: #666; }
p { margin: 0.3em 0; } .bold { font-weight: bold; } .green { color: #2e7d32; }
.yellow { color: #8d6e00; } .magenta { color: #8e24aa; } .red { color: #c62828; }
.dim { color: #777; } .cyan { color: #00838f; } .blue { color: #1565c0; }
nav ol { columns: 2; font-size: 0.9em; }
"""

_PROLOG = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.S)


def picture_svg(kind: str, data: Any) -> tuple[str | None, str]:
    """``(svg, why)``: the picture of ``data`` drawn by :data:`PICTURES`'s function for
    ``kind``, or None and one line saying why it could not be drawn."""
    where = PICTURES.get(kind)
    if where is None:
        return None, f"no drawing for {kind!r}"
    module_name, name = where
    try:
        function: Callable[[Any], str] = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return None, f"{module_name}.{name} is not available"
    try:
        return _PROLOG.sub("", function(data), count=1), ""
    except PaquetError as exc:
        return None, str(exc)


class Report:
    """The demo's blocks, gathered (:meth:`add`) and written as one HTML page
    (:meth:`html`); ``tables`` turns a :class:`~paquet.course.page.Table` into text (the
    command line's tables), its ``repr`` without it."""

    def __init__(self, lang: str, tables: Callable[[Any], str] | None = None) -> None:
        self.lang = lang if lang in _TITLES else "en"
        self.tables = tables
        self.parts: list[str] = []
        self.sections: list[str] = []
        self._open = False

    def add(self, block: Any) -> None:
        """Add one block (a :data:`paquet.course.page.Block`)."""
        from paquet.course import page

        if isinstance(block, page.Rule):
            self._close()
            self.sections.append(block.title)
            self.parts.append(f'<section>\n<h2 id="s{len(self.sections)}">'
                              f"{html.escape(block.title)}</h2>")
            self._open = True
        elif isinstance(block, page.Line):
            spans = "".join(html.escape(text) if style is None else
                            f'<span class="{_classes(style)}">{html.escape(text)}</span>'
                            for text, style in block.parts)
            self.parts.append(f"<p>{spans}</p>")
        elif isinstance(block, page.Code):
            lines = block.text.strip("\n").splitlines()
            shown = [f"{block.prompt if i == 0 or block.prompt == '$' else '...'} {line}"
                     for i, line in enumerate(lines)]
            self.parts.append(_pre("code", "\n".join(shown)))
        elif isinstance(block, page.Output):
            self.parts.append(_pre("out", block.text.rstrip("\n")))
        elif isinstance(block, page.Verbatim):
            self.parts.append(_pre("text", "\n".join(block.lines)))
        elif isinstance(block, page.Table):
            text = self.tables(block) if self.tables is not None else repr(block.value)
            self.parts.append(_pre("text", text.rstrip("\n")))
        elif isinstance(block, page.Picture):
            self.parts.append(self._figure(block))
        # Blank: the page's own spacing does it

    def _figure(self, block: Any) -> str:
        svg, why = (block.svg, "") if block.svg else picture_svg(block.kind, block.data)
        if svg is not None:
            return f'<figure class="{block.kind}">\n{svg}\n</figure>'
        note = f'<p class="note">({_TITLES[self.lang][2]}: {html.escape(why)})</p>'
        return note + (_pre("text", block.text) if block.text else "")

    def _close(self) -> None:
        if self._open:
            self.parts.append("</section>")
            self._open = False

    def html(self, title: str | None = None) -> str:
        """The whole page."""
        self._close()
        heading, contents, _ = _TITLES[self.lang]
        name = html.escape(title or heading)
        toc = "".join(f'<li><a href="#s{i}">{html.escape(t)}</a></li>'
                      for i, t in enumerate(self.sections, 1))
        return (f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{name}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
                f"<h1>{name}</h1>\n<nav><h2>{contents}</h2><ol>{toc}</ol></nav>\n"
                + "\n".join(self.parts) + "\n</body>\n</html>\n")


def _pre(kind: str, text: str) -> str:
    return f'<pre class="{kind}">{html.escape(text)}</pre>'


def _classes(style: str) -> str:
    """rich styles (``"bold green"``) as CSS classes."""
    return " ".join(re.sub(r"[^a-z0-9-]", "", word) for word in style.lower().split())
