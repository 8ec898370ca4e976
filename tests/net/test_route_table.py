"""Scapy's table edits on ``conf.route`` / ``conf.route6`` (``ifadd``, ``ifchange``,
``ifdel``, ``get_if_bcast``, ``del conf.route.routes``), compared with Scapy's ``Route`` and
``Route6`` given the same table. Nothing is sent and the kernel's table is not changed."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from paquet.net.settings import KernelRoutes

scapy_all = pytest.importorskip("scapy.all")
from scapy.route import Route  # noqa: E402
from scapy.route6 import Route6  # noqa: E402

TABLE4 = [
    (0, 0, "192.0.2.254", "pqa", "192.0.2.1", 5),
    (0xC0000200, 0xFFFFFF00, "0.0.0.0", "pqa", "192.0.2.1", 0),
    (0xC6336400, 0xFFFFFF80, "0.0.0.0", "pqa", "198.51.100.7", 0),
    (0xCB007100, 0xFFFFFF00, "192.0.2.253", "pqa", "192.0.2.1", 0),
    (0xCB007107, 0xFFFFFFFF, "0.0.0.0", "pqb", "203.0.113.7", 0),
]
TABLE6 = [
    ("::", 0, "2001:db8::fe", "pqa", ["2001:db8::1"], 7),
    ("2001:db8::", 64, "::", "pqa", ["2001:db8::1"], 256),
    ("fe80::", 64, "::", "pqb", ["fe80::1"], 256),
]

EDITS4: list[tuple[str, tuple[Any, ...]]] = [
    ("ifadd", ("pqc", "198.51.100.130/25")),
    ("ifadd", ("pqc", "198.51.100.200")),
    ("ifchange", ("pqa", "192.0.2.77/26")),
    ("ifchange", ("pqb", "203.0.113.9")),
    ("ifchange", ("nothere", "203.0.113.9/24")),
    ("ifdel", ("pqa",)),
    ("ifdel", ("nothere",)),
]
EDITS6: list[tuple[str, tuple[Any, ...]]] = [
    ("ifadd", ("pqc", "2001:db8:0:1:0::5/64")),
    ("ifadd", ("pqc", "2001:db8::9")),
    ("ifchange", ("pqa", "2001:db8:1::1/48")),
    ("ifchange", ("pqb", "fe80::2")),
    ("ifdel", ("pqb",)),
]


def _pair(version: int) -> tuple[KernelRoutes, Any]:
    ours = KernelRoutes(version)
    theirs = Route() if version == 4 else Route6()
    table = TABLE4 if version == 4 else TABLE6
    ours.routes = copy.deepcopy(table)
    theirs.routes = copy.deepcopy(table)
    return ours, theirs


@pytest.mark.parametrize(("version", "edits"), [(4, EDITS4), (6, EDITS6)])
def test_table_edits_are_scapys(version: int, edits: list[tuple[str, tuple[Any, ...]]]) -> None:
    ours, theirs = _pair(version)
    for name, args in edits:
        getattr(ours, name)(*args)
        getattr(theirs, name)(*args)
        assert ours.routes == theirs.routes, (name, args)


@pytest.mark.parametrize("iface", ["pqa", "pqb", "nothere"])
def test_get_if_bcast_is_scapys(iface: str) -> None:
    ours, theirs = _pair(4)
    ours.ifadd("pqb", "198.51.100.3/30")
    theirs.ifadd("pqb", "198.51.100.3/30")
    assert ours.get_if_bcast(iface) == theirs.get_if_bcast(iface)


def test_ifadd_route_is_looked_up() -> None:
    # Scapy's lookups use its table: a route ifadd added answers for its network.
    ours, theirs = _pair(4)
    ours.ifadd("lo", "198.51.100.130/25")
    theirs.ifadd("lo", "198.51.100.130/25")
    assert ours.route("198.51.100.200") == theirs.route("198.51.100.200", verbose=0)
    ours.ifdel("lo")
    assert ours.route("198.51.100.200") != ("lo", "198.51.100.130", "0.0.0.0")


def test_patching_the_table_restores_it() -> None:
    # mock.patch on conf.route.routes deletes the patched table at its end (a campaign does).
    from unittest import mock

    ours = KernelRoutes(4)
    before = ours.routes
    with mock.patch.object(ours, "routes", []):
        assert ours.routes == []
    assert ours.routes == before


MAKE_ROUTE: list[dict[str, Any]] = [
    {"host": "10.12.13.14"},
    {"net": "10.12.13.0/24"},
    {"net": "10.12.13.5/24", "dev": "pqa"},  # the network kept as given, as Scapy
    {"net": "192.0.2.0/25", "gw": "192.0.2.1", "dev": "pqa", "metric": 4},
    {"host": "198.51.100.1", "gw": "127.0.0.1"},
]


@pytest.mark.parametrize("kwargs", MAKE_ROUTE)
def test_make_route_is_scapys(kwargs: dict[str, Any]) -> None:
    from paquet import Route as OurRoute

    assert OurRoute().make_route(**kwargs) == Route().make_route(**kwargs)


def test_own_table_add_delt_ifchange_as_scapy() -> None:
    from paquet import Route as OurRoute

    ours, theirs = OurRoute(), Route()
    assert len(ours.routes) == len(theirs.routes)
    for table in (ours, theirs):
        table.add(net="198.51.100.0/24", gw="127.0.0.1")
        table.add(net="203.0.113.0/24", gw="192.0.2.9", dev="pqz")
    assert ours.routes[-2:] == theirs.routes[-2:]
    for table in (ours, theirs):
        table.ifchange("pqz", "192.0.2.8")
    assert ours.routes[-1] == theirs.routes[-1]
    for table in (ours, theirs):
        table.ifdel("pqz")
        table.delt(net="198.51.100.0/24", gw="127.0.0.1")
    assert ours.routes == theirs.routes == ours.routes[: len(theirs.routes)]
    assert ours.route("198.51.100.1") == theirs.route("198.51.100.1", verbose=0)


ASSIGNED = [
    (0xFFFFFFFF, 0xFFFFFFFF, "0.0.0.0", "pqw", "", 281),
    (0xFFFFFFFF, 0xFFFFFFFF, "0.0.0.0", "pqa", "192.0.2.119", 281),
    (0xE0000000, 0xF0000000, "0.0.0.0", "lo", "", 291),
    (0xE0000000, 0xF0000000, "0.0.0.0", "pqa", "198.51.100.1", 281),
    (0xC00002FF, 0xFFFFFFFF, "0.0.0.0", "pqa", "198.51.100.2", 281),
    (0xC0000277, 0xFFFFFFFF, "0.0.0.0", "pqa", "198.51.100.3", 281),
    (0xC0000200, 0xFFFFFF00, "0.0.0.0", "pqa", "198.51.100.4", 281),
    (0xCB007100, 0xFFFFFF00, "192.0.2.5", "pqb", "0.0.0.0", 3),
    (0, 0, "192.0.2.254", "pqa", "0.0.0.0", 25),
]
LOOKUPS: list[tuple[str | None, str | None]] = [
    ("192.0.2.0-10", None), ("192.0.2.119", None), ("224.0.0.0", None),
    ("255.255.255.255", None), ("*", None), ("203.0.113.9", None), (None, None),
    ("192.0.2.*", "pqa"), ("192.0.2.9", "pqz"), ("198.51.100.9/24", None),
]


@pytest.mark.parametrize(("dst", "dev"), LOOKUPS)
def test_lookups_in_an_assigned_table_are_scapys(dst: str | None, dev: str | None) -> None:
    ours, theirs = KernelRoutes(4), Route()
    ours.routes = list(ASSIGNED)
    theirs.routes = list(ASSIGNED)
    theirs.invalidate_cache()
    from paquet import conf

    saved = scapy_all.conf.loopback_name
    scapy_all.conf.loopback_name = conf.loopback_name
    try:
        assert ours.route(dst, dev=dev) == theirs.route(dst, dev=dev, verbose=0)
    finally:
        scapy_all.conf.loopback_name = saved
