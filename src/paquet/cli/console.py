"""The Python prompt behind ``paquet shell``: its namespace, banner, history, and the two consoles.

The namespace is what ``from paquet import *`` gives (Scapy's names and the standard modules
Scapy scripts use unqualified, see :mod:`paquet`). The prompt is IPython's when IPython is
installed and both ends are a terminal, with Scapy's settings (classic ``>>>`` prompts, no
exit confirmation, no jedi); Python's own :class:`code.InteractiveConsole` otherwise, with
readline's tab completion over the namespace and a history file.

Both keep their history under :func:`history_path` (IPython's in the same place, its name
ending in ``.sqlite``). ``exit(n)`` ends either with status ``n``; in IPython, which catches
every exception a line raises, ``sys.exit(n)`` only prints the exception, as in any IPython.

This is the one place where paquet runs Python the user typed, on purpose: it is a Python
prompt, as ``python`` and Scapy's ``scapy`` are.

>>> ns = session_namespace()
>>> ns["IP"](dst="192.0.2.1").dst, ns["random"].__name__, ns["__name__"]
('192.0.2.1', 'random', '__main__')
"""

from __future__ import annotations

import builtins
import code
import contextlib
import importlib.util
import os
import signal
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "banner",
    "choose_console",
    "exit_status",
    "history_path",
    "interact",
    "ipython_version",
    "run_source",
    "session_namespace",
]

HISTORY_LENGTH = 1000


def session_namespace() -> dict[str, Any]:
    """A fresh ``__main__`` namespace holding every name of ``from paquet import *``."""
    import paquet

    ns: dict[str, Any] = {"__name__": "__main__", "__doc__": None, "__builtins__": builtins}
    for name in paquet.__all__:
        ns[name] = getattr(paquet, name)
    return ns


def history_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the plain console keeps its history: ``$XDG_STATE_HOME/paquet/history`` when
    ``XDG_STATE_HOME`` is set, ``~/.paquet_history`` otherwise.

    >>> str(history_path({"XDG_STATE_HOME": "/s", "HOME": "/h"}))
    '/s/paquet/history'
    >>> str(history_path({"HOME": "/h"}))
    '/h/.paquet_history'
    """
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME")
    if state:
        return Path(state) / "paquet" / "history"
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".paquet_history"


def banner(lang: str, version: str, where: str | None = None, ipython: str | None = None) -> str:
    """The text printed when the prompt opens, in French (``lang="fr"``) or English.

    ``where`` names the lab node the shell runs in; ``ipython`` is IPython's version when the
    prompt is IPython's.

    >>> print(banner("en", "1.0"))  # doctest: +ELLIPSIS
    paquet 1.0 (Python ...): Scapy's names are loaded (IP, ICMP, sr1, ls, ...).
    ...
    >>> "Dans le nœud client du lab tp" in banner("fr", "1.0", where="client du lab tp")
    True
    """
    python = sys.version.split()[0]
    if lang == "fr":
        lines = [
            f"paquet {version} (Python {python}) : les noms de Scapy sont chargés "
            "(IP, ICMP, sr1, ls, ...).",
            "ls(IP) liste les champs d'une couche, explain(paquet) explique un paquet ; "
            "exit() ou Ctrl-D pour quitter.",
        ]
        if where:
            lines.append(f"Dans le nœud {where} : ses interfaces, ses adresses, ses routes.")
        if ipython:
            lines[0] += f" Avec IPython {ipython}."
    else:
        lines = [
            f"paquet {version} (Python {python}): Scapy's names are loaded "
            "(IP, ICMP, sr1, ls, ...).",
            "ls(IP) lists a layer's fields, explain(pkt) explains a packet; "
            "exit() or Ctrl-D to leave.",
        ]
        if where:
            lines.append(f"In node {where}: its interfaces, addresses and routes.")
        if ipython:
            lines[0] += f" Using IPython {ipython}."
    return "\n".join(lines)


def choose_console(no_ipython: bool, terminal: bool, ipython_installed: bool | None = None) -> str:
    """``"ipython"`` or ``"python"``: IPython when it is installed, not refused (``--no-ipython``
    or ``PAQUET_NO_IPYTHON`` set) and stdin and stdout are a terminal.

    >>> choose_console(False, True, True), choose_console(True, True, True)
    ('ipython', 'python')
    >>> choose_console(False, False, True), choose_console(False, True, False)
    ('python', 'python')
    """
    if no_ipython or os.environ.get("PAQUET_NO_IPYTHON") or not terminal:
        return "python"
    if ipython_installed is None:
        ipython_installed = importlib.util.find_spec("IPython") is not None
    return "ipython" if ipython_installed else "python"


def exit_status(exc: SystemExit) -> int:
    """The process status a ``SystemExit`` asks for, as Python's own: ``None`` is 0, an integer
    itself, anything else is printed on stderr and gives 1.

    >>> exit_status(SystemExit()), exit_status(SystemExit(3))
    (0, 3)
    """
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def run_source(source: str | bytes, filename: str, ns: dict[str, Any]) -> tuple[str, int]:
    """Run ``source`` (a script, ``-c``'s text) in ``ns`` as ``python`` runs a file.

    Returns how it ended and the process status that goes with it: ``("end", 0)`` when it ran
    to its end, ``("exit", n)`` when it called ``exit(n)``, ``("error", 1)`` after an uncaught
    exception, whose traceback is printed on stderr.

    >>> ns = session_namespace()
    >>> run_source("print(IP().ttl, random.__name__)", "<string>", ns)
    64 random
    ('end', 0)
    >>> run_source("exit(5)", "<string>", ns), run_source("1/0", "<string>", ns)[0]
    (('exit', 5), 'error')
    """
    try:
        compiled = compile(source, filename, "exec")
        exec(compiled, ns)
    except SystemExit as exc:
        return "exit", exit_status(exc)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        tb = exc.__traceback__.tb_next if exc.__traceback__ else None
        sys.stdout.flush()
        traceback.print_exception(type(exc), exc, tb, file=sys.stderr)
        return "error", 1
    return "end", 0


class _Console(code.InteractiveConsole):
    """Python's console; the prompts go to stderr when stdin is not a terminal (``python -i``
    does the same), so stdout holds only what the code printed."""

    def raw_input(self, prompt: str = "") -> str:
        if sys.stdin.isatty():
            return input(prompt)
        sys.stderr.write(prompt)
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")


@contextlib.contextmanager
def _readline(ns: dict[str, Any], history: Path) -> Any:
    """Tab completion over ``ns`` and the history file, for the time of the console (when
    stdin is a terminal and readline is there)."""
    try:
        import readline
        import rlcompleter
    except ImportError:  # pragma: no cover - Python built without readline
        yield
        return
    readline.set_completer(rlcompleter.Completer(ns).complete)
    readline.parse_and_bind("tab: complete")
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    try:
        yield
    finally:
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)
        except OSError as exc:
            print(f"paquet: history not saved in {history}: {exc.strerror}", file=sys.stderr)


def _plain(ns: dict[str, Any], text: str | None, history: Path) -> int:
    console = _Console(ns, filename="<console>")
    try:
        if sys.stdin.isatty():
            with _readline(ns, history):
                console.interact(banner=text or "", exitmsg="")
        else:
            console.interact(banner=text or "", exitmsg="")
    except SystemExit as exc:
        return exit_status(exc)
    return 0


def _ipython(ns: dict[str, Any], text: str | None, history: Path) -> int:
    from IPython.core.autocall import ExitAutocall
    from IPython.terminal.embed import InteractiveShellEmbed
    from IPython.terminal.prompts import ClassicPrompts
    from traitlets.config import Config

    import paquet

    cfg = Config()
    shell_cfg = cfg.InteractiveShellEmbed
    shell_cfg.prompts_class = ClassicPrompts  # Scapy's ">>> " prompts
    shell_cfg.confirm_exit = False
    shell_cfg.separate_in = ""
    shell_cfg.term_title = True
    shell_cfg.term_title_format = f"paquet {paquet.__version__}"
    shell_cfg.enable_tip = False
    cfg.Completer.use_jedi = False  # as Scapy: jedi is slow and misses dynamic names
    cfg.HistoryAccessor.hist_file = str(history.with_name(history.name + ".sqlite"))
    shell = InteractiveShellEmbed(config=cfg, user_ns=ns, banner1=text or "", exit_msg="")
    status = {"code": 0}

    class Exit(ExitAutocall):  # type: ignore[misc]
        """``exit`` / ``exit(n)``: leave the prompt, with status ``n``."""

        def __call__(self, code: object = None) -> None:
            status["code"] = exit_status(SystemExit(code))
            shell.ask_exit()

    shell.exiter = Exit(shell)  # IPython puts its exiter in the namespace as exit and quit
    with contextlib.suppress(OSError):  # IPython keeps the history in memory without it
        history.parent.mkdir(parents=True, exist_ok=True)
    shell(local_ns=ns)
    return status["code"]


def ipython_version() -> str:
    """The installed IPython's version (call only when :func:`choose_console` chose it)."""
    import IPython

    return str(IPython.__version__)


def interact(ns: dict[str, Any], text: str | None, console: str = "python",
             history: Path | None = None) -> int:
    """Open the prompt (``console`` from :func:`choose_console`) on ``ns`` with banner ``text``
    (``None``: none) until exit or end of input; the status ``exit(n)`` asked for (0 at the
    end of input)."""
    where = history if history is not None else history_path()
    # Ctrl-C interrupts the code typed, even when this process was started with SIGINT
    # ignored (a background job of a shell, a parent that ignores it): Python leaves an
    # ignored SIGINT ignored, and a prompt that Ctrl-C cannot stop is a trap.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if console == "ipython":
        return _ipython(ns, text, where)
    return _plain(ns, text, where)
