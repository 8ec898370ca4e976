"""What the lab tests of one client and one server share: their topology (two nodes on one
link of 192.0.2.0/24, the client .10, the server .1, an IPv6 documentation prefix when asked),
the lab made and removed around a test module, and a Python program run in a node (paquet on
its path) that says ``ready`` once it listens, stopped by its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import paquet
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

CLIENT4, SERVER4 = "192.0.2.10", "192.0.2.1"


def pair_topology(name: str, ipv6: str | None = None) -> str:
    """The topology text of the lab ``name``: ``client`` and ``server`` on one link."""
    v6 = f'ipv6 = "{ipv6}"\n' if ipv6 else ""
    return (f'name = "{name}"\n[nodes.client]\n[nodes.server]\n[[links]]\n'
            f'nodes = ["client", "server"]\nsubnet = "192.0.2.0/24"\n{v6}'
            "address = { client = 10, server = 1 }\n")


@contextmanager
def lab_of(topology: str) -> Iterator[Any]:
    """The lab of ``topology`` (a text), removed on leaving whatever happened."""
    factory = LabFactory()
    try:
        yield factory(parse(topology))
    finally:
        factory.close()


def start_program(node: Any, program: str, *args: str, stdin: Any = None,
                  what: str = "the program") -> subprocess.Popen[str]:
    """``python -c program args...`` started in ``node``, once it has printed ``ready``
    (else killed, and an AssertionError with its error output)."""
    env = {**os.environ, "PYTHONPATH": str(Path(paquet.__file__).parent.parent)}
    proc = node.popen([sys.executable, "-c", program, *args], stdin=stdin,
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise AssertionError(f"{what} did not start: {proc.communicate()[1]}")
    return proc


def machines_program(machines: str, setup: str = "") -> str:
    """The program of a node that runs answering machines in the background until its
    standard input closes: ``setup`` lines, then ``machines``, the text of a list of them
    (``m`` is paquet, ``iface`` the program's first argument); ``ready`` once each one's
    capture socket is open."""
    return (f"import socket, sys\nimport paquet as m\niface = sys.argv[1]\n{setup}"
            f"machines = {machines}\n"
            "for am in machines:\n    am.bg()  # returns once its capture socket is open\n"
            'print("ready", flush=True)\nsys.stdin.read()\n'
            "for am in machines:\n    am.stop()\n")


@contextmanager
def program_running(node: Any, program: str, *args: str,
                    what: str = "the program") -> Iterator[subprocess.Popen[str]]:
    """:func:`start_program` until leaving, then stopped by closing its standard input (or
    killed after 15 s); a Python traceback in its error output fails the test."""
    proc = start_program(node, program, *args, stdin=subprocess.PIPE, what=what)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            try:
                _out, err = proc.communicate("", timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                _out, err = proc.communicate()
            assert "Traceback" not in err, err
