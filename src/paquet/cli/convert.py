"""``paquet convert CAP... OUT.parquet``: captures to Parquet (zstd), packets or flows.

``--fields`` the columns (Wireshark names, comma-separated; default: the common ones),
``--flows`` the flow table instead of the packets, ``--partition hour|file`` a directory of
Hive-style partitions, ``--progress`` a progress bar (packets/s, ETA; default: when stderr is
a terminal). Exit codes: 0 written, 2 bad input; a damaged capture: the rows before the damage
are written, one line says where, and the status is 2.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from paquet.cli.main import Exit
from paquet.cli.params import Choice, Text
from paquet.cli.status import ExitStatus

__all__ = ["CAPTURE", "CapturePath", "command"]


class CapturePath(click.Path):
    """A capture to read (a file, a directory, a glob, ``-``) or a file to write: not empty."""

    def __init__(self) -> None:
        super().__init__(allow_dash=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """``value``, refused when empty."""
        if str(value) == "":
            self.fail("empty file name", param, ctx)
        return super().convert(value, param, ctx)


#: The type of the capture arguments of ``convert`` and ``query``.
CAPTURE = CapturePath()


@click.command("convert")
@click.argument("paths", nargs=-1, required=True, type=CAPTURE, metavar="CAP... OUT.parquet")
@click.option(
    "--fields",
    "fields_opt",
    metavar="NAMES",
    type=Text(what="column list"),
    help="Comma-separated column names (Wireshark's), default: the common ones.",
)
@click.option("--flows", is_flag=True, help="Write the flows instead of the packets.")
@click.option(
    "--partition",
    type=Choice(["hour", "file"]),
    help="Write a directory partitioned by hour or by input file.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
def command(
    paths: tuple[str, ...],
    fields_opt: str | None,
    flows: bool,
    partition: str | None,
    progress: bool | None,
) -> None:
    """Convert captures (pcap, pcapng, gzip, directories, globs, - for stdin) to Parquet."""
    from paquet.capfile import TruncatedCaptureError
    from paquet.frame.parquet import write_parquet

    if len(paths) < 2:
        raise click.UsageError("give the captures, then the output file")
    *caps, out = paths
    fields = [f.strip() for f in fields_opt.split(",") if f.strip()] if fields_opt else None
    show = sys.stderr.isatty() if progress is None else progress
    bar = task = None
    callback = None
    if show:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        bar = Progress(
            TextColumn("convert"),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        bar.start()
        task = bar.add_task("convert", total=None, rate="")

        def callback(rows: int, done: int, total: int) -> None:
            assert bar is not None and task is not None
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{rows / elapsed:,.0f} packets/s" if elapsed > 0 else ""
            bar.update(task, completed=done, total=total or None, rate=rate)

    try:
        rows = write_parquet(
            caps, out, fields=fields, flows=flows, partition=partition, progress=callback
        )
    except TruncatedCaptureError as exc:
        if bar is not None:
            bar.stop()
        click.echo(f"paquet: error: {exc}", err=True)
        raise Exit(ExitStatus.ERROR) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        if bar is not None:
            bar.stop()
    click.echo(f"{rows} {'flows' if flows else 'packets'} written to {out}", err=True)
