"""Reading and writing a packet's fields as attributes: ``pkt.ttl``, ``pkt.ttl = 3``,
``del pkt.ttl`` (back to the default), a field of an upper layer reached from a lower one
(``pkt.dport`` on an ``IP()/TCP()``), and Scapy's views of the fields (``fields``,
``default_fields``, ``overloaded_fields``), the decode errors and ``is_set``: functions set in
:class:`~paquet.packet.base.Packet`'s class body.

The engine's own objects (``Packet``, ``NOPAYLOAD``) are given to this module by
:mod:`paquet.packet.base` once they exist (:func:`bind`): no import cycle, module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any

from paquet.errors import DecodeError
from paquet.packet.dissect import _ALL, _GUESSING, _materialize, payload_of
from paquet.packet.scapyapi import DEPRECATED as _DEPRECATED
from paquet.packet.scapyapi import deprecated as _deprecated

if TYPE_CHECKING:
    from paquet.packet.base import NoPayload, Packet

__all__ = ["add_error", "bind", "default_fields", "delattr_", "errors", "fields", "getattr_",
           "getfieldval", "is_set", "overloaded_fields", "setattr_", "setfieldval"]

# Names kept in the instance dict next to the fields; no layer may use them as field names.
_STATE = (
    "payload", "underlayer", "time", "sent_time", "_explicit", "_overloaded", "_errors", "_lazy",
    "_psum", "_partial", "do_build", "parent",
    # Capture metadata, as Scapy's (read and written by paquet.pcap and paquet.pcapng).
    "wirelen", "_direction", "sniffed_on", "comments", "process_information",
)

# Given by paquet.packet.base (bind).
NOPAYLOAD: NoPayload
_Packet: type[Packet]  # (the class; ``Packet`` names it in annotations)


def bind(packet: type[Packet], nopayload: NoPayload) -> None:
    """Called by :mod:`paquet.packet.base` once its classes exist."""
    global _Packet, NOPAYLOAD
    _Packet, NOPAYLOAD = packet, nopayload


def _convert(conv: Callable[[Any], Any], value: Any) -> Any:
    return conv(value)



def getattr_(self: Packet, name: str) -> Any:
    # Only called when normal lookup fails: the field may be in an upper layer. A loop
    # over the layers (no recursion: any depth).
    if name.startswith("__"):
        raise AttributeError(name)
    if _DEPRECATED and name in self.deprecated_fields:
        return getattr(self, _deprecated(self, name))
    layer: Packet = self
    while True:
        d = layer.__dict__
        p = d.get("payload")
        if p is None:
            if "_lazy" not in d:
                raise AttributeError(name)
            p = _materialize(layer, False)
            if name == "payload":
                return p
        if p is NOPAYLOAD:
            raise AttributeError(f"{type(layer).__name__!r} has no field {name!r}")
        if type(p).__getattr__ is not _Packet.__getattr__:
            return getattr(p, name)
        try:
            return object.__getattribute__(p, name)
        except AttributeError:
            layer = p

def setattr_(self: Packet, name: str, value: Any) -> None:
    d = self.__dict__
    if name in self._fieldmap:
        if "_lazy" in d:
            # The payload was left for later: dissect it now, before a field it depends
            # on (the protocol number) changes.
            _materialize(self, False)
        c = self._conv.get(name)
        d[name] = _convert(c, value) if c is not None and value is not None else value
        ex = d["_explicit"]
        if ex is None:
            d["_explicit"] = {name: None}
        elif ex is not _ALL:
            ex[name] = None
        ov = d.get("_overloaded")
        if ov and name in ov:
            # Shared with the bindings' memo: replaced, never changed in place.
            d["_overloaded"] = {k: v for k, v in ov.items() if k != name}
        return
    if name == "payload":
        self.remove_payload()
        if value is not None and value is not NOPAYLOAD:
            self.add_payload(value)
        return
    if _DEPRECATED and name in self.deprecated_fields:
        setattr(self, _deprecated(self, name), value)
        return
    if name in _STATE:
        d[name] = value
        return
    if isinstance(getattr(type(self), name, None), property | MemberDescriptorType):
        object.__setattr__(self, name, value)  # a property, or a slot of a subclass
        return
    # The first upper layer with that field (or property) sets it: found by a loop.
    # No layer has it: a plain attribute of this layer, as in Scapy.
    layer: Packet = self
    p: Packet
    while True:
        ld = layer.__dict__
        if ("_lazy" in ld and id(layer) in _GUESSING) or (
            "payload" not in ld and "_lazy" not in ld
        ):
            p = NOPAYLOAD  # its payload is being made, or it is not made yet
        else:
            p = payload_of(layer)
        if p is NOPAYLOAD:
            if name.startswith("__"):
                raise AttributeError(f"{type(layer).__name__} has no field {name!r}")
            object.__setattr__(self, name, value)
            return
        if (
            name in p._fieldmap
            or type(p).__setattr__ is not _Packet.__setattr__
            or isinstance(getattr(type(p), name, None), property)
        ):
            setattr(p, name, value)
            return
        layer = p

def delattr_(self: Packet, name: str) -> None:
    d = self.__dict__
    if name in self._fieldmap:
        if "_lazy" in d:
            _materialize(self, False)
        d[name] = self._defaults[name]
        ex = d["_explicit"]
        if ex is _ALL:
            d["_explicit"] = dict.fromkeys(n for n in self._names if n != name)
        elif ex:
            ex.pop(name, None)
        return
    if name == "payload":
        self.remove_payload()
        return
    layer: Packet = self
    while True:  # the first upper layer with that field (a loop: any depth)
        p = payload_of(layer)
        if p is NOPAYLOAD:
            raise AttributeError(f"{type(layer).__name__} has no field {name!r}")
        if name in p._fieldmap or type(p).__delattr__ is not _Packet.__delattr__:
            delattr(p, name)
            return
        layer = p

def getfieldval(self: Packet, name: str) -> Any:
    """The value of field ``name`` in this layer or, failing that, in the payload, as
    stored, as Scapy's: a ConditionalField's default when absent from the bytes dissected
    (where the attribute reads None), a field read through its ``i2h`` as it is before
    (IGMPv3's ``mrcode``: the code sent, where the attribute reads the time)."""
    if name in self._condfields:
        return self.__dict__[name]
    prop = getattr(type(self), name, None)
    if type(prop) is property and getattr(prop.fget, "_stored", False):
        return self.__dict__[name]
    return getattr(self, name)

def setfieldval(self: Packet, name: str, value: Any) -> None:
    """Set field ``name`` (in this layer or the first upper layer that has it)."""
    setattr(self, name, value)

def fields(self: Packet) -> dict[str, Any]:
    """The fields of this layer set explicitly (all of them after dissection), as Scapy's."""
    d = self.__dict__
    ex = d["_explicit"]
    if ex is _ALL:
        out = {n: d[n] for n in self._names}
    else:
        out = {n: d[n] for n in self._names if ex and n in ex}
    for n in self._shared_lists:
        if n in out:
            out[n] = getattr(self, n)  # the layer's own list, never the class's default
        elif d[n] and d[n] is not self._defaults[n]:
            out[n] = d[n]  # a list of the layer's own, filled (Scapy copies the default)
    return out

def default_fields(self: Packet) -> dict[str, Any]:
    """The default value of each field of this layer."""
    return {k: list(v) if type(v) is list else v for k, v in self._defaults.items()}

def overloaded_fields(self: Packet) -> dict[str, Any]:
    """Fields of this layer set by the layer put on top of it (``proto`` under ``TCP``)."""
    return dict(self.__dict__.get("_overloaded") or {})

def errors(self: Packet) -> list[DecodeError]:
    """Decode problems found in this layer and the layers above it, with their reasons."""
    out: list[DecodeError] = []
    layer: Packet = self
    while layer is not NOPAYLOAD:
        errs = layer.__dict__.get("_errors")
        if errs:
            out.extend(errs)
        layer = payload_of(layer)
    return out

def add_error(self: Packet, error: DecodeError) -> None:
    """Attach a decode problem to this layer."""
    d = self.__dict__
    errs = d.get("_errors")
    if errs is None:
        d["_errors"] = [error]
    else:
        errs.append(error)

def is_set(self: Packet, name: str) -> bool:
    """True when field ``name`` was given by the user or dissected (not a default)."""
    ex = self.__dict__["_explicit"]
    return ex is _ALL or bool(ex and name in ex)
