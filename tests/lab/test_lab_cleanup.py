"""No leaks: after down, after a failure, after SIGKILL of ``paquet lab up`` + ``down --all``.

The crash tests use their own namespace prefix and state directory (PAQUET_LAB_PREFIX,
PAQUET_LAB_STATE), so their ``down --all`` cannot touch labs other tests have up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_helpers import live_processes, processes_using, root_links

from paquet.errors import LabError
from paquet.lab import Lab
from paquet.lab.netns import list_namespaces
from paquet.lab.state import lab_dir, ns_prefix
from paquet.lab.testing import LabFactory, unique_lab_name
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged




def assert_gone(name: str, before: set[str]) -> None:
    assert list_namespaces(ns_prefix(name)) == []
    assert not lab_dir(name).exists()
    assert live_processes(str(lab_dir(name))) == []
    # nor a process the lab's servers forked as they were killed (nginx's worker)
    assert processes_using(str(lab_dir(name)) + "/") == []
    assert root_links() <= before  # nothing was ever created in the root namespace


def test_up_down_cycles_leave_nothing() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    name = unique_lab_name("cycle")
    for _ in range(5):  # down at once after up: the servers may still be forking
        lab = Lab.up("tp", name=name)
        assert len(list_namespaces(ns_prefix(name))) == 8 + 2  # nodes + two LAN switches
        assert len(live_processes(f"{lab_dir(name)}/services/")) == 3  # one Python per node
        # and its real servers: three dnsmasq, nginx, chronyd, snmpd (its pids in the map)
        assert len({s["pid"] for n in lab.nodes.values() for s in n.servers}) == 6
        lab.down()
        assert_gone(name, before)
    lab.down()  # idempotent


def test_a_failing_test_body_still_cleans_up() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    name = unique_lab_name("fail")
    with pytest.raises(RuntimeError, match="boom"), Lab.up("chain:2", name=name) as lab:
        assert lab["client"].exec(["true"]).returncode == 0
        raise RuntimeError("boom")
    assert_gone(name, before)
    with pytest.raises(LabError, match="no lab named"):
        Lab.attach(name)


def test_a_failing_build_removes_what_it_made() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    topo = parse('[nodes.a]\n[nodes.b]\nsysctls = { "net.ipv4.no_such_knob" = 1 }\n'
                 '[[links]]\nnodes = ["a", "b"]\n')
    name = unique_lab_name("broken")
    with pytest.raises(LabError, match="no_such_knob"):
        Lab.up(topo, name=name)
    assert_gone(name, before)


def test_services_that_do_not_start_fail_the_build_cleanly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    monkeypatch.setattr("paquet.lab.builder.SERVICE_READY_TIMEOUT", 0.0)
    name = unique_lab_name("slow")
    with pytest.raises(LabError, match="did not start within 0 s"):
        Lab.up("chain:1", name=name)
    assert_gone(name, before)


def test_two_labs_at_once_and_name_clash(lab_factory: LabFactory) -> None:
    one = lab_factory("chain", n=1)
    two = lab_factory("chain", n=1)
    assert one.name != two.name
    assert one["client"].addr() == two["client"].addr()  # same plan, separate networks
    assert one["client"].exec(["ping", "-c1", "-W1", one["server"].addr()]).returncode == 0
    assert two["client"].exec(["ping", "-c1", "-W1", two["server"].addr()]).returncode == 0
    with pytest.raises(LabError, match="already up"):
        Lab.up("chain:1", name=one.name)
    assert one["server"].exec(["true"]).returncode == 0  # the clash did not harm the first


@pytest.fixture
def isolated(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a lab world of our own: prefix and state directory."""
    env = dict(os.environ)
    env["PAQUET_LAB_PREFIX"] = f"pqk{os.getpid()}-"
    env["PAQUET_LAB_STATE"] = str(tmp_path / "labs")
    try:
        yield env
    finally:
        subprocess.run([sys.executable, "-m", "paquet", "lab", "down", "--all"], env=env,
                       capture_output=True, timeout=60)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paquet", "lab", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def _leftovers(env: dict[str, str]) -> tuple[list[str], list[int], list[str]]:
    prefix = env["PAQUET_LAB_PREFIX"]
    state = Path(env["PAQUET_LAB_STATE"])
    labs = sorted(p.name for p in state.iterdir()) if state.exists() else []
    return list_namespaces(prefix), live_processes(str(state)), labs


def test_up_exits_leaving_the_lab_running_then_down_all(isolated: dict[str, str]) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    up = _cli(isolated, "up", "tp", "--name", "kept")
    assert up.returncode == 0, up.stderr
    assert "203.0.113.10/26" in up.stdout
    namespaces, processes, labs = _leftovers(isolated)
    assert len(namespaces) == 10 and labs == ["kept"]
    services = live_processes(f"{isolated['PAQUET_LAB_STATE']}/kept/services/")
    # one Python service process per node with services, and the real servers: three
    # dnsmasq, an nginx master, chronyd, snmpd (their command lines name their configuration)
    assert len(services) == 3 and len(processes) == 3 + 6
    ping = _cli(isolated, "exec", "client", "--", "ping", "-c1", "-W1", "203.0.113.138")
    assert ping.returncode == 0, ping.stderr
    status = _cli(isolated, "status")
    assert "kept" in status.stdout and "up" in status.stdout
    down = _cli(isolated, "down", "--all")
    assert down.returncode == 0 and "kept" in down.stdout
    assert _leftovers(isolated) == ([], [], [])
    assert root_links() <= before


@pytest.mark.parametrize("when", ["namespaces", "services"])
def test_sigkill_of_up_then_down_all(isolated: dict[str, str], when: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = root_links()
    proc = subprocess.Popen([sys.executable, "-m", "paquet", "lab", "up", "chain", "--n", "8",
                             "--name", "crash"], env=isolated, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    prefix = isolated["PAQUET_LAB_PREFIX"]
    state = Path(isolated["PAQUET_LAB_STATE"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if when == "namespaces" and list_namespaces(prefix):
            break
        if when == "services" and live_processes(str(state)):
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list_namespaces(prefix)  # the crash left things behind
    down = _cli(isolated, "down", "--all")
    assert down.returncode == 0, down.stderr
    assert _leftovers(isolated) == ([], [], [])
    assert root_links() <= before


def test_down_of_an_unknown_lab_is_an_error(isolated: dict[str, str]) -> None:
    down = _cli(isolated, "down", "nothere")
    assert down.returncode == 2
    assert down.stderr.strip() == "paquet: error: no lab named 'nothere' (paquet lab status)"
    status = _cli(isolated, "status")
    assert status.returncode == 1 and "no lab is up" in status.stdout


FAILING_TESTS = '''
def test_fails_with_labs(lab_factory, lab_module_factory):
    lab = lab_factory("chain", n=1)
    lab_module_factory("chain", n=2)
    assert lab["client"].exec(["true"]).returncode == 0
    assert False, "deliberate failure"


def test_errors_with_tp(lab_tp):
    raise RuntimeError("deliberate error")
'''


def test_fixtures_clean_up_after_failing_tests(isolated: dict[str, str], tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_failing.py").write_text(FAILING_TESTS)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "paquet.lab.testing", "-p",
         "no:cacheprovider", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        env=isolated, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stdout
    assert "2 failed" in proc.stdout
    assert "deliberate failure" in proc.stdout and "deliberate error" in proc.stdout
    assert _leftovers(isolated) == ([], [], [])


SLOW_TEST = """
import time


def test_builds_then_waits(lab_factory):
    lab_factory("chain", n=1)
    time.sleep(60)
"""


@pytest.mark.parametrize("when", ["building", "built"])
def test_sigterm_of_a_test_run_takes_its_labs_down(isolated: dict[str, str], tmp_path: Path,
                                                   when: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_slow.py").write_text(SLOW_TEST)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-p", "paquet.lab.testing", "-p",
         "no:cacheprovider", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        env=isolated, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not live_processes(isolated["PAQUET_LAB_STATE"]):
            time.sleep(0.01)
        assert list_namespaces(isolated["PAQUET_LAB_PREFIX"])
        if when == "built":
            states = list(Path(isolated["PAQUET_LAB_STATE"]).glob("*/state.json"))
            while time.monotonic() < deadline and not (
                    states and '"complete": true' in states[0].read_text()):
                time.sleep(0.01)
                states = list(Path(isolated["PAQUET_LAB_STATE"]).glob("*/state.json"))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _leftovers(isolated) == ([], [], [])
