"""The unprivileged ICMP echo sockets (the kernel's ping sockets), behind the interface of the
raw ones: IP packets in, whole IP packets (header rebuilt) out.
"""

from __future__ import annotations

import errno
import socket
import struct
import time
from typing import Any

from paquet.errors import NetworkError
from paquet.net.frames import (
    MTU,
)
from paquet.net.linux import IP_RECVTTL
from paquet.net.privilege import privilege_error

__all__ = [
    "ICMPSocket",
]


class ICMPSocket:
    """The kernel's unprivileged ICMP echo sockets (``SOCK_DGRAM``/``IPPROTO_ICMP``).

    Allowed without CAP_NET_RAW to the groups of ``net.ipv4.ping_group_range``. The echo
    identifier is the socket's bound "port", so one socket is opened per identifier (when it
    cannot be had, identifier 0 included, the kernel picks one and replies get the probe's
    back). TTL and TOS are set per packet; replies come back as ICMP only and are given an IP
    header again (source, destination, TTL from the kernel) so they dissect and match like
    raw replies.
    """

    def __init__(self) -> None:
        self._socks: dict[tuple[int, int], socket.socket] = {}
        self._wanted: dict[int, int] = {}

    def socket_for(self, version: int, ident: int) -> socket.socket:
        """The ping socket of ``version`` bound to echo identifier ``ident``."""
        key = (version, ident)
        sock = self._socks.get(key)
        if sock is not None:
            return sock
        family, proto = (
            (socket.AF_INET, socket.IPPROTO_ICMP)
            if version == 4
            else (socket.AF_INET6, socket.IPPROTO_ICMPV6)
        )
        try:
            sock = socket.socket(family, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC, proto)
        except PermissionError:
            raise privilege_error("sending ICMP echo requests") from None
        try:
            sock.bind(("", ident) if version == 4 else ("::", ident))
        except OSError:
            # Taken by another ping socket (or 0, which means "any"): the kernel picks the
            # identifier on the wire, and replies get the probe's identifier back on receipt.
            sock.bind(("", 0) if version == 4 else ("::", 0))
        self._wanted[sock.fileno()] = ident
        if version == 4:
            sock.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
        else:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
        sock.setblocking(False)
        self._socks[key] = sock
        return sock

    def send_bytes(self, data: bytes) -> int:
        """Send the ICMP echo request inside the IP packet ``data``; return its length."""
        version = data[0] >> 4
        if version == 4:
            ihl = (data[0] & 0x0F) * 4
            icmp = data[ihl:]
            ident = struct.unpack_from("!H", icmp, 4)[0]
            sock = self.socket_for(4, ident)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, data[8] or 64)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, data[1])
            dst = socket.inet_ntop(socket.AF_INET, data[16:20])
            address: tuple[Any, ...] = (dst, 0)
        else:
            icmp = data[40:]
            ident = struct.unpack_from("!H", icmp, 4)[0]
            sock = self.socket_for(6, ident)
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, data[7] or 64)
            dst = socket.inet_ntop(socket.AF_INET6, data[24:40])
            address = (dst, 0, 0, 0)
        try:
            sock.sendto(icmp, address)
        except OSError as exc:
            if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
                raise NetworkError(f"no route to {dst}: {exc.strerror}") from None
            raise NetworkError(f"sending to {dst} failed: {exc.strerror}") from None
        return len(data)

    def fileno_list(self) -> list[socket.socket]:
        """The open ping sockets (to wait on)."""
        return list(self._socks.values())

    def recv_from(self, sock: socket.socket) -> tuple[bytes, float] | None:
        """One reply as a whole IP packet (header rebuilt), or None when nothing is queued."""
        try:
            data, anc, _flags, addr = sock.recvmsg(MTU, 64)
        except BlockingIOError:
            return None
        stamp = time.time()
        data = self._restore_ident(sock, data)
        hops = 64
        for _level, kind, payload in anc:
            if kind in (socket.IP_TTL, socket.IPV6_HOPLIMIT) and len(payload) >= 4:
                (hops,) = struct.unpack_from("=i", payload)
        if sock.family == socket.AF_INET:
            local = sock.getsockname()[0]
            return _ipv4_header(addr[0], local, hops, 1, len(data)) + data, stamp
        local6 = _local_for(addr[0])
        header = struct.pack("!IHBB", 0x60000000, len(data), 58, hops)
        header += socket.inet_pton(socket.AF_INET6, addr[0])
        header += socket.inet_pton(socket.AF_INET6, local6)
        return header + data, stamp

    def _restore_ident(self, sock: socket.socket, data: bytes) -> bytes:
        """Give an echo reply the identifier of its probe when the kernel chose another."""
        from paquet.checksums import incremental_update

        wanted = self._wanted.get(sock.fileno())
        actual = sock.getsockname()[1]
        if wanted is None or wanted == actual or len(data) < 8 or data[0] not in (0, 129):
            return data
        if int.from_bytes(data[4:6], "big") != actual:
            return data
        chk = incremental_update(int.from_bytes(data[2:4], "big"), actual, wanted)
        return data[:2] + chk.to_bytes(2, "big") + wanted.to_bytes(2, "big") + data[6:]

    def close(self) -> None:
        """Close every ping socket."""
        for sock in self._socks.values():
            sock.close()
        self._socks.clear()
        self._wanted.clear()


def _local_for(remote: str) -> str:
    from paquet.net.route import source_address

    try:
        return source_address(remote) or "::"
    except NetworkError:
        return "::"


def _ipv4_header(src: str, dst: str, ttl: int, proto: int, payload_len: int) -> bytes:
    from paquet.checksums import internet_checksum

    if dst in ("0.0.0.0", ""):
        dst = _local_for(src)
    header = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + payload_len,
        0,
        0,
        ttl,
        proto,
        0,
        socket.inet_aton(src),
        socket.inet_aton(dst),
    )
    chk = internet_checksum(header)
    return header[:10] + struct.pack("!H", chk) + header[12:]
