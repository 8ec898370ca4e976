"""Virtual networks in Linux network namespaces: the course's network on one machine, safely.

``Lab.up("tp")`` builds the built-in ``tp`` lab (``paquet lab list`` shows the others); a node is
a namespace you can run commands (``lab["client"].exec([...])``) and Python
(``lab["client"].run(func)``) in. Names are loaded lazily: ``import paquet.lab`` stays cheap.
"""

from __future__ import annotations

from paquet._lazy import lazy_names

_EXPORTS = {
    "Lab": "paquet.lab.core",
    "Node": "paquet.lab.core",
    "InterfaceInfo": "paquet.lab.core",
    "describe": "paquet.lab.core",
    "down_all": "paquet.lab.core",
    "LogRecord": "paquet.lab.services",
    "Topology": "paquet.lab.topology",
    "load": "paquet.lab.topology",
    "parse": "paquet.lab.topology",
    "builtin_names": "paquet.lab.topofile",
    "netem_available": "paquet.lab.builder",
    "Check": "paquet.lab.check",
    "run_checks": "paquet.lab.check",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_names("paquet.lab", _EXPORTS, globals())
