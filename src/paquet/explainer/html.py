"""``packet_html(pkt)``: a packet for notebooks, the layer tree and the hex side by side.

Each layer has its colour, in the tree (the fields and their values, as ``show()`` lists them)
and on its bytes in the hex dump, so a student sees which bytes are the TTL or the checksum.
Under each layer that :func:`~paquet.explainer.explain` draws (IPv4, IPv6 and its extension
headers, the 802.1Q tag, TCP...), its RFC-style diagram, folded. Jupyter calls it through
``Packet._repr_html_``.
"""

from __future__ import annotations

import html
from typing import Any

from paquet.errors import PaquetError
from paquet.packet.spec import spec_for

__all__ = ["packet_html"]

_COLOURS = ("#dbeafe", "#dcfce7", "#fef9c3", "#fce7f3", "#ede9fe", "#ffedd5", "#e0f2fe")

def _same_layer(cls: type, name: str) -> bool:
    """Whether explain's layer ``name`` is the header of paquet's layer class ``cls``: the
    name of its explain spec, or for a layer without one its class's."""
    spec = spec_for(cls)
    if spec is not None:
        return spec.name == name
    return name in (cls.__name__, getattr(cls, "name", None))


def _tree(pkt: Any) -> list[tuple[type, list[tuple[str, str]]]]:
    """(layer class, [(field, value as show() prints it)]) for each layer."""
    out = []
    for layer in pkt.iterlayers():
        rows = []
        for f in layer._shown_fields():
            value = layer._field_repr(f, layer._display_value(f.name))
            rows.append((f.name, str(value)))
        out.append((type(layer), rows))
    return out


def packet_html(pkt: Any) -> str:
    """HTML for a packet (a Packet, or its bytes; a packet list gets its table and ladder,
    see :mod:`paquet.draw.notebook`): its layers with their fields on the left,
    its bytes in hex and ASCII on the right, each layer in its own colour."""
    from paquet.explainer.core import explain, packet_bytes
    from paquet.layers import dissect

    if isinstance(pkt, list):  # a PacketList, an SndRcvList, a traceroute result
        from paquet.draw.notebook import plist_html

        return plist_html(pkt)
    data, linktype = packet_bytes(pkt)
    parsed = dissect(data, linktype)
    spans = []  # (start, end, layer index) of each layer's header and data
    layers: tuple[Any, ...] = ()
    try:
        layers = explain(data, "en").layers
        for index, layer in enumerate(layers):
            end = layers[index + 1].offset if index + 1 < len(layers) else len(data)
            spans.append((layer.offset, end, index))
    except PaquetError:  # colours are a nicety: the tree and the hex are what matter
        spans = [(0, len(data), 0)]

    def colour(offset: int) -> str:
        for start, end, index in spans:
            if start <= offset < end:
                return _COLOURS[index % len(_COLOURS)]
        return "transparent"

    tree = []
    for index, (cls, rows) in enumerate(_tree(parsed)):
        name = cls.__name__
        cells = "".join(
            f"<tr><td style='padding:0 .6em 0 1em;color:#555'>{html.escape(field)}</td>"
            f"<td>{html.escape(value)}</td></tr>"
            for field, value in rows
        )
        diagram = ""
        if index < len(layers) and _same_layer(cls, layers[index].name):
            drawn = layers[index]
            title = f"{drawn.name} ({drawn.rfc})" if drawn.rfc else drawn.name
            diagram = (
                "<details class='paquet-diagram'><summary style='color:#555'>"
                f"{html.escape(title)}</summary>"
                f"<pre style='margin:0 0 0 1em'>{html.escape(drawn.diagram)}</pre></details>"
            )
        tree.append(
            f"<details open><summary style='background:{_COLOURS[index % len(_COLOURS)]};"
            f"font-weight:bold'>{html.escape(name)}</summary>"
            f"<table style='border-collapse:collapse'>{cells}</table>{diagram}</details>"
        )
    lines = []
    for row in range(0, len(data), 16):
        chunk = data[row : row + 16]
        hexes = " ".join(
            f"<span style='background:{colour(row + i)}'>{b:02x}</span>"
            for i, b in enumerate(chunk)
        )
        ascii_ = "".join(
            f"<span style='background:{colour(row + i)}'>"
            f"{html.escape(chr(b) if 32 <= b < 127 else '.')}</span>"
            for i, b in enumerate(chunk)
        )
        pad = "   " * (16 - len(chunk))
        lines.append(f"{row:04x}  {hexes}{pad}  {ascii_}")
    return (
        "<div class='paquet-packet' style='display:flex;gap:2em;align-items:flex-start;"
        "font-family:monospace'>"
        f"<div><div style='margin-bottom:.3em'>{html.escape(parsed.summary())}</div>"
        f"{''.join(tree)}</div>"
        f"<pre style='margin:0'>{chr(10).join(lines)}</pre></div>"
    )
