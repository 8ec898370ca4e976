"""What a packet says about itself as text: Scapy's ``show()``, ``summary()``, ``repr``,
``sprintf``, ``to_dict``, ``command()``, and the hooks a layer overrides for them
(``_shown_fields``, ``_display_value``, ``_field_repr``, ``mysummary``, ``expected_chksum``).

These are :class:`~paquet.packet.base.Packet`'s methods, written here as functions of the layer
and set in the class body of ``Packet`` (``show = _views.show``...): a layer overrides them as any
method. ``base.py`` imports this module, so the engine's classes they need (``Packet``,
``NOPAYLOAD``) are read from :mod:`paquet.packet.kinds` when they run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from paquet.errors import ExpressionError
from paquet.packet import kinds as _kinds
from paquet.packet.dissect import _ALL, payload_of
from paquet.packet.fields import Field, FieldError

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["SHOW_MAX_INDENT"]

#: ``show()`` indents each payload further, up to this many levels (then keeps that margin).
SHOW_MAX_INDENT = 64


def _field_repr(self: Packet, f: Field, value: Any) -> str:
    text = f.i2repr(self, value)
    return text if isinstance(text, str) else str(text)


def _shown_fields(self: Packet) -> tuple[Field, ...]:
    """The fields shown by ``show()`` (layers with conditional fields override this)."""
    return self._fields


def _repr_fields(self: Packet) -> tuple[Field, ...]:
    """The fields ``repr()`` considers (those set are shown)."""
    return self._shown_fields()


def _display_value(self: Packet, name: str) -> Any:
    """The value ``show()`` displays: what is stored, or what the host gives for None."""
    return self.__dict__[name]


def _chksum_note(self: Packet) -> str:
    if self.chksum_offset < 0 or self.__dict__["_explicit"] is not _ALL:
        return ""
    expected = self.expected_chksum()
    if expected is None or expected == self.__dict__.get(self.chksum_field):
        return ""
    return f" [bad, expected {expected:#x}]"


def expected_chksum(self: Packet) -> int | None:
    """The checksum this layer's bytes call for (None: no checksum, or it cannot be known)."""
    return None


def show(
    self: Packet, dump: bool = False, indent: int = 3, lvl: str = "", label_lvl: str = ""
) -> str | None:
    """Print the field tree in Scapy's layout, styled by ``conf.color_theme``
    (:mod:`paquet.themes`); with ``dump=True`` return it instead, never styled."""
    if dump:
        return self._show(indent, lvl, label_lvl)
    from paquet.themes import get_theme, is_plain  # (when printing: not on every import)

    ct = get_theme()
    print(self._show(indent, lvl, label_lvl, None if is_plain(ct) else ct))
    return None


def show2(self: Packet, dump: bool = False, indent: int = 3) -> str | None:
    """``show()`` of the built packet: lengths and checksums filled in."""
    built = type(self)(self.build())
    return built.show(dump=dump, indent=indent)


def _show(self: Packet, indent: int, lvl: str, label_lvl: str, ct: Any = None) -> str:
    # A loop over the layers (no recursion: any depth shows), each indented further.
    # The indentation stops growing after SHOW_MAX_INDENT levels, so that the text of
    # a deep packet stays proportional to its depth.
    NOPAYLOAD = _kinds.NOPAYLOAD

    out = []
    layer: Packet = self
    levels = 0
    while layer is not NOPAYLOAD:
        out.append(layer._show_layer(lvl, label_lvl, ct))
        if layer.show_indent and levels < SHOW_MAX_INDENT:
            levels += 1
            lvl += " " * indent * layer.show_indent
        layer = payload_of(layer)
    return "".join(out)


def _show_layer(self: Packet, lvl: str, label_lvl: str, ct: Any = None) -> str:
    """This layer's own lines of ``show()``; a field a truncated header lacks shows
    ``<absent>``. ``ct``: a colour theme (:mod:`paquet.themes`), None for plain text."""
    pu, fn, fv = (ct.punct, ct.field_name, ct.field_value) if ct is not None else (str,) * 3
    emph: frozenset[str] | tuple[()] = ()
    if ct is not None:
        from paquet.themes import emphasized

        emph = emphasized(type(self))
    lines = [f"{label_lvl}{pu('###[')} {(ct.layer_name if ct else str)(self.name)} {pu(']###')}"]
    note = self._chksum_note()
    d = self.__dict__
    absent = d["_explicit"] if "_partial" in d else None
    for f in self._shown_fields():
        n = f.name
        pad = " " * max(0, 10 - len(n))
        if absent is not None and n not in absent:
            lines.append(f"{label_lvl}{lvl}  {n}{pad}= <absent>")
            continue
        try:
            value = self._display_value(n)
        except (FieldError, TypeError):
            value = _drawn(self)._display_value(n)
        nested = self._nested_repr(f, value)
        if nested is not None:
            bs = pu("\\")
            lines.append(f"{label_lvl}{lvl}  {bs}{fn(n)}{pad}{bs}")
            for sub in nested:
                lines.append(f"{label_lvl}{lvl}   |{sub}")
            continue
        text = self._field_repr(f, value)
        if note and n == self.chksum_field:
            text += note
        text = text.replace("\n", "\n" + " " * (len(label_lvl) + len(lvl) + len(n) + 4))
        if n in emph:
            lines.append(f"{label_lvl}{lvl}  {ct.emph_field_name(n)}{pad}{pu('=')} "
                         f"{ct.emph_field_value(text)}")
            continue
        lines.append(f"{label_lvl}{lvl}  {fn(n)}{pad}{pu('=')} {fv(text)}")
    return "\n".join(lines) + "\n"


def _drawn(self: Packet) -> Packet:
    """This layer (and those above) with its random values drawn: what ``show()`` and
    ``summary()`` compute from when a value the host fills (``IP.src``) depends on a random
    one (``dst=RandIP()``), as Scapy does. Called while handling an error, which is raised
    again when the layer holds no random value."""
    hook = _kinds.build_hook
    fixed = hook(self) if hook is not None else None
    if fixed is None:
        raise
    return fixed


def _nested_repr(self: Packet, f: Field, value: Any) -> list[str] | None:
    """Lines for a field shown as a sub-tree (Scapy's ``\\options\\``), or None: the
    packets a field holds (``PacketField``, ``PacketListField``) are shown as trees."""
    packet = _kinds.Packet
    if isinstance(value, packet):
        return value._show(3, "", "").splitlines()
    if not isinstance(value, list):
        return None
    pick = getattr(f, "_find_fld_pkt", None)  # a MultipleTypeField: the field it chose
    if pick is not None:
        f = pick(self)
    if f.holds_packets and (value or f.islist):  # an empty list too: ``\qd\`` (Scapy's)
        lines: list[str] = []
        for item in value:
            if isinstance(item, packet):
                lines.extend(item._show(3, "", "").splitlines())
        return lines
    return None


def _repr(self: Packet) -> str:
    # A loop over the layers (no recursion: any depth prints): ``<A ... |<B ... |>>``.
    nopayload, packet_repr = _kinds.NOPAYLOAD, _kinds.Packet.__repr__
    heads = []
    layer: Packet = self
    while layer is not nopayload:
        if type(layer).__repr__ is not packet_repr:
            heads.append(repr(layer))  # a layer printed its own way ends the loop
            return "".join(heads) + ">" * (len(heads) - 1)
        heads.append(layer._repr_head())
        layer = payload_of(layer)
    return "".join(heads) + ">" * len(heads)


def _repr_head(self: Packet) -> str:
    """``<Name fields |``: this layer's part of ``repr`` (the fields set or dissected; a
    truncated header's absent fields are left out)."""
    d = self.__dict__
    ex = d["_explicit"]
    ov = d.get("_overloaded") or {}
    parts = []
    for f in self._repr_fields():
        n = f.name
        if ex is _ALL or (ex and n in ex) or n in ov:
            v = d[n]
            if isinstance(v, list | dict | set) and not v:
                continue
            parts.append(f" {n}={self._field_repr(f, v)}")
    return f"<{type(self).__name__} {''.join(parts)} |"


def _str(self: Packet) -> str:
    return self.summary()


def _repr_html_(self: Packet) -> str:
    """How Jupyter shows a packet: the layer tree and its bytes side by side
    (see :mod:`paquet.packet.display`)."""
    from paquet.packet.display import get_html_renderer

    return get_html_renderer()(self)


def _repr_svg_(self: Packet) -> str:
    """The picture of the packet's layers, for notebooks (:mod:`paquet.draw.dump`)."""
    from paquet.packet.display import picture

    return str(picture("dump_svg")(self))


def canvas_dump(self: Packet, layer_shift: int = 0, rebuild: int = 1) -> Any:
    """The picture of the packet's layers (Scapy's ``canvas_dump``): an object written as
    PyX's canvas is (``writeSVGfile``, ``writePDFfile``, ``writeEPSfile``)."""
    from paquet.packet.display import picture

    return picture("canvas_dump")(self, layer_shift, rebuild)


def svgdump(self: Packet, filename: str | None = None, **kargs: Any) -> None:
    """Write the picture of the packet's layers to ``filename`` as SVG (Scapy's
    ``svgdump``; without a file name, a temporary file shown with ``conf.prog.svgreader``)."""
    from paquet.packet.display import picture

    picture("write_dump")(self, "svg", filename, **kargs)


def pdfdump(self: Packet, filename: str | None = None, **kargs: Any) -> None:
    """The same picture as PDF (Scapy's ``pdfdump``; needs ``rsvg-convert``)."""
    from paquet.packet.display import picture

    picture("write_dump")(self, "pdf", filename, **kargs)


def psdump(self: Packet, filename: str | None = None, **kargs: Any) -> None:
    """The same picture as Encapsulated PostScript (Scapy's ``psdump``; needs
    ``rsvg-convert``)."""
    from paquet.packet.display import picture

    picture("write_dump")(self, "ps", filename, **kargs)


def mysummary(self: Packet) -> str:
    """This layer's own one-line description ("" when it has none)."""
    return ""


def _do_summary(self: Packet) -> tuple[bool, str]:
    # A loop from the top layer down (no recursion: any depth summarises); the most
    # specific layer's description wins, the layers below it show their class names.
    # A mysummary() may return (text, [classes]): those layers below describe themselves too
    # (Scapy's: LLMNR's summary keeps UDP's ports).
    layers = list(self.iterlayers())
    found = False
    parts: list[str] = []
    needed: list[type] = []
    for layer in reversed(layers):
        ret: Any = ""
        partial = layer.__dict__.get("_partial")
        if partial is not None:
            n = len(partial[0])
            ret = f"{type(layer).__name__} [truncated, {n} byte{'s' if n > 1 else ''}]"
        elif not found or (needed and type(layer) in needed):
            ret = layer.mysummary()
            if isinstance(ret, tuple):
                ret, more = ret
                needed.extend(more)
        if ret:
            found = True
        if not ret:
            ret = type(layer).__name__
        parts.append(ret)
    return found, " / ".join(reversed(parts))


def summary(self: Packet) -> str:
    """One line: the layers, the most specific one described (Scapy's ``summary()``)."""
    try:
        return self._do_summary()[1]
    except (FieldError, TypeError):
        return _drawn(self)._do_summary()[1]  # an address computed from a random one


def sprintf_field(self: Packet, name: str) -> str:
    """The display text of field ``name`` of this layer (as Scapy's ``%Layer.field%``)."""
    f = self._fieldmap[name]
    return self._field_repr(f, self._display_value(name))


def sprintf(self: Packet, fmt: str, relax: bool = True) -> str:
    """Scapy's ``sprintf``: each directive ``%[fmt[r],][Layer[:n].]field%`` is replaced by
    the field's display text, or its raw value with ``r`` (``%r,TCP.dport%`` gives ``80``
    where ``%TCP.dport%`` gives ``http``), formatted by the printf ``fmt`` (``%-5s,IP.ttl%``,
    ``%03xr,IP.proto%``). ``Layer:2`` is the second layer of that class (IP in IP); without
    a layer, the first layer that has the field; ``%.time%`` is the packet's time. A
    condition ``{TCP:text}`` keeps ``text`` when the packet has a TCP layer, ``{!TCP:text}``
    when it has none (they nest). ``%%``, ``%(``, ``%)`` give ``%``, ``{``, ``}``. A field no
    layer has gives ``??`` (an :class:`~paquet.errors.ExpressionError` with ``relax=False``);
    a malformed format raises an ``ExpressionError``.

    >>> from paquet.layers import IP, TCP
    >>> (IP(src="192.0.2.1", dst="192.0.2.2") / TCP(flags="SA")).sprintf(
    ...     "%IP.src% -> %IP.dst% %TCP.flags% ttl=%-3s,ttl%|{!UDP:no UDP}")
    '192.0.2.1 -> 192.0.2.2 SA ttl=64 |no UDP'
    """
    text = _sprintf_conditions(self, fmt)
    out: list[str] = []
    pos = 0
    while True:
        i = text.find("%", pos)
        if i < 0:
            out.append(text[pos:])
            return "".join(out)
        out.append(text[pos:i])
        escaped = _SPRINTF_ESCAPES.get(text[i + 1 : i + 2])
        if escaped is not None:
            out.append(escaped)
            pos = i + 2
            continue
        j = text.find("%", i + 1)
        if j < 0:
            raise ExpressionError(f"sprintf: unterminated directive {_cut(text[i:])!r}")
        out.append(_sprintf_directive(self, text[i + 1 : j], relax))
        pos = j + 1


_SPRINTF_ESCAPES = {"%": "%", "(": "{", ")": "}"}


def _cut(text: str) -> str:
    return text if len(text) <= 30 else text[:27] + "..."


def _sprintf_conditions(self: Packet, fmt: str) -> str:
    """``fmt`` with its conditions ``{Layer:text}`` / ``{!Layer:text}`` resolved, the
    innermost first (as Scapy: the last ``{`` and the first ``}`` after it)."""
    while "{" in fmt:
        i = fmt.rindex("{")
        j = fmt.find("}", i + 1)
        if j < 0:
            raise ExpressionError(f"sprintf: condition without its '}}' in {_cut(fmt[i:])!r}")
        layer, colon, kept = fmt[i + 1 : j].partition(":")
        negated = layer.startswith("!")
        layer = layer[1:] if negated else layer
        if not colon or not layer:
            raise ExpressionError(
                f"sprintf: a condition is {{Layer:text}} or {{!Layer:text}}, not {fmt[i : j + 1]!r}"
            )
        if self.haslayer(layer) == negated:
            kept = ""
        fmt = fmt[:i] + kept + fmt[j + 1 :]
    return fmt


def _sprintf_parse(spec: str) -> tuple[str, str | None, int, str]:
    """A directive's text (between its ``%``) as (printf format, layer class name or None
    for any layer, which one of that class counting from 1, field name)."""
    parts = spec.split(",")
    if len(parts) > 2:
        raise ExpressionError(f"sprintf: bad directive %{_cut(spec)}% (at most one ',')")
    fmt, target = parts if len(parts) == 2 else ("s", parts[0])
    cls: str | None = None
    num = 1
    if "." in target:
        cls, _, name = target.partition(".")
        if "." in name:
            raise ExpressionError(f"sprintf: bad directive %{_cut(spec)}% (at most one '.')")
        cls, colon, nth = cls.partition(":")
        if colon:
            if not re.fullmatch(r"[+-]?\d+", nth.strip()):
                raise ExpressionError(
                    f"sprintf: bad directive %{_cut(spec)}% (Layer:n needs a number n)"
                )
            num = int(nth)
    else:
        name = target
    return fmt, cls, num, name


def _sprintf_directive(self: Packet, spec: str, relax: bool) -> str:
    """The text of one directive ``%spec%`` (without its percent signs)."""
    fmt, cls, num, name = _sprintf_parse(spec)
    raw = fmt.endswith("r")
    if raw:
        fmt = fmt[:-1] or "s"
    if name == "time":  # Scapy's special case: the packet's time, whatever the layer
        value: Any = _sprintf_time(float(self.time))
    else:
        found = _sprintf_layer(self, cls, num, name)
        if found is None:
            if not relax:
                raise ExpressionError(f"sprintf: no layer has the field of %{_cut(spec)}%")
            return "??"
        value = _sprintf_value(found, name, raw)
    try:
        return str(("%" + fmt) % value)
    except (TypeError, ValueError) as e:
        raise ExpressionError(f"sprintf: %{_cut(spec)}%: {e}") from None


def _sprintf_layer(self: Packet, cls: str | None, num: int, name: str) -> Packet | None:
    """The layer a directive reads: the ``num``-th layer of class name ``cls`` (any class
    when None) that has ``name`` as a field or public attribute."""
    for layer in self.iterlayers():
        if cls is not None and type(layer).__name__ != cls:
            continue
        if name not in layer._fieldmap and (name.startswith("_") or not hasattr(layer, name)):
            continue
        if num > 1:
            num -= 1
            continue
        return layer
    return None


def _sprintf_value(layer: Packet, name: str, raw: bool) -> Any:
    """A field's display text (``raw``: its value as read, ``pkt.flags``), or an attribute's
    value."""
    f = layer._fieldmap.get(name)
    if f is None or raw:
        return getattr(layer, name)
    return layer._field_repr(f, layer._display_value(name))


def _sprintf_time(t: float) -> str:
    """``%.time%``: the local time of day, to the microsecond (Scapy's form)."""
    import time

    micro = int((t - int(t)) * 1_000_000)
    return time.strftime("%H:%M:%S", time.localtime(t)) + f".{micro:06d}"


def to_dict(self: Packet) -> dict[str, Any]:
    """The packet as JSON-ready data: one entry per layer, fields with display names."""
    layers = []
    for layer in self.iterlayers():
        fields: dict[str, Any] = {}
        for f in layer._fields:
            v = layer._display_value(f.name)
            fields[f.name] = layer._json_value(f, v)
        entry: dict[str, Any] = {"layer": type(layer).__name__, "fields": fields}
        errs = layer.__dict__.get("_errors")
        if errs:
            entry["errors"] = [str(e) for e in errs]
        partial = layer.__dict__.get("_partial")
        if partial is not None:  # a truncated header: the fields it lacks
            ex = layer.__dict__["_explicit"]
            entry["truncated"] = len(partial[0])
            entry["absent"] = [n for n in layer._names if n not in ex]
        note = layer._chksum_note()
        if note:
            entry["chksum_ok"] = False
        layers.append(entry)
    return {"summary": self.summary(), "layers": layers}


def _json_value(self: Packet, f: Field, v: Any) -> Any:
    if isinstance(v, list):
        return [self._json_item(x) for x in v]
    if hasattr(v, "to_dict") and hasattr(v, "_explicit"):  # a packet a field holds
        return v.to_dict()
    return f.i2json(v)


def _json_item(x: Any) -> Any:
    if isinstance(x, _kinds.Packet):
        return x.to_dict()
    if isinstance(x, bytes):
        return x.hex()
    if isinstance(x, tuple):
        return [_kinds.Packet._json_item(y) for y in x]
    if hasattr(x, "to_json"):
        return x.to_json()
    return x


display = show


def command(self: Packet) -> str:
    """The expression that builds this packet (Scapy's ``command()``), e.g. for
    ``paquet craft``: ``IP(dst='192.0.2.1')/ICMP()``."""
    packet = _kinds.Packet
    parts = []
    for layer in self.iterlayers():
        d = layer.__dict__
        ex = d["_explicit"]
        args = []
        for f in layer._fields:
            n = f.name
            if ex is _ALL or (ex and n in ex):
                v = d[n]
                if v is None and f.isconditional:
                    continue  # absent
                if isinstance(v, packet):
                    args.append(f"{n}={v.command()}")
                    continue
                if isinstance(v, list) and v and all(isinstance(x, packet) for x in v):
                    args.append(f"{n}=[{','.join(x.command() for x in v)}]")
                    continue
                if isinstance(v, list) and v and not isinstance(v[0], tuple | int | str):
                    continue  # option objects have no literal form
                if isinstance(v, list):
                    args.append(f"{n}=[{','.join(repr(x) for x in v)}]")  # (Scapy's form)
                    continue
                if isinstance(v, int) and not isinstance(v, bool):
                    v = int(v)  # a FlagValue as its number
                cmd = getattr(type(v), "command", None)  # a random value: RandIP()
                args.append(f"{n}={v.command() if cmd is not None else repr(v)}")
        parts.append(f"{type(layer).__name__}({', '.join(args)})")
    return "/".join(parts)


def hexdump(self: Packet, dump: bool = False) -> str | None:
    """Print (or with ``dump=True`` return) Scapy's hexdump of the packet's bytes."""
    from paquet.packet.dump import hexdump  # (when asked: not on every import)

    return hexdump(self, dump=dump)


def json(self: Packet) -> str:
    """The packet's fields as JSON, layer inside layer under ``"payload"`` (Scapy's
    ``json()``): for reading and grepping, not to rebuild the packet from (flags are numbers,
    bytes are text, option lists are their ``repr``).

    >>> from paquet import IP, UDP
    >>> (IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=654)).json()[-68:]
    '"payload": {"sport": 654, "dport": 53, "len": null, "chksum": null}}'
    """
    import json as _json

    packet = _kinds.Packet

    def fields(layer: Packet) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in layer._fields:
            v = layer._display_value(f.name)
            if isinstance(v, list | dict | set) and not v and not f.default:
                empty = getattr(f, "json_empty", None)  # Scapy's TCP options are "" when empty
                if empty is None:
                    continue
                v = empty
            out[f.name] = _jsonable(v)
        return out

    def _jsonable(v: Any) -> Any:
        if isinstance(v, packet):
            return fields(v)
        if isinstance(v, list):
            return [fields(x) if isinstance(x, packet) else repr(x) for x in v]
        if isinstance(v, bytes | bytearray):
            return bytes(v).decode("utf-8", errors="backslashreplace")
        if isinstance(v, int) and not isinstance(v, bool):
            return int(v)  # a FlagValue, an enum member: the number
        if v is None or isinstance(v, str | float | bool):
            return v
        return str(v)

    dumps = [_json.dumps(fields(layer)) for layer in self.iterlayers()]
    out = dumps[-1]
    for d in reversed(dumps[:-1]):
        out = d[:-1] + f', "payload": {out}}}' if d != "{}" else f'{{"payload": {out}}}'
    return out
