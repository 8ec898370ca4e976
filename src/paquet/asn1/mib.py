"""Names of object identifiers (Scapy's ``conf.mib``): a few well-known ones, and yours.

An OID is shown by the name of its longest known prefix followed by the rest of its arcs
(``commonName.7``), or with a leading dot when no prefix has a name (``.1.3.6.1.2.1.1.1.0``),
as Scapy shows them; a name given where an OID is expected is resolved.

>>> mib._oidname("2.5.4.3"), mib._oidname("1.3.6.1.2.1.1.1.0"), mib._oid("commonName.5")
('commonName', '.1.3.6.1.2.1.1.1.0', '2.5.4.3.5')
>>> mib["1.3.6.1.4.1.99999"] = "myCompany"   # a name of your own
>>> mib._oidname("1.3.6.1.4.1.99999.1")
'myCompany.1'
>>> del mib["1.3.6.1.4.1.99999"]
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable

__all__ = ["MIBDict", "load_mib", "mib"]


class MIBDict(dict[str, str]):
    """OIDs (dotted text) -> names, with Scapy's lookups ``_oidname`` and ``_oid``."""

    @property
    def d(self) -> dict[str, str]:
        """The table itself (Scapy's ``conf.mib.d``)."""
        return self

    def _findroot(self, x: str) -> tuple[str, str, str]:
        """The longest known prefix of ``x``: (prefix, its name, the rest of the arcs)."""
        if x.startswith("."):
            x = x[1:]
        if not x.endswith("."):
            x += "."
        best = ""
        for k in self:
            if x.startswith(k + ".") and len(k) > len(best):
                best = k
        if not best:
            return "", "", x[:-1]
        return best, self[best], x[len(best):-1]

    def _oidname(self, x: str) -> str:
        """``x`` as its known name and the rest of its arcs, or ``.`` and its arcs."""
        _root, name, rest = self._findroot(x)
        return name + rest if name else "." + rest

    def _oid(self, x: str) -> str:
        """``x`` with a leading name resolved to its arcs (``commonName.5`` -> ``2.5.4.3.5``)."""
        parts = x.split(".")
        if not parts or parts[0].isdigit() or not parts[0]:
            return x
        for oid, name in self.items():
            if name == parts[0]:
                return ".".join([oid, *parts[1:]])
        return x


#: The names known by default (the same names as Scapy's MIB gives these OIDs).
mib = MIBDict({
    "1.2.840.113549.1.1.1": "rsaEncryption",
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.10045.2.1": "ecPublicKey",
    "2.5.4.3": "commonName",
    "2.5.4.6": "countryName",
    "2.5.4.7": "localityName",
    "2.5.4.8": "stateOrProvinceName",
    "2.5.4.10": "organizationName",
    "2.5.4.11": "organizationUnitName",
    "2.5.29.17": "subjectAltName",
    "2.5.29.19": "basicConstraints",
})


_NUMBER = re.compile(r"^[0-9]+$")
_NAMED_NUMBER = re.compile(r"^([a-zA-Z_][a-zA-Z0-9_-]*)\(([0-9]+)\)$")
_DECLARATION = re.compile(r"\s*([a-zA-Z0-9_-]+)\s+OBJECT[^:{}]+::=\s*\{([^}]+)\}")
_QUOTED = re.compile(r'"[^"]*"')
_COMMENT = re.compile(r"--.*(\r|\n)")


class _Resolver:
    """Names to arcs while MIB declarations are read: resolved ones, ones waiting for a
    parent name, and second names of an OID already named (aliases)."""

    def __init__(self) -> None:
        self.known: dict[str, list[str]] = {"iso": ["1"]}
        self.waiting: dict[str, list[str]] = {}
        self.aliases: dict[str, str] = {}

    def add(self, name: str, arcs: list[str], waiting: dict[str, list[str]] | None = None) -> bool:
        """Register ``name`` for ``arcs`` (numbers or names); True once it is resolved."""
        from paquet.packet.names import fixname

        pending = self.waiting if waiting is None else waiting
        if name in self.known:
            self.aliases[".".join(arcs)] = name
            return True
        if name in pending:
            return False
        resolved: list[str] = []
        complete = True
        for arc in arcs:
            if _NUMBER.match(arc):
                resolved.append(arc)
                continue
            arc = fixname(arc)
            if arc in self.known:
                resolved += self.known[arc]
            else:
                complete = False
                resolved += pending.get(arc, [arc])
        if not complete:
            pending[name] = resolved
            return False
        self.known[name] = resolved
        if waiting is None:  # (a retried name does not start another round)
            self._retry()
        return True

    def _retry(self) -> None:
        """Resolve again what waited (a name just resolved may be its parent)."""
        names = list(self.waiting)
        i = 0
        while i < len(names):
            if self.add(names[i], self.waiting[names[i]], waiting={}):
                del self.waiting[names[i]]
                del names[i]
                i = 0
            else:
                i += 1


def load_mib(filenames: str | Iterable[str]) -> None:
    """Read the OID declarations (``name OBJECT IDENTIFIER ::= { parent 3 }``) of MIB files
    (glob patterns) into ``conf.mib``, as Scapy's ``load_mib``: the names already known stay,
    a declaration whose parent is unknown is kept with the parent's name in its OID."""
    from paquet.packet.names import fixname

    table = _Resolver()
    for oid, name in mib.items():
        table.add(name, oid.split("."))
    patterns = [filenames] if isinstance(filenames, str) else list(filenames)
    for pattern in patterns:
        for fname in glob.glob(pattern):
            with open(fname, errors="replace") as f:
                text = f.read()
            text = " ".join(_QUOTED.split(" ".join(_COMMENT.split(text))))
            for found in _DECLARATION.finditer(text):
                arcs = found.group(2).split()
                for i, arc in enumerate(arcs):
                    named = _NAMED_NUMBER.match(arc)
                    if named:
                        arcs[i] = named.group(2)
                table.add(fixname(found.group(1)), arcs)
    new = MIBDict()
    for name, arcs in table.known.items():
        new[".".join(arcs)] = name
    for name, arcs in table.waiting.items():
        new[".".join(arcs)] = name
    new.update(table.aliases)
    mib.clear()  # in place: the OID values that show names use this table
    mib.update(new)
