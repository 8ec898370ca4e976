"""What a scan found: nmap's port states and reasons as one-byte answer codes, and the results
per port, per host and for the whole scan (with nmap's XML and grepable outputs' fields).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, count, groupby, repeat
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


class PortList(Sequence[PortResult]):
    """A host's ports, as a scan found them: a sequence of :class:`PortResult` kept as the
    scan's answer codes (a byte per port) until someone looks at the ports themselves.

    A full scan's 65,536 ports would be 65,536 objects (25 ms to make, 6 MB per host);
    nmap's outputs need only the few listed ports and a count per state and reason, which
    the codes give in C (``bytes.count``, ``itertools.compress``). Indexing, iterating and
    comparing make the objects once; a change (``append``, ``extend``, item assignment)
    makes them and forgets the codes.
    """

    __slots__ = ("_codes", "_items", "_kinds", "_numbers", "_protocol", "_ttls")

    def __init__(self, numbers: Sequence[int], codes: bytes, ttls: bytes,
                 kinds: Sequence[tuple[str, str]], protocol: str) -> None:
        """``numbers[i]`` answered ``codes[i]`` (its (state, reason) is ``kinds[code]``) with
        TTL ``ttls[i]``."""
        self._numbers = numbers
        self._codes: bytes | None = codes
        self._ttls = ttls
        self._kinds = kinds
        self._protocol = protocol
        self._items: list[PortResult] | None = None

    def _all(self) -> list[PortResult]:
        items = self._items
        if items is None:
            codes = self._codes or b""
            states = [k[0] for k in self._kinds]
            reasons = [k[1] for k in self._kinds]
            items = self._items = list(map(
                PortResult, self._numbers, repeat(self._protocol),
                map(states.__getitem__, codes), map(reasons.__getitem__, codes), self._ttls))
        return items

    def __len__(self) -> int:
        return len(self._items) if self._items is not None else len(self._numbers)

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __iter__(self) -> Iterator[PortResult]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, PortList)):
            return self._all() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())

    def __setitem__(self, index: Any, value: Any) -> None:
        self._all()[index] = value
        self._codes = None

    def append(self, port: PortResult) -> None:
        """Add ``port`` at the end."""
        self._all().append(port)
        self._codes = None

    def extend(self, ports: Iterable[PortResult]) -> None:
        """Add ``ports`` at the end."""
        self._all().extend(ports)
        self._codes = None

    def counts(self) -> dict[tuple[str, str], int] | None:
        """How many ports there are of each (state, reason), from the codes (None once the
        ports were changed)."""
        codes = self._codes
        if codes is None:
            return None
        out: dict[tuple[str, str], int] = {}
        for _, code in sorted((codes.find(code), code) for code in set(codes)):
            kind = self._kinds[code]  # (in the order the ports show them first, as counting them)
            out[kind] = out.get(kind, 0) + codes.count(code)
        return out

    def _selected(self, codes: bytes, keep: Callable[[tuple[str, str]], bool]) -> bytes:
        """A byte per port, 1 where its (state, reason) is to ``keep`` (``bytes.translate``)."""
        kinds = self._kinds
        table = bytes(1 if code < len(kinds) and keep(kinds[code]) else 0
                      for code in range(256))
        return codes.translate(table)

    def numbers(self, state: str, reason: str) -> list[int] | None:
        """The port numbers in ``state`` for ``reason``, from the codes (None once changed)."""
        codes = self._codes
        if codes is None:
            return None
        return list(compress(self._numbers, self._selected(codes, lambda k: k == (state, reason))))

    def without(self, hidden: set[str]) -> list[PortResult] | None:
        """The ports whose state is not in ``hidden`` (made for these only), from the codes
        (None once changed)."""
        codes = self._codes
        if codes is None:
            return None
        if self._items is not None:
            return [p for p in self._items if p.state not in hidden]
        selected = self._selected(codes, lambda kind: kind[0] not in hidden)
        kinds, numbers, ttls, protocol = self._kinds, self._numbers, self._ttls, self._protocol
        out: list[PortResult] = []
        i = selected.find(1)
        while i >= 0:  # (the shown ports are few: one find each)
            out.append(PortResult(numbers[i], protocol, *kinds[codes[i]], ttls[i]))
            i = selected.find(1, i + 1)
        return out


@dataclass
class HostResult:
    """One target: up or down (and why), its latency, and its ports (sorted)."""

    address: str
    state: str = "up"
    reason: str = "user-set"
    latency: float | None = None
    ports: list[PortResult] | PortList = field(default_factory=list)
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
        ports = self.ports
        table = ports if isinstance(ports, PortList) else None
        known = table.counts() if table is not None else None
        by_reason = known if known is not None else Counter(map(_STATE_REASON, ports))
        counts: dict[str, int] = {}
        for (state, _), n in by_reason.items():
            counts[state] = counts.get(state, 0) + n
        if open_only:
            hidden = {s for s in counts if s not in OPENISH}
        else:
            hidden = {s for s, c in counts.items() if c > 25 and s != "open"}
        listed = table.without(hidden) if table is not None else None
        shown = listed if listed is not None else [p for p in ports if p.state not in hidden]
        summary: list[tuple[str, int, dict[str, int]]] = []
        for s in sorted(hidden, key=lambda s: -counts[s]):
            reasons = {r: n for (state, r), n in by_reason.items() if state == s}
            summary.append((s, counts[s], reasons))
        return shown, summary

    def port_numbers(self, state: str, reason: str) -> list[int]:
        """The numbers of the ports in ``state`` for ``reason``, in order."""
        known = self.ports.numbers(state, reason) if isinstance(self.ports, PortList) else None
        if known is not None:
            return known
        return [p.port for p in self.ports if p.state == state and p.reason == reason]

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
