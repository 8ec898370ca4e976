"""TLS dissection: bytes against Scapy's (run where Scapy's TLS can load, see tls_helpers),
dissection against Scapy's and tshark's (``-T json``), JA3 against tshark, JA4 against
FoxIO's published examples, hostile input, records over several segments."""

from __future__ import annotations

import json
import random
import shutil
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import paquet
from paquet.layers import IP, TCP, Ether, Padding, Raw
from paquet.layers.tls import TLS, TLSAlert, TLSApplicationData, TLSChangeCipherSpec
from paquet.layers.tls_fingerprint import ja3, ja4, ja4_raw
from paquet.net.sessions import TCPSession

from .tls_helpers import scapy_tls


@pytest.fixture(scope="module", autouse=True)
def _tls_loaded() -> Iterator[None]:
    """TLS bound to port 443 (Scapy's load_layer("tls")) for this module only."""
    from paquet.layers import tls
    from paquet.utils import load_layer

    load_layer("tls")
    yield
    tls.unload_bindings()


NS = {n: getattr(paquet, n) for n in paquet.__all__ if n[:3] in ("TLS", "Ser", "Pro", "Key")}

CH_FULL = (
    "TLS(msg=[TLSClientHello(gmt_unix_time=0x5f000000, random_bytes=b'r'*28, sid=b's'*32,"
    " ciphers=[0x2a2a, 0x1301, 0x1302, 0xc02b, 0xc02f, 0x00ff],"
    " ext=[TLS_Ext_Unknown(type=0x3a3a, val=b''),"
    " TLS_Ext_ServerName(servernames=[ServerName(servername=b'lab.example')]),"
    " TLS_Ext_ExtendedMasterSecret(), TLS_Ext_RenegotiationInfo(),"
    " TLS_Ext_SupportedGroups(groups=[0x4a4a, 29, 23, 24]),"
    " TLS_Ext_SupportedPointFormat(ecpl=[0]), TLS_Ext_SessionTicket(),"
    " TLS_Ext_ALPN(protocols=[ProtocolName(protocol=b'h2'), ProtocolName(protocol=b'http/1.1')]),"
    " TLS_Ext_SignatureAlgorithms(sig_algs=[0x0403, 0x0804, 0x0401]),"
    " TLS_Ext_KeyShare_CH(client_shares=[KeyShareEntry(group=29, key_exchange=b'k'*32)]),"
    " TLS_Ext_PSKKeyExchangeModes(kxmodes=[1]),"
    " TLS_Ext_SupportedVersion_CH(versions=[0x5a5a, 0x0304, 0x0303]),"
    " TLS_Ext_EncryptThenMAC(), TLS_Ext_Padding(padding=b'\\x00'*7)])])"
)

BUILDS = [
    "TLS(msg=[TLSClientHello(gmt_unix_time=0, random_bytes=b'a'*28, ciphers=[0x1301, 0xc02f],"
    " ext=[TLS_Ext_ServerName(servernames=[ServerName(servername='lab.example')]),"
    " TLS_Ext_ALPN(protocols=[ProtocolName(protocol='h2')]),"
    " TLS_Ext_SupportedVersion_CH(versions=[0x0304, 0x0303])])])",
    CH_FULL,
    "TLS(msg=[TLSClientHello(version=0x0301, gmt_unix_time=7, random_bytes=b'z'*28,"
    " ciphers=[0x002f], comp=[0])])",
    "TLS(msg=[TLSServerHello(gmt_unix_time=1, random_bytes=b'b'*28, cipher=0xc02f,"
    " ext=[TLS_Ext_RenegotiationInfo(), TLS_Ext_ExtendedMasterSecret()])])",
    "TLS(version=0x0301, msg=[TLSServerHelloDone()])",
    "TLS(msg=[TLSAlert(level=2, descr=40)])",
    "TLS(msg=[TLSChangeCipherSpec()])",
    "TLS(msg=[TLSApplicationData(data=b'x'*10)])",
    "TLS(msg=[TLSNewSessionTicket(lifetime=300, ticket=b't'*16)])",
    "TLS(msg=[TLSFinished(vdata=b'v'*12)])",
    "TLS()",
    "TLS_Ext_ServerName(servernames=[ServerName(servername=b'a'), ServerName(servername=b'b')])",
    "TLS_Ext_SupportedVersion_SH(version=0x0304)",
    "TLS_Ext_KeyShare_SH(server_share=KeyShareEntry(group=29, key_exchange=b'q'*32))",
    "TLS_Ext_Unknown(type=0xabcd, val=b'hello')",
    "TLS_Ext_SignatureAlgorithms(sig_algs=[0x0804])",
]


def _ours(expr: str) -> bytes:
    return bytes(eval(expr, dict(NS)))  # (a test's own table)


def test_built_bytes_equal_scapy() -> None:
    theirs = scapy_tls([("build", e) for e in BUILDS])
    for expr, hexa in zip(BUILDS, theirs, strict=True):
        assert not hexa.startswith("error"), (expr, hexa)
        assert _ours(expr).hex() == hexa, expr


def _our_fields(m: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"cls": type(m).__name__}
    for f in m.fields_desc:
        v = m.getfieldval(f.name)
        if f.name == "ext":
            v = [[type(e).__name__, bytes(e).hex()] for e in (v or [])]
        elif isinstance(v, bytes):
            v = v.hex()
        d[f.name] = v
    return d


def _wires() -> list[bytes]:
    ch = _ours(CH_FULL)
    flight = _ours("TLS(msg=[TLSServerHello(gmt_unix_time=1, random_bytes=b'b'*28, "
                   "cipher=0xc02f, ext=[TLS_Ext_ExtendedMasterSecret()]), "
                   "TLSServerHelloDone()])")
    return [ch, flight, _ours("TLS(msg=[TLSAlert(level=1, descr=0)])"),
            _ours("TLS(msg=[TLSChangeCipherSpec()])")]


def test_dissection_equals_scapy() -> None:
    wires = _wires()
    theirs = scapy_tls([("dissect", w.hex()) for w in wires])
    for wire, t in zip(wires, theirs, strict=True):
        ours = TLS(wire)
        assert bytes(ours) == wire
        assert (ours.type, ours.version, ours.len) == (t["type"], t["version"], t["len"])
        mine = [_our_fields(m) for m in ours.msg]
        for a, b in zip(mine, t["msg"], strict=True):
            if a["cls"] == "TLSClientHello":  # (Scapy's ext list, field by field)
                assert a["ext"] == b["ext"]
            keys = set(a) & set(b) - {"gmt_unix_time", "comp", "ext"}
            assert {k: a[k] for k in keys} == {k: b[k] for k in keys}, a["cls"]
            assert a["cls"] == b["cls"]


def test_names_are_scapys() -> None:
    """Every number paquet names (cipher suites, groups, signature schemes, extensions,
    alerts, versions) has Scapy's name for it."""
    from paquet.layers import tls_numbers as n

    (theirs,) = scapy_tls([("tables", "")])
    ours = {"suites": n.cipher_suites(), "groups": n.TLS_NAMED_GROUPS,
            "sigs": n.TLS_SIG_SCHEMES, "ext": n.TLS_EXTENSIONS,
            "alerts": n.TLS_ALERT_DESCR, "versions": n.TLS_VERSIONS}
    for table, names in ours.items():
        differ = {k: (v, theirs[table].get(str(k))) for k, v in names.items()
                  if theirs[table].get(str(k)) != v}
        assert not differ, table


def test_extensions_shown_as_scapy() -> None:
    """The extensions' part of ``show()`` (SNI and ALPN lists on one line...) is Scapy's."""
    wire = _wires()[0]
    (theirs,) = scapy_tls([("show", wire.hex())])

    def ext_lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.splitlines() if line.startswith("   |   |")]

    assert ext_lines(TLS(wire).show(dump=True)) == ext_lines(theirs)


def test_several_records_and_fragments() -> None:
    a, b = _ours("TLS(msg=[TLSChangeCipherSpec()])"), _ours("TLS(msg=[TLSAlert(level=1,descr=0)])")
    p = TLS(a + b)
    assert isinstance(p.payload, TLS) and isinstance(p.payload.msg[0], TLSAlert)
    cut = TLS(a + b[:4])  # the second record cut short: Padding, as Scapy
    assert isinstance(cut.msg[0], TLSChangeCipherSpec)
    assert bytes(cut) == a + b[:4]
    frag = TLS(b[:6] + b"")
    assert bytes(frag) == b[:6]


def test_encrypted_and_short() -> None:
    junk = b"\x99\x01\x02\x03\x04\x05"
    p = TLS(junk)
    assert type(p).__name__ == "_TLSEncryptedContent" and bytes(p) == junk
    app = TLS(_ours("TLS(msg=[TLSApplicationData(data=b'secret')])"))
    assert isinstance(app.msg[0], TLSApplicationData) and app.msg[0].data == b"secret"


def test_bound_to_443() -> None:
    seg = TCP(bytes(TCP(sport=50000, dport=443) / TLS(msg=[TLSChangeCipherSpec()])))
    assert TLS in seg
    alert = b"\x15\x03\x03\x00\x02\x02\x28"
    assert TCP(bytes(TCP(sport=443, dport=50000) / alert))[TLSAlert].descr == 40


@pytest.mark.parametrize("index", range(4))
def test_truncated_and_mutated_never_raise(index: int) -> None:
    wire = _wires()[index]
    rnd = random.Random(index)
    for cut in range(1, len(wire) + 1):  # (TLS(b"") is a new record, as in Scapy)
        p = TLS(wire[:cut])
        assert bytes(p) == wire[:cut]
    for _ in range(300):
        b = bytearray(wire)
        for _ in range(rnd.randrange(1, 4)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        p = TLS(bytes(b))
        assert bytes(p) == bytes(b)
        p.show(dump=True)
        try:
            ja3(p)
            ja4(p)
        except ValueError:
            pass  # no ClientHello left in it


# ---------------------------------------------------------------------- JA3 / JA4

# FoxIO's published Chrome example (JA4_r of the JA4 repository and of several readers):
# t13d1516h2_002f,...,cca9_0005,...,ff01_0403,...,0601 -> t13d1516h2_8daaf6152771_d8a2da3f94cd
_CHROME_CIPHERS = [0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
                   0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035]
_CHROME_EXTS = [0x0005, 0x000A, 0x000B, 0x000D, 0x0012, 0x0017, 0x001B, 0x0023, 0x002B,
                0x002D, 0x0033, 0x44CD, 0xFE0D, 0xFF01]
_CHROME_SIGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]


def _hello(ciphers: list[int], exts: list[int], sigs: list[int], alpn: bytes | None,
           versions: list[int]) -> Any:
    g = paquet
    ext: list[Any] = [g.TLS_Ext_Unknown(type=0x1A1A, val=b"")]  # GREASE, left out
    ext.append(g.TLS_Ext_ServerName(servernames=[g.ServerName(servername=b"example.com")]))
    for t in exts:
        if t == 0x000D:
            ext.append(g.TLS_Ext_SignatureAlgorithms(sig_algs=sigs))
        elif t == 0x002B:
            ext.append(g.TLS_Ext_SupportedVersion_CH(versions=versions))
        elif t == 0x000A:
            ext.append(g.TLS_Ext_SupportedGroups(groups=[0x2A2A, 29, 23]))
        elif t == 0x000B:
            ext.append(g.TLS_Ext_SupportedPointFormat(ecpl=[0]))
        else:
            ext.append(g.TLS_Ext_Unknown(type=t, val=b""))
    if alpn is not None:
        ext.append(g.TLS_Ext_ALPN(protocols=[g.ProtocolName(protocol=alpn)]))
    ch = g.TLSClientHello(gmt_unix_time=0, random_bytes=b"\x00" * 28,
                          ciphers=[0x0A0A, *ciphers], ext=ext)
    return TLS(bytes(TLS(msg=[ch])))


def test_ja4_published_chrome_example() -> None:
    p = _hello(_CHROME_CIPHERS, _CHROME_EXTS, _CHROME_SIGS, b"h2", [0x3A3A, 0x0304, 0x0303])
    assert ja4_raw(p) == (
        "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,"
        "cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,"
        "0804,0401,0503,0805,0501,0806,0601")
    assert ja4(p) == "t13d1516h2_8daaf6152771_d8a2da3f94cd"


def test_ja4_second_published_example() -> None:
    # shigshag.com/tools/ja4: t13d1011h2_61a7ad8aa9b6_3fcd1a44f3e3 with its JA4_r.
    p = _hello([0x1301, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xC02F, 0xC030, 0xCCA8, 0xCCA9, 0x00FF],
               [0x0005, 0x000A, 0x000B, 0x000D, 0x0017, 0x0023, 0x002B, 0x002D, 0x0033],
               [0x0503, 0x0403, 0x0807, 0x0806, 0x0805, 0x0804, 0x0601, 0x0501, 0x0401],
               b"h2", [0x0304, 0x0303])
    assert ja4(p) == "t13d1011h2_61a7ad8aa9b6_3fcd1a44f3e3"


def test_ja4_alpn_and_version_rules() -> None:
    p = _hello([0x002F], [], [], None, [])
    assert ja4(p).startswith("t12d0101" + "00_")  # SNI only, TLS 1.2 from the hello
    p = _hello([0x002F], [], [], b"\x01ab\xff", [])
    assert ja4(p)[8:10] == "0f"  # not alphanumeric: first and last hex digits


# ---------------------------------------------------------------------- against tshark


def _write_pcap(path: Path, frames: list[bytes]) -> None:
    with path.open("wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(frame), len(frame)))
            f.write(frame)


def tshark_json(path: Path) -> list[dict[str, Any]]:
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "json",
                          "--no-duplicate-keys"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return [f["_source"]["layers"] for f in json.loads(out)]


def find_all(tree: Any, key: str) -> list[Any]:
    """Every value of ``key`` in tshark's tree (lists flattened), in order."""
    out: list[Any] = []
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k == key:
                out += v if isinstance(v, list) else [v]
            else:
                out += find_all(v, key)
    elif isinstance(tree, list):
        for v in tree:
            out += find_all(v, key)
    return out


def check_against_tshark(pkt: Any, tree: dict[str, Any]) -> None:
    """SNI, ALPN, cipher suites, handshake types, JA3 of paquet's ``pkt`` against tshark's."""
    recs = []
    layer = pkt.getlayer(TLS)
    while isinstance(layer, TLS):
        recs.append(layer)
        layer = layer.payload
    assert [str(r.type) for r in recs] == find_all(tree, "tls.record.content_type")
    msgs = [m for r in recs if r.type == 22 for m in r.msg]
    types = [str(m.msgtype) for m in msgs if hasattr(m, "msgtype")]
    assert types == find_all(tree, "tls.handshake.type")
    for m in msgs:
        name = type(m).__name__
        if name == "TLSClientHello":
            sni = [s.servername.decode() for e in m.ext or [] if getattr(e, "type", None) == 0
                   for s in getattr(e, "servernames", [])]
            assert sni == find_all(tree, "tls.handshake.extensions_server_name")
            alpn = [p.protocol.decode() for e in m.ext or [] if getattr(e, "type", None) == 16
                    for p in getattr(e, "protocols", [])]
            assert alpn == find_all(tree, "tls.handshake.extensions_alpn_str")
            assert [int(c, 16) for c in find_all(tree, "tls.handshake.ciphersuite")] == m.ciphers
            assert find_all(tree, "tls.handshake.ja3_full") == [ja3(m, raw=True)]
            assert find_all(tree, "tls.handshake.ja3") == [ja3(m)]
        if name in ("TLSServerHello", "TLS13ServerHello"):
            assert find_all(tree, "tls.handshake.ciphersuite") == [f"0x{m.cipher:04x}"]
        if name == "TLSCertificate":
            assert [int(n) for n in find_all(tree, "tls.handshake.certificate_length")] == [
                len(c) for c in m.certs]


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_dissection_agrees_with_tshark(tmp_path: Path) -> None:
    cert = TLS(msg=[paquet.TLSCertificate(certs=[b"\x30\x03\x02\x01\x01", b"\x30\x00"])])
    payloads = [*_wires(), bytes(cert),
                _ours("TLS(msg=[TLSChangeCipherSpec()])") + _ours(
                    "TLS(msg=[TLSFinished(vdata=b'v'*12)])")]
    frames = [bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") /
                    TCP(sport=40000 + i, dport=443, flags="PA") / Raw(w))
              for i, w in enumerate(payloads)]
    path = tmp_path / "tls.pcap"
    _write_pcap(path, frames)
    for frame, tree in zip(frames, tshark_json(path), strict=True):
        check_against_tshark(Ether(frame), tree)


@pytest.mark.parametrize("first", [3, 50])
def test_tcp_session_puts_a_split_hello_together(first: int) -> None:
    # (3: not even a record header; 50: a record cut short, Padding as in Scapy)
    wire = _wires()[0]
    seq = 5000
    pkts = []
    for part in (wire[:first], wire[first:100], wire[100:]):
        pkts.append(Ether(bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") /
                                TCP(sport=40000, dport=443, flags="PA", seq=seq) / part)))
        seq += len(part)
    s = TCPSession()
    out = [s.process(p) for p in pkts]
    assert out[:2] == [None, None]
    assert out[2] is not None and bytes(out[2][TLS]) == wire
    assert ja4(out[2]).startswith("t13d")
    assert Padding not in out[2]


def _message_classes() -> list[type]:
    from paquet.layers import _tls_extensions, _tls_handshake

    out = []
    for mod in (_tls_handshake, _tls_extensions):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if isinstance(obj, type) and obj._fields:
                out.append(obj)
    return out


@pytest.mark.parametrize("cls", _message_classes(), ids=lambda c: c.__name__)
def test_fuzzed_messages_dissect_back(cls: type) -> None:
    """The messages and extensions (not in the registry: the registry-wide fuzz test does
    not reach them; the record itself has nothing fuzz() draws) fuzzed alone and in a record."""
    from paquet.volatile import RandBin, RandNum
    from paquet.volatile.fuzzing import fuzz

    random.seed(0x7157)
    template = fuzz(cls())
    d = template.__dict__
    for name, value in list(d.items()):  # (short strings: a 1-byte length holds them)
        if isinstance(value, RandBin) and isinstance(value.size, RandNum):
            d[name] = RandBin(RandNum(0, 24))
    for _ in range(300):
        frame = bytes(template)
        assert bytes(cls(frame)) == frame
        rec = bytes(TLS(msg=[cls(frame)]))
        back = TLS(rec)
        assert bytes(back) == rec
        back.show(dump=True)


def test_session_makes_a_tls13_server_hello() -> None:
    """As Scapy: with the session of a ClientHello that offered TLS 1.3, the ServerHello
    (legacy version 1.2) is TLS13ServerHello; alone, a TLSServerHello."""
    ch = TLS(_wires()[0])
    assert ch.tls_session.advertised_tls_version == 0x0304
    sh = _ours("TLS(msg=[TLSServerHello(gmt_unix_time=0, random_bytes=b'r'*28, cipher=0x1301,"
               " ext=[TLS_Ext_SupportedVersion_SH(version=0x0304),"
               " TLS_Ext_KeyShare_SH(server_share=KeyShareEntry(group=29, key_exchange=b'k'*32))"
               "])])")
    alone = TLS(sh)
    assert type(alone.msg[0]).__name__ == "TLSServerHello"
    linked = TLS(sh, tls_session=ch.tls_session.mirror())
    m = linked.msg[0]
    assert type(m).__name__ == "TLS13ServerHello"
    assert m.random_bytes == b"\x00" * 4 + b"r" * 28
    assert [type(e).__name__ for e in m.ext] == ["TLS_Ext_SupportedVersion_SH",
                                                 "TLS_Ext_KeyShare_SH"]
    assert linked.tls_session.tls_version == 0x0304
    assert bytes(linked) == sh
