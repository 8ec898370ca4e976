"""Packets already in memory (a ``PacketList``, any iterable of packets) as an Arrow table,
with the columns of :func:`paquet.frame.read`: what ``PacketList.to_arrow()`` gives.

>>> from paquet.layers import Ether, IP, TCP
>>> t = from_packets([Ether() / IP(dst="192.0.2.9") / TCP(dport=22)], ["ip.dst", "tcp.dstport"])
>>> t.to_pylist()
[{'ip.dst': '192.0.2.9', 'tcp.dstport': 22}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from paquet.capfile import RawPacket, float_to_ts, guess_linktype
from paquet.frame.deps import need
from paquet.frame.reader import BATCH_SIZE, _Plan, _records_batch, _table

__all__ = ["from_packets"]


def _record(pkt: Any) -> RawPacket:
    if isinstance(pkt, RawPacket):
        return pkt
    data = bytes(pkt)
    t = getattr(pkt, "time", None)
    if t is None:
        ts = 0
    elif isinstance(t, float):
        # a float holds about a tenth of a microsecond at today's times: microseconds
        ts = float_to_ts(t, 1_000_000) * 1000
    else:  # an exact time (EDecimal, int): nanoseconds
        ts = int(Decimal(str(t)) * 1_000_000_000)
    wirelen = getattr(pkt, "wirelen", None)
    return RawPacket(data, linktype=guess_linktype(pkt), wirelen=wirelen, ts=ts)


def from_packets(
    packets: Iterable[Any], fields: Sequence[str] | None = None, *, binary_addresses: bool = False
) -> Any:
    """A ``pyarrow.Table`` of ``packets`` (built or dissected packets, or ``RawPacket``
    records), columns as :func:`paquet.frame.read`."""
    pa = need("pyarrow")
    plan = _Plan(fields, binary_addresses)
    got = []
    recs: list[RawPacket] = []
    first = 1
    for pkt in packets:
        recs.append(_record(pkt))
        if len(recs) == BATCH_SIZE:
            got.append(_records_batch(plan, recs, first))
            first += len(recs)
            recs = []
    if recs:
        got.append(_records_batch(plan, recs, first))
    return _table(pa, got, fields, {"binary_addresses": binary_addresses})
