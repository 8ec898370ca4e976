"""The ``paquet`` command: a click group whose subcommands are imported only when used.

``main(argv) -> int`` runs in-process (tests call it); ``run()`` is the console script.
Exit codes (:class:`~paquet.cli.status.ExitStatus`): 0 success, 1 a negative result (nothing
answered, not found), 2 usage or input error.

Start-up: click is imported only when a command line needs it. Plain ``paquet trace``,
``paquet ping`` and ``paquet scan`` command lines (the options traceroute, ping and nmap users
type) are parsed by :mod:`paquet.cli.trace_fast`, :mod:`paquet.cli.ping_fast` and
:mod:`paquet.cli.scan_fast` without it, so their first probe leaves sooner; anything else goes
through click as usual. This module imports neither
``typing`` nor ``enum`` (the exit statuses are :class:`~paquet.cli.status.ExitStatus`'s values,
compared as ints) for the same reason.
"""

from __future__ import annotations

import sys

from paquet.errors import PaquetError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    import click

# Subcommand name -> module defining ``command`` (a click.Command). Each part adds its own line.
COMMANDS: dict[str, str] = {
    "read": "paquet.cli.read",
    "sniff": "paquet.cli.sniff",
    "subnet": "paquet.cli.subnet",
    "demo": "paquet.cli.demo",
    "checksum": "paquet.cli.checksum",
    "lab": "paquet.cli.lab",
    "scan": "paquet.cli.scan",
    "discover": "paquet.cli.discover",
    "ping": "paquet.cli.ping",
    "trace": "paquet.cli.trace",
    "tcp": "paquet.cli.tcp",
    "explain": "paquet.cli.explain",
    "decode": "paquet.cli.decode",
    "craft": "paquet.cli.craft",
    "shell": "paquet.cli.shell",
    "dns": "paquet.cli.dns",
    "convert": "paquet.cli.convert",
    "query": "paquet.cli.query",
}


ARGV: list[str] = []
"""The words of the command line being run (after ``paquet``), as given: for commands that
print it back (``paquet dns``, as dig does)."""


def _group() -> click.Group:
    """The ``paquet`` click group (built on first use: it imports click)."""
    built = globals().get("_cli")
    if built is not None:
        return built  # type: ignore[no-any-return]
    import importlib

    import click

    class LazyGroup(click.Group):
        """A group that imports a subcommand's module only when that subcommand runs."""

        def list_commands(self, ctx: click.Context) -> list[str]:
            return sorted(COMMANDS)

        def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
            module = COMMANDS.get(cmd_name)
            if module is None:
                return None
            command = importlib.import_module(module).command
            assert isinstance(command, click.Command)
            return command

    @click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(package_name="paquet")
    def cli() -> None:
        """paquet: craft, send, capture and understand network packets."""

    globals()["_cli"] = cli
    return cli


def __getattr__(name: str) -> Any:
    """``cli``, the click group, built when first asked for."""
    if name == "cli":
        return _group()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Exit(Exception):
    """Raised by a command to end with a given status after printing its result."""

    def __init__(self, code: int) -> None:  # an ExitStatus, or a child's own status
        super().__init__(code)
        self.code = code


def _error(message: str) -> None:
    """Print ``paquet: error: MESSAGE`` on one line, whatever the message holds."""
    line = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    line = line.encode("utf-8", "backslashreplace").decode("utf-8")
    sys.stderr.write(f"paquet: error: {line}\n")
    sys.stderr.flush()


# ExitStatus's values (paquet.cli.status), without importing enum: checked by the tests
_OK, _ERROR, _INTERRUPTED = 0, 2, 130


def _guarded(call: Callable[[], int]) -> int:
    """Run ``call`` with the errors every command shares turned into exit statuses."""
    try:
        return call()
    except Exit as exc:
        return exc.code
    except PaquetError as exc:
        _error(str(exc))
        return _ERROR
    except KeyboardInterrupt:
        sys.stderr.write("paquet: interrupted\n")
        return _INTERRUPTED
    except BrokenPipeError:
        return _OK


def _fast(args: list[str]) -> int | None:
    """The exit status of a command line run without click, or None when click must run it."""
    if args[:1] == ["trace"]:
        from paquet.cli import trace_fast

        kw = trace_fast.parse(args[1:])
        if kw is not None:
            return _guarded(lambda: trace_fast.run(kw))
    elif args[:1] == ["ping"]:
        from paquet.cli import ping_fast

        pkw = ping_fast.parse(args[1:])
        if pkw is not None:
            return _guarded(lambda: ping_fast.run(pkw))
    elif args[:1] == ["scan"]:
        from paquet.cli import scan_fast

        skw = scan_fast.parse(args[1:])
        if skw is not None:
            return _guarded(lambda: scan_fast.run(skw))
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit status.

    Errors are one line on stderr: ``paquet: error: ...``; never a traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    ARGV[:] = args
    status = _fast(args)
    if status is not None:
        return status
    import click

    from paquet.cli.status import ExitStatus

    def run_click() -> int:
        result = _group().main(args=args, prog_name="paquet", standalone_mode=False)
        return int(result) if isinstance(result, int) else ExitStatus.OK

    try:
        return _guarded(run_click)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return ExitStatus.ERROR
    except click.UsageError as exc:
        _error(exc.format_message())
        return ExitStatus.ERROR
    except click.Abort:
        click.echo("paquet: interrupted", err=True)
        return ExitStatus.INTERRUPTED
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except SystemExit as exc:  # click ends this way on a broken pipe
        if isinstance(exc.code, int):
            return exc.code
        return ExitStatus.OK if exc.code is None else ExitStatus.ERROR


def run() -> None:
    """Console-script entry point.

    A closed pipe (``paquet read big.pcap | head``) ends the process quietly, as Unix tools do.
    """
    # signal's C module: signal.py builds enums of every signal number on import (and enum
    # itself is not otherwise needed before the first probe of trace and ping)
    _signal = __import__("_signal")
    _signal.signal(_signal.SIGPIPE, _signal.SIG_DFL)
    status = main()
    if ARGV[:1] in (["trace"], ["ping"], ["scan"]) and "click" not in sys.modules:
        _quick_exit(status)
    sys.exit(status)


def _quick_exit(status: int) -> None:
    """End a click-free run now: output flushed, then ``os._exit`` (no module teardown, no
    garbage collection of sockets the command already closed; nothing registered with
    :mod:`atexit` on this path)."""
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(status)
