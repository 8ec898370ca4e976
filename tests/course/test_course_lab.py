"""The course's spoofing experiments and the UDP loop on the ``tp`` lab, judged where the
packets arrive: captures in the receiving nodes (tcpdump) and the lab servers' logs."""

from __future__ import annotations

from typing import Any

import pytest

from paquet.course import loop, spoofing
from paquet.errors import PaquetError

pytestmark = pytest.mark.privileged


def _icmp(packets: list[Any], kind: int, src: str, dst: str) -> list[Any]:
    return [
        p
        for p in packets
        if p.haslayer("ICMP")
        and p["ICMP"].type == kind
        and p["IP"].src == src
        and p["IP"].dst == dst
    ]


def test_q4_spoofed_ping_reply_reaches_the_spoofed_host(lab_tp: Any) -> None:
    r = spoofing.spoofed_ping(lab_tp)
    remote, neighbour = lab_tp["remote"].addr(), lab_tp["neighbour"].addr()
    # The neighbour saw a request from "remote" and answered it...
    assert len(_icmp(r.at("neighbour"), 8, remote, neighbour)) == 1
    # ...the reply crossed three routers to the spoofed host...
    replies = _icmp(r.at("remote"), 0, neighbour, remote)
    assert len(replies) == 1 and bytes(replies[0]["ICMP"].payload) == b"paquet q4"
    assert replies[0]["ICMP"].id == r.sent["ICMP"].id
    # ...and the sender got nothing back.
    assert _icmp(r.at("client"), 0, neighbour, remote) == []
    assert r.to_dict()["seen"]["remote"] == [replies[0].summary()]


def test_q5_spoofed_udp_logged_as_the_spoofed_host(lab_tp: Any) -> None:
    r = spoofing.spoofed_udp(lab_tp, data=b"miaou q5")
    remote, server = lab_tp["remote"].addr(), lab_tp["server"].addr()
    assert [(x.event, x.src, x.sport, x.data) for x in r.logged] == [
        ("recv", remote, 40000, b"miaou q5")
    ]
    echoes = [p for p in r.at("remote", "UDP") if p["IP"].src == server]
    assert len(echoes) == 1 and bytes(echoes[0]["UDP"].payload) == b"miaou q5"
    assert not [p for p in r.at("client", "UDP") if p["IP"].src == server]


def test_q5_spoofed_udp_to_localhost(lab_tp: Any) -> None:
    r = spoofing.spoofed_udp_localhost(lab_tp, data=b"miaou lo")
    assert [(x.src, x.data) for x in r.logged] == [("203.0.113.77", b"miaou lo")]
    assert any(
        p["IP"].src == "203.0.113.77" and p["IP"].dst == "127.0.0.1" for p in r.at("server", "UDP")
    )


def test_q9_blind_spoofing_delivers_nothing(lab_tp: Any) -> None:
    r = spoofing.blind_tcp_spoof(lab_tp)
    neighbour, server = lab_tp["neighbour"].addr(), lab_tp["server"].addr()
    assert r.syn["IP"].src == neighbour
    tcp = [p["TCP"] for p in r.at("neighbour", "TCP")]
    synacks = [t for t in tcp if t.flags == "SA"]
    # The SYN/ACK went to the spoofed host, which reset the unknown connection.
    assert len(synacks) == 1 and synacks[0].ack == r.syn["TCP"].seq + 1
    assert any(t.flags == "R" and t.sport == 44444 for t in tcp)
    assert r.server_isn == synacks[0].seq
    # The attacker never saw the server's sequence number.
    assert not [p for p in r.at("client", "TCP") if p["IP"].src == server]
    # Its guessed acknowledgement is refused with a RST, nothing reaches the application.
    assert r.server_isn is not None and r.guess["TCP"].ack != r.server_isn + 1
    at_server = [p["TCP"] for p in r.at("server", "TCP")]
    assert any(t.flags == "PA" for t in at_server)
    assert [t.flags for t in at_server if t.sport == 10000][-1] == "R"
    assert not r.delivered and r.logged == []
    assert r.to_dict()["delivered"] is False and r.to_dict()["seen"]["client"]


def test_strict_rp_filter_drops_spoofed_packets(lab_tp: Any) -> None:
    gateway = lab_tp["gateway"]
    before = gateway.exec(["sysctl", "-n", "net.ipv4.conf.all.rp_filter"]).stdout
    r = spoofing.rp_filter_difference(lab_tp)
    remote, server = lab_tp["remote"].addr(), lab_tp["server"].addr()
    assert len(_icmp(r.off.at("server"), 8, remote, server)) == 1
    assert len(_icmp(r.off.at("remote"), 0, server, remote)) == 1
    assert _icmp(r.strict.at("server"), 8, remote, server) == []
    assert r.strict.at("remote") == []
    # The router's settings are back.
    assert gateway.exec(["sysctl", "-n", "net.ipv4.conf.all.rp_filter"]).stdout == before


def _nft_tables(lab: Any, node: str) -> str:
    return str(lab[node].exec(["nft", "list", "tables"]).stdout)


def test_q6_loop_bounded_by_count(lab_tp: Any) -> None:
    r = loop.udp_loop(lab_tp, count=7)
    server, remote = lab_tp["server"].addr(), lab_tp["remote"].addr()
    assert r.stopped_by == "count"
    assert [x.src for x in r.received_a] == [remote] * 7
    assert [x.data for x in r.received_b] == [b"miaou"] * 8  # the spoofed one, then 7 echoes
    assert r.received_b[0].src == server  # the spoofed datagram claimed to come from A
    # The capture at A: alternating directions, 8 in, 7 out, then nothing more.
    directions = [p["IP"].src for p in r.captured]
    assert directions == [remote, server] * 7 + [remote]
    assert "paquet_course_" not in _nft_tables(lab_tp, "server")


def test_q6_loop_bounded_by_time(lab_tp: Any) -> None:
    r = loop.udp_loop(lab_tp, count=10_000, duration=0.3)
    assert r.stopped_by == "time"
    assert 10 < len(r.received_a) < 10_000
    assert abs(len(r.received_b) - len(r.received_a)) <= 1
    after = len(lab_tp["server"].logs("udp:10000"))
    import time

    time.sleep(0.3)
    assert len(lab_tp["server"].logs("udp:10000")) == after  # the loop is over
    assert "paquet_course_" not in _nft_tables(lab_tp, "server")


def test_q6_the_courses_loop_on_localhost(lab_tp: Any) -> None:
    r = loop.udp_loop_localhost(lab_tp, count=6)
    assert r.stopped_by == "count"
    # The server received its own echo six times, from 127.0.0.1:10000...
    assert [(x.src, x.sport, x.data) for x in r.received_a] == [("127.0.0.1", 10000, b"miaou")] * 6
    # ...and the seventh datagram, seen on lo, was dropped by the bound.
    assert len(r.captured) == 7
    assert all(p["UDP"].sport == p["UDP"].dport == 10000 for p in r.captured)
    assert "paquet_course_" not in _nft_tables(lab_tp, "server")


def test_loop_bounds_are_required(lab_tp: Any) -> None:
    with pytest.raises(PaquetError, match="bounded"):
        loop.udp_loop(lab_tp, count=0)
    with pytest.raises(PaquetError, match="bounded"):
        loop.udp_loop(lab_tp, count=5, duration=60)
    with pytest.raises(PaquetError, match="bounded"):
        loop.udp_loop_localhost(lab_tp, count=20_000)
