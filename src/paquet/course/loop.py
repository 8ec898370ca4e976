"""Question 6: the UDP loop between two echo servers on port 10000, always bounded.

The course sent ``IP(src='127.0.0.1', dst='127.0.0.1')/UDP(sport=10000, dport=10000)``: the
echo server answers to the source, which is itself, forever. Here the two ends are two lab
hosts whose UDP servers on port 10000 echo what they receive: one datagram from A:10000 to
B:10000 (sent by a third host, with A's address spoofed) bounces between them.

It never runs away: before the datagram leaves, an nftables table on A lets at most ``count``
datagrams of the loop in (a byte quota: ``count`` times the datagram's size), and when
``duration`` seconds have passed a rule drops the loop outright. The table is removed at the
end, also on an exception or Ctrl-C.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from paquet.course.observe import Capture, nft_add, nft_table, send_from
from paquet.errors import PaquetError

__all__ = ["LoopResult", "udp_loop", "udp_loop_localhost"]


@dataclass
class LoopResult:
    """What the loop did: the datagram that started it, how many times each end received it
    (from the servers' logs, with their times), what a capture on A saw, how long it ran and
    what stopped it (``"count"`` or ``"time"``)."""

    a: str
    b: str
    port: int
    sent: Any
    received_a: list[Any] = field(default_factory=list)
    received_b: list[Any] = field(default_factory=list)
    captured: list[Any] = field(default_factory=list)
    elapsed: float = 0.0
    stopped_by: str = "count"

    @property
    def bounces(self) -> int:
        """How many times the datagram was received, at both ends together."""
        return len(self.received_a) + len(self.received_b)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "a": self.a,
            "b": self.b,
            "port": self.port,
            "sent": self.sent.summary(),
            "received_a": len(self.received_a),
            "received_b": len(self.received_b),
            "bounces": self.bounces,
            "captured": len(self.captured),
            "elapsed": round(self.elapsed, 3),
            "stopped_by": self.stopped_by,
        }


def _check_bounds(count: int, duration: float) -> None:
    if not 1 <= count <= 10_000:
        raise PaquetError(f"count {count}: the loop is bounded, choose 1 to 10000")
    if not 0.1 <= duration <= 30:
        raise PaquetError(f"duration {duration}: the loop is bounded, choose 0.1 to 30 seconds")


def _run_bounded(
    node: Any,
    sender: Any,
    pkt: Any,
    flow: str,
    count: int,
    duration: float,
    key: str,
    capture_iface: str | None,
    capture_filter: str,
) -> tuple[list[Any], float, str]:
    """Let ``count`` datagrams of ``flow`` into ``node``, send ``pkt`` from ``sender``, wait
    for the count or ``duration``, then drop the flow; (captured, elapsed, stopped_by)."""
    size = len(bytes(pkt))
    body = (
        "  chain input {\n"
        "    type filter hook input priority -300; policy accept;\n"
        f"    {flow} quota over {count * size} bytes drop\n"
        "  }"
    )
    before = len(node.logs(key))
    with nft_table(node, body) as table:
        capture = Capture(node, capture_filter, iface=capture_iface)
        try:
            start = time.monotonic()
            send_from(sender, pkt)
            deadline = start + duration
            stopped_by = "time"
            while time.monotonic() < deadline:
                if len(node.logs(key)) - before >= count:
                    stopped_by = "count"
                    break
                time.sleep(0.02)
            nft_add(node, table, "input", f"{flow} drop")
            elapsed = time.monotonic() - start
            time.sleep(0.2)  # the datagram in flight lands (and is dropped)
        finally:
            captured = capture.stop(linger=0)
    return captured, elapsed, stopped_by


def udp_loop(
    lab: Any,
    a: str = "server",
    b: str = "remote",
    sender: str = "client",
    port: int = 10000,
    count: int = 10,
    duration: float = 2.0,
    data: bytes = b"miaou",
) -> LoopResult:
    """Start the loop between ``a`` and ``b`` (both echo on ``port``) from ``sender``; stop it
    after ``count`` datagrams received by ``a`` or ``duration`` seconds, whichever first.

    ``count`` is at least 1 and at most 10,000, ``duration`` between 0.1 and 30 seconds.
    """
    from paquet.layers import IP, UDP

    _check_bounds(count, duration)
    node_a, node_b = lab[a], lab[b]
    addr_a, addr_b = node_a.addr(), node_b.addr()
    pkt = IP(src=addr_a, dst=addr_b) / UDP(sport=port, dport=port) / data
    key = f"udp:{port}"
    flow = f"ip saddr {addr_b} ip daddr {addr_a} udp sport {port} udp dport {port}"
    before_a, before_b = len(node_a.logs(key)), len(node_b.logs(key))
    captured, elapsed, stopped_by = _run_bounded(
        node_a,
        lab[sender],
        pkt,
        flow,
        count,
        duration,
        key,
        None,
        f"udp port {port} and host {addr_b}",
    )
    return LoopResult(
        a,
        b,
        port,
        pkt,
        node_a.logs(key)[before_a:],
        node_b.logs(key)[before_b:],
        captured,
        elapsed,
        stopped_by,
    )


def udp_loop_localhost(
    lab: Any,
    node: str = "server",
    port: int = 10000,
    count: int = 10,
    duration: float = 2.0,
    data: bytes = b"miaou",
) -> LoopResult:
    """The course's own question 6: inside ``node``, ``IP(src='127.0.0.1', dst='127.0.0.1')/
    UDP(sport=port, dport=port)``: the echo server answers to itself, again and again. Stopped
    after ``count`` datagrams or ``duration`` seconds, as :func:`udp_loop`; ``received_a``
    holds what the server logged, ``received_b`` stays empty (there is one end)."""
    from paquet.layers import IP, UDP

    _check_bounds(count, duration)
    host = lab[node]
    pkt = IP(src="127.0.0.1", dst="127.0.0.1") / UDP(sport=port, dport=port) / data
    key = f"udp:{port}"
    flow = f"iif lo ip saddr 127.0.0.1 ip daddr 127.0.0.1 udp sport {port} udp dport {port}"
    before = len(host.logs(key))
    captured, elapsed, stopped_by = _run_bounded(
        host, host, pkt, flow, count, duration, key, "lo", f"udp port {port}"
    )
    return LoopResult(
        node, node, port, pkt, host.logs(key)[before:], [], captured, elapsed, stopped_by
    )
