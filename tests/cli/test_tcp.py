"""``paquet tcp`` and ``TCPHandshake`` on the ``tp`` lab: the session as a capture on the server
sees it, the server's log, and the nftables table gone afterwards (also after a failure, an
exception and SIGTERM)."""

from __future__ import annotations

import contextlib
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from paquet.cli.main import main

SERVER = "203.0.113.10"


def _cli(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in-process (inside a lab node); status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _tables() -> list[str]:
    from paquet.course.handshake import nft_tables

    return nft_tables()


def _session_then_raise(dst: str) -> tuple[str | None, list[str]]:
    """A session whose code raises after connecting: the table must be gone anyway."""
    from paquet.course.handshake import TCPHandshake

    seen: str | None = None
    try:
        with TCPHandshake(dst, 10000) as s:
            seen = s.table
            s.connect()
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    return seen, _tables()


def _api_session(dst: str) -> dict[str, Any]:
    from paquet.course.handshake import TCPHandshake

    with TCPHandshake(dst, 10000, sport=45678) as s:
        table = s.table
        inside = _tables()
        synack = s.connect()
        ack = s.send("Miaou")
        echo = s.recv()
        fin = s.close()
    return {
        "table": table,
        "inside": inside,
        "after": _tables(),
        "synack": synack.flags,
        "ack": (ack.flags, ack.rel_ack),
        "echo": echo,
        "fin": fin.flags if fin else None,
        "flags": [(seg.direction, seg.flags) for seg in s.segments],
    }


class Tcpdump:
    """tcpdump in a lab node writing a pcap file (a process: no thread shares our forks)."""

    def __init__(self, node: Any, bpf: str, path: str) -> None:
        self.path = path
        self.proc = node.popen(
            [
                "tcpdump",
                "-i",
                node.interfaces[0].name,
                "-n",
                "-U",
                "--immediate-mode",
                "-w",
                path,
                bpf,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stderr is not None
        line = ""
        while "listening" not in line:  # "tcpdump: listening on any ..."
            line = self.proc.stderr.readline()
            assert line, "tcpdump did not start"

    def stop(self) -> list[Any]:
        from paquet import rdpcap

        time.sleep(0.3)
        self.proc.terminate()
        self.proc.wait(timeout=10)
        return list(rdpcap(self.path))


@pytest.mark.privileged
def test_tcp_command_delivers_miaou(lab_tp: Any, tmp_path: Path) -> None:
    server = lab_tp["server"]
    server.clear_logs("tcp:10000")
    sniffer = Tcpdump(server, "tcp port 10000 and host 192.0.2.10", str(tmp_path / "s.pcap"))
    code, out, err = lab_tp["client"].run(
        _cli, ["tcp", SERVER, "10000", "--send", "miaou", "--sport", "43210", "--json"]
    )
    seen = sniffer.stop()
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] and data["answer"] == "miaou"  # the echo server sent it back
    flags = [(s["direction"], s["flags"]) for s in data["segments"]]
    assert flags[:3] == [("out", "S"), ("in", "SA"), ("out", "A")]
    assert ("out", "PA") in flags and ("out", "FA") in flags and flags[-1] == ("out", "A")
    # The server's log: one connection from our port, "miaou", a clean close.
    records = server.logs("tcp:10000")
    assert [(r.event, r.sport) for r in records] == [
        ("connect", 43210),
        ("recv", 43210),
        ("close", 43210),
    ]
    assert records[1].data == b"miaou"
    # The capture at the server: the same segments, and no RST at all.
    from paquet.layers import TCP

    wire = [p[TCP] for p in seen if p.haslayer(TCP)]
    assert not any("R" in str(t.flags) for t in wire)
    sent_seq = [s["seq"] for s in data["segments"] if s["direction"] == "out"]
    assert [t.seq for t in wire if t.sport == 43210] == sent_seq
    assert _remaining_tables(lab_tp) == []


def _remaining_tables(lab: Any) -> list[str]:
    out = lab["client"].exec(["nft", "list", "tables"]).stdout
    return [line for line in out.splitlines() if "paquet_tcp_" in line]


@pytest.mark.privileged
def test_tcp_command_human_output(lab_tp: Any) -> None:
    code, out, _ = lab_tp["client"].run(_cli, ["tcp", SERVER, "10000", "--send", "bonjour"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["from", "to", "flags", "seq"]
    assert "SYN/ACK" in out and "b'bonjour'" in out and "ACK of 7 bytes" in out
    assert "answer: b'bonjour'" in out and out.rstrip().endswith("segments")


@pytest.mark.privileged
def test_closed_port_refused_and_table_removed(lab_tp: Any) -> None:
    code, out, _ = lab_tp["client"].run(_cli, ["tcp", "203.0.113.20", "23", "--json"])
    assert code == 1
    data = json.loads(out)
    assert not data["ok"] and "RST" in data["error"]
    assert [s["flags"] for s in data["segments"]] == ["S", "RA"]
    assert _remaining_tables(lab_tp) == []


@pytest.mark.privileged
def test_filtered_port_times_out(lab_tp: Any) -> None:
    code, out, _ = lab_tp["client"].run(_cli, ["tcp", "203.0.113.20", "135", "-t", "0.3"])
    assert code == 1 and "no SYN/ACK" in out
    assert _remaining_tables(lab_tp) == []


@pytest.mark.privileged
def test_python_api_and_exception(lab_tp: Any) -> None:
    lab_tp["server"].clear_logs("tcp:10000")
    result = lab_tp["client"].run(_api_session, SERVER)
    assert result["table"].startswith("paquet_tcp_") and result["table"] in result["inside"]
    assert result["table"] not in result["after"]
    assert result["synack"] == "SA" and result["ack"] == ("A", 6)
    assert result["echo"] == b"Miaou" and result["fin"] == "FA"
    assert lab_tp["server"].received("tcp:10000") == [b"Miaou"]
    table, after = lab_tp["client"].run(_session_then_raise, SERVER)
    assert table is not None and table not in after
    # The abandoned connection was reset: the server closed it at once.
    last = lab_tp["server"].wait_logs("tcp:10000", 5)[-2:]
    assert [r.event for r in last] == ["connect", "close"] and last[0].sport == last[1].sport


@pytest.mark.privileged
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_removes_the_table(lab_tp: Any, sig: int) -> None:
    client = lab_tp["client"]
    err = ""
    proc = client.popen(
        [sys.executable, "-m", "paquet", "tcp", "203.0.113.20", "445", "-t", "20"],
        stdout=-1,
        stderr=-1,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not _remaining_tables(lab_tp):
            assert time.monotonic() < deadline, "the session never installed its table"
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0, err
    assert _remaining_tables(lab_tp) == [], err


def _big_session(dst: str, data: bytes) -> tuple[bytes, list[int]]:
    from paquet.course.handshake import TCPHandshake

    with TCPHandshake(dst, 10000) as s:
        s.connect()
        s.send(data)
        echo = b""
        while len(echo) < len(data):
            more = s.recv()
            if not more:
                break
            echo += more
        s.close()
    return echo, [len(seg.data) for seg in s.segments if seg.direction == "out" and seg.data]


@pytest.mark.privileged
def test_data_larger_than_a_segment(lab_tp: Any) -> None:
    data = bytes(range(256)) * 16  # 4096 bytes: three segments of at most 1460
    before = len(lab_tp["server"].received("tcp:10000"))
    echo, sizes = lab_tp["client"].run(_big_session, SERVER, data)
    assert sizes == [1460, 1460, 1176]
    assert b"".join(lab_tp["server"].received("tcp:10000")[before:]) == data
    assert echo == data


@pytest.mark.privileged
def test_loopback_as_in_the_course(lab_tp: Any) -> None:
    # Question 7 ran on 127.0.0.1, with the TP 2 server on the same machine.
    server = lab_tp["server"]
    code, out, err = server.run(
        _cli, ["tcp", "127.0.0.1", "10000", "--send", "miaou lo", "--sport", "43999", "--json"]
    )
    assert code == 0, err
    assert json.loads(out)["answer"] == "miaou lo"
    records = [r for r in server.logs("tcp:10000") if r.sport == 43999]
    assert [(r.event, r.src, r.data) for r in records] == [
        ("connect", "127.0.0.1", b""),
        ("recv", "127.0.0.1", b"miaou lo"),
        ("close", "127.0.0.1", b""),
    ]


def test_without_root(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("paquet.course.handshake.os.geteuid", lambda: 1000)
    assert main(["tcp", "192.0.2.1", "80"]) == 2
    err = capsys.readouterr().err
    assert (
        err == "paquet: error: TCP by hand needs root (raw sockets and an nftables rule): "
        "run with sudo\n"
    )


def test_bad_input() -> None:
    assert main(["tcp", "192.0.2.1", "70000"]) == 2
    assert main(["tcp", "192.0.2.1", "80", "--send", ""]) == 2
    assert main(["tcp", "2001:db8::1::2", "80"]) == 2  # not an address


# ------------------------------------------------------------------------------------ IPv6


@pytest.mark.privileged
def test_tcp_command_over_ipv6_delivers_miaou(lab_tp: Any, tmp_path: Path) -> None:
    server, client = lab_tp["server"], lab_tp["client"]
    server6, client6 = server.addr(6), client.addr(6)
    server.clear_logs("tcp:10000")
    sniffer = Tcpdump(server, f"tcp port 10000 and host {client6}", str(tmp_path / "s6.pcap"))
    code, out, err = client.run(
        _cli, ["tcp", server6, "10000", "--send", "miaou", "--sport", "43211", "--json"]
    )
    seen = sniffer.stop()
    assert code == 0, err
    data = json.loads(out)
    assert data["ok"] and data["answer"] == "miaou"
    flags = [(s["direction"], s["flags"]) for s in data["segments"]]
    assert flags[:3] == [("out", "S"), ("in", "SA"), ("out", "A")]
    assert ("out", "PA") in flags and ("out", "FA") in flags and flags[-1] == ("out", "A")
    assert {(s["src"], s["dst"]) for s in data["segments"]} == {
        (client6, server6),
        (server6, client6),
    }
    records = server.logs("tcp:10000")
    assert [(r.event, r.src, r.sport) for r in records] == [
        ("connect", client6, 43211),
        ("recv", client6, 43211),
        ("close", client6, 43211),
    ]
    assert records[1].data == b"miaou"
    # The capture at the server: IPv6 all along, the same segments, no RST at all, and the
    # SYN announces the MSS of the IPv6 path (1500 - 40 - 20).
    from paquet.layers import TCP, IPv6

    wire = [p for p in seen if p.haslayer(TCP)]
    assert wire and all(p.haslayer(IPv6) for p in wire)
    assert not any("R" in str(p[TCP].flags) for p in wire)
    sent_seq = [s["seq"] for s in data["segments"] if s["direction"] == "out"]
    assert [p[TCP].seq for p in wire if p[TCP].sport == 43211] == sent_seq
    assert dict(wire[0][TCP].options)["MSS"] == 1440
    assert _remaining_tables(lab_tp) == []


@pytest.mark.privileged
def test_ipv6_human_output_refused_port_and_segments(lab_tp: Any) -> None:
    client, target6 = lab_tp["client"], lab_tp["target"].addr(6)
    code, out, _ = client.run(_cli, ["tcp", lab_tp["server"].addr(6), "10000", "--send", "hé"])
    assert code == 0
    assert f"[{lab_tp['server'].addr(6)}]:10000" in out and "ACK of 3 bytes" in out
    code, out, _ = client.run(_cli, ["tcp", target6, "23", "--json"])
    assert code == 1
    data = json.loads(out)
    assert data["error"] == f"[{target6}]:23 answered RST: the port is closed"
    assert [s["flags"] for s in data["segments"]] == ["S", "RA"]
    assert _remaining_tables(lab_tp) == []
    # Data larger than a segment: cut at the IPv6 path's MSS, 1440 bytes.
    data6 = bytes(range(256)) * 16
    echo, sizes = client.run(_big_session, lab_tp["server"].addr(6), data6)
    assert sizes == [1440, 1440, 1216] and echo == data6
    # An exception inside the session: its ip6 table goes all the same.
    table, after = client.run(_session_then_raise, lab_tp["server"].addr(6))
    assert table is not None and table not in after
    # On the server's loopback, ::1 (the course's question 7 ran on 127.0.0.1).
    code, out, err = lab_tp["server"].run(
        _cli, ["tcp", "::1", "10000", "--send", "miaou ::1", "--sport", "43998", "--json"]
    )
    assert code == 0, err
    assert json.loads(out)["answer"] == "miaou ::1"
    assert _remaining_tables(lab_tp) == []


@pytest.mark.privileged
def test_ipv6_sigterm_removes_the_ip6_table(lab_tp: Any) -> None:
    client = lab_tp["client"]
    proc = client.popen(
        [sys.executable, "-m", "paquet", "tcp", lab_tp["target"].addr(6), "445", "-t", "20"],
        stdout=-1,
        stderr=-1,
        text=True,
    )
    err = ""
    try:
        deadline = time.monotonic() + 30
        while not (tables := _remaining_tables(lab_tp)):
            assert time.monotonic() < deadline, "the session never installed its table"
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        assert tables[0].startswith("table ip6 paquet_tcp_")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0, err
    assert _remaining_tables(lab_tp) == [], err
