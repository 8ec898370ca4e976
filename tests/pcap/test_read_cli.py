"""``paquet read``: lines, field trees, JSON, libpcap filters, counts and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pcap_helpers import data_fixture, tshark_fixture  # noqa: F401

from paquet.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["read", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_lines(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(data / "tcpdump-lo.pcap"))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 14
    assert lines[0].split(None, 2) == [
        "1",
        "0.000000",
        "Ether / IP / ICMP 127.0.0.1 > 127.0.0.1 echo-request 0 / Raw",
    ]
    assert lines[6].split()[0] == "7" and "UDP 127.0.0.1:" in lines[6]


def test_filter_count_and_relative_times(
    data: Path, capsys: pytest.CaptureFixture[str], tshark: object
) -> None:
    path = data / "tshark-lo.pcapng"
    code, out, _ = run(capsys, str(path), "-f", "udp dst port 9999", "-c", "2")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["7", "9"]  # frame numbers kept, as tshark
    rel = subprocess.run(
        ["tshark", "-r", str(path), "-T", "fields", "-e", "frame.time_relative"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert [line.split()[1] for line in lines] == [f"{float(rel[6]):.6f}", f"{float(rel[8]):.6f}"]


def test_verbose_and_hex(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(data / "tcpdump-lo.pcap"), "-v", "-x", "-c", "1")
    assert code == 0
    assert "###[ Ethernet ]###" in out and "###[ IP ]###" in out and "###[ ICMP ]###" in out
    assert "0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00" in out


def test_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(data / "comments.pcapng"), "--json", "-c", "3")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["number"] for r in rows] == [1, 2, 3]
    assert rows[0]["comments"] == ["first packet, commented by editcap"]
    assert rows[0]["interface"] == "lo" and rows[0]["wirelen"] == 98
    assert rows[0]["layers"]["layers"][1]["layer"] == "IP"
    assert rows[0]["layers"]["layers"][1]["fields"]["src"] == "127.0.0.1"


def test_nothing_matched_is_exit_1(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(data / "tcpdump-lo.pcap"), "-f", "tcp")
    assert (code, out) == (1, "")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello\n", "not a pcap or pcapng capture"), (b"", "not a capture file")],
)
def test_not_a_capture_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / "x.pcap"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path))
    assert code == 2 and out == ""
    assert err.startswith("paquet: error: ") and message in err and err.count("\n") == 1


def test_damaged_file_prints_what_precedes(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (data / "tcpdump-lo.pcap").read_bytes()
    path = tmp_path / "cut.pcap"
    path.write_bytes(raw[:300])  # 24 + 3 * (16 + 98) = 366: two whole records, then a cut
    code, out, err = run(capsys, str(path))
    assert code == 2
    assert len(out.splitlines()) == 2
    assert "damaged capture at offset 252" in err and err.count("\n") == 1


def test_bad_filter_is_exit_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, str(data / "tcpdump-lo.pcap"), "-f", "udp port")
    assert code == 2 and "syntax error" in err and err.count("\n") == 1


def test_console_script(data: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "paquet", "read", str(data / "null-loopback.pcap")],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0 and len(out.stdout.splitlines()) == 3


def test_standard_input_read_as_it_comes(data: Path) -> None:
    """``paquet read -`` prints each packet as soon as it arrives in the pipe."""
    raw = (data / "tcpdump-lo.pcap").read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "paquet", "read", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
    )
    assert proc.stdin is not None and proc.stdout is not None
    first = 24 + 16 + 98  # the header and the first record only; the pipe stays open
    proc.stdin.write(raw[:first])
    proc.stdin.flush()
    line = proc.stdout.readline()
    assert b"echo-request" in line
    proc.stdin.write(raw[first:])
    proc.stdin.close()
    rest = proc.stdout.read().splitlines()
    assert proc.wait(10) == 0 and len(rest) == 13
