"""How a packet shows itself in a notebook: ``Packet._repr_html_`` asks this module.

Pictures (``svgdump``, a packet list's ladder and notebook view) are drawn by
:mod:`paquet.draw`, above the engine: :func:`picture` finds the function by its name in
:data:`PICTURES` when first asked, as paquet's lazy exports do, so the engine imports nothing
above it.

The engine's own rendering is plain: the field tree (``show()``) beside the hexdump. A richer
renderer (``paquet.explainer.packet_html``: each layer's fields and bytes in its own colour)
registers itself with :func:`set_html_renderer` when ``paquet.explainer`` is imported, as
``from paquet import *`` does: the engine never imports the modules above it.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["PICTURES", "get_html_renderer", "picture", "plain_html", "set_html_renderer"]

HtmlRenderer = Callable[[Any], str]

_renderer: HtmlRenderer | None = None


def plain_html(pkt: Any) -> str:
    """The field tree and the hexdump of ``pkt`` side by side, escaped, in monospace.

    >>> from paquet.layers import IP, ICMP
    >>> page = plain_html(IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())
    >>> "###[ IP ]###" in page and "0000" in page and "&lt;" not in page
    True
    """
    from paquet.packet.dump import hexdump

    tree = pkt.show(dump=True) or ""
    dump = hexdump(bytes(pkt), dump=True) or ""
    return (
        "<div class='paquet-packet' style='display:flex;gap:2em;align-items:flex-start'>"
        f"<pre style='margin:0'>{html.escape(tree)}</pre>"
        f"<pre style='margin:0'>{html.escape(dump)}</pre></div>"
    )


def set_html_renderer(renderer: HtmlRenderer | None) -> HtmlRenderer | None:
    """Make ``renderer(pkt) -> str`` draw packets in notebooks (None: the plain view).

    Returns the renderer it replaces.
    """
    global _renderer
    previous, _renderer = _renderer, renderer
    return previous


def get_html_renderer() -> HtmlRenderer:
    """The renderer in use: the registered one, else :func:`plain_html`."""
    return _renderer if _renderer is not None else plain_html


#: The functions of :mod:`paquet.draw` the engine's packets and packet lists call, by name:
#: (module, function).
PICTURES: dict[str, tuple[str, str]] = {
    "write_dump": ("paquet.draw.dump", "write_dump"),
    "canvas_dump": ("paquet.draw.dump", "canvas_dump"),
    "dump_svg": ("paquet.draw.dump", "dump_svg"),
    "ladder": ("paquet.draw.ladder", "ladder"),
    "plist_html": ("paquet.draw.notebook", "plist_html"),
    "plist_svg": ("paquet.draw.notebook", "plist_svg"),
}


def picture(name: str) -> Callable[..., Any]:
    """The drawing function ``name`` of :data:`PICTURES` (its module imported on first use).

    >>> picture("dump_svg").__module__
    'paquet.draw.dump'
    """
    module, function = PICTURES[name]
    found: Callable[..., Any] = getattr(importlib.import_module(module), function)
    return found
