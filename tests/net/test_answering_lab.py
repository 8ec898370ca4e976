"""Answering machines in the ``tp`` lab: the neighbour answers ARP and pings for an address no
node has (192.0.2.99) with ``ARP_am`` and ``ICMPEcho_am``; the client pings it. The same is done
with Scapy's machines in the same lab: the client must see the same thing, and the machines
must print the same lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paquet

FAKE = "192.0.2.99"

MACHINES = """
import sys
lib, iface, ip = sys.argv[1:4]
if lib == "scapy":
    import scapy.all as m
else:
    import paquet as m
arp = m.ARP_am(IP_addr=ip, iface=iface)
echo = m.ICMPEcho_am(iface=iface, filter=f"icmp and dst host {ip}")
sniffers = [arp.bg(), echo.bg()]
if lib == "scapy":  # Scapy's start() returns before its socket is open: wait for it
    import time
    deadline = time.monotonic() + 10
    while not all(getattr(s, "continue_sniff", False) for s in sniffers):
        assert time.monotonic() < deadline, "Scapy's sniffers did not start"
        time.sleep(0.01)
print("ready", flush=True)
sys.stdin.read()
if lib == "scapy":  # Scapy 2.8's machines have no stop(): their sniffers do
    for s in sniffers:
        s.stop()
else:
    arp.stop()
    echo.stop()
    assert not any(s.running for s in sniffers)
"""


def _fake_host(tp: Any, lib: str) -> tuple[int, str, list[str]]:
    """(ping replies the client got, the MAC it learnt for FAKE, what the machines printed)."""
    client, neighbour = tp["client"], tp["neighbour"]
    client.exec(["ip", "neigh", "flush", "to", FAKE])
    env = dict(os.environ, PYTHONPATH=str(Path(paquet.__file__).parents[1]))
    child = neighbour.popen([sys.executable, "-c", MACHINES, lib, neighbour.iface("client"),
                             FAKE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None and child.stdin is not None
        if child.stdout.readline().strip() != "ready":
            child.kill()
            raise AssertionError(f"{lib}'s machines did not start: {child.communicate()[1]}")
        ping = client.exec(["ping", "-n", "-c", "2", "-i", "0.3", "-W", "2", FAKE], timeout=30)
        neigh = client.exec(["ip", "neigh", "show", FAKE]).stdout.split()
        out, err = child.communicate("", timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    mac = neigh[neigh.index("lladdr") + 1] if "lladdr" in neigh else ""
    return ping.stdout.count("bytes from"), mac, sorted(set(out.splitlines()))


def test_farpd_and_icmpechod_as_scapy(tp: Any) -> None:
    pytest.importorskip("scapy.all")
    neighbour_mac = tp["neighbour"].exec(
        ["cat", f"/sys/class/net/{tp['neighbour'].iface('client')}/address"]).stdout.strip()
    ours = _fake_host(tp, "paquet")
    theirs = _fake_host(tp, "scapy")
    assert ours[0] == 2 and theirs[0] >= 1
    assert ours[1] == theirs[1] == neighbour_mac
    assert ours[2] == theirs[2]
    assert f"Replying {tp['client'].addr()} to {FAKE}" in ours[2]
