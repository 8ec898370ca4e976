"""What the sockets and the exchange of ``sr`` both handle, below both: the packets of an
argument (ranges expanded), the dissection of what a packet socket receives, and one packet read
from a packet socket with the kernel's timestamp.

Nothing here opens a socket or knows the socket classes: :mod:`paquet.net.sockets` and
:mod:`paquet.net.exchange` import it, and it imports neither.
"""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

from paquet.net.linux import SO_TIMESTAMPNS
from paquet.numbers import ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_P_IP, ETH_P_IPV6

__all__ = ["IP_ETHERTYPES", "MTU", "decode_frame", "decode_l3", "expand", "recv_packet"]

MTU = 1 << 18
IP_ETHERTYPES = (ETH_P_IP.to_bytes(2, "big"), ETH_P_IPV6.to_bytes(2, "big"))
"""The EtherTypes of IPv4 and IPv6 as they are on the wire (compared per frame)."""
_CMSG_SPACE = socket.CMSG_SPACE(16)
_TIMESPEC = struct.Struct("=qq")


def expand(x: Any) -> Iterator[Any]:
    """The packets of ``x``: a packet (its fields' ranges expanded) or an iterable of them."""
    if isinstance(x, bytes | bytearray):
        yield x
        return
    if hasattr(x, "__bytes__"):
        yield from x
        return
    for item in x:
        yield from expand(item)


def _raw(x: Any) -> bytes:
    return bytes(x)


_engine: Any = None


def _layers() -> Any:
    """The packet engine's ``paquet.layers`` (imported on first use)."""
    global _engine
    if _engine is None:
        import importlib

        _engine = importlib.import_module("paquet.layers")
    return _engine


def decode_l3(data: bytes, proto: int = 0) -> Any:
    """Dissect a network-layer packet (IPv4 or IPv6, from its version nibble)."""
    layers = _layers()
    return layers.dissect(data, linktype=layers.LINKTYPE_RAW)


def decode_frame(data: bytes, hatype: int = ARPHRD_ETHER) -> Any:
    """Dissect a frame received on a packet socket of hardware type ``hatype``."""
    layers = _layers()
    if hatype in (ARPHRD_ETHER, ARPHRD_LOOPBACK):
        return layers.dissect(data, linktype=layers.LINKTYPE_ETHERNET)
    return layers.dissect(data, linktype=layers.LINKTYPE_RAW)


def recv_packet(sock: socket.socket, size: int = MTU, flags: int = 0) -> tuple[bytes, float, Any]:
    """One packet from a packet socket: (bytes, kernel timestamp, sockaddr_ll tuple)."""
    data, anc, _flags, addr = sock.recvmsg(size, _CMSG_SPACE, flags)
    stamp = 0.0
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
            sec, nsec = _TIMESPEC.unpack_from(payload)
            stamp = sec + nsec * 1e-9
    return data, stamp or time.time(), addr
