"""Subnet plans: equal splits, VLSM and summaries; disjoint, inside the parent, exact covers."""

from __future__ import annotations

import ipaddress
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paquet import addr, plan
from paquet.errors import AddressError


def addresses_of(networks: list[ipaddress.IPv4Network]) -> set[int]:
    return {
        a for n in networks for a in range(int(n.network_address), int(n.broadcast_address) + 1)
    }


def test_course_vlsm() -> None:
    result = plan.vlsm("192.0.2.0/24", [100, 50, 20, 2])
    assert [str(a.network) for a in result.allocations] == [
        "192.0.2.0/25",
        "192.0.2.128/26",
        "192.0.2.192/27",
        "192.0.2.224/30",
    ]
    assert [a.name for a in result.allocations] == ["A", "B", "C", "D"]
    assert [a.capacity for a in result.allocations] == [126, 62, 30, 2]
    assert [str(n) for n in result.free] == ["192.0.2.228/30", "192.0.2.232/29", "192.0.2.240/28"]
    first = result.allocations[0]
    assert (str(first.first_host), str(first.last_host), str(first.broadcast)) == (
        "192.0.2.1",
        "192.0.2.126",
        "192.0.2.127",
    )
    data = result.to_dict()
    assert data["used_addresses"] == 228 and data["allocations"][3]["unused"] == 0


def test_vlsm_sorts_largest_first_and_keeps_names() -> None:
    result = plan.vlsm("198.51.100.0/24", {"link": 2, "lan": 100, "wifi": 50})
    assert [(a.name, a.network.prefixlen) for a in result.allocations] == [
        ("lan", 25),
        ("wifi", 26),
        ("link", 30),
    ]
    p2p = plan.vlsm("198.51.100.0/24", {"link": 2}, point_to_point=True)
    assert p2p.allocations[0].network.prefixlen == 31
    assert p2p.allocations[0].broadcast is None


def test_vlsm_does_not_fit() -> None:
    with pytest.raises(AddressError) as info:
        plan.vlsm("192.0.2.0/26", {"lan": 40, "wifi": 30})
    assert str(info.value) == (
        "192.0.2.0/26 (64 addresses) cannot hold 40, 30 hosts: they need 64 + 32 = 96 addresses"
    )
    with pytest.raises(AddressError, match="cannot hold 300 hosts"):
        plan.vlsm("192.0.2.0/24", [300])
    with pytest.raises(AddressError, match="at least one host count"):
        plan.vlsm("192.0.2.0/24", [])
    with pytest.raises(AddressError, match="at least 1"):
        plan.vlsm("192.0.2.0/24", [0])


def test_vlsm_names_past_z() -> None:
    result = plan.vlsm("10.0.0.0/8", [1] * 28)
    assert [a.name for a in result.allocations][-3:] == ["Z", "AA", "AB"]


@settings(deadline=None)
@given(st.integers(16, 28), st.lists(st.integers(1, 600), min_size=1, max_size=6), st.booleans())
def test_vlsm_properties(parent_prefix: int, hosts: list[int], p2p: bool) -> None:
    parent = ipaddress.ip_network((0xC6120000, parent_prefix))  # inside 198.18.0.0/15
    blocks = [2 ** (32 - addr.prefix_for_hosts(h, point_to_point=p2p)) for h in hosts]
    if sum(blocks) > parent.num_addresses:
        with pytest.raises(AddressError, match="cannot hold"):
            plan.vlsm(parent, hosts, point_to_point=p2p)
        return
    result = plan.vlsm(parent, hosts, point_to_point=p2p)
    nets = [a.network for a in result.allocations]
    assert sorted(a.hosts for a in result.allocations) == sorted(hosts)
    for allocation in result.allocations:
        assert allocation.network.subnet_of(parent)
        assert allocation.capacity >= allocation.hosts
        assert allocation.network.prefixlen == addr.prefix_for_hosts(
            allocation.hosts, point_to_point=p2p
        )
    assert [n.num_addresses for n in nets] == sorted((n.num_addresses for n in nets), reverse=True)
    for a, b in combinations(nets, 2):
        assert not a.overlaps(b)
    # Allocations and free space tile the parent exactly.
    for free in result.free:
        assert free.subnet_of(parent) and not any(free.overlaps(n) for n in nets)
    assert plan.summarize([*nets, *result.free]) == [parent]


@settings(deadline=None)
@given(st.integers(16, 30), st.integers(1, 64))
def test_split_properties(parent_prefix: int, count: int) -> None:
    parent = ipaddress.ip_network((0xCB007100 & ~((1 << (32 - parent_prefix)) - 1), parent_prefix))
    new_prefix = parent_prefix + (count - 1).bit_length()
    if new_prefix > 32:
        with pytest.raises(AddressError, match="cannot be split"):
            plan.split(parent, count)
        return
    subnets = plan.split(parent, count)
    assert len(subnets) == count
    assert subnets == list(parent.subnets(new_prefix=new_prefix))[:count]
    assert len({s.prefixlen for s in subnets}) == 1
    assert all(s.subnet_of(parent) for s in subnets)


def test_split_rejections() -> None:
    with pytest.raises(AddressError, match="whole number >= 1"):
        plan.split("192.0.2.0/24", 0)
    assert [str(n) for n in plan.split("2001:db8::/32", 4)][-1] == "2001:db8:c000::/34"


small_networks = st.builds(
    lambda base, prefix: ipaddress.ip_network((0xC0000200 + base, prefix), strict=False),
    st.integers(0, 255),
    st.integers(24, 32),
)


@settings(deadline=None)
@given(st.lists(small_networks, min_size=1, max_size=12))
def test_summaries_cover_exactly_the_inputs(networks: list[ipaddress.IPv4Network]) -> None:
    summary = plan.summarize(networks)
    assert addresses_of(summary) == addresses_of(networks)  # nothing more, nothing less
    for a, b in combinations(summary, 2):
        assert not a.overlaps(b)
    # Fewest prefixes: no two of them are the halves of one larger prefix.
    for a, b in combinations(summary, 2):
        if a.prefixlen == b.prefixlen and a.prefixlen > 0:
            assert a.supernet() != b.supernet()
    cover = plan.supernet(networks)
    assert all(n.subnet_of(cover) for n in networks)
    if cover.prefixlen < 32:
        halves = list(cover.subnets())
        assert not any(all(n.subnet_of(h) for n in networks) for h in halves)


def test_summaries_mixed_versions_and_errors() -> None:
    assert [
        str(n) for n in plan.summarize(["2001:db8::/33", "2001:db8:8000::/33", "192.0.2.1/32"])
    ] == ["192.0.2.1/32", "2001:db8::/32"]
    with pytest.raises(AddressError, match="IPv4 and IPv6"):
        plan.supernet(["192.0.2.0/24", "2001:db8::/32"])
    with pytest.raises(AddressError, match="no network"):
        plan.supernet([])
    assert str(plan.supernet(["192.0.2.0/24", "198.51.100.0/24"])) == "192.0.0.0/5"


def test_ipv6_plans_use_64_bit_lans() -> None:
    result = plan.vlsm("2001:db8::/48", {"lan": 1000, "dmz": 10, "link": 2})
    assert [(a.name, str(a.network)) for a in result.allocations] == [
        ("lan", "2001:db8::/64"),
        ("dmz", "2001:db8:0:1::/64"),
        ("link", "2001:db8:0:2::/64"),
    ]
    p2p = plan.vlsm("2001:db8::/48", {"lan": 1000, "link": 2}, point_to_point=True)
    assert str(p2p.allocations[1].network) == "2001:db8:0:1::/127"
    huge = plan.vlsm("2001:db8::/32", [2**70])
    assert huge.allocations[0].network.prefixlen == 128 - 71
    with pytest.raises(AddressError, match="cannot hold"):
        plan.vlsm("2001:db8::/63", [1, 1, 1])
