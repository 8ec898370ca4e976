"""``conf.route6.ipv6_ifaces`` compared with Scapy's, in a namespace made here (and deleted)
with a veth pair, one end with an IPv6 address."""

from __future__ import annotations

import subprocess

import pytest
from pqnet_helpers import both_libraries, fresh_namespace

pytest.importorskip("scapy.all")
pytestmark = pytest.mark.privileged


def _ipv6_ifaces(module: str) -> list[str]:
    if module == "paquet":
        from paquet import conf
    else:
        from scapy.all import conf
    conf.route6.resync()
    return sorted(conf.route6.ipv6_ifaces)


def test_ipv6_ifaces_like_scapy() -> None:
    with fresh_namespace("pqr6") as ns:
        run = ["ip", "netns", "exec", ns, "ip"]
        subprocess.run([*run, "link", "add", "vethr0", "type", "veth", "peer", "name", "vethr1"],
                       check=True)
        subprocess.run([*run, "link", "set", "vethr0", "up"], check=True)
        subprocess.run([*run, "-6", "addr", "add", "2001:db8::1/64", "dev", "vethr0", "nodad"],
                       check=True)
        ours, theirs = both_libraries(ns, _ipv6_ifaces)
    assert ours == theirs
    assert "lo" in ours
