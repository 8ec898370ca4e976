"""Port -> service names and nmap's port frequencies (``--top-ports``), from a shipped table.

``data/services.tsv.gz`` is generated from nmap's ``nmap-services`` (which not every machine has)
by :func:`generate`: one ``proto<TAB>port<TAB>name<TAB>frequency`` line per TCP/UDP entry.
``top_ports(n)`` orders by nmap's open frequency, so ``--top-ports N`` scans nmap's N ports.

>>> service_name(22)
'ssh'
>>> service_name(53, "udp")
'domain'
>>> top_ports(3)
[80, 23, 443]
"""

from __future__ import annotations

import functools
import os
import zlib

from paquet.errors import PaquetError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["generate", "service_name", "top_ports"]


@functools.cache
def _text() -> str:
    """The table's lines, ``\n`` first (each line found as ``\nproto\tport\t``)."""
    # (the file beside this module: importlib.resources and gzip would cost a scan 8 ms)
    with open(os.path.join(os.path.dirname(__file__), "data", "services.tsv.gz"), "rb") as f:
        return "\n" + zlib.decompress(f.read(), 16 + zlib.MAX_WBITS).decode()


@functools.cache
def _table() -> dict[str, dict[int, tuple[str, float]]]:
    table: dict[str, dict[int, tuple[str, float]]] = {"tcp": {}, "udp": {}}
    for line in _text().splitlines():
        if line:
            proto, port, name, freq = line.split("\t")
            table[proto][int(port)] = (name, float(freq))
    return table


_FOUND = [0]  # names looked up in the text: past a few dozen, the whole table is read


def service_name(port: int, proto: str = "tcp") -> str:
    """nmap's name for ``port``/``proto`` (``"unknown"`` when it has none).

    The first few names are searched for in the table's text (a scan usually shows a handful
    of ports: reading the 27,000 entries would cost more than the rest of its output).

    >>> service_name(443), service_name(0, "sctp"), service_name(65535, "udp")
    ('https', 'unknown', 'unknown')
    """
    if _FOUND[0] < 64 and proto in ("tcp", "udp"):
        _FOUND[0] += 1
        text = _text()
        at = text.find(f"\n{proto}\t{port}\t")
        if at < 0:
            return "unknown"
        start = at + len(proto) + len(str(port)) + 3
        return text[start:text.index("\t", start)]
    entry = _table().get(proto, {}).get(port)
    return entry[0] if entry else "unknown"


def top_ports(n: int, proto: str = "tcp") -> list[int]:
    """The ``n`` ports nmap finds open most often for ``proto``, most frequent first."""
    if n < 1:
        raise PaquetError(f"--top-ports needs a positive number, not {n}")
    entries = _table().get(proto, {})
    ranked = sorted(entries, key=lambda p: (-entries[p][1], p))
    if n > len(ranked):
        rest = [p for p in range(1, 65536) if p not in entries]
        ranked += rest
    return ranked[:n]


def generate(nmap_services: str | Path, out: str | Path) -> int:
    """Write the shipped table from nmap's ``nmap-services`` file; return the number of lines."""
    import gzip
    from pathlib import Path

    lines = []
    for line in Path(nmap_services).read_text(errors="replace").splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or "/" not in fields[1]:
            continue
        port, proto = fields[1].split("/")
        if proto in ("tcp", "udp"):
            lines.append(f"{proto}\t{port}\t{fields[0]}\t{fields[2]}")
    Path(out).write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), 9, mtime=0))
    return len(lines)
