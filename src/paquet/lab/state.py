"""What a running lab created, saved on disk, and how to remove it (also after a crash).

Each lab has a directory ``/run/paquet/labs/NAME/`` (``PAQUET_LAB_STATE`` overrides the root)
holding ``state.json`` (its namespaces, service processes and map), the service specs and the
service logs. Everything a lab creates lives in namespaces named ``pq-NAME-...``: removing those
namespaces (after killing the processes inside) removes its veths, bridges, nft tables and qdiscs
with them, so a crashed lab is cleaned up from its name prefix alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from paquet.errors import LabError
from paquet.lab.netns import (
    kill_pids,
    list_namespaces,
    pids_in_namespaces,
    remove_namespace,
    remove_netns_files,
)

__all__ = [
    "PREFIX",
    "Claim",
    "claim",
    "lab_dir",
    "labs_on_disk",
    "load_state",
    "node_ns",
    "ns_prefix",
    "prefix",
    "save_state",
    "state_root",
    "switch_ns",
    "teardown",
    "teardown_all",
]

#: the default prefix of every namespace a lab creates; PAQUET_LAB_PREFIX (starting with "pq")
#: overrides it, which keeps an experiment's ``down --all`` away from other labs.
PREFIX = "pq-"
#: how many times a teardown looks for processes left in the lab's namespaces
KILL_ROUNDS = 5


def prefix() -> str:
    """The namespace prefix in force: ``PAQUET_LAB_PREFIX`` or ``pq-``."""
    value = os.environ.get("PAQUET_LAB_PREFIX", PREFIX)
    if not value.startswith("pq") or not value.endswith("-") or "/" in value:
        raise LabError(f"PAQUET_LAB_PREFIX={value!r}: it must start with 'pq' and end with '-'")
    return value


def state_root() -> Path:
    """The directory holding one sub-directory per lab."""
    return Path(os.environ.get("PAQUET_LAB_STATE", "/run/paquet/labs"))


def lab_dir(name: str) -> Path:
    """The state directory of lab ``name``."""
    return state_root() / name


def ns_prefix(name: str) -> str:
    """The prefix of every namespace of lab ``name``: ``pq-NAME-``."""
    return f"{prefix()}{name}-"


def node_ns(lab: str, node: str) -> str:
    """The namespace of ``node`` in lab ``lab``: ``pq-LAB-NODE``."""
    return f"{prefix()}{lab}-{node}"


def switch_ns(lab: str, link: str) -> str:
    """The namespace of the switch of LAN ``link``: ``pq-LAB-sw-LINK``."""
    return f"{prefix()}{lab}-sw-{link}"


def save_state(name: str, data: dict[str, Any]) -> None:
    """Write ``state.json`` of lab ``name`` atomically."""
    folder = lab_dir(name)
    tmp = folder / f".state.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data), "utf-8")
    tmp.replace(folder / "state.json")


def load_state(name: str) -> dict[str, Any] | None:
    """The saved state of lab ``name``, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((lab_dir(name) / "state.json").read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def labs_on_disk() -> list[str]:
    """Names of the labs that have a state directory or namespaces (running, or crashed)."""
    names: set[str] = set()
    with contextlib.suppress(FileNotFoundError):
        names.update(p.name for p in state_root().iterdir() if p.is_dir())
    pfx = prefix()
    for ns in list_namespaces(pfx):
        rest = ns[len(pfx):]
        if "-" in rest:
            names.add(rest.split("-", 1)[0])
    return sorted(names)


class Claim:
    """Lab ``name``'s state directory, held for one build: an exclusive ``flock`` on it.

    The lock is the kernel's: it goes away with the process holding it, even after ``kill -9``,
    so a dead build never blocks the name. :meth:`release` (or the process's end) frees it.
    """

    def __init__(self, name: str, folder: Path, fd: int) -> None:
        self.name = name
        self.folder = folder
        self._fd: int | None = fd

    def release(self) -> None:
        """Free the name for other builds (the state directory itself stays). Idempotent."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def claim(name: str) -> Claim:
    """Take lab ``name`` for a build, atomically: exactly one of several racing callers wins.

    The others get a one-line LabError: the lab is being built (its builder holds the lock), or
    is already up (a complete state and namespaces). What a dead build left behind (its lock went
    with it) is removed first, so the name is never blocked for good.
    """
    root = state_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = lab_dir(name)
    for _ in range(20):
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue  # removed between the two calls (a down, a failed build): again
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LabError(f"lab {name!r} is being built by another process (wait for it, or "
                           f"paquet lab down {name}; or choose another name with --name)") from None
        try:
            if not _is_current(fd, folder):
                os.close(fd)  # removed (maybe made again) before we locked it: again
                continue
            _take_over(name, folder)
        except BaseException:
            os.close(fd)
            raise
        return Claim(name, folder, fd)
    raise LabError(f"lab {name!r}: its state directory {folder} keeps disappearing")


def _is_current(fd: int, folder: Path) -> bool:
    """True when ``fd`` (a locked directory) is still what ``folder`` names."""
    try:
        now = folder.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def _take_over(name: str, folder: Path) -> None:
    """With the lock held: refuse a lab that is up, else clear what an unfinished one left.

    Namespaces without a state here are not ours to remove (another state directory's lab, or
    leftovers ``down`` removes): they count as a lab that is up.
    """
    state = load_state(name)
    namespaces = list_namespaces(ns_prefix(name))
    if namespaces and (state is None or state.get("complete")):
        raise LabError(f"a lab named {name!r} is already up (paquet lab down {name}, or choose "
                       "another name with --name)")
    if state is not None:
        namespaces = sorted({*namespaces, *(n for n in state.get("namespaces", [])
                                            if isinstance(n, str) and n.startswith(prefix()))})
    remove_netns_files(ns_prefix(name))
    if namespaces or state is not None:
        _kill_all(namespaces, _service_pids(state))
        for ns in namespaces:
            remove_namespace(ns)
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _service_pids(state: dict[str, Any] | None) -> list[int]:
    """Recorded service processes that still run our service module (pids can be reused)."""
    out = []
    for pid in (state or {}).get("pids", []):
        try:
            cmdline = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if b"paquet.lab.services" in cmdline:
            out.append(int(pid))
    return out


def _kill_all(namespaces: Iterable[str], extra: list[int] | None = None) -> None:
    """Kill every process inside ``namespaces`` (and ``extra``), again until none is left: a
    server may have been forking (nginx its worker, dnsmasq a TCP child) as it was killed."""
    namespaces = list(namespaces)
    pids = pids_in_namespaces(namespaces) + (extra or [])
    for _ in range(KILL_ROUNDS):
        if not pids:
            return
        kill_pids(pids)
        pids = pids_in_namespaces(namespaces)


def teardown(name: str) -> bool:
    """Remove lab ``name``: kill its processes, delete its namespaces and its state directory.

    Works from any process and after a crash. Returns False when nothing of it was found.
    """
    state = load_state(name)
    namespaces = set(list_namespaces(ns_prefix(name)))
    if state is not None:
        namespaces.update(n for n in state.get("namespaces", []) if n.startswith(prefix()))
    folder = lab_dir(name)
    remove_netns_files(ns_prefix(name))
    if not namespaces and not folder.exists():
        return False
    _kill_all(namespaces, _service_pids(state))
    for ns in sorted(namespaces):
        remove_namespace(ns)
    shutil.rmtree(folder, ignore_errors=True)
    return True


def teardown_all() -> list[str]:
    """Remove every lab found (state directories and ``pq-`` namespaces); their names."""
    removed = []
    for name in labs_on_disk():
        if teardown(name):
            removed.append(name)
    # Namespaces with our prefix that fit no lab name pattern.
    stray = list_namespaces(prefix())
    remove_netns_files(prefix())
    if stray:
        _kill_all(stray)
        for ns in stray:
            remove_namespace(ns)
    return removed

