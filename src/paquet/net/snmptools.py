"""Scapy's SNMP helpers: ``snmpget`` (a getnext to every address of a network: an SNMP scan)
and ``snmpwalk`` (getnext requests from an OID until the end of the agent's MIB).

Use them only on agents you own: the lab (``paquet lab``) is made for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["snmpget", "snmpwalk"]


def snmpget(dst: str, oid: str = "1.0.8802.1.1.1.1.1.2.1.2.29", community: str = "public",
            **kargs: Any) -> None:
    """Send an SNMP getnext for ``oid`` to ``dst`` (an address or a network) and print
    each answer's first binding, as Scapy's ``snmpget`` (an SNMP scan)."""
    from paquet.layers.icmp import ICMP
    from paquet.layers.ipv4 import IP
    from paquet.layers.snmp import SNMP, SNMPnext, SNMPvarbind
    from paquet.layers.udp import UDP
    from paquet.net.sendrecv import sr
    from paquet.volatile import RandShort

    ans, _ = sr(IP(dst=dst) / UDP(sport=int(RandShort()._fix())) / SNMP(
        community=community, PDU=SNMPnext(varbindlist=[SNMPvarbind(oid=oid)])),
        timeout=kargs.pop("timeout", 2), verbose=0, retry=kargs.pop("retry", 2), **kargs)
    for snd, rcv in ans:
        if ICMP in rcv:
            print(repr(rcv))
            return
        vb = rcv[SNMPvarbind]
        print(f"[{snd.dst:<10}] {vb.oid.val:<40}: {vb.value!r}")


def snmpwalk(dst: str, oid: str = "1", community: str = "public", **kargs: Any) -> None:
    """Walk the agent at ``dst`` from ``oid`` with getnext requests, printing each binding
    (``oid: value``), until no answer or an ICMP error (Scapy's ``snmpwalk``)."""
    from paquet.layers.icmp import ICMP
    from paquet.layers.ipv4 import IP
    from paquet.layers.snmp import SNMP, SNMPnext, SNMPvarbind
    from paquet.layers.udp import UDP
    from paquet.net.sendrecv import sr1
    from paquet.volatile import RandShort

    timeout = kargs.pop("timeout", 2)
    retry = kargs.pop("retry", 2)
    try:
        while True:
            # A random source port, as Scapy's, but never 0: an agent cannot answer port 0
            # (and a request's retries keep its port, where Scapy draws one per sending).
            sport = int(RandShort()._fix()) or 1
            r = sr1(IP(dst=dst) / UDP(sport=sport) / SNMP(
                community=community, PDU=SNMPnext(varbindlist=[SNMPvarbind(oid=oid)])),
                timeout=timeout, verbose=0, retry=retry, **kargs)
            if r is None:
                print("No answers")
                break
            if ICMP in r:
                print(repr(r))
                break
            vb = r[SNMPvarbind]
            if vb.endOfMibView is not None:
                break
            print(f"{vb.oid.val:<40}: {vb.value!r}")
            oid = vb.oid
    except KeyboardInterrupt:
        pass
