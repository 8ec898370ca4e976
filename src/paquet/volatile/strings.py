"""Random strings, bytes and addresses (Scapy's ``RandString``, ``RandBin``, ``RandIP``,
``RandIP6``, ``RandMAC``, ``RandOID``); see :mod:`paquet.volatile`."""

from __future__ import annotations

import ipaddress
import random
from typing import Any

from paquet.errors import AddressError
from paquet.volatile.base import RandField, VolatileValue, _to_bytes
from paquet.volatile.numbers import RandByte, RandNum, RandNumExpo

__all__ = ["RandBin", "RandIP", "RandIP6", "RandMAC", "RandOID", "RandString", "RandTermString"]

# ---------------------------------------------------------------------------------------------
# Strings


class _RandString(RandField):
    """A random string: ``str()`` and ``bytes()`` draw one."""

    def __str__(self) -> str:
        v = self._fix()
        return v.decode("utf-8", "backslashreplace") if isinstance(v, bytes) else str(v)

    def __bytes__(self) -> bytes:
        return _to_bytes(self._fix())

    def __mul__(self, n: int) -> Any:
        return self._fix() * n


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_ALL_BYTES = bytes(range(256))


def _size_text(size: Any, lambd: float) -> str | None:
    """``size=...`` for ``command()``, or None for the usual ``RandNumExpo(lambd)``."""
    if not isinstance(size, VolatileValue):
        return f"size={size!r}"
    if isinstance(size, RandNumExpo) and size.lambd == lambd and size.base == 0:
        return None
    return f"size={size.command()!r}"


class RandString(_RandString):
    """A text of ``size`` characters from ``chars`` (letters and digits by default); the
    size is itself random by default (``RandNumExpo(0.01)``, 100 on average).

    >>> s = RandString(8)._fix()
    >>> len(s), s.isalnum(), RandString(8).command()
    (8, True, 'RandString(size=8)')
    """

    _DEFAULT_CHARS = _LETTERS

    def __init__(self, size: Any = None, chars: str = _LETTERS) -> None:
        self.size = RandNumExpo(0.01) if size is None else size
        self.chars = chars

    def _command_args(self) -> str:
        parts = [_size_text(self.size, 0.01) or ""]
        if self.chars != self._DEFAULT_CHARS:
            parts.append(f"chars={self.chars!r}")
        return ", ".join(parts) if parts[0] else ", ".join(parts[1:])

    def _fix(self) -> Any:
        chars = self.chars
        return "".join([random.choice(chars) for _ in range(int(self.size))])


class RandBin(_RandString):
    """``size`` random bytes (from ``chars``, every byte by default).

    >>> b = RandBin(5)._fix()
    >>> type(b).__name__, len(b), RandBin(5).command()
    ('bytes', 5, 'RandBin(size=5)')
    """

    _DEFAULT_CHARS = _ALL_BYTES

    def __init__(self, size: Any = None, chars: bytes = _ALL_BYTES) -> None:
        self.size = RandNumExpo(0.01) if size is None else size
        self.chars = chars

    def _command_args(self) -> str:
        return _size_text(self.size, 0.01) or ""

    def _fix(self) -> Any:
        chars = self.chars
        return bytes([random.choice(chars) for _ in range(int(self.size))])


class RandTermString(RandBin):
    """``size`` random bytes followed by ``term`` (a terminated string: the bytes of ``term``
    are taken out of those drawn from when ``term`` is one byte)."""

    def __init__(self, size: Any, term: bytes | str) -> None:
        self.term = _to_bytes(term)
        super().__init__(size=size)
        self.chars = self.chars.replace(self.term, b"")

    def _command_args(self) -> str:
        return f"{super()._command_args()}, term={self.term!r}"

    def _fix(self) -> Any:
        return RandBin._fix(self) + self.term


# ---------------------------------------------------------------------------------------------
# Addresses


class RandIP(_RandString):
    """An IPv4 address of the network ``iptemplate`` (any address by default).

    >>> import ipaddress
    >>> ipaddress.ip_address(RandIP("192.0.2.0/24")._fix()) in ipaddress.ip_network(
    ...     "192.0.2.0/24")
    True
    """

    _DEFAULT_IPTEMPLATE = "0.0.0.0/0"

    def __init__(self, iptemplate: str = _DEFAULT_IPTEMPLATE) -> None:
        text = iptemplate if "/" in iptemplate else f"{iptemplate}/32"
        try:
            net = ipaddress.IPv4Network(text, strict=False)
        except ValueError as exc:
            raise AddressError(f"RandIP: not an IPv4 address or network: {iptemplate!r}"
                               f" ({exc})") from None
        self._text = text
        self._start = int(net.network_address)
        self._stop = int(net.broadcast_address)

    def _command_args(self) -> str:
        if self._text == self._DEFAULT_IPTEMPLATE:
            return ""
        return f"iptemplate={self._text!r}"

    def _fix(self) -> str:
        return str(ipaddress.IPv4Address(random.randint(self._start, self._stop)))


class RandMAC(_RandString):
    """A MAC address of the ``template``: six bytes in hexadecimal separated by ``:``, each
    ``*`` (any), ``lo-hi`` (a range) or a fixed byte; missing bytes are ``*``.

    >>> RandMAC("00:01:02:03:04:0-7")._fix()[:15], RandMAC("0:1").command()
    ('00:01:02:03:04:', "RandMAC(template='0:1')")
    """

    def __init__(self, template: str = "*") -> None:
        self._template = template
        parts = (template + ":*:*:*:*:*").split(":")[:6]
        self.mac: tuple[int | RandNum, ...] = tuple(_byte_template(p, template) for p in parts)

    def _command_args(self) -> str:
        return "" if self._template == "*" else f"template={self._template!r}"

    def _fix(self) -> str:
        return ":".join(f"{int(b):02x}" for b in self.mac)


def _byte_template(part: str, template: str) -> int | RandNum:
    try:
        if part == "*":
            any_byte: RandNum = RandByte()
            return any_byte
        if "-" in part:
            lo, hi = part.split("-")
            return RandNum(int(lo, 16), int(hi, 16))
        return int(part, 16)
    except ValueError:
        raise AddressError(f"RandMAC: bad template {template!r} at {part!r}") from None


class RandIP6(_RandString):
    """An IPv6 address of the ``ip6template``: eight groups separated by ``:``, each a fixed
    hexadecimal group, ``*`` (any), ``lo-hi`` (a range, ``-`` alone: any); ``::`` is a run of
    zeros and ``**`` a run of random groups (any address by default).

    >>> RandIP6("2001:db8::*")._fix().startswith("2001:0db8::"), RandIP6().command()
    (True, 'RandIP6()')
    """

    def __init__(self, ip6template: str = "**") -> None:
        self.tmpl = ip6template
        self.sp: list[int | RandNum | str] = []
        for v in ip6template.split(":"):
            if not v or v == "**":
                self.sp.append(v)
                continue
            if "-" in v:
                a, b = v.split("-")
            elif v == "*":
                a = b = ""
            else:
                a = b = v
            a = a or "0"
            b = b or "ffff"
            try:
                lo, hi = int(a, 16), int(b, 16)
            except ValueError:
                raise AddressError(f"RandIP6: bad template {ip6template!r} at {v!r}") from None
            self.sp.append(lo if lo == hi else RandNum(lo, hi))
        self.variable = "" in self.sp
        self.multi = self.sp.count("**")

    def _command_args(self) -> str:
        return "" if self.tmpl == "**" else f"ip6template={self.tmpl!r}"

    def _fix(self) -> str:
        runs = self.multi
        out: list[str] = []
        count = len(self.sp)
        for i, n in enumerate(self.sp):
            if n == "**":
                runs -= 1
                remain = 8 - (count - i - 1) - len(out) + runs
                if "" in self.sp:  # (compared with each random group: each draws, as in Scapy)
                    remain += 1
                if runs or self.variable:
                    remain = random.randint(0, remain)
                out.extend(f"{random.randint(0, 65535):04x}" for _ in range(remain))
            elif isinstance(n, RandNum):
                out.append(f"{int(n):04x}")
            elif isinstance(n, int):
                out.append(f"{n:04x}" if n else "0")
            else:
                out.append("")
        if len(out) == 9:
            out.remove("")
        if out[-1] == "":
            out[-1] = "0"
        return ":".join(out)


class RandOID(_RandString):
    """An SNMP object identifier: ``fmt`` is dotted parts, each a number, ``*`` (a random
    number), ``**`` (several) or ``lo-hi``; without ``fmt``, a random identifier.
    ``depth`` and ``idnum`` draw how many parts and their numbers.

    >>> RandOID("1.3.6.1.*")._fix().startswith("1.3.6.1."), repr(RandOID("1.2.*"))
    (True, '<RandOID [1.2.*]>')
    """

    def __init__(self, fmt: str | None = None, depth: Any = None, idnum: Any = None) -> None:
        self.ori_fmt = fmt
        self.fmt: list[str | tuple[int, ...]] | None = None
        if fmt is not None:
            self.fmt = [tuple(int(y) for y in x.split("-")) if "-" in x else x
                        for x in fmt.split(".")]
        self.depth = RandNumExpo(0.1) if depth is None else depth
        self.idnum = RandNumExpo(0.01) if idnum is None else idnum

    def _command_args(self) -> str:
        parts = []
        if self.fmt:
            parts.append(f"fmt={self.ori_fmt!r}")
        for name, value, lambd in (("depth", self.depth, 0.1), ("idnum", self.idnum, 0.01)):
            if not isinstance(value, VolatileValue):
                parts.append(f"{name}={value!r}")
            elif not (isinstance(value, RandNumExpo) and value.lambd == lambd
                      and value.base == 0):
                parts.append(f"{name}={value.command()}")
        return ", ".join(parts)

    def __repr__(self) -> str:
        if self.ori_fmt is None:
            return f"<{type(self).__name__}>"
        return f"<{type(self).__name__} [{self.ori_fmt}]>"

    def _many(self) -> list[str]:
        n = 1 + int(self.depth)
        return [str(int(self.idnum)) for _ in range(n)]

    def _fix(self) -> str:
        if self.fmt is None:
            return ".".join(self._many())
        oid: list[str] = []
        for part in self.fmt:
            if part == "*":
                oid.append(str(int(self.idnum)))
            elif part == "**":
                oid += self._many()
            elif isinstance(part, tuple):
                oid.append(str(random.randrange(*part)))
            else:
                oid.append(part)
        return ".".join(oid)

