"""Sniffing sessions and Follow TCP Stream, offline: compared with Scapy and with tshark."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from paquet import (
    IP,
    TCP,
    UDP,
    Ether,
    IPSession,
    IPv6,
    IPv6ExtHdrFragment,
    Raw,
    StringBuffer,
    TCPSession,
    follow_tcp_stream,
    fragment,
    fragment6,
    sniff,
    wrpcap,
)
from paquet.errors import PaquetError

CLIENT, SERVER = "192.0.2.1", "198.51.100.2"


def _segments(src: str, dst: str, sport: int, dport: int, isn: int, data: bytes,
              mss: int, syn: str = "S") -> list[Any]:
    ip = Ether() / IP(src=src, dst=dst)
    out = [ip / TCP(sport=sport, dport=dport, seq=isn, flags=syn)]
    for i in range(0, len(data), mss):
        out.append(ip / TCP(sport=sport, dport=dport, seq=(isn + 1 + i) & 0xFFFFFFFF,
                            flags="PA") / data[i:i + mss])
    return out


def _conversation(rng: random.Random) -> tuple[list[Any], bytes, bytes]:
    request, reply = rng.randbytes(3000), rng.randbytes(5000)
    fwd = _segments(CLIENT, SERVER, 40000, 80, 0xFFFFFF00, request, 500)  # seq wraps
    back = _segments(SERVER, CLIENT, 80, 40000, 7, reply, 700, "SA")
    return fwd + back, request, reply


def _lossy(pkts: list[Any], rng: random.Random) -> list[Any]:
    """Segments shuffled, some sent twice, some overlapping the next (same bytes)."""
    head, rest = pkts[:1], pkts[1:]
    extra = []
    for p in rest:
        if rng.random() < 0.3:
            extra.append(p.copy())
        if Raw in p and rng.random() < 0.3:  # a resegmented retransmission: 100 bytes more
            q = p.copy()
            q[Raw].load = bytes(p[Raw].load)[50:]
            q[TCP].seq = (p[TCP].seq + 50) & 0xFFFFFFFF
            extra.append(q)
    rest = rest + extra
    rng.shuffle(rest)
    return head + rest


def _stream(out: Any, dport: int) -> bytes:
    return b"".join(bytes(p[Raw].load) for p in out if Raw in p and p[TCP].dport == dport)


def test_tcpsession_in_order_same_as_scapy() -> None:
    scapy = pytest.importorskip("scapy.all")
    pkts, request, reply = _conversation(random.Random(1))
    ours = sniff(offline=pkts, session=TCPSession)
    theirs = scapy.sniff(offline=[scapy.Ether(bytes(p)) for p in pkts],
                         session=scapy.TCPSession, quiet=True)
    # Scapy gives the first message of a flow its SYN's seq (its metadata keeps the first
    # segment's seq, the SYN's); paquet gives every message the seq of its first byte.
    assert [(p.summary(), bytes(p[TCP].payload)) for p in ours] == \
        [(p.summary(), bytes(p[scapy.TCP].payload)) for p in theirs]
    assert (_stream(ours, 80), _stream(ours, 40000)) == (request, reply)


@pytest.mark.parametrize("seed", range(5))
def test_tcpsession_out_of_order_and_retransmitted(seed: int) -> None:
    rng = random.Random(seed)
    pkts, request, reply = _conversation(rng)
    syns = [p for p in pkts if p[TCP].flags.S]
    data = _lossy([p for p in pkts if not p[TCP].flags.S], rng)
    out = sniff(offline=syns + data, session=TCPSession)
    assert (_stream(out, 80), _stream(out, 40000)) == (request, reply)
    scapy = pytest.importorskip("scapy.all")
    theirs = scapy.sniff(offline=[scapy.Ether(bytes(p)) for p in syns + data],
                         session=scapy.TCPSession, quiet=True)
    # Where paquet does better: Scapy's TCPSession appends retransmitted bytes again.
    assert b"".join(bytes(p[scapy.TCP].payload) for p in theirs if p[scapy.TCP].dport == 80) \
        != request


def test_tcp_reassemble_hook() -> None:
    """A payload class's tcp_reassemble decides when a message is whole; what it leaves over
    (Padding) starts the next one."""
    seen = []

    class Msg(Raw):  # a length-prefixed message: 1 byte of length, then the bytes
        @classmethod
        def tcp_reassemble(cls, data: bytes, metadata: dict[str, Any], session: Any) -> Any:
            seen.append(metadata.get("seq"))
            if len(data) < 1 + data[0]:
                return None
            from paquet import Padding
            msg = cls(load=data[:1 + data[0]])
            rest = data[1 + data[0]:]
            return msg / Padding(load=rest) if rest else msg

    ip = IP(src=CLIENT, dst=SERVER)
    s = TCPSession()
    s.process(ip / TCP(sport=1, dport=2, seq=9, flags="S"))
    first = ip / TCP(sport=1, dport=2, seq=10, flags="PA") / Msg(load=b"\x05abc")
    assert s.process(first) is None
    out = s.process(ip / TCP(sport=1, dport=2, seq=14, flags="PA") / b"de\x02x")
    assert isinstance(out[TCP].payload, Msg) and out[TCP].payload.load == b"\x05abcde"
    assert out[TCP].seq == 10
    out = s.process(ip / TCP(sport=1, dport=2, seq=18, flags="PA") / b"y")
    assert out[TCP].payload.load == b"\x02xy" and out[TCP].seq == 16
    assert seen == [10, 10, 16]
    # No SYN seen, the first segment last: the stream's start moves back until a message is
    # taken (retransmissions on the way change nothing).
    s = TCPSession()
    order = [(14, b"d"), (12, b"b"), (14, b"d"), (13, b"c"), (10, b"\x04a")]
    outs = [s.process(ip / TCP(sport=3, dport=4, seq=q, flags="PA") / Msg(load=d))
            for q, d in order]
    assert outs[:-1] == [None] * 4
    assert outs[-1][TCP].payload.load == b"\x04abcd" and outs[-1][TCP].seq == 10


def test_ipsession_same_as_scapy_and_in_any_order() -> None:
    scapy = pytest.importorskip("scapy.all")
    pkt = Ether() / IP(src=CLIENT, dst=SERVER, id=7) / UDP(sport=5, dport=53) / (b"q" * 900)
    frags = [Ether() / f for f in fragment(pkt[IP], 200)]
    ours = sniff(offline=frags, session=IPSession)
    theirs = scapy.sniff(offline=[scapy.Ether(bytes(f)) for f in frags],
                         session=scapy.IPSession, quiet=True)
    assert [bytes(p) for p in ours] == [bytes(p) for p in theirs] == [bytes(pkt)]
    shuffled = [*frags[::-1], frags[1]]
    assert [bytes(p) for p in sniff(offline=shuffled, session=IPSession)] == [bytes(pkt)]


def test_ipsession_ipv6() -> None:
    pkt = IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrFragment() / UDP() / (b"z" * 600)
    frags = fragment6(pkt, 200)
    out = sniff(offline=frags[::-1], session=IPSession)
    assert len(out) == 1 and bytes(out[0][UDP]) == bytes(UDP(bytes(pkt[UDP])))


def test_stringbuffer_as_scapy() -> None:
    pytest.importorskip("scapy.all")
    from scapy.sessions import StringBuffer as ScapyBuffer

    ours, theirs = StringBuffer(), ScapyBuffer()
    for data, seq in [(b"cd", 3), (b"ab", 1), (b"zz", 8), (b"0", -1), (b"e", None)]:
        ours.append(data, seq)
        theirs.append(data, seq)
        assert (bytes(ours), len(ours)) == (bytes(theirs), len(theirs))
    ours.shiftleft(3)
    theirs.shiftleft(3)
    assert bytes(ours) == bytes(theirs)


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
@pytest.mark.parametrize("mode", ["ascii", "hex", "raw"])
def test_follow_same_as_tshark(mode: str, tmp_path: Path, capsys: Any) -> None:
    rng = random.Random(3)
    pkts, _, _ = _conversation(rng)
    other, _, _ = _conversation(rng)
    for p in other:
        p[TCP].sport, p[TCP].dport = (p[TCP].sport + 1, p[TCP].dport) if p[TCP].dport == 80 \
            else (p[TCP].sport, p[TCP].dport + 1)
    pkts = [x for pair in zip(pkts, other, strict=True) for x in pair]
    path = tmp_path / "two.pcap"
    wrpcap(str(path), pkts)
    from paquet.cli.main import main

    for index in (0, 1):
        want = subprocess.run(["tshark", "-r", str(path), "-q", "-z",
                               f"follow,tcp,{mode},{index}"],
                              capture_output=True, check=True).stdout.decode("latin-1")
        assert follow_tcp_stream(pkts, index).text(mode) == want
    with pytest.raises(PaquetError):
        follow_tcp_stream(pkts, 2)
    capsys.readouterr()
    assert main(["read", str(path), "--follow", f"tcp,{mode},1"]) == 0
    assert capsys.readouterr().out == want


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark is not installed")
def test_follow_lossy_same_bytes_as_tshark(tmp_path: Path) -> None:
    rng = random.Random(4)
    pkts, request, reply = _conversation(rng)
    syns = [p for p in pkts if p[TCP].flags.S]
    pkts = syns + _lossy([p for p in pkts if not p[TCP].flags.S], rng)
    path = tmp_path / "lossy.pcap"
    wrpcap(str(path), pkts)
    raw = subprocess.run(["tshark", "-r", str(path), "-q", "-z", "follow,tcp,raw,0"],
                         capture_output=True, text=True, check=True).stdout.splitlines()[6:-1]
    stream = follow_tcp_stream(pkts, 0)
    assert bytes.fromhex("".join(x for x in raw if not x.startswith("\t"))) == stream.data(0)
    assert bytes.fromhex("".join(x.strip() for x in raw if x.startswith("\t"))) == stream.data(1)
    assert (stream.data(0), stream.data(1)) == (request, reply)


def test_tcpsession_app_mode_as_scapy() -> None:
    """``app=True``: the data of a stream socket, no TCP (what StreamSocket reads)."""
    scapy = pytest.importorskip("scapy.all")
    ours, theirs = TCPSession(app=True), scapy.TCPSession(app=True)
    got = [ours.process(Raw(b"ab")), ours.process(b"cd", cls=Raw)]
    want = [theirs.process(scapy.Raw(b"ab")), theirs.process(b"cd", cls=scapy.Raw)]
    assert [bytes(p) for p in got] == [bytes(p) for p in want] == [b"ab", b"cd"]


def test_tcpsession_hole_never_filled_until_fin() -> None:
    """A segment the capture missed: the rest waits, then the FIN hands it on, the hole as
    zero bytes (Scapy's StringBuffer fills holes so)."""
    ip = IP(src=CLIENT, dst=SERVER)
    s = TCPSession()
    s.process(ip / TCP(sport=5, dport=6, seq=99, flags="S"))
    assert s.process(ip / TCP(sport=5, dport=6, seq=100, flags="A") / b"ab").load == b"ab"
    assert s.process(ip / TCP(sport=5, dport=6, seq=104, flags="A") / b"ef") is None
    out = s.process(ip / TCP(sport=5, dport=6, seq=106, flags="FA"))
    assert out[Raw].load == b"\x00\x00ef"


def test_follow_cli_errors(tmp_path: Path, capsys: Any) -> None:
    from paquet.cli.main import main

    pkts, _, _ = _conversation(random.Random(5))
    path = tmp_path / "one.pcap"
    wrpcap(str(path), pkts)
    assert main(["read", str(path), "--follow", "udp,0"]) == 2
    assert main(["read", str(path), "--follow", "tcp,1"]) == 2
    assert "no TCP stream 1: the capture has 1" in capsys.readouterr().err
    assert main(["read", str(path), "--follow", "tcp,raw,0", "-f", "src port 80"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Only the server's segments are left: the server is node 0, its 8 segments untabbed.
    assert lines[4] == f"Node 0: {SERVER}:80" and len(lines[6:-1]) == 8
    assert not any(x.startswith("\t") for x in lines)
