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

__all__ = ["MIBDict", "mib"]


class MIBDict(dict[str, str]):
    """OIDs (dotted text) -> names, with Scapy's lookups ``_oidname`` and ``_oid``."""

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
