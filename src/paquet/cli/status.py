"""The exit statuses of every ``paquet`` command (see ``main``)."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitStatus"]


class ExitStatus(IntEnum):
    """What a command's exit status says.

    >>> int(ExitStatus.NEGATIVE), ExitStatus(2).name
    (1, 'ERROR')
    """

    OK = 0
    """Success: the command did what was asked and everything checked out."""
    NEGATIVE = 1
    """A negative result: nothing answered, not found, a wrong checksum, not the same subnet."""
    ERROR = 2
    """Bad input or usage, a missing privilege, no route: one line on stderr says which."""
    INTERRUPTED = 130
    """Interrupted by Ctrl-C (128 + SIGINT), as shells report it."""
