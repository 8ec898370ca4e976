"""The exchange engine below the sockets: what it asks of a socket, and that it imports none.

``paquet.net.exchange`` drives the sockets' ``sr``/``sr1`` and Scapy's ``sr``/``srp``; it knows
a socket only by duck typing (tests/test_imports.py checks it imports no socket class). These
tests run over a Unix socket pair: nothing reaches a network.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from paquet.net import exchange, frames, sendrecv, sockets


def _echo_peer(peer: socket.socket) -> threading.Thread:
    """Answer each chunk received on ``peer`` with the same bytes, until it is closed."""

    def run() -> None:
        with peer:
            while data := peer.recv(4096):
                peer.sendall(data)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _stream() -> tuple[Any, threading.Thread]:
    from paquet.layers import Raw

    mine, peer = socket.socketpair()
    return sockets.StreamSocket(mine, Raw), _echo_peer(peer)


def test_names_are_importable_where_they_were() -> None:
    for name in ("sndrcv", "stream_sr", "SndRcvList", "QueryAnswer", "_Exchange"):
        assert getattr(sendrecv, name) is getattr(exchange, name)
    for name in ("MTU", "IP_ETHERTYPES", "expand", "decode_l3", "decode_frame", "recv_packet"):
        assert getattr(sockets, name) is getattr(frames, name)


def test_a_stream_socket_is_recognised_by_its_layer() -> None:
    from paquet.layers import Raw

    assert sockets.StreamSocket.layer == exchange.STREAM_LAYER
    ss, peer = _stream()
    try:
        ans, unans = sendrecv.sndrcv(ss, Raw(b"Miaou"), timeout=2, verbose=0)
        assert [bytes(a) for _q, a in ans] == [b"Miaou"] and len(unans) == 0
        assert isinstance(ans, sendrecv.SndRcvList)
        assert bytes(ss.sr1(Raw(b"Ouaf"), timeout=2, verbose=0)) == b"Ouaf"
    finally:
        ss.close()
        peer.join(2)


def test_a_socket_without_a_packet_receiver_is_only_sent_to() -> None:
    class Sender:
        layer = 3

        def __init__(self) -> None:
            self.sent: list[bytes] = []

        def send_bytes(self, data: bytes) -> int:
            self.sent.append(data)
            return len(data)

    sender = Sender()
    channel = exchange._SocketChannel(sender, own=False)
    assert channel.receivers() == []
    assert channel.send_bytes(b"\x45") == 1
    channel.close()
    assert sender.sent == [b"\x45"]

