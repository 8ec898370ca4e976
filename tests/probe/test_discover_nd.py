"""Discovery on local IPv6 links by neighbour solicitation, with ``nmap -6 -sn`` as the oracle."""

from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest

from paquet.checksums import internet_checksum
from paquet.errors import AddressError
from paquet.probe.discover import check_ipv6_size, on_link6
from paquet.probe.nd import NDSpace, parse_advertisement

PAQUET = [sys.executable, "-m", "paquet"]

CLIENT, NEIGHBOUR = "2001:db8:0:1::a", "2001:db8:0:1::b"
CLIENT_MAC, NEIGHBOUR_MAC = "02:00:00:00:01:00", "02:00:00:00:02:00"

# tcpdump -e: 02:00:00:00:02:00 > 02:00:00:00:01:00, ethertype IPv6 (0x86dd), length 86:
# 2001:db8:0:1::b > 2001:db8:0:1::a: ICMP6, neighbor advertisement, tgt is 2001:db8:0:1::b
# (flags S and O, target link-layer address option 02:00:00:00:02:00; built with paquet's
# Ether/IPv6/ICMPv6ND_NA/ICMPv6NDOptDstLLAddr)
NA_VECTOR = bytes.fromhex(
    "02000000010002000000020086dd6000000000203aff20010db800000001000000000000000b20010db8"
    "00000001000000000000000a880088556000000020010db800000001000000000000000b020102000000"
    "0200"
)


def _na(*, flags: int = 0x60, hlim: int = 255, dst: str = CLIENT, target: str = NEIGHBOUR,
        option: bytes | None = None, bad_checksum: bool = False) -> bytes:
    """A neighbour advertisement from the neighbour's MAC, as :data:`NA_VECTOR` by default."""
    import ipaddress

    src = ipaddress.IPv6Address(NEIGHBOUR).packed
    dst_b = ipaddress.IPv6Address(dst).packed
    if option is None:
        option = b"\x02\x01" + bytes.fromhex(NEIGHBOUR_MAC.replace(":", ""))
    body = struct.pack("!BBHB3x", 136, 0, 0, flags) + ipaddress.IPv6Address(target).packed
    body += option
    chk = internet_checksum(src + dst_b + struct.pack("!I3xB", len(body), 58) + body)
    body = body[:2] + struct.pack("!H", chk ^ (1 if bad_checksum else 0)) + body[4:]
    ip6 = struct.pack("!IHBB", 0x60000000, len(body), 58, hlim) + src + dst_b
    eth = bytes.fromhex(CLIENT_MAC.replace(":", "") + NEIGHBOUR_MAC.replace(":", ""))
    return eth + b"\x86\xdd" + ip6 + body


def _space() -> NDSpace:
    return NDSpace([(NEIGHBOUR, "eth9", CLIENT), ("2001:db8:0:1::fe", "eth9", CLIENT)],
                   sockets=False, macs={"eth9": CLIENT_MAC})


# -- without network ----------------------------------------------------------------------------


def test_the_advertisement_vector_parses() -> None:
    assert _na() == NA_VECTOR
    target, dst, flags, mac = parse_advertisement(NA_VECTOR) or (b"", b"", 0, "")
    assert (target.hex(), dst.hex()) == ("20010db800000001000000000000000b",
                                         "20010db800000001000000000000000a")
    assert flags == 0x60 and mac == "02:00:00:00:02:00"
    # without the option, the frame's source MAC; a zero-length option voids the message
    assert parse_advertisement(_na(option=b""))[3] == NEIGHBOUR_MAC.upper()  # type: ignore[index]
    assert parse_advertisement(_na(option=b"\x02\x00" + b"\0" * 6)) is None
    assert parse_advertisement(_na(bad_checksum=True)) is None
    assert parse_advertisement(_na(hlim=254)) is None  # routed: not from the link
    assert parse_advertisement(NA_VECTOR[:70]) is None


def test_the_solicitation_goes_to_the_solicited_node_group() -> None:
    space = _space()
    frame = space.frame(0)
    assert frame[:6].hex() == "3333ff00000b" and frame[6:12].hex() == "020000000100"
    ip6 = frame[14:]
    assert ip6[7] == 255 and ip6[24:40].hex() == "ff0200000000000000000001ff00000b"
    assert ip6[40] == 135 and ip6[48:64].hex() == "20010db800000001000000000000000b"
    assert ip6[64:72].hex() == "0101020000000100"  # source link-layer address option
    assert internet_checksum(ip6[8:40] + struct.pack("!I3xB", len(ip6) - 40, 58) + ip6[40:]) == 0


def test_matching_takes_only_solicited_answers_to_our_address() -> None:
    space = _space()
    space.send = lambda idx, slot: True  # type: ignore[method-assign]
    space.last_slot[0] = 7
    assert space.match(_na(flags=0x20)) is None  # unsolicited (S clear)
    assert space.match(_na(dst="2001:db8:0:1::99")) is None  # not to the address we used
    assert space.match(_na(target="2001:db8:0:1::77")) is None  # not a target
    assert space.match(_na()) == (0, 7)
    assert space.codes[0] and space.verdicts[0] is not None
    assert space.verdicts[0][0] == NEIGHBOUR_MAC
    assert space.match(_na()) is None  # once
    # an anycast answer (override clear) comes late by design: up, no RTT sample, no latency
    late = _na(flags=0x40, target="2001:db8:0:1::fe")
    assert space.match(late) is None
    assert space.codes[1] and space.verdicts[1] == (NEIGHBOUR_MAC, None)


def test_on_link_needs_a_connected_ethernet_prefix() -> None:
    routes = [(0x20010DB8000000010000000000000000, 64, 0, 1, "lo"),
              (0x20010DB8000000020000000000000000, 64, 0x20010DB80000000100000000000000FE, 3,
               "lo"), (0, 0, 0x20010DB80000000100000000000000FE, 3, "lo")]
    assert on_link6("2001:db8:0:1::b", routes) is None  # connected, but not Ethernet
    assert on_link6("2001:db8:0:2::b", routes) is None  # through a gateway
    assert on_link6("192.0.2.1", routes) is None and on_link6("ff02::1", routes) is None


def test_a_prefix_too_large_to_sweep_is_refused() -> None:
    check_ipv6_size(["2001:db8::/112", "2001:db8:1::/120,2001:db8::1", "192.0.2.0/24"])
    with pytest.raises(AddressError, match=r"too large to sweep \(2\^64 addresses\).*/112"):
        check_ipv6_size(["2001:db8::1", "2001:db8::/64"])
    with pytest.raises(AddressError, match="2001:db8::/111"):
        check_ipv6_size(["2001:db8::/111"])


def test_the_command_refuses_it_in_one_line_before_sending(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import paquet.probe.discover as mod
    from paquet.cli.main import main

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("a probe would have been sent")

    monkeypatch.setattr(mod, "probe_hosts", never)
    assert main(["discover", "--json", "2001:db8:0:1::/64"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("paquet: error: target 2001:db8:0:1::/64 is too large to sweep")


# -- on the lab ---------------------------------------------------------------------------------

TOPOLOGY = """
name = "ndlab"
description = "tp, with a neighbour whose firewall drops ICMP echo and TCP 80 and 443"
extends = "tp"
[nodes.neighbour]
firewall = { drop = [80, 443], ping = false }
"""


@pytest.fixture(scope="module")
def nd_lab() -> Iterator[Any]:
    """``tp`` with a neighbour that answers neither echo nor nmap's TCP probes (ND still)."""
    from paquet.lab import Lab, parse

    with Lab.up(parse(TOPOLOGY), name=f"pqnd_{os.getpid() % 100000}") as lab:
        yield lab


def _discover(spec: str, arp: bool = True) -> dict[str, dict[str, object]]:
    from paquet.probe.discover import discover

    return {h.address: h.to_dict() for h in discover(spec, arp=arp).up}


def _nmap_up(xml: str) -> dict[str, str | None]:
    """Hosts up in nmap's XML: address -> MAC (None without one)."""
    out: dict[str, str | None] = {}
    for host in ET.fromstring(xml).findall("host"):
        status = host.find("status")
        if status is None or status.get("state") != "up":
            continue
        addrs = {a.get("addrtype"): a.get("addr") for a in host.findall("address")}
        out[str(addrs.get("ipv6") or addrs.get("ipv4"))] = addrs.get("mac")
    return out


def _link_mac(lab: Any, node: str, iface: str = "eth0") -> str:
    links = json.loads(lab[node].exec(["ip", "-j", "link", "show", iface], check=True).stdout)
    return str(links[0]["address"]).upper()


@pytest.mark.privileged
def test_local_ipv6_link_finds_what_nmap_finds_with_the_macs(nd_lab: Any) -> None:
    if shutil.which("nmap") is None:
        pytest.skip("needs nmap")
    client, cidr = nd_lab["client"], "2001:db8:0:1::/120"
    ours = client.run(_discover, cidr)
    xml = client.exec(["nmap", "-6", "-sn", "-n", "-oX", "-", cidr], check=True).stdout
    theirs = _nmap_up(xml)
    assert sorted(ours) == sorted(theirs)
    gateway, neighbour = _link_mac(nd_lab, "gateway"), _link_mac(nd_lab, "neighbour")
    # the gateway also answers for the subnet-router anycast address (late, RFC 4861 7.2.7)
    expected = {"2001:db8:0:1::": gateway, "2001:db8:0:1::fe": gateway, NEIGHBOUR: neighbour}
    assert {a: h["mac"] for a, h in ours.items() if h["reason"] == "nd-response"} == expected
    assert {a: m for a, m in theirs.items() if m} == expected
    assert ours[CLIENT]["reason"] == "localhost-response"


@pytest.mark.privileged
def test_a_host_that_drops_echo_is_found_by_nd_only(nd_lab: Any) -> None:
    client = nd_lab["client"]
    spec = f"{NEIGHBOUR} 2001:db8:0:1::fe"
    by_nd = client.run(_discover, spec)
    assert by_nd[NEIGHBOUR]["reason"] == "nd-response"
    by_ip = client.run(_discover, spec, False)
    assert NEIGHBOUR not in by_ip and by_ip["2001:db8:0:1::fe"]["reason"] != "nd-response"


@pytest.mark.privileged
def test_off_link_ipv6_still_uses_ip_probes(nd_lab: Any) -> None:
    if shutil.which("nmap") is None:
        pytest.skip("needs nmap")
    client, spec = nd_lab["client"], ["2001:db8:0:2::/124", "2001:db8:0:2::14"]
    ours = client.run(_discover, " ".join(spec))
    xml = client.exec(["nmap", "-6", "-sn", "-n", "-oX", "-", *spec], check=True).stdout
    assert sorted(ours) == sorted(_nmap_up(xml))
    assert {"2001:db8:0:2::1", "2001:db8:0:2::a", "2001:db8:0:2::14"} <= set(ours)
    assert all(h["mac"] is None and h["reason"] != "nd-response" for h in ours.values())


@pytest.mark.privileged
def test_command_output_matches_the_ipv4_case(nd_lab: Any) -> None:
    client = nd_lab["client"]
    js = json.loads(client.exec([*PAQUET, "discover", "--json", f"{NEIGHBOUR},2001:db8:0:1::c"],
                                check=True).stdout)
    assert js["scanned"] == 2 and js["up"] == 1
    [host] = js["hosts"]
    assert set(host) == {"address", "up", "reason", "latency", "mac"}
    assert (host["address"], host["reason"]) == (NEIGHBOUR, "nd-response")
    assert host["mac"] == _link_mac(nd_lab, "neighbour") and host["latency"] > 0
    text = client.exec([*PAQUET, "discover", NEIGHBOUR], check=True).stdout
    assert f"Nmap scan report for {NEIGHBOUR}" in text
    assert f"MAC Address: {_link_mac(nd_lab, 'neighbour')}" in text
    too_big = client.exec([*PAQUET, "discover", "2001:db8:0:1::/64"])
    assert too_big.returncode == 2 and too_big.stdout == "" and too_big.stderr.count("\n") == 1
    silent = client.exec([*PAQUET, "discover", "2001:db8:0:1::c"])
    assert silent.returncode == 1
