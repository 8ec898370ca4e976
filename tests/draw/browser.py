"""Pictures checked in a real browser: headless Chromium (Debian's ``chromium``) loads an SVG or
HTML page, reports where every piece of text landed, and takes a screenshot.

The tests of paquet's pictures (ladders, graphs, dumps, plots, the course report) use it to check
what a reader sees: the labels that must be there are there (as text, not paths), no label
overlaps another, nothing is cut off by the picture's own bounds, and the screenshot is not blank.

``render(path)`` runs Chromium twice: once with ``--dump-dom`` on a copy of the page with a
script appended that writes the layout of the text as JSON into the DOM, once with
``--screenshot``. Chromium is started as the machine's probe starts it (no sandbox as root, no
background networking: this machine's network is closed).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

# Appended to the page: every element that holds text directly (SVG <text>/<tspan>, HTML
# elements with their own text nodes) with its box in CSS pixels, the page's scroll size, and
# the box of every <svg> root, written as JSON into a <pre> that --dump-dom prints.
_LAYOUT_SCRIPT = """
<script>
(function () {
  const boxes = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    const parent = node.parentElement;
    if (!text || !parent || seen.has(parent)) continue;
    const tag = parent.tagName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'title') continue;
    const style = window.getComputedStyle(parent);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    seen.add(parent);
    const svg = parent.closest('svg');
    const index = svg ? Array.from(document.querySelectorAll('svg')).indexOf(svg) : -1;
    boxes.push({text: text, tag: tag, x: r.x + window.scrollX, y: r.y + window.scrollY,
                w: r.width, h: r.height, svg: index});
  }
  const svgs = Array.from(document.querySelectorAll('svg')).map(function (s) {
    const r = s.getBoundingClientRect();
    return {x: r.x + window.scrollX, y: r.y + window.scrollY, w: r.width, h: r.height};
  });
  const out = document.createElement('pre');
  out.id = '__paquet_layout';
  out.textContent = JSON.stringify({texts: boxes, svgs: svgs,
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight});
  document.body.appendChild(out);
})();
</script>
"""


@dataclass(frozen=True)
class TextBox:
    """One piece of text as the browser laid it out (CSS pixels, page coordinates)."""

    text: str
    tag: str
    x: float
    y: float
    w: float
    h: float
    svg: int  # index of the <svg> it belongs to, -1 for HTML text

    def overlap(self, other: TextBox) -> float:
        """The area (px²) this box shares with ``other``."""
        dx = min(self.x + self.w, other.x + other.w) - max(self.x, other.x)
        dy = min(self.y + self.h, other.y + other.h) - max(self.y, other.y)
        return dx * dy if dx > 0 and dy > 0 else 0.0


@dataclass
class Rendering:
    """What Chromium made of a page: its text boxes, its size, its <svg> boxes, a screenshot
    (PNG bytes)."""

    texts: list[TextBox]
    svgs: list[tuple[float, float, float, float]]
    width: float
    height: float
    png: bytes
    dom: str = field(repr=False)

    def labels(self) -> list[str]:
        """Every piece of text, in document order."""
        return [t.text for t in self.texts]

    def missing(self, wanted: list[str]) -> list[str]:
        """The strings of ``wanted`` that no text box contains."""
        return [w for w in wanted if not any(w in t.text for t in self.texts)]

    def overlaps(self, tolerance: float = 2.0) -> list[tuple[TextBox, TextBox]]:
        """Pairs of text boxes sharing more than ``tolerance`` px² (ascender slack allowed)."""
        found = []
        for i, a in enumerate(self.texts):
            for b in self.texts[i + 1 :]:
                if a.overlap(b) > tolerance:
                    found.append((a, b))
        return found

    def cut_off(self, slack: float = 1.0) -> list[TextBox]:
        """Text boxes that stick out of their <svg> (for SVG text) or out of the page."""
        bad = []
        for t in self.texts:
            if t.svg >= 0:
                x, y, w, h = self.svgs[t.svg]
            else:
                x, y, w, h = 0.0, 0.0, self.width, self.height
            if (
                t.x < x - slack
                or t.y < y - slack
                or t.x + t.w > x + w + slack
                or t.y + t.h > y + h + slack
            ):
                bad.append(t)
        return bad

    def assert_readable(self, wanted: list[str]) -> None:
        """The checks every picture passes: labels present, no overlap, nothing cut off, and a
        screenshot that is not blank."""
        assert not self.missing(wanted), f"labels missing: {self.missing(wanted)}"
        assert not self.overlaps(), f"overlapping labels: {self.overlaps()[:5]}"
        assert not self.cut_off(), f"labels cut off: {self.cut_off()[:5]}"
        assert not blank(self.png), "the screenshot is blank"


def chromium() -> str:
    """The Chromium binary, or a skip (a failure under CI, where the suite installs it)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing (scripts/system-deps installs it)")
    pytest.skip("chromium is not installed")


def _page(source: Path) -> str:
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".svg" or text.lstrip().startswith(("<svg", "<?xml")):
        text = re.sub(r"^<\?xml[^>]*>", "", text.lstrip())
        return f"<!DOCTYPE html><html><body style='margin:0'>{text}{_LAYOUT_SCRIPT}</body></html>"
    if "</body>" in text:
        return text.replace("</body>", _LAYOUT_SCRIPT + "</body>", 1)
    return text + _LAYOUT_SCRIPT


def _run(binary: str, args: list[str], profile: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def render(source: Path | str, width: int = 1280, height: int = 960) -> Rendering:
    """Load ``source`` (an .svg or .html file, or SVG/HTML markup) in headless Chromium and
    return its layout and a screenshot (``width`` x ``height`` window)."""
    binary = chromium()
    tmp = Path(tempfile.mkdtemp(prefix="paquet-browser-"))
    try:
        if isinstance(source, str):
            src = tmp / ("in.svg" if source.lstrip().startswith(("<svg", "<?xml")) else "in.html")
            src.write_text(source, encoding="utf-8")
        else:
            src = Path(source)
        page = tmp / "page.html"
        page.write_text(_page(src), encoding="utf-8")
        profile = str(tmp / "profile")
        dumped = _run(binary, ["--dump-dom", page.as_uri()], profile)
        found = re.search(r'<pre id="__paquet_layout">(.*?)</pre>', dumped.stdout, re.S)
        assert found, f"chromium gave no layout: {dumped.stderr[-500:]}"
        layout = json.loads(html.unescape(found.group(1)))
        png = tmp / (src.stem + ".png")
        shot = _run(
            binary,
            [f"--screenshot={png}", f"--window-size={width},{height}", src.resolve().as_uri()],
            profile,
        )
        assert png.exists(), f"chromium took no screenshot: {shot.stderr[-500:]}"
        return Rendering(
            texts=[TextBox(**t) for t in layout["texts"]],
            svgs=[(s["x"], s["y"], s["w"], s["h"]) for s in layout["svgs"]],
            width=float(layout["width"]),
            height=float(layout["height"]),
            png=png.read_bytes(),
            dom=dumped.stdout,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def blank(png: Path | bytes) -> bool:
    """True when the screenshot (a PNG file or its bytes) has a single colour (nothing was
    drawn)."""
    import io

    import matplotlib.image as mpimg

    pixels = mpimg.imread(io.BytesIO(png) if isinstance(png, bytes) else str(png))
    return bool((pixels == pixels[0, 0]).all())
