"""What a scan found: nmap's port states and reasons as one-byte answer codes, and the results
per port, per host and for the whole scan (with nmap's XML and grepable outputs' fields).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import count, groupby
from operator import attrgetter, sub

from paquet.probe import engine
from paquet.probe.records import dataclass, field
from paquet.probe.services import service_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "OPENISH",
    "HostResult",
    "PortResult",
    "ScanResult",
]


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

OPENISH = frozenset({"open", "open|filtered", "unfiltered"})
"""The states nmap's ``--open`` shows (open, or possibly open)."""

_OPEN = _CODE["open", "syn-ack"]
_CLOSED = _CODE["closed", "reset"]
_UDP_OPEN = _CODE["open", "udp-response"]
_UDP_CLOSED = _CODE["closed", "port-unreach"]
_TIME_EXCEEDED = _CODE["filtered", "time-exceeded"]
_UNFILTERED = _CODE["unfiltered", "reset"]


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


_STATE_REASON = attrgetter("state", "reason")


class PortList(list[PortResult]):
    """A host's ports as a list, which may know how many there are of each (state, reason):
    a scan counts its answer codes in C (``bytes.count``) instead of 65,536 ports in Python.
    The counts are dropped when an element is replaced; any other change alters the length,
    which :meth:`counts` checks."""

    __slots__ = ("_counts",)

    def __init__(self, ports: Iterable[PortResult] = (),
                 counts: dict[tuple[str, str], int] | None = None) -> None:
        super().__init__(ports)
        self._counts = counts

    def __setitem__(self, index: Any, value: Any) -> None:
        self._counts = None
        super().__setitem__(index, value)

    def counts(self) -> dict[tuple[str, str], int] | None:
        """The known counts per (state, reason), or None."""
        c = self._counts
        return c if c is not None and sum(c.values()) == len(self) else None


@dataclass
class HostResult:
    """One target: up or down (and why), its latency, and its ports (sorted)."""

    address: str
    state: str = "up"
    reason: str = "user-set"
    latency: float | None = None
    ports: list[PortResult] = field(default_factory=list)
    reason_ttl: int = 0

    def port(self, number: int) -> PortResult | None:
        """The result of ``number``, or None when it was not scanned."""
        for p in self.ports:
            if p.port == number:
                return p
        return None

    def extraports(self, open_only: bool = False
                   ) -> tuple[list[PortResult], list[tuple[str, int, dict[str, int]]]]:
        """nmap's display split: the ports to list, and the hidden states (``state``, count,
        {reason: count}): every state but open with more than 25 ports is summarised; with
        ``open_only`` (nmap's ``--open``) every state but the possibly open ones."""
        known = self.ports.counts() if isinstance(self.ports, PortList) else None
        by_reason = known if known is not None else Counter(map(_STATE_REASON, self.ports))
        counts: dict[str, int] = {}
        for (state, _), n in by_reason.items():
            counts[state] = counts.get(state, 0) + n
        if open_only:
            hidden = {s for s in counts if s not in OPENISH}
        else:
            hidden = {s for s, c in counts.items() if c > 25 and s != "open"}
        shown = [p for p in self.ports if p.state not in hidden]
        summary: list[tuple[str, int, dict[str, int]]] = []
        for s in sorted(hidden, key=lambda s: -counts[s]):
            reasons = {r: n for (state, r), n in by_reason.items() if state == s}
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
    """Sorted ports without duplicates, ``[1,2,3,5]`` -> ``"1-3,5"`` (nmap's scaninfo services
    attribute).

    >>> _compress_ports([1, 2, 3, 5]), _compress_ports(range(0, 65536)), _compress_ports([])
    ('1-3,5', '0-65535', '')
    """
    if not ports:
        return ""
    first, last = ports[0], ports[-1]
    if last - first + 1 == len(ports):  # sorted and distinct: one run (-p-)
        return str(first) if first == last else f"{first}-{last}"
    # Within a run, port - position is constant: the runs are its groups (found in C).
    out: list[str] = []
    at = 0
    for _, run in groupby(map(sub, ports, count())):
        n = len(list(run))
        start, end = ports[at], ports[at + n - 1]
        out.append(str(start) if n == 1 else f"{start}-{end}")
        at += n
    return ",".join(out)
