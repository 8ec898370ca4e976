"""Scapy's ``traceroute`` and ``traceroute6``: every TTL sent at once, answers in a table.

``traceroute(target)`` sends one TCP SYN per TTL (``minttl`` to ``maxttl``) to each target in a
single :func:`~paquet.net.sendrecv.sr` run, and returns ``(TracerouteResult, unanswered)``.
:class:`TracerouteResult` is the list of ``(probe, answer)`` pairs with Scapy's views:
``show()`` (one column per target and port, one row per TTL), ``get_trace()`` (the path to
each target) and ``graph()`` (the graphviz DOT text of the paths, rendered by ``dot`` when it
is installed).

Unlike Scapy, the probes of one call keep one source port (drawn once when ``sport`` is
random): every field a per-flow load balancer hashes stays the same, so all TTLs follow one
path (Paris traceroute); the probes differ in their IP id and TCP sequence number only.
``trace3D`` and ``world_trace`` (vpython, cartopy and GeoIP) are not provided.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from paquet.net.exchange import _verbosity
from paquet.net.frames import expand
from paquet.plist import PacketList, SndRcvList

__all__ = ["TracerouteResult", "TracerouteResult6", "traceroute", "traceroute6"]

# Answers worth waiting for: ICMP errors, and TCP segments with ACK and SYN or RST set.
_FILTER4 = ("(icmp and (icmp[0]=3 or icmp[0]=4 or icmp[0]=5 or icmp[0]=11 or icmp[0]=12))"
            " or (tcp and (tcp[13] & 0x16 > 0x10))")
_FILTER6 = "icmp6 or tcp"
# ICMPv6 messages shown by their type in TracerouteResult6's table.
_ICMP6_SHOWN = ("ICMPv6DestUnreach", "ICMPv6PacketTooBig", "ICMPv6TimeExceeded",
                "ICMPv6ParamProblem", "ICMPv6EchoReply")
_ICMP6_ERRORS = _ICMP6_SHOWN[:4]
_CONF: Any = object()  # graph()'s default: conf.AS_resolver, read when called


def _ip_of(pkt: Any) -> Any:
    """The packet's IP layer, else its IPv6 layer, else the packet itself."""
    for name in ("IP", "IPv6"):
        layer = pkt.getlayer(name)
        if layer is not None:
            return layer
    return pkt


def _has(pkt: Any, name: str) -> bool:
    """Whether a layer of class ``name`` is in ``pkt`` (quoted ones are ``...error`` classes)."""
    return bool(pkt.haslayer(name))


def _colours(*levels: str) -> Iterator[tuple[str, str, str]]:
    """Colour triples mixing ``levels`` forever, as Scapy's ``colgen`` (the graph's edges)."""
    n = len(levels)
    while True:
        for i in range(n):
            for j in range(n):
                for k in range(n):
                    if i != j or j != k or k != i:
                        yield levels[(i + j) % n], levels[(j + k) % n], levels[(k + i) % n]


class TracerouteResult(SndRcvList):
    """The answered probes of :func:`traceroute`, with Scapy's table, trace and graph."""

    _v6 = False

    def __init__(self, res: Any = None, name: str = "Traceroute", stats: Any = None) -> None:
        super().__init__(res, name=name, stats=stats)
        self.graphdef: str | None = None
        self.graphASres: Any = None
        self.graphpadding = 0
        vars(self)["padding"] = 0  # Scapy's attribute (the graph's), over PacketList.padding()
        self.hloc: Any = None
        self.nloc: Any = None

    def make_table(self, *args: Any, **kargs: Any) -> str | None:
        """Scapy's ``make_table`` over the ``(query, answer)`` pairs (see
        :func:`paquet.tables.make_table`)."""
        from paquet.tables import make_table

        return make_table(self.res, *args, **kargs)

    def _cells(self, s: Any, r: Any) -> tuple[str, int, str]:
        from paquet.layers import ICMP, IP, TCP, UDP

        column = s.sprintf("%IP.dst%:")
        if s.haslayer(TCP):
            column += f"tcp{s[TCP].dport}"
        if s.haslayer(UDP):
            column += f"udp{s[UDP].dport}"
        if s.haslayer(ICMP):
            column += "ICMP"
        cell = f"{r[IP].src:<15} " if r.haslayer(IP) else "??".ljust(16)
        if r.haslayer(TCP):
            cell += r.sprintf("%TCP.flags%")
        if r.haslayer(ICMP):
            cell += str(r[ICMP].type)
        return column, s.ttl, cell

    def show(self) -> None:
        """Print the table: one column per target and port, one row per TTL, each cell the
        answering address and its TCP flags or ICMP type (Scapy's layout)."""
        self.make_table(self._cells)

    def get_trace(self) -> dict[str, dict[int, tuple[str, bool]]]:
        """``{target: {ttl: (address, reached)}}``, cut after the first TTL that reached it."""
        from paquet.layers import ICMP, IP

        trace: dict[str, dict[int, tuple[str, bool]]] = {}
        for s, r in self.res:
            if not s.haslayer(IP):
                continue
            trace.setdefault(s[IP].dst, {})[s[IP].ttl] = (r[IP].src, not r.haslayer(ICMP))
        _cut(trace)
        return trace

    def trace3D(self, join: bool = True) -> None:
        """Scapy's 3D view of the traces (vpython): not provided by paquet."""
        _not_provided("trace3D (Scapy draws it with vpython)")

    def trace3D_notebook(self) -> None:
        """Scapy's 3D view in a notebook (vpython): not provided by paquet."""
        _not_provided("trace3D_notebook (Scapy draws it with vpython)")

    def world_trace(self) -> None:
        """Scapy's world map of the hops (cartopy and a GeoIP database): not provided."""
        _not_provided("world_trace (Scapy draws it with cartopy and GeoIP2)")

    def _is_time_exceeded(self, r: Any) -> bool:
        from paquet.layers import ICMP

        return bool(r.haslayer(ICMP) and r[ICMP].type == 11) or _has(r, "ICMPv6TimeExceeded")

    def make_graph(self, ASres: Any = None, padding: int = 0) -> None:
        """Compute the DOT text of the traces (``graphdef``); ``ASres`` clusters by AS number
        (an object with ``resolve(*ips) -> [(ip, asn, description)]``), None does not."""
        from paquet.layers import ICMP, TCP, UDP, IPv6

        self.graphASres, self.graphpadding = ASres, padding
        ips: dict[str, None] = {}
        routes: dict[tuple[Any, ...], dict[int, str]] = {}
        ports: dict[str, list[str]] = {}
        done: dict[tuple[Any, ...], None] = {}
        for s0, r0 in self.res:
            r, s = _ip_of(r0), _ip_of(s0)
            v6 = isinstance(s, IPv6)
            ips[r.src] = None
            if s.haslayer(TCP):
                tid: tuple[Any, ...] = (s.src, s.dst, 6, s[TCP].dport)
            elif s.haslayer(UDP):
                tid = (s.src, s.dst, 17, s[UDP].dport)
            elif s.haslayer(ICMP):
                tid = (s.src, s.dst, 1, s[ICMP].type)
            else:
                tid = (s.src, s.dst, s.nh if v6 else s.proto, 0)
            trace = routes.setdefault(tid, {})
            ttl = s.hlim if v6 else s.ttl
            node = f'"{r.src}"'
            if self._is_time_exceeded(r):
                trace[ttl] = node
                continue
            if tid in done:
                continue
            done[tid] = None
            seen = ports.setdefault(r.src, [])
            if r.haslayer(TCP):
                sport = r[TCP].sport
                seen.append(f"<T{sport}> {r.sprintf('%TCP.sport% %TCP.flags%')}")
                trace[ttl] = f"{node}:T{sport}"
            elif r.haslayer(UDP):
                sport = r[UDP].sport
                seen.append(f"<U{sport}> {r.sprintf('%UDP.sport%')}")
                trace[ttl] = f"{node}:U{sport}"
            elif r.haslayer(ICMP):
                kind = r[ICMP].type
                seen.append(f"<I{kind}> ICMP {r.sprintf('%ICMP.type%')}")
                trace[ttl] = f"{node}:I{kind}"
            else:
                proto = r.nh if v6 else r.proto
                name = r.sprintf("%IPv6.nh%" if v6 else "%IP.proto%")
                seen.append(f"<P{proto}> {'IPv6' if v6 else 'IP'} {name}")
                trace[ttl] = f"{node}:P{proto}"
        padded = self._padded(padding, ports) if padding else None
        self.graphdef = _dot(routes, ips, ports, done, ASres, padded)

    def _padded(self, padding: int, ports: dict[str, list[str]]) -> list[str]:
        """Hops whose answers carry non-zero padding (drawn as triangles with ``padding``)."""
        out: dict[str, None] = {}
        for _s, r in self.res:
            pad = r.getlayer("Padding")
            if r.src not in ports and pad is not None and any(bytes(pad.load)):
                out[r.src] = None
        return list(out)

    def trace_paths(self) -> list[Any]:
        """The traces as :class:`paquet.draw.graphs.TracePath` values, one per flow (source,
        target, protocol and ports: Paris traceroutes of different flows stay apart), TTLs
        with no answer as silent hops, cut after the TTL that reached the target."""
        from paquet.draw.graphs import TracePath

        flows: dict[tuple[Any, ...], dict[int, str]] = {}
        reached: dict[tuple[Any, ...], int] = {}
        for s0, r0 in self.res:
            s, r = _ip_of(s0), _ip_of(r0)
            key = (s.src, s.dst, *_flow(s))
            ttl = int(s.hlim if self._v6 else s.ttl)
            flows.setdefault(key, {})[ttl] = r.src
            if not self._is_time_exceeded(r):
                reached[key] = min(ttl, reached.get(key, ttl))
        out = []
        for key, hops in flows.items():
            last = reached.get(key, max(hops))
            out.append(TracePath(
                str(key[0]), str(key[1]), key[2],
                tuple((t, (hops[t],) if t in hops else ()) for t in range(min(hops), last + 1)),
                key in reached and hops[last] == key[1]))
        return out

    def graph(self, ASres: Any = _CONF, padding: int = 0, prog: str | None = None,
              format: str | None = None, target: Any = None, type: str | None = None,
              string: bool | None = None, options: list[str] | None = None) -> Any:
        """The traces as a graph (:func:`paquet.draw.graphs.trace_graph`: the traces merged,
        each flow in its colour, silent hops as dashed boxes), drawn by graphviz's ``dot``.

        Returns a :class:`paquet.draw.dot.Graph`: the DOT text of Scapy's ``graphdef`` (with
        ``string=True`` too), which draws itself in a notebook and saves itself. With
        ``target`` (a file name, or ``">file"``; ``format``/``type`` or its suffix says the
        format), the picture is written there and None returned (without graphviz: one line
        says so, and the text form is printed). ``ASres``: the AS-number resolver of Scapy's
        DOT text (default ``conf.AS_resolver``, None in paquet); ``prog`` and ``options`` are
        graphviz's.
        """
        from paquet.draw.graphs import trace_graph

        if ASres is _CONF:
            from paquet.net.settings import settings

            ASres = settings.AS_resolver
        if self.graphdef is None or self.graphASres is not ASres or \
                self.graphpadding != padding:
            self.make_graph(ASres, padding)
        assert self.graphdef is not None
        drawn = trace_graph(self.trace_paths(), dot=self.graphdef)
        fmt = type or format
        if string or target is None:
            return drawn
        if isinstance(target, str) and target.startswith(">"):
            target = target[1:].strip()
        if prog is None and not options:
            drawn.save(target, fmt)
            return None
        from paquet.tables import do_graph

        return do_graph(drawn.picture, prog, fmt or "svg", target, options=options)


    def _repr_svg_(self) -> str | None:
        """The traces' graph in a notebook (None without graphviz: the table is shown)."""
        drawn: Any = self.graph()
        return drawn._repr_svg_()  # type: ignore[no-any-return]

    def _repr_html_(self) -> str:
        """The traces in a notebook: the table of hops, then their graph (without graphviz,
        the table alone)."""
        table = super()._repr_html_()
        svg = self._repr_svg_()
        return table if svg is None else f'{table}<figure class="paquet-trace">{svg}</figure>'


def _flow(s: Any) -> tuple[str, ...]:
    """A probe's flow as its label, e.g. ``("tcp 41000 > 80",)``."""
    from paquet.layers import ICMP, TCP, UDP

    for layer, name in ((TCP, "tcp"), (UDP, "udp")):
        if s.haslayer(layer):
            return (f"{name} {s[layer].sport} > {s[layer].dport}",)
    if s.haslayer(ICMP) or _has(s, "ICMPv6EchoRequest"):
        return ("icmp",)
    return (f"proto {s.nh if hasattr(s, 'nh') else s.proto}",)


def _not_provided(what: str) -> None:
    from paquet.errors import PaquetError

    raise PaquetError(f"{what} is not provided by paquet: get_trace() gives the hops, "
                      "graph() the graph")


def _cut(trace: dict[str, dict[int, tuple[str, bool]]]) -> None:
    """Drop the TTLs after the first one that reached each target."""
    for hops in trace.values():
        reached = [ttl for ttl, (_src, done) in hops.items() if done]
        if reached:
            for ttl in [t for t in hops if t > min(reached)]:
                del hops[ttl]


def _dot(routes: dict[tuple[Any, ...], dict[int, str]], ips: dict[str, None],
         ports: dict[str, list[str]], done: dict[tuple[Any, ...], None], ASres: Any,
         padded: list[str] | None) -> str:
    """The DOT text of Scapy's traceroute graph."""
    unknown = 0
    blackholes: list[str] = []
    bhip: dict[str, str] = {}
    for tid, trace in routes.items():
        last = max(trace)
        for n in range(min(trace), last):
            if n not in trace:
                trace[n] = f"unk{unknown}"
                unknown += 1
        if tid not in done:
            kind = {1: "icmp", 6: "tcp", 17: "udp"}.get(tid[2])
            hole = f"{tid[1]} {tid[3]}/{kind}" if kind else f"{tid[1]} {tid[2]}/proto"
            ips[hole] = None
            bhip[tid[1]] = hole
            trace[last + 1] = f'"{hole}"'
            blackholes.append(f'"{hole}"')
    asns: dict[Any, list[str]] = {}
    descriptions: dict[Any, Any] = {}
    if ASres is not None:
        for ip, asn, desc in ASres.resolve(*{x.rsplit(" ", 1)[0] for x in ips}):
            if asn is None:
                continue
            members = asns.setdefault(asn, [])
            if ip in bhip:
                if ip in ports:
                    members.append(ip)
                members.append(bhip[ip])
            else:
                members.append(ip)
            descriptions[asn] = desc
    back = _colours("60", "86", "ba", "ff")
    fore = _colours("a0", "70", "40", "20")
    out = ["digraph trace {\n", "\n\tnode [shape=ellipse,color=black,style=solid];\n\n",
           "\n#ASN clustering\n"]
    for asn, members in asns.items():
        colour = "#" + "".join(next(back))
        out.append(f"\tsubgraph cluster_{asn} {{\n")
        out.append(f'\t\tcolor="{colour}";\t\tnode [fillcolor="{colour}",style=filled];')
        out.append(f'\t\tfontsize = 10;\t\tlabel = "{asn}\\n[{descriptions[asn]}]"\n')
        out.extend(f'\t\t"{ip}";\n' for ip in members)
        out.append("\t}\n")
    out.append("#endpoints\n")
    for host, seen in ports.items():
        out.append(f'\t"{host}" [shape=record,color=black,fillcolor=green,style=filled,'
                   f'label="{host}|{"|".join(seen)}"];\n')
    out.append("\n#Blackholes\n")
    out.extend(f"\t{hole} [shape=octagon,color=black,fillcolor=red,style=filled];\n"
               for hole in blackholes)
    if padded is not None:
        out.append("\n#Padding\n")
        out.extend(f'\t"{host}" [shape=triangle,color=black,fillcolor=red,style=filled];\n'
                   for host in padded)
    out.append("\n\tnode [shape=ellipse,color=black,style=solid];\n\n")
    for tid, trace in routes.items():
        out.append(f"#---[{tid!r}\n")
        out.append(f'\t\tedge [color="#{"".join(next(fore))}"];\n')
        last = max(trace)
        out.extend(f"\t{trace[n]} ->\n" for n in range(min(trace), last))
        out.append(f"\t{trace[last]};\n")
    out.append("}\n")
    return "".join(out)


class TracerouteResult6(TracerouteResult):
    """The answered probes of :func:`traceroute6` (IPv6 hop limits instead of TTLs)."""

    _v6 = True

    def _cells(self, s: Any, r: Any) -> tuple[str, int, str]:
        from paquet.layers import TCP, UDP, IPv6

        column = s.sprintf("%-42s,IPv6.dst%:")
        if s.haslayer(TCP):
            column += s.sprintf("tcp%TCP.dport%")
        if s.haslayer(UDP):
            column += s.sprintf("udp%UDP.dport%")
        if _has(s, "ICMPv6EchoRequest"):
            column += "IER"
        cell = r.sprintf("%-42s,IPv6.src% ") if r.haslayer(IPv6) else "??".ljust(43)
        if r.haslayer(TCP):
            cell += r.sprintf("%TCP.flags%")
        for name in _ICMP6_SHOWN:
            if _has(r, name):
                cell += str(r.getlayer(name).type)
        return column, s.hlim, cell

    def get_trace(self) -> dict[str, dict[int, tuple[str, bool]]]:
        """``{target: {hlim: (address, reached)}}``, cut after the first hop that reached it."""
        from paquet.layers import IPv6

        trace: dict[str, dict[int, tuple[str, bool]]] = {}
        for s, r in self.res:
            if not s.haslayer(IPv6):
                continue
            reached = not any(_has(r, name) for name in _ICMP6_ERRORS)
            trace.setdefault(s[IPv6].dst, {})[s[IPv6].hlim] = (r[IPv6].src, reached)
        _cut(trace)
        return trace


def _probes(template: Any) -> list[Any]:
    """The template's probes, each with its random values drawn once (sent and matched as
    they are)."""
    from paquet.volatile.base import fixed_copy

    out = []
    for probe in expand(template):
        fixed = fixed_copy(probe)
        out.append(probe if fixed is None else fixed)
    return out


def _sport(sport: Any) -> int:
    if sport is None:
        return random.randint(1024, 65535)
    if isinstance(sport, int | list | tuple):
        return sport  # type: ignore[return-value]
    return int(sport)


def _run(template: Any, result: type[TracerouteResult], filter: str | None,
         timeout: float, verbose: int | bool | None,
         kargs: dict[str, Any]) -> tuple[TracerouteResult, PacketList]:
    from paquet.net.sendrecv import sr

    verb = _verbosity(verbose)
    ans, unans = sr(_probes(template), timeout=timeout, filter=filter, verbose=verb, **kargs)
    pairs, missing = _repair(list(ans.res), list(unans))
    res = result(pairs)
    if verb:
        res.show()
    return res, PacketList(missing, name=getattr(unans, "listname", "Unanswered"))


def _quoted_id(pkt: Any) -> tuple[Any, ...] | None:
    """What tells one probe of a flow from another in an ICMP error's quote (the IP id, the
    TCP sequence number): None for an answer that quotes nothing."""
    quote = pkt.getlayer("IPerror") or pkt.getlayer("IPerror6")
    if quote is None:
        return None
    tcp = quote.getlayer("TCPerror")
    return (getattr(quote, "id", None), None if tcp is None else tcp.seq)


def _probe_id(pkt: Any) -> tuple[Any, ...]:
    ip = _ip_of(pkt)
    tcp = pkt.getlayer("TCP")
    return (getattr(ip, "id", None), None if tcp is None else tcp.seq)


def _repair(pairs: list[tuple[Any, Any]], unanswered: list[Any]) -> tuple[
        list[tuple[Any, Any]], list[Any]]:
    """Give each ICMP error back to the probe it quotes. The probes of one Paris flow share
    their addresses and ports, so matching by ports alone (Scapy's rule) gives the answer of
    TTL n + 1 to the probe of a silent TTL n; the quoted IP id and sequence number tell them
    apart. Answers that quote no probe keep their pairing."""
    probes = [s for s, _r in pairs] + unanswered
    by_id: dict[tuple[Any, ...], list[Any]] = {}
    for p in probes:
        by_id.setdefault(_probe_id(p), []).append(p)
    fixed: list[tuple[Any, Any]] = []
    used: set[int] = set()
    for s, r in pairs:
        key = _quoted_id(r)
        owners = by_id.get(key, []) if key is not None and key != (None, None) else []
        owner = owners[0] if len(owners) == 1 else s
        if id(owner) in used:
            owner = s
        used.add(id(owner))
        fixed.append((owner, r))
    return fixed, [p for p in probes if id(p) not in used]


def traceroute(target: Any, dport: Any = 80, minttl: int = 1, maxttl: int = 30,
               sport: Any = None, l4: Any = None, filter: str | None = None,
               timeout: float = 2, verbose: int | bool | None = None,
               **kargs: Any) -> tuple[TracerouteResult, PacketList]:
    """Scapy's TCP traceroute: SYNs to ``dport`` with TTL ``minttl``..``maxttl``, all at once.

    ``target``: an address, a name, a network (``"203.0.113.0/30"``) or a list of them;
    ``sport``: the source port (None: one random port for the whole run); ``l4``: the layers
    to send above IP instead of TCP (then every IP answer is read); ``filter``: a tcpdump
    filter for the answers. Prints the table unless ``verbose=0``; other keywords go to
    :func:`~paquet.net.sendrecv.sr`. Returns ``(TracerouteResult, unanswered)``.
    """
    from paquet.layers import IP, TCP
    from paquet.volatile import RandInt, RandShort

    if l4 is None:
        above = TCP(seq=RandInt(), sport=_sport(sport), dport=dport)
        filter = _FILTER4 if filter is None else filter
    else:
        above, filter = l4, "ip"
    template = IP(dst=target, id=RandShort(), ttl=(minttl, maxttl)) / above
    return _run(template, TracerouteResult, filter, timeout, verbose, kargs)


def traceroute6(target: Any, dport: Any = 80, minttl: int = 1, maxttl: int = 30,
                sport: Any = None, l4: Any = None, timeout: float = 2,
                verbose: int | bool | None = None,
                **kargs: Any) -> tuple[TracerouteResult6, PacketList]:
    """:func:`traceroute` over IPv6 (hop limits ``minttl``..``maxttl``): returns
    ``(TracerouteResult6, unanswered)``."""
    from paquet.layers import TCP, IPv6
    from paquet.volatile import RandInt

    if l4 is None:
        above, filter = TCP(seq=RandInt(), sport=_sport(sport), dport=dport), _FILTER6
    else:
        above, filter = l4, None
    template = IPv6(dst=target, hlim=(minttl, maxttl)) / above
    res, unans = _run(template, TracerouteResult6, filter, timeout, verbose, kargs)
    assert isinstance(res, TracerouteResult6)
    return res, unans
