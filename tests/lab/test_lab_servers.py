"""The tp lab's real servers (dnsmasq, nginx, chronyd, snmpd), asked by real clients.

Oracles are Debian's clients run inside the lab: dig, dhclient, curl, chronyd -Q, snmpget and
snmpset. One lab serves the whole module; the last tests build their own to take it down.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from lab_helpers import live_processes, processes_using

from paquet.cli.main import main
from paquet.lab import Lab, run_checks
from paquet.lab import servers as servers_module
from paquet.lab.netns import NETNS_ETC, list_namespaces
from paquet.lab.servercheck import certificate_path, https_probe, ntp_query
from paquet.lab.state import lab_dir, ns_prefix
from paquet.lab.testing import LabFactory, unique_lab_name
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged

NEEDED = ("dnsmasq", "nginx", "chronyd", "snmpd", "dig", "dhclient", "curl", "snmpget",
          "openssl")
# Where the servers and clients would write if they were not told otherwise.
HOST_PATHS = ("/var/lib/misc", "/var/lib/dhcp", "/var/lib/snmp", "/var/lib/nginx",
              "/var/log/nginx", "/run/chrony", "/var/lib/chrony", "/run/nginx.pid",
              "/run/dnsmasq", "/run/dhclient.pid", "/etc/resolv.conf")


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [t for t in NEEDED if servers_module.find_program(t) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (scripts/system-deps)")


@pytest.fixture(scope="module")
def lab(lab_tp: Lab) -> Lab:
    return lab_tp


def _client_env(lab: Lab) -> list[str]:
    """snmpget/snmpset writes a persistent directory: in the lab's state, not /var/lib/snmp."""
    work = lab_dir(lab.name) / "clients" / "tests"
    work.mkdir(parents=True, exist_ok=True)
    return ["env", f"SNMP_PERSISTENT_DIR={work}", f"SNMPCONFPATH={work}", "MIBS=",
            f"MIBDIRS={work}"]


def _answers(text: str) -> set[tuple[str, str, str]]:
    out = set()
    for line in text.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5 and parts[2] == "IN":
            out.add((parts[0].lower(), parts[3], parts[4]))
    return out


def test_every_server_is_running(lab: Lab) -> None:
    got = {(node.name, s["kind"]): s["status"] for node in lab.nodes.values()
           for s in node.servers}
    assert got == {("gateway", "resolver"): "running", ("gateway", "dhcp"): "running",
                   ("server", "dns"): "running", ("server", "http"): "running",
                   ("server", "https"): "running", ("server", "ntp"): "running",
                   ("server", "snmp"): "running"}
    assert lab.server_warnings() == []


def test_dig_gets_the_zone_from_the_authoritative_server(lab: Lab) -> None:
    """The records a student expects from the tp map, as dig prints them (TTLs aside)."""
    queries = ["www.tp.example", "A", "server.tp.example", "AAAA", "gateway.tp.example", "A",
               "tp.example", "MX", "tp.example", "TXT", "_http._tcp.tp.example", "SRV",
               "_ntp._udp.tp.example", "SRV", "ntp.tp.example", "CNAME", "tp.example", "NS",
               "ns.tp.example", "A", "-x", "192.0.2.10", "-x", "203.0.113.10",
               "-x", "2001:db8:0:5::a"]
    proc = lab["client"].exec(["dig", "@203.0.113.10", "+norecurse", "+time=1", "+tries=2",
                               "+noall", "+answer", *queries], check=True)
    assert _answers(proc.stdout) == {
        ("www.tp.example.", "CNAME", "server.tp.example."),
        ("server.tp.example.", "A", "203.0.113.10"),
        ("server.tp.example.", "AAAA", "2001:db8:0:2::a"),
        ("gateway.tp.example.", "A", "192.0.2.254"),
        ("gateway.tp.example.", "A", "203.0.113.1"),
        ("gateway.tp.example.", "A", "198.51.100.1"),
        ("tp.example.", "MX", "10 server.tp.example."),
        ("tp.example.", "TXT", '"paquet lab tp: documentation addresses only"'),
        ("tp.example.", "TXT", '"v=spf1 mx -all"'),
        ("_http._tcp.tp.example.", "SRV", "0 0 80 server.tp.example."),
        ("_ntp._udp.tp.example.", "SRV", "0 0 123 server.tp.example."),
        ("ntp.tp.example.", "CNAME", "server.tp.example."),
        ("tp.example.", "NS", "ns.tp.example."),
        ("ns.tp.example.", "A", "203.0.113.10"),
        ("10.2.0.192.in-addr.arpa.", "PTR", "client.tp.example."),
        ("10.113.0.203.in-addr.arpa.", "PTR", "server.tp.example."),
        (ipaddress.ip_address("2001:db8:0:5::a").reverse_pointer + ".", "PTR",
         "remote.tp.example."),
    }


def test_the_server_is_authoritative_and_refuses_other_names(lab: Lab) -> None:
    soa = lab["neighbour"].exec(["dig", "@2001:db8:0:2::a", "+norecurse", "+time=1",
                                 "tp.example", "SOA"], check=True).stdout
    assert re.search(r"flags: qr aa", soa)
    assert re.search(r"IN\s+SOA\s+ns\.tp\.example\. hostmaster\.tp\.example\.", soa)
    nx = lab["client"].exec(["dig", "@203.0.113.10", "+time=1", "nothere.tp.example"]).stdout
    assert "status: NXDOMAIN" in nx
    outside = lab["client"].exec(["dig", "@203.0.113.10", "+time=1", "example.com"]).stdout
    assert "status: REFUSED" in outside
    # DNS over TCP too (the resolver's as well), for paquet's dig +tcp.
    for server in ("203.0.113.10", "192.0.2.254"):
        tcp = lab["client"].exec(["dig", f"@{server}", "+tcp", "+short", "+time=1",
                                  "ntp.tp.example"], check=True)
        assert tcp.stdout.split() == ["server.tp.example.", "203.0.113.10"]


def test_nodes_resolve_through_the_gateway(lab: Lab) -> None:
    """The node's resolv.conf (ip netns exec) names the gateway; it forwards the lab zone."""
    conf = lab["client"].exec(["cat", "/etc/resolv.conf"], check=True).stdout
    assert "nameserver 192.0.2.254" in conf and "search tp.example" in conf
    short = lab["client"].exec(["dig", "+short", "+time=1", "www.tp.example"], check=True)
    assert short.stdout.split() == ["server.tp.example.", "203.0.113.10"]
    ptr = lab["target"].exec(["dig", "+short", "+time=1", "-x", "203.0.113.138"], check=True)
    assert ptr.stdout.split() == ["remote.tp.example."]
    getent = lab["remote"].exec(["getent", "ahostsv4", "server"], check=True)
    assert getent.stdout.split()[0] == "203.0.113.10"
    # The resolver forwards nothing else (the lab has no way out).
    outside = lab["client"].exec(["dig", "+time=1", "+tries=1", "example.com"]).stdout
    assert "status: REFUSED" in outside


def test_dhcp_and_dhcpv6_leases_in_the_range(lab: Lab) -> None:
    work = lab_dir(lab.name) / "clients" / "dhclient-test"
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "dhclient.conf"
    conf.write_text("timeout 5;\nretry 1;\ninitial-interval 1;\n")
    leases = {}
    for version in ("-4", "-6"):
        lf, pf = work / f"leases{version}", work / f"pid{version}"
        proc = lab["neighbour"].exec(["dhclient", version, "-1", "-sf", "/bin/true", "-lf",
                                      str(lf), "-pf", str(pf), "-cf", str(conf), "eth0"],
                                     timeout=30)
        for pid in live_processes(str(lf)):  # dhclient stays in the background after its lease
            os.kill(pid, 9)
        assert proc.returncode == 0, proc.stderr
        key = "fixed-address" if version == "-4" else "iaaddr"
        found = re.findall(rf"{key} ([0-9a-f:.]+)", lf.read_text())
        leases[version] = ipaddress.ip_address(found[-1])
    assert ipaddress.ip_address("192.0.2.100") <= leases["-4"] <= \
        ipaddress.ip_address("192.0.2.199")
    assert ipaddress.ip_address("2001:db8:0:1::1000") <= leases["-6"] <= \
        ipaddress.ip_address("2001:db8:0:1::1fff")
    # The server recorded both leases, for the neighbour's MAC (in the lab's state directory).
    table = (lab_dir(lab.name) / "servers" / "gateway" / "dhcp" / "dhcp.leases").read_text()
    mac = lab["neighbour"].interfaces[0].mac
    assert f"{mac} {leases['-4']}" in table
    assert str(leases["-6"]) in table
    # dhclient's script was /bin/true: the neighbour kept its static configuration.
    addrs = lab["neighbour"].exec(["ip", "-4", "-o", "addr", "show", "eth0"]).stdout
    assert "192.0.2.11/24" in addrs and str(leases["-4"]) not in addrs


def test_https_with_the_self_signed_certificate_and_sni(lab: Lab) -> None:
    cert = certificate_path(lab, "server")
    proc = lab["client"].exec(["curl", "-sS", "--max-time", "5", "--cacert", str(cert),
                               "-w", "\n%{http_code} %{http_version} %{ssl_verify_result}",
                               "https://www.tp.example/"], check=True)
    body, _, tail = proc.stdout.rpartition("\n")
    assert tail == "200 2 0"  # HTTP/2 through ALPN, certificate verified
    assert "paquet lab tp: server" in body
    h1 = lab["neighbour"].exec(["curl", "-sS", "--http1.1", "--max-time", "5", "--cacert",
                                str(cert), "-o", "/dev/null", "-w", "%{http_version}",
                                "https://server.tp.example/"], check=True)
    assert h1.stdout == "1.1"
    # The certificate does not cover another name: curl refuses it.
    wrong = lab["client"].exec(["curl", "-sS", "--max-time", "5", "--cacert", str(cert),
                                "--resolve", "target.tp.example:443:203.0.113.10",
                                "https://target.tp.example/"])
    assert wrong.returncode == 60  # CURLE_PEER_FAILED_VERIFICATION
    info = lab["client"].run(https_probe, "2001:db8:0:2::a", "www.tp.example", str(cert),
                             ["h2", "http/1.1"])
    assert info["alpn"] == "h2"
    assert info["subject"] == "www.tp.example"
    assert {"www.tp.example", "server.tp.example", "203.0.113.10"} <= set(info["san"])


def test_plain_http_from_nginx(lab: Lab) -> None:
    proc = lab["remote"].exec(["curl", "-sS", "--max-time", "5", "-D", "-",
                               "http://www.tp.example/"], check=True)
    assert proc.stdout.startswith("HTTP/1.1 200 OK")
    assert re.search(r"^Server: nginx", proc.stdout, re.M)
    missing = lab["remote"].exec(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                                  "http://203.0.113.10/nothing"])
    assert missing.stdout == "404"
    access = lab_dir(lab.name) / "logs" / "server" / "web-access.log"
    assert "203.0.113.138" in access.read_text()


def test_ntp_answers_chronyd_as_a_client(lab: Lab) -> None:
    """chronyd -Q (measure, never set the clock) in the client namespace, against the lab's."""
    proc = lab["client"].exec(["chronyd", "-Q", "-t", "5", "-u", "root", "-f", "/dev/null",
                               "server 203.0.113.10 iburst maxsamples 1"], timeout=20)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"System clock wrong by -?[0-9.]+ seconds", proc.stderr + proc.stdout)
    answer = lab["neighbour"].run(ntp_query, "2001:db8:0:2::a")
    assert (answer["mode"], answer["stratum"]) == (4, 10)
    assert abs(answer["offset"]) < 5  # the same clock: the host's


def test_snmpget_reads_the_lab_values_and_snmpset_is_refused(lab: Lab) -> None:
    env = _client_env(lab)
    proc = lab["client"].exec([*env, "snmpget", "-v2c", "-c", "public", "-t", "1", "-r", "1",
                               "-Oqv", "203.0.113.10", "1.3.6.1.2.1.1.5.0",
                               "1.3.6.1.2.1.1.6.0", "1.3.6.1.2.1.1.4.0"], check=True)
    assert [line.strip('"') for line in proc.stdout.splitlines()] == [
        "server.tp.example", "paquet lab tp, node server (dmz)", "lab-admin@tp.example"]
    # Without being told, the SNMP tools of a node keep their files in the lab's state too
    # (the node's /etc/snmp/snmp.conf, through ip netns exec), not in the host's /var/lib/snmp.
    before = sorted(os.listdir("/var/lib/snmp")) if os.path.isdir("/var/lib/snmp") else None
    v6 = lab["neighbour"].exec(["snmpget", "-v2c", "-c", "public", "-t", "1", "-Oqv",
                                "udp6:[2001:db8:0:2::a]", "1.3.6.1.2.1.1.5.0"], check=True)
    assert v6.stdout.strip() == '"server.tp.example"'
    assert (sorted(os.listdir("/var/lib/snmp")) if os.path.isdir("/var/lib/snmp") else None) \
        == before
    assert v6.stderr == ""  # quiet: its directory is there already
    denied = lab["client"].exec([*env, "snmpset", "-v2c", "-c", "public", "-t", "1", "-r", "0",
                                 "203.0.113.10", "1.3.6.1.2.1.1.4.0", "s", "someone"])
    assert denied.returncode != 0
    wrong = lab["client"].exec([*env, "snmpget", "-v2c", "-c", "private", "-t", "1", "-r", "0",
                                "203.0.113.10", "1.3.6.1.2.1.1.5.0"])
    assert "Timeout" in wrong.stdout + wrong.stderr


def test_nothing_listens_outside_the_nodes(lab: Lab) -> None:
    """Every server process lives in its node's namespace, none in the root one."""
    root_ns = os.stat("/proc/self/ns/net").st_ino
    for node in lab.nodes.values():
        node_ns = os.stat(f"/run/netns/{node.ns}").st_ino
        for server in node.servers:
            assert os.stat(f"/proc/{server['pid']}/ns/net").st_ino == node_ns != root_ns


def test_lab_check_reports_every_server(lab: Lab) -> None:
    checks = [c for c in run_checks(lab, ping=False) if c.name.split()[0] in
              ("dns", "resolver", "dhcp", "dhcpv6", "http", "https", "ntp", "snmp")
              and "(" in c.name]
    assert {c.name.split()[0] for c in checks} == {"dns", "resolver", "dhcp", "dhcpv6", "http",
                                                    "https", "ntp", "snmp"}
    assert [c for c in checks if not c.ok] == []


def test_status_shows_the_servers(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "status", lab.name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    server = next(n for n in data["nodes"] if n["name"] == "server")
    assert [(s["kind"], s["program"], s["status"]) for s in server["servers"]] == [
        ("dns", "dnsmasq", "running"), ("http", "nginx", "running"),
        ("https", "nginx", "running"), ("ntp", "chronyd", "running"),
        ("snmp", "snmpd", "running")]
    assert data["zone"] == "tp.example"
    assert main(["lab", "status", "--json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["name"] == lab.name)
    assert (row["service_processes"], row["server_processes"]) == (3, 6)


def test_servers_logs_through_the_cli(lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    lab["neighbour"].exec(["dig", "@203.0.113.10", "+short", "txt.logs.tp.example", "TXT"],
                          check=True)
    assert main(["lab", "logs", "--lab", lab.name, "server", "dns", "--json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    assert any("auth[TXT] txt.logs.tp.example from 192.0.2.11" in line for line in lines)
    lab["neighbour"].exec(["curl", "-s", "-o", "/dev/null", "http://203.0.113.10/logged"])
    assert main(["lab", "logs", "--lab", lab.name, "server", "http"]) == 0
    assert '"GET /logged HTTP/1.1" 404' in capsys.readouterr().out
    assert main(["lab", "logs", "--lab", lab.name, "server", "dhcp"]) == 2
    assert "server runs no server 'dhcp'" in capsys.readouterr().err


# ----------------------------------------------------------------------------- up and down


def _snapshot() -> dict[str, tuple[float, tuple[str, ...]] | None]:
    out: dict[str, tuple[float, tuple[str, ...]] | None] = {}
    for path in map(Path, HOST_PATHS):
        try:
            st = path.stat()
        except OSError:
            out[str(path)] = None
            continue
        names = tuple(sorted(os.listdir(path))) if path.is_dir() else ()
        out[str(path)] = (st.st_mtime, names)
    return out


@pytest.fixture
def fake_missing_snmpd(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = servers_module.find_program
    monkeypatch.setattr(servers_module, "find_program",
                        lambda name: None if name == "snmpd" else real(name))
    yield


def test_without_openssl_nginx_still_serves_http(
    lab_factory: LabFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = servers_module.find_program
    monkeypatch.setattr(servers_module, "find_program",
                        lambda name: None if name == "openssl" else real(name))
    lab = lab_factory(parse(SMALL.replace('["dns", "ntp"]', '["http", "https"]')))
    assert lab.server_warnings() == [
        "srv: https not running: missing: openssl is not installed (scripts/system-deps)"]
    page = lab["pc"].exec(["curl", "-sS", "--max-time", "5", f"http://{lab['srv'].addr()}/"],
                          check=True)
    assert "paquet lab small: srv" in page.stdout
    tls = lab["pc"].exec(["curl", "-sS", "-k", "--max-time", "5",
                          f"https://{lab['srv'].addr()}/"])
    assert tls.returncode == 7  # connection refused: nothing listens on 443


def test_a_missing_server_does_not_stop_the_lab_and_down_leaves_nothing(
    fake_missing_snmpd: None, capsys: pytest.CaptureFixture[str],
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = _snapshot()
    name = unique_lab_name("srv")
    folder = lab_dir(name)
    try:
        assert main(["lab", "up", "tp", "--name", name, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["warnings"] == [
            "server: snmp not running: missing: snmpd is not installed (scripts/system-deps)"]
        assert main(["lab", "check", name, "--no-ping", "--json"]) == 1
        failed = [(c["name"], c["detail"]) for c in json.loads(capsys.readouterr().out)
                  if not c["ok"]]
        assert failed == [("snmp server (snmpd)",
                           "missing: snmpd is not installed (scripts/system-deps)")]
        lab = Lab.attach(name)
        resolv = [NETNS_ETC / node.ns / "resolv.conf" for node in lab.nodes.values()]
        assert all(p.read_text().startswith("# paquet lab") for p in resolv)
        pids = [s["pid"] for n in lab.nodes.values() for s in n.servers if s["pid"]]
        assert len(set(pids)) == 5  # three dnsmasq, nginx, chronyd
    finally:
        main(["lab", "down", name])
    assert list_namespaces(ns_prefix(name)) == []
    assert not folder.exists()
    assert live_processes(str(folder)) == []
    assert processes_using(str(folder)) == []  # nginx's worker too
    assert not any(Path(f"/proc/{pid}").exists() for pid in pids)
    assert not any(p.parent.exists() for p in resolv)
    assert _snapshot() == before  # nothing written to the host's /etc, /var or /run


SMALL = """
name = "small"
zone = "small.example"
[nodes.pc]
[nodes.srv]
servers = ["dns", "ntp"]
[[links]]
nodes = ["pc", "srv"]
"""


def test_a_server_that_fails_to_start_is_reported_with_its_last_words(
    lab_factory: LabFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any lab may run servers; one that exits at start is 'failed', with chronyd's message."""
    monkeypatch.setattr(servers_module, "chrony_conf",
                        lambda topo, work: "local stratum 10\nno-such-directive here\n")
    monkeypatch.setattr(servers_module, "nginx_conf", lambda *args: "bogus;\n")
    lab = lab_factory(parse(SMALL.replace('["dns", "ntp"]', '["dns", "ntp", "http"]')))
    status = {s["kind"]: s["status"] for s in lab["srv"].servers}
    assert status["dns"] == "running"
    assert status["http"].startswith("failed: nginx exited (1):")
    assert 'unknown directive "bogus"' in status["http"]
    assert status["ntp"].startswith("failed: chronyd exited (1):")
    assert "Invalid directive at line 2" in status["ntp"]  # chronyd's own words, from its log
    answer = lab["pc"].exec(["dig", f"@{lab['srv'].addr()}", "+short", "+norecurse",
                             "srv.small.example"], check=True)
    assert answer.stdout.split() == [lab["srv"].addr()]
    checks = {c.name.split()[0]: c for c in run_checks(lab, ping=False)}
    assert checks["dns"].ok and not checks["ntp"].ok
