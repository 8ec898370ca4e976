"""The platform flags Scapy code tests (``scapy.consts``): ``LINUX``, ``WINDOWS``, ``BSD``...

paquet runs on Linux; the other flags exist so that code written for Scapy, which branches on
them (``if WINDOWS: ...``), runs unchanged.

>>> LINUX, WINDOWS
(True, False)
"""

from __future__ import annotations

import sys

__all__ = [
    "BIG_ENDIAN",
    "BSD",
    "DARWIN",
    "FREEBSD",
    "IS_64BITS",
    "LINUX",
    "NETBSD",
    "OPENBSD",
    "SOLARIS",
    "WINDOWS",
    "WINDOWS_XP",
]

LINUX = sys.platform.startswith("linux")
OPENBSD = sys.platform.startswith("openbsd")
FREEBSD = "freebsd" in sys.platform
NETBSD = sys.platform.startswith("netbsd")
DARWIN = sys.platform.startswith("darwin")
SOLARIS = sys.platform.startswith("sunos")
WINDOWS = sys.platform.startswith("win32")
WINDOWS_XP = False
BSD = DARWIN or FREEBSD or OPENBSD or NETBSD
IS_64BITS = sys.maxsize > 2**32
BIG_ENDIAN = sys.byteorder == "big"
