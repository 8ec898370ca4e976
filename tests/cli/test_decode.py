"""``paquet decode``: hex in (argument or stdin), Scapy's field tree out, JSON, exit codes."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from scapy.layers import inet as sinet
from scapy.layers import l2 as sl2

from paquet.cli.main import main
from paquet.packet.resolver import set_resolver

FRAME = bytes(sl2.Ether(dst="02:00:00:00:00:02", src="02:00:00:00:00:01")
              / sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.UDP(sport=40000, dport=10000)
              / b"query")
PACKET = FRAME[14:]


@pytest.fixture(autouse=True)
def no_resolver() -> Iterator[None]:
    """No resolver during these tests, whatever an earlier test installed (importing
    ``paquet.net.sendrecv`` installs the system's): the engine's documented defaults, such as
    ``IP().src`` 127.0.0.1. The previous resolver is restored after each test."""
    previous = set_resolver(None)
    try:
        yield
    finally:
        set_resolver(previous)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_decode_ethernet_frame_like_scapy_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "decode", FRAME.hex())
    assert code == 0 and err == ""
    expected = sl2.Ether(FRAME).show(dump=True)
    assert out.startswith(expected)
    assert out.splitlines()[-1] == sl2.Ether(FRAME).summary()


def test_decode_guesses_raw_ip_and_accepts_separators(capsys: pytest.CaptureFixture[str]) -> None:
    spaced = " ".join(f"{b:02x}" for b in PACKET)
    code, out, _ = run(capsys, "decode", spaced)
    assert code == 0 and out.startswith("###[ IP ]###")
    colons = ":".join(f"{b:02X}" for b in PACKET)
    assert run(capsys, "decode", "--link", "ip", colons)[0] == 0


def test_decode_stdin_and_json(capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(FRAME.hex() + "\n"))
    code, out, _ = run(capsys, "decode", "--json", "-")
    data = json.loads(out)
    assert code == 0 and data["linktype"] == 1 and data["problems"] == []
    assert [layer["layer"] for layer in data["layers"]] == ["Ether", "IP", "UDP", "Raw"]
    assert data["layers"][2]["fields"]["dport"] == 10000 and data["hex"] == FRAME.hex()


def test_decode_reports_problems_with_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    bad = bytearray(FRAME)
    bad[24] ^= 0xFF  # IP header checksum
    code, out, _ = run(capsys, "decode", bytes(bad).hex())
    assert code == 1 and "[bad, expected" in out and "problem: IP: bad checksum" in out
    code, out, _ = run(capsys, "decode", FRAME[:30].hex())
    assert code == 1 and "problem: IP at offset 14" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["decode", "zz"], "invalid hex: 'z'"),
        (["decode", "abc"], "odd number of digits"),
        (["decode", "--link", "token-ring", "00"], "--link"),
        (["decode", "--strict", FRAME[:30].hex()], "IP at offset 14"),
    ],
)
def test_decode_bad_input_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_decode_ipv6_link(capsys: pytest.CaptureFixture[str]) -> None:
    from scapy.layers.inet6 import IPv6 as SIPv6

    packet = bytes(SIPv6(src="2001:db8::1", dst="2001:db8::2")
                   / sinet.UDP(sport=40000, dport=10000) / b"q")
    for link in ("auto", "ip", "ipv6"):
        code, out, _ = run(capsys, "decode", "--link", link, packet.hex())
        assert code == 0 and out.startswith("###[ IPv6 ]###"), link
