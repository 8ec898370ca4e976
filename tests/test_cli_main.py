"""The command line's frame: exit codes and one-line errors, run in-process."""

from __future__ import annotations

import pytest

from paquet.cli.main import main


def test_unknown_command_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error:")
    assert len(err.strip().splitlines()) == 1


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "Usage" in capsys.readouterr().out


def test_lazy_exports() -> None:
    import paquet

    assert paquet.internet_checksum(b"\x45\x00") == 0xBAFF
    with pytest.raises(AttributeError):
        _ = paquet.no_such_name  # type: ignore[attr-defined]
