"""Flag fields, with Scapy's names and semantics: :class:`FlagValue` (an integer that reads
as names: ``'S' in flags``, ``flags.SA``, ``pkt.flags.MF = 0``), :class:`FlagsField` and
:class:`MultiFlagsField` (names that depend on another value of the packet). Re-exported by
:mod:`paquet.packet.fields`, where layers import them from.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from paquet.packet.fields import BitField, FieldError, conversion, representation

__all__ = ["FlagValue", "FlagsField", "MultiFlagsEntry", "MultiFlagsField", "UnknownFlag"]

class FlagValue(int):
    """An integer of flags that also reads as names: ``'S' in flags``, ``flags == "SA"``,
    ``flags.SA`` (all of S and A set), ``list(flags)`` (the names set). Read from a layer
    (``pkt.flags``), setting a flag by name (``pkt.flags.MF = 0``) changes the layer.

    >>> f = FlagValue(0x12, "FSRPAUECN")
    >>> str(f), 'S' in f, f == "SA", f.A, f.R, f.SA, list(f)
    ('SA', True, True, True, False, True, ['S', 'A'])
    """

    names: tuple[str, ...]
    multi: bool

    def __new__(cls, value: Any, names: str | Iterable[str], multi: bool | None = None,
                owner: Any = None) -> FlagValue:
        names_t = tuple(names)
        if multi is None:
            multi = isinstance(names, list) or any(len(n) > 1 for n in names_t)
        number = int(value) if isinstance(value, int) else _parse_flags(value, names_t, multi)
        obj = int.__new__(cls, number)
        d = obj.__dict__
        d["names"] = names_t
        d["multi"] = multi
        d["_owner"] = owner
        return obj

    @property
    def value(self) -> int:
        """The flags as a plain integer (Scapy's ``FlagValue.value``)."""
        return int(self)

    def _multi(self) -> bool:
        return self.multi

    def flagrepr(self) -> str:
        """The set flags as Scapy writes them: ``SA`` (letters) or ``MF+DF`` (words)."""
        parts = []
        x, i = int(self), 0
        while x > 0:
            if x & 1:
                parts.append(self.names[i] if i < len(self.names) else "?")
            i += 1
            x >>= 1
        return ("+" if self.multi else "").join(parts)

    def __str__(self) -> str:
        return self.flagrepr()

    def __repr__(self) -> str:
        return f"<Flag {int(self)} ({self.flagrepr()})>"

    def __format__(self, spec: str) -> str:
        if spec == "" or spec[-1:] == "s":
            return format(str(self), spec)
        return format(int(self), spec)

    def __iter__(self) -> Iterator[str]:
        x, i = int(self), 0
        while x > 0:
            if x & 1 and i < len(self.names):
                yield self.names[i]
            i += 1
            x >>= 1

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str):
            return False
        try:
            wanted = _parse_flags(item, self.names, self.multi)
        except FieldError:
            return False
        return int(self) & wanted == wanted

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | list):
            try:
                return int(self) == _parse_flags(other, self.names, self.multi)
            except FieldError:
                return False
        return int(self) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = int.__hash__

    def __getattr__(self, name: str) -> bool:
        d = object.__getattribute__(self, "__dict__")
        names = d.get("names", ())
        if name.startswith("__"):
            raise AttributeError(name)
        if name in names:
            return bool(int(self) >> names.index(name) & 1)
        long = {"FIN": "F", "SYN": "S", "RST": "R", "PSH": "P", "ACK": "A", "URG": "U",
                "ECE": "E", "CWR": "C", "NS": "N"}
        if name in long and long[name] in names:
            return bool(int(self) >> names.index(long[name]) & 1)
        if not d.get("multi") and name and all(c in names for c in name):
            return all(int(self) >> names.index(c) & 1 for c in name)
        if "_" in name and name.replace("_", "-") in names:
            return bool(int(self) >> names.index(name.replace("_", "-")) & 1)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        names = self.__dict__.get("names", ())
        if name not in names:
            raise AttributeError(f"{name!r} is not a flag of {names}")
        bit = 1 << names.index(name)
        number = int(self) | bit if value else int(self) & ~bit
        owner = self.__dict__.get("_owner")
        if owner is None:
            raise AttributeError("a FlagValue is an integer: set the flag on the packet "
                                 "(pkt.flags.X = 1) or use | and &")
        setattr(owner[0], owner[1], number)

    def _wrap(self, value: int) -> FlagValue:
        return FlagValue(value, self.names, self.multi)

    def __or__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) | int(FlagValue(other, self.names, self.multi)))

    __ror__ = __or__

    def __and__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) & int(FlagValue(other, self.names, self.multi)))

    __rand__ = __and__

    def __xor__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) ^ int(FlagValue(other, self.names, self.multi)))

    def __sub__(self, other: Any) -> FlagValue:
        return self._wrap(int(self) & ~int(FlagValue(other, self.names, self.multi)))

    def copy(self) -> FlagValue:
        """A copy (Scapy's ``FlagValue.copy``)."""
        return self._wrap(int(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (FlagValue, (int(self), self.names, self.multi))


def _parse_flags(value: Any, names: tuple[str, ...], multi: bool | None = None) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return int(value)
    if multi is None:
        multi = any(len(n) > 1 for n in names)
    if isinstance(value, list | tuple | set | frozenset):
        tokens = list(value)
    elif isinstance(value, str):
        tokens = [t for t in value.replace("|", "+").split("+") if t] if multi else list(value)
    else:
        raise FieldError(f"flags must be an integer or a string of flags, not {value!r}")
    number = 0
    for tok in tokens:
        if tok not in names:
            raise FieldError(f"unknown flag {tok!r} (known: {', '.join(names)})")
        number |= 1 << names.index(tok)
    return number


class FlagsField(BitField):
    """A bit field of named flags (least significant bit first), read as a
    :class:`FlagValue`; ``names`` is a string of letters, a list of names or a dict
    ``{bit value: name}`` (Scapy's forms)."""

    converts = True
    ismutable = True
    fast = True

    def __init__(self, name: str, default: Any, size: int,
                 names: str | list[str] | dict[int, str], **kwargs: Any) -> None:
        bits = size
        if isinstance(names, dict):
            tmp = [f"bit_{i}" for i in range(abs(bits))]
            for k, v in names.items():
                tmp[int(k).bit_length() - 1] = v
            names = tmp
        self.multi = isinstance(names, list) or any(len(n) > 1 for n in names)
        self.names = tuple(names)
        self._cache: dict[Any, int] = {}
        self.str_cache = self._cache
        super().__init__(name, default, bits, **kwargs)

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is None or isinstance(x, tuple):
            return x
        if isinstance(x, list) and not all(isinstance(v, str) for v in x):
            return [self.any2i(pkt, v) for v in x]
        try:
            return self._cache[x]
        except (KeyError, TypeError):
            pass
        number = int(FlagValue(x, self.names, self.multi))
        if isinstance(x, str) and len(self._cache) < 1024:
            self._cache[x] = number
        return number

    def m2i(self, pkt: Any, x: Any) -> Any:
        return x if x is None else FlagValue(x, self.names, self.multi)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return x if x is None or not isinstance(x, int) else FlagValue(x, self.names, self.multi)

    def i2m(self, pkt: Any, x: Any) -> Any:
        return 0 if x is None else int(x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, list | tuple):
            return repr(type(x)("None" if v is None else self.i2repr(pkt, v) for v in x))
        if x is None:
            return "None"
        if isinstance(x, int):
            return FlagValue(x, self.names, self.multi).flagrepr()
        return repr(x)

    def i2json(self, value: Any) -> Any:
        return self.i2repr(None, value) if isinstance(value, int) else value

    def type_name(self) -> str:
        return "FlagsField"


class UnknownFlag(FieldError, AssertionError):
    """A flag name a MultiFlagsField does not have for the packet's value (an
    AssertionError too, as Scapy asserts)."""


#: One flag of a :class:`MultiFlagsField`: its short and long names.
MultiFlagsEntry = collections.namedtuple("MultiFlagsEntry", ["short", "long"])


class MultiFlagsField(BitField):
    """Flags whose names depend on another value of the packet: ``names`` maps each value
    of ``depends_on(pkt)`` to ``{bit: MultiFlagsEntry(short, long)}``; the value is the set
    of the short names set (``"bit N"`` for a bit without a name)."""

    fast = False
    ismutable = True

    def __init__(self, name: str, default: Any, size: int,
                 names: dict[Any, dict[int, Any]], depends_on: Callable[[Any], Any]) -> None:
        self.names = names
        self.depends_on = depends_on
        super().__init__(name, default, size)

    def _names_for(self, pkt: Any) -> dict[int, Any]:
        return self.names.get(self.depends_on(pkt), {})

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if not isinstance(x, set | int):
            raise ValueError("set expected")
        if pkt is not None:
            if isinstance(x, int):
                return self.m2i(pkt, x)
            v = self.depends_on(pkt)
            if v is not None:
                if v not in self.names:
                    raise UnknownFlag("invalid dependency")
                shorts = {e.short for e in self.names[v].values()}
                for i in x:
                    if i not in shorts:
                        raise UnknownFlag(f'Unknown flag "{i}" with this dependency')
                return set(x)
        return set() if isinstance(x, int) else x

    def i2m(self, pkt: Any, x: Any) -> int:
        these = self._names_for(pkt)
        r = 0
        for flag in x or ():
            for i, entry in these.items():
                if entry.short == flag:
                    r |= 1 << i
                    break
            else:
                if not (isinstance(flag, str) and flag.startswith("bit ")):
                    raise FieldError(f"unknown flag {flag!r}")
                r |= 1 << int(flag[len("bit "):])
        return r

    def m2i(self, pkt: Any, x: Any) -> set[str]:
        these = self._names_for(pkt)
        r: set[str] = set()
        i = 0
        while x:
            if x & 1:
                r.add(these[i].short if i in these else f"bit {i}")
            x >>= 1
            i += 1
        return r

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        these = self._names_for(pkt)
        r = set()
        for flag in x:
            for entry in these.values():
                if entry.short == flag:
                    r.add(f"{entry.long} ({entry.short})")
                    break
            else:
                r.add(flag)
        return repr(r)
