"""What the tests of the click-free command lines (``paquet.cli.*_fast``) share: a command
line run by the fast path, then by click alone, must end and print the same."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from paquet.cli.main import main


def run_by_click(fast: ModuleType, command: str, argv: list[str],
                 monkeypatch: pytest.MonkeyPatch) -> int:
    """``paquet COMMAND ARGV`` with ``fast``'s parser declining it: the click command runs it."""
    with monkeypatch.context() as m:
        m.setattr(fast, "parse", lambda argv: None)
        return main([command, *argv])


def check_goes_to_click(fast: ModuleType, command: str, argv: list[str],
                        calls: list[dict[str, Any]] | None, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    """``argv`` is not the fast path's, and runs the same with or without it (the same exit
    status, output and, when ``calls`` records them, the same calls to the library)."""
    assert fast.parse(argv) is None
    status = main([command, *argv])
    first = capsys.readouterr()
    assert status == run_by_click(fast, command, argv, monkeypatch)
    assert first == capsys.readouterr()
    if calls is not None:
        assert len(calls) in (0, 2)
        if calls:
            assert calls[0] == calls[1]


def fresh_run(setup: str, argv: list[str]) -> tuple[int, bool, bool]:
    """Run ``paquet ARGV`` in a fresh interpreter after ``setup`` (Python that replaces the
    library call with a stand-in): (exit status, whether click was imported, whether rich)."""
    code = (f"import sys\n{setup}\nfrom paquet.cli.main import main\nrc = main({argv!r})\n"
            "print(rc, 'click' in sys.modules, 'rich' in sys.modules, file=sys.stderr)\n")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stderr.splitlines()
    rc, click, rich = err[-1].split()
    return int(rc), click == "True", rich == "True"
