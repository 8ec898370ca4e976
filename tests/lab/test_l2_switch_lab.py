"""Switch-level experiments against a real Linux bridge (issue 18, "in the lab").

One LAN of three hosts: the lab's switch is a Linux bridge in its own namespace (no VLAN
filtering: this kernel has none, nor VLAN devices). From host ``a``:

* double-tagged frames (802.1ad / 802.1Q / 802.1Q) cross the bridge; host ``c`` captures them
  with paquet and with tshark: both see the bytes sent, and dissect them alike;
* MAC flooding: frames from many random locally administered source MACs fill the bridge's
  forwarding table (``bridge fdb show``);
* an STP root claim: with STP on (``ip link set br-lan type bridge stp_state 1``), BPDUs with
  priority 0 make ``a`` the root (``/sys/class/net/br-lan/bridge/root_id`` before and after).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from l2_lab_helpers import send_frames
from tests.layers.scapy_compare import tshark_read

from paquet import (
    IP,
    LLC,
    STP,
    UDP,
    AsyncSniffer,
    Dot1AD,
    Dot1Q,
    Dot3,
    Ether,
    rdpcap,
)
from paquet.lab import Lab
from paquet.lab.state import switch_ns
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged

TOPOLOGY = """
name = "l2"
[nodes.a]
[nodes.b]
[nodes.c]
[[links]]
name = "lan"
nodes = ["a", "b", "c"]
subnet = "192.0.2.0/24"
"""
BRIDGE = "br-lan"
STP_GROUP = "01:80:c2:00:00:00"


@pytest.fixture(scope="module")
def lan(lab_module_factory: LabFactory) -> Iterator[Lab]:
    yield lab_module_factory(parse(TOPOLOGY, "l2"))


def _switch(lab: Lab, *argv: str) -> str:
    """Run a command in the switch's namespace; its output."""
    cmd = ["ip", "netns", "exec", switch_ns(lab.name, "lan"), *argv]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=30).stdout


def _wait(condition: Any, timeout: float = 10.0) -> bool:
    """Poll ``condition()`` until true or ``timeout`` (a state the kernel reaches)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def _iface(lab: Lab, node: str) -> str:
    return lab[node].interfaces[0].name


def test_double_tagged_frames_cross_the_bridge(lan: Lab, tmp_path: Path) -> None:
    a, c = lan["a"], lan["c"]
    a_if, c_if = _iface(lan, "a"), _iface(lan, "c")
    a_mac, c_mac = a.interfaces[0].mac, c.interfaces[0].mac
    frames = [
        bytes(Ether(src=a_mac, dst=c_mac) / Dot1AD(vlan=100 + i, prio=i % 8)
              / Dot1Q(vlan=200 + i, dei=i % 2) / Dot1Q(vlan=300 + i)
              / IP(src="192.0.2.66", dst="192.0.2.99") / UDP(sport=4000 + i, dport=9)
              / b"q-in-q")
        for i in range(4)
    ]
    pcap = tmp_path / "far.pcap"
    shark = None
    if shutil.which("tshark"):
        shark = c.popen(["tshark", "-n", "-i", c_if, "-c", str(len(frames)), "-w", str(pcap),
                         "-f", "ether src " + a_mac], stderr=subprocess.PIPE, text=True)
        assert shark.stderr is not None
        # Ready when it says what it captures on (no sleep as synchronisation).
        for line in shark.stderr:
            if "Capturing on" in line:
                break
    sniffer = AsyncSniffer(iface=c_if, netns=c.ns, count=len(frames),
                           lfilter=lambda p: p.src == a_mac)
    sniffer.start()
    try:
        assert _wait(lambda: getattr(sniffer, "running", True), 5)
        a.run(send_frames, a_if, frames)
        sniffer.join(timeout=10)
    finally:
        if sniffer.running:
            sniffer.stop()
    got = sniffer.results or []
    assert [bytes(p) for p in got] == frames  # the bridge forwards them untouched
    for pkt, frame in zip(got, frames, strict=True):
        assert pkt[Dot1AD].vlan == Ether(frame)[Dot1AD].vlan
        assert [t.vlan for t in (pkt[Dot1Q], pkt[Dot1Q].payload)] == [
            Ether(frame)[Dot1Q].vlan, Ether(frame)[Dot1Q].payload.vlan]
    if shark is None:
        return
    try:
        # "Capturing on" can come a moment before dumpcap's filter takes frames: what it
        # missed is sent again (tshark stops after as many frames as were sent, so what it
        # keeps is the frames in some rotation of their order).
        for _ in range(10):
            try:
                shark.wait(timeout=2)
                break
            except subprocess.TimeoutExpired:
                a.run(send_frames, a_if, frames)
        shark.wait(timeout=20)
    finally:
        if shark.poll() is None:
            shark.kill()
            shark.wait()
    kept = [bytes(p) for p in rdpcap(str(pcap))]
    assert sorted(kept) == sorted(frames)
    by_frame = {bytes(p): p for p in got}
    for layers, raw in zip(tshark_read(pcap), kept, strict=True):
        pkt = by_frame[raw]
        assert str(pkt[Dot1AD].vlan) in json.dumps(layers["ieee8021ad"])
        vlans = layers["vlan"] if isinstance(layers["vlan"], list) else [layers["vlan"]]
        assert [v["vlan.id"] for v in vlans] == [str(pkt[Dot1Q].vlan),
                                                  str(pkt[Dot1Q].payload.vlan)]
        assert layers["udp"]["udp.srcport"] == str(pkt[UDP].sport)


def _fdb_macs(lab: Lab) -> set[str]:
    out = _switch(lab, "bridge", "fdb", "show", "br", BRIDGE)
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def test_mac_flooding_fills_the_forwarding_table(lan: Lab) -> None:
    a = lan["a"]
    a_if = _iface(lan, "a")
    rng = random.Random(18)
    # Locally administered unicast addresses (02:...), all different.
    macs = sorted({"02:" + ":".join(f"{rng.randrange(256):02x}" for _ in range(5))
                   for _ in range(300)})
    before = _fdb_macs(lan)
    assert not before & set(macs)
    frames = [bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff", type=0x9000) / b"flood")
              for mac in macs]
    a.run(send_frames, a_if, frames)
    assert _wait(lambda: set(macs) <= _fdb_macs(lan))
    after = _fdb_macs(lan)
    assert len(after) >= len(before) + len(macs)
    # Each one learnt on a's port (the switch names its ports after the nodes).
    table = _switch(lan, "bridge", "fdb", "show", "br", BRIDGE)
    ports = {line.split()[0]: line.split()[2] for line in table.splitlines()
             if line.split()[0] in macs}
    assert set(ports.values()) == {"a"}


def _root_id(lab: Lab) -> str:
    return _switch(lab, "cat", f"/sys/class/net/{BRIDGE}/bridge/root_id").strip()


def test_an_stp_root_claim_changes_the_root(lan: Lab) -> None:
    a = lan["a"]
    a_if = _iface(lan, "a")
    a_mac = a.interfaces[0].mac
    _switch(lan, "ip", "link", "set", BRIDGE, "type", "bridge", "stp_state", "1")
    try:
        bridge_id = _switch(lan, "cat", f"/sys/class/net/{BRIDGE}/bridge/bridge_id").strip()
        assert _wait(lambda: _root_id(lan) == bridge_id)  # alone, the bridge is the root
        claim = bytes(Dot3(src=a_mac, dst=STP_GROUP) / LLC() / STP(
            rootid=0, rootmac=a_mac, pathcost=0, bridgeid=0, bridgemac=a_mac, portid=0x8001,
            age=0, maxage=20, hellotime=2, fwddelay=15))
        expected = "0000." + a_mac.replace(":", "")

        def claimed() -> bool:
            a.run(send_frames, a_if, [claim])
            return _root_id(lan) == expected

        assert _wait(claimed), (bridge_id, _root_id(lan))
        # The port towards a is now the bridge's root port.
        detail = _switch(lan, "bridge", "-d", "link", "show")
        assert "a@" in detail or " a:" in detail
        root_port = int(_switch(lan, "cat", f"/sys/class/net/{BRIDGE}/bridge/root_port"), 0)
        assert root_port != 0
    finally:
        _switch(lan, "ip", "link", "set", BRIDGE, "type", "bridge", "stp_state", "0")
