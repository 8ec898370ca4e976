"""TFTP's client automata (Scapy's ``TFTP_read`` and ``TFTP_write``): read a file from a
TFTP server, or write one to it (RFC 1350), each an :class:`~paquet.net.automaton.Automaton`
with Scapy's states. TFTP_read: BEGIN sends the read request, WAITING waits for the next block
(the last packet sent again after 3 seconds of silence), RECEIVING keeps a block and
acknowledges it, END gives the file's bytes, ERROR the server's error. TFTP_write: BEGIN sends
the write request, WAITING_ACK waits for the acknowledgement of the last packet, SEND_DATA
sends the next block, END once the last block is sent.

The automaton sends from a port of its own (``sport``, random by default), which the host's
kernel knows nothing of: a socket bound to it keeps the kernel from answering the server's
blocks with "port unreachable" (``run()`` opens one while it runs).
"""

from __future__ import annotations

import random
import socket
from typing import Any

from paquet.layers import IP, UDP, Raw
from paquet.layers.tftp import TFTP, TFTP_ACK, TFTP_DATA, TFTP_ERROR, TFTP_RRQ, TFTP_WRQ
from paquet.net.automaton import ATMT, Automaton
from paquet.numbers import TFTP_PORT

__all__ = ["TFTP_read", "TFTP_write"]


def _tftp(pkt: Any) -> Any:
    """The TFTP message of a received datagram (its UDP payload read as TFTP: the server
    answers from a port of its own, not 69)."""
    if TFTP in pkt or TFTP_DATA in pkt or TFTP_ERROR in pkt or TFTP_ACK in pkt:
        # (dissected, or built so)
        return pkt
    return TFTP(bytes(pkt[UDP].payload))


class _TFTPClient(Automaton):
    """What both clients share: the server, the ports, the packets looked at, the kernel kept
    quiet on our port."""

    my_tid: int
    server_tid: int | None

    def _setup(self, filename: Any, server: str, sport: int | None, port: int,
               kargs: dict[str, Any]) -> None:
        if "iface" not in kargs:  # the route's interface towards the server (Scapy's)
            from paquet.errors import NetworkError
            from paquet.net.conf import conf

            try:
                kargs["iface"] = conf.route.route(str(server))[0]
            except NetworkError:  # no route: the default interface, as Scapy's route gives
                kargs["iface"] = conf.iface
        Automaton.parse_args(self, **kargs)
        self.filename = filename
        self.server = server
        self.port = port
        self.sport = sport
        self._quiet: socket.socket | None = None

    def master_filter(self, pkt: Any) -> bool:
        return bool(IP in pkt and pkt[IP].src == self.server and UDP in pkt
                    and pkt[UDP].dport == self.my_tid
                    and (self.server_tid is None or pkt[UDP].sport == self.server_tid))

    def _silence_kernel(self) -> None:
        """A socket on our port, so that the kernel does not refuse the server's packets."""
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(("0.0.0.0", self.my_tid))
        except OSError:  # (already bound by the caller: the kernel is quiet then too)
            s.close()
            return
        self._quiet = s

    def _close_quiet(self) -> None:
        if self._quiet is not None:
            self._quiet.close()
            self._quiet = None


class TFTP_read(_TFTPClient):
    """Read ``filename`` from ``server`` (Scapy's ``TFTP_read``): ``sport`` the port to send
    from (random by default), ``port`` the server's (69). ``run()`` gives the file's bytes,
    or the server's error as a summary line."""

    def parse_args(self, filename: Any, server: str, sport: int | None = None,  # type: ignore[override]
                   port: int = TFTP_PORT, **kargs: Any) -> None:
        self._setup(filename, server, sport, port, kargs)

    # BEGIN
    @ATMT.state(initial=1)
    def BEGIN(self) -> None:
        self.blocksize = 512
        self.my_tid = self.sport or random.randrange(1024, 65536)
        self.server_tid = None
        self.res = b""
        self._silence_kernel()
        self.l3 = IP(dst=self.server) / UDP(sport=self.my_tid, dport=self.port) / TFTP()
        self.last_packet = self.l3 / TFTP_RRQ(filename=self.filename, mode="octet")
        self.send(self.last_packet)
        self.awaiting = 1
        raise self.WAITING()

    # WAITING
    @ATMT.state()
    def WAITING(self) -> None:
        pass

    @ATMT.receive_condition(WAITING)
    def receive_data(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_DATA in msg and msg[TFTP_DATA].block == self.awaiting:
            if self.server_tid is None:
                self.server_tid = pkt[UDP].sport
                self.l3[UDP].dport = self.server_tid
            raise self.RECEIVING(msg)

    @ATMT.receive_condition(WAITING, prio=1)
    def receive_error(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_ERROR in msg:
            raise self.ERROR(msg)

    @ATMT.timeout(WAITING, 3)
    def timeout_waiting(self) -> None:
        raise self.WAITING()

    @ATMT.action(timeout_waiting)
    def retransmit_last_packet(self) -> None:
        self.send(self.last_packet)

    @ATMT.action(receive_data)
    def send_ack(self) -> None:
        self.last_packet = self.l3 / TFTP_ACK(block=self.awaiting)
        self.send(self.last_packet)

    # RECEIVING
    @ATMT.state()
    def RECEIVING(self, msg: Any) -> None:
        recvd = msg[Raw].load if Raw in msg else b""
        self.res += recvd
        self.awaiting += 1
        if len(recvd) == self.blocksize:
            raise self.WAITING()
        raise self.END()

    # ERROR
    @ATMT.state(error=1)
    def ERROR(self, msg: Any) -> Any:
        self._close_quiet()
        return msg[TFTP_ERROR].summary()

    # END
    @ATMT.state(final=1)
    def END(self) -> bytes:
        self._close_quiet()
        return self.res


class TFTP_write(_TFTPClient):
    """Write ``data`` as ``filename`` on ``server`` (Scapy's ``TFTP_write``): ``sport`` the
    port to send from (random by default), ``port`` the server's (69). Ends once the last
    block is sent (as Scapy's); the server's error ends it in ERROR."""

    def parse_args(self, filename: Any, data: bytes | str, server: str,  # type: ignore[override]
                   sport: int | None = None, port: int = TFTP_PORT, **kargs: Any) -> None:
        self._setup(filename, server, sport, port, kargs)
        self.blocksize = 512
        self.origdata = data.encode() if isinstance(data, str) else bytes(data)

    # BEGIN
    @ATMT.state(initial=1)
    def BEGIN(self) -> None:
        size = self.blocksize
        self.data = [self.origdata[i * size:(i + 1) * size]
                     for i in range(len(self.origdata) // size + 1)]
        self.my_tid = self.sport or random.randrange(1024, 65536)
        self.server_tid = None
        self._silence_kernel()
        self.l3 = IP(dst=self.server) / UDP(sport=self.my_tid, dport=self.port) / TFTP()
        self.last_packet = self.l3 / TFTP_WRQ(filename=self.filename, mode="octet")
        self.send(self.last_packet)
        self.res = ""
        self.awaiting = 0
        raise self.WAITING_ACK()

    # WAITING_ACK
    @ATMT.state()
    def WAITING_ACK(self) -> None:
        pass

    @ATMT.receive_condition(WAITING_ACK)
    def received_ack(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_ACK in msg and msg[TFTP_ACK].block == self.awaiting:
            if self.server_tid is None:
                self.server_tid = pkt[UDP].sport
                self.l3[UDP].dport = self.server_tid
            raise self.SEND_DATA()

    @ATMT.receive_condition(WAITING_ACK)
    def received_error(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_ERROR in msg:
            raise self.ERROR(msg)

    @ATMT.timeout(WAITING_ACK, 3)
    def timeout_waiting(self) -> None:
        raise self.WAITING_ACK()

    @ATMT.action(timeout_waiting)
    def retransmit_last_packet(self) -> None:
        self.send(self.last_packet)

    # SEND_DATA
    @ATMT.state()
    def SEND_DATA(self) -> None:
        self.awaiting += 1
        self.last_packet = self.l3 / TFTP_DATA(block=self.awaiting) / Raw(self.data.pop(0))
        self.send(self.last_packet)
        if self.data:
            raise self.WAITING_ACK()
        raise self.END()

    # ERROR
    @ATMT.state(error=1)
    def ERROR(self, msg: Any) -> Any:
        self._close_quiet()
        return msg[TFTP_ERROR].summary()

    # END
    @ATMT.state(final=1)
    def END(self) -> None:
        self._close_quiet()
