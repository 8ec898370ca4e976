"""A program on a pseudo-terminal, for the tests of prompts (``paquet shell``)."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import sys
import time
from pathlib import Path


class Terminal:
    """``paquet shell`` on a pseudo-terminal: type lines, read until a marker appears."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child: never back into pytest
            try:
                os.chdir(cwd)
                os.execve(sys.executable, [sys.executable, "-m", "paquet", "shell", *args], env)
            finally:
                os._exit(127)
        self.seen = b""

    def read_until(self, marker: bytes, timeout: float = 30.0) -> bytes:
        """Everything shown so far, once ``marker`` is in it (AssertionError if it never is)."""
        deadline = time.monotonic() + timeout
        while marker not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{marker!r} never came; got {self.seen[-500:]!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{marker!r} never came; got {self.seen[-500:]!r}")
                if b"\x1b[6n" in chunk:  # prompt_toolkit asks where the cursor is
                    os.write(self.fd, b"\x1b[1;1R")
                self.seen += chunk
        return self.seen

    def type(self, text: bytes) -> None:
        """Type ``text`` (``\\r`` is Enter, ``\\x03`` Ctrl-C, ``\\x04`` Ctrl-D)."""
        os.write(self.fd, text)

    def status(self, timeout: float = 30.0) -> int:
        """The exit status, reading what is left meanwhile (the child may block on a full
        terminal otherwise)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                with contextlib.suppress(OSError):
                    self.seen += os.read(self.fd, 4096)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the shell did not exit; got {self.seen[-500:]!r}")
