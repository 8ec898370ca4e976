"""paquet's DHCPv6 server (``DHCPv6_am``) running in a lab namespace answers a Solicit sent by
the client node: the Advertise carries its DUID and the DNS options, and tshark reads it as
paquet does. Documentation addresses only (2001:db8::/32)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pair_lab import start_program
from test_dhcp6_dnsmasq import TOPOLOGY, solicit_and_capture

import paquet
from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = pytest.mark.privileged

SERVER = """
import sys
import paquet as m
m.conf.iface = sys.argv[1]  # (the interface of its DUID and link-local source, as in Scapy)
am = m.DHCPv6_am(duid=m.DUID_LL(lladdr="02:00:00:00:05:47"), dns="2001:db8:0:61::53",
                 domain="lab.example", sntpservers="2001:db8:0:61::123", iface=sys.argv[1])
assert am.src_addr is not None and am.src_addr.startswith("fe80:")
sniffer = am.bg()
print("ready", flush=True)
sys.stdin.read()
"""


def test_dhcp6d_advertises_in_a_lab(lab_factory: LabFactory, tmp_path: Path) -> None:
    from tests.layers.ipv6_family import tshark_layers
    from tests.layers.test_dhcp6 import _check_message

    lab = lab_factory(parse(TOPOLOGY))
    server, client = lab["server"], lab["client"]
    proc = start_program(server, SERVER, server.iface("client"), stdin=subprocess.PIPE,
                         what="the server")
    try:
        with_ia = client.run_for(30, solicit_and_capture, client.iface("server"), 0x5475)
        plain = client.run_for(30, solicit_and_capture, client.iface("server"), 0x5476, 10,
                               False)
    finally:
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err
    assert with_ia[1] and plain[1], err
    frames = []
    for (sent, answer), trid in ((with_ia, 0x5475), (plain, 0x5476)):
        sol, adv = paquet.Ether(sent), paquet.Ether(answer)
        msg = adv[paquet.UDP].payload
        assert isinstance(msg, paquet.DHCP6_Advertise) and msg.trid == trid
        assert msg.answers(sol[paquet.UDP].payload)
        assert bytes(msg[paquet.DHCP6OptServerId].duid) == bytes(paquet.DUID_LL(
            lladdr="02:00:00:00:05:47"))
        assert (bytes(msg[paquet.DHCP6OptClientId].duid)
                == bytes(sol[paquet.DHCP6OptClientId].duid))
        assert adv[paquet.IPv6].dst == sol[paquet.IPv6].src
        frames += [sol, adv]
    # For an address (IA_NA): none to give, as Scapy's server; without: the options asked for
    # (DNS servers and domains, not SNTP), its preference.
    first, second = frames[1][paquet.UDP].payload, frames[3][paquet.UDP].payload
    assert first[paquet.DHCP6OptStatusCode].statuscode == 2
    assert paquet.DHCP6OptDNSServers not in first
    assert second[paquet.DHCP6OptPref].prefval == 255
    assert second[paquet.DHCP6OptDNSServers].dnsservers == ["2001:db8:0:61::53"]
    assert second[paquet.DHCP6OptDNSDomains].dnsdomains == ["lab.example."]
    assert paquet.DHCP6OptSNTPServers not in second
    trees = tshark_layers(frames, tmp_path)
    for frame, tree in zip(frames, trees, strict=True):
        _check_message(frame[paquet.UDP].payload, tree["dhcpv6"])
