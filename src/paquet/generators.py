"""Scapy's value generators: ``Net``, ``Net6`` and ``OID``, which a field may hold to stand for
many values (``IP(dst=Net("192.0.2.0/30"))`` iterates over four packets).

A generator is a lazy sequence: ``len()`` and indexing work without making the values, so a
``Net6("2001:db8::/64")`` costs nothing until it is iterated.

>>> list(Net("192.0.2.0/31")), len(Net6("2001:db8::/120"))
(['192.0.2.0', '192.0.2.1'], 256)
>>> Net("192.0.2.1", "192.0.2.3")
Net("192.0.2.1", "192.0.2.3")
>>> from paquet import IP
>>> [p.dst for p in IP(dst=Net("192.0.2.8/31"))]
['192.0.2.8', '192.0.2.9']
"""

from __future__ import annotations

import ipaddress
import random
import re
import socket
from collections.abc import Iterator, Sequence
from functools import reduce
from typing import Any, ClassVar, overload

from paquet.errors import AddressError

__all__ = ["OID", "Gen", "Net", "Net6"]


class Gen:
    """Base of the values that stand for several (Scapy's ``Gen``): a field holding one is
    expanded when the packet is iterated."""

    __slots__ = ()

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError

    def __iterlen__(self) -> int:
        """How many values (Scapy's name; ``len()`` says the same when it fits)."""
        return sum(1 for _ in self)


_RANGE = re.compile(r"^(\d+\.\d+\.\d+\.)(\d+)-(\d+)$")


class Net(Gen):
    """The IPv4 addresses of a network (``"192.0.2.0/24"``), of a range given by its two ends
    (``Net("192.0.2.10", "192.0.2.20")``) or, unlike Scapy 2.8 which refuses them, of a range
    of the last byte (``Net("192.0.2.1-5")``); a host name is resolved once, as Scapy does.

    >>> n = Net("192.0.2.0/30")
    >>> len(n), n[1], "192.0.2.3" in n, "192.0.2.0/31" in n, "198.51.100.1" in n
    (4, '192.0.2.1', True, True, False)
    >>> list(Net("192.0.2.1-3"))
    ['192.0.2.1', '192.0.2.2', '192.0.2.3']
    >>> Net("192.0.2.0/24") == Net("192.0.2.0", "192.0.2.255")
    True
    """

    __slots__ = ("count", "mask", "net", "scope", "start", "stop")
    name: ClassVar[str] = "Net"
    family: ClassVar[int] = socket.AF_INET
    max_mask: ClassVar[int] = 32

    def __init__(self, net: str, stop: str | None = None, scope: str | None = None) -> None:
        if not isinstance(net, str):
            raise AddressError(f"{self.name}() takes an address or network as text, not {net!r}")
        if "%" in net:
            net, scope = net.split("%", 1)
        self.scope = scope
        self.net: str | None = None
        self.mask: int | None = None
        if stop is not None:
            self.start, self.stop = self.ip2int(net), self.ip2int(stop)
        elif self.family == socket.AF_INET and (m := _RANGE.match(net.strip())):
            self.start = self.ip2int(m.group(1) + m.group(2))
            self.stop = self.ip2int(m.group(1) + m.group(3))
        else:
            host, _, mask = net.partition("/")
            try:
                self.mask = int(mask) if mask else self.max_mask
            except ValueError:
                raise AddressError(f"{net!r}: not a valid netmask (the prefix length is "
                                   "not a number)") from None
            if not 0 <= self.mask <= self.max_mask:
                raise AddressError(f"{net!r}: /{self.mask} is not a valid netmask (a prefix "
                                   f"length is 0 to {self.max_mask})")
            self.net = host
            inv = self.max_mask - self.mask
            self.start = self.ip2int(host) >> inv << inv
            self.stop = self.start + (1 << inv) - 1
        self.count = max(0, self.stop - self.start + 1)

    @classmethod
    def name2addr(cls, name: str) -> str:
        """The address ``name`` stands for (itself when it is an address; else resolved)."""
        try:
            socket.inet_pton(cls.family, name)
            return name
        except (OSError, ValueError):
            pass
        try:
            infos = socket.getaddrinfo(name, None, cls.family)
        except (OSError, UnicodeError):
            raise AddressError(f"{cls.name}: {name!r} is not an address nor a known name") from None
        return str(infos[0][4][0])

    @classmethod
    def ip2int(cls, addr: str) -> int:
        """The address (or name) as an integer."""
        return int.from_bytes(socket.inet_pton(cls.family, cls.name2addr(addr)), "big")

    @classmethod
    def int2ip(cls, value: int) -> str:
        """The address of an integer, as text."""
        return socket.inet_ntop(cls.family, value.to_bytes(cls.max_mask // 8, "big"))

    @property
    def size(self) -> int:
        """How many addresses (``len()`` raises OverflowError past ``sys.maxsize``)."""
        return self.count

    def __len__(self) -> int:
        return self.count

    def __iterlen__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self.int2ip(self.start + index)

    def __iter__(self) -> Iterator[str]:
        for i in range(self.count):
            yield self.int2ip(self.start + i)

    def __str__(self) -> str:
        return next(iter(self), "")

    def choice(self) -> str:
        """One address of the network, drawn at random (``random.seed`` replays it)."""
        return self.int2ip(random.randint(self.start, self.stop))

    def __repr__(self) -> str:
        scope = f", scope={self.scope!r}" if self.scope else ""
        if self.mask is not None:
            return f'{type(self).__name__}("{self.net}/{self.mask}"{scope})'
        return (f'{type(self).__name__}("{self.int2ip(self.start)}", '
                f'"{self.int2ip(self.stop)}"{scope})')

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = type(self)(other)
            except (AddressError, OSError, ValueError):
                return False
        if not isinstance(other, Net) or self.family != other.family:
            return False
        return (self.start, self.stop) == (other.start, other.stop)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(("paquet.Net", self.family, self.start, self.stop, self.scope))

    def __contains__(self, other: object) -> bool:
        if isinstance(other, int):
            return self.start <= other <= self.stop
        if isinstance(other, str):
            try:
                other = type(self)(other)
            except (AddressError, OSError, ValueError):
                return False
        if type(other) is not type(self):
            return False
        assert isinstance(other, Net)
        return self.start <= other.start <= other.stop <= self.stop

    def network(self) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
        """The network as :mod:`ipaddress` sees it (None for a range that is not one)."""
        nets = list(ipaddress.summarize_address_range(
            ipaddress.ip_address(self.int2ip(self.start)),
            ipaddress.ip_address(self.int2ip(self.stop))))
        return nets[0] if len(nets) == 1 else None  # type: ignore[return-value]


Sequence.register(Net)  # indexable and sized, with Scapy's ``count`` attribute (not a method)


class Net6(Net):
    """The IPv6 addresses of a network or of a range, as :class:`Net` (Scapy's ``Net6``).

    >>> n = Net6("2001:db8::/127")
    >>> list(n), "2001:db8::1" in n, Net6("::/120") == Net6("::", "::ff")
    (['2001:db8::', '2001:db8::1'], True, True)
    """

    __slots__ = ()
    name: ClassVar[str] = "Net6"
    family: ClassVar[int] = socket.AF_INET6
    max_mask: ClassVar[int] = 128


class OID(Gen):
    """SNMP object identifiers with ranges in some arcs (Scapy's ``OID``):
    ``OID("1.3.6.1.2.1.1-3")`` stands for three of them (a reversed range, for one).

    >>> list(OID("1.2.3-5")), OID("1.2.3-5").__iterlen__()
    (['1.2.3', '1.2.4', '1.2.5'], 3)
    """

    __slots__ = ("cmpt", "fmt", "oid")

    def __init__(self, oid: str) -> None:
        self.oid = oid
        self.cmpt: list[tuple[int, int]] = []
        parts = []
        for arc in oid.split("."):
            if "-" in arc:
                lo, _, hi = arc.partition("-")
                try:
                    self.cmpt.append((int(lo), int(hi)))
                except ValueError:
                    raise AddressError(f"OID {oid!r}: {arc!r} is not a range") from None
                parts.append("%i")
            else:
                parts.append(arc.replace("%", "%%"))
        self.fmt = ".".join(parts)

    def __repr__(self) -> str:
        return f"OID({self.oid!r})"

    def __iter__(self) -> Iterator[str]:
        current = [lo for lo, _ in self.cmpt]
        while True:
            yield self.fmt % tuple(current)
            for i, (lo, hi) in enumerate(self.cmpt):
                if current[i] < hi:
                    current[i] += 1
                    break
                current[i] = lo
            else:
                return

    def __iterlen__(self) -> int:
        return reduce(lambda n, r: n * (max(r[1] - r[0], 0) + 1), self.cmpt, 1)
