"""Topology files: parsing, validation errors, address numbering, routes (no root needed)."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet.cli.main import main
from paquet.errors import LabError
from paquet.lab.builder import lab_map, nft_ruleset, tc_batch
from paquet.lab.topology import DOC_V4, DOC_V6, builtin_names, load, parse

MINI = """
name = "mini"
[nodes.a]
[nodes.r]
kind = "router"
[nodes.b]
[[links]]
nodes = ["a", "r"]
[[links]]
nodes = ["r", "b"]
"""


def all_addresses(topo):  # type: ignore[no-untyped-def]
    return [a for node in topo.nodes for a in topo.addresses(node)]


def test_builtins_are_listed() -> None:
    assert builtin_names() == ["chain", "ecmp", "firewall", "lossy", "tp"]


@pytest.mark.parametrize("name", ["tp", "chain", "ecmp", "lossy", "firewall"])
def test_builtins_use_documentation_ranges_only(name: str) -> None:
    topo = load(name)
    addrs = [ipaddress.ip_address(a) for a in all_addresses(topo)]
    assert addrs
    assert len(set(addrs)) == len(addrs)
    for a in addrs:
        if a.version == 4:
            assert any(a in net for net in DOC_V4), a
        else:
            assert a in DOC_V6, a
    for node, itfs in topo.interfaces.items():
        names = [i.name for i in itfs]
        assert len(set(names)) == len(names)
        assert all(len(n) <= 15 for n in names), node


def test_tp_plan_matches_the_documented_one() -> None:
    topo = load("tp")
    assert topo.addresses("client") == ["192.0.2.10", "2001:db8:0:1::a"]
    assert topo.addresses("gateway", 4) == ["192.0.2.254", "203.0.113.1", "198.51.100.1"]
    assert topo.addresses("server", 4) == ["203.0.113.10"]
    assert topo.addresses("remote", 4) == ["203.0.113.138"]
    assert {s.key for s in topo.nodes["server"].services} == {"udp:10000", "tcp:10000"}
    assert all(s.echo for s in topo.nodes["server"].services)
    # nginx serves the server's HTTP (and HTTPS), next to its other real servers.
    assert [str(s) for s in topo.nodes["server"].servers] == ["dns", "http", "https", "ntp",
                                                              "snmp"]
    assert [str(s) for s in topo.nodes["gateway"].servers] == ["resolver", "dhcp:lan"]
    assert topo.zone == "tp.example"
    client_routes = [(r.family, r.dst, r.via) for r in topo.routes["client"]]
    assert client_routes == [(4, "default", ("192.0.2.254",)),
                             (6, "default", ("2001:db8:0:1::fe",))]
    gateway = {(r.dst, r.via) for r in topo.routes["gateway"] if r.family == 4}
    assert ("203.0.113.128/26", ("198.51.100.2",)) in gateway


def test_chain_parameter_and_shorthand() -> None:
    assert [n for n in load("chain").nodes] == ["client", "r1", "r2", "r3", "server"]
    eight = load("chain:8")
    assert len([n for n, s in eight.nodes.items() if s.kind == "router"]) == 8
    assert load("chain", n=8).addresses("server") == eight.addresses("server")
    one = load("chain", n=1)
    assert [r.via for r in one.routes["server"] if r.family == 4] == [("203.0.113.1",)]
    with pytest.raises(LabError, match=r"1\.\.60"):
        load("chain", n=0)
    with pytest.raises(LabError, match="no parameter 'x'"):
        load("chain", x=2)


def test_ecmp_routes_have_two_next_hops_both_ways() -> None:
    topo = load("ecmp")
    left = {r.dst: r.via for r in topo.routes["left"]}
    right = {r.dst: r.via for r in topo.routes["right"]}
    assert left["203.0.113.0/24"] == ("198.51.100.2", "198.51.100.10")
    assert right["192.0.2.0/24"] == ("198.51.100.5", "198.51.100.13")
    assert len(left["2001:db8:0:6::/64"]) == 2


def test_lossy_extends_tp() -> None:
    tp, lossy = load("tp"), load("lossy")
    assert all_addresses(tp) == all_addresses(lossy)
    wan1 = next(link for link in lossy.links if link.name == "wan1")
    assert wan1.loss == {"gateway": 20.0, "r1": 20.0}
    assert wan1.rate == {"gateway": "10mbit", "r1": "10mbit"}
    assert "numgen random mod 10000 < 2000" in nft_ruleset(lossy, "x", "gateway")
    assert "tbf rate 10mbit" in tc_batch(lossy, "r1")


def test_auto_numbering_and_default_routes() -> None:
    topo = parse(MINI)
    assert [str(i.v4) for i in topo.interfaces["r"]] == ["198.51.100.2/30", "198.51.100.5/30"]
    assert [str(i.v6) for i in topo.interfaces["b"]] == ["2001:db8:0:2::2/64"]
    assert [str(r) for r in topo.routes["a"]] == ["default via 198.51.100.2",
                                                  "default via 2001:db8:0:1::2"]


def test_explicit_routes_and_addresses() -> None:
    text = MINI.replace('[nodes.a]', '[nodes.a]\nroutes = [{ to = "203.0.113.0/24", via = '
                        '"198.51.100.2" }]\nauto_routes = false')
    text += '[[links]]\nnodes = ["r", "b"]\nsubnet = "203.0.113.0/24"\n' \
        'address = { r = 254, b = "203.0.113.7" }\n'
    topo = parse(text)
    assert [str(r) for r in topo.routes["a"]] == ["203.0.113.0/24 via 198.51.100.2"]
    assert topo.addresses("b", 4) == ["198.51.100.6", "203.0.113.7"]
    assert topo.addresses("r", 4)[-1] == "203.0.113.254"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('[nodes.a]\nkind = "switch"', "kind 'switch' unknown"),
        ('[nodes.a]\nservces = []', "unknown key 'servces'"),
        ('[nodes.a]\nservices = ["udp:99999"]', "out of range"),
        ('[nodes.a]\nservices = ["ftp:21"]', "service kind 'ftp' unknown"),
        ('[nodes.a]\nservices = ["udp:53", "udp:53"]', "declared twice"),
        ('[nodes.a]\nsilent = true', "only a router can be silent"),
        ('[nodes.a]\nservices = ["tcp:80", "http:80"]', "TCP port 80 given to both"),
        ('[nodes.a]\nfirewall = { drop = ["icmp:1"] }', "protocol must be tcp or udp"),
        ('[nodes.a]\nrp_filter = "very"', "rp_filter must be one of"),
    ],
)
def test_node_errors(change: str, message: str) -> None:
    with pytest.raises(LabError, match=message):
        parse(MINI.replace("[nodes.a]", change))


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ('nodes = ["a", "zz"]', "unknown node 'zz'"),
        ('nodes = ["a"]', "at least 2"),
        ('nodes = ["a", "a"]', "appears twice"),
        ('nodes = ["a", "b"]\nsubnet = "10.0.0.0/24"', "not inside a documentation range"),
        ('nodes = ["a", "b"]\nsubnet = "192.0.2.0/31"', "documentation range"),
        ('nodes = ["a", "b"]\nipv6 = "fd00::/64"', "2001:db8::/32"),
        ('nodes = ["a", "b"]\nsubnet = "198.51.100.0/30"', "overlaps"),
        ('nodes = ["a", "b"]\nsubnet = "192.0.2.0/24"\naddress = { a = 300 }', "does not fit"),
        ('nodes = ["a", "b"]\nsubnet = "192.0.2.0/24"\naddress = { a = "203.0.113.1" }',
         "is not in"),
        ('nodes = ["a", "b"]\nloss = 130', "percentage"),
        ('nodes = ["a", "b"]\nrate = "fast"', "tc rate"),
        ('nodes = ["a", "b"]\njitter = "5ms"', "jitter without a delay"),
        ('nodes = ["a", "b"]\nloss = { r = 5 }', "not on this link"),
    ],
)
def test_link_errors(link: str, message: str) -> None:
    text = MINI.replace('[[links]]\nnodes = ["a", "r"]', '[[links]]\nnodes = ["a", "r"]\n'
                        'subnet = "198.51.100.0/30"')
    with pytest.raises(LabError, match=message):
        parse(text + "[[links]]\n" + link + "\n")


def test_toml_syntax_error_names_the_source() -> None:
    with pytest.raises(LabError, match=r"^my\.toml: not valid TOML"):
        parse("[nodes", source="my.toml")


def test_unknown_builtin_and_missing_file() -> None:
    with pytest.raises(LabError, match="no built-in lab 'nope'"):
        load("nope")
    with pytest.raises(LabError, match="cannot read topology"):
        load("/nonexistent/x.toml")


def test_exhausted_ranges_are_reported() -> None:
    nodes = "".join(f"[nodes.h{i}]\n" for i in range(5))
    links = "".join(f'[[links]]\nnodes = ["h{i}", "h{i + 1}"]\nsubnet = "{net}"\n'
                    for i, net in enumerate(DOC_V4))
    links += '[[links]]\nnodes = ["h3", "h4"]\n'
    with pytest.raises(LabError, match="no free IPv4 subnet"):
        parse(nodes + links)


@settings(max_examples=12, deadline=None)
@given(n=st.integers(min_value=1, max_value=60))
def test_chain_numbering_property(n: int) -> None:
    """Any chain: unique documentation addresses, every router reaches every subnet."""
    topo = load("chain", n=n)
    addrs = all_addresses(topo)
    assert len(addrs) == len(set(addrs)) == 2 * 2 * (n + 1)
    subnets = {str(link.subnet4) for link in topo.links}
    for i in range(1, n + 1):
        node = f"r{i}"
        connected = {str(itf.v4.network) for itf in topo.interfaces[node] if itf.v4}
        routed = {r.dst for r in topo.routes[node] if r.family == 4}
        assert connected | routed == subnets


def test_firewall_ruleset_text() -> None:
    topo = load("firewall")
    target = nft_ruleset(topo, "fw", "target")
    assert "tcp dport 135 counter drop" in target
    assert "tcp dport 8080 counter reject with tcp reset" in target
    assert "udp dport 514 counter reject with icmpx type port-unreachable" in target
    assert "icmp type echo-request counter drop" in target
    stealth = nft_ruleset(topo, "fw", "stealth")
    assert "icmp type time-exceeded counter drop" in stealth
    assert nft_ruleset(topo, "fw", "client") == ""


def test_map_is_json_ready() -> None:
    data = lab_map(load("tp"), "demo")
    text = json.dumps(data)
    assert '"pq-demo-client"' in text
    assert data["links"][0]["switch"] == "pq-demo-sw-lan"


def test_cli_list_and_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in rows} == set(builtin_names())
    assert main(["lab", "show", "chain", "--n", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [n["name"] for n in data["nodes"]] == ["client", "r1", "r2", "server"]


@pytest.mark.parametrize(
    "argv",
    [
        ["lab", "show", "nope"],
        ["lab", "show", "chain", "--n", "99"],
        ["lab", "show", "chain:x"],
        ["lab", "show", "tp", "--param", "n"],
    ],
)
def test_cli_errors_are_one_line_exit_2(argv: list[str],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error:")
    assert len(err.strip().splitlines()) == 1


def test_cli_show_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(MINI)
    assert main(["lab", "show", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["topology"] == "mini"
    path.write_text(MINI + "bogus = 1\n")
    assert main(["lab", "show", str(path)]) == 2
    assert "unknown key 'bogus'" in capsys.readouterr().err


def test_sysctls_follow_the_settings() -> None:
    from paquet.lab.builder import node_sysctls

    tp = load("tp")
    router = dict(node_sysctls(tp, "gateway"))
    host = dict(node_sysctls(tp, "client"))
    assert router["net.ipv4.ip_forward"] == "1" and host["net.ipv4.ip_forward"] == "0"
    assert host["net.ipv4.conf.all.rp_filter"] == "0"
    assert host["net.ipv4.icmp_ratelimit"] == "0"
    assert host["net.ipv6.fib_multipath_hash_policy"] == "1"
    realistic = parse(MINI.replace('name = "mini"', 'name = "mini"\nicmp_ratelimit = "kernel"'))
    assert "net.ipv4.icmp_ratelimit" not in dict(node_sysctls(realistic, "a"))
    strict = parse(MINI.replace('kind = "router"', 'kind = "router"\nrp_filter = "strict"'))
    assert dict(node_sysctls(strict, "r"))["net.ipv4.conf.default.rp_filter"] == "1"
    assert "fib saddr . iif oif missing counter drop" in nft_ruleset(strict, "x", "r")


def test_loss_on_a_lan_is_applied_in_its_switch() -> None:
    from paquet.lab.builder import switch_ruleset

    text = MINI + '[nodes.c]\n[[links]]\nname = "lan"\nnodes = ["a", "b", "c"]\n' \
        'loss = { c = 12.5 }\n'
    topo = parse(text)
    rules = switch_ruleset(topo, "x", "lan")
    assert 'hook ingress device "c"' in rules
    assert "numgen random mod 10000 < 1250" in rules
    assert 'device "a"' not in rules
    assert "loss_" not in nft_ruleset(topo, "x", "a")


def test_extends_updates_links_and_nodes_by_name() -> None:
    base = load("tp")
    text = 'extends = "tp"\nname = "tp2"\n[nodes.client]\nservices = ["udp:7"]\n' \
        '[[links]]\nname = "dmz"\nloss = { server = 5 }\n'
    topo = parse(text)
    assert topo.addresses("server") == base.addresses("server")
    assert [s.key for s in topo.nodes["client"].services] == ["udp:7"]
    assert next(link for link in topo.links if link.name == "dmz").loss == {"server": 5.0}


def test_up_without_root_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert main(["lab", "up", "chain:1", "--name", "noroot"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "paquet: error: the lab needs root (network namespaces, veths, nftables)"


def test_routes_on_a_lan_with_two_routers_and_no_transit_through_hosts() -> None:
    text = """
[nodes.h]
[nodes.ra]
kind = "router"
[nodes.rb]
kind = "router"
[nodes.x]
[nodes.y]
[nodes.dual]
[[links]]
name = "lan"
nodes = ["h", "ra", "rb"]
subnet = "192.0.2.0/24"
[[links]]
name = "na"
nodes = ["ra", "x", "dual"]
subnet = "198.51.100.0/28"
[[links]]
name = "nb"
nodes = ["rb", "y", "dual"]
subnet = "203.0.113.0/28"
"""
    topo = parse(text)
    h = {r.dst: r.via for r in topo.routes["h"] if r.family == 4}
    assert h == {"198.51.100.0/28": ("192.0.2.2",), "203.0.113.0/28": ("192.0.2.3",)}
    # ra reaches nb through rb (on the LAN), never through the host "dual" it shares na with.
    ra = {r.dst: r.via for r in topo.routes["ra"] if r.family == 4}
    assert ra == {"203.0.113.0/28": ("192.0.2.3",)}
    # x is a host with a single router: a default route.
    assert [str(r) for r in topo.routes["x"] if r.family == 4] == ["default via 198.51.100.1"]


def test_route_batch_lines() -> None:
    from paquet.lab.builder import route_batch

    lines = route_batch(load("ecmp"), "left").splitlines()
    assert "route replace 203.0.113.0/24 nexthop via 198.51.100.2 nexthop via 198.51.100.10" \
        in lines
    assert route_batch(load("tp"), "client").splitlines() == [
        "route replace 0.0.0.0/0 via 192.0.2.254", "route replace ::/0 via 2001:db8:0:1::fe"]
