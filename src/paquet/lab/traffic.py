"""Traffic a lab node makes for the pictures of the documentation and their tests: functions
run inside a node (``node.run(func, ...)``, so module level and picklable), each asking a
real peer of the lab.

Paris traceroutes give one path per flow over a lab with parallel routes; the mixed traffic
gives conversations of every kind (TCP echoes of several sizes, UDP datagrams, pings) to draw
and plot. Both need the lab's echo services on port 10000 (the ``tp`` and ``ecmp`` built-in
labs have them).
"""

from __future__ import annotations

import socket
import subprocess

__all__ = ["ECHO_PORT", "mixed_traffic", "paris_pairs", "recv_echo"]

#: The port of the built-in labs' TCP and UDP echo services.
ECHO_PORT = 10000


def paris_pairs(dst: str, sports: list[int], maxttl: int = 4) -> list[tuple[bytes, bytes]]:
    """Scapy-style TCP traceroutes to ``dst`` port 80, one flow per source port (all in one
    run, ``maxttl`` hops at most): the ``(probe, answer)`` pairs as bytes."""
    from paquet.net.traceroute import traceroute

    res, _unans = traceroute(dst, dport=80, sport=sports, maxttl=maxttl, timeout=1, verbose=0)
    return [(bytes(s), bytes(r)) for s, r in res.res]


def recv_echo(sock: socket.socket, size: int) -> bytes:
    """The ``size`` bytes a TCP echo service sends back on the connected ``sock`` (fewer when
    it closes first).

    >>> a, b = socket.socketpair()
    >>> b.sendall(b"abc"); b.close()
    >>> recv_echo(a, 5)
    b'abc'
    >>> a.close()
    """
    data = b""
    while len(data) < size:
        chunk = sock.recv(65535)
        if not chunk:
            break
        data += chunk
    return data


def _tcp_echo(server: str, size: int) -> None:
    """``size`` bytes to the echo service of ``server``, read back."""
    with socket.create_connection((server, ECHO_PORT), timeout=2) as s:
        s.sendall(b"x" * size)
        recv_echo(s, size)


def mixed_traffic(server: str, remote: str, pings: int = 2) -> None:
    """Some of everything between this node and two others: TCP echoes of 10, 200 and 1200
    bytes with ``server``, five UDP datagrams echoed by ``remote``, ``pings`` pings of
    ``server`` (an echo that does not come raises, as a failed ping does)."""
    for size in (10, 200, 1200):
        _tcp_echo(server, size)
    family = socket.AF_INET6 if ":" in remote else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as u:
        u.settimeout(1)
        for i in range(5):
            u.sendto(b"d" * (i * 50 + 1), (remote, ECHO_PORT))
            u.recv(65535)
    subprocess.run(["ping", "-c", str(pings), "-i", "0.2", "-W", "1", server], check=True,
                   capture_output=True)
