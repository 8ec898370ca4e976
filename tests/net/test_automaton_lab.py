"""``TCP_client`` in the ``tp`` lab against the server's TCP echo service, and Scapy's
``TCP_client`` in the same lab: the same echo, a clean close seen by the server, and no
nftables table left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paquet

CLIENT = r"""
import subprocess, sys
lib, dst = sys.argv[1:3]
if lib == "scapy":
    import scapy.all as m
    # Scapy does not silence the kernel: the test does it, for Scapy only, as its docs say.
    subprocess.run(["nft", "-f", "-"], check=True, text=True, input=
        "table inet scapy_test {\n chain out {\n  type filter hook output priority -300;\n"
        "  tcp dport 10000 tcp flags & rst == rst drop\n }\n}\n")
else:
    import paquet as m
try:
    link = m.TCP_client.tcplink(m.Raw, dst, 10000)
    got = link.sr1(m.Raw(b"hello, echo"), timeout=10, verbose=0)
    print(bytes(got.load) if got is not None else None, flush=True)
    link.close()
finally:
    if lib == "scapy":
        subprocess.run(["nft", "delete", "table", "inet", "scapy_test"], check=False)
print(subprocess.run(["nft", "list", "tables"], capture_output=True, text=True).stdout.split())
"""


def _echo(tp: Any, lib: str) -> tuple[str, list[str]]:
    server = tp["server"]
    server.clear_logs("tcp:10000")
    env = dict(os.environ, PYTHONPATH=str(Path(paquet.__file__).parents[1]))
    proc = tp["client"].popen([sys.executable, "-c", CLIENT, lib, server.addr()],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env)
    try:
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    events = [r.event for r in server.wait_logs("tcp:10000", 3, timeout=5)]
    lines = out.splitlines()
    return lines[0], [*events, lines[1]]


def test_tcp_client_echo_as_scapy(tp: Any) -> None:
    pytest.importorskip("scapy.all")
    ours = _echo(tp, "paquet")
    theirs = _echo(tp, "scapy")
    assert ours[0] == theirs[0] == "b'hello, echo'"
    # What the server saw: a connection, the data, and a clean close (no RST), as with Scapy.
    assert ours[1][:-1] == theirs[1][:-1] == ["connect", "recv", "close"]
    assert "paquet_tcp_" not in ours[1][-1]  # our nftables table is gone
