"""``paquet shell``: a Python prompt with paquet's names loaded, as Scapy's ``scapy`` command.

    paquet shell                         IPython when installed, else Python's own console
    paquet shell -c 'print(IP().ttl)'    run a command and exit (its exit(n) is the status)
    paquet shell script.py ARG ...       run a script (sys.argv = ['script.py', 'ARG', ...])
    paquet shell -i script.py            run it, then stay at the prompt with its variables
    echo 'print(IP())' | paquet shell    stdin that is not a terminal runs as a script
    paquet shell --node client           the prompt inside lab node client (the only lab up)
    paquet shell -H --no-ipython         no banner; Python's console even with IPython

Everything ``from paquet import *`` gives is there: Scapy's names (``IP``, ``sr1``, ``ls``...)
and the standard modules Scapy scripts use without importing them (``random``, ``time``,
``os``...). The options follow ``python`` where Scapy's ``scapy`` has none (``-c``, ``-i``, a
script and its arguments, stdin run as a script when it is not a terminal) and Scapy's where it
has: ``-H`` starts without the banner. Scapy's ``-c FILE`` (another startup file) is ``-c
CMD`` here, as in ``python``: paquet reads no startup files, so Scapy's ``-C``, ``-p``,
``-P`` and ``-s`` have no counterpart.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from paquet.cli.params import TEXT, Choice, Text
from paquet.cli.render import default_lang

__all__ = ["command"]


def _where(lang: str) -> str | None:
    """The lab node this process runs in (``paquet lab shell``, ``--node`` set these)."""
    lab, node = os.environ.get("PAQUET_LAB"), os.environ.get("PAQUET_NODE")
    if not (lab and node):
        return None
    return f"{node} du lab {lab}" if lang == "fr" else f"{node} of lab {lab}"


def _in_node(lab_name: str | None, node: str, options: list[str], argv: list[str]) -> int:
    """Run ``paquet shell OPTIONS -- ARGV`` inside lab node ``node``; its exit status."""
    import paquet
    from paquet.cli.lab import node_env, resolve_lab, run_in_node
    from paquet.lab import Lab

    lab = Lab.attach(resolve_lab(lab_name))
    target = lab[node]
    src = str(Path(paquet.__file__).resolve().parent.parent)
    pythonpath = os.environ.get("PYTHONPATH")
    env = node_env(lab.name, node, PYTHONPATH=src + (os.pathsep + pythonpath if pythonpath
                                                       else ""))
    child = [sys.executable, "-m", "paquet", "shell", *options, "--", *argv]
    return run_in_node(target.ns, child, env)


def _script_source(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path!r}: {exc.strerror}",
                                 param_hint="'SCRIPT'") from None


@click.command(
    name="shell",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option("-c", "cmd", type=Text(lines=True, longest=None, what="command"), metavar="CMD",
              help="Run CMD (Python) and exit; ARGS are then sys.argv[1:].")
@click.option("-i", "interactive", is_flag=True,
              help="Stay at the prompt after -c or SCRIPT (as python -i).")
@click.option("-H", "no_banner", is_flag=True, help="Start without the banner (as scapy -H).")
@click.option("--no-ipython", is_flag=True,
              help="Python's own console even when IPython is installed "
              "(also: PAQUET_NO_IPYTHON=1).")
@click.option("--lang", type=Choice(["fr", "en"]), default=None,
              help="Language of the banner (default: French when the locale is French).")
@click.option("--lab", "-l", "lab_name", type=TEXT, metavar="LAB",
              help="With --node: the lab (default: the only one up).")
@click.option("--node", "-n", type=TEXT, metavar="NODE",
              help="Open the prompt inside this lab node (its network namespace).")
@click.argument("argv", nargs=-1, type=click.UNPROCESSED, metavar="[SCRIPT [ARGS]...]")
def command(cmd: str | None, interactive: bool, no_banner: bool, no_ipython: bool,
            lang: str | None, lab_name: str | None, node: str | None,
            argv: tuple[str, ...]) -> int:
    """A Python prompt with everything of `from paquet import *` (Scapy's names, and the
    standard modules Scapy scripts use: random, time, os, struct...), as Scapy's `scapy`.

    \b
    Examples:
      paquet shell                           the prompt (IPython when installed)
      paquet shell -c 'print(IP().summary())'
      paquet shell script.py ARG ...         run a Scapy-style script
      paquet shell --node client             the prompt inside a lab node
    """
    from paquet.cli import console

    language = lang or default_lang()
    args = list(argv)
    if node is not None:
        options = [*(["-c", cmd] if cmd is not None else []), *(["-i"] if interactive else []),
                   *(["-H"] if no_banner else []), *(["--no-ipython"] if no_ipython else []),
                   "--lang", language]
        return _in_node(lab_name, node, options, args)
    if lab_name is not None:
        raise click.UsageError("--lab goes with --node NODE (the node to open the prompt in)")

    ns = console.session_namespace()
    if cmd is not None:
        sys.argv = ["-c", *args]
        ended, status = console.run_source(cmd, "<string>", ns)
    elif args:
        script = args[0]
        source = _script_source(script)
        sys.argv = list(args)
        if script != "-":
            sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
            ns["__file__"] = script
        ended, status = console.run_source(source, "<stdin>" if script == "-" else script, ns)
    elif not interactive and not sys.stdin.isatty():
        sys.argv = [""]  # piped stdin is a script, as for python
        return console.run_source(sys.stdin.buffer.read(), "<stdin>", ns)[1]
    else:
        sys.argv = [""]
        return _prompt(ns, language, no_banner, no_ipython)
    if not interactive or ended == "exit":
        return status  # exit(n) ends python -i too; an exception leaves it at the prompt
    return _prompt(ns, language, True, no_ipython)


def _prompt(ns: dict[str, Any], lang: str, no_banner: bool, no_ipython: bool) -> int:
    import paquet
    from paquet.cli import console

    which = console.choose_console(no_ipython, sys.stdin.isatty() and sys.stdout.isatty())
    text = None
    if not no_banner:
        ipython = console.ipython_version() if which == "ipython" else None
        text = console.banner(lang, paquet.__version__, _where(lang), ipython)
    return console.interact(ns, text, which)
