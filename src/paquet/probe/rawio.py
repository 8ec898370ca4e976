"""Raw sockets for the probe engine: send with our own IP header, receive with a kernel filter.

- :class:`RawSender`: ``SOCK_RAW`` + ``IPPROTO_RAW`` (IPv4 ``IP_HDRINCL``; for IPv6 Linux sets
  ``IPV6_HDRINCL`` on such sockets), one ``sendto`` per probe from a pre-built buffer.
- :class:`RawReceiver`: an ``AF_PACKET``/``SOCK_DGRAM`` socket for the IPv4 or IPv6 EtherType
  (so it sees received packets only, network header first) with a BPF program attached in the
  kernel (:mod:`paquet.probe.kfilter`: the program libpcap would compile, assembled without it):
  only the protocols asked for, addressed to our source address, reach Python. A large receive
  buffer and the kernel's drop counter (``PACKET_STATISTICS``) tell the rate controller when
  we read too slowly.
- :func:`source_address`: the address the kernel would send from (a connected UDP socket; sends
  nothing).
"""

from __future__ import annotations

# socket's own functions and constants, without the enums socket.py builds at import
import _socket as socket
import errno
import os
import struct
import time

from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.net.linux import (
    PACKET_STATISTICS,
    SO_MEMINFO,
    SO_RCVBUFFORCE,
    SO_TIMESTAMPNS,
    SOL_PACKET,
)
from paquet.numbers import ETH_P_IP, ETH_P_IPV6
from paquet.probe.iptext import canonical
from paquet.probe.iptext import parse as parse_ip

__all__ = [
    "RawReceiver",
    "RawSender",
    "bind_device",
    "can_raw",
    "device",
    "resolve",
    "source_address",
]


_DEVICE: list[str] = []
"""The interface probes must leave by (nmap's ``-e``), innermost :func:`device` last."""


class device:  # lowercase, as the function it was: a class needs no contextlib
    """Within the block, probes leave by interface ``name`` (``SO_BINDTODEVICE`` on the raw
    senders, and source addresses picked on it); None changes nothing.

    >>> with device(None):
    ...     pass
    >>> with device("nosuch0"):
    ...     pass
    Traceback (most recent call last):
    ...
    paquet.errors.NetworkError: cannot use interface nosuch0: no such interface
    """

    __slots__ = ("name",)

    def __init__(self, name: str | None) -> None:
        self.name = name

    def __enter__(self) -> None:
        if self.name is None:
            return
        try:
            socket.if_nametoindex(self.name)
        except OSError:
            raise NetworkError(f"cannot use interface {self.name}: no such interface") from None
        _DEVICE.append(self.name)

    def __exit__(self, *exc: object) -> None:
        if self.name is not None:
            _DEVICE.pop()


def bind_device(sock: socket.socket) -> None:
    """Bind ``sock`` to the interface of the innermost :func:`device` block, if any."""
    if _DEVICE:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, _DEVICE[-1].encode())
        except OSError as exc:
            sock.close()
            raise NetworkError(f"cannot use interface {_DEVICE[-1]}: "
                               f"{exc.strerror or exc}") from None



def can_raw() -> bool:
    """True when this process may open raw sockets (root or CAP_NET_RAW)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW).close()
    except OSError:
        return False
    return True


def resolve(host: str, family: int = 0) -> str:
    """``host`` (address or name) as an address string; ``family`` 4 or 6 restricts it.

    An empty name is refused (the resolver would give 0.0.0.0, this host).
    """
    if not host.strip():
        raise NetworkError(f"cannot resolve {host!r}: empty host name")
    try:
        version = parse_ip(host)[0]
    except ValueError:
        pass
    else:
        if family and version != family:
            raise NetworkError(f"{host} is not an IPv{family} address")
        return canonical(host)
    fam = {4: socket.AF_INET, 6: socket.AF_INET6}.get(family, socket.AF_UNSPEC)
    try:
        infos = socket.getaddrinfo(host, None, fam, socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise NetworkError(f"cannot resolve {host!r}: {exc}") from None
    if not infos:
        raise NetworkError(f"cannot resolve {host!r}")
    return str(infos[0][4][0])


def source_address(dst: str) -> str:
    """The source address the kernel picks for ``dst`` (route lookup; no packet is sent)."""
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    try:
        bind_device(s)
        try:
            s.connect((dst, 9))
        except OSError as exc:
            raise NetworkError(f"no route to {dst}: {exc.strerror or exc}") from None
        return str(s.getsockname()[0])
    finally:
        s.close()


def _raw_error(exc: OSError) -> PaquetError:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EPERM, errno.EACCES):
        return PrivilegeError(
            "raw sockets need root or CAP_NET_RAW (sudo, or setcap cap_net_raw+ep on python)"
        )
    return NetworkError(f"cannot open a raw socket: {exc.strerror or exc}")


class RawSender:
    """Sends complete IP packets (our own header) for one address family."""

    __slots__ = ("family", "sock")

    def __init__(self, family: int) -> None:
        self.family = family
        af = socket.AF_INET if family == 4 else socket.AF_INET6
        try:
            self.sock = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_RAW)
        except OSError as exc:
            raise _raw_error(exc) from None
        bind_device(self.sock)
        if family == 4:
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)

    def send(self, packet: bytes | bytearray, dst: str) -> bool:
        """Send one packet to ``dst``; False when the kernel refuses it for now (buffer full,
        unreachable): the probe then counts as unanswered and is retried later."""
        try:
            self.sock.sendto(packet, (dst, 0))
        except (BlockingIOError, InterruptedError):
            return False
        except OSError as exc:
            if exc.errno in (errno.ENOBUFS, errno.EAGAIN, errno.EHOSTUNREACH, errno.ENETUNREACH,
                             errno.EPERM, errno.ECONNREFUSED, errno.EMSGSIZE):
                return False
            raise NetworkError(f"send to {dst} failed: {exc.strerror or exc}") from None
        return True

    def close(self) -> None:
        """Close the socket."""
        self.sock.close()


def _filter_expression(protos: tuple[int, ...], family: int, dst: str | None) -> str:
    """The tcpdump expression a receiver's kernel filter is compiled from (by libpcap):
    one of the protocols ``protos`` and, for IPv4, addressed to ``dst``. IPv6 checks the
    next-header field only.

    >>> _filter_expression((6, 1), 4, "192.0.2.1")
    '(ip proto 6 or ip proto 1) and ip dst 192.0.2.1'
    >>> _filter_expression((6, 58), 6, None)
    'ip6 proto 6 or ip6 proto 58'
    """
    version = "ip" if family == 4 else "ip6"
    either = " or ".join(f"{version} proto {p}" for p in protos)
    if family == 4 and dst is not None:
        return f"({either}) and ip dst {dst}"
    return either


class RawReceiver:
    """Receives IPv4 or IPv6 packets of some protocols addressed to ``dst`` (kernel-filtered).

    A packet socket; with ``ip_level`` (IPv4 and one protocol only) a raw socket of that
    protocol, which sees only what the host receives (as traceroute's does) and closes
    without waiting (see :func:`paquet.probe.kfilter.open_filtered`).
    """

    __slots__ = ("_dropped", "family", "sock")

    def __init__(self, family: int, protos: tuple[int, ...], dst: str | None = None,
                 rcvbuf: int = 32 << 20, ip_level: bool = False) -> None:
        self.family = family
        self._dropped = 0
        from paquet.probe.kfilter import open_filtered, program

        if ip_level and (family != 4 or len(protos) != 1):
            raise ValueError("an IP-level receiver is IPv4 and of one protocol")
        proto = ETH_P_IP if family == 4 else ETH_P_IPV6
        # The filter of _filter_expression(protos, family, dst), assembled without libpcap;
        # whatever was queued before it was attached is read away.
        try:
            self.sock = open_filtered(program(protos, family, dst if family == 4 else None),
                                      proto, protos[0] if ip_level else None)
        except PermissionError as exc:
            raise PrivilegeError(f"packet sockets need CAP_NET_RAW ({exc.strerror}): run as "
                                 "root, or setcap cap_net_raw+ep on the Python interpreter") \
                from None
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        except OSError:  # past the system's limit only with CAP_NET_ADMIN
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.setblocking(False)
        if not ip_level:  # (a new raw socket has dropped nothing)
            self.drops()  # (a packet socket's count restarts from each reading)

    def fileno(self) -> int:
        """The socket's descriptor (for select/poll)."""
        return self.sock.fileno()

    def drain(self) -> None:
        """Discard everything queued."""
        while True:
            try:
                self.sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_TRUNC)
            except (BlockingIOError, InterruptedError):
                return

    def enable_timestamps(self) -> None:
        """Have the kernel stamp each packet on arrival (read with :meth:`recv_stamped`)."""
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)

    def recv_stamped(self) -> tuple[bytes, float] | None:
        """One queued packet and its kernel arrival time (``time.time()`` clock), or None."""
        try:
            data, anc, _, _ = self.sock.recvmsg(65535, 64)
        except (BlockingIOError, InterruptedError):
            return None
        for level, kind, cdata in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(cdata) >= 16:
                sec, nsec = struct.unpack_from("qq", cdata)
                return data, sec + nsec / 1e9
        return data, time.time()

    def recv(self) -> bytes | None:
        """One queued packet (network header first), or None when the queue is empty."""
        try:
            return self.sock.recv(65535)
        except (BlockingIOError, InterruptedError):
            return None

    def recv_many(self, limit: int = 4096) -> list[bytes]:
        """Up to ``limit`` queued packets at once (``recvmmsg`` when the C module is built)."""
        from paquet.probe.burst import recv_many

        return recv_many(self.sock, limit)

    def drops(self) -> int:
        """Packets the kernel dropped for this socket since the last call (queue full)."""
        if self.sock.family != socket.AF_PACKET:
            return self._raw_drops()
        raw = self.sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        _, dropped = struct.unpack("II", raw)
        return int(dropped)

    def _raw_drops(self) -> int:
        """An IP-level receiver's drops since the last call: the socket's running count
        (``SO_MEMINFO``'s ninth counter, ``SK_MEMINFO_DROPS``)."""
        total = struct.unpack("9I", self.sock.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))[8]
        new, self._dropped = total - self._dropped, total
        return max(0, int(new))

    def close(self, wait: bool = True) -> None:
        """Close the socket; ``wait=False``: a packet socket from another thread, as its close
        waits for the kernel's grace period (8 to 16 ms here) that the caller need not wait for
        (the process's exit waits for it, while the results are written)."""
        if wait or self.sock.family != socket.AF_PACKET:
            self.sock.close()
            return
        import threading

        threading.Thread(target=self.sock.close, name="paquet-close", daemon=True).start()


def receivers(family: int, protos: tuple[int, ...], dst: str | None) -> list[RawReceiver]:
    """The receivers of the packets of ``protos`` to ``dst``: over IPv4, one IP-level raw
    socket per protocol (they close at once, where a packet socket's close, even at the
    process's exit, waits 15 to 25 ms for the kernel); over IPv6, one packet socket (an IPv6
    raw socket does not hand over the IP header)."""
    if family != 4:
        return [RawReceiver(family, protos, dst)]
    out: list[RawReceiver] = []
    try:
        for proto in protos:
            out.append(RawReceiver(family, (proto,), dst, ip_level=True))
    except BaseException:
        for rx in out:
            rx.close()
        raise
    return out


def wait_readable(fd: int, timeout: float) -> bool:
    """Block until ``fd`` is readable or ``timeout`` seconds pass; True when readable."""
    import select

    if timeout <= 0:
        timeout = 0
    try:
        r, _, _ = select.select([fd], [], [], timeout)
    except InterruptedError:
        return False
    return bool(r)


def pid_port() -> int:
    """A per-process number in 32768..65535 (traceroute-style identifiers)."""
    return 32768 + (os.getpid() & 0x7FFF)
