"""Follow TCP Stream, as Wireshark does: a connection's bytes in both directions, in order.

TCP conversations are numbered as Wireshark's ``tcp.stream`` numbers them: from 0, in the
order their first packet appears (a SYN with a new initial sequence number on the ports of a
conversation starts a new one, as Wireshark's "port numbers reused"). :func:`follow_tcp_stream`
puts stream N's segments in order in each direction
(out-of-order segments wait for the hole, retransmitted and overlapping bytes are kept once)
and gives a :class:`FollowedStream`: the chunks of data in the order they came, each from
node 0 (the side that sent the stream's first packet) or node 1, and :meth:`~FollowedStream.text`
prints them as ``tshark -q -z follow,tcp,MODE,N`` does (``ascii``, ``hex`` or ``raw``).

>>> ip = IP(src="192.0.2.1", dst="192.0.2.2")
>>> back = IP(src="192.0.2.2", dst="192.0.2.1")
>>> pkts = [ip / TCP(sport=1025, dport=80, seq=1, flags="PA") / b"GET /",
...         back / TCP(sport=80, dport=1025, seq=9, flags="PA") / b"hi"]
>>> for line in follow_tcp_stream(pkts, 0).text("raw").splitlines()[2:]:
...     print(repr(line))
'Follow: tcp,raw'
'Filter: tcp.stream eq 0'
'Node 0: 192.0.2.1:1025'
'Node 1: 192.0.2.2:80'
'474554202f'
'\\t6869'
'==================================================================='
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from paquet.errors import PaquetError
from paquet.layers import IP, TCP, IPv6
from paquet.net.sessions import _Flow, _tcp_data
from paquet.packet.base import Packet

__all__ = ["FollowedStream", "follow_command", "follow_tcp_stream", "tcp_streams"]

_RULE = "=" * 67
_MODES = ("ascii", "hex", "raw")
_PRINTABLE = frozenset(range(32, 127)) | {10, 13}


def _endpoints(pkt: Any) -> tuple[tuple[str, int], tuple[str, int]] | None:
    if not isinstance(pkt, Packet) or TCP not in pkt:
        return None
    tcp = pkt[TCP]
    ip = tcp.underlayer
    if not isinstance(ip, IP | IPv6):
        return None
    return (str(ip.src), int(tcp.sport)), (str(ip.dst), int(tcp.dport))


def tcp_streams(packets: Iterable[Any]) -> list[list[Any]]:
    """The TCP conversations of ``packets``, numbered as Wireshark's ``tcp.stream``: list
    index N holds stream N's packets, in capture order.

    >>> a = IP(src="192.0.2.1", dst="192.0.2.2")
    >>> [len(s) for s in tcp_streams([a / TCP(sport=1), a / TCP(sport=2), a / TCP(sport=1)])]
    [2, 1]
    """
    streams: list[list[Any]] = []
    current: dict[frozenset[tuple[str, int]], tuple[int, int | None, bool]] = {}
    for pkt in packets:
        ends = _endpoints(pkt)
        if ends is None:
            continue
        key = frozenset(ends)
        tcp = pkt[TCP]
        syn_only = bool(tcp.flags.S) and not tcp.flags.A
        known = current.get(key)
        if known is None or (syn_only and known[1] is not None and known[1] != tcp.seq):
            known = (len(streams), tcp.seq if syn_only else None, False)
            streams.append([])
        index, isn, closed = known
        if syn_only and isn is None:
            isn = tcp.seq
        current[key] = (index, isn, closed or bool(tcp.flags.F or tcp.flags.R))
        streams[index].append(pkt)
    return streams


@dataclass
class FollowedStream:
    """A TCP stream followed: its ``index``, its two ``nodes`` (address, port), node 0 the
    sender of its first packet, and ``chunks``: (node, bytes) in the order they came."""

    index: int
    nodes: tuple[tuple[str, int], tuple[str, int]]
    chunks: list[tuple[int, bytes]] = field(default_factory=list)

    def data(self, node: int) -> bytes:
        """Every byte ``node`` (0 or 1) sent, in order."""
        return b"".join(d for n, d in self.chunks if n == node)

    def _node(self, n: int) -> str:
        addr, port = self.nodes[n]
        if ipaddress.ip_address(addr).version == 6:
            return f"[{addr}]:{port}"
        return f"{addr}:{port}"

    def text(self, mode: str = "ascii") -> str:
        """What ``tshark -q -z follow,tcp,MODE,N`` prints (``ascii``, ``hex`` or ``raw``)."""
        if mode not in _MODES:
            raise PaquetError(f"follow mode: one of {', '.join(_MODES)}, not {mode!r}")
        lines = ["", _RULE, f"Follow: tcp,{mode}", f"Filter: tcp.stream eq {self.index}",
                 f"Node 0: {self._node(0)}", f"Node 1: {self._node(1)}"]
        offsets = [0, 0]
        for node, data in self.chunks:
            tab = "\t" * node
            if mode == "raw":
                lines.append(tab + data.hex())
            elif mode == "ascii":
                lines.append(f"{tab}{len(data)}")
                lines.append("".join(chr(b) if b in _PRINTABLE else "." for b in data))
            else:
                lines.extend(tab + row for row in _hex_rows(data, offsets[node]))
            offsets[node] += len(data)
        lines.append(_RULE)
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.text("ascii")


def _hex_rows(data: bytes, offset: int) -> list[str]:
    rows = []
    for i in range(0, len(data), 16):
        part = data[i:i + 16]
        hexes = " ".join(f"{b:02x}" for b in part[:8])
        if len(part) > 8:
            hexes += "  " + " ".join(f"{b:02x}" for b in part[8:])
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in part)
        if len(part) >= 8:
            text = text[:8] + " " + text[8:]
        rows.append(f"{offset + i:08X}  {hexes:<48}  {text}".rstrip(" "))  # as tshark
    return rows


def follow_tcp_stream(packets: Iterable[Any], index: int = 0) -> FollowedStream:
    """Stream ``index`` (Wireshark's ``tcp.stream``) of ``packets``, its data put in order
    in both directions (Wireshark's "Follow TCP Stream"); see :class:`FollowedStream`.

    A :class:`PaquetError` when the capture has no such stream.
    """
    streams = tcp_streams(packets)
    if not 0 <= index < len(streams):
        raise PaquetError(f"no TCP stream {index}: the capture has {len(streams)}")
    pkts = streams[index]
    first = _endpoints(pkts[0])
    assert first is not None
    out = FollowedStream(index, first)
    flows: dict[tuple[str, int], _Flow] = {}
    for pkt in pkts:
        ends = _endpoints(pkt)
        assert ends is not None
        tcp = pkt[TCP]
        flow = flows.get(ends[0])
        if flow is None or (tcp.flags.S and flow.position(tcp.seq + 1) != 0):
            flow = flows[ends[0]] = _Flow((tcp.seq + 1 if tcp.flags.S else tcp.seq) & 0xFFFFFFFF)
        data = _tcp_data(tcp)
        if not data:
            continue
        node = 0 if ends[0] == first[0] else 1
        for piece in flow.add(tcp.seq, data) or ():
            out.chunks.append((node, piece))
        flow.buffer.clear()
    return out


def follow_command(source: Any, spec: str, filter: str | None = None) -> str:
    """``paquet read FILE --follow SPEC``: the text of ``tcp,N`` (ascii) or ``tcp,MODE,N``
    (``ascii``, ``hex``, ``raw``) for the capture ``source`` (a path or a binary file)."""
    from paquet.capfile import _default_decoder, _set_meta
    from paquet.pcap import open_capture

    parts = spec.split(",")
    if len(parts) == 2:
        parts.insert(1, "ascii")
    if len(parts) != 3 or parts[0] != "tcp" or parts[1] not in _MODES or not parts[2].isdigit():
        raise PaquetError(f"--follow: tcp,N or tcp,MODE,N (MODE: ascii, hex, raw), not {spec!r}")
    if filter:
        from paquet.net.sniff import sniff

        pkts: list[Any] = list(sniff(offline=source, filter=filter, quiet=True))
    else:
        decode = _default_decoder()
        with open_capture(source, raw=True) as reader:
            pkts = [_set_meta(decode(rec.data, rec.linktype), rec) for rec in reader]
    return follow_tcp_stream(pkts, int(parts[2])).text(parts[1])
