"""chain, ecmp, firewall, impairments and reverse-path filtering, against the system tools."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from lab_helpers import spoofed_udp, spoofed_udp6, udp_burst, udp_exchange, udp_flows

from paquet.errors import LabError
from paquet.lab import Lab, netem_available
from paquet.lab.netns import list_namespaces
from paquet.lab.state import ns_prefix
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged


def _hops(output: str) -> list[str]:
    return re.findall(r"^\s*\d+\s+(\S+)", output, re.M)


@pytest.mark.parametrize("n", [1, 8])
def test_chain_traceroute_sees_n_plus_one_hops(lab_factory: LabFactory, n: int) -> None:
    lab = lab_factory("chain", n=n)
    server = lab["server"].addr()
    proc = lab["client"].exec(["traceroute", "-n", "-q1", "-w1", "-m", "20", server], check=True)
    hops = _hops(proc.stdout)
    assert len(hops) == n + 1
    assert hops[-1] == server
    assert hops[0] == "192.0.2.254"
    assert hops[:-1] == [lab[f"r{i}"].addr(link=lab[f"r{i}"].interfaces[0].link)
                         for i in range(1, n + 1)]
    proc6 = lab["client"].exec(["traceroute", "-6", "-n", "-q1", "-w1", lab["server"].addr(6)],
                               check=True)
    assert len(_hops(proc6.stdout)) == n + 1


def _tx_packets(lab: Lab, node: str) -> dict[str, int]:
    links = json.loads(lab[node].exec(["ip", "-j", "-s", "link", "show"], check=True).stdout)
    return {link["ifname"]: link["stats64"]["tx"]["packets"] for link in links}


def test_ecmp_spreads_flows_over_both_paths(lab_factory: LabFactory) -> None:
    lab = lab_factory("ecmp")
    up, down = lab["left"].iface("top"), lab["left"].iface("bottom")
    for version in (4, 6):
        before = _tx_packets(lab, "left")
        lab["server"].clear_logs("udp:10000")
        lab["client"].run(udp_flows, lab["server"].addr(version), 10000, 200)
        after = _tx_packets(lab, "left")
        via_top = after[up] - before[up]
        via_bottom = after[down] - before[down]
        assert 200 <= via_top + via_bottom <= 206  # and the first ARP / ND exchanges
        assert via_top >= 40 and via_bottom >= 40, (version, via_top, via_bottom)
        assert len(lab["server"].wait_logs("udp:10000", 200)) == 200
    # One flow keeps one path: 50 datagrams of one flow leave by one interface only (to a
    # closed port: the server's answers go back through right, not counted here). The other
    # interface may send a neighbour probe meanwhile (ARP or ND reachability), never datagrams.
    before = _tx_packets(lab, "left")
    lab["client"].run(udp_burst, lab["server"].addr(), 9, 50)
    after = _tx_packets(lab, "left")
    other, used = sorted([after[up] - before[up], after[down] - before[down]])
    assert 50 <= used <= 52 and other <= 2, (used, other)


def test_firewall_lab(lab_factory: LabFactory) -> None:
    lab = lab_factory("firewall")
    client, target = lab["client"], lab["target"].addr()
    tcp = client.exec(["nmap", "-Pn", "-n", "-sT", "-p", "22,23,80,135,445,3389,8080",
                       "--max-retries", "1", "--max-rtt-timeout", "200ms", "-oG", "-", target],
                      check=True, timeout=60)
    assert dict(re.findall(r"(\d+)/(open|closed|filtered)/tcp", tcp.stdout)) == {
        "22": "open", "80": "open", "23": "closed", "3389": "closed", "8080": "closed",
        "135": "filtered", "445": "filtered",
    }
    udp = client.exec(["nmap", "-Pn", "-n", "-sU", "-p", "123,161,514", "--max-retries", "1",
                       "--max-rtt-timeout", "200ms", "-oG", "-", target], check=True, timeout=60)
    assert dict(re.findall(r"(\d+)/([a-z|]+)/udp", udp.stdout)) == {
        "123": "closed", "514": "closed", "161": "open|filtered",
    }
    trace = client.exec(["traceroute", "-n", "-q1", "-w1", target], check=True)
    assert _hops(trace.stdout) == ["192.0.2.254", "*", target]
    assert client.exec(["ping", "-c1", "-W1", target]).returncode == 1
    assert client.exec(["ping", "-c1", "-W1", lab["stealth"].addr()]).returncode == 0
    # The lab's own checks know the target's firewall: blocked as configured is a success.
    from paquet.lab.check import run_checks, summary

    checks = run_checks(lab)
    assert all(c.ok for c in checks), summary(checks)
    details = {c.name: c.detail for c in checks}
    assert details["tcp target 203.0.113.10 port 8080 from client"] == \
        "rejected by its firewall, as configured"
    assert details["ping client -> 203.0.113.10"] == \
        "no answer: its firewall drops pings, as configured"


LOSSY = """
name = "impair"
[nodes.client]
services = ["udp:9"]
[nodes.server]
services = ["udp:9"]
[[links]]
nodes = ["client", "server"]
subnet = "192.0.2.0/24"
loss = { client = 30 }
"""


def _drop_counter(lab: Lab, node: str) -> int:
    rules = json.loads(lab[node].exec(["nft", "-j", "list", "ruleset"], check=True).stdout)
    total = 0
    for item in rules["nftables"]:
        rule = item.get("rule")
        if not rule or not rule["chain"].startswith("loss_"):
            continue
        exprs = rule["expr"]
        if any(e.get("match", {}).get("right") == "ip" for e in exprs):
            total += next(e["counter"]["packets"] for e in exprs if "counter" in e)
    return total


def test_loss_per_direction_matches_the_setting(lab_factory: LabFactory) -> None:
    lab = lab_factory(parse(LOSSY))
    client, server = lab["client"], lab["server"]
    ping = client.exec(["ping", "-q", "-n", "-c", "400", "-i", "0.002", "-W", "1",
                        server.addr()], timeout=60)
    loss = float(re.search(r"([\d.]+)% packet loss", ping.stdout).group(1))  # type: ignore[union-attr]
    assert 21 <= loss <= 39, ping.stdout
    # A UDP burst: what the server logged is what the nft counter (on arrival) did not drop.
    before = _drop_counter(lab, "server")
    client.run(udp_burst, server.addr(), 9, 1000)
    received = len(server.wait_logs("udp:9", 1000, timeout=1.5))
    dropped = _drop_counter(lab, "server") - before
    assert received + dropped == 1000
    assert 620 <= received <= 780
    # The other direction has no loss.
    lab["server"].run(udp_burst, client.addr(), 9, 300)
    assert len(client.wait_logs("udp:9", 300, timeout=2)) == 300


def test_rate_limit_shapes_with_tbf(lab_factory: LabFactory) -> None:
    text = LOSSY.replace("loss = { client = 30 }", 'rate = { client = "1mbit" }')
    lab = lab_factory(parse(text))
    qdisc = lab["client"].exec(["tc", "-s", "qdisc", "show", "dev", "eth0"], check=True).stdout
    assert "tbf" in qdisc and "rate 1Mbit" in qdisc
    assert "tbf" not in lab["server"].exec(["tc", "qdisc", "show", "dev", "eth0"]).stdout
    lab["client"].run(_big_burst, lab["server"].addr(), 9, 300)
    stats = lab["client"].exec(["tc", "-s", "qdisc", "show", "dev", "eth0"], check=True).stdout
    dropped = int(re.search(r"dropped (\d+)", stats).group(1))  # type: ignore[union-attr]
    received = len(lab["server"].wait_logs("udp:9", 300, timeout=1.5))
    assert dropped > 0
    assert received < 300


def _big_burst(dst: str, port: int, count: int) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _ in range(count):
            s.sendto(b"x" * 1400, (dst, port))


def test_delay_needs_netem(lab_factory: LabFactory) -> None:
    topo = parse(LOSSY.replace("loss = { client = 30 }", 'delay = "20ms"\njitter = "5ms"'))
    available, why = netem_available()
    if not available:
        assert why  # the kernel's reason
        with pytest.raises(LabError, match="netem"):
            lab_factory(topo, name="netemcheck")
        assert list_namespaces(ns_prefix("netemcheck")) == []
    else:
        lab = lab_factory(topo)
        assert "netem" in lab["client"].exec(["tc", "qdisc", "show", "dev", "eth0"]).stdout


RPF = """
name = "rpf"
[nodes.client]
[nodes.router]
kind = "router"
rp_filter = "MODE"
[nodes.other]
[nodes.server]
services = ["udp:7777"]
[[links]]
nodes = ["client", "router"]
subnet = "192.0.2.0/24"
[[links]]
nodes = ["other", "router"]
subnet = "203.0.113.0/24"
[[links]]
nodes = ["router", "server"]
subnet = "198.51.100.0/30"
"""


@pytest.mark.parametrize(("mode", "delivered"), [("strict", False), ("loose", True),
                                                 ("off", True)])
def test_reverse_path_filter(lab_factory: LabFactory, mode: str, delivered: bool) -> None:
    lab = lab_factory(parse(RPF.replace("MODE", mode)))
    # Forged source: an address of the *other* LAN, arriving from the client's side.
    spoofed = "203.0.113.77"
    assert lab["router"].exec(["sysctl", "-n", "net.ipv4.conf.all.rp_filter"]).stdout.strip() \
        == {"strict": "1", "loose": "2", "off": "0"}[mode]
    for _ in range(3):
        lab["client"].run(spoofed_udp, spoofed, lab["server"].addr(), 4000, 7777, b"spoof")
    # A genuine datagram afterwards: once it is logged, the spoofed ones had their chance.
    lab["client"].run(udp_exchange, lab["server"].addr(), 7777, b"genuine", 0.05)
    records = lab["server"].wait_logs("udp:7777", 4 if delivered else 1)
    sources = [r.src for r in records]
    assert sources.count(spoofed) == (3 if delivered else 0)
    assert lab["client"].addr() in sources
    # IPv6 has no rp_filter sysctl: the lab uses an nft fib rule, with the same outcome.
    spoofed6 = "2001:db8:0:2::77"
    lab["server"].clear_logs("udp:7777")
    for _ in range(3):
        lab["client"].run(spoofed_udp6, spoofed6, lab["server"].addr(6), 4000, 7777, b"spoof6")
    lab["client"].run(udp_exchange, lab["server"].addr(6), 7777, b"genuine6", 0.05)
    sources6 = [r.src for r in lab["server"].wait_logs("udp:7777", 4 if delivered else 1)]
    assert sources6.count(spoofed6) == (3 if delivered else 0)
    assert lab["client"].addr(6) in sources6


def test_loss_in_map_and_describe(lab_factory: LabFactory) -> None:
    from paquet.lab import describe

    lab = lab_factory(parse(LOSSY))
    link: dict[str, Any] = lab.map()["links"][0]
    assert link["loss"] == {"client": 30.0}
    assert "loss 30% from client" in describe(lab)


def test_lossy_builtin(lab_factory: LabFactory) -> None:
    lab = lab_factory("lossy")
    for node in ("gateway", "r1"):
        assert "numgen random mod 10000 < 2000" in lab[node].exec(["nft", "list", "ruleset"]).stdout
        qdisc = lab[node].exec(["tc", "qdisc", "show", "dev", lab[node].iface(
            "r1" if node == "gateway" else "gateway")]).stdout
        assert "rate 10Mbit" in qdisc
    ping = lab["client"].exec(["ping", "-q", "-n", "-c", "200", "-i", "0.002", "-W", "1",
                               lab["remote"].addr()], timeout=60)
    loss = float(re.search(r"([\d.]+)% packet loss", ping.stdout).group(1))  # type: ignore[union-attr]
    assert 20 <= loss <= 52, ping.stdout  # 1 - 0.8 * 0.8 = 36 %
    # The LAN is not affected.
    lan = lab["client"].exec(["ping", "-q", "-n", "-c", "50", "-i", "0.002", "-W", "1",
                              lab["gateway"].addr()], timeout=60)
    assert " 0% packet loss" in lan.stdout


ROUTER_FIREWALL = """
name = "fwd"
[nodes.client]
[nodes.fw]
kind = "router"
firewall = { drop = [80], reject = [81, "udp:53"] }
[nodes.server]
services = ["tcp:80,81,82", "udp:53"]
[[links]]
nodes = ["client", "fw"]
[[links]]
nodes = ["fw", "server"]
"""


def test_a_router_firewall_filters_what_it_forwards(lab_factory: LabFactory) -> None:
    from lab_helpers import tcp_state

    lab = lab_factory(parse(ROUTER_FIREWALL))
    client, server = lab["client"], lab["server"]
    for version in (4, 6):
        states = [client.run(tcp_state, server.addr(version), port) for port in (80, 81, 82)]
        assert states == ["filtered", "closed", "open"], version
    assert client.run(udp_exchange, server.addr(), 53, b"q", 0.3)[0] == b""
    assert server.logs("udp:53") == []  # rejected on the way: never reached the server
    # From the server's own side of the router nothing is filtered for the router itself.
    assert lab["server"].run(tcp_state, lab["fw"].addr(link=lab["fw"].interfaces[1].link),
                             22) == "closed"


def test_ipv4_only_lab(lab_factory: LabFactory) -> None:
    lab = lab_factory(parse(LOSSY.replace('name = "impair"', 'name = "v4only"\nipv6 = false')
                            .replace("loss = { client = 30 }", "")))
    client, server = lab["client"], lab["server"]
    assert client.addresses == ["192.0.2.1"]
    with pytest.raises(LabError, match="no IPv6 address"):
        client.addr(6)
    assert client.exec(["sysctl", "-n", "net.ipv6.conf.all.disable_ipv6"]).stdout.strip() == "1"
    assert "inet6" not in client.exec(["ip", "addr", "show", "eth0"]).stdout
    assert client.run(udp_exchange, server.addr(), 9, b"v4 only", 0.5)[1] == client.addr()
    assert server.wait_logs("udp:9", 1)[0].data == b"v4 only"
