"""``paquet craft`` on hostile input (issue 13): huge generators counted before anything is
made, empty ones refused, values wider than their field, deep and long expressions, NaN
timeouts, sending without privilege. Every case is one line on stderr and exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc

import pytest
from scapy.layers import inet as si

from paquet.cli.craft import DEFAULT_MAX_PACKETS
from paquet.cli.main import main
from paquet.packet.expr import MAX_LAYERS, parse_packet

pytestmark = pytest.mark.usefixtures("no_resolver")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the command line; assert a one-line error, exit 2, nothing on stdout."""
    code, out, err = run(capsys, "craft", *argv)
    assert code == 2, (out, err)
    assert out == ""
    assert err.startswith("paquet: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


# ---------------------------------------------------------------- counted before made


@pytest.mark.parametrize(
    ("expr", "count"),
    [
        ('IP(dst="0.0.0.0/0")', "4,294,967,296"),
        ('IP(dst="192.0.2.0/8")', "16,777,216"),  # strict=False: 192.0.0.0/8
        ("IP(id=(0, 65535), ttl=(1, 255))", "16,711,680"),
        ('IP(dst="198.51.100.0/24")/TCP(dport=(1, 1024))', "262,144"),
    ],
)
def test_too_many_packets_are_refused_before_any_is_made(
    capsys: pytest.CaptureFixture[str], expr: str, count: str
) -> None:
    tracemalloc.start()
    try:
        err = refused(capsys, expr)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"makes {count} packets, more than 65,536 (--max-packets raises the limit)" in err
    # Making them first took 1.3 GB for a /8; counting takes what parsing takes.
    assert peak < 20_000_000


def test_max_packets_moves_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(capsys, "--max-packets", "2", "IP(ttl=(1, 3))")
    assert "makes 3 packets, more than 2" in err
    code, out, _ = run(capsys, "craft", "--max-packets", "3", "--json", "IP(ttl=(1, 3))")
    assert code == 0 and [p["layers"][0]["fields"]["ttl"] for p in json.loads(out)] == [1, 2, 3]
    assert "0" in refused(capsys, "--max-packets", "0", "IP()")
    assert DEFAULT_MAX_PACKETS == 65_536


def test_the_default_limit_itself_is_accepted() -> None:
    pkt = parse_packet("IP(id=(0, 255), ttl=(1, 255))")
    assert pkt.expansion_count() == 256 * 255 <= DEFAULT_MAX_PACKETS
    assert parse_packet("IP(id=(0, 65535))").expansion_count() == DEFAULT_MAX_PACKETS


@pytest.mark.parametrize(
    ("expr", "named"),
    [
        ("IP(ttl=[])", "IP.ttl=[]"),
        ("IP(ttl=(3, 1))", "IP.ttl=(3, 1)"),
        ('IP(dst="192.0.2.1")/TCP(dport=[])', "TCP.dport=[]"),
    ],
)
def test_an_expression_that_makes_no_packet_is_an_error(
    capsys: pytest.CaptureFixture[str], expr: str, named: str
) -> None:
    # Scapy makes no packet either (the library keeps that: see tests/packet/test_values.py);
    # the command says so instead of printing nothing with status 0.
    assert [p for p in si.IP(ttl=[])] == []
    err = refused(capsys, expr)
    assert f"the expression makes no packet: {named} holds no value" in err


def test_json_of_several_packets_is_one_array_printed_as_they_are_made(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "craft", "--json", 'IP(dst="192.0.2.0/30")/ICMP()')
    data = json.loads(out)
    assert code == 0 and [p["layers"][0]["fields"]["dst"] for p in data] == [
        "192.0.2.0", "192.0.2.1", "192.0.2.2", "192.0.2.3"
    ]
    assert out == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert data[3]["hex"] == bytes(si.IP(src="127.0.0.1", dst="192.0.2.3") / si.ICMP()).hex()


# ---------------------------------------------------------------- values users type


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("IP(version=99)", "IP.version=99 does not fit in 4 bits (0 to 15)"),
        ("Dot1Q(vlan=5000)", "Dot1Q.vlan=5000 does not fit in 12 bits (0 to 4095)"),
        ("Dot1Q(vlan=-1)", "Dot1Q.vlan=-1 does not fit in 12 bits"),
        ("IP(ttl=300)", "IP.ttl=300 does not fit in 8 bits (0 to 255)"),
        ("IP(ttl=[1, 300])", "IP.ttl=300 does not fit in 8 bits"),
        ("IP(ttl=(1,99999999999999999999))", "IP.ttl=(1, 99999999999999999999) goes past 8 bits"),
        ("IP(id=(0,1000000000))", "IP.id=(0, 1000000000) goes past 16 bits (0 to 65535)"),
        # IP options are packets (Scapy's classes): one alone is a packet, as in Scapy.
        ("IPOption_RR(pointer=300)", "IPOption_RR.pointer=300 does not fit in 8 bits (0 to 255)"),
        ("IP(options=[IPOption_RR(pointer=300)])",
         "IPOption_RR.pointer: incorrect type of value for field pointer: ubyte format requires"),
        ("IP(options=[IPOption_Router_Alert(alert=70000)])",
         "IPOption_Router_Alert.alert=70000 does not fit in 16 bits"),
        ("IP(options=[-1])", "IP options must be IPOption objects"),
        ("IP(options=[1,2])", "IP options must be IPOption objects"),
        ('Raw(load="\\ud800")', "the text has no UTF-8 bytes"),
        ('IP()/"\\ud800"', "has no UTF-8 bytes"),
        ('IP(dst="\\x00")', "'\\x00'"),
        ('IP(dst="192.0.2.0/33")', "not a valid netmask"),
        ("IP(ttl=(1.5, 3))", "IP.ttl=(1.5, 3) at column 8: a range is two integers (lo, hi)"),
        ("IP(ttl=(1, 2, 3))", "give other values as a list [a, b, c]"),
        ('IP(dst=("192.0.2.1", "192.0.2.2"))', "a range is two integers"),
        ("IP(ttl=1.5)", "IP.ttl must be an integer, not 1.5"),
        ("IP(ttl=1e400)", "IP.ttl must be an integer, not inf"),
        ("IP(flags=1000)", "IP.flags=1000 does not fit in 3 bits"),
    ],
)
def test_values_that_do_not_fit_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], expr: str, message: str
) -> None:
    assert message in refused(capsys, expr)


def test_values_at_their_limits_give_scapys_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    expr = ('IP(version=15, ihl=15, ttl=255, id=65535, frag=8191, '
            'options=[IPOption_Router_Alert(alert=65535)])/TCP(seq=4294967295, '
            'options=[("MSS", 65535), ("WScale", 255)])')
    code, out, _ = run(capsys, "craft", expr)
    ref = (si.IP(src="127.0.0.1", version=15, ihl=15, ttl=255, id=65535, frag=8191,
                 options=[si.IPOption_Router_Alert(alert=65535)])
           / si.TCP(seq=4294967295, options=[("MSS", 65535), ("WScale", 255)]))
    assert code == 0 and out.splitlines()[-1] == bytes(ref).hex()


# ---------------------------------------------------------------- long and deep expressions


def test_layers_up_to_the_limit_build_and_more_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "craft", "IP()/" * (MAX_LAYERS - 1) + "IP()")
    assert code == 0 and out.count("###[ IP ]###") == MAX_LAYERS
    err = refused(capsys, "IP()/" * MAX_LAYERS + "IP()")
    assert f"too many layers (more than {MAX_LAYERS})" in err
    err = refused(capsys, "IP()/" * 1990 + "IP()")
    assert "too many layers" in err
    err = refused(capsys, "IP()/(" * 150 + "IP()" + ")" * 150)
    assert "too many layers" in err or "nested" in err


@pytest.mark.parametrize(
    "expr",
    [
        "IP(ttl=" + "-" * 8990 + "1)",  # the parser's own stack runs out
        "IP(ttl=" + "(" * 3000 + "1" + ")" * 3000 + ")",
        "IP(ttl=" + "[" * 90 + "]" * 90 + ")",
        "IP(ttl=" + "9" * 5000 + ")",  # past Python's 4300 digits
        "IP(ttl=" + "9" * 9000 + ")",
        "IP()/" + '"' + "a" * 9990 + '"' + "/",
        "I" * 10_001,
        "IP(dst='\0')",
    ],
)
def test_long_and_deep_expressions_are_one_line_errors(
    capsys: pytest.CaptureFixture[str], expr: str
) -> None:
    refused(capsys, expr)


def test_a_long_expression_within_the_limit_works(capsys: pytest.CaptureFixture[str]) -> None:
    expr = "IP(ttl=[" + ",".join(["1"] * 4490) + "])"  # 8,989 characters
    assert len(expr) < 10_000
    code, out, _ = run(capsys, "craft", "--json", expr)
    assert code == 0 and len(json.loads(out)) == 4490


# ---------------------------------------------------------------- sending options


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e20", "-1", "1e400"])
@pytest.mark.parametrize("option", ["--timeout", "--inter"])
def test_timeouts_and_intervals_must_be_finite_seconds(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    # Checked before anything is sent (the destination is loopback all the same).
    err = refused(capsys, 'IP(dst="127.0.0.1")/ICMP()', "--sr1", option, value)
    assert option in err


@pytest.mark.privileged
@pytest.mark.parametrize("mode", ["--send", "--sr1"])
@pytest.mark.parametrize("expr", ['IP(dst="127.0.0.1")/ICMP()',
                                  'Ether()/IP(dst="127.0.0.1")/ICMP()'])
def test_sending_without_privilege_names_what_is_missing(mode: str, expr: str) -> None:
    done = subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
         sys.executable, "-m", "paquet", "craft", expr, mode, "-q", "-i", "lo", "-t", "0.2"],
        capture_output=True, text=True, timeout=60, cwd="/",
        env={**os.environ, "HOME": "/"},
    )
    assert done.returncode == 2, done
    assert done.stdout == "" and done.stderr.count("\n") == 1
    assert "needs the CAP_NET_RAW capability" in done.stderr, done.stderr
    assert "None" not in done.stderr
