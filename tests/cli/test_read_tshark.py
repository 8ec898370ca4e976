"""``paquet read -Y/-T/-e/-E``: the same packets, fields and JSON as tshark on the same capture."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from paquet.cli.main import main

TSHARK = shutil.which("tshark")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")


def _packets() -> list[object]:
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
        ICMPv6EchoRequest,
        ICMPv6ND_NS,
        ICMPv6NDOptSrcLLAddr,
        IPv6,
        Raw,
    )

    a, b = "00:11:22:33:44:55", "66:77:88:99:aa:bb"
    return [
        Ether(src=a, dst=b) / IP(src="192.0.2.1", dst="198.51.100.7", ttl=3)
        / TCP(sport=40000, dport=80, flags="S", seq=1000),
        Ether(src=b, dst=a) / IP(src="198.51.100.7", dst="192.0.2.1", flags="DF")
        / TCP(sport=80, dport=40000, flags="SA", seq=5000, ack=1001),
        Ether(src=a, dst=b) / IP(src="192.0.2.1", dst="198.51.100.7")
        / TCP(sport=40000, dport=80, flags="PA", seq=1001, ack=5001)
        / Raw(b"GET / HTTP/1.0\r\nHost: www.example.com\r\n\r\n"),
        Ether(src=b, dst=a) / IP(src="198.51.100.7", dst="192.0.2.1")
        / TCP(sport=80, dport=40000, flags="PA", seq=5001, ack=1042)
        / Raw(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\nServer: paquet\r\n\r\n"),
        Ether(src=a, dst=b) / IP(src="192.0.2.9", dst="192.0.2.53")
        / UDP(sport=5353, dport=53) / DNS(id=0x1234, rd=1, qd=DNSQR(qname="www.example.com")),
        Ether(src=b, dst=a) / IP(src="192.0.2.53", dst="192.0.2.9")
        / UDP(sport=53, dport=5353)
        / DNS(id=0x1234, qr=1, ra=1, qd=DNSQR(qname="www.example.com"),
              an=DNSRR(rrname="www.example.com", rdata="203.0.113.80", ttl=300)),
        Ether(src=a, dst=b) / IP(src="192.0.2.1", dst="192.0.2.9") / ICMP(id=7, seq=3)
        / Raw(b"hello paquet"),
        Ether(src=b, dst=a) / IP(src="192.0.2.254", dst="192.0.2.1")
        / ICMP(type=3, code=3) / IP(src="192.0.2.1", dst="192.0.2.254")
        / UDP(sport=33434, dport=33435),
        Ether(src=a, dst="ff:ff:ff:ff:ff:ff") / ARP(hwsrc=a, psrc="192.0.2.1", pdst="192.0.2.2"),
        Ether(src=a, dst=b) / IPv6(src="2001:db8::1", dst="2001:db8::2", hlim=9)
        / ICMPv6EchoRequest(id=1, seq=2),
        Ether(src=a, dst="33:33:ff:00:00:02") / IPv6(src="2001:db8::1", dst="ff02::1:ff00:2")
        / ICMPv6ND_NS(tgt="2001:db8::2") / ICMPv6NDOptSrcLLAddr(lladdr=a),
        Ether(src=a, dst=b) / Dot1Q(vlan=42) / IP(src="203.0.113.5", dst="192.0.2.1")
        / UDP(sport=1234, dport=9999) / Raw(b"\x00\x01\x02 vlan"),
        Ether(src=b, dst=a) / IPv6(src="2001:db8::2", dst="2001:db8::1")
        / TCP(sport=443, dport=50000, flags="R"),
    ]


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from paquet import wrpcap

    path = tmp_path_factory.mktemp("tshark") / "mixed.pcap"
    wrpcap(str(path), _packets())
    return path


def tshark(*args: str) -> str:
    assert TSHARK is not None
    done = subprocess.run([TSHARK, *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def paquet(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["read", *args])
    got = capsys.readouterr()
    return code, got.out, got.err


EXPRESSIONS = [
    "tcp", "udp", "dns", "arp", "icmp", "icmpv6", "ip", "ipv6", "eth", "vlan", "data",
    "!tcp", "not ip", "tcp || udp", "tcp or arp", "ip and udp", "tcp && !ipv6",
    "ip.src == 192.0.2.1", "ip.addr == 192.0.2.1", "ip.addr eq 198.51.100.7",
    "ip.dst != 192.0.2.1", "ip.addr != 192.0.2.1", "ip.addr ~= 192.0.2.1",
    "ip.addr === 192.0.2.1", "ip.addr == 192.0.2.0/24", "ip.src == 198.51.100.0/24",
    "!(ip.addr == 192.0.2.0/24)", "ip.src > 192.0.2.9", "ip.ttl < 10", "ip.ttl <= 3",
    "ip.ttl >= 64", "ip.ttl ge 64 and ip.ttl le 64", "ip.flags.df", "ip.flags.df == 1",
    "ip.flags.df == 0", "ip.proto == 17", "ip.flags == 0x2",
    "tcp.port == 80", "tcp.dstport == 80", "tcp.srcport gt 1024", "tcp.port in {80, 443}",
    "tcp.port in {1..1000}", "udp.port in {53, 9999}", "udp.dstport == 53 || udp.srcport == 53",
    "tcp.flags.syn", "tcp.flags.syn == 1", "tcp.flags.syn == 1 && tcp.flags.ack == 0",
    "tcp.flags.reset == 1", "tcp.flags == 0x012", "tcp.flags.push == 1", "tcp.len > 0",
    "tcp.seq_raw == 5000", "tcp.ack_raw == 1001", "tcp.window_size_value == 8192",
    "dns.qry.name == \"www.example.com\"", "dns.qry.name == www.example.com",
    "dns.qry.name contains \"example\"", "dns.qry.name matches \"^WWW\\\\.\"",
    "dns.flags.response == 1", "dns.flags.response == 0", "dns.a == 203.0.113.80",
    "dns.id == 0x1234", "dns.qry.type == 1", "dns.count.answers > 0",
    "eth.src == 00:11:22:33:44:55", "eth.addr == 66-77-88-99-aa-bb",
    "eth.dst == ff:ff:ff:ff:ff:ff", "eth.src[0:3] == 00:11:22", "eth.src[1-2] == 11:22",
    "eth.src[:2] == 00:11", "eth.src[4:] == 44:55", "eth.src[-1] == bb", "eth.dst[0] == 33",
    "eth.type == 0x86dd", "vlan.id == 42", "arp.opcode == 1", "arp.src.proto_ipv4 == 192.0.2.1",
    "arp.dst.proto_ipv4 == 192.0.2.2", "icmp.type == 8", "icmp.type == 3 && udp.dstport == 33435",
    "icmp.seq == 3", "icmpv6.type == 135", "icmpv6.type == 128", "ipv6.src == 2001:db8::1",
    "ipv6.addr == 2001:db8::/64", "ipv6.dst == ff02::1:ff00:2", "ipv6.hlim == 9",
    "frame.len > 60", "frame.len == 60", "frame.len < 70 and tcp", "frame.number == 3",
    "frame.number in {1, 3..5}", "frame contains \"hello\"", "tcp contains \"GET\"",
    "udp contains \"vlan\"", "data.data contains \"paquet\"", "data.len == 12",
    "tcp[13] == 2", "tcp[13] == 12", "ip[9] == 11", "frame[12:2] == 81:00",
    "ip.src == ip.dst", "ip.src != ip.dst", "udp.srcport == udp.dstport",
    "tcp.port == 80 or udp.port == 53 and ip.src == 192.0.2.9",
    "(tcp.port == 80 or udp.port == 53) and ip.src == 192.0.2.9",
    "len(data.data) > 10", "!!tcp", "count(ip.addr) == 2", "count(ip.src) > 1",
    "lower(dns.qry.name) == \"www.example.com\"", "upper(dns.qry.name) contains \"EXAMPLE\"",
    "frame.protocols contains \"icmp:ip\"", "frame.protocols == \"eth:ethertype:arp\"",
    "ipv6.hopopts", "len(eth.src) == 6", "string(tcp.port) == \"80\"",
    "string(ip.src) matches \"^198\\\\.\"",
    "http", "http.request", "http.response",
    "http.request.method == \"GET\"", "http.host contains \"example\"",
    "http.request.uri == \"/\"", "http.response.code == 200", "http.response.code in {200..299}",
    "http.response.phrase == \"OK\"", "http.request.version == \"HTTP/1.0\"",
    "frame.time > \"Jan  1, 2020 00:00:00\"", "frame.time < \"Jan  1, 2020 00:00:00.5\"",
    "ip.frag_offset == 0", "vlan.etype == 0x0800",
]


@needs_tshark
@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_display_filter_selects_the_packets_tshark_selects(
        expr: str, capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = tshark("-r", str(capture), "-Y", expr, "-T", "fields", "-e", "frame.number")
    code, out, err = paquet(capsys, "-r", str(capture), "-Y", expr, "-T", "fields",
                            "-e", "frame.number")
    assert out.split() == ref.split(), err
    assert code == (0 if ref.split() else 1)


FIELDS = [
    "frame.number", "frame.len", "frame.cap_len", "frame.time_relative", "frame.protocols",
    "frame.time", "ip.frag_offset", "vlan.etype", "eth.src", "eth.dst",
    "eth.addr", "eth.type", "vlan.id", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4",
    "ip.hdr_len", "ip.dsfield", "ip.len", "ip.id", "ip.flags", "ip.flags.df",
    "ip.ttl", "ip.proto", "ip.checksum", "ip.src", "ip.dst", "ip.addr", "ipv6.src",
    "ipv6.dst", "ipv6.addr", "ipv6.plen", "ipv6.nxt", "ipv6.hlim", "tcp.srcport",
    "tcp.dstport", "tcp.port", "tcp.seq_raw", "tcp.ack_raw", "tcp.hdr_len", "tcp.flags",
    "tcp.flags.syn", "tcp.flags.ack", "tcp.window_size_value", "tcp.checksum", "tcp.len",
    "udp.srcport", "udp.dstport", "udp.length", "udp.checksum", "icmp.type", "icmp.code",
    "icmp.checksum", "icmp.seq", "icmpv6.type", "icmpv6.code", "dns.id", "dns.flags.response",
    "dns.flags.recdesired", "dns.qry.name", "dns.qry.type", "dns.count.queries",
    "dns.count.answers", "dns.resp.name", "dns.resp.ttl", "dns.a", "data.data", "data.len",
    "http.request.method", "http.request.uri", "http.request.version", "http.host",
    "http.response.code", "http.response.phrase", "http.request", "http.response",
]


@needs_tshark
def test_fields_print_as_tshark_prints_them(capture: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    args = ["-T", "fields", "-E", "header=y", "-E", "separator=|", "-E", "quote=d"]
    for name in FIELDS:
        args += ["-e", name]
    ref = tshark("-r", str(capture), *args)
    code, out, _ = paquet(capsys, "-r", str(capture), *args)
    assert code == 0
    for ref_line, line in zip(ref.splitlines(), out.splitlines(), strict=True):
        for name, want, got in zip(FIELDS, ref_line.split("|"), line.split("|"), strict=True):
            assert got == want, (name, ref_line[:40])


#: ``layer.field`` (Scapy's attribute, paquet.dfilter.attributes) -> the Wireshark field that
#: shows the same value, for the fields whose value is a number or an address.
ATTRIBUTES = {
    "tcp.window": "tcp.window_size_value", "ip.ttl": "ip.ttl", "IP.id": "ip.id",
    "tcp.sport": "tcp.srcport", "tcp.dport": "tcp.dstport", "arp.psrc": "arp.src.proto_ipv4",
    "arp.op": "arp.opcode", "ether.type": "eth.type", "dot1q.vlan": "vlan.id",
    "ipv6.hlim": "ipv6.hlim", "icmp.seq": "icmp.seq", "dns.id": "dns.id",
}


#: The names of ATTRIBUTES that are Wireshark's too (they follow tshark in every way).
WIRESHARK = {"ip.ttl", "ipv6.hlim", "icmp.seq", "dns.id"}


def _number(text: str) -> str:
    """tshark's hexadecimal fields (0x0800) as decimal, to compare with a Scapy attribute's."""
    return str(int(text, 16)) if text.startswith("0x") else text


@needs_tshark
def test_scapy_attributes_print_as_their_wireshark_fields(
        capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-e tcp.window`` (a layer's field by Scapy's name) shows what tshark shows for its
    Wireshark name (a Wireshark name itself, ``dns.id``, stays tshark's); hexadecimal fields
    (eth.type) are compared as numbers."""
    args = ["-T", "fields", "-E", "separator=|"]
    code, out, err = paquet(capsys, "-r", str(capture), *args,
                            *(a for name in ATTRIBUTES for a in ("-e", name)))
    ref = tshark("-r", str(capture), *args,
                 *(a for name in ATTRIBUTES.values() for a in ("-e", name)))
    assert code == 0, err
    for ref_line, line in zip(ref.splitlines(), out.splitlines(), strict=True):
        for name, want, got in zip(ATTRIBUTES, ref_line.split("|"), line.split("|"),
                                   strict=True):
            if name not in WIRESHARK:  # tshark: every occurrence; an attribute: the first
                want = want.split(",")[0]
            assert _number(got) == _number(want), (name, ref_line)


@needs_tshark
@pytest.mark.parametrize("opts", [
    ["-E", "occurrence=f"], ["-E", "occurrence=l", "-E", "aggregator=/s"],
    ["-E", "separator=/s", "-E", "quote=s"], ["-E", "header=n", "-E", "aggregator=;"],
])
def test_field_options_as_tshark(opts: list[str], capture: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    args = ["-Y", "ip.addr == 192.0.2.0/24", "-T", "fields", "-e", "ip.addr", "-e", "tcp.port",
            "-e", "frame.number", *opts]
    assert paquet(capsys, str(capture), *args)[1] == tshark("-r", str(capture), *args)


@needs_tshark
def test_count_reads_as_many_packets_as_tshark(capture: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    for expr in ("ip", "arp", "frame"):
        args = ["-Y", expr, "-c", "5", "-T", "fields", "-e", "frame.number"]
        assert paquet(capsys, str(capture), *args)[1] == tshark("-r", str(capture), *args)


@needs_tshark
def test_json_holds_tsharks_values(capture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # tshark repeats keys in an object (ip.addr twice): keep every pair
    ref = json.loads(tshark("-r", str(capture), "-T", "json"), object_pairs_hook=_Pairs)
    code, out, _ = paquet(capsys, "-r", str(capture), "-T", "json")
    ours = json.loads(out)
    assert code == 0 and len(ours) == len(ref)

    def flat(tree: object, into: dict[str, list[object]]) -> dict[str, list[object]]:
        if isinstance(tree, _Pairs):
            for key, value in tree:
                into.setdefault(key, [])
                if isinstance(value, dict | list) and not (
                        isinstance(value, list) and all(isinstance(v, str) for v in value)):
                    flat(value, into)
                else:
                    into.setdefault(key, []).extend(value if isinstance(value, list) else [value])
        elif isinstance(tree, list):
            for item in tree:
                flat(item, into)
        return into

    compared = 0
    for mine, theirs in zip(ours, ref, strict=True):
        assert set(mine) == {"_index", "_type", "_score", "_source"}
        want = flat(dict(dict(theirs)["_source"])["layers"], {})
        for proto, fields in mine["_source"]["layers"].items():
            assert proto in want, proto  # tshark nests some (data inside icmp)
            for name, value in fields.items():
                if name in ("frame.time_epoch", "frame.time_relative", "tcp.len"):
                    continue
                for v in value if isinstance(value, list) else [value]:
                    assert v in want.get(name, []), (name, v, want.get(name))
                    compared += 1
    assert compared > 200
    fields = ["-T", "json", "-e", "ip.addr", "-e", "dns.qry.name", "-Y", "dns"]
    ref_e = json.loads(tshark("-r", str(capture), *fields))  # no repeated keys with -e
    ours_e = json.loads(paquet(capsys, "-r", str(capture), *fields)[1])
    assert [p["_source"] for p in ours_e] == [p["_source"] for p in ref_e]


class _Pairs(list[tuple[str, object]]):
    """A JSON object as the list of its (key, value) pairs, repeated keys kept."""


@pytest.mark.parametrize("expr", [
    "tcp.port ==", "tcp.port = 80", "ip.addr == 300.1.1.1", "no.such.field == 1",
    "nosuchproto", "(tcp", "tcp)", "tcp.port == 80 &&", "\"text\"", "eth.src == zz",
    "ip.addr == 192.0.2.0/33", "tcp.port in {80 443}", "tcp.port[0:1] == 00",
    "dns.qry.name contains", "frame.number == 1 1", "ip.src > 192.0.2.0/24", "!" * 5000 + "tcp",
    "tcp.port == \"unterminated", "eth.src[0:0] == 00", "lower(tcp.port) == \"x\"",
    "count(\"x\") == 1", "nosuch(tcp.port) == 1", "tcp.window > 3",
])
def test_bad_filter_is_one_line_and_exit_2(expr: str, capture: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = paquet(capsys, "-r", str(capture), "-Y", expr)
    assert code == 2 and out == ""
    assert err.startswith("paquet: error: ") and err.count("\n") == 1


def test_a_scapy_name_in_a_display_filter_says_why(capture: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """-e takes ``tcp.window`` (Scapy's attribute); -Y, Wireshark's names only, says so."""
    code, _, err = paquet(capsys, "-r", str(capture), "-Y", "tcp.window > 3")
    assert code == 2 and "display filters take Wireshark's names" in err
    code, _, err = paquet(capsys, "-r", str(capture), "-Y", "nosuch.field > 3")
    assert code == 2 and "Wireshark's names" not in err


@pytest.mark.parametrize("args", [
    ["-T", "fields"], ["-e", "ip.src"], ["-T", "fields", "-e", "ip.nosuch"],
    ["-T", "fields", "-e", "nosuchlayer.ttl"], ["-T", "fields", "-e", "ip.ttl.x"],
    ["-T", "fields", "-e", "ip.src", "-E", "quote=x"], ["-T", "fields", "-e", "ip.src", "-E", "q"],
])
def test_bad_output_options(args: list[str], capture: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = paquet(capsys, "-r", str(capture), *args)
    assert code == 2 and err.startswith("paquet: error: ") and err.count("\n") == 1


def test_file_given_twice_or_not_at_all(capture: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert paquet(capsys, str(capture), "-r", str(capture))[0] == 2
    assert paquet(capsys)[0] == 2
    code, out, _ = paquet(capsys, "-r", str(capture), "-c", "2")
    assert code == 0 and len(out.splitlines()) == 2
