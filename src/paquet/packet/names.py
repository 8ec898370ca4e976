"""Number-to-name tables for display: EtherTypes, IP protocols, TCP and UDP services.

Loaded lazily, on first display, from the system's ``/etc/ethertypes``, ``/etc/protocols`` and
``/etc/services`` (as Scapy does, so that names match Scapy's on the same machine), with a small
built-in fallback when a file is missing. Names are made identifier-safe as Scapy's ``fixname``
does (``ftp-data`` -> ``ftp_data``, ``802_1Q`` -> ``n_802_1Q``).
"""

from __future__ import annotations

from functools import cache

from paquet.number_enums import EtherType, IPProto, Port

__all__ = ["ether_types", "fixname", "ip_protos", "tcp_services", "udp_services"]

#: Used when a file is missing: the numbers of :mod:`paquet.numbers` (with their
#: ``/etc/protocols`` and ``/etc/services`` names) and a few more a capture commonly shows.
_FALLBACK_ETHERTYPES: dict[int, str] = {int(t): t.name for t in EtherType}
_FALLBACK_PROTOS: dict[int, str] = {
    IPProto.HOPOPT: "hopopt", IPProto.ICMP: "icmp", IPProto.IGMP: "igmp", IPProto.IPIP: "ipencap",
    IPProto.TCP: "tcp", IPProto.UDP: "udp", IPProto.IPV6: "ipv6", IPProto.IPV6_ROUTE: "ipv6_route",
    IPProto.IPV6_FRAG: "ipv6_frag", IPProto.GRE: "gre", IPProto.ESP: "esp", IPProto.AH: "ah",
    IPProto.ICMPV6: "ipv6_icmp", IPProto.IPV6_NONXT: "ipv6_nonxt", IPProto.IPV6_OPTS: "ipv6_opts",
    89: "ospf", 103: "pim", 112: "vrrp", IPProto.SCTP: "sctp",
}
_FALLBACK_SERVICES: dict[int, str] = {
    7: "echo", 20: "ftp_data", 21: "ftp", 22: "ssh", 23: "telnet", 25: "smtp",
    Port.domain: "domain", Port.bootps: "bootps", Port.bootpc: "bootpc", 69: "tftp",
    Port.http: "http", 110: "pop3", Port.ntp: "ntp", 143: "imap2", 161: "snmp",
    Port.https: "https", 514: "syslog", Port.dhcpv6_client: "dhcpv6_client",
    Port.dhcpv6_server: "dhcpv6_server", 993: "imaps", 995: "pop3s", Port.mdns: "mdns",
    Port.http_alt: "http_alt",
}


def _plain(table: dict[int, str]) -> dict[int, str]:
    """A copy of a fallback table keyed by plain ints (as the files' tables are)."""
    return {int(number): name for number, name in table.items()}


_TRANS = str.maketrans(
    {c: "_" for c in map(chr, range(256)) if not (c.isascii() and c.isalnum())}
)


def fixname(name: str) -> str:
    """Make ``name`` identifier-safe the way Scapy does (``ftp-data`` -> ``ftp_data``)."""
    if name and name[0] in "0123456789":
        name = "n_" + name
    return name.translate(_TRANS)


def _read(path: str) -> list[list[str]]:
    try:
        with open(path, encoding="utf-8", errors="backslashreplace") as fd:
            lines = fd.read().splitlines()
    except OSError:
        return []
    rows = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        parts = line.split()
        if len(parts) >= 2 and parts[0]:
            rows.append(parts)
    return rows


@cache
def ether_types() -> dict[int, str]:
    """EtherType number -> name (``0x0800`` -> ``IPv4``), from ``/etc/ethertypes``."""
    table: dict[int, str] = {}
    for parts in _read("/etc/ethertypes"):
        try:
            table[int(parts[1], 16)] = fixname(parts[0])
        except ValueError:
            continue
    table = table or dict(_FALLBACK_ETHERTYPES)
    # The names Scapy's l2 module gives these over the file's (S-TAG, PBB, ...).
    table.update({0x88A8: "802_1AD", 0x88E7: "802_1AH", 0x88E5: "802_1AE"})
    return table


@cache
def ip_protos() -> dict[int, str]:
    """IP protocol number -> name (``6`` -> ``tcp``), from ``/etc/protocols``."""
    table: dict[int, str] = {}
    for parts in _read("/etc/protocols"):
        try:
            table[int(parts[1])] = fixname(parts[0])
        except ValueError:
            continue
    return table or _plain(_FALLBACK_PROTOS)


@cache
def _services() -> tuple[dict[int, str], dict[int, str]]:
    tcp: dict[int, str] = {}
    udp: dict[int, str] = {}
    for parts in _read("/etc/services"):
        if "/" not in parts[1]:
            continue
        port, proto = parts[1].split("/", 1)
        table = tcp if proto == "tcp" else udp if proto == "udp" else None
        if table is None:
            continue
        try:
            if "-" in port:
                lo, hi = port.split("-")
                for p in range(int(lo), int(hi) + 1):
                    table[p] = fixname(parts[0])
            else:
                table[int(port)] = fixname(parts[0])
        except ValueError:
            continue
    return (tcp or _plain(_FALLBACK_SERVICES)), (udp or _plain(_FALLBACK_SERVICES))


def tcp_services() -> dict[int, str]:
    """TCP port -> service name (``80`` -> ``http``), from ``/etc/services``."""
    return _services()[0]


def udp_services() -> dict[int, str]:
    """UDP port -> service name (``53`` -> ``domain``), from ``/etc/services``."""
    return _services()[1]
