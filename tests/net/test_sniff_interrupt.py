"""Ctrl-C during ``sniff()`` returns what was captured: a child process sniffing in a node of the
``tp`` lab is sent SIGINT after a ping it saw; it prints what sniff returned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import paquet

# Ctrl-C must reach the child even when the suite runs with SIGINT ignored (a background job of a
# shell): Python keeps an ignored SIGINT ignored, so the child asks for the default handler.
SNIFFER = """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)
from paquet import ICMP, sniff
got = sniff(filter="icmp", started_callback=lambda: print("ready", flush=True))
print(sum(1 for p in got if ICMP in p), flush=True)
"""


def test_sigint_returns_the_capture(tp: Any) -> None:
    client = tp["client"]
    env = dict(os.environ, PYTHONPATH=str(Path(paquet.__file__).parents[1]))
    child = client.popen([sys.executable, "-c", SNIFFER], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        ping = client.exec(["ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                            tp["gateway"].addr()], timeout=30)
        replies = ping.stdout.count("bytes from")
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert int(out.strip()) == 3 + replies  # every request and reply ping counted
