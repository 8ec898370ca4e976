"""TracerouteResult and TracerouteResult6 against Scapy's, on the same probes and answers
(offline: the pairs are built from bytes, both libraries dissect them)."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest

from paquet.layers import (
    ICMP,
    IP,
    TCP,
    UDP,
    ICMPv6DestUnreach,
    ICMPv6EchoRequest,
    ICMPv6TimeExceeded,
    IPv6,
)
from paquet.net.traceroute import TracerouteResult, TracerouteResult6
from paquet.tables import make_table

scapy_all = pytest.importorskip("scapy.all")

CLIENT, GW, R1, R2 = "192.0.2.10", "192.0.2.254", "198.51.100.2", "198.51.100.6"
SERVER, REMOTE = "203.0.113.10", "203.0.113.138"


def _error(router: str, probe: Any, kind: int = 11, code: int = 0) -> Any:
    return IP(src=router, dst=CLIENT, ttl=64) / ICMP(type=kind, code=code) / bytes(probe)[:28]


def _pairs4() -> list[tuple[bytes, bytes]]:
    """Probes to two targets (TCP 80 and 443) and UDP, with time-exceeded, SYN/ACK, RST,
    port unreachable answers and a silent hop."""
    out = []
    for ttl in range(1, 6):
        probe = IP(src=CLIENT, dst=SERVER, ttl=ttl, id=ttl) / TCP(sport=4000, dport=80, seq=ttl)
        if ttl == 1:
            answer = _error(GW, probe)
        else:
            answer = IP(src=SERVER, dst=CLIENT) / TCP(sport=80, dport=4000, flags="SA",
                                                      ack=ttl + 1)
        out.append((bytes(probe), bytes(answer)))
    for ttl in range(1, 7):
        probe = IP(src=CLIENT, dst=REMOTE, ttl=ttl, id=ttl) / TCP(sport=4000, dport=443, seq=ttl)
        if ttl == 3:
            continue  # a silent hop
        if ttl < 4:
            answer = _error({1: GW, 2: R1}[ttl], probe)
        else:
            answer = IP(src=REMOTE, dst=CLIENT) / TCP(sport=443, dport=4000, flags="RA")
        out.append((bytes(probe), bytes(answer)))
    for ttl in range(1, 4):
        probe = IP(src=CLIENT, dst=R2, ttl=ttl) / UDP(sport=5000, dport=33434)
        answer = _error(GW if ttl == 1 else R2, probe, 11 if ttl == 1 else 3,
                        0 if ttl == 1 else 3)
        out.append((bytes(probe), bytes(answer)))
    probe = IP(src=CLIENT, dst="203.0.113.99", ttl=1) / ICMP()
    out.append((bytes(probe), bytes(_error(GW, probe)) + b"\x01\x02"))  # padded
    return out


def _pairs6() -> list[tuple[bytes, bytes]]:
    out = []
    for hlim in range(1, 4):
        probe = IPv6(src="2001:db8:0:1::a", dst="2001:db8:0:2::a", hlim=hlim) / TCP(
            sport=4000, dport=80, seq=hlim)
        if hlim == 1:
            answer = IPv6(src="2001:db8:0:1::fe", dst="2001:db8:0:1::a") / \
                ICMPv6TimeExceeded() / bytes(probe)
        else:
            answer = IPv6(src="2001:db8:0:2::a", dst="2001:db8:0:1::a") / TCP(
                sport=80, dport=4000, flags="SA")
        out.append((bytes(probe), bytes(answer)))
    for hlim in range(1, 3):
        probe = IPv6(src="2001:db8:0:1::a", dst="2001:db8:0:5::8a", hlim=hlim) / \
            ICMPv6EchoRequest()
        answer = IPv6(src="2001:db8:0:1::fe", dst="2001:db8:0:1::a") / (
            ICMPv6TimeExceeded() if hlim == 1 else ICMPv6DestUnreach(code=3)) / bytes(probe)
        out.append((bytes(probe), bytes(answer)))
    return out


def _printed(func: Any) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        func()
    return out.getvalue()


def _both(pairs: list[tuple[bytes, bytes]], v6: bool) -> tuple[Any, Any]:
    if v6:
        ours: Any = TracerouteResult6([(IPv6(a), IPv6(b)) for a, b in pairs])
        theirs = scapy_all.TracerouteResult6(
            [(scapy_all.IPv6(a), scapy_all.IPv6(b)) for a, b in pairs])
    else:
        ours = TracerouteResult([(IP(a), IP(b)) for a, b in pairs])
        theirs = scapy_all.TracerouteResult([(scapy_all.IP(a), scapy_all.IP(b)) for a, b in pairs])
    return ours, theirs


@pytest.mark.parametrize("v6", [False, True])
def test_show_prints_scapys_table(v6: bool) -> None:
    ours, theirs = _both(_pairs6() if v6 else _pairs4(), v6)
    text = _printed(ours.show)
    assert text == _printed(theirs.show)
    assert len(text.splitlines()) > 3


@pytest.mark.parametrize("v6", [False, True])
def test_get_trace_as_scapy(v6: bool) -> None:
    ours, theirs = _both(_pairs6() if v6 else _pairs4(), v6)
    assert ours.get_trace() == theirs.get_trace()


@pytest.mark.parametrize("v6", [False, True])
@pytest.mark.parametrize("padding", [0, 1])
def test_graph_dot_text_as_scapy(v6: bool, padding: int) -> None:
    # Scapy's make_graph raises AttributeError on IPv6 probes that are neither TCP nor UDP
    # (it reads IPv6's ``proto``): only the TCP probes for IPv6.
    pairs = _pairs6()[:3] if v6 else _pairs4()
    ours, theirs = _both(pairs, v6)
    dot = ours.graph(ASres=None, padding=padding, string=True)
    theirs.make_graph(None, padding)  # TracerouteResult6.graph returns nothing in Scapy
    assert dot == theirs.graphdef
    assert dot.startswith("digraph trace {")


def test_graph_with_as_clusters_as_scapy() -> None:
    class Resolver:
        def resolve(self, *ips: str) -> list[tuple[str, Any, str]]:
            return [(ip, 64500 + ip.count("2"), "DOC-AS") for ip in sorted(ips)]

    ours, theirs = _both(_pairs4(), False)
    resolver = Resolver()
    assert ours.graph(ASres=resolver, string=True) == theirs.graph(ASres=resolver, string=True)


def test_make_table_as_scapys() -> None:
    data = [(1, "b"), (10, "a"), (2, "a"), (3, "c")]
    ours = make_table(data, lambda x, y: (y, x % 3, x * 2), dump=True)
    assert ours == scapy_all.make_table(data, lambda x, y: (y, x % 3, x * 2), dump=True)
    hosts = [("192.0.2.10", 1), ("192.0.2.9", 2)]
    assert make_table(hosts, lambda a, b: (a, b, "x"), dump=True) == scapy_all.make_table(
        hosts, lambda a, b: (a, b, "x"), dump=True)


def test_empty_result_prints_as_scapy() -> None:
    assert _printed(TracerouteResult([]).show) == _printed(scapy_all.TracerouteResult([]).show)


def test_graph_is_rendered_by_dot(tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """graph(target=file) pipes the picture's DOT text to graphviz's ``dot -Tsvg`` (a
    stand-in that records its arguments here), and without ``dot`` says so in one line and
    prints the text form."""
    ours, _theirs = _both(_pairs4(), False)
    fake = tmp_path / "dot"
    fake.write_text('#!/bin/sh\necho "$@" > "$0.args"\ncat\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    out = tmp_path / "trace.svg"
    assert ours.graph(target=str(out)) is None
    assert out.read_text() == ours.graph(string=True).picture
    no_as = type("NoAS", (), {"resolve": lambda self, *ips: []})()
    _theirs.make_graph(ASres=no_as)
    assert ours.graph(no_as, string=True) == _theirs.graphdef  # the text stays Scapy's
    assert (tmp_path / "dot.args").read_text().split() == ["-Tsvg"]
    ours.graph(target=f">{out}", format="png")
    assert (tmp_path / "dot.args").read_text().split() == ["-Tpng"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    capsys.readouterr()
    assert ours.graph(target=str(tmp_path / "none.svg")) is None
    printed = capsys.readouterr()
    assert printed.err.count("\n") == 1 and "graphviz" in printed.err
    assert printed.out.strip() == ours.graph().text
    assert not (tmp_path / "none.svg").exists()


def test_pictures_paquet_leaves_out_say_so() -> None:
    from paquet.errors import PaquetError

    ours, _theirs = _both(_pairs4(), False)
    for method in (ours.trace3D, ours.trace3D_notebook, ours.world_trace):
        with pytest.raises(PaquetError, match="not provided"):
            method()
