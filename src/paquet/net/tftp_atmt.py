"""TFTP's client automata (Scapy's ``TFTP_read`` and ``TFTP_write``): read a file from a
TFTP server, or write one to it (RFC 1350), each an :class:`~paquet.net.automaton.Automaton`
with Scapy's states. TFTP_read: BEGIN sends the read request, WAITING waits for the next block
(the last packet sent again after 3 seconds of silence), RECEIVING keeps a block and
acknowledges it, END gives the file's bytes, ERROR the server's error. TFTP_write: BEGIN sends
the write request, WAITING_ACK waits for the acknowledgement of the last packet, SEND_DATA
sends the next block, END once the last block is sent. Two servers too (Scapy's):
``TFTP_WRQ_server`` takes one file written to it, ``TFTP_RRQ_server`` serves files from a
dictionary or a directory.

The automaton sends from a port of its own (``sport``, random by default), which the host's
kernel knows nothing of: a socket bound to it keeps the kernel from answering the server's
blocks with "port unreachable" (``run()`` opens one while it runs).
"""

from __future__ import annotations

import random
import socket
from typing import Any

from paquet.layers import IP, UDP, Raw
from paquet.layers.tftp import (
    TFTP,
    TFTP_ACK,
    TFTP_DATA,
    TFTP_ERROR,
    TFTP_OACK,
    TFTP_RRQ,
    TFTP_WRQ,
    TFTP_Error_Codes,
    TFTP_Options,
)
from paquet.net.automaton import ATMT, Automaton
from paquet.numbers import TFTP_PORT

__all__ = ["TFTP_RRQ_server", "TFTP_WRQ_server", "TFTP_read", "TFTP_write"]


def _tftp(pkt: Any) -> Any:
    """The TFTP message of a received datagram (its UDP payload read as TFTP: the server
    answers from a port of its own, not 69)."""
    if TFTP in pkt or TFTP_DATA in pkt or TFTP_ERROR in pkt or TFTP_ACK in pkt \
            or TFTP_RRQ in pkt or TFTP_WRQ in pkt:  # (dissected, or built so)
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

    def _start(self, request: Any) -> None:
        """Our port (the kernel kept quiet on it) and ``request`` sent to the server's."""
        self.my_tid = self.sport or random.randrange(1024, 65536)
        self.server_tid = None
        self._silence_kernel()
        self.l3 = IP(dst=self.server) / UDP(sport=self.my_tid, dport=self.port) / TFTP()
        self.last_packet = self.l3 / request
        self.send(self.last_packet)

    def _expected(self, pkt: Any, layer: type, block: int) -> Any:
        """The TFTP message of ``pkt`` when it is ``layer`` for ``block`` (else None); the
        first one fixes the server's port, where the next packets go."""
        msg = _tftp(pkt)
        if layer not in msg or msg[layer].block != block:
            return None
        if self.server_tid is None:
            self.server_tid = pkt[UDP].sport
            self.l3[UDP].dport = self.server_tid
        return msg

    # ERROR (the server's error, as a summary line)
    @ATMT.state(error=1)
    def ERROR(self, msg: Any) -> Any:
        self._close_quiet()
        return msg[TFTP_ERROR].summary()


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
        self.res = b""
        self._start(TFTP_RRQ(filename=self.filename, mode="octet"))
        self.awaiting = 1
        raise self.WAITING()

    # WAITING
    @ATMT.state()
    def WAITING(self) -> None:
        pass

    @ATMT.receive_condition(WAITING)
    def receive_data(self, pkt: Any) -> None:
        msg = self._expected(pkt, TFTP_DATA, self.awaiting)
        if msg is not None:
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
        self._start(TFTP_WRQ(filename=self.filename, mode="octet"))
        self.res = ""
        self.awaiting = 0
        raise self.WAITING_ACK()

    # WAITING_ACK
    @ATMT.state()
    def WAITING_ACK(self) -> None:
        pass

    @ATMT.receive_condition(WAITING_ACK)
    def received_ack(self, pkt: Any) -> None:
        if self._expected(pkt, TFTP_ACK, self.awaiting) is not None:
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

    # END
    @ATMT.state(final=1)
    def END(self) -> None:
        self._close_quiet()


def _server_iface(ip: Any, kargs: dict[str, Any]) -> Any:
    """The route's interface towards ``ip`` when no ``iface`` is given (Scapy's)."""
    if "iface" not in kargs and ip:
        from paquet.errors import NetworkError
        from paquet.net.conf import conf

        ip = str(ip)
        try:
            kargs["iface"] = conf.route.route(ip)[0]
        except NetworkError:
            kargs["iface"] = conf.iface
    return ip


def _blksize(options: Any) -> tuple[int | None, list[Any]]:
    """The block size a request's options ask for (RFC 2348), and those options."""
    if options is None:
        return None, []
    opt = [x for x in options.options if bytes(x.oname).upper() == b"BLKSIZE"]
    return (int(opt[0].value) if opt else None), opt


class _TFTPServer(Automaton):
    """What both servers share: our port, the requests and blocks looked at."""

    ip: Any
    my_tid: int

    def master_filter(self, pkt: Any) -> bool:
        if UDP not in pkt or (self.ip and IP in pkt and pkt[IP].dst != self.ip):
            return False
        if TFTP in pkt or TFTP_RRQ in pkt or TFTP_WRQ in pkt or TFTP_DATA in pkt \
                or TFTP_ACK in pkt:
            return True
        return bool(pkt[UDP].dport in (TFTP_PORT, self.my_tid))

    def _reply_to(self, pkt: Any) -> None:
        """Answer the client of the request ``pkt`` from our port (``l3``)."""
        ip = pkt[IP]
        self.l3 = IP(src=ip.dst, dst=ip.src) / UDP(sport=self.my_tid,
                                                   dport=pkt[UDP].sport) / TFTP()

    def _oack(self, options: Any) -> Any:
        """The OACK to a request's ``options``: the block size it asks for taken (RFC 2348)."""
        size, opt = _blksize(options)
        if size is not None:
            self.blksize = size
            self.debug(2, f"Negotiated new blksize at {self.blksize}")
        return self.l3 / TFTP_OACK() / TFTP_Options(options=opt)


class TFTP_WRQ_server(_TFTPServer):
    """Take one file written to this host (Scapy's ``TFTP_WRQ_server``): ``ip`` the local
    address to answer on (any by default), ``sport`` the port to answer from (random).
    ``run()`` gives ``(filename, data)``."""

    def parse_args(self, ip: Any = None, sport: int | None = None,  # type: ignore[override]
                   *args: Any, **kargs: Any) -> None:
        ip = _server_iface(ip, kargs)
        Automaton.parse_args(self, *args, **kargs)
        self.ip = ip
        self.sport = sport

    @ATMT.state(initial=1)
    def BEGIN(self) -> None:
        self.blksize = 512
        self.blk = 1
        self.filedata = b""
        self.my_tid = self.sport or random.randint(10000, 65500)

    @ATMT.receive_condition(BEGIN)
    def receive_WRQ(self, pkt: Any) -> None:
        if TFTP_WRQ in _tftp(pkt):
            raise self.WAIT_DATA().action_parameters(pkt)

    @ATMT.action(receive_WRQ)
    def ack_WRQ(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        self.ip = pkt[IP].dst
        self.dst = pkt[IP].src
        self.filename = msg[TFTP_WRQ].filename
        self._reply_to(pkt)
        options = msg.getlayer(TFTP_Options)
        if options is None:
            self.last_packet = self.l3 / TFTP_ACK(block=0)
        else:
            self.last_packet = self._oack(options)
        self.send(self.last_packet)

    @ATMT.state()
    def WAIT_DATA(self) -> None:
        pass

    @ATMT.timeout(WAIT_DATA, 1)
    def resend_ack(self) -> None:
        self.send(self.last_packet)
        raise self.WAIT_DATA()

    @ATMT.receive_condition(WAIT_DATA)
    def receive_data(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_DATA in msg and msg[TFTP_DATA].block == self.blk:
            raise self.DATA(msg[TFTP_DATA])

    @ATMT.action(receive_data)
    def ack_data(self) -> None:
        self.last_packet = self.l3 / TFTP_ACK(block=self.blk % 65536)
        self.send(self.last_packet)

    @ATMT.state()
    def DATA(self, data: Any) -> None:
        load = data[Raw].load if Raw in data else b""
        self.filedata += load
        if len(load) < self.blksize:
            raise self.END()
        self.blk += 1
        raise self.WAIT_DATA()

    @ATMT.state(final=1)
    def END(self) -> tuple[Any, bytes]:
        return self.filename, self.filedata


class TFTP_RRQ_server(_TFTPServer):
    """Serve files (Scapy's ``TFTP_RRQ_server``): from ``store`` (``{"name": b"data"}``) or
    the directory ``dir`` (never outside it); ``joker`` the data given for any other name
    (None: "File not found"); ``ip`` the local address to answer on, ``sport`` the port to
    answer from (random); ``serve_one`` ends after one file."""

    def parse_args(self, store: dict[str, Any] | None = None,  # type: ignore[override]
                   joker: Any = None, dir: str | None = None, ip: Any = None,
                   sport: int | None = None, serve_one: bool = False,
                   **kargs: Any) -> None:
        import os

        ip = _server_iface(ip, kargs)
        Automaton.parse_args(self, **kargs)
        self.dir = os.path.join(os.path.abspath(dir), "") if dir is not None else None
        self.store = {} if store is None else store
        self.joker = joker
        self.ip = ip
        self.sport = sport
        self.serve_one = serve_one
        self.my_tid = self.sport or random.randint(10000, 65500)

    @ATMT.state(initial=1)
    def WAIT_RRQ(self) -> None:
        self.blksize = 512
        self.blk = 0

    @ATMT.receive_condition(WAIT_RRQ)
    def receive_rrq(self, pkt: Any) -> None:
        if TFTP_RRQ in _tftp(pkt):
            raise self.RECEIVED_RRQ(pkt)

    def _find(self) -> Any:
        import os

        if self.filename in self.store:
            return self.store[self.filename]
        if self.dir is not None:
            fn = os.path.abspath(os.path.join(self.dir, self.filename))
            if fn.startswith(self.dir):  # (still in the served directory)
                try:
                    with open(fn, "rb") as fd:
                        return fd.read()
                except OSError:
                    pass
        return self.joker

    @ATMT.state()
    def RECEIVED_RRQ(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        self._reply_to(pkt)
        self.filename = bytes(msg[TFTP_RRQ].filename).decode("utf-8", "ignore")
        self.blk = 1
        self.data = self._find()
        options = msg.getlayer(TFTP_Options)
        if options:
            self.last_packet = self._oack(options)
            self.send(self.last_packet)

    @ATMT.condition(RECEIVED_RRQ)
    def file_in_store(self) -> None:
        if self.data is not None:
            self.blknb = len(self.data) / self.blksize + 1
            raise self.SEND_FILE()

    @ATMT.condition(RECEIVED_RRQ)
    def file_not_found(self) -> None:
        if self.data is None:
            raise self.WAIT_RRQ()

    @ATMT.action(file_not_found)
    def send_error(self) -> None:
        self.send(self.l3 / TFTP_ERROR(errorcode=1, errormsg=TFTP_Error_Codes[1]))

    @ATMT.state()
    def SEND_FILE(self) -> None:
        chunk = self.data[(self.blk - 1) * self.blksize:self.blk * self.blksize]
        if isinstance(chunk, str):
            chunk = chunk.encode()
        self.send(self.l3 / TFTP_DATA(block=self.blk % 65536) / Raw(chunk))

    @ATMT.timeout(SEND_FILE, 3)
    def timeout_waiting_ack(self) -> None:
        raise self.SEND_FILE()

    @ATMT.receive_condition(SEND_FILE)
    def received_ack(self, pkt: Any) -> None:
        msg = _tftp(pkt)
        if TFTP_ACK in msg and msg[TFTP_ACK].block == self.blk:
            raise self.RECEIVED_ACK()

    @ATMT.state()
    def RECEIVED_ACK(self) -> None:
        self.blk += 1

    @ATMT.condition(RECEIVED_ACK)
    def no_more_data(self) -> None:
        if self.blk > self.blknb:
            if self.serve_one:
                raise self.END()
            raise self.WAIT_RRQ()

    @ATMT.condition(RECEIVED_ACK, prio=2)
    def data_remaining(self) -> None:
        raise self.SEND_FILE()

    @ATMT.state(final=1)
    def END(self) -> None:
        pass
