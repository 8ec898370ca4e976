"""The built-in tp lab, built once for the module: reachability, services, scans, sysctls.

Oracles are the system tools: ping, traceroute, nmap, tcpdump, sysctl, ethtool, ip.
"""

from __future__ import annotations

import itertools
import json
import queue
import re
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from lab_helpers import (
    http_get,
    netns_identity,
    raise_value_error,
    sleep_for,
    tcp_exchange,
    tcp_state,
    udp_exchange,
)

from paquet.cli.main import main
from paquet.errors import LabError
from paquet.lab import Lab, describe

pytestmark = pytest.mark.privileged

HOSTS = ["client", "neighbour", "server", "target", "remote"]


def test_every_host_pings_every_other_v4_and_v6(lab_tp: Lab) -> None:
    failures = []
    for src, dst in itertools.permutations(HOSTS, 2):
        for version in (4, 6):
            addr = lab_tp[dst].addr(version)
            proc = lab_tp[src].exec(["ping", "-c1", "-W1", addr])
            if proc.returncode != 0:
                failures.append(f"{src} -> {dst} {addr}")
    assert failures == []


def test_client_reaches_every_router_address(lab_tp: Lab) -> None:
    for router in ("gateway", "r1", "r2"):
        for addr in lab_tp[router].addresses:
            assert lab_tp["client"].exec(["ping", "-c1", "-W1", addr]).returncode == 0, addr


def test_tcp_from_every_host_to_the_tcp_servers(lab_tp: Lab) -> None:
    for dst in ("server", "remote"):
        for src in HOSTS:
            if src == dst:
                continue
            for version in (4, 6):
                payload = f"{src}->{dst} v{version}".encode()
                reply, source = lab_tp[src].run(tcp_exchange, lab_tp[dst].addr(version), 10000,
                                                payload)
                assert reply == payload
                assert source == lab_tp[src].addr(version)


def test_tcp_reaches_every_host(lab_tp: Lab) -> None:
    """A TCP SYN from every host to every other is answered: SYN-ACK (open) or RST (closed)."""
    for src, dst in itertools.permutations(HOSTS, 2):
        for version in (4, 6):
            state = lab_tp[src].run(tcp_state, lab_tp[dst].addr(version), 10000)
            expected = "open" if dst in ("server", "remote") else "closed"
            assert state == expected, (src, dst, version)


def test_udp_server_logs_and_echoes(lab_tp: Lab) -> None:
    server, client = lab_tp["server"], lab_tp["client"]
    server.clear_logs("udp:10000")
    reply, source = client.run(udp_exchange, server.addr(), 10000, b"miaou")
    assert reply == b"miaou"
    records = server.wait_logs("udp:10000", 1)
    assert [(r.event, r.src, r.data) for r in records] == [("recv", source, b"miaou")]
    assert records[0].text == "miaou"
    reply6, source6 = client.run(udp_exchange, server.addr(6), 10000, b"ipv6")
    assert reply6 == b"ipv6"
    assert server.wait_logs("udp:10000", 2)[-1].src == source6 == client.addr(6)


def test_tcp_server_logs_connect_data_close(lab_tp: Lab) -> None:
    server = lab_tp["server"]
    server.clear_logs("tcp:10000")
    lab_tp["neighbour"].run(tcp_exchange, server.addr(), 10000, b"Miaou")
    records = server.wait_logs("tcp:10000", 3)
    assert [r.event for r in records] == ["connect", "recv", "close"]
    assert records[1].data == b"Miaou"
    assert {r.src for r in records} == {lab_tp["neighbour"].addr()}
    assert server.received("tcp:10000") == [b"Miaou"]


def test_http_server(lab_tp: Lab) -> None:
    status, body = lab_tp["client"].run(http_get, f"http://{lab_tp['remote'].addr()}/")
    assert status == 200
    assert "paquet lab: remote" in body
    status6, _ = lab_tp["client"].run(http_get, f"http://[{lab_tp['server'].addr(6)}]/")
    assert status6 == 200
    request = lab_tp["remote"].wait_logs("http:80", 1)[-1]
    assert request.event == "request"
    assert request.text.startswith("GET / HTTP/1.1")


def test_traceroute_to_remote_shows_every_router(lab_tp: Lab) -> None:
    proc = lab_tp["client"].exec(["traceroute", "-n", "-q1", "-w1", lab_tp["remote"].addr()],
                                 check=True)
    hops = re.findall(r"^\s*\d+\s+(\S+)", proc.stdout, re.M)
    assert hops == ["192.0.2.254", "198.51.100.2", "198.51.100.6", "203.0.113.138"]


def test_nmap_sees_open_closed_and_filtered(lab_tp: Lab) -> None:
    target = lab_tp["target"].addr()
    proc = lab_tp["client"].exec(
        ["nmap", "-Pn", "-n", "-sT", "-p", "21,22,23,80,135,443,445,8080", "--max-retries", "1",
         "--max-rtt-timeout", "200ms", "-oG", "-", target],
        check=True, timeout=60,
    )
    ports = dict(re.findall(r"(\d+)/(open|closed|filtered)/tcp", proc.stdout))
    assert ports == {
        "21": "open", "22": "open", "80": "open", "443": "open",
        "23": "closed", "8080": "closed",
        "135": "filtered", "445": "filtered",
    }
    # The same answers as a plain connect() sees them.
    assert lab_tp["client"].run(tcp_state, target, 8080) == "closed"
    assert lab_tp["client"].run(tcp_state, target, 445) == "filtered"


def _sysctl(lab: Lab, node: str, key: str) -> str:
    return lab[node].exec(["sysctl", "-n", key], check=True).stdout.strip()


def test_sysctls(lab_tp: Lab) -> None:
    assert _sysctl(lab_tp, "gateway", "net.ipv4.ip_forward") == "1"
    assert _sysctl(lab_tp, "gateway", "net.ipv6.conf.all.forwarding") == "1"
    assert _sysctl(lab_tp, "client", "net.ipv4.ip_forward") == "0"
    assert _sysctl(lab_tp, "client", "net.ipv4.conf.all.rp_filter") == "0"
    assert _sysctl(lab_tp, "client", "net.ipv4.conf.eth0.rp_filter") == "0"
    assert _sysctl(lab_tp, "r1", "net.ipv4.icmp_ratelimit") == "0"
    assert _sysctl(lab_tp, "r1", "net.ipv6.icmp.ratelimit") == "0"
    assert _sysctl(lab_tp, "r1", "net.ipv4.fib_multipath_hash_policy") == "1"
    assert _sysctl(lab_tp, "r1", "net.ipv6.fib_multipath_hash_policy") == "1"


def test_offloads_off_and_captured_checksums_correct(lab_tp: Lab) -> None:
    features = lab_tp["client"].exec(["ethtool", "-k", "eth0"], check=True).stdout
    assert re.search(r"^tx-checksumming: off", features, re.M)
    client, server = lab_tp["client"], lab_tp["server"]
    cap = client.popen(["tcpdump", "-i", "eth0", "-n", "-vv", "-l", "-c", "2",
                        "udp", "port", "10000"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert cap.stderr is not None
        cap.stderr.readline()  # "tcpdump: listening on eth0 ..." once it captures
        deadline = time.monotonic() + 5
        out = ""
        while cap.poll() is None and time.monotonic() < deadline:
            client.run(udp_exchange, server.addr(), 10000, b"checksum", 0.2)
            time.sleep(0.05)
        out = cap.communicate(timeout=5)[0]
    finally:
        if cap.poll() is None:
            cap.kill()
            cap.communicate()
    assert "udp sum ok" in out
    assert "bad udp cksum" not in out


def test_stable_mac_addresses(lab_tp: Lab) -> None:
    links = json.loads(lab_tp["gateway"].exec(["ip", "-j", "link", "show"], check=True).stdout)
    macs = {link["ifname"]: link["address"] for link in links}
    assert macs["eth0"] == "02:00:00:00:03:00" == lab_tp["gateway"].interfaces[0].mac
    assert macs["eth2"] == "02:00:00:00:03:02"
    lab_tp["client"].exec(["ping", "-c1", "-W1", lab_tp["gateway"].addr()], check=True)
    neigh = lab_tp["client"].exec(["ip", "-j", "neigh", "show", lab_tp["gateway"].addr()],
                                  check=True).stdout
    assert json.loads(neigh)[0]["lladdr"] == "02:00:00:00:03:00"


def test_neighbour_is_on_the_client_lan(lab_tp: Lab) -> None:
    proc = lab_tp["neighbour"].exec(["ip", "-j", "route", "get", lab_tp["client"].addr()],
                                    check=True)
    route = json.loads(proc.stdout)[0]
    assert "gateway" not in route  # same LAN: delivered directly
    assert lab_tp["client"].iface("neighbour") == "eth0"


def test_run_executes_in_the_node_and_returns_or_raises(lab_tp: Lab) -> None:
    import os

    mine = os.stat("/proc/thread-self/ns/net").st_ino
    inode, names = lab_tp["gateway"].run(netns_identity)
    assert inode != mine
    assert names == ["lo", "eth0", "eth1", "eth2"]
    with pytest.raises(ValueError, match="from the node") as info:
        lab_tp["client"].run(raise_value_error, "from the node")
    note = info.value.__notes__[0]
    assert note.startswith(f"raised in namespace {lab_tp['client'].ns}:")
    assert "raise_value_error" in note
    with pytest.raises(LabError, match="picklable"):
        lab_tp["client"].run(lambda: 1)
    assert lab_tp["client"].run_for(5, sleep_for, 0.01) == "done"
    with pytest.raises(LabError, match=r"'sleep_for' in .* did not return within 0.2 s"):
        lab_tp["client"].run_for(0.2, sleep_for, 30)
    assert lab_tp["client"].exec(["true"]).returncode == 0


def test_interrupted_run_leaves_no_child(lab_tp: Lab) -> None:
    """An exception in the caller while it waits (a test timeout, Ctrl-C) kills the child."""
    import signal

    from paquet.lab.netns import pids_in_namespaces

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with pytest.raises(KeyboardInterrupt):
            lab_tp["neighbour"].run(sleep_for, 60)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert pids_in_namespaces([lab_tp["neighbour"].ns]) == []


def test_node_api(lab_tp: Lab) -> None:
    client = lab_tp["client"]
    assert client.ns.endswith("-client")
    assert client.addr() == "192.0.2.10"
    assert client.addr(6) == "2001:db8:0:1::a"
    assert client.addresses == ["192.0.2.10", "2001:db8:0:1::a"]
    assert lab_tp.node_of("203.0.113.138").name == "remote"
    assert [n.name for n in lab_tp.hosts] == HOSTS
    with pytest.raises(LabError, match="no node 'nobody'"):
        lab_tp["nobody"]
    with pytest.raises(LabError, match="no service 'udp:9'"):
        lab_tp["server"].logs("udp:9")
    with pytest.raises(LabError, match="exited with status 1"):
        client.exec(["false"], check=True)
    assert client.exec("ip -br addr show eth0").stdout.split()[2] == "192.0.2.10/24"


def test_attach_from_another_process_and_describe(lab_tp: Lab) -> None:
    code = (
        "import sys; from paquet.lab import Lab; lab = Lab.attach(sys.argv[1]); "
        "print(lab['server'].addr(), lab['client'].exec(['ping','-c1','-W1',"
        "lab['server'].addr()]).returncode)"
    )
    proc = subprocess.run([sys.executable, "-c", code, lab_tp.name], capture_output=True,
                          text=True, timeout=30, check=True)
    assert proc.stdout.split() == ["203.0.113.10", "0"]
    text = describe(lab_tp)
    assert "client" in text and "192.0.2.10/24" in text
    assert "udp:10000:echo" in text
    assert lab_tp.name in Lab.running()


def test_cli_exec_status_logs(lab_tp: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "exec", "--lab", lab_tp.name, "client", "--", "true"]) == 0
    assert main(["lab", "exec", "--lab", lab_tp.name, "client", "--", "sh", "-c", "exit 3"]) == 3
    assert main(["lab", "exec", "--lab", lab_tp.name, "nobody", "--", "true"]) == 2
    assert "no node 'nobody'" in capsys.readouterr().err
    assert main(["lab", "status", "--json"]) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    mine = next(r for r in rows if r["name"] == lab_tp.name)
    assert mine["up"] is True and mine["nodes"] == 8 and mine["service_processes"] == 3
    lab_tp["client"].run(udp_exchange, lab_tp["server"].addr(), 10000, b"cli", 0.5)
    assert main(["lab", "logs", "--lab", lab_tp.name, "server", "udp:10000", "--json"]) == 0
    assert "cli" in [r["text"] for r in json.loads(capsys.readouterr().out)]


def test_cli_shell_runs_inside_the_node(lab_tp: Lab) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "paquet", "lab", "shell", "--lab", lab_tp.name, "neighbour"],
        input="ip -br -4 addr show dev eth0\nexit 7\n", capture_output=True, text=True,
        timeout=30, env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SHELL": "/bin/bash"},
    )
    assert proc.returncode == 7
    assert "192.0.2.11/24" in proc.stdout


def test_cli_logs_follow(lab_tp: Lab) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "paquet", "lab", "logs", "--lab", lab_tp.name, "server",
         "udp:10000", "--follow", "--json"], stdout=subprocess.PIPE, text=True)
    # One reader thread takes every line: select() on a buffered pipe misses the lines that
    # readline() already pulled into Python's buffer (the earlier records arrive in one write).
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    def pump() -> None:
        for line in proc.stdout or ():
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        time.sleep(0.3)
        lab_tp["neighbour"].run(udp_exchange, lab_tp["server"].addr(), 10000, b"follow me", 0.2)
        deadline = time.monotonic() + 10
        seen = []
        while time.monotonic() < deadline:
            try:
                seen.append(json.loads(lines.get(timeout=0.5)))
            except queue.Empty:
                continue
            if seen[-1]["text"] == "follow me":
                break
        assert seen, "nothing followed"
        assert seen[-1] == {**seen[-1], "event": "recv", "src": lab_tp["neighbour"].addr(),
                            "data": b"follow me".hex()}
    finally:
        proc.kill()
        proc.wait()
        reader.join(5)


def test_service_nft_rules_present(lab_tp: Lab) -> None:
    rules = lab_tp["target"].exec(["nft", "list", "ruleset"], check=True).stdout
    assert f"table inet pq_{lab_tp.name}" in rules
    assert "tcp dport 445" in rules
    assert lab_tp["client"].exec(["nft", "list", "ruleset"], check=True).stdout.strip() == ""


def test_checks_pass_on_tp_and_see_a_broken_service(lab_tp: Lab,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from paquet.lab.check import run_checks, summary

    checks = run_checks(lab_tp)
    assert all(c.ok for c in checks), summary(checks)
    names = [c.name for c in checks]
    assert len([n for n in names if n.startswith("ping ")]) == 5 * 4 * 2
    assert "udp server 203.0.113.10 port 10000 from client" in names
    assert "http remote 2001:db8:0:5::a port 80 from client" in names
    assert main(["lab", "check", lab_tp.name, "--no-ping", "--json"]) == 0
    assert all(c["ok"] for c in json.loads(capsys.readouterr().out))
    # Block the server's UDP port: the check must see it.
    server = lab_tp["server"]
    server.exec(["nft", "add", "table", "inet", "probe_block"], check=True)
    try:
        server.exec(["nft", "add", "chain", "inet", "probe_block", "in",
                     "{ type filter hook input priority -10; }"], check=True)
        server.exec(["nft", "add", "rule", "inet", "probe_block", "in", "udp", "dport", "10000",
                     "drop"], check=True)
        failed = [c for c in run_checks(lab_tp, ping=False) if not c.ok]
        assert [c.name for c in failed] == [
            "udp server 203.0.113.10 port 10000 from client",
            "udp server 2001:db8:0:2::a port 10000 from client",
        ]
        assert main(["lab", "check", lab_tp.name, "--no-ping"]) == 1
        assert "FAIL" in capsys.readouterr().out
    finally:
        server.exec(["nft", "delete", "table", "inet", "probe_block"])
