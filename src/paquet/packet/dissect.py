"""The dissection driver: bytes into layers, lazily above the first one.

``Layer(data)`` runs :func:`_init_from_bytes`; :func:`dissect_as` and :func:`dissector` are the
readers' ways in. A layer's header is parsed by its ``do_dissect`` (or its ``quick_dissect``, in
one step); its payload is left for later (``_lazy``) and made by :func:`payload_of` when first
asked for. A header that does not parse raises :class:`Malformed` inside, and becomes a
:class:`~paquet.packet.base.Raw` with the reason outside (``strict=True``: a
:class:`~paquet.errors.DecodeError`).

The engine's own objects (``Packet``, ``Raw``, ``Padding``, ``NOPAYLOAD``) are given to this
module by :mod:`paquet.packet.base` once they exist (:func:`bind`): the module stays below it
(no import cycle) and reads them as module globals, as fast as there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from time import time as _now
from typing import TYPE_CHECKING, Any, TypeVar

from paquet.errors import DecodeError
from paquet.packet import registry
from paquet.packet.fields import FieldError

if TYPE_CHECKING:
    from paquet.packet.base import NoPayload, Packet
    from paquet.packet.base import Padding as _PaddingT
    from paquet.packet.base import Raw as _RawT

__all__ = ["DISSECTED", "Malformed", "Paddings", "bind", "dissect_as", "dissector", "payload_of"]

P = TypeVar("P", bound="Packet")
#: Link paddings still to place after a payload: ``(start, stop)`` offsets, innermost last.
Paddings = tuple[tuple[int, int], ...]
_ALL = frozenset({"*"})  # ``_explicit`` of a dissected layer: every field counts as set
#: The ``_explicit`` entry of a dissected layer (every field counts as set): what a layer's
#: ``quick_dissect`` puts in the dict it returns.
DISSECTED = _ALL

# Given by paquet.packet.base (bind).
NOPAYLOAD: NoPayload
_Packet: type[Packet]  # (the class; ``Packet`` names it in annotations)
Raw: type[_RawT]
Padding: type[_PaddingT]
#: Replaces an instance's dict in one call (a layer's quick_dissect gives it whole).
_set_dict: Callable[[Any, dict[str, Any]], None]

_new = object.__new__
_MEMOS = registry.MEMO
_payload_class = registry.payload_class
#: The layers whose own ``guess_payload_class`` is running (their payload is being made).
_GUESSING: set[int] = set()
# Set (for good) when the first Padding is made: until then build() need not look for one.
_PADDINGS: list[bool] = []


def bind(packet: Any, nopayload: Any, raw: Any, padding: Any) -> None:
    """Called by :mod:`paquet.packet.base` once its classes exist."""
    global _Packet, NOPAYLOAD, Raw, Padding, _set_dict
    _Packet, NOPAYLOAD, Raw, Padding = packet, nopayload, raw, padding
    _set_dict = packet.__dict__["__dict__"].__set__


class Malformed(Exception):
    """Raised inside dissection when a header does not parse (internal, never escapes)."""

    def __init__(self, offset: int, expected: str) -> None:
        super().__init__(expected)
        self.offset = offset
        self.expected = expected


def _init_from_bytes(self: Packet, _pkt: Any, fields: dict[str, Any] | None = None) -> None:
    """``Layer(data, **fields)``: dissect ``data`` into ``self`` the general way, then set
    ``fields`` (a generated constructor has tried the layer's quick path first)."""
    d = self.__dict__
    if type(_pkt) is not bytes:
        if isinstance(_pkt, tuple):
            _unaligned(self, _pkt, fields)
            return
        _pkt = _pkt.encode("utf-8", "surrogateescape") if isinstance(_pkt, str) else bytes(_pkt)
    cls = type(self)
    if cls._dispatch:
        # A family's base class called on bytes is the member they name (Scapy's
        # dispatch_hook): ``_ICMPv6(data)`` is an echo request, a neighbour solicitation...
        object.__setattr__(self, "__class__", cls.dispatch_class(_pkt, 0, len(_pkt)))
    d.update(self._dinit)
    d["time"] = _now()
    _dissect_into(self, _pkt, False, top=True)
    if fields:
        self._check_fields(fields)
        d.update(fields)
        ex = d["_explicit"]
        if ex is None:
            d["_explicit"] = fields
        elif ex is not _ALL:
            ex.update(fields)


def _unaligned(self: Packet, pkt: tuple[Any, ...], fields: dict[str, Any] | None) -> None:
    """``Layer((data, bits))``: Scapy's unaligned data (bytes whose first ``bits`` bits belong
    to the field before, as a packet list after a bit field gives its items).

    ``Raw`` keeps it as its ``load``, as Scapy does (shown, not built). Another layer reads its
    fields from it one by one (their ``getfield`` takes such a pair, bit fields first); what
    is left goes where Scapy puts it: the padding its ``extract_padding`` says (still a pair:
    the next item of the list reads it), else a ``Raw`` payload.
    """
    if len(pkt) != 2 or not isinstance(pkt[1], int) or not isinstance(pkt[0], bytes | str):
        raise FieldError(f"{type(self).__name__}: dissects bytes, not {pkt!r}")
    data, bits = pkt
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    d = self.__dict__
    d.update(self._init)
    d["time"] = _now()
    if isinstance(self, Raw):
        d["load"] = (bytes(data), bits)
        d["_explicit"] = {"load": d["load"], **(fields or {})}
    else:
        rest: Any = (bytes(data), bits)
        for f in type(self)._fields:
            rest, d[f.name] = f.getfield(self, rest)
        d["_explicit"] = _ALL
        pay, pad = self.extract_padding(rest)
        top: Packet = self
        for part, kind in ((pay, Raw), (pad, Padding)):
            if not part or (isinstance(part, tuple) and not part[0]):
                continue
            layer = _blank(kind)
            layer.__dict__["load"] = part if isinstance(part, tuple) else bytes(part)
            layer.__dict__["time"] = d["time"]
            top.__dict__["payload"] = layer
            layer.__dict__["underlayer"] = top
            top = layer
    if fields:
        self._check_fields(fields)
        d.update(fields)


# ---------------------------------------------------------------------- dissection driver
#
# Dissection is lazy above the first layer: ``Ether(data)`` parses the Ethernet header, finds
# where its payload ends (``payload_end``) and keeps ``(data, start, stop, paddings)`` in the
# layer's ``_lazy`` entry instead of a ``payload``. The payload is dissected when first asked
# for, through :func:`payload_of` (``pkt.payload``, ``pkt[TCP]``, ``bytes(pkt)``, ``show()``...),
# one layer at a time, each layer lazy in turn. Strict mode dissects everything at once.


def payload_of(layer: Packet) -> Packet:
    """The payload of ``layer``, dissected now when it was left for later.

    Layer code reads the payload through this (or ``self.payload``), never through
    ``__dict__["payload"]``, which a dissected layer does not have until then.
    """
    p: Packet | None = layer.__dict__.get("payload")
    if p is None:
        return _materialize(layer, False)
    return p


def _blank(cls: type[P]) -> P:
    obj = cls.__new__(cls)
    obj.__dict__.update(cls._dinit)
    return obj


def _finish(
    layer: Packet,
    data: bytes,
    off: int,
    hend: int,
    end: int,
    paddings: tuple[tuple[int, int], ...],
    strict: bool,
) -> None:
    """After ``layer``'s header (``data[off:hend]``): where its payload stops, then either no
    payload (link padding, if any, on top) or the payload left for later."""
    ld = layer.__dict__
    if type(layer)._own_payload_end:
        pend = layer.payload_end(data, off, hend, end)
        if pend < end:
            paddings = (*paddings, (pend, end))
    else:
        pend = end
    if strict and "_errors" in ld:
        raise ld["_errors"][0]  # found by do_dissect or by payload_end
    if hend < pend:
        del ld["payload"]
        ld["_lazy"] = (data, hend, pend, paddings)
    elif paddings:
        _add_paddings(layer, data, paddings)


def _add_paddings(
    layer: Packet, data: bytes, paddings: tuple[tuple[int, int], ...]
) -> None:
    # Link padding: the innermost layer's first, then the outer layers' (as Scapy appends it).
    t = layer.__dict__["time"]
    for pstart, pstop in reversed(paddings):
        pad = _blank(Padding)
        pd = pad.__dict__
        pd["load"] = data[pstart:pstop]
        pd["time"] = t
        layer.__dict__["payload"] = pad
        pd["underlayer"] = layer
        layer = pad


def _materialize(layer: Packet, strict: bool) -> Packet:
    """Dissect the payload ``layer`` left for later; return it (it is now ``layer``'s payload).

    The new layer is published last, with one ``setdefault``: a thread that reaches the same
    payload at the same time gets the same object.
    """
    ld = layer.__dict__
    try:
        data, hend, pend, paddings = ld["_lazy"]
    except KeyError:
        p: Packet | None = ld.get("payload")
        if p is not None:
            return p  # dissected meanwhile by another thread
        raise AttributeError(f"{type(layer).__name__} has no payload yet") from None
    cls = layer.__class__
    ncls: type[Packet]
    if cls._own_guess:
        _GUESSING.add(id(layer))
        try:
            ncls = layer.guess_payload_class(data, hend, pend)
        except (KeyError, AttributeError):
            # (a guess reading a field the layer has not: a base class without fields,
            # called on bytes, is a hub whose bytes are its payload, here kept as Raw)
            ncls = Raw
        finally:
            _GUESSING.discard(id(layer))
    else:
        memo = _MEMOS.get(cls)
        try:
            ncls = memo[1][memo[2](ld)] or Raw  # type: ignore[index]
        except (KeyError, TypeError):  # no memo yet, a value not seen yet, or unhashable
            ncls = _payload_class(cls, ld) or Raw
    if ncls._dispatch:
        ncls = ncls.dispatch_class(data, hend, pend)
    quick = ncls._quick
    qd = None if quick is None or strict else quick(data, hend, pend, paddings, layer, ld["time"])
    if qd is None:
        nxt = _dissect_payload(layer, ncls, data, hend, pend, paddings, strict)
    else:
        nxt = _new(ncls)
        _set_dict(nxt, qd)
        if "_lazy" not in qd:
            qd["payload"] = NOPAYLOAD
            if paddings:
                _add_paddings(nxt, data, paddings)
    p = ld.setdefault("payload", nxt)
    if p is nxt:
        del ld["_lazy"]
    return p


def _dissect_payload(
    layer: Packet,
    ncls: type[Packet],
    data: bytes,
    hend: int,
    pend: int,
    paddings: Paddings,
    strict: bool,
) -> Packet:
    """The general path of :func:`_materialize`: ``data[hend:pend]`` dissected as ``ncls``
    (``do_dissect``, ``payload_end``), Raw with the reason when it does not parse."""
    ld = layer.__dict__
    if not _PADDINGS and ncls is not Raw and issubclass(ncls, Padding):
        _PADDINGS.append(True)  # (made without Padding.__new__: build must look for it)
    nxt: Packet = _new(ncls)
    nd = nxt.__dict__
    nd.update(ncls._dinit)
    nd["time"] = ld["time"]
    nd["underlayer"] = layer
    if ncls is Raw:
        # The usual end of a chain: the rest is the load, nothing above it.
        nd["load"] = data[hend:pend]
        if paddings:
            _add_paddings(nxt, data, paddings)
    else:
        try:
            nend = nxt.do_dissect(data, hend, pend)
        except Malformed as exc:
            err = DecodeError(ncls.name, exc.offset, exc.expected)
            if strict:
                raise err from None
            nxt = _blank(Raw)
            nd = nxt.__dict__
            nd["load"] = data[hend:pend]
            nd["time"] = ld["time"]
            nd["underlayer"] = layer
            nxt.add_error(err)
            if paddings:
                _add_paddings(nxt, data, paddings)
        else:
            # Where this payload's own payload stops (then link padding), as _finish does.
            if ncls._own_payload_end:
                end = nxt.payload_end(data, hend, nend, pend)
                if end < pend:
                    paddings = (*paddings, (end, pend))
            else:
                end = pend
            if strict and "_errors" in nd:
                raise nd["_errors"][0]
            if nend < end:
                del nd["payload"]
                nd["_lazy"] = (data, nend, end, paddings)
            elif paddings:
                _add_paddings(nxt, data, paddings)
    return nxt


def _dissect_into(
    first: Packet, data: bytes, strict: bool, top: bool = False
) -> Packet:
    """Dissect ``data`` into ``first`` (its payload left for later unless ``strict``); return
    the first layer.

    When ``first`` itself does not parse, the result is a :class:`Raw` holding ``data`` with
    the reason (``top=True``, a class called on bytes: ``first`` keeps what fits, zero-padded,
    as Scapy does, the reason recorded).
    """
    end = len(data)
    fd = first.__dict__  # filled from _dinit: _explicit is _ALL
    try:
        hend: int = first.do_dissect(data, 0, end)
    except Malformed as exc:
        err = DecodeError(first.name, exc.offset, exc.expected)
        if strict:
            raise err from None
        if top:
            from paquet.packet.partial import _partial_first  # (it imports this module)

            _partial_first(first, data)
            first.add_error(err)
            return first
        r = _blank(Raw)
        r.__dict__["load"] = data
        r.__dict__["time"] = fd["time"]
        r.add_error(err)
        return r
    if strict:
        _finish(first, data, 0, hend, end, (), True)
        layer = first
        while "_lazy" in layer.__dict__:
            layer = _materialize(layer, True)
        return first
    # _finish(first, data, 0, hend, end, (), False), inlined: the path of every packet read.
    if first.__class__._own_payload_end:
        pend = first.payload_end(data, 0, hend, end)
        if hend < pend:
            del fd["payload"]
            fd["_lazy"] = (data, hend, pend, ((pend, end),) if pend < end else ())
        elif pend < end:
            _add_paddings(first, data, ((pend, end),))
    elif hend < end:
        del fd["payload"]
        fd["_lazy"] = (data, hend, end, ())
    return first


def dissect_as(cls: type[Packet], data: bytes, *, strict: bool = False) -> Packet:
    """Dissect ``data`` as ``cls``; when its header does not parse, a :class:`Raw` with the reason.

    Never raises unless ``strict`` (then :class:`~paquet.errors.DecodeError`);
    ``bytes(result) == data`` always.
    """
    if type(data) is not bytes:
        data = bytes(data)
    if not strict:
        return _dissect_new(cls, cls._quick, data, _now())
    if cls._dispatch:
        cls = cls.dispatch_class(data, 0, len(data))
    obj = _blank(cls)
    obj.__dict__["time"] = _now()
    return _dissect_into(obj, data, True)


def _dissect_new(
    cls: type[Packet],
    quick: Callable[..., dict[str, Any] | None] | None,
    data: bytes,
    t: float,
) -> Packet:
    """A new ``cls`` dissected from ``data`` with time ``t``: its quick path ``quick`` (the
    class's ``_quick``), else the general one (a Raw with the reason when it does not parse)."""
    if quick is not None:
        qd = quick(data, 0, len(data), (), None, t)
        if qd is not None:
            obj = _new(cls)
            if "_lazy" not in qd:
                qd["payload"] = NOPAYLOAD
            _set_dict(obj, qd)
            return obj
    if cls._dispatch:
        cls = cls.dispatch_class(data, 0, len(data))
    obj = _blank(cls)
    obj.__dict__["time"] = t
    return _dissect_into(obj, data, False)


def dissector(cls: type[Packet]) -> Callable[[bytes, float], Packet]:
    """A function ``(data, time) -> packet`` dissecting bytes as ``cls`` with that ``time``:
    what :func:`dissect_as` does, without its per-call lookups (the loop of a capture reader,
    where every record starts with the same layer and carries its own time)."""
    return functools.partial(_dissect_new, cls, cls._quick)
