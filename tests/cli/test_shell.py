"""``paquet shell``: the names, -c, scripts, piped stdin, exit statuses, banner, the consoles.

Oracles: Python itself (``python -c``, ``python -i``, a script run by ``python``: same argv,
same statuses, same output for the same code) and Scapy (``from scapy.all import *`` gives the
standard modules paquet gives). The prompt on a terminal runs on a pseudo-terminal. Nothing is
sent: the code run in the shell only builds packets and reads names.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

import paquet
from cli.terminal import Terminal
from paquet.cli.console import choose_console, history_path

SRC = str(Path(paquet.__file__).resolve().parent.parent)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PAQUET_NO_IPYTHON", "XDG_STATE_HOME", "LC_ALL", "LC_MESSAGES")}
    path = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)
    env.update({"HOME": str(tmp_path), "LANG": "C.UTF-8", "PYTHONPATH": path, **extra})
    return env


def shell(tmp_path: Path, *args: str, stdin: str = "",
          **env: str) -> subprocess.CompletedProcess[str]:
    """``paquet shell ARGS`` with ``stdin`` piped in (not a terminal)."""
    return subprocess.run([sys.executable, "-m", "paquet", "shell", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env=_env(tmp_path, **env), check=False)


def python(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The same with Python itself: the oracle for argv, statuses, what -i prints where."""
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, env=_env(tmp_path), check=False)


# --- the names --------------------------------------------------------------------------------


def test_scapy_names_and_standard_modules_are_there(tmp_path: Path) -> None:
    code = ("print(IP(dst='192.0.2.1').dst, sr1.__name__, ICMP().type, "
            "random.__name__, time.__name__, struct.pack('!H', 1).hex(), "
            "datetime.__name__, os.sep)")
    proc = shell(tmp_path, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["192.0.2.1", "sr1", "8", "random", "time", "0001",
                                   "datetime", os.sep]


def test_the_standard_modules_are_the_ones_scapy_gives() -> None:
    pytest.importorskip("scapy.all")
    scapy: dict[str, Any] = {}
    exec("from scapy.all import *", scapy)
    ours: dict[str, Any] = {}
    exec("from paquet import *", ours)
    # (paquet's own subpackage explain shadows the function explain once something imported
    # paquet.explainer.core before the name was first used: not a standard module, left out)
    modules = {n for n, v in ours.items()
               if isinstance(v, types.ModuleType) and not v.__name__.startswith("paquet")}
    assert modules == set(paquet.STDLIB_MODULES)
    for name in modules:  # each one is a module Scapy's star import gives under that name
        assert isinstance(scapy.get(name), types.ModuleType), name
        assert ours[name] is scapy[name], name
    for name in ("random", "time", "os", "sys", "struct", "socket", "re", "math", "json",
                 "threading", "subprocess", "itertools", "collections"):
        assert name in modules
    # the few plain names taken from them are Scapy's too (datetime is the class, as there)
    for name in ("datetime", "timedelta", "defaultdict", "deque", "namedtuple", "Counter",
                 "partial", "reduce", "choice", "inet_aton", "inet_ntoa", "crc32",
                 "zip_longest", "gmtime", "strftime"):
        assert ours[name] is scapy[name], name


def test_import_paquet_loads_none_of_them() -> None:
    code = ("import sys\nbefore = set(sys.modules)\nimport paquet\n"
            "print(sorted(m for m in paquet.STDLIB_MODULES if m not in before "
            "and m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": SRC}, check=True)
    # the few the lazy loader itself needs are imported by any Python program anyway
    assert set(eval(done.stdout)) <= {"collections", "functools", "itertools", "operator",
                                      "re", "warnings"}


# --- -c, scripts, piped stdin, statuses ------------------------------------------------------


@pytest.mark.parametrize("code", [
    "import sys; print(sys.argv)",
    "exit(3)",
    "import sys; sys.exit(4)",
    "raise SystemExit('bye')",
    "raise SystemExit(None)",
    "print('before'); 1/0",
    "quit()",
])
def test_c_behaves_as_python_c(tmp_path: Path, code: str) -> None:
    ours = shell(tmp_path, "-c", code, "a", "-b")
    theirs = python(tmp_path, "-c", code, "a", "-b")
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout)
    assert ours.stderr.splitlines()[-1:] == theirs.stderr.splitlines()[-1:]


def test_a_script_runs_as_python_runs_it(tmp_path: Path) -> None:
    script = tmp_path / "probe.py"
    script.write_text("import sys\nprint(sys.argv, __name__, __file__)\n"
                      f"print(sys.path[0] == {str(tmp_path)!r})\nsys.exit(len(sys.argv))\n")
    ours = shell(tmp_path, str(script), "x", "--flag")
    theirs = python(tmp_path, str(script), "x", "--flag")
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout) == \
        (3, f"['{script}', 'x', '--flag'] __main__ {script}\nTrue\n")


def test_a_scapy_style_script_needs_no_other_import(tmp_path: Path) -> None:
    script = tmp_path / "craft.py"
    script.write_text(
        "sport = random.randint(1024, 65535)\n"
        "p = IP(dst='198.51.100.7') / TCP(sport=sport, dport=80, flags='S')\n"
        "raw_ = bytes(p)\n"
        "print(struct.unpack('!H', raw_[20:22])[0] == sport, p[TCP].flags)\n")
    proc = shell(tmp_path, str(script))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "True S\n", "")


def test_a_missing_script_is_a_usage_error(tmp_path: Path) -> None:
    proc = shell(tmp_path, str(tmp_path / "nothere.py"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("paquet: error:") and "nothere.py" in proc.stderr


def test_piped_stdin_runs_as_a_script_without_prompt_or_banner(tmp_path: Path) -> None:
    code = "for i in range(2):\n    print(i, IP().ttl)\n\nprint(random.__name__)\nexit(5)\n"
    ours = shell(tmp_path, stdin=code)
    assert (ours.returncode, ours.stdout, ours.stderr) == (5, "0 64\n1 64\nrandom\n", "")
    theirs = python(tmp_path, stdin=code.replace("IP().ttl", "64").replace(
        "random.__name__", "'random'"))
    assert (theirs.returncode, theirs.stdout) == (ours.returncode, ours.stdout)


def test_i_on_a_pipe_behaves_as_python_i(tmp_path: Path) -> None:
    code = "1 + 1\nx = 40\nx + 2\nexit(7)\nprint('never')\n"
    ours = shell(tmp_path, "-i", "-H", stdin=code)
    theirs = python(tmp_path, "-i", "-q", stdin=code)
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout) == (7, "2\n42\n")
    assert ours.stderr.count(">>> ") == theirs.stderr.count(">>> ") == 4  # prompts: on stderr


def test_i_after_c_keeps_the_variables_and_stays_after_an_error(tmp_path: Path) -> None:
    proc = shell(tmp_path, "-i", "-c", "x = IP(ttl=9); 1/0", stdin="x.ttl\n")
    assert (proc.returncode, proc.stdout) == (0, "9\n")
    assert "ZeroDivisionError" in proc.stderr
    assert "Scapy's names" not in proc.stderr  # no banner after -c, as python -i


# --- banner and consoles ----------------------------------------------------------------------


def test_banner_language_and_h(tmp_path: Path) -> None:
    english = shell(tmp_path, "-i", stdin="")
    assert english.returncode == 0
    assert f"paquet {paquet.__version__} (Python {sys.version.split()[0]})" in english.stderr
    assert "Scapy's names are loaded" in english.stderr
    french = shell(tmp_path, "-i", stdin="", LANG="fr_FR.UTF-8")
    assert f"paquet {paquet.__version__}" in french.stderr
    assert "les noms de Scapy sont chargés" in french.stderr
    assert "les noms de Scapy" in shell(tmp_path, "-i", "--lang", "fr", stdin="").stderr
    assert shell(tmp_path, "-i", "-H", stdin="").stderr.strip() == ">>>"
    assert shell(tmp_path, "--lang", "de", stdin="").returncode == 2


def test_lab_without_node_is_a_usage_error(tmp_path: Path) -> None:
    proc = shell(tmp_path, "--lab", "tp", "-c", "pass")
    assert proc.returncode == 2 and "--node" in proc.stderr


def test_console_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAQUET_NO_IPYTHON", raising=False)
    assert choose_console(False, True, ipython_installed=True) == "ipython"
    assert choose_console(False, True, ipython_installed=False) == "python"
    assert choose_console(True, True, ipython_installed=True) == "python"
    assert choose_console(False, False, ipython_installed=True) == "python"
    monkeypatch.setenv("PAQUET_NO_IPYTHON", "1")
    assert choose_console(False, True, ipython_installed=True) == "python"


def test_history_path() -> None:
    assert history_path({"HOME": "/h"}) == Path("/h/.paquet_history")
    assert history_path({"HOME": "/h", "XDG_STATE_HOME": "/s"}) == Path("/s/paquet/history")
    assert history_path({"HOME": "/h", "XDG_STATE_HOME": ""}) == Path("/h/.paquet_history")


def test_plain_console_completes_names_and_keeps_history(tmp_path: Path) -> None:
    state = tmp_path / "state"
    term = Terminal(["--no-ipython"], _env(tmp_path, XDG_STATE_HOME=str(state)), tmp_path)
    term.read_until(b">>> ")
    assert b"Scapy's names are loaded" in term.seen and b"IPython" not in term.seen
    term.type(b"ICMPv6EchoRequ\t).type\r")  # tab completes the class name and its "("
    term.read_until(b"ICMPv6EchoRequest().type\r\n128\r\n")
    term.read_until(b">>> ")
    term.type(b"exit(6)\r")
    assert term.status() == 6
    history = (state / "paquet" / "history").read_text().splitlines()
    assert history == ["ICMPv6EchoRequest().type", "exit(6)"]


def test_without_ipython_the_plain_console_opens(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("IPython") is not None:
        env = _env(tmp_path, PAQUET_NO_IPYTHON="1")  # stands for "not installed"
    else:
        env = _env(tmp_path)
    term = Terminal([], env, tmp_path)
    term.read_until(b">>> ")
    assert b"IPython" not in term.seen
    term.type(b"random.__name__\r")
    term.read_until(b"'random'\r\n>>> ")
    term.type(b"\x04")  # Ctrl-D: end of input, status 0
    assert term.status() == 0
    assert (tmp_path / ".paquet_history").read_text().splitlines() == ["random.__name__"]


def test_ipython_prompt(tmp_path: Path) -> None:
    ipython = pytest.importorskip("IPython")
    term = Terminal([], _env(tmp_path), tmp_path)
    term.read_until(b"to leave.")
    assert f"Using IPython {ipython.__version__}".encode() in term.seen
    term.read_until(b">>> ")  # Scapy's classic prompt, not In [1]:
    term.type(b"print('X=' + IP(dst='192.0.2.9').dst, random.__name__)\r")
    term.read_until(b"X=192.0.2.9 random")
    term.read_until(b">>> ")
    term.type(b"exit(6)\r")
    assert term.status() == 6
