"""A real exchange: Debian's dnsmasq serving a zone on the server of a lab (namespaces the test
creates and removes), queried by paquet (UDP, TCP, ``dns_resolve``) and by ``dig`` from the
client. paquet's answers are the ones dig prints, and paquet's dissection of the server's
bytes agrees with tshark's field by field."""

from __future__ import annotations

import json
import shutil
import socket
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest

from paquet.lab.testing import LabFactory
from paquet.layers import IP, UDP, Ether
from paquet.layers.dns import DNS, DNSQR, DNSTCP

from .scapy_compare import tshark_layers
from .test_dns import compare_with_tshark

pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(shutil.which("dnsmasq") is None and not Path("/usr/sbin/dnsmasq").exists(),
                       reason="needs dnsmasq"),
    pytest.mark.skipif(shutil.which("dig") is None, reason="needs dig"),
]

ZONE = "lab.example"
DNSMASQ_RECORDS = [
    f"--host-record=www.{ZONE},192.0.2.80,2001:db8::80",
    f"--host-record=mail.{ZONE},192.0.2.25",
    f"--mx-host={ZONE},mail.{ZONE},10",
    f"--txt-record={ZONE},v=spf1 -all,hello lab",
    f"--srv-host=_http._tcp.{ZONE},www.{ZONE},80,0,5",
    f"--ptr-record=80.2.0.192.in-addr.arpa,www.{ZONE}",
    f"--cname=web.{ZONE},www.{ZONE}",
    f"--local=/{ZONE}/",
]
QUERIES = [(f"www.{ZONE}", "A"), (f"www.{ZONE}", "AAAA"), (ZONE, "MX"), (ZONE, "TXT"),
           (f"_http._tcp.{ZONE}", "SRV"), ("80.2.0.192.in-addr.arpa", "PTR"),
           (f"web.{ZONE}", "A"), (f"nowhere.{ZONE}", "A")]


def ask(server: str, query: bytes, tcp: bool) -> bytes:
    """One exchange with ``server`` port 53 (run inside the client's namespace); over TCP
    ``query`` and the answer start with their length (DNSTCP's bytes)."""
    kind = socket.SOCK_STREAM if tcp else socket.SOCK_DGRAM
    with socket.socket(socket.AF_INET, kind) as s:
        s.settimeout(5)
        s.connect((server, 53))
        if not tcp:
            s.send(query)
            return s.recv(65535)
        s.sendall(query)
        buf = b""
        while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
            chunk = s.recv(65535)
            if not chunk:
                break
            buf += chunk
        return buf


def resolve(server: str, name: str, qtype: str) -> list[str]:
    """paquet's dns_resolve inside the client's namespace: the data of the records."""
    from paquet.net.dnsresolve import dns_resolve

    return sorted(_text(r) for r in dns_resolve(name, qtype, nameservers=[server], timeout=5))


def _text(rr: Any) -> str:
    """A record's data as dig's +short prints it."""
    if rr.type == 15:
        return f"{rr.preference} {rr.exchange.decode()}"
    if rr.type == 33:
        return f"{rr.priority} {rr.weight} {rr.port} {rr.target.decode()}"
    if rr.type == 16:
        return " ".join('"' + t.decode() + '"' for t in rr.rdata)
    v = rr.rdata
    return v.decode() if isinstance(v, bytes) else str(v)


@pytest.fixture(scope="module")
def dns_lab(lab_module_factory: LabFactory) -> Any:
    lab = lab_module_factory("chain", n=1)
    server = lab["server"]
    addr = server.addr()
    proc = server.popen([shutil.which("dnsmasq") or "/usr/sbin/dnsmasq", "--keep-in-foreground",
                         "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                         "--bind-interfaces", f"--listen-address={addr}", "--port=53",
                         "--user=root", "--pid-file=", "--log-facility=-", *DNSMASQ_RECORDS],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Ready when it answers (dig waits for the answer itself: no sleep).
        for _ in range(50):
            out = lab["client"].exec(["dig", f"@{addr}", "+time=1", "+tries=1", "+short",
                                      f"www.{ZONE}"])
            if out.stdout.strip():
                break
        else:
            pytest.fail("dnsmasq did not answer")
        yield lab, addr
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _dig(lab: Any, addr: str, name: str, qtype: str, tcp: bool = False) -> list[str]:
    argv = ["dig", f"@{addr}", "+short", name, qtype] + (["+tcp"] if tcp else [])
    out = lab["client"].exec(argv, check=True).stdout
    return sorted(line for line in out.splitlines() if line)


@pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])
def test_answers_are_digs(dns_lab: Any, tcp: bool, tmp_path: Path) -> None:
    lab, addr = dns_lab
    client = lab["client"]
    frames = []
    for i, (name, qtype) in enumerate(QUERIES):
        cls = DNSTCP if tcp else DNS
        query = cls(id=0x100 + i, qd=DNSQR(qname=name, qtype=qtype))
        data = client.run(ask, addr, bytes(query), tcp)
        reply = cls(data)
        assert bytes(reply) == data
        assert reply.answers(query) and reply.qr == 1
        qt = DNSQR._fieldmap["qtype"].any2i_one(None, qtype)  # type: ignore[attr-defined]
        ours = sorted(_text(r) for r in reply.an if r.type == qt or r.type == 5)
        theirs = _dig(lab, addr, name, qtype, tcp)
        # dig +short prints a CNAME's target before the address it leads to.
        assert ours == theirs, (name, qtype)
        if name.startswith("nowhere"):
            assert reply.rcode == 3
        payload = data[2:] if tcp else data
        frames.append(bytes(Ether() / IP(src=addr, dst=client.addr()) / UDP(sport=53, dport=40000)
                            / DNS(payload)))
    layers = tshark_layers(tmp_path, frames)
    for frame, t in zip(frames, layers, strict=True):
        compare_with_tshark(Ether(frame)[DNS], t["dns"])


def test_dns_resolve(dns_lab: Any) -> None:
    lab, addr = dns_lab
    client = lab["client"]
    for name, qtype in QUERIES[:6]:
        assert client.run(resolve, addr, name, qtype) == _dig(lab, addr, name, qtype), name


def test_digs_exchange_captured(dns_lab: Any, tmp_path: Path) -> None:
    """dig's own queries and dnsmasq's answers, captured on the server by tcpdump: every
    frame dissects to its bytes and as tshark dissects it."""
    from paquet.pcap import rdpcap

    lab, addr = dns_lab
    pcap = tmp_path / "dig.pcap"
    dump = lab["server"].popen(["tcpdump", "-n", "-U", "--immediate-mode", "-Z", "root",
                                "-i", "any", "-w", str(pcap),
                                "port", "53"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert dump.stderr is not None
        for line in dump.stderr:  # (ready when it says so: no sleep)
            if "listening on" in line:
                break
        for name, qtype in QUERIES:
            _dig(lab, addr, name, qtype)
        _dig(lab, addr, f"www.{ZONE}", "A", tcp=True)
    finally:
        dump.terminate()
        dump.wait(timeout=10)
    packets = rdpcap(str(pcap))
    dns_packets = [p for p in packets if DNS in p]
    assert len(dns_packets) >= 2 * len(QUERIES)
    out = subprocess.run(["tshark", "-n", "-r", str(pcap), "-T", "json", "--no-duplicate-keys"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    layers = [f["_source"]["layers"] for f in json.loads(out)]
    assert len(layers) == len(packets)
    for pkt, t in zip(packets, layers, strict=True):
        data = bytes(pkt)
        assert bytes(type(pkt)(data)) == data
        if DNS in pkt and "dns" in t:
            compare_with_tshark(pkt[DNS], t["dns"])
