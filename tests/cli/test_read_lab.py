"""``paquet read -Y`` on lab traffic (ping, UDP and TCP echo over IPv4 and IPv6, a TTL
expiring on the router, a closed port): the packets tshark selects, the fields it prints."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paquet.cli.main import main
from paquet.lab.traffic import recv_echo

pytestmark = [pytest.mark.privileged,
              pytest.mark.skipif(shutil.which("tshark") is None, reason="no tshark")]


def udp_exchange(dst: str, port: int, payload: bytes, timeout: float = 1.0) -> bytes:
    """Send one datagram; the answer, or b"" (run inside a lab node)."""
    family = socket.AF_INET6 if ":" in dst else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((dst, port))
        s.send(payload)
        try:
            return s.recv(65535)
        except (TimeoutError, ConnectionRefusedError):
            return b""


def tcp_exchange(dst: str, port: int, payload: bytes) -> bytes:
    """Connect, send, read the echo back, close (run inside a lab node)."""
    with socket.create_connection((dst, port), timeout=5) as s:
        s.sendall(payload)
        return recv_echo(s, len(payload))


@pytest.fixture(scope="module")
def capture(lab_module_factory: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    lab = lab_module_factory("chain", n=1)
    client, server = lab["client"], lab["server"]
    out = tmp_path_factory.mktemp("labcap") / "client.pcap"
    dump = client.popen(["tcpdump", "-Z", "root", "-U", "-i", "eth0", "-w", str(out)],
                        stderr=subprocess.PIPE, text=True)
    try:
        assert dump.stderr is not None
        for _ in range(5):  # "listening on ..." once the capture is live
            if "listening" in dump.stderr.readline():
                break
        for version in (4, 6):
            dst = server.addr(version)
            client.exec(["ping", "-c", "2", "-i", "0.2", dst], check=True)
            client.exec(["ping", "-c", "1", "-t", "1", dst])  # time exceeded at r1
            client.run(udp_exchange, dst, 10000, b"hello udp")
            client.run(tcp_exchange, dst, 10000, b"hello tcp " * 20)
            client.run(udp_exchange, dst, 9, b"closed port", 0.3)
        # the end mark: once tcpdump has written it, it has written everything before it
        client.exec(["ping", "-c", "1", "-p", "ee", "-s", "33", server.addr()], check=True)
        for _ in range(200):
            seen = subprocess.run(["tshark", "-r", str(out), "-Y", "frame.len == 75"],
                                  capture_output=True, text=True).stdout
            if seen.count("\n") >= 2:
                break
            subprocess.run(["sleep", "0.05"], check=False)
    finally:
        dump.terminate()
        dump.wait(10)
    yield out


EXPRESSIONS = [
    "icmp", "icmpv6", "tcp", "udp", "arp", "ip", "ipv6", "!icmpv6 && ipv6",
    "icmp.type == 11", "icmp.type == 3 && udp.dstport == 9", "icmpv6.type == 3",
    "icmpv6.type == 1 && udp.port == 9", "icmpv6.type in {135, 136}",
    "icmp.type == 8 or icmp.type == 0", "ip.ttl == 1", "ipv6.hlim == 1",
    "ip.src == 192.0.2.10", "ip.addr == 203.0.113.0/24", "ipv6.addr == 2001:db8::/32",
    "tcp.flags.syn == 1", "tcp.flags.syn == 1 && tcp.flags.ack == 1", "tcp.flags.fin == 1",
    "tcp.len > 0", "tcp.port == 10000", "udp.dstport == 10000", "udp contains \"hello\"",
    "tcp contains \"hello tcp\"", "frame.len > 100", "eth.dst == ff:ff:ff:ff:ff:ff",
    "arp.opcode == 2", "data.len > 10", "ip.flags.df == 1", "frame.number in {1..5}",
    "ip.proto == 17 && !icmp", "ipv6.nxt == 58", "len(data.data) == 11", "ipv6.hopopts",
    "frame.protocols contains \"ipv6:icmpv6:data\"",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_lab_traffic_filtered_as_tshark(capture: Path, expr: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ref = subprocess.run(["tshark", "-r", str(capture), "-Y", expr, "-T", "fields", "-e",
                          "frame.number"], capture_output=True, text=True, check=True).stdout
    code = main(["read", "-r", str(capture), "-Y", expr, "-T", "fields", "-e", "frame.number"])
    assert capsys.readouterr().out.split() == ref.split()
    assert code == (0 if ref.split() else 1)


def test_lab_traffic_fields_as_tshark(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fields = ["frame.number", "frame.len", "frame.protocols", "eth.src", "ip.src", "ip.dst",
              "ip.ttl", "ip.id", "ip.flags", "ipv6.src", "ipv6.dst", "ipv6.hlim",
              "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw",
              "tcp.len", "tcp.window_size_value", "udp.srcport", "udp.dstport", "udp.length",
              "icmp.type", "icmp.code", "icmp.seq", "icmpv6.type", "icmpv6.code",
              "arp.opcode", "data.len"]
    args = ["-T", "fields", "-E", "separator=|"]
    for name in fields:
        args += ["-e", name]
    ref = subprocess.run(["tshark", "-r", str(capture), *args], capture_output=True, text=True,
                         check=True).stdout
    assert main(["read", "-r", str(capture), *args]) == 0
    got = capsys.readouterr().out
    assert got.count("\n") > 20
    for want_line, line in zip(ref.splitlines(), got.splitlines(), strict=True):
        for name, want, have in zip(fields, want_line.split("|"), line.split("|"), strict=True):
            assert have == want, (name, want_line)
