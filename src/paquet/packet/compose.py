"""Composing packets: ``/`` (with temporaries reused, not copied), ``*``, payloads added and
removed, copies: functions set in :class:`~paquet.packet.base.Packet`'s class body.

A binding between two layers (``registry.bind_layers``) sets the lower layer's fields when they
are composed (``Ether()/IPv6()`` sets ``Ether.type``): :func:`_apply_overload`, with the pairs
already seen memoised. The engine's own objects (``Packet``, ``Raw``, ``NOPAYLOAD``) are given
to this module by :mod:`paquet.packet.base` once they exist (:func:`bind`), which keeps the
module below it (no import cycle) and their lookups module globals, as fast as there.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeVar

from paquet.packet import registry
from paquet.packet.dissect import _ALL, _materialize, _rebind_partial
from paquet.packet.fields import FieldError
from paquet.packet.temporaries import _TEMP_OTHER, _TEMP_SELF

if TYPE_CHECKING:
    from paquet.packet.base import NoPayload, Packet
    from paquet.packet.base import Raw as _RawT

__all__ = ["add_payload", "bind", "clone_with", "copy", "mul", "remove_payload", "rtruediv",
           "truediv"]

P = TypeVar("P", bound="Packet")

# Given by paquet.packet.base (bind): the engine's classes and its empty payload.
NOPAYLOAD: NoPayload
_Packet: type[Packet]  # (the class; ``Packet`` names it in annotations)
Raw: type[_RawT]
_RAW_INIT: dict[str, Any] = {}

_getrefcount = sys.getrefcount
_new = object.__new__
#: Absent from the memo of overloads (distinct from None: "no fields to set").
_MISSING: Any = object()
_OVERLOAD_MEMO = registry.OVERLOAD_MEMO


def bind(packet: Any, nopayload: Any, raw: Any) -> None:
    """Called by :mod:`paquet.packet.base` once its classes exist."""
    global _Packet, NOPAYLOAD, Raw, _RAW_INIT
    _Packet, NOPAYLOAD, Raw, _RAW_INIT = packet, nopayload, raw, raw._init


def truediv(self: Packet, other: Any) -> Packet:
    # A left or right operand that nothing else refers to (a temporary such as the
    # ``IP()`` in ``IP()/TCP()``) is reused instead of copied: building a stack costs
    # one object per layer, as it would by nesting constructors. A payload refers back
    # to its underlayer: that reference is not the user's.
    rc_self = _getrefcount(self)
    if isinstance(other, _Packet):
        ud = other.__dict__
        rc = _getrefcount(other)
        if (
            rc <= _TEMP_OTHER
            or (rc == _TEMP_OTHER + 1 and ud.get("payload", NOPAYLOAD) is not NOPAYLOAD)
        ) and ud["underlayer"] is None:
            upper = other
        else:
            upper = other.copy()
            ud = upper.__dict__
    elif type(other) is bytes:
        # The common ``/ b"payload"``: a Raw made directly, without keyword parsing.
        upper = _new(Raw)
        ud = upper.__dict__
        ud.update(_RAW_INIT)
        ud["load"] = other
        ud["time"] = self.__dict__["time"]  # made with the layer it goes on
        ud["_explicit"] = {"load": None}
    elif isinstance(other, bytes | bytearray | str):
        upper = Raw(load=other)
        ud = upper.__dict__
    else:
        return NotImplemented  # type: ignore[no-any-return]
    sd = self.__dict__
    if (
        rc_self <= _TEMP_SELF
        or (rc_self == _TEMP_SELF + 1 and sd.get("payload", NOPAYLOAD) is not NOPAYLOAD)
    ) and sd["underlayer"] is None:
        lower = self
    else:
        lower = self.copy()
    # add_payload, inlined (the hot path of ``a / b / c``).
    last = lower
    ld = sd if lower is self else last.__dict__
    while (p := ld.get("payload")) is not NOPAYLOAD:
        last = _materialize(last, False) if p is None else p
        ld = last.__dict__
    ld["payload"] = upper
    ud["underlayer"] = last
    over = _OVERLOAD_MEMO.get((type(last), type(upper)), _MISSING)
    if over is _MISSING:
        _apply_overload(last, upper, over)
    elif over:
        ex = ld["_explicit"]
        if ex is None or (ex is not _ALL and ex.keys().isdisjoint(over)):
            ld.update(over)
            ld["_overloaded"] = over
        else:
            _apply_overload(last, upper, over)
    return lower

def rtruediv(self: Packet, other: Any) -> Packet:
    if isinstance(other, bytes | bytearray | str):
        lower = Raw(load=other)
        lower.add_payload(self.copy())
        return lower
    return NotImplemented  # type: ignore[no-any-return]

def mul(self: Packet, count: int) -> list[Packet]:
    if not isinstance(count, int):
        return NotImplemented
    return [self.copy() for _ in range(count)]


def add_payload(self: Packet, payload: Packet | bytes | str) -> None:
    """Put ``payload`` on top of the last layer of this packet (bytes become :class:`Raw`)."""
    if not isinstance(payload, _Packet):
        if isinstance(payload, bytes | bytearray | str):
            payload = Raw(load=payload)
        else:
            raise FieldError(f"cannot add {type(payload).__name__} as a payload")
    last = self
    ld = last.__dict__
    while True:
        p = ld.get("payload")
        if p is NOPAYLOAD:
            break
        last = _materialize(last, False) if p is None else p
        ld = last.__dict__
    ld["payload"] = payload
    payload.__dict__["underlayer"] = last
    _apply_overload(last, payload, _OVERLOAD_MEMO.get((type(last), type(payload)), _MISSING))

def remove_payload(self: Packet) -> None:
    """Detach the payload; fields it had set on this layer go back to their defaults."""
    d = self.__dict__
    d.pop("_lazy", None)
    p = d.get("payload", NOPAYLOAD)
    if p is not NOPAYLOAD:
        p.__dict__["underlayer"] = None
    d["payload"] = NOPAYLOAD
    ov = d.get("_overloaded")
    if ov:
        for k in ov:
            d[k] = self._defaults[k]
        d["_overloaded"] = None

def copy(self: P) -> P:
    """A deep copy of this packet and its payload (field lists copied too).

    A loop over the layers, not a recursion: a packet of any depth copies.
    """
    new = self._copy_layer()
    last = new
    layer: Packet = self
    # A payload left for later stays so in the copy (its bytes do not change).
    while (p := layer.__dict__.get("payload", NOPAYLOAD)) is not NOPAYLOAD:
        pc = p._copy_layer()
        pc.__dict__["underlayer"] = last
        last.__dict__["payload"] = pc
        last = pc
        layer = p
    return new

def _copy_layer(self: P) -> P:
    """A copy of this layer alone, its payload entry still the original's (``copy``)."""
    cls = type(self)
    new = cls.__new__(cls)
    nd = new.__dict__
    od = self.__dict__
    nd.update(od)
    for n in self._listfields:
        v = od[n]
        if isinstance(v, list):
            nd[n] = [x.copy() if isinstance(x, _Packet) else x for x in v]
    for n in self._pktfields:
        v = od[n]
        if isinstance(v, _Packet):
            nd[n] = v.copy()  # a packet held by a field is the copy's own
    ex = od["_explicit"]
    if ex is not None and ex is not _ALL:
        nd["_explicit"] = dict(ex)
    ov = od.get("_overloaded")
    if ov:
        nd["_overloaded"] = dict(ov)
    errs = od.get("_errors")
    if errs:
        nd["_errors"] = list(errs)
    if "_partial" in od:
        _rebind_partial(new)
    nd["underlayer"] = None
    return new

def clone_with(self: P, payload: Packet | None = None, **fields: Any) -> P:
    """A copy of this layer alone with ``fields`` changed and ``payload`` on top."""
    cls = type(self)
    new = cls.__new__(cls)
    nd = new.__dict__
    nd.update(self.__dict__)
    nd["payload"] = NOPAYLOAD
    nd.pop("_lazy", None)
    nd["underlayer"] = None
    ex = nd["_explicit"]
    if ex is not None and ex is not _ALL:
        nd["_explicit"] = dict(ex)
    nd["_overloaded"] = None
    if "_partial" in nd:
        _rebind_partial(new)
    for k, v in fields.items():
        setattr(new, k, v)
    if payload is not None:
        new.add_payload(payload)
    return new


def _apply_overload(last: Packet, payload: Packet, over: Any) -> None:
    """Set the fields of ``last`` that the binding to ``payload``'s class decides (``over``:
    the memo's entry for the pair, or _MISSING)."""
    if over is _MISSING:
        key = (type(last), type(payload))
        found = registry.overload_fields(*key)
        # Only the fields the lower layer has (a binding may name others).
        over = _OVERLOAD_MEMO[key] = (
            {k: v for k, v in found.items() if k in key[0]._fieldmap} if found else None
        )
    if over:
        # ``_overloaded`` is never changed in place: it may be the memo's own dict.
        ld = last.__dict__
        ex = ld["_explicit"]
        if ex is None or (ex is not _ALL and ex.keys().isdisjoint(over)):
            ld.update(over)
            ld["_overloaded"] = over
        elif ex is not _ALL:
            applied = {k: v for k, v in over.items() if k not in ex}
            if applied:
                ld.update(applied)
                ld["_overloaded"] = applied
