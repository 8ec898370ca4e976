"""Scapy's ``conf`` settings: the few that course scripts touch, with Scapy's names.

``verb`` is the default verbosity of send/sr (0 silent, 1 summary, 2 progress marks), ``iface``
the default interface for layer-2 sending (the default route's interface unless set),
``checkIPaddr`` whether an answer's IP source must be the probe's destination. Plain values
only: the socket classes Scapy also keeps in ``conf`` are in :mod:`paquet.net.conf`, which puts
the two together. Nothing is read from the system at import.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KernelRoutes", "Settings", "settings"]


class KernelRoutes:
    """Scapy's ``conf.route`` / ``conf.route6``: ``route(dst)`` gives ``(iface, src, gateway)``.

    Answered by the kernel's own lookup each time (nothing is copied at import), so the answer
    is what the kernel would do, policy rules included. The gateway is ``0.0.0.0`` (``::``)
    when the destination is on a connected network.
    """

    def __init__(self, version: int) -> None:
        self.version = version

    def __repr__(self) -> str:
        return f"<KernelRoutes IPv{self.version}: ask route(dst)>"

    def route(self, dst: str | None = None, dev: str | None = None, verbose: int = 0) -> tuple[
        str, str, str
    ]:
        """``(iface, source address, gateway)`` for ``dst`` (default: the default route).

        >>> KernelRoutes(4).route("127.0.0.1")
        ('lo', '127.0.0.1', '0.0.0.0')
        """
        from paquet.errors import NetworkError
        from paquet.net import netlink
        from paquet.net.route import get_route

        unspecified = "0.0.0.0" if self.version == 4 else "::"
        if dst in (None, "", unspecified, "default"):
            hop = netlink.default_gateway(self.version)
            if hop is None:
                raise NetworkError(f"no default route (IPv{self.version})")
            iface, gateway = hop
            src = get_route(gateway, self.version, iface).src if gateway else None
            return iface, src or unspecified, gateway or unspecified
        info = get_route(dst.split("/")[0], self.version, dev)
        return info.ifname, info.src or unspecified, info.gateway or unspecified


class Settings:
    """The settings of send, receive and capture (one instance: :data:`settings`); the
    defaults are Scapy's. Setting any other attribute is accepted, as Scapy's ``conf`` does."""

    def __init__(self) -> None:
        self.verb: int = 2
        self.checkIPaddr: bool = True
        self.promisc: bool = False
        self.sniff_promisc: bool = False
        self.use_pcap: bool = False
        self.debug_match: bool = False
        # The AS-number resolver TracerouteResult.graph() clusters hops with (an object with
        # ``resolve(*ips)``); None: no clustering (Scapy's default asks a whois server).
        self.AS_resolver: Any = None
        self.route, self.route6 = KernelRoutes(4), KernelRoutes(6)
        self._iface: str | None = None

    def __repr__(self) -> str:
        fields = ("verb", "iface", "checkIPaddr", "promisc")
        return "\n".join(f"{name:<12} = {getattr(self, name)!r}" for name in fields)

    @property
    def iface(self) -> str:
        """The default interface: the one set by the user, else the default route's, else lo."""
        if self._iface:
            return self._iface
        from paquet.net import netlink

        return netlink.default_interface(4) or netlink.default_interface(6) or "lo"

    @iface.setter
    def iface(self, value: str | None) -> None:
        self._iface = str(value) if value else None


settings = Settings()
"""What send, sr, sniff and the sockets read; ``conf`` (Scapy's name) writes here."""
