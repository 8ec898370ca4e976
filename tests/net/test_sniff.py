"""Live capture in network namespaces made here (and always deleted): kernel filters, bursts,
background and asyncio sniffers, the ``paquet sniff`` command, privileges.

Topology: namespace A (veth ``pqa``, 192.0.2.1/24) --- namespace B (veth ``pqb``, 192.0.2.2/24).
Senders are separate processes (``ip netns exec``) sending UDP with ``sendto``.
"""

from __future__ import annotations

import asyncio
import json
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from paquet.cli.main import main
from paquet.errors import NetworkError, PaquetError, PrivilegeError
from paquet.net.bpf import FilterError
from paquet.net.sniff import AsyncSniffer, RingSocket, asniff, sniff
from paquet.pcap import RawPacket, rdpcap, wrpcap
from paquet.pcapng import PcapNgReader

pytestmark = pytest.mark.privileged

SENDER = """
import socket, sys
dst, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[4])
ports = [int(p) for p in sys.argv[3].split(",")]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"p" * size
for i in range(count):
    s.sendto(payload, (dst, ports[i % len(ports)]))
"""


@dataclass
class Pair:
    """Two namespaces joined by a veth pair."""

    a: str
    b: str

    def send(self, count: int, ports: tuple[int, ...] = (9999,), *, size: int = 18) -> None:
        """Send ``count`` UDP datagrams from A to 192.0.2.2, cycling through ``ports``."""
        subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                self.a,
                sys.executable,
                "-c",
                SENDER,
                "192.0.2.2",
                str(count),
                ",".join(map(str, ports)),
                str(size),
            ],
            check=True,
            timeout=60,
        )

    def sh(self, ns: str, *cmd: str) -> None:
        subprocess.run(["ip", "-n", ns, *cmd], check=True, capture_output=True)


@pytest.fixture
def pair() -> Iterator[Pair]:
    """Namespaces ``pqs<pid>a`` and ``pqs<pid>b`` with veth pqa <-> pqb; deleted at the end."""
    p = Pair(f"pqs{os.getpid()}a", f"pqs{os.getpid()}b")
    try:
        for ns in (p.a, p.b):
            subprocess.run(["ip", "netns", "add", ns], check=True)
            p.sh(ns, "link", "set", "lo", "up")
        p.sh(p.a, "link", "add", "pqa", "type", "veth", "peer", "name", "pqb", "netns", p.b)
        p.sh(p.a, "addr", "add", "192.0.2.1/24", "dev", "pqa")
        p.sh(p.b, "addr", "add", "192.0.2.2/24", "dev", "pqb")
        p.sh(p.a, "link", "set", "pqa", "up")
        p.sh(p.b, "link", "set", "pqb", "up")
        # Static neighbours: no ARP exchange in the middle of the counts.
        p.sh(p.a, "neigh", "replace", "192.0.2.2", "lladdr", mac(p, p.b, "pqb"), "dev", "pqa")
        yield p
    finally:
        for ns in (p.a, p.b):
            subprocess.run(["ip", "netns", "del", ns], check=False, capture_output=True)


def mac(p: Pair, ns: str, dev: str) -> str:
    out = subprocess.run(
        ["ip", "-n", ns, "-br", "link", "show", dev], check=True, capture_output=True, text=True
    ).stdout.split()
    return out[2]


def udp_dport(rec: RawPacket) -> int:
    """Destination port of an Ethernet/IPv4/UDP frame (no options)."""
    data = bytes(rec)
    assert data[12:14] == b"\x08\x00" and data[23] == 17
    ihl = (data[14] & 0x0F) * 4
    return int(struct.unpack_from("!H", data, 14 + ihl + 2)[0])


def test_filter_runs_in_the_kernel(pair: Pair) -> None:
    sniffer = AsyncSniffer(iface="pqb", filter="udp dst port 9999", netns=pair.b, raw=True)
    sniffer.start()
    assert sniffer.running
    pair.send(400, ports=(9999, 9998))
    got = sniffer.stop()
    assert not sniffer.running
    assert len(got) == 200
    assert {udp_dport(r) for r in got} == {9999}
    assert all(r.sniffed_on == "pqb" and r.linktype == 1 for r in got)
    stats = sniffer.capture_stats
    # The kernel counts only what passed its filter: the 200 others never reached the socket.
    assert (stats.kernel_received, stats.kernel_dropped, stats.captured) == (200, 0, 200)


def test_burst_of_50k_packets_without_loss(pair: Pair) -> None:
    """50,000 datagrams sent as fast as Python can (well above 50k/s): every one captured.

    The capture is on the sending side (``pqa``, outgoing): what the peer's backlog might drop
    later is not a capture loss.
    """
    sniffer = AsyncSniffer(iface="pqa", filter="udp dst port 9999", netns=pair.a, raw=True)
    sniffer.start()
    pair.send(50_000, ports=(9999,))
    got = sniffer.stop()
    stats = sniffer.capture_stats
    assert stats.kernel_dropped == 0
    assert len(got) == stats.kernel_received == 50_000
    assert all(r.direction == 2 for r in got[:100])  # outgoing
    stamps = [r.time_ns for r in got]
    assert stamps == sorted(stamps)


def test_no_unfiltered_packet_slips_in(pair: Pair) -> None:
    """Sockets opened in the middle of a flood of other traffic see none of it."""
    flood = subprocess.Popen(
        [
            "ip",
            "netns",
            "exec",
            pair.a,
            sys.executable,
            "-c",
            SENDER,
            "192.0.2.2",
            "10000000",
            "9998",
            "18",
        ],
    )
    try:
        # Without a filter, the flood is there: this test can fail.
        unfiltered = sniff(iface="pqb", netns=pair.b, count=10, timeout=10, raw=True)
        assert len(unfiltered) == 10
        for _ in range(8):
            with RingSocket("pqb", "udp dst port 9999", netns=pair.b) as sock:
                sock.wait(0.05)
                assert sock.read() == []
            assert sock.stats.kernel_received == 0
        assert flood.poll() is None, "the flood lasted through every check"
    finally:
        flood.kill()
        flood.wait()


def test_callbacks_count_and_stop_filter(pair: Pair) -> None:
    seen: list[int] = []
    sniffer = AsyncSniffer(
        iface="pqb",
        filter="udp",
        netns=pair.b,
        raw=True,
        prn=lambda r: seen.append(udp_dport(r)),
        lfilter=lambda r: udp_dport(r) != 7001,
        stop_filter=lambda r: udp_dport(r) == 7003,
    )
    sniffer.start()
    pair.send(8, ports=(7000, 7001, 7002, 7003))
    sniffer.join(timeout=10)
    assert not sniffer.running
    assert seen == [7000, 7002, 7003]
    assert sniffer.results is not None and len(sniffer.results) == 3

    counted = AsyncSniffer(iface="pqb", filter="udp", netns=pair.b, raw=True, count=5, store=False)
    counted.start()
    pair.send(9)
    counted.join(timeout=10)
    assert counted.results is not None and len(counted.results) == 0
    stats = counted.capture_stats
    assert stats.captured == 5  # handed on; the others the kernel took are discarded
    assert stats.kernel_received == stats.captured + stats.discarded + stats.kernel_dropped


def test_timeout_and_all_interfaces(pair: Pair) -> None:
    assert len(sniff(iface="pqb", netns=pair.b, filter="udp", timeout=0.2, raw=True)) == 0
    sniffer = AsyncSniffer(netns=pair.b, filter="udp dst port 9999", raw=True)
    sniffer.start()
    pair.send(5)
    got = sniffer.stop()
    assert [r.sniffed_on for r in got] == ["pqb"] * 5


def test_asniff(pair: Pair) -> None:
    async def collect() -> list[RawPacket]:
        out = []
        loop = asyncio.get_running_loop()
        gen = asniff(iface="pqb", filter="udp dst port 9999", netns=pair.b, count=6, raw=True)
        first = asyncio.ensure_future(gen.__anext__())
        await asyncio.sleep(0.3)  # the generator has opened its socket meanwhile
        sender = loop.run_in_executor(None, pair.send, 10)
        out.append(await first)
        async for pkt in gen:
            out.append(pkt)
        await sender
        return out

    got = asyncio.run(collect())
    assert len(got) == 6 and {udp_dport(r) for r in got} == {9999}


RAW_SENDER = """
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
for _ in range(int(sys.argv[3])):
    s.send(bytes.fromhex(sys.argv[2]))
"""


def test_vlan_tags_put_back(pair: Pair, tmp_path: Path) -> None:
    """The receiving kernel moves an 802.1Q tag out of the frame; the capture puts it back."""
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Dot1Q, Ether

    frame = bytes(
        Ether(src=mac(pair, pair.a, "pqa"), dst=mac(pair, pair.b, "pqb"))
        / Dot1Q(vlan=100, prio=3)
        / IP(src="198.51.100.1", dst="198.51.100.2")
        / UDP(sport=1234, dport=4242)
        / b"tagged"
    )
    untagged = bytes(
        Ether(src=mac(pair, pair.a, "pqa"), dst=mac(pair, pair.b, "pqb"))
        / IP(src="198.51.100.1", dst="198.51.100.2")
        / UDP(sport=1234, dport=4242)
    )
    # "vlan 100" in the kernel: the tag is already out of the frame when the filter runs, so
    # only libpcap's live compilation (kernel extensions) can match it, as tcpdump's does.
    sniffer = AsyncSniffer(iface="pqb", filter="vlan 100 and udp", netns=pair.b, raw=True)
    sniffer.start()
    for data in (untagged, frame):
        subprocess.run(
            [
                "ip",
                "netns",
                "exec",
                pair.a,
                sys.executable,
                "-c",
                RAW_SENDER,
                "pqa",
                data.hex(),
                "3",
            ],
            check=True,
        )
    got = sniffer.stop()
    assert [bytes(r) for r in got] == [frame] * 3
    assert [r.wirelen for r in got] == [len(frame)] * 3
    wrpcap(tmp_path / "vlan.pcap", got)
    rows = subprocess.run(
        [
            "tshark",
            "-r",
            str(tmp_path / "vlan.pcap"),
            "-T",
            "fields",
            "-e",
            "vlan.id",
            "-e",
            "vlan.priority",
            "-e",
            "udp.dstport",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert rows == ["100\t3\t4242"] * 3


def test_kernel_program_is_tcpdumps(pair: Pair) -> None:
    """The program attached to the socket is the one tcpdump compiles for that interface."""
    for expr in ("vlan 100 and udp", "udp dst port 9999", "inbound and icmp"):
        with RingSocket("pqb", expr, netns=pair.b) as sock:
            assert sock.program is not None
            ours = sock.program.dump() + "\n"
        theirs = subprocess.run(
            ["ip", "netns", "exec", pair.b, "tcpdump", "-i", "pqb", "-dd", expr],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert ours == theirs, expr


def test_errors(pair: Pair) -> None:
    with pytest.raises(NetworkError, match="no interface named 'nope0'"):
        sniff(iface="nope0", netns=pair.b, timeout=0.1)
    with pytest.raises(FilterError, match="syntax error"):
        sniff(iface="pqb", netns=pair.b, filter="udp port", timeout=0.1)
    with pytest.raises(NetworkError, match="namespace"):
        sniff(iface="lo", netns="pq-no-such-namespace", timeout=0.1)


def test_cli_sniff_writes_what_tshark_reads(
    pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "live.pcapng"
    result: list[int] = []
    argv = [
        "sniff",
        "--netns",
        pair.b,
        "-i",
        "pqb",
        "-f",
        "udp dst port 9999",
        "-c",
        "5",
        "--timeout",
        "20",
        "-w",
        str(out),
        "-q",
    ]
    t = threading.Thread(target=lambda: result.append(main(argv)))
    t.start()
    while not out.exists():  # the file appears once the socket is listening
        threading.Event().wait(0.02)
    pair.send(20, ports=(9999, 9998))
    t.join(30)
    assert result == [0]
    err = capsys.readouterr().err
    assert "5 packets captured" in err and "0 packets dropped by kernel" in err
    rows = subprocess.run(
        [
            "tshark",
            "-r",
            str(out),
            "-T",
            "fields",
            "-e",
            "udp.dstport",
            "-e",
            "ip.src",
            "-e",
            "frame.interface_name",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert rows == ["9999\t192.0.2.1\tpqb"] * 5
    assert len(rdpcap(out, raw=True)) == 5
    with PcapNgReader(out, raw=True) as reader:
        list(reader)
        (stats,) = reader.statistics
    assert (stats.delivered, stats.os_dropped) == (5, 0)
    assert stats.filter_accepted is not None and 5 <= stats.filter_accepted <= 10
    assert stats.start is not None and stats.end is not None and stats.start <= stats.end


def test_cli_errors(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sniff", "--netns", pair.b, "-i", "nope0", "-c", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error: no interface named 'nope0'") and err.count("\n") == 1
    assert main(["sniff", "--netns", pair.b, "-i", "pqb", "-f", "tcp port", "-c", "1"]) == 2
    assert "syntax error" in capsys.readouterr().err


def test_without_privilege_one_line_and_exit_2() -> None:
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
    code = (
        "from paquet.net.sniff import sniff\n"
        "from paquet.errors import PrivilegeError\n"
        "try:\n    sniff(iface='lo', count=1)\n"
        "except PrivilegeError as e:\n    print('PrivilegeError', e)\n"
    )
    out = subprocess.run([*nobody, sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.startswith("PrivilegeError live capture needs root or CAP_NET_RAW")
    cli = subprocess.run(
        [*nobody, sys.executable, "-m", "paquet", "sniff", "-i", "lo", "-c", "1"],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 2
    assert cli.stderr.startswith("paquet: error: live capture needs root")
    assert cli.stderr.count("\n") == 1 and "Traceback" not in cli.stderr
    assert issubclass(PrivilegeError, PermissionError)


def test_default_path_dissects(pair: Pair) -> None:
    """Without ``raw``, sniff returns dissected packets with their capture metadata."""
    from paquet.layers import IP, UDP, Ether

    sniffer = AsyncSniffer(iface="pqb", filter="udp", netns=pair.b, count=4)
    sniffer.start()
    pair.send(4, ports=(9999, 9998))
    sniffer.join(timeout=10)
    got = sniffer.results
    assert got is not None and len(got) == 4
    assert repr(got) == "<Sniffed: TCP:0 UDP:4 ICMP:0 Other:0>"
    assert all(isinstance(p, Ether) for p in got)
    assert [p[UDP].dport for p in got] == [9999, 9998, 9999, 9998]
    assert {(p[IP].src, p[IP].dst) for p in got} == {("192.0.2.1", "192.0.2.2")}
    assert all(p.sniffed_on == "pqb" and p.wirelen == len(bytes(p)) for p in got)
    assert got[0].time <= got[-1].time


def test_cli_sniff_lines_and_json(pair: Pair, capsys: pytest.CaptureFixture[str]) -> None:
    for extra, check in (
        ([], lambda line: "Ether / IP / UDP 192.0.2.1:" in line and ":9999" in line),
        (["--json"], lambda line: json.loads(line)["layers"]["layers"][2]["layer"] == "UDP"),
    ):
        argv = ["sniff", "--netns", pair.b, "-f", "udp dst port 9999", "-c", "3", "--timeout",
                "20", "--summary"]
        result: list[int] = []
        t = threading.Thread(target=lambda a=argv + extra, r=result: r.append(main(a)))
        t.start()
        # Keep sending until the command has its 3 packets (it starts listening at some point).
        while t.is_alive():
            pair.send(2, ports=(9999, 9998))
            t.join(0.1)
        assert result == [0]
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 3 and all(check(line) for line in out), out
        if not extra:
            assert out[0].split()[0] == "1" and out[0].endswith("[pqb]")


ECHO_CLIENT = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello lab", (sys.argv[1], 10000))
print(s.recvfrom(100)[0].decode())
"""


def test_sniff_on_a_lab_node(lab_factory: Any) -> None:
    """On the course's lab: the server's interface sees the client's datagram and its echo,
    routed through the gateway (the TTL is one less)."""
    from paquet.layers import IP, UDP

    lab = lab_factory("tp")
    client, server = lab["client"], lab["server"]
    iface = server.iface("gateway")
    sniffer = AsyncSniffer(iface=iface, netns=server.ns, filter="udp port 10000", count=2)
    sniffer.start()
    out = client.exec([sys.executable, "-c", ECHO_CLIENT, server.addr()])
    sniffer.join(timeout=10)
    assert out.stdout.strip() == "hello lab"
    got = sniffer.results
    assert got is not None and len(got) == 2
    request, reply = got
    assert (request[IP].src, request[IP].dst, request[UDP].dport) == (
        client.addr(),
        server.addr(),
        10000,
    )
    assert (reply[IP].src, reply[IP].dst, reply[UDP].sport) == (server.addr(), client.addr(), 10000)
    assert bytes(request[UDP].payload) == bytes(reply[UDP].payload) == b"hello lab"
    assert request.sniffed_on == iface and reply.direction == 2  # the echo leaves the server


def test_several_interfaces(pair: Pair) -> None:
    """``iface=[...]``: one socket per interface, packets merged in time order."""
    sniffer = AsyncSniffer(iface=["lo", "pqb"], netns=pair.b, filter="udp", raw=True)
    sniffer.start()
    pair.send(3, ports=(9999,))
    subprocess.run(
        [
            "ip",
            "netns",
            "exec",
            pair.b,
            sys.executable,
            "-c",
            SENDER,
            "127.0.0.1",
            "2",
            "7777",
            "5",
        ],
        check=True,
    )
    got = sniffer.stop()
    assert [r.sniffed_on for r in got] == ["pqb"] * 3 + ["lo"] * 2
    assert [udp_dport(r) for r in got] == [9999] * 3 + [7777] * 2
    assert sniffer.capture_stats.captured == 5


def test_asniff_timeout_under_steady_traffic(pair: Pair) -> None:
    """The timeout ends the capture even while packets keep coming."""
    flood = subprocess.Popen(
        [
            "ip",
            "netns",
            "exec",
            pair.a,
            sys.executable,
            "-c",
            SENDER,
            "192.0.2.2",
            "10000000",
            "9999",
            "18",
        ],
    )

    async def collect() -> int:
        n = 0
        async for _pkt in asniff(iface="pqb", netns=pair.b, filter="udp", timeout=0.5, raw=True):
            n += 1
        return n

    try:
        got = asyncio.run(asyncio.wait_for(collect(), 20))
        assert got > 0
        assert flood.poll() is None, "the traffic went on until the end"
    finally:
        flood.kill()
        flood.wait()


def promiscuity(ns: str, dev: str) -> int:
    out = subprocess.run(
        ["ip", "-n", ns, "-d", "link", "show", dev], capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[out.index("promiscuity") + 1])


def test_promiscuous_mode_while_capturing(pair: Pair) -> None:
    assert promiscuity(pair.b, "pqb") == 0
    with RingSocket("pqb", netns=pair.b, promisc=True):
        assert promiscuity(pair.b, "pqb") == 1
    assert promiscuity(pair.b, "pqb") == 0
    with RingSocket("pqb", netns=pair.b):
        assert promiscuity(pair.b, "pqb") == 0


def test_bad_ring_geometry_is_refused_before_any_socket() -> None:
    with pytest.raises(PaquetError, match="multiple of the page size"):
        RingSocket("lo", block_size=1000)
