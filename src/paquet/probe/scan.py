"""Port scanning: SYN (raw, stateless), connect (unprivileged) and UDP, with nmap's port states.

nmap's rules, per probe answer:

============================  ============================  ================================
answer                        SYN scan                      UDP scan
============================  ============================  ================================
SYN/ACK                       open (syn-ack)
RST                           closed (reset)
UDP datagram                                                open (udp-response)
ICMP unreachable code 3       filtered (port-unreach)       closed (port-unreach)
ICMP unreachable 0,1,2,9,10,13 filtered (net-/host-/...)    filtered (same reasons)
nothing, after retries        filtered (no-response)        open|filtered (no-response)
============================  ============================  ================================

An ACK scan (``-sA``) maps firewalls: a RST means unfiltered (reset), an ICMP unreachable or
silence filtered. A connect scan (no raw sockets needed) says open (syn-ack) when ``connect``
succeeds, closed (conn-refused) on ECONNREFUSED, filtered otherwise.

``scan(targets, ports)`` first finds which targets are up
(:func:`paquet.probe.discover.probe_hosts`, like nmap) unless ``discovery=False`` (``-Pn``),
then probes every (host, port) of the up hosts in a random order, shardable (``shard=(i, n)``)
and resumable (``state_file``).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Sequence

from paquet.errors import PaquetError, PrivilegeError
from paquet.probe import engine
from paquet.probe.cookies import Cookies
from paquet.probe.limits import check_count, check_rate, check_seconds
from paquet.probe.order import Permutation, Sequential
from paquet.probe.rate import RateController
from paquet.probe.rawio import can_raw, device
from paquet.probe.scan_raw import _Space
from paquet.probe.scan_results import _CODE, _CODES, HostResult, PortList, PortResult, ScanResult
from paquet.probe.scan_state import (
    _check_state_path,
    _default_seed,
    _pack_bytes,
    _save_state,
    _unpack_bytes,
    load_state,
)
from paquet.probe.services import top_ports
from paquet.probe.targets import exclude_targets, expand_targets, parse_ports

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = ["HostResult", "PortResult", "ScanResult", "load_state", "merge", "scan"]

MAX_RETRIES = 50
"""The most retransmissions of one probe (nmap's ``--max-retries`` has no bound; 50 is plenty)."""


# --------------------------------------------------------------------------------------------
# The scan


def _check_options(max_rate: float, min_rate: float, max_retries: int, timeout: float | None,
                   seed: int | None, top: int | None) -> None:
    """Refuse NaN, infinite, negative or contradictory numbers before anything is sent."""
    check_rate("max_rate", max_rate)
    check_rate("min_rate", min_rate)
    if min_rate > max_rate:
        raise PaquetError(f"--min-rate={min_rate:g} must be less than or equal to "
                          f"--max-rate={max_rate:g}")
    check_count("max_retries", max_retries, low=0, high=MAX_RETRIES)
    check_seconds("timeout", timeout)
    check_count("seed", seed, low=0, high=2**64 - 1)
    check_count("top", top, low=1, high=65535)


def scan(
    targets: str | Sequence[str],
    ports: str | Iterable[int] | None = None,
    *,
    method: str | None = None,
    top: int | None = None,
    discovery: bool = True,
    family: int = 0,
    max_rate: float = 200_000.0,
    min_rate: float = 10.0,
    max_retries: int = 10,
    timeout: float | None = None,
    seed: int | None = None,
    shard: tuple[int, int] = (1, 1),
    state_file: str | Path | None = None,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
    args: Sequence[str] = (),
    sequential: bool = False,
    exclude: Sequence[str] = (),
    iface: str | None = None,
    max_rtt_timeout: float | None = None,
    on_start: Callable[[], None] | None = None,
) -> ScanResult:
    """Scan ``ports`` (nmap syntax, or ints; default: nmap's top 1000) on ``targets``.

    ``method``: ``"syn"`` (default with raw-socket privileges), ``"connect"`` (default without),
    ``"udp"``, ``"ack"`` (nmap's ``-sA``: unfiltered or filtered). ``top=N`` scans nmap's N
    most frequent ports. ``discovery=False`` is nmap's ``-Pn``. ``shard=(i, n)`` scans the
    i-th of n deterministic, disjoint parts (same seed on every machine: derived from the targets
    and ports unless ``seed`` is given). ``state_file`` records progress (about once a second and
    on interruption); with ``resume=True`` the scan continues from it. ``progress(done, total)``
    reports first-pass progress.

    nmap's options: ``sequential=True`` is ``-r`` (probes in order, not shuffled), ``exclude``
    is ``--exclude`` (targets left out), ``iface`` is ``-e`` (probes leave by that interface),
    ``max_rtt_timeout`` is ``--max-rtt-timeout`` (seconds; the longest wait for an answer).
    ``on_start()`` is called once the targets and ports are read, before any probe.
    """
    # No cyclic garbage is made while probing and filling the results, but their many objects
    # would trigger full collections: the collector waits until the scan is done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with device(iface):
            return _scan(targets, ports, method, top, discovery, family, max_rate, min_rate,
                         max_retries, timeout, seed, shard, state_file, resume, progress, args,
                         sequential, exclude, max_rtt_timeout, on_start)
    finally:
        if collecting:
            gc.enable()


def _scan(targets: str | Sequence[str], ports: str | Iterable[int] | None, method: str | None,
          top: int | None, discovery: bool, family: int, max_rate: float, min_rate: float,
          max_retries: int, timeout: float | None, seed: int | None, shard: tuple[int, int],
          state_file: str | Path | None, resume: bool,
          progress: Callable[[int, int], None] | None, args: Sequence[str], sequential: bool,
          exclude: Sequence[str], max_rtt_timeout: float | None,
          on_start: Callable[[], None] | None) -> ScanResult:
    _check_options(max_rate, min_rate, max_retries, timeout, seed, top)
    check_seconds("max_rtt_timeout", max_rtt_timeout)
    order_of: type[Permutation] = Sequential if sequential else Permutation
    if state_file is not None and not resume:
        _check_state_path(state_file)
    state: dict[str, Any] | None = None
    if resume:
        if state_file is None:
            raise PaquetError("resume needs a state file")
        state = load_state(state_file)
        targets = list(state["targets"])
        ports = list(state["ports"])
        method = str(state["kind"])
        seed = int(state["seed"])
        shard = (int(state["shard"][0]), int(state["shard"][1]))
        discovery = bool(state.get("discovery", True))
        sequential = bool(state.get("sequential", False))
        order_of = Sequential if sequential else Permutation
    if method is None:
        method = "syn" if can_raw() else "connect"
    if method not in ("syn", "connect", "udp", "ack"):
        raise PaquetError(f"unknown scan method {method!r}: syn, connect, udp or ack")
    if method in ("syn", "udp", "ack") and not can_raw():
        raise PrivilegeError(f"a {method.upper()} scan needs raw sockets (root or CAP_NET_RAW); "
                             "use --connect, or sudo")
    proto = "udp" if method == "udp" else "tcp"
    if top is not None:
        if ports is not None:
            raise PaquetError("give either ports or top ports, not both")
        port_list = top_ports(top, proto)
        port_list.sort()
    elif ports is None:
        port_list = sorted(top_ports(1000, proto))
    else:
        port_list = parse_ports(ports)
    if not port_list:
        raise PaquetError("no port to scan")
    host_list = expand_targets([targets] if isinstance(targets, str) else targets, family)
    if exclude:
        host_list = exclude_targets(host_list, exclude)
    if seed is None:
        seed = _default_seed(host_list, port_list, method)
    if on_start is not None:
        on_start()
    started = time.time()
    t0 = time.monotonic()

    # Host discovery (nmap's ping scan), unless -Pn.
    results = {h: HostResult(h) for h in host_list}
    srtt: float | None = None
    if state is not None:  # resuming: the hosts found up the first time
        for h in host_list:
            up = h in state.get("up", [])
            results[h].state = "up" if up else "down"
            results[h].reason = "resumed" if up else "no-response"
    elif discovery:
        from paquet.probe.discover import probe_hosts

        status = probe_hosts(host_list, raw=method != "connect")
        for h, hs in status.items():
            hr = results[h]
            hr.state = "up" if hs.up else "down"
            hr.reason = hs.reason
            hr.latency = hs.latency
            hr.reason_ttl = hs.reason_ttl
            if hs.latency is not None:
                srtt = hs.latency if srtt is None else max(srtt, hs.latency)
    up_hosts = [h for h in host_list if results[h].state == "up"]
    order = order_of(len(up_hosts) * len(port_list), seed=seed, shard=shard)
    codes = bytearray(len(up_hosts) * len(port_list))
    ttls = bytearray(len(codes))
    skip = 0
    if state is not None:
        if list(state.get("up", [])) != up_hosts:
            up_hosts = list(state["up"])
            order = order_of(len(up_hosts) * len(port_list), seed=seed, shard=shard)
            codes = bytearray(len(up_hosts) * len(port_list))
            ttls = bytearray(len(codes))
        skip = int(state["position"])
        saved_codes = _unpack_bytes(str(state["codes"]))
        saved_ttls = _unpack_bytes(str(state["ttls"]))
        if len(saved_codes) != len(codes) or len(saved_ttls) != len(ttls):
            raise PaquetError(f"state file {state_file} does not match its own targets and ports")
        codes[:] = saved_codes
        ttls[:] = saved_ttls

    total = len(order)
    done = skip

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    stats: engine.EngineStats | None = None
    path: Path | None = None
    if state_file is not None:
        from pathlib import Path

        path = Path(state_file)

    def checkpoint(position: int, answers: bytearray, answer_ttls: bytearray) -> None:
        if path is None:
            return
        _save_state(path, {
            "format": "paquet-scan-state/2", "kind": method, "targets": host_list,
            "up": up_hosts, "ports": port_list, "seed": seed, "shard": list(shard),
            "discovery": discovery, "sequential": sequential, "position": position,
            "started": started,
            "elapsed": time.monotonic() - t0,
            "codes": _pack_bytes(answers), "ttls": _pack_bytes(answer_ttls),
        })

    if method == "connect":
        to = timeout if timeout is not None else max(1.0, 10 * (srtt or 0.1))
        try:
            from paquet.probe.scan_connect import _connect_scan

            _connect_scan(up_hosts, port_list, order.walk(skip), codes, to, 1, report)
        except KeyboardInterrupt:
            checkpoint(skip, codes, ttls)
            raise
        checkpoint(total, codes, ttls)
        default = _CODE["filtered", "no-response"]
    else:
        cookies = Cookies()
        if up_hosts:
            space = _Space(up_hosts, port_list, cookies, udp=method == "udp",
                           ack=method == "ack")
            space.codes[:] = codes
            space.ttls[:] = ttls
            # The discovery's round trip sets the starting rate: RFC 6928's initial window of
            # ten segments per round trip (2,000 probes/s at least, as without one).
            start = min(max_rate, max(2_000.0, 10.0 / srtt)) if srtt else None
            rate = RateController(max_rate=max_rate, min_rate=min_rate, start_rate=start)
            if srtt is not None:
                rate.rtt_sample(srtt)
            if max_rtt_timeout is not None:
                rate.rto_max = max(max_rtt_timeout, 0.001)
                rate.rto_min = min(rate.rto_min, rate.rto_max)
            if timeout is not None:
                rate.rto_min = rate.rto_max = timeout
            position = skip
            try:
                stats = engine.run(
                    space, order, rate, max_retries=max_retries, skip=skip, progress=report,
                    checkpoint=lambda pos: checkpoint(pos, space.codes, space.ttls),
                )
                position = total
            except KeyboardInterrupt:
                checkpoint(min(done, total), space.codes, space.ttls)
                raise
            finally:
                space.close()
            codes, ttls = space.codes, space.ttls
            checkpoint(position, codes, ttls)
        default = _default_code(method)

    # Results, ports sorted as nmap lists them; the shard's own probes only.
    mine = set(order) if shard != (1, 1) else None
    _fill_ports(results, up_hosts, port_list, proto, codes, ttls, default, mine)
    if stats is not None and srtt is None:
        for hr in results.values():
            if hr.latency is None and hr.state == "up":
                hr.latency = stats.srtt
    return ScanResult(method, proto, port_list, [results[h] for h in host_list], started,
                      time.monotonic() - t0, stats, list(args), shard)


def _default_code(method: str) -> int:
    """The code of a probe never answered: open|filtered for UDP, filtered otherwise."""
    return _CODE["open|filtered", "no-response"] if method == "udp" else \
        _CODE["filtered", "no-response"]


def _fill_ports(results: dict[str, HostResult], up_hosts: Sequence[str], port_list: list[int],
                proto: str, codes: bytes | bytearray, ttls: bytes | bytearray, default: int,
                mine: set[int] | None) -> None:
    nports = len(port_list)
    kinds = [_CODES[code or default] for code in range(len(_CODES))]  # once per code
    for h_i, h in enumerate(up_hosts):
        base = h_i * nports
        mine_codes = codes[base:base + nports]
        mine_ttls = ttls[base:base + nports]
        if mine is None:  # every port: kept as the codes until looked at (see PortList)
            results[h].ports = PortList(port_list, bytes(mine_codes), bytes(mine_ttls), kinds,
                                        proto)
            continue
        append = results[h].ports.append
        for idx, port, code, ttl in zip(range(base, base + nports), port_list, mine_codes,
                                        mine_ttls, strict=True):
            if idx not in mine:
                continue
            st, reason = kinds[code]
            append(PortResult(port, proto, st, reason, ttl))


def merge(state_files: Sequence[str | Path]) -> ScanResult:
    """One result from the state files of all the shards of a scan (``shard=(i, n)`` with a
    ``state_file`` on each machine): their answers are disjoint, the union is the whole scan.

    Refuses files of different scans, a missing shard, or a shard that has not finished.
    """
    if not state_files:
        raise PaquetError("nothing to merge")
    states = [(str(p), load_state(p)) for p in state_files]
    first = states[0][1]
    for path, st in states[1:]:
        for key in ("kind", "targets", "up", "ports", "seed"):
            if st.get(key) != first.get(key):
                raise PaquetError(f"{path} is not a shard of the same scan ({key} differs)")
    shards = [(int(st["shard"][0]), int(st["shard"][1])) for _, st in states]
    n = shards[0][1]
    have = sorted(i for i, _ in shards)
    if any(k != n for _, k in shards) or have != list(range(1, n + 1)):
        raise PaquetError(f"incomplete or mixed shards: have {have} of {n}")
    method = str(first["kind"])
    host_list = [str(h) for h in first["targets"]]
    up_hosts = [str(h) for h in first["up"]]
    port_list = [int(p) for p in first["ports"]]
    size = len(up_hosts) * len(port_list)
    codes = bytearray(size)
    ttls = bytearray(size)
    elapsed = 0.0
    started = min(float(st.get("started", 0.0)) for _, st in states)
    for path, st in states:
        i, k = int(st["shard"][0]), int(st["shard"][1])
        if int(st["position"]) < len(Permutation(size, int(st["seed"]), (i, k))):
            raise PaquetError(f"{path}: shard {i}/{k} did not finish (resume it first)")
        c, t = _unpack_bytes(str(st["codes"])), _unpack_bytes(str(st["ttls"]))
        if len(c) != size or len(t) != size:
            raise PaquetError(f"{path} is damaged (its answers do not fit its targets)")
        for idx, v in enumerate(c):
            if v:
                codes[idx] = v
                ttls[idx] = t[idx]
        elapsed = max(elapsed, float(st.get("elapsed", 0.0)))
    results = {h: HostResult(h, "up" if h in up_hosts else "down",
                             "merged" if h in up_hosts else "no-response") for h in host_list}
    proto = "udp" if method == "udp" else "tcp"
    _fill_ports(results, up_hosts, port_list, proto, codes, ttls, _default_code(method), None)
    return ScanResult(method, proto, port_list, [results[h] for h in host_list], started,
                      elapsed, None, ["paquet", "scan", "--merge", *map(str, state_files)])
