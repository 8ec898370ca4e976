"""traceroute() and arping() speed: paquet vs Scapy, on the ``tp`` lab this script builds and
removes.

1. ``traceroute([remote, server, target], maxttl=30)`` from the client: 90 probes, every one
   answered (time exceeded from the routers, SYN/ACK from the hosts), so both return when the
   last answer is in: wall time of each, and the two traces compared (same hops).
2. ``arping("192.0.2.0/24")`` from the client (256 requests, 2 answers, timeout 1 s): the
   wall time beyond the timeout.

Needs root: ``.venv/bin/python benchmarks/traceroute.py``. Prints medians of 3 runs and the
ratios Scapy / paquet.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import textwrap
from pathlib import Path

from paquet.lab import Lab

RUNS = 3
SRC = str(Path(__file__).resolve().parents[1] / "src")

SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    if sys.argv[1] == "paquet":
        import paquet as lib
    else:
        import scapy.all as lib
    targets = sys.argv[2].split(",")
    lib.traceroute(targets[0], maxttl=2, timeout=1, verbose=0)  # warm up (imports, sockets)
    t = time.perf_counter()
    res, unans = lib.traceroute(targets, maxttl=30, timeout=2, verbose=0)
    tr = time.perf_counter() - t
    t = time.perf_counter()
    ans, _ = lib.arping("192.0.2.0/24", timeout=1, verbose=0)
    ap = time.perf_counter() - t
    trace = {d: {str(k): v for k, v in hops.items()} for d, hops in res.get_trace().items()}
    print(json.dumps({"traceroute": tr, "unanswered": len(unans), "trace": trace,
                      "arping": ap, "hosts": sorted(r.psrc for _s, r in ans)}))
    """
)


def run(lab: Lab, name: str, targets: list[str]) -> dict[str, object]:
    env = [f"PYTHONPATH={SRC}"]
    proc = lab["client"].exec(["env", *env, sys.executable, "-c", SCRIPT, name,
                               ",".join(targets)], check=True, timeout=120)
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


def main() -> int:
    if os.geteuid() != 0:
        print("needs root (the lab)")
        return 2
    with Lab.up("tp") as lab:
        targets = [lab["remote"].addr(), lab["server"].addr(), lab["target"].addr()]
        results: dict[str, list[dict[str, object]]] = {"paquet": [], "scapy": []}
        for _ in range(RUNS):
            for name in results:
                results[name].append(run(lab, name, targets))
    same = results["paquet"][0]["trace"] == results["scapy"][0]["trace"]
    print(f"traces identical: {same}; hosts found by arping: {results['paquet'][0]['hosts']}")
    for what in ("traceroute", "arping"):
        ours = statistics.median(float(str(r[what])) for r in results["paquet"])
        theirs = statistics.median(float(str(r[what])) for r in results["scapy"])
        print(f"{what:<11} paquet {ours * 1000:8.1f} ms   scapy {theirs * 1000:8.1f} ms   "
              f"scapy/paquet {theirs / ours:5.1f}x")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
