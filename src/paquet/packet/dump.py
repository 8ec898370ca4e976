"""Printing packets and layer classes as Scapy does: ``raw``, ``hexdump``, ``hexstr``,
``hexdiff``, ``sane``, ``ls``, ``lsc``.

Functions of the whole packet: they only read what the engine gives (a packet's bytes, its
layers, a class's field table). ``Packet.hexdump()`` (``show.py``) calls :func:`hexdump`, so
this module reads the engine's classes from :mod:`paquet.packet.kinds` rather than importing
:mod:`paquet.packet.base`.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from paquet.errors import PaquetError
from paquet.packet import kinds as _kinds
from paquet.packet.dissect import payload_of
from paquet.packet.enumfields import _EnumField
from paquet.packet.flagfields import FlagsField, FlagValue

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = ["hexdiff", "hexdump", "hexstr", "ls", "lsc", "raw", "rfc", "sane"]


def raw(pkt: Packet | bytes | str) -> bytes:
    """The bytes of ``pkt`` (Scapy's ``raw``); bytes and text pass through (text UTF-8)."""
    if isinstance(pkt, _kinds.Packet):
        return pkt.build()
    if isinstance(pkt, str):
        return pkt.encode("utf-8", "surrogateescape")
    return bytes(pkt)


def _sane(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 else "." for b in data)


def _theme() -> Any:
    from paquet.themes import get_theme  # (themes imports utils, which imports this module)

    return get_theme()


def sane(x: bytes | str, color: bool = False) -> str:
    """The bytes as text, each unprintable byte as ``.`` (styled ``not_printable`` by
    ``conf.color_theme`` when ``color``).

    >>> sane(b"A\\x00\\xffB")
    'A..B'
    """
    data = x.encode("latin-1", "replace") if isinstance(x, str) else bytes(x)
    if not color:
        return _sane(data)
    dot = _theme().not_printable(".")
    return "".join(chr(b) if 32 <= b < 127 else dot for b in data)


def _ls_extras(f: Any, verbose: bool, pkt: Any = None) -> list[str]:
    """``ls(..., verbose=True)``'s lines under a field: an enumeration's names and numbers
    (tables under 50 entries; a ``MultiEnumField``'s for packet ``pkt``), a flags field's
    names."""
    if not verbose:
        return []
    depends_on = getattr(f, "depends_on", None)
    if depends_on is not None and hasattr(f, "i2s_multi"):
        try:
            table = f.i2s_multi.get(depends_on(pkt), {})
        except Exception:
            return []
        return [f"{name}: {num}" for num, name in sorted(table.items())] if len(table) < 50 else []
    if isinstance(f, _EnumField):
        table = f._table()
        if table and len(table) < 50:
            return [f"{name}: {num}" for num, name in sorted(table.items())]
        return []
    if isinstance(f, FlagsField):
        return [", ".join(f.names)]
    return []


def _ls_kind(f: Any, layer: Packet | None, cls: type[Packet]) -> tuple[str, Any, Any]:
    """Scapy's ``ls`` column for field ``f``: its kind (with ``(Cond)``, ``Depends on``, the
    kinds of a ``MultipleTypeField``, the width of a bit field, in Scapy's order), the
    default shown, and the innermost field."""
    from paquet.packet.enumfields import MultiEnumField
    from paquet.packet.fields import BitField
    from paquet.packet.structfields import ConditionalField, MultipleTypeField

    attrs: list[str] = []
    cur = f
    while isinstance(cur, ConditionalField):
        attrs.append("Cond")
        cur = cur.fld
    base = cur.type_name()
    bits = ""
    if isinstance(cur, BitField) and base.endswith(" bits)") and "  (" in base:
        base = base.partition("  (")[0]
        bits = f" ({cur.size} bit{'s' if cur.size > 1 else ''})"
    default = cur.ls_default()
    if isinstance(cur, MultiEnumField):
        with contextlib.suppress(Exception):  # (defaults that do not say: no note)
            attrs.append(f"Depends on {cur.depends_on(layer if layer is not None else cls())}")
    elif isinstance(cur, MultipleTypeField):
        kinds = (*(fld for fld, _ in cur.flds), cur.dflt)
        attrs.append(", ".join(k.type_name().partition("  (")[0] for k in kinds))
        base = "MultipleTypeField"
        default = cur.dflt.ls_default()
        cur = cur.dflt
    extras = f"({', '.join(attrs)})" if attrs else ""
    return f"{base} {extras}{bits}".rstrip() if extras or bits else base, default, cur


def _unwrapped(f: Any) -> Any:
    """``f`` without its ``ConditionalField`` wrappers."""
    while getattr(f, "isconditional", False):
        f = f.fld
    return f


def _ls_lines(cls: type[Packet], layer: Packet | None, verbose: bool = False) -> list[str]:
    """The lines of :func:`ls` for one class (defaults) or one layer (values and defaults)."""
    lines = []
    for f in cls._fields:
        kind, dflt, inner = _ls_kind(f, layer, cls)
        bare = _unwrapped(f)  # (not ``inner`` for a MultipleTypeField: its fallback is)
        if isinstance(inner, FlagsField) and dflt is not None:
            dflt = FlagValue(dflt or 0, inner.names)
        default = repr(dflt)
        if layer is None:
            lines.append(f"{f.name:<10} : {kind:<35} = ({default!r})")
        else:
            v = layer._display_value(f.name)
            cond: Any = f
            if getattr(cond, "isconditional", False) and not cond._evalcond(layer):
                v = None  # (absent from this packet: Scapy reads None)
            chosen = inner if bare is inner else bare._find_fld_pkt(layer)
            if isinstance(chosen, FlagsField) and type(v) is int:
                v = FlagValue(v, chosen.names)
            lines.append(f"{f.name:<10} : {kind:<35} = {v!r:<15} ({default!r})")
        pkt = layer
        if verbose and pkt is None and hasattr(inner, "i2s_multi"):
            pkt = cls()
        if bare is inner:  # (Scapy details no MultipleTypeField)
            lines.extend(" " * 15 + extra for extra in _ls_extras(inner, verbose, pkt))
    return lines


def _known_layers() -> list[type[Packet]]:
    """Every public layer class (subclasses of Packet, by class name; the first one of each
    name found)."""
    seen: dict[str, type[Packet]] = {}
    stack = list(_kinds.Packet.__subclasses__())
    while stack:
        c = stack.pop()
        if not c.__name__.startswith("_") and c is not _kinds.NoPayload:
            seen.setdefault(c.__name__, c)
        stack.extend(c.__subclasses__())
    return [seen[n] for n in sorted(seen)]


def hexdump(pkt: Packet | bytes | str, dump: bool = False) -> str | None:
    """Scapy's hexdump: offset, 16 bytes in hexadecimal, the same bytes as ASCII (printed
    with the unprintable bytes styled by ``conf.color_theme``; returned plain with
    ``dump=True``).

    >>> hexdump(b"paquet\\x00\\x01", dump=True)
    '0000  70 61 71 75 65 74 00 01                          paquet..'
    """
    data = raw(pkt)
    text = _sane if dump else lambda chunk: sane(chunk, color=True)
    lines = []
    for i in range(0, len(data), 16):
        chunk = data[i : i + 16]
        hexpart = "".join(f"{b:02X} " for b in chunk).ljust(48)
        lines.append(f"{i:04x}  {hexpart} {text(chunk)}")
    s = "\n".join(lines)
    if dump:
        return s
    print(s)
    return None


def hexstr(
    pkt: Packet | bytes | str, onlyasc: bool = False, onlyhex: bool = False, color: bool = False
) -> str:
    """The bytes as one line of hexadecimal then ASCII (Scapy's ``hexstr``; ``color``
    styles the unprintable bytes with ``conf.color_theme``).

    >>> hexstr(b"E\\x00")
    '45 00  E.'
    """
    data = raw(pkt)
    parts = []
    if not onlyasc:
        parts.append(" ".join(f"{b:02X}" for b in data))
    if not onlyhex:
        parts.append(sane(data, color=color))
    return "  ".join(parts)


def ls(
    obj: Packet | type[Packet] | str | None = None,
    case_sensitive: bool = False,
    verbose: bool = False,
    dump: bool = False,
) -> str | None:
    """List the known layers, the layers whose name matches a regular expression (``obj``
    a string; ``case_sensitive`` or not), or the fields of a layer class (kind, default) or of
    a packet (values and defaults, each layer in turn). ``verbose`` adds the names of
    enumerated values and flags under their field, as Scapy's. Prints, or returns the text
    with ``dump=True``.

    >>> import paquet.layers
    >>> print(ls("^ICMPv6EchoRe", dump=True))
    ICMPv6EchoReply : ICMPv6 Echo Reply
    ICMPv6EchoRequest : ICMPv6 Echo Request
    """
    lines: list[str] = []
    if obj is None or isinstance(obj, str):
        layers = _known_layers()
        if isinstance(obj, str):
            try:
                pattern = re.compile(obj, 0 if case_sensitive else re.IGNORECASE)
            except re.error as e:
                raise PaquetError(f"ls: not a regular expression: {obj!r} ({e})") from None
            key = obj if case_sensitive else obj.lower()

            def rank(c: type[Packet]) -> tuple[int, int]:
                name = c.__name__ if case_sensitive else c.__name__.lower()
                return (name.find(key), len(c.__name__))

            layers = sorted(
                (c for c in layers if pattern.search(c.__name__) or pattern.search(str(c.name))),
                key=rank,
            )
        lines.extend(f"{c.__name__:<10} : {c.name}" for c in layers)
    elif isinstance(obj, type) and issubclass(obj, _kinds.Packet):
        lines.extend(_ls_lines(obj, None, verbose))
    elif isinstance(obj, _kinds.Packet):
        # A packet: each layer's fields, the layers apart by "--" (a loop: any depth);
        # as Scapy's, ``verbose`` details the first layer only.
        layer: Packet = obj
        while True:
            lines.extend(_ls_lines(type(layer), layer, verbose and layer is obj))
            layer = payload_of(layer)
            if not layer:
                break
            lines.append("--")
    else:
        lines.append("Not a packet class or name. Type 'ls()' to list packet classes.")
    s = "\n".join(lines)
    if dump:
        return s
    print(s)
    return None


def lsc(dump: bool = False) -> str | None:
    """List paquet's commands (Scapy's ``lsc``): each public function with the first line of
    its documentation. Prints, or returns the text with ``dump=True``."""
    import inspect

    import paquet

    lines = []
    for name in sorted(paquet.__all__):
        try:
            obj = getattr(paquet, name)
        except (AttributeError, ImportError):
            continue
        if not inspect.isfunction(obj) or name.startswith("_"):
            continue
        doc = (obj.__doc__ or "--").strip().split("\n", 1)[0]
        lines.append(f"{name:<22}: {doc}")
    s = "\n".join(lines)
    if dump:
        return s
    print(s)
    return None


# ---------------------------------------------------------------------------------------------
# hexdiff


def _align_levenshtein(x: bytes, y: bytes) -> tuple[list[bytes], list[bytes]]:
    """The two strings aligned byte by byte (b"" for a gap) along a cheapest edit path,
    computed on the reversed strings; on equal costs a substitution is preferred, then a
    deletion, then an insertion (the choices Scapy's hexdiff makes)."""
    rx, ry = x[::-1], y[::-1]
    n, m = len(rx), len(ry)
    # cost[i][j]: distance between rx[:i] and ry[:j]; move[i][j]: 0 diagonal, 1 up, 2 left.
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(1, m + 1):
        cost[0][j], move[0][j] = j, 2
    for i in range(1, n + 1):
        cost[i][0], move[i][0] = i + 1, 1
    for j in range(1, m + 1):
        yj = ry[j - 1]
        for i in range(1, n + 1):
            diag = cost[i - 1][j - 1] + (rx[i - 1] != yj)
            up = cost[i - 1][j] + 1
            left = cost[i][j - 1] + 1
            if diag <= up and diag <= left:
                cost[i][j], move[i][j] = diag, 0
            elif up <= left:
                cost[i][j], move[i][j] = up, 1
            else:
                cost[i][j], move[i][j] = left, 2
    ax: list[bytes] = []
    ay: list[bytes] = []
    i, j = n, m
    while i or j:
        step = move[i][j]
        di, dj = (1, 1) if step == 0 else (1, 0) if step == 1 else (0, 1)
        ax.append(rx[i - di : i])
        ay.append(ry[j - dj : j])
        i, j = i - di, j - dj
    return ax, ay


def _align_difflib(x: bytes, y: bytes, autojunk: bool) -> tuple[list[bytes], list[bytes]]:
    """The two strings aligned by :class:`difflib.SequenceMatcher` (fast, less exact)."""
    ax: list[bytes] = []
    ay: list[bytes] = []
    matcher = difflib.SequenceMatcher(a=x, b=y, autojunk=autojunk)
    for tag, x0, x1, y0, y1 in matcher.get_opcodes():
        if tag == "delete":
            ax += [x[k : k + 1] for k in range(x0, x1)]
            ay += [b""] * (x1 - x0)
        elif tag == "insert":
            ax += [b""] * (y1 - y0)
            ay += [y[k : k + 1] for k in range(y0, y1)]
        else:
            ax += [x[k : k + 1] for k in range(x0, x1)]
            ay += [y[k : k + 1] for k in range(y0, y1)]
    if autojunk:
        width = max(len(ax), len(ay))
        ax += [b""] * (width - len(ax))
        ay += [b""] * (width - len(ay))
    return ax, ay


def _offset(base: int, row: list[bytes]) -> int:
    """The offset shown for a row: ``base`` less its leading gaps."""
    gaps = 0
    while gaps < len(row) and not row[gaps]:
        gaps += 1
    return base - gaps


def hexdiff(
    a: Packet | bytes | str,
    b: Packet | bytes | str,
    algo: str | None = None,
    autojunk: bool = False,
    dump: bool = False,
) -> str | None:
    """Print the two byte strings (or packets) side by side as hexdump rows, aligned on
    their common bytes, the differences styled ``left``/``right`` by ``conf.color_theme``
    (Scapy's ``hexdiff`` and its layout). ``algo`` is ``"wagnerfischer"`` (an exact
    edit-distance alignment, the default up to 10^7 byte pairs) or ``"difflib"``; with
    ``dump=True`` the text is returned instead.

    >>> print(hexdiff(b"abcde", b"abCde", dump=True))
    0000        61 62 63 64 65                                     abcde
         0000   61 62 43 64 65                                     abCde
    """
    x, y = raw(a), raw(b)
    if algo is None:
        algo = "wagnerfischer" if len(x) * len(y) < 10**7 else "difflib"
    if algo == "wagnerfischer":
        bx, by = _align_levenshtein(x, y)
    elif algo == "difflib":
        bx, by = _align_difflib(x, y, autojunk)
    else:
        raise PaquetError(f"hexdiff: unknown algorithm {algo!r} (wagnerfischer or difflib)")
    theme = _theme()
    style: dict[int, Callable[[str], str]] = {0: str, -1: theme.left, 1: theme.right}
    out: list[str] = []
    shown = min(len(bx), len(by))
    y_off = i = 0
    left_turn, right_turn = True, False  # which side the next printed row shows
    while i < len(bx):
        row_x, row_y = bx[i : i + 16], by[i : i + 16]
        nx = sum(len(k) for k in row_x)
        ny = sum(len(k) for k in row_y)
        if left_turn and not nx:
            left_turn, right_turn = False, True
        if left_turn and row_x == row_y:
            right_turn = True
        side = int(right_turn) - int(left_turn)
        parts: list[str] = []
        row = row_y
        if left_turn:
            parts.append(style[side](f"{_offset(y_off, row_x):04x}"))
            row = row_x
        else:
            parts.append("    ")
        if right_turn:
            parts.append(style[side](f"{_offset(y_off, row_y):04x}"))
            y_off += ny
            row = row_y
        else:
            parts.append("    ")
        parts.append(" ")
        ascii_col = ""
        for j in range(16):
            if i + j < shown and row[j]:
                col = style[(row_x[j] != row_y[j]) * side]
                parts.append(col(f"{row[j][0]:02X}"))
                if row_x[j] == row_y[j]:
                    ascii_col += sane(row[j], color=True)
                else:
                    ascii_col += col(sane(row[j]))
            else:
                parts.append("  ")
                if i + j < shown:
                    ascii_col += " "
            if j == 7:
                parts.append("")
        out.append(" ".join(parts) + "   " + ascii_col)
        if right_turn or not ny:
            left_turn, right_turn = True, False
            i += 16
        else:
            left_turn, right_turn = False, True
    text = "\n".join(out)
    if dump:
        return text
    if text:
        print(text)
    return None


# ----------------------------------------------------------------------------------- rfc()

_RFC_WIDE = {"IP6Field": 128, "SourceIP6Field": 128, "DestIP6Field": 128}


def _rfc_bits(f: Any) -> int:
    """How many bits ``rfc()`` draws for a field, as Scapy's (its ``sz``): its width, 16 for
    one of variable size (as Scapy draws options and strings); a wrapped field (conditional,
    padded), the width of the field in it; a ``MultipleTypeField``, its fallback's; a field
    that says its own (``rfc_bits()``), that."""
    from paquet.packet.structfields import _FieldContainer

    while True:
        own = f.rfc_bits()
        if own is not None:
            return int(own)
        if hasattr(f, "flds") and hasattr(f, "dflt"):
            f = f.dflt
        elif isinstance(f, _FieldContainer):
            f = f.fld
        else:
            break
    if f.bits:
        return int(f.bits)
    wide = _RFC_WIDE.get(type(f).__name__)
    if wide:
        return wide
    fmt = (f.fmt or "").lstrip("!<>=@")
    if not fmt:
        return 16
    try:
        return struct.calcsize("!" + fmt) * 8  # (a fixed size of 0 bytes is drawn so too)
    except struct.error:
        return 16


def rfc(cls: type[Packet], ret: bool = False, legend: bool = True) -> str | None:
    """The header of layer class ``cls`` drawn as the RFCs draw them, 32 bits a row (Scapy's
    ``rfc``): printed, or returned with ``ret=True``; ``legend`` adds ``Fig. NAME``.

    >>> from paquet import UDP
    >>> print(rfc(UDP, ret=True, legend=False))
     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |             SPORT             |             DPORT             |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |              LEN              |             CHKSUM            |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    <BLANKLINE>
    """
    if not (isinstance(cls, type) and issubclass(cls, _kinds.Packet)):
        raise TypeError("Packet class expected")
    # Rows of 32 bits: each a list of (label, bits, field number); a field that does not fit
    # goes on in the next row, unlabelled.
    rows: list[list[tuple[str, int, int]]] = [[]]
    used = 0
    from paquet.packet.structfields import PadField

    def place(label: str, bits: int, ident: int) -> None:
        nonlocal used
        if not bits:  # (Scapy draws a field of no width as its label less one letter)
            rows[-1].append((label, 0, ident))
        while bits:
            take = min(bits, 32 - used)
            rows[-1].append((label, take, ident))
            label, bits, used = "", bits - take, used + take
            if used == 32:
                rows.append([])
                used = 0

    ident = 0
    for f in cls._fields:
        place(f.name.upper().replace("_", " "), _rfc_bits(f), ident)
        ident += 1
        if isinstance(f, PadField):  # its padding, to the alignment from the row's start
            align = f._align[0] if isinstance(f._align, tuple) else f._align
            pad = -used % (int(align) * 8)
            if pad:
                place("padding", pad, ident)
                ident += 1
    if not rows[-1]:
        rows.pop()

    def owners(row: list[tuple[str, int, int]]) -> list[int]:
        return [ident for _, bits, ident in row for _ in range(bits)]

    def separator(above: list[int], below: list[int]) -> str:
        # A dash under each bit, a plus at each boundary, blanks where a field goes on.
        n = max(len(above), len(below))
        same = [i < len(above) and i < len(below) and above[i] == below[i] for i in range(n)]
        out = ["+"]
        for i in range(n):
            out.append(" " if same[i] else "-")
            out.append(" " if i + 1 < n and same[i] and same[i + 1] else "+")
        return "".join(out)

    def cell(label: str, bits: int) -> str:
        width = 2 * bits - 1
        text = label[:width]
        left = (width - len(text) + 1) // 2
        return " " * left + text + " " * (width - len(text) - left)

    lines = [" 0                   1                   2                   3",
             " " + " ".join(str(i % 10) for i in range(32))]
    previous: list[int] = [-1] * 32  # the top line is drawn whole, as Scapy draws it
    for row in rows:
        lines.append(separator(previous, owners(row)))
        lines.append("|" + "|".join(cell(label, bits) for label, bits, _ in row) + "|")
        previous = owners(row)
    lines.append(separator(previous, []))
    text = "\n".join(lines) + "\n"
    if legend:
        text += "\n" + f"Fig. {cls.__name__}".center(66)
    if ret:
        return text
    print(text)
    return None
