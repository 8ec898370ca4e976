"""open_filtered_socket: a libpcap-compiled filter in the kernel, attached before the bind."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from paquet.net.bpf import compile_filter, open_filtered_socket


def _receive_only_port_9() -> list[int]:
    """In a lab node: UDP to ports 9 and 10 on loopback; the socket sees port 9 only."""
    program = compile_filter("udp dst port 9", 228)
    sock = open_filtered_socket(program, 0x0800)
    sock.settimeout(0.2)
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for port in (10, 9, 10, 9, 10):
        out.sendto(b"x", ("127.0.0.1", port))
    ports = []
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        try:
            data = sock.recv(2048)
        except TimeoutError:
            break
        ihl = (data[0] & 0x0F) * 4
        ports.append(int.from_bytes(data[ihl + 2 : ihl + 4], "big"))
    return ports


@pytest.mark.privileged
def test_only_what_the_filter_accepts_is_queued(lab_tp: Any) -> None:
    ports = lab_tp["client"].run(_receive_only_port_9)
    # Loopback shows each datagram twice (outgoing and incoming) on a packet socket.
    assert ports and set(ports) == {9}
    assert len(ports) in (2, 4)


def test_probe_receiver_filter_accepts_exactly_its_replies() -> None:
    from paquet.layers import ICMP, IP, TCP, UDP
    from paquet.probe.rawio import _filter_expression

    prog = compile_filter(_filter_expression((6, 1), 4, "192.0.2.1"), 228)
    assert prog.matches(bytes(IP(src="192.0.2.9", dst="192.0.2.1") / TCP(flags="SA")))
    assert prog.matches(bytes(IP(src="192.0.2.9", dst="192.0.2.1") / ICMP(type=3, code=3)))
    assert not prog.matches(bytes(IP(src="192.0.2.9", dst="192.0.2.1") / UDP()))
    assert not prog.matches(bytes(IP(src="192.0.2.9", dst="192.0.2.7") / TCP()))
