"""Taking a lab's name (``paquet.lab.state.claim``), step by step, without building anything.

The race that made two ``lab up`` of one name both build: the first had created the state
directory but not yet written its state, and the second took that for a crash's leftovers.
Now the directory is locked (flock) by its builder, and only a free lock means a dead build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from paquet.errors import LabError
from paquet.lab import state


@pytest.fixture
def labs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state directory of our own; no namespaces exist for its labs (unless a test says so)."""
    root = tmp_path / "labs"
    monkeypatch.setenv("PAQUET_LAB_STATE", str(root))
    monkeypatch.setenv("PAQUET_LAB_PREFIX", f"pqc{os.getpid()}-")
    yield root


def test_a_name_being_built_is_refused_even_before_its_state_exists(labs: Path) -> None:
    first = state.claim("x")
    assert first.folder == labs / "x" and list(first.folder.iterdir()) == []  # no state yet
    with pytest.raises(LabError) as info:
        state.claim("x")
    assert str(info.value) == ("lab 'x' is being built by another process (wait for it, or "
                               "paquet lab down x; or choose another name with --name)")
    assert first.folder.exists()  # the refused claim touched nothing
    first.release()
    first.release()  # idempotent
    second = state.claim("x")  # free again: no state, no namespaces, so it is ours
    second.release()


def test_another_process_holding_the_name_is_seen(labs: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from paquet.lab.state import claim; c = claim('y'); print('held', "
         "flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LabError, match="being built by another process"):
            state.claim("y")
        holder.kill()  # SIGKILL: the kernel drops its lock
        holder.wait()
        taken = state.claim("y")
        taken.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_leftovers_of_a_dead_build_are_cleared(labs: Path) -> None:
    folder = labs / "z"
    (folder / "logs" / "server").mkdir(parents=True)
    (folder / "logs" / "server" / "udp-7.jsonl").write_text("{}\n")
    (folder / "state.json").write_text(json.dumps(
        {"name": "z", "complete": False, "namespaces": [], "pids": [os.getpid()]}))
    taken = state.claim("z")
    try:
        assert taken.folder == folder and list(folder.iterdir()) == []
    finally:
        taken.release()
    assert Path(f"/proc/{os.getpid()}").exists()  # a recorded pid that is not a service: spared


def test_a_complete_lab_with_its_namespaces_is_already_up(
        labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (labs / "w").mkdir(parents=True)
    (labs / "w" / "state.json").write_text(json.dumps({"name": "w", "complete": True}))
    prefix = state.ns_prefix("w")
    monkeypatch.setattr(state, "list_namespaces", lambda pfx: [prefix + "a"] if pfx == prefix
                        else [])
    with pytest.raises(LabError, match="a lab named 'w' is already up"):
        state.claim("w")
    assert (labs / "w" / "state.json").exists()
    # The same state without namespaces is a crashed lab: taken over.
    monkeypatch.setattr(state, "list_namespaces", lambda pfx: [])
    state.claim("w").release()
    assert list((labs / "w").iterdir()) == []


def test_namespaces_without_a_state_here_are_left_alone(
        labs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # e.g. a lab of that name built with another PAQUET_LAB_STATE: not ours to remove.
    prefix = state.ns_prefix("v")
    monkeypatch.setattr(state, "list_namespaces", lambda pfx: [prefix + "a"] if pfx == prefix
                        else [])

    def no_removal(*args: object) -> None:
        raise AssertionError("nothing may be removed")

    monkeypatch.setattr(state, "remove_namespace", no_removal)
    monkeypatch.setattr(state, "kill_pids", no_removal)
    with pytest.raises(LabError, match="a lab named 'v' is already up"):
        state.claim("v")
    # A dead build of ours (its incomplete state is here) is cleared, namespaces included.
    (labs / "v" / "state.json").write_text(json.dumps(
        {"name": "v", "complete": False, "namespaces": [prefix + "a"], "pids": []}))
    removed: list[str] = []
    monkeypatch.setattr(state, "remove_namespace", removed.append)
    monkeypatch.setattr(state, "kill_pids", lambda pids: None)
    state.claim("v").release()
    assert removed == [prefix + "a"]
