"""The optional libraries of the capture tables, and the one-line message when one is missing.

``paquet[data]`` brings pyarrow and duckdb, ``paquet[spark]`` pyspark (and pyarrow); polars
and pandas are the user's own. :func:`need` imports a module or raises
:class:`MissingExtraError` saying which extra to install.

>>> need("json").__name__
'json'
>>> need("nosuchmod", "data")
Traceback (most recent call last):
paquet.frame.deps.MissingExtraError: nosuchmod is not installed: pip install 'paquet[data]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from paquet.errors import PaquetError

__all__ = ["MissingExtraError", "need"]

#: The extra that brings each optional module.
EXTRA_OF = {"pyarrow": "data", "duckdb": "data", "pyspark": "spark"}


class MissingExtraError(PaquetError, ImportError):
    """An optional library the capture tables need is not installed (the message says which
    extra of paquet brings it)."""


def need(module: str, extra: str | None = None) -> ModuleType:
    """Import ``module``, or raise MissingExtraError naming the extra (or package) to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.partition(".")[0]
        extra = extra or EXTRA_OF.get(top)
        what = f"'paquet[{extra}]'" if extra else top
        raise MissingExtraError(f"{top} is not installed: pip install {what}") from None
