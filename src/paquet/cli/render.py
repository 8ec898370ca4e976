"""Shared rendering for the commands: a rich console, JSON output, the language of the texts."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["console", "default_lang", "load_application_layers", "print_json", "print_ndjson",
           "refused"]


def console() -> Console:
    """A console on stdout; colour only when stdout is a terminal (and NO_COLOR is unset).

    Emoji codes are off: ``:a:`` inside an IPv6 address must print as itself.
    """
    from rich.console import Console  # rich is imported only by the commands that print with it

    return Console(highlight=False, soft_wrap=True, emoji=False)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (non-JSON values through ``str``)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def print_ndjson(data: Any) -> None:
    """Print one JSON object on one line (NDJSON), flushed so streams are live."""
    sys.stdout.write(json.dumps(data, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``'fr'`` when the locale is French (the first of LC_ALL, LC_MESSAGES, LANG that is set
    starts with ``fr``), ``'en'`` otherwise.

    >>> default_lang({'LANG': 'fr_FR.UTF-8'}), default_lang({'LANG': 'C.UTF-8'})
    ('fr', 'en')
    >>> default_lang({'LC_ALL': 'en_US.UTF-8', 'LANG': 'fr_FR.UTF-8'})
    'en'
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def load_application_layers() -> None:
    """Bind the protocols Scapy leaves unloaded by default (HTTP, TLS) to their ports while
    the command runs: the commands that show captures dissect them, as tshark does (the
    Python API keeps Scapy's default until ``load_layer("http")``). Bindings this loads are
    undone when the command ends (``main()`` may run in a Python program)."""
    import importlib

    loaded = []
    for name in ("http", "tls"):
        module = importlib.import_module(f"paquet.layers.{name}")
        if not module._LOADED:
            module.load_bindings()
            loaded.append(module)
    ctx = click.get_current_context(silent=True)
    if ctx is not None and loaded:
        ctx.call_on_close(lambda: [m.unload_bindings() for m in loaded])


_FC = TypeVar("_FC", bound=Callable[..., Any] | click.Command)


def refused(flag: str, why: str, *, takes_value: bool = False) -> Callable[[_FC], _FC]:
    """A decorator adding ``flag``, an option of the tool a command imitates that paquet does
    not support: giving it is a usage error that says why, in one line.

    >>> @click.command()
    ... @refused("-R", "record route is not supported")
    ... def cmd() -> None: ...
    >>> cmd.main(["-R"], standalone_mode=False)
    Traceback (most recent call last):
    ...
    click.exceptions.UsageError: -R: record route is not supported
    """

    def fail(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None and value is not False:  # given, even as an empty value
            raise click.UsageError(f"{flag}: {why}", ctx)

    return click.option(flag, f"_refused{flag.strip('-').replace('#', 'hash')}",
                        is_flag=not takes_value, hidden=True, expose_value=False,
                        callback=fail, is_eager=True)
