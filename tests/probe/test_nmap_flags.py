"""nmap's flags on ``paquet scan`` and ``paquet discover``, each against nmap with the same
flag in the ``tp`` lab (client 192.0.2.10; target 203.0.113.20 with ports 21, 22, 80, 443 open
and 135, 139, 445 filtered; neighbour 192.0.2.11 on the client's link)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from tests.probe.test_lab import need, nmap_states

pytestmark = pytest.mark.privileged

PAQUET = [sys.executable, "-m", "paquet"]
SPEC = "20-25,80,135,139,443,8080"


def ours(client: Any, *args: str) -> subprocess.CompletedProcess[str]:
    return client.exec([*PAQUET, *args], timeout=120)


def nmap(client: Any, *args: str) -> subprocess.CompletedProcess[str]:
    need("nmap")
    return client.exec(["nmap", "-n", *args], timeout=300)


def table(out: str) -> list[str]:
    """The port table's lines (header included), spaces squeezed."""
    lines = out.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("PORT ")), None)
    if start is None:
        return []
    rows = []
    for ln in lines[start:]:
        if not ln.strip():
            break
        rows.append(" ".join(ln.split()))
    return rows


def up_hosts_grepable(out: str) -> list[str]:
    return sorted(re.findall(r"^Host: (\S+) \(\)\tStatus: Up", out, re.M))


def test_reason_column_and_host_line(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    mine = ours(client, "scan", "--reason", "-p", SPEC, target)
    ref = nmap(client, "--reason", "-p", SPEC, target)
    assert mine.returncode == ref.returncode == 0
    assert table(mine.stdout) == table(ref.stdout)
    assert "REASON" in table(mine.stdout)[0] and "syn-ack ttl 63" in mine.stdout
    line = re.compile(r"^Host is up, received [a-z-]+( ttl \d+)? \([\d.]+s latency\)\.$", re.M)
    assert line.search(mine.stdout) and line.search(ref.stdout)
    # -sn --reason: the neighbour answers ARP, the client itself is localhost
    mine = ours(client, "scan", "-sn", "--reason", "192.0.2.8/29")
    ref = nmap(client, "-sn", "--reason", "192.0.2.8/29")
    pick = re.compile(r"^Nmap scan report for (\S+)\nHost is up, received ([a-z-]+)", re.M)
    assert sorted(pick.findall(mine.stdout)) == sorted(pick.findall(ref.stdout))
    assert len(pick.findall(ref.stdout)) == 2


def test_open_only(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    remote = tp_lab["remote"].addr()
    for spec, shown in ((SPEC, [target, remote]),  # remote has 80 open
                        ("20-25,135,8080", [target])):  # remote: nothing open, left out
        mine = ours(client, "scan", "--open", "-p", spec, target, remote)
        ref = nmap(client, "--open", "-p", spec, target, remote)
        reports = re.compile(r"^Nmap scan report for (\S+)", re.M)
        assert reports.findall(mine.stdout) == reports.findall(ref.stdout) == shown
        blocks = [re.split(r"^Nmap scan report for ", out, flags=re.M)[1:]
                  for out in (mine.stdout, ref.stdout)]
        for a, b in zip(*blocks, strict=True):
            assert table(a) == table(b)
        notes = re.compile(r"^Not shown: .*$", re.M)
        assert notes.findall(mine.stdout) == notes.findall(ref.stdout)
        mine = ours(client, "scan", "--open", "-p", spec, "-oG", "-", target, remote)
        ref = nmap(client, "--open", "-p", spec, "-oG", "-", target, remote)
        body = re.compile(r"^Host: .*$", re.M)
        assert body.findall(mine.stdout) == body.findall(ref.stdout)


def test_fast_ports_and_timing_templates(tp_lab: Any, tmp_path: Path) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    from tests.probe.test_lab import expand

    ref = nmap(client, "-F", "-oX", "-", target)
    root = ET.fromstring(ref.stdout)
    info = root.find("scaninfo")
    assert info is not None
    ports = expand(info.get("services", ""))
    assert len(ports) == 100
    mine = ours(client, "scan", "-F", "-oX", "-", target)
    mine_info = ET.fromstring(mine.stdout).find("scaninfo")
    assert mine_info is not None and expand(mine_info.get("services", "")) == ports
    assert nmap_states(mine.stdout, ports) == nmap_states(ref.stdout, ports)
    for t in ("-T5", "-T4", "-Tinsane"):
        mine = ours(client, "scan", t, "-p", SPEC, "-oX", "-", target)
        ref = nmap(client, t, "-p", SPEC, "-oX", "-", target)
        assert nmap_states(mine.stdout, expand(SPEC)) == nmap_states(ref.stdout, expand(SPEC))
    # -T2 (polite): one probe at a time, every 0.4 s; same answers
    mine = ours(client, "scan", "-T2", "-Pn", "-p", "22,23", "-oX", "-", target)
    ref = nmap(client, "-T2", "-Pn", "-p", "22,23", "-oX", "-", target)
    assert nmap_states(mine.stdout, [22, 23]) == nmap_states(ref.stdout, [22, 23]) \
        == {22: "open", 23: "closed"}


def test_sequential_order(tp_lab: Any) -> None:
    need("tcpdump")
    client, target = tp_lab["client"], tp_lab["target"].addr()

    def sent_ports(argv: list[str]) -> list[int]:
        dump = client.popen(["tcpdump", "-i", "any", "-n", "-l", "-Q", "out",
                             f"tcp[tcpflags] == tcp-syn and dst host {target}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert dump.stderr is not None
            for _ in range(5):  # "listening on ..." once the capture is live
                if "listening" in dump.stderr.readline():
                    break
            else:
                raise AssertionError("tcpdump did not start")
            client.exec(argv, timeout=120)
            time.sleep(0.3)
        finally:
            dump.terminate()
            out, _ = dump.communicate(timeout=5)
        return [int(p) for p in re.findall(rf"> {re.escape(target)}\.(\d+):", out)]

    spec = "1000-1039"
    for tool in ([*PAQUET, "scan"], ["nmap", "-n"]):
        if tool[0] == "nmap":
            need("nmap")
        in_order = sent_ports([*tool, "-r", "-Pn", "-p", spec, target])
        first = list(dict.fromkeys(in_order))  # first passes only, retries may repeat
        assert first == list(range(1000, 1040)), tool
    shuffled = sent_ports([*PAQUET, "scan", "-Pn", "-p", spec, target])
    assert sorted(set(shuffled)) == list(range(1000, 1040))
    assert list(dict.fromkeys(shuffled)) != list(range(1000, 1040))  # 1 in 40! by chance


def test_target_lists_and_exclusions(tp_lab: Any, tmp_path: Path) -> None:
    client = tp_lab["client"]
    listing = tmp_path / "targets.txt"
    listing.write_text("# the client's link and the target's\n192.0.2.8/29\n"
                       "203.0.113.16/29  203.0.113.138\n")
    skip = tmp_path / "skip.txt"
    skip.write_text("192.0.2.11\n")
    for flags in (["-iL", str(listing)],
                  ["-iL", str(listing), "--exclude", "203.0.113.20,192.0.2.8/30"],
                  ["-iL", str(listing), "--excludefile", str(skip)]):
        ref = nmap(client, "-sn", "-oG", "-", *flags)
        want = up_hosts_grepable(ref.stdout)
        for cmd in (["discover"], ["scan", "-sn"]):
            mine = ours(client, *cmd, "-oG", "-", *flags)
            assert up_hosts_grepable(mine.stdout) == want, (cmd, flags)
    # every target excluded: nothing scanned, as nmap
    mine = ours(client, "scan", "-p", "22", "--exclude", "203.0.113.20", "203.0.113.20")
    assert "0 IP addresses (0 hosts up)" in mine.stdout
    assert "No targets were specified" in mine.stderr


def test_verbose(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    found = re.compile(r"^Discovered open port .*$", re.M)
    mine = ours(client, "scan", "-v", "-p", SPEC, target)
    ref = nmap(client, "-v", "-p", SPEC, target)
    assert sorted(found.findall(mine.stdout)) == sorted(found.findall(ref.stdout))
    assert len(found.findall(mine.stdout)) == 4
    down = re.compile(r"^Nmap scan report for \S+ \[host down\]$", re.M)
    mine = ours(client, "discover", "-v", "192.0.2.8/29")
    ref = nmap(client, "-sn", "-v", "192.0.2.8/29")
    assert sorted(down.findall(mine.stdout)) == sorted(down.findall(ref.stdout))
    assert len(down.findall(mine.stdout)) == 6


def test_interface_and_output_files(tp_lab: Any, tmp_path: Path) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    from tests.probe.test_lab import expand

    mine = ours(client, "scan", "-e", "eth0", "-p", SPEC, "-oX", "-", target)
    ref = nmap(client, "-e", "eth0", "-p", SPEC, "-oX", "-", target)
    assert nmap_states(mine.stdout, expand(SPEC)) == nmap_states(ref.stdout, expand(SPEC))
    bad = ours(client, "scan", "-e", "nosuch0", "-p", "22", target)
    assert nmap(client, "-e", "nosuch0", "-p", "22", target).returncode != 0
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "nosuch0" in bad.stderr
    # -oA: the three files nmap writes, under the same names
    base = tmp_path / "ours"
    theirs = tmp_path / "theirs"
    ours(client, "scan", "-p", SPEC, "-oA", str(base), target)
    nmap(client, "-p", SPEC, "-oA", str(theirs), target)
    for ext in ("nmap", "gnmap", "xml"):
        assert (tmp_path / f"ours.{ext}").exists() and (tmp_path / f"theirs.{ext}").exists()
    assert nmap_states((tmp_path / "ours.xml").read_text(), expand(SPEC)) == \
        nmap_states((tmp_path / "theirs.xml").read_text(), expand(SPEC))
    body = re.compile(r"^Host: .*$", re.M)
    assert body.findall((tmp_path / "ours.gnmap").read_text()) == \
        body.findall((tmp_path / "theirs.gnmap").read_text())
    normal = [(tmp_path / f"{n}.nmap").read_text().splitlines() for n in ("ours", "theirs")]
    for lines in normal:  # a comment with the command first, one with the totals last
        assert re.match(r"# \w+ \S+ scan initiated .* as: ", lines[0])
        assert re.match(r"# \w+ done at .* -- 1 IP address \(1 host up\) scanned in", lines[-1])
    assert table("\n".join(normal[0])) == table("\n".join(normal[1]))
    # discover's files
    ours(client, "discover", "-oA", str(base), "192.0.2.8/29")
    nmap(client, "-sn", "-oA", str(theirs), "192.0.2.8/29")
    assert sorted(body.findall((tmp_path / "ours.gnmap").read_text())) == \
        sorted(body.findall((tmp_path / "theirs.gnmap").read_text()))

    def xml_up(path: Path) -> list[tuple[str, ...]]:
        root = ET.parse(path).getroot()
        return sorted(tuple(a.get("addr", "") for a in h.findall("address"))
                      for h in root.findall("host"))

    assert xml_up(tmp_path / "ours.xml") == xml_up(tmp_path / "theirs.xml")


def test_starting_line_comes_first(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    for cmd, ref_cmd in ((["scan", "-p", "22"], ["-p", "22"]), (["discover"], ["-sn"])):
        mine = ours(client, *cmd, target).stdout.splitlines()
        ref = nmap(client, *ref_cmd, target).stdout.splitlines()
        assert ref[0].startswith("Starting Nmap ") and mine[0].startswith("Starting paquet ")
        assert mine[1] == ref[1] == f"Nmap scan report for {target}"
