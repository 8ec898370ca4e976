"""``plan.split`` counts before it builds; ``plan.iter_split`` streams; both agree with the
stdlib's ``ipaddress`` (the reference) on what the subnets are."""

from __future__ import annotations

import ipaddress
import time
from itertools import islice

import pytest

from paquet import plan
from paquet.errors import AddressError


@pytest.mark.parametrize(("network", "count"), [
    ("0.0.0.0/0", 16_777_216), ("::/0", 2**32), ("10.0.0.0/8", plan.SPLIT_LIMIT + 1),
])
def test_a_split_past_the_limit_is_refused_at_once(network: str, count: int) -> None:
    start = time.monotonic()
    with pytest.raises(AddressError, match=f"more than {plan.SPLIT_LIMIT}"):
        plan.split(network, count)
    assert time.monotonic() - start < 5.0  # counted (ms), not built (16,777,216 took over a minute)


def test_the_limit_itself_is_made() -> None:
    subnets = plan.split("10.0.0.0/8", plan.SPLIT_LIMIT)
    parent = ipaddress.ip_network("10.0.0.0/8")
    assert subnets == list(parent.subnets(new_prefix=24))


@pytest.mark.parametrize(("network", "count", "prefix"), [
    ("::/0", 2**32, 32), ("0.0.0.0/0", 2**24, 24), ("0.0.0.0/0", 3, 2), ("::/0", 2, 1),
])
def test_iter_split_streams_the_stdlib_s_subnets(network: str, count: int, prefix: int) -> None:
    parent = ipaddress.ip_network(network)
    got = list(islice(plan.iter_split(network, count), 1000))
    want = list(islice(parent.subnets(new_prefix=prefix), min(count, 1000)))
    assert got == want
    assert all(n.version == parent.version for n in got)  # ::/0's first is ::/32, not 0.0.0.0/32


@pytest.mark.parametrize(("network", "count"), [("::/0", 2**129), ("192.0.2.0/24", 0),
                                                ("192.0.2.0/24", 512)])
def test_iter_split_checks_before_the_first(network: str, count: int) -> None:
    with pytest.raises(AddressError):
        plan.iter_split(network, count)  # no next(): the error comes with the call


def test_the_zero_network_of_ipv6_stays_ipv6() -> None:
    """``ipaddress.ip_network((0, 27))`` is IPv4: ::/0's first subnets came out as 0.0.0.0/N."""
    from paquet.addr import nth_subnet

    whole = ipaddress.IPv6Network("::/0")
    assert plan.supernet(["::/1", "8000::/1"]) == whole
    assert nth_subnet("::/0", 16, 0) == next(whole.subnets(new_prefix=16))
    first = plan.vlsm("::/0", [2**100]).allocations[0].network
    assert first == ipaddress.IPv6Network("::/27")  # 2**101 addresses: a /27
    assert first.num_addresses >= 2**100 + 2


def test_a_plan_too_large_says_so_in_one_short_line() -> None:
    with pytest.raises(AddressError) as exc:
        plan.vlsm("192.0.2.0/24", [1] * 2000)
    text = str(exc.value)
    assert "\n" not in text and len(text) < 300 and "(2000 in all)" in text
