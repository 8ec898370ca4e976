"""Bidirectional flows of a capture, as Zeek's conn.log and nfstream present them.

A flow is the packets of one 5-tuple (protocol, two addresses, two ports) in both directions;
its originator is the sender of its first packet (of the SYN+ACK's receiver when the first
packet seen is a SYN+ACK). :class:`FlowTable` takes packet batches one after the other (one
streaming pass; a flow that goes on in the next file stays one flow) and gives a table:

``ts``, ``last_ts`` (first and last packet), ``proto``, ``id.orig_h``, ``id.orig_p``,
``id.resp_h``, ``id.resp_p`` (Zeek's names), ``orig_pkts``, ``orig_bytes``, ``resp_pkts``,
``resp_bytes`` (frame bytes each way), ``orig_flags``, ``resp_flags`` (TCP flags seen, OR-ed),
``rtt`` (SYN to SYN+ACK, seconds), ``orig_retrans``, ``resp_retrans`` (TCP segments with data
all at or before the highest sequence number already seen that way).

Packets with no IPv4/IPv6 address are left out; ports are 0 for protocols without them.

>>> import io
>>> from paquet.pcap import wrpcap
>>> from paquet.layers import Ether, IP, TCP
>>> a, b = IP(src="192.0.2.1", dst="192.0.2.2"), IP(src="192.0.2.2", dst="192.0.2.1")
>>> pkts = [Ether() / a / TCP(sport=1025, dport=80, flags="S"),
...         Ether() / b / TCP(sport=80, dport=1025, flags="SA")]
>>> buf = io.BytesIO(); wrpcap(buf, pkts)
>>> row = flows(buf.getvalue()).to_pylist()[0]
>>> row["id.orig_h"], row["id.resp_p"], row["orig_pkts"], row["resp_pkts"], row["resp_flags"]
('192.0.2.1', 80, 1, 1, 18)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from paquet.frame.deps import need

__all__ = ["FLOW_FIELDS", "PACKET_FIELDS", "FlowTable", "flows", "flow_schema"]

#: The packet columns flows are computed from.
PACKET_FIELDS = (
    "frame.time",
    "frame.len",
    "ip.src",
    "ip.dst",
    "ip.proto",
    "ipv6.src",
    "ipv6.dst",
    "ipv6.nxt",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.flags",
    "tcp.len",
    "udp.srcport",
    "udp.dstport",
)

#: The flow table's columns, in order.
FLOW_FIELDS = (
    "ts",
    "last_ts",
    "proto",
    "id.orig_h",
    "id.orig_p",
    "id.resp_h",
    "id.resp_p",
    "orig_pkts",
    "orig_bytes",
    "resp_pkts",
    "resp_bytes",
    "orig_flags",
    "resp_flags",
    "rtt",
    "orig_retrans",
    "resp_retrans",
)

_SYN, _ACK = 0x02, 0x10
# Per-flow state, a list: indices below.
(_TS, _LAST, _OP, _OB, _RP, _RB, _OF, _RF, _SYNT, _RTT, _ORT, _RRT, _OEND, _REND) = range(14)


def flow_schema() -> Any:
    """The Arrow schema of a flow table."""
    pa = need("pyarrow")
    ts = pa.timestamp("ns", tz="UTC")
    u64, u16, u8 = pa.uint64(), pa.uint16(), pa.uint8()
    types = [ts, ts, u8, pa.string(), u16, pa.string(), u16, u64, u64, u64, u64, u16, u16]
    types += [pa.float64(), u64, u64]
    return pa.schema(list(zip(FLOW_FIELDS, types, strict=True)))


def _after(a: int, b: int) -> bool:
    """Sequence number ``a`` is after ``b`` (RFC 1982 arithmetic on 32 bits)."""
    return a != b and ((a - b) & 0xFFFFFFFF) < 0x80000000


class FlowTable:
    """Flows being counted: :meth:`update` with packet batches (columns of
    :data:`PACKET_FIELDS`), in time order across files, then :meth:`table`."""

    def __init__(self) -> None:
        #: (proto, orig addr, orig port, resp addr, resp port) -> state list
        self.flows: dict[tuple[int, str, int, str, int], list[Any]] = {}

    def update(self, batch: Any) -> None:
        """Count the packets of one record batch."""
        cols = {name: batch.column(batch.schema.get_field_index(name)) for name in PACKET_FIELDS}
        times = cols["frame.time"].cast(need("pyarrow").int64()).to_pylist()
        lens = cols["frame.len"].to_pylist()
        src4, dst4, p4 = (cols[k].to_pylist() for k in ("ip.src", "ip.dst", "ip.proto"))
        src6, dst6, p6 = (cols[k].to_pylist() for k in ("ipv6.src", "ipv6.dst", "ipv6.nxt"))
        tsp, tdp, seqs, tfl, tlen = (
            cols[k].to_pylist()
            for k in ("tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.flags", "tcp.len")
        )
        usp, udp = cols["udp.srcport"].to_pylist(), cols["udp.dstport"].to_pylist()
        table = self.flows
        for i, t in enumerate(times):
            src = src4[i]
            if src is not None:
                dst, proto = dst4[i], p4[i]
            else:
                src = src6[i]
                if src is None:
                    continue
                dst, proto = dst6[i], p6[i]
            flags = tfl[i]
            if flags is not None:
                sp, dp, proto = tsp[i], tdp[i], 6
            elif usp[i] is not None:
                sp, dp, proto = usp[i], udp[i], 17
            else:
                sp = dp = 0
            key = (proto, src, sp, dst, dp)
            st = table.get(key)
            orig = True
            if st is None:
                st = table.get((proto, dst, dp, src, sp))
                if st is not None:
                    orig = False
                elif flags is not None and flags & (_SYN | _ACK) == _SYN | _ACK:
                    # the first packet seen answers a SYN: its receiver is the originator
                    st = table[(proto, dst, dp, src, sp)] = [t, t] + [0] * 6 + [None] * 6
                    orig = False
                else:
                    st = table[key] = [t, t] + [0] * 6 + [None] * 6
            if t < st[_TS]:
                st[_TS] = t
            if t > st[_LAST]:
                st[_LAST] = t
            size = lens[i]
            if orig:
                st[_OP] += 1
                st[_OB] += size
            else:
                st[_RP] += 1
                st[_RB] += size
            if flags is None:
                continue
            st[_OF if orig else _RF] |= flags
            if flags & (_SYN | _ACK) == _SYN and orig and st[_SYNT] is None:
                st[_SYNT] = t
            elif flags & (_SYN | _ACK) == _SYN | _ACK and not orig and st[_RTT] is None:
                if st[_SYNT] is not None:
                    st[_RTT] = (t - st[_SYNT]) / 1e9
            n = tlen[i] or 0
            if n:
                end = (seqs[i] + n) & 0xFFFFFFFF
                ei = _OEND if orig else _REND
                high = st[ei]
                if high is not None and not _after(end, high):
                    ri = _ORT if orig else _RRT
                    st[ri] = (st[ri] or 0) + 1
                else:
                    st[ei] = end

    def table(self) -> Any:
        """The flows counted so far, as a ``pyarrow.Table`` ordered by first packet."""
        pa = need("pyarrow")
        items = sorted(self.flows.items(), key=lambda kv: (kv[1][_TS], kv[0]))
        cols: list[list[Any]] = [[] for _ in FLOW_FIELDS]
        for (proto, oh, op, rh, rp), st in items:
            tcp = proto == 6
            row = (
                st[_TS], st[_LAST], proto, oh, op, rh, rp,
                st[_OP], st[_OB], st[_RP], st[_RB],
                st[_OF] if tcp else None, st[_RF] if tcp else None, st[_RTT],
                (st[_ORT] or 0) if tcp else None, (st[_RRT] or 0) if tcp else None,
            )  # fmt: skip
            for c, v in zip(cols, row, strict=True):
                c.append(v)
        sch = flow_schema()
        return pa.Table.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(cols, sch, strict=True)], schema=sch
        )


def flows(source: Any, *, state: FlowTable | None = None, batch_size: int = 65536) -> Any:
    """The flows of the packets of ``source`` (as :func:`paquet.frame.batches` takes it), one
    streaming pass; ``state``: a FlowTable to go on counting in (flows resumed from the
    previous files given to it)."""
    from paquet.frame.reader import batches

    table = state if state is not None else FlowTable()
    for b in batches(source, PACKET_FIELDS, batch_size=batch_size):
        table.update(b)
    return table.table()


def flows_of_batches(batches_: Iterable[Any]) -> Any:
    """The flow table of packet batches already read (columns of :data:`PACKET_FIELDS`)."""
    table = FlowTable()
    for b in batches_:
        table.update(b)
    return table.table()
