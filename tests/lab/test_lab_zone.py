"""Servers in topology files, the zone made from the nodes, the servers' configurations."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from paquet.errors import LabError
from paquet.lab.servers import (
    chrony_conf,
    dnsmasq_dhcp_conf,
    dnsmasq_resolver_conf,
    nginx_conf,
    plan,
    resolv_conf,
    snmpd_conf,
)
from paquet.lab.topology import load, parse
from paquet.lab.zone import dhcp_range, reverse_domain, reverse_zones, zone_name, zone_records

BASE = """
name = "mini"
[nodes.pc]
[nodes.pc2]
[nodes.gw]
kind = "router"
{gw}
[nodes.srv]
{srv}
[[links]]
name = "lan"
nodes = ["pc", "pc2", "gw"]
subnet = "192.0.2.0/24"
address = {{ pc = 100, pc2 = 150, gw = 254 }}
[[links]]
name = "up"
nodes = ["gw", "srv"]
"""


def mini(gw: str = "", srv: str = "", extra: str = "") -> str:
    return extra + BASE.format(gw=gw, srv=srv)


@pytest.mark.parametrize(("gw", "srv", "extra", "message"), [
    ('servers = ["ftp"]', "", "", "server 'ftp' unknown"),
    ('servers = ["dhcp"]', "", "", "dhcp names the LAN it serves"),
    ('servers = ["ntp:lan"]', "", "", "only dhcp takes a link"),
    ('servers = ["ntp", "ntp"]', "", "", "declared twice"),
    ('servers = "ntp"', "", "", "servers is a list"),
    ('servers = ["dhcp:up"]', "", "", "gw is on no LAN named 'up'"),
    ('servers = ["dhcp:nowhere"]', "", "", "no LAN named 'nowhere'"),
    ('servers = ["resolver"]', "", "", "a resolver needs a 'dns' server"),
    ('servers = ["ntp"]', 'servers = ["ntp"]', "", "already runs on gw"),
    ("", "", 'zone = "Not A Zone"\n', "zone 'Not A Zone'"),
    ('servers = ["dns", "resolver"]', "", "", "both need port 53"),
    ("", 'servers = ["http"]\nservices = ["http:80"]', "", "needs tcp port 80"),
    ("", 'servers = ["snmp"]\nservices = ["udp:161"]', "", "needs udp port 161"),
])
def test_bad_servers_are_one_line_errors(gw: str, srv: str, extra: str, message: str) -> None:
    with pytest.raises(LabError, match=message) as info:
        parse(mini(gw, srv, extra), "mini.toml")
    assert "\n" not in str(info.value)


def test_zone_defaults_to_the_lab_name() -> None:
    topo = parse(mini('servers = ["resolver"]', 'servers = ["dns"]'))
    assert zone_name(topo) == "mini.example"
    assert zone_name(parse(mini(extra='zone = "lab.example"\n'))) == "lab.example"


def test_dhcp_range_avoids_every_static_address() -> None:
    topo = parse(mini('servers = ["dhcp:lan"]'))
    first, last = dhcp_range(topo, "lan")
    pool = range(int(ipaddress.ip_address(first)), int(ipaddress.ip_address(last)) + 1)
    assert len(pool) == 100
    statics = {int(ipaddress.ip_address(a)) for n in topo.nodes for a in topo.addresses(n, 4)}
    assert not statics & set(pool)
    assert all(ipaddress.ip_address(a) in ipaddress.ip_network("192.0.2.0/24")
               for a in (first, last))
    conf = dnsmasq_dhcp_conf(topo, "gw", "lan", Path("/s"), Path("/s/log"))
    assert f"dhcp-range={first},{last},255.255.255.0,1h" in conf.splitlines()
    assert "dhcp-option=option:router,192.0.2.254" in conf.splitlines()
    assert "interface=eth0" in conf.splitlines()


def test_a_small_lan_gets_what_is_left() -> None:
    text = mini('servers = ["dhcp:lan"]').replace('subnet = "192.0.2.0/24"',
                                                   'subnet = "192.0.2.0/29"')
    text = text.replace("pc = 100, pc2 = 150, gw = 254", "pc = 2, pc2 = 3, gw = 1")
    assert dhcp_range(parse(text), "lan") == ("192.0.2.4", "192.0.2.6")


def test_reverse_domains_hold_the_addresses_pointers() -> None:
    topo = load("tp")
    zones = reverse_zones(topo)
    for node in topo.nodes:
        for address in topo.addresses(node):
            pointer = ipaddress.ip_address(address).reverse_pointer
            assert sum(pointer.endswith("." + reverse_domain(z)) for z in zones) == 1, address


def test_the_zone_names_every_address_once_with_its_pointer() -> None:
    topo = load("tp")
    records = zone_records(topo)
    ptr = {r.name: r.value for r in records if r.type == "PTR"}
    for node in topo.nodes:
        for address in topo.addresses(node):
            assert ptr[ipaddress.ip_address(address).reverse_pointer + "."] == \
                f"{node}.tp.example."
    assert len(ptr) == sum(len(topo.addresses(n)) for n in topo.nodes)


def test_the_resolver_forwards_the_zone_and_its_reverse_zones_only() -> None:
    conf = dnsmasq_resolver_conf(load("tp"), "gateway", Path("/s"), Path("/s/log"))
    forwards = sorted(line for line in conf.splitlines() if line.startswith("server="))
    assert forwards == sorted([
        "server=/tp.example/203.0.113.10",
        "server=/2.0.192.in-addr.arpa/203.0.113.10",
        "server=/100.51.198.in-addr.arpa/203.0.113.10",
        "server=/113.0.203.in-addr.arpa/203.0.113.10",
        "server=/0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa/203.0.113.10",
    ])
    assert "no-resolv" in conf.splitlines()  # nothing beyond the lab


def test_every_server_file_lives_in_the_state_directory(tmp_path: Path) -> None:
    topo = load("tp")
    daemons = plan(topo, tmp_path)
    assert sorted((d.node, d.name, d.program) for d in daemons) == [
        ("gateway", "dhcp", "dnsmasq"), ("gateway", "resolver", "dnsmasq"),
        ("server", "dns", "dnsmasq"), ("server", "ntp", "chronyd"),
        ("server", "snmp", "snmpd"), ("server", "web", "nginx")]
    for daemon in daemons:
        for path, text in daemon.files.items():
            assert path.is_relative_to(tmp_path)
            words = [w for line in text.splitlines() for w in line.split()
                     if not line.startswith(("server=/", "rebind-domain-ok=/"))]
            for word in words:
                for part in word.replace("=", " ").replace(",", " ").split():
                    if part.startswith("/") and part != "/":
                        assert Path(part.rstrip(";")).is_relative_to(tmp_path), (daemon, part)
        assert daemon.log.is_relative_to(tmp_path / "logs" / daemon.node)
        for arg in daemon.argv:
            if "/" in arg:
                assert Path(arg.split("=", 1)[-1]).is_relative_to(tmp_path)


def test_configurations_carry_the_lab_values() -> None:
    topo = load("tp")
    snmp = snmpd_conf(topo, "server", Path("/s")).splitlines()
    assert "agentAddress udp:203.0.113.10:161,udp6:[2001:db8:0:2::a]:161" in snmp
    assert "rocommunity public default" in snmp and "sysName server.tp.example" in snmp
    chrony = chrony_conf(topo, Path("/s")).splitlines()
    assert {"local stratum 10", "cmdport 0", "allow 192.0.2.0/24"} <= set(chrony)
    web = nginx_conf(topo, "server", ("http", "https"), Path("/s"), Path("/l"))
    assert "listen 443 ssl http2;" in web and "server_name www.tp.example server.tp.example;" \
        in web
    resolv = resolv_conf(topo, "tp", "server")
    assert resolv is not None
    assert resolv.splitlines()[1:] == ["search tp.example", "nameserver 203.0.113.1",
                                       "nameserver 2001:db8:0:2::1"]
    assert resolv_conf(load("chain"), "chain", "client") is None


def test_an_unwritable_etc_netns_is_a_warning_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from paquet.lab import servers

    def read_only(ns: str, name: str, text: str) -> Path:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(servers, "write_netns_file", read_only)
    topo = load("tp")
    problems = servers.write_node_files(topo, "tp", tmp_path, {"client": "pq-tp-client"})
    assert problems == [
        "client: /etc/netns/pq-tp-client/resolv.conf not written (Read-only file system): "
        "the node uses the host's /etc/resolv.conf",
        "client: /etc/netns/pq-tp-client/snmp/snmp.conf not written (Read-only file system): "
        "the node uses the host's /etc/snmp/snmp.conf"]
