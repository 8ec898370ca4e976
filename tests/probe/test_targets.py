"""Port and target specifications in nmap's syntax, and their errors."""

from __future__ import annotations

import os

import pytest

from paquet.errors import PaquetError
from paquet.probe.services import service_name, top_ports
from paquet.probe.targets import expand_targets, parse_ports


def test_ports() -> None:
    assert parse_ports("80,22,22,1000-1002") == [22, 80, 1000, 1001, 1002]
    assert parse_ports("-") == list(range(1, 65536))
    assert parse_ports("65530-") == list(range(65530, 65536))
    assert parse_ports("-3") == [1, 2, 3]
    assert parse_ports("T:80,U:53") == [53, 80]
    assert parse_ports("0") == [0]
    assert parse_ports(range(3)) == [0, 1, 2]


@pytest.mark.parametrize("spec", ["", "80,", "http", "70000", "10-5", "1-2-3", "-1-"])
def test_bad_ports(spec: str) -> None:
    with pytest.raises(PaquetError):
        parse_ports(spec)


def test_targets() -> None:
    assert expand_targets(["192.0.2.1-3", "192.0.2.2"]) == ["192.0.2.1", "192.0.2.2",
                                                            "192.0.2.3"]
    assert len(expand_targets(["198.51.100.0/24"])) == 256
    assert expand_targets(["2001:db8::1"]) == ["2001:db8::1"]
    assert expand_targets(["192.0.2.1,2001:db8::1"], family=6) == ["2001:db8::1"]
    assert expand_targets(["localhost"], family=4) == ["127.0.0.1"]


@pytest.mark.parametrize("spec", ["192.0.2.0/33", "192.0.2.9-3", "no-such-host.invalid",
                                  "10.0.0.0/4"])
def test_bad_targets(spec: str) -> None:
    with pytest.raises(PaquetError):
        expand_targets([spec])


def test_service_names() -> None:
    assert service_name(22) == "ssh"
    assert service_name(161, "udp") == "snmp"
    assert service_name(3389) == "ms-wbt-server"
    assert service_name(1, "sctp") == "unknown"
    assert top_ports(1) == [80]
    assert len(set(top_ports(65535))) == 65535


@pytest.mark.parametrize(("n", "proto"), [(100, "tcp"), (1000, "tcp"), (100, "udp")])
def test_top_ports_are_nmaps(n: int, proto: str) -> None:
    """nmap's own choice for --top-ports N (its scaninfo), from a connect scan of loopback."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    from paquet.probe.targets import parse_ports

    if shutil.which("nmap") is None:
        pytest.skip("needs nmap")
    kind = "-sT" if proto == "tcp" else "-sU"
    if proto == "udp" and os.geteuid() != 0:
        pytest.skip("nmap -sU needs root")
    out = subprocess.run(["nmap", kind, "--top-ports", str(n), "-n", "-Pn", "--max-retries", "0",
                          "-oX", "-", "127.0.0.1"], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    info = ET.fromstring(out).find("scaninfo")
    assert info is not None
    assert sorted(top_ports(n, proto)) == parse_ports(info.get("services", ""))
