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


def paquet_snmpwalk_drawing_port_0(dst: str, oid: str) -> str:
    """:func:`paquet_snmpwalk` with every random source port drawn as 0 (an agent cannot
    answer port 0: the walk must not send from it)."""
    from paquet.volatile import RandShort

    RandShort._fix = lambda self: 0  # type: ignore[method-assign]  # (a forked node child)
    return paquet_snmpwalk(dst, oid)



def paquet_ntp_sr1(dst: str, tries: int = 20) -> bytes:
    """An NTP client request sent with paquet's ``sr1`` (raw sockets, as a Scapy user does);
    the answer's UDP payload (b"" if none came)."""
    from paquet import IP, UDP, sr1
    from paquet.layers.ntp import NTPHeader

    for _ in range(tries):  # (chronyd may still be starting: each try waits its timeout)
        answer = sr1(IP(dst=dst) / UDP(sport=40123, dport=123) / NTPHeader(), timeout=1,
                     verbose=0)
        if answer is not None and UDP in answer:
            return bytes(answer[UDP].payload)
    return b""


def paquet_snmpget(dst: str, oid: str) -> str:
    """Run paquet's ``snmpget`` (Scapy's SNMP scan: a getnext to each address) and return
    what it printed."""
    from paquet.net.snmptools import snmpget

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        snmpget(dst, oid=oid)
    return out.getvalue()
