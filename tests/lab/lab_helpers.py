"""Functions the lab tests run inside nodes (``node.run(func, ...)``): module level, picklable."""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

from paquet.checksums import internet_checksum
from paquet.lab.traffic import recv_echo


def _family(dst: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ipaddress.ip_address(dst).version == 6 else socket.AF_INET


def udp_exchange(dst: str, port: int, payload: bytes, timeout: float = 1.0) -> tuple[bytes, str]:
    """Send one datagram, return (reply or b"", our source address)."""
    with socket.socket(_family(dst), socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((dst, port))
        s.send(payload)
        src = s.getsockname()[0]
        try:
            data = s.recv(65535)
        except (TimeoutError, ConnectionRefusedError):
            data = b""
    return data, src


def tcp_exchange(dst: str, port: int, payload: bytes, timeout: float = 2.0) -> tuple[bytes, str]:
    """Connect, send, read the echo back; return (reply, our source address)."""
    with socket.create_connection((dst, port), timeout=timeout) as s:
        src = s.getsockname()[0]
        s.sendall(payload)
        data = recv_echo(s, len(payload))
    return data, src


def tcp_state(dst: str, port: int, timeout: float = 0.5) -> str:
    """'open', 'closed' (refused: RST) or 'filtered' (no answer)."""
    try:
        with socket.create_connection((dst, port), timeout=timeout):
            return "open"
    except ConnectionRefusedError:
        return "closed"
    except TimeoutError:
        return "filtered"


def udp_burst(dst: str, port: int, count: int) -> int:
    """Send ``count`` datagrams numbered b"0", b"1"...; return how many were sent."""
    with socket.socket(_family(dst), socket.SOCK_DGRAM) as s:
        for i in range(count):
            s.sendto(str(i).encode(), (dst, port))
    return count


def udp_flows(dst: str, port: int, count: int) -> list[int]:
    """One datagram from each of ``count`` sockets (``count`` source ports); the ports used.

    The sockets stay open a moment, so echoed replies find them (no ICMP errors back).
    """
    sockets = [socket.socket(_family(dst), socket.SOCK_DGRAM) for _ in range(count)]
    try:
        for s in sockets:
            s.sendto(b"flow", (dst, port))
        time.sleep(0.1)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def http_get(url: str) -> tuple[int, str]:
    """GET ``url``: (status, body)."""
    with urllib.request.urlopen(url, timeout=2) as reply:
        return reply.status, reply.read().decode()


def spoofed_udp(src: str, dst: str, sport: int, dport: int, payload: bytes) -> None:
    """Send an IPv4/UDP datagram with a forged source address through a raw socket."""
    udp_len = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    csum = internet_checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    header = header[:10] + struct.pack("!H", internet_checksum(header)) + header[12:]
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW) as s:
        s.sendto(header + udp, (dst, 0))


def spoofed_udp6(src: str, dst: str, sport: int, dport: int, payload: bytes) -> None:
    """Send an IPv6/UDP datagram with a forged source address through a raw socket."""
    saddr = socket.inet_pton(socket.AF_INET6, src)
    daddr = socket.inet_pton(socket.AF_INET6, dst)
    udp_len = 8 + len(payload)
    pseudo = saddr + daddr + struct.pack("!I3xB", udp_len, 17)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    csum = internet_checksum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", csum) + udp[8:]
    header = struct.pack("!IHBB", 6 << 28, udp_len, 17, 64) + saddr + daddr
    with socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW) as s:
        s.sendto(header + udp, (dst, 0))


def raise_value_error(message: str) -> None:
    """Raise ValueError(message) (to test that exceptions come back)."""
    raise ValueError(message)


def netns_identity() -> tuple[int, list[str]]:
    """(inode of our network namespace, names of our interfaces)."""
    import os

    return os.stat("/proc/thread-self/ns/net").st_ino, [n for _, n in socket.if_nameindex()]


def sleep_for(seconds: float) -> str:
    """Sleep, then return "done"."""
    time.sleep(seconds)
    return "done"


def live_processes(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line mentions ``marker`` (a lab's state path)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if marker.encode() in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z":
            out.append(int(entry))
    return out


def root_links() -> set[str]:
    """The names of the root namespace's links."""
    proc = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True,
                          check=True)
    return {line.split(":")[1].strip().split("@")[0] for line in proc.stdout.splitlines()}


def processes_using(path: str) -> list[int]:
    """Live processes naming ``path`` in their command line or holding a file under it open
    (an nginx worker's command line names nothing, its log files do)."""
    out = []
    marker = path.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue
            if marker in Path(f"/proc/{entry}/cmdline").read_bytes():
                out.append(int(entry))
                continue
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{entry}/fd/{fd}")
            except OSError:
                continue
            if target.startswith(path):
                out.append(int(entry))
                break
    return out
