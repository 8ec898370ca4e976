"""Scapy's ``list_contrib``: the protocol modules ``load_contrib``/``load_layer`` accept (in
paquet every layer module; Scapy's contributions that paquet has are among them), each with
the first line of its description and its status (``loads``).

>>> [d["name"] for d in list_contrib("vxlan", ret=True)]
['vxlan']
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

__all__ = ["list_contrib"]

_LAYERS = Path(__file__).resolve().parent / "layers"


def _description(path: Path) -> str:
    """The first line of a module's docstring, read without importing it."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError):
        return ""
    return (doc or "").strip().split("\n", 1)[0].rstrip(".")


def list_contrib(name: str | None = None, ret: bool = False,
                 _debug: bool = False) -> list[dict[str, str]] | None:
    """The modules whose file name matches ``name`` (a glob, as ``"geneve*"``; a plain name
    is the module's; None: all), printed as Scapy prints them (``name : description
    status=...``) or, with ``ret``, returned as Scapy's dicts (``name``, ``description``,
    ``status``)."""
    pattern = "*.py" if name is None else name
    if not any(c in pattern for c in "*?") and not pattern.endswith(".py"):
        pattern += ".py"  # as Scapy: a glob is matched against the file name
    results = []
    for path in sorted(_LAYERS.glob("*.py")):
        module = path.stem
        if module.startswith("_") or not fnmatch.fnmatchcase(path.name, pattern):
            continue
        results.append({"description": _description(path), "status": "loads",
                        "name": module})
    if ret:
        return results
    for desc in results:
        print(f"{desc['name']:<20}: {desc['description']:<40} status={desc['status']}")
    return None
