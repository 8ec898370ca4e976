"""BOOTP and DHCP against Scapy: the same bytes for a table of messages, Scapy's bytes
dissected to Scapy's values and display, the options' text forms, bindings and matching."""

from __future__ import annotations

import random
import warnings
from typing import Any

import pytest
from tests.layers.dhcp_cases import CASES, CLIENT_MAC, build

import paquet
from paquet.layers import IP, UDP, Ether, Raw
from paquet.layers.dhcp import BOOTP, DHCP, DHCPOptionsField, dhcpmagic
from paquet.layers.dhcp_options import DHCPOptions, DHCPRevOptions, DHCPTypes
from paquet.packet import registry

scapy = pytest.importorskip("scapy.all")

IDS = [c[0] for c in CASES]
HEADER = ["op", "htype", "hlen", "hops", "xid", "secs", "flags", "ciaddr", "yiaddr", "siaddr",
          "giaddr", "chaddr", "sname", "file", "options"]


@pytest.mark.parametrize(("what", "bootp", "options", "ports"), CASES, ids=IDS)
def test_bytes_equal_scapy(what: str, bootp: dict[str, Any], options: list[Any] | None,
                           ports: tuple[int, int]) -> None:
    ours = bytes(build(paquet, bootp, options, ports))
    assert ours == bytes(build(scapy, bootp, options, ports)), what
    # Without the link layer and the IP layer too.
    assert bytes(build(paquet, bootp, options, ports, link=False)[UDP]) == bytes(
        build(scapy, bootp, options, ports, link=False)[scapy.UDP])


@pytest.mark.parametrize(("what", "bootp", "options", "ports"), CASES, ids=IDS)
def test_dissection_agrees_with_scapy(what: str, bootp: dict[str, Any],
                                      options: list[Any] | None,
                                      ports: tuple[int, int]) -> None:
    data = bytes(build(scapy, bootp, options, ports))
    ours, theirs = Ether(data), scapy.Ether(data)
    assert bytes(ours) == data
    mine, its = ours[BOOTP], theirs[scapy.BOOTP]
    for name in HEADER:
        assert getattr(mine, name) == getattr(its, name), name
    assert (DHCP in ours) == (scapy.DHCP in theirs)
    if DHCP in ours:
        assert ours[DHCP].options == theirs[scapy.DHCP].options
    assert ours.summary() == theirs.summary()
    assert mine.show(dump=True) == its.show(dump=True)
    assert repr(mine) == repr(its)


@pytest.mark.parametrize(("what", "bootp", "options", "ports"), CASES, ids=IDS)
def test_built_display_is_scapys(what: str, bootp: dict[str, Any], options: list[Any] | None,
                                 ports: tuple[int, int]) -> None:
    ours, theirs = build(paquet, bootp, options, ports), build(scapy, bootp, options, ports)
    assert repr(ours[BOOTP]) == repr(theirs[scapy.BOOTP])
    assert ours[BOOTP].show(dump=True) == theirs[scapy.BOOTP].show(dump=True)
    assert ours[BOOTP].summary() == theirs[scapy.BOOTP].summary()


def test_option_tables_are_scapys() -> None:
    from scapy.layers import dhcp as sdhcp

    assert DHCPTypes == sdhcp.DHCPTypes
    assert dhcpmagic == sdhcp.dhcpmagic
    assert sorted(DHCPOptions) == sorted(sdhcp.DHCPOptions)
    for code, theirs in sdhcp.DHCPOptions.items():
        ours = DHCPOptions[code]
        if isinstance(theirs, str):
            assert ours == theirs
        else:
            assert not isinstance(ours, str)
            assert (ours.name, ours.default) == (theirs.name, theirs.default), code
    assert {k: v[0] for k, v in DHCPRevOptions.items()} == {
        k: v[0] for k, v in sdhcp.DHCPRevOptions.items()}


# Option values as users write them: each built alone by both libraries.
VALUES: list[Any] = [
    ("message-type", "force_renew"), ("message-type", 13), ("message-type", 200),
    ("subnet_mask", "255.255.255.0", "255.255.0.0"), ("lease_time", 0xFFFFFFFF),
    ("param_req_list", []), ("param_req_list", 3), ("hostname", ""), ("domain", b"a.b"),
    ("client_id", b"\xff" * 20), ("classless_static_routes", "192.0.2.4/32:192.0.2.1"),
    ("classless_static_routes", ["192.0.2.0/25:192.0.2.1", "0.0.0.0/0:192.0.2.1"]),
    ("classless_static_routes", "192.0.2.0/40:192.0.2.1"), (99, b"abc"), (99, b"a", b"b"),
    "hostname", "subnet_mask", 7, b"\x01\x02", "end", "pad", ("name_server",),
    ("name_server", "192.0.2.1", "192.0.2.2", "192.0.2.3"),
]


#: Values Scapy warns about (and skips): paquet warns too.
WARNED = [("classless_static_routes", "192.0.2.0/40:192.0.2.1"), ("name_server",)]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v) for v in VALUES])
def test_each_option_built_as_scapy(value: Any) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ours = bytes(DHCP(options=[value]))
    assert bool(caught) == (value in WARNED)
    assert ours == bytes(scapy.DHCP(options=[value]))
    theirs = scapy.DHCP(ours)
    assert DHCP(ours).options == theirs.options
    assert repr(DHCP(ours)) == repr(theirs)


def test_options_given_as_bytes_or_text() -> None:
    for value in (b"\x35\x01\x01", "abc", b""):
        assert bytes(DHCP(options=value)) == bytes(scapy.DHCP(options=value))
        assert DHCP(options=value).options == scapy.DHCP(options=value).options


def test_unknown_option_name_skipped_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="nonexist"):
        ours = bytes(DHCP(options=[("nonexist", 1), "end"]))
    assert ours == b"\xff"


def test_option_field_api_as_scapy() -> None:
    from scapy.layers import dhcp as sdhcp

    ours, theirs = DHCPOptionsField("options", ""), sdhcp.DHCPOptionsField("options", "")
    for value in ([("hostname", "paquet")], ["end", "pad"], [("name_server", "192.0.2.1")],
                  [("message-type", 2), (224, b"x")], [b"\x0c"]):
        assert ours.i2repr(None, value) == theirs.i2repr(None, value)
        assert ours.i2m(None, value) == theirs.i2m(None, value)
        raw = theirs.i2m(None, value)
        assert ours.m2i(None, raw) == theirs.m2i(None, raw)


def test_getopt_and_addopt() -> None:
    d = DHCP(options=[("message-type", "offer"), ("server_id", "192.0.2.1"), "end"])
    s = scapy.DHCP(options=[("message-type", "offer"), ("server_id", "192.0.2.1"), "end"])
    assert d.getopt("server_id") == s.getopt("server_id") == "192.0.2.1"
    with pytest.raises(AttributeError, match="router"):
        d.getopt("router")
    d.addopt("router", "192.0.2.254")
    s.addopt("router", "192.0.2.254")
    assert d.options == s.options
    assert bytes(d) == bytes(s)


def test_bindings_as_scapys() -> None:
    assert registry.payload_class(UDP, {"sport": 68, "dport": 67}) is BOOTP
    assert registry.payload_class(UDP, {"sport": 67, "dport": 68}) is BOOTP
    assert registry.payload_class(UDP, {"sport": 67, "dport": 67}) is BOOTP
    assert registry.payload_class(UDP, {"sport": 68, "dport": 68}) is None
    for ours, theirs in ((UDP() / BOOTP(), scapy.UDP() / scapy.BOOTP()),
                         (BOOTP() / DHCP(), scapy.BOOTP() / scapy.DHCP()),
                         (IP() / UDP(dport=67) / BOOTP(), scapy.IP() / scapy.UDP(dport=67)
                          / scapy.BOOTP())):
        assert bytes(ours) == bytes(theirs)
    # Options that do not start with the magic cookie stay BOOTP's own bytes.
    data = bytes(BOOTP(options=b"vendor data"))
    assert BOOTP(data).options == b"vendor data" and not BOOTP(data).payload


def test_answers_and_hashret_by_xid() -> None:
    q = Ether() / IP() / UDP(sport=68, dport=67) / BOOTP(xid=42) / DHCP()
    r = Ether() / IP() / UDP(sport=67, dport=68) / BOOTP(op=2, xid=42) / DHCP()
    other = Ether() / IP() / UDP(sport=67, dport=68) / BOOTP(op=2, xid=43) / DHCP()
    assert BOOTP(xid=42).hashret() == scapy.BOOTP(xid=42).hashret() == b"\x00\x00\x00*"
    assert BOOTP().answers(BOOTP()) and not BOOTP(xid=1).answers(BOOTP())
    assert r[BOOTP].answers(q[BOOTP]) and not other[BOOTP].answers(q[BOOTP])
    assert r[UDP].answers(q[UDP]) and not other[UDP].answers(q[UDP])
    assert r[UDP].hashret() == q[UDP].hashret() != other[UDP].hashret()
    assert not BOOTP().answers(Raw(b"x"))


def test_fuzz_builds_and_dissects_back() -> None:
    from paquet.layers.dhcp_options import RandDHCPOptions

    random.seed(17)
    p = paquet.fuzz(DHCP())
    assert isinstance(p.options, RandDHCPOptions)
    for _ in range(200):
        data = bytes(p)
        assert bytes(DHCP(data)) == data
        p.show(dump=True)


def test_ls_names_scapys_field_classes() -> None:
    ours = [(f.name, f.type_name()) for f in BOOTP.fields_desc]
    theirs = [(f.name, type(f).__name__) for f in scapy.BOOTP.fields_desc]
    assert ours == theirs
    assert BOOTP(chaddr=CLIENT_MAC).chaddr == scapy.BOOTP(chaddr=CLIENT_MAC).chaddr
