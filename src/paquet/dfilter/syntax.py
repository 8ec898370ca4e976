"""Wireshark's display-filter language: tokens, then a tree (never Python's ``eval``).

The grammar is Wireshark 4's, the part that applies to paquet's fields::

    expr     := or
    or       := and (("||" | "or" | "^^" | "xor") and)*
    and      := unary (("&&" | "and") unary)*          (and binds tighter than or)
    unary    := ("!" | "not") unary | "(" expr ")" | test
    test     := value [op value] | value "in" "{" item ("," item)* "}"
    value    := FIELD [slice] | literal | FUNC "(" value ")"      FUNC: len count lower upper string
    slice    := "[" range ("," range)* "]"     range: i:j (offset, length), i-j, i, i:, :j
    op       := == eq any_eq != ne all_ne === all_eq !== any_ne ~= > gt < lt >= ge <= le
                contains matches ~
    item     := literal | literal ".." literal

A literal is a quoted string (``"..."`` with C escapes) or a bare word (numbers, addresses,
CIDR blocks, byte strings such as ``00:11:22``); what it means is decided by the field it is
compared with (:mod:`paquet.dfilter.evaluate`).

>>> parse('ip.src == 192.0.2.1 && !tcp')
And(left=Test(left=Field(name='ip.src', ranges=()), op='==', right=Literal(text='192.0.2.1', \
quoted=False)), right=Not(operand=Field(name='tcp', ranges=())))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paquet.errors import ExpressionError

__all__ = [
    "FUNCTIONS",
    "And",
    "Field",
    "Func",
    "In",
    "Len",
    "Literal",
    "Node",
    "Not",
    "Or",
    "Test",
    "Xor",
    "parse",
    "tokenize",
]


@dataclass(frozen=True, slots=True)
class Field:
    """A field or protocol name, optionally sliced: ``eth.src[0:3]`` has ranges ``((0, 3),)``
    as (start, end) pairs, ``None`` for an open end."""

    name: str
    ranges: tuple[tuple[int | None, int | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal as written: its text (quotes removed, escapes decoded) and whether quoted."""

    text: str
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Len:
    """``len(value)``: the length of each of the value's occurrences."""

    operand: Field | Literal | Len | Func


@dataclass(frozen=True, slots=True)
class Func:
    """Wireshark's other functions: ``count(f)`` (how many occurrences), ``lower(f)``,
    ``upper(f)`` (of text fields), ``string(f)`` (each occurrence as tshark prints it)."""

    name: str
    operand: Field | Literal | Len | Func


FUNCTIONS = ("len", "count", "lower", "upper", "string")

Value = Field | Literal | Len | Func


@dataclass(frozen=True, slots=True)
class Test:
    """``left OP right`` (``op`` normalised: ``eq`` is ``==``, ``~`` is ``matches``...)."""

    left: Value
    op: str
    right: Value


@dataclass(frozen=True, slots=True)
class In:
    """``left in {a, b, c..d}``: items are literals or (low, high) pairs."""

    left: Value
    items: tuple[Value | tuple[Value, Value], ...]


@dataclass(frozen=True, slots=True)
class Not:
    """``!operand``."""

    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    """``left && right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    """``left || right``."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Xor:
    """``left ^^ right``."""

    left: Node
    right: Node


Node = Field | Literal | Len | Func | Test | In | Not | And | Or | Xor

_OPS = {
    "==": "==", "eq": "==", "any_eq": "==",
    "!=": "!=", "ne": "!=", "all_ne": "!=",
    "===": "===", "all_eq": "===",
    "!==": "!==", "any_ne": "!==", "~=": "!==",
    ">": ">", "gt": ">", "<": "<", "lt": "<", ">=": ">=", "ge": ">=", "<=": "<=", "le": "<=",
    "contains": "contains", "matches": "matches", "~": "matches",
}
_SYMBOLS = ("===", "!==", "==", "!=", "~=", ">=", "<=", "&&", "||", "^^", "..",
            ">", "<", "!", "~", "(", ")", "[", "]", "{", "}", ",")
_WORD = re.compile(r"[A-Za-z0-9_:/\-]+(?:\.(?!\.)[A-Za-z0-9_:/\-]*)*")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@dataclass(frozen=True, slots=True)
class Token:
    """A token: ``kind`` is ``"sym"``, ``"word"`` or ``"str"``; ``pos`` its offset."""

    kind: str
    text: str
    pos: int


def _fail(text: str, pos: int, message: str) -> ExpressionError:
    return ExpressionError(f"display filter {text!r}: {message} (at offset {pos})")


def _string(text: str, start: int) -> tuple[str, int]:
    """The quoted string starting at ``start`` (a ``"``): its value and the offset after it."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == '"':
            return "".join(out), i + 1
        if c == "\\":
            if i + 1 >= len(text):
                break
            n = text[i + 1]
            if n == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 2:i + 4]):
                out.append(chr(int(text[i + 2:i + 4], 16)))
                i += 4
                continue
            if n in "01234567" and re.fullmatch(r"[0-7]{3}", text[i + 1:i + 4]):
                out.append(chr(int(text[i + 1:i + 4], 8)))
                i += 4
                continue
            if n not in _ESCAPES:
                raise _fail(text, i, f"unknown escape \\{n}")
            out.append(_ESCAPES[n])
            i += 2
            continue
        out.append(c)
        i += 1
    raise _fail(text, start, "unterminated string")


def tokenize(text: str) -> list[Token]:
    """The filter's tokens.

    >>> [t.text for t in tokenize('eth.src[0:3]==00:11:22 and frame.number in {1..3}')]
    ['eth.src', '[', '0:3', ']', '==', '00:11:22', 'and', 'frame.number', 'in', '{', '1', \
'..', '3', '}']
    """
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == '"':
            value, end = _string(text, i)
            tokens.append(Token("str", value, i))
            i = end
            continue
        m = _WORD.match(text, i)
        if m and m.end() > i and not text.startswith("..", i):
            tokens.append(Token("word", m.group(), i))
            i = m.end()
            continue
        for sym in _SYMBOLS:
            if text.startswith(sym, i):
                tokens.append(Token("sym", sym, i))
                i += len(sym)
                break
        else:
            raise _fail(text, i, f"unexpected character {c!r}")
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def at(self, *texts: str) -> bool:
        t = self.peek()
        return t is not None and t.kind != "str" and t.text in texts

    def take(self) -> Token:
        t = self.peek()
        if t is None:
            raise _fail(self.text, len(self.text), "unexpected end of filter")
        self.i += 1
        return t

    def expect(self, sym: str) -> None:
        t = self.peek()
        if t is None or t.kind != "sym" or t.text != sym:
            pos = len(self.text) if t is None else t.pos
            got = "the end" if t is None else repr(t.text)
            raise _fail(self.text, pos, f"expected {sym!r}, got {got}")
        self.i += 1

    def parse(self) -> Node:
        if not self.tokens:
            raise _fail(self.text, 0, "empty filter")
        node = self.or_()
        t = self.peek()
        if t is not None:
            raise _fail(self.text, t.pos, f"{t.text!r} was unexpected here")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.at("||", "or", "^^", "xor"):
            op = self.take().text
            right = self.and_()
            node = Or(node, right) if op in ("||", "or") else Xor(node, right)
        return node

    def and_(self) -> Node:
        node = self.unary()
        while self.at("&&", "and"):
            self.take()
            node = And(node, self.unary())
        return node

    def unary(self) -> Node:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            t = self.peek()
            raise _fail(self.text, 0 if t is None else t.pos, "nested too deeply")
        try:
            return self._unary()
        finally:
            self.depth -= 1

    def _unary(self) -> Node:
        if self.at("!", "not"):
            self.take()
            return Not(self.unary())
        if self.at("("):
            self.take()
            node = self.or_()
            self.expect(")")
            return node
        return self.test()

    def test(self) -> Node:
        left = self.value()
        t = self.peek()
        if t is not None and t.kind != "str" and t.text in _OPS:
            self.take()
            return Test(left, _OPS[t.text], self.value())
        if self.at("in"):
            self.take()
            return In(left, self.set_items())
        return left

    def set_items(self) -> tuple[Value | tuple[Value, Value], ...]:
        self.expect("{")
        items: list[Value | tuple[Value, Value]] = []
        while True:
            low = self.value()
            if self.at(".."):
                self.take()
                items.append((low, self.value()))
            else:
                items.append(low)
            if self.at("}"):
                self.take()
                return tuple(items)
            self.expect(",")

    def value(self) -> Value:
        t = self.take()
        if t.kind == "str":
            return Literal(t.text, quoted=True)
        if t.kind == "sym":
            raise _fail(self.text, t.pos, f"{t.text!r} was unexpected here")
        if t.text in FUNCTIONS and self.at("("):
            self.take()
            inner = self.value()
            self.expect(")")
            return Len(inner) if t.text == "len" else Func(t.text, inner)
        if self.at("["):
            return Field(t.text, self.slice())
        if _is_name(t.text):
            return Field(t.text)
        return Literal(t.text)

    def slice(self) -> tuple[tuple[int | None, int | None], ...]:
        self.expect("[")
        ranges = []
        while True:
            t = self.take()
            ranges.append(_range(self.text, t))
            if self.at("]"):
                self.take()
                return tuple(ranges)
            self.expect(",")


_MAX_DEPTH = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*")


def _is_name(word: str) -> bool:
    """Whether ``word`` is a known field or protocol name (else it is a literal)."""
    from paquet.dfilter.fields import FIELDS, PROTOCOLS

    return bool(_NAME.fullmatch(word)) and (word in FIELDS or word in PROTOCOLS)


def _range(text: str, t: Token) -> tuple[int | None, int | None]:
    """One slice range as (start, end), Python-style (``end`` exclusive, None open)."""
    m = re.fullmatch(r"(-?\d+)?(?:(:)(-?\d+)?|-(\d+))?", t.text) if t.kind == "word" else None
    if m is None or t.text in ("", ":"):
        raise _fail(text, t.pos, f"bad slice {t.text!r}")
    start_s, colon, length_s, end_s = m.groups()
    start = int(start_s) if start_s else 0
    if colon:
        if length_s is None:
            return start, None
        length = int(length_s)
        if length <= 0:
            raise _fail(text, t.pos, f"bad slice length {length}")
        end = start + length
        return start, (None if end == 0 else end)
    if end_s is not None:
        if start < 0 or int(end_s) < start:
            raise _fail(text, t.pos, f"bad slice {t.text!r}")
        return start, int(end_s) + 1
    return start, (None if start == -1 else start + 1)


def parse(text: str) -> Node:
    """The tree of a display filter; :class:`~paquet.errors.ExpressionError` when it is not one.

    >>> parse('frame.number in {1, 3..5}')
    In(left=Field(name='frame.number', ranges=()), items=(Literal(text='1', quoted=False), \
(Literal(text='3', quoted=False), Literal(text='5', quoted=False))))
    >>> parse('tcp.port ==')
    Traceback (most recent call last):
    ...
    paquet.errors.ExpressionError: display filter 'tcp.port ==': unexpected end of filter \
(at offset 11)
    """
    if len(text) > 65536:
        raise ExpressionError("display filter: longer than 65536 characters")
    return _Parser(text).parse()
