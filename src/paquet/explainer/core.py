"""``explain(pkt, lang)``: each layer of a packet as the RFCs draw it, what each field means, and
the checksums computed step by step.

The walker goes through the dissected layers (``pkt.payload`` after ``pkt.payload``) and asks
each layer's class for its explain spec (:mod:`paquet.packet.spec`, registered beside the
protocol in :mod:`paquet.layers.specs` or in the layer's own module): its RFC, the bit layout
of its header, what each field means in French and English, and for what a table cannot say
(options, type-dependent bodies, checksums) an explainer. The values come from the bytes on
the wire (the packet is built first, so lengths and checksums are those computed), read bit by
bit with the layouts, each layer from where dissection put it. A layer without a spec is drawn
from its field table.

>>> from paquet.layers import IP, UDP
>>> e = explain(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=40000, dport=53), "en")
>>> [layer.name for layer in e.layers]
['IPv4', 'UDP']
>>> e.layers[0].field("ttl").value, e.layers[1].field("len").value
(64, 8)
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from paquet.checksums import ChecksumExplanation
from paquet.errors import PaquetError
from paquet.explainer.diagram import Box, render_diagram
from paquet.packet.spec import FieldSpec, LayerSpec, spec_for

__all__ = [
    "Explanation",
    "FieldExplanation",
    "LayerExplanation",
    "Walk",
    "explain",
    "layer_explanation",
    "packet_bytes",
    "read_fields",
    "variable_field",
    "with_shown",
]

LANGS = ("fr", "en")

# ------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FieldExplanation:
    """One field: its name (paquet's, as Scapy's), the RFC's label, its place (bit offset from
    the layer's start, width in bits), its value (an int, or the bytes of a variable part),
    the value as shown, and what it means."""

    name: str
    label: str
    offset: int
    bits: int
    value: Any
    shown: str
    meaning: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (bytes as hex)."""
        value = self.value.hex() if isinstance(self.value, bytes) else self.value
        return {
            "name": self.name,
            "label": self.label,
            "offset_bits": self.offset,
            "bits": self.bits,
            "value": value,
            "shown": self.shown,
            "meaning": self.meaning,
        }


@dataclass(frozen=True)
class LayerExplanation:
    """One layer: its name, where it starts in the packet and its header length (bytes), its
    fields, its RFC-style diagram, and its checksum explained (None without one)."""

    name: str
    rfc: str
    offset: int
    length: int
    fields: tuple[FieldExplanation, ...]
    diagram: str
    checksum: ChecksumExplanation | None = None
    summary: str = ""

    def field(self, name: str) -> FieldExplanation:
        """The field called ``name`` (paquet's name); KeyError when the layer has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "name": self.name,
            "rfc": self.rfc,
            "offset": self.offset,
            "length": self.length,
            "summary": self.summary,
            "fields": [f.to_dict() for f in self.fields],
            "diagram": self.diagram,
            "checksum": None if self.checksum is None else self.checksum.to_dict(),
        }


@dataclass(frozen=True)
class Explanation:
    """A whole packet explained: its bytes, its layers, in one language."""

    data: bytes
    lang: str
    layers: tuple[LayerExplanation, ...] = field(default_factory=tuple)
    summary: str = ""

    def layer(self, name: str) -> LayerExplanation:
        """The first layer called ``name`` (``"IPv4"``, ``"TCP"``...)."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    def lines(self) -> list[str]:
        """The explanation as text lines."""
        fr = self.lang == "fr"
        out = [f"{self.summary}", f"{len(self.data)} " + ("octets" if fr else "bytes")]
        for layer in self.layers:
            out.append("")
            rfc = f" ({layer.rfc})" if layer.rfc else ""
            if layer.rfc:
                where = (
                    f"à l'octet {layer.offset}, en-tête de {layer.length} octets"
                    if fr
                    else f"at byte {layer.offset}, {layer.length}-byte header"
                )
            else:
                where = (
                    f"à l'octet {layer.offset}, {layer.length} octets"
                    if fr
                    else f"at byte {layer.offset}, {layer.length} bytes"
                )
            title = f"== {layer.name}{rfc} {where}"
            out.append(title)
            if layer.summary:
                out.append(f"   ({layer.summary})")
            out.extend(layer.diagram.splitlines())
            width = max((len(f.name) for f in layer.fields), default=4)
            shown_w = min(max((len(f.shown) for f in layer.fields), default=4), 24)
            for f in layer.fields:
                bits = f"{f.bits} bit{'s' if f.bits > 1 else ''}"
                out.append(f"  {f.name:<{width}}  {bits:>8}  {f.shown:<{shown_w}}  {f.meaning}")
            if layer.checksum is not None:
                out.append(
                    "  "
                    + ("Somme de contrôle, étape par étape :" if fr else "Checksum, step by step:")
                )
                out.extend("    " + line for line in layer.checksum.lines(self.lang))
                check = layer.checksum
                if check.field is not None and {check.field, check.computed} == {0, 0xFFFF}:
                    out.append(
                        "    (0x0000 et 0xffff sont tous deux le zéro du complément à 1, "
                        "+0 et -0 : RFC 1624 §3 ; Wireshark le signale aussi)"
                        if fr
                        else "    (0x0000 and 0xffff are both zero in one's complement, +0 and "
                        "-0: RFC 1624 §3; Wireshark flags it too)"
                    )
        return out

    def render(self) -> str:
        """The explanation as one text."""
        return "\n".join(self.lines())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "lang": self.lang,
            "hex": self.data.hex(),
            "length": len(self.data),
            "summary": self.summary,
            "layers": [layer.to_dict() for layer in self.layers],
        }


# ------------------------------------------------------------------------------- reading


def packet_bytes(pkt: Any) -> tuple[bytes, int]:
    """The bytes of ``pkt`` (a Packet, bytes, or hex text) and their pcap link type
    (1 Ethernet, 101 raw IP): a Packet starting with Ether is Ethernet; bytes starting with
    0x4_ or 0x6_ are taken as IP, others as Ethernet."""
    from paquet.layers.ether import Ether
    from paquet.packet.base import Packet

    if isinstance(pkt, Packet):
        return bytes(pkt), 1 if isinstance(pkt, Ether) else 101
    if isinstance(pkt, str):
        text = "".join(pkt.split()).replace(":", "")
        if text.lower().startswith("0x"):
            text = text[2:]
        try:
            data = bytes.fromhex(text)
        except ValueError:
            raise PaquetError(
                "not hexadecimal: give pairs of hex digits (45 00 00 1c ...)"
            ) from None
    else:
        data = bytes(pkt)
    if not data:
        raise PaquetError("no bytes to explain")
    if data[0] >> 4 == 4 and len(data) >= 20 and (data[0] & 15) >= 5:
        return data, 101
    if data[0] >> 4 == 6 and len(data) >= 40:
        return data, 101
    return data, 1


def _drawn(bits: int) -> int:
    """How many bits a variable part is drawn on when it keeps its place on the rows: all of
    them up to four rows, else as many as end on the same column within four rows (the
    RFCs' dotted "variable" rows, folded)."""
    if bits <= 128:
        return bits
    return 96 + bits % 32 if bits % 32 else 128


def _boxes(fields: Sequence[FieldExplanation], exact: bool = False) -> list[Box]:
    """Fixed fields at their width; a variable part (options, data) as one full-width row,
    or (``exact``: parts that do not start or end on a row, as an extension header's
    options) at its own width, folded past four rows."""
    boxes = []
    for f in fields:
        bits = f.bits
        if isinstance(f.value, bytes):
            bits = _drawn(f.bits) if exact else 32
        shown = f.shown
        if isinstance(f.value, int) and len(shown) > 2 * bits - 1:
            shown = shown.split(" (")[0]  # "8 (echo request)" -> "8" in a narrow box
        boxes.append(Box(f.label, bits, shown))
    return boxes


# ------------------------------------------------------------------------------- walking


@dataclass
class Walk:
    """Where the walk through a packet is, as an explainer sees it: the packet's ``data``,
    the ``lang``, the dissected ``layer`` explained now and the one ``following`` it (None for
    the last), the ``offset`` where this layer starts, the addresses of the checksum
    pseudo-header (``ip_src``, ``ip_dst``: set by a network layer, changed by IPv6 extension
    headers), where the IP packet ends (``ip_end``), where the last layer's data ends and link
    padding begins (``data_end``, None: unknown), and ``stop`` (the layers after this one are
    data, as an ICMP message's quote)."""

    data: bytes
    lang: str
    layer: Any = None
    following: Any = None
    offset: int = 0
    ip_src: bytes | None = None
    ip_dst: bytes | None = None
    ip_end: int = 0
    data_end: int | None = None
    stop: bool = False

    @property
    def rest(self) -> bytes:
        """The bytes from this layer's start to the end of the packet."""
        return self.data[self.offset :]

    @property
    def in_ip(self) -> bytes:
        """The bytes from this layer's start to the end of the IP packet around it."""
        return self.data[self.offset : self.ip_end]

    @property
    def fr(self) -> bool:
        """True in French."""
        return self.lang == "fr"


def read_fields(
    data: bytes, specs: Sequence[FieldSpec], lang: str, start: int = 0
) -> list[FieldExplanation]:
    """The fields ``specs`` read from ``data``; ``start`` is the bit offset of ``data`` in
    its layer."""
    number = int.from_bytes(data, "big")
    total = len(data) * 8
    out = []
    offset = 0
    for spec in specs:
        value = (number >> (total - offset - spec.bits)) & ((1 << spec.bits) - 1)
        meaning = spec.fr if lang == "fr" else spec.en
        out.append(
            FieldExplanation(
                spec.name, spec.label, start + offset, spec.bits, value, spec.show(value), meaning
            )
        )
        offset += spec.bits
    return out


def variable_field(
    name: str, label: str, offset_bits: int, data: bytes, fr: str, en: str, lang: str
) -> FieldExplanation:
    """A part of variable length (options, data) at ``offset_bits``: its bytes, shown as
    text for data (``load``, ``padding``) and as hexadecimal for the rest."""
    if name in ("load", "padding"):
        text = repr(data)
        shown = text if len(text) <= 60 else text[:59] + "…"
    else:
        shown = data.hex(" ")
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return FieldExplanation(
        name,
        f"{label} ({len(data)} B)",
        offset_bits,
        len(data) * 8,
        data,
        shown,
        fr if lang == "fr" else en,
    )


def with_shown(f: FieldExplanation, shown: str) -> FieldExplanation:
    """``f`` with its value shown as ``shown``."""
    return FieldExplanation(f.name, f.label, f.offset, f.bits, f.value, shown, f.meaning)


def layer_explanation(
    spec: LayerSpec,
    offset: int,
    length: int,
    fields: Sequence[FieldExplanation],
    check: ChecksumExplanation | None = None,
    exact: bool | None = None,
) -> LayerExplanation:
    """A layer explained: ``spec``'s name and RFC, where it starts and its length (bytes), its
    fields drawn (at their own width when ``exact``, by default the spec's choice), its
    checksum."""
    return LayerExplanation(
        spec.name,
        spec.rfc,
        offset,
        length,
        tuple(fields),
        render_diagram(_boxes(fields, spec.exact if exact is None else exact)),
        check,
    )


def _from_spec(walk: Walk, spec: LayerSpec) -> tuple[LayerExplanation, int] | None:
    """A layer explained by its spec: its explainer, else its fixed fields read in order."""
    if spec.explainer is not None:
        made: tuple[LayerExplanation, int] | None = spec.explainer(walk)
        return made
    size = spec.size
    if not spec.fields or len(walk.rest) < size:
        return None
    fields = read_fields(walk.rest[:size], spec.fields, walk.lang)
    return layer_explanation(spec, walk.offset, size, fields), size


def _field_bits(f: Any) -> int | None:
    """The width of a field of a layer's table in bits, None for one of variable size (a
    field in a container, such as a ``ConditionalField``, has the width of the field in it)."""
    from paquet.packet.structfields import ConditionalField

    while isinstance(f, ConditionalField):
        f = f.fld
    if f.bits:
        return int(f.bits)
    if f.fmt:
        return struct.calcsize("!" + f.fmt) * 8
    return None


def _from_table(walk: Walk, header_end: int | None) -> tuple[LayerExplanation, int] | None:
    """A layer without a spec, drawn from its field table: each fixed field at its width with
    the dissected value, what is left of the header (up to where dissection put the payload)
    as one variable part."""
    layer = walk.layer
    cls = type(layer)
    rest = walk.rest
    end = len(rest) if header_end is None else max(0, header_end - walk.offset)
    fields: list[FieldExplanation] = []
    bit = 0
    for f in layer._shown_fields():  # the fields present (VXLAN's depend on its flags)
        width = _field_bits(f)
        name = f.name
        if width is None:
            start = (bit + 7) // 8
            part = rest[start:end]
            if part:
                fields.append(variable_field(name, name, bit, part, "", "", walk.lang))
                bit = end * 8
            continue
        if bit + width > end * 8:
            break
        value = layer.__dict__.get(name)
        shown = f.i2repr(layer, value) if value is not None else ""
        fields.append(FieldExplanation(name, name, bit, width, value, shown, f.type_name()))
        bit += width
    length = (bit + 7) // 8
    if not fields or length == 0:
        return None
    explained = LayerExplanation(
        cls.name, "", walk.offset, length, tuple(fields), render_diagram(_boxes(fields, True))
    )
    return explained, length


def explain(pkt: Any, lang: str = "fr") -> Explanation:
    """Explain ``pkt`` (a Packet, its bytes, or hex text) in ``lang`` (``'fr'`` or ``'en'``):
    per layer an RFC-style diagram, each field's bits, value and meaning, and the checksums
    computed step by step."""
    from paquet.layers import dissect
    from paquet.layers.specs import load_specs
    from paquet.packet.base import NOPAYLOAD, Raw, payload_of

    if lang not in LANGS:
        raise PaquetError(f"language {lang!r}: choose fr or en")
    load_specs()
    data, linktype = packet_bytes(pkt)
    parsed = dissect(data, linktype)
    walk = Walk(data, lang, ip_end=len(data))
    layers: list[LayerExplanation] = []
    layer: Any = parsed
    while layer is not NOPAYLOAD and not isinstance(layer, Raw):
        # Where dissection put this layer's payload (None: it does not say, as for the last).
        lazy = layer.__dict__.get("_lazy")
        header_end = lazy[1] if lazy is not None and lazy[0] is data else None
        following = payload_of(layer)
        walk.layer, walk.following = layer, None if following is NOPAYLOAD else following
        spec = spec_for(type(layer))
        made = _from_spec(walk, spec) if spec is not None else _from_table(walk, header_end)
        if made is None:
            break
        explained, consumed = made
        layers.append(explained)
        end = walk.offset + consumed
        if end >= len(data) or walk.stop or following is NOPAYLOAD:
            walk.offset = end
            break
        # The next layer starts where dissection put it (else where this explanation ends),
        # less what its diagram takes from the header before it (802.1Q's TPID, in the
        # place of that header's EtherType).
        following_spec = spec_for(type(following))
        lead = following_spec.lead if following_spec is not None else 0
        walk.offset = end if header_end is None else header_end - lead
        layer = following
    offset = walk.offset
    tail = data[offset:]
    if tail:
        # What is left: the data of the last layer (within the IP packet's length), then the
        # padding of the Ethernet frame (after the IP packet, or after an ARP message).
        inside = len(tail) if walk.data_end is None else max(0, walk.data_end - offset)
        payload, padding = tail[:inside], tail[inside:]
        fields = []
        if payload and not layers:
            fields.append(
                variable_field(
                    "load",
                    "Raw",
                    0,
                    payload,
                    "des octets qui ne se lisent pas comme un en-tête connu (trop courts ?)",
                    "bytes that do not read as a known header (too short?)",
                    lang,
                )
            )
        elif payload:
            fields.append(
                variable_field(
                    "load",
                    "Data",
                    0,
                    payload,
                    "les données de l'application",
                    "the application's data",
                    lang,
                )
            )
        if padding:
            fields.append(
                variable_field(
                    "padding",
                    "Padding",
                    len(payload) * 8,
                    padding,
                    "bourrage : la trame Ethernet fait au moins 60 octets",
                    "padding: an Ethernet frame is at least 60 bytes",
                    lang,
                )
            )
        name = ("Data" if layers else "Raw") if payload else "Padding"
        layers.append(
            LayerExplanation(
                name,
                "",
                offset,
                len(tail),
                tuple(fields),
                render_diagram(_boxes(fields)),
            )
        )
    return Explanation(data, lang, tuple(layers), parsed.summary())
