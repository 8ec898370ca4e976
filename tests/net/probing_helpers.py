"""What the probing-helper lab tests run inside lab nodes (``node.run``): the same call made
with paquet and with Scapy, its printed output and its results as plain data."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def captured() -> Iterator[list[str]]:
    """Everything written on standard output (print and os.write alike, in the order written)
    in the block."""
    out: list[str] = []
    sys.stdout.flush()
    saved_fd, saved_stdout = os.dup(1), sys.stdout
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        try:
            yield out
        finally:
            sys.stdout.flush()
            sys.stdout = saved_stdout
            os.dup2(saved_fd, 1)
            os.close(saved_fd)
            tmp.seek(0)
            out.append(tmp.read().decode())


def library(name: str) -> Any:
    """The star-import namespace of ``name`` ("paquet" or "scapy"), Scapy's routes and
    interfaces read again in this namespace (a forked child inherits the parent's)."""
    if name == "paquet":
        import paquet

        return paquet
    import scapy.all as scapy

    scapy.conf.ifaces.reload()
    scapy.conf.route.resync()
    scapy.conf.route6.resync()
    scapy.conf.iface = scapy.conf.route.route("0.0.0.0")[0]
    scapy.conf.netcache.flush()
    return scapy


def call(name: str, func: str, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """``lib.func(*args, **kwargs)``: (what it printed, its result)."""
    lib = library(name)
    with captured() as out:
        result = getattr(lib, func)(*args, **kwargs)
    return out[0], result


def traceroute(name: str, func: str, targets: Any,
               **kwargs: Any) -> tuple[str, dict[str, Any], int]:
    """(printed text, get_trace(), number of unanswered probes)."""
    printed, (res, unans) = call(name, func, targets, **kwargs)
    return printed, res.get_trace(), len(unans)


def traceroute_flows(name: str, target: str) -> int:
    """How many distinct source ports the answered probes of one traceroute used."""
    lib = library(name)
    res, _unans = lib.traceroute(target, maxttl=8, timeout=1, verbose=0)
    return len({q[lib.TCP].sport for q, _a in res})


def traceroute_l4(name: str, target: str, l4: str,
                  **kwargs: Any) -> tuple[str, dict[str, Any], int]:
    """traceroute(target, l4=UDP() or ICMP()): as :func:`traceroute`."""
    lib = library(name)
    layer = lib.UDP(dport=33434) if l4 == "UDP" else lib.ICMP(id=0x5151)
    return traceroute(name, "traceroute", target, l4=layer, **kwargs)


def arping(name: str, net: str, **kwargs: Any) -> tuple[str, list[tuple[str, str]]]:
    """(printed text, sorted (psrc, hwsrc) of the answers)."""
    printed, (ans, _unans) = call(name, "arping", net, **kwargs)
    return printed, sorted((r.psrc, r.hwsrc) for _s, r in ans)


def neighbours(name: str, ip6: str, src: str, iface: str) -> tuple[str | None, str | None]:
    """(getmacbyip6(ip6), neighsol(ip6, src, iface)'s Ether source)."""
    lib = library(name)
    answer = lib.neighsol(ip6, src, iface, timeout=1)
    return lib.getmacbyip6(ip6), None if answer is None else answer.src


def poison(name: str, target: str, address: str) -> None:
    """arpcachepoison(target, address) once."""
    lib = library(name)
    lib.arpcachepoison(target, address, count=1, interval=0.01, verbose=0)


def send_arp(name: str, pdst: str) -> tuple[str, str]:
    """send(ARP(pdst=...)) at layer 3: (printed text, the returned packet's summary)."""
    lib = library(name)
    with captured() as out:
        sent = lib.send(lib.ARP(pdst=pdst), return_packets=True)
    return out[0], sent[0].summary()


def loop(name: str, layer: int, dst: str, **kwargs: Any) -> tuple[str, int, int]:
    """srloop (layer 3, ICMP echo to ``dst``) or srploop (layer 2, ARP who-has ``dst``)."""
    lib = library(name)
    if layer == 3:
        pkt, func = lib.IP(dst=dst) / lib.ICMP(), lib.srloop
    else:
        pkt, func = lib.Ether(dst="ff:ff:ff:ff:ff:ff") / lib.ARP(pdst=dst), lib.srploop
    with captured() as out:
        ans, unans = func(pkt, **kwargs)
    return out[0], len(ans), len(unans)


def flood(name: str, func: str, layer: int, dst: str, **kwargs: Any) -> tuple[str, Any]:
    """A flood of one echo request (layer 3) or one ARP request (layer 2) to ``dst``:
    (printed text, the answers' summaries)."""
    lib = library(name)
    if layer == 3:
        pkt = lib.IP(dst=dst) / lib.ICMP(id=0x4242)
    else:
        pkt = lib.Ether(dst="ff:ff:ff:ff:ff:ff") / lib.ARP(pdst=dst)
    with captured() as out:
        result = getattr(lib, func)(pkt, **kwargs)
    if isinstance(result, tuple):
        ans, unans = result
        return out[0], ([r.summary() for _s, r in ans], len(unans))
    return out[0], None if result is None else result.summary()


def flood_stamps(name: str, dst: str) -> list[bool]:
    """Whether srflood gave the packets passed (one, then a list of two) their sent_time."""
    lib = library(name)
    one = lib.IP(dst=dst) / lib.ICMP()
    two = [lib.IP(dst=dst) / lib.ICMP(id=1), lib.IP(dst=dst) / lib.ICMP(id=2)]
    lib.srflood(one, timeout=0.2, verbose=0)
    lib.srflood(two, timeout=0.2, verbose=0)
    return [getattr(p, "sent_time", None) is not None for p in [one, *two]]


def sendpfast_udp(dst: str, gw_mac: str, iface: str, count: int) -> dict[str, Any] | None:
    """paquet's sendpfast of three UDP datagrams to ``dst`` port 10000, ``count`` times."""
    import paquet

    frames = [paquet.Ether(dst=gw_mac) / paquet.IP(dst=dst) / paquet.UDP(sport=40000 + i,
                                                                         dport=10000)
              / paquet.Raw(f"fast{i}".encode()) for i in range(3)]
    result: dict[str, Any] | None = paquet.sendpfast(frames, pps=200, count=count, iface=iface,
                                                     parse_results=True)
    return result


def neigh_mac(ip: str) -> str | None:
    """The MAC of ``ip`` in this node's neighbour table (``ip neigh``), or None."""
    out = subprocess.run(["ip", "neigh", "show", ip], capture_output=True, text=True,
                         check=False).stdout.split()
    return out[out.index("lladdr") + 1] if "lladdr" in out else None


def flush_neigh() -> None:
    """Empty this node's neighbour table."""
    subprocess.run(["ip", "neigh", "flush", "all"], check=False, capture_output=True)


def ping(dst: str) -> bool:
    """One ping (0.5 s): True when answered."""
    return subprocess.run(["ping", "-c1", "-W1", dst], capture_output=True,
                          check=False).returncode == 0


def iface_mac(iface: str) -> str:
    """This node's MAC on ``iface`` (from ``ip link``: /sys shows the root namespace's)."""
    out = subprocess.run(["ip", "-o", "link", "show", iface], capture_output=True, text=True,
                         check=True).stdout.split()
    return out[out.index("link/ether") + 1]


MITM_SYSCTLS = ("ipv4/ip_forward", "ipv4/conf/all/send_redirects",
                "ipv4/conf/eth0/send_redirects")


def read_sysctls() -> dict[str, str]:
    """The settings arp_mitm changes while it runs, as they are in this node."""
    out = {}
    for name in MITM_SYSCTLS:
        with open(f"/proc/sys/net/{name}") as f:
            out[name] = f.read().strip()
    return out


def write_sysctls(values: dict[str, str]) -> None:
    for name, value in values.items():
        with open(f"/proc/sys/net/{name}", "w") as f:
            f.write(f"{value}\n")


def mitm_script(name: str, ip1: str, ip2: str, src: str) -> list[str]:
    """The command line of an arp_mitm run in a subprocess (stopped by SIGINT: a Ctrl-C)."""
    # Ctrl-C must interrupt it even when the suite was started with SIGINT ignored (a shell's
    # background job): Python keeps an ignored SIGINT ignored.
    code = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    code += (f"from {name}.all import *\n" if name == "scapy" else "from paquet import *\n")
    code += f"arp_mitm({ip1!r}, {ip2!r}, inter=0.2)\n"
    env = [f"PYTHONPATH={src}"] if name == "paquet" else []
    return ["env", *env, sys.executable, "-u", "-c", code]
