"""DHCP with real peers, in a two-node lab (server 192.0.2.1, client, on one LAN):

- paquet's client (``dhcp_discover``, ``dhcp_request``) gets an offer, then a lease, from
  Debian's dnsmasq (a whole DORA: the lease appears in dnsmasq's lease file);
- paquet's ``DHCP_am`` gives Debian's ISC dhclient its lease (dhclient's lease file says what
  the machine offered).

The lab's namespaces are removed after the module, whatever happens; the servers and clients
started here are stopped by their own process ids.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import paquet
from paquet.layers import Ether
from paquet.layers.dhcp import BOOTP, DHCP

TOPOLOGY = """
name = "dhcp"
description = "a DHCP server and a client on one LAN"
[nodes.server]
[nodes.client]
[[links]]
name = "lan"
nodes = ["server", "client"]
subnet = "192.0.2.0/24"
address = { server = 1, client = 10 }
"""

SERVER = "192.0.2.1"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if os.geteuid() != 0:
        pytest.skip("the lab needs root (network namespaces)")
    from paquet.lab.testing import LabFactory

    path = tmp_path_factory.mktemp("topology") / "dhcp.toml"
    path.write_text(TOPOLOGY)
    factory = LabFactory()
    try:
        yield factory(path)
    finally:
        factory.close()


def _mac(node: Any, iface: str) -> str:
    return str(node.exec(["cat", f"/sys/class/net/{iface}/address"], check=True).stdout.strip())


def _stop(proc: subprocess.Popen[Any]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ----------------------------------------------------------------------------- dnsmasq


@pytest.fixture
def dnsmasq(lab: Any, tmp_path: Path) -> Iterator[Path]:
    """dnsmasq serving 192.0.2.100-150 on the server (DNS off); its lease file's path."""
    if shutil.which("dnsmasq") is None:
        pytest.skip("needs dnsmasq")
    server = lab["server"]
    leases = tmp_path / "leases"
    cmd = ["dnsmasq", "--keep-in-foreground", "--log-facility=-", "--log-dhcp", "--port=0",
           "--conf-file=/dev/null", "--user=root", "--group=root", "--no-ping",
           "--dhcp-authoritative", f"--interface={server.iface('client')}",
           "--except-interface=lo", "--dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h",
           "--dhcp-option=option:router,192.0.2.1", "--domain=lab.example",
           f"--dhcp-leasefile={leases}", f"--pid-file={tmp_path / 'pid'}"]
    proc = server.popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        seen = []
        for line in proc.stderr:  # ready once it says its DHCP range (sockets open)
            seen.append(line)
            if "DHCP, IP range" in line:
                break
        else:
            raise AssertionError(f"dnsmasq did not start: {''.join(seen)}")
        yield leases
    finally:
        _stop(proc)


def _dora(iface: str, hw: str) -> tuple[bytes, bytes, bytes]:
    """In the client: discover, request (Scapy 2.8's calls); the older dhcp_request()."""
    from paquet.net.dhcp import dhcp_discover, dhcp_request

    offer = dhcp_discover(hw=hw, iface=iface, timeout=5, retry=2, verbose=0)
    assert offer is not None, "no offer"
    ack = dhcp_request(requested_addr=offer[BOOTP].yiaddr,
                       server_id=offer[DHCP].getopt("server_id"), hostname="paquet-pc",
                       hw=hw, iface=iface, timeout=5, retry=2, verbose=0)
    assert ack is not None, "no ack"
    other = dhcp_request(hw="02:00:00:00:00:99", iface=iface, timeout=5, retry=2, verbose=0)
    assert other is not None, "no offer for the discover of dhcp_request()"
    return bytes(offer), bytes(ack), bytes(other)


def _message_type(pkt: Any) -> int:
    return int(pkt[DHCP].getopt("message-type"))


def test_paquet_gets_a_lease_from_dnsmasq(lab: Any, dnsmasq: Path, tmp_path: Path) -> None:
    client = lab["client"]
    iface = client.iface("server")
    hw = _mac(client, iface)
    offer, ack, other = (Ether(b) for b in client.run_for(60, _dora, iface, hw))
    assert _message_type(offer) == 2 and _message_type(ack) == 5 and _message_type(other) == 2
    given = offer[BOOTP].yiaddr
    assert given.startswith("192.0.2.") and 100 <= int(given.split(".")[-1]) <= 150
    assert ack[BOOTP].yiaddr == given and ack[BOOTP].chaddr[:6].hex(":") == hw
    assert offer[DHCP].getopt("server_id") == ack[DHCP].getopt("server_id") == SERVER
    assert offer[DHCP].getopt("router") == SERVER
    assert ack[DHCP].getopt("subnet_mask") == "255.255.255.0"
    assert ack[DHCP].getopt("lease_time") == 3600
    assert other[BOOTP].chaddr[:6] == bytes.fromhex("020000000099")
    # dnsmasq's lease file: "expiry MAC IP hostname client-id"
    lines = [line.split() for line in dnsmasq.read_text().splitlines()]
    assert [(row[1], row[2], row[3]) for row in lines if row[1] == hw] == [
        (hw, given, "paquet-pc")]
    _tshark_agrees([offer, ack, other], tmp_path)


def _tshark_agrees(frames: list[Any], tmp: Path) -> None:
    """The real server's frames are dissected by paquet as tshark dissects them."""
    if shutil.which("tshark") is None:
        return
    sys.path.insert(0, str(Path(__file__).parents[2]))
    try:
        from tests.layers.dhcp_tshark import check_frame, tshark_dhcp
    finally:
        sys.path.pop(0)
    for pkt, tree in zip(frames, tshark_dhcp(frames, tmp), strict=True):
        check_frame(pkt, tree)


# ----------------------------------------------------------------------------- dhclient

MACHINE = """
import sys
import paquet as m
iface, capture = sys.argv[1:3]
am = m.DHCP_am(iface=iface, pool=m.Net("192.0.2.128/28"), network="192.0.2.0/24",
               gw="192.0.2.1", domain="lab.example", nameserver=["192.0.2.1", "192.0.2.2"],
               lease_time=1800, renewal_time=900, NTP_server="192.0.2.3")
sniffer = am.bg(store=True)
print("ready", flush=True)
sys.stdin.read()
am.stop()
m.wrpcap(capture, sniffer.results)  # what the machine saw: dhclient's frames and its own
"""


def test_dhclient_gets_its_lease_from_dhcp_am(lab: Any, tmp_path: Path) -> None:
    if shutil.which("dhclient") is None:
        pytest.skip("needs isc-dhcp-client")
    server, client = lab["server"], lab["client"]
    iface = client.iface("server")
    env = dict(os.environ, PYTHONPATH=str(Path(paquet.__file__).parents[1]))
    capture = tmp_path / "seen.pcap"
    machine = server.popen([sys.executable, "-c", MACHINE, server.iface("client"), str(capture)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env)
    lease, pid = tmp_path / "dhclient.leases", tmp_path / "dhclient.pid"
    try:
        assert machine.stdout is not None and machine.stdin is not None
        if machine.stdout.readline().strip() != "ready":
            machine.kill()
            raise AssertionError(f"DHCP_am did not start: {machine.communicate()[1]}")
        # dhclient -1: one try; it returns (going to the background) once it has a lease.
        run = client.exec(["dhclient", "-sf", "/bin/true", "-lf", str(lease), "-pf", str(pid),
                           "-1", "-v", iface], timeout=90)
        assert run.returncode == 0, run.stderr
        out, err = machine.communicate("", timeout=30)
    finally:
        if pid.exists() and pid.read_text().strip().isdigit():
            # dhclient's daemon, started by this test, stopped by its id
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid.read_text().strip()), signal.SIGTERM)
        _stop(machine)
    assert machine.returncode == 0, err
    assert "DHCPOFFER of 192.0.2.128 from 192.0.2.1" in run.stderr
    assert "DHCPACK of 192.0.2.128 from 192.0.2.1" in run.stderr
    text = lease.read_text()
    for line in ("fixed-address 192.0.2.128;", "option subnet-mask 255.255.255.0;",
                 "option routers 192.0.2.1;", "option dhcp-lease-time 1800;",
                 'option domain-name "lab.example";',
                 "option domain-name-servers 192.0.2.1,192.0.2.2;",
                 "option dhcp-server-identifier 192.0.2.1;",
                 "option broadcast-address 192.0.2.255;", "option ntp-servers 192.0.2.3;",
                 "option dhcp-renewal-time 900;"):
        assert line in text, (line, text)
    # What the machine printed: one line per reply (offer, ack), Scapy's.
    mac = _mac(client, iface)
    assert out.splitlines().count(f"Reply 192.0.2.128 to {mac}") == 2
    # dhclient's discover and request, and the machine's offer and ack, as tshark reads them.
    seen = [p for p in paquet.rdpcap(str(capture)) if BOOTP in p]
    kinds = [(p[BOOTP].op, _message_type(p)) for p in seen]
    assert kinds[:4] == [(1, 1), (2, 2), (1, 3), (2, 5)], kinds
    assert all(p[BOOTP].chaddr[:6].hex(":") == mac for p in seen)
    assert seen[2][DHCP].getopt("requested_addr") == "192.0.2.128"
    _tshark_agrees(seen, tmp_path)
