"""Send-and-receive speed: paquet vs Scapy, in a namespace pair this script creates and deletes.

1. ``sr`` of 5,000 TCP SYNs to one host (ports 1-5000: RSTs, and SYN/ACKs from the open ones):
   wall time of paquet and of Scapy, both answer sets compared (same ports, same flags), and the
   ratio (goal: paquet at least 10x faster).
2. ``sr1`` of one ICMP echo: paquet's overhead over the raw round trip (a raw socket sending the
   same prebuilt bytes and waiting for the reply), median of 300 (goal: under 1 ms).

Run as root: ``.venv/bin/python benchmarks/sendrecv.py``. Addresses: 198.51.100.0/24 only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

PYTHON = sys.executable
TAG = str(os.getpid() % 100000)
CLIENT, SERVER = f"pqb-c{TAG}", f"pqb-s{TAG}"
CLIENT_IP, SERVER_IP = "198.51.100.2", "198.51.100.1"
N_SYN = 5000
OPEN_PORTS = (22, 80, 443, 4242)

PAQUET_SR = textwrap.dedent(
    f"""
    import json, time
    from paquet.layers import IP, TCP
    from paquet.net.sendrecv import sr
    probes = IP(dst="{SERVER_IP}")/TCP(sport=40000, dport=(1, {N_SYN}), flags="S")
    sr(IP(dst="{SERVER_IP}")/TCP(sport=40001, dport=1, flags="S"), timeout=1, verbose=0)
    t = time.perf_counter()
    ans, unans = sr(probes, timeout=1, verbose=0)
    elapsed = time.perf_counter() - t
    pairs = sorted((q[TCP].dport, str(a[TCP].flags)) for q, a in ans)
    print(json.dumps({{"time": elapsed, "answers": pairs, "unanswered": len(unans)}}))
    """
)

SCAPY_SR = textwrap.dedent(
    f"""
    import json, time
    from scapy.all import IP, TCP, sr, conf
    conf.verb = 0
    probes = IP(dst="{SERVER_IP}")/TCP(sport=40000, dport=(1, {N_SYN}), flags="S")
    sr(IP(dst="{SERVER_IP}")/TCP(sport=40001, dport=1, flags="S"), timeout=1, verbose=0)
    t = time.perf_counter()
    ans, unans = sr(probes, timeout=1, verbose=0)
    elapsed = time.perf_counter() - t
    pairs = sorted((q[TCP].dport, str(a[TCP].flags)) for q, a in ans)
    print(json.dumps({{"time": elapsed, "answers": pairs, "unanswered": len(unans)}}))
    """
)

SR1_OVERHEAD = textwrap.dedent(
    f"""
    import json, select, socket, statistics, time
    from paquet.layers import ICMP, IP
    from paquet.net.sendrecv import sr1
    N = 300
    probe = IP(dst="{SERVER_IP}")/ICMP(id=7, seq=1)
    sr1(probe, timeout=1, verbose=0)
    # Raw round trip: the same bytes through a raw socket, the reply read on a raw ICMP socket.
    raw = bytes(probe)
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    inp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    base = []
    for _ in range(N):
        t = time.perf_counter()
        out.sendto(raw, ("{SERVER_IP}", 0))
        while True:
            select.select([inp], [], [], 1)
            data = inp.recv(2048)
            if data[20] == 0:
                break
        base.append(time.perf_counter() - t)
    full = []
    for i in range(N):
        t = time.perf_counter()
        answer = sr1(IP(dst="{SERVER_IP}")/ICMP(id=7, seq=i), timeout=1, verbose=0)
        full.append(time.perf_counter() - t)
        assert answer is not None
    print(json.dumps({{"raw": statistics.median(base), "sr1": statistics.median(full)}}))
    """
)


def sh(*args: str) -> str:
    """Run a command; its stdout (raises with stderr on failure)."""
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def in_client(script: str) -> dict[str, object]:
    """Run a Python script in the client namespace; its JSON output."""
    out = sh("ip", "netns", "exec", CLIENT, PYTHON, "-c", script)
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    """Build the namespace pair, run both measures, print the ratios, delete everything."""
    if os.geteuid() != 0:
        print("benchmarks/sendrecv.py needs root (network namespaces, raw sockets)")
        return 2
    listeners: list[subprocess.Popen[bytes]] = []
    try:
        sh("ip", "netns", "add", CLIENT)
        sh("ip", "netns", "add", SERVER)
        sh("ip", "link", "add", "pqb0", "netns", CLIENT, "type", "veth", "peer", "pqb1",
           "netns", SERVER)
        for ns, dev, addr in ((CLIENT, "pqb0", CLIENT_IP), (SERVER, "pqb1", SERVER_IP)):
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{addr}/24", "dev", dev)
            sh("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
        # No kernel RST rate limit in the way of 5,000 answers.
        sh("ip", "netns", "exec", SERVER, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0")
        ports = ",".join(str(p) for p in OPEN_PORTS)
        listen = (
            "import socket,time\n"
            f"ss=[socket.create_server(('{SERVER_IP}', p)) for p in ({ports},)]\n"
            "time.sleep(3600)\n"
        )
        listeners.append(
            subprocess.Popen(["ip", "netns", "exec", SERVER, PYTHON, "-c", listen])
        )
        # The client must not answer the SYN/ACKs with RSTs that disturb nothing; fine as is.
        paquet = in_client(PAQUET_SR)
        scapy = in_client(SCAPY_SR)
        same = paquet["answers"] == scapy["answers"]
        n_answers = len(paquet["answers"])  # type: ignore[arg-type]
        opened = sorted(p for p, f in paquet["answers"] if f == "SA")  # type: ignore[attr-defined]
        print(f"sr of {N_SYN} TCP SYNs to one host")
        print(f"  paquet: {paquet['time']:.3f} s, {n_answers} answers, "
              f"{paquet['unanswered']} unanswered, open ports {opened}")
        print(f"  scapy:  {scapy['time']:.3f} s, {len(scapy['answers'])} answers, "  # type: ignore[arg-type]
              f"{scapy['unanswered']} unanswered")
        print(f"  same answers: {same}")
        ratio = float(scapy["time"]) / float(paquet["time"])  # type: ignore[arg-type]
        print(f"  ratio: paquet is {ratio:.1f}x faster than Scapy (goal >= 10x)")
        over = in_client(SR1_OVERHEAD)
        raw_ms = float(over["raw"]) * 1000  # type: ignore[arg-type]
        sr1_ms = float(over["sr1"]) * 1000  # type: ignore[arg-type]
        print("sr1 of one ICMP echo (median of 300)")
        print(f"  raw round trip {raw_ms:.3f} ms, paquet sr1 {sr1_ms:.3f} ms, "
              f"overhead {sr1_ms - raw_ms:.3f} ms (goal < 1 ms)")
        return 0 if same else 1
    finally:
        for proc in listeners:
            proc.kill()
            proc.wait()
        subprocess.run(["ip", "netns", "del", CLIENT], capture_output=True)
        subprocess.run(["ip", "netns", "del", SERVER], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
