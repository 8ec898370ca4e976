"""``paquet checksum`` run in-process: the sheet's example explained, verdicts, input forms."""

from __future__ import annotations

import io
import json

import pytest
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

from paquet.checksums import internet_checksum
from paquet.cli.main import main

SHEET = "4500003b000100004006 51b4 c0a80001b114b74a"  # the sheet's words, 0x2ae49 summed


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["checksum", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_explain_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *SHEET.split(), "--explain", "--lang", "fr")
    assert code == 0 and err == ""
    assert "4500 003b 0001 0000 4006 [51b4] c0a8 0001 b114 b74a" in out
    assert "= 0x2ae49" in out
    assert "0x2ae49 s'écrit sur plus de 2 octets : 0xae49 + 0x2 = 0xae4b" in out
    assert "complément à 1 sur 16 bits : ~0xae4b = 0x51b4" in out
    assert "l'en-tête est conforme" in out
    assert "IPv4   champ 0x51b4  calculée 0x51b4  correcte" in out


def test_explain_in_english_and_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, SHEET, "--explain", "--lang", "en")
    assert code == 0 and "one's complement on 16 bits: ~0xae4b = 0x51b4" in out
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    code, out, _ = run(capsys, SHEET, "--explain")
    assert "complément à 1" in out
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out, _ = run(capsys, SHEET, "--explain")
    assert "one's complement" in out


def test_wrong_checksum_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    # TTL 0x40 -> 0x3f without a new checksum.
    hex_text = "45:00:00:3b:00:01:00:00:3f:06:51:b4:c0:a8:00:01:b1:14:b7:4a"
    code, out, _ = run(capsys, hex_text, "--lang", "en")
    assert code == 1
    assert "IPv4   field 0x51b4  computed 0x52b4  WRONG" in out


def test_json_on_a_scapy_frame_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    frame = (
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="198.51.100.2")
        / UDP(sport=4000, dport=53, chksum=0x1111)
        / b"q"
    )
    raw = bytes(frame)
    monkeypatch.setattr("sys.stdin", io.StringIO(raw.hex(" ") + "\n"))
    code, out, _ = run(capsys, "-", "--json", "--explain")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    ip_check, udp_check = data["checks"]
    assert ip_check["ok"] is True and ip_check["field"] == f"0x{Ether(raw)[IP].chksum:04x}"
    assert udp_check["layer"] == "UDP" and udp_check["field"] == "0x1111"
    good = bytes(IP(src="192.0.2.1", dst="198.51.100.2") / UDP(sport=4000, dport=53) / b"q")
    assert udp_check["computed"] == f"0x{int.from_bytes(good[26:28], 'big'):04x}"
    assert data["explanation"]["computed"] == ip_check["computed"]


def test_raw_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "0102030405", "--lang", "en")
    assert code == 0
    assert f"0x{internet_checksum(bytes.fromhex('0102030405')):04x}" in out
    assert "neither an Ethernet frame with IP nor an IP packet" in out
    code, out, _ = run(capsys, "0x45000014", "--link", "raw", "--json")
    data = json.loads(out)
    assert data["kind"] == "raw" and data["length"] == 4
    assert data["checksum"] == f"0x{internet_checksum(bytes.fromhex('45000014')):04x}"
    # Data that already carries its checksum adds up to 0xffff.
    code, out, _ = run(capsys, SHEET, "--link", "raw", "--lang", "en")
    assert "0x0000" in out and "intact" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["45 0z"], "'z' is not a hex digit"),
        (["450"], "odd number of digits"),
        (["  "], "no hex digits"),
        (["0102", "--link", "ip"], "a 20-byte header, got 2"),
        (["0102", "--link", "ether"], "EtherType"),
        (["4500", "--lang", "de"], "Invalid value for '--lang'"),
    ],
)
def test_bad_input_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("paquet: error:") and message in err
    assert len(err.strip().splitlines()) == 1


def test_ipv6_frame(capsys: pytest.CaptureFixture[str]) -> None:
    from scapy.layers.inet6 import IPv6

    frame = (
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IPv6(src="2001:db8::1", dst="2001:db8::2")
        / UDP(sport=5, dport=6)
        / b"six"
    )
    raw = bytes(frame)
    code, out, _ = run(capsys, raw.hex(), "--explain", "--lang", "en")
    assert code == 0
    assert "UDP checksum (IPv6 pseudo-header)" in out
    assert "The pseudo-header and the segment make" in out
    assert "IPv6 has no header checksum." in out
    field = int.from_bytes(raw[14 + 40 + 6 : 14 + 40 + 8], "big")
    assert f"UDP    field 0x{field:04x}  computed 0x{field:04x}  correct" in out
    damaged = raw[:-1] + bytes([raw[-1] ^ 1])
    code, out, _ = run(capsys, damaged.hex(), "--json")
    data = json.loads(out)
    assert code == 1 and data["kind"] == "ipv6" and data["checks"][0]["ok"] is False
