"""DNS messages that are cut, oversized or hostile: pointer loops, forward pointers, labels
over 63 bytes, names over 255, counts larger than the data. Dissection never raises and never
hangs, gives every byte back, and reads the same names as Scapy where Scapy reads them."""

from __future__ import annotations

import random
import struct

import pytest

from paquet.layers import IP, TCP, UDP, Ether, Raw
from paquet.layers.dns import DNS, DNSQR, DNSRR, DNSTCP, dns_compress
from paquet.layers.dns_records import DNSRRMX, DNSRROPT, DNSRRSOA, DNSRRSRV
from paquet.layers.llmnr import LLMNRQuery, LLMNRResponse

sdns = pytest.importorskip("scapy.layers.dns")


def header(qd: int = 1, an: int = 0, ns: int = 0, ar: int = 0, flags: int = 0x8180) -> bytes:
    return struct.pack("!6H", 0x1234, flags, qd, an, ns, ar)


def _response() -> bytes:
    return bytes(dns_compress(DNS(id=9, qr=1, qd=DNSQR(qname="www.example.com"), an=[
        DNSRR(rrname="www.example.com", type="CNAME", rdata="web.example.com", ttl=60),
        DNSRR(rrname="web.example.com", rdata="192.0.2.80", ttl=60),
        DNSRR(rrname="web.example.com", type="AAAA", rdata="2001:db8::80", ttl=60),
        DNSRR(rrname="web.example.com", type="TXT", rdata=["a", "bc"], ttl=60),
        DNSRRMX(rrname="example.com", exchange="mx.example.com", preference=5),
        DNSRRSRV(rrname="_h._tcp.example.com", target="web.example.com", port=80),
    ], ns=DNSRRSOA(rrname="example.com", mname="ns.example.com", rname="root.example.com"),
        ar=DNSRROPT(rclass=1232))))


HOSTILE: list[tuple[str, bytes]] = [
    ("a pointer to itself", header() + b"\xc0\x0c\x00\x01\x00\x01"),
    ("two pointers in a loop", header() + b"\x01a\xc0\x10\x01b\xc0\x0c\x00\x01\x00\x01"),
    ("a forward pointer", header() + b"\xc0\x12\x00\x01\x00\x01\x03fwd\x00"),
    ("a pointer past the end", header() + b"\xc3\xff\x00\x01\x00\x01"),
    ("a pointer cut in half", header() + b"\x01a\xc0"),
    ("a label of 64 bytes", header() + b"\x40" + b"x" * 64 + b"\x00\x00\x01\x00\x01"),
    ("a label of 0x7f", header() + b"\x7f" + b"y" * 20),
    ("a name over 255 bytes", header() + b"\x3f" + b"a" * 63 + b"\x3f" + b"b" * 63
     + b"\x3f" + b"c" * 63 + b"\x3f" + b"d" * 63 + b"\x3f" + b"e" * 63 + b"\x00\x00\x01\x00\x01"),
    ("a chain of 30 pointers", header() + b"".join(
        struct.pack("!H", 0xC000 | (12 + 2 * (i + 1))) for i in range(30)) + b"\x00"),
    ("counts larger than the data", header(qd=65535, an=65535, ns=65535, ar=65535)
     + b"\x00\x00\x01\x00\x01"),
    ("an answer count with no answer", header(qd=0, an=3)),
    ("a record cut in its fixed part", header(qd=0, an=1) + b"\x00\x00\x01\x00"),
    ("rdlen past the end", header(qd=0, an=1) + b"\x00\x00\x01\x00\x01\x00\x00\x00\x01\xff\xff"
     + b"\x01\x02"),
    ("an A record of 2 bytes", header(qd=0, an=1) + b"\x00\x00\x01\x00\x01\x00\x00\x00\x01"
     b"\x00\x02\x01\x02"),
    ("a CNAME longer than its rdlen", header(qd=0, an=1) + b"\x00\x00\x05\x00\x01\x00\x00\x00"
     b"\x01\x00\x02\x05abcde\x00"),
    ("a TXT string past the data", header(qd=0, an=1) + b"\x00\x00\x10\x00\x01\x00\x00\x00"
     b"\x01\x00\x03\x09ab"),
    ("an MX cut", header(qd=0, an=1) + b"\x00\x00\x0f\x00\x01\x00\x00\x00\x01\x00\x01\x00"),
    ("an OPT with a cut option", header(qd=0, ar=1) + b"\x00\x00\x29\x10\x00\x00\x00\x00\x00"
     b"\x00\x06\x00\x08\x00\x09\x00\x01"),
    ("a SOA pointing into a loop", header(qd=0, ns=1) + b"\x00\x00\x06\x00\x01\x00\x00\x00\x01"
     b"\x00\x04\xc0\x17\xc0\x17"),
    ("an NSEC with a bad bitmap", header(qd=0, an=1) + b"\x00\x00\x2f\x00\x01\x00\x00\x00\x01"
     b"\x00\x04\x00\x00\x40\xff"),
    ("a header only", header(qd=0)),
    ("trailing bytes", header(qd=0) + b"\xde\xad"),
]


def _touch(dns: DNS) -> None:
    """Read everything a user reads."""
    for section in (dns.qd, dns.an, dns.ns, dns.ar):
        for rec in section:
            repr(rec)
    dns.show(dump=True)
    dns.summary()


@pytest.mark.parametrize(("what", "data"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_messages_dissect(what: str, data: bytes) -> None:
    dns = DNS(data)
    _touch(dns)
    assert bytes(dns) == data, what
    frame = bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=53, dport=9)
                  / Raw(data))
    pkt = Ether(frame)
    assert DNS in pkt
    _touch(pkt[DNS])
    assert bytes(pkt) == frame


@pytest.mark.parametrize(("what", "data"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_as_scapy(what: str, data: bytes) -> None:
    """The questions' names Scapy reads, we read (where Scapy reads the message at all)."""
    try:
        theirs = sdns.DNS(data)
        names = [q.qname for q in theirs.qd if isinstance(q, sdns.DNSQR)]
    except Exception:
        pytest.skip("Scapy raises on these bytes")
    ours = [q.qname for q in DNS(data).qd if isinstance(q, DNSQR)]
    # Names past RFC 1035's 255 bytes stop there (Scapy reads them whole).
    assert ours == [n if len(n) <= 255 else n[:len(o)] for n, o in zip(names, ours,
                                                                    strict=True)], what
    assert all(len(o) <= 255 + 64 for o in ours)


def test_many_names_pointing_at_long_runs_of_labels() -> None:
    """Thousands of questions whose names point into a long run of short labels (Scapy's
    "OOM" message): each name stops past 255 bytes (with the label that crosses them),
    every question is read, bytes kept."""
    run = b"\x01a" * 2000 + b"\x00"
    questions = b"".join(struct.pack("!HHH", 0xC000 | (12 + 2 * (i % 900)), 1, 1)
                         for i in range(4000))
    data = header(qd=4000) + run + questions
    dns = DNS(data)
    assert len(dns.qd) > 4000 - 5  # (the run itself is read as the first question)
    assert all(len(q.qname) <= 255 + 64 for q in dns.qd if isinstance(q, DNSQR))
    assert bytes(dns) == data


def test_every_cut_of_a_response() -> None:
    data = _response()
    for n in range(1, len(data) + 1):
        cut = data[:n]
        dns = DNS(cut)
        _touch(dns)
        assert bytes(dns) == cut, n


def test_random_mutations_never_raise() -> None:
    rng = random.Random(1035)
    data = bytearray(_response())
    for _ in range(3000):
        m = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(m))
            m[i] = rng.choice((0xC0, 0x3F, 0x40, 0xFF, 0x00, rng.randrange(256)))
        frame = bytes(m)
        dns = DNS(frame)
        _touch(dns)
        assert bytes(dns) == frame


def test_records_read_in_one_step_equal_the_fields_reading() -> None:
    """The records a message reads in one step are what their class reads from their bytes
    alone (names uncompressed)."""
    dns = DNS(_response())
    for rec in (*dns.an, *dns.ns, *dns.ar):
        plain = rec.copy()
        plain.clear_cache()
        alone = type(rec)(bytes(plain))
        for f in rec.fields_desc:
            if f.name != "rdlen":
                assert getattr(alone, f.name) == getattr(rec, f.name), (type(rec), f.name)


def test_dns_over_tcp() -> None:
    q = DNS(id=5, qd=DNSQR(qname="example.net", qtype="AXFR"))
    frame = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=40000, dport=53, flags="PA")
                  / q)
    pkt = IP(frame)
    assert pkt[DNS].length == len(bytes(q))
    assert pkt[DNS].qd[0].qname == b"example.net."
    assert bytes(pkt) == frame
    assert DNSTCP(bytes(DNSTCP(qd=DNSQR(qname="a")))).qd[0].qname == b"a."
    bad = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / TCP(dport=53) / Raw(b"\x00\x30\x00"))
    pkt = IP(bad)
    assert bytes(pkt) == bad and DNS not in pkt


def test_mdns_and_llmnr_bindings() -> None:
    m = Ether(bytes(Ether() / IP(src="192.0.2.1", dst="224.0.0.251") / UDP(sport=5353, dport=5353)
                    / DNS(qd=DNSQR(qname="_ipp._tcp.local", qtype="PTR"))))
    assert m[DNS].summary().startswith("mDNS Qry")
    q = Ether(bytes(Ether() / IP(src="192.0.2.1", dst="224.0.0.252") / UDP()
                    / LLMNRQuery(id=3, qd=DNSQR(qname="host"))))
    assert isinstance(q[UDP].payload, LLMNRQuery) and q[UDP].dport == 5355
    r = Ether(bytes(Ether() / IP(src="192.0.2.9", dst="192.0.2.1") / UDP(sport=5355, dport=5355)
                    / LLMNRResponse(id=3, qd=DNSQR(qname="host"),
                                    an=DNSRR(rrname="host", rdata="192.0.2.9"))))
    assert isinstance(r[UDP].payload, LLMNRResponse)
    assert r[LLMNRResponse].answers(q[LLMNRQuery])
    assert r.summary().endswith("LLMNRResponse 'host.' is at '192.0.2.9'")


def test_mutated_messages_read_as_scapy() -> None:
    """Mutated responses (pointers, lengths and labels broken) read as Scapy reads them,
    record by record. Known difference: an SVCB parameter whose length runs past its record
    is read as far as it goes (Scapy gives up on it and keeps it as Raw)."""
    from .test_dns import _layers

    rng = random.Random(7)
    data = bytearray(_response())
    compared = 0
    for _ in range(400):
        m = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(m))
            m[i] = rng.choice((0xC0, 0x3F, 0x40, 0xFF, 0x00, rng.randrange(256)))
        frame = bytes(m)
        try:
            theirs = _layers(sdns.DNS(frame))
        except Exception:
            continue
        ours = _layers(DNS(frame))
        compared += 1
        if ours != theirs:
            assert "DNSRRSVCB" in repr(theirs), frame.hex()
    assert compared > 300


def test_names_read_with_the_message_cache_are_the_same() -> None:
    """read_name's per-message cache of names after pointers changes no result."""
    from paquet.layers.dns_fields import read_name

    rng = random.Random(4)
    base = _response()
    for _ in range(200):
        m = bytearray(base)
        for _ in range(rng.randint(0, 4)):
            m[rng.randrange(12, len(m))] = rng.choice((0xC0, 0xC1, 0x3F, 0x00, 0x01))
        msg = bytes(m)
        cache: dict[int, tuple[bytes, int, int]] = {}
        for pos in range(len(msg)):
            for limit in (len(msg), min(len(msg), pos + 9)):
                assert read_name(msg, pos, limit, cache) == read_name(msg, pos, limit)
