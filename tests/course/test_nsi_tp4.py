"""``paquet.nsi.tracerouteperso`` and ``testport``: loaded on call only, right on the lab
(the system ``traceroute`` and the lab's declared ports are the references)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from typing import Any

import pytest


def test_import_stays_light() -> None:
    code = "import sys, paquet.nsi; print(any(m.startswith('paquet.probe') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    from paquet import nsi

    assert "tracerouteperso" in nsi.__all__ and "testport" in nsi.__all__
    assert nsi.tracerouteperso.__doc__ and "traceroute" in nsi.tracerouteperso.__doc__


def _trace(address: str) -> tuple[list[str], str]:
    from paquet import nsi

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        hops = nsi.tracerouteperso(address)
    return hops, out.getvalue()


def _scan(address: str) -> list[int]:
    from paquet import nsi

    return nsi.testport(address, 1000)


@pytest.mark.privileged
def test_traceroute_and_ports_on_the_lab(lab_tp: Any) -> None:
    remote = lab_tp["remote"].addr()
    hops, printed = lab_tp["client"].run(_trace, remote)
    system = lab_tp["client"].exec(["traceroute", "-n", "-I", "-q", "1", remote]).stdout
    expected = [line.split()[1] for line in system.splitlines()[1:]]
    assert hops == expected and printed.split() == hops and hops[-1] == remote
    target = lab_tp["target"].addr()
    assert lab_tp["client"].run(_scan, target) == [
        21,
        22,
        80,
        443,
    ]  # 8080 is rejected, 23 and 25 closed
