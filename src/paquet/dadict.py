"""Scapy's direct-access dictionaries: number -> name tables whose names are attributes.

A :class:`DADict` maps keys (protocol numbers, ports) to names, and answers a name, made
identifier-safe by :func:`fixname`, as an attribute giving its key: ``ETHER_TYPES[0x0800]`` is
``'IPv4'`` and ``ETHER_TYPES.IPv4`` is ``2048``, as in Scapy. :class:`LazyDADict` is one whose
entries are read on first use (the system's ``/etc`` tables: nothing is read at import); Scapy's
tables ``ETHER_TYPES``, ``IP_PROTOS``, ``TCP_SERVICES`` and ``UDP_SERVICES`` are such, and share
their entries with the tables ``show()`` reads (:mod:`paquet.packet.names`).

>>> d = DADict(_name="colours")
>>> d[1] = "light-blue"
>>> d.light_blue, d[1], d
(1, 'light-blue', <colours - 1 elements>)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from paquet.errors import PaquetError
from paquet.packet import names
from paquet.packet.names import fixname

__all__ = [
    "ETHER_TYPES",
    "IP_PROTOS",
    "TCP_SERVICES",
    "UDP_SERVICES",
    "DADict",
    "DADict_Exception",
    "EtherDA",
    "LazyDADict",
    "fixname",
]


class DADict_Exception(PaquetError):
    """Scapy's ``DADict_Exception`` (a :class:`~paquet.errors.PaquetError`)."""


class DADict:
    """A dictionary whose values, made identifier-safe, are attributes giving their keys
    (Scapy's ``DADict``): ``d[key]`` -> name, ``d.name`` -> key.

    Keys starting with ``_`` are hidden from iteration (as Scapy's); ``len`` counts them.

    >>> d = DADict(_name="demo", a=1)
    >>> d["b"] = "two words"
    >>> d.two_words, list(d), d.values(), dir(d)
    ('b', ['a', 'b'], [1, 'two words'], ['two_words', 'unknown'])
    """

    __slots__ = ("_name", "d")

    def __init__(self, _name: str = "DADict", **kargs: Any) -> None:
        self._name = _name
        self.d: dict[Any, Any] = {}
        self.update(kargs)

    def ident(self, v: Any) -> str:
        """The attribute name of value ``v`` (``'unknown'`` for a value that is not text)."""
        if isinstance(v, bytes):
            v = v.decode("latin-1")
        if isinstance(v, str):
            return fixname(v)
        return "unknown"

    def _entries(self) -> dict[Any, Any]:
        return self.d

    def update(self, *args: Mapping[Any, Any], **kwargs: Any) -> None:
        """Add entries, as ``dict.update``."""
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def iterkeys(self) -> Iterator[Any]:
        """The keys, less those starting with ``_``."""
        for x in self._entries():
            if not isinstance(x, str) or x[:1] != "_":
                yield x

    def keys(self) -> list[Any]:
        """The keys, as a list (less those starting with ``_``)."""
        return list(self.iterkeys())

    def __iter__(self) -> Iterator[Any]:
        return self.iterkeys()

    def itervalues(self) -> Iterator[Any]:
        """The values."""
        return iter(self._entries().values())

    def values(self) -> list[Any]:
        """The values, as a list."""
        return list(self.itervalues())

    def items(self) -> list[tuple[Any, Any]]:
        """The (key, value) pairs, as a list."""
        return list(self._entries().items())

    def get(self, key: Any, default: Any = None) -> Any:
        """``d[key]``, or ``default``."""
        return self._entries().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._entries()

    def _show(self) -> None:
        """Print each entry, as Scapy's ``_show``."""
        for k in self.iterkeys():
            print(f"{k!s:>10} = {self[k]!r}")

    def __repr__(self) -> str:
        return f"<{self._name} - {len(self)} elements>"

    def __getitem__(self, attr: Any) -> Any:
        return self._entries()[attr]

    def __setitem__(self, attr: Any, val: Any) -> None:
        self._entries()[attr] = val

    def __len__(self) -> int:
        return len(self._entries())

    def __bool__(self) -> bool:
        return len(self) > 1  # (Scapy's: "always has at least its name")

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or attr in ("_name", "d"):
            raise AttributeError(attr)
        for k, v in self._entries().items():
            if self.ident(v) == attr:
                return k
        raise AttributeError(attr)

    def __dir__(self) -> list[str]:
        return [self.ident(x) for x in self.itervalues()]

    def __reduce__(self) -> tuple[Any, ...]:
        return (DADict, (self._name,), (dict(self._entries()),))

    def __setstate__(self, state: tuple[dict[Any, Any]]) -> None:
        self.d.update(state[0])


class LazyDADict(DADict):
    """A :class:`DADict` filled by ``load()`` on first use (the same dict object afterwards:
    entries added to it are seen by everything that reads the table).

    >>> t = LazyDADict("/etc/example", lambda: {6: "tcp"})
    >>> t.tcp, t
    (6, </etc/example - 1 elements>)
    """

    __slots__ = ("_load",)

    def __init__(self, _name: str, load: Callable[[], dict[Any, Any]]) -> None:
        self._load: Callable[[], dict[Any, Any]] | None = load
        super().__init__(_name)

    def _entries(self) -> dict[Any, Any]:
        load = self._load
        if load is not None:
            self._load = None
            table = load()
            table.update(self.d)
            self.d = table
        return self.d


class EtherDA(LazyDADict):
    """Scapy's ``EtherDA``: EtherTypes, keyed by number; a name as a key still works, with
    Scapy's ``DeprecationWarning`` (``ETHER_TYPES["IPv4"]`` is ``ETHER_TYPES.IPv4``; setting
    ``ETHER_TYPES["MINE"] = 0x88B5`` adds ``0x88B5 -> 'MINE'``).

    >>> ETHER_TYPES.IPv4, ETHER_TYPES[0x86DD], 0x8100 in ETHER_TYPES
    (2048, 'IPv6', True)
    """

    __slots__ = ()

    def __getitem__(self, attr: Any) -> Any:
        if isinstance(attr, str):
            warnings.warn(f"Please use 'ETHER_TYPES.{attr}'", DeprecationWarning, stacklevel=2)
            try:
                return self.__getattr__(attr)
            except AttributeError:
                raise KeyError(attr) from None
        return super().__getitem__(attr)

    def __setitem__(self, attr: Any, val: Any) -> None:
        if isinstance(attr, str):
            attr, val = val, attr
            warnings.warn("ETHER_TYPES now uses the integer value as key !",
                          DeprecationWarning, stacklevel=2)
        super().__setitem__(attr, val)


#: EtherType number -> name, from ``/etc/ethertypes`` (Scapy's ``ETHER_TYPES``).
ETHER_TYPES = EtherDA("/etc/ethertypes", names.ether_types)
#: IP protocol number -> name, from ``/etc/protocols`` (Scapy's ``IP_PROTOS``).
IP_PROTOS = LazyDADict("/etc/protocols", names.ip_protos)
#: TCP port -> service name, from ``/etc/services`` (Scapy's ``TCP_SERVICES``).
TCP_SERVICES = LazyDADict("/etc/services-tcp", names.tcp_services)
#: UDP port -> service name, from ``/etc/services`` (Scapy's ``UDP_SERVICES``).
UDP_SERVICES = LazyDADict("/etc/services-udp", names.udp_services)
