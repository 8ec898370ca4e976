"""``VEthPair``: a pair of virtual Ethernet interfaces, made and removed with ``ip link``
(Scapy's, Linux). What is sent on one comes out of the other: a wire between two interfaces
of the same machine (or namespace), for tests and experiments.

Used as a context manager, the pair is made and brought up on entry, removed on exit::

    with VEthPair("veth0", "veth1"):
        sendp(Ether(type=0xbeef) / b"hi", iface="veth0")

Every step raises ``subprocess.CalledProcessError`` when ``ip`` fails (a name too long, one
already taken, no ``CAP_NET_ADMIN``).

>>> VEthPair("veth0", "veth1").peer()
'veth1'
"""

from __future__ import annotations

import subprocess

__all__ = ["VEthPair"]


class VEthPair:
    """The interfaces ``iface_name`` and ``peer_name``, the two ends of one veth link."""

    def __init__(self, iface_name: str, peer_name: str) -> None:
        self.ifaces = [iface_name, peer_name]

    def __repr__(self) -> str:
        return f"<VEthPair {self.ifaces[0]} <-> {self.ifaces[1]}>"

    def iface(self) -> str:
        """The first interface's name."""
        return self.ifaces[0]

    def peer(self) -> str:
        """The second interface's name."""
        return self.ifaces[1]

    def setup(self) -> None:
        """Make the pair (``ip link add NAME type veth peer name PEER``)."""
        subprocess.check_call(["ip", "link", "add", self.ifaces[0], "type", "veth",
                               "peer", "name", self.ifaces[1]])

    def destroy(self) -> None:
        """Remove the pair (removing one end removes both)."""
        subprocess.check_call(["ip", "link", "del", self.ifaces[0]])

    def up(self) -> None:
        """Bring both ends up."""
        for name in self.ifaces:
            subprocess.check_call(["ip", "link", "set", name, "up"])

    def down(self) -> None:
        """Bring both ends down."""
        for name in self.ifaces:
            subprocess.check_call(["ip", "link", "set", name, "down"])

    def _reload(self) -> None:
        from paquet.net.conf import conf

        conf.ifaces.reload()

    def __enter__(self) -> VEthPair:
        self.setup()
        try:
            self.up()
        except BaseException:
            self.destroy()
            raise
        self._reload()
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()
        self._reload()
