"""Ctrl-C while a lab is being built leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from lab_helpers import live_processes

from paquet.lab.netns import NETNS_ETC, list_namespaces

pytestmark = pytest.mark.privileged

# A child that has not ended a minute after the signal prints where it is (faulthandler): a
# teardown waiting on something names it in the failure.
BUILD = ("import faulthandler; faulthandler.dump_traceback_later(60, exit=True); "
         "from paquet.lab import Lab; Lab.up('tp', name={name!r}); print('up', flush=True)")


# Ctrl-C arriving while the thread that starts the servers is itself being started: before the
# thread exists, or once it runs but before the builder holds its result (CI caught the second).
THREAD_START = (
    "import faulthandler, threading; faulthandler.dump_traceback_later(60, exit=True)\n"
    "start = threading.Thread.start\n"
    "def interrupted(self):\n"
    "    if self.name.startswith('paquet-servers') and {after}:\n"
    "        start(self)\n"
    "    if self.name.startswith('paquet-servers'):\n"
    "        raise KeyboardInterrupt\n"
    "    start(self)\n"
    "threading.Thread.start = interrupted\n"
    "from paquet.lab import Lab; Lab.up('tp', name={name!r}); print('up', flush=True)"
)


@pytest.mark.parametrize("after", [False, True], ids=["before-start", "after-start"])
def test_interrupt_while_the_servers_thread_starts(after: bool) -> None:
    name = f"intt_{os.getpid()}_{int(after)}"
    try:
        run = subprocess.run([sys.executable, "-c", THREAD_START.format(after=after, name=name)],
                             capture_output=True, text=True, timeout=120)
        assert "Timeout (0:01:00)!" not in run.stderr, run.stderr
        assert run.stdout == "" and "KeyboardInterrupt" in run.stderr, run.stderr
        assert list_namespaces(f"pq-{name}-") == []
        assert live_processes(f"/{name}/") == []
        assert not [p for p in NETNS_ETC.glob(f"pq-{name}-*")]
    finally:
        subprocess.run([sys.executable, "-m", "paquet", "lab", "down", name],
                       capture_output=True)


@pytest.mark.parametrize("delay", [0.15, 0.25, 0.35, 0.45, 0.6, 0.75])
def test_interrupted_build_removes_what_it_made(delay: float) -> None:
    name = f"intr_{os.getpid()}_{int(delay * 100)}"
    prefix = f"pq-{name}-"
    child = subprocess.Popen(
        [sys.executable, "-c", BUILD.format(name=name)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)  # (a loaded machine: seconds, not minutes)
        assert "Timeout (0:01:00)!" not in err, err
        if "up" in out:
            # The build finished before the signal: the lab is rightly up; take it down.
            subprocess.run([sys.executable, "-m", "paquet", "lab", "down", name], check=True)
        else:
            assert "KeyboardInterrupt" in err
        assert list_namespaces(prefix) == []
        # nor a server process, nor a node's file under /etc/netns
        assert live_processes(f"/{name}/") == []
        assert not [p for p in NETNS_ETC.glob(f"{prefix}*")]
    finally:
        if child.poll() is None:
            child.kill()
        subprocess.run([sys.executable, "-m", "paquet", "lab", "down", name],
                       capture_output=True)
