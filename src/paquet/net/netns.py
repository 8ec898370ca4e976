"""Entering a network namespace: the one ``setns`` of paquet (lab and capture use it).

``setns(2)`` moves only the calling thread, so callers run it in a thread (or a forked child)
of their own. libc is loaded on first use, never at import.
"""

from __future__ import annotations

import ctypes
import errno
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from paquet.errors import NetworkError, PrivilegeError

__all__ = ["CLONE_NEWNET", "NETNS_RUN_DIR", "enter", "libc", "run_in", "setns"]

CLONE_NEWNET = 0x40000000
"""``clone(2)`` / ``setns(2)`` flag of a network namespace."""
NETNS_RUN_DIR = "/run/netns"
"""Where ``ip netns`` (and the lab) mount named namespaces."""

_libc: ctypes.CDLL | None = None
_T = TypeVar("_T")


def libc() -> ctypes.CDLL:
    """The C library (``errno`` kept for ``ctypes.get_errno``), loaded once on first use."""
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def setns(fd: int) -> None:
    """Move the calling thread into the network namespace open as ``fd``; OSError otherwise."""
    if libc().setns(fd, CLONE_NEWNET) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"setns: {os.strerror(code)}")


def enter(netns: str) -> None:
    """Move the calling thread into network namespace ``netns`` (a name or a path).

    Raises :class:`~paquet.errors.PrivilegeError` without CAP_SYS_ADMIN and
    :class:`~paquet.errors.NetworkError` for a namespace that does not exist.
    """
    path = netns if "/" in netns else f"{NETNS_RUN_DIR}/{netns}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise NetworkError(f"network namespace {netns!r}: {exc.strerror}") from None
    try:
        setns(fd)
    except OSError as exc:
        if exc.errno == errno.EPERM:
            raise PrivilegeError(f"entering namespace {netns!r} needs CAP_SYS_ADMIN") from None
        reason = os.strerror(exc.errno or 0)
        raise NetworkError(f"cannot enter namespace {netns!r}: {reason}") from None
    finally:
        os.close(fd)


def run_in(netns: str | None, func: Callable[[], _T]) -> _T:
    """``func()`` run inside network namespace ``netns`` (see :func:`enter`), in a helper thread
    since setns moves only the calling thread; here when ``netns`` is None. What it raises is
    raised here.

    >>> run_in(None, lambda: 42)
    42
    """
    if netns is None:
        return func()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            enter(netns)
            box["value"] = func()
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    t = threading.Thread(target=target, name=f"netns-{netns}")
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    value: _T = box["value"]
    return value
