"""nmap's output formats: normal (extraports), XML (parsed back), grepable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from paquet.probe.output import scan_grepable, scan_normal, scan_xml
from paquet.probe.scan import HostResult, PortResult, ScanResult


def _result() -> ScanResult:
    h = HostResult("203.0.113.20", "up", "echo-reply", 0.000013)
    for p in range(1, 101):
        state, reason = ("closed", "reset")
        if p in (21, 22, 80):
            state, reason = "open", "syn-ack"
        elif p in (25, 99):
            state, reason = "filtered", "no-response"
        h.ports.append(PortResult(p, "tcp", state, reason, 64))
    down = HostResult("203.0.113.21", "down", "no-response")
    return ScanResult("syn", "tcp", list(range(1, 101)), [h, down], 1_700_000_000.0, 0.5,
                      args=["paquet", "scan", "-p", "1-100"])


def test_normal_output_hides_the_big_state_like_nmap() -> None:
    text = scan_normal(_result())
    assert "Nmap scan report for 203.0.113.20" in text
    assert "Host is up (0.000013s latency)." in text
    assert "Not shown: 95 closed tcp ports (reset)" in text
    lines = text.splitlines()
    i = lines.index("PORT   STATE    SERVICE")
    assert lines[i + 1:i + 6] == ["21/tcp open     ftp", "22/tcp open     ssh",
                                  "25/tcp filtered smtp", "80/tcp open     http",
                                  "99/tcp filtered metagram"]
    assert "2 IP addresses (1 host up)" in text


def test_xml_follows_nmaps_structure() -> None:
    root = ET.fromstring(scan_xml(_result()))
    assert root.tag == "nmaprun"
    assert root.find("scaninfo").get("services") == "1-100"  # type: ignore[union-attr]
    hosts = root.findall("host")
    assert [h.find("status").get("state") for h in hosts] == ["up", "down"]  # type: ignore[union-attr]
    extra = hosts[0].find("ports/extraports")
    assert extra is not None and extra.get("state") == "closed" and extra.get("count") == "95"
    ports = {p.get("portid"): (p.find("state").get("state"),  # type: ignore[union-attr]
                               p.find("service").get("name"))  # type: ignore[union-attr]
             for p in hosts[0].findall("ports/port")}
    assert ports == {"21": ("open", "ftp"), "22": ("open", "ssh"), "25": ("filtered", "smtp"),
                     "80": ("open", "http"), "99": ("filtered", "metagram")}
    assert root.find("runstats/hosts").get("up") == "1"  # type: ignore[union-attr]


def test_grepable() -> None:
    lines = scan_grepable(_result()).splitlines()
    assert lines[1] == "Host: 203.0.113.20 ()\tStatus: Up"
    assert lines[2].startswith("Host: 203.0.113.20 ()\tPorts: 21/open/tcp//ftp///, ")
    assert lines[2].endswith("\tIgnored State: closed (95)")
    assert lines[3] == "Host: 203.0.113.21 ()\tStatus: Down"
