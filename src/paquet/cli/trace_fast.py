"""``paquet trace`` without click: the common command lines parsed by hand, so the first probe
leaves before click (and the option types) would even be imported.

:func:`parse` reads traceroute-style arguments (``-n -I -T -U -F -4 -6``, ``-p -q -m -f -N
-i -s -z`` with their value attached or next, the host and the packet length) into the keyword
arguments ``paquet.cli.trace``'s click command would pass on. Anything else (long options,
``-w``, ``--json``, ``-h``, combined flags, a value out of range, a contradiction) gives None,
and the click command runs instead: it alone reports errors, so both paths accept the same
command lines and refuse them with the same messages. ``tests/probe/test_trace_fast.py``
compares the two on many command lines.

>>> parse(["-n", "-q1", "-m", "8", "192.0.2.1", "100"])["queries"]
1
>>> parse(["--json", "192.0.2.1"]) is None
True
"""

from __future__ import annotations

import sys

from paquet.cli.fastargs import decimal, integer, option_value, text
from paquet.probe.limits import MAX_SECONDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["parse", "run"]

_FLAGS: dict[str, tuple[str, str | int | bool]] = {
    "-n": ("numeric", True), "-I": ("method", "icmp"), "-T": ("method", "tcp"),
    "-U": ("method", "udp"), "-F": ("dont_fragment", True), "-4": ("family", 4),
    "-6": ("family", 6),
}
# option -> (keyword, low, high) for integers; None bounds for text and seconds
_VALUES: dict[str, tuple[str, str, int, int]] = {
    "-p": ("port", "int", 0, 65535),
    "-q": ("queries", "int", 1, 10),
    "-m": ("max_ttl", "int", 1, 255),
    "-f": ("first_ttl", "int", 1, 255),
    "-N": ("sim_queries", "int", 1, 1000),
    "-i": ("iface", "text", 1, 4096),
    "-s": ("src", "text", 1, 4096),
    "-z": ("sendwait", "seconds", 0, 0),
}
_int, _text = integer, text


def _seconds(value: str) -> float | None:
    """traceroute's -z: seconds, or milliseconds above 10."""
    v = decimal(value)
    if v is None or not v <= MAX_SECONDS:
        return None
    return v / 1000.0 if v > 10 else v


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The trace's keyword arguments for ``argv`` (after ``trace``), or None to let click do it."""
    kw: dict[str, Any] = {"method": None, "port": None, "paris": True, "first_ttl": 1,
                          "max_ttl": 30, "queries": 3, "wait": (5.0, 3.0, 10.0),
                          "sim_queries": 16, "family": 0, "packet_len": None, "src": None,
                          "iface": None, "dont_fragment": False, "sendwait": 0.0,
                          "numeric": False}
    positional: list[str] = []
    methods: set[str] = set()
    families: set[int] = set()
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--" or a.startswith("--") or a == "-":
            return None
        if not a.startswith("-") or len(a) < 2:
            positional.append(a)
            continue
        if a in _FLAGS:
            flag, setting = _FLAGS[a]
            if flag == "method":
                methods.add(str(setting))
            elif flag == "family":
                families.add(int(setting))
            kw[flag] = setting
            continue
        spec = _VALUES.get(a[:2])
        if spec is None:
            return None
        found = option_value(a, argv, i)
        if found is None:
            return None
        raw, i = found
        key, kind, low, high = spec
        value: Any
        if kind == "int":
            value = _int(raw, low, high)
        elif kind == "text":
            value = _text(raw)
        else:
            value = _seconds(raw)
        if value is None:
            return None
        kw[key] = value
    if len(positional) not in (1, 2) or len(methods) > 1 or len(families) > 1:
        return None
    if not _text(positional[0]):
        return None
    if len(positional) == 2:
        n = _int(positional[1], 0, 65000)
        if n is None:
            return None
        kw["packet_len"] = n
    if kw["first_ttl"] > kw["max_ttl"]:
        return None
    kw["host"] = positional[0]
    kw["method"] = kw["method"] or "udp"
    return kw


def run(kw: dict[str, Any], as_json: bool = False, svg: str | None = None) -> int:
    """Trace with the keyword arguments :func:`parse` gave (or click's); print the result the
    way traceroute does, and draw it into the file ``svg`` when given (``--svg``, graphviz);
    the exit status (0 when the destination answered, 1 when not)."""
    from paquet.probe.trace import trace

    kw = dict(kw)
    numeric = kw.pop("numeric")
    host = kw.pop("host")
    result = trace(host, **kw)
    if as_json:
        from paquet.cli.render import print_json

        print_json(result.to_dict())
    else:
        sys.stdout.write(result.text(numeric=numeric))
    if svg is not None:
        from paquet.draw.dot import save
        from paquet.draw.graphs import probe_trace_path, trace_graph

        save(trace_graph([probe_trace_path(result)]).picture, svg, "svg")
    return 0 if result.reached else 1
