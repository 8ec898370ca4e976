"""Checks of a lab's real servers, each with a real client from inside the lab.

dig for the authoritative DNS server and the resolver, dhclient for DHCP and DHCPv6 (its script
replaced by ``/bin/true``: the lease is obtained and recorded, the node's configuration is not
touched),
Python's urllib and ssl for HTTP and TLS (SNI, ALPN, the lab's self-signed certificate), an
SNTP request for NTP, snmpget for SNMP. Each gives one :class:`~paquet.lab.verdict.Check`;
:func:`paquet.lab.check.run_checks` includes them::

    for check in server_checks(lab):
        print("ok " if check.ok else "FAIL", check.name, check.detail)
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import ssl
import struct
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paquet.errors import LabError
from paquet.lab import state as _state
from paquet.lab.servers import find_program
from paquet.lab.verdict import Check

if TYPE_CHECKING:
    from paquet.lab.core import Lab, Node

__all__ = ["certificate_path", "https_probe", "ntp_query", "server_checks", "web_get"]

NTP_EPOCH = 2208988800  # seconds from 1900 (NTP) to 1970 (Unix)


def certificate_path(lab: Lab, node: str) -> Path:
    """The self-signed certificate of the web server running on ``node``."""
    return _state.lab_dir(lab.name) / "servers" / node / "web" / "cert.pem"


def web_get(url: str, timeout: float = 3.0) -> tuple[int, str, str]:
    """GET ``url`` (http): (status, Server header, body)."""
    with urllib.request.urlopen(url, timeout=timeout) as reply:
        return reply.status, reply.headers.get("Server", ""), reply.read().decode("utf-8",
                                                                                  "replace")


def https_probe(address: str, name: str, cafile: str, alpn: list[str],
                timeout: float = 3.0) -> dict[str, Any]:
    """A TLS handshake with ``address``:443 (SNI ``name``, ALPN ``alpn``, the certificate
    verified against ``cafile``); with ``http/1.1`` selected, ``GET /`` too.

    Returns the protocol version, the ALPN selected, the certificate's subject and SANs, and
    the HTTP status line (or '').
    """
    context = ssl.create_default_context(cafile=cafile)
    context.set_alpn_protocols(alpn)
    with socket.create_connection((address, 443), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=name) as tls:
        cert = tls.getpeercert() or {}
        selected = tls.selected_alpn_protocol() or ""
        status = ""
        if selected == "http/1.1":
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while b"\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
            status = data.split(b"\r\n", 1)[0].decode("latin-1")
        subject = {str(rdn[0][0]): str(rdn[0][1]) for rdn in cert.get("subject", ()) if rdn}
        sans = [str(entry[1]) for entry in cert.get("subjectAltName", ())]
        return {"version": tls.version() or "", "alpn": selected,
                "subject": subject.get("commonName", ""), "san": sans, "status": status}


def ntp_query(address: str, timeout: float = 2.0) -> dict[str, Any]:
    """One NTPv4 client request (mode 3): the server's stratum, leap, reference id and its
    offset from this clock (seconds)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        sent = time.time()
        secs = int(sent) + NTP_EPOCH
        frac = int((sent % 1) * 2**32)
        request = struct.pack("!B B b b I I I Q Q Q II", 0x23, 0, 6, -20, 0, 0, 0, 0, 0, 0,
                              secs, frac)
        s.sendto(request, (address, 123))
        data, _ = s.recvfrom(1024)
        received = time.time()
    if len(data) < 48:
        raise LabError(f"NTP answer of {len(data)} bytes")
    first, stratum = data[0], data[1]
    refid = data[12:16]
    tx_secs, tx_frac = struct.unpack("!II", data[40:48])
    server_time = tx_secs - NTP_EPOCH + tx_frac / 2**32
    ref = refid.decode("ascii", "replace").strip("\0") if stratum <= 1 else \
        ".".join(str(b) for b in refid)
    return {"leap": first >> 6, "version": (first >> 3) & 7, "mode": first & 7,
            "stratum": stratum, "refid": ref,
            "offset": server_time - (sent + received) / 2}


# ----------------------------------------------------------------------------- the checks


def _fqdn(node: str, zone: str) -> str:
    return f"{node.replace('_', '-')}.{zone}"


def _servers(lab: Lab) -> list[tuple[Node, dict[str, Any]]]:
    return [(node, server) for node in lab.nodes.values() for server in node.servers]


def _client(lab: Lab, exclude: str, link: str | None = None) -> Node | None:
    """A host to query from: not ``exclude``, on ``link`` when given."""
    for host in lab.hosts:
        if host.name == exclude:
            continue
        if link is None or any(i.link == link for i in host.interfaces):
            return host
    return None


def _missing_tool(tool: str) -> str | None:
    if find_program(tool) is None:
        return f"{tool} is not installed (scripts/system-deps)"
    return None


def _run_tool(node: Node, argv: list[str], timeout: float = 20) -> tuple[int, str]:
    proc = node.exec(argv, timeout=timeout)
    return proc.returncode, proc.stdout + proc.stderr


def _dig_answers(text: str) -> list[tuple[str, str, str]]:
    """(owner, type, value) of the answer lines of ``dig +noall +answer`` output."""
    out = []
    for line in text.splitlines():
        parts = line.split(None, 4)
        if len(parts) == 5 and parts[2] == "IN" and not line.startswith(";"):
            out.append((parts[0].lower(), parts[3], parts[4].strip()))
    return out


def _check_dns(lab: Lab, node: Node, src: Node) -> Check:
    zone = lab.zone or ""
    address = node.addr()
    name = f"dns {node.name} {address} (dnsmasq, zone {zone}) from {src.name}"
    missing = _missing_tool("dig")
    if missing:
        return Check(name, False, missing)
    web = next((n for n, s in _servers(lab) if s["kind"] in ("http", "https")), None)
    own = _fqdn(node.name, zone) + "."
    # What every lab's zone has, and www when it has a web server.
    queries = [(f"{zone}.", "SOA"), (f"{zone}.", "MX"), (f"{zone}.", "TXT"),
               (f"_domain._udp.{zone}.", "SRV"), (own, "A"),
               (ipaddress.ip_address(address).reverse_pointer + ".", "PTR")]
    if any(":" in a for a in node.addresses):
        queries.append((own, "AAAA"))
    if web is not None:
        queries.append((f"www.{zone}.", "A"))
    argv = ["dig", f"@{address}", "+norecurse", "+time=1", "+tries=2", "+noall", "+answer",
            "+comments"]
    for qname, qtype in queries:
        argv += [qname, qtype]
    code, out = _run_tool(src, argv)
    if code != 0:
        return Check(name, False, f"dig exited {code}: {out.strip()[:120]}")
    answers = _dig_answers(out)
    got_types = {(owner, rtype) for owner, rtype, _ in answers}
    lacking = [f"{q} {t}" for q, t in queries
               if (q.lower(), t) not in got_types and not (t == "A" and (q, "CNAME") in
                                                            got_types)]
    flags = [line for line in out.splitlines() if line.startswith(";; flags:")]
    if lacking:
        return Check(name, False, "no answer for " + ", ".join(lacking))
    if not flags or not all(" aa" in f.split(";")[2] for f in flags):
        return Check(name, False, "answers not authoritative (no aa flag)")
    ptr = next(v for o, t, v in answers if t == "PTR")
    shown = ", ".join(sorted({t for _, t in queries}))
    return Check(name, True, f"{len(answers)} answers, authoritative ({shown}); "
                 f"{address} is {ptr}")


def _check_resolver(lab: Lab, node: Node, src: Node) -> Check:
    zone = lab.zone or ""
    shared = {i.link for i in src.interfaces}
    address = next((i.v4.split("/")[0] for i in node.interfaces if i.link in shared and i.v4),
                   node.addr())
    name = f"resolver {node.name} {address} (dnsmasq) from {src.name}"
    missing = _missing_tool("dig")
    if missing:
        return Check(name, False, missing)
    target = next((n for n, s in _servers(lab) if s["kind"] == "dns"), None)
    qname = _fqdn(target.name if target else node.name, zone)
    code, out = _run_tool(src, ["dig", f"@{address}", "+time=1", "+tries=2", "+short", qname,
                                "A"])
    got = out.split()
    expected = [a for a in (target or node).addresses if ":" not in a]
    if code != 0 or not got or set(got) != set(expected):
        return Check(name, False, f"{qname}: got {' '.join(got) or 'nothing'}, expected "
                     f"{' '.join(expected)}")
    return Check(name, True, f"{qname} -> {' '.join(got)} (forwarded to the zone's server)")


def _check_dhcp(lab: Lab, node: Node, server: dict[str, Any], version: int = 4) -> Check:
    link = server.get("link") or ""
    src = _client(lab, node.name, link)
    kind = "dhcp" if version == 4 else "dhcpv6"
    name = f"{kind} {node.name} on {link} (dnsmasq)" + (f" from {src.name}" if src else "")
    if src is None:
        return Check(name, False, f"no host on {link} to ask from")
    missing = _missing_tool("dhclient")
    if missing:
        return Check(name, False, missing)
    itf = next(i for i in src.interfaces if i.link == link)
    work = _state.lab_dir(lab.name) / "clients" / f"{kind}-{src.name}-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        conf = work / "dhclient.conf"
        conf.write_text("timeout 5;\nretry 1;\ninitial-interval 1;\n")
        pidfile, leases = work / "dhclient.pid", work / "dhclient.leases"
        code, out = _run_tool(src, ["dhclient", f"-{version}", "-1", "-v", "-sf", "/bin/true",
                                    "-lf", str(leases), "-pf", str(pidfile), "-cf", str(conf),
                                    itf.name])
        _stop(work)
        lease = _lease_address(leases, version)
        if code != 0 or lease is None:
            last = out.strip().splitlines()[-1:] or ["no output"]
            return Check(name, False, f"no lease (dhclient exited {code}: {last[0][:100]})")
        statics = {a for n in lab.nodes.values() for a in n.addresses}
        if lease in statics:
            return Check(name, False, f"lease {lease} is a static address of the lab")
        return Check(name, True, f"lease {lease} for {src.name} {itf.name}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _stop(marker: Path) -> None:
    """Stop the dhclient that went to the background after its lease: every process whose
    command line names ``marker`` (its own files; it may not have written its pid file yet)."""
    from paquet.lab.netns import kill_pids

    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if str(marker).encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    pids.append(int(entry))
            except OSError:
                continue
    kill_pids(pids)


def _lease_address(leases: Path, version: int = 4) -> str | None:
    """The last address dhclient's lease file holds (``fixed-address``, or ``iaaddr``)."""
    try:
        text = leases.read_text()
    except OSError:
        return None
    key = "fixed-address" if version == 4 else "iaaddr"
    found = [line.split()[1].rstrip(";") for line in text.splitlines()
             if line.strip().startswith(key)]
    return found[-1] if found else None


def _check_http(lab: Lab, node: Node, src: Node) -> Check:
    address = node.addr()
    name = f"http {node.name} {address} port 80 (nginx) from {src.name}"
    try:
        status, server, body = src.run_for(6, web_get, f"http://{address}/")
    except (OSError, LabError) as exc:
        return Check(name, False, str(exc) or type(exc).__name__)
    ok = status == 200 and server.startswith("nginx") and "paquet lab" in body
    return Check(name, ok, f"{status}, Server: {server}, {len(body)} bytes")


def _check_https(lab: Lab, node: Node, src: Node) -> Check:
    zone = lab.zone or ""
    address = node.addr()
    host = f"www.{zone}"
    name = f"https {node.name} {address} port 443 (nginx, SNI {host}) from {src.name}"
    cafile = str(certificate_path(lab, node.name))
    try:
        h2 = src.run_for(6, https_probe, address, host, cafile, ["h2", "http/1.1"])
        h1 = src.run_for(6, https_probe, address, host, cafile, ["http/1.1"])
    except (OSError, LabError, ssl.SSLError) as exc:
        return Check(name, False, str(exc) or type(exc).__name__)
    ok = h2["alpn"] == "h2" and h1["alpn"] == "http/1.1" and " 200 " in f"{h1['status']} "
    return Check(name, ok, f"{h2['version']}, ALPN {h2['alpn'] or '-'} and "
                 f"{h1['alpn'] or '-'}, certificate CN={h2['subject']} verified, "
                 f"{h1['status'] or 'no HTTP answer'}")


def _check_ntp(lab: Lab, node: Node, src: Node) -> Check:
    address = node.addr()
    name = f"ntp {node.name} {address} (chronyd) from {src.name}"
    try:
        got = src.run_for(6, ntp_query, address)
    except (OSError, LabError) as exc:
        return Check(name, False, str(exc) or type(exc).__name__)
    ok = got["mode"] == 4 and got["leap"] != 3 and 1 <= got["stratum"] <= 15
    return Check(name, ok, f"stratum {got['stratum']}, leap {got['leap']}, "
                 f"offset {got['offset']:+.4f} s")


def _check_snmp(lab: Lab, node: Node, src: Node) -> Check:
    address = node.addr()
    name = f"snmp {node.name} {address} (snmpd, community public) from {src.name}"
    missing = _missing_tool("snmpget")
    if missing:
        return Check(name, False, missing)
    work = _state.lab_dir(lab.name) / "clients" / f"snmp-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    try:
        # Its own directories: snmpget would write under /var/lib/snmp otherwise.
        env = [f"SNMP_PERSISTENT_DIR={work}", f"SNMPCONFPATH={work}", "MIBS=",
               f"MIBDIRS={work}"]
        proc = src.exec(["env", *env, "snmpget", "-v2c", "-c", "public", "-t", "1", "-r", "1",
                         "-Oqv", address, "1.3.6.1.2.1.1.5.0"], timeout=20)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    code = proc.returncode
    value = (proc.stdout.strip() or proc.stderr.strip()).strip('"')
    expected = _fqdn(node.name, lab.zone or "")
    if code != 0 or value != expected:
        return Check(name, False, f"sysName.0: {value[:80] or 'no answer'} (expected "
                     f"{expected})")
    return Check(name, True, f"sysName.0 = {value}")


def server_checks(lab: Lab) -> list[Check]:
    """One check per server of the lab (a missing or failed server is a failed check)."""
    checks: list[Check] = []
    done: set[tuple[str, str]] = set()
    for node, server in _servers(lab):
        kind = server["kind"]
        if (node.name, kind) in done:
            continue
        done.add((node.name, kind))
        status = str(server.get("status", ""))
        if status != "running":
            checks.append(Check(f"{kind} {node.name} ({server.get('program')})", False,
                                status or "not started"))
            continue
        if kind == "dhcp":
            checks.append(_check_dhcp(lab, node, server))
            link = server.get("link")
            if any(i.link == link and i.v6 for i in node.interfaces):
                checks.append(_check_dhcp(lab, node, server, 6))
            continue
        src = _client(lab, node.name)
        if src is None:
            checks.append(Check(f"{kind} {node.name}", False, "no host to ask from"))
            continue
        func = {"dns": _check_dns, "resolver": _check_resolver, "http": _check_http,
                "https": _check_https, "ntp": _check_ntp, "snmp": _check_snmp}[kind]
        checks.append(func(lab, node, src))
    return checks
