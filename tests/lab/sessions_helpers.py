"""Functions the sessions' lab tests run inside nodes (``node.run(func, ...)``): picklable."""

from __future__ import annotations

import os
import socket
import threading


def echo_transfer_captured(dst: str, port: int, size: int,
                           pcap: str) -> tuple[bytes, bytes, bytes]:
    """Send ``size`` random bytes to the TCP echo service at ``dst``, read them back, with a
    capture of the connection written to ``pcap``, and a second live capture reassembled by
    ``sniff(session=TCPSession)``; return (bytes sent, what the live session reassembled in
    each direction)."""
    from paquet import TCP, AsyncSniffer, Raw, TCPSession, wrpcap

    payload = os.urandom(size)
    sniffer = AsyncSniffer(filter=f"tcp port {port}")
    live = AsyncSniffer(filter=f"tcp port {port}", session=TCPSession)
    sniffer.start()
    live.start()
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
        streams = live.stop()
    if bytes(got) != payload:
        raise AssertionError("the echo service did not send back what it received")
    wrpcap(pcap, results)
    sent = b"".join(bytes(p[Raw].load) for p in streams if Raw in p and p[TCP].dport == port)
    echoed = b"".join(bytes(p[Raw].load) for p in streams if Raw in p and p[TCP].sport == port)
    return payload, sent, echoed
