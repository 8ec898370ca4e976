"""TUN and TAP interfaces made and driven from Python (Scapy's ``TunTapInterface``), Linux.

``TunTapInterface("tap0")`` creates (or attaches to) a TAP interface: what the kernel sends on
it is read as Ethernet frames with ``recv()``, what ``send()`` is given arrives in the kernel as
if received on it. A ``tun`` interface carries IP packets, each behind the kernel's 4-byte
packet information (``LinuxTunPacketInfo``: flags and the EtherType), removed on reading unless
``strip_packet_info=False``. The kind comes from the name (``tun*``, ``tap*``) or
``mode_tun``. Needs ``CAP_NET_ADMIN``; ``close()`` (or the end of the process) removes the
interface. The socket works with ``sniff(opened_socket=...)`` (``tun.sniff()``),
``bridge_and_sniff`` and the answering machines (``tun.am(ICMPEcho_am)``).

>>> p = LinuxTunPacketInfo(bytes(LinuxTunPacketInfo() / IPv6()))
>>> hex(p.type), p.payload.name
('0x86dd', 'IPv6')
"""

from __future__ import annotations

import fcntl
import os
import struct
import sys
import time
from typing import Any

from paquet.errors import NetworkError
from paquet.layers.ether import Ether
from paquet.layers.ipv4 import IP
from paquet.layers.ipv6 import IPv6
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import XShortEnumField
from paquet.packet.flagfields import FlagsField
from paquet.packet.names import ether_types
from paquet.rawpcap import MTU

__all__ = ["LinuxTunPacketInfo", "TunTapInterface"]

TUNSETIFF = 0x400454CA  # linux/if_tun.h
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
IFNAMSIZ = 16
_NATIVE_BITS = 16 if sys.byteorder == "big" else -16  # struct tun_pi's flags: host order


class LinuxTunPacketInfo(Packet):
    """The 4 bytes Linux puts before each packet of a TUN interface (``struct tun_pi``):
    ``flags`` (host byte order) and ``type``, the EtherType of what follows."""

    name = "LinuxTunPacketInfo"
    fields_desc = (
        FlagsField("flags", 0, _NATIVE_BITS,
                   ["TUN_VNET_HDR"] + [f"reserved{i}" for i in range(1, 16)]),
        XShortEnumField("type", 0x9000, ether_types),
    )


registry.bind_layers(LinuxTunPacketInfo, IP, type=0x0800)
registry.bind_layers(LinuxTunPacketInfo, IPv6, type=0x86DD)


class TunTapInterface:
    """A TUN (layer 3) or TAP (layer 2) interface, as a socket (Scapy's ``TunTapInterface``).

    ``iface`` the interface's name (at most 15 bytes), ``mode_tun`` True for TUN, False for
    TAP (default: from the name), ``default_read_size`` the most bytes one ``recv`` reads,
    ``strip_packet_info`` (TUN) gives the IP packet without its ``LinuxTunPacketInfo``.
    """

    def __init__(self, iface: str | bytes | None = None, mode_tun: bool | None = None,
                 default_read_size: int = MTU, strip_packet_info: bool = True,
                 *args: Any, **kwargs: Any) -> None:
        if iface is None:
            from paquet.net.conf import conf

            iface = str(conf.iface)
        name = iface.decode() if isinstance(iface, bytes) else str(iface)
        if mode_tun is None:
            if name.startswith("tun"):
                mode_tun = True
            elif name.startswith("tap"):
                mode_tun = False
            else:
                raise ValueError(f"Could not determine interface type for {name!r}; "
                                 "set `mode_tun` explicitly.")
        self.iface = name[:IFNAMSIZ - 1]
        self.mode_tun = mode_tun
        # TAP frames never carry the packet information (IFF_NO_PI).
        self.strip_packet_info = bool(strip_packet_info) or not mode_tun
        self.mtu_overhead = 4 if mode_tun else 0
        self.kernel_packet_class: type[Packet] = LinuxTunPacketInfo if mode_tun else Ether
        self.default_read_size = default_read_size
        flags = IFF_TUN if mode_tun else IFF_TAP | IFF_NO_PI
        try:
            self.fd = os.open("/dev/net/tun", os.O_RDWR)
        except OSError as exc:
            raise NetworkError(f"cannot open /dev/net/tun: {exc.strerror}") from exc
        try:
            fcntl.ioctl(self.fd, TUNSETIFF,
                        struct.pack("16sH", self.iface.encode(), flags).ljust(40, b"\0"))
        except OSError as exc:
            os.close(self.fd)
            raise NetworkError(f"cannot create {self.iface}: {exc.strerror} "
                               "(CAP_NET_ADMIN is needed)") from exc
        self.closed = False

    def __call__(self, *args: Any, **kwargs: Any) -> TunTapInterface:
        """The interface itself (so that it can stand for ``conf.L2socket``...)."""
        return self

    def __repr__(self) -> str:
        kind = "tun" if self.mode_tun else "tap"
        return f"<TunTapInterface {self.iface} ({kind}){' closed' if self.closed else ''}>"

    def fileno(self) -> int:
        """The descriptor ``select`` waits on."""
        return self.fd

    def recv_raw(self, x: int | None = None) -> tuple[type[Packet], bytes, float]:
        """One packet's class, bytes and arrival time (Scapy's ``recv_raw``)."""
        if self.closed:
            raise EOFError(f"{self.iface} is closed")
        size = (self.default_read_size if x is None else x) + self.mtu_overhead
        data = os.read(self.fd, size)
        now = time.time()
        if self.mode_tun and self.strip_packet_info:
            info = LinuxTunPacketInfo(data[:4])
            return info.guess_payload_class(b""), data[4:], now
        return self.kernel_packet_class, data, now

    def recv(self, x: int | None = None) -> Packet | None:
        """The next packet the kernel sent on the interface."""
        cls, data, ts = self.recv_raw(x)
        if not data:
            return None
        pkt = cls(data)
        pkt.time = ts
        pkt.sniffed_on = self.iface
        return pkt

    def send(self, x: Any) -> int:
        """Give ``x`` to the kernel as received on the interface (a TUN interface's packet
        information is added when ``x`` has none; a TAP interface wants Ethernet frames)."""
        if hasattr(x, "sent_time"):
            x.sent_time = time.time()
        if isinstance(x, Packet) and not isinstance(x, self.kernel_packet_class):
            x = self.kernel_packet_class() / x
        return os.write(self.fd, bytes(x))

    def sniff(self, *args: Any, **kwargs: Any) -> Any:
        """``sniff`` on this interface."""
        from paquet.net.sniff import sniff

        return sniff(*args, opened_socket=self, **kwargs)

    def am(self, cls: Any, *args: Any, **kwargs: Any) -> Any:
        """An answering machine capturing and answering on this interface."""
        return cls(*args, opened_socket=self, socket=self, **kwargs)

    def close(self) -> None:
        """Close the descriptor (the kernel removes the interface)."""
        if not self.closed:
            self.closed = True
            os.close(self.fd)

    def __enter__(self) -> TunTapInterface:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "closed", True):
            self.close()
