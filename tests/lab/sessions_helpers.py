"""Functions the sessions' lab tests run inside nodes (``node.run(func, ...)``): picklable."""

from __future__ import annotations

import os
import socket
import threading


def echo_transfer_captured(dst: str, port: int, size: int, pcap: str) -> bytes:
    """Send ``size`` random bytes to the TCP echo service at ``dst``, read them back, with a
    capture of the connection written to ``pcap``; return the bytes sent."""
    from paquet import AsyncSniffer, wrpcap

    payload = os.urandom(size)
    sniffer = AsyncSniffer(filter=f"tcp port {port}")
    sniffer.start()
    try:
        with socket.create_connection((dst, port), timeout=30) as s:
            sender = threading.Thread(target=s.sendall, args=(payload,))
            sender.start()
            got = bytearray()
            while len(got) < size:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            sender.join()
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
    finally:
        results = sniffer.stop()
    if bytes(got) != payload:
        raise AssertionError("the echo service did not send back what it received")
    wrpcap(pcap, results)
    return payload
