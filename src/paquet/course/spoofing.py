"""Spoofing experiments of the course, in a lab: what the packets do, seen where they arrive.

* :func:`spoofed_ping` (question 4): an echo request whose source is another host's address;
  the target answers the spoofed host, which receives the reply (the course's neighbour PC
  answering "Google");
* :func:`spoofed_udp` (question 5): a datagram to the lab's UDP server with a spoofed source:
  the server logs it as coming from the spoofed host and echoes it there;
  :func:`spoofed_udp_localhost`: the same to a server on 127.0.0.1 inside a node;
* :func:`blind_tcp_spoof` (question 9): a SYN with a spoofed source: the SYN/ACK goes to the
  spoofed host (which resets it), the sender never sees the server's sequence number, its
  guessed acknowledgement is refused, and nothing reaches the server;
* :func:`rp_filter_difference`: the same spoofed packet through a router without, then with,
  strict reverse-path filtering: dropped by the router the second time.

Every function takes a running :class:`~paquet.lab.Lab` (``Lab.up("tp")``), sends only inside
it, and returns what was sent and what each observer captured. The defaults fit ``tp``.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from paquet.course.observe import Capture, captures, send_from, sysctl

__all__ = [
    "BlindSpoofResult",
    "RpFilterResult",
    "SpoofResult",
    "blind_tcp_spoof",
    "rp_filter_difference",
    "spoofed_ping",
    "spoofed_udp",
    "spoofed_udp_localhost",
]


def _summaries(packets: list[Any]) -> list[str]:
    return [p.summary() for p in packets]


@dataclass
class SpoofResult:
    """A spoofed packet: what was sent (from which node, pretending which source), what each
    observing node captured, and what a server logged."""

    sender: str
    spoofed: str
    target: str
    sent: Any
    seen: dict[str, list[Any]] = field(default_factory=dict)
    logged: list[Any] = field(default_factory=list)

    def at(self, node: str, kind: str | None = None) -> list[Any]:
        """The packets captured at ``node`` (of layer ``kind``, e.g. ``"ICMP"``, if given)."""
        packets = self.seen.get(node, [])
        return [p for p in packets if kind is None or p.haslayer(kind)]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: the packet sent and the summaries seen at each node."""
        return {
            "sender": self.sender,
            "spoofed": self.spoofed,
            "target": self.target,
            "sent": self.sent.summary(),
            "seen": {node: _summaries(pkts) for node, pkts in self.seen.items()},
            "logged": [
                {"event": r.event, "src": r.src, "sport": r.sport, "data": r.text}
                for r in self.logged
            ],
        }


def spoofed_ping(
    lab: Any,
    sender: str = "client",
    spoofed: str = "remote",
    target: str = "neighbour",
) -> SpoofResult:
    """Question 4: ``sender`` pings ``target`` with ``spoofed``'s address as the source.

    Captured (ICMP) at the target, at the spoofed host and at the sender: the target sees a
    request from the spoofed host and answers it; the reply reaches the spoofed host; the
    sender gets nothing back.
    """
    return _spoofed_echo(lab, sender, spoofed, target, b"paquet q4", (target, spoofed, sender))


def _spoofed_echo(
    lab: Any, sender: str, spoofed: str, target: str, load: bytes, observers: tuple[str, ...]
) -> SpoofResult:
    """``sender`` sends ``target`` an echo request (carrying ``load``) from ``spoofed``'s
    address; ICMP is captured at each node of ``observers`` until 0.3 s after sending."""
    from paquet.layers import ICMP, IP

    src, dst = lab[spoofed].addr(), lab[target].addr()
    pkt = IP(src=src, dst=dst) / ICMP(id=random.randint(1, 65535), seq=1) / load
    with captures(lab, observers, "icmp") as seen:
        send_from(lab[sender], pkt)
        time.sleep(0.3)
    return SpoofResult(sender, src, dst, pkt, seen)


def spoofed_udp(
    lab: Any,
    sender: str = "client",
    spoofed: str = "remote",
    server: str = "server",
    port: int = 10000,
    data: bytes = b"miaou",
    sport: int = 40000,
) -> SpoofResult:
    """Question 5: a UDP datagram to ``server``'s echo server on ``port`` with a spoofed source.

    The server's log shows it as coming from the spoofed host; the echo goes to the spoofed
    host (captured there); the sender sees nothing.
    """
    from paquet.layers import IP, UDP

    src, dst = lab[spoofed].addr(), lab[server].addr()
    pkt = IP(src=src, dst=dst) / UDP(sport=sport, dport=port) / data
    key = f"udp:{port}"
    before = len(lab[server].logs(key))
    with captures(lab, (spoofed, sender), "udp") as seen:
        send_from(lab[sender], pkt)
        lab[server].wait_logs(key, before + 1, timeout=2.0)
        time.sleep(0.2)
    logged = lab[server].logs(key)[before:]
    return SpoofResult(sender, src, dst, pkt, seen, logged)


def spoofed_udp_localhost(
    lab: Any,
    node: str = "server",
    spoofed: str = "203.0.113.77",
    port: int = 10000,
    data: bytes = b"miaou",
    sport: int = 40000,
) -> SpoofResult:
    """Question 5 as the course ran it: inside ``node``, a datagram to its own UDP server on
    127.0.0.1 with the source ``spoofed``. The server logs it as coming from ``spoofed``
    (captured on the node's loopback)."""
    from paquet.layers import IP, UDP

    pkt = IP(src=spoofed, dst="127.0.0.1") / UDP(sport=sport, dport=port) / data
    key = f"udp:{port}"
    before = len(lab[node].logs(key))
    capture = Capture(lab[node], f"udp port {port}", iface="lo")
    try:
        send_from(lab[node], pkt)
        lab[node].wait_logs(key, before + 1, timeout=2.0)
    finally:
        seen = {node: capture.stop()}
    logged = lab[node].logs(key)[before:]
    return SpoofResult(node, spoofed, "127.0.0.1", pkt, seen, logged)


@dataclass
class BlindSpoofResult:
    """Question 9: a TCP connection attempted with a spoofed source.

    ``syn`` and ``guess`` are the packets the attacker sent (the SYN, then the ACK with data
    whose acknowledgement number is a guess); ``seen`` what each node captured; ``server_isn``
    the sequence number the server really chose (read from the spoofed host's capture: the
    attacker never sees it); ``logged`` what the TCP server received (nothing).
    """

    attacker: str
    spoofed: str
    server: str
    syn: Any
    guess: Any
    seen: dict[str, list[Any]]
    server_isn: int | None
    logged: list[Any]

    def at(self, node: str, kind: str | None = None) -> list[Any]:
        """The packets captured at ``node`` (of layer ``kind``, e.g. ``"TCP"``, if given)."""
        return [p for p in self.seen.get(node, []) if kind is None or p.haslayer(kind)]

    @property
    def delivered(self) -> bool:
        """Whether the server's application received anything from the spoofed source."""
        return any(r.event == "recv" for r in self.logged)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "attacker": self.attacker,
            "spoofed": self.spoofed,
            "server": self.server,
            "syn": self.syn.summary(),
            "guess": self.guess.summary(),
            "guessed_ack": int(self.guess["TCP"].ack),
            "server_isn": self.server_isn,
            "seen": {node: _summaries(pkts) for node, pkts in self.seen.items()},
            "delivered": self.delivered,
        }


def blind_tcp_spoof(
    lab: Any,
    attacker: str = "client",
    spoofed: str = "neighbour",
    server: str = "server",
    port: int = 10000,
    data: bytes = b"miaou",
    sport: int = 44444,
) -> BlindSpoofResult:
    """Question 9: ``attacker`` opens a TCP connection to ``server`` pretending to be ``spoofed``.

    The SYN/ACK (with the server's random initial sequence number) goes to the spoofed host,
    whose kernel answers RST; the attacker, who never sees it, sends its data with a guessed
    acknowledgement number; the server refuses it (RST) and its application receives nothing.
    """
    from paquet.layers import IP, TCP

    src, dst = lab[spoofed].addr(), lab[server].addr()
    isn = random.getrandbits(32)
    syn = IP(src=src, dst=dst) / TCP(sport=sport, dport=port, flags="S", seq=isn)
    guessed = random.getrandbits(32)
    guess = (
        IP(src=src, dst=dst)
        / TCP(sport=sport, dport=port, flags="PA", seq=isn + 1, ack=guessed)
        / data
    )
    key = f"tcp:{port}"
    before = len(lab[server].logs(key))
    with captures(lab, (server, spoofed, attacker), f"tcp port {sport}") as seen:
        send_from(lab[attacker], syn)
        time.sleep(0.3)
        send_from(lab[attacker], guess)
        time.sleep(0.3)
    server_isn = None
    for pkt in seen[spoofed]:
        if pkt.haslayer("TCP") and pkt["TCP"].flags == "SA":
            server_isn = int(pkt["TCP"].seq)
            break
    logged = lab[server].logs(key)[before:]
    logged = [r for r in logged if r.src == src]
    return BlindSpoofResult(attacker, src, dst, syn, guess, seen, server_isn, logged)


@dataclass
class RpFilterResult:
    """The same spoofed echo request sent twice through ``router``: with reverse-path
    filtering off, then strict. ``off`` and ``strict`` hold what the target captured."""

    router: str
    off: SpoofResult
    strict: SpoofResult

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {"router": self.router, "off": self.off.to_dict(), "strict": self.strict.to_dict()}


def rp_filter_difference(
    lab: Any,
    router: str = "gateway",
    sender: str = "client",
    spoofed: str = "remote",
    target: str = "server",
) -> RpFilterResult:
    """Send a spoofed echo request from ``sender`` to ``target`` through ``router``, first with
    reverse-path filtering off, then strict (RFC 3704) on the router: the router drops it the
    second time, since the spoofed source is not routed back through the interface it came
    in on. The router's settings are put back afterwards."""
    observers = (target, spoofed)
    off = _spoofed_echo(lab, sender, spoofed, target, b"paquet rp", observers)
    node = lab[router]
    iface = node.iface(sender)
    strict = {"net.ipv4.conf.all.rp_filter": "1", f"net.ipv4.conf.{iface}.rp_filter": "1"}
    with sysctl(node, strict):
        on = _spoofed_echo(lab, sender, spoofed, target, b"paquet rp", observers)
    return RpFilterResult(router, off, on)
