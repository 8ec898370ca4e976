"""Ladder (sequence) diagrams of an exchange, as Wireshark's flow graph draws them: one lane per
endpoint, one arrow per packet with its time, and for TCP its flags, its sequence and
acknowledgement numbers relative to each side's first (as Wireshark shows them) and its length;
retransmissions, segments missing from the capture and probes left unanswered are marked.

The same picture in three forms: text that fits an 80-column terminal (:func:`ladder_text`),
SVG (:func:`ladder_svg`) and a self-contained HTML page (:func:`ladder_html`). What is drawn
can be a :class:`~paquet.plist.PacketList` (``pkt_list.ladder()``), an
:class:`~paquet.plist.SndRcvList` or ``sr()``'s ``(answered, unanswered)``, a capture file's
path, or the segments of a ``paquet tcp`` session.

>>> from paquet.layers import IP, TCP
>>> a, b = "192.0.2.1", "198.51.100.7"
>>> packets = [IP(src=a, dst=b) / TCP(sport=5000, dport=80, flags="S", seq=1000),
...            IP(src=b, dst=a) / TCP(sport=80, dport=5000, flags="SA", seq=77, ack=1001),
...            IP(src=a, dst=b) / TCP(sport=5000, dport=80, flags="R", seq=1001)]
>>> for p in packets:
...     p.time = 0.0
>>> print(ladder_text(packets))
         192.0.2.1:5000                                          198.51.100.7:80
 0.000000       |-----------------------SYN seq=0 len=0---------------------->|
 0.000000       |<----------------SYN, ACK seq=0 ack=1 len=0------------------|
 0.000000       |-----------------------RST seq=1 len=0---------------------->|
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Arrow",
    "Ladder",
    "ladder",
    "ladder_html",
    "ladder_svg",
    "ladder_text",
    "lanes_of",
    "tcp_flags",
]

_FLAG_NAMES = (("F", "FIN"), ("S", "SYN"), ("R", "RST"), ("P", "PSH"), ("A", "ACK"),
               ("U", "URG"), ("E", "ECE"), ("C", "CWR"))


@dataclass(frozen=True)
class Arrow:
    """One packet of the ladder: from lane ``src`` to lane ``dst`` (indexes in
    :attr:`Ladder.lanes`), ``time`` in seconds since the first packet, ``label`` what it
    carries, ``kind`` its colour (``syn``, ``fin``, ``rst``, ``data``, ``other``), ``note``
    what is wrong with it (``retransmission``, ``previous segment not captured``, ``lost``),
    ``lost`` when it never arrived (an unanswered probe)."""

    time: float
    src: int
    dst: int
    label: str
    kind: str = "other"
    note: str = ""
    lost: bool = False


@dataclass(frozen=True)
class Ladder:
    """A ladder diagram: its lanes (endpoints, in order of appearance) and its arrows.

    ``str()`` and ``repr()`` give the text form (so ``pkt_list.ladder()`` draws itself in a
    terminal), :meth:`svg` and :meth:`html` the pictures, and a notebook shows the SVG."""

    lanes: tuple[str, ...]
    arrows: tuple[Arrow, ...]
    title: str = ""

    def text(self, width: int = 80) -> str:
        """The text form, at most ``width`` columns."""
        from paquet.draw.ladder_draw import render_text

        return render_text(self, width)

    def svg(self) -> str:
        """The SVG picture."""
        from paquet.draw.ladder_draw import render_svg

        return render_svg(self)

    def html(self) -> str:
        """A self-contained HTML page with the picture."""
        from paquet.draw.ladder_draw import render_html

        return render_html(self)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def __rich__(self) -> Any:
        """The text form with colours, for rich consoles."""
        from paquet.draw.ladder_draw import render_rich

        return render_rich(self)

    def _repr_svg_(self) -> str:
        return self.svg()


# ------------------------------------------------------------------ what is drawn


def _time(pkt: Any, sent: bool = False) -> float:
    value = getattr(pkt, "sent_time", None) if sent else None
    if value is None:
        value = getattr(pkt, "time", None)
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _segments_as_packets(segments: list[Any]) -> list[Any]:
    """The packets of a ``paquet tcp`` session (:class:`~paquet.course.handshake.Segment`)."""
    from paquet.layers import IP, TCP, IPv6

    out = []
    for seg in segments:
        net = IPv6 if ":" in seg.src else IP
        pkt = net(src=seg.src, dst=seg.dst) / TCP(
            sport=seg.sport, dport=seg.dport, flags=seg.flags, seq=seg.seq, ack=seg.ack,
            window=seg.window,
        )
        if seg.data:
            pkt = pkt / seg.data
        pkt.time = seg.time
        out.append(pkt)
    return out


def _entries(source: Any) -> list[tuple[float, Any, bool]]:
    """``(time, packet, lost)`` for everything ``source`` holds, in time order."""
    from paquet.plist import SndRcvList

    if isinstance(source, str | os.PathLike):
        from paquet.pcap import rdpcap

        source = rdpcap(os.fspath(source))
    if (
        isinstance(source, tuple)
        and len(source) == 2
        and isinstance(source[0], SndRcvList)
    ):
        answered, unanswered = source
        entries = _entries(answered)
        entries += [(_time(q, sent=True), q, True) for q in unanswered or []]
        entries.sort(key=lambda e: e[0])
        return entries
    items = list(source)
    if items and all(hasattr(s, "direction") and hasattr(s, "rel_seq") for s in items):
        items = _segments_as_packets(items)
    if isinstance(source, SndRcvList) or (
        items and all(isinstance(i, tuple) and len(i) == 2 for i in items)
    ):
        entries = []
        for query, answer in items:
            entries.append((_time(query, sent=True), query, False))
            entries.append((_time(answer), answer, False))
        entries.sort(key=lambda e: e[0])
        return entries
    return [(_time(p), p, False) for p in items]


# ------------------------------------------------------------------ endpoints and labels


def _layer(pkt: Any, name: str) -> Any:
    try:
        return pkt.getlayer(name)
    except (AttributeError, TypeError, KeyError):
        return None


def _bracket(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def _endpoints(pkt: Any) -> tuple[tuple[str, int | None], tuple[str, int | None]]:
    """The source and destination of ``pkt``: (address, port or None); the address is an IP
    address, else an ARP protocol address, else a MAC address."""
    net = _layer(pkt, "IP") or _layer(pkt, "IPv6")
    if net is not None:
        src, dst = str(net.src), str(net.dst)
        for name in ("TCP", "UDP", "SCTP"):
            t = _layer(pkt, name)
            if t is not None and _layer(pkt, "ICMP") is None:
                return (src, int(t.sport)), (dst, int(t.dport))
        return (src, None), (dst, None)
    arp = _layer(pkt, "ARP")
    if arp is not None:
        return (str(arp.psrc), None), (str(arp.pdst), None)
    ether = _layer(pkt, "Ether")
    if ether is not None:
        return (str(ether.src), None), (str(ether.dst), None)
    return ("?", None), ("?", None)


def _lane_keys(ends: list[tuple[tuple[str, int | None], tuple[str, int | None]]]
               ) -> tuple[dict[tuple[str, int | None], str], dict[str, str]]:
    """Each endpoint's lane key, and each key's name. A lane is an address, named
    ``addr:port`` when the address used one port only (the ports otherwise go on the arrows);
    an address that talks to itself (loopback) has one lane per port."""
    selfish = {src[0] for src, dst in ends if src[0] == dst[0] and src[1] != dst[1]}
    ports: dict[str, set[int | None]] = {}
    for pair in ends:
        for address, port in pair:
            ports.setdefault(address, set()).add(port)
    keys: dict[tuple[str, int | None], str] = {}
    names: dict[str, str] = {}
    for address, used in ports.items():
        for port in sorted(used, key=lambda p: -1 if p is None else p):
            end = (address, port)
            if address in selfish or len(used) == 1:
                key = _bracket(address) if port is None else f"{_bracket(address)}:{port}"
            else:
                key = _bracket(address)
            keys[end] = names.setdefault(key, key)
    return keys, names


def tcp_flags(flags: Any) -> str:
    """Wireshark's names of TCP flags, in its order: ``SYN, ACK``.

    >>> tcp_flags("SA"), tcp_flags("PA"), tcp_flags("")
    ('SYN, ACK', 'PSH, ACK', '<none>')
    """
    letters = str(flags)
    names = [name for letter, name in _FLAG_NAMES if letter in letters]
    return ", ".join(names) if names else "<none>"


def _other_label(pkt: Any) -> tuple[str, str]:
    icmp = _layer(pkt, "ICMP")
    if icmp is not None:
        text = f"ICMP {icmp.sprintf('%ICMP.type%')}"
        if int(icmp.code):
            text += f" code={icmp.code}"
        if int(icmp.type) in (0, 8):
            text += f" id={icmp.id} seq={icmp.seq}"
        return text, "other"
    for layer in pkt.iterlayers():
        if type(layer).__name__.startswith("ICMPv6"):
            return type(layer).__name__, "other"
    arp = _layer(pkt, "ARP")
    if arp is not None:
        return f"ARP {arp.sprintf('%ARP.op%')}", "other"
    udp = _layer(pkt, "UDP")
    if udp is not None:
        data = udp.payload
        name = type(data).__name__
        length = len(bytes(data))
        app = "" if name in ("Raw", "NoPayload", "Padding") else f" {name}"
        return f"UDP{app} len={length}", "data"
    layers = [type(layer).__name__ for layer in pkt.iterlayers()]
    useful = [n for n in layers if n not in ("Raw", "Padding", "Ether", "CookedLinux")]
    return (useful[-1] if useful else layers[-1]), "other"


@dataclass
class _Flow:
    """One direction of a TCP connection: its first sequence number and the next one."""

    base: int
    next_seq: int


def _signed(delta: int) -> int:
    delta &= 0xFFFFFFFF
    return delta - (1 << 32) if delta >= 1 << 31 else delta


def _tcp_arrow(tcp: Any, key: tuple[str, str], flows: dict[tuple[str, str], _Flow]
               ) -> tuple[str, str, str]:
    """(label, kind, note) of a TCP segment; ``flows`` follows each direction's numbers."""
    flags = str(tcp.flags)
    seq, ack = int(tcp.seq), int(tcp.ack)
    length = len(bytes(tcp.payload))
    span = length + ("S" in flags) + ("F" in flags)
    flow = flows.get(key)
    note = ""
    if flow is None or ("S" in flags and "A" not in flags and seq != flow.base):
        flow = flows[key] = _Flow(seq, seq)
    gap = _signed(seq - flow.next_seq)
    if span and gap < 0:
        note = "retransmission"
    elif gap > 0:
        note = "previous segment not captured"
    if _signed(seq + span - flow.next_seq) > 0:
        flow.next_seq = (seq + span) & 0xFFFFFFFF
    parts = [tcp_flags(flags), f"seq={(seq - flow.base) & 0xFFFFFFFF}"]
    if "A" in flags:
        back = flows.get((key[1], key[0]))
        parts.append(f"ack={(ack - back.base) & 0xFFFFFFFF if back else ack}")
    parts.append(f"len={length}")
    if "R" in flags:
        kind = "rst"
    elif "S" in flags:
        kind = "syn"
    elif "F" in flags:
        kind = "fin"
    else:
        kind = "data" if length else "other"
    return " ".join(parts), kind, note


def ladder(source: Any, title: str = "") -> Ladder:
    """The :class:`Ladder` of ``source``: packets (a list, a ``PacketList``, a capture
    file's path), ``(query, answer)`` pairs (an ``SndRcvList``, or ``sr()``'s
    ``(answered, unanswered)``: the unanswered are drawn lost), or a ``paquet tcp``
    session's segments."""
    entries = _entries(source)
    ends = [_endpoints(pkt) for _, pkt, _ in entries]
    keys, _names = _lane_keys(ends)
    lanes: dict[str, int] = {}
    flows: dict[tuple[str, str], _Flow] = {}
    arrows = []
    t0 = entries[0][0] if entries else 0.0
    for (when, pkt, lost), (src, dst) in zip(entries, ends, strict=True):
        a = lanes.setdefault(keys[src], len(lanes))
        b = lanes.setdefault(keys[dst], len(lanes))
        tcp = _layer(pkt, "TCP")
        if tcp is not None and _layer(pkt, "ICMP") is None:
            key = (f"{src[0]}:{src[1]}", f"{dst[0]}:{dst[1]}")
            label, kind, note = _tcp_arrow(tcp, key, flows)
        else:
            (label, kind), note = _other_label(pkt), ""
        if src[1] is not None and ":" not in keys[src].rsplit("]", 1)[-1]:
            label = f"{src[1]} → {dst[1]} {label}"
        if lost:
            note = "no answer" if not note else f"{note}, no answer"
        arrows.append(Arrow(round(when - t0, 6), a, b, label, kind, note, lost))
    return Ladder(tuple(lanes), tuple(arrows), title)


def _as_ladder(source: Any, title: str) -> Ladder:
    if isinstance(source, Ladder):
        return source if not title else Ladder(source.lanes, source.arrows, title)
    return ladder(source, title)


def ladder_text(source: Any, width: int = 80, title: str = "") -> str:
    """The ladder of ``source`` (see :func:`ladder`) as text, at most ``width`` columns."""
    return _as_ladder(source, title).text(width)


def ladder_svg(source: Any, title: str = "") -> str:
    """The ladder of ``source`` (see :func:`ladder`) as an SVG document (a string)."""
    return _as_ladder(source, title).svg()


def ladder_html(source: Any, title: str = "") -> str:
    """The ladder of ``source`` (see :func:`ladder`) as a self-contained HTML page."""
    return _as_ladder(source, title).html()


def lanes_of(packets: Iterable[Any]) -> list[str]:
    """The endpoints of ``packets``, in order of appearance (the lanes of their ladder): an
    address with its port when it used only one, else the address alone.

    >>> from paquet.layers import IP, UDP, ICMP
    >>> a, b = "192.0.2.1", "192.0.2.2"
    >>> lanes_of([IP(src=a, dst=b) / UDP(sport=53, dport=4000),
    ...           IP(src=b, dst=a) / UDP(sport=4000, dport=53)])
    ['192.0.2.1:53', '192.0.2.2:4000']
    >>> lanes_of([IP(src=a, dst=b) / UDP(sport=53, dport=4000),
    ...           IP(src=b, dst=a) / ICMP(type=3, code=3)])
    ['192.0.2.1', '192.0.2.2']
    """
    return list(ladder(list(packets)).lanes)
