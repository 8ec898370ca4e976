"""The packet engine: :class:`Packet`, composition with ``/``, building, lazy dissection.

A layer is a subclass of :class:`Packet` with a field table, ``fields_desc``. When the class is
created the table is compiled once: a ``struct.Struct`` for the fixed part of the header and two
generated functions that pack and unpack it (bit fields included) without any per-field Python
call. Field values live in the instance ``__dict__``, filled from the class defaults by one C-level
``dict.update``, so reading ``pkt.ttl`` is a plain attribute read.

Building (``bytes(pkt)``) runs from the top layer down: each layer builds its payload first, then
its own header (``self_build``), then ``post_build`` fills what was left to None (lengths,
checksums). Dissecting runs the other way, one layer at a time, and never raises unless asked to
(``strict=True``): a layer that does not parse is kept as :class:`Raw` with the reason in
``pkt.errors``, so that ``bytes(dissected) == data`` always holds.

The rest of the engine is beside this module, one concern each: fields as attributes
(``access.py``), composition and copies (``compose.py``), walking the layers (``walk.py``), the
dissection driver (``dissect.py``), temporaries (``temporaries.py``), deep builds (``deep.py``),
the code generator (``compile.py``), the text views (``show.py``), expansions (``expand.py``),
truncated headers (the end of ``dissect.py``), ``ls`` and ``hexdump`` (``dump.py``); see
``README.md`` in this directory. Their names are still importable from here.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from time import time as _now
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from paquet.packet import access as _access
from paquet.packet import compose as _compose
from paquet.packet import dissect as _dissect
from paquet.packet import expand as _expand
from paquet.packet import kinds as _kinds
from paquet.packet import registry
from paquet.packet import scapyapi as _api
from paquet.packet import show as _views
from paquet.packet import temporaries as _temporaries
from paquet.packet import walk as _walk
from paquet.packet.access import _STATE as _STATE
from paquet.packet.access import _convert as _convert
from paquet.packet.compile import _HEXMAC as _HEXMAC  # re-exported (layers/ether.py)
from paquet.packet.compile import _NTOA as _NTOA  # re-exported (layers/ipv4.py)
from paquet.packet.compile import _compile, _install_init
from paquet.packet.compile import _hexmac as _hexmac
from paquet.packet.compile import _ntoa as _ntoa
from paquet.packet.compose import _MISSING as _MISSING
from paquet.packet.compose import _apply_overload as _apply_overload
from paquet.packet.deep import MAX_BUILD_DEPTH as MAX_BUILD_DEPTH
from paquet.packet.deep import _deep_build as _deep_build
from paquet.packet.deep import _first_expansion as _first_expansion
from paquet.packet.deep import _stack_depth as _stack_depth
from paquet.packet.dissect import _ALL as _ALL
from paquet.packet.dissect import _GUESSING as _GUESSING
from paquet.packet.dissect import _PADDINGS as _PADDINGS
from paquet.packet.dissect import DISSECTED as DISSECTED
from paquet.packet.dissect import Malformed as Malformed
from paquet.packet.dissect import Paddings as Paddings
from paquet.packet.dissect import _blank as _blank
from paquet.packet.dissect import _dissect_into as _dissect_into
from paquet.packet.dissect import _init_from_bytes as _init_from_bytes
from paquet.packet.dissect import _materialize as _materialize
from paquet.packet.dissect import dissect_as as dissect_as
from paquet.packet.dissect import dissector as dissector
from paquet.packet.dissect import payload_of as payload_of
from paquet.packet.fields import Field, FieldError
from paquet.packet.scapyapi import deprecated as _deprecated
from paquet.packet.scapyapi import scapy_hooks as _scapy_hooks
from paquet.packet.strfields import StrField
from paquet.packet.temporaries import _TEMP_OTHER as _TEMP_OTHER
from paquet.packet.temporaries import _TEMP_SELF as _TEMP_SELF
from paquet.packet.temporaries import _links as _links
from paquet.packet.temporaries import _padded as _padded
from paquet.packet.temporaries import _unlink_temporary as _unlink_temporary
from paquet.packet.walk import _held_packets as _held_packets

SHOW_MAX_INDENT = _views.SHOW_MAX_INDENT  # (tests read it here)

# The engine's C accelerators (_fastcall.c), built at install time when a C compiler is there:
# layer classes called without an argument tuple and a keyword dict, and ``/`` on temporaries.
# PAQUET_PURE=1 runs the pure Python engine (the specification).
_fastcall: ModuleType | None
try:
    from paquet.packet import _fastcall
except ImportError:  # not built
    _fastcall = None
if os.environ.get("PAQUET_PURE"):
    _fastcall = None

__all__ = [
    "DISSECTED",
    "NOPAYLOAD",
    "PSEUDO_SUM",
    "Malformed",
    "NoPayload",
    "Packet",
    "Padding",
    "Paddings",
    "Raw",
    "dissect_as",
    "dissector",
    "payload_of",
]

P = TypeVar("P", bound="Packet")

_META = _api._META
#: Kept by a network layer in its dict while its payload builds: the sum of its pseudo-header's
#: address words (any int congruent mod 0xFFFF), so that a transport layer computes its
#: checksum as ``PSEUDO_SUM + proto + length + its own words`` without the pseudo-header bytes.
#: Absent when the pseudo-header is unusual (a length set by hand, a source route): then the
#: transport layer asks ``pseudo_header()``.
PSEUDO_SUM = "_psum"


_NOPAYLOAD_SET = False
#: Set by paquet.volatile when the first random value is made: a copy of a packet with its
#: random values drawn, or None when it holds none (paquet.volatile.base.fixed_copy).
_volatile_hook: Callable[[Packet], Packet | None] | None = None


def _any_signature(fn: Callable[..., type[Packet]]) -> Callable[..., type[Packet]]:
    """A method layers override with either of two signatures (paquet's and Scapy's)."""
    return fn


class Packet:
    """A protocol layer, and through ``payload`` the layers above it.

    Build with keyword arguments (``IP(dst="192.0.2.1", ttl=5)``), stack with ``/``, get bytes
    with ``bytes(pkt)``; dissect with ``IP(data)``. Fields read and write as attributes; a field
    not in this layer is looked up in the payload, as Scapy does.
    """

    #: The field table: one :class:`~paquet.packet.fields.Field` per header field.
    fields_desc: ClassVar[Sequence[Field]] = ()
    #: Display name (``show()``); the class name by default.
    name: ClassVar[str] = "Packet"
    #: Extra indentation of the payload in ``show()`` (0 for layers shown flat).
    show_indent: ClassVar[int] = 1
    #: Offset of a 16-bit checksum inside the header (checked after dissection), or -1.
    chksum_offset: ClassVar[int] = -1
    #: The name of that checksum field (``show()`` flags a bad value next to it).
    chksum_field: ClassVar[str] = "chksum"
    #: True for the layers of a datagram quoted in an error message (``IPerror``,
    #: ``UDPerror``...): a quote may be cut short, which is not a decode error.
    in_quote: ClassVar[bool] = False
    #: Scapy's ``match_subclass``: when the first layer's class sets it, ``pkt[X]``,
    #: ``getlayer`` and ``haslayer`` also find subclasses of ``X``.
    match_subclass: ClassVar[bool] = False
    #: Whether a field is a trailer (an FCS after the payload): set by the field compiler.
    _has_trailer: ClassVar[bool] = False

    # Kept in the instance dict next to the fields (see _STATE).
    payload: Packet
    underlayer: Packet | None
    time: float
    #: When the packet was sent (set by the network layer); None until then.
    sent_time: float | None = None
    #: Capture metadata, as Scapy's: original length, direction (pcapng flags), interface
    #: name, comments and Apple's process information; None when unknown.
    wirelen: int | None = None
    sniffed_on: str | None = None
    comments: list[bytes] | None = None
    process_information: dict[str, Any] | None = None

    @property
    def direction(self) -> int | None:
        """The capture's direction (pcapng's flags: 1 inbound, 2 outbound), None when
        unknown. Kept as ``_direction`` in the instance dict, so that a layer may have a
        field named ``direction`` (PFLog's): on such a layer the name is the field's."""
        return self.__dict__.get("_direction")

    @direction.setter
    def direction(self, value: int | None) -> None:
        self.__dict__["_direction"] = value

    @property
    def comment(self) -> bytes | None:
        """The first of ``comments`` (Scapy's); setting it replaces them, None clears them."""
        c = self.__dict__.get("comments")
        return c[0] if c else None

    @comment.setter
    def comment(self, value: bytes | None) -> None:
        self.__dict__["comments"] = None if value is None else [value]
    #: The layer whose field holds this packet (``PacketListField``...), as Scapy's.
    parent: Packet | None = None
    #: Scapy's renamed fields: ``{"old": ("new", "version")}``, old names still answer (with
    #: a DeprecationWarning).
    deprecated_fields: ClassVar[dict[str, tuple[str, str]]] = {}

    # Compiled from fields_desc by __init_subclass__.
    _fields: ClassVar[tuple[Field, ...]]
    _names: ClassVar[tuple[str, ...]]
    _fieldmap: ClassVar[dict[str, Field]]
    _conv: ClassVar[dict[str, Callable[[Any], Any]]]
    _nameset: ClassVar[frozenset[str]]
    _convset: ClassVar[frozenset[str]]
    _defaults: ClassVar[dict[str, Any]]
    _init: ClassVar[dict[str, Any]]
    _dinit: ClassVar[dict[str, Any]]
    _qinit: ClassVar[dict[str, Any]]
    _own_payload_end: ClassVar[bool]
    _own_guess: ClassVar[bool]
    _listfields: ClassVar[tuple[str, ...]]
    _shared_lists: ClassVar[tuple[str, ...]]
    #: The names of the layer's ConditionalFields (``getfieldval`` reads them as stored).
    _condfields: ClassVar[frozenset[str]] = frozenset()
    _fixed_names: ClassVar[tuple[str, ...]]
    _fixed_ends: ClassVar[tuple[int, ...]]
    _var_fields: ClassVar[tuple[Field, ...]]
    #: A general-path layer's own ``do_dissect(self, s) -> rest`` (Scapy's form), run in
    #: place of the field loop (see :func:`paquet.packet.general.own_dissect`).
    _scapy_do_dissect: ClassVar[Callable[[Any, bytes], bytes] | None] = None
    _struct: ClassVar[struct.Struct]
    _hdr_len: ClassVar[int]
    _quick: ClassVar[Callable[..., dict[str, Any] | None] | None]
    _dispatch: ClassVar[bool]
    _general: ClassVar[bool]
    _pktfields: ClassVar[tuple[str, ...]]

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class that dissects ``data[start:end]`` when the bindings chose this one (as
        Scapy's ``dispatch_hook``): a family whose members are told apart by their own bytes
        (ICMPv6 by its type) binds its base class and defines this on it. Only a class that
        defines it in its own body is asked; the default keeps ``cls``."""
        return cls

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """The usual form of this header at ``data[off:end]`` parsed in one step, or None.

        A layer may define this (as a staticmethod of its own class: subclasses do not inherit
        it) to skip the general path (``do_dissect``, ``payload_end``, the payload lookup) for
        the headers it sees most. It returns the layer's whole instance dict: every field as
        ``do_dissect`` would set it, ``underlayer`` (``under``), ``time`` (``t``),
        ``_explicit`` (:data:`DISSECTED`), and ``_lazy`` (``(data, header end, payload end,
        paddings)``, the link paddings after the payload extended with this layer's own) when
        a payload follows; with no payload it leaves both ``payload`` and ``_lazy`` out (the
        engine adds the paddings). It returns None whenever anything is unusual (a length that
        does not fit, a version, an error to report, padding with no payload): the general
        path then handles the bytes, so both paths always give the same layer. For a header
        of many fields, copying the class's ``_qinit`` (every field at its default, the state
        entries) then storing the values is faster than a dict literal.
        """
        return None

    @staticmethod
    def _pack_fixed(d: dict[str, Any]) -> bytes:
        """Pack the fixed part of the header from the field values ``d`` (generated)."""
        return b""

    @staticmethod
    def _unpack_fixed(d: dict[str, Any], data: bytes, off: int) -> None:
        """Unpack the fixed part of the header at ``data[off:]`` into ``d`` (generated)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__
        _scapy_hooks(cls)
        _compile(cls)
        _install_init(cls)
        if _fastcall is not None:
            _fastcall.install(cls)

    def __init__(self, _pkt: bytes | bytearray | memoryview | str = b"", /, **fields: Any) -> None:
        if "_pkt" in fields:  # Scapy's keyword form, IP(_pkt=data)
            _pkt = fields.pop("_pkt") or _pkt
        parent = None
        if fields and not self._nameset.issuperset(fields):
            parent = fields.get("_parent")
            for k in [k for k in fields if k in self.deprecated_fields]:
                fields[_deprecated(self, k)] = fields.pop(k)
            for k in _SCAPY_PRIVATE.intersection(fields):  # Scapy's _internal, _underlayer...
                del fields[k]
        if parent is not None:  # set first: fields may read it while dissecting (Scapy's)
            self.__dict__["parent"] = parent
            Packet.__init__(self, _pkt, **fields)
            return
        if _pkt:
            _init_from_bytes(self, _pkt, fields)
            return
        d = self.__dict__
        d.update(self._init)
        d["time"] = _now()
        if fields:
            self._check_fields(fields)
            d.update(fields)
            d["_explicit"] = fields  # _init's is None

    def _check_fields(self, fields: dict[str, Any]) -> None:
        """Refuse names that are not fields; convert the values that need it, in place."""
        if not self._nameset.issuperset(fields):
            unknown = next(k for k in fields if k not in self._fieldmap)
            raise FieldError(f"{type(self).__name__} has no field {unknown!r}")
        conv = self._conv
        for k, v in fields.items():
            if k in conv and type(v) is not int and v is not None:
                fields[k] = conv[k](v)

    # Written in access.py: fields as attributes, and Scapy's views of them.

    if TYPE_CHECKING:  # (how type checkers see the functions set below)

        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...
        def __delattr__(self, name: str) -> None: ...

    else:
        __getattr__ = _access.getattr_
        __setattr__ = _access.setattr_
        __delattr__ = _access.delattr_
    getfieldval = _access.getfieldval
    setfieldval = _access.setfieldval
    fields = property(_access.fields)
    default_fields = property(_access.default_fields)
    overloaded_fields = property(_access.overloaded_fields)
    errors = property(_access.errors)
    add_error = _access.add_error
    is_set = _access.is_set

    # ------------------------------------------------------------------ composition

    # Written in compose.py: ``/``, ``*``, payloads added and removed, copies.

    __truediv__ = _compose.truediv
    __rtruediv__ = _compose.rtruediv
    __mul__ = _compose.mul
    __rmul__ = _compose.mul
    add_payload = _compose.add_payload
    remove_payload = _compose.remove_payload
    copy = _compose.copy
    _copy_layer = _compose._copy_layer
    clone_with = _compose.clone_with
    # ------------------------------------------------------------------ layers

    def __bool__(self) -> bool:
        return True

    # Written in walk.py: the layers, looked up and walked in Scapy's order.

    layers = _walk.layers
    iterlayers = _walk.iterlayers
    iterpayloads = _walk.iterpayloads
    getlayer = _walk.getlayer
    haslayer = _walk.haslayer
    _search_layers_sub = _walk._search_layers_sub
    _search_layers = _walk._search_layers
    __contains__ = _walk.contains
    __getitem__ = _walk.getitem
    __delitem__ = _walk.delitem
    lastlayer = _walk.lastlayer
    firstlayer = _walk.firstlayer
    route = _walk.route
    # ------------------------------------------------------------------ equality

    def __eq__(self, other: object) -> bool:
        # A loop over both packets' layers (no recursion: any depth compares).
        layer: Packet = self
        while layer is not NOPAYLOAD:
            if not isinstance(other, Packet) or type(layer) is not type(other):
                return False
            d, od = layer.__dict__, other.__dict__
            for n in layer._names:
                if d[n] != od[n]:
                    return False
            layer = payload_of(layer)
            other = payload_of(other)
        return isinstance(other, NoPayload)

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ building

    def self_build(self) -> bytes:
        """This layer's header with None fields as zeros (``post_build`` fills them)."""
        try:
            return self._pack_fixed(self.__dict__) + self.build_tail()
        except struct.error as exc:
            raise self._build_error(exc) from None

    def build_tail(self) -> bytes:
        """The variable part of the header after the fixed fields (options); b"" by default."""
        return b""

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        """Fill computed fields in ``hdr`` knowing the payload; returns header + payload."""
        return hdr + pay

    def do_build(self) -> bytes:
        """This layer and its payload, without link padding."""
        d = self.__dict__
        p = d["payload"] if "payload" in d else _materialize(self, False)
        return self.post_build(self.self_build(), p.do_build())

    def build_padding(self) -> bytes:
        """The padding layers' bytes found above this layer."""
        return payload_of(self).build_padding()

    def build(self) -> bytes:
        """The packet as bytes: computed fields filled, values the user set kept as they are.

        ``bytes(pkt)`` and Scapy's ``raw(pkt)`` give the same. A packet of any depth builds
        (see :func:`_deep_build`).
        """
        if _volatile_hook is not None and (fixed := _volatile_hook(self)) is not None:
            return fixed.build()  # random values drawn (paquet.volatile)
        try:
            out = self.do_build()
        except RecursionError:
            out = _deep_build(self)
        except FieldError:
            return _first_expansion(self).build()
        if not _PADDINGS:
            return out  # no Padding was ever made: none can be above this layer
        return _padded(self, out)

    def __bytes__(self) -> bytes:
        """``bytes(pkt)``: :meth:`build`, then, for a temporary packet, its layers unlinked.

        The layers of a packet refer to each other (``payload`` up, ``underlayer`` down):
        a packet built only to be sent, ``bytes(Ether()/IP()/TCP())``, is a set of
        reference cycles that only the cyclic garbage collector frees, which costs more
        than a microsecond a packet. When nothing but this call refers to the first layer
        and nothing but the chain refers to the layers above it, the packet is garbage once
        this returns: cutting their ``underlayer`` links lets reference counting free it at
        once. ``pkt.build()``, ``raw(pkt)`` and ``bytes`` of a packet held elsewhere keep
        their links (see :func:`_unlink_temporary`).
        """
        if _volatile_hook is not None and (fixed := _volatile_hook(self)) is not None:
            return fixed.build()  # random values drawn (paquet.volatile)
        # build(), inlined: one call less on the hot path.
        try:
            out = self.do_build()
        except RecursionError:
            out = _deep_build(self)
        except FieldError:
            return _first_expansion(self).build()
        if _PADDINGS:
            out = _padded(self, out)
        rc = _getrefcount(self)
        if rc <= _TEMP_BYTES + 1:  # else held elsewhere: the common test fails fast
            _unlink_temporary(self, rc, _TEMP_UPPER)
        return out

    def __len__(self) -> int:
        try:
            return len(self.build())
        except FieldError as exc:
            # ``list(pkt)`` asks for a length first: a packet holding several values (a range,
            # a network) has none, which lets the iteration run.
            raise TypeError(str(exc)) from None

    def _build_error(self, exc: Exception) -> FieldError:
        d = self.__dict__
        for n in self._names:
            v = d[n]
            if isinstance(v, tuple | list) and not self._fieldmap[n].islist:
                return FieldError(
                    f"{type(self).__name__}.{n} holds several values {v!r}: iterate the packet"
                )
        widths = {"B": 8, "H": 16, "I": 32, "Q": 64}
        for f in self._fields:
            v = d[f.name]
            bits = f.bits or widths.get(f.fmt or "", 0)
            if not bits or v is None:
                continue
            if not isinstance(v, int):
                return FieldError(
                    f"{type(self).__name__}.{f.name} must be an integer, not {v!r}"
                )
            if not 0 <= v < 1 << bits:
                return FieldError(
                    f"{type(self).__name__}.{f.name}={v} does not fit in {bits} bits"
                )
        return FieldError(f"{type(self).__name__}: cannot build: {exc}")

    def ether_addresses(self) -> tuple[str, str] | None:
        """``(src_mac, dst_mac)`` an Ethernet header under this layer should use (None: defaults).

        Network layers ask the resolver for the next hop towards their destination.
        """
        return None

    def ether_source(self) -> str | None:
        """The source MAC alone (a header whose ``dst`` is given asks no neighbour)."""
        found = self.ether_addresses()
        return found[0] if found else None

    def pseudo_header(self, upper_len: int, proto: int) -> bytes:
        """The pseudo-header a transport checksum covers (network layers override this)."""
        raise FieldError(f"{type(self).__name__} has no pseudo-header")

    def route_destination(self) -> tuple[str, int, str | None] | None:
        """``(address, IP version, interface or None)`` that :meth:`route` looks up for this
        layer (network layers override this; None: ask the payload)."""
        return None

    def endpoints(self) -> tuple[str, str] | None:
        """``(src, dst)`` addresses a transport layer above shows in its summary (network
        layers override this; None: none to show)."""
        return None

    def answers(self, other: Packet) -> bool:
        """True when this packet is a reply to ``other`` (Scapy's ``answers``)."""
        # Through the layers that answer the default way, by a loop (any depth).
        layer: Packet = self
        while True:
            if type(layer) is not type(other):
                return False
            layer, other = payload_of(layer), payload_of(other)
            if type(layer).answers is not Packet.answers:
                return layer.answers(other)

    def hashret(self) -> bytes:
        """A key equal for a probe and its replies, to match them quickly."""
        layer = payload_of(self)
        while type(layer).hashret is Packet.hashret:  # a loop, not a recursion: any depth
            layer = payload_of(layer)
        return layer.hashret()

    @_any_signature
    def guess_payload_class(
        self, data: bytes, start: int = 0, end: int | None = None
    ) -> type[Packet]:
        """The class of the payload found in ``data[start:end]`` (registry, else
        :meth:`default_payload_class`). A layer may override it with Scapy's signature,
        ``guess_payload_class(self, payload)``: the engine then gives it the payload's bytes."""
        found: type[Packet] | None = registry.payload_class(type(self), self.__dict__)
        if found is not None:
            return found
        if type(self).default_payload_class is not Packet.default_payload_class:
            return self.default_payload_class(data[start:end])
        return Raw

    # Scapy's Packet API around the fields (scapyapi.py): hooks and lookups.

    default_payload_class = _api.default_payload_class
    __setstate__ = _api.setstate
    _rebuild_pkt = classmethod(_api._rebuild_pkt)
    pre_dissect = _api.pre_dissect
    post_dissect = _api.post_dissect
    extract_padding = _api.extract_padding
    do_dissect_payload = _api.do_dissect_payload
    decode_payload_as = _api.decode_payload_as
    getfield_and_val = _api.getfield_and_val
    add_parent = _api.add_parent
    get_field = _api.get_field
    fieldtype = property(_api.fieldtype)
    __lt__ = _api.lt
    __gt__ = _api.gt
    hide_defaults = _api.hide_defaults
    clear_cache = _api.clear_cache

    # ------------------------------------------------------------------ dissecting

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        """Parse this layer's header at ``data[off:end]`` into its fields; return where it ends.

        Raise :class:`Malformed` when the bytes cannot be this header.
        """
        size = self._hdr_len
        if end - off < size:
            raise Malformed(off, f"{size} header bytes, {end - off} left")
        self._unpack_fixed(self.__dict__, data, off)
        return self.dissect_tail(data, off + size, end)

    def dissect_tail(self, data: bytes, off: int, end: int) -> int:
        """Parse the variable part of the header after the fixed fields (options)."""
        return off

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        """Where the payload ends (before link padding); the end of the data by default."""
        return end

    # ------------------------------------------------------------------ display
    # Written in show.py (Scapy's text views); a layer overrides them as any method.

    _field_repr = _views._field_repr
    _shown_fields = _views._shown_fields
    _repr_fields = _views._repr_fields
    _display_value = _views._display_value
    _chksum_note = _views._chksum_note
    expected_chksum = _views.expected_chksum
    show = _views.show
    show2 = _views.show2
    _show = _views._show
    _show_layer = _views._show_layer
    _nested_repr = _views._nested_repr
    __repr__ = _views._repr
    _repr_head = _views._repr_head
    __str__ = _views._str
    _repr_html_ = _views._repr_html_
    _repr_svg_ = _views._repr_svg_
    canvas_dump = _views.canvas_dump
    svgdump = _views.svgdump
    pdfdump = _views.pdfdump
    psdump = _views.psdump
    mysummary = _views.mysummary
    _do_summary = _views._do_summary
    summary = _views.summary
    sprintf_field = _views.sprintf_field
    sprintf = _views.sprintf
    to_dict = _views.to_dict
    _json_value = _views._json_value
    _json_item = staticmethod(_views._json_item)
    command = _views.command
    json = _views.json
    hexdump = _views.hexdump

    # ------------------------------------------------------------------ expansion
    # Written in expand.py: fields holding several values, one packet per combination.

    _expansions = _expand._expansions
    _expand_value = _expand._expand_value
    __iter__ = _expand.iterate
    expansion_count = _expand.expansion_count

    __reduce__ = _api.reduce


_kinds.Packet = Packet  # (the modules below read it there: see kinds.py)


_rebuild = _api.rebuild  # (what the pickles made before it moved call)


_OVERLOAD_MEMO = registry.OVERLOAD_MEMO
_getrefcount = sys.getrefcount
_new = object.__new__
# Replaces an instance's dict in one call (a layer's quick_dissect gives it whole).
_set_dict = Packet.__dict__["__dict__"].__set__


#: Scapy's private constructor keywords, accepted and ignored.
_SCAPY_PRIVATE = frozenset({"_internal", "_underlayer", "_parent", "post_transform",
                            "stop_dissection_after"})


class NoPayload(Packet):
    """The empty payload at the top of every packet: false, no bytes, answers everything."""

    name = "NoPayload"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return ""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STATE or name == "direction":
            return
        raise AttributeError(name)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)

    def do_build(self) -> bytes:
        return b""

    def build_padding(self) -> bytes:
        return b""

    def answers(self, other: Packet) -> bool:
        return True

    def hashret(self) -> bytes:
        return b""

    def _do_summary(self) -> tuple[bool, str]:
        return False, ""

    def copy(self: P) -> P:
        return self

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoPayload)

    def __iter__(self) -> Iterator[Packet]:
        return iter(())


_compile(Packet)
NOPAYLOAD: NoPayload = NoPayload()
NOPAYLOAD.__dict__["underlayer"] = None
_kinds.NoPayload, _kinds.NOPAYLOAD = NoPayload, NOPAYLOAD
_NOPAYLOAD_SET = True
for _cls in (Packet, NoPayload):
    _cls._init["payload"] = NOPAYLOAD
    _cls._dinit["payload"] = NOPAYLOAD


class Raw(Packet):
    """Bytes with no further structure: ``load``."""

    fields_desc = (StrField("load", b""),)

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        self.__dict__["load"] = data[off:end]
        return end

    def self_build(self) -> bytes:
        load = self.__dict__["load"]
        if type(load) is bytes:
            return load
        if load is None:
            return b""
        if isinstance(load, bytes):
            return bytes(load)
        if isinstance(load, str):
            return load.encode("utf-8", "surrogateescape")
        if isinstance(load, bytearray | memoryview):
            return bytes(load)
        if isinstance(load, Packet):
            return load.build()
        raise FieldError(f"Raw.load must be bytes, not {type(load).__name__}")

    def do_build(self) -> bytes:
        d = self.__dict__
        load = d["load"]
        p: Packet | None = d.get("payload")
        if p is None:
            p = _materialize(self, False)
        if type(load) is not bytes:
            load = self.self_build()
        if p is NOPAYLOAD:
            return load
        return load + p.do_build()

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        return Raw

    def answers(self, other: Packet) -> bool:
        return True

    def mysummary(self) -> str:
        return ""


_RAW_INIT = Raw._init




class Padding(Raw):
    """Link-layer padding after the end of a datagram (not part of the IP length)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Padding:
        if not _PADDINGS:
            _PADDINGS.append(True)
        return super().__new__(cls)

    def self_build(self) -> bytes:
        return b""

    def do_build(self) -> bytes:
        # Its own bytes go at the end (build_padding); a layer put above it is built here,
        # as Scapy does (``Raw()/Padding()/Raw()``).
        p = self.__dict__.get("payload")
        if p is None:
            p = _materialize(self, False)
        return b"" if p is NOPAYLOAD else p.do_build()

    def build_padding(self) -> bytes:
        return Raw.self_build(self) + self.payload.build_padding()


# The engine's objects, given to the modules below that use them: as globals on the hot paths
# (see bind()), as attributes of kinds.py elsewhere (read at call time).
_kinds.Raw, _kinds.Padding = Raw, Padding
_kinds.set_engine(globals())
_dissect.bind(Packet, NOPAYLOAD, Raw, Padding)
_walk.bind(Packet, NOPAYLOAD)
_access.bind(Packet, NOPAYLOAD)
_compose.bind(Packet, NOPAYLOAD, Raw)
_TEMP_BYTES, _TEMP_UPPER = _temporaries.install(NOPAYLOAD, Padding)

if _fastcall is not None and _TEMP_SELF:
    # ``/`` on temporaries in C; every other case goes to the Python method above.
    Packet.__truediv__ = _fastcall.divider(
        Packet.__dict__["__truediv__"], Packet, NOPAYLOAD, Raw, _RAW_INIT, _OVERLOAD_MEMO, _ALL
    )
