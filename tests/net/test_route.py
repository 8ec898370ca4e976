"""Routes, source selection, neighbours and the resolver, checked against iproute2 and pyroute2."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from pqnet_helpers import Net, ns_exec

from paquet.errors import NetworkError
from paquet.net import netlink, route
from paquet.net.neighbour import (
    arp_request,
    link_addresses,
    multicast_mac,
    neighbour_solicitation,
    resolve_mac,
)
from paquet.net.resolver import SystemResolver


def _ip_route_get(dst: str) -> dict[str, str]:
    out = subprocess.run(
        ["ip", "-j", "route", "get", dst], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)[0]  # type: ignore[no-any-return]


def test_loopback_routes_match_iproute2() -> None:
    for dst, version in (("127.0.0.1", 4), ("::1", 6)):
        info = route.get_route(dst)
        ref = _ip_route_get(dst)
        assert info.ifname == ref["dev"] == "lo"
        assert info.src == ref["prefsrc"]
        assert info.kind == "local"
        assert route.address_version(dst) == version


def test_bad_address_and_interface_are_network_errors() -> None:
    with pytest.raises(NetworkError, match="not an IP address"):
        route.address_version("nonsense")
    with pytest.raises(NetworkError, match="no such interface"):
        route.get_route("127.0.0.1", iface="nosuchif0")
    with pytest.raises(NetworkError, match="no such interface"):
        netlink.link("x" * 20)


def test_unknown_host_is_a_network_error() -> None:
    with pytest.raises(NetworkError, match=r"unknown host 'no-such-host\.invalid'"):
        SystemResolver().resolve_host("no-such-host.invalid", 4)
    assert SystemResolver().resolve_host("localhost", 4) == "127.0.0.1"


def test_multicast_mapping_and_frames() -> None:
    assert multicast_mac("239.255.255.250") == "01:00:5e:7f:ff:fa"
    assert multicast_mac("ff02::1") == "33:33:00:00:00:01"
    from scapy.layers.inet6 import ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr, IPv6
    from scapy.layers.l2 import ARP, Ether

    # ARP who-has 192.0.2.1 tell 192.0.2.2, as Scapy builds it.
    ref = Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / ARP(
        hwsrc="02:00:00:00:00:01", psrc="192.0.2.2", pdst="192.0.2.1"
    )
    assert arp_request("02:00:00:00:00:01", "192.0.2.2", "192.0.2.1") == bytes(ref)
    # Neighbour solicitation for 2001:db8::1 from 2001:db8::2, as Scapy builds it.
    ref6 = (
        Ether(dst="33:33:ff:00:00:01", src="02:00:00:00:00:01")
        / IPv6(src="2001:db8::2", dst="ff02::1:ff00:1", hlim=255)
        / ICMPv6ND_NS(tgt="2001:db8::1")
        / ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:01")
    )
    ns = neighbour_solicitation("02:00:00:00:00:01", "2001:db8::2", "2001:db8::1")
    assert ns == bytes(ref6)


def _lookups(dsts: list[str]) -> list[tuple[str | None, str, str | None, str]]:
    out = []
    for dst in dsts:
        info = route.get_route(dst)
        out.append((info.src, info.ifname, info.gateway, info.kind))
    return out


def _pyroute2_lookups(dsts: list[str]) -> list[tuple[str | None, str, str | None, str]]:
    import socket

    from pyroute2 import IPRoute

    out = []
    with IPRoute() as ipr:
        for dst in dsts:
            r = ipr.route("get", dst=dst)[0]
            name = socket.if_indextoname(r.get_attr("RTA_OIF"))
            kind = {1: "unicast", 2: "local"}[r["type"]]
            out.append((r.get_attr("RTA_PREFSRC"), name, r.get_attr("RTA_GATEWAY"), kind))
    return out


@pytest.mark.privileged
def test_routes_in_namespace_match_pyroute2(net: Net) -> None:
    dsts = [net.server_ip, net.router_ip, net.client_ip, net.server_ip6, "127.0.0.1"]
    ours = net.run(net.client, _lookups, dsts)
    ref = net.run(net.client, _pyroute2_lookups, dsts)
    assert ours == ref
    assert ours[0] == (net.client_ip, "pqc0", net.router_ip, "unicast")


def _policy(dst: str) -> tuple[str | None, str | None]:
    route.clear_cache()
    info = route.get_route(dst)
    return info.src, info.gateway


@pytest.mark.privileged
def test_policy_routing_and_preferred_source_are_respected(net: Net) -> None:
    # A second address, preferred for the server's /32 through a rule in table 100.
    ns_exec(net.client, "ip", "addr", "add", "198.51.100.77/24", "dev", "pqc0")
    ns_exec(
        net.client, "ip", "route", "add", f"{net.server_ip}/32", "via", net.router_ip,
        "src", "198.51.100.77", "table", "100",
    )
    ns_exec(net.client, "ip", "rule", "add", "to", f"{net.server_ip}/32", "lookup", "100")
    try:
        assert net.run(net.client, _policy, net.server_ip) == ("198.51.100.77", net.router_ip)
        assert net.run(net.client, _policy, net.router_far)[0] == net.client_ip
    finally:
        ns_exec(net.client, "ip", "rule", "del", "to", f"{net.server_ip}/32", "lookup", "100")
        ns_exec(net.client, "ip", "route", "flush", "table", "100")
        ns_exec(net.client, "ip", "addr", "del", "198.51.100.77/24", "dev", "pqc0")


def _no_route(dst: str) -> str:
    try:
        route.get_route(dst)
    except NetworkError as exc:
        return str(exc)
    return "no error"


@pytest.mark.privileged
def test_no_route_is_one_line(net: Net) -> None:
    message = net.run(net.router, _no_route, "192.0.2.99")
    assert message.startswith("no route to 192.0.2.99")
    assert "\n" not in message


def _macs(dsts: list[str]) -> list[tuple[str, str] | None]:
    import subprocess as sp

    sp.run(["ip", "neigh", "flush", "all"], check=True)
    return [link_addresses(d) for d in dsts]


def _mac_of(dev: str) -> str:
    return netlink.link(dev).mac


@pytest.mark.privileged
def test_link_addresses_resolve_next_hop_by_arp_and_ns(net: Net) -> None:
    client_mac = net.run(net.client, _mac_of, "pqc0")
    router_mac = net.run(net.router, _mac_of, "pqr0")
    got = net.run(net.client, _macs, [net.server_ip, net.router_ip, net.server_ip6, "127.0.0.1"])
    assert got[0] == (client_mac, router_mac)  # the gateway's MAC for a remote host
    assert got[1] == (client_mac, router_mac)
    assert got[2] == (client_mac, router_mac)  # IPv6: neighbour solicitation to the router
    assert got[3] == ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff")  # loopback: as Scapy


def _resolve_absent(ip: str) -> tuple[str | None, str | None, int]:
    from paquet.net import neighbour

    asked = []
    solicit = neighbour._solicit

    def counting(*args: Any) -> str | None:
        asked.append(args[0])
        return solicit(*args)

    neighbour._solicit = counting
    first = resolve_mac(ip, timeout=0.3, retry=0)
    second = resolve_mac(ip, timeout=0.3, retry=0)  # remembered: no second request
    return first, second, len(asked)


@pytest.mark.privileged
def test_absent_neighbour_gives_none_and_is_remembered(net: Net) -> None:
    assert net.run(net.client, _resolve_absent, "198.51.100.200") == (None, None, 1)


def _resolver_source(dst: str, version: int) -> str | None:
    return SystemResolver().source_address(dst, version)


@pytest.mark.privileged
def test_resolver_source_address(net: Net) -> None:
    assert net.run(net.client, _resolver_source, net.server_ip, 4) == net.client_ip
    assert net.run(net.client, _resolver_source, net.server_ip6, 6) == net.client_ip6
    assert net.run(net.router, _resolver_source, "192.0.2.99", 4) is None


RESOLVER_CHILD = """
from paquet.layers import IP, ICMP, Ether
before = IP(dst="{dst}").src
{imp}
after = IP(dst="{dst}").src
frame = Ether() / IP(dst="{dst}") / ICMP()
print(before, after, frame.src, frame.dst)
"""


@pytest.mark.privileged
@pytest.mark.parametrize("imp", ["from paquet import *", "import paquet.net.sendrecv"])
def test_the_system_resolver_answers_whatever_was_imported(net: Net, imp: str) -> None:
    import sys

    code = RESOLVER_CHILD.format(dst=net.server_ip, imp=imp)
    out = ns_exec(net.client, sys.executable, "-c", code).stdout.split()
    client_mac = net.run(net.client, _mac_of, "pqc0")
    router_mac = net.run(net.router, _mac_of, "pqr0")
    # The system resolver answers by default, before the network layer is imported as after.
    assert out == [net.client_ip, net.client_ip, client_mac, router_mac]


def _conf_answers(dst: str) -> tuple[Any, ...]:
    from paquet.net.conf import conf
    from paquet.net.sockets import L3RawSocket

    conf.L3socket = L3RawSocket  # the course's loopback work-around: accepted, changes nothing
    return conf.iface, conf.route.route(), conf.route.route(dst), conf.route6.route()


@pytest.mark.privileged
def test_conf_iface_and_routes_like_scapy(net: Net) -> None:
    iface, default, to_server, default6 = net.run(net.client, _conf_answers, net.server_ip)
    assert iface == "pqc0"
    assert default == ("pqc0", net.client_ip, net.router_ip)
    assert to_server == ("pqc0", net.client_ip, net.router_ip)
    assert default6 == ("pqc0", net.client_ip6, "2001:db8:1::1")


def _many_routes(dsts: list[str]) -> list[tuple[str, str | None, str | None]]:
    route.clear_cache()
    out = []
    for dst in dsts:
        try:
            info = route.get_route(dst)
        except NetworkError:
            out.append(("unreachable", None, None))
            continue
        out.append((info.ifname, info.gateway, info.src))
    return out


@pytest.mark.privileged
def test_route_lookups_agree_with_ip_route_get(net: Net) -> None:
    import random

    rng = random.Random(6)
    dsts = ["127.0.0.1", "::1", net.router_ip, net.client_ip, "2001:db8:1::1"]
    for prefix in ("192.0.2", "198.51.100", "203.0.113"):
        dsts += [f"{prefix}.{rng.randrange(1, 255)}" for _ in range(8)]
    dsts += [f"2001:db8:{rng.randrange(0, 4)}::{rng.randrange(1, 65535):x}" for _ in range(10)]
    # The router has no default route: some of these are unreachable from it.
    for ns in (net.client, net.router):
        ours = net.run(ns, _many_routes, dsts)
        for dst, got in zip(dsts, ours, strict=True):
            done = ns_exec(ns, "ip", "-j", "route", "get", dst, check=False)
            if done.returncode != 0:
                assert got[0] == "unreachable", (ns, dst, got)
                continue
            ref = json.loads(done.stdout)[0]
            assert got == (ref["dev"], ref.get("gateway"), ref.get("prefsrc")), (ns, dst)
