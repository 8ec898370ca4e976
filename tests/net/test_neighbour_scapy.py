"""The destination MAC of a frame left to default, compared with Scapy's on the same host.

Scapy's ``getmacbyip``/``getmacbyip6`` answer a multicast group with its mapped address,
broadcast and loopback with ``ff:ff:ff:ff:ff:ff``, and ask the link for anything else (the
host's own address and an absent neighbour get no answer: Scapy then uses broadcast too).
Loopback is compared in this namespace (nothing leaves it); the other cases in the client
namespace of the ``net`` fixture, each library in its own interpreter.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest
from pqnet_helpers import Net, ns_exec

scapy_all = pytest.importorskip("scapy.all")

SRC = str(Path(__file__).resolve().parents[2] / "src")

# Each script prints a JSON list: the first 12 bytes (dst, src MACs) of each frame, in hex.
_PROGRAM = textwrap.dedent(
    """
    import json, logging, sys
    logging.getLogger("scapy").setLevel(logging.ERROR)
    from {lib} import Ether, IP, IPv6
    out = []
    for dst in sys.argv[1:]:
        layer = IPv6 if ":" in dst else IP
        out.append(bytes(Ether() / layer(dst=dst))[:12].hex())
    print(json.dumps(out))
    """
)


def _frames(ns: str, lib: str, dsts: list[str]) -> list[str]:
    env_src = f"PYTHONPATH={SRC}"
    done = ns_exec(ns, "env", env_src, sys.executable, "-c", _PROGRAM.format(lib=lib), *dsts)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_loopback_and_no_payload_as_scapy() -> None:
    from paquet import IP, Ether, IPv6

    cases = [
        (Ether(), scapy_all.Ether()),
        (Ether() / IP(), scapy_all.Ether() / scapy_all.IP()),
        (Ether() / IP(dst="127.0.0.1"), scapy_all.Ether() / scapy_all.IP(dst="127.0.0.1")),
        (Ether() / IP(dst="127.0.0.9"), scapy_all.Ether() / scapy_all.IP(dst="127.0.0.9")),
        (Ether() / IPv6(), scapy_all.Ether() / scapy_all.IPv6()),
        (Ether() / IPv6(dst="::1"), scapy_all.Ether() / scapy_all.IPv6(dst="::1")),
        (Ether() / IP(dst="224.0.0.251"), scapy_all.Ether() / scapy_all.IP(dst="224.0.0.251")),
    ]
    for ours, theirs in cases:
        assert bytes(ours) == bytes(theirs), ours.summary()


@pytest.mark.privileged
@pytest.mark.skipif(os.geteuid() != 0, reason="needs namespaces (root)")
def test_every_kind_of_destination_as_scapy(net: Net) -> None:
    dsts = [
        net.client_ip,        # our own address: Scapy asks in vain, then broadcast
        net.client_ip6,
        "127.0.0.1",          # loopback
        "::1",
        "255.255.255.255",    # limited broadcast
        "198.51.100.255",     # directed broadcast of the client's subnet
        "224.0.0.251",        # multicast groups: their mapped addresses
        "ff02::1:ff00:2",
        net.router_ip,        # a neighbour that answers: its MAC
        net.server_ip,        # through the gateway: the router's MAC
        "198.51.100.77",      # on the link, nobody answers: broadcast
    ]
    ours = _frames(net.client, "paquet", dsts)
    theirs = _frames(net.client, "scapy.all", dsts)
    for dst, a, b in zip(dsts, ours, theirs, strict=True):
        assert a[:12] == b[:12], f"destination MAC towards {dst}: paquet {a[:12]}, Scapy {b[:12]}"
    # Their sources agree too (the interface's MAC, zeros on loopback).
    assert [a[12:] for a in ours] == [b[12:] for b in theirs]
