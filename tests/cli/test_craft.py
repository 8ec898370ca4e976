"""``paquet craft``: parsed (never evaluated) expressions, built packets, one-line errors."""

from __future__ import annotations

import json

import pytest
from scapy.layers import inet as sinet
from scapy.layers import l2 as sl2

from paquet.cli.main import main
from paquet.errors import ExpressionError
from paquet.packet.expr import parse_packet

pytestmark = pytest.mark.usefixtures("no_resolver")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_craft_prints_built_tree_hexdump_and_hex(capsys: pytest.CaptureFixture[str]) -> None:
    expr = ('Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01")'
            '/IP(src="192.0.2.1", dst="192.0.2.2")/TCP(dport=80)/"hello"')
    code, out, err = run(capsys, "craft", expr)
    reference = bytes(sl2.Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01")
                      / sinet.IP(src="192.0.2.1", dst="192.0.2.2") / sinet.TCP(dport=80)
                      / "hello")
    assert code == 0 and err == ""
    assert out.splitlines()[-1] == reference.hex()
    assert "###[ TCP ]###" in out and "chksum    = 0x" in out and "len       = 45" in out
    assert "0000  FF FF FF FF FF FF 02 00" in out


def test_craft_json_and_expansion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "craft", "--json", 'IP(dst="192.0.2.9", ttl=(1, 3))/ICMP()')
    data = json.loads(out)
    assert code == 0 and [p["layers"][0]["fields"]["ttl"] for p in data] == [1, 2, 3]
    assert data[0]["hex"] == bytes(sinet.IP(dst="192.0.2.9", ttl=1, src="127.0.0.1")
                                   / sinet.ICMP()).hex()


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ('IP(dst="192.0.2.2")/Foo()', "unknown layer 'Foo'"),
        ('IP(dts="192.0.2.2")', "IP has no field 'dts'"),
        ('ip(dst="192.0.2.2")', "did you mean IP?"),
        ('__import__("os").system("echo pwned")', "expected a layer name"),
        ('IP(dst=open("/etc/passwd").read())', "field values must be literals"),
        ("IP() + TCP()", "unexpected operator Add"),
        ("IP(", "invalid expression"),
        ("IP", "a layer must be called"),
        ("IP(ttl=1, **x)", "'**' is not allowed"),
        ('TCP(flags="Z")', "unknown flag 'Z'"),
        ("", "empty packet expression"),
    ],
)
def test_bad_expressions_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], expr: str, message: str
) -> None:
    code, out, err = run(capsys, "craft", expr)
    assert code == 2 and out == ""
    assert err.startswith("paquet: error: ") and message in err and err.count("\n") == 1


def test_expression_is_never_evaluated() -> None:
    with pytest.raises(ExpressionError):
        parse_packet('IP(dst=__import__("os").getcwd())')
    with pytest.raises(ExpressionError):
        parse_packet("[IP() for _ in range(10**9)]")
    with pytest.raises(ExpressionError):
        parse_packet("(lambda: IP())()")


def test_expression_values() -> None:
    p = parse_packet('IP(dst="192.0.2.1", options=[IPOption_NOP(), IPOption_Router_Alert()])'
                     '/TCP(dport=[22, 80], options=[("MSS", 1460), ("NOP", None)])/b"\\x00x"')
    assert len(list(p)) == 2
    ref = (sinet.IP(src="127.0.0.1", dst="192.0.2.1",
                    options=[sinet.IPOption_NOP(), sinet.IPOption_Router_Alert()])
           / sinet.TCP(dport=22, options=[("MSS", 1460), ("NOP", None)]) / b"\x00x")
    assert bytes(next(iter(p))) == bytes(ref)
    assert parse_packet('"abc"').load == b"abc"
    assert parse_packet('Raw(b"abc")').load == b"abc"
