"""Lazy public names for a package (PEP 562): a name's module is imported on first use.

``import paquet`` and ``import paquet.lab`` stay cheap: each package lists its public names and
the module that defines each, and gets its ``__getattr__`` and ``__dir__`` from :func:`lazy_names`.
A package may also give whole modules under a name (``modules``), imported on first use too.

>>> import types
>>> ns: dict[str, object] = {}
>>> getattr_, dir_ = lazy_names("demo", {"sqrt": "math"}, ns, modules={"json": "json"})
>>> getattr_("sqrt")(9.0), "sqrt" in ns, dir_()
(3.0, True, ['json', 'sqrt'])
>>> getattr_("json").dumps([1]), "json" in ns
('[1]', True)
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds: ``paquet trace`` imports this module
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str,
    exports: Mapping[str, str],
    namespace: dict[str, Any],
    modules: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``, whose public ``exports`` map each name to the
    module defining it, and ``modules`` each name to a module given whole (``{"os": "os"}``); a
    name, once imported, is kept in ``namespace`` (the package's globals)."""
    whole = dict(modules or {})

    def getattr_(name: str) -> Any:
        import importlib

        module = exports.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module), name)
        elif name in whole:
            value = importlib.import_module(whole[name])
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(set(namespace) | set(exports) | set(whole))

    return getattr_, dir_
