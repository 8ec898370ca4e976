"""DNS (RFC 1035), EDNS0 and the DNSSEC records: the same bytes as Scapy for a table of
constructions, Scapy's bytes dissected to Scapy's values, dissection field by field as
tshark's (``tshark -T json``), compressed names both ways.

Each construction is one expression evaluated with paquet's names and with Scapy's
(``from scapy.all import *``), so both libraries build exactly the same thing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import paquet
from paquet.layers.dns import DNS, DNSQR, DNSRR
from paquet.packet import Packet

from .scapy_compare import tshark_layers

scapy_all = pytest.importorskip("scapy.all")

# (what, the expression): built by both libraries, compared byte for byte.
CONSTRUCTIONS: list[tuple[str, str]] = [
    ("defaults", "DNS()"),
    ("a query for MX", "DNS(id=0x1234, qd=DNSQR(qname='example.com', qtype='MX'))"),
    ("no question", "DNS(qd=[])"),
    ("several questions", "DNS(qd=[DNSQR(qname='a.example'), DNSQR(qname='b.example', "
                          "qtype='AAAA')])"),
    ("a chain of questions (Scapy's older form)",
     "DNS(qd=DNSQR(qname='a.example')/DNSQR(qname='b.example'))"),
    ("mDNS QU bit and cache flush", "DNS(qd=DNSQR(qname='h.local', unicastresponse=1), "
     "an=DNSRR(rrname='h.local', cacheflush=1, rdata='192.0.2.7', ttl=120))"),
    ("flags", "DNS(id=7, qr=1, opcode=2, aa=1, tc=1, rd=0, ra=1, z=1, ad=1, cd=1, rcode=3)"),
    ("counts set by hand", "DNS(qdcount=3, ancount=9, qd=[])"),
    ("an A answer", "DNS(qr=1, qd=DNSQR(qname='www.example.com'), "
     "an=DNSRR(rrname='www.example.com', rdata='192.0.2.1', ttl=300))"),
    ("an AAAA answer", "DNS(qr=1, an=DNSRR(rrname='h.example', type='AAAA', "
     "rdata='2001:db8::53'))"),
    ("CNAME, PTR, NS, DNAME", "DNS(qd=[], an=[DNSRR(rrname='w.example', type='CNAME', "
     "rdata='x.example'), DNSRR(rrname='1.2.0.192.in-addr.arpa', type='PTR', "
     "rdata='h.example'), DNSRR(rrname='example', type='NS', rdata='ns.example'), "
     "DNSRR(rrname='d.example', type='DNAME', rdata='e.example')])"),
    ("TXT strings", "DNS(qd=[], an=DNSRR(rrname='t.example', type='TXT', "
     "rdata=['v=spf1 -all', '', 'x' * 300]))"),
    ("TXT one string", "DNSRR(rrname='t', type='TXT', rdata='hello')"),
    ("unknown type as bytes", "DNSRR(rrname='x', type=99, rdata=b'\\x01\\x02')"),
    ("MX", "DNSRRMX(rrname='example.com', preference=10, exchange='mx.example.com', ttl=60)"),
    ("SOA", "DNSRRSOA(rrname='example.com', mname='ns.example.com', "
     "rname='admin.example.com', serial=2024010101, refresh=7200, retry=900, expire=1209600, "
     "minimum=300)"),
    ("SRV", "DNSRRSRV(rrname='_sip._udp.example.com', priority=1, weight=5, port=5060, "
     "target='sip.example.com')"),
    ("HINFO", "DNSRRHINFO(rrname='h.example', cpu='x86_64', os='Linux')"),
    ("NAPTR", "DNSRRNAPTR(rrname='e.example', order=10, preference=100, flags='u', "
     "services='E2U+sip', regexp='!^.*$!sip:a@example.com!')"),
    ("OPT default", "DNSRROPT()"),
    ("OPT with a TLV", "DNSRROPT(rclass=1232, z=0, rdata=[EDNS0TLV(optcode=3, optdata='ns')])"),
    ("EDNS0 client subnet v4", "DNSRROPT(rdata=[EDNS0ClientSubnet(address='192.0.2.0', "
     "source_plen=24)])"),
    ("EDNS0 client subnet v6", "EDNS0ClientSubnet(family=2, address='2001:db8::', "
     "source_plen=48)"),
    ("EDNS0 cookie", "EDNS0COOKIE(client_cookie=b'12345678', server_cookie=b'abcdefgh')"),
    ("EDNS0 padding", "EDNS0PADDING(padding=b'\\x00' * 12)"),
    ("EDNS0 extended error", "EDNS0ExtendedDNSError(info_code=18, extra_text='no')"),
    ("EDNS0 DAU", "EDNS0DAU(alg_code=[8, 13, 15])"),
    ("EDNS0 owner", "EDNS0OWN(primary_mac='02:00:00:00:00:01')"),
    ("a query with EDNS0", "DNS(id=9, qd=DNSQR(qname='example.org', qtype='DNSKEY'), "
     "ar=DNSRROPT(rclass=4096, rdata=[EDNS0COOKIE(client_cookie=b'\\x01' * 8)]))"),
    ("DNSKEY", "DNSRRDNSKEY(rrname='example.com', flags=257, algorithm=13, "
     "publickey=b'\\x11' * 64, ttl=3600)"),
    ("DS", "DNSRRDS(rrname='example.com', keytag=2371, algorithm=13, digesttype=2, "
     "digest=b'\\x22' * 32)"),
    ("DLV", "DNSRRDLV(rrname='example.com', keytag=1, digest=b'\\x01' * 20)"),
    ("RRSIG", "DNSRRRSIG(rrname='example.com', typecovered=1, algorithm=13, labels=2, "
     "originalttl=300, expiration=1700000000, inception=1690000000, keytag=2371, "
     "signersname='example.com', signature=b'\\x33' * 64)"),
    ("NSEC", "DNSRRNSEC(rrname='a.example.com', nextname='b.example.com', "
     "typebitmaps=[1, 2, 28, 46, 47, 1234])"),
    ("NSEC3", "DNSRRNSEC3(rrname='x.example.com', hashalg=1, flags=1, iterations=10, "
     "saltlength=None, salt=b'\\xab\\xcd', hashlength=None, nexthashedownername=b'\\x01' * 20, "
     "typebitmaps=[1, 16])"),
    ("NSEC3PARAM", "DNSRRNSEC3PARAM(rrname='example.com', hashalg=1, iterations=5, "
     "saltlength=None, salt=b'\\x01\\x02\\x03')"),
    ("SVCB", "DNSRRSVCB(rrname='_dns.example', svc_priority=1, target_name='example', "
     "svc_params=[SvcParam(key='alpn', value=['h2', 'h3']), SvcParam(key='port', value=853)])"),
    ("HTTPS", "DNSRRHTTPS(rrname='example', svc_priority=1, svc_params=[SvcParam("
     "key='ipv4hint', value=['192.0.2.1']), SvcParam(key='ipv6hint', value=['2001:db8::1'])])"),
    ("TSIG", "DNSRRTSIG(rrname='k', time_signed=1700000000, fudge=300, mac_data=b'm' * 16, "
     "original_id=5)"),
    ("a whole response", "DNS(id=77, qr=1, aa=1, qd=DNSQR(qname='example.com', qtype='ALL'), "
     "an=[DNSRR(rrname='example.com', rdata='192.0.2.9', ttl=5), DNSRRMX(rrname='example.com', "
     "exchange='mx.example.com', preference=3)], ns=DNSRR(rrname='example.com', type='NS', "
     "rdata='ns.example.com'), ar=[DNSRROPT()])"),
    ("over UDP", "IP(src='192.0.2.1', dst='192.0.2.53')/UDP(sport=40000)/DNS(id=1)"),
    ("over UDP to mDNS", "IP(src='192.0.2.1', dst='224.0.0.251')/UDP(sport=5353, dport=5353)"
     "/DNS(qd=DNSQR(qname='_http._tcp.local', qtype='PTR'))"),
    # dport 53: TCP's default port 80 is HTTP's in Scapy once scapy.layers.http is loaded
    ("over TCP: the length", "IP(src='192.0.2.1', dst='192.0.2.53')"
     "/TCP(sport=40000, dport=53, flags='PA')/DNS(id=2, qd=DNSQR(qname='example.net'))"),
    ("DNSTCP", "DNSTCP(id=3, qd=DNSQR(qname='example.net', qtype='AXFR'))"),
    ("compressed", "dns_compress(DNS(qr=1, qd=DNSQR(qname='www.example.com'), "
     "an=[DNSRR(rrname='www.example.com', type='CNAME', rdata='web.example.com'), "
     "DNSRR(rrname='web.example.com', rdata='192.0.2.80'), DNSRRMX(rrname='example.com', "
     "exchange='mail.example.com'), DNSRRSOA(rrname='example.com', mname='ns.example.com', "
     "rname='root.example.com')]))"),
    ("compressed, over UDP", "dns_compress(IP(src='192.0.2.1', dst='192.0.2.2')/UDP()"
     "/DNS(qd=DNSQR(qname='a.b.example'), an=DNSRR(rrname='a.b.example', type='PTR', "
     "rdata='c.b.example')))"),
    ("compress() method", "DNS(qd=DNSQR(qname='x.example'), ns=DNSRRNSEC(rrname='x.example', "
     "nextname='y.x.example', typebitmaps=[1])).compress()"),
    ("LLMNR query", "UDP()/LLMNRQuery(id=5, qd=DNSQR(qname='host'))"),
    ("LLMNR response", "UDP()/LLMNRResponse(id=5, qd=DNSQR(qname='host'), "
     "an=DNSRR(rrname='host', rdata='192.0.2.4'))"),
]

_PAQUET_NS: dict[str, Any] = {n: getattr(paquet, n) for n in paquet.__all__}
_SCAPY_NS: dict[str, Any] = {}
exec("from scapy.all import *\nfrom scapy.layers.llmnr import *", _SCAPY_NS)


def build(expr: str, lib: str) -> Any:
    """The packet ``expr`` makes with paquet (``"p"``) or Scapy (``"s"``)."""
    return eval(expr, dict(_PAQUET_NS if lib == "p" else _SCAPY_NS))


@pytest.mark.parametrize(("what", "expr"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_bytes_equal_scapy(what: str, expr: str) -> None:
    assert bytes(build(expr, "p")) == bytes(build(expr, "s")), what


def _value(v: Any) -> Any:
    """A field value comparable across the libraries."""
    if isinstance(v, list):
        return [_value(x) for x in v]
    if hasattr(v, "fields_desc") or isinstance(v, Packet):
        return (type(v).__name__, {k: _value(x) for k, x in _fields(v).items()})
    if type(v).__name__ == "FlagValue":
        return int(v)
    return v


def _fields(layer: Any) -> dict[str, Any]:
    return {f.name: getattr(layer, f.name) for f in layer.fields_desc
            if not (type(f).__name__ == "ConditionalField" and getattr(layer, f.name) is None)}


def _layers(pkt: Any) -> list[tuple[str, dict[str, Any]]]:
    out = []
    while pkt is not None and type(pkt).__name__ != "NoPayload":
        out.append((type(pkt).__name__, {k: _value(v) for k, v in _fields(pkt).items()}))
        pkt = pkt.payload if pkt.payload else None
    return out


@pytest.mark.parametrize(("what", "expr"), CONSTRUCTIONS, ids=[c[0] for c in CONSTRUCTIONS])
def test_scapy_bytes_dissect_as_scapy(what: str, expr: str) -> None:
    theirs = build(expr, "s")
    data = bytes(theirs)
    cls_name = type(theirs).__name__
    ours, dissected = getattr(paquet, cls_name)(data), type(theirs)(data)
    assert _layers(ours) == _layers(dissected), what
    assert bytes(ours) == data
    assert ours.summary() == dissected.summary()
    assert repr(ours) == repr(dissected)
    assert ours.show(dump=True) == dissected.show(dump=True)


# ------------------------------------------------------------------ against tshark

pytestmark_tshark = pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")


def frames_of_constructions() -> list[bytes]:
    """Each DNS construction as a whole frame to port 53 (the others are left out)."""
    from paquet.layers import IP, UDP, Ether

    out = []
    for _what, expr in CONSTRUCTIONS:
        pkt = build(expr, "p")
        if isinstance(pkt, DNS) and not pkt.FORCE_TCP:
            out.append(bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.53")
                             / UDP(sport=53, dport=40000) / pkt))
    return out


def _name(b: bytes) -> str:
    return "<Root>" if b == b"." else b[:-1].decode("latin-1")


def _one(v: Any) -> Any:
    return v[0] if isinstance(v, list) else v


def _compare_record(rec: Packet, t: dict[str, Any], query: bool) -> None:
    if query:
        assert t["dns.qry.name"] == _name(rec.qname)
        assert int(t["dns.qry.type"]) == rec.qtype
        assert int(t["dns.qry.class"], 16) & 0x7FFF == rec.qclass
        return
    rtype = int(_one(t["dns.resp.type"]))
    assert rtype == rec.type
    if "dns.resp.name" in t:
        assert t["dns.resp.name"] == _name(rec.rrname)
    if rtype == 41:
        assert int(t["dns.rr.udp_payload_size"]) == rec.rclass
        assert int(t["dns.resp.edns0_version"]) == rec.version
        assert int(t["dns.resp.z"], 16) == rec.z
        opts = t.get("dns.opt", [])
        opts = opts if isinstance(opts, list) else [opts]
        assert [int(o["dns.opt.code"]) for o in opts] == [o.optcode for o in rec.rdata]
        return
    assert int(t["dns.resp.ttl"]) == rec.ttl
    assert int(t["dns.resp.class"], 16) & 0x7FFF == rec.rclass
    checks: dict[int, list[tuple[str, Any]]] = {
        1: [("dns.a", None)], 28: [("dns.aaaa", None)],
        5: [("dns.cname", None)], 2: [("dns.ns", None)], 12: [("dns.ptr.domain_name", None)],
        15: [("dns.mx.preference", "preference"), ("dns.mx.mail_exchange", "exchange")],
        6: [("dns.soa.mname", "mname"), ("dns.soa.rname", "rname"),
            ("dns.soa.serial_number", "serial"), ("dns.soa.refresh_interval", "refresh"),
            ("dns.soa.retry_interval", "retry"), ("dns.soa.expire_limit", "expire"),
            ("dns.soa.minimum_ttl", "minimum")],
        33: [("dns.srv.priority", "priority"), ("dns.srv.weight", "weight"),
             ("dns.srv.port", "port"), ("dns.srv.target", "target")],
        43: [("dns.ds.algorithm", "algorithm"), ("dns.ds.digest_type", "digesttype")],
        46: [("dns.rrsig.type_covered", "typecovered"), ("dns.rrsig.algorithm", "algorithm"),
             ("dns.rrsig.labels", "labels"), ("dns.rrsig.original_ttl", "originalttl"),
             ("dns.rrsig.key_tag", "keytag"), ("dns.rrsig.signers_name", "signersname")],
        47: [("dns.nsec.next_domain_name", "nextname")],
        48: [("dns.dnskey.protocol", "protocol"), ("dns.dnskey.algorithm", "algorithm")],
        51: [("dns.nsec3.algo", "hashalg"), ("dns.nsec3.iterations", "iterations"),
             ("dns.nsec3.salt_length", "saltlength")],
        50: [("dns.nsec3.algo", "hashalg"), ("dns.nsec3.iterations", "iterations"),
             ("dns.nsec3.salt_length", "saltlength"), ("dns.nsec3.hash_length", "hashlength")],
    }
    for key, attr in checks.get(rtype, []):
        ours = rec.rdata if attr is None else getattr(rec, attr)
        theirs = t[key]
        if isinstance(ours, bytes):
            assert theirs == _name(ours), key
        else:
            assert theirs == str(ours), key
    if rtype == 16:
        texts = t.get("dns.txt", [])
        texts = texts if isinstance(texts, list) else [texts]
        assert texts == [x.decode("latin-1") for x in rec.rdata]
    if rtype == 48:
        assert int(t["dns.dnskey.flags"], 16) == int(rec.flags)
    if rtype == 43:
        assert int(t["dns.ds.key_id"], 16) == rec.keytag
        assert t["dns.ds.digest"].replace(":", "") == rec.digest.hex()
    if rtype == 46:
        assert t["dns.rrsig.signature"].replace(":", "") == rec.signature.hex()
    if rtype == 13:
        assert t["dns.hinfo.cpu"] == rec.cpu.decode()
        assert t["dns.hinfo.os"] == rec.os.decode()


_SECTIONS = (("qd", "Queries"), ("an", "Answers"), ("ns", "Authoritative nameservers"),
             ("ar", "Additional records"))


def compare_with_tshark(dns: Packet, t: dict[str, Any]) -> None:
    """Every header field and every record of ``dns`` against tshark's dissection."""
    assert int(t["dns.id"], 16) == dns.id
    flags = t["dns.flags_tree"]
    for ours, theirs in (("qr", "response"), ("opcode", "opcode"), ("tc", "truncated"),
                         ("rd", "recdesired"), ("z", "z"), ("cd", "checkdisable")):
        assert int(flags[f"dns.flags.{theirs}"]) == int(getattr(dns, ours)), ours
    if dns.qr:
        for ours, theirs in (("aa", "authoritative"), ("ra", "recavail"),
                             ("ad", "authenticated"), ("rcode", "rcode")):
            assert int(flags[f"dns.flags.{theirs}"]) == int(getattr(dns, ours)), ours
    for ours, theirs in (("qdcount", "queries"), ("ancount", "answers"),
                         ("nscount", "auth_rr"), ("arcount", "add_rr")):
        assert int(t[f"dns.count.{theirs}"]) == getattr(dns, ours)
    for section, title in _SECTIONS:
        records = list(t.get(title, {}).values())
        assert len(records) == len(getattr(dns, section)), section
        for rec, theirs in zip(getattr(dns, section), records, strict=True):
            _compare_record(rec, theirs, section == "qd")


@pytestmark_tshark
def test_dissection_equals_tshark(tmp_path: Path) -> None:
    from paquet.layers import Ether

    frames = frames_of_constructions()
    frames += [bytes(Ether(f)) for f in frames]  # (dissected then built: the same)
    layers = tshark_layers(tmp_path, frames)
    assert len(layers) == len(frames)
    for frame, t in zip(frames, layers, strict=True):
        compare_with_tshark(Ether(frame)[DNS], t["dns"])


# ------------------------------------------------------------------ names and compression


def test_compressed_names_dissect_as_scapy_and_build_back() -> None:
    expr = dict(CONSTRUCTIONS)["compressed"]
    data = bytes(build(expr, "s"))
    ours, theirs = DNS(data), scapy_all.DNS(data)
    assert len(data) < len(bytes(DNS(qr=1, qd=ours.qd, an=[_plain(r) for r in ours.an])))
    assert [r.rrname for r in ours.an] == [r.rrname for r in theirs.an]
    assert ours.an[0].rdata == theirs.an[0].rdata
    assert bytes(ours) == data
    ours.clear_cache()
    theirs.clear_cache()
    for a, b in zip(ours.an, theirs.an, strict=True):
        a.rdlen = b.rdlen = None
    assert bytes(ours) == bytes(theirs)


def _plain(r: Packet) -> Packet:
    c = r.copy()
    c.clear_cache()
    return c


def test_a_name_changed_rebuilds_the_message_as_scapy() -> None:
    expr = dict(CONSTRUCTIONS)["compressed"]
    data = bytes(build(expr, "s"))
    ours, theirs = DNS(data), scapy_all.DNS(data)
    ours.an[1].rrname = theirs.an[1].rrname = "other.example"
    assert bytes(ours) == bytes(theirs)


def test_dns_get_str_and_encode_as_scapy() -> None:
    from scapy.layers import dns as sdns

    from paquet.layers.dns import dns_encode, dns_get_str

    full = b"\x06cheese\x00blob\x06hamand\xc0\x00\x04loop\xc0\x13\x01a\xc0\x30"
    for start in range(len(full)):
        for s_full in (full, None):
            try:
                want = sdns.dns_get_str(full[start:], full=s_full)
            except Exception:
                want = "error"
            try:
                got = dns_get_str(full[start:], full=s_full)
            except Exception:
                got = "error"
            assert got == want, (start, s_full)
    for name in (b"", b".", b"a", b"a.b.", b"x" * 70 + b".y", b"a..b", b"\x00"):
        assert dns_encode(name) == sdns.dns_encode(name)
        assert dns_encode(name, check_built=True) == sdns.dns_encode(name, check_built=True)


def test_reply_matching() -> None:
    q = DNS(id=42, qd=DNSQR(qname="example.com"))
    r = DNS(bytes(DNS(id=42, qr=1, qd=DNSQR(qname="example.com"),
                      an=DNSRR(rrname="example.com", rdata="192.0.2.1"))))
    assert r.answers(q) and not q.answers(r)
    assert r.hashret() == q.hashret()
    assert not DNS(id=43, qr=1).answers(q)
    sq = scapy_all.DNS(id=42, qd=scapy_all.DNSQR(qname="example.com"))
    sr = scapy_all.DNS(bytes(r))
    assert sr.answers(sq) == r.answers(q)
