"""paquet's DNS, LLMNR and mDNS answering machines on a real link: the server node runs
``DNS_am`` (a joker address for every name, per-name answers for others), ``LLMNR_am`` and
``mDNS_am``; the client node asks with Debian's ``dig`` (DNS, over IPv4 and IPv6) and with
paquet's messages over plain sockets (LLMNR, mDNS). Documentation addresses only; the lab's
namespaces are removed whatever happens, the server process is stopped by its own id."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from pair_lab import CLIENT4, SERVER4, lab_of, machines_program, pair_topology, program_running

import paquet

pytestmark = pytest.mark.privileged

SERVER6 = "2001:db8:0:62::1"
JOKER, JOKER6 = "192.0.2.66", "2001:db8::66"

# The machines run in the server node. The kernel there has no DNS server: sockets bound to
# port 53 (which never read) keep it from answering dig with "port unreachable" before the
# machine does (Scapy's documentation drops those ICMP messages with iptables instead).
SERVER = machines_program("""[
    m.DNS_am(joker="192.0.2.66", joker6="2001:db8::66", from_ip6=True,
             match={"bank.example": ("198.51.100.80", "2001:db8:80::80")},
             iface=iface, verbose=0),
    m.LLMNR_am(match={"fileserver": "192.0.2.20"}, iface=iface, verbose=0),
    m.mDNS_am(joker="192.0.2.66", iface=iface, verbose=0),
]""", setup="""quiet = []
for family, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
    s = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, 53))
    quiet.append(s)
""")


@pytest.fixture(scope="module")
def lab() -> Iterator[Any]:
    if shutil.which("dig") is None:
        pytest.skip("needs dig (bind9-dnsutils)")
    with lab_of(pair_topology("dnsam", ipv6="2001:db8:0:62::/64")) as lab:
        yield lab


@pytest.fixture(scope="module")
def machines(lab: Any) -> Iterator[Any]:
    server = lab["server"]
    with program_running(server, SERVER, server.iface("client"), what="the machines") as proc:
        yield proc


def _dig(lab: Any, server: str, name: str, qtype: str) -> list[str]:
    out = lab["client"].exec(["dig", "+short", "+time=3", "+tries=2", f"@{server}", name,
                              qtype], timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout.split()


def test_dig_gets_the_spoofed_address(lab: Any, machines: Any) -> None:
    assert _dig(lab, SERVER4, "www.example.com", "A") == [JOKER]
    assert _dig(lab, SERVER4, "any.name.example", "AAAA") == [JOKER6]
    assert _dig(lab, SERVER6, "www.example.com", "A") == [JOKER]


def test_dig_gets_the_per_name_answers(lab: Any, machines: Any) -> None:
    assert _dig(lab, SERVER4, "bank.example", "A") == ["198.51.100.80"]
    assert _dig(lab, SERVER6, "BANK.example", "AAAA") == ["2001:db8:80::80"]


def test_dig_full_answer_is_a_dns_answer(lab: Any, machines: Any) -> None:
    """dig's sections: the question repeated, one answer with the machine's TTL (10 s)."""
    out = lab["client"].exec(["dig", "+time=3", "+tries=2", f"@{SERVER4}", "bank.example"],
                             timeout=30).stdout
    assert "status: NOERROR" in out and "QUERY: 1, ANSWER: 1" in out
    answer = out.split(";; ANSWER SECTION:")[1].split()
    assert answer[:5] == ["bank.example.", "10", "IN", "A", "198.51.100.80"]


def _llmnr(iface_addr: str, name: str) -> bytes:
    """In the client: an LLMNR query to the group (TTL 1), the first answer."""
    from paquet.layers.dns import DNSQR
    from paquet.layers.llmnr import LLMNRQuery

    query = bytes(LLMNRQuery(id=0x4C4C, qd=[DNSQR(qname=name)]))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((iface_addr, 5355))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface_addr))
        s.settimeout(2)
        for _ in range(3):
            s.sendto(query, ("224.0.0.252", 5355))
            try:
                data, _src = s.recvfrom(2048)
            except TimeoutError:
                continue
            return data
    raise AssertionError("no LLMNR answer")


def test_llmnr_am_answers_a_paquet_query(lab: Any, machines: Any) -> None:
    data = lab["client"].run_for(30, _llmnr, CLIENT4, "fileserver")
    msg = paquet.LLMNRResponse(data)
    assert msg.id == 0x4C4C and msg.qr == 1
    assert [(rr.rrname, rr.type, rr.rdata) for rr in msg.an] == [
        (b"fileserver.", 1, "192.0.2.20")]


def _mdns(iface_addr: str, name: str) -> tuple[bytes, str]:
    """In the client: an mDNS query from port 5353; the group's first answer and its source."""
    from paquet.layers.dns import DNS, DNSQR

    query = bytes(DNS(rd=0, qd=[DNSQR(qname=name)]))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("224.0.0.251", 5353))
        group = socket.inet_aton("224.0.0.251") + socket.inet_aton(iface_addr)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(iface_addr))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
        s.settimeout(2)
        for _ in range(3):
            s.sendto(query, ("224.0.0.251", 5353))
            try:
                data, src = s.recvfrom(2048)
            except TimeoutError:
                continue
            return data, src[0]
    raise AssertionError("no mDNS answer")


def test_mdns_am_answers_to_the_group(lab: Any, machines: Any) -> None:
    data, src = lab["client"].run_for(30, _mdns, CLIENT4, "printer.local")
    msg = paquet.DNS(data)
    assert (msg.qr, msg.aa, msg.qdcount) == (1, 1, 0)
    assert [(rr.rrname, rr.type, rr.rdata) for rr in msg.an] == [
        (b"printer.local.", 1, JOKER)]
    assert src == JOKER  # an mDNS answer comes from the address it gives
