"""Scapy's Packet API around the fields, for layers written as in Scapy: the dissection
hooks (``pre_dissect``, ``post_dissect``, ``extract_padding``, ``default_payload_class``),
lookups (``getfield_and_val``, ``get_field``, ``fieldtype``), ``decode_payload_as``,
``do_dissect_payload``, ``add_parent``, the ordering of replies (``a < b``: ``a`` answers
``b``), renamed fields (``deprecated_fields``) and the adapters of Scapy's signatures
(``guess_payload_class(payload)``, ``dispatch_hook``).

These are :class:`~paquet.packet.base.Packet`'s methods, written here as functions and set in
its class body (as ``show.py``'s); ``base.py`` imports this module, so the engine's classes are
read from :mod:`paquet.packet.kinds` when they run.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from paquet.packet import kinds as _kinds
from paquet.packet.dissect import _ALL, _RAW, dissect_as, payload_of
from paquet.packet.walk import _held_packets

if TYPE_CHECKING:
    from paquet.packet.base import Packet
    from paquet.packet.fields import Field

__all__: list[str] = []


def default_payload_class(self: Packet, payload: bytes) -> type[Packet]:
    """The payload's class when no binding says (Scapy's hook): Raw."""
    return _kinds.Raw


def pre_dissect(self: Packet, s: bytes) -> bytes:
    """The bytes a layer's fields are read from (Scapy's hook: they may be changed
    here, keeping their length)."""
    return s


def post_dissect(self: Packet, s: bytes) -> bytes:
    """Called after the fields are read, with the bytes after them; returns them."""
    return s


def extract_padding(self: Packet, s: bytes) -> tuple[bytes, bytes | None]:
    """Split the bytes after the header into (payload, padding) (Scapy's hook)."""
    return s, None


def do_dissect_payload(self: Packet, s: bytes) -> None:
    """Dissect ``s`` as this layer's payload and put it on top (Scapy's method)."""
    if s:
        cls = self.guess_payload_class(s)
        self.add_payload(dissect_as(cls, s))


def decode_payload_as(self: Packet, cls: type[Packet]) -> None:
    """Dissect the payload again as ``cls`` (Scapy's ``decode_payload_as``)."""
    s = payload_of(self).build()
    self.remove_payload()
    if s:
        self.add_payload(dissect_as(cls, s))


def getfield_and_val(self: Packet, attr: str) -> tuple[Field, Any]:
    """The field ``attr`` of this layer and its value (ValueError: not a field of this
    layer; as Scapy, the payload is not searched)."""
    f = self._fieldmap.get(attr)
    if f is None:
        raise ValueError(attr)
    return f, self.__dict__[attr]


def add_parent(self: Packet, parent: Packet) -> None:
    """Record the layer whose field holds this packet (Scapy's ``add_parent``)."""
    self.__dict__["parent"] = parent


def get_field(self: Packet, fld: str) -> Field:
    """The field object named ``fld`` of this layer (Scapy's ``get_field``)."""
    return self._fieldmap[fld]


def fieldtype(self: Packet) -> dict[str, Field]:
    """Field name -> field object, for this layer (Scapy's ``fieldtype``)."""
    return dict(self._fieldmap)


def clear_cache(self: Packet) -> None:
    """Forget the bytes each layer was dissected from (Scapy's ``clear_cache``), in every layer
    and every packet the fields hold: the next ``bytes()`` builds from the values.

    >>> from paquet import DHCP
    >>> p = DHCP(b"\\x79\\x01\\xff")
    >>> p.clear_cache(); bytes(p)
    b'y\\x01\\xff'
    """
    for layer in self.iterlayers():
        layer.__dict__.pop(_RAW, None)
        for held in _held_packets(layer):
            clear_cache(held)


def hide_defaults(self: Packet) -> None:
    """Forget the values set that equal their field's default, in every layer (Scapy's
    ``hide_defaults``): ``repr`` shows only what differs, and a binding may fill those fields
    again.

    >>> from paquet import ICMP, IP
    >>> p = IP(ttl=64, tos=1) / ICMP(type=8)
    >>> p.hide_defaults(); p
    <IP  tos=0x1 frag=0 proto=icmp |<ICMP  |>>
    """
    for layer in self.iterlayers():
        d = layer.__dict__
        ex = d["_explicit"]
        if not ex:
            continue
        names = layer._names if ex is _ALL else list(ex)
        fields = layer._fieldmap
        d["_explicit"] = {n: None for n in names if n in fields and d[n] != fields[n].default}


def lt(self: Packet, other: Any) -> bool:
    """``a < b``: ``a`` answers ``b`` (Scapy's ordering of a reply after its probe)."""
    if isinstance(other, _kinds.Packet):
        return self.answers(other)
    if isinstance(other, bytes):
        return True
    raise TypeError((self, other))


def gt(self: Packet, other: Any) -> bool:
    """``a > b``: ``b`` answers ``a``."""
    if isinstance(other, _kinds.Packet):
        return other.answers(self)
    if isinstance(other, bytes):
        return True
    raise TypeError((self, other))


#: Set (for good) when a class declares ``deprecated_fields``: old names are then looked up.
DEPRECATED: list[bool] = []


def deprecated(pkt: Packet, name: str) -> str:
    """The field that the old name ``name`` stands for, with Scapy's DeprecationWarning."""
    import warnings

    new, version = pkt.deprecated_fields[name]
    warnings.warn(f"{type(pkt).__name__} has been modified: {name} is deprecated since "
                  f"{version}, use {new}", DeprecationWarning, stacklevel=3)
    return new


def scapy_hooks(cls: type[Packet]) -> None:
    """Adapt what a layer written for Scapy defines with Scapy's signatures:
    ``guess_payload_class(self, payload)`` and the classmethod ``dispatch_hook(_pkt)``."""
    if cls.__dict__.get("deprecated_fields") and not DEPRECATED:
        DEPRECATED.append(True)
    guess = cls.__dict__.get("guess_payload_class")
    if callable(guess) and guess.__code__.co_argcount == 2:
        user = guess

        def guess_payload_class(
            self: Packet, data: bytes, start: int | None = None, end: int | None = None
        ) -> type[Packet]:
            if start is None:
                return user(self, data)  # type: ignore[no-any-return]
            return user(self, data[start:end])  # type: ignore[no-any-return]

        guess_payload_class.__doc__ = guess.__doc__
        cls.guess_payload_class = guess_payload_class  # type: ignore[method-assign]
    hook = cls.__dict__.get("dispatch_hook")
    if hook is not None and "dispatch_class" not in cls.__dict__:
        fn = hook.__func__ if isinstance(hook, classmethod) else hook

        def dispatch_class(klass: type[Packet], data: bytes, start: int, end: int) -> type[Packet]:
            found = fn(klass, data[start:end])
            return found if isinstance(found, type) else klass

        cls.dispatch_class = classmethod(dispatch_class)  # type: ignore[assignment]


#: The capture metadata a pickle keeps (as Scapy's pickles keep it).
_META = ("sent_time", "wirelen", "_direction", "sniffed_on", "comments", "process_information")


def reduce(self: Packet) -> tuple[Any, ...]:
    """``Packet.__reduce__``: the bytes, the time, the capture metadata and the values of the
    ``__slots__`` a subclass declares (those set), as Scapy pickles a packet."""
    d = self.__dict__
    meta = {k: d[k] for k in _META if k in d}
    for klass in type(self).__mro__:
        if klass is _kinds.Packet:
            break
        for name in klass.__dict__.get("__slots__", ()):
            if isinstance(name, str) and hasattr(self, name) and name not in d:
                meta[name] = getattr(self, name)
    return (rebuild, (type(self), self.build(), d["time"], meta))


def rebuild(
    cls: type[Packet], data: bytes, t: float, meta: dict[str, Any] | None = None
) -> Packet:
    """A pickled packet: ``cls`` dissected from ``data``, its time and metadata set."""
    pkt = cls(data)
    pkt.time = t
    for k, v in (meta or {}).items():
        if k == "direction":  # (pickled before the metadata moved to "_direction")
            k = "_direction"
        if k in _META:
            pkt.__dict__[k] = v
        else:
            setattr(pkt, k, v)  # a subclass's own __slots__ value
    return pkt


def _rebuild_pkt(cls: type[Packet], raw_packet: bytes) -> Packet:
    """A packet of class ``cls`` dissected from ``raw_packet`` (Scapy's ``_rebuild_pkt``,
    what its pickles call)."""
    return cls(raw_packet)


#: The metadata of Scapy's first pickles, in the order of their state tuple.
_LEGACY_STATE = ("time", "sent_time", "direction", "sniffed_on", "wirelen", "comment")


def setstate(self: Packet, state: Any) -> Packet:
    """The capture metadata of a pickle made by Scapy (``Packet.__setstate__``): its older
    tuple ``(time, sent_time, direction, sniffed_on, wirelen, comment)`` or its versioned
    dict (``time``, ``sent_time``, ``direction``, ``sniffed_on``, ``wirelen``, ``comments``
    or ``comment``, and ``extra_slots``: the values of a subclass's own ``__slots__``).

    >>> from paquet.packet.base import Raw
    >>> p = Raw(b"x").__setstate__((5.0, None, 2, "eth0", 60, b"hi"))
    >>> p.time, p.direction, p.sniffed_on, p.wirelen, p.comments
    (5.0, 2, 'eth0', 60, [b'hi'])
    """
    if isinstance(state, tuple):
        for name, value in zip(_LEGACY_STATE, state, strict=False):
            setattr(self, name, value)
        return self
    if not isinstance(state, dict):
        raise TypeError(f"{type(self).__name__}: cannot restore a pickle state {state!r}")
    for name in _LEGACY_STATE[:5]:
        if name in state:
            setattr(self, name, state[name])
    if "comments" in state:
        self.comments = state["comments"]
    elif "comment" in state:
        self.comment = state["comment"]
    extra = state.get("extra_slots")
    if isinstance(extra, dict):
        slots = {n for k in type(self).__mro__ for n in k.__dict__.get("__slots__", ())
                 if isinstance(n, str)}
        for name, value in extra.items():
            if name in slots:  # (a subclass's own slot; stale names are ignored, as Scapy)
                with contextlib.suppress(AttributeError):
                    setattr(self, name, value)
    return self
