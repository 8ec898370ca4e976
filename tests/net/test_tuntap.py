"""TUN/TAP interfaces, ``bridge_and_sniff``, ``sniff(opened_socket=...)`` and
``conf.route.add``: compared with Scapy on the same input. The interfaces are made inside a
namespace made here (and deleted), and the only traffic is the kernel's own, inside it."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from typing import Any

import pytest
from pqnet_helpers import both_libraries, fresh_namespace

import paquet

scapy = pytest.importorskip("scapy.all")


def test_tun_packet_info_like_scapy() -> None:
    from scapy.layers.tuntap import LinuxTunPacketInfo as ScapyInfo

    for upper in ("IP", "IPv6"):
        ours = paquet.LinuxTunPacketInfo() / getattr(paquet, upper)(dst="2001:db8::1" if
                                                                     upper == "IPv6" else
                                                                     "192.0.2.1")
        theirs = ScapyInfo() / getattr(scapy, upper)(dst="2001:db8::1" if upper == "IPv6"
                                                     else "192.0.2.1")
        assert bytes(ours) == bytes(theirs)
        back = paquet.LinuxTunPacketInfo(bytes(theirs))
        assert back.type == ScapyInfo(bytes(theirs)).type
        assert type(back.payload).__name__ == type(ScapyInfo(bytes(theirs)).payload).__name__


def test_sniff_opened_socket_like_scapy() -> None:
    def run(m: Any) -> list[bytes]:
        pipe = m.ObjectPipe("sniff")
        for data in (b"one", b"two", b"three"):
            pipe.send(m.Raw(data))
        got = m.sniff(opened_socket=pipe, count=2)
        pipe.close()
        return [bytes(p) for p in got]

    assert run(paquet) == run(scapy)


def test_route_add_and_delt_like_scapy() -> None:
    added = {"net": "203.0.113.0/24", "gw": "198.51.100.254", "dev": "lo"}
    answers = []
    for conf in (paquet.conf, scapy.conf):
        conf.route.add(**added)
        try:
            answers.append(conf.route.route("203.0.113.7"))
        finally:
            conf.route.delt(**added)
        with pytest.raises(ValueError):
            conf.route.delt(**added)
    assert answers[0] == answers[1]
    assert paquet.conf.use_pypy == scapy.conf.use_pypy


def _layer_names(pkt: Any) -> list[str]:
    names = []
    while pkt is not None and type(pkt).__name__ != "NoPayload":
        names.append(type(pkt).__name__)
        pkt = pkt.payload if pkt.payload else None
    return names


def _tun_udp(module: str) -> tuple[list[str], bytes]:
    m = paquet if module == "paquet" else __import__("scapy.all", fromlist=["*"])
    tun = m.TunTapInterface("tunpq0")
    try:
        subprocess.run(["ip", "link", "set", "tunpq0", "up"], check=True)
        subprocess.run(["ip", "addr", "add", "192.0.2.1", "peer", "192.0.2.2", "dev", "tunpq0"],
                       check=True)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"hello tun", ("192.0.2.2", 9))
        got = m.sniff(opened_socket=tun, count=1, timeout=5, lfilter=lambda p: m.UDP in p)
        assert len(got) == 1
        return _layer_names(got[0]), bytes(got[0][m.UDP].payload)
    finally:
        tun.close()


def _tap_bridge(module: str) -> list[Any]:
    """In a namespace: two TAP interfaces bridged by ``module``'s bridge_and_sniff (changing
    the IP source), frames the kernel sends on the first; how many the bridge saw, and the (source,
    port) of those the second gave the kernel, captured there."""
    m = paquet if module == "paquet" else __import__("scapy.all", fromlist=["*"])
    tap0, tap1 = m.TunTapInterface("tappq0"), m.TunTapInterface("tappq1")
    try:
        for name in ("tappq0", "tappq1"):
            subprocess.run(["ip", "link", "set", name, "up"], check=True)
        listening = threading.Event()  # (frames sent before the watcher listens are missed)
        watcher = m.AsyncSniffer(iface="tappq1", count=3,
                                 lfilter=lambda p: m.UDP in p and p[m.UDP].dport == 9,
                                 started_callback=listening.set)
        watcher.start()
        assert listening.wait(10)
        started = threading.Event()
        result: dict[str, Any] = {}

        def nat(pkt: Any) -> Any:
            if m.IP in pkt:
                pkt[m.IP].src = "198.51.100.1"
                del pkt[m.IP].chksum
                return pkt
            return False

        def bridge() -> None:
            result["seen"] = m.bridge_and_sniff(
                tap0, tap1, xfrm12=nat, count=3, timeout=10,
                lfilter=lambda p: m.IP in p and p[m.IP].src == "192.0.2.1",
                started_callback=started.set)

        t = threading.Thread(target=bridge)
        t.start()
        assert started.wait(10)
        for i in range(3):
            m.sendp(m.Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")
                    / m.IP(src="192.0.2.1", dst="192.0.2.2") / m.UDP(sport=1000 + i, dport=9)
                    / b"x", iface="tappq0", verbose=0)
        t.join(15)
        watcher.join(15)
        if watcher.running:
            watcher.stop()
        came_out = [(p[m.IP].src, p[m.UDP].sport) for p in watcher.results]
        return [len(result.get("seen", [])), *came_out]
    finally:
        tap0.close()
        tap1.close()


@pytest.mark.privileged
def test_tun_and_tap_in_a_namespace_like_scapy() -> None:
    if not os.path.exists("/dev/net/tun"):
        pytest.skip("needs /dev/net/tun")
    with fresh_namespace("pqtun") as ns:
        ours, theirs = both_libraries(ns, _tun_udp, timeout=30)
        assert ours == theirs
        assert ours[1] == b"hello tun"
    with fresh_namespace("pqtun") as ns:
        ours_b, theirs_b = both_libraries(ns, _tap_bridge, timeout=30)
        assert ours_b == theirs_b
        assert ours_b[0] == 3 and {src for src, _ in ours_b[1:]} == {"198.51.100.1"}
