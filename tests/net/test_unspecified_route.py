"""The route to ``0.0.0.0`` as Scapy takes it (the default route's), where the kernel answers
with its loopback: ``ARP().psrc`` and ``IP(dst="0.0.0.0").src`` compared with Scapy 2.8 run in
the same namespace (the client of ``net``, whose default route goes through the router)."""

from __future__ import annotations

import json
import os
import sys

import pytest
from pqnet_helpers import Net, ns_exec

import paquet

pytest.importorskip("scapy.all")

_SRC = os.path.dirname(os.path.dirname(paquet.__file__))

_SCRIPT = """
import json, sys
sys.path.insert(0, {src!r})
import scapy.all as s
import paquet as p
from paquet.net.route import get_route
r = get_route("0.0.0.0")
print(json.dumps({{
    "scapy": [s.ARP().psrc, s.IP(dst="0.0.0.0").src, list(s.conf.route.route("0.0.0.0"))],
    "paquet": [p.ARP().psrc, p.IP(dst="0.0.0.0").src, [r.ifname, r.src, r.gateway]],
    "kernel": [p.IP().src, s.IP().src],
}}))
"""


def _both(ns: str) -> dict[str, list[object]]:
    out = ns_exec(ns, sys.executable, "-c", _SCRIPT.format(src=_SRC)).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.privileged
def test_unspecified_destination_takes_the_default_route_as_scapy(net: Net) -> None:
    got = _both(net.client)
    assert got["paquet"] == got["scapy"]
    assert got["paquet"][0] == net.client_ip  # the default route's source, not loopback
    assert got["kernel"][0] == got["kernel"][1] == "127.0.0.1"  # the usual default dst


@pytest.mark.privileged
def test_unspecified_destination_without_default_route_unchanged(net: Net) -> None:
    ns_exec(net.client, "ip", "route", "del", "default")
    try:
        got = _both(net.client)
    finally:
        ns_exec(net.client, "ip", "route", "add", "default", "via", net.router_ip)
    # Without a default route the kernel's answer (loopback) stays: Scapy has no route there
    # and gives 0.0.0.0, paquet keeps an address the host has.
    assert got["paquet"][0] == "127.0.0.1"
    assert got["scapy"][0] == "0.0.0.0"  # (a deliberate difference, checked)
