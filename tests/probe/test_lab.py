"""The tools against the lab, with nmap, traceroute, ping and tcpdump as oracles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.privileged

PAQUET = [sys.executable, "-m", "paquet"]


def need(tool: str) -> None:
    """Skip unless the reference tool is installed."""
    if shutil.which(tool) is None:
        pytest.skip(f"needs {tool}")


# -- run inside a lab node (module-level: picklable) -------------------------------------------


def _scan(target: str, ports: str, method: str | None = None, **kw: Any) -> dict[int, str]:
    from paquet.probe.scan import scan

    result = scan(target, ports, method=method, **kw)
    return {p.port: p.state for p in result.hosts[0].ports}


def _scan_both_paths(target: str, ports: str, **kw: Any) -> tuple[dict[int, str], ...]:
    """The same scan with the C probe loop (when built) and with the Python one."""
    from paquet.probe import burst

    with_c = _scan(target, ports, **kw)
    burst._burst = None
    burst.ENABLED = False
    return with_c, _scan(target, ports, **kw)


def _scan_stats(target: str, ports: str) -> tuple[dict[int, str], float]:
    from paquet.probe.scan import scan

    # 36 % of probes lost: 20 attempts leave 2001 * 0.36**20 = 2e-6 answerable ports unanswered
    result = scan(target, ports, max_retries=20)
    assert result.stats is not None
    return {p.port: p.state for p in result.hosts[0].ports}, result.stats.expected_errors


def _interrupted_then_resumed(target: str, ports: str, state: str) -> dict[int, str]:
    from paquet.probe.scan import scan

    seen = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if done > total // 3:
            raise KeyboardInterrupt

    try:
        scan(target, ports, state_file=state, progress=stop, max_rate=20_000)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the scan was not interrupted")
    saved = json.loads(Path(state).read_text())
    assert 0 < saved["position"] < len(saved["ports"])
    result = scan([], None, state_file=state, resume=True)
    return {p.port: p.state for p in result.hosts[0].ports}


def _sharded(target: str, ports: str, n: int) -> list[dict[int, str]]:
    from paquet.probe.scan import scan

    out = []
    for i in range(1, n + 1):
        r = scan(target, ports, shard=(i, n))
        out.append({p.port: p.state for p in r.hosts[0].ports})
    return out


def _discover(cidr: str) -> list[str]:
    from paquet.probe.discover import discover

    return discover(cidr).addresses


def _trace(target: str, **kw: Any) -> list[list[str]]:
    from paquet.probe.trace import trace

    return [h.addresses for h in trace(target, **kw).hops]


def _ping(target: str, count: int, interval: float) -> dict[str, Any]:
    from paquet.probe.ping import ping

    r = ping(target, count, interval=interval, timeout=1.0)
    return {"transmitted": r.transmitted, "received": r.received, "loss": r.loss,
            "summary": r.summary(), "lines": [e.line() for e in r.events],
            "seqs": sorted(e.seq for e in r.events if e.kind == "reply" and not e.duplicate)}


def _course(target: str, far: str) -> tuple[list[int], list[str]]:
    import contextlib
    import io

    from paquet.probe.course import testport, tracerouteperso

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        hops = tracerouteperso(far)
    assert out.getvalue().split() == hops
    return testport(target), hops


# -- nmap's XML ---------------------------------------------------------------------------------


def nmap_states(xml: str, ports: list[int]) -> dict[int, str]:
    """Every scanned port's state from nmap's XML (listed ports, the rest from extraports)."""
    root = ET.fromstring(xml)
    host = root.find("host")
    assert host is not None, "nmap found the host down"
    listed = {int(p.get("portid", "0")): p.find("state").get("state")  # type: ignore[union-attr]
              for p in host.findall("ports/port")}
    extra = host.find("ports/extraports")
    default = extra.get("state") if extra is not None else None
    return {p: listed.get(p) or str(default) for p in ports}


def expand(spec: str) -> list[int]:
    from paquet.probe.targets import parse_ports

    return parse_ports(spec)


# -- tests ---------------------------------------------------------------------------------------


def test_syn_scan_states_equal_nmap(tp_lab: Any) -> None:
    need("nmap")
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "1-1100,3389,8080,10000"
    ours = client.run(_scan, target, spec)
    ref = client.exec(["nmap", "-sS", "-n", "-p", spec, "-oX", "-", target], check=True).stdout
    assert ours == nmap_states(ref, expand(spec))
    assert [p for p, s in ours.items() if s == "open"] == [21, 22, 80, 443]
    assert {ours[135], ours[8080]} == {"filtered", "closed"}


def test_c_probe_loop_gives_the_python_loops_states(tp_lab: Any, lossy_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    for addr in (target, tp_lab["target"].addr(6)):
        with_c, pure = client.run(_scan_both_paths, addr, "1-4000,8080,10000")
        assert with_c == pure
        assert [p for p, s in with_c.items() if s == "open"] == [21, 22, 80, 443]
    client, remote = lossy_lab["client"], lossy_lab["remote"].addr()
    with_c, pure = client.run(_scan_both_paths, remote, "1-2000,10000", max_retries=20)
    assert with_c == pure and [p for p, s in pure.items() if s == "open"] == [80, 10000]


def test_syn_scan_ipv6_equal_nmap(tp_lab: Any) -> None:
    need("nmap")
    client, target = tp_lab["client"], tp_lab["target"].addr(6)
    spec = "20-25,80,135,443,445,8080"
    ours = client.run(_scan, target, spec)
    ref = client.exec(["nmap", "-6", "-sS", "-n", "-p", spec, "-oX", "-", target],
                      check=True).stdout
    assert ours == nmap_states(ref, expand(spec))


def test_udp_scan_states_equal_nmap(tp_lab: Any) -> None:
    need("nmap")
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "53,123,137,161,500,514,10000"
    ours = client.run(_scan, target, spec, "udp")
    ref = client.exec(["nmap", "-sU", "-n", "-p", spec, "-oX", "-", target], check=True).stdout
    assert ours == nmap_states(ref, expand(spec))
    assert {ours[161], ours[514]} == {"open|filtered", "closed"}
    # the lab's UDP echo server ignores an empty datagram (nmap has no payload for 10000)
    server = tp_lab["server"].addr()
    ours = client.run(_scan, server, "10000,10001", "udp")
    ref = client.exec(["nmap", "-sU", "-n", "-p", "10000,10001", "-oX", "-", server],
                      check=True).stdout
    assert ours == nmap_states(ref, [10000, 10001]) == {10000: "open|filtered", 10001: "closed"}


def test_ack_scan_states_equal_nmap(tp_lab: Any) -> None:
    need("nmap")
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "20-25,80,135,139,443,8080"
    ours = client.run(_scan, target, spec, "ack")
    ref = client.exec(["nmap", "-sA", "-n", "-p", spec, "-oX", "-", target], check=True).stdout
    assert ours == nmap_states(ref, expand(spec))
    assert ours[22] == "unfiltered" and ours[135] == "filtered"


def test_connect_scan_states_equal_nmap(tp_lab: Any) -> None:
    need("nmap")
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "20-25,80,443,8080"
    ours = client.run(_scan, target, spec, "connect")
    ref = client.exec(["nmap", "-sT", "-n", "-p", spec, "-oX", "-", target], check=True).stdout
    assert ours == nmap_states(ref, expand(spec))


def test_scan_on_a_lossy_link_stays_exact(lossy_lab: Any) -> None:
    # 20 % loss each way between gateway and r1: 36 % of probes to `remote` go unanswered.
    client, remote = lossy_lab["client"], lossy_lab["remote"].addr()
    states, expected_errors = client.run(_scan_stats, remote, "1-2000,10000")
    assert [p for p, s in states.items() if s == "open"] == [80, 10000]
    assert set(states.values()) == {"open", "closed"}
    assert expected_errors < 0.001


def test_shards_merge_into_the_full_scan(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "1-600"
    full = client.run(_scan, target, spec)
    parts = client.run(_sharded, target, spec, 3)
    assert all(parts) and sum(len(p) for p in parts) == len(full)
    merged: dict[int, str] = {}
    for p in parts:
        assert not set(p) & set(merged)
        merged.update(p)
    assert merged == full


def test_interrupted_scan_resumes_from_its_state_file(tp_lab: Any, tmp_path: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "1-3000"
    full = client.run(_scan, target, spec)
    resumed = client.run(_interrupted_then_resumed, target, spec, str(tmp_path / "s.json"))
    assert resumed == full


def test_discover_finds_what_nmap_sn_finds(tp_lab: Any) -> None:
    need("nmap")
    client = tp_lab["client"]
    for cidr in ("192.0.2.0/24", "203.0.113.0/26", "203.0.113.128/26"):
        ours = client.run(_discover, cidr)
        ref = client.exec(["nmap", "-sn", "-n", "-oG", "-", cidr], check=True).stdout
        theirs = re.findall(r"^Host: (\S+) .*Status: Up", ref, re.M)
        assert sorted(ours) == sorted(theirs), cidr


def _traceroute_hops(out: str) -> list[list[str]]:
    hops = []
    for line in out.splitlines()[1:]:
        hops.append(re.findall(r"(\d+\.\d+\.\d+\.\d+|[0-9a-f:]+:[0-9a-f:]+)(?=\s)", line + " "))
    return hops


def test_trace_hops_equal_traceroute_with_a_silent_router(silent_chain_lab: Any) -> None:
    need("traceroute")
    client, server = silent_chain_lab["client"], silent_chain_lab["server"].addr()
    for ours_kw, flags in (({}, []), ({"method": "icmp"}, ["-I"]),
                           ({"method": "tcp", "port": 10000}, ["-T", "-p", "10000"])):
        ours = client.run(_trace, server, **ours_kw)
        ref = client.exec(["traceroute", "-n", *flags, server], check=True).stdout
        assert ours == _traceroute_hops(ref), flags
        assert len(ours) == 5 and ours[1] == [] and ours[-1] == [server]


def test_paris_keeps_one_path_where_classic_draws_false_links(ecmp_lab: Any) -> None:
    need("traceroute")
    client, server = ecmp_lab["client"], ecmp_lab["server"].addr()
    paths = set()
    for port in range(33434, 33446):  # 12 flows: all on one path with probability 2**-11
        hops = client.run(_trace, server, port=port, queries=4)
        assert all(len(h) == 1 for h in hops), hops  # one consistent path per flow
        paths.add(tuple(h[0] for h in hops))
    assert len(paths) == 2  # and the flows do use both paths
    # classic: ports vary per probe, so probes of one hop take both paths (all 10 on one path:
    # 2**-9; three tries make a false failure a one-in-10**8 event)
    for _ in range(3):
        classic = client.run(_trace, server, paris=False, queries=10)
        if any(len(h) > 1 for h in classic):
            break
    else:
        raise AssertionError(f"classic mode kept one path: {classic}")
    for _ in range(3):  # traceroute (classic) draws the same false links
        ref = client.exec(["traceroute", "-n", "-q", "10", server], check=True).stdout
        if any(len(set(h)) > 1 for h in _traceroute_hops(ref)):
            break
    else:
        raise AssertionError(f"traceroute kept one path: {ref}")


def test_ping_counts_loss_right(lossy_lab: Any) -> None:
    need("tcpdump")
    client, remote = lossy_lab["client"], lossy_lab["remote"].addr()
    dump = client.popen(["tcpdump", "-i", "any", "-n", "-l", "-Q", "in",
                         f"icmp[icmptype] == icmp-echoreply and src host {remote}"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert dump.stderr is not None
        for _ in range(5):  # tcpdump says "listening on ..." once the capture is live
            if "listening" in dump.stderr.readline():
                break
        else:
            raise AssertionError("tcpdump did not start")
        got = client.run(_ping, remote, 60, 0.01)
        time.sleep(0.3)
    finally:
        dump.terminate()
        out, _ = dump.communicate(timeout=5)
    captured = sorted(int(m) for m in re.findall(r"seq (\d+)", out))
    assert got["transmitted"] == 60
    assert got["seqs"] == captured  # every reply that arrived counted, and only those
    assert got["received"] == len(captured) < 60
    assert got["loss"] == pytest.approx((60 - len(captured)) * 100 / 60)


def test_ping_output_has_iputils_form(tp_lab: Any) -> None:
    client, remote = tp_lab["client"], tp_lab["remote"].addr()
    ours = client.exec([*PAQUET, "ping", "-c", "3", "-i", "0.05", remote], check=True).stdout
    ref = client.exec(["ping", "-c", "3", "-i", "0.05", remote], check=True).stdout

    def shape(text: str) -> list[str]:
        text = re.sub(r"\d+\.\d+", "F", text)
        return [ln for ln in re.sub(r"\d+", "N", text).splitlines() if ln]

    assert shape(ours) == shape(ref)
    assert "rtt min/avg/max/mdev = " in ours
    lost = client.exec([*PAQUET, "ping", "-c", "2", "-i", "0.05", "-W", "0.3", "203.0.113.50"])
    assert lost.returncode == 1 and "2 packets transmitted, 0 received" in lost.stdout
    ttl = client.exec([*PAQUET, "ping", "-c", "1", "-t", "2", remote])
    assert ttl.returncode == 1 and "Time to live exceeded" in ttl.stdout


def test_cli_scan_outputs(tp_lab: Any, tmp_path: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    xml = tmp_path / "s.xml"
    run = client.exec([*PAQUET, "scan", target, "-p", "1-100", "-oX", str(xml), "-oG", "-"],
                      check=True)
    assert f"Host: {target} ()\tPorts: 21/open/tcp//ftp///, 22/open/tcp//ssh///" in run.stdout
    assert nmap_states(xml.read_text(), list(range(1, 101)))[80] == "open"
    js = json.loads(client.exec([*PAQUET, "scan", target, "-p", "20-30", "--json"],
                                check=True).stdout)
    assert [p["port"] for p in js["hosts"][0]["ports"] if p["state"] == "open"] == [21, 22]
    nd = client.exec([*PAQUET, "scan", target, "-p", "135,139", "--ndjson"], check=True).stdout
    lines = [json.loads(x) for x in nd.splitlines()]
    assert [x["state"] for x in lines if x["type"] == "port"] == ["filtered", "filtered"]
    down = client.exec([*PAQUET, "scan", "203.0.113.50", "-p", "80"])
    assert down.returncode == 1 and "Host seems down" in down.stdout
    human = client.exec([*PAQUET, "scan", target, "--top-ports", "100"], check=True).stdout
    assert "Not shown: " in human and "445/tcp filtered microsoft-ds" in human


def test_course_functions(tp_lab: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    remote = tp_lab["remote"].addr()
    ports, hops = client.run(_course, target, remote)
    assert ports == [21, 22, 80, 443]
    assert hops[-1] == remote and len(hops) == 4


def test_without_cap_net_raw(tp_lab: Any) -> None:
    """Without CAP_NET_RAW: ping on the kernel's ICMP sockets, scan by connect, clear errors."""
    need("setpriv")
    client, remote, target = tp_lab["client"], tp_lab["remote"].addr(), tp_lab["target"].addr()
    drop = ["setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw", *PAQUET]
    client.exec(["sysctl", "-qw", "net.ipv4.ping_group_range=1 0"], check=True)
    refused = client.exec([*drop, "ping", "-c", "1", remote])
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("paquet: error: ") and "ping_group_range" in refused.stderr
    client.exec(["sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"], check=True)
    try:
        ok = client.exec([*drop, "ping", "-c", "2", "-i", "0.05", remote])
        assert ok.returncode == 0 and "2 received" in ok.stdout
        ttl = client.exec([*drop, "ping", "-c", "1", "-t", "2", remote])
        assert ttl.returncode == 1 and "Time to live exceeded" in ttl.stdout  # error queue
    finally:
        client.exec(["sysctl", "-qw", "net.ipv4.ping_group_range=1 0"], check=True)
    js = json.loads(client.exec([*drop, "scan", target, "-p", "20-25,80,8080", "--json"],
                                check=True).stdout)
    assert js["kind"] == "connect"
    states = {p["port"]: p["state"] for p in js["hosts"][0]["ports"]}
    assert states == client.run(_scan, target, "20-25,80,8080")
    syn = client.exec([*drop, "scan", "-sS", target, "-p", "80"])
    assert syn.returncode == 2 and "CAP_NET_RAW" in syn.stderr
    # UDP trace works as traceroute does without root (IP_RECVERR); ICMP/TCP probes need raw
    trace = client.exec([*drop, "trace", "-n", remote], check=True).stdout
    assert _traceroute_hops(trace) == _traceroute_hops(
        client.exec(["traceroute", "-n", remote], check=True).stdout)
    icmp = client.exec([*drop, "trace", "-I", target])
    assert icmp.returncode == 2 and icmp.stderr.count("\n") == 1 and "raw" in icmp.stderr


def test_trace_and_discover_json(tp_lab: Any) -> None:
    client, remote = tp_lab["client"], tp_lab["remote"].addr()
    js = json.loads(client.exec([*PAQUET, "trace", "-n", "--json", "-q", "2", remote],
                                check=True).stdout)
    assert js["reached"] and js["paris"] and js["method"] == "udp"
    assert [h["ttl"] for h in js["hops"]] == [1, 2, 3, 4]
    assert js["hops"][-1]["addresses"] == [remote] and len(js["hops"][0]["probes"]) == 2
    unreached = client.exec([*PAQUET, "trace", "-n", "-m", "2", remote])
    assert unreached.returncode == 1 and len(unreached.stdout.splitlines()) == 3
    js = json.loads(client.exec([*PAQUET, "discover", "--json", "192.0.2.0/28"],
                                check=True).stdout)
    assert {h["address"] for h in js["hosts"]} == {"192.0.2.10", "192.0.2.11"}
    assert js["scanned"] == 16
    neighbour = next(h for h in js["hosts"] if h["address"] == "192.0.2.11")
    assert neighbour["reason"] == "arp-response" and neighbour["mac"]


def test_shard_state_files_merge_on_the_command_line(tp_lab: Any, tmp_path: Any) -> None:
    client, target = tp_lab["client"], tp_lab["target"].addr()
    spec = "1-700,8080"
    states = [str(tmp_path / f"s{i}.json") for i in (1, 2, 3)]
    for i, path in enumerate(states, 1):
        client.exec([*PAQUET, "scan", target, "-p", spec, "--shard", f"{i}/3", "--state", path,
                     "--json"], check=True)
    partial = client.exec([*PAQUET, "scan", "--merge", *states[:2]])
    assert partial.returncode == 2 and "incomplete" in partial.stderr
    merged = client.exec([*PAQUET, "scan", "--merge", *states, "-oX", "-"], check=True).stdout
    assert nmap_states(merged, expand(spec)) == client.run(_scan, target, spec)
