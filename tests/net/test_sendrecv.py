"""send / sr / sr1 / srp on loopback: Scapy's output, answers matched exactly once, bytes kept.

Loopback only (127.0.0.1, ::1), in a private namespace so nothing else is on the wire.
"""

from __future__ import annotations

import asyncio
import os
import socket
import struct
from typing import Any

import pytest
from pqnet_helpers import in_ns, namespaces

from paquet.errors import NetworkError
from paquet.net.sendrecv import SndRcvList, _is_echo_request
from paquet.net.sockets import _kernel_would_rewrite

NS = f"pqn-lo{os.getpid()}"


@pytest.fixture(scope="module")
def lo_ns() -> str:
    """A namespace with only loopback (deleted at the end)."""
    with namespaces(NS):
        yield NS


def test_echo_request_and_rewrite_detection() -> None:
    from scapy.layers.inet import ICMP, IP, UDP

    assert _is_echo_request(bytes(IP(dst="192.0.2.1") / ICMP()))
    assert not _is_echo_request(bytes(IP(dst="192.0.2.1") / ICMP(type=0)))
    assert not _is_echo_request(bytes(IP(dst="192.0.2.1") / UDP()))
    assert not _kernel_would_rewrite(bytes(IP(src="192.0.2.2", dst="192.0.2.1") / ICMP()))
    bad = IP(src="192.0.2.2", dst="192.0.2.1", chksum=1) / ICMP()
    assert _kernel_would_rewrite(bytes(bad)) == "integrity"
    zero_id = IP(src="192.0.2.2", dst="192.0.2.1", id=0) / ICMP()
    assert _kernel_would_rewrite(bytes(zero_id)) == "fields"


def _sr1_echo() -> tuple[str, str, int, int]:
    import io
    import sys

    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        answer = sr1(IP(dst="127.0.0.1") / ICMP(id=0x1234, seq=7), timeout=2)
    finally:
        sys.stdout = old
    return out.getvalue(), answer.summary(), answer[ICMP].type, answer[ICMP].seq


@pytest.mark.privileged
def test_sr1_echo_on_loopback_prints_like_scapy(lo_ns: str) -> None:
    printed, summary, icmp_type, seq = in_ns(lo_ns, _sr1_echo)
    assert printed == (
        "Begin emission\n\nFinished sending 1 packets\n*\n"  # Scapy 2.8's lines
        "Received 1 packets, got 1 answers, remaining 0 packets\n"
    )
    assert icmp_type == 0 and seq == 7
    assert "echo-reply" in summary


def _send_output() -> str:
    import io
    import sys

    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import send

    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        send(IP(dst="127.0.0.1") / ICMP(), count=3)
    finally:
        sys.stdout = old
    return out.getvalue()


@pytest.mark.privileged
def test_send_prints_sent_count(lo_ns: str) -> None:
    assert in_ns(lo_ns, _send_output) == "...\nSent 3 packets.\n"


def _many(n: int) -> tuple[int, int, list[tuple[int, int]], int]:
    from paquet.layers import ICMP, IP, TCP, UDP
    from paquet.net.sendrecv import sr

    listener = socket.socket()
    listener.bind(("127.0.0.1", 10001))
    listener.listen(1024)
    probes = (
        list(iter(IP(dst="127.0.0.1") / ICMP(id=99, seq=(1, n))))
        + list(iter(IP(dst="127.0.0.1") / TCP(sport=40000, dport=[10001, 10002], flags="S")))
        + list(iter(IP(dst="127.0.0.1") / UDP(sport=40001, dport=10003)))
    )
    ans, unans = sr(probes, timeout=1, verbose=0)
    pairs = []
    queries = set()
    for q, a in ans:
        assert id(q) not in queries  # each probe answered once
        queries.add(id(q))
        if ICMP in a and a[ICMP].type == 0:
            assert a[ICMP].seq == q[ICMP].seq and a[ICMP].id == q[ICMP].id
            pairs.append((0, a[ICMP].seq))
        elif TCP in a and ICMP not in a:
            assert a[TCP].sport == q[TCP].dport and a[TCP].ack == q[TCP].seq + 1
            pairs.append((6, int(a[TCP].flags)))
        else:
            assert a[ICMP].type == 3 and a[ICMP].code == 3  # port unreachable quoting the probe
            pairs.append((17, a[ICMP].code))
    listener.close()
    return len(ans), len(unans), sorted(pairs), len(probes)


@pytest.mark.privileged
def test_sr_mixed_probes_each_matched_once(lo_ns: str) -> None:
    n_ans, n_unans, pairs, total = in_ns(lo_ns, _many, 500)
    assert (n_ans, n_unans, total) == (503, 0, 503)
    assert pairs[:500] == [(0, i) for i in range(1, 501)]
    assert pairs[500:502] == sorted([(6, 0x12), (6, 0x14)])  # SYN/ACK from 10001, RST/ACK
    assert pairs[502] == (17, 3)


def _own_probe_is_not_an_answer() -> tuple[str | None, bool]:
    from paquet.layers import ICMP, IP, UDP, Raw
    from paquet.net.sendrecv import sr1

    # src = dst and sport = dport: the probe coming back on loopback looks like its own answer.
    answer = sr1(
        IP(src="127.0.0.1", dst="127.0.0.1") / UDP(sport=10009, dport=10009) / Raw(b"miaou"),
        timeout=1,
        verbose=0,
    )
    return (answer.summary() if answer else None), bool(answer and ICMP in answer)


@pytest.mark.privileged
def test_own_probe_looping_back_is_not_its_answer(lo_ns: str) -> None:
    summary, is_icmp = in_ns(lo_ns, _own_probe_is_not_an_answer)
    assert is_icmp, summary  # the port unreachable, not the probe seen on lo


def _ipv6_echo() -> tuple[int, str]:
    from paquet.layers.icmpv6 import ICMPv6EchoRequest
    from paquet.layers.ipv6 import IPv6
    from paquet.net.sendrecv import sr1

    answer = sr1(IPv6(dst="::1") / ICMPv6EchoRequest(id=5, seq=3), timeout=2, verbose=0)
    return answer.payload.type, answer.src


@pytest.mark.privileged
def test_ipv6_echo_on_loopback(lo_ns: str) -> None:
    pytest.importorskip("paquet.layers.ipv6")
    assert in_ns(lo_ns, _ipv6_echo) == (129, "::1")


def _l2_echo() -> tuple[str, int]:
    from paquet.layers import ICMP, IP, Ether
    from paquet.net.sendrecv import srp1

    answer = srp1(Ether() / IP(dst="127.0.0.1") / ICMP(seq=9), iface="lo", timeout=2, verbose=0)
    return type(answer).__name__, answer[ICMP].seq


@pytest.mark.privileged
def test_srp1_on_loopback(lo_ns: str) -> None:
    assert in_ns(lo_ns, _l2_echo) == ("Ether", 9)


def _wrong_checksum_kept() -> tuple[int, int]:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import send
    from paquet.net.sockets import recv_packet

    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    cap.bind(("lo", 0x0800))
    cap.settimeout(2)
    send(IP(dst="127.0.0.1", chksum=0xBEEF) / ICMP(seq=0x4242), verbose=0)
    while True:
        data, _stamp, _addr = recv_packet(cap)
        if data[9] == 1 and data[20] == 8:
            cap.close()
            return struct.unpack("!H", data[10:12])[0], struct.unpack("!H", data[26:28])[0]


@pytest.mark.privileged
def test_crafted_wrong_checksum_goes_out_unchanged(lo_ns: str) -> None:
    assert in_ns(lo_ns, _wrong_checksum_kept) == (0xBEEF, 0x4242)


def _zero_id_answered() -> int:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    return int(sr1(IP(dst="127.0.0.1", id=0) / ICMP(seq=11), timeout=2, verbose=0)[ICMP].seq)


@pytest.mark.privileged
def test_zero_id_to_loopback_is_still_answered(lo_ns: str) -> None:
    assert in_ns(lo_ns, _zero_id_answered) == 11


def _async_sr() -> tuple[int | None, list[int], int]:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import asr, asr1

    async def main() -> tuple[int | None, list[int], int]:
        one = await asr1(IP(dst="127.0.0.1") / ICMP(seq=77), timeout=2)
        seqs = []
        async for _q, a in asr(IP(dst="127.0.0.1") / ICMP(seq=(1, 20)), timeout=1):
            seqs.append(a[ICMP].seq)
        ans, _unans = await asr(IP(dst="127.0.0.1") / ICMP(seq=(1, 5)), timeout=1)
        return (one[ICMP].seq if one else None), sorted(seqs), len(ans)

    return asyncio.run(main())


@pytest.mark.privileged
def test_asyncio_versions(lo_ns: str) -> None:
    assert in_ns(lo_ns, _async_sr) == (77, list(range(1, 21)), 5)


def _summary_lines() -> list[str]:
    import io
    import sys

    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr

    ans, unans = sr(IP(dst="127.0.0.1") / ICMP(seq=(1, 2)), timeout=1, verbose=0)
    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        ans.summary()
        ans.show()
        print(repr(ans), repr(unans))
    finally:
        sys.stdout = old
    return out.getvalue().splitlines()


@pytest.mark.privileged
def test_results_summary_and_show(lo_ns: str) -> None:
    lines = in_ns(lo_ns, _summary_lines)
    assert lines[0].startswith("IP / ICMP 127.0.0.1 > 127.0.0.1 echo-request")
    assert " ==> IP / ICMP 127.0.0.1 > 127.0.0.1 echo-reply" in lines[0]
    assert lines[2].startswith("0000 IP / ICMP") and lines[3].startswith("0001 ")
    assert lines[4] == (
        "<Results: TCP:0 UDP:0 ICMP:2 Other:0> <Unanswered: TCP:0 UDP:0 ICMP:0 Other:0>"
    )


def test_sndrcvlist_is_a_packet_list() -> None:
    from paquet.plist import PacketList

    assert issubclass(SndRcvList, PacketList)
    assert repr(SndRcvList()) == "<Results: TCP:0 UDP:0 ICMP:0 Other:0>"


def _bad_iface() -> str:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    try:
        sr1(IP(dst="127.0.0.1") / ICMP(), iface="nosuch0", timeout=0.1, verbose=0)
    except NetworkError as exc:
        return str(exc)
    return "no error"


@pytest.mark.privileged
def test_bad_interface_is_one_line(lo_ns: str) -> None:
    assert in_ns(lo_ns, _bad_iface) == "no such interface: 'nosuch0'"


def _udp_server(port: int, drop_first: int, replies: int) -> Any:
    """A UDP server on 127.0.0.1:port that ignores the first datagrams and answers N times."""
    import threading

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))

    def serve() -> None:
        seen = 0
        while True:
            data, addr = s.recvfrom(2048)
            seen += 1
            if seen > drop_first:
                for _ in range(replies):
                    s.sendto(data, addr)

    threading.Thread(target=serve, daemon=True).start()
    return s


def _retry_and_multi() -> tuple[int, int, int, int, int]:
    from paquet.layers import IP, UDP, Raw
    from paquet.net.sendrecv import sr

    _udp_server(10020, 1, 1)
    probe = IP(dst="127.0.0.1") / UDP(sport=40020, dport=10020) / Raw(b"r")
    no_retry, _ = sr(probe, timeout=0.3, verbose=0)
    _udp_server(10021, 1, 1)
    probe = IP(dst="127.0.0.1") / UDP(sport=40021, dport=10021) / Raw(b"r")
    with_retry, unans = sr(probe, timeout=0.3, retry=2, verbose=0)
    _udp_server(10022, 0, 3)
    probe = IP(dst="127.0.0.1") / UDP(sport=40022, dport=10022) / Raw(b"m")
    multi, _ = sr(probe, timeout=0.3, multi=True, verbose=0)
    single, _ = sr(probe, timeout=0.3, verbose=0)
    return len(no_retry), len(with_retry), len(unans), len(multi), len(single)


@pytest.mark.privileged
def test_retry_resends_the_unanswered_and_multi_keeps_every_answer(lo_ns: str) -> None:
    assert in_ns(lo_ns, _retry_and_multi) == (0, 1, 0, 3, 1)


def _sr1_without_timeout() -> int:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1

    # No timeout: Scapy's "wait until answered"; returns at once when the answer is there.
    return int(sr1(IP(dst="127.0.0.1") / ICMP(seq=5), verbose=0)[ICMP].seq)


@pytest.mark.privileged
def test_sr1_without_timeout_returns_on_its_answer(lo_ns: str) -> None:
    assert in_ns(lo_ns, _sr1_without_timeout, timeout=20) == 5


def _srloop_output() -> tuple[str, int, int]:
    import io
    import sys

    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import srloop

    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        ans, unans = srloop(IP(dst="127.0.0.1") / ICMP(), count=3, inter=0.05, timeout=1)
    finally:
        sys.stdout = old
    return out.getvalue(), len(ans), len(unans)


@pytest.mark.privileged
def test_srloop_prints_each_round_and_the_hit_rate(lo_ns: str) -> None:
    printed, n_ans, n_unans = in_ns(lo_ns, _srloop_output)
    # Scapy's layout: "\rsend...\r " then "\rRECV 1: <answer>\n" and an indent, per round
    # (test_probing_lab compares it with Scapy's, character for character).
    rounds = printed.split("\rsend...\r ")[1:]
    assert (n_ans, n_unans) == (3, 0)
    assert len(rounds) == 3
    assert all(r.startswith("\rRECV 1: ") and "echo-reply" in r for r in rounds)
    assert printed.endswith("\nSent 3 packets, received 3 packets. 100.0% hits.\n")


def _sendp_on_lo() -> tuple[str, int]:
    import io
    import sys

    from paquet.layers import ICMP, IP, Ether
    from paquet.net.sendrecv import sendp
    from paquet.net.sockets import open_receiver, recv_packet, release_receiver

    rx = open_receiver(3, "lo", "icmp")
    out = io.StringIO()
    old, sys.stdout = sys.stdout, out
    try:
        sendp(Ether() / IP(dst="127.0.0.1") / ICMP(seq=0x4343), iface="lo")
    finally:
        sys.stdout = old
    rx.settimeout(2)
    seqs = []
    while len(seqs) < 2:  # the request (looped back) and the kernel's reply
        data, _t, _a = recv_packet(rx)
        seqs.append(struct.unpack("!H", data[26:28])[0])
    release_receiver(rx)
    return out.getvalue(), seqs.count(0x4343)


@pytest.mark.privileged
def test_sendp_on_loopback(lo_ns: str) -> None:
    assert in_ns(lo_ns, _sendp_on_lo) == (".\nSent 1 packets.\n", 2)


def _l2_echo6() -> tuple[str, int]:
    from paquet.layers import Ether
    from paquet.layers.icmpv6 import ICMPv6EchoRequest
    from paquet.layers.ipv6 import IPv6
    from paquet.net.sendrecv import srp1

    probe = Ether() / IPv6(dst="::1") / ICMPv6EchoRequest(id=2, seq=12)
    answer = srp1(probe, iface="lo", timeout=2, verbose=0)
    return type(answer.payload.payload).__name__, answer.payload.payload.seq


@pytest.mark.privileged
def test_srp1_ipv6_on_loopback(lo_ns: str) -> None:
    assert in_ns(lo_ns, _l2_echo6) == ("ICMPv6EchoReply", 12)


def _filters() -> tuple[int, int, int]:
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr

    probe = IP(dst="127.0.0.1") / ICMP(seq=(1, 3))
    kept, _ = sr(probe, filter="icmp", iface="lo", timeout=0.5, verbose=0)
    dropped, unans = sr(probe, filter="tcp", timeout=0.3, verbose=0)
    return len(kept), len(dropped), len(unans)


@pytest.mark.privileged
def test_user_filter_and_interface(lo_ns: str) -> None:
    assert in_ns(lo_ns, _filters) == (3, 0, 3)


def _mixed_families() -> list[str]:
    from paquet.layers import ICMP, IP
    from paquet.layers.icmpv6 import ICMPv6EchoRequest
    from paquet.layers.ipv6 import IPv6
    from paquet.net.sendrecv import sr

    probes = [IP(dst="127.0.0.1") / ICMP(seq=1), IPv6(dst="::1") / ICMPv6EchoRequest(seq=2)]
    ans, _unans = sr(probes, timeout=1, verbose=0)
    return [type(a.payload).__name__ for _q, a in ans]


@pytest.mark.privileged
def test_ipv4_and_ipv6_probes_in_one_sr(lo_ns: str) -> None:
    assert in_ns(lo_ns, _mixed_families) == ["ICMP", "ICMPv6EchoReply"]


def _socket_api() -> tuple[int, str, int]:
    from paquet.layers import ICMP, IP
    from paquet.net.conf import conf

    with conf.L3socket(filter="icmp") as s:  # Scapy's way: open a socket, use it
        sent = s.send(IP(dst="127.0.0.1") / ICMP(seq=21))
        first = s.recv()  # the request looping back on lo, then the reply
        while first[ICMP].type != 0:
            first = s.recv()
        answer = s.sr1(IP(dst="127.0.0.1") / ICMP(seq=22), timeout=2, verbose=0)
    return sent, first.summary(), answer[ICMP].seq


@pytest.mark.privileged
def test_scapy_socket_api(lo_ns: str) -> None:
    sent, summary, seq = in_ns(lo_ns, _socket_api)
    assert sent == 28 and "echo-reply" in summary and seq == 22
