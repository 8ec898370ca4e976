"""``paquet explain``: hex and expressions, both languages, JSON equal to the library's, and
one-line errors with exit status 2."""

from __future__ import annotations

import json

import pytest

from paquet import ICMP, IP
from paquet.cli.main import main
from paquet.explainer import explain

# Scapy's bytes(IP(src="192.0.2.10", dst="192.0.2.254")/ICMP()): an echo request, 28 bytes.
ECHO = "45 00 00 1c 00 01 00 00 40 01 f5 d7 c0 00 02 0a c0 00 02 fe 08 00 f7 ff 00 00 00 00"


def test_hex_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", ECHO, "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("IP / ICMP 192.0.2.10 > 192.0.2.254 echo-request 0\n28 octets\n")
    assert "== IPv4 (RFC 791) à l'octet 0, en-tête de 20 octets" in out
    assert "== ICMP (RFC 792) à l'octet 20, en-tête de 8 octets" in out
    assert " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1" in out
    assert "|      TTL      |    Protocol   |        Header Checksum        |" in out
    assert "|       64      |    1 (ICMP)   |             0xf5d7            |" in out
    assert "8 (demande d'écho (echo-request))" in out
    assert "(iv)  le champ vaut 0xf5d7 : égal, l'en-tête est conforme" in out


def test_expression_in_english_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    expr = 'IP(src="192.0.2.10", dst="203.0.113.10")/UDP(sport=40000, dport=10000)/"miaou"'
    assert main(["explain", expr, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "== UDP (RFC 768) at byte 20, 8-byte header" in out
    assert "the segment is intact" in out and "b'miaou'" in out
    assert main(["explain", expr, "--lang", "en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    from paquet.packet.expr import parse_packet

    assert data == json.loads(json.dumps(explain(parse_packet(expr), "en").to_dict()))
    udp = data["layers"][1]
    assert [f["name"] for f in udp["fields"]] == ["sport", "dport", "len", "chksum"]
    assert udp["fields"][2]["value"] == 13 and udp["checksum"]["ok"] is True


def test_default_language_from_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["explain", ECHO]) == 0
    assert "octets" in capsys.readouterr().out
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert main(["explain", ECHO]) == 0
    assert "28 bytes" in capsys.readouterr().out


def test_a_damaged_checksum_is_shown(capsys: pytest.CaptureFixture[str]) -> None:
    raw = bytes(IP(src="192.0.2.10", dst="192.0.2.254", chksum=0xBEEF) / ICMP())
    assert main(["explain", raw.hex(), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "the field is 0xbeef ≠ 0xf5d7: the header is not intact (damaged)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", "450"], "odd number of hex digits"),
        (["explain", "IP(dst=__import__('os'))"], "paquet: error:"),
        (["explain", "Nope()"], "paquet: error:"),
        (["explain", ECHO, "--lang", "de"], "paquet: error:"),
    ],
)
def test_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ipv6_extension_headers_and_vlan(capsys: pytest.CaptureFixture[str]) -> None:
    expr = (
        'Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")/Dot1Q(prio=3, vlan=42)'
        '/IPv6(src="2001:db8::1", dst="2001:db8::2")/IPv6ExtHdrHopByHop()'
        "/IPv6ExtHdrFragment(id=7)/UDP(sport=40000, dport=10000)"
    )
    assert main(["explain", expr, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "== Ethernet (IEEE 802.3) at byte 0, 12-byte header" in out
    assert "== 802.1Q (IEEE 802.1Q) at byte 12, 6-byte header" in out
    assert "|              TPID             | PCP |D|          VID          |" in out
    assert "|        0x8100 (802.1Q)        |  3  |0|           42          |" in out
    assert "== Hop-by-Hop Options (RFC 8200 §4.3) at byte 58, 8-byte header" in out
    assert "== Fragment (RFC 8200 §4.5) at byte 66, 8-byte header" in out
    assert "|  Next Header  |    Reserved   |     Fragment Offset     |Res|M|" in out
    assert "the segment is intact" in out
    assert main(["explain", expr, "--lang", "fr", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [x["name"] for x in data["layers"]] == [
        "Ethernet", "802.1Q", "IPv6", "Hop-by-Hop Options", "Fragment", "UDP",
    ]  # fmt: skip
    tag = data["layers"][1]
    assert [(f["name"], f["value"]) for f in tag["fields"]] == [
        ("tpid", 0x8100),
        ("prio", 3),
        ("dei", 0),
        ("vlan", 42),
        ("type", 0x86DD),
    ]
    assert tag["fields"][3]["meaning"].startswith("numéro du VLAN")


def test_stdin_hex_of_a_deep_frame(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``paquet explain -`` reads the hex on stdin (as ``paquet decode -``): a frame of 1,000
    destination options headers (16,080 hex digits) is explained without a traceback."""
    import io

    from paquet.layers import IPv6

    h = b"".join(bytes([60 if i < 999 else 59, 0, 1, 4, 0, 0, 0, 0]) for i in range(1000))
    frame = bytes(IPv6(nh=60, plen=len(h))) + h
    monkeypatch.setattr("sys.stdin", io.StringIO(frame.hex() + "\n"))
    assert main(["explain", "-", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"{len(frame)} bytes" in out
    assert out.count("== Destination Options (RFC 8200 §4.6)") == 1000
    assert "at byte 8032, 8-byte header" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(ECHO))
    assert main(["explain", "-", "--lang", "en", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == explain(bytes.fromhex(ECHO), "en").to_dict()


def test_stdin_that_is_not_hex(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("45 0g"))
    assert main(["explain", "-"]) == 2
    err = capsys.readouterr().err
    assert "not a hex digit" in err and "Traceback" not in err
