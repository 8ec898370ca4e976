"""Bidirectional flows of a capture, as Zeek's conn.log and nfstream present them.

A flow is the packets of one 5-tuple (protocol, two addresses, two ports) in both directions;
its originator is the sender of its first packet (of the SYN+ACK's receiver when the first
packet seen is a SYN+ACK). :class:`FlowTable` takes packet batches one after the other (one
streaming pass; a flow that goes on in the next file stays one flow) and gives a table:

``ts``, ``last_ts`` (first and last packet), ``proto``, ``id.orig_h``, ``id.orig_p``,
``id.resp_h``, ``id.resp_p`` (Zeek's names), ``orig_pkts``, ``orig_bytes``, ``resp_pkts``,
``resp_bytes`` (frame bytes each way), ``orig_flags``, ``resp_flags`` (TCP flags seen, OR-ed),
``rtt`` (SYN to SYN+ACK, seconds), ``orig_retrans``, ``resp_retrans`` (TCP segments with data,
a SYN or a FIN that start before the highest sequence number already seen that way: what
Wireshark's analysis calls retransmissions, fast, spurious, or out-of-order segments).

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

__all__ = [
    "FLOW_FIELDS",
    "PACKET_FIELDS",
    "PARTIAL_FIELDS",
    "FlowTable",
    "flow_schema",
    "flows",
    "merge_partials",
    "partial_schema",
]

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

_FIN, _SYN, _ACK = 0x01, 0x02, 0x10
# Per-flow state, a list: indices below (SYN and SYN+ACK: time of the first one each way).
(_TS, _LAST, _OP, _OB, _RP, _RB, _OF, _RF, _ORT, _RRT,
 _OSYN, _RSYN, _OSA, _RSA, _OEND, _REND) = range(16)  # fmt: skip
_NEW = [0] * 8 + [None] * 6


def _rtt(syn: int | None, synack: int | None) -> float | None:
    """Seconds from the originator's first SYN to the responder's first SYN+ACK."""
    if syn is None or synack is None or synack < syn:
        return None
    return (synack - syn) / 1e9


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
        pa = need("pyarrow")
        pc = need("pyarrow.compute")
        cols = {name: batch.column(batch.schema.get_field_index(name)) for name in PACKET_FIELDS}
        tflags = cols["tcp.flags"]
        is_tcp = pc.is_valid(tflags)
        is_udp = pc.is_valid(cols["udp.srcport"])
        zero = pa.scalar(0, pa.uint16())
        # per packet, whatever its IP version and transport: addresses, protocol, ports
        srcs = pc.coalesce(cols["ip.src"], cols["ipv6.src"]).to_pylist()
        dsts = pc.coalesce(cols["ip.dst"], cols["ipv6.dst"]).to_pylist()
        protos = pc.if_else(
            is_tcp,
            pa.scalar(6, pa.uint8()),
            pc.if_else(
                is_udp, pa.scalar(17, pa.uint8()), pc.coalesce(cols["ip.proto"], cols["ipv6.nxt"])
            ),
        ).to_pylist()
        sports = pc.coalesce(cols["tcp.srcport"], cols["udp.srcport"], zero).to_pylist()
        dports = pc.coalesce(cols["tcp.dstport"], cols["udp.dstport"], zero).to_pylist()
        times = cols["frame.time"].cast(pa.int64()).to_pylist()
        lens = cols["frame.len"].to_pylist()
        tfl, seqs, tlen = (
            tflags.to_pylist(),
            cols["tcp.seq_raw"].to_pylist(),
            cols["tcp.len"].to_pylist(),
        )
        table = self.flows
        rows = zip(times, lens, srcs, dsts, protos, sports, dports, tfl, seqs, tlen, strict=True)
        for t, size, src, dst, proto, sp, dp, flags, seq, tl in rows:
            if src is None:
                continue
            key = (proto, src, sp, dst, dp)
            st = table.get(key)
            orig = True
            if st is None:
                st = table.get((proto, dst, dp, src, sp))
                if st is not None:
                    orig = False
                elif flags is not None and flags & (_SYN | _ACK) == _SYN | _ACK:
                    # the first packet seen answers a SYN: its receiver is the originator
                    st = table[(proto, dst, dp, src, sp)] = [t, t, *_NEW]
                    orig = False
                else:
                    st = table[key] = [t, t, *_NEW]
            if t < st[_TS]:
                st[_TS] = t
            if t > st[_LAST]:
                st[_LAST] = t
            if orig:
                st[_OP] += 1
                st[_OB] += size
            else:
                st[_RP] += 1
                st[_RB] += size
            if flags is None:
                continue
            st[_OF if orig else _RF] |= flags
            if flags & _SYN:
                si = (_OSA if orig else _RSA) if flags & _ACK else (_OSYN if orig else _RSYN)
                if st[si] is None:
                    st[si] = t
            # sequence space used: the data, and one for a SYN and for a FIN; a segment
            # without any still moves the next expected number (its sender went past it)
            n = (tl or 0) + (flags & _SYN) // _SYN + (flags & _FIN)
            end = (seq + n) & 0xFFFFFFFF
            ei = _OEND if orig else _REND
            high = st[ei]
            if n and high is not None and _after(high, seq):
                ri = _ORT if orig else _RRT
                st[ri] = (st[ri] or 0) + 1
            if high is None or _after(end, high):
                st[ei] = end

    def partials(self) -> Any:
        """The flows counted so far as partial flows (:data:`PARTIAL_FIELDS`), to merge with
        the partials of other slices of the packets (:func:`merge_partials`)."""
        return _table_of(_partial_rows(self.flows), partial_schema())

    def table(self) -> Any:
        """The flows counted so far, as a ``pyarrow.Table`` ordered by first packet."""
        pa = need("pyarrow")
        items = sorted(self.flows.items(), key=lambda kv: (kv[1][_TS], *kv[0]))
        cols: list[list[Any]] = [[] for _ in FLOW_FIELDS]
        for (proto, oh, op, rh, rp), st in items:
            tcp = proto == 6
            row = (
                st[_TS], st[_LAST], proto, oh, op, rh, rp,
                st[_OP], st[_OB], st[_RP], st[_RB],
                st[_OF] if tcp else None, st[_RF] if tcp else None, _rtt(st[_OSYN], st[_RSA]),
                st[_ORT] if tcp else None, st[_RRT] if tcp else None,
            )  # fmt: skip
            for c, v in zip(cols, row, strict=True):
                c.append(v)
        sch = flow_schema()
        return pa.Table.from_arrays(
            [pa.array(c, type=f.type) for c, f in zip(cols, sch, strict=True)], schema=sch
        )


#: Columns of partial flows (one slice of the packets each), oriented by address order:
#: ``a`` is the lower (address, port) end. Partials of one flow merge by summing (see
#: :func:`merge_partials`; Spark merges them the same way).
PARTIAL_FIELDS = (
    "proto", "a_h", "a_p", "b_h", "b_p", "ts", "last_ts", "first_is_a",
    "a_pkts", "a_bytes", "b_pkts", "b_bytes", "a_flags", "b_flags",
    "a_syn", "b_syn", "a_synack", "b_synack", "a_retrans", "b_retrans",
)  # fmt: skip


def partial_schema() -> Any:
    """The Arrow schema of partial flows."""
    pa = need("pyarrow")
    ts = pa.timestamp("ns", tz="UTC")
    u64, u16, u8 = pa.uint64(), pa.uint16(), pa.uint8()
    types = [u8, pa.string(), u16, pa.string(), u16, ts, ts, pa.bool_()]
    types += [u64, u64, u64, u64, u16, u16, ts, ts, ts, ts, u64, u64]
    return pa.schema(list(zip(PARTIAL_FIELDS, types, strict=True)))


def _partial_rows(flows_: dict[tuple[int, str, int, str, int], list[Any]]) -> list[tuple[Any, ...]]:
    rows = []
    for (proto, oh, op, rh, rp), st in flows_.items():
        tcp = proto == 6
        o = (
            st[_OP],
            st[_OB],
            st[_OF] if tcp else None,
            st[_OSYN],
            st[_OSA],
            st[_ORT] if tcp else None,
        )
        r = (
            st[_RP],
            st[_RB],
            st[_RF] if tcp else None,
            st[_RSYN],
            st[_RSA],
            st[_RRT] if tcp else None,
        )
        first_is_a = (oh, op) <= (rh, rp)
        (ah, ap, a), (bh, bp, b) = (
            ((oh, op, o), (rh, rp, r)) if first_is_a else ((rh, rp, r), (oh, op, o))
        )
        rows.append(
            (proto, ah, ap, bh, bp, st[_TS], st[_LAST], first_is_a,
             a[0], a[1], b[0], b[1], a[2], b[2], a[3], b[3], a[4], b[4], a[5], b[5])
        )  # fmt: skip
    return rows


def _table_of(rows: list[tuple[Any, ...]], sch: Any) -> Any:
    pa = need("pyarrow")
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in sch]
    return pa.Table.from_arrays(
        [pa.array(list(c), type=f.type) for c, f in zip(cols, sch, strict=True)], schema=sch
    )


def merge_partials(partials: Any) -> Any:
    """The flow table of partial flows (a table of :data:`PARTIAL_FIELDS`, from slices of the
    packets in any order): what one pass over all the packets gives, but for retransmissions
    that straddle two slices."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in partials.to_pylist():
        key = (row["proto"], row["a_h"], row["a_p"], row["b_h"], row["b_p"])
        ts = row["ts"].value if hasattr(row["ts"], "value") else row["ts"]
        m = merged.get(key)
        if m is None:
            merged[key] = m = dict(row)
            m["ts"], m["last_ts"] = row["ts"], row["last_ts"]
            m["_t"] = ts
            continue
        if ts < m["_t"]:
            m["_t"], m["ts"], m["first_is_a"] = ts, row["ts"], row["first_is_a"]
        m["last_ts"] = max(m["last_ts"], row["last_ts"])
        for k in ("a_pkts", "a_bytes", "b_pkts", "b_bytes", "a_retrans", "b_retrans"):
            if row[k] is not None:
                m[k] = (m[k] or 0) + row[k]
        for k in ("a_flags", "b_flags"):
            if row[k] is not None:
                m[k] = (m[k] or 0) | row[k]
        for k in ("a_syn", "b_syn", "a_synack", "b_synack"):
            if row[k] is not None and (m[k] is None or row[k] < m[k]):
                m[k] = row[k]
    out = []
    for m in merged.values():
        o, r = ("a", "b") if m["first_is_a"] else ("b", "a")
        syn, sa = m[f"{o}_syn"], m[f"{r}_synack"]
        rtt = None
        if syn is not None and sa is not None and sa >= syn:
            rtt = (
                (sa - syn).total_seconds()
                if hasattr(sa - syn, "total_seconds")
                else (sa - syn) / 1e9
            )
        out.append(
            (m["ts"], m["last_ts"], m["proto"], m[f"{o}_h"], m[f"{o}_p"], m[f"{r}_h"], m[f"{r}_p"],
             m[f"{o}_pkts"], m[f"{o}_bytes"], m[f"{r}_pkts"], m[f"{r}_bytes"],
             m[f"{o}_flags"], m[f"{r}_flags"], rtt, m[f"{o}_retrans"], m[f"{r}_retrans"], m["_t"])
        )  # fmt: skip
    out.sort(key=lambda row: (row[-1], *row[2:7]))
    return _table_of([row[:-1] for row in out], flow_schema())


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
