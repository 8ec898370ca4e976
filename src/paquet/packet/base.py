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

The rest of the engine is beside this module, one concern each: the code generator
(``compile.py``), the text views (``show.py``), expansions (``expand.py``), truncated headers
(``partial.py``), ``ls`` and ``hexdump`` (``dump.py``); see ``README.md`` in this directory.
"""

from __future__ import annotations

import _thread
import functools
import os
import struct
import sys
from collections.abc import Callable, Iterator, Sequence
from time import time as _now
from types import MemberDescriptorType, ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from paquet.errors import DecodeError
from paquet.packet import expand as _expand
from paquet.packet import registry
from paquet.packet import scapyapi as _api
from paquet.packet import show as _views
from paquet.packet.compile import _HEXMAC as _HEXMAC  # re-exported (layers/ether.py)
from paquet.packet.compile import _NTOA as _NTOA  # re-exported (layers/ipv4.py)
from paquet.packet.compile import _compile, _install_init
from paquet.packet.compile import _hexmac as _hexmac
from paquet.packet.compile import _ntoa as _ntoa
from paquet.packet.fields import (
    Field,
    FieldError,
    StrField,
)
from paquet.packet.scapyapi import DEPRECATED as _DEPRECATED
from paquet.packet.scapyapi import deprecated as _deprecated
from paquet.packet.scapyapi import scapy_hooks as _scapy_hooks

SHOW_MAX_INDENT = _views.SHOW_MAX_INDENT  # (tests read it here)

if TYPE_CHECKING:  # answered by __getattr__ at the bottom (those modules import this one)
    from paquet.packet.dump import hexdump as hexdump
    from paquet.packet.dump import hexstr as hexstr
    from paquet.packet.dump import ls as ls
    from paquet.packet.dump import raw as raw

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
    "hexdump",
    "hexstr",
    "ls",
    "payload_of",
    "raw",
]

P = TypeVar("P", bound="Packet")
#: Link paddings still to place after a payload: ``(start, stop)`` offsets, innermost last.
Paddings = tuple[tuple[int, int], ...]

# Names kept in the instance dict next to the fields; no layer may use them as field names.
_STATE = (
    "payload", "underlayer", "time", "sent_time", "_explicit", "_overloaded", "_errors", "_lazy",
    "_psum", "_partial", "do_build", "parent",
    # Capture metadata, as Scapy's (read and written by paquet.pcap and paquet.pcapng).
    "wirelen", "direction", "sniffed_on", "comments", "process_information",
)
_META = ("sent_time", "wirelen", "direction", "sniffed_on", "comments", "process_information")
#: Kept by a network layer in its dict while its payload builds: the sum of its pseudo-header's
#: address words (any int congruent mod 0xFFFF), so that a transport layer computes its
#: checksum as ``PSEUDO_SUM + proto + length + its own words`` without the pseudo-header bytes.
#: Absent when the pseudo-header is unusual (a length set by hand, a source route): then the
#: transport layer asks ``pseudo_header()``.
PSEUDO_SUM = "_psum"
_ALL = frozenset({"*"})  # ``_explicit`` of a dissected layer: every field counts as set
#: The ``_explicit`` entry of a dissected layer (every field counts as set): what a layer's
#: ``quick_dissect`` puts in the dict it returns.
DISSECTED = _ALL


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
    elif not cls._names and cls is not Packet and cls.__module__.startswith("paquet."):
        # (paquet's abstract bases; a user's layer without fields is a binding hub, as in
        # Scapy: all its bytes are its payload)
        raise FieldError(f"{cls.__name__} has no field of its own (a base class): "
                         "dissect with one of its layers")
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
    """``Raw((data, bits))``: Scapy's unaligned data (bytes whose first ``bits`` bits belong to
    the field before), kept as the ``load`` as Scapy keeps it (shown, not built). Other
    layers read such data only through bit fields inside a field, not from a constructor."""
    if not isinstance(self, Raw) or len(pkt) != 2 or not isinstance(pkt[1], int):
        raise FieldError(f"{type(self).__name__}: dissects bytes, not {pkt!r}")
    data, bits = pkt
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    d = self.__dict__
    d.update(self._init)
    d["time"] = _now()
    d["load"] = (bytes(data), bits)
    d["_explicit"] = {"load": d["load"], **(fields or {})}
    if fields:
        self._check_fields(fields)
        d.update(fields)


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
    direction: int | None = None
    sniffed_on: str | None = None
    comments: list[bytes] | None = None
    process_information: dict[str, Any] | None = None

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

    # ------------------------------------------------------------------ attributes

    def __getattr__(self, name: str) -> Any:
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
            if type(p).__getattr__ is not Packet.__getattr__:
                return getattr(p, name)
            try:
                return object.__getattribute__(p, name)
            except AttributeError:
                layer = p

    def __setattr__(self, name: str, value: Any) -> None:
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
                or type(p).__setattr__ is not Packet.__setattr__
                or isinstance(getattr(type(p), name, None), property)
            ):
                setattr(p, name, value)
                return
            layer = p

    def __delattr__(self, name: str) -> None:
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
            if name in p._fieldmap or type(p).__delattr__ is not Packet.__delattr__:
                delattr(p, name)
                return
            layer = p

    def getfieldval(self, name: str) -> Any:
        """The value of field ``name`` in this layer or, failing that, in the payload."""
        return getattr(self, name)

    def setfieldval(self, name: str, value: Any) -> None:
        """Set field ``name`` (in this layer or the first upper layer that has it)."""
        setattr(self, name, value)

    @property
    def fields(self) -> dict[str, Any]:
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

    @property
    def default_fields(self) -> dict[str, Any]:
        """The default value of each field of this layer."""
        return {k: list(v) if type(v) is list else v for k, v in self._defaults.items()}

    @property
    def overloaded_fields(self) -> dict[str, Any]:
        """Fields of this layer set by the layer put on top of it (``proto`` under ``TCP``)."""
        return dict(self.__dict__.get("_overloaded") or {})

    @property
    def errors(self) -> list[DecodeError]:
        """Decode problems found in this layer and the layers above it, with their reasons."""
        out: list[DecodeError] = []
        layer: Packet = self
        while layer is not NOPAYLOAD:
            errs = layer.__dict__.get("_errors")
            if errs:
                out.extend(errs)
            layer = payload_of(layer)
        return out

    def add_error(self, error: DecodeError) -> None:
        """Attach a decode problem to this layer."""
        d = self.__dict__
        errs = d.get("_errors")
        if errs is None:
            d["_errors"] = [error]
        else:
            errs.append(error)

    def is_set(self, name: str) -> bool:
        """True when field ``name`` was given by the user or dissected (not a default)."""
        ex = self.__dict__["_explicit"]
        return ex is _ALL or bool(ex and name in ex)

    # ------------------------------------------------------------------ composition

    def __truediv__(self, other: Any) -> Packet:
        # A left or right operand that nothing else refers to (a temporary such as the
        # ``IP()`` in ``IP()/TCP()``) is reused instead of copied: building a stack costs
        # one object per layer, as it would by nesting constructors. A payload refers back
        # to its underlayer: that reference is not the user's.
        rc_self = _getrefcount(self)
        if isinstance(other, Packet):
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
            return NotImplemented
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

    def __rtruediv__(self, other: Any) -> Packet:
        if isinstance(other, bytes | bytearray | str):
            lower = Raw(load=other)
            lower.add_payload(self.copy())
            return lower
        return NotImplemented

    def __mul__(self, count: int) -> list[Packet]:
        if not isinstance(count, int):
            return NotImplemented
        return [self.copy() for _ in range(count)]

    __rmul__ = __mul__

    def add_payload(self, payload: Packet | bytes | str) -> None:
        """Put ``payload`` on top of the last layer of this packet (bytes become :class:`Raw`)."""
        if not isinstance(payload, Packet):
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

    def remove_payload(self) -> None:
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
                nd[n] = [x.copy() if isinstance(x, Packet) else x for x in v]
        for n in self._pktfields:
            v = od[n]
            if isinstance(v, Packet):
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
            from paquet.packet.partial import _rebind_partial  # (it imports this module)

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
            from paquet.packet.partial import _rebind_partial  # (it imports this module)

            _rebind_partial(new)
        for k, v in fields.items():
            setattr(new, k, v)
        if payload is not None:
            new.add_payload(payload)
        return new

    # ------------------------------------------------------------------ layers

    def __bool__(self) -> bool:
        return True

    def layers(self) -> list[type[Packet]]:
        """The classes of the layers, from this one up."""
        out = []
        layer: Packet = self
        while layer is not NOPAYLOAD:
            out.append(type(layer))
            layer = payload_of(layer)
        return out

    def iterlayers(self) -> Iterator[Packet]:
        """This layer and the layers above it, in order."""
        layer: Packet = self
        while layer is not NOPAYLOAD:
            yield layer
            layer = payload_of(layer)

    def iterpayloads(self) -> Iterator[Packet]:
        """This layer and each of its payloads, in order (Scapy's name for :meth:`iterlayers`).

        >>> from paquet.layers import IP, TCP, Raw
        >>> [layer.name for layer in (IP() / TCP() / Raw(b"x")).iterpayloads()]
        ['IP', 'TCP', 'Raw']
        """
        return self.iterlayers()

    def getlayer(
        self, cls: type[P] | str | int, nb: int = 1, _subclass: bool | None = None, **flt: Any
    ) -> P | None:
        """The ``nb``-th layer of class ``cls`` (or named ``cls``) whose fields equal ``flt``,
        or None.

        That class exactly, as in Scapy: ``UDP`` does not find the ``UDPerror`` quoted in an
        ICMP error (ask for ``UDPerror``). ``_subclass=True``, or a first layer whose class
        sets ``match_subclass``, matches subclasses too. An integer ``cls`` is an index, as in
        Scapy: ``getlayer(0)`` is the packet, ``getlayer(1)`` the next layer (the packets a
        field holds counted before the payload); a negative index finds none.
        """
        if isinstance(cls, int):
            if cls < 0:
                return None
            for layer in self._search_layers():
                if all(getattr(layer, k, _MISSING) == v for k, v in flt.items()):
                    if cls == 0:
                        return layer  # type: ignore[return-value]
                    cls -= 1
            return None
        for layer, sub in self._search_layers_sub(_subclass):
            if _is_layer(layer, cls, sub) and all(
                getattr(layer, k, _MISSING) == v for k, v in flt.items()
            ):
                if nb == 1:
                    return layer  # type: ignore[return-value]
                nb -= 1
        return None

    def haslayer(self, cls: type[Packet] | str, _subclass: bool | None = None) -> bool:
        """True when this packet has a layer of class ``cls`` (or named ``cls``): that class
        exactly, as in Scapy (``UDP`` is not found in ``ICMP()/IPerror()/UDPerror()``);
        subclasses too with ``_subclass=True`` or a first layer's ``match_subclass``."""
        return any(_is_layer(layer, cls, sub) for layer, sub in self._search_layers_sub(_subclass))

    def _search_layers_sub(self, sub: bool | None) -> Iterator[tuple[Packet, bool]]:
        """``_search_layers`` with whether each layer matches subclasses: as Scapy, a layer
        whose class sets ``match_subclass`` does, and so do the layers under it (its payload
        and the packets its fields hold); ``sub`` given (not None) decides for all."""
        for layer in self.iterlayers():
            if sub is None and layer.match_subclass:
                sub = True
            yield layer, bool(sub)
            if layer._pktfields:
                for held in _held_packets(layer):
                    yield from held._search_layers_sub(sub)

    def _search_layers(self) -> Iterator[Packet]:
        """The layers ``getlayer`` looks at, in Scapy's order: each layer, then the packets
        its fields hold (``PacketListField``...), then its payload."""
        for layer in self.iterlayers():
            yield layer
            if layer._pktfields:
                for held in _held_packets(layer):
                    yield from held._search_layers()

    def __contains__(self, cls: object) -> bool:
        if isinstance(cls, type | str):
            return self.haslayer(cls)
        return False

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, type):
            layer: Packet = self
            if self.match_subclass:
                return self.__getitem__((key, 1))
            while layer is not NOPAYLOAD:
                if layer.__class__ is key:
                    return layer
                pf = layer._pktfields
                if pf:  # the packets its fields hold come before its payload (Scapy's order)
                    d = layer.__dict__
                    for n in pf:
                        if d.get(n):
                            held = _held_layer(layer, key)
                            if held is not None:
                                return held
                            break
                nxt = layer.__dict__.get("payload")
                layer = _materialize(layer, False) if nxt is None else nxt
            # Not that class: a subclass under a layer whose class sets match_subclass
            # (Scapy's: pkt[NTP] finds an NTPHeader), looked for only now (the usual
            # lookup pays nothing for it).
            found = self.getlayer(key)
            if found is not None:
                return found
            raise IndexError(f"Layer [{key.__name__}] not found")
        nb = 1
        flt: dict[str, Any] = {}
        if isinstance(key, slice):  # pkt[IP:2], pkt[IP::{"ttl": 3}] (Scapy's filter)
            key, nb, flt = key.start, (key.stop if key.stop is not None else 1), key.step or {}
            if not isinstance(flt, dict):
                raise TypeError(f"a layer's fields to match are a dict, not {flt!r}")
        elif isinstance(key, tuple):
            key, nb = key
        if not isinstance(key, type | str | int):
            raise TypeError(f"a layer class, name or index, not {key!r}")
        found = self.getlayer(key, nb, **flt)
        if found is None:
            name = key if isinstance(key, str | int) else key.__name__
            raise IndexError(f"Layer [{name}] not found")
        return found

    def __delitem__(self, key: Any) -> None:
        layer = self[key]
        under = layer.__dict__["underlayer"]
        if under is None:
            raise IndexError("cannot delete the first layer")
        under.remove_payload()

    def lastlayer(self) -> Packet:
        """The last layer of the packet."""
        layer: Packet = self
        while True:
            p = payload_of(layer)
            if not p:
                return layer
            layer = p

    def firstlayer(self) -> Packet:
        """The first layer (the one that has no underlayer)."""
        layer: Packet = self
        while layer.__dict__["underlayer"] is not None:
            layer = layer.__dict__["underlayer"]
        return layer

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

    def pseudo_header(self, upper_len: int, proto: int) -> bytes:
        """The pseudo-header a transport checksum covers (network layers override this)."""
        raise FieldError(f"{type(self).__name__} has no pseudo-header")

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

    def __reduce__(self) -> tuple[Any, ...]:
        d = self.__dict__
        meta = {k: d[k] for k in _META if k in d}  # capture metadata, as Scapy pickles it
        # The values of the __slots__ a subclass declares, those set (as Scapy keeps them).
        for klass in type(self).__mro__:
            if klass is Packet:
                break
            for name in klass.__dict__.get("__slots__", ()):
                if isinstance(name, str) and hasattr(self, name) and name not in d:
                    meta[name] = getattr(self, name)
        return (_rebuild, (type(self), self.build(), d["time"], meta))


#: The deepest packet :func:`_deep_build` builds: far more layers than a 64 KB frame holds
#: (8,192 IPv6 extension headers of 8 bytes), few enough for the interpreter's frames.
MAX_BUILD_DEPTH = 20_000
_deep_lock = _thread.allocate_lock()  # (_thread: no threading import on the import path)
_deep_builds: list[int] = [0, 0]  # builds running, the recursion limit before the first


def _deep_build(pkt: Packet) -> bytes:
    """Build ``pkt`` when its layers are more than the recursion limit allows.

    Each layer's ``do_build`` asks its payload's (a Python call per layer: Python 3.11 runs
    those without C stack), so the limit is raised for the time of this build to what the
    packet's depth needs, then put back. Deeper than :data:`MAX_BUILD_DEPTH`: a
    :class:`FieldError`.
    """
    depth = sum(1 for _ in pkt.iterlayers())
    if depth > MAX_BUILD_DEPTH:
        raise FieldError(
            f"{type(pkt).__name__}: a packet of {depth} layers is too deep to build "
            f"(at most {MAX_BUILD_DEPTH})"
        )
    need = _stack_depth() + 8 * depth + 200
    with _deep_lock:
        if not _deep_builds[0]:
            _deep_builds[1] = sys.getrecursionlimit()
        _deep_builds[0] += 1
        if sys.getrecursionlimit() < need:
            sys.setrecursionlimit(need)
    try:
        return pkt.do_build()
    finally:
        with _deep_lock:
            _deep_builds[0] -= 1
            if not _deep_builds[0]:
                sys.setrecursionlimit(_deep_builds[1])


def _first_expansion(pkt: Packet) -> Packet:
    """The first packet a packet holding several values stands for, which Scapy builds when
    asked for the bytes of the whole (``bytes(TCP(dport=(1, 3)))`` is port 1's). The error
    being handled is raised again when ``pkt`` holds a single value, or none at all."""
    if all(not layer._expansions() for layer in pkt.iterlayers()):
        raise  # the FieldError of the caller's except clause
    for first in pkt:
        return first
    raise  # an empty list or range: no packet to build


def _stack_depth() -> int:
    """How many frames the calling thread's stack holds (to size the recursion limit)."""
    n = 0
    f: Any = sys._getframe()
    while f is not None:
        n += 1
        f = f.f_back
    return n


def _rebuild(
    cls: type[Packet], data: bytes, t: float, meta: dict[str, Any] | None = None
) -> Packet:
    pkt = cls(data)
    pkt.time = t
    for k, v in (meta or {}).items():
        if k in _META:
            pkt.__dict__[k] = v
        else:
            setattr(pkt, k, v)  # a subclass's own __slots__ value
    return pkt


_MISSING: Any = object()
_OVERLOAD_MEMO = registry.OVERLOAD_MEMO
#: The layers whose own ``guess_payload_class`` is running (their payload is being made).
_GUESSING: set[int] = set()


def _held_packets(layer: Packet) -> Iterator[Packet]:
    """The packets ``layer``'s fields hold (``PacketField``, ``PacketListField``...), in order."""
    d = layer.__dict__
    for n in layer._pktfields:
        v = d.get(n)
        for item in v if isinstance(v, list) else (v,):
            if isinstance(item, Packet):
                yield item


def _held_layer(layer: Packet, key: type[Packet]) -> Packet | None:
    """The first layer of class ``key`` among the packets ``layer``'s fields hold (Scapy's
    ``pkt[X]`` looks there before the payload), or None."""
    for held in _held_packets(layer):
        found = held.getlayer(key)
        if found is not None:
            return found
    return None

#: Scapy's private constructor keywords, accepted and ignored.
_SCAPY_PRIVATE = frozenset({"_internal", "_underlayer", "_parent", "post_transform",
                            "stop_dissection_after"})


def _is_layer(layer: Packet, cls: type | str, subclass: bool = True) -> bool:
    """The layer's class is ``cls`` (or a subclass of it), or its class or display name is."""
    if isinstance(cls, str):
        return type(layer).__name__ == cls or layer.name == cls
    return isinstance(layer, cls) if subclass else type(layer) is cls


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


def _convert(conv: Callable[[Any], Any], value: Any) -> Any:
    return conv(value)


class NoPayload(Packet):
    """The empty payload at the top of every packet: false, no bytes, answers everything."""

    name = "NoPayload"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return ""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STATE:
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
_new = object.__new__
# Replaces an instance's dict in one call (a layer's quick_dissect gives it whole).
_set_dict = Packet.__dict__["__dict__"].__set__
_MEMOS = registry.MEMO
_payload_class = registry.payload_class


# Set (for good) when the first Padding is made: until then build() need not look for one.
_PADDINGS: list[bool] = []


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


# ---------------------------------------------------------------------- temporaries


class _Probe:
    rc: ClassVar[tuple[int, int]] = (0, 0)

    def __truediv__(self, other: _Probe) -> _Probe:
        rc_self = _getrefcount(self)
        _Probe.rc = (rc_self, _getrefcount(other))
        return self


_getrefcount = sys.getrefcount


def _calibrate() -> tuple[int, int]:
    """Reference counts seen in ``__truediv__`` for temporary operands; (0, 0) if unreliable."""
    _Probe() / _Probe()
    temp = _Probe.rc
    a = _Probe()
    b = _Probe()
    a / b
    named = _Probe.rc
    if sys.implementation.name != "cpython" or named[0] <= temp[0] or named[1] <= temp[1]:
        return 0, 0
    return temp


_TEMP_SELF, _TEMP_OTHER = _calibrate()

if _fastcall is not None and _TEMP_SELF:
    # ``/`` on temporaries in C; every other case goes to the Python method above.
    Packet.__truediv__ = _fastcall.divider(  # type: ignore[method-assign]
        Packet.__dict__["__truediv__"], Packet, NOPAYLOAD, Raw, _RAW_INIT, _OVERLOAD_MEMO, _ALL
    )


def _padded(layer: Packet, out: bytes) -> bytes:
    """``out`` (built from ``layer``) with the bytes of the link padding above ``layer``:
    at the end, or before the trailers (a frame check sequence) of the layers under it, which
    close the frame."""
    trailers = 0
    while layer is not NOPAYLOAD:
        if isinstance(layer, Padding):
            pad = layer.build_padding()
            if trailers and pad:
                cut = len(out) - trailers
                return out[:cut] + pad + out[cut:]
            return out + pad
        if layer._has_trailer:
            trailers += sum(getattr(f, "fld", f).sz for f in layer._fields
                            if getattr(f, "is_trailer", False))
        nxt = layer.__dict__.get("payload")
        layer = _materialize(layer, False) if nxt is None else nxt
    return out


def _unlink_temporary(root: Any, rc: int, base: int) -> bool:
    """Cut the ``underlayer`` links of the layers above ``root`` if it and they are garbage.

    ``rc`` is ``root``'s reference count seen in :meth:`Packet.__bytes__` (``_TEMP_BYTES``
    for a temporary, one more when its payload refers back to it; 0 skips that check) and
    ``base`` the count this function sees for a layer that only its lower layer's
    ``payload`` refers to (``_TEMP_UPPER``). Only the payloads already made are walked (a
    payload left for later is not dissected: it holds bytes, no layer). If any layer above
    is referred to from elsewhere (a variable, a list, a field of another packet, a
    payload whose ``underlayer`` is not that layer...), nothing changes: the packet stays
    whole for whoever holds that reference. Otherwise every such layer loses its
    ``underlayer``, which leaves the chain without cycles: when ``root`` goes, reference
    counting frees the whole packet. Returns True when the links were cut.

    ``root`` is a :class:`Packet`, or a :class:`_Link` when calibrating: only the two
    ``__dict__`` entries are used.
    """
    rd = root.__dict__
    layer = rd.get("payload")
    if layer is None or layer is NOPAYLOAD or rd.get("underlayer") is not None:
        return False  # no layer above (no cycle), or root is itself a payload
    d = layer.__dict__
    if rc > _TEMP_BYTES + (d.get("underlayer") is root):
        return False  # root is referred to from elsewhere
    # First every layer is checked, and only then changed: a packet someone can still reach
    # is never left half unlinked. At each check, ``layer`` and the argument of getrefcount
    # refer to the layer (``base`` counts them with the lower layer's ``payload``), its own
    # payload's ``underlayer`` may too; ``nxt`` refers to the layer above, and the dicts
    # kept for the second pass to none.
    dicts = [d]
    while True:
        nxt = d.get("payload")
        if nxt is None or nxt is NOPAYLOAD:
            if _getrefcount(layer) > base:
                return False
            break
        nd = nxt.__dict__
        if _getrefcount(layer) > base + (nd.get("underlayer") is layer):
            return False
        layer = nxt
        d = nd
        dicts.append(d)
    for d in dicts:
        d["underlayer"] = None
    return True


class _BytesProbe:
    rc: ClassVar[int] = 0

    def _build(self) -> bytes:
        return b""

    def __bytes__(self) -> bytes:
        # As Packet.__bytes__: the count is taken after a method call.
        out = self._build()
        _BytesProbe.rc = _getrefcount(self)
        return out


class _Link:
    """A stand-in for a layer: a ``payload`` and an ``underlayer`` in its ``__dict__``."""

    def __init__(self, underlayer: _Link | None) -> None:
        self.underlayer = underlayer
        self.payload: Any = NOPAYLOAD


def _links(n: int) -> _Link:
    """A chain of ``n`` links linked both ways, as a packet's layers; returns the first."""
    root = last = _Link(None)
    for _ in range(n - 1):
        nxt = _Link(last)
        last.payload = nxt
        last = nxt
    return root


def _calibrate_bytes() -> int:
    """The count :meth:`Packet.__bytes__` sees for a temporary; 0 if unreliable."""
    bytes(_BytesProbe())
    temp = _BytesProbe.rc
    named = _BytesProbe()
    bytes(named)
    if sys.implementation.name != "cpython" or _BytesProbe.rc <= temp:
        return 0
    return temp


def _calibrate_upper() -> int:
    """The count :func:`_unlink_temporary` sees for a layer only its lower layer refers to;
    0 if unreliable.

    It is found by running :func:`_unlink_temporary` itself on chains of stand-ins (``rc``
    0: the first link passes), then checked: a reference to any link above the first must
    keep the chain as it is, and without one every link must lose its ``underlayer``.
    """
    if not _TEMP_BYTES:
        return 0
    for base in range(1, 8):
        root = _links(4)
        if _unlink_temporary(root, 0, base - 1):
            return 0  # passes with a count too low: the counts are not what they seem
        if _unlink_temporary(root, 0, base):
            break
    else:
        return 0
    for n in (2, 3, 4):
        for i in range(1, n):
            root = _links(n)
            held = root
            for _ in range(i):
                held = held.payload
            if _unlink_temporary(root, 0, base):
                return 0  # a held link was not seen
            del held
        root = _links(n)
        if not _unlink_temporary(root, 0, base):
            return 0
        layer = root.payload
        while layer is not NOPAYLOAD:
            if layer.underlayer is not None:
                return 0
            layer = layer.payload
    return base


_TEMP_BYTES = _calibrate_bytes()
_TEMP_UPPER = _calibrate_upper()
if not _TEMP_UPPER:
    _TEMP_BYTES = 0  # the layers above cannot be checked: temporaries are left to the GC


_MOVED = {"raw": "dump", "hexdump": "dump", "hexstr": "dump", "ls": "dump"}


def __getattr__(name: str) -> Any:
    """The names that moved to the modules above this one (``hexdump``... in ``dump.py``),
    still importable from here; they are loaded when asked for (they import this module)."""
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"paquet.packet.{module}"), name)
