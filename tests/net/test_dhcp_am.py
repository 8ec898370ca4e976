"""BOOTP_am and DHCP_am against Scapy's: the same requests (dissected from bytes, as a sniffer
gives them) get the same replies from both machines, offline (no packet is sent): BOOTP and
DHCP bytes, link and IP destinations, the leases kept per client, the pool's edge cases, the
options given by name, and the client messages of ``dhcp_*`` built as Scapy's."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import paquet
from paquet.layers import IP, UDP, Ether
from paquet.layers.dhcp import BOOTP, DHCP
from paquet.net import dhcp as pdhcp

scapy = pytest.importorskip("scapy.all")
from scapy.layers import dhcp as sdhcp  # noqa: E402

MACS = ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"]


def _request(lib: Any, mac: str, kind: str | None, xid: int = 1) -> Any:
    pkt = (lib.Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") / lib.IP(src="0.0.0.0",
           dst="255.255.255.255") / lib.UDP(sport=68, dport=67)
           / lib.BOOTP(chaddr=mac, xid=xid, flags="B"))
    if kind is not None:
        pkt = pkt / lib.DHCP(options=[("message-type", kind), ("hostname", "pc"), "end"])
    return lib.Ether(bytes(pkt))


def _same_reply(ours: Any, theirs: Any) -> None:
    if theirs is None:
        assert ours is None
        return
    assert ours is not None
    assert ours[Ether].dst == theirs[scapy.Ether].dst
    assert ours[IP].dst == theirs[scapy.IP].dst
    assert bytes(ours[UDP].payload) == bytes(theirs[scapy.UDP].payload)
    assert (ours[UDP].sport, ours[UDP].dport) == (theirs[scapy.UDP].sport,
                                                  theirs[scapy.UDP].dport)
    assert ours[BOOTP].show(dump=True) == theirs[scapy.BOOTP].show(dump=True)


CONFIGS: list[dict[str, Any]] = [
    {},
    {"pool": "192.0.2.128/29", "network": "192.0.2.0/24", "gw": "192.0.2.1",
     "domain": "lab.example"},
    {"pool": "192.0.2.0/30", "network": "192.0.2.0/30", "gw": "192.0.2.1",
     "nameserver": ["192.0.2.53", "198.51.100.53"], "lease_time": 60, "renewal_time": 30},
    {"pool": "192.0.2.77", "network": "192.0.2.0/24", "gw": "192.0.2.1",
     "nameserver": "192.0.2.53"},
    {"pool": ["192.0.2.10", "192.0.2.11"], "network": "192.0.2.0/25", "gw": "192.0.2.1",
     "NTP_server": "192.0.2.123", "classless_static_routes": ["198.51.100.0/24:192.0.2.1"],
     "max_dhcp_size": 1400},
    {"pool": "192.0.2.5/32", "network": "192.0.2.0/24", "gw": "192.0.2.1"},
]


@pytest.mark.parametrize("config", CONFIGS, ids=[str(i) for i in range(len(CONFIGS))])
@pytest.mark.parametrize("machine", ["BOOTP_am", "DHCP_am"])
def test_replies_are_scapys(machine: str, config: dict[str, Any]) -> None:
    def make(lib: Any) -> Any:
        value = dict(config)
        if "pool" in value and isinstance(value["pool"], list):
            value["pool"] = list(value["pool"])
        return getattr(lib, machine)(**value)

    ours, theirs = make(paquet), make(scapy)
    # Three clients, the first asking again (its lease is kept), then a fourth (the pool
    # may be empty by then: no reply).
    sequence = [(MACS[0], "discover"), (MACS[0], "request"), (MACS[1], "discover"),
                (MACS[2], "request"), (MACS[1], "inform"), ("02:00:00:00:00:04", "discover"),
                (MACS[2], None)]
    for i, (mac, kind) in enumerate(sequence):
        req_ours, req_theirs = _request(paquet, mac, kind, i), _request(scapy, mac, kind, i)
        assert ours.is_request(req_ours) == bool(theirs.is_request(req_theirs)) is True
        try:
            expected = theirs.make_reply(req_theirs)
        except TypeError:
            # Scapy 2.8's DHCP_am fails when its pool is empty (None / DHCP): paquet does
            # not answer, as Scapy's BOOTP_am does not.
            assert machine == "DHCP_am" and not theirs.pool
            expected = None
        _same_reply(ours.make_reply(req_ours), expected)


def test_replies_are_not_requests() -> None:
    am, sam = paquet.DHCP_am(), scapy.DHCP_am()
    reply = _request(paquet, MACS[0], "offer")
    reply[BOOTP].op = 2
    reply = Ether(bytes(reply))
    assert am.is_request(reply) is False
    assert not sam.is_request(scapy.Ether(bytes(reply)))
    assert am.is_request(Ether() / IP() / UDP()) is False


def test_machines_signatures_and_names_are_scapys() -> None:
    for name in ("BOOTP_am", "DHCP_am"):
        ours, theirs = getattr(paquet, name), getattr(sdhcp, name)
        assert ours.function_name == theirs.function_name
        assert ours.filter == theirs.filter
        mine = inspect.signature(ours.parse_options).parameters
        its = inspect.signature(theirs.parse_options).parameters
        assert list(mine) == list(its)
        for p in ("network", "gw", "nameserver", "domain", "renewal_time", "lease_time"):
            assert mine[p].default == its[p].default, p
        assert list(paquet.Net(mine["pool"].default)) == list(its["pool"].default)
    assert callable(paquet.dhcpd) and callable(paquet.bootpd)


def test_reply_printed_as_scapy(capsys: pytest.CaptureFixture[str]) -> None:
    am = paquet.DHCP_am(pool="192.0.2.9", network="192.0.2.0/24", gw="192.0.2.1")
    req = _request(paquet, MACS[0], "discover")
    am.print_reply(req, am.make_reply(req))
    assert capsys.readouterr().out == f"Reply 192.0.2.9 to {MACS[0]}\n"


class _Capture:
    """Stands for the send functions: keeps the frame instead of sending it."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def __call__(self, pkt: Any, *args: Any, **kwargs: Any) -> None:
        self.sent.append((pkt, kwargs))
        return None


@pytest.mark.parametrize(("call", "args"), [
    ("dhcp_discover", {"hw": MACS[0], "requested_addr": "192.0.2.50", "hostname": "pc"}),
    ("dhcp_request", {"requested_addr": "192.0.2.50", "hw": MACS[0],
                      "server_id": "192.0.2.1"}),
    ("dhcp_release", {"ciaddr": "192.0.2.50", "server_id": "192.0.2.1", "hw": MACS[1]}),
    ("dhcp_inform", {"ciaddr": "192.0.2.50", "hw": MACS[2], "hostname": "h"}),
])
def test_client_messages_are_scapys(monkeypatch: pytest.MonkeyPatch, call: str,
                                    args: dict[str, Any]) -> None:
    ours, theirs = _Capture(), _Capture()
    monkeypatch.setattr(pdhcp, "srp1", ours)
    monkeypatch.setattr(pdhcp, "sendp", ours)
    monkeypatch.setattr(sdhcp, "srp1", theirs)
    monkeypatch.setattr(sdhcp, "sendp", theirs)
    getattr(pdhcp, call)(iface="lo", **args)
    getattr(sdhcp, call)(iface="lo", **args)
    (mine, kw), (its, skw) = ours.sent[0], theirs.sent[0]
    assert kw["iface"] == skw["iface"] == "lo"
    theirs_bytes = bytes(its)
    mine_bytes = bytes(mine)
    # Everything but the random xid (and the checksums over it) is Scapy's.
    xid = mine[BOOTP].xid.to_bytes(4, "big")
    at = 14 + 20 + 8 + 4
    assert mine_bytes[at : at + 4] == xid
    strip = slice(at, at + 4)

    def masked(data: bytes) -> bytes:
        buf = bytearray(data)
        buf[strip] = b"\x00" * 4
        buf[14 + 20 + 6 : 14 + 20 + 8] = b"\x00\x00"  # the UDP checksum covers the xid
        return bytes(buf)

    assert masked(mine_bytes) == masked(theirs_bytes)
    assert Ether(mine_bytes)[DHCP].options == scapy.Ether(theirs_bytes)[scapy.DHCP].options


def test_dhcp_request_without_an_address_sends_a_discover(
        monkeypatch: pytest.MonkeyPatch) -> None:
    sent = _Capture()
    monkeypatch.setattr(pdhcp, "srp1", sent)
    pdhcp.dhcp_request(hw=MACS[0], iface="lo")
    assert sent.sent[0][0][DHCP].options[0] == ("message-type", "discover")


def test_dhcp_request_takes_older_scapys_req_type(monkeypatch: pytest.MonkeyPatch) -> None:
    sent = _Capture()
    monkeypatch.setattr(pdhcp, "srp1", sent)
    pdhcp.dhcp_request(hw=MACS[0], iface="lo", req_type="inform")
    assert sent.sent[0][0][DHCP].options[0] == ("message-type", "inform")
