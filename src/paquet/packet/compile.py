"""The code generator of the field tables: what a layer class gets when it is created.

:func:`_compile` turns ``cls.fields_desc`` into the class attributes the hot paths use: a
``struct.Struct`` for the fixed part of the header and generated functions that pack and unpack
it (bit fields included) without any per-field Python call, and, for a layer that does not
write its own, ``do_dissect``. :func:`_install_init` gives the class a constructor generated from
the same table (one keyword-only parameter per field). Both compile their source on first use.

:mod:`paquet.packet.base` calls them from ``Packet.__init_subclass__`` and imports this module;
the engine's classes the generator needs (``Packet``, ``NOPAYLOAD``) are therefore read from
:mod:`paquet.packet.kinds` when a class is compiled (once per class), never imported from base.
"""

from __future__ import annotations

import keyword
import re
import struct
from collections.abc import Callable
from time import time as _now
from typing import TYPE_CHECKING, Any

from paquet.packet import kinds as _kinds
from paquet.packet.access import _STATE
from paquet.packet.addrfields import IPField, MACField, bytes2ip, ip2bytes, mac2bytes
from paquet.packet.dissect import _ALL, Malformed, _init_from_bytes
from paquet.packet.dissect import DISSECTED as _DISSECTED
from paquet.packet.fields import BitField, Field, FieldError
from paquet.packet.flagfields import FlagsField, FlagValue

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__: list[str] = []

_NTOA: dict[bytes, str] = {}
_HEXMAC: dict[bytes, str] = {}


def _ntoa(b: bytes) -> str:
    """Dotted-quad text of 4 bytes (cached: captures repeat their addresses)."""
    s = _NTOA.get(b)
    if s is None:
        if len(_NTOA) > 4096:
            _NTOA.clear()
        s = _NTOA[b] = bytes2ip(b)
    return s


def _hexmac(b: bytes) -> str:
    """``aa:bb:cc:dd:ee:ff`` text of 6 bytes (cached)."""
    s = _HEXMAC.get(b)
    if s is None:
        if len(_HEXMAC) > 4096:
            _HEXMAC.clear()
        s = _HEXMAC[b] = b.hex(":")
    return s


def _ipb(value: Any) -> bytes:
    return b"\x00\x00\x00\x00" if value is None else ip2bytes(value)


def _macb(value: Any) -> bytes:
    return b"\x00" * 6 if value is None else mac2bytes(value)


def _flags_property(name: str, names: tuple[str, ...], multi: bool) -> property:
    """Flags are stored as integers and read as :class:`FlagValue` (``'S' in pkt.flags``,
    ``pkt.flags.MF = 0``)."""

    def get(self: Packet) -> Any:
        v = self.__dict__[name]
        if isinstance(v, int):
            return FlagValue(v, names, multi, (self, name))
        return v

    return property(get, doc=f"The {name} field, as a FlagValue.")


def _chosen_property(name: str, field: Any) -> property:
    """A ``MultipleTypeField``, read as Scapy reads it: left unset, the default of the kind the
    packet chooses (the one it builds); a number of a ``FlagsField`` kind as a
    :class:`FlagValue` (Scapy's ``Dot11().FCfield.to_DS``)."""

    def get(self: Packet) -> Any:
        d = self.__dict__
        v = d[name]
        chosen = None
        ex = d["_explicit"]
        if not (ex is not None and (ex is _DISSECTED or name in ex)):
            chosen = field._find_fld_pkt(self)
            v = chosen.default
        if isinstance(v, int) and not isinstance(v, bool):
            chosen = chosen or field._find_fld_pkt(self)
            if isinstance(chosen, FlagsField):
                return FlagValue(v, chosen.names, chosen.multi, (self, name))
        if own_i2h:  # read through the chosen kind's i2h, as Scapy (a TXT list: [] for b"")
            chosen = chosen or field._find_fld_pkt(self)
            if type(chosen).i2h is not Field.i2h:
                return chosen.i2h(self, v)
        return v

    own_i2h = any(type(f).i2h is not Field.i2h and not isinstance(f, FlagsField)
                  for f in (*(fc[0] for fc in field.flds), field.dflt))
    return property(get, doc=f"The {name} field, of the kind this packet chooses.")



def _copy_items(items: list[Any]) -> list[Any]:
    """A new list of ``items``, each packet among them copied."""
    return [x.copy() if isinstance(x, _kinds.Packet) else x for x in items]


def _list_property(name: str, default: list[Any]) -> property:
    """A list field's value; the class's shared empty default is replaced by a list of the
    layer's own when first read, so that ``pkt.options.append(...)`` changes this layer only
    (building a layer costs no list of its own)."""

    def get(self: Packet) -> Any:
        d = self.__dict__
        v = d[name]
        if v is default:  # (a copy of the default's items, packets copied too)
            v = d[name] = _copy_items(default) if default else []
        return v

    return property(get, doc=f"The {name} field (a list of this layer's own).")


def _copied_property(name: str, default: Any) -> property:
    """A field whose default is a packet: the layer gets a copy of its own when the field is
    first read (``pkt.inner.x = 1`` changes that layer only), as Scapy copies it."""

    def get(self: Packet) -> Any:
        d = self.__dict__
        v = d[name]
        if v is default:
            v = d[name] = default.copy()
        return v

    return property(get, doc=f"The {name} field (a packet of this layer's own).")


def _class_defaults(cls: type[Packet]) -> None:
    """Scapy's default overrides: a subclass assigning a value to the name of an inherited
    field (``class IPv3(IP): version = 3``) gets a copy of that field with that default."""
    if "fields_desc" in cls.__dict__:
        return
    names = {f.name for f in cls.fields_desc}
    changed = {n: v for n, v in cls.__dict__.items() if n in names
               and not callable(v) and not isinstance(v, property | classmethod | staticmethod)}
    if not changed:
        return
    fields = []
    for f in cls.fields_desc:
        if f.name in changed:
            f = f.copy()
            f.default = changed[f.name]
            delattr(cls, f.name)
        fields.append(f)
    cls.fields_desc = fields


def _fields_on_class(cls: type[Packet], fields: tuple[Field, ...]) -> None:
    """Each field reachable from its layer's class, as in Scapy: ``TCP.sport`` is the field
    (``conf.noenum.add(TCP.sport)``, ``TCP.dport.i2repr(None, 80)``). A name the class
    already gives something else (a property, a method) keeps it. A layer's value is in its
    instance dict, which a plain class attribute never hides."""
    for f in fields:
        cur = getattr(cls, f.name, f)
        if isinstance(cur, Field) or (f.name in _METADATA
                                      and cur is vars(_kinds.Packet)[f.name]):
            setattr(cls, f.name, f)
    # A field of a base class this layer does not have is not found on it (Scapy's): the
    # lookup goes on to the payload (``Dot11EltDSSSet().info`` is not Dot11Elt's field).
    names = {f.name for f in fields}
    for base in cls.__mro__[1:]:
        for name, value in list(vars(base).items()):
            if isinstance(value, Field | _NotAField) and name not in names \
                    and name not in cls.__dict__:
                value = value.field if isinstance(value, _NotAField) else value
                setattr(cls, name, _NotAField(value))


#: The capture metadata that :class:`~paquet.packet.base.Packet` reads through a property
#: (``direction``): a layer with a field of that name reads its field instead.
_METADATA = frozenset({"direction"})


class _NotAField:
    """A base class's field that a layer does not have: on the class, the base's field (as
    in Scapy); on a layer, not found (``Packet.__getattr__`` then looks in the payload)."""

    __slots__ = ("field",)

    def __init__(self, field: Any) -> None:
        self.field = field

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self.field
        raise AttributeError(self.field.name)


def _compile(cls: type[Packet]) -> None:
    """Compile ``cls.fields_desc`` into the class attributes the hot paths use."""
    # base.py imports this module: the engine's class is read when a class is compiled.
    engine = _kinds.Packet

    _class_defaults(cls)
    fields: tuple[Field, ...] = tuple(cls.fields_desc)
    names = tuple(f.name for f in fields)
    for n in names:
        if n in _STATE or n.startswith("__"):
            raise TypeError(f"{cls.__name__}: {n!r} cannot be a field name")
    cls._fields = fields
    cls._names = names
    cls._fieldmap = {f.name: f for f in fields}
    cls._conv = {
        f.name: (f.any2i if f.islist else _elementwise(f.any2i)) for f in fields if f.converts
    }
    for f in fields:
        if f.str_cache is not None and f.name in cls._conv:
            cls._conv[f.name] = _cached_str(f.str_cache, cls._conv[f.name])
    cls._nameset = frozenset(names)
    cls._convset = frozenset(cls._conv)
    cls._defaults = {f.name: _default(f) for f in fields}
    cls._init = {
        **cls._defaults,
        "payload": None,  # replaced by NOPAYLOAD below once it exists
        "underlayer": None,
        "time": 0.0,
        "_explicit": None,
    }
    if "NOPAYLOAD" in vars(_kinds):  # (set once it exists: see base.py)
        cls._init["payload"] = _kinds.NOPAYLOAD
    if (cls.payload_end is engine.payload_end
            and cls.extract_padding is not engine.extract_padding):
        from paquet.packet.general import extract_padding_end

        cls.payload_end = extract_padding_end  # type: ignore[method-assign]
    cls._own_payload_end = cls.payload_end is not engine.payload_end
    cls._own_guess = (cls.guess_payload_class is not engine.guess_payload_class
                      or cls.default_payload_class is not engine.default_payload_class)
    cls._dispatch = "dispatch_class" in cls.__dict__ and cls is not engine
    # A class's own quick_dissect only: a subclass (IPerror under IP) parses its own way.
    quick = cls.__dict__.get("quick_dissect")
    cls._quick = quick.__func__ if isinstance(quick, staticmethod) and cls is not engine else None
    cls._listfields = tuple(f.name for f in fields if f.islist)
    cls._pktfields = tuple(f.name for f in fields if f.holds_packets)
    for f in fields:
        if isinstance(f, FlagsField) and f.name not in cls.__dict__:
            setattr(cls, f.name, _flags_property(f.name, f.names, f.multi))
        elif hasattr(f, "flds") and hasattr(f, "dflt") and f.name not in cls.__dict__:
            setattr(cls, f.name, _chosen_property(f.name, f))
        elif f.isconditional:
            pass  # read through its condition (general.install), a list copied there too
        elif type(f.default) is list and f.name not in cls.__dict__:
            setattr(cls, f.name, _list_property(f.name, f.default))
        elif isinstance(f.default, engine) and f.name not in cls.__dict__:
            setattr(cls, f.name, _copied_property(f.name, f.default))
    cls._shared_lists = tuple(f.name for f in fields if type(f.default) is list)
    cls._condfields = frozenset(f.name for f in fields if f.isconditional)

    from paquet.packet import general

    cls._general = general.needs_general(cls, fields)
    if cls._general:
        general.install(cls)
        _fields_on_class(cls, fields)
        return
    general.uninstall(cls)
    _fields_on_class(cls, fields)

    # The fixed part: every field up to the first one of variable size.
    fmt = "!"
    pack_args: list[str] = []
    unpack_lines: list[str] = []
    env: dict[str, Any] = {"ipb": _ipb, "macb": _macb, "ntoa": _ntoa, "hexmac": _hexmac}
    fixed: list[Field] = []
    ends: list[int] = []  # where each fixed field's bytes end (a truncated header shows those)
    i = 0
    var = 0
    while i < len(fields):
        f = fields[i]
        if isinstance(f, BitField) and general.fast_field(f):
            group: list[BitField] = []
            total = 0
            while (i < len(fields) and isinstance(fields[i], BitField)
                   and general.fast_field(fields[i])):
                bf = fields[i]
                assert isinstance(bf, BitField)
                group.append(bf)
                total += bf.bits
                i += 1
                if total % 8 == 0:
                    break
            if total % 8 or total > 64:
                raise TypeError(f"{cls.__name__}: bit fields must fill whole bytes (8 at most)")
            nbytes = total // 8
            odd = nbytes not in (1, 2, 4, 8)
            fmt += f"{nbytes}s" if odd else {1: "B", 2: "H", 4: "I", 8: "Q"}[nbytes]
            shift = total
            parts = []
            v = f"v{var}"
            if odd:
                unpack_lines.append(f"    {v} = int.from_bytes({v}, 'big')")
            for bf in group:
                shift -= bf.bits
                mask = (1 << bf.bits) - 1
                parts.append(f"((d[{bf.name!r}] or 0) & {mask}) << {shift}")
                expr = f"({v} >> {shift}) & {mask}" if shift else f"{v} & {mask}"
                unpack_lines.append(f"    d[{bf.name!r}] = {expr}")
            packed = " | ".join(parts)
            pack_args.append(f"({packed}).to_bytes({nbytes}, 'big')" if odd else packed)
            fixed.extend(group)
            ends.extend([struct.calcsize(fmt)] * len(group))
            var += 1
            continue
        if f.fmt is None or not general.fast_field(f):
            break
        v = f"v{var}"
        fmt += f.fmt
        if isinstance(f, IPField):
            pack_args.append(f"ipb(d[{f.name!r}])")
            unpack_lines.append(f"    d[{f.name!r}] = ntoa({v})")
        elif isinstance(f, MACField):
            pack_args.append(f"macb(d[{f.name!r}])")
            unpack_lines.append(f"    d[{f.name!r}] = hexmac({v})")
        elif f.fmt.endswith("s"):
            pack_args.append(f"d[{f.name!r}]")
            unpack_lines.append(f"    d[{f.name!r}] = {v}")
        else:
            pack_args.append(f"d[{f.name!r}] or 0")
            unpack_lines.append(f"    d[{f.name!r}] = {v}")
        fixed.append(f)
        ends.append(struct.calcsize(fmt))
        var += 1
        i += 1
    cls._fixed_names = tuple(f.name for f in fixed)
    cls._fixed_ends = tuple(ends)
    # Every field, even those dissection fills: a dict made from this one has its final size.
    cls._dinit = {**cls._init, "_explicit": _ALL}
    # What a quick_dissect may start from: a dissected layer's dict, before its values.
    cls._qinit = {k: v for k, v in cls._dinit.items() if k != "payload"}
    cls._var_fields = fields[i:]
    st = struct.Struct(fmt)
    cls._struct = st
    cls._hdr_len = st.size
    env["S"] = st
    env["Malformed"] = Malformed
    env["NTOA"] = _NTOA
    env["HEXMAC"] = _HEXMAC
    size = st.size
    if var:
        targets = ", ".join(f"v{k}" for k in range(var)) + ","
        body = "\n".join(unpack_lines) + "\n"
        src = (
            "def _pack(d):\n"
            f"    return S.pack({', '.join(pack_args)})\n"
            "def _unpack(d, data, off):\n"
            f"    {targets} = S.unpack_from(data, off)\n"
            + body
            + "def do_dissect(self, data, off, end):\n"
            f"    if end - off < {size}:\n"
            f"        raise Malformed(off, f'{size} header bytes, {{end - off}} left')\n"
            f"    {targets} = S.unpack_from(data, off)\n"
            "    d = self.__dict__\n"
            + re.sub(r"\b(ntoa|hexmac)\((v\d+)\)",
                     lambda m: f"{'NTOA' if m[1] == 'ntoa' else 'HEXMAC'}.get({m[2]}) or {m[0]}",
                     body)
            + f"    return off + {size}\n"
        )
    else:
        src = (
            "def _pack(d):\n    return b''\ndef _unpack(d, data, off):\n    pass\n"
            "def do_dissect(self, data, off, end):\n    return off\n"
        )
    # The generated functions are compiled when first used (compiling every layer at import
    # would cost milliseconds each): trampolines stand in until then.
    generate_dissect = (
        (cls.do_dissect is engine.do_dissect or getattr(cls.do_dissect, "_generated", False))
        and cls.dissect_tail is engine.dissect_tail
        # (the engine's own, put back by general.uninstall, is replaced as if absent)
        and cls.__dict__.get("do_dissect", engine.do_dissect) is engine.do_dissect
        and cls is not engine
    )

    def materialize() -> None:
        if "_compiled" in cls.__dict__:
            return
        exec(compile(src, f"<paquet layer {cls.__name__}>", "exec"), env)  # from the table
        cls._pack_fixed = staticmethod(env["_pack"])  # type: ignore[method-assign]
        cls._unpack_fixed = staticmethod(env["_unpack"])  # type: ignore[method-assign]
        if generate_dissect:
            fn = env["do_dissect"]
            fn._generated = True
            fn.__doc__ = f"Parse a {cls.__name__} header (generated from its field table)."
            cls.do_dissect = fn  # type: ignore[method-assign]
        cls._compiled = True  # type: ignore[attr-defined]

    def pack(d: dict[str, Any]) -> bytes:
        materialize()
        return cls._pack_fixed(d)

    def unpack(d: dict[str, Any], data: bytes, off: int) -> None:
        materialize()
        cls._unpack_fixed(d, data, off)

    cls._pack_fixed = staticmethod(pack)  # type: ignore[method-assign]
    cls._unpack_fixed = staticmethod(unpack)  # type: ignore[method-assign]
    if generate_dissect:

        def do_dissect(self: Packet, data: bytes, off: int, end: int) -> int:
            materialize()
            return cls.do_dissect(self, data, off, end)

        do_dissect._generated = True  # type: ignore[attr-defined]
        cls.do_dissect = do_dissect  # type: ignore[method-assign]


def _default(f: Field) -> Any:
    """A field's default as stored: a name or a string of flags given as the default is
    converted once, here (``ByteEnumField("op", "who-has", ...)``)."""
    d = f.default
    if isinstance(d, str) and f.converts and not f.islist:
        return f.any2i(None, d)
    return d


_UNSET: Any = object()  # a keyword argument not given to a generated constructor


def _install_init(cls: type[Packet]) -> None:
    """Give ``cls`` a constructor generated from its field table, compiled on first use.

    Each field is a keyword-only parameter: Python binds the arguments itself, with no
    ``**fields`` dict to build and walk, and the code converts only the fields that convert
    (a string seen before is answered from the field's cache). Anything else (bytes to dissect,
    an unknown name, an instance of a subclass with its own ``__init__``) goes to
    :meth:`Packet.__init__`, which does the same work the general way.
    """
    engine = _kinds.Packet  # (read at call time: base.py imports this module)

    names = cls._names
    if (
        not names
        or cls._general
        or "__init__" in cls.__dict__
        or any("__init__" in c.__dict__
               and not getattr(c.__dict__["__init__"], "_generated", False)
               for c in cls.__mro__[1 : cls.__mro__.index(engine)])
        or any(keyword.iskeyword(n) or n.endswith("_") for n in names)
    ):
        return

    def compile_init() -> Callable[..., None]:
        # Every name of the generated code ends with "_": no field name does (checked above).
        env: dict[str, Any] = {
            "CLS_": cls,
            "U_": _UNSET,
            "INIT_": cls._init,
            "now_": _now,
            "dissect_bytes_": _init_from_bytes,
            "NOPAYLOAD_": _kinds.NOPAYLOAD,
            "set_dict_": engine.__dict__["__dict__"].__set__,
            "len_": len,
            "bytes_": bytes,
            "int_": int,
            "str_": str,
        }
        params = ", ".join(f"{n}=U_" for n in names)
        values = ", ".join(names) + ("," if len(names) == 1 else "")
        unset = " and ".join(f"{n} is U_" for n in names)
        lines = [
            f"def __init__(self_, pkt_=b'', /, *, {params}, **unknown_):",
            "    if pkt_:",
            f"        if not unknown_ and self_.__class__ is CLS_ and {unset}:",
            # Bytes alone: the layer's quick path, inlined (what _init_from_bytes does first).
            "            quick_ = CLS_._quick",
            "            if quick_ is not None and pkt_.__class__ is bytes_:",
            "                qd_ = quick_(pkt_, 0, len_(pkt_), (), None, now_())",
            "                if qd_ is not None:",
            "                    if '_lazy' not in qd_:",
            "                        qd_['payload'] = NOPAYLOAD_",
            "                    set_dict_(self_, qd_)",
            "                    return",
            "            return dissect_bytes_(self_, pkt_)",
            f"        return slow_(self_, pkt_, unknown_, ({values}))",
            "    if unknown_ or self_.__class__ is not CLS_:",
            f"        return slow_(self_, pkt_, unknown_, ({values}))",
            "    d_ = self_.__dict__",
            "    d_.update(INIT_)",
            "    d_['time'] = now_()",
            "    ex_ = {}",
        ]
        for f in cls._fields:
            n = f.name
            lines.append(f"    if {n} is not U_:")
            if n in cls._conv:
                env[f"conv_{n}_"] = cls._conv[n]
                lines.append(f"        if {n}.__class__ is not int_ and {n} is not None:")
                if f.str_cache is not None:
                    env[f"cache_{n}_"] = f.str_cache
                    lines.append(
                        f"            v_ = cache_{n}_.get({n}) if {n}.__class__ is str_ else None"
                    )
                    lines.append(f"            {n} = conv_{n}_({n}) if v_ is None else v_")
                else:
                    lines.append(f"            {n} = conv_{n}_({n})")
            lines.append(f"        d_[{n!r}] = ex_[{n!r}] = {n}")
        lines += ["    if ex_:", "        d_['_explicit'] = ex_"]

        def slow(self: Packet, _pkt: Any, unknown: dict[str, Any], values: tuple[Any, ...]) -> None:
            given = {n: v for n, v in zip(names, values, strict=True) if v is not _UNSET}
            if unknown:
                given.update(unknown)
            engine.__init__(self, _pkt, **given)

        env["slow_"] = slow
        exec(compile("\n".join(lines), f"<paquet layer {cls.__name__} __init__>", "exec"), env)
        fn: Callable[..., None] = env["__init__"]
        fn.__doc__ = f"Build a {cls.__name__} from keyword arguments, or dissect bytes."
        fn._generated = True  # type: ignore[attr-defined]
        return fn

    def __init__(self: Packet, _pkt: Any = b"", /, **fields: Any) -> None:
        if "_init_compiled" not in cls.__dict__:
            cls._init_compiled = True  # type: ignore[attr-defined]
            cls.__init__ = compile_init()  # type: ignore[method-assign]
        cls.__init__(self, _pkt, **fields)

    __init__._generated = True  # type: ignore[attr-defined]
    __init__.__doc__ = engine.__init__.__doc__
    cls.__init__ = __init__  # type: ignore[method-assign]


def _cached_str(cache: dict[str, Any], conv: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``conv`` for a field with a ``str_cache``, answering a string seen before from that
    cache (``flags="S"``, an IPv6 address) without going through the field."""

    def convert(value: Any) -> Any:
        if type(value) is str:
            n = cache.get(value)
            if n is not None:
                return n
        return conv(value)

    return convert


def _elementwise(conv: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``conv`` applied to a value, or to each value of a list (a field given several values)."""

    def convert(value: Any) -> Any:
        if isinstance(value, list):
            return [conv(x) for x in value]
        try:
            return conv(value)
        except FieldError:
            if getattr(type(value), "_fix", None) is None:
                raise
            return value  # a random value (paquet.volatile): converted when drawn

    return convert
