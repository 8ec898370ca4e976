"""Scapy's ``load_services``: a services file (``/etc/services``' format: ``name port/proto``,
``#`` comments, port ranges ``6000-6063``) read into three :class:`~paquet.dadict.DADict`
tables, TCP, UDP and SCTP, port -> identifier-safe name.

>>> import tempfile
>>> with tempfile.NamedTemporaryFile("w", suffix=".services") as f:
...     _ = f.write("x11  6000-6001/tcp  # X\\nitu-bicc-stc 3097/sctp\\n")
...     f.flush()
...     tcp, udp, sctp = load_services(f.name)
>>> tcp[6001], tcp.x11, len(udp), sctp.itu_bicc_stc
('x11', 6000, 0, 3097)
"""

from __future__ import annotations

import logging

from paquet.dadict import DADict
from paquet.packet.names import fixname

__all__ = ["load_services"]

_log = logging.getLogger("paquet.services")


def _ports(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def load_services(filename: str) -> tuple[DADict, DADict, DADict]:
    """The TCP, UDP and SCTP tables of services file ``filename`` (empty tables when it
    cannot be read; a line that cannot be read is logged and left out)."""
    tables = {proto: DADict(_name=f"{filename}-{proto}") for proto in ("tcp", "udp", "sctp")}
    try:
        with open(filename, "rb") as fdesc:
            lines = fdesc.read().decode("latin-1").splitlines()
    except OSError:
        _log.info("Can't open %s", filename)
        lines = []
    for line in lines:
        fields = line.partition("#")[0].split()
        if len(fields) < 2 or "/" not in fields[1]:
            continue
        port, proto = fields[1].split("/", 1)
        table = tables.get(proto)
        if table is None:
            continue
        try:
            ports = _ports(port)
        except ValueError as exc:
            _log.warning("Couldn't parse file [%s]: line [%r] (%s)", filename, line, exc)
            continue
        name = fixname(fields[0])
        for number in ports:
            table[number] = name
    return tables["tcp"], tables["udp"], tables["sctp"]
