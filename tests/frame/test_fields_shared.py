"""One description of each Wireshark field for both of its readers: the display filters'
``paquet read -T fields -e X`` and the capture tables' ``paquet.frame.read(fields=[X])`` accept
the same names and give the same values on the same capture."""

from __future__ import annotations

import ipaddress
import shutil
import struct
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.frame.captures import mixed

from paquet.cli.main import main
from paquet.dfilter.fields import FIELDS, value_text
from paquet.dfilter.output import check_fields
from paquet.errors import ExpressionError
from paquet.frame import DEFAULT_FIELDS, read
from paquet.frame.names import UnknownFieldError, column
from paquet.frame.quick import COLUMNS
from paquet.frame.reader import DERIVED
from paquet.layers import DNS, DNSQR, DNSRR, ICMP, IP, NTP, TCP, UDP, Ether, Raw
from paquet.pcap import wrpcap

pytest.importorskip("pyarrow")


def frame_accepts(name: str) -> bool:
    if name in DEFAULT_FIELDS or name in DERIVED:
        return True
    try:
        column(name)
    except UnknownFieldError:
        return False
    return True


def read_accepts(name: str) -> bool:
    try:
        check_fields([name])
    except ExpressionError:
        return False
    return True


def test_both_accept_the_same_wireshark_names() -> None:
    wireshark = set(FIELDS) | {n for n, _ in COLUMNS} | set(DERIVED)
    assert {n for n in wireshark if read_accepts(n)} == wireshark
    assert {n for n in wireshark if frame_accepts(n)} == wireshark
    for name in ("nosuch.field", "ip.nosuch", "tcp.flags.nosuch"):
        assert not read_accepts(name) and not frame_accepts(name)


def test_quick_columns_are_described_once() -> None:
    for name, kind in COLUMNS:
        assert FIELDS[name].column == kind
        assert FIELDS[name].arrow == kind
    assert {n for n, fd in FIELDS.items() if fd.column} == {n for n, _ in COLUMNS}


def _capture(path: Path) -> Path:
    pkts = [
        *mixed(),
        Ether() / IP(src="203.0.113.53", dst="192.0.2.1", flags="DF", id=7)
        / UDP(sport=53, dport=5353)
        / DNS(id=0x1234, qr=1, aa=1, rcode=3, qd=DNSQR(qname="www.example.com", qtype="AAAA"),
              an=DNSRR(rrname="www.example.com", ttl=300, rdata="192.0.2.80")),
        Ether() / IP(src="192.0.2.1", dst="198.51.100.7") / UDP(sport=123, dport=123)
        / NTP(stratum=2),
        Ether() / IP(src="192.0.2.1", dst="198.51.100.7", frag=3, flags="MF")
        / Raw(b"fragment"),
        Ether() / IP() / TCP(flags="PA", urgptr=9) / b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ]
    for k, p in enumerate(pkts):
        p.time = 1_700_000_000 + k / 8
    wrpcap(str(path), pkts)
    return path


def _as_text(name: str, value: Any) -> str:
    """A frame column's value as tshark (and ``paquet read``) prints it."""
    fd = FIELDS[name]
    if value is None:
        return ""
    if fd.kind == "ether":
        value = bytes.fromhex(value.replace(":", ""))
    elif fd.kind in ("ipv4", "ipv6"):
        value = ipaddress.ip_address(value)
    elif fd.kind == "time":
        value = int(value.value) if hasattr(value, "value") else value
    return value_text(fd, value)


def _read_as_the_cli(path: Path, fields: list[str]) -> Any:
    """The frame table with HTTP and TLS bound to their ports, as the commands bind them
    (:func:`paquet.cli.render.load_application_layers`; the Python API leaves them off)."""
    import importlib

    loaded = []
    for name in ("http", "tls"):
        module = importlib.import_module(f"paquet.layers.{name}")
        if not module._LOADED:
            module.load_bindings()
            loaded.append(module)
    try:
        return read(path, fields)
    finally:
        for module in loaded:
            module.unload_bindings()


def test_both_give_the_same_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _capture(tmp_path / "shared.pcap")
    sample = sorted(set(FIELDS) - {"frame.protocols"})
    assert main(["read", "-r", str(path), "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
                 *(a for n in sample for a in ("-e", n))]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = _read_as_the_cli(path, [*sample, "frame.protocols"])
    assert table.num_rows == len(lines)
    checked = 0
    for i, line in enumerate(lines):
        texts = line.split("|")
        for name, text in zip(sample, texts, strict=True):
            cell = table.column(name)[i]
            value = cell.cast("int64").as_py() if FIELDS[name].kind == "time" else cell.as_py()
            if FIELDS[name].kind == "float":  # float64 columns: a microsecond is enough
                assert abs(Decimal(text) - Decimal(value)) < Decimal("1e-6"), (i + 1, name)
            else:
                assert _as_text(name, value) == text, (i + 1, name, value, text)
            checked += value is not None
    assert checked > 500
    assert main(["read", "-r", str(path), "-T", "fields", "-e", "frame.protocols"]) == 0
    protocols = capsys.readouterr().out.splitlines()
    assert table.column("frame.protocols").to_pylist() == protocols


#: Fields whose two former descriptions differed (getter or type), and their neighbours.
DIFFERED = ["dns.count.queries", "dns.count.answers", "tcp.checksum", "udp.checksum",
            "icmp.seq", "icmp.ident", "ip.addr", "tcp.port", "dns.flags.response",
            "arp.src.hw_mac", "dns.qry.class", "dns.resp.ttl"]


def _dns(count: int, names: list[str]) -> bytes:
    """A DNS query whose header counts ``count`` questions, with ``names`` after it."""
    raw = bytearray(bytes(DNS(id=7, qd=[DNSQR(qname=n) for n in names])))
    raw[4:6] = struct.pack(">H", count)
    return bytes(raw)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_where_they_differed_both_give_tsharks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quoted = bytes(IP(src="192.0.2.1", dst="198.51.100.7") / UDP(sport=1234, dport=53))
    pkts = [
        *mixed(),
        Ether() / IP(src="198.51.100.1", dst="192.0.2.1") / ICMP(type=3, code=3) / quoted,
        Ether() / IP() / ICMP(type=0, id=5, seq=9),
        Ether() / IP() / ICMP(type=11, code=0) / quoted,
        Ether() / IP() / UDP(sport=5353, dport=53) / _dns(2, ["a.example"]),
        Ether() / IP() / UDP(sport=5353, dport=53) / _dns(1, ["a.example", "b.example"]),
    ]
    path = tmp_path / "differed.pcap"
    wrpcap(str(path), pkts)
    cmd = ["tshark", "-n", "-r", str(path), "-T", "fields", "-E", "occurrence=f", "-E",
           "separator=|", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"]
    for name in DIFFERED:  # (paquet does not reassemble fragments)
        cmd += ["-e", name]
    theirs = subprocess.run(cmd, capture_output=True, text=True, check=True,
                            timeout=120).stdout.splitlines()
    assert main(["read", "-r", str(path), "-T", "fields", "-E", "occurrence=f", "-E",
                 "separator=|", *(a for n in DIFFERED for a in ("-e", n))]) == 0
    assert capsys.readouterr().out.splitlines() == theirs
    table = read(path, DIFFERED)
    for i, line in enumerate(theirs):
        for name, text in zip(DIFFERED, line.split("|"), strict=True):
            value = table.column(name)[i].as_py()
            assert _as_text(name, value) == text, (i + 1, name, value, text)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_layer_values_are_tsharks_occurrences(tmp_path: Path) -> None:
    """A field repeated in a packet (two VLAN tags, two DNS answers): every value, in the
    order tshark gives them (``-T fields``, all occurrences)."""
    from paquet.dfilter.fields import layer_values
    from paquet.dfilter.protocols import layers_of
    from paquet.layers import Dot1Q

    pkt = (Ether() / Dot1Q(vlan=300) / Dot1Q(vlan=20) / IP(src="192.0.2.1", dst="192.0.2.2")
           / UDP(sport=53, dport=4000)
           / DNS(qr=1, qd=DNSQR(qname="a.example"),
                 an=DNSRR(rrname="a.example", rdata="192.0.2.7")
                 / DNSRR(rrname="a.example", rdata="192.0.2.8")))
    path = tmp_path / "one.pcap"
    wrpcap(str(path), [pkt])
    for name in ("vlan.id", "dns.a", "ip.src"):
        out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "fields", "-e", name,
                              "-E", "aggregator=;"], capture_output=True, text=True,
                             check=True, timeout=60).stdout.strip()
        ours = layer_values(FIELDS[name], layers_of(Ether(bytes(pkt))))
        assert ";".join(value_text(FIELDS[name], v) for v in ours) == out, name
