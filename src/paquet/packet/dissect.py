"""The dissection driver: bytes into layers, lazily above the first one.

``Layer(data)`` runs :func:`_init_from_bytes`; :func:`dissect_as` and :func:`dissector` are the
readers' ways in. A layer's header is parsed by its ``do_dissect`` (or its ``quick_dissect``, in
one step); its payload is left for later (``_lazy``) and made by :func:`payload_of` when first
asked for. A header that does not parse raises :class:`Malformed` inside, and becomes a
:class:`~paquet.packet.base.Raw` with the reason outside (``strict=True``: a
:class:`~paquet.errors.DecodeError`), except a first layer called on bytes shorter than its
header, which keeps them (Scapy's partial header: :func:`_partial_first`, at the end of this
module, with the build of such a layer).

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


#: The instance dict entry where a layer of the general path keeps the bytes it was dissected
#: from, with copies of its mutable values: it builds them back unchanged until a field changes
#: (see :mod:`paquet.packet.general`); ``clear_cache()`` forgets it.
_RAW = "_rawcache"


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


# ---------------------------------------------------------------------------------------------
# Truncated headers: a layer called on bytes shorter than its header (Scapy's partial header).
#
# :func:`_partial_first` is what dissection does with such a first layer: the fields whose bytes
# are there are parsed by the layer's own ``do_dissect`` (on the bytes padded three ways), the
# others count as absent, and the bytes are kept so that ``bytes()`` gives them back verbatim
# until a field changes (:class:`_PartialBuild`). Copies keep that (``_rebind_partial``, called
# by compose.py).


def _partial_first(first: Packet, data: bytes) -> None:
    """Keep ``data`` in ``first``, a layer called on bytes that are not a whole header of its
    kind (Scapy's partial header, without its loss of bytes).

    The fields whose bytes are all there are parsed (see :func:`_partial_values`); the others
    keep their defaults and count as absent: ``repr`` leaves them out, ``show()`` prints
    ``<absent>``, ``summary()`` marks the layer ``[truncated]``. ``data`` itself is kept
    (``_partial``) and the layer's ``do_build`` is a :class:`_PartialBuild`: while no field is
    changed and nothing is put on top, building gives ``data`` back verbatim; after an edit it
    builds the header in full and lays it over ``data``: as long as ``data`` (cut there, as a
    capture cut short; the bytes past a shorter header kept), then a payload put on top.
    """
    d = first.__dict__
    found = _partial_values(type(first), data)
    if found is not None:
        values, present = found
        for name in first._names:
            d[name] = values[name] if name in present else first._defaults[name]
    else:
        present = _partial_fixed(first, data)
    d["_explicit"] = dict.fromkeys(present)
    d["_partial"] = (data, _snapshot(first))
    d["do_build"] = _PartialBuild(first)


#: The fills and the padding lengths :func:`_partial_values` tries (the long paddings leave
#: zeros out: 0x5A and 0xA5 still differ in every bit, so a bit read from padding never
#: looks present, as it would from 0xFF and 0x5A alone).
_PARTIAL_FILLS = (0x00, 0xFF, 0x5A, 0xA5)
_PARTIAL_EXTRA = (0, 64, 4096)


def _partial_values(cls: type[Packet], data: bytes) -> tuple[dict[str, Any], list[str]] | None:
    """The fields of a ``cls`` header cut short at ``data``, as the layer's own ``do_dissect``
    reads them, and the names of those its bytes decide; None when padding does not help.

    ``data`` is padded (to the fixed part, and 64 bytes further; 4,096 for a length field
    that points far) with three different fills and dissected each time on a scratch layer:
    a field whose value is the same whatever the padding is made of ``data``'s bytes alone
    (present); the others read padding (absent), a field taking the rest of the bytes too.
    The layer's own code decides the layout (ICMP's fields that depend on the type, IPv6's
    addresses after the fixed part).
    """
    short = max((cls._hdr_len or _default_size(cls)) - len(data), 0)
    runs = []
    fills: set[int] = set()
    for extra in _PARTIAL_EXTRA:
        if extra > 64 and len(fills) >= 2:
            break  # a long padding only for a length field pointing far
        # Zeros make the most items of a padded list of options (Pad1, EOL): not for long.
        for fill in _PARTIAL_FILLS if extra <= 64 else _PARTIAL_FILLS[1:]:
            scratch = _blank(cls)
            padded = data + bytes([fill]) * (short + extra)
            try:
                scratch.do_dissect(padded, 0, len(padded))
            except Exception:  # Malformed, or a layer's own code choking on the padding
                continue
            runs.append(scratch.__dict__)
            fills.add(fill)
    if len(fills) < 2:
        return None  # one fill alone cannot tell data from padding
    first = runs[0]
    # Present: read from the bytes in every run (a conditional field whose condition was
    # false, or the fields after where the bytes ended, were not: Scapy's ``fields``), with
    # the same value whatever the padding.
    present = [n for n in cls._names
               if all(r[n] == first[n] and _read(r, n) for r in runs)]
    return first, present


def _read(d: dict[str, Any], name: str) -> bool:
    """True when the scratch dissection ``d`` read field ``name`` from the bytes."""
    ex = d.get("_explicit")
    return not isinstance(ex, dict) or name in ex


_DEFAULT_SIZES: dict[type[Packet], int] = {}


def _default_size(cls: type[Packet]) -> int:
    """The length of ``cls``'s header built from its defaults (0 when it cannot be built
    alone): a layer of the general path has no fixed length to pad to, and a field read past
    the end of short padding would look the same whatever the padding is made of."""
    size = _DEFAULT_SIZES.get(cls)
    if size is None:
        try:
            size = len(cls().do_build()) if not cls._pktfields else 0
        except Exception:  # a layer that needs context to build
            size = 0
        _DEFAULT_SIZES[cls] = size
    return size


def _partial_fixed(layer: Packet, data: bytes) -> list[str]:
    """The fixed fields of ``layer`` read from ``data`` zero-padded (when its own
    ``do_dissect`` fails whatever the padding); returns those whose bytes are all there."""
    d = layer.__dict__
    d.update(layer._defaults)
    size = layer._hdr_len
    if size:
        try:
            layer._unpack_fixed(d, data.ljust(size, b"\x00"), 0)
        except Exception:  # a generated unpacker on odd bytes: keep the defaults
            d.update(layer._defaults)
    n = len(data)
    present = [name for name, e in zip(layer._fixed_names, layer._fixed_ends, strict=True)
               if e <= n]
    for name in layer._names:
        if name not in present:
            d[name] = layer._defaults[name]
    return present


def _snapshot(layer: Packet) -> dict[str, Any]:
    """The field values of ``layer`` (lists copied), to tell later whether one was changed."""
    d = layer.__dict__
    return {n: list(d[n]) if isinstance(d[n], list) else d[n] for n in layer._names}


class _PartialBuild:
    """The ``do_build`` of a layer dissected from a truncated header (see _partial_first)."""

    __slots__ = ("layer",)

    def __init__(self, layer: Packet) -> None:
        self.layer = layer

    def __call__(self) -> bytes:
        layer = self.layer
        d = layer.__dict__
        data: bytes = d["_partial"][0]
        p = payload_of(layer)
        if p is NOPAYLOAD and _snapshot(layer) == d["_partial"][1]:
            return data
        full = type(layer).do_build(layer)
        pay = b"" if p is NOPAYLOAD else p.do_build()
        hdr = full[: len(full) - len(pay)] if pay and full.endswith(pay) else full
        return hdr[: len(data)] + data[len(hdr) :] + full[len(hdr) :]


def _rebind_partial(new: Packet) -> None:
    """A copy of a truncated layer builds from its own fields."""
    new.__dict__["do_build"] = _PartialBuild(new)
