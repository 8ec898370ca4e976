"""``paquet query "SQL" CAP...``: SQL on captures with DuckDB.

The tables are ``packets`` (Wireshark's column names: ``SELECT ip.src, count(*) FROM packets
GROUP BY 1`` works as written, dotted names are quoted for you; a column named in the query is
read for it) and ``flows`` (Zeek's conn.log columns). ``--format table|csv|json|parquet``
(``--json``: JSON), ``-o FILE`` to write the result to a file (parquet needs one). Exit codes:
0 a result, 1 an empty result, 2 a bad query or input; a damaged capture: the result on the
packets before the damage, then one line says where, and the status is 2.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

import click

from paquet.cli.convert import CAPTURE
from paquet.cli.main import Exit
from paquet.cli.params import Choice, FilePath, Text
from paquet.cli.status import ExitStatus

__all__ = ["command", "render"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):  # DuckDB's sums of integers
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def render(table: Any, fmt: str, out: str | None) -> None:
    """Write the result ``table`` in ``fmt`` to ``out`` (None: stdout)."""
    if fmt == "parquet":
        from paquet.frame.deps import need

        pq = need("pyarrow.parquet")

        if out is None:
            raise click.UsageError("--format parquet needs -o FILE")
        pq.write_table(table, out, compression="zstd")
        return
    stream = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout  # noqa: SIM115
    try:
        if fmt == "csv":
            import csv

            w = csv.writer(stream)
            w.writerow(table.column_names)
            for row in table.to_pylist():
                w.writerow(["" if v is None else _jsonable(v) for v in row.values()])
        elif fmt == "json":
            for row in table.to_pylist():
                stream.write(
                    json.dumps({k: _jsonable(v) for k, v in row.items()}, default=str) + "\n"
                )
        else:
            from rich.console import Console
            from rich.table import Table

            t = Table(*table.column_names, show_edge=False, pad_edge=False)
            for row in table.to_pylist():
                t.add_row(*("" if v is None else str(_jsonable(v)) for v in row.values()))
            Console(file=stream, highlight=False, soft_wrap=True, emoji=False).print(t)
    finally:
        if out:
            stream.close()


@click.command("query")
@click.argument("sql", type=Text(lines=True, what="query", longest=None))
@click.argument("captures", nargs=-1, required=True, type=CAPTURE, metavar="CAP...")
@click.option(
    "--format",
    "fmt",
    type=Choice(["table", "csv", "json", "parquet"]),
    default="table",
    show_default=True,
    help="How to print the result.",
)
@click.option("--json", "as_json", is_flag=True, help="The result as JSON (one object a line).")
@click.option(
    "-o",
    "--output",
    "out",
    metavar="FILE",
    type=FilePath(writable=True),
    help="Write the result to FILE.",
)
def command(sql: str, captures: tuple[str, ...], fmt: str, as_json: bool, out: str | None) -> None:
    """Run SQL (DuckDB) on captures: tables packets and flows."""
    from paquet.capfile import TruncatedCaptureError
    from paquet.frame.sql import query

    damaged: list[TruncatedCaptureError] = []
    table = query(sql, list(captures), damaged=damaged)
    render(table, "json" if as_json else fmt, out)
    if damaged:
        click.echo(f"paquet: error: {damaged[0]}", err=True)
        raise Exit(ExitStatus.ERROR)
    if table.num_rows == 0:
        raise Exit(ExitStatus.NEGATIVE)
