"""HTTP/1.x: bytes against Scapy's, dissection against Scapy's and tshark's, hostile input,
and messages split over TCP segments put back together by TCPSession."""

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

from paquet.layers import IP, TCP, Ether, Raw
from paquet.layers.http import HTTP, HTTPRequest, HTTPResponse
from paquet.net.sessions import TCPSession

from .scapy_http import scapy_http_loaded


@pytest.fixture(scope="module", autouse=True)
def _http_loaded() -> Iterator[None]:
    """HTTP bound to its ports (Scapy's load_layer("http")) for this module only."""
    from paquet.layers import http
    from paquet.utils import load_layer

    load_layer("http")
    yield
    http.unload_bindings()


# (name, fields, payload): built by paquet and by Scapy with the same arguments.
CONSTRUCTIONS: list[tuple[str, dict[str, Any], bytes | None]] = [
    ("HTTPRequest", {}, None),
    ("HTTPRequest", {"Host": "www.example.com", "User_Agent": "curl/8"}, None),
    ("HTTPRequest", {"Method": "POST", "Path": "/form", "Content_Type": "text/plain"},
     b"a=1&b=2"),
    ("HTTPRequest", {"Host": "a", "Unknown_Headers": {"X-Custom": "1", "X-Two": "b"}}, b"x"),
    ("HTTPRequest", {"Method": "HEAD", "Http_Version": "HTTP/1.0", "Accept": "*/*",
                     "Accept_Encoding": "gzip", "Connection": "close"}, None),
    ("HTTPResponse", {"Date": "Mon, 01 Jan 2024 00:00:00 GMT"}, None),
    ("HTTPResponse", {"Date": "x", "Status_Code": "404", "Reason_Phrase": "Not Found",
                      "Server": "paquet", "Content_Type": "text/html"}, b"<h1>no</h1>"),
    ("HTTPResponse", {"Date": "x", "Transfer_Encoding": "chunked"}, b"hello world"),
    ("HTTPResponse", {"Date": "x", "Content_Length": "3", "Set_Cookie": "a=b"}, b"abc"),
    ("HTTPRequest", {"Method": "", "Path": "", "Http_Version": ""}, None),
]


def _paquet(name: str, fields: dict[str, Any], pay: bytes | None) -> bytes:
    cls = {"HTTPRequest": HTTPRequest, "HTTPResponse": HTTPResponse}[name]
    p = HTTP() / cls(**fields)
    if pay is not None:
        p = p / Raw(pay)
    return bytes(p)


@pytest.fixture(scope="module")
def scapy_http() -> Iterator[Any]:
    """Scapy's HTTP module, bound to TCP 80 and 8080 for this module only."""
    pytest.importorskip("scapy.all")
    with scapy_http_loaded() as http:
        yield http


@pytest.mark.parametrize(("name", "fields", "pay"), CONSTRUCTIONS)
def test_bytes_equal_scapy(scapy_http: Any, name: str, fields: dict[str, Any],
                           pay: bytes | None) -> None:
    from scapy.packet import Raw as SRaw

    p = scapy_http.HTTP() / getattr(scapy_http, name)(**fields)
    if pay is not None:
        p = p / SRaw(pay)
    assert _paquet(name, fields, pay) == bytes(p)


def _field_values(layer: Any) -> dict[str, Any]:
    return {f.name: layer.getfieldval(f.name) for f in layer.fields_desc}


WIRE = [
    b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: x\r\nAccept: */*\r\n\r\n",
    b"GET / HTTP/1.1\r\nhost:  lower.example \r\nX-Thing: 1\r\nx-other:2\r\n\r\n",
    b"POST /p HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",  # chunks cut short
    b"HTTP/1.1 301 Moved Permanently\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n",
    b"HTTP/1.0 500 Internal Server Error\r\nServer: t\r\n\r\nbody",
    b"GET / HTTP/1.1\r\n",  # no end of headers
    b"NOTHTTP\r\n\r\n",
]


@pytest.mark.parametrize("wire", WIRE)
def test_dissection_equals_scapy(scapy_http: Any, wire: bytes) -> None:
    ours = HTTP(wire)
    theirs = scapy_http.HTTP(wire)
    assert bytes(ours) == wire
    assert type(ours.payload).__name__ == type(theirs.payload).__name__
    if isinstance(ours.payload, HTTPRequest | HTTPResponse):
        assert _field_values(ours.payload) == _field_values(theirs.payload)
        assert ours.summary() == theirs.summary()
    if Raw in ours or scapy_http.Raw in theirs:
        assert ours[Raw].load == theirs[scapy_http.Raw].load


def test_gzip_body_decompressed_bytes_kept(scapy_http: Any) -> None:
    import gzip

    body = gzip.compress(b"compressed text", mtime=0)
    wire = (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
            % len(body)) + body
    ours, theirs = HTTP(wire), scapy_http.HTTP(wire)
    assert ours[Raw].load == theirs[scapy_http.Raw].load == b"compressed text"
    assert bytes(ours) == wire


def test_changed_field_rebuilds() -> None:
    p = HTTP(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    p[HTTPRequest].Host = b"b"
    assert b"Host: b\r\n" in bytes(p)


def test_bound_to_tcp_ports() -> None:
    for sport, dport in ((1234, 80), (80, 1234), (1234, 8080), (8080, 1234)):
        seg = TCP(bytes(TCP(sport=sport, dport=dport) / b"GET / HTTP/1.1\r\n\r\n"))
        assert HTTPRequest in seg
    assert TCP(bytes(TCP() / HTTP() / HTTPRequest())).dport == 80


@pytest.mark.parametrize("wire", WIRE)
def test_truncated_and_mutated_never_raise(wire: bytes) -> None:
    rnd = random.Random(17)
    for cut in range(len(wire) + 1):
        assert bytes(HTTP(wire[:cut])) == wire[:cut]
    for _ in range(200):
        b = bytearray(wire)
        for _ in range(3):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        p = HTTP(bytes(b))
        assert bytes(p) == bytes(b)
        assert p.show(dump=True)


def _stream(payloads: list[bytes], sport: int = 40000, dport: int = 80) -> list[Any]:
    seq = 1000
    pkts = [Ether() / IP(src="192.0.2.1", dst="192.0.2.2") /
            TCP(sport=sport, dport=dport, flags="S", seq=seq - 1)]
    for pl in payloads:
        pkts.append(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") /
                    TCP(sport=sport, dport=dport, flags="PA", seq=seq) / pl)
        seq += len(pl)
    return [Ether(bytes(p)) for p in pkts]


def test_tcp_session_reassembles_request() -> None:
    body = b"x" * 30
    msg = b"POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 30\r\n\r\n" + body
    parts = [msg[:20], msg[20:45], msg[45:60], msg[60:]]  # (the request line first)
    s = TCPSession()
    out = [s.process(p) for p in _stream(parts)]
    got = [o for o in out if o is not None and HTTPRequest in o]
    assert len(got) == 1
    assert got[0][HTTPRequest].Path == b"/up"
    assert got[0][Raw].load == body


def test_tcp_session_chunked_response() -> None:
    msg = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    s = TCPSession()
    out = [s.process(p) for p in _stream([msg[:20], msg[20:50], msg[50:]], 80, 40000)]
    got = [o for o in out if o is not None and HTTPResponse in o]
    assert len(got) == 1 and got[0][Raw].load == b"abc"


def _both_sessions(scapy_http: Any, pkts: list[Any]) -> tuple[list[Any], list[Any]]:
    """The packets paquet's TCPSession and Scapy's give for the same frames."""
    import scapy.all as sc

    ours = [o for o in (lambda s: [s.process(IP(bytes(p))) for p in pkts])(TCPSession())
            if o is not None]
    theirs = sc.sniff(offline=[sc.IP(bytes(p)) for p in pkts], session=sc.TCPSession,
                      quiet=True)
    return ours, list(theirs)


def _summaries(pkts: list[Any]) -> list[tuple[str, bytes, int, Any]]:
    # (Scapy keeps the last segment's TCP checksum on a message; paquet computes it anew.)
    return [(p.summary(), bytes(p["TCP"].payload), p["TCP"].seq, p.wirelen) for p in pkts]


def test_tcp_session_syn_flagged_data_as_scapy(scapy_http: Any) -> None:
    # Crafted segments keep TCP()'s default "S" flag: their data follows on by seq.
    msg = b"GET /x HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nbody"
    cut = [msg[:20], msg[20:36], msg[36:]]  # (the request line whole in the first)
    pkts, seq = [], 7
    for part in cut:
        pkts.append(IP(src="192.0.2.1", dst="192.0.2.2") /
                    TCP(sport=40000, dport=80, seq=seq) / part)
        seq += len(part)
    ours, theirs = _both_sessions(scapy_http, pkts)
    assert len(ours) == 1 and ours[0][HTTPRequest].Host == b"h"
    assert _summaries(ours) == _summaries(theirs)


def test_tcp_session_fin_and_wirelen_as_scapy(scapy_http: Any) -> None:
    # A FIN or RST with nothing left to hand on gives nothing; a message has no wirelen.
    msg = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef"
    pkts = _stream([msg[:25], msg[25:]], 80, 40000)
    ip = Ether() / IP(src="192.0.2.1", dst="192.0.2.2")
    end = 1000 + len(msg)
    pkts += [Ether(bytes(ip / TCP(sport=80, dport=40000, flags="FA", seq=end))),
             Ether(bytes(ip / TCP(sport=40000, dport=80, flags="R", seq=5)))]
    ours, theirs = _both_sessions(scapy_http, [p[IP] for p in pkts])
    assert len(ours) == 2 and ours[1][HTTPResponse].Content_Length == b"6"
    assert ours[1].wirelen is None
    # (Scapy gives the first message the SYN's seq; paquet the seq of its first byte.)
    assert [s[0] for s in _summaries(ours)] == [s[0] for s in _summaries(theirs)]
    assert [(s[1], s[3]) for s in _summaries(ours)] == [(s[1], s[3]) for s in _summaries(theirs)]


# ---------------------------------------------------------------------- against tshark


def _write_pcap(path: Path, frames: list[bytes]) -> None:
    with path.open("wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000 + i, 0, len(frame), len(frame)))
            f.write(frame)


def tshark_json(frames: list[bytes], tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "http.pcap"
    _write_pcap(path, frames)
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "json", "-o",
                          "tcp.desegment_tcp_streams:FALSE"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return [f["_source"]["layers"] for f in json.loads(out)]


def _find(tree: Any, key: str) -> Any:
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k == key:
                return v
            r = _find(v, key)
            if r is not None:
                return r
    elif isinstance(tree, list):
        for v in tree:
            r = _find(v, key)
            if r is not None:
                return r
    return None


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_dissection_agrees_with_tshark(tmp_path: Path) -> None:
    # (one connection per message: tshark would take the same ports for a retransmission)
    msgs = ([(40000 + i, 80, w) for i, w in enumerate(WIRE[:3])]
            + [(80, 41000 + i, w) for i, w in enumerate(WIRE[3:7])])
    frames = [bytes(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") /
                    TCP(sport=s, dport=d, flags="PA") / Raw(w)) for s, d, w in msgs]
    layers = tshark_json(frames, tmp_path)
    for frame, tree in zip(frames, layers, strict=True):
        msg = Ether(frame)[HTTP].payload
        if isinstance(msg, HTTPRequest):
            assert _find(tree, "http.request.method") == msg.Method.decode()
            assert _find(tree, "http.request.uri") == msg.Path.decode()
            assert _find(tree, "http.request.version") == msg.Http_Version.decode()
            if msg.Host:
                # (Scapy strips a header's value; tshark keeps its trailing blanks)
                assert _find(tree, "http.host").strip() == msg.Host.decode()
        else:
            assert _find(tree, "http.response.code") == msg.Status_Code.decode()
            assert _find(tree, "http.response.phrase") == msg.Reason_Phrase.decode()
            if msg.Server:
                assert _find(tree, "http.server") == msg.Server.decode()
