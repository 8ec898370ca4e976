"""Two ``paquet lab up`` of one name at the same moment: exactly one lab, one clear refusal.

The name is taken atomically (an flock on the lab's state directory, see ``lab/state.py``); a
build killed with SIGKILL frees it (the kernel drops the lock) and leaves nothing that ``up`` or
``down`` cannot remove. These tests use their own namespace prefix and state directory
(PAQUET_LAB_PREFIX, PAQUET_LAB_STATE), so nothing they do can touch another lab.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_helpers import live_processes, root_links

from paquet.lab.netns import list_namespaces

pytestmark = pytest.mark.privileged

#: Start ``paquet lab ARGS`` at wall-clock time START: the interpreter and paquet are loaded
#: first, so the two racing commands reach the claim within a millisecond or so of each other.
RACER = """
import sys, time
from paquet.cli.main import main
import paquet.lab.builder
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
sys.exit(main(["lab", *sys.argv[2:]]))
"""

ALREADY = "paquet: error: a lab named 'race' is already up (paquet lab down race, or choose " \
    "another name with --name)"
BEING_BUILT = "paquet: error: lab 'race' is being built by another process (wait for it, or " \
    "paquet lab down race; or choose another name with --name)"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, str]]:
    """An environment with a lab prefix and state directory of its own, emptied at the end."""
    if os.geteuid() != 0:
        pytest.skip("needs root (network namespaces)")
    env = dict(os.environ)
    env["PAQUET_LAB_PREFIX"] = f"pqr{os.getpid()}-"
    env["PAQUET_LAB_STATE"] = str(tmp_path / "labs")
    try:
        yield env
    finally:
        subprocess.run([sys.executable, "-m", "paquet", "lab", "down", "--all"], env=env,
                       capture_output=True, timeout=120)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paquet", "lab", *args], env=env,
                          capture_output=True, text=True, timeout=120)




def _leftovers(env: dict[str, str]) -> tuple[list[str], list[int], list[str]]:
    """(namespaces, service processes, state entries) of this world."""
    state = Path(env["PAQUET_LAB_STATE"])
    entries = sorted(p.name for p in state.iterdir()) if state.exists() else []
    return (list_namespaces(env["PAQUET_LAB_PREFIX"]), live_processes(str(state)), entries)


def _race(env: dict[str, str], lag: float) -> list[subprocess.CompletedProcess[str]]:
    """Two ``lab up chain --n 1 --name race``, the second ``lag`` seconds after the first."""
    start = time.time() + 1.0  # both interpreters are up and waiting by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(start + delay), "up", "chain", "--n", "1",
             "--name", "race", "--json"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for delay in (0.0, lag)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


# Lags from "the same instant" (where the race was: 5 of 40 pairs failed before the lock) to
# well inside the other's build (chain 1 takes ~0.3 s).
LAGS = [0.0, 0.0, 0.0, 0.0, 0.0001, 0.0003, 0.0005, 0.001, 0.003, 0.01, 0.05, 0.2]


def test_two_ups_of_one_name_at_once_make_exactly_one_lab(world: dict[str, str]) -> None:
    before = root_links()
    prefix = world["PAQUET_LAB_PREFIX"]
    for i, lag in enumerate(LAGS):
        first, second = _race(world, lag)
        codes = sorted([first.returncode, second.returncode])
        assert codes == [0, 2], (lag, first.stderr, second.stderr)
        winner, loser = (first, second) if first.returncode == 0 else (second, first)
        assert winner.stderr == ""
        assert json.loads(winner.stdout)["name"] == "race"
        assert loser.stdout == ""
        assert loser.stderr.splitlines() in ([ALREADY], [BEING_BUILT]), loser.stderr
        # The lab is whole and works: three nodes, the client reaches the server.
        assert sorted(list_namespaces(prefix)) == [f"{prefix}race-{n}"
                                                   for n in ("client", "r1", "server")]
        status = json.loads(_cli(world, "status", "--json").stdout)
        assert [(row["name"], row["up"]) for row in status] == [("race", True)]
        if i == 0:  # (the same build each time: one ping shows the built lab works)
            ping = _cli(world, "exec", "--lab", "race", "client", "--", "ping", "-c1", "-W2",
                        "203.0.113.10")
            assert ping.returncode == 0, ping.stdout + ping.stderr
        down = _cli(world, "down", "race")
        assert down.returncode == 0, down.stderr
        assert _leftovers(world) == ([], [], [])
        assert root_links() <= before


def _start_up(env: dict[str, str], name: str, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "paquet", "lab", "up", "chain", "--n", str(n), "--name", name],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for_namespaces(env: dict[str, str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not list_namespaces(env["PAQUET_LAB_PREFIX"]):
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.002)


def test_up_while_another_builds_is_refused(world: dict[str, str]) -> None:
    slow = _start_up(world, "race", 20)
    try:
        _wait_for_namespaces(world)
        second = _cli(world, "up", "chain", "--n", "1", "--name", "race")
        assert second.returncode == 2
        # Still building (the usual case), or finished meanwhile on a fast machine.
        assert second.stderr.splitlines() in ([BEING_BUILT], [ALREADY]), second.stderr
        assert slow.wait(timeout=120) == 0, slow.stderr
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.wait()
    nodes = [ns.removeprefix(world["PAQUET_LAB_PREFIX"] + "race-")
             for ns in list_namespaces(world["PAQUET_LAB_PREFIX"])]
    routers = [n for n in nodes if n[0] == "r" and n[1:].isdigit()]
    assert len(routers) == 20  # the first build, untouched by the refused one
    assert _cli(world, "down", "race").returncode == 0
    assert _leftovers(world) == ([], [], [])


@pytest.mark.parametrize("after", ["up", "down"])
def test_a_build_killed_mid_way_does_not_block_the_name(world: dict[str, str],
                                                        after: str) -> None:
    before = root_links()
    killed = _start_up(world, "race", 20)
    _wait_for_namespaces(world)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert list_namespaces(world["PAQUET_LAB_PREFIX"])  # the kill left a half-built lab
    if after == "up":
        # The dead build's lock went with it: a new up takes the name, clearing what was left.
        again = _cli(world, "up", "chain", "--n", "1", "--name", "race")
        assert again.returncode == 0, again.stderr
        assert len(list_namespaces(world["PAQUET_LAB_PREFIX"])) == 3
        ping = _cli(world, "exec", "client", "--", "ping", "-c1", "-W2", "203.0.113.10")
        assert ping.returncode == 0, ping.stdout + ping.stderr
    down = _cli(world, "down", "race")
    assert down.returncode == 0, down.stderr
    assert _leftovers(world) == ([], [], [])
    assert root_links() <= before
