"""traceroute's flags on ``paquet trace``, each against traceroute with the same flag in a chain
of four routers (the second silent): the probes both send, seen by tcpdump, and the hops."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time
from typing import Any

import pytest
from tests.probe.test_lab import _traceroute_hops, need

pytestmark = pytest.mark.privileged

PAQUET = [sys.executable, "-m", "paquet"]


def sent(client: Any, dst: str, argv: list[str]) -> tuple[subprocess.CompletedProcess[str],
                                                          list[tuple[float, str]]]:
    """Run ``argv`` in ``client``; its result and the (time, tcpdump -vv line) of every packet
    it sent to ``dst``."""
    need("tcpdump")
    dump = client.popen(["tcpdump", "-i", "any", "-n", "-l", "-vv", "-tt", "-Q", "out",
                         "dst", dst], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert dump.stderr is not None
        for _ in range(5):  # "listening on ..." once the capture is live
            if "listening" in dump.stderr.readline():
                break
        else:
            raise AssertionError("tcpdump did not start")
        proc = client.exec(argv, timeout=120)
        time.sleep(0.3)
    finally:
        dump.terminate()
        out, _ = dump.communicate(timeout=5)
    packets = []
    lines = out.splitlines()
    for i, ln in enumerate(lines):
        m = re.match(r"^(\d+\.\d+) ", ln)
        if m:  # -vv puts the transport on a second line
            nxt = lines[i + 1] if i + 1 < len(lines) and not re.match(r"^\d", lines[i + 1]) \
                else ""
            packets.append((float(m.group(1)), ln + " " + nxt.strip()))
    return proc, packets


def lengths(packets: list[tuple[float, str]]) -> set[int]:
    return {int(m) for _, p in packets for m in re.findall(r"length (\d+)\)", p)}


def test_packet_length_argument(silent_chain_lab: Any) -> None:
    need("traceroute")
    client, server = silent_chain_lab["client"], silent_chain_lab["server"].addr()
    for flags, size in (([], "100"), (["-I"], "100"), ([], "1000"), (["--classic"], "28"),
                        (["-I", "--classic"], "10")):
        ref_flags = [f for f in flags if f != "--classic"]
        mine, mine_pk = sent(client, server, [*PAQUET, "trace", "-n", *flags, server, size])
        ref, ref_pk = sent(client, server, ["traceroute", "-n", *ref_flags, server, size])
        assert mine.returncode == ref.returncode == 0
        assert mine.stdout.splitlines()[0] == ref.stdout.splitlines()[0], flags
        assert lengths(mine_pk) == lengths(ref_pk) and len(lengths(ref_pk)) == 1, flags
        assert _traceroute_hops(mine.stdout) == _traceroute_hops(ref.stdout)


def test_tcp_probes_have_traceroutes_size_and_options(silent_chain_lab: Any) -> None:
    need("traceroute")
    client, server = silent_chain_lab["client"], silent_chain_lab["server"].addr()
    mine, mine_pk = sent(client, server, [*PAQUET, "trace", "-n", "-T", "-p", "10000", server])
    ref, ref_pk = sent(client, server, ["traceroute", "-n", "-T", "-p", "10000", server])
    assert mine.stdout.splitlines()[0] == ref.stdout.splitlines()[0]
    # the probes (the kernel's RSTs to the server's SYN/ACK aside)
    mine_pk = [(t, p) for t, p in mine_pk if "Flags [S]" in p]
    ref_pk = [(t, p) for t, p in ref_pk if "Flags [S]" in p]
    assert lengths(mine_pk) == lengths(ref_pk) == {60}

    def shape(packets: list[tuple[float, str]]) -> set[str]:
        out = set()
        for _, p in packets:
            m = re.search(r"(Flags \[S\]).*?(win \d+), (options \[.*?\])", p)
            assert m, p
            out.add(re.sub(r"TS val \d+", "TS val N", " ".join(m.groups())))
        return out

    assert shape(mine_pk) == shape(ref_pk)
    assert _traceroute_hops(mine.stdout) == _traceroute_hops(ref.stdout)


def test_dont_fragment_source_and_interface(silent_chain_lab: Any) -> None:
    need("traceroute")
    client, server = silent_chain_lab["client"], silent_chain_lab["server"].addr()
    me = silent_chain_lab["client"].addr()
    for flags in (["-F"], ["-I", "-F"], ["-s", me], ["-i", "eth0"], ["-F", "-s", me, "-T"]):
        mine, mine_pk = sent(client, server, [*PAQUET, "trace", "-n", *flags, server])
        ref, ref_pk = sent(client, server, ["traceroute", "-n", *flags, server])
        assert mine.returncode == ref.returncode == 0, (flags, mine.stderr)
        df = [("[DF]" in p) for _, p in mine_pk + ref_pk]
        assert all(df) if "-F" in flags else not any(df), flags
        assert {re.findall(r"(\d+\.\d+\.\d+\.\d+)[.\s]", p)[0] for _, p in mine_pk} == {me}
        assert _traceroute_hops(mine.stdout) == _traceroute_hops(ref.stdout), flags
    for flags in (["-s", "192.0.2.99"], ["-i", "nosuch0"]):  # both refuse; we in one line
        mine = client.exec([*PAQUET, "trace", "-n", *flags, server])
        ref = client.exec(["traceroute", "-n", *flags, server])
        assert ref.returncode != 0 and mine.returncode == 2, flags
        assert mine.stderr.startswith("paquet: error: ") and mine.stderr.count("\n") == 1


def test_sendwait_spaces_the_probes(silent_chain_lab: Any) -> None:
    need("traceroute")
    client, server = silent_chain_lab["client"], silent_chain_lab["server"].addr()
    for wait, gap in (("50", 0.05), ("0.05", 0.05)):  # above 10: milliseconds
        for tool in ([*PAQUET, "trace"], ["traceroute"]):
            proc, packets = sent(client, server, [*tool, "-n", "-q", "1", "-m", "6", "-z",
                                                  wait, server])
            assert proc.returncode == 0
            times = [t for t, _ in packets]
            assert len(times) >= 5, tool
            # tcpdump stamps each packet as it leaves: no two closer than the wait (less the
            # capture's own jitter)
            assert min(b - a for a, b in itertools.pairwise(times)) >= gap * 0.8, tool
            assert _traceroute_hops(proc.stdout)[-1] == [server]
