"""``TCP_client`` (Scapy's): a TCP connection played by an :class:`~paquet.net.automaton.Automaton`.

``TCP_client.tcplink(Raw, host, port)`` gives a socket-like object: ``send(data)`` sends it on
the connection, ``recv()`` gives what the server sent (as the class given), ``close()`` ends the
connection (FIN). The states are Scapy's: START, SYN_SENT, ESTABLISHED, LAST_ACK, CLOSED, and
STOP / STOP_SENT_FIN_ACK for a close asked by the user.

The kernel knows nothing of this connection: it would answer the server's SYN/ACK with a RST.
As ``paquet tcp`` does, an nftables table (its own, scoped to the flow) drops that RST while
the automaton runs, and is removed when it ends, whatever the way (needs root and ``nft``).
"""

from __future__ import annotations

import random
import socket
import threading
from typing import Any

from paquet.errors import NetworkError
from paquet.layers import IP, TCP, Padding
from paquet.net.automaton import ATMT, Automaton
from paquet.packet.base import NoPayload

__all__ = ["TCP_client"]


def _source_for(dst: str) -> str:
    """The address the kernel would send from towards ``dst`` (a UDP socket connected, nothing
    sent), in the current network namespace."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect((dst, 9))
        return str(s.getsockname()[0])


def _sender(**kargs: Any) -> Any:
    from paquet.net.sockets import L3RawSocket

    return L3RawSocket(iface=kargs.get("iface"), listen=False)


def _listener(**kargs: Any) -> Any:
    from paquet.net.sockets import L3RawSocket

    return L3RawSocket(filter=kargs.get("filter"), iface=kargs.get("iface"))


class TCP_client(Automaton):
    """A TCP client (Scapy's ``TCP_client``): ``ip``, ``port``; ``srcip`` (default: the
    route's source), ``sport`` (random), ``seq`` (random initial sequence number), ``ack``.

    ``tcplink(proto, ip, port, ...)`` runs it as a socket (see the module's text).
    """

    def __init__(self, *args: Any, **kargs: Any) -> None:
        kargs.setdefault("ll", _sender)
        kargs.setdefault("recvsock", _listener)
        self._guard: Any = None
        self._guard_lock = threading.Lock()
        super().__init__(*args, **kargs)

    def parse_args(self, ip: str, port: int, srcip: str | None = None,  # type: ignore[override]
                   sport: int | None = None, seq: int | None = None, ack: int = 0,
                   **kargs: Any) -> None:
        from paquet.course.handshake import resolve_address

        self.dst, version = resolve_address(str(ip))
        if version != 4:
            raise NetworkError(f"{ip}: TCP_client speaks IPv4 (as Scapy's)")
        self.dport = int(port)
        self.sport = sport if sport is not None else random.randrange(1024, 2**16)
        src = srcip or _source_for(self.dst)
        self.l4 = IP(dst=self.dst, src=src) / TCP(
            sport=self.sport, dport=self.dport, flags=0,
            seq=seq if seq is not None else random.randrange(0, 2**32), ack=ack)
        self.src = src
        self.sack = ack
        bpf = (f"host {self.src} and host {self.dst} and port {self.sport} "
               f"and port {self.dport}")
        Automaton.parse_args(self, filter=bpf, **kargs)

    def _silence_kernel(self) -> None:
        from paquet.course.handshake import _RstGuard

        with self._guard_lock:
            if self._guard is None:
                guard = _RstGuard(self.src, self.sport, self.dst, self.dport)
                guard.install()
                self._guard = guard

    def _control(self, *args: Any) -> None:
        try:
            super()._control(*args)
        finally:
            with self._guard_lock:
                if self._guard is not None:
                    self._guard.remove()
                    self._guard = None

    def master_filter(self, pkt: Any) -> bool:
        return bool(
            IP in pkt and TCP in pkt
            and pkt[IP].src == self.dst and pkt[IP].dst == self.src
            and pkt[TCP].sport == self.dport and pkt[TCP].dport == self.sport
        )

    def _transmit(self, data: bytes) -> None:
        self.oi.tcp.send(data)

    @ATMT.state(initial=1)
    def START(self) -> None:
        pass

    @ATMT.state()
    def SYN_SENT(self) -> None:
        pass

    @ATMT.state()
    def ESTABLISHED(self) -> None:
        pass

    @ATMT.state()
    def LAST_ACK(self) -> None:
        pass

    @ATMT.state(final=1)
    def CLOSED(self) -> None:
        pass

    @ATMT.state(stop=1)
    def STOP(self) -> None:
        pass

    @ATMT.state()
    def STOP_SENT_FIN_ACK(self) -> None:
        pass

    @ATMT.condition(START)
    def connect(self) -> None:
        raise self.SYN_SENT()

    @ATMT.action(connect)
    def send_syn(self) -> None:
        self._silence_kernel()  # before the SYN/ACK can come back
        self.l4[TCP].flags = "S"
        self.send(self.l4)
        self.l4[TCP].seq = (self.l4[TCP].seq + 1) & 0xFFFFFFFF

    @ATMT.receive_condition(SYN_SENT)
    def synack_received(self, pkt: Any) -> None:
        if pkt[TCP].flags.S and pkt[TCP].flags.A:
            raise self.ESTABLISHED().action_parameters(pkt)

    @ATMT.action(synack_received)
    def send_ack_of_synack(self, pkt: Any) -> None:
        self.l4[TCP].ack = (pkt[TCP].seq + 1) & 0xFFFFFFFF
        self.l4[TCP].flags = "A"
        self.send(self.l4)

    @ATMT.receive_condition(ESTABLISHED)
    def incoming_data_received(self, pkt: Any) -> None:
        if not isinstance(pkt[TCP].payload, NoPayload | Padding):
            raise self.ESTABLISHED().action_parameters(pkt)

    @ATMT.action(incoming_data_received)
    def receive_data(self, pkt: Any) -> None:
        from paquet.net.sessions import _tcp_data

        data = _tcp_data(pkt[TCP])
        if data and self.l4[TCP].ack == pkt[TCP].seq:
            self.sack = self.l4[TCP].ack
            self.l4[TCP].ack = (self.l4[TCP].ack + len(data)) & 0xFFFFFFFF
            self.l4[TCP].flags = "A"
            self.send(self.l4)
            self._transmit(data)
        elif data:  # out of order or a retransmission: say again what we expect
            self.l4[TCP].flags = "A"
            self.send(self.l4)

    @ATMT.ioevent(ESTABLISHED, name="tcp", as_supersocket="tcplink")
    def outgoing_data_received(self, fd: Any) -> None:
        raise self.ESTABLISHED().action_parameters(fd.recv())

    @ATMT.action(outgoing_data_received)
    def send_data(self, d: bytes) -> None:
        self.l4[TCP].flags = "PA"
        self.send(self.l4 / d)
        self.l4[TCP].seq = (self.l4[TCP].seq + len(d)) & 0xFFFFFFFF

    @ATMT.receive_condition(ESTABLISHED)
    def reset_received(self, pkt: Any) -> None:
        if pkt[TCP].flags.R:
            raise self.CLOSED()

    @ATMT.receive_condition(ESTABLISHED)
    def fin_received(self, pkt: Any) -> None:
        if pkt[TCP].flags.F:
            raise self.LAST_ACK().action_parameters(pkt)

    @ATMT.action(fin_received)
    def send_finack(self, pkt: Any) -> None:
        self.l4[TCP].flags = "FA"
        from paquet.net.sessions import _tcp_data

        self.l4[TCP].ack = (pkt[TCP].seq + len(_tcp_data(pkt[TCP])) + 1) & 0xFFFFFFFF
        self.send(self.l4)
        self.l4[TCP].seq = (self.l4[TCP].seq + 1) & 0xFFFFFFFF

    @ATMT.receive_condition(LAST_ACK)
    def ack_of_fin_received(self, pkt: Any) -> None:
        if pkt[TCP].flags.A:
            raise self.CLOSED()

    @ATMT.condition(STOP)
    def stop_requested(self) -> None:
        raise self.STOP_SENT_FIN_ACK()

    @ATMT.action(stop_requested)
    def stop_send_finack(self) -> None:
        self.l4[TCP].flags = "FA"
        self.send(self.l4)
        self.l4[TCP].seq = (self.l4[TCP].seq + 1) & 0xFFFFFFFF

    @ATMT.receive_condition(STOP_SENT_FIN_ACK)
    def stop_fin_received(self, pkt: Any) -> None:
        if pkt[TCP].flags.F:
            raise self.CLOSED().action_parameters(pkt)

    @ATMT.action(stop_fin_received)
    def stop_send_ack(self, pkt: Any) -> None:
        self.l4[TCP].flags = "A"
        self.l4[TCP].ack = (pkt[TCP].seq + 1) & 0xFFFFFFFF
        self.send(self.l4)

    @ATMT.timeout(SYN_SENT, 1)
    def syn_ack_timeout(self) -> None:
        raise self.CLOSED()

    @ATMT.timeout(STOP_SENT_FIN_ACK, 1)
    def stop_ack_timeout(self) -> None:
        raise self.CLOSED()
