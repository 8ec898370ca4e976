"""pytest fixtures for tests that need a real network: labs built, and always removed.

Enable with ``pytest_plugins = ["paquet.lab.testing"]`` in a ``conftest.py``. Then::

    @pytest.mark.privileged
    def test_ping(lab_tp):
        assert lab_tp["client"].exec(["ping", "-c1", lab_tp["server"].addr()]).returncode == 0

    @pytest.mark.privileged
    def test_hops(lab_factory):
        lab = lab_factory("chain", n=4)        # or "chain:4", a TOML path, a Topology

Every lab gets a unique name (tests may run in parallel, or next to a lab a user has up) and is
taken down when its scope ends, whether the test passed, failed or raised. Without root the
fixtures skip the test.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paquet.lab.core import Lab
from paquet.lab.topology import Topology

__all__ = ["LabFactory", "lab_factory", "lab_module_factory", "lab_tp", "unique_lab_name"]

_counter = itertools.count()


def unique_lab_name(stem: str = "t") -> str:
    """A lab name no other test process uses: ``STEM_PID_N``."""
    stem = re.sub(r"[^a-z0-9]", "", stem.lower())[:8] or "t"
    if not stem[0].isalpha():
        stem = "t" + stem[:7]
    return f"{stem}_{os.getpid()}_{next(_counter)}"


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
        lab = Lab.up(ref, name=name or unique_lab_name(stem), **params)
        self.labs.append(lab)
        return lab

    def close(self) -> None:
        """Take every lab this factory built down (the first error is raised after all)."""
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
