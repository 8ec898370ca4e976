"""``paquet shell --node`` and ``paquet lab shell`` inside a lab node (chain:1, built once).

Oracles: the node's own tools run by ``lab exec`` (``ip -br addr``), the lab's map, and where
``command -v`` finds programs. Nothing is sent: the shells only read addresses and names.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paquet
from paquet.lab import Lab

pytestmark = pytest.mark.privileged

SRC = str(Path(paquet.__file__).resolve().parent.parent)
BIN = os.path.dirname(os.path.abspath(sys.executable))
# What sudo leaves (secure_path): no venv, no PYTHONPATH.
SUDO_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@pytest.fixture(scope="module")
def lab(lab_module_factory: Any) -> Lab:
    built: Lab = lab_module_factory("chain", n=1)
    return built


def _run(args: list[str], stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("PAQUET_LAB", "PAQUET_NODE")}
    path = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)
    base.update({"PYTHONPATH": path, "LANG": "C.UTF-8", **env})
    return subprocess.run([sys.executable, "-m", "paquet", *args], input=stdin,
                          capture_output=True, text=True, timeout=60, env=base, check=False)


def test_the_python_shell_runs_inside_the_node(lab: Lab) -> None:
    code = ("import socket\n"
            "print(sorted(name for _, name in socket.if_nameindex()))\n"
            "subprocess.run(['ip', '-br', '-4', 'addr', 'show', 'dev', 'eth0'])\n"
            "print(os.environ['PAQUET_LAB'], os.environ['PAQUET_NODE'], IP().ttl)\n")
    proc = _run(["shell", "--lab", lab.name, "--node", "client", "-c", code])
    assert proc.returncode == 0, proc.stderr
    names, addr, where = proc.stdout.splitlines()
    oracle = lab["client"].exec(["ip", "-br", "-4", "addr", "show", "dev", "eth0"], check=True)
    assert addr.strip() == oracle.stdout.strip()
    assert addr.split()[2] == next(i.v4 for i in lab["client"].interfaces if i.name == "eth0")
    links = lab["client"].exec(["ip", "-o", "link"], check=True).stdout.splitlines()
    assert eval(names) == sorted(line.split(": ")[1].split("@")[0] for line in links)
    assert where == f"{lab.name} client 64"


def test_status_stdin_and_banner_through_the_node(lab: Lab) -> None:
    assert _run(["shell", "--lab", lab.name, "--node", "server", "-c", "exit(7)"]) \
        .returncode == 7
    piped = _run(["shell", "--lab", lab.name, "--node", "server"],
                 stdin="print(sorted(n for _, n in socket.if_nameindex()))\nexit(3)\n")
    assert (piped.returncode, piped.stdout) == (3, "['eth0', 'lo']\n")
    prompt = _run(["shell", "--lab", lab.name, "--node", "r1", "-i"], stdin="IP().ttl\n")
    assert (prompt.returncode, prompt.stdout) == (0, "64\n")
    assert f"In node r1 of lab {lab.name}" in prompt.stderr
    french = _run(["shell", "-l", lab.name, "-n", "r1", "-i"], stdin="", LANG="fr_FR.UTF-8")
    assert f"Dans le nœud r1 du lab {lab.name}" in french.stderr


def test_a_missing_node_is_a_clear_error(lab: Lab) -> None:
    proc = _run(["shell", "--lab", lab.name, "--node", "nobody", "-c", "pass"])
    assert proc.returncode == 2 and "no node 'nobody'" in proc.stderr


def test_sudo_path_keeps_this_python_and_paquet(lab: Lab) -> None:
    # paquet run through sudo has a PATH without the venv: inside the node, python and paquet
    # are still this venv's.
    code = "command -v python; command -v paquet; python -c 'import paquet' && echo ok\nexit 4\n"
    proc = subprocess.run(
        [sys.executable, "-m", "paquet", "lab", "shell", "--lab", lab.name, "client"],
        input=code, capture_output=True, text=True, timeout=60, check=False,
        env={"PATH": SUDO_PATH, "SHELL": "/bin/bash", "PYTHONPATH": SRC})
    assert proc.returncode == 4, proc.stderr
    lines = proc.stdout.split()
    assert lines[0] == os.path.join(BIN, "python")
    if os.path.exists(os.path.join(BIN, "paquet")):  # installed (pip install -e .)
        assert lines[1] == os.path.join(BIN, "paquet")
    assert lines[-1] == "ok"
    shell = _run(["shell", "-l", lab.name, "-n", "client", "-c",
                  "import shutil; print(shutil.which('python'))"], PATH=SUDO_PATH)
    assert shell.stdout.strip() == os.path.join(BIN, "python")


def test_ctrl_c_interrupts_the_code_not_the_shell(lab: Lab, tmp_path: Path) -> None:
    from cli.terminal import Terminal

    path = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    term = Terminal(["-l", lab.name, "-n", "client", "--no-ipython", "-H"], env, tmp_path)
    term.read_until(b">>> ")
    term.type(b"print('sleep' + 'ing'); time.sleep(60)\r")
    term.read_until(b"sleeping\r\n")  # the output, not the echo: the code is running now
    term.type(b"\x03")  # SIGINT to the terminal's foreground group: this paquet and the child
    term.read_until(b"KeyboardInterrupt")
    term.read_until(b">>> ")
    term.type(b"print(os.environ['PAQUET_NODE'])\r")
    term.read_until(b"client\r\n>>> ")
    term.type(b"exit(5)\r")
    assert term.status() == 5
