"""TFTP's client automaton (Scapy's ``TFTP_read``): read a file from a TFTP server
(RFC 1350), one :class:`~paquet.net.automaton.Automaton` with Scapy's states: BEGIN sends the
read request, WAITING waits for the next block (the last packet sent again after 3 seconds of
silence), RECEIVING keeps a block and acknowledges it, END gives the file's bytes, ERROR the
server's error.

The automaton sends from a port of its own (``sport``, random by default), which the host's
kernel knows nothing of: a socket bound to it keeps the kernel from answering the server's
blocks with "port unreachable" (``run()`` opens one while it runs).
"""

from __future__ import annotations

import random
import socket
from typing import Any

from paquet.layers import IP, UDP, Raw
from paquet.layers.tftp import TFTP, TFTP_ACK, TFTP_DATA, TFTP_ERROR, TFTP_RRQ
from paquet.net.automaton import ATMT, Automaton
from paquet.numbers import TFTP_PORT

__all__ = ["TFTP_read"]


def _tftp(pkt: Any) -> Any:
    """The TFTP message of a received datagram (its UDP payload read as TFTP: the server
    answers from a port of its own, not 69)."""
    if TFTP in pkt or TFTP_DATA in pkt or TFTP_ERROR in pkt:  # (dissected, or built so)
        return pkt
    return TFTP(bytes(pkt[UDP].payload))


class TFTP_read(Automaton):
    """Read ``filename`` from ``server`` (Scapy's ``TFTP_read``): ``sport`` the port to send
    from (random by default), ``port`` the server's (69). ``run()`` gives the file's bytes,
    or the server's error as a summary line."""

    def parse_args(self, filename: Any, server: str, sport: int | None = None,  # type: ignore[override]
                   port: int = TFTP_PORT, **kargs: Any) -> None:
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
        """A socket on our port, so that the kernel does not refuse the server's blocks."""
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

    # BEGIN
    @ATMT.state(initial=1)
    def BEGIN(self) -> None:
        self.blocksize = 512
        self.my_tid = self.sport or random.randrange(1024, 65536)
        self.server_tid: int | None = None
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
