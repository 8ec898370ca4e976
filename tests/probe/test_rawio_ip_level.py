"""The IP-level receiver (a raw ICMP socket, what ``paquet trace`` uses for UDP and ICMP
probes over IPv4) against the packet socket it replaces: the same answers, byte for byte,
for the same probes in a lab."""

from __future__ import annotations

from typing import Any

import pytest

from paquet.probe.rawio import RawReceiver


def _both_receive(dst: str, ttls: list[int]) -> tuple[list[bytes], list[bytes]]:
    """UDP probes to ``dst`` with ``ttls``; what each receiver got (run in a lab node)."""
    import time

    from paquet.probe.rawio import RawSender, source_address, wait_readable
    from paquet.probe.wire import Template

    src = source_address(dst)
    packet = RawReceiver(4, (1,), src)
    ip = RawReceiver(4, (1,), src, ip_level=True)
    sender = RawSender(4)
    tpl = Template.udp(src, dst, bytes(32))
    got: tuple[list[bytes], list[bytes]] = ([], [])
    try:
        for k, ttl in enumerate(ttls):
            sender.send(tpl.build(40000, 33434 + k, k + 1, ttl=ttl), dst)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(got[1]) < len(ttls):
            wait_readable(ip.fileno(), deadline - time.monotonic())
            for receiver, out in ((packet, got[0]), (ip, got[1])):
                while (data := receiver.recv()) is not None:
                    out.append(data)
        # a packet socket queues a packet before the IP stack hands it to a raw socket
        while (data := packet.recv()) is not None:
            got[0].append(data)
    finally:
        for closable in (sender, packet, ip):
            closable.close()
    return got


@pytest.mark.privileged
def test_ip_level_receiver_gets_what_the_packet_socket_gets(tp_lab: Any) -> None:
    client, remote = tp_lab["client"], tp_lab["remote"].addr()
    by_packet, by_ip = client.run(_both_receive, remote, [1, 2, 64])
    assert len(by_ip) == 3  # two time-exceeded, one port unreachable
    assert sorted(by_ip) == sorted(by_packet)
    assert {d[20] for d in by_ip} == {11, 3}  # ICMP types after the IP header


def test_ip_level_is_ipv4_and_one_protocol() -> None:
    with pytest.raises(ValueError, match="IPv4 and of one protocol"):
        RawReceiver(6, (58,), None, ip_level=True)
    with pytest.raises(ValueError, match="IPv4 and of one protocol"):
        RawReceiver(4, (1, 6), None, ip_level=True)


@pytest.mark.privileged
def test_ip_level_receiver_counts_its_drops() -> None:
    """A full queue's drops are counted (the engine halves its rate on them), once each."""
    from paquet.probe.rawio import RawSender

    rx = RawReceiver(4, (1,), "127.0.0.1", rcvbuf=1, ip_level=True)  # the kernel's least
    sender = RawSender(4)
    try:
        assert rx.drops() == 0
        for _ in range(500):
            sender.send(bytes.fromhex("4500001c0001000040010000" "7f000001" "7f000001"
                                      "0800f7ff00000000"), "127.0.0.1")
        first = rx.drops()
        assert first > 0 and rx.drops() == 0
    finally:
        rx.close()
        sender.close()
