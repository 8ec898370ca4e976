"""``paquet explain`` on DNS and LLMNR: the header's fields as RFC 1035 lays them out, with
the dissected values, the four sections covering the message's bytes exactly, fr and en."""

from __future__ import annotations

import pytest

from paquet.explainer import explain
from paquet.layers import IP, TCP, UDP, Ether
from paquet.layers.dns import DNS, DNSQR, DNSRR, dns_compress
from paquet.layers.dns_records import DNSRRMX, DNSRROPT
from paquet.layers.llmnr import LLMNRQuery

HEADER = ["id", "qr", "opcode", "aa", "tc", "rd", "ra", "z", "ad", "cd", "rcode", "qdcount",
          "ancount", "nscount", "arcount"]


def _response() -> DNS:
    return dns_compress(DNS(id=0xBEEF, qr=1, aa=1, rcode=0, qd=DNSQR(qname="example.com",
                                                                   qtype="MX"),
                            an=[DNSRRMX(rrname="example.com", exchange="mx.example.com"),
                                DNSRR(rrname="mx.example.com", rdata="192.0.2.25")],
                            ar=DNSRROPT()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dns_over_udp(lang: str) -> None:
    frame = bytes(Ether() / IP(src="192.0.2.53", dst="192.0.2.1") / UDP(sport=53, dport=4000)
                  / _response())
    ex = explain(frame, lang)
    layer = ex.layer("DNS")
    assert layer.rfc == "RFC 1035"
    dns = Ether(frame)[DNS]
    names = [f.name for f in layer.fields]
    assert names == [*HEADER, "qd", "an", "ar"]
    for f in layer.fields[:len(HEADER)]:
        assert f.value == int(getattr(dns, f.name)), f.name
        assert f.meaning
    # The sections cover the message exactly, in order.
    start = len(frame) - len(bytes(dns))
    assert layer.offset == start and layer.length == len(bytes(dns))
    parts = b"".join(f.value for f in layer.fields[len(HEADER):])
    assert frame[start + 12:] == parts
    assert "DNSRRMX example.com." in layer.fields[-2].meaning


def test_dns_over_tcp_has_its_length() -> None:
    pkt = IP(src="192.0.2.1", dst="192.0.2.53") / TCP(dport=53, flags="PA") / DNS(
        id=1, qd=DNSQR(qname="example.org"))
    layer = explain(bytes(pkt), "en").layer("DNS")
    assert layer.fields[0].name == "length"
    assert layer.fields[0].value == IP(bytes(pkt))[DNS].length
    assert [f.name for f in layer.fields[1:len(HEADER) + 1]] == HEADER


def test_llmnr_flags() -> None:
    pkt = IP(src="192.0.2.1", dst="224.0.0.252") / UDP() / LLMNRQuery(id=9, t=1,
                                                                      qd=DNSQR(qname="host"))
    layer = explain(bytes(pkt), "fr").layer("LLMNR")
    by_name = {f.name: f.value for f in layer.fields}
    assert by_name["t"] == 1 and by_name["c"] == 0 and by_name["id"] == 9
