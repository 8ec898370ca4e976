"""Packets per second: paquet against dpkt and Scapy, and import times.

Rows (one run, printed as a table with ratios):
- build Ether/IP/TCP with a 20-byte payload, to bytes (checksums and lengths computed);
- dissect those bytes and read the TCP destination port;
- the same two for Ether/IPv6/UDP once paquet has IPv6;
- ``import paquet`` against ``import scapy.all`` (a fresh interpreter each, best of 5).

Goals (issue 3): build >= 2x dpkt, dissect >= 1.5x dpkt, ``import paquet`` < 0.15 s.

The machine is shared, so each row is measured in rounds: in every round each library runs
for a short while, one after the other (interleaved, in a rotating order). A row prints each
library's best rate, the ratio of the best rates, and in parentheses the median of the ratios
taken within each round (a load that changes between rounds disturbs a ratio measured within
a round less). A goal is met when both estimates reach it.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

ROUNDS = 15
PAYLOAD = b"x" * 20
SRC4, DST4 = "192.0.2.1", "192.0.2.2"
SRC6, DST6 = "2001:db8::1", "2001:db8::2"
MAC_SRC, MAC_DST = "02:00:00:00:00:01", "02:00:00:00:00:02"


def rate(fn: Callable[[], Any], seconds: float = 0.1) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    n = 0
    batch = 200
    start = time.perf_counter()
    while True:
        for _ in range(batch):
            fn()
        n += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def best(
    candidates: dict[str, Callable[[], Any]], rounds: int = ROUNDS
) -> tuple[dict[str, float], dict[str, float]]:
    """Best rate of each candidate, and the median per-round ratio of the first to each other,
    over interleaved rounds (the order rotates so that no library always runs first)."""
    names = list(candidates)
    out = dict.fromkeys(names, 0.0)
    ratios: dict[str, list[float]] = {n: [] for n in names[1:]}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        got = {name: rate(candidates[name]) for name in order}
        for name, value in got.items():
            out[name] = max(out[name], value)
        for name in names[1:]:
            ratios[name].append(got[names[0]] / got[name])
    return out, {n: statistics.median(v) for n, v in ratios.items()}


def ipv4_tcp() -> tuple[dict[str, Callable[[], Any]], dict[str, Callable[[], Any]]]:
    import dpkt
    from scapy.layers.inet import IP as SIP
    from scapy.layers.inet import TCP as STCP
    from scapy.layers.l2 import Ether as SEther

    from paquet.layers import IP, TCP, Ether

    src_b, dst_b = socket.inet_aton(SRC4), socket.inet_aton(DST4)
    mac_s, mac_d = bytes.fromhex(MAC_SRC.replace(":", "")), bytes.fromhex(MAC_DST.replace(":", ""))

    def build_paquet() -> bytes:
        return bytes(
            Ether(src=MAC_SRC, dst=MAC_DST)
            / IP(src=SRC4, dst=DST4)
            / TCP(sport=1234, dport=80, flags="S")
            / PAYLOAD
        )

    def build_dpkt() -> bytes:
        tcp = dpkt.tcp.TCP(
            sport=1234, dport=80, seq=0, win=8192, flags=dpkt.tcp.TH_SYN, data=PAYLOAD
        )
        ip = dpkt.ip.IP(src=src_b, dst=dst_b, id=1, p=6, data=tcp)
        return bytes(dpkt.ethernet.Ethernet(src=mac_s, dst=mac_d, type=0x0800, data=ip))

    def build_scapy() -> bytes:
        return bytes(
            SEther(src=MAC_SRC, dst=MAC_DST)
            / SIP(src=SRC4, dst=DST4)
            / STCP(sport=1234, dport=80, flags="S")
            / PAYLOAD
        )

    frame = build_paquet()
    assert frame == build_dpkt() == build_scapy(), "the three libraries disagree on the bytes"

    def dissect_paquet() -> int:
        return int(Ether(frame)[TCP].dport)

    def dissect_dpkt() -> int:
        return int(dpkt.ethernet.Ethernet(frame).data.data.dport)

    def dissect_scapy() -> int:
        return int(SEther(frame)[STCP].dport)

    assert dissect_paquet() == dissect_dpkt() == dissect_scapy() == 80
    return (
        {"paquet": build_paquet, "dpkt": build_dpkt, "scapy": build_scapy},
        {"paquet": dissect_paquet, "dpkt": dissect_dpkt, "scapy": dissect_scapy},
    )


def ipv6_udp() -> tuple[dict[str, Callable[[], Any]], dict[str, Callable[[], Any]]] | None:
    try:
        from paquet.layers import IPv6  # type: ignore[attr-defined]
    except ImportError:
        return None
    import dpkt
    from scapy.layers.inet import UDP as SUDP
    from scapy.layers.inet6 import IPv6 as SIPv6
    from scapy.layers.l2 import Ether as SEther

    from paquet.layers import UDP, Ether

    src_b, dst_b = socket.inet_pton(socket.AF_INET6, SRC6), socket.inet_pton(socket.AF_INET6, DST6)
    mac_s, mac_d = bytes.fromhex(MAC_SRC.replace(":", "")), bytes.fromhex(MAC_DST.replace(":", ""))

    def build_paquet() -> bytes:
        return bytes(
            Ether(src=MAC_SRC, dst=MAC_DST) / IPv6(src=SRC6, dst=DST6)
            / UDP(sport=1234, dport=53) / PAYLOAD
        )

    def build_dpkt() -> bytes:
        udp = dpkt.udp.UDP(sport=1234, dport=53, data=PAYLOAD)
        udp.ulen = len(udp)
        ip6 = dpkt.ip6.IP6(src=src_b, dst=dst_b, nxt=17, hlim=64, data=udp, plen=len(udp))
        return bytes(dpkt.ethernet.Ethernet(src=mac_s, dst=mac_d, type=0x86DD, data=ip6))

    def build_scapy() -> bytes:
        return bytes(
            SEther(src=MAC_SRC, dst=MAC_DST) / SIPv6(src=SRC6, dst=DST6)
            / SUDP(sport=1234, dport=53) / PAYLOAD
        )

    frame = build_paquet()
    assert frame == build_dpkt() == build_scapy(), "the three libraries disagree on the bytes"

    def dissect_paquet() -> int:
        return int(Ether(frame)[UDP].dport)

    def dissect_dpkt() -> int:
        return int(dpkt.ethernet.Ethernet(frame).data.data.dport)

    def dissect_scapy() -> int:
        return int(SEther(frame)[SUDP].dport)

    return (
        {"paquet": build_paquet, "dpkt": build_dpkt, "scapy": build_scapy},
        {"paquet": dissect_paquet, "dpkt": dissect_dpkt, "scapy": dissect_scapy},
    )


def import_time(module: str, tries: int = 5) -> float:
    """Best wall time of ``python -c 'import module'`` minus an empty interpreter's."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(tries):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return min(times)


def row(label: str, measured: tuple[dict[str, float], dict[str, float]],
        goal: float | None) -> str:
    rates, ratios = measured
    ours = rates["paquet"]
    vs_dpkt = ours / rates["dpkt"]
    vs_scapy = ours / rates["scapy"]
    # The goal is judged on the lower of the two estimates of the ratio.
    judged = min(vs_dpkt, ratios["dpkt"])
    verdict = "" if goal is None else ("  ok" if judged >= goal else f"  BELOW goal {goal}x")
    return (
        f"{label:<26}{ours:>12,.0f}{rates['dpkt']:>12,.0f}{rates['scapy']:>12,.0f}"
        f"{vs_dpkt:>8.2f}x ({ratios['dpkt']:.2f}){vs_scapy:>8.1f}x ({ratios['scapy']:.1f})"
        f"{verdict}"
    )


def main() -> int:
    head = f"{'packets/s':<26}{'paquet':>12}{'dpkt':>12}{'scapy':>12}"
    print(f"{head}{'vs dpkt (median)':>19}{'vs scapy (median)':>18}")
    build4, dissect4 = ipv4_tcp()
    print(row("build Ether/IP/TCP+20B", best(build4), 2.0))
    print(row("dissect + read TCP dport", best(dissect4), 1.5))
    v6 = ipv6_udp()
    if v6 is None:
        print("Ether/IPv6/UDP            (paquet has no IPv6 layer yet: row pending)")
    else:
        build6, dissect6 = v6
        print(row("build Ether/IPv6/UDP+20B", best(build6), 2.0))
        print(row("dissect + read UDP dport", best(dissect6), 1.5))
    ours = import_time("paquet")
    scapy = import_time("scapy.all")
    ok = "ok" if ours < 0.15 else "ABOVE goal 0.15 s"
    print(f"import time: paquet {ours * 1000:.1f} ms, scapy.all {scapy * 1000:.0f} ms "
          f"({scapy / ours:.0f}x)  {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
