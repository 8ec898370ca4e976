"""MAC vendor names (Scapy's ``conf.manufdb``, a ``ManufDA``), read from Wireshark's ``manuf``
file: each line is an OUI prefix, a short name and, after it, the long name.

The file comes with Wireshark (Debian's ``libwireshark-data``/``wireshark-common``:
``/usr/share/wireshark/manuf``); without it the database is empty, and MAC addresses are
shown as they are.

>>> db = ManufDA(_name="demo")
>>> db["00:00:17"] = ("Oracle", "Oracle Corporation")
>>> db.lookup("00:00:17:aa:bb:cc"), db._resolve_MAC("00:00:17:aa:bb:cc")
(('Oracle', 'Oracle Corporation'), 'Oracle:aa:bb:cc')
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from paquet.dadict import DADict
from paquet.packet.names import fixname

__all__ = ["MANUF_PATHS", "ManufDA", "load_manuf"]

_log = logging.getLogger("paquet.manuf")

#: Where Wireshark's ``manuf`` file is looked for, first found wins (Scapy's list).
MANUF_PATHS = tuple(
    os.path.join(prefix, "share/wireshark/manuf")
    for prefix in ("/usr", "/usr/local", "/opt", "/opt/wireshark",
                   "/Applications/Wireshark.app/Contents/Resources")
)


class ManufDA(DADict):
    """OUI (``"00:00:17"``, upper case) -> ``(short name, long name)``, Scapy's ``ManufDA``;
    a short name, made identifier-safe, is an attribute giving its OUI."""

    __slots__ = ()

    def ident(self, v: Any) -> str:
        """The attribute name of an entry: its short name, identifier-safe."""
        return fixname(v[0] if isinstance(v, tuple) else v)

    def _get_manuf_couple(self, mac: str) -> tuple[str, str]:
        oui = ":".join(mac.split(":")[:3]).upper()
        found: tuple[str, str] = self.get(oui, (mac, mac))
        return found

    def _get_manuf(self, mac: str) -> str:
        """The long vendor name of ``mac`` (``mac`` itself when unknown)."""
        return self._get_manuf_couple(mac)[1]

    def _get_short_manuf(self, mac: str) -> str:
        """The short vendor name of ``mac`` (``mac`` itself when unknown)."""
        return self._get_manuf_couple(mac)[0]

    def _resolve_MAC(self, mac: str) -> str:
        """``mac`` with its OUI replaced by the short vendor name (``Oracle:aa:bb:cc``),
        unchanged when the OUI is unknown."""
        parts = mac.split(":")
        oui = ":".join(parts[:3]).upper()
        if oui in self:
            return ":".join([self[oui][0], *parts[3:]])
        return mac

    def lookup(self, mac: str) -> tuple[str, str]:
        """``(short name, long name)`` of ``mac``'s vendor, ``(mac, mac)`` when unknown."""
        return self._get_manuf_couple(mac)

    def reverse_lookup(self, name: str, case_sensitive: bool = False) -> dict[str, Any]:
        """Every OUI whose short or long name contains ``name`` -> its names."""
        if not case_sensitive:
            name = name.lower()
        found = {}
        for oui, names in self.items():
            texts = names if case_sensitive else tuple(n.lower() for n in names)
            if any(name in text for text in texts):
                found[oui] = names
        return found

    def __dir__(self) -> list[str]:
        return ["_get_manuf", "_get_short_manuf", "_resolve_MAC", "lookup",
                "reverse_lookup", *super().__dir__()]


def _fill(db: ManufDA, lines: Iterable[str], filename: str | None) -> None:
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) < 2:
            _log.warning("Couldn't parse one line from [%s] [%r]", filename, line)
            continue
        long_name = parts[2].lstrip("#").strip() if len(parts) > 2 else ""
        db[parts[0]] = (parts[1], long_name or parts[1])


def load_manuf(filename: str | None = None) -> ManufDA:
    """The database read from Wireshark's ``manuf`` file ``filename`` (Scapy's
    ``load_manuf``); an empty one when there is no such file.

    >>> len(load_manuf("/nonexistent/manuf"))
    0
    """
    db = ManufDA(_name=filename or "scapy/manufdb")
    if filename:
        try:
            with open(filename, errors="backslashreplace") as fdesc:
                _fill(db, fdesc, filename)
        except OSError:
            pass
    return db


def default_manufdb() -> ManufDA:
    """The database of the first ``manuf`` file of :data:`MANUF_PATHS` (empty if none)."""
    for path in MANUF_PATHS:
        if os.path.exists(path):
            return load_manuf(path)
    return load_manuf(None)
