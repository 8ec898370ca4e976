"""``paquet subnet`` run in-process: tables, JSON, exit codes 0/1/2, one-line errors."""

from __future__ import annotations

import ipaddress
import json

import pytest

from paquet import addr
from paquet.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["subnet", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_ipcalc_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "201.9.118.19/21")
    assert code == 0 and err == ""
    for label, value in [
        ("Address", "201.9.118.19"),
        ("Netmask", "255.255.248.0 = /21"),
        ("Wildcard", "0.0.7.255"),
        ("Network", "201.9.112.0/21"),
        ("Broadcast", "201.9.119.255"),
        ("HostMin", "201.9.112.1"),
        ("HostMax", "201.9.119.254"),
        ("Hosts/Net", "2 046"),
        ("Kind", "global"),
    ]:
        line = next(line for line in out.splitlines() if label in line)
        assert value in line, (label, line)
    # Binary with the network bits and host bits apart, as ipcalc writes them.
    assert "11001001.00001001.01110 110.00010011" in out
    assert "11111111.11111111.11111 000.00000000" in out
    assert "network bits: 21, host bits: 11" in out


def test_netmask_given_apart_is_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["subnet", "201.9.118.19/21", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["subnet", "201.9.118.19", "255.255.248.0", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert main(["subnet", "201.9.118.19", "--prefix", "21", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


def test_json_matches_the_library_and_stdlib(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "198.51.100.77/26", "--json")
    data = json.loads(out)
    assert code == 0
    assert data == addr.subnet_info("198.51.100.77/26").to_dict()
    net = ipaddress.ip_network("198.51.100.77/26", strict=False)
    assert data["network"] == str(net) and data["broadcast"] == str(net.broadcast_address)
    assert data["host_count"] == len(list(net.hosts())) and data["kind"] == "documentation"
    assert data["binary"]["netmask"] == "11111111.11111111.11111111.11000000"


def test_ipv6(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "2001:db8::1/64")
    assert code == 0
    assert "2001:db8::/64" in out and "2001:db8::ffff:ffff:ffff:ffff" in out
    assert "2001:0db8:0000:0000:0000:0000:0000:0001" in out
    assert "no broadcast" in out
    assert "network bits: 64, host bits: 64" in out
    network_bits, host_bits = addr.binary_parts("2001:db8::1", 64)
    assert f"{network_bits} {host_bits}" in out
    code, out, _ = run(capsys, "2001:db8:0:a::1/64", "--json")
    assert json.loads(out)["network"] == "2001:db8:0:a::/64"  # not an emoji for ':a:'
    code, out, _ = run(capsys, "2001:db8:0:a::1/64")
    assert "2001:db8:0:a::/64" in out


def test_same_subnet_yes_and_no(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "201.9.118.44", "201.9.113.1", "--prefix", "21")
    assert code == 0
    assert "yes" in out and out.count("201.9.112.0") >= 2
    code, out, _ = run(capsys, "201.9.118.44", "201.9.120.10", "--prefix", "21")
    assert code == 1
    assert "no" in out and "201.9.112.0/21" in out and "201.9.120.0/21" in out
    code, out, _ = run(capsys, "201.9.118.44/21", "201.9.120.10", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["same_subnet"] is False and data["second_network"] == "201.9.120.0/21"


def test_vlsm_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "192.0.2.0/24", "--hosts", "100,50,20,2")
    assert code == 0
    for network in ("192.0.2.0/25", "192.0.2.128/26", "192.0.2.192/27", "192.0.2.224/30"):
        assert network in out
    assert "228 of 256 addresses allocated" in out
    code, out, _ = run(capsys, "192.0.2.0/24", "--hosts", "lan=100,link=2", "--p2p", "--json")
    data = json.loads(out)
    assert [(a["name"], a["network"]) for a in data["allocations"]] == [
        ("lan", "192.0.2.0/25"),
        ("link", "192.0.2.128/31"),
    ]


def test_split_and_summarize(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "192.0.2.0/24", "--split", "4", "--json")
    assert code == 0
    assert [s["network"] for s in json.loads(out)["subnets"]] == [
        str(n) for n in ipaddress.ip_network("192.0.2.0/24").subnets(2)
    ]
    code, out, _ = run(capsys, "192.0.2.0/24", "--split", "4")
    assert "192.0.2.192/26" in out
    code, out, _ = run(
        capsys, "192.0.2.0/25", "192.0.2.128/25", "198.51.100.0/24", "--summarize", "--json"
    )
    data = json.loads(out)
    assert data["summary"] == ["192.0.2.0/24", "198.51.100.0/24"]
    assert data["supernet"] == "192.0.0.0/5"
    code, out, _ = run(capsys, "192.0.2.0/25", "192.0.2.128/25", "--summarize")
    assert "192.0.2.0/24" in out and "2 networks -> 1 prefixes" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["201.9.118.256"], "octet 256 out of range 0-255"),
        (["010.1.1.1/8"], "leading zero"),
        (["192.0.2.0/33"], "out of range 0-32"),
        (["192.0.2.0/255.0.255.0"], "not contiguous"),
        (["192.0.2.0/26", "--hosts", "40,30"], "cannot hold 40, 30 hosts"),
        (["192.0.2.0/24", "--hosts", "100,x"], "not a whole number"),
        (["192.0.2.0/24", "--hosts", "a=1,2"], "name all subnets or none"),
        (["192.0.2.0/24", "--hosts", "a=1,a=2"], "twice"),
        (["192.0.2.0/24", "--hosts", "100,,2"], "empty item"),
        (["192.0.2.0/24", "--hosts", "0"], "at least 1 host"),
        (["192.0.2.0/30", "--split", "8"], "cannot be split"),
        (["192.0.2.1", "192.0.2.2"], "needs --prefix"),
        (["192.0.2.1", "192.0.2.2", "192.0.2.3"], "give one address"),
        (["192.0.2.0/24", "198.51.100.0/24", "--hosts", "5"], "exactly one parent"),
        (["192.0.2.0/24", "--hosts", "5", "--split", "2"], "only one of"),
        (["192.0.2.1", "2001:db8::1", "-p", "24"], "not of the same IP version"),
        ([], "Missing argument"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("paquet: error:") and message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_colour_tells_network_and_host_bits_apart(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run(capsys, "201.9.118.19/21")
    assert code == 0
    line = next(line for line in out.splitlines() if "201.9.118.19 " in line)
    network_at = line.index("11001001.00001001.01110")
    host_at = line.index("110.00010011", network_at + 23)
    network_style = line[line.rindex("\x1b[", 0, network_at) : network_at]
    host_style = line[line.rindex("\x1b[", 0, host_at) : host_at]
    assert network_style.startswith("\x1b[") and host_style.startswith("\x1b[")
    assert network_style != host_style
