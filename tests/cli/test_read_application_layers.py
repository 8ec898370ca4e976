"""``paquet read`` names the application protocols of a capture as tshark does (DNS, DHCP,
HTTP, TLS), and the HTTP/TLS bindings it loads for that are gone when it returns: the Python
API keeps Scapy's default (``TCP()/...`` on port 443 stays Raw until ``load_layer``)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from paquet import (
    BOOTP,
    DHCP,
    DNS,
    DNSQR,
    DNSRR,
    IP,
    TCP,
    TLS,
    UDP,
    Ether,
    Raw,
    ServerName,
    TLS_Ext_ServerName,
    TLSClientHello,
    wrpcap,
)
from paquet.cli.main import main

HTTP_GET = b"GET /index.html HTTP/1.1\r\nHost: www.tp.example\r\n\r\n"


def _capture(path: Path) -> None:
    a, b = "192.0.2.1", "192.0.2.2"
    hello = TLSClientHello(ext=[TLS_Ext_ServerName(
        servernames=[ServerName(servername=b"www.tp.example")])])
    wrpcap(str(path), [
        Ether() / IP(src=a, dst=b) / UDP(sport=40000, dport=53) / DNS(
            qd=DNSQR(qname="www.tp.example")),
        Ether() / IP(src=b, dst=a) / UDP(sport=53, dport=40000) / DNS(
            qr=1, qd=DNSQR(qname="www.tp.example"),
            an=DNSRR(rrname="www.tp.example", rdata="192.0.2.80")),
        Ether() / IP(src="0.0.0.0", dst="255.255.255.255") / UDP(sport=68, dport=67)
        / BOOTP(chaddr=b"\x02\x00\x00\x00\x00\x01") / DHCP(
            options=[("message-type", "discover"), "end"]),
        Ether() / IP(src=a, dst=b) / TCP(sport=40001, dport=80, flags="PA") / Raw(HTTP_GET),
        Ether() / IP(src=a, dst=b) / TCP(sport=40002, dport=443, flags="PA") / TLS(msg=[hello]),
    ])


def _tshark_protocols(path: Path) -> list[str]:
    out = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "_ws.col.Protocol"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return out.split()


def test_read_names_what_tshark_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "apps.pcap"
    _capture(path)
    assert main(["read", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    ours = [next(p for p in ("DNS", "DHCP", "HTTP", "TLS") if f" {p}" in line)
            for line in lines]
    theirs = [p.rstrip("v1.23") if p.startswith("TLS") else p for p in _tshark_protocols(path)]
    assert ours == theirs == ["DNS", "DNS", "DHCP", "HTTP", "TLS"]
    assert "GET '/index.html'" in lines[3] and "Client Hello" in lines[4]
    # The bindings were the command's: the API's TCP payload on 443 and 80 is Raw again.
    assert type(IP(bytes(IP() / TCP(dport=443) / b"x"))[TCP].payload).__name__ == "Raw"
    assert type(IP(bytes(IP() / TCP(dport=80) / HTTP_GET))[TCP].payload).__name__ == "Raw"


def test_read_json_holds_the_server_name(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "apps.pcap"
    _capture(path)
    assert main(["read", str(path), "--json"]) == 0
    text = capsys.readouterr().out
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert len(records) == 5
    assert b"www.tp.example".hex() in json.dumps(records[4])
