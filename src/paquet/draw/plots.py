"""Plots with matplotlib (the optional extra ``paquet[plot]``): Scapy's ``scapy.libs.matplot``
names and figures saved deterministically (a capture's rate over time, Wireshark's I/O graph,
is :mod:`paquet.draw.iograph`).

``plt``, ``Line2D``, ``MATPLOTLIB``, ``MATPLOTLIB_INLINED`` and ``MATPLOTLIB_DEFAULT_PLOT_KARGS``
are read when asked for (matplotlib is imported then, not with paquet), so a test may patch
``plt`` here as Scapy's tests patch ``scapy.libs.matplot.plt``.

:func:`save` writes a figure as SVG (text as ``<text>``, no date, fixed ids: the same figure
gives the same bytes) or PNG, by the file's suffix.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO, Any

from paquet.errors import PaquetError

__all__ = ["pyplot", "save"]

_NAMES = ("plt", "Line2D", "MATPLOTLIB", "MATPLOTLIB_INLINED", "MATPLOTLIB_DEFAULT_PLOT_KARGS")


def __getattr__(name: str) -> Any:
    """Scapy's ``scapy.libs.matplot`` names, computed when read (None and 0 without
    matplotlib)."""
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:  # import statements (not importlib): a mocked matplotlib module answers them too
        import matplotlib
        from matplotlib import pyplot as plt
    except (ImportError, RuntimeError):
        values: dict[str, Any] = dict(zip(_NAMES, (None, None, 0, 0, {}), strict=True))
    else:
        line2d: Any = None  # None from a stand-in matplotlib without it
        with contextlib.suppress(ImportError):
            from matplotlib.lines import Line2D as line2d
        inline = 1 if "inline" in str(matplotlib.get_backend()) else 0
        values = dict(zip(_NAMES, (plt, line2d, 1, inline, {"marker": "+"}), strict=True))
    return values[name]


def pyplot() -> tuple[Any, bool]:
    """``(matplotlib.pyplot, inline)``: the module (this module's ``plt``, patched or not),
    and whether it draws inline (Jupyter: the figure is then not shown with ``plt.show()``).
    :class:`PaquetError` without matplotlib."""
    here = sys.modules[__name__]
    plt = here.plt
    if plt is None:
        raise PaquetError("plotting needs matplotlib: pip install 'paquet[plot]' (or matplotlib)")
    return plt, bool(here.MATPLOTLIB_INLINED)


def save(target: str | Path | IO[bytes], figure: Any = None, format: str | None = None) -> None:
    """Write ``figure`` (the current one by default) to ``target``: SVG or PNG by its suffix
    (``format`` for a file object), deterministic, labels kept as text in SVG."""
    plt, _inline = pyplot()
    fig = figure if figure is not None else plt.gcf()
    fmt = format or (Path(target).suffix.lstrip(".").lower() if isinstance(target, str | Path)
                     else "svg")
    if fmt not in ("svg", "png", "pdf"):
        raise PaquetError(f"plots are saved as svg, png or pdf, not {fmt!r}")
    metadata: dict[str, Any] = {"svg": {"Date": None}, "png": {"Software": None},
                                "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "paquet",
                                "font.family": "DejaVu Sans"}):
        fig.savefig(target, format=fmt, metadata=metadata, bbox_inches="tight")
