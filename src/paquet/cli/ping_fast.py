"""``paquet ping`` without click: the common command lines parsed by hand, so the first echo
request leaves before click (and the option types) would even be imported.

:func:`parse` reads iputils-style arguments (``-q -4 -6 -n`` and ``-c -i -W -w -s -t`` with their
value attached or next) and one host given as an IP address into the keyword arguments
``paquet.cli.ping``'s click command would receive. Anything else (a host name, which the
click command may look up and print, long options, ``--json``, ``-h``, ``-f`` and every other
flag, combined flags, a value out of range, ``-4`` with ``-6``) gives None, and the click
command runs instead: it alone reports errors, so both paths accept the same command lines and
refuse them with the same messages. :func:`run` prints what the click command prints.
``tests/cli/test_ping_fast.py`` compares the two on many command lines.

>>> parse(["-c", "3", "-i0.2", "192.0.2.1"])["count"], parse(["-c", "3", "192.0.2.1"])["size"]
(3, 56)
>>> parse(["--json", "192.0.2.1"]) is None, parse(["example.org"]) is None
(True, True)
"""

from __future__ import annotations

import sys

from paquet.cli.fastargs import decimal, integer, option_value, text
from paquet.probe.iptext import version
from paquet.probe.limits import MAX_COUNT, MAX_SECONDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from paquet.probe.ping import PingEvent, PingResult

__all__ = ["parse", "run"]

_FLAGS: dict[str, tuple[str, object]] = {"-q": ("quiet", True), "-4": ("family", 4),
                                         "-6": ("family", 6), "-n": ("numeric", True)}
# option -> (keyword, kind, low, high): kind "int" (bounds), "seconds" (0 to MAX_SECONDS)
_VALUES: dict[str, tuple[str, str, int]] = {
    "-c": ("count", "int", 1),
    "-s": ("size", "int", 0),
    "-t": ("ttl", "int", 1),
    "-i": ("interval", "seconds", 0),
    "-W": ("timeout", "seconds", 0),
    "-w": ("deadline", "seconds", 0),
}
_HIGH = {"count": MAX_COUNT, "size": 65507, "ttl": 255}


def _is_address(host: str) -> bool:
    """An IPv4 or IPv6 address, as ``ipaddress`` reads it (:mod:`paquet.probe.iptext`)."""
    try:
        version(host)
    except ValueError:
        return False
    return True


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The click command's keyword arguments for ``argv`` (after ``ping``), or None to let
    click do it."""
    kw: dict[str, Any] = {"count": None, "interval": 1.0, "timeout": 10.0, "deadline": None,
                          "size": 56, "ttl": None, "quiet": False, "family": 0}
    positional: list[str] = []
    families: set[object] = set()
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a.startswith("--") or a == "-":
            return None
        if not a.startswith("-"):
            positional.append(a)
            continue
        if a in _FLAGS:
            key, setting = _FLAGS[a]
            if key == "family":
                families.add(setting)
            kw[key] = setting
            continue
        spec = _VALUES.get(a[:2])
        if spec is None:
            return None
        found = option_value(a, argv, i)
        if found is None:
            return None
        raw, i = found
        key, kind, low = spec
        value: int | float | None
        if kind == "int":
            value = integer(raw, low, _HIGH[key])
        else:
            value = decimal(raw)
            if value is not None and not value <= MAX_SECONDS:
                value = None
        if value is None:
            return None
        kw[key] = value
    if len(positional) != 1 or len(families) > 1:
        return None
    host = text(positional[0])
    if host is None or not _is_address(host):
        return None
    kw["host"] = host
    kw.pop("numeric", None)  # (an address is never looked up: -n changes nothing here)
    return kw


def run(kw: dict[str, Any]) -> int:
    """Ping with the keyword arguments :func:`parse` gave, printing what the click command
    prints (iputils' lines, then the statistics); the exit status (0 when a reply came)."""
    from paquet.probe.ping import ping

    out = sys.stdout
    quiet = kw["quiet"]

    def on_start(result: PingResult) -> None:
        out.write(result.header() + "\n")
        out.flush()

    def on_event(ev: PingEvent) -> None:
        if not quiet:
            out.write(ev.line() + "\n")
            out.flush()

    def on_local_error(_seq: int, message: str) -> None:
        if not quiet:
            sys.stderr.write(f"ping: {message}\n")
            sys.stderr.flush()

    count, deadline = kw["count"], kw["deadline"]
    result = ping(kw["host"], count, interval=kw["interval"], timeout=kw["timeout"],
                  deadline=deadline, size=kw["size"], ttl=kw["ttl"], family=kw["family"],
                  flood=False, on_event=on_event, on_send=None, on_start=on_start,
                  on_local_error=on_local_error)
    out.write("\n" + result.summary() + "\n")
    if result.stats() is None:  # iputils ends a summary without times with a blank line
        out.write("\n")
    failed = result.received == 0 or (
        count is not None and deadline is not None and result.received < count)
    return 1 if failed else 0
