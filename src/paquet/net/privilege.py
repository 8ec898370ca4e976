"""Privilege checks: does this process hold CAP_NET_RAW, and how to get it when it does not.

Raw and packet sockets need ``CAP_NET_RAW``. Without it, paquet raises a :class:`PrivilegeError`
whose one line says what is missing and the two usual ways to get it: run as root (``sudo``), or
grant the capability to the interpreter with ``setcap cap_net_raw+ep``.
"""

from __future__ import annotations

import os
import sys

from paquet.errors import PrivilegeError

__all__ = [
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "has_capability",
    "has_net_raw",
    "ping_sockets_allowed",
    "privilege_error",
    "require_net_raw",
]

CAP_NET_ADMIN = 12
CAP_NET_RAW = 13


def _effective_capabilities() -> int:
    """The effective capability set of this process, read from ``/proc/self/status``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except OSError:
        pass
    return (1 << 64) - 1 if os.geteuid() == 0 else 0


def has_capability(cap: int) -> bool:
    """True when the capability number ``cap`` is in this process's effective set.

    >>> has_capability(CAP_NET_RAW) in (True, False)
    True
    """
    return bool(_effective_capabilities() >> cap & 1)


def has_net_raw() -> bool:
    """True when this process may open raw and packet sockets (CAP_NET_RAW)."""
    return has_capability(CAP_NET_RAW)


def ping_sockets_allowed() -> bool:
    """True when the kernel lets this process open unprivileged ICMP sockets.

    Linux allows ``socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`` to the groups in
    ``net.ipv4.ping_group_range`` (per network namespace).
    """
    try:
        with open("/proc/sys/net/ipv4/ping_group_range", encoding="ascii") as f:
            low, high = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        return False
    groups = {os.getegid(), *os.getgroups()}
    return any(low <= g <= high for g in groups)


def interpreter() -> str:
    """The real path of the running Python interpreter (what ``setcap`` must be given)."""
    return os.path.realpath(sys.executable)


def privilege_error(what: str) -> PrivilegeError:
    """The one-line error for ``what`` (e.g. "sending raw IPv4 packets") without CAP_NET_RAW.

    >>> str(privilege_error("sending raw packets")).startswith("sending raw packets needs")
    True
    """
    return PrivilegeError(
        f"{what} needs the CAP_NET_RAW capability, which this process lacks: run it as root "
        f"(sudo), or grant it to the interpreter: sudo setcap cap_net_raw+ep {interpreter()}"
    )


def require_net_raw(what: str) -> None:
    """Raise :func:`privilege_error` for ``what`` unless this process holds CAP_NET_RAW."""
    if not has_net_raw():
        raise privilege_error(what)
