"""Are paquet's tools as right as nmap, traceroute and ping, and faster? One run on the lab.

Each section runs paquet and its peer from the lab's client node, prints both answers, whether
they agree, and the time ratio (peer / paquet: above 1 means paquet is faster). The clean full
scan is timed as the best of three runs of each tool (the machine may be shared). Times are the
wall-clock times of the commands as a user runs them (``paquet ...`` vs ``nmap ...``), so
paquet's Python start-up is included; the library call's own time is printed too.

1. SYN scan of all 65,536 ports of a host five routers away with five open ports
   (``benchmarks/tools_far.toml``) vs ``nmap -sS -p0-65535 -T4``: same state for every port.
2. The same with 5 % random loss each way on one link (``tools_far_lossy.toml``). nmap slows
   down a lot there (several minutes); ``--fast`` skips nmap's run and checks paquet's states
   against the clean run's instead.
3. UDP scan of the ``tp`` lab's target vs ``nmap -sU`` (nmap's top 100 UDP ports and 10000).
4. Trace through eight routers, the third silent (``chain8_silent.toml``), vs ``traceroute -n``.
5. ECMP (built-in ``ecmp``): Paris mode gives one path per flow; classic traceroute false links.
6. Ping: the RTT summary next to iputils ``ping`` on the same link, and loss on the ``lossy`` lab.
7. The engine's raw sending rate (the SYN probes of a full scan, built and sent by
   ``paquet.probe._burst``, and the whole engine's first pass) against the limit a plain C
   ``sendmmsg`` loop reaches on the same veth in the same run (compiled here with gcc), towards
   an address whose frames the next hop drops unread.
8. Host sweep of every IPv4 documentation address (``sweep.toml``: 192.0.2.0/24,
   198.51.100.0/24 and 203.0.113.0/24, 768 addresses, a quarter up; documentation space holds
   no /16) with ``paquet discover`` vs ``nmap -sn`` and ``masscan --ping``: same hosts, times.
9. Start-up: when the first probe of ``paquet trace`` and ``paquet ping`` leaves (tcpdump's
   stamp) after the command starts, as ``python -m paquet`` and as the installed console
   script runs it, next to traceroute and iputils ping, and the modules ``paquet trace``
   imports (``python -X importtime``).

Section 1 also runs masscan (``--rate 1000000``) on the far target: open ports and time.

Needs root, nmap, masscan, traceroute, iputils ping, tcpdump and gcc. Usage:
``python benchmarks/tools.py [--fast] [--only=9]`` (``--only`` takes section numbers: ``7,9``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from paquet.lab import Lab

HERE = Path(__file__).parent
PAQUET = [sys.executable, "-m", "paquet"]
CONSOLE_SCRIPT = "import sys; from paquet.cli.main import run; sys.argv[0] = 'paquet'; run()"
"""What pip's ``paquet`` console script does once Python has started (``runpy`` is not
imported, as it is for ``-m``): run this way when the script itself is not installed."""


def console_script() -> list[str]:
    """The installed ``paquet`` command beside this interpreter (what users type), or the
    interpreter running what it runs."""
    installed = Path(sys.executable).with_name("paquet")
    return [str(installed)] if installed.exists() else [sys.executable, "-c", CONSOLE_SCRIPT]
FAST = "--fast" in sys.argv[1:]


def timed(node: Any, argv: list[str], timeout: float = 3600) -> tuple[str, float]:
    """Run ``argv`` in ``node``; (stdout, wall seconds)."""
    t0 = time.perf_counter()
    proc = node.exec(argv, timeout=timeout)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout, elapsed


def states_from_xml(xml: str, ports: list[int]) -> dict[int, str]:
    """Every port's state from an nmap-format XML document (paquet's or nmap's)."""
    root = ET.fromstring(xml)
    host = root.find("host")
    if host is None or host.find("status") is None:
        raise SystemExit("no host in the XML output")
    listed = {int(p.get("portid", "0")): str(p.find("state").get("state"))  # type: ignore[union-attr]
              for p in host.findall("ports/port")}
    extra = host.find("ports/extraports")
    default = str(extra.get("state")) if extra is not None else "?"
    return {p: listed.get(p, default) for p in ports}


def compare(ours: dict[int, str], theirs: dict[int, str]) -> str:
    diff = [p for p in ours if ours[p] != theirs.get(p)]
    if not diff:
        return f"same state for all {len(ours)} ports"
    sample = ", ".join(f"{p}: {ours[p]} vs {theirs.get(p)}" for p in diff[:5])
    return f"DIFFERENT on {len(diff)} ports ({sample})"


def summary(states: dict[int, str]) -> str:
    counts: dict[str, int] = {}
    for s in states.values():
        counts[s] = counts.get(s, 0) + 1
    opened = [p for p, s in states.items() if s == "open"]
    return ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + f"; open: {opened}"


def section(title: str) -> None:
    print(f"\n== {title}")


def scan_pair(lab_file: str, label: str, run_nmap: bool,
              truth: dict[int, str] | None = None, repeat: int = 1) -> dict[int, str]:
    ports = list(range(65536))
    with Lab.up(HERE / lab_file, name=f"bench_{label}") as lab:
        client, target = lab["client"], lab["target"].addr()
        with tempfile.TemporaryDirectory() as tmp:
            ours_xml = os.path.join(tmp, "paquet.xml")
            t_ours = float("inf")
            for _ in range(repeat):  # the best of `repeat` runs (the machine is shared)
                out_i, t_i = timed(client, [*PAQUET, "scan", target, "-p", "0-65535", "-oX",
                                            ours_xml])
                if t_i < t_ours:
                    out, t_ours = out_i, t_i
            ours = states_from_xml(Path(ours_xml).read_text(), ports)
        probes = re.search(r"^Probes: .*$", out, re.M)
        inside = re.search(r"scanned in ([\d.]+) seconds", out)
        print(f"paquet scan -p 0-65535 -oX: {t_ours:.2f} s ({summary(ours)})")
        print(f"  {probes.group(0) if probes else '?'}; "
              f"{inside.group(1) if inside else '?'} s inside the command")
        if run_nmap:
            t_nmap = float("inf")
            for _ in range(repeat):
                xml_i, t_i = timed(client, ["nmap", "-sS", "-p0-65535", "-T4", "-n", "-oX",
                                            "-", target])
                if t_i < t_nmap:
                    xml, t_nmap = xml_i, t_i
            theirs = states_from_xml(xml, ports)
            print(f"nmap -sS -p0-65535 -T4: {t_nmap:.2f} s ({summary(theirs)})")
            print(f"  {compare(ours, theirs)}; time ratio nmap/paquet = {t_nmap / t_ours:.2f} "
                  f"(goal: at least 2)")
            masscan_far(client, target, ours, t_ours, repeat)
            return theirs
        if truth is not None:
            print(f"  (nmap skipped: --fast) against the clean run's nmap states: "
                  f"{compare(ours, truth)}")
        return ours


def masscan_far(client: Any, target: str, ours: dict[int, str], t_ours: float,
                repeat: int) -> None:
    """masscan on the same target: it reports open ports only (and waits ``--wait`` seconds
    for late answers: 1 here)."""
    if shutil.which("masscan") is None:
        print("masscan: not installed")
        return
    from paquet.errors import LabError

    t_best = float("inf")
    out = ""
    limit = 120.0
    for _ in range(repeat):
        try:
            out_i, t_i = timed(client, ["masscan", "-p0-65535", "--rate", "1000000", "--wait",
                                        "1", "-oL", "-", target], timeout=limit)
        except LabError:  # seen here: masscan 1.3.2 never ends a full range on a veth lab
            print(f"masscan -p0-65535 --rate 1000000 --wait 1: did not finish in {limit:.0f} s "
                  f"(paquet: {t_ours:.2f} s)")
            return
        if t_i < t_best:
            out, t_best = out_i, t_i
    opened = sorted(int(p) for p in re.findall(r"^open tcp (\d+) ", out, re.M))
    mine = [p for p, st in ours.items() if st == "open"]
    same = "same open ports" if opened == mine else f"DIFFERENT open ports: {opened} vs {mine}"
    print(f"masscan -p0-65535 --rate 1000000 --wait 1: {t_best:.2f} s (open: {opened})")
    print(f"  {same}; time ratio masscan/paquet = {t_best / t_ours:.2f}")


def udp_scan() -> None:
    with Lab.up("tp", name="bench_udp") as lab:
        client, target = lab["client"], lab["target"].addr()
        from paquet.probe.services import top_ports

        ports = sorted({*top_ports(100, "udp"), 10000})
        spec = ",".join(map(str, ports))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "u.xml")
            _, t_ours = timed(client, [*PAQUET, "scan", "-sU", target, "-p", spec, "-oX", path])
            ours = states_from_xml(Path(path).read_text(), ports)
        xml, t_nmap = timed(client, ["nmap", "-sU", "-n", "-p", spec, "-oX", "-", target])
        theirs = states_from_xml(xml, ports)
        print(f"paquet scan -sU ({len(ports)} ports): {t_ours:.2f} s ({summary(ours)})")
        print(f"nmap -sU: {t_nmap:.2f} s")
        print(f"  {compare(ours, theirs)}; time ratio nmap/paquet = {t_nmap / t_ours:.2f}")


def hops_of(text: str) -> list[list[str]]:
    return [re.findall(r"(\d+\.\d+\.\d+\.\d+)(?=\s)", line + " ")
            for line in text.splitlines()[1:]]


def trace_chain() -> None:
    with Lab.up(HERE / "chain8_silent.toml", name="bench_chain") as lab:
        client, server = lab["client"], lab["server"].addr()
        ours_text, t_ours = timed(client, [*PAQUET, "trace", "-n", server])
        js = json.loads(client.exec([*PAQUET, "trace", "-n", "--json", server]).stdout)
        ref_text, t_ref = timed(client, ["traceroute", "-n", server])
        ours, ref = hops_of(ours_text), hops_of(ref_text)
        print(ours_text.rstrip())
        print(f"paquet trace: {t_ours * 1000:.0f} ms (library {js['elapsed'] * 1000:.1f} ms); "
              f"traceroute -n: {t_ref * 1000:.0f} ms")
        verdict = "same hops" if ours == ref else f"DIFFERENT hops: {ours} vs {ref}"
        print(f"  {verdict} ({len(ours)} hops, silent: "
              f"{[i + 1 for i, h in enumerate(ours) if not h]}); "
              f"time ratio traceroute/paquet = {t_ref / t_ours:.2f} "
              f"(library: {t_ref / js['elapsed']:.2f})")


def ecmp() -> None:
    with Lab.up("ecmp", name="bench_ecmp") as lab:
        client, server = lab["client"], lab["server"].addr()
        flows = range(33434, 33444)
        paris_changed = classic_changed = trad_changed = 0
        paths = set()
        for port in flows:
            js = json.loads(client.exec([*PAQUET, "trace", "-n", "-q", "6", "-p", str(port),
                                         "--json", server]).stdout)
            paris_changed += sum(1 for h in js["hops"] if h["changed"])
            paths.add(tuple(h["addresses"][0] for h in js["hops"] if h["addresses"]))
            js = json.loads(client.exec([*PAQUET, "trace", "-n", "-q", "6", "-p", str(port),
                                         "--classic", "--json", server]).stdout)
            classic_changed += sum(1 for h in js["hops"] if h["changed"])
            out = client.exec(["traceroute", "-n", "-q", "6", "-p", str(port), server]).stdout
            trad_changed += sum(1 for h in hops_of(out) if len(set(h)) > 1)
        print(f"{len(flows)} flows x 6 probes per hop through two equal-cost paths:")
        print(f"  paquet trace (Paris): {paris_changed} hops with several addresses; "
              f"{len(paths)} distinct paths over the flows (one per flow)")
        print(f"  paquet trace --classic: {classic_changed} hops with several addresses "
              "(false links)")
        print(f"  traceroute -n: {trad_changed} hops with several addresses (false links)")


def ping_rtt() -> None:
    with Lab.up(HERE / "tools_far.toml", name="bench_ping") as lab:
        client, target = lab["client"], lab["target"].addr()
        argv = ["-c", "50", "-i", "0.01", "-q", target]
        ours, _ = timed(client, [*PAQUET, "ping", *argv])
        ref, _ = timed(client, ["ping", *argv])
        get = re.compile(r"= ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms")
        a, b = get.search(ours), get.search(ref)
        print("paquet:", ours.strip().splitlines()[-1])
        print("iputils:", ref.strip().splitlines()[-1])
        if a and b:
            d = [abs(float(x) - float(y)) for x, y in zip(a.groups(), b.groups(), strict=True)]
            print(f"  differences min/avg/max/mdev: {'/'.join(f'{x:.3f}' for x in d)} ms "
                  f"({'within' if d[1] <= 0.1 else 'NOT within'} 0.1 ms on the average)")
    with Lab.up("lossy", name="bench_lossy") as lab:
        client, remote = lab["client"], lab["remote"].addr()
        argv = ["-c", "200", "-i", "0.005", "-W", "0.5", "-q", remote]
        ours, _ = timed(client, [*PAQUET, "ping", *argv])
        ref, _ = timed(client, ["ping", *argv])
        loss = re.compile(r"(\d+) packets transmitted, (\d+) received.*?([\d.]+)% packet loss")
        print("lossy lab (20 % each way on one link, ~36 % expected):")
        for name, text in (("paquet", ours), ("iputils", ref)):
            m = loss.search(text)
            print(f"  {name}: {m.group(0) if m else text.strip()}")


# -- 7. raw sending rate ------------------------------------------------------------------------

C_LOOP = r"""
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* argv: packet (hex), destination, count. Sends the packet count times, 64 per sendmmsg. */
int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW), one = 1, buf = 4 << 20;
    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    unsigned char pkt[128];
    size_t len = strlen(argv[1]) / 2;
    for (size_t i = 0; i < len && i < sizeof pkt; i++)
        sscanf(argv[1] + 2 * i, "%2hhx", &pkt[i]);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    inet_pton(AF_INET, argv[2], &sa.sin_addr);
    long n = atol(argv[3]), sent = 0;
    struct mmsghdr msgs[64];
    struct iovec iov[64];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < 64; i++) {
        iov[i].iov_base = pkt;
        iov[i].iov_len = len;
        msgs[i].msg_hdr.msg_name = &sa;
        msgs[i].msg_hdr.msg_namelen = sizeof sa;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    while (sent < n) {
        int r = sendmmsg(fd, msgs, 64, 0);
        if (r < 0) {
            if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
                continue;
            perror("sendmmsg");
            return 1;
        }
        sent += r;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("%ld %.6f\n", sent, (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
    return 0;
}
"""

SINK = "192.0.2.77"  # a neighbour entry to a MAC nobody has: the next hop drops the frames


def _burst_rate(dst: str, count: int) -> tuple[float, str]:
    """(probes per second, how) of the C probe loop: full-scan SYN probes to ``dst``."""
    from paquet.probe import burst
    from paquet.probe.cookies import Cookies
    from paquet.probe.rawio import RawSender, source_address
    from paquet.probe.wire import Template

    if not burst.ENABLED:
        return 0.0, "paquet.probe._burst is not built"
    t = Template.tcp_syn(source_address(dst), dst)
    cookies = Cookies()
    sender = RawSender(4)
    ports = list(range(65536))
    sent = 0
    t0 = time.perf_counter()
    while sent < count:
        i = sent % 65536
        sent += burst.syn_send(sender.sock, cookies, t, cookies.sport_base, ports[i:i + 4096])
    elapsed = time.perf_counter() - t0
    sender.close()
    return sent / elapsed, f"{sent} probes in {elapsed:.3f} s"


def _engine_rate(dst: str) -> tuple[float, str]:
    """(probes per second, how) of the whole engine's first pass: a -Pn scan of all ports of
    ``dst`` (which never answers) without retries, its rate controller uncapped."""
    from paquet.probe.scan import scan

    stamps: list[tuple[float, int]] = []

    def progress(done: int, total: int) -> None:
        stamps.append((time.perf_counter(), done))

    scan(dst, "0-65535", discovery=False, max_rate=1e8, max_retries=0, progress=progress)
    (t0, d0), (t1, d1) = stamps[0], stamps[-1]
    return (d1 - d0) / (t1 - t0), f"{d1 - d0} probes in {t1 - t0:.3f} s (slow start included)"


def engine_rate() -> None:
    if shutil.which("gcc") is None:
        print("gcc: not installed, no C limit to compare with")
        return
    with Lab.up(HERE / "tools_far.toml", name="bench_rate") as lab, \
            tempfile.TemporaryDirectory() as tmp:
        client = lab["client"]
        client.exec(["ip", "neigh", "replace", SINK, "lladdr", "02:00:00:00:99:99", "dev",
                     client.iface("r1"), "nud", "permanent"], check=True)
        src, exe = os.path.join(tmp, "loop.c"), os.path.join(tmp, "loop")
        Path(src).write_text(C_LOOP)
        subprocess.run(["gcc", "-O2", "-o", exe, src], check=True)
        from paquet.probe.wire import Template

        probe = bytes(Template.tcp_syn(client.addr(), SINK).build_syn(40000, 80, 1)).hex()
        count = 1_000_000
        out = client.exec([exe, probe, SINK, str(count)], check=True, timeout=300).stdout.split()
        c_rate = int(out[0]) / float(out[1])
        ours, how = client.run(_burst_rate, SINK, count)
        whole, whole_how = client.run(_engine_rate, SINK)
        print(f"plain C sendmmsg loop (one fixed packet, 64 per call): {c_rate:,.0f} probes/s "
              f"({out[0]} in {float(out[1]):.3f} s)")
        print(f"paquet's C probe loop (a cookie and a checksum per probe): {ours:,.0f} probes/s "
              f"({how}): {ours / c_rate:.0%} of the C limit (goal: 1,000,000 probes/s)")
        print(f"the whole engine (pacing, windows, receive): {whole:,.0f} probes/s "
              f"({whole_how}): {whole / c_rate:.0%} of the C limit")


# -- 8. host sweep ----------------------------------------------------------------------------


SWEEP = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"]


def _populate(lab: Any) -> list[str]:
    """Give the three host nodes a quarter of their /24 (every fourth address, from .4);
    return every address that is up (lab nodes included)."""
    up: set[str] = set()
    for node, prefix in (("hosts1", "192.0.2"), ("hosts2", "198.51.100"),
                         ("hosts3", "203.0.113")):
        n = lab[node]
        iface = n.interfaces[0].name
        batch = "".join(f"address add {prefix}.{i}/24 dev {iface}\n" for i in range(4, 254, 4)
                        if f"{prefix}.{i}" not in ("192.0.2.10",))
        n.exec(["ip", "-batch", "-"], check=True, input=batch)
        up.update(f"{prefix}.{i}" for i in range(4, 254, 4))
    for node in ("client", "r1", "hosts1", "hosts2", "hosts3"):
        up.update(a for a in lab[node].addresses if ":" not in a)
    return sorted(up, key=lambda a: tuple(int(x) for x in a.split(".")))


def sweep() -> None:
    with Lab.up(HERE / "sweep.toml", name="bench_sweep") as lab:
        client = lab["client"]
        truth = _populate(lab)
        out, t_ours = timed(client, [*PAQUET, "discover", "-oG", "-", *SWEEP])
        ours = sorted(re.findall(r"^Host: (\S+) \(\)\tStatus: Up", out, re.M),
                      key=lambda a: tuple(int(x) for x in a.split(".")))
        print(f"paquet discover ({len(SWEEP)} /24s, 768 addresses): {t_ours:.2f} s, "
              f"{len(ours)} up ({'all' if ours == truth else 'NOT the'} {len(truth)} "
              f"addresses the lab holds)")
        xml, t_nmap = timed(client, ["nmap", "-sn", "-n", "-oG", "-", *SWEEP])
        theirs = sorted(re.findall(r"^Host: (\S+) \(\)\tStatus: Up", xml, re.M),
                        key=lambda a: tuple(int(x) for x in a.split(".")))
        same = "same hosts" if theirs == ours else \
            f"DIFFERENT: {sorted(set(ours) ^ set(theirs))[:6]}"
        print(f"nmap -sn: {t_nmap:.2f} s, {len(theirs)} up; {same}; "
              f"time ratio nmap/paquet = {t_nmap / t_ours:.2f}")
        if shutil.which("masscan") is None:
            print("masscan: not installed")
            return
        # masscan sends every probe to the gateway's MAC: its answers from the client's own
        # link arrive, but the client itself never answers it (masscan's own stack)
        ms, t_ms = timed(client, ["masscan", "--ping", "--rate", "1000000", "--wait", "1",
                                  "-oL", "-", *SWEEP])
        found = sorted(set(re.findall(r"^open icmp \d+ (\S+) ", ms, re.M)),
                       key=lambda a: tuple(int(x) for x in a.split(".")))
        missing = sorted(set(ours) - set(found))
        extra = sorted(set(found) - set(ours))
        print(f"masscan --ping --rate 1000000 --wait 1: {t_ms:.2f} s, {len(found)} up "
              f"(missing {missing[:4]}{'...' if len(missing) > 4 else ''}, extra {extra[:4]}); "
              f"time ratio masscan/paquet = {t_ms / t_ours:.2f}")


# -- 9. start-up ------------------------------------------------------------------------------


def _first_probe(client: Any, argv: list[str], bpf: str,
                 env: dict[str, str] | None = None) -> float:
    """Seconds from launching ``argv`` in ``client`` to tcpdump's stamp of its first packet
    matching ``bpf`` (launch overhead of ``ip netns exec`` included, as for every tool)."""
    dump = client.popen(["tcpdump", "-i", "any", "-n", "-l", "-tt", "-c", "1", "-Q", "out", bpf],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert dump.stderr is not None and dump.stdout is not None
    for _ in range(5):
        if "listening" in dump.stderr.readline():
            break
    t0 = time.time()
    proc = client.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    line = dump.stdout.readline()
    proc.wait(timeout=60)
    dump.wait(timeout=10)
    return float(line.split()[0]) - t0


def _wall(node: Any, argv: list[str], env: dict[str, str] | None) -> float:
    """Seconds ``argv`` takes in ``node``, run with ``env`` (None: this process's).

    The wait blocks in ``waitpid``: ``Popen.wait(timeout=...)`` polls with sleeps doubling
    from 0.5 ms, which rounds every time up to 15.5 or 31.5 ms (a watchdog kills a command
    that hangs instead)."""
    import threading

    t0 = time.perf_counter()
    proc = node.popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    proc.wait()
    elapsed = time.perf_counter() - t0
    watchdog.cancel()
    return elapsed


def startup() -> None:
    if shutil.which("tcpdump") is None:
        print("tcpdump: not installed")
        return
    with Lab.up(HERE / "chain8_silent.toml", name="bench_start") as lab, \
            tempfile.TemporaryDirectory() as cache:
        client, server = lab["client"], lab["server"].addr()
        # as installed: modules compiled once (PYTHONDONTWRITEBYTECODE, if set, is dropped;
        # the bytecode goes to a temporary directory), the environment given to the process
        # itself (an `env` wrapper would add its own exec to paquet's time only)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        py = PAQUET
        # the installed ``paquet`` command (pip's console script), as users run it
        script = console_script()
        for warm in ([*py, "trace", "-n", "-q", "1", "-m", "1", server],
                     [*py, "ping", "-c", "1", server]):
            client.popen(warm, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL).wait(timeout=60)
        runs = 7
        rows = [
            ("python -m paquet trace -n", [*py, "trace", "-n", server], f"dst {server}", env),
            ("paquet trace -n (console script)", [*script, "trace", "-n", server],
             f"dst {server}", env),
            ("traceroute -n", ["traceroute", "-n", server], f"dst {server}", None),
            ("python -m paquet ping -c 1", [*py, "ping", "-c", "1", server],
             f"icmp and dst {server}", env),
            ("paquet ping -c 1 (console script)", [*script, "ping", "-c", "1", server],
             f"icmp and dst {server}", env),
            ("ping -c 1", ["ping", "-c", "1", server], f"icmp and dst {server}", None),
        ]
        for label, argv, bpf, penv in rows:
            times = [_first_probe(client, argv, bpf, penv) for _ in range(runs)]
            print(f"{label}: first probe after {statistics.median(times) * 1000:.1f} ms "
                  f"(median of {runs}; best {min(times) * 1000:.1f} ms; goal for paquet: 20)")
        walls = {}
        for label, argv, wenv in (("paquet trace -n", [*script, "trace", "-n", server], env),
                                  ("traceroute -n", ["traceroute", "-n", server], None),
                                  ("python", [sys.executable, "-c", "pass"], env),
                                  ("true", ["true"], None)):
            walls[label] = statistics.median(_wall(client, argv, wenv) for _ in range(runs))
        print(f"whole trace over 9 hops: paquet trace -n {walls['paquet trace -n'] * 1000:.1f} ms, "
              f"traceroute -n {walls['traceroute -n'] * 1000:.1f} ms (medians of {runs}); "
              f"ratio traceroute/paquet = {walls['traceroute -n'] / walls['paquet trace -n']:.2f}")
        print(f"  for scale, in the same node: python -c pass {walls['python'] * 1000:.1f} ms "
              f"(the interpreter's own start, before any of paquet), true "
              f"{walls['true'] * 1000:.1f} ms (launching a program there)")
        _, stderr = client.popen([sys.executable, "-X", "importtime", "-m", "paquet", "trace",
                                  "-n", "-q", "1", "-m", "1", server], env=env, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE).communicate(
                                     timeout=60)
        rows_it = [ln.split("|") for ln in stderr.splitlines()
                   if ln.startswith("import time:") and "[us]" not in ln]
        total = sum(int(r[0].split(":")[1]) for r in rows_it)
        top = sorted(rows_it, key=lambda r: -int(r[1]))
        tops = [f"{r[2].strip()} {int(r[1]) / 1000:.1f}" for r in top if not
                r[2].startswith("  ")][:6]
        print(f"python -X importtime -m paquet trace: {total / 1000:.1f} ms of imports; "
              f"largest (cumulative ms): {', '.join(tops)}")


def _only() -> set[int] | None:
    """The sections ``--only=9`` or ``--only=7,9`` asks for (all when not given)."""
    for arg in sys.argv[1:]:
        if arg.startswith("--only="):
            return {int(n) for n in arg.split("=", 1)[1].split(",")}
    return None


def main() -> int:
    if os.geteuid() != 0:
        print("benchmarks/tools.py needs root (network namespaces, raw sockets)")
        return 1
    only = _only()

    def want(n: int) -> bool:
        return only is None or n in only

    truth = None
    if want(1) or want(2):  # section 2 checks its states against section 1's
        section("1. SYN scan, 65,536 ports, five routers away (tools_far)")
        truth = scan_pair("tools_far.toml", "far", True, repeat=3)
    if want(2):
        section("2. The same with 5 % random loss each way on one link (tools_far_lossy)")
        scan_pair("tools_far_lossy.toml", "lossy", not FAST, truth)
    runs = [
        (3, "3. UDP scan vs nmap -sU (tp target)", udp_scan),
        (4, "4. Trace through chain 8 with a silent router vs traceroute -n", trace_chain),
        (5, "5. ECMP: Paris vs classic", ecmp),
        (6, "6. Ping vs iputils", ping_rtt),
        (7, "7. Raw sending rate vs a plain C sendmmsg loop", engine_rate),
        (8, "8. Host sweep of the IPv4 documentation space vs nmap -sn and masscan --ping",
         sweep),
        (9, "9. Start-up: the first probe of trace and ping", startup),
    ]
    for n, title, run in runs:
        if want(n):
            section(title)
            run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
