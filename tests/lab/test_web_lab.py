"""HTTP and TLS dissected on real traffic: a lab of two nodes (documentation addresses), an
``openssl s_server`` with a self-signed certificate and ``python -m http.server`` on the
server, ``openssl s_client -servername lab.example -alpn h2,http/1.1``, Python's ssl and
paquet's ``http_request`` on the client, the client's traffic captured by tcpdump; paquet
finds the SNI and ALPN and agrees with tshark on the same capture."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.layers.scapy_compare import outer_values, tshark_read
from web_helpers import fetch_with_http_request, tls_client

from paquet import TCP, TLS, Raw, TCPSession, rdpcap, sniff
from paquet.layers._tls_handshake import TLSClientHello, TLSServerHello
from paquet.layers.http import HTTPRequest, HTTPResponse
from paquet.layers.tls_fingerprint import ja3, ja4

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("openssl", "tcpdump", "tshark")),
    reason="needs openssl, tcpdump and tshark")

@pytest.fixture(scope="module", autouse=True)
def _web_loaded() -> Iterator[None]:
    """HTTP and TLS bound to their ports (Scapy's load_layer) for this module only."""
    from paquet.layers import http, tls
    from paquet.utils import load_layer

    load_layer("http")
    load_layer("tls")
    yield
    http.unload_bindings()
    tls.unload_bindings()


TOPOLOGY = """
name = "web"
description = "A client and a web server on one link."
[nodes.client]
[nodes.server]
[[links]]
name = "lan"
nodes = ["client", "server"]
subnet = "192.0.2.0/24"
address = { client = 10, server = 20 }
"""


def _wait_listening(node: Any, port: int, proc: subprocess.Popen[Any]) -> None:
    """Until ``port`` listens in ``node`` (ss asked each time; the server's own exit fails)."""
    for _ in range(600):
        if proc.poll() is not None:
            raise AssertionError(f"the server on port {port} exited: {proc.returncode}")
        out = node.exec(["ss", "-Hltn", f"sport = :{port}"], timeout=10).stdout
        if out.strip():
            return
        node.exec(["sleep", "0.05"])  # (a pause between two checks, not the synchronisation)
    raise AssertionError(f"nothing listens on port {port}")


class _Capture:
    """tcpdump in a node, started when it says it listens, stopped (flushed) at the end."""

    def __init__(self, node: Any, iface: str, pcap: Path, bpf: str) -> None:
        self.proc = node.popen(["tcpdump", "-n", "-U", "--immediate-mode", "-Z", "root",
                                "-i", iface, "-w", str(pcap), bpf],
                               stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        assert "listening" in line, line

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.err = self.proc.stderr.read()


@pytest.fixture
def web(lab_factory: Any, tmp_path: Path) -> Iterator[Any]:
    topo = tmp_path / "web.toml"
    topo.write_text(TOPOLOGY)
    lab = lab_factory(topo)
    procs: list[subprocess.Popen[Any]] = []
    yield lab, procs
    for p in procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def _record_types(tree: dict[str, Any]) -> list[str]:
    """The content type of each record tshark shows (TLS 1.3's encrypted records call their
    outer type ``opaque_type``)."""
    out = []
    for rec in outer_values(tree.get("tls", []), "tls.record"):
        if isinstance(rec, dict):
            t = rec.get("tls.record.content_type", rec.get("tls.record.opaque_type"))
            if t is not None:
                out.append(t)
    return out


def test_real_tls_handshakes(web: Any, tmp_path: Path) -> None:
    lab, procs = web
    server, client = lab["server"], lab["client"]
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-subj", "/CN=lab.example", "-days", "1"],
                   capture_output=True, check=True, timeout=120)
    srv = server.popen(["openssl", "s_server", "-accept", "443", "-cert", str(cert), "-key",
                        str(key), "-alpn", "h2,http/1.1", "-www", "-quiet"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(srv)
    _wait_listening(server, 443, srv)
    pcap = tmp_path / "tls.pcap"
    cap = _Capture(client, client.iface("server"), pcap, "tcp port 443")
    try:
        done = client.exec(["openssl", "s_client", "-connect", f"{server.addr()}:443",
                            "-servername", "lab.example", "-alpn", "h2,http/1.1"],
                           input="", timeout=60)
        assert "ALPN protocol: h2" in done.stdout, done.stdout[-500:]
        info = client.run_for(60, tls_client, server.addr(), 443, "lab.example",
                              ["http/1.1"])
        assert info["alpn"] == "http/1.1"
        old = client.exec(["openssl", "s_client", "-connect", f"{server.addr()}:443",
                           "-servername", "lab.example", "-tls1_2"], input="", timeout=60)
        assert old.returncode == 0
    finally:
        cap.stop()
    pkts = rdpcap(str(pcap))
    assert pkts, (cap.err, pcap.stat().st_size, client.iface("server"), done.stdout[-300:])
    hellos = [p for p in pkts if TLSClientHello in p]
    assert len(hellos) == 3, [p.summary() for p in pkts]
    trees = tshark_read(pcap)
    ja4s: list[str] = []
    for i, p in enumerate(pkts):
        tree = trees[i]
        if TLSClientHello in p:
            ch = p[TLSClientHello]
            names = [s.servername for e in ch.ext if e.type == 0 for s in e.servernames]
            assert names == [b"lab.example"]
            assert [n.encode() for n in outer_values(tree, "tls.handshake.extensions_server_name")
                    ] == names
            alpn = [x.protocol.decode() for e in ch.ext if e.type == 16 for x in e.protocols]
            assert alpn == outer_values(tree, "tls.handshake.extensions_alpn_str")
            assert [int(c, 16) for c in outer_values(tree, "tls.handshake.ciphersuite")] == \
                ch.ciphers
            assert outer_values(tree, "tls.handshake.ja3_full") == [ja3(ch, raw=True)]
            assert outer_values(tree, "tls.handshake.ja3") == [ja3(ch)]
            ja4s.append(ja4(ch))
        if TLS in p:
            types = []
            layer = p[TLS]
            while isinstance(layer, TLS):
                types.append(str(layer.type))
                layer = layer.payload
            # (tshark reassembles records split over segments: compare whole records only)
            if TLSServerHello not in p and Raw not in p:
                assert types == _record_types(tree)
    # JA4: TLS 1.3, 1.3, 1.2 (-tls1_2), a server name each; ALPN h2, http/1.1, none
    assert [(j[:4], j[8:10]) for j in ja4s] == [("t13d", "h2"), ("t13d", "h1"), ("t12d", "00")]
    alpns = [p for p in hellos if any(e.type == 16 for e in p[TLSClientHello].ext)]
    assert [sorted(x.protocol for e in p[TLSClientHello].ext if e.type == 16
                   for x in e.protocols) for p in alpns] == [[b"h2", b"http/1.1"],
                                                              [b"http/1.1"]]
    # The server's flight, records across segments, put together by TCPSession.
    out = sniff(offline=str(pcap), session=TCPSession)
    # (within a connection, the session knows the ClientHello offered TLS 1.3: Scapy's
    # TLS13ServerHello then, a plain TLSServerHello for the TLS 1.2 handshake)
    shellos = [type(m).__name__ for p in out if TCP in p and p[TCP].sport == 443
               and TLS in p for m in p[TLS].msg if isinstance(m, TLSServerHello)]
    assert shellos == ["TLS13ServerHello", "TLS13ServerHello", "TLSServerHello"]


def test_real_http_exchange(web: Any, tmp_path: Path) -> None:
    lab, procs = web
    server, client = lab["server"], lab["client"]
    root = tmp_path / "www"
    root.mkdir()
    (root / "hello.txt").write_bytes(b"hello from the lab\n" * 200)
    srv = server.popen([sys.executable, "-m", "http.server", "80", "--bind", server.addr(),
                        "--directory", str(root)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(srv)
    _wait_listening(server, 80, srv)
    pcap = tmp_path / "http.pcap"
    cap = _Capture(client, client.iface("server"), pcap, "tcp port 80")
    try:
        got = client.run_for(60, fetch_with_http_request, server.addr(), "/hello.txt")
        curl = client.exec(["curl", "-s", "-A", "curl/lab", f"http://{server.addr()}/nothing"],
                           timeout=60)
        assert curl.returncode == 0
    finally:
        cap.stop()
    assert got.endswith(b"hello from the lab\n" * 200)
    out = sniff(offline=str(pcap), session=TCPSession)
    reqs = [p for p in out if HTTPRequest in p]
    resps = [p for p in out if HTTPResponse in p]
    assert [r[HTTPRequest].Path for r in reqs] == [b"/hello.txt", b"/nothing"]
    assert reqs[1][HTTPRequest].User_Agent == b"curl/lab"
    assert [r[HTTPResponse].Status_Code for r in resps] == [b"200", b"404"]
    assert resps[0][Raw].load == b"hello from the lab\n" * 200
    trees = tshark_read(pcap)
    pkts = rdpcap(str(pcap))
    methods = outer_values(trees, "http.request.method")
    uris = outer_values(trees, "http.request.uri")
    codes = outer_values(trees, "http.response.code")
    assert methods == [r[HTTPRequest].Method.decode() for r in reqs]
    assert uris == [r[HTTPRequest].Path.decode() for r in reqs]
    assert codes == [r[HTTPResponse].Status_Code.decode() for r in resps]
    assert [h.strip() for h in outer_values(trees, "http.host")] == [
        r[HTTPRequest].Host.decode() for r in reqs]
    assert len(pkts) >= len(out)
