"""Pipes that carry packets: capture, pcap files, Wireshark, injection, UDP/TCP and triggers
(Scapy's ``scapypipes``), for a :class:`~paquet.net.pipetool.PipeEngine`.

>>> from paquet.net.pipetool import CLIFeeder, QueueSink
>>> feed, gate, out = CLIFeeder(), TriggerDrain(lambda m: m == "stop"), QueueSink()
>>> valve = TriggeredValve()
>>> _ = feed > gate > valve > out
>>> _ = gate ^ valve
>>> for m in ("a", "stop", "b"):
...     gate.push(m)
>>> out.recv(block=False), out.recv(block=False)
('a', None)
"""

from __future__ import annotations

import queue
import socket
import subprocess
from typing import Any

from paquet.net.conf import conf
from paquet.net.pipetool import Drain, Sink, Source

__all__ = [
    "FDSourceSink", "Inject3Sink", "InjectSink", "RdpcapSource", "SniffSource",
    "TCPConnectPipe", "TCPListenPipe", "TriggerDrain", "TriggeredMessage",
    "TriggeredQueueingValve", "TriggeredSwitch", "TriggeredValve", "UDPClientPipe", "UDPDrain",
    "UDPServerPipe", "WiresharkSink", "WrpcapSink",
]


class SniffSource(Source):
    """Captured packets on the low exit: from ``socket`` when given, otherwise from a
    ``conf.L2listen(iface=, filter=)`` socket opened when the engine starts."""

    def __init__(self, iface: Any = None, filter: str | None = None, socket: Any = None,
                 name: str | None = None) -> None:
        super().__init__(name=name)
        if (iface or filter) and socket:
            raise ValueError("iface and filter options are mutually exclusive with socket")
        self.s = socket
        self.iface = iface
        self.filter = filter

    def start(self) -> None:
        """Open the capture socket (unless one was given)."""
        if not self.s:
            self.s = conf.L2listen(iface=self.iface, filter=self.filter)

    def stop(self) -> None:
        """Close the capture socket."""
        if self.s:
            self.s.close()

    def fileno(self) -> int:
        return int(self.s.fileno())

    def deliver(self) -> None:
        """Push the next captured packet."""
        try:
            pkt = self.s.recv()
        except EOFError:
            self.is_exhausted = True
            return
        if pkt is not None:
            self._send(pkt)


class RdpcapSource(Source):
    """The packets of a pcap/pcapng file on the low exit, exhausted at its end."""

    def __init__(self, fname: str, name: str | None = None) -> None:
        super().__init__(name=name)
        self.fname = fname
        self.f: Any = None
        self._next: Any = None

    def start(self) -> None:
        """Open the file and read its first packet."""
        from paquet.pcap import PcapReader

        self.f = PcapReader(self.fname)
        self.is_exhausted = False
        self._read_ahead()

    def _read_ahead(self) -> None:
        # A file is always readable: the engine is woken through this pipe, one packet ahead.
        try:
            self._next = next(iter(self.f))
        except StopIteration:
            self._next = None
            self.is_exhausted = True
        self.send(1)

    def stop(self) -> None:
        """Close the file."""
        if self.f is not None:
            self.f.close()

    def deliver(self) -> None:
        """Push the next packet of the file."""
        self.recv()
        pkt = self._next
        if pkt is not None:
            self._read_ahead()
            self._send(pkt)


class InjectSink(Sink):
    """Sends the packets of its low entry on an interface (``conf.L2socket``)."""

    def __init__(self, iface: Any = None, name: str | None = None) -> None:
        super().__init__(name=name)
        self.iface = conf.iface if iface is None else iface
        self.s: Any = None

    def start(self) -> None:
        """Open the socket."""
        self.s = conf.L2socket(iface=self.iface)

    def stop(self) -> None:
        """Close the socket."""
        if self.s is not None:
            self.s.close()

    def push(self, msg: Any) -> None:
        """Send a packet."""
        self.s.send(msg)


class Inject3Sink(InjectSink):
    """Sends the packets of its low entry at layer 3 (``conf.L3socket``)."""

    def start(self) -> None:
        """Open the socket."""
        self.s = conf.L3socket(iface=self.iface)


class WrpcapSink(Sink):
    """Writes the packets of its low entry to a pcap file (``PcapWriter`` options, ``gz=1``
    for gzip)."""

    def __init__(self, fname: Any, name: str | None = None, linktype: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name)
        self.fname = fname
        self.linktype = linktype
        self.kwargs = kwargs
        self.f: Any = None

    def start(self) -> None:
        """Open the file."""
        from paquet.pcap import PcapWriter

        self.f = PcapWriter(self.fname, linktype=self.linktype, **self.kwargs)

    def stop(self) -> None:
        """Flush and close the file."""
        if self.f is not None:
            self.f.flush()
            self.f.close()

    def push(self, msg: Any) -> None:
        """Write a packet."""
        if msg and self.f is not None:
            self.f.write(msg)


class WiresharkSink(WrpcapSink):
    """Shows the packets of its low entry live in Wireshark (``conf.prog.wireshark -Slki -``
    plus ``args``)."""

    def __init__(self, name: str | None = None, linktype: int | None = None,
                 args: list[str] | None = None) -> None:
        super().__init__(fname="", name=name, linktype=linktype)
        self.args = args

    def start(self) -> None:
        """Start Wireshark, reading a pcap stream on its standard input."""
        cmd = [conf.prog.wireshark, "-Slki", "-", *(self.args or [])]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=None, stderr=None)
        self.fname = proc.stdin
        super().start()


class UDPDrain(Drain):
    """Low entry: IP/UDP packets, whose payload goes to the high exit as bytes. High entry:
    payloads, sent on the low exit as ``IP(dst=ip)/UDP(sport=1234, dport=port)/payload``."""

    def __init__(self, ip: str = "127.0.0.1", port: int = 1234) -> None:
        super().__init__()
        self.ip = ip
        self.port = port

    def push(self, msg: Any) -> None:
        """Pass the UDP payload of an IP packet up."""
        from paquet.layers.ipv4 import IP
        from paquet.layers.udp import UDP

        if IP in msg and msg[IP].proto == 17 and UDP in msg:
            self._high_send(bytes(msg[UDP].payload))

    def high_push(self, msg: Any) -> None:
        """Wrap a payload in IP/UDP and pass it down."""
        from paquet.layers.ipv4 import IP
        from paquet.layers.udp import UDP

        self._send(IP(dst=self.ip) / UDP(sport=1234, dport=self.port) / msg)


class FDSourceSink(Source):
    """A file-like object as a pipe: what it reads goes to the low exit, what the low entry
    receives is written to it."""

    def __init__(self, fd: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self.fd = fd

    def push(self, msg: Any) -> None:
        """Write a message to the object."""
        self.fd.write(msg)

    def fileno(self) -> int:
        return int(self.fd.fileno())

    def deliver(self) -> None:
        """Read from the object and pass it on."""
        self._send(self.fd.read())


class TCPConnectPipe(Source):
    """A TCP connection to ``addr:port`` (made when the engine starts): the low entry is
    sent, what is received goes to the low exit."""

    def __init__(self, addr: str = "", port: int = 0, name: str | None = None) -> None:
        super().__init__(name=name)
        self.addr = addr
        self.port = port
        self.fd: Any = None

    def start(self) -> None:
        """Connect."""
        self.fd = socket.socket()
        self.fd.connect((self.addr, self.port))

    def stop(self) -> None:
        """Close the connection."""
        if self.fd is not None:
            self.fd.close()

    def push(self, msg: Any) -> None:
        """Send bytes."""
        self.fd.send(msg)

    def fileno(self) -> int:
        return int(self.fd.fileno())

    def deliver(self) -> None:
        """Pass received bytes on."""
        try:
            msg = self.fd.recv(65536)
        except OSError:
            self.stop()
            raise
        if msg:
            self._send(msg)


class TCPListenPipe(TCPConnectPipe):
    """Waits for one TCP connection on ``addr:port``; then like :class:`TCPConnectPipe`.
    The peer's address goes to the high exit and the triggers; messages pushed before the
    connection are queued."""

    def __init__(self, addr: str = "", port: int = 0, name: str | None = None) -> None:
        super().__init__(addr, port, name)
        self.connected = False
        self.q: queue.Queue[Any] = queue.Queue()

    def start(self) -> None:
        """Listen."""
        self.connected = False
        self.fd = socket.socket()
        self.fd.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.fd.bind((self.addr, self.port))
        self.fd.listen(1)

    def push(self, msg: Any) -> None:
        """Send bytes, or queue them until connected."""
        if self.connected:
            self.fd.send(msg)
        else:
            self.q.put(msg)

    def deliver(self) -> None:
        """Accept the connection, or pass received bytes on."""
        if self.connected:
            super().deliver()
            return
        conn, peer = self.fd.accept()
        self._high_send(peer)
        self.fd.close()
        self.fd, self.connected = conn, True
        self._trigger(peer)
        self._flush_queue(lambda m: self.fd.send(m))

    def _flush_queue(self, send: Any) -> None:
        while True:
            try:
                send(self.q.get(block=False))
            except queue.Empty:
                return


class UDPClientPipe(TCPConnectPipe):
    """UDP datagrams to ``addr:port``; the answers go to the low exit."""

    def start(self) -> None:
        """Open the socket."""
        self.fd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.fd.connect((self.addr, self.port))


class UDPServerPipe(TCPListenPipe):
    """UDP datagrams received on ``addr:port`` go to the low exit; the low entry is sent to
    the first sender (queued until one is known)."""

    def __init__(self, addr: str = "", port: int = 0, name: str | None = None) -> None:
        super().__init__(addr, port, name)
        self._destination: Any = None

    def start(self) -> None:
        """Bind the socket."""
        self.fd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.fd.bind((self.addr, self.port))

    def push(self, msg: Any) -> None:
        """Send a datagram to the peer, or queue it."""
        if self._destination:
            self.fd.sendto(msg, self._destination)
        else:
            self.q.put(msg)

    def deliver(self) -> None:
        """Pass a received datagram on (the first one also names the peer)."""
        msg, peer = self.fd.recvfrom(65536)
        if msg:
            self._send(msg)
        if self._destination is None:
            self._destination = peer
            self._trigger(peer)
            self._high_send(peer)
            self._flush_queue(lambda m: self.fd.sendto(m, peer))


class TriggeredMessage(Drain):
    """Sends ``msg`` on both exits when triggered, and passes the trigger on."""

    def __init__(self, msg: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self.msg = msg

    def on_trigger(self, trigmsg: Any) -> None:
        """Send the message."""
        self._send(self.msg)
        self._high_send(self.msg)
        self._trigger(trigmsg)


class TriggerDrain(Drain):
    """Passes messages on, and triggers (with ``f(msg)``) when ``f(msg)`` is true."""

    def __init__(self, f: Any, name: str | None = None) -> None:
        super().__init__(name=name)
        self.f = f

    def push(self, msg: Any) -> None:
        """Trigger if ``f(msg)``, then pass on the low exit."""
        v = self.f(msg)
        if v:
            self._trigger(v)
        self._send(msg)

    def high_push(self, msg: Any) -> None:
        """Trigger if ``f(msg)``, then pass on the high exit."""
        v = self.f(msg)
        if v:
            self._trigger(v)
        self._high_send(msg)


class TriggeredValve(Drain):
    """Passes messages while open; each trigger opens or closes it."""

    def __init__(self, start_state: bool = True, name: str | None = None) -> None:
        super().__init__(name=name)
        self.opened = start_state

    def push(self, msg: Any) -> None:
        """Pass on the low exit if open."""
        if self.opened:
            self._send(msg)

    def high_push(self, msg: Any) -> None:
        """Pass on the high exit if open."""
        if self.opened:
            self._high_send(msg)

    def on_trigger(self, msg: Any) -> None:
        """Open or close."""
        self.opened = not self.opened
        self._trigger(msg)


class TriggeredQueueingValve(Drain):
    """Like :class:`TriggeredValve`, but keeps what arrives while closed and lets it through
    at the next trigger."""

    def __init__(self, start_state: bool = True, name: str | None = None) -> None:
        super().__init__(name=name)
        self.opened = start_state
        self.q: queue.Queue[Any] = queue.Queue()

    def start(self) -> None:
        """Empty the queue."""
        self.q = queue.Queue()

    def push(self, msg: Any) -> None:
        """Pass on the low exit, or queue."""
        if self.opened:
            self._send(msg)
        else:
            self.q.put((True, msg))

    def high_push(self, msg: Any) -> None:
        """Pass on the high exit, or queue."""
        if self.opened:
            self._high_send(msg)
        else:
            self.q.put((False, msg))

    def on_trigger(self, msg: Any) -> None:
        """Open or close, and release what was queued."""
        self.opened = not self.opened
        self._trigger(msg)
        while True:
            try:
                low, queued = self.q.get(block=False)
            except queue.Empty:
                return
            (self._send if low else self._high_send)(queued)


class TriggeredSwitch(Drain):
    """Sends every message to the low exit, or, after a trigger, to the high exit (each
    trigger switches)."""

    def __init__(self, start_state: bool = True, name: str | None = None) -> None:
        super().__init__(name=name)
        self.low = start_state

    def push(self, msg: Any) -> None:
        """Pass on the current exit."""
        (self._send if self.low else self._high_send)(msg)

    high_push = push

    def on_trigger(self, msg: Any) -> None:
        """Switch exits."""
        self.low = not self.low
        self._trigger(msg)
