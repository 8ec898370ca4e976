"""Ladder diagrams: the numbers and marks on the arrows are Wireshark's (tshark reads the same
captures), the text fits 80 columns, the SVG and the HTML page are readable in Chromium, and
the same input gives the same picture. The exchanges are real: a TCP session with the ``tp``
lab's server, ``sr()`` probes some of which go unanswered, and the captures of tests/data."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from browser import render

from paquet.cli.main import main
from paquet.draw.ladder import ladder, ladder_html, ladder_svg, ladder_text

SERVER = "203.0.113.10"
DATA = Path(__file__).resolve().parents[1] / "data"


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _tshark(path: Path, *fields: str) -> list[list[str]]:
    """tshark's values of ``fields`` for each packet of ``path``."""
    if subprocess.run(["which", "tshark"], capture_output=True).returncode:
        pytest.skip("tshark is not installed")
    args = ["tshark", "-r", str(path), "-T", "fields", "-E", "occurrence=f"]
    for name in fields:
        args += ["-e", name]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout
    return [line.split("\t") for line in out.splitlines()]


def _flags_of(info: str) -> str:
    """The flags Wireshark's Info column shows in brackets after the ports (its analysis
    notes, ``[TCP Retransmission]``, come before them): ``[SYN, ACK]`` -> ``SYN, ACK``."""
    info = info.split("→", 1)[1]
    start = info.index("[")
    return info[start + 1 : info.index("]", start)]


class Tcpdump:
    """tcpdump in a lab node writing a pcap file (stopped by :meth:`stop`)."""

    def __init__(self, node: Any, bpf: str, path: Path) -> None:
        self.proc = node.popen(
            ["tcpdump", "-i", node.interfaces[0].name, "-n", "-U", "--immediate-mode",
             "-w", str(path), bpf],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        assert self.proc.stderr is not None
        line = ""
        while "listening" not in line:
            line = self.proc.stderr.readline()
            assert line, "tcpdump did not start"

    def stop(self) -> None:
        time.sleep(0.3)  # the last segments written (-U) before tcpdump is stopped
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _check_against_tshark(path: Path) -> list[str]:
    """Each arrow's label has tshark's flags, relative seq/ack and length; returns them."""
    drawn = ladder(path)
    rows = _tshark(path, "tcp.seq", "tcp.ack", "tcp.len", "tcp.flags.ack", "_ws.col.Info")
    assert len(rows) == len(drawn.arrows)
    labels = []
    for arrow, (seq, ack, length, acked, info) in zip(drawn.arrows, rows, strict=True):
        expected = f"{_flags_of(info)} seq={seq}"
        if acked == "1":
            expected += f" ack={ack}"
        expected += f" len={length}"
        assert arrow.label.endswith(expected), (arrow.label, expected)
        labels.append(expected)
    return labels


@pytest.mark.privileged
def test_a_tcp_session_with_the_lab_server(lab_tp: Any, tmp_path: Path) -> None:
    pcap = tmp_path / "session.pcap"
    sniffer = Tcpdump(lab_tp["server"], "tcp port 10000", pcap)
    try:
        code, out, err = lab_tp["client"].run(
            _cli, ["tcp", SERVER, "10000", "--send", "miaou", "--sport", "43211", "--ladder"]
        )
    finally:
        sniffer.stop()
    assert code == 0, err
    # paquet tcp --ladder: the session as a ladder, 80 columns.
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "192.0.2.10:43211" in lines[0] and f"{SERVER}:10000" in lines[0]
    assert "SYN seq=0 len=0" in out and "SYN, ACK seq=0 ack=1 len=0" in out
    assert "PSH, ACK seq=1 ack=1 len=5" in out and "FIN, ACK seq=6 ack=6 len=0" in out
    # The server's capture: Wireshark's numbers on every arrow.
    labels = _check_against_tshark(pcap)
    assert len(labels) >= 9
    # paquet read FILE --ladder --svg --html.
    svg, page = tmp_path / "session.svg", tmp_path / "session.html"
    code, out, _ = _cli(["read", str(pcap), "--ladder", "--svg", str(svg), "--html", str(page)])
    assert code == 0
    assert all(len(line) <= 80 for line in out.splitlines())
    assert svg.read_text() == ladder_svg(pcap, title=pcap.name)  # same input, same picture
    assert "<path" not in svg.read_text() and "<text" in svg.read_text()
    wanted = ["192.0.2.10:43211", f"{SERVER}:10000", *labels]
    render(svg).assert_readable(wanted)
    render(page).assert_readable([*wanted, "session.pcap"])


def _probes(server: str, silent: str) -> dict[str, Any]:
    """sr() of three SYNs: an open port, a closed one, one nobody answers."""
    from paquet import IP, TCP, sr

    probes = [IP(dst=server) / TCP(sport=41000, dport=10000, flags="S"),
              IP(dst=server) / TCP(sport=41001, dport=23, flags="S"),
              IP(dst=silent) / TCP(sport=41002, dport=135, flags="S")]
    ans, unans = sr(probes, timeout=1, verbose=0)
    drawn = ladder((ans, unans))
    return {"text": drawn.text(), "svg": drawn.svg(), "html": ans._repr_html_(),
            "answered": len(ans), "unanswered": len(unans)}


@pytest.mark.privileged
def test_unanswered_probes_are_drawn_lost(lab_tp: Any) -> None:
    got = lab_tp["client"].run(_probes, SERVER, "203.0.113.20")
    assert got["answered"] == 2 and got["unanswered"] == 1
    text = got["text"]
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "X" in text and "no answer" in text and "RST, ACK" in text
    shown = render(got["svg"])
    shown.assert_readable(["203.0.113.20", "no answer", "SYN, ACK", "RST, ACK"])
    render(got["html"]).assert_readable(["query", "answer", "SYN, ACK"])


def _write(tmp_path: Path, packets: list[Any]) -> Path:
    from paquet import wrpcap

    path = tmp_path / "crafted.pcap"
    wrpcap(str(path), packets)
    return path


def test_retransmissions_and_gaps_as_wireshark_marks_them(tmp_path: Path) -> None:
    from paquet.layers import IP, TCP, Ether

    a, b = "192.0.2.1", "198.51.100.7"

    def seg(src: str, flags: str, seq: int, ack: int = 0, data: bytes = b"") -> Any:
        sport, dport, dst = (40000, 80, b) if src == a else (80, 40000, a)
        pkt = Ether() / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags,
                                                   seq=seq, ack=ack) / data
        return pkt

    packets = [
        seg(a, "S", 1000), seg(a, "S", 1000),  # the SYN again: a retransmission
        seg(b, "SA", 5000, 1001), seg(a, "A", 1001, 5001),
        seg(a, "PA", 1001, 5001, b"hello"),
        seg(a, "PA", 1011, 5001, b"world"),  # 1006..1011 never captured
        seg(b, "A", 5001, 1006),
        seg(a, "PA", 1006, 5001, b"lost!"),  # sent again
        seg(b, "A", 5001, 1016), seg(a, "FA", 1016, 5001), seg(b, "FA", 5001, 1017),
        seg(a, "A", 1017, 5002),
    ]
    for i, pkt in enumerate(packets):
        pkt.time = 1000.0 + i * 0.5  # far apart: no "out of order" guesses
    path = _write(tmp_path, packets)
    drawn = ladder(path)
    rows = _tshark(path, "frame.number", "tcp.analysis.retransmission",
                   "tcp.analysis.lost_segment", "tcp.analysis.out_of_order")
    retrans = {int(r[0]) for r in rows if r[1] or r[3]}
    lost = {int(r[0]) for r in rows if r[2]}
    ours_retrans = {i + 1 for i, arrow in enumerate(drawn.arrows) if "retransmission" in arrow.note}
    ours_lost = {i + 1 for i, arrow in enumerate(drawn.arrows) if "not captured" in arrow.note}
    assert ours_retrans == retrans and retrans
    assert ours_lost == lost and lost
    _check_against_tshark(path)
    text = ladder_text(path)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "[retransmission]" in text and "[previous segment not captured]" in text
    render(ladder_svg(path)).assert_readable(
        ["retransmission", "previous segment not captured", "192.0.2.1:40000"]
    )


def test_a_real_capture_with_several_endpoints() -> None:
    path = DATA / "tcpdump-lo.pcap"
    text = ladder_text(path)
    assert all(len(line) <= 80 for line in text.splitlines())
    shown = render(ladder_html(path, title="tcpdump-lo.pcap"))
    rows = _tshark(path, "_ws.col.Info")
    assert len(ladder(path).arrows) == len(rows)
    shown.assert_readable(["127.0.0.1:46373", "127.0.0.1:9999", "[::1]:5353",
                           "ICMP echo-request id=10023 seq=1", "ICMP dest-unreach code=3"])


def test_the_same_input_gives_the_same_picture() -> None:
    path = DATA / "tcpdump-lo.pcap"
    first = ladder_svg(path)
    assert first == ladder_svg(str(path)) == ladder_svg(ladder(path))
    assert ladder_html(path) == ladder_html(path)


def test_read_ladder_json_free_exit_status(tmp_path: Path) -> None:
    empty = _write(tmp_path, [])
    code, out, _ = _cli(["read", str(empty), "--ladder"])
    assert code == 1 and out == ""
    code, out, _ = _cli(["read", str(DATA / "tcpdump-lo.pcap"), "--ladder", "-f", "icmp",
                         "-c", "2"])
    assert code == 0 and out.count("ICMP echo-re") == 2
    assert json.dumps(out)  # printable text


@pytest.mark.privileged
def test_the_course_draws_questions_7_and_9_as_ladders() -> None:
    from paquet.course.demo import run
    from paquet.course.page import Picture

    blocks: list[Any] = []
    run("en", blocks.append, only=("q7", "q9"))
    pictures = [b for b in blocks if isinstance(b, Picture) and b.kind == "ladder"]
    assert len(pictures) == 3  # q7: the capture, paquet tcp's session; q9: the server's view
    for picture in pictures:
        assert all(len(line) <= 80 for line in picture.lines)
    syn_rst, session, spoof = pictures
    assert [line.split("|")[1].strip("-<> ") for line in syn_rst.lines[1:]] == [
        "SYN seq=0 len=0", "SYN, ACK seq=0 ack=1 len=0", "RST seq=1 len=0"]
    assert "192.0.2.10:5000" in syn_rst.lines[0]
    render(syn_rst.svg).assert_readable(["192.0.2.10:5000", "SYN, ACK seq=0 ack=1 len=0", "RST"])
    render(session.svg).assert_readable(["PSH, ACK seq=1 ack=1 len=5", "FIN, ACK"])
    # q9: the spoofed address (neighbour's) talks to the server, whose RST ends it.
    assert "192.0.2.11:44444" in spoof.lines[0]
    render(spoof.svg).assert_readable(["192.0.2.11:44444", "SYN, ACK", "PSH, ACK", "RST"])


@pytest.mark.parametrize("hosts", [2, 6, 20, 70])
def test_any_exchange_fits_80_columns(hosts: int) -> None:
    import random

    from paquet.layers import IP, TCP, UDP

    rng = random.Random(hosts)
    packets = []
    for i in range(40):
        a, b = f"192.0.2.{rng.randrange(hosts)}", f"198.51.100.{rng.randrange(hosts)}"
        if rng.random() < 0.7:
            layer: Any = TCP(sport=rng.randrange(1, 65536), dport=80, seq=rng.randrange(2**32),
                             ack=rng.randrange(2**32), flags=rng.choice(["S", "SA", "PA", "R"]))
        else:
            layer = UDP(sport=rng.randrange(1, 65536), dport=53)
        pkt = IP(src=a, dst=b) / layer / (b"x" * rng.randrange(1500))
        pkt.time = 10_000.0 + i * 1.25
        packets.append(pkt)
    text = ladder_text(packets)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert len(text.splitlines()) >= len(packets)
    if hosts <= 6:
        drawn = ladder(packets)
        render(drawn.svg()).assert_readable(list(drawn.lanes))
