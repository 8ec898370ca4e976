"""``paquet sniff`` live, in a lab, next to tcpdump: the same lines for the same packets,
``-p`` leaving promiscuous mode off as tcpdump's does, ``-s`` keeping as much as tcpdump's,
``-w -`` a stream tcpdump reads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.privileged


@pytest.fixture(scope="module")
def lab(lab_module_factory: Any) -> Iterator[Any]:
    """``chain`` with one router: client 192.0.2.10 -- r1 -- server 203.0.113.10."""
    yield lab_module_factory("chain", n=1)


def _paquet(node: Any, args: list[str], **kw: Any) -> subprocess.Popen[Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return node.popen([sys.executable, "-m", "paquet", "sniff", *args], env=env, **kw)


def _wait_listening(proc: subprocess.Popen[Any]) -> None:
    """Both tools say "listening on ..." on stderr once their capture is live."""
    assert proc.stderr is not None
    for _ in range(20):
        line = proc.stderr.readline()
        if "listening on" in (line.decode() if isinstance(line, bytes) else line):
            return
        if proc.poll() is not None:
            break
    raise AssertionError("the capture did not start")


def _tcpdump(node: Any, args: list[str]) -> subprocess.Popen[Any]:
    return node.popen(["tcpdump", "-Z", "root", "-U", *args], stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE, text=True)


def _ping(lab: Any, *args: str) -> None:
    server = lab["server"].addr()
    lab["client"].exec(["ping", "-c", "3", "-i", "0.2", *args, server], check=True)


def test_live_lines_are_tcpdumps(lab: Any, tmp_path: Path) -> None:
    out = tmp_path / "live.pcapng"
    proc = _paquet(lab["client"], ["-i", "eth0", "-n", "-c", "6", "-w", str(out), "icmp"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_listening(proc)
    _ping(lab)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    ref = subprocess.run(["tcpdump", "-n", "-r", str(out)], capture_output=True, text=True,
                         check=True).stdout
    assert stdout.splitlines() == ref.splitlines()
    assert len(stdout.splitlines()) == 6 and "ICMP echo request" in stdout


@pytest.mark.parametrize("flags", [["-e", "-tt"], ["-X"], ["-ttt", "-A"], ["-v"]])
def test_live_flags_as_tcpdump_prints_them(lab: Any, tmp_path: Path, flags: list[str]) -> None:
    out = tmp_path / "live.pcap"
    proc = _paquet(lab["client"], ["-i", "eth0", "-n", *flags, "-c", "4", "-w", str(out),
                                   "icmp"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                   text=True)
    _wait_listening(proc)
    _ping(lab, "-c", "2")
    stdout, _ = proc.communicate(timeout=60)
    ref = subprocess.run(["tcpdump", "-n", *flags, "-r", str(out)], capture_output=True,
                         text=True, check=True).stdout
    assert stdout.splitlines() == ref.splitlines()


_STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{6}) ", re.M)


def _untimed(text: str) -> list[str]:
    """tcpdump lines with their time stamps blanked (a packet socket stamps a frame that has no
    kernel time stamp yet when it reads it: two captures may differ by microseconds)."""
    return [_STAMP.sub("HH:MM:SS.uuuuuu ", line) for line in text.splitlines()]


def _close_in_time(text: str, ref: str) -> bool:
    """Every line's stamp within a millisecond of the reference's."""
    def seconds(t: str) -> list[float]:
        return [int(h) * 3600 + int(m) * 60 + int(s) + int(u) / 1e6
                for h, m, s, u in _STAMP.findall(t)]
    ours, theirs = seconds(text), seconds(ref)
    return len(ours) == len(theirs) and all(
        abs(a - b) < 1e-3 for a, b in zip(ours, theirs, strict=True))


def _promiscuity(node: Any) -> int:
    text = node.exec(["ip", "-d", "link", "show", "eth0"], check=True).stdout
    found = re.search(r"promiscuity (\d+)", text)
    assert found is not None
    return int(found.group(1))


@pytest.mark.parametrize("flags", [[], ["-p"]])
def test_promiscuous_mode_as_tcpdump(lab: Any, flags: list[str]) -> None:
    client = lab["client"]
    assert _promiscuity(client) == 0
    seen = []
    for start in (lambda: _tcpdump(client, ["-i", "eth0", *flags, "-c", "1", "icmp"]),
                  lambda: _paquet(client, ["-i", "eth0", *flags, "-c", "1", "icmp"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)):
        proc = start()
        _wait_listening(proc)
        seen.append(_promiscuity(client))
        _ping(lab, "-c", "1")
        proc.communicate(timeout=60)
    assert seen[0] == seen[1] == (0 if flags else 1)


def test_snapshot_length_as_tcpdump(lab: Any, tmp_path: Path) -> None:
    from paquet import rdpcap

    ours, theirs = tmp_path / "ours.pcap", tmp_path / "theirs.pcap"
    client = lab["client"]
    dump = _tcpdump(client, ["-i", "eth0", "-s", "60", "-c", "4", "-w", str(theirs), "icmp"])
    _wait_listening(dump)
    proc = _paquet(client, ["-i", "eth0", "-s", "60", "-c", "4", "-w", str(ours), "icmp"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_listening(proc)
    _ping(lab, "-c", "2", "-s", "200")
    proc.communicate(timeout=60)
    dump.communicate(timeout=60)
    mine = [(len(r.data), r.wirelen) for r in rdpcap(str(ours), raw=True)]
    ref = [(len(r.data), r.wirelen) for r in rdpcap(str(theirs), raw=True)]
    assert mine == ref == [(60, 242)] * 4


def test_write_to_stdout_live(lab: Any) -> None:
    proc = _paquet(lab["client"], ["-i", "eth0", "-c", "4", "-w", "-", "icmp"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_listening(proc)
    _ping(lab, "-c", "2")
    stream, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"4 packets captured" in err
    lines = subprocess.run(["tcpdump", "-n", "-r", "-"], input=stream, capture_output=True,
                           check=True).stdout.decode().splitlines()
    assert len(lines) == 4
    assert [ln.split(": ICMP ")[1].split(",")[0] for ln in lines] == [
        "echo request", "echo reply"] * 2


def test_timeout_is_a_long_option(lab: Any) -> None:
    proc = _paquet(lab["client"], ["-i", "eth0", "--timeout", "0.5", "udp port 9"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "0 packets captured" in err


def test_any_is_every_interface_as_tcpdump(lab: Any) -> None:
    """On the router, ``-i any``: each side's request and reply, with the interface and the
    direction tcpdump prints before them."""
    router = lab["r1"]
    dump = _tcpdump(router, ["-i", "any", "-n", "-c", "4", "icmp"])
    _wait_listening(dump)
    proc = _paquet(router, ["-i", "any", "-n", "-c", "4", "icmp"], stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True)
    _wait_listening(proc)
    _ping(lab, "-c", "1")
    stdout, _ = proc.communicate(timeout=60)
    ref, _ = dump.communicate(timeout=60)
    assert proc.returncode == 0
    assert _untimed(stdout) == _untimed(ref)
    assert _close_in_time(stdout, ref)
    assert any(" eth0  In  IP " in ln for ln in stdout.splitlines())
    assert any(" eth1  Out IP " in ln for ln in stdout.splitlines())
