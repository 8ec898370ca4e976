"""``paquet lab``: build, inspect and remove virtual networks (argument parsing and rendering only).

    paquet lab list                     the built-in labs
    paquet lab show tp                  a topology's addressing plan, without building it
    paquet lab up tp [--name X]         build it (it stays up after the command), print its map
    paquet lab up chain --n 8           a parameter; also: paquet lab up chain:8
    paquet lab check                    hosts ping each other, every service and server answers
    paquet lab status                   the labs that are up
    paquet lab exec client -- ping -c1 203.0.113.10
    paquet lab shell client             an interactive shell inside a node
    paquet lab logs server udp:10000    what a service received (-f: follow)
    paquet lab down [X | --all]         remove a lab (--all: every lab, and crash leftovers)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from paquet.cli.main import Exit
from paquet.cli.params import MAX_COUNT, TEXT, FilePath, Int
from paquet.cli.render import console, print_json
from paquet.cli.status import ExitStatus
from paquet.errors import LabError

__all__ = ["command", "map_table", "node_env", "node_path", "resolve_lab", "run_in_node"]

JSON_HELP = "Print JSON instead of a table."


def map_table(data: dict[str, Any], width: int | None = None) -> Any:
    """A rich Table of a lab's map (``lab.map()``): one row per interface, services and rules.

    For other commands (``paquet demo``) that show a lab. Within ``width`` columns the table
    folds instead of cutting words: when one column per address does not fit, each
    interface's IPv4 and IPv6 addresses share a column, one above the other, and the text
    columns wrap at spaces (an address is never cut).
    """
    if width is None or _needed(_map_table(data, compact=False)) <= width:
        return _map_table(data, compact=False)
    return _map_table(data, compact=True)


def _needed(table: Any) -> int:
    """The narrowest ``table`` can be without breaking a word: its no-wrap columns' longest
    line, the others' longest word, with the padding and the borders."""
    total = 0
    for col in table.columns:
        cells = [str(col.header), *(str(c) for c in col.cells)]
        if col.no_wrap:
            widest = max((len(line) for c in cells for line in c.splitlines()), default=0)
        else:
            widest = max((len(word) for c in cells for word in c.split()), default=0)
        total += widest + table.padding[1] + table.padding[3]
    edges = 2 if table.show_edge else 0
    return total + len(table.columns) - 1 + edges


def _map_table(data: dict[str, Any], compact: bool) -> Any:
    from rich import box
    from rich.table import Table

    from paquet.lab.core import server_label

    title = f"lab {data['name']} ({data['topology']})"
    table = Table(title=title, title_justify="left",
                  box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD, show_edge=not compact,
                  padding=(0, 1) if not compact else (0, 1, 0, 0))
    addresses = ("addresses",) if compact else ("IPv4", "IPv6")
    for col in ("node", "kind", "if", *addresses, "link: peers", "services & rules"):
        # whole words: the short columns never wrap, the others wrap at spaces and fold a
        # word only if it is longer than the whole column
        table.add_column(col, no_wrap=col in ("node", "kind", "if", *addresses),
                         overflow="fold")
    for node in data["nodes"]:
        extra = list(node["services"]) + [server_label(s) for s in node.get("servers", [])]
        fw = node["firewall"]
        if fw["drop"]:
            extra.append("drop " + " ".join(fw["drop"]))
        if fw["reject"]:
            extra.append("reject " + " ".join(fw["reject"]))
        if not fw["ping"]:
            extra.append("no ping")
        if node["silent"]:
            extra.append("silent (no time-exceeded)")
        if node["rp_filter"] != "off":
            extra.append(f"rp_filter {node['rp_filter']}")
        itfs = node["interfaces"] or [{"name": "", "v4": None, "v6": None, "link": "",
                                       "peers": []}]
        for i, itf in enumerate(itfs):
            first = i == 0
            addrs = ("\n".join(a for a in (itf["v4"], itf["v6"]) if a),) if compact else (
                itf["v4"] or "", itf["v6"] or "")
            table.add_row(
                node["name"] if first else "", node["kind"] if first else "", itf["name"],
                *addrs,
                f"{itf['link']}: {', '.join(itf['peers'])}" if itf["link"] else "",
                ", ".join(extra) if first else "",
                end_section=i == len(itfs) - 1,
            )
    return table


def _wide_console() -> Any:
    """The console for maps: a terminal's width, COLUMNS when set, else 160 (a pipe)."""
    out = console()
    if not out.is_terminal and not os.environ.get("COLUMNS"):
        out.width = max(out.width, 160)
    return out


def _print_map(data: dict[str, Any]) -> None:
    out = _wide_console()
    out.print(map_table(data, out.width))
    for link in data["links"]:
        parts = []
        for key in ("loss", "rate", "delay"):
            for sender, value in link[key].items():
                shown = f"{value:g} %" if key == "loss" else str(value)
                parts.append(f"{key} {shown} from {sender}")
        if parts:
            out.print(f"link {link['name']}: " + ", ".join(parts), soft_wrap=False)


SVG_HELP = "Also draw the lab's topology into this SVG file (graphviz)."


def _draw(data: dict[str, Any], svg: str | None) -> None:
    """Draw the lab's map into ``svg`` (nothing without it; one line without graphviz)."""
    if svg is not None:
        from paquet.draw.dot import save
        from paquet.draw.topology import topology_graph

        save(topology_graph(data).picture, svg, "svg")


def _resolve_lab(name: str | None) -> str:
    from paquet.lab import Lab

    if name:
        return name
    running: list[str] = Lab.running()
    if not running:
        raise LabError("no lab is up (paquet lab up tp)")
    if len(running) > 1:
        raise LabError(f"several labs are up ({', '.join(running)}): choose one with --lab")
    return running[0]


def resolve_lab(name: str | None) -> str:
    """``name``, or the only lab up when it is ``None`` (LabError when none or several are)."""
    return _resolve_lab(name)


@click.group(name="lab")
def command() -> None:
    """Virtual networks in network namespaces: the course's network on this machine.

    \b
    Examples:
      paquet lab up tp                      build the course's network (stays up)
      paquet lab exec client -- ping -c1 203.0.113.10
      paquet lab shell neighbour            a shell inside a node
      paquet lab logs server udp:10000 -f   what the UDP server receives, live
      paquet lab exec client -- dig www.tp.example   the lab's DNS (docs/lab.md: its servers)
      paquet lab up chain --n 8 --name c8   a second lab next to the first
      paquet lab down --all                 remove every lab (and crash leftovers)
    """


@command.command(name="list")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def list_cmd(as_json: bool) -> None:
    """List the built-in labs."""
    from paquet.lab.topology import builtin_names, load

    rows: list[dict[str, Any]] = []
    for name in builtin_names():
        topo = load(name)
        rows.append({"name": name, "description": topo.description, "params": topo.params,
                     "nodes": list(topo.nodes)})
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title="built-in labs", title_justify="left")
    for col in ("name", "parameters", "nodes", "description"):
        table.add_column(col)
    for row in rows:
        params = " ".join(f"--{k} {v}" for k, v in row["params"].items())
        table.add_row(row["name"], params, " ".join(row["nodes"]), row["description"])
    console().print(table)


def _params(n: int | None, param: tuple[str, ...]) -> dict[str, int]:
    params: dict[str, int] = {}
    if n is not None:
        params["n"] = n
    for item in param:
        key, sep, value = item.partition("=")
        if not sep or not value.lstrip("-").isdigit() or not value.isascii():
            raise LabError(f"--param {item!r}: expected NAME=INTEGER")
        params[key] = int(value)
    return params


@command.command()
@click.argument("topology", type=TEXT)
@click.option("--n", "n", type=Int(0, MAX_COUNT),
              help="Parameter n (e.g. the number of routers of chain).")
@click.option("--param", "-p", type=TEXT, multiple=True, help="Another parameter, NAME=INTEGER.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("--svg", type=FilePath(writable=True), help=SVG_HELP)
def show(topology: str, n: int | None, param: tuple[str, ...], as_json: bool,
         svg: str | None = None) -> None:
    """Show TOPOLOGY's addressing plan and routes without building it (no root needed)."""
    from paquet.lab.builder import lab_map
    from paquet.lab.topology import load

    topo = load(topology, **_params(n, param))
    data = lab_map(topo, topo.name)
    _draw(data, svg)
    if as_json:
        print_json(data)
        return
    _print_map(data)
    out = _wide_console()
    for node in data["nodes"]:
        for route in node["routes"]:
            out.print(f"{node['name']}: {route['dst']} via {', '.join(route['via'])}",
                      soft_wrap=False)


@command.command()
@click.argument("topology", type=TEXT)
@click.option("--name", type=TEXT,
              help="The lab's name (default: the topology's); labs with different "
              "names can be up at once.")
@click.option("--n", "n", type=Int(0, MAX_COUNT),
              help="Parameter n (e.g. the number of routers of chain).")
@click.option("--param", "-p", type=TEXT, multiple=True, help="Another parameter, NAME=INTEGER.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def up(topology: str, name: str | None, n: int | None, param: tuple[str, ...],
       as_json: bool) -> None:
    """Build TOPOLOGY (a built-in name, NAME:N, or a TOML file) and leave it running."""
    from paquet.lab import Lab

    started = time.perf_counter()
    lab = Lab.up(topology, name=name, **_params(n, param))
    elapsed = time.perf_counter() - started
    if as_json:
        print_json({**lab.map(), "seconds": round(elapsed, 3),
                    "warnings": lab.server_warnings()})
        return
    from rich.markup import escape

    _print_map(lab.map())
    for warning in lab.server_warnings():
        console().print(f"[yellow]warning[/]: {escape(warning)}")
    console().print(f"lab {lab.name} is up ({elapsed:.2f} s): paquet lab exec NODE -- CMD, "
                    f"paquet lab down {lab.name}")


@command.command()
@click.argument("name", type=TEXT, required=False)
@click.option("--all", "all_", is_flag=True, help="Remove every lab, and leftovers of crashes.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def down(name: str | None, all_: bool, as_json: bool) -> None:
    """Remove lab NAME (the only one up when omitted): namespaces, links, processes, state."""
    from paquet.lab import down_all
    from paquet.lab.state import teardown

    if all_ and name:
        raise LabError("give a lab name or --all, not both")
    if all_:
        removed = down_all()
    else:
        target = _resolve_lab(name)
        if not teardown(target):
            raise LabError(f"no lab named {target!r} (paquet lab status)")
        removed = [target]
    if as_json:
        print_json({"removed": removed})
    elif removed:
        console().print("removed: " + ", ".join(removed))
    else:
        console().print("nothing to remove")


@command.command()
@click.argument("name", type=TEXT, required=False)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("--svg", type=FilePath(writable=True), help=SVG_HELP)
def status(name: str | None, as_json: bool, svg: str | None = None) -> None:
    """The labs that are up (or lab NAME's map)."""
    from paquet.lab import Lab
    from paquet.lab.state import labs_on_disk, load_state

    if svg and not name:
        raise click.UsageError("--svg draws one lab: give its NAME")
    if name:
        data = Lab.attach(name).map()
        _draw(data, svg)
        if as_json:
            print_json(data)
        else:
            _print_map(data)
        return
    running = set(Lab.running())
    rows = []
    for lab in labs_on_disk():
        state = load_state(lab) or {}
        data = state.get("map", {})
        alive = sum(1 for p in state.get("pids", []) if Path(f"/proc/{p}").exists())
        servers = sum(1 for p in state.get("server_pids", []) if Path(f"/proc/{p}").exists())
        rows.append({
            "name": lab, "topology": data.get("topology"), "up": lab in running,
            "nodes": len(data.get("nodes", [])), "service_processes": alive,
            "server_processes": servers, "created": state.get("created"),
        })
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print("no lab is up")
        raise Exit(ExitStatus.NEGATIVE)
    from rich.table import Table

    table = Table(title="labs", title_justify="left")
    for col in ("name", "topology", "state", "nodes", "service processes", "servers",
                "up since"):
        table.add_column(col)
    for row in rows:
        since = time.strftime("%H:%M:%S", time.localtime(row["created"])) if row["created"] \
            else "?"
        table.add_row(row["name"], str(row["topology"]),
                      "up" if row["up"] else "broken (paquet lab down)",
                      str(row["nodes"]), str(row["service_processes"]),
                      str(row["server_processes"]), since)
    console().print(table)


@command.command(name="exec", context_settings={"ignore_unknown_options": True,
                                                "allow_interspersed_args": False})
@click.option("--lab", "-l", "lab_name", type=TEXT, help="The lab (default: the only one up).")
@click.argument("node", type=TEXT)
@click.argument("cmd", nargs=-1, required=True, type=click.UNPROCESSED)
def exec_cmd(lab_name: str | None, node: str, cmd: tuple[str, ...]) -> None:
    """Run CMD inside NODE (paquet lab exec client -- ping -c1 203.0.113.10); its exit status."""
    from paquet.lab import Lab

    lab = Lab.attach(_resolve_lab(lab_name))
    argv = list(cmd[1:] if cmd and cmd[0] == "--" else cmd)
    if not argv:
        raise LabError("no command given: paquet lab exec NODE -- CMD ...")
    target = lab[node]
    try:
        proc = subprocess.run(["ip", "netns", "exec", target.ns, *argv], check=False)
    except FileNotFoundError:
        raise LabError("`ip` (iproute2) is not installed") from None
    raise Exit(proc.returncode)


def node_path(path: str | None, executable: str | None = None,
              script: str | None = None) -> str:
    """``PATH`` for a program run inside a lab node: the directory of this Python (a venv's
    ``bin``, with its ``python`` and ``paquet``) and of the running ``paquet`` script first,
    then ``path``. ``sudo`` resets PATH (secure_path), so without this a shell in a node
    finds the system's python, without paquet, and no ``paquet`` at all.

    >>> node_path("/usr/bin:/bin", "/home/me/.venv/bin/python", "/home/me/.venv/bin/paquet")
    '/home/me/.venv/bin:/usr/bin:/bin'
    >>> node_path("/v/bin:/usr/bin", "/v/bin/python3", "-c")
    '/v/bin:/usr/bin'
    """
    first = []
    exe = sys.executable if executable is None else executable
    if exe:
        first.append(os.path.dirname(os.path.abspath(exe)))
    argv0 = (sys.argv[0] if sys.argv else "") if script is None else script
    if os.path.basename(argv0) == "paquet":
        first.append(os.path.dirname(os.path.abspath(argv0)))
    rest = [d for d in (path or os.defpath).split(os.pathsep) if d]
    dirs = list(dict.fromkeys([*first, *rest]))
    return os.pathsep.join(dirs)


def node_env(lab: str, node: str, **extra: str) -> dict[str, str]:
    """The environment of a program run inside ``node``: ours, with ``PAQUET_LAB`` and
    ``PAQUET_NODE`` set and :func:`node_path` as ``PATH``."""
    return dict(os.environ, PAQUET_LAB=lab, PAQUET_NODE=node,
                PATH=node_path(os.environ.get("PATH")), **extra)


def run_in_node(ns: str, argv: list[str], env: dict[str, str]) -> int:
    """Run ``argv`` inside namespace ``ns`` on this terminal and return its exit status.

    Ctrl-C is the child's (it stops a ping in the shell, not the shell): this process ignores
    SIGINT while it waits.
    """
    import signal

    try:
        proc = subprocess.Popen(["ip", "netns", "exec", ns, *argv], env=env)
    except FileNotFoundError:
        raise LabError("`ip` (iproute2) is not installed") from None
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


@command.command()
@click.option("--lab", "-l", "lab_name", type=TEXT, help="The lab (default: the only one up).")
@click.argument("node", type=TEXT)
def shell(lab_name: str | None, node: str) -> None:
    """An interactive shell inside NODE (exit to leave); this Python's paquet and python stay
    first on PATH (paquet shell --node NODE: a Python prompt there)."""
    from paquet.lab import Lab

    lab = Lab.attach(_resolve_lab(lab_name))
    target = lab[node]
    sh = os.environ.get("SHELL", "/bin/bash")
    env = node_env(lab.name, node, PS1=f"[{lab.name}:{node}] \\w\\$ ")
    argv = [sh, "--norc", "-i"] if sh.endswith("bash") else [sh, "-i"]
    click.echo(f"shell in {node} ({target.ns}); addresses: {' '.join(target.addresses)}",
               err=True)
    raise Exit(run_in_node(target.ns, argv, env))


@command.command()
@click.argument("name", type=TEXT, required=False)
@click.option("--no-ping", is_flag=True, help="Skip the pings between hosts.")
@click.option("--no-services", is_flag=True, help="Skip the services.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def check(name: str | None, no_ping: bool, no_services: bool, as_json: bool) -> None:
    """Check lab NAME: hosts ping each other (IPv4, IPv6), every service answers. Exit 1 on
    a failure."""
    from paquet.lab import Lab
    from paquet.lab.check import run_checks, summary

    lab = Lab.attach(_resolve_lab(name))
    checks = run_checks(lab, ping=not no_ping, services=not no_services)
    failed = [c for c in checks if not c.ok]
    if as_json:
        print_json([{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks])
    else:
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=f"lab {lab.name}: checks", title_justify="left")
        for col in ("", "check", "detail"):
            table.add_column(col)
        for c in checks:
            table.add_row("[green]ok[/]" if c.ok else "[red]FAIL[/]", escape(c.name),
                          escape(c.detail))
        out = _wide_console()
        out.print(table)
        out.print(summary(checks))
    if failed:
        raise Exit(ExitStatus.NEGATIVE)


def _record_json(r: Any) -> dict[str, Any]:
    return {"time": r.time, "event": r.event, "src": r.src, "sport": r.sport,
            "data": r.data.hex(), "text": r.text}


def _record_line(r: Any) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(r.time)) + f".{int(r.time % 1 * 1000):03d}"
    text = json.dumps(r.text, ensure_ascii=False) if r.data else ""
    return f"{stamp} {r.event:<8} {r.src}:{r.sport} {text}".rstrip()


@command.command()
@click.option("--lab", "-l", "lab_name", type=TEXT, help="The lab (default: the only one up).")
@click.argument("node", type=TEXT)
@click.argument("service", type=TEXT)
@click.option("--follow", "-f", is_flag=True, help="Keep printing what arrives (Ctrl-C stops).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (NDJSON) "
              "with --follow, else a JSON list.")
def logs(lab_name: str | None, node: str, service: str, follow: bool, as_json: bool) -> None:
    """What SERVICE (udp:10000, tcp:PORT, http:PORT) of NODE received, or the log of one of its
    servers (dns, resolver, dhcp, http, https, ntp, snmp)."""
    from paquet.lab import Lab

    lab = Lab.attach(_resolve_lab(lab_name))
    target = lab[node]
    if ":" not in service:
        _server_log(target, service, follow, as_json)
        return
    records = target.logs(service)
    if follow:
        from paquet.cli.render import print_ndjson
        from paquet.lab.netns import namespace_path

        seen = 0
        while True:
            for r in records[seen:]:
                if as_json:
                    print_ndjson(_record_json(r))
                else:
                    click.echo(_record_line(r))
            seen = len(records)
            sys.stdout.flush()
            time.sleep(0.1)
            if not namespace_path(target.ns).exists():
                return  # the lab went down
            records = target.logs(service)
    if as_json:
        print_json([_record_json(r) for r in records])
        return
    for r in records:
        click.echo(_record_line(r))
    if not records:
        raise Exit(ExitStatus.NEGATIVE)


def _server_log(target: Any, kind: str, follow: bool, as_json: bool) -> None:
    """Print (and follow) a server's text log."""
    from paquet.lab.netns import namespace_path

    path = target.server_log(kind)
    try:
        lines = path.read_text("utf-8", "replace").splitlines()
    except FileNotFoundError:
        lines = []
    if as_json and not follow:
        print_json(lines)
        return
    for line in lines:
        click.echo(json.dumps(line) if as_json else line)
    if not follow:
        if not lines:
            raise Exit(ExitStatus.NEGATIVE)
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        f.seek(0, os.SEEK_END)
        while namespace_path(target.ns).exists():
            line = f.readline()
            if not line:
                sys.stdout.flush()
                time.sleep(0.1)
                continue
            click.echo(json.dumps(line.rstrip("\n")) if as_json else line.rstrip("\n"))
