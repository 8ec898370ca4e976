"""TFTP_RRQ_server and TFTP_WRQ_server against Debian's tftp client (tftp-hpa) in a lab: the
server node runs paquet's automaton, the client node gets a file from it and puts one to it
with ``tftp``. Documentation addresses only; the lab's namespaces are removed whatever
happens, the automaton's process is stopped by its own id."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pair_lab import SERVER4, lab_of, pair_topology, start_program

pytestmark = pytest.mark.privileged

SERVER = SERVER4
DATA = bytes(range(256)) * 9 + b"end"  # (several blocks, a short last one)

# The automaton runs in the server node; sockets bound to port 69 and to its own port (which
# never read) keep the kernel from answering the client with "port unreachable".
MACHINE = """
import socket, sys
import paquet as m
kind, iface, out = sys.argv[1:4]
quiet = []
for port in (69, 40069):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.1", port))
    quiet.append(s)
if kind == "rrq":
    atmt = m.TFTP_RRQ_server(store={"boot.img": bytes(range(256)) * 9 + b"end"},
                             ip="192.0.2.1", sport=40069, serve_one=True, iface=iface)
else:
    atmt = m.TFTP_WRQ_server(ip="192.0.2.1", sport=40069, iface=iface)
print("ready", flush=True)  # (its capture opens as it starts: Debian's client retransmits)
result = atmt.run()
if kind == "wrq":
    name, data = result
    open(out, "wb").write(data)
    print(name.decode(), flush=True)
"""


@pytest.fixture(scope="module")
def lab() -> Iterator[Any]:
    if shutil.which("tftp") is None:
        pytest.skip("needs tftp (tftp-hpa)")
    with lab_of(pair_topology("tftpsrv")) as lab:
        yield lab


def _machine(lab: Any, kind: str, out: Path) -> subprocess.Popen[str]:
    server = lab["server"]
    return start_program(server, MACHINE, kind, server.iface("client"), str(out),
                         what="the automaton")


def test_debian_tftp_gets_a_file(lab: Any, tmp_path: Path) -> None:
    proc = _machine(lab, "rrq", tmp_path / "unused")
    try:
        out = tmp_path / "boot.img"
        done = lab["client"].exec(["tftp", "-m", "binary", SERVER, "-c", "get", "boot.img",
                                   str(out)], timeout=60)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes() == DATA
        proc.wait(timeout=30)  # serve_one: the automaton ends after the file
    finally:
        if proc.poll() is None:
            proc.kill()
        _out, err = proc.communicate()
    assert "Traceback" not in err, err


def test_debian_tftp_puts_a_file(lab: Any, tmp_path: Path) -> None:
    src = tmp_path / "config.txt"
    data = os.urandom(512 * 2 + 300)
    src.write_bytes(data)
    received = tmp_path / "received"
    proc = _machine(lab, "wrq", received)
    try:
        done = lab["client"].exec(["tftp", "-m", "binary", SERVER, "-c", "put", str(src),
                                   "config.txt"], timeout=60)
        assert done.returncode == 0, done.stderr
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert "Traceback" not in err, err
    assert out.strip() == "config.txt"
    assert received.read_bytes() == data
