"""The lab's topology as a picture: ``paquet lab show tp --svg F``, ``paquet lab status NAME
--svg F`` and a :class:`~paquet.lab.Lab` in a notebook.

Drawn from the lab's map (:meth:`paquet.lab.Lab.map`, or :func:`paquet.lab.builder.lab_map` of
a topology that is not built): hosts are rounded boxes, routers ellipses, a LAN's switch a
small grey box with its subnets; each node lists its interfaces and addresses, its services,
its servers and its firewall rules; a point-to-point link is labelled with its name and
subnets; a lossy link is red and dashed, labelled with its loss (and rate, delay) per sender.
The text form (:func:`topology_text`) says the same in at most 80 columns.

>>> data = {"name": "mini", "topology": "mini", "nodes": [
...     {"name": "a", "kind": "host", "services": [], "servers": [], "silent": False,
...      "firewall": {"drop": [], "reject": [], "ping": True},
...      "interfaces": [{"name": "eth0", "link": "l", "v4": "192.0.2.1/30", "v6": None}]},
...     {"name": "b", "kind": "router", "services": [], "servers": [], "silent": False,
...      "firewall": {"drop": [], "reject": [], "ping": True},
...      "interfaces": [{"name": "eth0", "link": "l", "v4": "192.0.2.2/30", "v6": None}]}],
...   "links": [{"name": "l", "members": ["a", "b"], "lan": False, "subnet4": "192.0.2.0/30",
...              "subnet6": None, "loss": {"b": 20.0}, "rate": {}, "delay": {}}]}
>>> print(topology_text(data))
lab mini (mini)
  a  host
     eth0  192.0.2.1/30
  b  router
     eth0  192.0.2.2/30
  link l  a - b  192.0.2.0/30  loss 20% from b
"""

from __future__ import annotations

import textwrap
from typing import Any

from paquet.draw.dot import FONT, Graph, quote

__all__ = ["topology_graph", "topology_svg", "topology_text"]

_KIND = {
    "host": 'shape=box, style="rounded,filled", fillcolor="#e3f2fd", color="#1565c0"',
    "router": 'shape=ellipse, style=filled, fillcolor="#fff3e0", color="#e65100"',
}
_SWITCH = 'shape=box, style=filled, fillcolor="#eeeeee", color="#777777", fontsize=9'


def _esc(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _node_rows(node: dict[str, Any]) -> list[tuple[str, str]]:
    """The lines under a node's name: (text, colour)."""
    rows: list[tuple[str, str]] = []
    for itf in node["interfaces"]:
        addresses = [a for a in (itf.get("v4"), itf.get("v6")) if a]
        rows.append((f"{itf['name']}  {addresses[0] if addresses else ''}".rstrip(), "#000000"))
        rows.extend((f"{' ' * len(itf['name'])}  {a}", "#000000") for a in addresses[1:])
    for chunk in textwrap.wrap(" ".join(node["services"]), 34):
        rows.append((f"services {chunk}", "#2e7d32"))
    servers = [f"{s['kind']}:{s['link']}" if s.get("link") else s["kind"]
               for s in node.get("servers", [])]
    for chunk in textwrap.wrap(" ".join(servers), 34):
        rows.append((f"servers {chunk}", "#2e7d32"))
    fw = node["firewall"]
    for verb in ("drop", "reject"):
        for chunk in textwrap.wrap(" ".join(fw[verb]), 34):
            rows.append((f"{verb} {chunk}", "#c62828"))
    if not fw.get("ping", True):
        rows.append(("drop ping", "#c62828"))
    if node.get("silent"):
        rows.append(("silent (no ICMP errors)", "#777777"))
    return rows


def _lines(rows: list[tuple[str, str]]) -> str:
    """Lines of text as a graphviz HTML label: one table row each (spaced as a browser draws
    them: graphviz's own line breaks are tighter than a browser's line height)."""
    cells = "".join(f'<tr><td><font color="{colour}">{_esc(text)}</font></td></tr>'
                    for text, colour in rows)
    return f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="1">{cells}</table>>'


def _node_label(node: dict[str, Any]) -> str:
    cells = "".join(
        f'<tr><td align="left"><font color="{colour}" point-size="9">{_esc(text)}</font></td></tr>'
        for text, colour in _node_rows(node)
    )
    return (f'<<table border="0" cellborder="0" cellspacing="1"><tr><td><b>{_esc(node["name"])}'
            f"</b> <font point-size=\"9\">{_esc(node['kind'])}</font></td></tr>{cells}</table>>")


def _impairments(link: dict[str, Any]) -> list[str]:
    out = []
    for sender, value in link.get("loss", {}).items():
        out.append(f"loss {value:g}% from {sender}")
    for key in ("rate", "delay", "jitter"):
        for sender, value in link.get(key, {}).items():
            out.append(f"{key} {value} from {sender}")
    return out


def _subnets(link: dict[str, Any]) -> list[str]:
    return [s for s in (link.get("subnet4"), link.get("subnet6")) if s]


def topology_graph(data: dict[str, Any]) -> Graph:
    """The lab's map ``data`` as a :class:`~paquet.draw.dot.Graph` (see the module)."""
    title = quote(f"lab {data['name']} ({data['topology']})")
    out = [
        f"graph {quote(data['name'])} {{\n",
        f'\tgraph [fontname="{FONT}", rankdir=LR, nodesep=0.3, ranksep=0.5, '
        f"label={title}, labelloc=t, fontsize=13];\n",
        f'\tnode [fontname="{FONT}", fontsize=11, margin="0.08,0.04"];\n',
        f'\tedge [fontname="{FONT}", fontsize=9, color="#555555"];\n',
    ]
    for node in data["nodes"]:
        kind = _KIND.get(node["kind"], _KIND["host"])
        out.append(f"\t{quote('node:' + node['name'])} [{kind}, label={_node_label(node)}];\n")
    for link in data["links"]:
        impaired = _impairments(link)
        style = ', color="#c62828", fontcolor="#c62828", style=dashed, penwidth=2' \
            if impaired else ""
        text = _lines([(link["name"], "#000000"), *((n, "#555555") for n in _subnets(link)),
                       *((i, "#c62828") for i in impaired)])
        if link.get("lan") or len(link["members"]) != 2:
            switch = quote("switch:" + link["name"])
            out.append(f"\t{switch} [{_SWITCH}, label={text}];\n")
            out.extend(f"\t{quote('node:' + m)} -- {switch} [{style.lstrip(', ')}];\n"
                       for m in link["members"])
        else:
            a, b = link["members"]
            out.append(f"\t{quote('node:' + a)} -- {quote('node:' + b)} "
                       f"[label={text}{style}];\n")
    out.append("}\n")
    dot = "".join(out)
    return Graph(dot, text=topology_text(data))


def topology_text(data: dict[str, Any]) -> str:
    """The lab's map as text: its nodes, their interfaces, services and firewall rules, its
    links and their impairments (at most 80 columns)."""
    lines = [f"lab {data['name']} ({data['topology']})"]
    width = max((len(n["name"]) for n in data["nodes"]), default=1)
    for node in data["nodes"]:
        lines.append(f"  {node['name']:<{width}}  {node['kind']}")
        lines.extend(f"  {'':<{width}}  {text}" for text, _ in _node_rows(node))
    for link in data["links"]:
        words = [f"link {link['name']}", " - ".join(link["members"]), *_subnets(link),
                 *_impairments(link)]
        line = "  " + words[0]
        for word in words[1:]:
            if len(line) + 2 + len(word) > 80:
                lines.append(line)
                line = "      " + word
            else:
                line += "  " + word
        lines.append(line)
    return "\n".join(line[:80].rstrip() for line in lines)


def topology_svg(data: dict[str, Any]) -> str:
    """The SVG picture of the lab's map ``data`` (:func:`topology_graph`), for pages."""
    return topology_graph(data).svg()
