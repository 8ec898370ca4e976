"""Functions the NTP and SNMP lab tests run inside nodes (module level, picklable)."""

from __future__ import annotations

import contextlib
import io
import socket


def udp_ask(dst: str, port: int, payload: bytes, tries: int = 40, timeout: float = 0.5) -> bytes:
    """Send ``payload`` until an answer comes from ``dst`` (a server still starting answers a
    later try; the socket is not connected, so a port not yet open costs a whole timeout
    instead of failing at once); return the answer, or b"" after ``tries`` timeouts."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        for _ in range(tries):
            s.sendto(payload, (dst, port))
            try:
                while True:
                    data, peer = s.recvfrom(65535)
                    if peer == (dst, port):
                        return data
            except TimeoutError:
                continue
    return b""


def paquet_snmpwalk(dst: str, oid: str) -> str:
    """Run paquet's ``snmpwalk`` (raw sockets, as Scapy's) and return what it printed."""
    from paquet.net.snmptools import snmpwalk

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        snmpwalk(dst, oid=oid, timeout=2, retry=1)
    return out.getvalue()

