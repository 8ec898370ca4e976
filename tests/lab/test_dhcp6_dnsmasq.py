"""A real DHCPv6 exchange: Debian's dnsmasq, in a lab of two namespaces this test makes and
removes, answers a Solicit built by paquet with an Advertise, and the Request that follows with
a Reply (a lease); paquet dissects them, and tshark agrees field by field. Documentation
addresses only (2001:db8::/32)."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pair_lab import pair_topology

from paquet.lab.testing import LabFactory
from paquet.lab.topology import parse

pytestmark = [pytest.mark.privileged,
              pytest.mark.skipif(shutil.which("dnsmasq") is None, reason="needs dnsmasq")]

TOPOLOGY = pair_topology("dhcp6", ipv6="2001:db8:0:61::/64")
POOL = ("2001:db8:0:61::100", "2001:db8:0:61::1ff")
DNS = "2001:db8:0:61::53"
CLIENT_MAC = "02:00:00:00:61:0a"


def solicit_and_capture(iface: str, trid: int, tries: int = 10,
                        ia: bool = True) -> tuple[bytes, bytes]:
    """Inside the client: send a Solicit (for an address when ``ia``) from the link-local
    address, capture the answer (the frame to UDP port 546); (the Solicit's bytes, the
    answer's bytes or b"")."""
    from paquet import (
        DUID_LL,
        UDP,
        DHCP6_Solicit,
        DHCP6OptClientId,
        DHCP6OptElapsedTime,
        DHCP6OptIA_NA,
        DHCP6OptOptReq,
        Ether,
        IPv6,
    )
    from paquet.net.interfaces import get_if_hwaddr, in6_getifaddr
    from paquet.net.sendrecv import sendp
    from paquet.net.sniff import sniff
    from paquet.utils6 import in6_islladdr

    mac = get_if_hwaddr(iface)
    lladdr = next(a for a, _scope, name in in6_getifaddr() if name == iface and in6_islladdr(a))
    frame = (Ether(src=mac, dst="33:33:00:01:00:02") / IPv6(src=lladdr, dst="ff02::1:2")
             / UDP() / DHCP6_Solicit(trid=trid) / DHCP6OptClientId(duid=DUID_LL(lladdr=mac)))
    if ia:
        frame = frame / DHCP6OptIA_NA(iaid=0x61)
    frame = frame / DHCP6OptOptReq(reqopts=[23, 24]) / DHCP6OptElapsedTime()
    data = bytes(frame)
    for _ in range(tries):  # (until dnsmasq listens: each try waits for its answer)
        got = sniff(iface=iface, filter="udp and dst port 546", count=1, timeout=1,
                    started_callback=lambda: sendp(data, iface=iface, verbose=0))
        if got:
            return data, bytes(got[0])
    return data, b""


def request_and_capture(iface: str, advertise: bytes, trid: int,
                        tries: int = 5) -> tuple[bytes, bytes]:
    """Inside the client: ask the server that sent ``advertise`` for the address it offered
    (a Request with its Server Identifier and IA_NA); (the Request's bytes, the Reply's)."""
    from paquet import (
        UDP,
        DHCP6_Request,
        DHCP6OptClientId,
        DHCP6OptElapsedTime,
        DHCP6OptIA_NA,
        DHCP6OptServerId,
        Ether,
        IPv6,
    )
    from paquet.net.sendrecv import sendp
    from paquet.net.sniff import sniff

    adv = Ether(advertise)
    frame = (Ether(src=adv.dst, dst="33:33:00:01:00:02") / IPv6(src=adv[IPv6].dst,
                                                                  dst="ff02::1:2")
             / UDP() / DHCP6_Request(trid=trid)
             / DHCP6OptClientId(duid=adv[DHCP6OptClientId].duid)
             / DHCP6OptServerId(duid=adv[DHCP6OptServerId].duid)
             / DHCP6OptIA_NA(iaid=adv[DHCP6OptIA_NA].iaid, ianaopts=adv[DHCP6OptIA_NA].ianaopts)
             / DHCP6OptElapsedTime())
    data = bytes(frame)
    for _ in range(tries):
        got = sniff(iface=iface, filter="udp and dst port 546", count=1, timeout=1,
                    started_callback=lambda: sendp(data, iface=iface, verbose=0))
        if got:
            return data, bytes(got[0])
    return data, b""


@pytest.fixture
def dnsmasq_lab(lab_factory: LabFactory, tmp_path: Path) -> Any:
    lab = lab_factory(parse(TOPOLOGY))
    server = lab["server"]
    iface = server.iface("client")
    proc = server.popen([
        "dnsmasq", "--keep-in-foreground", "--no-hosts", "--no-resolv", "--port=0",
        "--conf-file=/dev/null", f"--interface={iface}", "--bind-interfaces",
        "--user=root", "--group=root", f"--pid-file={tmp_path / 'dnsmasq.pid'}",
        f"--dhcp-leasefile={tmp_path / 'leases'}", "--log-dhcp", "--log-facility=-",
        f"--dhcp-range={POOL[0]},{POOL[1]},64,1h", f"--dhcp-option=option6:dns-server,[{DNS}]",
        "--dhcp-option=option6:domain-search,lab.example",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield lab, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_dnsmasq_leases_an_address_to_paquet(dnsmasq_lab: Any, tmp_path: Path) -> None:
    from tests.layers.ipv6_family import tshark_layers
    from tests.layers.test_dhcp6 import _check_message

    from paquet import (
        UDP,
        DHCP6_Advertise,
        DHCP6_Reply,
        DHCP6_Solicit,
        DHCP6OptClientId,
        DHCP6OptDNSDomains,
        DHCP6OptDNSServers,
        DHCP6OptIA_NA,
        DHCP6OptIAAddress,
        DHCP6OptServerId,
        DHCP6OptStatusCode,
        Ether,
    )

    lab, proc = dnsmasq_lab
    client = lab["client"]
    sent, answer = client.run_for(60, solicit_and_capture, client.iface("server"), 0x61AB0C)
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    assert answer, "dnsmasq did not answer"
    sol, adv = Ether(sent), Ether(answer)
    assert bytes(adv) == answer
    msg = adv[UDP].payload
    assert isinstance(msg, DHCP6_Advertise) and isinstance(sol[UDP].payload, DHCP6_Solicit)
    assert msg.trid == 0x61AB0C and msg.answers(sol[UDP].payload)
    assert (adv[UDP].sport, adv[UDP].dport) == (547, 546)
    assert bytes(msg[DHCP6OptClientId].duid) == bytes(sol[DHCP6OptClientId].duid)
    assert DHCP6OptServerId in msg and msg[DHCP6OptServerId].duid.type in (1, 2, 3, 4)
    ia = msg[DHCP6OptIA_NA]
    assert ia.iaid == 0x61
    addrs = [o.addr for o in ia.ianaopts if isinstance(o, DHCP6OptIAAddress)]
    assert len(addrs) == 1
    low, high = (ipaddress.IPv6Address(a) for a in POOL)
    assert low <= ipaddress.IPv6Address(addrs[0]) <= high
    assert msg[DHCP6OptDNSServers].dnsservers == [DNS]
    assert msg[DHCP6OptDNSDomains].dnsdomains == ["lab.example."]
    # The address offered, asked for: dnsmasq's Reply gives it, and writes the lease.
    sent, answer = client.run_for(30, request_and_capture, client.iface("server"), answer,
                                  0x61AB0D)
    assert answer, "dnsmasq did not reply to the Request"
    req, rep = Ether(sent), Ether(answer)
    reply = rep[UDP].payload
    assert isinstance(reply, DHCP6_Reply) and reply.answers(req[UDP].payload)
    assert [o.addr for o in reply[DHCP6OptIA_NA].ianaopts
            if isinstance(o, DHCP6OptIAAddress)] == addrs
    assert DHCP6OptStatusCode not in reply or reply[DHCP6OptStatusCode].statuscode == 0
    leases = (tmp_path / "leases").read_text()
    assert addrs[0] in leases
    # tshark reads the four messages as paquet does
    trees = tshark_layers([sol, adv, req, rep], tmp_path)
    for frame, tree in zip((sol, adv, req, rep), trees, strict=True):
        _check_message(frame[UDP].payload, tree["dhcpv6"])
