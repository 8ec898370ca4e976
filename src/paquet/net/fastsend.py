"""Scapy's ``sendpfast``: send frames at a given rate with tcpreplay, or with paquet's own loop.

With ``tcpreplay`` on the PATH, the packets are written to a temporary pcap and replayed by it
(Scapy's command line: ``--intf1``, ``--pps`` / ``--mbps`` / ``--multiplier`` / ``--topspeed``,
``--loop``, ``--preload-pcap``, plus ``replay_args``). Without it, paquet sends the prebuilt
frames itself through one packet socket, paced to ``pps`` or ``mbps`` (or the capture's own
timing with ``realtime``), and ``parse_results`` gives the same keys tcpreplay's summary does.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any

from paquet.errors import NetworkError
from paquet.net.frames import expand

__all__ = ["sendpfast"]

_FIELDS = {  # a tcpreplay summary line's start: (its numbers' names, their types)
    "actual": (("packets", "bytes", "time"), (int, int, float)),
    "rated": (("bps", "mbps", "pps"), (float, float, float)),
    "flows": (("flows", "fps", "flow_packets", "non_flow"), (int, float, int, int)),
    "attempted": (("attempted",), (int,)),
    "successful": (("successful",), (int,)),
    "failed": (("failed",), (int,)),
    "truncated": (("truncated",), (int,)),
    "retried packets (eno": (("retried_enobufs",), (int,)),
    "retried packets (eag": (("retried_eagain",), (int,)),
}


def parse_tcpreplay(stdout: str, stderr: str, argv: list[str]) -> dict[str, Any]:
    """The numbers of tcpreplay's summary, by Scapy's names (``packets``, ``bytes``, ``time``,
    ``bps``, ``mbps``, ``pps``, ...), with ``command`` and ``warnings``.

    >>> r = parse_tcpreplay("Actual: 10 packets (600 bytes) sent in 0.5 seconds", "", ["x"])
    >>> r["packets"], r["bytes"], r["time"], r["command"]
    (10, 600, 0.5, 'x')
    """
    results: dict[str, Any] = {}
    for line in stdout.lower().splitlines():
        line = line.strip()
        for start, (names, types) in _FIELDS.items():
            if not line.startswith(start):
                continue
            numbers = re.findall(r"[0-9]*\.[0-9]+|[0-9]+", line[len(start):])
            for name, kind, text in zip(names, types, numbers, strict=False):
                results[name] = kind(float(text)) if kind is int else kind(text)
    results["command"] = " ".join(argv)
    results["warnings"] = stderr.strip().split("\n")[:-1]
    return results


def _default_iface() -> str:
    from paquet.net.settings import settings

    return str(settings.iface)


def _tcpreplay(program: str, x: Any, pps: float | None, mbps: float | None, realtime: Any,
               count: int | None, loop: int, file_cache: bool, iface: str,
               replay_args: list[str] | None, parse_results: bool) -> dict[str, Any] | None:
    from paquet.pcap import wrpcap

    argv = [program, f"--intf1={iface}"]
    if pps is not None:
        argv.append(f"--pps={pps:f}")
    elif mbps is not None:
        argv.append(f"--mbps={mbps:f}")
    elif realtime:
        argv.append(f"--multiplier={float(realtime):f}")
    else:
        argv.append("--topspeed")
    if count:
        argv.append(f"--loop={count}")
    elif loop:
        argv.append("--loop=0")
    if file_cache:
        argv.append("--preload-pcap")
    argv.extend(replay_args or [])
    fd, path = tempfile.mkstemp(suffix=".pcap")
    os.close(fd)
    try:
        wrpcap(path, x)
        argv.append(path)
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = proc.communicate()
        except KeyboardInterrupt:
            proc.terminate()
            out, err = proc.communicate()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    if not parse_results:
        return None
    return parse_tcpreplay(out.decode(errors="replace"), err.decode(errors="replace"), argv)


def _own(x: Any, pps: float | None, mbps: float | None, realtime: Any, count: int | None,
         loop: int, iface: str, parse_results: bool) -> dict[str, Any] | None:
    """paquet's own replay: prebuilt frames on one packet socket, paced as asked."""
    packets = list(expand(x))
    raws = [bytes(p) for p in packets]
    stamps = [float(getattr(p, "time", 0) or 0) for p in packets]
    rounds = count if count else (-1 if loop else 1)
    sent = size = 0
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        sock.bind((iface, 0))
    except PermissionError as exc:
        from paquet.net.privilege import privilege_error

        raise privilege_error("sendpfast") from exc
    except OSError as exc:
        raise NetworkError(f"sendpfast: cannot send on {iface!r}: {exc.strerror}") from exc
    start = time.monotonic()
    try:
        with sock:
            while rounds:
                origin, base = time.monotonic(), stamps[0] if stamps else 0.0
                for data, stamp in zip(raws, stamps, strict=True):
                    if pps:
                        due = start + sent / pps
                    elif mbps:
                        due = start + size * 8 / (mbps * 1e6)
                    elif realtime:
                        due = origin + (stamp - base) / float(realtime)
                    else:
                        due = 0.0
                    if (wait := due - time.monotonic()) > 0:
                        time.sleep(wait)
                    sock.send(data)
                    sent += 1
                    size += len(data)
                rounds -= 1
    except KeyboardInterrupt:
        pass
    elapsed = time.monotonic() - start
    if not parse_results:
        return None
    rate = size * 8 / elapsed if elapsed else 0.0
    return {"packets": sent, "bytes": size, "time": round(elapsed, 2), "bps": rate,
            "mbps": rate / 1e6, "pps": sent / elapsed if elapsed else 0.0,
            "attempted": sent, "successful": sent, "failed": 0,
            "command": f"paquet sendpfast --intf1={iface}", "warnings": []}


def sendpfast(x: Any, pps: float | None = None, mbps: float | None = None,
              realtime: Any = False, count: int | None = None, loop: int = 0,
              file_cache: bool = False, iface: str | None = None,
              replay_args: list[str] | None = None,
              parse_results: bool = False) -> dict[str, Any] | None:
    """Send layer-2 frames fast: ``pps`` packets or ``mbps`` megabits per second (as fast as
    possible by default; ``realtime``: the capture's own timing, sped up that many times),
    ``count`` times or forever with ``loop`` (until Ctrl-C), on ``iface`` (``conf.iface``).

    Uses tcpreplay when installed (``file_cache``, ``replay_args`` go to it), paquet's own
    loop otherwise. ``parse_results=True`` returns the summary as a dict (``packets``,
    ``bytes``, ``time``, ``pps``...), else None.
    """
    if count and loop:
        raise ValueError("Can't use loop and count at the same time in sendpfast")
    iface = iface or _default_iface()
    program = shutil.which("tcpreplay")
    if program is not None:
        return _tcpreplay(program, x, pps, mbps, realtime, count, loop, file_cache, iface,
                          replay_args, parse_results)
    return _own(x, pps, mbps, realtime, count, loop, iface, parse_results)
