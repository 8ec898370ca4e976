"""Learning aids: a packet explained layer by layer (RFC-style diagrams, what each field means,
checksums step by step) and its HTML view for notebooks.

``explain(pkt, lang)`` returns an :class:`~paquet.explainer.core.Explanation` (``.render()``,
``.to_dict()``); ``packet_html(pkt)`` the layer tree and the hex side by side. Both are loaded
on first use. What a protocol says about its header (RFC, bit layout, fr/en meanings) is its
explain spec, registered for its layer class (:mod:`paquet.packet.spec`), beside the protocol
in :mod:`paquet.layers.specs` or at the bottom of its layer module; a layer without one is
drawn from its field table. Importing this package makes ``packet_html`` the view notebooks
show for packets (``Packet._repr_html_``, through
:func:`paquet.packet.display.set_html_renderer`).
"""

from __future__ import annotations

import importlib
from typing import Any

from paquet.packet.display import set_html_renderer

__all__ = ["Explanation", "FieldExplanation", "LayerExplanation", "explain", "packet_html"]

_WHERE = {
    "Explanation": "paquet.explainer.core",
    "LayerExplanation": "paquet.explainer.core",
    "FieldExplanation": "paquet.explainer.core",
    "explain": "paquet.explainer.core",
    "packet_html": "paquet.explainer.html",
}


def _notebook_view(pkt: Any) -> str:
    from paquet.explainer.html import packet_html

    return packet_html(pkt)


set_html_renderer(_notebook_view)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'paquet.explainer' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
