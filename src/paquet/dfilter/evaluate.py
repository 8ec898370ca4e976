"""A parsed display filter, checked against the field table and compiled into closures.

Each value in a filter yields a list per packet (a field may occur several times, or not at
all). Wireshark's rules: ``==`` and the orderings hold when any occurrence matches; ``!=`` is
``!(a == b)`` (no occurrence equal); ``===`` all equal, ``!==`` one differs; a test on a
field the packet lacks is false. Literals are read by the kind of the field they meet: an
address or CIDR block for ``ip.addr``, hex bytes for ``eth.src[0:3]``, text for ``dns.qry.name``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from paquet.dfilter.fields import FIELDS, FieldDef, FrameInfo, layer_values, value_text
from paquet.dfilter.protocols import PROTOCOLS, layers_of, protocols
from paquet.dfilter.syntax import (
    And,
    Field,
    Func,
    In,
    Len,
    Literal,
    Node,
    Not,
    Or,
    Test,
    Xor,
    parse,
)
from paquet.errors import ExpressionError

__all__ = ["DisplayFilter", "compile_filter", "protocols"]

_layers = layers_of  # (the name cli/read.py knows)

_Layers = dict[str, list[Any]]
_Getter = Callable[[Any, FrameInfo, _Layers], list[Any]]
_Pred = Callable[[Any, FrameInfo, _Layers], bool]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b, "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b}
_BYTES_KINDS = ("bytes", "ether", "proto")


def _bad(text: str, message: str) -> ExpressionError:
    return ExpressionError(f"display filter {text!r}: {message}")


def _as_bytes(kind: str, value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if kind in ("ipv4", "ipv6"):
        return bytes(value.packed)
    if kind == "string":
        return str(value).encode("utf-8")
    raise TypeError(kind)


def _time_literal(text: str) -> int:
    """A date as tshark reads it (``Dec  6, 2025 05:46:40[.123]``, local time) or in ISO 8601,
    as nanoseconds since the epoch.

    >>> _time_literal("1970-01-01T00:00:01.5+00:00")
    1500000000
    """
    import datetime

    whole, _, frac = text.strip().partition(".")
    tail = ""
    if frac and not frac.isdigit():  # ISO's fraction may be followed by a zone
        digits = len(frac) - len(frac.lstrip("0123456789"))
        frac, tail = frac[:digits], frac[digits:]
    try:
        when = datetime.datetime.strptime(" ".join(whole.split()), "%b %d, %Y %H:%M:%S")
    except ValueError:
        when = datetime.datetime.fromisoformat(whole + tail)
    if when.tzinfo is None:
        when = when.astimezone()  # local time, as tshark reads it
    secs = int(when.timestamp())
    return secs * 10**9 + int((frac or "0")[:9].ljust(9, "0"))


def _hex_bytes(text: str) -> bytes | None:
    """``00:11:22``, ``00-11-22``, ``0011.2233``, ``001122`` or one byte ``2``."""
    if re.fullmatch(r"[0-9A-Fa-f]{1,2}", text):
        return bytes([int(text, 16)])
    if re.fullmatch(r"[0-9A-Fa-f]{2}([:\-.][0-9A-Fa-f]{2})*", text):
        return bytes.fromhex(re.sub(r"[:\-.]", "", text))
    if re.fullmatch(r"([0-9A-Fa-f]{4}\.)+[0-9A-Fa-f]{4}|(?:[0-9A-Fa-f]{2})+", text):
        return bytes.fromhex(text.replace(".", ""))
    return None


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text

    # -- values ---------------------------------------------------------------------------
    def kind(self, value: Field | Literal | Len | Func) -> str | None:
        """The kind of a value (None for a literal: it takes the kind of what it meets)."""
        if isinstance(value, Len):
            return "uint"
        if isinstance(value, Func):
            return "uint" if value.name == "count" else "string"
        if isinstance(value, Literal):
            return None
        if value.ranges:
            return "bytes"
        if value.name in FIELDS:
            return FIELDS[value.name].kind
        return "proto"

    def getter(self, value: Field | Len | Func) -> _Getter:
        if isinstance(value, Func):
            return self._function(value)
        if isinstance(value, Len):
            inner = value.operand
            if isinstance(inner, Literal):
                raise _bad(self.text, f"{inner.text!r} is neither a field nor a protocol name")
            get = self.getter(inner)
            return lambda p, f, ls: [len(v) for v in get(p, f, ls)]
        name = value.name
        if name in FIELDS:
            fd = FIELDS[name]
            base = self._field(fd)
            if value.ranges:
                if fd.kind in ("uint", "bool", "float", "time"):
                    raise _bad(self.text, f"{name} cannot be sliced")
                kind = fd.kind
                ranges = value.ranges
                return lambda p, f, ls: [_slice(_as_bytes(kind, v), ranges)
                                         for v in base(p, f, ls)]
            return base
        if name not in PROTOCOLS:
            raise _bad(self.text, f"{name!r} is neither a field nor a protocol name"
                       + _attribute_hint(name))
        ranges = value.ranges

        def proto(p: Any, f: FrameInfo, ls: _Layers) -> list[Any]:
            datas = [f.data] if name == "frame" else [bytes(layer) for layer in ls.get(name, ())]
            return [_slice(d, ranges) for d in datas] if ranges else datas
        return proto

    def _function(self, func: Func) -> _Getter:
        inner = func.operand
        if isinstance(inner, Literal):
            raise _bad(self.text, f"{inner.text!r} is neither a field nor a protocol name")
        get = self.getter(inner)
        if func.name == "count":
            return lambda p, f, ls: [len(get(p, f, ls))]
        if func.name in ("lower", "upper"):
            if self.kind(inner) != "string":
                raise _bad(self.text, f"{func.name}() takes a text field")
            change = str.lower if func.name == "lower" else str.upper
            return lambda p, f, ls: [change(v) for v in get(p, f, ls)]
        if not isinstance(inner, Field) or inner.name not in FIELDS or inner.ranges:
            raise _bad(self.text, "string() takes a field")
        fd = FIELDS[inner.name]
        return lambda p, f, ls: [value_text(fd, v) for v in get(p, f, ls)]

    def _field(self, fd: FieldDef) -> _Getter:
        get = fd.get
        if fd.proto == "frame":
            return lambda p, f, ls: [v] if (v := get(f)) is not None else []
        return lambda p, f, ls: layer_values(fd, ls)

    def literal(self, lit: Literal, kind: str, op: str) -> Any:
        """The literal read as a value of ``kind`` (an ipaddress network for a CIDR block)."""
        text = lit.text
        try:
            if kind in ("uint", "bool"):
                if kind == "bool" and text.lower() in ("true", "false"):
                    return int(text.lower() == "true")
                if re.fullmatch(r"0[0-7]+", text):
                    return int(text, 8)
                return int(text, 0)
            if kind == "float":
                return Decimal(text)
            if kind == "time":
                return _time_literal(text)
            if kind in ("ipv4", "ipv6"):
                if "/" in text:
                    if op not in ("==", "!=", "===", "!==", "in"):
                        raise ValueError(text)
                    net = ipaddress.ip_network(text, strict=False)
                    if net.version != int(kind == "ipv6") * 2 + 4:
                        raise ValueError(text)
                    return net
                addr = ipaddress.ip_address(text)
                if addr.version != (6 if kind == "ipv6" else 4):
                    raise ValueError(text)
                return addr
            if kind == "string":
                return text
            if op == "matches":
                return text
            if lit.quoted:
                return text.encode("utf-8", "surrogateescape")
            data = _hex_bytes(text)
            if data is None:
                raise ValueError(text)
            return data
        except (ValueError, InvalidOperation):
            names = {"uint": "an unsigned integer", "bool": "a boolean (1 or 0)",
                     "ipv4": "an IPv4 address or block", "ipv6": "an IPv6 address or block",
                     "float": "a number", "time": "a date (Dec  6, 2025 05:46:40 or ISO 8601)",
                     "ether": "a MAC address",
                     "bytes": "a byte string (00:11:22) or a quoted string",
                     "proto": "a byte string (00:11:22) or a quoted string"}
            raise _bad(self.text, f"{text!r} is not {names.get(kind, kind)}") from None

    # -- tests ----------------------------------------------------------------------------
    def compile(self, node: Node) -> _Pred:
        if isinstance(node, And):
            a, b = self.compile(node.left), self.compile(node.right)
            return lambda p, f, ls: a(p, f, ls) and b(p, f, ls)
        if isinstance(node, Or):
            a, b = self.compile(node.left), self.compile(node.right)
            return lambda p, f, ls: a(p, f, ls) or b(p, f, ls)
        if isinstance(node, Xor):
            a, b = self.compile(node.left), self.compile(node.right)
            return lambda p, f, ls: a(p, f, ls) != b(p, f, ls)
        if isinstance(node, Not):
            a = self.compile(node.operand)
            return lambda p, f, ls: not a(p, f, ls)
        if isinstance(node, Literal):
            if node.quoted:
                raise _bad(self.text, f'"{node.text}" is a string, not a test')
            raise _bad(self.text, f"{node.text!r} is neither a field nor a protocol name"
                       + _attribute_hint(node.text))
        if isinstance(node, Field | Len | Func):
            get = self.getter(node)
            return lambda p, f, ls: bool(get(p, f, ls))
        if isinstance(node, In):
            return self.membership(node)
        return self.test(node)

    def _side(self, value: Field | Literal | Len | Func, kind: str, op: str) -> _Getter:
        if isinstance(value, Literal):
            const = [self.literal(value, kind, op)]
            return lambda p, f, ls: const
        return self.getter(value)

    def test(self, node: Test) -> _Pred:
        left, op, right = node.left, node.op, node.right
        lk, rk = self.kind(left), self.kind(right)
        if lk is None and rk is None:
            raise _bad(self.text, f"{left.text!r} is neither a field nor a protocol name"
                       + _attribute_hint(left.text)
                       if isinstance(left, Literal) else "no field to test")
        if lk is None:
            if op in ("contains", "matches"):
                raise _bad(self.text, f"the left side of {op} must be a field")
            left, right, lk, rk = right, left, rk, lk
            op = {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(op, op)
        assert lk is not None
        kind = lk
        if rk is not None and rk != lk and not (lk in _BYTES_KINDS and rk in _BYTES_KINDS):
            raise _bad(self.text, f"cannot compare a {lk} field with a {rk} field")
        if op in ("contains", "matches") and kind not in ("string", "bytes", "proto", "ether"):
            raise _bad(self.text, f"{op} needs a string or bytes field, not {kind}")
        get_l = self.getter(left)  # type: ignore[arg-type]
        get_r = self._side(right, kind, op)
        cmp = _comparator(op)
        return lambda p, f, ls: cmp(get_l(p, f, ls), get_r(p, f, ls))

    def membership(self, node: In) -> _Pred:
        kind = self.kind(node.left)
        if kind is None:
            raise _bad(self.text, "the left side of 'in' must be a field")
        get = self.getter(node.left)  # type: ignore[arg-type]
        singles: list[Any] = []
        ranges: list[tuple[Any, Any]] = []
        for item in node.items:
            if isinstance(item, tuple):
                lo, hi = item
                if not (isinstance(lo, Literal) and isinstance(hi, Literal)):
                    raise _bad(self.text, "a range in a set takes two literals")
                ranges.append((self.literal(lo, kind, "in"), self.literal(hi, kind, "in")))
            elif isinstance(item, Literal):
                singles.append(self.literal(item, kind, "in"))
            else:
                raise _bad(self.text, "a set holds literals")

        def test(p: Any, f: FrameInfo, ls: _Layers) -> bool:
            for v in get(p, f, ls):
                if any(_equal(v, s) for s in singles):
                    return True
                if any(lo <= v <= hi for lo, hi in ranges):
                    return True
            return False
        return test


def _equal(value: Any, other: Any) -> bool:
    if isinstance(other, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return value in other
    return bool(value == other)


def _comparator(op: str) -> Callable[[list[Any], list[Any]], bool]:
    if op == "==":
        return lambda ls, rs: any(_equal(a, b) for a in ls for b in rs)
    if op == "!=":
        return lambda ls, rs: bool(ls) and bool(rs) and not any(
            _equal(a, b) for a in ls for b in rs)
    if op == "===":
        return lambda ls, rs: bool(ls) and all(any(_equal(a, b) for b in rs) for a in ls)
    if op == "!==":
        return lambda ls, rs: any(not _equal(a, b) for a in ls for b in rs)
    if op in _ORDER:
        order = _ORDER[op]

        def ordered(ls: list[Any], rs: list[Any]) -> bool:
            for a in ls:
                for b in rs:
                    try:
                        if order(a, b):
                            return True
                    except TypeError:
                        continue
            return False
        return ordered
    if op == "contains":
        return lambda ls, rs: any(_contains(a, b) for a in ls for b in rs)
    assert op == "matches"
    cache: dict[str, re.Pattern[str]] = {}

    def matches(ls: list[Any], rs: list[Any]) -> bool:
        for b in rs:
            pattern = cache.get(b)
            if pattern is None:
                pattern = cache[b] = re.compile(b, re.IGNORECASE | re.DOTALL)
            for a in ls:
                text = a.decode("latin-1") if isinstance(a, bytes) else str(a)
                if pattern.search(text):
                    return True
        return False
    return matches


def _contains(a: Any, b: Any) -> bool:
    if isinstance(a, str):
        return (b.decode("utf-8", "replace") if isinstance(b, bytes) else str(b)) in a
    if isinstance(a, bytes) and isinstance(b, str):
        return b.encode("utf-8") in a
    return bool(b in a)


def _slice(data: bytes, ranges: tuple[tuple[int | None, int | None], ...]) -> bytes:
    return b"".join(data[start:end] for start, end in ranges)


class DisplayFilter:
    """A compiled display filter: :meth:`matches` tells whether a packet passes.

    >>> from paquet.layers.ether import Ether
    >>> from paquet.layers.ipv4 import IP
    >>> from paquet.layers.tcp import TCP
    >>> pkt = Ether(src='00:11:22:33:44:55') / IP(src='192.0.2.1') / TCP(dport=80)
    >>> compile_filter('eth.src[0:3] == 00:11:22 && tcp.port in {80, 443}').matches(pkt)
    True
    >>> compile_filter('ip.addr == 198.51.100.0/24 or udp').matches(pkt)
    False
    """

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self._test = _Compiler(text).compile(parse(text))
        except RecursionError:
            raise _bad(text, "nested too deeply") from None

    def matches(self, pkt: Any, frame: FrameInfo | None = None) -> bool:
        """Whether ``pkt`` passes; ``frame`` gives frame.* fields (number, lengths, bytes)."""
        if frame is None:
            data = bytes(pkt)
            frame = FrameInfo(1, data, len(data), pkt=pkt)
        return bool(self._test(pkt, frame, _layers(pkt, frame)))

    def __repr__(self) -> str:
        return f"DisplayFilter({self.text!r})"


def compile_filter(text: str) -> DisplayFilter:
    """Parse and check a Wireshark display filter (:class:`~paquet.errors.ExpressionError`
    when it is not one)."""
    return DisplayFilter(text)


def _attribute_hint(name: str) -> str:
    """For a Scapy attribute name (``tcp.window``): display filters take Wireshark's names."""
    from paquet.dfilter.attributes import is_attribute

    if "." not in name or not is_attribute(name):
        return ""
    return " (a layer's field by Scapy's name: display filters take Wireshark's names)"
