"""VLAN hopping by double tagging, against a real VLAN-aware switch: Debian's Open vSwitch
(userspace datapath: this kernel has no openvswitch module, no VLAN devices and no bridge VLAN
filtering), in namespaces this test creates and always removes.

Two switches joined by a trunk whose native VLAN is 1. The attacker's port carries VLAN 1
only (native, untagged, ``trunks=1``); the victim's is an access port of VLAN 20. A frame
tagged 20 from the attacker is dropped; the same frame tagged twice (1 outside, 20 inside)
reaches the victim: the first switch strips the native tag on the trunk, the second reads the
inner one. Skipped where ``ovs-vswitchd`` is not installed (``apt install openvswitch-switch``).
DTP is not shown: no Linux switch answers it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from l2_lab_helpers import send_frames

from paquet import IP, UDP, AsyncSniffer, Dot1Q, Ether
from paquet.lab.netns import create_namespaces, fork_call, remove_namespace

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(shutil.which("ovs-vswitchd") is None, reason="needs Open vSwitch"),
]

ATTACKER_MAC, VICTIM_MAC = "02:00:00:00:aa:01", "02:00:00:00:bb:01"


def _run(*argv: str) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=30).stdout


class Switches:
    """Open vSwitch in namespace ``ns`` (its database and daemons under ``folder``), with
    hosts ``attacker`` and ``victim`` in namespaces of their own."""

    def __init__(self) -> None:
        stem = f"pq-ovs{os.getpid() % 100000}"
        self.ns, self.attacker, self.victim = f"{stem}-sw", f"{stem}-a", f"{stem}-v"
        self.folder = Path(tempfile.mkdtemp(prefix="paquet-ovs-"))
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env = {**os.environ, "OVS_RUNDIR": str(self.folder),
                    "OVS_LOGDIR": str(self.folder), "OVS_DBDIR": str(self.folder)}

    def vsctl(self, *args: str) -> str:
        return _run("ip", "netns", "exec", self.ns, "ovs-vsctl", "--timeout=20",
                    f"--db=unix:{self.folder}/db.sock", *args)

    def _daemon(self, *argv: str) -> None:
        self.procs.append(subprocess.Popen(["ip", "netns", "exec", self.ns, *argv],
                                           env=self.env, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))

    def up(self) -> None:
        create_namespaces([self.ns, self.attacker, self.victim])
        f = self.folder
        _run("ovsdb-tool", "create", f"{f}/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
        self._daemon("ovsdb-server", f"{f}/conf.db", f"--remote=punix:{f}/db.sock",
                     f"--unixctl={f}/db.ctl", f"--log-file={f}/db.log")
        deadline = time.monotonic() + 10
        while not (f / "db.sock").exists():  # the database is up when its socket is
            if time.monotonic() > deadline:
                raise RuntimeError("ovsdb-server did not start")
            time.sleep(0.02)
        self.vsctl("--no-wait", "init")
        self._daemon("ovs-vswitchd", f"unix:{f}/db.sock", f"--unixctl={f}/vs.ctl",
                     f"--log-file={f}/vs.log")
        for host, port, mac in ((self.attacker, "att", ATTACKER_MAC),
                                (self.victim, "vic", VICTIM_MAC)):
            _run("ip", "link", "add", port, "netns", self.ns, "type", "veth", "peer", "name",
                 "eth0", "netns", host)
            _run("ip", "-n", host, "link", "set", "eth0", "address", mac, "up")
        _run("ip", "-n", self.ns, "link", "add", "t1", "type", "veth", "peer", "name", "t2")
        for port in ("att", "vic", "t1", "t2"):
            _run("ip", "-n", self.ns, "link", "set", port, "up")
        trunk = ("vlan_mode=native-untagged", "tag=1", "trunks=1,20")
        # ovs-vsctl waits until ovs-vswitchd has applied each change.
        self.vsctl("add-br", "sw1", "--", "set", "bridge", "sw1", "datapath_type=netdev")
        self.vsctl("add-br", "sw2", "--", "set", "bridge", "sw2", "datapath_type=netdev")
        self.vsctl("add-port", "sw1", "att", "--", "set", "port", "att",
                   "vlan_mode=native-untagged", "tag=1", "trunks=1")
        self.vsctl("add-port", "sw1", "t1", "--", "set", "port", "t1", *trunk)
        self.vsctl("add-port", "sw2", "t2", "--", "set", "port", "t2", *trunk)
        self.vsctl("add-port", "sw2", "vic", "--", "set", "port", "vic", "tag=20")

    def down(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for name in (self.attacker, self.victim, self.ns):
            remove_namespace(name)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def switches() -> Iterator[Switches]:
    sw = Switches()
    try:
        sw.up()
        yield sw
    finally:
        sw.down()


def _frame(*tags: int, payload: bytes) -> bytes:
    pkt: Any = Ether(src=ATTACKER_MAC, dst="ff:ff:ff:ff:ff:ff")
    for vlan in tags:
        pkt = pkt / Dot1Q(vlan=vlan)
    return bytes(pkt / IP(src="192.0.2.66", dst="192.0.2.99") / UDP(sport=4444, dport=9)
                 / payload)


def test_double_tagging_hops_into_the_victims_vlan(switches: Switches) -> None:
    blocked = _frame(20, payload=b"tagged 20: dropped")
    hop = _frame(1, 20, payload=b"tagged 1 then 20: hops")
    sniffer = AsyncSniffer(iface="eth0", netns=switches.victim, count=1,
                           lfilter=lambda p: p.src == ATTACKER_MAC)
    sniffer.start()
    try:
        # The frames cross the same two switches in order: had the first been let through,
        # it would be the one caught.
        fork_call(switches.attacker, send_frames, ("eth0", [blocked, hop]), {}, 30)
        sniffer.join(timeout=15)
    finally:
        if sniffer.running:
            sniffer.stop()
    got = sniffer.results or []
    assert len(got) == 1
    pkt = got[0]
    assert Dot1Q not in pkt  # both tags gone: the victim's access port sends it untagged
    assert pkt[UDP].load == b"tagged 1 then 20: hops"
    assert bytes(pkt) == bytes(Ether(src=ATTACKER_MAC, dst="ff:ff:ff:ff:ff:ff")
                               / Ether(hop)[IP])
