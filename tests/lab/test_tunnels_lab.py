"""Tunnels against the Linux kernel, in a lab of two namespaces (documentation addresses).

* A VXLAN overlay (VNI 42, UDP 4789) between the nodes ``a`` and ``b``: a ping across it,
  captured on the underlay by paquet and by tshark at once; paquet dissects every frame end to
  end (Ether / IP / UDP / VXLAN / Ether / IP / ICMP), field by field as tshark does, and both
  captures hold the same bytes.
* VXLAN frames built by paquet and sent on the underlay: the kernel's VXLAN device of the far
  node decapsulates them (the inner frame is seen on its ``vx0``, byte for byte).
* GRE: this kernel has no ``gre`` device (``ip link add ... type gre`` fails, said so in
  ``docs``); paquet's GRE frames cross the link and tshark reads them as paquet built them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.layers.scapy_compare import tshark_read, values

from paquet.lab import Lab
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark"),
]

TOPOLOGY = """
name = "vxlan"
[nodes.a]
[nodes.b]
[[links]]
nodes = ["a", "b"]
subnet = "192.0.2.0/24"
address = { a = 1, b = 2 }
"""
VNI = 42
#: The overlay: each node's vx0 address and MAC.
OVERLAY = {"a": ("198.51.100.1", "02:00:00:00:0a:01"), "b": ("198.51.100.2", "02:00:00:00:0a:02")}


def _setup_vxlan(lab: Lab, name: str, peer: str) -> None:
    node, other = lab[name], lab[peer]
    addr, mac = OVERLAY[name]
    peer_addr, peer_mac = OVERLAY[peer]
    for cmd in (
        f"ip link add vx0 type vxlan id {VNI} remote {other.addr()} local {node.addr()} "
        f"dstport 4789 dev {node.iface(peer)}",
        f"ip link set vx0 address {mac}",
        # No IPv6 on the overlay (its router solicitations would cross it): only the ping.
        "sysctl -qw net.ipv6.conf.vx0.disable_ipv6=1",
        f"ip addr add {addr}/24 dev vx0",
        "ip link set vx0 up",
        # Static neighbours: no ARP across the overlay, the capture holds the ping alone.
        f"ip neigh replace {peer_addr} lladdr {peer_mac} dev vx0 nud permanent",
    ):
        node.exec(cmd, check=True)


@pytest.fixture(scope="module")
def lab(lab_module_factory: LabFactory) -> Iterator[Lab]:
    lab = lab_module_factory(parse(TOPOLOGY))
    _setup_vxlan(lab, "a", "b")
    _setup_vxlan(lab, "b", "a")
    yield lab


def _tshark_capture(lab: Lab, node: str, iface: str, bpf: str, count: int,
                    path: Path) -> subprocess.Popen[str]:
    """tshark capturing ``count`` frames on ``iface`` of ``node`` into ``path`` (pcap); returns
    once it is capturing (its "Capture started" message: "Capturing on" comes earlier)."""
    proc = lab[node].popen(["tshark", "-n", "-i", iface, "-f", bpf, "-c", str(count),
                            "-F", "pcap", "-w", str(path)],
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "Capture started" in line:
            return proc
    proc.wait(timeout=10)
    raise AssertionError(f"tshark did not start on {node}:{iface}")


def test_ping_across_the_overlay_dissected_end_to_end(lab: Lab, tmp_path: Path) -> None:
    from paquet.layers import ICMP, IP, UDP, Ether
    from paquet.layers.vxlan import VXLAN
    from paquet.net.sniff import AsyncSniffer
    from paquet.pcap import rdpcap

    iface = lab["a"].iface("b")
    path = tmp_path / "underlay.pcap"
    sniffer = AsyncSniffer(iface=iface, filter="udp port 4789", netns=lab["a"].ns, count=4,
                           timeout=30)
    sniffer.start()
    tshark = _tshark_capture(lab, "a", iface, "udp port 4789", 4, path)
    try:
        ping = lab["a"].exec(["ping", "-c", "2", "-i", "0.2", "-W", "5", OVERLAY["b"][0]])
        assert ping.returncode == 0, ping.stdout + ping.stderr
        sniffer.join(timeout=30)
        tshark.wait(timeout=30)
    finally:
        if tshark.poll() is None:
            tshark.kill()
            tshark.wait()
        sniffer.stop()
    ours = list(sniffer.results or [])
    assert len(ours) == 4
    # paquet and tshark captured the same frames.
    assert [bytes(p) for p in rdpcap(str(path))] == [bytes(p) for p in ours]
    trees = tshark_read(path)
    assert len(trees) == 4
    kinds = []
    for pkt, tree in zip(ours, trees, strict=True):
        pkt = Ether(bytes(pkt))
        v = pkt[VXLAN]
        inner = v.payload
        assert isinstance(inner, Ether) and isinstance(inner.payload, IP)
        assert isinstance(inner.payload.payload, ICMP)
        kinds.append(inner[ICMP].type)
        assert v.vni == VNI and v.flags == 0x08
        assert int(values(tree, "vxlan.vni")[0]) == v.vni
        assert int(values(tree, "vxlan.flags")[0], 16) == v.flags << 8
        assert values(tree, "udp.dstport") == [str(pkt[UDP].dport)]
        assert values(tree, "udp.srcport") == [str(pkt[UDP].sport)]
        assert values(tree, "eth.src") == [pkt.src, inner.src]
        assert values(tree, "eth.dst") == [pkt.dst, inner.dst]
        assert values(tree, "ip.src") == [pkt[IP].src, inner[IP].src]
        assert values(tree, "ip.dst") == [pkt[IP].dst, inner[IP].dst]
        assert values(tree, "ip.ttl") == [str(pkt[IP].ttl), str(inner[IP].ttl)]
        assert values(tree, "ip.id") == [f"0x{pkt[IP].id:04x}", f"0x{inner[IP].id:04x}"]
        icmp = inner[ICMP]
        assert values(tree, "icmp.type") == [str(icmp.type)]
        assert values(tree, "icmp.ident") == [str(icmp.id)]
        assert values(tree, "icmp.seq") == [str(icmp.seq)]
        assert int(values(tree, "icmp.checksum")[0], 16) == icmp.chksum
        assert {inner.src, inner.dst} == {OVERLAY["a"][1], OVERLAY["b"][1]}
    assert sorted(kinds) == [0, 0, 8, 8]  # two requests, two replies


def _send_frames(iface: str, frames: list[bytes]) -> None:
    """In a node: send ``frames`` on ``iface`` as they are."""
    from paquet.net.sendrecv import sendp

    sendp(frames, iface=iface, verbose=False)


def _mac(lab: Lab, node: str, iface: str) -> str:
    return lab[node].exec(["cat", f"/sys/class/net/{iface}/address"], check=True).stdout.strip()


def test_paquet_vxlan_frames_are_decapsulated_by_the_kernel(lab: Lab) -> None:
    from paquet.layers import ICMP, IP, UDP, Ether
    from paquet.layers.vxlan import VXLAN
    from paquet.net.sniff import AsyncSniffer

    a_if, b_if = lab["a"].iface("b"), lab["b"].iface("a")
    inner = [bytes(Ether(src=OVERLAY["a"][1], dst=OVERLAY["b"][1])
                   / IP(src=OVERLAY["a"][0], dst=OVERLAY["b"][0], id=0x4200 + i)
                   / ICMP(id=0x4242, seq=i) / f"paquet {i}".encode())
             for i in range(3)]
    frames = [bytes(Ether(src=_mac(lab, "a", a_if), dst=_mac(lab, "b", b_if))
                    / IP(src=lab["a"].addr(), dst=lab["b"].addr())
                    / UDP(sport=50000 + i, dport=4789) / VXLAN(vni=VNI, flags="Instance")
                    / Ether(f))
              for i, f in enumerate(inner)]
    sniffer = AsyncSniffer(iface="vx0", filter="icmp[icmptype] == 8", netns=lab["b"].ns,
                           count=3, timeout=30)
    sniffer.start()
    # Never on vx0: a frame of another VNI, and one with the GPE flag (P, 0x04) that Scapy's
    # binding of VXLAN to Ether sets (``VXLAN() / Ether()`` has flags 0x0C): Linux's VXLAN
    # device, not a VXLAN-GPE one, drops it.
    other = Ether(frames[0])
    other[VXLAN].vni = VNI + 1
    gpe = Ether(bytes(Ether(src=_mac(lab, "a", a_if), dst=_mac(lab, "b", b_if))
                      / IP(src=lab["a"].addr(), dst=lab["b"].addr()) / UDP(sport=49999)
                      / VXLAN(vni=VNI) / Ether(inner[0])))
    assert gpe[VXLAN].flags == 0x0C and gpe[VXLAN].NextProtocol == 3
    lab["a"].run(_send_frames, a_if, [bytes(other), bytes(gpe), *frames])
    sniffer.join(timeout=30)
    got = [bytes(p) for p in sniffer.results or []]
    assert got == inner  # decapsulated: the inner frames, byte for byte, in order


def test_no_gre_device_here_and_paquet_gre_read_by_tshark(lab: Lab, tmp_path: Path) -> None:
    from paquet.layers import IP, Ether, IPv6
    from paquet.layers.gre import GRE
    from paquet.net.sniff import AsyncSniffer
    from paquet.pcap import wrpcap

    made = lab["a"].exec(["ip", "link", "add", "gre1", "type", "gre", "local", lab["a"].addr(),
                          "remote", lab["b"].addr()])
    if made.returncode == 0:  # a kernel with ip_gre: nothing to claim (the lab goes away)
        lab["a"].exec(["ip", "link", "del", "gre1"])
    else:
        assert "Unknown device type" in made.stderr or "not supported" in made.stderr.lower()
    a_if, b_if = lab["a"].iface("b"), lab["b"].iface("a")
    frames = [bytes(Ether(src=_mac(lab, "a", a_if), dst=_mac(lab, "b", b_if))
                    / IP(src=lab["a"].addr(), dst=lab["b"].addr()) / gre / payload)
              for gre, payload in (
                  (GRE(key_present=1, key=VNI, chksum_present=1),
                   IP(src="198.51.100.1", dst="198.51.100.2") / b"gre"),
                  (GRE(seqnum_present=1, sequence_number=7),
                   IPv6(src="2001:db8::1", dst="2001:db8::2")),
                  (GRE(), Ether(src=OVERLAY["a"][1], dst=OVERLAY["b"][1]) / b"teb"))]
    sniffer = AsyncSniffer(iface=b_if, filter="ip proto 47", netns=lab["b"].ns, count=3,
                           timeout=30)
    sniffer.start()
    lab["a"].run(_send_frames, a_if, frames)
    sniffer.join(timeout=30)
    got = list(sniffer.results or [])
    assert [bytes(p) for p in got] == frames
    path = tmp_path / "gre.pcap"
    wrpcap(str(path), got)
    for pkt, tree in zip(got, tshark_read(path), strict=True):
        g = Ether(bytes(pkt))[GRE]
        assert int(values(tree, "gre.proto")[0], 16) == g.proto
        assert int(values(tree, "gre.flags.key")[0]) == g.key_present
        if g.key_present:
            assert int(values(tree, "gre.key")[0], 16) == g.key
        if g.chksum_present:
            assert int(values(tree, "gre.checksum")[0], 16) == g.chksum
            assert values(tree, "gre.checksum.status") == ["1"]
        if g.seqnum_present:
            assert int(values(tree, "gre.sequence_number")[0]) == g.sequence_number
