"""What the experiments need around them in a lab: captures at the receiving side, a packet sent
from inside a node, a temporary nftables table.

A capture is ``tcpdump`` running in the node (a process of its own: nothing shares the forks
that :meth:`Node.run` makes), writing a pcap file that paquet reads back. Every capture, table
and sysctl is undone when its ``with`` block ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from paquet.errors import LabError, PaquetError

__all__ = ["Capture", "captures", "nft_add", "nft_table", "send_from", "sysctl"]

_counter = itertools.count()


class Capture:
    """``tcpdump -i IFACE`` in a lab node until :meth:`stop`, which returns the packets.

    ``iface`` defaults to the node's first interface; ``bpf`` is a tcpdump filter.
    """

    def __init__(self, node: Any, bpf: str = "", iface: str | None = None) -> None:
        self.node = node
        self.iface = iface or node.interfaces[0].name
        handle, name = tempfile.mkstemp(prefix="paquet-cap-", suffix=".pcap")
        os.close(handle)
        self.path = Path(name)
        argv = ["tcpdump", "-i", self.iface, "-n", "-U", "--immediate-mode", "-w", name]
        if bpf:
            argv.append(bpf)
        try:
            self.proc = node.popen(
                argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
        except FileNotFoundError:
            self.path.unlink(missing_ok=True)
            raise PaquetError(
                "tcpdump is not installed (scripts/system-deps installs it)"
            ) from None
        self.packets: list[Any] | None = None
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 10
        line = ""
        while "listening on" not in line:
            line = self.proc.stderr.readline()
            if not line or time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                self.path.unlink(missing_ok=True)
                raise LabError(f"tcpdump did not start in {node.name}: {line.strip()}")

    def stop(self, linger: float = 0.2) -> list[Any]:
        """Wait ``linger`` seconds for late packets, stop tcpdump, return what it captured."""
        if self.packets is not None:
            return self.packets
        from paquet.pcap import rdpcap

        time.sleep(linger)
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        try:
            self.packets = list(rdpcap(str(self.path)))
        finally:
            self.path.unlink(missing_ok=True)
        return self.packets

    def __enter__(self) -> Capture:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop(linger=0)


@contextlib.contextmanager
def captures(lab: Any, nodes: tuple[str, ...], bpf: str) -> Iterator[dict[str, list[Any]]]:
    """Capture ``bpf`` at each of ``nodes`` of ``lab`` for the ``with`` block; the dict it
    gives holds, when the block ends, each node's packets (by node name, in ``nodes`` order)."""
    running = {name: Capture(lab[name], bpf) for name in nodes}
    seen: dict[str, list[Any]] = {}
    try:
        yield seen
    finally:
        seen.update({name: cap.stop() for name, cap in running.items()})


def _send_bytes(data: bytes, count: int) -> None:
    """Inside a node: send the IPv4 packet ``data`` ``count`` times through a raw socket."""
    from paquet.layers import IP
    from paquet.net.sendrecv import send

    send(IP(data), count=count, verbose=0)


def send_from(node: Any, pkt: Any, count: int = 1) -> bytes:
    """Send the IPv4 packet ``pkt`` from inside lab node ``node``; return its bytes."""
    data = bytes(pkt)
    node.run(_send_bytes, data, count)
    return data


@contextlib.contextmanager
def nft_table(node: Any, body: str) -> Iterator[str]:
    """A uniquely named ``inet`` table in ``node`` holding ``body`` (chains and rules, in nft's
    syntax), deleted on exit; yields its name."""
    name = f"paquet_course_{os.getpid()}_{next(_counter)}"
    script = f"table inet {name} {{\n{body}\n}}\n"
    try:  # the removal is attempted even when a signal lands while nft creates the table
        done = node.exec(["nft", "-f", "-"], input=script)
        if done.returncode != 0:
            raise PaquetError(f"nft in {node.name}: {done.stderr.strip()}")
        yield name
    finally:
        node.exec(["nft", "delete", "table", "inet", name])


def nft_add(node: Any, table: str, chain: str, rule: str) -> None:
    """Append ``rule`` to ``chain`` of ``table`` in ``node``."""
    done = node.exec(["nft", "add", "rule", "inet", table, chain, *rule.split()])
    if done.returncode != 0:
        raise PaquetError(f"nft in {node.name}: {done.stderr.strip()}")


@contextlib.contextmanager
def sysctl(node: Any, settings: dict[str, str]) -> Iterator[None]:
    """Set sysctls in ``node`` for the time of the block, then put the old values back."""
    old: dict[str, str] = {}
    try:
        for key, value in settings.items():
            current = node.exec(["sysctl", "-n", key])
            if current.returncode != 0:
                raise PaquetError(f"sysctl {key} in {node.name}: {current.stderr.strip()}")
            old[key] = current.stdout.strip()
            node.exec(["sysctl", "-q", "-w", f"{key}={value}"], check=True)
        yield
    finally:
        for key, value in old.items():
            node.exec(["sysctl", "-q", "-w", f"{key}={value}"])
