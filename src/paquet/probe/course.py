"""The course's own tools (TP 4), on top of the engine: ``tracerouteperso`` and ``testport``.

The course writes them with one ``sr1`` per probe (a 10,000-port scan takes minutes); these keep
their names, arguments and results, and run on :func:`paquet.probe.trace.trace` and
:func:`paquet.probe.scan.scan`. ``paquet.nsi`` re-exports them.
"""

from __future__ import annotations

from paquet.probe.rawio import can_raw
from paquet.probe.scan import scan
from paquet.probe.trace import trace

__all__ = ["testport", "tracerouteperso"]


def tracerouteperso(adresse: str, ttl_max: int = 30) -> list[str]:
    """Print, one per line, the address of each router that answers on the way to ``adresse``
    (ICMP echo probes, TTL 1, 2, ...), then the destination's; return them as a list.

    Routers that stay silent are skipped, as the course's loop skips ``None`` answers.
    """
    result = trace(adresse, method="icmp", queries=1, max_ttl=ttl_max)
    adresses = [a for a in result.path if a is not None]
    for a in adresses:
        print(a)
    return adresses


def testport(ip: str, ports: int = 10000) -> list[int]:
    """The open TCP ports of ``ip`` among 0..ports-1 (the course's 10,000), in increasing order:
    a SYN scan with raw sockets, a connect scan without. No host discovery first, as the course.
    """
    methode = "syn" if can_raw() else "connect"
    resultat = scan(ip, range(ports), method=methode, discovery=False)
    return resultat.open_ports(resultat.hosts[0].address)
