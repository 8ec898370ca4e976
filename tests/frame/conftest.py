"""Fixtures of the frame tests: the captures (built once per session), and an optional
package made to look absent."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyarrow")

from tests.frame.captures import write_mixed

DATA = Path(__file__).resolve().parents[1] / "data"
#: The suite's captures of real loopback traffic (tests/data/README.md).
REAL = sorted(p for p in DATA.iterdir() if p.suffix in (".pcap", ".pcapng"))


@pytest.fixture
def hide_module(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """``hide_module(NAME)`` makes ``import NAME`` (and of its submodules) fail for the rest
    of the test, as when that optional package is not installed."""
    real_import = builtins.__import__

    def hide(name: str) -> None:
        def fake(mod: str, *args: Any, **kwargs: Any) -> Any:
            if mod == name or mod.startswith(name + "."):
                raise ImportError(mod)
            return real_import(mod, *args, **kwargs)

        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            monkeypatch.delitem(sys.modules, mod)
        monkeypatch.setattr(builtins, "__import__", fake)

    return hide


@pytest.fixture(scope="session")
def mixed_pcap(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_mixed(tmp_path_factory.mktemp("frame") / "mixed.pcap")
