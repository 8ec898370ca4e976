"""The probe engine's kernel filters, assembled here: no libpcap, no ctypes, at start-up.

A receiver of the probe engine wants the packets of a few IP protocols (and, over IPv4, those
addressed to our source): ``(ip proto 6 or ip proto 1) and ip dst 192.0.2.1``. libpcap compiles
such an expression (:mod:`paquet.net.bpf`), but loading it (``ctypes.util`` alone pulls in
``subprocess``, ``shutil``, ``tempfile``) costs more than the whole trace of a near host. The
classic BPF program of that expression is short and fixed, so it is written out here: a load of
the protocol byte, one comparison per protocol, and for IPv4 a load and comparison of the
destination address. ``tests/probe/test_kfilter.py`` checks its verdicts against libpcap's own
program for the same expression on many packets.

Programs see the packet from its network header on (``AF_PACKET``/``SOCK_DGRAM``, link types
228 and 229 for libpcap; an IPv4 raw socket's packets start there too).

>>> program((6, 1), 4, "192.0.2.1")[:3]
[(48, 0, 0, 9), (21, 1, 0, 6), (21, 0, 3, 1)]
"""

from __future__ import annotations

# socket's own functions and constants, without the enums socket.py builds at import
import _socket as socket
import struct

from paquet.net.linux import ICMP_FILTER, SO_ATTACH_FILTER, SOL_RAW

__all__ = ["ACCEPT", "attach", "open_filtered", "program"]

ACCEPT = 0x40000
"""What an accepting program returns: the bytes to keep (libpcap's default snap length)."""

_LDB = 0x30  # BPF_LD | BPF_B | BPF_ABS
_LDW = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_RET = 0x06  # BPF_RET | BPF_K

Insn = tuple[int, int, int, int]


def program(protos: tuple[int, ...], family: int, dst: str | None = None) -> list[Insn]:
    """The ``(code, jt, jf, k)`` instructions accepting IP protocols ``protos`` (IPv4: also
    only packets to ``dst`` when given; IPv6: the next-header field, as libpcap's ``ip6 proto``).
    """
    if not protos:
        raise ValueError("a filter needs at least one protocol")
    n = len(protos)
    tail = 4 if family == 4 and dst is not None else 2  # [ld dst, jeq dst,] accept, reject
    insns: list[Insn] = [(_LDB, 0, 0, 9 if family == 4 else 6)]
    for i, p in enumerate(protos):
        # past the comparisons on a match; to the next one, or after the last to reject
        to_reject = (n - 1 - i) + tail - 1
        insns.append((_JEQ, n - 1 - i, 0 if i < n - 1 else to_reject, p))
    if tail == 4:
        assert dst is not None
        insns.append((_LDW, 0, 0, 16))
        insns.append((_JEQ, 0, 1, int.from_bytes(socket.inet_aton(dst), "big")))
    insns.append((_RET, 0, 0, ACCEPT))
    insns.append((_RET, 0, 0, 0))
    return insns


_UNASKED = sum(1 << t for t in (8, 9, 10, 13, 15, 17))
"""The ICMP types no probe is answered with: echo, router advertisement and solicitation,
timestamp, information and address mask requests."""


def attach(sock: socket.socket, insns: list[Insn]) -> None:
    """Attach ``insns`` to ``sock`` in the kernel (``SO_ATTACH_FILTER``)."""
    import array  # (the one way to a buffer's address without ctypes; it imports collections)

    code = array.array("B", b"".join(struct.pack("HBBI", *i) for i in insns))
    address, _ = code.buffer_info()
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER,
                    struct.pack("HL", len(insns), address))
    del code  # the kernel copied the program


def open_filtered(insns: list[Insn], ethertype: int, ip_proto: int | None = None
                  ) -> socket.socket:
    """A packet socket (network header first) for ``ethertype`` that queues only what
    ``insns`` accept: what arrived before the filter was attached is read away.

    With ``ip_proto``, an IPv4 raw socket of that protocol instead (traceroute's receiver):
    the packets addressed to this host, from their IP header on as well, so the same
    program applies. It closes at once, where closing a packet socket waits for the kernel's
    RCU grace period (``synchronize_net``: 8 to 16 ms measured here, as long as a whole
    trace of a near host). An ICMP one is filtered by ICMP type instead, as ping and
    traceroute filter theirs (``ICMP_FILTER``: the requests and announcements no probe
    answers are dropped; the errors and replies for this host's other addresses, rare, are
    told apart by their quotes)."""
    if ip_proto is None:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ethertype))
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, ip_proto)
    try:
        if ip_proto == socket.IPPROTO_ICMP:
            sock.setsockopt(SOL_RAW, ICMP_FILTER, struct.pack("I", _UNASKED))
        else:
            attach(sock, insns)
        while True:
            try:
                sock.recv(1, socket.MSG_DONTWAIT | socket.MSG_TRUNC)
            except BlockingIOError:
                break
    except BaseException:
        sock.close()
        raise
    return sock
