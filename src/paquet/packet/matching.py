"""How a reply is matched to what it answers, in the layers' ``answers()`` and ``hashret()``:
Scapy's ``conf.checkIPaddr``, ``conf.checkIPsrc``, ``conf.checkIPID`` and ``conf.checkIPinIP``,
with Scapy's defaults. ``paquet.conf`` reads and writes them here (the engine imports nothing
of the network code).

- ``check_ip_addr`` (True): a reply's addresses must be the probe's, swapped; False compares
  none in ``IP.answers`` (a probe sent to a broadcast address, answered by a host's own).
- ``check_ip_src`` (True): an ICMP error's quoted datagram must come from the probe's source
  (set it False behind a NAT that rewrote the quote).
- ``check_ip_id`` (False, as Scapy): the quoted IP id must be the probe's; off by default since
  routers and NATs may rewrite it (its byte-swapped value is accepted too, as Scapy).
- ``check_ip_in_ip`` (True): an IP-in-IP or 6in4 packet answers only as itself; False looks
  through the outer header (a reply tunnelled back, a probe sent through a tunnel).

>>> from paquet.packet.matching import matching
>>> matching.check_ip_addr, matching.check_ip_src, matching.check_ip_id, matching.check_ip_in_ip
(True, True, False, True)
"""

from __future__ import annotations

__all__ = ["MatchSettings", "matching"]


class MatchSettings:
    """The switches; one instance, :data:`matching`."""

    __slots__ = ("check_ip_addr", "check_ip_id", "check_ip_in_ip", "check_ip_src")

    def __init__(self) -> None:
        self.check_ip_addr = True
        self.check_ip_src = True
        self.check_ip_id = False
        self.check_ip_in_ip = True


matching = MatchSettings()
