"""IPv4 options (``paquet/layers/ipv4_options.py``): the same bytes as Scapy, Scapy's bytes
dissected to Scapy's values, and tshark reading the options paquet wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

si = pytest.importorskip("scapy.layers.inet")

import paquet.layers.ipv4_options as po  # noqa: E402
from paquet.layers import IP, UDP, Ether, Raw  # noqa: E402
from paquet.packet.resolver import set_resolver  # noqa: E402
from paquet.pcap import wrpcap  # noqa: E402

A, B = "192.0.2.1", "192.0.2.2"

# (class name, fields): each built by paquet and by Scapy.
OPTIONS: list[tuple[str, dict[str, Any]]] = [
    ("IPOption", {}),
    ("IPOption", {"option": 25, "value": b"\x01\x02\x03"}),
    ("IPOption", {"copy_flag": 1, "optclass": 2, "option": 30, "length": 3, "value": b"z"}),
    ("IPOption_EOL", {}),
    ("IPOption_NOP", {}),
    ("IPOption_Security", {}),
    ("IPOption_Security", {"security": 0xF135, "compartment": 7, "handling_restrictions": 9,
                           "transmission_control_code": b"abc"}),
    ("IPOption_RR", {}),
    ("IPOption_RR", {"routers": ["192.0.2.7", "0.0.0.0"], "pointer": 8}),
    ("IPOption_LSRR", {"routers": ["192.0.2.1", "192.0.2.9"]}),
    ("IPOption_SSRR", {"routers": ["198.51.100.1"], "pointer": 5}),
    ("IPOption_Stream_Id", {"security": 4242}),
    ("IPOption_MTU_Probe", {"mtu": 1500}),
    ("IPOption_MTU_Reply", {"mtu": 576}),
    ("IPOption_Traceroute", {"id": 1, "outbound_hops": 2, "return_hops": 3,
                             "originator_ip": "203.0.113.4"}),
    ("IPOption_Timestamp", {}),
    ("IPOption_Timestamp", {"flg": 0, "timestamp": 123456}),
    ("IPOption_Timestamp", {"flg": 3, "oflw": 2, "pointer": 13,
                            "internet_address": "192.0.2.3", "timestamp": 99}),
    ("IPOption_Timestamp", {"length": 40}),
    ("IPOption_Address_Extension", {"src_ext": "192.0.2.10", "dst_ext": "192.0.2.11"}),
    ("IPOption_Router_Alert", {}),
    ("IPOption_Router_Alert", {"alert": 5}),
    ("IPOption_SDBM", {}),
    ("IPOption_SDBM", {"addresses": ["192.0.2.1", "192.0.2.2", "192.0.2.3"]}),
]
IDS = [f"{n}-{i}" for i, (n, _) in enumerate(OPTIONS)]


def _both(name: str, fields: dict[str, Any]) -> tuple[Any, Any]:
    return getattr(po, name)(**fields), getattr(si, name)(**fields)


def _values(opt: Any) -> dict[str, Any]:
    names = [f.name for f in opt.fields_desc]
    return {n: getattr(opt, n) for n in names if n in opt.fields}


@pytest.mark.parametrize(("name", "fields"), OPTIONS, ids=IDS)
def test_option_bytes_equal_scapy(name: str, fields: dict[str, Any]) -> None:
    ours, theirs = _both(name, fields)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize(("name", "fields"), OPTIONS, ids=IDS)
def test_scapy_bytes_dissect_to_scapy_values(name: str, fields: dict[str, Any]) -> None:
    data = bytes(getattr(si, name)(**fields))
    ours, theirs = po.IPOption(data), si.IPOption(data)
    assert type(ours).__name__ == type(theirs).__name__
    for f in theirs.fields_desc:
        if f.name in theirs.fields:
            assert getattr(ours, f.name) == getattr(theirs, f.name), f.name
    assert bytes(ours) == data


def test_generic_option_and_dispatch() -> None:
    assert bytes(po.IPOption()) == bytes(si.IPOption()) == b"\x00\x02"
    # The class is chosen by the type byte's low 5 bits, as Scapy's dispatch_hook.
    for number in range(32):
        data = bytes([number | 0x80, 12]) + bytes(10)
        assert type(po.IPOption(data)).__name__ == si.IPOption.dispatch_hook(data).__name__


IN_HEADER = [(n, f) for n, f in OPTIONS[4:] if "length" not in f]  # lengths that agree


@pytest.mark.parametrize(("name", "fields"), IN_HEADER, ids=[n for n, _ in IN_HEADER])
def test_options_in_an_ip_header(name: str, fields: dict[str, Any]) -> None:
    ours_opt, theirs_opt = _both(name, fields)
    if len(bytes(theirs_opt)) > 40:
        pytest.skip("does not fit in a header")
    ours = IP(src=A, dst=B, options=[po.IPOption_NOP(), ours_opt]) / UDP(sport=7, dport=9)
    theirs = si.IP(src=A, dst=B, options=[si.IPOption_NOP(), theirs_opt]) / si.UDP(sport=7,
                                                                                 dport=9)
    data = bytes(theirs)
    assert bytes(ours) == data
    back = IP(data)
    assert bytes(back) == data
    sback = si.IP(data)
    assert [type(o).__name__ for o in back.options] == \
        [type(o).__name__ for o in sback.options]
    assert [bytes(o) for o in back.options] == [bytes(o) for o in sback.options]
    # pkt[X] finds an option inside the header, as in Scapy.
    cls = getattr(po, name)
    assert back[cls] is next(o for o in back.options if type(o) is cls)
    assert _values(back[cls]) == _values(ours_opt.__class__(bytes(ours_opt)))


def test_one_option_and_lists_as_scapy() -> None:
    for ours, theirs in [
        (IP(options=po.IPOption_SDBM(addresses=["1.2.3.4"])),
         si.IP(options=si.IPOption_SDBM(addresses=["1.2.3.4"]))),
        (IP(options=[po.IPOption_Router_Alert(), po.IPOption_Security()]),
         si.IP(options=[si.IPOption_Router_Alert(), si.IPOption_Security()])),
    ]:
        assert bytes(ours) == bytes(theirs.__class__(bytes(theirs)))


def test_record_route_current_router() -> None:
    routers = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
    for pointer in (4, 8, 12):
        ours = po.IPOption_RR(routers=routers, pointer=pointer)
        theirs = si.IPOption_RR(routers=routers, pointer=pointer)
        assert ours.get_current_router() == theirs.get_current_router()


def test_source_route_sets_the_udp_pseudo_header() -> None:
    route = ["192.0.2.7", "198.51.100.9"]
    ours = IP(src=A, dst=B, options=po.IPOption_LSRR(routers=route)) / UDP() / b"abc"
    theirs = si.IP(src=A, dst=B, options=si.IPOption_LSRR(routers=route)) / si.UDP() / b"abc"
    assert bytes(ours) == bytes(theirs)
    ours = IP(src=A, dst=B, options=po.IPOption_SSRR(routers=route)) / UDP() / b"abc"
    theirs = si.IP(src=A, dst=B, options=si.IPOption_SSRR(routers=route)) / si.UDP() / b"abc"
    assert bytes(ours) == bytes(theirs)


class _ScapyRoutes:
    """A resolver answering as Scapy's routing table: both libraries see the same host."""

    def source_address(self, dst: str, version: int) -> str | None:
        from scapy.config import conf

        return str(conf.route.route(dst)[1])

    def resolve_host(self, name: str, version: int) -> str:
        raise AssertionError(name)

    def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
        return None


def test_source_route_without_source_address() -> None:
    # As Scapy: the pseudo-header's source is the one the host would use towards the last
    # hop (the header keeps the one towards dst).
    previous = set_resolver(_ScapyRoutes())
    try:
        _source_routes_as_scapy()
    finally:
        set_resolver(previous)


def _source_routes_as_scapy() -> None:
    for route in (["192.0.2.7", "198.51.100.9"], ["203.0.113.5"]):
        for ours_cls, theirs_cls in ((po.IPOption_SSRR, si.IPOption_SSRR),
                                     (po.IPOption_LSRR, si.IPOption_LSRR)):
            ours = IP(options=[ours_cls(routers=route)]) / UDP() / b"abcd"
            theirs = si.IP(options=[theirs_cls(routers=route)]) / si.UDP() / b"abcd"
            assert bytes(ours) == bytes(theirs)


@pytest.mark.parametrize("options", [
    b"\x44\x14\x0d\x01" + bytes(16),       # a timestamp with two entries: kept as it is
    b"\x07\x03",                            # a length past the end
    b"\x07\x01\x00\x00",                    # a length below 2
    b"\x94",                                # no length byte
])
def test_odd_options_keep_their_bytes(options: bytes) -> None:
    padded = options + b"\x00" * (-len(options) % 4)
    data = bytes(IP(src=A, dst=B, options=padded) / UDP())
    back = IP(data)
    assert bytes(back) == data
    assert bytes(Ether(bytes(Ether() / back))[IP]) == data


# ---------------------------------------------------------------- tshark


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_tshark_reads_the_options(tmp_path: Path) -> None:
    frames = [
        Ether() / IP(src=A, dst=B, options=[
            po.IPOption_RR(routers=["192.0.2.5", "0.0.0.0"], pointer=8),
            po.IPOption_Timestamp(internet_address="192.0.2.9", timestamp=77),
            po.IPOption_Router_Alert()]) / UDP(sport=1, dport=2),
        Ether() / IP(src=A, dst=B, options=[
            po.IPOption_LSRR(routers=["192.0.2.7", "198.51.100.9"]), po.IPOption_NOP(),
            po.IPOption_MTU_Probe(mtu=1400)]) / UDP(sport=3, dport=4) / Raw(b"x"),
    ]
    path = tmp_path / "opts.pcap"
    wrpcap(str(path), frames)
    out = subprocess.run(["tshark", "-r", str(path), "-T", "json"], capture_output=True,
                         check=True, text=True).stdout
    for frame, pkt in zip(json.loads(out), frames, strict=True):
        ip = frame["_source"]["layers"]["ip"]
        opts = next(v for k, v in ip.items() if k.startswith("Options"))
        trees = [v for k, v in opts.items() if k.endswith("_tree")]
        ours = [o for o in pkt[IP].options if o.option != 0]
        shown = [t for t in trees if t["ip.opt.type"] != "0"]
        assert len(shown) == len(ours)
        for tree, opt in zip(shown, ours, strict=True):
            kind = tree["ip.opt.type_tree"]
            assert int(kind["ip.opt.type.number"]) == opt.option
            assert int(kind["ip.opt.type.copy"]) == opt.copy_flag
            assert int(kind["ip.opt.type.class"]) == opt.optclass
            if "ip.opt.len" in tree:
                assert int(tree["ip.opt.len"]) == len(bytes(opt))
            if "ip.opt.ptr" in tree:
                assert int(tree["ip.opt.ptr"]) == opt.pointer
            if "ip.opt.time_stamp" in tree:
                assert int(tree["ip.opt.time_stamp"]) == opt.timestamp
                assert tree["ip.opt.time_stamp_addr"] == opt.internet_address
            if "ip.rec_rt" in tree:
                assert tree["ip.rec_rt"] == opt.routers[0]
            if "ip.opt.mtu" in tree:
                assert int(tree["ip.opt.mtu"]) == opt.mtu
