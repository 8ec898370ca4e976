"""The craft command's send options (``paquet.cli.send``) through ``main``: output, exit codes,
and the one-line errors: no route, unknown host, bad interface, no privilege (a child without
CAP_NET_RAW), with the unprivileged ICMP fallback where ``ping_group_range`` allows it.

The command under test is defined here (``sendtest DST``) and registered in ``COMMANDS`` for the
duration of a test, as ``paquet craft`` registers itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from pqnet_helpers import in_ns, namespaces, ns_exec

from paquet.cli.send import run, send_options

HERE = Path(__file__).parent
NS = f"pqn-cli{os.getpid()}"


@click.command()
@click.argument("dst")
@click.option("--proto", type=click.Choice(["icmp", "udp", "tcp"]), default="icmp")
@click.option("--dport", type=int, default=10000)
@click.option("--json", "json_output", is_flag=True)
@send_options
def command(dst: str, proto: str, dport: int, **opts: Any) -> int:
    """Build IP(dst)/PROTO and hand it to the send runner."""
    from paquet.layers import ICMP, IP, TCP, UDP

    layer = {"icmp": ICMP(id=0x99), "udp": UDP(dport=dport), "tcp": TCP(dport=dport)}[proto]
    return run(IP(dst=dst) / layer, **opts)


def _main(argv: list[str]) -> tuple[int, str, str]:
    import contextlib
    import io

    from paquet.cli.main import COMMANDS, main

    COMMANDS["sendtest"] = "test_cli_send"
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["sendtest", *argv])
    finally:
        del COMMANDS["sendtest"]
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def lo_ns() -> Any:
    """A namespace with only loopback (so 192.0.2.1 has no route), deleted at the end."""
    with namespaces(NS):
        yield NS


@pytest.mark.privileged
def test_sr1_prints_the_answer(lo_ns: str) -> None:
    code, out, err = in_ns(lo_ns, _main, ["127.0.0.1", "--sr1"])
    assert (code, err) == (0, "")
    assert out.startswith("Received: IP / ICMP 127.0.0.1 > 127.0.0.1 echo-reply") and " ms)" in out
    assert "###[ ICMP ]###" in out and "type      = echo-reply" in out


@pytest.mark.privileged
def test_sr_json_and_nothing_answered(lo_ns: str) -> None:
    import json

    code, out, _err = in_ns(lo_ns, _main, ["127.0.0.1", "--sr", "--json", "--count", "2"])
    rows = json.loads(out)
    assert code == 0 and len(rows) == 2 and "echo-reply" in rows[0]["answer"]
    # Nothing answers a UDP datagram to a bound socket that stays silent: exit status 1.
    code, out, _err = in_ns(lo_ns, _silent_udp)
    assert code == 1 and out.endswith("==> no answer\n")


def _silent_udp() -> tuple[int, str, str]:
    import socket

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 10007))
    try:
        code, out, err = _main(["127.0.0.1", "--proto", "udp", "--dport", "10007", "--sr1",
                                "--timeout", "0.2"])
    finally:
        s.close()
    return code, out, err


@pytest.mark.privileged
def test_send_counts(lo_ns: str) -> None:
    assert in_ns(lo_ns, _main, ["127.0.0.1", "--send", "--count", "3"]) == (
        0, "Sent 3 packets.\n", ""
    )


@pytest.mark.privileged
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["127.0.0.1", "--sr1", "--iface", "nosuch0"], "no such interface: 'nosuch0'"),
        (["192.0.2.1", "--sr1"], "no route to 192.0.2.1"),
        (["no-such-host.invalid", "--sr1"], "unknown host 'no-such-host.invalid'"),
    ],
)
def test_errors_are_one_line_exit_2(lo_ns: str, argv: list[str], message: str) -> None:
    code, out, err = in_ns(lo_ns, _main, argv)
    assert code == 2 and out == ""
    assert err.startswith(f"paquet: error: {message}") and err.count("\n") == 1, err


CHILD = """
import sys
sys.path.insert(0, {here!r})
from test_cli_send import _main
code, out, err = _main(sys.argv[1:])
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(code)
"""


def _unprivileged(ns: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command in ``ns`` in a child whose capability sets lack CAP_NET_RAW."""
    return subprocess.run(
        ["ip", "netns", "exec", ns, "setpriv", "--inh-caps=-all", "--bounding-set=-net_raw",
         sys.executable, "-c", CHILD.format(here=str(HERE)), *argv],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(HERE.parent.parent / "src")},
    )


@pytest.mark.privileged
def test_without_cap_net_raw_one_line_and_how_to_get_it(lo_ns: str) -> None:
    ns_exec(lo_ns, "sysctl", "-qw", "net.ipv4.ping_group_range=1 0")
    done = _unprivileged(lo_ns, "127.0.0.1", "--proto", "tcp", "--sr1")
    assert done.returncode == 2 and done.stdout == ""
    err = done.stderr
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("paquet: error: ") and "CAP_NET_RAW" in err
    assert "sudo" in err and "setcap cap_net_raw+ep" in err
    # ICMP echo without the ping group: the same one line.
    done = _unprivileged(lo_ns, "127.0.0.1", "--sr1")
    assert done.returncode == 2 and "CAP_NET_RAW" in done.stderr


@pytest.mark.privileged
def test_unprivileged_echo_uses_the_kernels_ping_sockets(lo_ns: str) -> None:
    ns_exec(lo_ns, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647")
    try:
        done = _unprivileged(lo_ns, "127.0.0.1", "--sr1", "--count", "2")
        assert done.returncode == 0, done.stderr
        lines = [x for x in done.stdout.splitlines() if x.startswith("Received: ")]
        assert len(lines) == 2 and all("echo-reply" in line for line in lines)
        done = _unprivileged(lo_ns, "127.0.0.1", "--send")
        assert (done.returncode, done.stdout) == (0, "Sent 1 packets.\n")
    finally:
        ns_exec(lo_ns, "sysctl", "-qw", "net.ipv4.ping_group_range=1 0")


ECHO6_CHILD = """
from paquet.layers import ICMP, IP
from paquet.layers.icmpv6 import ICMPv6EchoRequest
from paquet.layers.ipv6 import IPv6
from paquet.net.sendrecv import sr1
a = sr1(IPv6(dst="::1") / ICMPv6EchoRequest(id=4242, seq=9), timeout=2, verbose=0)
print(type(a.payload).__name__, a.src, a.payload.id, a.payload.seq)
a = sr1(IPv6(dst="::1") / ICMPv6EchoRequest(seq=10), timeout=2, verbose=0)
print(type(a.payload).__name__, a.payload.id, a.payload.seq, a.payload.cksum)
a = sr1(IP(dst="127.0.0.1") / ICMP(seq=11), timeout=2, verbose=0)
print(a[ICMP].type, a[ICMP].id, a[ICMP].seq, a[ICMP].chksum)
"""


@pytest.mark.privileged
def test_unprivileged_echo_v6_and_id_zero_use_ping_sockets(lo_ns: str) -> None:
    ns_exec(lo_ns, "sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647")
    try:
        done = subprocess.run(
            ["ip", "netns", "exec", lo_ns, "setpriv", "--inh-caps=-all",
             "--bounding-set=-net_raw", sys.executable, "-c", ECHO6_CHILD],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        ns_exec(lo_ns, "sysctl", "-qw", "net.ipv4.ping_group_range=1 0")
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert lines[0] == ["ICMPv6EchoReply", "::1", "4242", "9"]
    # Identifier 0 (the default): the kernel picks the wire's, the reply gets 0 back with a
    # checksum that is right for it.
    assert lines[1][:3] == ["ICMPv6EchoReply", "0", "10"]
    assert lines[2][:3] == ["0", "0", "11"] and lines[2][3] == str(0xFFFF - 11)
