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

import base64
import errno
import hashlib
import ipaddress
import json
import os
import selectors
import socket
import struct
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paquet.errors import PaquetError, PrivilegeError
from paquet.numbers import (
    IPPROTO_ICMP,
    IPPROTO_ICMPV6,
    IPPROTO_TCP,
    IPPROTO_UDP,
    TCP_ACK,
    TCP_RST,
    TCP_SYN,
)
from paquet.probe import engine
from paquet.probe.cookies import SLOTS, Cookies
from paquet.probe.limits import check_count, check_rate, check_seconds
from paquet.probe.order import Permutation
from paquet.probe.rate import RateController
from paquet.probe.rawio import RawReceiver, RawSender, can_raw, source_address
from paquet.probe.services import service_name, top_ports
from paquet.probe.targets import expand_targets, parse_ports
from paquet.probe.wire import Template, parse_reply

__all__ = ["HostResult", "PortResult", "ScanResult", "load_state", "merge", "scan"]

_TCP_FAST = struct.Struct("!HHIIBB")
_PORT_PACK = struct.Struct("!H").pack

# Answer codes (one byte per probe): index -> (state, reason).
_CODES: list[tuple[str, str]] = [
    ("", ""),
    ("open", "syn-ack"),
    ("closed", "reset"),
    ("filtered", "no-response"),
    ("filtered", "net-unreach"),
    ("filtered", "host-unreach"),
    ("filtered", "proto-unreach"),
    ("filtered", "port-unreach"),
    ("filtered", "net-prohibited"),
    ("filtered", "host-prohibited"),
    ("filtered", "admin-prohibited"),
    ("filtered", "time-exceeded"),
    ("open", "udp-response"),
    ("closed", "port-unreach"),
    ("open|filtered", "no-response"),
    ("closed", "conn-refused"),
    ("unfiltered", "reset"),
]
_CODE = {sr: i for i, sr in enumerate(_CODES)}

MAX_RETRIES = 50
"""The most retransmissions of one probe (nmap's ``--max-retries`` has no bound; 50 is plenty)."""
_OPEN = _CODE["open", "syn-ack"]
_CLOSED = _CODE["closed", "reset"]
_UDP_OPEN = _CODE["open", "udp-response"]
_UDP_CLOSED = _CODE["closed", "port-unreach"]
_TIME_EXCEEDED = _CODE["filtered", "time-exceeded"]
_UNFILTERED = _CODE["unfiltered", "reset"]

# ICMP destination unreachable code -> reason (the codes nmap reads as "filtered")
_UNREACH4 = {0: "net-unreach", 1: "host-unreach", 2: "proto-unreach", 3: "port-unreach",
             9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited"}
_UNREACH6 = {0: "net-unreach", 1: "admin-prohibited", 3: "host-unreach", 4: "port-unreach"}

# nmap's payloads for a few well-known UDP services (from nmap-payloads): without one, the
# service stays silent and the port reads open|filtered.
_UDP_PAYLOADS: dict[int, bytes] = {
    # DNS: a status request (nmap's)
    53: bytes.fromhex("000010000000000000000000"),
    # NTP: a client request, version 2
    123: bytes.fromhex("e3000004000100000000000000000000000000000000000000000000"
                       "0000000000000000000000000000000000000000c54f234b71b152f3"),
    # NetBIOS name service: a wildcard node-status query
    137: bytes.fromhex("80f00010000100000000000020434b4141414141414141414141414141"
                       "414141414141414141414141414141410000210001"),
    # SNMPv1 get-request, community "public"
    161: bytes.fromhex("3082002f02010004067075626c6963a082002002044c33a756020100020100"
                       "308200103082000c06082b060102010105000500"),
}


@dataclass(slots=True)
class PortResult:
    """One scanned port: its nmap state, the reason, the answer's TTL and the service name."""

    port: int
    protocol: str
    state: str
    reason: str
    reason_ttl: int = 0

    @property
    def service(self) -> str:
        """nmap's service name for the port."""
        return service_name(self.port, self.protocol)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {"port": self.port, "protocol": self.protocol, "state": self.state,
                "reason": self.reason, "reason_ttl": self.reason_ttl, "service": self.service}


@dataclass
class HostResult:
    """One target: up or down (and why), its latency, and its ports (sorted)."""

    address: str
    state: str = "up"
    reason: str = "user-set"
    latency: float | None = None
    ports: list[PortResult] = field(default_factory=list)

    def port(self, number: int) -> PortResult | None:
        """The result of ``number``, or None when it was not scanned."""
        for p in self.ports:
            if p.port == number:
                return p
        return None

    def extraports(self) -> tuple[list[PortResult], list[tuple[str, int, dict[str, int]]]]:
        """nmap's display split: the ports to list, and the hidden states (``state``, count,
        {reason: count}): every state but open with more than 25 ports is summarised."""
        counts: dict[str, int] = {}
        for p in self.ports:
            counts[p.state] = counts.get(p.state, 0) + 1
        hidden = {s for s, c in counts.items() if c > 25 and s != "open"}
        shown = [p for p in self.ports if p.state not in hidden]
        summary: list[tuple[str, int, dict[str, int]]] = []
        for s in sorted(hidden, key=lambda s: -counts[s]):
            reasons: dict[str, int] = {}
            for p in self.ports:
                if p.state == s:
                    reasons[p.reason] = reasons.get(p.reason, 0) + 1
            summary.append((s, counts[s], reasons))
        return shown, summary

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary: shown ports listed, the others summarised as nmap does."""
        shown, hidden = self.extraports()
        return {
            "address": self.address,
            "state": self.state,
            "reason": self.reason,
            "latency": self.latency,
            "ports": [p.to_dict() for p in shown],
            "extraports": [{"state": s, "count": c, "reasons": r} for s, c, r in hidden],
        }


@dataclass
class ScanResult:
    """The outcome of :func:`scan`."""

    kind: str
    protocol: str
    ports: list[int]
    hosts: list[HostResult]
    started: float
    elapsed: float
    stats: engine.EngineStats | None = None
    args: list[str] = field(default_factory=list)
    shard: tuple[int, int] = (1, 1)

    def host(self, address: str) -> HostResult:
        """The result for ``address`` (KeyError when it was not a target)."""
        for h in self.hosts:
            if h.address == address:
                return h
        raise KeyError(address)

    def state(self, address: str, port: int) -> str:
        """The state of ``port`` on ``address`` (``""`` when that host was down)."""
        p = self.host(address).port(port)
        return p.state if p else ""

    def open_ports(self, address: str) -> list[int]:
        """The open ports of ``address``."""
        return [p.port for p in self.host(address).ports if p.state == "open"]

    @property
    def up(self) -> list[HostResult]:
        """The hosts that are up."""
        return [h for h in self.hosts if h.state == "up"]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {
            "kind": self.kind,
            "protocol": self.protocol,
            "ports": _compress_ports(self.ports),
            "started": self.started,
            "elapsed": round(self.elapsed, 4),
            "shard": list(self.shard),
            "hosts": [h.to_dict() for h in self.hosts],
            "stats": self.stats.to_dict() if self.stats else None,
        }


def _compress_ports(ports: Sequence[int]) -> str:
    """``[1,2,3,5]`` -> ``"1-3,5"`` (nmap's scaninfo services attribute)."""
    out: list[str] = []
    i = 0
    while i < len(ports):
        j = i
        while j + 1 < len(ports) and ports[j + 1] == ports[j] + 1:
            j += 1
        out.append(str(ports[i]) if i == j else f"{ports[i]}-{ports[j]}")
        i = j + 1
    return ",".join(out)


# --------------------------------------------------------------------------------------------
# Raw probe spaces


def _lanes() -> int:
    """Two sending lanes when a second CPU is idle enough to run the kernel's path of the
    second lane's probes; one otherwise (two lanes on a busy machine only add handoffs)."""
    cpus = os.cpu_count() or 1
    if cpus < 2:
        return 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 2
    return 2 if load < cpus - 0.5 else 1


class _Space:
    """Hosts x ports as probe indices, with the templates and sockets to probe them."""

    def __init__(self, hosts: list[str], ports: list[int], cookies: Cookies, udp: bool,
                 sockets: bool = True, src: str | None = None, ack: bool = False) -> None:
        self.hosts = hosts
        self.ports = ports
        self.nports = len(ports)
        self.size = len(hosts) * len(ports)
        self.codes = bytearray(self.size)
        self.ttls = bytearray(self.size)
        self.cookies = cookies
        self.udp = udp
        self.ack = ack
        self.port_index = {p: i for i, p in enumerate(ports)}
        self.templates: list[Template] = []
        self.host_index: dict[bytes, int] = {}
        sources: dict[int, set[str]] = {}
        for i, h in enumerate(hosts):
            s = src if src is not None else source_address(h)
            if udp:
                t = Template.udp(s, h)
            else:
                t = Template.tcp_ack(s, h) if ack else Template.tcp_syn(s, h)
            self.templates.append(t)
            self.host_index[t.dst] = i
            sources.setdefault(t.family, set()).add(s)
        self._udp_templates: dict[tuple[int, int], Template] = {}
        self._hashers = [cookies.tcp_hasher(t.src, t.dst) for t in self.templates]
        self._base = cookies.sport_base
        self._fast = not udp and not ack
        # Sending lanes (see engine): the second has its own templates (their buffers are
        # patched in place) and its own sockets.
        self.lanes = _lanes()
        self._lane_templates = [self.templates] + [
            [t.copy() for t in self.templates] for _ in range(self.lanes - 1)]
        self._lane_udp: list[dict[tuple[int, int], Template]] = [
            self._udp_templates] + [{} for _ in range(self.lanes - 1)]
        self._lane_senders: list[dict[int, RawSender]] = []
        self.senders: dict[int, RawSender] = {}
        self.receivers: list[RawReceiver] = []
        if not sockets:  # matching only (tests)
            return
        try:
            for _ in range(self.lanes):
                self._lane_senders.append({fam: RawSender(fam) for fam in sources})
            self.senders = self._lane_senders[0]
            for fam, srcs in sources.items():
                icmp = IPPROTO_ICMP if fam == 4 else IPPROTO_ICMPV6
                protos = (IPPROTO_UDP if udp else IPPROTO_TCP, icmp)
                dst = next(iter(srcs)) if len(srcs) == 1 else None
                self.receivers.append(RawReceiver(fam, protos, dst))
        except PaquetError:
            self.close()
            raise

    def close(self) -> None:
        """Close every socket."""
        for lane in self._lane_senders:
            for s in lane.values():
                s.close()
        for r in self.receivers:
            r.close()

    def _template(self, h: int, port: int, lane: int) -> Template:
        payload = _UDP_PAYLOADS.get(port) if self.udp else None
        if payload is None:
            return self._lane_templates[lane][h]
        key = (h, port)
        cache = self._lane_udp[lane]
        t = cache.get(key)
        if t is None:
            base = self.templates[h]
            t = Template.udp(str(ipaddress.ip_address(base.src)), self.hosts[h], payload)
            cache[key] = t
        return t

    def send(self, idx: int, slot: int) -> bool:
        """Send probe ``idx`` in window ``slot`` (lane 0)."""
        return self.send_lane(idx, slot, 0)

    def send_batch(self, idxs: list[int], slot: int, lane: int) -> int:
        """Send the probes ``idxs`` on lane ``lane``; the number the kernel took."""
        if self.udp or self.ack or len(self.hosts) != 1:
            return sum(1 for i in idxs if self.send_lane(i, slot, lane))
        # One host, TCP: the hot loop of a full port scan, with everything in locals.
        t = self._lane_templates[lane][0]
        build = t.build_syn
        hcopy = self._hashers[0].copy
        pack = _PORT_PACK
        from_bytes = int.from_bytes
        ports = self.ports
        sport = self._base + slot
        sendto = self._lane_senders[lane][t.family].sock.sendto
        dest = (self.hosts[0], 0)
        n = 0
        for idx in idxs:
            port = ports[idx]
            hh = hcopy()
            hh.update(pack(port))  # the cookie: Cookies.seq_of, inlined
            try:
                sendto(build(sport, port, from_bytes(hh.digest(), "big")), dest)
            except OSError:
                if not self.send_lane(idx, slot, lane):  # the slow path sorts errors out
                    continue
            n += 1
        return n

    def send_lane(self, idx: int, slot: int, lane: int) -> bool:
        """Send probe ``idx`` with lane ``lane``'s templates and sockets."""
        h, p = divmod(idx, self.nports)
        port = self.ports[p]
        sport = self.cookies.sport_base + slot
        if self.udp:
            t = self._template(h, port, lane)
            buf = t.build(sport, port, self.cookies.udp_ipid(t.dst, port, sport))
        elif self.ack:
            t = self._lane_templates[lane][h]
            buf = t.build(sport, port, Cookies.seq_of(self._hashers[h], port))
        else:
            t = self._lane_templates[lane][h]
            buf = t.build_syn(sport, port, Cookies.seq_of(self._hashers[h], port))
        return self._lane_senders[lane][t.family].send(buf, self.hosts[h])

    def _record(self, idx: int, code: int, ttl: int, slot: int) -> tuple[int, int] | None:
        old = self.codes[idx]
        if old and not (code in (_OPEN, _CLOSED, _UNFILTERED) and _CODES[old][0] == "filtered"):
            return None  # first answer wins, except a TCP answer over an ICMP error
        self.codes[idx] = code
        self.ttls[idx] = ttl
        return (idx, slot) if not old else None

    def match(self, data: bytes) -> tuple[int, int] | None:
        """Record ``data`` when it answers one of our probes (see the module's table)."""
        if self._fast and len(data) >= 40 and data[0] == 0x45 and data[9] == IPPROTO_TCP:
            # Fast path: an IPv4 TCP answer (what a SYN scan mostly receives), cheapest
            # tests first, the keyed hash last.
            sport, dport, _, ack, _, flags = _TCP_FAST.unpack_from(data, 20)
            slot = dport - self._base
            if slot < 0 or slot >= SLOTS or not flags & TCP_ACK:
                return None
            h = self.host_index.get(data[12:16])
            p = self.port_index.get(sport)
            if h is None or p is None or data[16:20] != self.templates[h].src:
                return None
            hh = self._hashers[h].copy()
            hh.update(_PORT_PACK(sport))
            if ack != (int.from_bytes(hh.digest(), "big") + 1) & 0xFFFFFFFF:
                return None
            idx = h * self.nports + p
            if flags & TCP_RST:
                return self._record(idx, _CLOSED, data[8], slot)
            if flags & TCP_SYN:
                return self._record(idx, _OPEN, data[8], slot)
            return None
        r = parse_reply(data)
        if r is None:
            return None
        cookies = self.cookies
        q = r.quote
        if q is None:
            h = self.host_index.get(r.src)
            p = self.port_index.get(r.sport)
            slot = cookies.slot_of(r.dport)
            if h is None or p is None or slot < 0:
                return None
            t = self.templates[h]
            if r.dst != t.src:
                return None
            idx = h * self.nports + p
            if self.udp:
                if r.proto != IPPROTO_UDP:
                    return None
                return self._record(idx, _UDP_OPEN, r.ttl, slot)
            if r.proto != IPPROTO_TCP:
                return None
            if self.ack:
                # ACK scan: a RST whose sequence number is our cookie means "unfiltered"
                if r.flags & TCP_RST and r.seq == cookies.tcp_seq(t.src, t.dst, r.sport):
                    return self._record(idx, _UNFILTERED, r.ttl, slot)
                return None
            if not r.flags & TCP_ACK or not cookies.synack_ok(t.src, t.dst, r.sport, r.ack):
                return None
            if r.flags & TCP_RST:
                return self._record(idx, _CLOSED, r.ttl, slot)
            if r.flags & TCP_SYN:
                return self._record(idx, _OPEN, r.ttl, slot)
            return None
        # an ICMP error quoting one of our probes
        h = self.host_index.get(q.dst)
        p = self.port_index.get(q.dport)
        slot = cookies.slot_of(q.sport)
        if h is None or p is None or slot < 0:
            return None
        t = self.templates[h]
        if q.src != t.src or q.proto != (IPPROTO_UDP if self.udp else IPPROTO_TCP):
            return None
        port = self.ports[p]
        if self.udp:
            if t.family == 4 and q.ipid != cookies.udp_ipid(t.dst, port, q.sport):
                return None
        elif q.seq != cookies.tcp_seq(t.src, t.dst, port):
            return None
        idx = h * self.nports + p
        if r.proto == IPPROTO_ICMP:
            if r.icmp_type == 11:
                return self._record(idx, _TIME_EXCEEDED, r.ttl, slot)
            reason = _UNREACH4.get(r.icmp_code) if r.icmp_type == 3 else None
        else:
            if r.icmp_type == 3:
                return self._record(idx, _TIME_EXCEEDED, r.ttl, slot)
            reason = _UNREACH6.get(r.icmp_code) if r.icmp_type == 1 else None
        if reason is None:
            return None
        if self.udp and reason == "port-unreach":
            return self._record(idx, _UDP_CLOSED, r.ttl, slot)
        return self._record(idx, _CODE["filtered", reason], r.ttl, slot)


# --------------------------------------------------------------------------------------------
# Connect scan


def _connect_scan(hosts: list[str], ports: list[int], order: Iterable[int], codes: bytearray,
                  timeout: float, retries: int,
                  progress: Callable[[int], None] | None) -> None:
    """Non-blocking ``connect`` to each (host, port) in ``order``, many in parallel."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    parallel = max(8, min(1024, soft - 64))
    nports = len(ports)
    sel = selectors.DefaultSelector()
    pending: dict[int, tuple[socket.socket, float, int]] = {}
    todo: list[int] = [i for i in order if not codes[i]]  # resuming: answered ones done
    attempts = dict.fromkeys(todo, 0)
    unresolved: list[int] = []
    pos = 0

    def finish(idx: int, sock: socket.socket, code: int) -> None:
        sel.unregister(sock)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()
        del pending[idx]
        if code:
            codes[idx] = code
        if progress is not None:
            progress(1)

    while pos < len(todo) or pending or unresolved:
        if pos >= len(todo) and not pending and unresolved:
            todo, unresolved, pos = unresolved, [], 0
        while pos < len(todo) and len(pending) < parallel:
            idx = todo[pos]
            pos += 1
            h, p = divmod(idx, nports)
            host = hosts[h]
            fam = socket.AF_INET6 if ":" in host else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((host, ports[p]))
            attempts[idx] += 1
            pending[idx] = (s, time.monotonic(), attempts[idx])
            sel.register(s, selectors.EVENT_WRITE, idx)
            if err not in (0, errno.EINPROGRESS):
                finish(idx, s, _errno_code(err))
        for key, _ in sel.select(0.01):
            idx = int(key.data)
            s = pending[idx][0]
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            finish(idx, s, _OPEN if err == 0 else _errno_code(err))
        now = time.monotonic()
        for idx, (s, t0, att) in list(pending.items()):
            if now - t0 >= timeout:
                if att <= retries:
                    sel.unregister(s)
                    s.close()
                    del pending[idx]
                    unresolved.append(idx)
                else:
                    finish(idx, s, _CODE["filtered", "no-response"])
    sel.close()


def _errno_code(err: int) -> int:
    if err == errno.ECONNREFUSED:
        return _CODE["closed", "conn-refused"]
    if err == errno.ENETUNREACH:
        return _CODE["filtered", "net-unreach"]
    if err == errno.EHOSTUNREACH:
        return _CODE["filtered", "host-unreach"]
    if err in (errno.EACCES, errno.EPERM):
        return _CODE["filtered", "admin-prohibited"]
    return _CODE["filtered", "no-response"]


# --------------------------------------------------------------------------------------------
# State files (resume)


def _default_seed(hosts: Sequence[str], ports: Sequence[int], kind: str) -> int:
    h = hashlib.blake2b(digest_size=8)
    h.update(kind.encode() + b"|" + ",".join(hosts).encode() + b"|" + _compress_ports(ports)
             .encode())
    return int.from_bytes(h.digest(), "big")


def _save_state(path: Path, data: dict[str, object]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)
    except OSError as exc:
        raise PaquetError(f"cannot write state file {path}: {exc.strerror or exc}") from None


def _check_state_path(path: str | Path) -> None:
    """Refuse, before anything is sent, a state file that could never be written."""
    target = Path(path)
    if str(path) == "" or target.is_dir():
        raise PaquetError(f"state file {str(path)!r} is a directory, not a file")
    parent = target.parent
    if not parent.is_dir():
        raise PaquetError(f"cannot write state file {path}: no directory {parent}")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise PaquetError(f"cannot write state file {path}: permission denied")


_STATE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "targets": list, "ports": list, "kind": str, "seed": int, "shard": list, "up": list,
    "position": int, "codes": str, "ttls": str,
}


def _pack_bytes(data: bytearray) -> str:
    """One byte per probe, compressed and base64-encoded for the JSON state file."""
    return base64.b64encode(zlib.compress(bytes(data), 1)).decode()


def _unpack_bytes(text: str) -> bytes:
    try:
        return zlib.decompress(base64.b64decode(text))
    except (ValueError, zlib.error):
        raise PaquetError("damaged scan state file") from None


def load_state(path: str | Path) -> dict[str, Any]:
    """Read a scan state file written by ``scan(..., state_file=...)``."""
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise PaquetError(f"no such state file: {path}") from None
    except (OSError, ValueError) as exc:
        raise PaquetError(f"cannot read state file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "paquet-scan-state/2":
        raise PaquetError(f"{path} is not a paquet scan state file")
    for key, kind in _STATE_FIELDS.items():
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise PaquetError(f"damaged scan state file {path}: bad or missing {key!r}")
    shard = data["shard"]
    if (len(shard) != 2 or not all(isinstance(v, int) for v in shard)
            or not 1 <= shard[0] <= shard[1]):
        raise PaquetError(f"damaged scan state file {path}: bad 'shard'")
    if not all(isinstance(p, int) and 0 <= p <= 65535 for p in data["ports"]) or not all(
            isinstance(h, str) for h in (*data["targets"], *data["up"])):
        raise PaquetError(f"damaged scan state file {path}: bad targets or ports")
    if not 0 <= data["seed"] < 2**64 or data["position"] < 0:
        raise PaquetError(f"damaged scan state file {path}: bad 'seed' or 'position'")
    return data


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
) -> ScanResult:
    """Scan ``ports`` (nmap syntax, or ints; default: nmap's top 1000) on ``targets``.

    ``method``: ``"syn"`` (default with raw-socket privileges), ``"connect"`` (default without),
    ``"udp"``, ``"ack"`` (nmap's ``-sA``: unfiltered or filtered). ``top=N`` scans nmap's N
    most frequent ports. ``discovery=False`` is nmap's ``-Pn``. ``shard=(i, n)`` scans the
    i-th of n deterministic, disjoint parts (same seed on every machine: derived from the targets
    and ports unless ``seed`` is given). ``state_file`` records progress (about once a second and
    on interruption); with ``resume=True`` the scan continues from it. ``progress(done, total)``
    reports first-pass progress.
    """
    _check_options(max_rate, min_rate, max_retries, timeout, seed, top)
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
    if seed is None:
        seed = _default_seed(host_list, port_list, method)
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
            if hs.latency is not None:
                srtt = hs.latency if srtt is None else max(srtt, hs.latency)
    up_hosts = [h for h in host_list if results[h].state == "up"]
    order = Permutation(len(up_hosts) * len(port_list), seed=seed, shard=shard)
    codes = bytearray(len(up_hosts) * len(port_list))
    ttls = bytearray(len(codes))
    skip = 0
    if state is not None:
        if list(state.get("up", [])) != up_hosts:
            up_hosts = list(state["up"])
            order = Permutation(len(up_hosts) * len(port_list), seed=seed, shard=shard)
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
    path = Path(state_file) if state_file is not None else None

    def checkpoint(position: int, answers: bytearray, answer_ttls: bytearray) -> None:
        if path is None:
            return
        _save_state(path, {
            "format": "paquet-scan-state/2", "kind": method, "targets": host_list,
            "up": up_hosts, "ports": port_list, "seed": seed, "shard": list(shard),
            "discovery": discovery, "position": position, "started": started,
            "elapsed": time.monotonic() - t0,
            "codes": _pack_bytes(answers), "ttls": _pack_bytes(answer_ttls),
        })

    if method == "connect":
        to = timeout if timeout is not None else max(1.0, 10 * (srtt or 0.1))
        try:
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
            rate = RateController(max_rate=max_rate, min_rate=min_rate)
            if srtt is not None:
                rate.rtt_sample(srtt)
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
    for h_i, h in enumerate(up_hosts):
        hr = results[h]
        base = h_i * nports
        for p_i, port in enumerate(port_list):
            idx = base + p_i
            if mine is not None and idx not in mine:
                continue
            code = codes[idx] or default
            st, reason = _CODES[code]
            hr.ports.append(PortResult(port, proto, st, reason, ttls[idx]))


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

