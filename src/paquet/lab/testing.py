"""pytest fixtures for tests that need a real network: labs built, and always removed.

Enable with ``pytest_plugins = ["paquet.lab.testing"]`` in a ``conftest.py``. Then::

    @pytest.mark.privileged
    def test_ping(lab_tp):
        assert lab_tp["client"].exec(["ping", "-c1", lab_tp["server"].addr()]).returncode == 0

    @pytest.mark.privileged
    def test_hops(lab_factory):
        lab = lab_factory("chain", n=4)        # or "chain:4", a TOML path, a Topology

Every lab gets a unique name (tests may run in parallel, or next to a lab a user has up) and is
taken down when its scope ends, whether the test passed, failed or raised, and also when the
test run itself is stopped with SIGTERM (``timeout``, CI cancelling a job). Without root the
fixtures skip the test.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from paquet.lab.core import Lab
from paquet.lab.topology import Topology

__all__ = [
    "LabFactory",
    "close_all",
    "lab_factory",
    "lab_module_factory",
    "lab_tp",
    "pytest_configure",
    "unique_lab_name",
]

_counter = itertools.count()


def unique_lab_name(stem: str = "t") -> str:
    """A lab name no other test process uses: ``STEM_PID_N``."""
    stem = re.sub(r"[^a-z0-9]", "", stem.lower())[:8] or "t"
    if not stem[0].isalpha():
        stem = "t" + stem[:7]
    return f"{stem}_{os.getpid()}_{next(_counter)}"


_live: set[LabFactory] = set()
_building: set[str] = set()


def close_all() -> None:
    """Take down every lab of every factory still open in this process (and one being built)."""
    from paquet.lab.state import teardown

    for factory in list(_live):
        with contextlib.suppress(Exception):
            factory.close()
    for name in list(_building):
        with contextlib.suppress(Exception):
            teardown(name)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    close_all()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def pytest_configure(config: pytest.Config) -> None:
    """Take the labs down even when the run is killed with SIGTERM, or exits abruptly."""
    atexit.register(close_all)
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
        signal.signal(signal.SIGTERM, _on_sigterm)


class LabFactory:
    """Builds labs with unique names and takes them all down on :meth:`close`."""

    def __init__(self) -> None:
        self.labs: list[Lab] = []

    def __call__(self, ref: str | Path | Topology, *, name: str | None = None,
                 **params: int) -> Lab:
        """Build ``ref`` (built-in name, ``"chain:8"``, TOML path or Topology) and return it."""
        if os.geteuid() != 0:
            pytest.skip("the lab needs root (network namespaces)")
        stem = ref.name if isinstance(ref, Topology) else Path(str(ref)).stem.split(":")[0]
        lab_name = name or unique_lab_name(stem)
        _building.add(lab_name)
        try:
            lab = Lab.up(ref, name=lab_name, **params)
            self.labs.append(lab)
            _live.add(self)
        finally:
            _building.discard(lab_name)
        return lab

    def close(self) -> None:
        """Take every lab this factory built down (the first error is raised after all)."""
        _live.discard(self)
        first: BaseException | None = None
        while self.labs:
            lab = self.labs.pop()
            try:
                lab.down()
            except BaseException as exc:
                first = first or exc
        if first is not None:
            raise first


@pytest.fixture
def lab_factory() -> Iterator[LabFactory]:
    """Build labs for one test: ``lab_factory("chain", n=4)``; all removed after the test."""
    factory = LabFactory()
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="module")
def lab_module_factory() -> Iterator[LabFactory]:
    """Like ``lab_factory``, shared by a test module: labs removed after its last test."""
    factory = LabFactory()
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="module")
def lab_tp(lab_module_factory: LabFactory) -> Any:
    """The built-in ``tp`` lab, built once per test module."""
    return lab_module_factory("tp")
