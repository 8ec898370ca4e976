"""nmap's flags that ``paquet scan`` and ``paquet discover`` share, as click options: timing
templates (``-T``, their meaning in :mod:`paquet.cli.nmap_core`), target lists (``-iL``,
``--exclude``, ``--excludefile``), ``-oA``, and the refused ones.

>>> TIMING.convert("4", None, None), TIMING.convert("Polite", None, None)
(4, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from paquet.cli.params import TEXT, FilePath, shown

__all__ = [
    "TIMING",
    "TimingType",
    "exclusions",
    "nmap_options",
    "output_files",
    "target_list",
]

_NAMES = ("paranoid", "sneaky", "polite", "normal", "aggressive", "insane")

F = TypeVar("F", bound=Callable[..., Any])


class TimingType(click.ParamType[int, Any]):
    """``-T``: 0 to 5, or nmap's names (paranoid, sneaky, polite, normal, aggressive, insane)."""

    name = "0-5"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        """The template's number."""
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        if text in _NAMES:
            return _NAMES.index(text)
        if text in ("0", "1", "2", "3", "4", "5"):
            return int(text)
        self.fail(f"unknown timing mode {shown(value)}: a number from 0 (paranoid) to 5 "
                  "(insane), or paranoid, sneaky, polite, normal, aggressive, insane",
                  param, ctx)


TIMING = TimingType()

def _refuse_source_port(ctx: click.Context, param: click.Parameter, value: object) -> None:
    if value is not None:
        raise click.UsageError(
            "--source-port is not supported: paquet's probes carry their send window in the "
            "source port (stateless matching of the answers), so it cannot be fixed")


def nmap_options(f: F) -> F:
    """The options both commands take, as decorators on the command function."""
    options = [
        click.option("-T", "timing", type=TIMING, metavar="0-5",
                     help="nmap's timing template: 0-2 send one probe at a time (slow), "
                          "3 is the default, 4-5 give up sooner."),
        click.option("-n", "no_dns", is_flag=True,
                     help="Never resolve addresses to names (paquet never does: accepted)."),
        click.option("-v", "verbose", count=True,
                     help="More output (nmap's -v: open ports as found, hosts down)."),
        click.option("--reason", is_flag=True,
                     help="Say why each host is up and each port is in its state."),
        click.option("-iL", "input_list", type=FilePath(exists=True, allow_dash=True),
                     metavar="FILE", help="Read targets from FILE (- for standard input)."),
        click.option("--exclude", "exclude", type=TEXT, multiple=True, metavar="T1[,T2...]",
                     help="Leave these targets out (addresses, subnets, ranges)."),
        click.option("--excludefile", "exclude_file", type=FilePath(exists=True),
                     metavar="FILE", help="Leave the targets listed in FILE out."),
        click.option("-e", "iface", type=TEXT, metavar="IFACE",
                     help="Send by interface IFACE."),
        click.option("-g", "--source-port", "source_port", type=TEXT, metavar="PORT",
                     expose_value=False, callback=_refuse_source_port,
                     help="Not supported (paquet's source ports carry its cookies)."),
        click.option("-oA", "all_out", type=TEXT, metavar="BASE",
                     help="Write BASE.nmap, BASE.gnmap and BASE.xml (normal, grepable, XML)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def target_list(targets: tuple[str, ...], input_list: str | None) -> list[str]:
    """The command line's targets followed by those of the ``-iL`` file."""
    from paquet.probe.targets import read_target_file

    out = list(targets)
    if input_list is not None:
        out += read_target_file(input_list)
    return out


def exclusions(exclude: tuple[str, ...], exclude_file: str | None) -> list[str]:
    """``--exclude`` (comma-separated, repeatable) and ``--excludefile`` as one list."""
    from paquet.probe.targets import read_target_file

    out = [part.strip() for item in exclude for part in item.split(",") if part.strip()]
    if exclude_file is not None:
        out += read_target_file(exclude_file)
    return out


def output_files(all_out: str | None, normal: str | None, grep: str | None,
                 xml: str | None) -> tuple[str | None, str | None, str | None]:
    """(-oN, -oG, -oX) once ``-oA BASE`` is spread into BASE.nmap, BASE.gnmap, BASE.xml."""
    if all_out is None:
        return normal, grep, xml
    if all_out == "-":
        raise click.UsageError("-oA needs a base name, not -")
    return (normal or f"{all_out}.nmap", grep or f"{all_out}.gnmap", xml or f"{all_out}.xml")
