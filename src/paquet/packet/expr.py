"""Packet expressions from the command line, parsed, never evaluated.

``Ether()/IP(dst="192.0.2.2", ttl=(1, 3))/TCP(dport=80, flags="S")/"hello"`` is read with
:mod:`ast` and only this is accepted: layer names (the classes of :mod:`paquet.layers`) called with
keyword arguments whose values are literals (numbers, strings, bytes, None, True/False, tuples and
lists of those, ``-n``), a few value helpers (``IPOption_NOP()``, ...), ``/`` between layers, and a
string or bytes literal as a payload. Anything else is an :class:`~paquet.errors.ExpressionError`
naming what is wrong and where.

Limits, each refused with a one-line error: 10,000 characters, 100 layers, values nested 8 deep
(``[("SAck", (1, 2))]`` is 3). Values typed here are checked against their field's width,
bit fields included (``IP(version=99)``, ``Dot1Q(vlan=5000)``, ``IP(ttl=(1, 300))``), where the
Python API masks bit fields as Scapy does.

>>> parse_packet('IP(src="192.0.2.9", dst="192.0.2.1")/ICMP()').summary()
'IP / ICMP 192.0.2.9 > 192.0.2.1 echo-request 0'
"""

from __future__ import annotations

import ast
from typing import Any

from paquet.errors import ExpressionError, PaquetError
from paquet.packet.base import Packet
from paquet.packet.fields import FieldError
from paquet.packet.values import check_width

__all__ = ["MAX_LAYERS", "known_layers", "parse_packet"]

_MAX_LENGTH = 10_000
#: The most layers an expression may stack with ``/`` (real packets have a handful).
MAX_LAYERS = 100
#: How deeply values may nest (a list of tuples of tuples...).
_MAX_DEPTH = 8


def known_layers() -> dict[str, type[Packet]]:
    """The layer classes an expression may name (those exported by :mod:`paquet.layers`)."""
    import paquet.layers as layers

    out: dict[str, type[Packet]] = {}
    for name in layers.__all__:
        obj = getattr(layers, name, None)
        if isinstance(obj, type) and issubclass(obj, Packet):
            out[name] = obj
    return out


def _helpers() -> dict[str, Any]:
    import paquet.layers as layers

    return {
        name: getattr(layers, name)
        for name in layers.__all__
        if name.startswith("IPOption_") and callable(getattr(layers, name, None))
    }


def _where(node: ast.AST) -> str:
    col = getattr(node, "col_offset", None)
    return f" at column {col + 1}" if col is not None else ""


def _payload_bytes(value: str | bytes, node: ast.AST) -> bytes:
    if isinstance(value, bytes):
        return value
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise ExpressionError(
            f"the string{_where(node)} has no UTF-8 bytes ({value[exc.start:exc.end]!r} is a "
            "lone surrogate): give bytes instead"
        ) from None


class _Reader:
    def __init__(self) -> None:
        self.layers = known_layers()
        self.helpers = _helpers()
        self.count = 0

    def packet(self, node: ast.AST) -> Packet:
        # ``a/b/c`` is ``(a/b)/c``: the chain is walked in a loop, not by recursion.
        items: list[ast.AST] = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            items.append(node.right)
            node = node.left
            if len(items) >= MAX_LAYERS:
                raise ExpressionError(f"too many layers (more than {MAX_LAYERS})")
        first = self.single(node)
        for right_node in reversed(items):
            right: Packet | bytes
            if isinstance(right_node, ast.Constant) and isinstance(right_node.value, str | bytes):
                right = _payload_bytes(right_node.value, right_node)
            else:
                right = self.packet(right_node)
            try:
                first.add_payload(right)
            except PaquetError as exc:
                raise ExpressionError(f"{exc}{_where(right_node)}") from None
        return first

    def single(self, node: ast.AST) -> Packet:
        self.count += 1
        if self.count > MAX_LAYERS:
            raise ExpressionError(f"too many layers (more than {MAX_LAYERS})")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self.packet(node)  # a parenthesised chain: (a/b)
        if isinstance(node, ast.Call):
            return self.layer(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            from paquet.packet.base import Raw

            return Raw(load=_payload_bytes(node.value, node))
        if isinstance(node, ast.Name):
            raise ExpressionError(
                f"{node.id!r}{_where(node)}: a layer must be called, as in {node.id}()"
            )
        raise ExpressionError(
            f"unexpected {_describe(node)}{_where(node)}: expected a layer such as IP(...), "
            "a string, or '/'"
        )

    def layer(self, node: ast.Call) -> Packet:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"unexpected {_describe(node.func)}{_where(node)}: "
                                  "expected a layer name")
        name = node.func.id
        cls = self.layers.get(name)
        if cls is None and name in self.helpers:
            raise ExpressionError(
                f"{name}(){_where(node)} is an option, not a layer: give it in "
                f"IP(options=[{name}(...)])"
            )
        if cls is None:
            close = _closest(name, self.layers)
            hint = f" (did you mean {close}?)" if close else ""
            raise ExpressionError(f"unknown layer {name!r}{_where(node)}{hint}")
        if len(node.args) > 1 or (node.args and name not in ("Raw", "Padding")):
            raise ExpressionError(
                f"{name}(){_where(node)}: give fields by name, as in {name}(field=value)"
            )
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise ExpressionError(f"{name}(){_where(kw)}: '**' is not allowed")
            if kw.arg not in cls._fieldmap:
                fields = ", ".join(cls._names)
                raise ExpressionError(f"{name} has no field {kw.arg!r} (fields: {fields})")
            value = self.value(kw.value)
            field = cls._fieldmap[kw.arg]
            if isinstance(value, tuple) and not field.islist and not _is_range(value):
                raise ExpressionError(
                    f"{name}.{kw.arg}={value!r}{_where(kw.value)}: a range is two integers "
                    "(lo, hi); give other values as a list [a, b, c]"
                )
            try:
                check_width(name, field, value)
            except FieldError as exc:
                raise ExpressionError(f"{exc}{_where(kw.value)}") from None
            kwargs[kw.arg] = value
        if node.args:
            kwargs["load"] = self.value(node.args[0])
        try:
            return cls(**kwargs)
        except (PaquetError, ValueError, TypeError) as exc:
            raise ExpressionError(f"{name}(){_where(node)}: {exc}") from None

    def value(self, node: ast.AST, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise ExpressionError(f"values nested too deeply{_where(node)} "
                                  f"(more than {_MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, int | float | str | bytes | bool) or node.value is None:
                return node.value
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = self.value(node.operand, depth + 1)
            if isinstance(inner, int | float) and not isinstance(inner, bool):
                return -inner
        elif isinstance(node, ast.Tuple):
            return tuple(self.value(e, depth + 1) for e in node.elts)
        elif isinstance(node, ast.List):
            return [self.value(e, depth + 1) for e in node.elts]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in self.helpers
        ):
            args = [self.value(a, depth + 1) for a in node.args]
            kwargs = {kw.arg: self.value(kw.value, depth + 1) for kw in node.keywords if kw.arg}
            try:
                return self.helpers[node.func.id](*args, **kwargs)
            except (TypeError, ValueError, PaquetError) as exc:
                raise ExpressionError(f"{node.func.id}(){_where(node)}: {exc}") from None
        raise ExpressionError(
            f"unexpected {_describe(node)}{_where(node)}: field values must be literals "
            "(numbers, strings, bytes, tuples, lists)"
        )


def _is_range(value: tuple[Any, ...]) -> bool:
    return len(value) == 2 and all(isinstance(x, int) for x in value)


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return f"name {node.id!r}"
    if isinstance(node, ast.Constant):
        return f"value {node.value!r}"
    if isinstance(node, ast.BinOp):
        return f"operator {type(node.op).__name__}"
    return type(node).__name__.lower()


def _closest(name: str, choices: dict[str, Any]) -> str | None:
    import difflib

    lower = {c.lower(): c for c in choices}
    if name.lower() in lower:
        return lower[name.lower()]
    found = difflib.get_close_matches(name, list(choices), n=1)
    return found[0] if found else None


def parse_packet(text: str) -> Packet:
    """The packet an expression describes; :class:`ExpressionError` when it is not one."""
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters)")
    stripped = text.strip()
    if not stripped:
        raise ExpressionError("empty packet expression")
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise ExpressionError(f"invalid expression{where}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        # CPython's parser reports a nesting deeper than its stack (``-----...1``) this way;
        # the text is at most _MAX_LENGTH characters, so this is not a real lack of memory.
        raise ExpressionError("invalid expression: nested too deeply") from None
    except ValueError as exc:  # a NUL character
        raise ExpressionError(f"invalid expression: {exc}") from None
    return _Reader().packet(tree.body)
