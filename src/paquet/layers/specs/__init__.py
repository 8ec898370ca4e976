"""Explain specs of the protocols in :mod:`paquet.layers`, one module per protocol, beside its
layer module: the RFC, the header's bit layout, what each field means in French and English
(:mod:`paquet.packet.spec`).

They are loaded on the first explanation (:func:`load_specs`), not when the layers are: a
protocol may also register its spec at the bottom of its own layer module. A layer without a
spec is explained from its field table.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []

_loaded: list[bool] = []


def load_specs() -> None:
    """Import every spec module of this package once (each registers its specs)."""
    if _loaded:
        return
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded.append(True)
