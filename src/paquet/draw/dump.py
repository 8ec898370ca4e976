"""A packet's layers as a picture, as Scapy's ``canvas_dump`` draws them: each layer a box with
its fields and their values, beside the packet's bytes in hex where each field's bytes are
marked in its layer's colour and joined to its line. ``pkt.svgdump()``, ``pkt.pdfdump()``,
``pkt.psdump()`` (Scapy's names), and the same for a :class:`~paquet.plist.PacketList` (one
picture per packet, one under the other, "Frame i/n" above each).

SVG is written directly (:mod:`paquet.draw.svg`); PDF and PostScript are converted from it by
``rsvg-convert`` (Debian's ``librsvg2-bin``). Without it, :func:`convert` prints a one-line
note and the packet's text form instead.

>>> from paquet.layers import IP, UDP
>>> spans = layer_spans(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=53, dport=53))
>>> [(s.name, s.offset, s.length) for s in spans]
[('IP', 0, 20), ('UDP', 20, 8)]
>>> [(f.name, f.start // 8, f.end // 8) for f in spans[1].fields]
[('sport', 0, 2), ('dport', 2, 4), ('len', 4, 6), ('chksum', 6, 8)]
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from paquet.draw.svg import FONT_SIZE, Svg, text_width

__all__ = [
    "PYX",
    "Canvas",
    "FieldSpan",
    "LayerSpan",
    "canvas_dump",
    "convert",
    "dump_svg",
    "layer_spans",
    "packets_svg",
    "write_dump",
]

#: Scapy's flag "PyX is installed", which code written for Scapy tests before drawing: paquet
#: draws packets without PyX (SVG always, PDF and PostScript through ``rsvg-convert``), so 1.
PYX = 1

_COLOURS = ("#dbeafe", "#dcfce7", "#fef9c3", "#fce7f3", "#ede9fe", "#ffedd5", "#e0f2fe")
_MIDS = ("#bfdbfe", "#bbf7d0", "#fde68a", "#fbcfe8", "#ddd6fe", "#fed7aa", "#bae6fd")
_STROKES = ("#1d4ed8", "#15803d", "#a16207", "#be185d", "#6d28d9", "#c2410c", "#0369a1")
_SIZE = FONT_SIZE
_LINE = 17  # height of one text line
_VALUE_ROOM = 34  # characters of a field's value shown before "…"


@dataclass(frozen=True)
class FieldSpan:
    """One field of a layer: its name, its value as ``show()`` prints it, and the bits it
    takes from the start of its layer (``start`` included, ``end`` excluded)."""

    name: str
    shown: str
    start: int
    end: int


@dataclass(frozen=True)
class LayerSpan:
    """One layer: its name, where its header starts in the packet's bytes and its length,
    and its fields (empty when they could not be placed on the bytes)."""

    name: str
    offset: int
    length: int
    fields: tuple[FieldSpan, ...]


def _wire(f: Any, layer: Any, value: Any) -> bytes:
    """The wire bytes of a field from its ``i2m`` (b"" when that is not bytes)."""
    try:
        wire = f.i2m(layer, value)
    except Exception:  # no wire form for this field alone
        return b""
    return wire if isinstance(wire, bytes) else b""


def _fields_of(layer: Any, data: bytes, offset: int, size: int
               ) -> tuple[int, tuple[FieldSpan, ...]]:
    """(header length, fields) of ``layer``, the fields placed by building each one after the
    others (Scapy's ``build_ps``); a field that cannot be built alone (options) takes the rest
    of the header's ``size`` bytes. ValueError when that does not give the layer's bytes."""
    acc: Any = b""
    bits = 0
    spans = []
    for f in layer.fields_desc:
        value = layer.getfieldval(f.name)
        shown = str(layer._field_repr(f, value)) if hasattr(layer, "_field_repr") else repr(value)
        before = bits
        try:
            acc = f.addfield(layer, acc, value)
        except Exception:  # a field of variable size: its i2m bytes, or the rest
            if isinstance(acc, tuple):
                raise ValueError(f"{f.name} cannot be placed") from None
            wire = _wire(f, layer, value)
            here = offset + len(acc)
            if wire and data[here : here + len(wire)] == wire and len(acc) + len(wire) <= size:
                acc += wire  # a field without addfield whose i2m gives its bytes
                bits = len(acc) * 8
                spans.append(FieldSpan(f.name, shown, before, bits))
                continue
            if size * 8 <= bits:
                continue  # nothing left for it: empty (no options)
            if f is not layer.fields_desc[-1]:
                raise ValueError(f"{f.name} cannot be placed") from None
            spans.append(FieldSpan(f.name, shown, bits, size * 8))
            acc = data[offset : offset + size]
            bits = size * 8
            continue
        bits = len(acc[0]) * 8 + acc[1] if isinstance(acc, tuple) else len(acc) * 8
        if bits == before:
            continue  # a field absent from this packet (conditional, empty list)
        spans.append(FieldSpan(f.name, shown, before, bits))
    if isinstance(acc, tuple):
        raise ValueError("bit fields do not end on a byte")
    if data[offset : offset + len(acc)] != acc:
        raise ValueError("the fields do not build the layer's bytes")
    return len(acc), tuple(spans)


def _explanations(pkt: Any, data: bytes) -> dict[int, Any]:
    """The layers :func:`paquet.explainer.explain` draws, by offset ({} when it cannot)."""
    from paquet.errors import PaquetError
    from paquet.explainer.core import explain

    try:
        layers = explain(pkt, "en").layers
    except (PaquetError, ValueError, TypeError):
        return {}
    return {layer.offset: layer for layer in layers if layer.fields}


def _explained(layer: Any, offset: int, explained: dict[int, Any]) -> tuple[FieldSpan, ...]:
    """The fields of ``layer`` placed by the explainer's table of the header at ``offset``
    (those it names as the layer does), or none."""
    drawn = explained.get(offset)
    if drawn is None:
        return ()
    out = []
    for item in drawn.fields:
        if item.name not in layer._fieldmap:
            return ()
        f = layer._fieldmap[item.name]
        value = layer.getfieldval(item.name)
        out.append(FieldSpan(item.name, str(layer._field_repr(f, value)), item.offset,
                             item.offset + item.bits))
    return tuple(out)


def layer_spans(pkt: Any, rebuild: bool = True) -> list[LayerSpan]:
    """The layers of ``pkt`` with the bytes of each field (``rebuild``: dissected again from
    its bytes first, as Scapy's ``canvas_dump(rebuild=1)``, so computed fields are filled)."""
    data = bytes(pkt)
    if rebuild:
        with contextlib.suppress(Exception):  # a class that cannot dissect itself: as built
            pkt = type(pkt)(data)
    layers = list(pkt.iterlayers())
    explained: dict[int, Any] | None = None  # the explainer's tables, asked when needed
    out = []
    offset = 0
    for index, layer in enumerate(layers):
        name = type(layer).__name__
        following = layers[index + 1] if index + 1 < len(layers) else None
        whole = len(bytes(layer.build())) if hasattr(layer, "build") else len(data) - offset
        rest = len(bytes(following.build())) if following is not None else 0
        try:
            length, fields = _fields_of(layer, data, offset, max(whole - rest, 0))
        except ValueError:  # the explainer's table of this header, when it has one
            if explained is None:
                explained = _explanations(pkt, data)
            length, fields = max(whole - rest, 0), _explained(layer, offset, explained)
        except Exception:
            length, fields = max(whole - rest, 0), ()
        length = min(length, len(data) - offset)
        out.append(LayerSpan(name, offset, length, fields))
        offset += length
        if following is None and offset < len(data):
            out.append(LayerSpan("Padding", offset, len(data) - offset, ()))
    return out


def _short(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _VALUE_ROOM else text[: _VALUE_ROOM - 1] + "…"


def _widths(spans: list[LayerSpan]) -> tuple[float, float]:
    """(room for the field names, width of the left column)."""
    fields = [f for s in spans for f in s.fields]
    name_w = max((text_width(f.name, _SIZE) for f in fields), default=0) + 10
    value_w = max((text_width(_short(f.shown), _SIZE) for f in fields), default=0)
    heads = max((text_width(s.name, _SIZE) for s in spans), default=80)
    return name_w, max(heads, name_w + value_w) + 24


def _draw(doc: Svg, pkt: Any, y0: float, rebuild: bool) -> float:
    """Draw ``pkt`` from ``y0`` down; returns the y under it."""
    data = bytes(pkt)
    spans = layer_spans(pkt, rebuild)
    # The left column: one box per layer, a line per field ("name  value").
    rows: list[tuple[int, str, str, FieldSpan | None, int]] = []  # (layer, text, kind...)
    for li, layer in enumerate(spans):
        rows.append((li, layer.name, "head", None, layer.offset))
        for f in layer.fields:
            rows.append((li, f"{f.name:<10} {_short(f.shown)}", "field", f, layer.offset))
    name_w, left_w = _widths(spans)
    hex_x = 10 + left_w + 60
    byte_w = text_width("00 ", _SIZE)
    # Which layer and which field each byte belongs to (the last one to claim it).
    owner: list[tuple[int, int]] = [(-1, -1)] * len(data)
    for li, layer in enumerate(spans):
        if not layer.fields:
            for i in range(layer.offset, min(layer.offset + layer.length, len(data))):
                owner[i] = (li, 0)
        for fi, f in enumerate(layer.fields):
            for i in range(layer.offset + f.start // 8, layer.offset + (f.end + 7) // 8):
                if (i < len(data) and owner[i][0] != li) or (i < len(data) and owner[i][1] < 0):
                    owner[i] = (li, fi)
    y = y0
    layer_top: dict[int, float] = {}

    def outline(li: int) -> None:
        doc.rect(10, layer_top[li], left_w, y - layer_top[li], fill="none",
                 stroke=_STROKES[li % len(_STROKES)])

    for li, text, kind, field, _ in rows:
        if kind == "head":
            if li:
                outline(li - 1)
                y += 6
            layer_top[li] = y
            doc.rect(10, y, left_w, _LINE + 2, fill=_STROKES[li % len(_STROKES)])
            doc.text(16, y + 13, text, fill="white", font_weight="bold")
            y += _LINE + 2
        else:
            assert field is not None
            fi = spans[li].fields.index(field)
            shade = (_COLOURS if fi % 2 == 0 else _MIDS)[li % len(_COLOURS)]
            doc.rect(10, y, left_w, _LINE, fill=shade)
            doc.text(16, y + 12.5, field.name)
            doc.text(16 + name_w, y + 12.5, _short(field.shown))
            y += _LINE
    if rows:
        outline(rows[-1][0])
    left_bottom = y
    # The right column: the bytes, 16 a line, each in its layer's colour.
    hy = y0
    for row in range(0, len(data), 16):
        doc.text(hex_x - 44, hy + 12.5, f"{row:04x}", fill="#6b7280")
        for col, b in enumerate(data[row : row + 16]):
            li, fi = owner[row + col]
            x = hex_x + col * byte_w
            if li >= 0:
                shade = (_COLOURS if fi % 2 == 0 else _MIDS)[li % len(_COLOURS)]
                doc.rect(x - 2, hy + 1, byte_w, _LINE - 2, fill=shade)
            doc.text(x, hy + 12.5, f"{b:02x}")
        hy += _LINE
    return max(left_bottom, hy) + 10


def _size(packets: list[Any], rebuild: bool) -> tuple[float, float]:
    width = height = 0.0
    for pkt in packets:
        spans = layer_spans(pkt, rebuild)
        _, left_w = _widths(spans)
        width = max(width, 10 + left_w + 60 + 16 * text_width("00 ", _SIZE) + 10)
        rows = len(spans) * (_LINE + 8) + sum(len(s.fields) for s in spans) * _LINE
        height += max(rows, ((len(bytes(pkt)) + 15) // 16) * _LINE) + 10
    return width, height


def dump_svg(pkt: Any, rebuild: bool = True) -> str:
    """The picture of ``pkt``'s layers as an SVG document (a string)."""
    return packets_svg([pkt], rebuild, frames=False)


def packets_svg(packets: Iterable[Any], rebuild: bool = True, frames: bool = True) -> str:
    """The pictures of ``packets``, one under the other (``frames``: "Frame i/n" above
    each, as Scapy's ``PacketList.canvas_dump``)."""
    items = list(packets)
    width, height = _size(items, rebuild)
    head = 24 if frames else 0
    titles = [f"Frame {i}/{len(items)}  {pkt.summary()}" for i, pkt in enumerate(items)]
    if frames:
        width = max([width, *(text_width(t, 13) + 20 for t in titles)])
    doc = Svg(width, height + head * len(items) + 10, _SIZE,
              title=items[0].summary() if len(items) == 1 else f"{len(items)} packets")
    y = 10.0
    for i, pkt in enumerate(items):
        if frames:
            doc.text(10, y + 15, titles[i], font_weight="bold", font_size=13)
            y += head
        y = _draw(doc, pkt, y, rebuild)
    return doc.render()


def convert(svg: str, fmt: str, filename: str) -> bool:
    """Write ``svg`` to ``filename`` as ``fmt`` (``pdf``, ``ps``, ``eps``) with
    ``rsvg-convert``; False, with a one-line note on standard error, when it is missing or
    fails."""
    tool = shutil.which("rsvg-convert")
    if tool is None:
        print(f"note: {fmt.upper()} needs rsvg-convert (Debian: apt install librsvg2-bin); "
              "svgdump() writes SVG without it", file=sys.stderr)
        return False
    done = subprocess.run(
        [tool, "-f", fmt, "-o", filename], input=svg.encode(), capture_output=True,
        check=False, timeout=60,
    )
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        print(f"note: rsvg-convert failed: {' '.join(reason)}", file=sys.stderr)
        return False
    return True


class Canvas:
    """What ``canvas_dump()`` returns (Scapy's returns a PyX canvas): the picture, written
    as a PyX canvas writes itself (``writeSVGfile``, ``writePDFfile``, ``writeEPSfile``,
    ``writetofile``: the suffix added when the name has none); a notebook shows it.

    >>> from paquet.layers import IP, ICMP
    >>> canvas = (IP(dst="192.0.2.1") / ICMP()).canvas_dump()
    >>> canvas.svg.startswith("<svg")
    True
    """

    def __init__(self, svg: str) -> None:
        self.svg = svg

    def _write(self, file: str, fmt: str, suffix: str) -> None:
        name = os.fspath(file)
        if not os.path.splitext(name)[1]:
            name += suffix
        if fmt == "svg":
            with open(name, "w", encoding="utf-8") as out:
                out.write(self.svg)
        else:
            convert(self.svg, fmt, name)

    def writeSVGfile(self, file: str) -> None:  # PyX's name
        """Write the picture as SVG."""
        self._write(file, "svg", ".svg")

    def writePDFfile(self, file: str) -> None:  # PyX's name
        """Write the picture as PDF (``rsvg-convert``)."""
        self._write(file, "pdf", ".pdf")

    def writeEPSfile(self, file: str) -> None:  # PyX's name
        """Write the picture as Encapsulated PostScript (``rsvg-convert``)."""
        self._write(file, "eps", ".eps")

    def writePSfile(self, file: str) -> None:  # PyX's name
        """Write the picture as PostScript (``rsvg-convert``)."""
        self._write(file, "ps", ".ps")

    def writetofile(self, filename: str) -> None:
        """Write the picture in the format its suffix names (.svg, .pdf, .eps, .ps)."""
        fmt = os.path.splitext(filename)[1].lstrip(".").lower()
        if fmt not in ("svg", "pdf", "eps", "ps"):
            raise ValueError(f"{filename}: write .svg, .pdf, .eps or .ps")
        self._write(filename, fmt, "." + fmt)

    def _repr_svg_(self) -> str:
        return self.svg


def canvas_dump(target: Any, layer_shift: int = 0, rebuild: int = 1) -> Canvas:
    """The picture of a packet or a packet list as a :class:`Canvas` (Scapy's
    ``canvas_dump``; ``layer_shift`` is accepted and unused)."""
    if isinstance(target, list):
        items = [target._elt2pkt(e) if hasattr(target, "_elt2pkt") else e for e in target]
        return Canvas(packets_svg(items, bool(rebuild)))
    return Canvas(dump_svg(target, bool(rebuild)))


def _viewer(fmt: str) -> str | None:
    from paquet.net.conf import conf

    prog = getattr(conf, "prog", None)
    return getattr(prog, f"{fmt}reader", None) if prog is not None else None


def write_dump(target: Any, fmt: str, filename: str | None = None, **kargs: Any) -> None:
    """What ``svgdump``/``pdfdump``/``psdump`` do for a packet or a packet list (``target``):
    write the picture to ``filename``; without one, to a temporary file opened with the
    viewer ``conf.prog`` names (Scapy's way), or its path printed when there is none.
    Keywords: ``rebuild`` (Scapy's, default True), ``layer_shift`` (accepted, unused)."""
    rebuild = bool(kargs.get("rebuild", 1))
    if isinstance(target, list):
        svg = packets_svg([target._elt2pkt(e) if hasattr(target, "_elt2pkt") else e
                           for e in target], rebuild)
    else:
        svg = dump_svg(target, rebuild)
    suffix = {"svg": ".svg", "pdf": ".pdf", "ps": ".eps"}[fmt]
    path = filename
    if path is None:
        fd, path = tempfile.mkstemp(suffix=kargs.get("suffix", suffix), prefix="paquet-")
        os.close(fd)
    if fmt == "svg":
        with open(path, "w", encoding="utf-8") as out:
            out.write(svg)
    elif not convert(svg, "eps" if fmt == "ps" else fmt, path):
        if filename is None:
            os.unlink(path)
        if not isinstance(target, list):
            target.show()
        return
    if filename is None:
        viewer = _viewer(fmt)
        if viewer and shutil.which(viewer):
            subprocess.Popen([viewer, path], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        else:
            print(path)
