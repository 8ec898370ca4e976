"""Scapy's ``conf``: the settings (:mod:`paquet.net.settings`) and the socket classes, together.

``conf.verb``, ``conf.iface``, ``conf.checkIPaddr``... read and write the one
:data:`~paquet.net.settings.settings` that send, sr and sniff use. ``conf.L3socket``,
``conf.L3socket6``, ``conf.L2socket`` and ``conf.L2listen`` are the socket classes Scapy code
opens directly (``s = conf.L3socket()``); assigning one (the course's
``conf.L3socket = L3RawSocket``, Scapy's loopback work-around) is accepted and changes nothing:
send/sr pick their sockets, and paquet's layer-3 sockets already work on loopback.
"""

from __future__ import annotations

from typing import Any

from paquet.net.settings import KernelRoutes, settings
from paquet.net.sockets import L2ListenSocket, L2Socket, L3RawSocket, L3RawSocket6

__all__ = ["Conf", "KernelRoutes", "conf"]

SOCKET_CLASSES: dict[str, Any] = {
    "L3socket": L3RawSocket,
    "L3socket6": L3RawSocket6,
    "L2socket": L2Socket,
    "L2listen": L2ListenSocket,
}
"""The socket classes ``conf`` names by default (Scapy's attribute names)."""


class Conf:
    """Scapy-compatible configuration object (one instance: :data:`conf`).

    Socket classes live here; every other attribute is a setting, read from and written to
    :data:`paquet.net.settings.settings`.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_sockets", dict(SOCKET_CLASSES))

    def __repr__(self) -> str:
        return repr(settings)

    def __getattr__(self, name: str) -> Any:
        if name == "contribs":  # Scapy's settings of its contributed protocols (LLDP's)
            import paquet.layers  # noqa: F401  (each protocol registers its entry)
            from paquet.layers._contrib import CONTRIBS

            return CONTRIBS
        if name == "noenum":
            from paquet.packet import enumfields

            return enumfields.noenum
        if name == "max_list_count":  # the most items a list field dissects (Scapy's)
            from paquet.packet import structfields

            return structfields.MAX_LIST_COUNT
        sockets: dict[str, Any] = object.__getattribute__(self, "_sockets")
        if name in sockets:
            return sockets[name]
        return getattr(settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "noenum":
            from paquet.packet import enumfields

            enumfields.noenum = value
        elif name == "max_list_count":
            from paquet.packet import structfields

            structfields.MAX_LIST_COUNT = int(value)
        elif name in SOCKET_CLASSES:
            self._sockets[name] = value
        else:
            setattr(settings, name, value)

    def __delattr__(self, name: str) -> None:
        # A socket class back to its default (what mock.patch does when it is done).
        if name in SOCKET_CLASSES:
            self._sockets[name] = SOCKET_CLASSES[name]
        else:
            delattr(settings, name)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *SOCKET_CLASSES, *vars(settings), "iface",
                       "max_list_count"})


conf = Conf()
