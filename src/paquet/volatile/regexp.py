"""Random strings matching a regular expression (Scapy's ``RandRegExp``); see
:mod:`paquet.volatile`.

The expression is parsed once into a small tree (literals, character sets, groups with
alternatives, repetitions, back references) from which each draw generates a string.
"""

from __future__ import annotations

import random
import re
from typing import Any

from paquet.errors import ExpressionError
from paquet.volatile.base import RandField

__all__ = ["RandRegExp"]

# POSIX classes, written anywhere (as Scapy allows): "[:digit:]" stands for "[0-9]".
_POSIX = {
    "[:alnum:]": "[a-zA-Z0-9]", "[:alpha:]": "[a-zA-Z]", "[:ascii:]": "[\x00-\x7f]",
    "[:blank:]": "[ \t]", "[:cntrl:]": "[\x00-\x1f\x7f]", "[:digit:]": "[0-9]",
    "[:graph:]": "[!-~]", "[:lower:]": "[a-z]", "[:print:]": "[ -~]",
    "[:punct:]": "[!-/:-@\\[-`{-~]", "[:space:]": "[ \t\r\n\x0b\x0c]", "[:upper:]": "[A-Z]",
    "[:word:]": "[A-Za-z0-9_]", "[:xdigit:]": "[A-Fa-f0-9]",
}
_ESCAPES = {
    "d": "0123456789",
    "w": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
    "s": " \t\r\n\x0b\x0c",
    "n": "\n", "t": "\t", "r": "\r", "f": "\x0c", "v": "\x0b",
}
_ANY = "".join(chr(c) for c in range(256))

Node = tuple[Any, ...]


class _Parser:
    """A recursive-descent parser of the expression into nodes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.groups = 0

    def error(self, what: str) -> ExpressionError:
        return ExpressionError(f"RandRegExp: {what} at position {self.pos} of {self.text!r}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self) -> str:
        c = self.peek()
        if not c:
            raise self.error("unexpected end")
        self.pos += 1
        return c

    def alternatives(self) -> Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else ("alt", options)

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.peek() and self.peek() not in "|)":
            items.append(self.repeated(self.atom()))
        return ("seq", items)

    def atom(self) -> Node:
        c = self.take()
        if c == "(":
            if self.text.startswith("?:", self.pos):
                self.pos += 2
                inner = self.alternatives()
                index = 0
            else:
                self.groups += 1
                index = self.groups
                inner = self.alternatives()
            if self.take() != ")":
                raise self.error("')' expected")
            return ("group", index, inner)
        if c == "[":
            return ("set", self.char_set())
        if c == ".":
            return ("set", _ANY)
        if c in "^$":
            return ("seq", [])
        if c == "\\":
            e = self.take()
            if e.isdigit() and e != "0":
                return ("ref", int(e))
            if e in "dws":
                return ("set", _ESCAPES[e])
            if e in "DWS":
                return ("set", "".join(ch for ch in _ANY if ch not in _ESCAPES[e.lower()]))
            return ("lit", _ESCAPES.get(e, e))
        if c in "*+?{":
            raise self.error(f"nothing to repeat before {c!r}")
        return ("lit", c)

    def char_set(self) -> str:
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        chars: list[str] = []
        first = True
        while True:
            c = self.take()
            if c == "]" and not first:
                break
            first = False
            if c == "\\":
                e = self.take()
                chars.append(_ESCAPES.get(e, e))
                continue
            if self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                end = self.take()
                if ord(end) < ord(c):
                    raise self.error(f"bad range {c}-{end}")
                chars.append("".join(chr(x) for x in range(ord(c), ord(end) + 1)))
                continue
            chars.append(c)
        found = "".join(dict.fromkeys("".join(chars)))
        if negate:
            found = "".join(ch for ch in _ANY if ch not in found)
        if not found:
            raise self.error("empty character set")
        return found

    def repeated(self, node: Node) -> Node:
        while True:
            c = self.peek()
            if c == "*":
                node = ("rep", node, 0, None)
            elif c == "+":
                node = ("rep", node, 1, None)
            elif c == "?":
                node = ("rep", node, 0, 1)
            elif c == "{":
                m = re.match(r"\{(\d*)(,?)(\d*)\}", self.text[self.pos :])
                if m is None:
                    raise self.error("bad repetition")
                lo = int(m[1] or 0)
                hi = (int(m[3]) if m[3] else None) if m[2] else lo
                if hi is not None and hi < lo:
                    raise self.error("bad repetition")
                node = ("rep", node, lo, hi)
                self.pos += len(m[0]) - 1
            else:
                return node
            self.pos += 1


class RandRegExp(RandField):
    """A random string matching ``regexp``: literals, ``.``, sets ``[a-z]`` ``[^...]``,
    ``\\d \\w \\s``, POSIX ``[:digit:]``, groups ``(a|b)``, ``* + ? {n} {n,m} {n,}`` and back
    references ``\\1``. An open repetition repeats ``lo`` plus an exponentially distributed
    number of times (rate ``lambda_``, as Scapy's).

    >>> import re as _re
    >>> all(_re.fullmatch("[g-v]*@? [0-9]{3} (g|v)", RandRegExp("[g-v]*@? [0-9]{3} (g|v)")._fix())
    ...     for _ in range(50))
    True
    >>> repr(RandRegExp("a+")), RandRegExp("a+").command()
    ("<RandRegExp ['a+']>", "RandRegExp(regexp='a+')")
    """

    def __init__(self, regexp: str, lambda_: float = 0.3) -> None:
        self._regexp = regexp
        self._lambda = lambda_
        text = regexp
        for name, chars in _POSIX.items():
            text = text.replace(name, chars)
        parser = _Parser(text)
        self._tree = parser.alternatives()
        if parser.pos != len(text):
            raise parser.error("unbalanced ')'")

    def _command_args(self) -> str:
        text = f"regexp={self._regexp!r}"
        if self._lambda != 0.3:
            text += f", lambda_={self._lambda!r}"
        return text

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self._regexp!r}]>"

    def _fix(self) -> str:
        out: list[str] = []
        self._generate(self._tree, out, {})
        return "".join(out)

    def _generate(self, node: Node, out: list[str], groups: dict[int, str]) -> None:
        kind = node[0]
        if kind == "lit":
            out.append(node[1])
        elif kind == "set":
            out.append(random.choice(node[1]))
        elif kind == "seq":
            for item in node[1]:
                self._generate(item, out, groups)
        elif kind == "alt":
            self._generate(random.choice(node[1]), out, groups)
        elif kind == "group":
            start = len(out)
            self._generate(node[2], out, groups)
            if node[1]:
                groups[node[1]] = "".join(out[start:])
        elif kind == "ref":
            out.append(groups.get(node[1], ""))
        else:  # rep
            lo, hi = node[2], node[3]
            count = (random.randint(lo, hi) if hi is not None
                     else lo + int(random.expovariate(self._lambda)))
            for _ in range(count):
                self._generate(node[1], out, groups)
