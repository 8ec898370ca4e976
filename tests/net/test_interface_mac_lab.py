"""On the course lab: an ARP layer's own MAC (``hwsrc`` left to None) is the interface's, as
``ip -j link show`` reports it, and learning it sends no ARP request (the neighbour table stays
empty, a capture shows none until a real neighbour lookup, which proves it would see one).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.privileged


def _own_mac_without_arp(target: str, iface: str) -> dict[str, Any]:
    """Inside a lab node: ``ARP(pdst=target).hwsrc`` with the neighbour table emptied first,
    under a capture of ARP; then one real lookup of ``target`` as a control."""
    import subprocess
    import time

    from paquet.layers import ARP, Ether
    from paquet.net import resolver
    from paquet.net.neighbour import getmacbyip
    from paquet.net.sniff import AsyncSniffer

    resolver.install()
    subprocess.run(["ip", "neigh", "flush", "to", target, "dev", iface], check=True)
    sniffer = AsyncSniffer(iface=iface, filter="arp")
    sniffer.start()
    try:
        hwsrc = str(ARP(pdst=target).hwsrc)
        frame = bytes(Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(pdst=target))
        time.sleep(0.3)
        neigh = subprocess.run(
            ["ip", "-j", "neigh", "show", "to", target, "dev", iface],
            capture_output=True, text=True, check=True,
        ).stdout
        built = time.time()
        control = getmacbyip(target)  # a neighbour lookup: one ARP request, answered
        time.sleep(0.3)
    finally:
        captured = sniffer.stop()
    requests = [
        float(p.time) for p in captured
        if p.haslayer(ARP) and p[ARP].op == 1 and p[ARP].pdst == target
    ]
    return {
        "hwsrc": hwsrc,
        "frame_src": frame[6:12].hex(":"),
        "frame_hwsrc": frame[22:28].hex(":"),
        "neigh": json.loads(neigh or "[]"),
        "before": [t for t in requests if t < built],
        "after": [t for t in requests if t >= built],
        "control": control,
    }


def test_arp_hwsrc_is_the_interface_mac_and_sends_no_arp(tp: Any) -> None:
    client, neighbour = tp["client"], tp["neighbour"]
    iface = client.iface("neighbour")
    shown = client.exec(["ip", "-j", "link", "show", "dev", iface], check=True).stdout
    link_mac = json.loads(shown)[0]["address"]
    got = client.run(_own_mac_without_arp, neighbour.addr(), iface)
    assert got["hwsrc"] == got["frame_src"] == got["frame_hwsrc"] == link_mac
    assert got["neigh"] == []  # the kernel was not asked to resolve the neighbour
    assert got["before"] == []  # and nobody sent an ARP request for it
    # The control: a real lookup is seen by the same capture, and answered.
    assert len(got["after"]) >= 1
    assert got["control"] == neighbour.run(_link_mac, neighbour.interfaces[0].name)


def _link_mac(iface: str) -> str:
    from paquet.net.netlink import link

    return link(iface).mac
