"""The probing helpers in the course lab (``tp``), each run next to Scapy's in the same node:
traceroute(6), arping, getmacbyip6/neighsol, send() of ARP, srloop/srploop, the floods,
arpcachepoison and arp_mitm (the victims' caches read with ``ip neigh``), sendpfast.

Everything is sent from inside the lab's namespaces; every poisoned cache is emptied at the
end of its test, whether it passed or not.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import probing_helpers as h
import pytest

pytest.importorskip("scapy.all")
pytestmark = pytest.mark.privileged

SRC = str(Path(__file__).resolve().parents[2] / "src")
LAN = ("client", "neighbour", "gateway")


def _table(printed: str) -> list[str]:
    """The table a traceroute prints (after sr's own lines)."""
    lines = printed.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Received "):
            return lines[i + 1:]
    return lines


@pytest.mark.parametrize("version", [4, 6])
def test_traceroute_as_scapy(tp: Any, version: int) -> None:
    remote, server = tp["remote"].addr(version), tp["server"].addr(version)
    func = "traceroute" if version == 4 else "traceroute6"
    kwargs = {"maxttl": 6, "timeout": 1, "dport": 80}
    ours = tp["client"].run(h.traceroute, "paquet", func, [remote, server], **kwargs)
    theirs = tp["client"].run(h.traceroute, "scapy", func, [remote, server], **kwargs)
    assert ours[1] == theirs[1]  # get_trace(): the same hops, the same end
    hops = {ttl: hop[0] for ttl, hop in ours[1][remote].items()}
    assert hops == {1: tp["gateway"].addr(version, "lan"), 2: tp["r1"].addr(version, "wan1"),
                    3: tp["r2"].addr(version, "wan2"), 4: remote}
    assert _table(ours[0]) == _table(theirs[0])  # the printed table, column for column
    assert _shape(ours[0]) == _shape(theirs[0])  # sr's own lines too
    assert ours[2] == theirs[2] == 0


def test_traceroute_keeps_one_flow_unlike_scapy(tp: Any) -> None:
    """Paris traceroute: every probe of a run has the same 5-tuple, so a per-flow load
    balancer sends them all one way; Scapy draws a source port per probe (one flow per TTL)."""
    remote = tp["remote"].addr()
    assert tp["client"].run(h.traceroute_flows, "paquet", remote) == 1
    assert tp["client"].run(h.traceroute_flows, "scapy", remote) > 1


def _shape(printed: str) -> str:
    """Printed text with the numbers and the answer marks (their count and place depend on
    timing) taken out."""
    return re.sub(r"\d+", "N", re.sub(r"[*.]+", "", printed))


@pytest.mark.parametrize("l4", ["UDP", "ICMP"])
def test_traceroute_with_l4_prints_as_scapy(tp: Any, l4: str) -> None:
    remote = tp["remote"].addr()
    kwargs = {"maxttl": 5, "timeout": 1}
    ours = tp["client"].run(h.traceroute_l4, "paquet", remote, l4, **kwargs)
    theirs = tp["client"].run(h.traceroute_l4, "scapy", remote, l4, **kwargs)
    assert ours[1] == theirs[1]
    assert _table(ours[0]) == _table(theirs[0])
    assert _shape(ours[0]) == _shape(theirs[0])  # sr's own lines too


def test_arping_as_scapy(tp: Any) -> None:
    client = tp["client"]
    ours = client.run(h.arping, "paquet", "192.0.2.0/24", timeout=1)
    theirs = client.run(h.arping, "scapy", "192.0.2.0/24", timeout=1)
    assert ours[1] == theirs[1]
    expected = sorted((tp[n].addr(4, "lan"), tp[n].run(h.iface_mac, tp[n].iface("client")))
                      for n in ("neighbour", "gateway"))
    assert ours[1] == expected
    assert _table(ours[0]) == _table(theirs[0])  # src, manuf, psrc, sorted as Scapy
    assert _shape(ours[0]) == _shape(theirs[0])  # srp's own lines too
    assert _table(ours[0])[0].split() == ["src", "manuf", "psrc"]


def test_getmacbyip6_and_neighsol_as_scapy(tp: Any) -> None:
    client, neighbour = tp["client"], tp["neighbour"]
    args = (neighbour.addr(6), client.addr(6), client.iface("neighbour"))
    ours = client.run(h.neighbours, "paquet", *args)
    theirs = client.run(h.neighbours, "scapy", *args)
    real = neighbour.run(h.iface_mac, neighbour.iface("client"))
    assert ours == theirs == (real, real)
    # Multicast and loopback, as Scapy answers them.
    for ip6 in ("ff02::1", "ff02::1:ff00:a", "::1"):
        assert client.run(h.call, "paquet", "getmacbyip6", ip6)[1] == \
            client.run(h.call, "scapy", "getmacbyip6", ip6)[1]


def test_send_of_arp_goes_out_at_layer_2_as_scapy(tp: Any) -> None:
    client, neighbour = tp["client"], tp["neighbour"]
    client_ip, client_mac = client.addr(), client.run(h.iface_mac, client.iface("neighbour"))
    for name in ("paquet", "scapy"):
        neighbour.run(h.flush_neigh)
        printed, summary = client.run(h.send_arp, name, neighbour.addr())
        assert printed == ".\nSent 1 packets.\n"
        assert summary == f"ARP who has {neighbour.addr()} says {client_ip}"
        # The neighbour got the request: it learnt the client's MAC from it.
        assert neighbour.run(h.neigh_mac, client_ip) == client_mac, name


def _normal(printed: str) -> str:
    return re.sub(r"\d+\.\d+%", "P%", printed)


@pytest.mark.parametrize("layer", [3, 2])
@pytest.mark.parametrize(("verbose", "quiet"), [(1, False), (2, False), (2, True)])
def test_srloop_srploop_print_as_scapy(tp: Any, layer: int, verbose: int, quiet: bool) -> None:
    dst = tp["server"].addr() if layer == 3 else tp["gateway"].addr(4, "lan")
    kwargs: dict[str, Any] = {"count": 2, "inter": 0.1, "timeout": 0.5, "verbose": verbose}
    if quiet:  # prn=None, prnfail=None: Scapy's "recv:N  fail:N" lines
        kwargs.update(prn=None, prnfail=None)
    ours = tp["client"].run(h.loop, "paquet", layer, dst, **kwargs)
    theirs = tp["client"].run(h.loop, "scapy", layer, dst, **kwargs)
    assert ours == theirs
    assert ours[1:] == (2, 0)


@pytest.mark.parametrize(("func", "layer"), [("srflood", 3), ("sr1flood", 3),
                                             ("srpflood", 2), ("srp1flood", 2)])
def test_floods_as_scapy(tp: Any, func: str, layer: int) -> None:
    dst = tp["server"].addr() if layer == 3 else tp["gateway"].addr(4, "lan")
    kwargs: dict[str, Any] = {"timeout": 1, "verbose": 0}
    if layer == 2:
        kwargs["iface"] = tp["client"].iface("gateway")
    ours = tp["client"].run(h.flood, "paquet", func, layer, dst, **kwargs)
    theirs = tp["client"].run(h.flood, "scapy", func, layer, dst, **kwargs)
    verbose = {**kwargs, "verbose": 2, "timeout": 0.3}
    assert _shape(tp["client"].run(h.flood, "paquet", func, layer, dst, **verbose)[0]) == \
        _shape(tp["client"].run(h.flood, "scapy", func, layer, dst, **verbose)[0])
    if func.endswith("1flood"):
        assert ours[1] == theirs[1] is not None  # the first answer
        return
    # Both flood until the timeout: one pair per answer, one unanswered entry per sending
    # left without one (how many of each depends on the speed).
    (ours_ans, _ours_unans), (their_ans, _their_unans) = ours[1], theirs[1]
    assert set(ours_ans) == set(their_ans) and len(set(ours_ans)) == 1
    assert len(ours_ans) > 1 and len(their_ans) > 1


def test_flood_stamps_the_packets_passed_as_scapy(tp: Any) -> None:
    server = tp["server"].addr()
    assert tp["client"].run(h.flood_stamps, "paquet", server) == \
        tp["client"].run(h.flood_stamps, "scapy", server) == [True, True, True]


@pytest.fixture
def clean_caches(tp: Any) -> Iterator[None]:
    """The LAN's neighbour tables emptied and the attacker's forwarding and redirect settings
    put back after the test, whether it passed or not (a poisoning never outlives it)."""
    settings = tp["neighbour"].run(h.read_sysctls)
    try:
        yield
    finally:
        for name in LAN:
            tp[name].run(h.flush_neigh)
        tp["neighbour"].run(h.write_sysctls, settings)


def _until(check: Callable[[], bool], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
    return False


@pytest.mark.usefixtures("clean_caches")
def test_arpcachepoison_as_scapy(tp: Any) -> None:
    client, neighbour = tp["client"], tp["neighbour"]
    gw = tp["gateway"].addr(4, "lan")
    gw_mac = tp["gateway"].run(h.iface_mac, tp["gateway"].iface("client"))
    attacker = neighbour.run(h.iface_mac, neighbour.iface("client"))
    for name in ("paquet", "scapy"):
        client.run(h.flush_neigh)
        assert client.run(h.ping, gw)
        assert client.run(h.neigh_mac, gw) == gw_mac  # before
        neighbour.run(h.poison, name, client.addr(), gw)
        assert client.run(h.neigh_mac, gw) == attacker, name  # poisoned
    client.run(h.flush_neigh)
    assert client.run(h.ping, gw)
    assert client.run(h.neigh_mac, gw) == gw_mac  # after


def _mitm(tp: Any, name: str) -> tuple[str, bool, dict[str, str]]:
    """arp_mitm(client, gateway) run by the neighbour until the caches of both are poisoned,
    then stopped with SIGINT (Ctrl-C); (its output, whether the client could ping the remote
    host through it meanwhile, the attacker's settings meanwhile)."""
    client, neighbour, gateway = tp["client"], tp["neighbour"], tp["gateway"]
    gw = gateway.addr(4, "lan")
    attacker = neighbour.run(h.iface_mac, neighbour.iface("client"))
    proc = neighbour.popen(h.mitm_script(name, client.addr(), gw, SRC),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        poisoned = _until(lambda: client.run(h.neigh_mac, gw) == attacker
                          and gateway.run(h.neigh_mac, client.addr()) == attacker)
        assert poisoned, f"{name}: the caches were not poisoned"
        forwarded = client.run(h.ping, tp["remote"].addr())
        during = neighbour.run(h.read_sysctls)
        proc.send_signal(signal.SIGINT)
        out, _err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return out, forwarded, during


@pytest.mark.usefixtures("clean_caches")
def test_arp_mitm_poisons_both_ways_and_restores_as_scapy(tp: Any) -> None:
    client, neighbour, gateway = tp["client"], tp["neighbour"], tp["gateway"]
    gw = gateway.addr(4, "lan")
    gw_mac = gateway.run(h.iface_mac, gateway.iface("client"))
    client_mac = client.run(h.iface_mac, client.iface("gateway"))
    settings = neighbour.run(h.read_sysctls)
    assert neighbour.iface("client") == "eth0"  # the interface whose redirects are read
    outputs = {}
    for name in ("scapy", "paquet"):
        assert client.run(h.ping, gw)  # both caches hold the true MACs
        out, forwarded, during = _mitm(tp, name)
        outputs[name] = out
        # Restored: each victim has the other's true MAC again.
        assert client.run(h.neigh_mac, gw) == gw_mac, name
        assert gateway.run(h.neigh_mac, client.addr()) == client_mac, name
        if name == "paquet":
            assert forwarded  # the client still reached the remote host, through us
            assert list(during.values()) == ["1", "0", "0"]  # forwarding on, no redirects
    assert neighbour.run(h.read_sysctls) == settings  # forwarding, redirects: as they were
    first = {name: out.splitlines()[0] for name, out in outputs.items()}
    assert first["paquet"] == first["scapy"]
    assert first["paquet"].startswith("MITM on eth")
    for out in outputs.values():
        assert "Restoring..." in out


@pytest.mark.usefixtures("clean_caches")
def test_sendpfast_without_tcpreplay_delivers_every_frame(tp: Any) -> None:
    client, server = tp["client"], tp["server"]
    gw_mac = tp["gateway"].run(h.iface_mac, tp["gateway"].iface("client"))
    server.clear_logs("udp:10000")
    result = client.run(h.sendpfast_udp, server.addr(), gw_mac, client.iface("gateway"), 2)
    assert result is not None and result["packets"] == 6
    got = [r.data for r in server.wait_logs("udp:10000", 6) if r.event == "recv"]
    assert sorted(got) == sorted([b"fast0", b"fast1", b"fast2"] * 2)


@pytest.mark.parametrize("verbose", [1, 2])
def test_srloop_unanswered_rounds_print_as_scapy(tp: Any, verbose: int) -> None:
    # Addresses of the client's own link with no host there, one per run: nothing answers,
    # not even a router's host-unreachable (which came seconds after a DMZ address's probes,
    # and answered the next run's).
    silent = {lib: f"192.0.2.{200 + 2 * verbose + i}" for i, lib in enumerate(("paquet",
                                                                            "scapy"))}
    kwargs = {"count": 2, "inter": 0.1, "timeout": 0.3, "verbose": verbose}
    ours = tp["client"].run(h.loop, "paquet", 3, silent["paquet"], **kwargs)
    theirs = tp["client"].run(h.loop, "scapy", 3, silent["scapy"], **kwargs)
    assert ours[0].replace(silent["paquet"], "X") == theirs[0].replace(silent["scapy"], "X")
    assert ours[1:] == theirs[1:] == (0, 2)
