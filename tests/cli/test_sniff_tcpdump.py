"""``paquet sniff``: tcpdump's flags and lines, compared with tcpdump on the same packets
(``-r`` captures made here, and live traffic in a lab)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from paquet.cli.main import main

TCPDUMP = shutil.which("tcpdump")
needs_tcpdump = pytest.mark.skipif(TCPDUMP is None, reason="tcpdump is not installed")
PAQUET = [sys.executable, "-m", "paquet"]


def _packets() -> list[Any]:
    from paquet import (
        ARP,
        DNS,
        DNSQR,
        DNSRR,
        ICMP,
        IP,
        TCP,
        UDP,
        Dot1Q,
        Ether,
        ICMPv6DestUnreach,
        ICMPv6EchoReply,
        ICMPv6EchoRequest,
        ICMPv6ND_NA,
        ICMPv6ND_NS,
        ICMPv6ND_RA,
        ICMPv6ND_RS,
        ICMPv6NDOptDstLLAddr,
        ICMPv6NDOptPrefixInfo,
        ICMPv6NDOptSrcLLAddr,
        ICMPv6PacketTooBig,
        ICMPv6TimeExceeded,
        IPv6,
        Raw,
    )

    a, b = "00:11:22:33:44:55", "66:77:88:99:aa:bb"

    def e(src: str = a, dst: str = b) -> Any:
        return Ether(src=src, dst=dst)

    def quoted6() -> Any:
        return IPv6(src="2001:db8::1", dst="2001:db8::9") / UDP(sport=5000, dport=33434)

    return [
        e() / IP(src="192.0.2.1", dst="198.51.100.7", ttl=3)
        / TCP(sport=40000, dport=80, flags="S", seq=1000,
              options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (12345, 0)),
                       ("NOP", None), ("WScale", 7)]),
        e(b, a) / IP(src="198.51.100.7", dst="192.0.2.1", flags="DF")
        / TCP(sport=80, dport=40000, flags="SA", seq=5000, ack=1001),
        e() / IP(src="192.0.2.1", dst="198.51.100.7")
        / TCP(sport=40000, dport=80, flags="A", seq=1001, ack=5001),
        e() / IP(src="192.0.2.1", dst="198.51.100.7")
        / TCP(sport=40000, dport=80, flags="PA", seq=1001, ack=5001)
        / Raw(b"GET / HTTP/1.0\r\nHost: www.example.com\r\n\r\n"),
        e(b, a) / IP(src="198.51.100.7", dst="192.0.2.1")
        / TCP(sport=80, dport=40000, flags="FA", seq=5001, ack=1042),
        e() / IP(src="192.0.2.1", dst="198.51.100.7")
        / TCP(sport=40000, dport=80, flags="R", seq=1042),
        e() / IP(src="192.0.2.1", dst="198.51.100.7") / TCP(sport=1, dport=2, flags="SEC"),
        e() / IP(src="192.0.2.9", dst="192.0.2.53") / UDP(sport=5353, dport=53)
        / DNS(id=0x1234, rd=1, qd=DNSQR(qname="www.example.com")),
        e(b, a) / IP(src="192.0.2.53", dst="192.0.2.9") / UDP(sport=53, dport=5353)
        / DNS(id=0x1234, qr=1, ra=1, qd=DNSQR(qname="www.example.com"),
              an=DNSRR(rrname="www.example.com", rdata="203.0.113.80", ttl=300)),
        e(b, a) / IP(src="192.0.2.53", dst="192.0.2.9") / UDP(sport=53, dport=5353)
        / DNS(id=1, qr=1, aa=1, rd=1, ra=1, qd=DNSQR(qname="a.example.", qtype="AAAA"),
              an=DNSRR(rrname="a.example.", type="CNAME", rdata="b.example.")),
        e(b, a) / IP(src="192.0.2.53", dst="192.0.2.9") / UDP(sport=53, dport=5353)
        / DNS(id=2, qr=1, rcode=3, qd=DNSQR(qname="nx.example.")),
        e() / IP(src="192.0.2.9", dst="192.0.2.53") / UDP(sport=5353, dport=53)
        / DNS(id=3, rd=0, qd=DNSQR(qname="example.", qtype="MX")),
        e() / IPv6(src="2001:db8::9", dst="2001:db8::53") / UDP(sport=5353, dport=53)
        / DNS(id=4, qd=DNSQR(qname="example.", qtype="PTR")),
        e() / IP(src="192.0.2.1", dst="192.0.2.9") / ICMP(id=7, seq=3) / Raw(b"hello paquet"),
        e(b, a) / IP(src="192.0.2.9", dst="192.0.2.1") / ICMP(type=0, id=7, seq=3)
        / Raw(b"hello paquet"),
        e(b, a) / IP(src="192.0.2.254", dst="192.0.2.1") / ICMP(type=3, code=3)
        / IP(src="192.0.2.1", dst="192.0.2.254") / UDP(sport=33434, dport=33435),
        e(b, a) / IP(src="192.0.2.254", dst="192.0.2.1") / ICMP(type=11)
        / IP(src="192.0.2.1", dst="198.51.100.1", ttl=1) / UDP(sport=4000, dport=33434),
        e(b, a) / IP(src="192.0.2.254", dst="192.0.2.1") / ICMP(type=3, code=1)
        / IP(src="192.0.2.1", dst="198.51.100.1") / TCP(),
        e(b, a) / IP(src="192.0.2.254", dst="192.0.2.1") / ICMP(type=3, code=4, nexthopmtu=1400)
        / IP(src="192.0.2.1", dst="198.51.100.1") / TCP(),
        e(a, "ff:ff:ff:ff:ff:ff") / ARP(hwsrc=a, psrc="192.0.2.1", pdst="192.0.2.2"),
        e(b, a) / ARP(op=2, hwsrc=b, psrc="192.0.2.2", hwdst=a, pdst="192.0.2.1"),
        e() / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=9) / ICMPv6EchoRequest(id=1, seq=2),
        e(b, a) / IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6EchoReply(id=1, seq=2),
        e(a, "33:33:ff:00:00:02") / IPv6(src="2001:db8::1", dst="ff02::1:ff00:2")
        / ICMPv6ND_NS(tgt="2001:db8::2") / ICMPv6NDOptSrcLLAddr(lladdr=a),
        e(b, a) / IPv6(src="2001:db8::2", dst="2001:db8::1")
        / ICMPv6ND_NA(tgt="2001:db8::2", R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=b),
        e() / IPv6(src="fe80::1", dst="ff02::2") / ICMPv6ND_RS(),
        e() / IPv6(src="fe80::1", dst="ff02::1") / ICMPv6ND_RA()
        / ICMPv6NDOptPrefixInfo(prefix="2001:db8::"),
        e() / IPv6(src="2001:db8::ff", dst="2001:db8::1") / ICMPv6DestUnreach(code=4) / quoted6(),
        e() / IPv6(src="2001:db8::ff", dst="2001:db8::1") / ICMPv6TimeExceeded() / quoted6(),
        e() / IPv6(src="2001:db8::ff", dst="2001:db8::1") / ICMPv6PacketTooBig(mtu=1280)
        / quoted6(),
        e() / IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=1, dport=2) / Raw(b"abcd"),
        e(b, a) / IPv6(src="2001:db8::2", dst="2001:db8::1") / TCP(sport=443, dport=50000,
                                                                 flags="R"),
        e() / IP(src="192.0.2.1", dst="198.51.100.7", flags="MF") / UDP(sport=1, dport=2)
        / Raw(b"a" * 40),
        e() / IP(src="192.0.2.1", dst="198.51.100.7", frag=100, proto=17) / Raw(b"a" * 40),
        # wrong checksums: tcpdump -v says so, with the right one
        e() / IP(src="192.0.2.1", dst="198.51.100.7") / TCP(sport=1, dport=2, chksum=0x1234),
        e() / IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=1, dport=2, chksum=0x1234),
        e() / IPv6(src="2001:db8::1", dst="2001:db8::2") / ICMPv6EchoRequest(cksum=0x1234),
        e() / IP(src="192.0.2.1", dst="198.51.100.7", tos=0xB9, flags="DF+MF")
        / UDP(sport=1, dport=2),
        e() / Dot1Q(vlan=42) / IP(src="203.0.113.5", dst="192.0.2.1") / UDP(sport=1234, dport=9999)
        / Raw(b"\x00\x01\x02 vlan\r\nx\ry\r"),
    ]


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from paquet import wrpcap

    path = tmp_path_factory.mktemp("tcpdump") / "mixed.pcap"
    wrpcap(str(path), _packets())
    return path


def tcpdump(*args: str, stdin: bytes | None = None) -> str:
    assert TCPDUMP is not None
    done = subprocess.run([TCPDUMP, *args], capture_output=True, input=stdin, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("latin-1")


def sniff(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["sniff", *args]) == 0
    return capsys.readouterr().out


FLAGS = [[], ["-e"], ["-t"], ["-tt"], ["-ttt"], ["-tttt"], ["-ttttt"], ["-x"], ["-xx"],
         ["-X"], ["-XX"], ["-A"], ["-e", "-tt", "-X"], ["-c", "5"], ["-v"], ["-v", "-e"],
         ["-v", "-x"], ["-S"], ["-#"], ["-v", "-K"], ["-l", "-#", "-ttt"]]


@needs_tcpdump
@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: " ".join(f) or "plain")
def test_lines_are_tcpdumps(flags: list[str], capture: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    want = tcpdump("-n", *flags, "-r", str(capture))
    got = sniff(capsys, "-n", *flags, "-r", str(capture))
    assert got.splitlines() == want.splitlines()


@needs_tcpdump
@pytest.mark.parametrize("expression", [
    ["icmp"], ["tcp", "port", "80"], ["udp", "and", "port", "53"], ["arp", "or", "icmp6"],
    ["ip6", "and", "not", "icmp6"], ["vlan", "and", "udp"], ["tcp[tcpflags]", "&", "tcp-syn",
                                                             "!=", "0"],
])
def test_positional_filter_expression(expression: list[str], capture: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    want = tcpdump("-n", "-r", str(capture), *expression)
    assert want
    assert sniff(capsys, "-n", "-r", str(capture), *expression) == want


@needs_tcpdump
def test_port_names_without_n(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # tcpdump without -n also asks the resolver for host names: in an empty network
    # namespace, every lookup fails at once and no packet leaves.
    done = subprocess.run(["unshare", "-n", TCPDUMP or "tcpdump", "-r", str(capture), "tcp",
                           "or", "udp"], capture_output=True, text=True, timeout=120, check=True)
    got = sniff(capsys, "-r", str(capture), "tcp", "or", "udp")
    assert ".http:" in got and ".domain:" in got
    assert got.splitlines() == done.stdout.splitlines()


@needs_tcpdump
def test_write_to_stdout_is_a_pcap_stream(capture: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    done = subprocess.run([*PAQUET, "sniff", "-r", str(capture), "-w", "-", "udp"],
                          capture_output=True, env=env, timeout=120, check=True)
    assert done.stdout[:4] == bytes.fromhex("d4c3b2a1")  # pcap, microseconds, little-endian
    assert b"packets captured" not in done.stdout
    want = tcpdump("-n", "-r", str(capture), "udp")
    assert tcpdump("-n", "-r", "-", stdin=done.stdout) == want


@needs_tcpdump
def test_file_size_rotation_as_tcpdump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from paquet import IP, UDP, Ether, Raw, wrpcap

    big = tmp_path / "big.pcap"
    wrpcap(str(big), [Ether() / IP(dst="192.0.2.1") / UDP(dport=9) / Raw(bytes(1400))] * 1500)
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    sniff(capsys, "-r", str(big), "-C", "1", "-w", str(tmp_path / "ours" / "part.pcap"))
    tcpdump("-Z", "root", "-r", str(big), "-C", "1", "-w", str(tmp_path / "theirs" / "part.pcap"))
    ours = sorted(p.name for p in (tmp_path / "ours").iterdir())
    theirs = sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert ours == theirs == ["part.pcap", "part.pcap1", "part.pcap2"]
    from paquet import rdpcap

    for name in ours:
        assert len(rdpcap(str(tmp_path / "ours" / name), raw=True)) == len(
            rdpcap(str(tmp_path / "theirs" / name), raw=True))


@needs_tcpdump
@pytest.mark.parametrize("files", ["2", "12"])
def test_a_ring_of_files_as_tcpdump(files: str, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from paquet import IP, UDP, Ether, Raw, rdpcap, wrpcap

    big = tmp_path / "big.pcap"
    wrpcap(str(big), [Ether() / IP(dst="192.0.2.1") / UDP(dport=9) / Raw(bytes(1400))] * 1500)
    (tmp_path / "ours").mkdir()
    (tmp_path / "theirs").mkdir()
    sniff(capsys, "-r", str(big), "-C", "1", "-W", files, "-w",
          str(tmp_path / "ours" / "p.pcap"))
    tcpdump("-Z", "root", "-r", str(big), "-C", "1", "-W", files, "-w",
            str(tmp_path / "theirs" / "p.pcap"))
    ours = sorted(p.name for p in (tmp_path / "ours").iterdir())
    assert ours == sorted(p.name for p in (tmp_path / "theirs").iterdir())
    assert len(ours) == min(int(files), 3)
    for name in ours:
        assert len(rdpcap(str(tmp_path / "ours" / name), raw=True)) == len(
            rdpcap(str(tmp_path / "theirs" / name), raw=True))


def test_time_rotation_names_files_through_strftime(
        capture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    before = time.strftime("%Y")
    sniff(capsys, "-r", str(capture), "-G", "3600", "-w", str(tmp_path / "cap-%Y.pcap"))
    names = [p.name for p in tmp_path.iterdir()]
    assert names in ([f"cap-{before}.pcap"], [f"cap-{time.strftime('%Y')}.pcap"])


@pytest.mark.parametrize("argv", [
    ["-f", "icmp", "udp"], ["-p", "--promisc"], ["-C", "1"], ["-G", "10", "-w", "-"],
    ["-tttttt"], ["-C", "0", "-w", "x.pcap"], ["-s", "-1"], ["-r", "/nonexistent.pcap"],
    ["-W", "3", "-w", "x.pcap"], ["-C", "1", "-W", "0", "-w", "x.pcap"],
])
def test_bad_flags_one_line_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sniff", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error: ") and err.count("\n") == 1


def test_bad_filter_on_a_file(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sniff", "-r", str(capture), "tcp", "port"]) == 2
    assert "syntax error" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["-D"], ["-L"], ["-I"], ["-B", "4096"], ["-Z", "nobody"], ["-z", "gzip"],
    ["-y", "EN10MB"], ["-j", "host"], ["-E", "secret"], ["-M", "secret"], ["-T", "snmp"],
    ["-V", "files.txt"], ["-Q", "in"],
])
def test_tcpdump_flags_paquet_refuses_say_why(argv: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert TCPDUMP is None or re.search(rf"-[A-Za-z#]*{argv[0][1]}", tcpdump_usage())
    assert main(["sniff", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"paquet: error: {argv[0]}: ") and err.count("\n") == 1


def tcpdump_usage() -> str:
    """tcpdump's own list of its flags (its --help), to check that each refused flag is one."""
    done = subprocess.run([TCPDUMP or "tcpdump", "--help"], capture_output=True, text=True,
                          check=False)
    return done.stdout + done.stderr


@needs_tcpdump
def test_filter_from_a_file(capture: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    expression = tmp_path / "filter"
    expression.write_text("udp and\n  port 53\n")
    want = tcpdump("-n", "-r", str(capture), "-F", str(expression))
    assert want and sniff(capsys, "-n", "-r", str(capture), "-F", str(expression)) == want
    assert main(["sniff", "-r", str(capture), "-F", str(expression), "icmp"]) == 2
