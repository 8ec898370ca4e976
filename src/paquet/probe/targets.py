"""Target and port specifications, in nmap's syntax.

>>> parse_ports("22,80,1000-1002")
[22, 80, 1000, 1001, 1002]
>>> len(parse_ports("-"))
65535
>>> expand_targets(["192.0.2.1-3", "198.51.100.0/31"])
['192.0.2.1', '192.0.2.2', '192.0.2.3', '198.51.100.0', '198.51.100.1']
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from paquet.errors import AddressError, PaquetError
from paquet.probe.rawio import resolve

__all__ = ["expand_targets", "parse_ports"]

MAX_HOSTS = 1 << 24


def parse_ports(spec: str | Iterable[int]) -> list[int]:
    """Ports from nmap's syntax: ``22,80``, ranges ``1-1024``, open ranges ``-1024``, ``1000-``,
    ``-`` (1-65535). Returns them sorted, without duplicates; a ``T:``/``U:`` prefix is ignored."""
    if not isinstance(spec, str):
        ports = sorted(set(spec))
        for p in ports:
            if not 0 <= p <= 65535:
                raise PaquetError(f"port {p} out of range 0-65535")
        return ports
    out: set[int] = set()
    text = spec.strip()
    if not text:
        raise PaquetError("empty port specification")
    for part in text.split(","):
        part = part.strip()
        if len(part) > 2 and part[1] == ":" and part[0] in "TUSPtusp":
            part = part[2:]
        if not part:
            raise PaquetError(f"bad port specification {spec!r}: empty item")
        try:
            if "-" in part:
                lo_t, hi_t = part.split("-", 1)
                lo = int(lo_t) if lo_t else 1
                hi = int(hi_t) if hi_t else 65535
            else:
                lo = hi = int(part)
        except ValueError:
            raise PaquetError(f"bad port specification {spec!r}: {part!r} is not a port "
                              "or a range") from None
        if not (0 <= lo <= 65535 and 0 <= hi <= 65535):
            raise PaquetError(f"bad port specification {spec!r}: ports go from 0 to 65535")
        if lo > hi:
            raise PaquetError(f"bad port specification {spec!r}: range {part} is reversed")
        out.update(range(lo, hi + 1))
    return sorted(out)


def _range_target(text: str) -> list[str] | None:
    """nmap's last-octet range ``192.0.2.1-20`` (IPv4 only)."""
    head, sep, tail = text.rpartition(".")
    if not sep or "-" not in tail:
        return None
    lo_t, hi_t = tail.split("-", 1)
    try:
        lo, hi = int(lo_t), int(hi_t)
        ipaddress.IPv4Address(f"{head}.{lo}")
        ipaddress.IPv4Address(f"{head}.{hi}")
    except ValueError:
        return None
    if lo > hi:
        raise AddressError(f"bad target {text!r}: range {lo}-{hi} is reversed")
    return [f"{head}.{i}" for i in range(lo, hi + 1)]


def expand_targets(specs: Iterable[str], family: int = 0) -> list[str]:
    """Addresses from targets: addresses, ``CIDR`` subnets (all their addresses, as nmap),
    last-octet ranges and host names (resolved). Order kept, duplicates dropped."""
    seen: dict[str, None] = {}
    for raw in specs:
        for text in raw.replace(",", " ").split():
            if "/" in text:
                try:
                    net = ipaddress.ip_network(text, strict=False)
                except ValueError as exc:
                    raise AddressError(f"bad target {text!r}: {exc}") from None
                if net.num_addresses > MAX_HOSTS:
                    raise AddressError(f"target {text} is too large ({net.num_addresses} "
                                       f"addresses; at most {MAX_HOSTS})")
                for ip in net:
                    seen[str(ip)] = None
                continue
            ranged = _range_target(text)
            if ranged is not None:
                for a in ranged:
                    seen[a] = None
                continue
            try:
                seen[str(ipaddress.ip_address(text))] = None
            except ValueError:
                seen[resolve(text, family)] = None
    if not seen:
        raise AddressError("no target given")
    out = list(seen)
    if family:
        out = [a for a in out if ipaddress.ip_address(a).version == family]
        if not out:
            raise AddressError(f"no IPv{family} target")
    return out
