"""Sockets that send and receive whole packets: layer 3 (raw IP), layer 2 (AF_PACKET), streams.

* :class:`L3RawSocket` sends IP packets as built (IPv4 through an ``IP_HDRINCL`` raw socket,
  IPv6 through an ``IPPROTO_RAW`` one) and receives through an ``AF_PACKET`` socket without link
  header, so it works the same on loopback and on any interface. When a packet carries something
  the kernel would rewrite on a raw socket (a wrong checksum or total length, a zero id or
  source), it goes out through a packet socket instead, byte for byte as crafted.
* :class:`L2Socket` sends and receives whole frames on one interface (``AF_PACKET``).
* :class:`StreamSocket` wraps a connected stream socket (TCP): each send is one packet's bytes,
  each receive one chunk of bytes dissected as ``basecls`` (``Raw`` by default).
* :class:`ICMPSocket` (:mod:`paquet.net.icmp_socket`) is the unprivileged fallback for ICMP
  echo: the kernel's ping sockets.

Received packets never include our own outgoing ones (``PACKET_OUTGOING`` is filtered in the
kernel) and carry the kernel's receive timestamp in ``pkt.time``.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import struct
import time
from collections.abc import Callable
from typing import Any

from paquet.errors import NetworkError
from paquet.net.exchange import STREAM_LAYER, sndrcv, stream_sr
from paquet.net.frames import (
    IP_ETHERTYPES,
    MTU,
    _layers,
    _raw,
    decode_frame,
    decode_l3,
    expand,
    recv_packet,
)
from paquet.net.icmp_socket import ICMPSocket
from paquet.net.linux import PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC, SOL_PACKET
from paquet.net.privilege import privilege_error
from paquet.net.settings import settings
from paquet.net.socket_pool import (
    _check_iface,
    _packet_socket,
    open_receiver,
    open_sender,
    release_receiver,
    release_sender,
)
from paquet.numbers import ETH_P_ALL, ETH_P_IP, ETH_P_IPV6

__all__ = [
    "ETH_P_ALL",
    "MTU",
    "ICMPSocket",
    "L2ListenSocket",
    "L2Socket",
    "L3PacketSocket",
    "L3RawSocket",
    "L3RawSocket6",
    "StreamSocket",
    "SuperSocket",
    "decode_frame",
    "decode_l3",
    "expand",
    "open_receiver",
]


def _send_each(send_bytes: Callable[[bytes], int], x: Any) -> int:
    """Send each packet of ``x`` (packets, ranges or bytes) with ``send_bytes``, setting its
    ``sent_time``; return the bytes sent."""
    total = 0
    for pkt in expand(x):
        total += send_bytes(_raw(pkt))
        with contextlib.suppress(AttributeError, TypeError):
            pkt.sent_time = time.time()
    return total


class SuperSocket:
    """What every paquet socket offers: send, recv, sr, sr1, fileno, close, ``with``."""

    closed = False

    def send(self, x: Any) -> int:
        """Send ``x`` (a packet, a packet with ranges, or a list); return the bytes sent."""
        raise NotImplementedError

    def recv(self, x: int = MTU) -> Any:
        """Receive one packet, dissected (blocking); None when the socket has nothing more."""
        raise NotImplementedError

    def fileno(self) -> int:
        """The file descriptor to wait on (``select``) for received packets."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the socket (idempotent)."""
        self.closed = True

    def sr(self, *args: Any, **kargs: Any) -> Any:
        """Send and receive through this socket (see :func:`paquet.net.sendrecv.sr`)."""
        return sndrcv(self, *args, **kargs)

    def sr1(self, *args: Any, **kargs: Any) -> Any:
        """Send and return the first answer, or None (see :func:`paquet.net.sendrecv.sr1`)."""
        kargs.setdefault("first", True)
        ans, _unans = sndrcv(self, *args, **kargs)
        return ans[0][1] if ans else None

    def __enter__(self) -> SuperSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class _PacketSocketIO(SuperSocket):
    """What L3RawSocket and L2Socket share: ``send`` through their ``send_bytes``, and receiving
    from the packet socket their ``_receiver`` opens on first use."""

    send_bytes: Callable[[bytes], int]
    _receiver: Callable[[], socket.socket]

    def send(self, x: Any) -> int:
        """Send ``x`` (packets or bytes); set each packet's ``sent_time``; return bytes sent."""
        return _send_each(self.send_bytes, x)

    def fileno(self) -> int:
        """The receiving socket's descriptor."""
        return self._receiver().fileno()

    def recv_raw(self, x: int = MTU) -> tuple[bytes, float, Any]:
        """One inbound packet (a frame at layer 2): (bytes, timestamp, sockaddr_ll)."""
        return recv_packet(self._receiver(), x)

    def _decode(self, data: bytes, addr: Any) -> Any:
        """The packet (a frame at layer 2) ``data``, received from ``addr``, dissected."""
        raise NotImplementedError

    def recv(self, x: int = MTU) -> Any:
        """One inbound packet (a frame at layer 2), dissected, with ``time`` set to its kernel
        timestamp."""
        data, stamp, addr = self.recv_raw(x)
        pkt = self._decode(data, addr)
        with contextlib.suppress(AttributeError, TypeError):
            pkt.time = stamp
        return pkt


class L3RawSocket(_PacketSocketIO):
    """Layer-3 socket: sends IP packets as built, receives inbound IP packets.

    Works on loopback and on every interface; ``iface`` restricts both directions to one
    interface, ``filter`` (tcpdump syntax) what is received. It listens from its creation, as
    Scapy's does; ``listen=False`` makes a socket that only sends. Needs CAP_NET_RAW.
    """

    layer = 3

    def __init__(
        self,
        type: int = ETH_P_ALL,
        filter: str | None = None,
        iface: str | None = None,
        promisc: bool | None = None,
        nofilter: int = 0,
        *,
        listen: bool = True,
    ) -> None:
        self.iface = iface
        self.filter = None if nofilter else filter
        self._out4: socket.socket | None = None
        self._out6: socket.socket | None = None
        self._cooked: socket.socket | None = None
        self._ins: socket.socket | None = None
        _check_iface(iface)
        if listen:
            self._receiver()

    # Sending.
    def _raw_socket(self, version: int) -> socket.socket:
        sock = self._out4 if version == 4 else self._out6
        if sock is not None:
            return sock
        family = socket.AF_INET if version == 4 else socket.AF_INET6
        try:
            sock = socket.socket(family, socket.SOCK_RAW | socket.SOCK_CLOEXEC, socket.IPPROTO_RAW)
        except PermissionError:
            raise privilege_error(f"sending raw IPv{version} packets") from None
        if self.iface:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, self.iface.encode())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
        if version == 4:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            self._out4 = sock
        else:
            self._out6 = sock
        return sock

    def send_bytes(self, data: bytes) -> int:
        """Send one IP packet given as bytes; return the bytes sent (all fragments').

        IPv4 larger than the interface's MTU (EMSGSIZE: the kernel does not fragment for a raw
        socket) is fragmented by paquet, as by Scapy's ``conf.auto_fragment`` (True; False
        makes it an error): ``fragment()`` with 1,480 payload bytes a piece (less for a smaller
        MTU). Too large IPv6 is an error.
        """
        return self._send_ip(data, True)

    def _send_ip(self, data: bytes, may_fragment: bool) -> int:
        if not data:
            raise NetworkError("cannot send an empty packet")
        version = data[0] >> 4
        if version == 4 and len(data) >= 20:
            dst = socket.inet_ntop(socket.AF_INET, data[16:20])
            rewrite = _kernel_would_rewrite(data)
            if rewrite and (rewrite == "integrity" or not self._is_local(dst)):
                return self._send_cooked(data, 4)
            address: tuple[Any, ...] = (dst, 0)
        elif version == 6 and len(data) >= 40:
            dst = socket.inet_ntop(socket.AF_INET6, data[24:40])
            address = (dst, 0, 0, self._scope(dst))
        else:
            raise NetworkError(f"not an IP packet (version {version}, {len(data)} bytes)")
        # Opened outside the try: a missing privilege is its own error, not a failed send.
        sock = self._raw_socket(version)
        try:
            return sock.sendto(data, address)
        except OSError as exc:
            if exc.errno == errno.EMSGSIZE and version == 4 and may_fragment \
                    and settings.auto_fragment:
                return self._send_fragments(data, dst)
            return self._send_error(exc, dst, data, version)

    def _send_fragments(self, data: bytes, dst: str) -> int:
        """``data`` (IPv4, too large for the interface) sent as fragments cut by paquet."""
        from paquet.layers.ipv4 import IP, fragment
        from paquet.net import netlink
        from paquet.net.route import get_route

        mtu = netlink.link(self.iface or get_route(dst, 4).ifname).mtu
        size = min(1480, mtu - (data[0] & 15) * 4)
        if size < 8:
            raise NetworkError(f"{len(data)} bytes to {dst}: no room for fragments (MTU {mtu})")
        return sum(self._send_ip(bytes(f), False) for f in fragment(IP(data), size))

    def _send_error(self, exc: OSError, dst: str, data: bytes, version: int) -> int:
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            raise NetworkError(f"no route to {dst}: {exc.strerror}") from None
        if exc.errno == errno.EMSGSIZE:
            raise NetworkError(
                f"packet of {len(data)} bytes to {dst} is larger than the path MTU"
            ) from None
        if exc.errno == errno.ENOBUFS:
            time.sleep(0.001)
            sock = self._raw_socket(version)
            return sock.sendto(data, (dst, 0) if version == 4 else (dst, 0, 0, self._scope(dst)))
        if exc.errno in (errno.EPERM, errno.EACCES):
            raise NetworkError(f"sending to {dst} refused: {exc.strerror}") from None
        if exc.errno == errno.EINVAL:
            raise NetworkError(f"the kernel refuses this packet to {dst}: {exc.strerror}") from None
        raise NetworkError(f"sending to {dst} failed: {exc.strerror}") from None

    def _is_local(self, dst: str) -> bool:
        """True for a destination of this host: loopback cannot take injected frames (the
        kernel drops 127.0.0.0/8 arriving under the IP layer), the raw socket must carry it."""
        from paquet.net.route import get_route

        try:
            return get_route(dst, 4, self.iface).kind == "local"
        except NetworkError:
            return False

    def _scope(self, dst: str) -> int:
        if not dst.lower().startswith("fe80") and not dst.lower().startswith("ff0"):
            return 0
        from paquet.net import netlink

        if self.iface:
            return netlink.link(self.iface).index
        from paquet.net.route import get_route

        return get_route(dst, 6).ifindex

    def _send_cooked(self, data: bytes, version: int) -> int:
        """Send through a packet socket (no rewriting by the kernel), MAC from the neighbours."""
        from paquet.net.neighbour import resolve_mac
        from paquet.net.route import get_route

        dst = socket.inet_ntop(socket.AF_INET, data[16:20])
        route = get_route(dst, version, self.iface)
        mac = resolve_mac(dst, version, self.iface)
        if mac is None:
            raise NetworkError(f"no answer to ARP for the next hop of {dst} ({route.next_hop})")
        if self._cooked is None:
            self._cooked = _packet_socket(socket.SOCK_DGRAM, "sending raw packets")
        proto = ETH_P_IP if version == 4 else ETH_P_IPV6
        hw = bytes(int(b, 16) for b in mac.split(":"))
        ifname = self.iface or route.ifname
        return self._cooked.sendto(data, (ifname, proto, 0, 0, hw))

    # Receiving.
    def _receiver(self) -> socket.socket:
        if self._ins is None:
            self._ins = open_receiver(3, self.iface, self.filter)
        return self._ins

    def _decode(self, data: bytes, addr: Any) -> Any:
        """An inbound IP packet (``addr[1]``: its EtherType), dissected."""
        return decode_l3(data, addr[1])

    def close(self) -> None:
        """Close every socket this object opened."""
        for sock in (self._out4, self._out6, self._cooked):
            if sock is not None:
                sock.close()
        if self._ins is not None:
            release_receiver(self._ins)
        self._out4 = self._out6 = self._cooked = self._ins = None
        self.closed = True


class L3RawSocket6(L3RawSocket):
    """Scapy's IPv6 layer-3 socket: the same as :class:`L3RawSocket` (which does both)."""


class L3PacketSocket(L3RawSocket):
    """Scapy's default layer-3 socket on Linux: here the same as :class:`L3RawSocket`."""


def _kernel_would_rewrite(data: bytes) -> str:
    """What an IPv4 raw socket would change in these bytes: "" nothing, "integrity" (a wrong
    checksum, header or total length: the receiver drops such a packet anyway), "fields" (a
    zero id or source, which the kernel fills in)."""
    from paquet.checksums import internet_checksum

    ihl = (data[0] & 0x0F) * 4
    if ihl < 20 or len(data) < ihl:
        return "integrity"
    if struct.unpack_from("!H", data, 2)[0] != len(data):
        return "integrity"
    if internet_checksum(data[:ihl]) != 0:
        return "integrity"
    if data[4:6] == b"\0\0" or data[12:16] == b"\0\0\0\0":
        return "fields"
    return ""


class L2Socket(_PacketSocketIO):
    """Layer-2 socket on one interface: sends and receives whole frames (AF_PACKET).

    ``iface`` defaults to ``conf.iface``. It listens from its creation (``listen=False``: a
    socket that only sends). Needs CAP_NET_RAW.
    """

    layer = 2

    def __init__(
        self,
        iface: str | None = None,
        type: int = ETH_P_ALL,
        promisc: bool | None = None,
        filter: str | None = None,
        nofilter: int = 0,
        monitor: bool | None = None,
        *,
        listen: bool = True,
    ) -> None:
        if iface is None:
            iface = settings.iface
        from paquet.net import netlink

        self.link = netlink.link(iface)
        self.iface = iface
        self.filter = None if nofilter else filter
        self._out: socket.socket | None = None
        self._ins: socket.socket | None = None
        self._l3: L3RawSocket | None = None
        self.promisc = bool(promisc)
        if listen:
            self._receiver()

    def _sender(self) -> socket.socket:
        if self._out is None:
            self._out = open_sender(self.iface)
        return self._out

    def send_bytes(self, data: bytes) -> int:
        """Send one frame given as bytes; return its length.

        On loopback, IP frames go through the kernel's IP output (a raw socket): the kernel
        drops 127.0.0.0/8 packets injected under the IP layer as martians, and loopback has no
        link layer to honour anyway. They come back as frames with all-zero MACs.
        """
        if self.link.is_loopback and data[12:14] in IP_ETHERTYPES:
            if self._l3 is None:
                self._l3 = L3RawSocket(iface=self.iface, listen=False)
            self._l3.send_bytes(data[14:])
            return len(data)
        sender = self._sender()  # a PrivilegeError (no CAP_NET_RAW) goes up as it is
        try:
            return sender.send(data)
        except OSError as exc:
            if exc.errno == errno.ENOBUFS:
                time.sleep(0.001)
                return sender.send(data)
            if exc.errno == errno.EMSGSIZE:
                raise NetworkError(
                    f"frame of {len(data)} bytes is larger than {self.iface}'s MTU "
                    f"({self.link.mtu})"
                ) from None
            if exc.errno == errno.ENXIO or exc.errno == errno.ENETDOWN:
                raise NetworkError(f"interface {self.iface} is down") from None
            raise NetworkError(f"sending on {self.iface} failed: {exc.strerror}") from None

    def _receiver(self) -> socket.socket:
        if self._ins is None:
            self._ins = open_receiver(2, self.iface, self.filter)
            if self.promisc:
                mreq = struct.pack("iHH8s", self.link.index, PACKET_MR_PROMISC, 0, b"")
                self._ins.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq)
        return self._ins

    def _decode(self, data: bytes, addr: Any) -> Any:
        """An inbound frame (``addr[3]``: the interface's hardware type), dissected."""
        return decode_frame(data, addr[3])

    def close(self) -> None:
        """Close the sockets."""
        if self._out is not None:
            release_sender(self._out)
        if self._ins is not None:
            release_receiver(self._ins)
        if self._l3 is not None:
            self._l3.close()
        self._out = self._ins = self._l3 = None
        self.closed = True


class L2ListenSocket(L2Socket):
    """Scapy's listening socket: an :class:`L2Socket` used only to receive."""


class StreamSocket(SuperSocket):
    """A connected stream socket (TCP) seen as packets: Scapy's ``StreamSocket(sock, Raw)``.

    ``send(pkt)`` writes the packet's bytes; ``recv()`` reads what arrived (one ``recv`` of up to
    ``x`` bytes) and dissects it as ``basecls``; ``sr1(pkt)`` sends and returns the next data
    received (None when nothing arrives within ``timeout`` or the peer closed).
    """

    layer = STREAM_LAYER

    def __init__(self, sock: socket.socket, basecls: Any = None) -> None:
        if basecls is None:
            basecls = _layers().Raw
        if sock.type != socket.SOCK_STREAM:
            raise NetworkError("StreamSocket needs a stream (TCP) socket")
        try:
            sock.getpeername()
        except OSError:
            raise NetworkError("StreamSocket needs a connected socket") from None
        self.sock = sock
        self.basecls = basecls

    def fileno(self) -> int:
        """The stream socket's descriptor."""
        return self.sock.fileno()

    def send_bytes(self, data: bytes) -> int:
        """Write ``data`` entirely; return its length."""
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise NetworkError(f"stream send failed: {exc.strerror or exc}") from None
        return len(data)

    def send(self, x: Any) -> int:
        """Write each packet's bytes; set its ``sent_time``; return the bytes written."""
        return _send_each(self.send_bytes, x)

    def recv_raw(self, x: int = MTU) -> tuple[bytes, float, Any]:
        """The bytes of one ``recv`` (empty when the peer has closed), and the time."""
        try:
            data = self.sock.recv(x)
        except OSError as exc:
            raise NetworkError(f"stream receive failed: {exc.strerror or exc}") from None
        return data, time.time(), None

    def recv(self, x: int = MTU) -> Any:
        """The next data as a ``basecls`` packet; None when the peer closed the connection."""
        data, stamp, _ = self.recv_raw(x)
        if not data:
            return None
        pkt = self.basecls(data)
        with contextlib.suppress(AttributeError, TypeError):
            pkt.time = stamp
        return pkt

    def sr(self, *args: Any, **kargs: Any) -> Any:
        """Send each packet and pair it with the data that comes back (see :meth:`sr1`)."""
        return stream_sr(self, *args, **kargs)

    def sr1(self, *args: Any, **kargs: Any) -> Any:
        """Send one packet; return the next data received as ``basecls``, or None."""
        ans, _unans = self.sr(*args, **kargs)
        return ans[0][1] if ans else None

    def close(self) -> None:
        """Close the wrapped socket."""
        if not self.closed:
            self.sock.close()
        self.closed = True
