"""``paquet ping``'s iputils flags, against /usr/bin/ping in a network namespace made here
(loopback only, its MTU 1500; 192.0.2.0/24 routed to it, so requests there go unanswered)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PING = shutil.which("ping")
ROOT = Path(__file__).parents[2]
pytestmark = [
    pytest.mark.privileged,
    pytest.mark.skipif(PING is None, reason="iputils ping is not installed"),
]


@pytest.fixture(scope="module")
def ns() -> Iterator[str]:
    name = f"pqping{os.getpid() % 100000}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        for cmd in (["link", "set", "lo", "up"], ["link", "set", "lo", "mtu", "1500"],
                    ["route", "add", "192.0.2.0/24", "dev", "lo"]):
            subprocess.run(["ip", "-n", name, *cmd], check=True)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


def run(ns: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LC_ALL": "C"}
    return subprocess.run(["ip", "netns", "exec", ns, *argv], capture_output=True, text=True,
                          env=env, timeout=60, check=False)


def both(ns: str, args: list[str]) -> tuple[subprocess.CompletedProcess[str], ...]:
    ours = run(ns, [sys.executable, "-m", "paquet", "ping", *args])
    theirs = run(ns, ["ping", *args])  # by name: iputils prefixes its messages with argv[0]
    return ours, theirs


def shape(text: str) -> list[str]:
    """Lines with their numbers blanked (times, identifiers, time stamps differ)."""
    return re.sub(r"\d+", "N", text).splitlines()


@pytest.mark.parametrize("args", [
    ["-c", "2", "-i", "0.2", "127.0.0.1"],
    ["-c", "2", "-i", "0.2", "-D", "127.0.0.1"],
    ["-c", "2", "-i", "0.2", "-a", "127.0.0.1"],
    ["-c", "2", "-i", "0.2", "-v", "127.0.0.1"],
    ["-c", "1", "-v", "-6", "::1"],
    ["-c", "1", "-p", "abcd", "127.0.0.1"],
    ["-c", "1", "-q", "-p", "ab", "127.0.0.1"],
    ["-c", "1", "-s", "8", "-p", "0102030405060708090a0b0c0d0e0f1011", "127.0.0.1"],
    ["-c", "1", "-I", "lo", "127.0.0.1"],
    ["-c", "1", "-I", "127.0.0.1", "127.0.0.1"],
    ["-c", "1", "-6", "-I", "lo", "::1"],
    ["-c", "1", "-n", "localhost"],
    ["-c", "1", "localhost"],
    ["-c", "1", "-Q", "0x10", "127.0.0.1"],
    ["-c", "1", "-M", "dont", "-s", "2000", "127.0.0.1"],
    ["-c", "2", "-i", "0.2", "-M", "do", "-s", "2000", "127.0.0.1"],
    ["-c", "3", "-i", "0.2", "-O", "-W", "0.3", "192.0.2.1"],
    ["-c", "2", "-i", "0.2", "-D", "-O", "-W", "0.3", "192.0.2.1"],
    ["-c", "1", "-W", "0.5", "-b", "127.255.255.255"],
    ["-c", "2", "-i", "0.2", "-D", "-O", "-a", "-v", "-p", "abcd", "-Q", "0x10", "-M", "do",
     "-I", "lo", "127.0.0.1"],
])
def test_output_has_iputils_lines(ns: str, args: list[str]) -> None:
    ours, theirs = both(ns, args)
    assert ours.returncode == theirs.returncode, (ours.stderr, theirs.stderr)
    assert shape(ours.stdout) == shape(theirs.stdout)
    # stderr: the same messages (iputils' -v also lists its sockets: not ours to copy)
    want = [ln for ln in shape(theirs.stderr) if ln and "sockN.fd" not in ln]
    assert [ln for ln in shape(ours.stderr) if ln] == want


@pytest.mark.parametrize(("args", "message"), [
    (["-c", "1", "-p", "xyz", "127.0.0.1"], "patterns must be specified as hex digits: xyz"),
    (["-c", "1", "-Q", "300", "127.0.0.1"], "TOS bits must be in range 0-255: 300"),
    (["-c", "1", "-I", "nosuch", "127.0.0.1"], "SO_BINDTODEVICE nosuch: No such device"),
    (["-c", "1", "127.255.255.255"], "Do you want to ping broadcast? Then -b."),
    (["-c", "1", "-M", "foo", "127.0.0.1"], "-M"),
])
def test_refusals_as_iputils(ns: str, args: list[str], message: str) -> None:
    ours, theirs = both(ns, args)
    assert ours.returncode == theirs.returncode == 2
    assert message in theirs.stderr
    assert ours.stderr.startswith("paquet: error: ") and ours.stderr.count("\n") == 1
    assert message in ours.stderr


def _requests(ns: str, tmp_path: Path, args: list[str]) -> list[Any]:
    """The echo requests each tool sent with ``args``, captured on lo (ours, then theirs)."""
    from paquet import ICMP, IP, rdpcap

    out = tmp_path / "lo.pcap"
    dump = subprocess.Popen(["ip", "netns", "exec", ns, "tcpdump", "-Z", "root", "-i", "lo",
                             "-U", "-w", str(out), "icmp[icmptype] == icmp-echo"],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert dump.stderr is not None
        for _ in range(5):  # tcpdump says "listening on ..." once the capture is live
            if "listening" in dump.stderr.readline():
                break
        ours, theirs = both(ns, ["-c", "1", *args, "127.0.0.1"])
        assert ours.returncode == theirs.returncode == 0
        # a last request marks the end: once it is in the file, the others are too
        run(ns, [PING or "ping", "-c", "1", "-p", "ee", "127.0.0.1"])
        for _ in range(200):
            pkts = rdpcap(str(out)) if out.exists() and out.stat().st_size > 24 else []
            if any(bytes(p[ICMP].payload)[16:17] == b"\xee" for p in pkts):
                break
            subprocess.run(["sleep", "0.05"], check=False)
    finally:
        dump.terminate()
        dump.wait(10)
    reqs = [p[IP] for p in rdpcap(str(out))]
    return reqs[:2]


@pytest.mark.parametrize("args", [
    ["-p", "abcd"], ["-p", "0102030405060708090a0b0c0d0e0f"], ["-Q", "0x10"], ["-Q", "184"],
    ["-M", "do"], ["-M", "dont"], ["-s", "100", "-p", "a5"],
])
def test_requests_on_the_wire_are_iputils(ns: str, tmp_path: Path, args: list[str]) -> None:
    from paquet import ICMP

    ours, theirs = _requests(ns, tmp_path, args)
    assert ours.tos == theirs.tos
    assert int(ours.flags) == int(theirs.flags)
    assert len(ours) == len(theirs)
    # the first 16 bytes of the payload are the send time
    assert bytes(ours[ICMP].payload)[16:] == bytes(theirs[ICMP].payload)[16:]


@pytest.mark.parametrize("argv", [
    ["-R"], ["-T", "tsonly"], ["-L"], ["-A"], ["-l", "3"], ["-m", "7"], ["-S", "9000"],
    ["-U"], ["-F", "1"], ["-N", "name"], ["-e", "7"],
])
def test_iputils_flags_paquet_refuses_say_why(argv: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from paquet.cli.main import main

    usage = subprocess.run(["ping", "-h"], capture_output=True, text=True, check=False)
    assert argv[0] + " " in usage.stdout + usage.stderr  # a flag iputils has
    assert main(["ping", *argv, "192.0.2.1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"paquet: error: {argv[0]}: ") and err.count("\n") == 1
