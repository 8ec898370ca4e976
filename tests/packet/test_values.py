"""Values users give to fields, options and generators: Scapy's bytes where Scapy builds
something sensible, a one-line FieldError naming field, value and range where it raises or
writes nonsense, and generators that count without making their packets (issue 13)."""

from __future__ import annotations

import tracemalloc
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from scapy.layers import inet as si
from scapy.layers import l2 as sl
from scapy.packet import Raw as SRaw

from paquet import IP, TCP, Dot1Q, Raw
from paquet.errors import PaquetError
from paquet.generators import Net, Net6
from paquet.layers.ipv4 import (
    IPOption,
    IPOption_LSRR,
    IPOption_NOP,
    IPOption_Router_Alert,
    IPOption_RR,
    IPOption_SSRR,
)
from paquet.packet.fields import FieldError
from paquet.packet.resolver import set_resolver
from paquet.packet.values import value_count

warnings.filterwarnings("ignore", module="scapy")


@pytest.fixture(autouse=True)
def no_resolver() -> Iterator[None]:
    """The engine's documented defaults (src 127.0.0.1), whatever an earlier test installed."""
    previous = set_resolver(None)
    try:
        yield
    finally:
        set_resolver(previous)


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and text
    return text


# ---------------------------------------------------------------- bit fields: Scapy's masking


@pytest.mark.parametrize(
    "fields",
    [{"version": 99}, {"version": -1}, {"ihl": 99}, {"flags": 9}, {"frag": 9000}],
)
def test_ip_bit_fields_wider_than_their_bits_are_masked_as_scapy(fields: dict[str, int]) -> None:
    assert bytes(IP(**fields)) == bytes(si.IP(src="127.0.0.1", **fields))


@pytest.mark.parametrize(
    "fields", [{"vlan": 5000}, {"vlan": -1}, {"prio": 9}, {"dei": 3}]
)
def test_dot1q_fields_wider_than_their_bits_are_masked_as_scapy(fields: dict[str, int]) -> None:
    assert bytes(Dot1Q(**fields)) == bytes(sl.Dot1Q(**fields))
    if "vlan" in fields:
        assert Dot1Q(bytes(Dot1Q(**fields))).vlan == fields["vlan"] & 0xFFF


@pytest.mark.parametrize(
    ("layer", "fields", "scapy_layer", "message"),
    [
        (IP, {"ttl": 300}, si.IP, "IP.ttl=300 does not fit in 8 bits"),
        (IP, {"ttl": -1}, si.IP, "IP.ttl=-1 does not fit in 8 bits"),
        (IP, {"id": 70000}, si.IP, "IP.id=70000 does not fit in 16 bits"),
        (TCP, {"seq": 1 << 32}, si.TCP, "TCP.seq=4294967296 does not fit in 32 bits"),
        (IP, {"ttl": 1.5}, si.IP, "IP.ttl must be an integer"),
    ],
)
def test_whole_byte_fields_out_of_range_raise_when_built_as_scapy(
    layer: Any, fields: dict[str, Any], scapy_layer: Any, message: str
) -> None:
    pkt = layer(**fields)  # accepted when set, as in Scapy
    with pytest.raises(ValueError):
        bytes(scapy_layer(**fields))
    with pytest.raises(FieldError) as info:
        bytes(pkt)
    assert message in one_line(info.value)


# ---------------------------------------------------------------- IPv4 options


def test_ip_option_helpers_refuse_values_past_their_bytes() -> None:
    # The options are packets: as Scapy, a value past its field's bytes is refused when built.
    for make in (IPOption_RR, IPOption_LSRR, IPOption_SSRR):
        with pytest.raises(FieldError, match=r"pointer"):
            bytes(make(pointer=300))
        with pytest.raises(FieldError, match="pointer"):
            bytes(make(pointer=-1))
    with pytest.raises(FieldError, match=r"alert"):
        bytes(IPOption_Router_Alert(alert=70000))
    with pytest.raises(FieldError, match="alert"):
        IPOption_Router_Alert(alert="x")
    # Scapy refuses them too, when building.
    with pytest.raises(ValueError):
        bytes(si.IPOption_RR(pointer=300))
    with pytest.raises(ValueError):
        bytes(si.IPOption_Router_Alert(alert=70000))


def test_ip_option_helpers_at_their_limits_give_scapys_bytes() -> None:
    routers = [f"192.0.2.{i}" for i in range(1, 10)]  # 9: 39 bytes, the most a header holds
    ours = IP(options=[IPOption_RR(routers=routers, pointer=255)])
    ref = si.IP(src="127.0.0.1", options=[si.IPOption_RR(routers=routers, pointer=255)])
    assert bytes(ours) == bytes(ref)
    ours = IP(options=[IPOption_Router_Alert(alert=65535), IPOption_NOP()])
    ref = si.IP(src="127.0.0.1",
                options=[si.IPOption_Router_Alert(alert=65535), si.IPOption_NOP()])
    assert bytes(ours) == bytes(ref)


@pytest.mark.parametrize("options", [[1, 2], [-1], [IPOption_NOP(), "x"], [None], "x"])
def test_ip_options_that_are_not_options_are_refused_when_set(options: Any) -> None:
    # Scapy writes [1, 2] as zero bytes (bytes(1) + bytes(2)) and fails on [-1] when building.
    with pytest.raises(FieldError) as info:
        IP(options=options)
    assert "IP options must be" in one_line(info.value)


def test_ip_options_given_as_a_number_are_refused_when_built() -> None:
    pkt = IP(options=5)  # integers are stored as given (the constructor's fast path)
    with pytest.raises(FieldError, match="IP options must be a list of IPOption or bytes, not 5"):
        bytes(pkt)


def test_ip_options_put_in_the_list_later_are_checked_when_built() -> None:
    pkt = IP(options=[IPOption_NOP()])
    pkt.options.append(7)
    with pytest.raises(FieldError, match=r"IP options must be IPOption objects .* not 7"):
        bytes(pkt)


def test_ip_options_longer_than_a_header_holds_are_refused() -> None:
    routers = [f"192.0.2.{i}" for i in range(1, 11)]  # 10 routers: 43 bytes
    pkt = IP(options=[IPOption_RR(routers=routers)])
    # Scapy writes ihl=0 (16 words masked to 4 bits): a header no one can read.
    assert bytes(si.IP(src="127.0.0.1", options=[si.IPOption_RR(routers=routers)]))[0] == 0x40
    with pytest.raises(FieldError, match="IP options take 43 bytes: an IPv4 header holds 40"):
        bytes(pkt)
    # An option's length is one byte: past it, refused when built (Scapy raises too).
    with pytest.raises(FieldError, match="length"):
        bytes(IPOption_RR(routers=["192.0.2.1"] * 64))
    with pytest.raises(FieldError, match="length"):
        bytes(IPOption(option=4, value=b"x" * 254))
    with pytest.raises(Exception):  # noqa: B017 (Scapy's own error, struct.error)
        bytes(si.IPOption(option=4, value=b"x" * 254))


# ---------------------------------------------------------------- TCP options


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (("MSS", 70000), "TCP option MSS=70000: the value must be an integer from 0 to 65535"),
        (("MSS", -1), "TCP option MSS=-1"),
        (("MSS", 1.5), "TCP option MSS=1.5"),
        (("WScale", 300), "TCP option WScale=300: the value must be an integer from 0 to 255"),
        (("Timestamp", 1), "TCP option Timestamp=1: the value must be two integers"),
        (("Timestamp", (1, "a")), "TCP option Timestamp=(1, 'a')"),
        (("SAck", (1, -2)), "TCP option SAck=(1, -2)"),
        ((300, b"ab"), "the kind must be 0 to 255"),
        ((99, b"x" * 254), "253 bytes at most (254 given)"),
        (("Foo", 1), "unknown TCP option 'Foo'"),
        (1, "TCP option must be a (name, value) pair, not 1"),
    ],
)
def test_tcp_option_values_that_do_not_fit_are_field_errors(option: Any, message: str) -> None:
    with pytest.raises(FieldError) as info:
        bytes(TCP(options=[option]))
    assert message in one_line(info.value)


@pytest.mark.parametrize(
    "option", [("MSS", "x"), ("Timestamp", "00:00:01.00"), ("SAck", "abcdefgh"), ("WScale", "")])
def test_tcp_option_text_written_as_its_bytes_as_scapy(option: tuple[str, str]) -> None:
    # Scapy writes a text value as its bytes, whatever the option's format (its traceroute
    # tests give ("Timestamp", "00:00:01.00")): not a valid option, but the one asked for.
    assert bytes(TCP(options=[option])) == bytes(si.TCP(options=[option]))


@pytest.mark.parametrize(
    "options",
    [
        [("MSS", 65535), ("WScale", 14), ("SAckOK", b""), ("Timestamp", (0, 4294967295))],
        [("MSS", b"\x05\xb4")],  # a value given as its bytes is written as it is
        [("SAck", (1, 2, 3, 4))],
        [(99, b"ab"), ("NOP", None), ("EOL", None)],
    ],
)
def test_tcp_options_that_fit_give_scapys_bytes(options: list[Any]) -> None:
    assert bytes(TCP(options=options)) == bytes(si.TCP(options=options))


def test_tcp_options_longer_than_a_header_holds_are_refused() -> None:
    options = [("Timestamp", (1, 2))] * 5  # 50 bytes
    with pytest.raises(FieldError, match="TCP options take 50 bytes: a TCP header holds 40"):
        bytes(TCP(options=options))


# ---------------------------------------------------------------- text and addresses


def test_text_with_a_lone_surrogate_is_a_field_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        bytes(SRaw(load="\ud800"))  # Scapy's own error
    with pytest.raises(FieldError) as info:
        Raw(load="\ud800")
    assert "load: the text has no UTF-8 bytes" in one_line(info.value)
    assert bytes(Raw(load="é")) == bytes(SRaw(load="é"))
    # surrogateescape: bytes that were not UTF-8 (as a shell passes them) come back as given.
    assert bytes(Raw(load=b"\xff".decode("utf-8", "surrogateescape"))) == b"\xff"


@pytest.mark.parametrize("dst", ["\x00", "192.0.2.1\x00", "a\x00b"])
def test_address_with_a_nul_character_is_a_paquet_error(dst: str) -> None:
    with pytest.raises(ValueError):
        bytes(si.IP(dst=dst))  # Scapy: "embedded null character", from the socket module
    with pytest.raises(PaquetError) as info:
        bytes(IP(dst=dst))
    one_line(info.value)


# ---------------------------------------------------------------- generators


def test_a_huge_network_is_counted_and_streamed_without_a_list() -> None:
    tracemalloc.start()
    try:
        pkt = IP(dst="0.0.0.0/0", ttl=(1, 2))
        assert pkt.expansion_count() == 2 * 2**32
        it = iter(pkt)
        first = [next(it) for _ in range(3)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A list of 2**32 addresses would take hundreds of GB; a few packets take kilobytes.
    assert peak < 10_000_000
    assert [(p.ttl, p.dst) for p in first] == [(1, "0.0.0.0"), (1, "0.0.0.1"), (1, "0.0.0.2")]


def test_a_range_of_huge_numbers_is_counted_and_streamed() -> None:
    pkt = IP(ttl=(1, 99999999999999999999))
    assert pkt.expansion_count() == 99999999999999999999
    it = iter(pkt)
    assert [next(it).ttl for _ in range(3)] == [1, 2, 3]
    # Scapy too makes the first packets (and fails when building ttl=256).
    sit = iter(si.IP(ttl=(1, 99999999999999999999)))
    assert [next(sit).ttl for _ in range(3)] == [1, 2, 3]


@pytest.mark.parametrize("value", [[], (3, 1)])
def test_empty_generators_make_no_packet_as_in_scapy(value: Any) -> None:
    assert [p for p in si.IP(ttl=value)] == []  # list() would ask Scapy for len() first
    pkt = IP(ttl=value)
    assert pkt.expansion_count() == 0
    assert list(pkt) == []
    assert list(IP(ttl=value) / TCP(dport=[22, 80])) == []


def test_counts_and_packets_match_scapys() -> None:
    fields: dict[str, Any] = {"dst": "192.0.2.0/30", "ttl": (1, 3), "id": [5, 6]}
    ours = IP(**fields) / TCP(dport=(20, 21))
    ref = si.IP(src="127.0.0.1", **fields) / si.TCP(dport=(20, 21))
    made = list(ours)
    assert ours.expansion_count() == len(made) == len(list(ref)) == 48
    # The same packets (Scapy's order differs: it varies the first field fastest).
    assert sorted(bytes(p) for p in made) == sorted(bytes(p) for p in ref)
    assert IP().expansion_count() == 1 and len(list(IP())) == 1


def test_networks_behave_as_a_sequence() -> None:
    import ipaddress

    net = ipaddress.ip_network("192.0.2.0/29")
    a = Net("192.0.2.0/29")
    assert len(a) == value_count(a) == 8
    assert list(a) == [str(x) for x in net]
    assert (a[0], a[-1], a[2:4]) == ("192.0.2.0", "192.0.2.7", ["192.0.2.2", "192.0.2.3"])
    with pytest.raises(IndexError):
        a[8]
    assert value_count(range(5, 3)) == 0 and value_count(range(1, 10**30)) == 10**30 - 1
    big = Net6("2001:db8::/32")
    assert value_count(big) == 2**96 and big[1] == "2001:db8::1"
