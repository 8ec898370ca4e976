"""Singular values: the numbers and strings most likely to break a parser (bounds, powers of two
and their neighbours, format strings, path traversals...), Scapy's ``RandSingularity`` family;
see :mod:`paquet.volatile`."""

from __future__ import annotations

from paquet.volatile.numbers import RandChoice

__all__ = [
    "RandSingByte",
    "RandSingInt",
    "RandSingLong",
    "RandSingNum",
    "RandSingSByte",
    "RandSingSInt",
    "RandSingSLong",
    "RandSingSShort",
    "RandSingShort",
    "RandSingString",
    "RandSingularity",
]


class RandSingularity(RandChoice):
    """One of a set of singular values (the base of :class:`RandSingNum` and
    :class:`RandSingString`)."""


def _powers_of_two(end: int) -> set[int]:
    """``±2**i`` for the powers of two up to ``|end|`` (of ``end``'s sign; 1 for 0)."""
    sign = -1 if end < 0 else 1
    end = abs(end) or 1
    return {sign * (1 << i) for i in range(end.bit_length())}


class RandSingNum(RandSingularity):
    """A singular integer from ``mn`` to ``mx``: 0, the bounds, their middle, the powers of two
    up to each bound, and each of those plus and minus one, sorted.

    >>> RandSingNum(0, 10)._choice
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    >>> RandSingNum(-28, 7).command()
    'RandSingNum(mn=-28, mx=7)'
    """

    def __init__(self, mn: int, mx: int) -> None:
        self._mn = mn
        self._mx = mx
        values = {0, mn, mx, int((mn + mx) / 2)} | _powers_of_two(mn) | _powers_of_two(mx)
        values |= {v + 1 for v in values} | {v - 1 for v in values}
        super().__init__(*sorted(v for v in values if mn <= v <= mx))

    def _command_args(self) -> str:
        if type(self) is RandSingNum:
            return f"mn={self._mn!r}, mx={self._mx!r}"
        return ""


def _sing_class(name: str, lo: int, hi: int, doc: str) -> type[RandSingNum]:
    def __init__(self: RandSingNum) -> None:
        RandSingNum.__init__(self, lo, hi)

    return type(name, (RandSingNum,), {"__init__": __init__, "__doc__": doc,
                                       "__module__": __name__})


RandSingByte = _sing_class("RandSingByte", 0, 0xFF, "A singular unsigned byte.")
RandSingSByte = _sing_class("RandSingSByte", -(2**7), 2**7 - 1, "A singular signed byte.")
RandSingShort = _sing_class("RandSingShort", 0, 2**16 - 1, "A singular unsigned short.")
RandSingSShort = _sing_class("RandSingSShort", -(2**15), 2**15 - 1, "A singular signed short.")
RandSingInt = _sing_class("RandSingInt", 0, 2**32 - 1, "A singular unsigned 32-bit integer.")
RandSingSInt = _sing_class("RandSingSInt", -(2**31), 2**31 - 1,
                           "A singular signed 32-bit integer.")
RandSingLong = _sing_class("RandSingLong", 0, 2**64 - 1, "A singular unsigned 64-bit integer.")
RandSingSLong = _sing_class("RandSingSLong", -(2**63), 2**63 - 1,
                            "A singular signed 64-bit integer.")


def _singular_strings() -> list[str | bytes]:
    """paquet's own list of strings that often break parsers (empty, long runs, format
    directives, traversals, injections, device names, encodings)."""
    long_runs: list[str | bytes] = [c * 4096 for c in ("A", " ", "\\", "(", "%")]
    long_runs += [bytes([b]) * 4096 for b in (0x00, 0x7F, 0x80, 0xFF)]
    formats: list[str | bytes] = ["%s", "%n", "%x", "%p", "%d" * 32, "%s" * 32, "%x" * 16,
                                  "%%", "%", "{0}", "${jndi:x}", "%(x)s"]
    paths: list[str | bytes] = ["../" * 16 + "etc/passwd", "..\\" * 16 + "windows\\win.ini",
                                "%2e%2e%2f" * 16 + "etc/passwd", "..%c0%af" * 16 + "etc/hosts",
                                "/" * 1024, "//etc/shadow", "file:///etc/passwd", "/dev/zero",
                                "\\\\host\\share", "C:\\CON\\CON", "index.html%00", "%00",
                                "../" * 512]
    devices: list[str | bytes] = ["CON", "NUL:", "AUX", "PRN", "COM1", "LPT1:", "CLOCK$"]
    injections: list[str | bytes] = ["' or '1'='1", '" or "1"="1', "' or 1=1 --", "1; DROP TABLE x",
                                     "$(id)", "`id`", ";id;", "| id", "<script>x</script>",
                                     "\r\nX-Injected: 1", "${HOME}" * 64]
    odd: list[str | bytes] = ["", " ", "\x00", "\n", "\r\n", "\t", "-1", "0", "4294967296",
                              "NaN", "1e999", "\u202e", "\ufeff", "\U0001f4a9" * 64,
                              b"\xc0\x80", b"\xed\xa0\x80", b"\xff\xfe"]
    return long_runs + formats + paths + devices + injections + odd


class RandSingString(RandSingularity):
    """A string likely to break a parser (paquet's own list: long runs, format directives,
    path traversals, injections, device names, odd encodings); ``bytes()`` gives its bytes.

    >>> s = RandSingString()
    >>> isinstance(s._fix(), str | bytes), s.command()
    (True, 'RandSingString()')
    """

    def __init__(self) -> None:
        super().__init__(*_singular_strings())

    def _command_args(self) -> str:
        return ""

    def __str__(self) -> str:
        v = self._fix()
        return v.decode("latin-1") if isinstance(v, bytes) else str(v)

    def __bytes__(self) -> bytes:
        v = self._fix()
        return v if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass")
