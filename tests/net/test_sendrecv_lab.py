"""Proofs on the course lab (``tp``): echo across routers, UDP and TCP servers, the course's
question 7 seen in a capture, ARP to a neighbour, IPv6 echo, 5,000 mixed probes, StreamSocket.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.privileged


def _until_capture_live(pcap: str, dst: str) -> None:
    """Ping ``dst`` until tcpdump has written a packet (it says "listening" before it is)."""
    import os

    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    deadline = time.monotonic() + 10
    while os.path.getsize(pcap) <= 24 and time.monotonic() < deadline:
        sr1(IP(dst=dst) / ICMP(id=0x7777), timeout=0.1, verbose=0)
        time.sleep(0.05)


def _echo(dst: str) -> tuple[str, str, int, int]:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    answer = sr1(IP(dst=dst) / ICMP(id=0x77, seq=1), timeout=2, verbose=0)
    return answer.src, answer.dst, answer.ttl, answer[ICMP].type


def test_echo_across_routers(tp: Any) -> None:
    remote = tp["remote"].addr()
    src, dst, ttl, icmp_type = tp["client"].run(_echo, remote)
    assert (src, dst, icmp_type) == (remote, tp["client"].addr(), 0)
    assert ttl == 64 - 3  # gateway, r1, r2


def _udp(dst: str) -> bytes:
    from paquet.layers import IP, UDP, Raw
    from paquet.net.sendrecv import send, sr1

    send(IP(dst=dst) / UDP(sport=33333, dport=10000) / Raw(b"miaou"), verbose=0)
    answer = sr1(IP(dst=dst) / UDP(sport=33334, dport=10000) / Raw(b"ouaf"), timeout=2, verbose=0)
    return bytes(answer[UDP].payload)


def test_udp_to_the_lab_server(tp: Any) -> None:
    server = tp["server"]
    server.clear_logs("udp:10000")
    assert tp["client"].run(_udp, server.addr()) == b"ouaf"  # the echo
    received = [r.data for r in server.wait_logs("udp:10000", 3) if r.event == "recv"]
    assert b"miaou" in received and b"ouaf" in received


def _syn(dst: str, pcap: str) -> tuple[int, int, int]:
    from paquet.layers import IP, TCP
    from paquet.net.sendrecv import sr1

    _until_capture_live(pcap, dst)
    probe = IP(dst=dst) / TCP(sport=5000, dport=10000, flags="S", seq=1000)
    answer = sr1(probe, timeout=2, verbose=0)
    time.sleep(0.2)  # let the kernel's RST leave
    return int(answer[TCP].flags), answer[TCP].ack, answer[TCP].dport


def test_question_7_syn_synack_and_the_kernels_rst(tp: Any, tmp_path: Path) -> None:
    client, server = tp["client"], tp["server"]
    pcap = tmp_path / "q7.pcap"
    iface = client.interfaces[0].name
    dump = client.popen(
        ["tcpdump", "--immediate-mode", "-U", "-n", "-Z", "root", "-i", iface, "-w", str(pcap),
         "tcp port 10000 or icmp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        assert dump.stderr is not None
        dump.stderr.readline()
        flags, ack, dport = client.run(_syn, server.addr(), str(pcap))
    finally:
        dump.terminate()
        dump.wait()
    assert (flags, ack, dport) == (0x12, 1001, 5000)
    out = subprocess.run(
        ["tshark", "-r", str(pcap), "-Y", "tcp", "-T", "fields", "-e", "ip.src", "-e",
         "tcp.flags.str"],
        capture_output=True, text=True, check=True,
    ).stdout.split("\n")
    seen = [line.split("\t") for line in out if line]
    flags_seen = [(src, f.replace("·", "").strip()) for src, f in seen]
    assert flags_seen[0] == (client.addr(), "S")
    assert flags_seen[1] == (server.addr(), "AS")
    assert flags_seen[2] == (client.addr(), "R")  # the kernel knows no such connection


def _arp(target: str) -> tuple[str, str, int]:
    from paquet.layers import ARP, Ether
    from paquet.net.sendrecv import srp1

    answer = srp1(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=target), timeout=2, verbose=0)
    return answer[ARP].hwsrc, answer[ARP].psrc, answer[ARP].op


def _mac(iface: str) -> str:
    from paquet.net.netlink import link

    return link(iface).mac


def test_arp_to_a_neighbour(tp: Any) -> None:
    neighbour = tp["neighbour"]
    mac = neighbour.run(_mac, neighbour.interfaces[0].name)
    assert tp["client"].run(_arp, neighbour.addr()) == (mac, neighbour.addr(), 2)


def _echo6(dst: str) -> tuple[str, int, int]:
    from paquet.layers.icmpv6 import ICMPv6EchoRequest
    from paquet.layers.ipv6 import IPv6
    from paquet.net.sendrecv import sr1

    answer = sr1(IPv6(dst=dst) / ICMPv6EchoRequest(id=1, seq=2), timeout=2, verbose=0)
    return answer.src, answer.hlim, answer.payload.type


def test_echo_over_ipv6_across_routers(tp: Any) -> None:
    pytest.importorskip("paquet.layers.ipv6")
    remote6 = tp["remote"].addr(6)
    assert tp["client"].run(_echo6, remote6) == (remote6, 61, 129)


def _stream(dst: str) -> tuple[bytes, str]:
    import socket

    from paquet.layers import Raw
    from paquet.net.sockets import StreamSocket

    s = socket.socket()
    s.connect((dst, 10000))
    ss = StreamSocket(s, Raw)
    answer = ss.sr1(Raw(b"Miaou"), timeout=2, verbose=0)
    ss.close()
    return bytes(answer), type(answer).__name__


def test_stream_socket_to_the_lab_tcp_server(tp: Any) -> None:
    server = tp["server"]
    server.clear_logs("tcp:10000")
    assert tp["client"].run(_stream, server.addr()) == (b"Miaou", "Raw")
    received = [r.data for r in server.wait_logs("tcp:10000", 2) if r.event == "recv"]
    assert b"Miaou" in received


def _mixed(server: str, target: str, pcap: str, iface: str) -> dict[str, Any]:
    import subprocess as sp

    from paquet.layers import ICMP, IP, TCP, UDP
    from paquet.net.sendrecv import sr

    probes = []
    probes += list(iter(IP(dst=server) / ICMP(id=0x4141, seq=(1, 2000))))
    probes += list(iter(IP(dst=target) / TCP(sport=41000, dport=(1, 2000), flags="S")))
    probes += list(iter(IP(dst=server) / UDP(sport=(42000, 42499), dport=10000) / b"x"))
    probes += list(iter(IP(dst=target) / UDP(sport=43000, dport=(20000, 20499))))
    dump = sp.Popen(
        ["tcpdump", "--immediate-mode", "-U", "-n", "-Z", "root", "-B", "16384", "-i", iface,
         "-w", pcap, "inbound"],
        stdout=sp.DEVNULL, stderr=sp.PIPE,
    )
    assert dump.stderr is not None
    dump.stderr.readline()
    try:
        _until_capture_live(pcap, server)
        ans, unans = sr(probes, timeout=2, verbose=0)
    finally:
        time.sleep(0.2)
        dump.terminate()
        dump.wait()
    index = {bytes(p): i for i, p in enumerate(probes)}
    assert len(index) == len(probes)
    matched = [(index[bytes(q)], a.time, bytes(a)) for q, a in ans]
    return {"n": len(probes), "matched": matched, "unanswered": [index[bytes(p)] for p in unans]}


def test_sr_5000_mixed_probes_matched_exactly_once_against_a_capture(
    tp: Any, tmp_path: Path
) -> None:
    from paquet.layers import ICMP, TCP, UDP, UDPerror, dissect
    from paquet.pcap import rdpcap

    client, server, target = tp["client"], tp["server"], tp["target"]
    pcap = str(tmp_path / "in.pcap")
    result = client.run(_mixed, server.addr(), target.addr(), pcap, client.interfaces[0].name)
    n, matched = result["n"], result["matched"]
    assert n == 5000
    indexes = [i for i, _t, _b in matched]
    assert len(indexes) == len(set(indexes))  # every probe matched at most once
    answers = [b for _i, _t, b in matched]
    assert len(answers) == len(set(answers))  # every answer used once
    # Every answer is one the capture saw arriving, and it answers the right probe.
    captured = {bytes(p)[14:] for p in rdpcap(pcap)}
    for i, _t, data in matched:
        assert data in captured
        a = dissect(data, linktype=101)
        if i < 2000:
            assert a[ICMP].type == 0 and a[ICMP].seq == i + 1
        elif i < 4000:
            assert TCP in a and a[TCP].sport == i - 2000 + 1 and a[TCP].dport == 41000
        elif i < 4500:
            assert UDP in a and a[UDP].dport == 42000 + i - 4000 and bytes(a[UDP].payload) == b"x"
        else:
            assert a[ICMP].type == 3 and a[ICMP].payload[UDPerror].dport == 20000 + i - 4500
    # What stayed unanswered: the target's filtered ports (dropped), nothing else.
    assert sorted(result["unanswered"]) == [2000 + p - 1 for p in (135, 139, 445)]


def _v6_extras(remote6: str, server6: str, neighbour6: str, me6: str, iface: str) -> list[Any]:
    import ipaddress

    from paquet.layers import UDP, Ether, Raw
    from paquet.layers.icmpv6 import (
        ICMPv6EchoRequest,
        ICMPv6ND_NA,
        ICMPv6ND_NS,
        ICMPv6NDOptSrcLLAddr,
    )
    from paquet.layers.ipv6 import IPv6
    from paquet.net.neighbour import multicast_mac
    from paquet.net.netlink import link
    from paquet.net.sendrecv import sr1, srp1

    out: list[Any] = []
    # An ICMPv6 error quoting the probe: time exceeded from the first router.
    err = sr1(IPv6(dst=remote6, hlim=1) / ICMPv6EchoRequest(id=3, seq=4), timeout=2, verbose=0)
    out.append((err.src, err.payload.type))
    # UDP over IPv6 to the server's echo.
    echo = sr1(IPv6(dst=server6) / UDP(sport=34000, dport=10000) / Raw(b"v6"), timeout=2,
               verbose=0)
    out.append(bytes(echo[UDP].payload))
    # Neighbour discovery: a solicitation to the solicited-node group, the advertisement back.
    low24 = ipaddress.IPv6Address(neighbour6).packed[13:]
    group = str(ipaddress.IPv6Address(b"\xff\x02" + bytes(9) + b"\x01\xff" + low24))
    mine = link(iface).mac
    ns = (
        Ether(src=mine, dst=multicast_mac(group))
        / IPv6(src=me6, dst=group, hlim=255)
        / ICMPv6ND_NS(tgt=neighbour6)
        / ICMPv6NDOptSrcLLAddr(lladdr=mine)
    )
    na = srp1(ns, iface=iface, timeout=2, verbose=0)
    out.append((type(na[ICMPv6ND_NA]).__name__, na[ICMPv6ND_NA].tgt, na.src))
    return out


def test_ipv6_errors_udp_and_neighbour_discovery(tp: Any) -> None:
    client, neighbour = tp["client"], tp["neighbour"]
    gateway6 = tp["gateway"].addr(6, link="lan")
    neighbour6 = neighbour.addr(6)
    neighbour_mac = neighbour.run(_mac, neighbour.interfaces[0].name)
    got = client.run(
        _v6_extras, tp["remote"].addr(6), tp["server"].addr(6), neighbour6, client.addr(6),
        client.interfaces[0].name,
    )
    assert got[0] == (gateway6, 3)
    assert got[1] == b"v6"
    assert got[2] == ("ICMPv6ND_NA", neighbour6, neighbour_mac)


def _broadcast(bcast: str) -> list[str]:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr

    ans, _unans = sr(IP(dst=bcast) / ICMP(id=0x66), timeout=1, multi=True, verbose=0)
    return sorted(a.src for _q, a in ans)


def _accept_broadcast_echo(_: int) -> None:
    import subprocess as sp

    sp.run(["sysctl", "-qw", "net.ipv4.icmp_echo_ignore_broadcasts=0"], check=True)


def test_broadcast_echo_with_multi_gets_every_host(tp: Any) -> None:
    neighbour, gateway = tp["neighbour"], tp["gateway"]
    for node in (neighbour, gateway):
        node.run(_accept_broadcast_echo, 0)
    try:
        got = tp["client"].run(_broadcast, "192.0.2.255")
    finally:
        for node in (neighbour, gateway):
            node.exec(["sysctl", "-qw", "net.ipv4.icmp_echo_ignore_broadcasts=1"])
    assert got == sorted([neighbour.addr(), gateway.addr(link="lan")])


def _arp_scan(subnet: str) -> list[tuple[str, str]]:
    from paquet.layers import ARP, Ether
    from paquet.net.sendrecv import srp

    ans, _unans = srp(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=subnet), timeout=1, verbose=0)
    return sorted((a[ARP].psrc, a[ARP].hwsrc) for _q, a in ans)


def test_arp_scan_of_the_lan(tp: Any) -> None:
    neighbour, gateway = tp["neighbour"], tp["gateway"]
    expected = sorted(
        [
            (neighbour.addr(), neighbour.run(_mac, neighbour.interfaces[0].name)),
            (gateway.addr(link="lan"), gateway.run(_mac, gateway.iface("client"))),
        ]
    )
    assert tp["client"].run(_arp_scan, "192.0.2.0/24") == expected
