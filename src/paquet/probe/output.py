"""Scan and discovery results as nmap writes them: normal output, XML (``-oX``), grepable (``-oG``).

The XML follows nmap's DTD (``nmaprun``/``host``/``ports``/``extraports``/``port``/``state``/
``service``/``runstats``), so tools that read nmap's XML read ours; ``scanner`` says ``paquet``.
"""

from __future__ import annotations

import html
import time

from paquet import __version__
from paquet.probe.discover import DiscoverResult, HostStatus
from paquet.probe.scan import HostResult, PortResult, ScanResult

__all__ = [
    "discover_normal",
    "scan_grepable",
    "scan_normal",
    "scan_xml",
]

def quoteattr(value: str) -> str:
    """``value`` as a double-quoted XML attribute (``xml.sax.saxutils.quoteattr`` pulls in
    ``urllib``; this is all it takes)."""
    return '"' + html.escape(value, quote=True) + '"'


_XML_TYPE = {"syn": "syn", "connect": "connect", "udp": "udp", "ack": "ack"}


def _stamp(t: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(t))


def _ctime(t: float) -> str:
    return time.strftime("%a %b %d %H:%M:%S %Y", time.localtime(t))


def _latency(value: float | None) -> str:
    """nmap's ``(0.000013s latency)``: two significant digits, no exponent."""
    if value is None:
        return ""
    text = f"{float(f'{value:.2g}'):.9f}".rstrip("0").rstrip(".")
    return f" ({text}s latency)"


def _reasons(reasons: dict[str, int]) -> str:
    if len(reasons) == 1:
        return next(iter(reasons))
    return ", ".join(f"{n} {r}" for r, n in sorted(reasons.items(), key=lambda x: -x[1]))


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word}es" if word.endswith("s") else f"{n} {word}s"


def _ports_table(ports: list[PortResult]) -> list[str]:
    rows = [("PORT", "STATE", "SERVICE")]
    rows += [(f"{p.port}/{p.protocol}", p.state, p.service) for p in ports]
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    return [f"{a:<{w0}} {b:<{w1}} {c}".rstrip() for a, b, c in rows]


def host_normal(h: HostResult, proto: str) -> list[str]:
    """nmap's normal-output block for one host."""
    lines = [f"Nmap scan report for {h.address}"]
    if h.state != "up":
        lines.append("Host is down.")
        return lines
    lines.append(f"Host is up{_latency(h.latency)}.")
    shown, hidden = h.extraports()
    notes = ", ".join(f"{n} {s} {proto} {'port' if n == 1 else 'ports'} ({_reasons(r)})"
                      for s, n, r in hidden)
    if not shown and hidden:
        lines.append(f"All {len(h.ports)} scanned ports on {h.address} are in ignored states.")
    if notes:
        lines.append(f"Not shown: {notes}")
    if shown:
        lines += _ports_table(shown)
    return lines


def scan_normal(result: ScanResult) -> str:
    """The whole scan in nmap's normal output format (with paquet's accuracy line)."""
    out = [f"Starting paquet {__version__} scan at {_stamp(result.started)}"]
    for h in result.hosts:
        if h.state != "up" and len(result.hosts) > 1:
            continue
        out += host_normal(h, result.protocol)
        out.append("")
    if len(result.hosts) == 1 and result.hosts[0].state != "up":
        out.insert(-1, "Note: Host seems down. If it is really up, but blocking our ping probes, "
                       "try -Pn")
    st = result.stats
    if st is not None:
        out.append(
            f"Probes: {st.sent} sent ({st.retransmitted} retransmitted, {st.rounds} rounds), "
            f"loss {st.loss * 100:.1f} %, expected misclassified ports {st.expected_errors:.2g}"
        )
    up = len(result.up)
    n = len(result.hosts)
    out.append(f"Scan done: {_plural(n, 'IP address')} ({_plural(up, 'host')} up) scanned in "
               f"{result.elapsed:.2f} seconds")
    return "\n".join(out) + "\n"


def scan_xml(result: ScanResult) -> str:
    """The scan in nmap's XML output format (``-oX``)."""
    args = " ".join(result.args) or "paquet scan"
    end = result.started + result.elapsed
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!DOCTYPE nmaprun>",
        f"<nmaprun scanner=\"paquet\" args={quoteattr(args)} start=\"{int(result.started)}\" "
        f"startstr={quoteattr(_ctime(result.started))} version=\"{__version__}\" "
        f"xmloutputversion=\"1.05\">",
        f"<scaninfo type=\"{_XML_TYPE[result.kind]}\" protocol=\"{result.protocol}\" "
        f"numservices=\"{len(result.ports)}\" services=\"{_ranges(result.ports)}\"/>",
        '<verbose level="0"/>',
        '<debugging level="0"/>',
    ]
    for h in result.hosts:
        family = "ipv6" if ":" in h.address else "ipv4"
        out.append(f"<host starttime=\"{int(result.started)}\" endtime=\"{int(end)}\">"
                   f"<status state=\"{h.state}\" reason={quoteattr(h.reason)} "
                   f"reason_ttl=\"0\"/>")
        out.append(f"<address addr=\"{h.address}\" addrtype=\"{family}\"/>")
        out.append("<hostnames>\n</hostnames>")
        if h.state == "up":
            shown, hidden = h.extraports()
            out.append("<ports>")
            for s, n, reasons in hidden:
                out.append(f"<extraports state={quoteattr(s)} count=\"{n}\">")
                for r, c in reasons.items():
                    ports = _ranges([p.port for p in h.ports if p.state == s and p.reason == r])
                    out.append(f"<extrareasons reason={quoteattr(r)} count=\"{c}\" "
                               f"proto=\"{result.protocol}\" ports=\"{ports}\"/>")
                out.append("</extraports>")
            for p in shown:
                out.append(
                    f"<port protocol=\"{p.protocol}\" portid=\"{p.port}\">"
                    f"<state state={quoteattr(p.state)} reason={quoteattr(p.reason)} "
                    f"reason_ttl=\"{p.reason_ttl}\"/>"
                    f"<service name={quoteattr(p.service)} method=\"table\" conf=\"3\"/></port>"
                )
            out.append("</ports>")
            if h.latency is not None:
                us = int(h.latency * 1e6)
                out.append(f"<times srtt=\"{us}\" rttvar=\"{us}\" to=\"{max(100000, us * 4)}\"/>")
        out.append("</host>")
    up = len(result.up)
    n = len(result.hosts)
    summary = (f"Scan done at {_ctime(end)}; {_plural(n, 'IP address')} ({_plural(up, 'host')} "
               f"up) scanned in {result.elapsed:.2f} seconds")
    out.append(f"<runstats><finished time=\"{int(end)}\" timestr={quoteattr(_ctime(end))} "
               f"summary={quoteattr(summary)} elapsed=\"{result.elapsed:.2f}\" "
               f"exit=\"success\"/><hosts up=\"{up}\" down=\"{n - up}\" total=\"{n}\"/>")
    out.append("</runstats>")
    out.append("</nmaprun>")
    return "\n".join(out) + "\n"


def _ranges(ports: list[int]) -> str:
    from paquet.probe.scan_results import _compress_ports

    return _compress_ports(sorted(ports))


def scan_grepable(result: ScanResult) -> str:
    """The scan in nmap's grepable format (``-oG``)."""
    args = " ".join(result.args) or "paquet scan"
    out = [f"# paquet {__version__} scan initiated {_ctime(result.started)} as: {args}"]
    for h in result.hosts:
        if h.state != "up":
            out.append(f"Host: {h.address} ()\tStatus: Down")
            continue
        out.append(f"Host: {h.address} ()\tStatus: Up")
        shown, hidden = h.extraports()
        ports = ", ".join(f"{p.port}/{p.state}/{p.protocol}//{p.service}///" for p in shown)
        line = f"Host: {h.address} ()\tPorts: {ports}"
        if hidden:
            s, n, _ = hidden[0]
            line += f"\tIgnored State: {s} ({n})"
        out.append(line)
    up = len(result.up)
    n = len(result.hosts)
    out.append(f"# paquet done at {_ctime(result.started + result.elapsed)} -- "
               f"{_plural(n, 'IP address')} ({_plural(up, 'host')} up) scanned in "
               f"{result.elapsed:.2f} seconds")
    return "\n".join(out) + "\n"


def discover_host(h: HostStatus) -> list[str]:
    """nmap -sn's block for one host that is up."""
    lines = [f"Nmap scan report for {h.address}", f"Host is up{_latency(h.latency)}."]
    if h.mac:
        lines.append(f"MAC Address: {h.mac}")
    return lines


def discover_normal(result: DiscoverResult) -> str:
    """A discovery in ``nmap -sn``'s normal output format."""
    out = [f"Starting paquet {__version__} discovery at {_stamp(result.started)}"]
    for h in result.up:
        out += discover_host(h)
    n = len(result.hosts)
    out.append(f"Discovery done: {_plural(n, 'IP address')} ({_plural(len(result.up), 'host')} "
               f"up) scanned in {result.elapsed:.2f} seconds")
    return "\n".join(out) + "\n"
