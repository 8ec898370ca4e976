"""Scan and discovery results as nmap writes them: normal output, XML (``-oX``), grepable (``-oG``).

The XML follows nmap's DTD (``nmaprun``/``host``/``ports``/``extraports``/``port``/``state``/
``service``/``runstats``), so tools that read nmap's XML read ours; ``scanner`` says ``paquet``.
"""

from __future__ import annotations

import time

from paquet import __version__
from paquet.probe.scan_results import OPENISH

TYPE_CHECKING = False
if TYPE_CHECKING:  # the results' classes, for annotations only: discover's are not imported
    from paquet.probe.discover import DiscoverResult, HostStatus  # for a scan's output
    from paquet.probe.scan import HostResult, PortResult, ScanResult

__all__ = [
    "discover_file",
    "discover_grepable",
    "discover_normal",
    "discover_xml",
    "scan_file",
    "scan_grepable",
    "scan_normal",
    "scan_xml",
    "starting",
]

def quoteattr(value: str) -> str:
    """``value`` as a double-quoted XML attribute (``xml.sax.saxutils.quoteattr`` pulls in
    ``urllib``; this is all it takes)."""
    from html import escape  # (only the XML outputs need it)

    return '"' + escape(value, quote=True) + '"'


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


def _why(reason: str, ttl: int) -> str:
    """nmap's reason text: ``syn-ack ttl 63``, ``no-response`` (no TTL without a packet)."""
    return f"{reason} ttl {ttl}" if ttl else reason


def _up_line(reason: str, ttl: int, latency: float | None, with_reason: bool) -> str:
    """``Host is up (0.00004s latency).``, or with ``--reason``
    ``Host is up, received echo-reply ttl 63 (0.00004s latency).``"""
    if with_reason:
        return f"Host is up, received {_why(reason, ttl)}{_latency(latency)}."
    return f"Host is up{_latency(latency)}."


def _ports_table(ports: list[PortResult], reason: bool = False) -> list[str]:
    head = ("PORT", "STATE", "SERVICE") + (("REASON",) if reason else ())
    rows = [head]
    rows += [(f"{p.port}/{p.protocol}", p.state, p.service)
             + ((_why(p.reason, p.reason_ttl),) if reason else ()) for p in ports]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head) - 1)]
    return [" ".join([*(f"{c:<{w}}" for c, w in zip(r, widths, strict=False)), r[-1]]).rstrip()
            for r in rows]


def starting(kind: str, t: float) -> str:
    """The first line, printed as the command starts (before any progress bar), as nmap's
    ``Starting Nmap 7.93 ( https://nmap.org ) at 2026-12-07 01:14 UTC``."""
    return f"Starting paquet {__version__} {kind} at {_stamp(t)}\n"


def host_normal(h: HostResult, proto: str, reason: bool = False,
                open_only: bool = False) -> list[str]:
    """nmap's normal-output block for one host (``reason``: ``--reason``'s column and host
    line; ``open_only``: ``--open``, only the possibly open ports listed)."""
    lines = [f"Nmap scan report for {h.address}"]
    if h.state != "up":
        lines.append("Host is down.")
        return lines
    lines.append(_up_line(h.reason, h.reason_ttl, h.latency, reason))
    shown, hidden = h.extraports(open_only)
    notes = ", ".join(f"{n} {s} {proto} {'port' if n == 1 else 'ports'} ({_reasons(r)})"
                      for s, n, r in hidden)
    if not shown and hidden:
        lines.append(f"All {len(h.ports)} scanned ports on {h.address} are in ignored states.")
    if notes:
        lines.append(f"Not shown: {notes}")
    if shown:
        lines += _ports_table(shown, reason)
    return lines


def _shown(h: HostResult, open_only: bool) -> bool:
    return not open_only or any(p.state in OPENISH for p in h.ports)


def scan_normal(result: ScanResult, *, header: bool = True, reason: bool = False,
                open_only: bool = False, verbose: int = 0) -> str:
    """The whole scan in nmap's normal output format (with paquet's accuracy line).

    ``header=False`` leaves out the ``Starting`` line (printed by :func:`starting` when the
    command starts); ``reason``, ``open_only`` and ``verbose`` are nmap's ``--reason``,
    ``--open`` and ``-v`` (which lists each open port found first, as nmap does while it
    scans)."""
    out = [starting("scan", result.started).rstrip("\n")] if header else []
    if verbose:
        for h in result.up:
            out += [f"Discovered open port {p.port}/{p.protocol} on {h.address}"
                    for p in h.ports if p.state == "open"]
    for h in result.hosts:
        if h.state != "up" and len(result.hosts) > 1:
            if verbose:
                out.append(f"Nmap scan report for {h.address} [host down]")
            continue
        if h.state == "up" and not _shown(h, open_only):
            continue
        out += host_normal(h, result.protocol, reason, open_only)
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


def _xml_open(result: ScanResult | DiscoverResult, args: str, *info: str) -> list[str]:
    """The opening lines of nmap's XML output: the run, its ``info`` lines, the levels."""
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!DOCTYPE nmaprun>",
        f"<nmaprun scanner=\"paquet\" args={quoteattr(args)} start=\"{int(result.started)}\" "
        f"startstr={quoteattr(_ctime(result.started))} version=\"{__version__}\" "
        f"xmloutputversion=\"1.05\">",
        *info,
        '<verbose level="0"/>',
        '<debugging level="0"/>',
    ]


def _xml_addresses(address: str, mac: str | None = None) -> list[str]:
    """A host's addresses (its MAC address too when known) and its empty host names."""
    family = "ipv6" if ":" in address else "ipv4"
    out = [f"<address addr=\"{address}\" addrtype=\"{family}\"/>"]
    if mac:
        out.append(f"<address addr=\"{mac.upper()}\" addrtype=\"mac\"/>")
    out.append("<hostnames>\n</hostnames>")
    return out


def _xml_times(latency: float | None) -> list[str]:
    """A host's round-trip times (none when its latency is unknown)."""
    if latency is None:
        return []
    us = int(latency * 1e6)
    return [f"<times srtt=\"{us}\" rttvar=\"{us}\" to=\"{max(100000, us * 4)}\"/>"]


def _xml_close(result: ScanResult | DiscoverResult) -> list[str]:
    """The closing lines of nmap's XML output: the run's statistics."""
    end = result.started + result.elapsed
    up = len(result.up)
    n = len(result.hosts)
    summary = (f"Scan done at {_ctime(end)}; {_plural(n, 'IP address')} ({_plural(up, 'host')} "
               f"up) scanned in {result.elapsed:.2f} seconds")
    return [f"<runstats><finished time=\"{int(end)}\" timestr={quoteattr(_ctime(end))} "
            f"summary={quoteattr(summary)} elapsed=\"{result.elapsed:.2f}\" "
            f"exit=\"success\"/><hosts up=\"{up}\" down=\"{n - up}\" total=\"{n}\"/>",
            "</runstats>", "</nmaprun>"]


def scan_xml(result: ScanResult) -> str:
    """The scan in nmap's XML output format (``-oX``)."""
    args = " ".join(result.args) or "paquet scan"
    end = result.started + result.elapsed
    out = _xml_open(
        result, args,
        f"<scaninfo type=\"{_XML_TYPE[result.kind]}\" protocol=\"{result.protocol}\" "
        f"numservices=\"{len(result.ports)}\" services=\"{_ranges(result.ports)}\"/>")
    for h in result.hosts:
        out.append(f"<host starttime=\"{int(result.started)}\" endtime=\"{int(end)}\">"
                   f"<status state=\"{h.state}\" reason={quoteattr(h.reason)} "
                   f"reason_ttl=\"0\"/>")
        out += _xml_addresses(h.address)
        if h.state == "up":
            shown, hidden = h.extraports()
            out.append("<ports>")
            for s, n, reasons in hidden:
                out.append(f"<extraports state={quoteattr(s)} count=\"{n}\">")
                for r, c in reasons.items():
                    ports = _ranges(h.port_numbers(s, r))
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
            out += _xml_times(h.latency)
        out.append("</host>")
    return "\n".join([*out, *_xml_close(result)]) + "\n"


def _ranges(ports: list[int]) -> str:
    from paquet.probe.scan_results import _compress_ports

    return _compress_ports(sorted(ports))  # (a host's ports are distinct)


def _initiated(result: ScanResult | DiscoverResult, args: str) -> str:
    return f"# paquet {__version__} scan initiated {_ctime(result.started)} as: {args}"


def _done(result: ScanResult | DiscoverResult, up: int) -> str:
    n = len(result.hosts)
    return (f"# paquet done at {_ctime(result.started + result.elapsed)} -- "
            f"{_plural(n, 'IP address')} ({_plural(up, 'host')} up) scanned in "
            f"{result.elapsed:.2f} seconds")


def scan_file(result: ScanResult, reason: bool = False, open_only: bool = False) -> str:
    """The scan as nmap writes its normal output to a file (``-oN``): a comment line with the
    command, the report, and a comment line with the totals."""
    body = scan_normal(result, header=False, reason=reason, open_only=open_only).splitlines()
    body = [ln for ln in body if not ln.startswith("Scan done: ")]
    args = " ".join(result.args) or "paquet scan"
    return "\n".join([_initiated(result, args), *body, _done(result, len(result.up))]) + "\n"


def scan_grepable(result: ScanResult, open_only: bool = False) -> str:
    """The scan in nmap's grepable format (``-oG``; ``open_only``: ``--open``)."""
    args = " ".join(result.args) or "paquet scan"
    out = [_initiated(result, args)]
    for h in result.hosts:
        if h.state != "up":
            out.append(f"Host: {h.address} ()\tStatus: Down")
            continue
        if not _shown(h, open_only):
            continue
        out.append(f"Host: {h.address} ()\tStatus: Up")
        shown, hidden = h.extraports(open_only)
        ports = ", ".join(f"{p.port}/{p.state}/{p.protocol}//{p.service}///" for p in shown)
        line = f"Host: {h.address} ()\tPorts: {ports}"
        if len(hidden) == 1:  # nmap names the ignored state only when there is one
            s, n, _ = hidden[0]
            line += f"\tIgnored State: {s} ({n})"
        out.append(line)
    out.append(_done(result, len(result.up)))
    return "\n".join(out) + "\n"


def discover_host(h: HostStatus, reason: bool = False) -> list[str]:
    """nmap -sn's block for one host that is up (``reason``: nmap's ``--reason``)."""
    lines = [f"Nmap scan report for {h.address}",
             _up_line(h.reason, h.reason_ttl, h.latency, reason)]
    if h.mac:
        lines.append(f"MAC Address: {h.mac}")
    return lines


def discover_normal(result: DiscoverResult, *, header: bool = True, reason: bool = False,
                    verbose: int = 0) -> str:
    """A discovery in ``nmap -sn``'s normal output format (``header``, ``reason``,
    ``verbose`` as for :func:`scan_normal`; ``-v`` lists the hosts found down too)."""
    out = [starting("discovery", result.started).rstrip("\n")] if header else []
    for h in result.hosts:
        if h.up:
            out += discover_host(h, reason)
        elif verbose:
            out.append(f"Nmap scan report for {h.address} [host down]")
    n = len(result.hosts)
    out.append(f"Discovery done: {_plural(n, 'IP address')} ({_plural(len(result.up), 'host')} "
               f"up) scanned in {result.elapsed:.2f} seconds")
    return "\n".join(out) + "\n"


def discover_file(result: DiscoverResult, args: str, reason: bool = False) -> str:
    """The discovery as nmap writes ``-sn -oN``: command comment, report, totals comment."""
    body = discover_normal(result, header=False, reason=reason).splitlines()
    body = [ln for ln in body if not ln.startswith("Discovery done: ")]
    return "\n".join([_initiated(result, args), *body, _done(result, len(result.up))]) + "\n"


def discover_grepable(result: DiscoverResult, args: str) -> str:
    """The discovery in nmap's grepable format (``-sn -oG``: one line per host up)."""
    out = [_initiated(result, args)]
    out += [f"Host: {h.address} ()\tStatus: Up" for h in result.up]
    out.append(_done(result, len(result.up)))
    return "\n".join(out) + "\n"


def discover_xml(result: DiscoverResult, args: str) -> str:
    """The discovery in nmap's XML format (``-sn -oX``): hosts up, with their MAC address."""
    out = _xml_open(result, args)
    for h in result.up:
        out.append(f"<host><status state=\"up\" reason={quoteattr(h.reason)} "
                   f"reason_ttl=\"{h.reason_ttl}\"/>")
        out += _xml_addresses(h.address, h.mac)
        out += _xml_times(h.latency)
        out.append("</host>")
    return "\n".join([*out, *_xml_close(result)]) + "\n"
