"""Columns of the general dissector (Wireshark names paquet maps, ``layer.field``) against
``tshark -T fields`` on the same packets."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.frame.captures import mixed
from tests.frame.test_tshark import tshark_rows

from paquet.frame import read
from paquet.layers import DNS, DNSQR, DNSRR, IP, UDP, Ether
from paquet.pcap import wrpcap

pytestmark = pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")

#: Wireshark names the general dissector's columns give (the frame package's former aliases).
ALIASES = (
    "dns.qry.name", "dns.qry.type", "dns.qry.class", "dns.resp.name", "dns.resp.ttl",
    "dns.flags.response", "dns.flags.rcode", "dns.count.queries", "dns.count.answers",
    "arp.src.hw_mac", "arp.dst.hw_mac", "vlan.etype", "udp.checksum", "tcp.checksum",
    "ip.checksum", "tcp.urgent_pointer", "ntp.stratum",
)

#: How tshark prints each alias's value (hex for flags, checksums, ids and types).
HEX = {
    "dns.qry.type": 0,
    "dns.qry.class": 4,
    "dns.flags.rcode": 0,
    "dns.id": 4,
    "vlan.etype": 4,
    "udp.checksum": 4,
    "tcp.checksum": 4,
    "ip.checksum": 4,
}


def shown(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    width = HEX.get(name)
    if width:
        return f"0x{value:0{width}x}"
    return str(value)


def test_aliases_and_layer_fields(tmp_path: Path) -> None:
    answer = (
        IP(src="203.0.113.53", dst="192.0.2.1")
        / UDP(sport=53, dport=5353)
        / DNS(
            id=0x1234,
            qr=1,
            rcode=3,
            qd=DNSQR(qname="www.example.com", qtype="AAAA"),
            an=DNSRR(rrname="www.example.com", ttl=300, rdata="192.0.2.80"),
        )
    )
    pkts = [*mixed(), Ether() / answer]
    path = tmp_path / "names.pcap"
    wrpcap(str(path), pkts)
    names = [*sorted(ALIASES), "dns.id"]
    ours = read(path, names)
    theirs = tshark_rows(path, names)
    checked = 0
    for i, row in enumerate(theirs):
        for name, text in zip(names, row, strict=True):
            value = ours.column(name)[i].as_py()
            if name.startswith("ntp."):
                continue  # no NTP in this capture
            assert shown(value, name) == text, (i + 1, name, value, text)
            checked += value is not None
    assert checked > 40
