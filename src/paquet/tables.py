"""Text tables and graphs, as Scapy prints them: ``make_table`` (and its lined and LaTeX
forms), ``pretty_list`` (the tables of ``conf.ifaces`` and ``conf.route``), ``do_graph``
(graphviz DOT text, rendered by ``dot`` when asked).

>>> rows = [(("192.0.2.1", 80), "open"), (("192.0.2.2", 80), "closed")]
>>> make_table(rows, lambda q, a: (q[0], q[1], a))  # doctest: +NORMALIZE_WHITESPACE
   192.0.2.1 192.0.2.2
80 open      closed
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterable, Sequence
from itertools import zip_longest
from typing import IO, Any

from paquet.errors import PaquetError

__all__ = [
    "do_graph",
    "get_terminal_width",
    "make_lined_table",
    "make_table",
    "make_tex_table",
    "pretty_list",
]


def _atol(text: str) -> int:
    return int.from_bytes(socket.inet_aton(text), "big")


def _sorted_keys(keys: list[str], key: Callable[[str], Any] | None) -> list[str]:
    """Keys in the given order, else as numbers, else as IPv4 addresses, else as text."""
    if key is not None:
        return sorted(keys, key=key)
    for natural in (int, _atol):
        try:
            return sorted(keys, key=natural)
        except (ValueError, TypeError, OSError):
            continue
    return sorted(keys)


def _table(
    row_fmt: Callable[[int], str],
    col_fmt: Callable[[int], str],
    endline: str,
    data: Iterable[Any],
    fxyz: Callable[..., tuple[Any, Any, Any]],
    sortx: Callable[[str], Any] | None = None,
    sorty: Callable[[str], Any] | None = None,
    seplinefunc: Callable[[int, list[int]], str] | None = None,
    dump: bool = False,
) -> str | None:
    """The table of ``fxyz(*element) -> (column, row, cell)`` over ``data``, columns and rows
    in natural order (numbers, then IPv4 addresses, then text) unless ``sortx``/``sorty``."""
    widths: dict[str, int] = {}
    rows: dict[str, None] = {}
    cells: dict[tuple[str, str], str] = {}
    row_width = 0
    for elt in data:
        args = elt if isinstance(elt, tuple) else (elt,)
        xx, yy, zz = (str(v) for v in fxyz(*args))
        row_width = max(row_width, len(yy))
        widths[xx] = max(widths.get(xx, 0), len(xx), len(zz))
        rows[yy] = None
        cells[xx, yy] = zz
    cols = _sorted_keys(list(widths), sortx)
    lines = _sorted_keys(list(rows), sorty)
    out: list[str] = []
    sep = seplinefunc(row_width, [widths[x] for x in cols]) if seplinefunc else None
    if sep is not None:
        out.append(sep + "\n")
    head = row_fmt(row_width)
    col_fmts = {x: col_fmt(widths[x]) for x in cols}
    out.append(head % "" + " " + "".join(col_fmts[x] % x + " " for x in cols) + endline + "\n")
    if sep is not None:
        out.append(sep + "\n")
    for y in lines:
        cells_text = "".join(col_fmts[x] % cells.get((x, y), "-") + " " for x in cols)
        out.append(head % y + " " + cells_text + endline + "\n")
    if sep is not None:
        out.append(sep + "\n")
    text = "".join(out)
    if dump:
        return text
    print(text, end="")
    return None


def make_table(*args: Any, **kargs: Any) -> str | None:
    """Print a table of ``data`` (first argument): ``fxyz(*element)`` gives each element's
    column, row and cell text (Scapy's ``make_table``). ``sortx``/``sorty`` order the
    columns and rows; ``dump=True`` returns the text."""
    return _table(lambda w: f"%-{w}s", lambda w: f"%-{w}s", "", *args, **kargs)


def make_lined_table(*args: Any, **kargs: Any) -> str | None:
    """:func:`make_table` with borders.

    >>> make_lined_table([(1, 2)], lambda a, b: (a, b, a + b))  # doctest: +NORMALIZE_WHITESPACE
    --+---+
      | 1 |
    --+---+
    2 | 3 |
    --+---+
    """

    def sepline(first: int, cols: list[int]) -> str:
        return "+".join("-" * (w + 2) for w in [first - 1, *cols, -2])

    kargs["seplinefunc"] = sepline
    return _table(lambda w: f"%-{w}s |", lambda w: f"%-{w}s |", "", *args, **kargs)


def make_tex_table(*args: Any, **kargs: Any) -> str | None:
    """:func:`make_table` as a LaTeX tabular body.

    >>> make_tex_table([(1, 2)], lambda a, b: (a, b, a + b))
    \\hline
     & 1 \\\\
    \\hline
    2 & 3 \\\\
    \\hline
    """
    kargs["seplinefunc"] = lambda a, x: "\\hline"
    return _table(lambda w: "%s", lambda w: "& %s", "\\\\", *args, **kargs)


#: Whether :func:`pretty_list` cuts tables to the terminal's width (``conf.auto_crop_tables``).
CROP_TABLES = [True]


def get_terminal_width() -> int:
    """The width of the terminal standard output is in, else ``COLUMNS``, else 79 (Scapy's
    fallback, so that a table cut for a terminal is cut the same way in a pipe)."""
    width = shutil.get_terminal_size(fallback=(0, 0))[0]
    return width or 79


def pretty_list(
    rtlst: Sequence[tuple[Any, ...]],
    header: Sequence[tuple[str, ...]],
    sortBy: int | None = 0,
    borders: bool = False,
) -> str:
    """A table of ``rtlst`` under ``header`` (a list holding one tuple of titles), columns
    padded to their widest text, rows sorted on column ``sortBy`` (None: as given); a cell
    holding a list spreads over several lines. Too wide for the terminal, the widest cells
    are cut (``conf.auto_crop_tables``). Scapy's ``pretty_list``.

    >>> print(pretty_list([("lo", ["127.0.0.1", "127.0.0.2"])], [("Iface", "IPv4")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    Iface  IPv4
    lo     127.0.0.1
           127.0.0.2
    """
    space = "|" if borders else "  "
    cols = len(header[0])
    rows = sorted(rtlst, key=lambda r: r[sortBy]) if sortBy is not None else list(rtlst)
    flat: list[tuple[str, ...]] = []
    for row in rows:
        multi = [j for j, v in enumerate(row) if isinstance(v, list)]
        if not multi:
            flat.append(tuple(row))
            continue
        values = [row[j] or " " for j in multi]
        for k, extra in enumerate(zip_longest(*values, fillvalue=" ")):
            line = list(row) if k == 0 else [" "] * cols
            for j, v in zip(multi, extra, strict=True):
                line[j] = v
            flat.append(tuple(line))
    table = [tuple(header[0]), *flat]
    widths = [max(len(str(r[c])) for r in table) for c in range(cols)]
    width = get_terminal_width()
    if CROP_TABLES[0]:
        room = width - len(space) * (cols - 1)
        table = [tuple(str(c) for c in r) for r in table]
        while sum(widths) > room and max(widths) > 2:
            c = widths.index(max(widths))
            r = max(range(len(table)), key=lambda k: len(table[k][c]))
            cut = list(table[r])
            cut[c] = cut[c][:-2] + "_"
            table[r] = tuple(cut)
            widths[c] = max(len(t[c]) for t in table)
    if borders:
        table.insert(1, tuple("-" * w for w in widths))
    return "\n".join(
        space.join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)) for r in table
    )


def do_graph(
    graph: str,
    prog: str | None = None,
    format: str | None = None,
    target: str | IO[bytes] | None = None,
    type: str | None = None,
    string: bool | None = None,
    options: list[str] | str | None = None,
) -> str | None:
    """Render the graphviz ``graph`` (DOT text) with ``prog`` (``dot`` by default) in
    ``format`` (``type`` is its old name: svg, png, pdf...) to ``target`` (a file name, a
    name after ``>``, a command after ``|`` fed the picture, or a binary file object).

    Without a target and a format, nothing is rendered: the DOT text is returned (as with
    ``string=True``), to save or to paste into a graphviz viewer. :class:`PaquetError`
    when the graphviz program is missing or fails.

    >>> do_graph('digraph "g" { "a" -> "b" }')
    'digraph "g" { "a" -> "b" }'
    """
    fmt = format if format is not None else type
    if string or (target is None and fmt is None):
        return graph
    program = prog or "dot"
    if shutil.which(program) is None:
        raise PaquetError(f"do_graph: {program!r} not found: install graphviz to render graphs")
    extra = shlex.split(options) if isinstance(options, str) else list(options or [])
    cmd = [program, *extra, f"-T{fmt or 'svg'}"]
    if target is None:
        proc = subprocess.run(cmd, input=graph.encode(), capture_output=True, check=False)
        _check(program, proc.returncode, proc.stderr)
        return proc.stdout.decode(errors="replace")
    if isinstance(target, str) and target.startswith("|"):
        first = subprocess.run(cmd, input=graph.encode(), capture_output=True, check=False)
        _check(program, first.returncode, first.stderr)
        viewer = shlex.split(target[1:])
        try:
            subprocess.run(viewer, input=first.stdout, check=False)
        except OSError as e:
            raise PaquetError(f"do_graph: cannot run {viewer[0]!r}: {e}") from None
        return None
    if isinstance(target, str):
        path = os.path.abspath(target[1:].strip() if target.startswith(">") else target)
        with open(path, "wb") as f:
            proc = subprocess.run(cmd, input=graph.encode(), stdout=f, stderr=subprocess.PIPE,
                                  check=False)
    else:
        proc = subprocess.run(cmd, input=graph.encode(), capture_output=True, check=False)
        if proc.returncode == 0:
            target.write(proc.stdout)
    _check(program, proc.returncode, proc.stderr)
    return None


def _check(program: str, code: int, stderr: bytes) -> None:
    if code != 0:
        msg = stderr.decode(errors="replace").strip()
        raise PaquetError(f"do_graph: {program} failed (exit {code}): {msg}")
