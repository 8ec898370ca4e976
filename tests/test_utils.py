"""paquet.utils against Scapy's own helpers, side by side on the same inputs."""

from __future__ import annotations

import io
import ipaddress
import random
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from scapy import utils as su
from scapy.layers import inet as sinet
from scapy.layers import inet6 as sinet6

import paquet
import paquet.utils
import paquet.utils6
from paquet import IP, UDP, IPv6, IPv6ExtHdrRouting
from paquet.errors import AddressError, PaquetError
from paquet.utils import (
    atol,
    checksum,
    chexdump,
    import_hexcap,
    in4_chksum,
    in6_chksum,
    itom,
    linehexdump,
    ltoa,
    mac2str,
    str2mac,
    valid_ip,
    valid_ip6,
)

_RNG = random.Random(15)
BLOBS = [b"", b"\x00", b"\xff", b"\xff\xff", b"\x00\x00", b"E\x00\x01", bytes(range(256))] + [
    _RNG.randbytes(_RNG.randrange(1, 90)) for _ in range(40)
]


@pytest.mark.parametrize("data", BLOBS)
def test_checksum_is_scapys(data: bytes) -> None:
    assert checksum(data) == su.checksum(data)


@pytest.mark.parametrize("data", BLOBS[:12])
def test_one_line_dumps_are_scapys(data: bytes) -> None:
    assert chexdump(data, dump=True) == su.chexdump(data, dump=True)
    for asc, hx in ((0, 0), (1, 0), (0, 1)):
        assert linehexdump(data, asc, hx, dump=True) == su.linehexdump(data, asc, hx, dump=True)


def test_hexdump_dump_returns_scapys_string() -> None:
    for data in BLOBS:
        assert paquet.hexdump(data, dump=True) == su.hexdump(data, dump=True)


def test_dumps_print_without_dump(capsys: pytest.CaptureFixture[str]) -> None:
    assert chexdump(b"E\x00") is None
    assert linehexdump(b"E\x00") is None
    assert capsys.readouterr().out == "0x45, 0x00\n45 00  E.\n"


def test_dumps_take_packets() -> None:
    p = IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1, dport=2)
    s = sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.UDP(sport=1, dport=2)
    assert chexdump(p, dump=True) == su.chexdump(s, dump=True)
    assert linehexdump(p, dump=True) == su.linehexdump(s, dump=True)


MACS = ["00:1a:2b:3c:4d:5e", "FF:ff:FF:ff:FF:ff", "0:1:2:3:4:5", "1:2:3", "aa", "00:00:00:00:00:00"]


@pytest.mark.parametrize("mac", MACS)
def test_mac2str_is_scapys(mac: str) -> None:
    assert mac2str(mac) == su.mac2str(mac)
    assert mac2str(mac.encode()) == su.mac2str(mac.encode())


@pytest.mark.parametrize("mac", ["zz:00:00:00:00:00", "00:11:22:33:44:", "", "100:00"])
def test_mac2str_refuses_what_scapy_refuses(mac: str) -> None:
    with pytest.raises((ValueError, struct.error)):  # Scapy: struct.error past 255
        su.mac2str(mac)
    with pytest.raises(AddressError, match="not a MAC address"):
        mac2str(mac)


@pytest.mark.parametrize("raw", [b"\x00\x1a+<M^", b"", b"\xff" * 8, bytes(range(6))])
def test_str2mac_is_scapys(raw: bytes) -> None:
    assert str2mac(raw) == su.str2mac(raw)
    assert str2mac(raw.decode("latin-1")) == su.str2mac(raw.decode("latin-1"))


ADDRS = ["192.0.2.1", "0.0.0.0", "255.255.255.255", "127.1", "10", "1.2.3", "0x7f.1", "010.0.0.1"]
BAD = ["192.0.2.256", "", "a.b.c.d", "1.2.3.4.5", "::1", "-1", "1..2"]


@pytest.mark.parametrize("addr", ADDRS)
def test_atol_and_valid_ip_are_scapys(addr: str) -> None:
    assert atol(addr) == su.atol(addr)
    assert valid_ip(addr) is su.valid_ip(addr) is True
    assert valid_ip(addr.encode()) is su.valid_ip(addr.encode())


@pytest.mark.parametrize("addr", BAD)
def test_bad_ipv4_is_refused_as_by_scapy(addr: str) -> None:
    assert valid_ip(addr) is su.valid_ip(addr) is False
    with pytest.raises(ValueError):
        su.atol(addr)
    with pytest.raises(AddressError, match="not an IPv4 address"):
        atol(addr)


@pytest.mark.parametrize("n", [0, 1, 0xC0000201, 0xFFFFFFFF, 0x1_0000_0001, -1])
def test_ltoa_is_scapys(n: int) -> None:
    assert ltoa(n) == su.ltoa(n)


def test_itom_is_scapys_for_every_prefix() -> None:
    assert [itom(x) for x in range(33)] == [su.itom(x) for x in range(33)]
    assert [itom(x) for x in range(33)] == [
        int(ipaddress.IPv4Network(f"0.0.0.0/{x}").netmask) for x in range(33)
    ]


@pytest.mark.parametrize(
    "addr",
    [
        "2001:db8::1",
        "::",
        "::1",
        "fe80::1%eth0",
        "::ffff:192.0.2.1",
        "2001:db8:::1",
        "1.2.3.4",
        "",
        "g::1",
    ],
)
def test_valid_ip6_is_scapys(addr: str) -> None:
    assert valid_ip6(addr) is su.valid_ip6(addr)
    assert valid_ip6(addr.encode()) is su.valid_ip6(addr.encode())


def test_valid_ip_refuses_bytes_that_are_not_text() -> None:
    assert valid_ip(b"\xff\xfe") is su.valid_ip(b"\xff\xfe") is False
    assert valid_ip6(b"\xff\xfe") is su.valid_ip6(b"\xff\xfe") is False


@pytest.mark.parametrize("payload", BLOBS[:10])
@pytest.mark.parametrize("proto", [6, 17, 1])
def test_in4_chksum_is_scapys(payload: bytes, proto: int) -> None:
    ours = IP(src="192.0.2.1", dst="198.51.100.7")
    theirs = sinet.IP(src="192.0.2.1", dst="198.51.100.7")
    assert in4_chksum(proto, ours, payload) == sinet.in4_chksum(proto, theirs, payload)


def test_in4_chksum_honours_a_length_set_by_hand() -> None:
    ours = IP(src="192.0.2.1", dst="198.51.100.7", len=60)
    theirs = sinet.IP(src="192.0.2.1", dst="198.51.100.7", len=60)
    assert in4_chksum(17, ours, b"abc") == sinet.in4_chksum(17, theirs, b"abc")


def test_in4_chksum_is_the_checksum_udp_writes() -> None:
    p = IP(bytes(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=53, dport=9) / b"hello"))
    segment = bytes(p[UDP])
    zeroed = segment[:6] + b"\x00\x00" + segment[8:]
    assert in4_chksum(17, p, zeroed) == p[UDP].chksum


def test_in4_chksum_needs_an_ip_layer() -> None:
    with pytest.raises(PaquetError, match="needs an IP layer"):
        in4_chksum(17, UDP(), b"")


@pytest.mark.parametrize("payload", BLOBS[:10])
def test_in6_chksum_is_scapys(payload: bytes) -> None:
    ours = (IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP())[UDP]
    theirs = (sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2") / sinet.UDP())[sinet.UDP]
    assert in6_chksum(17, ours, payload) == sinet6.in6_chksum(17, theirs, payload)
    ip6 = IPv6(src="2001:db8::1", dst="2001:db8::2")
    sip6 = sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
    assert in6_chksum(58, ip6, payload) == sinet6.in6_chksum(58, sip6, payload)


def test_in6_chksum_uses_the_routing_headers_final_destination() -> None:
    hops = ["2001:db8::a", "2001:db8::b"]
    ours = IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrRouting(addresses=hops) / UDP()
    theirs = (
        sinet6.IPv6(src="2001:db8::1", dst="2001:db8::2")
        / sinet6.IPv6ExtHdrRouting(addresses=hops)
        / sinet.UDP()
    )
    got = in6_chksum(17, ours[UDP], b"payload")
    assert got == sinet6.in6_chksum(17, theirs[sinet.UDP], b"payload")
    plain = in6_chksum(17, (IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP())[UDP], b"payload")
    assert got != plain


def test_in6_chksum_needs_an_ipv6_layer_below() -> None:
    with pytest.raises(PaquetError, match="needs an IPv6 layer"):
        in6_chksum(17, UDP(), b"")
    with pytest.raises(PaquetError, match="needs an IPv6 layer"):
        in6_chksum(17, (IP() / UDP())[UDP], b"")


def test_star_import_gives_the_helpers() -> None:
    names: dict[str, object] = {}
    exec("from paquet import *", names)
    for name in ("atol", "ltoa", "itom", "mac2str", "str2mac", "in4_chksum", "in6_chksum"):
        assert names[name] is getattr(paquet.utils, name)
    for name in ("chexdump", "linehexdump", "valid_ip", "valid_ip6", "in6_getnsma"):
        assert name in names
    assert names["in6_mactoifaceid"] is paquet.utils6.in6_mactoifaceid


HEXCAPS = [
    "0000  45 00 00 14  E...\n0004  00 01",
    "0x0000:  4500 0014 0001 0000 4011 f8d6 c000 0201\n0x0010:  c000 0202",
    "45 00 00 14 00 01",  # no offset: Scapy takes "45" for one
    "0000   45 00 00 14 00 01 00 00 40 11 f8 d6 c0 00 02 01   E.......@.......\n",
    "0000  45 00\n\n0010  99 99",  # the dump ends at its first empty line
    "  0000  aa bb  \n",
    "zz 00 11",
    "",
]


@pytest.mark.parametrize("text", HEXCAPS)
def test_import_hexcap_is_scapys(text: str) -> None:
    if not text:  # Scapy reads standard input on an empty string; paquet reads nothing
        assert import_hexcap(text) == b""
        return
    assert import_hexcap(text) == su.import_hexcap(text)


@pytest.mark.parametrize("text", [t for t in HEXCAPS if t])
def test_import_hexcap_reads_the_prompt_as_scapy(text: str) -> None:
    # Without a string both read lines from input() (the name in their own module, which a
    # program or a test may replace) until an empty line or the end of input.
    from unittest import mock

    def reader() -> Callable[[], str]:
        lines = iter((text + "\n\n").split("\n"))  # an empty line ends the dump
        return lambda: next(lines)

    with mock.patch("paquet.utils.input", side_effect=reader()):
        ours = import_hexcap()
    with mock.patch("scapy.utils.input", side_effect=reader()):
        theirs = su.import_hexcap()
    assert ours == theirs


@pytest.mark.parametrize("data", BLOBS[1:])
def test_import_hexcap_reads_hexdump_back(data: bytes) -> None:
    dump = paquet.hexdump(data, dump=True)
    assert isinstance(dump, str)
    assert import_hexcap(dump) == su.import_hexcap(dump) == data


def test_import_hexcap_reads_tcpdump(tmp_path: Path) -> None:
    pkts = [
        IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=53, dport=9) / bytes(range(n))
        for n in (0, 7, 40)
    ]
    paquet.wrpcap(str(tmp_path / "t.pcap"), pkts)
    out = subprocess.run(
        ["tcpdump", "-nn", "-xx", "-r", str(tmp_path / "t.pcap")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    dumps: list[list[str]] = []
    for line in out.splitlines():
        if line.startswith("\t"):
            dumps[-1].append(line)
        else:
            dumps.append([])
    assert [import_hexcap("\n".join(d)) for d in dumps] == [bytes(p) for p in pkts]


def test_import_hexcap_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("0000  45 00\n0002  01\n\n0003  ff\n"))
    assert import_hexcap() == b"E\x00\x01"


@pytest.mark.parametrize(
    "text",
    ["0000  45 0", "0000  45 0g 11", "0000  45 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 12"],
)
def test_import_hexcap_leaves_out_what_is_not_a_byte_as_scapy(text: str) -> None:
    assert import_hexcap(text) == su.import_hexcap(text)
    assert len(import_hexcap(text)) <= 16


def test_in4_chksum_takes_a_source_routes_last_hop_as_scapy() -> None:
    from scapy.layers.inet import IPOption_LSRR as ScapyLSRR

    from paquet.layers.ipv4 import IPOption_LSRR

    hops = ["198.51.100.1", "203.0.113.9"]
    ours = IP(src="192.0.2.1", dst="192.0.2.2", options=[IPOption_LSRR(routers=hops)])
    theirs = sinet.IP(src="192.0.2.1", dst="192.0.2.2", options=[ScapyLSRR(routers=hops)])
    got = in4_chksum(6, ours, b"segment")
    assert got == sinet.in4_chksum(6, theirs, b"segment")
    assert got != in4_chksum(6, IP(src="192.0.2.1", dst="192.0.2.2"), b"segment")
