"""``VEthPair`` and interfaces made again under the same name, compared with Scapy: inside a
namespace made here (and deleted), frames sent on one end are captured on the other."""

from __future__ import annotations

import subprocess
import threading
from typing import Any

import pytest
from pqnet_helpers import both_libraries, fresh_namespace

import paquet

scapy = pytest.importorskip("scapy.all")
pytestmark = pytest.mark.privileged


def _wire_twice(module: str) -> list[Any]:
    """Twice: a veth pair made by ``module``'s VEthPair, two frames sent on one end and
    captured on the other; then the pair removed. What each round captured, and whether the
    interfaces were listed while the pair existed and gone after."""
    m: Any = paquet if module == "paquet" else __import__("scapy.arch.linux", fromlist=["*"])
    api: Any = paquet if module == "paquet" else scapy
    out: list[Any] = []
    for _ in range(2):
        with m.VEthPair("vethpq0", "vethpq1") as pair:
            listed = {"vethpq0", "vethpq1"} <= set(api.get_if_list())
            listening = threading.Event()  # (frames sent before it listens are missed)
            sniffer = api.AsyncSniffer(iface=pair.peer(), count=2,
                                       lfilter=lambda p: api.Ether in p and p.type == 0xBEEF,
                                       started_callback=listening.set)
            sniffer.start()
            assert listening.wait(10)
            api.sendp(api.Ether(dst="ff:ff:ff:ff:ff:ff", type=0xBEEF) / b"0123456789",
                      iface=pair.iface(), count=2, verbose=0)
            sniffer.join(5)
            if sniffer.running:
                sniffer.stop()
            out.append((listed, [bytes(p.payload) for p in sniffer.results]))
        api.conf.ifaces.reload()
        out.append("vethpq0" in api.get_if_list())
    return out


def test_veth_pair_made_twice_like_scapy() -> None:
    with fresh_namespace("pqveth") as ns:
        ours, theirs = both_libraries(ns, _wire_twice)
    assert ours == theirs
    assert ours[0] == (True, [b"0123456789"] * 2)


def test_veth_pair_errors_like_scapy() -> None:
    from scapy.arch.linux import VEthPair as ScapyVEthPair

    for cls in (paquet.VEthPair, ScapyVEthPair):
        pair = cls("this_name_is_far_too_long_for_linux", "vethpq1")
        assert (pair.iface(), pair.peer()) == ("this_name_is_far_too_long_for_linux", "vethpq1")
        with pytest.raises(subprocess.CalledProcessError):
            pair.setup()
