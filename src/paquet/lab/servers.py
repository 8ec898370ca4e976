"""Real servers from Debian inside a lab's nodes: dnsmasq, nginx, chronyd, snmpd.

A node's ``servers`` (``paquet.lab.zone``) become processes started inside the node's namespace
when the lab is up, configured from the topology: every file they use (configuration, pid files,
leases, certificates) lives under ``LABDIR/servers/NODE/NAME/`` and their logs next to the
services' ones (``LABDIR/logs/NODE/NAME.log``); their configuration in the host's ``/etc``
is not read, and nothing is written to ``/etc`` or ``/var`` (``lab down`` kills them with
everything else in the lab's namespaces). The one exception is each node's
``/etc/netns/NS/resolv.conf`` and ``snmp/snmp.conf`` (which ``ip netns exec``, hence
``paquet lab exec``, shows the node as ``/etc/resolv.conf`` and ``/etc/snmp/snmp.conf``),
removed by ``lab down``.

A missing program does not stop the lab: the server is marked ``missing`` in the lab's map (and
``paquet lab up`` and ``paquet lab check`` say so). The configurations are plain text::

    >>> from paquet.lab.topology import load
    >>> print(chrony_conf(load("tp"), Path("/x")).splitlines()[0])
    local stratum 10
"""

from __future__ import annotations

import contextlib
import functools
import grp
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paquet.errors import LabError
from paquet.lab.netns import NETNS_MARK, in_netns, write_netns_file
from paquet.lab.topology import DOC_V4, DOC_V6, Topology
from paquet.lab.zone import (
    PORTS,
    PROGRAMS,
    dhcp_range,
    reverse_domain,
    reverse_zones,
    server_node,
    zone_name,
    zone_records,
)

__all__ = [
    "NEEDS_NETWORK",
    "READY_TIMEOUT",
    "Daemon",
    "chrony_conf",
    "dnsmasq_auth_conf",
    "dnsmasq_dhcp_conf",
    "dnsmasq_resolver_conf",
    "find_program",
    "nginx_conf",
    "plan",
    "prepare",
    "resolv_conf",
    "snmpd_conf",
    "start",
    "start_early",
    "summary",
    "wait_ready",
    "write_node_files",
]

READY_TIMEOUT = 10.0
#: where the servers are looked for (root's PATH may lack the sbin directories)
SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SNMP_CONTACT = "lab-admin@{zone}"


def find_program(name: str) -> str | None:
    """The full path of program ``name`` (looked for in PATH and the sbin directories)."""
    path = os.environ.get("PATH", "") + os.pathsep + SEARCH_PATH
    return shutil.which(name, path=path)


@dataclass
class Daemon:
    """One server process to run in ``node``: what it serves, its command line and its files."""

    node: str
    name: str
    kinds: tuple[str, ...]
    program: str
    argv: list[str]
    files: dict[Path, str]
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    #: status after start: "running", "missing" (program not installed) or "failed: ..."
    status: str = "planned"
    proc: Any = None
    #: kinds it was meant to serve but does not, with why (https without openssl)
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def ports(self) -> list[tuple[str, int]]:
        """The (protocol, port) pairs it listens on when ready."""
        return [p for kind in self.kinds for p in PORTS[kind]]


# ----------------------------------------------------------------------------- configurations


def _fqdn(node: str, zone: str) -> str:
    return f"{node.replace('_', '-')}.{zone}"


def _common_dnsmasq(workdir: Path, log: Path) -> list[str]:
    return ["no-resolv", "no-hosts", "no-poll", "user=root", "group=root",
            f"pid-file={workdir / 'dnsmasq.pid'}", f"log-facility={log}", "log-async=5"]


def dnsmasq_auth_conf(topo: Topology, node: str, workdir: Path, log: Path) -> str:
    """dnsmasq authoritative for the lab's zone and its reverse zones (every record generated
    from the nodes), answering on every address of ``node``."""
    zone = zone_name(topo)
    lines = [*_common_dnsmasq(workdir, log), "port=53", "log-queries"]
    lines.append(f"auth-server=ns.{zone},{','.join(topo.addresses(node))}")
    lines.append(f"auth-zone={zone},{','.join(reverse_zones(topo))}")
    lines.append(f"auth-soa=1,hostmaster.{zone},1200,180,1209600,300")
    lines.append("auth-ttl=300")
    hosts: dict[str, list[str]] = {}
    for record in zone_records(topo):
        name = record.name.rstrip(".")
        if record.type in ("A", "AAAA") and name != f"ns.{zone}":
            hosts.setdefault(name, []).append(record.value)
        elif record.type == "CNAME":
            lines.append(f"cname={name},{record.value.rstrip('.')}")
        elif record.type == "MX":
            pref, target = record.value.split()
            lines.append(f"mx-host={name},{target.rstrip('.')},{pref}")
        elif record.type == "TXT":
            lines.append(f"txt-record={name},{record.value}")
        elif record.type == "SRV":
            prio, weight, port, target = record.value.split()
            lines.append(f"srv-host={name},{target.rstrip('.')},{port},{prio},{weight}")
    # One address per line: a host-record holds one IPv4 and one IPv6 address at most. The
    # nodes' names come first, so that they own the PTR records (ns.ZONE comes last).
    lines += [f"host-record={name},{a}" for name, addrs in hosts.items() for a in addrs]
    ns_node = server_node(topo, "dns") or node
    lines += [f"host-record=ns.{zone},{a}" for a in topo.addresses(ns_node)]
    return "\n".join(lines) + "\n"


def dnsmasq_resolver_conf(topo: Topology, node: str, workdir: Path, log: Path) -> str:
    """dnsmasq as the lab's resolver: the zone and its reverse zones forwarded to the ``dns``
    node, nothing else (no upstream: names outside the lab are refused)."""
    zone = zone_name(topo)
    dns = server_node(topo, "dns")
    if dns is None:
        raise LabError("a resolver needs a dns server")
    target = topo.addresses(dns, 4)[0] if topo.addresses(dns, 4) else topo.addresses(dns)[0]
    lines = [*_common_dnsmasq(workdir, log), "port=53", "log-queries", "cache-size=0"]
    domains = [zone] + [reverse_domain(n) for n in reverse_zones(topo)]
    lines += [f"server=/{d}/{target}" for d in domains]
    lines.append(f"rebind-domain-ok=/{zone}/")
    return "\n".join(lines) + "\n"


def dnsmasq_dhcp_conf(topo: Topology, node: str, link: str, workdir: Path, log: Path) -> str:
    """dnsmasq as the DHCP (and DHCPv6) server of LAN ``link``: a range from the documentation
    addresses that avoids every static one; router, DNS, domain and NTP options."""
    zone = zone_name(topo)
    itf = next(i for i in topo.interfaces[node] if i.link == link)
    first, last = dhcp_range(topo, link)
    assert itf.v4 is not None
    lines = [
        *_common_dnsmasq(workdir, log),
        "port=0", f"interface={itf.name}", "bind-dynamic", "log-dhcp", "dhcp-authoritative",
        "no-ping", f"dhcp-leasefile={workdir / 'dhcp.leases'}", f"domain={zone}",
        f"dhcp-range={first},{last},{itf.v4.netmask},1h",
        f"dhcp-option=option:router,{itf.v4.ip}",
        f"dhcp-option=option:domain-name,{zone}",
    ]
    resolver = server_node(topo, "resolver")
    if resolver is not None:
        lines.append(f"dhcp-option=option:dns-server,{_nearest(topo, resolver, link, 4)}")
    ntp = server_node(topo, "ntp")
    if ntp is not None and topo.addresses(ntp, 4):
        lines.append(f"dhcp-option=option:ntp-server,{topo.addresses(ntp, 4)[0]}")
    if itf.v6 is not None:
        net = itf.v6.network
        lines.append(f"dhcp-range={net[0x1000]},{net[0x1fff]},{net.prefixlen},1h")
        if resolver is not None and topo.addresses(resolver, 6):
            lines.append(f"dhcp-option=option6:dns-server,[{_nearest(topo, resolver, link, 6)}]")
        lines.append(f"dhcp-option=option6:domain-search,{zone}")
    return "\n".join(lines) + "\n"


def _nearest(topo: Topology, node: str, link: str | None, version: int) -> str:
    """``node``'s address on ``link`` (of IP ``version``), else its first one."""
    for itf in topo.interfaces[node]:
        value = itf.v4 if version == 4 else itf.v6
        if itf.link == link and value is not None:
            return str(value.ip)
    return topo.addresses(node, version)[0]


def _web_user() -> str:
    for user, group in (("www-data", "www-data"), ("nobody", "nogroup")):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(user)
            grp.getgrnam(group)
            return f"{user} {group}"
    return "nobody"


def nginx_conf(topo: Topology, node: str, kinds: tuple[str, ...], workdir: Path,
               logdir: Path) -> str:
    """nginx serving a small page on 80 (``http``) and 443 with HTTP/2 (``https``)."""
    zone = zone_name(topo)
    names = f"www.{zone} {_fqdn(node, zone)}"
    page = (f"<!doctype html><html><head><title>paquet lab {topo.name}: {node}</title></head>"
            f"<body><h1>paquet lab {topo.name}: {node}</h1><p>www.{zone} served by nginx on "
            f"{node}.</p></body></html>\\n")
    listen = []
    if "http" in kinds:
        listen += ["listen 80;", "listen [::]:80;"]
    if "https" in kinds:
        listen += ["listen 443 ssl http2;", "listen [::]:443 ssl http2;",
                   f"ssl_certificate {workdir / 'cert.pem'};",
                   f"ssl_certificate_key {workdir / 'key.pem'};",
                   "ssl_protocols TLSv1.2 TLSv1.3;"]
    # One directory for every temporary file (nginx wants a path for each kind).
    temp = "\n".join(f"    {what}_temp_path {workdir / 'tmp'};"
                     for what in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    body = "\n".join(f"        {line}" for line in listen)
    return f"""user {_web_user()};
worker_processes 1;
daemon off;
master_process on;
pid {workdir / 'nginx.pid'};
error_log {logdir / 'web-error.log'} info;
events {{ worker_connections 128; }}
http {{
    access_log {logdir / 'web-access.log'};
{temp}
    server_tokens on;
    server {{
{body}
        server_name {names};
        location = / {{
            default_type text/html;
            return 200 '{page}';
        }}
        location / {{ return 404; }}
    }}
}}
"""


def chrony_conf(topo: Topology, workdir: Path) -> str:
    """chronyd serving its own clock (stratum 10) to the documentation ranges, with no
    command port and no Unix socket."""
    lines = ["local stratum 10", "cmdport 0", "bindcmdaddress /",
             f"pidfile {workdir / 'chronyd.pid'}", f"driftfile {workdir / 'chrony.drift'}"]
    lines += [f"allow {net}" for net in (*DOC_V4, DOC_V6)]
    return "\n".join(lines) + "\n"


def snmpd_conf(topo: Topology, node: str, workdir: Path) -> str:
    """snmpd: community ``public`` read-only, on the node's addresses, lab values for sysName,
    sysLocation and sysContact."""
    zone = zone_name(topo)
    agents = [f"udp:{a}:161" if ":" not in a else f"udp6:[{a}]:161"
              for a in topo.addresses(node)]
    links = ", ".join(i.link for i in topo.interfaces[node])
    return "\n".join([
        f"agentAddress {','.join(agents)}",
        "rocommunity public default",
        "rocommunity6 public default",
        f"sysName {_fqdn(node, zone)}",
        f"sysLocation paquet lab {topo.name}, node {node} ({links})",
        f"sysContact {SNMP_CONTACT.format(zone=zone)}",
        "sysServices 72",
    ]) + "\n"


def resolv_conf(topo: Topology, lab: str, node: str) -> str | None:
    """The node's resolv.conf (the lab's resolver, its zone as search domain), or None."""
    resolver = server_node(topo, "resolver")
    if resolver is None:
        return None
    shared = {i.link for i in topo.interfaces[node]}
    link = next((i.link for i in topo.interfaces[resolver] if i.link in shared), None)
    lines = [f"# paquet lab {lab}: removed by paquet lab down", f"search {zone_name(topo)}"]
    for version in (4, 6):
        if topo.addresses(resolver, version):
            lines.append(f"nameserver {_nearest(topo, resolver, link, version)}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- the plan


def plan(topo: Topology, folder: Path) -> list[Daemon]:
    """The server processes of every node (nothing started, nothing written)."""
    out: list[Daemon] = []
    for node, spec in topo.nodes.items():
        logdir = folder / "logs" / node
        kinds = [s.kind for s in spec.servers]
        web = tuple(k for k in ("http", "https") if k in kinds)
        for server in spec.servers:
            if server.kind == "https" and "http" in kinds:
                continue  # one nginx serves both
            name = "web" if server.kind in ("http", "https") else server.kind
            work = folder / "servers" / node / name
            log = logdir / ("web-error.log" if name == "web" else f"{name}.log")
            conf = work / "server.conf"
            if server.kind in ("dns", "resolver", "dhcp"):
                text = (dnsmasq_auth_conf(topo, node, work, log) if server.kind == "dns" else
                        dnsmasq_resolver_conf(topo, node, work, log) if server.kind == "resolver"
                        else dnsmasq_dhcp_conf(topo, node, str(server.link), work, log))
                argv = ["--keep-in-foreground", f"--conf-file={conf}"]
                out.append(Daemon(node, name, (server.kind,), "dnsmasq", argv, {conf: text}, log))
            elif name == "web":
                argv = ["-c", str(conf), "-p", str(work), "-e", str(log)]
                out.append(Daemon(node, name, web, "nginx", argv,
                                  {conf: nginx_conf(topo, node, web, work, logdir)}, log))
            elif server.kind == "ntp":
                argv = ["-x", "-n", "-u", "root", "-f", str(conf), "-l", str(log)]
                out.append(Daemon(node, name, ("ntp",), "chronyd", argv,
                                  {conf: chrony_conf(topo, work)}, log))
            elif server.kind == "snmp":
                argv = ["-f", "-C", "-c", str(conf), "-p", str(work / "snmpd.pid"),
                        "-Lf", str(log)]
                env = {"SNMPCONFPATH": str(work), "SNMP_PERSISTENT_DIR": str(work / "persist"),
                       "MIBS": "", "MIBDIRS": str(work)}
                out.append(Daemon(node, name, ("snmp",), "snmpd", argv,
                                  {conf: snmpd_conf(topo, node, work)}, log, env))
    for daemon in out:
        assert PROGRAMS[daemon.kinds[0]] == daemon.program
    return out


def _certificate(topo: Topology, daemon: Daemon) -> subprocess.Popen[bytes] | None:
    """Start ``openssl req -x509`` making the web server's self-signed certificate."""
    if "https" not in daemon.kinds:
        return None
    openssl = find_program("openssl")
    work = next(iter(daemon.files)).parent
    if openssl is None:
        why = "missing: openssl is not installed (scripts/system-deps)"
        if "http" not in daemon.kinds:
            daemon.status = why
            return None
        # Plain HTTP still: nginx without its TLS server.
        daemon.dropped["https"] = why
        daemon.kinds = ("http",)
        conf = next(iter(daemon.files))
        daemon.files[conf] = nginx_conf(topo, daemon.node, daemon.kinds, work,
                                        daemon.log.parent)
        conf.write_text(daemon.files[conf], "utf-8")
        return None
    zone = zone_name(topo)
    sans = [f"DNS:www.{zone}", f"DNS:{_fqdn(daemon.node, zone)}"] + \
        [f"IP:{a}" for a in topo.addresses(daemon.node)]
    argv = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30",
            "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem"),
            "-subj", f"/O=paquet lab {topo.name}/CN=www.{zone}",
            "-addext", "subjectAltName=" + ",".join(sans)]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={"PATH": SEARCH_PATH, "HOME": str(work)})


def prepare(topo: Topology, lab: str, folder: Path,
            namespaces: dict[str, str]) -> tuple[list[Daemon], list[Any]]:
    """Write every server's files and the nodes' resolv.conf, start the certificates; the
    daemons (not started) and the certificate processes (to pass to :func:`start`)."""
    daemons = plan(topo, folder)
    certs: list[Any] = []
    for daemon in daemons:
        for path, text in daemon.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        daemon.log.parent.mkdir(parents=True, exist_ok=True)
        work = next(iter(daemon.files)).parent
        if daemon.program == "nginx":
            (work / "tmp").mkdir(exist_ok=True)
        if daemon.program == "snmpd":
            (work / "persist").mkdir(parents=True, exist_ok=True)
        if find_program(daemon.program) is None:
            daemon.status = f"missing: {daemon.program} is not installed (scripts/system-deps)"
            continue
        certs.append((daemon, _certificate(topo, daemon)))
    return daemons, certs


def write_node_files(topo: Topology, lab: str, folder: Path,
                     namespaces: dict[str, str]) -> list[str]:
    """Each node's ``/etc/netns`` files: resolv.conf (the lab's resolver) and, with an SNMP
    agent in the lab, snmp/snmp.conf (the SNMP tools keep their files in the lab's state, not
    /var/lib/snmp). Returns one line per file that could not be written (a read-only /etc):
    the lab goes on without it."""
    problems: list[str] = []
    # ip netns exec can only cover what exists: without /etc/snmp (no SNMP tools on the
    # machine) it would complain at every command.
    snmp = server_node(topo, "snmp") is not None and Path("/etc/snmp").is_dir()
    has_resolv = Path("/etc/resolv.conf").exists()
    # One directory for the SNMP tools of every node (their cache of engine ids and
    # certificates), made in advance so that they do not announce making it.
    persist = folder / "clients" / "snmp"
    if snmp:
        (persist / "cert_indexes").mkdir(parents=True, exist_ok=True)
    for node, ns in namespaces.items():
        files: dict[str, str] = {}
        resolv = resolv_conf(topo, lab, node)
        if resolv is not None and has_resolv:
            files["resolv.conf"] = resolv
        if snmp:
            files["snmp/snmp.conf"] = (f"{NETNS_MARK} {lab}: removed by paquet lab down\n"
                                       f"persistentDir {persist}\nmibs :\n")
        for name, text in files.items():
            try:
                write_netns_file(ns, name, text)
            except OSError as exc:
                problems.append(f"{node}: /etc/netns/{ns}/{name} not written ({exc.strerror}):"
                                f" the node uses the host's /etc/{name}")
    return problems


def start_early(topo: Topology, lab: str, folder: Path, namespaces: dict[str, str],
                ) -> tuple[list[Daemon], list[Any], list[str]]:
    """:func:`prepare`, :func:`write_node_files` and :func:`start` of the servers that need no
    network: what can run while the network is being wired (in a thread of its own)."""
    daemons, certs = prepare(topo, lab, folder, namespaces)
    notes = write_node_files(topo, lab, folder, namespaces)
    start(daemons, certs, namespaces, network=False)
    return daemons, certs, notes


#: servers that bind their node's addresses or interfaces: started once the network is up
NEEDS_NETWORK = ("dhcp", "snmp")


def start(daemons: list[Daemon], certs: list[Any], namespaces: dict[str, str],
          network: bool = True) -> None:
    """Start the daemons not yet started (and not missing) inside their nodes; before the
    network is up (``network=False``) only those that listen on the unspecified address.

    The web server waits for its certificate. A node's daemons start from one thread that
    entered its namespace.
    """
    ready: dict[str, list[Daemon]] = {}
    for daemon, cert in sorted(certs, key=lambda pair: pair[1] is not None):
        if daemon.status != "planned" or (not network and
                                          any(k in NEEDS_NETWORK for k in daemon.kinds)):
            continue
        if cert is not None:
            _, err = cert.communicate(timeout=30)
            if cert.returncode != 0:
                message = " ".join(err.decode(errors="replace").split())[:200]
                daemon.status = f"failed: openssl: {message}"
                continue
        ready.setdefault(daemon.node, []).append(daemon)
    for node, group in ready.items():
        in_netns(namespaces[node], functools.partial(_launch_all, group))


def _launch_all(daemons: list[Daemon]) -> None:
    for daemon in daemons:
        _launch(daemon)


def _launch(daemon: Daemon) -> None:
    """Start ``daemon`` from the calling thread (inside its node), detached, in the foreground
    (its output into ``NAME.stderr`` next to its log)."""
    program = find_program(daemon.program)
    if program is None:
        daemon.status = f"missing: {daemon.program} is not installed (scripts/system-deps)"
        return
    env = {"PATH": SEARCH_PATH, "LANG": "C", **daemon.env}
    with open(daemon.log.with_suffix(".stderr"), "ab") as err:
        daemon.proc = subprocess.Popen([program, *daemon.argv], stdin=subprocess.DEVNULL,
                                       stdout=err, stderr=err, start_new_session=True,
                                       env=env, cwd="/")
    daemon.status = "starting"


def _listening(pid: int) -> set[tuple[str, int]]:
    """(protocol, port) of the sockets listening in ``pid``'s network namespace."""
    out: set[tuple[str, int]] = set()
    for proto in ("tcp", "udp"):
        for suffix in ("", "6"):
            try:
                lines = Path(f"/proc/{pid}/net/{proto}{suffix}").read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                parts = line.split()
                if len(parts) < 4 or (proto == "tcp" and parts[3] != "0A"):
                    continue
                out.add((proto, int(parts[1].rsplit(":", 1)[1], 16)))
    return out


def wait_ready(daemons: list[Daemon], timeout: float = READY_TIMEOUT,
               sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait until every started daemon listens on its ports (or exited: ``failed``)."""
    deadline = time.monotonic() + timeout
    pending = [d for d in daemons if d.status == "starting"]
    while pending:
        for daemon in list(pending):
            code = daemon.proc.poll()
            if code is not None:
                daemon.status = f"failed: {daemon.program} exited ({code}): {_tail(daemon)}"
                pending.remove(daemon)
            elif set(daemon.ports) <= _listening(daemon.proc.pid):
                daemon.status = "running"
                pending.remove(daemon)
        if not pending:
            break
        if time.monotonic() > deadline:
            for daemon in pending:
                daemon.status = f"failed: not listening on {daemon.ports} after {timeout:g} s"
            break
        sleep(0.005)


def _tail(daemon: Daemon) -> str:
    for path in (daemon.log.with_suffix(".stderr"), daemon.log):
        with contextlib.suppress(OSError):
            lines = path.read_text("utf-8", "replace").strip().splitlines()
            if lines:
                return lines[-1][:200]
    return "no output"


def summary(daemons: list[Daemon]) -> dict[str, list[dict[str, Any]]]:
    """Per node: its servers as plain data (kinds, program, status, pid) for the lab's map."""
    out: dict[str, list[dict[str, Any]]] = {}
    for daemon in daemons:
        for kind in daemon.kinds:
            out.setdefault(daemon.node, []).append({
                "kind": kind, "program": daemon.program, "name": daemon.name,
                "status": daemon.status, "pid": daemon.proc.pid if daemon.proc else None,
                "log": str(daemon.log),
            })
        for kind, why in daemon.dropped.items():
            out.setdefault(daemon.node, []).append({
                "kind": kind, "program": daemon.program, "name": daemon.name,
                "status": why, "pid": None, "log": str(daemon.log)})
    return out
